import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isRampartError } from "../../../src/core/index.js";
import { collectDependencies, type Dependency } from "../../../src/scan/deps/index.js";
import {
  parseCondaEnvironment,
  parsePackageJson,
  parsePackageLock,
  parsePipfileLock,
  parsePnpmLock,
  parsePoetryLock,
  parsePyproject,
  parseRequirementLine,
  parseUvLock,
  parseYarnLock,
} from "../../../src/scan/deps/lockfiles/index.js";
import { tempDir } from "../../helpers/db.js";

const FIXTURES = new URL("../../fixtures/deps/project/", import.meta.url).pathname;

async function byFile(): Promise<Map<string, Dependency[]>> {
  const { files } = await collectDependencies(FIXTURES);
  for (const f of files) expect(f.error, f.file).toBeUndefined();
  return new Map(files.map((f) => [f.file, f.dependencies]));
}
const brief = (ds: Dependency[] | undefined) => (ds ?? []).map((d) => `${d.name}@${d.version ?? d.spec ?? ""}${d.unpinned ? "!" : ""}${d.dev ? " dev" : ""}`);

describe("every lockfile format in the fixture project", () => {
  it("finds each file once and nothing under included folders twice", async () => {
    const files = [...(await byFile()).keys()];
    expect(files).toEqual([
      "conda/environment.yml",
      "npm-manifest/package.json", // npm-v3/package.json is skipped: its lock says more
      "npm-v1/package-lock.json",
      "npm-v3/package-lock.json",
      "pnpm-v6/pnpm-lock.yaml",
      "pnpm-v9/pnpm-lock.yaml",
      "py-pep621/pyproject.toml",
      "py-pipenv/Pipfile.lock",
      "py-poetry/poetry.lock",
      "py-poetry/pyproject.toml",
      "py-req/requirements.txt",
      "py-uv/uv.lock",
      "yarn-berry/yarn.lock",
      "yarn-v1/yarn.lock",
    ]);
  });

  it("requirements.txt: includes, include cycles, constraints, hashes, extras, markers, URLs", async () => {
    const deps = (await byFile()).get("py-req/requirements.txt")!;
    expect(brief(deps)).toEqual([
      "PyYAML@5.3.1",
      "jinja2@3.1.4",
      "requests@~=2.31!",
      "torch@2.5.1",
      "transformers@4.37.2",
      "numpy@>=1.24,<2!",
      "scikit-learn@1.4.0", // pinned by constraints.txt
      "Pillow@10.1.0",
      "datasets@!", // git branch, not a commit
      "safetensors@0.4.2", // wheel URL names its version
      "./local-package@!",
    ]);
    const torch = deps.find((d) => d.name === "torch")!;
    expect(torch.hashes).toHaveLength(2);
    expect(torch.line).toBe(5);
    expect(deps.find((d) => d.name === "PyYAML")!.file).toBe("py-req/requirements/base.txt");
    const tf = deps.find((d) => d.name === "transformers")!;
    expect(tf.extras).toEqual(["torch", "sentencepiece"]);
    expect(tf.marker).toBe('python_version >= "3.8"');
  });

  it("pyproject.toml (PEP 621, dependency groups, Poetry) and the locks beside it", async () => {
    const m = await byFile();
    expect(brief(m.get("py-pep621/pyproject.toml"))).toEqual(["torch@>=2.0!", "transformers@4.36.0", "edge_case.pkg@2.1", "fastapi@0.110.0", "pytest@>=8! dev", "ruff@0.4.0 dev"]);
    // poetry.lock beside it pins what the ranges ask for, so nothing is unpinned.
    expect(brief(m.get("py-poetry/pyproject.toml"))).toEqual(["torch@2.2.0", "transformers@^4.30", "pytest@^8.0 dev"]);
    expect(brief(m.get("py-poetry/poetry.lock"))).toEqual(["pytest@8.0.0", "torch@2.2.0", "transformers@4.38.0"]);
    expect(m.get("py-poetry/poetry.lock")![1]!.hashes).toEqual([{ alg: "SHA-256", content: "d366158d6503a3447e67f8c0ad1328d54e6c181d88572d688a625fac61b13a97" }]);
    expect(brief(m.get("py-uv/uv.lock"))).toEqual(["jinja2@3.1.2", "markupsafe@2.1.5"]); // the editable project itself is skipped
    expect(m.get("py-uv/uv.lock")![0]!.hashes).toHaveLength(2);
    expect(brief(m.get("py-pipenv/Pipfile.lock"))).toEqual(["pyyaml@5.3.1", "pillow@10.2.0", "edge-case-pkg@1.0 dev"]);
  });

  it("conda environment.yml with a pip section", async () => {
    const deps = (await byFile()).get("conda/environment.yml")!;
    expect(deps.map((d) => `${d.ecosystem}:${d.name}@${d.version ?? d.spec}${d.unpinned ? "!" : ""}`)).toEqual([
      "conda:numpy@1.26.4",
      "conda:scipy@>=1.11!",
      "conda:cudatoolkit@=11.8!", // `=11.8` is the prefix 11.8.*
      "PyPI:torch@2.1.0",
      "PyPI:pyyaml@>=6!",
    ]);
  });

  it("package.json without a lock: exact versions pin, ranges, tags and branches do not", async () => {
    const deps = (await byFile()).get("npm-manifest/package.json")!;
    expect(brief(deps)).toEqual(["lodash@4.17.20", "minimist@^1.2.0!", "left-pad@latest!", "mylib@github:org/mylib#main!", "lodash@4.17.21", "vitest@~1.0.0! dev"]);
  });

  it("package-lock.json v1 (nested) and v3 (packages), pnpm v6 and v9, yarn v1 and berry", async () => {
    const m = await byFile();
    expect(brief(m.get("npm-v1/package-lock.json"))).toEqual(["lodash@4.17.20", "mkdirp@0.5.5 dev", "minimist@1.2.5 dev", "private-lib@!"]);
    const v3 = m.get("npm-v3/package-lock.json")!;
    expect(brief(v3)).toEqual(["lodash@4.17.21", "@scope/edge@2.0.0-beta.1", "minimist@1.2.8 dev", "minimist@1.2.0"]);
    expect(v3.map((d) => d.direct)).toEqual([true, true, true, false]);
    expect(v3[1]!.license).toBe("(MIT OR Apache-2.0)");
    expect(v3[0]!.hashes![0]!.alg).toBe("SHA-512");
    expect(v3[0]!.hashes![0]!.content).toHaveLength(128);
    expect(brief(m.get("pnpm-v6/pnpm-lock.yaml"))).toEqual(["lodash@4.17.15", "@scope/edge@2.0.0-alpha.3 dev"]);
    expect(m.get("pnpm-v6/pnpm-lock.yaml")!.map((d) => d.line)).toEqual([19, 23]);
    expect(m.get("pnpm-v9/pnpm-lock.yaml")!.map((d) => d.line)).toEqual([17, 20]);
    expect(v3.map((d) => d.line)).toEqual([13, 19, 24, 29]);
    expect(brief(m.get("pnpm-v9/pnpm-lock.yaml"))).toEqual(["minimist@1.2.5", "@scope/edge@1.9.9"]);
    expect(brief(m.get("yarn-v1/yarn.lock"))).toEqual(["@scope/edge@2.0.0-rc.1", "lodash@4.17.19"]);
    expect(brief(m.get("yarn-berry/yarn.lock"))).toEqual(["lodash@4.17.20", "minimist@1.2.6"]); // workspace entry skipped
    expect(m.get("yarn-berry/yarn.lock")!.map((d) => d.line)).toEqual([8, 15]);
  });

  it("a registry tarball (any host, any path prefix, scoped names encoded or not) is the registry; other URLs are kept as the source", () => {
    const lock = (resolved: string, name = "lodash") => JSON.stringify({ lockfileVersion: 3, packages: { [`node_modules/${name}`]: { version: "4.17.21", resolved } } });
    const source = (resolved: string, name?: string) => parsePackageLock(lock(resolved, name), "package-lock.json")[0]!.source;
    expect(source("https://npm.example.com/lodash/-/lodash-4.17.21.tgz")).toBeUndefined();
    expect(source("https://repo.example.com/api/npm/npm-remote/lodash/-/lodash-4.17.21.tgz")).toBeUndefined();
    expect(source("https://npm.example.com/@scope/edge/-/edge-4.17.21.tgz", "@scope/edge")).toBeUndefined();
    expect(source("https://npm.example.com/@scope%2fedge/-/edge-4.17.21.tgz", "@scope/edge")).toBeUndefined();
    for (const odd of [
      "https://evil.example.com/lodash-4.17.21.tgz", // a tarball outside the registry layout
      "https://npm.example.com/other/-/other-4.17.21.tgz", // another package's tarball
      "http://npm.example.com/lodash/-/lodash-4.17.21.tgz", // not over TLS
      "git+ssh://git@example.com/org/lodash.git#0123456789abcdef0123456789abcdef01234567",
      "file:../lodash",
    ])
      expect(source(odd)).toBe(odd);
    const yarn = parseYarnLock('lodash@^4:\n  version "4.17.19"\n  resolved "https://evil.example.com/x.tgz#abc"\n', "yarn.lock");
    expect(yarn[0]!.source).toBe("https://evil.example.com/x.tgz");
  });
});

describe("malformed input names the file and line", () => {
  const cases: Array<[string, () => unknown, RegExp]> = [
    ["requirements", () => parseRequirementLine("torch=>2", "r.txt", 3), /^r\.txt:3: bad version specifier/],
    ["requirements option", () => parseRequirementLine("--frobnicate", "r.txt", 4), /^r\.txt:4: unknown option/],
    ["pyproject", () => parsePyproject('[project]\ndependencies = "torch"\n', "pyproject.toml"), /^pyproject\.toml: project\.dependencies must be an array/],
    ["toml syntax", () => parsePoetryLock("[[package]\nname=1", "poetry.lock"), /^poetry\.lock:1: not valid TOML/],
    ["uv", () => parseUvLock("[[package]]\nversion = '1'\n", "uv.lock"), /^uv\.lock: package #1: needs a name/],
    ["uv dotted version key", () => parseUvLock('[[package]]\nname = "jinja2"\nversion.0 = "3.1.2"\n', "uv.lock"), /^uv\.lock: package #1 \(jinja2\): `version` must be a string/],
    ["pipfile", () => parsePipfileLock('{"default": {"x": {"version": "=>1"}}}', "Pipfile.lock"), /^Pipfile\.lock: default\.x\.version: bad specifier/],
    ["conda", () => parseCondaEnvironment("dependencies: [\n", "environment.yml"), /^environment\.yml(:\d+)?: not valid YAML/],
    ["package-lock", () => parsePackageLock('{"lockfileVersion": 7}', "package-lock.json"), /unsupported lockfileVersion 7/],
    [
      "package-lock version",
      () => parsePackageLock('{"lockfileVersion": 3, "packages": {"node_modules/a": {}}}', "package-lock.json"),
      /^package-lock\.json:1: packages\["node_modules\/a"\]: missing version/,
    ],
    ["package.json", () => parsePackageJson('{\n"dependencies": {\n"a": "^^1"}}', "package.json"), /^package\.json:3: dependencies\.a: "\^\^1" is not a version range/],
    ["pnpm", () => parsePnpmLock("packages: 3\n", "pnpm-lock.yaml"), /`packages` must be a mapping/],
    ["yarn v1", () => parseYarnLock("lodash@^4:\n  resolved x\n", "yarn.lock"), /^yarn\.lock:1: entry "lodash" has no version/],
  ];
  for (const [name, fn, re] of cases)
    it(name, () => {
      let err: unknown;
      try {
        fn();
      } catch (e) {
        err = e;
      }
      expect(isRampartError(err, "invalid-input"), String(err)).toBe(true);
      expect((err as Error).message).toMatch(re);
    });

  it("a directory scan reports an unreadable file as an error entry, a single file is a usage error", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "a"));
    writeFileSync(join(dir, "a", "poetry.lock"), "[[package]\n");
    writeFileSync(join(dir, "requirements.txt"), "torch==2.0.0\n-r missing.txt\n");
    const { files } = await collectDependencies(dir);
    expect(files.map((f) => [f.file, f.error?.replace(/\(.*$/, "")])).toEqual([
      ["a/poetry.lock", "a/poetry.lock:1: not valid TOML "],
      ["requirements.txt", 'requirements.txt:2: included file "missing.txt" not found'],
    ]);
    await expect(collectDependencies(join(dir, "a", "poetry.lock"))).rejects.toThrow(/poetry\.lock:1: not valid TOML/);
    await expect(collectDependencies(join(dir, "nope"))).rejects.toThrow(/no such file/);
  });

  it("refuses includes that leave the scanned folder", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "requirements.txt"), "-r ../../etc/passwd\n");
    await expect(collectDependencies(join(dir, "requirements.txt"))).rejects.toThrow(/points outside the scanned folder/);
  });
});

describe("parsers never throw anything but RampartError on mutated input", () => {
  const samples: Array<[string, (t: string) => unknown]> = [
    ["py-poetry/poetry.lock", (t) => parsePoetryLock(t, "poetry.lock")],
    ["py-uv/uv.lock", (t) => parseUvLock(t, "uv.lock")],
    ["py-pipenv/Pipfile.lock", (t) => parsePipfileLock(t, "Pipfile.lock")],
    ["py-pep621/pyproject.toml", (t) => parsePyproject(t, "pyproject.toml")],
    ["conda/environment.yml", (t) => parseCondaEnvironment(t, "environment.yml")],
    ["npm-v1/package-lock.json", (t) => parsePackageLock(t, "package-lock.json")],
    ["npm-manifest/package.json", (t) => parsePackageJson(t, "package.json")],
    ["npm-v3/package-lock.json", (t) => parsePackageLock(t, "package-lock.json")],
    ["pnpm-v6/pnpm-lock.yaml", (t) => parsePnpmLock(t, "pnpm-lock.yaml")],
    ["pnpm-v9/pnpm-lock.yaml", (t) => parsePnpmLock(t, "pnpm-lock.yaml")],
    ["yarn-v1/yarn.lock", (t) => parseYarnLock(t, "yarn.lock")],
    ["yarn-berry/yarn.lock", (t) => parseYarnLock(t, "yarn.lock")],
    ["py-req/requirements.txt", (t) => t.split("\n").map((l, i) => parseRequirementLine(l.replace(/#.*/, "").trim() || "x", "r.txt", i + 1))],
  ];
  for (const [file, parse] of samples)
    it(file, async () => {
      const text = await import("node:fs/promises").then((fs) => fs.readFile(join(FIXTURES, file), "utf8"));
      fc.assert(
        fc.property(fc.nat({ max: text.length }), fc.nat({ max: 40 }), fc.string({ maxLength: 8 }), (at, cut, insert) => {
          const mutated = text.slice(0, at) + insert + text.slice(at + cut);
          try {
            parse(mutated);
          } catch (e) {
            if (!isRampartError(e)) throw e;
          }
        }),
        { numRuns: 120 },
      );
    });
});
