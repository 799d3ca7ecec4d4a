import { describe, expect, it } from "vitest";
import { analyze } from "../../src/data/pii/index.js";
import { cheapestCosts } from "../helpers/cpu.js";
import { found } from "./pii-eval.js";

describe("a name read off its shape alone spreads to few places (session 16, after U14's score)", () => {
  it("does not name every later mention of a word a shape guess took for a name", () => {
    const doc = `${"Das Gericht stellt fest, dass die Regierung Libertades Fundamentales nicht beachtet hat. ".repeat(2)}${"El Gobierno alega que Fundamentales no aplica. ".repeat(8)}`;
    const spread = found(doc, "PERSON").filter((n) => n === "Fundamentales");
    expect(spread.length).toBeLessThanOrEqual(6);
  });

  it("still names a person found with a given name or a cue again by the surname", () => {
    const doc = `Angela Merkel kam am Montag. ${"Danach sprach Merkel über den Haushalt. ".repeat(8)}`;
    expect(found(doc, "PERSON").filter((n) => n === "Merkel").length).toBeGreaterThanOrEqual(8);
    const cued = `Le président Macron est arrivé. ${"Ensuite Macron a parlé. ".repeat(8)}`;
    expect(found(cued, "PERSON").filter((n) => n.includes("Macron")).length).toBeGreaterThanOrEqual(9);
  });

  it.each([
    ["a guessed name repeated", "Libertades Fundamentales y Fundamentales "],
    ["a given name and surname repeated", "Angela Merkel sagte Merkel "],
  ])(
    "stays linear on one long line: %s",
    (_name, unit) => {
      const { short, long } = cheapestCosts((text: string) => analyze(text), unit.repeat(2_000), unit.repeat(8_000));
      expect(long).toBeLessThan(Math.max(8 * short, 400));
    },
    120_000,
  );
});
