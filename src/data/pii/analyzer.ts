import { ENTITIES, RECOGNIZERS, type Recognizer } from "./recognizers.js";

/** One PII span: character offsets into the analysed text, the entity kind and a confidence in [0, 1]. */
export interface PiiMatch {
  entity: string;
  start: number;
  end: number;
  score: number;
  recognizer: string;
}

export interface AnalyzeOptions {
  /** Report matches scoring at least this (default 0.5). */
  threshold?: number;
  /** Only these entities (default: all). */
  entities?: readonly string[];
  /** Extra context words, e.g. a column name ("date_of_birth" → date, of, birth). */
  context?: readonly string[];
}

/** Presidio's context rule: +0.35, and at least 0.4 once a context word is present. */
const CONTEXT_BOOST = 0.35;
const CONTEXT_FLOOR = 0.4;
/** Tokens before and after a span that count as its context. */
const WINDOW_BEFORE = 6;
const WINDOW_AFTER = 2;

const WORD = /[\p{L}\p{N}][\p{L}\p{N}.#'-]*/gu;

/** Splits a column name into context words: snake_case, kebab-case, camelCase, and the joined form. */
export function contextWordsOf(name: string): string[] {
  const spaced = name
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/[_\-./]+/g, " ")
    .toLowerCase()
    .trim();
  const words = spaced.split(/\s+/).filter(Boolean);
  return [...words, spaced, words.join("")];
}

interface Prepared {
  hasDigit: boolean;
  hasAt: boolean;
  hasUrl: boolean;
  hasUpper: boolean;
  hasColon: boolean;
}

function prepare(text: string): Prepared {
  return {
    hasDigit: /\d/.test(text),
    hasAt: text.includes("@"),
    hasUrl: text.includes("://") || /www\./i.test(text),
    hasUpper: /[A-Z\u00C0-\u00DE]/.test(text),
    hasColon: text.includes(":"),
  };
}

function wanted(r: Recognizer, p: Prepared): boolean {
  switch (r.needs) {
    case "digit":
      return p.hasDigit;
    case "at":
      return p.hasAt;
    case "url":
      return p.hasUrl;
    case "upper":
      return p.hasUpper;
    case "colon":
      return p.hasColon && p.hasDigit;
    default:
      return true;
  }
}

/** Lower-cased words around [start, end): the last few before and the first few after. */
function surroundings(text: string, start: number, end: number): { words: string[]; phrase: string; before: number } {
  const before = text.slice(Math.max(0, start - 80), start).toLowerCase();
  const after = text.slice(end, end + 40).toLowerCase();
  const b = before.match(WORD) ?? [];
  const a = after.match(WORD) ?? [];
  const words = [...b.slice(-WINDOW_BEFORE), ...a.slice(0, WINDOW_AFTER)].map((w) => w.replace(/[.#'-]+$/, ""));
  return { words, phrase: ` ${words.join(" ")} `, before: Math.min(b.length, WINDOW_BEFORE) };
}

function hasContext(list: readonly string[], words: string[], phrase: string, extra: readonly string[]): boolean {
  for (const c of list) {
    if (c.includes(" ")) {
      if (phrase.includes(` ${c} `)) return true;
      if (extra.includes(c)) return true;
    } else if (words.includes(c) || extra.includes(c)) return true;
  }
  return false;
}

type Span = [number, number];

/**
 * Windows around whitespace-separated tokens that pass `test`: neighbouring selected tokens with at
 * most `gap` other tokens between them are joined, then widened by `extend` tokens each side and one
 * character (so look-behinds and word boundaries see the real neighbour).
 */
function windowsOf(text: string, test: (token: string) => boolean, gap: number, extend: number): Span[] {
  const tokens: Span[] = [];
  const selected: number[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m !== null; m = TOKEN.exec(text)) {
    if (test(m[0])) selected.push(tokens.length);
    tokens.push([m.index, m.index + m[0].length]);
  }
  const out: Span[] = [];
  let i = 0;
  while (i < selected.length) {
    let j = i;
    while (j + 1 < selected.length && selected[j + 1]! - selected[j]! - 1 <= gap) j++;
    const first = Math.max(0, selected[i]! - extend);
    const last = Math.min(tokens.length - 1, selected[j]! + extend);
    const start = Math.max(0, tokens[first]![0] - 1);
    const end = Math.min(text.length, tokens[last]![1] + 1);
    const prev = out[out.length - 1];
    if (prev && start <= prev[1]) prev[1] = Math.max(prev[1], end);
    else out.push([start, end]);
    i = j + 1;
  }
  return out;
}

const TOKEN = /\S+/g;
const HAS_DIGIT = (t: string) => /\d/.test(t);
const HAS_AT = (t: string) => t.includes("@");
const HAS_URL = (t: string) => t.includes("://") || /www\./i.test(t);

/**
 * Finds PII in a text: every recognizer's candidates are validated, scored with context, filtered by
 * the threshold, and overlaps resolved (higher score, then longer span, then recognizer order).
 */
export function analyze(text: string, options: AnalyzeOptions = {}): PiiMatch[] {
  const threshold = options.threshold ?? 0.5;
  const only = options.entities ? new Set(options.entities) : undefined;
  const extra = options.context ?? [];
  const p = prepare(text);
  const found: Array<PiiMatch & { priority: number }> = [];
  const windows: Partial<Record<"digits" | "at" | "url", Span[]>> = {};
  let lower: string | undefined;
  for (const [priority, r] of RECOGNIZERS.entries()) {
    if (only && !only.has(r.entity) && !(r.fallback && only.has(r.fallback.entity))) continue;
    if (!wanted(r, p)) continue;
    // A recognizer that needs context cannot match when no context word is anywhere near.
    if (r.requireContext && !(r.fallback && r.fallback.score >= threshold)) {
      lower ??= text.toLowerCase();
      const l = lower;
      if (!r.context?.some((c) => l.includes(c) || extra.includes(c))) continue;
    }
    let spans: Span[] = [[0, text.length]];
    if (r.window) {
      spans = windows[r.window] ??= windowsOf(
        text,
        r.window === "digits" ? HAS_DIGIT : r.window === "at" ? HAS_AT : HAS_URL,
        r.window === "digits" ? 1 : 0,
        r.window === "digits" ? 1 : 0,
      );
    }
    for (const [ws, we] of spans) {
      const sub = ws === 0 && we === text.length ? text : text.slice(ws, we);
      r.pattern.lastIndex = 0;
      for (let m = r.pattern.exec(sub); m !== null; m = r.pattern.exec(sub)) {
        if (m[0].length === 0) r.pattern.lastIndex++;
        let span = r.group ? m[r.group] : m[0];
        if (!span) continue;
        let start = ws + (r.group ? m.index + Math.max(0, m[0].lastIndexOf(span)) : m.index);
        if (r.trim) span = span.slice(0, r.trim(span));
        // Leading/trailing separators are not part of an identifier.
        start += span.length - span.trimStart().length;
        span = span.trim();
        if (!span) continue;
        const end = start + span.length;
        if (r.costly && found.some((f) => f.score >= 0.85 && f.start <= start && end <= f.end)) continue;
        let score = r.score;
        let entity = r.entity;
        if (r.validate) {
          const v = r.validate(span);
          if (v === null) continue;
          if (v !== undefined) score = v;
        }
        if (r.context || r.negativeContext) {
          const { words, phrase, before } = surroundings(text, start, end);
          if (r.negativeContext && hasContext(r.negativeContext, words.slice(0, before).slice(-3), " ", [])) continue;
          const ctx = r.context ? hasContext(r.context, words, phrase, extra) : false;
          if (ctx) score = Math.min(1, Math.max(score + CONTEXT_BOOST, CONTEXT_FLOOR));
          else if (r.requireContext) {
            if (!r.fallback) continue;
            entity = r.fallback.entity;
            score = r.fallback.score;
          }
        }
        if (score < threshold) continue;
        if (only && !only.has(entity)) continue;
        found.push({ entity, start, end, score: Math.round(score * 100) / 100, recognizer: r.id, priority });
      }
    }
  }
  return resolveOverlaps(found);
}

function resolveOverlaps(found: Array<PiiMatch & { priority: number }>): PiiMatch[] {
  if (found.length <= 1) return found.map(({ priority: _p, ...m }) => m);
  found.sort((a, b) => b.score - a.score || b.end - b.start - (a.end - a.start) || a.priority - b.priority);
  // Kept spans stay sorted by start; a candidate overlaps only its neighbours there (binary search).
  const kept: PiiMatch[] = [];
  for (const f of found) {
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (kept[mid]!.start < f.start) lo = mid + 1;
      else hi = mid;
    }
    const prev = kept[lo - 1];
    const next = kept[lo];
    if ((prev && prev.end > f.start) || (next && next.start < f.end)) continue;
    kept.splice(lo, 0, { entity: f.entity, start: f.start, end: f.end, score: f.score, recognizer: f.recognizer });
  }
  return kept;
}

export { ENTITIES };
