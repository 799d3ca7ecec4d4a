import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type * as source from "../../src/ledger/index.js";
import { tempDir } from "../helpers/db.js";
import { ledgerIds, noteEvent } from "./journal-helpers.js";

// The compiled build (made by the global setup): the ledger's worker thread starts without a TypeScript loader.
const DIST = "../../dist/ledger/index.js";
const { JournalThread, ServingJournal } = (await import(DIST)) as typeof source;

const ORIGIN = "rampart.local/journal-serving";
const event = noteEvent;

describe("the journal on the serving thread", () => {
  it("acknowledges each turn's events as one group after the write and delivers every event to the ledger once, in order", async () => {
    const dir = join(tempDir(), "journal");
    const db = join(tempDir(), "ledger.db");
    const journal = await ServingJournal.open(dir, { ledger: { url: db, origin: ORIGIN }, batchSize: 64, flushIntervalMs: 20, segmentBytes: 4_000 });
    // A turn's appends share one promise (one group, one fdatasync).
    const turn = Array.from({ length: 100 }, (_, i) => journal.append(event(i)));
    expect(new Set(turn).size).toBe(1);
    await Promise.all(turn);
    for (let t = 1; t < 3; t++) await Promise.all(Array.from({ length: 100 }, (_, i) => journal.append(event(t * 100 + i))));
    // An event without an id gets one, so a replay cannot log it twice.
    await journal.append({ kind: "note", data: { anonymous: true } });
    await journal.drain();
    expect(await journal.stats()).toEqual({ pending: 0, flushed: 301 });
    await journal.close();
    expect(readdirSync(dir).filter((f) => f.endsWith(".journal")).length).toBeLessThanOrEqual(2);
    const ids = await ledgerIds(db, ORIGIN);
    expect(ids.slice(0, 300)).toEqual(Array.from({ length: 300 }, (_, i) => `t-${i}`));
    expect(ids[300]).toMatch(/^journal:[0-9a-f-]{36}$/);
    await expect(journal.append(event(1))).rejects.toMatchObject({ code: "unavailable" });
  });

  it("inline: each turn is one group written and synced before the loop goes on; every event reaches the ledger once, in order", async () => {
    const dir = join(tempDir(), "journal");
    const db = join(tempDir(), "ledger.db");
    const journal = await ServingJournal.open(dir, { ledger: { url: db, origin: ORIGIN }, batchSize: 64, flushIntervalMs: 20, segmentBytes: 4_000, inline: true });
    for (let t = 0; t < 3; t++) {
      const turn = Array.from({ length: 100 }, (_, i) => journal.append(event(t * 100 + i)));
      expect(new Set(turn).size).toBe(1);
      // The group is written at the turn's end: once an immediate has run, it is on disk and acknowledged.
      let acked = false;
      void turn[0]!.then(() => {
        acked = true;
      });
      await new Promise((r) => setImmediate(r));
      await Promise.resolve();
      expect(acked).toBe(true);
      expect((await journal.stats()).pending + (await journal.stats()).flushed).toBe((t + 1) * 100);
    }
    await journal.drain();
    expect(await journal.stats()).toEqual({ pending: 0, flushed: 300 });
    await journal.close();
    expect(await ledgerIds(db, ORIGIN)).toEqual(Array.from({ length: 300 }, (_, i) => `t-${i}`));
    await expect(journal.append(event(1))).rejects.toMatchObject({ code: "unavailable" });
  });

  it("refuses an event over the entry limit without journalling it", async () => {
    const journal = await ServingJournal.open(join(tempDir(), "journal"), { ledger: { url: join(tempDir(), "ledger.db"), origin: ORIGIN } });
    await expect(journal.append({ kind: "note", eventId: "big", data: { text: "x".repeat(2 << 20) } })).rejects.toMatchObject({ code: "limit" });
    await journal.append(event(1));
    await journal.drain();
    expect((await journal.stats()).flushed).toBe(1);
    await journal.close();
  });

  // Both forms share the segment files and the replay: a process killed with the journal on its serving
  // thread is replayed by either form, and the ledger then holds every acknowledged event exactly once.
  it.each([
    ["serving", "async"],
    ["journal", "async"],
    ["serving", "inline"],
    ["journal", "inline"],
    // Without fsync a turn is acknowledged once written (no sync): a killed process's page cache survives it.
    ["serving", "nofsync"],
  ] as const)("after kill -9 mid-stream, reopened on the %s thread, the ledger holds every acknowledged event exactly once (writer: %s)", async (form, mode) => {
    const dir = join(tempDir(), "journal");
    const db = join(tempDir(), "ledger.db");
    const child = spawn(process.execPath, [join(import.meta.dirname, "workers", "serving-journal.mjs"), dir, db, ORIGIN, "25", mode], { stdio: ["ignore", "pipe", "inherit"] });
    let acked = 0;
    await new Promise<void>((resolve, reject) => {
      child.once("exit", (code) => reject(new Error(`writer exited early (${code})`)));
      child.stdout!.on("data", (d: Buffer) => {
        for (const m of String(d).matchAll(/acked (\d+)/g)) acked = Math.max(acked, Number(m[1]));
        // Kill while appends are in flight and the ledger is behind (no close, no drain).
        if (acked >= 1_000) {
          child.removeAllListeners("exit");
          child.kill("SIGKILL");
          child.once("exit", () => resolve());
        }
      });
    });
    const Form = form === "serving" ? ServingJournal : JournalThread;
    const again = await Form.open(dir, { ledger: { url: db, origin: ORIGIN }, batchSize: 256, flushIntervalMs: 10 });
    await again.drain();
    await again.close();
    const ids = await ledgerIds(db, ORIGIN);
    expect(new Set(ids).size).toBe(ids.length);
    // Every acknowledged event, in order; after them at most the unacknowledged ones that reached the disk.
    expect(ids.slice(0, acked)).toEqual(Array.from({ length: acked }, (_, i) => `s-${i}`));
    expect(ids.slice(acked)).toEqual(Array.from({ length: ids.length - acked }, (_, i) => `s-${acked + i}`));
  });
});
