import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzeTable, isWide, residualScores, skewAwareZ, type Table } from "../../src/data/poison/index.js";
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
