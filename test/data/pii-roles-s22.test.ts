import { describe, expect, it } from "vitest";
import { found } from "./pii-eval.js";

describe("ranks ending in -führer or -kommandant, rabbis, ambassadors, and 'namens' before a surname (session 22)", () => {
  it.each([
    ["Der Scharführer Heinl kam uns vor wie der Teufel.", "Heinl"],
    ["Im Block herrschte der Lagerführer Hössler mit Gewalt.", "Hössler"],
    ["Der Lagerkommandant Kramer ließ alle antreten.", "Kramer"],
    ["Im Auftrage des Rabbiner Wessely kam er zu mir.", "Wessely"],
    ["Es kam ein Mann namens Friedmann zu uns ins Büro.", "Friedmann"],
    ["From the consul to Ambassador Umezu in the capital.", "Umezu"],
    ["The letter was read by Rabbi Perls to the community.", "Perls"],
  ])("finds the name in %j", (text, name) => {
    expect(found(text, "PERSON")).toContain(name);
  });

  it.each([
    // A country after a guide or leader word is no person, nor its German genitive.
    ["Der Reiseführer Deutschland liegt auf dem Tisch.", "Deutschland"],
    ["Die Führer Deutschlands trafen sich in der Stadt.", "Deutschlands"],
    // "namens" is also "on behalf of": an article follows, no name.
    ["Ich erkläre namens der Regierung unsere Zustimmung.", "Regierung"],
    // After "genannt", a place opened by an everyday noun ("Lager") is not a person.
    ["Im Lager ( genannt Lager Zarzecze ) befand sich das Kommando.", "Lager Zarzecze"],
    // An everyday noun after a leader word stays a noun.
    ["Der Fahrzeugführer Verantwortung trägt immer.", "Verantwortung"],
  ])("does not read %j's look-alike as a person", (text, word) => {
    expect(found(text, "PERSON")).not.toContain(word);
  });
});

describe("public figures named by the surname alone (session 22)", () => {
  it.each([
    ["Gestern hat Mussolini eine Rede in Rom gehalten.", "Mussolini"],
    ["Der Plan von Himmler war allen klar.", "Himmler"],
    ["Yesterday Hitler gave a long speech in Munich.", "Hitler"],
  ])("finds the name in %j", (text, name) => {
    expect(found(text, "PERSON")).toContain(name);
  });

  it.each([
    // A dynasty's or a ship's name is left out of the list.
    ["La frégate cuirassée Habsburg, qui a à son bord le prince, est partie.", "Habsburg"],
  ])("does not read %j's look-alike as a person", (text, word) => {
    expect(found(text, "PERSON")).not.toContain(word);
  });
});

describe("an office is no part of a name found again (session 22)", () => {
  it("does not spread the office word of a found name", () => {
    const text = "Venezuelas Präsident Maduro erklärt Freitage zu Feiertagen. Der sozialistische Präsident Nicolas Maduro sagte, der linke Präsident wolle Strom sparen.";
    expect(found(text, "PERSON")).not.toContain("Präsident");
    expect(found(text, "PERSON")).toContain("Nicolas Maduro");
  });
});

describe("a form's name field, its value in capitals too (session 22)", () => {
  it.each([
    ["Surname: LANDAU", "LANDAU"],
    ["FATHER Family Name LANDAU First Lipold Middle Birthdate 1880", "LANDAU"],
    ["Nachname: Friedmann Vorname: Richard", "Friedmann"],
    ["Family Name: Landau", "Landau"],
  ])("finds the value in %j", (text, name) => {
    expect(found(text, "PERSON")).toContain(name);
  });

  it.each([
    // An empty field is followed by the next label, which is no name.
    ["Benutzername: *\nVorname:\nNachname:\nBitte melden Sie sich an.", "Nachname"],
    // The next label of a form is no name either.
    ["Family or Surname LANDAU Given or Christian Names Bernard", "Given"],
    // Capitals after a greeting are not read as a field's value.
    ["Dear SIR, thank you for the letter.", "SIR"],
  ])("does not read %j's look-alike as a person", (text, word) => {
    expect(found(text, "PERSON")).not.toContain(word);
  });
});

describe("user handles and short month names are no person (session 22)", () => {
  it.each([
    ["RT @Harry_Styles : Getting back on the road tomorrow .", "Harry"],
    ["He died Jan. 7 , in Jordan , in a non-combat incident .", "Jan"],
    ["The club is hosting a guided walk Jan 9th at noon .", "Jan"],
  ])("does not read %j's look-alike as a person", (text, word) => {
    expect(found(text, "PERSON")).not.toContain(word);
  });

  it.each([
    // The same words as names: "Jan" without a day after it, "Harry" without "@" before it.
    ["Jan Novak came home late .", "Jan Novak"],
    ["Niall confirmed that Harry will join the tour .", "Harry"],
  ])("still finds the name in %j", (text, name) => {
    expect(found(text, "PERSON")).toContain(name);
  });
});
