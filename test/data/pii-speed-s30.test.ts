/**
 * Session 30's speed work: a capitalised token's name-list answers are read once per token from one merged
 * table (`wordFacts`) instead of by each pass from its own table. The answers must be the lists' own on
 * every token, including tokens with marks around them that the passes trim differently.
 */
import { describe, expect, it } from "vitest";
import { analyze, tokenFactsAnswers } from "../../src/data/pii/analyzer.js";
import { hashLower } from "../../src/data/pii/hash.js";
import { GIVEN_NAMES, PUBLIC_SURNAMES, SURNAMES } from "../../src/data/pii/names.js";
import { isGivenNameAt, isPublicSurnameAt, NOT_NAMES } from "../../src/data/pii/person.js";
import { isGivenNameFact, isPublicSurnameFact, wordFacts } from "../../src/data/pii/tagger.js";
import { mixedTexts } from "./pii-mixed-texts.js";

/** Names and look-alike everyday words, bare and with ASCII and non-ASCII marks around them. */
const WORDS = ["Anna", "Felix", "Trump", "Merkel", "Hitler", "May", "State", "Smith", "Zoë", "Élodie", "ÉLODIE", "O'Brien", "Ann-Marie", "A", "Jo"];
const MARKS: Array<[string, string]> = [
  ["", ""],
  ["", ","],
  ["(", ")"],
  ["\u201c", "\u201d"],
  ["\u00ab", "\u00bb"],
  ["", "\u2019s"],
  ["", "'s"],
  ["", "s"],
  ["", "\u2026"],
  ["\u2018", "\u2019"],
  ["", "\u2014"],
  ["\u00bf", "?"],
  ["*", "*"],
];

describe("PII engine: name-list answers read once per token (session 30)", () => {
  it("answers as the lists' own look-ups on every token", () => {
    const texts = mixedTexts(20263001, 1_500);
    for (const w of WORDS) for (const [a, b] of MARKS) texts.push(`${a}${w}${b} went home.`, `Then ${a}${w}${b} said so.`, `${a}${w}${b}`);
    const seen = { given: 0, listed: 0, public: 0 };
    for (const text of texts)
      for (const [once, own] of tokenFactsAnswers(text)) {
        expect(once, text).toBe(own);
        const [given, listed, pub] = own.split(" ");
        if (given === "true") seen.given++;
        if (listed === "true") seen.listed++;
        if (pub === "true") seen.public++;
      }
    // Not a test of nothing: every answer is "yes" on many tokens.
    expect(seen.given).toBeGreaterThan(100);
    expect(seen.listed).toBeGreaterThan(100);
    expect(seen.public).toBeGreaterThan(20);
  });

  it("keeps each list's answer in the merged table", () => {
    for (const w of PUBLIC_SURNAMES) expect(isPublicSurnameFact(wordFacts(hashLower(w))), w).toBe(true);
    for (const w of [...GIVEN_NAMES, ...SURNAMES]) expect(isGivenNameFact(wordFacts(hashLower(w))), w).toBe(isGivenNameAt(w, 0, w.length));
    for (const w of NOT_NAMES) expect(isPublicSurnameFact(wordFacts(hashLower(w))), w).toBe(isPublicSurnameAt(w, 0, w.length));
  });

  it("still adds a lone name to a text without other candidates, and still drops a filtered candidate", () => {
    const by = (text: string) => analyze(text).map((m) => `${m.recognizer} ${text.slice(m.start, m.end)}`);
    // The passes that add a name run on texts whose recognizers found nothing.
    expect(by("Critics say Trump used a pseudonym.")).toEqual(["person-public Trump"]);
    expect(by("die Rede Mussolinis im Radio")).toEqual(["person-public Mussolinis"]);
    // Their look-alikes, and texts without a capital, stay empty.
    for (const text of ["under the Trump administration", "the model was trained on tuesday.", "The model was trained on Tuesday."]) expect(by(text), text).toEqual([]);
    // The filtering passes still run when there is a candidate: an eponym is dropped, a name beside it kept.
    expect(by("He was diagnosed with Parkinson's disease last year.").filter((x) => x.includes("Parkinson"))).toEqual([]);
    expect(
      analyze("Juan Pérez tiene enfermedad de Crohn.")
        .filter((m) => m.entity === "PERSON")
        .map((m) => [m.start, m.end]),
    ).toEqual([[0, 10]]);
  });
});
