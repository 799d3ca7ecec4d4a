import { type Dependency, invalid, isTable, str } from "../types.js";
import { readToml } from "./python.js";

/**
 * Cargo.lock (versions 1–4): `[[package]]` entries with name, version, source and checksum (the
 * sha256 of the .crate file, so a real package hash). Entries without a source are the workspace's
 * own crates; git and path sources are kept with their source but are not from crates.io.
 */
export function parseCargoLock(text: string, file: string): Dependency[] {
  const doc = readToml(text, file);
  const packages = doc.package;
  if (packages === undefined) return [];
  if (!Array.isArray(packages)) throw invalid(file, "[[package]] must be an array of tables");
  const lines = new Map<string, number>();
  const re = /^\[\[package\]\]\s*\r?\nname\s*=\s*"([^"]+)"\s*\r?\nversion\s*=\s*"([^"]+)"/gm;
  let line = 1;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    for (let j = text.indexOf("\n", last); j !== -1 && j < m.index; j = text.indexOf("\n", j + 1)) line++;
    last = m.index;
    lines.set(`${m[1]}@${m[2]}`, line);
  }
  // Older locks keep checksums in a [metadata] table: "checksum NAME VERSION (SOURCE)" = "hex".
  const metadata = isTable(doc.metadata) ? doc.metadata : {};
  const out: Dependency[] = [];
  packages.forEach((p, i) => {
    if (!isTable(p)) throw invalid(file, `[[package]] #${i + 1} is not a table`);
    const name = str(p.name);
    const version = str(p.version);
    if (!name || !version) throw invalid(file, `[[package]] #${i + 1} needs a name and a version`, lines.get(`${name}@${version}`));
    const source = str(p.source);
    if (!source) return; // a workspace member, not a dependency
    const checksum = str(p.checksum) ?? str(metadata[`checksum ${name} ${version} (${source})`]);
    const registry = source.startsWith("registry+");
    out.push({
      ecosystem: "crates.io",
      name,
      version,
      file,
      ...(lines.get(`${name}@${version}`) ? { line: lines.get(`${name}@${version}`) } : {}),
      ...(registry ? {} : { source }),
      ...(checksum && /^[0-9a-f]{64}$/.test(checksum) ? { hashes: [{ alg: "SHA-256" as const, content: checksum }] } : {}),
    });
  });
  return out;
}
