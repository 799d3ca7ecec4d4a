import { describe, expect, it } from "vitest";
import { found } from "./pii-eval.js";

describe("names after ranks, nobility, professions and kin; speakers after the verb (session 13)", () => {
  it.each([
    ["nel 1860 era entrato con il generale Cialdini nello Stato Pontificio .", "Cialdini"],
    ["Le maréchal Niel est arrivé hier à Paris.", "Niel"],
    ["Selbst den Gesandten Sherlöck wollten die Unbändigen töten.", "Sherlöck"],
    ["Er traf den Grafen Bismarck in Berlin.", "Bismarck"],
    ["Captain Hastings met Inspector Japp at the station.", "Japp"],
    ["Il conte Ugolino morì di fame.", "Ugolino"],
    ["Poi lo zio Carlo tornò a casa.", "Carlo"],
    ["el coronel Aureliano recordó aquella tarde", "Aureliano"],
    // The verb before its speaker, then a punctuation mark.
    ["In Lombardia vinciamo , spiega Maroni .", "Maroni"],
    ["— Ebbene , disse Nuto .", "Nuto"],
    ["Ce n'est rien, répondit Valjean.", "Valjean"],
    ["Who is there? asked Holmes.", "Holmes"],
  ])("finds the person in %j", (text, name) => {
    expect(found(text, "PERSON")).toContain(name);
  });

  it.each(["General Motors said on Monday that sales fell.", "The King Street office opens at nine.", "Sales were up, said Monday."])(
    "takes no place, company or weekday after a rank for a name: %j",
    (text) => {
      expect(found(text, "PERSON")).toEqual([]);
    },
  );
});

describe("Spanish street forms and address fields (session 13)", () => {
  it.each([
    ["Servicio de Urología Hospital Dr. Peset Avda. Gaspar Aguilar, 90 46017 Valencia.", "Avda. Gaspar Aguilar, 90"],
    ["Hospital Infanta Cristina Avda. de Elvas s/n. 06080 Badajoz.", "Avda. de Elvas s/n"],
    ["Hospital de Getafe Ctra. de Toledo Km 12,500 E-28905 Getafe.", "Ctra. de Toledo Km 12,500"],
    ["Vive en la Calle de las rosas 86, 13 desde 2010.", "Calle de las rosas 86"],
    ["NHC: 5467980.\nDomicilio: Calle 4 Sur No 43AA- 30.\nLocalidad: Madrid", "Calle 4 Sur No 43AA- 30"],
    ["Domicilio: C/ Manoteras, 8, 4 A.\nLocalidad/ Provincia: Madrid.", "C/ Manoteras, 8, 4 A"],
  ])("finds the address in %j", (text, address) => {
    expect(found(text, "STREET_ADDRESS")).toContain(address);
  });

  it("a name before a street type ends there, and a place field's value is no name", () => {
    const text = "Hospital Dr. Peset Avda. Gaspar Aguilar, 90\nLocalidad/ Provincia: Valencia.";
    expect(found(text, "PERSON")).toEqual(["Peset"]);
  });

  it.each(["Tomar 1 comprimido c/ 8 horas durante 5 días.", "Address: see the attached form.", "Email address: none given"])("no address in %j", (text) => {
    expect(found(text, "STREET_ADDRESS")).toEqual([]);
  });
});

describe("medical eponyms are not people (session 13)", () => {
  it.each([
    "Paciente con enfermedad de Crohn desde 2010.",
    "Se colocó sonda vesical tipo Foley.",
    "La tinción de Ziehl Neelsen fue negativa.",
    "Serología para virus de Epstein Barr negativa.",
    "He was diagnosed with Parkinson's disease last year.",
  ])("no person in %j", (text) => {
    expect(found(text, "PERSON")).toEqual([]);
  });

  it("a name next to an eponym is still a name", () => {
    expect(found("Juan Pérez tiene enfermedad de Crohn.", "PERSON")).toEqual(["Juan Pérez"]);
  });
});

describe("an English verb that is also a medical noun does not hide a name (tuned after U11)", () => {
  it("'PSG sign Gonçalo Guedes' keeps the name", () => {
    expect(found("Official : PSG sign Gonçalo Guedes for 25 million", "PERSON")).toEqual(["Gonçalo Guedes"]);
  });
});
