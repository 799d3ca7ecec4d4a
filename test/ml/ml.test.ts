import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isRampartError } from "../../src/core/index.js";
import {
  accuracy,
  adam,
  auc,
  exportOnnx,
  logLoss,
  Mlp,
  makeClassification,
  matrix,
  onnxMetadata,
  rocCurve,
  runOnnx,
  secureRng,
  seededRng,
  sgd,
  tprAtFpr,
  train,
} from "../../src/ml/index.js";

function numericGradient(model: Mlp, x: Float64Array, y: number): Float64Array {
  const g = new Float64Array(model.size);
  const h = 1e-6;
  for (let k = 0; k < model.size; k++) {
    const v = model.params[k]!;
    model.params[k] = v + h;
    const up = model.loss(x, y);
    model.params[k] = v - h;
    const down = model.loss(x, y);
    model.params[k] = v;
    g[k] = (up - down) / (2 * h);
  }
  return g;
}

describe("per-example gradients", () => {
  it.each([
    ["logistic regression", { inputs: 5, hidden: [], outputs: 1 }],
    ["softmax regression", { inputs: 4, hidden: [], outputs: 3 }],
    ["MLP relu", { inputs: 4, hidden: [6, 5], outputs: 3, activation: "relu" as const }],
    ["MLP tanh binary", { inputs: 3, hidden: [7], outputs: 1, activation: "tanh" as const }],
  ])("%s matches central finite differences", (_, spec) => {
    const rng = seededRng(7);
    const model = new Mlp(spec).initialize(rng.uniform);
    // Random biases too: with zero biases a dead ReLU layer sits exactly on the kink at 0.
    for (let k = 0; k < model.size; k++) model.params[k] = rng.normal() * 0.7;
    for (let t = 0; t < 5; t++) {
      const x = Float64Array.from({ length: spec.inputs }, () => rng.normal());
      const y = Math.floor(rng.uniform() * Math.max(2, spec.outputs));
      const g = new Float64Array(model.size);
      const loss = model.gradient(x, y, g);
      expect(loss).toBeCloseTo(model.loss(x, y), 12);
      const num = numericGradient(model, x, y);
      for (let k = 0; k < model.size; k++) expect(Math.abs(g[k]! - num[k]!)).toBeLessThan(1e-6);
    }
  });
});

describe("training", () => {
  it("logistic regression with SGD and an MLP with Adam learn a separable problem", () => {
    const rng = seededRng(1);
    const { X, y } = makeClassification({ rows: 600, features: 6, classes: 2, separation: 1.5 }, rng);
    const lr = new Mlp({ inputs: 6, hidden: [], outputs: 1 }).initialize(rng.uniform);
    train(lr, X, y, { epochs: 20, batchSize: 32, optimizer: sgd({ lr: 0.2, momentum: 0.9 }), rng });
    expect(accuracy(lr.predict(X), y)).toBeGreaterThan(0.85);
    const { X: X3, y: y3 } = makeClassification({ rows: 600, features: 6, classes: 3, separation: 1.5 }, rng);
    const mlp = new Mlp({ inputs: 6, hidden: [16], outputs: 3 }).initialize(rng.uniform);
    const before = logLoss(Array.from({ length: 600 }, (_, i) => mlp.predictProba(X3).data[i * 3 + y3[i]!]!));
    train(mlp, X3, y3, { epochs: 30, batchSize: 32, optimizer: adam({ lr: 0.01 }), rng });
    const P = mlp.predictProba(X3);
    const after = logLoss(Array.from({ length: 600 }, (_, i) => P.data[i * 3 + y3[i]!]!));
    expect(after).toBeLessThan(before / 2);
    expect(accuracy(mlp.predict(X3), y3)).toBeGreaterThan(0.8);
  });
});

describe("metrics", () => {
  it("AUC equals the Mann–Whitney statistic with ties counted half (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 8 }), fc.boolean()), { minLength: 2, maxLength: 60 }), (pts) => {
        const pos = pts.filter((p) => p[1]).map((p) => p[0]);
        const neg = pts.filter((p) => !p[1]).map((p) => p[0]);
        if (pos.length === 0 || neg.length === 0) return;
        let u = 0;
        for (const a of pos) for (const b of neg) u += a > b ? 1 : a === b ? 0.5 : 0;
        const got = auc(
          pts.map((p) => p[0]),
          pts.map((p) => (p[1] ? 1 : 0)),
        );
        expect(got).toBeCloseTo(u / (pos.length * neg.length), 12);
      }),
    );
  });

  it("TPR at low FPR reads the ROC without interpolation", () => {
    const roc = rocCurve([0.9, 0.8, 0.7, 0.6, 0.5, 0.4], [1, 1, 0, 1, 0, 0]);
    expect(tprAtFpr(roc, 0)).toBeCloseTo(2 / 3, 12);
    expect(tprAtFpr(roc, 0.34)).toBe(1);
    expect(auc([0.9, 0.8, 0.7, 0.6, 0.5, 0.4], [1, 1, 0, 1, 0, 0])).toBeCloseTo(8 / 9, 12);
  });
});

describe("randomness", () => {
  it("the secure Gaussian has mean 0 and variance 1", () => {
    const rng = secureRng();
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.015);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.02);
  });
});

describe("ONNX export", () => {
  it.each([
    ["logistic", { inputs: 5, hidden: [], outputs: 1 }],
    ["softmax", { inputs: 5, hidden: [], outputs: 4 }],
    ["mlp relu", { inputs: 5, hidden: [8, 6], outputs: 3 }],
    ["mlp tanh", { inputs: 5, hidden: [8], outputs: 1, activation: "tanh" as const }],
  ])("%s: onnxruntime gives the same predictions as Rampart", async (_, spec) => {
    const rng = seededRng(3);
    const model = new Mlp(spec).initialize(rng.uniform);
    const X = matrix(
      200,
      5,
      Float64Array.from({ length: 1000 }, () => rng.normal() * 3 + 1),
    );
    const mean = Float64Array.from({ length: 5 }, () => 1);
    const std = Float64Array.from({ length: 5 }, () => 3);
    const bytes = exportOnnx(model, { mean, std, metadata: { purpose: "test" } });
    const std_X = matrix(
      200,
      5,
      X.data.map((v, i) => (v - mean[i % 5]!) / std[i % 5]!),
    );
    const ours = model.predictProba(std_X);
    const theirs = await runOnnx(bytes, X);
    expect(theirs.probabilities.cols).toBe(ours.cols);
    for (let i = 0; i < ours.data.length; i++) expect(Math.abs(theirs.probabilities.data[i]! - ours.data[i]!)).toBeLessThan(1e-5);
    expect(Array.from(theirs.labels)).toEqual(Array.from(model.predict(std_X)));
  });

  it("reading metadata of arbitrary bytes returns or throws a RampartError, nothing else (fuzz)", () => {
    const model = exportOnnx(new Mlp({ inputs: 2, hidden: [], outputs: 1 }), { metadata: { k: "v" } });
    expect(onnxMetadata(model)).toEqual({ k: "v" });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }),
          fc.integer({ min: 0, max: model.length - 1 }).map((cut) => model.subarray(0, cut)),
        ),
        (bytes) => {
          try {
            onnxMetadata(bytes, "fuzz.onnx");
          } catch (e) {
            expect(isRampartError(e, "invalid-input")).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a corrupt model is an input error, not a crash", async () => {
    await expect(runOnnx(new Uint8Array([1, 2, 3, 4]), matrix(1, 1, [0]), "bad.onnx")).rejects.toThrow(/bad.onnx/);
  });
});
