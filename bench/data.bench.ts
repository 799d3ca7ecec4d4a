import { spawnSync } from "node:child_process";
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { sha256File } from "../src/core/index.js";
import { analyze, analyzeTable, tableFromRecords } from "../src/data/index.js";
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
    const rowsOut: Array<Array<string | number>> = [];
    const mixes: Array<[string, number, number]> = [
      ["no PII (prose)", 0, 40_000],
      ["1 sentence in 20 with PII", 20, 40_000],
      ["every sentence with PII", 1, 8_000],
    ];
    for (const [mixName, every, count] of mixes) {
      const lines = mix(every, count);
      for (const [sizeName, perUnit] of [
        ["line (~80 B)", 1],
        ["paragraph (~1 KB)", 12],
        ["document (~64 KB)", 800],
      ] as const) {
        const input = units(lines, perUnit);
        const bytes = input.reduce((a, l) => a + Buffer.byteLength(l), 0);
        // One pass to let the JIT settle, then the best of three (the machine is shared).
        for (const l of input) analyze(l);
        let wall = Number.POSITIVE_INFINITY;
        let cpu = Number.POSITIVE_INFINITY;
        for (let k = 0; k < 3; k++) {
          const c0 = process.cpuUsage();
          const t0 = performance.now();
          for (const l of input) analyze(l);
          wall = Math.min(wall, performance.now() - t0);
          const c = process.cpuUsage(c0);
          cpu = Math.min(cpu, (c.user + c.system) / 1000);
        }
        rowsOut.push([mixName, sizeName, (bytes / 2 ** 20).toFixed(1), Math.round(wall), Math.round(cpu), (bytes / 1e6 / cpu) * 1000]);
      }
    }
    console.log("\n### PII detection (one core; MB/s = 10^6 bytes of UTF-8 text per CPU second)\n");
    table(["entity mix", "unit analysed", "MiB", "wall ms (best of 3)", "CPU ms (best of 3)", "MB/s (CPU)"], rowsOut);

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
