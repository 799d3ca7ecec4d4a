import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { germanNameParts, germanUnchanged, germanWordKind, isGermanAround } from "../../src/data/pii/german.js";
import { analyze } from "../../src/data/pii/index.js";
import { inNameList } from "../../src/data/pii/tagger.js";

const persons = (text: string) =>
  analyze(text)
    .filter((m) => m.entity === "PERSON")
    .map((m) => text.slice(m.start, m.end));

describe("German capitalised nouns are not names", () => {
  it("finds German names in German sentences", () => {
    expect(persons("Sehr geehrte Frau Sabine Lehmann, vielen Dank für Ihre Nachricht.")).toEqual(["Sabine Lehmann"]);
    expect(persons("Der Vertrag wurde von Klaus Fischer und Monika Weber unterschrieben.")).toEqual(["Klaus Fischer", "Monika Weber"]);
    expect(persons("Gestern hat Stephan Fenstermacher die Unterlagen geschickt.")).toEqual(["Stephan Fenstermacher"]);
    // A name after a title or an introduction stays whatever its words are.
    expect(persons("Bitte wenden Sie sich an Herrn Koch, er ist für die Abrechnung zuständig.").length).toBeLessThanOrEqual(1);
    expect(persons("Ich bin Jürgen Bauer und arbeite seit zwei Jahren bei uns.")).toEqual(["Jürgen Bauer"]);
  });

  it("does not read nouns, months and sentence openers as names", () => {
    for (const text of [
      "Der Mieter hat die Kündigung fristgerecht eingereicht.",
      "Das Arbeitsverhältnis endet am 31. März, der Arbeitgeber zahlt den Urlaub aus.",
      "Im Juli wurde die Krise der Weltwirtschaft in der Zeitung besprochen.",
      "Die Kosten für den Umbau belaufen sich auf rund 49 Millionen Euro.",
      "Dann kann der nächste Umzug kommen.",
      "Das Doppelte wäre normal gewesen.",
      "Bitte überweisen Sie den Betrag bis Freitag.",
      // A German surname that is an everyday noun, alone: the noun.
      "Der Fischer fuhr mit dem Boot auf den See hinaus.",
    ])
      expect(persons(text), text).toEqual([]);
  });

  it("trims everyday words off a name's ends and cuts at an article", () => {
    const text = "Der Arbeitgeber Max Mustermann hat das Zeugnis unterschrieben und die Urkunde der Firma beigelegt.";
    const isName = (s: number, e: number) => inNameList(text, s, e);
    const start = text.indexOf("Arbeitgeber");
    const end = text.indexOf(" hat");
    expect(germanNameParts(text, start, end, isName).map(([s, e]) => text.slice(s, e))).toEqual(["Max Mustermann"]);
    const t2 = "Er las über die Krise der Weltwirtschaft und die Rolle von Ursula von der Leyen.";
    const n2 = (s: number, e: number) => inNameList(t2, s, e);
    const a = t2.indexOf("Krise");
    expect(germanNameParts(t2, a, a + "Krise der Weltwirtschaft".length, n2)).toEqual([]);
    const b = t2.indexOf("Ursula");
    expect(germanNameParts(t2, b, t2.length - 1, n2).map(([s, e]) => t2.slice(s, e))).toEqual(["Ursula von der Leyen"]);
  });

  it("tells German text from English by its words, on the candidate's line only", () => {
    const de = "Der Vertrag wurde gestern von Anna unterschrieben.";
    expect(isGermanAround(de, de.indexOf("Anna"), de.indexOf("Anna") + 4)).toBe(true);
    const en = "C'mon, sing it with me: you picked a fine time to leave me Brad, four hungry children and a crop in the field.";
    expect(isGermanAround(en, en.indexOf("Brad"), en.indexOf("Brad") + 4)).toBe(false);
    // German on an earlier line does not make an English line German.
    const mixed = "Der Vertrag ist fertig und wird morgen verschickt.\nPlease ask Mary Johnson about the contract.";
    const at = mixed.indexOf("Mary");
    expect(isGermanAround(mixed, at, at + 10)).toBe(false);
    expect(persons(mixed)).toEqual(["Mary Johnson"]);
  });

  it("classifies words: listed, derived from a listed head, surname-words, names", () => {
    const kind = (w: string) => germanWordKind(w, 0, w.length, (s, e) => inNameList(w, s, e));
    expect(kind("Urlaub")).toBe(1);
    expect(kind("Juli")).toBe(1);
    expect(kind("Fischer")).toBe(2);
    expect(kind("Weltwirtschaft")).toBe(4);
    expect(kind("Arbeitsverhältnis")).toBe(4);
    expect(kind("Sabine")).toBe(0);
    expect(kind("Mustermann")).toBe(0);
  });

  it("leaves English texts as they were (names next to German-looking words)", () => {
    expect(persons("Please call Anna Hand tomorrow, she knows the Kind account.")).toContain("Anna Hand");
    expect(persons("Dr. Burke is a 53 year old man who grew up in Knivsta.")).toEqual(["Burke"]);
  });
});

describe("germanUnchanged agrees with germanNameParts", () => {
  it("property: when it says a candidate stays whole, the full rules keep it whole", () => {
    const words = [
      "Anna",
      "Klaus",
      "Fischer",
      "Urlaub",
      "Mieter",
      "der",
      "von",
      "Weltwirtschaft",
      "Müller",
      "O'Neill",
      "Jean-Pierre",
      "G.",
      "Kaiser",
      "Stephan",
      "Fenstermacher",
      "Juli",
      "Smith",
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 4 }), (parts) => {
        const name = parts.join(" ");
        const text = `Gestern hat ${name} die Unterlagen geschickt.`;
        const start = text.indexOf(name);
        const end = start + name.length;
        const isName = (s: number, e: number) => inNameList(text, s, e);
        if (germanUnchanged(text, start, end, isName)) expect(germanNameParts(text, start, end, isName)).toEqual([[start, end]]);
      }),
      { numRuns: 400 },
    );
  });
});

describe("German genitives of names and reporting verbs", () => {
  const persons = (text: string) =>
    analyze(text)
      .filter((m) => m.entity === "PERSON")
      .map((m) => text.slice(m.start, m.end));

  it.each([
    ["Maschmeyer wiederum war Gast bei Wulffs Hochzeitsfeier und blieb lange.", "Wulffs"],
    ["Durch die Beherbergung der Studenten wurden viele Aussprüche Luthers Wort für Wort aufgeschrieben.", "Luthers"],
    ["Nach der Saison wurde vom Verein beschlossen , dass Raúls Trikotnummer nicht mehr vergeben wird .", "Raúls"],
    ['" Wir fühlen uns wie Forscher " , erzählt Sullivan , " und wir wollen die Vergangenheit bewahren " .', "Sullivan"],
  ])("finds the person in %j", (text, name) => {
    expect(persons(text)).toContain(name);
  });

  it.each([
    // A genitive of a word no name list knows, a name that ends in "s" itself, English text.
    ["Das ist Deutschlands Beitrag zur Einigung der Staaten.", "Deutschlands"],
    ["Thomas Müller schoss das Tor für die Bayern.", "Thomas"],
    ["He visited the Williams Sonoma store in the mall.", "Williams"],
  ])("does not read a genitive into %j", (text, word) => {
    expect(analyze(text).filter((m) => m.recognizer === "person-genitive" && text.slice(m.start, m.end) === word)).toEqual([]);
  });
});
