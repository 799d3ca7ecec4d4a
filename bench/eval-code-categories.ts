/** What both code-evaluation harnesses share: the scored categories, each tool's ids in them, and running the tools. */
import { execFileSync } from "node:child_process";
import { join, relative } from "node:path";
import { scanCode } from "../src/scan/code/index.js";

export type Category = "deser" | "exec" | "shell" | "tls" | "archive" | "cred" | "download" | "debug" | "sql";

/** A finding of a counted category: file relative to the corpus root, line span, rule or test id. */
export interface Hit {
  file: string;
  line: number;
  endLine: number;
  category: Category;
  id: string;
}

export const RAMPART: Record<string, Category> = {
  "code.unsafe-deserialization": "deser",
  "code.torch-load-unsafe": "deser",
  "code.numpy-allow-pickle": "deser",
  "code.yaml-unsafe-load": "deser",
  "code.keras-unsafe-load": "deser",
  "code.trust-remote-code": "exec",
  "code.eval-exec": "exec",
  "code.logging-listen": "exec", // session 16: logging.config.listen runs the configuration it receives (CWE-94)
  "code.agent-code-execution": "exec", // session 15: an agent set to run model-written code (Sonar S7698's family)
  "code.template-injection": "exec", // session 10: template text from data runs as code (CWE-1336, a kind of CWE-94)
  "code.shell-injection": "shell",
  "code.tls-verify-disabled": "tls",
  "code.archive-extraction": "archive",
  "code.error-details-exposed": "debug", // session 24: CWE-209/215, error and debug output sent to the client
  "code.argument-injection": "shell", // session 24: CWE-88, a sibling of CWE-78 under command injection (CWE-77)
  "code.hardcoded-credential": "cred",
  "code.hardcoded-crypto-key": "cred", // session 16: a literal key given to a cipher or MAC (CWE-321, a kind of CWE-798)
  "code.unpinned-download": "download",
  "code.debug-server": "debug",
  "code.sql-injection": "sql",
  // Not mapped: code.decompression-bomb (session 24, CWE-409) — the corpora's archive labels are traversal only
  // (CWE-22, Bandit's B202), so a size finding on a traversal-safe line is neither right nor wrong by them.
};

/** Bandit test ids (docs: bandit.readthedocs.io plugins and blacklists) mapped to the same categories. */
export const BANDIT: Record<string, Category> = {
  B301: "deser",
  B302: "deser",
  B506: "deser",
  B614: "deser",
  B102: "exec",
  B307: "exec",
  B601: "shell", // paramiko exec_command
  B602: "shell",
  B604: "shell",
  B605: "shell",
  B609: "shell",
  B501: "tls",
  B323: "tls",
  B202: "archive",
  B105: "cred",
  B106: "cred",
  B107: "cred",
  B615: "download",
  B201: "debug",
  B104: "debug",
  B608: "sql",
  B610: "sql", // Django extra()
  B611: "sql", // Django RawSQL
};

/*
 * What counts as a detection (session 5, one rule for every harness and both tools): every finding the
 * tool prints by default. `rampart scan code` prints every severity (there is no minimum-severity
 * filter; `--fail-on` only sets the exit code), and Bandit prints every severity and confidence by
 * default, so both are counted at all severities. Sessions 1–4 counted only `medium` and above.
 */

/** Rampart's findings of a counted category on each file, every severity (one thread, file by file). */
export async function rampartHits(root: string, files: readonly string[], options: { constantUses?: boolean } = {}): Promise<Hit[]> {
  const hits: Hit[] = [];
  for (const f of files) {
    const r = await scanCode(join(root, f), { workers: 1, constantUses: options.constantUses === true });
    for (const x of r.findings) {
      const category = RAMPART[x.ruleId];
      if (!category) continue;
      hits.push({ file: f, line: x.location?.line ?? 0, endLine: x.location?.endLine ?? x.location?.line ?? 0, category, id: x.ruleId });
    }
  }
  return hits;
}

/** Rampart's path-traversal findings (side table: the rule is outside the issue's list), as hits of category "path". */
export async function pathTraversalHits(root: string, files: readonly string[]): Promise<Hit[]> {
  const hits: Hit[] = [];
  for (const f of files) {
    const r = await scanCode(join(root, f), { workers: 1 });
    for (const x of r.findings)
      if (x.ruleId === "code.path-traversal")
        hits.push({ file: f, line: x.location?.line ?? 0, endLine: x.location?.endLine ?? x.location?.line ?? 0, category: "path" as Hit["category"], id: x.ruleId });
  }
  return hits;
}

/**
 * Scores Rampart on the files, and Bandit too with `--bandit` in `args`: one table row (or more) per
 * tool from `score`, then the files Bandit could not parse.
 */
export async function scoreRampartAndBandit(root: string, files: readonly string[], args: readonly string[], score: (tool: string, hits: Hit[]) => string[]): Promise<void> {
  for (const l of score("rampart", await rampartHits(root, files))) console.log(l);
  if (!args.includes("--bandit")) return;
  const bandit = banditHits(root, files);
  for (const l of score(`bandit ${bandit.version}`, bandit.hits)) console.log(l);
  console.log(`  bandit could not parse ${bandit.errors.length} files: ${bandit.errors.join(" ")}`);
}

/** Bandit's findings on the files (every severity and confidence), mapped by `ids`; also its version and the files it could not parse. */
export function banditHits(root: string, files: readonly string[], ids: Record<string, Category> = BANDIT): { version: string; hits: Hit[]; errors: string[] } {
  const version = (execFileSync("bandit", ["--version"], { encoding: "utf8" }).split("\n")[0] ?? "").replace(/^bandit\s*/, "");
  let out: string;
  try {
    out = execFileSync("bandit", ["-f", "json", "-q", ...files.map((f) => join(root, f))], { encoding: "utf8", maxBuffer: 64 << 20 });
  } catch (e) {
    out = (e as { stdout: string }).stdout; // exit 1 when issues are found
  }
  const parsed = JSON.parse(out) as {
    results: Array<{ filename: string; line_number: number; line_range: number[]; test_id: string; issue_severity: string }>;
    errors?: Array<{ filename: string }>;
  };
  const hits: Hit[] = [];
  for (const r of parsed.results) {
    const category = ids[r.test_id];
    if (!category) continue;
    hits.push({ file: relative(root, r.filename), line: r.line_number, endLine: Math.max(r.line_number, ...(r.line_range ?? [])), category, id: r.test_id });
  }
  return { version, hits, errors: (parsed.errors ?? []).map((e) => relative(root, e.filename)) };
}

/** Line labels of a corpus labelled line by line: "file:line:category" → vulnerable (true) or safe (false). */
export type LineLabels = Map<string, boolean>;

/**
 * Scores hits against line labels: a hit on a vulnerable line of its category (any line of its span) is a
 * true positive, one on a safe line of its category a false positive, any other hit is not scored
 * (counted apart). Returns the table row and the per-category, missed and false-positive lines.
 */
export function scoreLines(name: string, hits: Hit[], labels: LineLabels, short: (key: string) => string = (k) => k): string[] {
  const found = new Set<string>();
  const fps: Hit[] = [];
  let unscored = 0;
  for (const h of hits) {
    let verdict: "tp" | "fp" | "none" = "none";
    for (let l = h.line; l <= h.endLine && verdict !== "tp"; l++) {
      const key = `${h.file}:${l}:${h.category}`;
      const v = labels.get(key);
      if (v === true) {
        found.add(key);
        verdict = "tp";
      } else if (v === false && verdict === "none") verdict = "fp";
    }
    if (verdict === "fp") fps.push(h);
    else if (verdict === "none") unscored++;
  }
  const wanted = [...labels].filter(([, v]) => v).map(([k]) => k);
  const tp = found.size;
  const precision = tp + fps.length ? tp / (tp + fps.length) : 1;
  const recall = wanted.length ? tp / wanted.length : 1;
  const byCat = new Map<string, { n: number; tp: number; fp: number }>();
  const cat = (c: string) => byCat.get(c) ?? byCat.set(c, { n: 0, tp: 0, fp: 0 }).get(c)!;
  for (const k of wanted) {
    const c = cat(k.split(":").pop()!);
    c.n++;
    if (found.has(k)) c.tp++;
  }
  for (const f of fps) cat(f.category).fp++;
  return [
    `| ${name} | ${wanted.length} | ${tp} | ${fps.length} | ${precision.toFixed(3)} | ${recall.toFixed(3)} | ${unscored} |`,
    `  by category (found/vulnerable, false positives): ${[...byCat]
      .sort()
      .map(([c, v]) => `${c} ${v.tp}/${v.n} fp ${v.fp}`)
      .join("; ")}`,
    `  missed: ${
      wanted
        .filter((k) => !found.has(k))
        .map(short)
        .join(" ") || "none"
    }`,
    `  false positives: ${fps.map((h) => `${short(`${h.file}:${h.line}`)} ${h.id}`).join(" ") || "none"}`,
  ];
}

/** One category's counts in a per-unit scoring: vulnerable units (n), found (tp), safe units (neg), flagged safe (fp). */
export interface CategoryTally {
  n: number;
  tp: number;
  fp: number;
  neg: number;
}

/** The tally of a category, created at zero on first use. */
export function tallyOf<K>(byCat: Map<K, CategoryTally>, category: K): CategoryTally {
  const t = byCat.get(category);
  if (t) return t;
  const fresh = { n: 0, tp: 0, fp: 0, neg: 0 };
  byCat.set(category, fresh);
  return fresh;
}

/** Counts one unit into each of its tallies (its category's, its corpus's …). */
export function countUnit(tallies: readonly CategoryTally[], vulnerable: boolean, hit: boolean): void {
  for (const t of tallies) {
    if (vulnerable) {
      t.n++;
      if (hit) t.tp++;
    } else {
      t.neg++;
      if (hit) t.fp++;
    }
  }
}

/** The lines under a scoring table's row: per category, then what was missed and what was wrongly flagged. */
export function tallyLines(byCat: Map<string, CategoryTally>, missed: readonly string[], fps: readonly string[], safe = "safe"): string[] {
  return [
    `  by category (found/vulnerable, false positives/${safe}): ${[...byCat]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([c, v]) => `${c} ${v.tp}/${v.n} fp ${v.fp}/${v.neg}`)
      .join("; ")}`,
    `  missed: ${missed.join(" ") || "none"}`,
    `  false positives: ${fps.join(" ") || "none"}`,
  ];
}

/** The header of the table `scoreLines` fills. */
export const LINE_TABLE_HEADER = [
  "| tool | vulnerable lines | true positives | false positives | precision | recall | findings of other categories |",
  "|---|---|---|---|---|---|---|",
];
