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
 * (≥ 80 % of flips, ≥ 90 % of outliers, FPR ≤ 5 %) either way.
 *
 * The second injector, scripts/poison-inject-confusable.py, writes the same formats.
 */
import { readFileSync } from "node:fs";
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
    return {
      recall: injected.filter((r) => found.has(r)).length / Math.max(1, injected.length),
      fpr: [...found].filter((r) => !set.has(r)).length / (truth.rows - set.size),
      flagged: found.size,
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
    return best / Math.max(1, set.size);
  };
  return {
    truth,
    flips: { ...rate(flagged("label-noise"), truth.flipped), atFpr5: atFpr(report.rowScores.labelNoise, truth.flipped, 0.05) },
    outliers: { ...rate(flagged("outlier"), truth.outliers), atFpr5: atFpr(report.rowScores.outlier, truth.outliers, 0.05) },
    wallMs: wall,
    cpuMs: (c.user + c.system) / 1000,
  };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.length < 2 || args.length % 2) {
    console.error("usage: npx tsx bench/poison-external.ts POISONED.csv TRUTH.json [POISONED.csv TRUTH.json …]");
    process.exit(2);
  }
  console.log(
    "| dataset | rows | features | classes | seed | flips | flip recall | flip FPR | flip recall @FPR≤5% | outliers | outlier recall | outlier FPR | outlier recall @FPR≤5% | CPU ms |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
  const met = { flipsDefault: 0, outliersDefault: 0, flipsRanked: 0, outliersRanked: 0 };
  for (let i = 0; i < args.length; i += 2) {
    const r = await evaluatePoison(args[i]!, args[i + 1]!);
    if (r.flips.recall >= 0.8 && r.flips.fpr <= 0.05) met.flipsDefault++;
    if (r.outliers.recall >= 0.9 && r.outliers.fpr <= 0.05) met.outliersDefault++;
    if (r.flips.atFpr5 >= 0.8) met.flipsRanked++;
    if (r.outliers.atFpr5 >= 0.9) met.outliersRanked++;
    const t = r.truth;
    const f = (x: number) => x.toFixed(3);
    console.log(
      `| ${basename(args[i]!, ".csv")} | ${t.rows} | ${t.features} | ${t.classes} | ${t.seed} | ${t.flipped.length} | ${f(r.flips.recall)} | ${f(r.flips.fpr)} | ${f(r.flips.atFpr5)} | ${t.outliers.length} | ${f(r.outliers.recall)} | ${f(r.outliers.fpr)} | ${f(r.outliers.atFpr5)} | ${Math.round(r.cpuMs)} |`,
    );
  }
  const files = args.length / 2;
  console.log(
    `\nTargets met — default operating point: flips ${met.flipsDefault}/${files}, outliers ${met.outliersDefault}/${files}; ranked at FPR ≤ 5 %: flips ${met.flipsRanked}/${files}, outliers ${met.outliersRanked}/${files}`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
