/**
 * Session 27's engine change: a prefilter that keeps its expression (not a finite set of literals) often still
 * needs one of a few words in every match; that set of words joins the line's literal walk, and a window
 * without one of them skips the expression. Every window the expression passes must hold one of the words,
 * and what is found must not change.
 */
import { describe, expect, it } from "vitest";
import { analyze, RECOGNIZERS } from "../../src/data/pii/index.js";
import { LiteralScan, literalsOf, requiredLiteralsOf } from "../../src/data/pii/prescan.js";
import { corpus } from "./pii-corpus.js";
import { mixedTexts } from "./pii-mixed-texts.js";

const expressions = [...new Set(RECOGNIZERS.map((r) => r.prefilter).filter((re): re is RegExp => re !== undefined && !literalsOf(re)))]
  .map((re) => ({ re, required: requiredLiteralsOf(re) }))
  .filter((x): x is { re: RegExp; required: string[] } => x.required !== undefined);
const scan = new LiteralScan(expressions.map((x) => x.required));

/** Windows of `text` on a grid of `step`: [expression passes, required word inside] counts, and every window that passes without one. */
function check(text: string, step: number, tally: { passes: number; skipped: number }): string[] {
  scan.scan(text);
  const wrong: string[] = [];
  expressions.forEach(({ re }, id) => {
    for (let a = 0; a < text.length; a += step)
      for (let b = a + 1; b <= text.length; b += step) {
        const inside = scan.within(id, a, b);
        if (!inside) tally.skipped++;
        if (!re.test(text.slice(a, b))) continue;
        tally.passes++;
        if (!inside) wrong.push(`${re.source.slice(0, 30)} passes on ${JSON.stringify(text.slice(a, b))} without a required word`);
      }
  });
  return wrong;
}

describe("PII engine: the words an expression prefilter needs, walked with the line (session 27)", () => {
  it("reads the words every match needs, and refuses where an alternative needs none", () => {
    expect(requiredLiteralsOf(/(?:\d|bis|ter),?[ \t]+(?:Calle|Rue)/)?.sort()).toEqual(["Calle", "Rue"]);
    expect(requiredLiteralsOf(/(?:\d|bis|ter),?[ \t]+(?:Calle|Rue)[ \t]/)?.sort()).toEqual(["Calle\t", "Calle ", "Rue\t", "Rue "].sort());
    expect(requiredLiteralsOf(/\b(?:Street|St)\b/)?.sort()).toEqual(["St", "Street"]);
    expect(requiredLiteralsOf(/(?:says|said)[ \t]+\p{Lu}/u)?.sort()).toEqual(["said", "says"]);
    // Under the i flag each letter doubles the set: four letters are enough.
    expect(requiredLiteralsOf(/accession/i)).toHaveLength(16);
    // No finite piece of two characters or more in some alternative: nothing can be required.
    expect(requiredLiteralsOf(/\d{4}[ \t]+\p{Lu}/u)).toBeUndefined();
    expect(requiredLiteralsOf(/Street|\d+/)).toBeUndefined();
    expect(requiredLiteralsOf(/x(?=abc)/)).toBeUndefined();
    expect(requiredLiteralsOf(/ab+c/)).toBeUndefined();
    // A repeated atom breaks the run: "ab" and "cd" are not side by side in "abbbcd".
    expect(requiredLiteralsOf(/ab*cd/)?.sort()).toEqual(["cd"]);
    // Case folding beyond ASCII under i and u is not copied: nothing.
    expect(requiredLiteralsOf(/address|\s(?:at|on)\s/iu)).toBeUndefined();
  });

  it("gives the address, record-number, role and speech-verb prefilters their words", () => {
    const ids = RECOGNIZERS.filter((r) => r.prefilter && expressions.some((x) => x.re === r.prefilter)).map((r) => r.id);
    for (const id of ["street-address-en", "street-address-after", "street-address-compound", "street-address-prefix-number-first", "mrn-anchored", "person-role", "person-says"])
      expect(ids).toContain(id);
  });

  it("every window an expression passes holds one of its words, on generated PII sentences and random mixed texts", () => {
    const tally = { passes: 0, skipped: 0 };
    const wrong: string[] = [];
    for (const { text } of corpus(2727, 300)) wrong.push(...check(text, 3, tally));
    for (const text of mixedTexts(2727, 200)) wrong.push(...check(text.slice(0, 160), 4, tally));
    const lines = [
      "„Wir gehen in Berufung“, sagte Ministerin Anna Weber am Montag.",
      "12, rue Victor Hugo; 350 Fifth Ave; Calle Mayor 7; Baker St.",
      "Patient MRN 48213377, accession 5521, encounter 77.",
    ];
    for (const text of lines) wrong.push(...check(text, 1, tally));
    expect(wrong.slice(0, 5)).toEqual([]);
    // Not a test of nothing: windows pass the expressions, and many others are skipped by the walk.
    expect(tally.passes).toBeGreaterThan(1000);
    expect(tally.skipped).toBeGreaterThan(10 * tally.passes);
  });

  it("finds addresses, record numbers and names with the words, and not their look-alikes without", () => {
    const found = (t: string) => analyze(t).map((m) => `${m.entity} ${t.slice(m.start, m.end)}`);
    expect(found("Ship it to 42 Baker Street, London, before Friday.")).toContain("STREET_ADDRESS 42 Baker Street");
    expect(found("Ship it to 42 Baker Streams, London, before Friday.").some((f) => f.startsWith("STREET_ADDRESS"))).toBe(false);
    expect(found("Send the parcel to 350 Fifth Ave, New York.")).toContain("STREET_ADDRESS 350 Fifth Ave");
    expect(found("Die Lieferung geht an Hauptstrasse 12, 8001 Zürich.")).toContain("STREET_ADDRESS Hauptstrasse 12");
    expect(found("Nous habitons au 12, rue Victor Hugo à Lyon.")).toContain("STREET_ADDRESS 12, rue Victor Hugo");
    expect(found("Nous habitons au 12, Victor Hugo à Lyon.").some((f) => f.startsWith("STREET_ADDRESS"))).toBe(false);
    expect(found("Patient MRN 48213377 was admitted on Monday.")).toContain("MEDICAL_RECORD_NUMBER 48213377");
    expect(found("Order 48213377 was shipped on Monday.").some((f) => f.startsWith("MEDICAL_RECORD_NUMBER"))).toBe(false);
  });
});
