/**
 * The combined literal pre-scan (prescan.ts) must answer every prefilter exactly as its expression
 * does: "does a literal lie wholly inside this window" equals `re.test(window text)`.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RECOGNIZERS } from "../../src/data/pii/index.js";
import { LiteralScan, literalsOf, WHITE_SPACE } from "../../src/data/pii/prescan.js";
import { growthRatio } from "../helpers/cpu.js";
import { corpus } from "./pii-corpus.js";
import { mixedText } from "./pii-mixed-texts.js";

const converted = [...new Set(RECOGNIZERS.map((r) => r.prefilter).filter((re): re is RegExp => re !== undefined))]
  .map((re) => ({ re, literals: literalsOf(re) }))
  .filter((x): x is { re: RegExp; literals: string[] } => x.literals !== undefined);
const scan = new LiteralScan(converted.map((x) => x.literals));

/** Every window [a, b) of `text` on a grid of step `step`, answered both ways; returns the disagreements. */
function disagreements(text: string, step: number): string[] {
  scan.scan(text);
  const out: string[] = [];
  converted.forEach(({ re }, id) => {
    if (scan.anywhere(id) !== re.test(text)) out.push(`${re.source.slice(0, 30)} whole`);
    for (let a = 0; a < text.length; a += step)
      for (let b = a + 1; b <= text.length; b += step) if (scan.within(id, a, b) !== re.test(text.slice(a, b))) out.push(`${re.source.slice(0, 30)} [${a}, ${b})`);
  });
  return out;
}

describe("combined literal pre-scan", () => {
  it("expands literal alternations, classes, \\s, ? and the i flag; refuses what is not a finite set", () => {
    expect(literalsOf(/[Cc]alle|C\/|Av\./)?.sort()).toEqual(["Av.", "C/", "Calle", "calle"]);
    expect(literalsOf(/ab?c/)?.sort()).toEqual(["abc", "ac"]);
    expect(literalsOf(/BP\s/)).toContain("BP\u00a0");
    expect(literalsOf(/mrn/i)?.length).toBe(8);
    for (const re of [/\bStreet/, /a+/, /\d{4}/, /x(?=y)/, /[^a]b/, /a|/, /ß/i, /mrn/iu, /mrn/g, /\p{Lu}/u, /a.b/]) expect(literalsOf(re), String(re)).toBeUndefined();
  });

  it("converts most of the recognizers' prefilters", () => {
    expect(converted.length).toBeGreaterThanOrEqual(15);
  });

  it("answers every window as the expression does on generated PII sentences", () => {
    for (const { text } of corpus(17, 300)) expect(disagreements(text, 3), text).toEqual([]);
  });

  it("property: answers every window as the expression does on random mixed texts", () => {
    fc.assert(
      fc.property(mixedText, (text) => disagreements(text.slice(0, 400), 7).length === 0),
      { numRuns: 300, seed: 1717 },
    );
  });

  it("is linear on hostile text: 4x the input costs about 4x the CPU", () => {
    for (const unit of ["Calle ", "x", "1", "eeeeeeeeee", "Fallnummer"]) {
      const text = (n: number) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
      expect(
        growthRatio((t: string) => scan.scan(t), text(100_000), text(400_000)),
        unit,
      ).toBeLessThan(9);
    }
  });
});

describe("the pre-scan against indexOf, whatever a literal's next character (session 32)", () => {
  /** Per set and window [a, b) of `text`: does a literal of the set lie inside it? Read off `indexOf` (the reference) and off the scan. */
  function answers(sets: string[][], text: string): { naive: string; scanned: string; yes: number } {
    const s = new LiteralScan(sets);
    s.scan(text);
    let naive = "";
    let scanned = "";
    let yes = 0;
    sets.forEach((literals, id) => {
      const at: Array<[number, number]> = [];
      for (const w of literals) for (let i = text.indexOf(w); i >= 0; i = text.indexOf(w, i + 1)) at.push([i, i + w.length]);
      for (let a = 0; a < text.length; a++)
        for (let b = a + 1; b <= text.length; b++) {
          const inside = at.some(([x, y]) => x >= a && y <= b);
          if (inside) yes++;
          naive += inside ? "1" : "0";
          scanned += s.within(id, a, b) ? "1" : "0";
        }
      naive += "|";
      scanned += "|";
      expect(s.anywhere(id)).toBe(at.length > 0);
    });
    return { naive, scanned, yes };
  }
  // Second and later characters on each side of the bit words' edges (31/32, 63/64, 95/96, 127) and past ASCII.
  const EDGE = ["\u001f", " ", "?", "@", "_", "`", "\u007f", "é", "€", "a", "A", "~", "!"];
  it("finds a literal whatever its next character, at every edge of the bit words and past ASCII", () => {
    const sets = [EDGE.map((c) => `x${c}y`), EDGE.map((c) => `${c}${c}`), ["x", "xy"]];
    const text = EDGE.map((c) => `x${c}y ${c}${c}${c} x${c}z`).join(" ");
    const { naive, scanned, yes } = answers(sets, text);
    expect(yes).toBeGreaterThan(1000);
    expect(scanned).toBe(naive);
  });
  it("property: finds what indexOf finds, for random literals over those characters", () => {
    const ch = fc.constantFrom(...EDGE, "x", "y");
    const word = fc.array(ch, { minLength: 1, maxLength: 4 }).map((a) => a.join(""));
    fc.assert(
      fc.property(fc.array(fc.array(word, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 3 }), fc.array(ch, { maxLength: 40 }), (sets, text) => {
        const { naive, scanned } = answers(sets, text.join(""));
        return scanned === naive;
      }),
      { numRuns: 300, seed: 3232 },
    );
  });
});

describe("the white-space list", () => {
  it("holds exactly what \\s matches in the BMP", () => {
    const engine: string[] = [];
    for (let c = 0; c <= 0xffff; c++) if ((c < 0xd800 || c > 0xdfff) && /\s/.test(String.fromCharCode(c))) engine.push(String.fromCharCode(c));
    expect([...WHITE_SPACE]).toEqual(engine);
  });
});
