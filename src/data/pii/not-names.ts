import type { PiiMatch } from "./analyzer.js";
import { isClinicalPhrase } from "./medical-words.js";
import { CLAUSE_OPENERS, isGivenNameAt, LONE_SPANISH_OPENERS, NOT_NAMES } from "./person.js";
import { STREET_PREFIX_WORDS } from "./street.js";

/**
 * Capitalised words that name lists or the tagger take for people but that are not: months and weekdays
 * ("Wien, 5. Juli.", "Jeudi", "am Freitag"), a lone initial ("=G.", "M."), and clause openers the tagger
 * reads as a lone name ("Dans", "Vers"). Only names guessed from shape, lists or the tagger are dropped;
 * a name after a title or a cue ("Herr Mai", "Frau Juli") stays. And a name after a rank that follows a
 * street type is the street's name ("Rua Professor Franca 254", "boulevard Amiral Courbet").
 */

/**
 * Months and weekdays of English, German, French and Dutch, with the usual abbreviations ("Sept.", "Vendr."
 * as old listings print them). Lower case; accents as written. Not "Jan", "Gen.", "Di", "Do", "Ott": names
 * and titles of their own ("Jan Ullrich", "Gen. Lee", "Di Maria").
 */
const CALENDAR_WORDS =
  "january february march september october november december monday tuesday wednesday thursday friday saturday sunday " +
  "januar jänner februar feber märz juli oktober dezember montag dienstag mittwoch donnerstag freitag samstag sonnabend sonntag " +
  "janvier février avril juin juillet août septembre octobre novembre décembre lundi mardi mercredi jeudi vendredi samedi dimanche " +
  "januari februari maart oktober maandag dinsdag woensdag donderdag vrijdag zaterdag zondag " +
  "febr feb mär mrz apr jul aug sep sept okt dez janv févr avr juil déc vendr";

/**
 * Months and weekdays of Spanish, Italian and Portuguese, and calendar words that are also given names or
 * surnames elsewhere ("August Bebel", "Julio Iglesias", "Luigi Di Maio", "Plácido Domingo", "Bruno Mars"):
 * dropped only when they stand alone.
 */
const CALENDAR_ALONE_WORDS =
  "enero febrero marzo mayo junio julio agosto septiembre setiembre octubre noviembre diciembre lunes martes miércoles jueves viernes sábado domingo " +
  "gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre lunedì martedì mercoledì giovedì venerdì sabato domenica " +
  "janeiro fevereiro março abril maio junho julho setembro outubro novembro dezembro segunda terça quarta quinta sexta " +
  "ene dic giu lug august augustus april may june jun mai juni mars " +
  // Feasts: alone they are the day ("fond of Easter", "before Christmas"), not a surname.
  "christmas xmas easter weihnachten ostern pfingsten pâques navidad nochebuena";

const CALENDAR = new Set(CALENDAR_WORDS.split(" "));
const CALENDAR_ALONE = new Set(CALENDAR_ALONE_WORDS.split(" "));

/**
 * Words for peoples and faiths that name lists hold as given names ("Aryan", "Christian"): alone they are
 * the group ("their Aryan colleagues", "mixing Aryan and Jewish blood"). The first set never stands for a
 * person alone; "Christian" does ("Christian sagte"), so it is the group only after an article and before a
 * lower-case word ("a Christian and", "of a Christian family").
 */
const GROUPS = new Set("aryan aryans non-aryan jews gentile gentiles nazi nazis arier juden".split(" "));
const GROUPS_OR_NAMES = new Set(["christian"]);
/** Words that stand where a name is withheld ("Anonymous said", "Unknown wrote"): never a person by name. */
const WITHHELD = new Set("anonymous anon unknown anonyme inconnu inconnue anónimo anónima anonimo anonima anonym unbekannt".split(" "));
const WITHHELD_LONGEST = 9;
const ARTICLE_BEFORE = /(?:^|[^\p{L}])(?:an?|he|ne|ur)[ \t]$/u;
const LOWER_AFTER = /^[ \t]+\p{Ll}/u;

/** A Spanish speech verb after the guess: "Ella dijo" is "she said", whatever the name lists hold. */
const SPANISH_SPEECH_VERB = /^[ \t]+(?:dijo|afirmó|declaró|explicó|señaló|aseguró)/;

/** Recognizers whose names are guesses from shape, a list or the tagger (no title or cue before them). */
const GUESSED = new Set(["person-list", "person-model", "person-speaker", "person-same-name"]);

/** One letter, with or without its dot: "G.", "M". */
function isInitial(word: string): boolean {
  return /^\p{Lu}\.?$/u.test(word);
}

function bare(word: string): string {
  // Most words start and end with an ASCII letter: nothing to trim, no pattern run.
  const w = isAsciiLetter(word.charCodeAt(0)) && isAsciiLetter(word.charCodeAt(word.length - 1)) ? word : word.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, "");
  // A genitive's "'s" or "’s" (as /['’]s$/).
  const n = w.length;
  const q = n >= 2 && w.charCodeAt(n - 1) === 115 ? w.charCodeAt(n - 2) : 0;
  return (q === 39 || q === 0x2019 ? w.slice(0, -2) : w).toLowerCase();
}

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** The words of a span between spaces and tabs: split(/[ \t]+/) without the empty ones, and no pattern run. */
function spaceSeparated(span: string): string[] {
  const words: string[] = [];
  let from = -1;
  for (let i = 0; i <= span.length; i++) {
    const c = i < span.length ? span.charCodeAt(i) : 32;
    if (c === 32 || c === 9) {
      if (from >= 0) words.push(span.slice(from, i));
      from = -1;
    } else if (from < 0) from = i;
  }
  return words;
}

/**
 * Whether a guessed person name is a date word, a lone initial, a lone clause opener or holds a digit. `before` and
 * `after` are the characters around it: an initial before a capitalised word ("A. EINSTEIN") is the start
 * of a name the guess cut short, one after a dash is a signature ("-F.", "— R."); several initials
 * ("J. A. A.", "C. P.") are how some texts write a person.
 */
export function isNotAName(span: string, after = "", before = "", bySpeechVerb = false): boolean {
  const words = spaceSeparated(span);
  if (words.length === 0) return false;
  // A word with a digit is a code, not part of a name (edge codes are trimmed first: see withoutCodes).
  if (/\d/.test(span)) return true;
  if (words.length === 1 && isInitial(words[0]!)) return !/^[ \t]*\p{Lu}/u.test(after) && !/[-–—][ \t]*$/u.test(before);
  // Clinical words read as a name: "Arterielle Hypertonie", "Zyklus CCV", "Leber", "Sigmoideostomie".
  if (isClinicalPhrase(words)) return true;
  const lower = words.map(bare);
  if (words.length === 1) {
    const w = lower[0]!;
    if (GROUPS.has(w) || (GROUPS_OR_NAMES.has(w) && ARTICLE_BEFORE.test(before) && LOWER_AFTER.test(after))) return true;
    // "Jan. 7", "Jan 9th", "Dec 25": a month's short form before a day is a date ("Jan" alone may be a name).
    if (MONTH_SHORT.has(w) && DAY_AFTER.test(after)) return true;
    return CALENDAR.has(w) || CALENDAR_ALONE.has(w) || NOT_NAMES.has(w) || CLAUSE_OPENERS.has(w) || (!bySpeechVerb && LONE_SPANISH_OPENERS.has(w));
  }
  // "Per Juli", "Jeudi Vendr": a month or weekday inside a longer guess makes it a date, not a name.
  return lower.some((w) => CALENDAR.has(w));
}

const MONTH_SHORT = new Set("jan feb mar apr jun jul aug sep sept oct nov dec".split(" "));
const DAY_AFTER = /^\.?[ \t]?\d/;

const STREET_TYPES = new Set(STREET_PREFIX_WORDS);
/** French writes its street types in lower case ("12 boulevard Amiral Courbet"); others are capitalised. */
const LOWER_CASE_TYPES = new Set("rue avenue boulevard chemin allée impasse quai".split(" "));
/** A street type, then one word (the rank or title) right before the name: "Rua Professor ", "boulevard Amiral ". */
const TYPE_AND_WORD = /(?:^|[^\p{L}])([\p{L}]+)(\.?)[ \t]+[\p{L}]+\.?[ \t]+$/u;

/**
 * Whether the two words before a name are a street type and a rank: the name is a street's. A short type
 * needs its dot ("Al. ", "Ul. "), so the prepositions "al señor Poettering", "al relatore Koch" are not
 * streets; a type other than French ones must be capitalised ("a lo largo …" is no "Largo").
 */
export function isStreetAfterRole(text: string, start: number): boolean {
  const m = TYPE_AND_WORD.exec(text.slice(Math.max(0, start - 40), start));
  if (!m) return false;
  const type = m[1]!;
  const lower = type.toLowerCase();
  if (!STREET_TYPES.has(lower) || (type.length <= 2 && m[2] !== ".")) return false;
  return type !== lower || LOWER_CASE_TYPES.has(lower);
}

/**
 * A guessed name with a code at either end ("HLNK1 Goldstein", "F. B12345674" after "N.I.F."): the
 * [start, end) left once the words holding a digit are cut off its ends; undefined when none is.
 */
function withoutCodes(text: string, f: PiiMatch): [number, number] | undefined {
  const span = text.slice(f.start, f.end);
  if (!/\d/.test(span)) return undefined;
  // By hand, not by a pattern that backtracks: the first and the last word, each once.
  let start = 0;
  let end = span.length;
  const firstGap = span.search(/\s/);
  if (firstGap > 0 && /\d/.test(span.slice(0, firstGap))) start = firstGap + (/^\s+/.exec(span.slice(firstGap))?.[0].length ?? 0);
  const lastGap = Math.max(span.lastIndexOf(" "), span.lastIndexOf("\t"), span.lastIndexOf("\n"));
  if (lastGap >= start && /\d/.test(span.slice(lastGap + 1))) end = span.slice(0, lastGap).trimEnd().length;
  if (end <= start) return undefined;
  return start !== 0 || end !== span.length ? [f.start + start, f.start + end] : undefined;
}

/**
 * Whether `start` lies inside a user handle or an identifier: right after "@" or "_", or after letters,
 * digits and underscores that run back to an "@" ("@I_Am_Carol_Lee"). An e-mail's local part or a mention
 * typed apart ("@ Maronti") is no concern here: the first is an e-mail, the second has a space.
 */
function insideIdentifier(text: string, start: number): boolean {
  if (start === 0) return false;
  const c = text.charCodeAt(start - 1);
  if (c === 64 || c === 95) return true;
  if (!isHandleCode(c)) return false;
  let i = start - 1;
  // A handle is at most 15 characters on Twitter, a little more elsewhere: look no further than 40.
  while (i > 0 && start - i < 40 && isHandleCode(text.charCodeAt(i - 1))) i--;
  return i > 0 && text.charCodeAt(i - 1) === 64 && text.slice(i, start).includes("_");
}
/** A–Z, a–z, 0–9 or "_". */
function isHandleCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** Drops person names that are dates, lone initials, clause openers or streets named after a rank (one pass, in place). */
export function dropNotNames(text: string, found: PiiMatch[]): void {
  // Most texts hold no person: leave the array untouched (a length write costs on every call).
  let i0 = 0;
  while (i0 < found.length && found[i0]!.entity !== "PERSON") i0++;
  if (i0 === found.length) return;
  let k = 0;
  for (let i = 0; i < found.length; i++) {
    const f = found[i]!;
    if (f.entity === "PERSON") {
      // Whatever found it ("Anonymous said", "Unknown wrote"), a word standing for a withheld name is none.
      if (f.end - f.start <= WITHHELD_LONGEST && WITHHELD.has(text.slice(f.start, f.end).toLowerCase())) continue;
      if (GUESSED.has(f.recognizer)) {
        const cut = withoutCodes(text, f);
        if (cut) {
          f.start = cut[0];
          f.end = cut[1];
        }
        // A user handle ("@Harry_Styles", "@Incredible_Nath") names an account, not a person by name, and a word
        // after "_" is part of an identifier ("#Iran_Maryam", "my_Lee"): a guess inside either is dropped.
        if (insideIdentifier(text, f.start)) continue;
        // A last word glued by a hyphen to digits is a code's prefix ("Número FAC-2026-002045", "Ref SKU-12"):
        // cut off; a lone word left with it had no evidence of its own and goes too.
        if (codePrefixAtEnd(text, f.end)) {
          const gap = lastGapIn(text, f.start, f.end);
          if (gap < 0 || isSingleWordAt(text, f.start, gap)) continue;
          f.end = gap;
        }
        // A guess ending on a lower-case particle or conjunction ("Abono al IBAN", "Pedro y"): a name never
        // ends so; the tagger read the pair, so a lone word left over goes too.
        const lastGap = lastGapIn(text, f.start, f.end);
        if (lastGap > f.start && TRAILING_PARTICLES.has(text.slice(lastGap + 1, f.end))) {
          if (isSingleWordAt(text, f.start, lastGap)) continue;
          f.end = lastGap;
        }
        if (isSingleWordAt(text, f.start, f.end)) {
          if (romanceArticleBefore(text, f.start) && !isGivenNameAt(text, f.start, f.end)) continue;
          // A lone word before a code is its label ("Número FAC-2026-002045", "Pedido ABC-77"), not a name.
          if (CODE_AFTER.test(text.slice(f.end, f.end + 8))) continue;
        }
        const before = text.slice(Math.max(0, f.start - 3), f.start);
        const bySpeechVerb = f.recognizer === "person-speaker" && !SPANISH_SPEECH_VERB.test(text.slice(f.end, f.end + 12));
        if (isNotAName(text.slice(f.start, f.end), text.slice(f.end, f.end + 3), before, bySpeechVerb)) continue;
      }
      if (f.recognizer === "person-role" && isStreetAfterRole(text, f.start)) continue;
    }
    found[k++] = f;
  }
  if (k < found.length) found.length = k;
}

/** Whether the guess ends right before "-" and a digit, or on "-" right before a digit: a code ("FAC-2026-…"). */
function codePrefixAtEnd(text: string, end: number): boolean {
  const c = text.charCodeAt(end);
  if (text.charCodeAt(end - 1) === 45) return c >= 48 && c <= 57;
  const d = text.charCodeAt(end + 1);
  return c === 45 && d >= 48 && d <= 57;
}

/** Lower-case particles and conjunctions that sit inside names but never end one. */
const TRAILING_PARTICLES = new Set("al de del della di da du van von der den la le y e et und".split(" "));

/** A code after a word: capital letters, a hyphen and a digit ("FAC-2026-001587", "SKU-12"). */
const CODE_AFTER = /^[ \t]+[A-Z]{2,5}-\d/;

/** The last space or tab inside [start, end), or -1: a scan of the span only (a search back through the text is quadratic on one long line). */
function lastGapIn(text: string, start: number, end: number): number {
  for (let i = end - 1; i > start; i--) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9) return i;
  }
  return -1;
}

function isSingleWordAt(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10) return false;
  }
  return true;
}

/**
 * Definite articles of Spanish, French and Italian, lower case. In writing these languages put no article
 * before a person's name ("en la Cámara", "el Consejo", "le Conseil", "il Senato": institutions and common
 * nouns that name lists also hold as surnames); colloquial "la María" keeps a listed given name.
 */
const ROMANCE_ARTICLES = new Set("el la los las le les il lo gli".split(" "));

/**
 * Whether the word right before `start` (one space apart) is a lower-case Romance article that is not part
 * of a name's particle chain ("Juan de la Cruz", "de los Ríos", "Van der …" are not articles here).
 */
function romanceArticleBefore(text: string, start: number): boolean {
  if (start < 3 || text.charCodeAt(start - 1) !== 32) return false;
  let a = start - 1;
  while (a > 0 && start - 1 - a < 3 && isLowerAscii(text.charCodeAt(a - 1))) a--;
  if (a === start - 1 || (a > 0 && isWordCode(text.charCodeAt(a - 1)))) return false;
  if (!ROMANCE_ARTICLES.has(text.slice(a, start - 1))) return false;
  // "de la Cruz", "dei la …": the article follows a particle, so the word is a surname's end.
  const prev = text.slice(Math.max(0, a - 4), a);
  return !/(?:^|[^\p{L}])(?:de|da|di|du|van)[ \t]$/u.test(prev);
}

function isLowerAscii(c: number): boolean {
  return c >= 97 && c <= 122;
}

/** A letter or digit (ASCII or not): the article found must be a whole word. */
function isWordCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c > 127;
}

/** Names cued by a title keep their word even when it is clinical ("Dr. med. Helmuth Leber", "Prof. Doppler"). */
const TITLED = new Set(["person-title"]);

/**
 * Drops person names made only of clinical words, whatever found them: a name copied to other places
 * ("Dr. Leber" signs; "Leber frei von …" is the liver), after a kin word ("Tante Glaukom"), or in a
 * coordination ("Myopie und Astigmatismus"). Run after names are copied; one pass, in place.
 */
export function dropClinicalNames(text: string, found: PiiMatch[]): void {
  // Most texts hold no person: leave the array untouched.
  let k = 0;
  while (k < found.length && found[k]!.entity !== "PERSON") k++;
  if (k === found.length) return;
  for (let i = k; i < found.length; i++) {
    const f = found[i]!;
    if (
      f.entity === "PERSON" &&
      !TITLED.has(f.recognizer) &&
      isClinicalPhrase(
        text
          .slice(f.start, f.end)
          .split(/[ \t]+/)
          .filter((w) => w.length > 0),
      )
    )
      continue;
    found[k++] = f;
  }
  if (k < found.length) found.length = k;
}
