import * as z from "zod";
import { type Finding, registerRules, type Subject, VERSION } from "../core/index.js";
import { defineStage } from "../pipeline/stage.js";
import { assertValid, loadBundle } from "./bundle.js";
import { recordDecision } from "./decisions.js";
import { evaluateBundle } from "./evaluate.js";
import { buildEvidence } from "./evidence.js";

registerRules([
  {
    id: "gate.denied",
    title: "A Deny gate rule failed",
    help: "Fix what the rule's message names, or record a waiver with a justification and an expiry date.",
    defaultSeverity: "high",
  },
  { id: "gate.warning", title: "A Warn gate rule failed", help: "The release may proceed; the warning is recorded with the decision.", defaultSeverity: "medium" },
  { id: "gate.waived", title: "A failing gate rule was waived", help: "The waiver's approver, justification and expiry are in the finding's evidence.", defaultSeverity: "info" },
  {
    id: "gate.waiver-expired",
    title: "A waiver has expired and was ignored",
    help: "Renew the waiver (new approver sign-off) or fix the underlying problem.",
    defaultSeverity: "low",
  },
]);

/**
 * The `gate` pipeline stage: evaluates the project's policy bundle over the results of the stages
 * before it (plus the artifacts' kinds and tags from rampart.yaml), records the decision, and reports
 * each failing rule as a finding so the run fails on a Deny.
 */
export const gateStage = defineStage({
  name: "gate",
  description: "Evaluate the project's policy bundle (YAML + CEL) over the evidence of this run and record the decision",
  options: z
    .object({
      policies: z.string().min(1).default("policies"),
      params: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    })
    .strict(),
  async run(ctx, options) {
    const bundle = await loadBundle(ctx.resolve(options.policies));
    assertValid(bundle);
    const byName = new Map<string, Subject>();
    for (const r of ctx.previous) for (const s of r.subjects) byName.set(s.name, s);
    // Artifacts are named by their path in inventory subjects; carry their kind and tags to policies.
    const subjects = [...ctx.artifacts.values()].flatMap((a) => {
      const s = byName.get(a.path);
      return s ? [{ name: s.name, digest: { sha256: s.digest.sha256 }, kind: a.kind, tags: a.tags ?? [] }] : [];
    });
    const evidence = buildEvidence({ results: ctx.previous, subjects });
    const now = new Date();
    const evaluation = evaluateBundle(bundle, evidence, { now, params: options.params });
    const recorded = await recordDecision(ctx.store, { bundle, evaluation, evidence, params: options.params, evaluatedAt: now, actor: `pipeline:${ctx.runId}` });
    const findings: Finding[] = [];
    for (const r of evaluation.rules) {
      const failing = r.outcome === "fail" || r.outcome === "error";
      const location = { file: r.file, line: r.line };
      if (failing && r.action === "Deny")
        findings.push({ ruleId: "gate.denied", severity: "high", entity: r.id, message: `${r.id}: ${r.message ?? r.outcome}`, location, evidence: { reason: r.reason } });
      else if (failing && r.action === "Warn") findings.push({ ruleId: "gate.warning", severity: "medium", entity: r.id, message: `${r.id}: ${r.message ?? r.outcome}`, location });
      else if (r.outcome === "waived")
        findings.push({ ruleId: "gate.waived", severity: "info", entity: r.id, message: `${r.id} waived: ${r.message ?? ""}`, location, evidence: { ...r.waiver } });
    }
    for (const w of evaluation.expiredWaivers)
      findings.push({ ruleId: "gate.waiver-expired", severity: "low", entity: w.rule, message: `waiver ${w.name} for ${w.rule} expired on ${w.expires} and was ignored` });
    const seen = new Set<string>();
    const runSubjects = ctx.previous.flatMap((r) => r.subjects).filter((s) => !seen.has(s.digest.sha256) && seen.add(s.digest.sha256));
    return {
      check: "gate",
      version: VERSION,
      subjects: [...runSubjects, { name: "policy-bundle", digest: { sha256: bundle.digest } }],
      findings,
      metrics: {
        decision: evaluation.decision,
        decisionId: recorded.id,
        bundleDigest: bundle.digest,
        denied: evaluation.denied,
        warned: evaluation.warned,
        rules: Object.fromEntries(evaluation.rules.map((r) => [r.id, r.outcome])),
      },
    };
  },
});
