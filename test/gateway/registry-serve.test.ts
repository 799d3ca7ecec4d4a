import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuditEvent, buildGateway, GatewayConfig } from "../../src/gateway/index.js";
import { runOnnx } from "../../src/ml/index.js";
import { loadBundle } from "../../src/policy/index.js";
import { artifactDir, createRelease, promote, registerModelVersion, storeArtifact, upsertPrincipal } from "../../src/registry/index.js";
import { openStore, type Store } from "../../src/store/index.js";
import { rampart } from "../helpers/cli.js";
import { tempDir } from "../helpers/db.js";
import { makeTabularModel, sampleRows, type TabularModel } from "./tabular-model.js";

const KEY = "registry-key";
const h = { "x-api-key": KEY };
let project: string;
let db: string;
let store: Store;
let v1: TabularModel;
let v2: TabularModel;
let policy: string;
let bundleDir: string;

const digest = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

function config(registry: Record<string, unknown>) {
  return GatewayConfig.parse({
    auth: { apiKeys: [{ principal: "scorer", sha256: createHash("sha256").update(KEY).digest("hex") }] },
    access: { policies: [policy] },
    registry: { database: db, project },
    models: [{ name: "credit", type: "onnx", registry, profile: v1.profile }],
  });
}

/** The probabilities the model file itself gives for some rows (rounded): what the gateway must answer when it serves that file. */
async function scoresOf(model: TabularModel, rows: number[][]): Promise<number[]> {
  const out = await runOnnx(readFileSync(model.onnx), { rows: rows.length, cols: 4, data: Float64Array.from(rows.flat()) });
  return Array.from(out.probabilities.data, round);
}
const round = (x: number) => Math.round(x * 1e5) / 1e5;
const served = (res: { json(): { outputs: { probabilities: number[][] } } }) => res.json().outputs.probabilities.flat().map(round);

async function toProduction(sha256: string): Promise<string> {
  const bundle = await loadBundle(bundleDir);
  const release = await createRelease(store, { model: "credit", modelSha256: sha256, owner: "dana" });
  for (const to of ["approved", "production"] as const) {
    const p = await promote(store, { releaseId: release.id, to, actor: "paula", bundle });
    expect(p.promoted, p.reasons.join("; ")).toBe(true);
  }
  return release.id;
}

beforeAll(async () => {
  project = tempDir();
  db = join(project, "registry.db");
  for (const d of ["m1", "m2"]) mkdirSync(join(project, d));
  v1 = makeTabularModel(join(project, "m1"), 7);
  v2 = makeTabularModel(join(project, "m2"), 8);
  policy = join(project, "access.cedar");
  writeFileSync(policy, `permit (principal == Rampart::Service::"scorer", action == Rampart::Action::"call-model", resource in Rampart::Model::"credit");\n`);
  // A promotion bundle: the example's security gate and a release manager who may promote what passes.
  bundleDir = join(project, "policies");
  mkdirSync(bundleDir);
  copyFileSync("examples/policies/security.yaml", join(bundleDir, "security.yaml"));
  writeFileSync(
    join(bundleDir, "access.cedar"),
    `@id("release-managers-promote")
permit (principal in Rampart::Role::"release-manager", action == Rampart::Action::"promote", resource is Rampart::Release) when { context.gatesPassed };
`,
  );
  store = await openStore({ url: db });
  await upsertPrincipal(store, { name: "dana", roles: ["ml-engineer"] });
  await upsertPrincipal(store, { name: "paula", roles: ["release-manager"] });
});
afterAll(async () => store?.close());

describe("serving model versions from the registry", () => {
  it("stores model files by digest, idempotently and read-only", async () => {
    const dir = artifactDir(project);
    const a = await storeArtifact(dir, v1.onnx);
    expect(a).toMatchObject({ sha256: digest(v1.onnx), stored: true });
    expect(readFileSync(a.path)).toEqual(readFileSync(v1.onnx));
    expect(await storeArtifact(dir, v1.onnx)).toMatchObject({ sha256: a.sha256, stored: false });
    await expect(storeArtifact(dir, join(project, "missing.onnx"))).rejects.toThrow(/missing\.onnx/);
  });

  it("serves the release in production, and the next one after a promotion and a reload", async () => {
    const rows = sampleRows(40, 5).rows;
    const [want1, want2] = [await scoresOf(v1, rows), await scoresOf(v2, rows)];
    expect(want1).not.toEqual(want2); // the two versions answer differently, so the test sees which one serves
    const cfg = config({ stage: "production" });
    await expect(buildGateway(cfg)).rejects.toThrow(/models credit: registry: model credit: no registered versions/);

    await registerModelVersion(store, { model: "credit", sha256: digest(v1.onnx), owner: "dana", label: "v1" });
    await expect(buildGateway(cfg)).rejects.toThrow(/models credit: registry: model credit: no release is in stage production/);
    const rel1 = await toProduction(digest(v1.onnx));

    const events: AuditEvent[] = [];
    const app = await buildGateway(cfg, { audit: (e) => events.push(e) });
    const infer = () => app.inject({ method: "POST", url: "/v1/models/credit/infer", headers: h, payload: { inputs: { features: rows } } });
    let res = await infer();
    expect(res.statusCode).toBe(200);
    expect(served(res)).toEqual(want1);
    expect((await app.inject({ method: "GET", url: "/v1/models/credit", headers: h })).json().sha256).toBe(digest(v1.onnx));
    expect(events.at(-1)).toMatchObject({ decision: "allow", model: "credit" });

    // v2 registered with --store through the CLI, released and promoted: a reload serves it.
    const cli = await rampart(["registry", "model", "credit", v2.onnx, "--label", "v2", "--store", "--as", "dana", "--project", project], {
      env: { ...process.env, RAMPART_DATABASE_URL: db },
    });
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(new RegExp(`stored .*m2.* as .*sha256/${digest(v2.onnx)}`));
    const rel2 = await toProduction(digest(v2.onnx));
    expect(rel2).not.toBe(rel1);
    await app.gateway.reload(cfg);
    res = await infer();
    expect(served(res)).toEqual(want2);

    // Pinning by label still serves v1.
    const pinned = await buildGateway(config({ label: "v1" }));
    const r1 = await pinned.inject({ method: "POST", url: "/v1/models/credit/infer", headers: h, payload: { inputs: { features: rows } } });
    expect(served(r1)).toEqual(want1);
    await pinned.close();
    await app.close();
  });

  it("refuses a stored file whose bytes no longer match its digest, and an unknown label", async () => {
    const path = join(artifactDir(project), "sha256", digest(v1.onnx));
    chmodSync(path, 0o644);
    const bytes = readFileSync(path);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 1, bytes.length - 1);
    writeFileSync(path, bytes);
    await expect(buildGateway(config({ label: "v1" }))).rejects.toThrow(new RegExp(`sha256 is [0-9a-f]{64}, the config pins ${digest(v1.onnx)}`));
    await expect(buildGateway(config({ label: "v9" }))).rejects.toThrow(/models credit: registry: model credit: no registered version with label v9/);
    expect(() => config({ label: "v1", stage: "production" })).toThrow(/exactly one of stage, label or sha256/);
  });
});
