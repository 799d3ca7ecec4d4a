import * as z from "zod";
import { type Finding, oneLine, RampartError, readText, writeFileAtomic } from "../../core/index.js";

/** A baseline lists accepted findings by fingerprint (rule + file + secret hash, not the line, so edits elsewhere keep it valid). */
const BaselineFile = z.object({
  version: z.literal(1),
  tool: z.string().optional(),
  findings: z.array(z.object({ fingerprint: z.string().regex(/^[0-9a-f]{32}$/), ruleId: z.string(), file: z.string().optional(), line: z.number().optional() })),
});

export async function readBaseline(path: string): Promise<Set<string>> {
  const text = await readText(path);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new RampartError("invalid-input", `${path}: not valid JSON (${oneLine((e as Error).message)})`);
  }
  const parsed = BaselineFile.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RampartError("invalid-input", `${path}: baseline field /${issue.path.join("/")}: ${issue.message}`);
  }
  return new Set(parsed.data.findings.map((f) => f.fingerprint));
}

export async function writeBaseline(path: string, findings: readonly Finding[]): Promise<number> {
  const entries = findings
    .filter((f) => typeof f.evidence?.fingerprint === "string")
    .map((f) => ({ fingerprint: f.evidence!.fingerprint as string, ruleId: f.ruleId, file: f.location?.file, line: f.location?.line }));
  const unique = [...new Map(entries.map((e) => [e.fingerprint, e])).values()];
  await writeFileAtomic(path, `${JSON.stringify({ version: 1, tool: "rampart scan secrets", findings: unique }, null, 2)}\n`);
  return unique.length;
}
