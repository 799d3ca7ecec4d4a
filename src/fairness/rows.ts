import { createReadStream } from "node:fs";
import { extname } from "node:path";
import { parse } from "csv-parse";
import { fileError, RampartError } from "../core/index.js";

/** One data record: values of the requested columns (null = empty or missing), with its position. */
export interface Row {
  /** 1-based data record number, header excluded. */
  row: number;
  /** 1-based line in the file where the record starts. */
  line: number;
  values: (string | null)[];
}

export type TableFormat = "csv" | "tsv" | "jsonl";

/** A single record longer than this is refused rather than buffered (untrusted input). */
export const MAX_RECORD_BYTES = 1 << 20;

export function tableFormatOf(path: string, forced?: TableFormat): TableFormat {
  if (forced) return forced;
  const ext = extname(path.replace(/\.gz$/i, "")).toLowerCase();
  if (ext === ".jsonl" || ext === ".ndjson" || ext === ".json") return "jsonl";
  if (ext === ".tsv" || ext === ".tab") return "tsv";
  return "csv";
}

/**
 * Streams the records of a CSV/TSV (header row required) or JSON Lines file, yielding only the
 * requested columns. Memory stays bounded by one read chunk. A requested column absent from the CSV
 * header is an error naming the file and the column; in JSON Lines an absent key reads as null.
 */
export async function* readRows(path: string, columns: readonly string[], format: TableFormat = tableFormatOf(path)): AsyncGenerator<Row> {
  for await (const batch of readRowBatches(path, columns, format)) yield* batch;
}

/** The same records, one array per chunk read (64 KiB): an await per chunk instead of per row. */
export function readRowBatches(path: string, columns: readonly string[], format: TableFormat = tableFormatOf(path)): AsyncGenerator<Row[]> {
  return format === "jsonl" ? readJsonl(path, columns) : readCsv(path, columns, format === "tsv" ? "\t" : ",");
}

async function* readCsv(path: string, columns: readonly string[], delimiter: string): AsyncGenerator<Row[]> {
  const stream = createReadStream(path, { highWaterMark: 1 << 16 });
  const parser = parse({
    delimiter,
    bom: true,
    skip_empty_lines: false,
    relax_column_count: true,
    max_record_size: MAX_RECORD_BYTES,
    relax_quotes: false,
    trim: false,
  });
  let parseError: unknown;
  parser.on("error", (e) => {
    parseError = e;
  });
  let index: number[] | undefined;
  let width = 0;
  let row = 0;
  // Line where the next record starts: one past the previous record plus the line breaks inside its
  // quoted fields (blank lines come through as records, so they count too). Cheaper than csv-parse's info.
  let nextLine = 1;
  // The parser transforms synchronously inside write(); its output is drained right after each chunk.
  const drain = (): Row[] => {
    const batch: Row[] = [];
    for (let record = parser.read() as string[] | null; record !== null; record = parser.read()) {
      const start = nextLine;
      nextLine++;
      for (const field of record) for (let i = field.indexOf("\n"); i >= 0; i = field.indexOf("\n", i + 1)) nextLine++;
      if (record.length === 1 && record[0] === "") continue;
      if (!index) {
        const header = record.map((h) => h.trim());
        index = columns.map((c) => {
          const i = header.indexOf(c);
          if (i < 0)
            throw new RampartError("invalid-input", `${path}:1: no column "${c}" in the header (columns: ${header.slice(0, 20).join(", ")}${header.length > 20 ? ", …" : ""})`);
          return i;
        });
        width = header.length;
        continue;
      }
      row++;
      if (record.length !== width) throw new RampartError("invalid-input", `${path}:${start}: record ${row} has ${record.length} fields, the header has ${width}`);
      batch.push({ row, line: start, values: index.map((i) => (record[i] === "" ? null : record[i]!)) });
    }
    const failed = parseError ?? parser.errored;
    if (failed) throw csvError(path, failed);
    return batch;
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      parser.write(chunk);
      const batch = drain();
      if (batch.length > 0) yield batch;
    }
    parser.end();
    while (!parser.writableFinished && !parseError && !parser.errored) await new Promise((r) => setImmediate(r));
    const batch = drain();
    if (batch.length > 0) yield batch;
  } catch (e) {
    if (e instanceof RampartError) throw e;
    throw fileError(path, e);
  } finally {
    stream.destroy();
    parser.destroy();
  }
  if (!index) throw new RampartError("invalid-input", `${path}: empty file (a header row is required)`);
}

function csvError(path: string, e: unknown): RampartError {
  const err = e as { message?: string; lines?: number; code?: string };
  if (err.code === "CSV_MAX_RECORD_SIZE") return new RampartError("limit", `${path}:${err.lines ?? "?"}: a record is longer than ${MAX_RECORD_BYTES} bytes`);
  return new RampartError("invalid-input", `${path}:${err.lines ?? "?"}: ${oneLine(err.message ?? "malformed CSV")}`);
}

async function* readJsonl(path: string, columns: readonly string[]): AsyncGenerator<Row[]> {
  const stream = createReadStream(path, { highWaterMark: 1 << 16 });
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let line = 0;
  let row = 0;
  const parseLine = (buf: Buffer): Row | undefined => {
    line++;
    const text = buf.toString("utf8").replace(/^\uFEFF/, "");
    if (text.trim() === "") return undefined;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new RampartError("invalid-input", `${path}:${line}: not valid JSON (${(e as Error).message})`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new RampartError("invalid-input", `${path}:${line}: expected a JSON object per line`);
    row++;
    const obj = value as Record<string, unknown>;
    return {
      row,
      line,
      values: columns.map((c) => {
        const v = Object.hasOwn(obj, c) ? obj[c] : null;
        if (v === null || v === undefined) return null;
        if (typeof v === "string") return v === "" ? null : v;
        if (typeof v === "number" || typeof v === "boolean") return String(v);
        throw new RampartError("invalid-input", `${path}:${line}: field "${c}" is ${Array.isArray(v) ? "an array" : "an object"}, expected a string, number or boolean`);
      }),
    };
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const batch: Row[] = [];
      let start = 0;
      for (let nl = chunk.indexOf(10, start); nl >= 0; nl = chunk.indexOf(10, start)) {
        const piece = chunk.subarray(start, nl);
        const buf = pending.length > 0 ? Buffer.concat([...pending, piece]) : piece;
        pending = [];
        pendingBytes = 0;
        if (buf.length > MAX_RECORD_BYTES) throw new RampartError("limit", `${path}:${line + 1}: a line is longer than ${MAX_RECORD_BYTES} bytes`);
        const r = parseLine(buf);
        if (r) batch.push(r);
        start = nl + 1;
      }
      if (start < chunk.length) {
        pending.push(chunk.subarray(start));
        pendingBytes += chunk.length - start;
        if (pendingBytes > MAX_RECORD_BYTES) throw new RampartError("limit", `${path}:${line + 1}: a line is longer than ${MAX_RECORD_BYTES} bytes`);
      }
      if (batch.length > 0) yield batch;
    }
  } catch (e) {
    if (e instanceof RampartError) throw e;
    throw fileError(path, e);
  } finally {
    stream.destroy();
  }
  if (pending.length > 0) {
    const r = parseLine(Buffer.concat(pending));
    if (r) yield [r];
  }
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, " ").trim();
}
