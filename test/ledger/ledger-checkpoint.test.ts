import { statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { GatewayConfig } from "../../src/gateway/config.js";
import { auditJournalOptions } from "../../src/gateway/server.js";
import type * as source from "../../src/ledger/index.js";
import { ledgerJournalSink } from "../../src/ledger/journal.js";
import { openStore } from "../../src/store/index.js";
import { tempDir } from "../helpers/db.js";
import { ledgerIds, noteEvent } from "./journal-helpers.js";

// The compiled build (made by the global setup): the journal's and the ledger's threads start without a loader.
const { JournalThread } = (await import(pathToFileURL(join(import.meta.dirname, "..", "..", "dist", "ledger", "index.js")).href)) as typeof source;
const ORIGIN = "rampart.local/ledger-checkpoint";

describe("the ledger's WAL checkpoint interval (audit.walCheckpointPages)", () => {
  it("sets SQLite's automatic checkpoint on the sink's connection, and leaves SQLite's default without it", async () => {
    const tuned = await openStore({ url: join(tempDir(), "ledger.db") });
    const plain = await openStore({ url: join(tempDir(), "ledger.db") });
    try {
      ledgerJournalSink(tuned, ORIGIN, { walCheckpointPages: 250 });
      ledgerJournalSink(plain, ORIGIN);
      expect(tuned.sqlite!.pragma("wal_autocheckpoint", { simple: true })).toBe(250);
      expect(plain.sqlite!.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
    } finally {
      await tuned.close();
      await plain.close();
    }
  });

  it("reaches the ledger's thread: a small interval keeps the WAL file small, and every event is in the ledger once", async () => {
    const walBytes = async (pages: number | undefined) => {
      const db = join(tempDir(), "ledger.db");
      const journal = await JournalThread.open(join(tempDir(), "journal"), {
        ledger: { url: db, origin: ORIGIN, ...(pages === undefined ? {} : { walCheckpointPages: pages }) },
        batchSize: 200,
        flushIntervalMs: 10,
      });
      try {
        // In turns of 50, as a busy serving thread sends them.
        for (let i = 0; i < 2_000; i += 50) await Promise.all(Array.from({ length: 50 }, (_, k) => journal.append(noteEvent(i + k))));
        await journal.drain();
        // Read while the ledger's connection is open: the last connection to close checkpoints and removes the WAL.
        const size = statSync(`${db}-wal`).size;
        const ids = await ledgerIds(db, ORIGIN);
        expect(ids).toHaveLength(2_000);
        expect(new Set(ids).size).toBe(2_000);
        return size;
      } finally {
        await journal.close();
      }
    };
    const small = await walBytes(16);
    const standard = await walBytes(undefined);
    // 2,000 small events fill well under SQLite's 1,000 pages, so the default never checkpoints and its WAL holds
    // them all; at 16 pages it is checkpointed after every batch and reused from its start.
    expect(small).toBeLessThan(standard / 2);
  }, 60_000);

  it("is an optional, positive whole number in gateway.yaml, passed to the ledger", () => {
    const base = { auth: {}, audit: { journal: "j" }, models: [{ name: "m", type: "onnx", onnx: "m.onnx" }] };
    const parsed = GatewayConfig.parse({ ...base, audit: { ...base.audit, walCheckpointPages: 250 } });
    expect(auditJournalOptions(parsed.audit!, () => {}).ledger.walCheckpointPages).toBe(250);
    expect(auditJournalOptions(GatewayConfig.parse(base).audit!, () => {}).ledger.walCheckpointPages).toBeUndefined();
    for (const bad of [0, -5, 2.5, "250"]) expect(GatewayConfig.safeParse({ ...base, audit: { ...base.audit, walCheckpointPages: bad } }).success, String(bad)).toBe(false);
  });
});
