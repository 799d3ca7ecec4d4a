import { describe, expect, it } from "vitest";
import { scanBuffer } from "../../../src/scan/model/index.js";

const rules = async (config: unknown) => (await scanBuffer(Buffer.from(JSON.stringify(config)), "config.json")).findings.map((f) => `${f.severity}:${f.ruleId}`);
const seq = (layers: unknown[], extra: Record<string, unknown> = {}) => ({ class_name: "Sequential", config: { name: "s", layers }, ...extra });
const dense = (units: number, more: Record<string, unknown> = {}) => ({ module: "keras.layers", class_name: "Dense", config: { name: "d", units, ...more } });

describe("Keras configs: code strings, DoS shapes, nesting", () => {
  it("a plain model has no finding", async () => {
    expect(await rules(seq([{ class_name: "InputLayer", config: { batch_shape: [null, 224, 224, 3] } }, dense(1000)]))).toEqual([]);
  });

  it.each([
    ["a custom layer's code", { code: "import os; os.system('id')" }],
    ["a metric's update_state", { update_state: "import subprocess; subprocess.run(['id'])" }],
    ["a callback's source", { on_epoch_end: "lambda e, l: __import__('os').system('id')" }],
  ])("Python source in %s is medium model.keras.code-string (Keras never runs config strings)", async (_n, cfg) => {
    const r = await rules(seq([{ class_name: "Dense", config: { name: "x", units: 2, ...cfg } }]));
    expect(r).toEqual(["medium:model.keras.code-string"]);
  });

  it("prose and layer names that mention code words stay silent", async () => {
    expect(await rules(seq([dense(4, { name: "system_eval_head", description: "see os.system() in the docs; call model.eval() first" })]))).toEqual([]);
  });

  it("reports code strings once per config, with a count", async () => {
    const layers = Array.from({ length: 5 }, (_, i) => ({ class_name: "Dense", config: { name: `l${i}`, units: 2, code: "os.system('id')" } }));
    const f = (await scanBuffer(Buffer.from(JSON.stringify(seq(layers))), "config.json")).findings;
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain("and 4 more");
  });

  it("a declared shape or size of billions of elements is medium model.keras.dos-shape", async () => {
    expect(await rules(seq([dense(1_099_511_627_776)]))).toEqual(["medium:model.keras.dos-shape"]);
    expect(await rules(seq([{ class_name: "InputLayer", config: { batch_input_shape: [null, 65536, 65536] } }]))).toEqual(["medium:model.keras.dos-shape"]);
    expect(await rules(seq([{ class_name: "InputLayer", config: { batch_input_shape: [null, 4096, 4096, 3] } }]))).toEqual([]);
  });

  it("nesting past 64 levels is medium model.keras.deep-nesting", async () => {
    let node: unknown = dense(2);
    for (let i = 0; i < 200; i++) node = { class_name: "Model", config: { layers: [node] } };
    expect(await rules(node)).toEqual(["medium:model.keras.deep-nesting"]);
    let shallow: unknown = dense(2);
    for (let i = 0; i < 10; i++) shallow = { class_name: "Model", config: { layers: [shallow] } };
    expect(await rules(shallow)).toEqual([]);
  });
});
