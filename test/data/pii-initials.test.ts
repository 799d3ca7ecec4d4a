import { describe, expect, it } from "vitest";
import { analyze } from "../../src/data/pii/index.js";
import { initialsScore, isInitial } from "../../src/data/pii/initials.js";
import { cheapestCosts } from "../helpers/cpu.js";
import { found } from "./pii-eval.js";

describe("people named by initials after a title or a party word (session 16)", () => {
  it.each([
    ["Ein solches Vorgehen kommt in Betracht, wenn Dr. T. im Vorquartal tätig war.", "T."],
    ["Nach dem Gutachten des Prof. Dr. T. sowie dessen Stellungnahme", "T."],
    ["Die Mitbewerberin Frau B hatte die Stelle erhalten.", "B"],
    ["Dies entspricht dem von Herrn N geäußerten Wunsch.", "N"],
    ["The applicant, Mr A.B., was born in 1970.", "A.B."],
    ["La Sra. A.B. presentó una demanda.", "A.B."],
    ["Comparece Dña. Lucía Pérez en calidad de testigo.", "Lucía Pérez"],
    ["während er von der Zeugin K. angerufen wurde", "K."],
    ["Das Landgericht hat den Angeklagten T. D. wegen Diebstahls verurteilt.", "T. D."],
    ["im Zusammenhang mit einem Antrag von Rechtsanwalt P. gestellt", "P."],
    ["Le requérant A.B. a saisi la Cour.", "A.B."],
    ["El demandante J.M. alegó una violación del artículo 6.", "J.M."],
    ["the applicant X complained of the length of the proceedings", "X"],
  ])("finds the person in %j", (text, name) => {
    expect(found(text, "PERSON")).toContain(name);
  });

  it.each([
    ["Der Kläger Nr. 1 trägt die Kosten.", "Nr."],
    ["Präs: Zeuge Dr. Moriz Schweinburg hat ausgesagt.", "Dr."],
    ["None Paramount Dr L 8 J 2 M 7", "L"],
    ["Die Zeugin hat ausgesagt.", "Zeugin"],
  ])("does not take an abbreviation, a title or a street for initials in %j", (text, word) => {
    expect(found(text, "PERSON")).not.toContain(word);
  });

  it("keeps a name after initials only when it can be part of one", () => {
    expect(found("Dr. A. Smith arrived late.", "PERSON")).toContain("A. Smith");
    expect(found("Es berichtete Dr. K. Der Kläger widersprach.", "PERSON")).toContain("K.");
  });

  it("tells initials from abbreviations", () => {
    expect(isInitial("K.")).toBe(true);
    expect(isInitial("Dö.")).toBe(true);
    expect(isInitial("A.B.")).toBe(true);
    expect(isInitial("B")).toBe(true);
    expect(isInitial("Klaus")).toBe(false);
    expect(initialsScore("Nr.")).toBeNull();
    expect(initialsScore("K.")).toBeUndefined();
  });

  it("reads the French lawyer's title Me only before a name-like word", () => {
    expect(found("Le requérant est représenté par Me Dupont, avocat à Paris.", "PERSON")).toContain("Dupont");
    expect(found("Me Too movement", "PERSON")).toEqual([]);
    expect(found("Me Before You is a film.", "PERSON")).toEqual([]);
  });

  it("finds names in capitals after a title", () => {
    expect(found("Mr Dean SPIELMANN, President,", "PERSON")).toContain("Dean SPIELMANN");
    expect(found("M. DUPONT a déclaré que", "PERSON").join(" ")).toContain("DUPONT");
  });
});

// Texts are untrusted: four times the text must cost about four times the CPU (sixteen if quadratic).

describe("the initials rules stay linear on one long line (session 16)", () => {
  it.each([
    ["titles before initials", "Frau Dr. K. "],
    ["titles before bare capitals", "Herrn N "],
    ["party words before initials", "der Zeugin K. "],
    ["party words glued to initials", "ZeuginK.ZeugeA."],
    ["initials without end", "Herr A.B.C.D.E.F. "],
    ["capitals after a title", "Mr DEAN SPIELMANN "],
  ])(
    "%s",
    (_name, unit) => {
      const { short, long } = cheapestCosts((text: string) => analyze(text), unit.repeat(2_000), unit.repeat(8_000));
      expect(long).toBeLessThan(Math.max(8 * short, 400));
    },
    120_000,
  );
});

describe("German nouns after a determiner, and genitives of everyday words (session 16)", () => {
  it.each([
    "Es liegt nahe, dass dem Absender für die Versendung Kosten entstehen und er diese daher trägt.",
    "Die Tür muss für den Durchgang von Personen geöffnet werden.",
    "Die Aufnahmeanordnung des Landes Rheinland-Pfalz vom 30. August 2013 gilt weiter.",
  ])("finds no person in %j", (text) => {
    expect(found(text, "PERSON")).toEqual([]);
  });

  it.each([
    ["Der Kläger nahm Unterricht bei einem T. H. , der der Szene zuzurechnen ist.", "T. H."],
    ["Gestern traf sich der Vorstand mit Angela Merkel in Berlin.", "Angela Merkel"],
  ])("still finds the person in %j", (text, name) => {
    expect(found(text, "PERSON")).toContain(name);
  });
});
