import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { rename, rm, stat } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import { parse } from "csv-parse";
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } from "hyparquet";
import { fileError, oneLine, RampartError } from "../../core/index.js";

export type DataFormat = "csv" | "tsv" | "jsonl" | "parquet";
export const DATA_FORMATS: readonly DataFormat[] = ["csv", "tsv", "jsonl", "parquet"];

/** One data record: `row` is 1-based and excludes the header; `line` is the source line where one exists. */
export interface DataRecord {
  row: number;
  line?: number;
  values: Record<string, unknown>;
}

export interface ReadOptions {
  format?: DataFormat;
  /** A record (CSV) or line (JSONL) longer than this is refused: untrusted files must not exhaust memory. */
  maxRecordBytes?: number;
  /** Parquet rows decoded per slice (a row group is never read whole when it is larger). */
  parquetBatchRows?: number;
}

const DEFAULT_MAX_RECORD = 16 << 20;

/** The format of a data file, from its extension (`.csv`, `.tsv`, `.jsonl`/`.ndjson`/`.json`, `.parquet`). */
export function formatOf(path: string, explicit?: DataFormat): DataFormat {
  if (explicit) return explicit;
  const ext = extname(path.endsWith(".gz") ? path.slice(0, -3) : path).toLowerCase();
  if (ext === ".csv") return "csv";
  if (ext === ".tsv" || ext === ".tab") return "tsv";
  if (ext === ".jsonl" || ext === ".ndjson" || ext === ".json") return "jsonl";
  if (ext === ".parquet" || ext === ".pq") return "parquet";
  throw new RampartError("usage", `${path}: unknown data format (expected .csv, .tsv, .jsonl, .ndjson or .parquet; or pass --input-format)`);
}

/** True when the path names a file Rampart can read as records. */
export function isDataFile(path: string): boolean {
  try {
    formatOf(path);
    return true;
  } catch {
    return false;
  }
}

/** Streams the records of a CSV, TSV, JSON Lines or Parquet file; memory stays bounded by one record (or batch). */
export function readRecords(path: string, options: ReadOptions = {}): AsyncGenerator<DataRecord> {
  const format = formatOf(path, options.format);
  if (format === "parquet") return readParquet(path, options);
  if (format === "jsonl") return readJsonLines(path, options);
  return readDelimited(path, format === "tsv" ? "\t" : ",", options);
}

async function* readDelimited(path: string, delimiter: string, options: ReadOptions): AsyncGenerator<DataRecord> {
  const parser = parse({
    columns: (header: string[]) => dedupeHeader(header, path),
    delimiter,
    bom: true,
    info: true,
    skip_empty_lines: true,
    max_record_size: options.maxRecordBytes ?? DEFAULT_MAX_RECORD,
    relax_quotes: false,
  });
  // pipe() does not forward a read error (a missing file): hand it to the parser, whose loop reports it.
  createReadStream(path)
    .on("error", (e) => parser.destroy(e))
    .pipe(parser);
  let row = 0;
  try {
    for await (const item of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      row++;
      yield { row, line: item.info.lines, values: item.record };
    }
  } catch (e) {
    throw csvError(path, e);
  }
}

function dedupeHeader(header: string[], path: string): string[] {
  const seen = new Set<string>();
  return header.map((h, i) => {
    const name = h.trim() || `column_${i + 1}`;
    if (seen.has(name)) throw new RampartError("invalid-input", `${path}:1: duplicate column name "${name}"`);
    seen.add(name);
    return name;
  });
}

function csvError(path: string, e: unknown): RampartError {
  if (e instanceof RampartError) return e;
  const err = e as { code?: string; lines?: number; message?: string };
  if (err.code && String(err.code).startsWith("CSV_")) {
    const where = err.lines ? `${path}:${err.lines}` : path;
    // csv-parse quotes the offending character raw (`got "\n"`), which would break the one-line report.
    const why = err.code === "CSV_MAX_RECORD_SIZE" ? "record exceeds the size limit" : oneLine((err.message ?? err.code).replace(/^Invalid [^:]*: /, ""));
    return new RampartError(err.code === "CSV_MAX_RECORD_SIZE" ? "limit" : "invalid-input", `${where}: ${why}`);
  }
  return fileError(path, e);
}

async function* readJsonLines(path: string, options: ReadOptions): AsyncGenerator<DataRecord> {
  const max = options.maxRecordBytes ?? DEFAULT_MAX_RECORD;
  let row = 0;
  let line = 0;
  for await (const text of lines(path, max)) {
    line++;
    if (line === 1 && text.charCodeAt(0) === 0xfeff) {
      yield* one(text.slice(1));
      continue;
    }
    yield* one(text);
  }
  function* one(text: string): Generator<DataRecord> {
    if (text.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new RampartError("invalid-input", `${path}:${line}: not valid JSON (${oneLine((e as Error).message)})`);
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) throw new RampartError("invalid-input", `${path}:${line}: expected a JSON object per line`);
    row++;
    yield { row, line, values: value as Record<string, unknown> };
  }
}

/** Splits a file into UTF-8 lines without ever holding more than one line (bounded by `max` bytes). */
export function lines(path: string, max: number): AsyncGenerator<string> {
  return linesOf(createReadStream(path, { highWaterMark: 1 << 20 }), path, max);
}

/**
 * Lines of a text file in batches (one array per ~1 MiB chunk): the same bounded memory as `lines`,
 * without an await per line, which dominates when each line is cheap to process.
 */
export async function* lineBatches(path: string, max: number): AsyncGenerator<string[]> {
  let carry = "";
  let lineNo = 0;
  const decoder = new TextDecoder("utf-8");
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      const text = carry + decoder.decode(chunk, { stream: true });
      const parts = text.split("\n");
      carry = parts.pop()!;
      if (carry.length > max) throw new RampartError("limit", `${path}:${lineNo + parts.length + 1}: line exceeds ${max} bytes`);
      lineNo += parts.length;
      yield parts.map(stripCr);
    }
  } catch (e) {
    if (e instanceof RampartError) throw e;
    throw fileError(path, e);
  }
  const rest = carry + decoder.decode();
  if (rest) yield [stripCr(rest)];
}

/** JSON Lines records from any byte stream (standard input), `name` naming it in errors. */
export async function* jsonLinesOf(stream: AsyncIterable<Buffer | string>, name: string, max = DEFAULT_MAX_RECORD): AsyncGenerator<DataRecord> {
  let row = 0;
  let line = 0;
  for await (const text of linesOf(stream, name, max)) {
    line++;
    if (text.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new RampartError("invalid-input", `${name}:${line}: not valid JSON (${oneLine((e as Error).message)})`);
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) throw new RampartError("invalid-input", `${name}:${line}: expected a JSON object per line`);
    yield { row: ++row, line, values: value as Record<string, unknown> };
  }
}

async function* linesOf(stream: AsyncIterable<Buffer | string>, path: string, max: number): AsyncGenerator<string> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let lineNo = 0;
  try {
    for await (const raw of stream) {
      const chunk = typeof raw === "string" ? Buffer.from(raw) : raw;
      let start = 0;
      for (;;) {
        const nl = chunk.indexOf(10, start);
        if (nl < 0) break;
        const piece = chunk.subarray(start, nl);
        lineNo++;
        if (pendingBytes + piece.length > max) throw new RampartError("limit", `${path}:${lineNo}: line exceeds ${max} bytes`);
        const buf = pendingBytes ? Buffer.concat([...pending, piece]) : piece;
        pending = [];
        pendingBytes = 0;
        yield stripCr(buf.toString("utf8"));
        start = nl + 1;
      }
      if (start < chunk.length) {
        const rest = chunk.subarray(start);
        pendingBytes += rest.length;
        if (pendingBytes > max) throw new RampartError("limit", `${path}:${lineNo + 1}: line exceeds ${max} bytes`);
        pending.push(Buffer.from(rest));
      }
    }
  } catch (e) {
    if (e instanceof RampartError) throw e;
    throw fileError(path, e);
  }
  if (pendingBytes) yield stripCr(Buffer.concat(pending).toString("utf8"));
}

function stripCr(s: string): string {
  return s.endsWith("\r") ? s.slice(0, -1) : s;
}

async function* readParquet(path: string, options: ReadOptions): AsyncGenerator<DataRecord> {
  const batch = options.parquetBatchRows ?? 8192;
  let file: Awaited<ReturnType<typeof asyncBufferFromFile>>;
  let metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
  try {
    file = await asyncBufferFromFile(path);
    metadata = await parquetMetadataAsync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code) throw fileError(path, e);
    throw new RampartError("invalid-input", `${path}: not a readable Parquet file (${(e as Error).message})`);
  }
  const total = Number(metadata.num_rows);
  let row = 0;
  for (let start = 0; start < total; start += batch) {
    let rows: Record<string, unknown>[];
    try {
      rows = await parquetReadObjects({ file, metadata, rowStart: start, rowEnd: Math.min(total, start + batch) });
    } catch (e) {
      throw new RampartError("invalid-input", `${path}: Parquet rows ${start + 1}-${Math.min(total, start + batch)} could not be decoded (${(e as Error).message})`);
    }
    for (const values of rows) {
      row++;
      for (const k of Object.keys(values)) {
        const v = values[k];
        if (typeof v === "bigint") values[k] = v >= Number.MIN_SAFE_INTEGER && v <= Number.MAX_SAFE_INTEGER ? Number(v) : v.toString();
      }
      yield { row, values };
    }
  }
}

/** Column names and Parquet physical/logical types, without reading any rows. */
export async function parquetColumns(path: string): Promise<Array<{ name: string; type: string }>> {
  try {
    const file = await asyncBufferFromFile(path);
    const metadata = await parquetMetadataAsync(file);
    return parquetSchema(metadata).children.map((c) => ({
      name: c.element.name,
      type: String(c.element.converted_type ?? c.element.logical_type?.type ?? c.element.type ?? "GROUP"),
    }));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code) throw fileError(path, e);
    throw new RampartError("invalid-input", `${path}: not a readable Parquet file (${(e as Error).message})`);
  }
}

/** A value as a finite number when it is one (CSV cells are text), else undefined. */
export function toNumber(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string") {
    const t = v.trim();
    if (t === "" || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return undefined;
    const n = Number(t);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** Text of a cell for scanning: strings as they are, numbers and booleans printed, objects as JSON. */
export function cellText(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v);
}

/**
 * A file written in a stream and published by rename only when complete: readers see the old file or
 * the whole new one, never half of it; on abort the temporary file is removed.
 */
export class AtomicWriter {
  private readonly tmp: string;
  private readonly stream: WriteStream;
  private failed: Error | undefined;
  constructor(readonly path: string) {
    this.tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
    this.stream = createWriteStream(this.tmp, { flags: "wx", mode: 0o644 });
    this.stream.on("error", (e) => {
      this.failed = e;
    });
  }
  async write(text: string): Promise<void> {
    if (this.failed) throw fileError(this.path, this.failed);
    if (!this.stream.write(text))
      await new Promise<void>((resolve, reject) => {
        this.stream.once("drain", resolve);
        this.stream.once("error", reject);
      }).catch((e) => {
        throw fileError(this.path, e);
      });
  }
  async commit(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.stream.end((e?: Error | null) => (e ? reject(e) : resolve())));
    if (this.failed) {
      await rm(this.tmp, { force: true });
      throw fileError(this.path, this.failed);
    }
    try {
      await rename(this.tmp, this.path);
    } catch (e) {
      await rm(this.tmp, { force: true });
      throw fileError(this.path, e);
    }
  }
  async abort(): Promise<void> {
    await new Promise<void>((resolve) => this.stream.end(() => resolve()));
    await rm(this.tmp, { force: true });
  }
}

/** Writes records in the format of `path` (CSV, TSV or JSON Lines), atomically. */
export class RecordWriter {
  private readonly writer: AtomicWriter;
  private readonly format: DataFormat;
  private columns: string[] | undefined;
  constructor(path: string, format?: DataFormat) {
    this.format = formatOf(path, format);
    if (this.format === "parquet") throw new RampartError("usage", `${path}: writing Parquet is not supported; write .csv or .jsonl`);
    this.writer = new AtomicWriter(path);
  }
  async write(values: Record<string, unknown>): Promise<void> {
    if (this.format === "jsonl") return this.writer.write(`${JSON.stringify(values, (_k, v) => (typeof v === "bigint" ? v.toString() : v))}\n`);
    const sep = this.format === "tsv" ? "\t" : ",";
    if (!this.columns) {
      this.columns = Object.keys(values);
      await this.writer.write(`${this.columns.map((c) => csvField(c, sep)).join(sep)}\n`);
    }
    await this.writer.write(`${this.columns.map((c) => csvField(cellText(values[c]) ?? "", sep)).join(sep)}\n`);
  }
  commit(): Promise<void> {
    return this.writer.commit();
  }
  abort(): Promise<void> {
    return this.writer.abort();
  }
}

function csvField(s: string, sep: string): string {
  return s.includes('"') || s.includes(sep) || s.includes("\n") || s.includes("\r") ? `"${s.replaceAll('"', '""')}"` : s;
}

export async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (e) {
    throw fileError(path, e);
  }
}
