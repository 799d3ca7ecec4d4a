/**
 * Session-9 held-out set: precision/recall of `rampart scan code` (and Bandit) on two benchmarks of
 * secure-code generation whose authors label each unit of code with a CWE:
 *
 * - SALLM (s2e-lab/SALLM, `PythonDataset/dataset.jsonl`): 100 prompts, each with an `insecure_code`
 *   reference solution its authors wrote as the vulnerable answer for the CWE in the sample id
 *   (`…_cwe078_0.py`). One unit per sample: the whole `insecure_code`, vulnerable for the mapped
 *   category. SALLM gives no secure solutions, so it measures recall only.
 * - CWEval (Co1lin/CWEval, `benchmark/core/py/cwe_*_{task,test}.py`): per task a reference secure
 *   solution (`*_task.py`, the function between `# BEGIN SOLUTION` markers) and, in the test file, an
 *   insecure solution `<name>_unsafe` (and sometimes a `<name>_safe` reference) that the authors' security
 *   tests show to be exploitable (or not). One unit per top-level function: `*_unsafe` vulnerable; every
 *   top-level function of `*_task.py` and every `*_safe` function safe; other functions (pytest tests and
 *   fixtures) not scored.
 *
 *   npx tsx bench/eval-code-sallm-cweval.ts <SALLM checkout> <CWEval checkout> [--bandit | --list]
 *
 * The checkouts are read at evaluation time; nothing of them is committed. The CWE → category mapping,
 * the exclusions and the counting below were written and committed (session 9) before Rampart or Bandit
 * was run on any of these units, and are not to be changed after looking at scores.
 *
 * Scoring, per unit, only for units of mapped CWEs:
 * - a unit is found when the tool prints at least one finding of the unit's category on a line inside
 *   the unit (every severity and confidence, both tools, as every code harness since session 5);
 * - found and vulnerable: true positive; found and safe: false positive; not found and vulnerable: missed;
 * - findings of other categories, and findings outside scored units, are not scored (counted apart).
 * Headline: pooled precision and recall over both sources; printed with it, each source and each category,
 * and the equal-weight mean of per-category recall, so that one family cannot decide the result alone.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { banditHits, type CategoryTally, type Hit, pathTraversalHits, rampartHits, tallyLines, tallyOf } from "./eval-code-categories.js";

/** The CWE numbers each source labels, mapped to the category Rampart claims; `022` is decided per unit. */
const MAPPED: Record<string, Hit["category"] | "cwe22"> = {
  "078": "shell", // OS command injection
  "089": "sql", // SQL injection
  "943": "sql", // improper neutralisation in a data query (CWEval's is an sqlite3 query)
  "094": "exec", // code injection
  "095": "exec", // eval injection
  "502": "deser", // deserialisation of untrusted data
  "295": "tls", // improper certificate validation
  "798": "cred", // hard-coded credentials
  "215": "debug", // debug information exposure (Flask debug mode)
  "022": "cwe22", // path traversal: archive when the unit extracts an archive, else the path side table
};
/*
 * Not mapped (decided with the list above, before any run; weaknesses Rampart does not claim): 020, 074
 * (generic injection), 079 (XSS), 091 (XML injection), 099, 113, 116, 117 (log injection), 1204, 1236,
 * 1333, 176, 200, 208, 209, 250, 252, 306, 319, 326, 327, 329, 338, 347, 348, 369, 377, 379, 400, 434,
 * 601, 611, 614, 643, 730, 732, 760, 776, 827, 918.
 *
 * CWE-22 rule: a CWE-22 unit whose code contains `tarfile`, `zipfile` or `unpack_archive` is scored as
 * `archive` (Rampart's code.archive-extraction, Bandit's B202); any other CWE-22 unit is path traversal,
 * reported in a side table for Rampart only (code.path-traversal is outside the issue's rule list) and not
 * pooled.
 */
/** `any`: a secure reference solution of an unmapped CWE, safe for every counted category. */
type Scored = Hit["category"] | "path" | "any";

interface Unit {
  source: "SALLM" | "CWEval";
  file: string; // relative to the scan root
  start: number;
  end: number;
  category: Scored;
  vulnerable: boolean;
  name: string;
}

function categoryOf(cwe: string, text: string): Scored | undefined {
  const c = MAPPED[cwe];
  if (c !== "cwe22") return c;
  return /tarfile|zipfile|unpack_archive/.test(text) ? "archive" : "path";
}

/** Writes SALLM's mapped insecure solutions as files under `root/sallm/` and returns their units. */
function sallmUnits(checkout: string, root: string): Unit[] {
  const units: Unit[] = [];
  const lines = readFileSync(join(checkout, "PythonDataset/dataset.jsonl"), "utf8").split("\n").filter(Boolean);
  const dir = join(root, "sallm");
  mkdirp(dir);
  for (const l of lines) {
    const s = JSON.parse(l) as { id: string; source: string; insecure_code: string };
    const cwe = /cwe(\d+)/i.exec(s.id)?.[1];
    // SecurityEval was scored in session 4 (seen); SALLM took these samples from it, so they are left out.
    if (!cwe || s.source === "SecurityEval") continue;
    const category = categoryOf(cwe, s.insecure_code);
    if (!category) continue;
    const file = `sallm/${s.id.endsWith(".py") ? s.id : `${s.id}.py`}`;
    writeFileSync(join(root, file), s.insecure_code);
    units.push({ source: "SALLM", file, start: 1, end: s.insecure_code.split("\n").length, category, vulnerable: true, name: s.id });
  }
  return units;
}

/**
 * Top-level function spans of a Python file: name, first and last line (1-based; decorators not
 * included). A function runs until the next line written at column 0 outside a triple-quoted string
 * (a closing bracket there continues a signature).
 */
function topLevelFunctions(text: string): Array<{ name: string; start: number; end: number }> {
  const lines = text.split(/\r?\n/);
  const out: Array<{ name: string; start: number; end: number }> = [];
  let open: { name: string; start: number; last: number } | undefined;
  let inString = false;
  lines.forEach((line, i) => {
    const quotes = (line.match(/'''|"""/g) ?? []).length;
    const wasInString = inString;
    if (quotes % 2 === 1) inString = !inString;
    // Closing brackets at column 0 end a signature written over several lines.
    const inside = wasInString || /^\s/.test(line) || /^[)\]}]/.test(line);
    if (inside || line.trim() === "" || line.startsWith("#")) {
      if (open && line.trim() !== "" && inside) open.last = i + 1;
      return;
    }
    if (open) out.push({ name: open.name, start: open.start, end: open.last });
    open = undefined;
    const m = /^(?:async\s+)?def\s+([A-Za-z_]\w*)/.exec(line);
    if (m?.[1]) open = { name: m[1], start: i + 1, last: i + 1 };
  });
  if (open) out.push({ name: open.name, start: open.start, end: open.last });
  return out;
}

/** Copies CWEval's mapped Python task and test files under `root/cweval/` and returns their function units. */
function cwevalUnits(checkout: string, root: string): Unit[] {
  const units: Unit[] = [];
  const dir = join(checkout, "benchmark/core/py");
  mkdirp(join(root, "cweval"));
  for (const name of readdirSync(dir).sort()) {
    const m = /^cwe_(\d+)_(\d+)_(task|test)\.py$/.exec(name);
    if (!m?.[1]) continue;
    const text = readFileSync(join(dir, name), "utf8");
    const file = `cweval/${name}`;
    let wrote = false;
    for (const f of topLevelFunctions(text)) {
      if (/^_?test/.test(f.name)) continue; // pytest tests and helpers
      const vulnerable = m[3] === "test" ? f.name.endsWith("_unsafe") : false;
      const safe = m[3] === "task" || f.name.endsWith("_safe");
      if (!vulnerable && !safe) continue;
      // The archive/path decision reads the whole file: imports sit at its top, not in the function.
      const mapped = categoryOf(m[1].padStart(3, "0"), text);
      // A secure solution of an unmapped CWE is still safe for every counted category.
      const category: Scored | undefined = mapped ?? (m[3] === "task" ? "any" : undefined);
      if (!category) continue;
      if (!wrote) writeFileSync(join(root, file), text);
      wrote = true;
      units.push({ source: "CWEval", file, start: f.start, end: f.end, category, vulnerable, name: `${name}:${f.name}` });
    }
  }
  return units;
}

function mkdirp(dir: string): void {
  mkdirSync(dir, { recursive: true });
}

function score(tool: string, hits: Hit[], units: Unit[]): string[] {
  const byCat = new Map<string, CategoryTally>();
  const bySource = new Map<string, CategoryTally>();
  const missed: string[] = [];
  const fps: string[] = [];
  let tp = 0;
  let fp = 0;
  let wanted = 0;
  const inside = new Set<Hit>();
  for (const u of units) {
    const mine = hits.filter((h) => h.file === u.file && (h.category === u.category || u.category === "any") && h.endLine >= u.start && h.line <= u.end);
    for (const h of mine) inside.add(h);
    const c = tallyOf(byCat, u.category);
    const s = tallyOf(bySource, u.source);
    if (u.vulnerable) {
      wanted++;
      c.n++;
      s.n++;
      if (mine.length) {
        tp++;
        c.tp++;
        s.tp++;
      } else missed.push(`${u.name}(${u.category})`);
    } else {
      c.neg++;
      s.neg++;
      if (mine.length) {
        fp++;
        c.fp++;
        s.fp++;
        fps.push(`${u.name} ${mine.map((h) => `${h.id}@${h.line}`).join(",")}`);
      }
    }
  }
  const cats = [...byCat.values()].filter((c) => c.n > 0);
  const meanRecall = cats.length ? cats.reduce((a, c) => a + c.tp / c.n, 0) / cats.length : 1;
  const precision = tp + fp ? tp / (tp + fp) : 1;
  const recall = wanted ? tp / wanted : 1;
  return [
    `| ${tool} | ${wanted} | ${units.length - wanted} | ${tp} | ${fp} | ${precision.toFixed(3)} | ${recall.toFixed(3)} | ${meanRecall.toFixed(3)} | ${hits.length - inside.size} |`,
    `  by source (found/vulnerable, false positives/safe): ${[...bySource].map(([k, v]) => `${k} ${v.tp}/${v.n} fp ${v.fp}/${v.neg}`).join("; ")}`,
    ...tallyLines(byCat, missed, fps),
  ];
}

async function main(): Promise<void> {
  const [sallm, cweval, ...rest] = process.argv.slice(2);
  if (!sallm || !cweval) {
    console.error("usage: npx tsx bench/eval-code-sallm-cweval.ts <SALLM checkout> <CWEval checkout> [--bandit | --list]");
    process.exit(2);
  }
  const root = mkdtempSync(join(tmpdir(), "rampart-s9-"));
  const all = [...sallmUnits(sallm, root), ...cwevalUnits(cweval, root)];
  const pooled = all.filter((u) => u.category !== "path");
  const side = all.filter((u) => u.category === "path");
  const files = [...new Set(pooled.map((u) => u.file))];
  const vulnerable = pooled.filter((u) => u.vulnerable).length;
  console.log(`${files.length} files, ${pooled.length} scored units (${vulnerable} vulnerable, ${pooled.length - vulnerable} safe); path side table ${side.length} units`);
  if (rest.includes("--list")) {
    for (const u of all) console.log(`${u.source} ${u.name} ${u.file}:${u.start}-${u.end} ${u.category} ${u.vulnerable ? "vulnerable" : "safe"}`);
    return;
  }
  console.log("| tool | vulnerable units | safe units | true positives | false positives | precision | recall | mean recall over categories | findings not scored |");
  console.log("|---|---|---|---|---|---|---|---|---|");
  for (const l of score("rampart", await rampartHits(root, files), pooled)) console.log(l);
  if (rest.includes("--bandit")) {
    const bandit = banditHits(root, files);
    for (const l of score(`bandit ${bandit.version}`, bandit.hits, pooled)) console.log(l);
    console.log(`  bandit could not parse ${bandit.errors.length} files: ${bandit.errors.join(" ")}`);
  }
  const sideFiles = [...new Set(side.map((u) => u.file))];
  console.log("\nPath traversal side table (Rampart only, not pooled):");
  for (const l of score("rampart code.path-traversal", await pathTraversalHits(root, sideFiles), side)) console.log(l);
}

await main();
