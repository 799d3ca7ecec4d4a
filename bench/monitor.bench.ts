/**
 * Drift monitoring: whole-file comparison time and peak memory by rows (10 numeric + 4 categorical
 * columns, both files in CSV), and the exact KS p-value's cost by sample size (O(n1·n2)).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { detectDrift, ks2 } from "../src/monitor/index.js";
import { peakRssMiB, scratchDir, table, time } from "./util.js";

function csv(path: string, rows: number, seed: number, shift: number): void {
  let s = seed;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 2 ** 32;
  };
  const cats = ["a", "b", "c", "d", "e"];
  const head = [...Array.from({ length: 10 }, (_, i) => `x${i}`), ...Array.from({ length: 4 }, (_, i) => `c${i}`)];
  const out: string[] = [head.join(",")];
  for (let r = 0; r < rows; r++) {
    const nums = Array.from({ length: 10 }, (_, i) => (rand() + rand() + rand() + (i < 3 ? shift : 0)).toFixed(4));
    const labels = Array.from({ length: 4 }, () => cats[Math.floor(rand() * (shift && rand() < 0.2 ? 2 : 5))]);
    out.push([...nums, ...labels].join(","));
  }
  writeFileSync(path, `${out.join("\n")}\n`);
}

export default async function bench(): Promise<void> {
  const { dir, cleanup } = scratchDir("monitor");
  try {
    const rows: Array<Array<string | number>> = [];
    for (const n of [10_000, 100_000, 1_000_000]) {
      const ref = join(dir, `ref-${n}.csv`);
      const cur = join(dir, `cur-${n}.csv`);
      csv(ref, n, 1, 0);
      csv(cur, n, 2, 0.2);
      let drifted = 0;
      const cpu0 = process.cpuUsage();
      const ms = await time(
        async () => {
          drifted = (await detectDrift(ref, cur)).metrics.driftedColumns as number;
        },
        n >= 1_000_000 ? 1 : 3,
      );
      const cpu = process.cpuUsage(cpu0);
      rows.push([
        n.toLocaleString("en"),
        14,
        ms.toFixed(0),
        ((cpu.user + cpu.system) / 1000 / (n >= 1_000_000 ? 1 : 3)).toFixed(0),
        ((2 * n) / (ms / 1000)).toFixed(0),
        drifted,
        peakRssMiB().toFixed(0),
      ]);
    }
    table(["rows per file", "columns", "wall ms", "CPU ms", "rows/s (both files)", "drifted columns", "peak RSS MiB"], rows);

    const ks: Array<Array<string | number>> = [];
    for (const n of [500, 1_000, 2_000, 4_000]) {
      const a = Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 43_758.5453 - Math.floor(Math.sin(i * 12.9898) * 43_758.5453));
      const b = a.map((v, i) => v + (i % 7) * 0.01);
      let p = 0;
      const ms = await time(() => {
        p = ks2(a, b).pValue!;
      }, 3);
      ks.push([n, `${(n * n).toLocaleString("en")}`, ms.toFixed(1), p.toPrecision(3)]);
    }
    console.log("\nExact two-sample KS p-value (lattice path count):\n");
    table(["n1 = n2", "cells", "ms", "p"], ks);
  } finally {
    cleanup();
  }
}
