import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isRampartError } from "../../../src/core/index.js";
import {
  ANALYZERS,
  parseGoMod,
  parseGoSum,
  parseGradleLock,
  parsePackageLock,
  parsePipfileLock,
  parsePyproject,
  parseRequirementLine,
  parseYarnLock,
} from "../../../src/scan/deps/lockfiles/index.js";
import { parseMaven } from "../../../src/scan/deps/maven.js";
import { parseNpmRange, parseSemver } from "../../../src/scan/deps/semver.js";
import { cheapestCosts } from "../../helpers/cpu.js";

// Lockfiles and manifests are untrusted: their cost must grow linearly with their size. CPU time of
// this process (not wall time: the test holds on a loaded machine) for n and 4n entries; linear is
// about 4x, quadratic 16x. A reading over the bound is taken once more and the lower kept: at load 8 a
// linear parse read 6.8x once (alone 3.4–4.7x), while a quadratic one reads high on both looks.

function linear(build: (n: number) => string, parse: (text: string) => unknown, n: number): void {
  const small = build(n);
  const large = build(4 * n);
  const excess = () => {
    const { short, long } = cheapestCosts(parse, small, large);
    return long / Math.max(6 * short, 250);
  };
  const first = excess();
  expect(first < 1 ? first : Math.min(first, excess())).toBeLessThan(1);
}

describe("dependency files of many entries are read in linear time", () => {
  it("pyproject.toml with many requirements (each was searched for from the start of the text)", () => {
    linear(
      (n) => `[project]\nname = "x"\ndependencies = [\n${Array.from({ length: n }, (_, i) => `  "p${i}==1",`).join("\n")}\n]\n`,
      (t) => parsePyproject(t, "pyproject.toml"),
      5_000,
    );
  }, 60_000);

  it("Poetry dependency tables with many names (a regular expression per name over the whole text)", () => {
    linear(
      (n) => `[tool.poetry.dependencies]\n${Array.from({ length: n }, (_, i) => `p${i} = "1.0"`).join("\n")}\n`,
      (t) => parsePyproject(t, "pyproject.toml"),
      3_000,
    );
  }, 60_000);

  it("Pipfile.lock with many packages (the line index was rebuilt for every package: 80,000 took over a minute)", () => {
    linear(
      (n) => JSON.stringify({ default: Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i}`, { version: "==1.0" }])) }),
      (t) => parsePipfileLock(t, "Pipfile.lock"),
      2_000,
    );
  }, 60_000);

  it("lines are where the string is written: a literal string, and not a longer string or a table header that contains it", () => {
    const deps = parsePyproject(
      `[tool.coverage.report]\nx = 1\n[project]\nname = "x"\ndependencies = [\n  "tomli>=2; python_version < '3.11'",\n  'magic>=1; sys_platform == "win32"',\n]\n[dependency-groups]\ndev = ["tomli>=2", "coverage"]\n`,
      "pyproject.toml",
    );
    expect(deps.map((d) => [d.name, d.line])).toEqual([
      ["tomli", 6],
      ["magic", 7],
      ["tomli", 10],
      ["coverage", 10],
    ]);
    const lock = parsePipfileLock('{\n"_meta": {"x": {}},\n"default": {\n"x": {"version": "==1"}\n}\n}', "Pipfile.lock");
    expect(lock[0]!.line).toBe(4);
  });
});

describe("package-lock.json v1 nested thousands deep", () => {
  const nested = (n: number) => `{"lockfileVersion":1,"dependencies":${'{"a":{"version":"1.0.0","dependencies":'.repeat(n)}{}${"}}".repeat(n)}}`;

  it("is read without overflowing the call stack (it ended the scan with an internal error)", () => {
    const deps = parsePackageLock(nested(20_000), "package-lock.json");
    expect(deps).toHaveLength(20_000);
    expect(deps[0]!.direct).toBe(true);
    expect(deps[1]!.direct).toBe(false);
  });

  it("keeps the order: each entry before its own dependencies, then its siblings", () => {
    const text = JSON.stringify({
      lockfileVersion: 1,
      dependencies: { a: { version: "1.0.0", dependencies: { b: { version: "2.0.0", dependencies: { c: { version: "3.0.0" } } } } }, d: { version: "4.0.0" } },
    });
    expect(parsePackageLock(text, "package-lock.json").map((d) => `${d.name}@${d.version}`)).toEqual(["a@1.0.0", "b@2.0.0", "c@3.0.0", "d@4.0.0"]);
  });
});

// Every analyzer on random and mutated text: a RampartError (one line, exit 2) or a result, never
// anything else (a TypeError or RangeError reaches the user as an internal error, exit 3).
describe("lockfile analyzers never throw anything but a RampartError", () => {
  const seeds: Record<string, string> = {
    requirements: "a==1\n-r other.txt\nb[x]>=2 ; python_version<'3'\n",
    pyproject: '[project]\ndependencies = ["a==1"]\n[tool.poetry.dependencies]\nb = "^1"\n',
    "poetry.lock": '[[package]]\nname = "a"\nversion = "1"\n',
    "uv.lock": 'version = 1\n[[package]]\nname = "a"\nversion = "1"\n',
    "Pipfile.lock": '{"default": {"a": {"version": "==1", "hashes": ["sha256:00"]}}}',
    conda: "dependencies:\n  - numpy=1.2\n  - pip:\n    - a==1\n",
    "package-lock.json": '{"lockfileVersion": 3, "packages": {"node_modules/a": {"version": "1.0.0"}}}',
    "package.json": '{"dependencies": {"a": "^1.0.0"}}',
    "pnpm-lock.yaml": "lockfileVersion: '9.0'\npackages:\n  a@1.0.0:\n    resolution: {integrity: sha512-x}\n",
    "yarn.lock": 'a@^1:\n  version "1.0.0"\n',
    "pom.xml": "<project><dependencies><dependency><groupId>g</groupId><artifactId>a</artifactId><version>1</version></dependency></dependencies></project>",
    "gradle.lockfile": "g:a:1.0=compileClasspath\n",
    "go.mod": "module m\nrequire a.example/b v1.0.0\n",
    "go.sum": "a.example/b v1.0.0 h1:x=\n",
    "Cargo.lock": 'version = 3\n[[package]]\nname = "a"\nversion = "1.0.0"\n',
  };
  const mutate = (seed: string) =>
    fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.tuple(fc.nat(seed.length), fc.nat(8), fc.string({ maxLength: 12 })).map(([at, cut, ins]) => seed.slice(0, at) + ins + seed.slice(at + cut)),
      fc
        .tuple(fc.nat(seed.length), fc.constantFrom("\r", "\u0000", "\\", '"', "'", "[", "{", "}", "]", ":", "=", "\n  ", "\uFFFF", "\uD800"))
        .map(([at, c]) => seed.slice(0, at) + c + seed.slice(at)),
    );
  it.each(ANALYZERS.map((a) => [a.type, a] as const))("%s", async (type, analyzer) => {
    const seed = seeds[type] ?? "";
    const reader = { read: async (p: string) => (p === "requirements.txt" ? seed : Promise.reject(new Error(`${p}: not found`))) };
    await fc.assert(
      fc.asyncProperty(mutate(seed), async (text) => {
        const r = { read: async (p: string) => (p === "requirements.txt" ? text : reader.read(p)) };
        try {
          await analyzer.parse(text, type === "requirements" ? "requirements.txt" : type === "conda" ? "environment.yml" : type, r);
        } catch (e) {
          if (!isRampartError(e) && !(type === "requirements" && /not found/.test((e as Error).message))) throw e;
        }
      }),
      { numRuns: 300 },
    );
  });

  it("version and line grammars return a value or undefined on any text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        parseSemver(s);
        parseNpmRange(s);
        parseMaven(s);
        try {
          parseRequirementLine(s, "requirements.txt", 1);
          parseGoMod(`module m\nrequire ${s}\n`, "go.mod");
          parseGoSum(s, "go.sum");
          parseGradleLock(s, "gradle.lockfile");
          parseYarnLock(s, "yarn.lock");
        } catch (e) {
          if (!isRampartError(e)) throw e;
        }
      }),
      { numRuns: 500 },
    );
  });
});
