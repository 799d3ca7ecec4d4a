import { availableParallelism } from "node:os";
import { type CheckResult, type Finding, type Subject, subjectOf, VERSION } from "../../core/index.js";
import { runWorkerPool } from "../../core/worker.js";
import type { ExternalSummary } from "./analyze.js";
import { moduleSummaries } from "./analyze.js";
import { linkSummaries, ModuleIndex } from "./crossfile.js";
import { analyzeFile, type FileOutcome, NOTEBOOK, readSource } from "./file.js";
import { pythonParser } from "./python.js";
import { CODE_RULES } from "./rules.js";
import { inOrder, SKIPPED_DIRS, type WalkedFile, walkFiles } from "./walk.js";

export interface ScanCodeOptions {
  /** Source files larger than this are reported and skipped (default 8 MiB: generated code, not hand-written). */
  maxFileBytes?: number;
  /** Name for the subject (default: the path as given). */
  name?: string;
  /** Worker threads for parsing (default: available cores, at most 8, for trees over 2 MiB of source; 1 = in this thread). */
  workers?: number;
  onFile?: (rel: string) => void;
}

const PYTHON = /\.(?:py|pyw|pyi)$/i;
/** Below this much source, starting worker threads costs more than it saves. */
const POOL_MIN_BYTES = 2 << 20;

/** Static analysis of the Python files and Jupyter notebooks under `root` (a folder or one file). */
export async function scanCode(root: string, options: ScanCodeOptions = {}): Promise<CheckResult> {
  const maxBytes = options.maxFileBytes ?? 8 << 20;
  const files: WalkedFile[] = [];
  for await (const f of walkFiles(root, { wants: (rel) => PYTHON.test(rel) || NOTEBOOK.test(rel) })) files.push(f);
  const total = files.reduce((n, f) => n + Math.min(f.size, maxBytes), 0);
  const threads = Math.max(1, Math.min(options.workers ?? Math.min(availableParallelism(), 8), files.length));
  const pool = threads > 1 && (options.workers !== undefined || total >= POOL_MIN_BYTES);
  const outcomes = pool ? await inPool(files, maxBytes, threads, options.onFile) : await inThread(files, maxBytes, options.onFile);
  await acrossFiles(files, outcomes, maxBytes, pool ? threads : 1);
  const findings: Finding[] = outcomes.flatMap((o) => o.findings);
  const sum = (k: keyof Omit<FileOutcome, "findings" | "imports">) => outcomes.reduce((n, o) => n + o[k], 0);
  const subject: Subject = await subjectOf(root, options.name ?? root, { ignore: (rel) => SKIPPED_DIRS.has(rel.split("/")[0]!) });
  return {
    check: "scan-code",
    version: VERSION,
    subjects: [subject],
    findings,
    metrics: {
      pythonFiles: sum("python"),
      notebooks: sum("notebooks"),
      lines: sum("lines"),
      parseErrors: sum("parseErrors"),
      suppressed: sum("suppressed"),
      skippedLarge: sum("skippedLarge"),
      findings: findings.length,
      rules: Object.keys(CODE_RULES).length,
    },
  };
}

/**
 * Files that import a function of another scanned module whose result matters are analysed again with its
 * summary (see crossfile.ts); only modules some file imports are summarised.
 */
async function acrossFiles(files: WalkedFile[], outcomes: FileOutcome[], maxBytes: number, threads: number): Promise<void> {
  const index = new ModuleIndex(files.map((f) => f.rel));
  if (index.size === 0) return;
  const imports = outcomes.map((o) => o.imports);
  const wanted = new Set<number>();
  imports.forEach((list, i) => {
    if (list?.length) for (const r of index.references(i, list)) wanted.add(r.module);
  });
  if (wanted.size === 0) return;
  const parser = await pythonParser();
  const summaries = new Map<number, Record<string, ExternalSummary>>();
  for (const i of wanted) {
    const f = files[i]!;
    if (f.size > maxBytes) continue;
    const s = moduleSummaries(parser, await readSource(f.path, f.size, maxBytes));
    if (s) summaries.set(i, s);
  }
  const linked = linkSummaries(index, imports, summaries);
  if (threads > 1 && linked.size > 1) {
    // The second round on the same worker threads: a tree whose every file imports a helper would otherwise redo it on one.
    const again = [...linked.keys()];
    const redone = await inPool(
      again.map((i) => files[i]!),
      maxBytes,
      Math.min(threads, again.length),
      undefined,
      again.map((i) => [...linked.get(i)!]),
    );
    again.forEach((i, k) => {
      outcomes[i] = redone[k]!;
    });
    return;
  }
  for (const [i, external] of linked) {
    const f = files[i]!;
    outcomes[i] = await analyzeFile(parser, f.path, f.rel, f.size, maxBytes, undefined, external);
  }
}

async function inThread(files: WalkedFile[], maxBytes: number, onFile?: (rel: string) => void): Promise<FileOutcome[]> {
  const parser = await pythonParser();
  const out: FileOutcome[] = [];
  async function* listed() {
    yield* files;
  }
  // Up to 16 files are being read while one is parsed.
  const read = inOrder(listed(), 16, async (f) => ({ f, text: await readSource(f.path, f.size, maxBytes) }));
  for await (const { f, text } of read) {
    onFile?.(f.rel);
    out.push(await analyzeFile(parser, f.path, f.rel, f.size, maxBytes, text));
  }
  return out;
}

/** Parses files on `threads` worker threads, largest first; results come back in walk order. */
async function inPool(
  files: WalkedFile[],
  maxBytes: number,
  threads: number,
  onFile?: (rel: string) => void,
  external?: Array<Array<[string, ExternalSummary]>>,
): Promise<FileOutcome[]> {
  const results: FileOutcome[] = new Array(files.length);
  const order = files.map((_, i) => i).sort((a, b) => files[b]!.size - files[a]!.size);
  let next = 0;
  await runWorkerPool<{ ready?: boolean; id?: number; outcome?: FileOutcome; error?: string }>(
    import.meta.url,
    "./worker",
    threads,
    () => {
      const i = order[next++];
      if (i === undefined) return undefined;
      const f = files[i]!;
      onFile?.(f.rel);
      return { id: i, path: f.path, rel: f.rel, size: f.size, maxBytes, ...(external ? { external: external[i] } : {}) };
    },
    (m) => {
      results[m.id!] = m.outcome!;
    },
  );
  return results;
}
