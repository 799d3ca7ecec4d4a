import { describe, expect, it } from "vitest";
import { FNV, fnvStep } from "../../src/data/pii/hash.js";
import { analyze } from "../../src/data/pii/index.js";
import { type TaggedSpan, tagPersons, useWordCache } from "../../src/data/pii/tagger.js";
import { corpus } from "./pii-corpus.js";
import { mixedTexts } from "./pii-mixed-texts.js";

/** The tagger's spans and per-token scores of `text` (the `looked` list holds every run's tokens). */
function tagged(text: string): [TaggedSpan[], TaggedSpan[]] {
  const looked: TaggedSpan[] = [];
  return [tagPersons(text, looked), looked];
}

/** The tagger's word cache keys a word by the low 12 bits of its exact FNV hash. */
function slotOf(word: string): number {
  let h = FNV;
  for (let i = 0; i < word.length; i++) h = fnvStep(h, word.charCodeAt(i));
  return h & 4095;
}

/** Capitalised made-up words, two by two sharing a cache slot. */
function collidingPairs(count: number): Array<[string, string]> {
  const bySlot = new Map<number, string>();
  const pairs: Array<[string, string]> = [];
  const letters = "aeioulnrstmk";
  for (let n = 0; pairs.length < count; n++) {
    let w = "";
    for (let x = n + 1; x > 0; x = Math.floor(x / letters.length)) w += letters[x % letters.length];
    const word = `K${w}`;
    const slot = slotOf(word);
    const other = bySlot.get(slot);
    if (other === undefined) bySlot.set(slot, word);
    else {
      pairs.push([other, word]);
      bySlot.delete(slot);
    }
  }
  return pairs;
}

describe("person-name tagger: the word cache changes nothing it finds", () => {
  const texts = [...corpus(20261128, 400).map((x) => x.text), ...mixedTexts(20261128, 400)];

  it("the same spans and token scores with the cache off, cold and warm", () => {
    useWordCache(false);
    const reference = texts.map(tagged);
    useWordCache(true);
    const cold = texts.map(tagged);
    const warm = texts.map(tagged);
    expect(cold).toEqual(reference);
    expect(warm).toEqual(reference);
    // The texts do name people: the comparison is not between empty lists.
    expect(reference.filter(([spans]) => spans.length > 0).length).toBeGreaterThan(100);
  });

  it("words that share a slot, in one text and across texts, read as with no cache", () => {
    const pairs = collidingPairs(6);
    for (const [a, b] of pairs) expect(slotOf(a)).toBe(slotOf(b));
    const lines = pairs.flatMap(([a, b]) => [
      `${a} met ${b} Smith and ${a} Jones in Berlin.`,
      `Yesterday ${b} said that ${a} ${b} would come.`,
      `${a}, ${b}: Anna ${a} told ${b} Maria Lopez.`,
    ]);
    useWordCache(false);
    const reference = lines.map(tagged);
    useWordCache(true);
    // Each line alone, then again after the other word of its pair took the slot, then all joined.
    expect(lines.map(tagged)).toEqual(reference);
    expect([...lines].reverse().map(tagged).reverse()).toEqual(reference);
    const joined = lines.join(" ");
    useWordCache(false);
    const joinedReference = tagged(joined);
    useWordCache(true);
    expect(tagged(joined)).toEqual(joinedReference);
    expect(tagged(joined)).toEqual(joinedReference);
  });

  it("a word seen first opening a sentence and then inside one keeps both readings apart", () => {
    const text = ["Morgan called.", "We met Morgan Freeman there.", "Morgan Freeman called.", "Taylor and Morgan left."];
    useWordCache(false);
    const reference = text.map(tagged);
    const found = text.map((t) => analyze(t));
    useWordCache(true);
    expect(text.map(tagged)).toEqual(reference);
    expect(text.map((t) => analyze(t))).toEqual(found);
    expect(found[1]!.some((m) => m.entity === "PERSON")).toBe(true);
  });
});
