import { cpSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CheckResult } from "../../../src/core/index.js";
import { importAdvisories, scanDeps, storeAdvisories } from "../../../src/scan/deps/index.js";
import type { Store } from "../../../src/store/index.js";
import { STORE_BACKENDS, tempDir } from "../../helpers/db.js";

const OSV = new URL("../../fixtures/deps/osv/", import.meta.url).pathname;
const PROJECT = new URL("../../fixtures/deps/project/", import.meta.url).pathname;

function osvZip(): string {
  const files: Record<string, Uint8Array> = {};
  for (const eco of ["PyPI", "npm"]) for (const f of readdirSync(join(OSV, eco))) files[`${eco}/${f}`] = readFileSync(join(OSV, eco, f));
  const path = join(tempDir(), "all.zip");
  writeFileSync(path, zipSync(files));
  return path;
}

const EXPECTED = [
  "conda/environment.yml|torch@2.1.0|GHSA-53q9-r3pm-6pq6",
  "npm-manifest/package.json|lodash@4.17.20|GHSA-35jh-r3h4-6jhm",
  "npm-v1/package-lock.json|lodash@4.17.20|GHSA-35jh-r3h4-6jhm",
  "npm-v1/package-lock.json|minimist@1.2.5|GHSA-xvch-5gv4-984h",
  "npm-v3/package-lock.json|@scope/edge@2.0.0-beta.1|GHSA-TEST-prerelease",
  "npm-v3/package-lock.json|minimist@1.2.0|GHSA-xvch-5gv4-984h",
  "pnpm-v6/pnpm-lock.yaml|@scope/edge@2.0.0-alpha.3|GHSA-TEST-prerelease",
  "pnpm-v6/pnpm-lock.yaml|lodash@4.17.15|GHSA-35jh-r3h4-6jhm",
  "pnpm-v9/pnpm-lock.yaml|@scope/edge@1.9.9|GHSA-TEST-prerelease",
  "pnpm-v9/pnpm-lock.yaml|minimist@1.2.5|GHSA-xvch-5gv4-984h",
  "py-pep621/pyproject.toml|edge_case.pkg@2.1|GHSA-TEST-epoch-local",
  "py-pep621/pyproject.toml|transformers@4.36.0|GHSA-qq3j-4f4f-9583",
  "py-pipenv/Pipfile.lock|edge-case-pkg@1.0|GHSA-TEST-epoch-local",
  "py-pipenv/Pipfile.lock|pyyaml@5.3.1|PYSEC-2021-142",
  "py-poetry/poetry.lock|torch@2.2.0|GHSA-53q9-r3pm-6pq6",
  "py-poetry/pyproject.toml|torch@2.2.0|GHSA-53q9-r3pm-6pq6",
  "py-req/requirements.txt|Pillow@10.1.0|GHSA-jjg7-2v4v-x38h",
  "py-req/requirements.txt|torch@2.5.1|GHSA-53q9-r3pm-6pq6",
  "py-req/requirements.txt|transformers@4.37.2|GHSA-qq3j-4f4f-9583",
  "py-req/requirements/base.txt|PyYAML@5.3.1|PYSEC-2021-142",
  "py-uv/uv.lock|jinja2@3.1.2|GHSA-h5c8-rqwp-cp95",
  "yarn-berry/yarn.lock|lodash@4.17.20|GHSA-35jh-r3h4-6jhm",
  "yarn-v1/yarn.lock|lodash@4.17.19|GHSA-35jh-r3h4-6jhm",
];

for (const backend of STORE_BACKENDS) {
  describe.skipIf(!backend.available)(`advisory database and scan on ${backend.name}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await backend.open();
    });
    afterAll(async () => {
      await store?.close();
    });

    it("imports a folder of OSV JSON, drops withdrawn records, and is idempotent", async () => {
      expect(await importAdvisories(store, OSV)).toEqual({ read: 10, imported: 9, unchanged: 0, withdrawn: 1, total: 9 });
      expect(await importAdvisories(store, OSV)).toEqual({ read: 10, imported: 0, unchanged: 9, withdrawn: 1, total: 9 });
    });

    it("imports a zip of OSV JSON (the osv.dev all.zip layout) and keeps the newer record", async () => {
      expect(await importAdvisories(store, osvZip())).toMatchObject({ read: 10, imported: 0, unchanged: 9, total: 9 });
      const dir = tempDir();
      const rec = JSON.parse(readFileSync(join(OSV, "npm", "GHSA-35jh-r3h4-6jhm.json"), "utf8"));
      writeFileSync(join(dir, "a.json"), JSON.stringify({ ...rec, modified: "2030-01-01T00:00:00Z", summary: "updated" }));
      expect(await importAdvisories(store, dir)).toMatchObject({ read: 1, imported: 1, total: 9 });
      const hit = await storeAdvisories(store).lookup("npm", ["lodash"]);
      expect(hit.get("lodash")!.map((a) => a.summary)).toEqual(["updated"]);
    });

    it("a malformed record aborts the whole import with the file and field, and writes nothing", async () => {
      const dir = tempDir();
      cpSync(join(OSV, "PyPI"), dir, { recursive: true });
      writeFileSync(
        join(dir, "zzz-bad.json"),
        JSON.stringify({ id: "BAD-1", modified: "2024-01-01T00:00:00Z", affected: [{ ranges: [{ type: "ECOSYSTEM", events: [{ introduced: 1 }] }] }] }),
      );
      writeFileSync(join(dir, "aaa-new.json"), JSON.stringify({ id: "NEW-1", modified: "2024-01-01T00:00:00Z" }));
      await expect(importAdvisories(store, dir)).rejects.toThrow(/^zzz-bad\.json: not an OSV record \(affected\.0\.ranges\.0\.events\.0/);
      expect(await storeAdvisories(store).count()).toBe(9);
      writeFileSync(join(dir, "zzz-bad.json"), "{");
      await expect(importAdvisories(store, dir)).rejects.toThrow(/^zzz-bad\.json: not valid JSON/);
      await expect(importAdvisories(store, join(dir, "nope"))).rejects.toThrow(/no such file/);
      writeFileSync(join(dir, "x.zip"), "not a zip");
      await expect(importAdvisories(store, join(dir, "x.zip"))).rejects.toThrow(/x\.zip: not a readable zip/);
    });

    it("scans every lockfile format offline and finds exactly the expected vulnerabilities", async () => {
      const result = CheckResult.parse(await scanDeps(PROJECT, storeAdvisories(store)));
      const vulns = result.findings.filter((f) => f.ruleId === "deps.vulnerable");
      expect(vulns.map((f) => `${f.location?.file}|${f.evidence?.package}@${f.evidence?.version}|${f.entity}`).sort()).toEqual(EXPECTED);
      const torch = vulns.find((f) => f.location?.file === "py-req/requirements.txt" && f.evidence?.package === "torch")!;
      expect(torch).toMatchObject({ severity: "critical", location: { line: 5 }, remediation: "Upgrade torch to 2.6.0 or later." });
      expect(torch.message).toContain("CVE-2025-32434");
      const pillow = vulns.find((f) => f.evidence?.package === "Pillow")!;
      expect(pillow.remediation).toMatch(/No fixed release/);
      expect(pillow.severity).toBe("high"); // CVSS 8.1
      const lodash = vulns.find((f) => f.location?.file === "yarn-v1/yarn.lock")!;
      expect(lodash.evidence).toMatchObject({ cvssScore: 7.2, fixedVersions: ["4.17.21"] });
      const unpinned = result.findings.filter((f) => f.ruleId === "deps.unpinned").map((f) => `${f.location?.file}|${f.entity}`);
      expect(unpinned.sort()).toEqual([
        "conda/environment.yml|cudatoolkit",
        "conda/environment.yml|pyyaml",
        "conda/environment.yml|scipy",
        "npm-manifest/package.json|left-pad",
        "npm-manifest/package.json|minimist",
        "npm-manifest/package.json|mylib",
        "npm-manifest/package.json|vitest",
        "npm-v1/package-lock.json|private-lib",
        "py-pep621/pyproject.toml|pytest",
        "py-pep621/pyproject.toml|torch",
        "py-req/requirements.txt|./local-package",
        "py-req/requirements.txt|datasets",
        "py-req/requirements.txt|numpy",
        "py-req/requirements/base.txt|requests",
      ]);
      expect(result.metrics).toMatchObject({ files: 14, vulnerabilities: EXPECTED.length, advisories: 9, parseErrors: 0 });
      expect(result.subjects).toHaveLength(14);
    });

    it("refuses to scan with an empty advisory database", async () => {
      const empty = await STORE_BACKENDS[0]!.open();
      await expect(scanDeps(PROJECT, storeAdvisories(empty))).rejects.toThrow(/no advisories in the store; run `rampart db import PATH`/);
      await empty.close();
    });
  });
}
