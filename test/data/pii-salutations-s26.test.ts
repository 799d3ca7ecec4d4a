import { describe, expect, it } from "vitest";
import { found } from "./pii-eval.js";

describe("a letter to a role or an audience names nobody (session 26)", () => {
  it.each([
    "Dear Educational Administrator, I'm conducting a workshop on digital tools.",
    "Dear Health Enthusiasts, a special virtual health assessment is set to occur.",
    "Dear Patients, Your medical reports are now available online.",
    "Dear Financial Analyst, Our system detected unusual transactions on the account.",
    "Dear Valued Customers, thank you for your loyalty.",
    "Liebe Teilnehmer,\nwir freuen uns auf Sie.",
  ])("reports no person in %j", (text) => {
    expect(found(text, "PERSON")).toEqual([]);
  });

  it.each([
    ["Dear Anna Fischer, thank you for your letter.", "Anna Fischer"],
    ["Dear Aino, thank you for your letter.", "Aino"],
    // A title makes the next word a surname, even one that is also a role.
    ["Dear Mr. Parent, thank you for your letter.", "Parent"],
    ["Dear Dr. Thompson, our next session is on Monday.", "Thompson"],
  ])("still finds the person in %j", (text, name) => {
    expect(found(text, "PERSON").join(" ")).toContain(name);
  });
});
