/**
 * Writes the example's data: a 20-feature binary problem with 20% label noise (so an over-sized
 * model memorises its training rows), 400 training rows and 400 held-out rows. Deterministic.
 * Run: npx tsx examples/privacy-dp/make-data.ts
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { makeClassification, seededRng, takeRows, toCsv } from "../../src/ml/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const { X, y } = makeClassification({ rows: 800, features: 20, classes: 2, informative: 5, separation: 0.8, labelNoise: 0.2 }, seededRng(11));
const names = Array.from({ length: 20 }, (_, i) => `x${i}`);
const split = (from: number) => Array.from({ length: 400 }, (_, i) => i + from);
mkdirSync(join(here, "data"), { recursive: true });
for (const [file, idx] of [
  ["train.csv", split(0)],
  ["holdout.csv", split(400)],
] as const) {
  writeFileSync(join(here, "data", file), toCsv(takeRows(X, idx), Int32Array.from(idx, (i) => y[i]!), names, "label"));
}
console.log("wrote data/train.csv and data/holdout.csv");
