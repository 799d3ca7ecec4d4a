/**
 * Session 16's engine changes do the same work more cheaply: the phone check read from libphonenumber's
 * metadata may only say "valid" where libphonenumber's parse does, and the tagger's compact weight table
 * must give the same emission scores as the full table.
 */
import { getCountries, getExampleNumber, parsePhoneNumberFromString } from "libphonenumber-js/max";
import examples from "libphonenumber-js/mobile/examples";
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/data/pii/index.js";
import { validByMetadata } from "../../src/data/pii/phone-check.js";
import { compactWeights, emissions, emissionsCompact, MAX_FEATURES } from "../../src/data/pii/tagger.js";
import { growthRatio } from "../helpers/cpu.js";

/** A small seeded generator (LCG), so every run checks the same numbers. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
}

function libValid(input: string, region: string): boolean {
  return parsePhoneNumberFromString(input, { defaultCountry: region as never, extract: false })?.isValid() ?? false;
}

/** [input, region] pairs: every country's example number in four forms, and copies with digits changed. */
function exampleCases(seed: number, copies: number): Array<[string, string]> {
  const rnd = lcg(seed);
  const mutate = (s: string) => s.replace(/\d/g, (d) => (rnd() < 0.3 ? String(Math.floor(rnd() * 10)) : d));
  const out: Array<[string, string]> = [];
  for (const country of getCountries()) {
    const example = getExampleNumber(country, examples);
    if (!example) continue;
    for (let k = 0; k <= copies; k++) {
      const n = k === 0 ? example : (parsePhoneNumberFromString(mutate(example.number), country) ?? example);
      for (const form of [n.formatInternational(), n.formatNational(), n.nationalNumber, `+${n.countryCallingCode}${n.nationalNumber}`])
        for (const region of [country, "US", "DE", "FR", "GB", "ES"]) out.push([k === 0 ? form : mutate(form), region]);
    }
  }
  return out;
}

/** Random digit strings in groups, with "+" and a calling code, a trunk 0, or neither. */
function randomCases(seed: number, count: number): Array<[string, string]> {
  const rnd = lcg(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join("");
  const group = (d: string) => {
    let out = "";
    for (let i = 0; i < d.length; ) {
      const k = 1 + Math.floor(rnd() * 4);
      out += (i ? pick([" ", "-", ".", "", "  "]) : "") + d.slice(i, i + k);
      i += k;
    }
    return rnd() < 0.1 ? `(${out.slice(0, 3)})${out.slice(3)}` : out;
  };
  const codes = [
    "1",
    "7",
    "20",
    "27",
    "30",
    "31",
    "32",
    "33",
    "34",
    "39",
    "41",
    "43",
    "44",
    "45",
    "46",
    "49",
    "52",
    "55",
    "61",
    "81",
    "86",
    "91",
    "351",
    "352",
    "353",
    "358",
    "420",
    "880",
    "971",
  ];
  const regions = ["US", "DE", "FR", "GB", "ES", "IT", "CA", "BR", "IN", "RU"];
  const out: Array<[string, string]> = [];
  for (let k = 0; k < count; k++) {
    const form = rnd();
    const length = 5 + Math.floor(rnd() * 10);
    if (form < 0.4) out.push([`+${pick(codes)} ${group(digits(length))}`, pick(regions)]);
    else if (form < 0.7) out.push([group(`0${digits(length)}`), pick(regions)]);
    else out.push([group(digits(length + 1)), pick(regions)]);
  }
  return out;
}

describe("phone validity from libphonenumber's metadata (validByMetadata)", () => {
  // Every case also runs the full parse (20–60 µs each on a loaded machine): a longer timeout.
  it.each([
    ["example numbers of every country, four forms, six regions, digits changed", () => exampleCases(16, 2)],
    ["random grouped numbers", () => randomCases(20261127, 20_000)],
  ])(
    "%s: valid only where libphonenumber's parse says valid, and for most of those",
    (_name, make) => {
      let valid = 0;
      let quick = 0;
      const wrong: string[] = [];
      for (const [input, region] of make()) {
        const fast = validByMetadata(input, region);
        const full = libValid(input, region);
        if (full) valid++;
        if (fast && full) quick++;
        if (fast && !full) wrong.push(`${input} (${region})`);
      }
      expect(wrong).toEqual([]);
      expect(valid).toBeGreaterThan(1_000);
      // Most valid numbers need no parse (the rest are parsed: never wrong, only slower).
      expect(quick / valid).toBeGreaterThan(0.9);
    },
    120_000,
  );

  it("answers the benchmark's shapes without a parse, and leaves unsure forms to the parse", () => {
    for (const [input, region] of [
      ["+33 1 77 25 74 10", "US"],
      ["+34 612 557 098", "US"],
      ["+44 20 7694 8447", "US"],
      ["+49 30 2283448", "US"],
      ["+1 303-485-7977", "US"],
      ["(617)  399-2896", "US"],
      ["030 7712595", "DE"],
      ["01 77 48 35 86", "FR"],
    ] as const) {
      expect(libValid(input, region)).toBe(true);
      expect(validByMetadata(input, region)).toBe(true);
    }
    // An international call prefix, a calling code without "+", a letter, an unknown code: not sure.
    for (const [input, region] of [
      ["011 44 20 7694 8447", "US"],
      ["1 303 485 7977", "US"],
      ["+44 20 7694 844x", "US"],
      ["+999 123 4567", "US"],
      ["", "US"],
    ] as const)
      expect(validByMetadata(input, region)).toBe(false);
  });
});

describe("the tagger's compact weight table", () => {
  it("gives the same emission scores as the full table", () => {
    const rnd = lcg(5);
    const buckets = 1 << 14;
    const full = new Int8Array(buckets * 3);
    // Sparse like the shipped model (~4 % of buckets hold a weight), including the extremes and bucket 31 of a group.
    for (let x = 0; x < buckets; x++) {
      if (rnd() < 0.04 || x % 32 === 31) for (let t = 0; t < 3; t++) full[3 * x + t] = rnd() < 0.3 ? 0 : Math.floor(rnd() * 256) - 128;
    }
    full[0] = -128;
    full[3 * (buckets - 1) + 2] = 127;
    const table = compactWeights(full);
    expect(table.packed.length).toBeLessThan(buckets / 10);
    const len = 7;
    const feats = new Int32Array(len * MAX_FEATURES);
    const nf = new Int32Array(len);
    const a = new Float64Array(len * 3);
    const b = new Float64Array(len * 3);
    for (let round = 0; round < 200; round++) {
      for (let p = 0; p < len; p++) {
        nf[p] = 1 + Math.floor(rnd() * (MAX_FEATURES - 1));
        for (let j = 0; j < nf[p]!; j++) feats[p * MAX_FEATURES + j] = rnd() < 0.5 ? Math.floor(rnd() * buckets) : (Math.floor(rnd() * (buckets / 32)) * 32 + 31) % buckets;
      }
      emissions(full, feats, nf, len, a, 0.168);
      emissionsCompact(table, feats, nf, len, b, 0.168);
      expect([...b]).toEqual([...a]);
    }
  });
});

describe("hostile text on the changed paths", () => {
  it.each([
    ["phone-shaped numbers with calling codes, one line", (n: number) => "+44 20 7694 8447 +33 1 77 25 74 10 ".repeat(n)],
    ["trunk numbers, one line", (n: number) => "030 7712595 01 77 48 35 86 ".repeat(n)],
    ["capitalised German-looking words, one line", (n: number) => "Herr Klaus Müllerschmidt Straßenbahnfahrer ".repeat(n)],
  ])("%s: 4x the text costs well under 16x the CPU", (_name, make) => {
    const small = make(400);
    const large = make(1_600);
    // Linear is 4x; a quadratic path would be 16x. The bound leaves room for a loaded machine.
    expect(growthRatio(analyze, small, large)).toBeLessThan(9);
  });
});
