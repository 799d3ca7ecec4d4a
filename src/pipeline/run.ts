import { randomBytes } from "node:crypto";
import { access } from "node:fs/promises";
import { isAbsolute, join, relative, resolve } from "node:path";
import { attestCheckResult, CHECK_RESULT_PREDICATE, generateKeyFiles, loadSigner, type Signer } from "../attest/index.js";
import { atLeast, type CheckResult, CheckResult as CheckResultSchema, messageOf, RampartError, type Severity, VERSION, worstSeverity, writeFileAtomic } from "../core/index.js";
import { type AttestationRecord, finishRun, openStore, type Store, saveAttestation, startRun } from "../store/index.js";
import { type Artifact, CONFIG_FILE, DEFAULT_KEY, loadProjectConfig, type ProjectConfig } from "./config.js";
import { SINKS, STAGES } from "./registry.js";
import type { Stage, StageContext, StageOutcome } from "./stage.js";

/** Told about each stage as the run goes; the CLI draws progress from it. */
export interface RunObserver {
  stageStarted?(index: number, total: number, label: string): void;
  stageProgress?(label: string, message: string): void;
  stageFinished?(index: number, total: number, outcome: StageOutcome): void;
  note?(message: string): void;
}

/** Something told about every attestation the pipeline stores (the ledger appends them). */
export type AttestationSink = (record: AttestationRecord, context: { store: Store; runId: string; project: string }) => Promise<void>;

export interface RunOptions {
  /** Overrides rampart.yaml's signing key. */
  keyFile?: string;
  /** Overrides rampart.yaml's failOn. */
  failOn?: Severity;
  /** Store URL (else RAMPART_DATABASE_URL, else the project's SQLite file). */
  databaseUrl?: string;
  observer?: RunObserver;
  stages?: ReadonlyMap<string, Stage>;
  sinks?: readonly AttestationSink[];
  signal?: AbortSignal;
}

export interface RunReport {
  runId: string;
  project: string;
  rampartVersion: string;
  startedAt: string;
  finishedAt: string;
  status: "passed" | "failed" | "error";
  failOn: Severity;
  keyId: string;
  store: string;
  stages: StageOutcome[];
  /** Path of the JSON report, relative to the project. */
  reportFile: string;
}

/**
 * Runs rampart.yaml's stages in order. Each CheckResult is signed and stored as an attestation; a
 * stage that throws is recorded as an error and the run goes on. The report is written atomically.
 */
export async function runPipeline(dir: string, options: RunOptions = {}): Promise<RunReport> {
  const projectDir = resolve(dir);
  const stages = options.stages ?? STAGES;
  const config = await loadProjectConfig(projectDir, stages);
  const failOn = options.failOn ?? config.failOn ?? "high";
  const signer = await projectSigner(projectDir, config, options);
  const store = await openStore({ projectDir, url: options.databaseUrl });
  const runId = `${new Date().toISOString().replace(/[-:.]/g, "").slice(0, 15)}-${randomBytes(3).toString("hex")}`;
  const startedAt = new Date().toISOString();
  const observer = options.observer ?? {};
  const artifacts = new Map(
    Object.entries(config.artifacts ?? {}).map(([name, a]) => [name, { ...a, absolutePath: resolve(projectDir, a.path) } as Artifact & { absolutePath: string }]),
  );
  const outcomes: StageOutcome[] = [];
  const previous: CheckResult[] = [];
  const entries = config.stages.filter((s) => s.enabled !== false);
  try {
    await startRun(store, runId, config.project);
    for (const [i, entry] of entries.entries()) {
      const stage = stages.get(entry.stage)!;
      const label = entry.name ?? entry.stage;
      observer.stageStarted?.(i, entries.length, label);
      const t0 = performance.now();
      const outcome: StageOutcome = { stage: stage.name, label, status: "passed", durationMs: 0, results: [], attestations: [] };
      try {
        const ctx: StageContext = {
          projectDir,
          config,
          artifacts,
          store,
          signer,
          runId,
          previous: [...previous],
          progress: (m) => observer.stageProgress?.(label, m),
          resolve: (p) => resolve(projectDir, p),
          signal: options.signal ?? new AbortController().signal,
        };
        const produced = await stage.run(ctx, stage.options.parse(entry.with ?? {}));
        for (const result of Array.isArray(produced) ? produced : [produced]) {
          const checked = CheckResultSchema.parse(result);
          outcome.results.push(checked);
          previous.push(checked);
          if (checked.subjects.length > 0) outcome.attestations.push(await record(store, signer, runId, config.project, checked, options.sinks ?? SINKS));
        }
        outcome.worst = worstSeverity(outcome.results.flatMap((r) => r.findings));
        if (outcome.worst && atLeast(outcome.worst, failOn)) outcome.status = "failed";
      } catch (e) {
        outcome.status = "error";
        outcome.error = messageOf(e);
      }
      outcome.durationMs = Math.round(performance.now() - t0);
      outcomes.push(outcome);
      observer.stageFinished?.(i, entries.length, outcome);
    }
    const status = outcomes.some((o) => o.status === "error") ? "error" : outcomes.some((o) => o.status === "failed") ? "failed" : "passed";
    const reportFile = join(".rampart", "reports", `${runId}.json`);
    const report: RunReport = {
      runId,
      project: config.project,
      rampartVersion: VERSION,
      startedAt,
      finishedAt: new Date().toISOString(),
      status,
      failOn,
      keyId: signer.keyId,
      store: store.location,
      stages: outcomes,
      reportFile,
    };
    await writeFileAtomic(join(projectDir, reportFile), `${JSON.stringify(report, null, 2)}\n`);
    await finishRun(store, runId, status, report);
    return report;
  } finally {
    await store.close();
  }
}

async function record(store: Store, signer: Signer, runId: string, project: string, result: CheckResult, sinks: readonly AttestationSink[]): Promise<string> {
  const envelope = await attestCheckResult(result, [signer]);
  const first = result.subjects[0]!;
  const saved = await saveAttestation(store, {
    runId,
    check: result.check,
    predicateType: CHECK_RESULT_PREDICATE,
    subjectName: first.name,
    subjectSha256: first.digest.sha256,
    keyId: signer.keyId,
    envelope,
  });
  for (const sink of sinks) await sink(saved, { store, runId, project });
  return saved.envelopeSha256;
}

/** The key that signs this run's evidence; a project's first run creates its local key. */
async function projectSigner(projectDir: string, config: ProjectConfig, options: RunOptions): Promise<Signer> {
  if (options.keyFile) return loadSigner({ keyFile: options.keyFile });
  if (process.env.RAMPART_SIGNING_KEY || process.env.RAMPART_SIGNING_KEY_FILE) return loadSigner();
  const configured = config.signing?.key ?? DEFAULT_KEY;
  const keyPath = resolve(projectDir, configured);
  try {
    await access(keyPath);
  } catch {
    // Only a key in the project's own state folder is made on demand; a key named elsewhere must exist.
    const local = relative(join(projectDir, ".rampart"), keyPath);
    if (local.startsWith("..") || isAbsolute(local)) throw new RampartError("not-found", `${join(projectDir, CONFIG_FILE)}: signing.key: ${configured} does not exist`);
    const made = await generateKeyFiles(keyPath.replace(/\.key$/, ""));
    options.observer?.note?.(`created a signing key for this project: ${relative(process.cwd(), made.privateKeyPath)} (key id ${made.keyId.slice(0, 16)}…)`);
  }
  return loadSigner({ keyFile: keyPath });
}
