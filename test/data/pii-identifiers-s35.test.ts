import { describe, expect, it } from "vitest";
import { found } from "./pii-eval.js";

describe("an IBAN as printed in letters and listings (session 35)", () => {
  it.each([
    // A space between the country code and the check digits.
    ["BE 71 0961 2345 6769    GKCCBEBB", "BE 71 0961 2345 6769"],
    ["Überweisung an AT 61 1904 3002 3457 3201 bis Freitag", "AT 61 1904 3002 3457 3201"],
    // Groups of any size joined by hyphens or dots.
    ["BE 71-0961234567-69", "BE 71-0961234567-69"],
    ["Konto NO93.8601.1117.947 bitte", "NO93.8601.1117.947"],
    ["IBAN : FR 14 2004 1010 0505 0001 3M02 606.", "FR 14 2004 1010 0505 0001 3M02 606"],
    // A full stop after the value is not part of it.
    ["IBAN DE89 3704 0044 0532 0130 00. Danke", "DE89 3704 0044 0532 0130 00"],
  ])("finds the IBAN in %j", (text, iban) => {
    expect(found(text, "IBAN_CODE")).toEqual([iban]);
  });

  it.each([
    // The same digits with a wrong check digit, no account word: nothing.
    "BE 71 0961 2345 6768",
    "BE71.0961.2345.6768",
    // Two capitals, a space and digit groups that pass no country's length and mod 97.
    "Ref. AB 12 3456 7890 1234 56",
    "Seite DE 12 von 40, Abschnitt 3.4.5.6.7.8.9.10.11",
  ])("reports no IBAN in %j", (text) => {
    expect(found(text, "IBAN_CODE")).toEqual([]);
  });

  it("reads a spaced Norwegian IBAN as one IBAN, not a phone number", () => {
    const text = "NO 93 8601 1117 947";
    expect(found(text, "IBAN_CODE")).toEqual([text]);
    expect(found(text, "PHONE_NUMBER")).toEqual([]);
  });
});

describe("digit groups that cut across North American 3-3-4 printing are no US phone number (session 35)", () => {
  it.each([
    // A Korean business registration number (3-2-5) and a Costa Rican legal-entity number (1-3-6).
    "202-81-04367",
    "Empresa 3-102-295219 inscrita",
    "BRN 514-81-68599",
    // A bare run opening with 00 that dials no assigned number (a Moroccan company number).
    "002548326000014",
  ])("reports no phone number in %j", (text) => {
    expect(found(text, "PHONE_NUMBER")).toEqual([]);
  });

  it.each([
    ["Call (202) 555-0147 now", "(202) 555-0147"],
    ["call 202-555-0147", "202-555-0147"],
    ["Dial 1-202-555-0147 today", "1-202-555-0147"],
    ["phone: 202.555.0147", "202.555.0147"],
    ["phone: 2025550147", "2025550147"],
    // An international number keeps its own grouping.
    ["Tel. +82 2 312 3456", "+82 2 312 3456"],
    // A bare 00-run that dials an assigned number stays a phone number.
    ["Contacto: +34 612 345 678 o 0034612345678.", "0034612345678"],
  ])("still finds the phone number in %j", (text, phone) => {
    expect(found(text, "PHONE_NUMBER")).toContain(phone);
  });
});

describe("13-digit and SIRET-shaped 14-digit Luhn numbers are cards only next to a card word (session 35)", () => {
  it.each([
    // An EAN-13 barcode's shape on Visa's 4 (13 digits, Luhn-valid), and a French SIRET (its SIREN passes Luhn too).
    "4006012508266",
    "30206838200050",
    "Artikel 4017015527930 auf Lager",
  ])("reports no card in %j", (text) => {
    expect(found(text, "CREDIT_CARD")).toEqual([]);
  });

  it.each([
    ["card 4006012508266", "4006012508266"],
    ["My card 4825140226032 expires soon", "4825140226032"],
    // A 14-digit Diners number whose first nine digits fail Luhn: no SIRET's shape.
    ["I used my 30160217002787 to cover it", "30160217002787"],
    ["4111111111111111", "4111111111111111"],
    ["Please charge my credit card. Number is 30288610434735", "30288610434735"],
  ])("still finds the card in %j", (text, card) => {
    expect(found(text, "CREDIT_CARD")).toEqual([card]);
  });
});

describe("full-width ASCII forms read as their ASCII twins (session 35)", () => {
  it.each([
    ["DNI １２３４５６７８Z de María.", "ES_NIF", "１２３４５６７８Z"],
    ["ＩＢＡＮ ＤＥ８９ ３７０４ ００４４ ０５３２ ０１３０ ００", "IBAN_CODE", "ＤＥ８９ ３７０４ ００４４ ０５３２ ０１３０ ００"],
    ["ｍａｉｌ：ｊｏｈｎ＠ｅｘａｍｐｌｅ．ｃｏｍ", "EMAIL_ADDRESS", "ｊｏｈｎ＠ｅｘａｍｐｌｅ．ｃｏｍ"],
    // Offsets stay those of the text given, with an escaped break after the value.
    ["NIF: １２３４５６７８Z\\nOK", "ES_NIF", "１２３４５６７８Z"],
  ])("finds the value in %j", (text, entity, value) => {
    expect(found(text, entity)).toEqual([value]);
  });

  it.each([
    // A wrong DNI letter, full-width or not, and full-width words and numbers that are no PII.
    ["DNI １２３４５６７８A", "ES_NIF"],
    ["第３章　ＡＢＣ　１２３", "PHONE_NUMBER"],
    ["価格　１，２８０円（税込）", "PHONE_NUMBER"],
  ])("reports nothing in %j", (text, entity) => {
    expect(found(text, entity)).toEqual([]);
  });
});
