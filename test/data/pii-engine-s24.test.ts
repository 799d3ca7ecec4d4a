/**
 * Session 24's engine change: the name columns' context gate ("nam", "nom" or "pellid" in any case) is
 * answered by the tokenizer's walk instead of its own expression's walk over the whole text. The answer
 * must be the expression's on every text, and what is found must not change.
 */
import { describe, expect, it } from "vitest";
import { nameStemGateAnswers } from "../../src/data/pii/analyzer.js";
import { analyze } from "../../src/data/pii/index.js";
import { isClinicalPhrase } from "../../src/data/pii/medical-words.js";
import { isNotAName } from "../../src/data/pii/not-names.js";
import { mixedTexts } from "./pii-mixed-texts.js";

/** Stems and near misses, in mixed case, glued, split by a space, a tab or a line break, at the text's ends. */
const STEMS = ["nam", "NAM", "nOm", "Nom", "pellid", "PELLID", "pElLiD", "apellido", "na m", "no\tm", "pelli d", "nim", "nem", "pellad", "ellid", "am", "om"];

describe("PII engine: the name-column gate answered while tokenizing (session 24)", () => {
  it("answers as the gate's own expression on random and constructed texts", () => {
    const texts = mixedTexts(20262401, 2_000);
    for (const a of STEMS)
      for (const b of STEMS) texts.push(`${a}${b}`, `${a} ${b}`, `x${a}\n${b}y`, `${a}é${b}`, `${a}\\n${b}`, `Né${a.toUpperCase()}`, `${a.slice(1)}${b.slice(0, -1)}`);
    let passed = 0;
    let failed = 0;
    for (const text of texts) {
      const [tokens, own] = nameStemGateAnswers(text);
      expect(tokens, text).toBe(own);
      if (own) passed++;
      else failed++;
    }
    // Not a test of nothing: both answers occur many times.
    expect(passed).toBeGreaterThan(300);
    expect(failed).toBeGreaterThan(300);
  });

  it("finds a name column with its word and not without it", () => {
    for (const text of ["surname Qwertzu", "first name Quorblin", "PATIENT NAME Quorblin"])
      expect(
        analyze(text).some((m) => m.recognizer === "person-column"),
        text,
      ).toBe(true);
    // The same layout with a word that holds no stem ("Abteilung", "Kunde"): no name column.
    for (const text of ["Abteilung Quorblin", "Kunde Quorblin", "sur na me Quorblin"])
      expect(
        analyze(text).some((m) => m.recognizer === "person-column"),
        text,
      ).toBe(false);
  });

  it("reads a guessed name's words as before without patterns (marks, genitives, spaces and tabs)", () => {
    // Calendar words with marks around them, genitives with either apostrophe, and words split by tabs or runs of spaces.
    for (const span of ["Mittwoch", "Mittwoch's", "„Mittwoch“", "Aryan’s", "Per\tJuli", "Per  Juli", "G."]) expect(isNotAName(span), span).toBe(true);
    // A bare "s" is no genitive ("Mittwochs"), names stay names whatever spaces surround them.
    for (const span of ["Mittwochs", " Thomas Moreau ", "Thomas", "Jan", "Anonymous"]) expect(isNotAName(span), span).toBe(false);
  });

  it("answers a clinical phrase only when it holds a medical word, and the other words as before", () => {
    for (const words of [["Arterielle", "Hypertonie"], ["Z.n.", "Sigmoideostomie"], ["CCV", "Leber"], ["Leber"]]) expect(isClinicalPhrase(words), words.join(" ")).toBe(true);
    // No medical word ("Michelle" has a diagnosis adjective's shape), or one word that is neither.
    for (const words of [["Arterielle", "Michelle"], ["Thomas", "Moreau"], ["Michelle"], ["Leber", "Moreau"]]) expect(isClinicalPhrase(words), words.join(" ")).toBe(false);
  });
});
