/**
 * Session 26: the context words of every context-requiring recognizer read in one walk per window's
 * surroundings when a text has many windows, and the literal walk's two-unit start table. Nothing found
 * may change: these check the walk against plain searches and the engine on look-alikes.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { contextShortcutMisses, windowContextOfText } from "../../src/data/pii/analyzer.js";
import { analyze, RECOGNIZERS } from "../../src/data/pii/index.js";
import { LiteralScan } from "../../src/data/pii/prescan.js";

/** Every [start, end) where a literal of each set occurs, by plain search. */
function occurrences(sets: string[][], text: string): string[] {
  const out: string[] = [];
  sets.forEach((literals, id) => {
    for (const w of new Set(literals)) for (let i = text.indexOf(w); i >= 0; i = text.indexOf(w, i + 1)) out.push(`${id}:${i}:${i + w.length}`);
  });
  return out.sort();
}
function scanned(scan: LiteralScan, sets: string[][], text: string): string[] {
  scan.scan(text);
  const out: string[] = [];
  sets.forEach((_, id) => {
    for (let i = 0; i < text.length; i++)
      for (let j = i + 1; j <= text.length; j++) if (scan.within(id, i, j) && !scan.within(id, i + 1, j) && !scan.within(id, i, j - 1)) out.push(`${id}:${i}:${j}`);
  });
  return out.sort();
}

describe("the literal walk's two-unit start table", () => {
  // One-unit literals, literals sharing a low byte with others (U+0161 "š" and "a" U+0061), non-ASCII and
  // a literal that can only end at the text's last unit.
  const sets = [["a", "Ž"], ["ša", "xy"], ["\u0100b", "cd"], ["yz"]];
  const scan = new LiteralScan(sets);

  it("finds what a plain search finds, at the edges and past byte collisions", () => {
    for (const text of ["a", "Ž", "ša", "xy", "cd", "xyz", "šaŽ", "\u0100b\u0000b", "ab", "bcd", "qqqyz", "\u0161\u0061a", "yza"])
      expect(scanned(scan, sets, text), text).toEqual(occurrences(sets, text));
  });

  it("property: finds what a plain search finds on random texts", () => {
    const unit = fc.constantFrom("a", "b", "c", "d", "x", "y", "z", "š", "Ž", "\u0100", "\u0000", "\u0161", " ");
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 24 }), (units) => {
        const text = units.join("");
        expect(scanned(scan, sets, text)).toEqual(occurrences(sets, text));
      }),
      { numRuns: 500, seed: 2626 },
    );
  });
});

describe("context words read in one walk around many windows", () => {
  const filler = Array.from({ length: 12 }, (_, i) => `Order ${4400 + i} shipped with ${i + 3} boxes on the ${i + 1}th.`).join(" ");
  const inDocument = (sentence: string) => {
    const doc = `${filler} ${sentence} ${filler}`;
    return analyze(doc).map((m) => [m.recognizer, doc.slice(m.start, m.end)]);
  };

  it("the test documents have enough windows for the shared walk, a line does not", () => {
    expect(windowContextOfText(`${filler} x`, "digits").shared).toBe(true);
    expect(windowContextOfText("Card number 4111 1111 1111 1112 was declined.", "digits").shared).toBe(false);
  });

  it("finds context-requiring values deep in a document and leaves their look-alikes", () => {
    expect(inDocument("Her date of birth is 12.03.1980, as noted.")).toEqual([["date-of-birth", "12.03.1980"]]);
    expect(inDocument("The meeting was held on 12.03.1980, as noted.")).toEqual([]);
    expect(inDocument("Card number 4111 1111 1111 1112 was declined.")).toEqual([["credit-card-unverified", "4111 1111 1111 1112"]]);
    expect(inDocument("Ticket 4111 1111 1111 1112 was declined.")).toEqual([]);
    expect(inDocument("Passport no. C01X00T47 issued.")).toEqual([["passport", "C01X00T47"]]);
    expect(inDocument("Reference C01X00T47 issued.")).toEqual([]);
  });

  it("a context word next to one window does not lend context to the others", () => {
    const doc = `Her date of birth is 12.03.1980. ${filler} The meeting was held on 13.03.1980.`;
    expect(analyze(doc).map((m) => doc.slice(m.start, m.end))).toEqual(["12.03.1980"]);
  });

  it("property: context look-ups are skipped only where no context word can be near, in documents of many numbers", () => {
    const needy = RECOGNIZERS.filter((r) => r.requireContext && r.context);
    const ctx = [...new Set(needy.flatMap((r) => r.context!))].flatMap((c) => [c, c.toUpperCase(), `${c}:`]);
    const values = ["12.03.1980", "4111 1111 1111 1111", "C01X00T47", "MRN 123456", "12345678", "1980-03-12", "DE89 3704 0044 0532 0130 00", "021000021"];
    const piece = fc.array(fc.constantFrom(...ctx, ...values, "the", "order", "was", "and"), { minLength: 1, maxLength: 8 }).map((ws) => ws.join(" "));
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 6 }), (pieces) => {
        const text = `${pieces.join(` ${filler} `)} ${filler}`;
        for (const r of needy) expect(contextShortcutMisses(text, r)).toEqual([]);
      }),
      { numRuns: 150, seed: 2627 },
    );
  });
});
