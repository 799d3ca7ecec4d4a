import * as z from "zod";
import { type CheckResult, type Finding, RampartError, registerRules, Severity, type Subject, subjectOf, tag, VERSION } from "../core/index.js";
import { type AttributeResult, type EngineResult, FairnessAccumulator, type Interval, type Mode, type Task, type Value } from "./engine.js";
import { readRowBatches, type TableFormat } from "./rows.js";

export const FAIRNESS_CHECK = "fairness";
export const FAIRNESS_DATA_CHECK = "fairness-data";

/** A bound on one attribute-level metric (e.g. disparate_impact ≥ 0.8); `null` switches a default off. */
export const Threshold = z
  .object({ min: z.number().optional(), max: z.number().optional(), severity: Severity.optional() })
  .strict()
  .refine((t) => t.min !== undefined || t.max !== undefined, { message: "a threshold needs min or max" });
export type Threshold = z.infer<typeof Threshold>;
export type Thresholds = Record<string, Threshold | null>;

type Bound = { min?: number; max?: number; severity: Severity };

/** Defaults per task and mode; the four-fifths rule is the one `high` default. */
export function defaultThresholds(task: Task, mode: Mode): Record<string, Bound> {
  if (mode === "data")
    return task === "classification"
      ? { disparate_impact: { min: 0.8, severity: "medium" }, base_rate_difference: { max: 0.1, severity: "low" }, representation_ratio: { min: 0.2, severity: "low" } }
      : { mean_label_ratio: { min: 0.8, severity: "low" }, representation_ratio: { min: 0.2, severity: "low" } };
  if (task === "regression")
    return {
      mean_prediction_ratio: { min: 0.8, severity: "medium" },
      mean_absolute_error_ratio: { min: 0.8, severity: "medium" },
      root_mean_squared_error_ratio: { min: 0.8, severity: "low" },
    };
  return {
    disparate_impact: { min: 0.8, severity: "high" },
    demographic_parity_difference: { max: 0.1, severity: "medium" },
    equalized_odds_difference: { max: 0.1, severity: "medium" },
    equal_opportunity_difference: { max: 0.1, severity: "medium" },
    calibration_gap_difference: { max: 0.1, severity: "medium" },
  };
}

export const FairnessOptions = z
  .object({
    /** Sensitive columns; every combination of two or more is also audited as an intersection. */
    sensitive: z.array(z.string().min(1)).min(1),
    label: z.string().min(1),
    /** Predicted label (classification) or predicted value (regression); not used by the data audit. */
    prediction: z.string().min(1).optional(),
    /** Predicted probability of the positive label, in [0, 1]: enables calibration metrics. */
    score: z.string().min(1).optional(),
    /** Sample weight per row (≥ 0), as Fairlearn's sample_weight: counts become sums of weights. */
    weight: z.string().min(1).optional(),
    positiveLabel: z.string().default("1"),
    task: z.enum(["classification", "regression"]).default("classification"),
    intersections: z.boolean().default(true),
    minGroupSize: z.number().int().nonnegative().default(30),
    maxGroups: z.number().int().positive().default(1000),
    bootstrap: z.number().int().nonnegative().max(100_000).default(200),
    seed: z.number().int().nonnegative().default(1),
    confidence: z.number().gt(0).lt(1).default(0.95),
    /** AIF360 convention: privileged value per sensitive column, for signed pairwise metrics. */
    privileged: z.record(z.string(), z.string()).optional(),
    thresholds: z.record(z.string(), Threshold.nullable()).optional(),
    format: z.enum(["csv", "tsv", "jsonl"]).optional(),
  })
  .strict();
export type FairnessOptions = z.input<typeof FairnessOptions>;
type ParsedOptions = z.output<typeof FairnessOptions>;

const NIST = [tag.nistAiRmf("MEASURE-2.11")];
const NIST_DATA = [tag.nistAiRmf("MEASURE-2.11"), tag.nistAiRmf("MAP-2.3")];

registerRules([
  {
    id: "fairness.disparate-impact",
    title: "Selection rates fail the four-fifths rule",
    description: "The lowest group selection rate is less than the threshold (0.8 by default) times the highest: evidence of adverse impact.",
    help: "Investigate the features driving the gap, rebalance or reweigh training data, or post-process thresholds per group; re-audit.",
    defaultSeverity: "high",
    tags: NIST,
  },
  { id: "fairness.demographic-parity-difference", title: "Selection rates differ between groups", defaultSeverity: "medium", tags: NIST },
  { id: "fairness.equalized-odds-difference", title: "Error rates (TPR or FPR) differ between groups", defaultSeverity: "medium", tags: NIST },
  { id: "fairness.equal-opportunity-difference", title: "True positive rates differ between groups", defaultSeverity: "medium", tags: NIST },
  { id: "fairness.calibration-gap-difference", title: "Scores are calibrated differently between groups", defaultSeverity: "medium", tags: NIST },
  { id: "fairness.mean-prediction-ratio", title: "Mean predictions differ between groups (regression)", defaultSeverity: "medium", tags: NIST },
  { id: "fairness.mean-absolute-error-ratio", title: "Prediction error differs between groups (regression)", defaultSeverity: "medium", tags: NIST },
  {
    id: "fairness.small-group",
    title: "A group is too small for stable fairness figures",
    help: "Collect more data for the group or read its figures with their intervals.",
    defaultSeverity: "low",
    tags: NIST,
  },
  { id: "fairness.undefined-metric", title: "A metric is undefined for a group", defaultSeverity: "info", tags: NIST },
  { id: "fairness.data.disparate-impact", title: "Base rates in the training data fail the four-fifths rule (label bias)", defaultSeverity: "medium", tags: NIST_DATA },
  { id: "fairness.data.base-rate-difference", title: "Base rates differ between groups in the data", defaultSeverity: "low", tags: NIST_DATA },
  { id: "fairness.data.representation-ratio", title: "A group is under-represented in the data", defaultSeverity: "low", tags: NIST_DATA },
]);

export interface AuditContext {
  /** Name of the file in findings (relative to the project or as the user gave it). */
  displayName?: string;
  /** Subjects of the result; default: the file itself. */
  subjects?: Subject[];
  /** Called every 100 000 rows. */
  progress?: (rows: number) => void;
}

/** Audits a model's predictions (`mode: "model"`) or a dataset's labels before training (`mode: "data"`). */
export async function auditFile(path: string, input: FairnessOptions, mode: Mode = "model", context: AuditContext = {}): Promise<CheckResult> {
  const parsed = FairnessOptions.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RampartError("usage", `fairness options: ${issue.path.join(".") || "root"}: ${issue.message}`);
  }
  const options = parsed.data;
  const name = context.displayName ?? path;
  const thresholds = resolveThresholds(options, mode);
  const engine = await accumulate(path, options, mode, context);
  const result = engine.finish();
  const findings = [...thresholdFindings(result, thresholds, options, mode, name), ...groupFindings(result, options, mode, name)];
  return {
    check: mode === "data" ? FAIRNESS_DATA_CHECK : FAIRNESS_CHECK,
    version: VERSION,
    subjects: context.subjects ?? [await subjectOf(path, name)],
    findings,
    metrics: shapeMetrics(result, options, mode, thresholds),
  };
}

/** Every subset of two or more sensitive columns, when asked (capped: 2^k grows fast). */
export function groupingsOf(count: number, intersections: boolean): number[][] {
  const singles = Array.from({ length: count }, (_, i) => [i]);
  if (!intersections || count < 2) return singles;
  if (count > 4) return [...singles, singles.map(([i]) => i!)];
  const out = [...singles];
  for (let size = 2; size <= count; size++) {
    const pick = (start: number, chosen: number[]) => {
      if (chosen.length === size) return void out.push([...chosen]);
      for (let i = start; i < count; i++) pick(i + 1, [...chosen, i]);
    };
    pick(0, []);
  }
  return out;
}

function resolveThresholds(options: ParsedOptions, mode: Mode): Record<string, Bound> {
  const out: Record<string, Bound> = { ...defaultThresholds(options.task, mode) };
  for (const [metric, t] of Object.entries(options.thresholds ?? {})) {
    if (t === null) {
      delete out[metric];
      continue;
    }
    out[metric] = { ...(t.min !== undefined ? { min: t.min } : {}), ...(t.max !== undefined ? { max: t.max } : {}), severity: t.severity ?? out[metric]?.severity ?? "medium" };
  }
  return out;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

async function accumulate(path: string, options: ParsedOptions, mode: Mode, context: AuditContext): Promise<FairnessAccumulator> {
  if (mode === "model" && !options.prediction) throw new RampartError("usage", "a prediction column is required (--pred COL)");
  const hasScore = mode === "model" && options.task === "classification" && options.score !== undefined;
  const columns = [...options.sensitive, options.label];
  if (mode === "model") columns.push(options.prediction!);
  if (hasScore) columns.push(options.score!);
  const weightAt = columns.length;
  if (options.weight) columns.push(options.weight);
  const dup = columns.find((c, i) => columns.indexOf(c) !== i);
  if (dup) throw new RampartError("usage", `column "${dup}" is named twice (sensitive, label, prediction and score must be different columns)`);
  for (const key of Object.keys(options.privileged ?? {}))
    if (!options.sensitive.includes(key)) throw new RampartError("usage", `--privileged ${key}=…: "${key}" is not one of the sensitive columns`);
  const k = options.sensitive.length;
  const engine = new FairnessAccumulator({
    task: options.task,
    mode,
    hasScore,
    attributes: options.sensitive,
    groupings: groupingsOf(k, options.intersections),
    bootstrap: options.bootstrap,
    seed: options.seed,
    confidence: options.confidence,
    minGroupSize: options.minGroupSize,
    maxGroups: options.maxGroups,
    privileged: options.privileged,
    weighted: options.weight !== undefined,
  });
  const name = context.displayName ?? path;
  const pos = options.positiveLabel;
  const posNum = NUMBER.test(pos.trim()) ? Number(pos) : null;
  const positiveCache = new Map<string, boolean>();
  const isPositive = (v: string): boolean => {
    let hit = positiveCache.get(v);
    if (hit === undefined) {
      const t = v.trim();
      hit = t === pos || (posNum !== null && NUMBER.test(t) && Number(t) === posNum) || (/^(true|false)$/i.test(t) && t.toLowerCase() === pos.toLowerCase());
      if (positiveCache.size < 10_000) positiveCache.set(v, hit);
    }
    return hit;
  };
  const labelValues = new Set<string>();
  let anyPositive = false;
  const sensitive: (string | null)[] = new Array(k).fill(null);
  const obs = { sensitive, y: 0, pred: 0, score: 0, weight: 1 };
  const format: TableFormat | undefined = options.format;
  for await (const batch of readRowBatches(path, columns, format))
    for (const row of batch) {
      const v = row.values;
      for (let i = 0; i < k; i++) sensitive[i] = v[i] ?? null;
      const label = v[k];
      const at = (field: string) => `${name}:${row.line}: row ${row.row}, column "${field}"`;
      if (label === null || label === undefined) throw new RampartError("invalid-input", `${at(options.label)}: empty label`);
      const predText = mode === "model" ? v[k + 1] : null;
      if (options.weight) {
        const text = v[weightAt];
        if (text === null || text === undefined) throw new RampartError("invalid-input", `${at(options.weight)}: empty weight`);
        const w = numeric(text, () => at(options.weight!));
        if (w < 0) throw new RampartError("invalid-input", `${at(options.weight)}: weight ${text} is negative`);
        obs.weight = w;
      }
      if (mode === "model" && (predText === null || predText === undefined)) throw new RampartError("invalid-input", `${at(options.prediction!)}: empty prediction`);
      if (options.task === "regression") {
        obs.y = numeric(label, () => at(options.label));
        obs.pred = mode === "model" ? numeric(predText!, () => at(options.prediction!)) : 0;
      } else {
        const y = isPositive(label);
        obs.y = y ? 1 : 0;
        obs.pred = mode === "model" && isPositive(predText!) ? 1 : 0;
        if (y || obs.pred) anyPositive = true;
        if (labelValues.size < 20) labelValues.add(label);
        if (hasScore) {
          const s = v[k + 2];
          if (s === null || s === undefined) throw new RampartError("invalid-input", `${at(options.score!)}: empty score`);
          const score = numeric(s, () => at(options.score!));
          if (score < 0 || score > 1) throw new RampartError("invalid-input", `${at(options.score!)}: score ${s} is outside [0, 1]`);
          obs.score = score;
        }
      }
      engine.add(obs);
      if (context.progress && row.row % 100_000 === 0) context.progress(row.row);
    }
  if (engine.rowCount === 0) throw new RampartError("invalid-input", `${name}: no data rows`);
  if (options.task === "classification" && !anyPositive)
    throw new RampartError(
      "usage",
      `${name}: the positive label "${pos}" matches no value of "${options.label}"${mode === "model" ? ` or "${options.prediction}"` : ""} (values seen: ${[...labelValues].slice(0, 10).join(", ")}); set --pos-label`,
    );
  return engine;
}

function numeric(text: string, where: () => string): number {
  const t = text.trim();
  if (!NUMBER.test(t)) throw new RampartError("invalid-input", `${where()}: "${text.slice(0, 40)}" is not a number`);
  return Number(t);
}

/** Which group metric an attribute-level metric compares, for naming the extreme groups in a finding. */
function underlying(metric: string, mode: Mode): string[] {
  if (metric.includes(".")) return [metric.split(".").pop()!];
  if (metric === "representation_ratio") return ["count"];
  if (metric.startsWith("disparate_impact") || metric.startsWith("demographic_parity")) return [mode === "data" ? "base_rate" : "selection_rate"];
  if (metric.startsWith("equal_opportunity")) return ["true_positive_rate"];
  if (metric.startsWith("equalized_odds")) return ["true_positive_rate", "false_positive_rate"];
  return [metric.replace(/_(difference|ratio)$/, "")];
}

function ruleIdOf(metric: string, mode: Mode): string {
  return `fairness.${mode === "data" ? "data." : ""}${metric.replace(/[_.]/g, "-")}`;
}

function fmt(v: Value | undefined): string {
  if (v === null || v === undefined) return "undefined";
  return Number.isInteger(v) ? String(v) : v.toFixed(3);
}

function thresholdFindings(result: EngineResult, thresholds: Record<string, Bound>, options: ParsedOptions, mode: Mode, file: string): Finding[] {
  const findings: Finding[] = [];
  for (const [attrName, attr] of Object.entries(result.attributes)) {
    for (const [metric, bound] of Object.entries(thresholds)) {
      const value = metricOf(attr, metric);
      if (typeof value !== "number") continue;
      const below = bound.min !== undefined && value < bound.min;
      const above = bound.max !== undefined && value > bound.max;
      if (!below && !above) continue;
      const extremes = underlying(metric, mode)
        .map((m) => extremeGroups(attr, m))
        .filter((e) => e !== undefined);
      const ci = attr.ci?.[metric];
      const parts = extremes.map(
        (e) => `${e.metric.replace(/_/g, " ")} ${fmt(e.min.value)} for "${e.min.group}" (n=${e.min.count}) vs ${fmt(e.max.value)} for "${e.max.group}" (n=${e.max.count})`,
      );
      const small = extremes.flatMap((e) => [e.min, e.max]).filter((g) => g.count < options.minGroupSize);
      const message =
        `${attrName}: ${metric.replace(/_/g, " ")} ${fmt(value)} is ${below ? `below ${bound.min}` : `above ${bound.max}`}` +
        (metric === "disparate_impact" ? " (four-fifths rule)" : "") +
        (parts.length ? `: ${parts.join("; ")}` : "") +
        (ci && ci[0] !== null ? `; ${Math.round(options.confidence * 100)}% CI [${fmt(ci[0])}, ${fmt(ci[1])}]` : "") +
        (small.length ? `; based on a small group (fewer than ${options.minGroupSize} rows)` : "");
      findings.push({
        ruleId: ruleIdOf(metric, mode),
        severity: bound.severity,
        message,
        location: { file, field: attr.columns.join(",") },
        entity: attrName,
        evidence: {
          attribute: attrName,
          metric,
          value,
          ...(bound.min !== undefined ? { min: bound.min } : {}),
          ...(bound.max !== undefined ? { max: bound.max } : {}),
          ...(ci ? { ci } : {}),
          groups: Object.fromEntries(extremes.map((e) => [e.metric, { lowest: e.min, highest: e.max }])),
        },
        remediation:
          mode === "data"
            ? "Check how the data was collected and labelled for these groups; reweigh or resample before training, and document the gap in the model card."
            : "Investigate the features that drive the gap; mitigate (reweighing, constraints during training, per-group thresholds) and re-audit; record the decision in the model card.",
        tags: mode === "data" ? NIST_DATA : NIST,
      });
    }
  }
  return findings;
}

/** A threshold names a summary metric (`disparate_impact`) or a path (`ratios.accuracy`, `to_overall.differences.selection_rate`). */
function metricOf(attr: AttributeResult, metric: string): Value | boolean | undefined {
  const parts = metric.split(".");
  if (parts.length === 1) return attr.summary[metric];
  if (parts.length === 2 && (parts[0] === "differences" || parts[0] === "ratios")) return attr[parts[0]][parts[1]!];
  if (parts.length === 3 && parts[0] === "to_overall" && (parts[1] === "differences" || parts[1] === "ratios")) return attr.to_overall[parts[1]][parts[2]!];
  return undefined;
}

interface Extreme {
  metric: string;
  min: { group: string; value: Value; count: number };
  max: { group: string; value: Value; count: number };
}

function extremeGroups(attr: AttributeResult, metric: string): Extreme | undefined {
  let min: Extreme["min"] | undefined;
  let max: Extreme["max"] | undefined;
  for (const [group, g] of Object.entries(attr.groups)) {
    const v = metric === "count" ? g.count : g.metrics[metric];
    if (v === null || v === undefined) continue;
    if (!min || v < (min.value as number)) min = { group, value: v, count: g.count };
    if (!max || v > (max.value as number)) max = { group, value: v, count: g.count };
  }
  return min && max ? { metric, min, max } : undefined;
}

function groupFindings(result: EngineResult, options: ParsedOptions, mode: Mode, file: string): Finding[] {
  const findings: Finding[] = [];
  for (const [attrName, attr] of Object.entries(result.attributes)) {
    if (attr.small_groups.length > 0) {
      const list = attr.small_groups.map((g) => `"${g}" (${attr.groups[g]!.count})`);
      findings.push({
        ruleId: "fairness.small-group",
        severity: "low",
        message: `${attrName}: ${attr.small_groups.length} group(s) have fewer than ${options.minGroupSize} rows: ${list.slice(0, 8).join(", ")}${list.length > 8 ? ", …" : ""}; they are reported and included, but their figures are unstable`,
        location: { file, field: attr.columns.join(",") },
        entity: attrName,
        evidence: { attribute: attrName, minGroupSize: options.minGroupSize, groups: Object.fromEntries(attr.small_groups.map((g) => [g, attr.groups[g]!.count])) },
        remediation: "Collect more data for these groups, merge categories where that is meaningful, or gate on the confidence intervals.",
        tags: mode === "data" ? NIST_DATA : NIST,
      });
    }
    if (mode !== "model" || options.task !== "classification") continue;
    const why: Record<string, string> = { true_positive_rate: "no positive labels", false_positive_rate: "no negative labels", precision: "nothing selected" };
    for (const [metric, reason] of Object.entries(why)) {
      const undefinedGroups = Object.entries(attr.groups)
        .filter(([, g]) => g.metrics[metric] === null)
        .map(([k]) => k);
      if (undefinedGroups.length === 0) continue;
      findings.push({
        ruleId: "fairness.undefined-metric",
        severity: "info",
        message: `${attrName}: ${metric.replace(/_/g, " ")} is undefined for ${undefinedGroups.length} group(s) (${reason}): ${undefinedGroups
          .slice(0, 8)
          .map((g) => `"${g}"`)
          .join(", ")}; they are left out of its aggregates`,
        location: { file, field: attr.columns.join(",") },
        entity: attrName,
        evidence: { attribute: attrName, metric, groups: undefinedGroups },
        tags: NIST,
      });
    }
  }
  return findings;
}

/**
 * The metrics object policies read (documented in docs/fairness.md):
 * `attributes[name]` = named aggregates flattened + `groups`, `differences`, `ratios`, `to_overall`, `ci`;
 * `groups["col=value&col=value"]` = every group of every attribute, flattened.
 */
function shapeMetrics(result: EngineResult, options: ParsedOptions, mode: Mode, thresholds: Record<string, Bound>): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  const flatGroups: Record<string, unknown> = {};
  for (const [attrName, attr] of Object.entries(result.attributes)) {
    const groups: Record<string, unknown> = {};
    for (const [key, g] of Object.entries(attr.groups)) {
      const shaped = {
        attribute: attrName,
        values: g.values,
        count: g.count,
        ...(g.weight !== undefined ? { weight: g.weight } : {}),
        share: g.share,
        small: g.small,
        ...g.metrics,
        ...(g.confusion ? { confusion: g.confusion } : {}),
        ...(g.ci ? { ci: g.ci } : {}),
        ...(g.vs_privileged ? { vs_privileged: g.vs_privileged } : {}),
      };
      groups[key] = shaped;
      flatGroups[
        Object.entries(g.values)
          .map(([c, v]) => `${c}=${v ?? "(missing)"}`)
          .join("&")
      ] = shaped;
    }
    attributes[attrName] = {
      columns: attr.columns,
      group_count: attr.group_count,
      small_groups: attr.small_groups,
      ...(attr.privileged !== undefined ? { privileged: attr.privileged } : {}),
      ...attr.summary,
      differences: attr.differences,
      ratios: attr.ratios,
      to_overall: attr.to_overall,
      ...(attr.ci ? { ci: attr.ci } : {}),
      groups,
    };
  }
  return {
    task: options.task,
    mode,
    rows: result.rows,
    label: options.label,
    ...(mode === "model" ? { prediction: options.prediction } : {}),
    ...(options.score && mode === "model" && options.task === "classification" ? { score: options.score } : {}),
    ...(options.task === "classification" ? { positive_label: options.positiveLabel } : {}),
    sensitive: options.sensitive,
    ...(options.weight ? { weight: options.weight } : {}),
    min_group_size: options.minGroupSize,
    bootstrap: options.bootstrap > 0 ? { replicates: options.bootstrap, seed: options.seed, confidence: options.confidence, method: "poisson-percentile" } : { replicates: 0 },
    thresholds,
    overall: result.overall,
    ...(result.overall_ci ? { overall_ci: result.overall_ci } : {}),
    attributes,
    groups: flatGroups,
  };
}

export type { Interval };
