import { RampartError } from "../core/index.js";
import { poisson1, Rng } from "./random.js";

/**
 * The numeric core: per-group sufficient statistics accumulated in one streaming pass, for the point
 * estimate and for every bootstrap replicate at once, then turned into Fairlearn-style group metrics
 * and their between-group and to-overall aggregates.
 *
 * Bootstrap: the Poisson bootstrap (each row enters replicate b with a Poisson(1) weight), which needs
 * no second pass and no copy of the data; for large n it matches the multinomial resampling bootstrap
 * (Hanley & MacGibbon 2006; Chamandy et al. 2012). Intervals are percentile intervals.
 */

export type Task = "classification" | "regression";
/** `model`: labels and predictions (a trained model's output); `data`: labels only, before training. */
export type Mode = "model" | "data";
export type Value = number | null;
export type Interval = [Value, Value];

/** Calibration bins: [0, 0.1), [0.1, 0.2), …, [0.9, 1.0]. */
export const CALIBRATION_BINS = 10;
export const MISSING = "(missing)";

export interface EngineOptions {
  task: Task;
  mode: Mode;
  hasScore: boolean;
  /** Sensitive column names. */
  attributes: readonly string[];
  /** Index sets into `attributes`: one grouping per set (single attributes and intersections). */
  groupings: ReadonlyArray<readonly number[]>;
  bootstrap: number;
  seed: number;
  confidence: number;
  /** Groups below this many rows are flagged `small` (and still reported and aggregated). */
  minGroupSize: number;
  /** Refuse a grouping with more distinct values than this (an id column is not a sensitive attribute). */
  maxGroups: number;
  /** AIF360-style privileged value per sensitive column, for signed pairwise metrics. */
  privileged?: Readonly<Record<string, string>>;
  /** Rows carry sample weights (Fairlearn `sample_weight`): every count becomes a sum of weights. */
  weighted?: boolean;
}

/** One row, already validated: y and pred are 0/1 in classification, numbers in regression. */
export interface Observation {
  sensitive: readonly (string | null)[];
  y: number;
  pred: number;
  score: number;
  /** Sample weight (1 when unweighted). */
  weight: number;
}

export interface GroupResult {
  /** Sensitive values that define the group, by column. */
  values: Record<string, string | null>;
  /** Rows in the group (the small-group test counts rows, not weight). */
  count: number;
  /** Sum of sample weights, when weighted. */
  weight?: number;
  /** Share of all rows (of all weight, when weighted). */
  share: number;
  small: boolean;
  metrics: Record<string, Value>;
  confusion?: Record<string, number>;
  ci?: Record<string, Interval>;
  /** AIF360 signed metrics against the privileged group (only when one is declared). */
  vs_privileged?: Record<string, Value>;
}

export interface AttributeResult {
  columns: string[];
  group_count: number;
  groups: Record<string, GroupResult>;
  small_groups: string[];
  privileged?: string;
  /** Named aggregates (demographic_parity_difference, disparate_impact, …). */
  summary: Record<string, Value | boolean>;
  /** Fairlearn `difference()` / `ratio()` with method="between_groups", for every group metric. */
  differences: Record<string, Value>;
  ratios: Record<string, Value>;
  /** The same with method="to_overall". */
  to_overall: { differences: Record<string, Value>; ratios: Record<string, Value> };
  ci?: Record<string, Interval>;
}

export interface EngineResult {
  rows: number;
  overall: Record<string, Value>;
  overall_ci?: Record<string, Interval>;
  attributes: Record<string, AttributeResult>;
}

interface GroupAcc {
  values: (string | null)[];
  stats: Float64Array;
  rows: number;
}

interface GroupingAcc {
  name: string;
  columns: readonly number[];
  groups: Map<string, GroupAcc>;
}

/** Rate metrics of each mode, in report order (counts are reported separately). */
export function groupMetricNames(task: Task, mode: Mode, hasScore: boolean): string[] {
  if (mode === "data") return task === "classification" ? ["base_rate"] : ["mean_label"];
  if (task === "regression") return ["mean_prediction", "mean_label", "mean_error", "mean_absolute_error", "root_mean_squared_error"];
  const names = ["selection_rate", "base_rate", "true_positive_rate", "false_positive_rate", "false_negative_rate", "true_negative_rate", "precision", "accuracy"];
  if (hasScore) names.push("mean_score", "calibration_gap", "brier_score", "expected_calibration_error");
  return names;
}

// Layout of the per-group statistics vector.
const N = 0;
// classification: [n, y=1, ŷ=1, y=1∧ŷ=1, Σs, Σ(s−y)², then per bin (n, Σs, Σy)]
const Y_POS = 1;
const P_POS = 2;
const TP = 3;
const S_SUM = 4;
const BRIER = 5;
const BIN0 = 6;
// regression: [n, Σŷ, Σy, Σ|ŷ−y|, Σ(ŷ−y)², Σ(ŷ−y)]
const PRED_SUM = 1;
const Y_SUM = 2;
const ABS_SUM = 3;
const SQ_SUM = 4;
const ERR_SUM = 5;

export class FairnessAccumulator {
  private readonly k: number;
  private readonly replicates: number;
  /** Weights of the replicates this row is in, and those replicates' offsets into a statistics vector. */
  private readonly weights: Float64Array;
  private readonly activeOffset: Int32Array;
  private activeCount = 1;
  private readonly rng: Rng;
  private readonly overall: Float64Array;
  private readonly groupings: GroupingAcc[];
  private rows = 0;

  constructor(private readonly options: EngineOptions) {
    this.k = options.task === "regression" ? 6 : options.hasScore ? BIN0 + 3 * CALIBRATION_BINS : 4;
    this.replicates = options.bootstrap + 1;
    this.weights = new Float64Array(this.replicates);
    this.weights[0] = 1;
    this.activeOffset = new Int32Array(this.replicates);
    this.rng = new Rng(options.seed);
    this.overall = new Float64Array(this.replicates * this.k);
    this.groupings = options.groupings.map((cols) => ({ name: cols.map((c) => options.attributes[c]!).join("&"), columns: cols, groups: new Map() }));
  }

  add(obs: Observation): void {
    this.rows++;
    // Only replicates where the row appears (≈63 % of them) are visited below.
    let m = 1;
    for (let b = 1; b < this.replicates; b++) {
      const w = poisson1(this.rng);
      if (w === 0) continue;
      this.activeOffset[m] = b * this.k;
      this.weights[m++] = w;
    }
    this.activeCount = m;
    this.addTo(this.overall, obs);
    for (const g of this.groupings) {
      const values = g.columns.map((c) => obs.sensitive[c] ?? null);
      const key = values.length === 1 ? String(values[0]) : JSON.stringify(values);
      let acc = g.groups.get(key);
      if (!acc) {
        if (g.groups.size >= this.options.maxGroups)
          throw new RampartError(
            "invalid-input",
            `sensitive attribute "${g.name}" has more than ${this.options.maxGroups} distinct values (is it an identifier?); raise --max-groups if this is intended`,
          );
        acc = { values, stats: new Float64Array(this.replicates * this.k), rows: 0 };
        g.groups.set(key, acc);
      }
      acc.rows++;
      this.addTo(acc.stats, obs);
    }
  }

  private addTo(stats: Float64Array, obs: Observation): void {
    const { weights, activeOffset, activeCount } = this;
    const rw = obs.weight;
    if (this.options.task === "regression") {
      const err = obs.pred - obs.y;
      const abs = Math.abs(err);
      const sq = err * err;
      for (let j = 0; j < activeCount; j++) {
        const w = weights[j]! * rw;
        const o = activeOffset[j]!;
        stats[o + N]! += w;
        stats[o + PRED_SUM]! += w * obs.pred;
        stats[o + Y_SUM]! += w * obs.y;
        stats[o + ABS_SUM]! += w * abs;
        stats[o + SQ_SUM]! += w * sq;
        stats[o + ERR_SUM]! += w * err;
      }
      return;
    }
    const y = obs.y;
    const p = obs.pred;
    const s = obs.score;
    const bin = this.options.hasScore ? BIN0 + 3 * Math.min(CALIBRATION_BINS - 1, Math.floor(s * CALIBRATION_BINS)) : 0;
    const brier = (s - y) * (s - y);
    for (let j = 0; j < activeCount; j++) {
      const w = weights[j]! * rw;
      const o = activeOffset[j]!;
      stats[o + N]! += w;
      if (y) stats[o + Y_POS]! += w;
      if (p) stats[o + P_POS]! += w;
      if (y && p) stats[o + TP]! += w;
      if (bin) {
        stats[o + S_SUM]! += w * s;
        stats[o + BRIER]! += w * brier;
        stats[o + bin]! += w;
        stats[o + bin + 1]! += w * s;
        stats[o + bin + 2]! += w * y;
      }
    }
  }

  get rowCount(): number {
    return this.rows;
  }

  /** Point estimates (and intervals when bootstrapping) for every grouping. */
  finish(): EngineResult {
    const o = this.options;
    const names = groupMetricNames(o.task, o.mode, o.hasScore);
    const overallAt = (b: number) => this.metricsAt(this.overall, b);
    const result: EngineResult = { rows: this.rows, overall: { count: this.rows, ...(o.weighted ? { weight: this.overall[N]! } : {}), ...overallAt(0) }, attributes: {} };
    if (o.task === "classification" && o.mode === "model") Object.assign(result.overall, this.inequalityIndices(this.overall));
    const alpha = (1 - o.confidence) / 2;
    if (this.replicates > 1) {
      const samples = names.map(() => [] as number[]);
      for (let b = 1; b < this.replicates; b++) {
        const m = overallAt(b);
        for (const [i, name] of names.entries()) pushDefined(samples[i]!, m[name]);
      }
      result.overall_ci = Object.fromEntries(names.map((name, i) => [name, percentileInterval(samples[i]!, alpha)]));
    }
    for (const g of this.groupings) result.attributes[g.name] = this.finishGrouping(g, names, alpha, overallAt);
    return result;
  }

  private finishGrouping(g: GroupingAcc, names: string[], alpha: number, overallAt: (b: number) => Record<string, Value>): AttributeResult {
    const o = this.options;
    const columns = g.columns.map((c) => o.attributes[c]!);
    // Display keys: the value itself, or values joined by "&" for an intersection (made unique if a value contains "&").
    const entries = [...g.groups.values()];
    const keys: string[] = [];
    const seen = new Set<string>();
    for (const acc of entries) {
      let key = acc.values.map((v) => v ?? MISSING).join("&");
      for (let i = 2; seen.has(key); i++) key = `${acc.values.map((v) => v ?? MISSING).join("&")}#${i}`;
      seen.add(key);
      keys.push(key);
    }
    const order = keys.map((_, i) => i).sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : 0));
    const privilegedValue = g.columns.length === 1 ? o.privileged?.[columns[0]!] : undefined;
    let privilegedIndex = -1;
    if (privilegedValue !== undefined) {
      privilegedIndex = entries.findIndex((acc) => acc.values[0] === privilegedValue);
      if (privilegedIndex < 0) throw new RampartError("usage", `--privileged ${columns[0]}=${privilegedValue}: no row has ${columns[0]} = "${privilegedValue}"`);
    }

    const at = (b: number) => {
      const groups = entries.map((acc) => this.metricsAt(acc.stats, b));
      const counts = entries.map((acc) => acc.stats[b * this.k + N]!);
      return { groups, counts, agg: aggregate(names, groups, counts, overallAt(b), o) };
    };
    const point = at(0);
    const groups: Record<string, GroupResult> = {};
    const smallGroups: string[] = [];
    for (const i of order) {
      const acc = entries[i]!;
      const count = acc.rows;
      const small = count < o.minGroupSize;
      if (small) smallGroups.push(keys[i]!);
      const group: GroupResult = {
        values: Object.fromEntries(columns.map((c, j) => [c, acc.values[j] ?? null])),
        count,
        ...(o.weighted ? { weight: point.counts[i]! } : {}),
        share: point.counts[i]! / this.overall[N]!,
        small,
        metrics: point.groups[i]!,
      };
      const confusion = this.confusionOf(acc.stats);
      if (confusion) group.confusion = confusion;
      if (privilegedIndex >= 0 && i !== privilegedIndex) group.vs_privileged = versusPrivileged(point.groups[i]!, point.groups[privilegedIndex]!, o.mode);
      groups[keys[i]!] = group;
    }
    const attribute: AttributeResult = {
      columns,
      group_count: entries.length,
      groups,
      small_groups: smallGroups,
      ...(privilegedValue !== undefined ? { privileged: privilegedValue } : {}),
      summary: point.agg.summary,
      differences: point.agg.differences,
      ratios: point.agg.ratios,
      to_overall: point.agg.toOverall,
    };
    if (this.replicates > 1) {
      const summaryNames = Object.keys(point.agg.summary).filter((n) => typeof point.agg.summary[n] !== "boolean");
      const aggSamples = summaryNames.map(() => [] as number[]);
      const groupSamples = entries.map(() => names.map(() => [] as number[]));
      for (let b = 1; b < this.replicates; b++) {
        const r = at(b);
        for (const [j, n] of summaryNames.entries()) pushDefined(aggSamples[j]!, r.agg.summary[n]);
        for (const [i, m] of r.groups.entries()) for (const [j, n] of names.entries()) pushDefined(groupSamples[i]![j]!, m[n]);
      }
      attribute.ci = Object.fromEntries(summaryNames.map((n, j) => [n, percentileInterval(aggSamples[j]!, alpha)]));
      for (const i of order) groups[keys[i]!]!.ci = Object.fromEntries(names.map((n, j) => [n, percentileInterval(groupSamples[i]![j]!, alpha)]));
    }
    return attribute;
  }

  /** Group metrics from the statistics of replicate b (0 = the data as given). */
  private metricsAt(stats: Float64Array, b: number): Record<string, Value> {
    const o = b * this.k;
    const n = stats[o + N]!;
    const opts = this.options;
    if (opts.task === "regression") {
      if (opts.mode === "data") return { mean_label: div(stats[o + Y_SUM]!, n) };
      return {
        mean_prediction: div(stats[o + PRED_SUM]!, n),
        mean_label: div(stats[o + Y_SUM]!, n),
        mean_error: div(stats[o + ERR_SUM]!, n),
        mean_absolute_error: div(stats[o + ABS_SUM]!, n),
        root_mean_squared_error: n > 0 ? Math.sqrt(stats[o + SQ_SUM]! / n) : null,
      };
    }
    const yPos = stats[o + Y_POS]!;
    if (opts.mode === "data") return { base_rate: div(yPos, n) };
    const pPos = stats[o + P_POS]!;
    const tp = stats[o + TP]!;
    const fp = pPos - tp;
    const fn = yPos - tp;
    const tn = n - yPos - pPos + tp;
    const m: Record<string, Value> = {
      selection_rate: div(pPos, n),
      base_rate: div(yPos, n),
      true_positive_rate: div(tp, yPos),
      false_positive_rate: div(fp, fp + tn),
      false_negative_rate: div(fn, yPos),
      true_negative_rate: div(tn, fp + tn),
      precision: div(tp, pPos),
      accuracy: div(tp + tn, n),
    };
    if (opts.hasScore) {
      const meanScore = div(stats[o + S_SUM]!, n);
      let ece = 0;
      for (let i = 0; i < CALIBRATION_BINS; i++) ece += Math.abs(stats[o + BIN0 + 3 * i + 1]! - stats[o + BIN0 + 3 * i + 2]!);
      m.mean_score = meanScore;
      m.calibration_gap = meanScore === null ? null : meanScore - yPos / n;
      m.brier_score = div(stats[o + BRIER]!, n);
      m.expected_calibration_error = n > 0 ? ece / n : null;
    }
    return m;
  }

  /**
   * AIF360's individual-fairness indices over all rows, with benefit b = ŷ − y + 1 ∈ {0, 1, 2}:
   * generalized entropy GE(α=2) = Σ[(b/μ)² − 1] / (2n), Theil = Σ (b/μ) ln(b/μ) / n (0·ln 0 = 0),
   * coefficient of variation = √(2·GE(2)). b = 0 for false negatives, 2 for false positives.
   */
  private inequalityIndices(stats: Float64Array): Record<string, Value> {
    const n = stats[N]!;
    const fn = stats[Y_POS]! - stats[TP]!;
    const fp = stats[P_POS]! - stats[TP]!;
    const ones = n - fn - fp;
    const mu = (ones + 2 * fp) / n;
    if (!(n > 0) || mu === 0) return { generalized_entropy_index: null, theil_index: null, coefficient_of_variation: null };
    const ge2 = (ones / (mu * mu) + (4 * fp) / (mu * mu) - n) / (2 * n);
    const theil = ((ones / mu) * Math.log(1 / mu) + fp * (2 / mu) * Math.log(2 / mu)) / n;
    return { generalized_entropy_index: ge2, theil_index: theil, coefficient_of_variation: Math.sqrt(2 * ge2) };
  }

  /** Confusion counts of the data as given (classification with predictions only). */
  private confusionOf(stats: Float64Array): Record<string, number> | undefined {
    if (this.options.task !== "classification" || this.options.mode !== "model") return undefined;
    const n = stats[N]!;
    const yPos = stats[Y_POS]!;
    const pPos = stats[P_POS]!;
    const tp = stats[TP]!;
    return { true_positives: tp, false_positives: pPos - tp, false_negatives: yPos - tp, true_negatives: n - yPos - pPos + tp };
  }
}

function div(a: number, b: number): Value {
  return b > 0 ? a / b : null;
}

function pushDefined(into: number[], v: Value | boolean | undefined): void {
  if (typeof v === "number" && Number.isFinite(v)) into.push(v);
}

/** Fairlearn ratio of two values folded to ≤ 1; equal values (including both 0) are perfectly at parity. */
function fold(a: number, b: number): Value {
  if (a === b) return 1;
  if (a < 0 || b < 0) return null;
  return Math.min(a, b) / Math.max(a, b);
}

interface Aggregates {
  summary: Record<string, Value | boolean>;
  differences: Record<string, Value>;
  ratios: Record<string, Value>;
  toOverall: { differences: Record<string, Value>; ratios: Record<string, Value> };
}

/**
 * Between-groups difference (max − min) and ratio (min / max) over the groups where the metric is
 * defined (a group with no positives has no TPR; it is left out, as pandas' min/max skip NaN).
 * Fewer than two defined groups: no comparison, null.
 */
function aggregate(
  names: readonly string[],
  groups: ReadonlyArray<Record<string, Value>>,
  counts: readonly number[],
  overall: Record<string, Value>,
  o: EngineOptions,
): Aggregates {
  const differences: Record<string, Value> = {};
  const ratios: Record<string, Value> = {};
  const toOverallDiff: Record<string, Value> = {};
  const toOverallRatio: Record<string, Value> = {};
  for (const name of names) {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let defined = 0;
    let worstDiff: Value = null;
    let worstRatio: Value = null;
    const all = overall[name];
    for (const g of groups) {
      const v = g[name];
      if (v === null || v === undefined) continue;
      defined++;
      if (v < min) min = v;
      if (v > max) max = v;
      if (all !== null && all !== undefined) {
        const d = Math.abs(v - all);
        worstDiff = worstDiff === null ? d : Math.max(worstDiff, d);
        const r = fold(v, all);
        if (r === null) worstRatio = Number.NaN;
        else if (!Number.isNaN(worstRatio as number)) worstRatio = worstRatio === null ? r : Math.min(worstRatio, r);
      }
    }
    differences[name] = defined >= 2 ? max - min : null;
    ratios[name] = defined >= 2 ? (max === min ? 1 : min < 0 ? null : min / max) : null;
    toOverallDiff[name] = defined >= 1 ? worstDiff : null;
    toOverallRatio[name] = defined >= 1 && !Number.isNaN(worstRatio as number) ? worstRatio : null;
  }
  const nonEmpty = counts.filter((c) => c > 0);
  const representation = nonEmpty.length >= 2 ? Math.min(...nonEmpty) / Math.max(...nonEmpty) : null;
  const summary: Record<string, Value | boolean> = {};
  if (o.mode === "data") {
    summary.representation_ratio = representation;
    if (o.task === "classification") {
      summary.base_rate_difference = differences.base_rate!;
      summary.base_rate_ratio = ratios.base_rate!;
      // AIF360's dataset disparate impact, unsigned: lowest base rate over highest.
      summary.disparate_impact = ratios.base_rate!;
      summary.four_fifths_rule_passed = ratios.base_rate === null ? null : ratios.base_rate! >= 0.8;
    } else {
      summary.mean_label_difference = differences.mean_label!;
      summary.mean_label_ratio = ratios.mean_label!;
    }
    return { summary, differences, ratios, toOverall: { differences: toOverallDiff, ratios: toOverallRatio } };
  }
  if (o.task === "regression") {
    summary.mean_prediction_difference = differences.mean_prediction!;
    summary.mean_prediction_ratio = ratios.mean_prediction!;
    summary.mean_absolute_error_difference = differences.mean_absolute_error!;
    summary.mean_absolute_error_ratio = ratios.mean_absolute_error!;
    summary.root_mean_squared_error_difference = differences.root_mean_squared_error!;
    summary.root_mean_squared_error_ratio = ratios.root_mean_squared_error!;
    summary.mean_error_difference = differences.mean_error!;
    summary.representation_ratio = representation;
    return { summary, differences, ratios, toOverall: { differences: toOverallDiff, ratios: toOverallRatio } };
  }
  const both = (a: Value | undefined, b: Value | undefined, f: (x: number, y: number) => number): Value =>
    a === null || a === undefined || b === null || b === undefined ? null : f(a, b);
  summary.demographic_parity_difference = differences.selection_rate!;
  summary.demographic_parity_ratio = ratios.selection_rate!;
  summary.disparate_impact = ratios.selection_rate!;
  summary.four_fifths_rule_passed = ratios.selection_rate === null ? null : ratios.selection_rate! >= 0.8;
  summary.equal_opportunity_difference = differences.true_positive_rate!;
  summary.equal_opportunity_ratio = ratios.true_positive_rate!;
  summary.equalized_odds_difference = both(differences.true_positive_rate, differences.false_positive_rate, Math.max);
  summary.equalized_odds_ratio = both(ratios.true_positive_rate, ratios.false_positive_rate, Math.min);
  summary.equalized_odds_difference_mean = both(differences.true_positive_rate, differences.false_positive_rate, (a, b) => (a + b) / 2);
  summary.equalized_odds_ratio_mean = both(ratios.true_positive_rate, ratios.false_positive_rate, (a, b) => (a + b) / 2);
  summary.accuracy_difference = differences.accuracy!;
  summary.precision_difference = differences.precision!;
  if (o.hasScore) {
    summary.calibration_gap_difference = differences.calibration_gap!;
    summary.expected_calibration_error_difference = differences.expected_calibration_error!;
    summary.brier_score_difference = differences.brier_score!;
  }
  // AIF360 between-group indices: each benefit b = ŷ − y + 1 replaced by its group's mean μ_g = 1 + SR_g − BR_g.
  const muAll = overall.selection_rate === null || overall.base_rate === null ? null : 1 + overall.selection_rate! - overall.base_rate!;
  let total = 0;
  let ge = 0;
  let theil = 0;
  groups.forEach((g, i) => {
    const c = counts[i]!;
    if (!(c > 0) || g.selection_rate === null || g.base_rate === null) return;
    const r = (1 + g.selection_rate! - g.base_rate!) / muAll!;
    total += c;
    ge += c * (r * r - 1);
    if (r > 0) theil += c * r * Math.log(r);
  });
  const indicesDefined = muAll !== null && muAll > 0 && total > 0;
  summary.between_group_generalized_entropy_index = indicesDefined ? ge / (2 * total) : null;
  summary.between_group_theil_index = indicesDefined ? theil / total : null;
  summary.between_group_coefficient_of_variation = indicesDefined ? Math.sqrt(Math.max(0, (2 * ge) / (2 * total))) : null;
  summary.representation_ratio = representation;
  return { summary, differences, ratios, toOverall: { differences: toOverallDiff, ratios: toOverallRatio } };
}

/** AIF360's signed pairwise metrics of group U against the privileged group P: f(U) − f(P), f(U) / f(P). */
function versusPrivileged(u: Record<string, Value>, p: Record<string, Value>, mode: Mode): Record<string, Value> {
  const sub = (a: Value | undefined, b: Value | undefined): Value => (a === null || a === undefined || b === null || b === undefined ? null : a - b);
  const rate = mode === "data" ? "base_rate" : "selection_rate";
  const su = u[rate];
  const sp = p[rate];
  const out: Record<string, Value> = {
    statistical_parity_difference: sub(su, sp),
    disparate_impact: su === null || su === undefined || sp === null || sp === undefined || sp === 0 ? null : su / sp,
  };
  if (mode === "data" || u.true_positive_rate === undefined) return out;
  const tprDiff = sub(u.true_positive_rate, p.true_positive_rate);
  const fprDiff = sub(u.false_positive_rate, p.false_positive_rate);
  out.equal_opportunity_difference = tprDiff;
  out.average_odds_difference = tprDiff === null || fprDiff === null ? null : (fprDiff + tprDiff) / 2;
  out.average_abs_odds_difference = tprDiff === null || fprDiff === null ? null : (Math.abs(fprDiff) + Math.abs(tprDiff)) / 2;
  out.equalized_odds_difference = tprDiff === null || fprDiff === null ? null : Math.max(Math.abs(fprDiff), Math.abs(tprDiff));
  return out;
}

/** Percentile interval with numpy's default linear interpolation; null ends when too few replicates were defined. */
export function percentileInterval(samples: number[], alpha: number): Interval {
  if (samples.length < 2) return [null, null];
  samples.sort((a, b) => a - b);
  return [quantile(samples, alpha), quantile(samples, 1 - alpha)];
}

export function quantile(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}
