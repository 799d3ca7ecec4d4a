import { opendir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { normalizePackageName } from "../scan/deps/index.js";

/**
 * Licences of installed packages, read from the metadata installers leave behind:
 * `node_modules/<name>/package.json` (`license`, or the legacy `licenses[].type`) and Python
 * `*.dist-info/METADATA` (`License-Expression` from metadata 2.4, else `License`, else trove classifiers).
 * Metadata is parsed as data only; nothing installed is executed.
 */

const MAX_METADATA_BYTES = 4 << 20;

async function readSmall(path: string): Promise<string | undefined> {
  try {
    const info = await stat(path);
    if (!info.isFile() || info.size > MAX_METADATA_BYTES) return undefined;
    return await readFile(path, "utf8");
  } catch {
    return undefined;
  }
}

/** The licence an installed npm package declares, if its package.json is under `dir/node_modules`. */
export async function npmInstalledLicense(dir: string, name: string): Promise<string | undefined> {
  if (name.includes("..") || name.startsWith("/")) return undefined;
  const text = await readSmall(join(dir, "node_modules", ...name.split("/"), "package.json"));
  if (!text) return undefined;
  try {
    const pkg = JSON.parse(text) as { license?: unknown; licenses?: unknown };
    if (typeof pkg.license === "string") return pkg.license;
    if (pkg.license && typeof pkg.license === "object" && typeof (pkg.license as { type?: unknown }).type === "string") return (pkg.license as { type: string }).type;
    if (Array.isArray(pkg.licenses)) {
      const types = pkg.licenses.map((l) => (l && typeof l === "object" ? (l as { type?: unknown }).type : undefined)).filter((t): t is string => typeof t === "string");
      if (types.length) return types.length === 1 ? types[0] : `(${types.join(" OR ")})`;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

export interface PythonDist {
  name: string;
  version?: string;
  license?: string;
}

/** Parses core metadata (RFC 822 style headers, the body after the first blank line ignored). */
export function parseCoreMetadata(text: string): PythonDist | undefined {
  const headers = new Map<string, string[]>();
  let last: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line === "") break;
    if (/^[ \t]/.test(line) && last) {
      const list = headers.get(last)!;
      list[list.length - 1] += `\n${line.trim()}`;
      continue;
    }
    const m = /^([A-Za-z0-9-]+):\s?(.*)$/.exec(line);
    if (!m) continue;
    last = m[1]!.toLowerCase();
    headers.set(last, [...(headers.get(last) ?? []), m[2]!]);
  }
  const name = headers.get("name")?.[0]?.trim();
  if (!name) return undefined;
  const expr = headers.get("license-expression")?.[0]?.trim();
  const lic = headers.get("license")?.[0]?.trim();
  const classifiers = (headers.get("classifier") ?? []).filter((c) => c.startsWith("License ::") && c !== "License :: OSI Approved");
  // A long License field is usually the whole licence text: classifiers say more in one line.
  let license = expr || (lic && lic !== "UNKNOWN" && !lic.includes("\n") && lic.length <= 100 ? lic : undefined);
  if (!license && classifiers.length) license = classifiers.length === 1 ? classifiers[0] : classifiers.join(" OR ");
  return { name, version: headers.get("version")?.[0]?.trim(), license };
}

/**
 * Finds `site-packages` folders of virtual environments under `root` (.venv, venv, env and
 * conda-style `lib/pythonX.Y/site-packages`) and reads every `*.dist-info/METADATA`.
 */
export async function pythonInstalledLicenses(root: string): Promise<Map<string, PythonDist>> {
  const out = new Map<string, PythonDist>();
  const candidates: string[] = [];
  for (const env of [".venv", "venv", "env", ".env", ".conda"]) {
    for (const lib of ["lib", "lib64"]) {
      const libDir = join(root, env, lib);
      try {
        for await (const d of await opendir(libDir)) if (d.isDirectory() && /^python\d/.test(d.name)) candidates.push(join(libDir, d.name, "site-packages"));
      } catch {
        // no such environment
      }
    }
    candidates.push(join(root, env, "Lib", "site-packages"));
  }
  for (const site of candidates) {
    let dir: import("node:fs").Dir;
    try {
      dir = await opendir(site);
    } catch {
      continue;
    }
    for await (const d of dir) {
      if (!d.isDirectory() || !d.name.endsWith(".dist-info")) continue;
      const text = await readSmall(join(site, d.name, "METADATA"));
      const dist = text ? parseCoreMetadata(text) : undefined;
      if (dist) out.set(normalizePackageName("PyPI", dist.name), dist);
    }
  }
  return out;
}
