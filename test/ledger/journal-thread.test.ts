import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type * as source from "../../src/ledger/index.js";
import { Journal } from "../../src/ledger/index.js";
import { tempDir } from "../helpers/db.js";
import { ledgerIds, noteEvent } from "./journal-helpers.js";

// The compiled build (made by the global setup): its worker threads start without a TypeScript loader,
// three times faster than from the sources. Same code, same types.
const DIST = "../../dist/ledger/index.js";
const { JournalThread, workerLedgerSink } = (await import(DIST)) as typeof source;

const ORIGIN = "rampart.local/journal-thread";
const event = noteEvent;

describe("the journal on its own thread", () => {
  it("acknowledges each turn's batch after the write and delivers every event to the ledger once, in order", async () => {
    const dir = tempDir();
    const db = join(tempDir(), "ledger.db");
    // Small segments: the thread rotates files between groups.
    const journal = await JournalThread.open(join(dir, "journal"), { ledger: { url: db, origin: ORIGIN }, batchSize: 64, flushIntervalMs: 20, segmentBytes: 4_000 });
    // Three turns of appends: each turn is one message and one group commit.
    for (let turn = 0; turn < 3; turn++) await Promise.all(Array.from({ length: 100 }, (_, i) => journal.append(event(turn * 100 + i))));
    // An event without an id gets one, so a replay cannot log it twice.
    await journal.append({ kind: "note", data: { anonymous: true } });
    await journal.drain();
    const stats = await journal.stats();
    expect(stats).toEqual({ pending: 0, flushed: 301 });
    await journal.close();
    // Flushed segments are deleted; at most the last one or two are left.
    expect(readdirSync(join(dir, "journal")).filter((f) => f.endsWith(".journal")).length).toBeLessThanOrEqual(2);
    const ids = await ledgerIds(db, ORIGIN);
    expect(ids.slice(0, 300)).toEqual(Array.from({ length: 300 }, (_, i) => `t-${i}`));
    expect(ids[300]).toMatch(/^journal:[0-9a-f-]{36}$/);
    await expect(journal.append(event(1))).rejects.toThrow(/closed|stopped/);
  });

  it("fails closed when the worker dies: waiting and later appends are refused, none hangs", async () => {
    const dir = tempDir();
    const journal = await JournalThread.open(join(dir, "journal"), { ledger: { url: join(dir, "ledger.db"), origin: ORIGIN } });
    await journal.append(event(0));
    const inFlight = journal.append(event(1));
    await journal.worker.terminate();
    // Acknowledged before the worker stopped, or refused: never left waiting.
    await Promise.race([inFlight.catch(() => {}), new Promise((_, reject) => setTimeout(() => reject(new Error("append left hanging")), 5_000))]);
    await expect(journal.append(event(2))).rejects.toMatchObject({ code: "unavailable", message: expect.stringMatching(/audit journal worker stopped/) });
    await expect(journal.stats()).rejects.toThrow(/stopped/);
    await journal.close();
  });

  it("after the worker is killed mid-stream, a new one replays from disk and the ledger holds every acknowledged event exactly once", async () => {
    const dir = join(tempDir(), "journal");
    const db = join(tempDir(), "ledger.db");
    // First life: the flusher only runs when asked, so the ledger has exactly the first 200 events when the worker dies.
    const first = await JournalThread.open(dir, { ledger: { url: db, origin: ORIGIN }, batchSize: 1_000, flushIntervalMs: 60_000 });
    const acked: string[] = [];
    for (let turn = 0; turn < 10; turn++) {
      if (turn === 5) await first.drain();
      const batch = Array.from({ length: 40 }, (_, i) => event(turn * 40 + i));
      await Promise.all(batch.map((e) => first.append(e)));
      acked.push(...batch.map((e) => e.eventId!));
    }
    // One more event in flight when the thread is killed (no close, no drain: like kill -9).
    let lastAcked = false;
    const last = first.append(event(999)).then(
      () => {
        lastAcked = true;
      },
      () => {},
    );
    await first.worker.terminate();
    await last;
    expect(await ledgerIds(db, ORIGIN)).toEqual(acked.slice(0, 200));

    const second = await JournalThread.open(dir, { ledger: { url: db, origin: ORIGIN }, batchSize: 64, flushIntervalMs: 30 });
    expect((await second.stats()).pending).toBeGreaterThanOrEqual(200);
    // Appended in the same turn as the drain: the drain covers it.
    const appended = second.append(event(400));
    await second.drain();
    await appended;
    await second.close();
    const ids = await ledgerIds(db, ORIGIN);
    // Every acknowledged event once, in order; the unacknowledged one at most once.
    const expected = lastAcked || ids.includes("t-999") ? [...acked, "t-999", "t-400"] : [...acked, "t-400"];
    expect(ids).toEqual(expected);
  });

  it("a journal it cannot open is one clear error naming the file", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "cursor.json"), "{nope");
    await expect(JournalThread.open(dir, { ledger: { url: join(tempDir(), "ledger.db"), origin: ORIGIN } })).rejects.toThrow(/cursor\.json: not a journal cursor/);
  });
});

describe("the flusher's in-memory tail", () => {
  it("falls back to reading segment files when the tail outgrew its cap while the sink was down, then returns to memory", async () => {
    const dir = tempDir();
    let up = false;
    const got: string[] = [];
    const batches: number[] = [];
    const journal = await Journal.open(dir, {
      memoryEvents: 30,
      batchSize: 16,
      flushIntervalMs: 5,
      segmentBytes: 4_000,
      sink: async (events) => {
        if (!up) throw new Error("ledger down");
        batches.push(events.length);
        got.push(...events.map((e) => e.eventId!));
      },
    });
    for (let turn = 0; turn < 10; turn++) await Promise.all(Array.from({ length: 10 }, (_, i) => journal.append(event(turn * 10 + i))));
    up = true;
    await journal.drain();
    for (let turn = 10; turn < 15; turn++) await Promise.all(Array.from({ length: 10 }, (_, i) => journal.append(event(turn * 10 + i))));
    await journal.drain();
    expect(got).toEqual(Array.from({ length: 150 }, (_, i) => `t-${i}`));
    expect(Math.max(...batches)).toBeLessThanOrEqual(16);
    await journal.close();
  });

  it.skipIf(process.platform !== "linux")("runs the ledger thread at a lower CPU priority (nice 10), so a large batch never delays answers", async () => {
    // Thread ids running at nice 10 (field 19 of /proc/PID/task/TID/stat).
    const lowered = () =>
      readdirSync("/proc/self/task").filter((t) => {
        try {
          const stat = readFileSync(`/proc/self/task/${t}/stat`, "utf8");
          return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16] === "10";
        } catch {
          return false; // the thread ended meanwhile
        }
      });
    // Ledger threads of earlier tests may still be stopping: look for a thread that was not there before.
    const before = new Set(lowered());
    const ledger = workerLedgerSink({ url: join(tempDir(), "ledger.db"), origin: ORIGIN });
    try {
      await ledger.sink([event(1)]); // answered, so the thread is up and has set its priority
      expect(lowered().filter((t) => !before.has(t)).length).toBeGreaterThan(0);
    } finally {
      await ledger.close();
    }
  });
});
