/**
 * Secrets and personal data in prompts and generated text, found by the project's own detectors
 * (the data PII analyser and the code secret scanner) and acted on per configuration: block, redact
 * (a mask or the entity type), or only log. Base64, hex and URL-encoded runs are decoded and checked
 * too, so an encoded key is redacted as a whole run.
 */
import * as z from "zod";
import { analyze } from "../../data/pii/index.js";
import { detectSecrets } from "../../scan/secrets/index.js";
import { decodeLayers } from "./decode.js";

export const SensitiveAction = z.enum(["off", "log", "redact", "block"]);
export type SensitiveAction = z.infer<typeof SensitiveAction>;

/** What to do with one kind of sensitive data (PII or secrets) at one place (prompt or output). */
export const SensitivePolicy = z
  .object({
    action: SensitiveAction,
    /** Replacement: `entity` writes the kind ("[EMAIL_ADDRESS]"), `mask` writes "[REDACTED]". */
    replace: z.enum(["entity", "mask"]).default("entity"),
    /** PII only: these entity types (default all), and the analyser's score threshold. */
    entities: z.array(z.string().min(1)).optional(),
    threshold: z.number().min(0).max(1).default(0.5),
  })
  .strict();
export type SensitivePolicy = z.infer<typeof SensitivePolicy>;

export interface SensitiveSpan {
  kind: "pii" | "secret";
  entity: string;
  start: number;
  end: number;
  /** The encoding the data was hidden in, when it was found in a decoded run. */
  encoding?: string;
}

export interface SensitivePolicies {
  pii?: SensitivePolicy;
  secrets?: SensitivePolicy;
}

function direct(text: string, policies: SensitivePolicies): SensitiveSpan[] {
  const spans: SensitiveSpan[] = [];
  const { pii, secrets } = policies;
  if (secrets && secrets.action !== "off") for (const h of detectSecrets(text)) spans.push({ kind: "secret", entity: h.entity, start: h.start, end: h.end });
  if (pii && pii.action !== "off")
    for (const m of analyze(text, { threshold: pii.threshold, entities: pii.entities })) spans.push({ kind: "pii", entity: m.entity, start: m.start, end: m.end });
  return spans;
}

/**
 * Every sensitive span of `text`, overlaps merged (a secret wins over PII inside it), in order.
 * Decoded runs count as one span covering the encoded text.
 */
export function findSensitive(text: string, policies: SensitivePolicies): SensitiveSpan[] {
  if ((policies.pii?.action ?? "off") === "off" && (policies.secrets?.action ?? "off") === "off") return [];
  const spans = direct(text, policies);
  for (const layer of decodeLayers(text, undefined, { whole: false })) {
    if (layer.start === undefined || layer.end === undefined) continue;
    const inner = direct(layer.text, policies);
    const first = inner.find((s) => s.kind === "secret") ?? inner[0];
    if (first) spans.push({ ...first, start: layer.start, end: layer.end, encoding: layer.encoding });
  }
  spans.sort((a, b) => a.start - b.start || (a.kind === "secret" ? -1 : 1) || b.end - a.end);
  const merged: SensitiveSpan[] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s.start < last.end) {
      if (s.end > last.end) last.end = s.end;
      continue;
    }
    merged.push({ ...s });
  }
  return merged;
}

export function policyOf(span: SensitiveSpan, policies: SensitivePolicies): SensitivePolicy | undefined {
  return span.kind === "secret" ? policies.secrets : policies.pii;
}

/** Text with the spans whose action is `redact` (or `block`, when redacting anyway) replaced. */
export function redactSpans(text: string, spans: readonly SensitiveSpan[], policies: SensitivePolicies, actions: ReadonlySet<SensitiveAction> = new Set(["redact"])): string {
  let out = "";
  let at = 0;
  for (const s of spans) {
    const p = policyOf(s, policies);
    if (!p || !actions.has(p.action)) continue;
    out += text.slice(at, s.start) + replacementOf(s, p);
    at = s.end;
  }
  return out + text.slice(at);
}

export function replacementOf(span: SensitiveSpan, policy: SensitivePolicy): string {
  if (policy.replace === "mask") return "[REDACTED]";
  return span.kind === "secret" ? `[SECRET:${span.entity}]` : `[${span.entity}]`;
}

/** Counts per entity, for audit records: which kinds were seen, never the values. */
export function entityCounts(spans: readonly SensitiveSpan[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of spans) counts[s.entity] = (counts[s.entity] ?? 0) + 1;
  return counts;
}
