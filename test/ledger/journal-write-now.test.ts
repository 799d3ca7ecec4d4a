import { closeSync, openSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Journal, type LedgerEvent } from "../../src/ledger/index.js";
import { tempDir } from "../helpers/db.js";

// Journal.writeGroupNow (journalOn: serving since session 22): the group is written on the calling thread,
// and under sync "fdatasync" acknowledged only once an fdatasync that began after the write has returned.

const json = (i: number) => JSON.stringify({ kind: "note", actor: "gateway", eventId: `w-${i}`, data: { i } } satisfies LedgerEvent);
const ids = (events: LedgerEvent[]) => events.map((e) => e.eventId);

async function open(dir: string, got: LedgerEvent[], options: { fsync?: boolean; sync?: "fdatasync" | "dsync" | "after-answer"; segmentBytes?: number } = {}) {
  return Journal.open(dir, {
    batchSize: 10_000,
    flushIntervalMs: 5,
    ...options,
    sink: async (events) => {
      got.push(...events);
    },
  });
}

/** The journal's lines in its segment files, oldest first (CRC and tab cut off). */
function linesOnDisk(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".journal"))
    .sort()
    .flatMap((f) => readFileSync(join(dir, f), "utf8").split("\n"))
    .filter((l) => l.length > 0 && l.charCodeAt(0) !== 0)
    .map((l) => l.slice(9));
}

describe("writing a group on the calling thread", () => {
  it("is on disk when the call returns and is acknowledged only after a sync that began after it; a group arriving during a sync is written and synced after it", async () => {
    const dir = tempDir();
    const got: LedgerEvent[] = [];
    const journal = await open(dir, got);
    let firstDone = false;
    let secondDone = false;
    const first = journal.writeGroupNow([json(0), json(1)]).then(() => {
      firstDone = true;
      return journal.backgroundSyncCount;
    });
    // Written synchronously: the lines are in the file before any I/O callback has run.
    expect(linesOnDisk(dir)).toEqual([json(0), json(1)]);
    // The first group's sync is in flight: this one waits in memory, to be written just before the next sync.
    const second = journal.writeGroupNow([json(2)]).then(() => {
      secondDone = true;
      return journal.backgroundSyncCount;
    });
    expect(linesOnDisk(dir)).toEqual([json(0), json(1)]);
    await Promise.resolve();
    expect([firstDone, secondDone]).toEqual([false, false]);
    expect(journal.unsyncedEvents).toBe(3);
    // Each acknowledgement counts the syncs finished by then: the second group needs a second sync.
    expect(await first).toBeGreaterThanOrEqual(1);
    expect(await second).toBeGreaterThanOrEqual(2);
    expect(journal.unsyncedEvents).toBe(0);
    expect(linesOnDisk(dir)).toEqual([json(0), json(1), json(2)]);
    await journal.drain();
    expect(ids(got)).toEqual(["w-0", "w-1", "w-2"]);
    await journal.close();
  });

  it("groups arriving in bursts share syncs (two per burst of 20) and reach the sink once each, in order, across segments", async () => {
    const dir = tempDir();
    const got: LedgerEvent[] = [];
    const journal = await open(dir, got, { segmentBytes: 8_192 });
    // Ten bursts of 20 groups: in each, the first group starts a sync and the other 19, arriving while it
    // runs, are written together and share the next one.
    for (let b = 0; b < 10; b++) await Promise.all(Array.from({ length: 20 }, (_, i) => journal.writeGroupNow([json(b * 20 + i)])));
    expect(journal.backgroundSyncCount).toBeLessThanOrEqual(20);
    await journal.drain();
    expect(ids(got)).toEqual(Array.from({ length: 200 }, (_, i) => `w-${i}`));
    // The writer moved on to later segments (flushed ones are deleted, so the names tell).
    expect(Math.max(...readdirSync(dir).filter((f) => f.endsWith(".journal")).map((f) => Number.parseInt(f, 10)))).toBeGreaterThan(1);
    await journal.close();
  });

  it("without fsync acknowledges once written, with no sync at all", async () => {
    const dir = tempDir();
    const got: LedgerEvent[] = [];
    const journal = await open(dir, got, { fsync: false });
    await journal.writeGroupNow([json(0), json(1)]);
    expect(journal.backgroundSyncCount).toBe(0);
    expect(linesOnDisk(dir)).toEqual([json(0), json(1)]);
    await journal.drain();
    expect(ids(got)).toEqual(["w-0", "w-1"]);
    await journal.close();
  });

  it("a failed fdatasync refuses the groups waiting for it and everything after; they never reach the sink", async () => {
    const dir = tempDir();
    const got: LedgerEvent[] = [];
    const errors: unknown[] = [];
    const journal = await Journal.open(dir, { batchSize: 10_000, flushIntervalMs: 5, onError: (e) => errors.push(e), sink: async (events) => void got.push(...events) });
    await journal.writeGroupNow([json(0)]);
    // A descriptor that takes positional writes but cannot be synced (a character device: EINVAL).
    const inner = journal as unknown as { fd: number };
    const real = inner.fd;
    const unsyncable = openSync("/dev/null", "w");
    inner.fd = unsyncable;
    await expect(journal.writeGroupNow([json(1)])).rejects.toMatchObject({ code: "unavailable" });
    await expect(journal.writeGroupNow([json(2)])).rejects.toMatchObject({ code: "unavailable" });
    expect(errors.length).toBe(1);
    inner.fd = real;
    closeSync(unsyncable);
    await journal.drain().catch(() => {});
    expect(ids(got)).toEqual(["w-0"]);
    await journal.close();
  });

  it("is refused for sync: dsync (an O_DSYNC write would hold the thread for the flush)", async () => {
    const journal = await open(tempDir(), [], { sync: "dsync" });
    await expect(journal.writeGroupNow([json(0)])).rejects.toMatchObject({ code: "conflict" });
    await journal.close();
  });
});
