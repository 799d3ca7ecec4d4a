import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileBundle, evaluateBundle, normalizeEvidence } from "../../src/policy/index.js";

const seed = readFileSync("examples/policies/fairness.yaml", "utf8");
const seedTest = readFileSync("examples/policies/tests/fairness_test.yaml", "utf8");

/** Mutations of real policy text: byte flips, deletions, duplications and splices of random text. */
const mutated = (text: string) =>
  fc
    .array(
      fc.oneof(
        fc.record({
          kind: fc.constant("flip" as const),
          at: fc.nat(),
          ch: fc.constantFrom(":", "-", " ", "\n", "'", '"', "{", "[", "(", ")", "|", ">", "&", "#", "\t", "\u0000", "é"),
        }),
        fc.record({ kind: fc.constant("cut" as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
        fc.record({ kind: fc.constant("dup" as const), at: fc.nat(), len: fc.integer({ min: 1, max: 80 }) }),
        fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), text: fc.string({ maxLength: 20 }) }),
      ),
      { minLength: 1, maxLength: 6 },
    )
    .map((ops) => {
      let t = text;
      for (const op of ops) {
        const at = t.length ? op.at % t.length : 0;
        if (op.kind === "flip") t = t.slice(0, at) + op.ch + t.slice(at + 1);
        else if (op.kind === "cut") t = t.slice(0, at) + t.slice(at + op.len);
        else if (op.kind === "dup") t = t.slice(0, at) + t.slice(at, at + op.len) + t.slice(at);
        else t = t.slice(0, at) + op.text + t.slice(at);
      }
      return t;
    });

describe("policy bundle loader on hostile input", () => {
  it("never throws: every mutation is either a valid bundle or problems with positions inside the file", () => {
    fc.assert(
      fc.property(mutated(seed), mutated(seedTest), (policy, test) => {
        const bundle = compileBundle([
          { path: "fairness.yaml", text: policy },
          { path: "t.yaml", text: test },
        ]);
        for (const p of bundle.problems) {
          expect(p.line).toBeGreaterThanOrEqual(1);
          expect(p.column).toBeGreaterThanOrEqual(1);
          const text = p.file === "t.yaml" ? test : policy;
          expect(p.line).toBeLessThanOrEqual(text.split("\n").length + 1);
        }
        if (bundle.problems.length === 0) {
          const r = evaluateBundle(bundle, normalizeEvidence({ results: [{ check: "fairness", metrics: { disparateImpact: { a: 0.5 } } }] }));
          expect(["allow", "deny"]).toContain(r.decision);
        }
      }),
      { numRuns: 50 },
    );
  });

  it("random bytes as YAML never throw (aliases, NULs, invalid UTF-8)", () => {
    expect(compileBundle([{ path: "x.yaml", text: "*\u0000" }]).problems[0]).toMatchObject({ file: "x.yaml", line: 1 });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const bundle = compileBundle([{ path: "x.yaml", text: Buffer.from(bytes).toString("utf8") }]);
        expect(Array.isArray(bundle.problems)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
