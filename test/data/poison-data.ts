import { writeFileSync } from "node:fs";
import { rng } from "./pii-corpus.js";

/** Gaussian via Box-Muller over the seeded generator. */
function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

export interface Poisoned {
  header: string[];
  rows: Array<Array<string | number>>;
  flipped: Set<number>;
  outliers: Set<number>;
  /** 1-based rows carrying the trigger. */
  triggered: Set<number>;
}

/**
 * Labelled tabular data: `classes` Gaussian clusters in `d` correlated dimensions plus a small
 * categorical column; then label flips, outliers (a few features pushed 6-12 SD out) and optionally a
 * backdoor (a constant trigger value in one column with the target label). Rows are 1-based; `source`
 * seeds the cluster centres (default: `seed`).
 */
export function poisonedData(options: {
  seed: number;
  n: number;
  d?: number;
  classes?: number;
  flipRate?: number;
  outlierRate?: number;
  backdoor?: number;
  shift?: number;
  source?: number;
}): Poisoned {
  const r = rng(options.seed);
  const d = options.d ?? 8;
  const K = options.classes ?? 3;
  // The source (cluster centres) is its own seed, so two samples can come from the same distribution.
  const rc = rng(options.source ?? options.seed);
  const centers = Array.from({ length: K }, () => Array.from({ length: d }, () => gauss(rc) * 2.2));
  const header = [...Array.from({ length: d }, (_, j) => `f${j}`), "region", "label"];
  const rows: Poisoned["rows"] = [];
  const flipped = new Set<number>();
  const outliers = new Set<number>();
  const triggered = new Set<number>();
  const regions = ["north", "south", "east", "west"];
  for (let i = 0; i < options.n; i++) {
    const y = Math.floor(r() * K);
    const shared = gauss(r);
    const x = centers[y]!.map((c, j) => c + 0.6 * gauss(r) + 0.4 * shared * (j % 2 ? 1 : -1) + (options.shift ?? 0) * (j === 0 ? 1 : 0));
    rows.push([...x.map((v) => Number(v.toFixed(4))), regions[Math.floor(r() * 4)]!, `c${y}`]);
  }
  const pickRows = (rate: number, avoid: Set<number>[]) => {
    const out = new Set<number>();
    const want = Math.round(rate * options.n);
    while (out.size < want) {
      const i = Math.floor(r() * options.n);
      if (!avoid.some((s) => s.has(i + 1))) out.add(i + 1);
    }
    return out;
  };
  for (const row of pickRows(options.flipRate ?? 0, [])) {
    const cur = Number(String(rows[row - 1]![d + 1]).slice(1));
    rows[row - 1]![d + 1] = `c${(cur + 1 + Math.floor(r() * (K - 1))) % K}`;
    flipped.add(row);
  }
  for (const row of pickRows(options.outlierRate ?? 0, [flipped])) {
    const features = 1 + Math.floor(r() * 3);
    for (let k = 0; k < features; k++) {
      const j = Math.floor(r() * d);
      rows[row - 1]![j] = Number((Number(rows[row - 1]![j]) + (r() < 0.5 ? -1 : 1) * (6 + 6 * r()) * 2.5).toFixed(4));
    }
    outliers.add(row);
  }
  if (options.backdoor) {
    for (const row of pickRows(options.backdoor, [flipped, outliers])) {
      rows[row - 1]![d - 1] = 7.777;
      rows[row - 1]![d + 1] = "c0";
      triggered.add(row);
    }
  }
  return { header, rows, flipped, outliers, triggered };
}

/** The rows as the records `tableFromRecords` reads (1-based row numbers), for benchmarks. */
export function* poisonedRecords(data: Poisoned): Generator<{ row: number; values: Record<string, unknown> }> {
  for (let i = 0; i < data.rows.length; i++) {
    const values: Record<string, unknown> = {};
    data.header.forEach((h, j) => {
      values[h] = data.rows[i]![j];
    });
    yield { row: i + 1, values };
  }
}

export function writeCsv(path: string, data: Poisoned): void {
  writeFileSync(path, `${data.header.join(",")}\n${data.rows.map((r) => r.join(",")).join("\n")}\n`);
}

/**
 * A clean, heavily imbalanced table (session 16): `d` independent normal columns, label 1 where
 * x0 + x1 + 3·noise passes a cut that leaves about 2 % of rows in class 1 — a small class the models can
 * hardly predict, with no label changed. Rows are 1-based; nothing is injected.
 */
export function imbalancedClean(options: { seed: number; n: number; d?: number }): Poisoned {
  const r = rng(options.seed);
  const d = options.d ?? 8;
  const header = [...Array.from({ length: d }, (_, j) => `f${j}`), "label"];
  const rows: Poisoned["rows"] = [];
  // x0 + x1 + 3e has variance 11; 2.05 SD above its mean leaves ~2 % of rows in class 1.
  const cut = 2.05 * Math.sqrt(11);
  for (let i = 0; i < options.n; i++) {
    const x = Array.from({ length: d }, () => gauss(r));
    rows.push([...x.map((v) => Number(v.toFixed(4))), x[0]! + x[1]! + 3 * gauss(r) > cut ? "c1" : "c0"]);
  }
  return { header, rows, flipped: new Set(), outliers: new Set(), triggered: new Set() };
}
