import fc from "fast-check";
import nodeSemver from "semver";
import { describe, expect, it } from "vitest";
import { compareSemver, formatSemver, npmPinned, parseNpmRange, parseSemver, satisfiesNpm } from "../../../src/scan/deps/semver.js";

const p = (s: string) => parseSemver(s)!;

describe("SemVer 2.0 precedence", () => {
  it("orders the example chain of semver.org §11", () => {
    const chain = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "2.0.0", "2.1.0", "2.1.1"];
    for (let i = 1; i < chain.length; i++) expect(compareSemver(p(chain[i - 1]!), p(chain[i]!))).toBe(-1);
  });

  it("ignores build metadata and rejects malformed versions", () => {
    expect(compareSemver(p("1.0.0+a"), p("1.0.0+b"))).toBe(0);
    for (const bad of ["1.0", "01.0.0", "1.0.0-01", "1.0.0-", "1.0.0+", "a.b.c", "1.0.0-a..b"]) expect(parseSemver(bad)).toBeUndefined();
  });

  // Reference: node-semver, the implementation npm itself uses.
  const ident = fc.oneof(fc.nat({ max: 30 }).map(String), fc.stringMatching(/^[a-z][a-z0-9-]{0,4}$/));
  const semverArb = fc
    .tuple(fc.nat({ max: 5 }), fc.nat({ max: 5 }), fc.nat({ max: 5 }), fc.array(ident, { maxLength: 3 }))
    .map(([a, b, c, pre]) => `${a}.${b}.${c}${pre.length ? `-${pre.join(".")}` : ""}`);

  it("agrees with node-semver on random pairs", () => {
    fc.assert(
      fc.property(semverArb, semverArb, (a, b) => {
        expect(Math.sign(compareSemver(p(a), p(b)))).toBe(nodeSemver.compare(a, b));
        expect(formatSemver(p(a))).toBe(a);
      }),
      { numRuns: 1000 },
    );
  });

  const rangeArb = fc.oneof(
    fc.tuple(fc.constantFrom("^", "~", ">=", "<=", ">", "<", "=", ""), semverArb).map(([op, v]) => `${op}${v}`),
    fc.tuple(fc.constantFrom("^", "~", ""), fc.nat({ max: 5 }), fc.option(fc.nat({ max: 5 }))).map(([op, a, b]) => `${op}${a}${b === null ? "" : `.${b}`}`),
    fc.tuple(fc.nat({ max: 5 }), fc.constantFrom("x", "*")).map(([a, x]) => `${a}.${x}`),
    fc.tuple(semverArb, semverArb).map(([a, b]) => `${a} - ${b}`),
    fc.tuple(semverArb, fc.nat({ max: 5 })).map(([a, b]) => `${a} - ${b}`),
  );

  it("agrees with node-semver's satisfies on random ranges", () => {
    fc.assert(
      fc.property(fc.array(rangeArb, { minLength: 1, maxLength: 2 }), fc.boolean(), semverArb, (parts, union, v) => {
        // node-semver reads a hyphen range only when it is the whole comparator set.
        const range = parts.join(union || parts.some((x) => x.includes(" - ")) ? " || " : " ");
        const parsed = parseNpmRange(range);
        expect(parsed, range).toBeDefined();
        expect([range, v, satisfiesNpm(v, parsed!)]).toEqual([range, v, nodeSemver.satisfies(v, range)]);
      }),
      { numRuns: 1000 },
    );
  });

  it("handles the documented range forms", () => {
    const cases: Array<[string, string, boolean]> = [
      ["^1.2.3", "1.9.9", true],
      ["^1.2.3", "2.0.0", false],
      ["^0.2.3", "0.3.0", false],
      // A written `-0` lower bound admits its own pre-releases (found by the property test above).
      ["1.2.1-0 - 1.2.1 || ^0.0.0", "1.2.1-a", true],
      [">=1.2.1-0 <=1.2.1", "1.2.1-a", true],
      ["^0.0.3", "0.0.4", false],
      ["~1.2", "1.2.9", true],
      ["~1.2", "1.3.0", false],
      ["1.x", "1.99.0", true],
      ["*", "3.0.0", true],
      ["*", "3.0.0-beta", false],
      ["^1.2.3-beta.2", "1.2.3-beta.4", true],
      ["^1.2.3-beta.2", "1.2.4-beta.1", false],
      ["1.2.3 - 2.3", "2.3.9", true],
      [">=1.0.0 <2.0.0 || >=3", "3.1.0", true],
    ];
    for (const [range, v, want] of cases) expect([range, v, satisfiesNpm(v, parseNpmRange(range)!)]).toEqual([range, v, want]);
    expect(npmPinned("1.2.3")).toBe("1.2.3");
    expect(npmPinned("^1.2.3")).toBeUndefined();
  });
});
