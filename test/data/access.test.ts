import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isRampartError, subjectOf } from "../../src/core/index.js";
import { checkDatasetAccess, datasetAccessLog, exportDataset, openDataset } from "../../src/data/index.js";
import { auditLog, Ledger } from "../../src/ledger/index.js";
import { type AccessPolicies, loadBundle } from "../../src/policy/index.js";
import { registerDataset, upsertPrincipal } from "../../src/registry/index.js";
import type { Store } from "../../src/store/index.js";
import { runInProcess } from "../helpers/cli.js";
import { STORE_BACKENDS, tempDir } from "../helpers/db.js";

const ORIGIN = "rampart.local/data-access-test";

for (const backend of STORE_BACKENDS) {
  describe.skipIf(!backend.available)(`dataset access through Cedar (${backend.name})`, () => {
    let store: Store;
    let policies: AccessPolicies;
    const dir = tempDir();
    const customers = join(dir, "customers.csv");
    const weather = join(dir, "weather.csv");

    beforeAll(async () => {
      store = await backend.open();
      policies = (await loadBundle("examples/policies")).access;
      writeFileSync(customers, "id,name,income\n1,Anna Schmidt,52000\n2,Ben Garcia,61000\n");
      writeFileSync(weather, "day,temp\n2026-11-25,7.5\n");
      await upsertPrincipal(store, { name: "sue", roles: ["data-scientist", "data-steward"] });
      await upsertPrincipal(store, { name: "ravi", roles: ["data-steward", "risk-reviewer"] });
      await upsertPrincipal(store, { name: "svc-train", kind: "Service", roles: [] });
      await registerDataset(store, { name: "customers", sha256: (await subjectOf(customers)).digest.sha256, tags: ["personal"], owner: "sue" });
      await registerDataset(store, { name: "weather", sha256: (await subjectOf(weather)).digest.sha256, tags: ["public"], owner: "sue" });
    });
    afterAll(async () => store?.close());

    const req = (over: Partial<Parameters<typeof checkDatasetAccess>[1]>) => ({
      dataset: "customers",
      path: customers,
      principal: "sue",
      action: "read-dataset" as const,
      policies,
      ledgerOrigin: ORIGIN,
      ...over,
    });

    it("allows a permitted read with a purpose and records who, what, when, why and the deciding policy", async () => {
      const a = await openDataset(store, req({ purpose: "retrain credit model" }));
      expect(a.decision).toBe("allow");
      expect(a.policyIds).toEqual(["data-scientists-read-data"]);
      const [row] = await datasetAccessLog(store, "customers");
      expect(row).toMatchObject({ principal: "sue", action: "read-dataset", purpose: "retrain credit model", decision: "allow", policyIds: ["data-scientists-read-data"] });
      const entry = await (await Ledger.open(store, ORIGIN)).entry(a.ledgerIndex);
      expect(entry?.entry).toMatchObject({ kind: "data-access", actor: "sue", subject: { name: "customers" }, data: { purpose: "retrain credit model", decision: "allow" } });
    });

    it("refuses personal data without a purpose, and records the refusal with the forbidding policy", async () => {
      const e = await openDataset(store, req({})).catch((x: unknown) => x);
      expect(isRampartError(e, "forbidden")).toBe(true);
      expect((e as Error).message).toMatch(/sue may not read customers: forbidden by personal-data-needs-purpose \(refusal recorded\)/);
      const [row] = await datasetAccessLog(store, "customers");
      expect(row).toMatchObject({ decision: "deny", purpose: null, policyIds: ["personal-data-needs-purpose"] });
      const entry = await (await Ledger.open(store, ORIGIN)).entry(row!.ledgerIndex);
      expect(entry?.entry?.data).toMatchObject({ decision: "deny", policyIds: ["personal-data-needs-purpose"] });
    });

    it("default deny: no permit for a service, unknown principals and unregistered datasets", async () => {
      expect(await checkDatasetAccess(store, req({ principal: "svc-train", purpose: "train" }))).toMatchObject({ decision: "deny", policyIds: [] });
      expect((await checkDatasetAccess(store, req({ principal: "mallory", purpose: "x" }))).reason).toBe("principal mallory is not registered");
      expect((await checkDatasetAccess(store, req({ dataset: "payroll", purpose: "x" }))).reason).toBe("dataset payroll is not registered");
      const log = await datasetAccessLog(store);
      expect(log.slice(0, 3).map((r) => `${r.principal}:${r.dataset}:${r.decision}`)).toEqual(["sue:payroll:deny", "mallory:customers:deny", "svc-train:customers:deny"]);
    });

    it("separation of duties: a data steward who reviews models may not export; nothing is written", async () => {
      const to = join(dir, "out", "weather-ravi.csv");
      const e = await exportDataset(store, { ...req({ dataset: "weather", path: weather, principal: "ravi", purpose: "share" }), to }).catch((x: unknown) => x);
      expect((e as Error).message).toMatch(/ravi may not export weather: forbidden by no-data-export-by-model-reviewers/);
      expect(existsSync(to)).toBe(false);
      // Personal data is never exported, whoever asks.
      const e2 = await exportDataset(store, { ...req({ purpose: "audit" }), to: join(dir, "out", "c.csv") }).catch((x: unknown) => x);
      expect((e2 as Error).message).toMatch(/forbidden by no-export-of-personal-data/);
    });

    it("exports a permitted dataset, and refuses a tampered one even when policy allows", async () => {
      const to = join(dir, "out", "weather.csv");
      const a = await exportDataset(store, { ...req({ dataset: "weather", path: weather, purpose: "partner" }), to });
      expect(a.policyIds).toEqual(["data-stewards-export"]);
      expect(readFileSync(to, "utf8")).toBe(readFileSync(weather, "utf8"));
      const [row] = await datasetAccessLog(store, "weather");
      expect(row).toMatchObject({ action: "export-dataset", decision: "allow", purpose: "partner" });

      const copy = join(dir, "tampered");
      mkdirSync(copy, { recursive: true });
      writeFileSync(join(copy, "customers.csv"), readFileSync(customers, "utf8").replace("52000", "5200"));
      const e = await openDataset(store, req({ path: join(copy, "customers.csv"), purpose: "retrain" })).catch((x: unknown) => x);
      expect((e as Error).message).toMatch(/customers\.csv: sha256 [0-9a-f]{16}… is not the registered customers@[0-9a-f]{16}… \(tampered or another version\)/);
      expect((await datasetAccessLog(store, "customers"))[0]).toMatchObject({ decision: "deny" });
    });

    it("the access events keep the ledger verifiable", async () => {
      const audit = await auditLog(await Ledger.open(store, ORIGIN));
      expect(audit.problems).toEqual([]);
      expect(audit.size).toBeGreaterThanOrEqual(9);
    });
  });
}

describe("rampart data read|export|access-log", () => {
  it("reads through the authoriser, refuses with the policy id (exit 2), and lists every decision", async () => {
    const project = tempDir();
    const file = join(project, "customers.csv");
    writeFileSync(file, "id,income\n1,52000\n");
    const { openStore } = await import("../../src/store/index.js");
    const store = await openStore({ projectDir: project });
    await upsertPrincipal(store, { name: "sue", roles: ["data-scientist"] });
    await registerDataset(store, { name: "customers", sha256: (await subjectOf(file)).digest.sha256, tags: ["personal"], owner: "sue" });
    await store.close();
    const common = ["--from", file, "--as", "sue", "-p", "examples/policies", "--project", project];
    const denied = await runInProcess("data", "read", "customers", ...common);
    expect(denied.code).toBe(2);
    expect(denied.err).toMatch(/sue may not read customers: forbidden by personal-data-needs-purpose/);
    const ok = await runInProcess("data", "read", "customers", ...common, "--purpose", "fraud model");
    expect(ok.code, ok.err).toBe(0);
    const out = await runInProcess("data", "export", "customers", ...common, "--purpose", "fraud model", "--to", join(project, "copy.csv"));
    expect(out.code).toBe(2);
    expect(existsSync(join(project, "copy.csv"))).toBe(false);
    const log = await runInProcess("data", "access-log", "customers", "--project", project);
    expect(log.code, log.err).toBe(0);
    const lines = log.out.trim().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/deny +sue +export-dataset +customers +purpose: fraud model +forbidden by no-export-of-personal-data/);
    expect(lines[1]).toMatch(/allow +sue +read-dataset +customers +purpose: fraud model +by data-scientists-read-data/);
    expect(lines[2]).toMatch(/deny +sue +read-dataset +customers +purpose: - +forbidden by personal-data-needs-purpose/);
  }, 60_000);
});
