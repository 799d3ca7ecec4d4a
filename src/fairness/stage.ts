import { relative } from "node:path";
import * as z from "zod";
import { RampartError, type Subject, subjectOf } from "../core/index.js";
import { defineStage, type StageContext } from "../pipeline/stage.js";
import { auditFile, FairnessOptions } from "./audit.js";

const StageOptions = z
  .object({
    ...FairnessOptions.shape,
    /** Artifact name from rampart.yaml, or a path in the project: the table with labels (and predictions). */
    dataset: z.string().min(1),
    /** Artifact name or path of the model the predictions come from: made the first subject, so model cards find it. */
    model: z.string().min(1).optional(),
    /** `model`: audit predictions; `data`: bias in the labels before training. */
    mode: z.enum(["model", "data"]).default("model"),
  })
  .strict();

/**
 * Pipeline stage `fairness`: audits a dataset of predictions (or labels alone with `mode: data`) and
 * returns one CheckResult whose subjects are the model (when named) and the dataset.
 */
export const fairnessStage = defineStage({
  name: "fairness",
  description: "Group fairness of a model's predictions (or bias in training data): Fairlearn/AIF360 metrics, four-fifths rule, bootstrap intervals",
  options: StageOptions,
  async run(ctx, options) {
    const { dataset, model, mode, ...audit } = options;
    const data = locate(ctx, dataset, "dataset");
    const subjects: Subject[] = [];
    if (model) {
      const m = locate(ctx, model, "model");
      subjects.push(await subjectOf(m.path, m.name, { ignore: isProjectState }));
    }
    subjects.push(await subjectOf(data.path, data.name));
    return auditFile(data.path, audit, mode, {
      displayName: data.name,
      subjects,
      progress: (rows) => ctx.progress(`${rows.toLocaleString("en")} rows`),
    });
  },
});

/** Same exclusions as the inventory stage, so a model folder gets the same digest in both. */
export function isProjectState(rel: string): boolean {
  const top = rel.split("/")[0];
  return top === ".rampart" || top === ".git" || top === "node_modules" || top === "__pycache__";
}

function locate(ctx: StageContext, ref: string, what: string): { path: string; name: string } {
  const artifact = ctx.artifacts.get(ref);
  if (artifact) return { path: artifact.absolutePath, name: artifact.path };
  const path = ctx.resolve(ref);
  if (ref.includes("\0")) throw new RampartError("invalid-config", `fairness: ${what} "${ref}" is not a valid path`);
  return { path, name: relative(ctx.projectDir, path) || ref };
}
