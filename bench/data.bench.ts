import { spawnSync } from "node:child_process";
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { sha256File } from "../src/core/index.js";
import { analyzeTable, tableFromRecords } from "../src/data/index.js";
import { poisonedData, poisonedRecords } from "../test/data/poison-data.js";
import { piiSpeedRows } from "./pii-mixes.js";
import { peakRssMiB, scratchDir, table, time } from "./util.js";

const FULL = process.env.RAMPART_BENCH_FULL === "1";

/**
 * Data ingestion: streaming sha256 against plain reading (disk speed), PII scanning of mixed text
 * (MB/s on one core), and every poisoning check on rows × 20 columns (1M rows with RAMPART_BENCH_FULL=1).
 */
export default async function bench(): Promise<void> {
  const { dir, cleanup } = scratchDir("data");
  try {
    // 1. Hashing vs reading.
    const mib = FULL ? 1024 : 256;
    const file = join(dir, "blob.bin");
    const fh = await open(file, "w");
    const chunk = Buffer.alloc(1 << 20);
    for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 2654435761) >>> 24;
    for (let i = 0; i < mib; i++) await fh.write(chunk);
    await fh.close();
    console.log(
      `\nLoad average at start: ${loadavg()
        .map((x) => x.toFixed(2))
        .join(", ")} (2 cores shared; CPU-time columns are the fair ones)`,
    );
    const cpuOf = async (fn: () => Promise<unknown>) => {
      const c0 = process.cpuUsage();
      const wall = await time(fn, 3);
      const c = process.cpuUsage(c0);
      return { wall, cpu: (c.user + c.system) / 1000 / 3 };
    };
    const read = await cpuOf(async () => {
      for await (const _ of createReadStream(file, { highWaterMark: 1 << 20 })) {
        // read only
      }
    });
    const hash = await cpuOf(() => sha256File(file));
    console.log(`\n### Hashing (${mib} MiB file, page cache warm)\n`);
    table(
      ["operation", "wall ms (best of 3)", "CPU ms (mean)", "MiB/s (wall)", "sha256 / read"],
      [
        ["read only (disk/page-cache speed)", read.wall, read.cpu, (mib / read.wall) * 1000, ""],
        ["sha256 streamed (data sign/verify)", hash.wall, hash.cpu, (mib / hash.wall) * 1000, (hash.wall / read.wall).toFixed(2)],
      ],
    );

    // 2. PII scanning of text, by entity mix (share of lines holding PII) and input size (one analyze call per unit).
    const rowsOut = piiSpeedRows({ repeats: 3 });
    console.log("\n### PII detection (one core; MB/s = 10^6 bytes of UTF-8 text per CPU second)\n");
    table(["entity mix", "unit analysed", "MiB", "wall ms (best of 3)", "CPU ms (best of 3)", "MB/s (CPU)"], rowsOut);

    // 3. Poisoning checks.
    const rowsList = FULL ? [100_000, 1_000_000] : [20_000, 100_000];
    const out: Array<Array<string | number>> = [];
    for (const n of rowsList) {
      const data = poisonedData({ seed: 1, n, d: 19, classes: 3, flipRate: 0.02, outlierRate: 0.01 });
      const t0 = performance.now();
      const t = await tableFromRecords(poisonedRecords(data), "bench", { label: "label" });
      const t1 = performance.now();
      const c0 = process.cpuUsage();
      const report = analyzeTable(t);
      const c = process.cpuUsage(c0);
      const t2 = performance.now();
      const flagged = report.metrics.flagged as Record<string, number>;
      out.push([
        n,
        20,
        Math.round(t1 - t0),
        Math.round(t2 - t1),
        Math.round((c.user + c.system) / 1000),
        flagged.outlier ?? 0,
        flagged["label-noise"] ?? 0,
        Math.round(peakRssMiB()),
      ]);
    }
    console.log("\n### Poisoning detection (rows × 20 columns: 19 numeric + 1 categorical, 3 classes)\n");
    table(["rows", "columns", "load ms (from objects)", "all checks wall ms", "all checks CPU ms", "outlier rows", "label-issue rows", "peak RSS MiB"], out);
    // 4. Files through the streaming readers, each in a fresh process so its peak RSS is its own.
    const child = join(dirname(fileURLToPath(import.meta.url)), "data-child.ts");
    const runChild = (...args: string[]) => {
      const p = spawnSync(process.execPath, ["--import", "tsx", child, ...args], { encoding: "utf8" });
      if (p.status !== 0) throw new Error(`data-child ${args.join(" ")}: ${p.stderr}`);
      return JSON.parse(p.stdout.trim().split("\n").pop()!) as Record<string, number>;
    };
    const csvRows = FULL ? 1_000_000 : 100_000;
    const textMiB = FULL ? 256 : 32;
    const csv = join(dir, "rows.csv");
    const text = join(dir, "notes.txt");
    runChild("gen-csv", String(csvRows), csv);
    runChild("gen-text", String(textMiB), text);
    const streamed: Array<Array<string | number>> = [];
    for (const [what, mode, path] of [
      [`poison: ${csvRows} rows × 20 columns CSV, every check`, "poison", csv],
      ["pii: text file, 1 line in 20 with PII", "pii", text],
      ["sha256 of the CSV (data sign/verify)", "hash", csv],
    ] as const) {
      const f = runChild(mode, path);
      streamed.push([what, f.fileMiB!, f.wallMs!, f.cpuMs!, ((f.fileMiB! * 2 ** 20) / 1e6 / f.cpuMs!) * 1000, f.peakRssMiB!]);
    }
    console.log("\n### Files, streamed (fresh process each; peak RSS includes Node and the loaded modules, ~100 MiB)\n");
    table(["operation", "file MiB", "wall ms", "CPU ms", "MB/s (CPU)", "peak RSS MiB"], streamed);
    console.log(
      `\nLoad average at end: ${loadavg()
        .map((x) => x.toFixed(2))
        .join(", ")}`,
    );
    console.log(`\nReproduce: ${FULL ? "RAMPART_BENCH_FULL=1 " : ""}npx tsx bench/run.ts data`);
  } finally {
    cleanup();
  }
}
