import { describe, expect, it } from "vitest";
import {
  boostedProbabilities,
  designMatrix,
  ensembleProbabilities,
  extraTreesProbabilities,
  knnProbabilities,
  randomForestProbabilities,
  rankDesign,
  relevanceWeights,
  type Table,
  treeColumns,
  weightedDesign,
} from "../../src/data/poison/index.js";
import { rng } from "./pii-corpus.js";

// Session 11's label models: the binned random forest and the η²-weighted neighbours.

function table(columns: Record<string, number[]>, labels: string[]): Table {
  const names = Object.keys(columns);
  const levels = [...new Set(labels)];
  return {
    n: labels.length,
    columns: names.map((name) => ({ name, kind: "numeric" as const, values: Float64Array.from(columns[name]!) })),
    ignored: [],
    label: { name: "label", codes: Int32Array.from(labels.map((l) => levels.indexOf(l))), levels },
  };
}

function accuracy(P: Float64Array, y: Int32Array, K: number): number {
  let ok = 0;
  for (let i = 0; i < y.length; i++) {
    let best = 0;
    let sum = 0;
    for (let c = 0; c < K; c++) {
      sum += P[i * K + c]!;
      if (P[i * K + c]! > P[i * K + best]!) best = c;
    }
    expect(sum).toBeCloseTo(1, 9);
    if (best === y[i]) ok++;
  }
  return ok / y.length;
}

/** `informative` columns decide the class (a sharp cut on their sum); `noise` columns are unrelated. */
function stepTable(seed: number, n: number, informative: number, noise: number): Table {
  const r = rng(seed);
  const cols: Record<string, number[]> = {};
  for (let j = 0; j < informative + noise; j++) cols[`c${j}`] = [];
  const labels: string[] = [];
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < informative + noise; j++) {
      const v = r() * 2 - 1;
      cols[`c${j}`]!.push(v);
      if (j < informative) s += v;
    }
    labels.push(s > 0.3 ? "hi" : "lo");
  }
  return table(cols, labels);
}

describe("random forest (binned, out of fold)", () => {
  it("learns an interaction no single split can (XOR of two columns); probabilities sum to 1", () => {
    const r = rng(11);
    const a: number[] = [];
    const b: number[] = [];
    const labels: string[] = [];
    for (let i = 0; i < 1200; i++) {
      const x = r() * 2 - 1;
      const z = r() * 2 - 1;
      a.push(x);
      b.push(z);
      labels.push(x * z > 0 ? "same" : "diff");
    }
    const t = table({ a, b }, labels);
    expect(accuracy(randomForestProbabilities(designMatrix(t), t.label!.codes, 2, { trees: 30 }), t.label!.codes, 2)).toBeGreaterThan(0.9);
  });

  it("finds a sharp cut in one column among noise columns better than random cuts do", () => {
    const t = stepTable(12, 1500, 1, 8);
    const d = designMatrix(t);
    const y = t.label!.codes;
    const forest = accuracy(randomForestProbabilities(d, y, 2, { trees: 50 }), y, 2);
    const extra = accuracy(extraTreesProbabilities(d, y, 2, { trees: 50, maxDepth: 30, minLeaf: 1 }), y, 2);
    expect(forest).toBeGreaterThan(0.97);
    expect(forest).toBeGreaterThan(extra);
  });

  it("labels left out (−1) are not trained on, and a table without columns gets uniform probabilities", () => {
    const t = stepTable(13, 400, 2, 2);
    const d = designMatrix(t);
    const y = Int32Array.from(t.label!.codes);
    for (let i = 0; i < 400; i += 3) y[i] = -1;
    expect(accuracy(randomForestProbabilities(d, y, 2, { trees: 20 }), t.label!.codes, 2)).toBeGreaterThan(0.85);
    const empty = randomForestProbabilities({ Z: new Float64Array(0), n: 10, p: 0, names: [] }, new Int32Array(10), 2);
    expect([...empty]).toEqual(new Array(20).fill(0.5));
  });

  it("is reproducible for a seed", () => {
    const t = stepTable(14, 300, 2, 3);
    const d = designMatrix(t);
    const a = randomForestProbabilities(d, t.label!.codes, 2, { trees: 10, seed: 5 });
    const b = randomForestProbabilities(d, t.label!.codes, 2, { trees: 10, seed: 5 });
    expect([...a]).toEqual([...b]);
  });
});

describe("η²-weighted neighbours", () => {
  it("relevance: the deciding columns weigh most, unrelated columns near 0, a constant column 0", () => {
    const t = stepTable(21, 2000, 2, 4);
    t.columns.push({ name: "const", kind: "numeric", values: new Float64Array(2000).fill(3) });
    const w = relevanceWeights(designMatrix(t), t.label!.codes, 2);
    expect(Math.max(w[0]!, w[1]!)).toBe(1);
    expect(Math.min(w[0]!, w[1]!)).toBeGreaterThan(0.6);
    for (let j = 2; j < 6; j++) expect(w[j]!).toBeLessThan(0.05);
    expect(w[6]).toBe(0);
  });

  it("weighted ranks choose better neighbours than plain ranks when most columns are noise", () => {
    const t = stepTable(22, 1200, 2, 20);
    const y = t.label!.codes;
    const ranks = rankDesign(designMatrix(t));
    const plain = accuracy(knnProbabilities(ranks, y, 2, 10), y, 2);
    const weighted = accuracy(knnProbabilities(weightedDesign(ranks, relevanceWeights(ranks, y, 2)), y, 2, 10), y, 2);
    expect(weighted).toBeGreaterThan(plain + 0.1);
    expect(weighted).toBeGreaterThan(0.85);
  });

  it("weightedDesign multiplies each column by √weight", () => {
    const d = { Z: Float64Array.from([1, 2, 3, 4]), n: 2, p: 2, names: ["a", "b"] };
    expect([...weightedDesign(d, Float64Array.from([4, 0.25])).Z]).toEqual([2, 1, 6, 2]);
  });
});

describe("the ensemble", () => {
  it("uses the random forest beside the extra trees on tables up to 20 000 rows", () => {
    const t = stepTable(31, 600, 2, 3);
    const { models } = ensembleProbabilities(designMatrix(t), t.label!.codes, 2);
    expect(Object.keys(models).sort()).toEqual(["boostedTrees", "extraTrees", "knnRank", "randomForest", "softmax"]);
  });
});

// Session 19: on request each boosted tree sees a random subset of the columns (colsample_bytree).
describe("boosted trees with a per-tree column subset", () => {
  it("a tree gets every column, without a random draw, up to the cap; above it a sorted subset of distinct columns", () => {
    let draws = 0;
    const counted = () => {
      draws++;
      return 0.37;
    };
    expect(Array.from(treeColumns(5, 64, counted))).toEqual([0, 1, 2, 3, 4]);
    expect(draws).toBe(0);
    const r = rng(19);
    const cols = treeColumns(856, 117, r);
    expect(cols.length).toBe(117);
    expect(new Set(cols).size).toBe(117);
    for (let k = 1; k < cols.length; k++) expect(cols[k]!).toBeGreaterThan(cols[k - 1]!);
    expect(cols[0]!).toBeGreaterThanOrEqual(0);
    expect(cols[cols.length - 1]!).toBeLessThan(856);
  });

  it("a cap at or above the design's width boosts exactly as no cap (the default)", () => {
    const t = stepTable(1901, 300, 3, 40);
    const d = designMatrix(t);
    const y = t.label!.codes;
    const plain = boostedProbabilities(d, y, 2);
    expect(Array.from(boostedProbabilities(d, y, 2, { maxColumns: d.p }))).toEqual(Array.from(plain));
    expect(Array.from(boostedProbabilities(d, y, 2, { maxColumns: 64 }))).toEqual(Array.from(plain));
    // A smaller cap draws subsets, so the model differs.
    expect(Array.from(boostedProbabilities(d, y, 2, { maxColumns: 8 }))).not.toEqual(Array.from(plain));
  });

  it("a wide design (4 informative among 400 columns) is still learned with the per-tree subset", () => {
    const t = stepTable(1902, 500, 4, 396);
    const d = designMatrix(t);
    const y = t.label!.codes;
    // 80 columns per tree (max(64, 4·√400), the rule session 19 tried as a default).
    expect(accuracy(boostedProbabilities(d, y, 2, { maxColumns: 80 }), y, 2)).toBeGreaterThan(0.75);
  });
});
