import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { checkResultOf, loadPublicKey, verifyStatement } from "../../src/attest/index.js";
import { makeClassification, matrix, runOnnx, seededRng, toCsv } from "../../src/ml/index.js";
import { runInProcess } from "../helpers/cli.js";
import { tempDir } from "../helpers/db.js";

const run = runInProcess;

describe("rampart privacy", () => {
  afterEach(() => vi.restoreAllMocks());

  it("epsilon prints each accountant; json agrees with the library", async () => {
    const r = await run("privacy", "epsilon", "--sample-rate", "0.1", "--noise-multiplier", "1.5", "--steps", "100", "--delta", "1e-5", "--format", "json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { results: Array<{ accountant: string; epsilon: number }> };
    const rdp = j.results.find((x) => x.accountant === "rdp")!.epsilon;
    const prv = j.results.find((x) => x.accountant === "prv")!.epsilon;
    expect(prv).toBeCloseTo(3.5461015375719005, 3); // test/fixtures/privacy/prv_reference.json
    expect(prv).toBeLessThan(rdp);
    const t = await run("privacy", "epsilon", "--sample-rate", "0.04", "--noise-multiplier", "1.5", "--steps", "2250", "--delta", "1e-5", "--accountant", "rdp");
    expect(t.out).toMatch(/rdp\s+7\.3291/);
    expect(t.out).not.toMatch(/prv/);
  });

  it("bad flags exit 2 with one line naming the flag", async () => {
    const r = await run("privacy", "epsilon", "--sample-rate", "1.5", "--noise-multiplier", "1", "--steps", "10", "--delta", "1e-5");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--sample-rate/);
    const c = await run("privacy", "calibrate", "--target-epsilon", "3", "--delta", "1e-5", "--sample-rate", "0.01");
    expect(c.code).toBe(2);
    expect(c.err).toMatch(/--steps and --epochs/);
  });

  it("calibrate finds sigma whose epsilon meets the target", async () => {
    const r = await run("privacy", "calibrate", "--target-epsilon", "2", "--delta", "1e-5", "--sample-rate", "0.01", "--epochs", "10", "--format", "json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { noiseMultiplier: number; epsilon: number; steps: number };
    expect(j.steps).toBe(1000);
    expect(j.epsilon).toBeLessThanOrEqual(2);
    expect(j.epsilon).toBeGreaterThan(1.99);
  });
});

describe("rampart train", () => {
  let dir: string;
  beforeAll(async () => {
    dir = tempDir("rampart-train-");
    const { X, y } = makeClassification({ rows: 1500, features: 6, classes: 2, informative: 4, separation: 0.8 }, seededRng(4));
    writeFileSync(join(dir, "data.csv"), toCsv(X, y, ["a", "b", "c", "d", "e", "f"], "target"));
    writeFileSync(join(dir, "bad.csv"), "a,b,target\n1,2,0\n3,oops,1\n");
    expect((await run("keys", "generate", "--out", join(dir, "k"))).code).toBe(0);
  });

  it("trains with DP, writes ONNX that onnxruntime runs, signs the parameters, and charges the budget", async () => {
    const db = join(dir, "store.db");
    const data = join(dir, "data.csv");
    expect((await run("privacy", "budget", "set", data, "--epsilon", "4", "--delta", "1e-4", "--database-url", db)).code).toBe(0);
    const model = join(dir, "m.onnx");
    const r = await run(
      "train",
      "--dp",
      "--target-epsilon",
      "3",
      "--delta",
      "1e-5",
      "--label",
      "target",
      data,
      "-o",
      model,
      "--key",
      join(dir, "k.key"),
      "--database-url",
      db,
      "--epochs",
      "5",
    );
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const st = verifyStatement(JSON.parse(readFileSync(`${model}.intoto.json`, "utf8")), [await loadPublicKey(join(dir, "k.pub"))]);
    const result = checkResultOf(st.statement)!;
    expect(result.check).toBe("train-dp");
    const m = result.metrics as Record<string, number | string>;
    expect(m.epsilon).toBeLessThanOrEqual(3);
    expect(m.epsilon).toBeGreaterThan(2.9);
    expect(m.delta).toBe(1e-5);
    expect(String(m.accountant)).toMatch(/^rdp/);
    for (const k of ["noiseMultiplier", "sampleRate", "steps", "maxGradNorm", "epochs", "batchSize", "lr", "epsilonPrv"]) expect(m[k], k).toBeTypeOf("number");
    expect(st.statement.subject.map((s) => s.name)).toEqual(["m.onnx", "data.csv"]);
    expect(m.holdoutAccuracy).toBeGreaterThan(0.7);
    // The model runs in onnxruntime on raw features.
    const out = await runOnnx(readFileSync(model), matrix(2, 6, [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]));
    expect(out.probabilities.cols).toBe(2);
    // A second run would exceed the budget of 4: refused, nothing written.
    const again = await run(
      "train",
      "--dp",
      "--target-epsilon",
      "3",
      "--delta",
      "1e-5",
      "--label",
      "target",
      data,
      "-o",
      join(dir, "m2.onnx"),
      "--key",
      join(dir, "k.key"),
      "--database-url",
      db,
    );
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/privacy budget exceeded/);
    expect(() => readFileSync(join(dir, "m2.onnx"))).toThrow();
    const show = await run("privacy", "budget", "show", data, "--database-url", db, "--format", "json");
    expect(JSON.parse(show.out).spends).toHaveLength(1);
  });

  it("names the file, line and column of a non-numeric cell", async () => {
    const r = await run("train", "--label", "target", join(dir, "bad.csv"), "-o", join(dir, "x.onnx"), "--key", join(dir, "k.key"), "--database-url", join(dir, "s2.db"));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad\.csv:3: column "b": "oops" is not a number/);
    const nolabel = await run("train", "--label", "nope", join(dir, "data.csv"), "-o", join(dir, "x.onnx"), "--key", join(dir, "k.key"), "--database-url", join(dir, "s2.db"));
    expect(nolabel.err).toMatch(/no column "nope"/);
  });
});

describe("rampart privacy stats", () => {
  it("releases a DP mean near the truth and refuses once the budget is spent", async () => {
    const dir = tempDir("rampart-stats-");
    const data = join(dir, "ages.csv");
    writeFileSync(data, `age\n${Array.from({ length: 4000 }, (_, i) => 20 + (i % 41)).join("\n")}\n`);
    const db = join(dir, "s.db");
    expect((await run("privacy", "budget", "set", data, "--epsilon", "1.5", "--delta", "0", "--database-url", db)).code).toBe(0);
    const r = await run(
      "privacy",
      "stats",
      data,
      "--column",
      "age",
      "--stat",
      "mean",
      "--lower",
      "0",
      "--upper",
      "100",
      "--epsilon",
      "1",
      "--database-url",
      db,
      "--format",
      "json",
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { value: number; epsilon: number };
    expect(Math.abs(j.value - 40)).toBeLessThan(1);
    const again = await run("privacy", "stats", data, "--column", "age", "--stat", "count", "--epsilon", "1", "--database-url", db);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/budget exceeded/);
    const nob = await run("privacy", "stats", data, "--column", "age", "--stat", "sum", "--epsilon", "0.1", "--database-url", db);
    expect(nob.err).toMatch(/--lower and --upper/);
  });
});
