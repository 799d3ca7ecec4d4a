/**
 * Held-out corpus for `rampart scan model` (session 19), declared in docs/scan-model.md before its first score.
 *
 * Source: github.com/euisuh/modelscan-eval at commit e3b737483f50831686f41f1df5eecd2d41650324, a meta-benchmark of
 * static model scanners. Its model files are committed (`corpus/fixtures/*.pkl`, `*.bin`) and labelled in its own
 * `corpus/manifest.yaml` (`label: malicious | clean`). Nothing of it is committed here.
 *
 * Units: every manifest item whose `kind` is `pickle` or `torch_bin` (the model-file kinds); `py_code` (Python
 * source) and `metadata` (config JSON that spoofs names) are left out: they are not model files. Label: `malicious`
 * → malicious, `clean` → benign. Sub-views by the manifest's `evasion` field (null = plain, otherwise the variant).
 * No sampling, no seed. A hit: a malicious file with at least one finding of severity high or critical; a benign file
 * with one is a false positive. Each file is scanned alone with the library's defaults (no digest).
 *
 *   git clone https://github.com/euisuh/modelscan-eval mse && git -C mse checkout e3b737483f50831686f41f1df5eecd2d41650324
 *   npx tsx bench/eval-model-msevalset.ts mse
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { scanModelPaths } from "../src/scan/model/index.js";

interface Item {
  id: string;
  path: string;
  kind: string;
  label: string;
  evasion?: string | null;
}

const MODEL_KINDS = new Set(["pickle", "torch_bin"]);
const HIGH = new Set(["high", "critical"]);

const [root] = process.argv.slice(2);
if (!root) {
  console.error("usage: npx tsx bench/eval-model-msevalset.ts <modelscan-eval checkout at e3b7374>");
  process.exit(2);
}
const manifestPath = join(root, "corpus/manifest.yaml");
const manifest = parse(readFileSync(manifestPath, "utf8")) as { items?: Item[] };
if (!Array.isArray(manifest.items)) {
  console.error(`${manifestPath}: no items list`);
  process.exit(2);
}
const units = manifest.items.filter((i) => MODEL_KINDS.has(i.kind));
const tally = new Map<string, { tp: number; fn: number; fp: number; tn: number }>();
console.log("| file | label | evasion | flagged high/critical | findings |\n|---|---|---|---|---|");
for (const item of units) {
  if (item.label !== "malicious" && item.label !== "clean") {
    console.error(`${manifestPath}: item ${item.id}: label ${JSON.stringify(item.label)} is neither malicious nor clean`);
    process.exit(2);
  }
  const path = join(root, item.path);
  if (!existsSync(path)) {
    console.error(`${item.path}: missing in the checkout`);
    process.exit(2);
  }
  const r = await scanModelPaths([path], { digest: false });
  const flagged = r.findings.some((f) => HIGH.has(f.severity));
  const view = item.label === "malicious" ? (item.evasion ? "malicious, evasion variant" : "malicious, plain") : "benign";
  for (const key of [view, "all"]) {
    const t = tally.get(key) ?? { tp: 0, fn: 0, fp: 0, tn: 0 };
    if (item.label === "malicious") flagged ? t.tp++ : t.fn++;
    else flagged ? t.fp++ : t.tn++;
    tally.set(key, t);
  }
  const rules = [...new Set(r.findings.map((f) => `${f.ruleId} (${f.severity})`))].join(", ") || "none";
  console.log(`| ${item.path} | ${item.label} | ${item.evasion ?? "—"} | ${flagged ? "yes" : "no"} | ${rules} |`);
}
console.log("");
for (const [key, t] of tally) console.log(`${key}: malicious flagged ${t.tp} / ${t.tp + t.fn}; benign flagged ${t.fp} / ${t.fp + t.tn}`);
