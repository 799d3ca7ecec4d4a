import { describe, expect, it } from "vitest";
import { isDateRange } from "../../src/data/pii/date-ranges.js";
import { analyze } from "../../src/data/pii/index.js";
import { isClinicalPhrase, isMedicalWord } from "../../src/data/pii/medical-words.js";
import { cheapestCosts } from "../helpers/cpu.js";
import { found } from "./pii-eval.js";

describe("clinical words are not names (session 18)", () => {
  it.each([
    "Diagnosen: Akutes Nierenversagen, Arterielle Hypertonie. Bekannte Osteoporose.",
    "Z.n. Sigmoideostomie bei Lebermetastasen.",
    "Zyklus CCV am 3.5.2021, Vena cava frei, Leber homogen.",
    "Die Leber ist homogen, die Vena cava frei.",
    "Weiteres Vorgehen: Kontrolle in drei Monaten.",
    "Innere Medizin",
    "Familienanamnese: Tante Glaukom, Opa Makuladegeneration.",
  ])("finds no person in %j", (text) => {
    expect(found(text, "PERSON")).toEqual([]);
  });

  it.each([
    ["Julius Leber was a politician.", "Julius Leber"],
    ["Mit freundlichen Grüßen\n\nDr. med. Helmuth Leber", "Helmuth Leber"],
    ["Ambrose Bierce wrote short stories.", "Ambrose Bierce"],
    ["Antonie Müller kam gestern.", "Antonie Müller"],
    ["Wir berichten über Frau Antonia Anderer, geb. 21.3.1960.", "Antonia"],
  ])("keeps the person in %j", (text, name) => {
    expect(found(text, "PERSON")).toContain(name);
  });

  it("reads the word, not its case or punctuation", () => {
    expect(isMedicalWord("Sigmoideostomie,")).toBe(true);
    expect(isMedicalWord("Enzephalitis")).toBe(true);
    expect(isMedicalWord("Osteoporose")).toBe(true);
    expect(isMedicalWord("Ambrose")).toBe(false);
    expect(isMedicalWord("Montrose")).toBe(false);
    expect(isMedicalWord("Rimkaitis")).toBe(false);
    expect(isMedicalWord("Antonie")).toBe(false);
    expect(isClinicalPhrase(["Arterielle", "Hypertonie"])).toBe(true);
    expect(isClinicalPhrase(["Zyklus", "CCV"])).toBe(true);
    // An adjective shape alone is no clinical word ("Michelle" ends like "Arterielle").
    expect(isClinicalPhrase(["Michelle"])).toBe(false);
    expect(isClinicalPhrase(["Michelle", "Obama"])).toBe(false);
  });
});

describe("date ranges are not phone numbers (session 18)", () => {
  it.each([
    "stat. Aufenthalt 12/12/66 - 23/12/66",
    "Therapie 05/2023 - 05/2019 und 03-06/2022",
    "vom 8.3. - 22.3.2025",
    "(07/63-12/63) und (05.11-18.11.2024)",
    "sowie 06/07.11.2024 und 18.08.21 - 20.1.22",
    "am 02.07.2022 276 mg, Kontrolle (07.07.2022",
  ])("finds no phone number in %j", (text) => {
    expect(found(text, "PHONE_NUMBER")).toEqual([]);
  });

  it.each([
    ["Tel. 0761 270-12345", "0761 270-12345"],
    ["Fax 030 4505 2000", "030 4505 2000"],
    ["Tél. 01.23.45.67.89", "01.23.45.67.89"],
    ["Tel.: 089/1234567", "089/1234567"],
    ["Telefon 06-93941926", "06-93941926"],
  ])("keeps the phone number in %j", (text, number) => {
    expect(found(text, "PHONE_NUMBER")).toEqual([number]);
  });

  it("reads the numbers of each piece", () => {
    expect(isDateRange("05/2023 - 05/2019")).toBe(true);
    expect(isDateRange("8.3. - 22.3.2025")).toBe(true);
    expect(isDateRange("12.34.56")).toBe(false);
    expect(isDateRange("06/12-34-56")).toBe(false);
    expect(isDateRange("0761 270-12345")).toBe(false);
  });
});

describe("German streets with hyphens and two words (session 18)", () => {
  it.each([
    ["Städt. Klinikum Neustadt, Erich-Kästner-Platz 5", "Erich-Kästner-Platz 5"],
    ["Ambulanz, Alois-Alzheimer-Gasse 21", "Alois-Alzheimer-Gasse 21"],
    ["Er wohnt in der Karl-Marx-Allee 5 in Berlin.", "Karl-Marx-Allee 5"],
    ["Städt. Klinikum, Kärntner Straße 33", "Kärntner Straße 33"],
    ["Friedrich-Ebert-Str. 7", "Friedrich-Ebert-Str. 7"],
    ["Otto-von-Guericke-Straße 44", "Otto-von-Guericke-Straße 44"],
    ["Hauptstraße 12, 10115 Berlin", "Hauptstraße 12"],
  ])("finds the street in %j", (text, street) => {
    expect(found(text, "STREET_ADDRESS")).toContain(street);
  });

  it("reads a given name before Ring or Weg as no street", () => {
    expect(found("Peter Ring 4 und Jan Weg 12 kamen.", "STREET_ADDRESS")).toEqual([]);
  });
});

describe("the session-18 rules stay linear on hostile text", () => {
  it.each([
    ["hyphenated capitalised words without a street type", "Aaa-Bbb-Ccc-Ddd-Eee-Fff-Ggg-"],
    ["street words after hyphens and adjectives", "Berliner-Platz-Straße Kärntner Straße Allee-"],
    ["date pieces joined by dashes", "05/2023 - 06/2023 - 8.3. - "],
    ["clinical words in a run of capitals", "Arterielle Hypertonie Akutes Nierenversagen Leber Zyklus "],
  ])("%s", (_name, unit) => {
    const { short, long } = cheapestCosts((text: string) => analyze(text), unit.repeat(500), unit.repeat(2_000));
    expect(long).toBeLessThan(Math.max(8 * short, 400));
  });
});
