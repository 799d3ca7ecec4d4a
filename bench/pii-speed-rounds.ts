/**
 * PII speed of an older build against this one, in fresh processes: `bench/pii-speed.ts --mix MIX` is run
 * in each checkout in turn, round after round (the older first in odd rounds, this one first in even
 * rounds), so load from other processes falls on both alike. Prints every round's MB per CPU second per
 * shape, the median per build, and in how many rounds this build was faster.
 *
 *   B=$(mktemp -d) && git archive c5b5ec4 | tar -x -C "$B" && ln -s "$PWD/node_modules" "$B/node_modules"
 *   npx tsx bench/pii-speed-rounds.ts "$B" [--rounds 6] [--mix sparse]
 */
import { execFileSync } from "node:child_process";
import { loadavg } from "node:os";
import { resolve } from "node:path";
import { table } from "./util.js";

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args.splice(at, 2)[1]! : fallback;
};
const rounds = Number(option("--rounds", "6"));
const mix = option("--mix", "sparse");
const older = args[0];
if (!older || !Number.isInteger(rounds) || rounds < 1) {
  console.error("usage: pii-speed-rounds.ts OLD_CHECKOUT [--rounds N] [--mix sparse|prose|dense]");
  process.exit(2);
}
const builds: Array<[string, string]> = [
  ["older", resolve(older)],
  ["this", resolve(".")],
];

/** The MB/s (CPU) column of bench/pii-speed.ts, one figure per row (line, paragraph, document). */
function run(dir: string): number[] {
  const out = execFileSync("npx", ["tsx", "bench/pii-speed.ts", "--mix", mix], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  const rows = out.split("\n").filter((l) => l.startsWith("|") && !l.startsWith("|---") && !l.includes("entity mix"));
  return rows.map((l) => Number(l.split("|").at(-2)!.trim()));
}

const figures: Record<string, number[][]> = { older: [], this: [] };
const out: Array<Array<string | number>> = [];
console.log(
  `load average at start: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}`,
);
for (let k = 1; k <= rounds; k++) {
  const order = k % 2 === 1 ? builds : [...builds].reverse();
  for (const [name, dir] of order) {
    const f = run(dir);
    figures[name]!.push(f);
    out.push([k, name, ...f, loadavg()[0]!.toFixed(2)]);
  }
}
console.log(
  `load average at end: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}`,
);
table(["round", "build", "line MB/s", "paragraph MB/s", "document MB/s", "load (1 min)"], out);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const summary: Array<Array<string | number>> = [];
for (const name of ["older", "this"]) summary.push([`${name}, median of ${rounds}`, ...[0, 1, 2].map((j) => median(figures[name]!.map((f) => f[j]!)).toFixed(2))]);
summary.push(["rounds in which this build is faster", ...[0, 1, 2].map((j) => `${figures.this!.filter((f, k) => f[j]! > figures.older![k]![j]!).length} of ${rounds}`)]);
summary.push(["median of per-round ratios (this / older)", ...[0, 1, 2].map((j) => median(figures.this!.map((f, k) => f[j]! / figures.older![k]![j]!)).toFixed(3))]);
table([`MB per CPU second (${mix})`, "line", "paragraph", "document"], summary);
