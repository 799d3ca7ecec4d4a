/**
 * Session-10 held-out set: precision/recall of `rampart scan code` (and Bandit) on SecCodePLT's Python
 * security tasks (ucsb-mlsec/SecCodePLT, `virtue_code_eval/data/safety/codesecplt/data.json`). Each of its
 * 1,411 samples is one task of one CWE with two solutions written and checked by its authors (with unit
 * tests for function and for security): `ground_truth.vulnerable_code` (insecure) and
 * `ground_truth.patched_code` (secure), between a shared `code_before` (imports, signature) and
 * `code_after`; `unittest.setup` holds the task's context (imports, constants, helpers).
 *
 *   npx tsx bench/eval-code-seccodeplt.ts <SecCodePLT checkout> [--bandit | --list]
 *
 * The checkout is read at evaluation time; nothing of it is committed. The mapping, the exclusions, the
 * sampling and the counting below were written and committed (session 10) before Rampart or Bandit was run
 * on any of these units, and are not to be changed after looking at scores.
 *
 * Units: per sample two files, `<cwe>/<index>-vulnerable.py` and `<cwe>/<index>-patched.py`, each the four
 * parts joined by newlines: setup, code_before, the solution, code_after. The unit's span is the last three
 * parts (findings in the setup lines are not scored: the task's context is not the solution). A unit whose
 * file Python's own parser (`python3`, `ast.parse`) rejects is not scored (listed).
 *
 * Scoring, per unit, as the session-9 harness:
 * - a unit is found when the tool prints at least one finding of the unit's category on a line of its span
 *   (every severity and confidence, both tools, as every code harness since session 5);
 * - found and vulnerable: true positive; found and patched: false positive; vulnerable not found: missed;
 * - `any` units (patched solutions of unmapped CWEs) are safe for every counted category;
 * - findings of other categories, and findings outside scored spans, are not scored (counted apart).
 * Headline: pooled per-unit precision and recall (mapped pairs plus the `any` sample); printed with it, each
 * category, the equal-weight mean of per-category recall (so that one family cannot decide the result
 * alone), and the mapped pairs without the `any` units.
 */

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { banditHits, type CategoryTally, type Hit, pathTraversalHits, rampartHits, tallyLines, tallyOf } from "./eval-code-categories.js";

const DATA = "virtue_code_eval/data/safety/codesecplt/data.json";

/** SecCodePLT's CWE ids mapped to the category Rampart claims; `22` is decided per sample. */
const MAPPED: Record<string, Hit["category"] | "cwe22"> = {
  "77": "shell", // command injection
  "78": "shell", // OS command injection
  "94": "exec", // code injection
  "95": "exec", // eval injection
  "502": "deser", // deserialisation of untrusted data
  "295": "tls", // improper certificate validation
  "22": "cwe22", // path traversal: archive when the sample extracts an archive, else the path side table
};
/*
 * Not mapped (decided with the list above, before any run; weaknesses Rampart does not claim): 74 (generic
 * injection: the parent class of many kinds, not one category), 79 (XSS), 120, 179, 200, 281, 327, 338, 347,
 * 352, 367, 400, 601, 611 (XXE), 732, 770, 862, 863, 915, 918 (SSRF), 1333 (ReDoS).
 *
 * CWE-22 rule (as session 9): a CWE-22 sample whose text (setup, code_before, both solutions, code_after)
 * contains `tarfile`, `zipfile` or `unpack_archive` is scored as `archive` (Rampart's
 * code.archive-extraction, Bandit's B202); any other is path traversal, a side table for Rampart only
 * (code.path-traversal is outside the issue's rule list), not pooled.
 *
 * `any` sample (precision against code of other weaknesses): of each unmapped CWE, the patched solutions of
 * at most 10 samples, those first in the order of sha256("seccodeplt-s10:" + index) — a seeded sample fixed
 * here, so that no one unmapped CWE decides the false positives. Vulnerable solutions of unmapped CWEs are
 * not scored (they may hold a counted weakness beside their own).
 */
const ANY_PER_CWE = 10;
const ANY_SEED = "seccodeplt-s10:";

type Scored = Hit["category"] | "path" | "any";

interface Sample {
  CWE_ID: string;
  index: number;
  ground_truth: { code_before: string; vulnerable_code: string; patched_code: string; code_after: string };
  unittest: { setup: string };
}

interface Unit {
  file: string; // relative to the scan root
  start: number;
  end: number;
  category: Scored;
  vulnerable: boolean;
  name: string;
}

function categoryOf(s: Sample): Scored | undefined {
  const c = MAPPED[s.CWE_ID];
  if (c !== "cwe22") return c;
  const g = s.ground_truth;
  const text = [s.unittest.setup, g.code_before, g.vulnerable_code, g.patched_code, g.code_after].join("\n");
  return /tarfile|zipfile|unpack_archive/.test(text) ? "archive" : "path";
}

function lineCount(text: string): number {
  return text.split("\n").length;
}

/** Writes one solution as a file and returns its unit (span: code_before to code_after). */
function writeUnit(root: string, s: Sample, kind: "vulnerable" | "patched", category: Scored): Unit {
  const g = s.ground_truth;
  const code = kind === "vulnerable" ? g.vulnerable_code : g.patched_code;
  const file = `${s.CWE_ID}/${s.index}-${kind}.py`;
  mkdirSync(join(root, s.CWE_ID), { recursive: true });
  writeFileSync(join(root, file), [s.unittest.setup, g.code_before, code, g.code_after].join("\n"));
  const start = lineCount(s.unittest.setup) + 1;
  const end = start + lineCount([g.code_before, code, g.code_after].join("\n")) - 1;
  return { file, start, end, category, vulnerable: kind === "vulnerable", name: `cwe${s.CWE_ID}#${s.index}-${kind}` };
}

function units(checkout: string, root: string): Unit[] {
  const samples = JSON.parse(readFileSync(join(checkout, DATA), "utf8")) as Sample[];
  const out: Unit[] = [];
  const unmapped = new Map<string, Sample[]>();
  for (const s of samples) {
    const category = categoryOf(s);
    if (category) {
      out.push(writeUnit(root, s, "vulnerable", category), writeUnit(root, s, "patched", category));
      continue;
    }
    const list = unmapped.get(s.CWE_ID) ?? [];
    list.push(s);
    unmapped.set(s.CWE_ID, list);
  }
  const rank = (s: Sample) => createHash("sha256").update(`${ANY_SEED}${s.index}`).digest("hex");
  for (const [, list] of [...unmapped].sort(([a], [b]) => Number(a) - Number(b))) {
    const picked = [...list].sort((a, b) => (rank(a) < rank(b) ? -1 : 1)).slice(0, ANY_PER_CWE);
    for (const s of picked) out.push(writeUnit(root, s, "patched", "any"));
  }
  return out;
}

/** Files Python's parser rejects (one python3 process for all). */
function unparsable(root: string, files: readonly string[]): Set<string> {
  const script = "import ast,sys\nfor f in sys.argv[1:]:\n    try: ast.parse(open(f, encoding='utf-8').read())\n    except SyntaxError: print(f)\n";
  const out = execFileSync("python3", ["-c", script, ...files.map((f) => join(root, f))], { encoding: "utf8", maxBuffer: 16 << 20 });
  return new Set(
    out
      .split("\n")
      .filter(Boolean)
      .map((f) => f.slice(root.length + 1)),
  );
}

function score(tool: string, hits: Hit[], scored: Unit[]): string[] {
  const byCat = new Map<string, CategoryTally>();
  const missed: string[] = [];
  const fps: string[] = [];
  let tp = 0;
  let fp = 0;
  let wanted = 0;
  let pairFp = 0;
  let pairNeg = 0;
  const inside = new Set<Hit>();
  const byFile = new Map<string, Hit[]>();
  for (const h of hits) byFile.set(h.file, [...(byFile.get(h.file) ?? []), h]);
  for (const u of scored) {
    const mine = (byFile.get(u.file) ?? []).filter((h) => (h.category === u.category || u.category === "any") && h.endLine >= u.start && h.line <= u.end);
    for (const h of mine) inside.add(h);
    const c = tallyOf(byCat, u.category);
    if (u.vulnerable) {
      wanted++;
      c.n++;
      if (mine.length) {
        tp++;
        c.tp++;
      } else missed.push(u.name);
    } else {
      c.neg++;
      if (u.category !== "any") pairNeg++;
      if (mine.length) {
        fp++;
        c.fp++;
        if (u.category !== "any") pairFp++;
        fps.push(`${u.name} ${mine.map((h) => `${h.id}@${h.line}`).join(",")}`);
      }
    }
  }
  const cats = [...byCat.values()].filter((c) => c.n > 0);
  const meanRecall = cats.length ? cats.reduce((a, c) => a + c.tp / c.n, 0) / cats.length : 1;
  const precision = tp + fp ? tp / (tp + fp) : 1;
  const pairPrecision = tp + pairFp ? tp / (tp + pairFp) : 1;
  const recall = wanted ? tp / wanted : 1;
  return [
    `| ${tool} | ${wanted} | ${scored.length - wanted} | ${tp} | ${fp} | ${precision.toFixed(3)} | ${recall.toFixed(3)} | ${meanRecall.toFixed(3)} | ${hits.length - inside.size} |`,
    `  mapped pairs only (no \`any\` units): precision ${pairPrecision.toFixed(3)} (${pairFp} false positives on ${pairNeg} patched units), recall ${recall.toFixed(3)}`,
    ...tallyLines(byCat, missed, fps, "patched"),
  ];
}

async function main(): Promise<void> {
  const [checkout, ...rest] = process.argv.slice(2);
  if (!checkout) {
    console.error("usage: npx tsx bench/eval-code-seccodeplt.ts <SecCodePLT checkout> [--bandit | --list]");
    process.exit(2);
  }
  const root = mkdtempSync(join(tmpdir(), "rampart-s10-"));
  const written = units(checkout, root);
  const bad = unparsable(
    root,
    written.map((u) => u.file),
  );
  const all = written.filter((u) => !bad.has(u.file));
  const pooled = all.filter((u) => u.category !== "path");
  const side = all.filter((u) => u.category === "path");
  const files = [...new Set(pooled.map((u) => u.file))];
  const vulnerable = pooled.filter((u) => u.vulnerable).length;
  const counts = new Map<string, string>();
  for (const c of new Set(all.map((u) => u.category))) {
    const of = all.filter((u) => u.category === c);
    counts.set(c, `${of.filter((u) => u.vulnerable).length}/${of.filter((u) => !u.vulnerable).length}`);
  }
  console.log(
    `${pooled.length} scored units (${vulnerable} vulnerable, ${pooled.length - vulnerable} safe); path side table ${side.length} units; not parsed by python3 (not scored): ${bad.size}`,
  );
  console.log(`  per category (vulnerable/safe): ${[...counts].map(([c, n]) => `${c} ${n}`).join("; ")}`);
  if (rest.includes("--list")) {
    for (const u of all) console.log(`${u.name} ${u.file}:${u.start}-${u.end} ${u.category} ${u.vulnerable ? "vulnerable" : "safe"}`);
    console.log(`not scored (python3 cannot parse): ${[...bad].join(" ") || "none"}`);
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
