import { posix } from "node:path";
import { parseSpecifierSet, pinnedVersion } from "../pep440.js";
import { type Dependency, hashFromPrefixed, invalid, type PackageHash } from "../types.js";

/**
 * pip requirements files (pip's "Requirements File Format"): one PEP 508 requirement per line,
 * `\` continuations, `#` comments, `-r`/`-c` includes, per-requirement `--hash`, environment markers,
 * extras, direct URLs (`name @ url`), editable installs and global options.
 */

export interface RequirementsReader {
  /** Reads a file named relative to the scanned root; throws when it does not exist. */
  read(relPath: string): Promise<string>;
  /** Filled with every file a parse read, so a walker does not parse an included file again. */
  visited?: Set<string>;
}

const NAME = "[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?";
const REQ_RE = new RegExp(`^(${NAME})\\s*(?:\\[([^\\]]*)\\])?\\s*(.*)$`);

interface Logical {
  text: string;
  line: number;
}

/** Joins `\` continuations and strips comments; keeps the first physical line number. */
function logicalLines(text: string): Logical[] {
  const out: Logical[] = [];
  const lines = text.split(/\r?\n/);
  let buf = "";
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    let l = lines[i]!;
    if (buf === "") start = i + 1;
    // A comment starts at `#` at line start or after whitespace (URL fragments like `#egg=` survive).
    l = l.replace(/(^|\s)#.*$/, "");
    if (l.endsWith("\\")) {
      buf += `${l.slice(0, -1)} `;
      continue;
    }
    buf += l;
    if (buf.trim() !== "") out.push({ text: buf.trim(), line: start });
    buf = "";
  }
  if (buf.trim() !== "") out.push({ text: buf.trim(), line: start });
  return out;
}

const INCLUDE_RE = /^(-r|--requirement|-c|--constraint)(?:\s+|=)(\S+)$/;
// Options that take a value and say nothing about packages.
const OPTION_RE =
  /^(-i|--index-url|--extra-index-url|-f|--find-links|--trusted-host|--no-binary|--only-binary|--prefer-binary|--require-hashes|--pre|--no-index|--use-feature|--config-settings)\b/;

/**
 * Parses a requirements file and everything it includes. Constraint files (`-c`) pin the versions of
 * requirements named elsewhere; they do not add packages of their own.
 */
export async function parseRequirements(file: string, reader: RequirementsReader, seen = new Set<string>()): Promise<Dependency[]> {
  const { requirements, constraints } = await collect(file, reader, seen, false);
  const pins = new Map<string, Dependency>();
  for (const c of constraints) if (c.version) pins.set(key(c.name), c);
  for (const r of requirements) {
    if (r.version || r.source) continue;
    const c = pins.get(key(r.name));
    if (c) {
      r.version = c.version;
      r.unpinned = false;
      r.hashes = r.hashes?.length ? r.hashes : c.hashes;
    }
  }
  return requirements;
}

const key = (name: string) => name.toLowerCase().replace(/[-_.]+/g, "-");

async function collect(file: string, reader: RequirementsReader, seen: Set<string>, constraint: boolean): Promise<{ requirements: Dependency[]; constraints: Dependency[] }> {
  const requirements: Dependency[] = [];
  const constraints: Dependency[] = [];
  if (seen.has(file)) return { requirements, constraints }; // include cycles are legal in pip, read each file once
  seen.add(file);
  reader.visited?.add(file);
  const text = await reader.read(file);
  for (const { text: line, line: n } of logicalLines(text)) {
    const inc = INCLUDE_RE.exec(line);
    if (inc) {
      const target = posix.normalize(posix.join(posix.dirname(file), inc[2]!));
      if (target.startsWith("../") || posix.isAbsolute(inc[2]!)) throw invalid(file, `include "${inc[2]}" points outside the scanned folder`, n);
      const isConstraint = constraint || inc[1] === "-c" || inc[1] === "--constraint";
      let sub: Awaited<ReturnType<typeof collect>>;
      try {
        sub = await collect(target, reader, seen, isConstraint);
      } catch (e) {
        if ((e as { code?: string }).code === "not-found") throw invalid(file, `included file "${inc[2]}" not found`, n);
        throw e;
      }
      requirements.push(...sub.requirements);
      constraints.push(...sub.constraints);
      continue;
    }
    if (OPTION_RE.test(line)) continue;
    const dep = parseRequirementLine(line, file, n);
    if (!dep) continue;
    (constraint ? constraints : requirements).push(dep);
  }
  return { requirements, constraints };
}

/** One requirement line (continuations already joined, comment removed). */
export function parseRequirementLine(raw: string, file: string, line?: number): Dependency | undefined {
  let text = raw;
  const hashes: PackageHash[] = [];
  // Per-requirement options: --hash=alg:hex (repeatable), --global-option, --config-settings.
  text = text.replace(/\s--hash[=\s]\s*(\S+)/g, (_m, h: string) => {
    const parsed = hashFromPrefixed(h);
    if (!parsed) throw invalid(file, `bad --hash value "${h}" (expected sha256:<hex>)`, line);
    hashes.push(parsed);
    return "";
  });
  text = text.replace(/\s--(global-option|install-option|config-settings)[=\s]\s*\S+/g, "").trim();
  let editable = false;
  const e = /^(-e|--editable)\s+(.*)$/.exec(text);
  if (e) {
    editable = true;
    text = e[2]!.trim();
  }
  // Bare URL or path (`git+https://…#egg=name`, `./pkg`, `pkg.whl`): name only from #egg= or a wheel name.
  const named = new RegExp(`^${NAME}\\s*(\\[[^\\]]*\\])?\\s*@`).test(text);
  if (!named && (/^(\w+\+)?[a-z]+:\/\//i.test(text) || /^[./~]/.test(text) || /\.(whl|tar\.gz|zip)$/.test(text))) {
    const egg = /[#&]egg=([A-Za-z0-9._-]+)/.exec(text);
    const wheel = /([A-Za-z0-9_.]+)-([0-9][^-]*)-[^/]*\.whl$/.exec(text);
    const name = egg?.[1] ?? wheel?.[1];
    if (!name) return { ecosystem: "PyPI", name: text, file, line, direct: true, unpinned: true, source: text, hashes: hashes.length ? hashes : undefined };
    return { ecosystem: "PyPI", name, version: wheel?.[2], file, line, direct: true, unpinned: !wheel, source: text, hashes: hashes.length ? hashes : undefined };
  }
  if (text.startsWith("-")) throw invalid(file, `unknown option "${text.split(/\s/)[0]}"`, line);
  // PEP 508: name [extras] (specifiers | @ url) [; marker]
  let marker: string | undefined;
  const semi = text.indexOf(";");
  if (semi >= 0) {
    marker = text.slice(semi + 1).trim();
    text = text.slice(0, semi).trim();
  }
  const m = REQ_RE.exec(text);
  if (!m) throw invalid(file, `not a requirement: "${raw}"`, line);
  const name = m[1]!;
  const extras = m[2]
    ?.split(",")
    .map((x) => x.trim())
    .filter(Boolean);
  let rest = m[3]!.trim();
  const base: Dependency = { ecosystem: "PyPI", name, file, line, direct: true, marker, extras: extras?.length ? extras : undefined, hashes: hashes.length ? hashes : undefined };
  if (rest.startsWith("@")) {
    const url = rest.slice(1).trim();
    if (!url) throw invalid(file, `"${name} @" needs a URL`, line);
    const wheel = /-([0-9][^-/]*)-[^/]*\.whl$/.exec(url);
    return { ...base, source: url, version: wheel?.[1], unpinned: !wheel && !/@[0-9a-f]{40}\b/.test(url) };
  }
  // Old-style parenthesised specifiers: `name (>=1.0)`.
  if (rest.startsWith("(") && rest.endsWith(")")) rest = rest.slice(1, -1).trim();
  const specs = parseSpecifierSet(rest);
  if (!specs) throw invalid(file, `bad version specifier "${rest}" for ${name}`, line);
  if (editable) return { ...base, spec: rest || undefined, unpinned: true };
  const pinned = pinnedVersion(specs);
  return pinned ? { ...base, version: pinned } : { ...base, spec: rest || undefined, unpinned: true };
}
