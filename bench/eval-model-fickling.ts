/**
 * Held-out corpus for `rampart scan model` (session 20), declared in docs/scan-model.md before its first score.
 *
 * Source: github.com/trailofbits/fickling at commit 854c99acd2637f97162dd2e1aa2dab4e8d55d77d (LGPL-3.0), the pickle
 * decompiler and safety checker's own regression tests. Its tests build their pickles at run time, opcode by opcode;
 * `bench/corpus/fickling-build.py` runs `test/test_bypasses.py` and `test/test_scanner_deactivation_analysis.py`
 * unchanged and writes every pickle a test hands to `check_safety` to a file, labelled by what that test asserts
 * (`labels.json`: malicious = the test asserts a severity above LIKELY_SAFE or a ScannerDeactivation finding; benign
 * = it asserts LIKELY_SAFE or no unsafe import). Nothing of fickling is committed here.
 *
 * No sampling, no seed: every file is scored once. A hit: a malicious file with at least one finding of severity
 * high or critical; a benign file with one is a false positive (the rule of sessions 2 and 15–19). Each file is
 * scanned alone with the library's defaults (no digest). Views: by the test file's class of case (advisory
 * bypasses, the coverage loops over fickling's own block-lists, scanner deactivation, frame tricks, benign guards).
 *
 *   git clone https://github.com/trailofbits/fickling fickling && git -C fickling checkout 854c99acd2637f97162dd2e1aa2dab4e8d55d77d
 *   python3 bench/corpus/fickling-build.py fickling corpus-s20
 *   npx tsx bench/eval-model-fickling.ts corpus-s20
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { scanModelPaths } from "../src/scan/model/index.js";

interface Unit {
  file: string;
  label: "malicious" | "benign";
  test: string;
}

const HIGH = new Set(["high", "critical"]);

/** The view a test belongs to (fixed before the first run). */
function view(test: string): string {
  if (test === "test_all_unsafe_modules_detected" || test === "test_all_unsafe_imports_detected") return "block-list coverage";
  if (test.startsWith("test_fickling_") || test === "test_all_scanner_modules_covered" || test === "test_benign_import_not_flagged") return "scanner deactivation";
  if (test.startsWith("test_frame_boundary") || test === "test_well_formed_frames_are_not_flagged") return "frames";
  return "advisory bypasses";
}

const [root] = process.argv.slice(2);
if (!root) {
  console.error("usage: npx tsx bench/eval-model-fickling.ts <folder written by bench/corpus/fickling-build.py>");
  process.exit(2);
}
const units = JSON.parse(readFileSync(join(root, "labels.json"), "utf8")) as Unit[];
const tally = new Map<string, { tp: number; fn: number; fp: number; tn: number }>();
console.log("| file | label | view | flagged high/critical | findings |\n|---|---|---|---|---|");
for (const u of units) {
  if (u.label !== "malicious" && u.label !== "benign") {
    console.error(`${join(root, "labels.json")}: ${u.file}: label ${JSON.stringify(u.label)} is neither malicious nor benign`);
    process.exit(2);
  }
  const r = await scanModelPaths([join(root, u.file)], { digest: false });
  const flagged = r.findings.some((f) => HIGH.has(f.severity));
  const v = view(u.test);
  for (const key of [v, "all"]) {
    const t = tally.get(key) ?? { tp: 0, fn: 0, fp: 0, tn: 0 };
    if (u.label === "malicious") flagged ? t.tp++ : t.fn++;
    else flagged ? t.fp++ : t.tn++;
    tally.set(key, t);
  }
  const rules = [...new Set(r.findings.map((f) => `${f.ruleId} (${f.severity})`))].join(", ") || "none";
  console.log(`| ${u.file} | ${u.label} | ${v} | ${flagged ? "yes" : "no"} | ${rules} |`);
}
console.log("");
for (const [key, t] of tally) console.log(`${key}: malicious flagged ${t.tp} / ${t.tp + t.fn}; benign flagged ${t.fp} / ${t.fp + t.tn}`);
