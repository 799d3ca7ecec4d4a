/** Small robust-statistics toolkit over typed arrays (NaN = missing, skipped). */

/** Sorted copy of the finite values. */
export function sortedFinite(values: Float64Array): Float64Array {
  let m = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) m++;
  const out = new Float64Array(m);
  let j = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) out[j++] = values[i]!;
  return out.sort();
}

/** Quantile by linear interpolation between order statistics (NumPy's default, "linear"). */
export function quantileSorted(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export interface RobustSummary {
  count: number;
  missing: number;
  mean: number;
  std: number;
  min: number;
  max: number;
  median: number;
  /** Median absolute deviation (raw, not scaled). */
  mad: number;
  q1: number;
  q3: number;
  /** Robust scale: 1.4826·MAD, falling back to IQR/1.349 and then the standard deviation when MAD is 0. */
  scale: number;
}

export function summarize(values: Float64Array): RobustSummary {
  const s = sortedFinite(values);
  const count = s.length;
  let sum = 0;
  for (let i = 0; i < count; i++) sum += s[i]!;
  const mean = count ? sum / count : Number.NaN;
  let ss = 0;
  for (let i = 0; i < count; i++) ss += (s[i]! - mean) ** 2;
  const std = count > 1 ? Math.sqrt(ss / (count - 1)) : 0;
  const median = quantileSorted(s, 0.5);
  const dev = new Float64Array(count);
  for (let i = 0; i < count; i++) dev[i] = Math.abs(s[i]! - median);
  dev.sort();
  const mad = quantileSorted(dev, 0.5);
  const q1 = quantileSorted(s, 0.25);
  const q3 = quantileSorted(s, 0.75);
  const scale = mad > 0 ? 1.4826 * mad : q3 - q1 > 0 ? (q3 - q1) / 1.349 : std;
  return { count, missing: values.length - count, mean, std, min: s[0] ?? Number.NaN, max: s[count - 1] ?? Number.NaN, median, mad, q1, q3, scale };
}

/**
 * Population stability index of `actual` against `expected` shares (same bins):
 * Σ (a − e)·ln(a / e), with empty bins floored at 1e-4 so the sum stays finite.
 */
export function psi(expected: readonly number[], actual: readonly number[]): number {
  const eT = expected.reduce((a, b) => a + b, 0) || 1;
  const aT = actual.reduce((a, b) => a + b, 0) || 1;
  let s = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i]! / eT, 1e-4);
    const a = Math.max(actual[i]! / aT, 1e-4);
    s += (a - e) * Math.log(a / e);
  }
  return s;
}

/** Counts of values per bin given inner edges (bin i: edges[i-1] < x ≤ edges[i]). */
export function histogram(values: Float64Array, edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (!Number.isFinite(x)) continue;
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (x <= edges[mid]!) hi = mid;
      else lo = mid + 1;
    }
    counts[lo]!++;
  }
  return counts;
}

/** Deterministic PRNG (mulberry32) so that results are reproducible run to run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
