import { isAbsolute, relative } from "node:path";
import * as z from "zod";
import { RampartError } from "../../core/index.js";
import { defineStage } from "../../pipeline/stage.js";
import { scanModelPaths } from "./walker.js";
import "./rules.js";

/**
 * Pipeline stage `scan-model`: scans `paths` (files or folders, relative to the project) and/or
 * `artifacts` (names from rampart.yaml); with neither, every artifact of kind `model`.
 */
export const scanModelStage = defineStage({
  name: "scan-model",
  description: "Scan model files (pickle, PyTorch, joblib, numpy, safetensors, Keras, ONNX, SavedModel, GGUF) for code that runs on load",
  options: z
    .object({
      paths: z.array(z.string().min(1)).optional(),
      artifacts: z.array(z.string().min(1)).optional(),
    })
    .strict(),
  async run(ctx, options) {
    const targets: string[] = [];
    for (const p of options.paths ?? []) targets.push(ctx.resolve(p));
    for (const name of options.artifacts ?? []) {
      const a = ctx.artifacts.get(name);
      if (!a) throw new RampartError("invalid-config", `rampart.yaml: scan-model names artifact "${name}", which is not declared under artifacts`);
      targets.push(a.absolutePath);
    }
    if (!options.paths && !options.artifacts) for (const a of ctx.artifacts.values()) if (a.kind === "model") targets.push(a.absolutePath);
    for (const t of targets) {
      const rel = relative(ctx.projectDir, t);
      if (rel.startsWith("..") || isAbsolute(rel)) throw new RampartError("invalid-config", `rampart.yaml: scan-model path ${t} is outside the project`);
    }
    return scanModelPaths(targets, { nameRelativeTo: ctx.projectDir, onFile: (f) => ctx.progress(`scanning ${f}`) });
  },
});
