import { readFile } from "node:fs/promises";
import * as z from "zod";
import { type Finding, RampartError, registerRules, subjectOf, tag, VERSION } from "../../core/index.js";
import { loadCsvDataset, onnxMetadata, runOnnx } from "../../ml/index.js";
import { defineStage } from "../../pipeline/stage.js";
import { lossThresholdAttack } from "./audit.js";
import { budgetStatus } from "./budget.js";

const TAGS = [tag.owaspMl("ML04"), tag.atlas("AML.T0024.000")];

registerRules([
  {
    id: "privacy.membership.auc",
    title: "A membership-inference attack tells training rows from unseen rows",
    description: "The loss-threshold attack's ROC AUC is above the allowed level: the model's behaviour reveals who was in its training data.",
    help: "Train with differential privacy (rampart train --dp --target-epsilon E), regularise, or train on more data.",
    defaultSeverity: "high",
    tags: TAGS,
  },
  {
    id: "privacy.membership.low-fpr",
    title: "Membership of some training rows can be inferred with few false positives",
    description: "TPR at 1% FPR is above the allowed level: a subset of individuals is exposed even if the average-case AUC looks harmless.",
    help: "Train with differential privacy; audit outliers and duplicated rows.",
    defaultSeverity: "high",
    tags: TAGS,
  },
  {
    id: "privacy.membership.epsilon-refuted",
    title: "The audit proves more leakage than the claimed epsilon allows",
    description:
      "Any (eps, delta)-DP training satisfies TPR <= e^eps FPR + delta; the audit's 95% Clopper–Pearson lower bound on epsilon exceeds the claim, so the accounting or the implementation is wrong.",
    help: "Do not ship: check the DP-SGD implementation, the sampling and the accountant.",
    defaultSeverity: "critical",
    tags: TAGS,
  },
]);

/**
 * Membership-inference audit of an ONNX classifier (a Rampart export or any model with a
 * probabilities output [N, k]): loss-threshold attack on known members vs non-members.
 */
export const membershipInferenceStage = defineStage({
  name: "membership-inference",
  description: "Loss-threshold membership-inference audit of a model on its training rows vs held-out rows (AUC, TPR at 0.1%/1% FPR)",
  options: z
    .object({
      model: z.string().min(1),
      members: z.string().min(1),
      nonMembers: z.string().min(1),
      label: z.string().min(1),
      maxAuc: z.number().min(0.5).max(1).default(0.6),
      maxTprAt1Fpr: z.number().min(0).max(1).default(0.05),
      /** Epsilon the model claims (else read from a Rampart model's metadata). */
      claimedEpsilon: z.number().positive().optional(),
      delta: z.number().min(0).max(1).optional(),
    })
    .strict(),
  async run(ctx, options) {
    const path = (name: string) => {
      const a = ctx.artifacts.get(name);
      return a ? a.absolutePath : ctx.resolve(name);
    };
    const modelPath = path(options.model);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(modelPath);
    } catch {
      throw new RampartError("not-found", `${options.model}: model not found at ${modelPath}`);
    }
    const meta = onnxMetadata(bytes, options.model);
    const features = meta["rampart.features"] ? (JSON.parse(meta["rampart.features"]) as string[]) : undefined;
    const classes = meta["rampart.classes"] ? (JSON.parse(meta["rampart.classes"]) as string[]) : undefined;
    ctx.progress("scoring members and non-members");
    const losses = async (name: string) => {
      const ds = await loadCsvDataset(path(name), { label: options.label, features });
      const { probabilities: P } = await runOnnx(bytes, ds.X, options.model);
      // Map the file's labels onto the model's class order.
      const index = classes ? ds.classes.map((c) => classes.indexOf(c)) : ds.classes.map((c) => Number(c));
      const out = new Float64Array(ds.X.rows);
      for (let i = 0; i < ds.X.rows; i++) {
        const k = index[ds.y[i]!]!;
        if (!(k >= 0 && k < P.cols)) throw new RampartError("invalid-input", `${name}: label "${ds.classes[ds.y[i]!]}" is not a class of the model`);
        out[i] = -Math.log(Math.max(P.data[i * P.cols + k]!, 1e-15));
      }
      return out;
    };
    const claimed = options.claimedEpsilon ?? (meta["rampart.dp.epsilon"] ? Number(meta["rampart.dp.epsilon"]) : undefined);
    const delta = options.delta ?? (meta["rampart.dp.delta"] ? Number(meta["rampart.dp.delta"]) : 0);
    const r = lossThresholdAttack(await losses(options.members), await losses(options.nonMembers), delta);
    const findings: Finding[] = [];
    const location = { file: options.model };
    if (r.auc > options.maxAuc)
      findings.push({
        ruleId: "privacy.membership.auc",
        severity: "high",
        message: `membership-inference AUC ${r.auc.toFixed(3)} is above ${options.maxAuc}`,
        location,
        evidence: { auc: r.auc },
        tags: TAGS,
      });
    if (r.tprAt1Fpr > options.maxTprAt1Fpr)
      findings.push({
        ruleId: "privacy.membership.low-fpr",
        severity: "high",
        message: `membership-inference TPR at 1% FPR is ${r.tprAt1Fpr.toFixed(3)}, above ${options.maxTprAt1Fpr}`,
        location,
        evidence: { tprAt1Fpr: r.tprAt1Fpr },
        tags: TAGS,
      });
    if (claimed !== undefined && r.epsilonLowerBound > claimed)
      findings.push({
        ruleId: "privacy.membership.epsilon-refuted",
        severity: "critical",
        message: `the audit shows epsilon >= ${r.epsilonLowerBound.toFixed(3)} (95% confidence), more than the claimed ${claimed}`,
        location,
        evidence: { epsilonLowerBound: r.epsilonLowerBound, claimedEpsilon: claimed },
        tags: TAGS,
      });
    return {
      check: "membership-inference",
      version: VERSION,
      subjects: [await subjectOf(modelPath, options.model), await subjectOf(path(options.members), options.members), await subjectOf(path(options.nonMembers), options.nonMembers)],
      findings,
      metrics: { ...r, claimedEpsilon: claimed ?? null },
    };
  },
});

registerRules([
  {
    id: "privacy.budget.exceeded",
    title: "More privacy budget was spent on a dataset than its limit allows",
    description:
      "The recorded DP releases and trainings of this dataset add up to more epsilon or delta than its budget (e.g. the budget was lowered, or spends were recorded elsewhere).",
    help: "Stop releasing from this dataset; review `rampart privacy budget show`.",
    defaultSeverity: "critical",
  },
  {
    id: "privacy.budget.none",
    title: "A dataset used for DP releases has no privacy budget",
    help: "Set one: rampart privacy budget set DATA --epsilon E --delta D",
    defaultSeverity: "medium",
  },
  {
    id: "privacy.budget.low",
    title: "A dataset's remaining privacy budget is below the configured floor",
    help: "Plan the remaining releases, or retire the dataset.",
    defaultSeverity: "low",
  },
]);

/** Reports a dataset's privacy budget from the store as evidence a gate can read. */
export const privacyBudgetStage = defineStage({
  name: "privacy-budget",
  description: "Report a dataset's differential-privacy budget and spends from the store; flag overspending or a missing budget",
  options: z
    .object({
      dataset: z.string().min(1),
      /** Flag (low) when less than this epsilon remains. */
      minRemainingEpsilon: z.number().min(0).default(0),
      /** Severity when the dataset has spends but no budget. */
      requireBudget: z.boolean().default(true),
    })
    .strict(),
  async run(ctx, options) {
    const a = ctx.artifacts.get(options.dataset);
    const path = a ? a.absolutePath : ctx.resolve(options.dataset);
    const subject = await subjectOf(path, a?.path ?? options.dataset);
    const status = await budgetStatus(ctx.store, subject.digest.sha256);
    const findings: Finding[] = [];
    const location = { file: a?.path ?? options.dataset };
    if (status.budget && (status.spent.epsilon > status.budget.epsilon * (1 + 1e-9) || status.spent.delta > status.budget.delta * (1 + 1e-9)))
      findings.push({
        ruleId: "privacy.budget.exceeded",
        severity: "critical",
        message: `spent epsilon ${status.spent.epsilon.toFixed(4)}, delta ${status.spent.delta} of a budget of ${status.budget.epsilon}, ${status.budget.delta}`,
        location,
      });
    if (!status.budget && options.requireBudget && status.spends.length > 0)
      findings.push({ ruleId: "privacy.budget.none", severity: "medium", message: `${status.spends.length} DP release(s) recorded but no budget is set`, location });
    if (status.remaining && status.remaining.epsilon < options.minRemainingEpsilon)
      findings.push({
        ruleId: "privacy.budget.low",
        severity: "low",
        message: `only epsilon ${status.remaining.epsilon.toFixed(4)} remains (floor ${options.minRemainingEpsilon})`,
        location,
      });
    return {
      check: "privacy-budget",
      version: VERSION,
      subjects: [subject],
      findings,
      metrics: {
        budgetEpsilon: status.budget?.epsilon ?? null,
        budgetDelta: status.budget?.delta ?? null,
        spentEpsilon: status.spent.epsilon,
        spentDelta: status.spent.delta,
        remainingEpsilon: status.remaining?.epsilon ?? null,
        spends: status.spends.length,
        composition: "basic (epsilons and deltas add)",
      },
    };
  },
});
