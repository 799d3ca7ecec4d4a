import { describe, expect, it } from "vitest";
import { found } from "./pii-eval.js";

describe("a public figure's surname alone names them (session 24)", () => {
  it.each([
    ["RT @USER169 : Trump used a pseudonym when making threatening phone calls .", "Trump"],
    ["Americans will criticize Trump when he lies again .", "Trump"],
    ['" When Obama assures us he will do it , believe him .', "Obama"],
    ["Obama : Not just a black issue , an American issue", "Obama"],
    ["This is the most accurate sentence regarding Trumps ' popularity I have read .", "Trumps"],
    ["The best is the enemy of good . - Voltaire #quote", "Voltaire"],
    ["Those who survived read Nietzsche in the camp library .", "Nietzsche"],
    ["Die Rede Mussolinis wurde im Radio übertragen.", "Mussolinis"],
    ["Nach der Machtergreifung Hitlers verließ die Familie Wien.", "Hitlers"],
  ])("finds the surname in %j", (text, name) => {
    expect(found(text, "PERSON")).toContain(name);
  });

  it.each([
    // A longer capitalised run: a building, a race course, a company, not the person alone.
    ["We stayed near Trump Tower for the weekend .", "Trump"],
    ["The horses ran at Churchill Downs on Saturday .", "Churchill"],
    // After an article the surname names a thing of theirs (an administration, an angel).
    ["The agency said the Trump administration had no plan .", "Trump"],
    ["Die Stimme des Engels war leise und klar.", "Engels"],
    // After a place preposition, a surname that is also a town.
    ["My cousin lives in Darwin and works at the port .", "Darwin"],
    // Joined to another word: a compound, not the person alone.
    ["Er trat 1936 in die Hitler-Jugend ein.", "Hitler"],
    // Shouted in capitals: left to the other rules.
    ["TRUMP WINS AGAIN", "TRUMP"],
  ])("does not read the look-alike in %j as the person alone", (text, word) => {
    expect(found(text, "PERSON")).not.toContain(word);
  });
});
