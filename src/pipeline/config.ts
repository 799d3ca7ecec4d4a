import { join } from "node:path";
import * as z from "zod";
import { loadYaml, Severity } from "../core/index.js";
import type { Stage } from "./stage.js";

export const ArtifactKind = z.enum(["dataset", "model", "code", "image", "config", "other"]);

export const Artifact = z.object({
  path: z.string().min(1),
  kind: ArtifactKind,
  description: z.string().optional(),
  /** Tags that policies read, e.g. `personal` for data about people. */
  tags: z.array(z.string()).optional(),
});
export type Artifact = z.infer<typeof Artifact>;

const StageEntry = z.object({
  stage: z.string().min(1),
  /** Label in reports, when one stage kind runs more than once. */
  name: z.string().optional(),
  with: z.unknown().optional(),
  /** Skip the stage without deleting it. */
  enabled: z.boolean().optional(),
});

export const ProjectConfig = z.object({
  version: z.literal(1),
  project: z.string().min(1),
  description: z.string().optional(),
  signing: z
    .object({ key: z.string().min(1) })
    .strict()
    .optional(),
  /** Findings at or above this severity fail the run (exit 1). */
  failOn: Severity.optional(),
  artifacts: z.record(z.string(), Artifact).optional(),
  stages: z.array(StageEntry).min(1),
});
export type ProjectConfig = z.infer<typeof ProjectConfig>;

export const CONFIG_FILE = "rampart.yaml";
export const DEFAULT_KEY = ".rampart/keys/signing.key";

/** Loads rampart.yaml, validating each stage's `with:` block against that stage's own schema. */
export async function loadProjectConfig(projectDir: string, stages: ReadonlyMap<string, Stage>): Promise<ProjectConfig> {
  const schema = ProjectConfig.superRefine((config, ctx) => {
    for (const [i, entry] of config.stages.entries()) {
      const stage = stages.get(entry.stage);
      if (!stage) {
        ctx.addIssue({ code: "custom", path: ["stages", i, "stage"], message: `unknown stage "${entry.stage}" (known: ${[...stages.keys()].join(", ")})` });
        continue;
      }
      const parsed = stage.options.safeParse(entry.with ?? {});
      if (!parsed.success)
        for (const issue of parsed.error.issues)
          ctx.addIssue({ code: "custom", path: ["stages", i, "with", ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))], message: issue.message });
    }
    for (const [name, artifact] of Object.entries(config.artifacts ?? {})) {
      if (artifact.path.includes("\0")) ctx.addIssue({ code: "custom", path: ["artifacts", name, "path"], message: "path contains a NUL byte" });
    }
  });
  return loadYaml(schema, join(projectDir, CONFIG_FILE));
}
