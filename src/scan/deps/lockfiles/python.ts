import { parse as parseToml, TomlError } from "smol-toml";
import { normalizePep440, parseSpecifierSet, pinnedVersion } from "../pep440.js";
import { type Dependency, hashFromPrefixed, invalid, isTable, keyLineMap, lineIndex, type PackageHash, readYamlMapping, str, type Table } from "../types.js";
import { parseRequirementLine } from "./requirements.js";

export function readToml(text: string, file: string): Table {
  try {
    return parseToml(text) as Table;
  } catch (e) {
    if (e instanceof TomlError) throw invalid(file, `not valid TOML (${e.message.split("\n")[0]})`, e.line);
    throw invalid(file, `not valid TOML (${(e as Error).message})`);
  }
}

/** Line of a `name = "x"` entry inside a `[[package]]` block, for locations in TOML locks. */
function packageLines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const at = lineIndex(text);
  const re = /^\[\[package\]\]\s*\r?\nname\s*=\s*"([^"]+)"\s*\r?\nversion\s*=\s*"([^"]+)"/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) out.set(`${m[1]}@${m[2]}`, at(m.index));
  return out;
}

/**
 * Line of each key written as `name = …` at the start of a line (Poetry dependency tables), first
 * occurrence, in one pass: a per-name search over the whole text was quadratic in the number of names.
 */
function keyLines(text: string): (name: string) => number | undefined {
  const map = keyLineMap(text, /^\s*"?([^\s"=]+)"?\s*=/gm);
  return (name) => map.get(name);
}

/**
 * Offsets of every quoted string in a text (TOML basic and literal strings, JSON strings), by the text
 * between the quotes as written, first occurrence first. One pass, so looking up thousands of
 * requirements or keys stays linear.
 */
function stringOffsets(text: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const re = /"((?:[^"\\\n]|\\.)*)"|'([^'\n]*)'/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const raw = m[1] ?? m[2]!;
    const list = out.get(raw);
    if (list) list.push(m.index);
    else out.set(raw, [m.index]);
  }
  return out;
}

/** First of the sorted offsets at or after `from`. */
function firstFrom(offsets: readonly number[] | undefined, from: number): number | undefined {
  if (!offsets) return undefined;
  let lo = 0;
  let hi = offsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  return offsets[lo];
}

/** pyproject.toml: PEP 621 `[project]`, PEP 735 `[dependency-groups]` and Poetry's `[tool.poetry]` tables. */
export function parsePyproject(text: string, file: string): Dependency[] {
  const doc = readToml(text, file);
  const at = lineIndex(text);
  const strings = stringOffsets(text);
  const nameLine = keyLines(text);
  const out: Dependency[] = [];
  const pep508 = (req: unknown, dev: boolean, where: string) => {
    if (typeof req !== "string") throw invalid(file, `${where}: expected a requirement string`);
    // The string as written: JSON escapes match a basic string, the bare text a literal one.
    const idx = strings.get(JSON.stringify(req).slice(1, -1))?.[0] ?? strings.get(req)?.[0];
    const dep = parseRequirementLine(req, file, idx !== undefined ? at(idx) : undefined);
    if (dep) out.push({ ...dep, dev });
  };
  const project = doc.project;
  if (isTable(project)) {
    const deps = project.dependencies ?? [];
    if (!Array.isArray(deps)) throw invalid(file, "project.dependencies must be an array");
    for (const r of deps) pep508(r, false, "project.dependencies");
    const optional = project["optional-dependencies"];
    if (isTable(optional))
      for (const [group, list] of Object.entries(optional)) if (Array.isArray(list)) for (const r of list) pep508(r, false, `project.optional-dependencies.${group}`);
  }
  const groups = doc["dependency-groups"];
  if (isTable(groups))
    for (const [group, list] of Object.entries(groups)) if (Array.isArray(list)) for (const r of list) if (typeof r === "string") pep508(r, true, `dependency-groups.${group}`);
  const poetry = isTable(doc.tool) ? doc.tool.poetry : undefined;
  if (isTable(poetry)) {
    const tables: Array<[Table, boolean]> = [];
    if (isTable(poetry.dependencies)) tables.push([poetry.dependencies, false]);
    if (isTable(poetry["dev-dependencies"])) tables.push([poetry["dev-dependencies"], true]);
    if (isTable(poetry.group)) for (const [g, t] of Object.entries(poetry.group)) if (isTable(t) && isTable(t.dependencies)) tables.push([t.dependencies, g !== "main"]);
    for (const [table, dev] of tables) {
      for (const [name, value] of Object.entries(table)) {
        if (name.toLowerCase() === "python") continue;
        const constraint = typeof value === "string" ? value : isTable(value) ? str(value.version) : undefined;
        const source = isTable(value) ? (str(value.git) ?? str(value.url) ?? str(value.path)) : undefined;
        const version = constraint ? poetryPinned(constraint) : undefined;
        out.push({
          ecosystem: "PyPI",
          name,
          file,
          line: nameLine(name),
          direct: true,
          dev,
          version,
          spec: version ? undefined : constraint,
          source,
          unpinned: !version && !(source && isTable(value) && (str(value.rev)?.match(/^[0-9a-f]{40}$/) || str(value.tag))),
        });
      }
    }
  }
  return out;
}

/** Poetry constraints: a bare version or `==v` pins; `^`, `~`, `*`, comparisons and wildcards do not. */
function poetryPinned(c: string): string | undefined {
  const t = c.trim();
  if (/^[0-9]/.test(t) && !/[*,\s|]/.test(t)) return normalizePep440(t);
  const specs = parseSpecifierSet(t);
  return specs && specs.length === 1 ? pinnedVersion(specs) : undefined;
}

/** poetry.lock (any lock-version): `[[package]]` with name, version, optional `files` hashes, category or groups. */
export function parsePoetryLock(text: string, file: string): Dependency[] {
  const doc = readToml(text, file);
  const lines = packageLines(text);
  const pkgs = doc.package ?? [];
  if (!Array.isArray(pkgs)) throw invalid(file, "`package` must be an array of tables");
  return pkgs.map((p, i) => {
    if (!isTable(p) || !str(p.name) || !str(p.version)) throw invalid(file, `package #${i + 1}: needs name and version`);
    const hashes: PackageHash[] = [];
    if (Array.isArray(p.files)) for (const f of p.files) if (isTable(f) && str(f.hash)) pushHash(hashes, str(f.hash)!);
    const src = isTable(p.source) ? p.source : undefined;
    const groups = Array.isArray(p.groups) ? p.groups : undefined;
    return {
      ecosystem: "PyPI" as const,
      name: p.name as string,
      version: p.version as string,
      file,
      line: lines.get(`${p.name}@${p.version}`),
      dev: p.category === "dev" || (groups !== undefined && !groups.includes("main")),
      hashes: hashes.length ? hashes : undefined,
      source: src && str(src.type) !== "legacy" ? (str(src.url) ?? undefined) : undefined,
    };
  });
}

/** uv.lock: `[[package]]` with name, version, source, sdist/wheels hashes; the project itself is skipped. */
export function parseUvLock(text: string, file: string): Dependency[] {
  const doc = readToml(text, file);
  const lines = packageLines(text);
  const pkgs = doc.package ?? [];
  if (!Array.isArray(pkgs)) throw invalid(file, "`package` must be an array of tables");
  const out: Dependency[] = [];
  for (const [i, p] of pkgs.entries()) {
    if (!isTable(p) || !str(p.name)) throw invalid(file, `package #${i + 1}: needs a name`);
    // A dotted key ("version.0 = …") makes a table here: an error naming the field, not a TypeError below.
    if (p.version !== undefined && typeof p.version !== "string") throw invalid(file, `package #${i + 1} (${p.name}): \`version\` must be a string`);
    const source = isTable(p.source) ? p.source : {};
    // Editable/virtual/directory sources are the project's own workspace members.
    if (source.editable !== undefined || source.virtual !== undefined || source.directory !== undefined) continue;
    const hashes: PackageHash[] = [];
    if (isTable(p.sdist) && str(p.sdist.hash)) pushHash(hashes, p.sdist.hash as string);
    if (Array.isArray(p.wheels)) for (const w of p.wheels) if (isTable(w) && str(w.hash)) pushHash(hashes, w.hash as string);
    out.push({
      ecosystem: "PyPI",
      name: p.name as string,
      version: str(p.version),
      file,
      line: lines.get(`${p.name}@${p.version}`),
      hashes: hashes.length ? hashes : undefined,
      source: str(source.git) ?? str(source.url) ?? str(source.path),
    });
  }
  return out;
}

function pushHash(list: PackageHash[], text: string): void {
  const h = hashFromPrefixed(text);
  if (h && !list.some((x) => x.content === h.content)) list.push(h);
}

/** Pipfile.lock: JSON with `default` and `develop` maps of name → {version: "==x", hashes, markers}. */
export function parsePipfileLock(text: string, file: string): Dependency[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw invalid(file, `not valid JSON (${(e as Error).message})`);
  }
  if (!isTable(doc)) throw invalid(file, "expected a JSON object");
  const out: Dependency[] = [];
  const at = lineIndex(text);
  const strings = stringOffsets(text);
  for (const section of ["default", "develop"] as const) {
    const table = doc[section];
    if (table === undefined) continue;
    if (!isTable(table)) throw invalid(file, `"${section}" must be an object`);
    // A package's line: its key's first occurrence after the section's name.
    const from = strings.get(section)?.[0] ?? 0;
    const lineAt = (i: number | undefined) => (i === undefined ? undefined : at(i));
    for (const [name, entry] of Object.entries(table)) {
      if (!isTable(entry)) throw invalid(file, `${section}.${name}: expected an object`);
      const v = str(entry.version);
      const specs = v ? parseSpecifierSet(v) : [];
      if (v && !specs) throw invalid(file, `${section}.${name}.version: bad specifier "${v}"`);
      const version = specs ? pinnedVersion(specs) : undefined;
      const hashes: PackageHash[] = [];
      if (Array.isArray(entry.hashes)) for (const h of entry.hashes) if (typeof h === "string") pushHash(hashes, h);
      const source = str(entry.git) ?? str(entry.file) ?? str(entry.path);
      out.push({
        ecosystem: "PyPI",
        name,
        version,
        file,
        line: lineAt(firstFrom(strings.get(name), from)),
        dev: section === "develop",
        marker: str(entry.markers),
        hashes: hashes.length ? hashes : undefined,
        source,
        unpinned: !version && !source,
      });
    }
  }
  return out;
}

/**
 * conda environment files: `dependencies` strings in MatchSpec form (`numpy=1.26.4=py311_0`,
 * `conda-forge::scipy>=1.11`) and a nested `pip:` list of requirements.
 */
export function parseCondaEnvironment(text: string, file: string): Dependency[] {
  const doc = readYamlMapping(text, file, "expected a mapping with `dependencies`");
  const deps = doc.dependencies ?? [];
  if (!Array.isArray(deps)) throw invalid(file, "`dependencies` must be a list");
  const at = lineIndex(text);
  const out: Dependency[] = [];
  let cursor = 0;
  const locate = (s: string) => {
    const i = text.indexOf(s, cursor);
    if (i < 0) return undefined;
    cursor = i + s.length;
    return at(i);
  };
  for (const d of deps) {
    if (typeof d === "string") {
      const line = locate(d);
      const m = /^(?:([\w.-]+)::)?([A-Za-z0-9_.-]+)\s*(.*)$/.exec(d.trim());
      if (!m) throw invalid(file, `not a conda package spec: "${d}"`, line);
      const name = m[2]!;
      const rest = m[3]!.trim();
      // MatchSpec: `=1.2.3` or `==1.2.3` (optionally `=build`) pins; `=1.2` alone is a prefix (1.2.*).
      const exact = /^==?([^=\s*,<>|!]+)(?:=\S+)?$/.exec(rest);
      const pinned = exact && (rest.startsWith("==") || /=[^=]+=/.test(rest) || exact[1]!.split(".").length >= 3) ? exact[1] : undefined;
      if (name.toLowerCase() === "python" || name.toLowerCase() === "pip") continue;
      out.push({ ecosystem: "conda", name, version: pinned, spec: pinned ? undefined : rest || undefined, file, line, direct: true, unpinned: !pinned, source: m[1] });
    } else if (isTable(d) && Array.isArray(d.pip)) {
      for (const r of d.pip) {
        if (typeof r !== "string") continue;
        const dep = parseRequirementLine(r, file, locate(r));
        if (dep) out.push(dep);
      }
    }
  }
  return out;
}
