import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildProfile, type Table } from "../../src/data/index.js";
import { adam, exportOnnx, type Matrix, Mlp, seededRng, train } from "../../src/ml/index.js";

export const FEATURES = ["income", "debt", "age", "tenure"] as const;
const SHIFT = [50, 10, 40, 5];
const SPREAD = [10, 3, 8, 2];
// Class centres in standard units: three well separated clusters.
const CENTRES = [
  [-1.5, 1, 0, -1],
  [1.5, -1, 0.5, 0],
  [0, 0, -1.5, 1.5],
];

export interface TabularModel {
  onnx: string;
  profile: string;
  /** Rows from the training distribution (a fresh seed gives fresh benign traffic). */
  sample(n: number, seed: number): { rows: number[][]; labels: number[] };
}

/** Draws rows of the tabular problem: a class at random, its centre plus unit Gaussian noise, then scaled. */
export function sampleRows(n: number, seed: number): { rows: number[][]; labels: number[] } {
  const rng = seededRng(seed);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = Math.floor(rng.uniform() * 3);
    rows.push(CENTRES[c]!.map((m, j) => SHIFT[j]! + SPREAD[j]! * (m + rng.normal())));
    labels.push(c);
  }
  return { rows, labels };
}

/**
 * A small real tabular classifier for the gateway tests and benchmark: an MLP (4 → 8 → 3) trained
 * on the clusters above, exported with src/ml's ONNX writer (standardisation folded in), and the
 * profile of its training data (src/data) beside it.
 */
export function makeTabularModel(dir: string, seed = 7): TabularModel {
  const { rows, labels } = sampleRows(1500, seed);
  const model = new Mlp({ inputs: 4, hidden: [8], outputs: 3 });
  const init = seededRng(seed + 1);
  model.initialize(() => init.uniform());
  const Z: Matrix = { rows: rows.length, cols: 4, data: Float64Array.from(rows.flatMap((r) => r.map((v, j) => (v - SHIFT[j]!) / SPREAD[j]!))) };
  train(model, Z, labels, { epochs: 20, batchSize: 32, optimizer: adam({ lr: 0.02 }), rng: seededRng(seed + 2) });
  const onnx = join(dir, "credit.onnx");
  writeFileSync(onnx, exportOnnx(model, { mean: SHIFT, std: SPREAD, metadata: { features: FEATURES.join(",") } }));
  const table: Table = {
    n: rows.length,
    columns: FEATURES.map((name, j) => ({ name, kind: "numeric" as const, values: Float64Array.from(rows, (r) => r[j]!) })),
    label: { name: "class", codes: Int32Array.from(labels), levels: ["0", "1", "2"] },
    ignored: [],
  };
  const profile = join(dir, "train.profile.json");
  writeFileSync(profile, JSON.stringify(buildProfile(table, { name: "train.csv", sha256: "0".repeat(64) })));
  return { onnx, profile, sample: sampleRows };
}
