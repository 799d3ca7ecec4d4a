import { createReadStream } from "node:fs";
import { parse } from "csv-parse";
import { RampartError } from "../core/index.js";
import type { Matrix } from "./tensor.js";

export interface CsvDataset {
  X: Matrix;
  y: Int32Array;
  /** Label values in class-index order (sorted as strings, or numerically when all numeric). */
  classes: string[];
  features: string[];
  label: string;
}

export interface LoadCsvOptions {
  label: string;
  /** Feature columns (default: every column but the label). */
  features?: string[];
  /** Refuse files with more rows than this (memory guard). */
  maxRows?: number;
}

/**
 * Streams a CSV with a header into a numeric feature matrix and integer labels. Every feature cell
 * must be a finite number; a bad cell is reported by file, line and column and nothing is returned.
 */
export async function loadCsvDataset(path: string, options: LoadCsvOptions): Promise<CsvDataset> {
  const maxRows = options.maxRows ?? 5_000_000;
  let header: string[] | undefined;
  let featIdx: number[] = [];
  let labelIdx = -1;
  let data = new Float64Array(1 << 16);
  let rows = 0;
  const labels: string[] = [];
  const input = createReadStream(path);
  const parser = input.pipe(parse({ bom: true, skip_empty_lines: true, relax_column_count: false, trim: true, info: true }));
  // pipe() does not forward read errors (ENOENT, EISDIR): hand them to the parser so the loop ends.
  input.on("error", (e) => parser.destroy(e));
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const rec = item.record;
      const line = item.info.lines;
      if (!header) {
        header = rec;
        labelIdx = header.indexOf(options.label);
        if (labelIdx < 0) throw new RampartError("invalid-input", `${path}:1: no column "${options.label}" for --label (columns: ${header.join(", ")})`);
        const names = options.features ?? header.filter((_, i) => i !== labelIdx);
        featIdx = names.map((n) => {
          const i = header!.indexOf(n);
          if (i < 0) throw new RampartError("invalid-input", `${path}:1: no feature column "${n}"`);
          if (i === labelIdx) throw new RampartError("usage", `${path}: column "${n}" cannot be both a feature and the label`);
          return i;
        });
        if (featIdx.length === 0) throw new RampartError("invalid-input", `${path}: no feature columns besides the label`);
        continue;
      }
      if (rows >= maxRows) throw new RampartError("limit", `${path}: more than ${maxRows} rows`);
      const d = featIdx.length;
      if ((rows + 1) * d > data.length) {
        const bigger = new Float64Array(Math.max(data.length * 2, (rows + 1) * d));
        bigger.set(data);
        data = bigger;
      }
      for (let j = 0; j < d; j++) {
        const cell = rec[featIdx[j]!]!;
        const v = cell === "" ? Number.NaN : Number(cell);
        if (!Number.isFinite(v)) throw new RampartError("invalid-input", `${path}:${line}: column "${header[featIdx[j]!]}": "${cell.slice(0, 40)}" is not a number`);
        data[rows * d + j] = v;
      }
      const lab = rec[labelIdx]!;
      if (lab === "") throw new RampartError("invalid-input", `${path}:${line}: column "${options.label}": empty label`);
      labels.push(lab);
      rows++;
    }
  } catch (e) {
    if (e instanceof RampartError) throw e;
    const err = e as NodeJS.ErrnoException;
    if (err.code === "ENOENT") throw new RampartError("not-found", `${path}: no such file`);
    if (err.code === "EISDIR") throw new RampartError("invalid-input", `${path}: is a directory, not a CSV file`);
    throw new RampartError("invalid-input", `${path}: not a readable CSV (${err.message})`);
  } finally {
    parser.destroy();
    input.destroy();
  }
  if (!header || rows === 0) throw new RampartError("invalid-input", `${path}: no data rows`);
  const distinct = [...new Set(labels)];
  const numeric = distinct.every((v) => Number.isFinite(Number(v)));
  distinct.sort(numeric ? (a, b) => Number(a) - Number(b) : undefined);
  if (distinct.length < 2) throw new RampartError("invalid-input", `${path}: column "${options.label}" has a single value; nothing to learn`);
  const index = new Map(distinct.map((v, i) => [v, i]));
  const d = featIdx.length;
  return {
    X: { rows, cols: d, data: data.slice(0, rows * d) },
    y: Int32Array.from(labels, (v) => index.get(v)!),
    classes: distinct,
    features: featIdx.map((i) => header![i]!),
    label: options.label,
  };
}

/** Writes a dataset as CSV text (features then label), for examples and tests. */
export function toCsv(X: Matrix, y: ArrayLike<number>, features: string[], label = "label"): string {
  const lines = [[...features, label].join(",")];
  for (let i = 0; i < X.rows; i++) {
    const cells: string[] = [];
    for (let j = 0; j < X.cols; j++) cells.push(String(Math.round(X.data[i * X.cols + j]! * 1e6) / 1e6));
    cells.push(String(y[i]));
    lines.push(cells.join(","));
  }
  return `${lines.join("\n")}\n`;
}

/** Streams one numeric column of a CSV (header required); a non-numeric cell names file, line, column. */
export async function loadCsvColumn(path: string, column: string, options: { maxRows?: number } = {}): Promise<Float64Array> {
  const maxRows = options.maxRows ?? 50_000_000;
  const input = createReadStream(path);
  const parser = input.pipe(parse({ bom: true, skip_empty_lines: true, trim: true, info: true }));
  input.on("error", (e) => parser.destroy(e));
  let idx = -1;
  let out = new Float64Array(1 << 14);
  let n = 0;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (idx < 0) {
        idx = item.record.indexOf(column);
        if (idx < 0) throw new RampartError("invalid-input", `${path}:1: no column "${column}" (columns: ${item.record.join(", ")})`);
        continue;
      }
      if (n >= maxRows) throw new RampartError("limit", `${path}: more than ${maxRows} rows`);
      const cell = item.record[idx]!;
      const v = cell === "" ? Number.NaN : Number(cell);
      if (!Number.isFinite(v)) throw new RampartError("invalid-input", `${path}:${item.info.lines}: column "${column}": "${cell.slice(0, 40)}" is not a number`);
      if (n === out.length) {
        const bigger = new Float64Array(out.length * 2);
        bigger.set(out);
        out = bigger;
      }
      out[n++] = v;
    }
  } catch (e) {
    if (e instanceof RampartError) throw e;
    const err = e as NodeJS.ErrnoException;
    if (err.code === "ENOENT") throw new RampartError("not-found", `${path}: no such file`);
    throw new RampartError("invalid-input", `${path}: not a readable CSV (${err.message})`);
  } finally {
    parser.destroy();
    input.destroy();
  }
  if (idx < 0) throw new RampartError("invalid-input", `${path}: empty file (no header)`);
  return out.slice(0, n);
}
