/**
 * The pure parts of the gateway rate bench (bench/gateway.bench.ts, BENCH_PART=rate): a seeded order of
 * paths per round, and statistics over rounds of each path's latency added to the same round's direct
 * route. Kept apart so they can be tested without servers.
 */

/** The project's seeded PRNG (mulberry32), under the name the rate bench uses. */
export { prng as seededRandom } from "../src/core/random.js";

/** A shuffled copy (Fisher–Yates): every order equally likely for a uniform `random`. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The q-quantile (0..1) of unsorted values, linearly interpolated between order statistics (R type 7). */
export function quantileOf(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const s = values.slice().sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  // Exactly on an order statistic: no interpolation (which would turn an unanswered run's Infinity into NaN).
  if (h === lo) return s[lo]!;
  const a = s[lo]!;
  const b = s[lo + 1]!;
  return a === b ? a : a + (h - lo) * (b - a);
}

/** Latency quantiles of one measurement: p50, p99, p99.9 (ms). */
export type Quantiles = [number, number, number];

/** One round at one rate: the direct route at its start and end, and every other path once. */
export interface Round {
  directStart: Quantiles;
  directEnd: Quantiles;
  /** Quantiles by path key. */
  paths: Record<string, Quantiles>;
  /** Path keys in the order they ran (between the two direct runs). */
  order: string[];
}

/**
 * A path's latency added to its round's direct route: the path minus the mean of the direct route's two
 * runs. A path run with unanswered requests (Infinity) adds Infinity; a finite path against a direct
 * route that itself left requests unanswered has no reference (NaN, left out of the statistics).
 */
export function addedInRound(round: Round, key: string): Quantiles {
  const p = round.paths[key]!;
  return p.map((x, i) => {
    if (x === Number.POSITIVE_INFINITY) return x;
    const direct = (round.directStart[i]! + round.directEnd[i]!) / 2;
    return Number.isFinite(direct) ? x - direct : Number.NaN;
  }) as Quantiles;
}

export interface Spread {
  median: number;
  q1: number;
  q3: number;
  /** The largest value over rounds. */
  worst: number;
}

/** Over the values that are numbers (NaN = no reference that round, left out; Infinity = unanswered requests, kept). */
export function spreadOf(all: readonly number[]): Spread {
  const values = all.filter((x) => !Number.isNaN(x));
  return {
    median: quantileOf(values, 0.5),
    q1: quantileOf(values, 0.25),
    q3: quantileOf(values, 0.75),
    worst: values.length ? Math.max(...values) : Number.NaN,
  };
}

export interface PathSummary {
  key: string;
  rounds: number;
  /** Added p50, p99, p99.9 over rounds. */
  added: [Spread, Spread, Spread];
  /** Rounds whose added p99 is at most `limitMs`. */
  p99Within: number;
}

/**
 * Per path, over rounds: median, quartiles and worst round of the added p50/p99/p99.9, and how many
 * rounds kept the added p99 within limitMs.
 */
export function summarise(rounds: readonly Round[], limitMs = 2): PathSummary[] {
  const keys = [...new Set(rounds.flatMap((r) => Object.keys(r.paths)))];
  return keys.map((key) => {
    const added = rounds.filter((r) => key in r.paths).map((r) => addedInRound(r, key));
    return {
      key,
      rounds: added.length,
      added: [0, 1, 2].map((i) => spreadOf(added.map((a) => a[i]!))) as PathSummary["added"],
      p99Within: added.filter((a) => a[1] <= limitMs).length,
    };
  });
}

/**
 * The noise floor of a round: how far the direct route's two runs (start and end) are apart, per
 * quantile. A difference between paths smaller than this is not a difference.
 */
export function directSpread(rounds: readonly Round[]): [Spread, Spread, Spread] {
  return [0, 1, 2].map((i) => spreadOf(rounds.map((r) => Math.abs(r.directEnd[i]! - r.directStart[i]!)))) as [Spread, Spread, Spread];
}

/**
 * Added latency by position in the round (1 = first path after the direct route), pooled over paths:
 * with shuffled orders every path visits every position, so a position effect shows here and is
 * spread evenly over the paths instead of deciding between them.
 */
export function byPosition(rounds: readonly Round[], quantile: 0 | 1 | 2 = 1): Spread[] {
  const at: number[][] = [];
  for (const r of rounds)
    r.order.forEach((key, i) => {
      at[i] ??= [];
      at[i].push(addedInRound(r, key)[quantile]);
    });
  return at.map((xs) => spreadOf(xs));
}

export interface Paired {
  /** Rounds where both paths have a finite or infinite added p99 (NaN rounds left out). */
  rounds: number;
  /** Rounds where `a`'s added p99 is strictly lower than `b`'s. */
  aLower: number;
  /** Median over rounds of a − b (added p99, ms); Infinity − Infinity counts as 0. */
  medianDiff: number;
  /** One-sided sign-test p-value for "a is lower" (ties dropped): P(X ≥ aLower) for X ~ Binomial(n, ½). */
  p: number;
}

/**
 * Path `a` against path `b` round by round (the same round's direct route, the same minute of the
 * machine): in how many rounds a's added p99 is lower, and a sign test. Pairing removes the drift
 * between rounds that makes two paths' interquartile ranges overlap even when one is lower every time.
 */
export function paired(rounds: readonly Round[], a: string, b: string, quantile: 0 | 1 | 2 = 1): Paired {
  const diffs: number[] = [];
  for (const r of rounds) {
    if (!(a in r.paths) || !(b in r.paths)) continue;
    const x = addedInRound(r, a)[quantile];
    const y = addedInRound(r, b)[quantile];
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    diffs.push(x === y ? 0 : x - y);
  }
  const aLower = diffs.filter((d) => d < 0).length;
  const n = diffs.filter((d) => d !== 0).length;
  return { rounds: diffs.length, aLower, medianDiff: quantileOf(diffs, 0.5), p: signTestP(aLower, n) };
}

/** P(X ≥ k) for X ~ Binomial(n, ½). */
export function signTestP(k: number, n: number): number {
  let choose = 1;
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    if (i >= k) sum += choose;
    choose = (choose * (n - i)) / (i + 1);
  }
  return n === 0 ? 1 : sum / 2 ** n;
}
