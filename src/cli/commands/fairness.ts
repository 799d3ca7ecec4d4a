import { type Command, Option } from "commander";
import { RampartError, SEVERITIES, type Severity } from "../../core/index.js";
import { auditFile, defaultThresholds, type FairnessOptions, summariseFairness, type Threshold } from "../../fairness/index.js";
import { emitResults, type OutputOptions, withOutputOptions } from "../output.js";

interface CommonFlags extends OutputOptions {
  sensitive: string;
  label: string;
  posLabel: string;
  task: "classification" | "regression";
  minGroupSize: number;
  maxGroups: number;
  bootstrap: number;
  seed: number;
  confidence: number;
  privileged?: string[];
  threshold?: string[];
  intersections: boolean;
  inputFormat?: "csv" | "tsv" | "jsonl";
}

export function registerFairness(program: Command): void {
  const fairness = common(
    program
      .command("fairness")
      .description("audit a model's predictions for group fairness (Fairlearn/AIF360 definitions), with bootstrap confidence intervals")
      .argument("<file>", "CSV, TSV or JSON Lines file with one row per example: sensitive columns, true label, prediction")
      .option("--pred <col>", "predicted label (classification) or predicted value (regression)")
      .option("--score <col>", "predicted probability of the positive label in [0, 1]: adds calibration (mean score, Brier, ECE)"),
  ).addHelpText(
    "after",
    `
Metrics per group: selection rate, TPR, FPR, FNR, TNR, precision, accuracy (+ calibration with --score);
regression (--task regression): mean prediction, mean error, MAE, RMSE. Per attribute and for every
intersection of attributes: demographic parity difference/ratio, disparate impact (four-fifths rule),
equalized odds difference/ratio, equal opportunity difference/ratio, and Fairlearn's to_overall forms.

Default thresholds (override with --threshold):
  disparate_impact>=0.8:high   demographic_parity_difference<=0.1:medium
  equalized_odds_difference<=0.1:medium   equal_opportunity_difference<=0.1:medium
  calibration_gap_difference<=0.1:medium  (regression: mean_prediction_ratio>=0.8, mean_absolute_error_ratio>=0.8)

Examples:
  rampart fairness scored.csv --sensitive sex,race --label approved --pred predicted --score p_approved
  rampart fairness preds.jsonl --sensitive age_band --label y --pred yhat --pos-label yes --privileged age_band=25-45 \\
      --threshold "disparate_impact>=0.9:critical" --format json -o fairness.json
  rampart fairness house.csv --sensitive district --label price --pred predicted_price --task regression
  rampart fairness data train.csv --sensitive sex,race --label approved      (bias in the data, before training)`,
  );
  fairness.action(async (file: string, flags: CommonFlags & { pred?: string; score?: string }) => {
    if (!flags.pred) throw new RampartError("usage", "fairness: --pred COL is required (the column with the model's predictions); for labels alone use `rampart fairness data`");
    const options = optionsOf(flags, "model");
    options.prediction = flags.pred;
    if (flags.score) options.score = flags.score;
    await run(file, options, "model", flags);
  });

  common(
    fairness
      .command("data")
      .description("measure bias in a dataset before training: representation and base rates by group (AIF360 dataset metrics)")
      .argument("<file>", "CSV, TSV or JSON Lines training data"),
  )
    .addHelpText(
      "after",
      `
Per group: count, share and base rate P(label = positive) (regression: mean label). Per attribute and
intersection: representation ratio (smallest group / largest), base rate difference and ratio
(= AIF360's dataset disparate impact, unsigned), and signed AIF360 metrics against --privileged.

Example:
  rampart fairness data train.csv --sensitive sex,race --label approved --pos-label yes --privileged sex=M`,
    )
    .action(async (file: string, flags: CommonFlags) => {
      await run(file, optionsOf(flags, "data"), "data", flags);
    });
}

function common(cmd: Command): Command {
  return withOutputOptions(
    cmd
      .requiredOption("--sensitive <cols>", "comma-separated sensitive columns; their intersections are audited too")
      .requiredOption("--label <col>", "true label (classification) or true value (regression)")
      .option("--pos-label <value>", "the favourable label value (numbers compare numerically, true/false ignore case)", "1")
      .addOption(new Option("--task <task>", "classification or regression").choices(["classification", "regression"]).default("classification"))
      .option("--min-group-size <n>", "flag groups with fewer rows (they are still reported and aggregated)", (v) => int(v, "--min-group-size", 0), 30)
      .option("--max-groups <n>", "refuse an attribute with more distinct values", (v) => int(v, "--max-groups", 1), 1000)
      .option("--bootstrap <n>", "bootstrap replicates for confidence intervals (0 = none)", (v) => int(v, "--bootstrap", 0), 200)
      .option("--seed <n>", "bootstrap seed (same seed and data, same intervals)", (v) => int(v, "--seed", 0), 1)
      .option("--confidence <level>", "confidence level of the intervals", (v) => level(v), 0.95)
      .option("--privileged <col=value...>", "privileged group of a column, for AIF360 signed metrics (repeatable)")
      .option("--threshold <rule...>", 'e.g. "disparate_impact>=0.9:critical", "demographic_parity_difference<=0.05", "equalized_odds_difference=off"')
      .option("--no-intersections", "audit each sensitive column alone, not their combinations")
      .addOption(new Option("--input-format <format>", "input format (default: from the extension)").choices(["csv", "tsv", "jsonl"])),
  );
}

function optionsOf(flags: CommonFlags, mode: "model" | "data"): FairnessOptions {
  const sensitive = flags.sensitive
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (sensitive.length === 0) throw new RampartError("usage", "--sensitive: name at least one column");
  const privileged: Record<string, string> = {};
  for (const p of flags.privileged ?? []) {
    const eq = p.indexOf("=");
    if (eq <= 0) throw new RampartError("usage", `--privileged ${p}: expected COLUMN=VALUE`);
    privileged[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return {
    sensitive,
    label: flags.label,
    positiveLabel: flags.posLabel,
    task: flags.task,
    intersections: flags.intersections,
    minGroupSize: flags.minGroupSize,
    maxGroups: flags.maxGroups,
    bootstrap: flags.bootstrap,
    seed: flags.seed,
    confidence: flags.confidence,
    ...(Object.keys(privileged).length ? { privileged } : {}),
    thresholds: parseThresholds(flags.threshold ?? [], flags.task, mode),
    ...(flags.inputFormat ? { format: flags.inputFormat } : {}),
  };
}

/** `NAME>=V[:SEV]`, `NAME<=V[:SEV]`, `NAME=V[:SEV]` (direction of the default, else by name) or `NAME=off`. */
export function parseThresholds(rules: readonly string[], task: "classification" | "regression", mode: "model" | "data"): Record<string, Threshold | null> {
  const defaults = defaultThresholds(task, mode);
  const out: Record<string, Threshold | null> = {};
  for (const rule of rules) {
    const m = /^([A-Za-z0-9_.]+)\s*(>=|<=|=)\s*([^:]+?)\s*(?::\s*([a-z]+))?$/.exec(rule.trim());
    if (!m) throw new RampartError("usage", `--threshold ${rule}: expected NAME>=VALUE, NAME<=VALUE or NAME=off, optionally :SEVERITY`);
    const [, name, op, raw, sev] = m as unknown as [string, string, string, string, string | undefined];
    if (raw === "off") {
      out[name] = null;
      continue;
    }
    const value = Number(raw);
    if (!Number.isFinite(value)) throw new RampartError("usage", `--threshold ${rule}: "${raw}" is not a number`);
    if (sev !== undefined && !(SEVERITIES as readonly string[]).includes(sev))
      throw new RampartError("usage", `--threshold ${rule}: severity must be one of ${SEVERITIES.join(", ")}`);
    const lower = op === ">=" || (op === "=" && (defaults[name] ? defaults[name].min !== undefined : /(_ratio|disparate_impact)$/.test(name)));
    out[name] = { ...(lower ? { min: value } : { max: value }), ...(sev ? { severity: sev as Severity } : {}) };
  }
  return out;
}

async function run(file: string, options: FairnessOptions, mode: "model" | "data", flags: OutputOptions): Promise<void> {
  const result = await auditFile(file, options, mode);
  if (flags.format === "table" && !flags.output) process.stdout.write(summariseFairness(result));
  process.exitCode = await emitResults([result], flags);
}

function int(value: string, flag: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new RampartError("usage", `${flag}: expected a whole number of at least ${min}, got "${value}"`);
  return n;
}

function level(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n < 1)) throw new RampartError("usage", `--confidence: expected a number between 0 and 1 (e.g. 0.95), got "${value}"`);
  return n;
}
