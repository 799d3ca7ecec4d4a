import { existsSync } from "node:fs";
import { join } from "node:path";
import { type Command, Option } from "commander";
import { loadPublicKey } from "../../attest/index.js";
import { RampartError, SEVERITIES, type Severity, subjectOf, writeFileAtomic } from "../../core/index.js";
import {
  auditFile,
  defaultThresholds,
  type Evidence,
  evidenceFromFiles,
  evidenceFromStore,
  type FairnessOptions,
  isProjectState,
  type ModelCardInput,
  modelCardCycloneDx,
  renderModelCardHtml,
  renderModelCardMarkdown,
  summariseFairness,
  type Threshold,
} from "../../fairness/index.js";
import { openStore } from "../../store/index.js";
import { emitResults, interactive, type OutputOptions, withOutputOptions } from "../output.js";

interface CommonFlags extends OutputOptions {
  sensitive: string;
  weight?: string;
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
  // `fairness data FILE` shares every flag with `fairness FILE`; a commander subcommand would lose them to
  // the parent (global options stay recognisable after the command), so `data` is a leading word instead.
  common(
    program
      .command("fairness")
      .usage("[data] <file> --sensitive <cols> --label <col> [--pred <col>] [options]")
      .description("audit a model's predictions for group fairness (Fairlearn/AIF360 definitions) with bootstrap intervals; `fairness data` audits training data")
      .argument("<file>", "CSV, TSV or JSON Lines file, one row per example (or the word `data`, then the file)")
      .argument("[data-file]", "after `data`: the training data to audit for bias before training")
      .option("--pred <col>", "predicted label (classification) or predicted value (regression)")
      .option("--score <col>", "predicted probability of the positive label in [0, 1]: adds calibration (mean score, Brier, ECE)"),
  )
    .addHelpText(
      "after",
      `
Model audit (needs --pred). Per group: selection rate, TPR, FPR, FNR, TNR, precision, accuracy
(+ calibration with --score); regression (--task regression): mean prediction, mean error, MAE, RMSE.
Per attribute and every intersection of attributes: demographic parity difference/ratio, disparate
impact (four-fifths rule), equalized odds difference/ratio, equal opportunity difference/ratio, and
Fairlearn's to_overall forms; AIF360 signed metrics against --privileged groups.

Data audit (\`fairness data FILE\`, no predictions). Per group: count, share and base rate
P(label = positive) (regression: mean label). Per attribute: representation ratio (smallest group /
largest), base rate difference and ratio (= AIF360's dataset disparate impact, unsigned).

Default thresholds (override with --threshold):
  disparate_impact>=0.8:high   demographic_parity_difference<=0.1:medium
  equalized_odds_difference<=0.1:medium   equal_opportunity_difference<=0.1:medium
  calibration_gap_difference<=0.1:medium  (regression: mean_prediction_ratio>=0.8, mean_absolute_error_ratio>=0.8)
  data: disparate_impact>=0.8:medium  base_rate_difference<=0.1:low  representation_ratio>=0.2:low

Examples:
  rampart fairness scored.csv --sensitive sex,race --label approved --pred predicted --score p_approved
  rampart fairness preds.jsonl --sensitive age_band --label y --pred yhat --pos-label yes --privileged age_band=25-45 \\
      --threshold "disparate_impact>=0.9:critical" --format json -o fairness.json
  rampart fairness house.csv --sensitive district --label price --pred predicted_price --task regression
  rampart fairness data train.csv --sensitive sex,race --label approved --pos-label yes`,
    )
    .action(async (first: string, second: string | undefined, flags: CommonFlags & { pred?: string; score?: string }) => {
      if (first === "data") {
        if (!second) throw new RampartError("usage", "fairness data: name the data file (rampart fairness data FILE --sensitive … --label …)");
        if (flags.pred || flags.score) throw new RampartError("usage", "fairness data: audits labels before training; --pred and --score belong to `rampart fairness FILE`");
        await run(second, optionsOf(flags, "data"), "data", flags);
        return;
      }
      if (second) throw new RampartError("usage", `fairness: unexpected argument "${second}" (one file; for a data audit: rampart fairness data FILE)`);
      if (!flags.pred)
        throw new RampartError("usage", "fairness: --pred COL is required (the column with the model's predictions); for labels alone use `rampart fairness data FILE`");
      const options = optionsOf(flags, "model");
      options.prediction = flags.pred;
      if (flags.score) options.score = flags.score;
      await run(first, options, "model", flags);
    });
}

function common(cmd: Command): Command {
  return withOutputOptions(
    cmd
      .requiredOption("--sensitive <cols>", "comma-separated sensitive columns; their intersections are audited too")
      .requiredOption("--label <col>", "true label (classification) or true value (regression)")
      .option("--weight <col>", "sample weight per row (≥ 0), as Fairlearn's sample_weight: every count becomes a sum of weights")
      .option("--pos-label <value>", "the favourable label value (numbers compare numerically, true/false ignore case)", "1")
      .addOption(new Option("--task <task>", "classification or regression").choices(["classification", "regression"]).default("classification"))
      .option("--min-group-size <n>", "flag groups with fewer rows (they are still reported and aggregated)", (v) => int(v, "--min-group-size", 0), 30)
      .option("--max-groups <n>", "refuse an attribute with more distinct values", (v) => int(v, "--max-groups", 1), 1000)
      .option("--bootstrap <n>", "bootstrap replicates for confidence intervals (0 = none)", (v) => int(v, "--bootstrap", 0), 200)
      .option("--seed <n>", "bootstrap seed (same seed and data, same intervals)", (v) => int(v, "--seed", 0), 1)
      .option("--confidence <level>", "confidence level of the intervals", (v) => level(v), 0.95)
      .option("--privileged <col=value>", "privileged group of a column, for AIF360 signed metrics (repeat for several columns)", collect, [])
      .option("--threshold <rule>", 'repeatable: "disparate_impact>=0.9:critical", "demographic_parity_difference<=0.05", "equalized_odds_difference=off"', collect, [])
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
    ...(flags.weight ? { weight: flags.weight } : {}),
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
  // A live row count on a terminal; nothing in CI, with --quiet, or when stderr is not a TTY.
  const live = interactive(process.stderr);
  const result = await auditFile(file, options, mode, {
    progress: live ? (rows) => process.stderr.write(`\r\x1b[2K… ${file}: ${rows.toLocaleString("en")} rows`) : undefined,
  });
  if (live) process.stderr.write("\r\x1b[2K");
  if (flags.format === "table" && !flags.output) process.stdout.write(summariseFairness(result));
  process.exitCode = await emitResults([result], flags);
}

/** Repeatable flag (not variadic, so a flag before the file cannot swallow it). */
function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
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

interface CardFlags {
  model?: string;
  sha256?: string;
  name?: string;
  evidence?: string[];
  key?: string[];
  project: string;
  databaseUrl?: string;
  format: "markdown" | "html" | "cyclonedx";
  output?: string;
  description?: string;
  modelVersion?: string;
  owner?: string;
  intendedUse?: string;
  outOfScope?: string;
  limitation?: string[];
  ethical?: string[];
}

export function registerModelCard(program: Command): void {
  program
    .command("model-card")
    .description("write a model card (Markdown, HTML, or CycloneDX 1.6 modelCard) from the evidence recorded for a model")
    .option("--model <path>", "the model file or folder: its sha256 selects its attestations in the store")
    .option("--sha256 <hex>", "select attestations by the model's sha256 instead of --model")
    .option("--name <name>", "model name on the card (default: --model path)")
    .option("--evidence <file...>", "CheckResult JSON (--format json output) or DSSE envelope files to include")
    .option("--key <pem...>", "trusted public key(s): every envelope must verify, and the card says so")
    .option("--project <dir>", "project whose store to read", ".")
    .option("--database-url <url>", "store URL (default RAMPART_DATABASE_URL, then PROJECT/.rampart/rampart.db)")
    .addOption(new Option("-f, --format <format>", "card format").choices(["markdown", "html", "cyclonedx"]).default("markdown"))
    .option("-o, --output <file>", "write the card to FILE (atomically) instead of standard output")
    .option("--description <text>", "what the model does")
    .option("--model-version <text>", "model version")
    .option("--owner <text>", "owning team or person")
    .option("--intended-use <text>", "intended use")
    .option("--out-of-scope <text>", "uses the model is not meant for")
    .option("--limitation <text...>", "known limitation (repeatable)")
    .option("--ethical <text...>", "ethical consideration (repeatable)")
    .addHelpText(
      "after",
      `
Evidence comes from the project's store (attestations whose first subject is the model) and/or from
--evidence files. Fairness results become per-attribute tables, intervals, threshold status and, in
CycloneDX, quantitativeAnalysis.performanceMetrics (slice = attribute or group) and
considerations.fairnessAssessments. All text is escaped (HTML has a no-script Content-Security-Policy).

Examples:
  rampart model-card --model models/credit.onnx --key .rampart/keys/signing.pub -o MODEL_CARD.md
  rampart fairness scored.csv --sensitive sex --label y --pred yhat --format json -o fairness.json
  rampart model-card --name credit-v3 --evidence fairness.json --format cyclonedx -o credit.cdx.json`,
    )
    .action(async (flags: CardFlags) => {
      const trusted = await Promise.all((flags.key ?? []).map((k) => loadPublicKey(k)));
      let sha256 = flags.sha256?.toLowerCase();
      if (sha256 !== undefined && !/^[0-9a-f]{64}$/.test(sha256)) throw new RampartError("usage", `--sha256: expected 64 hex characters, got "${flags.sha256}"`);
      if (flags.model) sha256 = (await subjectOf(flags.model, flags.model, { ignore: isProjectState })).digest.sha256;
      const evidence: Evidence[] = await evidenceFromFiles(flags.evidence ?? [], trusted);
      if (sha256) {
        const url = flags.databaseUrl ?? process.env.RAMPART_DATABASE_URL;
        const local = join(flags.project, ".rampart", "rampart.db");
        if (!url && !existsSync(local)) {
          if (!flags.evidence?.length) throw new RampartError("not-found", `${local}: no store in this project (run \`rampart run\` first, or pass --evidence FILE)`);
        } else {
          const store = await openStore({ projectDir: flags.project, url });
          try {
            evidence.push(...(await evidenceFromStore(store, sha256, trusted)));
          } finally {
            await store.close();
          }
        }
      }
      if (evidence.length === 0)
        throw new RampartError(
          "not-found",
          sha256 ? `no evidence recorded for sha256 ${sha256.slice(0, 16)}… (and no --evidence files)` : "no evidence: pass --model, --sha256 or --evidence FILE",
        );
      const input: ModelCardInput = {
        model: { name: flags.name ?? flags.model ?? evidence[0]!.result.subjects[0]?.name ?? "model", ...(sha256 ? { sha256 } : {}) },
        evidence,
        details: {
          description: flags.description,
          version: flags.modelVersion,
          owner: flags.owner,
          intendedUse: flags.intendedUse,
          outOfScope: flags.outOfScope,
          limitations: flags.limitation,
          ethicalConsiderations: flags.ethical,
        },
      };
      const text =
        flags.format === "html"
          ? renderModelCardHtml(input)
          : flags.format === "cyclonedx"
            ? `${JSON.stringify(modelCardCycloneDx(input), null, 2)}\n`
            : renderModelCardMarkdown(input);
      if (flags.output) await writeFileAtomic(flags.output, text);
      else process.stdout.write(text);
    });
}
