import { Readable } from "node:stream";
import type { ModelConfig } from "./config.js";
import { normalizePrompt } from "./prompt/normalize.js";
import { entityCounts, findSensitive, policyOf, redactSpans, type SensitiveAction, type SensitivePolicies } from "./prompt/sensitive.js";

type Scores = Record<string, number> | number[];

/**
 * Classifier outputs trimmed against extraction and membership inference: label only, the k best
 * scores, or rounded scores. Responses without scores pass unchanged.
 */
export function filterClassifierOutput(body: unknown, output: ModelConfig["output"]): unknown {
  if (output.mode === "full" || !body || typeof body !== "object") return body;
  const b = body as { scores?: Scores; probabilities?: Scores; label?: unknown };
  const key = b.scores !== undefined ? "scores" : b.probabilities !== undefined ? "probabilities" : undefined;
  if (!key) return body;
  const scores = b[key] as Scores;
  const entries: Array<[string, number]> = Array.isArray(scores) ? scores.map((v, i) => [String(i), v]) : Object.entries(scores);
  entries.sort((x, y) => y[1] - x[1]);
  const label = b.label ?? (Array.isArray(scores) ? Number(entries[0]?.[0]) : entries[0]?.[0]);
  const { [key]: _dropped, ...rest } = b as Record<string, unknown>;
  if (output.mode === "label") return { ...rest, label };
  if (output.mode === "top-k") return { ...rest, label, [key]: Object.fromEntries(entries.slice(0, output.k)) };
  const f = 10 ** output.decimals;
  const rounded = (v: number) => Math.round(v * f) / f;
  return { ...rest, label, [key]: Array.isArray(scores) ? scores.map(rounded) : Object.fromEntries(Object.entries(scores).map(([k, v]) => [k, rounded(v)])) };
}

/** Which canary (a secret planted in the system prompt) appears in generated text, if any. */
export function leakedCanary(text: string, canaries: readonly string[]): string | undefined {
  return canaries.find((c) => text.includes(c));
}

/** Text of an OpenAI-style message content: a string or a list of parts. */
export function messageText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content))
    return content.map((p) => (p && typeof p === "object" && typeof (p as { text?: unknown }).text === "string" ? (p as { text: string }).text : "")).join("\n");
  return "";
}

export interface TextFilterOptions {
  canaries: readonly string[];
  policies: SensitivePolicies;
}

export interface TextFilterResult {
  text: string;
  /** A canary was found: the text must be withheld. */
  leak: boolean;
  /** Sensitive data found, per entity (values are never recorded). */
  found: Record<string, number>;
  redacted: number;
}

/** Output filter for one complete generated text: canary check, then PII and secret redaction. */
export function filterGeneratedText(text: string, options: TextFilterOptions): TextFilterResult {
  if (leakedCanary(text, options.canaries)) return { text: WITHHELD, leak: true, found: {}, redacted: 0 };
  const spans = findSensitive(text, options.policies);
  const redacted = spans.filter((s) => policyOf(s, options.policies)?.action === "redact" || policyOf(s, options.policies)?.action === "block").length;
  // On the output side a "block" policy redacts: the answer has already been generated.
  return { text: redactSpans(text, spans, options.policies, OUTPUT_ACTIONS), leak: false, found: entityCounts(spans), redacted };
}

const OUTPUT_ACTIONS = new Set<SensitiveAction>(["redact", "block"]);
export const WITHHELD = "[withheld: the answer contained protected system instructions]";

export interface StreamSummary {
  leak: boolean;
  found: Record<string, number>;
  redacted: number;
}

/**
 * Filters an OpenAI-style server-sent event stream. Generated text is released only once it is
 * `hold` characters behind the newest text, so a canary or a secret split across chunks is seen
 * whole before any of it leaves; a span still growing at the release point is held until it ends,
 * up to `maxHold` characters, after which it is redacted as far as it goes. Memory per choice is
 * bounded by `maxHold` plus one chunk.
 */
export function filterEventStream(
  source: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  options: TextFilterOptions & { hold?: number; maxHold?: number; onEnd?: (summary: StreamSummary) => void },
): Readable {
  const filtering = options.policies.pii?.action !== undefined && options.policies.pii.action !== "off";
  const secrets = options.policies.secrets?.action !== undefined && options.policies.secrets.action !== "off";
  const longest = Math.max(0, ...options.canaries.map((c) => c.length));
  const hold = Math.max(options.hold ?? (filtering || secrets ? 256 : 0), longest);
  const maxHold = Math.max(options.maxHold ?? 4096, hold * 2);
  const summary: StreamSummary = { leak: false, found: {}, redacted: 0 };
  const pending = new Map<number, string>();
  let template: Record<string, unknown> | undefined;

  // Releases what is safe of one choice's held text; `final` releases all of it.
  const release = (index: number, final: boolean): string | undefined => {
    const text = pending.get(index) ?? "";
    if (leakedCanary(text, options.canaries)) return undefined;
    let cut = final ? text.length : Math.max(0, text.length - hold);
    if (cut === 0) return "";
    const spans = filtering || secrets ? findSensitive(text, options.policies) : [];
    const crossing = final ? undefined : spans.find((s) => s.start < cut && s.end > cut);
    // A span that ends before the newest character is complete: release it whole, redacted. One that
    // reaches the newest character may still grow: hold it back, unless that would exceed maxHold.
    // Releasing through a span's end must still leave a whole canary's length held back.
    if (crossing) cut = crossing.end <= text.length - Math.max(1, longest) || text.length > maxHold ? crossing.end : crossing.start;
    const released = spans.filter((s) => s.start < cut).map((s) => ({ ...s, end: Math.min(s.end, cut) }));
    for (const [k, n] of Object.entries(entityCounts(released))) summary.found[k] = (summary.found[k] ?? 0) + n;
    summary.redacted += released.filter((s) => OUTPUT_ACTIONS.has(policyOf(s, options.policies)?.action ?? "off")).length;
    pending.set(index, text.slice(cut));
    return redactSpans(text.slice(0, cut), released, options.policies, OUTPUT_ACTIONS);
  };
  const leakEvent = () => {
    summary.leak = true;
    return `data: ${JSON.stringify({ error: { type: "system-prompt-leak", message: "stream stopped: the answer contained protected system instructions" } })}\n\n`;
  };
  const flushEvent = (): string | undefined => {
    const choices: unknown[] = [];
    for (const index of [...pending.keys()].sort((a, b) => a - b)) {
      const text = release(index, true);
      if (text === undefined) return leakEvent();
      if (text) choices.push({ index, delta: { content: text }, finish_reason: null });
    }
    pending.clear();
    return choices.length ? `data: ${JSON.stringify({ ...template, choices })}\n\n` : "";
  };

  return Readable.from(
    (async function* () {
      let buffer = "";
      try {
        for await (const chunk of source) {
          buffer += chunk.toString();
          const events = buffer.split(/\r?\n\r?\n/);
          buffer = events.pop() ?? "";
          for (const event of events) {
            const data = event
              .split(/\r?\n/)
              .filter((l) => l.startsWith("data:"))
              .map((l) => l.slice(5).replace(/^ /, ""))
              .join("\n");
            if (data.trim() === "[DONE]") {
              const rest = flushEvent();
              if (rest) yield rest;
              if (summary.leak) return;
              yield `${event}\n\n`;
              continue;
            }
            let parsed: { choices?: Array<{ index?: number; delta?: { content?: unknown }; finish_reason?: unknown }> } & Record<string, unknown>;
            try {
              parsed = JSON.parse(data);
            } catch {
              yield `${event}\n\n`; // not JSON (comments, keep-alives): forwarded as is
              continue;
            }
            if (!Array.isArray(parsed.choices)) {
              yield `${event}\n\n`;
              continue;
            }
            const { choices: _c, ...rest } = parsed;
            template = rest;
            for (const choice of parsed.choices) {
              const index = typeof choice.index === "number" ? choice.index : 0;
              const delta = choice.delta;
              if (delta && typeof delta.content === "string") pending.set(index, (pending.get(index) ?? "") + delta.content);
              const out = release(index, choice.finish_reason !== null && choice.finish_reason !== undefined);
              if (out === undefined) {
                yield leakEvent();
                return;
              }
              if (delta && typeof delta.content === "string") delta.content = out;
              else if (out) choice.delta = { ...(delta ?? {}), content: out };
            }
            yield `data: ${JSON.stringify(parsed)}\n\n`;
          }
        }
        const rest = flushEvent();
        if (rest) yield rest;
        if (buffer.trim() && !summary.leak) yield buffer;
      } finally {
        options.onEnd?.(summary);
      }
    })(),
  );
}

type ChatMessage = { role?: string; content?: unknown };

/**
 * The input side of a chat request: user and tool messages normalised (invisible characters removed)
 * and their secrets and PII acted on. `blocked` names the first message a `block` policy refuses.
 */
export function screenMessages(
  messages: readonly ChatMessage[],
  policies: SensitivePolicies,
): { messages: ChatMessage[]; found: Record<string, number>; redacted: number; blocked?: { message: number; entities: string[] } } {
  const found: Record<string, number> = {};
  let redacted = 0;
  let blocked: { message: number; entities: string[] } | undefined;
  const screen = (text: string, i: number): string => {
    const norm = normalizePrompt(text).text;
    const spans = findSensitive(norm, policies);
    if (spans.length === 0) return norm;
    for (const [k, n] of Object.entries(entityCounts(spans))) found[k] = (found[k] ?? 0) + n;
    const refused = spans.filter((s) => policyOf(s, policies)?.action === "block");
    if (refused.length && !blocked) blocked = { message: i, entities: [...new Set(refused.map((s) => s.entity))] };
    redacted += spans.filter((s) => policyOf(s, policies)?.action === "redact").length;
    return redactSpans(norm, spans, policies);
  };
  const out = messages.map((m, i) => {
    if (m.role === "system" || m.role === "assistant") return m;
    if (typeof m.content === "string") return { ...m, content: screen(m.content, i) };
    if (Array.isArray(m.content))
      return {
        ...m,
        content: m.content.map((p) =>
          p && typeof p === "object" && typeof (p as { text?: unknown }).text === "string" ? { ...p, text: screen((p as { text: string }).text, i) } : p,
        ),
      };
    return m;
  });
  return { messages: out, found, redacted, ...(blocked ? { blocked } : {}) };
}
