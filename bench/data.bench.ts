import { createReadStream, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { sha256File } from "../src/core/index.js";
import { analyze, analyzeTable, scanPii, tableFromRecords } from "../src/data/index.js";
import { corpus, rng } from "../test/data/pii-corpus.js";
import { poisonedData } from "../test/data/poison-data.js";
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
    const readMs = await time(async () => {
      for await (const _ of createReadStream(file, { highWaterMark: 1 << 20 })) {
        // read only
      }
    }, 3);
    const hashMs = await time(() => sha256File(file), 3);
    console.log(`\n### Hashing (${mib} MiB file, page cache warm)\n`);
    table(
      ["operation", "ms (best of 3)", "MiB/s"],
      [
        ["read only (disk/page-cache speed)", readMs, (mib / readMs) * 1000],
        ["sha256 streamed (sign/verify)", hashMs, (mib / hashMs) * 1000],
      ],
    );

    // 2. PII scanning of text: PII-dense generated sentences, and prose with one PII sentence in 20.
    const dense = corpus(99, 40_000).map((s) => s.text);
    const r = rng(5);
    const words =
      "the of and to in is was for on that with as by at from it an be this which or are have not has but were their more about when also can one all new other time some into only over such people after first two may most state year".split(
        " ",
      );
    const prose: string[] = [];
    for (let i = 0; i < 60_000; i++) {
      if (i % 20 === 0) prose.push(dense[i % dense.length]!);
      else {
        const n = 10 + Math.floor(r() * 8);
        const w = Array.from({ length: n }, () => words[Math.floor(r() * words.length)]!);
        w[0] = w[0]![0]!.toUpperCase() + w[0]!.slice(1);
        prose.push(`${w.join(" ")}.`);
      }
    }
    const rowsOut: Array<Array<string | number>> = [];
    for (const [label, lines] of [
      ["PII-dense sentences (every line has PII)", dense],
      ["prose, 1 line in 20 with PII", prose],
    ] as const) {
      const bytes = lines.reduce((a, l) => a + Buffer.byteLength(l) + 1, 0);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (const l of lines) analyze(l);
      const wall = performance.now() - t0;
      const c = process.cpuUsage(c0);
      const cpu = (c.user + c.system) / 1000;
      rowsOut.push([label, (bytes / 2 ** 20).toFixed(1), Math.round(wall), Math.round(cpu), (bytes / 2 ** 20 / cpu) * 1000]);
    }
    const textFile = join(dir, "notes.txt");
    writeFileSync(textFile, `${prose.join("\n")}\n`);
    const c1 = process.cpuUsage();
    await scanPii(textFile, { maxFindings: 10 });
    const c2 = process.cpuUsage(c1);
    const proseBytes = prose.reduce((a, l) => a + Buffer.byteLength(l) + 1, 0);
    rowsOut.push([
      "scanPii(file), prose, incl. reading",
      (proseBytes / 2 ** 20).toFixed(1),
      "",
      Math.round((c2.user + c2.system) / 1000),
      (proseBytes / 2 ** 20 / ((c2.user + c2.system) / 1000)) * 1000,
    ]);
    console.log("\n### PII detection (one core; MiB/s from CPU time, the machine is shared)\n");
    table(["text", "MiB", "wall ms", "CPU ms", "MiB/s (CPU)"], rowsOut);

    // 3. Poisoning checks.
    const rowsList = FULL ? [100_000, 1_000_000] : [20_000, 100_000];
    const out: Array<Array<string | number>> = [];
    for (const n of rowsList) {
      const data = poisonedData({ seed: 1, n, d: 19, classes: 3, flipRate: 0.02, outlierRate: 0.01 });
      const records = function* () {
        for (let i = 0; i < data.rows.length; i++) {
          const values: Record<string, unknown> = {};
          data.header.forEach((h, j) => {
            values[h] = data.rows[i]![j];
          });
          yield { row: i + 1, values };
        }
      };
      const t0 = performance.now();
      const t = await tableFromRecords(records(), "bench", { label: "label" });
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
    console.log(`\nReproduce: ${FULL ? "RAMPART_BENCH_FULL=1 " : ""}npx tsx bench/run.ts data`);
  } finally {
    cleanup();
  }
}
