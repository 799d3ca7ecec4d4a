/**
 * Session 18's engine change: a recognizer whose every match holds N digits (or a run of N letters and
 * digits) is skipped, before its context gate and context tests, when no window of its kind holds that
 * many. The figure is the most over all windows of the text, so a short number in the first window must
 * not hide a long one in a later window; and reading the windows' digits must stay linear on long lines.
 */
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/data/pii/index.js";
import { growthRatio } from "../helpers/cpu.js";

/** [entity, value] of every match of `text`. */
function entities(text: string): Array<[string, string]> {
  return analyze(text).map((m) => [m.entity, text.slice(m.start, m.end)]);
}

describe("PII engine: digit and run figures per window kind (session 18)", () => {
  // Each identifier needs its context word and a window holding all its digits; a date or a short
  // number before it is a window of its own with too few.
  it.each([
    ["Am 12.03.2024 wurde die Steuer-ID 86095742719 gemeldet.", "DE_TAX_ID", "86095742719"],
    ["Termin 3 Uhr, Zimmer 12; Steueridentifikationsnummer lautet 65 929 970 489.", "DE_TAX_ID", "65 929 970 489"],
    ["Seite 2 von 7, tax ID 65929970489 on the payslip", "DE_TAX_ID", "65929970489"],
  ])("finds the identifier after short numbers in %j", (text, entity, value) => {
    expect(entities(text)).toContainEqual([entity, value]);
  });

  it("finds nothing the figures rule out, and what they allow, in one text", () => {
    // Few digits in every window: no identifier can match, whatever the context words.
    expect(entities("Steuer-ID 12, Sozialversicherung 34, NIF 5 und CIF 6.").filter(([e]) => e !== "PERSON")).toEqual([]);
    // The same words with a checksum-valid tax ID in the last window.
    expect(entities("Steuer-ID 12, Sozialversicherung 34, Steuer-ID 86095742719.")).toContainEqual(["DE_TAX_ID", "86095742719"]);
  });

  it("asks each identifier's own gate after the shared one: two identifiers and their words on one line", () => {
    const text = "Steuer-ID 86095742719. Seguridad social: NUSS 28/12345678/40. CIF: B12345674.";
    const got = entities(text);
    expect(got).toContainEqual(["DE_TAX_ID", "86095742719"]);
    expect(got).toContainEqual(["ES_SOCIAL_SECURITY", "28/12345678/40"]);
    expect(got).toContainEqual(["ES_NIF", "B12345674"]);
    // The shared gate finds the tax word, so the others' own gates are asked: none of their words is here.
    expect(
      entities("Steuer-ID 86095742719. Nummer 28/12345678/40. Firma B12345674.")
        .filter(([e]) => e !== "PERSON")
        .map(([e]) => e),
    ).toEqual(["DE_TAX_ID"]);
  });

  it("reads the windows' digits in linear time on long hostile lines", () => {
    const shapes = [
      // Many short digit groups after identifier words: every recognizer reads the same figures.
      (n: number) => "Steuer-ID 12 NIF 3 ".repeat(n),
      // One long run of digits (a single window).
      (n: number) => "7".repeat(19 * n),
      // Digit groups one token apart: one window spanning the whole line.
      (n: number) => "12 34 56 78 9 ".repeat(n),
    ];
    for (const shape of shapes) {
      const small = shape(750);
      const large = shape(3_000);
      // Linear is 4x; a quadratic path would be 16x. The bound leaves room for a loaded machine.
      expect(growthRatio(analyze, small, large), shape(1)).toBeLessThan(9);
    }
    // Three shapes at two sizes, each twice: a longer timeout for a loaded machine.
  }, 120_000);
});
