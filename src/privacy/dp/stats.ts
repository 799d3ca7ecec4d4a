import { RampartError } from "../../core/index.js";
import { bernoulliExp, discreteGaussian, discreteLaplace, type Rational, rational, reduce, secureUniformInt, type UniformInt } from "./discrete.js";

/** How noise is added: discrete Laplace (pure ε-DP) or discrete Gaussian ((ε, δ)-DP via zCDP). */
export type NoiseKind = "laplace" | "gaussian";

export interface Budget1 {
  epsilon: number;
  /** Gaussian only. */
  delta?: number;
}

export interface NoisyValue {
  value: number;
  /** What was released and at what cost (for the record and the attestation). */
  mechanism: string;
  epsilon: number;
  delta: number;
  /** Noise scale in output units (Laplace b, or Gaussian σ). */
  scale: number;
}

/**
 * zCDP ρ of the (discrete) Gaussian with sensitivity Δ and std σ is Δ²/(2σ²); it implies
 * (ρ + 2√(ρ ln(1/δ)), δ)-DP (Bun & Steinke 2016). σ² is the smallest on a 1/1024 grid meeting ε.
 */
export function gaussianSigma2(sensitivity: number, epsilon: number, delta: number): Rational {
  if (!(delta > 0 && delta < 1)) throw new RampartError("usage", `the Gaussian mechanism needs delta in (0, 1), got ${delta}`);
  const epsOf = (s2: number) => {
    const rho = (sensitivity * sensitivity) / (2 * s2);
    return rho + 2 * Math.sqrt(rho * Math.log(1 / delta));
  };
  let lo = 0;
  let hi = 1;
  while (epsOf(hi) > epsilon) hi *= 2;
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    if (epsOf(mid) > epsilon) lo = mid;
    else hi = mid;
  }
  // Round σ² up onto a rational grid so the sampler works with exact integers.
  return reduce({ n: BigInt(Math.ceil(hi * 1024)), d: 1024n });
}

/** Integer noise for an integer-valued query of the given integer sensitivity. */
function integerNoise(sensitivity: bigint, budget: Budget1, kind: NoiseKind, u: UniformInt): { noise: bigint; scale: number; delta: number } {
  if (!(budget.epsilon > 0)) throw new RampartError("usage", `epsilon must be > 0, got ${budget.epsilon}`);
  if (kind === "laplace") {
    const e = rational(budget.epsilon);
    const scale = reduce({ n: sensitivity * e.d, d: e.n }); // Δ/ε
    return { noise: discreteLaplace(scale, u), scale: Number(scale.n) / Number(scale.d), delta: 0 };
  }
  const s2 = gaussianSigma2(Number(sensitivity), budget.epsilon, budget.delta ?? Number.NaN);
  return { noise: discreteGaussian(s2, u), scale: Math.sqrt(Number(s2.n) / Number(s2.d)), delta: budget.delta! };
}

/** Noisy count of rows (add/remove-one sensitivity 1). */
export function dpCount(count: number, budget: Budget1, kind: NoiseKind = "laplace", u: UniformInt = secureUniformInt): NoisyValue {
  const { noise, scale, delta } = integerNoise(1n, budget, kind, u);
  return { value: Number(BigInt(count) + noise), mechanism: `discrete-${kind}`, epsilon: budget.epsilon, delta, scale };
}

export interface Bounds {
  lower: number;
  upper: number;
  /** Grid step values are snapped to (default (upper - lower) / 2^20). */
  resolution?: number;
}

/**
 * Noisy sum of values clipped to [lower, upper]: each value is snapped to an integer multiple of the
 * resolution, the integers are summed exactly and integer noise is added, so the output's low bits
 * carry nothing about the data (the snapping idea of Mironov 2012, done with a discrete sampler).
 */
export function dpSum(values: ArrayLike<number>, bounds: Bounds, budget: Budget1, kind: NoiseKind = "laplace", u: UniformInt = secureUniformInt): NoisyValue {
  const { lower, upper } = bounds;
  if (!(Number.isFinite(lower) && Number.isFinite(upper) && lower < upper)) throw new RampartError("usage", `bounds must satisfy lower < upper, got [${lower}, ${upper}]`);
  const g = bounds.resolution ?? (upper - lower) / 2 ** 20;
  const kLo = Math.floor(lower / g);
  const kHi = Math.ceil(upper / g);
  let total = 0n;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const k = Number.isNaN(v) ? 0 : Math.min(kHi, Math.max(kLo, Math.round(v / g)));
    total += BigInt(k);
  }
  const sens = BigInt(Math.max(Math.abs(kLo), Math.abs(kHi)));
  const { noise, scale, delta } = integerNoise(sens, budget, kind, u);
  return { value: Number(total + noise) * g, mechanism: `snapped-sum/discrete-${kind}`, epsilon: budget.epsilon, delta, scale: scale * g };
}

/** Noisy mean: half the budget to the sum, half to the count (sequential composition). */
export function dpMean(values: ArrayLike<number>, bounds: Bounds, budget: Budget1, kind: NoiseKind = "laplace", u: UniformInt = secureUniformInt): NoisyValue {
  const half = { epsilon: budget.epsilon / 2, delta: budget.delta === undefined ? undefined : budget.delta / 2 };
  const s = dpSum(values, bounds, half, kind, u);
  const c = dpCount(values.length, half, kind, u);
  const mean = s.value / Math.max(1, c.value);
  return {
    value: Math.min(bounds.upper, Math.max(bounds.lower, mean)),
    mechanism: `mean(${s.mechanism}, count)`,
    epsilon: budget.epsilon,
    delta: s.delta + c.delta,
    scale: s.scale,
  };
}

/**
 * Noisy histogram: each row falls in one bin, so under add/remove one row changes one count by 1 and
 * every bin gets independent noise at the full epsilon (parallel composition).
 */
export function dpHistogram(
  binOf: ArrayLike<number>,
  bins: number,
  budget: Budget1,
  kind: NoiseKind = "laplace",
  u: UniformInt = secureUniformInt,
): { counts: number[]; epsilon: number; delta: number; scale: number; mechanism: string } {
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < binOf.length; i++) {
    const b = binOf[i]!;
    if (b >= 0 && b < bins) counts[b]!++;
  }
  // Gaussian: one row moves the L2 norm by 1 as well, so the same sigma holds for the whole vector.
  let scale = 0;
  let delta = 0;
  const noisy = counts.map((c) => {
    const r = integerNoise(1n, budget, kind, u);
    scale = r.scale;
    delta = r.delta;
    return c + Number(r.noise);
  });
  return { counts: noisy, epsilon: budget.epsilon, delta, scale, mechanism: `histogram/discrete-${kind}` };
}

/**
 * Noisy quantile by the exponential mechanism over a grid of candidates in [lower, upper]
 * (utility -|#{x < c} - q·n|, sensitivity 1), sampled exactly by permute-and-flip (McKenna &
 * Sheldon 2020): candidate c is accepted with probability exp(-ε(u* - u_c)/2), a rational exponent.
 */
export function dpQuantile(values: ArrayLike<number>, q: number, bounds: Bounds & { candidates?: number }, budget: Budget1, u: UniformInt = secureUniformInt): NoisyValue {
  if (!(q >= 0 && q <= 1)) throw new RampartError("usage", `quantile must be in [0, 1], got ${q}`);
  const m = bounds.candidates ?? 1024;
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const step = (bounds.upper - bounds.lower) / (m - 1);
  const cand = Array.from({ length: m }, (_, i) => bounds.lower + i * step);
  // Utilities as integers scaled by 2: u = -|2·below - 2qn|, with 2qn rounded (changes u by < 1/2... kept exact below).
  const qr = rational(q);
  const util: bigint[] = [];
  let j = 0;
  for (const c of cand) {
    while (j < n && sorted[j]! < c) j++;
    // -|below - q n| in units of 1/qr.d: -|below·d - q.n·n|
    const diff = BigInt(j) * qr.d - qr.n * BigInt(n);
    util.push(diff < 0n ? diff : -diff);
  }
  let best = util[0]!;
  for (const v of util) if (v > best) best = v;
  const e = rational(budget.epsilon);
  for (;;) {
    // Random order, accept with exp(-ε (u* - u)/2), u in units of 1/qr.d.
    const order = Array.from({ length: m }, (_, i) => i);
    for (let i = m - 1; i > 0; i--) {
      const k = Number(u(BigInt(i + 1)));
      [order[i], order[k]] = [order[k]!, order[i]!];
    }
    for (const i of order) {
      const gap = best - util[i]!;
      if (bernoulliExp(reduce({ n: e.n * gap, d: 2n * e.d * qr.d }), u))
        return { value: cand[i]!, mechanism: "exponential/permute-and-flip", epsilon: budget.epsilon, delta: 0, scale: step };
    }
  }
}
