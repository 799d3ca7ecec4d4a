import type { Finding, Severity } from "../../core/types.js";
import type { Source } from "./source.js";

/** Size and depth limits for untrusted model files. */
export interface ScanLimits {
  /** Largest pickle (or decompressed stream) analysed in memory. */
  maxPickleBytes: number;
  /** Archive nesting depth (zip in tar in zip …). */
  maxDepth: number;
  /** Members per archive. */
  maxMembers: number;
  /** Compression ratio above which a member counts as a bomb. */
  maxRatio: number;
  /** Total declared uncompressed size of one archive. */
  maxArchiveBytes: number;
  /** Opcode budget per pickle (a clock-free time limit). */
  maxOpcodes: number;
  /** Memory budget per pickle: accounted bytes of the values the symbolic machine holds. */
  maxPickleMemoryBytes: number;
  /** Largest JSON/metadata header (safetensors caps at 100 MB). */
  maxHeaderBytes: number;
  /** Wall-clock budget per top-level file, in milliseconds; past it the file gets a finding and the scan moves on. */
  timeoutMs: number;
}

/** One file's wall-clock budget, shared by everything that analyses the file and its members. */
export interface Deadline {
  /** `performance.now()` value after which work on the file stops. */
  at: number;
  /** Set by whoever noticed the budget was spent (the pickle machine, a decoder, the walker). */
  expired: boolean;
}

/** True (and marks the deadline) once its time has passed. Cheap enough for a loop every few thousand steps. */
export function pastDeadline(d: Deadline | undefined): boolean {
  if (!d) return false;
  if (!d.expired && performance.now() > d.at) d.expired = true;
  return d.expired;
}

export const DEFAULT_LIMITS: ScanLimits = {
  maxPickleBytes: 256 * 1024 * 1024,
  maxDepth: 4,
  maxMembers: 100_000,
  maxRatio: 200,
  maxArchiveBytes: 64 * 1024 * 1024 * 1024,
  maxOpcodes: 50_000_000,
  maxPickleMemoryBytes: 64 * 1024 * 1024,
  maxHeaderBytes: 100_000_000,
  timeoutMs: 30_000,
};

/** A finding before the walker fills in the file and member. */
export interface Report {
  ruleId: string;
  severity: Severity;
  message: string;
  offset?: number;
  length?: number;
  pointer?: string;
  /** Archive member inside the content being analysed (appended to the walker's member path). */
  member?: string;
  entity?: string;
  evidence?: Record<string, unknown>;
  remediation?: string;
  tags?: string[];
}

/** What an analyzer is given: one file (or archive member), opened once by the walker. */
export interface AnalyzerInput {
  source: Source;
  /** First bytes of the content (up to 4 KiB), for detection. */
  head: Uint8Array;
  /** Path relative to the scan root. */
  file: string;
  /** Path inside the archive(s), `a.zip!b/c.pkl` style, when this is a member. */
  member?: string;
  /** Base name of the innermost entry (hints only; detection is by content). */
  name: string;
  depth: number;
  limits: ScanLimits;
  /** The top-level file's wall-clock budget: long loops check it with `pastDeadline`. */
  deadline: Deadline;
  report(r: Report): void;
  /** Hands nested content (an archive member, a decompressed stream) back to the walker. */
  scanNested(source: Source, memberName: string): Promise<string | undefined>;
  /** True when some analyzer wants content starting with `head` (lets archives skip tensor members). */
  wants(head: Uint8Array, name: string, size: number): boolean;
  /** Formats detected on the way, for metrics. */
  note(format: string): void;
}

/** An analyzer: a type name, a version (part of cache keys), a content test and the analysis. */
export interface Analyzer {
  type: string;
  version: number;
  /** True when this analyzer wants the content whose first bytes are `head`. */
  required(head: Uint8Array, name: string, size: number): boolean;
  analyze(input: AnalyzerInput): Promise<void>;
}

export type { Finding };
