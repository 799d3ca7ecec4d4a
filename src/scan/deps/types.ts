import { parseYamlValue, RampartError } from "../../core/index.js";

/** Ecosystems as OSV names them; `conda` packages have no OSV ecosystem and are inventoried only. */
export type Ecosystem = "PyPI" | "npm" | "conda" | "Maven" | "Go" | "crates.io";

export interface PackageHash {
  /** CycloneDX algorithm names: SHA-256, SHA-384, SHA-512, SHA-1, MD5. */
  alg: "SHA-256" | "SHA-384" | "SHA-512" | "SHA-1" | "MD5";
  /** Lower-case hex. */
  content: string;
}

/** One dependency as a lockfile or manifest declares it. */
export interface Dependency {
  ecosystem: Ecosystem;
  name: string;
  /** The exact version that is (or will be) installed, when the file pins one. */
  version?: string;
  /** The requirement as written when it is a range (`>=1.2,<2`, `^4.0.0`). */
  spec?: string;
  /** File relative to the scanned root, `/` separators. */
  file: string;
  line?: number;
  /** Declared by the project itself (manifest or lock root), not pulled in transitively. */
  direct?: boolean;
  dev?: boolean;
  /** True when a manifest leaves the version open (no lock pins it). */
  unpinned?: boolean;
  /** Where the package comes from when it is not the registry (URL, git, path). */
  source?: string;
  hashes?: PackageHash[];
  /** Licence text as the lockfile states it (an SPDX expression when well-formed). */
  license?: string;
  /** PEP 508 environment marker, kept for reports. */
  marker?: string;
  extras?: string[];
}

/** 1-based line of the first occurrence of `needle` in `text`, or undefined. */
export function lineOf(text: string, needle: string, from = 0): number | undefined {
  const i = text.indexOf(needle, from);
  if (i < 0) return undefined;
  let line = 1;
  for (let j = text.indexOf("\n"); j !== -1 && j < i; j = text.indexOf("\n", j + 1)) line++;
  return line;
}

/** Line starts of a text, for many look-ups (binary search instead of rescanning). */
export function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/**
 * Line of the first occurrence of every key a regex captures (group `group`), in one pass: large
 * lockfiles have tens of thousands of keys, so per-key searches would be quadratic.
 */
export function keyLineMap(text: string, re: RegExp, group = 1): Map<string, number> {
  const at = lineIndex(text);
  const out = new Map<string, number>();
  const g = new RegExp(re.source, re.flags.includes("g") ? re.flags : `${re.flags}g`);
  for (let m = g.exec(text); m; m = g.exec(text)) {
    const key = m[group];
    if (key !== undefined && !out.has(key)) out.set(key, at(m.index));
    if (m[0].length === 0) g.lastIndex++;
  }
  return out;
}

export function invalid(file: string, message: string, line?: number): RampartError {
  return new RampartError("invalid-input", `${file}${line ? `:${line}` : ""}: ${message}`);
}

/** Subresource-integrity string (`sha512-<base64>`) to a CycloneDX hash. */
export function hashFromIntegrity(integrity: string | undefined): PackageHash[] {
  if (!integrity) return [];
  const out: PackageHash[] = [];
  for (const part of integrity.trim().split(/\s+/)) {
    const m = /^(sha1|sha256|sha384|sha512)-([A-Za-z0-9+/=]+)$/.exec(part);
    if (!m) continue;
    const alg = ({ sha1: "SHA-1", sha256: "SHA-256", sha384: "SHA-384", sha512: "SHA-512" } as const)[m[1] as "sha1"];
    out.push({ alg, content: Buffer.from(m[2]!, "base64").toString("hex") });
  }
  return out;
}

/** `sha256:<hex>` (pip, poetry, uv) or bare hex of known length to a CycloneDX hash. */
export function hashFromPrefixed(text: string): PackageHash | undefined {
  const m = /^(sha256|sha384|sha512|sha1|md5)[:=]([0-9a-fA-F]+)$/.exec(text.trim());
  if (!m) return undefined;
  const alg = ({ sha256: "SHA-256", sha384: "SHA-384", sha512: "SHA-512", sha1: "SHA-1", md5: "MD5" } as const)[m[1] as "sha256"];
  return { alg, content: m[2]!.toLowerCase() };
}

/** Package URL (purl spec) for a dependency. */
export function purlOf(d: Pick<Dependency, "ecosystem" | "name" | "version">): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%40/g, "@");
  const version = d.version ? `@${encodeURIComponent(d.version)}` : "";
  if (d.ecosystem === "npm") {
    // Scoped names: the scope is the namespace, `@` percent-encoded.
    const m = /^(@[^/]+)\/(.+)$/.exec(d.name);
    return m ? `pkg:npm/${encodeURIComponent(m[1]!)}/${enc(m[2]!)}${version}` : `pkg:npm/${enc(d.name)}${version}`;
  }
  if (d.ecosystem === "PyPI") return `pkg:pypi/${enc(d.name.toLowerCase().replace(/[-_.]+/g, "-"))}${version}`;
  if (d.ecosystem === "Maven") {
    const [group, artifact] = d.name.split(":");
    return `pkg:maven/${enc(group!)}/${enc(artifact ?? "")}${version}`;
  }
  // Go: the module path's segments are namespace/name, each encoded.
  if (d.ecosystem === "Go") return `pkg:golang/${d.name.split("/").map(enc).join("/")}${version}`;
  if (d.ecosystem === "crates.io") return `pkg:cargo/${enc(d.name)}${version}`;
  return `pkg:conda/${enc(d.name.toLowerCase())}${version}`;
}

/** A parsed mapping (JSON object, YAML mapping, TOML table) from a lockfile or manifest. */
export type Table = Record<string, unknown>;
export const isTable = (v: unknown): v is Table => typeof v === "object" && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** Parses a YAML lockfile or manifest whose top level must be a mapping; errors name the file and line. */
export function readYamlMapping(text: string, file: string, expected = "expected a YAML mapping"): Table {
  let doc: unknown;
  try {
    doc = parseYamlValue(text, 1000);
  } catch (e) {
    const line = (e as { line?: number }).line;
    throw invalid(file, `not valid YAML (${(e as Error).message.split("\n")[0]})`, line);
  }
  if (!isTable(doc)) throw invalid(file, expected);
  return doc;
}
