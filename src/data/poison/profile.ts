import * as z from "zod";
import { RampartError, readJson } from "../../core/index.js";
import { finiteSample, histogram, psi, quantileSelect, summarize } from "./stats.js";
import type { Table } from "./table.js";

const NumericProfile = z.object({
  name: z.string(),
  kind: z.literal("numeric"),
  count: z.number(),
  missing: z.number(),
  mean: z.number().nullable(),
  std: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  median: z.number().nullable(),
  mad: z.number().nullable(),
  scale: z.number().nullable(),
  /** Inner decile edges of the baseline; counts has one more entry than edges. */
  edges: z.array(z.number()),
  counts: z.array(z.number()),
});
const CategoricalProfile = z.object({
  name: z.string(),
  kind: z.literal("categorical"),
  count: z.number(),
  missing: z.number(),
  levels: z.record(z.string(), z.number()),
  other: z.number(),
});
export const DataProfile = z.object({
  version: z.literal(1),
  dataset: z.object({ name: z.string(), sha256: z.string() }),
  rows: z.number().int().nonnegative(),
  createdAt: z.string(),
  label: z.object({ name: z.string(), counts: z.record(z.string(), z.number()) }).optional(),
  columns: z.array(z.discriminatedUnion("kind", [NumericProfile, CategoricalProfile])),
  /** Per label: median and robust scale of each numeric column (outliers are judged against every class). */
  classStats: z.record(z.string(), z.record(z.string(), z.tuple([z.number(), z.number()]))).optional(),
  /** Share of baseline rows with a robust z-score above the outlier threshold. */
  outlierRate: z.number(),
  zThreshold: z.number(),
});
export type DataProfile = z.infer<typeof DataProfile>;
export type ColumnStats = DataProfile["columns"][number];

const TOP_LEVELS = 100;
const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

/** Summarises a table as a baseline: robust statistics, decile histograms, category and label counts. */
export function buildProfile(table: Table, dataset: { name: string; sha256: string }, zThreshold = 3.5): DataProfile {
  const columns: ColumnStats[] = [];
  for (const c of table.columns) {
    if (c.kind === "numeric") {
      const s = summarize(c.values);
      const sample = finiteSample(c.values, 50_000);
      const edges = [...new Set([1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => quantileSelect(sample, k / 10)).filter(Number.isFinite))];
      columns.push({
        name: c.name,
        kind: "numeric",
        count: s.count,
        missing: s.missing,
        mean: finiteOrNull(s.mean),
        std: finiteOrNull(s.std),
        min: finiteOrNull(s.min),
        max: finiteOrNull(s.max),
        median: finiteOrNull(s.median),
        mad: finiteOrNull(s.mad),
        scale: finiteOrNull(s.scale),
        edges,
        counts: histogram(c.values, edges),
      });
    } else {
      const counts = new Array<number>(c.levels.length).fill(0);
      let missing = 0;
      for (const code of c.codes)
        if (code < 0) missing++;
        else counts[code]!++;
      const order = counts.map((n, i) => [n, i] as const).sort((a, b) => b[0] - a[0]);
      const levels: Record<string, number> = {};
      let other = 0;
      order.forEach(([n, i], rank) => {
        if (rank < TOP_LEVELS) levels[c.levels[i]!] = n;
        else other += n;
      });
      columns.push({ name: c.name, kind: "categorical", count: table.n - missing, missing, levels, other });
    }
  }
  const label = table.label ? { name: table.label.name, counts: labelCounts(table) } : undefined;
  const classStats = table.label ? perClassStats(table) : undefined;
  const outliers = robustOutliers(table, columns, classStats);
  let flagged = 0;
  for (const z of outliers.maxZ) if (z > zThreshold) flagged++;
  return {
    version: 1,
    dataset,
    rows: table.n,
    createdAt: new Date().toISOString(),
    ...(label ? { label } : {}),
    columns,
    ...(classStats ? { classStats } : {}),
    outlierRate: flagged / table.n,
    zThreshold,
  };
}

/** Median and robust scale of every numeric column within each class. */
export function perClassStats(table: Table): Record<string, Record<string, [number, number]>> {
  const label = table.label!;
  const out: Record<string, Record<string, [number, number]>> = {};
  label.levels.forEach((level, k) => {
    const rows: number[] = [];
    for (let i = 0; i < table.n; i++) if (label.codes[i] === k) rows.push(i);
    if (rows.length < 10) return;
    const cols: Record<string, [number, number]> = {};
    for (const c of table.columns) {
      if (c.kind !== "numeric") continue;
      const v = new Float64Array(rows.length);
      rows.forEach((r, j) => {
        v[j] = c.values[r]!;
      });
      const s = summarize(v);
      if (Number.isFinite(s.median) && s.scale > 0) cols[c.name] = [s.median, s.scale];
    }
    out[level] = cols;
  });
  return out;
}

export function labelCounts(table: Table): Record<string, number> {
  const out: Record<string, number> = {};
  if (!table.label) return out;
  const counts = new Array<number>(table.label.levels.length).fill(0);
  for (const c of table.label.codes) if (c >= 0) counts[c]!++;
  table.label.levels.forEach((l, i) => {
    out[l] = counts[i]!;
  });
  return out;
}

/**
 * Per row: the largest robust z-score |x − median| / scale over numeric columns, and its column.
 * With per-class statistics the row gets the smallest such score over the classes, so that a
 * multi-modal column is not mistaken for outliers and a flipped label does not make a row one.
 */
export function robustOutliers(
  table: Table,
  stats: readonly ColumnStats[],
  classStats?: Record<string, Record<string, [number, number]>>,
): { maxZ: Float64Array; column: Int32Array } {
  const global: Record<string, [number, number]> = {};
  for (const s of stats) if (s.kind === "numeric" && s.median !== null && s.scale) global[s.name] = [s.median, s.scale];
  const references = classStats && Object.keys(classStats).length > 0 ? Object.values(classStats) : [global];
  const numeric = table.columns.flatMap((c, ci) => (c.kind === "numeric" ? [{ ci, values: c.values, name: c.name }] : []));
  const maxZ = new Float64Array(table.n).fill(Number.POSITIVE_INFINITY);
  const column = new Int32Array(table.n).fill(-1);
  const worst = new Float64Array(table.n);
  const at = new Int32Array(table.n);
  for (const ref of references) {
    const cols = numeric.filter((c) => ref[c.name]);
    worst.fill(0);
    at.fill(-1);
    // Column by column over typed arrays: the hot loop touches no objects.
    for (const c of cols) {
      const [median, scale] = ref[c.name]!;
      const v = c.values;
      for (let i = 0; i < table.n; i++) {
        const z = Math.abs(v[i]! - median) / scale;
        if (z > worst[i]!) {
          worst[i] = z;
          at[i] = c.ci;
        }
      }
    }
    for (let i = 0; i < table.n; i++)
      if (worst[i]! < maxZ[i]!) {
        maxZ[i] = worst[i]!;
        column[i] = at[i]!;
      }
  }
  for (let i = 0; i < table.n; i++) if (!Number.isFinite(maxZ[i]!)) maxZ[i] = 0;
  return { maxZ, column };
}

export interface ShiftReport {
  columns: Array<{ name: string; psi: number; missingBaseline: number; missingNow: number }>;
  /** Total variation distance between baseline and current label shares. */
  labelShift?: number;
  labelShares?: { baseline: Record<string, number>; current: Record<string, number> };
}

/** Distribution shift of a table against a baseline profile: PSI per column, total variation for labels. */
export function compareToProfile(table: Table, profile: DataProfile): ShiftReport {
  const columns: ShiftReport["columns"] = [];
  for (const base of profile.columns) {
    const c = table.columns.find((x) => x.name === base.name);
    if (!c) continue;
    const now = c.kind === "numeric" ? c.values.reduce((a, v) => a + (Number.isFinite(v) ? 0 : 1), 0) : c.codes.reduce((a, code) => a + (code < 0 ? 1 : 0), 0);
    const missingBaseline = base.missing / Math.max(1, base.count + base.missing);
    const missingNow = now / Math.max(1, table.n);
    if (base.kind === "numeric" && c.kind === "numeric") {
      columns.push({ name: base.name, psi: psi(base.counts, histogram(c.values, base.edges)), missingBaseline, missingNow });
    } else if (base.kind === "categorical" && c.kind === "categorical") {
      const keys = Object.keys(base.levels);
      const counts = new Array<number>(keys.length + 1).fill(0);
      const index = new Map(keys.map((k, i) => [k, i]));
      for (const code of c.codes) if (code >= 0) counts[index.get(c.levels[code]!) ?? keys.length]!++;
      columns.push({ name: base.name, psi: psi([...keys.map((k) => base.levels[k]!), base.other], counts), missingBaseline, missingNow });
    } else columns.push({ name: base.name, psi: Number.POSITIVE_INFINITY, missingBaseline, missingNow });
  }
  const out: ShiftReport = { columns };
  if (profile.label && table.label) {
    const baseline = shares(profile.label.counts);
    const current = shares(labelCounts(table));
    const keys = new Set([...Object.keys(baseline), ...Object.keys(current)]);
    let tv = 0;
    for (const k of keys) tv += Math.abs((baseline[k] ?? 0) - (current[k] ?? 0));
    out.labelShift = tv / 2;
    out.labelShares = { baseline, current };
  }
  return out;
}

function shares(counts: Record<string, number>): Record<string, number> {
  const total = Object.values(counts).reduce((a, b) => a + b, 0) || 1;
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v / total]));
}

export async function loadProfile(path: string): Promise<DataProfile> {
  const parsed = DataProfile.safeParse(await readJson(path));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RampartError("invalid-input", `${path}: not a Rampart data profile (${issue.path.join(".") || "root"}: ${issue.message})`);
  }
  return parsed.data;
}
