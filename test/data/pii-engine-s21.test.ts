/**
 * Session 21's engine changes make nothing per text where nothing is found: shared empty window lists,
 * window caches reused between calls, a shared default for the options, and one match reported without
 * an object rest. None of them may change a finding or let one text's state reach the next.
 */
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/data/pii/index.js";
import { mixedTexts } from "./pii-mixed-texts.js";

const key = (text: string) => JSON.stringify(analyze(text));

describe("no per-text state leaks between calls (session 21)", () => {
  it("gives every text the same matches whatever was analysed before it", () => {
    const texts = [
      ...mixedTexts(20262101, 300),
      // Windows of every kind, then a text with none (the shared empty list), then windows again.
      "Call +1 415 555 0132 or write to jane.doe@example.com, see https://example.org/x for Maria Schmidt.",
      "the model was trained on public data and nothing else",
      "Herr Müller wohnt in der Hauptstraße 12, 10115 Berlin; Geburtsdatum 12.03.1985.",
      "",
    ];
    const forward = texts.map(key);
    const backward = [...texts].reverse().map(key).reverse();
    expect(backward).toEqual(forward);
    // Each text analysed alone, right after a text full of windows of every kind.
    const busy = texts[texts.length - 4]!;
    for (let i = 0; i < texts.length; i += 17) {
      analyze(busy);
      expect(key(texts[i]!), texts[i]).toBe(forward[i]);
    }
  });

  it("finds a value in a text that follows one with no windows, and nothing in a look-alike", () => {
    analyze("plain words only here");
    expect(analyze("card 4111 1111 1111 1111 on file").map((m) => m.entity)).toContain("CREDIT_CARD");
    analyze("plain words only here");
    // Sixteen digits that fail Luhn and no card word: not a card.
    expect(analyze("order 4111 1111 1111 1112 shipped").map((m) => m.entity)).not.toContain("CREDIT_CARD");
  });
});

describe("the default options (session 21)", () => {
  it("answers as an explicit empty options object and is not changed by calls with options", () => {
    const text = "Contact Maria Schmidt at maria.schmidt@example.com or +49 30 1234567.";
    const plain = analyze(text);
    expect(analyze(text, {})).toEqual(plain);
    expect(analyze(text, { threshold: 0.99 }).length).toBeLessThan(plain.length);
    expect(analyze(text, { entities: ["EMAIL_ADDRESS"] }).map((m) => m.entity)).toEqual(["EMAIL_ADDRESS"]);
    expect(analyze(text)).toEqual(plain);
  });
});

describe("a lone match is reported with the fields of many (session 21)", () => {
  it("has exactly the reported fields, in order, without the internal priority", () => {
    const one = analyze("write to jane.doe@example.com today");
    expect(one).toHaveLength(1);
    expect(Object.keys(one[0]!)).toEqual(["entity", "start", "end", "score", "recognizer"]);
    const many = analyze("write to jane.doe@example.com or call +1 415 555 0132");
    expect(many.length).toBeGreaterThan(1);
    for (const m of many) expect(Object.keys(m)).toEqual(["entity", "start", "end", "score", "recognizer"]);
  });

  it("keeps the failed-checksum flag on a lone match and leaves it off a valid one", () => {
    const failed = analyze("Please charge my credit card 4532 0151 1283 0367 today");
    expect(failed).toHaveLength(1);
    expect(Object.keys(failed[0]!)).toEqual(["entity", "start", "end", "score", "recognizer", "checksumValid"]);
    expect(failed[0]!.checksumValid).toBe(false);
    const valid = analyze("Please charge my credit card 4111 1111 1111 1111 today");
    expect(valid).toHaveLength(1);
    expect("checksumValid" in valid[0]!).toBe(false);
  });
});

describe("the text's digit count is taken while tokenizing (session 21)", () => {
  // street-address-block-after-unit reads the whole text and needs three digits: the count gates it.
  const pad = "The committee met in the morning and agreed on the plan for the coming year. ".repeat(40);
  const block = (text: string) =>
    analyze(text)
      .filter((m) => m.recognizer === "street-address-block-after-unit")
      .map((m) => text.slice(m.start, m.end));

  it.each([
    ["a line", "Apt. 507 493 Fuente del Gallo 4\n"],
    ["a long document", `${pad}\nApt. 507 493 Fuente del Gallo 4\n${pad}`],
    // Escaped breaks are read as breaks: the text is tokenized again, and its count is the one read.
    ["a long document with escaped breaks", `${pad}\\nApt. 507 493 Fuente del Gallo 4\\n${pad}`],
  ])("finds the street line after a unit in %s", (_, text) => {
    expect(block(text)).toEqual(["493 Fuente del Gallo 4"]);
  });

  it.each([
    ["a line", "Apt. 5 Fuente del Gallo\n"],
    ["a long document", `${pad}\nApt. 5 Fuente del Gallo\n${pad}`],
  ])("finds none with too few digits in %s", (_, text) => {
    expect(block(text)).toEqual([]);
  });
});
