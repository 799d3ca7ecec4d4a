import { isNotAName } from "./not-names.js";
import { CLAUSE_OPENERS, isGivenNameAt, isSurnameAt, NOT_NAMES } from "./person.js";

/** Score of a full name typed in lower case: below the tagger's usual finds, above the default threshold. */
export const LOWER_NAME_SCORE = 0.6;

/**
 * A full name typed in lower case, as chat and tweets do ("listening to kelly johnson", "rebecca mader is"):
 * no capital reaches the tagger, so such names are never proposed. Two adjacent lower-case words are taken
 * when the first is a given name and the second a surname of the lexicon, neither of them also a common
 * word (the lexicon's ambiguous names, "will", "mark", "rose", "smith", "young", stay out), so that word
 * pairs of ordinary prose do not qualify. Asked only of English social text (see `analyze`). The tokens are the analyzer's: `plain[t]` is true for a token
 * with no capital, digit, "@" or URL.
 */
export function lowerCaseFullNames(
  text: string,
  starts: Int32Array,
  ends: Int32Array,
  plain: (t: number) => boolean,
  newLineBefore: (t: number) => boolean,
  count: number,
  taken: (start: number, end: number) => boolean,
): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  let englishText: boolean | undefined;
  for (let t = 0; t + 1 < count; t++) {
    if (!plain(t) || !plain(t + 1) || newLineBefore(t + 1)) continue;
    const a = starts[t]!;
    const aEnd = ends[t]!;
    // The first word: letters only, nothing after it ("john, smith" is a list), four letters at least:
    // short given names are everyday words of other languages ("ada hari", "jan dong" in Indonesian).
    if (aEnd - a < 4 || !lettersOnly(text, a, aEnd)) continue;
    if (!isGivenNameAt(text, a, aEnd)) continue;
    const b = starts[t + 1]!;
    let bEnd = ends[t + 1]!;
    // The second word may carry a possessive or closing punctuation ("kelly johnson's", "rebecca mader.").
    while (bEnd > b && !isAsciiLower(text.charCodeAt(bEnd - 1))) bEnd--;
    if (bEnd - b >= 4 && text.charCodeAt(bEnd - 1) === 115 && (text.charCodeAt(bEnd - 2) === 39 || text.charCodeAt(bEnd - 2) === 0x2019)) bEnd -= 2;
    if (bEnd - b < 3 || !lettersOnly(text, b, bEnd) || !isSurnameAt(text, b, bEnd)) continue;
    // A name written twice ("john john") or a function word ("einer der", "pero para", "esta forma": the
    // lexicon's surnames of many locales include "der", "para", "dann") is no full name.
    const first = text.slice(a, aEnd);
    const second = text.slice(b, bEnd);
    if (first === second || NOT_NAMES.has(second) || CLAUSE_OPENERS.has(second) || CLAUSE_OPENERS.has(first)) continue;
    if (isNotAName(text.slice(a, bEnd), text.slice(bEnd, bEnd + 20), text.slice(Math.max(0, a - 20), a)) || taken(a, bEnd)) continue;
    // Only in English text: in German, Spanish or French lower-case words of the lexicon are mostly
    // everyday words ("dann ging", "vida del"); asked only of a candidate, so the test is rare.
    englishText ??= ENGLISH_WORD.test(text) && !OTHER_LANGUAGE_WORD.test(text);
    if (!englishText) break;
    out.push({ start: a, end: bEnd });
    t++;
  }
  return out;
}

/** Frequent English function words: one of them marks a text as English enough for the rule. */
const ENGLISH_WORD = /\b(?:the|is|are|was|and|you|your|i|it|my|me|we|of|this|that|with|to|for|just)\b/;
/** Frequent German, Spanish, French and Portuguese function words that English does not use. */
const OTHER_LANGUAGE_WORD = /\b(?:der|die|und|das|nicht|ist|ein|eine|einer|auch|que|del|los|las|por|para|una|pero|les|des|est|dans|une|pas|meu|minha|não)\b/;

function isAsciiLower(c: number): boolean {
  return c >= 97 && c <= 122;
}
function lettersOnly(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isAsciiLower(text.charCodeAt(i))) return false;
  return true;
}
