/**
 * The engine's pre-tests only skip work: a recognizer's pre-test must pass on every text its pattern
 * matches, or the analyzer would miss what a full scan finds.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyze, RECOGNIZERS } from "../../src/data/pii/index.js";
import { corpus } from "./pii-corpus.js";
import { mixedText } from "./pii-mixed-texts.js";

/**
 * All but person-speaker, whose pre-test wants a space before the verb while its pattern also takes a
 * tab ("Merkel\terklärte"): a known gap of that rule, kept as it is (the engine's output must not change).
 */
const withPrefilter = RECOGNIZERS.filter((r) => r.prefilter && r.id !== "person-speaker");

/** Ids of recognizers whose pattern matches `text` while their pre-test rejects it. */
function missedBy(text: string): string[] {
  const out: string[] = [];
  for (const r of withPrefilter) {
    r.pattern.lastIndex = 0;
    const m = r.pattern.exec(text);
    r.pattern.lastIndex = 0;
    if (m && !r.prefilter!.test(text)) out.push(r.id);
  }
  return out;
}

describe("PII engine pre-tests", () => {
  it("every street pattern has its street-type pre-test", () => {
    const streets = RECOGNIZERS.filter((r) => r.entity === "STREET_ADDRESS" && r.window === "near" && /^street-address-(prefix|after|compound|box|unit)/.test(r.id));
    expect(streets.length).toBe(6);
    for (const r of streets) expect(r.prefilter, r.id).toBeDefined();
  });

  it("pre-tests admit street lines written with bis/ter, Postbox and a tab after BP", () => {
    for (const text of ["12 bis rue Victor Hugo", "3ter, avenue Foch", "Postbox 4411", "Post box 12", "BP\t12 Paris", "PSC 3211, Box 1243", "Unit 4780 Box 9653"]) {
      expect(missedBy(text), text).toEqual([]);
    }
    expect(analyze("Il habite au 12 bis rue Victor Hugo.").map((m) => m.entity)).toContain("STREET_ADDRESS");
    expect(analyze("Write to Postbox 4411 please.").map((m) => m.entity)).toContain("STREET_ADDRESS");
  });

  it("pre-tests admit every match in the generated sentences", () => {
    for (const { text } of corpus(7, 1_500)) expect(missedBy(text), text).toEqual([]);
  });

  it("property: pre-tests admit every match in random mixed texts", () => {
    fc.assert(
      fc.property(mixedText, (text) => missedBy(text).length === 0),
      { numRuns: 3_000, seed: 1212 },
    );
  });
});
