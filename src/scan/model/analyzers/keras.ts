// The core barrel would load zod, yaml and the renderers: the scanner takes only what it uses.

import { oneLine } from "../../../core/errors.js";
import { tag } from "../../../core/tags.js";
import { type CodeText, findCodeText } from "../codetext.js";
import { findEmbeddedPickles, HIDDEN_SCAN_BYTES, scanHiddenRegion } from "../hidden.js";
import { classifyGlobal } from "../pickle/policy.js";
import type { Analyzer, AnalyzerInput, Report } from "../types.js";

const KERAS_MODULES = /^(keras|tf_keras|tensorflow\.keras|tensorflow\.python\.keras|keras_hub|keras_nlp|keras_cv|tensorflow_hub)(\.|$)/;
const TAGS = [tag.cwe(94), tag.owaspMl("ML06"), tag.atlas("AML.T0010.003")];
/** Keras functions that a config must never name (safe-mode switches, downloads, nested loads). */
const KERAS_DANGEROUS = /^(?:enable_unsafe_deserialization|disable_safe_mode|get_file|load_model|load_weights)$/;
/** Config keys whose integers size a tensor that building the model allocates. */
const SHAPE_KEYS = /^(?:batch_input_shape|batch_shape|input_shape|shape|target_shape|dims)$/;
const SIZE_KEYS = /^(?:units|filters|input_dim|output_dim)$/;
/** A tensor of 2^31 elements (8 GiB of float32) is past any layer a model file describes. */
const DOS_ELEMENTS = 2 ** 31;
const MAX_DEPTH = 64;

/**
 * Walks a Keras model config (config.json of a .keras zip, or an HDF5 model_config attribute):
 * Lambda layers carry Python code (marshalled bytecode or a function reference); `module` /
 * `registered_name` references import arbitrary callables when deserialised.
 */
export function checkKerasConfig(config: unknown, emit: (r: Report) => void, context: string): number {
  let layers = 0;
  let code: { pointer: string; hit: CodeText; more: number } | undefined;
  let dos: { pointer: string; why: string } | undefined;
  let deep: string | undefined;
  const walk = (node: unknown, pointer: string, depth: number, key = ""): void => {
    if (typeof node === "string") {
      if (node.length >= 8) {
        const hit = findCodeText(node);
        if (hit) code = code ? { ...code, more: code.more + 1 } : { pointer, hit, more: 0 };
      }
      return;
    }
    if (dos === undefined && typeof node === "number" && SIZE_KEYS.test(key) && node >= DOS_ELEMENTS) dos = { pointer, why: `${key} of ${node}` };
    if (node === null || typeof node !== "object") return;
    if (depth > MAX_DEPTH) {
      deep ??= pointer;
      return;
    }
    if (dos === undefined && Array.isArray(node) && SHAPE_KEYS.test(key)) {
      let elements = 1;
      for (const d of node) if (typeof d === "number" && d > 0) elements *= d;
      if (elements >= DOS_ELEMENTS) dos = { pointer, why: `${key} of ${elements.toLocaleString("en-US")} elements` };
    }
    if (Array.isArray(node)) {
      for (const [i, v] of node.entries()) walk(v, `${pointer}/${i}`, depth + 1);
      return;
    }
    const o = node as Record<string, unknown>;
    if (typeof o.class_name === "string") layers++;
    if (o.class_name === "Lambda") {
      const cfg = (o.config ?? {}) as Record<string, unknown>;
      const fn = cfg.function ?? cfg.code;
      const bytecode =
        Array.isArray(fn) ||
        (typeof fn === "object" && fn !== null && ((fn as Record<string, unknown>).class_name === "__lambda__" || "code" in (fn as object))) ||
        typeof cfg.code === "string";
      emit({
        ruleId: "model.keras.lambda",
        severity: bytecode ? "critical" : "high",
        message: `Lambda layer ${JSON.stringify(cfg.name ?? "")} ${bytecode ? "carries marshalled Python bytecode that runs" : "calls a Python function"} when the model is loaded${context}`,
        pointer,
        entity: "Lambda",
        evidence: { function: typeof fn === "string" ? fn.slice(0, 200) : bytecode ? "(marshalled bytecode)" : JSON.stringify(fn ?? null).slice(0, 200) },
        remediation: "Rebuild the model without Lambda layers (use registered custom layers) and load with safe_mode=True.",
        tags: TAGS,
      });
    }
    const module = typeof o.module === "string" ? o.module : undefined;
    // Keras 3 serialises a plain function as {module, class_name: "function", config: "<function name>"}.
    const name =
      o.class_name === "function" && typeof o.config === "string"
        ? o.config
        : typeof o.class_name === "string"
          ? o.class_name
          : typeof o.function_name === "string"
            ? o.function_name
            : undefined;
    // Keras's own functions are trusted as layers, except those that undo the loader's guard or fetch files: a
    // config naming them (the safe-mode bypass of CVE-2025-1550) makes load_model call them.
    if (module && name && KERAS_MODULES.test(module) && KERAS_DANGEROUS.test(name))
      emit({
        ruleId: "model.keras.dangerous-object",
        severity: "high",
        message: `config calls Keras's own ${module}.${name}${context}: it turns off safe mode or fetches files when the model is loaded`,
        pointer,
        entity: `${module}.${name}`,
        remediation: "Reject the model; load Keras files with safe_mode=True on Keras 3.9 or later.",
        tags: TAGS,
      });
    if (module && name && !KERAS_MODULES.test(module)) {
      const verdict = classifyGlobal(module, name);
      if (verdict.kind !== "safe")
        emit({
          ruleId: verdict.kind === "dangerous" ? "model.keras.dangerous-object" : "model.keras.custom-object",
          severity: verdict.kind === "dangerous" ? verdict.severity : "medium",
          message: `config deserialises ${module}.${name}${context}: ${verdict.why}`,
          pointer,
          entity: `${module}.${name}`,
          tags: TAGS,
        });
    }
    for (const [k, v] of Object.entries(o)) walk(v, `${pointer}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`, depth + 1, k);
  };
  walk(config, "", 0);
  if (code)
    emit({
      ruleId: "model.keras.code-string",
      severity: "medium",
      message: `config value ${code.pointer} is Python source (${code.hit.kind}: ${JSON.stringify(code.hit.match)})${code.more > 0 ? ` (and ${code.more} more)` : ""}${context}: Keras never executes config strings (a custom object receives them as data in from_config; load_model restores no callbacks), so it runs only if a custom class registered by the loading program exec's it`,
      pointer: code.pointer,
      evidence: { kind: code.hit.kind, match: code.hit.match },
      remediation: "Reject models whose config carries source code; never register custom objects that evaluate config strings.",
      tags: TAGS,
    });
  if (dos)
    emit({
      ruleId: "model.keras.dos-shape",
      severity: "medium",
      message: `config declares ${dos.why} at ${dos.pointer}${context}: building the model allocates it (8 GiB or more), a denial of service on load`,
      pointer: dos.pointer,
      tags: [tag.cwe(400)],
    });
  if (deep !== undefined)
    emit({
      ruleId: "model.keras.deep-nesting",
      severity: "medium",
      message: `config nests deeper than ${MAX_DEPTH} levels (at ${deep.slice(0, 120)}…)${context}: Keras deserialises it recursively and can exhaust the stack; objects below that depth were not checked`,
      pointer: deep.slice(0, 1000),
      tags: [tag.cwe(674)],
    });
  return layers;
}

function jsonStart(head: Uint8Array): boolean {
  let i = 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++;
  if (head[i] !== 0x7b) return false;
  const text = Buffer.from(head.subarray(0, 4096)).toString("utf8");
  return /"class_name"\s*:|"keras_version"\s*:|"registered_name"\s*:/.test(text);
}

/** Keras JSON configs (config.json inside .keras, model.json, metadata files with layer configs). */
export const kerasConfigAnalyzer: Analyzer = {
  type: "keras-config",
  version: 1,
  required: (head) => jsonStart(head),
  analyze: async (input: AnalyzerInput) => {
    input.note("keras-config");
    if (input.source.size > 64 * 1024 * 1024) {
      input.report({ ruleId: "model.limit", severity: "medium", message: "Keras config larger than 64 MiB was not parsed" });
      return;
    }
    const text = Buffer.from(await input.source.read(0, input.source.size)).toString("utf8");
    let config: unknown;
    try {
      config = JSON.parse(text);
    } catch (e) {
      input.report({ ruleId: "model.keras.invalid", severity: "medium", message: `Keras config is not valid JSON (${oneLine((e as Error).message)})` });
      return;
    }
    checkKerasConfig(config, (r) => input.report(r), "");
  },
};

const HDF5_MAGIC = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Where the HDF5 signature is in the head: at 0, or at 512 after a user block (the library looks at 0, 512,
 * 1024, 2048, ...; a block over 512 bytes puts it past the walker's first KiB). -1 when absent.
 */
function hdf5SignatureAt(head: Uint8Array): number {
  for (const at of [0, 512]) if (HDF5_MAGIC.every((b, i) => head[at + i] === b)) return at;
  return -1;
}

const UNDEFINED_ADDRESS = 2 ** 53;

/** Reads an unsigned little-endian integer of `size` bytes (2, 4 or 8); all-ones is HDF5's "undefined". */
function address(b: Uint8Array, o: number, size: number): number {
  let v = 0;
  let ones = true;
  for (let i = size - 1; i >= 0; i--) {
    v = v * 256 + b[o + i]!;
    if (b[o + i] !== 0xff) ones = false;
  }
  return ones ? UNDEFINED_ADDRESS : v;
}

/**
 * The superblock says where the file ends (the end-of-file address, relative to the base address). A file
 * whose signature is not followed by a superblock the HDF5 library accepts is not HDF5 whatever its name or
 * magic says, so it is searched like a file of no known format; bytes in the user block and past the
 * end-of-file address are read by no HDF5 reader, so they are searched as hidden data.
 */
async function checkHdf5Layout(input: AnalyzerInput): Promise<void> {
  const sigAt = hdf5SignatureAt(input.head);
  const sb = await input.source.read(sigAt, 96);
  const version = sb[8];
  let offsets = 0;
  let fields = 0;
  if (version === 0 || version === 1) {
    offsets = sb[13]!;
    fields = version === 0 ? 24 : 28;
  } else if (version === 2 || version === 3) {
    offsets = sb[9]!;
    fields = 12;
  }
  const lengths = version === 0 || version === 1 ? sb[14] : sb[10];
  const sizesOk = [2, 4, 8].includes(offsets) && [2, 4, 8].includes(lengths ?? 0);
  // v0/1: base, free-space, end-of-file; v2/3: base, superblock extension, end-of-file.
  const base = sizesOk ? address(sb, fields, offsets) : UNDEFINED_ADDRESS;
  const eof = sizesOk ? address(sb, fields + 2 * offsets, offsets) : UNDEFINED_ADDRESS;
  const size = input.source.size;
  if (!sizesOk || sb.length < fields + 3 * offsets || base === UNDEFINED_ADDRESS || eof === UNDEFINED_ADDRESS || eof === 0) {
    input.report({
      ruleId: "model.hdf5.invalid",
      severity: "medium",
      message: `HDF5 signature at offset ${sigAt} without a superblock the HDF5 library accepts (version ${version ?? "missing"}, offset size ${offsets}): h5py and Keras cannot open this file, so it was searched as data of no known format`,
      offset: sigAt,
    });
    const all = await input.source.read(0, Math.min(size, HIDDEN_SCAN_BYTES));
    await findEmbeddedPickles(all, 0, input, "in a file with an HDF5 signature but no valid superblock");
    return;
  }
  if (sigAt > 0) await scanHiddenRegion(input, { start: 0, end: sigAt, where: "in the HDF5 user block", noteUnknown: false });
  // Addresses are relative to the base address, which is where the signature sits (the user block's size).
  const end = sigAt + eof;
  if (end < size) await scanHiddenRegion(input, { start: end, end: size, where: "after the HDF5 end-of-file address", noteUnknown: true });
}

/**
 * Legacy Keras HDF5 (.h5): the model_config root attribute holds the model's JSON. Keras writes it
 * before the weights, so the JSON objects in the first 64 MiB are found and checked like config.json.
 */
export const hdf5Analyzer: Analyzer = {
  type: "hdf5",
  version: 1,
  required: (head) => hdf5SignatureAt(head) >= 0,
  analyze: async (input: AnalyzerInput) => {
    input.note("hdf5");
    await checkHdf5Layout(input);
    // The root group's attribute names sit in its object header near the start: a weights-only file
    // (no model_config) costs 1 MiB; otherwise read on to find the attribute's JSON value.
    const first = await input.source.read(0, Math.min(input.source.size, 1024 * 1024));
    if (!Buffer.from(first).includes("model_config") && !Buffer.from(first).includes('"class_name"')) return;
    const window = input.source.size <= first.length ? first : await input.source.read(0, Math.min(input.source.size, 64 * 1024 * 1024));
    const text = Buffer.from(window).toString("latin1");
    // Any JSON object that names a class near its start: model_config as Keras 2 and 3 write it.
    const re = /\{\s*"(?:class_name|module)"\s*:/g;
    let found = 0;
    // Each candidate that never closes is scanned to the end of the window: thousands of them made the
    // scan quadratic (10,000 unclosed objects: over a minute). All candidates together may scan a few
    // times the window; past that the file is reported as not fully checked (not passed as clean).
    const budget = { left: 8 * text.length + 1024 * 1024 };
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const end = balancedEnd(text, m.index, budget);
      if (end === OUT_OF_BUDGET) {
        input.report({
          ruleId: "model.limit",
          severity: "medium",
          message: `HDF5 file holds more unclosed JSON objects naming a class than Rampart checks (stopped at offset ${m.index}); the configs after it were not checked`,
          offset: m.index,
        });
        break;
      }
      if (end < 0) continue;
      let config: unknown;
      try {
        config = JSON.parse(Buffer.from(window.subarray(m.index, end)).toString("utf8"));
      } catch {
        continue;
      }
      found++;
      const offset = m.index;
      checkKerasConfig(config, (r) => input.report({ ...r, offset }), " (HDF5 model_config attribute)");
      re.lastIndex = end;
    }
    if (found === 0 && /model_config/.test(text))
      input.report({
        ruleId: "model.keras.unreadable-config",
        severity: "medium",
        message: "HDF5 file names a model_config attribute that Rampart could not read (compressed or split storage); its layers were not checked",
      });
  },
};

const OUT_OF_BUDGET = -2;

/** End index (exclusive) of the JSON object starting at `start`, -1 when it does not close, OUT_OF_BUDGET when `budget` ran out. */
function balancedEnd(text: string, start: number, budget: { left: number }): number {
  const stop = Math.min(text.length, start + 32 * 1024 * 1024, start + budget.left);
  const result = scanBalanced(text, start, stop);
  budget.left -= result.scanned;
  if (result.end === -1 && stop < Math.min(text.length, start + 32 * 1024 * 1024)) return OUT_OF_BUDGET;
  return result.end;
}

function scanBalanced(text: string, start: number, stop: number): { end: number; scanned: number } {
  let depth = 0;
  let i = start;
  for (; i < stop; i++) {
    const c = text[i];
    if (c === '"') {
      i++;
      while (i < stop && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    } else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) return { end: i + 1, scanned: i + 1 - start };
    }
  }
  return { end: -1, scanned: i - start };
}

/**
 * TensorFlow/Keras `keras_metadata.pb` (SavedMetadata protobuf): each saved object carries its Keras
 * config as a JSON string. Lambda layers there are reported like in config.json.
 */
export const kerasMetadataAnalyzer: Analyzer = {
  type: "keras-metadata",
  version: 1,
  required: (head) => head[0] === 0x0a && /"class_name"\s*:|\{"name"\s*:/.test(Buffer.from(head).toString("latin1")),
  analyze: async (input: AnalyzerInput) => {
    input.note("keras-metadata");
    const window = await input.source.read(0, Math.min(input.source.size, 64 * 1024 * 1024));
    const text = Buffer.from(window).toString("latin1");
    const re = /"class_name"\s*:\s*"Lambda"/g;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const after = text.slice(m.index, m.index + 8192);
      const bytecode = /"function"\s*:\s*\[|__lambda__|"function_type"\s*:\s*"lambda"/.test(after);
      input.report({
        ruleId: "model.keras.lambda",
        severity: bytecode ? "critical" : "high",
        message: `Lambda layer in SavedModel Keras metadata ${bytecode ? "carries marshalled Python bytecode that runs" : "calls a Python function"} when the model is loaded`,
        offset: m.index,
        entity: "Lambda",
        remediation: "Rebuild the model without Lambda layers and load with safe_mode=True.",
        tags: TAGS,
      });
    }
  },
};
