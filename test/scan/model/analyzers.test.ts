import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { scanBuffer, scanModelPaths } from "../../../src/scan/model/index.js";
import { tempDir } from "../../helpers/db.js";

const rules = async (bytes: Uint8Array, name = "f.bin") => (await scanBuffer(bytes, name)).findings.map((f) => `${f.severity}:${f.ruleId}`);

function safetensors(header: unknown, data: Uint8Array, raw?: string): Buffer {
  const h = Buffer.from(raw ?? JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(h.length));
  return Buffer.concat([len, h, data]);
}

describe("safetensors header validation", () => {
  const t = (dtype: string, shape: number[], a: number, b: number) => ({ dtype, shape, data_offsets: [a, b] });
  it("accepts a valid file", async () => {
    expect(await rules(safetensors({ a: t("F32", [2], 0, 8), b: t("BF16", [2, 2], 8, 16) }, Buffer.alloc(16)))).toEqual([]);
  });
  it.each([
    ["unknown dtype", { a: t("F31", [2], 0, 8) }, 8],
    ["shape does not match the byte range", { a: t("F32", [3], 0, 8) }, 8],
    ["out of range", { a: t("F32", [2], 0, 8), b: t("F32", [2], 8, 16) }, 8],
    ["overlap", { a: t("F32", [2], 0, 8), b: t("F32", [1], 4, 8) }, 8],
    ["gap", { a: t("F32", [1], 4, 8) }, 8],
    ["trailing bytes", { a: t("F32", [1], 0, 4) }, 8],
    ["negative offsets", { a: { dtype: "F32", shape: [1], data_offsets: [-4, 0] } }, 8],
    ["metadata not strings", { __metadata__: { n: 1 }, a: t("F32", [2], 0, 8) }, 8],
  ])("reports %s", async (_name, header, size) => {
    expect(await rules(safetensors(header, Buffer.alloc(size)))).toContain("medium:model.safetensors.invalid");
  });
  it("reports duplicate tensor names that JSON.parse would hide", async () => {
    const raw = '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}';
    expect(await rules(safetensors(null, Buffer.alloc(4), raw))).toContain("medium:model.safetensors.invalid");
  });
  it("rejects a header above the reference loader's cap without reading it", async () => {
    const buf = Buffer.alloc(16);
    buf.writeBigUInt64LE(200_000_000n);
    buf[8] = 0x7b;
    // The declared length exceeds the file: not detected as safetensors at all, and nothing is flagged high.
    expect((await rules(buf)).filter((r) => r.startsWith("high") || r.startsWith("critical"))).toEqual([]);
  });
});

describe("numpy, GGUF, ONNX and zip edge cases", () => {
  const npy = (header: string, body: Uint8Array) => {
    const h = `${header + " ".repeat(64 - ((10 + header.length + 1) % 64))}\n`;
    const len = Buffer.alloc(2);
    len.writeUInt16LE(h.length);
    return Buffer.concat([Buffer.from("\x93NUMPY\x01\x00", "latin1"), len, Buffer.from(h, "latin1"), body]);
  };
  it("checks .npy data size against shape and dtype", async () => {
    expect(await rules(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", Buffer.alloc(16)))).toEqual([]);
    expect(await rules(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", Buffer.alloc(12)))).toContain("medium:model.numpy.size-mismatch");
    expect(await rules(npy("{'descr': [('a', '<f4'), ('b', '|O')], 'fortran_order': False, 'shape': (1,), }", Buffer.from([0x80, 2, 0x4e, 0x2e])))).toContain(
      "low:model.numpy.object-array",
    );
    expect(await rules(npy("__import__('os')", Buffer.alloc(0)))).toContain("medium:model.numpy.malformed");
  });

  it("reports truncated GGUF metadata", async () => {
    const buf = Buffer.alloc(24 + 8);
    buf.write("GGUF", 0);
    buf.writeUInt32LE(3, 4);
    buf.writeBigUInt64LE(0n, 8);
    buf.writeBigUInt64LE(1n, 16);
    buf.writeBigUInt64LE(1_000_000n, 24); // key length past the end
    expect(await rules(buf)).toContain("medium:model.gguf.invalid");
  });

  it("reports an ONNX field whose declared length does not fit", async () => {
    const buf = Buffer.from([0x08, 0x08, 0x12, 0x02, 0x70, 0x74, 0x3a, 0xff, 0x7f, 0x0a]);
    expect(await rules(buf)).toContain("medium:model.onnx.invalid");
  });

  it("inflates deflated members lazily: a large tensor member costs one block", async () => {
    const dir = tempDir("rampart-zip-lazy-");
    // Pseudo-random floats compress like real weights (a constant tensor would rightly look like a bomb).
    const tensor = Buffer.alloc(4 * 1024 * 1024);
    for (let i = 0, x = 1; i < tensor.length; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      tensor[i] = x >>> 24;
    }
    const comp = deflateRawSync(tensor);
    const name = Buffer.from("archive/data/0");
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(comp.length, 18);
    local.writeUInt32LE(tensor.length, 22);
    local.writeUInt16LE(name.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(8, 10);
    cd.writeUInt32LE(comp.length, 20);
    cd.writeUInt32LE(tensor.length, 24);
    cd.writeUInt16LE(name.length, 28);
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(1, 8);
    eocd.writeUInt16LE(1, 10);
    eocd.writeUInt32LE(46 + name.length, 12);
    eocd.writeUInt32LE(30 + name.length + comp.length, 16);
    const file = join(dir, "m.pt");
    writeFileSync(file, Buffer.concat([local, name, comp, cd, name, eocd]));
    const result = await scanModelPaths([file], { digest: false });
    expect(result.findings.filter((f) => f.severity === "high" || f.severity === "critical")).toEqual([]);
    expect(result.metrics["format.zip"]).toBe(1);
    expect(Number(result.metrics.bytesRead)).toBeLessThan(200 * 1024);
  });
});
