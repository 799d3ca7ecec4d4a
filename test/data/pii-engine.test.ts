/**
 * The engine's pre-tests only skip work: a recognizer's pre-test must pass on every text its pattern
 * matches, or the analyzer would miss what a full scan finds.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyze, RECOGNIZERS } from "../../src/data/pii/index.js";
import { minDigits } from "../../src/data/pii/pattern-facts.js";
import { corpus } from "./pii-corpus.js";
import { mixedText } from "./pii-mixed-texts.js";

/**
 * All but person-speaker, whose pre-test wants a space before the verb while its pattern also takes a
 * tab ("Merkel\terklärte"): a known gap of that rule, kept as it is (the engine's output must not change).
 */
const withPrefilter = RECOGNIZERS.filter((r) => r.prefilter && r.id !== "person-speaker");

/** Ids of recognizers whose pattern matches `text` while their pre-test rejects it. */
function missedBy(text: string): string[] {
  const out: string[] = [];
  for (const r of withPrefilter) {
    r.pattern.lastIndex = 0;
    const m = r.pattern.exec(text);
    r.pattern.lastIndex = 0;
    if (m && !r.prefilter!.test(text)) out.push(r.id);
  }
  return out;
}

describe("PII engine pre-tests", () => {
  it("every street pattern has its street-type pre-test", () => {
    const streets = RECOGNIZERS.filter((r) => r.entity === "STREET_ADDRESS" && r.window === "near" && /^street-address-(prefix|after|compound|box|unit)/.test(r.id));
    expect(streets.length).toBe(6);
    for (const r of streets) expect(r.prefilter, r.id).toBeDefined();
  });

  it("pre-tests admit street lines written with bis/ter, Postbox and a tab after BP", () => {
    for (const text of [
      "12 bis rue Victor Hugo",
      "3ter, avenue Foch",
      "Postbox 4411",
      "Post box 12",
      "BP\t12 Paris",
      "PSC 3211, Box 1243",
      "Unit 4780 Box 9653",
      "Postbus 4120",
      "POSTBOKS 77",
      "Harbour road 17",
    ]) {
      expect(missedBy(text), text).toEqual([]);
    }
    expect(analyze("Il habite au 12 bis rue Victor Hugo.").map((m) => m.entity)).toContain("STREET_ADDRESS");
    expect(analyze("Write to Postbox 4411 please.").map((m) => m.entity)).toContain("STREET_ADDRESS");
  });

  it("pre-tests admit every match in the generated sentences", () => {
    for (const { text } of corpus(7, 1_500)) expect(missedBy(text), text).toEqual([]);
  });

  it("property: pre-tests admit every match in random mixed texts", () => {
    fc.assert(
      fc.property(mixedText, (text) => missedBy(text).length === 0),
      { numRuns: 3_000, seed: 1212 },
    );
  });
});

const asciiDigits = (s: string) => s.replace(/[^0-9]/g, "").length;

describe("least digits of a pattern (pattern-facts.ts)", () => {
  it("reads counts, classes, alternatives, quantifiers and look-arounds", () => {
    expect(minDigits(/(?<![\d-])[12]\d{9}(?![\d-])/g)).toBe(10);
    expect(minDigits(/\d{3}([- .]?)\d{2}\1\d{4}/)).toBe(9);
    expect(minDigits(/(?:\d{2}|2[AB]) ?\d/)).toBe(2);
    expect(minDigits(/a\d?b\d*c\d+?|x\d{2,}/)).toBe(1);
    expect(minDigits(/[0-9a]\d|[\d.]{3}|(?=\d{5})x/)).toBe(0);
    expect(minDigits(/[^0-9]{4}\p{Nd}\u0031\x32/u)).toBe(0);
    expect(minDigits(/(?<year>(?:19|20)\d\d)/)).toBe(4);
    expect(minDigits(/IPv6:\d/i)).toBe(2);
  });

  it("every recognizer's pattern is read, and ID recognizers need their digits", () => {
    const least = Object.fromEntries(RECOGNIZERS.map((r) => [r.id, minDigits(r.pattern)]));
    expect(least["us-npi"]).toBe(10);
    expect(least["credit-card"]).toBe(12);
    expect(least["fr-nir"]).toBe(14);
    expect(least.passport).toBe(0);
    expect(least["street-address-box"]).toBe(0);
  });

  /** Ids of recognizers with a match holding fewer ASCII digits than minDigits claims. */
  function tooFew(text: string): string[] {
    const out: string[] = [];
    for (const r of RECOGNIZERS) {
      const least = minDigits(r.pattern);
      if (least === 0) continue;
      r.pattern.lastIndex = 0;
      for (let m = r.pattern.exec(text); m !== null; m = r.pattern.exec(text)) {
        if (m[0].length === 0) r.pattern.lastIndex++;
        if (asciiDigits(m[0]) < least) out.push(`${r.id}: ${m[0]}`);
      }
      r.pattern.lastIndex = 0;
    }
    return out;
  }

  it("every match in the generated sentences holds at least that many digits", () => {
    for (const { text } of corpus(11, 1_500)) expect(tooFew(text), text).toEqual([]);
  });

  it("property: every match in random mixed texts holds at least that many digits", () => {
    fc.assert(
      fc.property(mixedText, (text) => tooFew(text).length === 0),
      { numRuns: 2_000, seed: 1213 },
    );
  });

  it("analyze still finds IDs whose windows just reach the count", () => {
    expect(analyze("NPI 1234567893 on file").map((m) => m.entity)).toContain("US_NPI");
    expect(analyze("card 4111 1111 1111 1111 ok").map((m) => m.entity)).toContain("CREDIT_CARD");
  });
});

describe("session 13 screens (pre-tests, letter-and-digit runs, six-digit phone candidates)", () => {
  it("the new pre-tests admit anchored addresses, record numbers and street lines in several forms", () => {
    const lines = [
      "Patientennummer: 12345678",
      "patient ID AB-123456 admitted",
      "MRN# 8583134",
      "numéro de dossier 4455667",
      "Historia clínica NHC 998877",
      "She lives at 450 Præstevænget 15",
      "Anschrift: Am Markt 12",
      "wohnt in Lindenweg 3",
      "domiciliée au 12 Rue Haute 7",
      "vive en Calle Mayor 120",
      "ADDRESS IS 12 Baker Street 221",
      "Thomas Müller lives at 197 rue du Bac.",
      "12 bis allée des Roses",
      "Hauptstraße 5 und Lindenweg 3",
      "C/ Mayor, 12 y Avda. Diagonal 22",
    ];
    for (const text of lines) expect(missedBy(text), text).toEqual([]);
  });

  /** Ids of recognizers with a match holding no run of ASCII letters and digits as long as `minRun`. */
  function shortRuns(text: string): string[] {
    const out: string[] = [];
    for (const r of RECOGNIZERS) {
      if (!r.minRun) continue;
      r.pattern.lastIndex = 0;
      for (let m = r.pattern.exec(text); m !== null; m = r.pattern.exec(text)) {
        if (m[0].length === 0) r.pattern.lastIndex++;
        const longest = Math.max(0, ...(m[0].match(/[0-9A-Za-z]+/g) ?? []).map((x) => x.length));
        if (longest < r.minRun) out.push(`${r.id}: ${m[0]}`);
      }
      r.pattern.lastIndex = 0;
    }
    return out;
  }

  it("every match in the generated sentences holds a run as long as its recognizer's minRun", () => {
    for (const { text } of corpus(13, 1_500)) expect(shortRuns(text), text).toEqual([]);
  });

  it("property: every match in random mixed texts holds a run as long as its recognizer's minRun", () => {
    fc.assert(
      fc.property(mixedText, (text) => shortRuns(text).length === 0),
      { numRuns: 2_000, seed: 1313 },
    );
  });

  it("minRun fails on a value cut by separators (the screen is a real bound)", () => {
    const btc = RECOGNIZERS.find((r) => r.id === "crypto-btc")!;
    expect(shortRuns("wallet 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2 ok")).toEqual([]);
    expect(btc.minRun).toBe(26);
    expect(analyze("BTC wallet 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2").map((m) => m.entity)).toContain("CRYPTO");
  });

  it("property: no six-digit string without + or a trunk 0 is a valid or possible US number", async () => {
    const { parsePhoneNumberFromString } = await import("libphonenumber-js/max");
    const shapes = [
      (d: string) => `${d.slice(0, 4)}.${d.slice(4)}`,
      (d: string) => `${d.slice(0, 2)} ${d.slice(2, 4)} ${d.slice(4)}`,
      (d: string) => `(${d.slice(0, 2)}) ${d.slice(2)}`,
      (d: string) => `${d.slice(0, 3)}-${d.slice(3)}`,
    ];
    fc.assert(
      fc.property(fc.integer({ min: 100_000, max: 999_999 }), fc.integer({ min: 0, max: shapes.length - 1 }), (n, k) => {
        const p = parsePhoneNumberFromString(shapes[k]!(String(n)), { defaultCountry: "US", extract: false });
        return !p?.isValid() && !p?.isPossible();
      }),
      { numRuns: 3_000, seed: 1314 },
    );
  });

  it("six-digit amounts are still local numbers next to a phone word, and nothing without one", () => {
    expect(analyze("Total due: 1963.49 EUR").filter((m) => m.entity === "PHONE_NUMBER")).toEqual([]);
    expect(analyze("Telefon 61 54 78").map((m) => m.entity)).toContain("PHONE_NUMBER");
  });
});
