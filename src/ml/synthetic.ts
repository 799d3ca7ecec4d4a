import type { Rng } from "./random.js";
import type { Matrix } from "./tensor.js";

export interface SyntheticOptions {
  rows: number;
  features: number;
  classes: number;
  /** Features that carry class signal (the rest are pure noise). */
  informative?: number;
  /** Distance of class centres, in noise standard deviations. */
  separation?: number;
  /** Fraction of labels replaced by a random class (what lets an overfit model memorise). */
  labelNoise?: number;
}

/** Gaussian class clusters with optional label noise: a known-difficulty classification problem. */
export function makeClassification(options: SyntheticOptions, rng: Rng): { X: Matrix; y: Int32Array } {
  const { rows, features, classes } = options;
  const informative = Math.min(features, options.informative ?? features);
  const sep = options.separation ?? 1;
  const centres = Array.from({ length: classes }, () => Float64Array.from({ length: informative }, () => rng.normal() * sep));
  const data = new Float64Array(rows * features);
  const y = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const c = Math.floor(rng.uniform() * classes);
    for (let j = 0; j < features; j++) data[i * features + j] = rng.normal() + (j < informative ? centres[c]![j]! : 0);
    y[i] = rng.uniform() < (options.labelNoise ?? 0) ? Math.floor(rng.uniform() * classes) : c;
  }
  return { X: { rows, cols: features, data }, y };
}
