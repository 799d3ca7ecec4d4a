import { dropEponyms } from "./eponyms.js";
import { afterDeterminer, germanNameParts, germanUnchanged, isEverydayGermanWord, isGermanAround } from "./german.js";
import { HashTable, hashLower, hashLowerAt } from "./hash.js";
import { LOWER_NAME_SCORE, lowerCaseFullNames } from "./lower-names.js";
import { dropClinicalNames, dropNotNames, isNotAName } from "./not-names.js";
import { minDigits } from "./pattern-facts.js";
import { CLAUSE_OPENERS, commonWordSurname, isGivenNameAt, isPublicSurnameAt, mayBePublicSurnameAt, NOT_NAMES, propagatableNamePart } from "./person.js";
import { dropPlacesAndOrganisations } from "./places.js";
import { LiteralScan, literalsOf, requiredLiteralsOf } from "./prescan.js";
import { ENTITIES, notALoneName, RECOGNIZERS, type Recognizer } from "./recognizers.js";
import { inNameList, isGivenNameFact, isKnownNonPerson, isListedName, isPublicSurnameFact, type TaggedSpan, tagPersons, wordFacts } from "./tagger.js";

/** One PII span: character offsets into the analysed text, the entity kind and a confidence in [0, 1]. */
export interface PiiMatch {
  entity: string;
  start: number;
  end: number;
  score: number;
  recognizer: string;
  /** Set (false) when the value fails its checksum and was reported on strong context alone. */
  checksumValid?: false;
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

/**
 * A context word is what /[\p{L}\p{N}](?:[\p{L}\p{N}.#']|(?<=\p{L})-|-(?=\p{N}))*\/gu matches: a dash joins
 * letters ("e-mail") and digit groups, but a number ends before "-Office". Read by `wordsIn`.
 */

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

/** Token classes, found in one pass over the text. */
const DIGIT = 1;
const AT = 2;
const URL = 4;
const UPPER = 8;
const COLON = 16;
/** A capitalised token after the first one (a name mid-sentence; prose lines start with one capital). */
const LATER_UPPER = 32;
/** A token with a line break before it (per token only). */
const NL_BEFORE = 64;
/**
 * A capitalised token that may follow a cue word (only in the union of a text's bits): it does not
 * begin with A–Z (a cue in the same token: "mr.Xu", even first in the text), or the token before it
 * does not end a sentence (. ! ? :), or ends with the lower-case title "mr." / "ms." / "mrs.". Names
 * after "said", "Hi" or "mr." always have one; paragraphs of prose, whose capitals open sentences, do not.
 */
const CUE_UPPER = 256;

/** Class bits of ASCII characters for `tokenize`: END for white space, DOT (not a class) for ".". */
const END = 255;
const DOT = 128;
const BACKSLASH = 254;
/** Whether the last tokenized text holds a backslash. */
let sawBackslash = false;
/** The last tokenized text holds a full-width ASCII form (U+FF01–U+FF5E: "１２３４５６７８Ｚ"). */
let sawFullWidth = false;
/** "m", "d" and "M", "D": the last letters of the name gate's stems (see NAME_STEM_GATE). */
const STEM_LOWER = 252;
const STEM_UPPER = 253;
/**
 * Whether the last tokenized text holds "nam", "nom" or "pellid" in any case of its ASCII letters: what
 * NAME_STEM_GATE answers, noted on the tokenizer's walk at the stems' last letters (the gate's own walk
 * over every line cost a few per cent of a line's time).
 */
let sawNameStem = false;
const ASCII_CLASS = (() => {
  const t = new Uint8Array(128);
  for (let c = 0; c <= 32; c++) t[c] = END;
  for (let c = 48; c <= 57; c++) t[c] = DIGIT;
  for (let c = 65; c <= 90; c++) t[c] = UPPER;
  t[64] = AT;
  t[58] = COLON;
  t[46] = DOT;
  t[92] = BACKSLASH;
  t[109] = STEM_LOWER;
  t[100] = STEM_LOWER;
  t[77] = STEM_UPPER;
  t[68] = STEM_UPPER;
  return t;
})();

/** The name columns' context gate, answered by the tokenizer (`sawNameStem`) for recognizers that have it. */
const NAME_STEM_GATE = /[nN][aAoO][mM]|[pP][eE][lL][lL][iI][dD]/;

/** Whether text[i] ("m"/"M" or "d"/"D") ends "nam", "nom" or "pellid" in any case (`| 32` lower-cases ASCII letters only). */
function nameStemEndsAt(text: string, i: number, c: number): boolean {
  if ((c | 32) === 109) {
    const b = text.charCodeAt(i - 1) | 32;
    return i >= 2 && (b === 97 || b === 111) && (text.charCodeAt(i - 2) | 32) === 110;
  }
  return (
    i >= 5 &&
    (text.charCodeAt(i - 1) | 32) === 105 &&
    (text.charCodeAt(i - 2) | 32) === 108 &&
    (text.charCodeAt(i - 3) | 32) === 108 &&
    (text.charCodeAt(i - 4) | 32) === 101 &&
    (text.charCodeAt(i - 5) | 32) === 112
  );
}

/**
 * Whitespace-separated tokens of a text with their class bits, found in one pass over the char codes
 * (cheaper than a regex per class, and no substrings are made). The buffers are reused between calls:
 * `analyze` is synchronous, so one set is enough and the collector sees no per-text arrays.
 */
let starts = new Int32Array(1024);
let ends = new Int32Array(1024);
let bits = new Uint8Array(1024);
let count = 0;
/** ASCII digits in the last tokenized text (counted on the way: a document is not walked again for them). */
let tokenizedDigits = 0;

/**
 * Indices of the tokens of each windowed class (digits, "@", URLs, capitals), in order, filled while
 * tokenizing: windows and name propagation walk these instead of every token, so a long document with
 * a few numbers costs a pass over its numbers, not one more pass over all its words per window kind.
 */
const LISTED = [DIGIT, AT, URL, UPPER] as const;
const LISTED_ANY = DIGIT | AT | URL | UPPER;
/** Lists per class, and one more (index LISTED.length): capitalised tokens that may follow a cue word. */
let listed: Int32Array[] = [...LISTED, CUE_UPPER].map(() => new Int32Array(256));
const listedCount = new Int32Array(LISTED.length + 1);
/** Index of the list of capitalised tokens. */
const UPPER_LIST = LISTED.indexOf(UPPER);
/** The list index of each listed class bit (an array look-up: `indexOf` on every window kind showed in profiles). */
const LIST_INDEX = (() => {
  const t = new Int8Array(256).fill(-1);
  LISTED.forEach((cls, k) => {
    t[cls] = k;
  });
  return t;
})();
function listOf(cls: number): number {
  return LIST_INDEX[cls]!;
}
function pushListed(k: number, t: number): void {
  const n = listedCount[k]!;
  let a = listed[k]!;
  if (n === a.length) {
    const grown = new Int32Array(n * 2);
    grown.set(a);
    listed = listed.map((x, j) => (j === k ? grown : x));
    a = grown;
  }
  a[n] = t;
  listedCount[k] = n + 1;
}

function isLowerAscii(c: number): boolean {
  return c >= 97 && c <= 122;
}
function isAlnumAscii(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
}

/** Tokenizes `text` into the shared buffers; returns the union of every token's bits. */
function tokenize(text: string): number {
  const n = text.length;
  const classes = ASCII_CLASS;
  // The buffers and the count in locals: module variables are read and written through the module's
  // context on every access, which made this loop several times slower than a plain scan.
  let st = starts;
  let en = ends;
  let bt = bits;
  let t = 0;
  let any = 0;
  // Stores, not `fill`: a builtin call costs more than five stores on a short line.
  for (let k = 0; k < listedCount.length; k++) listedCount[k] = 0;
  if (++tokenStamp === 0x7fffffff) {
    // Wrapped: no old stamp may equal a new one.
    factsStamp.fill(0);
    tokenStamp = 1;
  }
  sawBackslash = false;
  sawFullWidth = false;
  sawNameStem = false;
  let i = 0;
  let nl = 0;
  let digits = 0;
  while (i < n) {
    let c = text.charCodeAt(i);
    if (c <= 32 || c === 0xa0) {
      if (c === 10 || c === 13) nl = NL_BEFORE;
      i++;
      continue;
    }
    const start = i;
    let b = 0;
    for (; i < n; i++) {
      c = text.charCodeAt(i);
      if (c < 128) {
        // Most characters are lower-case letters: one table look-up says "nothing to note".
        const k = classes[c]!;
        if (k === 0) continue;
        if (k === END) break;
        if (k === STEM_LOWER || k === STEM_UPPER) {
          if (!sawNameStem && nameStemEndsAt(text, i, c)) sawNameStem = true;
          if (k === STEM_UPPER) b |= UPPER;
        } else if (k === BACKSLASH) sawBackslash = true;
        else if (k === DOT) {
          if (i - start >= 3 && (text.charCodeAt(i - 1) | 32) === 119 && (text.charCodeAt(i - 2) | 32) === 119 && (text.charCodeAt(i - 3) | 32) === 119) b |= URL;
          // "name.de", "host.example.com/x": a dot between a letter or digit and two lower-case letters.
          // (Not inside an e-mail address: its recognizer reads the domain.)
          else if (i > start && !(b & AT) && isLowerAscii(text.charCodeAt(i + 1)) && isLowerAscii(text.charCodeAt(i + 2)) && isAlnumAscii(text.charCodeAt(i - 1))) b |= URL;
        } else {
          b |= k;
          if (k === DIGIT) digits++;
          if (k === COLON && text.charCodeAt(i + 1) === 47 && text.charCodeAt(i + 2) === 47) b |= URL;
        }
      } else if (c === 0xa0) break;
      else if (c >= 0xff01 && c <= 0xff5e) sawFullWidth = true;
      else if (c >= 0xc0 && (c <= 0xde ? c !== 0xd7 : c > 0xff && isUpper(c))) b |= UPPER;
    }
    if (t === st.length) {
      growTokenBuffers(t * 2);
      st = starts;
      en = ends;
      bt = bits;
    }
    st[t] = start;
    en[t] = i;
    bt[t] = b | nl;
    nl = 0;
    if (b & LISTED_ANY) {
      if (b & DIGIT) pushListed(0, t);
      if (b & AT) pushListed(1, t);
      if (b & URL) pushListed(2, t);
      if (b & UPPER) pushListed(3, t);
    }
    if (b & UPPER) {
      if (t > 0) any |= LATER_UPPER;
      if (afterCue(text, start, t)) {
        any |= CUE_UPPER;
        pushListed(LISTED.length, t);
      }
    }
    t++;
    any |= b;
  }
  count = t;
  tokenizedDigits = digits;
  return any;
}
function growTokenBuffers(size: number): void {
  const s = new Int32Array(size);
  const e = new Int32Array(size);
  const b = new Uint8Array(size);
  s.set(starts);
  e.set(ends);
  b.set(bits);
  starts = s;
  ends = e;
  bits = b;
  // Filled per text: nothing to copy.
  factsStamp = new Int32Array(size);
  factsFrom = new Int32Array(size);
  factsTo = new Int32Array(size);
  facts = new Uint8Array(size);
}

/**
 * The name lists' answers for a token of the last tokenized text, looked up once (`wordFacts`): the
 * region walk, the given-name windows and the lone-surname pass all ask about the same capitalised
 * words, mostly one sentence opener per line. `factsStamp[t] === tokenStamp` when token t's are filled;
 * `factsFrom`/`factsTo` is the word without the ASCII marks around it, or -1 when a mark outside ASCII
 * borders it (the lists' callers trim those differently; they are asked directly then).
 */
let tokenStamp = 0;
let factsStamp = new Int32Array(1024);
let factsFrom = new Int32Array(1024);
let factsTo = new Int32Array(1024);
let facts = new Uint8Array(1024);
function tokenFacts(text: string, t: number): number {
  if (factsStamp[t] === tokenStamp) return facts[t]!;
  let a = starts[t]!;
  let b = ends[t]!;
  while (a < b && !isAsciiLetterOrWide(text.charCodeAt(a))) a++;
  while (b > a && !isAsciiLetterOrWide(text.charCodeAt(b - 1))) b--;
  // Trimmed to ASCII letters at both ends (or nothing): every caller's trim agrees.
  const plain = a === b || (text.charCodeAt(a) < 128 && text.charCodeAt(b - 1) < 128);
  const f = plain ? wordFacts(hashLowerAt(text, a, b)) : 0;
  factsStamp[t] = tokenStamp;
  factsFrom[t] = plain ? a : -1;
  factsTo[t] = b;
  facts[t] = f;
  return f;
}
/** ASCII letters and everything outside ASCII (where `tokenFacts` stops trimming). */
function isAsciiLetterOrWide(c: number): boolean {
  return (c | 32) >= 97 && (c | 32) <= 122 ? true : c >= 128;
}
/** `inNameList` of token t. */
function tokenInNameList(text: string, t: number): boolean {
  const f = tokenFacts(text, t);
  return factsFrom[t]! >= 0 ? isListedName(f) : inNameList(text, starts[t]!, ends[t]!);
}
/** `isGivenNameAt` of token t. */
function tokenIsGivenName(text: string, t: number): boolean {
  const f = tokenFacts(text, t);
  const from = factsFrom[t]!;
  if (from < 0) return isGivenNameAt(text, starts[t]!, ends[t]!);
  return factsTo[t]! - from >= 2 && isGivenNameFact(f);
}

/**
 * Whether a capitalised token is followed by a token whose hash is in `words` once trailing characters
 * other than letters are dropped ("said," → "said"): the pre-test of `Recognizer.followsCapital`.
 */
function capitalFollowedBy(text: string, words: HashTable): boolean {
  const up = listed[UPPER_LIST]!;
  const ups = listedCount[UPPER_LIST]!;
  for (let j = 0; j < ups; j++) {
    const t = up[j]! + 1;
    if (t >= count) continue;
    const s = starts[t]!;
    const a = text.charCodeAt(s) - 97;
    if (a < 0 || a > 25) continue;
    const c1 = text.charCodeAt(s + 1);
    const b = c1 >= 97 && c1 <= 122 ? c1 - 97 : c1 > 127 ? -1 : 26;
    if (b >= 0 && FOLLOWS_PREFIX[a * 27 + b] === 0) continue;
    let e = ends[t]!;
    while (e > s && !isLetterCode(text.charCodeAt(e - 1))) e--;
    // A hash collision only lets a text through to the pattern.
    if (e > s && e - s <= 12 && words.get(hashLowerAt(text, s, e)) !== 0) return true;
  }
  return false;
}
/**
 * Whether a capitalised token ends with one of `words` (grouped by last char code), or does so before
 * one final dot: the pre-test of `Recognizer.tokenEndsWith`. A match's opening word lies in one token
 * (it is followed by white space) whose first capital is the word's, so the token is listed.
 */
function capitalEndsWith(text: string, words: Array<string[] | undefined>): boolean {
  const up = listed[UPPER_LIST]!;
  const ups = listedCount[UPPER_LIST]!;
  for (let j = 0; j < ups; j++) {
    const t = up[j]!;
    const s = starts[t]!;
    let e = ends[t]!;
    for (let k = 0; k < 2 && e > s; k++) {
      const ws = words[text.charCodeAt(e - 1)];
      if (ws) for (const w of ws) if (e - w.length >= s && text.startsWith(w, e - w.length)) return true;
      if (text.charCodeAt(e - 1) !== 46) break;
      e--;
    }
  }
  return false;
}
/** Letters as far as trimming goes: ASCII letters and everything from U+00C0 on but × ÷ and general punctuation. */
function isLetterCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 0xc0 && c !== 0xd7 && c !== 0xf7 && !(c >= 0x2000 && c <= 0x206f) && !(c >= 0x3000 && c <= 0x303f));
}

/** Token `t` (being tokenized, starting at `start`) has a capital: may it follow a cue word? */
function afterCue(text: string, start: number, t: number): boolean {
  const c0 = text.charCodeAt(start);
  if (!(c0 >= 65 && c0 <= 90)) return true;
  if (t === 0) return false;
  const pe = ends[t - 1]!;
  const p = text.charCodeAt(pe - 1);
  if (p !== 46 && p !== 33 && p !== 63 && p !== 58) return true;
  if (p !== 46) return false;
  const ps = starts[t - 1]!;
  const a = pe - 3 >= ps ? text.charCodeAt(pe - 3) | 32 : 0;
  const b = pe - 2 >= ps ? text.charCodeAt(pe - 2) | 32 : 0;
  const z = pe - 4 >= ps ? text.charCodeAt(pe - 4) | 32 : 0;
  // "mr." / "ms." / "mrs." (any case: a superset is safe), and the Italian "l'on." / "dell’on.".
  return (a === 109 && (b === 114 || b === 115)) || (z === 109 && a === 114 && b === 115) || (a === 111 && b === 110 && (z === 39 || z === 0x2039));
}

/** Whitespace tokens read on each side of a capitalised run: the tagger's features look two tokens away. */
const REGION_EXTEND = 3;
/** Regions of the last tokenized text the tagger should read (flat [from, to) pairs, reused). */
let regionBuf = new Int32Array(64);

/**
 * The parts of the text the name tagger must read: every group of capitalised tokens (at most three
 * other tokens apart) with three tokens each side. A sentence-opening plain word in no name list with no
 * capital in the three tokens after it ("The", "State", "However,") belongs to no group: every sentence
 * opens with a capital, the tagger would not decode such a word anyway, and so prose costs no tagger
 * work. When unsure whether a word opens a sentence, it is read. Returns how many regions (flat [from,
 * to) pairs in `regionBuf`, sorted, merged where they touch).
 */
function personRegions(text: string): number {
  let r = 0;
  // Only capitalised tokens can be grouped: walk their list, not every token of the text.
  const up = listed[UPPER_LIST]!;
  const ups = listedCount[UPPER_LIST]!;
  let j = 0;
  while (j < ups) {
    const t = up[j++]!;
    if (!grouped(text, t)) continue;
    const first = t;
    let last = t;
    for (; j < ups && up[j]! - last - 1 <= REGION_EXTEND; j++) if (grouped(text, up[j]!)) last = up[j]!;
    const from = first - REGION_EXTEND <= 0 ? 0 : starts[first - REGION_EXTEND]!;
    const to = last + REGION_EXTEND >= count - 1 ? text.length : ends[last + REGION_EXTEND]!;
    if (r > 0 && from <= regionBuf[2 * r - 1]!) {
      regionBuf[2 * r - 1] = to;
      continue;
    }
    if (2 * r + 2 > regionBuf.length) {
      const grown = new Int32Array(regionBuf.length * 2);
      grown.set(regionBuf);
      regionBuf = grown;
    }
    regionBuf[2 * r] = from;
    regionBuf[2 * r + 1] = to;
    r++;
  }
  return r;
}

/** Token t has a capital and is not a sentence-opening common word standing alone (see `personRegions`). */
function grouped(text: string, t: number): boolean {
  if (!(bits[t]! & UPPER)) return false;
  for (let u = t + 1; u <= t + REGION_EXTEND && u < count; u++) if (bits[u]! & UPPER) return true;
  return !(opensSentence(text, t) && !tokenInNameList(text, t));
}

/** For tests: [a capital after the first token, a capital that may follow a cue word] of `text`. */
export function capitalGates(text: string): [boolean, boolean] {
  const any = tokenize(unescapeBreaks(text));
  return [(any & LATER_UPPER) !== 0, (any & CUE_UPPER) !== 0];
}

/** For tests: [the tokenizer's answer, NAME_STEM_GATE's own answer] on `text` (must be equal). */
export function nameStemGateAnswers(text: string): [boolean, boolean] {
  const t = unescapeBreaks(text);
  tokenize(t);
  return [sawNameStem, NAME_STEM_GATE.test(t)];
}

/**
 * For tests: per token of `text`, [answers read once per token, the lists' own answers] for the given-name,
 * name-list and public-surname questions (the lone-surname pass asks the last of the word without its marks).
 */
export function tokenFactsAnswers(text: string): Array<[string, string]> {
  const t0 = unescapeBreaks(text);
  tokenize(t0);
  const out: Array<[string, string]> = [];
  for (let t = 0; t < count; t++) {
    const own = `${isGivenNameAt(t0, starts[t]!, ends[t]!)} ${inNameList(t0, starts[t]!, ends[t]!)}`;
    const once = `${tokenIsGivenName(t0, t)} ${tokenInNameList(t0, t)}`;
    const f = tokenFacts(t0, t);
    const from = factsFrom[t]!;
    const publicOwn = from >= 0 ? isPublicSurnameAt(t0, from, factsTo[t]!) : false;
    const publicOnce = from >= 0 ? isPublicSurnameFact(f) : false;
    out.push([`${once} ${publicOnce}`, `${own} ${publicOwn}`]);
  }
  return out;
}

/** The regions the tagger reads for `text` (for tests: reading them must equal reading the whole text). */
export function taggerRegions(text: string): Int32Array {
  const t = unescapeBreaks(text);
  tokenize(t);
  const n = personRegions(t);
  return regionBuf.slice(0, 2 * n);
}

/**
 * Token t is one plain capitalised word (ASCII letters, maybe one closing punctuation mark) that opens a
 * sentence as the tagger's tokenizer sees it: first in the text, after a line break, or after a token
 * ending in . ! ? or : (not a dot the tagger keeps on an abbreviation).
 */
function opensSentence(text: string, t: number): boolean {
  const s = starts[t]!;
  let e = ends[t]!;
  const c0 = text.charCodeAt(s);
  if (!(c0 >= 65 && c0 <= 90)) return false;
  const last = text.charCodeAt(e - 1);
  if (last === 46 || last === 44 || last === 59 || last === 58 || last === 33 || last === 63) e--;
  for (let i = s + 1; i < e; i++) {
    const c = text.charCodeAt(i);
    if (!((c | 32) >= 97 && (c | 32) <= 122)) return false;
  }
  if (t === 0 || bits[t]! & NL_BEFORE) return true;
  const ps = starts[t - 1]!;
  const pe = ends[t - 1]!;
  const p = text.charCodeAt(pe - 1);
  if (p === 33 || p === 63 || p === 58) return true;
  if (p !== 46) return false;
  // The tagger keeps a dot on a short word with a capital ("Mr.", "J.R.R.", "A1."): then the next word
  // does not open a sentence. Its word is within the letters, digits and joiners before the dot.
  if (pe - 2 >= ps && text.charCodeAt(pe - 2) === 46) return false;
  for (let i = pe - 2; i >= ps; i--) {
    const c = text.charCodeAt(i);
    if ((c >= 65 && c <= 90) || c >= 0xc0) return false;
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 39 || c === 38)) break;
  }
  return true;
}

/**
 * Windows around tokens of class `cls` (of the last tokenized text): selected tokens with at most
 * `gap` other tokens between them are joined (a group needs `min` selected tokens), widened by
 * `extend` tokens each side and one character (so look-behinds and word boundaries see the real
 * neighbour).
 */
function windowsOf(text: string, cls: number, gap: number, extend: number, min: number, single?: (text: string, t: number) => boolean): Span[] {
  const textLength = text.length;
  const k = listOf(cls);
  const n = listedCount[k]!;
  // Most lines have no token of the class (or no group): no array is made for them.
  if (n === 0) return NO_SPANS;
  let out: Span[] | undefined;
  const list = listed[k]!;
  let i = 0;
  while (i < n) {
    const first = list[i]!;
    let last = first;
    let selected = 1;
    // The next token of the class joins the group when at most `gap` other tokens lie between.
    for (i++; i < n && list[i]! - last - 1 <= gap; i++) {
      last = list[i]!;
      selected++;
    }
    // A lone token is kept only when `single` vouches for it (a lone capitalised word that is a known given name).
    if (selected < min && !(selected === 1 && single?.(text, first))) continue;
    const start = Math.max(0, starts[Math.max(0, first - extend)]! - 1);
    const end = Math.min(textLength, ends[Math.min(count - 1, last + extend)]! + 1);
    if (out === undefined) {
      out = [[start, end]];
      continue;
    }
    const prev = out[out.length - 1]!;
    if (start <= prev[1]) prev[1] = Math.max(prev[1], end);
    else out.push([start, end]);
  }
  return out ?? NO_SPANS;
}

/**
 * Windows for a cue-word pattern (see `Recognizer.cueTokens`): around every capitalised token that may
 * follow a cue, from one character before the token `before` tokens ahead (its look-behinds see the
 * real neighbours) to one character after the token `after` tokens on; merged where they overlap. Every
 * match of the pattern lies in one, with what its look-arounds read, so scanning these finds what a
 * scan of the whole text finds.
 */
function cueWindows(text: string, around: NonNullable<Recognizer["cueTokens"]>): Span[] {
  const k = LISTED.length;
  const n = listedCount[k]!;
  if (n === 0) return NO_SPANS;
  const out: Span[] = [];
  const list = listed[k]!;
  for (let i = 0; i < n; i++) {
    const t = list[i]!;
    // One more token back: a look-behind before the cue ("5 mr.") reads the token before it.
    const from = t - around.before - 1;
    const start = from >= 0 ? Math.max(0, starts[from]! - 1) : 0;
    const end = t + around.after < count ? Math.min(text.length, ends[t + around.after]! + 1) : text.length;
    const prev = out[out.length - 1];
    if (prev && start <= prev[1]) prev[1] = Math.max(prev[1], end);
    else out.push([start, end]);
  }
  return out;
}

const UPPER_CHAR = /\p{Lu}/u;
function isUpper(c: number): boolean {
  return UPPER_CHAR.test(String.fromCharCode(c));
}

/** No windows (shared, never changed: windows are added to a fresh array only). */
const NO_SPANS: Span[] = [];
/** Sentinel for "the whole text": windows are never this array. */
const WHOLE: Span[] = [[0, 0]];
const WINDOW_KINDS = ["digits", "near", "at", "url", "caps"] as const;

/** One alternation of a recognizer's context words, so the whole-text test is one search. */
const CONTEXT_RE = new Map<Recognizer, RegExp>();
function mentions(r: Recognizer, lower: string, extra: readonly string[]): boolean {
  if (!r.context) return false;
  if (extra.length > 0 && r.context.some((c) => extra.includes(c))) return true;
  let re = CONTEXT_RE.get(r);
  if (!re) {
    re = new RegExp(r.context.map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"));
    CONTEXT_RE.set(r, re);
  }
  return re.test(lower);
}

/**
 * The text around each window, lower-cased: every word `surroundings` can see for a candidate inside
 * [ws, we) lies within [ws - 80, we + 40), so a context word absent from all of these is absent from
 * every candidate's context (a long text is not lower-cased and searched whole for each recognizer).
 */
function lowerAround(text: string, spans: Span[]): string[] {
  return spans.map(([ws, we]) => text.slice(Math.max(0, ws - 80), Math.min(text.length, we + 40)).toLowerCase());
}
/**
 * Every context entry and every word of a multi-word one, as one alternation: a candidate whose context
 * holds an entry (even a phrase joined across the candidate, "first … name") has one of these within
 * its neighbourhood, so a neighbourhood without any has no context.
 */
const CONTEXT_PARTS_RE: Record<string, Map<Recognizer, RegExp>> = { g: new Map(), "": new Map() };
function contextParts(r: Recognizer, flags: "g" | ""): RegExp {
  let re = CONTEXT_PARTS_RE[flags]!.get(r);
  if (!re) {
    const all = new Set<string>();
    for (const c of r.context ?? []) {
      all.add(c);
      for (const w of c.split(" ")) if (w) all.add(w);
    }
    re = new RegExp([...all].map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), flags);
    CONTEXT_PARTS_RE[flags]!.set(r, re);
  }
  return re;
}
/** [start, end) of every context-part match in `lower` (flat pairs), for a whole-text recognizer. */
function contextSites(r: Recognizer, lower: string): number[] {
  const re = contextParts(r, "g");
  const out: number[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(lower); m !== null; m = re.exec(lower)) out.push(m.index, m.index + m[0].length);
  return out;
}
/** Whether any site overlaps [from, to) (sites sorted by start). */
function siteWithin(sites: number[], from: number, to: number): boolean {
  let lo = 0;
  let hi = sites.length >> 1;
  // First site whose end is past `from`; sites do not overlap, so ends are sorted too.
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sites[2 * mid + 1]! <= from) lo = mid + 1;
    else hi = mid;
  }
  return lo < sites.length >> 1 && sites[2 * lo]! < to;
}

function mentionsNear(r: Recognizer, around: string[], extra: readonly string[]): boolean {
  for (const a of around) if (mentions(r, a, extra)) return true;
  return false;
}

const NEEDS: Record<Recognizer["needs"], number> = {
  digit: DIGIT,
  at: AT,
  url: URL,
  upper: UPPER,
  colon: COLON | DIGIT,
  any: 0,
  laterUpper: LATER_UPPER,
  cueUpper: LATER_UPPER | CUE_UPPER,
};

/** A character that can be part of a context word (first or later character). */
function inWord(c: number): boolean {
  if (c < 128) return (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122) || c === 46 || c === 35 || c === 39 || c === 45;
  // Half of a surrogate pair may be half of a letter: count it in, so a scan never starts inside a word.
  if (c >= 0xd800 && c <= 0xdfff) return true;
  return letterOrNumber(c) !== 0;
}

/**
 * Lower-cased words around [start, end): the last few within 80 characters before and the first few
 * within 40 after. Only the neighbourhood is tokenised: a scan that starts right after a character no
 * word can contain finds exactly the words a scan of the whole text finds there, so long documents
 * cost no more per candidate than short lines. In a long text only the words kept are cut out and
 * lower-cased: a neighbourhood holds about twenty words, a candidate keeps at most eight.
 */
function surroundings(text: string, start: number, end: number): { words: string[]; before: number } {
  if (text.length <= WHOLE_WORDS_UP_TO) return shortSurroundings(text, start, end);
  let from = Math.max(0, start - 80);
  while (from > 0 && inWord(text.charCodeAt(from - 1))) from--;
  let to = Math.min(text.length, end + 40);
  while (to < text.length && inWord(text.charCodeAt(to))) to++;
  nearWords.scan(text, from, to);
  const st = nearWords.starts;
  const en = nearWords.ends;
  const n = nearWords.count;
  // The first word ending after `start` (ends are sorted: words do not overlap).
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (en[mid]! <= start) lo = mid + 1;
    else hi = mid;
  }
  const words: string[] = [];
  for (let i = Math.max(0, lo - WINDOW_BEFORE); i < lo; i++) if (st[i]! >= start - 80) words.push(lowerWord(text, st[i]!, en[i]!));
  const before = words.length;
  let i = lo;
  while (i < n && st[i]! < end) i++;
  for (let k = 0; k < WINDOW_AFTER && i < n && en[i]! <= end + 40; k++, i++) words.push(lowerWord(text, st[i]!, en[i]!));
  return { words, before };
}

/**
 * `surroundings` of a short text: the text is read into words once, for all its candidates (the words of
 * a neighbourhood are those of the whole text between its ends, see `wordsIn`), and the choice keeps the
 * words within reach of the candidate.
 */
function shortSurroundings(text: string, start: number, end: number): { words: string[]; before: number } {
  if (wordsText !== text) {
    wordsText = text;
    wordsOfText = wordsIn(text, 0, text.length);
  }
  const { starts, ends, lower } = wordsOfText;
  let lo = 0;
  let hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ends[mid]! <= start) lo = mid + 1;
    else hi = mid;
  }
  const words: string[] = [];
  for (let i = Math.max(0, lo - WINDOW_BEFORE); i < lo; i++) if (starts[i]! >= start - 80) words.push(lower[i]!);
  const before = words.length;
  let i = lo;
  while (i < starts.length && starts[i]! < end) i++;
  for (let k = 0; k < WINDOW_AFTER && i < starts.length && ends[i]! <= end + 40; k++, i++) words.push(lower[i]!);
  return { words, before };
}

/** For tests: the context words `surroundings` gives a candidate at [start, end) of `text`. */
export function contextWordsAround(text: string, start: number, end: number): { words: string[]; before: number } {
  return surroundings(text, start, end);
}

/**
 * Texts up to this length (a line) are read into context words once per text, not once per candidate; a
 * paragraph with one candidate would pay for words no candidate reaches (8 % slower at 4,096).
 */
const WHOLE_WORDS_UP_TO = 256;

/** Where the context words of a stretch of text lie (reused buffers: a neighbourhood allocates nothing). */
class WordBounds {
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  count = 0;
  /** Finds the words of text[from, to) (see `wordsIn`). */
  scan(text: string, from: number, to: number): void {
    let n = 0;
    let st = this.starts;
    let en = this.ends;
    // The context words in text[from, to), read by char codes (a regular expression call per word, with
    // its match array, cost more than the scan): a word opens at a letter or digit and goes on through
    // letters, digits, ". # '", a dash after a letter and a dash before a digit. Code points, as with /u;
    // a surrogate pair cut by `to` is two lone surrogates, as in the slice the expression read.
    let i = from;
    while (i < to) {
      let cp = codePointIn(text, i, to);
      let kind = letterOrNumber(cp);
      if (kind === 0) {
        i += cp > 0xffff ? 2 : 1;
        continue;
      }
      const start = i;
      i += cp > 0xffff ? 2 : 1;
      let afterLetter = kind === 1;
      while (i < to) {
        cp = codePointIn(text, i, to);
        kind = letterOrNumber(cp);
        if (kind !== 0) afterLetter = kind === 1;
        else if (cp === 46 || cp === 35 || cp === 39) afterLetter = false;
        else if (cp === 45 && (afterLetter || (i + 1 < to && letterOrNumber(codePointIn(text, i + 1, to)) === 2))) afterLetter = false;
        else break;
        i += cp > 0xffff ? 2 : 1;
      }
      if (n === st.length) {
        const s2 = new Int32Array(n * 2);
        const e2 = new Int32Array(n * 2);
        s2.set(st);
        e2.set(en);
        this.starts = st = s2;
        this.ends = en = e2;
      }
      st[n] = start;
      en[n] = i;
      n++;
    }
    this.count = n;
  }
}
/** The words of the last long text's neighbourhood, and of the last stretch `wordsIn` read. */
const nearWords = new WordBounds();
const stretchWords = new WordBounds();
let wordsText: string | undefined;
let wordsOfText: { starts: number[]; ends: number[]; lower: string[] } = { starts: [], ends: [], lower: [] };
/** One context word, lower-cased, without trailing dots, hashes, apostrophes and dashes. */
function lowerWord(text: string, start: number, end: number): string {
  const w = text.slice(start, end).toLowerCase();
  const z = w.charCodeAt(w.length - 1);
  // Most words have no trailing dot, hash, apostrophe or dash.
  return z === 46 || z === 35 || z === 39 || z === 45 ? w.replace(/[.#'-]+$/, "") : w;
}

/**
 * The lower-cased words of text[from, to), where `from` and `to` sit between words (the characters
 * around them cannot be in a word): a scan started there finds exactly the words a scan of the whole
 * text finds in that stretch. (For tests: `surroundings` reads the bounds and cuts out only the words it keeps.)
 */
export function wordsIn(text: string, from: number, to: number): { starts: number[]; ends: number[]; lower: string[] } {
  const bounds = stretchWords;
  bounds.scan(text, from, to);
  const starts: number[] = [];
  const ends: number[] = [];
  const lower: string[] = [];
  for (let k = 0; k < bounds.count; k++) {
    starts.push(bounds.starts[k]!);
    ends.push(bounds.ends[k]!);
    lower.push(lowerWord(text, bounds.starts[k]!, bounds.ends[k]!));
  }
  return { starts, ends, lower };
}
/** The code point at i, reading no further than `to` (a high surrogate at to - 1 stands alone). */
function codePointIn(text: string, i: number, to: number): number {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) {
    const d = text.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return (c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000;
  }
  return c;
}
/** 1 for \p{L}, 2 for \p{N}, 0 otherwise; the Basic Multilingual Plane is classified once per code. */
function letterOrNumber(cp: number): number {
  if (cp < 128) return (cp | 32) >= 97 && (cp | 32) <= 122 ? 1 : cp >= 48 && cp <= 57 ? 2 : 0;
  if (cp > 0xffff) return CONTEXT_LETTER.test(String.fromCodePoint(cp)) ? 1 : CONTEXT_NUMBER.test(String.fromCodePoint(cp)) ? 2 : 0;
  let k = letterOrNumberBmp[cp]!;
  if (k === 0) {
    const ch = String.fromCharCode(cp);
    k = CONTEXT_LETTER.test(ch) ? 2 : CONTEXT_NUMBER.test(ch) ? 3 : 1;
    letterOrNumberBmp[cp] = k;
  }
  return k - 1;
}
const CONTEXT_LETTER = /\p{L}/u;
const CONTEXT_NUMBER = /\p{N}/u;
/** Per BMP code: 0 not yet seen, then 1 + the answer of `letterOrNumber`. */
const letterOrNumberBmp = new Uint8Array(0x10000);

/**
 * Context lists split once: single words (a Set), and phrases padded with a space each side as they are
 * searched. A phrase of plain words ("date of birth") is found in the words joined by spaces only where
 * one of the words is its first word, so those are kept by first word: a candidate's few words are looked
 * up instead of every phrase searched (and no padded copy is made per phrase and candidate).
 */
type ContextSet = { single: Set<string>; padded: string[]; byFirst: Map<string, string[]>; irregular: string[] };
const CONTEXT_SETS = new WeakMap<readonly string[], ContextSet>();
function contextSet(list: readonly string[]): ContextSet {
  let c = CONTEXT_SETS.get(list);
  if (!c) {
    const multi = list.filter((w) => w.includes(" "));
    const byFirst = new Map<string, string[]>();
    const irregular: string[] = [];
    for (const m of multi) {
      const parts = m.split(" ");
      // A phrase with an empty part (a leading, trailing or doubled space) is searched as it is.
      if (parts.some((x) => x === "")) irregular.push(` ${m} `);
      else byFirst.set(parts[0]!, [...(byFirst.get(parts[0]!) ?? []), ` ${m} `]);
    }
    c = { single: new Set(list.filter((w) => !w.includes(" "))), padded: multi.map((m) => ` ${m} `), byFirst, irregular };
    CONTEXT_SETS.set(list, c);
  }
  return c;
}

/** `phrase`: the words joined as " a b c " for multi-word entries (made from `words` when not given). */
function hasContext(list: readonly string[], words: string[], phrase: string | undefined, extra: readonly string[]): boolean {
  const { single, padded, byFirst, irregular } = contextSet(list);
  for (const w of words) {
    if (single.has(w)) return true;
    // A word with a suffix or an abbreviation dot: "personalausweis-nr." is "personalausweis", "tel." is
    // "tel". Only the head: "dublin-born" is about Dublin, not a birth.
    if (w.includes("-") || w.endsWith(".")) {
      const head = w.slice(0, w.search(/[-.]/));
      if (head && single.has(head)) return true;
    }
  }
  if (padded.length > 0) {
    if (phrase !== undefined) {
      for (const c of padded) if (phrase.includes(c)) return true;
    } else {
      // The words hold no space: " a b " lies in " w1 w2 … " only where some word is "a".
      let p: string | undefined;
      for (const w of words) {
        const starting = byFirst.get(w);
        if (starting === undefined) continue;
        p ??= ` ${words.join(" ")} `;
        for (const c of starting) if (p.includes(c)) return true;
      }
      if (irregular.length > 0) {
        p ??= ` ${words.join(" ")} `;
        for (const c of irregular) if (p.includes(c)) return true;
      }
    }
  }
  if (extra.length > 0) for (const c of list) if (extra.includes(c)) return true;
  return false;
}

type Span = [number, number];

/** Where each window kind looks: token class, join gap, widening in tokens, tokens needed per group. */
const WINDOWS: Record<NonNullable<Recognizer["window"]>, [number, number, number, number]> = {
  digits: [DIGIT, 1, 1, 1],
  // Dates, street addresses and anchored record numbers: a few words around a number.
  near: [DIGIT, 1, 8, 1],
  at: [AT, 0, 0, 1],
  url: [URL, 0, 0, 1],
  // Names: at least two capitalised tokens, joined across particles ("de la", "von").
  caps: [UPPER, 2, 1, 2],
};

/** Per recognizer: the least number of ASCII digits any match of its pattern holds. */
const MIN_DIGITS = Int16Array.from(RECOGNIZERS, (r) => minDigits(r.pattern));
/** ASCII digits in text[from, to). */
function digitsIn(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/** Per recognizer: the longest run of ASCII letters and digits every match holds (0: no bound). */
const MIN_RUN = Int16Array.from(RECOGNIZERS, (r) => r.minRun ?? 0);
/** The longest run of ASCII letters and digits in text[from, to). */
function longestRunIn(text: string, from: number, to: number): number {
  let best = 0;
  let run = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122)) {
      if (++run > best) best = run;
    } else run = 0;
  }
  return best;
}

/**
 * ASCII digit counts and longest letter-and-digit runs of the current text's windows, per window kind,
 * made on first use and shared by the recognizers that read the same windows. A figure is current when
 * its stamp is this call's. The two figures: DIGITS counts ASCII digits, RUN is the longest run of ASCII
 * letters and digits.
 */
const DIGITS = 0;
const RUN = 1;
/** Rows are figure × window kind (row = figure * WINDOW_KINDS.length + kind); one value and stamp per window. */
const FIGURE_ROWS = 2 * WINDOW_KINDS.length;
const windowFigureValue: Int32Array[] = Array.from({ length: FIGURE_ROWS }, () => new Int32Array(64));
const windowFigureStamp: Int32Array[] = Array.from({ length: FIGURE_ROWS }, () => new Int32Array(64));
let analyzeStamp = 0;
function growWindowFigures(row: number, k: number): void {
  const grow = (x: Int32Array) => Int32Array.from({ length: 2 * k + 2 }, (_, i) => x[i] ?? 0);
  windowFigureValue[row] = grow(windowFigureValue[row]!);
  windowFigureStamp[row] = grow(windowFigureStamp[row]!);
}
function windowFigure(text: string, row: number, figure: number, k: number, ws: number, we: number): number {
  if (k >= windowFigureValue[row]!.length) growWindowFigures(row, k);
  const stamps = windowFigureStamp[row]!;
  const values = windowFigureValue[row]!;
  if (stamps[k] !== analyzeStamp) {
    stamps[k] = analyzeStamp;
    values[k] = figure === DIGITS ? digitsIn(text, ws, we) : longestRunIn(text, ws, we);
  }
  return values[k]!;
}

/**
 * Whether some window of a kind holds `need` digits (figure DIGITS) or a run of `need` letters and digits
 * (figure RUN), per window kind of the current text: a recognizer needing more than every window holds is
 * skipped before its gates, context tests and windows, as each window's own test would skip every window.
 * The windows are read in order only until one is enough, and the most seen so far and how far the reading
 * got are kept (stamped like the per-window figures they are made from), so a document whose first number
 * is long enough costs one window's figure here, not one per window (session 18 read them all: documents
 * ~5 % slower), and the windows of a kind are read at most once per text whatever the recognizers ask.
 * One function for both figures (session 20; sessions 18–19 had a copy per figure).
 */
const kindMost = new Int32Array(FIGURE_ROWS);
const kindRead = new Int32Array(FIGURE_ROWS);
const kindStamp = new Int32Array(FIGURE_ROWS);
function someWindowReaches(text: string, figure: number, w: number, spans: Span[], need: number): boolean {
  const row = figure * WINDOW_KINDS.length + w;
  if (kindStamp[row] !== analyzeStamp) {
    kindStamp[row] = analyzeStamp;
    kindMost[row] = 0;
    kindRead[row] = 0;
  }
  let most = kindMost[row]!;
  let k = kindRead[row]!;
  for (; most < need && k < spans.length; k++) most = Math.max(most, windowFigure(text, row, figure, k, spans[k]![0], spans[k]![1]));
  kindMost[row] = most;
  kindRead[row] = k;
  return most >= need;
}

/** Per recognizer, looked up once: the token classes it needs and its window kind (-1: the whole text). */
const NEED_MASK = Int32Array.from(RECOGNIZERS, (r) => NEEDS[r.needs]);
const WINDOW_OF = Int8Array.from(RECOGNIZERS, (r) => (r.window ? WINDOW_KINDS.indexOf(r.window) : -1));
const CAPS = WINDOW_KINDS.indexOf("caps");
/** Per recognizer, read by index in the hot loop (a property read on ~95 differently shaped objects is not free). */
/** As hashes of the lower-cased words: the pre-test reads tokens in place, no substring per capital. */
const FOLLOWS_CAPITAL = RECOGNIZERS.map((r) => {
  if (!r.followsCapital) return undefined;
  const t = new HashTable(64);
  for (const w of r.followsCapital) t.set(hashLower(w), 1);
  return t;
});
/** `Recognizer.tokenEndsWith` per recognizer, indexed by the words' last char code (ASCII). */
const ENDS_WITH = RECOGNIZERS.map((r) => {
  if (!r.tokenEndsWith) return undefined;
  const byLast: Array<string[] | undefined> = Array.from({ length: 128 }, () => undefined);
  for (const w of r.tokenEndsWith) {
    const c = w.charCodeAt(0);
    const z = w.charCodeAt(w.length - 1);
    if (!(c >= 65 && c <= 90) || z >= 128) throw new Error(`tokenEndsWith word ${w} must start with A-Z and end in ASCII`);
    byLast[z] = [...(byLast[z] ?? []), w];
  }
  return byLast;
});
/**
 * The first two letters of every such word, as a bit per (a–z, a–z or end/punctuation) pair. Most tokens
 * fail this two-character test, before any hash.
 */
const FOLLOWS_PREFIX = (() => {
  const bits = new Uint8Array(26 * 27);
  for (const r of RECOGNIZERS)
    for (const w of r.followsCapital ?? []) {
      const a = w.charCodeAt(0) - 97;
      const b = w.length > 1 ? w.charCodeAt(1) - 97 : 26;
      if (a < 0 || a > 25) throw new Error(`followsCapital word ${w} must start with a-z`);
      // A second letter beyond ASCII ("añadió"): such tokens skip this test and go to the hash.
      if (b >= 0 && b <= 26) bits[a * 27 + b] = 1;
    }
  return bits;
})();
/** Each window kind's [class, gap, extend, min], by index (read without building an iterator per use). */
const WINDOW_PARAMS = WINDOW_KINDS.map((k) => WINDOWS[k]);
/** Every bit a recognizer can need: a text's class bits outside it do not change which recognizers run. */
const NEED_BITS = NEED_MASK.reduce((a, m) => a | m, 0);
/**
 * The recognizers (in priority order) whose needed classes a text holds, per union of class bits,
 * built on first use: a line without digits skips the ~40 digit recognizers without a test each.
 */
const ACTIVE: Array<Int16Array | undefined> = Array.from({ length: NEED_BITS + 1 }, () => undefined);
function activeFor(any: number): Int16Array {
  const key = any & NEED_BITS;
  let list = ACTIVE[key];
  if (!list) {
    const out: number[] = [];
    for (let p = 0; p < RECOGNIZERS.length; p++) if ((key & NEED_MASK[p]!) === NEED_MASK[p]!) out.push(p);
    list = Int16Array.from(out);
    ACTIVE[key] = list;
  }
  return list;
}

/**
 * The context gates of the recognizers that need a digit (the identifiers', each a plain expression),
 * joined into one: on a line with a number long enough for several of them, one scan answers "no gate
 * passes" for all, and a gate is asked on its own only when the joined one finds something (the join
 * passes wherever one of its parts does, so no recognizer is skipped that the gate alone would keep).
 */
const DIGIT_GATES = RECOGNIZERS.filter(
  (r) => r.needs === "digit" && r.contextGate && r.contextGate.flags === "" && !/\\[1-9k]|\(\?</.test(r.contextGate.source.replaceAll("(?<!", "").replaceAll("(?<=", "")),
).map((r) => r.contextGate!);
/**
 * The joined expression is walked once per text, from every place it matches (stepping one character on,
 * so overlapping matches are seen); at each such place the gates not yet passed are asked there alone
 * (sticky). A gate matches somewhere exactly when the join matches at that place, so this gives every
 * gate's own answer from one walk: where the join passes, session 18 asked each gate again over the whole
 * text (a document's most common case).
 */
const SHARED_GATE = DIGIT_GATES.length > 1 ? new RegExp(DIGIT_GATES.map((g) => `(?:${g.source})`).join("|"), "g") : undefined;
const GATE_AT = DIGIT_GATES.map((g) => new RegExp(g.source, "y"));
/** Per recognizer: its context gate is NAME_STEM_GATE, so the tokenizer's walk has answered it (same source and flags). */
const NAME_STEM_GATED = Uint8Array.from(RECOGNIZERS, (r) => (r.contextGate?.source === NAME_STEM_GATE.source && r.contextGate.flags === NAME_STEM_GATE.flags ? 1 : 0));
/** Per recognizer: its gate's index in `DIGIT_GATES` (-1: not joined). */
const SHARED_GATE_OF = Int8Array.from(RECOGNIZERS, (r) => (SHARED_GATE && r.contextGate ? DIGIT_GATES.indexOf(r.contextGate) : -1));
const gatePassed = new Uint8Array(DIGIT_GATES.length);
let sharedGateStamp = 0;
function sharedGatePasses(text: string, gate: number): boolean {
  if (sharedGateStamp !== analyzeStamp) {
    sharedGateStamp = analyzeStamp;
    gatePassed.fill(0);
    const re = SHARED_GATE!;
    let left = DIGIT_GATES.length;
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null && left > 0; m = re.exec(text)) {
      const at = m.index;
      for (let g = 0; g < GATE_AT.length; g++) {
        if (gatePassed[g] === 1) continue;
        const one = GATE_AT[g]!;
        one.lastIndex = at;
        if (one.test(text)) {
          gatePassed[g] = 1;
          left--;
        }
      }
      re.lastIndex = at + 1;
    }
  }
  return gatePassed[gate] === 1;
}

/** Whether recognizer `r` (at `priority`) passes its context gate on `text` (joined with others where it can be). */
function gatePasses(r: Plan, priority: number, text: string): boolean {
  if (NAME_STEM_GATED[priority]) return sawNameStem;
  const joined = SHARED_GATE_OF[priority]!;
  return joined >= 0 ? sharedGatePasses(text, joined) : r.contextGate!.test(text);
}

/** For tests: per joined gate, [its answer from the one walk, its own expression's answer] on `text`. */
export function joinedGateAnswers(text: string): Array<[boolean, boolean]> {
  if (!SHARED_GATE) return [];
  // A stamp no call has: the walk runs for this text, and the next `analyze` (a new stamp) walks again.
  sharedGateStamp = -1;
  const out = DIGIT_GATES.map((g, i): [boolean, boolean] => [sharedGatePasses(text, i), g.test(text)]);
  sharedGateStamp = -1;
  return out;
}

/**
 * What the recognizer loop reads of each recognizer, in one shape: the recognizers are object literals with
 * different sets of fields, so a field read on "the current recognizer" saw ~60 shapes and went through
 * V8's megamorphic look-up (tens of ns) — a dozen reads per recognizer, fifty recognizers per line with
 * digits. Copies made by one constructor, every field present, make each read one offset.
 */
class Plan {
  readonly id: string;
  readonly entity: string;
  readonly pattern: RegExp;
  readonly prefilter: RegExp | undefined;
  readonly group: number;
  readonly trim: ((text: string) => number) | undefined;
  readonly costly: boolean;
  readonly score: number;
  readonly validate: ((text: string, before: string) => number | null | undefined) | undefined;
  readonly context: readonly string[] | undefined;
  readonly negativeContext: readonly string[] | undefined;
  readonly requireContext: boolean;
  readonly contextGate: RegExp | undefined;
  readonly fallback: { entity: string; score: number } | undefined;
  readonly cueTokens: Recognizer["cueTokens"];
  readonly unverified: boolean;
  /** The prefilter's set in `PRESCAN` (-1: the prefilter keeps its own expression, or there is none). */
  readonly prefilterSet: number;
  /** For a prefilter that keeps its expression: the set in `PRESCAN` one of whose literals each of its matches holds (-1: none). */
  readonly requiredSet: number;
  constructor(
    readonly source: Recognizer,
    prefilterSet: number,
    requiredSet: number,
  ) {
    this.id = source.id;
    this.entity = source.entity;
    this.pattern = source.pattern;
    this.prefilter = source.prefilter;
    this.group = source.group ?? 0;
    this.trim = source.trim;
    this.costly = source.costly === true;
    this.score = source.score;
    this.validate = source.validate;
    this.context = source.context;
    this.negativeContext = source.negativeContext;
    this.requireContext = source.requireContext === true;
    this.contextGate = source.contextGate;
    this.fallback = source.fallback;
    this.cueTokens = source.cueTokens;
    this.unverified = source.unverified === true;
    this.prefilterSet = prefilterSet;
    this.requiredSet = requiredSet;
  }
}
/**
 * The prefilters that are finite sets of literals, one set per distinct expression (several recognizers
 * share one), all found by one walk over the text (`prescan.ts`) instead of one expression per window.
 */
const PREFILTER_LITERALS: string[][] = [];
/** The set of `PREFILTER_LITERALS` that `read` gives `re` (-1: none), read once per distinct expression. */
function walkedSetOf(known: Map<RegExp, number>, re: RegExp, read: (re: RegExp) => string[] | undefined): number {
  let set = known.get(re);
  if (set === undefined) {
    const literals = read(re);
    set = literals ? PREFILTER_LITERALS.push(literals) - 1 : -1;
    known.set(re, set);
  }
  return set;
}
const PREFILTER_SETS = new Map<RegExp, number>();
function prefilterSetOf(re: RegExp | undefined): number {
  return re ? walkedSetOf(PREFILTER_SETS, re, literalsOf) : -1;
}
/**
 * A prefilter that is no finite set of literals often still needs one of a few words in every match (the
 * street types of "12, rue …", the verbs of "…, said"): that set joins the walk too, and on a line a window
 * without one of its words skips the expression (which still decides where one is found).
 */
const REQUIRED_SETS = new Map<RegExp, number>();
function requiredSetOf(re: RegExp | undefined): number {
  return re && prefilterSetOf(re) < 0 ? walkedSetOf(REQUIRED_SETS, re, requiredLiteralsOf) : -1;
}
const PLAN = RECOGNIZERS.map((r) => new Plan(r, prefilterSetOf(r.prefilter), requiredSetOf(r.prefilter)));
const PRESCAN = new LiteralScan(PREFILTER_LITERALS);
/**
 * Texts up to this length (a line) are walked once for every literal prefilter; longer ones keep one
 * expression per window: a paragraph's or a document's windows are a small part of it, and the walk over
 * all of it in JavaScript cost more than the engine's passes over the windows (17-19 % slower on the
 * benchmark's paragraphs and documents).
 */
const PRESCAN_UP_TO = 256;
/** Whether `PRESCAN` holds the current text's occurrences (reset per `analyze` call). */
let prescanned = false;

const NO_WORDS: readonly string[] = [];
/** The default options, shared (a default `{}` was an object per call). */
const NO_OPTIONS: AnalyzeOptions = Object.freeze({});
const windowsOfKind: Array<Span[] | undefined> = WINDOW_KINDS.map(() => undefined);
const lowerNearOfKind: Array<string[] | undefined> = WINDOW_KINDS.map(() => undefined);

/**
 * Finds PII in a text: every recognizer's candidates are validated, scored with context, filtered by
 * the threshold, and overlaps resolved (higher score, then longer span, then recognizer order).
 */
/** Whole-text prefilter results of the current `analyze` call (several recognizers share one). */
const prefilterSeen: RegExp[] = [];
const prefilterResult: boolean[] = [];
let prefilters = 0;
function prefilterOnce(re: RegExp, text: string): boolean {
  for (let i = 0; i < prefilters; i++) if (prefilterSeen[i] === re) return prefilterResult[i]!;
  const v = re.test(text);
  prefilterSeen[prefilters] = re;
  prefilterResult[prefilters++] = v;
  return v;
}

/**
 * Whether a match of score ≥ 0.85 in `found` spans [start, end) (a costly recognizer skips such
 * candidates). Scanning `found` per candidate was quadratic on a long text of many numbers; here the
 * matches are added once each (in the order found) to a Fenwick tree over start offsets that keeps the
 * furthest end, so a question costs log(text length). The tree belongs to one `analyze` call: `coverFor`
 * is that call's `found`.
 */
let coverFor: unknown[] | undefined;
let coverTree = new Int32Array(256);
let coverSize = 0;
let coverAdded = 0;
function coveredByConfirmed(found: ReadonlyArray<PiiMatch>, length: number, start: number, end: number): boolean {
  if (coverFor !== found) {
    coverFor = found as unknown[];
    coverSize = length + 1;
    if (coverTree.length < coverSize + 1) coverTree = new Int32Array(coverSize + 1);
    coverTree.fill(-1, 0, coverSize + 1);
    coverAdded = 0;
  }
  const tree = coverTree;
  const n = coverSize;
  for (; coverAdded < found.length; coverAdded++) {
    const f = found[coverAdded]!;
    if (f.score < 0.85) continue;
    for (let i = f.start + 1; i <= n; i += i & -i) if (tree[i]! < f.end) tree[i] = f.end;
  }
  let furthest = -1;
  for (let i = Math.min(start + 1, n); i > 0; i -= i & -i) if (tree[i]! > furthest) furthest = tree[i]!;
  return furthest >= end;
}

export function analyze(input: string, options: AnalyzeOptions = NO_OPTIONS): PiiMatch[] {
  // Tokenizing notes a backslash; only then can the text hold escaped breaks (one pass for most texts).
  let text = input;
  let any = tokenize(text);
  if (sawBackslash || sawFullWidth) {
    // Both keep every offset: a full-width form is one unit like its ASCII twin, an escape two like " \n".
    text = unescapeBreaks(sawFullWidth ? text.replace(FULL_WIDTH, halfWidth) : text);
    if (text !== input) any = tokenize(text);
  }
  prefilters = 0;
  prescanned = false;
  const threshold = options.threshold ?? 0.5;
  const only = options.entities ? new Set(options.entities) : undefined;
  const extra = options.context ?? NO_WORDS;
  const found: Array<PiiMatch & { priority: number }> = [];
  // This call's windows and their lower-cased surroundings per window kind (reused arrays, cleared here).
  const windows = windowsOfKind;
  const lowerNear = lowerNearOfKind;
  for (let w = 0; w < WINDOW_KINDS.length; w++) {
    windows[w] = undefined;
    lowerNear[w] = undefined;
  }
  let lower: string | undefined;
  const active = activeFor(any);
  let cueKey = -1;
  let cueSpans: Span[] | undefined;
  let textDigits = -1;
  if (++analyzeStamp === 0x7fffffff) {
    // Wrapped: no old stamp may equal a new one.
    for (const a of windowFigureStamp) a.fill(0);
    kindStamp.fill(0);
    sharedGateStamp = 0;
    analyzeStamp = 1;
  }
  for (let a = 0; a < active.length; a++) {
    const priority = active[a]!;
    const r = PLAN[priority]!;
    if (only && !only.has(r.entity) && !(r.fallback && only.has(r.fallback.entity))) continue;
    const follows = FOLLOWS_CAPITAL[priority];
    if (follows && !capitalFollowedBy(text, follows)) continue;
    let spans = WHOLE;
    const w = WINDOW_OF[priority]!;
    if (w >= 0) {
      const p = WINDOW_PARAMS[w]!;
      spans = windows[w] ??= windowsOf(text, p[0], p[1], p[2], p[3], w === CAPS ? tokenIsGivenName : undefined);
      if (spans.length === 0) continue;
    } else if (r.cueTokens) {
      // Only around capitals that may follow a cue (the pre-test, which every match passes, per window).
      // Recognizers with the same reach share one set of windows per text.
      const key = r.cueTokens.before * 16 + r.cueTokens.after;
      if (cueKey !== key) {
        cueKey = key;
        cueSpans = cueWindows(text, r.cueTokens);
      }
      spans = cueSpans!;
      if (spans.length === 0) continue;
    }
    // Before any gate or context test: no window (or text) has enough digits or a long enough run for
    // any match of the pattern. The figures are per window kind and text, shared by every recognizer.
    const need = MIN_DIGITS[priority]!;
    const run = MIN_RUN[priority]!;
    if (need > 0 || run > 0) {
      if (w >= 0) {
        if ((need > 0 && !someWindowReaches(text, DIGITS, w, spans, need)) || (run > 0 && !someWindowReaches(text, RUN, w, spans, run))) continue;
      } else if (spans === WHOLE && need > 0) {
        if (textDigits < 0) textDigits = tokenizedDigits;
        if (textDigits < need) continue;
      }
    }
    // After the windows: most lines have none, and then this look at the tokens is not needed.
    const endsWith = ENDS_WITH[priority];
    if (endsWith && !capitalEndsWith(text, endsWith)) continue;
    // A recognizer that needs context cannot match when no context word is anywhere near.
    // Sites / per-window tests: in a long text one context word somewhere must not send every
    // candidate of the text through the context look-up, only those it can be near.
    let sites: number[] | undefined;
    let aroundOf: string[] | undefined;
    if (r.requireContext && !(r.fallback && r.fallback.score >= threshold)) {
      if (spans === WHOLE) {
        // The gate first: it spares lower-casing the whole text.
        if (r.contextGate && extra.length === 0 && !gatePasses(r, priority, text)) continue;
        lower ??= text.toLowerCase();
        if (!mentions(r.source, lower, extra)) continue;
        if (extra.length === 0 && lower.length === text.length) sites = contextSites(r.source, lower);
      } else {
        // Both tests must pass, in either order. In a long text the windows' own context test goes first:
        // most texts have no context word near any window, and then the gate's walk over the whole text is
        // not needed. On a line the gate's walk is shorter than lower-casing the windows' surroundings.
        const gateFirst = text.length <= PRESCAN_UP_TO;
        if (gateFirst && r.contextGate && extra.length === 0 && !gatePasses(r, priority, text)) continue;
        lowerNear[w] ??= lowerAround(text, spans);
        if (!mentionsNear(r.source, lowerNear[w], extra)) continue;
        if (!gateFirst && r.contextGate && extra.length === 0 && !gatePasses(r, priority, text)) continue;
        if (extra.length === 0 && spans.length > 1) aroundOf = lowerNear[w];
      }
    }
    for (let k = 0; k < spans.length; k++) {
      // Index access: array destructuring builds an iterator per window.
      const span0 = spans[k]!;
      const ws = span0[0];
      const we = span0[1];
      // Every candidate in this window has its context inside the window's surroundings.
      if (aroundOf) {
        const re = contextParts(r.source, "");
        if (!re.test(aroundOf[k]!)) continue;
      }
      // Too few digits here for any match of the pattern (a date's window cannot hold a card number).
      if (need > 0 && (w >= 0 ? windowFigure(text, w, DIGITS, k, ws, we) : spans === WHOLE ? textDigits : digitsIn(text, ws, we)) < need) continue;
      // No run of letters and digits as long as every match holds (a date's window cannot hold a fiscal code).
      if (
        run > 0 &&
        (w >= 0 ? windowFigure(text, WINDOW_KINDS.length + w, RUN, k, ws, we) : longestRunIn(text, spans === WHOLE ? 0 : ws, spans === WHOLE ? text.length : we)) < run
      )
        continue;
      const line = text.length <= PRESCAN_UP_TO;
      const set = line ? r.prefilterSet : -1;
      // The prefilter's own literals, or (when it keeps its expression) the literals its matches need.
      const walked = line ? (set >= 0 ? set : r.requiredSet) : -1;
      if (walked >= 0) {
        if (!prescanned) {
          PRESCAN.scan(text);
          prescanned = true;
        }
        if (!(spans === WHOLE ? PRESCAN.anywhere(walked) : PRESCAN.within(walked, ws, we))) continue;
      }
      const sub = spans === WHOLE || (ws === 0 && we === text.length) ? text : text.slice(ws, we);
      if (set < 0 && r.prefilter && !(spans === WHOLE ? prefilterOnce(r.prefilter, text) : r.prefilter.test(sub))) continue;
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
        if (r.costly && coveredByConfirmed(found, text.length, start, end)) continue;
        let score = r.score;
        let entity = r.entity;
        if (r.validate) {
          const v = r.validate(span, text.slice(Math.max(0, start - 24), start));
          if (v === null) continue;
          if (v !== undefined) score = v;
        }
        // Even a context word could not lift it to the threshold: skip the context look-up.
        if (!r.fallback && Math.min(1, Math.max(score + (r.context ? CONTEXT_BOOST : 0), r.context ? CONTEXT_FLOOR : 0)) < threshold) continue;
        // No context word can be near: the look-up below would drop it.
        if (sites && !siteWithin(sites, start - 82, end + 42)) continue;
        if (r.context || r.negativeContext) {
          const { words, before } = surroundings(text, start, end);
          if (r.negativeContext && hasContext(r.negativeContext, words.slice(0, before).slice(-3), " ", [])) continue;
          // A checksum-failing value needs its context word in front ("card 4111…", "IBAN DE…"): a word
          // after it names the next field ("account 123456789 and routing number …").
          const ctx = r.context ? hasContext(r.context, r.unverified ? words.slice(0, before) : words, undefined, extra) : false;
          if (ctx) score = Math.min(1, Math.max(score + CONTEXT_BOOST, CONTEXT_FLOOR));
          else if (r.requireContext) {
            if (!r.fallback) continue;
            entity = r.fallback.entity;
            score = r.fallback.score;
          }
        }
        if (score < threshold) continue;
        if (only && !only.has(entity)) continue;
        const match: PiiMatch & { priority: number } = { entity, start, end, score: Math.round(score * 100) / 100, recognizer: r.id, priority };
        if (r.unverified) match.checksumValid = false;
        found.push(match);
      }
    }
  }
  // The tagger reads only capitalised runs and their neighbours; sentences that open with a common word
  // and hold no other capital ("The model was …") are not read at all (most prose never reaches it).
  if ((!only || only.has("PERSON")) && any & UPPER) {
    const regions = personRegions(text);
    if (regions > 0) personModel(text, found, threshold, regions);
  }
  if (!only || only.has("PERSON")) {
    // The passes that only trim, drop or spread what was found have nothing to do on a text without a
    // candidate (most lines); the two that add a name read capitalised tokens only.
    if (found.length > 0) {
      germanNouns(text, found);
      dropEponyms(text, found);
      dropNotNames(text, found);
    }
    if (any & UPPER) {
      lonePublicFigures(text, found, threshold);
      if (GENITIVE_SCORE >= threshold) germanGenitives(text, found);
    }
    if (found.length > 0) {
      sameNameElsewhere(text, found, threshold);
      coordinatedNames(text, found, threshold);
      dropPlacesAndOrganisations(text, found);
      dropClinicalNames(text, found);
    }
    // Only in social text (a mention: a word that opens with "@"): elsewhere the per-word look-up would
    // cost every text a lexicon probe per word (documents with an e-mail address too), for names that
    // prose capitalises anyway.
    if (LOWER_NAME_SCORE >= threshold && any & AT && hasMention(text)) lowerNames(text, found);
  }
  return resolveOverlaps(found);
}

const PUBLIC_FIGURE_SCORE = 0.7;
/** Words before a lone public surname that make it something else: articles ("the Trump administration",
 * "des Engels", "el Picasso") and, without a possessive, place prepositions ("in Darwin"). */
const ARTICLE_BEFORE = new Set("the a an der die das des dem den ein eine einer eines einem einen le la les un une el los las lo il gli uno una".split(" "));
const PLACE_WORD_BEFORE = new Set("in at near nach aus en à".split(" "));

/**
 * A public figure's surname standing alone ("Trump used a pseudonym", "criticize Trump when", "die Rede
 * Mussolinis"): the tagger gives such a word little chance where English rarely puts a name, and the
 * lists' lone-surname rule waits for a preposition. `PUBLIC_SURNAMES` holds no everyday word, so the
 * word is enough, unless it belongs to a longer capitalised run ("Trump Tower", "Churchill Downs"; a
 * run's own rules decide), follows an article or a place preposition, or is joined to another word
 * ("Hitler-Jugend"). Only capitalised tokens are looked at, with a hash look-up each.
 */
function lonePublicFigures(text: string, found: Array<PiiMatch & { priority: number }>, threshold: number): void {
  if (PUBLIC_FIGURE_SCORE < threshold) return;
  const up = listed[UPPER_LIST]!;
  const ups = listedCount[UPPER_LIST]!;
  let overlaps: ((start: number, end: number) => number[]) | undefined;
  for (let j = 0; j < ups; j++) {
    const t = up[j]!;
    const tokenEnd = ends[t]!;
    let start = starts[t]!;
    let opened = false;
    while (start < tokenEnd && isOpeningMark(text.charCodeAt(start))) {
      start++;
      opened = true;
    }
    if (!isNameStart(text.charCodeAt(start)) || !mayBePublicSurnameAt(text, start)) continue;
    let end = start + 1;
    while (end < tokenEnd && isLowerLetter(text.charCodeAt(end))) end++;
    if (end - start < 3) continue;
    let after = end;
    let possessive = false;
    const c = text.charCodeAt(after);
    if (after + 1 < tokenEnd && (c === 39 || c === 0x2019) && text.charCodeAt(after + 1) === 115) {
      after += 2;
      possessive = true;
    }
    let closed = false;
    while (after < tokenEnd && isClosingMark(text.charCodeAt(after))) {
      after++;
      closed = true;
    }
    if (after < tokenEnd) continue;
    const f = tokenFacts(text, t);
    const known = factsFrom[t] === start && factsTo[t] === end;
    if (!(known ? isPublicSurnameFact(f) : isPublicSurnameAt(text, start, end))) {
      // A genitive without an apostrophe: German "Mussolinis Rede", tweets' "Trumps response".
      if (end - start < 5 || text.charCodeAt(end - 1) !== 115 || !isPublicSurnameAt(text, start, end - 1)) continue;
      possessive = true;
    }
    // The next word capitalised: a longer run, unless the name owns it ("Hitlers Machtergreifung").
    if (!closed && !possessive && t + 1 < count && !(bits[t + 1]! & NL_BEFORE) && isNameStart(text.charCodeAt(starts[t + 1]!))) continue;
    if (!opened && t > 0 && !(bits[t]! & NL_BEFORE) && !lonePublicFigureBefore(text, starts[t - 1]!, ends[t - 1]!, possessive)) continue;
    overlaps ??= overlapIndex(found);
    if (overlaps(start, end).length > 0) continue;
    found.push({ entity: "PERSON", start, end, score: PUBLIC_FIGURE_SCORE, recognizer: "person-public", priority: RECOGNIZERS.length });
  }
}

/** The token before a lone public surname lets it stand alone: a clause boundary, a sentence opener or a plain word that is no article. */
function lonePublicFigureBefore(text: string, start: number, end: number, possessive: boolean): boolean {
  if (isClosingMark(text.charCodeAt(end - 1)) || text.charCodeAt(end - 1) === 45) return true;
  const word = text.slice(start, end).toLowerCase();
  // A capitalised word before: a longer name the run's rules decide, unless the surname is a genitive
  // after its noun ("die Rede Mussolinis") or the word opens the sentence ("When Trump …").
  if (isNameStart(text.charCodeAt(start))) return possessive || NOT_NAMES.has(word) || CLAUSE_OPENERS.has(word);
  if (ARTICLE_BEFORE.has(word)) return false;
  return possessive || !PLACE_WORD_BEFORE.has(word);
}
/** Opening quotes and brackets before a word. */
function isOpeningMark(c: number): boolean {
  return c === 34 || c === 39 || c === 40 || c === 91 || c === 0x201c || c === 0x2018 || c === 0xab || c === 0x201e;
}
/** Closing punctuation after a word: . , ; : ! ? quotes, brackets, an ellipsis. */
function isClosingMark(c: number): boolean {
  return (
    c === 46 ||
    c === 44 ||
    c === 59 ||
    c === 58 ||
    c === 33 ||
    c === 63 ||
    c === 34 ||
    c === 39 ||
    c === 41 ||
    c === 93 ||
    c === 0x201d ||
    c === 0x2019 ||
    c === 0xbb ||
    c === 0x2026
  );
}

const GENITIVE_SCORE = 0.6;
/**
 * German writes a name's genitive with a bare "s" before the noun it owns: "Bushs Parteikollegen",
 * "Zabels Entscheidung", "Kádárs Werke". A capitalised word ending in "s" followed by a capitalised
 * word, whose stem a name list knows (and that is no listed word itself), on a German line, is that
 * person. Only capitalised tokens ending in "s" are looked at.
 */
function germanGenitives(text: string, found: Array<PiiMatch & { priority: number }>): void {
  const up = listed[UPPER_LIST]!;
  const ups = listedCount[UPPER_LIST]!;
  const before = found.length;
  for (let j = 0; j < ups; j++) {
    const t = up[j]!;
    if (t + 1 >= count || !(bits[t + 1]! & UPPER)) continue;
    const start = starts[t]!;
    const end = ends[t]!;
    // One plain word of at least four letters before the "s", nothing after it.
    if (end - start < 5 || text.charCodeAt(end - 1) !== 115 || !isNameStart(text.charCodeAt(start))) continue;
    let plain = true;
    for (let i = start + 1; i < end && plain; i++) plain = isLowerLetter(text.charCodeAt(i));
    if (!plain || !inNameList(text, start, end - 1) || inNameList(text, start, end) || isKnownNonPerson(text.slice(start, end - 1))) continue;
    // "des Landes Rheinland-Pfalz", "Mangels Übergangsvorschrift": an everyday word's genitive, not a name's.
    if (afterDeterminer(text, start) || isEverydayGermanWord(text.slice(start, end))) continue;
    let taken = false;
    for (let i = 0; i < before && !taken; i++) taken = found[i]!.start < end && start < found[i]!.end;
    if (taken || !isGermanAround(text, start, end)) continue;
    found.push({ entity: "PERSON", start, end, score: GENITIVE_SCORE, recognizer: "person-genitive", priority: RECOGNIZERS.length });
  }
}
function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 0xc0 && c <= 0xde && c !== 0xd7);
}
function isLowerLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 0xdf && c <= 0xff && c !== 0xf7) || (c >= 0x100 && c <= 0x17f);
}

/** Person recognizers that read a name off its shape or the tagger, with no cue word before it. */
const SHAPE_ONLY = new Set(["person-list", "person-model", "person-speaker"]);
const isNameIn = (text: string) => (s: number, e: number) => inNameList(text, s, e);

/**
 * In German text a capital marks every noun: a name found by shape alone loses its everyday words at
 * either end, and is dropped when nothing but everyday words is left (see german.ts). A name after a
 * title, an introduction or a cue is left as it is.
 */
function germanNouns(text: string, found: Array<PiiMatch & { priority: number }>): void {
  let isName: ((s: number, e: number) => boolean) | undefined;
  const n = found.length;
  for (let i = 0; i < n; i++) {
    const f = found[i]!;
    if (f.entity !== "PERSON" || !SHAPE_ONLY.has(f.recognizer) || f.score === 0) continue;
    isName ??= isNameIn(text);
    // Most names stay whole whatever the language ("John Smith"): no parts, no reading of the line.
    if (germanUnchanged(text, f.start, f.end, isName) && !(f.recognizer === "person-model" && isSingleWord(text, f.start, f.end) && !isName(f.start, f.end))) continue;
    let parts = germanNameParts(text, f.start, f.end, isName);
    // The tagger learnt from English that a lone capitalised word mid-sentence is a name; in German
    // it is a noun. Alone, only a word a name list knows stays ("Schlatter" is lost, "Umsatz" is not found).
    if (f.recognizer === "person-model") parts = parts.filter(([s, e]) => !isSingleWord(text, s, e) || isName!(s, e));
    // Nothing would change ("John Smith"): the language of the line need not be read.
    if (parts.length === 1 && parts[0]![0] === f.start && parts[0]![1] === f.end) continue;
    if (!isGermanAround(text, f.start, f.end)) continue;
    if (parts.length === 0) {
      // Nothing of it is a name: no match (score 0 is dropped below).
      f.score = 0;
      continue;
    }
    [f.start, f.end] = parts[0]!;
    for (let k = 1; k < parts.length; k++) found.push({ ...f, start: parts[k]![0], end: parts[k]![1] });
  }
  for (let i = found.length - 1; i >= 0; i--) if (found[i]!.score === 0 && found[i]!.entity === "PERSON") found.splice(i, 1);
}

function isSingleWord(text: string, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) return false;
  return true;
}

/** Rule recognizers whose names are guesses from word lists and shape (not cues): the tagger may overrule them. */
const GUESSES = new Set(["person-list", "person-speaker"]);

/**
 * The trained tagger's names (see tagger.ts). Its spans join the rules' with its probability as the
 * score; overlaps are resolved like any other (higher score wins).
 */
function personModel(text: string, found: Array<PiiMatch & { priority: number }>, threshold: number, regions: number): void {
  const guessed = found.some((f) => GUESSES.has(f.recognizer));
  const looked: TaggedSpan[] | undefined = guessed ? [] : undefined;
  const spans = tagPersons(text, looked, regionBuf, regions);
  if (looked) {
    // A gazetteer guess ("Israel", "Barcelona", "Santa Fe") whose every word the tagger, reading the
    // words around it, gives a low chance of being a name is dropped.
    for (let i = found.length - 1; i >= 0; i--) {
      const f = found[i]!;
      if (!GUESSES.has(f.recognizer)) continue;
      let p = -1;
      // Tokens come in text order and never overlap, so their ends rise too: start at the first token
      // ending after the guess starts (a scan of every token per guess is quadratic on long inputs).
      for (let j = firstEndingAfter(looked, f.start); j < looked.length && looked[j]!.start < f.end; j++) p = Math.max(p, looked[j]!.score);
      // Lone words are where places and teams hide ("Israel", "Barcelona"); a longer guess is dropped only
      // when every word is known from training as a place or an organisation only ("Santa Fe", "Real Madrid").
      const words = text.slice(f.start, f.end).split(/\s+/);
      if (words.length === 1 ? (p >= 0 && p < VETO) || isKnownNonPerson(words[0]!) : words.every(isKnownNonPerson)) found.splice(i, 1);
    }
  }
  const overlaps = overlapIndex(found);
  for (const s of spans) {
    if (s.score < threshold) continue;
    // A name right before a house number, after an address word, is a street's name ("lives on … Joaquin
    // Suarez 2906"); without one it is a name in a results table ("Brett Liddle 70 68").
    if (HOUSE_NUMBER_AFTER.test(text.slice(s.end, s.end + 12)) && ADDRESS_BEFORE.test(text.slice(Math.max(0, s.start - 60), s.start))) continue;
    let keep = true;
    for (const i of overlaps(s.start, s.end)) {
      if (!keep) break;
      const f = found[i]!;
      // Formats and addresses are precise: the tagger does not overrule them.
      if (f.entity !== "PERSON") keep = false;
      else if (f.start <= s.start && s.end <= f.end) {
        // Score fusion: a rule's name the tagger also found keeps the rule's extent, with the higher score.
        f.score = Math.max(f.score, Math.round(s.score * 100) / 100);
        keep = false;
      }
    }
    if (keep) found.push({ entity: "PERSON", start: s.start, end: s.end, score: Math.round(s.score * 100) / 100, recognizer: "person-model", priority: RECOGNIZERS.length });
  }
}

/** Index of the first span (in text order, not overlapping) whose end lies after `pos`. */
function firstEndingAfter(spans: readonly { end: number }[], pos: number): number {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (spans[mid]!.end > pos) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Whether a token of the last tokenized text opens with "@" ("@USER12", "@ SpursOfficial"): a post that mentions someone. */
function hasMention(text: string): boolean {
  const list = listed[listOf(AT)]!;
  const n = listedCount[listOf(AT)]!;
  for (let j = 0; j < n; j++) if (text.charCodeAt(starts[list[j]!]!) === 64) return true;
  return false;
}
/** Lower-case full names ("kelly johnson"), which no capital brings to the tagger; see `lowerCaseFullNames`. */
function lowerNames(text: string, found: Array<PiiMatch & { priority: number }>): void {
  const overlaps = overlapIndex(found);
  const names = lowerCaseFullNames(
    text,
    starts,
    ends,
    (t) => (bits[t]! & (DIGIT | AT | URL | UPPER)) === 0,
    (t) => (bits[t]! & NL_BEFORE) !== 0,
    count,
    (s, e) => overlaps(s, e).length > 0,
  );
  for (const { start, end } of names) found.push({ entity: "PERSON", start, end, score: LOWER_NAME_SCORE, recognizer: "person-lower", priority: RECOGNIZERS.length });
}

/**
 * The matches found before the tagger's that overlap a span, as indices in ascending order, so the first
 * that decides is the same as in a scan of all of them. Sorted by start under a tree of the largest end in each
 * range, a query visits only ranges holding a match that reaches the span: O((answer + 1) · log n). (A running
 * maximum walked back was quadratic when one long match — a model's 400-word "name" on a line of names —
 * kept every earlier range within reach.)
 */
function overlapIndex(found: readonly { start: number; end: number }[]): (start: number, end: number) => number[] {
  const order = found.map((_, i) => i).sort((a, b) => found[a]!.start - found[b]!.start || a - b);
  let size = 1;
  while (size < order.length) size *= 2;
  const maxEnd = new Float64Array(2 * size).fill(-1);
  for (let k = 0; k < order.length; k++) maxEnd[size + k] = found[order[k]!]!.end;
  for (let v = size - 1; v >= 1; v--) maxEnd[v] = Math.max(maxEnd[2 * v]!, maxEnd[2 * v + 1]!);
  return (start, end) => {
    // Matches at order positions below `lo` start before the span ends.
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (found[order[mid]!]!.start < end) lo = mid + 1;
      else hi = mid;
    }
    const hits: number[] = [];
    const visit = (v: number, from: number, to: number): void => {
      if (from >= lo || maxEnd[v]! <= start) return;
      if (v >= size) {
        hits.push(order[v - size]!);
        return;
      }
      const mid = (from + to) >>> 1;
      visit(2 * v, from, mid);
      visit(2 * v + 1, mid, to);
    };
    visit(1, 0, size);
    return hits.sort((a, b) => a - b);
  };
}
const HOUSE_NUMBER_AFTER = /^[ \t]*,?[ \t]+\d/;
const ADDRESS_BEFORE = /\b(?:address|lives?|living|located|residence|resides|street|moved|via|rua|avenida|calle|rue|avenue|ul)\b/i;
/** Below this chance of being a name, a one-word gazetteer guess is dropped (chosen on CoNLL testa/testb). */
const VETO = 0.1;

/** Score of a name found again: below the match it came from. */
const SAME_NAME_SCORE = 0.6;
// One more capital after a lower-case letter may follow: "DiCaprio", "McCourt" (see `propagatableNamePart`).
const CAPITALISED_WORD = /(?<![\p{L}\p{N}@.])[\p{Lu}](?:[\p{Ll}'’]*|[\p{Ll}'’]+[\p{Lu}][\p{Ll}'’]*)[\p{Ll}](?![\p{L}\p{N}])/gu;

/**
 * A person is named in full once and by one part afterwards ("directed by Nelma Grönholm and starring
 * Grönholm", "Salem Bitar … Bitar saved"): a capitalised word equal to a part of a name found in the
 * same text is that person too, unless something else was found there.
 */
function sameNameElsewhere(text: string, found: Array<PiiMatch & { priority: number }>, threshold: number): void {
  if (SAME_NAME_SCORE < threshold) return;
  let parts: Set<string> | undefined;
  // Parts known only from a guess read off the shape alone ("El Gobierno", "Libertades Fundamentales"), not
  // from a cue or a run holding a given name ("Angela Merkel"): they spread to at most GUESS_SPREAD more
  // places, or to none. In a long document one wrong guess would otherwise name every later "Gobierno".
  let guessed: Set<string> | undefined;
  // Made on the first part (most texts have no person to spread).
  let cued: Set<string> | undefined;
  // Surnames (a name's last word, or a lone name; not a given name) of trusted matches: German writes their genitive with a
  // bare "s" ("Angela Merkel … Merkels Kurs", "die Regierung Mussolinis"), found again below on German lines.
  let owners: Set<string> | undefined;
  // Surnames that are also common words, of trusted full names ("George Bush" … "Bush"): found again only
  // where their capital is not a sentence's.
  let common: Set<string> | undefined;
  for (const f of found) {
    if (f.entity !== "PERSON" || f.score < SAME_NAME_SCORE) continue;
    const words = text.slice(f.start, f.end).split(/\s+/);
    const trusted = !SHAPE_ONLY.has(f.recognizer) || words.some((w) => isGivenNameAt(w, 0, w.length));
    if (trusted && words.length > 1) {
      const c = commonWordSurname(words[words.length - 1]!);
      if (c) {
        common ??= new Set();
        common.add(c);
      }
    }
    for (let i = 0; i < words.length; i++) {
      const n = propagatableNamePart(words[i]!);
      // A group's or a calendar word inside a guessed name ("All Jews", "Aryan Laws") names nobody elsewhere.
      if (!n || isNotAName(words[i]!)) continue;
      parts ??= new Set();
      parts.add(n);
      // Not a given name: "Karls", "Oscars" are more often a place's or a thing's first part than a person.
      if (trusted && i === words.length - 1 && n.length >= GENITIVE_STEM_MIN && !isGivenNameAt(words[i]!, 0, n.length)) {
        owners ??= new Set();
        owners.add(n);
      }
      if (trusted) {
        cued ??= new Set();
        cued.add(n);
      } else {
        guessed ??= new Set();
        guessed.add(n);
      }
    }
  }
  if (!parts && !common) return;
  parts ??= new Set();
  if (guessed && cued) for (const n of cued) guessed.delete(n);
  const pending = new Map<string, number[]>();
  const add = (part: string, start: number, end: number) => {
    if (!guessed?.has(part)) found.push({ entity: "PERSON", start, end, score: SAME_NAME_SCORE, recognizer: "person-same-name", priority: RECOGNIZERS.length });
    else {
      const at = pending.get(part) ?? [];
      if (at.length <= 2 * GUESS_SPREAD) at.push(start, end);
      pending.set(part, at);
    }
  };
  // The matches found so far, by position: a word's overlap test must not walk every one of them (on one
  // long line naming the same person thousands of times that walk was quadratic).
  const overlaps = overlapIndex(found);
  // (length, first letter) of every part: most capitalised tokens of a long text (sentence openers)
  // are ruled out by these two numbers, before any string is made.
  const shapes = new Set<number>();
  for (const p of parts) shapes.add(p.length * 128 + (p.charCodeAt(0) & 127));
  // The same for the genitives of `owners`, one letter longer.
  let genitiveShapes: Set<number> | undefined;
  if (owners) {
    genitiveShapes = new Set();
    for (const p of owners) genitiveShapes.add((p.length + 1) * 128 + (p.charCodeAt(0) & 127));
  }
  if (common) for (const p of common) shapes.add(p.length * 128 + (p.charCodeAt(0) & 127));
  const up = listed[UPPER_LIST]!;
  const ups = listedCount[UPPER_LIST]!;
  // A capitalised word lies inside one whitespace token with a capital: only those tokens (with the
  // character each side, for the look-arounds) are searched, not the whole of a long document.
  for (let j = 0; j < ups; j++) {
    const t = up[j]!;
    const plain = plainWordLength(text, starts[t]!, ends[t]!);
    if (plain >= 0) {
      // One A–Z capital and a–z letters (maybe one closing mark): the only capitalised word is those letters.
      if (plain < 2) continue;
      const shape = plain * 128 + (text.charCodeAt(starts[t]!) | 32);
      const start = starts[t]!;
      const end = start + plain;
      if (shapes.has(shape)) {
        const part = text.slice(start, end).toLowerCase();
        if (parts.has(part)) {
          if (overlaps(start, end).length === 0) add(part, start, end);
          continue;
        }
        if (common && commonSurnameAt(text, common, part, start)) {
          if (overlaps(start, end).length === 0) found.push({ entity: "PERSON", start, end, score: SAME_NAME_SCORE, recognizer: "person-same-name", priority: RECOGNIZERS.length });
          continue;
        }
      }
      if (genitiveShapes?.has(shape) && ownedGenitive(text, owners!, text.slice(start, end), start, end) && overlaps(start, end).length === 0)
        found.push({ entity: "PERSON", start, end, score: SAME_NAME_SCORE, recognizer: "person-same-name", priority: RECOGNIZERS.length });
      continue;
    }
    const base = Math.max(0, starts[t]! - 1);
    const piece = text.slice(base, Math.min(text.length, ends[t]! + 1));
    CAPITALISED_WORD.lastIndex = 0;
    for (let m = CAPITALISED_WORD.exec(piece); m !== null; m = CAPITALISED_WORD.exec(piece)) {
      const word = m[0].replace(/['’]s$/, "");
      const part = word.toLowerCase();
      const start = base + m.index;
      const end = start + word.length;
      if (!parts.has(part)) {
        if (((owners && ownedGenitive(text, owners, word, start, end)) || (common && commonSurnameAt(text, common, part, start))) && overlaps(start, end).length === 0)
          found.push({ entity: "PERSON", start, end, score: SAME_NAME_SCORE, recognizer: "person-same-name", priority: RECOGNIZERS.length });
        continue;
      }
      if (overlaps(start, end).length === 0) add(part, start, end);
    }
  }
  for (const at of pending.values()) {
    if (at.length > 2 * GUESS_SPREAD) continue;
    for (let i = 0; i < at.length; i += 2)
      found.push({ entity: "PERSON", start: at[i]!, end: at[i + 1]!, score: SAME_NAME_SCORE, recognizer: "person-same-name", priority: RECOGNIZERS.length });
  }
}
/** A German bare-"s" genitive of one of `owners` (found surnames) on a German line, and no everyday word. */
function ownedGenitive(text: string, owners: ReadonlySet<string>, word: string, start: number, end: number): boolean {
  return word.charCodeAt(word.length - 1) === 115 && owners.has(word.slice(0, -1).toLowerCase()) && !isEverydayGermanWord(word) && isGermanAround(text, start, end);
}
/** One of `common` (found surnames that are also words) where its capital is a name's: no sentence's, no longer name's. */
function commonSurnameAt(text: string, common: ReadonlySet<string>, part: string, start: number): boolean {
  return common.has(part) && !mayOpenSentence(text, start) && !nextToCapital(text, start, start + part.length);
}
/**
 * Whether a capital at `start` may be a sentence's or a heading's rather than a name's: first on its line, or
 * after an end mark, a colon, a quote, a bracket or a dash. Abbreviations count too ("Mr. Bush" is a title's).
 */
function mayOpenSentence(text: string, start: number): boolean {
  let i = start - 1;
  while (i >= 0 && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i--;
  return i < 0 || OPENS_AFTER.has(text.charCodeAt(i));
}
/**
 * Whether a capitalised word touches another across spaces: then it is part of a longer proper name ("Bay
 * Bridge", "Harvard Law School", "White House", the song "Love Yourself").
 */
function nextToCapital(text: string, start: number, end: number): boolean {
  let i = start - 1;
  while (i >= 0 && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i--;
  if (i < start - 1 && i >= 0 && isLetterCode(text.charCodeAt(i)) && isUpper(text.charCodeAt(wordStartBefore(text, i)))) return true;
  let j = end;
  while (j < text.length && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j++;
  return j > end && j < text.length && isUpper(text.charCodeAt(j));
}
/** The first character of the word that ends at `i` (letters only). */
function wordStartBefore(text: string, i: number): number {
  while (i > 0 && isLetterCode(text.charCodeAt(i - 1))) i--;
  return i;
}
const OPENS_AFTER = new Set([..."\n\r.!?:;\"“”„«»‹›'‘’([{—–-*•¿¡"].map((c) => c.charCodeAt(0)));
/** The shortest surname whose bare-"s" genitive is read as its bearer ("Kohls" yes, "Ems" no). */
const GENITIVE_STEM_MIN = 4;
/** How many more places a part known only from a shape guess may name (see `sameNameElsewhere`). */
const GUESS_SPREAD = 5;

/** A lone capitalised word joined to a name by "and" in one of the five languages, after or before it. */
const AND_AFTER = /^[ \t]*(?:,[ \t]*)?(?:y|e|und|et|and)[ \t]+([\p{Lu}][\p{Ll}'’-]*[\p{Ll}])(?![\p{L}\p{N}])(?![ \t]+[\p{Lu}])/u;
const CONJUNCTION_AFTER = /^[ \t]*,?[ \t]*(?:y|e|und|et|and)[ \t]/;
const CONJUNCTION_BEFORE = /[ \t](?:y|e|und|et|and)[ \t]+$/;
const AND_BEFORE = /(?<![\p{L}\p{N}][ \t]*|[\p{Lu}][\p{L}'’-]*[ \t]+)([\p{Lu}][\p{Ll}'’-]*[\p{Ll}])[ \t]+(?:y|e|und|et|and)[ \t]*$/u;

/**
 * Names are listed together: "entre Putin y Lukashenko", "Méndez y Cardozo", "Kohl und Genscher". A
 * lone capitalised word joined by "and" to a person found here is a person too, unless it is something
 * else by the same tests as a speaker's (country, office, German noun, known place or organisation).
 */
function coordinatedNames(text: string, found: Array<PiiMatch & { priority: number }>, threshold: number): void {
  if (SAME_NAME_SCORE < threshold) return;
  const before = found.length;
  for (let i = 0; i < before; i++) {
    const f = found[i]!;
    if (f.entity !== "PERSON" || f.score < SAME_NAME_SCORE) continue;
    // A look at the few characters each side first: most names stand alone, and the patterns cost more.
    if (CONJUNCTION_AFTER.test(text.slice(f.end, f.end + 7))) {
      const after = AND_AFTER.exec(text.slice(f.end, f.end + 48));
      if (after) addCoordinated(found, text, f.end + after.index + after[0].length - after[1]!.length, after[1]!, after[0].includes("und"));
    }
    // Only a name found with a cue or in full opens a list: a lone list name (0.6) may be a noun ("Romane").
    if (f.score > SAME_NAME_SCORE && (text.charCodeAt(f.end) === 44 || text.charCodeAt(f.end + 1) === 44)) listedNames(text, found, f.end);
    if (CONJUNCTION_BEFORE.test(text.slice(Math.max(0, f.start - 6), f.start))) {
      const head = text.slice(Math.max(0, f.start - 48), f.start);
      const ahead = AND_BEFORE.exec(head);
      if (ahead) addCoordinated(found, text, f.start - head.length + ahead.index, ahead[1]!, ahead[0].includes("und"));
    }
  }
}
/**
 * A list that a found name opens and a conjunction closes: "onorevoli von Wogau, Langen, Rapkay,
 * Jonckheer e la Commissione", "Rack, Swoboda und Koch". Each lone capitalised word between commas is
 * a person by the same tests as a coordinated one; without the closing conjunction ("Smith, Springfield,
 * IL") nothing is added. The word after the conjunction is left to the "and" rule.
 */
// An item ends at a word's end: otherwise "Guilbeau, Monday at 11" reads as the item "Monda" and the Spanish "y".
const LIST_AFTER = /^[ \t]*((?:,[ \t]*[\p{Lu}][\p{Ll}'’-]*[\p{Ll}](?![\p{L}\p{N}])[ \t]*){1,8}),?[ \t]*(?:y|e|und|et|and|sowie)[ \t]/u;
const LIST_ITEM = /[\p{Lu}][\p{Ll}'’-]*[\p{Ll}](?![\p{L}\p{N}])/gu;
function listedNames(text: string, found: Array<PiiMatch & { priority: number }>, from: number): void {
  const list = LIST_AFTER.exec(text.slice(from, from + 160));
  if (!list) return;
  const base = from + list.index + list[0].indexOf(list[1]!);
  let last = false;
  LIST_ITEM.lastIndex = 0;
  for (let m = LIST_ITEM.exec(list[1]!); m !== null; m = LIST_ITEM.exec(list[1]!)) last = addCoordinated(found, text, base + m.index, m[0], false);
  const end = base + list[1]!.trimEnd().length;
  const after = last ? AND_AFTER.exec(text.slice(end, end + 48)) : null;
  if (after) addCoordinated(found, text, end + after.index + after[0].length - after[1]!.length, after[1]!, after[0].includes("und"));
}
/** Endings of German plural and abstract nouns ("Musikkritiken", "Leistungen"): after "und", not a name. */
const GERMAN_NOUN_ENDING = /(?:en|ern|ung|heit|keit|schaft|tion|tät|ik|ie|nis|chen)$/;
/** Adds the word as a person unless it is something else; true when it is one (found now or before). */
function addCoordinated(found: Array<PiiMatch & { priority: number }>, text: string, start: number, word: string, und: boolean): boolean {
  const end = start + word.length;
  for (let i = 0; i < found.length; i++) if (found[i]!.start < end && start < found[i]!.end) return found[i]!.entity === "PERSON";
  // "Elizabeth and Bonaröd 15": a word before a house number is a street.
  if (HOUSE_NUMBER_AFTER.test(text.slice(end, end + 12))) return false;
  if (und && GERMAN_NOUN_ENDING.test(word) && !inNameList(text, start, end)) return false;
  if (notALoneName(word)) return false;
  found.push({ entity: "PERSON", start, end, score: SAME_NAME_SCORE, recognizer: "person-and", priority: RECOGNIZERS.length });
  return true;
}

/**
 * The length of the letters of a token that is one A–Z capital followed by a–z letters, maybe ending in
 * one of . , ; : ! ? ("However,", "Smith."); -1 for any other token (the general search reads those).
 */
function plainWordLength(text: string, s: number, e: number): number {
  const c0 = text.charCodeAt(s);
  if (!(c0 >= 65 && c0 <= 90)) return -1;
  const last = text.charCodeAt(e - 1);
  if (e - s > 1 && (last === 46 || last === 44 || last === 59 || last === 58 || last === 33 || last === 63)) e--;
  for (let i = s + 1; i < e; i++) {
    const c = text.charCodeAt(i);
    if (!(c >= 97 && c <= 122)) return -1;
  }
  return e - s;
}

/** For tests: whether `input` passes the `tokenEndsWith` pre-test of `r` (true when it has none). */
export function tokenEndsWithPasses(input: string, r: Recognizer): boolean {
  const text = unescapeBreaks(input);
  tokenize(text);
  const words = ENDS_WITH[RECOGNIZERS.indexOf(r)];
  return !words || capitalEndsWith(text, words);
}

/** For tests: [start, end) of each match a cue-token recognizer's pattern finds in its windows. */
export function cueWindowMatches(input: string, r: Recognizer): Array<[number, number]> {
  const text = unescapeBreaks(input);
  tokenize(text);
  const out: Array<[number, number]> = [];
  if (!r.cueTokens) return out;
  for (const [ws, we] of cueWindows(text, r.cueTokens)) {
    const sub = text.slice(ws, we);
    if (r.prefilter && !r.prefilter.test(sub)) continue;
    r.pattern.lastIndex = 0;
    for (let m = r.pattern.exec(sub); m !== null; m = r.pattern.exec(sub)) out.push([ws + m.index, ws + m.index + m[0].length]);
  }
  return out;
}

/**
 * For tests: candidates of a context-requiring recognizer that have a context word but that the
 * shortcuts (context sites for whole-text recognizers, per-window tests for windowed ones) would have
 * skipped. Must always be empty.
 */
export function contextShortcutMisses(input: string, r: Recognizer): string[] {
  const text = unescapeBreaks(input);
  tokenize(text);
  const misses: string[] = [];
  if (!r.requireContext || !r.context) return misses;
  const w = r.window ? WINDOW_KINDS.indexOf(r.window) : -1;
  let spans: Span[] = [[0, text.length]];
  if (w >= 0) {
    const [cls, gap, extend, min] = WINDOWS[WINDOW_KINDS[w]!];
    spans = windowsOf(text, cls, gap, extend, min, w === CAPS ? tokenIsGivenName : undefined);
  }
  const lower = text.toLowerCase();
  const sites = w < 0 && lower.length === text.length ? contextSites(r, lower) : undefined;
  const around = w >= 0 ? lowerAround(text, spans) : undefined;
  spans.forEach(([ws, we], k) => {
    const sub = text.slice(ws, we);
    r.pattern.lastIndex = 0;
    for (let m = r.pattern.exec(sub); m !== null; m = r.pattern.exec(sub)) {
      if (m[0].length === 0) r.pattern.lastIndex++;
      const span = r.group ? m[r.group] : m[0];
      if (!span?.trim()) continue;
      const start = ws + (r.group ? m.index + Math.max(0, m[0].lastIndexOf(span)) : m.index) + (span.length - span.trimStart().length);
      const end = start + span.trim().length;
      const { words } = surroundings(text, start, end);
      if (!hasContext(r.context!, words, undefined, [])) continue;
      if (sites && !siteWithin(sites, start - 82, end + 42)) misses.push(text.slice(start, end));
      if (around && !contextParts(r, "").test(around[k]!)) misses.push(text.slice(start, end));
    }
  });
  return misses;
}

/**
 * Escaped line breaks and tabs ("\\n", "\\t", "\\r" as two characters, as in JSON strings written to logs)
 * separate words like the characters they stand for: "Phone:\\n06-93941926" is a phone number after a phone
 * word, not "nPhone" and "n06". A space and the character itself keep every offset the same, so
 * matches index the input.
 */
function unescapeBreaks(text: string): string {
  return text.indexOf("\\") < 0 ? text : text.replace(ESCAPED_BREAK, (e) => ` ${e[1] === "n" ? "\n" : e[1] === "t" ? "\t" : "\r"}`);
}
const ESCAPED_BREAK = /\\[nrt]/g;

/**
 * Full-width ASCII forms (U+FF01–U+FF5E), which CJK typesetting and evasion both produce ("ＤＮＩ １２３４５６７８Ｚ"),
 * read as their ASCII twins (Unicode's compatibility mapping, NFKC, for this block): a value typed in them is
 * the same value.
 */
const FULL_WIDTH = /[\uFF01-\uFF5E]/g;
const halfWidth = (c: string): string => String.fromCharCode(c.charCodeAt(0) - 0xfee0);

function resolveOverlaps(found: Array<PiiMatch & { priority: number }>): PiiMatch[] {
  // Most texts have no match or one: no sort, and no object rest (a runtime call per match).
  if (found.length === 0) return [];
  if (found.length === 1) return [withoutPriority(found[0]!)];
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
    kept.splice(lo, 0, withoutPriority(f));
  }
  return kept;
}
/** A reported match: every field of a found one but its recognizer's priority, in the same order. */
function withoutPriority(f: PiiMatch & { priority: number }): PiiMatch {
  const m: PiiMatch = { entity: f.entity, start: f.start, end: f.end, score: f.score, recognizer: f.recognizer };
  if (f.checksumValid === false) m.checksumValid = false;
  return m;
}

export { ENTITIES };
