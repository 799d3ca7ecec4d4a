// The core barrel would load zod, yaml and the renderers: the scanner takes only what it uses.
import { tag } from "../../../core/tags.js";
import { findCodeText, reportCodeText } from "../codetext.js";
import { findEncodedPickle } from "../hidden.js";
import { Cursor } from "../source.js";
import type { Analyzer, AnalyzerInput } from "../types.js";

/**
 * Protobuf model formats (ONNX, TensorFlow SavedModel) read field by field from the file: sub-messages
 * that matter are descended into, tensor payloads (raw_data, Const values) are skipped by length, so a
 * 2 GB model costs only its graph structure.
 */

interface Field {
  field: number;
  wire: number;
  value: number;
  start: number;
  len: number;
}

class ProtoError extends Error {}

async function* fields(c: Cursor, end: number): AsyncGenerator<Field> {
  while (c.pos < end) {
    const key = await c.varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field === 0) throw new ProtoError(`field number 0 at offset ${c.pos}`);
    let f: Field;
    if (wire === 0) f = { field, wire, value: await c.varint(), start: c.pos, len: 0 };
    else if (wire === 2) {
      const len = await c.varint();
      if (c.pos + len > end) throw new ProtoError(`field ${field} declares ${len} bytes at offset ${c.pos}, past the end of its message`);
      f = { field, wire, value: 0, start: c.pos, len };
    } else if (wire === 1) f = { field, wire, value: 0, start: c.pos, len: 8 };
    else if (wire === 5) f = { field, wire, value: 0, start: c.pos, len: 4 };
    else throw new ProtoError(`unsupported wire type ${wire} at offset ${c.pos}`);
    yield f;
    if (c.pos === f.start) c.skip(f.len);
    else if (c.pos !== f.start + f.len && wire !== 0) throw new ProtoError(`field ${field} at ${f.start} was not consumed exactly`);
  }
}

async function str(c: Cursor, f: Field, max = 1 << 20): Promise<string> {
  if (f.len > max) {
    c.skip(f.len);
    return "";
  }
  return Buffer.from(await c.bytes(f.len)).toString("utf8");
}

// ---------------------------------------------------------------- ONNX

const ONNX_SIZES: Record<number, number> = { 1: 4, 2: 1, 3: 1, 4: 2, 5: 2, 6: 4, 7: 8, 9: 1, 10: 2, 11: 8, 12: 4, 13: 8, 14: 8, 15: 16, 16: 2, 17: 1, 18: 1, 19: 1, 20: 1 };
const STD_DOMAINS = new Set([
  "",
  "ai.onnx",
  "ai.onnx.ml",
  "ai.onnx.training",
  "ai.onnx.preview.training",
  "com.microsoft",
  "com.microsoft.nchwc",
  "com.microsoft.experimental",
  "ai.onnx.contrib",
]);

function isOnnx(h: Uint8Array): boolean {
  return h[0] === 0x08 && h[1]! >= 3 && h[1]! <= 13 && [0x12, 0x1a, 0x22, 0x28, 0x32, 0x3a, 0x42, 0x72].includes(h[2]!);
}

export const onnxAnalyzer: Analyzer = {
  type: "onnx",
  version: 1,
  required: (head) => isOnnx(head),
  analyze: async (input: AnalyzerInput) => {
    input.note("onnx");
    const c = new Cursor(input.source, 0);
    const stats = { nodes: 0, initializers: 0, domains: new Set<string>() };
    const report = input.report.bind(input);
    const tensor = async (end: number, graph: string) => {
      let name = "";
      const dims: number[] = [];
      let dtype = 0;
      let raw: { at: number; len: number } | undefined;
      const ext: Record<string, string> = {};
      let external = false;
      for await (const f of fields(c, end)) {
        if (f.field === 1 && f.wire === 0) dims.push(f.value);
        else if (f.field === 1 && f.wire === 2) {
          const stop = f.start + f.len;
          while (c.pos < stop) dims.push(await c.varint());
        } else if (f.field === 2 && f.wire === 0) dtype = f.value;
        else if (f.field === 8 && f.wire === 2) name = await str(c, f);
        else if (f.field === 9 && f.wire === 2) raw = { at: f.start, len: f.len };
        else if (f.field === 14 && f.wire === 0) external = f.value === 1;
        else if (f.field === 13 && f.wire === 2) {
          let k = "";
          let v = "";
          for await (const g of fields(c, f.start + f.len)) {
            if (g.field === 1 && g.wire === 2) k = await str(c, g);
            else if (g.field === 2 && g.wire === 2) v = await str(c, g);
          }
          ext[k] = v;
        }
      }
      stats.initializers++;
      const count = dims.reduce((a, d) => a * d, 1);
      const size = ONNX_SIZES[dtype];
      if (raw && size !== undefined && raw.len !== count * size)
        report({
          ruleId: "model.onnx.size-mismatch",
          severity: "medium",
          message: `tensor ${name} in graph ${graph}: raw_data holds ${raw.len} bytes but dims ${JSON.stringify(dims)} need ${count * size}`,
          offset: raw.at,
        });
      if (external || ext.location !== undefined) {
        const loc = ext.location ?? "";
        const bad = loc === "" ? "is empty" : /^([a-zA-Z]:|[\\/])/.test(loc) ? "is an absolute path" : climbsOut(loc) ? "climbs out of the model folder with .." : undefined;
        if (bad)
          report({
            ruleId: "model.onnx.external-data-path",
            severity: "high",
            message: `tensor ${name} reads its data from ${JSON.stringify(loc)}, which ${bad}: loading the model reads files outside its folder`,
            entity: name,
            evidence: { location: loc },
            tags: [tag.cwe(22), tag.atlas("AML.T0010.003")],
          });
        const offset = Number(ext.offset ?? 0);
        const length = Number(ext.length ?? 0);
        if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || (size !== undefined && length > 0 && length !== count * size))
          report({
            ruleId: "model.onnx.size-mismatch",
            severity: "medium",
            message: `tensor ${name}: external data offset ${ext.offset} / length ${ext.length} do not fit dims ${JSON.stringify(dims)}`,
          });
      }
    };
    const node = async (end: number, graph: string, depth: number) => {
      let op = "";
      let domain = "";
      let name = "";
      const at = c.pos;
      for await (const f of fields(c, end)) {
        if (f.field === 4 && f.wire === 2) op = await str(c, f);
        else if (f.field === 7 && f.wire === 2) domain = await str(c, f);
        else if (f.field === 3 && f.wire === 2) name = await str(c, f);
        else if (f.field === 5 && f.wire === 2) {
          for await (const g of fields(c, f.start + f.len)) {
            if ((g.field === 6 || g.field === 11) && g.wire === 2) await graphOf(g.start + g.len, depth + 1);
            else if ((g.field === 5 || g.field === 10) && g.wire === 2) await tensor(g.start + g.len, graph);
          }
        }
      }
      stats.nodes++;
      if (!STD_DOMAINS.has(domain)) {
        if (!stats.domains.has(domain))
          report({
            ruleId: "model.onnx.custom-domain",
            severity: "medium",
            message: `node ${name || op} uses operator ${op} from custom domain ${JSON.stringify(domain)}: running the model needs a custom operator library (native code)`,
            offset: at,
            entity: `${domain}.${op}`,
            tags: [tag.atlas("AML.T0010.003")],
          });
        stats.domains.add(domain);
      }
    };
    const graphOf = async (end: number, depth: number) => {
      if (depth > 32) throw new ProtoError("graphs nested more than 32 deep");
      let name = "";
      for await (const f of fields(c, end)) {
        if (f.field === 2 && f.wire === 2) name = await str(c, f);
        else if (f.field === 1 && f.wire === 2) await node(f.start + f.len, name, depth);
        else if (f.field === 5 && f.wire === 2) await tensor(f.start + f.len, name);
      }
    };
    let codeNotes = 0;
    try {
      for await (const f of fields(c, input.source.size)) {
        if (f.field === 7 && f.wire === 2) await graphOf(f.start + f.len, 0);
        else if (f.field === 6 && f.wire === 2) {
          // doc_string and metadata_props are text for people: code in them is informational.
          const hit = findCodeText(await str(c, f));
          if (hit && codeNotes++ === 0) reportCodeText(input, "the ONNX model's doc_string", hit, f.start);
        } else if (f.field === 14 && f.wire === 2) {
          let k = "";
          let v = "";
          for await (const g of fields(c, f.start + f.len)) {
            if (g.field === 1 && g.wire === 2) k = await str(c, g);
            else if (g.field === 2 && g.wire === 2) v = await str(c, g);
          }
          await findEncodedPickle(v, f.start, input, `in ONNX metadata ${JSON.stringify(k.slice(0, 80))}`);
          const hit = findCodeText(v);
          // One note per model is enough to send a reader to the metadata.
          if (hit && codeNotes++ === 0) reportCodeText(input, `ONNX metadata ${JSON.stringify(k.slice(0, 80))}`, hit, f.start);
        } else if (f.field === 25 && f.wire === 2) {
          for await (const g of fields(c, f.start + f.len)) if (g.field === 7 && g.wire === 2) await node(g.start + g.len, "function", 1);
        }
      }
    } catch (e) {
      if (!(e instanceof ProtoError || e instanceof RangeError)) throw e;
      report({
        ruleId: "model.onnx.invalid",
        severity: "medium",
        message: `ONNX model does not parse: ${e.message}; declared sizes do not fit the file`,
        offset: c.pos,
      });
    }
  },
};

// ---------------------------------------------------------------- TensorFlow SavedModel

/** Graph ops that read or write files or run arbitrary Python (modelscan flags the first two). */
const TF_DANGEROUS_OPS: Record<string, string> = {
  ReadFile: "reads any file",
  WriteFile: "writes any file",
  PyFunc: "runs a Python function",
  PyFuncStateless: "runs a Python function",
  EagerPyFunc: "runs a Python function",
  MatchingFiles: "lists files",
  DeleteFile: "deletes files",
  ImmutableConst: "memory-maps a file",
  DecodeProtoV2: "loads descriptor files",
  LoadAndRemapMatrix: "reads checkpoint files by path",
  Save: "writes files",
  PrintV2: "writes to files or streams",
};

function isSavedModel(h: Uint8Array): boolean {
  return h[0] === 0x08 && h[1] === 0x01 && h[2] === 0x12;
}

export const savedModelAnalyzer: Analyzer = {
  type: "tf-savedmodel",
  version: 1,
  required: (head) => isSavedModel(head),
  analyze: async (input: AnalyzerInput) => {
    input.note("tf-savedmodel");
    const c = new Cursor(input.source, 0);
    const seen = new Map<string, number>();
    const nodeDef = async (end: number) => {
      const at = c.pos;
      for await (const f of fields(c, end)) {
        if (f.field === 2 && f.wire === 2) {
          const op = await str(c, f);
          if (op in TF_DANGEROUS_OPS && !seen.has(op)) seen.set(op, at);
        }
      }
    };
    const graphDef = async (end: number) => {
      for await (const f of fields(c, end)) {
        if (f.field === 1 && f.wire === 2) await nodeDef(f.start + f.len);
        else if (f.field === 2 && f.wire === 2)
          for await (const g of fields(c, f.start + f.len))
            if (g.field === 1 && g.wire === 2) for await (const h of fields(c, g.start + g.len)) if (h.field === 3 && h.wire === 2) await nodeDef(h.start + h.len);
      }
    };
    try {
      for await (const f of fields(c, input.source.size))
        if (f.field === 2 && f.wire === 2) for await (const g of fields(c, f.start + f.len)) if (g.field === 2 && g.wire === 2) await graphDef(g.start + g.len);
    } catch (e) {
      if (!(e instanceof ProtoError || e instanceof RangeError)) throw e;
      input.report({ ruleId: "model.tf.invalid", severity: "medium", message: `SavedModel does not parse: ${e.message}`, offset: c.pos });
    }
    for (const [op, at] of seen) {
      const benignSave = op === "Save" || op === "PrintV2";
      input.report({
        ruleId: "model.tf.dangerous-op",
        severity: benignSave ? "low" : "high",
        message: `graph uses ${op}, which ${TF_DANGEROUS_OPS[op]} when the model runs`,
        offset: at,
        entity: op,
        tags: [tag.cwe(94), tag.atlas("AML.T0010.003")],
      });
    }
  },
};

/** True when resolving the relative path's segments in order goes above its folder (`a/../b` stays inside). */
function climbsOut(path: string): boolean {
  let depth = 0;
  for (const seg of path.split(/[\\/]/)) {
    if (seg === "..") {
      if (--depth < 0) return true;
    } else if (seg !== "." && seg !== "") depth++;
  }
  return false;
}
