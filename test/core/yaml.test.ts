import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LineCounter, parseDocument } from "yaml";
import * as z from "zod";
import { isRampartError, parseYaml, parseYamlValue, YAML_PARSE_OPTIONS, yamlProblems } from "../../src/core/index.js";
import { parsePnpmLock } from "../../src/scan/deps/lockfiles/index.js";
import { growthRatio } from "../helpers/cpu.js";

// CPU time of this process, not wall time: the ratio holds on a loaded machine.

const keys = (n: number) => Array.from({ length: n }, (_, i) => `k${i}: 1`).join("\n");

describe("YAML of untrusted files in linear time", () => {
  // The library's duplicate check was quadratic: a 20,000-entry pnpm-lock.yaml took 9.5 s of CPU.
  // Here 4x the keys cost 11-14x with the library's own check and 3.6-5.2x after the fix (session 32, CPU time).
  it.each([
    ["lockfiles and model cards", (t: string) => parseYamlValue(t, 100)],
    ["configuration files", (t: string) => parseYaml(z.object({}).loose(), t, "rampart.yaml")],
  ])(
    "a mapping of many keys costs about 4x for 4x the keys: %s",
    (_name, parse) => {
      // The cheapest of three alternating calls per size; a bound of 5 failed twice in CI (5.4x, 5.2x) on a linear
      // parse, so the bound sits between the two readings, at 8x.
      expect(growthRatio((n: number) => parse(keys(n)), 4_000, 16_000)).toBeLessThan(8);
    },
    60_000,
  );

  it("still refuses a repeated key, at the second one, in every reader", () => {
    expect(() => parseYamlValue("a: 1\nb:\n  c: 1\n  c: 2\n", 100)).toThrow(/^Map keys must be unique at line 4, column 3:$/);
    expect(() => parsePnpmLock("lockfileVersion: '9.0'\npackages: {}\npackages: {}\n", "pnpm-lock.yaml")).toThrow(/^pnpm-lock\.yaml:3: not valid YAML \(Map keys must be unique/);
    const err = (() => {
      try {
        parseYaml(z.object({}).loose(), "x: [1, {k: 1, k: 2}]\n", "rampart.yaml");
      } catch (e) {
        return e;
      }
    })();
    expect(isRampartError(err, "invalid-config") && err.message).toBe("rampart.yaml:1:15: Map keys must be unique");
  });

  it("keys that only look alike are not duplicates: 1 vs '1', NaN twice, keys in different mappings", () => {
    expect(parseYamlValue("1: a\n'1': b\n", 100)).toBeTruthy();
    expect(parseYamlValue("a: {k: 1}\nb: {k: 2}\n", 100)).toEqual({ a: { k: 1 }, b: { k: 2 } });
    expect(yamlProblems(parseDocument(".nan: 1\n.nan: 2\n", YAML_PARSE_OPTIONS))).toEqual([]);
  });

  it("a configuration file of aliases that expand past the limit is an input error, not an internal one", () => {
    const laughs = `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 8 }, (_, i) => `b${i}: &b${i} [${`*${i === 0 ? "a" : `b${i - 1}`}, `.repeat(10)}]`).join("\n")}\n`;
    expect(() => parseYaml(z.object({}).loose(), laughs, "rampart.yaml")).toThrow(/^rampart\.yaml: .*alias/i);
    try {
      parseYaml(z.object({}).loose(), laughs, "rampart.yaml");
    } catch (e) {
      expect(isRampartError(e, "invalid-config")).toBe(true);
    }
  });

  it("finds the same duplicate keys as the library's own check on random documents", () => {
    const key = fc.constantFrom("a", "b", "'a'", '"b"', "1", "'1'", "1.0", "null", "~", "true", ".nan");
    const doc = fc.array(fc.tuple(key, fc.constant(0), fc.constantFrom("1", "x", "{a: 1, a: 2}", "[1, {b: 1}]")), { maxLength: 8 });
    fc.assert(
      fc.property(doc, (entries) => {
        const text = entries.map(([k, , v]) => `${k}: ${v}`).join("\n");
        const theirs = parseDocument(text, { lineCounter: new LineCounter(), uniqueKeys: true, prettyErrors: false })
          .errors.filter((e) => e.code === "DUPLICATE_KEY")
          .map((e) => e.pos[0]);
        const ours = yamlProblems(parseDocument(text, { ...YAML_PARSE_OPTIONS, prettyErrors: false }))
          .filter((p) => p.message === "Map keys must be unique")
          .map((p) => p.offset);
        expect(ours.sort((x, y) => x - y)).toEqual(theirs.sort((x, y) => x - y));
      }),
      { numRuns: 300 },
    );
  });
});
