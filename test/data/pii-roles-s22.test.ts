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
