import { describe, expect, it } from "vitest";
import { analyze, checksums } from "../../src/data/pii/index.js";
import { cheapestCosts } from "../helpers/cpu.js";
import { found } from "./pii-eval.js";

/** ISO 7064 MOD 11,10 check digit over ten digits (written here from the standard, not from the module). */
function taxCheck(ten: string): string {
  let p = 10;
  for (const c of ten) {
    const s = (Number(c) + p) % 10 || 10;
    p = (s * 2) % 11;
  }
  return String((11 - p) % 10);
}

describe("German tax ID (Steuer-ID)", () => {
  it.each([
    ["Steuer-ID: 86095742719", "86095742719"],
    ["Meine Steueridentifikationsnummer lautet 65 929 970 489.", "65 929 970 489"],
    ["Identifikationsnummer (IdNr) 47036892816", "47036892816"],
    ["tax ID 65929970489 on the payslip", "65929970489"],
  ])("finds it in %j", (text, id) => {
    expect(found(text, "DE_TAX_ID")).toEqual([id]);
  });

  it.each([
    // One digit off: the check digit fails.
    "Steuer-ID: 86095742718",
    // A valid check digit but two digits repeated in the first ten (not how tax IDs are issued).
    `Steuer-ID: 1122345678${taxCheck("1122345678")}`,
    // Three of one digit in a row.
    `Steuer-ID: 1112345678${taxCheck("1112345678")}`,
    // Leading zero: a phone number, not a tax ID.
    "Steuer-ID folgt, Telefon 03012345678",
    // A valid number with no tax word near it is an order number.
    "Bestellnummer 86095742719 versandt",
  ])("reports no tax ID in the look-alike %j", (text) => {
    expect(found(text, "DE_TAX_ID")).toEqual([]);
  });

  it("the checksum and the digit rule agree with published examples", () => {
    expect(checksums.deTaxIdValid("86095742719")).toBe(true);
    expect(checksums.deTaxIdValid("47036892816")).toBe(true);
    expect(checksums.deTaxIdValid("06095742719")).toBe(false);
    expect(checksums.deTaxIdValid(`1231567890${taxCheck("1231567890")}`)).toBe(true); // one digit twice
    expect(checksums.deTaxIdValid(`1213145678${taxCheck("1213145678")}`)).toBe(true); // one digit three times, apart
  });
});

describe("German social insurance number (Rentenversicherungsnummer)", () => {
  it.each([
    ["Rentenversicherungsnummer: 65 170839 J 003", "65 170839 J 003"],
    ["SV-Nummer 65170839J003", "65170839J003"],
    ["Sozialversicherungsnummer 65 170839 J 00 3", "65 170839 J 00 3"],
  ])("finds it in %j", (text, id) => {
    expect(found(text, "DE_SOCIAL_INSURANCE")).toEqual([id]);
  });

  it.each([
    "Rentenversicherungsnummer: 65 170839 J 004", // check digit
    "Versicherungsnummer 65 171339 J 003", // month 13
    "Seriennummer 65170839J003 des Geräts", // no insurance word
  ])("reports none in the look-alike %j", (text) => {
    expect(found(text, "DE_SOCIAL_INSURANCE")).toEqual([]);
  });
});

describe("Spanish social security number and company NIF (CIF)", () => {
  it.each([
    ["Número de la Seguridad Social: 28/12345678/40", "28/12345678/40"],
    ["NUSS 28 12345678 40", "28 12345678 40"],
    ["afiliación 281234567840", "281234567840"],
  ])("finds the social security number in %j", (text, id) => {
    expect(found(text, "ES_SOCIAL_SECURITY")).toEqual([id]);
  });

  it.each([
    "Seguridad Social: 28/12345678/41", // control digits
    "Seguridad Social: 60/12345678/40", // no such province
    "Pedido 281234567840 enviado", // no context
  ])("reports no social security number in %j", (text) => {
    expect(found(text, "ES_SOCIAL_SECURITY")).toEqual([]);
  });

  it.each([
    ["CIF: B12345674", "B12345674"],
    ["C.I.F. A58818501", "A58818501"],
    ["Empresa con N.I.F. Q2826000H", "Q2826000H"],
  ])("finds the company NIF in %j", (text, id) => {
    expect(found(text, "ES_NIF")).toEqual([id]);
    expect(found(text, "PERSON")).toEqual([]);
  });

  it.each([
    "CIF: B12345675", // control digit
    "CIF: K1234567X", // a letter-control entity with a wrong letter
    "Pedido B12345674 enviado", // no context
  ])("reports no company NIF in %j", (text) => {
    expect(found(text, "ES_NIF")).toEqual([]);
  });
});

describe("guessed names holding codes", () => {
  it("cuts a code off either end of a guessed name, and drops a guess that is only codes and initials", () => {
    expect(found("HLNK1 Goldstein , I. , et al. , The New England Journal", "PERSON")).toEqual(["Goldstein"]);
    expect(found("Empresa con N.I.F. B12345674", "PERSON")).toEqual([]);
  });
});

describe("Spanish courts and offices are not people", () => {
  it.each([
    "El Gobierno alega que el Tribunal no aplicó la Ley.",
    "Convenio para la Protección de los Derechos Humanos y de las Libertades Fundamentales.",
    "Presidente de la Sección Cuarta",
  ])("no person in %j", (text) => {
    expect(found(text, "PERSON")).toEqual([]);
  });

  it("a name beside them stays", () => {
    expect(found("El Tribunal oyó a Juan Pérez García.", "PERSON")).toEqual(["Juan Pérez García"]);
  });
});

describe("the new identifiers stay linear on hostile text", () => {
  it.each([
    ["digit groups after a context word", "Steuer-ID 12 345 678 901 Seguridad Social 28/12345678/40 "],
    ["letters and digits with CIF words", "CIF B1234567 NIF A-1234567-J "],
    ["one long run of digits", "Steuer-ID 1"],
  ])("%s", (_name, unit) => {
    const { short, long } = cheapestCosts((text: string) => analyze(text), unit.repeat(500), unit.repeat(2_000));
    expect(long).toBeLessThan(Math.max(8 * short, 400));
  });
});

describe("record numbers after the case and admission words of hospital letters", () => {
  it.each([
    ["Fall-Nr.: 12345678", "12345678"],
    ["Pat.-Nr. 471123", "471123"],
    ["Aufnahmenummer: 8812345", "8812345"],
    ["IPP : 80012345", "80012345"],
    ["Accession number: A1234567", "A1234567"],
  ])("finds it in %j", (text, id) => {
    expect(found(text, "MEDICAL_RECORD_NUMBER")).toEqual([id]);
  });

  it.each(["Der Patient kam 2019 in die Klinik", "Die Fallzahl 12345 ist gestiegen", "Pat. Klaus Schuster, geb. 1950"])("none in %j", (text) => {
    expect(found(text, "MEDICAL_RECORD_NUMBER")).toEqual([]);
  });
});
