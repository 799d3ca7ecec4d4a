/**
 * One hostile case in a fresh process (bench/hostile.bench.ts spawns it, so a hang or a crash is
 * contained and timed from outside). Runs a warm-up at n/16, then n and 4n, and prints one JSON line per
 * size: CPU milliseconds of this process, peak-RSS growth, and the outcome.
 */
import { CASES, outcomeOf } from "./hostile-cases.js";

const index = Number(process.argv[2]);
const c = CASES[index];
if (!c) {
  console.error(`no case ${process.argv[2]}`);
  process.exit(2);
}
const sizes = process.argv[3] === "once" ? [c.n] : [Math.max(1, Math.floor(c.n / 16)), c.n, 4 * c.n];
for (const [k, size] of sizes.entries()) {
  const input = c.build(size);
  const rss0 = process.resourceUsage().maxRSS;
  const t0 = process.cpuUsage();
  let outcome: string;
  try {
    outcome = `ok ${await c.run(input)}`;
  } catch (e) {
    outcome = outcomeOf(e);
  }
  const d = process.cpuUsage(t0);
  const rss = (process.resourceUsage().maxRSS - rss0) / 1024;
  if (k > 0 || sizes.length === 1) console.log(JSON.stringify({ size, cpuMs: (d.user + d.system) / 1000, rssMiB: rss, outcome }));
}
