import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isRampartError } from "../../../src/core/index.js";
import { collectDependencies, type Dependency, matchAdvisory, matchDependencies, memoryAdvisories, OsvAdvisory, purlOf } from "../../../src/scan/deps/index.js";
import { parseCargoLock, parseGoMod, parseGoSum, parseGradleLock, parsePom } from "../../../src/scan/deps/lockfiles/index.js";
import { compareMaven, parseMaven } from "../../../src/scan/deps/maven.js";
import { tempDir } from "../../helpers/db.js";

const PROJECT = new URL("../../fixtures/deps/polyglot/", import.meta.url).pathname;
const OSV = new URL("../../fixtures/deps/osv-polyglot/", import.meta.url).pathname;
const advisories = readdirSync(OSV).flatMap((eco) => readdirSync(join(OSV, eco)).map((f) => OsvAdvisory.parse(JSON.parse(readFileSync(join(OSV, eco, f), "utf8")))));
const brief = (ds: Dependency[] | undefined) =>
  (ds ?? []).map((d) => `${d.name}@${d.version ?? d.spec ?? ""}${d.unpinned ? "!" : ""}${d.dev ? " dev" : ""}${d.direct === false ? " indirect" : ""}`);

describe("Maven version order (POM reference, Maven's ComparableVersion)", () => {
  // Orders from Maven's own ComparableVersion tests.
  const qualifiers = [
    "1-alpha2snapshot",
    "1-alpha2",
    "1-alpha-123",
    "1-beta-2",
    "1-beta123",
    "1-m2",
    "1-m11",
    "1-rc",
    "1-cr2",
    "1-rc123",
    "1-SNAPSHOT",
    "1",
    "1-sp",
    "1-sp2",
    "1-sp123",
    "1-abc",
    "1-def",
    "1-pom-1",
    "1-1-snapshot",
    "1-1",
    "1-2",
    "1-123",
  ];
  const numbers = [
    "2.0",
    "2.0.a",
    "2-1",
    "2.0.2",
    "2.0.123",
    "2.1.0",
    "2.1-a",
    "2.1b",
    "2.1-c",
    "2.1-1",
    "2.1.0.1",
    "2.2",
    "2.123",
    "11.a2",
    "11.a11",
    "11.b2",
    "11.b11",
    "11.m2",
    "11.m11",
    "11",
    "11.a",
    "11b",
    "11c",
    "11m",
  ];
  const cmp = (a: string, b: string) => compareMaven(parseMaven(a)!, parseMaven(b)!);
  for (const [name, list] of [
    ["qualifiers", qualifiers],
    ["numbers", numbers],
  ] as const)
    it(`orders every pair of the ${name} list`, () => {
      for (let i = 0; i < list.length; i++) for (let j = 0; j < list.length; j++) expect(Math.sign(cmp(list[i]!, list[j]!)), `${list[i]} vs ${list[j]}`).toBe(Math.sign(i - j));
    });
  it("equal spellings", () => {
    for (const group of [
      ["1", "1.0", "1.0.0", "1-0", "1.0-0"],
      ["1ga", "1-ga", "1.ga", "1.0-ga", "1-final", "1.RELEASE", "1"],
      ["1a1", "1-alpha-1", "1alpha1", "1-ALPHA-1"],
      ["1cr", "1rc", "1-cr", "1.rc"],
    ])
      for (const v of group) expect(cmp(group[0]!, v), `${group[0]} = ${v}`).toBe(0);
    expect(cmp("2.0-beta9", "2.0")).toBeLessThan(0);
    expect(cmp("32.1.2-jre", "32.1.2-android")).toBeGreaterThan(0); // unknown qualifiers: lexical
  });
  // Maven's own order is not transitive for odd strings ("1" / "1.x.0" / "1.alpha",
  // "1-final-alpha" / "1" / "1-m-alpha"); we keep Maven's answers, so only antisymmetry is a property.
  it("is antisymmetric and reflexive on random versions and never throws", () => {
    const part = fc.oneof(fc.nat(30).map(String), fc.constantFrom("alpha", "a", "beta", "b", "m", "rc", "cr", "SNAPSHOT", "ga", "final", "sp", "jre", "x"));
    const version = fc
      .array(fc.tuple(part, fc.constantFrom(".", "-", "")), { minLength: 1, maxLength: 5 })
      .map((ps) => ps.map(([p, s], i) => (i ? (/^\d/.test(p) ? s : "-") : "") + p).join(""))
      .map((v) => (/^\d/.test(v) ? v : `1-${v}`));
    fc.assert(
      fc.property(version, version, version, (a, b, c) => {
        expect(Math.sign(cmp(a, b)) + Math.sign(cmp(b, a))).toBe(0);
        expect(cmp(c, c)).toBe(0);
      }),
      { numRuns: 3000 },
    );
  });
});

describe("Maven, Gradle, Go and Cargo files", () => {
  it("finds each file; go.sum beside go.mod is left to go.mod", async () => {
    const { files } = await collectDependencies(PROJECT);
    for (const f of files) expect(f.error, f.file).toBeUndefined();
    expect(files.map((f) => f.file)).toEqual(["cargo/Cargo.lock", "go-sum-only/go.sum", "go/go.mod", "gradle/gradle.lockfile", "maven/pom.xml"]);
  });

  it("pom.xml: properties, project.version, dependencyManagement, ranges, test scope; parent-managed versions not guessed", () => {
    const deps = parsePom(readFileSync(join(PROJECT, "maven/pom.xml"), "utf8"), "pom.xml");
    expect(brief(deps)).toEqual([
      "org.apache.logging.log4j:log4j-core@2.14.1",
      "com.fasterxml.jackson.core:jackson-databind@2.15.2",
      "com.google.guava:guava@32.1.2-jre",
      "org.example:ml-common@1.4.0",
      "org.apache.commons:commons-text@[1.9,2.0)!",
      "org.springframework.boot:spring-boot-starter-web@",
      "org.junit.jupiter:junit-jupiter@5.10.0 dev",
    ]);
    expect(deps[0]!.line).toBe(33);
    expect(purlOf(deps[0]!)).toBe("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");
  });

  it("pom.xml: errors name the file and line; entities are not expanded", () => {
    try {
      parsePom("<project>\n<dependencies>\n<dependency></project>", "pom.xml");
      expect.unreachable();
    } catch (e) {
      expect(isRampartError(e, "invalid-input")).toBe(true);
      expect((e as Error).message).toMatch(/^pom\.xml:\d+: not valid XML/);
    }
    const bomb = `<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<project><properties><v>&b;</v></properties><dependencies><dependency><groupId>g</groupId><artifactId>a</artifactId><version>\${v}</version></dependency></dependencies></project>`;
    const deps = parsePom(bomb, "pom.xml");
    expect(deps[0]!.version ?? deps[0]!.spec).not.toContain("aaaaaaaaaa");
    expect(() => parsePom("<other/>", "pom.xml")).toThrow(/pom\.xml: no <project> element/);
  });

  it("gradle.lockfile: coordinates, test-only configurations are dev, bad lines rejected with the line", () => {
    const deps = parseGradleLock(readFileSync(join(PROJECT, "gradle/gradle.lockfile"), "utf8"), "gradle.lockfile");
    expect(brief(deps)).toEqual([
      "com.fasterxml.jackson.core:jackson-annotations@2.15.2",
      "com.fasterxml.jackson.core:jackson-databind@2.15.2",
      "org.apache.logging.log4j:log4j-api@2.17.1",
      "org.apache.logging.log4j:log4j-core@2.15.0",
      "org.junit.jupiter:junit-jupiter-api@5.10.0 dev",
      "org.opentest4j:opentest4j@1.3.0 dev",
    ]);
    expect(() => parseGradleLock("# c\nnot a coordinate\n", "gradle.lockfile")).toThrow(/^gradle\.lockfile:2: not a Gradle lock line/);
  });

  it("go.mod: require blocks and lines, indirect, replace (local dropped, module swapped), +incompatible", () => {
    const deps = parseGoMod(readFileSync(join(PROJECT, "go/go.mod"), "utf8"), "go.mod");
    expect(brief(deps)).toEqual([
      "github.com/gin-gonic/gin@v1.9.1",
      "golang.org/x/net@v0.15.0",
      "google.golang.org/grpc@v1.58.3",
      "github.com/bytedance/sonic@v1.9.1 indirect",
      "github.com/gabriel-vasile/mimetype@v1.4.2 indirect",
      "github.com/golang/protobuf@v1.5.3 indirect",
      "gopkg.in/yaml.v2@v2.4.0 indirect",
      "github.com/docker/docker@v20.10.24+incompatible",
    ]);
    expect(purlOf(deps[1]!)).toBe("pkg:golang/golang.org/x/net@v0.15.0");
    expect(() => parseGoMod("require (\n  golang.org/x/net\n)\n", "go.mod")).toThrow(/^go\.mod:2: require needs a module path and a version/);
    expect(() => parseGoMod("require (\n", "go.mod")).toThrow(/unclosed require/);
  });

  it("go.sum alone: downloaded modules only (not /go.mod-only entries)", () => {
    const deps = parseGoSum(readFileSync(join(PROJECT, "go-sum-only/go.sum"), "utf8"), "go.sum");
    expect(brief(deps)).toEqual(["github.com/stretchr/testify@v1.8.4", "golang.org/x/net@v0.17.0"]);
    expect(() => parseGoSum("x y z\n", "go.sum")).toThrow(/^go\.sum:1: not a go\.sum line/);
  });

  it("Cargo.lock: registry crates with sha256 checksums, git sources kept, workspace crates skipped", () => {
    const deps = parseCargoLock(readFileSync(join(PROJECT, "cargo/Cargo.lock"), "utf8"), "Cargo.lock");
    expect(brief(deps)).toEqual(["serde@1.0.188", "smallvec@1.6.0", "tokenizers@0.15.0"]);
    expect(deps[0]!.hashes).toEqual([{ alg: "SHA-256", content: "cf9e0fcba69a370eed61bcf2b728575f726b50b55cba78064753d708ddc7549e" }]);
    expect(deps[0]!.line).toBe(14);
    expect(deps[2]!.source).toMatch(/^git\+https/);
    expect(purlOf(deps[1]!)).toBe("pkg:cargo/smallvec@1.6.0");
    expect(() => parseCargoLock("[[package]]\nname = 1\n", "Cargo.lock")).toThrow(/Cargo\.lock.*needs a name and a version/);
  });

  it("parsers never throw anything but a one-line RampartError on mutated input", () => {
    const seeds = ["maven/pom.xml", "gradle/gradle.lockfile", "go/go.mod", "go-sum-only/go.sum", "cargo/Cargo.lock"].map(
      (f) => [f, readFileSync(join(PROJECT, f), "utf8")] as const,
    );
    const parsers = [parsePom, parseGradleLock, parseGoMod, parseGoSum, parseCargoLock];
    fc.assert(
      fc.property(fc.nat(4), fc.nat(), fc.nat(60), fc.string({ maxLength: 8 }), (k, at, cut, insert) => {
        const text = seeds[k]![1];
        const i = at % (text.length + 1);
        const mutated = text.slice(0, i) + insert + text.slice(i + cut);
        try {
          parsers[k]!(mutated, "f");
        } catch (e) {
          expect(isRampartError(e, "invalid-input"), String(e)).toBe(true);
          expect((e as Error).message).not.toContain("\n");
        }
      }),
      { numRuns: 1500 },
    );
  });
});

describe("matching Maven, Go and crates.io advisories", () => {
  const log4j = advisories.find((a) => a.id === "GHSA-jfh8-c2jp-5v3q")!;
  const net = advisories.find((a) => a.id === "GO-2023-2102")!;
  const smallvec = advisories.find((a) => a.id === "RUSTSEC-2021-0003")!;
  it("Maven ranges in Maven order (2.0-beta9 is before 2.0; three disjoint ranges)", () => {
    const hit = (v: string) => matchAdvisory(log4j, "Maven", "org.apache.logging.log4j:log4j-core", v) !== undefined;
    expect(["2.0-beta9", "2.0-rc1", "2.0", "2.3", "2.4", "2.12.1", "2.13.0", "2.14.1", "2.15.0-rc1"].filter((v) => !hit(v))).toEqual([]);
    expect(["2.0-beta8", "2.0-alpha1", "2.3.1", "2.3.2", "2.12.2", "2.12.4", "2.15.0", "2.17.1", "3.0.0"].filter(hit)).toEqual([]);
    expect(matchAdvisory(log4j, "Maven", "org.apache.logging.log4j:log4j-core", "2.14.1")).toMatchObject({ severity: "critical", score: 10, fixed: ["2.3.1", "2.12.2", "2.15.0"] });
  });
  it("Go: go.mod's v-prefixed versions against OSV's unprefixed SEMVER events, pseudo-versions and +incompatible", () => {
    const hit = (v: string) => matchAdvisory(net, "Go", "golang.org/x/net", v) !== undefined;
    expect(["v0.15.0", "v0.16.0", "v0.0.0-20230901120000-abcdef123456", "0.1.0", "v0.17.0-rc.1"].filter((v) => !hit(v))).toEqual([]);
    expect(["v0.17.0", "v0.18.0", "v1.0.0", "v0.17.0+incompatible"].filter(hit)).toEqual([]);
  });
  it("crates.io: SemVer with two introduced/fixed pairs", () => {
    const hit = (v: string) => matchAdvisory(smallvec, "crates.io", "smallvec", v) !== undefined;
    expect(["0.6.3", "0.6.13", "1.0.0", "1.6.0"].filter((v) => !hit(v))).toEqual([]);
    expect(["0.6.2", "0.6.14", "0.7.0", "1.6.1", "2.0.0-alpha.1"].filter(hit)).toEqual([]);
  });
  it("scan over the polyglot project reports each vulnerable package with its fix", async () => {
    const { files } = await collectDependencies(PROJECT);
    const result = await matchDependencies(files, memoryAdvisories(advisories), { unpinned: true });
    const vulnerable = result.findings
      .filter((f) => f.ruleId === "deps.vulnerable")
      .map((f) => `${f.location?.file} ${f.entity} ${(f.evidence as { package: string; version: string }).package}@${(f.evidence as { version: string }).version}`);
    expect(vulnerable.sort()).toEqual([
      "cargo/Cargo.lock RUSTSEC-2021-0003 smallvec@1.6.0",
      "go/go.mod GO-2023-2102 golang.org/x/net@v0.15.0",
      "maven/pom.xml GHSA-jfh8-c2jp-5v3q org.apache.logging.log4j:log4j-core@2.14.1",
    ]);
    const unpinned = result.findings.filter((f) => f.ruleId === "deps.unpinned").map((f) => f.location?.file);
    expect(unpinned).toEqual(["maven/pom.xml"]);
  });
  it("a pom.xml named alone that is broken is one clear error", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "pom.xml"), "<project><dependencies>");
    const { files } = await collectDependencies(dir);
    expect(files[0]!.error).toMatch(/^pom\.xml:1: not valid XML/);
  });
});
