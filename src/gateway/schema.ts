import type { DataProfile } from "../data/index.js";
import type { Feed, FeedData, TensorSignature } from "./onnx.js";

/** What a column of the training data allows: a numeric range, or a closed set of categories. */
export type ColumnRule = { name: string; kind: "numeric"; min: number; max: number } | { name: string; kind: "categorical"; levels: Set<string> } | { name: string; kind: "any" };

/**
 * The per-model input schema: the ONNX signature (names, element types, shapes with symbolic dims)
 * and, for a model whose one input is a [N, d] numeric table, the training profile's column rules.
 */
export interface InputSchema {
  tensors: TensorSignature[];
  table?: { input: string; columns: ColumnRule[] };
  outOfRange: "reject" | "clamp" | "allow";
  maxElements: number;
}

export interface SchemaOptions {
  /** Column names of the table input, in order (else the profile's numeric columns, else ONNX metadata `features`). */
  features?: readonly string[];
  outOfRange?: InputSchema["outOfRange"];
  /** Widens each training range by this share of its width on both sides. */
  tolerance?: number;
  maxElements?: number;
}

export class InputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

export interface ValidInput {
  feeds: Record<string, Feed>;
  /** The table input as float64 rows (for detection), when the model has one. */
  table?: { rows: number; cols: number; data: Float64Array };
  clamped: number;
}

const NUMERIC = new Set(["float32", "float64", "int64", "int32", "int8", "uint8"]);

export function buildInputSchema(tensors: TensorSignature[], metadata: Record<string, string>, profile: DataProfile | undefined, options: SchemaOptions = {}): InputSchema {
  const schema: InputSchema = { tensors, outOfRange: options.outOfRange ?? "reject", maxElements: options.maxElements ?? 1 << 20 };
  if (tensors.length !== 1) return schema;
  const only = tensors[0]!;
  if (only.dims.length !== 2 || typeof only.dims[1] !== "number" || !NUMERIC.has(only.type)) return schema;
  const d = only.dims[1];
  const names =
    options.features ??
    (profile ? profile.columns.filter((c) => c.name !== profile.label?.name).map((c) => c.name) : undefined) ??
    metadata.features?.split(",").map((s) => s.trim());
  if (!names || names.length !== d) return schema;
  const tol = options.tolerance ?? 0;
  const columns = names.map((name): ColumnRule => {
    const c = profile?.columns.find((p) => p.name === name);
    if (c?.kind === "numeric" && c.min !== null && c.max !== null) {
      const w = (c.max - c.min) * tol;
      return { name, kind: "numeric", min: c.min - w, max: c.max + w };
    }
    // A closed category set only when the profile saw every level (nothing folded into "other").
    if (c?.kind === "categorical" && c.other === 0) return { name, kind: "categorical", levels: new Set(Object.keys(c.levels)) };
    return { name, kind: "any" };
  });
  schema.table = { input: only.name, columns };
  return schema;
}

/**
 * Checks a request body against the schema and builds the typed tensors in one pass. Accepts
 * `{"inputs": {NAME: nested arrays}}` or, for a table model, `{"records": [{column: value}]}`.
 * Throws InputError naming the field (JSON path) that is wrong.
 */
export function validateInput(schema: InputSchema, body: unknown): ValidInput {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new InputError("body", "must be a JSON object");
  const b = body as { inputs?: unknown; records?: unknown };
  const bound = new Map<string, number>();
  const feeds: Record<string, Feed> = {};
  let clamped = 0;
  if (b.records !== undefined) {
    if (!schema.table) throw new InputError("records", "this model takes named tensors: send inputs");
    const t = schema.table;
    if (!Array.isArray(b.records) || b.records.length === 0) throw new InputError("records", "must be a non-empty array of objects");
    const n = b.records.length;
    const d = t.columns.length;
    if (n * d > schema.maxElements) throw new InputError("records", `${n * d} values, the limit is ${schema.maxElements}`);
    const sig = schema.tensors[0]!;
    const data = new Float64Array(n * d);
    let i = 0;
    let j = 0;
    // The field's name is built only for an error message, not for every value that passes.
    const here = () => `records[${i}].${t.columns[j]!.name}`;
    for (i = 0; i < n; i++) {
      const r = b.records[i] as Record<string, unknown> | null;
      if (!r || typeof r !== "object" || Array.isArray(r)) throw new InputError(`records[${i}]`, "must be an object");
      for (j = 0; j < d; j++) {
        const col = t.columns[j]!;
        if (!(col.name in r)) throw new InputError(here(), "is missing");
        data[i * d + j] = scalar(r[col.name], sig.type, here, col);
      }
      for (const k of Object.keys(r)) if (!t.columns.some((c) => c.name === k)) throw new InputError(`records[${i}].${k}`, "is not a column this model takes");
    }
    clamped = checkRanges(schema, data, n, (i, j) => `records[${i}].${t.columns[j]!.name}`);
    feeds[sig.name] = { type: sig.type, dims: [n, d], data: typed(sig.type, data) };
    return { feeds, table: { rows: n, cols: d, data }, clamped };
  }
  if (!b.inputs || typeof b.inputs !== "object" || Array.isArray(b.inputs))
    throw new InputError("inputs", schema.table ? "send inputs (named tensors) or records" : "must be an object of named tensors");
  const inputs = b.inputs as Record<string, unknown>;
  for (const k of Object.keys(inputs))
    if (!schema.tensors.some((s) => s.name === k)) throw new InputError(`inputs.${k}`, `is not an input of this model (it takes ${schema.tensors.map((s) => s.name).join(", ")})`);
  let table: ValidInput["table"];
  for (const sig of schema.tensors) {
    const field = `inputs.${sig.name}`;
    if (!(sig.name in inputs)) throw new InputError(field, "is missing");
    const dims = shapeOf(inputs[sig.name], sig.dims.length, field);
    for (let a = 0; a < sig.dims.length; a++) {
      const want = sig.dims[a]!;
      if (typeof want === "number") {
        if (dims[a] !== want) throw new InputError(field, `shape [${dims.join(", ")}] does not match [${sig.dims.join(", ")}] (dimension ${a} must be ${want})`);
      } else if (want !== "?") {
        const seen = bound.get(want);
        if (seen === undefined) bound.set(want, dims[a]!);
        else if (seen !== dims[a]) throw new InputError(field, `dimension ${a} (${want}) is ${dims[a]} here but ${seen} in another input`);
      }
    }
    const count = dims.reduce((x, y) => x * y, 1);
    if (count === 0) throw new InputError(field, "is empty");
    if (count > schema.maxElements) throw new InputError(field, `${count} values, the limit is ${schema.maxElements}`);
    const isTable = schema.table?.input === sig.name;
    const cols = dims.at(-1) ?? 1;
    if (sig.type === "string" || sig.type === "bool") {
      const flat: unknown[] = [];
      flatten(inputs[sig.name], dims.length, flat);
      feeds[sig.name] = {
        type: sig.type,
        dims,
        data:
          sig.type === "string"
            ? flat.map((v, k) => {
                if (typeof v !== "string") throw new InputError(`${field}${indexPath(k, dims)}`, "must be a string");
                return v;
              })
            : flat.map((v, k) => {
                if (typeof v !== "boolean") throw new InputError(`${field}${indexPath(k, dims)}`, "must be true or false");
                return v;
              }),
      };
      continue;
    }
    const data = new Float64Array(count);
    let k = 0;
    const here = () => `${field}${indexPath(k, dims)}`;
    const fill = (v: unknown, level: number) => {
      if (level === dims.length) {
        const col = isTable ? schema.table!.columns[k % cols] : undefined;
        data[k] = scalar(v, sig.type, here, col);
        k++;
        return;
      }
      for (const x of v as unknown[]) fill(x, level + 1);
    };
    fill(inputs[sig.name], 0);
    if (isTable) {
      clamped += checkRanges(schema, data, dims[0]!, (i, j) => `${field}[${i}][${j}] (${schema.table!.columns[j]!.name})`);
      table = { rows: dims[0]!, cols, data };
    }
    feeds[sig.name] = { type: sig.type, dims, data: typed(sig.type, data) };
  }
  return { feeds, table, clamped };
}

/** The shape of a nested array of the given rank; every sibling must have the same length. */
function shapeOf(v: unknown, rank: number, field: string): number[] {
  const dims: number[] = [];
  let cur = v;
  for (let a = 0; a < rank; a++) {
    if (!Array.isArray(cur)) throw new InputError(field, `must be a ${rank}-dimensional array (found ${a} levels)`);
    dims.push(cur.length);
    cur = cur[0];
  }
  // The indexes of the element being checked; made into a path only for an error message.
  const at: number[] = [];
  const path = () => `${field}${at.map((i) => `[${i}]`).join("")}`;
  const check = (x: unknown, level: number) => {
    if (level === rank) {
      if (Array.isArray(x)) throw new InputError(path(), `is nested deeper than ${rank} dimensions`);
      return;
    }
    if (!Array.isArray(x) || x.length !== dims[level]) throw new InputError(path(), `must be an array of ${dims[level]} (ragged arrays are refused)`);
    for (let i = 0; i < x.length; i++) {
      at[level] = i;
      check(x[i], level + 1);
    }
    at.length = level;
  };
  check(v, 0);
  return dims;
}

function flatten(v: unknown, rank: number, out: unknown[]): void {
  if (rank === 0) out.push(v);
  else for (const x of v as unknown[]) flatten(x, rank - 1, out);
}

function indexPath(k: number, dims: number[]): string {
  const idx = new Array<number>(dims.length);
  for (let a = dims.length - 1; a >= 0; a--) {
    idx[a] = k % dims[a]!;
    k = Math.floor(k / dims[a]!);
  }
  return idx.map((i) => `[${i}]`).join("");
}

function scalar(v: unknown, type: string, where: () => string, col?: ColumnRule): number {
  if (col?.kind === "categorical") {
    const s = typeof v === "number" || typeof v === "string" ? String(v) : undefined;
    if (s === undefined || !col.levels.has(s))
      throw new InputError(where(), `${JSON.stringify(v)} is not a category seen in training (${[...col.levels].slice(0, 10).join(", ")})`);
    v = Number(s);
    if (!Number.isFinite(v)) throw new InputError(where(), `category ${JSON.stringify(s)} is not numeric, and the model takes ${type}`);
  }
  if (typeof v !== "number" || !Number.isFinite(v))
    throw new InputError(where(), `must be a finite number (got ${v === null ? "null" : typeof v === "string" ? JSON.stringify(v.slice(0, 40)) : typeof v})`);
  if (type !== "float32" && type !== "float64") {
    if (!Number.isInteger(v)) throw new InputError(where(), `must be an integer (${type})`);
    const [lo, hi] =
      type === "int8" ? [-128, 127] : type === "uint8" ? [0, 255] : type === "int32" ? [-(2 ** 31), 2 ** 31 - 1] : [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
    if (v < lo || v > hi) throw new InputError(where(), `${v} does not fit ${type}`);
  } else if (type === "float32" && Math.abs(v) > 3.4e38) throw new InputError(where(), `${v} does not fit float32`);
  return v;
}

/** Training-range check of the table input: reject, clamp in place, or allow. Returns how many were clamped. */
function checkRanges(schema: InputSchema, data: Float64Array, rows: number, name: (i: number, j: number) => string): number {
  if (!schema.table || schema.outOfRange === "allow") return 0;
  const cols = schema.table.columns;
  const d = cols.length;
  let clamped = 0;
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < d; j++) {
      const c = cols[j]!;
      if (c.kind !== "numeric") continue;
      const v = data[i * d + j]!;
      if (v >= c.min && v <= c.max) continue;
      if (schema.outOfRange === "reject") throw new InputError(name(i, j), `${v} is outside the training range [${round(c.min)}, ${round(c.max)}]`);
      data[i * d + j] = v < c.min ? c.min : c.max;
      clamped++;
    }
  return clamped;
}

const round = (x: number) => Number(x.toPrecision(6));

function typed(type: string, data: Float64Array): FeedData {
  switch (type) {
    case "float32":
      return Float32Array.from(data);
    case "float64":
      return data;
    case "int64":
      return BigInt64Array.from(data, (v) => BigInt(v));
    case "int32":
      return Int32Array.from(data);
    case "int8":
      return Int8Array.from(data);
    default:
      return Uint8Array.from(data);
  }
}
