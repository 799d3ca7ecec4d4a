import { basename } from "node:path";
import { type Command, Option } from "commander";
import { attestCheckResult, CHECK_RESULT_PREDICATE, loadSigner } from "../../attest/index.js";
import { type CheckResult, RampartError, sha256File, sha256Hex, subjectOf, VERSION, writeFileAtomic } from "../../core/index.js";
import { loadCsvDataset, secureRng } from "../../ml/index.js";
import { DEFAULT_TRAIN, planDp, spendBudget, type TrainConfig, trainClassifier, trainingRows } from "../../privacy/dp/index.js";
import { openStore, saveAttestation } from "../../store/index.js";
import { num } from "./privacy.js";

/** The trainer's settings as flags: `--dp` may be absent and `--hidden` is a comma list. */
interface TrainFlags extends Omit<TrainConfig, "dp" | "hidden"> {
  label: string;
  output: string;
  dp?: boolean;
  hidden?: string;
  key?: string;
  attestation?: string;
  databaseUrl?: string;
  format: string;
}

function hiddenLayers(value: string | undefined): number[] {
  if (!value) return [];
  return value.split(",").map((s) => num("--hidden", { min: 1, int: true })(s.trim()));
}

function featureRange(value: string): [number, number] {
  const m = /^(-?[\d.e+-]+):(-?[\d.e+-]+)$/i.exec(value.trim());
  const lo = m ? Number(m[1]) : Number.NaN;
  const hi = m ? Number(m[2]) : Number.NaN;
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) throw new RampartError("usage", `--feature-range: expected LO:HI with LO < HI, got "${value}"`);
  return [lo, hi];
}

export function registerTrain(program: Command): void {
  program
    .command("train")
    .description("train a classifier on a CSV (optionally with DP-SGD), write ONNX and a signed attestation of how it was trained")
    .argument("<data>", "CSV with a header; every column but the label must be numeric")
    .requiredOption("--label <column>", "label column")
    .requiredOption("-o, --output <model.onnx>", "where to write the ONNX model")
    .option("--dp", "train with DP-SGD (Poisson sampling, per-example clipping, Gaussian noise)")
    .option("--target-epsilon <e>", "DP: calibrate the noise to this epsilon", num("--target-epsilon", { min: 0, exclusiveMin: true }))
    .option("--noise-multiplier <sigma>", "DP: use this noise multiplier instead of calibrating", num("--noise-multiplier", { min: 0, exclusiveMin: true }))
    .option("--delta <d>", "DP: delta", num("--delta", { min: 0, max: 1, exclusiveMin: true }), DEFAULT_TRAIN.delta)
    .addOption(new Option("--accountant <name>", "DP: accountant that calibrates and is charged").choices(["rdp", "prv"]).default("rdp"))
    .option("--max-grad-norm <c>", "DP: per-example clipping norm", num("--max-grad-norm", { min: 0, exclusiveMin: true }), DEFAULT_TRAIN.maxGradNorm)
    .option("--epochs <n>", "passes over the training rows", num("--epochs", { min: 0, exclusiveMin: true }), DEFAULT_TRAIN.epochs)
    .option("--batch-size <n>", "batch size (DP: expected Poisson batch size)", num("--batch-size", { min: 1, int: true }), DEFAULT_TRAIN.batchSize)
    .option("--lr <rate>", "learning rate", num("--lr", { min: 0, exclusiveMin: true }), DEFAULT_TRAIN.lr)
    .addOption(new Option("--optimizer <name>", "optimizer").choices(["sgd", "adam"]).default("sgd"))
    .option("--hidden <sizes>", "hidden layer widths, e.g. 32,16 (default: none = logistic/softmax regression)")
    .addOption(new Option("--activation <fn>", "hidden activation").choices(["relu", "tanh"]).default("relu"))
    .option("--holdout <fraction>", "rows held out for evaluation and the membership audit", num("--holdout", { min: 0, max: 0.9 }), DEFAULT_TRAIN.holdout)
    .option("--feature-range <lo:hi>", "public range of every feature: scales to [-1, 1] without reading the data (use with --dp)", featureRange)
    .option("--key <file>", "signing key (default RAMPART_SIGNING_KEY, RAMPART_SIGNING_KEY_FILE)")
    .option("--attestation <file>", "where to write the signed attestation (default: MODEL.intoto.json)")
    .option("--database-url <url>", "store for the privacy budget and attestations (default RAMPART_DATABASE_URL, then .rampart/rampart.db)")
    .addOption(new Option("-f, --format <format>", "summary format").choices(["table", "json"]).default("table"))
    .addHelpText(
      "after",
      `
DP runs never standardise features from the data (that would leak outside the guarantee); give
--feature-range LO:HI from public knowledge to scale them.
With --dp the epsilon is charged to the dataset's privacy budget (rampart privacy budget set) before
training starts; a run that would overspend is refused (exit 2) and nothing is written. The
attestation (in-toto statement in a DSSE envelope) names the model and the dataset by sha256 and
states epsilon, delta, the accountant and every training parameter.

Example:
  rampart train --dp --target-epsilon 3 --delta 1e-5 --label income data/adult.csv -o model.onnx`,
    )
    .action(async (data: string, opts: TrainFlags) => {
      if (opts.dp && opts.targetEpsilon === undefined && opts.noiseMultiplier === undefined) throw new RampartError("usage", "--dp needs --target-epsilon or --noise-multiplier");
      if (!opts.dp && (opts.targetEpsilon !== undefined || opts.noiseMultiplier !== undefined))
        throw new RampartError("usage", "--target-epsilon and --noise-multiplier need --dp");
      if (opts.targetEpsilon !== undefined && opts.noiseMultiplier !== undefined) throw new RampartError("usage", "give --target-epsilon or --noise-multiplier, not both");
      const signer = await loadSigner({ keyFile: opts.key });
      const dataSha = await sha256File(data);
      const ds = await loadCsvDataset(data, { label: opts.label });
      const cfg = {
        dp: Boolean(opts.dp),
        targetEpsilon: opts.targetEpsilon,
        noiseMultiplier: opts.noiseMultiplier,
        delta: opts.delta,
        accountant: opts.accountant,
        maxGradNorm: opts.maxGradNorm,
        epochs: opts.epochs,
        batchSize: opts.batchSize,
        lr: opts.lr,
        optimizer: opts.optimizer,
        hidden: hiddenLayers(opts.hidden),
        activation: opts.activation,
        holdout: opts.holdout,
        featureRange: opts.featureRange,
      };
      const store = await openStore({ url: opts.databaseUrl });
      try {
        // Charge the budget before the data is touched: a refused run trains nothing and writes nothing.
        const plan = cfg.dp ? planDp(trainingRows(ds.X.rows, cfg.holdout), cfg) : undefined;
        if (plan) {
          await spendBudget(store, {
            datasetSha256: dataSha,
            datasetName: basename(data),
            epsilon: plan.epsilon,
            delta: cfg.delta,
            mechanism: "dp-sgd",
            detail: { model: opts.output, accountant: cfg.accountant, ...plan, maxGradNorm: cfg.maxGradNorm, epochs: cfg.epochs, batchSize: cfg.batchSize },
          });
        }
        const result = trainClassifier(ds, cfg, secureRng(), plan);
        await writeFileAtomic(opts.output, Buffer.from(result.onnx));
        const modelSubject = await subjectOf(opts.output, basename(opts.output));
        const check: CheckResult = {
          check: cfg.dp ? "train-dp" : "train",
          version: VERSION,
          subjects: [modelSubject, { name: basename(data), digest: { sha256: dataSha } }],
          findings: cfg.dp
            ? []
            : [
                {
                  ruleId: "privacy.train.not-private",
                  severity: "info",
                  message: "model trained without differential privacy: it can memorise individual rows",
                  remediation: "train with --dp --target-epsilon E",
                },
              ],
          metrics: { ...result.metrics, modelSha256: modelSubject.digest.sha256, datasetSha256: dataSha, label: ds.label, featureNames: ds.features, classNames: ds.classes },
        };
        const envelope = await attestCheckResult(check, [signer]);
        const attPath = opts.attestation ?? `${opts.output}.intoto.json`;
        await writeFileAtomic(attPath, `${JSON.stringify(envelope, null, 2)}\n`);
        await saveAttestation(store, {
          check: check.check,
          predicateType: CHECK_RESULT_PREDICATE,
          subjectName: modelSubject.name,
          subjectSha256: modelSubject.digest.sha256,
          keyId: signer.keyId,
          envelope,
        });
        if (opts.format === "json") {
          process.stdout.write(
            `${JSON.stringify({ model: opts.output, attestation: attPath, envelopeSha256: sha256Hex(JSON.stringify(envelope)), metrics: check.metrics }, null, 2)}\n`,
          );
          return;
        }
        const m = result.metrics;
        const f = (v: unknown) => (typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(4)) : String(v));
        const lines = [
          `model        ${opts.output}  (${m.model}, ${m.parameters} parameters, ${m.trainRows} training rows)`,
          cfg.dp
            ? `privacy      epsilon ${f(m.epsilon)} (${opts.accountant}; rdp ${f(m.epsilonRdp)}, prv ${f(m.epsilonPrv)}), delta ${cfg.delta}, noise multiplier ${f(m.noiseMultiplier)}, ${m.steps} steps at q=${f(m.sampleRate)}`
            : "privacy      none (not differentially private)",
          `accuracy     train ${f(m.trainAccuracy)}${m.holdoutAccuracy !== undefined ? `, holdout ${f(m.holdoutAccuracy)}` : ""}`,
          ...(m.membershipAuc !== undefined ? [`membership   loss-attack AUC ${f(m.membershipAuc)}, TPR@1%FPR ${f(m.membershipTprAt1Fpr)}`] : []),
          `attestation  ${attPath}  (signed by ${signer.keyId.slice(0, 16)}…)`,
        ];
        process.stdout.write(`${lines.join("\n")}\n`);
      } finally {
        await store.close();
      }
    });
}
