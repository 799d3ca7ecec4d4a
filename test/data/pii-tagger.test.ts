import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { capitalGates, taggerRegions } from "../../src/data/pii/analyzer.js";
import { analyze, RECOGNIZERS } from "../../src/data/pii/index.js";
import { B, I, marginals, O, tagPersons, tokCount, tokEnd, tokenize, tokStart, viterbi } from "../../src/data/pii/tagger.js";

const tokens = (text: string) => {
  tokenize(text);
  return Array.from({ length: tokCount }, (_, t) => text.slice(tokStart[t]!, tokEnd[t]!));
};
const persons = (text: string) =>
  analyze(text)
    .filter((m) => m.entity === "PERSON")
    .map((m) => text.slice(m.start, m.end));

/** Every valid B/I/O sequence of a run (I never after O or at the start). */
function sequences(len: number): number[][] {
  if (len === 0) return [[]];
  const out: number[][] = [];
  for (const rest of sequences(len - 1))
    for (const c of [O, B, I]) {
      const prev = rest.length ? rest[rest.length - 1]! : O;
      if (c === I && prev === O) continue;
      out.push([...rest, c]);
    }
  return out;
}
function pathScore(seq: number[], em: Float64Array, trans: number[]): number {
  let s = 0;
  let prev = O;
  seq.forEach((c, p) => {
    s += trans[prev * 3 + c]! + em[p * 3 + c]!;
    prev = c;
  });
  return s + trans[9 + prev]!;
}

describe("person-name tagger: tokens", () => {
  it("splits like CoNLL-2003: possessives, punctuation, initials and abbreviations", () => {
    expect(tokens("Mr. O'Neill's U.S. trip, said J. Smith-Jones.")).toEqual(["Mr.", "O'Neill", "'", "s", "U.S.", "trip", ",", "said", "J.", "Smith-Jones", "."]);
    expect(tokens("AT&T (NYSE) rose 3.5%")).toEqual(["AT&T", "(", "NYSE", ")", "rose", "3", ".", "5", "%"]);
  });

  it("property: tokens are ordered, inside the text, never empty and hold no white space", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), (text) => {
        tokenize(text);
        let last = 0;
        for (let t = 0; t < tokCount; t++) {
          const s = tokStart[t]!;
          const e = tokEnd[t]!;
          expect(s).toBeGreaterThanOrEqual(last);
          expect(e).toBeGreaterThan(s);
          expect(e).toBeLessThanOrEqual(text.length);
          expect(/[\s\u00a0]/.test(text.slice(s, e))).toBe(false);
          last = e;
        }
        for (const span of tagPersons(text)) {
          expect(span.start).toBeLessThan(span.end);
          expect(span.score).toBeGreaterThan(0);
          expect(span.score).toBeLessThanOrEqual(1 + 1e-9);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("person-name tagger: decoding", () => {
  it("property: Viterbi finds the best valid tag sequence (checked against every sequence)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 15, maxLength: 15 }),
        fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 12, maxLength: 12 }),
        (len, e, trans) => {
          const em = Float64Array.from(e.slice(0, len * 3));
          const tags = new Uint8Array(len);
          viterbi(em, len, trans, tags);
          const best = Math.max(...sequences(len).map((s) => pathScore(s, em, trans)));
          expect(pathScore([...tags], em, trans)).toBeCloseTo(best, 9);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("property: marginals equal the brute-force sums over every valid sequence", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 12, maxLength: 12 }),
        fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 12, maxLength: 12 }),
        fc.double({ min: 0.5, max: 16, noNaN: true }),
        (len, e, trans, temperature) => {
          const em = Float64Array.from(e.slice(0, len * 3));
          const out = new Float64Array(len * 3);
          marginals(em, len, trans, temperature, out);
          const all = sequences(len).map((s) => [s, Math.exp(pathScore(s, em, trans) / temperature)] as const);
          const z = all.reduce((a, [, w]) => a + w, 0);
          for (let p = 0; p < len; p++) {
            let sum = 0;
            for (let c = 0; c < 3; c++) {
              const want = all.filter(([s]) => s[p] === c).reduce((a, [, w]) => a + w, 0) / z;
              expect(out[p * 3 + c]).toBeCloseTo(want, 9);
              sum += out[p * 3 + c]!;
            }
            expect(sum).toBeCloseTo(1, 9);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("ships a small model: int8 weights, under 3 MB", () => {
    const raw = readFileSync(new URL("../../src/data/pii/person-model.json", import.meta.url));
    expect(raw.length).toBeLessThan(3 * 2 ** 20);
    const m = JSON.parse(raw.toString()) as { bits: number; trans: number[]; temperature: number };
    expect(m.trans).toHaveLength(12);
    expect(m.bits).toBeGreaterThanOrEqual(16);
    expect(m.temperature).toBeGreaterThan(0);
  });
});

describe("person names in news-like text (names in no name list, found by the tagger)", () => {
  it.each([
    ["Striker Oleguer Presas scored twice for the visitors on Sunday.", "Oleguer Presas"],
    ["The finance minister, Tadeusz Wrzesniewski, told reporters the budget would pass.", "Tadeusz Wrzesniewski"],
    ["Opposition leader Kwame Asante-Boadu said the vote had been rigged.", "Kwame Asante-Boadu"],
    ["Their goalkeeper Dragoslav Kuzmanovski saved a penalty in the 80th minute.", "Dragoslav Kuzmanovski"],
  ])("finds the person in %j", (text, name) => {
    const found = analyze(text).filter((m) => m.entity === "PERSON");
    expect(found.map((m) => text.slice(m.start, m.end))).toContain(name);
    expect(found.find((m) => text.slice(m.start, m.end) === name)!.score).toBeGreaterThanOrEqual(0.5);
  });

  it.each([
    "Israel said on Friday it would reopen the crossing.",
    "Barcelona beat Real Madrid 2-0 in Madrid on Saturday.",
    "Shares of Microsoft rose 3 percent in New York.",
    "The Bank of England left interest rates unchanged on Thursday.",
    "Will Grant be there?",
  ])("reports no person in the look-alike %j", (text) => {
    expect(persons(text)).toEqual([]);
  });
});

describe("person-name tagger: reading only capitalised runs", () => {
  const WORDS = [
    "the",
    "model",
    "was",
    "trained",
    "said",
    "and",
    "van",
    "de",
    "der",
    "la",
    "of",
    "in",
    "on",
    "by",
    ",",
    ".",
    "!",
    "?",
    ":",
    ";",
    "-",
    "The",
    "State",
    "May",
    "Will",
    "However,",
    "Anna",
    "Anna,",
    "Anna.",
    "Smith",
    "Smith's",
    "O'Neill's",
    "Jean-Pierre",
    "(Felix)",
    '"Maria',
    "Mr.",
    "Dr.",
    "U.S.",
    "J.",
    "St.",
    "Al.",
    "Corp.",
    "NASA",
    "IBM's",
    "McDonald",
    "Zhang",
    "Wrzesniewski",
    "Noort",
    "Grönholm",
    "Ólafur",
    "3.",
    "1996",
    "x-Ray",
    "foo/Bar",
    "end.",
    "said.",
    "\n",
    "\n\n",
    " ",
    "\t",
    "\u00a0",
    "\u2028",
  ];
  const text = fc.array(fc.constantFrom(...WORDS), { maxLength: 60 }).map((ws) => ws.join(" ").replace(/ ?\n ?/g, "\n"));
  const same = (t: string) => {
    const lookedAll: Array<{ start: number; end: number; score: number }> = [];
    const all = tagPersons(t, lookedAll);
    const regions = taggerRegions(t);
    const lookedPart: Array<{ start: number; end: number; score: number }> = [];
    const part = regions.length > 0 ? tagPersons(t, lookedPart, regions, regions.length / 2) : [];
    expect(part).toEqual(all);
    expect(lookedPart).toEqual(lookedAll);
  };

  it("property: the tagger's names and probabilities are the same as when it reads the whole text", () => {
    fc.assert(fc.property(text, same), { numRuns: 1500 });
  });

  it("skips prose whose only capitals open sentences, and reads a name that opens one", () => {
    expect(taggerRegions("The model was trained. State of the art. However, it was slow.").length).toBe(0);
    expect(taggerRegions("The model was trained. Anna trained it.").length).toBe(2);
    expect(taggerRegions("It was trained by Mr. Xu. Then it ran.").length).toBe(2);
    for (const t of ["Anna Smith said so. The end.", "Mr. Smith's model. The end!", "He met O'Neill's team.\nThe end."]) same(t);
  });
});

describe("cue recognizers run only where a name can follow a cue", () => {
  const WORDS = [
    "said",
    "says",
    "Hi",
    "Hi,",
    "hello",
    "Hey",
    "mr.",
    "Mr.",
    "ms.",
    "mrs.",
    "mr.Xu",
    "(mr.Xu",
    "named",
    "him",
    "call",
    "me",
    "shouted",
    "at",
    "so",
    '",',
    "dijo",
    "président",
    "Ministro",
    "Bundeskanzler",
    "Zeugin",
    "applicant,",
    "requérant",
    "K.",
    "A.B.",
    "X",
    "con",
    "avec",
    "with",
    "according",
    "to",
    "The",
    "State",
    "Anna",
    "Anna.",
    "Bob",
    "Ólafur",
    "end.",
    "ok!",
    "why?",
    "note:",
    "it",
    ".",
    ",",
    "\n",
    "\t",
    "  ",
  ];
  const text = fc.array(fc.constantFrom(...WORDS), { maxLength: 30 }).map((ws) => ws.join(" "));
  const cues = RECOGNIZERS.filter((r) => r.needs === "cueUpper");

  it("property: whenever a cue recognizer's pattern matches (and a capital follows the first token), the cheap gate lets it run", () => {
    expect(cues.map((r) => r.id).sort()).toEqual(["person-companion", "person-cue", "person-initials", "person-role", "person-says"]);
    fc.assert(
      fc.property(text, (t) => {
        const [later, cue] = capitalGates(t);
        for (const r of cues) {
          r.pattern.lastIndex = 0;
          if (later && r.pattern.test(t)) expect(cue).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("skips prose whose capitals open sentences", () => {
    expect(capitalGates("The model was trained. State of the art. However, it was slow.")[1]).toBe(false);
    expect(capitalGates("It was slow, said Anna.")[1]).toBe(true);
    expect(capitalGates("Thanks. mr. Xu will call.")[1]).toBe(true);
  });
});
