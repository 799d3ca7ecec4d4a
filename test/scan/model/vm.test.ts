import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classifyGlobal, runPickle, runPickles, scanBuffer } from "../../../src/scan/model/index.js";

const b = (...parts: Array<string | number[] | Uint8Array>) => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.from(p))));
const sbu = (s: string) => b([0x8c, s.length], s);

describe("symbolic pickle machine", () => {
  it("follows GLOBAL and REDUCE under protocol 0 with fix_imports", () => {
    const run = runPickle(b("c__builtin__\neval\n(S'1+1'\ntR."));
    expect(run.error).toBeUndefined();
    expect(run.imports[0]).toMatchObject({ module: "builtins", name: "eval", offset: 0 });
    expect(run.calls[0]).toMatchObject({ callee: "builtins.eval", opcode: "REDUCE", args: '"1+1"' });
  });

  it("resolves STACK_GLOBAL operands through the memo after DUP", () => {
    // 'os' DUP BINPUT 1 POP BINGET 1 'system' STACK_GLOBAL
    const run = runPickle(b([0x80, 4], sbu("os"), "2q\x010h\x01", sbu("system"), [0x93], "N\x85R."));
    expect(run.imports[0]).toMatchObject({ module: "os", name: "system", dynamic: false });
    expect(run.calls[0]?.callee).toBe("os.system");
  });

  it("marks names computed by a call as dynamic", () => {
    const run = runPickle(b([0x80, 4], "ccodecs\ndecode\n(", sbu("bf"), sbu("rot13"), "tR", sbu("system"), [0x93], "N\x85R."));
    expect(run.imports.some((i) => i.dynamic)).toBe(true);
    expect(classifyGlobal("x", "y", true).kind).toBe("dangerous");
  });

  it("keeps the calls made before a parse error", () => {
    const run = runPickle(b([0x80, 2], "cos\nsystem\n(", sbu("id"), "tR", [0xff]));
    expect(run.error?.message).toMatch(/invalid opcode/);
    expect(run.calls.map((c) => c.callee)).toEqual(["os.system"]);
  });

  it("keeps out-of-order memo keys and counts them once for MEMOIZE", () => {
    // 'a' BINPUT 5; 'b' MEMOIZE (len(memo) == 1, so key 1); BINGET 5; BINGET 1; TUPLE2
    const run = runPickle(b([0x80, 4], sbu("a"), "q\x05", sbu("b"), [0x94], "h\x05h\x01", [0x86], "."));
    expect(run.error).toBeUndefined();
    expect(run.result).toMatchObject({
      t: "tuple",
      items: [
        { t: "str", v: "a" },
        { t: "str", v: "b" },
      ],
    });
    // A key far past the dense part (LONG_BINPUT 2^31-1) is still found.
    const far = runPickle(b([0x80, 4], sbu("x"), "r\xff\xff\xff\x7f", "0j\xff\xff\xff\x7f."));
    expect(far.result).toMatchObject({ t: "str", v: "x" });
  });

  it("counts MEMOIZE indexes like CPython", () => {
    const run = runPickle(b([0x80, 4], sbu("a"), [0x94], sbu("b"), [0x94], "0h\x01h\x00\x86."));
    expect(run.error).toBeUndefined();
    expect(run.result).toMatchObject({
      t: "tuple",
      items: [
        { t: "str", v: "b" },
        { t: "str", v: "a" },
      ],
    });
  });

  it("rejects an unknown memo key and a MARK-less TUPLE", () => {
    expect(runPickle(b([0x80, 2], "h\x05.")).error?.message).toMatch(/memo key 5/);
    expect(runPickle(b([0x80, 2], "t.")).error?.message).toMatch(/MARK/);
  });

  it("walks concatenated pickles and stops after legacy torch's five", () => {
    const magic = b([0x80, 2, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19], ".");
    const small = b([0x80, 2], "K\x01.");
    const all = runPickles(b(magic, small, small, small, small, "\x00\x01raw storage bytes"), 1e6);
    expect(all.legacyTorch).toBe(true);
    expect(all.pickles).toBe(5);
    expect(all.broken).toBe(false);
  });

  it("classifies allow-listed, denied and unknown globals", () => {
    expect(classifyGlobal("torch._utils", "_rebuild_tensor_v2").kind).toBe("safe");
    expect(classifyGlobal("collections", "OrderedDict").kind).toBe("safe");
    expect(classifyGlobal("sklearn.linear_model._logistic", "LogisticRegression").kind).toBe("safe");
    expect(classifyGlobal("asyncio.unix_events", "x")).toMatchObject({ kind: "dangerous", severity: "critical" });
    expect(classifyGlobal("pathlib", "os.system")).toMatchObject({ kind: "dangerous", severity: "critical" });
    expect(classifyGlobal("builtins", "getattr")).toMatchObject({ kind: "dangerous", severity: "critical" });
    expect(classifyGlobal("mylib", "run_path").kind).toBe("dangerous");
    expect(classifyGlobal("__main__", "Net").kind).toBe("unknown");
  });
});

describe("fuzzing untrusted-input parsers", () => {
  const seeds = [
    b([0x80, 2], "cos\nsystem\n(", sbu("echo"), "tR."),
    b([0x80, 4, 0x95, 10, 0, 0, 0, 0, 0, 0, 0], sbu("a"), [0x94], "h\x00\x85."),
    b("(lp0\nI1\naS'x'\np1\na."),
    b("PK\x03\x04", "\x00".repeat(26), "PK\x05\x06", "\x00".repeat(18)),
    b("GGUF\x03\x00\x00\x00", "\x00".repeat(16)),
    b("\x93NUMPY\x01\x00\x20\x00{'descr': '|O', 'fortran_order': False, 'shape': (1,), }"),
    b([16, 0, 0, 0, 0, 0, 0, 0], '{"w":{"dtype":"F32"}}'),
    b([0x08, 0x08, 0x12, 0x02], "pt", [0x3a, 0x04, 0x0a, 0x02, 0x22, 0x00]),
    b([0x08, 0x01, 0x12, 0x04, 0x12, 0x02, 0x0a, 0x00]),
    b("\x1f\x8b\x08\x00\x00\x00\x00\x00"),
    b("BZh91AY&SY", "\x00".repeat(40)),
    b([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04, 0xe6, 0xd6, 0xb4, 0x46]),
    b("x\x9c", "\x00".repeat(20)),
  ];
  const mutate = fc.tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), fc.nat(64)).map(([seed, edits, cut]) => {
    const out = Buffer.from(seed);
    for (const [i, v] of edits) out[i % out.length] = v;
    return out.subarray(0, Math.max(1, out.length - (cut % 8)));
  });

  it("the pickle VM never throws and always terminates (random and mutated bytes)", () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), mutate), (bytes) => {
        const run = runPickle(bytes, 0, { maxOpcodes: 10_000 });
        expect(run.end).toBeLessThanOrEqual(bytes.length);
        expect(run.opcodes).toBeLessThanOrEqual(10_001);
      }),
      { numRuns: 2000 },
    );
  });

  it("every analyzer returns a verdict for random and mutated bytes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 600 }), mutate), async (bytes) => {
        const result = await scanBuffer(bytes, "fuzz.bin", { limits: { maxOpcodes: 20_000 } });
        expect(result.metrics.analyzerErrors).toBe(0);
        expect(Array.isArray(result.findings)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
