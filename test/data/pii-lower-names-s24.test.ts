import { describe, expect, it } from "vitest";
import { analyze } from "../../src/data/pii/index.js";
import { found } from "./pii-eval.js";

describe("full names typed in lower case (session 24)", () => {
  it.each([
    // Tweets and chat often type a whole name in lower case: a given name then a surname of the lexicon.
    ["hope 2 months of kelly johnson was worth it last year", "kelly johnson"],
    ["rebecca mader is so hot .", "rebecca mader"],
    ['" jason mccann , your girlfriend is waiting for you "', "jason mccann"],
    ["listening to this song by ariana grande all day", "ariana grande"],
    ["i love jason mccann's voice", "jason mccann"],
  ])("finds the lower-case name in %j", (text, name) => {
    expect(found(text, "PERSON")).toContain(name);
  });

  it.each([
    // Names that are also common words stay out, and so do word pairs of ordinary text.
    ["will smith and mark young were there", "will smith"],
    ["the grace period ends on friday", "grace period"],
    ["jack daniels please , no ice", "jack daniels"],
    // A comma between the words makes a list, not a name; a name written twice is no full name.
    ["ask john, smith knows the way", "john, smith"],
    ["john john john where are you", "john john"],
    // Short given names are everyday words of other languages (Indonesian "ada hari", "jan dong").
    ["Di London ada hari perayaan Perang Bantal", "ada hari"],
    ["atm digosok pake gosokan ? jan dong duitnya bisa buat beli jajan", "jan dong"],
  ])("does not read %j as a person", (text, words) => {
    expect(found(text, "PERSON").join(" ")).not.toContain(words);
  });

  it("is not asked when the caller's threshold is above its score", () => {
    const names = analyze("rebecca mader is so hot .", { threshold: 0.65 }).filter((m) => m.entity === "PERSON");
    expect(names).toEqual([]);
  });
});
