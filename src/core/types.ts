import * as z from "zod";
import { SEVERITIES } from "./severities.js";

export { SEVERITIES };
export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;

/** True when `severity` is at least as serious as `threshold`. */
export function atLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(threshold);
}

export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, "expected 64 lowercase hex characters");

/** The thing a check speaks about, named and pinned by digest (in-toto ResourceDescriptor subset). */
export const Subject = z.object({
  name: z.string().min(1),
  digest: z.object({ sha256: Sha256Hex }).catchall(z.string()),
});
export type Subject = z.infer<typeof Subject>;

const positive = z.number().int().positive();
const natural = z.number().int().nonnegative();

/** Where a finding is. Fields are present only when they apply; line/column/row are 1-based. */
export const Location = z.object({
  file: z.string().optional(),
  member: z.string().optional(),
  line: positive.optional(),
  column: positive.optional(),
  endLine: positive.optional(),
  endColumn: positive.optional(),
  offset: natural.optional(),
  length: natural.optional(),
  row: positive.optional(),
  field: z.string().optional(),
  pointer: z.string().optional(),
});
export type Location = z.infer<typeof Location>;

export const Finding = z.object({
  ruleId: z.string().min(1),
  severity: Severity,
  message: z.string().min(1),
  location: Location.optional(),
  entity: z.string().optional(),
  evidence: z.record(z.string(), z.unknown()).optional(),
  remediation: z.string().optional(),
  tags: z.array(z.string()).optional(),
});
export type Finding = z.infer<typeof Finding>;

export const Metrics = z.record(z.string(), z.unknown());

/** The output of every check: plain data, JSON-serialisable, stable (the `--format json` contract). */
export const CheckResult = z.object({
  check: z.string().min(1),
  version: z.string().min(1),
  subjects: z.array(Subject),
  findings: z.array(Finding),
  metrics: Metrics,
});
export type CheckResult = z.infer<typeof CheckResult>;

/** `--format json` for several checks. */
export const CheckResults = z.object({ results: z.array(CheckResult) });

/** Highest severity among findings, or undefined when there are none. */
export function worstSeverity(findings: readonly Finding[]): Severity | undefined {
  let best: number = SEVERITIES.length;
  for (const f of findings) best = Math.min(best, SEVERITIES.indexOf(f.severity));
  return SEVERITIES[best];
}

/** Findings at or above `threshold` (the ones that fail `--fail-on`). */
export function failing(results: readonly CheckResult[], threshold: Severity): Finding[] {
  return results.flatMap((r) => r.findings.filter((f) => atLeast(f.severity, threshold)));
}
