import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import {
  type CheckResult,
  type Finding,
  fileError,
  RampartError,
  readText,
  registerRules,
  type Severity,
  type Subject,
  sha256File,
  sha256Hex,
  tag,
  VERSION,
} from "../../core/index.js";
import { type DetectOptions, detectInjection, type PromptVerdict } from "./detect.js";
import type { Technique } from "./rules.js";
import { findSensitive, type SensitivePolicies, SensitivePolicy } from "./sensitive.js";

registerRules([
  {
    id: "prompt.injection",
    title: "Prompt injection",
    description: "Text that tries to override a model's instructions, change its persona, extract its system prompt, or smuggle instructions in encodings or invisible characters.",
    help: "Do not forward this text to a model as instructions. Treat retrieved documents and tool output as data; keep the system prompt free of secrets.",
    defaultSeverity: "high",
    tags: ["owasp-llm:LLM01", "atlas:AML.T0051"],
  },
  {
    id: "prompt.invisible-characters",
    title: "Invisible or direction-changing characters in a prompt",
    description: "Unicode tag, zero-width or bidirectional control characters hide text from people while models still read it.",
    help: "Strip these characters before the text reaches a model (the gateway does).",
    defaultSeverity: "low",
    tags: ["atlas:AML.T0068"],
  },
  {
    id: "prompt.secret",
    title: "Secret in a prompt",
    description: "A credential (API key, token, private key) in text bound for a model: it may be logged, retained or repeated by the provider.",
    help: "Remove the secret and rotate it; the gateway can redact or block secrets in prompts (models[].prompt.secrets).",
    defaultSeverity: "high",
    tags: ["owasp-llm:LLM02", tag.cwe(200)],
  },
  {
    id: "prompt.pii",
    title: "Personal data in a prompt",
    description: "Personal data (e-mail, phone, card, IBAN, identity numbers…) in text bound for a model.",
    help: "Redact personal data before it leaves your boundary (models[].prompt.pii: redact).",
    defaultSeverity: "medium",
    tags: ["owasp-llm:LLM02", "atlas:AML.T0057"],
  },
]);

/** Offline scans report sensitive data; what to do about it is the gateway's configuration. */
const REPORT: SensitivePolicies = { pii: SensitivePolicy.parse({ action: "log" }), secrets: SensitivePolicy.parse({ action: "log" }) };

/** Findings for the secrets and PII in one prompt; the values themselves are never reported. */
export function sensitiveFindings(text: string, location: Finding["location"], policies: SensitivePolicies = REPORT): Finding[] {
  return findSensitive(text, policies).map((s) => {
    const secret = s.kind === "secret";
    const hidden = s.encoding ? ` (${s.encoding}-encoded)` : "";
    return {
      ruleId: secret ? "prompt.secret" : "prompt.pii",
      severity: secret ? "high" : "medium",
      message: `${secret ? "secret" : "personal data"} in prompt: ${s.entity}${hidden}`,
      location: { ...location, offset: s.start, length: s.end - s.start },
      entity: s.entity,
      evidence: { entity: s.entity, ...(s.encoding ? { encoding: s.encoding } : {}) },
      remediation: secret ? "Remove and rotate the secret; configure the gateway to redact or block it." : "Redact the personal data before it reaches a model.",
      tags: secret ? [tag.owaspLlm("LLM02"), tag.cwe(200)] : [tag.owaspLlm("LLM02"), tag.atlas("AML.T0057")],
    };
  });
}

/** Framework tags per technique (see the finding-tags table of the inference reference). */
const TECHNIQUE_TAGS: Record<Technique, string[]> = {
  override: [tag.owaspLlm("LLM01"), tag.atlas("AML.T0051.000")],
  jailbreak: [tag.owaspLlm("LLM01"), tag.atlas("AML.T0054")],
  "prompt-leak": [tag.owaspLlm("LLM07"), tag.atlas("AML.T0056")],
  delimiter: [tag.owaspLlm("LLM01"), tag.atlas("AML.T0051.000")],
  indirect: [tag.owaspLlm("LLM01"), tag.atlas("AML.T0051.001")],
  exfiltration: [tag.owaspLlm("LLM02"), tag.atlas("AML.T0057")],
  obfuscation: [tag.owaspLlm("LLM01"), tag.atlas("AML.T0068")],
};

export function severityOf(score: number): Severity {
  return score >= 0.8 ? "high" : "medium";
}

/** Findings for one prompt's verdict: the injection itself and any invisible characters removed. */
export function verdictFindings(v: PromptVerdict, location: Finding["location"]): Finding[] {
  const findings: Finding[] = [];
  if (v.verdict === "injection") {
    findings.push({
      ruleId: "prompt.injection",
      severity: severityOf(v.score),
      message: `prompt injection (${v.techniques.join(", ")}), score ${v.score.toFixed(2)}${v.encodings.length ? `, hidden in ${v.encodings.join(", ")}` : ""}`,
      location,
      entity: v.techniques[0],
      evidence: { score: v.score, rules: [...new Set(v.matches.map((m) => m.rule))], excerpts: v.matches.slice(0, 3).map((m) => m.excerpt), encodings: v.encodings },
      remediation: "Refuse or quarantine this text; never let it reach the model as instructions.",
      tags: [...new Set(v.techniques.flatMap((t) => TECHNIQUE_TAGS[t]))],
    });
  }
  const invisible = v.removed.filter((r) => r.kind !== "control");
  if (invisible.length) {
    findings.push({
      ruleId: "prompt.invisible-characters",
      severity: "low",
      message: `invisible characters removed: ${invisible.map((r) => `${r.count} ${r.kind}`).join(", ")}`,
      location,
      evidence: { removed: invisible },
      tags: [tag.atlas("AML.T0068")],
    });
  }
  return findings;
}

export interface ScanPromptOptions extends DetectOptions {
  /** Report PII and secrets too (default true each). */
  pii?: boolean;
  secrets?: boolean;
  /** JSON Lines: one prompt per line in this field (default "text"). Plain text otherwise. */
  jsonl?: boolean;
  field?: string;
  /** JSON Lines, role "data": the field holding a record's task (default "task"); `task` when absent. */
  taskField?: string;
}

function policiesOf(options: ScanPromptOptions): SensitivePolicies {
  return { pii: options.pii === false ? undefined : REPORT.pii, secrets: options.secrets === false ? undefined : REPORT.secrets };
}

/** One prompt given on the command line or by an API. */
export function scanPromptText(text: string, options: ScanPromptOptions = {}): CheckResult {
  const v = detectInjection(text, options);
  const sensitive = sensitiveFindings(text, undefined, policiesOf(options));
  return {
    check: "scan-prompt",
    version: VERSION,
    subjects: [{ name: "prompt", digest: { sha256: sha256Hex(text) } }],
    findings: [...verdictFindings(v, undefined), ...sensitive],
    metrics: { prompts: 1, injections: v.verdict === "injection" ? 1 : 0, sensitive: sensitive.length, verdicts: [{ verdict: v.verdict, score: v.score }] },
  };
}

/**
 * Scans a file: JSON Lines (one verdict and score per record, `row` in the location) or a plain text
 * document as one prompt (a retrieved page, an e-mail). Streams, so large files keep memory flat.
 */
export async function scanPromptFile(path: string, options: ScanPromptOptions = {}): Promise<CheckResult> {
  const file = path;
  const subject: Subject = { name: file, digest: { sha256: await sha256File(path) } };
  const jsonl = options.jsonl ?? /\.(jsonl|ndjson)$/i.test(path);
  const findings: Finding[] = [];
  const verdicts: Array<{ row: number; verdict: string; score: number }> = [];
  const policies = policiesOf(options);
  if (!jsonl) {
    const text = await readText(path);
    const v = detectInjection(text, options);
    findings.push(...verdictFindings(v, { file }), ...sensitiveFindings(text, { file }, policies));
    verdicts.push({ row: 1, verdict: v.verdict, score: v.score });
  } else {
    const field = options.field ?? "text";
    const taskField = options.taskField ?? "task";
    const lines = createInterface({ input: createReadStream(path, { encoding: "utf8" }).on("error", () => {}), crlfDelay: Number.POSITIVE_INFINITY });
    let line = 0;
    let row = 0;
    try {
      for await (const raw of lines) {
        line++;
        if (!raw.trim()) continue;
        row++;
        let record: unknown;
        try {
          record = JSON.parse(raw);
        } catch {
          throw new RampartError("invalid-input", `${file}:${line}: not valid JSON`);
        }
        const text = (record as Record<string, unknown> | null)?.[field];
        if (typeof text !== "string") throw new RampartError("invalid-input", `${file}:${line}: field "${field}" is missing or not a string`);
        const task = options.role === "data" ? (record as Record<string, unknown>)[taskField] : undefined;
        if (task !== undefined && task !== null && typeof task !== "string") throw new RampartError("invalid-input", `${file}:${line}: field "${taskField}" is not a string`);
        const v = detectInjection(text, typeof task === "string" ? { ...options, task } : options);
        verdicts.push({ row, verdict: v.verdict, score: v.score });
        findings.push(...verdictFindings(v, { file, line, row, field }), ...sensitiveFindings(text, { file, line, row, field }, policies));
      }
    } catch (e) {
      if (e instanceof RampartError) throw e;
      throw fileError(path, e);
    }
  }
  return {
    check: "scan-prompt",
    version: VERSION,
    subjects: [subject],
    findings,
    metrics: {
      prompts: verdicts.length,
      injections: verdicts.filter((v) => v.verdict === "injection").length,
      sensitive: findings.filter((f) => f.ruleId === "prompt.secret" || f.ruleId === "prompt.pii").length,
      verdicts,
    },
  };
}
