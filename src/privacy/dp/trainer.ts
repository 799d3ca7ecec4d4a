import { RampartError } from "../../core/index.js";
import { accuracy, adam, type CsvDataset, columnStats, exportOnnx, Mlp, type Optimizer, permutation, type Rng, secureRng, sgd, takeRows, train } from "../../ml/index.js";
import { lossThresholdAttack } from "./audit.js";
import { type AccountantName, calibrateNoise } from "./calibrate.js";
import { trainDpSgd } from "./dpsgd.js";
import { prvEpsilon } from "./prv.js";
import { rdpEpsilon } from "./rdp.js";

export interface TrainConfig {
  dp: boolean;
  /** DP: calibrate the noise to this epsilon (else `noiseMultiplier` must be given). */
  targetEpsilon?: number;
  noiseMultiplier?: number;
  delta: number;
  accountant: AccountantName;
  maxGradNorm: number;
  epochs: number;
  batchSize: number;
  lr: number;
  optimizer: "sgd" | "adam";
  hidden: number[];
  activation: "relu" | "tanh";
  /** Fraction of rows held out for evaluation and the membership audit (never trained on). */
  holdout: number;
  /**
   * Public range [lo, hi] of every feature: scales features to about [-1, 1] without looking at the
   * data (so it costs no privacy). Used by DP runs, which must not standardise from the data.
   */
  featureRange?: [number, number];
}

export interface TrainOutcome {
  model: Mlp;
  onnx: Uint8Array;
  /** Every parameter and result, for the attestation. */
  metrics: Record<string, unknown>;
  /** Epsilon charged by the gate accountant (0 when not DP... never: non-DP is Infinity). */
  epsilon: number;
}

export interface DpPlan {
  sampleRate: number;
  steps: number;
  noiseMultiplier: number;
  /** Epsilon by the configured accountant (the one charged to the budget). */
  epsilon: number;
  epsilonRdp: number;
  rdpOrder: number;
  epsilonPrv: number;
}

/** Rows the trainer will train on, given the holdout fraction. */
export function trainingRows(rows: number, holdout: number): number {
  return rows - Math.floor(rows * holdout);
}

/**
 * The DP-SGD schedule and its epsilon, fixed before any data is touched so the budget can be charged
 * first: q = batch / rows, steps = epochs / q (Opacus' convention), sigma calibrated to the target.
 */
export function planDp(nTrain: number, cfg: TrainConfig): DpPlan {
  const q = cfg.batchSize / nTrain;
  const steps = Math.max(1, Math.round((cfg.epochs * nTrain) / cfg.batchSize));
  let sigma = cfg.noiseMultiplier;
  if (cfg.targetEpsilon !== undefined)
    sigma = calibrateNoise({ targetEpsilon: cfg.targetEpsilon, delta: cfg.delta, sampleRate: q, steps, accountant: cfg.accountant }).noiseMultiplier;
  if (sigma === undefined) throw new RampartError("usage", "--dp needs --target-epsilon or --noise-multiplier");
  const phases = [{ sampleRate: q, noiseMultiplier: sigma, steps }];
  const rdp = rdpEpsilon(phases, cfg.delta);
  const prv = prvEpsilon(phases, cfg.delta);
  return {
    sampleRate: q,
    steps,
    noiseMultiplier: sigma,
    epsilon: cfg.accountant === "prv" ? prv.epsilon : rdp.epsilon,
    epsilonRdp: rdp.epsilon,
    rdpOrder: rdp.order,
    epsilonPrv: prv.epsilon,
  };
}

export const DEFAULT_TRAIN: TrainConfig = {
  dp: false,
  delta: 1e-5,
  accountant: "rdp",
  maxGradNorm: 1,
  epochs: 10,
  batchSize: 64,
  lr: 0.05,
  optimizer: "sgd",
  hidden: [],
  activation: "relu",
  holdout: 0.2,
};

/**
 * Trains a classifier on a loaded CSV dataset, privately (DP-SGD with an accountant-calibrated noise
 * multiplier) or not, evaluates it on a held-out split, runs a loss-threshold membership audit and
 * exports ONNX. Non-private runs standardise features from the data; DP runs do not (that statistic
 * would leak outside the accountant's guarantee) and scale by a public `featureRange` when given.
 */
export function trainClassifier(ds: CsvDataset, cfg: TrainConfig, rng: Rng = secureRng(), plan?: DpPlan): TrainOutcome {
  const n = ds.X.rows;
  const nHold = Math.floor(n * cfg.holdout);
  const nTrain = trainingRows(n, cfg.holdout);
  if (nTrain < 2) throw new RampartError("invalid-input", `too few rows to train (${n}, holdout ${cfg.holdout})`);
  if (!(cfg.batchSize >= 1 && cfg.batchSize <= nTrain)) throw new RampartError("usage", `--batch-size must be between 1 and the ${nTrain} training rows`);
  const perm = permutation(n, rng);
  const trainIdx = perm.subarray(0, nTrain);
  const holdIdx = perm.subarray(nTrain);
  let Xtr = takeRows(ds.X, trainIdx);
  const ytr = Int32Array.from(trainIdx, (i) => ds.y[i]!);
  let Xho = takeRows(ds.X, holdIdx);
  const yho = Int32Array.from(holdIdx, (i) => ds.y[i]!);
  let scaling: { mean: Float64Array; std: Float64Array } | undefined;
  if (cfg.featureRange) {
    const [lo, hi] = cfg.featureRange;
    if (!(lo < hi)) throw new RampartError("usage", `feature range must have lo < hi, got ${lo}:${hi}`);
    scaling = { mean: new Float64Array(ds.X.cols).fill((lo + hi) / 2), std: new Float64Array(ds.X.cols).fill((hi - lo) / 2) };
  } else if (!cfg.dp) scaling = columnStats(Xtr);
  if (scaling) {
    const s = scaling;
    const standardise = (m: typeof Xtr) => ({ ...m, data: m.data.map((v, k) => (v - s.mean[k % m.cols]!) / s.std[k % m.cols]!) });
    Xtr = standardise(Xtr);
    Xho = standardise(Xho);
  }
  const classes = ds.classes.length;
  const model = new Mlp({ inputs: ds.X.cols, hidden: cfg.hidden, outputs: classes === 2 ? 1 : classes, activation: cfg.activation }).initialize(rng.uniform);
  const optimizer: Optimizer = cfg.optimizer === "adam" ? adam({ lr: cfg.lr }) : sgd({ lr: cfg.lr, momentum: 0.9 });
  const metrics: Record<string, unknown> = {
    rows: n,
    trainRows: nTrain,
    holdoutRows: nHold,
    features: ds.features.length,
    classes,
    model: cfg.hidden.length ? `mlp(${cfg.hidden.join("x")},${cfg.activation})` : classes === 2 ? "logistic-regression" : "softmax-regression",
    parameters: model.size,
    ...optimizer.config(),
    epochs: cfg.epochs,
    batchSize: cfg.batchSize,
    dp: cfg.dp,
  };
  const t0 = performance.now();
  let epsilon = Number.POSITIVE_INFINITY;
  if (cfg.dp) {
    const p = plan ?? planDp(nTrain, cfg);
    if (Math.abs(p.sampleRate - cfg.batchSize / nTrain) > 1e-12) throw new RampartError("usage", "DP plan was made for a different number of training rows");
    const report = trainDpSgd(model, Xtr, ytr, { sampleRate: p.sampleRate, steps: p.steps, noiseMultiplier: p.noiseMultiplier, maxGradNorm: cfg.maxGradNorm, optimizer, rng });
    epsilon = p.epsilon;
    const q = p.sampleRate;
    const steps = p.steps;
    const sigma = p.noiseMultiplier;
    const rdp = { epsilon: p.epsilonRdp, order: p.rdpOrder };
    const prv = { epsilon: p.epsilonPrv };
    Object.assign(metrics, {
      epsilon,
      delta: cfg.delta,
      accountant: cfg.accountant === "prv" ? "prv (Gopi et al. 2021, eps_error 0.01, upper bound)" : "rdp (Mironov et al. 2019, Opacus orders, Balle et al. 2020 conversion)",
      epsilonRdp: rdp.epsilon,
      rdpOrder: rdp.order,
      epsilonPrv: prv.epsilon,
      targetEpsilon: cfg.targetEpsilon ?? null,
      noiseMultiplier: sigma,
      maxGradNorm: cfg.maxGradNorm,
      sampleRate: q,
      steps,
      sampling: "poisson",
      noise: "gaussian, node:crypto CSPRNG (Box-Muller)",
      meanBatchSize: report.meanBatchSize,
      clippedFraction: report.clippedFraction,
    });
  } else {
    train(model, Xtr, ytr, { epochs: cfg.epochs, batchSize: cfg.batchSize, optimizer, rng });
    metrics.epsilon = null;
  }
  metrics.trainSeconds = (performance.now() - t0) / 1000;
  metrics.trainAccuracy = accuracy(model.predict(Xtr), ytr);
  if (nHold > 0) {
    metrics.holdoutAccuracy = accuracy(model.predict(Xho), yho);
    const audit = lossThresholdAttack(model.losses(Xtr, ytr), model.losses(Xho, yho), cfg.dp ? cfg.delta : 0);
    metrics.membershipAuc = audit.auc;
    metrics.membershipTprAt1Fpr = audit.tprAt1Fpr;
    metrics.membershipEpsilonLowerBound = audit.epsilonLowerBound;
  }
  const onnx = exportOnnx(model, {
    mean: scaling?.mean,
    std: scaling?.std,
    metadata: {
      "rampart.features": JSON.stringify(ds.features),
      "rampart.classes": JSON.stringify(ds.classes),
      "rampart.label": ds.label,
      ...(cfg.dp ? { "rampart.dp.epsilon": String(epsilon), "rampart.dp.delta": String(cfg.delta) } : {}),
    },
  });
  return { model, onnx, metrics, epsilon };
}
