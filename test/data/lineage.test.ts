import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, describe, expect, it } from "vitest";
import { generateKeyFiles, loadSigner } from "../../src/attest/index.js";
import { attestationRef, buildManifest, datasetFromArg, lineageGraph, listEvents, recordEvent, recordRun, renderLineage, signManifest } from "../../src/data/index.js";
import type { Store } from "../../src/store/index.js";
import { STORE_BACKENDS, tempDir } from "../helpers/db.js";
import { runCli } from "./cli.js";

// The OpenLineage 2-0-2 JSON schema and facet schemas, copied unmodified (see the SOURCE.md beside them).
const schemaDir = join(import.meta.dirname, "../fixtures/data/openlineage");
const load = (f: string) => JSON.parse(readFileSync(join(schemaDir, f), "utf8"));
const ajv = new Ajv2020.default({ strict: false, allErrors: true });
addFormats.default(ajv);
const main = load("OpenLineage.json");
ajv.addSchema(main);
const facetSchemas = ["SchemaDatasetFacet.json", "DatasetVersionDatasetFacet.json", "DatasourceDatasetFacet.json", "DataQualityMetricsInputDatasetFacet.json"].map(load);
for (const s of facetSchemas) ajv.addSchema(s);
const validateEvent = ajv.getSchema(main.$id)!;

function expectValid(event: unknown): void {
  const ok = validateEvent(event);
  expect(ok, JSON.stringify(validateEvent.errors)).toBe(true);
  const e = event as { inputs?: Array<{ facets?: object; inputFacets?: object }>; outputs?: Array<{ facets?: object }> };
  for (const d of [...(e.inputs ?? []), ...(e.outputs ?? [])]) {
    for (const s of facetSchemas) {
      const v = ajv.getSchema(s.$id)!;
      expect(v(d.facets ?? {}), `${s.$id}: ${JSON.stringify(v.errors)}`).toBe(true);
    }
    const inputFacets = (d as { inputFacets?: object }).inputFacets;
    if (inputFacets) {
      const v = ajv.getSchema(facetSchemas[3].$id)!;
      expect(v(inputFacets), JSON.stringify(v.errors)).toBe(true);
    }
  }
}

const dir = tempDir();
writeFileSync(join(dir, "train.csv"), "age,income,label\n31,52000,0\n45,61000,1\n");
writeFileSync(join(dir, "model.onnx"), "not really onnx");

for (const backend of STORE_BACKENDS) {
  describe.skipIf(!backend.available)(`lineage on ${backend.name}`, () => {
    let store: Store;
    afterAll(async () => store?.close());

    it("records ingestion and training runs, and walks from the model back to the raw source", async () => {
      store = await backend.open();
      const key = await generateKeyFiles(join(dir, `k-${backend.name}`));
      const manifest = await signManifest(await buildManifest(join(dir, "train.csv"), { source: "s3://corp-data/credit/2026-11" }), [
        await loadSigner({ keyFile: key.privateKeyPath }),
      ]);
      const train = await datasetFromArg("train.csv", dir);
      expect(train.schema).toEqual([
        { name: "age", type: "number" },
        { name: "income", type: "number" },
        { name: "label", type: "number" },
      ]);
      expect(train.quality).toMatchObject({ rowCount: 2, fileCount: 1 });
      const ingest = await recordRun(store, {
        job: { namespace: "rampart", name: "ingest" },
        inputs: [await datasetFromArg("s3://corp-data/credit/2026-11", dir)],
        outputs: [train],
        attestations: [attestationRef(manifest)],
      });
      await recordRun(store, { job: { namespace: "rampart", name: "train" }, inputs: [train], outputs: [await datasetFromArg("model.onnx", dir)] });
      expect(ingest.map((e) => e.eventType)).toEqual(["START", "COMPLETE"]);
      expect(ingest[0].run.runId).toBe(ingest[1].run.runId);

      const graph = await lineageGraph(store, "model.onnx");
      expect(graph.producedBy?.job).toBe("train");
      const data = graph.producedBy!.inputs[0]!;
      expect(data).toMatchObject({ namespace: "file", name: "train.csv", version: `sha256:${train.sha256}` });
      expect(data.producedBy?.job).toBe("ingest");
      expect(data.producedBy?.attestations[0]).toMatchObject({ check: "dataset-manifest", predicateType: "https://rampart.dev/attestation/dataset-manifest/v1" });
      expect(data.producedBy?.inputs[0]).toMatchObject({ namespace: "s3://corp-data", name: "credit/2026-11" });
      expect(data.producedBy?.inputs[0]?.producedBy).toBeUndefined();
      expect((await lineageGraph(store, "s3://corp-data/credit/2026-11")).producedBy).toBeUndefined();
      expect((await lineageGraph(store, "file/train.csv")).producedBy?.job).toBe("ingest");
      const text = renderLineage(graph);
      expect(text.split("\n")[0]).toMatch(/^file\/model\.onnx {2}sha256:/);
      expect(text).toMatch(/s3:\/\/corp-data\/credit\/2026-11 {2}\[source\]/);
    });

    it("exports events that validate against the OpenLineage 2-0-2 schema and its facet schemas", async () => {
      const events = await listEvents(store);
      expect(events).toHaveLength(4);
      for (const e of events) expectValid(e);
      // The validator is not a rubber stamp: a broken event fails it.
      const broken = structuredClone(events[0]) as Record<string, unknown>;
      delete (broken.run as Record<string, unknown>).runId;
      expect(validateEvent(broken)).toBe(false);
    });

    it("refuses an invalid event with one line naming the field, and survives a cycle", async () => {
      await expect(recordEvent(store, { eventType: "START" }, "x.json")).rejects.toThrow(/^x\.json: not an OpenLineage RunEvent \(eventTime: /);
      await recordRun(store, { job: { namespace: "rampart", name: "loop" }, inputs: [{ namespace: "file", name: "a" }], outputs: [{ namespace: "file", name: "b" }] });
      await recordRun(store, { job: { namespace: "rampart", name: "loop" }, inputs: [{ namespace: "file", name: "b" }], outputs: [{ namespace: "file", name: "a" }] });
      const g = await lineageGraph(store, "a");
      expect(g.producedBy?.inputs[0]?.producedBy?.inputs[0]?.cycle).toBe(true);
      await expect(lineageGraph(store, "nothing")).rejects.toThrow(/no lineage recorded/);
    });
  });
}

describe("rampart lineage from the command line", () => {
  it("records, shows, exports and imports", async () => {
    const db = join(dir, "cli.db");
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect((await runCli("lineage", "record", "--job", "train", "--input", "train.csv", "--output", "model.onnx", "--database", db)).code).toBe(0);
      const show = await runCli("lineage", "show", "model.onnx", "--database", db);
      expect(show.stdout).toMatch(/← job rampart\/train/);
      const out = join(dir, "events.ndjson");
      expect((await runCli("lineage", "export", "--ndjson", "-o", out, "--database", db)).code).toBe(0);
      const lines = readFileSync(out, "utf8").trim().split("\n");
      expect(lines).toHaveLength(2);
      for (const l of lines) expectValid(JSON.parse(l));
      const db2 = join(dir, "cli2.db");
      expect((await runCli("lineage", "import", out, "--database", db2)).code).toBe(0);
      expect((await runCli("lineage", "show", "model.onnx", "--database", db2)).stdout).toBe(show.stdout);
      const key = await generateKeyFiles(join(dir, "cli-key"));
      const signed = await runCli("data", "sign", "train.csv", "--source", "s3://corp/raw/train", "--key", key.privateKeyPath, "--lineage", "--database", db);
      expect(signed.code).toBe(0);
      const ingest = await runCli("lineage", "show", "model.onnx", "--database", db, "--format", "json");
      const graph = JSON.parse(ingest.stdout);
      expect(graph.producedBy.inputs[0].producedBy).toMatchObject({ job: "ingest:train.csv", attestations: [{ check: "dataset-manifest" }] });
      expect(graph.producedBy.inputs[0].producedBy.inputs[0]).toMatchObject({ namespace: "s3://corp", name: "raw/train" });
      for (const e of JSON.parse((await runCli("lineage", "export", "--database", db)).stdout)) expectValid(e);
      writeFileSync(join(dir, "bad.ndjson"), `${lines[0]}\n{oops\n`);
      const bad = await runCli("lineage", "import", "bad.ndjson", "--database", db2);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/bad\.ndjson:2: not valid JSON/);
    } finally {
      process.chdir(cwd);
    }
  });
});
