import { describe, expect, it } from "vitest";
import { analyze } from "../../src/data/pii/index.js";
import { isNotAName, isStreetAfterRole } from "../../src/data/pii/not-names.js";
import { cheapestCosts } from "../helpers/cpu.js";
import { found } from "./pii-eval.js";

describe("months, weekdays, initials and clause openers are not names (session 14)", () => {
  it.each([
    "Wien, 5. Juli.",
    "Das Blatt vom 23. Juni wurde konfisziert.",
    "Am Freitag, den 3. Januar, bleibt das Amt geschlossen.",
    "=G. 200 fl. S.",
    "=M.",
    "Jeudi Vendredi : relâche.",
    "Lundi, la séance est levée.",
    "El martes 4 de Octubre se reúne el pleno.",
    "Il Lunedì successivo la giunta si è riunita.",
  ])("finds no person in %j", (text) => {
    expect(found(text, "PERSON")).toEqual([]);
  });

  it.each([
    ["Julio Iglesias cantó en Madrid.", "Julio Iglesias"],
    ["Bruno Mars sang at the Super Bowl.", "Bruno Mars"],
    ["Ángel Di María scored twice.", "Ángel Di María"],
    ["Gestern sprach Frau Mai im Rathaus.", "Mai"],
    ["Anna Schmidt kommt am Freitag.", "Anna Schmidt"],
    ["M. Dupont est arrivé lundi.", "M. Dupont"],
  ])("keeps the person in %j", (text, name) => {
    expect(found(text, "PERSON")).toContain(name);
  });

  it("reads the words of a guess, not their case or punctuation", () => {
    expect(isNotAName("Juli")).toBe(true);
    expect(isNotAName("Per Juli")).toBe(true);
    expect(isNotAName("G.", " 200 fl.")).toBe(true);
    expect(isNotAName("A.", " EINSTEIN")).toBe(false);
    expect(isNotAName("J. A. A.")).toBe(false);
    expect(isNotAName("F.", "", "-")).toBe(false);
    expect(isNotAName("Dans")).toBe(true);
    expect(isNotAName("August")).toBe(true);
    expect(isNotAName("August Bebel")).toBe(false);
    expect(isNotAName("Juliane")).toBe(false);
    expect(isNotAName("J. Smith")).toBe(false);
  });
});

describe("a German particle abbreviated after a title (session 14)", () => {
  it.each([
    ["Herr v. Plener verspricht seiner Partei, die Erinnerungen mitzunehmen.", "v. Plener"],
    ["Die Wähler des Herrn v. Plener haben ihn versichert.", "v. Plener"],
  ])("finds the person in %j", (text, name) => {
    expect(found(text, "PERSON")).toContain(name);
  });
});

describe("a rank after a street type names the street, not a person (session 14)", () => {
  it.each([
    ["Morada: Rua Professor Franca 254, Lisboa", "Rua Professor Franca 254"],
    ["Il habite 12 boulevard Amiral Courbet à Paris.", undefined],
  ])("finds no person in %j", (text, address) => {
    expect(found(text, "PERSON")).toEqual([]);
    if (address) expect(found(text, "STREET_ADDRESS").some((a) => a.startsWith(address))).toBe(true);
  });

  it("keeps a person after a rank elsewhere", () => {
    expect(found("Le général Dupont est arrivé à Paris.", "PERSON")).toEqual(["Dupont"]);
    expect(isStreetAfterRole("Le général ", 11)).toBe(false);
    expect(isStreetAfterRole("Rua Professor ", 14)).toBe(true);
    expect(isStreetAfterRole("Rua Dr. ", 8)).toBe(true);
  });
});

// Texts are untrusted: four times the text must cost about four times the CPU (sixteen if quadratic).

describe("the new checks stay linear on one long line (session 14)", () => {
  it.each([
    ["months after day numbers", "5. Juli "],
    ["initials", "=G. "],
    ["ranks after street types", "Rua Professor Franca "],
    ["month names glued", "Juli"],
    ["a particle after a title", "Herrn v. Plener v. "],
  ])(
    "%s",
    (_name, unit) => {
      const { short, long } = cheapestCosts((text: string) => analyze(text), unit.repeat(2_000), unit.repeat(8_000));
      expect(long).toBeLessThan(Math.max(8 * short, 400));
    },
    120_000,
  );
});
