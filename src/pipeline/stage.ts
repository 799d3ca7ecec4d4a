import type * as z from "zod";
import type { Signer } from "../attest/index.js";
import type { CheckResult, Severity } from "../core/index.js";
import type { Store } from "../store/index.js";
import type { Artifact, ProjectConfig } from "./config.js";

/** What a stage may use while it runs. It never prints and never exits. */
export interface StageContext {
  /** Absolute path of the project (the folder holding rampart.yaml). */
  projectDir: string;
  config: ProjectConfig;
  /** Named artifacts from rampart.yaml, paths resolved against the project. */
  artifacts: ReadonlyMap<string, Artifact & { absolutePath: string }>;
  store: Store;
  signer: Signer;
  runId: string;
  /** Results of the stages that ran before this one, in order (a gate reads these). */
  previous: readonly CheckResult[];
  /** Reports progress within the stage (shown on a TTY, silent in CI). */
  progress(message: string): void;
  /** Resolves a path from rampart.yaml against the project folder. */
  resolve(path: string): string;
  signal: AbortSignal;
}

/**
 * A pipeline stage: a name used in rampart.yaml, an options schema (validated with the rest of the
 * file, so errors name the key and line) and a run function returning one or more CheckResults.
 */
export interface Stage<O = unknown> {
  name: string;
  description: string;
  options: z.ZodType<O>;
  run(ctx: StageContext, options: O): Promise<CheckResult | CheckResult[]>;
}

/** Declares a stage with its option type inferred from the schema. */
export function defineStage<S extends z.ZodType>(stage: Stage<z.infer<S>> & { options: S }): Stage<z.infer<S>> {
  return stage;
}

/** A stage's outcome in the run report. */
export interface StageOutcome {
  stage: string;
  label: string;
  status: "passed" | "failed" | "error";
  durationMs: number;
  results: CheckResult[];
  /** sha256 of each stored attestation envelope, in the order of `results`. */
  attestations: string[];
  error?: string;
  worst?: Severity;
}
