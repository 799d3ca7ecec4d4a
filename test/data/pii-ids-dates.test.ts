import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyze, CHECKSUM_ENTITIES, checksums } from "../../src/data/pii/index.js";
import { found } from "./pii-eval.js";

// Codice fiscale check letter, written here from the decree's tables (not imported).
const ODD: Record<string, number> = Object.fromEntries(
  [..."0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"].map((c, i) => [
    c,
    [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23][i]!,
  ]),
);
const EVEN = (c: string) => (/\d/.test(c) ? Number(c) : c.charCodeAt(0) - 65);
function cfCheck(first15: string): string {
  let sum = 0;
  for (let i = 0; i < 15; i++) sum += i % 2 === 0 ? ODD[first15[i]!]! : EVEN(first15[i]!);
  return String.fromCharCode(65 + (sum % 26));
}
function ean13Check(first12: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return String((10 - (sum % 10)) % 10);
}

describe("Italian codice fiscale (check letter)", () => {
  it.each([
    ["Codice fiscale: RSSMRA85T10A562S", "RSSMRA85T10A562S"],
    ["il suo CF è mrtmtt91d08f205j.", "mrtmtt91d08f205j"],
    // Omocodia: digits replaced by letters L–V, with the check letter recomputed.
    [`C.F. RSSMRA85T10A56${"N"}${cfCheck("RSSMRA85T10A56N")}`, `RSSMRA85T10A56N${cfCheck("RSSMRA85T10A56N")}`],
  ])("finds it in %j", (text, code) => {
    expect(found(text, "IT_FISCAL_CODE")).toEqual([code]);
  });

  it.each([
    "Codice fiscale: RSSMRA85T10A562T", // wrong check letter
    "Codice fiscale: RSSMRA85Z10A562S", // no month Z
    "Codice fiscale: RSSMRA85T99A562S", // day 99
    "Serial ABCDEF12G34H567I in the log",
  ])("stays silent on %j", (text) => {
    expect(found(text, "IT_FISCAL_CODE")).toEqual([]);
  });

  it("is checksum-backed, and any generated valid code is found while one wrong letter is not (property)", () => {
    expect(CHECKSUM_ENTITIES.has("IT_FISCAL_CODE")).toBe(true);
    const L = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Z]{6}$/),
        fc.integer({ min: 0, max: 99 }),
        fc.constantFrom(..."ABCDEHLMPRST"),
        fc.integer({ min: 1, max: 71 }).filter((d) => d <= 31 || d >= 41),
        fc.stringMatching(/^[A-Z]\d{3}$/),
        fc.integer({ min: 1, max: 25 }),
        (name, year, month, day, place, k) => {
          const body = `${name}${String(year).padStart(2, "0")}${month}${String(day).padStart(2, "0")}${place}`;
          const check = cfCheck(body);
          expect(checksums.itFiscalCodeValid(body + check)).toBe(true);
          expect(found(`CF ${body}${check}`, "IT_FISCAL_CODE")).toEqual([body + check]);
          const wrong = L[(L.indexOf(check) + k) % 26]!;
          expect(found(`CF ${body}${wrong}`, "IT_FISCAL_CODE")).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("Swiss AHV/AVS number (EAN-13 check digit)", () => {
  it("finds the printed form anywhere and the bare form next to its name", () => {
    expect(found("Versichertennummer 756.9217.0769.85", "CH_AHV")).toEqual(["756.9217.0769.85"]);
    expect(found("AHV-Nr.: 7569217076985", "CH_AHV")).toEqual(["7569217076985"]);
    expect(found("Artikel 7569217076985 im Lager", "CH_AHV")).toEqual([]);
    expect(found("AHV 756.9217.0769.86", "CH_AHV")).toEqual([]);
  });

  it("any 756 number with its check digit validates; another last digit does not (property)", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{9}$/), fc.integer({ min: 1, max: 9 }), (mid, k) => {
        const first = `756${mid}`;
        const c = ean13Check(first);
        expect(checksums.chAhvValid(first + c)).toBe(true);
        expect(checksums.chAhvValid(first + String((Number(c) + k) % 10))).toBe(false);
      }),
    );
  });
});

describe("IDs after compound labels, passports in more shapes", () => {
  it.each([
    ["Personalausweis-Nr.: T22000129", "DE_ID_CARD", "T22000129"],
    ["Passport number: YA1234567", "PASSPORT", "YA1234567"],
    ["Reisepass-Nr. C01X00T47", "PASSPORT", "C01X00T47"],
    ["passeport n° 12AB34567", "PASSPORT", "12AB34567"],
  ])("finds %j", (text, entity, value) => {
    expect(found(text, entity)).toEqual([value]);
  });

  it.each([
    // No passport word: a letter-digit code is an order or a product.
    ["Order YA1234567 shipped", "PASSPORT"],
    // The head of a compound decides: "Dublin-born" is not a birth, an order number is not a passport.
    ["The Dublin-born director, 03.05.1984 premiere", "DATE_OF_BIRTH"],
    ["Bestell-Nr. AB1234567", "PASSPORT"],
  ])("stays silent on %j", (text, entity) => {
    expect(found(text, entity)).toEqual([]);
  });
});

describe("dates of birth written out", () => {
  it.each([
    ["He was born on the 3rd of May 1984.", "3rd of May 1984"],
    ["Date of birth: 3 May, 1984", "3 May, 1984"],
    ["Geboren am 03.05.1984 in Hamburg.", "03.05.1984"],
    ["Geburtsdatum: 3. Mai 1984", "3. Mai 1984"],
    ["née le 3 mai 1984 à Lyon", "3 mai 1984"],
    ["fecha de nacimiento: 3 de mayo de 1984", "3 de mayo de 1984"],
    ["DOB: May 3rd, 1984", "May 3rd, 1984"],
  ])("finds the birth date in %j", (text, date) => {
    expect(found(text, "DATE_OF_BIRTH")).toEqual([date]);
  });

  it("a written-out date without birth context is only a date, below the threshold", () => {
    expect(analyze("The meeting on the 3rd of May 1984 was cancelled.")).toEqual([]);
    expect(found("The meeting on the 3rd of May 1984 was cancelled.".replace("meeting", "birth"), "DATE_OF_BIRTH")).toEqual(["3rd of May 1984"]);
  });
});

describe("European street lines with their postcode and town", () => {
  it.each([
    ["Lieferadresse: Am Waldrand 12, 50667 Köln", ["Am Waldrand 12", "50667 Köln"]],
    ["Unter den Linden 77, 10117 Berlin", ["Unter den Linden 77", "10117 Berlin"]],
    ["Sie wohnt in der Bahnhofstrasse 10, 8001 Zürich.", ["Bahnhofstrasse 10", "8001 Zürich"]],
    ["Waldesruh 7\n12345 Neustadt", ["Waldesruh 7", "12345 Neustadt"]],
    ["Il habite au 12 rue de Rivoli, 75001 Paris.", ["12 rue de Rivoli", "75001 Paris"]],
    ["Adresse : 5 avenue des Champs-Élysées, 75008 Paris", ["5 avenue des Champs-Élysées", "75008 Paris"]],
    ["Dirección: Calle Mayor 5, 28013 Madrid", ["Calle Mayor 5", "28013 Madrid"]],
    ["Indirizzo: Via Roma 10, 00184 Roma", ["Via Roma 10", "00184 Roma"]],
    ["Via Nassa 19\n6900 Lugano", ["Via Nassa 19", "6900 Lugano"]],
    ["Hauptstraße 5, D-80331 München", ["Hauptstraße 5", "D-80331 München"]],
  ])("finds every piece of %j", (text, pieces) => {
    expect(found(text, "STREET_ADDRESS")).toEqual(pieces);
  });

  it.each([
    "Im Jahr 2019 kamen 12345 Besucher zu uns.",
    "Am Montag 12 Personen, 2020 Teilnehmer insgesamt",
    "Version 10, 2024 Edition",
    "Windows 11 and 12345 files",
    "Kapitel 3, Seite 12345 und folgende",
    "Total 12, 45000 EUR due",
  ])("stays silent on %j", (text) => {
    expect(found(text, "STREET_ADDRESS")).toEqual([]);
  });
});

describe("vanity phone numbers", () => {
  it.each([
    ["Call 1-800-FLOWERS today", "1-800-FLOWERS"],
    ["Phone: (888) GOT-JUNK", "(888) GOT-JUNK"],
    ["call us at 800-356-9377 or 1-800-CONTACTS", "1-800-CONTACTS"],
  ])("finds the keypad number in %j", (text, phone) => {
    expect(found(text, "PHONE_NUMBER")).toContain(phone);
  });
  it.each(["Model 300-ABCD is out", "ISO 900-ABC", "Route 202 BEACH", "Call 1-099-FLOWERS"])("stays silent on %j", (text) => {
    expect(found(text, "PHONE_NUMBER")).toEqual([]);
  });
});
