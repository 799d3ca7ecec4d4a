import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import h5wasm from "h5wasm/node";
import { beforeAll, describe, expect, it } from "vitest";
import { scanModelPaths } from "../../../src/scan/model/index.js";
import { tempDir } from "../../helpers/db.js";

// Real HDF5 files written by the HDF5 library (h5wasm, a dev dependency used only to make fixtures),
// laid out the way Keras 2 saves a model: a model_config root attribute, then the weights.
let dir: string;
const dense = (i: number) => ({ class_name: "Dense", config: { name: `dense_${i}`, units: 8, activation: "relu", use_bias: true } });
const lambda = { class_name: "Lambda", config: { name: "lambda", function: ["4wEAAAAAAAAAAAAAAAEAAAAB", null, null], function_type: "lambda" } };

function write(name: string, layers: unknown[] | undefined, weights = 256 * 1024): void {
  const f = new h5wasm.File(join(dir, name), "w");
  if (layers) f.create_attribute("model_config", JSON.stringify({ class_name: "Sequential", config: { name: "seq", layers } }));
  f.create_attribute("keras_version", "2.15.0");
  const g = f.create_group("model_weights");
  g.create_dataset({ name: "kernel", data: new Float32Array(weights) });
  f.close();
}

beforeAll(async () => {
  await h5wasm.ready;
  dir = tempDir("rampart-h5-");
  write("benign.h5", [dense(0), dense(1)]);
  write("lambda.h5", [dense(0), lambda]);
  // > 64 KiB of JSON: HDF5 moves the attribute out of the object header (dense attribute storage).
  write("big_lambda.h5", [...Array.from({ length: 600 }, (_, i) => dense(i)), lambda]);
  write("weights_only.h5", undefined, 4 * 1024 * 1024);
});

describe("Keras HDF5 (.h5) files made by the HDF5 library", () => {
  it("passes a model of plain layers", async () => {
    const r = await scanModelPaths([join(dir, "benign.h5")], { digest: false });
    expect(r.findings).toEqual([]);
    expect(r.metrics["format.hdf5"]).toBe(1);
  });

  it("flags a Lambda layer, also when the config is stored out of the object header", async () => {
    for (const name of ["lambda.h5", "big_lambda.h5"]) {
      const r = await scanModelPaths([join(dir, name)], { digest: false });
      expect(r.findings.map((f) => `${f.severity}:${f.ruleId}`)).toContain("critical:model.keras.lambda");
    }
  });

  it("reads only the first MiB of a weights-only file", async () => {
    const r = await scanModelPaths([join(dir, "weights_only.h5")], { digest: false });
    expect(r.findings).toEqual([]);
    expect(Number(r.metrics.bytesRead)).toBeLessThanOrEqual(1024 * 1024 + 70 * 1024);
  });

  // A pickle run by nothing but a custom loader that slices it out: written past the HDF5 end-of-file address
  // or in a user block, where h5py and Keras never look (session 17).
  const evil = Buffer.from("\x80\x02cposix\nsystem\nq\x00X\x0a\x00\x00\x00echo pwnedq\x01\x85q\x02Rq\x03.", "latin1");

  it("finds a pickle appended after the end-of-file address of a real HDF5 file, and stays silent on zeros", async () => {
    const real = readFileSync(join(dir, "benign.h5"));
    writeFileSync(join(dir, "appended.h5"), Buffer.concat([real, evil]));
    writeFileSync(join(dir, "padded.h5"), Buffer.concat([real, Buffer.alloc(4096)]));
    const hit = await scanModelPaths([join(dir, "appended.h5")], { digest: false });
    expect(hit.findings.map((f) => `${f.severity}:${f.ruleId}`)).toEqual(expect.arrayContaining(["high:model.pickle.embedded", "critical:model.pickle.dangerous-global"]));
    expect(hit.findings.find((f) => f.ruleId === "model.pickle.embedded")!.location?.offset).toBe(real.length);
    const quiet = await scanModelPaths([join(dir, "padded.h5")], { digest: false });
    expect(quiet.findings).toEqual([]);
  });

  it("reads a real HDF5 file moved behind a 512-byte user block: a pickle there is found, text is not reported", async () => {
    const real = readFileSync(join(dir, "benign.h5"));
    // The superblock's base address (version 0/1 at byte 24, 2/3 at byte 12) becomes the user block's size.
    const version = real[8]!;
    const moved = Buffer.from(real);
    moved.writeBigUInt64LE(512n, version <= 1 ? 24 : 12);
    // (Versions 2 and 3 also carry a checksum the library verifies; the scanner does not read it.)
    expect([0, 1, 2, 3]).toContain(version);
    writeFileSync(join(dir, "ub_pickle.h5"), Buffer.concat([evil, Buffer.alloc(512 - evil.length), moved]));
    writeFileSync(join(dir, "ub_text.h5"), Buffer.concat([Buffer.from("Acquired with controller v2; calibration file follows.\n".padEnd(512, " ")), moved]));
    const hit = await scanModelPaths([join(dir, "ub_pickle.h5")], { digest: false });
    expect(hit.findings.map((f) => `${f.severity}:${f.ruleId}`)).toContain("high:model.pickle.embedded");
    expect(hit.metrics["format.hdf5"]).toBe(1);
    const quiet = await scanModelPaths([join(dir, "ub_text.h5")], { digest: false });
    expect(quiet.findings).toEqual([]);
  });
});
