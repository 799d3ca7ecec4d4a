import { basename } from "node:path";
import { type Command, Option } from "commander";
import { RampartError, sha256File } from "../../core/index.js";
import { loadCsvColumn } from "../../ml/index.js";
import {
  type AccountantName,
  budgetStatus,
  calibrateNoise,
  dpCount,
  dpHistogram,
  dpMean,
  dpQuantile,
  dpSum,
  type NoiseKind,
  prvEpsilon,
  rdpEpsilon,
  setBudget,
  spendBudget,
} from "../../privacy/dp/index.js";
import { openStore } from "../../store/index.js";

/** Parses a number flag within bounds, naming the flag on error. */
export function num(flag: string, opts: { min?: number; max?: number; int?: boolean; exclusiveMin?: boolean } = {}) {
  return (value: string): number => {
    const n = Number(value);
    const bad =
      value.trim() === "" ||
      !Number.isFinite(n) ||
      (opts.int && !Number.isInteger(n)) ||
      (opts.min !== undefined && (opts.exclusiveMin ? n <= opts.min : n < opts.min)) ||
      (opts.max !== undefined && n > opts.max);
    if (bad) {
      const range = [opts.min !== undefined ? `${opts.exclusiveMin ? ">" : ">="} ${opts.min}` : "", opts.max !== undefined ? `<= ${opts.max}` : ""].filter(Boolean).join(" and ");
      throw new RampartError("usage", `${flag}: expected ${opts.int ? "a whole number" : "a number"}${range ? ` ${range}` : ""}, got "${value}"`);
    }
    return n;
  };
}

function accountants(value: string): AccountantName[] {
  const list = value.split(",").map((s) => s.trim());
  for (const a of list) if (a !== "rdp" && a !== "prv") throw new RampartError("usage", `--accountant: unknown accountant "${a}" (known: rdp, prv)`);
  return list as AccountantName[];
}

export function registerPrivacy(program: Command): void {
  const privacy = program.command("privacy").description("differential privacy: accountants, noise calibration, per-dataset budgets");

  privacy
    .command("epsilon")
    .description("epsilon spent by DP-SGD (Poisson-sampled Gaussian mechanism), by each accountant")
    .requiredOption("--sample-rate <q>", "probability each example is in a batch (batch size / dataset size)", num("--sample-rate", { min: 0, max: 1, exclusiveMin: true }))
    .requiredOption("--noise-multiplier <sigma>", "noise standard deviation / clipping norm", num("--noise-multiplier", { min: 0, exclusiveMin: true }))
    .requiredOption("--steps <n>", "number of optimizer steps (epochs / sample rate)", num("--steps", { min: 1, int: true }))
    .requiredOption("--delta <d>", "target delta (below 1 / dataset size)", num("--delta", { min: 0, max: 1, exclusiveMin: true }))
    .option("--accountant <list>", "comma-separated: rdp (as Opacus), prv (tighter, Gopi et al.)", accountants, ["rdp", "prv"] as AccountantName[])
    .option("--eps-error <e>", "PRV accountant: allowed epsilon error", num("--eps-error", { min: 0, exclusiveMin: true }), 0.01)
    .addOption(new Option("-f, --format <format>", "output format").choices(["table", "json"]).default("table"))
    .addHelpText(
      "after",
      `
RDP: Mironov, Talwar, Zhang 2019 with Opacus' 151 default orders and Opacus' current conversion
(Balle et al. 2020, Thm 21); "rdp-classic" shows the older conversion that README figures use.
PRV: Gopi, Lee, Wutschitz 2021 with Opacus' defaults (eps_error 0.01, delta_error delta/1000); the
upper bound is printed.

Example (Opacus MNIST example, batch 240 of 60000 for 60 epochs):
  rampart privacy epsilon --sample-rate 0.004 --noise-multiplier 1.1 --steps 15000 --delta 1e-5`,
    )
    .action((opts: { sampleRate: number; noiseMultiplier: number; steps: number; delta: number; accountant: AccountantName[]; epsError: number; format: string }) => {
      const phases = [{ sampleRate: opts.sampleRate, noiseMultiplier: opts.noiseMultiplier, steps: opts.steps }];
      const rows: Array<{ accountant: string; epsilon: number; detail: Record<string, unknown> }> = [];
      for (const a of opts.accountant) {
        if (a === "rdp") {
          const r = rdpEpsilon(phases, opts.delta);
          rows.push({ accountant: "rdp", epsilon: r.epsilon, detail: { order: r.order, optimumAtBoundary: r.atBoundary } });
          const c = rdpEpsilon(phases, opts.delta, { conversion: "classic" });
          rows.push({ accountant: "rdp-classic", epsilon: c.epsilon, detail: { order: c.order } });
        } else {
          const p = prvEpsilon(phases, opts.delta, { epsError: opts.epsError });
          rows.push({ accountant: "prv", epsilon: p.epsilon, detail: { lower: p.lower, estimate: p.estimate, upper: p.upper, meshSize: p.meshSize, points: p.points } });
        }
      }
      if (opts.format === "json") {
        process.stdout.write(`${JSON.stringify({ ...phases[0], delta: opts.delta, results: rows }, null, 2)}\n`);
        return;
      }
      const lines = [`sample rate ${opts.sampleRate}, noise multiplier ${opts.noiseMultiplier}, ${opts.steps} steps, delta ${opts.delta}`, "ACCOUNTANT   EPSILON    DETAIL"];
      for (const r of rows) {
        const detail =
          r.accountant === "prv"
            ? `estimate ${(r.detail.estimate as number).toFixed(4)}, bounds [${(r.detail.lower as number).toFixed(4)}, ${(r.detail.upper as number).toFixed(4)}]`
            : `best order ${r.detail.order}${r.detail.optimumAtBoundary ? " (at the edge of the order range)" : ""}`;
        lines.push(`${r.accountant.padEnd(12)} ${r.epsilon.toFixed(4).padStart(9)}  ${detail}`);
      }
      process.stdout.write(`${lines.join("\n")}\n`);
    });

  privacy
    .command("calibrate")
    .description("smallest noise multiplier that keeps DP-SGD within a target epsilon")
    .requiredOption("--target-epsilon <e>", "privacy budget epsilon", num("--target-epsilon", { min: 0, exclusiveMin: true }))
    .requiredOption("--delta <d>", "target delta", num("--delta", { min: 0, max: 1, exclusiveMin: true }))
    .requiredOption("--sample-rate <q>", "batch size / dataset size", num("--sample-rate", { min: 0, max: 1, exclusiveMin: true }))
    .option("--steps <n>", "optimizer steps", num("--steps", { min: 1, int: true }))
    .option("--epochs <n>", "epochs (steps = epochs / sample rate, as Opacus)", num("--epochs", { min: 0, exclusiveMin: true }))
    .addOption(new Option("--accountant <name>", "accountant to calibrate with").choices(["rdp", "prv"]).default("rdp"))
    .option("--tolerance <e>", "stop when epsilon is within this of the target", num("--tolerance", { min: 0, exclusiveMin: true }), 0.01)
    .addOption(new Option("-f, --format <format>", "output format").choices(["table", "json"]).default("table"))
    .addHelpText(
      "after",
      "\nSame search as Opacus get_noise_multiplier (doubling, then bisection).\nExample:\n  rampart privacy calibrate --target-epsilon 3 --delta 1e-5 --sample-rate 0.004 --epochs 20",
    )
    .action(
      (opts: { targetEpsilon: number; delta: number; sampleRate: number; steps?: number; epochs?: number; accountant: AccountantName; tolerance: number; format: string }) => {
        if ((opts.steps === undefined) === (opts.epochs === undefined)) throw new RampartError("usage", "give exactly one of --steps and --epochs");
        const steps = opts.steps ?? Math.floor(opts.epochs! / opts.sampleRate);
        const r = calibrateNoise({
          targetEpsilon: opts.targetEpsilon,
          delta: opts.delta,
          sampleRate: opts.sampleRate,
          steps,
          accountant: opts.accountant,
          epsilonTolerance: opts.tolerance,
        });
        if (opts.format === "json")
          process.stdout.write(`${JSON.stringify({ ...r, steps, sampleRate: opts.sampleRate, delta: opts.delta, accountant: opts.accountant }, null, 2)}\n`);
        else process.stdout.write(`noise multiplier ${r.noiseMultiplier}  (epsilon ${r.epsilon.toFixed(4)} by ${opts.accountant}, ${steps} steps, delta ${opts.delta})\n`);
      },
    );

  const budget = privacy.command("budget").description("a dataset's privacy budget: set it, see what runs have spent");
  budget
    .command("set")
    .description("set the total (epsilon, delta) budget of a dataset, identified by its sha256")
    .argument("<dataset>", "dataset file")
    .requiredOption("--epsilon <e>", "total epsilon over all runs", num("--epsilon", { min: 0, exclusiveMin: true }))
    .requiredOption("--delta <d>", "total delta over all runs", num("--delta", { min: 0, max: 1 }))
    .option("--database-url <url>", "store (postgres://… or a SQLite path; default RAMPART_DATABASE_URL, then .rampart/rampart.db)")
    .addHelpText("after", "\nRuns that would spend more are refused (exit 2).\nExample:\n  rampart privacy budget set data/train.csv --epsilon 8 --delta 1e-5")
    .action(async (file: string, opts: { epsilon: number; delta: number; databaseUrl?: string }) => {
      const sha = await sha256File(file);
      const store = await openStore({ url: opts.databaseUrl });
      try {
        await setBudget(store, { datasetSha256: sha, datasetName: file, epsilon: opts.epsilon, delta: opts.delta });
        const s = await budgetStatus(store, sha);
        process.stdout.write(`budget for ${file} (sha256 ${sha.slice(0, 16)}…): epsilon ${opts.epsilon}, delta ${opts.delta}; spent ${s.spent.epsilon.toFixed(4)}\n`);
      } finally {
        await store.close();
      }
    });
  budget
    .command("show")
    .description("a dataset's budget and every spend recorded against it")
    .argument("<dataset>", "dataset file")
    .option("--database-url <url>", "store (default RAMPART_DATABASE_URL, then .rampart/rampart.db)")
    .addOption(new Option("-f, --format <format>", "output format").choices(["table", "json"]).default("table"))
    .addHelpText("after", "\nExample:\n  rampart privacy budget show data/train.csv --format json")
    .action(async (file: string, opts: { databaseUrl?: string; format: string }) => {
      const sha = await sha256File(file);
      const store = await openStore({ url: opts.databaseUrl });
      try {
        const s = await budgetStatus(store, sha);
        if (opts.format === "json") {
          process.stdout.write(`${JSON.stringify({ dataset: file, sha256: sha, ...s }, null, 2)}\n`);
          return;
        }
        const lines = [
          `dataset   ${file}  sha256:${sha}`,
          s.budget ? `budget    epsilon ${s.budget.epsilon}, delta ${s.budget.delta}` : "budget    (none set)",
          `spent     epsilon ${s.spent.epsilon.toFixed(4)}, delta ${s.spent.delta}`,
          ...(s.remaining ? [`remaining epsilon ${s.remaining.epsilon.toFixed(4)}, delta ${s.remaining.delta}`] : []),
          ...s.spends.map((p) => `  #${p.id} ${p.createdAt}  ${p.mechanism.padEnd(10)} epsilon ${p.epsilon.toFixed(4)}  delta ${p.delta}`),
        ];
        process.stdout.write(`${lines.join("\n")}\n`);
      } finally {
        await store.close();
      }
    });

  privacy
    .command("stats")
    .description("release a differentially private statistic of a CSV column, charged to the dataset's budget")
    .argument("<data>", "CSV file with a header")
    .requiredOption("--column <name>", "numeric column")
    .addOption(new Option("--stat <kind>", "statistic").choices(["count", "sum", "mean", "histogram", "quantile"]).makeOptionMandatory())
    .requiredOption("--epsilon <e>", "epsilon spent by this release", num("--epsilon", { min: 0, exclusiveMin: true }))
    .addOption(new Option("--noise <kind>", "discrete Laplace (pure DP) or discrete Gaussian (needs --delta)").choices(["laplace", "gaussian"]).default("laplace"))
    .option("--delta <d>", "delta for --noise gaussian", num("--delta", { min: 0, max: 1, exclusiveMin: true }))
    .option("--lower <x>", "lower clipping bound (sum, mean, histogram, quantile)", num("--lower"))
    .option("--upper <x>", "upper clipping bound", num("--upper"))
    .option("--bins <n>", "histogram: equal-width bins over [lower, upper]", num("--bins", { min: 1, int: true }), 10)
    .option("--quantile <q>", "quantile: which one (0.5 = median)", num("--quantile", { min: 0, max: 1 }), 0.5)
    .option("--database-url <url>", "store for the budget (default RAMPART_DATABASE_URL, then .rampart/rampart.db)")
    .addOption(new Option("-f, --format <format>", "output format").choices(["table", "json"]).default("table"))
    .addHelpText(
      "after",
      `
Bounds must come from public knowledge, not from the data. Noise is exact discrete Laplace/Gaussian
(Canonne-Kamath-Steinke) over values snapped to a grid, so floating-point attacks do not apply.
The release is refused (exit 2) when it would overspend the dataset's budget.

Example:
  rampart privacy stats data/patients.csv --column age --stat mean --lower 0 --upper 120 --epsilon 0.5`,
    )
    .action(
      async (
        file: string,
        opts: {
          column: string;
          stat: string;
          epsilon: number;
          noise: NoiseKind;
          delta?: number;
          lower?: number;
          upper?: number;
          bins: number;
          quantile: number;
          databaseUrl?: string;
          format: string;
        },
      ) => {
        if (opts.noise === "gaussian" && opts.delta === undefined) throw new RampartError("usage", "--noise gaussian needs --delta");
        if (opts.noise === "laplace" && opts.delta !== undefined) throw new RampartError("usage", "--delta applies to --noise gaussian only");
        if (opts.stat === "quantile" && opts.noise === "gaussian")
          throw new RampartError("usage", "--stat quantile uses the exponential mechanism (pure DP): drop --noise gaussian");
        const needsBounds = opts.stat !== "count";
        if (needsBounds && (opts.lower === undefined || opts.upper === undefined))
          throw new RampartError("usage", `--stat ${opts.stat} needs --lower and --upper (public bounds, not taken from the data)`);
        if (needsBounds && !(opts.lower! < opts.upper!)) throw new RampartError("usage", "--lower must be below --upper");
        const values = await loadCsvColumn(file, opts.column);
        const budget = { epsilon: opts.epsilon, delta: opts.delta };
        const bounds = { lower: opts.lower ?? 0, upper: opts.upper ?? 1 };
        const sha = await sha256File(file);
        const store = await openStore({ url: opts.databaseUrl });
        try {
          // Charge first: a refused release computes nothing.
          await spendBudget(store, {
            datasetSha256: sha,
            datasetName: basename(file),
            epsilon: opts.epsilon,
            delta: opts.delta ?? 0,
            mechanism: `${opts.stat}/${opts.noise}`,
            detail: { ...opts },
          });
          let result: Record<string, unknown>;
          if (opts.stat === "count") result = { ...dpCount(values.length, budget, opts.noise) };
          else if (opts.stat === "sum") result = { ...dpSum(values, bounds, budget, opts.noise) };
          else if (opts.stat === "mean") result = { ...dpMean(values, bounds, budget, opts.noise) };
          else if (opts.stat === "quantile") result = { quantile: opts.quantile, ...dpQuantile(values, opts.quantile, bounds, budget) };
          else {
            const width = (bounds.upper - bounds.lower) / opts.bins;
            const binOf = Array.from(values, (v) => Math.min(opts.bins - 1, Math.max(0, Math.floor((v - bounds.lower) / width))));
            const h = dpHistogram(binOf, opts.bins, budget, opts.noise);
            result = { ...h, edges: Array.from({ length: opts.bins + 1 }, (_, i) => bounds.lower + i * width) };
          }
          if (opts.format === "json") {
            process.stdout.write(`${JSON.stringify({ dataset: file, column: opts.column, stat: opts.stat, ...result }, null, 2)}\n`);
            return;
          }
          const value = Array.isArray(result.counts) ? (result.counts as number[]).join(", ") : String(result.value);
          process.stdout.write(
            `${opts.stat} of ${opts.column}: ${value}\n(${result.mechanism}, epsilon ${opts.epsilon}${opts.delta ? `, delta ${opts.delta}` : ""}, noise scale ${Number(result.scale).toPrecision(4)})\n`,
          );
        } finally {
          await store.close();
        }
      },
    );
}
