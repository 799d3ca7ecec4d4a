/**
 * Every poisoning check (`analyzeTable`) on a generated table of ROWS × 20 columns (19 numeric + 1
 * categorical, 3 classes, 2 % flipped labels, 1 % outliers; the generator of test/data/poison-data.ts),
 * the table already loaded: wall and CPU time, flags, peak RSS and the load average around the run.
 *
 *   npx tsx bench/poison-speed.ts [ROWS]        # default 1 000 000 (the issue's target: under 60 s)
 */
import { loadavg } from "node:os";
import { analyzeTable, tableFromRecords } from "../src/data/poison/index.js";
import { poisonedData, poisonedRecords } from "../test/data/poison-data.js";
import { peakRssMiB, table } from "./util.js";

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 1_000_000);
  if (!Number.isInteger(n) || n < 100) {
    console.error("usage: npx tsx bench/poison-speed.ts [ROWS ≥ 100]");
    process.exit(2);
  }
  const data = poisonedData({ seed: 1, n, d: 19, classes: 3, flipRate: 0.02, outlierRate: 0.01 });
  const t = await tableFromRecords(poisonedRecords(data), "bench", { label: "label" });
  const load0 = loadavg()[0]!;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const report = analyzeTable(t);
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const flagged = report.metrics.flagged as Record<string, number>;
  const timings = report.metrics.timingsMs as Record<string, number>;
  console.log(`\n### Poisoning detection, ${n.toLocaleString("en")} rows × 20 columns, every check\n`);
  table(
    ["rows", "wall s", "CPU s", "outlier rows", "label-issue rows", "peak RSS MiB", "load avg (1 min) before / after"],
    [
      [
        n,
        (wall / 1000).toFixed(1),
        ((c.user + c.system) / 1e6).toFixed(1),
        flagged.outlier ?? 0,
        flagged["label-noise"] ?? 0,
        Math.round(peakRssMiB()),
        `${load0.toFixed(1)} / ${loadavg()[0]!.toFixed(1)}`,
      ],
    ],
  );
  console.log(
    `\nPer stage (wall ms): ${Object.entries(timings)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
  );
  console.log(`\nReproduce: npx tsx bench/poison-speed.ts ${n}`);
}

await main();
