import { GERMAN_ENGLISH_WORDS, GERMAN_SURNAME_WORDS, GERMAN_WORDS } from "./german-words.js";
import { HashTable, hashLower, hashLowerAt } from "./hash.js";

/**
 * German capitalises every noun, so a capital there is no sign of a name: "Der Mieter", "Das
 * Arbeitsverhältnis", "Im Juli" read like names to a tagger trained on English. When the words around a
 * name candidate are German, its leading and trailing everyday words are dropped ("Arbeitgeber Max
 * Mustermann" → "Max Mustermann"), a run is cut at an article ("Krise der Weltwirtschaft"), and what is
 * left must still hold a word that is not an everyday word. A German surname that is also a noun
 * ("Fischer", "König") counts as a name only next to another name word.
 */

const WORD = 1;
const SURNAME_WORD = 2;
/** A German everyday word that is also an English one ("Hand", "Kind"): a noun, but no sign of German. */
const ENGLISH_TOO = 3;
/** Not listed, but an inflection, a compound or a noun ending says it is a word ("Weltwirtschaft"). */
const DERIVED = 4;

let table: HashTable | undefined;
function lexicon(): HashTable {
  if (!table) {
    const t = new HashTable(16_000);
    for (const w of GERMAN_WORDS.split(" ")) t.set(hashLower(w), WORD);
    for (const w of GERMAN_ENGLISH_WORDS.split(" ")) t.set(hashLower(w), ENGLISH_TOO);
    for (const w of GERMAN_SURNAME_WORDS.split(" ")) t.set(hashLower(w), SURNAME_WORD);
    table = t;
  }
  return table;
}

/** Noun endings no surname of the name lists has at this length ("Kündigung", "Gesundheit", "Ergebnis"). */
const NOUN_ENDING = /(?:ung|ungen|heit|heiten|keit|keiten|schaft|schaften|ität|itäten|tion|tionen|nis|nisse|ismus|ismen|tum|tümer|chen|lein)$/;
/** Inflection endings tried when the word itself is not listed ("Kolonien" is not, "Kosten" is). */
const INFLECTIONS = ["en", "n", "es", "s", "e", "er", "ern"];

/**
 * WORD (or ENGLISH_TOO) when `text.slice(start, end)` is a listed everyday German word, DERIVED when an
 * inflection, a compound or a noun ending makes it one, SURNAME_WORD for an everyday word that is also a
 * surname, 0 otherwise. `isName` says whether a name list knows the word (then DERIVED does not apply).
 */
export function germanWordKind(text: string, start: number, end: number, isName: (s: number, e: number) => boolean): number {
  const lex = lexicon();
  const k = lex.get(hashLowerAt(text, start, end));
  if (k) return k === ENGLISH_TOO ? WORD : k;
  const n = end - start;
  if (n < 5 || isName(start, end)) return 0;
  const w = text.slice(start, end).toLowerCase();
  for (const suffix of INFLECTIONS) {
    if (w.length - suffix.length >= 4 && w.endsWith(suffix) && isWord(lex.get(hashLower(w.slice(0, -suffix.length))))) return DERIVED;
  }
  if (n >= 6 && NOUN_ENDING.test(w)) return DERIVED;
  // A compound ends in an everyday noun ("Arbeits|verhältnis", "Krankenkassen|prämien"): a head of at
  // least five letters after at least three. Surname heads ("-mann", "-berg") are SURNAME_WORD, not WORD.
  if (n >= 8) {
    for (let k2 = 3; k2 <= n - 5; k2++) {
      const head = w.slice(k2);
      if (isWord(lex.get(hashLower(head)))) return DERIVED;
      for (const suffix of INFLECTIONS) if (head.length - suffix.length >= 4 && head.endsWith(suffix) && isWord(lex.get(hashLower(head.slice(0, -suffix.length))))) return DERIVED;
    }
  }
  return 0;
}

/** Whether a single word is a listed everyday German word that is no surname ("Ende", "Umsatz"; not "Fischer"). */
export function isEverydayGermanWord(word: string): boolean {
  return !/\s/.test(word) && isWord(lexicon().get(hashLower(word)));
}

function isWord(k: number): boolean {
  return k === WORD || k === ENGLISH_TOO;
}

const GERMAN_STOP =
  "der die das und ist nicht ein eine einen einem einer eines mit für von zu den dem des auf sich auch im wir sie ich es wurde werden bei nach aus zum zur über oder sind war wird hat haben als noch nur wie dass vom beim ins am ihre ihr sehr bitte unser unsere kann können wurden";
const ENGLISH_STOP = "the and is of to with for on that was are be by this it as at from have has were which an or not you your we our";
const DE = 1;
const EN = 2;
let stops: HashTable | undefined;
function stopTable(): HashTable {
  if (!stops) {
    const t = new HashTable(256);
    for (const w of GERMAN_STOP.split(" ")) t.set(hashLower(w), DE);
    for (const w of ENGLISH_STOP.split(" ")) t.set(hashLower(w), EN);
    stops = t;
  }
  return stops;
}

function isLetterCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 0xc0 && c !== 0xd7 && c !== 0xf7 && c < 0x250);
}

/**
 * Whether the words on the line of [start, end), within `reach` characters, are German: German stop
 * words and lower-case everyday German words outnumber English stop words, and there are at least two;
 * read left to right, three more English stop words than German evidence end the reading (English).
 * Read in place (hashes of the text's characters, no strings): it is asked about every name candidate.
 */
export function isGermanAround(text: string, start: number, end: number, reach = 160): boolean {
  // The line the candidate is on: what lies lines away says nothing here.
  let from = start;
  while (from > 0 && start - from < reach && text.charCodeAt(from - 1) !== 10 && text.charCodeAt(from - 1) !== 13) from--;
  let to = end;
  while (to < text.length && to - end < reach && text.charCodeAt(to) !== 10 && text.charCodeAt(to) !== 13) to++;
  const lex = lexicon();
  const stop = stopTable();
  let de = 0;
  let en = 0;
  let i = from;
  while (i < to) {
    if (!isLetterCode(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const a = i;
    while (i < to && isLetterCode(text.charCodeAt(i))) i++;
    const h = hashLowerAt(text, a, i);
    const k = stop.get(h);
    if (k === EN) en++;
    else if (k === DE) de++;
    // A lower-case everyday word ("wäre", "gewesen"): short sentences hold few stop words.
    else if (isLowerStart(text, a) && lex.get(h) === WORD) de++;
    // Three English stop words ahead of the German evidence: English, the rest need not be read.
    if (en >= de + 3) return false;
  }
  return de >= 2 && de > en;
}

/**
 * A quick answer for the common case: true when `germanNameParts` would return the candidate whole
 * ("John Smith", "Klaus Fischer"), read from the ends' hashes without building tokens. False when unsure:
 * an article inside, punctuation other than a word's apostrophe, hyphen or closing dot, or an end that
 * is an everyday word, a lower-case word or (with no known name in the candidate) a derived noun.
 */
export function germanUnchanged(text: string, start: number, end: number, isName: (s: number, e: number) => boolean): boolean {
  let named = false;
  let count = 0;
  let firstA = -1;
  let firstB = -1;
  let lastA = -1;
  let lastB = -1;
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    if (!isLetterCode(c)) return false;
    const a = i;
    while (i < end && text.charCodeAt(i) !== 32 && text.charCodeAt(i) !== 9) {
      const d = text.charCodeAt(i);
      // A dot only closes a word ("G."); other marks than ' ’ - send the candidate the long way.
      if (!(isLetterCode(d) || d === 39 || d === 0x2019 || d === 45 || (d === 46 && (i + 1 === end || text.charCodeAt(i + 1) === 32)))) return false;
      i++;
    }
    const b = trimDot(text, i);
    if (b - a === 3 && ARTICLES.has(text.slice(a, b).toLowerCase())) return false;
    if (firstA < 0) {
      firstA = a;
      firstB = b;
    }
    lastA = a;
    lastB = b;
    count++;
    // As in germanNameParts: an everyday word a list also holds ("Juli", "Kosten") vouches for no neighbour.
    if (!named && isName(a, b) && germanWordKind(text, a, b, isName) !== WORD) named = true;
  }
  if (count === 0) return false;
  if (!named && afterDeterminer(text, start)) return false;
  aroundIsGerman = -1;
  return edgeStays(text, start, end, firstA, firstB, named, count, isName) && (count === 1 || edgeStays(text, start, end, lastA, lastB, named, count, isName));
}

/** `isGermanAround` of the candidate in `germanUnchanged`, read at most once per call: -1 not yet read, else 0 / 1. */
let aroundIsGerman = -1;

/**
 * Whether the end word [a, b) of the candidate [start, end) stays a name (`germanUnchanged`). A module
 * function, not a closure: under tsx every closure made per call is also renamed per call (a
 * `defineProperty`), ~2 % of the CPU on lines with names.
 */
function edgeStays(text: string, start: number, end: number, a: number, b: number, named: boolean, count: number, isName: (s: number, e: number) => boolean): boolean {
  if (isLowerStart(text, a)) return false;
  const lex = lexicon();
  if (named) {
    const k = lex.get(hashLowerAt(text, a, b));
    return k !== WORD && k !== ENGLISH_TOO && !(count === 1 && k === SURNAME_WORD);
  }
  const direct = lex.get(hashLowerAt(text, a, b));
  if (direct !== 0) return direct !== WORD && direct !== ENGLISH_TOO && !(count === 1 && direct === SURNAME_WORD);
  if (b - a < 5) return true;
  // Only German text is changed: an English line needs no look at endings and compound heads.
  if (aroundIsGerman < 0) aroundIsGerman = isGermanAround(text, start, end) ? 1 : 0;
  if (aroundIsGerman === 0) return true;
  const k = germanWordKind(text, a, b, isName);
  return k !== WORD && k !== DERIVED && !(count === 1 && k === SURNAME_WORD);
}

/** Articles and determiners before a noun: "die", "einer", "diese", "jedes", "zum" (lower-case or opening a sentence). */
const DETERMINERS = new Set(
  "der die das den dem des ein eine einen einem einer eines diese dieser dieses diesem diesen jede jeder jedes jedem jeden kein keine keinen keinem keiner keines zum zur vom beim im am ins".split(
    " ",
  ),
);
/** Whether the word right before `start` (one space or tab apart) is a German article or determiner. */
export function afterDeterminer(text: string, start: number): boolean {
  let e = start;
  while (e > 0 && (text.charCodeAt(e - 1) === 32 || text.charCodeAt(e - 1) === 9)) e--;
  if (e === start || start - e > 2) return false;
  let a = e;
  while (a > 0 && e - a < 7 && isLetterCode(text.charCodeAt(a - 1))) a--;
  if (a === e || (a > 0 && isLetterCode(text.charCodeAt(a - 1)))) return false;
  return DETERMINERS.has(text.slice(a, e).toLowerCase());
}

/** Articles that join nouns ("Krise der Weltwirtschaft"), not names, unless after "von"/"van" ("von der Leyen"). */
const ARTICLES = new Set(["der", "den", "des", "dem", "die", "das"]);
const NAME_PARTICLE_BEFORE_ARTICLE = new Set(["von", "van", "vom", "zu", "zur", "ter"]);
const TOKEN = /[\p{L}\p{M}][\p{L}\p{M}'’-]*\.?/gu;

/**
 * The parts of the name candidate [start, end) that remain names in German text: pairs [start, end),
 * possibly none. The caller has checked that the text around is German.
 */
export function germanNameParts(text: string, start: number, end: number, isName: (s: number, e: number) => boolean): Array<[number, number]> {
  const tokens: Array<[number, number]> = [];
  TOKEN.lastIndex = 0;
  const span = text.slice(start, end);
  for (let m = TOKEN.exec(span); m !== null; m = TOKEN.exec(span)) tokens.push([start + m.index, start + m.index + m[0].length]);
  // Segments between joining articles.
  const segments: Array<Array<[number, number]>> = [[]];
  for (let i = 0; i < tokens.length; i++) {
    const [s, e] = tokens[i]!;
    const w = text.slice(s, e);
    const prev = i > 0 ? text.slice(tokens[i - 1]![0], tokens[i - 1]![1]).toLowerCase() : "";
    if (ARTICLES.has(w.toLowerCase()) && !NAME_PARTICLE_BEFORE_ARTICLE.has(prev)) {
      segments.push([]);
      continue;
    }
    segments[segments.length - 1]!.push([s, e]);
  }
  const out: Array<[number, number]> = [];
  const determined = afterDeterminer(text, start);
  for (const seg of segments) {
    const kinds = seg.map(([s, e]) => (isLowerStart(text, s) ? -1 : germanWordKind(text, s, trimDot(text, e), isName)));
    // "für die Versendung", "den Durchgang", "Diese Angabe": after an article or determiner an unlisted
    // capitalised word is a noun (a name there is a listed one: "der Müller"; initials stay: "einem T. H.").
    if (seg === segments[0] && determined && seg.length > 0 && kinds[0] === 0 && trimDot(text, seg[0]![1]) - seg[0]![0] >= 4 && !isName(seg[0]![0], trimDot(text, seg[0]![1])))
      kinds[0] = DERIVED;
    // A word made a noun only by its ending or its compound head ("Fenstermacher") is a surname next to
    // a name a list knows ("Stephan Fenstermacher"); without one it is a noun too.
    // An everyday word that a list also holds as a surname ("Kosten") vouches for no neighbour: "für die
    // Versendung Kosten" is two nouns.
    const named = seg.some(([s, e], i) => kinds[i] !== -1 && kinds[i] !== WORD && isName(s, trimDot(text, e)));
    const noun = (k: number) => k === WORD || k === -1 || (k === DERIVED && !named);
    let a = 0;
    let z = seg.length - 1;
    // Everyday words and lower-case particles do not open or close a name.
    while (a <= z && noun(kinds[a]!)) a++;
    while (z >= a && noun(kinds[z]!)) z--;
    if (a > z) continue;
    // A lone surname that is also a noun ("Fischer", "Kaiser") is the noun.
    if (a === z && kinds[a] === SURNAME_WORD) continue;
    out.push([seg[a]![0], seg[z]![1]]);
  }
  return out;
}

function isLowerStart(text: string, s: number): boolean {
  const c = text.charCodeAt(s);
  if (c < 128) return c >= 97 && c <= 122;
  const ch = text[s]!;
  return ch !== ch.toUpperCase();
}
function trimDot(text: string, e: number): number {
  return text.charCodeAt(e - 1) === 46 ? e - 1 : e;
}
