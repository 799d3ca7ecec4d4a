import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { auditFile, Rng } from "../src/fairness/index.js";
import { peakRssMiB, scratchDir, table, time } from "./util.js";

/** Writes a scored CSV: `groups` values of `g`, 3 of `h`, binary label/prediction and a score. */
async function makeCsv(file: string, rows: number, groups: number): Promise<void> {
  const out = createWriteStream(file);
  const rng = new Rng(rows * 31 + groups);
  out.write("g,h,y,pred,score\n");
  let chunk = "";
  for (let i = 0; i < rows; i++) {
    const g = Math.floor(rng.next() * groups);
    const y = rng.next() < 0.4 + (g % 3) * 0.05 ? 1 : 0;
    const s = Math.min(1, Math.max(0, (y ? 0.6 : 0.4) + (rng.next() - 0.5) * 0.6));
    chunk += `g${g},${["a", "b", "c"][i % 3]},${y},${s >= 0.5 ? 1 : 0},${s.toFixed(4)}\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", () => r()));
      chunk = "";
    }
  }
  out.write(chunk);
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

/** rows/s against rows, against the number of groups, and the cost of bootstrap replicates. */
export default async function bench(): Promise<void> {
  const { dir, cleanup } = scratchDir("fairness");
  try {
    const base = { sensitive: ["g", "h"], label: "y", prediction: "pred", score: "score" };
    console.log("\n**Rows** (2 attributes + their intersection: 4 × 3 groups, scores, no bootstrap)\n");
    const byRows: Array<Array<string | number>> = [];
    for (const rows of [10_000, 100_000, 1_000_000]) {
      const file = join(dir, `r${rows}.csv`);
      await makeCsv(file, rows, 4);
      const ms = await time(() => auditFile(file, { ...base, bootstrap: 0 }), rows >= 1_000_000 ? 1 : 3);
      byRows.push([rows.toLocaleString("en"), ms, Math.round((rows / ms) * 1000)]);
    }
    table(["rows", "ms", "rows/s"], byRows);

    console.log("\n**Groups** (100,000 rows; `g` has this many values, ×3 intersections; no bootstrap)\n");
    const byGroups: Array<Array<string | number>> = [];
    for (const groups of [2, 10, 100, 1000]) {
      const file = join(dir, `g${groups}.csv`);
      await makeCsv(file, 100_000, groups);
      const ms = await time(() => auditFile(file, { ...base, bootstrap: 0, maxGroups: 10_000 }), 3);
      byGroups.push([groups, ms, Math.round((100_000 / ms) * 1000)]);
    }
    table(["groups of g", "ms", "rows/s"], byGroups);

    console.log("\n**Bootstrap** (100,000 rows, 4 × 3 groups, Poisson bootstrap in the same pass)\n");
    const file = join(dir, "r100000.csv");
    const byB: Array<Array<string | number>> = [];
    for (const replicates of [0, 50, 200, 1000]) {
      const ms = await time(() => auditFile(file, { ...base, bootstrap: replicates }), replicates >= 1000 ? 1 : 2);
      byB.push([replicates, ms, Math.round((100_000 / ms) * 1000)]);
    }
    table(["replicates", "ms", "rows/s"], byB);
    console.log(`\npeak RSS ${peakRssMiB().toFixed(0)} MiB for the whole process (the 1,000,000-row file is ~22 MB; the accumulator keeps numbers per group, never rows)`);
  } finally {
    cleanup();
  }
}
