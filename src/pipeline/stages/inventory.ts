import { lstat } from "node:fs/promises";
import { isAbsolute, relative } from "node:path";
import * as z from "zod";
import { type Finding, registerRules, type Subject, subjectOf, VERSION } from "../../core/index.js";
import { defineStage } from "../stage.js";

registerRules([
  { id: "inventory.missing", title: "A declared artifact does not exist", help: "Fix the path in rampart.yaml or restore the file.", defaultSeverity: "high" },
  {
    id: "inventory.outside-project",
    title: "An artifact lives outside the project folder",
    help: "Keep artifacts inside the project so their digests are reproducible.",
    defaultSeverity: "medium",
  },
]);

/**
 * Pins every artifact named in rampart.yaml by sha256 (directories by their deterministic digest):
 * the subjects that later evidence refers to.
 */
export const inventoryStage = defineStage({
  name: "inventory",
  description: "Hash every artifact declared in rampart.yaml (datasets, models, code) so later evidence names exact bytes",
  options: z.object({ only: z.array(z.string()).optional() }).strict(),
  async run(ctx, options) {
    const subjects: Subject[] = [];
    const findings: Finding[] = [];
    const kinds: Record<string, number> = {};
    let bytes = 0;
    for (const [name, artifact] of ctx.artifacts) {
      if (options.only && !options.only.includes(name)) continue;
      ctx.progress(`hashing ${artifact.path}`);
      const rel = relative(ctx.projectDir, artifact.absolutePath);
      if (rel.startsWith("..") || isAbsolute(rel)) {
        findings.push({
          ruleId: "inventory.outside-project",
          severity: "medium",
          message: `artifact "${name}" is outside the project (${artifact.path})`,
          location: { file: "rampart.yaml", pointer: `/artifacts/${name}/path` },
        });
      }
      let info: import("node:fs").Stats;
      try {
        info = await lstat(artifact.absolutePath);
      } catch {
        findings.push({
          ruleId: "inventory.missing",
          severity: "high",
          message: `artifact "${name}" not found at ${artifact.path}`,
          location: { file: "rampart.yaml", pointer: `/artifacts/${name}/path` },
        });
        continue;
      }
      subjects.push(await subjectOf(artifact.absolutePath, artifact.path, { ignore: isProjectState }));
      kinds[artifact.kind] = (kinds[artifact.kind] ?? 0) + 1;
      if (info.isFile()) bytes += info.size;
    }
    return {
      check: "inventory",
      version: VERSION,
      subjects,
      findings,
      metrics: { artifacts: subjects.length, bytes, ...Object.fromEntries(Object.entries(kinds).map(([k, v]) => [`kind.${k}`, v])) },
    };
  },
});

/** Rampart's own state, version control and installed packages are not part of an artifact. */
function isProjectState(rel: string): boolean {
  const top = rel.split("/")[0];
  return top === ".rampart" || top === ".git" || top === "node_modules" || top === "__pycache__";
}
