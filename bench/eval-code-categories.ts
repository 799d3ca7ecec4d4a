/** What both code-evaluation harnesses share: the scored categories, each tool's ids in them, and running the tools. */
import { execFileSync } from "node:child_process";
import { join, relative } from "node:path";
import { scanCode } from "../src/scan/code/index.js";

export type Category = "deser" | "exec" | "shell" | "tls" | "archive" | "cred" | "download" | "debug" | "sql";

/** A finding of a counted category: file relative to the corpus root, line span, rule or test id. */
export interface Hit {
  file: string;
  line: number;
  endLine: number;
  category: Category;
  id: string;
}

export const RAMPART: Record<string, Category> = {
  "code.unsafe-deserialization": "deser",
  "code.torch-load-unsafe": "deser",
  "code.numpy-allow-pickle": "deser",
  "code.yaml-unsafe-load": "deser",
  "code.keras-unsafe-load": "deser",
  "code.trust-remote-code": "exec",
  "code.eval-exec": "exec",
  "code.shell-injection": "shell",
  "code.tls-verify-disabled": "tls",
  "code.archive-extraction": "archive",
  "code.hardcoded-credential": "cred",
  "code.unpinned-download": "download",
  "code.debug-server": "debug",
  "code.sql-injection": "sql",
};

/** Bandit test ids (docs: bandit.readthedocs.io plugins and blacklists) mapped to the same categories. */
export const BANDIT: Record<string, Category> = {
  B301: "deser",
  B302: "deser",
  B506: "deser",
  B614: "deser",
  B102: "exec",
  B307: "exec",
  B601: "shell", // paramiko exec_command
  B602: "shell",
  B604: "shell",
  B605: "shell",
  B609: "shell",
  B501: "tls",
  B323: "tls",
  B202: "archive",
  B105: "cred",
  B106: "cred",
  B107: "cred",
  B615: "download",
  B201: "debug",
  B104: "debug",
  B608: "sql",
  B610: "sql", // Django extra()
  B611: "sql", // Django RawSQL
};

const RANK = { info: 0, low: 1, medium: 2, high: 3, critical: 4 } as const;

/** Rampart's findings at medium and above on each file (one thread, file by file). */
export async function rampartHits(root: string, files: readonly string[]): Promise<Hit[]> {
  const hits: Hit[] = [];
  for (const f of files) {
    const r = await scanCode(join(root, f), { workers: 1 });
    for (const x of r.findings) {
      const category = RAMPART[x.ruleId];
      if (!category || RANK[x.severity] < RANK.medium) continue;
      hits.push({ file: f, line: x.location?.line ?? 0, endLine: x.location?.endLine ?? x.location?.line ?? 0, category, id: x.ruleId });
    }
  }
  return hits;
}

/**
 * Scores Rampart on the files, and Bandit too with `--bandit` in `args`: one table row (or more) per
 * tool from `score`, then the files Bandit could not parse.
 */
export async function scoreRampartAndBandit(root: string, files: readonly string[], args: readonly string[], score: (tool: string, hits: Hit[]) => string[]): Promise<void> {
  for (const l of score("rampart", await rampartHits(root, files))) console.log(l);
  if (!args.includes("--bandit")) return;
  const bandit = banditHits(root, files);
  for (const l of score(`bandit ${bandit.version}`, bandit.hits)) console.log(l);
  console.log(`  bandit could not parse ${bandit.errors.length} files: ${bandit.errors.join(" ")}`);
}

/** Bandit's findings above LOW on the files, mapped by `ids`; also its version and the files it could not parse. */
export function banditHits(root: string, files: readonly string[], ids: Record<string, Category> = BANDIT): { version: string; hits: Hit[]; errors: string[] } {
  const version = (execFileSync("bandit", ["--version"], { encoding: "utf8" }).split("\n")[0] ?? "").replace(/^bandit\s*/, "");
  let out: string;
  try {
    out = execFileSync("bandit", ["-f", "json", "-q", ...files.map((f) => join(root, f))], { encoding: "utf8", maxBuffer: 64 << 20 });
  } catch (e) {
    out = (e as { stdout: string }).stdout; // exit 1 when issues are found
  }
  const parsed = JSON.parse(out) as {
    results: Array<{ filename: string; line_number: number; line_range: number[]; test_id: string; issue_severity: string }>;
    errors?: Array<{ filename: string }>;
  };
  const hits: Hit[] = [];
  for (const r of parsed.results) {
    const category = ids[r.test_id];
    if (!category || r.issue_severity === "LOW") continue;
    hits.push({ file: relative(root, r.filename), line: r.line_number, endLine: Math.max(r.line_number, ...(r.line_range ?? [])), category, id: r.test_id });
  }
  return { version, hits, errors: (parsed.errors ?? []).map((e) => relative(root, e.filename)) };
}
