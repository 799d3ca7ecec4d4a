/**
 * The analyzer's speed shortcuts must not change what it finds: documents and their parts, cue-word
 * windows against a whole-text scan, and context look-ups skipped only where no context word can be.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { contextShortcutMisses, cueWindowMatches } from "../../src/data/pii/analyzer.js";
import { analyze, RECOGNIZERS } from "../../src/data/pii/index.js";
import { corpus } from "./pii-corpus.js";

const CUE_WORDS = [
  "Hi",
  "hi,",
  "Hello",
  "hey",
  "mr.",
  "ms.",
  "mrs.",
  "mr.Xu",
  "(mr.",
  "named",
  "him",
  "her",
  "call",
  "Call",
  "me",
  "shouted",
  "at",
  "said",
  "says",
  "5",
  "12",
  "so",
  '",',
  "»",
  "dijo",
  "dit",
  "président",
  "Président",
  "primer",
  "ministro",
  "Innenminister",
  "Präsident",
  "senador",
  "diputada",
  "Alcalde",
  "juez",
  "Sprecher",
  "chancellor",
  "Mayor",
  "Trainerin",
  // Party words and initials (session 16).
  "Zeugin",
  "Angeklagten",
  "applicant",
  "applicant,",
  "requérant",
  "demandante",
  "K.",
  "A.B.",
  "T.",
  "Dö.",
  "X",
  "Nr.",
  // Companion words (session 15).
  "con",
  "avec",
  "par",
  "with",
  "By",
  "según",
  "selon",
  "according",
  "to",
  "Junto",
  "a",
];
const OTHER = ["The", "State", "Anna", "Anna.", "Bob", "Lee,", "Ólafur", "Élodie", "end.", "ok!", "why?", "note:", "it", "was", ".", ",", "\n", "\t", "  ", "\\n"];
const words = (extra: readonly string[]) => fc.array(fc.constantFrom(...extra, ...OTHER), { maxLength: 40 });

describe("PII analyzer shortcuts", () => {
  const cueRecognizers = RECOGNIZERS.filter((r) => r.cueTokens);

  it("property: cue-word patterns find the same matches in their windows as over the whole text", () => {
    expect(cueRecognizers.map((r) => r.id).sort()).toEqual(["person-companion", "person-cue", "person-initials", "person-role", "person-says"]);
    const seps = fc.constantFrom(" ", " ", " ", "  ", "\t", "\n");
    const text = fc.array(fc.tuple(fc.constantFrom(...CUE_WORDS, ...OTHER), seps), { maxLength: 40 }).map((ps) => ps.map(([w, s]) => w + s).join(""));
    fc.assert(
      fc.property(text, (t) => {
        for (const r of cueRecognizers) {
          const whole: Array<[number, number]> = [];
          // The whole-text scan the windows replace (on the text as the analyzer reads it).
          const read = t.replace(/\\[nrt]/g, (e) => ` ${e[1] === "n" ? "\n" : e[1] === "t" ? "\t" : "\r"}`);
          r.pattern.lastIndex = 0;
          for (let m = r.pattern.exec(read); m !== null; m = r.pattern.exec(read)) {
            whole.push([m.index, m.index + m[0].length]);
            // The pre-test admits every match (it is applied per window).
            expect(r.prefilter?.test(m[0]) ?? true).toBe(true);
          }
          expect(cueWindowMatches(t, r)).toEqual(whole);
        }
      }),
      { numRuns: 4000 },
    );
  });

  it("finds the cue names it should, in a line and deep in a long document", () => {
    const line = "The model was trained. Hi, Pero Marić, the run is done, said Anna. We met mr.Xu at noon.";
    const names = (t: string) =>
      analyze(t)
        .filter((m) => m.entity === "PERSON")
        .map((m) => t.slice(m.start, m.end));
    expect(names(line)).toEqual(expect.arrayContaining(["Pero Marić", "Anna", "Xu"]));
    const filler = "The model was trained on the data. It was slow. ".repeat(400);
    const doc = `${filler}${line} ${filler}`;
    expect(names(doc)).toEqual(names(line));
  });

  it("property: context look-ups are skipped only where no context word can be near", () => {
    const needy = RECOGNIZERS.filter((r) => r.requireContext && r.context);
    const ctx = [...new Set(needy.flatMap((r) => r.context!))].flatMap((c) => [c, c.toUpperCase(), `${c}:`]);
    const values = ["12.03.1980", "4111 1111 1111 1111", "C01X00T47", "MRN 123456", "born", "Anna Lee", "Maria", "García", "12345678", "1980-03-12", "L01X00T47"];
    const text = words([...ctx, ...values]).map((ws) => ws.join(" "));
    fc.assert(
      fc.property(text, (t) => {
        for (const r of needy) expect(contextShortcutMisses(t, r)).toEqual([]);
      }),
      { numRuns: 1500 },
    );
  });

  it("a document gives each of its sentences the matches it has alone, when nothing carries across", () => {
    // Generated PII sentences without names (names carry across sentences: "Anna … Anna said"), kept
    // further apart than a context word reaches (80 characters), so a sentence's context is its own.
    const gap = `\n${" ".repeat(90)}\n`;
    const lines = corpus(4242, 400)
      .map((x) => x.text.replace(/\n/g, " "))
      .filter((t) => !analyze(t).some((m) => m.entity === "PERSON"));
    let at = 0;
    const expected: string[] = [];
    for (const l of lines) {
      for (const m of analyze(l)) expected.push(`${m.entity}@${at + m.start}-${at + m.end}`);
      at += l.length + gap.length;
    }
    const doc = lines.join(gap);
    const got = analyze(doc)
      .filter((m) => m.entity !== "PERSON")
      .map((m) => `${m.entity}@${m.start}-${m.end}`);
    expect(lines.length).toBeGreaterThan(100);
    expect(got).toEqual(expected);
  });
});
