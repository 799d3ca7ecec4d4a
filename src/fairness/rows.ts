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
 * requested columns. Memory stays bounded by one record. A requested column absent from the CSV
 * header is an error naming the file and the column; in JSON Lines an absent key reads as null.
 */
export async function* readRows(path: string, columns: readonly string[], format: TableFormat = tableFormatOf(path)): AsyncGenerator<Row> {
  if (format === "jsonl") yield* readJsonl(path, columns);
  else yield* readCsv(path, columns, format === "tsv" ? "\t" : ",");
}

async function* readCsv(path: string, columns: readonly string[], delimiter: string): AsyncGenerator<Row> {
  const stream = createReadStream(path, { highWaterMark: 1 << 16 });
  const parser = stream.pipe(
    parse({ delimiter, bom: true, skip_empty_lines: false, relax_column_count: true, info: true, max_record_size: MAX_RECORD_BYTES, relax_quotes: false, trim: false }),
  );
  let streamError: unknown;
  stream.on("error", (e) => {
    streamError = e;
    parser.destroy(e);
  });
  let index: number[] | undefined;
  let width = 0;
  let row = 0;
  // info.lines is where a record ends; it starts after the previous one (blank lines are kept as records and skipped here).
  let previousEnd = 0;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { record, info } = item;
      const start = previousEnd + 1;
      previousEnd = info.lines;
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
      yield { row, line: start, values: index.map((i) => (record[i] === "" ? null : record[i]!)) };
    }
  } catch (e) {
    if (streamError) throw fileError(path, streamError);
    if (e instanceof RampartError) throw e;
    const err = e as { message?: string; lines?: number; code?: string; record?: unknown[] };
    if (err.code === "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH")
      throw new RampartError("invalid-input", `${path}:${err.lines ?? "?"}: ${err.record?.length ?? "wrong number of"} fields, the header has ${width}`);
    if (err.code === "CSV_MAX_RECORD_SIZE") throw new RampartError("limit", `${path}:${err.lines ?? "?"}: a record is longer than ${MAX_RECORD_BYTES} bytes`);
    if (err.code?.startsWith("CSV_")) throw new RampartError("invalid-input", `${path}:${err.lines ?? "?"}: ${oneLine(err.message ?? "malformed CSV")}`);
    throw fileError(path, e);
  }
  if (!index) throw new RampartError("invalid-input", `${path}: empty file (a header row is required)`);
}

async function* readJsonl(path: string, columns: readonly string[]): AsyncGenerator<Row> {
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
      let start = 0;
      for (let nl = chunk.indexOf(10, start); nl >= 0; nl = chunk.indexOf(10, start)) {
        const piece = chunk.subarray(start, nl);
        const buf = pending.length > 0 ? Buffer.concat([...pending, piece]) : piece;
        pending = [];
        pendingBytes = 0;
        if (buf.length > MAX_RECORD_BYTES) throw new RampartError("limit", `${path}:${line + 1}: a line is longer than ${MAX_RECORD_BYTES} bytes`);
        const r = parseLine(buf);
        if (r) yield r;
        start = nl + 1;
      }
      if (start < chunk.length) {
        pending.push(chunk.subarray(start));
        pendingBytes += chunk.length - start;
        if (pendingBytes > MAX_RECORD_BYTES) throw new RampartError("limit", `${path}:${line + 1}: a line is longer than ${MAX_RECORD_BYTES} bytes`);
      }
    }
  } catch (e) {
    if (e instanceof RampartError) throw e;
    throw fileError(path, e);
  } finally {
    stream.destroy();
  }
  if (pending.length > 0) {
    const r = parseLine(Buffer.concat(pending));
    if (r) yield r;
  }
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, " ").trim();
}
