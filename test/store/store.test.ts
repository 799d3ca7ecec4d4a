import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isRampartError } from "../../src/core/index.js";
import { finishRun, getRun, listAttestations, listRuns, openStore, type Store, saveAttestation, startRun } from "../../src/store/index.js";
import { freshPostgresUrl, STORE_BACKENDS, tempDir } from "../helpers/db.js";

const run = promisify(execFile);

describe.each(STORE_BACKENDS)("store on $name", ({ name, open, available }) => {
  let store: Store;
  beforeAll(async () => {
    if (available) store = await open();
  });
  afterAll(async () => store?.close());

  it.runIf(available)("migrates, records runs and attestations, and reads them back", async () => {
    expect(store.dialect).toBe(name);
    await startRun(store, "r1", "demo");
    const a = await saveAttestation(store, {
      runId: "r1",
      check: "inventory",
      predicateType: "p",
      subjectName: "data.csv",
      subjectSha256: "a".repeat(64),
      keyId: "k",
      envelope: { payload: "e30=", payloadType: "t", signatures: [{ sig: "AA==" }] },
    });
    const again = await saveAttestation(store, {
      runId: "r1",
      check: "inventory",
      predicateType: "p",
      subjectName: "data.csv",
      subjectSha256: "a".repeat(64),
      keyId: "k",
      envelope: { payload: "e30=", payloadType: "t", signatures: [{ sig: "AA==" }] },
    });
    expect(again.id).toBe(a.id);
    await saveAttestation(store, {
      runId: "r1",
      check: "scan",
      predicateType: "p",
      subjectName: "m.pt",
      subjectSha256: "b".repeat(64),
      keyId: "k",
      envelope: { payload: "e31=", payloadType: "t", signatures: [{ sig: "AA==" }] },
    });
    await finishRun(store, "r1", "passed", { ok: true });
    expect(await getRun(store, "r1")).toMatchObject({ id: "r1", project: "demo", status: "passed", report: { ok: true } });
    expect((await listRuns(store)).map((r) => r.id)).toContain("r1");
    expect((await listAttestations(store, { runId: "r1" })).map((x) => x.check)).toEqual(["inventory", "scan"]);
    expect(await listAttestations(store, { subjectSha256: "b".repeat(64) })).toHaveLength(1);
    expect((await listAttestations(store, { check: "inventory" }))[0]!.envelope).toEqual({ payload: "e30=", payloadType: "t", signatures: [{ sig: "AA==" }] });
  });

  it.runIf(available)("serialises exclusive writers: a read-modify-write under the lock never loses an update", async () => {
    await store.db.insertInto("store_locks").values({ name: "counter-test", counter: 0 }).execute();
    const bump = () =>
      store.exclusive("bump", async (trx) => {
        const row = await trx.selectFrom("store_locks").select("counter").where("name", "=", "counter-test").executeTakeFirstOrThrow();
        await new Promise((r) => setTimeout(r, 2));
        await trx
          .updateTable("store_locks")
          .set({ counter: Number(row.counter) + 1 })
          .where("name", "=", "counter-test")
          .execute();
      });
    await Promise.all(Array.from({ length: 20 }, bump));
    const row = await store.db.selectFrom("store_locks").select("counter").where("name", "=", "counter-test").executeTakeFirstOrThrow();
    expect(Number(row.counter)).toBe(20);
  });

  it.runIf(available)("re-opening applies no migration twice", async () => {
    const again = name === "sqlite" ? await openStore({ url: store.location }) : undefined;
    if (again) {
      expect((await listRuns(again)).length).toBeGreaterThan(0);
      await again.close();
    }
  });
});

describe("exclusive writers across processes", () => {
  // Four separate Node processes each do 25 read-modify-write increments under the same lock.
  const worker = join(process.cwd(), "test", "store", "workers", "increment.ts");

  for (const backend of STORE_BACKENDS) {
    it.runIf(backend.available)(
      `never loses an update on ${backend.name}`,
      async () => {
        const url = backend.name === "sqlite" ? join(tempDir(), "x.db") : await freshPostgresUrl();
        const store = await openStore({ url });
        await store.close();
        const tsx = join(process.cwd(), "node_modules", ".bin", "tsx");
        await Promise.all(Array.from({ length: 4 }, () => run(tsx, [worker, url], { cwd: process.cwd() })));
        const check = await openStore({ url });
        const row = await check.db.selectFrom("store_locks").select("counter").where("name", "=", "xproc-count").executeTakeFirstOrThrow();
        await check.close();
        expect(Number(row.counter)).toBe(100);
      },
      60_000,
    );
  }
});

describe("store errors", () => {
  it("names an unreachable PostgreSQL without its password", async () => {
    await expect(openStore({ url: "postgres://u:secret@127.0.0.1:1/db" })).rejects.toSatisfy(
      (e) => isRampartError(e, "unavailable") && /^postgres:\/\/127\.0\.0\.1:1\/db: cannot connect/.test((e as Error).message) && !(e as Error).message.includes("secret"),
    );
  });
});
