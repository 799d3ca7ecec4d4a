import * as z from "zod";
import { defineStage } from "../pipeline/stage.js";
import { DRIFT_METHODS, detectDrift } from "./drift.js";

/** `drift` in rampart.yaml: compares recent data (or predictions) with the training reference. */
export const driftStage = defineStage({
  name: "drift",
  description: "Compare current data with a reference (KS, chi-square, z, Wasserstein, Jensen-Shannon, PSI) and flag drifted columns and accuracy decay",
  options: z
    .object({
      reference: z.string().min(1),
      current: z.string().min(1),
      method: z.enum(DRIFT_METHODS).optional(),
      threshold: z.number().positive().optional(),
      driftShare: z.number().gt(0).max(1).optional(),
      columns: z.array(z.string().min(1)).optional(),
      ignore: z.array(z.string().min(1)).optional(),
      label: z.string().min(1).optional(),
      prediction: z.string().min(1).optional(),
      maxAccuracyDrop: z.number().min(0).max(1).optional(),
    })
    .strict(),
  async run(ctx, options) {
    const path = (ref: string) => ctx.artifacts.get(ref)?.absolutePath ?? ctx.resolve(ref);
    ctx.progress(`comparing ${options.current} with ${options.reference}`);
    return detectDrift(path(options.reference), path(options.current), options);
  },
});
