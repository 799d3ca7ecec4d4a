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

/** Columns longer than this are summarised from a systematic sample (quantile error well under 1%). */
export const SUMMARY_SAMPLE = 200_000;

/** Sorted finite values, or a sorted systematic sample of them when there are more than `max`. */
export function sortedSample(values: Float64Array, max = SUMMARY_SAMPLE): Float64Array {
  if (values.length <= max) return sortedFinite(values);
  const step = values.length / max;
  const out = new Float64Array(max);
  let m = 0;
  for (let k = 0; k < max; k++) {
    const v = values[Math.floor(k * step)]!;
    if (Number.isFinite(v)) out[m++] = v;
  }
  return out.subarray(0, m).sort();
}

/** Finite values (or a systematic sample of at most `max` of them), unsorted, in a fresh array. */
export function finiteSample(values: Float64Array, max = SUMMARY_SAMPLE): Float64Array {
  const step = values.length > max ? values.length / max : 1;
  const size = Math.min(values.length, max);
  const out = new Float64Array(size);
  let m = 0;
  for (let k = 0; k < size; k++) {
    const v = values[step === 1 ? k : Math.floor(k * step)]!;
    if (Number.isFinite(v)) out[m++] = v;
  }
  return out.subarray(0, m);
}

/** k-th smallest (0-based) by quickselect; reorders `a` in place. Average O(n), no full sort. */
export function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    // Median of three as pivot.
    const x = a[lo]!;
    const y = a[mid]!;
    const z = a[hi]!;
    const pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

/** Quantile with linear interpolation (NumPy "linear") by selection; reorders `a`. */
export function quantileSelect(a: Float64Array, q: number): number {
  if (a.length === 0) return Number.NaN;
  const pos = (a.length - 1) * q;
  const lo = Math.floor(pos);
  const v = select(a, lo);
  if (pos === lo) return v;
  let next = Number.POSITIVE_INFINITY;
  for (let i = lo + 1; i < a.length; i++) if (a[i]! < next) next = a[i]!;
  return v + (next - v) * (pos - lo);
}

export function summarize(values: Float64Array): RobustSummary {
  const missing = countMissing(values);
  const s = finiteSample(values);
  // Mean, deviation and extremes over every value; quantiles from the (possibly sampled) sorted copy.
  const count = values.length - missing;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = count ? sum / count : Number.NaN;
  let ss = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) ss += (v - mean) ** 2;
  }
  const std = count > 1 ? Math.sqrt(ss / (count - 1)) : 0;
  const median = quantileSelect(s, 0.5);
  const dev = new Float64Array(s.length);
  for (let i = 0; i < s.length; i++) dev[i] = Math.abs(s[i]! - median);
  const mad = quantileSelect(dev, 0.5);
  const q1 = quantileSelect(s, 0.25);
  const q3 = quantileSelect(s, 0.75);
  const scale = mad > 0 ? 1.4826 * mad : q3 - q1 > 0 ? (q3 - q1) / 1.349 : std;
  return { count, missing, mean, std, min: count ? min : Number.NaN, max: count ? max : Number.NaN, median, mad, q1, q3, scale };
}

function countMissing(values: Float64Array): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) m++;
  return m;
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
export { prng } from "../../core/random.js";
