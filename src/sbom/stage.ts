import { relative } from "node:path";
import * as z from "zod";
import { loadYaml, sha256Hex, writeFileAtomic } from "../core/index.js";
import { defineStage } from "../pipeline/stage.js";
import { buildSbom } from "./bom.js";
import { LicensePolicy } from "./licenses.js";

/**
 * `sbom` in rampart.yaml: writes the CycloneDX 1.6 ML-BOM to a file and returns the licence verdicts.
 * The BOM's own digest is the first subject, so its attestation pins the exact document.
 */
export const sbomStage = defineStage({
  name: "sbom",
  description: "Write a CycloneDX 1.6 ML-BOM (libraries, models with model cards from evidence, datasets) and check licences",
  options: z
    .object({
      path: z.string().min(1).default("."),
      output: z.string().min(1).default(".rampart/sbom.cdx.json"),
      /** Inline licence policy, or `policyFile` naming a YAML file with the same keys. */
      policy: LicensePolicy.optional(),
      policyFile: z.string().min(1).optional(),
      dev: z.boolean().default(true),
    })
    .strict(),
  async run(ctx, options) {
    ctx.progress(`building the SBOM of ${options.path}`);
    const policy = options.policyFile ? await loadYaml(LicensePolicy, ctx.resolve(options.policyFile)) : options.policy;
    const { json, result } = await buildSbom(ctx.resolve(options.path), {
      store: ctx.store,
      trustedKeys: [{ keyId: ctx.signer.keyId, key: ctx.signer.publicKey }],
      policy,
      dev: options.dev,
      projectName: ctx.config.project,
      declared: [...ctx.artifacts.values()]
        .filter((a) => a.kind === "model" || a.kind === "dataset")
        .map((a) => ({ path: relative(ctx.projectDir, a.absolutePath).split("\\").join("/"), kind: a.kind as "model" | "dataset" })),
    });
    const out = ctx.resolve(options.output);
    await writeFileAtomic(out, json);
    return { ...result, subjects: [{ name: relative(ctx.projectDir, out).split("\\").join("/"), digest: { sha256: sha256Hex(json) } }, ...result.subjects] };
  },
});
