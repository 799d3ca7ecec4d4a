import { RampartError } from "../../core/index.js";
import { logAdd, logErfc, logSub } from "./math.js";

/**
 * The orders Opacus' RDPAccountant uses by default: 1.1, 1.2, …, 10.9 then 12, 13, …, 63 (151 orders).
 * Keeping the identical list is what makes our epsilon agree with Opacus to the last digits.
 */
export const DEFAULT_ALPHAS: readonly number[] = [...Array.from({ length: 99 }, (_, k) => 1 + (k + 1) / 10), ...Array.from({ length: 52 }, (_, k) => 12 + k)];

/** One phase of training: `steps` steps of the Poisson-sampled Gaussian mechanism. */
export interface SgmPhase {
  /** Poisson sampling probability q (batch / dataset size). */
  sampleRate: number;
  /** Noise standard deviation divided by the L2 sensitivity (clipping norm). */
  noiseMultiplier: number;
  steps: number;
}

/** Balle et al. 2020 Thm 21 (Opacus today) or Mironov 2017 (old Opacus/TF Privacy READMEs). */
export type RdpConversion = "balle2020" | "classic";

const MAX_SERIES_TERMS = 100_000;

/** log A_alpha for integer alpha (Mironov, Talwar, Zhang 2019, Sec. 3.3): a finite binomial sum. */
function logAInt(q: number, sigma: number, alpha: number): number {
  let logA = Number.NEGATIVE_INFINITY;
  let logBinom = 0; // log C(alpha, 0)
  const lq = Math.log(q);
  const l1q = Math.log1p(-q);
  for (let i = 0; i <= alpha; i++) {
    const s = logBinom + i * lq + (alpha - i) * l1q + (i * i - i) / (2 * sigma * sigma);
    logA = logAdd(logA, s);
    logBinom += Math.log(alpha - i) - Math.log(i + 1);
  }
  return logA;
}

/**
 * log A_alpha for fractional alpha: two series split at z0, summed in log space until both terms
 * fall below e^-30 (Opacus' stopping rule). A series that does not converge is an error, never
 * silently dropped (dp_accounting drops such orders and reports a larger epsilon).
 */
function logAFrac(q: number, sigma: number, alpha: number): number {
  let logA0 = Number.NEGATIVE_INFINITY;
  let logA1 = Number.NEGATIVE_INFINITY;
  const z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
  const lq = Math.log(q);
  const l1q = Math.log1p(-q);
  const s2 = Math.SQRT2 * sigma;
  let logAbsCoef = 0; // |C(alpha, 0)| = 1
  let positive = true;
  for (let i = 0; i < MAX_SERIES_TERMS; i++) {
    const j = alpha - i;
    const logT0 = logAbsCoef + i * lq + j * l1q;
    const logT1 = logAbsCoef + j * lq + i * l1q;
    const logE0 = Math.log(0.5) + logErfc((i - z0) / s2);
    const logE1 = Math.log(0.5) + logErfc((z0 - j) / s2);
    const logS0 = logT0 + (i * i - i) / (2 * sigma * sigma) + logE0;
    const logS1 = logT1 + (j * j - j) / (2 * sigma * sigma) + logE1;
    if (positive) {
      logA0 = logAdd(logA0, logS0);
      logA1 = logAdd(logA1, logS1);
    } else {
      logA0 = logSub(logA0, logS0);
      logA1 = logSub(logA1, logS1);
    }
    if (Math.max(logS0, logS1) < -30) return logAdd(logA0, logA1);
    // Generalized binomial: C(alpha, i+1) = C(alpha, i) * (alpha - i) / (i + 1); the sign flips past alpha.
    logAbsCoef += Math.log(Math.abs(alpha - i)) - Math.log(i + 1);
    if (alpha - i < 0) positive = !positive;
  }
  throw new RampartError("invalid-input", `RDP series for order ${alpha} (q=${q}, sigma=${sigma}) did not converge after ${MAX_SERIES_TERMS} terms`);
}

/** RDP of one step of the sampled Gaussian mechanism at order alpha (can be +Infinity). */
export function sgmRdp(q: number, sigma: number, alpha: number): number {
  if (!(q >= 0 && q <= 1)) throw new RampartError("usage", `sample rate must be in [0, 1], got ${q}`);
  if (!(sigma >= 0)) throw new RampartError("usage", `noise multiplier must be >= 0, got ${sigma}`);
  if (!(alpha > 1)) throw new RampartError("usage", `RDP order must be > 1, got ${alpha}`);
  if (q === 0) return 0;
  if (sigma === 0) return Number.POSITIVE_INFINITY;
  if (q === 1) return alpha / (2 * sigma * sigma);
  if (!Number.isFinite(alpha)) return Number.POSITIVE_INFINITY;
  try {
    const logA = Number.isInteger(alpha) ? logAInt(q, sigma, alpha) : logAFrac(q, sigma, alpha);
    return logA / (alpha - 1);
  } catch (e) {
    if (e instanceof RangeError) throw new RampartError("invalid-input", `RDP at order ${alpha} (q=${q}, sigma=${sigma}) lost precision: ${e.message}`);
    throw e;
  }
}

/** RDP curve of a composition of phases (RDP adds under composition). */
export function composeRdp(phases: readonly SgmPhase[], alphas: readonly number[] = DEFAULT_ALPHAS): Float64Array {
  const rdp = new Float64Array(alphas.length);
  for (const p of phases) {
    if (!Number.isInteger(p.steps) || p.steps < 0) throw new RampartError("usage", `steps must be a whole number >= 0, got ${p.steps}`);
    if (p.steps === 0) continue;
    alphas.forEach((a, k) => {
      rdp[k]! += p.steps * sgmRdp(p.sampleRate, p.noiseMultiplier, a);
    });
  }
  return rdp;
}

export interface RdpEpsilon {
  epsilon: number;
  /** The order that gave the minimum. */
  order: number;
  /** True when the optimum sits at the first or last order (a wider range could tighten it). */
  atBoundary: boolean;
}

/** Converts an RDP curve to (epsilon, delta)-DP, taking the best order. */
export function rdpToEpsilon(alphas: readonly number[], rdp: ArrayLike<number>, delta: number, conversion: RdpConversion = "balle2020"): RdpEpsilon {
  if (!(delta > 0 && delta < 1)) throw new RampartError("usage", `delta must be in (0, 1), got ${delta}`);
  let best = Number.POSITIVE_INFINITY;
  let bestK = -1;
  for (let k = 0; k < alphas.length; k++) {
    const a = alphas[k]!;
    const r = rdp[k]!;
    const eps = conversion === "classic" ? r + Math.log(1 / delta) / (a - 1) : r - (Math.log(delta) + Math.log(a)) / (a - 1) + Math.log((a - 1) / a);
    if (!Number.isNaN(eps) && (bestK < 0 || eps < best)) {
      best = eps;
      bestK = k;
    }
  }
  if (bestK < 0) return { epsilon: Number.POSITIVE_INFINITY, order: Number.NaN, atBoundary: false };
  return { epsilon: Math.max(0, best), order: alphas[bestK]!, atBoundary: bestK === 0 || bestK === alphas.length - 1 };
}

export interface RdpOptions {
  alphas?: readonly number[];
  conversion?: RdpConversion;
}

/** Epsilon of DP-SGD by the RDP accountant (Opacus' RDPAccountant.get_epsilon). */
export function rdpEpsilon(phases: readonly SgmPhase[], delta: number, options: RdpOptions = {}): RdpEpsilon {
  const alphas = options.alphas ?? DEFAULT_ALPHAS;
  return rdpToEpsilon(alphas, composeRdp(phases, alphas), delta, options.conversion);
}
