import { describe, expect, it } from "vitest";
import { found } from "./pii-eval.js";

describe("a surname's German genitive names its bearer again (session 21)", () => {
  it.each([
    ["Angela Merkel kam am Montag nach Brüssel. Die Politik Merkels wurde dort kritisiert.", "Merkels"],
    ["Innenminister Otto Schily traf die Kollegen. Schilys Vorschlag fand keine Mehrheit.", "Schilys"],
    ["Wolfgang Schäuble kam nach Berlin. Die Pläne Schäubles scheiterten im Ausschuss.", "Schäubles"],
  ])("finds the genitive in %j", (text, name) => {
    expect(found(text, "PERSON")).toContain(name);
  });

  it.each([
    // No full name before: the bare word is no evidence (a surname of a public figure alone is, since
    // session 24: "Die Politik Merkels" finds Merkel; Schily is on no such list).
    ["Die Politik Schilys wurde dort kritisiert, sagte man im Ausschuss.", "Schilys"],
    // A given name's genitive reads more often as a place or a thing ("Karlsbad", "Oscars").
    ["Der Schauspieler Oscar lächelte. Der Film gewann zwei Oscars und einen Preis in Berlin.", "Oscars"],
    // Outside German text a bare "s" makes another word (a shop, a plural).
    ["Helmut Kohl visited Ohio in May. He went shopping at Kohls that day.", "Kohls"],
    // An everyday German word that is a surname plus "s" stays that word.
    ["Der Schauspieler Ulrich Mittag kam an. Mittags war der Saal voll.", "Mittags"],
  ])("does not read the look-alike in %j as a person", (text, word) => {
    expect(found(text, "PERSON")).not.toContain(word);
  });
});

describe("Fräulein abbreviated and gentlemen named together (session 21)", () => {
  it.each([
    ["Die Rolle der Maria spielte Frl. Heisler mit Anmut.", "Heisler"],
    ["Es sprachen die Herren Rack und Swoboda im Saal.", "Rack"],
    ["Es sprachen die Herren Rack und Swoboda im Saal.", "Swoboda"],
    ["Die Liste nennt sowie den Herren Jentsch und Fuchs keine weiteren Namen.", "Jentsch"],
  ])("finds the name in %j", (text, name) => {
    expect(found(text, "PERSON")).toContain(name);
  });

  it.each([
    // A shop's "Herren" (men's goods), without an article.
    ["Billige Herren Mäntel und Hüte bei uns.", "Mäntel"],
    // After an article, an everyday noun is still no name.
    ["Im Laden stehen die Herren Anzüge ganz hinten.", "Anzüge"],
    // The lords of a place, named by it.
    ["Die Burg gehörte den Herren von Taufers bis 1340.", "von Taufers"],
  ])("does not read %j's look-alike as a person", (text, word) => {
    expect(found(text, "PERSON")).not.toContain(word);
  });
});

describe("a surname named again alone: camel-case and common-word surnames (session 21)", () => {
  it.each([
    ["Leonardo DiCaprio stars in the film. Critics say DiCaprio is a star.", "DiCaprio"],
    ["Matthew McConaughey won the award. The studio praised McConaughey for it.", "McConaughey"],
    // "Fox" is also a word: after the full name it is the person where its capital is not a sentence's.
    ["Vicente Fox ganó las elecciones. La campaña de Fox costó mucho.", "Fox"],
  ])("finds the lone surname in %j", (text, name) => {
    expect(found(text, "PERSON")).toContain(name);
  });

  it.each([
    // Without the full name the word is not a person.
    ["La campaña de Fox costó mucho dinero en el norte.", "Fox"],
    // A capital opening a sentence says nothing.
    ["Vicente Fox ganó las elecciones. Fox News lo informó.", "Fox"],
    // Part of a longer proper name.
    ["Vicente Fox ganó las elecciones. Según la cadena Fox News, fue así.", "Fox"],
    ["Jude Law spoke at the meeting. She studied at Harvard Law School later.", "Law"],
  ])("does not read %j's look-alike as a person", (text, word) => {
    expect(found(text, "PERSON")).not.toContain(word);
  });
});

describe("kin words and words for peoples are not names alone (session 21, from U19's errors: seen)", () => {
  it.each([
    ["Wien, Juni 1939. Meine liebe Tante, habe heute Deinen Brief erhalten.", "Tante"],
    ["Dear Uncle, thank you for the parcel you sent us in May.", "Uncle"],
    ["Miss X. was living with her Aryan mother in Vienna.", "Aryan"],
    ["The decree forbade mixing Aryan and Jewish blood.", "Aryan"],
    ["She was the daughter of a Christian family in Vienna.", "Christian"],
  ])("finds no person %j", (text, word) => {
    expect(found(text, "PERSON")).not.toContain(word);
  });

  it.each([
    ["Die Sachen werden Tante Martha passen. Die Tante hat es mir gesagt.", "Martha"],
    ["Christian said he would come to Vienna in May.", "Christian"],
    ["Liebe Martha, habe heute Deinen Brief erhalten.", "Martha"],
  ])("keeps the person in %j", (text, name) => {
    expect(found(text, "PERSON")).toContain(name);
  });
});
