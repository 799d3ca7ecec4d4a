import { describe, expect, it } from "vitest";
import { analyze } from "../../src/data/pii/index.js";
import { found } from "./pii-eval.js";

describe("full names typed in lower case (session 24)", () => {
  it.each([
    // Tweets often type a whole name in lower case: a given name then a surname of the lexicon.
    ["@USER2235 thanks btw hope 2 months of kelly johnson was worth it last year", "kelly johnson"],
    ["RT @USER1823 : rebecca mader is so hot .", "rebecca mader"],
    ['RT @USER2536 : " jason mccann , your girlfriend is waiting for you "', "jason mccann"],
    ["Whatever song @USER1393 made me listen to by ariana grande", "ariana grande"],
    ["@mia i love jason mccann's voice", "jason mccann"],
  ])("finds the lower-case name in %j", (text, name) => {
    expect(found(text, "PERSON")).toContain(name);
  });

  it.each([
    // Names that are also common words stay out, and so do word pairs of ordinary text.
    ["@sam will smith and mark young were there", "will smith"],
    ["@bank the grace period ends on friday", "grace period"],
    ["@bar jack daniels please , no ice", "jack daniels"],
    // A comma between the words makes a list, not a name; a name written twice is no full name.
    ["@ann ask john, smith knows the way", "john, smith"],
    ["@ann john john john where are you", "john john"],
    // Function words that the lexicon lists as surnames of some locale, in German and Spanish text.
    ["@max Und dann ging einer der Männer nach Hause", "dann ging"],
    ["@ana Pero para esta forma de vida del campo", "esta forma"],
    ["@ana y ella sola vivía en la zona sur , victoria para todos", "ella sola"],
    // Short given names are everyday words of other languages (Indonesian "ada hari", "jan dong").
    ["@Dpurnawatii Di London ada hari perayaan Perang Bantal", "ada hari"],
    ["atm digosok pake gosokan ? jan dong duitnya bisa buat beli jajan", "jan dong"],
  ])("does not read %j as a person", (text, words) => {
    expect(found(text, "PERSON").join(" ")).not.toContain(words);
  });

  it("is asked only of social text, where a word opens with @", () => {
    expect(found("hope 2 months of kelly johnson was worth it last year", "PERSON")).toEqual([]);
    expect(found("write to me@example.org , kelly johnson was there", "PERSON")).not.toContain("kelly johnson");
    expect(found(". @ SpursOfficial : kelly johnson was there", "PERSON")).toContain("kelly johnson");
  });

  it("is not asked when the caller's threshold is above its score", () => {
    const names = analyze("RT @USER1823 : rebecca mader is so hot .", { threshold: 0.65 }).filter((m) => m.entity === "PERSON");
    expect(names).toEqual([]);
  });
});
