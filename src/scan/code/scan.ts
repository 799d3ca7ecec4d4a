import { availableParallelism } from "node:os";
import { type CheckResult, type Finding, type Subject, subjectOf, VERSION } from "../../core/index.js";
import { runWorkerPool } from "../../core/worker.js";
import type { ExternalSummary } from "./analyze.js";
import { moduleSummaries } from "./analyze.js";
import { linkSummaries, ModuleIndex, predictImports, sameLinks, wantedModules } from "./crossfile.js";
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
  /**
   * Also report unsafe APIs given only the program's own constants (`os.system("ls")`, `yaml.load` of a document
   * written in the program), at `low`, tagged `constant-input`: Bandit's and linters' reading. Off by default: on
   * the labelled corpora scored so far it costs more precision than it adds recall (docs/code-secrets.md, session 18).
   */
  constantUses?: boolean;
}

const PYTHON = /\.(?:py|pyw|pyi)$/i;
/** Below this much source, starting worker threads costs more than it saves. */
const POOL_MIN_BYTES = 2 << 20;
/** Files in front of each worker thread (see runWorkerPool). */
const POOL_DEPTH = 2;

const skipped = (rel: string) => SKIPPED_DIRS.has(rel.split("/")[0]!);

/** Static analysis of the Python files and Jupyter notebooks under `root` (a folder or one file). */
export async function scanCode(root: string, options: ScanCodeOptions = {}): Promise<CheckResult> {
  const maxBytes = options.maxFileBytes ?? 8 << 20;
  const files: WalkedFile[] = [];
  for await (const f of walkFiles(root, { wants: (rel) => PYTHON.test(rel) || NOTEBOOK.test(rel) })) files.push(f);
  const total = files.reduce((n, f) => n + Math.min(f.size, maxBytes), 0);
  const threads = Math.max(1, Math.min(options.workers ?? Math.min(availableParallelism(), 8), files.length));
  const pool = threads > 1 && (options.workers !== undefined || total >= POOL_MIN_BYTES);
  // The summaries each file is first analysed with (filled in when the plan is made).
  const first: Array<ReadonlyMap<string, ExternalSummary> | undefined> = [];
  const planned = planLinks(files, maxBytes).then((plan) => {
    files.forEach((_, i) => {
      first[i] = plan.predicted.get(i);
    });
    return plan;
  });
  // Constant uses are looked for only when asked, in every pass (the first and any re-analysis with summaries).
  const constantUses = options.constantUses === true;
  // The worker threads load while this thread plans; they are handed files once the plan is made. A failed
  // plan fails the pool too: the plan's error is the one reported.
  const pooled = pool ? inPool(files, maxBytes, threads, options.onFile, first, constantUses, planned) : undefined;
  pooled?.catch(() => undefined);
  const plan = await planned;
  // The tree's digest is taken while the worker threads analyse (this thread only hands them files); its
  // error, if any, is still reported after the analysis's own.
  const digested = pool ? subjectOf(root, options.name ?? root, { ignore: skipped }) : undefined;
  digested?.catch(() => undefined);
  const outcomes = await (pooled ?? inThread(files, maxBytes, options.onFile, first, constantUses));
  await settleLinks(files, outcomes, maxBytes, pool ? threads : 1, plan, constantUses);
  // Session 32, part 2: a helper cleared by its own file's calls is reported after all when another file imports its module.
  if (plan.index.size > 0 && outcomes.some((o) => o.callerCleared))
    for (const i of wantedModules(
      plan.index,
      outcomes.map((o) => o.imports),
    ))
      outcomes[i]!.findings.push(...(outcomes[i]!.callerCleared ?? []));
  const findings: Finding[] = outcomes.flatMap((o) => o.findings);
  const sum = (k: keyof Omit<FileOutcome, "findings" | "imports" | "callerCleared">) => outcomes.reduce((n, o) => n + o[k], 0);
  const subject: Subject = await (digested ?? subjectOf(root, options.name ?? root, { ignore: skipped }));
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

/** Summaries across files (see crossfile.ts): the modules summarised so far and what each file was given. */
interface LinkPlan {
  index: ModuleIndex;
  summaries: Map<number, Record<string, ExternalSummary>>;
  summarised: Set<number>;
  predicted: Map<number, Map<string, ExternalSummary>>;
}

/** Summarises the modules `which` that are not summarised yet. */
async function summarise(plan: LinkPlan, files: WalkedFile[], maxBytes: number, which: Iterable<number>): Promise<void> {
  let parser: Awaited<ReturnType<typeof pythonParser>> | undefined;
  for (const i of which) {
    if (plan.summarised.has(i)) continue;
    plan.summarised.add(i);
    const f = files[i]!;
    if (f.size > maxBytes) continue;
    parser ??= await pythonParser();
    const s = moduleSummaries(parser, await readSource(f.path, f.size, maxBytes));
    if (s) plan.summaries.set(i, s);
  }
}

/**
 * Before the analysis: the imports read from each file's import lines pick the modules to summarise first,
 * so that a file importing a summarised helper is analysed once, with the summary, instead of twice.
 */
async function planLinks(files: WalkedFile[], maxBytes: number): Promise<LinkPlan> {
  const plan: LinkPlan = { index: new ModuleIndex(files.map((f) => f.rel)), summaries: new Map(), summarised: new Set(), predicted: new Map() };
  if (plan.index.size === 0 || files.length < 2) return plan;
  const guessed: Array<string[] | undefined> = [];
  for (const f of files) guessed.push(f.size > maxBytes || NOTEBOOK.test(f.rel) ? undefined : predictImports(await readSource(f.path, f.size, maxBytes)));
  await summarise(plan, files, maxBytes, wantedModules(plan.index, guessed));
  plan.predicted = linkSummaries(plan.index, guessed, plan.summaries);
  return plan;
}

/**
 * After the analysis: the imports each file's parse tree gave decide. Modules imported but not yet
 * summarised are summarised, and a file whose summaries differ from the ones it was analysed with (an
 * import the lines did not show, or a predicted one that is not real) is analysed again with the right ones.
 */
async function settleLinks(files: WalkedFile[], outcomes: FileOutcome[], maxBytes: number, threads: number, plan: LinkPlan, constantUses: boolean): Promise<void> {
  if (plan.index.size === 0) return;
  const imports = outcomes.map((o) => o.imports);
  await summarise(plan, files, maxBytes, wantedModules(plan.index, imports));
  const linked = linkSummaries(plan.index, imports, plan.summaries);
  const again = files.map((_, i) => i).filter((i) => !sameLinks(plan.predicted.get(i), linked.get(i)));
  if (again.length === 0) return;
  if (threads > 1 && again.length > 1) {
    // On the worker threads: a tree whose every file imports a helper the lines did not show would otherwise redo it on one.
    const redone = await inPool(
      again.map((i) => files[i]!),
      maxBytes,
      Math.min(threads, again.length),
      undefined,
      again.map((i) => linked.get(i)),
      constantUses,
    );
    again.forEach((i, k) => {
      outcomes[i] = redone[k]!;
    });
    return;
  }
  const parser = await pythonParser();
  for (const i of again) {
    const f = files[i]!;
    outcomes[i] = await analyzeFile(parser, f.path, f.rel, f.size, maxBytes, undefined, linked.get(i), constantUses);
  }
}

async function inThread(
  files: WalkedFile[],
  maxBytes: number,
  onFile?: (rel: string) => void,
  external?: ReadonlyArray<ReadonlyMap<string, ExternalSummary> | undefined>,
  constantUses = false,
): Promise<FileOutcome[]> {
  const parser = await pythonParser();
  const out: FileOutcome[] = [];
  async function* listed() {
    yield* files;
  }
  // Up to 16 files are being read while one is parsed.
  const read = inOrder(listed(), 16, async (f) => ({ f, text: await readSource(f.path, f.size, maxBytes) }));
  for await (const { f, text } of read) {
    onFile?.(f.rel);
    out.push(await analyzeFile(parser, f.path, f.rel, f.size, maxBytes, text, external?.[out.length], constantUses));
  }
  return out;
}

/** Parses files on `threads` worker threads, largest first; results come back in walk order. */
async function inPool(
  files: WalkedFile[],
  maxBytes: number,
  threads: number,
  onFile?: (rel: string) => void,
  external?: ReadonlyArray<ReadonlyMap<string, ExternalSummary> | undefined>,
  constantUses = false,
  /** Files are handed out once this is fulfilled (`external` is read then). */
  after?: Promise<unknown>,
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
      const given = external?.[i];
      return { id: i, path: f.path, rel: f.rel, size: f.size, maxBytes, ...(given?.size ? { external: [...given] } : {}), ...(constantUses ? { constantUses } : {}) };
    },
    (m) => {
      results[m.id!] = m.outcome!;
    },
    { depth: POOL_DEPTH, ...(after ? { after } : {}) },
  );
  return results;
}
