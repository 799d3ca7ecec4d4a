/**
 * PII speed against the size of the analysed unit: the sparse-PII prose of `bench/pii-speed.ts` (1
 * sentence in 20 holding PII) cut into units of 1 KB to 1 MB (whole sentences), each size the same
 * ~2.3 MiB of text. Per-byte cost should not grow with the unit: MB/s per CPU second ought to be flat.
 *
 *   npx tsx bench/pii-doc-size.ts [--repeats 5] [--old path/to/other/src/data/pii/index.ts]
 *
 * With --old, that analyzer is timed on the same units alternately (an A/B under the same load).
 */
import { resolve } from "node:path";
import { analyze } from "../src/data/pii/index.js";
import { corpus, proseWithPii, rng } from "../test/data/pii-corpus.js";
import { table } from "./util.js";

const args = process.argv.slice(2);
const opt = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const repeats = Number(opt("--repeats") ?? 5);
type Analyze = (text: string) => unknown;
const analyzers: Array<[string, Analyze]> = [["this", analyze]];
const old = opt("--old");
if (old) analyzers.push(["old", ((await import(resolve(old))) as { analyze: Analyze }).analyze]);

// The same text as bench/pii-speed.ts: the prose mix is drawn first from the same generator.
const dense = corpus(99, 12_000).map((x) => x.text);
const r = rng(5);
proseWithPii(r, dense, 0, 40_000);
const lines = proseWithPii(r, dense, 20, 40_000);

const rows: Array<Array<string | number>> = [];
for (const size of [1_000, 4_000, 16_000, 64_000, 256_000, 1_000_000]) {
  const units: string[] = [];
  let unit = "";
  for (const l of lines) {
    unit = unit ? `${unit} ${l}` : l;
    if (unit.length >= size) {
      units.push(unit);
      unit = "";
    }
  }
  if (unit) units.push(unit);
  const bytes = units.reduce((a, u) => a + Buffer.byteLength(u), 0);
  for (const [, f] of analyzers) for (const u of units) f(u);
  const best = analyzers.map(() => Number.POSITIVE_INFINITY);
  for (let k = 0; k < repeats; k++)
    analyzers.forEach(([, f], j) => {
      const c0 = process.cpuUsage();
      for (const u of units) f(u);
      const c = process.cpuUsage(c0);
      best[j] = Math.min(best[j]!, (c.user + c.system) / 1000);
    });
  const row: Array<string | number> = [size >= 1e6 ? "1 MB" : `${size / 1000} KB`, units.length];
  for (const b of best) row.push(Math.round(b), Number((bytes / 1e3 / b).toFixed(2)));
  rows.push(row);
}
const head = ["unit size", "units"];
for (const [name] of analyzers) head.push(`${name}: CPU ms (best of ${repeats})`, `${name}: MB/s (CPU)`);
table(head, rows);
