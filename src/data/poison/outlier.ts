import { finiteSample, quantileSelect, summarize } from "./stats.js";
import type { Table } from "./table.js";

/**
 * Multivariate-aware outlier scores for a table judged on its own rows (no baseline):
 * skew-aware robust z per column, a robust Mahalanobis distance, and the caller's isolation forest,
 * each put on one scale and combined by their maximum.
 */

/** Per-side robust scales (double MAD) with a fallback for a side whose MAD is 0. */
interface SideStats {
  median: number;
  lower: number;
  upper: number;
  /** Natural tail of each side: 90th percentile of that side's z (≈ 1.645 for a normal column). */
  tailLower: number;
  tailUpper: number;
  /** 1st and 99th percentiles: a value beyond them is scored by how far past them it lies. */
  qLow: number;
  qHigh: number;
  /**
   * Few-valued columns (MAD 0 or at most 10 distinct values): z equivalent of each recurring value's
   * rarity. A natural rare 1 in a column of 0s is rare, not far: it must not take a z on a near-zero scale.
   */
  rare?: Map<number, number>;
  /** Few-valued columns: the step between recurring values (1 for one recurring integer) and their range. */
  grid?: { origin: number; step: number; min: number; max: number };
  /**
   * Near-constant column (one value on ≥ 97 % of rows): any other value is a rare event, and its
   * distance on the column's near-zero scale means little, so it is capped (see NEAR_CONSTANT_CAP).
   */
  mode?: number;
  /**
   * Whole-number column (session 20): counts, codes, years — the grid step (1, or 0.5 where the few
   * fractions are halves) that all but 2 % of the values sit on. A value off it cannot be a count.
   */
  whole?: number;
}

/**
 * z above this is compressed (logarithmically, towards 50) rather than cut: a hard cap made ties, and
 * on a wide table with few rows (751 columns, 252 rows) a tenth of the rows sat on the cap together, so
 * neither the budget (which never splits a tie) nor a ranking could tell them apart (session 7).
 */
const Z_SOFT = 25;

/** Order-preserving compression of large z into (25, 50). */
export function compressZ(z: number): number {
  if (!(z > Z_SOFT)) return z;
  return 2 * Z_SOFT - Z_SOFT / (1 + Math.log(z / Z_SOFT));
}

/** Values used for a column's statistics: a systematic sample keeps big tables cheap (quantile error ≪ 1 %). */
const STATS_SAMPLE = 50_000;

/** Double MAD: 1.4826 × median |x − med| over the values below (resp. above) the median. */
export function sideStats(values: Float64Array): SideStats | undefined {
  const s = finiteSample(values, STATS_SAMPLE);
  if (s.length < 5) return undefined;
  const base = summarize(s);
  const median = base.median;
  let nl = 0;
  let nu = 0;
  for (const v of s)
    if (v < median) nl++;
    else if (v > median) nu++;
  const lo = new Float64Array(nl);
  const up = new Float64Array(nu);
  let a = 0;
  let b = 0;
  for (const v of s)
    if (v < median) lo[a++] = median - v;
    else if (v > median) up[b++] = v - median;
  // A side with few distinct deviations (a discrete column piled on its median) takes the column's
  // overall robust scale; a constant column gets a tiny scale so any other value stands out.
  const fallback = base.scale > 0 ? base.scale : Math.max(Math.abs(median) * 1e-6, 1e-9);
  const side = (d: Float64Array) => {
    // Most values at the median itself: the side's MAD would rest on a handful of rows.
    if (d.length < 0.1 * s.length || d.length < 3) return fallback;
    const m = 1.4826 * quantileSelect(d, 0.5);
    return m > 0 ? m : fallback;
  };
  const lower = side(lo);
  const upper = side(up);
  // lo/up were reordered by the MAD selection; their values (deviations) are intact.
  const tail = (d: Float64Array, scale: number) => {
    if (d.length < 10) return 1.645;
    const q = quantileSelect(d, 0.9) / scale;
    let f = Number.isFinite(q) ? q : 1.645;
    // With enough values the 99th percentile shows a heavier tail than the 90th can (amounts, counts,
    // areas spanning orders of magnitude): take whichever of the two is further out than a normal's.
    if (d.length >= 100) {
      const far = quantileSelect(d, 0.99) / scale;
      if (Number.isFinite(far)) f = Math.max(f, (far * 1.645) / 2.326);
    }
    return f;
  };
  const qLow = quantileSelect(s, 0.01);
  const qHigh = quantileSelect(s, 0.99);
  const few = rarity(s, base.mad === 0);
  return {
    median,
    lower,
    upper,
    tailLower: tail(lo, lower),
    tailUpper: tail(up, upper),
    qLow,
    qHigh,
    ...few,
    // A near-constant column keeps session 8's rules (its one-off values may be measurements).
    ...(few.mode === undefined ? wholeStep(s) : {}),
  };
}

/** Share of a column's values that may lie off its whole (or half) grid while it still counts as a count column. */
const WHOLE_TOLERANCE = 0.02;

/**
 * The grid of a whole-number column, or 0: 1 when at most WHOLE_TOLERANCE of its values carry a
 * fraction and at least two distinct whole values occur (counts of lines, operators, visits; years);
 * 0.5 when most of its fractional values are halves (wine's sulfur dioxide: 11.5, 30.5 among whole
 * milligrams), so that those stay on the grid. The tolerance leaves room for the few values a poisoner
 * wrote into it (3 % of rows in 1–3 of k columns: 1.2–2 % of a column on set Q's 5–7-column tables).
 */
function wholeStep(s: Float64Array): { whole?: number } {
  const step = wholeGrid(s);
  return step > 0 ? { whole: step } : {};
}

function wholeGrid(s: Float64Array): number {
  let fractional = 0;
  let offHalves = 0;
  let first = Number.NaN;
  let second = false;
  for (const v of s) {
    if (!Number.isInteger(v)) {
      fractional++;
      if (!Number.isInteger(2 * v)) offHalves++;
    } else if (Number.isNaN(first)) first = v;
    else if (v !== first) second = true;
  }
  if (!second) return 0;
  const allowed = WHOLE_TOLERANCE * s.length;
  if (fractional <= allowed) return offHalves <= 0.5 * fractional && fractional > 0 ? 0.5 : 1;
  return offHalves <= allowed && offHalves <= 0.5 * fractional ? 0.5 : 0;
}

/**
 * z given to a fractional value in a whole-number column (session 20), before its own distance: a
 * count cannot be 7.85, so such a value outranks a column's natural extremes (z 3.5–6 in heavy-tailed
 * count tables) wherever it sits. On set Q's code-metric tables an outlier moved up into a count
 * column's long tail (3,680 → 77,529 where the 99th percentile is 3,008,099) had no other sign.
 */
const OFF_COUNT_GRID_Z = 7;

/** The z of a value off a whole-number column's grid: at least OFF_COUNT_GRID_Z, in order of its own z. */
function offCountGrid(v: number, z: number, st: SideStats): number {
  if (!st.whole || Number.isInteger(v / st.whole)) return z;
  return Math.max(z, OFF_COUNT_GRID_Z + Math.min(z, Z_SOFT) / Z_SOFT);
}

/** Rarity z of a value seen in share p of rows: the two-sided normal quantile, capped below the threshold. */
export function rarityZ(p: number): number {
  return Math.min(RARE_CAP, normalQuantile(1 - p / 2));
}

/** A recurring value of a few-valued column never scores above this by its rarity alone (threshold 3.5). */
const RARE_CAP = 3;

const FEW_VALUES = 10;

function rarity(s: Float64Array, madZero: boolean): Pick<SideStats, "rare" | "grid" | "mode"> {
  const counts = new Map<number, number>();
  for (const v of s) {
    counts.set(v, (counts.get(v) ?? 0) + 1);
    if (!madZero && counts.size > FEW_VALUES) return {};
  }
  let mode = Number.NaN;
  let top = 0;
  for (const [v, c] of counts)
    if (c > top) {
      top = c;
      mode = v;
    }
  const near = top >= NEAR_CONSTANT_SHARE * s.length ? { mode } : {};
  const rare = new Map<number, number>();
  // A value seen once may be the injected one itself: only recurring values earn the rarity score.
  for (const [v, c] of counts) if (c >= 2) rare.set(v, rarityZ(c / s.length));
  const seen = [...rare.keys()].sort((a, b) => a - b);
  if (seen.length === 0) return { rare, ...near };
  let step = Number.POSITIVE_INFINITY;
  for (let k = 1; k < seen.length; k++) step = Math.min(step, seen[k]! - seen[k - 1]!);
  // One recurring value: a grid only if it is a whole number (codes, counts, flags).
  if (!Number.isFinite(step)) step = Number.isInteger(seen[0]!) ? 1 : Number.NaN;
  if (!(step > 0)) return { rare, ...near };
  return { rare, grid: { origin: seen[0]!, step, min: seen[0]!, max: seen[seen.length - 1]! }, ...near };
}

/** Inverse standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return Number.NEGATIVE_INFINITY;
  if (p >= 1) return Number.POSITIVE_INFINITY;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lowP = 0.02425;
  if (p < lowP) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - lowP) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

export function sideZ(v: number, st: SideStats): number {
  const z = fullZ(v, st);
  return offCountGrid(v, st.mode !== undefined && v !== st.mode && !offGrid(v, st) ? softCap(z) : z, st);
}

/**
 * The same z with the distance inside the column's 1–99 % range capped at the range's edge (z 1.645):
 * only a value past that range, measured in units of the range (or off a coded column's grid), scores
 * higher. Used on wide tables, where the robust-scale part saturates: with hundreds of columns whose
 * MAD is small beside their range (image pixels near the background, skewed intensities), most clean
 * rows hold some value at z ≥ 17.5 by that scale, while an injected value lands past the range itself.
 */
export function edgeZ(v: number, st: SideStats): number {
  // Off a coded column's grid, or in a column with no 1–99 % spread (one value on ≥ 98 % of rows),
  // there is no range to be past: the full z, with its near-constant cap, stays.
  if (offGrid(v, st) || !(st.qHigh > st.qLow)) return sideZ(v, st);
  const z = fullZ(v, st, BEYOND_EDGE_Z);
  return offCountGrid(v, st.mode !== undefined && v !== st.mode ? softCap(z) : z, st);
}

/**
 * The near-constant cap, kept order-preserving (session 8): above 4.5 a z is compressed into (4.5, 5)
 * instead of cut. Still below any far value in a column with spread, but among capped values the one
 * further from the mode ranks first; a hard cap tied them all (set F's grants: injected values in
 * constant columns tied with natural one-offs, and the budget, which never splits a tie, left them out).
 */
function softCap(z: number): number {
  if (!(z > NEAR_CONSTANT_CAP)) return z;
  return NEAR_CONSTANT_CAP + 0.5 * (1 - 1 / (1 + Math.log(z / NEAR_CONSTANT_CAP)));
}

/**
 * A value off the grid of a coded column (a 0.37 or −1.8 in a 0/1 or count column with at least two
 * recurring values) is no rare category: such a column cannot hold it naturally, so the near-constant
 * cap does not apply (session 8). On wide coded tables most columns are 0 on ≥ 97 % of rows, and under
 * the cap such values tied with every natural 1. A column with a single recurring value keeps the cap:
 * its one-off values (a −1.5 among 0s in an ECG table) are measurements, not codes.
 */
function offGrid(v: number, st: SideStats): boolean {
  const g = st.grid;
  if (!g || !st.rare || st.rare.size < 2) return false;
  const k = (v - g.origin) / g.step;
  return Math.abs(k - Math.round(k)) > 1e-6;
}

/** Share of rows on one value from which a column counts as near-constant. */
const NEAR_CONSTANT_SHARE = 0.97;
/**
 * Where a value other than a near-constant column's mode is capped (softly, below 5, since session 8). On wide ECG-like tables
 * most columns are 0 on 97–100 % of rows and their few natural non-zero values took z 15–50 on a
 * near-zero scale, outranking values far outside columns with a real spread; above the 3.5
 * threshold, so such a value alone is still flagged when the budget has room.
 */
const NEAR_CONSTANT_CAP = 4.5;

function fullZ(v: number, st: SideStats, coreCap = Number.POSITIVE_INFINITY): number {
  // A side with heavy natural tails (its own 90th percentile z above 1.645) is scaled down so that
  // its ordinary extremes do not outrank a value far outside any column's range.
  let z = v < st.median ? (st.median - v) / st.lower / Math.max(1, st.tailLower / 1.645) : (v - st.median) / st.upper / Math.max(1, st.tailUpper / 1.645);
  z = Math.min(z, coreCap);
  if (st.rare) {
    // Few-valued column: a recurring value is scored by its rarity alone (its percentiles sit on the
    // column's few values, so a distance past them means nothing).
    const r = st.rare.get(v);
    if (r !== undefined) return Math.min(z, r);
    if (st.grid) {
      // A one-off value on the column's grid (a 1 among 0s, a code seen once) is a rare category, and
      // more so the more steps it lies beyond the recurring values; one off the grid keeps its z.
      const g = st.grid;
      const k = (v - g.origin) / g.step;
      if (Math.abs(k - Math.round(k)) < 1e-6) {
        const beyond = v > g.max ? (v - g.max) / g.step : v < g.min ? (g.min - v) / g.step : 0;
        return compressZ(Math.min(z, RARE_CAP + Math.max(0, beyond - 1)));
      }
    }
  }
  // Beyond the 1st/99th percentile: distance past it in units of the column's 1–99 % spread, on the
  // scale a normal column would give (its spread is 4.65 SD), so a wide side cannot hide a far value.
  // The edge itself counts as z 1.645, not a normal's 2.326: on the development tables 2.326 raised
  // every column's top 1 % enough to fill the cap on clean tables (mean flagged 2.6 % → 3.3 %).
  const spread = st.qHigh - st.qLow;
  if (spread > 0) {
    const past = v > st.qHigh ? v - st.qHigh : v < st.qLow ? st.qLow - v : 0;
    if (past > 0) z = Math.max(z, BEYOND_EDGE_Z + (BEYOND_SPREAD * past) / spread);
  }
  return compressZ(z);
}

const BEYOND_EDGE_Z = 1.645;
const BEYOND_SPREAD = 4.652;

/**
 * Skew-aware robust z per row: the largest side-scaled z over numeric columns; with a label, the
 * smallest such value over classes (a multi-modal column or a flipped label is not an outlier).
 */
export function skewAwareZ(table: Table): { maxZ: Float64Array; column: Int32Array } {
  const numeric = table.columns.flatMap((c, ci) => (c.kind === "numeric" ? [{ ci, values: c.values }] : []));
  const groups: Int32Array[] = [];
  const label = table.label;
  if (label) {
    const byClass = label.levels.map(() => [] as number[]);
    for (let i = 0; i < table.n; i++) if (label.codes[i]! >= 0) byClass[label.codes[i]!]!.push(i);
    for (const rows of byClass) if (rows.length >= 20) groups.push(Int32Array.from(rows));
  }
  const maxZ = new Float64Array(table.n).fill(Number.POSITIVE_INFINITY);
  const column = new Int32Array(table.n).fill(-1);
  const worst = new Float64Array(table.n);
  const at = new Int32Array(table.n);
  const references: Array<Int32Array | undefined> = groups.length > 0 ? groups : [undefined];
  let globalZ: { maxZ: Float64Array; column: Int32Array } | undefined;
  // With classes the row also gets the z against all rows: a value outside every class's range
  // (below a column's minimum, say) stays visible even when one class is wide in that column.
  if (groups.length > 0) globalZ = skewAwareZ({ ...table, label: undefined } as Table);
  for (const rows of references) {
    worst.fill(0);
    at.fill(-1);
    for (const c of numeric) {
      let values = c.values;
      if (rows) {
        const step = Math.max(1, rows.length / STATS_SAMPLE);
        values = new Float64Array(Math.min(rows.length, STATS_SAMPLE));
        for (let j = 0; j < values.length; j++) values[j] = c.values[rows[Math.floor(j * step)]!]!;
      }
      const st = sideStats(values);
      if (!st) continue;
      const v = c.values;
      for (let i = 0; i < table.n; i++) {
        const x = v[i]!;
        if (!Number.isFinite(x)) continue;
        const z = sideZ(x, st);
        if (z > worst[i]!) {
          worst[i] = z;
          at[i] = c.ci;
        }
      }
    }
    for (let i = 0; i < table.n; i++)
      if (worst[i]! < maxZ[i]!) {
        maxZ[i] = worst[i]!;
        column[i] = at[i]!;
      }
  }
  for (let i = 0; i < table.n; i++) {
    if (!Number.isFinite(maxZ[i]!)) maxZ[i] = 0;
    if (globalZ && globalZ.maxZ[i]! > maxZ[i]!) {
      maxZ[i] = globalZ.maxZ[i]!;
      column[i] = globalZ.column[i]!;
    }
  }
  return { maxZ, column };
}

/**
 * Robust Mahalanobis distance of every row (X: n × d, row-major, already robustly standardised),
 * with a covariance from the most central rows refined by MCD concentration steps (Rousseeuw & Van
 * Driessen): start from the h = 75 % rows with the smallest max |x|, fit mean and covariance (shrunk
 * towards its diagonal when rows are few), keep the h rows with the smallest distance, repeat.
 * Returns sqrt(d²) divided by sqrt of the χ²_d 97.5 % quantile (about 1 at the edge of normal data).
 */
export function robustDistance(X: Float64Array, n: number, d: number, rows?: Int32Array, steps = 3): Float64Array {
  const out = new Float64Array(n).fill(Number.NaN);
  const fit = robustFit(X, n, d, rows, steps);
  if (!fit) return out;
  const q = chi2Quantile975(d);
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(mahalanobis2(X, d, i, fit.mean, fit.L) / q);
  return out;
}

/** A robust Gaussian fit: mean and Cholesky factor of the covariance (see robustDistance). */
export interface RobustFit {
  mean: Float64Array;
  L: Float64Array;
  d: number;
}

/** The MCD-style fit behind robustDistance, on `rows` (default all), or undefined when rows are too few. */
export function robustFit(X: Float64Array, n: number, d: number, rows?: Int32Array, steps = 3): RobustFit | undefined {
  let use = rows ?? Int32Array.from({ length: n }, (_, i) => i);
  // The concentration steps run on an evenly spaced subsample of a big table; every row is scored once at the end.
  if (use.length > MCD_SAMPLE) {
    const step = use.length / MCD_SAMPLE;
    use = Int32Array.from({ length: MCD_SAMPLE }, (_, k) => use[Math.floor(k * step)]!);
  }
  const m = use.length;
  if (d === 0 || m < d + 5) return undefined;
  const h = Math.max(d + 1, Math.floor(0.75 * m));
  const key = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    let w = 0;
    const r = use[j]! * d;
    for (let f = 0; f < d; f++) w = Math.max(w, Math.abs(X[r + f]!));
    key[j] = w;
  }
  let subset = central(key, use, h);
  for (let s = 0; ; s++) {
    const fit = fitGaussian(X, d, subset, h / m);
    if (!fit) return undefined;
    if (s === steps) return { ...fit, d };
    for (let j = 0; j < m; j++) key[j] = mahalanobis2(X, d, use[j]!, fit.mean, fit.L);
    subset = central(key, use, h);
  }
}

const MCD_SAMPLE = 20_000;

/** The h rows of `use` with the smallest keys. */
function central(key: Float64Array, use: Int32Array, h: number): Int32Array {
  const cut = quantileSelect(key.slice(), (h - 1) / Math.max(1, key.length - 1));
  const out = new Int32Array(h);
  let k = 0;
  for (let j = 0; j < key.length && k < h; j++) if (key[j]! < cut) out[k++] = use[j]!;
  for (let j = 0; j < key.length && k < h; j++) if (key[j]! === cut) out[k++] = use[j]!;
  return out.subarray(0, k);
}

/** Mean and Cholesky factor of the (shrunk, consistency-corrected) covariance of the given rows. */
function fitGaussian(X: Float64Array, d: number, rows: Int32Array, share: number): { mean: Float64Array; L: Float64Array } | undefined {
  const m = rows.length;
  const mean = new Float64Array(d);
  for (const r of rows) for (let f = 0; f < d; f++) mean[f]! += X[r * d + f]!;
  for (let f = 0; f < d; f++) mean[f]! /= m;
  const S = new Float64Array(d * d);
  const dev = new Float64Array(d);
  for (const r of rows) {
    for (let f = 0; f < d; f++) dev[f] = X[r * d + f]! - mean[f]!;
    for (let a = 0; a < d; a++) {
      const da = dev[a]!;
      if (da === 0) continue;
      for (let b = 0; b <= a; b++) S[a * d + b]! += da * dev[b]!;
    }
  }
  // Shrink towards the diagonal (more when rows are few per feature) so the matrix stays invertible.
  const lambda = Math.min(0.5, d / m + 0.01);
  // A covariance of the central share of rows underestimates the spread: rescale so that
  // the median distance matches χ²_d's median (done approximately via the share kept).
  const consistency = 1 / Math.max(0.3, share);
  for (let a = 0; a < d; a++)
    for (let b = 0; b <= a; b++) {
      let v = S[a * d + b]! / Math.max(1, m - 1);
      if (a !== b) v *= 1 - lambda;
      v *= consistency;
      S[a * d + b] = v;
      S[b * d + a] = v;
    }
  for (let a = 0; a < d; a++) S[a * d + a] = Math.max(S[a * d + a]!, 1e-6);
  return cholesky(S, d) ? { mean, L: S } : undefined;
}

/**
 * In-place Cholesky (lower triangle); false if the matrix is not positive definite (a pivot at or below
 * `floor`).
 */
export function cholesky(A: Float64Array, d: number, floor = 0): boolean {
  for (let j = 0; j < d; j++) {
    let s = A[j * d + j]!;
    for (let k = 0; k < j; k++) s -= A[j * d + k]! ** 2;
    if (!(s > floor)) return false;
    const l = Math.sqrt(s);
    A[j * d + j] = l;
    for (let i = j + 1; i < d; i++) {
      let t = A[i * d + j]!;
      for (let k = 0; k < j; k++) t -= A[i * d + k]! * A[j * d + k]!;
      A[i * d + j] = t / l;
    }
  }
  return true;
}

const solveBuf = new Map<number, Float64Array>();

/** (x − μ)ᵀ Σ⁻¹ (x − μ) by forward substitution with the Cholesky factor. */
function mahalanobis2(X: Float64Array, d: number, i: number, mean: Float64Array, L: Float64Array): number {
  let y = solveBuf.get(d);
  if (!y) {
    y = new Float64Array(d);
    solveBuf.set(d, y);
  }
  let total = 0;
  for (let a = 0; a < d; a++) {
    let t = X[i * d + a]! - mean[a]!;
    for (let k = 0; k < a; k++) t -= L[a * d + k]! * y[k]!;
    t /= L[a * d + a]!;
    y[a] = t;
    total += t * t;
  }
  return total;
}

/** χ²_d 97.5 % quantile by the Wilson–Hilferty approximation (within 1 % for d ≥ 3). */
export function chi2Quantile975(d: number): number {
  const z = 1.959964;
  const a = 2 / (9 * d);
  return d * (1 - a + z * Math.sqrt(a)) ** 3;
}

/** Per row, the largest edgeZ over numeric columns (all rows as the reference) and its column. */
export function edgeScores(table: Table): { maxZ: Float64Array; column: Int32Array } {
  const maxZ = new Float64Array(table.n);
  const column = new Int32Array(table.n).fill(-1);
  table.columns.forEach((c, ci) => {
    if (c.kind !== "numeric") return;
    const st = sideStats(c.values);
    if (!st) return;
    for (let i = 0; i < table.n; i++) {
      const x = c.values[i]!;
      if (!Number.isFinite(x)) continue;
      const z = edgeZ(x, st);
      if (z > maxZ[i]!) {
        maxZ[i] = z;
        column[i] = ci;
      }
    }
  });
  return { maxZ, column };
}
