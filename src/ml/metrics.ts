import { RampartError } from "../core/index.js";

export function accuracy(pred: ArrayLike<number>, y: ArrayLike<number>): number {
  if (pred.length !== y.length || y.length === 0) throw new RampartError("invalid-input", "accuracy: predictions and labels differ in length or are empty");
  let ok = 0;
  for (let i = 0; i < y.length; i++) if (pred[i] === y[i]) ok++;
  return ok / y.length;
}

/** Mean cross-entropy given the probability of the true class per example (clamped at 1e-15). */
export function logLoss(pTrue: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < pTrue.length; i++) s -= Math.log(Math.min(1, Math.max(1e-15, pTrue[i]!)));
  return s / pTrue.length;
}

export interface RocCurve {
  fpr: Float64Array;
  tpr: Float64Array;
  thresholds: Float64Array;
}

/** ROC curve of scores (higher = more positive), one point per distinct threshold, from (0,0) to (1,1). */
export function rocCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): RocCurve {
  const n = scores.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let P = 0;
  for (let i = 0; i < n; i++) if (labels[i]) P++;
  const N = n - P;
  if (P === 0 || N === 0) throw new RampartError("invalid-input", "ROC needs both positive and negative examples");
  const fpr = [0];
  const tpr = [0];
  const thr = [Number.POSITIVE_INFINITY];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < n; k++) {
    const i = idx[k]!;
    if (labels[i]) tp++;
    else fp++;
    // Emit a point only after the last of a run of tied scores.
    if (k === n - 1 || scores[idx[k + 1]!] !== scores[i]) {
      fpr.push(fp / N);
      tpr.push(tp / P);
      thr.push(scores[i]!);
    }
  }
  return { fpr: Float64Array.from(fpr), tpr: Float64Array.from(tpr), thresholds: Float64Array.from(thr) };
}

/** Area under the ROC curve (trapezoids = Mann–Whitney U with ties counted half). */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const { fpr, tpr } = rocCurve(scores, labels);
  let a = 0;
  for (let i = 1; i < fpr.length; i++) a += ((fpr[i]! - fpr[i - 1]!) * (tpr[i]! + tpr[i - 1]!)) / 2;
  return a;
}

/** Highest TPR among thresholds whose FPR does not exceed `maxFpr` (no interpolation: an attacker can realise it). */
export function tprAtFpr(roc: RocCurve, maxFpr: number): number {
  let best = 0;
  for (let i = 0; i < roc.fpr.length; i++) if (roc.fpr[i]! <= maxFpr + 1e-12) best = Math.max(best, roc.tpr[i]!);
  return best;
}
