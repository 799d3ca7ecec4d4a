import { describe, expect, it } from "vitest";
import { analyzeTable, SHRUNK_MIN_COLUMNS, shrunkDistance, skewAwareZ, type Table } from "../../src/data/poison/index.js";
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
 * Correlated columns like hourly weather readings: `factors` latent traits, each measured by `per`
 * columns (the trait plus 0.3 noise: ρ ≈ 0.9 within a trait). Ten rows whose trait is high get one
 * of its columns set to −2.5: inside that column's range (no per-column z near 3.5), but against
 * every column that moves with it.
 */
function correlated(seed: number, n: number, factors: number, per: number): { t: Table; broken: Set<number> } {
  const r = rng(seed);
  const traits = Array.from({ length: factors }, () => Float64Array.from({ length: n }, () => gauss(r)));
  const columns: Float64Array[] = [];
  for (const f of traits) for (let k = 0; k < per; k++) columns.push(Float64Array.from(f, (x) => x + 0.3 * gauss(r)));
  const broken = new Set<number>();
  while (broken.size < 10) {
    const i = Math.floor(r() * n);
    const f = Math.floor(r() * factors);
    if (traits[f]![i]! < 1.2 || broken.has(i)) continue;
    columns[f * per + Math.floor(r() * per)]![i] = -2.5;
    broken.add(i);
  }
  return { t: table(columns), broken };
}

function topShare(scores: Float64Array, rows: Set<number>, share: number): number {
  const order = Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]!);
  const top = new Set(order.slice(0, Math.floor(share * scores.length)));
  return [...rows].filter((i) => top.has(i)).length;
}

describe("shrunk-covariance distance (session 17)", () => {
  it("ranks rows that break correlated columns first, where the per-column z cannot see them", () => {
    const { t, broken } = correlated(1, 600, 4, 9);
    const s = shrunkDistance(t);
    expect(s.columns).toBe(36);
    expect(topShare(s.z, broken, 0.03)).toBe(10);
    // The per-column z puts none of them above its threshold.
    const z = skewAwareZ(t).maxZ;
    expect([...broken].filter((i) => z[i]! > 3.5).length).toBe(0);
    // Through analyzeTable the outlier ranking now holds them at its top (before session 17 it ranked
    // them by the per-column z and the isolation forest, where they sit among the clean rows).
    const report = analyzeTable(t, { outliersOnly: true });
    expect(topShare(report.rowScores.outlier, broken, 0.05)).toBeGreaterThanOrEqual(7); // 1 of 10 before
  });

  it("on a wide table scores every column through bags of at most 40, deterministically", () => {
    const { t, broken } = correlated(2, 300, 20, 6); // 120 columns: 3 bags per round
    const a = shrunkDistance(t);
    expect(a.columns).toBe(120);
    expect(topShare(a.z, broken, 0.05)).toBeGreaterThanOrEqual(9);
    expect(shrunkDistance(t).z).toEqual(a.z);
  });

  it("is not computed below the wide gate, and two-valued columns do not count towards it", () => {
    const { t } = correlated(3, 200, 3, 9); // 27 columns
    expect(shrunkDistance(t).columns).toBe(0);
    const flags = Array.from({ length: 5 }, (_, k) => Float64Array.from({ length: 200 }, (_, i) => (i + k) % 2));
    expect(shrunkDistance(table([...t.columns.map((c) => (c.kind === "numeric" ? c.values : new Float64Array(0))), ...flags])).columns).toBe(0);
    expect(SHRUNK_MIN_COLUMNS).toBe(30);
  });
});
