import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chiSquareGof, jensenShannon, ks2, psi, sturgesEdges, wasserstein1, zTestProportions } from "../../src/monitor/index.js";
import { binCounts, kolmogorovSf } from "../../src/monitor/stats.js";

interface Spec {
  n: number;
  seed: number;
  mean?: number;
  sd?: number;
  decimals?: number;
}

/** The reference script's xorshift32 + Box–Muller, reproduced bit for bit. */
function normal({ n, seed, mean = 0, sd = 1, decimals }: Spec): number[] {
  let x = seed >>> 0;
  const next = () => {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    return x;
  };
  const out: number[] = [];
  while (out.length < n) {
    const u1 = (next() + 0.5) / 2 ** 32;
    const u2 = (next() + 0.5) / 2 ** 32;
    const v = mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    out.push(decimals === undefined ? v : Math.round(v * 10 ** decimals) / 10 ** decimals);
  }
  return out;
}

// Made by test/fixtures/monitor/make_reference.py with SciPy and NumPy.
// Each case carries the fields of its test only.
interface Case {
  test: string;
  name: string;
  a: Spec;
  b: Spec;
  method: string;
  statistic: number;
  pValue: number;
  distance: number;
  reference: number[];
  current: number[];
  p: number[];
  q: number[];
  bins: number;
  psi: number;
  hits1: number;
  n1: number;
  hits2: number;
  n2: number;
}
const reference = JSON.parse(readFileSync("test/fixtures/monitor/scipy-reference.json", "utf8")) as { cases: Case[] };
const cases = (test: string) => reference.cases.filter((c) => c.test === test);

describe("drift statistics against SciPy", () => {
  it.each(cases("ks").map((c) => [c.name, c]))("%s", (_name, c) => {
    const r = ks2(normal(c.a), normal(c.b));
    expect(r.statistic).toBeCloseTo(c.statistic, 12);
    expect(r.method).toBe(c.method === "exact" ? "exact" : "asymptotic");
    // The exact lattice count matches SciPy's to rounding; the asymptotic form is Stephens' approximation.
    if (c.method === "exact") expect(Math.abs(r.pValue! - c.pValue)).toBeLessThan(1e-10);
    else expect(Math.abs(r.pValue! - c.pValue)).toBeLessThan(2e-3);
  });

  it.each(cases("wasserstein").map((c) => [c.name, c]))("%s", (_name, c) => {
    expect(wasserstein1(normal(c.a), normal(c.b))).toBeCloseTo(c.distance, 12);
  });

  it.each(cases("chisquare").map((c) => [c.name, c]))("%s", (_name, c) => {
    const r = chiSquareGof(c.reference, c.current);
    expect(r.statistic).toBeCloseTo(c.statistic, 10);
    expect(r.pValue!).toBeCloseTo(c.pValue, 12);
  });

  it.each(cases("jensenshannon").map((c) => [c.name, c]))("%s", (_name, c) => {
    expect(jensenShannon(c.p, c.q)).toBeCloseTo(c.distance, 12);
  });

  it("PSI over Sturges bins of the pooled sample, as Evidently bins", () => {
    const [c] = cases("psi");
    const a = normal(c!.a);
    const b = normal(c!.b);
    const edges = sturgesEdges(a, b);
    expect(edges.length - 1).toBe(c!.bins);
    expect(psi(binCounts(a, edges), binCounts(b, edges))).toBeCloseTo(c!.psi, 10);
  });

  it("two-proportion z-test", () => {
    const [c] = cases("z");
    const r = zTestProportions(c!.hits1, c!.n1, c!.hits2, c!.n2);
    expect(r.statistic).toBeCloseTo(c!.statistic, 12);
    expect(r.pValue!).toBeCloseTo(c!.pValue, 12);
  });
});

describe("drift statistics: properties", () => {
  const sample = fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 40 });

  it("KS: D in [0,1], p in [0,1], symmetric, 0 and p=1 for identical samples", () => {
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const ab = ks2(a, b);
        const ba = ks2(b, a);
        expect(ab.statistic).toBeGreaterThanOrEqual(0);
        expect(ab.statistic).toBeLessThanOrEqual(1);
        expect(ab.pValue!).toBeGreaterThanOrEqual(0);
        expect(ab.pValue!).toBeLessThanOrEqual(1);
        expect(ab.statistic).toBe(ba.statistic);
        expect(ab.pValue!).toBeCloseTo(ba.pValue!, 12);
        const same = ks2(a, a);
        expect(same.statistic).toBe(0);
        expect(same.pValue).toBe(1);
      }),
    );
  });

  it("Wasserstein: symmetric, zero on itself, equals the mean sorted difference for equal sizes", () => {
    fc.assert(
      fc.property(sample, fc.integer({ min: -5, max: 5 }), (a, shift) => {
        const b = a.map((v) => v + shift);
        expect(wasserstein1(a, b)).toBeCloseTo(Math.abs(shift), 9);
        expect(wasserstein1(a, a)).toBe(0);
        const c = [...a].reverse().map((v) => v * 2);
        const sa = [...a].sort((x, y) => x - y);
        const sc = [...c].sort((x, y) => x - y);
        const mean = sa.reduce((s, v, i) => s + Math.abs(v - sc[i]!), 0) / a.length;
        expect(wasserstein1(a, c)).toBeCloseTo(mean, 9);
        expect(wasserstein1(c, a)).toBeCloseTo(mean, 9);
      }),
    );
  });

  it("Jensen–Shannon is in [0, √ln 2] and PSI is non-negative", () => {
    const counts = fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 2, maxLength: 8 });
    fc.assert(
      fc.property(counts, counts, (p0, q0) => {
        const k = Math.min(p0.length, q0.length);
        const p = p0.slice(0, k);
        const q = q0.slice(0, k);
        fc.pre(p.some((v) => v > 0) && q.some((v) => v > 0));
        const js = jensenShannon(p, q);
        expect(js).toBeGreaterThanOrEqual(0);
        expect(js).toBeLessThanOrEqual(Math.sqrt(Math.LN2) + 1e-12);
        expect(psi(p, q)).toBeGreaterThanOrEqual(-1e-12);
      }),
    );
  });

  it("the Kolmogorov tail falls from 1 to 0", () => {
    expect(kolmogorovSf(0, 100)).toBe(1);
    expect(kolmogorovSf(0.5, 100)).toBeLessThan(1e-9);
    expect(kolmogorovSf(0.1, 100)).toBeGreaterThan(kolmogorovSf(0.15, 100));
  });
});
