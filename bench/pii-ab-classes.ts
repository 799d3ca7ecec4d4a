/**
 * In-process A/B of two PII builds on the sparse mix, split by line class: the lines without a finding,
 * the lines with a person, the lines with another finding (classed by the first build's own findings),
 * all lines in order, and paragraphs. Both builds are loaded in one process and run alternately, by
 * chunks of a few texts within each pass, so load from other processes falls on both alike. Ratio = first build's CPU time / the
 * second's, per pass; prints the median and in how many passes the second was faster.
 *
 *   npx tsx bench/pii-ab-classes.ts <old>/dist/data/pii/index.js dist/data/pii/index.js [--passes 15] [--only CLASS,...]
 *
 * Run it again with the two paths swapped for the other load order (the ratio is then inverted).
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { piiBenchTexts } from "./pii-mixes.js";
import { table } from "./util.js";

function usage(): never {
  console.error("usage: pii-ab-classes.ts FIRST_INDEX SECOND_INDEX [--passes N] [--only CLASS,...]");
  process.exit(2);
}
const parsed = (() => {
  try {
    return parseArgs({ allowPositionals: true, options: { passes: { type: "string", default: "15" }, only: { type: "string", default: "" } } });
  } catch {
    return usage();
  }
})();
const passes = Number(parsed.values.passes);
const only = parsed.values.only!;
const [first, second] = parsed.positionals;
if (!first || !second || !Number.isInteger(passes) || passes < 1) usage();
type Analyze = (text: string) => Array<{ entity: string }>;
const a = ((await import(resolve(first))) as { analyze: Analyze }).analyze;
const b = ((await import(resolve(second))) as { analyze: Analyze }).analyze;

const classes: Array<[string, string[]]> = [];
for (const { unit, input } of piiBenchTexts(["sparse"])) {
  if (unit.startsWith("line")) {
    const none: string[] = [];
    const person: string[] = [];
    const other: string[] = [];
    for (const l of input) {
      const f = a(l);
      (f.length === 0 ? none : f.some((m) => m.entity === "PERSON") ? person : other).push(l);
    }
    classes.push(["lines with a person", person], ["lines with another finding", other], ["lines with a finding", [...person, ...other]]);
    classes.push(["lines without a finding", none], ["lines, all", input]);
  } else if (unit.startsWith("paragraph")) classes.push(["paragraphs", input]);
}
const wanted = only ? only.split(",") : undefined;

/** CPU µs of one pass of each build over `texts`, interleaved by chunks of `CHUNK` texts (the build that goes
 * first swaps every chunk), so a burst of load from other processes falls on both alike. */
const CHUNK = 32;
function pass(texts: string[]): [number, number] {
  let x = 0;
  let y = 0;
  for (let i = 0, c = 0; i < texts.length; i += CHUNK, c++) {
    const to = Math.min(texts.length, i + CHUNK);
    const aFirst = c % 2 === 0;
    for (let turn = 0; turn < 2; turn++) {
      const isA = (turn === 0) === aFirst;
      const analyze = isA ? a : b;
      const c0 = process.cpuUsage();
      for (let j = i; j < to; j++) analyze(texts[j]!);
      const d = process.cpuUsage(c0);
      if (isA) x += d.user + d.system;
      else y += d.user + d.system;
    }
  }
  return [x, y];
}
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1]!;
const rows: Array<Array<string | number>> = [];
for (const [name, texts] of classes) {
  if (wanted && !wanted.some((w) => name.includes(w))) continue;
  pass(texts);
  const ratios: number[] = [];
  const ta: number[] = [];
  const tb: number[] = [];
  for (let k = 0; k < passes; k++) {
    const [x, y] = pass(texts);
    ta.push(x);
    tb.push(y);
    ratios.push(x / y);
  }
  const perText = (t: number[]) => (Math.min(...t) / texts.length).toFixed(2);
  rows.push([name, texts.length, perText(ta), perText(tb), median(ratios).toFixed(3), `${ratios.filter((r) => r > 1).length} of ${passes}`]);
}
table(["texts", "count", "first µs/text (best)", "second µs/text (best)", "ratio first/second (median)", "second faster in"], rows);
