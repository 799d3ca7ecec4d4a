import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyze, RECOGNIZERS } from "../../src/data/pii/index.js";
import { luhnDigit } from "./pii-corpus.js";
import { found } from "./pii-eval.js";

describe("phone numbers as people write them", () => {
  it.each([
    ["Call (555) 123-4567 x123 after lunch", "(555) 123-4567 x123"],
    ["phone: +1-555-555-5555", "+1-555-555-5555"],
    ["my cell is 555.123.4567", "555.123.4567"],
    ["Mobile: 001-877-993-0333", "001-877-993-0333"],
    ["Fax 011 44 20 7946 0958", "011 44 20 7946 0958"],
    ["office 06-93941926-Office", "06-93941926"],
    ["27-37-49-46-Office", "27-37-49-46"],
    ["Please call me at 61 54 78 tomorrow", "61 54 78"],
    ["Phone: 0389 0506426", "0389 0506426"],
    ["You can reach me on (92) 663-620", "(92) 663-620"],
    // National formats: Germany, France, Spain, United Kingdom (libphonenumber metadata).
    ["Telefon: 030 12345678", "030 12345678"],
    ["Rufnummer 0151 23456789", "0151 23456789"],
    ["téléphone : 01 23 45 67 89", "01 23 45 67 89"],
    ["teléfono 912 345 678", "912 345 678"],
    ["tel 020 7946 0958", "020 7946 0958"],
  ])("finds the phone number in %j", (text, phone) => {
    expect(found(text, "PHONE_NUMBER")).toEqual([phone]);
  });

  it.each([
    "When: 1984-07-16 04:54:07.241050",
    "Order 12 34 56 was shipped in 2019",
    "The build took 12 34 56 seconds",
    "version 1.2.3456789 released",
    "invoice 2021-04-12 total 1234.56",
    "ISBN 978 3 16 148410 0 in the catalogue",
    // The digits of a National Insurance number after "number" (added after U2 was scored).
    "His social security number is ZZ 94 30 47 T",
  ])("reports no phone number in the look-alike %j", (text) => {
    expect(found(text, "PHONE_NUMBER")).toEqual([]);
  });

  it("a dotted quad is an IP address, never a phone number, even after a phone word", () => {
    expect(found("Login from 198.245.68.174 blocked", "PHONE_NUMBER")).toEqual([]);
    expect(found("Login from 198.245.68.174 blocked", "IP_ADDRESS")).toEqual(["198.245.68.174"]);
    expect(found("call 138.55.204.207 now", "PHONE_NUMBER")).toEqual([]);
    // Look-alikes that are not IPv4 stay phone numbers: a group above 255, five groups, three groups.
    expect(found("call 912.34.56.78 now", "PHONE_NUMBER")).toEqual(["912.34.56.78"]);
    expect(found("téléphone 01.23.45.67.89", "PHONE_NUMBER")).toEqual(["01.23.45.67.89"]);
    expect(found("my cell is 555.123.4567", "PHONE_NUMBER")).toEqual(["555.123.4567"]);
  });

  it("a short local number needs a phone word next to it", () => {
    expect(found("tel 61 54 78", "PHONE_NUMBER")).toEqual(["61 54 78"]);
    expect(found("rows 61 54 78", "PHONE_NUMBER")).toEqual([]);
    // Six digits run together are never a phone number, even after a phone word.
    expect(found("phone 615478", "PHONE_NUMBER")).toEqual([]);
  });
});

describe("escaped line breaks (JSON strings in logs)", () => {
  const logged = String.raw`Name: Guiomar H. Verduzco\nPhone: 9151 6470\nMobile:\t(746)240-5497`;

  it("separate words like real breaks, and offsets index the input", () => {
    const matches = analyze(logged);
    const texts = matches.map((m) => [m.entity, logged.slice(m.start, m.end)]);
    expect(texts).toContainEqual(["PERSON", "Guiomar H. Verduzco"]);
    expect(texts).toContainEqual(["PHONE_NUMBER", "9151 6470"]);
    expect(texts).toContainEqual(["PHONE_NUMBER", "(746)240-5497"]);
  });

  it("give the same matches at the same offsets as real breaks (property)", () => {
    const piece = fc.constantFrom("Phone: 0389 0506426", "Anna Schmidt", "e-mail jo@example.org", "tel 61 54 78", "ok", "Apt. 12");
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 6 }), fc.constantFrom("n", "t", "r"), (pieces, esc) => {
        const real = pieces.join(esc === "n" ? " \n" : esc === "t" ? " \t" : " \r");
        const escaped = pieces.join(`\\${esc}`);
        // Same length: "\\n" and " \n" are both two characters.
        const a = analyze(real).map((m) => [m.entity, m.start, m.end]);
        const b = analyze(escaped).map((m) => [m.entity, m.start, m.end]);
        expect(b).toEqual(a);
      }),
      { numRuns: 200 },
    );
  });
});

describe("address blocks, labelled in pieces as Presidio's users expect", () => {
  it("finds the street line, the unit and the closing postcode of a block", () => {
    const block = "Aimee Spencer\n\n099 De Zwarte Ruiter 193\n Apt. 306\n Amersfoort\n Netherlands 64382\n";
    expect(found(block, "STREET_ADDRESS")).toEqual(["099 De Zwarte Ruiter 193", "Apt. 306", "64382"]);
    // The same block as an escaped JSON string, with line decoration.
    const logged = String.raw`}}4650 Kongshøj Allé 70\n}}Suite 837\n}}Kruså\n}}Denmark 25198`;
    expect(found(logged, "STREET_ADDRESS")).toEqual(["4650 Kongshøj Allé 70", "Suite 837", "25198"]);
  });

  it("a street line just after a unit, and a Portuguese postcode", () => {
    expect(found("Ms. Katie Szöllösi Apt. 507 493 Fuente del Gallo 4\nCorcubión", "STREET_ADDRESS")).toEqual(["Apt. 507", "493 Fuente del Gallo 4"]);
    expect(found("Ms. Katie Szöllösi Apt. 507 493 Fuente del Gallo 4\nCorcubión", "PERSON")).toEqual(["Katie Szöllösi"]);
    expect(found("7243 Plano Integrado 53 Apt. 023\n Alverca do Ribatejo\n 2615-030\n", "STREET_ADDRESS")).toEqual(["7243 Plano Integrado 53", "Apt. 023", "2615-030"]);
  });

  it("military addresses with their APO/DPO line, and the second street of a corner", () => {
    expect(found("address: Unit 4780 Box 9653\nDPO AP 48577", "STREET_ADDRESS")).toEqual(["Unit 4780 Box 9653\nDPO AP 48577"]);
    expect(found("PSC 3211, Box 1243\nAPO AA 73115", "STREET_ADDRESS")).toEqual(["PSC 3211, Box 1243\nAPO AA 73115"]);
    expect(found("stop at the corner of 34 Marathonos Street and Vukelj Mountain St.", "STREET_ADDRESS")).toEqual(["34 Marathonos Street", "Vukelj Mountain St."]);
  });

  it.each([
    // Numbers on consecutive lines without a unit are not an address.
    "Totals\n12 apples and 30\n14 pears and 2\n",
    // A number after a unit-like word that is not followed by a block line.
    "Unit 4 tests passed in 2019 runs",
    "Flat 3 of the report: 120 rows dropped, 4500 kept",
    "the corner of the room and the Big Window",
  ])("reports no address in the look-alike %j", (text) => {
    expect(found(text, "STREET_ADDRESS")).toEqual([]);
  });

  it("a number closing a line after a unit is a postcode only when no other digits come between", () => {
    expect(found("Suite 5\nran 12 cases\nin total 2024\n", "STREET_ADDRESS")).toEqual(["Suite 5"]);
    expect(found("Suite 5\nBerlin\nGermany 10115\n", "STREET_ADDRESS")).toEqual(["Suite 5", "10115"]);
  });
});

describe("person names from cues and from the rest of the text", () => {
  it.each([
    ["Hi Khasucha, I'm contacting you about a problem", "Khasucha"],
    ["I'd like to join accounts with ms. Alik", "Alik"],
    ['"Moving in that direction is good," says Sawicki.', "Sawicki"],
    ["She named him Abelino", "Abelino"],
    ["Sometimes people call me Yoshifumi", "Yoshifumi"],
    ['Kan shouted at Craig: "What are you doing here?"', "Craig"],
    ['Kan shouted at Craig: "What are you doing here?"', "Kan"],
    // Romanised Japanese names: Hepburn syllables, three or more per word.
    ["Have you been to a Rioko Kawashima concert before?", "Rioko Kawashima"],
    ["Shuntarou Yamane arrived", "Shuntarou Yamane"],
    // A given name that is also a word, and a surname's ending.
    ["Maria Gustavsen was here", "Maria Gustavsen"],
  ])("finds the person in %j", (text, name) => {
    expect(found(text, "PERSON")).toContain(name);
  });

  it("a part of a name found in full names the same person elsewhere in the text", () => {
    const text = "Directed by Sigrid Nyström and starring Nyström; Nyström's next film followed.";
    expect(found(text, "PERSON")).toEqual(["Sigrid Nyström", "Nyström", "Nyström"]);
    // Only capitalised words, and not words that are common words too.
    expect(found("Anna Bell wrote it. The bell rang.", "PERSON")).toEqual(["Anna Bell"]);
  });

  it.each([
    "Hi There, welcome. Hello World program.",
    "Reuters said Microsoft said. The company said Monday.",
    "Hello Kitty is a brand; call me Tomorrow",
    "the Bult table was empty",
    // "ms." after a number is milliseconds, not a title.
    "verification stays under 0.1 ms. Consistency generation is slower",
    "Banana Republic store",
  ])("reports no person in the look-alike %j", (text) => {
    expect(found(text, "PERSON")).toEqual([]);
  });
});

describe("speed gates keep the output", () => {
  it("every context word of a recognizer passes its context gate", () => {
    const gated = RECOGNIZERS.filter((r) => r.contextGate);
    expect(gated.length).toBeGreaterThan(0);
    for (const r of gated) for (const w of r.context ?? []) expect(r.contextGate!.test(w), `${r.id}: ${w}`).toBe(true);
  });
});

describe("host names without a scheme, e-mails to IP literals, cards printed with dots (session 9)", () => {
  it.each([
    ["Go to example.com/path for the form", "example.com/path"],
    ["VPN: vpn01.firma-intern.de, Port 443", "vpn01.firma-intern.de"],
    ["the database db.internal.example.org:5432 is down", "db.internal.example.org:5432"],
    ["Dashboard report-fin-02.spintex.local lädt nicht", "report-fin-02.spintex.local"],
    ["Bestellungen über amazon.de oder zalando.ch", "amazon.de"],
    ["Our website is acme-shop.io", "acme-shop.io"],
  ])("URL in %j", (text, value) => {
    expect(found(text, "URL")).toContain(value);
  });

  it.each([
    "See setup.py and README.md for details.",
    "Node.js and Vue.js are used, e.g. in main.rs too.",
    "Version 1.2.3 of lib.so.6 was installed.",
    "The file report.final.pdf is attached.",
    "Das war's.Und dann ging er.",
    "printer.local is off",
    "Total: 3.5 kg, i.e. a lot",
  ])("no URL in %j", (text) => {
    expect(found(text, "URL")).toEqual([]);
  });

  it("an address after a context word counts even when the name alone would not", () => {
    expect(found("host: printer.local", "URL")).toEqual(["printer.local"]);
  });

  it.each([
    ["Reply to ops@[192.0.2.1] today", "ops@[192.0.2.1]"],
    ["admin@[IPv6:2001:db8::1] gets the alerts", "admin@[IPv6:2001:db8::1]"],
    ["mail root@10.0.0.1 now", "root@10.0.0.1"],
    ["Punycode: a@xn--d1acufc.xn--p1ai", "a@xn--d1acufc.xn--p1ai"],
  ])("e-mail in %j", (text, value) => {
    expect(found(text, "EMAIL_ADDRESS")).toEqual([value]);
  });

  it.each(["user@[999.1.1.1] bounced", "user@[IPv6:zz::1] bounced", "user@1.2.3 is no address"])("no e-mail in %j", (text) => {
    expect(found(text, "EMAIL_ADDRESS")).toEqual([]);
  });

  it("cards printed with dots, one separator throughout, Luhn and issuer as always", () => {
    expect(found("Karte 5555.5555.5555.4444 gültig bis 12/27", "CREDIT_CARD")).toEqual(["5555.5555.5555.4444"]);
    expect(found("Visa 4111.1111.1111.1111", "CREDIT_CARD")).toEqual(["4111.1111.1111.1111"]);
    // Mixed separators, a failing Luhn digit, amounts with thousands dots: not cards.
    expect(found("card 4111.1111 1111.1111", "CREDIT_CARD")).toEqual([]);
    expect(found("Betrag 4.111.111.111.111 EUR", "CREDIT_CARD")).toEqual([]);
    expect(found("ref 5555.5555.5555.4445", "CREDIT_CARD")).toEqual([]);
  });

  it("property: a Luhn-valid Visa number is found printed with spaces, hyphens or dots", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 14, maxLength: 14 }), fc.constantFrom(" ", "-", "."), (digits, sep) => {
        const body = `4${digits.join("")}`;
        const card = `${body}${luhnDigit(body)}`;
        if (/^(\d)\1+$/.test(card)) return;
        const printed = card.match(/.{4}/g)!.join(sep);
        expect(found(`Visa ${printed} bis Ende`, "CREDIT_CARD")).toEqual([printed]);
      }),
      { numRuns: 200 },
    );
  });
});

describe("e-mail addresses with any delegated top-level domain, in any script", () => {
  it.each([
    ["mail: user@example.museum", "user@example.museum"],
    ["Mail me at bob@company.technology today", "bob@company.technology"],
    ["Kontakt: info@bücher.de", "info@bücher.de"],
    ["écrire à josé@exemple.fr", "josé@exemple.fr"],
    ["почта: иван@пример.рф", "иван@пример.рф"],
    ["Japanese domain: user@会社.jp works", "user@会社.jp"],
    ["punycode: user@xn--80ak6aa92e.xn--p1ai", "user@xn--80ak6aa92e.xn--p1ai"],
  ])("finds the address in %j", (text, address) => {
    expect(found(text, "EMAIL_ADDRESS")).toEqual([address]);
  });

  it.each([
    // No delegated TLD ending, a file name after an @ handle, a decorator.
    "write to user@example.notatld",
    "@param value the value",
    "see user@localhost for details",
    "fix in commit abc@def",
  ])("reports no e-mail address in %j", (text) => {
    expect(found(text, "EMAIL_ADDRESS")).toEqual([]);
  });

  it("a host name in prose keeps the short list of endings, a URL with a scheme any TLD", () => {
    expect(found("unzip notes.zip first", "URL")).toEqual([]);
    expect(found("see https://example.museum/page", "URL")).toEqual(["https://example.museum/page"]);
  });
});
