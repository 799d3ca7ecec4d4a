import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeSbomProject } from "../fixtures/sbom/make-project.js";
import { runInProcess } from "../helpers/cli.js";
import { tempDir } from "../helpers/db.js";

const OSV = new URL("../fixtures/deps/osv/", import.meta.url).pathname;
const PROJECT = new URL("../fixtures/deps/project/", import.meta.url).pathname;

const run = runInProcess;

afterEach(() => {
  process.exitCode = undefined;
});

describe("rampart db import / scan deps", () => {
  it("imports, then scans offline with exit 1 on findings at --fail-on, JSON and SARIF output", async () => {
    const db = join(tempDir(), "r.db");
    const imp = await run("db", "import", OSV, "--database-url", db);
    expect(imp).toMatchObject({ code: 0, err: "" });
    expect(imp.out).toMatch(/^imported 9 advisories from .* \(10 read, 0 unchanged, 1 withdrawn\); 9 in /);

    const json = await run("scan", "deps", join(PROJECT, "py-req"), "--database-url", db, "--format", "json");
    expect(json.code).toBe(1);
    const result = JSON.parse(json.out);
    expect(result.check).toBe("scan-deps");
    expect(result.findings.filter((f: { ruleId: string }) => f.ruleId === "deps.vulnerable")).toHaveLength(4);

    const low = await run("scan", "deps", join(PROJECT, "py-uv"), "--database-url", db, "--fail-on", "critical");
    expect(low.code).toBe(0); // jinja2's advisory is medium
    expect(low.out).toContain("GHSA-h5c8-rqwp-cp95");

    const sarifFile = join(tempDir(), "deps.sarif");
    const sarif = await run("scan", "deps", join(PROJECT, "npm-v1", "package-lock.json"), "--database-url", db, "--format", "sarif", "-o", sarifFile, "--no-unpinned");
    expect(sarif.code).toBe(1);
    const log = JSON.parse(readFileSync(sarifFile, "utf8"));
    expect(log.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual(["deps.vulnerable", "deps.vulnerable"]);
  });

  it("input errors are one line and exit 2", async () => {
    const db = join(tempDir(), "r.db");
    const empty = await run("scan", "deps", PROJECT, "--database-url", db);
    expect(empty).toMatchObject({ code: 2, out: "" });
    expect(empty.err).toBe("rampart: no advisories in the store; run `rampart db import PATH` with an OSV export (a folder or .zip of OSV JSON) first\n");
    const dir = tempDir();
    writeFileSync(join(dir, "bad.json"), '{"id": "X"}');
    const bad = await run("db", "import", dir, "--database-url", db);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe("rampart: bad.json: not an OSV record (modified: Invalid input: expected string, received undefined)\n");
    await run("db", "import", OSV, "--database-url", db);
    const notLock = await run("scan", "deps", join(dir, "bad.json"), "--database-url", db);
    expect(notLock.code).toBe(2);
    expect(notLock.err).toMatch(/^rampart: .*bad\.json: not a dependency file rampart reads/);
    writeFileSync(join(dir, "requirements.txt"), "torch==2.0\nnumpy>=>1\n");
    const syntax = await run("scan", "deps", join(dir, "requirements.txt"), "--database-url", db);
    expect(syntax.err).toBe('rampart: requirements.txt:2: bad version specifier ">=>1" for numpy\n');
  });
});

describe("rampart sbom", () => {
  it("writes a BOM with -o, prints the licence report and fails on --fail-on", async () => {
    const root = tempDir();
    makeSbomProject(root);
    const bomFile = join(tempDir(), "bom.json");
    const r = await run("sbom", root, "-o", bomFile, "--fail-on", "medium");
    expect(r.code).toBe(1);
    expect(r.out).toContain("license.copyleft");
    const bom = JSON.parse(readFileSync(bomFile, "utf8"));
    expect(bom.specVersion).toBe("1.6");
    expect(existsSync(join(root, ".rampart"))).toBe(false); // describing a project never writes into it

    const stdout = await run("sbom", root, "--format", "json", "--fail-on", "critical");
    expect(stdout.code).toBe(0);
    expect(JSON.parse(stdout.out).bomFormat).toBe("CycloneDX"); // BOM on stdout, report on stderr
    expect(JSON.parse(stdout.err).check).toBe("sbom");

    const policy = join(tempDir(), "policy.yaml");
    writeFileSync(policy, "allow: [MIT]\ncopyleft: sometimes\n");
    const bad = await run("sbom", root, "--policy", policy);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^rampart: .*policy\.yaml:2:\d+: copyleft: /);
    const missing = await run("sbom", join(root, "nope"));
    expect(missing.err).toMatch(/nope: no such file or directory/);
    expect(existsSync(join(root, "nope"))).toBe(false);
  });

  it("--format spdx writes SPDX 2.3 JSON; --bom-format spdx keeps the report format", async () => {
    const root = tempDir();
    makeSbomProject(root);
    const out = join(tempDir(), "bom.spdx.json");
    const r = await run("sbom", root, "--format", "spdx", "-o", out, "--fail-on", "critical");
    expect(r.code).toBe(0);
    const doc = JSON.parse(readFileSync(out, "utf8"));
    expect(doc.spdxVersion).toBe("SPDX-2.3");
    expect(doc.packages.some((p: { externalRefs?: Array<{ referenceLocator: string }> }) => p.externalRefs?.[0]?.referenceLocator === "pkg:pypi/torch@2.5.1")).toBe(true);
    expect(r.out).toContain("license.copyleft"); // the licence report is a table
    const json = await run("sbom", root, "--bom-format", "spdx", "--format", "json", "--fail-on", "critical");
    expect(JSON.parse(json.out).spdxVersion).toBe("SPDX-2.3");
    expect(JSON.parse(json.err).check).toBe("sbom");
  });
});
