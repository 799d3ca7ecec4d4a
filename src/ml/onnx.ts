import protobuf from "protobufjs";
import { RampartError, VERSION } from "../core/index.js";
import type { Mlp } from "./model.js";
import type { Matrix } from "./tensor.js";

/** The subset of onnx.proto (ONNX IR) that an MLP export needs; field numbers as in onnx/onnx.proto. */
const ONNX_PROTO = `
syntax = "proto3";
package onnx;
message AttributeProto {
  enum AttributeType { UNDEFINED = 0; FLOAT = 1; INT = 2; STRING = 3; TENSOR = 4; GRAPH = 5; FLOATS = 6; INTS = 7; STRINGS = 8; }
  string name = 1;
  float f = 2;
  int64 i = 3;
  bytes s = 4;
  repeated int64 ints = 8;
  AttributeType type = 20;
}
message ValueInfoProto { string name = 1; TypeProto type = 2; string doc_string = 3; }
message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  string name = 3;
  string op_type = 4;
  repeated AttributeProto attribute = 5;
  string doc_string = 6;
  string domain = 7;
}
message StringStringEntryProto { string key = 1; string value = 2; }
message ModelProto {
  int64 ir_version = 1;
  string producer_name = 2;
  string producer_version = 3;
  string domain = 4;
  int64 model_version = 5;
  string doc_string = 6;
  GraphProto graph = 7;
  repeated OperatorSetIdProto opset_import = 8;
  repeated StringStringEntryProto metadata_props = 14;
}
message GraphProto {
  repeated NodeProto node = 1;
  string name = 2;
  repeated TensorProto initializer = 5;
  string doc_string = 10;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
}
message TensorProto {
  enum DataType { UNDEFINED = 0; FLOAT = 1; UINT8 = 2; INT8 = 3; UINT16 = 4; INT16 = 5; INT32 = 6; INT64 = 7; STRING = 8; BOOL = 9; FLOAT16 = 10; DOUBLE = 11; }
  repeated int64 dims = 1;
  int32 data_type = 2;
  repeated float float_data = 4;
  string name = 8;
  bytes raw_data = 9;
}
message TensorShapeProto {
  message Dimension { oneof value { int64 dim_value = 1; string dim_param = 2; } }
  repeated Dimension dim = 1;
}
message TypeProto {
  message Tensor { int32 elem_type = 1; TensorShapeProto shape = 2; }
  oneof value { Tensor tensor_type = 1; }
}
message OperatorSetIdProto { string domain = 1; int64 version = 2; }
`;

const root = protobuf.parse(ONNX_PROTO).root;
const ModelProto = root.lookupType("onnx.ModelProto");
const FLOAT = 1;
const INT64 = 7;

export interface ExportOptions {
  /** Standardisation folded into the graph: x' = (x - mean) / std. */
  mean?: ArrayLike<number>;
  std?: ArrayLike<number>;
  /** Stored as model metadata (e.g. feature names, DP parameters). */
  metadata?: Record<string, string>;
  docString?: string;
}

/** Names of the graph's tensors, for callers running the model. */
export const ONNX_IO = { input: "features", probabilities: "probabilities", label: "label" } as const;

function tensor(name: string, dims: number[], values: ArrayLike<number>) {
  return { name, dims, dataType: FLOAT, rawData: Buffer.from(Float32Array.from(values as ArrayLike<number>).buffer) };
}

/**
 * Serialises an MLP as an ONNX model (IR 8, opset 13): features [N, d] float32 → probabilities
 * [N, k] and label [N] (int64 argmax). Weights are stored as float32, the ONNX norm.
 */
export function exportOnnx(model: Mlp, options: ExportOptions = {}): Uint8Array {
  const { inputs, outputs, activation } = model.spec;
  const nodes: Array<Record<string, unknown>> = [];
  const inits: Array<ReturnType<typeof tensor>> = [];
  let h: string = ONNX_IO.input;
  if (options.mean || options.std) {
    inits.push(tensor("mean", [inputs], options.mean ?? new Float64Array(inputs)));
    inits.push(tensor("std", [inputs], options.std ?? new Float64Array(inputs).fill(1)));
    nodes.push({ opType: "Sub", input: [h, "mean"], output: ["centred"], name: "standardise_sub" });
    nodes.push({ opType: "Div", input: ["centred", "std"], output: ["standardised"], name: "standardise_div" });
    h = "standardised";
  }
  const L = model.offsets.length;
  for (let l = 0; l < L; l++) {
    const nIn = model.sizes[l]!;
    const nOut = model.sizes[l + 1]!;
    const { w, b } = model.offsets[l]!;
    // ONNX MatMul wants W as [in, out]; ours is [out, in].
    const wt = new Float64Array(nIn * nOut);
    for (let o = 0; o < nOut; o++) for (let i = 0; i < nIn; i++) wt[i * nOut + o] = model.params[w + o * nIn + i]!;
    inits.push(tensor(`W${l}`, [nIn, nOut], wt));
    inits.push(tensor(`b${l}`, [nOut], model.params.subarray(b, b + nOut)));
    nodes.push({ opType: "MatMul", input: [h, `W${l}`], output: [`mm${l}`], name: `matmul${l}` });
    nodes.push({ opType: "Add", input: [`mm${l}`, `b${l}`], output: [`z${l}`], name: `add${l}` });
    h = `z${l}`;
    if (l < L - 1) {
      const op = activation === "tanh" ? "Tanh" : "Relu";
      nodes.push({ opType: op, input: [h], output: [`a${l}`], name: `${op.toLowerCase()}${l}` });
      h = `a${l}`;
    }
  }
  const attr = (name: string, i: number) => ({ name, i, type: 2 });
  if (outputs === 1) {
    inits.push(tensor("one", [1], [1]));
    nodes.push({ opType: "Sigmoid", input: [h], output: ["p1"], name: "sigmoid" });
    nodes.push({ opType: "Sub", input: ["one", "p1"], output: ["p0"], name: "complement" });
    nodes.push({ opType: "Concat", input: ["p0", "p1"], output: [ONNX_IO.probabilities], name: "concat", attribute: [attr("axis", 1)] });
  } else {
    nodes.push({ opType: "Softmax", input: [h], output: [ONNX_IO.probabilities], name: "softmax", attribute: [attr("axis", -1)] });
  }
  nodes.push({ opType: "ArgMax", input: [ONNX_IO.probabilities], output: [ONNX_IO.label], name: "argmax", attribute: [attr("axis", 1), attr("keepdims", 0)] });
  const k = Math.max(2, outputs);
  const dim = (d: number | string) => (typeof d === "number" ? { dimValue: d } : { dimParam: d });
  const valueInfo = (name: string, elemType: number, dims: Array<number | string>) => ({ name, type: { tensorType: { elemType, shape: { dim: dims.map(dim) } } } });
  const msg = ModelProto.fromObject({
    irVersion: 8,
    producerName: "rampart",
    producerVersion: VERSION,
    docString: options.docString ?? "",
    opsetImport: [{ domain: "", version: 13 }],
    metadataProps: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: "rampart_mlp",
      node: nodes,
      initializer: inits,
      input: [valueInfo(ONNX_IO.input, FLOAT, ["N", inputs])],
      output: [valueInfo(ONNX_IO.probabilities, FLOAT, ["N", k]), valueInfo(ONNX_IO.label, INT64, ["N"])],
    },
  });
  return ModelProto.encode(msg).finish();
}

/** Reads the metadata_props of an ONNX file (never executes anything). */
export function onnxMetadata(bytes: Uint8Array, source = "model"): Record<string, string> {
  try {
    const m = ModelProto.decode(bytes) as unknown as { metadataProps?: Array<{ key: string; value: string }> };
    return Object.fromEntries((m.metadataProps ?? []).map((p) => [p.key, p.value]));
  } catch (e) {
    throw new RampartError("invalid-input", `${source}: not an ONNX model (${(e as Error).message})`);
  }
}

/** Runs an ONNX classifier with onnxruntime (CPU): probabilities [N, k] as float64 and labels. */
export async function runOnnx(bytes: Uint8Array, X: Matrix, source = "model"): Promise<{ probabilities: Matrix; labels: Int32Array }> {
  const ort = await import("onnxruntime-node");
  let session: import("onnxruntime-node").InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes);
  } catch (e) {
    throw new RampartError("invalid-input", `${source}: onnxruntime cannot load it (${(e as Error).message.split("\n")[0]})`);
  }
  try {
    const inputName = session.inputNames[0]!;
    const feeds = { [inputName]: new ort.Tensor("float32", Float32Array.from(X.data), [X.rows, X.cols]) };
    const out = await session.run(feeds);
    const probName = session.outputNames.includes(ONNX_IO.probabilities) ? ONNX_IO.probabilities : session.outputNames[0]!;
    const p = out[probName]!;
    const k = Number(p.dims[1] ?? 1);
    const probs = Float64Array.from(p.data as Float32Array);
    const labels = new Int32Array(X.rows);
    const lab = out[ONNX_IO.label];
    if (lab) {
      const d = lab.data as BigInt64Array;
      for (let i = 0; i < X.rows; i++) labels[i] = Number(d[i]);
    } else for (let i = 0; i < X.rows; i++) labels[i] = argmaxRow(probs, i, k);
    return { probabilities: { rows: X.rows, cols: k, data: probs }, labels };
  } finally {
    await session.release();
  }
}

function argmaxRow(d: Float64Array, i: number, k: number): number {
  let best = 0;
  for (let j = 1; j < k; j++) if (d[i * k + j]! > d[i * k + best]!) best = j;
  return best;
}
