/**
 * A/B speed of two PII analyzers on the sparse-PII text of `bench/pii-speed.ts` (the "1 sentence in 20"
 * mix of bench/pii-mixes.ts), by line, paragraph and document. Both are loaded in one process and run
 * alternately, round after round, so that load from other processes on a shared machine falls on both
 * alike; the best CPU time of each is kept.
 *
 *   git archive <old commit> src | tar -x -C /tmp/old && ln -s "$PWD/node_modules" /tmp/old/node_modules
 *   npx tsx bench/pii-ab.ts /tmp/old/src/data/pii/index.ts ./src/data/pii/index.ts [--rounds 9]
 *
 * With one path it times that analyzer alone.
 */
import { resolve } from "node:path";
import { piiBenchTexts } from "./pii-mixes.js";
import { table } from "./util.js";

const args = process.argv.slice(2);
const at = args.indexOf("--rounds");
const rounds = at >= 0 ? Number(args.splice(at, 2)[1]) : 9;
const paths = args.length > 0 ? args : ["src/data/pii/index.ts"];
type Analyze = (text: string) => unknown;
const analyzers: Analyze[] = [];
for (const p of paths) analyzers.push(((await import(resolve(p))) as { analyze: Analyze }).analyze);

const rows: Array<Array<string | number>> = [];
for (const { unit, input } of piiBenchTexts(["sparse"])) {
  const bytes = input.reduce((a, l) => a + Buffer.byteLength(l), 0);
  for (const analyze of analyzers) for (const l of input) analyze(l);
  const best = analyzers.map(() => Number.POSITIVE_INFINITY);
  for (let k = 0; k < rounds; k++)
    analyzers.forEach((analyze, j) => {
      const c0 = process.cpuUsage();
      for (const l of input) analyze(l);
      const c = process.cpuUsage(c0);
      best[j] = Math.min(best[j]!, (c.user + c.system) / 1000);
    });
  const row: Array<string | number> = [unit];
  for (const b of best) row.push(Math.round(b), Number((bytes / 1e3 / b).toFixed(2)));
  if (best.length === 2) row.push(`${Math.round((best[0]! / best[1]! - 1) * 100)} %`);
  rows.push(row);
}
const head = ["unit"];
for (const p of paths) head.push(`${p} CPU ms`, "MB/s (CPU)");
if (paths.length === 2) head.push("second faster by");
table(head, rows);
