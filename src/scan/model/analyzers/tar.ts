// The core barrel would load zod, yaml and the renderers: the scanner takes only what it uses.
import { tag } from "../../../core/tags.js";
import { analyzePickleBytes, type PickleRuns } from "../pickle/analyze.js";
import { runPickle, type Value } from "../pickle/vm.js";
import { SliceSource } from "../source.js";
import type { Analyzer, AnalyzerInput } from "../types.js";
import { unsafeMemberName } from "./zip.js";

function octal(b: Uint8Array, off: number, len: number): number {
  const s = Buffer.from(b.subarray(off, off + len))
    .toString("latin1")
    .replace(/\0.*$/s, "")
    .trim();
  if (s === "") return 0;
  if (!/^[0-7]+$/.test(s)) return Number.NaN;
  return Number.parseInt(s, 8);
}

function checksumOk(h: Uint8Array): boolean {
  const want = octal(h, 148, 8);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
  return sum === want;
}

function cstr(b: Uint8Array, off: number, len: number): string {
  const s = b.subarray(off, off + len);
  const z = s.indexOf(0);
  return Buffer.from(z >= 0 ? s.subarray(0, z) : s).toString("utf8");
}

/** tar archives, including PyTorch's oldest format (sys_info, pickle, storages, tensors members). */
export const tarAnalyzer: Analyzer = {
  type: "tar",
  version: 1,
  required: (head) => head.length >= 512 && Buffer.from(head.subarray(257, 262)).toString("latin1") === "ustar" && checksumOk(head),
  analyze: async (input: AnalyzerInput) => {
    input.note("tar");
    const { source } = input;
    let pos = 0;
    let longName: string | undefined;
    let paxPath: string | undefined;
    const names: string[] = [];
    for (let count = 0; pos + 512 <= source.size && count < input.limits.maxMembers; count++) {
      const h = await source.read(pos, 512);
      if (h.every((b) => b === 0)) break;
      if (!checksumOk(h)) {
        input.report({ ruleId: "model.archive.unreadable", severity: "medium", message: `tar header at offset ${pos} has a bad checksum; the rest was not scanned`, offset: pos });
        return;
      }
      const size = octal(h, 124, 12);
      if (!Number.isFinite(size) || pos + 512 + size > source.size) {
        input.report({ ruleId: "model.archive.unreadable", severity: "medium", message: `tar member at offset ${pos} declares an impossible size`, offset: pos });
        return;
      }
      const type = String.fromCharCode(h[156]!);
      const prefix = cstr(h, 345, 155);
      let name = longName ?? paxPath ?? (prefix ? `${prefix}/${cstr(h, 0, 100)}` : cstr(h, 0, 100));
      const dataAt = pos + 512;
      pos = dataAt + Math.ceil(size / 512) * 512;
      if (type === "L") {
        longName = cstr(await source.read(dataAt, Math.min(size, 65_536)), 0, size);
        continue;
      }
      if (type === "x") {
        const text = Buffer.from(await source.read(dataAt, Math.min(size, 65_536))).toString("utf8");
        paxPath = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(text)?.[1];
        continue;
      }
      if (type === "g") continue;
      longName = undefined;
      paxPath = undefined;
      name = name.replace(/^\.\//, "");
      names.push(name);
      const bad = unsafeMemberName(name);
      if (bad)
        input.report({
          ruleId: "model.archive.path-traversal",
          severity: "high",
          message: `member name ${JSON.stringify(name)} ${bad}; extracting it writes outside the target folder`,
          offset: dataAt - 512,
          entity: name,
          tags: [tag.cwe(22)],
        });
      if (type === "1" || type === "2") {
        const target = cstr(h, 157, 100);
        if (target.startsWith("/") || target.split("/").includes(".."))
          input.report({
            ruleId: "model.archive.path-traversal",
            severity: "high",
            message: `${type === "2" ? "symlink" : "hard link"} ${name} points to ${target}, outside the archive`,
            offset: dataAt - 512,
            tags: [tag.cwe(59)],
          });
        continue;
      }
      if (type === "3" || type === "4" || type === "6") {
        // tarfile.extractall (and tar run as root) create device nodes and pipes; no model file is one.
        input.report({
          ruleId: "model.archive.special-file",
          severity: "medium",
          message: `member ${name} is ${type === "6" ? "a named pipe" : type === "3" ? "a character device" : "a block device"}: no model file is one; extracting as root creates the node`,
          offset: dataAt - 512,
          entity: name,
        });
        continue;
      }
      if (type !== "0" && type !== "\0" && type !== "7") continue;
      const member = new SliceSource(source, dataAt, size);
      // PyTorch's legacy tar interleaves pickles with raw storage bytes: follow its layout so every
      // pickle the loader would run is seen and the tensor bytes are skipped, not read.
      if (name === "storages" || name === "tensors") {
        const followed = await walkLegacyTorchMember(member, name, input);
        if (followed) continue;
      }
      await input.scanNested(member, name);
    }
    if (["sys_info", "pickle", "storages"].every((n) => names.includes(n))) input.note("pytorch-legacy-tar");
  },
};

const ELEMENT_SIZES: Record<string, number> = {
  DoubleStorage: 8,
  FloatStorage: 4,
  HalfStorage: 2,
  BFloat16Storage: 2,
  LongStorage: 8,
  IntStorage: 4,
  ShortStorage: 2,
  CharStorage: 1,
  ByteStorage: 1,
  BoolStorage: 1,
  ComplexFloatStorage: 8,
  ComplexDoubleStorage: 16,
  QInt8Storage: 1,
  QUInt8Storage: 1,
  QInt32Storage: 4,
};

/** One pickle at `offset` of a member, read through a growing window. */
async function pickleAt(member: SliceSource, offset: number, input: AnalyzerInput): Promise<{ buf: Uint8Array; runs: PickleRuns }> {
  let window = Math.min(member.size - offset, 64 * 1024);
  for (;;) {
    const buf = await member.read(offset, window);
    const run = runPickle(buf, 0, { joblib: false, maxOpcodes: input.limits.maxOpcodes, deadline: input.deadline, maxMemoryBytes: input.limits.maxPickleMemoryBytes });
    const truncated = run.error && /truncated|past the end/.test(run.error.message);
    if (truncated && window < member.size - offset && window < input.limits.maxPickleBytes) {
      window = Math.min(member.size - offset, input.limits.maxPickleBytes, window * 4);
      continue;
    }
    const runs: PickleRuns = {
      runs: [run],
      pickles: run.error ? 0 : 1,
      imports: run.imports.length,
      calls: run.calls.length,
      legacyTorch: false,
      end: run.end,
      broken: Boolean(run.error),
      truncated: Boolean(truncated),
      trailing: 0,
    };
    return { buf, runs };
  }
}

/**
 * `storages`: count pickle, then per storage a (key, location, storage_type) pickle + int64 element
 * count + raw bytes, then a storage-views pickle. `tensors`: count pickle, then per tensor a pickle +
 * int32 ndim + 4 bytes + ndim int64 sizes + ndim int64 strides + int64 offset. Returns false when the
 * member does not follow the layout (the caller then scans it as plain content).
 */
async function walkLegacyTorchMember(member: SliceSource, name: string, input: AnalyzerInput): Promise<boolean> {
  let pos = 0;
  const next = async (): Promise<Value | undefined> => {
    const { buf, runs } = await pickleAt(member, pos, input);
    await analyzePickleBytes(
      buf.subarray(0, runs.broken ? buf.length : runs.end),
      { ...input, report: (r) => input.report({ ...r, member: name }) },
      { base: pos, runs, context: `(legacy torch ${name})` },
    );
    if (runs.broken) return undefined;
    pos += runs.end;
    return runs.runs[0]!.result;
  };
  const head = await member.read(0, 2);
  if (head[0] !== 0x80) return false;
  const count = await next();
  if (count?.t !== "int" || count.v < 0 || count.v > 10_000_000) return true;
  for (let i = 0; i < count.v; i++) {
    const args = await next();
    if (args === undefined) return true;
    if (name === "storages") {
      const type = args.t === "tuple" ? args.items[2] : undefined;
      const size = type?.t === "global" ? ELEMENT_SIZES[type.name] : undefined;
      const numelBytes = await member.read(pos, 8);
      if (size === undefined || numelBytes.length < 8) return true;
      const numel = Number(Buffer.from(numelBytes).readBigInt64LE(0));
      pos += 8 + numel * size;
    } else {
      const nd = await member.read(pos, 4);
      if (nd.length < 4) return true;
      const ndim = Buffer.from(nd).readInt32LE(0);
      if (ndim < 0 || ndim > 64) return true;
      pos += 4 + 4 + 16 * ndim + 8;
    }
    if (pos > member.size) return true;
  }
  if (name === "storages" && pos < member.size) await next();
  return true;
}
