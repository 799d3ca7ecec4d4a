/**
 * The PII speed measurement shared by `npm run bench -- data` and `bench/pii-speed.ts`: prose with
 * a share of sentences holding PII, analysed a line, a paragraph or a document at a time; MB of
 * UTF-8 text per CPU second on one core.
 */
import { analyze } from "../src/data/pii/index.js";
import { corpus, proseWithPii, rng } from "../test/data/pii-corpus.js";

export const PII_MIXES = [
  ["prose", "no PII (prose)", 0, 40_000],
  ["sparse", "1 sentence in 20 with PII", 20, 40_000],
  ["dense", "every sentence with PII", 1, 8_000],
] as const;

/** The units a mix's lines are cut into: [name, lines per unit]. */
export const PII_UNITS = [
  ["line (~80 B)", 1],
  ["paragraph (~1 KB)", 12],
  ["document (~64 KB)", 800],
] as const;

/**
 * The benchmark's text: every mix drawn in order from one seeded generator (so a mix's text is the same
 * whichever mixes are asked for), each cut into lines, paragraphs and documents — one unit at a time, so
 * a run holds only the text it is timing.
 */
export function* piiBenchTexts(mixes?: readonly string[]): Generator<{ mix: string; mixName: string; unit: string; input: string[] }> {
  const dense = corpus(99, 12_000).map((x) => x.text);
  const r = rng(5);
  for (const [mix, mixName, every, count] of PII_MIXES) {
    const lines = proseWithPii(r, dense, every, count);
    if (mixes && !mixes.includes(mix)) continue;
    for (const [unit, perUnit] of PII_UNITS) {
      const input: string[] = [];
      for (let i = 0; i < lines.length; i += perUnit) input.push(lines.slice(i, i + perUnit).join(perUnit > 1 ? " " : ""));
      yield { mix, mixName, unit, input };
    }
  }
}

/** One row per mix and unit: [mix, unit, MiB, best wall ms, best CPU ms, MB per CPU second]. */
export function piiSpeedRows(options: { mixes?: readonly string[]; repeats: number }): Array<[string, string, string, number, number, number]> {
  const rows: Array<[string, string, string, number, number, number]> = [];
  for (const { mixName, unit: unitName, input } of piiBenchTexts(options.mixes)) {
    const bytes = input.reduce((a, l) => a + Buffer.byteLength(l), 0);
    // One pass to let the JIT settle, then the best of the repeats (the machine is shared).
    for (const l of input) analyze(l);
    let wall = Number.POSITIVE_INFINITY;
    let cpu = Number.POSITIVE_INFINITY;
    for (let k = 0; k < options.repeats; k++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (const l of input) analyze(l);
      wall = Math.min(wall, performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu = Math.min(cpu, (c.user + c.system) / 1000);
    }
    rows.push([mixName, unitName, (bytes / 2 ** 20).toFixed(1), Math.round(wall), Math.round(cpu), (bytes / 1e6 / cpu) * 1000]);
  }
  return rows;
}
