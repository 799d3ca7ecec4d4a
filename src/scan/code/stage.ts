import * as z from "zod";
import { defineStage, type StageContext } from "../../pipeline/stage.js";
import { scanCode } from "./scan.js";

/** Targets of a scan stage: named artifacts or paths; by default every `code` artifact, else the whole project. */
export function scanTargets(ctx: StageContext, targets: string[] | undefined, kind?: string): Array<{ name: string; path: string }> {
  if (targets?.length)
    return targets.map((t) => {
      const a = ctx.artifacts.get(t);
      return a ? { name: a.path, path: a.absolutePath } : { name: t, path: ctx.resolve(t) };
    });
  const ofKind = kind ? [...ctx.artifacts.values()].filter((a) => a.kind === kind) : [];
  return ofKind.length ? ofKind.map((a) => ({ name: a.path, path: a.absolutePath })) : [{ name: ".", path: ctx.projectDir }];
}

export const scanCodeStage = defineStage({
  name: "scan-code",
  description: "Static analysis of Python and notebooks: unsafe deserialisation, trust_remote_code, eval, shell, TLS, archives, credentials, unpinned downloads, SQL",
  options: z
    .object({
      /** Artifact names or paths (default: every artifact of kind code, else the project folder). */
      targets: z.array(z.string().min(1)).optional(),
      maxFileBytes: z.number().int().positive().optional(),
    })
    .strict(),
  async run(ctx, options) {
    const results = [];
    for (const t of scanTargets(ctx, options.targets, "code")) {
      ctx.progress(`analysing ${t.name}`);
      results.push(await scanCode(t.path, { name: t.name, maxFileBytes: options.maxFileBytes }));
    }
    return results;
  },
});
