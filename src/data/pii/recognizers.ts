import { createHash } from "node:crypto";
import { isIPv6 } from "node:net";
import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js/max";
import {
  abaValid,
  bech32Valid,
  cardBrand,
  chAhvValid,
  deDocumentValid,
  frNirValid,
  IBAN_LENGTHS,
  ibanValid,
  ipv4Valid,
  isbn10Valid,
  isRepeated,
  itFiscalCodeValid,
  leitwegIdValid,
  luhnValid,
  nhsUnissued,
  nhsValid,
  ninoValid,
  npiValid,
  spainIdValid,
  ssnValid,
} from "./checksums.js";
import { COMPANION_PATTERN, COMPANION_PREFILTER, companionScore } from "./companions.js";
import { COUNTRY_NAMES } from "./countries.js";
import { isDateRange } from "./date-ranges.js";
import { isEverydayGermanWord } from "./german.js";
import { INITIALS, initialsScore, isInitial, PARTY_INITIALS_PATTERN, PARTY_INITIALS_PREFILTER } from "./initials.js";
import { NATIONAL_ID_RECOGNIZERS } from "./national-ids.js";
import {
  CLAUSE_OPENERS,
  chatNameScore,
  cueScore,
  introScore,
  isNameLike,
  isOfficeWord,
  knownNameScore,
  LONE_SPANISH_OPENERS,
  NOT_NAMES,
  personScore,
  personTrim,
} from "./person.js";
import { validByMetadata } from "./phone-check.js";
import { MORE_ROLES, MORE_ROLES_GERMAN, MORE_ROLES_PREFILTER, MORE_SAYS } from "./roles.js";
import { ADDRESS_BLOCK_PATTERNS, HOUSE, NAME_WORD, POSTCODE, POSTCODE_TOWN, STREET_PATTERNS, STREET_PREFIX_WORDS, STREET_WORDS, TOWN } from "./street.js";
import { isKnownNonPerson } from "./tagger.js";
import { TLD_LIST } from "./tlds.js";

/**
 * A recognizer in Presidio's model: a pattern finds candidates, `validate` confirms (a new score),
 * rejects (null) or keeps the base score (undefined); context words near the span raise the score.
 */
export interface Recognizer {
  id: string;
  entity: string;
  pattern: RegExp;
  /** Capture group holding the entity span (default: the whole match). */
  group?: number;
  score: number;
  /** `before`: up to 24 characters in front of the candidate (a place preposition before a lone name). */
  validate?(text: string, before: string): number | null | undefined;
  /** Words (lower-case) that, within a few tokens of the span or in the column name, raise the score. */
  context?: readonly string[];
  /** Words that reject the candidate (e.g. "version" before an IPv4-looking string). */
  negativeContext?: readonly string[];
  /** Without context the candidate is dropped, or reported as `fallback` with its score. */
  requireContext?: boolean;
  /** With requireContext: a cheap test of the raw text that every context word passes (skips lower-casing most texts). */
  contextGate?: RegExp;
  fallback?: { entity: string; score: number };
  /**
   * Cheap pre-test of the whole text: which character class must occur for this recognizer to run.
   * "cueUpper": a capitalised word after the first that does not open a sentence (a name after a cue
   * word: "said Sawicki", "Hi Pero", "mr. Xu").
   */
  needs: "digit" | "at" | "url" | "upper" | "colon" | "any" | "laterUpper" | "cueUpper";
  /**
   * Where to look: "digits" = only around whitespace-separated tokens holding a digit (identifiers,
   * numbers), "near" = up to 8 tokens around them (dates, addresses), "at" = tokens holding "@",
   * "url" = tokens holding "://" or "www.", "caps" = runs of two or more capitalised tokens (names);
   * default the whole text.
   * Scanning small windows instead of the whole text is what keeps the analyzer fast on prose.
   */
  window?: "digits" | "near" | "at" | "url" | "caps";
  /** Validation is costly (libphonenumber): skip candidates inside a confirmed higher-scoring match. */
  costly?: boolean;
  /** Checksum-backed entities are held to a higher bar in evaluation. */
  checksum?: boolean;
  /** Matches fail their checksum (reported only with strong context): flagged `checksumValid: false`. */
  unverified?: boolean;
  /** A cheap test of each window before the full pattern runs (street-type words, introductions). */
  prefilter?: RegExp;
  /**
   * The longest run of ASCII letters and digits every match holds (a 26-character Bitcoin address, a
   * 16-character fiscal code): a window without such a run is skipped before the pattern runs. The
   * analyzer measures each window's longest run once and shares it between recognizers.
   */
  minRun?: number;
  /**
   * Where the pattern can only match a capitalised token followed by one of these words (the next
   * whitespace token, trailing punctuation aside): texts without such a pair are skipped by a look at
   * the tokens, cheaper on short lines than any whole-text pre-test.
   */
  followsCapital?: ReadonlySet<string>;
  /**
   * Where every match opens with one of these words (titles: "Mr", "Frau", "Sig.ra"), which ends its
   * whitespace token but for one dot: a text without a capitalised token ending so is skipped by a look
   * at the tokens. Each word starts with A–Z (so its token is in the list of capitalised ones).
   */
  tokenEndsWith?: readonly string[];
  /** Trims a candidate span: returns the length to keep (for IBANs and URLs). */
  trim?(text: string): number;
  /**
   * For a name after a cue word (needs "cueUpper"): the name's first word is a capitalised token that
   * may follow a cue (see the analyzer's CUE_UPPER), the cue lies in the `before` tokens ahead of it and
   * the name ends within `after` tokens after it. The pattern then runs only around such tokens, not
   * over a whole document (and with no whole-text pre-test).
   */
  cueTokens?: { before: number; after: number };
}

const TLDS = new Set("com org net edu gov mil int info biz name pro io ai app dev co me tv cloud online site tech store xyz shop blog page email health bank".split(" "));
/** Every delegated top-level domain (IANA's root zone, generated list), Unicode ones included. */
const ALL_TLDS = new Set(TLD_LIST.split(" "));
/**
 * Whether a host name ends in a top-level domain: two letters (every country), the common generic ones,
 * or punycode ("xn--p1ai"); with `any`, every delegated one ("museum", "technology", "рф"). A bare host
 * name in prose (url-host) keeps the short list: "notes.zip" or "clip.mov" are file names far more often.
 */
function tldValid(host: string, any = false): boolean {
  const tld = host.toLowerCase().split(".").pop() ?? "";
  return /^[a-z]{2}$/.test(tld) || TLDS.has(tld) || /^xn--[a-z0-9-]{2,59}$/.test(tld) || (any && ALL_TLDS.has(tld));
}

/** Two-letter endings that are file types more often than country domains in running text. */
const FILE_ENDINGS = new Set("py sh md rs pl ps pm cc mk ml so gz xz db hs go rb kt ts vb fs el lo la ko cs js".split(" "));
/** Endings common enough that "name.ending" alone reads as a web address. */
const WEB_ENDINGS = new Set("com org net edu gov info biz io co de ch at fr es it nl be uk eu us ca au".split(" "));
/** Score of a scheme-less host name (url-host): undefined keeps the base score, 0.2 needs a context word. */
/** Endings of internal networks' host names ("erp-test01.firma.local"): not public, still a host. */
const INTERNAL_ENDINGS = new Set(["local", "lan", "internal", "intranet", "corp"]);
function hostScore(t: string): number | null | undefined {
  const host = /^[^/:]+/.exec(t)![0];
  const labels = host.split(".");
  const tld = labels[labels.length - 1]!;
  if (INTERNAL_ENDINGS.has(tld)) return labels.length >= 3 || t.length > host.length ? undefined : 0.2;
  if (!tldValid(host)) return null;
  // Every label a number but the last: a version or a decimal, not a host.
  if (labels.slice(0, -1).every((l) => /^\d+$/.test(l))) return null;
  if (t.length > host.length) return undefined;
  if (labels.length >= 3 && !FILE_ENDINGS.has(tld)) return undefined;
  if (labels.length === 2 && WEB_ENDINGS.has(tld)) return undefined;
  return 0.2;
}

const MONTHS =
  "january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|" +
  "januar|jänner|februar|märz|maerz|mai|juni|juli|oktober|dezember|" +
  "janvier|février|fevrier|mars|avril|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|" +
  "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre";

const DOB_CONTEXT = [
  "born",
  "birth",
  "dob",
  "d.o.b",
  "birthday",
  "birthdate",
  "dateofbirth",
  "date of birth",
  "geboren",
  "geb",
  "geburtsdatum",
  "geburtstag",
  "né",
  "née",
  "ne le",
  "naissance",
  "nacido",
  "nacida",
  "nacimiento",
  "fecha de nacimiento",
];

const PHONE_CONTEXT = [
  "phone",
  "office",
  "desk",
  "answering",
  "reach",
  "whatsapp",
  "number",
  "tel",
  "telephone",
  "mobile",
  "cell",
  "call",
  "fax",
  "contact",
  "telefon",
  "handy",
  "rufnummer",
  "téléphone",
  "portable",
  "teléfono",
  "telefono",
  "móvil",
  "movil",
];

const ADDRESS_CONTEXT = [
  "address",
  "lives",
  "live",
  "located",
  "residence",
  "street",
  "home",
  "mailing",
  "billing",
  "shipping",
  "adresse",
  "anschrift",
  "postanschrift",
  "lieferadresse",
  "rechnungsadresse",
  "wohnadresse",
  "wohnort",
  "wohnhaft",
  "domicile",
  "dirección",
  "direccion",
  "domicilio",
  "indirizzo",
  "endereço",
];

/** Words near a name: how people are introduced, addressed, signed and related (EN/DE/FR/ES). */
const PERSON_CONTEXT = [
  "name",
  "named",
  "called",
  "name is",
  "my name",
  "i am",
  "i'm",
  "this is",
  "patient",
  "contact",
  "mr",
  "mrs",
  "ms",
  "miss",
  "dr",
  "dear",
  "signed",
  "sincerely",
  "regards",
  "employee",
  "customer",
  "client",
  "beneficiary",
  "account holder",
  "wife",
  "husband",
  "son",
  "daughter",
  "mother",
  "father",
  "brother",
  "sister",
  "friend",
  "colleague",
  "said",
  "told",
  "asked",
  "directed by",
  "written by",
  "nom",
  "prénom",
  "monsieur",
  "madame",
  "cher",
  "chère",
  "vorname",
  "nachname",
  "herr",
  "frau",
  "liebe",
  "lieber",
  "geehrte",
  "geehrter",
  "nombre",
  "apellido",
  "señor",
  "señora",
  "estimado",
  "estimada",
];

/**
 * More USPS street suffixes (Publication 28) that are also surnames ("Forge", "Groves"), for the number-first
 * address pattern only: kept out of STREET_WORDS so that no name loses a word. Left out: suffixes a title, a
 * landmark or a listicle ends with after a number ("Top 10 Scenic Drives", "Day 3 Grand Canyon", "2024-01-15
 * The Golden Gate Bridge").
 */
const EN_MORE_TYPES = "loaf burg burgs forge forges rapid ridges groves spurs trailer";

const EN_TYPE_ALT = [...STREET_WORDS, ...EN_MORE_TYPES.split(" "), "st", "rd", "ln", "dr", "ct", "pl", "sq", "av"]
  .map((w) => w[0]!.toUpperCase() + w.slice(1))
  .sort((a, b) => b.length - a.length)
  .join("|");

const EN_TYPE_PREFILTER = new RegExp(`\\b(?:${EN_TYPE_ALT})\\b`);

const ID_CONTEXT_PASSPORT = ["passport", "reisepass", "pass", "passnummer", "passeport", "pasaporte", "travel document"];

function dateValid(text: string): number | null | undefined {
  const nums = text.match(/\d+/g)?.map(Number) ?? [];
  const year = nums.find((n) => n >= 1900 && n <= 2099);
  if (year === undefined) return null;
  const rest = nums.filter((n) => n !== year);
  if (rest.some((n) => n < 1 || n > 31)) return null;
  if (rest.length === 2 && rest[0]! > 12 && rest[1]! > 12) return null;
  return undefined;
}

/** A German street's name: a capitalised word, then up to five hyphenated parts ("Karl-Marx-", "Otto-von-Guericke-"). */
const DE_STREET_NAME = "[A-ZÄÖÜ][a-zäöüß]{2,}(?:-(?:[A-ZÄÖÜ][a-zäöüß]+|von|van|de|der|am|an|im|zu|zum|zur)){0,5}";
/** German street types that end a compound ("Hauptstraße"), and the same written as a word ("Platz"). */
const DE_STREET_TYPES = "straße|strasse|str\\.|weg|platz|allee|gasse|ring|damm|ufer";
const DE_STREET_WORDS = "(?:Straße|Strasse|Str\\.|Weg|Platz|Allee|Gasse|Ring|Damm|Ufer)(?![\\p{L}])";
/** After a place adjective ("Kärntner Straße", "Leipziger Platz"); not "Weg", "Ring" ("Peter Ring" is a person). */
const DE_ADJECTIVE_STREET_WORDS = "(?:Straße|Strasse|Str\\.|Platz|Allee|Gasse|Damm|Ufer)(?![\\p{L}])";

/** A window that can hold a postcode and its town (the three street-line-with-postcode patterns need one). */
const POSTCODE_PREFILTER = /\d{4}[ \t]+\p{Lu}/u;

/** An IBAN candidate ends where its country's registry length is reached. */
function ibanTrim(t: string): number {
  const want = IBAN_LENGTHS[t.slice(0, 2)];
  if (!want) return t.length;
  let n = 0;
  for (let i = 0; i < t.length; i++) if (t[i] !== " " && t[i] !== "-" && t[i] !== "." && ++n === want) return i + 1;
  return t.length;
}

/**
 * An IBAN as printed (ISO 13616-1: groups of four after "BE71 …") and as found in letters and on invoices:
 * a space between the country code and the check digits ("BE 71 0961 …", "NO 02 1503 …"), groups of any
 * size joined by one space, hyphen or dot ("BE 07-0682455012-66", "NO07.8380.08.06006"). The country's
 * registry length and mod 97 decide.
 */
const IBAN_PATTERN = /\b[A-Z]{2} ?\d{2}(?:[ .-]?[A-Z0-9]){11,30}(?![A-Za-z0-9])/.source;

/** Words that name a payment card outright (EN/DE/FR/ES): enough to report a Luhn-failing card. */
const STRONG_CARD_CONTEXT = ["card", "credit card", "debit card", "card number", "visa", "mastercard", "amex", "kreditkarte", "kartennummer", "karte", "carte", "tarjeta"];
/** Words that name a bank account outright: enough to report an IBAN whose mod 97 fails. */
const STRONG_IBAN_CONTEXT = ["iban", "account", "bank account", "konto", "kontonummer", "bankverbindung", "compte", "rib", "cuenta"];

/**
 * Offices and forms of address ("la señora", "monsieur", "il signor") written before their holder's name
 * (lower case in French, Spanish, Italian, English; German
 * nouns and compounds ending in one: "Innenminister", "Bundestrainer", "Regierungssprecherin").
 */
const ROLES_LOWER =
  "señor|señora|señorita|monsieur|madame|mademoiselle|signor|signore|signora|signorina|président|présidente|ministre|maire|député|députée|sénateur|sénatrice|juge|entraîneur|sélectionneur|porte-parole|presidente|ministro|ministra|alcalde|alcaldesa|diputado|diputada|senador|senadora|juez|jueza|entrenador|seleccionador|portavoz|canciller|sindaco|deputato|allenatore|president|minister|chancellor|senator|governor|mayor|coach|spokesman|spokeswoman|" +
  // Parliament: members, rapporteurs and commissioners are named by role and surname alone ("onorevole
  // Cox", "il relatore Rapkay", "el ponente Koch", "Commissioner Monti", "les députés Cox et Hänsch").
  "onorevole|onorevoli|collega|relatore|relatrice|relatori|commissario|commissaria|vicepresidente|vicepresidenta|ponente|ponentes|comisario|comisaria|diputados|diputadas|commissaire|rapporteur|rapporteure|députés|commissioner|rapporteurs|" +
  MORE_ROLES;
const ROLES_GERMAN =
  "\\p{L}*(?:[Mm]inister|[Kk]anzler|[Pp]räsident|[Tt]rainer|[Ss]precher|[Bb]ürgermeister|[Vv]orsitzende|[Rr]ichter|[Ss]enator)(?:in|r)?|" +
  // "Kollege Koch", "dem Abgeordneten Rack", "Berichterstatterin Schroedter".
  "[Kk]olleg(?:e|en|in)|\\p{L}*[Aa]bgeordnete[nr]?|[Bb]erichterstatter(?:in|n)?|" +
  MORE_ROLES_GERMAN;
/** The Italian abbreviation of "onorevole" after an elided article ("l'on. Rossi", "dell'on. Bianchi"). */
const ROLE_ABBREVIATED = "(?<=(?:^|[^\\p{L}])(?:[Ll]|[Dd]ell|[Aa]ll|[Dd]all|[Ss]ull|[Nn]ell)['’][ \\t]?)on\\.";
/**
 * Germanic particles before a surname named by its role ("onorevole von Wogau"). Not Romance ones: "el
 * ministro de Hacienda", "la vicepresidente della Commissione" name an office.
 */
const ROLE_PARTICLE = "(?:(?:von|van(?:[ \\t]+de[nr]?)?)[ \\t]+)?";
/** A capitalised word, double-barrelled ones whole ("Wulf-Mathies", "Plooij-van"). */
const ROLE_NAME_WORD = "[\\p{Lu}][\\p{Ll}'’-]+(?:-[\\p{Lu}][\\p{Ll}'’-]+)*";
/** Either case for the first letter: "President Obama" as well as "le président Macron". */
const ROLES_EITHER = ROLES_LOWER.split("|")
  .map((w) => `[${w[0]!.toUpperCase()}${w[0]}]${w.slice(1)}`)
  .join("|");
const ROLE_PATTERN = new RegExp(
  `(?<![\\p{L}])(?:${ROLES_EITHER}|${ROLES_GERMAN}|${ROLE_ABBREVIATED})[ \\t]+(${ROLE_PARTICLE}(?:${ROLE_NAME_WORD}[ \\t]+)?${ROLE_NAME_WORD})(?![\\p{L}])`,
  "gu",
);
// Lower-case pieces that every office word holds whatever the case of its first letter (no /i: cheaper).
const ROLE_PREFILTER = new RegExp(
  `eñor|onsieur|adame|ademoiselle|ignor|r[äée]sident|inist|anzler|ancill|hancel|aire|ayor|lcald|[ée]put|iput|[ée]nat|enad|uge|uez|ntra[îi]n|ntrena|rainer|oach|precher|ortavoz|orte-parole|pokes|rgermeister|orsitzende|ichter|indaco|llenatore|overnor|lectionneur|leccionador|norevol|olleg|elat|ommiss|omisari|onente|apporteu|bgeordnet|erichterstatt|['’][ \t]?on\\.|(?:${MORE_ROLES_PREFILTER})[^ \t\n]*[ \t]+(?:[^a-z \t\n]|v[ao]n)`,
);
/** A name after an office word: as after an introduction, and no everyday German noun alone ("Minister Ende"). */
function roleScore(span: string, before = ""): number | null | undefined {
  const first = span.split(/[ \t]/, 1)[0]!;
  if (introScore(span) === null || isOfficeWord(first)) return null;
  // "im Lager (genannt Lager Zarzecze)": after "namens"/"genannt" a name may be a place's or a thing's, which
  // German opens with an everyday noun; a person's does not.
  if (NAMED_BEFORE.test(before) && isEverydayGermanWord(first)) return null;
  // "General Motors", "King Street", "le prince de Galles": a lone word known as a place or thing is not the holder;
  // nor its German genitive ("die Führer Deutschlands").
  if (!/[ \t]/.test(span) && (notALoneName(span) || (span.endsWith("s") && notALoneName(span.slice(0, -1))))) return null;
  return isEverydayGermanWord(span) ? null : undefined;
}
const NAMED_BEFORE = /(?:^|[^\p{L}])(?:namens|genannt)[ \t]+$/u;
/** Labels of a form's name fields (EN/DE): "Surname", "Family Name", "Last name", "Vorname", "Geburtsname". */
const NAME_FIELD =
  "(?:[Ss]ur|[Ff]amily[ \\t]+|[Ll]ast[ \\t]+|[Ff]irst[ \\t]+|[Gg]iven[ \\t]+|[Mm]aiden[ \\t]+|[Mm]iddle[ \\t]+|[Nn]ach|[Vv]or|[Ff]amilien|[Gg]eburts)[Nn]ames?|" +
  "(?:SUR|FAMILY[ \\t]+|LAST[ \\t]+|FIRST[ \\t]+|GIVEN[ \\t]+|MAIDEN[ \\t]+|NACH|VOR)NAMES?";
/** A field's value in capitals: one or two words ("LANDAU", "VAN DYKE"); capitalised ones are read as after any introduction. */
const FIELD_CAPS = "[\\p{Lu}][\\p{Lu}'’-]+(?:[ \\t]+[\\p{Lu}][\\p{Lu}'’-]+)?";
/** Words of a form's labels: a name field's value ends before the next label ("LANDAU First Rosa Middle"). */
/** The salutation of a letter just before the span ("Dear ", "Liebe ", "Cher "). */
const SALUTATION_BEFORE = /(?:^|[^\p{L}])(?:[Dd]ear|[Ll]iebe[rs]?|[Cc]h[eè]re?s?|[Ee]stimad[oa]s?)[ \t]*\n?[ \t]*$/u;
/** Roles and audiences a letter is addressed to, singular and plural (the last word after "Dear"). */
const ADDRESSEES: ReadonlySet<string> = new Set(
  (
    "administrator analyst applicant attendee candidate client colleague consultant coordinator customer designer developer " +
    "director employee engineer enthusiast fan guest homeowner investor manager member neighbor neighbour officer parent " +
    "participant partner patient professional reader representative resident shareholder specialist student subscriber " +
    "supporter teacher traveler traveller user visitor volunteer"
  )
    .split(" ")
    .flatMap((w) => [w, `${w}s`])
    .concat("team staff everyone all committee community sirs madam".split(" "))
    // German, French and Spanish audiences: "Liebe Teilnehmer", "Chers clients", "Estimados pacientes".
    .concat(
      "teilnehmer teilnehmerinnen kunde kunden kundin mitglieder eltern nachbarn gäste patienten clients membres participants collègues patients clientes socios padres participantes colegas pacientes".split(
        " ",
      ),
    ),
);

const FIELD_WORDS: ReadonlySet<string> = new Set(
  "family given first last middle maiden christian name names surname surnames birthdate birth date born nationality sex gender age address occupation vorname nachname geburtsname geburtsdatum geboren".split(
    " ",
  ),
);
/** As personTrim, and the value ends before a form's next label. */
function fieldTrim(t: string): number {
  const end = personTrim(t);
  const words = /[^ \t]+/g;
  for (let m = words.exec(t); m !== null && m.index < end; m = words.exec(t)) if (m.index > 0 && FIELD_WORDS.has(m[0].toLowerCase())) return t.slice(0, m.index).trimEnd().length;
  return end;
}
/**
 * A title, then the name after the last title: up to three capitalised words (the last may be in capitals:
 * "Mr Dean SPIELMANN", "M. DUPONT") or initials ("Dr. K.", "Herrn N", "Mr A.B.", see initials.ts).
 */
const TITLE_PATTERN = new RegExp(
  String.raw`\b(?:(?:Mr|Mrs|Ms|Miss|Mister|Sir|Dr|Prof|Herr|Herrn|Frau|Mme|Mlle|Sr|Sra|Srta|Don|Doña|Dña|Monsieur|Madame|Señor|Señora|Hr|Hrn|Frl|Herren|Sig|Sigg|Sig\.ra|Dott|Dott\.ssa|Avv|Rev|MM?(?=\.)|Me(?=[ \t]))\.?[ \t]+)+((?:[\p{Lu}]\.[ \t]?){0,2}(?:(?:v\.|von|van(?:[ \t]+de[nr]?)?|de(?:[ \t]+la)?|del|della|di|du|dos)[ \t]+)?(?:[\p{Lu}][\p{Ll}'’-]+[ \t]+){0,2}(?:(?:von|van(?:[ \t]+de[nr]?)?|de(?:[ \t]+la)?|del|della|di|du|dos)[ \t]+)?[\p{Lu}](?:[\p{Ll}'’-]+|[\p{Lu}'’-]+(?![\p{Ll}]))|${INITIALS})`,
  "gu",
);
/** A name after a title ("Mr Prodi", "Frau Fischer"), unless an office or a stop word follows it ("Mr President"). */
function titleScore(span: string, before = ""): number | null | undefined {
  // The first capitalised word: a particle may come before it ("Herr von Wogau", "señor de Miguel").
  const first = /[\p{Lu}][^ \t]*/u.exec(span)?.[0] ?? span;
  // Initials ("Frau A", "Dr. K."): a letter in the stop list ("A", "I") is still an initial here.
  if (isInitial(first)) return initialsScore(span);
  if (isOfficeWord(first) || NOT_NAMES.has(first.toLowerCase())) return null;
  // French "Me" (maître, a lawyer: "représenté par Me Dupont") is also the English "me" opening a title-case
  // line ("Me Too", "Me Before You"): after it the name must look like one.
  if (TITLE_ME.test(before) && !isNameLike(first)) return null;
  // German "Herren" (gentlemen: "die Herren Rack und Swoboda") is also a shop's word for men's goods
  // ("Herren Anzüge", "billige Herren Mäntel"): names follow it after an article, and are no everyday noun.
  // "die Herren von Taufers" are the lords of a place, named by it.
  if (TITLE_HERREN.test(before) && (!HERREN_AFTER_ARTICLE.test(before) || isEverydayGermanWord(first) || /^v(?:on|\.)[ \t]/.test(span))) return null;
  return undefined;
}
const TITLE_ME = /(?:^|[^\p{L}])Me[ \t]+$/u;
const TITLE_HERREN = /(?:^|[^\p{L}])Herren[ \t]+$/u;
const HERREN_AFTER_ARTICLE = /(?:^|[^\p{L}])[Dd](?:ie|en|er)[ \t]+Herren[ \t]+$/u;
/**
 * A title's name ends before a word that cannot be part of it: "Dr. K. Der Kläger …" is "K.", the next
 * sentence opening with a capital. Initials followed by words keep those words only when no stop word,
 * office or everyday German noun is among them.
 */
function titleTrim(t: string): number {
  const end = personTrim(t);
  const m = /^(?:[\p{Lu}]\.[ \t]?){1,2}(?=[\p{Lu}][\p{Ll}])/u.exec(t);
  if (!m) return end;
  const rest = t.slice(m[0].length, end).split(/[ \t]+/);
  const bad = rest.some((w) => NOT_NAMES.has(w.toLowerCase()) || isOfficeWord(w) || isEverydayGermanWord(w));
  return bad ? m[0].trimEnd().length : end;
}

/**
 * Verbs of saying in the third person, in Spanish, French, Italian, German and English, that follow
 * their speaker: the preterite and present of Spanish ("explicó", "señala"), the French passé composé
 * and present ("a déclaré", "estime"), Italian ("ha detto", "dichiarò"), German ("erklärte").
 */
const SPEAKER_VERBS =
  "dijo|afirmó|declaró|explicó|señaló|aseguró|añadió|agregó|indicó|destacó|subrayó|recordó|resaltó|opinó|comentó|anunció|manifestó|reconoció|advirtió|insistió|precisó|sostuvo|reiteró|apuntó|consideró|admitió|denunció|criticó|lamentó|afirma|asegura|explica|señala|" +
  "déclare|affirme|explique|souligne|indique|ajoute|précise|rappelle|a déclaré|a affirmé|a expliqué|a indiqué|a souligné|a ajouté|a précisé|a estimé|a dit|a annoncé|a confirmé|a reconnu|a assuré|déclara|affirma|expliqua|répondit|" +
  "ha detto|ha dichiarato|ha spiegato|ha affermato|ha sottolineato|ha aggiunto|ha ricordato|ha commentato|ha annunciato|ha ribadito|dichiara|afferma|sottolinea|spiega|aggiunge|dichiarò|affermò|disse|" +
  "sagte|erklärte|meinte|betonte|kündigte|forderte|kritisierte|warnte|bestätigte|berichtete|erzählte|fügte|" +
  "said|says|told|added|explained|stated|noted|argued|warned|replied|insisted|claimed";
/**
 * A regular-expression alternation of literal words written as a trie ("a(?:ñadió|dmitió)|…"): the engine
 * then reads each letter once instead of trying every word at every position (a flat alternation of the
 * ~100 verbs below cost several per cent of the scan on short lines).
 */
export function trieAlternation(words: readonly string[]): string {
  const byFirst = new Map<string, string[]>();
  let empty = false;
  for (const w of words) {
    if (w === "") empty = true;
    else byFirst.set(w[0]!, [...(byFirst.get(w[0]!) ?? []), w.slice(1)]);
  }
  const branches = [...byFirst].map(([c, rest]) => {
    const sub = trieAlternation(rest);
    const lit = c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return sub === "" ? lit : rest.length === 1 ? lit + sub : `${lit}(?:${sub})`;
  });
  if (branches.length === 0) return "";
  const body = branches.join("|");
  return empty ? `(?:${body})?` : body;
}
const SPEAKER_VERB_TRIE = trieAlternation(SPEAKER_VERBS.split("|"));
/** The first word of each verb ("a" of "a déclaré"): the token after the speaker must be one. */
const SPEAKER_VERB_FIRST_WORDS: ReadonlySet<string> = new Set(SPEAKER_VERBS.split("|").map((v) => v.split(" ")[0]!));
const SPEAKER_VERB_PATTERN = new RegExp(`(?<![\\p{L}\\p{N}@.'’-])([\\p{Lu}][\\p{Ll}'’-]+)(?=[ \\t]+(?:${SPEAKER_VERB_TRIE})(?![\\p{L}]))`, "gu");
/** Words before a noun, not before a name: articles and possessives of the five languages. */
const DETERMINER_BEFORE =
  /(?:^|[^\p{L}])(?:the|a|an|its|his|her|their|our|this|that|el|la|los|las|lo|del|al|un|una|su|sus|este|esta|le|les|du|des|au|aux|une|son|sa|ses|leur|ce|cette|il|i|gli|dello|della|dei|degli|delle|nel|nella|der|die|das|dem|den|des|ein|eine|einer|eines|sein|seine|ihr|ihre|unser|unsere)[ \t]+$/iu;
let countries: Set<string> | undefined;
/**
 * Whether a lone capitalised word that a cue calls a person is something else: a stop or street word, a
 * country, an office, a clause opener, an everyday German noun or a word training knows as a place or
 * an organisation only.
 */
export function notALoneName(word: string): boolean {
  const n = word.toLowerCase();
  countries ??= new Set(COUNTRY_NAMES.split(" "));
  if (countries.has(n) || CLAUSE_OPENERS.has(n) || introScore(word) === null || isOfficeWord(word)) return true;
  return isEverydayGermanWord(word) || isKnownNonPerson(word);
}
/** A lone capitalised word before a speech verb: a person unless after an article, or not a name (above). */
function speakerScore(span: string, before: string): number | null | undefined {
  return DETERMINER_BEFORE.test(before) || notALoneName(span) || LONE_SPANISH_OPENERS.has(span.toLowerCase()) ? null : undefined;
}

/** Every recognizer, most specific first: ties in overlap resolution go to the earlier one. */
export const RECOGNIZERS: readonly Recognizer[] = [
  {
    id: "email",
    window: "at",
    entity: "EMAIL_ADDRESS",
    // Internationalised addresses (RFC 6531) too: letters of any script in the local part and the domain
    // ("josé@bücher.de", "info@пример.рф"); the domain's last label must be a delegated TLD.
    pattern:
      /(?<![\p{L}\p{M}\p{N}_.%+-])[\p{L}\p{N}](?:[\p{L}\p{M}\p{N}._%+-]{0,62}[\p{L}\p{M}\p{N}_%+-])?@(?:[\p{L}\p{N}](?:[\p{L}\p{M}\p{N}-]{0,61}[\p{L}\p{M}\p{N}])?\.)+(?:[\p{L}\p{M}]{2,24}|xn--[A-Za-z0-9-]{2,59})(?![\p{L}\p{M}\p{N}_-])/gu,
    score: 1.0,
    needs: "at",
    validate: (t) => (tldValid(t.slice(t.lastIndexOf("@") + 1), true) && !t.includes("..") ? undefined : null),
    context: ["email", "e-mail", "mail", "courriel", "correo"],
  },
  {
    // An address whose domain is an IP literal (RFC 5321 §4.1.3): "user@[192.0.2.1]", "ops@[IPv6:2001:db8::1]",
    // and the bare form mail clients also accept, "user@192.0.2.1".
    id: "email-ip",
    window: "at",
    entity: "EMAIL_ADDRESS",
    pattern:
      /(?<![\w.%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?@(?:\[(?:\d{1,3}(?:\.\d{1,3}){3}|IPv6:[0-9A-Fa-f:.]{2,45})\]|\d{1,3}(?:\.\d{1,3}){3}(?![\w.]|\.\d))/g,
    score: 1.0,
    needs: "at",
    validate: (t) => {
      const domain = t.slice(t.lastIndexOf("@") + 1).replace(/^\[(?:IPv6:)?|\]$/g, "");
      return !t.includes("..") && (ipv4Valid(domain) || (t.includes("IPv6:") && isIPv6(domain))) ? undefined : null;
    },
    context: ["email", "e-mail", "mail", "courriel", "correo"],
  },
  {
    id: "credit-card",
    window: "digits",
    entity: "CREDIT_CARD",
    // Separators: spaces, hyphens, or dots ("5555.5555.5555.4444", as some forms and receipts print them).
    pattern: /(?<![\d.-])(?:\d[ .-]?){11,18}\d(?![\d-]|\.\d)/g,
    score: 1.0,
    needs: "digit",
    checksum: true,
    validate: (t) => {
      const d = t.replace(/[ .-]/g, "");
      if (/^[ .-]/.test(t) || isRepeated(d) || !cardBrand(d) || !luhnValid(d)) return null;
      // Groups must look like card printing: no separators, or groups of 4 (Amex 4-6-5), one separator throughout.
      if (/[ .-]/.test(t) && !/^\d{4}([ .-])\d{4}\1\d{4}\1\d{1,7}$/.test(t) && !/^\d{4}([ .-])\d{6}\1\d{4,5}$/.test(t)) return null;
      // 13-digit Visa numbers are no longer issued, while 13-digit identifiers with a check digit abound (an
      // EAN-13 barcode whose 400-440 prefix reads as Visa); a 14-digit number whose first nine digits pass
      // Luhn too is a French SIRET's shape (a SIREN and an establishment number, both Luhn; one card in ten
      // by chance). Either is a card only next to a card word.
      return d.length === 13 || (d.length === 14 && luhnValid(d.slice(0, 9))) ? 0.4 : undefined;
    },
    context: ["card", "credit", "visa", "mastercard", "amex", "cc", "kreditkarte", "karte", "carte", "tarjeta", "pan"],
  },
  {
    // Luhn-valid numbers on no listed issuer range (private-label, Dankort, test ranges): a card only next to a card word.
    id: "credit-card-context",
    window: "digits",
    entity: "CREDIT_CARD",
    pattern: /(?<![\d-])(?:\d{12,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{1,7})(?![\d-])/g,
    score: 0.3,
    needs: "digit",
    checksum: true,
    requireContext: true,
    validate: (t) => {
      const d = t.replace(/[ -]/g, "");
      return isRepeated(d) || cardBrand(d) || !luhnValid(d) ? null : undefined;
    },
    context: ["card", "credit card", "debit card", "cc", "kreditkarte", "carte", "tarjeta"],
  },
  {
    id: "iban",
    // Letter-only groups ("DOHB", "CDEF") sit between digit groups: look a few tokens further.
    window: "near",
    entity: "IBAN_CODE",
    pattern: new RegExp(IBAN_PATTERN, "g"),
    score: 1.0,
    needs: "digit",
    checksum: true,
    trim: ibanTrim,
    validate: (t) => (ibanValid(t) ? undefined : null),
    context: ["iban", "account", "bank", "konto", "compte", "cuenta"],
  },
  // Checksum-failing look-alikes (one rule for cards, IBANs and ABA routing numbers, see docs/data.md):
  // a value printed exactly like the real thing, failing only its check digits, is what a mistyped or
  // altered number looks like and still discloses the account when redacting; a random number is not
  // a card. So they are reported only next to a strong context word (base 0.2 + 0.35 = 0.55, just
  // above the default threshold, below every checksum-valid match) and flagged `checksumValid: false`.
  {
    id: "credit-card-unverified",
    window: "digits",
    entity: "CREDIT_CARD",
    pattern: /(?<![\d-])(?:\d[ -]?){11,18}\d(?![\d-])/g,
    score: 0.2,
    needs: "digit",
    checksum: true,
    unverified: true,
    requireContext: true,
    validate: (t) => {
      const d = t.replace(/[ -]/g, "");
      if (/^[ -]/.test(t) || isRepeated(d) || !cardBrand(d) || luhnValid(d)) return null;
      if (/[ -]/.test(t) && !/^\d{4}([ -])\d{4}\1\d{4}\1\d{1,7}$/.test(t) && !/^\d{4}([ -])\d{6}\1\d{4,5}$/.test(t)) return null;
      return undefined;
    },
    context: STRONG_CARD_CONTEXT,
  },
  {
    id: "iban-unverified",
    window: "near",
    entity: "IBAN_CODE",
    pattern: new RegExp(IBAN_PATTERN, "g"),
    score: 0.2,
    needs: "digit",
    checksum: true,
    unverified: true,
    requireContext: true,
    trim: ibanTrim,
    // The registry length of its country, digits where the check digits go: only mod 97 fails.
    validate: (t) => {
      const c = t.replace(/[ .-]/g, "");
      return IBAN_LENGTHS[c.slice(0, 2)] === c.length && !isRepeated(c.slice(4)) && !ibanValid(t) ? undefined : null;
    },
    context: STRONG_IBAN_CONTEXT,
  },
  {
    id: "aba-routing-unverified",
    minRun: 9,
    window: "digits",
    entity: "US_BANK_ROUTING",
    pattern: /(?<![\d-])\d{9}(?![\d-])/g,
    score: 0.2,
    needs: "digit",
    checksum: true,
    unverified: true,
    requireContext: true,
    validate: (t) => (isRepeated(t) || abaValid(t) ? null : undefined),
    context: ["routing", "aba", "rtn", "routing number", "routing no"],
  },
  {
    id: "us-ssn",
    window: "digits",
    entity: "US_SSN",
    pattern: /(?<![\d-])\d{3}([- .]?)\d{2}\1\d{4}(?![\d-])/g,
    score: 0.5,
    needs: "digit",
    validate: (t) => (ssnValid(t) ? (/^\d{9}$/.test(t) ? 0.15 : undefined) : null),
    context: ["ssn", "social security", "social", "security", "ss#", "ssn#"],
  },
  {
    id: "us-itin",
    window: "digits",
    entity: "US_ITIN",
    pattern: /(?<![\d-])9\d{2}([- ]?)(?:5\d|6[0-5]|7\d|8[0-8]|9[0-24-9])\1\d{4}(?![\d-])/g,
    score: 0.5,
    needs: "digit",
    validate: (t) => (/^\d{9}$/.test(t) ? 0.15 : undefined),
    context: ["itin", "taxpayer", "tax"],
  },
  {
    id: "fr-nir",
    window: "digits",
    entity: "FR_NIR",
    pattern: /(?<![\dA-Z])[1-478] ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}(?![\dA-Z])/g,
    score: 0.9,
    needs: "digit",
    checksum: true,
    validate: (t) => (frNirValid(t) ? undefined : null),
    context: ["sécurité sociale", "securite sociale", "nir", "insee", "numéro de sécu", "sécu", "secu", "social"],
  },
  {
    id: "es-nif",
    minRun: 7,
    window: "digits",
    entity: "ES_NIF",
    // Either case: the control letter is checked after upper-casing, so a lower-case form is no riskier.
    pattern: /(?<![\dA-Za-z])(?:\d{7,8}|[XYZxyz]-?\d{7})-?[A-Za-z](?![\dA-Za-z])/g,
    score: 0.9,
    needs: "digit",
    checksum: true,
    // Seven digits (leading zero left out) validate 1 time in 23 by chance: a lower score.
    validate: (t) => (spainIdValid(t) ? (/^\d{7}-?[A-Za-z]$/.test(t) ? 0.6 : undefined) : null),
    context: ["dni", "nif", "nie", "documento", "identidad"],
  },
  {
    id: "de-id-card",
    minRun: 10,
    window: "digits",
    entity: "DE_ID_CARD",
    pattern: /(?<![\dA-Za-z])[CFGHJKLMNPRTVWXYZ][CFGHJKLMNPRTVWXYZ0-9]{8}\d(?![\dA-Za-z])/g,
    score: 0.6,
    needs: "digit",
    checksum: true,
    // A prefix of letters, then only digits ("PRG1502112", "RG12345674") is how invoice, order and file numbers
    // are made; a card's serial (authority code and running number from one 27-character alphabet) is so by
    // chance about once in a thousand: a card number only beside a card word.
    validate: (t) => (deDocumentValid(t) && /\d.*\d/.test(t.slice(0, 9)) ? (/^[A-Z]{2,}\d+$/.test(t) ? 0.4 : undefined) : null),
    context: ["personalausweis", "ausweis", "ausweisnummer", "id card", "identity card", "reisepass", "passport", "dokumentennummer", "seriennummer"],
  },
  {
    // The number printed on the card face is the 9-character serial; its check digit is only in the MRZ.
    id: "de-id-card-printed",
    minRun: 9,
    window: "digits",
    entity: "DE_ID_CARD",
    pattern: /(?<![\dA-Za-z])[CFGHJKLMNPRTVWXYZcfghjklmnprtvwxyz][CFGHJKLMNPRTVWXYZcfghjklmnprtvwxyz0-9]{8}(?![\dA-Za-z])/g,
    score: 0.6,
    needs: "digit",
    requireContext: true,
    validate: (t) => (/\d.*\d/.test(t) ? undefined : null),
    context: ["personalausweis", "ausweis", "ausweisnummer", "id card", "identity card", "dokumentennummer", "seriennummer"],
  },
  // German tax and social insurance numbers, Spanish social security and company NIFs (context required).
  ...NATIONAL_ID_RECOGNIZERS,
  {
    // Italian codice fiscale: its structure and check letter are enough (a 16-character code of this
    // shape that also passes mod 26 is not something else); either case.
    id: "it-fiscal-code",
    minRun: 16,
    window: "digits",
    entity: "IT_FISCAL_CODE",
    pattern: /(?<![\dA-Za-z])[A-Za-z]{6}[\dLMNP-Vlmnp-v]{2}[A-Za-z][\dLMNP-Vlmnp-v]{2}[A-Za-z][\dLMNP-Vlmnp-v]{3}[A-Za-z](?![\dA-Za-z])/g,
    score: 0.9,
    needs: "digit",
    checksum: true,
    validate: (t) => (itFiscalCodeValid(t) ? undefined : null),
    context: ["codice fiscale", "cf", "c.f", "fiscale", "tax code", "steuernummer", "code fiscal"],
  },
  {
    // Swiss AHV/AVS number: 756 + 9 digits + EAN-13 check digit, printed 756.1234.5678.97; bare 13
    // digits (one in ten passes by chance) need a context word.
    id: "ch-ahv",
    window: "digits",
    entity: "CH_AHV",
    pattern: /(?<![\d.])756(?:\.\d{4}\.\d{4}\.\d{2}|\d{10})(?![\d.]|\.\d)/g,
    score: 0.9,
    needs: "digit",
    checksum: true,
    validate: (t) => (chAhvValid(t) ? (t.includes(".") ? undefined : 0.3) : null),
    context: ["ahv", "avs", "ahv-nr", "avs-nr", "sozialversicherungsnummer", "versichertennummer", "numéro avs", "social security"],
  },
  {
    id: "uk-nino",
    window: "digits",
    entity: "UK_NINO",
    pattern: /\b[A-Za-z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-Da-d]\b/g,
    score: 0.85,
    needs: "digit",
    validate: (t) => (ninoValid(t) ? undefined : null),
    context: ["national insurance", "nino", "ni number", "insurance"],
  },
  {
    id: "uk-nhs",
    window: "digits",
    entity: "UK_NHS",
    pattern: /(?<![\d-])\d{3}([ -]?)\d{3}\1\d{4}(?![\d-])/g,
    score: 0.4,
    needs: "digit",
    checksum: true,
    // Printed in the NHS's own 3-3-4 grouping it is more than a bare number that happens to pass mod 11 — unless
    // it lies in a range no UK scheme issues (a US "555-321-9876" passes mod 11 one time in 11): then only an NHS
    // word makes it one.
    validate: (t) => (nhsValid(t) ? (/\d[ -]\d/.test(t) && !nhsUnissued(t) ? 0.5 : undefined) : null),
    context: ["nhs", "health service", "nhs number"],
  },
  {
    id: "aba-routing",
    minRun: 9,
    window: "digits",
    entity: "US_BANK_ROUTING",
    pattern: /(?<![\d-])\d{9}(?![\d-])/g,
    score: 0.3,
    needs: "digit",
    checksum: true,
    validate: (t) => (abaValid(t) ? undefined : null),
    context: ["routing", "aba", "rtn", "transit"],
  },
  {
    id: "us-npi",
    minRun: 10,
    window: "digits",
    entity: "US_NPI",
    pattern: /(?<![\d-])[12]\d{9}(?![\d-])/g,
    score: 0.3,
    needs: "digit",
    checksum: true,
    validate: (t) => (npiValid(t) ? undefined : null),
    context: ["npi", "provider", "national provider"],
  },
  {
    id: "crypto-btc",
    minRun: 26,
    window: "digits",
    entity: "CRYPTO",
    pattern: /\b[13][a-km-zA-HJ-NP-Z1-9]{25,34}\b/g,
    score: 1.0,
    needs: "digit",
    checksum: true,
    validate: (t) => (base58CheckValid(t) ? undefined : null),
    context: ["bitcoin", "btc", "wallet", "crypto"],
  },
  {
    id: "crypto-bech32",
    minRun: 14,
    window: "digits",
    entity: "CRYPTO",
    pattern: /\b(?:bc|tb|BC|TB)1[02-9ac-hj-np-zAC-HJ-NP-Z]{11,71}\b/g,
    score: 1.0,
    needs: "digit",
    checksum: true,
    validate: (t) => (bech32Valid(t) ? undefined : null),
    context: ["bitcoin", "btc", "wallet", "crypto"],
  },
  {
    id: "passport",
    minRun: 8,
    window: "digits",
    entity: "PASSPORT",
    // US (9 digits or letter + 8), FR (2 digits, 2 letters, 5 digits), ES (3 letters, 6 digits), DE (C + 8 + check),
    // two letters + 7 digits (IT, IN with one letter + 7, and many others; context required like the rest).
    pattern: /(?<![\dA-Za-z])(?:[A-Z]?\d{8}|\d{9}|\d{2}[A-Z]{2}\d{5}|[A-Z]{3}\d{6}|[A-Z]{1,2}\d{7}|C[CFGHJKLMNPRTVWXYZ0-9]{8}\d?)(?![\dA-Za-z])/g,
    score: 0.6,
    needs: "digit",
    requireContext: true,
    context: ID_CONTEXT_PASSPORT,
  },
  {
    id: "mrn-anchored",
    // Every anchor word holds one of these (same flags, so the same case folding). The hospital's case,
    // admission and lab numbers of German letters, the French IPP and stay number count as record numbers.
    prefilter: /MRN|medical|patient|Fall-?(?:nr|nummer)|Pat(?:ienten)?\.?-?nr|Aufnahme|Labor-?(?:nr|nummer)|IPP|s[ée]jour|dossier|historia|NHC|accession|encounter/i,
    window: "near",
    entity: "MEDICAL_RECORD_NUMBER",
    pattern:
      /\b(?:MRN|medical\s+record(?:\s+(?:number|no\.?|#))?|patient\s+(?:id|number|no\.?)|Patientennummer|Patienten-?ID|Fallnummer|Fall-?Nr\.?|Pat(?:ienten)?\.?-?Nr\.?|Aufnahme-?(?:nummer|Nr\.?)|Labor-?(?:nummer|Nr\.?)|IPP|num[ée]ro\s+de\s+s[ée]jour|(?:accession|encounter)\s+(?:number|no\.?|id)|num[ée]ro\s+de\s+dossier|dossier(?:\s+m[ée]dical)?|historia\s+cl[ií]nica|NHC)\s*(?:[:#]|n[º°o]\.?)?\s*([A-Z]{0,3}-?\d{4,10})\b/gi,
    group: 1,
    score: 0.85,
    needs: "digit",
  },
  {
    id: "mrn-column",
    minRun: 5,
    window: "digits",
    entity: "MEDICAL_RECORD_NUMBER",
    pattern: /(?<![\w-])[A-Z]{0,3}-?\d{5,10}(?![\w-])/g,
    score: 0.5,
    needs: "digit",
    requireContext: true,
    context: ["mrn", "medical record", "patient id", "patientid", "patient number", "patientennummer", "fallnummer", "dossier", "historia clinica", "historia clínica", "nhc"],
  },
  {
    id: "ipv4",
    window: "digits",
    entity: "IP_ADDRESS",
    pattern: /(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w]|\.\d)/g,
    score: 0.6,
    needs: "digit",
    validate: (t) => (ipv4Valid(t) ? undefined : null),
    context: ["ip", "address", "host", "server", "client", "adresse", "dirección"],
    negativeContext: [
      "version",
      "ver",
      "v",
      // Gecko's revision in a browser's user agent: "(X11; Linux x86_64; rv:1.9.5.20) Gecko/…".
      "rv",
      "build",
      "release",
      "firmware",
      "oid",
      "upgrade",
      "upgraded",
      "update",
      "updated",
      "downgrade",
      "install",
      "installed",
      "patch",
      "sdk",
      "api",
    ],
  },
  {
    id: "ipv6",
    window: "digits",
    entity: "IP_ADDRESS",
    // It may follow a label and a colon ("IP:fe80::1", "src:2001:db8::1") when the label has a letter no hex
    // group has; a start right after a colon inside an address (all hex) stays refused.
    pattern: /(?:(?<![\w:.])|(?<=(?<![\w:.])[\w-]*[G-Zg-z_][\w-]*:))(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:])/g,
    score: 0.6,
    needs: "colon",
    validate: (t) => (t.length >= 6 && isIPv6(t) && /[0-9a-fA-F]{2}/.test(t) ? undefined : null),
    context: ["ip", "ipv6", "address", "host"],
  },
  {
    id: "phone",
    window: "digits",
    costly: true,
    entity: "PHONE_NUMBER",
    // An extension ("x0135", "ext. 12") belongs to the number.
    // Not inside a time ("04:54:07.241050"); a dash before a word ends it ("06-93941926-Office"); not the
    // latitude of a coordinate pair ("at 76.922537, 120.168322": a decimal, then a comma and a decimal); not
    // before a dash and one letter closing the token (an ISBN's check character: "0-8412-0473-X").
    pattern: /(?<![\w+/.-]|\d:)(?:\+|\(\+?)?\d[\d \t()./-]{5,22}\d(?:\s?(?:x|ext\.?)\s?\d{1,5})?(?![\w/]|-\d|-[A-Za-z](?!\w)|\.\d|,\s?-?\d{1,3}\.\d{4})/g,
    score: 0.6,
    needs: "digit",
    validate: phoneScore,
    context: PHONE_CONTEXT,
  },
  {
    // Vanity numbers (North American, letters on the keypad): "1-800-FLOWERS", "(888) GOT-JUNK".
    id: "phone-vanity",
    window: "digits",
    entity: "PHONE_NUMBER",
    pattern: /(?<![\w+/.-])(?:\+?1[ .-])?(?:\([2-9]\d{2}\)[ ]?|[2-9]\d{2}[ .-])(?=[A-Z0-9-]*[A-Z][A-Z0-9-]*[A-Z][A-Z0-9-]*[A-Z])[A-Z0-9]{2,4}-?[A-Z0-9]{3,5}(?![\w-])/g,
    score: 0.6,
    needs: "digit",
    validate: (t) => {
      const digits = t.replace(/[A-Z]/g, (c) => KEYPAD[c.charCodeAt(0) - 65]!).replace(/\D/g, "");
      // Seven letters name the number; letters past the seventh are decoration ("1-800-FLOWERSS").
      const national = (/^\+?1[ .-]/.test(t) ? digits.slice(1) : digits).slice(0, 10);
      return national.length === 10 && parsePhoneNumberFromString(national, "US")?.isValid() ? undefined : null;
    },
    context: PHONE_CONTEXT,
  },
  {
    id: "date-of-birth",
    window: "near",
    entity: "DATE_OF_BIRTH",
    pattern: new RegExp(
      `(?<![\\w./-])(?:\\d{1,2}[./-]\\d{1,2}[./-](?:19|20)\\d{2}|(?:19|20)\\d{2}-\\d{1,2}-\\d{1,2}|\\d{1,2}(?:st|nd|rd|th|er|\\.)?\\s+(?:de\\s+|of\\s+)?(?:${MONTHS})\\.?,?\\s+(?:de\\s+)?(?:19|20)\\d{2}|(?:${MONTHS})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+(?:19|20)\\d{2})(?![\\w-]|\\.\\d)`,
      "giu",
    ),
    score: 0.85,
    needs: "digit",
    validate: dateValid,
    requireContext: true,
    fallback: { entity: "DATE_TIME", score: 0.35 },
    context: DOB_CONTEXT,
  },
  {
    id: "street-address-en",
    window: "near",
    prefilter: EN_TYPE_PREFILTER,
    entity: "STREET_ADDRESS",
    pattern: new RegExp(
      `\\b\\d{1,5}[A-Za-z]?\\s+(?:\\d{1,5}\\s+)?(?:[\\p{Lu}][\\p{L}'’-]+\\.?\\s+){1,3}(?:${EN_TYPE_ALT})\\b\\.?(?:,?\\s+(?:Apt|Suite|Unit|Flat)\\.?\\s*#?\\w+)?`,
      "gu",
    ),
    score: 0.6,
    needs: "digit",
    context: ADDRESS_CONTEXT,
  },
  {
    // Any country's street form after an address phrase: "address is 450 Præstevænget 15", "lives at …".
    id: "street-address-anchored",
    // Every anchor ends in "address", "Anschrift" or a short preposition between spaces (same flags).
    prefilter: /address|anschrift|\s(?:at|on|to|of|in|au|en)\s/iu,
    window: "near",
    entity: "STREET_ADDRESS",
    pattern:
      /\b(?:address(?:es)?(?:\s+is)?\s*:?|(?:lives?|lived|living|located|meet(?:\s+(?:me|you|us))?|is|are|arrived|deliver(?:ed)?|send\s+it|drop(?:s|ped)?\s+(?:you|me)\s+off)\s+(?:at|on)|office\s+is\s+at|moved\s+to|(?:sent|send|return(?:ed)?|deliver(?:ed)?|mail(?:ed)?)\s+to|ship(?:ped)?\s+to|corner\s+of|(?:north|south|east|west)(?:ern)?\s+side\s+of|wohnt\s+in|Anschrift\s*:?|domicili[ée]\s+au|vive\s+en)\s+((?:\d{1,6}\s+)?[\p{L}][\p{L}'.-]+(?:\s+[\p{L}][\p{L}'.-]+){0,3}\s+\d{1,5}[a-z]?\b(?:,?\s+(?:Apt|Suite|Unit|Flat)\.?\s*#?\d+)?)/giu,
    group: 1,
    score: 0.6,
    needs: "digit",
  },
  {
    // The second street of a corner, which has no number: "the corner of 34 Marathonos Street and Vukelj Mountain St."
    id: "street-address-corner",
    // ASCII classes, not the i flag: the same test (without u, /i folds no other letter to these) and cheaper.
    prefilter: /[Cc][Oo][Rr][Nn][Ee][Rr]/,
    entity: "STREET_ADDRESS",
    pattern: new RegExp(`\\bcorner\\s+of\\s+[^\\n]{3,60}?\\s+and\\s+((?:[\\p{Lu}][\\p{L}'’-]+\\s+){1,3}(?:${EN_TYPE_ALT})\\b\\.?)`, "giu"),
    group: 1,
    score: 0.6,
    needs: "laterUpper",
  },
  {
    id: "street-address-de",
    // Every match holds its street-type ending (the same words, case-sensitive like the pattern).
    // Also the type as a word of its own after a hyphen or an adjective: "Erich-Kästner-Platz 5",
    // "Friedrich-Ebert-Str. 7", "Kärntner Straße 33" (at most five hyphenated parts: no long backtracking).
    prefilter: /straße|strasse|str\.|weg|platz|allee|gasse|ring|damm|ufer|Straße|Strasse|Str\.|Weg|Platz|Allee|Gasse|Ring|Damm|Ufer/,
    window: "near",
    entity: "STREET_ADDRESS",
    pattern: new RegExp(`\\b${DE_STREET_NAME}(?:${DE_STREET_TYPES}|-${DE_STREET_WORDS}|(?<=[a-zäöüß]{4}er)[ \\t]+${DE_ADJECTIVE_STREET_WORDS})\\s+\\d{1,4}\\s?[a-z]?\\b`, "gu"),
    score: 0.6,
    needs: "digit",
    context: ["adresse", "anschrift", "wohnhaft", "wohnt", "straße", "address"],
  },
  {
    // German street names without a street-type word, after a preposition or article ("Am Waldrand 12",
    // "Unter den Linden 77", "Zur Alten Mühle 3"): only with the postcode and town that follow them.
    id: "street-address-de-prefix",
    window: "near",
    entity: "STREET_ADDRESS",
    prefilter: POSTCODE_PREFILTER,
    pattern: new RegExp(
      `(?<![\\p{L}\\d])(?:Am|An der|An den|An dem|Auf der|Auf dem|Auf den|Im|In der|In den|Zum|Zur|Unter den|Unter der|Hinter der|Hinter dem|Hinter den|Vor dem|Vor den|Beim|Bei der|Über der|Über den)[ \\t]+${NAME_WORD}(?:[ \\t]+${NAME_WORD}){0,2}[ \\t]+${HOUSE}(?=${POSTCODE_TOWN})`,
      "gu",
    ),
    score: 0.6,
    needs: "digit",
    context: ADDRESS_CONTEXT,
  },
  {
    // Any street line whose postcode and town follow it (DE/AT/CH/FR/IT/ES order: "Waldesruh 7, 12345
    // Neustadt"), even without a street-type word; the postcode must not look like a year.
    id: "street-address-before-postcode",
    window: "near",
    entity: "STREET_ADDRESS",
    prefilter: POSTCODE_PREFILTER,
    pattern: new RegExp(`(?<![\\p{L}\\d.-])${NAME_WORD}(?:[ \\t]+${NAME_WORD}){0,3}[ \\t]+${HOUSE}(?=${POSTCODE_TOWN})`, "gu"),
    score: 0.6,
    needs: "digit",
    context: ADDRESS_CONTEXT,
  },
  {
    // The postcode and town that close a street line are part of the address, reported as their own
    // piece (as the block postcodes are): "Musterstraße 5, 10115 Berlin", "Via Nassa 19\n6900 Lugano".
    id: "street-address-postcode-town",
    window: "near",
    entity: "STREET_ADDRESS",
    prefilter: POSTCODE_PREFILTER,
    pattern: new RegExp(
      `(?:[\\p{L}.][ \\t]+${HOUSE}|\\b\\d{1,5}(?:[ \\t]?(?:bis|ter))?,?[ \\t]+(?:[Rr]ue|[Aa]venue|[Bb]oulevard|[Bb]d|[Pp]lace|[Cc]hemin|[Aa]llée|[Ii]mpasse|[Qq]uai|[Rr]oute|[Cc]ours)[ \\t]+[^,\\n\\d]{2,50}?)[ \\t]*,?[ \\t]*(?:\\r?\\n[ \\t]*)?(${POSTCODE}[ \\t]+${TOWN})`,
      "gu",
    ),
    group: 1,
    trim: (t) => t.replace(/[.,]+$/, "").length,
    score: 0.6,
    needs: "digit",
    context: ADDRESS_CONTEXT,
  },
  {
    id: "street-address-fr",
    // Every match holds its street-type word (the same words, case-sensitive like the pattern).
    prefilter: /rue|avenue|av\.|boulevard|bd|place|chemin|allée|allee|impasse|quai|route|cours/,
    window: "near",
    entity: "STREET_ADDRESS",
    pattern:
      /\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|av\.|boulevard|bd|place|chemin|allée|allee|impasse|quai|route|cours)\s+(?:de\s+la\s+|de\s+l'|du\s+|des\s+|de\s+|d')?[\p{Lu}][\p{L}'-]+(?:\s+[\p{Lu}][\p{L}'-]+)*/gu,
    score: 0.6,
    needs: "digit",
    context: ["adresse", "domicile", "habite", "demeurant", "address"],
  },
  {
    id: "street-address-es",
    // Every match opens with its street-type word (the same words, case-sensitive like the pattern).
    prefilter: /[Cc]alle|C\/|[Aa]venida|[Aa]vda|[Pp]aseo|[Pp]laza|[Cc]amino|[Cc]arretera|[Rr]onda/,
    window: "near",
    entity: "STREET_ADDRESS",
    pattern:
      /\b(?:[Cc]alle|C\/|[Aa]venida|[Aa]vda\.?|[Pp]aseo|[Pp]laza|[Cc]amino|[Cc]arretera|[Rr]onda)\s+(?:de\s+(?:la\s+|los\s+|las\s+)?|del\s+)?[\p{Lu}][\p{L}]+(?:\s+[\p{Lu}][\p{L}]+)*,?\s+(?:n[º°o]\.?\s*)?\d{1,4}/gu,
    score: 0.6,
    needs: "digit",
    context: ["dirección", "direccion", "domicilio", "vive", "reside", "address"],
  },
  // Each with its street-type pre-test: every match holds what the pre-test looks for (test/data/pii-speed.test.ts).
  ...STREET_PATTERNS.map(
    ({ id, pattern, prefilter }): Recognizer => ({ id, window: "near", entity: "STREET_ADDRESS", pattern, prefilter, score: 0.6, needs: "digit", context: ADDRESS_CONTEXT }),
  ),
  ...ADDRESS_BLOCK_PATTERNS.map(
    ({ id, pattern, prefilter }): Recognizer => ({ id, prefilter, entity: "STREET_ADDRESS", pattern, group: 1, score: 0.6, needs: "digit", context: ADDRESS_CONTEXT }),
  ),
  {
    id: "url",
    window: "url",
    entity: "URL",
    pattern: /\b(?:https?|ftp):\/\/[^\s<>"'`]+|\bwww\.[^\s<>"'`]+/gi,
    score: 0.6,
    needs: "url",
    trim: (t) => t.replace(/[.,;:!?)\]}]+$/, "").length,
    validate: (t) => {
      const host = /^(?:[a-z]+:\/\/)?([^/:?#@]+@)?([^/:?#]+)/i.exec(t)?.[2] ?? "";
      return host.includes(".") && tldValid(host, true) ? undefined : null;
    },
    context: ["url", "link", "website", "site", "web"],
  },
  {
    // Host names without a scheme: "example.com/path", "vpn01.firma-intern.de", "intranet.acme.co.uk:8443".
    // File names share the shape ("setup.py", "README.md"), so a bare name needs a path or a port, three
    // labels and no file-type ending, or two labels with a common web ending; else a context word.
    id: "url-host",
    window: "url",
    entity: "URL",
    pattern: /(?<![\w@./:%+-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?:[a-z]{2,24}|xn--[a-z0-9-]{2,59})(?::\d{2,5})?(?:\/[^\s<>"'`]*)?(?![\w@-]|\.[A-Za-z0-9])/g,
    score: 0.55,
    needs: "url",
    trim: (t) => t.replace(/[.,;:!?)\]}]+$/, "").length,
    validate: hostScore,
    context: ["url", "link", "website", "site", "web", "domain", "host", "hostname", "server", "homepage", "webseite", "domäne", "sitio"],
  },
  {
    id: "person-title",
    window: "caps",
    entity: "PERSON",
    // Titles may stack ("Frau Dr. Petra Hoffmann"); the name is what follows the last one, particles
    // included. French "M."/"MM." only with their dot; Italian "Sig.", "Dott.ssa", "Avv."; German "Hr.".
    // Not across a line break: "Sexo: M.\nFecha de Ingreso" is a form's next field.
    // Particles: ("Herr von Wogau", "Herr v. Plener", "Mrs Plooij-van Gorsel", "Señor de la Cruz").
    // The titles below, as the pattern's first word (followed by an optional dot and a space or tab).
    tokenEndsWith:
      "Mr Mrs Ms Miss Mister Sir Dr Prof Herr Herrn Frau Mme Mlle Sr Sra Srta Don Doña Dña Monsieur Madame Señor Señora Hr Hrn Frl Herren Sig Sigg Sig.ra Dott Dott.ssa Avv Rev M MM Me".split(
        " ",
      ),
    pattern: TITLE_PATTERN,
    group: 1,
    trim: titleTrim,
    score: 0.75,
    needs: "upper",
    // "Mr President", "Herr Präsident", "Señor Comisario": an office after the title, not a name.
    validate: titleScore,
  },
  {
    id: "person-list",
    window: "caps",
    entity: "PERSON",
    // A look-ahead so that every capitalised word starts a candidate ("Contact John Smith" → "John Smith").
    // Spaces, not line breaks: a name does not run across lines (address blocks, signatures).
    pattern:
      /(?<![\p{L}\p{N}@.])(?=([\p{Lu}][\p{Ll}'’]+(?:-[\p{Lu}][\p{Ll}]+)?(?:[ \t]+(?:[\p{Lu}]\.?[ \t]+)?(?:(?:de[ \t]+la|van[ \t]+de[nr]?|van[ \t]+der|van|von|de|del|della|di|da|du|dos|le|ter|ten|al|bin)[ \t]+)?[\p{Lu}][\p{Ll}'’]+(?:-[\p{Lu}][\p{Ll}]+)?){0,2}(?![\p{L}\p{N}@])))(?!\1[ \t]*,?[ \t]+(?:\d|(?:u\.|út|utca|tér|körút|tee|tänav|põik|iela|gate|gata|vei|vej|gade|Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Lane|Drive|Boulevard|Way)(?![\p{L}])))/gu,
    group: 1,
    score: 0.6,
    needs: "upper",
    trim: personTrim,
    // A name after a street type is the street's name ("Avenida Pedro Ulisses 888", "Rua Ana Caciola").
    negativeContext: STREET_PREFIX_WORDS,
    validate: personScore,
    context: PERSON_CONTEXT,
  },
  {
    // A name after a greeting, a title in lower case or a naming verb: "Hi Pero,", "ms. Alik", "She named
    // him Abelino", "call me Yoshifumi", "shouted at Craig". Lone unknown words: no caps window, the
    // whole text behind a cheap test.
    id: "person-cue",
    // Every start the pattern can have ("Hi," and "Call\tme" too), so it only saves work.
    prefilter: /[Hh]i[ ,\t]|[Hh]ello|[Hh]ey|ms\.|mr\.|mrs\.|named|[Cc]all[ \t]|shouted/,
    entity: "PERSON",
    pattern:
      /(?:(?<![\p{L}])(?:[Hh]i|[Hh]ello|[Hh]ey),?[ \t]+|(?<!\p{L}|\d[ \t]*)(?:ms|mr|mrs)\.[ \t]*|\bnamed[ \t]+(?:him|her)[ \t]+|\b[Cc]all[ \t]+me[ \t]+|\bshouted[ \t]+at[ \t]+)([\p{Lu}][\p{Ll}'’-]+(?:[ \t]+[\p{Lu}][\p{Ll}'’-]+)?)(?![\p{L}])/gu,
    group: 1,
    score: 0.7,
    needs: "cueUpper",
    // "shouted at Ann Lee": the cue is two tokens before the name, whose second word is one after.
    cueTokens: { before: 2, after: 1 },
    trim: personTrim,
    validate: cueScore,
  },
  {
    // "habló con Lukashenko", "mit Schröder", "avec Dupont", "according to Hill": see companions.ts.
    id: "person-companion",
    prefilter: COMPANION_PREFILTER,
    entity: "PERSON",
    pattern: COMPANION_PATTERN,
    group: 1,
    score: 0.6,
    needs: "cueUpper",
    // "according to Hill", "junto a Azkargorta": the cue is two tokens before the name.
    cueTokens: { before: 2, after: 1 },
    trim: personTrim,
    validate: (span) => companionScore(span, notALoneName),
  },
  {
    // "says Sawicki.", "said Hermansen," — the speaker at the end of a clause; in German "sagte Rüttgers.".
    id: "person-says",
    // Spanish "dijo Aznar.", French "a déclaré Chirac.", German "so Merkel." too.
    prefilter: new RegExp(
      `(?:says|said|sagte?|erklärte?|betonte?|meinte?|ergänzte?|erzählte?|berichtete?|bestätigte?|[,"“”»][ \\t]?so|dijo|afirmó|declaró|explicó|señaló|aseguró|añadió|déclaré|affirmé|expliqué|ajouté|estimé|souligné|dit|${MORE_SAYS})[ \\t]+[^a-z \\t\\n]`,
    ),
    entity: "PERSON",
    pattern: new RegExp(
      `(?<![\\p{L}])(?:says|said|sagte?|erklärte?|betonte?|meinte?|ergänzte?|erzählte?|berichtete?|bestätigte?|[,"“”»][ \\t]?so|dijo|afirmó|declaró|explicó|señaló|aseguró|añadió|déclaré|affirmé|expliqué|ajouté|estimé|souligné|dit|${MORE_SAYS})[ \\t]+([\\p{Lu}][\\p{Ll}'’-]+(?:[ \\t]+[\\p{Lu}][\\p{Ll}'’-]+)?)(?=[ \\t]?[.,;!?])`,
      "gu",
    ),
    group: 1,
    score: 0.7,
    needs: "cueUpper",
    cueTokens: { before: 2, after: 1 },
    trim: personTrim,
    validate: cueScore,
  },
  {
    // A name after the office its bearer holds: "le président Macron", "el ministro Ábalos", "la canciller
    // Merkel", "Bundeskanzler Scholz", "Innenminister Schäuble", "Trainer Klopp". A lone surname counts
    // here (no name list needed): the office word vouches for a person.
    id: "person-role",
    prefilter: ROLE_PREFILTER,
    entity: "PERSON",
    pattern: ROLE_PATTERN,
    group: 1,
    // Above a capitalised run's 0.7, so "Bürgermeister Schulz" or "President Obama" yields the name alone.
    score: 0.75,
    needs: "cueUpper",
    // "primer ministro Rajoy": the office may be two words before the name.
    cueTokens: { before: 2, after: 1 },
    trim: personTrim,
    validate: roleScore,
  },
  {
    // Initials after a party, witness or expert word: "der Zeugin K.", "den Angeklagten T. D.",
    // "Rechtsanwalt P.", "the applicant X", "le requérant A.B." (see initials.ts).
    id: "person-initials",
    prefilter: PARTY_INITIALS_PREFILTER,
    entity: "PERSON",
    pattern: PARTY_INITIALS_PATTERN,
    group: 1,
    score: 0.6,
    needs: "cueUpper",
    // "applicant, X": the party word is two tokens before; "T. D.": the initials may take two tokens.
    cueTokens: { before: 2, after: 2 },
    validate: initialsScore,
  },
  {
    // A known name before a speech verb: "Kan shouted at Craig", "Koch said".
    id: "person-speaker",
    window: "caps",
    prefilter: / (?:said|says|shouted|replied|asked|told|sagte|sagt|erklärte|meinte|betonte|dijo|afirmó|declaró|explicó|señaló|aseguró|déclare|affirme|explique|estime) /,
    entity: "PERSON",
    pattern:
      /(?<![\p{L}\p{N}@.])([\p{Lu}][\p{Ll}'’-]+)(?=[ \t]+(?:said|says|shouted|replied|asked|told|sagte|sagt|erklärte|meinte|betonte|dijo|afirmó|declaró|explicó|señaló|aseguró|déclare|affirme|explique|estime)[ \t])/gu,
    group: 1,
    score: 0.6,
    needs: "upper",
    validate: knownNameScore,
  },
  {
    // A lone surname no list knows, as the subject of a speech verb: "Menacho explicó que …", "Imaz
    // recordó …", "Kruse erklärte …", "Dupont a déclaré …". Not after an article or a possessive ("la
    // Comisión señaló", "die Regierung erklärte"), and not a word known as a thing, place or office.
    id: "person-speaker-verb",
    followsCapital: SPEAKER_VERB_FIRST_WORDS,
    entity: "PERSON",
    pattern: SPEAKER_VERB_PATTERN,
    group: 1,
    score: 0.6,
    needs: "upper",
    validate: speakerScore,
  },
  {
    // A name right after an introduction, a salutation or a signature: "My name is Rubija", "Dear Aino".
    id: "person-intro",
    window: "caps",
    prefilter: /[Nn]ame|[Cc]all|[Dd]ear|[Ss]igned|[Ss]incerely|[Rr]egards|appelle|heiße|bin|llamo|nombre|[Ll]ieb|[Cc]h[eè]r|[Ee]stimad/,
    entity: "PERSON",
    pattern: new RegExp(
      String.raw`\b(?:[Mm]y\s+name\s+is|[Nn]ame\s+is|[Nn]ame's|[Nn]ame:|I'm\s+called|[Cc]all\s+me|[Dd]ear|[Ss]igned,?|[Ss]incerely,?|[Rr]egards,?|[Jj]e\s+m'appelle|[Ii]ch\s+heiße|[Ii]ch\s+bin|[Mm]e\s+llamo|[Mm]i\s+nombre\s+es|[Ll]iebe[rs]?|[Cc]her|[Cc]hère|[Ee]stimad[oa]|` +
        // A form's name field, its value in capitals too: "Surname: LANDAU", "Family Name LANDAU", "Nachname: Friedmann".
        String.raw`(?:${NAME_FIELD})[ \t]*:?)[ \t]*\n?[ \t]*((?<=(?:${NAME_FIELD})[ \t]*:?[ \t]*\n?[ \t]*)${FIELD_CAPS}|[\p{Lu}][\p{Ll}'’-]+(?:[ \t]+(?:[\p{Lu}]\.?[ \t]+)?[\p{Lu}][\p{Ll}'’-]+){0,2})(?![\p{L}])`,
      "gu",
    ),
    group: 1,
    score: 0.7,
    needs: "upper",
    trim: fieldTrim,
    // "Liebe Kolleginnen und Kollegen", "Dear Commissioner": a form of address, not a name; an empty field
    // is followed by the next label ("Vorname:\nNachname:").
    validate: (span, before) => {
      const first = span.split(/[ \t]/, 1)[0]!;
      if (isOfficeWord(first) || FIELD_WORDS.has(first.toLowerCase())) return null;
      // "Dear Patients", "Dear Financial Analyst": a letter to a role or an audience names nobody.
      if (SALUTATION_BEFORE.test(before) && ADDRESSEES.has(span.slice(span.search(/[^ \t]*$/)).toLowerCase())) return null;
      return introScore(span);
    },
  },
  {
    // A chat line's speaker between its time stamp and a colon ("[6:31 PM] Tom: …", "[12/03/2023, 10:15] Mike:"),
    // and the one a greeting addresses ("Hey Tom,", "Hi Mike!", "Thanks, Mark."): one word any name list knows.
    id: "person-chat",
    prefilter: /\][ \t]{0,2}\p{Lu}|Hey|Hi[ \t,]|Hello|Thank|Bye/u,
    entity: "PERSON",
    pattern:
      /(?:\[(?:\d{1,4}[./-]\d{1,2}[./-]\d{1,4},?[ \t])?\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]?[AaPp]\.?[Mm]\.?)?\][ \t]{0,2}|(?<![\p{L}])(?:Hey|Hi|Hello|Thanks|Thank you|Bye),?[ \t])([\p{Lu}][\p{Ll}'’-]{1,20})(?=[ \t]?[:,!?.])/gu,
    group: 1,
    score: 0.6,
    needs: "upper",
    validate: chatNameScore,
  },
  {
    id: "person-column",
    entity: "PERSON",
    // A form's next label ("Family or Surname LANDAU Given or Christian Names …") is no name.
    validate: (span) => (FIELD_WORDS.has(span.split(/[ \t]/, 1)[0]!.toLowerCase()) ? null : undefined),
    // The whole run, and not a field's label ("Apellidos: …", "Domicilio: …" near a name column's word).
    pattern: /(?<![\p{L}])[\p{Lu}][\p{Ll}'-]+(?:\s+[\p{Lu}][\p{Ll}'-]+){0,3}(?![\p{L}]|\s+[\p{Lu}]|[ \t]*:)/gu,
    score: 0.6,
    needs: "upper",
    requireContext: true,
    // Every context word below holds "nam", "nom" or "apellid".
    // ASCII classes, not the i flag: the same test (without u, /i folds no other letter to these) and cheaper.
    // "pellid" (not "apellid"): the same texts pass the later context test, and a rarer first letter scans faster.
    contextGate: /[nN][aAoO][mM]|[pP][eE][lL][lL][iI][dD]/,
    context: [
      "fullname",
      "full name",
      "first name",
      "firstname",
      "last name",
      "lastname",
      "surname",
      "given name",
      "customer name",
      "patient name",
      "vorname",
      "nachname",
      "prénom",
      "prenom",
      "nom de famille",
      "nombre",
      "apellido",
      "apellidos",
    ],
  },
];

/** Printed like a phone number: an international prefix, (area) code, or 3-3-4 / 2-2-2-2-2 groups. */
const PHONE_SHAPE = /^(?:\+\d|\(\+?\d+\)|\d{3}[-. ]\d{3}[-. ]\d{4}$|0\d(?:[ .]\d{2}){4}$)/;

/** Two to five groups of 2-4 digits ("467 3395", "60-56-85-91", "(92) 663-620"), or an area code and a 5-8 digit number ("06-93941926", "26 372486"). */
const LOCAL_SHAPE = /^(?:(?:\(\d{2,4}\) ?|\d{2,4}[ .-])\d{2,4}(?:[ .-]\d{2,4}){0,3}|\(?\d{2,4}\)?[ .-]?\d{5,8})$/;

/** Phone number validity by libphonenumber metadata; the default region follows the number's shape. */
const US: readonly CountryCode[] = ["US"];
const ES_US: readonly CountryCode[] = ["ES", "US"];
/**
 * Regions for a number written with a leading 0, the likeliest first by length (French numbers are 0 + 9
 * digits, British ones mostly 0 + 10): the answer is the same in any order (valid in one of them, else
 * possible in one), but a parse costs ~10 µs and a valid number stops the search.
 */
/**
 * Regions to try for a number with a trunk 0, likeliest first (any valid one gives the same score, so the
 * order only saves parses): ten digits in five pairs is French, other ten-digit groupings German.
 */
function trunkRegions(digits: number, text: string): readonly CountryCode[] {
  return digits === 10 ? (FR_PAIRS.test(text) ? FR_FIRST : DE_FIRST) : digits === 11 ? GB_FIRST : DE_FIRST;
}
/** An account or card number named just before the candidate: "account number", "card no.:", "account with number". */
const NAMED_ACCOUNT = /\b(?:account|acct|card|konto|compte|cuenta)(?:\s+(?:number|no\.?|num|nr\.?|#)|\s+with\s+number|nummer)\s*[:#,]?\s*$/i;
/** A decimal with four or more places (a degree of latitude or longitude), and the first of a pair before it. */
const DECIMAL = /^\d{1,3}\.\d{4,}$/;
const LATITUDE_BEFORE = /(?:^|[^\d.])-?\d{1,3}\.\d{4,},\s?$/;
const DOTTED_QUAD = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const FR_PAIRS = /^0\d(?:[ .-]?\d\d){4}$/;
const FR_FIRST: readonly CountryCode[] = ["FR", "GB", "DE", "ES"];
const GB_FIRST: readonly CountryCode[] = ["GB", "DE", "FR", "ES"];
const DE_FIRST: readonly CountryCode[] = ["DE", "GB", "FR", "ES"];

/**
 * North American numbers are printed 3-3-4 ("(202) 555-0147", "202.555.0147", "1-202-555-0147", or unbroken):
 * digit groups that cut across those places are another country's number or another identifier (a Korean
 * business number "202-81-04367", a Costa Rican legal-entity number "3-102-295219"), whatever the digits
 * would dial. Only 10 digits, or 11 after a leading 1, are judged.
 */
function nanpGrouping(text: string, digits: string): boolean {
  const cuts = digits.length === 10 ? NANP_CUTS : digits.length === 11 && digits[0] === "1" ? NANP_CUTS_1 : undefined;
  if (!cuts) return true;
  let n = 0;
  let inGroup = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      n++;
      inGroup = true;
    } else if (inGroup) {
      if (n < digits.length && !cuts.includes(n)) return false;
      inGroup = false;
    }
  }
  return true;
}
const NANP_CUTS = [3, 6];
const NANP_CUTS_1 = [1, 4, 7];

/** Telephone keypad letters A–Z → digits (ITU E.161). */
const KEYPAD = "22233344455566677778889999";

function phoneScore(full: string, before = ""): number | null | undefined {
  const text = full.replace(/\s?(?:x|ext\.?)\s?\d{1,5}$/, "");
  if (/\d{4}-\d{2}-\d{2}/.test(text)) return null; // an ISO date, perhaps followed by a time
  const digits = text.replace(/\D/g, "");
  // Six grouped digits after two capitals are the middle of a UK National Insurance number ("ZZ 94 30 47 T").
  if (digits.length === 6 && /(?:^|[^\p{L}])\p{Lu}{2} ?$/u.test(before)) return null;
  // Six digits only in groups ("61 54 78"): small countries' local numbers, found next to a phone word.
  if (digits.length < 6 || digits.length > 15 || isRepeated(digits) || (digits.length === 6 && !LOCAL_SHAPE.test(text.trim()))) return null;
  if (/^\d+$/.test(text) && digits.length < 10) return null;
  // A bare digit run named as an account or card number ("account number 8400521536", "Account Number:
  // 8082292559") is that number, not one to dial; a phone word before it is not asked for.
  if (/^\d+$/.test(text) && NAMED_ACCOUNT.test(before)) return null;
  // The longitude of a coordinate pair ("76.922537, 120.168322"); the latitude is left out by the pattern.
  if (DECIMAL.test(text) && LATITUDE_BEFORE.test(before)) return null;
  if (/^\d{1,4}([./-])\d{1,2}\1\d{2,4}$/.test(text)) return null; // a date
  // Hyphenated identifiers with their own check digits: a German e-invoice routing id ("04011000-12345-03"),
  // an ISBN-10 ("0-201-75041-4").
  if (text.includes("-") && (leitwegIdValid(text) || isbn10Valid(text))) return null;
  if (isDateRange(text)) return null; // "05/2023 - 05/2019", "8.3. - 22.3.2025"
  // A dotted quad is an IPv4 address (the IP recognizer reports it), not a number to dial; parsing it as
  // one costs libphonenumber a search through every North American numbering plan.
  if (DOTTED_QUAD.test(text)) return null;
  // Six digits without "+" or a trunk 0 ("1963.49", an amount) are parsed for the US only, where no
  // number of six digits is valid or possible (checked for every such string in five groupings): no
  // parse, which costs libphonenumber a search through every North American plan (~100 µs).
  if (digits.length === 6 && digits.charCodeAt(0) !== 48 && !/^\(?\+/.test(text.trim())) return LOCAL_SHAPE.test(text.trim()) ? 0.2 : null;
  // After the international prefix 00 the country code stays whole in its group ("0049 30 …", "00 49 …"):
  // "002 724 334" (an Australian company number) would cut one after a digit no code is.
  if (/^00[02-689][ .-]/.test(text.trim())) return null;
  // "001-877-…", "0044 20 …": the international call prefix 00 (011 from North America) is a "+".
  const trimmed = text.trim().replace(/^(?:00|011[ .-]?)(?=[1-9])/, "+");
  const regions: readonly CountryCode[] =
    trimmed.startsWith("+") || trimmed.startsWith("(+")
      ? US
      : digits.startsWith("0")
        ? trunkRegions(digits.length, trimmed)
        : digits.length === 9 && /^[6-9]/.test(digits)
          ? ES_US
          : US;
  let possible = false;
  const input = trimmed.replace(/^\(\+/, "+").replace(/\)(?=\s?\d)/, ") ");
  // A bare digit run that dials no assigned number ("002548326000014", a Moroccan company number) is no phone number.
  const bare = /^\d+$/.test(text.trim());
  // The candidate is the whole number already: no search for one inside it (about half the parse).
  const options = { defaultCountry: regions[0], extract: false };
  // Without "+", the US is the default region: digits grouped otherwise than 3-3-4 are not read as its numbers.
  const dialled = regions !== US || /^\(?\+/.test(trimmed) || nanpGrouping(trimmed, digits) ? regions : [];
  for (const region of dialled) {
    // Most valid numbers are known valid from the metadata alone; the rest (and every invalid one) are parsed.
    if (validByMetadata(input, region)) return /^\d+$/.test(trimmed) ? 0.4 : undefined;
    options.defaultCountry = region;
    const parsed = parsePhoneNumberFromString(input, options);
    if (parsed?.isValid()) return /^\d+$/.test(trimmed) ? 0.4 : undefined;
    if (parsed?.isPossible()) possible = true;
  }
  // Unassigned ranges (555, test data) are still phone numbers when printed like one: lower score.
  if (possible && !bare && PHONE_SHAPE.test(trimmed)) return 0.5;
  // Local numbers of any country, printed in digit groups: a phone number only next to a phone word.
  return LOCAL_SHAPE.test(trimmed) ? 0.2 : null;
}

const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
/** Base58Check: the last 4 bytes are the first 4 of sha256(sha256(payload)). */
function base58CheckValid(s: string): boolean {
  let n = 0n;
  for (const c of s) {
    const v = B58.indexOf(c);
    if (v < 0) return false;
    n = n * 58n + BigInt(v);
  }
  const bytes: number[] = [];
  while (n > 0n) {
    bytes.unshift(Number(n % 256n));
    n /= 256n;
  }
  for (const c of s) {
    if (c !== "1") break;
    bytes.unshift(0);
  }
  if (bytes.length !== 25) return false;
  const buf = Buffer.from(bytes);
  const check = createHash("sha256")
    .update(createHash("sha256").update(buf.subarray(0, 21)).digest())
    .digest();
  return check.subarray(0, 4).equals(buf.subarray(21));
}

/** Entities whose matches are confirmed by a checksum (held to precision/recall ≥ 0.9). */
export const CHECKSUM_ENTITIES: ReadonlySet<string> = new Set(RECOGNIZERS.filter((r) => r.checksum).map((r) => r.entity));

/** Every entity a recognizer can report. */
export const ENTITIES: readonly string[] = [...new Set([...RECOGNIZERS.map((r) => r.entity), "DATE_TIME"])];
