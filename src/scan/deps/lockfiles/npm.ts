import { npmPinned, parseNpmRange } from "../semver.js";
import { type Dependency, hashFromIntegrity, invalid, isTable, keyLineMap, readYamlMapping, str, type Table } from "../types.js";

function readJsonText(text: string, file: string): Table {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw invalid(file, `not valid JSON (${(e as Error).message})`);
  }
  if (!isTable(doc)) throw invalid(file, "expected a JSON object");
  return doc;
}

function keyLines(text: string): (key: string) => number | undefined {
  const map = keyLineMap(text, /"((?:[^"\\\n]|\\.)*)"\s*:/g);
  return (key) => map.get(key);
}

// YAML mapping keys at indentation 0 or 2 (pnpm `packages:` entries, yarn berry entries), quoted or not.
function yamlKeyLines(text: string): (key: string) => number | undefined {
  const map = keyLineMap(text, /^ {0,2}(['"]?)([^\n'"]+?)\1:(?=\s|$)/gm, 2);
  return (key) => map.get(key);
}

/** npm's package-lock.json / npm-shrinkwrap.json, lockfileVersion 1 (nested `dependencies`), 2 and 3 (`packages`). */
export function parsePackageLock(text: string, file: string): Dependency[] {
  const doc = readJsonText(text, file);
  const line = keyLines(text);
  const out: Dependency[] = [];
  const version = doc.lockfileVersion;
  if (version !== undefined && (typeof version !== "number" || version < 1 || version > 3)) throw invalid(file, `unsupported lockfileVersion ${JSON.stringify(version)}`);
  if (isTable(doc.packages)) {
    const root = isTable(doc.packages[""]) ? doc.packages[""] : {};
    const direct = new Set([...Object.keys(isTable(root.dependencies) ? root.dependencies : {}), ...Object.keys(isTable(root.devDependencies) ? root.devDependencies : {})]);
    for (const [path, entry] of Object.entries(doc.packages)) {
      if (path === "" || !isTable(entry)) continue;
      if (entry.link === true) continue; // workspace symlink: its target has its own entry
      const i = path.lastIndexOf("node_modules/");
      if (i < 0) continue; // a workspace folder, the project's own code
      const name = str(entry.name) ?? path.slice(i + "node_modules/".length);
      const v = str(entry.version);
      if (!v) throw invalid(file, `packages["${path}"]: missing version`, line(path));
      out.push({
        ecosystem: "npm",
        name,
        version: v,
        file,
        line: line(path),
        direct: i === 0 && direct.has(name),
        dev: entry.dev === true || entry.devOptional === true,
        hashes: hashFromIntegrity(str(entry.integrity)),
        license: typeof entry.license === "string" ? entry.license : undefined,
        source: nonRegistry(str(entry.resolved), name),
      });
    }
    return out;
  }
  if (isTable(doc.dependencies)) {
    // Depth first, each entry before its own nested dependencies, with an explicit stack: the nesting
    // depth is the file's to choose (5,000 levels overflowed the call stack, an internal error).
    const stack: Array<{ entries: Iterator<[string, unknown]>; depth: number; prefix: string }> = [
      { entries: Object.entries(doc.dependencies)[Symbol.iterator](), depth: 0, prefix: "" },
    ];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const next = top.entries.next();
      if (next.done) {
        stack.pop();
        continue;
      }
      const [name, entry] = next.value;
      const { depth, prefix } = top;
      if (!isTable(entry)) throw invalid(file, `dependencies.${prefix}${name}: expected an object`);
      const v = str(entry.version);
      if (!v) throw invalid(file, `dependencies.${prefix}${name}: missing version`, line(name));
      // v1 writes git/file dependencies as their URL in `version`.
      const url = /^[a-z+]+:/.test(v) ? v : undefined;
      out.push({
        ecosystem: "npm",
        name,
        version: url ? undefined : v,
        file,
        line: line(name),
        direct: depth === 0,
        dev: entry.dev === true,
        hashes: hashFromIntegrity(str(entry.integrity)),
        source: url ?? nonRegistry(str(entry.resolved), name),
        unpinned: url ? !/#[0-9a-f]{40}$/.test(url) : undefined,
      });
      if (isTable(entry.dependencies)) stack.push({ entries: Object.entries(entry.dependencies)[Symbol.iterator](), depth: depth + 1, prefix: `${prefix}${name}.` });
    }
  }
  return out;
}

/**
 * A tarball at `<registry>/<name>/-/<basename>-<version>.tgz` over HTTPS is a registry's (the layout
 * every npm-compatible registry serves, public, mirror or private, under any path prefix); any other
 * URL, git or file spec is kept as the package's source.
 */
function nonRegistry(resolved: string | undefined, name: string): string | undefined {
  if (!resolved) return undefined;
  const base = name.slice(name.lastIndexOf("/") + 1);
  let path: string;
  try {
    const url = new URL(resolved);
    if (url.protocol !== "https:") return resolved;
    path = decodeURIComponent(url.pathname);
  } catch {
    return resolved;
  }
  return path.includes(`/${name}/-/${base}-`) && path.endsWith(".tgz") ? undefined : resolved;
}

/**
 * pnpm-lock.yaml: lockfileVersion 5.x (`/name/1.0.0`), 6.x (`/name@1.0.0`) and 9.x (`name@1.0.0`
 * with `snapshots`). Peer-dependency suffixes (`(react@18.2.0)`, `_react@18.2.0`) are dropped.
 */
export function parsePnpmLock(text: string, file: string): Dependency[] {
  const doc = readYamlMapping(text, file);
  const lineOf = yamlKeyLines(text);
  const packages = doc.packages ?? {};
  if (!isTable(packages)) throw invalid(file, "`packages` must be a mapping");
  const directNames = new Set<string>();
  const importers = isTable(doc.importers) ? Object.values(doc.importers) : [doc];
  for (const imp of importers)
    if (isTable(imp)) for (const k of ["dependencies", "devDependencies", "optionalDependencies"]) if (isTable(imp[k])) for (const n of Object.keys(imp[k])) directNames.add(n);
  const out: Dependency[] = [];
  const seen = new Set<string>();
  for (const [key, entry] of Object.entries(packages)) {
    const parsed = pnpmKey(key);
    if (!parsed) throw invalid(file, `packages: cannot read key "${key}"`, lineOf(key));
    const e = isTable(entry) ? entry : {};
    const resolution = isTable(e.resolution) ? e.resolution : {};
    const name = str(e.name) ?? parsed.name;
    const version = str(e.version) ?? parsed.version;
    const id = `${name}@${version}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const tarball = str(resolution.tarball);
    out.push({
      ecosystem: "npm",
      name,
      version: /^[0-9]/.test(version) ? version : undefined,
      file,
      line: lineOf(key),
      direct: directNames.has(name),
      dev: e.dev === true,
      hashes: hashFromIntegrity(str(resolution.integrity)),
      source: str(resolution.repo) ?? (tarball ? nonRegistry(tarball, name) : undefined),
      license: undefined,
    });
  }
  return out;
}

function pnpmKey(raw: string): { name: string; version: string } | undefined {
  let key = raw.replace(/^\//, "");
  key = key.replace(/\(.*$/, ""); // v6/v9 peer suffix
  // v5: `name/1.0.0` or `@scope/name/1.0.0_peer@1.0.0`
  const v5 = /^((?:@[^/]+\/)?[^/@]+)\/([0-9][^/_]*)(?:_.*)?$/.exec(key);
  if (v5) return { name: v5[1]!, version: v5[2]! };
  const at = key.lastIndexOf("@");
  if (at <= 0) return undefined;
  return { name: key.slice(0, at), version: key.slice(at + 1) };
}

/**
 * yarn.lock: v1 (yarn classic's own indented format) and berry (v2+, YAML with `__metadata`).
 * Entries list the requested ranges as keys and the resolved `version`.
 */
export function parseYarnLock(text: string, file: string): Dependency[] {
  if (/^__metadata:/m.test(text)) return parseYarnBerry(text, file);
  return parseYarnV1(text, file);
}

function yarnName(descriptor: string): string {
  const d = descriptor.trim().replace(/^"|"$/g, "");
  const at = d.indexOf("@", 1);
  return at < 0 ? d : d.slice(0, at);
}

function parseYarnV1(text: string, file: string): Dependency[] {
  const out: Dependency[] = [];
  const lines = text.split(/\r?\n/);
  let current: Dependency | undefined;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.trim() === "" || l.startsWith("#")) continue;
    if (!l.startsWith(" ")) {
      if (!l.endsWith(":")) throw invalid(file, `expected "descriptor:" at the start of an entry`, i + 1);
      const descriptors = l.slice(0, -1).split(/,\s*/);
      current = { ecosystem: "npm", name: yarnName(descriptors[0]!), file, line: i + 1 };
      out.push(current);
      continue;
    }
    const m = /^ {2}(\w+)\s+"?([^"]*)"?$/.exec(l);
    if (!m || !current) continue; // nested `dependencies:` blocks
    if (m[1] === "version") current.version = m[2];
    else if (m[1] === "integrity") current.hashes = hashFromIntegrity(m[2]);
    else if (m[1] === "resolved") current.source = nonRegistry(m[2]!.replace(/#.*$/, ""), current.name);
  }
  for (const d of out) if (!d.version) throw invalid(file, `entry "${d.name}" has no version`, d.line);
  return out;
}

function parseYarnBerry(text: string, file: string): Dependency[] {
  const doc = readYamlMapping(text, file);
  const lineOf = yamlKeyLines(text);
  const out: Dependency[] = [];
  for (const [key, entry] of Object.entries(doc)) {
    if (key === "__metadata" || !isTable(entry)) continue;
    const resolution = str(entry.resolution) ?? key.split(",")[0]!;
    // `name@npm:1.2.3`; workspace, link, portal and patch-of-workspace entries are the project's own.
    const m = /^((?:@[^/]+\/)?[^@]+)@(\w+):(.*)$/.exec(resolution);
    if (!m) throw invalid(file, `cannot read resolution "${resolution}"`, lineOf(key));
    if (m[2] === "workspace" || m[2] === "link" || m[2] === "portal") continue;
    const version = str(entry.version) ?? (typeof entry.version === "number" ? String(entry.version) : undefined);
    out.push({
      ecosystem: "npm",
      name: m[1]!,
      version,
      file,
      line: lineOf(key),
      // berry `checksum` hashes yarn's own cache zip, not the published tarball: not a package hash.
      source: m[2] === "npm" ? undefined : resolution,
      license: undefined,
    });
  }
  return out;
}

/**
 * package.json without a lockfile beside it: direct dependencies only. An exact version pins; a range
 * (`^1.2.0`, `1.x`, `>=2 <3`), a tag (`latest`) or a moving git/URL reference does not.
 */
export function parsePackageJson(text: string, file: string): Dependency[] {
  const doc = readJsonText(text, file);
  const line = keyLines(text);
  const out: Dependency[] = [];
  for (const [section, dev] of [
    ["dependencies", false],
    ["optionalDependencies", false],
    ["devDependencies", true],
  ] as const) {
    const deps = doc[section];
    if (deps === undefined) continue;
    if (!isTable(deps)) throw invalid(file, `"${section}" must be an object`, line(section));
    for (const [name, value] of Object.entries(deps)) {
      if (typeof value !== "string") throw invalid(file, `${section}.${name}: expected a version string`, line(name));
      let spec = value.trim();
      // `npm:real-name@range` aliases install another package under this name.
      const alias = /^npm:((?:@[^/]+\/)?[^@]+)@(.*)$/.exec(spec);
      const realName = alias ? alias[1]! : name;
      if (alias) spec = alias[2]!;
      if (/^(workspace|link|file|portal):/.test(spec)) continue; // the project's own code
      const pinned = npmPinned(spec);
      const isUrl = /^(git\+|git:|github:|https?:|[\w-]+\/[\w.-]+(#.*)?$)/.test(spec);
      out.push({
        ecosystem: "npm",
        name: realName,
        version: pinned,
        spec: pinned ? undefined : spec || "*",
        file,
        line: line(name),
        direct: true,
        dev,
        source: isUrl ? spec : undefined,
        unpinned: pinned ? false : !(isUrl && /#[0-9a-f]{40}$/.test(spec)),
      });
      if (!pinned && !isUrl && spec !== "latest" && spec !== "" && !parseNpmRange(spec)) throw invalid(file, `${section}.${name}: "${value}" is not a version range`, line(name));
    }
  }
  return out;
}
