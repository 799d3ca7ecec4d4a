/**
 * Recall and false-positive rate of `detectInjection` on labelled JSON Lines files ({text, label}),
 * per file, for rules alone and rules + classifier.
 *
 *   npx tsx bench/prompt-model/eval.ts [--by-source] [--no-roles] DATA_DIR/blind3-*.jsonl DATA_DIR/seen-*.jsonl test/fixtures/prompts/blind2.jsonl
 *
 * --by-source also prints one row per `source` field within each file; --by-group does the same for the
 * `group` field (round 12: the suite a row comes from). A row's `task` (what the agent reading the data was
 * asked to do; round 14) is passed on to the scan; --no-task leaves it out. With --by-source the last line
 * is the family-balanced figure: mean recall over the sources with injections, at the pooled benign FPR.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { detectInjection } from "../../src/gateway/prompt/detect.js";

type Row = { text: string; label: number; source?: string; group?: string; role?: "user" | "data"; task?: string };
const byGroup = process.argv.includes("--by-group");
const bySource = byGroup || process.argv.includes("--by-source");
// Rows may carry the role they arrive in ("data": a document or tool result, blind round 9); --no-roles
// scores every row as the user's own prompt.
const noRoles = process.argv.includes("--no-roles");
const noTask = process.argv.includes("--no-task");
const files = process.argv.slice(2).filter((a) => !["--by-source", "--by-group", "--no-roles", "--no-task"].includes(a));
if (files.length === 0) {
  console.error("usage: eval.ts FILE.jsonl…");
  process.exit(2);
}
const fmt = (n: number, d: number) => (d === 0 ? "–" : (n / d).toFixed(3));
const total = { rules: { tp: 0, fp: 0 }, both: { tp: 0, fp: 0 }, pos: 0, neg: 0 };
// Recall per source over every file (for the family-balanced line).
const families = new Map<string, { pos: number; rules: number; both: number }>();
console.log("| set | injections / benign | recall (rules) | FPR (rules) | recall (rules + model) | FPR (rules + model) |");
console.log("|---|---|---|---|---|---|");
for (const file of files) {
  const rows = readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Row);
  const fresh = () => ({ rules: { tp: 0, fp: 0 }, both: { tp: 0, fp: 0 }, pos: 0, neg: 0 });
  const c = fresh();
  const sources = new Map<string, ReturnType<typeof fresh>>();
  for (const r of rows) {
    const y = Number(r.label) === 1;
    const role = noRoles ? undefined : r.role;
    const task = noTask ? undefined : r.task;
    const rules = detectInjection(r.text, { classifier: false, role, task }).verdict === "injection";
    const both = detectInjection(r.text, { role, task }).verdict === "injection";
    const part = (byGroup ? r.group : r.source) ?? "";
    const s = sources.get(part) ?? fresh();
    sources.set(part, s);
    if (y) {
      const f = families.get(part) ?? { pos: 0, rules: 0, both: 0 };
      families.set(part, f);
      f.pos++;
      if (rules) f.rules++;
      if (both) f.both++;
    }
    for (const t of [c, s]) {
      if (y) t.pos++;
      else t.neg++;
      for (const [k, hit] of [
        ["rules", rules],
        ["both", both],
      ] as const) {
        if (hit && y) t[k].tp++;
        if (hit && !y) t[k].fp++;
      }
    }
  }
  if (bySource && sources.size > 1)
    for (const [name, s] of [...sources].sort())
      console.log(
        `| ${basename(file)}: ${name} | ${s.pos} / ${s.neg} | ${fmt(s.rules.tp, s.pos)} | ${fmt(s.rules.fp, s.neg)} | ${fmt(s.both.tp, s.pos)} | ${fmt(s.both.fp, s.neg)} |`,
      );
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
if (bySource && families.size > 1) {
  const fams = [...families.values()];
  const mean = (k: "rules" | "both") => fams.reduce((a, f) => a + f[k] / f.pos, 0) / fams.length;
  console.log(
    `| **family-balanced** (mean of ${fams.length} sources) | ${total.pos} / ${total.neg} | ${mean("rules").toFixed(3)} | ${fmt(total.rules.fp, total.neg)} | **${mean("both").toFixed(3)}** | **${fmt(total.both.fp, total.neg)}** |`,
  );
}
