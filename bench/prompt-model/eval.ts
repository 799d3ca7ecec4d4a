/**
 * Recall and false-positive rate of `detectInjection` on labelled JSON Lines files ({text, label}),
 * per file, for rules alone and rules + classifier.
 *
 *   npx tsx bench/prompt-model/eval.ts DATA_DIR/blind2-*.jsonl DATA_DIR/seen-*.jsonl test/fixtures/prompts/blind2.jsonl
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { detectInjection } from "../../src/gateway/prompt/detect.js";

type Row = { text: string; label: number; source?: string };
const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: eval.ts FILE.jsonl…");
  process.exit(2);
}
const fmt = (n: number, d: number) => (d === 0 ? "–" : (n / d).toFixed(3));
const total = { rules: { tp: 0, fp: 0 }, both: { tp: 0, fp: 0 }, pos: 0, neg: 0 };
console.log("| set | injections / benign | recall (rules) | FPR (rules) | recall (rules + model) | FPR (rules + model) |");
console.log("|---|---|---|---|---|---|");
for (const file of files) {
  const rows = readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Row);
  const c = { rules: { tp: 0, fp: 0 }, both: { tp: 0, fp: 0 }, pos: 0, neg: 0 };
  for (const r of rows) {
    const y = Number(r.label) === 1;
    const rules = detectInjection(r.text, { classifier: false }).verdict === "injection";
    const both = detectInjection(r.text).verdict === "injection";
    if (y) c.pos++;
    else c.neg++;
    for (const [k, hit] of [
      ["rules", rules],
      ["both", both],
    ] as const) {
      if (hit && y) c[k].tp++;
      if (hit && !y) c[k].fp++;
    }
  }
  console.log(`| ${basename(file)} | ${c.pos} / ${c.neg} | ${fmt(c.rules.tp, c.pos)} | ${fmt(c.rules.fp, c.neg)} | ${fmt(c.both.tp, c.pos)} | ${fmt(c.both.fp, c.neg)} |`);
  for (const k of ["rules", "both"] as const) {
    total[k].tp += c[k].tp;
    total[k].fp += c[k].fp;
  }
  total.pos += c.pos;
  total.neg += c.neg;
}
console.log(
  `| **all** | ${total.pos} / ${total.neg} | ${fmt(total.rules.tp, total.pos)} | ${fmt(total.rules.fp, total.neg)} | **${fmt(total.both.tp, total.pos)}** | **${fmt(total.both.fp, total.neg)}** |`,
);
