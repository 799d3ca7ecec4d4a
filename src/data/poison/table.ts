import { RampartError } from "../../core/index.js";
import { type DataFormat, type DataRecord, readRecords, toNumber } from "../readers/index.js";

/** A numeric column (NaN = missing) or a categorical one (codes into `levels`, -1 = missing). */
export type Column = { name: string; kind: "numeric"; values: Float64Array } | { name: string; kind: "categorical"; codes: Int32Array; levels: string[] };

/** A table held column-wise in typed arrays: 8 bytes a numeric cell, 4 a categorical one. */
export interface Table {
  n: number;
  columns: Column[];
  /** Label codes per row (-1 = missing) and their names, when a label column was named. */
  label?: { name: string; codes: Int32Array; levels: string[] };
  /** Columns left out: identifiers, free text, the ones the user excluded. */
  ignored: Array<{ name: string; reason: string }>;
}

export interface LoadOptions {
  label?: string;
  ignore?: readonly string[];
  format?: DataFormat;
  /** Stop after this many rows (refuse larger inputs instead of exhausting memory). */
  maxRows?: number;
}

class Builder {
  numeric = new Float64Array(1024);
  codes: Int32Array | undefined;
  levels: string[] = [];
  index = new Map<string, number>();
  isNumeric = true;
  constructor(readonly name: string) {}
  ensure(n: number): void {
    if (this.isNumeric) {
      if (n >= this.numeric.length) {
        const next = new Float64Array(this.numeric.length * 2);
        next.set(this.numeric);
        this.numeric = next;
      }
    } else if (n >= this.codes!.length) {
      const next = new Int32Array(this.codes!.length * 2);
      next.set(this.codes!);
      this.codes = next;
    }
  }
  code(s: string): number {
    let c = this.index.get(s);
    if (c === undefined) {
      c = this.levels.length;
      this.levels.push(s);
      this.index.set(s, c);
    }
    return c;
  }
  /** A text value in a column so far numeric: switch to categorical, re-coding the numbers seen. */
  toCategorical(upTo: number): void {
    this.isNumeric = false;
    this.codes = new Int32Array(this.numeric.length);
    for (let i = 0; i < upTo; i++) this.codes[i] = Number.isNaN(this.numeric[i]!) ? -1 : this.code(String(this.numeric[i]));
    this.numeric = new Float64Array(0);
  }
  set(i: number, v: unknown): void {
    this.ensure(i);
    if (v === null || v === undefined || v === "") {
      if (this.isNumeric) this.numeric[i] = Number.NaN;
      else this.codes![i] = -1;
      return;
    }
    if (this.isNumeric) {
      const x = toNumber(v);
      if (x !== undefined) {
        this.numeric[i] = x;
        return;
      }
      this.toCategorical(i);
    }
    this.codes![i] = this.code(typeof v === "string" ? v : JSON.stringify(v));
  }
}

const ID_NAME = /^(id|uuid|guid|index|row|row_?id|.*_id|.*Id)$/;

/** Streams a data file into a column-wise table; the label column is kept apart as class codes. */
export function loadTable(path: string, options: LoadOptions = {}): Promise<Table> {
  return tableFromRecords(readRecords(path, { format: options.format }), path, options);
}

/** Builds a table from any stream of records (a file, a batch of JSON lines from stdin). */
export async function tableFromRecords(records: AsyncIterable<DataRecord> | Iterable<DataRecord>, path: string, options: LoadOptions = {}): Promise<Table> {
  const builders = new Map<string, Builder>();
  const ignore = new Set(options.ignore ?? []);
  const labelIndex = new Map<string, number>();
  const labelLevels: string[] = [];
  let labels = new Int32Array(1024);
  let labelSeen = false;
  let n = 0;
  const order: string[] = [];
  for await (const rec of records) {
    if (options.maxRows !== undefined && n >= options.maxRows) throw new RampartError("limit", `${path}: more than ${options.maxRows} rows (raise --max-rows)`);
    for (const [k, v] of Object.entries(rec.values)) {
      if (k === options.label) continue;
      if (ignore.has(k)) continue;
      let b = builders.get(k);
      if (!b) {
        b = new Builder(k);
        // A column first seen late is missing in the rows before.
        for (let i = 0; i < n; i++) b.set(i, null);
        builders.set(k, b);
        order.push(k);
      }
      b.set(n, v);
    }
    for (const b of builders.values()) if (!(b.name in rec.values)) b.set(n, null);
    if (options.label) {
      if (n >= labels.length) {
        const next = new Int32Array(labels.length * 2);
        next.set(labels);
        labels = next;
      }
      const raw = rec.values[options.label];
      if (raw === undefined || raw === null || raw === "") labels[n] = -1;
      else {
        labelSeen = true;
        const s = typeof raw === "string" ? raw : JSON.stringify(raw);
        let c = labelIndex.get(s);
        if (c === undefined) {
          c = labelLevels.length;
          labelLevels.push(s);
          labelIndex.set(s, c);
        }
        labels[n] = c;
      }
    }
    n++;
  }
  if (n === 0) throw new RampartError("invalid-input", `${path}: no data rows`);
  if (options.label && !labelSeen) throw new RampartError("invalid-input", `${path}: label column "${options.label}" not found or empty`);
  const columns: Column[] = [];
  const ignored: Table["ignored"] = [...ignore].map((name) => ({ name, reason: "excluded by --ignore" }));
  for (const name of order) {
    const b = builders.get(name)!;
    if (b.isNumeric) {
      const values = b.numeric.slice(0, n);
      if (ID_NAME.test(name) && isIdentifier(values)) ignored.push({ name, reason: "identifier (distinct increasing integers)" });
      else columns.push({ name, kind: "numeric", values });
    } else {
      if (b.levels.length > Math.max(50, 0.5 * n)) {
        ignored.push({ name, reason: `identifier or free text (${b.levels.length} distinct values)` });
        continue;
      }
      columns.push({ name, kind: "categorical", codes: b.codes!.slice(0, n), levels: b.levels });
    }
  }
  return { n, columns, ignored, ...(options.label ? { label: { name: options.label, codes: labels.slice(0, n), levels: labelLevels } } : {}) };
}

function isIdentifier(v: Float64Array): boolean {
  for (let i = 1; i < v.length; i++) if (!(v[i]! > v[i - 1]!) || !Number.isInteger(v[i])) return false;
  return v.length > 1;
}
