/**
 * Street-address grammar for many countries. An address is recognised by its street-type word —
 * a separate word before the name ("Via", "Rua", "ul."), after it ("Street", "út", "tee"), or the
 * end of a compound ("Snellmaninkatu", "Søndergade", "Rhinstrasse") — next to a house number, by a
 * post-office box, or by a unit ("Apt. 12", "Suite 400").
 */

/** English street types (USPS suffixes and British forms), lower-case, with common abbreviations. */
const EN_TYPES =
  "street st avenue ave av road rd boulevard blvd lane ln drive dr court ct courts way place pl terrace ter close square sq parkway pkwy highway hwy " +
  "crescent cres grove gardens gdns row walk mews hill hills park parade circle cir trail trl loop pike alley plaza ridge heights view vale " +
  "union cliff cliffs extension extensions ext flat flats mill mills pass creek green greens junction crossing port ports point points springs spring " +
  "meadow meadows manor isle island islands knoll knolls lake lakes lodge harbor harbour haven hollow glen glens fork forks forest falls estate estates " +
  "bypass branch brook brooks bluff bluffs bend bay center centre common commons corner corners cove coves crest curve dale dam divide expressway " +
  "ferry field fields ford fords fort freeway gateway garden gdn key keys landing light lights lock locks mall mount mountain mountains neck orchard " +
  "oval overpass path pines plain plains prairie ramp ranch rapids rest route run shoal shoals shore shores skyway spur station stream summit " +
  "throughway trace track turnpike underpass valley valleys viaduct village villages ville vista well wells wharf quay causeway " +
  // More USPS suffixes that name nobody.
  "tunnel inlet stravenue crossroad crossroads motorway trafficway radial anex arcade bayou parkways junctions manors harbors unions";

/** Lower-case English street words: a capitalised one of these is not part of a person's name. */
export const STREET_WORDS: ReadonlySet<string> = new Set(EN_TYPES.split(" ").filter((w) => w.length > 2));

const esc = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const alt = (words: string) =>
  words
    .split(" ")
    .sort((a, b) => b.length - a.length)
    .map(esc)
    .join("|");

/** Spanish types (and abbreviations) whose street names records often write in lower case ("Calle de las rosas"). */
const ES_TYPES = "Calle C/ c/ C/. Cl. Avenida Avda. Avda Av. AV. Av/ Paseo Pº P/ Plaza Pz. Pza. Carretera Ctra. Travesía Rúa Rua Paraje Urbanización";
/** Types written before the name: IT, PT/BR, ES, FR, PL, NL/BE, RO, EN "Avenue of". */
const PREFIX_TYPES = alt(
  "Via Viale Piazza Piazzale Corso Vicolo Largo Strada Contrada Borgo Lungomare Rua Avenida Av. Avda. Avda Travessa Praça Praca Estrada Alameda Rodovia " +
    "Calle C/ Paseo Plaza Camino Carretera Ronda Travesía Glorieta Pasaje Rambla Rue rue Avenue avenue Boulevard boulevard Bd bd Chemin chemin Allée allée " +
    "Impasse impasse Quai quai Route route Place place Cours cours ul. Ul. al. Al. os. pl. Strada Str. Bulevardul Calea Aleea Straße " +
    // Spanish, Galician and Catalan forms of clinical and administrative records: "AV. Conde Casal", "Pº de la
    // Castellana", "P/ Gómez de la Serna", "Pz. de Pontevedra", "Ctra. de Toledo", "c/ Martí", "Rúa De San Blas".
    `${ES_TYPES} Carrer Plaça`,
);
/** Lower-case street types written before a name: a capitalised name right after one is a street. */
export const STREET_PREFIX_WORDS: readonly string[] = [
  ...new Set(
    "via viale piazza corso vicolo largo strada rua avenida av avda travessa praça estrada alameda calle paseo plaza camino carretera ronda rue avenue boulevard bd chemin allée impasse quai route place cours ul al str aleea calea".split(
      " ",
    ),
  ),
];

/** Types written as a separate word after the name: HU, EE, LV/LT, EN. */
const AFTER_TYPES = alt(
  "gate gata gaten gatan vei veien veg vej vejen gade straat weg allé vegur stien " +
    "út utca u. tér körút krt. köz sor sétány kapu tee tänav põik puiestee maantee iela gatve prospektas " +
    "Street St. St Avenue Ave. Ave Road Rd. Rd Boulevard Blvd. Blvd Lane Ln. Drive Dr. Way Place Terrace Close Square Crescent Str.",
);
/** English types in lower case after the name, read only when the house number ends the clause. */
const EN_LOWER_AFTER = "street|road|avenue";
/** Endings of compound street names: DE/AT/CH, NL/BE, DK, NO, SE, FI, IS. */
const COMPOUND_ENDINGS = alt(
  "straße strasse str. weg gasse allee platz damm ufer pfad steig graben chaussee " +
    "straat laan plein gracht kade dijk singel steeg dreef hove " +
    "gade vej vejen stræde torv " +
    "veien vei veg vegen gate gata gaten gatan vägen väg gränd " +
    "stien katu tie kuja polku raitti väylä kaari rinne " +
    "braut gata vegur stræti stígur",
);

export const NAME_WORD = "[\\p{Lu}][\\p{L}'’.-]*";
/** A house number: 1–5 digits and a letter, but not a year. */
export const HOUSE = "(?!(?:19|20)\\d\\d\\b)\\d{1,5}(?:[a-zA-Z]\\b|[ \\t]?(?:bis|ter)\\b)?\\.?";
/** A European postcode after a street line: 5 digits (DE, FR, IT, ES) or 4 (AT, CH, BE, …) that are not a year, maybe "D-". */
export const POSTCODE = "(?:(?:D|A|CH|F|I|E|B|L)-)?(?:\\d{5}|(?!(?:19|20)\\d\\d)\\d{4})(?![\\d.,:/-])";
/** The town after a postcode: one to three capitalised words ("Frankfurt am Main", "Aix-en-Provence"), ending the line or clause. */
export const TOWN =
  "\\p{Lu}[\\p{L}'’.-]*(?:[ \\t]+(?:(?:am|an|im|in|bei|der|sur|sous|en|de|del|di|la|le)[ \\t]+)?\\p{Lu}[\\p{L}'’.-]*){0,2}(?=[ \\t]*(?:$|\\r?\\n|[,;)]|\\.(?:\\s|$)))";
/** What follows a street line: a comma or line break, the postcode and the town. */
export const POSTCODE_TOWN = `[ \\t]*,?[ \\t]*(?:\\r?\\n[ \\t]*)?${POSTCODE}[ \\t]+${TOWN}`;
const UNIT = "(?:,?[ \\t]+(?:Apt|Apartment|Suite|Ste|Unit|Flat)\\.?[ \\t]*#?\\d{1,5}[A-Za-z]?)?";
const LEAD = "(?:\\d{1,6}[ \\t]+)?";
/** A street's name after a prefix type: particles, then 1–4 words, the first capitalised. */
const STREET_NAME = `(?:(?:de|da|do|dos|das|del|della|di|du|des|la|le|los|las|dei|degli|delle)[ \\t]+|l['’]|d['’])*${NAME_WORD}(?:[ \\t]+(?:(?:de|da|do|dos|das|del|della|di|du|des|la|le|dei)[ \\t]+)?${NAME_WORD}){0,3}`;

/** After a Spanish type, the name may be in lower case past its first word ("Calle de la fuente", "Av. medellin"). */
const ES_STREET_NAME = `(?:(?:de|del|la|las|los|el)[ \\t]+)*[\\p{L}][\\p{L}'’.-]*(?:[ \\t]+[\\p{L}][\\p{L}'’.-]*){0,4}?`;
/** "s/n" (sin número: no house number) and "Km 12,500" stand where the number would. */
const ES_HOUSE = `(?:n[º°o]\\.?[ \\t]*)?(?:${HOUSE}|[Ss]/[Nn](?![\\p{L}])|[Kk]m\\.?[ \\t]*\\d{1,4}(?:[.,]\\d{1,3})?)`;

/** Each pattern with a cheap test for its street-type words, run on a window before the pattern. */
export const STREET_PATTERNS: ReadonlyArray<{ id: string; pattern: RegExp; prefilter: RegExp }> = [
  {
    // "Via Nazario Sauro 112", "Rua Doutor Afrânio Junqueira 1460", "ul. Elbląska 97", "Rue du Château 414", "Calle Mayor, nº 5".
    id: "street-address-prefix",
    prefilter: new RegExp(`(?:${PREFIX_TYPES})[ \\t]`),
    // After a comma, five digits are the postcode, not a house number ("5 avenue des Champs-Élysées, 75008 Paris").
    pattern: new RegExp(`(?<![\\p{L}\\d])${LEAD}(?:${PREFIX_TYPES})[ \\t]+${STREET_NAME}(?:,[ \\t]+(?!\\d{5}(?!\\d))|[ \\t]+)(?:n[º°o]\\.?[ \\t]*)?${HOUSE}${UNIT}`, "gu"),
  },
  {
    // "Calle de las rosas 86", "Avda. de Elvas s/n", "Ctra. de Toledo Km 12,500", "Pº rosales, 28": the
    // Spanish types with a name in lower case, no number ("s/n") or a kilometre point.
    id: "street-address-es",
    prefilter: new RegExp(`(?:${alt(ES_TYPES)})[ \\t]`),
    pattern: new RegExp(`(?<![\\p{L}\\d])(?:${alt(ES_TYPES)})[ \\t]*${ES_STREET_NAME}(?:[ \\t]*,[ \\t]*(?!\\d{5}(?!\\d))|[ \\t]+)${ES_HOUSE}`, "gu"),
  },
  {
    // Number first: "96 rue de Penthièvre", "22 Rue de Sidi Bou Zid", "12, avenue Victor Hugo".
    id: "street-address-prefix-number-first",
    // "12 bis rue …": "bis"/"ter" may stand between the number and the type.
    prefilter: new RegExp(`(?:\\d|bis|ter),?[ \\t]+(?:${PREFIX_TYPES})[ \\t]`),
    pattern: new RegExp(`(?<![\\p{L}\\d.,])\\d{1,5}(?:[ \\t]?(?:bis|ter))?,?[ \\t]+(?:${PREFIX_TYPES})[ \\t]+${STREET_NAME}${UNIT}`, "gu"),
  },
  {
    // "Rákóczi út 66.", "Luite tee 87", "Csabai kapu 39.", "Kálmán Imre u. 12.", "183 Epimenidou Street" handled by the EN recognizer.
    // English as the rest of Europe writes it in records, the type in lower case and the number last, ends the line
    // or clause ("Main street 34", "Harbour road 17, Aarhus"; "Main street 3 times" is no address).
    id: "street-address-after",
    prefilter: new RegExp(`[ \\t](?:${AFTER_TYPES}|${EN_LOWER_AFTER})[ \\t]*\\d`),
    pattern: new RegExp(
      `(?<![\\p{L}])${LEAD}${NAME_WORD}(?:[ \\t]+${NAME_WORD}){0,2}[ \\t]+(?:(?:${AFTER_TYPES})(?![\\p{L}])[ \\t]*${HOUSE}${UNIT}|(?:${EN_LOWER_AFTER})[ \\t]+${HOUSE}(?![ \\t]*[\\p{L}\\p{N}]))`,
      "gu",
    ),
  },
  {
    // "Snellmaninkatu 55", "Søndergade 52", "Magasinsgatan 7", "Rostsestraat 222", "Brucker Bundesstrasse 31".
    id: "street-address-compound",
    prefilter: new RegExp(`(?:${COMPOUND_ENDINGS})[ \\t]*\\d`),
    pattern: new RegExp(`(?<![\\p{L}\\d])${LEAD}(?:${NAME_WORD}[ \\t]+)?[\\p{Lu}][\\p{Ll}-]{1,}(?:${COMPOUND_ENDINGS})(?![\\p{L}])[ \\t]*${HOUSE}${UNIT}`, "gu"),
  },
  {
    // Post-office boxes (Dutch "Postbus", Danish and Norwegian "Postboks") and US military addresses ("PSC 3211, Box 1243", "Unit 4780 Box 9653", "USNS Dunn"),
    // with the APO/FPO/DPO line that completes them.
    id: "street-address-box",
    // "Postbox" is lower-case inside; "BP" may be followed by any white space.
    prefilter: /[Bb]ox|PSC|USNS|USNV|USS|USCGC|Postfach|Apartado|Bo[iî]te|BP\s|Postbu|POSTBU|Postbo|POSTBO/,
    pattern:
      /(?:\b(?:P\.\s?O\.\s?Box|PO\s+Box|Post\s?box|Post\s+Office\s+Box|Postfach|Apartado|Bo[iî]te\s+postale|BP|PSC|Postbus|POSTBUS|Postboks|POSTBOKS)\s+\d{1,6}(?:,?\s+Box\s+\d{1,6})?|\bUnit\s+\d{4},?\s+Box\s+\d{4}|\b(?:USNS|USNV|USS|USCGC)\s+[\p{Lu}][\p{L}'-]+)(?:,?\s*(?:APO|FPO|DPO)\s+(?:AA|AE|AP)\s+\d{5}(?!\d))?/gu,
  },
  {
    // A unit on its own ("Apt. 805", "Suite 282"): only ever written as part of an address.
    id: "street-address-unit",
    prefilter: /Apt|APT|Apartment|Suite|SUITE/,
    pattern: /(?<![\p{L}])(?:Apt\.?|Apartment|Suite|APT\.?|SUITE)\s*#?\d{1,5}[A-Za-z]?\b/gu,
  },
];

/** A unit: "Apt. 306", "Suite 837", "Flat 2", "Unit #12". */
const UNIT_WORD = "(?:Apt|APT|Apartment|Suite|SUITE|Ste|Unit|Flat)\\.?[ \\t]*#?\\d{1,5}[A-Za-z]?";
/** A building number, then a street with its own number ("099 De Zwarte Ruiter 193", "48661 C/ Manuel Iradier 41"). */
const NUMBERED_STREET = "\\d{1,5}[ \\t]+(?:[\\p{L}][\\p{L}'’./-]*[ \\t]+){1,4}\\d{1,5}[a-zA-Z]?(?![\\p{L}\\p{N}])";
/** Start of a line, and a little decoration ("??? ", "}}", indentation); consumed, not looked behind (cheaper). */
const LINE_START = "(?:^|\\n)[^\\p{L}\\p{N}\\n]{0,6}";

/**
 * Address blocks, where the street line carries no street-type word and is known by its neighbours:
 * a unit on the next line or just before it, and a postcode closing the block a few lines later.
 * They look at whole lines, so they run on the whole text (a cheap test for a unit word first). The
 * span is group 1.
 */
/** Labels of a form's address field (ES, EN, FR, DE, IT, PT). */
const ADDRESS_FIELDS = "Domicilio|Dirección|Direccion|Address|Home address|Adresse|Anschrift|Indirizzo|Morada|Endereço";
const ADDRESS_FIELD_PREFILTER = /Domicilio|Direcci[oó]n|Address|Adresse|Anschrift|Indirizzo|Morada|Endereço/;
/** One object for the three: the analyzer tests a shared whole-text pre-test once per text. */
const UNIT_PREFILTER = /Apt|APT|Apartment|Suite|SUITE|Ste|Unit|Flat/;
export const ADDRESS_BLOCK_PATTERNS: ReadonlyArray<{ id: string; pattern: RegExp; prefilter: RegExp }> = [
  {
    // "099 De Zwarte Ruiter 193\n Apt. 306", "7243 Plano Integrado 53 Apt. 023".
    id: "street-address-block",
    prefilter: UNIT_PREFILTER,
    pattern: new RegExp(`${LINE_START}(${NUMBERED_STREET})(?=[ \\t]*,?(?:[ \\t]*\\n[^\\p{L}\\p{N}\\n]{0,6}|[ \\t]+)${UNIT_WORD})`, "gu"),
  },
  {
    // A street line right after the unit: "Apt. 507 493 Fuente del Gallo 4\n".
    id: "street-address-block-after-unit",
    prefilter: UNIT_PREFILTER,
    pattern: new RegExp(`${UNIT_WORD}[ \\t]+(${NUMBERED_STREET})(?=[ \\t]*(?:\\n|$|,))`, "gu"),
  },
  {
    // The value of an address field on its own line: "Domicilio: C/ Victor de la serna ,43. 10 A", "Address:
    // 4 Sur No 43AA- 30". A number must be in it (the house number may come first); the field's line ends it, or a postcode and town after a
    // comma, which are a piece of their own ("Dirección: Calle Mayor 5, 28013 Madrid").
    id: "street-address-field",
    prefilter: ADDRESS_FIELD_PREFILTER,
    pattern: new RegExp(
      `${LINE_START}(?:${ADDRESS_FIELDS})[ \\t]*:[ \\t]*((?=[^\\n:]{0,61}\\d)[^\\s:][^\\n:]{0,101}?)(?=[ \\t]*\\.?[ \\t]*(?:\\r?\\n|$)|[ \\t]*,[ \\t]*(?:[A-Z]{1,2}-)?\\d{4,5}[ \\t]+\\p{Lu}[^\\n,]*(?:\\r?\\n|$))`,
      "gu",
    ),
  },
  {
    // The postcode that ends a block after a unit: "Apt. 306\n Amersfoort\n Netherlands 64382" (no digits between).
    id: "street-address-postcode",
    prefilter: UNIT_PREFILTER,
    pattern: new RegExp(`${UNIT_WORD}[^\\d]{1,80}?[ \\t]((?:\\d{4,6}|\\d{4}-\\d{3}))(?=[ \\t]*(?:\\n|$))`, "gu"),
  },
];
