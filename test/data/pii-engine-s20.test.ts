import { describe, expect, it } from "vitest";
import { analyze } from "../../src/data/pii/index.js";
import { isNotAName } from "../../src/data/pii/not-names.js";
import { found } from "./pii-eval.js";

describe("Spanish sentence openers alone are not names (session 20)", () => {
  it.each([
    "Ella dijo que no vendría.",
    "Nada cambió después de la reunión.",
    "Tal como se esperaba, ganó el local.",
    "Bueno, eso es todo por hoy.",
    "Asimismo señaló que el plazo vence hoy.",
  ])("finds no person in %j", (text) => {
    expect(found(text, "PERSON")).toEqual([]);
  });

  it.each([
    ["Ella Fitzgerald cantó en Berlín.", "Ella Fitzgerald"],
    ["Tal Ben-Haim jugó de central.", "Tal Ben-Haim"],
    // English: the speech verb makes the given name a person.
    ["Ella said she would come.", "Ella"],
    ["Menacho explicó que sí.", "Menacho"],
  ])("keeps the person in %j", (text, name) => {
    expect(found(text, "PERSON")).toContain(name);
  });

  it("drops a lone opener unless a non-Spanish speech verb speaks for it", () => {
    expect(isNotAName("Ella")).toBe(true);
    expect(isNotAName("Nada")).toBe(true);
    expect(isNotAName("Ella", " sa", "", true)).toBe(false);
    expect(isNotAName("Ella Fitzgerald")).toBe(false);
    expect(isNotAName("Elena")).toBe(false);
  });
});

describe("one window figure function for digits and runs (session 20)", () => {
  it("finds values gated by a digit count and by a letter-and-digit run in one text", () => {
    const text = "Llamó el 12/03/2024. Codice fiscale RSSMRA85T10A562S, carta 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00.";
    const entities = analyze(text).map((m) => [m.entity, text.slice(m.start, m.end)]);
    expect(entities).toContainEqual(["IT_FISCAL_CODE", "RSSMRA85T10A562S"]);
    expect(entities).toContainEqual(["CREDIT_CARD", "4111 1111 1111 1111"]);
    expect(entities).toContainEqual(["IBAN_CODE", "DE89 3704 0044 0532 0130 00"]);
  });

  it("reads on past many windows too short for a run until one holds it", () => {
    // Fifty dates first: every early window has digits but no 16-character run; the code comes last.
    const before = "Llamó el 12/03/2024 al 91 234 56 78. ".repeat(50);
    const codes = (text: string) => analyze(text).filter((m) => m.entity === "IT_FISCAL_CODE");
    expect(codes(`${before}Codice fiscale RSSMRA85T10A562S.`)).toHaveLength(1);
    // The same shape with a wrong check letter is not a fiscal code.
    expect(codes(`${before}Codice fiscale RSSMRA85T10A562X.`)).toEqual([]);
  });
});
