import { type CelValue, celList, celMap } from "@bufbuild/cel";
import { assertValid, type Bundle, type CompiledPolicy, type CompiledRule, type RuleAction, type RuleOutcomeKind, type Waiver } from "./bundle.js";

export interface RuleOutcome {
  id: string;
  policy: string;
  action: RuleAction;
  outcome: RuleOutcomeKind;
  /** Why: the rule's message when it failed, the error when it could not be evaluated. */
  message?: string;
  reason?: string;
  waiver?: { name: string; approver: string; expires: string; justification: string };
  file: string;
  line: number;
}

export interface ExpiredWaiver {
  name: string;
  rule: string;
  approver: string;
  expires: string;
}

export interface GateEvaluation {
  decision: "allow" | "deny";
  bundleDigest: string;
  rules: RuleOutcome[];
  /** Ids of the Deny rules that failed (the reasons for a deny). */
  denied: string[];
  /** Ids of the Warn rules that failed. */
  warned: string[];
  expiredWaivers: ExpiredWaiver[];
}

export interface EvaluateOptions {
  /** Evaluation instant (waiver expiry); defaults to now. */
  now?: Date;
  /** Parameter overrides by policy name. */
  params?: Record<string, Record<string, unknown>>;
}

/**
 * Evaluates every GatePolicy of a (problem-free) bundle over one evidence document. Deny rules that
 * fail (or error under failurePolicy Fail) deny the gate unless an unexpired waiver names them; Warn
 * rules only warn; Audit rules are only recorded.
 */
export function evaluateBundle(bundle: Bundle, evidence: Record<string, unknown>, options: EvaluateOptions = {}): GateEvaluation {
  // A rule that did not compile would silently be missing from the decision: refuse instead.
  assertValid(bundle);
  const now = options.now ?? new Date();
  const data = plain(evidence) as Record<string, unknown>;
  const { active, expired } = splitWaivers(bundle.waivers, now, releaseIdOf(data));
  // Converted once: CEL walks its own maps and lists several times faster than reflected JS objects.
  const cel = toCel(data);
  const rules: RuleOutcome[] = [];
  for (const policy of bundle.policies) rules.push(...evaluatePolicy(policy, cel, options.params?.[policy.name] ?? {}, active));
  const denied = rules.filter((r) => r.action === "Deny" && (r.outcome === "fail" || r.outcome === "error")).map((r) => r.id);
  const warned = rules.filter((r) => r.action === "Warn" && (r.outcome === "fail" || r.outcome === "error")).map((r) => r.id);
  return {
    decision: denied.length > 0 ? "deny" : "allow",
    bundleDigest: bundle.digest,
    rules,
    denied,
    warned,
    expiredWaivers: expired.map((w) => ({ name: w.name, rule: w.rule, approver: w.approver, expires: w.expires })),
  };
}

function evaluatePolicy(policy: CompiledPolicy, evidence: unknown, overrides: Record<string, unknown>, waivers: Map<string, Waiver>): RuleOutcome[] {
  const params = toCel(plain({ ...policy.params, ...overrides }));
  const base = (rule: CompiledRule): Omit<RuleOutcome, "outcome"> => ({
    id: rule.id,
    policy: policy.name,
    action: rule.action,
    reason: rule.reason,
    file: rule.file,
    line: rule.line,
  });
  const bindings: Record<string, unknown> = { evidence, params, variables: {} };

  // matchConditions: all must hold for the policy to apply (as in ValidatingAdmissionPolicy).
  for (const m of policy.matchConditions) {
    const r = m.expression.evaluate(bindings);
    if ("error" in r) return policy.rules.map((rule) => onError(rule, `matchCondition ${m.name}: ${r.error}`));
    if (r.value !== true) return policy.rules.map((rule) => ({ ...base(rule), outcome: "skipped" as const, message: `not applicable (matchCondition ${m.name} is false)` }));
  }

  const values = new Map<string, CelValue>();
  const failed = new Map<string, string>();
  for (const v of policy.variables) {
    const broken = [...v.expression.variables].find((n) => failed.has(n));
    if (broken) {
      failed.set(v.name, failed.get(broken)!);
      continue;
    }
    const r = v.expression.evaluate({ ...bindings, variables: values });
    if ("error" in r) failed.set(v.name, `variable ${v.name}: ${r.error}`);
    else values.set(v.name, r.value);
  }
  bindings.variables = values;

  function onError(rule: CompiledRule, error: string): RuleOutcome {
    // failurePolicy Ignore: an expression that cannot be evaluated does not block.
    if (policy.failurePolicy === "Ignore") return { ...base(rule), outcome: "skipped", message: `evaluation error ignored (failurePolicy Ignore): ${error}` };
    return waive(rule, { ...base(rule), outcome: "error", message: `evaluation error: ${error}` });
  }

  function waive(rule: CompiledRule, outcome: RuleOutcome): RuleOutcome {
    const w = waivers.get(rule.id);
    if (!w) return outcome;
    return { ...outcome, outcome: "waived", waiver: { name: w.name, approver: w.approver, expires: w.expires, justification: w.justification } };
  }

  return policy.rules.map((rule) => {
    const broken = [...rule.expression.variables].find((n) => failed.has(n));
    if (broken) return onError(rule, failed.get(broken)!);
    const r = rule.expression.evaluate(bindings);
    if ("error" in r) return onError(rule, r.error);
    if (r.value === true) return { ...base(rule), outcome: "pass" };
    if (r.value !== false) return onError(rule, `expression returned ${typeof r.value}, not a bool`);
    return waive(rule, { ...base(rule), outcome: "fail", message: failMessage(rule, bindings) });
  });
}

function failMessage(rule: CompiledRule, bindings: Record<string, unknown>): string {
  if (rule.messageExpression) {
    const m = rule.messageExpression.evaluate(bindings);
    if (!("error" in m) && typeof m.value === "string" && m.value.length > 0) return m.value;
  }
  return rule.message ?? `failed: ${rule.expression.source}`;
}

/** Waivers apply through their `expires` day (UTC); expired ones are reported and ignored. */
function splitWaivers(waivers: readonly Waiver[], now: Date, releaseId: string | undefined): { active: Map<string, Waiver>; expired: Waiver[] } {
  const active = new Map<string, Waiver>();
  const expired: Waiver[] = [];
  for (const w of waivers) {
    if (w.release !== undefined && w.release !== releaseId) continue;
    const end = Date.parse(`${w.expires}T00:00:00Z`) + 86_400_000;
    if (Number.isNaN(end) || now.getTime() >= end) expired.push(w);
    else active.set(w.rule, w);
  }
  return { active, expired };
}

function releaseIdOf(evidence: Record<string, unknown>): string | undefined {
  const release = evidence.release;
  if (release && typeof release === "object" && "id" in release && typeof release.id === "string") return release.id;
  return undefined;
}

/** A JSON-only copy: CEL sees maps, lists, strings, doubles, bools and null, never undefined or Dates. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? {}));
}

/** JSON data as CEL values: objects to maps, arrays to lists; numbers stay doubles. */
function toCel(value: unknown): unknown {
  if (Array.isArray(value)) return celList(value.map(toCel) as CelValue[]);
  if (value !== null && typeof value === "object") return celMap(new Map(Object.entries(value).map(([k, v]) => [k, toCel(v) as CelValue])));
  return value;
}
