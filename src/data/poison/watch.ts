import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { type CheckResult, type Finding, sha256File, sha256Hex } from "../../core/index.js";
import { type DataRecord, isDataFile } from "../readers/index.js";
import { analyzeTable, toCheckResult } from "./detect.js";
import type { DataProfile } from "./profile.js";
import { loadTable, type Table, tableFromRecords } from "./table.js";

export interface BatchOptions {
  label?: string;
  ignore?: readonly string[];
  maxFindings?: number;
}

/**
 * Scores one batch against a trusted baseline: schema, distribution shift (PSI), label shift and
 * rows that are outliers by the baseline's own statistics; an outlier rate well above the
 * baseline's is an alert of its own.
 */
export function scoreBatch(table: Table, baseline: DataProfile, name: string, sha256: string, options: BatchOptions = {}): CheckResult {
  const report = analyzeTable(table, { baseline, outliersOnly: true, displayName: name, zThreshold: baseline.zThreshold, maxFlagShare: 1 });
  const outliers = new Set(report.flags.filter((f) => f.kind === "outlier").map((f) => f.row)).size;
  const rate = outliers / table.n;
  const limit = Math.max(3 * baseline.outlierRate, baseline.outlierRate + 0.02);
  const extra: Finding[] = [];
  if (rate > limit)
    extra.push({
      ruleId: "data.poison.outlier-rate",
      severity: "medium",
      message: `${(rate * 100).toFixed(1)}% of rows are outliers (baseline ${(baseline.outlierRate * 100).toFixed(1)}%, alert above ${(limit * 100).toFixed(1)}%)`,
      location: { file: name },
      evidence: { rate, baseline: baseline.outlierRate, limit },
    });
  report.findings.unshift(...extra);
  const result = toCheckResult(report, name, sha256, options.maxFindings ?? 100);
  result.check = "data-watch";
  result.metrics.outlierRate = Math.round(rate * 1000) / 1000;
  result.metrics.alert = result.findings.some((f) => f.severity !== "info" && f.severity !== "low" && !f.location?.row);
  return result;
}

export async function scoreBatchFile(path: string, baseline: DataProfile, options: BatchOptions = {}): Promise<CheckResult> {
  const table = await loadTable(path, { label: options.label ?? baseline.label?.name, ignore: options.ignore });
  return scoreBatch(table, baseline, path, await sha256File(path), options);
}

/** Scores JSON-lines records in batches of `size` (e.g. from stdin). */
export async function* scoreRecordBatches(records: AsyncIterable<DataRecord>, baseline: DataProfile, size: number, options: BatchOptions = {}): AsyncGenerator<CheckResult> {
  let batch: DataRecord[] = [];
  let index = 0;
  const flush = async () => {
    index++;
    const name = `stdin#${index}`;
    const table = await tableFromRecords(batch, name, { label: options.label ?? baseline.label?.name, ignore: options.ignore });
    const digest = sha256Hex(batch.map((r) => JSON.stringify(r.values)).join("\n"));
    batch = [];
    return scoreBatch(table, baseline, name, digest, options);
  };
  for await (const rec of records) {
    batch.push({ ...rec, row: batch.length + 1 });
    if (batch.length >= size) yield await flush();
  }
  if (batch.length > 0) yield await flush();
}

/**
 * New data files appearing in a folder, each yielded once its size has stayed the same for one poll
 * (so a file still being copied is not read half-written). Stops when the signal aborts, or after
 * the files already present when `once` is set.
 */
export async function* watchFolder(dir: string, options: { intervalMs?: number; once?: boolean; signal?: AbortSignal } = {}): AsyncGenerator<string> {
  const done = new Set<string>();
  const sizes = new Map<string, number>();
  for (;;) {
    const names = (await readdir(dir)).filter((n) => isDataFile(n) && !n.startsWith(".")).sort();
    for (const n of names) {
      if (done.has(n)) continue;
      const full = join(dir, n);
      const size = (await stat(full).catch(() => undefined))?.size;
      if (size === undefined) continue;
      if (options.once || sizes.get(n) === size) {
        done.add(n);
        yield full;
      } else sizes.set(n, size);
    }
    if (options.once || options.signal?.aborted) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, options.intervalMs ?? 1000);
      options.signal?.addEventListener("abort", () => {
        clearTimeout(timer);
        resolve();
      });
    });
    if (options.signal?.aborted) return;
  }
}
