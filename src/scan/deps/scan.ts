import { opendir, readFile, stat } from "node:fs/promises";
import { basename, dirname, join, posix, relative, resolve, sep } from "node:path";
import { type CheckResult, type Finding, fileError, isRampartError, RampartError, registerRules, type Subject, sha256Hex, tag, VERSION } from "../../core/index.js";
import type { AdvisorySource } from "./db.js";
import { analyzerFor, type LockfileAnalyzer, locksBeside, npmLockBeside } from "./lockfiles/index.js";
import { type AdvisoryMatch, matchAdvisory, normalizePackageName, versionOrder } from "./osv.js";
import type { Dependency } from "./types.js";

registerRules([
  {
    id: "deps.vulnerable",
    title: "A dependency version is affected by a known vulnerability",
    description: "The locked or pinned version falls inside an OSV advisory's affected ranges or versions list.",
    help: "Upgrade to a fixed version named in the finding, or remove the dependency.",
    defaultSeverity: "high",
    tags: [tag.cwe(1395), tag.owaspMl("ML06"), tag.owaspLlm("LLM03"), tag.atlas("AML.T0010")],
  },
  {
    id: "deps.unpinned",
    title: "A dependency is not pinned to an exact version",
    description:
      "A range or a moving git/URL reference installs whatever is newest at install time, so builds are not reproducible and a compromised release is picked up silently.",
    help: "Pin with == (pip) or commit a lockfile (poetry.lock, uv.lock, package-lock.json, …); pin git sources to a commit.",
    defaultSeverity: "low",
    tags: [tag.cwe(1357), tag.owaspMl("ML06"), tag.atlas("AML.T0010")],
  },
  {
    id: "deps.parse-error",
    title: "A dependency file could not be read",
    description: "A file we could not parse is not a clean file: its dependencies were not checked.",
    help: "Fix the syntax error named in the message.",
    defaultSeverity: "medium",
  },
]);

/** Folders that hold installed or generated code, not the project's declarations. */
const SKIP_DIRS = new Set(["node_modules", ".git", ".hg", ".svn", ".venv", "venv", "__pycache__", ".rampart", "site-packages", ".tox", ".nox", ".mypy_cache", ".pytest_cache"]);
/** Lockfiles larger than this are refused (a real one is a few MiB). */
export const MAX_LOCKFILE_BYTES = 64 << 20;

export interface ParsedFile {
  /** Relative to the root, `/` separators. */
  file: string;
  analyzer: LockfileAnalyzer;
  sha256: string;
  dependencies: Dependency[];
  /** Set when the file could not be parsed. */
  error?: string;
}

/** Finds dependency files under `path` (or takes `path` itself when it is one) and parses each. */
export async function collectDependencies(path: string): Promise<{ root: string; files: ParsedFile[] }> {
  const abs = resolve(path);
  let info: import("node:fs").Stats;
  try {
    info = await stat(abs);
  } catch (e) {
    throw fileError(path, e);
  }
  const root = info.isDirectory() ? abs : dirname(abs);
  const rels: string[] = [];
  if (info.isDirectory()) await walk(root, root, rels);
  else {
    const rel = basename(abs);
    if (!analyzerFor(rel))
      throw new RampartError(
        "usage",
        `${path}: not a dependency file rampart reads (requirements*.txt, pyproject.toml, poetry.lock, uv.lock, Pipfile.lock, environment.yml, package.json, package-lock.json, pnpm-lock.yaml, yarn.lock)`,
      );
    rels.push(rel);
  }
  // Requirements files that others include are parsed through their includer, once: plain names
  // before constraints files, shallow before deep.
  const isConstraints = (r: string) => /(^|\/)constraints[^/]*$/.test(r);
  rels.sort((a, b) => Number(isConstraints(a)) - Number(isConstraints(b)) || a.split("/").length - b.split("/").length || (a < b ? -1 : a > b ? 1 : 0));
  const visited = new Set<string>();
  const reader = {
    visited,
    async read(rel: string): Promise<string> {
      const full = join(root, ...rel.split("/"));
      return readBounded(full, rel);
    },
  };
  const files: ParsedFile[] = [];
  const present = new Set(rels);
  for (const rel of rels) {
    const analyzer = analyzerFor(rel)!;
    // A lock beside package.json already lists its dependencies, resolved.
    if (analyzer.type === "package.json" && npmLockBeside(rel, present)) continue;
    // go.mod (Go 1.17+) lists every module the build uses; go.sum also keeps hashes of versions no longer used.
    if (analyzer.type === "go.sum" && present.has(posix.join(posix.dirname(rel), "go.mod"))) continue;
    if (analyzer.type === "requirements" && visited.has(rel)) continue;
    const text = await readBounded(join(root, ...rel.split("/")), rel);
    const parsed: ParsedFile = { file: rel, analyzer, sha256: sha256Hex(text), dependencies: [] };
    try {
      parsed.dependencies = await analyzer.parse(text, rel, reader);
    } catch (e) {
      // A single named file that cannot be read is a usage error; in a tree it is a finding.
      if (!info.isDirectory()) throw e;
      if (!isRampartError(e)) throw e;
      parsed.error = e.message;
    }
    files.push(parsed);
  }
  files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  // A manifest whose versions a lock beside it pins is not "unpinned".
  for (const f of files) if (f.analyzer.type === "pyproject" && locksBeside(f.file, present)) for (const d of f.dependencies) d.unpinned = false;
  return { root, files };
}

async function readBounded(full: string, rel: string): Promise<string> {
  let size: number;
  try {
    size = (await stat(full)).size;
  } catch (e) {
    throw fileError(rel, e);
  }
  if (size > MAX_LOCKFILE_BYTES) throw new RampartError("limit", `${rel}: ${size} bytes is larger than a dependency file may be (${MAX_LOCKFILE_BYTES})`);
  try {
    return await readFile(full, "utf8");
  } catch (e) {
    throw fileError(rel, e);
  }
}

async function walk(root: string, dir: string, out: string[]): Promise<void> {
  let handle: import("node:fs").Dir;
  try {
    handle = await opendir(dir);
  } catch (e) {
    throw fileError(dir, e);
  }
  for await (const d of handle) {
    if (d.isDirectory()) {
      if (!SKIP_DIRS.has(d.name)) await walk(root, join(dir, d.name), out);
    } else if (d.isFile()) {
      const rel = relative(root, join(dir, d.name)).split(sep).join("/");
      if (analyzerFor(rel)) out.push(rel);
    }
  }
}

export interface ScanDepsOptions {
  /** Flag dependencies that are not pinned (default true). */
  unpinned?: boolean;
  /** Include dev dependencies (default true). */
  dev?: boolean;
}

/** The `scan-deps` check: every dependency file under `path`, matched against the advisory source. */
export async function scanDeps(path: string, advisories: AdvisorySource, options: ScanDepsOptions = {}): Promise<CheckResult> {
  const advisoryCount = await advisories.count();
  if (advisoryCount === 0) throw new RampartError("not-found", "no advisories in the store; run `rampart db import PATH` with an OSV export (a folder or .zip of OSV JSON) first");
  const { files } = await collectDependencies(path);
  return matchDependencies(files, advisories, { ...options, advisoryCount });
}

export async function matchDependencies(
  files: readonly ParsedFile[],
  advisories: AdvisorySource,
  options: ScanDepsOptions & { advisoryCount?: number } = {},
): Promise<CheckResult> {
  const findings: Finding[] = [];
  const subjects: Subject[] = files.map((f) => ({ name: f.file, digest: { sha256: f.sha256 } }));
  const deps = files.flatMap((f) => f.dependencies).filter((d) => options.dev !== false || !d.dev);
  for (const f of files) {
    if (!f.error) continue;
    const m = /^[^:]+:(\d+):/.exec(f.error);
    findings.push({
      ruleId: "deps.parse-error",
      severity: "medium",
      message: f.error,
      location: { file: f.file, ...(m ? { line: Number(m[1]) } : {}) },
      remediation: "Fix the file so its dependencies can be checked.",
    });
  }
  // One look-up per ecosystem for all names.
  const byEco = new Map<string, Set<string>>();
  for (const d of deps) if (d.version && d.ecosystem !== "conda") byEco.set(d.ecosystem, (byEco.get(d.ecosystem) ?? new Set()).add(normalizePackageName(d.ecosystem, d.name)));
  const found = new Map<string, Map<string, import("./osv.js").OsvAdvisory[]>>();
  for (const [eco, names] of byEco) found.set(eco, await advisories.lookup(eco, [...names]));
  const vulnerable = new Set<string>();
  let unpinned = 0;
  for (const d of deps) {
    if (d.unpinned && options.unpinned !== false) {
      unpinned++;
      findings.push(unpinnedFinding(d));
    }
    if (!d.version || d.ecosystem === "conda") continue;
    const candidates = found.get(d.ecosystem)?.get(normalizePackageName(d.ecosystem, d.name)) ?? [];
    for (const adv of candidates) {
      const match = matchAdvisory(adv, d.ecosystem, d.name, d.version);
      if (!match) continue;
      vulnerable.add(`${d.ecosystem}/${d.name}@${d.version}`);
      findings.push(vulnerableFinding(d, match));
    }
  }
  const unique = new Set(deps.map((d) => `${d.ecosystem}/${normalizePackageName(d.ecosystem, d.name)}@${d.version ?? d.spec ?? ""}`));
  const perEco: Record<string, number> = {};
  for (const d of deps) perEco[`packages.${d.ecosystem}`] = (perEco[`packages.${d.ecosystem}`] ?? 0) + 1;
  return {
    check: "scan-deps",
    version: VERSION,
    subjects,
    findings,
    metrics: {
      files: files.length,
      dependencies: deps.length,
      packages: unique.size,
      vulnerablePackages: vulnerable.size,
      vulnerabilities: findings.filter((f) => f.ruleId === "deps.vulnerable").length,
      unpinned,
      parseErrors: files.filter((f) => f.error).length,
      ...(options.advisoryCount !== undefined ? { advisories: options.advisoryCount } : {}),
      ...perEco,
    },
  };
}

function unpinnedFinding(d: Dependency): Finding {
  const what = d.source ? `comes from ${d.source} without a fixed commit or version` : d.spec ? `is constrained only by "${d.spec}"` : "has no version constraint";
  return {
    ruleId: "deps.unpinned",
    severity: "low",
    message: `${d.name} (${d.ecosystem}) ${what}`,
    location: { file: d.file, ...(d.line ? { line: d.line } : {}) },
    entity: d.name,
    evidence: { ecosystem: d.ecosystem, package: d.name, ...(d.spec ? { spec: d.spec } : {}), ...(d.source ? { source: d.source } : {}) },
    remediation: d.ecosystem === "PyPI" ? `Pin ${d.name}==<version> (with --hash) or commit a lockfile.` : `Pin ${d.name} to an exact version or commit a lockfile.`,
    tags: [tag.cwe(1357), tag.owaspMl("ML06")],
  };
}

function vulnerableFinding(d: Dependency, m: AdvisoryMatch): Finding {
  const adv = m.advisory;
  const cve = adv.aliases?.find((a) => a.startsWith("CVE-"));
  const upgrade = nextFixed(d, m.fixed);
  const title = adv.summary ?? adv.details?.split("\n")[0]?.slice(0, 160) ?? "";
  return {
    ruleId: "deps.vulnerable",
    severity: m.severity,
    message: `${d.name} ${d.version} is affected by ${adv.id}${cve ? ` (${cve})` : ""}${title ? `: ${title}` : ""}${upgrade ? `; fixed in ${upgrade}` : "; no fixed version"}`,
    location: { file: d.file, ...(d.line ? { line: d.line } : {}) },
    entity: adv.id,
    evidence: {
      ecosystem: d.ecosystem,
      package: d.name,
      version: d.version,
      advisory: adv.id,
      aliases: adv.aliases ?? [],
      ...(m.score !== undefined ? { cvssScore: m.score, cvssVector: m.vector, cvss: m.scores } : {}),
      fixedVersions: m.fixed,
      ...(d.dev ? { dev: true } : {}),
      references: (adv.references ?? []).slice(0, 5).map((r) => r.url),
    },
    remediation: upgrade ? `Upgrade ${d.name} to ${upgrade} or later.` : `No fixed release is published: replace ${d.name}, or mitigate as the advisory describes.`,
    tags: [tag.cwe(1395), tag.owaspMl("ML06"), tag.owaspLlm("LLM03"), tag.atlas("AML.T0010")],
  };
}

/** The lowest fixed version above the installed one (fixes in other branches are not upgrades). */
function nextFixed(d: Dependency, fixed: readonly string[]): string | undefined {
  const order = versionOrder(d.ecosystem, "ECOSYSTEM");
  if (!order || !d.version) return fixed[0];
  const current = order.parse(d.version);
  if (current === undefined) return fixed[0];
  for (const f of fixed) {
    const v = order.parse(f);
    if (v !== undefined && order.compare(v, current) > 0) return f;
  }
  return undefined;
}
