import { describe, expect, it } from "vitest";
import { found } from "./pii-eval.js";

describe("names inside handles and identifiers, withheld names, list items cut mid-word (session 23)", () => {
  it.each([
    // A name after an underscore of a handle, or of a hashtag, names an account or a topic.
    ["Thanks for the follow @I_Am_Carol_Lee , have a great day .", "Lee"],
    ["RT @Jenn_Thompson : Thursday night at the bar , doors at 9pm", "Thompson"],
    ["@Incredible_Nath SEE YOU ON FRIDAY", "Nath"],
    ["Join the rally on Saturday #Free_Maryam #protest", "Maryam"],
    // A word that stands where a name is withheld.
    ["Anonymous said : my first year course was hard .", "Anonymous"],
    ["Unknown wrote: the file is missing again", "Unknown"],
  ])("does not read %j's look-alike as a person", (text, word) => {
    expect(found(text, "PERSON")).not.toContain(word);
  });

  it.each([
    // "Monday" followed by "at" once read as the list item "Monda" closed by the Spanish "y".
    ["Live chat with Glenn Guilbeau , Monday at 11 a.m. on the radio", "Monda"],
    ["Talks with Anna Berger, Sunday at noon in the hall", "Sunda"],
  ])("does not cut a word short in %j", (text, piece) => {
    expect(found(text, "PERSON")).not.toContain(piece);
  });

  it.each([
    // The same names outside a handle, a list that a conjunction really closes, a name after "Mr.".
    ["Thanks to Mary Jones for the follow , have a great day .", "Mary Jones"],
    ["Sprachen Helmut Kohl, Brandt und Genscher zuerst?", "Brandt"],
    ["Write to @ Maronti or to Paul Smith about it .", "Paul Smith"],
    ["Mr. Anonymous Smith said he would come .", "Anonymous Smith"],
  ])("still finds the name in %j", (text, name) => {
    expect(found(text, "PERSON")).toContain(name);
  });
});

describe("group and feast words are not found again as names (session 23)", () => {
  it.each([
    // A group word inside a guessed name is not copied to its other places.
    ["II . All Jews over sixteen must register . The wages earned by the Jews are paid to the office .", "Jews"],
    ["I never knew they were so fond of Easter .", "Easter"],
    ["We wrapped presents the week before Christmas .", "Christmas"],
  ])("does not read %j's look-alike as a person", (text, word) => {
    expect(found(text, "PERSON")).not.toContain(word);
  });

  it.each([
    ["Christmas Jones arrived late to the party .", "Christmas Jones"],
    ["Herr Ostermann kam spät. Später sagte Ostermann nichts mehr.", "Ostermann"],
  ])("still finds the name in %j", (text, name) => {
    expect(found(text, "PERSON")).toContain(name);
  });
});
