/**
 * Held-out corpus for `rampart scan model` (session 18), declared in docs/scan-model.md before its first score.
 *
 * Source: github.com/Lab700xOrg/aisbom at commit 8222f1c1a6792aec6f547fe9ab1d55e0f82858fe (Apache-2.0). The files
 * are written by `bench/corpus/aisbom-build.py`, which calls AIsbom's own generators (`aisbom/mock_generator.py`)
 * with the inputs of AIsbom's tests and bypass corpus; the label of each file is what that test asserts, and the
 * builder writes it to `labels.json`. Sets: J (GGUF chat templates), D (pickle gadgets and their false-positive
 * guards), B (the bypass corpus), K (Keras archives), O (ONNX external data).
 *
 * No sampling, no seed: every file is scored once. A hit: a malicious file with at least one finding of severity
 * high or critical; a benign file with one is a false positive (the rule of sessions 2 and 15–17). Each file is
 * scanned alone with the library's defaults (no digest).
 *
 *   git clone <aisbom> aisbom && git -C aisbom checkout 8222f1c1a6792aec6f547fe9ab1d55e0f82858fe
 *   python3 bench/corpus/aisbom-build.py aisbom corpus-s18
 *   npx tsx bench/eval-model-aisbom.ts corpus-s18
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { scanModelPaths } from "../src/scan/model/index.js";

interface Unit {
  set: string;
  file: string;
  label: "malicious" | "benign";
}

const HIGH = new Set(["high", "critical"]);
const [root] = process.argv.slice(2);
if (!root) {
  console.error("usage: npx tsx bench/eval-model-aisbom.ts <folder written by bench/corpus/aisbom-build.py>");
  process.exit(2);
}
const units = JSON.parse(readFileSync(join(root, "labels.json"), "utf8")) as Unit[];
const tally = new Map<string, { tp: number; fn: number; fp: number; tn: number }>();
console.log("| file | label | flagged high/critical | findings |\n|---|---|---|---|");
for (const u of units) {
  const r = await scanModelPaths([join(root, u.file)], { digest: false });
  const flagged = r.findings.some((f) => HIGH.has(f.severity));
  for (const key of [u.set, "all"]) {
    const t = tally.get(key) ?? { tp: 0, fn: 0, fp: 0, tn: 0 };
    if (u.label === "malicious") flagged ? t.tp++ : t.fn++;
    else flagged ? t.fp++ : t.tn++;
    tally.set(key, t);
  }
  const rules = [...new Set(r.findings.map((f) => `${f.ruleId} (${f.severity})`))].join(", ") || "none";
  console.log(`| ${u.file} | ${u.label} | ${flagged ? "yes" : "no"} | ${rules} |`);
}
console.log("");
for (const [key, t] of tally) console.log(`${key}: malicious flagged ${t.tp} / ${t.tp + t.fn}; benign flagged ${t.fp} / ${t.fp + t.tn}`);
