import { describe, expect, it } from "vitest";
import { companionScore } from "../../src/data/pii/companions.js";
import { analyze } from "../../src/data/pii/index.js";
import { isNameLike } from "../../src/data/pii/person.js";
import { cheapestCosts } from "../helpers/cpu.js";
import { found } from "./pii-eval.js";

describe("names beside a companion word, and lone listed surnames inside a sentence (session 15)", () => {
  it.each([
    ["Putin habló con Lukashenko sobre medidas de seguridad.", "Lukashenko"],
    ["Il a dîné avec Dupont hier soir.", "Dupont"],
    ["Le texte a été signé par Moreau.", "Moreau"],
    ["The decision was welcomed, according to Vukadinovic.", "Vukadinovic"],
    ["El acuerdo fue firmado por Rodríguez y Fernández.", "Rodríguez"],
  ])("finds the person in %j", (text, name) => {
    expect(found(text, "PERSON")).toContain(name);
  });

  it.each([
    "I talked with Microsoft yesterday.",
    "El partido terminó con Madrid en cabeza.",
    "Mit Glück findet man einen Käufer.",
    "Es erfüllt mich mit Stolz.",
    "Estamos de acuerdo con el Libro Blanco.",
    "Se realizó la anestesia mediante aguja de Tuohy de 18G.",
    "Radio-Cité, De la jungle au zoo.",
    "Im Wechsel griffen Streicher und Bläser das Motto auf.",
  ])("finds no person in %j", (text) => {
    expect(found(text, "PERSON")).toEqual([]);
  });

  it("asks a lone word to look like a name, and two words to score as one", () => {
    const never = () => false;
    expect(isNameLike("Lukashenko")).toBe(true);
    expect(isNameLike("Garcia")).toBe(true);
    expect(isNameLike("Table")).toBe(false);
    expect(companionScore("Lukashenko", never)).toBeUndefined();
    expect(companionScore("Meeting", never)).toBeNull();
    expect(companionScore("Anna Bell", never)).toBeUndefined();
    expect(companionScore("Lukashenko", (w) => w === "Lukashenko")).toBeNull();
  });
});

describe("kin and occupations before a name (session 15)", () => {
  it.each([
    ["Le père Quenu dormait dans l'arrière-boutique.", "Quenu"],
    ["Elle entendit la mère Méhudin crier.", "Méhudin"],
    ["Mi tío Aureliano llegó tarde.", "Aureliano"],
    ["El mandatario López Obrador habló ayer.", "López Obrador"],
    ["Lo confirmó la periodista Carmen Aristegui.", "Carmen Aristegui"],
    ["Gestern kam Onkel Otto zu Besuch.", "Otto"],
  ])("finds the person in %j", (text, name) => {
    expect(found(text, "PERSON")).toContain(name);
  });

  it.each(["Rumors Of The Actor Dating IU", "Attorney Once Tried to Turn Him in"])("finds no person in the headline %j", (text) => {
    expect(found(text, "PERSON")).toEqual([]);
  });
});

// Texts are untrusted: four times the text must cost about four times the CPU (sixteen if quadratic).

describe("the new rules stay linear on one long line (session 15)", () => {
  it.each([
    ["companion words before names", "con Lukashenko "],
    ["companion words glued", "conLukashenko"],
    ["lone surnames after prepositions", "de Guterres y "],
    ["two-word runs after a companion", "avec Jean Dupont avec "],
    ["kin before names", "la mère Méhudin "],
    ["occupations before names", "el mandatario López Obrador "],
    // Every repeat is a name found again: the same-name pass once walked all earlier matches for each.
    ["one name found thousands of times", "el presidente López Obrador "],
  ])(
    "%s",
    (_name, unit) => {
      const { short, long } = cheapestCosts((text: string) => analyze(text), unit.repeat(2_000), unit.repeat(8_000));
      expect(long).toBeLessThan(Math.max(8 * short, 400));
    },
    120_000,
  );
});
