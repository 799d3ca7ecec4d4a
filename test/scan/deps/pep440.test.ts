import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { comparePep440, formatPep440, normalizePep440, parsePep440, parseSpecifierSet, pinnedVersion, satisfiesPep440 } from "../../../src/scan/deps/pep440.js";

// Made by test/fixtures/deps/pep440_vectors.py from PyPA `packaging` (the reference implementation).
const vectors = JSON.parse(readFileSync(new URL("../../fixtures/deps/pep440-vectors.json", import.meta.url), "utf8")) as {
  normalize: Record<string, string | null>;
  ordered: string[];
  pairs: Array<[string, string, number]>;
  specifiers: Array<[string, string, boolean, boolean]>;
  validSpecifiers: Record<string, boolean>;
};

const v = (s: string) => {
  const p = parsePep440(s);
  if (!p) throw new Error(`not a version: ${s}`);
  return p;
};

describe("PEP 440 against packaging", () => {
  it("normalises and rejects exactly as packaging does", () => {
    for (const [text, expected] of Object.entries(vectors.normalize)) expect([text, normalizePep440(text) ?? null]).toEqual([text, expected]);
  });

  it("orders every pair as packaging does", () => {
    for (const [a, b, want] of vectors.pairs) expect([a, b, Math.sign(comparePep440(v(a), v(b)))]).toEqual([a, b, want]);
    const sorted = [...vectors.ordered].sort((a, b) => comparePep440(v(a), v(b)));
    expect(sorted.map(normalizePep440)).toEqual(vectors.ordered.map(normalizePep440));
  });

  it("accepts and rejects specifiers as packaging does", () => {
    for (const [spec, valid] of Object.entries(vectors.validSpecifiers)) expect([spec, parseSpecifierSet(spec) !== undefined]).toEqual([spec, valid]);
  });

  it("decides specifier membership as packaging does (pre-releases excluded and admitted)", () => {
    for (const [spec, candidate, dflt, withPre] of vectors.specifiers) {
      const set = parseSpecifierSet(spec)!;
      expect([spec, candidate, satisfiesPep440(candidate, set, { prereleases: false })]).toEqual([spec, candidate, dflt]);
      expect([spec, candidate, "pre", satisfiesPep440(candidate, set, { prereleases: true })]).toEqual([spec, candidate, "pre", withPre]);
    }
  });
});

describe("PEP 440 edge cases named by the spec", () => {
  it("epoch dominates, dev < pre < final < post", () => {
    expect(comparePep440(v("1!0.1"), v("2025.12"))).toBe(1);
    const chain = ["1.0.dev1", "1.0a1.dev1", "1.0a1", "1.0b1", "1.0rc1", "1.0", "1.0.post1.dev1", "1.0.post1", "1.0.1"];
    for (let i = 1; i < chain.length; i++) expect(comparePep440(v(chain[i - 1]!), v(chain[i]!))).toBe(-1);
  });

  it("finds the pinned version of a set", () => {
    expect(pinnedVersion(parseSpecifierSet("==1.4.0")!)).toBe("1.4.0");
    expect(pinnedVersion(parseSpecifierSet("==1.4.*")!)).toBeUndefined();
    expect(pinnedVersion(parseSpecifierSet(">=1.4")!)).toBeUndefined();
    expect(pinnedVersion(parseSpecifierSet("===foo")!)).toBe("foo");
  });
});

// Random well-formed versions in canonical parts.
const num = fc.bigInt({ min: 0n, max: 10n ** 20n });
const versionArb = fc.record({
  epoch: fc.oneof(fc.constant(0n), num),
  release: fc.array(num, { minLength: 1, maxLength: 5 }),
  pre: fc.option(fc.record({ label: fc.constantFrom("a" as const, "b" as const, "rc" as const), n: num }), { nil: undefined }),
  post: fc.option(num, { nil: undefined }),
  dev: fc.option(num, { nil: undefined }),
  local: fc.option(fc.array(fc.oneof(num, fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/)), { minLength: 1, maxLength: 3 }), { nil: undefined }),
});

describe("PEP 440 properties", () => {
  it("format then parse is the identity on canonical versions", () => {
    fc.assert(
      fc.property(versionArb, (x) => {
        const clean = Object.fromEntries(Object.entries(x).filter(([, val]) => val !== undefined)) as typeof x;
        const text = formatPep440(clean);
        expect(formatPep440(v(text))).toBe(text);
        expect(comparePep440(v(text), clean)).toBe(0);
      }),
    );
  });

  it("is a total order: antisymmetric and transitive", () => {
    fc.assert(
      fc.property(versionArb, versionArb, versionArb, (a, b, c) => {
        expect(Math.sign(comparePep440(a, b))).toBe(-Math.sign(comparePep440(b, a)));
        if (comparePep440(a, b) <= 0 && comparePep440(b, c) <= 0) expect(comparePep440(a, c)).toBeLessThanOrEqual(0);
      }),
    );
  });

  it("never throws on arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        parsePep440(s);
        parseSpecifierSet(s);
      }),
    );
  });
});
