import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { decodeLzmaAlone, parseLzmaHeader } from "../../../src/scan/model/analyzers/lzma.js";
import { scanModelPaths } from "../../../src/scan/model/index.js";
import { tempDir } from "../../helpers/db.js";

// Reference streams from Python's lzma module (liblzma), the encoder joblib uses for `.lzma` files.
const MAKE = `
import lzma, os, pickle, random, sys, json
d = sys.argv[1]
random.seed(7)
raw = pickle.dumps({"w": [random.random() for _ in range(3000)], "t": "abc" * 5000, "r": bytes(random.getrandbits(8) for _ in range(20000))}, protocol=4)
open(f"{d}/raw.bin", "wb").write(raw)
cases = {
  "preset0": dict(preset=0), "preset6": dict(preset=6), "preset9e": dict(preset=9 | lzma.PRESET_EXTREME),
  "lc0lp2pb0": dict(filters=[{"id": lzma.FILTER_LZMA1, "lc": 0, "lp": 2, "pb": 0, "dict_size": 1 << 16}]),
  "lc4lp0pb4": dict(filters=[{"id": lzma.FILTER_LZMA1, "lc": 4, "lp": 0, "pb": 4, "dict_size": 1 << 12}]),
}
for name, kw in cases.items():
  open(f"{d}/{name}.lzma", "wb").write(lzma.compress(raw, format=lzma.FORMAT_ALONE, **kw))
open(f"{d}/bomb.lzma", "wb").write(lzma.compress(b"\\0" * (64 << 20), format=lzma.FORMAT_ALONE))
`;

let dir: string;
let raw: Buffer;
const CASES = ["preset0", "preset6", "preset9e", "lc0lp2pb0", "lc4lp0pb4"];

beforeAll(() => {
  dir = tempDir("rampart-lzma-");
  execFileSync("python3", ["-c", MAKE, dir]);
  raw = readFileSync(join(dir, "raw.bin"));
});

describe("lzma-alone decoder", () => {
  it("decodes liblzma's output byte for byte, for every property set", () => {
    for (const name of CASES) {
      const r = decodeLzmaAlone(readFileSync(join(dir, `${name}.lzma`)), 1 << 30);
      expect(r.error, name).toBeUndefined();
      expect(r.over, name).toBe(false);
      expect(Buffer.compare(Buffer.from(r.data), raw), name).toBe(0);
    }
  });

  it("stops at a declared uncompressed size", () => {
    const c = Buffer.from(readFileSync(join(dir, "preset6.lzma")));
    c.writeBigUInt64LE(1000n, 5);
    expect(parseLzmaHeader(c)?.size).toBe(1000);
    const r = decodeLzmaAlone(c, 1 << 30);
    expect(r.data.length).toBe(1000);
    expect(Buffer.compare(Buffer.from(r.data), raw.subarray(0, 1000))).toBe(0);
  });

  it("keeps at most the limit of a bomb (64 MiB of zeros in a few KiB)", () => {
    const c = readFileSync(join(dir, "bomb.lzma"));
    expect(c.length).toBeLessThan(64 * 1024);
    const r = decodeLzmaAlone(c, 1 << 20);
    expect(r).toMatchObject({ over: true });
    expect(r.data.length).toBe(1 << 20);
  });

  it("reports truncation and damage with the output before it, never throwing", () => {
    const c = readFileSync(join(dir, "preset6.lzma"));
    const cut = decodeLzmaAlone(c.subarray(0, c.length >> 1), 1 << 30);
    expect(cut.error).toMatch(/ends early|distance/);
    expect(Buffer.compare(Buffer.from(cut.data), raw.subarray(0, cut.data.length))).toBe(0);
    expect(decodeLzmaAlone(Buffer.from([0x5d, 0, 0, 0x80, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3]), 100).error).toMatch(/zero byte/);
  });

  it("never throws or runs away on random and mutated streams (fuzz)", () => {
    const seeds = CASES.map((n) => new Uint8Array(readFileSync(join(dir, `${n}.lzma`)).subarray(0, 4000)));
    const mutated = fc.tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 })).map(([seed, edits]) => {
      const out = new Uint8Array(seed);
      for (const [at, v] of edits) out[at % out.length] = v;
      return out;
    });
    const headed = fc.uint8Array({ maxLength: 400 }).map((tail) => new Uint8Array([0x5d, 0, 0, 0x80, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, ...tail]));
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), headed, mutated), (bytes) => {
        const r = decodeLzmaAlone(bytes, 1 << 18);
        expect(r.data.length).toBeLessThanOrEqual(1 << 18);
      }),
      { numRuns: 400 },
    );
  });

  it("finds a payload in a joblib-style .lzma pickle and passes a benign one", async () => {
    const evil = Buffer.concat([Buffer.from([0x80, 4, 0x95, 0, 0, 0, 0, 0, 0, 0, 0]), Buffer.from("cposix\nsystem\n(X\x02\x00\x00\x00idtR.", "latin1")]);
    writeFileSync(join(dir, "evil.pkl"), evil);
    execFileSync("python3", [
      "-c",
      "import lzma,sys; d=sys.argv[1]; open(d+'/evil.joblib','wb').write(lzma.compress(open(d+'/evil.pkl','rb').read(), format=lzma.FORMAT_ALONE))",
      dir,
    ]);
    const bad = await scanModelPaths([join(dir, "evil.joblib")], { digest: false });
    expect(bad.findings.find((f) => f.ruleId === "model.pickle.dangerous-global")).toMatchObject({ severity: "critical", location: { member: "(lzma-decompressed)" } });
    const good = await scanModelPaths([join(dir, "preset6.lzma")], { digest: false });
    expect(good.findings.filter((f) => f.severity === "high" || f.severity === "critical")).toEqual([]);
    expect(good.metrics["format.lzma"]).toBe(1);
  });
});
