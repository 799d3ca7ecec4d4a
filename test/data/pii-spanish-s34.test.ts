import { describe, expect, it } from "vitest";
import { found } from "./pii-eval.js";

describe("a lone guessed word after a Romance article is no person (session 34)", () => {
  it.each(["El expediente quedó inscrito en la Cámara. NIF: 40038991Q.", "La propuesta se elevó a la Cámara el martes.", "Le dossier a été transmis à la Chambre hier."])(
    "reports no person in %j",
    (text) => {
      expect(found(text, "PERSON")).toEqual([]);
    },
  );

  it.each([
    // A listed given name after an article stays (colloquial "la María").
    ["La señora vive con la María desde enero.", "María"],
    // An article inside a surname's particle chain is no article here.
    ["Habló ayer con Juan de la Cruz en Toledo.", "Juan de la Cruz"],
    // Two words after an article: the rule is for lone words only.
    ["Lo firmó la señora Ana Cámara Ruiz.", "Ana Cámara Ruiz"],
  ])("still finds the person in %j", (text, name) => {
    expect(found(text, "PERSON").join(" | ")).toContain(name);
  });
});

describe("a word before a code, or a guess ending on a particle, is no person (session 34)", () => {
  it.each([
    "Referencia interna PROP-2026-1842. Abono al IBAN ES70 0049 1500 0105 1234 5678.",
    "Pago registrado. Número FAC-2026-002045 con fecha 28/02/2026.",
    "Envío confirmado. Pedido ABC-2291 en reparto.",
  ])("reports no person in %j", (text) => {
    expect(found(text, "PERSON")).toEqual([]);
  });

  it.each([
    ["Factura para Carlos Ruiz Serrano. Número FAC-2026-002045.", "Carlos Ruiz Serrano"],
    ["Ayer hablé con Pedro Gómez y Ana en la puerta.", "Pedro Gómez"],
    ["Contact John Smith ABC-2291 for the parcel.", "John Smith"],
  ])("still finds the person in %j", (text, name) => {
    expect(found(text, "PERSON").join(" | ")).toContain(name);
  });
});

describe("a Spanish preposition opening a sentence is no person (session 34)", () => {
  it.each(["ESCRITURA NÚMERO DOCE.- En la ciudad de Toledo, a dos de mayo, ante mí.", "Según el informe, la obra terminó."])("reports no person in %j", (text) => {
    expect(found(text, "PERSON")).toEqual([]);
  });

  it("still finds a name after the preposition", () => {
    expect(found("En la reunión, Marta Ortega Vidal presentó el informe.", "PERSON").join(" | ")).toContain("Marta Ortega Vidal");
  });
});

describe("a DNI printed in groups (session 34)", () => {
  it.each([
    ["Comparece Don Pedro López, con D.N.I. 12.345.678-Z, vecino de Sevilla.", "12.345.678-Z"],
    ["Su documento de identidad es 12 345 678 Z.", "12 345 678 Z"],
    ["NIF del titular: 5.389.217-H", "5.389.217-H"],
  ])("finds the DNI in %j", (text, value) => {
    expect(found(text, "ES_NIF")).toEqual([value]);
  });

  it.each([
    // The letter check fails: 12345678 takes Z, not A.
    "Comparece Don Pedro López, con D.N.I. 12.345.678-A, vecino de Sevilla.",
    // No DNI, NIF or identity word near: grouped digits and a letter are something else.
    "El pedido 12.345.678-Z llegó ayer.",
    // Separators mixed, or a longer word after the letter.
    "Con DNI 12.345 678-Z en trámite.",
    "Population 12 345 678 Z-axis, DNI unknown",
  ])("reports no DNI in %j", (text) => {
    expect(found(text, "ES_NIF")).toEqual([]);
  });
});
