import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzeTable, edgeZ, isWide, residualScores, sideStats, sideZ, skewAwareZ, type Table } from "../../src/data/poison/index.js";
import { rng } from "./pii-corpus.js";

function gauss(r: () => number): number {
  let u = 0;
  while (u === 0) u = r();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

function table(columns: Float64Array[]): Table {
  return { n: columns[0]!.length, columns: columns.map((values, j) => ({ name: `f${j + 1}`, kind: "numeric" as const, values })), ignored: [] };
}

/**
 * A wide table like speech or expression features: 40 latent traits, each measured by 10 heavy-tailed
 * columns (log-normal of the trait plus noise), 200 rows. Eight rows get one value moved to the
 * column's median + U(5, 10) robust SDs, as scripts/poison-inject.py does.
 */
function wideTable(seed: number): { t: Table; injected: Set<number> } {
  const r = rng(seed);
  const n = 200;
  const columns: Float64Array[] = [];
  const traits = Array.from({ length: 40 }, () => Float64Array.from({ length: n }, () => gauss(r)));
  for (const f of traits) for (let k = 0; k < 10; k++) columns.push(Float64Array.from(f, (x) => Math.exp(2 * (x + 0.25 * gauss(r)))));
  const injected = new Set<number>();
  while (injected.size < 8) injected.add(Math.floor(r() * n));
  for (const i of injected) {
    const c = columns[Math.floor(r() * columns.length)]!;
    const sorted = Float64Array.from(c).sort();
    const med = sorted[n >> 1]!;
    const mad = 1.4826 * Float64Array.from(c, (x) => Math.abs(x - med)).sort()[n >> 1]!;
    c[i] = med + (5 + 5 * r()) * mad;
  }
  return { t: table(columns), injected };
}

function rankOf(scores: Float64Array, rows: Set<number>): number[] {
  const order = Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]!);
  return [...rows].map((i) => order.indexOf(i));
}

describe("wide tables: residuals against correlated columns", () => {
  it("shape rule: ≥ 100 numeric columns and at least half as many as rows", () => {
    const cols = (d: number, n: number) => table(Array.from({ length: d }, () => new Float64Array(n)));
    expect(isWide(cols(400, 200))).toBe(true);
    expect(isWide(cols(100, 200))).toBe(true);
    expect(isWide(cols(99, 100))).toBe(false);
    expect(isWide(cols(150, 1000))).toBe(false);
  });

  it("a value that breaks from its sibling columns ranks above heavy-tailed natural extremes", () => {
    // Over three seeds (24 moved values, a 10-row budget each): the residual ranking puts 13 of them in
    // the budget, the largest per-column z 1 (the natural tails outrank the moved values).
    let residualHits = 0;
    let maxZHits = 0;
    let flaggedHits = 0;
    for (const seed of [1, 2, 3]) {
      const { t, injected } = wideTable(seed);
      const cap = Math.floor(0.05 * t.n);
      const residual = residualScores(t);
      expect(residual.predicted).toBe(400);
      residualHits += rankOf(residual.z, injected).filter((k) => k < cap).length;
      maxZHits += rankOf(skewAwareZ(t).maxZ, injected).filter((k) => k < cap).length;
      // The whole check takes the residual ranking on such a table and names the column.
      const flags = analyzeTable(t).flags.filter((f) => f.kind === "outlier");
      expect(flags.length).toBeLessThanOrEqual(cap);
      expect(flags.every((f) => typeof f.evidence.residualZ === "number" && /correlated columns/.test(f.reason))).toBe(true);
      flaggedHits += flags.filter((f) => injected.has(f.row - 1)).length;
    }
    expect(residualHits).toBeGreaterThanOrEqual(12);
    expect(maxZHits).toBeLessThanOrEqual(3);
    expect(flaggedHits).toBeGreaterThanOrEqual(12);
  });

  it("an ordinary table keeps the per-column ranking", () => {
    const r = rng(9);
    const cols = Array.from({ length: 8 }, () => Float64Array.from({ length: 300 }, () => gauss(r)));
    cols[0]![5] = 40;
    const t = table(cols);
    const flags = analyzeTable(t).flags.filter((f) => f.kind === "outlier");
    expect(flags.some((f) => f.row === 6 && f.evidence.residualZ === undefined)).toBe(true);
  });

  it("property: random small tables (NaN, constants, ties) give finite, non-negative scores and valid columns", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.oneof(fc.double({ noNaN: false, min: -1e6, max: 1e6 }), fc.constantFrom(0, 1, Number.NaN)), { minLength: 480, maxLength: 480 }),
        (n, d, pool) => {
          const cols = Array.from({ length: d }, (_, j) => Float64Array.from({ length: n }, (_, i) => pool[(i * d + j) % pool.length]!));
          const res = residualScores(table(cols));
          expect(res.z.length).toBe(n);
          for (let i = 0; i < n; i++) {
            expect(Number.isFinite(res.z[i]!)).toBe(true);
            expect(res.z[i]!).toBeGreaterThanOrEqual(0);
            expect(res.column[i]!).toBeGreaterThanOrEqual(-1);
            expect(res.column[i]!).toBeLessThan(d);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

/**
 * A wide table whose per-column maximum is not saturated: 190 rows, 100 columns spread over [0, 1] and
 * 20 bunched columns (N(0.5, 0.01)) whose few natural off-centre values sit 7–13 of their tiny SDs out,
 * inside the columns' ranges. Eight rows get one spread column moved to median ± U(5, 10) robust SDs,
 * past the column's range (as the injector does on image pixels).
 */
function edgeTable(seed: number, inject: boolean): { t: Table; injected: Set<number> } {
  const r = rng(seed);
  const n = 190;
  const columns: Float64Array[] = [];
  for (let j = 0; j < 100; j++) columns.push(Float64Array.from({ length: n }, () => r()));
  for (let j = 0; j < 20; j++) columns.push(Float64Array.from({ length: n }, () => (r() < 0.05 ? 0.5 + (r() < 0.5 ? -1 : 1) * (0.07 + 0.06 * r()) : 0.5 + 0.01 * gauss(r))));
  const injected = new Set<number>();
  while (inject && injected.size < 8) injected.add(Math.floor(r() * n));
  for (const i of injected) {
    const c = columns[Math.floor(r() * 100)]!;
    const sorted = Float64Array.from(c).sort();
    const med = sorted[n >> 1]!;
    const mad = 1.4826 * Float64Array.from(c, (x) => Math.abs(x - med)).sort()[n >> 1]!;
    c[i] = med + (r() < 0.5 ? -1 : 1) * (5 + 5 * r()) * mad;
  }
  return { t: table(columns), injected };
}

describe("wide tables below saturation: the edge z (session 10)", () => {
  it("inside a column's 1–99 % range the edge z is at most 1.645; past it, the distance in units of that range counts", () => {
    const r = rng(21);
    const bunched = Float64Array.from({ length: 400 }, () => (r() < 0.05 ? 0.5 + (0.07 + 0.06 * r()) : 0.5 + 0.01 * gauss(r)));
    const st = sideStats(bunched)!;
    for (const v of bunched) if (v >= st.qLow && v <= st.qHigh) expect(edgeZ(v, st)).toBeLessThanOrEqual(1.645 + 1e-9);
    // The largest value inside the range lies 7–13 SDs of the bunched values out; its edge z stays at the edge.
    const inside = bunched.reduce((a, v) => (v <= st.qHigh && v > a ? v : a), 0);
    expect(inside - 0.5).toBeGreaterThan(0.07);
    expect(edgeZ(inside, st)).toBeLessThanOrEqual(1.645 + 1e-9);
    // One 1–99 % spread past the top: 1.645 + 4.652.
    const spread = st.qHigh - st.qLow;
    expect(edgeZ(st.qHigh + spread, st)).toBeCloseTo(1.645 + 4.652, 6);
  });

  it("property: the edge z never exceeds the full z, is finite and non-negative", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), fc.constantFrom(0, 1, 2)), { minLength: 5, maxLength: 200 }),
        fc.double({ noNaN: true, min: -1e7, max: 1e7 }),
        (values, v) => {
          const st = sideStats(Float64Array.from(values));
          if (!st) return;
          const e = edgeZ(v, st);
          expect(Number.isFinite(e)).toBe(true);
          expect(e).toBeGreaterThanOrEqual(0);
          expect(e).toBeLessThanOrEqual(sideZ(v, st) + 1e-9);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("values moved past their column's range are flagged ahead of bunched columns' natural off-centre values", () => {
    let hits = 0;
    let maxZHits = 0;
    for (const seed of [1, 2, 3]) {
      const { t, injected } = edgeTable(seed, true);
      expect(isWide(t)).toBe(true);
      const cap = Math.floor(0.05 * t.n);
      maxZHits += rankOf(skewAwareZ(t).maxZ, injected).filter((k) => k < cap).length;
      const flags = analyzeTable(t).flags.filter((f) => f.kind === "outlier");
      expect(flags.length).toBeLessThanOrEqual(cap);
      expect(flags.every((f) => typeof f.evidence.edgeZ === "number")).toBe(true);
      hits += flags.filter((f) => injected.has(f.row - 1)).length;
      // The same table with nothing moved stays within the budget.
      expect(analyzeTable(edgeTable(seed, false).t).flags.filter((f) => f.kind === "outlier").length).toBeLessThanOrEqual(cap);
    }
    expect(hits).toBeGreaterThanOrEqual(21);
    expect(hits).toBeGreaterThan(maxZHits);
  });
});
