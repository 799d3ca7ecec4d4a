import { HashTable, hashLower, hashLowerAt, lowerCode } from "./hash.js";
import { AMBIGUOUS, BOTH, GIVEN, SURNAME } from "./name-data.js";
import { GIVEN_NAMES, PUBLIC_SURNAMES, SURNAMES } from "./names.js";
import { STREET_WORDS } from "./street.js";

/**
 * Person names without an NER model: a gazetteer (given names and surnames of ~60 locales, from
 * Python Faker's MIT-licensed data, see scripts/pii-name-lists.py), the shape of a name (capitalised
 * words, initials, particles), surname endings of many languages, and context words.
 */

type Kind = "given" | "surname" | "both" | "ambiguous";

const KINDS: ReadonlyArray<Kind | undefined> = [undefined, "given", "surname", "both", "ambiguous"];
const GIVEN_K = 1;
const SURNAME_K = 2;
const BOTH_K = 3;
const AMBIGUOUS_K = 4;

let lexicon: HashTable | undefined;
/** Built on first use: 50 000 names cost ~15 ms, which a CLI run that never sees text should not pay. */
export function nameKinds(): HashTable {
  if (!lexicon) {
    const m = new HashTable(60_000);
    for (const w of SURNAME.split(" ")) m.set(hashLower(w), SURNAME_K);
    for (const w of GIVEN.split(" ")) m.set(hashLower(w), GIVEN_K);
    for (const w of BOTH.split(" ")) m.set(hashLower(w), BOTH_K);
    for (const w of SURNAMES) if (!m.get(hashLower(w))) m.set(hashLower(w), SURNAME_K);
    for (const w of PUBLIC_SURNAMES) if (!m.get(hashLower(w))) m.set(hashLower(w), SURNAME_K);
    for (const w of GIVEN_NAMES) {
      const h = hashLower(w);
      const k = m.get(h);
      m.set(h, k === SURNAME_K ? BOTH_K : k || GIVEN_K);
    }
    for (const w of AMBIGUOUS.split(" ")) m.set(hashLower(w), AMBIGUOUS_K);
    lexicon = m;
  }
  return lexicon;
}
function kindOf(word: string): Kind | undefined {
  return KINDS[nameKinds().get(hashLower(word))];
}

/**
 * Whether `text.slice(start, end)` (punctuation around it allowed) is a known given name: "Anna", "Hannah,"
 * "(Felix)". Read in place: it is asked about every lone capitalised word of every text.
 */
export function isGivenNameAt(text: string, start: number, end: number): boolean {
  let a = start;
  let b = end;
  while (a < b && !isLetter(text.charCodeAt(a))) a++;
  while (b > a && !isLetter(text.charCodeAt(b - 1))) b--;
  if (b - a < 2) return false;
  return isGivenKind(nameKinds().get(hashLowerAt(text, a, b)));
}
/** Whether a value of `nameKinds()` is a given name (or both a given name and a surname). */
export function isGivenKind(k: number): boolean {
  return k === GIVEN_K || k === BOTH_K;
}

let publicTable: HashTable | undefined;
/**
 * Whether `text.slice(start, end)` is a surname of `PUBLIC_SURNAMES` ("Trump", "Mussolini"): read in place,
 * since it is asked of every lone capitalised word. The list holds no surname that is also an everyday word.
 */
export function isPublicSurnameAt(text: string, start: number, end: number): boolean {
  return publicSurnames().get(hashLowerAt(text, start, end)) === 1;
}
/** `PUBLIC_SURNAMES` by hash (value 1), built on first use. */
export function publicSurnames(): HashTable {
  if (!publicTable) {
    const m = new HashTable(PUBLIC_SURNAMES.size);
    for (const w of PUBLIC_SURNAMES) m.set(hashLower(w), 1);
    publicTable = m;
  }
  return publicTable;
}

let publicPrefixes: Uint32Array | undefined;
/** Bit of `publicPrefixes` for a third letter outside a–z. */
const OTHER_THIRD = 1 << 26;
/**
 * Whether a word starting at `start` may be one of `PUBLIC_SURNAMES` by its first three letters (lower-cased;
 * a first or second letter from U+0100 on always may). The lone-surname pass asks it of every capitalised
 * token before walking and hashing the word: most are sentence openers that no listed surname begins like.
 * Per first two letters, a bit per third letter a–z and one for any other third letter.
 */
export function mayBePublicSurnameAt(text: string, start: number): boolean {
  if (!publicPrefixes) {
    const t = new Uint32Array(256 * 256);
    for (const w of PUBLIC_SURNAMES) {
      const a = lowerCode(w.charCodeAt(0));
      const b = lowerCode(w.charCodeAt(1));
      const c = lowerCode(w.charCodeAt(2));
      // A prefix outside the table's range is answered "may" below.
      if (a < 256 && b < 256) t[a * 256 + b]! |= c >= 97 && c <= 122 ? 1 << (c - 97) : OTHER_THIRD;
    }
    publicPrefixes = t;
  }
  const a = lowerCode(text.charCodeAt(start));
  const b = lowerCode(text.charCodeAt(start + 1));
  if (a >= 256 || b >= 256) return true;
  const third = publicPrefixes[a * 256 + b]!;
  if (third === 0) return false;
  const c = lowerCode(text.charCodeAt(start + 2));
  return (third & (c >= 97 && c <= 122 ? 1 << (c - 97) : OTHER_THIRD)) !== 0;
}

/** ASCII letters, and anything beyond ASCII (accented and non-Latin letters; close enough for trimming). */
function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c > 127;
}

/** Capitalised words that start sentences or name things other than people. */
export const NOT_NAMES: ReadonlySet<string> = new Set(
  (
    "the this that these those a an in on at for from with by to of and or but if when where what who why how please dear hi hello thanks thank " +
    "our your my his her their its we you they it is are was new old north south east west street avenue road city state county university " +
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november december " +
    "inc ltd llc gmbh corp co company bank hospital clinic school college academy institute team group department customer patient order invoice ticket account card number " +
    "mr mrs ms miss dr prof sir madam herr frau mme mlle sr sra srta don doña señor señora monsieur madame user bot agent " +
    "via viale piazza corso rua avenida avda travessa calle paseo plaza camino carretera rue avenue boulevard chemin allée impasse quai route ul str " +
    "apt suite unit flat box po p.o apartment floor room building " +
    "sie ihr ihre ihnen ihm er es wir ich du der die das den dem des und oder aber bitte danke sehr mit von zu bei nach für über " +
    "je tu il elle nous vous ils elles le la les un une des du et ou mais merci bonjour " +
    "usted ustedes nosotros ellos y pero gracias hola por para con sin del lo gli uno una ma grazie ciao het een maar " +
    "mon tue wed thu fri sat sun jun jul aug sep sept oct nov dec latin greek cyrillic arabic hebrew " +
    "god christ jesus allah english french german spanish american british european african asian chinese japanese russian " +
    "america europe africa asia australia canada china india japan russia germany france spain italy england london paris berlin " +
    "i i'm i'd i'll i've yes no ok okay not all any some every each none also just only then there here now today tomorrow yesterday " +
    "phone mobile fax email e-mail website address office desk home work personal info name date time year month week day " +
    "world everyone everybody folks guys " +
    // Capitalised nouns of parliament and official prose ("El Acta", "Libro Blanco", "Sus Señorías", "mi Grupo").
    "acta libro grupo señorías señoría reino " +
    // Spanish courts, offices and laws of case reports and official prose ("el Tribunal", "el Gobierno",
    // "la Ley", "Libertades Fundamentales", "Presidente de la Sección Cuarta").
    "tribunal tribunales gobierno ley leyes libertades fundamentales derechos distrito sección presidente vicepresidente " +
    "secretario secretaria supremo suprema junta delegado delegada justicia fiscalía jefe primera instancia regional superior " +
    "apelación audiencia juzgado ministerio comisión consejera consejero constitucional"
  ).split(" "),
);

/**
 * Words that open a sentence or clause in Spanish, French, Italian and German and that name lists also
 * hold as rare given names ("Esta", "Dans", "Durante"). Alone, such a word is not a name; in a longer
 * run ("Según Aznar") the run is still scored, since the name after it overlaps the run.
 */
export const CLAUSE_OPENERS: ReadonlySet<string> = new Set(
  (
    "esta este esto estas estos esa ese eso esas esos aquel aquella sus su durante hasta hoy ayer según tras desde entre sobre ante " +
    "cuando donde como pero aunque además otro otra todos todas cada muchos algunos así ya al también él " +
    "dans sur sous avec sans pour par vers chez depuis pendant selon après avant lors puis ainsi aussi cette ces ce cet son sa ses " +
    "leur leurs notre votre aucun chaque tout toute tous toutes plusieurs quand un " +
    "il lo gli nel nella nei negli dei delle degli questo questa quello quella suo sua loro dopo prima secondo anche quando dove oggi ieri " +
    "dies diese dieser dieses jener im am vom zum zur beim seit während wegen trotz heute gestern auch noch schon dann als wie wenn " +
    // Italian pronouns, verbs and contracted prepositions and German pronominal adverbs at a sentence start.
    "ora tali tale essa esso esse essi hanno dalla dallo dal dalle dagli alla allo alle agli poi però ciò ogni questi queste " +
    "darin daher damit dabei danach dazu darauf deshalb deswegen trotzdem bien " +
    // Added after U10 was scored (tuned): Italian "Nelle", "Che", "Egli", Spanish "Dada la …".
    "nelle nello che li egli per dada dado dadas dados"
  ).split(" "),
);

/**
 * Spanish pronouns, articles, adverbs and verbs that open a sentence and that name lists or the tagger read
 * as a lone name ("Ella", "Nada", "Tal", "Ni", "Bueno", "Asimismo"). Alone only: "Ella Fitzgerald", "El Greco"
 * and "Tal Ben-Haim" stay. Not when an English or other non-Spanish speech verb follows the word ("Ella
 * said"): there it is a name, and that guess has its own evidence. Kept apart from CLAUSE_OPENERS, which also gate full names.
 * Also not the subject of a Spanish speech verb ("Ella dijo", "Asimismo señaló"). Added in session 20 from
 * U17's errors (seen). Prepositions that open a sentence ("En la ciudad de Sevilla", "Según …") added in
 * session 34 from U25's errors (seen).
 */
export const LONE_SPANISH_OPENERS: ReadonlySet<string> = new Set(
  "el ella ellos ellas los las mi tú te tal ni nada bueno contra hay había eres entonces debajo sólo asimismo deja recomendamos en desde hacia hasta según sobre tras entre para por sin".split(
    " ",
  ),
);

/**
 * Offices, forms of address and collective nouns that follow a title without being a name: "Mr
 * President", "Herr Präsident", "Señor Presidente", "Madam Chairman", "Frau Kollegin". A prefix test, so
 * feminine and plural forms ("Präsidentin", "Presidenta", "Kommissare") are covered.
 */
const OFFICE_WORD =
  /^(?:presiden|präsiden|préside|commission|kommissar|comisari|commissa|minist|chancel|kanzler|cancill|secretar|sekretär|secrétai|speaker|chair|vorsitz|ambassad|botschaft|embajad|ambascia|director|direkt|directeu|governo|gouvern|gobern|mayor|bürgermeist|maire|alcald|sindac|judge|richter|juge|juez|giudic|deput|abgeordnet|député|diputad|senat|sénat|senad|rapport|berichterstat|ponent|relat|kolleg|collègu|coleg|colleg|doctor|doktor|profes|general|généra|admiral|captain|capitán|kapitän|herren|damen|señorí|signori|ladies|gentlemen|member|mitglied|miembro|membre|membro)/;

/** Whether a title is followed by an office or a form of address rather than a name ("Mr President"). */
export function isOfficeWord(word: string): boolean {
  return OFFICE_WORD.test(word.toLowerCase());
}

/** A form's place field ("Localidad/ Provincia: Valencia", "City: Florence"): its value is a place. */
const PLACE_FIELD_BEFORE = /(?:Provincia|Localidad|Ciudad|Municipio|Población|País|Pais|City|Town|Country|County|Ort|Stadt|Wohnort|Ville|Pays|Città|Comune|Paese)[ \t]*:[ \t]*$/u;
const PLACE_BEFORE = /(?:^|[^\p{L}])(?:in|at|from|near|into|across|New|North|South|East|West|San|Santa|Saint|St\.?|Los|Las|Port|Fort|Mount|Lake|Upper|Lower)[ \t]+$/u;

/** Particles inside names ("van de Noort", "de la Cruz"). */
const PARTICLES = new Set("van von de der den del della di da du la le dos das ter ten af zu al bin ibn y e".split(" "));

/** Surname endings of Slavic, Nordic, Baltic, Greek, Romanian, Armenian, Georgian, Turkish and Iberian names. */
const SURNAME_ENDING =
  /(?:ov|ova|ev|eva|yov|yova|sky|skiy|ski|ska|skı|cki|cka|dzki|wicz|owicz|ovich|evich|ovna|evna|ović|ovic|ević|evic|ić|ič|ová|ský|ská|enko|chuk|czuk|ishvili|shvili|adze|dze|sson|ssen|sen|son|dóttir|dottir|nen|lainen|läinen|poulos|opoulou|idis|iadis|akis|aki|escu|eanu|yan|oğlu|oglu|aev|ayev|iev|yev)$/;

const CAPITALISED = /^[\p{Lu}][\p{Ll}'’-]*[\p{Ll}]$/u;
/**
 * Text before a lone surname that puts it in a sentence as a person's name: a comma, or a preposition or
 * conjunction of English, Spanish or French ("con Putin", "de Guterres", "y Lukashenko", "told Jones",
 * "par Dupont"). Not German, where every noun is capitalised and many are surnames too ("im Fasching",
 * "der große Rath", "griffen Streicher" on the seen sets); not after an article or a capitalised word
 * ("el Blanco", "Libro Blanco", "Apt. 800 Espinosa").
 */
const MID_SENTENCE =
  /(?:(?<![\p{L}\p{N}])(?:with|and|or|to|by|for|from|than|like|told|de|del|con|y|e|o|a|para|por|según|entre|contra|ante|sin|sobre|como|que|junto|par|et|avec|à|pour|contre|selon|chez)|,)[ \t]+$/u;
const LONE_SURNAME = 0.55;
const INITIAL = /^[\p{Lu}]\.?$/u;

function norm(word: string): string {
  return withoutPossessive(word).toLowerCase();
}
/** The word without a final "'s" / "’s" (what `/['’]s$/` removes), by two compares instead of a pattern. */
function withoutPossessive(word: string): string {
  const n = word.length;
  if (n < 2 || word.charCodeAt(n - 1) !== 115) return word;
  const q = word.charCodeAt(n - 2);
  return q === 39 || q === 0x2019 ? word.slice(0, n - 2) : word;
}
/**
 * Whether a word is a capital A–Z, then a–z, "'" or "-", ending in a–z: the plain ASCII case of the
 * capitalised-word patterns below (each matches every such word), read without running them.
 */
function plainCapitalised(word: string): boolean {
  const n = word.length;
  const c0 = word.charCodeAt(0);
  if (n < 2 || c0 < 65 || c0 > 90) return false;
  for (let i = 1; i < n; i++) {
    const c = word.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || c === 39 || c === 45)) return false;
  }
  const last = word.charCodeAt(n - 1);
  return last >= 97 && last <= 122;
}
/** `CAPITALISED.test(word)`: the pattern runs only on words that are not plain ASCII ones. */
export function isCapitalised(word: string): boolean {
  return plainCapitalised(word) || CAPITALISED.test(word);
}
/** `INITIAL.test(word)`: a capital, maybe a dot (at most two code units each; longer words are not tested). */
function isInitialWord(word: string): boolean {
  return word.length <= 4 && INITIAL.test(word);
}

/** A house number (or a unit's) right before a run: "12 ", "12a ", "No. 7 ". */
const HOUSE_NUMBER_BEFORE = /\d[A-Za-z]?[ \t,]*$/;
/** "live on", "turn onto": a street's name follows. */
const STREET_BEFORE = /(?:^|[^\p{L}])(?:on|onto|along|off)[ \t]+$/u;

/**
 * The score of a run of capitalised words as a person name, or null when it is not one. The runs
 * come from the person recognizer's pattern: 1–3 name words, with initials and particles between.
 */
export function personScore(span: string, before = ""): number | null {
  const words = span.split(/[ \t]+/);
  const names = words.filter((w) => !isInitialWord(w) && !PARTICLES.has(w));
  if (names.length === 0 || names.length > 3) return null;
  // Each word's lower-cased form is read once here and handed to the lexicon below.
  const normed: string[] = [];
  let streetSurname = false;
  for (let i = 0; i < names.length; i++) {
    const bare = withoutPossessive(names[i]!);
    if (!isCapitalised(bare)) return null;
    const n = bare.toLowerCase();
    if (NOT_NAMES.has(n)) return null;
    if (STREET_WORDS.has(n)) {
      // A street type that is also one of the commonest surnames (Hill, Green, Brooks) may end a name after a
      // given name ("Lisa Green", "Allison Hill") — not after a house number ("12 Allison Hill" is a street).
      // Nor after a place or street word ("in Murray Hill", "live on Jackson Hill").
      if (i === 0 || i < names.length - 1 || !SURNAMES.has(n) || HOUSE_NUMBER_BEFORE.test(before)) return null;
      if (PLACE_BEFORE.test(before) || PLACE_FIELD_BEFORE.test(before) || STREET_BEFORE.test(before)) return null;
      streetSurname = true;
    }
    normed.push(n);
  }
  const kinds = normed.map(kindOf);
  const first = kinds[0];
  const last = kinds[kinds.length - 1];
  if (streetSurname && first !== "given" && first !== "both") return null;
  if (names.length === 1) {
    // One given name on its own ("Anna is from Plotwatt", "said Felix to Linda").
    // "in Boston", "New York", "from Florence": a lone given name after a place word is a place.
    if (PLACE_BEFORE.test(before) || PLACE_FIELD_BEFORE.test(before)) return null;
    // "Esta empresa …", "Durante la sesión …": a clause opener that is also a rare given name.
    if (first === "given" || first === "both") return CLAUSE_OPENERS.has(normed[0]!) ? null : 0.6;
    // A listed surname alone inside a sentence ("habló con Putin", "noticia de Guterres"): a person, at
    // a score the tagger can still veto (a surname that is also a place: "in Washington" stops above).
    if (first === "surname" && MID_SENTENCE.test(before) && names[0]!.length >= 3 && !PARTICLES.has(normed[0]!) && !CLAUSE_OPENERS.has(normed[0]!)) return LONE_SURNAME;
    // An unknown single capitalised word ("Remember", "Users") is not a name even next to "named":
    // the introduction recognizer finds "my name is Rubija".
    return null;
  }
  // Every word is a known name: "Sigrid Nyström", "Anna Bell".
  if (kinds.every((k) => k !== undefined)) {
    if (first === "ambiguous" && last === "ambiguous") return 0.2;
    if (first === "ambiguous" || last === "ambiguous") return 0.6;
    return 0.9;
  }
  if (first === "given" || first === "both") {
    // A given name and an unknown capitalised word: a surname if it has a surname's ending, else likely.
    return SURNAME_ENDING.test(normed[normed.length - 1]!) ? 0.85 : 0.7;
  }
  if (last === "surname" || last === "both") return first === "ambiguous" ? 0.5 : 0.7;
  // A given name that is also a word, then an unknown word with a surname's ending: "Maria Gustavsen".
  if (first === "ambiguous" && last === undefined && SURNAME_ENDING.test(normed[normed.length - 1]!)) return 0.6;
  // Neither word is known: a name only with a surname's ending ("Zargan Vedzizhev", "Satu Elomo" is not).
  if (first === undefined && last === undefined && SURNAME_ENDING.test(normed[normed.length - 1]!)) return 0.6;
  // Romanised Japanese names ("Kimiko Hoshino", "Shuntarou Yamane"): every word is made of Hepburn
  // syllables and has at least three of them; English words rarely are, two in a row even less.
  if (kinds.every((k) => k === undefined) && normed.every(isRomanisedJapanese)) return 0.6;
  // Two unknown capitalised words ("Guilty Pleasures"): below any context boost.
  return 0.1;
}

/** Hepburn syllables: (consonant or digraph)(y) vowel, a syllabic n, or a doubled consonant before one. */
const HEPBURN = /^(?:(?:(?:[kgsztdnhbpmr]y?|sh|ch|ts|j|f|y|w)?[aiueo])|n(?![aiueoy])|[kstp](?=[kstpc]))+$/;
function isRomanisedJapanese(word: string): boolean {
  if (word.length < 4 || !HEPBURN.test(word)) return false;
  let vowels = 0;
  for (let i = 0; i < word.length; i++) if ("aiueo".includes(word[i]!)) vowels++;
  return vowels >= 3;
}

/** Drops a trailing possessive ("Anderson's") and trailing words that cannot end a name. */
export function personTrim(t: string): number {
  // "Ms. Katie Szöllösi Apt. 507": a unit word after a name starts the address.
  // "Hospital Dr. Peset Avda. Gaspar Aguilar, 90": a Spanish street type after it, too.
  const u = /[ \t]+(?:Apt|Apartment|Suite|Unit|Flat|Avda|Av|AV|Avenida|Calle|Paseo|Plaza|Carretera|Ctra|Travesía|Urbanización|Paraje)$/.exec(t);
  if (u) return u.index;
  return /['’]s$/.test(t) ? t.length - 2 : t.length;
}

/** Who else speaks in a chat or a support log, or is greeted there: roles and groups, not persons. */
const CHAT_ROLES = new Set(
  "agent customer client support bot system admin administrator moderator mod user guest host operator assistant representative rep staff team all everyone everybody guys folks friends me you manager doctor nurse patient teacher".split(
    " ",
  ),
);

/**
 * One capitalised word as the speaker of a chat line ("[6:31 PM] Tom: …") or the one a greeting addresses ("Hey
 * Mike!", "Thanks, Tom."): a person if any name list knows the word — a given name that is also a word ("Tom",
 * "Mark", "Max") included, since the place says who it is — unless it is a role or a group ("Agent:", "Hi all").
 */
export function chatNameScore(span: string): number | null | undefined {
  const n = span.toLowerCase();
  if (kindOf(n) === undefined || NOT_NAMES.has(n) || STREET_WORDS.has(n) || CHAT_ROLES.has(n) || isOfficeWord(span)) return null;
  return undefined;
}

/** Words after an introduction ("my name is", "Dear", "signed"): a name unless a stop word or street word. */
export function introScore(span: string): number | null | undefined {
  const words = span.split(/[ \t]+/);
  for (const w of words) {
    const n = norm(w);
    if (INITIAL.test(w) || PARTICLES.has(n)) continue;
    if (NOT_NAMES.has(n) || STREET_WORDS.has(n) || kindOf(n) === "ambiguous") return null;
    // "Liebe Tante,", "Dear Uncle,": a kin word alone is how a letter addresses someone, not a name.
    if (words.length === 1 && KIN_WORDS.has(n)) return null;
  }
  return undefined;
}

/**
 * A word of a found name that may stand for the same person elsewhere in the text ("Stef Bult … Bult
 * was influenced"): at least three letters, capitalised, and neither a stop word, a street word nor
 * a name that is also a common word. Returns the lower-cased word or undefined.
 */
export function propagatableNamePart(word: string): string | undefined {
  const w = withoutPossessive(word);
  if (w.length < 3 || !isNamePart(w)) return undefined;
  const n = w.toLowerCase();
  // An office is no part of its holder's name ("Präsident Maduro … der linke Präsident").
  if (NOT_NAMES.has(n) || STREET_WORDS.has(n) || PARTICLES.has(n) || KIN_WORDS.has(n) || kindOf(n) === "ambiguous" || isOfficeWord(w)) return undefined;
  return n;
}
/**
 * Kin words written before a name or alone as one ("Tante Martha", "Liebe Tante,", "Uncle Frank"): part of
 * how a person is named, never the name that stands for them elsewhere ("die Tante hat …").
 */
const KIN_WORDS: ReadonlySet<string> = new Set(
  (
    "tante onkel mutter vater mama papa mutti vati oma opa großmutter großvater schwester bruder cousine neffe nichte tochter sohn schwager schwägerin " +
    "aunt auntie uncle mother father mom mum dad daddy mommy grandma grandpa granny grandmother grandfather sister brother cousin niece nephew " +
    "oncle maman mère père mémé pépé grand-mère grand-père sœur frère tía tío mamá papá abuela abuelo hermana hermano"
  ).split(" "),
);
/** Capitalised, with at most one more capital after a lower-case letter: "DiCaprio", "McCourt", "O'Brien". */
const NAME_PART = /^[\p{Lu}](?:[\p{Ll}'’-]*|[\p{Ll}'’]+[\p{Lu}][\p{Ll}'’-]*)[\p{Ll}]$/u;
/** `NAME_PART.test(word)`: the pattern runs only on words that are not plain ASCII ones. */
export function isNamePart(word: string): boolean {
  return plainCapitalised(word) || NAME_PART.test(word);
}

/**
 * A found name's surname that is also a common word ("George Bush", "Al Gore", "James Baker", "Vicente
 * Fox"): the lower-cased word, else undefined. `propagatableNamePart` leaves these out; alone elsewhere
 * they are the person only where a capital cannot be a sentence's (see `sameNameElsewhere`).
 */
export function commonWordSurname(word: string): string | undefined {
  const w = withoutPossessive(word);
  if (w.length < 3 || !isNamePart(w)) return undefined;
  const n = w.toLowerCase();
  if (NOT_NAMES.has(n) || STREET_WORDS.has(n) || PARTICLES.has(n) || kindOf(n) !== "ambiguous") return undefined;
  return n;
}

/** A word after a speech verb or a greeting ("says Sawicki.", "Hi Pero,"): a name unless a stop word. */
export function cueScore(span: string): number | null | undefined {
  return introScore(span);
}

/** A lone known name before a speech verb ("Kan shouted", "Koch said"): only gazetteer names. */
export function knownNameScore(span: string): number | null | undefined {
  const n = norm(span);
  if (NOT_NAMES.has(n) || STREET_WORDS.has(n)) return null;
  const k = kindOf(n);
  return k === undefined || k === "ambiguous" ? null : undefined;
}

/**
 * Whether a lone capitalised word can be taken for a person's name when a cue says so: a given name or a
 * surname of the lists (not one that is also a common word), or an unknown word with a surname's ending
 * ("Lukashenko", "Vukadinovic").
 */
export function isNameLike(word: string): boolean {
  const n = norm(word);
  if (NOT_NAMES.has(n) || STREET_WORDS.has(n) || CLAUSE_OPENERS.has(n)) return false;
  const k = kindOf(n);
  if (k === "given" || k === "surname" || k === "both") return true;
  return k === undefined && n.length >= 4 && SURNAME_ENDING.test(n);
}

/** Whether `text.slice(start, end)` is read in place as a surname (or given name and surname) of the name lists ("johnson", "mccann"; not "minaj", which they lack). */
export function isSurnameAt(text: string, start: number, end: number): boolean {
  const k = nameKinds().get(hashLowerAt(text, start, end));
  return k === SURNAME_K || k === BOTH_K;
}
