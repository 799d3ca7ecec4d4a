import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { beforeAll, describe, expect, it } from "vitest";
import { buildSbom, cyclonedxToSpdx23 } from "../../src/sbom/index.js";
import { makeSbomProject } from "../fixtures/sbom/make-project.js";
import { tempDir } from "../helpers/db.js";

// Official SPDX 2.3 JSON schema (spdx/spdx-spec, support/2.3.1; CC-BY-3.0, see fixtures/sbom/README.md).
const schema = JSON.parse(readFileSync(new URL("../fixtures/sbom/spdx-2.3-schema.json", import.meta.url), "utf8"));
const require = createRequire(import.meta.url);
const Ajv2019 = require("ajv/dist/2019").default;
const addFormats = require("ajv-formats").default;
const ajv = new Ajv2019({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);

// biome-ignore lint/suspicious/noExplicitAny: test reads JSON
type Json = Record<string, any>;

describe("SPDX 2.3 export", () => {
  let doc: Json;
  let text: string;
  beforeAll(async () => {
    const root = tempDir();
    makeSbomProject(root);
    const out = await buildSbom(root, { now: new Date("2026-01-01T00:00:00Z"), projectName: "demo" });
    text = cyclonedxToSpdx23(out.json);
    doc = JSON.parse(text);
  });

  it("validates against the official SPDX 2.3 JSON schema", () => {
    const ok = validate(doc);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(doc).toMatchObject({ spdxVersion: "SPDX-2.3", dataLicense: "CC0-1.0", SPDXID: "SPDXRef-DOCUMENT", creationInfo: { created: "2026-01-01T00:00:00Z" } });
    expect(doc.documentNamespace).toMatch(/^https:\/\/spdx\.org\/spdxdocs\/rampart\/demo-[0-9a-f]{64}$/);
  });

  it("the schema check is not vacuous: a broken document fails it", () => {
    expect(validate({ ...doc, packages: [{ name: "x" }] })).toBe(false);
    expect(validate({ ...doc, spdxVersion: undefined })).toBe(false);
  });

  it("libraries keep purls, checksums and licences; dev libraries are DEV_DEPENDENCY_OF; models and data are CONTAINed", () => {
    const byPurl = new Map<string, Json>();
    for (const p of doc.packages as Json[]) for (const r of p.externalRefs ?? []) if (r.referenceType === "purl") byPurl.set(r.referenceLocator, p);
    const torch = byPurl.get("pkg:pypi/torch@2.5.1")!;
    expect(torch).toMatchObject({
      name: "torch",
      versionInfo: "2.5.1",
      primaryPackagePurpose: "LIBRARY",
      licenseDeclared: "BSD-3-Clause",
      checksums: [{ algorithm: "SHA256", checksumValue: "ab".repeat(32) }],
    });
    expect(byPurl.get("pkg:npm/%40scope/dual@1.0.0")).toMatchObject({ name: "@scope/dual", licenseDeclared: "MIT OR GPL-3.0-or-later" });
    const ids = new Set((doc.packages as Json[]).map((p) => p.SPDXID));
    expect(ids.size).toBe(doc.packages.length);
    for (const id of ids) expect(id).toMatch(/^SPDXRef-[A-Za-z0-9.-]+$/);
    const rel = (doc.relationships as Json[]).map((r) => `${r.spdxElementId} ${r.relationshipType} ${r.relatedSpdxElement}`);
    const root = doc.documentDescribes[0];
    expect(rel).toContain(`SPDXRef-DOCUMENT DESCRIBES ${root}`);
    expect(rel).toContain(`${root} DEPENDS_ON ${torch.SPDXID}`);
    expect(rel).toContain(`${byPurl.get("pkg:npm/vitest@1.0.0")!.SPDXID} DEV_DEPENDENCY_OF ${root}`);
    const models = (doc.packages as Json[]).filter((p) => p.SPDXID.startsWith("SPDXRef-Model-"));
    expect(models.length).toBeGreaterThan(0);
    for (const m of models) expect(rel).toContain(`${root} CONTAINS ${m.SPDXID}`);
    expect(models[0]!.annotations[0].comment).toBe("cyclonedx:type=machine-learning-model");
    // Every relationship points at an element of the document.
    for (const r of doc.relationships as Json[]) for (const e of [r.spdxElementId, r.relatedSpdxElement]) expect(e === "SPDXRef-DOCUMENT" || ids.has(e), e).toBe(true);
  });
});
