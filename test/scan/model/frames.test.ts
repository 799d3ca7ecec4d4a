import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { scanBuffer } from "../../../src/scan/model/index.js";

// Session 20: an opcode that crosses the end of its FRAME (or a frame opened inside another) is read differently by
// CPython's C unpickler and the pure-Python one (CPython issue 154848): high. CPython's picklers never write one.
const findings = async (b: Uint8Array) => (await scanBuffer(b, "m.pkl")).findings;
const straddles = async (b: Uint8Array) => (await findings(b)).filter((f) => f.ruleId === "model.pickle.frame-straddle");
const high = async (b: Uint8Array) => (await findings(b)).filter((f) => f.severity === "high" || f.severity === "critical");
const u64 = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
};
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
const framed = (body: Buffer, declared: number) => Buffer.concat([Buffer.from([0x80, 5, 0x95]), u64(declared), body, Buffer.from(".")]);
const py = (code: string) => execFileSync("python3", ["-c", `import pickle, sys\nsys.stdout.buffer.write(${code})`], { maxBuffer: 64 << 20 });

describe("frames", () => {
  it("an opcode that runs past its frame's end is high (BINBYTES, SHORT_BINUNICODE, BININT)", async () => {
    const cases = [
      Buffer.concat([Buffer.from("B"), u32(20), Buffer.alloc(20, 0x41)]),
      Buffer.concat([Buffer.from([0x8c, 20]), Buffer.alloc(20, 0x41)]),
      Buffer.concat([Buffer.from("J"), u32(7)]),
    ];
    for (const body of cases) {
      const f = await straddles(framed(body, 3));
      expect(f).toHaveLength(1);
      expect(f[0]!.severity).toBe("high");
    }
  });

  it("the divergence shape: a bytes literal crossing a 2-byte frame, with a call buried in it, is high", async () => {
    const hidden = Buffer.from("cos\nsystem\nVecho pwned\n\x85R(", "latin1");
    const payload = Buffer.concat([
      Buffer.from([0x80, 5, 0x4e, 0x56]),
      Buffer.alloc(8192 * 16 - 17, 0x61),
      Buffer.from("\n0(\x95", "latin1"),
      u64(2),
      Buffer.from("B"),
      u32(0x107),
      Buffer.alloc(2),
      Buffer.concat([hidden, Buffer.alloc(256 + 5 - hidden.length, 0x4e)]),
      Buffer.from("1."),
    ]);
    expect(await straddles(payload)).toHaveLength(1);
  });

  it("a frame that opens inside another is high", async () => {
    const b = Buffer.concat([Buffer.from([0x80, 5, 0x95]), u64(30), Buffer.from([0x4e, 0x95]), u64(2), Buffer.from([0x4e, 0x2e])]);
    expect(await straddles(b)).toHaveLength(1);
  });

  it("frames CPython writes are never flagged: large unframed bytes, interleaved frames, many full frames", async () => {
    const objs = ['b"x" * 100000', '[1, b"y" * 100000, 2, "z" * 70000, 3]', "list(range(60000))", '{f"k{i}": i for i in range(20000)}'];
    for (const o of objs)
      for (const p of [4, 5]) {
        const b = py(`pickle.dumps(${o}, protocol=${p})`);
        expect(await high(b)).toEqual([]);
        // and the pure-Python pickler's framer too
        expect(await high(py(`pickle._dumps(${o}, protocol=${p})`))).toEqual([]);
      }
  });

  it("a frame that ends exactly at an opcode boundary is not a straddle", async () => {
    // joblib ends its frame right before an array's raw bytes; the benign joblib fixtures stay clean (fixtures.test.ts).
    expect(await straddles(framed(Buffer.from("N"), 1))).toEqual([]);
    expect(await straddles(Buffer.concat([Buffer.from([0x80, 5, 0x95]), u64(1), Buffer.from("N"), Buffer.from([0x95]), u64(2), Buffer.from("N0.")]))).toEqual([]);
  });
});

describe("inert names the policy used to call internals", () => {
  const sg = (m: string, n: string) =>
    Buffer.concat([Buffer.from([0x80, 4, 0x8c, m.length]), Buffer.from(m), Buffer.from([0x8c, n.length]), Buffer.from(n), Buffer.from([0x93, 0x2e])]);
  it("__future__ feature flags are safe; a dotted name under __future__ is still high", async () => {
    expect(await findings(sg("__future__", "annotations"))).toEqual([]);
    expect((await high(sg("__future__", "_ssl.RAND_bytes"))).length).toBeGreaterThan(0);
    expect((await high(sg("__future__", "__loader__"))).length).toBeGreaterThan(0);
  });
  it("builtins.len is a plain function; builtins.getattr stays critical", async () => {
    expect(await high(Buffer.from("cbuiltins\nlen\n]\x85R.", "latin1"))).toEqual([]);
    expect((await high(Buffer.from("cbuiltins\ngetattr\n(S'os'\nS'system'\ntR.", "latin1")))[0]?.severity).toBe("critical");
  });
});
