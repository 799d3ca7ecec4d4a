import { describe, expect, it } from "vitest";
import { adam, type Matrix, Mlp, makeClassification, type Rng, secureRng, seededRng, takeRows, train } from "../../src/ml/index.js";
import { calibrateNoise, clopperPearson, liraAttack, logitConfidence, lossThresholdAttack, trainDpSgd } from "../../src/privacy/dp/index.js";

describe("attack statistics", () => {
  it("Clopper–Pearson bounds equal scipy.stats.beta.ppf (scipy 1.17, computed once)", () => {
    const a = clopperPearson(5, 100);
    expect(a.lower).toBeCloseTo(0.019905563662171832, 10);
    expect(a.upper).toBeCloseTo(0.1022533776432745, 10);
    expect(clopperPearson(0, 100).upper).toBeCloseTo(0.029513049607039925, 10);
    const b = clopperPearson(50, 100);
    expect(b.lower).toBeCloseTo(0.41362171463091174, 10);
    expect(b.upper).toBeCloseTo(0.5863782853690882, 10);
  });

  it("loss threshold: perfectly separated losses give AUC 1, identical ones 0.5", () => {
    const perfect = lossThresholdAttack([0.1, 0.2, 0.3], [1, 2, 3]);
    expect(perfect.auc).toBe(1);
    expect(perfect.tprAt1Fpr).toBe(1);
    expect(perfect.advantage).toBe(1);
    const none = lossThresholdAttack([1, 1, 1, 1], [1, 1, 1, 1]);
    expect(none.auc).toBe(0.5);
    expect(none.tprAt0_1Fpr).toBe(0);
  });

  it("logit confidence is log(p/(1-p)) of p = exp(-loss)", () => {
    for (const p of [0.01, 0.3, 0.5, 0.9, 0.999]) expect(logitConfidence(-Math.log(p))).toBeCloseTo(Math.log(p / (1 - p)), 9);
  });
});

// An over-parameterised MLP on noisy labels memorises its training set: the setting where
// membership inference works, and where DP-SGD should stop it.
const SPEC = { inputs: 20, hidden: [48], outputs: 1 };
function data(): { Xm: Matrix; ym: Int32Array; Xn: Matrix; yn: Int32Array; X: Matrix; y: Int32Array } {
  const { X, y } = makeClassification({ rows: 800, features: 20, classes: 2, informative: 5, separation: 0.8, labelNoise: 0.2 }, seededRng(11));
  const m = Array.from({ length: 400 }, (_, i) => i);
  const n = Array.from({ length: 400 }, (_, i) => i + 400);
  return { X, y, Xm: takeRows(X, m), ym: Int32Array.from(m, (i) => y[i]!), Xn: takeRows(X, n), yn: Int32Array.from(n, (i) => y[i]!) };
}
const trainPlain = (X: Matrix, y: Int32Array, rng: Rng, epochs = 120) => {
  const model = new Mlp(SPEC).initialize(rng.uniform);
  train(model, X, y, { epochs, batchSize: 32, optimizer: adam({ lr: 0.005 }), rng });
  return model;
};

describe("membership inference vs DP-SGD", () => {
  it("the loss attack succeeds on a non-private model and falls toward 0.5 as epsilon shrinks", () => {
    const { Xm, ym, Xn, yn } = data();
    const plain = trainPlain(Xm, ym, seededRng(5));
    const base = lossThresholdAttack(plain.losses(Xm, ym), plain.losses(Xn, yn), 1e-5);
    expect(base.auc).toBeGreaterThan(0.63);
    expect(base.epsilonLowerBound).toBeGreaterThan(1);
    const aucs: number[] = [];
    for (const eps of [4, 0.5]) {
      const q = 40 / 400;
      const steps = 200;
      const { noiseMultiplier } = calibrateNoise({ targetEpsilon: eps, delta: 1e-5, sampleRate: q, steps });
      const model = new Mlp(SPEC).initialize(seededRng(5).uniform);
      trainDpSgd(model, Xm, ym, { sampleRate: q, steps, noiseMultiplier, maxGradNorm: 1, optimizer: adam({ lr: 0.005 }), rng: secureRng() });
      const r = lossThresholdAttack(model.losses(Xm, ym), model.losses(Xn, yn), 1e-5);
      // The audit can never prove more leakage than the accountant allows.
      expect(r.epsilonLowerBound).toBeLessThanOrEqual(eps);
      aucs.push(r.auc);
    }
    expect(aucs[0]!).toBeLessThan(base.auc - 0.07);
    expect(aucs[1]!).toBeLessThan(0.58);
  });

  it("LiRA with shadow models beats the loss threshold at low FPR on the non-private model", () => {
    const { X, y } = data();
    const isMember = Array.from({ length: 800 }, (_, i) => i < 400);
    const target = trainPlain(
      takeRows(
        X,
        Array.from({ length: 400 }, (_, i) => i),
      ),
      y.slice(0, 400),
      seededRng(5),
    );
    const lira = liraAttack({ target, X, y, isMember, shadowModels: 4, rng: seededRng(9), trainShadow: (Xs, ys, rng) => trainPlain(Xs, ys, rng, 40), delta: 1e-5 });
    const loss = lossThresholdAttack(
      target.losses(
        takeRows(
          X,
          Array.from({ length: 400 }, (_, i) => i),
        ),
        y.slice(0, 400),
      ),
      target.losses(
        takeRows(
          X,
          Array.from({ length: 400 }, (_, i) => i + 400),
        ),
        y.slice(400),
      ),
    );
    expect(lira.auc).toBeGreaterThan(0.6);
    expect(lira.tprAt1Fpr).toBeGreaterThan(loss.tprAt1Fpr);
    expect(lira.members).toBe(400);
  });
});
