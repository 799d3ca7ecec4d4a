/**
 * Session 22's engine changes: a candidate's context words are read as bounds, and only the ones kept are
 * cut out and lower-cased; a recognizer reading windows asks for a context word near them before its gate
 * walks the whole text. No word a candidate sees, and so no finding, may change.
 */
import { describe, expect, it } from "vitest";
import { contextWordsAround, wordsIn } from "../../src/data/pii/analyzer.js";
import { deTaxIdValid } from "../../src/data/pii/checksums.js";
import { analyze } from "../../src/data/pii/index.js";
import { rng } from "./pii-corpus.js";
import { mixedTexts } from "./pii-mixed-texts.js";

/** The words a candidate saw before: every word of the stretch lower-cased first, then the choice. */
function wordsBefore(text: string, start: number, end: number): { words: string[]; before: number } {
  const inWord = (i: number) => i >= 0 && i < text.length && /[\p{L}\p{N}.#'-]/u.test(text[i]!);
  let from = 0;
  let to = text.length;
  if (text.length > 256) {
    from = Math.max(0, start - 80);
    while (from > 0 && inWord(from - 1)) from--;
    to = Math.min(text.length, end + 40);
    while (to < text.length && inWord(to)) to++;
  }
  const all = wordsIn(text, from, to);
  let lo = 0;
  while (lo < all.ends.length && all.ends[lo]! <= start) lo++;
  const words: string[] = [];
  for (let i = Math.max(0, lo - 6); i < lo; i++) if (all.starts[i]! >= start - 80) words.push(all.lower[i]!);
  const before = words.length;
  let i = lo;
  while (i < all.starts.length && all.starts[i]! < end) i++;
  for (let k = 0; k < 2 && i < all.starts.length && all.ends[i]! <= end + 40; k++, i++) words.push(all.lower[i]!);
  return { words, before };
}

describe("context words cut out only when kept (session 22)", () => {
  it("gives every candidate the words that lower-casing the whole stretch first gave", () => {
    const texts = mixedTexts(20262201, 200);
    // Long texts too (the neighbourhood path), with accented, dotted and hyphenated words.
    for (let i = 0; i + 6 <= texts.length; i += 6) texts.push(texts.slice(i, i + 6).join(" Straße-Nr. O'NEIL Ärztin #12 "));
    const r = rng(22);
    for (const text of texts) {
      for (let k = 0; k < 6; k++) {
        const start = Math.floor(r() * (text.length + 1));
        const end = Math.min(text.length, start + 1 + Math.floor(r() * 20));
        expect(contextWordsAround(text, start, end), `${start}-${end} ${text}`).toEqual(wordsBefore(text, start, end));
      }
    }
  });

  it("reads a new short text's words, not the previous one's (same length, other words)", () => {
    const a = "Card number 4111 1111 1111 1111, exp 12/30";
    const b = "IBAN kontonr DE89 3704 0044 0532 0130 00".padEnd(a.length, " ");
    expect(a.length).toBe(b.length);
    const at = a.indexOf("4111");
    expect(contextWordsAround(a, at, at + 19).words.slice(0, 2)).toEqual(["card", "number"]);
    expect(contextWordsAround(b, 13, 40).words.slice(0, 2)).toEqual(["iban", "kontonr"]);
    expect(contextWordsAround(a, at, at + 19).words.slice(0, 2)).toEqual(["card", "number"]);
  });

  it("keeps a context word within reach and drops one beyond it", () => {
    const pad = "lorem ipsum dolor sit amet ".repeat(12);
    const near = `${pad}passport number: X1234567 ${pad}`;
    const at = near.indexOf("X1234567");
    expect(contextWordsAround(near, at, at + 8).words).toContain("passport");
    // The same word more than 80 characters before: out of the candidate's reach.
    const far = `${pad}passport ${"x".repeat(90)} X1234567 ${pad}`;
    const at2 = far.indexOf("X1234567");
    expect(contextWordsAround(far, at2, at2 + 8).words).not.toContain("passport");
    // A word's trailing dot goes ("Tel." is "tel"); a dash before a letter ends a word after a dot.
    const dotted = `${pad}Tel.-Nr. 030 1234567 ${pad}`;
    const at3 = dotted.indexOf("030");
    expect(contextWordsAround(dotted, at3, at3 + 11).words.slice(-4, -2)).toEqual(["tel", "nr"]);
  });

  it("still finds a value whose context word is the only word before it in a long text, and not without it", () => {
    const pad = "the committee met and discussed the budget in detail. ".repeat(10);
    expect(analyze(`${pad}Passport number X1234567 was shown. ${pad}`).map((m) => m.entity)).toContain("PASSPORT");
    expect(analyze(`${pad}Reference number X1234567 was shown. ${pad}`).map((m) => m.entity)).not.toContain("PASSPORT");
  });
});

/** An 11-digit German tax ID that passes its check digit (the first valid one from a seed number). */
function taxId(): string {
  for (let n = 12345678900; ; n++) if (deTaxIdValid(String(n))) return String(n);
}

describe("a window's context word asked before the gate's walk over the whole text (session 22)", () => {
  const pad = "the committee met and discussed the budget in detail. ".repeat(8);
  const id = taxId();
  const found = (text: string) => analyze(text).some((m) => m.entity === "DE_TAX_ID");

  it("finds a tax ID with its context word near it, in a line and in a long text", () => {
    expect(found(`Steuer-ID: ${id}`)).toBe(true);
    expect(found(`${pad}Die Steuer-ID ${id} liegt vor. ${pad}`)).toBe(true);
  });

  it("finds none where the gate passes on the text but no context word is near the number, or none at all", () => {
    // "Steuer-ID" far before the number: the gate's walk would pass, the window's test does not.
    expect(found(`Steuer-ID siehe unten. ${pad}Die Nummer ${id} liegt vor.`)).toBe(false);
    expect(found(`${pad}Die Nummer ${id} liegt vor. ${pad}`)).toBe(false);
  });
});
