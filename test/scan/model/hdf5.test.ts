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
});
