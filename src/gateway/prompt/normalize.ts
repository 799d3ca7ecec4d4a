/**
 * Prompt normalisation before scanning (reference: gateway order, step 2): NFKC, removal of
 * invisible characters that hide instructions from people but not from models, and a matching
 * "skeleton" that folds look-alike letters and leetspeak so obfuscated words match plain rules.
 */

import { lexiconWord } from "./lexicon.js";

export interface Removed {
  kind: "tag" | "zero-width" | "bidi" | "control";
  count: number;
}

export interface Normalized {
  /** NFKC text with invisible characters removed: what a policy may forward to the model. */
  text: string;
  /** Lower-case skeleton for matching only: confusables and leetspeak folded, separators collapsed. */
  skeleton: string;
  removed: Removed[];
  /** Text hidden in Unicode tag characters (U+E0020–E007E map to ASCII): a known smuggling trick. */
  hiddenTagText: string;
}

const TAG = /[\u{E0000}-\u{E007F}]/gu;
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u180E\u00AD]/g;
const ZERO_WIDTH_RUN = new RegExp(`${ZERO_WIDTH.source}+`, "g");

/**
 * The text with each run of the zero-width characters normalizePrompt removes read as one space: invisible
 * characters between words hide the spaces too, and removing them glues one word to the next.
 */
export function zeroWidthAsSpaces(text: string): string {
  return text.replace(ZERO_WIDTH_RUN, " ");
}
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

// Cyrillic and Greek letters that render like Latin ones, plus fullwidth forms NFKC leaves alone.
const CONFUSABLE: Record<string, string> = {
  а: "a",
  в: "b",
  е: "e",
  ё: "e",
  к: "k",
  м: "m",
  н: "h",
  о: "o",
  р: "p",
  с: "c",
  т: "t",
  у: "y",
  х: "x",
  і: "i",
  ї: "i",
  ј: "j",
  ѕ: "s",
  ԁ: "d",
  ɡ: "g",
  һ: "h",
  ո: "n",
  ս: "u",
  α: "a",
  β: "b",
  ε: "e",
  ι: "i",
  κ: "k",
  ν: "v",
  ο: "o",
  ρ: "p",
  τ: "t",
  υ: "u",
  χ: "x",
  ω: "w",
  ϲ: "c",
};
// "|", "!" and "@" are left alone: they belong to chat-template delimiters (<|im_start|>) and e-mail addresses.
const LEET: Record<string, string> = { "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", $: "s" };

export function normalizePrompt(input: string): Normalized {
  const removed: Removed[] = [];
  let hiddenTagText = "";
  let tags = 0;
  let text = input.replace(TAG, (ch) => {
    tags++;
    const cp = ch.codePointAt(0)! - 0xe0000;
    if (cp >= 0x20 && cp <= 0x7e) hiddenTagText += String.fromCharCode(cp);
    return "";
  });
  count(removed, "tag", tags);
  for (const [kind, re] of [
    ["zero-width", ZERO_WIDTH],
    ["bidi", BIDI],
    ["control", CONTROL],
  ] as const) {
    let n = 0;
    text = text.replace(re, () => {
      n++;
      return "";
    });
    count(removed, kind, n);
  }
  text = text.normalize("NFKC");
  return { text, skeleton: skeletonOf(text), removed, hiddenTagText };
}

// Single characters apart by one space, words apart by two or three; each alternative starts with a different
// number of spaces, so the pattern does not backtrack.
const SPACED_OUT = /(?<!\S)\S(?:(?: {2,3}| )\S){7,}(?!\S)/g;

const STRAY_MARK_TEST = /[\x20-\x7e]\p{Mn}/u;
// The run of marks after one ASCII character, taken whole: linear however many marks are stacked.
const STRAY_MARKS = /([\x20-\x7e])\p{Mn}+/gu;

/** Lower-case, confusables to Latin, leetspeak inside words to letters, and "i g n o r e" to "ignore". */
export function skeletonOf(text: string): string {
  // Confusables are folded only in words that mix scripts ("Іgnоrе"), so real Russian or Greek stays intact.
  // Combining marks NFKC left on an ASCII letter, space or sign ("A̸s̸ ̸t̸h̸e̸" struck through, "Zalgo" text): no
  // language writes them so (accented Latin letters are composed by NFKC), and they split every word for the rules.
  let s = (STRAY_MARK_TEST.test(text) ? text.normalize("NFC").replace(STRAY_MARKS, "$1") : text)
    .toLowerCase()
    .replace(/[\p{L}\p{M}]+/gu, (word) =>
      /[a-z]/.test(word) && /[\p{Script=Cyrillic}\p{Script=Greek}]/u.test(word) ? [...word].map((ch) => CONFUSABLE[ch] ?? ch).join("") : word,
    );
  // A text spaced out character by character, words apart by two or three spaces ("S e n d  t h e  f i l e ,
  // t h e n …"): eight or more single characters, punctuation and digits included, are written together again.
  s = s.replace(SPACED_OUT, (run) => (/\S \S/.test(run) && (run.match(/\p{L}/gu)?.length ?? 0) >= 4 ? run.replace(/(\S) (?=\S)/g, "$1").replace(/ {2,3}/g, " ") : run));
  // Letters dotted or spaced apart ("i.g.n.o.r.e", "f·o·r·g·e·t", "i g n o r e", "1 g n 0 r 3"): one separator
  // repeated between single letters (or leetspeak digits, with at least three letters) is joined; a different or
  // longer gap ends the word. "/" and "|" are left out: they are paths and chat-template delimiters.
  s = s.replace(/(?<![\p{L}\p{N}])\p{L}([._*~·•∙⋅‧・-])(?:\p{L}\1){1,}\p{L}(?![\p{L}\p{N}])/gu, (run) => run.replace(/[._*~·•∙⋅‧・-]/g, ""));
  s = s.replace(/(?<![\p{L}\p{N}$])[\p{L}013457$](?: [\p{L}013457$]){2,}(?![\p{L}\p{N}$])/gu, (run) => ((run.match(/\p{L}/gu)?.length ?? 0) >= 3 ? run.replace(/ /g, "") : run));
  // Leetspeak only between letters, so that numbers in ordinary text stay numbers. "1" is "i" or "l": a word
  // with a "1" is read as the English word it spells either way ("411" → "all", "r3v341" → "reveal").
  s = s.replace(/[\p{L}0-9$]+/gu, (word) => {
    if (!/\p{L}/u.test(word) || !/[013457$]/.test(word)) return word;
    const read = word.replace(/[013457$]/g, (c) => LEET[c] ?? c);
    return word.includes("1") ? (lexiconWord(read) ?? read) : read;
  });
  // Hyphens inside words ("ig-nore") are dropped; line breaks are kept for rules anchored at line starts.
  s = s.replace(/(?<=\p{L})-(?=\p{L})/gu, "");
  // Interlinear annotation marks (U+FFF9–FFFB) fence off a hidden annotation from the text it annotates: each part
  // is read as a line of its own, not glued to its neighbours.
  s = s.replace(/[\ufff9-\ufffb]/g, "\n");
  return s.replace(/[^\S\n]+/g, " ").replace(/\s*\n\s*/g, "\n");
}

function count(removed: Removed[], kind: Removed["kind"], n: number): void {
  if (n > 0) removed.push({ kind, count: n });
}
