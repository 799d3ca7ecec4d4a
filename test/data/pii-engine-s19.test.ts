/**
 * Session 19's engine changes: the per-kind digit and run figures read the windows only until one is
 * enough (a long number in a later window is still seen), and the identifiers' joined context gate gives
 * every gate's own answer from one walk (each gate is then not asked again over the whole text). Both must
 * answer exactly as before and stay linear on long hostile lines.
 */
import { describe, expect, it } from "vitest";
import { joinedGateAnswers } from "../../src/data/pii/analyzer.js";
import { analyze } from "../../src/data/pii/index.js";
import { growthRatio } from "../helpers/cpu.js";
import { mixedTexts } from "./pii-mixed-texts.js";

/** [entity, value] of every match of `text`. */
function entities(text: string): Array<[string, string]> {
  return analyze(text).map((m) => [m.entity, text.slice(m.start, m.end)]);
}

/** Words of every joined gate, in mixed case and glued, for texts that pass several gates at once. */
const GATE_WORDS = ["Steuer", "IdNr", "Id-Nr", "tax", "Versicherung", "RVNR", "SV-N", "social", "NUSS", "NSS", "NAF", "afiliación", "C.I.F", "NIF", "CIF", "fiscal", "identif"];

describe("PII engine: lazy window figures and one walk for the joined gates (session 19)", () => {
  it("finds an identifier whose number is in the last of many windows", () => {
    // Forty short numbers first: the figures must read on to the last window, not stop at the first ones.
    const text = `${Array.from({ length: 40 }, (_, i) => `Zimmer ${i + 1},`).join(" ")} Steuer-ID 86095742719.`;
    expect(entities(text)).toContainEqual(["DE_TAX_ID", "86095742719"]);
  });

  it("answers every joined gate as its own expression does, on random and constructed texts", () => {
    const texts = mixedTexts(20261901, 1_500);
    // Gate words overlapping and touching ("SocialNUSS", "xCIF", "C.I.Fiscal"), at the ends of the text.
    for (let i = 0; i < GATE_WORDS.length; i++)
      for (let j = 0; j < GATE_WORDS.length; j++) {
        const a = GATE_WORDS[i]!;
        const b = GATE_WORDS[j]!;
        texts.push(`${a}${b}`, `${a} ${b} 12345678901`, `x${a.toLowerCase()}${b.toUpperCase()}`, `${a.slice(1)}${b}`);
      }
    let passed = 0;
    for (const text of texts)
      for (const [walk, own] of joinedGateAnswers(text)) {
        expect(walk, text).toBe(own);
        if (own) passed++;
      }
    // Not a test of nothing: many gates pass on these texts.
    expect(passed).toBeGreaterThan(500);
  });

  it("stays linear on long hostile lines", () => {
    const shapes = [
      // One gate word repeated: the walk visits every match.
      (n: number) => "Sozialversicherung ".repeat(n),
      // Gate words glued with no space, and a long number: every joined gate and every digit figure is read.
      (n: number) => `${"socialNUSSCIFtax".repeat(n)}12345678901`,
      // Many windows of short numbers before one long one.
      (n: number) => `${"Steuer-ID 12 ".repeat(n)}86095742719`,
      // Digits only.
      (n: number) => "9".repeat(19 * n),
    ];
    for (const shape of shapes) {
      const small = shape(1_500);
      const large = shape(6_000);
      // Linear is 4x; a quadratic path would be 16x. The bound leaves room for a loaded machine.
      expect(growthRatio(analyze, small, large), shape(1)).toBeLessThan(9);
    }
  }, 120_000);
});
