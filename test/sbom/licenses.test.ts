import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatSpdx, licenseFindings, parseCoreMetadata, parseSpdx, resolveLicense, type SpdxNode, SpdxParseError } from "../../src/sbom/index.js";

describe("SPDX expressions", () => {
  it("parses with WITH > AND > OR precedence and canonical ids", () => {
    expect(parseSpdx("mit OR apache-2.0 AND BSD-3-Clause")).toEqual({
      kind: "or",
      left: { kind: "license", id: "MIT", plus: false, known: true },
      right: { kind: "and", left: { kind: "license", id: "Apache-2.0", plus: false, known: true }, right: { kind: "license", id: "BSD-3-Clause", plus: false, known: true } },
    });
    expect(formatSpdx(parseSpdx("(MIT OR Apache-2.0) AND GPL-2.0-only WITH Classpath-exception-2.0"))).toBe("(MIT OR Apache-2.0) AND GPL-2.0-only WITH Classpath-exception-2.0");
    expect(parseSpdx("LGPL-2.1+")).toMatchObject({ kind: "license", id: "LGPL-2.1", plus: true });
    expect(parseSpdx("DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2")).toEqual({ kind: "ref", ref: "DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2" });
    expect(parseSpdx("Made-Up-1.0")).toMatchObject({ known: false });
  });

  it("rejects malformed expressions with a position", () => {
    for (const bad of ["", "MIT AND", "(MIT", "MIT)", "MIT OR OR GPL-2.0-only", "AND MIT", "MIT WITH", "MIT/Apache", "LicenseRef-a WITH x", "MIT aNd GPL-2.0"]) {
      expect(() => parseSpdx(bad), bad).toThrow(SpdxParseError);
    }
  });

  const id = fc.constantFrom("MIT", "Apache-2.0", "GPL-3.0-or-later", "BSD-2-Clause", "LicenseRef-x1", "CC-BY-4.0");
  const expr: fc.Arbitrary<string> = fc.letrec((tie) => ({
    e: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      id,
      fc.tuple(tie("e"), fc.constantFrom(" AND ", " OR "), tie("e")).map(([a, op, b]) => `(${a}${op}${b})`),
    ),
  })).e as fc.Arbitrary<string>;

  // Meaning of an expression as a boolean formula: which licence sets satisfy it.
  const holds = (n: SpdxNode, ok: Set<string>): boolean =>
    n.kind === "and" ? holds(n.left, ok) && holds(n.right, ok) : n.kind === "or" ? holds(n.left, ok) || holds(n.right, ok) : ok.has(n.kind === "ref" ? n.ref : n.id);

  it("format is a fixed point of parse and keeps the meaning (round trip)", () => {
    fc.assert(
      fc.property(expr, fc.subarray(["MIT", "Apache-2.0", "GPL-3.0-or-later", "BSD-2-Clause", "LicenseRef-x1", "CC-BY-4.0"]), (e, chosen) => {
        const once = formatSpdx(parseSpdx(e));
        expect(formatSpdx(parseSpdx(once))).toBe(once);
        expect(holds(parseSpdx(once), new Set(chosen))).toBe(holds(parseSpdx(e), new Set(chosen)));
      }),
    );
  });

  it("never throws anything but SpdxParseError on arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        try {
          parseSpdx(s);
        } catch (e) {
          if (!(e instanceof SpdxParseError)) throw e;
        }
      }),
    );
  });
});

describe("licence resolution and policy", () => {
  const verdict = (raw: string | undefined, kind: "library" | "model" = "library", policy?: Parameters<typeof licenseFindings>[1]) =>
    licenseFindings({ name: "x", kind, license: raw === undefined ? undefined : resolveLicense(raw) }, policy).map((f) => `${f.ruleId}/${f.severity}`);

  it("maps common free-form spellings and hub ids", () => {
    expect(
      ["MIT License", "Apache Software License", "BSD", "License :: OSI Approved :: MIT License", "apache-2.0", "llama3.1", "openrail++", "Public Domain"].map(
        (l) => resolveLicense(l).expression,
      ),
    ).toEqual(["MIT", "Apache-2.0", "BSD-3-Clause", "MIT", "Apache-2.0", "LicenseRef-llama3.1", "LicenseRef-openrail-plus-plus", "LicenseRef-public-domain"]);
  });

  it("flags copyleft by strength, picks the best OR branch and the worst AND branch", () => {
    expect(verdict("MIT")).toEqual([]);
    expect(verdict("LGPL-2.1-only")).toEqual(["license.copyleft/low"]);
    expect(verdict("GPL-3.0-or-later")).toEqual(["license.copyleft/medium"]);
    expect(verdict("AGPL-3.0-only")).toEqual(["license.copyleft/medium"]);
    expect(verdict("MIT OR GPL-3.0-only")).toEqual([]);
    expect(verdict("MIT AND GPL-3.0-only")).toEqual(["license.copyleft/medium"]);
    expect(verdict("cc-by-nc-4.0", "model")).toEqual(["license.restricted/medium"]);
    expect(verdict("openrail", "model")).toEqual(["license.restricted/medium"]);
    expect(verdict(undefined, "model")).toEqual(["license.unknown/medium"]);
    expect(verdict("Some Custom Terms")).toEqual(["license.unknown/low"]);
  });

  it("honours allow, deny and copyleft settings", () => {
    const policy = { allow: [], deny: ["GPL-*"], copyleft: "flag" as const, unknown: "flag" as const };
    expect(verdict("GPL-2.0-only", "library", policy)).toEqual(["license.denied/high"]);
    expect(verdict("MIT OR GPL-2.0-only", "library", policy)).toEqual([]); // the licensee can choose MIT
    expect(verdict("LGPL-3.0-only", "library", { ...policy, copyleft: "allow" })).toEqual([]);
    expect(verdict("LGPL-3.0-only", "library", { ...policy, copyleft: "deny" })).toEqual(["license.denied/high"]);
    expect(verdict("ISC", "library", { ...policy, allow: ["MIT"] })).toEqual(["license.not-allowed/medium"]);
    expect(verdict(undefined, "library", { ...policy, unknown: "deny" })).toEqual(["license.denied/high"]);
  });

  it("reads Python core metadata headers only", () => {
    expect(parseCoreMetadata("Metadata-Version: 2.4\nName: x\nVersion: 1\nLicense-Expression: MIT\nLicense: GPL\n\nLicense: body\n")).toEqual({
      name: "x",
      version: "1",
      license: "MIT",
    });
    expect(parseCoreMetadata("Name: y\nLicense: UNKNOWN\nClassifier: License :: OSI Approved :: BSD License\n")?.license).toBe("License :: OSI Approved :: BSD License");
    expect(parseCoreMetadata("no headers")).toBeUndefined();
  });
});
