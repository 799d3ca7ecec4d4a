import { basename } from "node:path";
import { type CheckResult, type Finding, RampartError, sha256File, VERSION } from "../core/index.js";
import { type Column, loadTable, type Table } from "../data/index.js";
import { binCounts, chiSquareGof, jensenShannon, ks2, populationStd, psi, sturgesEdges, type TestResult, wasserstein1, zTestProportions } from "./stats.js";

export const DRIFT_METHODS = ["auto", "ks", "chisquare", "z", "wasserstein", "jensenshannon", "psi"] as const;
export type DriftMethod = (typeof DRIFT_METHODS)[number];

/** Hypothesis tests flag drift below their threshold (a p-value); distances at or above theirs. */
const P_VALUE_TESTS = new Set<DriftMethod>(["ks", "chisquare", "z"]);
/** Evidently's default thresholds: p < 0.05 for tests, 0.1 for the distances. */
const DEFAULT_THRESHOLD: Record<Exclude<DriftMethod, "auto">, number> = { ks: 0.05, chisquare: 0.05, z: 0.05, wasserstein: 0.1, jensenshannon: 0.1, psi: 0.1 };

export interface DriftOptions {
  /** One method for every column, or `auto`: Evidently's choice by column type, size and cardinality. */
  method?: DriftMethod;
  /** Overrides the method's default threshold. */
  threshold?: number;
  /** Share of drifted columns from which the whole dataset counts as drifted (Evidently: 0.5). */
  driftShare?: number;
  /** Compare only these columns (default: every column both files share, identifiers left out). */
  columns?: readonly string[];
  ignore?: readonly string[];
  /** Label and prediction columns: accuracy in each file, and a finding when it falls too far. */
  label?: string;
  prediction?: string;
  maxAccuracyDrop?: number;
  maxRows?: number;
}

export interface ColumnDrift {
  column: string;
  kind: "numeric" | "categorical";
  method: Exclude<DriftMethod, "auto">;
  statistic: number;
  pValue?: number;
  threshold: number;
  drifted: boolean;
  referenceValues: number;
  currentValues: number;
  missingShare: { reference: number; current: number };
  /** Categories seen only in the current data. */
  newCategories?: string[];
}

export interface DriftReport {
  columns: ColumnDrift[];
  skipped: Array<{ column: string; reason: string }>;
  driftedShare: number;
  datasetDrift: boolean;
  driftShare: number;
  performance?: { accuracy: { reference: number; current: number }; drop: number; maxDrop: number; degraded: boolean };
}

type Sample = { kind: "numeric"; values: Float64Array; missing: number } | { kind: "categorical"; values: string[]; missing: number };

function sampleOf(column: Column, n: number, asText: boolean): Sample {
  if (column.kind === "numeric" && !asText) {
    const values = column.values.subarray(0, n).filter((v) => !Number.isNaN(v));
    return { kind: "numeric", values, missing: n - values.length };
  }
  const values: string[] = [];
  if (column.kind === "numeric") {
    for (let i = 0; i < n; i++) if (!Number.isNaN(column.values[i]!)) values.push(String(column.values[i]));
  } else for (let i = 0; i < n; i++) if (column.codes[i]! >= 0) values.push(column.levels[column.codes[i]!]!);
  return { kind: "categorical", values, missing: n - values.length };
}

function counts(values: ArrayLike<number | string>, keys: ReadonlyArray<number | string>): number[] {
  const index = new Map(keys.map((k, i) => [k, i]));
  const out = new Array<number>(keys.length).fill(0);
  for (let i = 0; i < values.length; i++) out[index.get(values[i]!)!]! += 1;
  return out;
}

function distinct(values: ArrayLike<number | string>): Set<number | string> {
  const s = new Set<number | string>();
  for (let i = 0; i < values.length; i++) s.add(values[i]!);
  return s;
}

/**
 * Evidently's default test for a column: small reference (≤ 1000 rows) → KS for numeric, chi-square
 * (or z for two categories) for categorical and low-cardinality numeric; larger → normed Wasserstein
 * for numeric, Jensen–Shannon for categorical and low-cardinality numeric.
 */
function autoMethod(kind: Sample["kind"], referenceRows: number, uniques: number): Exclude<DriftMethod, "auto"> {
  const lowCardinality = kind === "categorical" || uniques <= 5;
  if (referenceRows <= 1000) return lowCardinality ? (uniques > 2 ? "chisquare" : "z") : "ks";
  return lowCardinality ? "jensenshannon" : "wasserstein";
}

/** Every value of either sample, numbers in numeric order, text in code-point order. */
function unionOf(ref: Sample, cur: Sample): Array<number | string> {
  return [...new Set([...distinct(ref.values), ...distinct(cur.values)])].sort((a, b) => (typeof a === "number" && typeof b === "number" ? a - b : String(a) < String(b) ? -1 : 1));
}

/** Counts over shared bins: the union of values for categories and few distinct numbers, Sturges bins otherwise. */
function binned(ref: Sample, cur: Sample): { reference: number[]; current: number[] } {
  if (ref.kind === "numeric" && cur.kind === "numeric" && distinct(ref.values).size > 20) {
    const edges = sturgesEdges(ref.values, cur.values);
    return { reference: binCounts(ref.values, edges), current: binCounts(cur.values, edges) };
  }
  const keys = unionOf(ref, cur);
  return { reference: counts(ref.values, keys), current: counts(cur.values, keys) };
}

function measure(method: Exclude<DriftMethod, "auto">, ref: Sample, cur: Sample): TestResult {
  switch (method) {
    case "ks":
      if (ref.kind !== "numeric" || cur.kind !== "numeric") throw new RampartError("usage", "--method ks needs numeric columns");
      return ks2(ref.values, cur.values);
    case "wasserstein": {
      if (ref.kind !== "numeric" || cur.kind !== "numeric") throw new RampartError("usage", "--method wasserstein needs numeric columns");
      // Evidently's normed variant: in reference standard deviations (floored at 0.001).
      return { statistic: wasserstein1(ref.values, cur.values) / Math.max(populationStd(ref.values), 0.001) };
    }
    case "chisquare": {
      const keys = unionOf(ref, cur);
      return chiSquareGof(counts(ref.values, keys), counts(cur.values, keys));
    }
    case "z": {
      const keys = unionOf(ref, cur);
      if (keys.length > 2) throw new RampartError("usage", "--method z needs columns with at most two values");
      if (keys.length < 2) return { statistic: 0, pValue: 1 };
      // The share of the first value (in sorted order) in each sample.
      const hits = (s: Sample) => counts(s.values, keys)[0]!;
      return zTestProportions(hits(ref), ref.values.length, hits(cur), cur.values.length);
    }
    case "jensenshannon": {
      const b = binned(ref, cur);
      return { statistic: jensenShannon(b.reference, b.current) };
    }
    case "psi": {
      const b = binned(ref, cur);
      return { statistic: psi(b.reference, b.current) };
    }
  }
}

/** Accuracy of `prediction` against `label`, comparing values as text (1 and "1" agree). */
function accuracy(table: Table, label: string, prediction: string, file: string): number {
  const col = (name: string) => {
    const c = table.columns.find((x) => x.name === name);
    if (!c) throw new RampartError("invalid-input", `${file}: no column "${name}"`);
    return c;
  };
  const text = (c: Column, i: number): string | undefined =>
    c.kind === "numeric" ? (Number.isNaN(c.values[i]!) ? undefined : String(c.values[i])) : c.codes[i]! < 0 ? undefined : c.levels[c.codes[i]!];
  const y = col(label);
  const p = col(prediction);
  let right = 0;
  let seen = 0;
  for (let i = 0; i < table.n; i++) {
    const a = text(y, i);
    const b = text(p, i);
    if (a === undefined || b === undefined) continue;
    seen++;
    if (a === b) right++;
  }
  if (seen === 0) throw new RampartError("invalid-input", `${file}: no row has both "${label}" and "${prediction}"`);
  return right / seen;
}

/** Compares the current table with the reference, column by column. */
export function compareTables(reference: Table, current: Table, options: DriftOptions = {}, files = { reference: "reference", current: "current" }): DriftReport {
  const method = options.method ?? "auto";
  const driftShare = options.driftShare ?? 0.5;
  const curByName = new Map(current.columns.map((c) => [c.name, c]));
  const refByName = new Map(reference.columns.map((c) => [c.name, c]));
  const wanted = options.columns ?? reference.columns.map((c) => c.name);
  const columns: ColumnDrift[] = [];
  const skipped: DriftReport["skipped"] = [];
  for (const name of wanted) {
    const r = refByName.get(name);
    const c = curByName.get(name);
    if (!r || !c) {
      if (options.columns) throw new RampartError("invalid-input", `${r ? files.current : files.reference}: no column "${name}"`);
      skipped.push({ column: name, reason: `not in ${files.current}` });
      continue;
    }
    // A column numeric in one file and text in the other is compared as categories.
    const asText = r.kind !== c.kind;
    const ref = sampleOf(r, reference.n, asText);
    const cur = sampleOf(c, current.n, asText);
    if (ref.values.length === 0 || cur.values.length === 0) {
      skipped.push({ column: name, reason: "no values in one of the files" });
      continue;
    }
    const m = method === "auto" ? autoMethod(ref.kind, reference.n, distinct(ref.values).size) : method;
    const result = measure(m, ref, cur);
    const threshold = options.threshold ?? DEFAULT_THRESHOLD[m];
    const drifted = P_VALUE_TESTS.has(m) ? (result.pValue ?? 1) < threshold : result.statistic >= threshold;
    const refValues = distinct(ref.values);
    const newCategories =
      ref.kind === "categorical"
        ? [...distinct(cur.values)]
            .filter((v) => !refValues.has(v))
            .map(String)
            .slice(0, 20)
        : undefined;
    columns.push({
      column: name,
      kind: ref.kind,
      method: m,
      statistic: result.statistic,
      ...(result.pValue === undefined ? {} : { pValue: result.pValue }),
      threshold,
      drifted,
      referenceValues: ref.values.length,
      currentValues: cur.values.length,
      missingShare: { reference: ref.missing / reference.n, current: cur.missing / current.n },
      ...(newCategories?.length ? { newCategories } : {}),
    });
  }
  for (const c of reference.ignored) skipped.push({ column: c.name, reason: c.reason });
  const drifted = columns.filter((c) => c.drifted).length;
  const driftedShare = columns.length ? drifted / columns.length : 0;
  const report: DriftReport = { columns, skipped, driftedShare, datasetDrift: columns.length > 0 && driftedShare >= driftShare, driftShare };
  if (options.label && options.prediction) {
    const before = accuracy(reference, options.label, options.prediction, files.reference);
    const after = accuracy(current, options.label, options.prediction, files.current);
    const maxDrop = options.maxAccuracyDrop ?? 0.05;
    report.performance = { accuracy: { reference: before, current: after }, drop: before - after, maxDrop, degraded: before - after > maxDrop };
  }
  return report;
}

const fmt = (x: number) => (Number.isFinite(x) ? (Math.abs(x) >= 0.001 || x === 0 ? x.toFixed(3) : x.toExponential(2)) : String(x));

/** The report as a CheckResult: one finding per drifted column, one for the dataset, one for accuracy. */
export function driftResult(report: DriftReport, subjects: CheckResult["subjects"]): CheckResult {
  const findings: Finding[] = [];
  for (const c of report.columns) {
    if (!c.drifted) continue;
    const measured =
      c.pValue === undefined ? `${c.method} ${fmt(c.statistic)} ≥ ${c.threshold}` : `${c.method} p = ${fmt(c.pValue)} < ${c.threshold} (statistic ${fmt(c.statistic)})`;
    findings.push({
      ruleId: "drift.column",
      severity: "medium",
      message: `column ${c.column} drifted: ${measured}${c.newCategories ? `; new values ${c.newCategories.slice(0, 5).join(", ")}` : ""}`,
      location: { field: c.column },
      remediation: "Check the upstream source of this column; retrain or recalibrate on recent data if the change is real.",
    });
  }
  if (report.datasetDrift)
    findings.push({
      ruleId: "drift.dataset",
      severity: "high",
      message: `dataset drift: ${Math.round(report.driftedShare * 100)}% of columns drifted (threshold ${Math.round(report.driftShare * 100)}%)`,
      remediation: "The model now sees data unlike its training data; evaluate it on recent labelled data before trusting its outputs.",
    });
  const p = report.performance;
  if (p?.degraded)
    findings.push({
      ruleId: "drift.performance",
      severity: "high",
      message: `accuracy fell from ${fmt(p.accuracy.reference)} to ${fmt(p.accuracy.current)} (drop ${fmt(p.drop)} > ${p.maxDrop})`,
      remediation: "Retrain on recent labelled data, or roll back to a model that performs on it.",
    });
  return {
    check: "drift",
    version: VERSION,
    subjects,
    findings,
    metrics: {
      columns: report.columns.length,
      driftedColumns: report.columns.filter((c) => c.drifted).length,
      driftedShare: report.driftedShare,
      datasetDrift: report.datasetDrift,
      perColumn: Object.fromEntries(
        report.columns.map((c) => [c.column, { method: c.method, statistic: c.statistic, pValue: c.pValue ?? null, threshold: c.threshold, drifted: c.drifted }]),
      ),
      skipped: report.skipped,
      ...(p ? { accuracy: p.accuracy, accuracyDrop: p.drop } : {}),
    },
  };
}

/** Reads both files (CSV, JSON Lines, Parquet) and compares them. */
export async function detectDrift(referencePath: string, currentPath: string, options: DriftOptions = {}): Promise<CheckResult> {
  const load = { ignore: options.ignore, maxRows: options.maxRows ?? 10_000_000 };
  const [reference, current, refSha, curSha] = await Promise.all([
    loadTable(referencePath, load),
    loadTable(currentPath, load),
    sha256File(referencePath),
    sha256File(currentPath),
  ]);
  const report = compareTables(reference, current, options, { reference: referencePath, current: currentPath });
  return driftResult(report, [
    { name: basename(referencePath), digest: { sha256: refSha } },
    { name: basename(currentPath), digest: { sha256: curSha } },
  ]);
}
