import * as z from "zod";
import { defineStage } from "../../pipeline/stage.js";
import { scanTargets } from "../code/stage.js";
import { readBaseline } from "./baseline.js";
import { scanSecrets } from "./scan.js";

export const scanSecretsStage = defineStage({
  name: "scan-secrets",
  description: "Find committed credentials (30 provider rules, GitHub/npm checksums, keys, JWTs, connection strings, keyword+entropy), optionally in git history",
  options: z
    .object({
      /** Artifact names or paths (default: the project folder). */
      targets: z.array(z.string().min(1)).optional(),
      /** Scan every commit of the project's git repository too. */
      history: z.boolean().optional(),
      /** Baseline file of accepted findings, relative to the project. */
      baseline: z.string().min(1).optional(),
      generic: z.boolean().optional(),
      maxFileBytes: z.number().int().positive().optional(),
    })
    .strict(),
  async run(ctx, options) {
    const baseline = options.baseline ? await readBaseline(ctx.resolve(options.baseline)) : undefined;
    const results = [];
    for (const t of scanTargets(ctx, options.targets)) {
      ctx.progress(`scanning ${t.name} for secrets`);
      results.push(await scanSecrets(t.path, { name: t.name, history: options.history, baseline, generic: options.generic, maxFileBytes: options.maxFileBytes }));
    }
    return results;
  },
});
