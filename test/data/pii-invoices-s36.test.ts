import { describe, expect, it } from "vitest";
import { found } from "./pii-eval.js";

describe("hyphenated identifiers with their own check digits are no phone numbers (session 36)", () => {
  it.each([
    // German e-invoice routing ids (Leitweg-ID): digits, an optional fine address, MOD 97-10 check digits.
    "<cbc:BuyerReference>991-0815-93</cbc:BuyerReference>",
    "Leitweg-ID: 08111000-76543-38",
    "Käuferreferenz 12-A7XZ9-38 angeben",
    // ISBN-10 with its hyphens, the check a digit or X.
    "ISBN 0-306-40615-2",
    "Quelle: 3-16-148410-X, S. 12",
  ])("reports no phone number in %j", (text) => {
    expect(found(text, "PHONE_NUMBER")).toEqual([]);
  });

  it.each([
    // The same shapes with a wrong check digit, after a phone word: still phone numbers.
    ["Tel. 08111000-76543-39", "08111000-76543-39"],
    ["Tel 0-306-40615-3", "0-306-40615-3"],
    // A German extension after a hyphen, a switchboard "-0".
    ["Telefon 0431 98765-43", "0431 98765-43"],
    ["Zentrale: +49 30 12345-0", "+49 30 12345-0"],
  ])("finds the phone number in %j", (text, phone) => {
    expect(found(text, "PHONE_NUMBER")).toEqual([phone]);
  });
});

describe("the international prefix 00 keeps the country code whole (session 36)", () => {
  it.each(["Firmennummer 006 123 458", "ACN 004 771 260"])("reports no phone number in %j", (text) => {
    expect(found(text, "PHONE_NUMBER")).toEqual([]);
  });

  it.each([
    ["Tel. 0049 30 1234567", "0049 30 1234567"],
    ["call 001 212 555 0147", "001 212 555 0147"],
    ["Tel. 00 33 1 42 68 53 00", "00 33 1 42 68 53 00"],
  ])("finds the phone number in %j", (text, phone) => {
    expect(found(text, "PHONE_NUMBER")).toEqual([phone]);
  });
});

describe("a letter prefix and digits is a reference number unless a card word names it (session 36)", () => {
  it.each(["Rechnungsnummer RG73004519", "<cbc:ID>KVN8102331</cbc:ID>"])("reports no ID card in %j", (text) => {
    expect(found(text, "DE_ID_CARD")).toEqual([]);
  });

  it.each([
    ["Personalausweis RG73004519", "RG73004519"],
    ["Ausweisnummer: KVN8102331", "KVN8102331"],
    // Serials that mix letters and digits, or one letter first, need no card word.
    ["Nr. T220001293", "T220001293"],
    ["L01X00T471", "L01X00T471"],
  ])("finds the ID card number in %j", (text, id) => {
    expect(found(text, "DE_ID_CARD")).toEqual([id]);
  });
});

describe("street lines as European records write them (session 36)", () => {
  it.each([
    // English with the type in lower case and the number after it, ending the line or clause.
    ["Lieferadresse: Harbour road 17, Aarhus", "Harbour road 17"],
    ["<cbc:StreetName>Queens avenue 230</cbc:StreetName>", "Queens avenue 230"],
    // Dutch, Danish and Norwegian post-office boxes.
    ["Antwoordnummer en Postbus 4120 te Utrecht", "Postbus 4120"],
    ["POSTBOKS 77 Sentrum", "POSTBOKS 77"],
  ])("finds the street line in %j", (text, street) => {
    expect(found(text, "STREET_ADDRESS")).toEqual([street]);
  });

  it.each([
    // The number is a count or a year, or a word follows it.
    "We crossed Harbour road 3 times.",
    "The Wall street 2024 outlook",
    "Sesame street 5th season",
    "Main road 12 km north of town",
  ])("reports no street in %j", (text) => {
    expect(found(text, "STREET_ADDRESS")).toEqual([]);
  });
});
