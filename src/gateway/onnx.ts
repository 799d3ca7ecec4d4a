import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { InferenceSession, Tensor } from "onnxruntime-node";
import { fileError, RampartError } from "../core/index.js";
import { onnxMetadata } from "../ml/index.js";

/** One input or output of a model's graph: element type and shape; a string dim is symbolic (e.g. "N"). */
export interface TensorSignature {
  name: string;
  type: string;
  dims: Array<number | string>;
}

export type FeedData = Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array | Int8Array | string[] | boolean[];

export interface Feed {
  type: string;
  data: FeedData;
  dims: number[];
}

export interface OutputTensor {
  type: string;
  dims: readonly number[];
  data: ArrayLike<number | bigint | string | boolean>;
}

/** An ONNX model loaded once into onnxruntime (CPU) and kept for the gateway's lifetime. */
export interface OnnxModel {
  source: string;
  sha256: string;
  inputs: TensorSignature[];
  outputs: TensorSignature[];
  metadata: Record<string, string>;
  run(feeds: Record<string, Feed>): Promise<Record<string, OutputTensor>>;
  release(): Promise<void>;
}

/** Element types the gateway can build from JSON. */
export const SUPPORTED_TYPES = new Set(["float32", "float64", "int64", "int32", "int8", "uint8", "bool", "string"]);

/**
 * Loads an ONNX file into an inference session. The graph is run by onnxruntime's own kernels
 * (no custom operators are registered), so a model file cannot bring code of its own. When `sha256`
 * is given, a file with another digest is refused (the version the registry approved, nothing else).
 */
export async function loadOnnxModel(path: string, options: { sha256?: string; threads?: number } = {}): Promise<OnnxModel> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw fileError(path, e);
  }
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  if (options.sha256 && options.sha256.toLowerCase() !== sha256) throw new RampartError("invalid-config", `${path}: sha256 is ${sha256}, the config pins ${options.sha256}`);
  const metadata = onnxMetadata(bytes, path);
  const ort = await import("onnxruntime-node");
  let session: InferenceSession;
  try {
    // One thread per session: the gateway serves many small requests concurrently, not one big one.
    session = await ort.InferenceSession.create(bytes, {
      intraOpNumThreads: options.threads ?? 1,
      interOpNumThreads: 1,
      executionMode: "sequential",
      graphOptimizationLevel: "all",
    });
  } catch (e) {
    throw new RampartError("invalid-input", `${path}: onnxruntime cannot load it (${(e as Error).message.split("\n")[0]})`);
  }
  const signature = (m: InferenceSession.ValueMetadata, role: string): TensorSignature => {
    if (!m.isTensor) throw new RampartError("invalid-input", `${path}: ${role} ${m.name} is not a tensor (sequences and maps are not served)`);
    return { name: m.name, type: m.type, dims: m.shape.map((d) => (typeof d === "number" && d >= 0 ? d : typeof d === "string" && d ? d : "?")) };
  };
  const inputs = session.inputMetadata.map((m) => signature(m, "input"));
  const outputs = session.outputMetadata.map((m) => signature(m, "output"));
  for (const i of inputs)
    if (!SUPPORTED_TYPES.has(i.type)) throw new RampartError("invalid-input", `${path}: input ${i.name} has element type ${i.type}, which JSON requests cannot carry`);
  return {
    source: path,
    sha256,
    inputs,
    outputs,
    metadata,
    async run(feeds) {
      const tensors: Record<string, Tensor> = {};
      for (const [name, f] of Object.entries(feeds)) tensors[name] = new ort.Tensor(f.type as "float32", f.data as Float32Array, f.dims);
      const out = await session.run(tensors);
      const result: Record<string, OutputTensor> = {};
      for (const [name, t] of Object.entries(out)) result[name] = { type: t.type, dims: t.dims, data: t.data as ArrayLike<number> };
      return result;
    },
    release: () => session.release(),
  };
}

/** A flat tensor as nested JSON arrays (bigint → number when safe, else string). */
export function toNested(t: OutputTensor, map?: (v: number, index: number) => unknown): unknown {
  const dims = t.dims.length === 0 ? [] : [...t.dims];
  const value = (k: number): unknown => {
    const v = t.data[k]!;
    if (typeof v === "bigint") return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
    if (typeof v === "number" && map) return map(v, k);
    return v;
  };
  if (dims.length === 0) return value(0);
  let k = 0;
  const build = (level: number): unknown[] => {
    const out = new Array<unknown>(dims[level]!);
    for (let i = 0; i < dims[level]!; i++) out[i] = level === dims.length - 1 ? value(k++) : build(level + 1);
    return out;
  };
  return build(0);
}
