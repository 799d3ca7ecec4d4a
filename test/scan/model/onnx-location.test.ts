import { describe, expect, it } from "vitest";
import { scanBuffer } from "../../../src/scan/model/index.js";

const varint = (n: number) => {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
};
const bytes = (field: number, body: Buffer) => Buffer.concat([varint((field << 3) | 2), varint(body.length), body]);
const str = (field: number, s: string) => bytes(field, Buffer.from(s));
const num = (field: number, n: number) => Buffer.concat([varint(field << 3), varint(n)]);

/** A ModelProto whose one initializer keeps its 16 bytes in an external file at `location`. */
function model(location: string): Buffer {
  const entry = (k: string, v: string) => bytes(13, Buffer.concat([str(1, k), str(2, v)]));
  const tensor = Buffer.concat([num(1, 2), num(1, 2), num(2, 1), str(8, "W"), entry("location", location), entry("offset", "0"), entry("length", "16"), num(14, 1)]);
  return Buffer.concat([num(1, 9), str(2, "test"), bytes(7, Buffer.concat([bytes(5, tensor), str(2, "g")]))]);
}
const high = async (loc: string) => (await scanBuffer(model(loc), "m.onnx")).findings.filter((f) => f.ruleId === "model.onnx.external-data-path").map((f) => f.severity);

describe("ONNX external-data locations", () => {
  it.each(["../secrets.bin", "weights/../../escape.bin", "/etc/passwd", "C:\\\\w.bin", "a/b/../../../c.bin"])("%s leaves the model folder: high", async (loc) => {
    expect(await high(loc)).toEqual(["high"]);
  });
  it.each(["weights.bin", "./weights.bin", "shards/w-00001.bin", "a/../b.bin", "a/b/../../c.bin"])("%s resolves inside the folder: no finding", async (loc) => {
    expect(await high(loc)).toEqual([]);
  });
});
