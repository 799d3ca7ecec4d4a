/**
 * PII scanning speed alone (the PII part of `npm run bench -- data`, same corpus and mixes), for
 * checking a recognizer change quickly: MB of UTF-8 text per CPU second, one core.
 *
 *   npx tsx bench/pii-speed.ts [--mix sparse|prose|dense|all]
 */
import { analyze } from "../src/data/pii/index.js";
import { corpus, rng } from "../test/data/pii-corpus.js";

const args = process.argv.slice(2);
const which = args.includes("--mix") ? args[args.indexOf("--mix") + 1]! : "all";
const dense = corpus(99, 12_000).map((x) => x.text);
const r = rng(5);
const words =
  "the of and to in is was for on that with as by at from it an be this which or are have not has but were their more about when also can one all new other time some into only over such people after first two may most state year".split(
    " ",
  );
const sentence = () => {
  const w = Array.from({ length: 10 + Math.floor(r() * 8) }, () => words[Math.floor(r() * words.length)]!);
  w[0] = w[0]![0]!.toUpperCase() + w[0]!.slice(1);
  return `${w.join(" ")}.`;
};
const mix = (every: number, count: number) => Array.from({ length: count }, (_, i) => (every > 0 && i % every === 0 ? dense[i % dense.length]! : sentence()));
const units = (lines: string[], perUnit: number) => {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i += perUnit) out.push(lines.slice(i, i + perUnit).join(perUnit > 1 ? " " : ""));
  return out;
};
const mixes: Array<[string, string, number, number]> = [
  ["prose", "no PII (prose)", 0, 40_000],
  ["sparse", "1 sentence in 20 with PII", 20, 40_000],
  ["dense", "every sentence with PII", 1, 8_000],
];
console.log("| entity mix | unit analysed | MiB | wall ms (best of 5) | CPU ms (best of 5) | MB/s (CPU) |");
console.log("|---|---|---|---|---|---|");
for (const [key, mixName, every, count] of mixes) {
  if (which !== "all" && which !== key) continue;
  const lines = mix(every, count);
  for (const [sizeName, perUnit] of [
    ["line (~80 B)", 1],
    ["paragraph (~1 KB)", 12],
    ["document (~64 KB)", 800],
  ] as const) {
    const input = units(lines, perUnit);
    const bytes = input.reduce((a, l) => a + Buffer.byteLength(l), 0);
    for (const l of input) analyze(l);
    let wall = Number.POSITIVE_INFINITY;
    let cpu = Number.POSITIVE_INFINITY;
    for (let k = 0; k < 5; k++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (const l of input) analyze(l);
      wall = Math.min(wall, performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu = Math.min(cpu, (c.user + c.system) / 1000);
    }
    console.log(`| ${mixName} | ${sizeName} | ${(bytes / 2 ** 20).toFixed(1)} | ${Math.round(wall)} | ${Math.round(cpu)} | ${((bytes / 1e6 / cpu) * 1000).toFixed(1)} |`);
  }
}
