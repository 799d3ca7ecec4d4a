/**
 * Two-sample drift statistics, each to the definition its anchor uses (SciPy for KS, chi-square and
 * Jensen–Shannon; Evidently for the normed Wasserstein distance, PSI and the z-test). Inputs are plain
 * arrays without missing values; callers drop those first.
 */
import erfc from "@stdlib/math-base-special-erfc";
import gammainc from "@stdlib/math-base-special-gammainc";

export interface TestResult {
  statistic: number;
  /** Present for hypothesis tests; distances have none. */
  pValue?: number;
}

function sorted(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/**
 * Two-sample Kolmogorov–Smirnov, two-sided, as SciPy's `ks_2samp(method="auto")`: the exact
 * distribution (lattice paths that leave the band) for small samples, the asymptotic one otherwise.
 * `exactLimit` bounds the n1·n2 cells the exact count visits.
 */
export function ks2(a: ArrayLike<number>, b: ArrayLike<number>, exactLimit = 2e7): TestResult & { method: "exact" | "asymptotic" } {
  const x = sorted(a);
  const y = sorted(b);
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new RangeError("ks2: both samples need at least one value");
  // D in integer units of 1/(n1·n2): |F1 − F2|·n1·n2 = |i·n2 − j·n1| with i, j the counts ≤ v.
  let i = 0;
  let j = 0;
  let g = 0;
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && x[i]! <= y[j]!) ? x[i]! : y[j]!;
    while (i < n1 && x[i]! <= v) i++;
    while (j < n2 && y[j]! <= v) j++;
    g = Math.max(g, Math.abs(i * n2 - j * n1));
  }
  const statistic = g / (n1 * n2);
  if (Math.max(n1, n2) <= 10_000 && n1 * n2 <= exactLimit) return { statistic, pValue: ksExactSf(n1, n2, g), method: "exact" };
  const en = Math.round((n1 * n2) / (n1 + n2));
  return { statistic, pValue: kolmogorovSf(statistic, en), method: "asymptotic" };
}

/**
 * P(D ≥ g/(n1·n2)) under the null: one minus the share of monotone lattice paths from (0,0) to
 * (n1,n2) that keep |i·n2 − j·n1| < g. The path weights are kept as probabilities
 * (w(i,j) = paths/C(i+j,i)), so nothing overflows.
 */
function ksExactSf(n1: number, n2: number, g: number): number {
  if (g <= 0) return 1;
  let prev = new Float64Array(n2 + 1);
  let cur = new Float64Array(n2 + 1);
  prev[0] = 1;
  for (let j = 1; j <= n2; j++) prev[j] = j * n1 < g ? prev[j - 1]! : 0;
  for (let i = 1; i <= n1; i++) {
    for (let j = 0; j <= n2; j++) {
      if (Math.abs(i * n2 - j * n1) >= g) {
        cur[j] = 0;
        continue;
      }
      cur[j] = j === 0 ? prev[0]! : (i / (i + j)) * prev[j]! + (j / (i + j)) * cur[j - 1]!;
    }
    [prev, cur] = [cur, prev];
  }
  return Math.min(1, Math.max(0, 1 - prev[n2]!));
}

/**
 * Survival function of the Kolmogorov statistic for sample size n: the limiting series
 * Q(λ) = 2 Σ (−1)^(k−1) exp(−2k²λ²) with Stephens' small-sample argument λ = (√n + 0.12 + 0.11/√n)·D.
 * It agrees with SciPy's exact `kstwo.sf` to about 1e-3 for n in the thousands.
 */
export function kolmogorovSf(d: number, n: number): number {
  const s = Math.sqrt(n);
  const lambda = (s + 0.12 + 0.11 / s) * d;
  if (lambda < 0.2) return 1;
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = (k % 2 === 1 ? 1 : -1) * Math.exp(-2 * k * k * lambda * lambda);
    sum += term;
    if (Math.abs(term) < 1e-16) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/** Upper tail of the chi-square distribution with `dof` degrees of freedom. */
export function chi2Sf(x: number, dof: number): number {
  if (!Number.isFinite(x)) return 0;
  if (x <= 0) return 1;
  return gammainc(x / 2, dof / 2, true, true);
}

/**
 * Chi-square goodness of fit of the current counts against the reference shares (Evidently's
 * `chisquare` test, SciPy `chisquare(f_obs, f_exp)`): expected_j = ref_j · n_cur / n_ref. A category
 * absent from the reference makes the statistic infinite.
 */
export function chiSquareGof(reference: readonly number[], current: readonly number[]): TestResult & { dof: number } {
  const nRef = reference.reduce((s, v) => s + v, 0);
  const nCur = current.reduce((s, v) => s + v, 0);
  let statistic = 0;
  for (let k = 0; k < reference.length; k++) {
    const expected = (reference[k]! * nCur) / nRef;
    const observed = current[k]!;
    if (expected === 0) {
      if (observed > 0) statistic = Number.POSITIVE_INFINITY;
      continue;
    }
    statistic += (observed - expected) ** 2 / expected;
  }
  const dof = reference.length - 1;
  return { statistic, pValue: dof > 0 ? chi2Sf(statistic, dof) : 1, dof };
}

/** Standard normal upper tail, via erfc (exact in the far tail). */
function normalSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/**
 * Two-proportion z-test (Evidently's `z` test for binary columns): p1, p2 are the shares of one
 * category in each sample. Two equal constant samples give p = 1.
 */
export function zTestProportions(hits1: number, n1: number, hits2: number, n2: number): TestResult {
  const p1 = hits1 / n1;
  const p2 = hits2 / n2;
  const pooled = (hits1 + hits2) / (n1 + n2);
  const variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2);
  if (variance === 0) return { statistic: 0, pValue: p1 === p2 ? 1 : 0 };
  const z = (p1 - p2) / Math.sqrt(variance);
  return { statistic: z, pValue: 2 * normalSf(Math.abs(z)) };
}

/** Wasserstein-1 distance between two samples: ∫|F_a − F_b| over the merged sorted values. */
export function wasserstein1(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const x = sorted(a);
  const y = sorted(b);
  const n1 = x.length;
  const n2 = y.length;
  let i = 0;
  let j = 0;
  let total = 0;
  let last = Math.min(x[0]!, y[0]!);
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && x[i]! <= y[j]!) ? x[i]! : y[j]!;
    total += Math.abs(i / n1 - j / n2) * (v - last);
    last = v;
    while (i < n1 && x[i]! <= v) i++;
    while (j < n2 && y[j]! <= v) j++;
  }
  return total;
}

/** Population standard deviation (ddof = 0). */
export function populationStd(values: ArrayLike<number>): number {
  let mean = 0;
  for (let k = 0; k < values.length; k++) mean += values[k]!;
  mean /= values.length;
  let ss = 0;
  for (let k = 0; k < values.length; k++) ss += (values[k]! - mean) ** 2;
  return Math.sqrt(ss / values.length);
}

/**
 * Jensen–Shannon distance (SciPy `jensenshannon`, natural log): √(½KL(p‖m) + ½KL(q‖m)), m = (p+q)/2,
 * over count or share vectors (normalised here).
 */
export function jensenShannon(p: readonly number[], q: readonly number[]): number {
  const sp = p.reduce((s, v) => s + v, 0);
  const sq = q.reduce((s, v) => s + v, 0);
  let js = 0;
  for (let k = 0; k < p.length; k++) {
    const a = p[k]! / sp;
    const b = q[k]! / sq;
    const m = (a + b) / 2;
    if (a > 0) js += 0.5 * a * Math.log(a / m);
    if (b > 0) js += 0.5 * b * Math.log(b / m);
  }
  return Math.sqrt(Math.max(0, js));
}

/** Evidently's floor for empty bins in PSI. */
export const PSI_EMPTY_SHARE = 1e-4;

/** Population Stability Index over reference and current counts, empty shares floored to 1e-4. */
export function psi(reference: readonly number[], current: readonly number[]): number {
  const sr = reference.reduce((s, v) => s + v, 0);
  const sc = current.reduce((s, v) => s + v, 0);
  let total = 0;
  for (let k = 0; k < reference.length; k++) {
    const r = reference[k]! / sr || PSI_EMPTY_SHARE;
    const c = current[k]! / sc || PSI_EMPTY_SHARE;
    total += (c - r) * Math.log(c / r);
  }
  return total;
}

/**
 * Equal-width bin edges over the pooled samples with Sturges' rule (NumPy's
 * `histogram_bin_edges(pooled, "sturges")`, as Evidently bins numeric columns for JS and PSI).
 */
export function sturgesEdges(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const s of [a, b])
    for (let k = 0; k < s.length; k++) {
      lo = Math.min(lo, s[k]!);
      hi = Math.max(hi, s[k]!);
    }
  const bins = Math.ceil(Math.log2(a.length + b.length)) + 1;
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  return Array.from({ length: bins + 1 }, (_, k) => lo + ((hi - lo) * k) / bins);
}

/** Counts per bin, NumPy's convention: [e_k, e_k+1) except the last bin, which is closed. */
export function binCounts(values: ArrayLike<number>, edges: readonly number[]): number[] {
  const bins = edges.length - 1;
  const counts = new Array<number>(bins).fill(0);
  const lo = edges[0]!;
  const hi = edges[bins]!;
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    if (v < lo || v > hi) continue;
    // Equal-width bins: the index is arithmetic, then nudged for rounding at the edges.
    let b = Math.min(bins - 1, Math.floor(((v - lo) / (hi - lo)) * bins));
    while (b > 0 && v < edges[b]!) b--;
    while (b < bins - 1 && v >= edges[b + 1]!) b++;
    counts[b]! += 1;
  }
  return counts;
}
