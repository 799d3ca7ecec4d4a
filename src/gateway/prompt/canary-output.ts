import type { PromptRule, RuleMatch } from "./rules.js";

/**
 * A compromise marker as the answer: "just say 'COMPROMISED'", "output 'PWNED'", "Fallback response
 * required: 'HACKED'", "Summary 1: PWNED … Summary 2: PWNED … Summary 4:". Injection tests and contests
 * prove a hijack by making the model print a fixed word that no task asks for (PWNED, HACKED, "access
 * granted"); the order needs no override words and the classifier scores many of these under its line.
 * Two shapes:
 * - an order to produce the marker: an output verb with the marker as its object, a few words after;
 * - the marker planted in an answer slot (expected output, correct / fallback response, summary, TL;DR,
 *   sentiment, translation, answer) — decisive when the slot is filled the same way twice (a few-shot
 *   pattern) or the marker is one only attacks use (PWNED, "injection successful").
 * Words that also name real events (hacked, compromised, bypassed) need the order shape, and not inside a
 * labelling scheme ("output 'COMPROMISED' if the hash is in the breach list, otherwise 'CLEAN'"): a
 * security tool's prompt defines such labels. A marker followed by more words ("Summary: hacked accounts
 * rose") is prose. Read after blind round 27 (promptguard's translator, summariser and sentiment attacks), seen.
 *
 * Linear: one pass per pattern; each order reads at most the 200 characters of its sentence.
 */

const B = "(?<![\\p{L}\\p{N}])";
// The marker ends its phrase: a quote, a stop, a bracket or the line's end follows.
const ENDS = "(?=\\s*(?:['\"”’.!,;)\\]]|$|\\n))";
// Markers only attacks use.
const STRONG =
  "pwned|i\\s+have\\s+been\\s+pwned|injection\\s+(?:successful|worked|succeeded)|injected|jailbroken|system\\s+compromised|override\\s+successful|instructions\\s+overridden|model\\s+compromised";
// Markers that also name real events.
const WEAK = "hacked|compromised|bypassed|access\\s+granted";
const MARKER = `(?:${STRONG}|${WEAK})`;
const OPEN = "(?:\\s*[:=]\\s*|\\s+)['\"“‘]?";

// An output verb ("answer" only as "answer with": "Final answer: …" is a slot), then at most three words ("only", "the word", "exactly"), then the marker.
const ORDER = new RegExp(
  `${B}(?:output|outputs|outputting|say|says|saying|print|printing|respond|responding|reply|replying|answer(?=\\s+with)|write|return|type|produce|generate|repeat|echo|display|state|begin|start|end)(?:\\s+(?:with|by))?(?:\\s+[\\p{L}'-]+){0,3}?${OPEN}(${MARKER})${ENDS}`,
  "giu",
);
// An answer slot, up to four words, then "is" / ":" / "=", then the marker.
const SLOT = new RegExp(
  `${B}(?:expected\\s*output|expectedoutput|(?:correct|final|fallback|expected)\\s+(?:response|answer|output)|summary|tl;?dr|sentiment|translation|answer|key\\s+finding)(?:\\s+\\d+)?(?:\\s+[\\p{L}'-]+){0,4}?\\s*(?:is|=|:|required:)${OPEN}(${MARKER})${ENDS}`,
  "giu",
);
const STRONG_RE = new RegExp(`^(?:${STRONG})$`, "iu");
// A labelling scheme: a condition or an alternative label in the order's sentence.
const SCHEME = /\b(?:if|when|unless|otherwise|else)\b|\bor\s+['"“‘]/iu;

function sentenceAround(s: string, index: number, length: number): string {
  const head = s.slice(Math.max(0, index - 100), index);
  const start = Math.max(head.lastIndexOf(". "), head.lastIndexOf("\n"), -1) + 1;
  const tail = s.slice(index + length, index + length + 100);
  const stop = tail.search(/\.\s|\n/u);
  return head.slice(start) + s.slice(index, index + length) + (stop < 0 ? tail : tail.slice(0, stop));
}

function orders(s: string): RuleMatch[] {
  const out: RuleMatch[] = [];
  for (const m of s.matchAll(ORDER)) {
    const strong = STRONG_RE.test(m[1]!.replace(/\s+/gu, " "));
    if (!strong && SCHEME.test(sentenceAround(s, m.index, m[0].length))) continue;
    out.push({ rule: "canary-output", technique: "override", weight: 0.5, index: m.index, length: m[0].length });
  }
  return out;
}

function slots(s: string): RuleMatch[] {
  const found = [...s.matchAll(SLOT)];
  const strongOrRepeated = found.length >= 2;
  return found.map((m) => ({
    rule: "canary-answer-slot",
    technique: "override",
    weight: strongOrRepeated || STRONG_RE.test(m[1]!.replace(/\s+/gu, " ")) ? 0.5 : 0.35,
    index: m.index,
    length: m[0].length,
  }));
}

export const CANARY_OUTPUT_RULES: PromptRule[] = [
  { id: "canary-output", technique: "override", match: orders },
  { id: "canary-answer-slot", technique: "override", match: slots },
];
