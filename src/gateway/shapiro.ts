/**
 * Shapiro–Wilk W with Royston's (1992, 1995 AS R94) approximation of the coefficients, for
 * 3 ≤ n ≤ 5000. PRADA compares W of a client's minimum-distance stream with a threshold, so only W
 * is needed here (no p-value).
 */

// Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9).
const A = [-39.69683028665376, 220.9460984245205, -275.928510446969, 138.357751867269, -30.66479806614716, 2.506628277459239];
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const C = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];

export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : Number.NaN;
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) / ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((A[0]! * r + A[1]!) * r + A[2]!) * r + A[3]!) * r + A[4]!) * r + A[5]!) * q) / (((((B[0]! * r + B[1]!) * r + B[2]!) * r + B[3]!) * r + B[4]!) * r + 1);
}

const poly = (c: readonly number[], x: number) => c.reduce((acc, k, i) => acc + k * x ** i, 0);
// Royston's polynomials in u = 1/sqrt(n) for the two outermost coefficients.
const C1 = [0, 0.221157, -0.147981, -2.07119, 4.434685, -2.706056];
const C2 = [0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633];

const coefficientCache = new Map<number, Float64Array>();

/** The upper-half coefficients a_n, a_{n-1}, … (a_{n+1-i} = -a_i by symmetry). */
function coefficients(n: number): Float64Array {
  let a = coefficientCache.get(n);
  if (a) return a;
  const half = Math.floor(n / 2);
  a = new Float64Array(half);
  if (n === 3) a[0] = Math.SQRT1_2;
  else {
    const m = new Float64Array(half);
    let mm = 0;
    for (let i = 0; i < n; i++) {
      const mi = normalQuantile((i + 1 - 0.375) / (n + 0.25));
      mm += mi * mi;
      // m is antisymmetric; keep the upper half, largest first.
      if (i >= n - half) m[n - 1 - i] = mi;
    }
    const u = 1 / Math.sqrt(n);
    const rsm = Math.sqrt(mm);
    a[0] = m[0]! / rsm + poly(C1, u);
    let phi: number;
    let first: number;
    if (n > 5) {
      a[1] = m[1]! / rsm + poly(C2, u);
      phi = (mm - 2 * m[0]! ** 2 - 2 * m[1]! ** 2) / (1 - 2 * a[0]! ** 2 - 2 * a[1]! ** 2);
      first = 2;
    } else {
      phi = (mm - 2 * m[0]! ** 2) / (1 - 2 * a[0]! ** 2);
      first = 1;
    }
    const s = Math.sqrt(phi);
    for (let i = first; i < half; i++) a[i] = m[i]! / s;
  }
  if (coefficientCache.size > 64) coefficientCache.clear();
  coefficientCache.set(n, a);
  return a;
}

/** W for a sample (not modified). NaN when n < 3 or all values are equal. */
export function shapiroWilk(sample: ArrayLike<number>): number {
  const n = sample.length;
  if (n < 3) return Number.NaN;
  const x = Float64Array.from(sample).sort();
  const range = x[n - 1]! - x[0]!;
  if (!(range > 0)) return Number.NaN;
  const a = coefficients(Math.min(n, 5000));
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i]! - mean) ** 2;
  let num = 0;
  for (let i = 0; i < a.length; i++) num += a[i]! * (x[n - 1 - i]! - x[i]!);
  return Math.min(1, (num * num) / ss);
}
