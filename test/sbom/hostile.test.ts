import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY, leaves, licenseFindings, MAX_SPDX_NESTING, MAX_SPDX_TERMS, parseSpdx, resolveLicense } from "../../src/sbom/index.js";

// Licence texts come from package metadata and model cards: untrusted. Deep parentheses or a
// 20,000-term chain overflowed the call stack (RangeError: an internal error that ended the SBOM run).
describe("SPDX expressions of hostile size", () => {
  it.each([
    ["20,000 nested parentheses", `${"(".repeat(20_000)}MIT${")".repeat(20_000)}`, /nested more than 32 deep/],
    ["a 20,000-term AND chain", `${"MIT AND ".repeat(20_000)}MIT`, /more than 512 licence terms/],
    ["a 20,000-term OR chain of references", `${"LicenseRef-a OR ".repeat(20_000)}LicenseRef-b`, /more than 512 licence terms/],
  ])("%s is reported as not an expression, not thrown", (_name, text, why) => {
    const r = resolveLicense(text);
    expect(r.error).toMatch(why);
    expect(r.node).toBeUndefined();
    const findings = licenseFindings({ name: "pkg:npm/x@1.0.0", kind: "library", license: r }, DEFAULT_POLICY);
    expect(findings.length).toBeGreaterThan(0);
  });

  it("the bounds leave every real expression alone: the largest allowed parse, format and judge", () => {
    const chain = Array.from({ length: MAX_SPDX_TERMS }, (_, i) => (i % 2 ? "MIT" : "Apache-2.0")).join(" AND ");
    const r = resolveLicense(chain);
    expect(r.error).toBeUndefined();
    expect(leaves(r.node!)).toHaveLength(MAX_SPDX_TERMS);
    expect(
      leaves(r.node!)
        .map((l) => (l.kind === "license" ? l.id : l.ref))
        .slice(0, 3),
    ).toEqual(["Apache-2.0", "MIT", "Apache-2.0"]);
    const nested = `${"(".repeat(MAX_SPDX_NESTING)}MIT OR GPL-3.0-only${")".repeat(MAX_SPDX_NESTING)}`;
    expect(parseSpdx(nested)).toMatchObject({ kind: "or" });
  });
});
