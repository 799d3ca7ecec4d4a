import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyze, checksums } from "../../src/data/pii/index.js";
import { AMBIGUOUS, BOTH, GIVEN, SURNAME } from "../../src/data/pii/name-data.js";
import { personScore } from "../../src/data/pii/person.js";
import { trieAlternation } from "../../src/data/pii/recognizers.js";
import { found } from "./pii-eval.js";

describe("person names without an NER model", () => {
  it.each([
    ["Follow up with Sigrid Nyström in a couple of months.", "Sigrid Nyström"],
    ["Amadeo Vitorović from Rapid Cycle Solutions is the keynote speaker", "Amadeo Vitorović"],
    ["The name in the account is not correct, please change it to Jesse Jokihaara", "Jesse Jokihaara"],
    ["Anna is from Plotwatt", "Anna"],
    ["I'm so jealous! said Felix to Linda", "Felix"],
    ["My name is Rubija", "Rubija"],
    ["Dear Aino, thanks for the update.", "Aino"],
    ["Ich bin Jürgen Schäfer und wohne in Köln.", "Jürgen Schäfer"],
    ["Maika van de Noort will call back", "Maika van de Noort"],
    ["Stefanía K. Oddgeirsdóttir will be talking in the conference", "Stefanía K. Oddgeirsdóttir"],
    // Neither word in the gazetteer: the surname's ending carries it.
    ["Talk to Zargan Vedzizhev today", "Zargan Vedzizhev"],
  ])("finds the person in %j", (text, name) => {
    expect(found(text, "PERSON")).toContain(name);
  });

  it.each([
    "For my take on it, see Guilty Pleasures: 5 Musicians Of The 70s",
    "She named him after the river.",
    "Remember me? When I killed your brother, I talked just like this!",
    "Inject SELECT * FROM Users WHERE client_ip = 1",
    "Mon, 23 Jan 2017 22:49:45 -0500",
    "The Quick Brown Fox Jumps Over The Lazy Dog",
    "Please Read The Manual Before Calling Support",
    // German, French and Spanish function words are capitalised too ("Sie" is also a given name in Faker's lists).
    "Überweisen Sie bitte auf das Konto und schreiben Sie an uns",
    "He was born in Boston and moved to New York.",
  ])("reports no person in the look-alike %j", (text) => {
    expect(found(text, "PERSON")).toEqual([]);
  });

  it("a street named after a person is a street, not a person", () => {
    expect(found("He lives at Avenida Pedro Ulisses 888 now", "PERSON")).toEqual([]);
    expect(found("He lives at Avenida Pedro Ulisses 888 now", "STREET_ADDRESS")).toEqual(["Avenida Pedro Ulisses 888"]);
    expect(found("He lives on the north side of Joaquin Suarez 2906.", "PERSON")).toEqual([]);
  });

  it("the gazetteer lists are lower-case, sorted, and ambiguous words are kept apart", () => {
    for (const list of [GIVEN, SURNAME, BOTH, AMBIGUOUS]) {
      const words = list.split(" ");
      expect(words.length).toBeGreaterThan(1000);
      expect(words.every((w) => w === w.toLowerCase() && w.length >= 2)).toBe(true);
      expect([...words].sort()).toEqual(words);
    }
    const ambiguous = new Set(AMBIGUOUS.split(" "));
    expect(GIVEN.split(" ").some((w) => ambiguous.has(w))).toBe(false);
    // English words that are also names ("will", "grant") need a second name word.
    expect(ambiguous.has("will")).toBe(true);
    expect(found("Will Grant be there?", "PERSON")).toEqual([]);
  });

  it("personScore is total: null or a score in [0, 1] for any text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        const v = personScore(s);
        return v === null || (v >= 0 && v <= 1);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("street addresses of many countries", () => {
  it.each([
    ["Ship it to Via Nazario Sauro 112, please", "Via Nazario Sauro 112"],
    ["Rua Doutor Afrânio Junqueira 1460", "Rua Doutor Afrânio Junqueira 1460"],
    ["Adres: ul. Elbląska 97, Olsztyn", "ul. Elbląska 97"],
    ["Elle habite 96 rue de Penthièvre à Pontoise", "96 rue de Penthièvre"],
    ["Rue du Château 414, Limont", "Rue du Château 414"],
    ["Rákóczi út 66. Budapest", "Rákóczi út 66."],
    ["Luite tee 87, Salumäe", "Luite tee 87"],
    ["040 Snellmaninkatu 55", "040 Snellmaninkatu 55"],
    ["Algade 33 is next to Søndergade 52", "Søndergade 52"],
    ["The bus stops at Magasinsgatan 7 every hour", "Magasinsgatan 7"],
    ["Rostsestraat 222, Froidchapelle", "Rostsestraat 222"],
    ["Brucker Bundesstrasse 31, 4152 Fürling", "Brucker Bundesstrasse 31"],
    ["Trenerys gate 232, Oslo", "Trenerys gate 232"],
    ["183 Epimenidou Street, Limassol", "183 Epimenidou Street"],
    ["1317 Kimberly Way, Grand Rapids", "1317 Kimberly Way"],
    ["Write to P.O. Box 255, Kangerlussuaq", "P.O. Box 255"],
    ["PSC 3294, Box 9168\nAPO AA 61487", "PSC 3294, Box 9168\nAPO AA 61487"],
    ["Flat above the shop, Apt. 022", "Apt. 022"],
  ])("finds the address in %j", (text, address) => {
    expect(found(text, "STREET_ADDRESS")).toContain(address);
  });

  it.each([
    "During 2017 we moved the servers twice.",
    "Spring 2021 was cold.",
    "The conference in Heidelberg 2025 was sold out.",
    "See Route 66 on the map.",
    "Version 2 Release Notes",
    "The test suite has 42 cases.",
    "Chapter 5 covers the way 3 processes share memory.",
  ])("reports no address in the look-alike %j", (text) => {
    expect(found(text, "STREET_ADDRESS")).toEqual([]);
  });

  it("a unit on the next line is its own span, not glued to the street", () => {
    expect(found("41086 Kiannonkatu 98\n Suite 464", "STREET_ADDRESS")).toEqual(["41086 Kiannonkatu 98", "Suite 464"]);
  });
});

describe("checksum-backed recognizers added in session 3", () => {
  /** A Luhn-valid 16-digit number whose prefix is no listed issuer's. */
  const unlisted = (body: string) => `${body}${checksums.luhnCheckDigit(body)}`;

  it("a Luhn-valid number on no issuer range is a card only next to a card word", () => {
    const n = unlisted("359889932305341");
    expect(checksums.cardBrand(n)).toBeUndefined();
    expect(found(`card number ${n} is lost`, "CREDIT_CARD")).toEqual([n]);
    expect(found(`order ${n} shipped`, "CREDIT_CARD")).toEqual([]);
    const bad = `${n.slice(0, 15)}${(Number(n[15]) + 1) % 10}`;
    expect(found(`card number ${bad} is lost`, "CREDIT_CARD")).toEqual([]);
  });

  it("a DNI written with seven digits keeps its control letter", () => {
    const letter = checksums.spainIdLetter(1111111);
    expect(found(`DNI 1111111${letter}`, "ES_NIF")).toEqual([`1111111${letter}`]);
    const wrong = letter === "A" ? "B" : "A";
    expect(found(`DNI 1111111${wrong}`, "ES_NIF")).toEqual([]);
  });

  it("an NHS number printed 3-3-4 is reported without context, a bare one is not", () => {
    const body = "401023213";
    let s = 0;
    for (let i = 0; i < 9; i++) s += Number(body[i]) * (10 - i);
    const check = (11 - (s % 11)) % 11;
    expect(check).not.toBe(10);
    const nhs = `${body}${check}`;
    expect(checksums.nhsValid(nhs)).toBe(true);
    expect(found(`${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}`, "UK_NHS")).toHaveLength(1);
    expect(found(nhs, "UK_NHS")).toEqual([]);
  });

  it("National Insurance numbers in lower case still follow the prefix rules", () => {
    expect(found("ni number: hh 01 02 03 d", "UK_NINO")).toEqual(["hh 01 02 03 d"]);
    expect(found("ni number: gb 01 02 03 d", "UK_NINO")).toEqual([]);
  });

  it("the German ID serial printed on the card is found next to 'Ausweis', never bare", () => {
    expect(found("Personalausweis: L01X00T47.", "DE_ID_CARD")).toEqual(["L01X00T47"]);
    expect(found("ref L01X00T47", "DE_ID_CARD")).toEqual([]);
  });
});

describe("adversarial input (untrusted text): no catastrophic backtracking", () => {
  it.each([
    ["capitalised words", "Anna ".repeat(10_000)],
    ["street prefixes", "Via Roma ".repeat(5_000)],
    ["street prefixes with numbers", "Via Roma 1 ".repeat(5_000)],
    ["compound endings", "Aakatu ".repeat(6_000)],
    ["particles", "Anna van de van de ".repeat(2_500)],
    ["initials", "A. B. C. ".repeat(5_000)],
    ["units", "Apt. 1 Suite 2 ".repeat(3_500)],
    ["one long word", "A".repeat(50_000)],
  ])("%s: 50 KB analysed in well under the time a backtracking blow-up would take", (_name, text) => {
    const t0 = process.cpuUsage();
    analyze(text);
    // CPU, not wall time: the machine's load must not decide it. ~0.1–1.2 s; exponential backtracking
    // would take minutes.
    const used = process.cpuUsage(t0);
    expect((used.user + used.system) / 1000).toBeLessThan(10_000);
  });
});

describe("a name after the office its bearer holds, or a speech verb (French, Spanish, German, English)", () => {
  it.each([
    ["Le président Macron a parlé hier soir.", "Macron"],
    ["Selon le ministre Le Drian, rien n'est décidé.", "Le Drian"],
    ["El ministro Ábalos dimitió ayer.", "Ábalos"],
    ["La canciller Merkel llegó a Madrid.", "Merkel"],
    ["Il sindaco Sala ha firmato.", "Sala"],
    ["Der hessische Ministerpräsident Roland Koch besuchte die Messe.", "Roland Koch"],
    ["Gestern sprach Innenminister Schäuble im Bundestag.", "Schäuble"],
    ["Das Spiel endete, Trainer Klopp war zufrieden.", "Klopp"],
    ["We met President Obama in Berlin.", "Obama"],
    ["« Nous allons gagner », a déclaré Chirac.", "Chirac"],
    ['"No habrá cambios", dijo Zapatero.', "Zapatero"],
    ['"Das reicht nicht", so Westerwelle.', "Westerwelle"],
  ])("finds the person in %j", (text, name) => {
    // The name itself, or a span ending in it ("President Obama" when a context word lifts the whole run).
    expect(found(text, "PERSON").some((s) => s === name || s.endsWith(` ${name}`))).toBe(true);
  });

  it.each([
    // An office word with no name after it, or an everyday noun, a lower-case word or a number.
    "Der Minister sagte am Montag nichts.",
    "Der Trainer Ende der Saison entlassen.",
    "El ministro de Economía habló.",
    "Le président a parlé.",
    "the president said nothing",
    "so 12.",
  ])("finds no person in the look-alike %j", (text) => {
    expect(found(text, "PERSON")).toEqual([]);
  });
});

describe("titles, forms of address and speakers (session 11: Spanish, French, Italian, German, English)", () => {
  it.each([
    ["Ayer habló la señora Palacio en Bruselas.", "Palacio"],
    ["Je remercie madame Dupont et monsieur Martin.", "Dupont"],
    ["Ha risposto la signora Rossi.", "Rossi"],
    ["Wir haben Herrn Müller eingeladen.", "Müller"],
    ["Herr von Wogau hat recht.", "von Wogau"],
    ["I agree with Mrs Plooij-van Gorsel on this.", "Plooij-van Gorsel"],
    ["Menacho explicó en rueda de prensa que no discute la decisión.", "Menacho"],
    ["Tras el consejo, Imaz recordó que la fórmula es la misma.", "Imaz"],
    ["Kruse erklärte , dass er zufrieden sei.", "Kruse"],
    ["Hier, Dupont a déclaré qu'il partait.", "Dupont"],
    // The verb's token with punctuation after it, a tab, a non-ASCII capital (the token pre-test must let these through).
    ['„Ja", Kruse sagte: gut.', "Kruse"],
    ["y ayer\tÁlvarez\tdijo… nada.", "Álvarez"],
    ["Und Wendler erklärte» nichts.", "Wendler"],
    // A lone word joined by "and" to a name found.
    ["Gestern kamen Helmut Kohl und Genscher nach Bonn.", "Genscher"],
    ["Los argentinos Gabriel Méndez y Cardozo juegan.", "Cardozo"],
  ])("finds the person in %j", (text, name) => {
    expect(found(text, "PERSON")).toContain(name);
  });

  it.each([
    // An office or a form of address after a title is not a name.
    "Thank you, Mr President.",
    "Herr Präsident, meine Damen und Herren!",
    "Frau Präsidentin, ich danke Ihnen.",
    "Señor Presidente, señorías, gracias.",
    "Dear Mr Commissioner, thank you.",
    "Er ist nicht mehr Herr der Lage.",
    // A country, an article with a noun, or a clause opener before a speech verb.
    "Alemania dijo que no firmará.",
    "La Comisión señaló que el plazo termina.",
    "Die Regierung erklärte den Notstand.",
    "Frankreich erklärte sich bereit.",
    // Clause openers that name lists also hold as rare given names.
    "Dans le même discours, il souligna la neutralité.",
    "Esta empresa organiza vuelos.",
    "Durante la primera sesión se trató la labor.",
  ])("finds no person in the look-alike %j", (text) => {
    expect(found(text, "PERSON")).toEqual([]);
  });

  it.each([
    // After "and": a country, a German plural noun, a street before its house number.
    ["Der Vertrag zwischen Helmut Kohl und Frankreich.", "Frankreich"],
    ["Er schrieb mit Remi Siffadaux und Musikkritiken.", "Musikkritiken"],
    ["Please validate: Elizabeth and Bonaröd 15", "Bonaröd"],
  ])('does not take the word after a name and "and" in %j', (text, word) => {
    expect(found(text, "PERSON")).not.toContain(word);
  });

  it("writes a word list as a trie alternation that matches exactly the words", () => {
    const words = ["said", "says", "sagte", "a dit", "a déclaré", "afirma", "afirmó", "ha detto"];
    const re = new RegExp(`^(?:${trieAlternation(words)})$`, "u");
    for (const w of words) expect(re.test(w)).toBe(true);
    for (const w of ["sa", "afirm", "a d", "saidx", "dit", ""]) expect(re.test(w)).toBe(false);
  });
});

describe("parliament roles, lists of names and things that are not names (session 12)", () => {
  it.each([
    // A member, rapporteur or commissioner named by role and surname alone, Germanic particles kept.
    ["La ringrazio, onorevole Poettering.", "Poettering"],
    ["Ha facoltà l'onorevole Wurtz che interviene contro.", "Wurtz"],
    ["Onorevole Plooij-van Gorsel, posso risponderle così.", "Plooij-van Gorsel"],
    ["presentata dall'onorevole von Wogau a nome della commissione", "von Wogau"],
    ["come ha detto l'on. Jonckheer in aula", "Jonckheer"],
    ["e al Commissario Wulf-Mathies in particolare", "Wulf-Mathies"],
    ["doy las gracias al ponente Koch por el trabajo", "Koch"],
    ["Der Kollege Rapkay hat seinen Bericht gemacht.", "Rapkay"],
    ["Ich danke der Berichterstatterin Schroedter für ihre Arbeit.", "Schroedter"],
    ["Thank you, Commissioner Monti, for the answer.", "Monti"],
    // French "M."/"MM." (with the dot), Italian "Sig."/"Dott.ssa", German "Hr.".
    ["et MM. Dupin et Berryer ont répondu", "Dupin"],
    ["Il Sig. Scroedter e la Dott.ssa Rapkay sono arrivati.", "Scroedter"],
    ["Il Sig. Scroedter e la Dott.ssa Rapkay sono arrivati.", "Rapkay"],
    ["Dann sprach Hr. Jonckheer zu uns.", "Jonckheer"],
    // More verbs of saying after a lone speaker, Italian and French.
    ["Scroedter ha ricordato che il voto è domani.", "Scroedter"],
    ["Jonckheer a annoncé sa démission.", "Jonckheer"],
  ])("finds the person in %j", (text, name) => {
    expect(found(text, "PERSON")).toContain(name);
  });

  it("reads every name of a list that a found name opens and a conjunction closes", () => {
    const text = "Desidero ringraziare i relatori, onorevoli von Wogau, Langen, Rapkay, Jonckheer e la Commissione.";
    expect(found(text, "PERSON")).toEqual(expect.arrayContaining(["von Wogau", "Langen", "Rapkay", "Jonckheer"]));
    const es = "quiero agradecer a los ponentes von Wogau, Rapkay y Jonckheer la colaboración";
    expect(found(es, "PERSON")).toEqual(expect.arrayContaining(["von Wogau", "Rapkay", "Jonckheer"]));
  });

  it.each([
    // No closing conjunction: a name, a town and a state are not a list of people.
    ["Write to Mr John Smith, Springfield, Illinois.", "Springfield"],
    // A lone list name (a noun in German) does not open a list.
    ["Sie stehen im Mittelpunkt zahlreicher Romane, Theaterstücke und Filme.", "Theaterstücke"],
    // Romance particles after an office name the office's body.
    ["a la Vicepresidenta de la Comisión por su claridad", "de la Comisión"],
    ["anche la Vicepresidente della Commissione per aver", "della Commissione"],
    // Forms of address after a salutation, clause openers and nouns of official prose.
    ["Herr Präsident, liebe Kolleginnen und Kollegen!", "Kolleginnen"],
    ["Lieber Kollege, wir werden das prüfen.", "Kollege"],
    ["Tali emendamenti riguardano la resistenza.", "Tali"],
    ["Ora, però, verrà messo nuovamente in stato di accusa.", "Ora"],
    ["Darin geht es um die Sozialwirtschaft.", "Darin"],
    ["La Comisión ha presentado un Libro Blanco sobre esta cuestión.", "Libro Blanco"],
    ["El Acta de la sesión anterior ha sido distribuida.", "El Acta"],
    // A title does not reach across a line break (a form's next field), and more clause openers.
    ["Edad: 50 años Sexo: M.\nFecha de Ingreso: 01/07/2016.", "Fecha de Ingreso"],
    ["Nelle ultime settimane il governo ha taciuto.", "Nelle"],
    ["Dada la situación, se decidió operar.", "Dada"],
  ])("does not take %j as a person", (text, word) => {
    expect(found(text, "PERSON")).not.toContain(word);
  });

  it("a field's label near a name column's word is not a name, its value is", () => {
    const form = "Nombre: María Luisa.\nApellidos: Fernández Gil.\nDomicilio: C/ Mayor, 12.";
    expect(found(form, "PERSON")).toEqual(["María Luisa", "Fernández Gil"]);
  });

  it("an address after 'on the north side of' is an address", () => {
    expect(found("He lives on the north side of Dobrovského 1521.", "STREET_ADDRESS")).toEqual(["Dobrovského 1521"]);
  });
});
