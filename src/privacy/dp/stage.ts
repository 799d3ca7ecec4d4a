import { readFile } from "node:fs/promises";
import * as z from "zod";
import { type Finding, RampartError, registerRules, subjectOf, tag, VERSION } from "../../core/index.js";
import { loadCsvDataset, onnxMetadata, runOnnx } from "../../ml/index.js";
import { defineStage } from "../../pipeline/stage.js";
import { lossThresholdAttack } from "./audit.js";

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
