import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  comparePep440,
  compareSemver,
  cvss2BaseScore,
  cvss3BaseScore,
  cvss4Score,
  inRange,
  isCvss4Vector,
  matchAdvisory,
  OsvAdvisory,
  parsePep440,
  parseSemver,
  scoreBand,
  severityFromOsv,
} from "../../../src/scan/deps/index.js";

const OSV = new URL("../../fixtures/deps/osv/", import.meta.url).pathname;
const load = (eco: string, id: string) => OsvAdvisory.parse(JSON.parse(readFileSync(join(OSV, eco, `${id}.json`), "utf8")));

describe("CVSS base scores", () => {
  // Scores published by NVD for these vectors.
  const v3: Array<[string, number]> = [
    ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8],
    ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0], // Log4Shell
    ["CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", 5.5],
    ["CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1],
    ["CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H", 7.2], // lodash CVE-2021-23337
    ["CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.1],
    ["CVSS:3.0/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 7.8],
    ["CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N", 5.4], // jinja2 CVE-2024-22195
    ["CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:L", 1.6],
    ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0],
  ];
  for (const [vector, score] of v3) it(vector, () => expect(cvss3BaseScore(vector)).toBe(score));

  // Scores from FIRST's CVSS v4.0 calculator (its upstream, Red Hat's cvss-v4-calculator at
  // d1eafe0, Nov 2024, which rounds with a 1e-6 guard against float error), run beside Rampart on
  // all 104,976 base vectors with no difference; every 97th vector and 4 threat/environmental
  // vectors are kept in the fixture.
  const v4 = JSON.parse(readFileSync(new URL("../../fixtures/deps/cvss4-vectors.json", import.meta.url), "utf8")) as Array<[string, number]>;
  it(`CVSS v4.0 scores of ${v4.length} vectors equal FIRST's calculator`, () => {
    const wrong = v4.filter(([vector, score]) => cvss4Score(vector) !== score);
    expect(v4.length).toBeGreaterThan(1000);
    expect(wrong).toEqual([]);
  });

  it("CVSS v4.0 published examples and malformed vectors", () => {
    // FIRST CVSS v4.0 examples / NVD: CVE-2025-32434 (torch.load) is 9.3.
    expect(cvss4Score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N")).toBe(9.3);
    expect(cvss4Score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H")).toBe(10);
    expect(cvss4Score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N")).toBe(0);
    for (const bad of [
      "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N", // SA missing
      "CVSS:4.0/AC:L/AV:N/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", // out of order
      "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/SA:N", // repeated
      "CVSS:4.0/AV:X/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", // X is not a base value
      "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/ZZ:A",
      "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
      "",
    ])
      expect(isCvss4Vector(bad), bad).toBe(false);
    expect(cvss4Score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U")).toBe(8.1); // CVSS-BT, as FIRST's calculator gives
    expect(isCvss4Vector("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A/MSI:S/U:Amber")).toBe(true);
  });

  it("OSV severities: v4 is scored alongside v3.x and the newest version decides", () => {
    const s = severityFromOsv([
      { type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" },
      { type: "CVSS_V4", score: "CVSS:4.0/AV:N/AC:H/AT:P/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N" },
      { type: "CVSS_V2", score: "AV:N/AC:L/Au:N/C:P/I:P/A:P" },
    ]);
    expect(s?.scores.map((x) => [x.type, x.score])).toEqual([
      ["CVSS_V3", 9.8],
      ["CVSS_V4", cvss4Score("CVSS:4.0/AV:N/AC:H/AT:P/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N")],
      ["CVSS_V2", 7.5],
    ]);
    expect(s?.vector).toMatch(/^CVSS:4\.0/);
    expect(severityFromOsv([{ type: "CVSS_V4", score: "CVSS:4.0/bogus" }])).toBeUndefined();
  });

  it("v2 vectors and malformed vectors", () => {
    expect(cvss2BaseScore("AV:N/AC:L/Au:N/C:P/I:P/A:P")).toBe(7.5);
    expect(cvss2BaseScore("AV:N/AC:M/Au:N/C:N/I:P/A:N")).toBe(4.3);
    expect(cvss3BaseScore("CVSS:3.1/AV:N/AC:L")).toBeUndefined();
    expect(cvss3BaseScore("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")).toBeUndefined();
    expect(cvss3BaseScore("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N")).toBeUndefined();
    expect([9.0, 8.9, 7.0, 6.9, 4.0, 3.9, 0.1, 0].map((s) => scoreBand(s))).toEqual(["critical", "high", "high", "medium", "medium", "low", "low", "info"]);
  });
});

describe("OSV range evaluation", () => {
  it("introduced/fixed over PEP 440 order, with the version list as a shortcut", () => {
    const torch = load("PyPI", "GHSA-53q9-r3pm-6pq6");
    expect(matchAdvisory(torch, "PyPI", "torch", "2.5.1")?.fixed).toEqual(["2.6.0"]);
    expect(matchAdvisory(torch, "PyPI", "torch", "2.6.0rc1")).toBeDefined(); // a pre-release of the fix is still before it
    expect(matchAdvisory(torch, "PyPI", "torch", "2.6.0")).toBeUndefined();
    expect(matchAdvisory(torch, "PyPI", "torch", "2.6.0+cpu")).toBeUndefined();
    expect(matchAdvisory(torch, "PyPI", "torch", "2.5.1+cu121")).toBeDefined();
    expect(matchAdvisory(torch, "PyPI", "Torch", "1.13.0")).toBeDefined(); // PEP 503 names
    // Severity: only a CVSS v4 vector, scored 9.3 (NVD's figure for CVE-2025-32434).
    expect(matchAdvisory(torch, "PyPI", "torch", "2.5.1")).toMatchObject({ severity: "critical", score: 9.3 });
    const yaml = load("PyPI", "PYSEC-2021-142");
    expect(matchAdvisory(yaml, "PyPI", "PyYAML", "5.3.1")?.severity).toBe("critical");
    expect(matchAdvisory(yaml, "PyPI", "pyyaml", "5.4")).toBeUndefined();
    expect(matchAdvisory(yaml, "PyPI", "pyyaml", "5.4b1")).toBeDefined(); // pre-release of the fixed version
    expect(matchAdvisory(yaml, "PyPI", "py-yaml", "5.3")).toBeUndefined(); // another package
  });

  it("last_affected is inclusive", () => {
    const pillow = load("PyPI", "GHSA-jjg7-2v4v-x38h");
    expect(matchAdvisory(pillow, "PyPI", "pillow", "10.1.0")).toBeDefined();
    expect(matchAdvisory(pillow, "PyPI", "pillow", "10.1.0.post1")).toBeUndefined();
    expect(matchAdvisory(pillow, "PyPI", "pillow", "10.1.1.dev0")).toBeUndefined();
    expect(matchAdvisory(pillow, "PyPI", "pillow", "10.1")).toBeDefined(); // == 10.1.0
    expect(matchAdvisory(pillow, "PyPI", "pillow", "10.1.0")?.fixed).toEqual([]);
  });

  it("pre/post-release bounds, limits and epochs", () => {
    const edge = load("PyPI", "GHSA-TEST-epoch-local");
    const hit = (v: string) => matchAdvisory(edge, "PyPI", "edge-case-pkg", v) !== undefined;
    expect(["1.0b9", "1.0rc1", "1.0rc2.dev1", "1.0", "1.0+local", "1.0.post1.dev0"].map(hit)).toEqual([false, true, true, true, true, true]);
    expect(["1.0.post1", "1.1", "2.0.dev1", "2.0", "2.4.9", "2.5", "1!1.0"].map(hit)).toEqual([false, false, false, true, true, false, false]);
    expect(hit("not a version")).toBe(false);
  });

  it("SemVer ranges with pre-releases, explicit versions, several affected entries", () => {
    const edge = load("npm", "GHSA-TEST-prerelease");
    const hit = (v: string) => matchAdvisory(edge, "npm", "@scope/edge", v) !== undefined;
    expect(["2.0.0-alpha.1", "2.0.0-alpha.2", "2.0.0-alpha.10", "2.0.0-beta", "2.0.0-rc.1", "2.0.0", "1.9.9", "1.9.8"].map(hit)).toEqual([
      false,
      true,
      true,
      true,
      false,
      false,
      true,
      false,
    ]);
    const minimist = load("npm", "GHSA-xvch-5gv4-984h");
    expect(matchAdvisory(minimist, "npm", "minimist", "0.2.3")?.fixed).toEqual(["0.2.4"]);
    expect(matchAdvisory(minimist, "npm", "minimist", "0.2.4")).toBeUndefined();
    expect(matchAdvisory(minimist, "npm", "minimist", "1.2.5")?.fixed).toEqual(["1.2.6"]);
    expect(matchAdvisory(minimist, "npm", "minimist", "1.2.6")).toBeUndefined();
    expect(matchAdvisory(minimist, "PyPI", "minimist", "1.2.5")).toBeUndefined(); // ecosystem must match
  });

  it("withdrawn advisories never match; GIT ranges are not evaluated", () => {
    const w = load("PyPI", "PYSEC-2099-WITHDRAWN");
    expect(matchAdvisory(w, "PyPI", "numpy", "1.0")).toBeUndefined();
    expect(inRange("PyPI", { type: "GIT", events: [{ introduced: "0" }] }, "1.0")).toBeUndefined();
    expect(inRange("Maven", { type: "ECOSYSTEM", events: [{ introduced: "0" }] }, "1.0")).toBe(true); // Maven order is known now
    expect(inRange("RubyGems", { type: "ECOSYSTEM", events: [{ introduced: "0" }] }, "1.0")).toBeUndefined();
  });

  it("every fixture parses as an OSV record", () => {
    for (const eco of ["PyPI", "npm"]) for (const f of readdirSync(join(OSV, eco))) expect(() => load(eco, f.replace(/\.json$/, ""))).not.toThrow();
  });
});

describe("OSV range evaluation, property-checked against interval semantics", () => {
  const ident = fc.oneof(fc.nat({ max: 9 }).map(String), fc.constantFrom("alpha", "beta", "rc"));
  const semver = fc
    .tuple(fc.nat({ max: 3 }), fc.nat({ max: 3 }), fc.nat({ max: 3 }), fc.array(ident, { maxLength: 2 }))
    .map(([a, b, c, pre]) => `${a}.${b}.${c}${pre.length ? `-${pre.join(".")}` : ""}`);
  const pep = fc.tuple(fc.nat({ max: 3 }), fc.nat({ max: 3 }), fc.option(fc.constantFrom("a1", "b2", "rc1", ".post1", ".dev3"))).map(([a, b, s]) => `${a}.${b}${s ?? ""}`);

  for (const [ecosystem, arb, type] of [
    ["npm", semver, "SEMVER"],
    ["PyPI", pep, "ECOSYSTEM"],
  ] as const) {
    it(`${ecosystem}: affected exactly when introduced <= v < fixed (or <= last_affected) for some interval`, () => {
      const cmp = (a: string, b: string) => (ecosystem === "npm" ? compareSemver(parseSemver(a)!, parseSemver(b)!) : comparePep440(parsePep440(a)!, parsePep440(b)!));
      fc.assert(
        fc.property(
          fc.uniqueArray(arb, { minLength: 2, maxLength: 6, comparator: (a, b) => cmp(a, b) === 0 }),
          arb,
          fc.boolean(),
          fc.boolean(),
          (points, v, lastAffected, openEnded) => {
            const sorted = [...points].sort(cmp);
            // Disjoint intervals [p0, p1), [p2, p3), …; the last may stay open or use last_affected.
            const events: Array<Record<string, string>> = [];
            const intervals: Array<[string, string | undefined, boolean]> = [];
            for (let i = 0; i < sorted.length; i += 2) {
              const lo = sorted[i]!;
              const hi = sorted[i + 1];
              const last = i + 2 >= sorted.length;
              events.push({ introduced: lo });
              if (hi === undefined || (last && openEnded)) intervals.push([lo, undefined, false]);
              else if (last && lastAffected) {
                events.push({ last_affected: hi });
                intervals.push([lo, hi, true]);
              } else {
                events.push({ fixed: hi });
                intervals.push([lo, hi, false]);
              }
              if (hi !== undefined && last && openEnded) break;
            }
            const expected = intervals.some(([lo, hi, inclusive]) => cmp(lo, v) <= 0 && (hi === undefined || (inclusive ? cmp(v, hi) <= 0 : cmp(v, hi) < 0)));
            // Event order in the record must not matter: shuffle by reversing.
            const adv = OsvAdvisory.parse({
              id: "P",
              modified: "2024-01-01T00:00:00Z",
              affected: [{ package: { ecosystem, name: "p" }, ranges: [{ type, events: [...events].reverse() }] }],
            });
            expect(matchAdvisory(adv, ecosystem, "p", v) !== undefined).toBe(expected);
          },
        ),
        { numRuns: 300 },
      );
    });
  }
});
