import type { PiiMatch } from "./analyzer.js";
import { COUNTRY_NAMES } from "./countries.js";
import { isGivenNameAt, isNameLike } from "./person.js";

/**
 * Places and organisations that name lists, the tagger or a speech verb take for people: a guessed name
 * made only of place words ("Texas", "San Francisco", "Hong Kong"), one right after a preposition of place
 * ("in Houston", "nach Hamburg", "en Valencia"), one with an organisation's word inside or right after it
 * ("Wikimedia Foundation", "Labor Party", "Siemens AG", "Boston Red Sox") or an organisation's head before
 * it ("University of Virginia", "Hospital Clínico", "Ministerium für …"). Only guessed names are looked at;
 * a name after a title or a cue ("Mr Houston", "Frau Berlin") stays.
 */

/**
 * US states, Canadian provinces, Australian states, German, Austrian and Swiss regions, Spanish, French
 * and Italian regions, and the world's large or often-named cities, lower case. Not places that are more
 * often people in the seen sets ("Houston", "Washington", "Sofia", "Milan", "Lima", "Victoria", "Lorraine",
 * "Orlando", "Santiago"): those are places only after a preposition of place. Countries come from
 * countries.ts, less the ones that are given names too (COUNTRY_GIVEN_NAMES).
 */
const PLACE_WORDS =
  // US states.
  "alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii idaho illinois indiana iowa " +
  "kansas kentucky louisiana maine maryland massachusetts michigan minnesota mississippi missouri montana nebraska nevada " +
  "york ohio oklahoma oregon pennsylvania tennessee texas utah vermont virginia wisconsin wyoming " +
  // Canada, Australia.
  "ontario quebec québec alberta manitoba saskatchewan columbia newfoundland labrador yukon nunavut queensland tasmania wales " +
  // German, Austrian and Swiss regions.
  "bayern bavaria hessen sachsen thüringen brandenburg niedersachsen saarland baden-württemberg nordrhein-westfalen " +
  "rheinland-pfalz schleswig-holstein mecklenburg-vorpommern sachsen-anhalt tirol vorarlberg kärnten steiermark burgenland " +
  "salzburg niederösterreich oberösterreich zürich genf bern basel luzern tessin wallis graubünden aargau " +
  // Spanish, French and Italian regions.
  "andalucía andalucia cataluña catalunya aragón galicia asturias cantabria navarra extremadura murcia canarias baleares " +
  "euskadi castilla rioja valencia alsace bretagne normandie provence bourgogne aquitaine occitanie picardie champagne " +
  "auvergne lombardia lombardy toscana tuscany piemonte veneto sicilia sicily sardegna sardinia calabria puglia campania liguria " +
  // Cities.
  "amsterdam athens athen athènes atlanta auckland baltimore bangkok barcelona beijing beirut belgrade belgrad berlin bilbao " +
  "birmingham bogotá bogota bombay bonn bordeaux boston bremen brisbane bristol brooklyn brüssel bruxelles brussels bucharest " +
  "budapest cairo calcutta calgary cambridge canberra caracas casablanca chicago cleveland cologne copenhagen kopenhagen " +
  "dallas damascus delhi denver detroit dortmund dresden dubai dublin düsseldorf edinburgh essen florenz frankfurt geneva " +
  "genève glasgow granada hamburg hannover havana helsinki hiroshima honolulu istanbul jakarta jerusalem johannesburg " +
  "karachi kiev kyiv kinshasa köln kraków krakau lagos leipzig lille lisbon lisboa lissabon liverpool london londres " +
  "londra madrid málaga malaga manchester manila marseille melbourne miami milano mailand montreal montréal moscow moskau " +
  "moscú mumbai munich münchen nagoya nairobi naples napoli neapel nürnberg oakland osaka oslo ottawa oxford palermo " +
  "paris parís pittsburgh prague prag praha pretoria quito rabat rome roma rom rotterdam sacramento sarajevo seattle " +
  "sevilla seville shanghai singapore stockholm strasbourg straßburg stuttgart sydney taipei tehran teheran tokyo tokio " +
  "toledo toronto toulouse tripoli tunis turin torino valparaíso vancouver venice venezia venedig vienna wien warsaw warschau " +
  "zaragoza";

/** Places of several words, as the guess's words joined by one space, lower case. */
const PLACE_PHRASES =
  "new york|new jersey|new hampshire|new mexico|north carolina|south carolina|north dakota|south dakota|west virginia|" +
  "rhode island|british columbia|new brunswick|nova scotia|new south wales|new zealand|new delhi|new orleans|mexico city|" +
  "san francisco|san diego|san antonio|san jose|san josé|santa fe|hong kong|los angeles|las vegas|buenos aires|" +
  "rio de janeiro|são paulo|sao paulo|tel aviv|salt lake city|st petersburg|st. petersburg|sankt petersburg|sri lanka|" +
  "costa rica|puerto rico|el salvador|castilla y león|castilla la mancha|la rioja|país vasco|baden württemberg";

/** Country names that are given names too ("Jordan", "Dominique", "Maurice", "Guadalupe"): not places alone. */
const COUNTRY_GIVEN_NAMES = new Set("jordan chad dominique maurice mauricio guadalupe montserrat kuba".split(" "));

/**
 * Heads of organisation names: after a guessed name ("Labor Party", "Wikimedia Foundation", "Siemens AG")
 * or inside it. Not a word the name lists know (a surname such as "Hall" or "Bank" stays a name there).
 */
const ORG_AFTER =
  /^[ \t]+(?:GmbH|AG|KG|KGaA|SE|Inc\.?|Ltd\.?|LLC|LLP|Corp\.?|Corporation|Co\.|plc|PLC|S\.A\.|S\.L\.|S\.p\.A\.|SARL|e\.V\.|Foundation|University|Universität|Université|Hospital|Klinik|Klinikum|Ministerium|Institute|Institut|Party|Partei|Museum|Musée|Airlines|Airways|Stiftung|College|Hotel|Mosque|League|Records|Group|Gruppe)(?![\p{L}\p{N}])/u;
/** An organisation's head before a guessed name: "University of Virginia", "Hospital Clínico", "Ministerio de …". */
const ORG_BEFORE =
  /(?:^|[^\p{L}])(?:University of|Universidad de|Universidad|Université de|Universität|Hospital|Klinikum|Ministry of|Ministerio de|Ministère de|Ministerium für|Banco|Bank of|Museum of|Museo|Musée|Fondation|Fundación|Stiftung|Institute of|Instituto|Institut|Partido|Parti|Colegio|Escuela)[ \t]+$/u;
/** Words that make a guess an organisation or a building wherever they stand in it. */
const ORG_WORDS = new Set(
  "foundation university universität université universidad hospital klinik klinikum ministerium ministry ministerio museum museo musée party partei partido parti institute institut instituto airlines airways stiftung fundación fondation corporation inc gmbh ltd llc plc hotel mosque league palace cathedral".split(
    " ",
  ),
);
/** A preposition of place right before a guess, in English and German: the word after it is a place. */
const PLACE_PREPOSITION = /(?:^|[^\p{L}])(?:in|near|into|across)[ \t]+$/u;
/**
 * Prepositions that come before people too ("nach Müller", "à Marti", Dutch "Dimitri en Sascha"): the word
 * after one is a place only when it is a place word.
 */
const PLACE_WORD_PREPOSITION = /(?:^|[^\p{L}])(?:in|near|into|across|from|to|nach|aus|von|en|à|de|desde|hacia)[ \t]+$/u;

/** Recognizers whose names are guesses (no title or cue before them). */
const GUESSED = new Set(["person-list", "person-model", "person-speaker", "person-same-name"]);

/** Guesses with evidence of a person besides the word: a speech verb after it, the name in full elsewhere. */
const EVIDENCE = new Set(["person-speaker", "person-same-name"]);

let places: Set<string> | undefined;
let phrases: Set<string> | undefined;

function wordsOf(span: string): string[] {
  return span.split(/[ \t]+/).filter((w) => w.length > 0);
}

/**
 * Whether a guessed name at [start, end) is a place or an organisation. `text` is the whole text; only
 * a few characters on either side are read. `evidence`: something besides the word says person (a speech
 * verb after it, the same name written in full elsewhere), so a lone place word stays ("Virginia said").
 */
export function isPlaceOrOrganisation(text: string, start: number, end: number, evidence = false): boolean {
  const span = text.slice(start, end);
  // A possessive is a person's ("in Smith's view").
  const last = span.charCodeAt(span.length - 1);
  const next = text.charCodeAt(end);
  if ((last === 39 || last === 0x2019 || last === 115) && /['’]s?$/.test(span)) return false;
  if ((next === 39 || next === 0x2019) && /^['’]s(?![\p{L}])/u.test(text.slice(end, end + 3))) return false;
  const words = wordsOf(span);
  if (words.length === 0) return false;
  // The regular expressions below are asked only when the word before or after could start one: most
  // guesses follow a plain word and are followed by one (each test costs more than all the rest).
  const prev = wordBefore(text, start);
  const before = prev === undefined ? "" : text.slice(Math.max(0, start - 24), start);
  if ((orgFollows(text, end) && ORG_AFTER.test(text.slice(end, end + 16))) || (prev !== undefined && ORG_BEFORE_LAST.has(prev) && ORG_BEFORE.test(before))) {
    // A full name before an organisation's word is its namesake and stays ("Fred Hollows Foundation").
    if (!(words.length > 1 && isGivenNameAt(text, start, start + words[0]!.length))) return true;
  }
  const lower = words.map((w) => w.toLowerCase());
  // "Wikimedia Foundation", "Museum": an organisation's word that no name list knows.
  if (lower.some((w, i) => ORG_WORDS.has(w) && !isNameLike(words[i]!))) return true;
  const preposition = prev !== undefined && PREPOSITIONS.has(prev);
  // "in Houston", "nach Hamburg", "en Valencia": one word after a preposition of place is a place.
  if (words.length === 1 && preposition && PLACE_PREPOSITION.test(before)) return true;
  places ??= new Set(`${PLACE_WORDS} ${COUNTRY_NAMES}`.split(" ").filter((w) => !COUNTRY_GIVEN_NAMES.has(w)));
  phrases ??= new Set(PLACE_PHRASES.split("|"));
  if (!(words.length === 1 ? places.has(lower[0]!) : phrases.has(lower.join(" ")))) return false;
  // A place word or phrase ("Texas", "San Francisco"). The name lists hold many single ones as given names
  // too ("Virginia", "Kenya"), so a lone one stays with other evidence of a person, but not after a
  // preposition of place ("nach Hamburg", "en Valencia").
  return words.length > 1 || !evidence || (preposition && PLACE_WORD_PREPOSITION.test(before));
}

/** The last words of ORG_BEFORE's heads and the prepositions of place: the word before must be one of them. */
const ORG_BEFORE_LAST = new Set(
  "of de Universidad Universität Hospital Klinikum für Banco Museo Musée Fondation Fundación Stiftung Instituto Institut Partido Parti Colegio Escuela".split(" "),
);
const PREPOSITIONS = new Set("in near into across from to nach aus von en à de desde hacia".split(" "));

function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}
function isWordChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c >= 0xc0;
}

/** The letters right before the blanks before `start`, or undefined when no blank is there. */
function wordBefore(text: string, start: number): string | undefined {
  let i = start - 1;
  while (i >= 0 && isSpace(text.charCodeAt(i))) i--;
  if (i === start - 1) return undefined;
  let j = i;
  while (j >= 0 && isWordChar(text.charCodeAt(j))) j--;
  return text.slice(j + 1, i + 1);
}

/** Whether blanks and a capital (or the "e" of "e.V.") follow `end`: ORG_AFTER can match only then. */
function orgFollows(text: string, end: number): boolean {
  let i = end;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  if (i === end) return false;
  const c = text.charCodeAt(i);
  return (c >= 65 && c <= 90) || c === 101;
}

/**
 * The end of the person's name inside a guess that ends in an organisation's word named after them
 * ("Andy Warhol Museum", "Fred Hollows Foundation"): a given name and at least one more word before it.
 * Returns -1 when the guess is not such a namesake.
 */
export function namesakeEnd(text: string, start: number, end: number): number {
  const span = text.slice(start, end);
  const blank = Math.max(span.lastIndexOf(" "), span.lastIndexOf("\t"));
  if (blank < 0 || blank === span.length - 1 || !ORG_WORDS.has(span.slice(blank + 1).toLowerCase())) return -1;
  let cut = blank;
  while (cut > 0 && isSpace(span.charCodeAt(cut - 1))) cut--;
  const head = wordsOf(span.slice(0, cut));
  if (head.length < 2 || head.some((w) => ORG_WORDS.has(w.toLowerCase()))) return -1;
  return isGivenNameAt(text, start, start + head[0]!.length) ? start + cut : -1;
}

/** Drops guessed names that are places or organisations (see isPlaceOrOrganisation). */
export function dropPlacesAndOrganisations(text: string, found: Array<PiiMatch & { priority: number }>): void {
  // Kept in place, one pass: splicing each drop out would be quadratic on a text of many guesses.
  let k = 0;
  for (let i = 0; i < found.length; i++) {
    const f = found[i]!;
    if (f.entity === "PERSON" && GUESSED.has(f.recognizer)) {
      const own = namesakeEnd(text, f.start, f.end);
      if (own >= 0) f.end = own;
      else if (isPlaceOrOrganisation(text, f.start, f.end, EVIDENCE.has(f.recognizer))) continue;
    }
    found[k++] = f;
  }
  // Only when something was dropped: setting an array's length is a runtime call, paid on every text.
  if (k < found.length) found.length = k;
}
