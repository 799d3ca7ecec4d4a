import { accuracy, adam, Mlp, makeClassification, secureRng, seededRng, sgd, takeRows, train } from "../src/ml/index.js";
import { calibrateNoise, lossThresholdAttack, prvEpsilon, rdpEpsilon, trainDpSgd } from "../src/privacy/dp/index.js";
import { table, time } from "./util.js";

/**
 * DP-SGD throughput against non-private training of the same model, accountant cost for 10,000
 * steps, and the utility/leakage trade-off on the example problem.
 */
export default async function bench(): Promise<void> {
  // 1. Throughput: examples whose gradient is computed per second.
  const rows: Array<Array<string | number>> = [];
  for (const [name, spec] of [
    ["logistic (20 features, 21 params)", { inputs: 20, hidden: [], outputs: 1 }],
    ["MLP 20-64-1 (1409 params)", { inputs: 20, hidden: [64], outputs: 1 }],
    ["MLP 20-128-64-3 (11171 params)", { inputs: 20, hidden: [128, 64], outputs: 3 }],
  ] as const) {
    const { X, y } = makeClassification({ rows: 4000, features: 20, classes: spec.outputs === 1 ? 2 : 3 }, seededRng(1));
    const model = new Mlp(spec).initialize(seededRng(2).uniform);
    const plainMs = await time(() => train(model, X, y, { epochs: 1, batchSize: 64, optimizer: sgd({ lr: 0.01 }), rng: seededRng(3) }), 3);
    const q = 64 / 4000;
    const steps = Math.round(1 / q);
    let seen = 0;
    const dpMs = await time(() => {
      const r = trainDpSgd(model, X, y, { sampleRate: q, steps, noiseMultiplier: 1, maxGradNorm: 1, optimizer: sgd({ lr: 0.01 }), rng: secureRng() });
      seen = r.meanBatchSize * r.steps;
    }, 3);
    const plainRate = (4000 / plainMs) * 1000;
    const dpRate = (seen / dpMs) * 1000;
    rows.push([name, Math.round(plainRate), Math.round(dpRate), dpRate / plainRate]);
  }
  console.log("DP-SGD vs non-private, one epoch of 4000 rows, batch 64 (DP: Poisson q = 0.016, clip 1, sigma 1)\n");
  table(["model", "non-private examples/s", "DP-SGD examples/s", "DP / non-private"], rows);

  // 2. Accountants for 10,000 steps.
  const acc: Array<Array<string | number>> = [];
  for (const [q, sigma] of [
    [0.01, 1.0],
    [0.004, 1.1],
    [0.05, 2.0],
  ] as const) {
    const phases = [{ sampleRate: q, noiseMultiplier: sigma, steps: 10_000 }];
    let rdp = 0;
    let prv = 0;
    const rdpMs = await time(() => {
      rdp = rdpEpsilon(phases, 1e-5).epsilon;
    }, 3);
    const prvMs = await time(() => {
      prv = prvEpsilon(phases, 1e-5).epsilon;
    }, 3);
    acc.push([`q=${q}, sigma=${sigma}`, rdp, rdpMs, prv, prvMs]);
  }
  console.log("\nAccountants, 10,000 steps, delta 1e-5 (best of 3)\n");
  table(["configuration", "RDP epsilon", "RDP ms", "PRV epsilon", "PRV ms"], acc);

  // 3. Utility and leakage vs epsilon on the example problem (holdout accuracy; loss-attack AUC).
  const { X, y } = makeClassification({ rows: 10000, features: 20, classes: 2, informative: 8, separation: 0.6, labelNoise: 0.05 }, seededRng(42));
  const tr = Array.from({ length: 8000 }, (_, i) => i);
  const ho = Array.from({ length: 2000 }, (_, i) => i + 8000);
  const Xtr = takeRows(X, tr);
  const ytr = Int32Array.from(tr, (i) => y[i]!);
  const Xho = takeRows(X, ho);
  const yho = Int32Array.from(ho, (i) => y[i]!);
  const util: Array<Array<string | number>> = [];
  const spec = { inputs: 20, hidden: [32], outputs: 1 };
  const plain = new Mlp(spec).initialize(seededRng(7).uniform);
  train(plain, Xtr, ytr, { epochs: 10, batchSize: 64, optimizer: adam({ lr: 0.002 }), rng: seededRng(8) });
  const audit = (m: Mlp) => lossThresholdAttack(m.losses(Xtr, ytr).subarray(0, 2000), m.losses(Xho, yho));
  util.push(["non-private", "-", accuracy(plain.predict(Xho), yho), audit(plain).auc]);
  for (const eps of [8, 3, 1, 0.5]) {
    const q = 256 / 8000;
    const steps = Math.round(10 / q);
    const { noiseMultiplier } = calibrateNoise({ targetEpsilon: eps, delta: 1e-5, sampleRate: q, steps });
    const m = new Mlp(spec).initialize(seededRng(7).uniform);
    trainDpSgd(m, Xtr, ytr, { sampleRate: q, steps, noiseMultiplier, maxGradNorm: 1, optimizer: adam({ lr: 0.002 }), rng: secureRng() });
    util.push([`DP-SGD epsilon ${eps}`, noiseMultiplier, accuracy(m.predict(Xho), yho), audit(m).auc]);
  }
  console.log("\nUtility: MLP 20-32-1, 8000 training rows, 10 epochs, delta 1e-5 (DP: batch 256 Poisson, clip 1, Adam 0.002)\n");
  table(["training", "noise multiplier", "holdout accuracy", "loss-attack AUC"], util);

  // 4. Leakage where it exists: an over-parameterised MLP memorising 400 noisy-label rows.
  const small = makeClassification({ rows: 800, features: 20, classes: 2, informative: 5, separation: 0.8, labelNoise: 0.2 }, seededRng(11));
  const mIdx = Array.from({ length: 400 }, (_, i) => i);
  const nIdx = Array.from({ length: 400 }, (_, i) => i + 400);
  const Xm = takeRows(small.X, mIdx);
  const ym = Int32Array.from(mIdx, (i) => small.y[i]!);
  const Xn = takeRows(small.X, nIdx);
  const yn = Int32Array.from(nIdx, (i) => small.y[i]!);
  const ospec = { inputs: 20, hidden: [48], outputs: 1 };
  const leak: Array<Array<string | number>> = [];
  const over = new Mlp(ospec).initialize(seededRng(5).uniform);
  train(over, Xm, ym, { epochs: 120, batchSize: 32, optimizer: adam({ lr: 0.005 }), rng: seededRng(5) });
  const row = (label: string, m: Mlp) => {
    const a = lossThresholdAttack(m.losses(Xm, ym), m.losses(Xn, yn), 1e-5);
    leak.push([label, accuracy(m.predict(Xm), ym), accuracy(m.predict(Xn), yn), a.auc, a.tprAt1Fpr, a.advantage, a.epsilonLowerBound]);
  };
  row("non-private (120 epochs)", over);
  for (const eps of [8, 3, 1, 0.5]) {
    const q = 40 / 400;
    const steps = 300;
    const { noiseMultiplier } = calibrateNoise({ targetEpsilon: eps, delta: 1e-5, sampleRate: q, steps });
    const m = new Mlp(ospec).initialize(seededRng(5).uniform);
    trainDpSgd(m, Xm, ym, { sampleRate: q, steps, noiseMultiplier, maxGradNorm: 1, optimizer: adam({ lr: 0.005 }), rng: secureRng() });
    row(`DP-SGD epsilon ${eps} (sigma ${noiseMultiplier.toFixed(3)})`, m);
  }
  console.log("\nMembership inference (loss threshold) on an overfitting MLP 20-48-1, 400 members / 400 non-members, 20% label noise\n");
  table(["training", "train acc", "holdout acc", "attack AUC", "TPR@1%FPR", "advantage", "audit eps lower bound (95%)"], leak);
}
