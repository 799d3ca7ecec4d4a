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

describe("the white-space list", () => {
  it("holds exactly what \\s matches in the BMP", () => {
    const engine: string[] = [];
    for (let c = 0; c <= 0xffff; c++) if ((c < 0xd800 || c > 0xdfff) && /\s/.test(String.fromCharCode(c))) engine.push(String.fromCharCode(c));
    expect([...WHITE_SPACE]).toEqual(engine);
  });
});
