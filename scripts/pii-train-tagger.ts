/**
 * Trains Rampart's person-name tagger (src/data/pii/tagger.ts) and writes src/data/pii/person-model.json.
 *
 *   npx tsx scripts/pii-train-tagger.ts TRAIN[,TRAIN…] DEV [DEV2] [--epochs 10] [--bits 20] [--out FILE]
 *
 * TRAIN, DEV: CoNLL-2003 files (token POS chunk NER per line; e.g. eng.train and eng.testa from the
 * git history of allanj/StatNLP-Projects, commit 21ecd811 — see docs/data.md) or OntoNotes CoNLL-X files
 * (tab-separated, token in column 2, B-/I-PERSON in the last column; every 10 sentences one document, as
 * scripts/pii-conll-to-jsonl.py groups them). Several training files are joined with commas. Nothing of
 * the corpus is stored: only the learned, quantised weights. Deterministic: a fixed seed orders the runs.
 *
 * Each document becomes the text `analyze` would see (tokens joined by spaces, sentences by line
 * breaks); the tagger's own tokenizer and feature code run on it, so training and use share one
 * code path. Learner: structured perceptron (Collins 2002) with weight averaging, Viterbi over B/I/O
 * on runs of capitalised tokens.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";
import {
  B,
  emissions,
  features,
  findRuns,
  hashLower,
  I,
  MAX_FEATURES,
  marginals,
  O,
  prepareAll,
  tokCount,
  tokEnd,
  tokenize,
  tokStart,
  viterbi,
} from "../src/data/pii/tagger.js";

interface Doc {
  text: string;
  spans: Array<[number, number]>;
}

/** Sentences per document of a CoNLL-X file (it has no document markers). */
const CONLLX_GROUP = 10;

/**
 * Token and tag of one line: CoNLL-2003 "token POS chunk TAG" or CoNLL-X (tab-separated, numeric id
 * first, token second, tag last). OntoNotes' PERSON/person type becomes CoNLL-2003's PER.
 */
function tokenAndTag(path: string, line: string): [string, string] {
  const conllx = line.includes("\t") && /^\d+\t/.test(line);
  const parts = conllx ? line.split("\t") : line.split(/\s+/);
  if (parts.length < (conllx ? 3 : 2)) throw new Error(`${path}: not "token … tag": ${line}`);
  let tag = parts[parts.length - 1]!;
  if (tag.length > 2 && tag.slice(2).toUpperCase() === "PERSON") tag = `${tag.slice(0, 2)}PER`;
  return [parts[conllx ? 1 : 0]!, tag];
}

/** CoNLL-2003 (IOB1 or IOB2) or CoNLL-X → documents with PER character spans. */
function readConll(path: string): Doc[] {
  const docs: Doc[] = [];
  let sentences: Array<Array<[string, string]>> = [];
  let sentence: Array<[string, string]> = [];
  let conllx = false;
  const flushDoc = () => {
    if (sentence.length) sentences.push(sentence);
    sentence = [];
    if (sentences.length) docs.push(build(sentences));
    sentences = [];
  };
  for (const raw of readFileSync(path, "utf8").split("\n")) {
    const line = raw.trimEnd();
    if (line.startsWith("-DOCSTART-")) {
      flushDoc();
      continue;
    }
    if (!line.trim()) {
      if (sentence.length) sentences.push(sentence);
      sentence = [];
      if (conllx && sentences.length === CONLLX_GROUP) flushDoc();
      continue;
    }
    if (/^\d+\t/.test(line)) conllx = true;
    sentence.push(tokenAndTag(path, line));
  }
  flushDoc();
  return docs;
}

function build(sentences: Array<Array<[string, string]>>): Doc {
  let text = "";
  const spans: Array<[number, number]> = [];
  sentences.forEach((s, si) => {
    if (si) text += "\n";
    let open: [number, number] | undefined;
    let prevType: string | undefined;
    s.forEach(([tok, tag], ti) => {
      if (ti) text += " ";
      const start = text.length;
      text += tok;
      const type = tag.includes("-") ? tag.slice(2) : undefined;
      const begins = tag.startsWith("B-") || type !== prevType;
      if (open && (type !== "PER" || begins)) {
        spans.push(open);
        open = undefined;
      }
      if (type === "PER") {
        if (open) open[1] = text.length;
        else open = [start, text.length];
      }
      prevType = type;
    });
    if (open) spans.push(open);
  });
  return { text, spans };
}

/**
 * Lower-cased words (as hashes) that name places, organisations or other things in the training set at
 * least `min` times and never a person ("Israel", "Microsoft", "Barcelona"): shipped as sorted hashes.
 */
function nonPersonWords(paths: string[], min: number): number[] {
  const counts = new Map<number, [number, number]>();
  for (const path of paths)
    for (const raw of readFileSync(path, "utf8").split("\n")) {
      const line = raw.trim();
      if (!line || line.startsWith("-DOCSTART-")) continue;
      const [token, tag] = tokenAndTag(path, line);
      if (tag === "O") continue;
      const h = hashLower(token);
      const c = counts.get(h) ?? [0, 0];
      c[tag.endsWith("PER") ? 0 : 1]++;
      counts.set(h, c);
    }
  return [...counts].filter(([, [per, other]]) => per === 0 && other >= min).map(([h]) => h).sort((a, b) => a - b);
}

interface Run {
  feats: Int32Array;
  nf: Int32Array;
  gold: Uint8Array;
}

/** Runs of a document with their features and gold tags; `dropped` counts gold names outside any run. */
function runsOf(doc: Doc, mask: number): { runs: Run[]; tokens: Array<[number, number]>; goldTokens: Uint8Array } {
  tokenize(doc.text);
  prepareAll(doc.text);
  const n = tokCount;
  const gold = new Uint8Array(n);
  for (const [s, e] of doc.spans) {
    let first = true;
    for (let t = 0; t < n; t++) {
      if (tokStart[t]! >= s && tokEnd[t]! <= e) {
        gold[t] = first ? B : I;
        first = false;
      }
    }
  }
  const buf = new Int32Array(n * 2 + 2);
  const count = findRuns(buf);
  const runs: Run[] = [];
  for (let r = 0; r < count; r++) {
    const first = buf[2 * r]!;
    const len = buf[2 * r + 1]! - first + 1;
    const feats = new Int32Array(len * MAX_FEATURES);
    const nf = new Int32Array(len);
    const g = new Uint8Array(len);
    for (let p = 0; p < len; p++) {
      nf[p] = features(first + p, len, p, feats, p * MAX_FEATURES, mask) - p * MAX_FEATURES;
      g[p] = gold[first + p]!;
      // A name that starts inside a run after an O token of the same run begins with B.
      if (g[p] === I && (p === 0 || g[p - 1] === O)) g[p] = B;
    }
    runs.push({ feats, nf, gold: g });
  }
  const tokens: Array<[number, number]> = [];
  for (let t = 0; t < n; t++) tokens.push([tokStart[t]!, tokEnd[t]!]);
  return { runs, tokens, goldTokens: gold };
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Decodes runs with given weights into reused buffers: `em` holds the emission scores and `tags` the
 * best tags of the last run decoded (the training loop, the evaluation and the temperature search share it).
 */
function decoder(): { decode: (run: Run, w: ArrayLike<number>, trans: ArrayLike<number>) => void; em: () => Float64Array; tags: () => Uint8Array } {
  let em = new Float64Array(48);
  let tags = new Uint8Array(16);
  return {
    decode(run, w, trans) {
      const len = run.gold.length;
      if (em.length < len * 3) {
        em = new Float64Array(len * 3);
        tags = new Uint8Array(len);
      }
      emissions(w, run.feats, run.nf, len, em);
      viterbi(em, len, trans, tags);
    },
    em: () => em,
    tags: () => tags,
  };
}

/** Exact-span P/R/F1 of PER on runs (a name must match the gold name's tokens exactly). */
function evaluate(runs: Run[], w: ArrayLike<number>, trans: ArrayLike<number>): { p: number; r: number; f: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const d = decoder();
  for (const run of runs) {
    const len = run.gold.length;
    d.decode(run, w, trans);
    const tags = d.tags();
    const spans = (t: ArrayLike<number>) => {
      const out = new Set<string>();
      for (let p = 0; p < len; p++) {
        if (t[p] !== B) continue;
        let q = p + 1;
        while (q < len && t[q] === I) q++;
        out.add(`${p}:${q}`);
      }
      return out;
    };
    const g = spans(run.gold);
    const pr = spans(tags);
    for (const s of pr) if (g.has(s)) tp++;
    else fp++;
    for (const s of g) if (!pr.has(s)) fn++;
  }
  const p = tp / Math.max(1, tp + fp);
  const r = tp / Math.max(1, tp + fn);
  return { p, r, f: (2 * p * r) / Math.max(1e-9, p + r) };
}

function main(): void {
  const args = process.argv.slice(2);
  const opt = (name: string, dflt: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args.splice(i, 2)[1]! : dflt;
  };
  const epochs = Number(opt("--epochs", "10"));
  const bits = Number(opt("--bits", "20"));
  const out = opt("--out", "src/data/pii/person-model.json");
  const [trainPath, devPath, dev2Path] = args;
  if (!trainPath || !devPath) {
    console.error("usage: npx tsx scripts/pii-train-tagger.ts TRAIN DEV [DEV2] [--epochs 10] [--bits 20] [--out FILE]");
    process.exit(2);
  }
  const mask = (1 << bits) - 1;
  const load = (p: string) => readConll(p).flatMap((d) => runsOf(d, mask).runs);
  const trainPaths = trainPath.split(",");
  const train = trainPaths.flatMap(load);
  const dev = load(devPath);
  const dev2 = dev2Path ? load(dev2Path) : [];
  console.log(`runs: train ${train.length}, dev ${dev.length}, dev2 ${dev2.length}`);

  const size = (mask + 1) * 3;
  const w = new Float64Array(size);
  const acc = new Float64Array(size);
  const trans = new Float64Array(12);
  const tacc = new Float64Array(12);
  let c = 1;
  const order = train.map((_, i) => i);
  const random = rng(20261126);
  const d = decoder();
  const averaged = () => {
    const aw = new Float32Array(size);
    for (let i = 0; i < size; i++) aw[i] = w[i]! - acc[i]! / c;
    const at = Array.from(trans, (x, i) => x - tacc[i]! / c);
    return { aw, at };
  };
  const bump = (i: number, d: number) => {
    w[i] = w[i]! + d;
    acc[i] = acc[i]! + c * d;
  };
  const bumpT = (i: number, d: number) => {
    trans[i] = trans[i]! + d;
    tacc[i] = tacc[i]! + c * d;
  };
  for (let epoch = 1; epoch <= epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let mistakes = 0;
    for (const idx of order) {
      const run = train[idx]!;
      const len = run.gold.length;
      d.decode(run, w, trans);
      const tags = d.tags();
      let wrong = false;
      for (let p = 0; p < len; p++) if (tags[p] !== run.gold[p]) wrong = true;
      if (wrong) {
        mistakes++;
        for (let p = 0; p < len; p++) {
          const g = run.gold[p]!;
          const y = tags[p]!;
          if (g !== y) {
            for (let j = 0; j < run.nf[p]!; j++) {
              const x = run.feats[p * MAX_FEATURES + j]! * 3;
              bump(x + g, 1);
              bump(x + y, -1);
            }
          }
          const gp = p === 0 ? O : run.gold[p - 1]!;
          const yp = p === 0 ? O : tags[p - 1]!;
          if (gp !== yp || g !== y) {
            bumpT(gp * 3 + g, 1);
            bumpT(yp * 3 + y, -1);
          }
        }
        const gl = run.gold[len - 1]!;
        const yl = tags[len - 1]!;
        if (gl !== yl) {
          bumpT(9 + gl, 1);
          bumpT(9 + yl, -1);
        }
      }
      c++;
    }
    const { aw, at } = averaged();
    const e1 = evaluate(dev, aw, at);
    const e2 = dev2.length ? evaluate(dev2, aw, at) : undefined;
    console.log(
      `epoch ${epoch}: ${mistakes} runs wrong; dev P ${e1.p.toFixed(3)} R ${e1.r.toFixed(3)} F ${e1.f.toFixed(3)}` +
        (e2 ? `; dev2 P ${e2.p.toFixed(3)} R ${e2.r.toFixed(3)} F ${e2.f.toFixed(3)}` : ""),
    );
  }
  const { aw, at } = averaged();
  // Quantise to int8 (one scale); weights that round to 0 are pruned by the deflate.
  let max = 0;
  for (let i = 0; i < size; i++) max = Math.max(max, Math.abs(aw[i]!));
  const scale = max / 127;
  const q = new Int8Array(size);
  let nonzero = 0;
  for (let i = 0; i < size; i++) {
    q[i] = Math.max(-127, Math.min(127, Math.round(aw[i]! / scale)));
    if (q[i] !== 0) nonzero++;
  }
  const qw = Float32Array.from(q, (x) => x * scale);
  const dq = evaluate(dev, qw, at);
  console.log(`quantised: ${nonzero} of ${size} weights non-zero; dev P ${dq.p.toFixed(3)} R ${dq.r.toFixed(3)} F ${dq.f.toFixed(3)}`);
  // Temperature: the one that gives the dev gold tags the highest likelihood.
  let best = { t: 1, nll: Number.POSITIVE_INFINITY };
  for (const t of [1, 2, 4, 6, 8, 12, 16, 20, 24, 32, 48, 64]) {
    let nll = 0;
    let m = new Float64Array(48);
    for (const run of dev) {
      const len = run.gold.length;
      if (m.length < len * 3) m = new Float64Array(len * 3);
      d.decode(run, qw, at);
      marginals(d.em(), len, at, t, m);
      for (let p = 0; p < len; p++) nll -= Math.log(Math.max(1e-12, m[p * 3 + run.gold[p]!]!));
    }
    if (nll < best.nll) best = { t, nll };
  }
  console.log(`temperature ${best.t} (dev NLL ${best.nll.toFixed(1)})`);
  const weights = deflateSync(Buffer.from(q.buffer), { level: 9 }).toString("base64");
  const things = nonPersonWords(trainPaths, 2);
  console.log(`${things.length} words name only places, organisations or things in TRAIN`);
  const model = {
    bits,
    trans: at.map((x) => Math.round(x * 1e4) / 1e4),
    scale,
    temperature: best.t,
    weights,
    notPersons: Buffer.from(Uint32Array.from(things).buffer).toString("base64"),
  };
  writeFileSync(out, `${JSON.stringify(model)}\n`);
  console.log(`wrote ${out}: ${(weights.length / 1024).toFixed(0)} KiB of base64`);
}

main();
