import { inflateSync } from "node:zlib";
import { FNV, fnvStep, HashTable, hashLower, hashLowerAt, lowerCode } from "./hash.js";
import { AMBIGUOUS, BOTH, GIVEN, SURNAME } from "./name-data.js";
import { GIVEN_NAMES, PUBLIC_SURNAMES, SURNAMES } from "./names.js";
import { CLAUSE_OPENERS, isGivenKind, NOT_NAMES, nameKinds, publicSurnames } from "./person.js";
import MODEL from "./person-model.json" with { type: "json" };
import { STREET_WORDS } from "./street.js";

/**
 * A statistical person-name tagger: a structured (averaged) perceptron over BIO tags, decoded with
 * Viterbi, trained by scripts/pii-train-tagger.ts on CoNLL-2003 English train (see docs/data.md).
 *
 * Only runs of capitalised tokens can be names (every other token is O by construction, in training
 * and here), so a text costs one pass over its characters plus a few dozen hashed features per
 * capitalised token. Features are FNV-1a hashes of the token's characters mixed with a template id,
 * folded into 2^bits buckets; nothing allocates per token except the arrays reused between calls.
 */

export const TAGS = 3;
export const O = 0;
export const B = 1;
export const I = 2;

export interface TaggerModel {
  bits: number;
  /** 3×3 transitions prev→cur, then 3 "end of run" weights (cur→O after the run). */
  trans: number[];
  scale: number;
  /** Softmax temperature for span probabilities (chosen on the development set). */
  temperature: number;
  /** base64 of the deflated int8 weights, bucket-major (3 per bucket). */
  weights: string;
  /** base64 of sorted uint32 hashes of words that name only places, organisations or things in training. */
  notPersons: string;
}

// ---------------------------------------------------------------------------------------------
// Tokens: words (with inner hyphens and apostrophes, not a possessive 's), initials and abbreviations
// with their dot, numbers, single punctuation marks, as CoNLL-2003 tokenises news text.

/** Token buffers of the last `tokenize` call (reused; `tagPersons` is synchronous). */
export let tokStart = new Int32Array(256);
export let tokEnd = new Int32Array(256);
/** Bit 1: capitalised, 2: all capitals, 4: sentence-initial, 8: has a digit, 16: punctuation, 32: line break before. */
export let tokFlags = new Uint8Array(256);
export let tokCount = 0;

const F_CAP = 1;
const F_ALLCAPS = 2;
const F_INITIAL = 4;
const F_DIGIT = 8;
const F_PUNCT = 16;
/** A line break between this token and the one before: neighbour features stop there. */
const F_BREAK = 32;

function isLetterCode(c: number): boolean {
  if (c < 128) return (c | 32) >= 97 && (c | 32) <= 122;
  return c >= 0xc0 && c !== 0xd7 && c !== 0xf7 && LETTER.test(String.fromCharCode(c));
}
const LETTER = /[\p{L}\p{M}]/u;
function isUpperCode(c: number): boolean {
  if (c < 128) return c >= 65 && c <= 90;
  return c >= 0xc0 && UPPER.test(String.fromCharCode(c));
}
const UPPER = /\p{Lu}/u;
/** White space as JavaScript's \s knows it. */
function isSpace(c: number): boolean {
  return (
    c <= 32 ||
    c === 0xa0 ||
    (c > 0x167f && (c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff))
  );
}
function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

function push(s: number, e: number, f: number): void {
  if (tokCount === tokStart.length) {
    const n = tokCount * 2;
    const a = new Int32Array(n);
    a.set(tokStart);
    tokStart = a;
    const b = new Int32Array(n);
    b.set(tokEnd);
    tokEnd = b;
    const c = new Uint8Array(n);
    c.set(tokFlags);
    tokFlags = c;
  }
  tokStart[tokCount] = s;
  tokEnd[tokCount] = e;
  tokFlags[tokCount] = f;
  tokCount++;
}

/** Splits `text` into tokens (into the shared buffers). Returns the number of capitalised tokens. */
export function tokenize(text: string): number {
  tokCount = 0;
  return tokenizeRange(text, 0, text.length);
}

/**
 * Appends the tokens of `text.slice(from, to)` (offsets into `text`) to the shared buffers; returns the
 * number of capitalised tokens. A range after another starts with a break, so neighbour features never
 * reach across the gap between ranges.
 */
function tokenizeRange(text: string, from: number, to: number): number {
  let caps = 0;
  const n = to;
  let i = from;
  let sentenceStart = true;
  let lineBreak = tokCount > 0;
  while (i < n) {
    let c = text.charCodeAt(i);
    if (isSpace(c)) {
      if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) {
        sentenceStart = true;
        lineBreak = true;
      }
      i++;
      continue;
    }
    const s = i;
    let f = (sentenceStart ? F_INITIAL : 0) | (lineBreak ? F_BREAK : 0);
    lineBreak = false;
    if (isLetterCode(c) || isDigitCode(c)) {
      let upper = 0;
      let lower = 0;
      let letters = 0;
      for (; i < n; i++) {
        c = text.charCodeAt(i);
        if (isDigitCode(c)) f |= F_DIGIT;
        else if (isLetterCode(c)) {
          letters++;
          if (isUpperCode(c)) upper++;
          else lower++;
        } else if ((c === 45 || c === 39 || c === 0x2019 || c === 38) && i + 1 < n && (isLetterCode(text.charCodeAt(i + 1)) || isDigitCode(text.charCodeAt(i + 1)))) {
          // An inner hyphen, ampersand or apostrophe joins ("Jean-Pierre", "O'Neill", "AT&T"); a possessive does not.
          if (c !== 45 && c !== 38 && (text.charCodeAt(i + 1) | 32) === 115 && !(i + 2 < n && isLetterCode(text.charCodeAt(i + 2)))) break;
        } else if (c === 46 && letters <= 3 && upper > 0 && i + 1 <= n) {
          // "U.S.", "J.", "Mr.", "St.": a short capitalised word keeps its dot when another letter or a space follows.
          const d = i + 1 < n ? text.charCodeAt(i + 1) : 32;
          if (isLetterCode(d) && letters === 1) continue;
          if (isSpace(d) && (letters === 1 || text.charCodeAt(i - 2) === 46 || ABBREV.has(text.slice(s, i)))) {
            i++;
            break;
          }
          break;
        } else break;
      }
      if (upper > 0 && isUpperCode(text.charCodeAt(s))) {
        f |= F_CAP;
        caps++;
        if (lower === 0) f |= F_ALLCAPS;
      }
      sentenceStart = false;
    } else {
      i++;
      f |= F_PUNCT;
      // A full stop, question or exclamation mark ends a sentence; a colon starts a new clause.
      sentenceStart = c === 46 || c === 63 || c === 33 || c === 58;
    }
    push(s, i, f);
  }
  return caps;
}
const ABBREV = new Set([
  "Mr",
  "Mrs",
  "Ms",
  "Dr",
  "St",
  "Jr",
  "Sr",
  "Mt",
  "Ft",
  "Gen",
  "Col",
  "Lt",
  "Sgt",
  "Capt",
  "Rev",
  "Gov",
  "Sen",
  "Rep",
  "Prof",
  "Inc",
  "Co",
  "Corp",
  "Ltd",
  "No",
]);

// ---------------------------------------------------------------------------------------------
// Hashes.

export { hashLower };

/** Per-token hashes: lower-cased word, exact word, shape, prefixes 1–3, suffixes 1–4. */
let hWord = new Int32Array(256);
let hExact = new Int32Array(256);
let hShape = new Int32Array(256);
let hPre = new Int32Array(256 * 3);
let hSuf = new Int32Array(256 * 4);
let kind = new Uint8Array(256);
/** `hashedIn[t] === generation`: token t of the current text is hashed (tokens are hashed on demand). */
let hashedIn = new Int32Array(256);
let generation = 0;
let current = "";

function ensure(n: number): void {
  if (hWord.length >= n) return;
  const m = Math.max(n, hWord.length * 2);
  hWord = new Int32Array(m);
  hExact = new Int32Array(m);
  hShape = new Int32Array(m);
  hPre = new Int32Array(m * 3);
  hSuf = new Int32Array(m * 4);
  kind = new Uint8Array(m);
  hashedIn = new Int32Array(m);
  slotOf = new Int32Array(m);
  wordOf = new Array(m).fill(undefined);
}

/** Hashes tokens [a, b] of the current text that are not hashed yet. */
function need(a: number, b: number): void {
  for (let t = Math.max(0, a); t <= b && t < tokCount; t++) {
    if (hashedIn[t] === generation) continue;
    hashToken(current, t);
    hashedIn[t] = generation;
  }
}

/**
 * Words recur (a name, a form's field labels, a sentence's opening word), and a token's hashes, its
 * lexicon kind and the weights of its own features depend on its characters alone: they are kept per
 * word in a direct-mapped cache keyed by the exact hash, the word itself stored to rule out collisions.
 * A hit costs one hash pass and a compare instead of three passes, a lexicon probe and (in
 * `tagPersons`) ~15 random reads of the weight table.
 */
const CACHE_SLOTS = 4096;
const cacheText: Array<string | undefined> = new Array(CACHE_SLOTS).fill(undefined);
const cacheWord = new Int32Array(CACHE_SLOTS);
const cacheShape = new Int32Array(CACHE_SLOTS);
const cachePre = new Int32Array(CACHE_SLOTS * 3);
const cacheSuf = new Int32Array(CACHE_SLOTS * 4);
const cacheKind = new Uint8Array(CACHE_SLOTS);
/** Summed weights (O, B, I) of the word's own features, not sentence-initial then sentence-initial. */
const cacheLocal = new Int32Array(CACHE_SLOTS * 6);
/** Bit 1: the not-initial sums are filled, 2: the initial ones (cleared when the slot changes word). */
const cacheLocalReady = new Uint8Array(CACHE_SLOTS);
/** The cache slot of token t, and the word it held then (a later token may take the slot over). */
let slotOf = new Int32Array(256);
let wordOf: Array<string | undefined> = new Array(256).fill(undefined);

let cacheOn = true;

/** For tests: turns the word cache off (every token read from its characters) or on, emptied. */
export function useWordCache(on: boolean): void {
  cacheOn = on;
  cacheText.fill(undefined);
  cacheLocalReady.fill(0);
}

/** Hashes token t of `text` into the per-token arrays (from the word cache when it holds the word). */
function hashToken(text: string, t: number): void {
  const s = tokStart[t]!;
  const e = tokEnd[t]!;
  let he = FNV;
  for (let i = s; i < e; i++) he = fnvStep(he, text.charCodeAt(i));
  hExact[t] = he;
  if (!cacheOn) {
    slotOf[t] = -1;
    hashChars(text, t, s, e);
    return;
  }
  const slot = he & (CACHE_SLOTS - 1);
  const cached = cacheText[slot];
  slotOf[t] = slot;
  if (cached !== undefined && cached.length === e - s && text.startsWith(cached, s)) {
    wordOf[t] = cached;
    hWord[t] = cacheWord[slot]!;
    hShape[t] = cacheShape[slot]!;
    for (let k = 0; k < 3; k++) hPre[t * 3 + k] = cachePre[slot * 3 + k]!;
    for (let k = 0; k < 4; k++) hSuf[t * 4 + k] = cacheSuf[slot * 4 + k]!;
    kind[t] = cacheKind[slot]!;
    return;
  }
  hashChars(text, t, s, e);
  const word = text.slice(s, e);
  wordOf[t] = word;
  cacheText[slot] = word;
  cacheWord[slot] = hWord[t]!;
  cacheShape[slot] = hShape[t]!;
  for (let k = 0; k < 3; k++) cachePre[slot * 3 + k] = hPre[t * 3 + k]!;
  for (let k = 0; k < 4; k++) cacheSuf[slot * 4 + k] = hSuf[t * 4 + k]!;
  cacheKind[slot] = kind[t]!;
  cacheLocalReady[slot] = 0;
}

/** Reads token t's characters `text[s, e)`: lower-case word, shape, prefix and suffix hashes, lexicon kind. */
function hashChars(text: string, t: number, s: number, e: number): void {
  let hl = FNV;
  let hs = FNV;
  let lastShape = -1;
  let shapeLen = 0;
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i);
    hl = fnvStep(hl, lowerCode(c));
    if (i - s < 3) hPre[t * 3 + (i - s)] = hl;
    // Shape: X upper, x lower, d digit, the character itself otherwise; runs of one class collapse to two.
    const sc = isDigitCode(c) ? 100 : isUpperCode(c) ? 88 : isLetterCode(c) ? 120 : c;
    if (sc === lastShape) shapeLen++;
    else shapeLen = 1;
    if (shapeLen <= 2) hs = fnvStep(hs, sc);
    lastShape = sc;
  }
  for (let k = e - s; k < 3; k++) hPre[t * 3 + k] = hl;
  hWord[t] = hl;
  hShape[t] = hs;
  for (let k = 1; k <= 4; k++) {
    let h = FNV ^ (k * 7919);
    for (let i = Math.max(s, e - k); i < e; i++) h = fnvStep(h, lowerCode(text.charCodeAt(i)));
    hSuf[t * 4 + k - 1] = h;
  }
  kind[t] = lexiconKind(hl >>> 0);
}

// ---------------------------------------------------------------------------------------------
// Gazetteer and cue words, keyed by the lower-case hash (no strings per token).

const K_NONE = 0;
const K_GIVEN = 1;
const K_SURNAME = 2;
const K_BOTH = 3;
const K_AMBIGUOUS = 4;
const K_STOP = 5;
const K_TITLE = 6;
const K_SPEECH = 7;
const K_PARTICLE = 8;

/**
 * One table for every list a capitalised word is looked up in: per hash a byte holding the tagger's kind
 * (K_*, low four bits), the person lists' kind (`nameKinds()`, three bits from PERSON_SHIFT) and whether
 * it is a public figure's surname (PUBLIC_SURNAME). The analyzer asks all three of the same sentence
 * opener; one probe of one table costs less than a probe of three.
 */
const TAGGER_KIND = 15;
const PERSON_SHIFT = 4;
const PUBLIC_SURNAME = 128;
let lexicon: HashTable | undefined;
function lexiconKind(h: number): number {
  return wordFacts(h) & TAGGER_KIND;
}
/** The merged byte of a lower-case hash (see TAGGER_KIND); 0 for a word no list holds. */
export function wordFacts(h: number): number {
  if (!lexicon) {
    const m = new HashTable(60_000);
    const add = (words: Iterable<string>, k: number) => {
      for (const w of words) if (w) m.set(hashLower(w), k);
    };
    add(SURNAME.split(" "), K_SURNAME);
    add(SURNAMES, K_SURNAME);
    // Public figures' surnames only where no list says more (a given name stays one: "Hugo", "Abbas").
    for (const w of PUBLIC_SURNAMES) if (!m.get(hashLower(w))) m.set(hashLower(w), K_SURNAME);
    add(GIVEN.split(" "), K_GIVEN);
    for (const w of GIVEN_NAMES) {
      const h2 = hashLower(w);
      m.set(h2, m.get(h2) === K_SURNAME ? K_BOTH : K_GIVEN);
    }
    add(BOTH.split(" "), K_BOTH);
    add(AMBIGUOUS.split(" "), K_AMBIGUOUS);
    add(NOT_NAMES, K_STOP);
    add(
      "mr mr. mrs mrs. ms ms. dr dr. prof prof. sir madam lord lady president minister chancellor premier senator governor judge coach captain general colonel king queen prince princess pope rev rev. sen. gov. gen. col. capt. lt. sgt. striker midfielder defender goalkeeper".split(
        " ",
      ),
      K_TITLE,
    );
    add("said says told asked replied added shouted wrote explained according".split(" "), K_SPEECH);
    add("van von de der den del della di da du la le dos das ter ten bin ibn al".split(" "), K_PARTICLE);
    nameKinds().forEach((h2, k) => {
      m.set(h2, m.get(h2) | (k << PERSON_SHIFT));
    });
    publicSurnames().forEach((h2) => {
      m.set(h2, m.get(h2) | PUBLIC_SURNAME);
    });
    lexicon = m;
  }
  return lexicon.get(h);
}
/** Whether a `wordFacts` byte is a name the lists know as a given name or surname (what `inNameList` answers). */
export function isListedName(facts: number): boolean {
  const k = facts & TAGGER_KIND;
  return k === K_GIVEN || k === K_SURNAME || k === K_BOTH;
}
/** Whether a `wordFacts` byte is a given name to the person lists (what `isGivenNameAt` answers). */
export function isGivenNameFact(facts: number): boolean {
  return isGivenKind((facts >> PERSON_SHIFT) & 7);
}
/** Whether a `wordFacts` byte is a public figure's surname (what `isPublicSurnameAt` answers). */
export function isPublicSurnameFact(facts: number): boolean {
  return (facts & PUBLIC_SURNAME) !== 0;
}

// ---------------------------------------------------------------------------------------------
// Features of token t: bucket indexes written into `out` from `at`; returns the new end.

export const MAX_FEATURES = 64;

function mix(template: number, h: number): number {
  let x = Math.imul(h ^ Math.imul(template, 0x9e3779b1), 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * Features of token t of the last tokenized text; `runLen`/`runPos` describe its capitalised run. The
 * token's own features come first (`localFeatures`), then those of its run and neighbours
 * (`contextFeatures`); a sum of weights does not depend on their order.
 */
export function features(t: number, runLen: number, runPos: number, out: Int32Array, at: number, mask: number): number {
  return contextFeatures(t, runLen, runPos, out, localFeatures(t, out, at, mask), mask);
}

/**
 * The features that read token t alone (its characters and whether it opens a sentence): the same for
 * every occurrence of a word in that position, so `tagPersons` keeps their summed weights per word.
 * The module's buffers are read into locals first: a module variable is loaded through the module
 * context on every use.
 */
function localFeatures(t: number, out: Int32Array, at: number, mask: number): number {
  const word = hWord;
  const pre = hPre;
  const suf = hSuf;
  let k = at;
  const tk = kind[t]!;
  const shape = hShape[t]!;
  const initial = tokFlags[t]! & F_INITIAL ? 1 : 0;
  out[k++] = mix(1, 0) & mask;
  out[k++] = mix(2, word[t]!) & mask;
  out[k++] = mix(3, hExact[t]!) & mask;
  out[k++] = mix(4, shape) & mask;
  out[k++] = mix(5, pre[t * 3]!) & mask;
  out[k++] = mix(6, pre[t * 3 + 1]!) & mask;
  out[k++] = mix(7, pre[t * 3 + 2]!) & mask;
  for (let j = 0; j < 4; j++) out[k++] = mix(8 + j, suf[t * 4 + j]!) & mask;
  out[k++] = mix(12, tk) & mask;
  out[k++] = mix(13, initial * 131 + tk) & mask;
  out[k++] = mix(14, initial * 7919 + shape) & mask;
  if (initial) out[k++] = mix(17, word[t]!) & mask;
  return k;
}

/** The features of token t that read its run and its neighbours (two tokens each side, within a line). */
function contextFeatures(t: number, runLen: number, runPos: number, out: Int32Array, at: number, mask: number): number {
  const word = hWord;
  const shapes = hShape;
  const kinds = kind;
  const flags = tokFlags;
  const suf = hSuf;
  let k = at;
  const tk = kinds[t]!;
  const shape = shapes[t]!;
  const run = Math.min(runLen, 4) * 16 + Math.min(runPos, 3);
  out[k++] = mix(15, run) & mask;
  out[k++] = mix(16, run * 31 + tk) & mask;
  // Neighbours: words, shapes and kinds, two each side.
  // Line breaks bound the neighbourhood (a sentence per line in training; headers, lists, cells here).
  const n = tokCount;
  let lo = t;
  while (lo > t - 2 && lo > 0 && !(flags[lo]! & F_BREAK)) lo--;
  let hi = t;
  while (hi < t + 2 && hi + 1 < n && !(flags[hi + 1]! & F_BREAK)) hi++;
  for (let d = -2; d <= 2; d++) {
    if (d === 0) continue;
    const u = t + d;
    const base = 20 + (d + 2) * 8;
    if (u < lo || u > hi) {
      out[k++] = mix(base, 0x5151) & mask;
      continue;
    }
    out[k++] = mix(base + 1, word[u]!) & mask;
    out[k++] = mix(base + 2, shapes[u]!) & mask;
    out[k++] = mix(base + 3, kinds[u]!) & mask;
    if (d === -1 || d === 1) {
      out[k++] = mix(base + 4, mix(word[u]!, shape)) & mask;
      out[k++] = mix(base + 5, mix(kinds[u]!, tk)) & mask;
      out[k++] = mix(base + 6, suf[u * 4 + 2]!) & mask;
    }
  }
  // Pair of this word and the next / previous word.
  if (t + 1 <= hi) out[k++] = mix(60, mix(word[t]!, word[t + 1]!)) & mask;
  if (t - 1 >= lo) out[k++] = mix(61, mix(word[t - 1]!, word[t]!)) & mask;
  return k;
}

/**
 * Summed weights (O, B, I, unscaled integers) of token t's own features into `out[at..at+2]`, from the
 * word cache when the token's slot still holds its word.
 */
function localSums(table: CompactWeights, t: number, mask: number, out: Int32Array, at: number): void {
  const slot = slotOf[t]!;
  const bit = tokFlags[t]! & F_INITIAL ? 2 : 1;
  const at6 = slot * 6 + (bit === 2 ? 3 : 0);
  const owned = slot >= 0 && cacheText[slot] === wordOf[t];
  if (owned && cacheLocalReady[slot]! & bit) {
    out[at] = cacheLocal[at6]!;
    out[at + 1] = cacheLocal[at6 + 1]!;
    out[at + 2] = cacheLocal[at6 + 2]!;
    return;
  }
  const n = localFeatures(t, localScratch, 0, mask);
  sumWeights(table, localScratch, 0, n, out, at);
  if (!owned) return;
  cacheLocal[at6] = out[at]!;
  cacheLocal[at6 + 1] = out[at + 1]!;
  cacheLocal[at6 + 2] = out[at + 2]!;
  cacheLocalReady[slot] = cacheLocalReady[slot]! | bit;
}
const localScratch = new Int32Array(MAX_FEATURES);

// ---------------------------------------------------------------------------------------------
// Runs: maximal sequences of capitalised tokens (lower-case particles inside: "Dick van Dyke").

/** Fills `runs` with [first, last] token pairs (flat); returns how many runs. */
export function findRuns(runs: Int32Array): number {
  let r = 0;
  let t = 0;
  while (t < tokCount) {
    if (!(tokFlags[t]! & F_CAP)) {
      t++;
      continue;
    }
    let last = t;
    let u = t + 1;
    while (u < tokCount && !(tokFlags[u]! & F_BREAK)) {
      if (tokFlags[u]! & F_CAP) {
        last = u;
        u++;
        continue;
      }
      // Up to two lower-case particles before a capitalised word ("van de Noort", "de la Cruz").
      let v = u;
      while (v < u + 2 && v < tokCount && !(tokFlags[v]! & (F_CAP | F_PUNCT | F_DIGIT)) && tokEnd[v]! - tokStart[v]! <= 4) {
        need(v, v);
        if (kind[v] !== K_PARTICLE) break;
        v++;
      }
      if (v > u && v < tokCount && tokFlags[v]! & F_CAP && !(tokFlags[v]! & F_BREAK)) u = v;
      else break;
    }
    if (2 * r + 1 < runs.length) {
      runs[2 * r] = t;
      runs[2 * r + 1] = last;
      r++;
    }
    t = last + 1;
  }
  return r;
}

/** Starts a text: the last tokenized one; its tokens are hashed on demand. */
export function prepare(text: string): void {
  ensure(tokCount + 1);
  current = text;
  generation = (generation + 1) | 0;
  if (generation === 0) {
    hashedIn.fill(-1);
    generation = 1;
  }
}

/** Hashes every token of the prepared text (the trainer's features see all neighbours). */
export function prepareAll(text: string): void {
  prepare(text);
  need(0, tokCount - 1);
}

// ---------------------------------------------------------------------------------------------
// Decoding.

/** Emission scores of a run: `em[p * 3 + tag]`; feature buckets in `feats` (MAX_FEATURES per token). */
export function emissions(w: ArrayLike<number>, feats: Int32Array, nf: Int32Array, len: number, em: Float64Array, scale = 1): void {
  for (let p = 0; p < len; p++) {
    let o = 0;
    let b = 0;
    let i = 0;
    const base = p * MAX_FEATURES;
    for (let j = 0; j < nf[p]!; j++) {
      const x = feats[base + j]! * 3;
      o += w[x]!;
      b += w[x + 1]!;
      i += w[x + 2]!;
    }
    em[p * 3] = o * scale;
    em[p * 3 + 1] = b * scale;
    em[p * 3 + 2] = i * scale;
  }
}

/**
 * The weight table without its empty buckets. Of the 2^20 buckets only ~4 % hold a weight, but the full
 * table is 3 MB of int8 read at random places (~45 features per token): most reads missed the cache.
 * Here `groups[2g]` marks which of buckets 32g…32g+31 hold a weight and `groups[2g + 1]` counts the
 * filled buckets before them, so a bucket's place in `packed` is that count plus the marked bits below
 * it; `packed` holds a bucket's three int8 weights in one int32. 256 KB + 4 bytes per filled bucket, and
 * an empty bucket (most features of an unseen word) costs one read. The sums are the same integers.
 */
export interface CompactWeights {
  groups: Int32Array;
  packed: Int32Array;
}

export function compactWeights(w: ArrayLike<number>): CompactWeights {
  const buckets = Math.ceil(w.length / 3);
  const groups = new Int32Array(Math.ceil(buckets / 32) * 2);
  let filled = 0;
  for (let x = 0; x < buckets; x++) {
    if (x % 32 === 0) groups[(x >>> 5) * 2 + 1] = filled;
    if (w[3 * x] || w[3 * x + 1] || w[3 * x + 2]) {
      const g = (x >>> 5) * 2;
      groups[g] = groups[g]! | (1 << (x & 31));
      filled++;
    }
  }
  const packed = new Int32Array(filled);
  let k = 0;
  for (let x = 0; x < buckets; x++) {
    const o = w[3 * x] ?? 0;
    const b = w[3 * x + 1] ?? 0;
    const i = w[3 * x + 2] ?? 0;
    if (o || b || i) packed[k++] = (o & 255) | ((b & 255) << 8) | ((i & 255) << 16);
  }
  return { groups, packed };
}

/** Bits set in a 32-bit word. */
function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/**
 * `emissions` over the compact table: the same scores. `base` (O, B, I per position, unscaled) is added
 * first when given: the summed weights of features read elsewhere (`localSums`); integer sums do not
 * depend on the order of their terms, so the scores are the same.
 */
export function emissionsCompact(table: CompactWeights, feats: Int32Array, nf: Int32Array, len: number, em: Float64Array, scale: number, base?: Int32Array): void {
  const sums = emSums;
  for (let p = 0; p < len; p++) {
    sumWeights(table, feats, p * MAX_FEATURES, nf[p]!, sums, 0);
    const o = base ? base[p * 3]! + sums[0]! : sums[0]!;
    const b = base ? base[p * 3 + 1]! + sums[1]! : sums[1]!;
    const i = base ? base[p * 3 + 2]! + sums[2]! : sums[2]!;
    em[p * 3] = o * scale;
    em[p * 3 + 1] = b * scale;
    em[p * 3 + 2] = i * scale;
  }
}
const emSums = new Int32Array(3);

/** Summed weights (O, B, I) of buckets `feats[from, from + n)` into `out[at..at+2]`. */
function sumWeights(table: CompactWeights, feats: Int32Array, from: number, n: number, out: Int32Array, at: number): void {
  const groups = table.groups;
  const packed = table.packed;
  let o = 0;
  let b = 0;
  let i = 0;
  for (let j = from; j < from + n; j++) {
    const x = feats[j]!;
    const g = (x >>> 5) << 1;
    const bits = groups[g]!;
    const bit = 1 << (x & 31);
    if (!(bits & bit)) continue;
    const v = packed[groups[g + 1]! + popcount(bits & (bit - 1))]!;
    o += (v << 24) >> 24;
    b += (v << 16) >> 24;
    i += (v << 8) >> 24;
  }
  out[at] = o;
  out[at + 1] = b;
  out[at + 2] = i;
}

/** Allowed transition: I only after B or I (the token before a run is O). */
function allowed(prev: number, cur: number): boolean {
  return cur !== I || prev !== O;
}

/** Viterbi over one run; writes tags into `tags`. trans: 3×3 then 3 end weights. */
export function viterbi(em: Float64Array, len: number, trans: ArrayLike<number>, tags: Uint8Array): void {
  const delta = scratchDelta(len);
  const back = scratchBack(len);
  for (let c = 0; c < 3; c++) delta[c] = allowed(O, c) ? trans[O * 3 + c]! + em[c]! : Number.NEGATIVE_INFINITY;
  for (let p = 1; p < len; p++) {
    for (let c = 0; c < 3; c++) {
      let best = Number.NEGATIVE_INFINITY;
      let arg = 0;
      for (let q = 0; q < 3; q++) {
        if (!allowed(q, c)) continue;
        const v = delta[(p - 1) * 3 + q]! + trans[q * 3 + c]!;
        if (v > best) {
          best = v;
          arg = q;
        }
      }
      delta[p * 3 + c] = best + em[p * 3 + c]!;
      back[p * 3 + c] = arg;
    }
  }
  let best = Number.NEGATIVE_INFINITY;
  let arg = 0;
  for (let c = 0; c < 3; c++) {
    const v = delta[(len - 1) * 3 + c]! + trans[9 + c]!;
    if (v > best) {
      best = v;
      arg = c;
    }
  }
  for (let p = len - 1; p >= 0; p--) {
    tags[p] = arg;
    arg = back[p * 3 + arg]!;
  }
}

/** Marginal probability of each tag at each position (scores divided by the temperature). */
export function marginals(em: Float64Array, len: number, trans: ArrayLike<number>, temperature: number, out: Float64Array): void {
  const a = scratchDelta(len);
  const b = scratchBeta(len);
  const inv = 1 / temperature;
  // Log-space forward-backward; runs are short, so plain logs are cheap enough.
  for (let c = 0; c < 3; c++) a[c] = allowed(O, c) ? (trans[c]! + em[c]!) * inv : Number.NEGATIVE_INFINITY;
  for (let p = 1; p < len; p++)
    for (let c = 0; c < 3; c++) {
      let m = Number.NEGATIVE_INFINITY;
      for (let q = 0; q < 3; q++) if (allowed(q, c)) m = Math.max(m, a[(p - 1) * 3 + q]! + trans[q * 3 + c]! * inv);
      let s = 0;
      for (let q = 0; q < 3; q++) if (allowed(q, c)) s += Math.exp(a[(p - 1) * 3 + q]! + trans[q * 3 + c]! * inv - m);
      a[p * 3 + c] = m + Math.log(s) + em[p * 3 + c]! * inv;
    }
  for (let c = 0; c < 3; c++) b[(len - 1) * 3 + c] = trans[9 + c]! * inv;
  for (let p = len - 2; p >= 0; p--)
    for (let q = 0; q < 3; q++) {
      let m = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < 3; c++) if (allowed(q, c)) m = Math.max(m, trans[q * 3 + c]! * inv + em[(p + 1) * 3 + c]! * inv + b[(p + 1) * 3 + c]!);
      let s = 0;
      for (let c = 0; c < 3; c++) if (allowed(q, c)) s += Math.exp(trans[q * 3 + c]! * inv + em[(p + 1) * 3 + c]! * inv + b[(p + 1) * 3 + c]! - m);
      b[p * 3 + q] = m + Math.log(s);
    }
  let z = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < 3; c++) z = Math.max(z, a[(len - 1) * 3 + c]! + b[(len - 1) * 3 + c]!);
  let zs = 0;
  for (let c = 0; c < 3; c++) zs += Math.exp(a[(len - 1) * 3 + c]! + b[(len - 1) * 3 + c]! - z);
  const logZ = z + Math.log(zs);
  for (let p = 0; p < len; p++) for (let c = 0; c < 3; c++) out[p * 3 + c] = Math.exp(a[p * 3 + c]! + b[p * 3 + c]! - logZ);
}

let dBuf = new Float64Array(64 * 3);
let bBuf = new Float64Array(64 * 3);
let kBuf = new Int8Array(64 * 3);
function scratchDelta(len: number): Float64Array {
  if (dBuf.length < len * 3) dBuf = new Float64Array(len * 6);
  return dBuf;
}
function scratchBeta(len: number): Float64Array {
  if (bBuf.length < len * 3) bBuf = new Float64Array(len * 6);
  return bBuf;
}
function scratchBack(len: number): Int8Array {
  if (kBuf.length < len * 3) kBuf = new Int8Array(len * 6);
  return kBuf;
}

// ---------------------------------------------------------------------------------------------
// The shipped model.

interface Loaded {
  /** The weights as shipped (int8 × scale, 3 per bucket), in the compact form `compactWeights` makes. */
  w: CompactWeights;
  scale: number;
  notPersons: Uint32Array;
  trans: number[];
  temperature: number;
  mask: number;
}
let loaded: Loaded | undefined;

/** Decodes the shipped weights on first use (not paid by runs that see no text). */
function model(): Loaded {
  if (!loaded) {
    const m = MODEL as TaggerModel;
    const raw = inflateSync(Buffer.from(m.weights, "base64"));
    const w = compactWeights(new Int8Array(raw.buffer, raw.byteOffset, raw.byteLength));
    const np = Buffer.from(m.notPersons, "base64");
    const notPersons = new Uint32Array(np.buffer.slice(np.byteOffset, np.byteOffset + np.byteLength));
    loaded = { w, scale: m.scale, notPersons, trans: m.trans, temperature: m.temperature, mask: (1 << m.bits) - 1 };
  }
  return loaded;
}

/** Discount of a lone word no name list knows (chosen on CoNLL testa/testb and the seen generator sets). */
const LONE = 0.6;

/** Every token of [a, z] is a common word, a name that is also one, or a particle. */
function allWords(a: number, z: number): boolean {
  for (let t = a; t <= z; t++) if (kind[t] !== K_AMBIGUOUS && kind[t] !== K_STOP && kind[t] !== K_PARTICLE) return false;
  return true;
}

/** Whether `text.slice(start, end)` (letters, maybe punctuation around) is in a name list: given name or surname. */
export function inNameList(text: string, start: number, end: number): boolean {
  while (start < end && !isLetterCode(text.charCodeAt(start))) start++;
  while (end > start && !isLetterCode(text.charCodeAt(end - 1))) end--;
  return isListedName(wordFacts(hashLowerAt(text, start, end)));
}

/** A word the training data knows only as a place, an organisation or a thing ("Israel", "Microsoft"). */
export function isKnownNonPerson(word: string): boolean {
  return hasHash(model().notPersons, hashLower(word.replace(/['’]s$/, "")));
}
function hasHash(sorted: Uint32Array, h: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < h) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo] === h;
}

/** Runs of one text (reused). */
let runBuf = new Int32Array(512);
let featBuf = new Int32Array(16 * MAX_FEATURES);
let nfBuf = new Int32Array(16);
let emBuf = new Float64Array(48);
let margBuf = new Float64Array(48);
let tagBuf = new Uint8Array(16);
let localBuf = new Int32Array(48);

export interface TaggedSpan {
  start: number;
  end: number;
  /** Mean marginal probability of the span's tags. */
  score: number;
}

/**
 * Person names in `text` by the trained tagger: character spans with a probability-like score. A run
 * of one sentence-initial capitalised word that is a stop word ("The", "When") is not looked at.
 *
 * `regions` (flat [from, to) character pairs, sorted, not overlapping) limits the reading to those parts
 * of the text: the caller passes each capitalised run with a few words each side, enough for every
 * feature (two tokens each side) and for knowing whether the run opens a sentence, so the result equals
 * reading the whole text (checked by test/data/pii-tagger.test.ts).
 */
export function tagPersons(text: string, looked?: TaggedSpan[], regions?: Int32Array, regionCount = 0): TaggedSpan[] {
  const out: TaggedSpan[] = [];
  let caps = 0;
  if (regions) {
    tokCount = 0;
    for (let r = 0; r < regionCount; r++) caps += tokenizeRange(text, regions[2 * r]!, regions[2 * r + 1]!);
  } else caps = tokenize(text);
  if (caps === 0) return out;
  const { w, scale, trans, temperature, mask, notPersons } = model();
  if (runBuf.length < tokCount * 2) runBuf = new Int32Array(tokCount * 2);
  prepare(text);
  const runs = findRuns(runBuf);
  for (let r = 0; r < runs; r++) {
    const first = runBuf[2 * r]!;
    const last = runBuf[2 * r + 1]!;
    const len = last - first + 1;
    if (len === 1 && tokFlags[first]! & F_INITIAL) {
      // A sentence's first word alone is a name candidate only when a name list knows it: every
      // sentence starts with a capital, and this keeps the tagger off most lines of prose.
      need(first, first);
      const k = kind[first]!;
      if (k !== K_GIVEN && k !== K_SURNAME && k !== K_BOTH) continue;
      // "Dans le …", "Esta empresa …": a clause opener that a name list also holds as a rare name.
      if (CLAUSE_OPENERS.has(text.slice(tokStart[first]!, tokEnd[first]!).toLowerCase())) continue;
    }
    need(first - 2, last + 2);
    if (featBuf.length < len * MAX_FEATURES) {
      featBuf = new Int32Array(len * MAX_FEATURES);
      nfBuf = new Int32Array(len);
      emBuf = new Float64Array(len * 3);
      margBuf = new Float64Array(len * 3);
      tagBuf = new Uint8Array(len);
      localBuf = new Int32Array(len * 3);
    }
    for (let p = 0; p < len; p++) {
      nfBuf[p] = contextFeatures(first + p, len, p, featBuf, p * MAX_FEATURES, mask) - p * MAX_FEATURES;
      localSums(w, first + p, mask, localBuf, p * 3);
    }
    emissionsCompact(w, featBuf, nfBuf, len, emBuf, scale, localBuf);
    viterbi(emBuf, len, trans, tagBuf);
    let hasName = false;
    for (let p = 0; p < len; p++) if (tagBuf[p] !== O) hasName = true;
    if (!hasName && !looked) continue;
    marginals(emBuf, len, trans, temperature, margBuf);
    if (looked) {
      // Each token of the run with the probability that it is part of a name.
      for (let p = 0; p < len; p++) looked.push({ start: tokStart[first + p]!, end: tokEnd[first + p]!, score: 1 - margBuf[p * 3]! });
    }
    for (let p = 0; p < len; p++) {
      if (tagBuf[p] !== B) continue;
      let q = p + 1;
      while (q < len && tagBuf[q] === I) q++;
      let sum = 0;
      for (let x = p; x < q; x++) sum += margBuf[x * 3 + tagBuf[x]!]!;
      const a = first + p;
      const z = first + q - 1;
      p = q - 1;
      // "Will Grant be there?": a sentence that opens with a word that is also a common English word.
      if (tokFlags[a]! & F_INITIAL && allWords(a, z)) continue;
      // "Kimberly Way": a street, not a person.
      if (STREET_WORDS.has(text.slice(tokStart[z]!, tokEnd[z]!).toLowerCase())) continue;
      // Every word is known from training as a place or an organisation only ("Real Madrid", "Microsoft").
      let known = true;
      for (let t = a; t <= z && known; t++) known = hasHash(notPersons, hWord[t]! >>> 0);
      if (known) continue;
      let score = sum / (z - a + 1);
      // A lone word no name list knows ("Microsoft said") is discounted: the tagger's cue alone is weaker.
      if (a === z && kind[a] === K_NONE) score *= LONE;
      out.push({ start: tokStart[a]!, end: tokEnd[z]!, score });
    }
  }
  return out;
}
