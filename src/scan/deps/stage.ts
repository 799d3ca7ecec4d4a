import * as z from "zod";
import { defineStage } from "../../pipeline/stage.js";
import { storeAdvisories } from "./db.js";
import { scanDeps } from "./scan.js";

/** `scan-deps` in rampart.yaml: the project's lockfiles against the advisories in the project store. */
export const scanDepsStage = defineStage({
  name: "scan-deps",
  description: "Match lockfiles and manifests against imported OSV advisories (PEP 440 / SemVer exact), flag unpinned dependencies",
  options: z
    .object({
      /** Folder or file to scan, relative to the project (default: the project). */
      path: z.string().min(1).default("."),
      unpinned: z.boolean().default(true),
      dev: z.boolean().default(true),
    })
    .strict(),
  async run(ctx, options) {
    ctx.progress(`scanning dependencies in ${options.path}`);
    return scanDeps(ctx.resolve(options.path), storeAdvisories(ctx.store), { unpinned: options.unpinned, dev: options.dev });
  },
});
