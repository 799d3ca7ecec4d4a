/**
 * A/B speed of two PII analyzers on the same sparse-PII lines (the "1 sentence in 20" mix of
 * bench/pii-mixes.ts), one per process so neither warms the other: run it alternately for each.
 *
 *   git archive <old commit> src | tar -x -C /tmp/old && ln -s "$PWD/node_modules" /tmp/old/node_modules
 *   npx tsx bench/pii-ab.ts /tmp/old/src/data/pii/index.ts; npx tsx bench/pii-ab.ts ./src/data/pii/index.ts
 *
 * Prints the best CPU time of 10 passes over 40 000 lines and MB per CPU second.
 */
import { resolve } from "node:path";
import { corpus, proseWithPii, rng } from "../test/data/pii-corpus.js";

const path = process.argv[2] ?? "src/data/pii/index.ts";
const m = (await import(resolve(path))) as { analyze: (text: string) => unknown };
const dense = corpus(99, 12_000).map((x) => x.text);
const lines = proseWithPii(rng(5), dense, 20, 40_000);
const bytes = lines.reduce((a, l) => a + Buffer.byteLength(l), 0);
let best = Number.POSITIVE_INFINITY;
for (let k = 0; k < 10; k++) {
  const c0 = process.cpuUsage();
  for (const l of lines) m.analyze(l);
  const c = process.cpuUsage(c0);
  best = Math.min(best, (c.user + c.system) / 1000);
}
console.log(`${path}: ${best.toFixed(0)} CPU ms, ${(bytes / 1e3 / best).toFixed(1)} MB per CPU second`);
