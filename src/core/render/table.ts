import { createColors } from "picocolors";
import type { CheckResult, Finding, Location, Severity } from "../types.js";
import { SEVERITIES } from "../types.js";

export interface TableOptions {
  color: boolean;
  /** Terminal width; long messages are cut to fit. */
  width?: number;
  /** Findings listed per check (default 25); the rest are counted. */
  maxPerCheck?: number;
}

/** Human-readable report: one block per check, findings sorted by severity, then a summary line. */
export function renderTable(results: readonly CheckResult[], options: TableOptions): string {
  const c = createColors(options.color);
  const paint: Record<Severity, (s: string) => string> = {
    critical: (s) => c.bold(c.red(s)),
    high: c.red,
    medium: c.yellow,
    low: c.cyan,
    info: c.dim,
  };
  const width = Math.max(options.width ?? 120, 60);
  const out: string[] = [];
  for (const result of results) {
    const subjects = result.subjects.map((s) => s.name).join(", ");
    out.push(c.bold(`${result.check}`) + (subjects ? c.dim(`  ${subjects}`) : ""));
    if (result.findings.length === 0) {
      out.push(`  ${c.green("no findings")}`);
    } else {
      // A terminal shows the worst findings of each check; every finding is in the JSON/SARIF output.
      const all = [...result.findings].sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
      const sorted = all.slice(0, options.maxPerCheck ?? 25);
      const rows = sorted.map((f) => [f.severity.toUpperCase(), f.ruleId, formatLocation(f.location), oneLine(f.message)] as const);
      const w0 = Math.max(...rows.map((r) => r[0].length), 8);
      const w1 = Math.max(...rows.map((r) => r[1].length), 4);
      const w2 = Math.min(Math.max(...rows.map((r) => r[2].length), 8), 48);
      out.push(c.dim(`  ${"SEVERITY".padEnd(w0)}  ${"RULE".padEnd(w1)}  ${"LOCATION".padEnd(w2)}  MESSAGE`));
      for (const [i, [sev, rule, loc, msg]] of rows.entries()) {
        const room = Math.max(width - (2 + w0 + 2 + w1 + 2 + w2 + 2), 20);
        const severity = sorted[i]!.severity;
        out.push(`  ${paint[severity](sev.padEnd(w0))}  ${rule.padEnd(w1)}  ${cutStart(loc, w2).padEnd(w2)}  ${cut(msg, room)}`);
      }
    }
    const hidden = result.findings.length - Math.min(result.findings.length, options.maxPerCheck ?? 25);
    if (hidden > 0) out.push(c.dim(`  … and ${hidden} more (all of them: --format json or sarif)`));
    const metrics = summariseMetrics(result.metrics);
    if (metrics) out.push(c.dim(`  ${metrics}`));
    out.push("");
  }
  out.push(summaryLine(results));
  return `${out.join("\n")}\n`;
}

export function summaryLine(results: readonly CheckResult[]): string {
  const counts = new Map<Severity, number>();
  for (const r of results) for (const f of r.findings) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const parts = SEVERITIES.filter((s) => counts.has(s)).map((s) => `${counts.get(s)} ${s}`);
  const checks = `${results.length} check${results.length === 1 ? "" : "s"}`;
  return total === 0 ? `${checks}, no findings` : `${checks}, ${total} finding${total === 1 ? "" : "s"}: ${parts.join(", ")}`;
}

export function formatLocation(loc: Location | undefined): string {
  if (!loc) return "";
  let s = loc.file ?? "";
  if (loc.member) s += `!${loc.member}`;
  if (loc.line !== undefined) s += `:${loc.line}${loc.column !== undefined ? `:${loc.column}` : ""}`;
  if (loc.row !== undefined) s += `${s ? " " : ""}row ${loc.row}`;
  if (loc.field !== undefined) s += `${s ? " " : ""}[${loc.field}]`;
  if (loc.offset !== undefined && loc.line === undefined) s += `${s ? " " : ""}@${loc.offset}`;
  if (loc.pointer !== undefined) s += `${s ? " " : ""}${loc.pointer}`;
  return s;
}

function summariseMetrics(metrics: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(metrics)) {
    if (typeof v === "number") parts.push(`${k}=${Number.isInteger(v) ? v : v.toPrecision(4)}`);
    else if (typeof v === "string" || typeof v === "boolean") parts.push(`${k}=${v}`);
    if (parts.length >= 8) break;
  }
  return parts.join("  ");
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, " ").trim();
}

function cut(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, Math.max(n - 1, 0))}…`;
}

/** A location keeps its end (file name, line, row): a long directory is what gives way. */
function cutStart(s: string, n: number): string {
  return s.length <= n ? s : `…${s.slice(s.length - Math.max(n - 1, 0))}`;
}

export type { Finding };
