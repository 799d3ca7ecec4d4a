import { lstat } from "node:fs/promises";
import { join, relative } from "node:path";
import * as z from "zod";
import { loadPublicKey } from "../attest/index.js";
import { type CheckResult, digestDirectory, fileError, RampartError, readJson } from "../core/index.js";
import { defineStage, type StageContext } from "../pipeline/stage.js";
import { loadTrustPolicy, trustKeys, verifyDataset } from "./manifest/index.js";
import { scanPii } from "./pii/index.js";
import { detectPoison, loadProfile } from "./poison/index.js";
import { isDataFile } from "./readers/index.js";

/** An artifact name from rampart.yaml, or a path relative to the project. */
function datasetPath(ctx: StageContext, ref: string): string {
  return ctx.artifacts.get(ref)?.absolutePath ?? ctx.resolve(ref);
}

/** The data files of a file or folder, with names relative to the project for findings. */
async function dataFiles(ctx: StageContext, path: string): Promise<Array<{ path: string; name: string }>> {
  let info: import("node:fs").Stats;
  try {
    info = await lstat(path);
  } catch (e) {
    throw fileError(relative(ctx.projectDir, path), e);
  }
  const rel = (p: string) => relative(ctx.projectDir, p).split("\\").join("/");
  if (info.isFile()) return [{ path, name: rel(path) }];
  const entries = (await digestDirectory(path)).entries.filter((e) => e.kind === "file" && isDataFile(e.path));
  return entries.map((e) => ({ path: join(path, e.path), name: rel(join(path, e.path)) }));
}

export const dataVerifyStage = defineStage({
  name: "data-verify",
  description: "Recheck every byte of a dataset against its signed manifest and the signature against a trust policy",
  options: z
    .object({
      dataset: z.string().min(1),
      manifest: z.string().min(1).optional(),
      policy: z.string().min(1).optional(),
      keys: z.array(z.string().min(1)).min(1).optional(),
    })
    .strict()
    .refine((o) => o.policy || o.keys, { message: "name a trust policy (policy:) or trusted public keys (keys:)" }),
  async run(ctx, options) {
    const path = datasetPath(ctx, options.dataset);
    const manifest = ctx.resolve(options.manifest ?? `${path.replace(/[/\\]+$/, "")}.manifest.json`);
    const policy = options.policy ? await loadTrustPolicy(ctx.resolve(options.policy)) : trustKeys(await Promise.all(options.keys!.map((k) => loadPublicKey(ctx.resolve(k)))));
    ctx.progress(`verifying ${relative(ctx.projectDir, path)}`);
    return verifyDataset(path, await readJson(manifest), policy, { manifestName: relative(ctx.projectDir, manifest) });
  },
});

export const dataPiiStage = defineStage({
  name: "data-pii",
  description: "Find personal data in every data file of a dataset (CSV, JSON Lines, Parquet)",
  options: z
    .object({
      dataset: z.string().min(1),
      textField: z.string().min(1).optional(),
      threshold: z.number().min(0).max(1).optional(),
      entities: z.array(z.string()).optional(),
      maxFindings: z.number().int().positive().optional(),
    })
    .strict(),
  async run(ctx, options) {
    const files = await dataFiles(ctx, datasetPath(ctx, options.dataset));
    if (files.length === 0) throw new RampartError("invalid-input", `${options.dataset}: no data files (.csv, .tsv, .jsonl, .parquet)`);
    const results: CheckResult[] = [];
    for (const f of files) {
      ctx.progress(`scanning ${f.name}`);
      results.push(await scanPii(f.path, { ...options, displayName: f.name }));
    }
    return results;
  },
});

export const dataPoisonStage = defineStage({
  name: "data-poison",
  description: "Find poisoned or anomalous rows (outliers, label noise, conflicting duplicates, backdoor triggers) and shift against a baseline",
  options: z
    .object({
      dataset: z.string().min(1),
      label: z.string().min(1).optional(),
      baseline: z.string().min(1).optional(),
      ignore: z.array(z.string()).optional(),
      zThreshold: z.number().positive().optional(),
      iforestThreshold: z.number().positive().optional(),
      maxFindings: z.number().int().positive().optional(),
      /** Most rows the outlier and label-noise checks may each flag, as a share of rows (default 0.05). */
      maxFlagShare: z.number().gt(0).max(1).optional(),
    })
    .strict(),
  async run(ctx, options) {
    const files = await dataFiles(ctx, datasetPath(ctx, options.dataset));
    if (files.length === 0) throw new RampartError("invalid-input", `${options.dataset}: no data files (.csv, .tsv, .jsonl, .parquet)`);
    const baseline = options.baseline ? await loadProfile(ctx.resolve(options.baseline)) : undefined;
    const results: CheckResult[] = [];
    for (const f of files) {
      ctx.progress(`checking ${f.name}`);
      results.push(await detectPoison(f.path, { ...options, baseline, displayName: f.name }));
    }
    return results;
  },
});

export const DATA_STAGES = [dataVerifyStage, dataPiiStage, dataPoisonStage];
