/**
 * Precision/recall of `rampart scan code` (and Bandit) on the session-21 held-out set: RealVuln (kolega-ai/
 * Real-Vuln-Benchmark), hand-labelled vulnerabilities and false-positive traps in intentionally vulnerable Python web
 * applications. Each `ground-truth/<repo-id>/ground-truth.json` names an application at a pinned commit and lists
 * entries `{file, location.start_line/end_line, primary_cwe, acceptable_cwes, is_vulnerable}`; `is_vulnerable: false`
 * marks code that looks dangerous but is safe. Both labels come from the corpus (its authors' manual review).
 *
 *   npx tsx bench/eval-code-realvuln.ts --gt <Real-Vuln-Benchmark git dir> --targets <dir> --work <scratch dir> [--bandit | --list]
 *
 * `--targets` holds one git directory per application, named `<owner>+<name>` (or `<owner>+<name>/repo`) after the
 * manifest's repository URL. Each application is written out at its pinned commit (`git archive`) into the scratch
 * folder; nothing of the corpus is committed and nothing of it is executed. The mapping, unit rules and scoring below
 * were written and committed (session 21) before either tool ran on any application, from the ground-truth files'
 * fields (class, CWEs, file, lines) and the corpus's scorer (`scorer/matcher.py`); no application's code was read.
 *
 * Applications: the 14 of the manifest whose pinned commit is in the snapshot that could be had here (APPS below).
 * Left out: 9 whose repository has no snapshot here, and DjanGoat, DSVW and ThreatByte, whose snapshots lack the
 * pinned commit (the labels' line numbers hold only at that commit).
 *
 * Families (a CWE → Rampart category table, FAMILY below). An entry *belongs* to a category when its `primary_cwe` is
 * in that category's list; entries whose primary CWE is in no list (XSS, SSRF, weak hashing and randomness, access
 * control, CSRF, XXE, denial of service, …) are not units: Rampart has no rule family for them. Entries in files
 * other than `.py` (templates, configuration) are not units: `scan code` reads Python and notebooks only.
 *
 * Scoring, the corpus's own matching (`scorer/matcher.py`: file + CWE + line within [start − 10, end + 10], each entry
 * claimed once, vulnerable entries preferred), with the CWE test made at the family level (the corpus groups CWEs into
 * families for the same reason: tools name neighbouring CWEs): a finding of category C may claim an unclaimed entry of
 * the same file whose `acceptable_cwes` include a CWE of C's list, within the line window. Findings are taken in file
 * and line order; among candidates a vulnerable entry first, then a unit, then the corpus's order.
 * - a finding that claims a vulnerable unit: true positive (the unit is found);
 * - a finding that claims a trap (`is_vulnerable: false`): false positive;
 * - a finding that claims no entry (none in reach, or all claimed): false positive — the corpus's rule ("unmatched
 *   scanner findings are scored as false positives"); this makes the headline precision strict: any finding of a
 *   counted category outside the labels costs;
 * - a finding that claims a vulnerable entry that is not a unit (primary CWE outside the families, an acceptable CWE
 *   inside): counted apart, neither true nor false.
 * Side row ("labelled only"): the same claims, but unmatched findings not counted — precision over labelled entries.
 * Every severity and confidence counts (a `low` finding too), both tools, as every harness since session 5.
 * Counted categories: a Rampart rule's category from eval-code-categories.ts's RAMPART table, with
 * `code.archive-extraction` and `code.path-traversal` both as `path` (CWE-22); Bandit's from its BANDIT table, with
 * B202 (tarfile) as `path`. Other rules (downloads, autoescape, weak TLS versions, …) are not counted.
 * Files scanned: every `.py` file of the application at its commit outside Rampart's skipped folders (SKIPPED_DIRS);
 * Rampart scans the application's root (so cross-file facts hold) and only its findings in those files count; Bandit
 * is given the same file list.
 */

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { SKIPPED_DIRS, scanCode } from "../src/scan/code/index.js";
import { BANDIT, banditHits, type Category, RAMPART } from "./eval-code-categories.js";

/** The ground truth's commit (Real-Vuln-Benchmark HEAD when declared). */
const GT_COMMIT = "cf263ea5acb8065e0bae61c19a3b232fa059fa0b";

/** The applications scored (repo-id suffix after `realvuln-`), each at the manifest's pinned commit. */
export const APPS = [
  "damn-vulnerable-graphql-application",
  "dsvpwa",
  "dvblab",
  "dvpwa",
  "extremely-vulnerable-flask-app",
  "flask-xss",
  "lets-be-bad-guys",
  "pygoat",
  "pythonssti",
  "vampi",
  "vfapi",
  "vulnerable-flask-app",
  "vulnpy",
  "vulpy",
];

type Family = Category | "path";

/**
 * CWE numbers of each counted family. sql: SQL injection (89) and its ORM form (564); NoSQL (943) is not SQL.
 * shell: OS command injection (78, 77); argument injection (88) is not a shell. exec: code injection (94, 95) and
 * template injection (1336), Rampart's eval/exec and template rules. deser: 502. cred: hard-coded credentials (798,
 * 259) and hard-coded keys (321, Rampart's crypto-key rule). tls: certificate validation (295). debug: active debug
 * code (489), debug information exposed (215), a server bound to every interface (605, 668, 1327). path: path traversal
 * (22, 23, 36), Rampart's path-traversal and archive-extraction rules.
 */
export const FAMILY: Record<Family, readonly number[]> = {
  sql: [89, 564],
  shell: [78, 77],
  exec: [94, 95, 1336],
  deser: [502],
  cred: [798, 259, 321],
  tls: [295],
  debug: [489, 215, 605, 668, 1327],
  path: [22, 23, 36],
  archive: [],
  download: [],
};

/** Rampart rule → counted family (RAMPART, with the two CWE-22 rules as `path`; downloads not counted). */
function rampartFamily(ruleId: string): Family | undefined {
  if (ruleId === "code.path-traversal" || ruleId === "code.archive-extraction") return "path";
  const c = RAMPART[ruleId];
  return c === "download" ? undefined : c;
}

/** Bandit test → counted family (BANDIT, with B202 tarfile as `path`; B615 downloads not counted). */
function banditFamily(id: string): Family | undefined {
  if (id === "B202") return "path";
  const c = BANDIT[id];
  return c === "download" || c === "archive" ? undefined : c;
}

function familiesOf(cwes: readonly string[]): Family[] {
  const n = new Set(cwes.map((c) => Number(c.replace(/^CWE-/, ""))));
  return (Object.keys(FAMILY) as Family[]).filter((f) => FAMILY[f].some((x) => n.has(x)));
}

export interface Entry {
  app: string;
  id: string;
  file: string;
  start: number;
  end: number;
  vulnerable: boolean;
  /** The family of the primary CWE, when it has one: the entry is then a unit. */
  family: Family | undefined;
  /** Families a finding may claim it with (from `acceptable_cwes`). */
  claimable: Family[];
}

interface Finding {
  app: string;
  file: string;
  line: number;
  family: Family;
  id: string;
}

function git(dir: string, args: readonly string[]): string {
  return execFileSync("git", ["--git-dir", dir, ...args], { encoding: "utf8", maxBuffer: 256 << 20 });
}

interface GroundTruth {
  repo_url: string;
  commit_sha: string;
  findings: Array<{
    id: string;
    file: string;
    is_vulnerable: boolean;
    primary_cwe: string;
    acceptable_cwes?: string[];
    location?: { start_line?: number; end_line?: number };
  }>;
}

function normalise(path: string): string {
  return path
    .replace(/\\/g, "/")
    .replace(/^(\.\/)+/, "")
    .replace(/^\/+/, "");
}

function targetDir(targets: string, url: string): string {
  const name = url
    .replace(/^https:\/\/github\.com\//, "")
    .replace(/\.git$/, "")
    .replace("/", "+");
  for (const d of [join(targets, name, "repo"), join(targets, name)]) if (existsSync(d)) return d;
  throw new Error(`no git directory for ${url} under ${targets}`);
}

/** Python files of a tree (at a commit) outside Rampart's skipped folders. */
function pythonFiles(dir: string, commit: string): string[] {
  return git(dir, ["ls-tree", "-r", "--name-only", commit])
    .split("\n")
    .filter((f) => f.endsWith(".py") && !f.split("/").some((p) => SKIPPED_DIRS.has(p)));
}

export function claim(findings: Finding[], entries: readonly Entry[]): { tp: Finding[]; trap: Finding[]; unmatched: Finding[]; apart: Finding[]; found: Set<string> } {
  const claimed = new Set<string>();
  const out = { tp: [] as Finding[], trap: [] as Finding[], unmatched: [] as Finding[], apart: [] as Finding[], found: new Set<string>() };
  const sorted = [...findings].sort((a, b) => a.app.localeCompare(b.app) || a.file.localeCompare(b.file) || a.line - b.line || a.family.localeCompare(b.family));
  for (const f of sorted) {
    const candidates = entries
      .map((e, order) => ({ e, order }))
      .filter(({ e }) => !claimed.has(e.id) && e.app === f.app && e.file === f.file && e.claimable.includes(f.family) && f.line >= e.start - 10 && f.line <= e.end + 10);
    candidates.sort((a, b) => Number(b.e.vulnerable) - Number(a.e.vulnerable) || Number(b.e.family !== undefined) - Number(a.e.family !== undefined) || a.order - b.order);
    const best = candidates[0]?.e;
    if (!best) {
      out.unmatched.push(f);
      continue;
    }
    claimed.add(best.id);
    if (!best.vulnerable) out.trap.push(f);
    else if (best.family === undefined) out.apart.push(f);
    else {
      out.tp.push(f);
      out.found.add(best.id);
    }
  }
  return out;
}

function score(tool: string, findings: Finding[], entries: readonly Entry[]): string[] {
  const units = entries.filter((e) => e.family !== undefined);
  const vulnerable = units.filter((e) => e.vulnerable);
  const traps = units.filter((e) => !e.vulnerable);
  const r = claim(findings, entries);
  const tp = r.found.size;
  const fp = r.trap.length + r.unmatched.length;
  const ratio = (a: number, b: number) => (b ? (a / b).toFixed(3) : "n/a");
  const byFamily = new Map<string, { n: number; tp: number; traps: number; trapHits: number; unmatched: number }>();
  const fam = (k: string) => byFamily.get(k) ?? byFamily.set(k, { n: 0, tp: 0, traps: 0, trapHits: 0, unmatched: 0 }).get(k)!;
  for (const e of vulnerable) {
    const t = fam(e.family as string);
    t.n++;
    if (r.found.has(e.id)) t.tp++;
  }
  for (const e of traps) fam(e.family as string).traps++;
  for (const f of r.trap) fam(f.family).trapHits++;
  for (const f of r.unmatched) fam(f.family).unmatched++;
  const where = (f: Finding) => `${f.app}/${f.file}:${f.line} ${f.id}`;
  return [
    `| ${tool} | ${vulnerable.length} | ${traps.length} | ${tp} | ${r.trap.length} + ${r.unmatched.length} | ${ratio(tp, tp + fp)} | ${ratio(tp, vulnerable.length)} | ${ratio(tp, tp + r.trap.length)} |`,
    `  by family (found/vulnerable, traps hit/traps, unmatched findings): ${[...byFamily]
      .sort()
      .map(([k, v]) => `${k} ${v.tp}/${v.n} traps ${v.trapHits}/${v.traps} unmatched ${v.unmatched}`)
      .join("; ")}`,
    `  claimed a non-unit vulnerable entry (not counted): ${r.apart.map(where).join(" ") || "none"}`,
    `  missed: ${
      vulnerable
        .filter((e) => !r.found.has(e.id))
        .map((e) => `${e.id}(${e.family} ${e.file}:${e.start})`)
        .join(" ") || "none"
    }`,
    `  traps hit: ${r.trap.map(where).join(" ") || "none"}`,
    `  unmatched: ${r.unmatched.map(where).join(" ") || "none"}`,
  ];
}

function option(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const gt = option(args, "--gt");
  const targets = option(args, "--targets");
  const work = option(args, "--work");
  if (!gt || !targets || !work) {
    console.error("usage: npx tsx bench/eval-code-realvuln.ts --gt <Real-Vuln-Benchmark git dir> --targets <dir> --work <scratch dir> [--bandit | --list]");
    process.exit(2);
  }
  const entries: Entry[] = [];
  const apps: Array<{ app: string; root: string; files: string[] }> = [];
  let dropped = { otherFile: 0, notInTree: 0 };
  for (const app of APPS) {
    const truth = JSON.parse(git(gt, ["show", `${GT_COMMIT}:ground-truth/realvuln-${app}/ground-truth.json`])) as GroundTruth;
    const dir = targetDir(targets, truth.repo_url);
    const files = pythonFiles(dir, truth.commit_sha);
    const inTree = new Set(files);
    for (const f of truth.findings) {
      const file = normalise(f.file);
      if (!file.endsWith(".py")) {
        dropped = { ...dropped, otherFile: dropped.otherFile + 1 };
        continue;
      }
      const claimable = familiesOf(f.acceptable_cwes ?? [f.primary_cwe]);
      if (!claimable.length) continue;
      if (!inTree.has(file)) {
        dropped = { ...dropped, notInTree: dropped.notInTree + 1 };
        continue;
      }
      const start = f.location?.start_line ?? 0;
      entries.push({ app, id: f.id, file, start, end: f.location?.end_line ?? start, vulnerable: f.is_vulnerable, family: familiesOf([f.primary_cwe])[0], claimable });
    }
    const root = join(work, app);
    if (!args.includes("--list")) {
      rmSync(root, { recursive: true, force: true });
      mkdirSync(root, { recursive: true });
      execFileSync("sh", ["-c", 'git --git-dir="$1" archive "$2" | tar -x -C "$3"', "sh", dir, truth.commit_sha, root]);
    }
    apps.push({ app, root, files });
  }
  const units = entries.filter((e) => e.family !== undefined);
  console.log(`Real-Vuln-Benchmark ${GT_COMMIT}; ${apps.length} applications, ${apps.reduce((n, a) => n + a.files.length, 0)} Python files`);
  console.log(
    `units: ${units.filter((e) => e.vulnerable).length} vulnerable, ${units.filter((e) => !e.vulnerable).length} traps; entries outside the families but claimable: ${entries.length - units.length}; left out: ${JSON.stringify(dropped)}`,
  );
  for (const f of Object.keys(FAMILY)) {
    const n = (v: boolean) => units.filter((e) => e.family === f && e.vulnerable === v).length;
    if (n(true) + n(false)) console.log(`  ${f}: ${n(true)} vulnerable, ${n(false)} traps`);
  }
  if (args.includes("--list")) {
    for (const e of entries) console.log(`${e.id} ${e.app}/${e.file}:${e.start}-${e.end} ${e.vulnerable ? "vulnerable" : "trap"} ${e.family ?? "-"} [${e.claimable.join(",")}]`);
    return;
  }
  console.log("| tool | vulnerable units | traps | true positives | false positives (traps + unmatched) | precision | recall | precision, labelled only |");
  console.log("|---|---|---|---|---|---|---|---|");
  const rampart: Finding[] = [];
  for (const a of apps) {
    const wanted = new Set(a.files);
    const r = await scanCode(a.root, { workers: 1 });
    for (const x of r.findings) {
      const family = rampartFamily(x.ruleId);
      const file = normalise(x.location?.file ?? "");
      const rel = wanted.has(file) ? file : normalise(relative(a.root, file));
      if (family && wanted.has(rel)) rampart.push({ app: a.app, file: rel, line: x.location?.line ?? 0, family, id: x.ruleId });
    }
  }
  for (const l of score("rampart", rampart, entries)) console.log(l);
  if (!args.includes("--bandit")) return;
  const bandit: Finding[] = [];
  let version = "";
  const errors: string[] = [];
  for (const a of apps) {
    const b = banditHits(a.root, a.files);
    version = b.version;
    errors.push(...b.errors.map((e) => `${a.app}/${e}`));
    for (const h of b.hits) {
      const family = banditFamily(h.id);
      if (family) bandit.push({ app: a.app, file: h.file, line: h.line, family, id: h.id });
    }
  }
  for (const l of score(`bandit ${version}`, bandit, entries)) console.log(l);
  console.log(`  bandit could not parse ${errors.length} files: ${errors.join(" ")}`);
}

if (process.argv[1]?.endsWith("eval-code-realvuln.ts")) await main();
