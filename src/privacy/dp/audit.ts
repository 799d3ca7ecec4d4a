import { RampartError } from "../../core/index.js";
import { auc, type Matrix, type Mlp, type Rng, rocCurve, takeRows, tprAtFpr } from "../../ml/index.js";

/** What a membership-inference audit reports (Carlini et al. 2022: AUC hides the low-FPR regime). */
export interface AttackReport {
  attack: "loss-threshold" | "lira";
  auc: number;
  /** Best TPR with FPR at most 0.1 % and 1 %. */
  tprAt0_1Fpr: number;
  tprAt1Fpr: number;
  /** max |TPR - FPR| over thresholds (Yeom et al.'s membership advantage). */
  advantage: number;
  members: number;
  nonMembers: number;
  /**
   * Lower bound on epsilon implied by the best low-FPR operating point (Clopper–Pearson at 95 %):
   * any (eps, delta)-DP training must satisfy TPR <= e^eps FPR + delta. Above a claimed epsilon it
   * proves the claim false.
   */
  epsilonLowerBound: number;
}

/** Scores higher for members. Labels: 1 member, 0 non-member. */
export function reportFromScores(attack: AttackReport["attack"], scores: ArrayLike<number>, labels: ArrayLike<number>, delta = 0): AttackReport {
  const roc = rocCurve(scores, labels);
  let advantage = 0;
  for (let i = 0; i < roc.fpr.length; i++) advantage = Math.max(advantage, Math.abs(roc.tpr[i]! - roc.fpr[i]!));
  let members = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i]) members++;
  const nonMembers = labels.length - members;
  return {
    attack,
    auc: auc(scores, labels),
    tprAt0_1Fpr: tprAtFpr(roc, 0.001),
    tprAt1Fpr: tprAtFpr(roc, 0.01),
    advantage,
    members,
    nonMembers,
    epsilonLowerBound: empiricalEpsilon(roc.tpr, roc.fpr, members, nonMembers, delta),
  };
}

/**
 * Loss-threshold attack (Yeom et al. 2018): members tend to have lower loss; score = -loss. Needs
 * only the target model's per-example losses on known members and non-members.
 */
export function lossThresholdAttack(memberLosses: ArrayLike<number>, nonMemberLosses: ArrayLike<number>, delta = 0): AttackReport {
  const scores = [...Array.from(memberLosses, (l) => -l), ...Array.from(nonMemberLosses, (l) => -l)];
  const labels = [...Array.from(memberLosses, () => 1), ...Array.from(nonMemberLosses, () => 0)];
  return reportFromScores("loss-threshold", scores, labels, delta);
}

/** Logit of the true-class confidence from a cross-entropy loss: log(p / (1 - p)), p = e^-loss. */
export function logitConfidence(loss: number): number {
  const l = Math.max(loss, 1e-12);
  return -l - Math.log(-Math.expm1(-l));
}

export interface LiraOptions {
  /** The audited model, and which rows of `X` it trained on. */
  target: Mlp;
  X: Matrix;
  y: ArrayLike<number>;
  isMember: ArrayLike<boolean | number>;
  /** Trains a shadow model the same way the target was trained, on the given rows. */
  trainShadow(X: Matrix, y: Int32Array, rng: Rng): Mlp;
  shadowModels: number;
  rng: Rng;
  delta?: number;
}

/**
 * Online LiRA (Carlini et al. 2022): shadow models are trained on random halves of the audit pool,
 * so every example has shadow observations IN and OUT of training; the score is the likelihood
 * ratio of the target's logit-scaled confidence under Gaussians fitted to each (per-example means,
 * pooled variances — the variant the paper recommends for few shadow models).
 */
export function liraAttack(options: LiraOptions): AttackReport {
  const { X, y, target, rng } = options;
  const n = X.rows;
  if (options.shadowModels < 2) throw new RampartError("usage", "LiRA needs at least 2 shadow models");
  const sumIn = new Float64Array(n);
  const sumOut = new Float64Array(n);
  const cntIn = new Int32Array(n);
  const cntOut = new Int32Array(n);
  const obs: Array<{ i: number; v: number; inside: boolean }> = [];
  const yi = Int32Array.from(y as ArrayLike<number>);
  for (let s = 0; s < options.shadowModels; s++) {
    const inside = Array.from({ length: n }, () => rng.uniform() < 0.5);
    const idx = inside.flatMap((b, i) => (b ? [i] : []));
    const model = options.trainShadow(
      takeRows(X, idx),
      Int32Array.from(idx, (i) => yi[i]!),
      rng,
    );
    const losses = model.losses(X, yi);
    for (let i = 0; i < n; i++) {
      const v = logitConfidence(losses[i]!);
      obs.push({ i, v, inside: inside[i]! });
      if (inside[i]) {
        sumIn[i]! += v;
        cntIn[i]!++;
      } else {
        sumOut[i]! += v;
        cntOut[i]!++;
      }
    }
  }
  let gIn = 0;
  let gOut = 0;
  let nIn = 0;
  let nOut = 0;
  for (let i = 0; i < n; i++) {
    gIn += sumIn[i]!;
    gOut += sumOut[i]!;
    nIn += cntIn[i]!;
    nOut += cntOut[i]!;
  }
  const muIn = (i: number) => (cntIn[i]! ? sumIn[i]! / cntIn[i]! : gIn / Math.max(1, nIn));
  const muOut = (i: number) => (cntOut[i]! ? sumOut[i]! / cntOut[i]! : gOut / Math.max(1, nOut));
  let vIn = 0;
  let vOut = 0;
  for (const o of obs) {
    const d = o.v - (o.inside ? muIn(o.i) : muOut(o.i));
    if (o.inside) vIn += d * d;
    else vOut += d * d;
  }
  const sIn = Math.sqrt(vIn / Math.max(1, nIn)) + 1e-6;
  const sOut = Math.sqrt(vOut / Math.max(1, nOut)) + 1e-6;
  const targetLoss = target.losses(X, yi);
  const scores = new Float64Array(n);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = logitConfidence(targetLoss[i]!);
    const zi = (v - muIn(i)) / sIn;
    const zo = (v - muOut(i)) / sOut;
    scores[i] = -0.5 * zi * zi - Math.log(sIn) + 0.5 * zo * zo + Math.log(sOut);
    labels[i] = options.isMember[i] ? 1 : 0;
  }
  return reportFromScores("lira", scores, labels, options.delta ?? 0);
}

/** log Γ(x) for x > 0 (Lanczos, g = 7, 9 terms: ~1e-15 relative). */
function logGamma(x: number): number {
  const c = [
    0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406, 12.507343278686905, -0.13857109526572012, 9.984369578019572e-6,
    1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  x -= 1;
  let a = c[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularized incomplete beta I_x(a, b) by its continued fraction (modified Lentz). */
function betaInc(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  if (x > (a + 1) / (a + b + 2)) return 1 - betaInc(1 - x, b, a);
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x)) / a;
  const tiny = 1e-300;
  let f = 1;
  let C = 1;
  let D = 0;
  for (let i = 0; i <= 400; i++) {
    const m = Math.floor(i / 2);
    let num: number;
    if (i === 0) num = 1;
    else if (i % 2 === 0) num = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    else num = -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    D = 1 + num * D;
    if (Math.abs(D) < tiny) D = tiny;
    D = 1 / D;
    C = 1 + num / C;
    if (Math.abs(C) < tiny) C = tiny;
    const cd = C * D;
    f *= cd;
    if (Math.abs(1 - cd) < 1e-14) break;
  }
  return front * (f - 1);
}

/** Inverse of p ↦ I_p(a, b) by bisection. */
function betaQuantile(level: number, a: number, b: number): number {
  let lo = 0;
  let hi = 1;
  for (let it = 0; it < 60; it++) {
    const m = (lo + hi) / 2;
    if (betaInc(m, a, b) < level) lo = m;
    else hi = m;
  }
  return (lo + hi) / 2;
}

/** Clopper–Pearson one-sided bounds for x successes out of n, each at confidence 1 - alpha. */
export function clopperPearson(x: number, n: number, alpha = 0.05): { lower: number; upper: number } {
  return {
    lower: x <= 0 ? 0 : betaQuantile(alpha, x, n - x + 1),
    upper: x >= n ? 1 : betaQuantile(1 - alpha, x + 1, n - x),
  };
}

/**
 * Max over ROC points (and the symmetric test) of ln((TPR_low - delta) / FPR_high), floored at 0.
 * Candidates are visited best-first by their point estimate, which bounds the exact value from above,
 * so only a handful of Clopper–Pearson intervals are computed.
 */
function empiricalEpsilon(tpr: Float64Array, fpr: Float64Array, members: number, nonMembers: number, delta: number): number {
  const f0n = 1 - 0.05 ** (1 / nonMembers); // CP upper bound for 0 false positives
  const f0m = 1 - 0.05 ** (1 / members);
  const cands: Array<{ ub: number; hit: number; nHit: number; miss: number; nMiss: number }> = [];
  for (let i = 1; i < tpr.length; i++) {
    const tp = Math.round(tpr[i]! * members);
    const fp = Math.round(fpr[i]! * nonMembers);
    if (tp > 0) cands.push({ ub: Math.log(tp / members / Math.max(fp / nonMembers, f0n)), hit: tp, nHit: members, miss: fp, nMiss: nonMembers });
    const tn = nonMembers - fp;
    const fn = members - tp;
    if (tn > 0) cands.push({ ub: Math.log(tn / nonMembers / Math.max(fn / members, f0m)), hit: tn, nHit: nonMembers, miss: fn, nMiss: members });
  }
  cands.sort((a, b) => b.ub - a.ub);
  let best = 0;
  for (const c of cands) {
    if (c.ub <= best) break;
    const low = clopperPearson(c.hit, c.nHit).lower;
    const high = clopperPearson(c.miss, c.nMiss).upper;
    if (low - delta > 0 && high > 0) best = Math.max(best, Math.log((low - delta) / high));
  }
  return best;
}
