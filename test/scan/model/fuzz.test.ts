import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scanBuffer } from "../../../src/scan/model/index.js";

// Every analyzer behind the walker on random and mutated files: the scan always ends with a result
// (an unreadable file is a finding, never an exception that ends the whole run).
const u32 = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v);
  return b;
};
const u64 = (v: number) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(v));
  return b;
};
const npyHeader = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n";
const stHeader = '{"t":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}';
const SEEDS: Array<[string, Buffer]> = [
  ["m.pkl", Buffer.from([0x80, 0x02, 0x63, ...Buffer.from("os\nsystem\n"), 0x58, 2, 0, 0, 0, 0x6c, 0x73, 0x85, 0x52, 0x2e])],
  ["m.npy", Buffer.concat([Buffer.from([0x93]), Buffer.from("NUMPY"), Buffer.from([1, 0, npyHeader.length, 0]), Buffer.from(npyHeader), Buffer.alloc(8)])],
  ["m.safetensors", Buffer.concat([u64(stHeader.length), Buffer.from(stHeader), Buffer.alloc(4)])],
  ["m.gguf", Buffer.concat([Buffer.from("GGUF"), u32(3), u64(0), u64(1), u64(1), Buffer.from("a"), u32(4), u32(7)])],
  ["m.onnx", Buffer.from([0x08, 0x07, 0x3a, 0x08, 0x0a, 0x06, 0x22, 0x04, 0x52, 0x65, 0x6c, 0x75])],
  ["config.json", Buffer.from('{"class_name": "Lambda", "config": {"function": ["AAAA", null]}}')],
  ["m.h5", Buffer.concat([Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('model_config{"class_name": "Sequential", "config": {}}')])],
];

const mutated = fc.oneof(
  fc.constantFrom(...SEEDS).chain(([name, seed]) =>
    fc.array(fc.tuple(fc.nat(seed.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }).chain((flips) =>
      fc.nat(seed.length).map((cut) => {
        const b = Buffer.from(seed);
        for (const [at, v] of flips) b[at] = v;
        return [name, b.subarray(0, Math.max(cut, 4))] as const;
      }),
    ),
  ),
  fc.tuple(fc.constantFrom(...SEEDS.map(([n]) => n)), fc.uint8Array({ maxLength: 256 })).map(([name, bytes]) => [name, Buffer.from(bytes)] as const),
);

describe("model scan on mutated files of every format", () => {
  it("always returns a result", async () => {
    await fc.assert(
      fc.asyncProperty(mutated, async ([name, data]) => {
        const r = await scanBuffer(data, name, { limits: { timeoutMs: 10_000 } });
        expect(r.check).toBe("scan-model");
      }),
      { numRuns: 400 },
    );
  }, 60_000);
});
