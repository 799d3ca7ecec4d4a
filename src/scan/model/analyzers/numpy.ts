import { analyzePickleBytes, runPickles } from "../pickle/analyze.js";
import { dtypeItemSize } from "../pickle/vm.js";
import { SliceSource } from "../source.js";
import type { Analyzer, AnalyzerInput } from "../types.js";

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/**
 * numpy .npy (also inside .npz, which the zip analyzer opens): the header is a Python dict literal,
 * parsed here without evaluation. Object arrays hold a pickle after the header; it is analysed.
 */
export const numpyAnalyzer: Analyzer = {
  type: "numpy",
  version: 1,
  required: (head) => MAGIC.every((b, i) => head[i] === b),
  analyze: async (input: AnalyzerInput) => {
    const { source } = input;
    input.note("numpy");
    const pre = await source.read(0, 12);
    const major = pre[6];
    if (pre.length < 10 || (major !== 1 && major !== 2 && major !== 3)) {
      input.report({ ruleId: "model.numpy.malformed", severity: "medium", message: `unknown .npy format version ${major}.${pre[7]}`, offset: 6 });
      return;
    }
    const headerLen = major === 1 ? pre[8]! | (pre[9]! << 8) : pre[8]! | (pre[9]! << 8) | (pre[10]! << 16) | (pre[11]! * 0x1000000);
    const start = major === 1 ? 10 : 12;
    if (headerLen > 1_000_000 || start + headerLen > source.size) {
      input.report({ ruleId: "model.numpy.malformed", severity: "medium", message: `.npy header length ${headerLen} is implausible for a ${source.size}-byte file`, offset: 8 });
      return;
    }
    const text = Buffer.from(await source.read(start, headerLen)).toString(major === 3 ? "utf8" : "latin1");
    const header = parseHeader(text);
    if (!header) {
      input.report({
        ruleId: "model.numpy.malformed",
        severity: "medium",
        message: "the .npy header is not a dict with descr, fortran_order and shape",
        offset: start,
        evidence: { header: text.slice(0, 200) },
      });
      return;
    }
    const dataStart = start + headerLen;
    if (header.object) {
      const window = Math.min(source.size - dataStart, input.limits.maxPickleBytes);
      const buf = await source.read(dataStart, window);
      const runs = runPickles(buf, input.limits.maxOpcodes, input.deadline, input.limits.maxPickleMemoryBytes);
      input.report({
        ruleId: "model.numpy.object-array",
        severity: "low",
        message: `object array (descr ${header.descr}): loading it needs allow_pickle=True and runs the pickle that follows the header`,
        offset: dataStart,
      });
      await analyzePickleBytes(buf, input, { base: dataStart, runs, context: "(numpy object array)" });
      return;
    }
    const item = header.itemSize;
    if (item === undefined) return;
    const expected = header.shape.reduce((a, b) => a * b, 1) * item;
    const actual = source.size - dataStart;
    if (expected !== actual) {
      const extra = actual - expected;
      const tail = extra > 0 ? await source.read(dataStart + expected, Math.min(extra, 16)) : new Uint8Array(0);
      const hidden = tail[0] === 0x80 || (tail[0] === 0x50 && tail[1] === 0x4b);
      input.report({
        ruleId: hidden ? "model.numpy.hidden-payload" : "model.numpy.size-mismatch",
        severity: hidden ? "high" : "medium",
        message:
          extra > 0
            ? `${extra} bytes follow the array data${hidden ? " and look like a pickle or zip: a payload riding along" : ""}`
            : `array data is ${-extra} bytes shorter than shape ${JSON.stringify(header.shape)} × ${item} bytes needs (numpy rejects it)`,
        offset: dataStart + Math.min(expected, actual),
      });
      if (hidden && extra > 0) await input.scanNested(sliceOf(input, dataStart + expected, extra), `@${dataStart + expected}(after array data)`);
    }
  },
};

function sliceOf(input: AnalyzerInput, offset: number, length: number): SliceSource {
  return new SliceSource(input.source, offset, length);
}

export interface NpyHeader {
  descr: string;
  object: boolean;
  shape: number[];
  itemSize?: number;
}

/** Parses `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }` without evaluating it. */
export function parseHeader(text: string): NpyHeader | undefined {
  const t = text.trim();
  if (!t.startsWith("{") || !t.endsWith("}")) return undefined;
  const shapeM = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(t);
  const descrStr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(t);
  const descrList = /['"]descr['"]\s*:\s*(\[.*\])\s*,\s*['"](?:fortran_order|shape)/s.exec(t);
  if (!shapeM || !/['"]fortran_order['"]\s*:\s*(True|False)/.test(t) || (!descrStr && !descrList)) return undefined;
  const shape = shapeM[1]!
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((s) => Number(s.replace(/L$/, "")));
  if (shape.some((n) => !Number.isInteger(n) || n < 0)) return undefined;
  if (descrStr) {
    const descr = descrStr[1]!;
    return { descr, object: /^[|<>=]?O/.test(descr), shape, itemSize: dtypeItemSize(descr) };
  }
  const list = descrList![1]!;
  // Structured dtype: any object field makes the body a pickle.
  const fields = [...list.matchAll(/['"]([|<>=]?[a-zA-Z?]\d*(?:\[[^\]]*\])?)['"]\s*(?:,\s*\(([^)]*)\))?\s*\)/g)];
  const object = fields.some((f) => /^[|<>=]?O/.test(f[1]!)) || /['"][|<>=]?O\d*['"]/.test(list);
  let itemSize: number | undefined = 0;
  for (const f of fields) {
    const s = dtypeItemSize(f[1]!);
    const count = f[2]
      ? f[2]
          .split(",")
          .filter((x) => x.trim())
          .reduce((a, x) => a * Number(x), 1)
      : 1;
    itemSize = s === undefined || itemSize === undefined ? undefined : itemSize + s * count;
  }
  return { descr: list.slice(0, 200), object, shape, itemSize: fields.length > 0 ? itemSize : undefined };
}
