import { closeSync, fstatSync, lstatSync, openSync, type Stats } from "node:fs";
import { opendir } from "node:fs/promises";
import { basename, join, relative, resolve, sep } from "node:path";
// Core's modules one by one, not its barrel (which loads zod, yaml and the renderers: most of a cold scan's CPU).
import { fileError, subjectOf } from "../../core/digest.js";
import { messageOf } from "../../core/errors.js";
import { SEVERITIES } from "../../core/severities.js";
import type { CheckResult, Finding, Subject } from "../../core/types.js";
import { VERSION } from "../../core/version.js";
import { compressedAnalyzer } from "./analyzers/compressed.js";
import { ggufAnalyzer } from "./analyzers/gguf.js";
import { hdf5Analyzer, kerasConfigAnalyzer, kerasMetadataAnalyzer } from "./analyzers/keras.js";
import { numpyAnalyzer } from "./analyzers/numpy.js";
import { pickleAnalyzer } from "./analyzers/pickle.js";
import { onnxAnalyzer, savedModelAnalyzer } from "./analyzers/protobuf.js";
import { safetensorsAnalyzer } from "./analyzers/safetensors.js";
import { tarAnalyzer } from "./analyzers/tar.js";
import { readCentralDirectory, zipAnalyzer } from "./analyzers/zip.js";
import { findEmbeddedPickles, HIDDEN_SCAN_BYTES } from "./hidden.js";
import { BufferSource, FileSource, type Source } from "./source.js";
import { type Analyzer, type AnalyzerInput, DEFAULT_LIMITS, type Deadline, pastDeadline, type Report, type ScanLimits } from "./types.js";
// Rule metadata (SARIF) registers with the walker, so every entry point (CLI, stage, API) has it.
import "./rules.js";

/** Every analyzer, in the order they are asked. Detection is by content; the first one that wants a file takes it. */
export const ANALYZERS: readonly Analyzer[] = [
  zipAnalyzer,
  tarAnalyzer,
  numpyAnalyzer,
  ggufAnalyzer,
  hdf5Analyzer,
  safetensorsAnalyzer,
  compressedAnalyzer,
  savedModelAnalyzer,
  onnxAnalyzer,
  kerasMetadataAnalyzer,
  kerasConfigAnalyzer,
  pickleAnalyzer,
];

/** Extensions that promise a model; an unrecognised file with one of them is reported, not passed. */
const MODEL_EXTENSIONS = /\.(pt|pth|bin|pkl|pickle|ckpt|joblib|jl|h5|hdf5|keras|onnx|safetensors|gguf|ggml|npy|npz|pb|model|mar|sav|dill|tar|zip|7z|pkl\.gz|llamafile)$/i;

export interface ScanOptions {
  limits?: Partial<ScanLimits>;
  /** Compute sha256 subjects (reads every byte once; off for raw speed). Default true. */
  digest?: boolean;
  /** Called as each file starts (progress). */
  onFile?: (file: string) => void;
  /** Subject names: the path as given (default) or relative to this folder. */
  nameRelativeTo?: string;
}

interface FileStats {
  files: number;
  bytes: number;
  bytesRead: number;
  formats: Record<string, number>;
  errors: number;
}

/**
 * Scans files and folders (a Hugging Face-style repository is a folder) and returns one CheckResult.
 * Each file is opened once; analyzers read only the byte ranges they need.
 */
export async function scanModelPaths(paths: readonly string[], options: ScanOptions = {}): Promise<CheckResult> {
  const limits: ScanLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const findings: Finding[] = [];
  const subjects: Subject[] = [];
  const stats: FileStats = { files: 0, bytes: 0, bytesRead: 0, formats: {}, errors: 0 };
  const t0 = performance.now();
  for (const path of paths) {
    let info: Stats;
    try {
      info = lstatSync(path);
    } catch (e) {
      throw fileError(path, e);
    }
    const root = info.isDirectory() ? path : resolve(path, "..");
    const files = info.isDirectory() ? await listFiles(path) : [path];
    for (const file of files) {
      const rel = info.isDirectory() ? relative(root, file).split(sep).join("/") : basename(file);
      options.onFile?.(rel);
      await scanFile(file, rel, limits, findings, stats);
    }
    if (options.digest !== false) {
      const name = options.nameRelativeTo ? relative(options.nameRelativeTo, path).split(sep).join("/") || "." : path;
      subjects.push(await subjectOf(path, name, { ignore: (r) => r.split("/")[0] === ".git" }));
    }
  }
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length]));
  return {
    check: "scan-model",
    version: VERSION,
    subjects,
    findings,
    metrics: {
      files: stats.files,
      bytes: stats.bytes,
      bytesRead: stats.bytesRead,
      analyzerErrors: stats.errors,
      durationMs: Math.round(performance.now() - t0),
      ...Object.fromEntries(Object.entries(stats.formats).map(([k, v]) => [`format.${k}`, v])),
      ...Object.fromEntries(Object.entries(bySeverity).map(([k, v]) => [`findings.${k}`, v])),
    },
  };
}

/** Scans bytes already in memory (an upload, a fuzz case) as if they were a file named `name`. */
export async function scanBuffer(data: Uint8Array, name: string, options: Pick<ScanOptions, "limits"> = {}): Promise<CheckResult> {
  const limits: ScanLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const findings: Finding[] = [];
  const stats: FileStats = { files: 1, bytes: data.length, bytesRead: 0, formats: {}, errors: 0 };
  await dispatchTimed(new BufferSource(data), { file: name, name, depth: 0, limits, findings, stats, topLevel: true });
  return {
    check: "scan-model",
    version: VERSION,
    subjects: [],
    findings,
    metrics: { files: 1, bytes: data.length, analyzerErrors: stats.errors, ...Object.fromEntries(Object.entries(stats.formats).map(([k, v]) => [`format.${k}`, v])) },
  };
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    const handle = await opendir(d).catch((e) => {
      throw fileError(d, e);
    });
    for await (const entry of handle) {
      const full = join(d, entry.name);
      // Symlinks are not followed (they can point anywhere); VCS internals are not model files.
      if (entry.isDirectory() && entry.name !== ".git") await walk(full);
      else if (entry.isFile()) out.push(full);
    }
  };
  await walk(dir);
  return out.sort();
}

async function scanFile(path: string, rel: string, limits: ScanLimits, findings: Finding[], stats: FileStats): Promise<void> {
  // Synchronous open/stat/close: each is microseconds on a local file, where a thread-pool round
  // trip per call was most of the per-file cost of a scan over many small files.
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    // One unreadable file in a folder is a finding (it was not scanned), not the end of the scan.
    findings.push({
      ruleId: "model.scan-error",
      severity: "medium",
      message: `cannot open ${rel}: ${fileError(path, e).message}; it was not scanned`,
      location: { file: rel },
    });
    stats.errors++;
    return;
  }
  let abandoned = false;
  try {
    const size = fstatSync(fd).size;
    const source = new FileSource(fd, size);
    stats.files++;
    stats.bytes += size;
    abandoned = await dispatchTimed(source, { file: rel, name: basename(path), depth: 0, limits, findings, stats, topLevel: true });
    stats.bytesRead += source.bytesRead;
  } finally {
    // Work abandoned at a timeout may still read: its descriptor is closed after a grace period so the
    // number is not reused under it.
    if (abandoned) setTimeout(() => closeSync(fd), 5_000).unref();
    else closeSync(fd);
  }
}

/**
 * Runs one top-level file under its wall-clock budget. Long loops (pickle machine, decoders, archive
 * members) stop themselves at the deadline; the timer also stops the wait for anything else (a slow
 * read), abandoning that work. Either way the file gets a `model.timeout` finding and the scan goes on.
 * Returns true when the work was abandoned (still running).
 */
async function dispatchTimed(source: Source, ctx: Omit<DispatchContext, "deadline" | "gate">): Promise<boolean> {
  const deadline: Deadline = { at: performance.now() + ctx.limits.timeoutMs, expired: false };
  const gate = { open: true };
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), ctx.limits.timeoutMs);
  });
  const outcome = await Promise.race([dispatch(source, { ...ctx, deadline, gate }).then(() => "done" as const), timedOut]);
  clearTimeout(timer);
  // Work still running after this point belongs to a file the scan has left: its reports are dropped.
  gate.open = false;
  if (outcome === "timeout" || deadline.expired)
    ctx.findings.push({
      ruleId: "model.timeout",
      severity: "medium",
      message: `${ctx.file}: scanning took longer than the ${ctx.limits.timeoutMs / 1000} s limit and stopped; findings before that point are reported, the rest of the file was not analysed`,
      location: { file: ctx.file },
      remediation: "Scan this file alone with a larger --timeout, or obtain the model in a format that needs no code to load (safetensors, ONNX).",
    });
  return outcome === "timeout";
}

interface DispatchContext {
  file: string;
  member?: string;
  name: string;
  depth: number;
  limits: ScanLimits;
  findings: Finding[];
  stats: FileStats;
  topLevel?: boolean;
  deadline: Deadline;
  /** Closed when the walker stops waiting for this file (timeout): later reports are dropped. */
  gate: { open: boolean };
}

function wants(head: Uint8Array, name: string, size: number): boolean {
  return ANALYZERS.some((a) => a.required(head, name, size));
}

/** Detects the content's format, runs the analyzer that wants it and returns its type. */
async function dispatch(source: Source, ctx: DispatchContext): Promise<string | undefined> {
  // 1 KiB decides every format (tar's magic sits at 257); tensor members cost one small read.
  // Nested content is skipped once the file's time is spent; the file itself always gets a first look.
  if (ctx.depth > 0 && pastDeadline(ctx.deadline)) return undefined;
  const head = await source.read(0, 1024);
  const push = (r: Report) => {
    if (!ctx.gate.open) return;
    const location: Finding["location"] = { file: ctx.file };
    const member = r.member ? (ctx.member ? `${ctx.member}!${r.member}` : r.member) : ctx.member;
    if (member) location.member = member;
    if (r.offset !== undefined) location.offset = r.offset;
    if (r.length !== undefined) location.length = r.length;
    if (r.pointer !== undefined) location.pointer = r.pointer;
    const f: Finding = { ruleId: r.ruleId, severity: r.severity, message: r.message, location };
    if (r.entity) f.entity = r.entity;
    if (r.evidence) f.evidence = r.evidence;
    if (r.remediation) f.remediation = r.remediation;
    if (r.tags) f.tags = r.tags;
    ctx.findings.push(f);
  };
  const analyzer = ANALYZERS.find((a) => a.required(head, ctx.name, source.size));
  const input: AnalyzerInput = {
    source,
    head,
    file: ctx.file,
    member: ctx.member,
    name: ctx.name,
    depth: ctx.depth,
    limits: ctx.limits,
    deadline: ctx.deadline,
    report: push,
    wants,
    note: (format) => {
      ctx.stats.formats[format] = (ctx.stats.formats[format] ?? 0) + 1;
    },
    scanNested: async (nested, memberName) => {
      if (ctx.depth + 1 > ctx.limits.maxDepth) {
        push({ ruleId: "model.limit", severity: "medium", message: `${memberName}: nested more than ${ctx.limits.maxDepth} levels deep; not scanned` });
        return undefined;
      }
      const member = ctx.member ? `${ctx.member}!${memberName}` : memberName;
      return dispatch(nested, { ...ctx, member, name: basename(memberName), depth: ctx.depth + 1, topLevel: false });
    },
  };
  if (analyzer) {
    try {
      await analyzer.analyze(input);
    } catch (e) {
      ctx.stats.errors++;
      push({ ruleId: "model.scan-error", severity: "medium", message: `the ${analyzer.type} analyzer failed (${messageOf(e)}); this content was not fully scanned` });
    }
  }
  // A zip directory at the end of a non-zip file: torch (and any zip reader) opens it from the end.
  if (ctx.topLevel && analyzer !== zipAnalyzer && analyzer !== tarAnalyzer && source.size >= 22) {
    const dir = await readCentralDirectory(source, ctx.limits.maxMembers).catch(() => undefined);
    if (dir && dir.entries.length > 0) {
      push({
        ruleId: "model.polyglot",
        severity: "high",
        message: `file is ${analyzer ? `${analyzer.type} and ` : ""}also a zip archive (${dir.entries.length} members read from its end): different loaders see different content`,
        evidence: { members: dir.entries.slice(0, 20).map((e) => e.name) },
      });
      await zipAnalyzer.analyze(input);
    }
  }
  // A file of no known format may still carry a pickle somewhere inside (appended to an image, hidden in a
  // blob that a custom loader slices out).
  if (!analyzer && ctx.topLevel && source.size <= HIDDEN_SCAN_BYTES) {
    if ((await findEmbeddedPickles(await source.read(0, source.size), 0, input, "in a file of no known model format")) > 0) return "pickle";
  }
  if (!analyzer && ctx.topLevel && MODEL_EXTENSIONS.test(ctx.name) && source.size > 0)
    push({
      ruleId: "model.unrecognized",
      severity: "low",
      message: `content of ${ctx.name} matches no known model format (first bytes ${Buffer.from(head.subarray(0, 8)).toString("hex")}); it was not analysed`,
      offset: 0,
    });
  return analyzer?.type === "pickle" ? "pickle" : analyzer?.type;
}
