/**
 * Bytes that no loader of the file's format reads: data after a zip's end record or between its members, an
 * HDF5 user block or data past the HDF5 end-of-file address, a file of no known format, a pickle spelled as
 * base64 in a metadata string. Nothing loads them, but a custom loader that slices them out would, and hiding a
 * payload there is the point of the trick. So a pickle in them that imports a dangerous global is reported high
 * (`model.pickle.embedded`, as for a pickle behind an image), content another analyzer recognises is scanned as
 * a nested member, and zeros (padding) and text (HDF5 user blocks, zip comments) stay silent.
 */
import { analyzePickleBytes, mayBeProtocol0, runPickles, startsLikePickle } from "./pickle/analyze.js";
import { classifyInRuns } from "./pickle/getters.js";
import { runPickle } from "./pickle/vm.js";
import { SliceSource } from "./source.js";
import { type AnalyzerInput, pastDeadline } from "./types.js";

/** Hidden regions are read up to this size (the rest is reported as not scanned). */
export const HIDDEN_SCAN_BYTES = 64 * 1024 * 1024;

/**
 * Tries every protocol-2+ pickle header in `buf` (which sits at `base` in the content); a run is reported only
 * when it imports a dangerous global, so random binary data raises nothing. Returns the number reported.
 */
export async function findEmbeddedPickles(buf: Uint8Array, base: number, input: AnalyzerInput, where: string): Promise<number> {
  let found = 0;
  let tries = 0;
  // Opcodes for the whole search, linear in the bytes: trial runs from every header of a region packed with
  // `\x80\x02` pairs would otherwise re-read the rest of the region from each one (quadratic).
  // (A pickle has at most one opcode per byte, so whole pickles in the region always fit.)
  let budget = 8 * buf.length;
  // A protocol 0/1 pickle has no header to search for: it is tried only where the region begins.
  const first = mayBeProtocol0(buf) && !startsLikePickle(buf) ? 0 : buf.indexOf(0x80);
  // A run can only import through a GLOBAL, INST or STACK_GLOBAL opcode: past the last byte that could be one,
  // no trial run is worth starting (a region packed with bare headers then costs one scan, not a run each).
  const lastImport = Math.max(buf.lastIndexOf(0x63), buf.lastIndexOf(0x69), buf.lastIndexOf(0x93));
  for (let i = first; i >= 0 && i < buf.length - 2 && i < lastImport && tries < 10_000; i = buf.indexOf(0x80, i + 1)) {
    if (i > 0 && (buf[i + 1]! < 2 || buf[i + 1]! > 5)) continue;
    if (pastDeadline(input.deadline)) break;
    if (budget <= 0) {
      input.report({
        ruleId: "model.limit",
        severity: "medium",
        message: `the search for pickles ${where} stopped at offset ${base + i} (too many pickle headers); the rest was not searched`,
        offset: base + i,
      });
      break;
    }
    tries++;
    const run = runPickle(buf, i, { joblib: false, maxOpcodes: Math.min(100_000, budget), deadline: input.deadline, maxMemoryBytes: input.limits.maxPickleMemoryBytes });
    budget -= run.opcodes;
    if (!run.imports.some((imp) => classifyInRuns(imp.module, imp.name, imp.dynamic, [run]).kind === "dangerous")) continue;
    found++;
    input.report({
      ruleId: "model.pickle.embedded",
      severity: "high",
      message: `a pickle is embedded at offset ${base + i} ${where}; no standard loader reads it there, but it imports a dangerous global`,
      offset: base + i,
      length: run.end - i,
    });
    const bytes = buf.subarray(i, run.error ? buf.length : run.end);
    const runs = runPickles(bytes, input.limits.maxOpcodes, input.deadline, input.limits.maxPickleMemoryBytes);
    await analyzePickleBytes(bytes, input, { base: base + i, runs, context: "(embedded pickle)" });
    i = Math.max(i, run.end - 1);
  }
  return found;
}

function allZero(buf: Uint8Array): boolean {
  for (let i = 0; i < buf.length; i++) if (buf[i] !== 0) return false;
  return true;
}

export interface HiddenRegion {
  start: number;
  end: number;
  /** Where the bytes are, for messages: "after the zip's end record", "in the HDF5 user block". */
  where: string;
  /** Report non-zero bytes of no known format (low): true where the format leaves no room for data. */
  noteUnknown: boolean;
}

/** Scans one region the format's loaders skip (see the module comment). */
export async function scanHiddenRegion(input: AnalyzerInput, region: HiddenRegion): Promise<void> {
  const length = region.end - region.start;
  if (length <= 0 || pastDeadline(input.deadline)) return;
  const buf = await input.source.read(region.start, Math.min(length, HIDDEN_SCAN_BYTES));
  if (allZero(buf)) return;
  const found = await findEmbeddedPickles(buf, region.start, input, region.where);
  if (found > 0) return;
  // A protocol 0/1 "pickle" is a guess from one byte (text starts so too): only a strong header counts here.
  const head = buf.subarray(0, 4096);
  // The whole content again would only recurse: it has been analysed as what it is.
  const whole = region.start === 0 && length === input.source.size;
  if (!whole && (startsLikePickle(head) || (!mayBeProtocol0(head) && input.wants(head, "", length)))) {
    input.report({
      ruleId: "model.hidden-data",
      severity: "medium",
      message: `${length} bytes ${region.where} (offset ${region.start}) hold content of a known model format that the file's loaders never read; it was scanned as a member`,
      offset: region.start,
      length,
    });
    await input.scanNested(new SliceSource(input.source, region.start, length), `@${region.start}(${region.where})`);
    return;
  }
  if (region.noteUnknown)
    input.report({
      ruleId: "model.hidden-data",
      severity: "low",
      message: `${length} bytes ${region.where} (offset ${region.start}) are not part of the format; no loader reads them`,
      offset: region.start,
      length,
    });
}

/** Base64 of a protocol 2–5 pickle header (`\x80\x02`..`\x80\x05`) starts with one of these. */
const BASE64_PICKLE = /^\s*gA[I-X]/;
const HEX_PICKLE = /^\s*(?:0x)?80\s?0[2-5]/i;

/**
 * A metadata string that is a pickle spelled as base64 or hex (safetensors `__metadata__`, GGUF and ONNX
 * string values): decoded (at most 64 KiB of text) and searched like hidden bytes. Offsets in the findings are
 * `offset` (where the value sits) plus the position in the decoded bytes.
 */
export async function findEncodedPickle(text: string, offset: number, input: AnalyzerInput, where: string): Promise<number> {
  const s = text.length > 65_536 ? text.slice(0, 65_536) : text;
  let bytes: Uint8Array | undefined;
  if (BASE64_PICKLE.test(s)) bytes = Buffer.from(s.trim(), "base64");
  else if (HEX_PICKLE.test(s)) bytes = Buffer.from(s.trim().replace(/^0x/i, "").replace(/\s/g, ""), "hex");
  if (!bytes || bytes.length < 4) return 0;
  return findEmbeddedPickles(bytes, offset, input, `${where} (decoded from ${BASE64_PICKLE.test(s) ? "base64" : "hex"})`);
}
