import { RampartError } from "../../core/index.js";
import type { Mlp } from "../../ml/model.js";
import type { Optimizer } from "../../ml/optim.js";
import type { Rng } from "../../ml/random.js";
import { type Matrix, row } from "../../ml/tensor.js";

export interface DpSgdOptions {
  /** Poisson sampling probability per example per step (Opacus: 1 / len(data_loader)). */
  sampleRate: number;
  steps: number;
  noiseMultiplier: number;
  /** Per-example L2 clipping norm C. */
  maxGradNorm: number;
  optimizer: Optimizer;
  /** Must be secure (node:crypto) unless `allowInsecureRng` is set for tests. */
  rng: Rng;
  allowInsecureRng?: boolean;
  onStep?(step: number, batchSize: number): void;
}

export interface DpSgdReport {
  steps: number;
  sampleRate: number;
  noiseMultiplier: number;
  maxGradNorm: number;
  /** Mean Poisson batch size actually drawn. */
  meanBatchSize: number;
  /** Fraction of per-example gradients that were clipped. */
  clippedFraction: number;
}

/**
 * DP-SGD (Abadi et al. 2016) as Opacus runs it: each step samples every example independently with
 * probability q, clips each per-example gradient to L2 norm C, sums, adds N(0, (σC)²) to every
 * coordinate and divides by the expected batch size qN (not the drawn size, which would leak it).
 */
export function trainDpSgd(model: Mlp, X: Matrix, y: ArrayLike<number>, options: DpSgdOptions): DpSgdReport {
  const { sampleRate: q, steps, noiseMultiplier: sigma, maxGradNorm: C, rng } = options;
  if (!rng.secure && !options.allowInsecureRng) throw new RampartError("usage", "DP-SGD needs a cryptographically secure random source");
  if (!(q > 0 && q <= 1)) throw new RampartError("usage", `sample rate must be in (0, 1], got ${q}`);
  if (!(C > 0)) throw new RampartError("usage", `max grad norm must be > 0, got ${C}`);
  if (!(sigma >= 0)) throw new RampartError("usage", `noise multiplier must be >= 0, got ${sigma}`);
  const g = new Float64Array(model.size);
  const sum = new Float64Array(model.size);
  const expected = q * X.rows;
  let drawn = 0;
  let clipped = 0;
  for (let s = 0; s < steps; s++) {
    sum.fill(0);
    let b = 0;
    for (let i = 0; i < X.rows; i++) {
      if (rng.uniform() >= q) continue;
      b++;
      model.gradient(row(X, i), y[i]!, g);
      let n2 = 0;
      for (let j = 0; j < g.length; j++) n2 += g[j]! * g[j]!;
      const norm = Math.sqrt(n2);
      const scale = norm > C ? C / norm : 1;
      if (norm > C) clipped++;
      for (let j = 0; j < g.length; j++) sum[j]! += g[j]! * scale;
    }
    const std = sigma * C;
    for (let j = 0; j < sum.length; j++) sum[j] = (sum[j]! + std * rng.normal()) / expected;
    options.optimizer.step(model.params, sum);
    drawn += b;
    options.onStep?.(s, b);
  }
  return { steps, sampleRate: q, noiseMultiplier: sigma, maxGradNorm: C, meanBatchSize: steps ? drawn / steps : 0, clippedFraction: drawn ? clipped / drawn : 0 };
}
