import { describe, expect, it } from "vitest";
import { analyze } from "../../src/data/pii/index.js";
import { isPlaceOrOrganisation, namesakeEnd } from "../../src/data/pii/places.js";
import { cheapestCosts } from "../helpers/cpu.js";
import { found } from "./pii-eval.js";

/** Whether the words `span` (first occurrence) in `text` read as a place or an organisation. */
function placeOrOrg(text: string, span: string, evidence = false): boolean {
  const at = text.indexOf(span);
  if (at < 0) throw new Error(`${span} not in ${text}`);
  return isPlaceOrOrganisation(text, at, at + span.length, evidence);
}

describe("places and organisations are not people (session 19)", () => {
  it.each([
    ["He moved to a flat in Houston last year.", "Houston"],
    ["Sie zog nach Hamburg.", "Hamburg"],
    ["Vive en Valencia desde 2001.", "Valencia"],
    ["Il habite à Marseille.", "Marseille"],
    ["The team flew from Texas to San Francisco.", "Texas"],
    ["The team flew from Texas to San Francisco.", "San Francisco"],
    ["Hong Kong reported new cases.", "Hong Kong"],
    ["The Wikimedia Foundation runs it.", "Wikimedia Foundation"],
    ["She voted for the Labor Party again.", "Labor"],
    ["Er arbeitet bei Siemens AG in München.", "Siemens"],
    ["He studied at the University of Virginia.", "Virginia"],
    ["Ingresó en el Hospital Clínico ayer.", "Clínico"],
  ])("%j: %j is a place or an organisation", (text, span) => {
    expect(placeOrOrg(text, span)).toBe(true);
  });

  it("keeps a lone place word that is also a given name when something else says person", () => {
    expect(placeOrOrg("Virginia said she would come.", "Virginia", true)).toBe(false);
    expect(placeOrOrg("Virginia said she would come.", "Virginia")).toBe(true);
    // A preposition of place outweighs it.
    expect(placeOrOrg("He grew up in Virginia.", "Virginia", true)).toBe(true);
  });

  it.each([
    ["Georgia Clark won the race.", "Georgia Clark"],
    ["In Smith's view the plan failed.", "Smith"],
    ["We met Anna Schmidt yesterday.", "Anna Schmidt"],
    ["Stuart Hall wrote about culture.", "Stuart Hall"],
    ["The Fred Hollows Foundation works there.", "Fred Hollows"],
    ["Wir suchen nach Mohamed.", "Mohamed"],
    ["Il parla à Marti, sellier.", "Marti"],
    ["Dimitri en Sascha werken hier.", "Sascha"],
    ["Frank Church chaired the committee.", "Frank Church"],
    ["They had 6: Artemio, León, Luz, Antonio, María and María.", "Antonio"],
    ["He spoke with José Antonio yesterday.", "José Antonio"],
    ["Lefèvre, Jordan, Braun, Ignace.", "Jordan"],
    ["Milan, can I please speak to your boss?", "Milan"],
  ])("%j: %j stays a possible name", (text, span) => {
    expect(placeOrOrg(text, span)).toBe(false);
  });

  it.each([
    ["He lives in Houston and works in Dallas.", "Houston"],
    ["She flew from Texas to Hong Kong.", "Hong"],
    ["Virginia Woolf lived in London; later Virginia said so.", "London"],
    ["Die Wikimedia Foundation hat ihren Sitz in San Francisco.", "Wikimedia"],
  ])("analyze finds no person %j in %j", (text, word) => {
    expect(found(text, "PERSON").some((n) => n.includes(word))).toBe(false);
  });

  it.each([
    ["Anna Schmidt arbeitet in Berlin.", "Anna Schmidt"],
    ["Mr Houston lives in Dallas.", "Mr Houston"],
    ["Georgia Clark moved to Paris.", "Georgia Clark"],
    ["Virginia Woolf wrote it. Later Virginia said so.", "Virginia Woolf"],
    ["We visited the Andy Warhol Museum in Pittsburgh.", "Andy Warhol"],
  ])("analyze keeps the person in %j", (text, name) => {
    expect(found(text, "PERSON").some((n) => name.includes(n) || n.includes(name))).toBe(true);
  });
});

it("cuts a namesake organisation's word off the person's name", () => {
  const text = "the Andy Warhol Museum and the Wikimedia Foundation";
  expect(namesakeEnd(text, 4, 22)).toBe(15);
  expect(namesakeEnd(text, 31, 51)).toBe(-1);
});

describe("the session-19 place rules stay linear on hostile text", () => {
  it.each([
    ["many guesses after a preposition", "in Houston and Anna Schmidt "],
    ["place words in a long run of capitals", "San Francisco Hong Kong Texas Virginia "],
    ["organisation words after names", "Anna Schmidt GmbH Peter Meier Foundation "],
  ])("%s", (_name, unit) => {
    const { short, long } = cheapestCosts((text: string) => analyze(text), unit.repeat(500), unit.repeat(2_000));
    expect(long).toBeLessThan(Math.max(8 * short, 400));
  });
});
