/**
 * One data operation in a fresh process, so its peak RSS is its own (bench/data.bench.ts spawns it):
 *
 *   tsx bench/data-child.ts gen-csv ROWS PATH     1 label + 19 numeric columns, 2% flips, 1% outliers
 *   tsx bench/data-child.ts gen-text MIB PATH     prose with one PII sentence in 20
 *   tsx bench/data-child.ts poison|pii|hash PATH  runs the check, prints one JSON line of figures
 */
import { createWriteStream, statSync } from "node:fs";
import { sha256File } from "../src/core/index.js";
import { scanPii } from "../src/data/pii/index.js";
import { analyzeTable, loadTable } from "../src/data/poison/index.js";
import { corpus, rng } from "../test/data/pii-corpus.js";
import { poisonedData } from "../test/data/poison-data.js";

async function write(path: string, chunks: Iterable<string>): Promise<void> {
  const out = createWriteStream(path);
  for (const c of chunks) if (!out.write(c)) await new Promise<void>((r) => out.once("drain", () => r()));
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

function* csvRows(rows: number): Generator<string> {
  // Generated in blocks with their own seeds so memory stays small while the file grows.
  const block = 50_000;
  for (let b = 0; b * block < rows; b++) {
    const data = poisonedData({ seed: 1 + b, source: 1, n: Math.min(block, rows - b * block), d: 19, classes: 3, flipRate: 0.02, outlierRate: 0.01 });
    if (b === 0) yield `${data.header.join(",")}\n`;
    yield `${data.rows.map((r) => r.join(",")).join("\n")}\n`;
  }
}

function* proseText(mib: number): Generator<string> {
  const dense = corpus(99, 4000).map((s) => s.text);
  const r = rng(5);
  const words = "the of and to in is was for on that with as by at from it an be this which or are have not has but were their more about when also can".split(" ");
  let bytes = 0;
  let i = 0;
  while (bytes < mib * 2 ** 20) {
    const lines: string[] = [];
    for (let k = 0; k < 2000; k++, i++) {
      if (i % 20 === 0) lines.push(dense[i % dense.length]!);
      else lines.push(`${Array.from({ length: 10 + Math.floor(r() * 8) }, () => words[Math.floor(r() * words.length)]!).join(" ")}.`);
    }
    const s = `${lines.join("\n")}\n`;
    bytes += Buffer.byteLength(s);
    yield s;
  }
}

const [mode, a, b] = process.argv.slice(2);
const c0 = process.cpuUsage();
const t0 = performance.now();
const figures: Record<string, number | string> = {};
if (mode === "gen-csv") await write(b!, csvRows(Number(a)));
else if (mode === "gen-text") await write(b!, proseText(Number(a)));
else if (mode === "poison") {
  const table = await loadTable(a!, { label: "label" });
  figures.loadMs = Math.round(performance.now() - t0);
  const report = analyzeTable(table);
  figures.rows = table.n;
  figures.outliers = (report.metrics.flagged as Record<string, number>).outlier ?? 0;
  figures.labelIssues = (report.metrics.flagged as Record<string, number>)["label-noise"] ?? 0;
} else if (mode === "pii") {
  const r = await scanPii(a!, { maxFindings: 10 });
  figures.matches = Number(r.metrics?.matches ?? 0);
} else if (mode === "hash") figures.sha256 = (await sha256File(a!)).slice(0, 12);
else {
  console.error("usage: data-child.ts gen-csv ROWS PATH | gen-text MIB PATH | poison|pii|hash PATH");
  process.exit(2);
}
const c = process.cpuUsage(c0);
if (!mode!.startsWith("gen")) figures.fileMiB = Math.round(statSync(a!).size / 2 ** 20);
console.log(
  JSON.stringify({
    ...figures,
    wallMs: Math.round(performance.now() - t0),
    cpuMs: Math.round((c.user + c.system) / 1000),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
