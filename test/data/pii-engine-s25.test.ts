/**
 * Session 25's engine changes: cheaper readings of a found name's words (a capitalised word tested without
 * its pattern when it is plain ASCII, the possessive cut by two compares) and a first-two-letters pre-test
 * before the lone-public-surname pass hashes a capitalised token. The answers must be the patterns' and
 * the lists', and what is found must not change.
 */
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/data/pii/index.js";
import { PUBLIC_SURNAMES } from "../../src/data/pii/names.js";
import { commonWordSurname, isCapitalised, isNamePart, mayBePublicSurnameAt, personScore, propagatableNamePart } from "../../src/data/pii/person.js";

const CAPITALISED = /^[\p{Lu}][\p{Ll}'’-]*[\p{Ll}]$/u;
const NAME_PART = /^[\p{Lu}](?:[\p{Ll}'’-]*|[\p{Ll}'’]+[\p{Lu}][\p{Ll}'’-]*)[\p{Ll}]$/u;

/** Capitalised look-alikes: apostrophes straight and curly, hyphens, accents, capitals inside, digits, ends. */
const PIECES = ["A", "a", "Z", "z", "'", "’", "-", "é", "É", "ß", "1", ".", "o", "Ö", "Ł", "ł", "İ", "ǅ", "𝐀"];

describe("PII engine: a found name's words read without patterns (session 25)", () => {
  it("answers as the capitalised-word pattern on every short combination and on real words", () => {
    const words = ["Anna", "O'Brien", "O’Brien", "Wulf-Mathies", "McCourt", "Émile", "Łukasz", "Ab", "A", "AB", "Ab-", "Ab'", "Anna'", "Smith's", "Zoë", "İlker"];
    for (const a of PIECES) for (const b of PIECES) for (const c of PIECES) words.push(`${a}${b}${c}`, `${a}${b}`, `${a}nna${b}${c}`);
    let yes = 0;
    for (const w of words) {
      const expected = CAPITALISED.test(w);
      expect(isCapitalised(w), w).toBe(expected);
      expect(isNamePart(w), w).toBe(NAME_PART.test(w));
      if (expected) yes++;
    }
    // Not a test of nothing: both answers occur many times.
    expect(yes).toBeGreaterThan(100);
    expect(words.length - yes).toBeGreaterThan(1000);
  });

  it("scores names with possessives, curly apostrophes and initials as before", () => {
    expect(personScore("Anna Schmidt")).toBe(0.9);
    expect(personScore("Anna Schmidt's")).toBe(0.9);
    expect(personScore("Anna Schmidt’s")).toBe(0.9);
    // A capital after the apostrophe is no plain capitalised word for this score (the pattern's answer too).
    expect(personScore("Anna O’Brien")).toBeNull();
    expect(personScore("Anna Obrien’s")).toBe(personScore("Anna Obrien"));
    expect(personScore("Anna K. Schmidt")).toBe(0.9);
    // A capital inside a word that is no name part ("SchMidt"), an all-caps word, a street word: no name.
    expect(personScore("Anna SchMidt")).toBeNull();
    expect(personScore("ANNA Schmidt")).toBeNull();
    expect(personScore("Anna Street")).toBeNull();
  });
});

describe("PII engine: a name's parts spread to other mentions as before (session 25)", () => {
  it("reads possessives and inner capitals as the patterns did", () => {
    expect(propagatableNamePart("Grönholm's")).toBe("grönholm");
    expect(propagatableNamePart("McCourt’s")).toBe("mccourt");
    expect(propagatableNamePart("DiCaprio")).toBe("dicaprio");
    // Too short, all capitals, a street word: no part.
    expect(propagatableNamePart("Al's")).toBeUndefined();
    expect(propagatableNamePart("BITAR")).toBeUndefined();
    expect(propagatableNamePart("Street")).toBeUndefined();
    expect(commonWordSurname("Bush's")).toBe(commonWordSurname("Bush"));
  });

  it("finds a surname named again and leaves a lone common word", () => {
    const same = (text: string) =>
      analyze(text)
        .filter((m) => m.recognizer === "person-same-name")
        .map((m) => text.slice(m.start, m.end));
    expect(same("The film stars Nelma Grönholm. Later Grönholm's character returns.")).toEqual(["Grönholm"]);
    expect(same("The report was filed on time. Later the Bitar family moved.")).toEqual([]);
  });
});

describe("PII engine: the lone-public-surname pre-test (session 25)", () => {
  it("never rules out a listed surname, capitalised or genitive, and rules out most sentence openers", () => {
    for (const w of PUBLIC_SURNAMES) {
      const word = w[0]!.toUpperCase() + w.slice(1);
      expect(mayBePublicSurnameAt(`und ${word}s Rede`, 4), word).toBe(true);
      expect(mayBePublicSurnameAt(word, 0), word).toBe(true);
    }
    const openers = ["The", "When", "Model", "This", "It", "We", "After", "Results", "Most", "Year"];
    expect(openers.filter((w) => mayBePublicSurnameAt(w, 0))).toEqual([]);
    // Only a pre-test: a word that begins like a listed surname may ("State": "Stalin"); the hash decides.
    expect(mayBePublicSurnameAt("State", 0)).toBe(true);
    // Beyond the table's letters: always "may".
    expect(mayBePublicSurnameAt("Ωmega", 0)).toBe(true);
  });

  it("still finds a lone public figure and still leaves its look-alikes", () => {
    const found = (text: string) => analyze(text).some((m) => m.recognizer === "person-public");
    const named = ["Critics say Trump used a pseudonym.", "die Rede Mussolinis im Radio"];
    const unnamed = ["under the Trump administration", "He flew to Darwin in May.", "We met at Trump Tower.", "The model was trained on Tuesday."];
    for (const text of named) expect(found(text), text).toBe(true);
    for (const text of unnamed) expect(found(text), text).toBe(false);
  });
});

describe("PII engine: context phrases looked up by their first word (session 25)", () => {
  it("finds a value after a context phrase and not after its look-alikes", () => {
    const by = (text: string) => analyze(text).map((m) => m.recognizer);
    // Phrases of plain words: found where the phrase stands, not where only its first word or a part does.
    const cases: Array<[string, string[]]> = [
      ["Fecha de nacimiento: 12/03/1980", ["date-of-birth"]],
      ["Fecha de la reunión: 12/03/1980", []],
      ["Ne le 12/03/1980 à Paris", ["date-of-birth"]],
      ["Bank account DE89370400440532013001", ["iban-unverified"]],
      ["Her patient id 4839201 was noted", ["mrn-anchored"]],
      ["patient 4839201", []],
    ];
    for (const [text, recognizers] of cases) expect(by(text), text).toEqual(recognizers);
  });
});

describe("PII engine: a run's name words, two and three, gaps and edges (session 32)", () => {
  // Expected scores are the split-and-filter reading's (as merged); a one-pass reading (session 32, 86d230c, reverted) gave the same.
  it("scores two and three words as before, the middle word counted", () => {
    const cases: Array<[string, string, number | null]> = [
      ["Anna Schmidt", "", 0.9],
      ["Anna Maria Schmidt", "", 0.9],
      // The middle word is unknown: not "every word a known name".
      ["Anna Qwzx Schmidt", "", 0.7],
      ["Anna Maria Qwzx Schmidt", "", null],
      ["Anna K. van der Schmidt", "", 0.9],
      ["Kimiko Hoshino", "", 0.6],
      ["Kimiko Yamane Hoshino", "", 0.6],
      // A middle word that is no Hepburn syllables: not a romanised Japanese name.
      ["Kimiko Xqz Hoshino", "", 0.1],
      ["Zargan Qwzx Vedzizhev", "", 0.6],
      ["Maria Gustavsen", "", 0.6],
      ["Guilty Pleasures", "", 0.1],
      ["Anna Street", "", null],
      ["Anna", "in ", null],
      ["Anna", "", 0.6],
      ["Putin", "habló con ", 0.55],
      ["K. Schmidt", "habló con ", 0.55],
      ["van der", "", null],
    ];
    for (const [span, before, score] of cases) expect(personScore(span, before), `${span} after ${JSON.stringify(before)}`).toBe(score);
  });

  it("reads runs of spaces and tabs as one gap, and a span that opens or closes with one as no name", () => {
    for (const gap of [" ", "\t", "  ", " \t ", "\t\t"]) {
      expect(personScore(`Anna${gap}Schmidt`)).toBe(0.9);
      expect(personScore(`Anna${gap}Qwzx${gap}Schmidt`)).toBe(0.7);
      // Look-alikes: the same words with the gap at an edge (an empty word, which is no name).
      expect(personScore(`${gap}Anna Schmidt`)).toBeNull();
      expect(personScore(`Anna Schmidt${gap}`)).toBeNull();
      expect(personScore(`${gap}Putin`, "habló con ")).toBeNull();
    }
    for (const empty of ["", " ", "\t"]) expect(personScore(empty)).toBeNull();
    // A no-break space is no gap: one word that is not capitalised as a name.
    expect(personScore("Anna\u00a0Schmidt")).toBeNull();
  });
});
