import { describe, expect, it } from "vitest";
import { analyzeTable, sideStats, sideZ, skewAwareZ, type Table } from "../../src/data/poison/index.js";
import { rng } from "./pii-corpus.js";

// Session 20: a value off a whole-number column's grid (a count of 7.85) outranks the column's natural
// extremes, wherever in the column's range it sits.

function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/** A heavy-tailed count column: rounded log-normal values (lines of code, operators, visits). */
function counts(r: () => number, n: number, spread = 1.5): number[] {
  return Array.from({ length: n }, () => Math.round(Math.exp(2.5 + spread * gauss(r))));
}

function numericTable(columns: Record<string, number[]>): Table {
  const names = Object.keys(columns);
  return {
    n: columns[names[0]!]!.length,
    columns: names.map((name) => ({ name, kind: "numeric" as const, values: Float64Array.from(columns[name]!) })),
    ignored: [],
  };
}

describe("whole-number columns", () => {
  it("a fractional value inside a count column's range scores above its natural tail; the same value rounded does not", () => {
    const r = rng(41);
    const values = counts(r, 3000);
    const st = sideStats(Float64Array.from(values))!;
    const sorted = [...values].sort((a, b) => a - b);
    const p90 = sorted[Math.floor(0.9 * sorted.length)]!;
    // Inside the column's range, at its 90th percentile: only the fraction gives it away.
    expect(sideZ(p90 + 0.37, st)).toBeGreaterThanOrEqual(7);
    expect(sideZ(p90, st)).toBeLessThan(3.5);
    // The column's natural 98th percentile stays below the off-grid value (its very top, past the
    // 99th percentile, is scored by its distance past that edge and may rank above).
    expect(sideZ(sorted[Math.floor(0.98 * sorted.length)]!, st)).toBeLessThan(sideZ(p90 + 0.37, st));
    // Off-grid values keep their own order: a fraction far below the range outranks one inside it.
    expect(sideZ(-500.5, st)).toBeGreaterThan(sideZ(p90 + 0.37, st));
  });

  it("continuous columns and columns with many fractions are not whole-numbered", () => {
    const r = rng(43);
    const continuous = Array.from({ length: 2000 }, () => 50 + 10 * gauss(r));
    const st = sideStats(Float64Array.from(continuous))!;
    expect(sideZ(50.37, st)).toBeLessThan(1);
    // 5 % of the values carry a fraction (above the 2 % tolerance): a measured column, not a count.
    const mixed = counts(r, 2000).map((v, i) => (i % 20 === 0 ? v + 0.3 : v));
    const sm = sideStats(Float64Array.from(mixed))!;
    const sorted = [...mixed].sort((a, b) => a - b);
    expect(sideZ(sorted[1000]! + 0.41, sm)).toBeLessThan(3.5);
  });

  it("halves among whole numbers are on the grid (wine's sulfur dioxide); other fractions are not", () => {
    const r = rng(47);
    const values = counts(r, 3000, 0.6).map((v, i) => (i % 90 === 0 ? v + 0.5 : v)); // 1.1 % halves
    const st = sideStats(Float64Array.from(values))!;
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.round(sorted[1500]!);
    expect(sideZ(mid + 0.5, st)).toBeLessThan(3.5);
    expect(sideZ(mid + 0.37, st)).toBeGreaterThanOrEqual(7);
  });

  it("a near-constant column keeps session 8's cap: a one-off fraction among 0s is a measurement", () => {
    const n = 1000;
    const ecg: number[] = Array.from({ length: n }, (_, i) => (i === 3 ? 1 : i === 4 ? 2 : 0));
    ecg[7] = -1.5;
    const { maxZ } = skewAwareZ(numericTable({ ecg }));
    expect(maxZ[7]).toBeLessThan(5);
  });

  it("end to end: fractional values written inside count columns' ranges are flagged; a clean count table stays within the budget", () => {
    const r = rng(53);
    const n = 1000;
    const cols: Record<string, number[]> = {};
    for (let j = 0; j < 8; j++) cols[`c${j}`] = counts(r, n);
    const clean = analyzeTable(numericTable(cols), { outliersOnly: true });
    expect(clean.flags.filter((f) => f.kind === "outlier").length).toBeLessThanOrEqual(0.05 * n);
    // 20 rows get one column moved up into its tail (between its 60th and 95th percentiles), as a
    // float: none of these values is outside the column's range.
    const injected: number[] = [];
    for (let k = 0; k < 20; k++) {
      const row = 10 + k * 47;
      const j = k % 8;
      const sorted = [...cols[`c${j}`]!].sort((a, b) => a - b);
      cols[`c${j}`]![row] = sorted[Math.floor((0.6 + 0.35 * r()) * n)]! + 0.1 + 0.8 * r();
      injected.push(row + 1);
    }
    const report = analyzeTable(numericTable(cols), { outliersOnly: true });
    const flagged = new Set(report.flags.filter((f) => f.kind === "outlier").map((f) => f.row));
    expect(injected.filter((row) => flagged.has(row)).length).toBe(20);
    expect(flagged.size).toBeLessThanOrEqual(0.05 * n);
  });
});
