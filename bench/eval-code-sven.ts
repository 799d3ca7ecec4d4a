/**
 * Precision/recall of `rampart scan code` (and Bandit) on real vulnerability fixes: the Python functions of
 * SVEN (eth-sri/sven) and SafeCoder (eth-sri/SafeCoder), each a function before and after a commit that
 * fixed a weakness of a stated CWE in an open-source project. The function before the fix is a vulnerable
 * unit, the function after it a safe unit; both labels come from the corpus (its `vul_type`).
 *
 *   npx tsx bench/eval-code-sven.ts <sven checkout> <SafeCoder checkout> --work <scratch dir> [--seen DIR]… [--bandit | --list]
 *
 * Checkouts and scratch files stay outside the repository; nothing of the corpus is committed. The mapping,
 * dedupe and scoring below were written and committed (session 13) before either tool ran on any unit.
 *
 * Files read: sven `data_train_val/{train,val}/cwe-{022,078,089}.jsonl`; SafeCoder
 * `data_train_val/{train,val}/sec-new-desc.jsonl` and `data_train_val/val/sec-desc.jsonl` (SafeCoder's
 * `train/sec-desc.jsonl` is the same data as sven's train files and is not in the snapshot). Only records
 * whose `file_name` ends in `.py`.
 *
 * Units: each record gives two, `func_src_before` (vulnerable for its CWE) and `func_src_after` (safe for
 * it). A unit is written to its own file as the corpus gives it; a method (first line indented) is written
 * under a `class _Unit:` line so that it parses; nothing else is added (no imports: the corpus has none).
 * Dedupe, in this order: a record whose two functions are equal once comments, blank lines and each line's
 * outer spaces are dropped (no code change) is left out; a repeated (before, after) pair is kept once; a
 * function text labelled vulnerable in one record and safe in another is left out on both sides; a unit
 * whose normalised text occurs inside a file (or a JSON string) of a seen corpus given with `--seen` is left
 * out. No sampling: every remaining unit is scored.
 *
 * Scoring, per unit (the OWASP scorecard's rule, as in eval-code-owasp.ts): a unit is flagged when the tool
 * prints at least one finding of the unit's mapped category anywhere in it (every severity and confidence,
 * both tools, as every code harness counts since session 5). Flagged vulnerable unit: true positive; flagged
 * safe unit: false positive. Findings of other categories are not scored (counted).
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BANDIT, banditHits, type Category, type CategoryTally, type Hit, pathTraversalHits, rampartHits, tallyLines, tallyOf } from "./eval-code-categories.js";

/** The corpus's CWE → Rampart category; the headline counts only the categories. */
const MAPPED: Record<string, Category> = {
  "cwe-089": "sql",
  "cwe-078": "shell",
  "cwe-502": "deser",
  "cwe-295": "tls",
};
/*
 * Side table, not in the headline (as in sessions 6-7: the issue lists archive extraction, not path
 * traversal): cwe-022 against `code.path-traversal` and `code.archive-extraction`.
 * Not mapped (weaknesses Rampart does not claim): cwe-079 (XSS), 326/327 (weak keys and ciphers), 377
 * (temporary files), and the C/C++/Go/JS/Ruby records.
 */
const SIDE = "cwe-022";

const FILES: Array<[repo: "sven" | "safecoder", path: string]> = [
  ...["train", "val"].flatMap((s) => ["022", "078", "089"].map((c) => ["sven", `data_train_val/${s}/cwe-${c}.jsonl`] as ["sven", string])),
  ["safecoder", "data_train_val/train/sec-new-desc.jsonl"],
  ["safecoder", "data_train_val/val/sec-new-desc.jsonl"],
  ["safecoder", "data_train_val/val/sec-desc.jsonl"],
];

interface Unit {
  file: string;
  cwe: string;
  category: Category | "path";
  vulnerable: boolean;
  source: string;
  text: string;
}

/** Code lines only: comments, blank lines and outer spaces dropped (for dedupe). */
function normalise(code: string): string {
  return code
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .join("\n");
}

/** The text written for a unit: a method gets a class line above it so that it parses. */
function unitText(func: string): string {
  return /^[ \t]/.test(func) ? `class _Unit:\n${func}\n` : `${func}\n`;
}

/** Every .py file's text and every string in .json/.jsonl files under the seen roots, normalised. */
function seenTexts(roots: readonly string[]): string[] {
  const out: string[] = [];
  const strings = (v: unknown): void => {
    if (typeof v === "string") {
      if (v.includes("\n")) out.push(normalise(v));
    } else if (Array.isArray(v)) for (const x of v) strings(x);
    else if (v && typeof v === "object") for (const x of Object.values(v)) strings(x);
  };
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (name.endsWith(".py")) out.push(normalise(readFileSync(p, "utf8")));
      else if (name.endsWith(".jsonl"))
        for (const l of readFileSync(p, "utf8").split("\n")) {
          try {
            strings(JSON.parse(l));
          } catch {
            /* not JSON: not a unit source */
          }
        }
      else if (name.endsWith(".json"))
        try {
          strings(JSON.parse(readFileSync(p, "utf8")));
        } catch {
          /* not JSON */
        }
    }
  };
  for (const r of roots) walk(r);
  return out;
}

function readUnits(sven: string, safecoder: string, seen: readonly string[]): { units: Unit[]; dropped: Record<string, number> } {
  const dropped = { unchanged: 0, repeated: 0, conflicting: 0, seen: 0, unmapped: 0 };
  const pairs = new Map<string, { cwe: string; before: string; after: string; from: string }>();
  for (const [repo, path] of FILES) {
    const root = repo === "sven" ? sven : safecoder;
    readFileSync(join(root, path), "utf8")
      .split("\n")
      .forEach((line, i) => {
        if (!line.trim()) return;
        const r = JSON.parse(line) as { func_src_before: string; func_src_after: string; vul_type: string; file_name: string };
        if (!r.file_name.endsWith(".py")) return;
        if (!MAPPED[r.vul_type] && r.vul_type !== SIDE) {
          dropped.unmapped++;
          return;
        }
        const b = normalise(r.func_src_before);
        const a = normalise(r.func_src_after);
        if (a === b) {
          dropped.unchanged++;
          return;
        }
        const key = `${r.vul_type}\0${b}\0${a}`;
        if (pairs.has(key)) {
          dropped.repeated++;
          return;
        }
        pairs.set(key, { cwe: r.vul_type, before: r.func_src_before, after: r.func_src_after, from: `${repo}/${path}:${i + 1}` });
      });
  }
  const vulnerableTexts = new Set([...pairs.values()].map((p) => normalise(p.before)));
  const safeTexts = new Set([...pairs.values()].map((p) => normalise(p.after)));
  const seenCorpus = seenTexts(seen).join("\n\u0000\n");
  const isSeen = (n: string): boolean => seenCorpus.includes(n);
  const units: Unit[] = [];
  const taken = new Set<string>();
  let n = 0;
  for (const p of pairs.values()) {
    n++;
    for (const [vulnerable, func] of [
      [true, p.before],
      [false, p.after],
    ] as const) {
      const norm = normalise(func);
      if (vulnerableTexts.has(norm) && safeTexts.has(norm)) {
        dropped.conflicting++;
        continue;
      }
      if (taken.has(norm)) {
        dropped.repeated++;
        continue;
      }
      if (isSeen(norm)) {
        dropped.seen++;
        continue;
      }
      taken.add(norm);
      const category = MAPPED[p.cwe] ?? "path";
      units.push({ file: `${String(n).padStart(4, "0")}-${p.cwe}-${vulnerable ? "before" : "after"}.py`, cwe: p.cwe, category, vulnerable, source: p.from, text: unitText(func) });
    }
  }
  return { units, dropped };
}

function score(tool: string, hits: Hit[], units: readonly Unit[]): string[] {
  const flagged = new Set(hits.map((h) => `${h.file}:${h.category}`));
  const byCat = new Map<string, CategoryTally>();
  const missed: string[] = [];
  const fps: string[] = [];
  let tp = 0;
  let wanted = 0;
  let neg = 0;
  for (const u of units) {
    if (u.category === "path") continue;
    const s = tallyOf(byCat, u.category);
    const found = flagged.has(`${u.file}:${u.category}`);
    const id = u.file.replace(/\.py$/, "");
    if (u.vulnerable) {
      wanted++;
      s.n++;
      if (found) {
        tp++;
        s.tp++;
      } else missed.push(id);
    } else {
      neg++;
      s.neg++;
      if (found) {
        s.fp++;
        fps.push(id);
      }
    }
  }
  const scored = new Set(units.map((u) => `${u.file}:${u.category}`));
  const unscored = hits.filter((h) => !scored.has(`${h.file}:${h.category}`)).length;
  const precision = tp + fps.length ? tp / (tp + fps.length) : 1;
  const recall = wanted ? tp / wanted : 1;
  return [`| ${tool} | ${wanted} | ${neg} | ${tp} | ${fps.length} | ${precision.toFixed(3)} | ${recall.toFixed(3)} | ${unscored} |`, ...tallyLines(byCat, missed, fps)];
}

/** Side table: cwe-022 units against Rampart's path-traversal and archive rules (Bandit 1.6.2 has neither). */
function sideTable(hits: Hit[], units: readonly Unit[]): string {
  const flagged = new Set(hits.map((h) => h.file));
  const side = units.filter((u) => u.category === "path");
  const v = side.filter((u) => u.vulnerable);
  const s = side.filter((u) => !u.vulnerable);
  return `cwe-022 (side table): rampart flagged ${v.filter((u) => flagged.has(u.file)).length} of ${v.length} vulnerable and ${s.filter((u) => flagged.has(u.file)).length} of ${s.length} safe units`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const [sven, safecoder] = args;
  const work = args[args.indexOf("--work") + 1];
  if (!sven || !safecoder || !args.includes("--work") || !work) {
    console.error("usage: npx tsx bench/eval-code-sven.ts <sven checkout> <SafeCoder checkout> --work <scratch dir> [--seen DIR]… [--bandit | --list]");
    process.exit(2);
  }
  const seen = args.flatMap((a, i) => (a === "--seen" && args[i + 1] ? [args[i + 1] as string] : []));
  const { units, dropped } = readUnits(sven, safecoder, seen);
  mkdirSync(work, { recursive: true });
  for (const u of units) writeFileSync(join(work, u.file), u.text);
  const count = (c: string, v: boolean) => units.filter((u) => u.cwe === c && u.vulnerable === v).length;
  console.log(`${units.length} units written to the scratch folder; left out: ${JSON.stringify(dropped)} (seen roots: ${seen.length})`);
  for (const c of [...Object.keys(MAPPED), SIDE]) console.log(`  ${c}: ${count(c, true)} vulnerable, ${count(c, false)} safe`);
  if (args.includes("--list")) {
    for (const u of units) console.log(`${u.file} ${u.category} ${u.vulnerable ? "vulnerable" : "safe"} ${u.source}`);
    return;
  }
  const scoredUnits = units.filter((u) => u.category !== "path").map((u) => u.file);
  console.log("| tool | vulnerable units | safe units | true positives | false positives | precision | recall | findings not scored |");
  console.log("|---|---|---|---|---|---|---|---|");
  for (const l of score("rampart", await rampartHits(work, scoredUnits), units)) console.log(l);
  const sideFiles = units.filter((u) => u.category === "path").map((u) => u.file);
  const sideHits = [...(await pathTraversalHits(work, sideFiles)), ...(await rampartHits(work, sideFiles)).filter((h) => h.category === "archive")];
  console.log(sideTable(sideHits, units));
  if (!args.includes("--bandit")) return;
  const bandit = banditHits(work, scoredUnits, BANDIT);
  for (const l of score(`bandit ${bandit.version}`, bandit.hits, units)) console.log(l);
  console.log(`  bandit could not parse ${bandit.errors.length} files: ${bandit.errors.join(" ")}`);
}

await main();
