/**
 * Poisoning detection measured on real public datasets with injected flips and outliers.
 *
 *   python3 scripts/poison-inject.py DATA.csv poisoned.csv truth.json --seed N
 *   npx tsx bench/poison-external.ts poisoned.csv truth.json [more pairs…]
 *
 * Prints, per file, recall of the injected label flips and outliers and the false-positive rate of
 * each check at the default operating point (the 5 % flag budget): rows it flagged that were not
 * injected (real data has its own odd rows and mislabels; they count against Rampart here), over
 * the rows that were not injected; then the recall when every row is ranked by its score and cut
 * where the false-positive rate would pass 5 %; then how many files meet the targets
 * (≥ 80 % of flips, ≥ 90 % of outliers, FPR ≤ 5 %) either way; then the figures pooled over the
 * files of each seed (the issue counts a fraction of injected rows): injected rows flagged ÷ all
 * injected rows with non-injected rows flagged ÷ all non-injected rows, and, ranked, the injected rows
 * above each file's own FPR-5 % cut ÷ all injected rows (scores are not comparable across tables).
 * Files with nothing injected are pooled as "clean" (share of rows flagged); for each of them the
 * estimated achievable flip recall at FPR ≤ 5 % is printed beside what Rampart got on that table's
 * poisoned files, and tables estimating ≥ 0.8 are pooled apart ("estimate ≥ 0.8", set G's secondary
 * figure). `--group NAME=table,table…` pools those tables apart as well; `--save FILE` / `--load FILE`
 * keep and merge per-file results of runs made in parallel processes.
 *
 * The second injector, scripts/poison-inject-confusable.py, writes the same formats.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { analyzeTable, loadTable } from "../src/data/poison/index.js";

interface Truth {
  rows: number;
  classes: number;
  features: number;
  seed: number;
  flipped: number[];
  outliers: number[];
}

export async function evaluatePoison(csv: string, truthFile: string) {
  const truth = JSON.parse(readFileSync(truthFile, "utf8")) as Truth;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const table = await loadTable(csv, { label: "label" });
  const report = analyzeTable(table);
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const flagged = (kind: string) => new Set(report.flags.filter((f) => f.kind === kind).map((f) => f.row));
  const rate = (found: Set<number>, injected: number[]) => {
    const set = new Set(injected);
    const hits = injected.filter((r) => found.has(r)).length;
    const falsePositives = [...found].filter((r) => !set.has(r)).length;
    return {
      recall: hits / Math.max(1, injected.length),
      fpr: falsePositives / (truth.rows - set.size),
      flagged: found.size,
      hits,
      falsePositives,
      injected: set.size,
      negatives: truth.rows - set.size,
    };
  };
  /** Recall when rows are ranked by score and cut where the false-positive rate would pass `budget`. */
  const atFpr = (scores: Float64Array | undefined, injected: number[], budget: number) => {
    if (!scores) return 0;
    const set = new Set(injected);
    const order = Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]!);
    const negatives = truth.rows - set.size;
    let tp = 0;
    let fp = 0;
    let best = 0;
    for (let k = 0; k < order.length; k++) {
      if (set.has(order[k]! + 1)) tp++;
      else fp++;
      // Cut only between different scores: ties are taken or left together.
      const next = order[k + 1];
      if (next !== undefined && scores[next] === scores[order[k]!]) continue;
      if (fp / negatives <= budget) best = tp;
    }
    return best;
  };
  const flipRanked = atFpr(report.rowScores.labelNoise, truth.flipped, 0.05);
  const clean = truth.flipped.length + truth.outliers.length === 0;
  const P = report.labelProbabilities;
  const ceiling = clean && P && table.label ? achievableFlipRecall(P, table.label.codes, table.label.levels.length, 0.05) : undefined;
  const outlierRanked = atFpr(report.rowScores.outlier, truth.outliers, 0.05);
  return {
    truth,
    flips: { ...rate(flagged("label-noise"), truth.flipped), atFpr5: flipRanked / Math.max(1, truth.flipped.length), rankedHits: flipRanked },
    outliers: { ...rate(flagged("outlier"), truth.outliers), atFpr5: outlierRanked / Math.max(1, truth.outliers.length), rankedHits: outlierRanked },
    ...(ceiling !== undefined ? { ceiling } : {}),
    wallMs: wall,
    cpuMs: (c.user + c.system) / 1000,
  };
}

/**
 * Estimated best-achievable recall of uniform label flips at a false-positive rate `fpr`, from a CLEAN
 * table's out-of-fold probabilities (session 8's estimate, declared for set G): a clean row scores
 * 1 − p̂(given); the same row flipped to another class c scores 1 − p̂(c), each c with weight 1/(K − 1);
 * the estimate is the weighted share of flipped scores strictly above the clean scores' (1 − fpr)
 * quantile. Rough: the models here trained on the clean labels, not on flipped ones.
 */
export function achievableFlipRecall(P: Float64Array, y: Int32Array, K: number, fpr: number): number {
  const clean: number[] = [];
  for (let i = 0; i < y.length; i++) if (y[i]! >= 0) clean.push(1 - P[i * K + y[i]!]!);
  if (clean.length === 0 || K < 2) return 0;
  clean.sort((a, b) => a - b);
  // The cut lets through at most fpr of the clean rows.
  const cut = clean[Math.min(clean.length - 1, Math.max(0, Math.ceil((1 - fpr) * clean.length) - 1))]!;
  let found = 0;
  for (let i = 0; i < y.length; i++) {
    const l = y[i]!;
    if (l < 0) continue;
    for (let c = 0; c < K; c++) if (c !== l && 1 - P[i * K + c]! > cut) found += 1 / (K - 1);
  }
  return found / clean.length;
}

/** Table name of a file: its base name without the "-SEED" suffix. */
function tableOf(file: string): string {
  return basename(file, ".csv").replace(/-\d{4,}$/, "");
}

async function main(): Promise<void> {
  const raw = process.argv.slice(2);
  // --group NAME=table,table… pools those tables apart as well (set G: G1 and G2). --save FILE writes
  // this run's per-file results; --load FILE adds a saved run's results to the tables and pools, so a
  // set scored in parallel processes is pooled once (set H).
  // A table may sit in several groups (set P: har_train is wide and multi-class).
  const groups = new Map<string, string[]>();
  const args: string[] = [];
  const loads: string[] = [];
  let save: string | undefined;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === "--group") {
      const [name, tables] = (raw[++i] ?? "").split("=");
      for (const t of (tables ?? "").split(",").filter(Boolean)) groups.set(t, [...(groups.get(t) ?? []), name!]);
    } else if (raw[i] === "--load") loads.push(raw[++i]!);
    else if (raw[i] === "--save") save = raw[++i];
    else args.push(raw[i]!);
  }
  if ((args.length < 2 && loads.length === 0) || args.length % 2) {
    console.error("usage: npx tsx bench/poison-external.ts [--group NAME=table,…] [--save FILE] [--load FILE …] POISONED.csv TRUTH.json [POISONED.csv TRUTH.json …]");
    process.exit(2);
  }
  console.log(
    "| dataset | rows | features | classes | seed | flips | flip recall | flip FPR | flip recall @FPR≤5% | outliers | outlier recall | outlier FPR | outlier recall @FPR≤5% | CPU ms |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
  const met = { flipsDefault: 0, outliersDefault: 0, flipsRanked: 0, outliersRanked: 0 };
  const results: Array<{ table: string; r: Awaited<ReturnType<typeof evaluatePoison>> }> = [];
  const runs: Array<{ file: string; table: string; r: Awaited<ReturnType<typeof evaluatePoison>> }> = [];
  for (const file of loads) runs.push(...(JSON.parse(readFileSync(file, "utf8")) as typeof runs));
  for (let i = 0; i < args.length; i += 2) runs.push({ file: args[i]!, table: tableOf(args[i]!), r: await evaluatePoison(args[i]!, args[i + 1]!) });
  if (save) writeFileSync(save, JSON.stringify(runs.slice(runs.length - args.length / 2)));
  for (const { file, table, r } of runs) {
    results.push({ table, r });
    if (r.flips.recall >= 0.8 && r.flips.fpr <= 0.05) met.flipsDefault++;
    if (r.outliers.recall >= 0.9 && r.outliers.fpr <= 0.05) met.outliersDefault++;
    if (r.flips.atFpr5 >= 0.8) met.flipsRanked++;
    if (r.outliers.atFpr5 >= 0.9) met.outliersRanked++;
    const t = r.truth;
    const f = (x: number) => x.toFixed(3);
    console.log(
      `| ${basename(file, ".csv")} | ${t.rows} | ${t.features} | ${t.classes} | ${t.seed} | ${t.flipped.length} | ${f(r.flips.recall)} | ${f(r.flips.fpr)} | ${f(r.flips.atFpr5)} | ${t.outliers.length} | ${f(r.outliers.recall)} | ${f(r.outliers.fpr)} | ${f(r.outliers.atFpr5)} | ${Math.round(r.cpuMs)} |`,
    );
  }
  const files = runs.length;
  console.log(
    `\nTargets met — default operating point: flips ${met.flipsDefault}/${files}, outliers ${met.outliersDefault}/${files}; ranked at FPR ≤ 5 %: flips ${met.flipsRanked}/${files}, outliers ${met.outliersRanked}/${files}`,
  );
  // Estimated achievable flip recall per table, from its clean copy (when one was given).
  const ceilings = new Map<string, number>();
  for (const { table, r } of results) if (r.ceiling !== undefined) ceilings.set(table, r.ceiling);
  if (ceilings.size > 0) {
    console.log("\nEstimated achievable flip recall at FPR ≤ 5 % (from each clean table's out-of-fold probabilities) and what Rampart gets:\n");
    console.log("| table | estimate | flip recall (default) by seed | flips @FPR≤5% by seed |");
    console.log("|---|---|---|---|");
    for (const [table, c] of ceilings) {
      const mine = results.filter((x) => x.table === table && x.r.truth.flipped.length > 0);
      console.log(`| ${table} | ${c.toFixed(2)} | ${mine.map((x) => x.r.flips.recall.toFixed(3)).join(" / ")} | ${mine.map((x) => x.r.flips.atFpr5.toFixed(3)).join(" / ")} |`);
    }
  }
  const pools = new Map<string, Pool>();
  const addTo = (key: string, r: (typeof results)[number]["r"]) => {
    const p = pools.get(key) ?? { files: 0, flips: emptyTally(), outliers: emptyTally() };
    p.files++;
    add(p.flips, r.flips);
    add(p.outliers, r.outliers);
    pools.set(key, p);
  };
  for (const { table, r } of results) {
    const clean = r.truth.flipped.length + r.truth.outliers.length === 0;
    const named = groups.get(table) ?? [];
    for (const key of clean ? ["clean"] : [String(r.truth.seed), "all seeds"]) {
      addTo(key, r);
      for (const group of named) addTo(`${group} ${key}`, r);
      // Secondary figure (set G): tables whose clean copy estimates ≥ 0.8 achievable flip recall.
      if (!clean && (ceilings.get(table) ?? 0) >= 0.8) addTo(`estimate ≥ 0.8: ${key}`, r);
    }
  }
  const f = (x: number) => x.toFixed(3);
  console.log("\nPooled over files (injected rows of all tables together; ranked: each file's own FPR-5 % cut):\n");
  console.log(
    "| seed | files | flips | flip recall (default) | flip FPR | flips @FPR≤5% | target | outliers | outlier recall (default) | outlier FPR | outliers @FPR≤5% | target |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|---|---|");
  const order = [...pools.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  for (const key of order) {
    const p = pools.get(key)!;
    const fl = pooled(p.flips);
    const ou = pooled(p.outliers);
    if (key.endsWith("clean")) {
      console.log(
        `| ${key} (nothing injected) | ${p.files} | 0 | – | ${f(fl.fpr)} | – | ${fl.fpr <= 0.05 ? "≤ 5 %" : "> 5 %"} | 0 | – | ${f(ou.fpr)} | – | ${ou.fpr <= 0.05 ? "≤ 5 %" : "> 5 %"} |`,
      );
      continue;
    }
    const ok = (x: { recall: number; fpr: number }, target: number) => (x.recall >= target && x.fpr <= 0.05 ? "met" : "not met");
    console.log(
      `| ${key} | ${p.files} | ${p.flips.injected} | ${f(fl.recall)} | ${f(fl.fpr)} | ${f(fl.ranked)} | ${ok(fl, 0.8)} | ${p.outliers.injected} | ${f(ou.recall)} | ${f(ou.fpr)} | ${f(ou.ranked)} | ${ok(ou, 0.9)} |`,
    );
  }
}

/** Seeds first, then all seeds together, then the clean files. */
function rank(key: string): number {
  const group = key.includes(" ") && !key.startsWith("all") ? 3 : 0;
  return group + (key.endsWith("clean") ? 2 : key.endsWith("all seeds") ? 1 : 0);
}

interface Tally {
  hits: number;
  falsePositives: number;
  injected: number;
  negatives: number;
  rankedHits: number;
}

interface Pool {
  files: number;
  flips: Tally;
  outliers: Tally;
}

function emptyTally(): Tally {
  return { hits: 0, falsePositives: 0, injected: 0, negatives: 0, rankedHits: 0 };
}

function add(into: Tally, r: Tally): void {
  into.hits += r.hits;
  into.falsePositives += r.falsePositives;
  into.injected += r.injected;
  into.negatives += r.negatives;
  into.rankedHits += r.rankedHits;
}

/** Pooled recall, FPR and ranked recall of a tally. */
export function pooled(t: Tally): { recall: number; fpr: number; ranked: number } {
  return { recall: t.hits / Math.max(1, t.injected), fpr: t.falsePositives / Math.max(1, t.negatives), ranked: t.rankedHits / Math.max(1, t.injected) };
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
