/**
 * Session 15's engine changes only change how work is done: the context words read by char codes
 * (`wordsIn`) must be exactly the words of the regular expression they replace, on any text and any
 * stretch of it, and reading them must stay linear on hostile text.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { wordsIn } from "../../src/data/pii/analyzer.js";
import { analyze } from "../../src/data/pii/index.js";
import { growthRatio } from "../helpers/cpu.js";
import { corpus } from "./pii-corpus.js";
import { mixedText } from "./pii-mixed-texts.js";

/** The context-word expression the scanner replaces (session 14's `WORD`), as the reference. */
const WORD = /[\p{L}\p{N}](?:[\p{L}\p{N}.#']|(?<=\p{L})-|-(?=\p{N}))*/gu;

function byExpression(text: string, from: number, to: number): { starts: number[]; ends: number[]; lower: string[] } {
  const starts: number[] = [];
  const ends: number[] = [];
  const lower: string[] = [];
  const piece = text.slice(from, to);
  WORD.lastIndex = 0;
  for (let m = WORD.exec(piece); m !== null; m = WORD.exec(piece)) {
    starts.push(from + m.index);
    ends.push(from + m.index + m[0].length);
    lower.push(m[0].toLowerCase().replace(/[.#'-]+$/, ""));
  }
  return { starts, ends, lower };
}

describe("context words by char codes (wordsIn)", () => {
  it("reads the words the expression finds in hand-picked texts", () => {
    for (const text of [
      "e-mail: anna@example.com, Tel.-Nr. 030-1234567 (Büro)",
      "06-93941926-Office and 3-4 x-ray -5 a- -b",
      "Geburtsdatum: 12.03.1980; N° 42 #7 it's O'Neill’s",
      "名前 山田太郎 ١٢٣ ⅻ Ⅷ-9 ½ x²",
      "𝐀𝐁𝐂 𝟏𝟐 😀-1 a\uD835 \uDC00b \uD835\uDC00",
      "",
      "---...###'''",
    ]) {
      expect(wordsIn(text, 0, text.length), text).toEqual(byExpression(text, 0, text.length));
    }
  });

  it("reads the words of every stretch of the generated sentences", () => {
    for (const { text } of corpus(15, 600)) {
      expect(wordsIn(text, 0, text.length)).toEqual(byExpression(text, 0, text.length));
      const a = Math.floor(text.length / 3);
      const b = Math.floor((2 * text.length) / 3);
      expect(wordsIn(text, a, b)).toEqual(byExpression(text, a, b));
    }
  });

  it("property: the same words as the expression on random texts and stretches", () => {
    const piece = fc.constantFrom("a", "Z", "é", "ß", "1", "٣", "½", "-", ".", "#", "'", "’", " ", "\t", "\n", "@", ":", "😀", "\uD835", "\uDC00", "𝐀", "Ⅷ", "名");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.nat(), fc.nat(), (parts, x, y) => {
        const text = parts.join("");
        const a = text.length ? x % (text.length + 1) : 0;
        const b = a + (text.length - a ? y % (text.length - a + 1) : 0);
        expect(wordsIn(text, a, b)).toEqual(byExpression(text, a, b));
      }),
      { numRuns: 5_000, seed: 1515 },
    );
    fc.assert(
      fc.property(mixedText, (text) => {
        expect(wordsIn(text, 0, text.length)).toEqual(byExpression(text, 0, text.length));
      }),
      { numRuns: 2_000, seed: 15 },
    );
  });
});

describe("linear time on hostile text through the context look-ups", () => {
  it.each([
    ["one long line without spaces, digits and letters", (n: number) => "Tel4111x-".repeat(n)],
    ["100 KB of one repeated word", (n: number) => "surname ".repeat(n * 2)],
    ["one context word repeated before phone-shaped numbers", (n: number) => "phone 030 1234 ".repeat(n / 4)],
    ["many digits", (n: number) => "1234567890".repeat(n)],
  ])("%s: 4x the text costs well under 16x the CPU", (_name, make) => {
    const small = make(1_600);
    const large = make(6_400);
    // Linear is 4x; a quadratic path would be 16x. The bound leaves room for a loaded machine.
    expect(growthRatio(analyze, small, large)).toBeLessThan(9);
  });
});
