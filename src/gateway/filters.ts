import type { ModelConfig } from "./config.js";

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
