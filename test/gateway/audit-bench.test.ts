import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addedInRound,
  byPosition,
  directSpread,
  paired,
  type Quantiles,
  quantileOf,
  type Round,
  seededRandom,
  shuffled,
  signTestP,
  summarise,
} from "../../bench/gateway-rounds.js";

// The pure parts of the gateway rate bench (BENCH_PART=rate): the seeded order and the statistics over rounds.
describe("rate bench: seeded order of paths", () => {
  it("the PRNG is reproducible from its seed, differs between seeds, and stays in [0, 1)", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    const c = seededRandom(43);
    expect(Array.from({ length: 1000 }, () => c())).not.toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
    // Roughly uniform: each tenth of [0, 1) gets 100 ± 40 of 1,000 draws.
    const bins = new Array(10).fill(0);
    for (const x of xs) bins[Math.floor(x * 10)]++;
    for (const n of bins) expect(Math.abs(n - 100)).toBeLessThan(40);
  });

  it("a shuffle is a permutation of its input and leaves the input alone", () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.integer(), (items, seed) => {
        const copy = items.slice();
        const out = shuffled(items, seededRandom(seed));
        expect(items).toEqual(copy);
        expect(out.slice().sort((x, y) => x - y)).toEqual(copy.sort((x, y) => x - y));
      }),
    );
  });

  it("puts every path first about equally often (no position is left to one path)", () => {
    const random = seededRandom(7);
    const first = new Map<string, number>();
    for (let i = 0; i < 6000; i++) {
      const k = shuffled(["fsync", "fsync-twin", "serving"], random)[0]!;
      first.set(k, (first.get(k) ?? 0) + 1);
    }
    for (const k of ["fsync", "fsync-twin", "serving"]) expect(Math.abs(first.get(k)! - 2000)).toBeLessThan(150);
    // All six orders of three paths occur.
    const orders = new Set(Array.from({ length: 200 }, () => shuffled(["a", "b", "c"], random).join("")));
    expect(orders.size).toBe(6);
  });
});

describe("rate bench: statistics over rounds", () => {
  it("quantiles interpolate between order statistics (R type 7) and keep an unanswered run's Infinity", () => {
    expect(quantileOf([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantileOf([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(quantileOf([10, 20], 0.75)).toBe(17.5);
    expect(quantileOf([1, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY], 0.5)).toBe(Number.POSITIVE_INFINITY);
    expect(quantileOf([], 0.5)).toBeNaN();
  });

  const q = (p50: number, p99: number, p999: number): Quantiles => [p50, p99, p999];
  const rounds: Round[] = [
    { directStart: q(1, 3, 5), directEnd: q(1, 5, 7), paths: { a: q(2, 5, 8), b: q(1.5, 9, 10) }, order: ["a", "b"] },
    { directStart: q(1, 2, 4), directEnd: q(1, 2, 4), paths: { a: q(1.5, 3, 6), b: q(2, 5, 9) }, order: ["b", "a"] },
    { directStart: q(2, 4, 6), directEnd: q(2, 6, 8), paths: { a: q(3, 8, 9), b: q(2.5, 6, 8) }, order: ["a", "b"] },
  ];

  it("added latency is the path minus the mean of the round's two direct runs", () => {
    expect(addedInRound(rounds[0]!, "a")).toEqual([1, 1, 2]);
    expect(addedInRound(rounds[0]!, "b")).toEqual([0.5, 5, 4]);
  });

  it("charges a path's unanswered requests as Infinity and leaves out rounds whose direct route had none to compare with", () => {
    const inf = Number.POSITIVE_INFINITY;
    const bad: Round[] = [
      { directStart: q(1, 2, 3), directEnd: q(1, 2, 3), paths: { a: q(2, inf, inf) }, order: ["a"] },
      { directStart: q(1, inf, inf), directEnd: q(1, 2, 3), paths: { a: q(3, 5, 6) }, order: ["a"] },
      { directStart: q(1, 2, 3), directEnd: q(1, 2, 3), paths: { a: q(2, 3, 4) }, order: ["a"] },
    ];
    expect(addedInRound(bad[0]!, "a")).toEqual([1, inf, inf]);
    expect(addedInRound(bad[1]!, "a")).toEqual([2, Number.NaN, Number.NaN]);
    const [a] = summarise(bad);
    // Added p99 over rounds: Infinity, (no reference), 1 — two values, so every quantile above the minimum is Infinity.
    expect(a!.added[1]).toEqual({ median: inf, q1: inf, q3: inf, worst: inf });
    expect(a!.rounds).toBe(3);
    expect(a!.p99Within).toBe(1);
  });

  it("summarises each path by median, quartiles and worst round, and counts rounds within the limit", () => {
    const [a, b] = summarise(rounds, 2);
    // a's added p99 per round: 1, 1, 3.
    expect(a).toMatchObject({ key: "a", rounds: 3, p99Within: 2 });
    expect(a!.added[1]).toEqual({ median: 1, q1: 1, q3: 2, worst: 3 });
    // b's added p99 per round: 5, 3, 1.
    expect(b!.added[1]).toEqual({ median: 3, q1: 2, q3: 4, worst: 5 });
    expect(b!.p99Within).toBe(1);
  });

  it("gives the direct route's start-to-end spread as the noise floor, and added p99 by position", () => {
    expect(directSpread(rounds)[1]).toEqual({ median: 2, q1: 1, q3: 2, worst: 2 });
    // Position 1: a (1), b (3), a (3); position 2: b (5), a (1), b (1).
    const pos = byPosition(rounds, 1);
    expect(pos.map((s) => s.median)).toEqual([3, 1]);
    expect(pos.map((s) => s.worst)).toEqual([3, 5]);
  });
});

describe("rate bench: paired comparison of two paths", () => {
  const round = (a: number, b: number, direct = 1): Round => ({
    directStart: [1, direct, 3],
    directEnd: [1, direct, 3],
    paths: { a: [1, a, 3], b: [1, b, 3] },
    order: ["a", "b"],
  });

  it("the sign test's tail matches the binomial tables (16 rounds: 12 → 0.038, 13 → 0.011; 8 of 16 → 0.598)", () => {
    expect(signTestP(12, 16)).toBeCloseTo(0.0384, 4);
    expect(signTestP(13, 16)).toBeCloseTo(0.0106, 4);
    expect(signTestP(8, 16)).toBeCloseTo(0.5982, 4);
    expect(signTestP(0, 5)).toBe(1);
    expect(signTestP(5, 5)).toBeCloseTo(1 / 32, 10);
  });

  it("counts the rounds where a is lower, whatever the drift between rounds", () => {
    // b is 0.5 ms above a in every round, while the rounds themselves drift by 10 ms: the IQRs overlap, the pairing does not.
    const rounds = Array.from({ length: 16 }, (_, i) => round(2 + (i % 4) * 10, 2.5 + (i % 4) * 10, 1 + (i % 3)));
    const p = paired(rounds, "a", "b");
    expect(p).toMatchObject({ rounds: 16, aLower: 16 });
    expect(p.medianDiff).toBeCloseTo(-0.5, 10);
    expect(p.p).toBeCloseTo(1 / 65536, 12);
    // And the other way round: b is never lower.
    expect(paired(rounds, "b", "a")).toMatchObject({ aLower: 0, p: 1 });
  });

  it("drops ties from the sign test, keeps Infinity (unanswered) and leaves out rounds without a reference", () => {
    const rounds = [round(1, 1), round(1, Number.POSITIVE_INFINITY), round(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY), round(1, 2, Number.POSITIVE_INFINITY)];
    const p = paired(rounds, "a", "b");
    // Round 4's direct route left requests unanswered: a and b are NaN there and the round is left out.
    expect(p.rounds).toBe(3);
    expect(p.aLower).toBe(1);
    // Two ties (1 vs 1, ∞ vs ∞) leave one informative round: P(X ≥ 1 | n = 1) = ½.
    expect(p.p).toBe(0.5);
  });

  it("a path compared with itself is never lower and its median difference is 0", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true })), { minLength: 1, maxLength: 30 }), (xs) => {
        const rounds = xs.map(([a, d]) => round(a, a, d));
        const p = paired(rounds, "a", "b");
        expect(p.aLower).toBe(0);
        expect(p.medianDiff).toBe(0);
        expect(p.p).toBe(1);
      }),
    );
  });
});
