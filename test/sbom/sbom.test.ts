import { join } from "node:path";
import * as CDX from "@cyclonedx/cyclonedx-library";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attestCheckResult, generateKeyFiles, loadPublicKey, loadSigner } from "../../src/attest/index.js";
import { CheckResult, VERSION } from "../../src/core/index.js";
import { buildSbom } from "../../src/sbom/index.js";
import { openStore, type Store, saveAttestation } from "../../src/store/index.js";
import { makeSbomProject } from "../fixtures/sbom/make-project.js";
import { tempDir } from "../helpers/db.js";

// biome-ignore lint/suspicious/noExplicitAny: walking parsed JSON in assertions
type Json = Record<string, any>;

describe("CycloneDX 1.6 ML-BOM of a project", () => {
  let root: string;
  let bom: Json;
  let result: CheckResult;
  let json: string;
  beforeAll(async () => {
    root = tempDir();
    makeSbomProject(root);
    const out = await buildSbom(root, { now: new Date("2026-01-01T00:00:00Z"), projectName: "demo" });
    json = out.json;
    bom = JSON.parse(json);
    result = CheckResult.parse(out.result);
  });

  it("validates against the official CycloneDX 1.6 schema (strict) bundled with the library", async () => {
    const validator = new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6);
    expect(await validator.validate(json)).toBeNull();
    expect(bom).toMatchObject({
      bomFormat: "CycloneDX",
      specVersion: "1.6",
      metadata: { timestamp: "2026-01-01T00:00:00.000Z", component: { name: "demo", type: "application" } },
    });
    expect(bom.serialNumber).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(bom.metadata.tools.components[0]).toMatchObject({ name: "rampart", version: VERSION });
  });

  it("lists libraries with purls, hashes and licences from lockfiles and installed metadata", () => {
    const libs = Object.fromEntries(bom.components.filter((c: Json) => c.type === "library").map((c: Json) => [c.purl, c]));
    expect(Object.keys(libs).sort()).toEqual([
      "pkg:npm/%40scope/dual@1.0.0",
      "pkg:npm/agpl@2.0.0",
      "pkg:npm/lodash@4.17.21",
      "pkg:npm/vitest@1.0.0",
      "pkg:pypi/gpl-thing@1.0",
      "pkg:pypi/mystery-pkg@0.1",
      "pkg:pypi/numpy@1.26.4",
      "pkg:pypi/torch@2.5.1",
    ]);
    expect(libs["pkg:pypi/torch@2.5.1"].hashes).toEqual([{ alg: "SHA-256", content: "ab".repeat(32) }]);
    expect(libs["pkg:pypi/torch@2.5.1"].licenses).toEqual([{ license: { id: "BSD-3-Clause" } }]); // METADATA header, not the body
    expect(libs["pkg:pypi/numpy@1.26.4"].licenses).toEqual([{ expression: "BSD-3-Clause AND 0BSD AND MIT AND Zlib AND CC0-1.0" }]);
    expect(libs["pkg:pypi/gpl-thing@1.0"].licenses).toEqual([{ license: { id: "GPL-3.0-only" } }]); // trove classifier
    expect(libs["pkg:npm/lodash@4.17.21"].licenses).toEqual([{ license: { id: "MIT" } }]);
    expect(libs["pkg:npm/lodash@4.17.21"].hashes[0].alg).toBe("SHA-512");
    expect(libs["pkg:npm/%40scope/dual@1.0.0"]).toMatchObject({ group: "@scope", name: "dual", licenses: [{ expression: "MIT OR GPL-3.0-or-later" }] });
    expect(libs["pkg:npm/agpl@2.0.0"].licenses).toEqual([{ license: { id: "AGPL-3.0-only" } }]); // legacy `licenses` array
    expect(libs["pkg:npm/vitest@1.0.0"].scope).toBe("excluded");
    expect(libs["pkg:pypi/mystery-pkg@0.1"].licenses).toBeUndefined();
  });

  it("lists models by magic bytes, with model cards, and datasets as data components", () => {
    const models = bom.components.filter((c: Json) => c.type === "machine-learning-model");
    expect(models.map((m: Json) => [m.name, m.properties.find((p: Json) => p.name === "rampart:format").value])).toEqual([
      ["models/legacy/classifier.pkl", "pickle"],
      ["models/llama/pytorch_model.bin", "pytorch-zip"],
      ["models/sentiment/model.safetensors", "safetensors"],
      ["models/tiny.gguf", "gguf"],
    ]); // models/not-a-model.bin is text, so it is not listed
    const sentiment = models.find((m: Json) => m.name === "models/sentiment/model.safetensors");
    expect(sentiment.licenses).toEqual([{ license: { id: "Apache-2.0" } }]);
    expect(sentiment.hashes[0].alg).toBe("SHA-256");
    expect(sentiment.modelCard.modelParameters).toEqual({
      task: "text-classification",
      architectureFamily: "transformers",
      approach: { type: "supervised" },
      datasets: [{ ref: "dataset:data/train.csv" }, { type: "dataset", name: "imdb" }],
    });
    expect(sentiment.modelCard.quantitativeAnalysis.performanceMetrics).toEqual([{ type: "accuracy", value: "0.931", slice: "imdb" }]);
    const data = bom.components.find((c: Json) => c.type === "data");
    expect(data).toMatchObject({ name: "data/train.csv", "bom-ref": "dataset:data/train.csv", data: [{ type: "dataset", name: "data/train.csv" }] });
    expect(result.subjects.map((s) => s.name)).toContain("models/sentiment/model.safetensors");
  });

  it("judges licences: copyleft flagged, OR takes the permissive branch, model licences from cards", () => {
    const byEntity = Object.fromEntries(result.findings.map((f) => [f.entity, `${f.ruleId}/${f.severity}`]));
    expect(byEntity).toEqual({
      "pkg:npm/agpl@2.0.0": "license.copyleft/medium",
      "pkg:pypi/gpl-thing@1.0": "license.copyleft/medium",
      "pkg:pypi/mystery-pkg@0.1": "license.unknown/low",
      "models/legacy/classifier.pkl": "license.unknown/medium",
      "models/llama/pytorch_model.bin": "license.restricted/medium",
      "models/tiny.gguf": "license.unknown/medium",
    });
    expect(result.metrics).toMatchObject({ libraries: 8, models: 4, datasets: 1 });
  });

  it("applies a deny/allow policy", async () => {
    const out = await buildSbom(root, { policy: { allow: ["MIT", "BSD-*", "Apache-2.0", "0BSD", "Zlib", "CC0-1.0"], deny: ["AGPL-*"], copyleft: "deny", unknown: "allow" } });
    const byEntity = Object.fromEntries(out.result.findings.map((f) => [f.entity, f.ruleId]));
    expect(byEntity).toEqual({
      "pkg:npm/agpl@2.0.0": "license.denied",
      "pkg:pypi/gpl-thing@1.0": "license.not-allowed",
      "models/llama/pytorch_model.bin": "license.not-allowed",
    });
  });
});

describe("model cards from Rampart's own evidence", () => {
  let store: Store;
  let root: string;
  afterAll(async () => store?.close());

  it("adds metrics and serious findings from attestations about the model's digest; verifies them when keys are given", async () => {
    root = tempDir();
    makeSbomProject(root);
    store = await openStore({ url: join(tempDir(), "r.db") });
    const keys = await generateKeyFiles(join(tempDir(), "k"));
    const signer = await loadSigner({ keyFile: keys.privateKeyPath });
    const first = await buildSbom(root);
    const subject = first.result.subjects.find((s) => s.name === "models/tiny.gguf")!;
    const evidence: CheckResult = {
      check: "scan-model",
      version: VERSION,
      subjects: [subject],
      findings: [{ ruleId: "model.pickle-exec", severity: "critical", message: "GLOBAL os.system" }],
      metrics: { opcodes: 12, accuracy: { value: 0.9, lower: 0.88, upper: 0.92 } },
    };
    const envelope = await attestCheckResult(evidence, [signer], [subject]);
    await saveAttestation(store, { check: "scan-model", predicateType: "x", subjectName: subject.name, subjectSha256: subject.digest.sha256, keyId: signer.keyId, envelope });

    const pub = await loadPublicKey(keys.publicKeyPath);
    const out = await buildSbom(root, { store, trustedKeys: [pub] });
    const gguf = JSON.parse(out.json).components.find((c: Json) => c.name === "models/tiny.gguf");
    expect(gguf.modelCard.quantitativeAnalysis.performanceMetrics).toEqual([
      { type: "scan-model.opcodes", value: "12" },
      { type: "scan-model.accuracy", value: "0.9", confidenceInterval: { lowerBound: "0.88", upperBound: "0.92" } },
    ]);
    expect(gguf.modelCard.considerations.technicalLimitations[0]).toMatch(/^scan-model: 1 critical\/high finding\(s\), e\.g\. model\.pickle-exec/);
    expect(gguf.modelCard.properties.find((p: Json) => p.name === "rampart:attestation").value).not.toMatch(/not checked/);

    // A key that did not sign it: the evidence is left out, and the metrics say why.
    const other = await loadPublicKey((await generateKeyFiles(join(tempDir(), "o"))).publicKeyPath);
    const untrusted = await buildSbom(root, { store, trustedKeys: [other] });
    const card = JSON.parse(untrusted.json).components.find((c: Json) => c.name === "models/tiny.gguf").modelCard;
    expect(card.quantitativeAnalysis).toBeUndefined();
    expect(String(untrusted.result.metrics.evidenceNotes)).toMatch(/attestation .* skipped/);
  });
});
