import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type * as source from "../../src/gateway/index.js";
import { decodeEntry } from "../../src/ledger/entry.js";
import { Ledger } from "../../src/ledger/index.js";
import { openStore } from "../../src/store/index.js";
import { tempDir } from "../helpers/db.js";
import { makeTabularModel, sampleRows, type TabularModel } from "./tabular-model.js";

// The compiled build (made by the global setup): the journal and ledger threads start without a
// TypeScript loader, several times faster than from the sources. Same code, same types.
const DIST = "../../dist/gateway/index.js";
const { buildGateway, GatewayConfig } = (await import(DIST)) as typeof source;

const KEY = "audit-key";
let dir: string;
let tab: TabularModel;

beforeAll(() => {
  dir = tempDir();
  tab = makeTabularModel(dir);
  writeFileSync(join(dir, "access.cedar"), `@id("scorer")\npermit (principal == Rampart::Service::"scorer", action == Rampart::Action::"call-model", resource);\n`);
});

function config(name: string, journalOn: "thread" | "serving" = "thread", sync: "fdatasync" | "after-answer" = "fdatasync") {
  return GatewayConfig.parse({
    auth: { apiKeys: [{ principal: "scorer", sha256: createHash("sha256").update(KEY).digest("hex") }] },
    access: { policies: [join(dir, "access.cedar")] },
    audit: { journal: join(dir, `${name}.journal`), database: join(dir, `${name}.db`), origin: `rampart.local/${name}`, journalOn, sync },
    models: [{ name: "credit", type: "onnx", onnx: tab.onnx, profile: tab.profile }],
  });
}

const infer = { method: "POST" as const, url: "/v1/models/credit/infer", payload: { inputs: { features: sampleRows(1, 5).rows } } };

// Both forms of the journal: on its own thread (default) and on the serving thread (journalOn: serving);
// each with the default sync and with group commit after the answer.
describe.each([
  ["thread", "fdatasync"],
  ["serving", "fdatasync"],
  ["thread", "after-answer"],
  ["serving", "after-answer"],
] as const)("gateway audit, journal on the %s thread, sync %s", (journalOn, sync) => {
  it("answers only after the decision is journalled, and every decision of a turn reaches the ledger", async () => {
    const name = `audit-ok-${journalOn}-${sync}`;
    const app = await buildGateway(config(name, journalOn, sync));
    try {
      const t0 = Date.now();
      // Concurrent requests: their events share one message to the journal thread and one fdatasync.
      const answers = await Promise.all([
        ...Array.from({ length: 20 }, () => app.inject({ ...infer, headers: { "x-api-key": KEY } })),
        app.inject({ ...infer, headers: { "x-api-key": "wrong" } }),
      ]);
      expect(answers.map((a) => a.statusCode)).toEqual([...Array(20).fill(200), 401]);
      // Request ids (the ledger event ids) are time-ordered UUIDs: version 7, milliseconds first.
      for (const a of answers) {
        const id = String(a.headers["x-request-id"]);
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        const ms = Number.parseInt(id.replace(/-/g, "").slice(0, 12), 16);
        expect(ms).toBeGreaterThanOrEqual(t0);
        expect(ms).toBeLessThanOrEqual(Date.now());
      }
      // Each answer left after its event was written to the journal (segments are only deleted after rotation).
      const journalDir = join(dir, `${name}.journal`);
      const onDisk = readdirSync(journalDir)
        .filter((f) => f.endsWith(".journal"))
        .map((f) => readFileSync(join(journalDir, f), "utf8"))
        .join("");
      for (const a of answers) expect(onDisk).toContain(`"eventId":"gateway:${a.headers["x-request-id"]}"`);
      await app.gateway.journal!.drain();
      // On the serving thread the journal is in reach: with after-answer its groups were synced in the background, never before an answer.
      const served = app.gateway.journal!;
      if (!("worker" in served)) expect(served.journal.backgroundSyncCount > 0).toBe(sync === "after-answer");
      const store = await openStore({ url: join(dir, `${name}.db`) });
      const ledger = await Ledger.open(store, `rampart.local/${name}`);
      for (const a of answers) {
        const row = await ledger.entryByEventId(`gateway:${a.headers["x-request-id"]}`);
        expect(row, `request ${a.headers["x-request-id"]}`).toBeDefined();
        expect(decodeEntry(row!.leafData)!.data).toMatchObject({ decision: a.statusCode === 200 ? "allow" : "deny", status: a.statusCode });
      }
      expect((await ledger.state()).size).toBe(21);
      await store.close();
    } finally {
      await app.close();
    }
  });

  it("fails closed with audit-unavailable when the journal cannot write (its thread dies, or its file is gone)", async () => {
    const app = await buildGateway(config(`audit-dead-${journalOn}-${sync}`, journalOn, sync));
    try {
      expect((await app.inject({ ...infer, headers: { "x-api-key": KEY } })).statusCode).toBe(200);
      const journal = app.gateway.journal!;
      // On the serving thread the journal cannot die alone: its segment's descriptor is swapped for one
      // that is not open (closing the real one could let another file reuse its number), so every write fails.
      const inner = "worker" in journal ? undefined : (journal.journal as unknown as { fd: number });
      const fd = inner?.fd;
      if ("worker" in journal) await journal.worker.terminate();
      else inner!.fd = 1 << 30;
      for (const headers of [{ "x-api-key": KEY }, { "x-api-key": "wrong" }]) {
        const res = await app.inject({ ...infer, headers });
        expect(res.statusCode).toBe(503);
        expect(res.json()).toEqual({ error: { type: "audit-unavailable", message: "the decision could not be recorded; refused" } });
        // No model output leaks with the refusal.
        expect(res.body).not.toContain("probabilities");
      }
      if (inner) inner.fd = fd!;
    } finally {
      await app.close();
    }
  });
});

describe("request ids", () => {
  it("request ids grow with time and stay unique within a millisecond", async () => {
    const { timeOrderedId } = await import("../../src/gateway/server.js");
    const first = timeOrderedId();
    await new Promise((r) => setTimeout(r, 3));
    const burst = Array.from({ length: 10_000 }, timeOrderedId);
    expect(new Set(burst).size).toBe(10_000);
    for (const id of burst) expect(id > first).toBe(true);
  });
});
