import { execFileSync } from "node:child_process";
import {
  appendFileSync,
  closeSync as closeFd,
  constants,
  copyFileSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeEntry } from "../../src/ledger/entry.js";
import { auditLog, Journal, Ledger, type LedgerEvent, ledgerJournalSink } from "../../src/ledger/index.js";
import { openStore } from "../../src/store/index.js";
import { tempDir } from "../helpers/db.js";

const event = (i: number): LedgerEvent => ({ kind: "note", actor: "gateway", eventId: `e-${i}`, data: { i } });

async function ledgerIds(ledger: Ledger): Promise<string[]> {
  const ids: string[] = [];
  for await (const row of ledger.entries()) ids.push(decodeEntry(row.leafData)!.id!);
  return ids;
}

describe("journal in front of the ledger", () => {
  it("acknowledges after fsync and delivers every event once, in order, in batches", async () => {
    const dir = tempDir();
    const batches: number[] = [];
    const got: LedgerEvent[] = [];
    const journal = await Journal.open(dir, {
      batchSize: 50,
      flushIntervalMs: 10,
      sink: async (events) => {
        batches.push(events.length);
        got.push(...events);
      },
    });
    await Promise.all(Array.from({ length: 300 }, (_, i) => journal.append(event(i))));
    // Every acknowledged event is already in a segment file before any flush.
    const onDisk = readdirSync(dir)
      .filter((f) => f.endsWith(".journal"))
      .map((f) => readFileSync(join(dir, f), "utf8"))
      .join("");
    await journal.drain();
    expect(got.map((e) => e.eventId)).toEqual(Array.from({ length: 300 }, (_, i) => `e-${i}`));
    expect(Math.max(...batches)).toBeLessThanOrEqual(50);
    expect(onDisk.split("\n").filter(Boolean).length + got.length).toBeGreaterThanOrEqual(300);
    await journal.close();
  });

  it("does not chase the writer: at a steady trickle the sink gets one batch per tick, not one per group", async () => {
    const dir = tempDir();
    const batches: number[] = [];
    const journal = await Journal.open(dir, {
      batchSize: 512,
      flushIntervalMs: 100,
      fsync: false,
      sink: async (events) => {
        // A durable point alone (no events) is not a commit of events.
        if (events.length === 0) return;
        batches.push(events.length);
        // A ledger commit takes a while: a flusher that chased the writer would take 1–2 events each time.
        await new Promise((r) => setTimeout(r, 2));
      },
    });
    // ~1 event per millisecond for ~400 ms, each its own group.
    for (let i = 0; i < 400; i++) {
      await journal.append(event(i));
      if (i % 4 === 3) await new Promise((r) => setTimeout(r, 4));
    }
    await journal.drain();
    expect(batches.reduce((a, b) => a + b, 0)).toBe(400);
    // Ticks every 100 ms over the run (plus the drain), not hundreds of small commits.
    expect(batches.length).toBeLessThanOrEqual(12);
    await journal.close();
  });

  it("still hands full batches over at once, without waiting for the tick", async () => {
    const dir = tempDir();
    const batches: number[] = [];
    const journal = await Journal.open(dir, {
      batchSize: 50,
      flushIntervalMs: 60_000,
      fsync: false,
      sink: async (events) => {
        batches.push(events.length);
      },
    });
    await Promise.all(Array.from({ length: 120 }, (_, i) => journal.append(event(i))));
    for (let i = 0; i < 100 && batches.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    // Two full batches went without a tick; the 20 left wait for the tick (or a drain).
    expect(batches.slice(0, 2)).toEqual([50, 50]);
    await journal.drain();
    expect(batches.reduce((a, b) => a + b, 0)).toBe(120);
    await journal.close();
  });

  it("leaves the ledger's SQLite commits unsynced (NORMAL) and makes durable points every durableEvents events", async () => {
    const store = await openStore({ url: join(tempDir(), "rampart.db") });
    const real = ledgerJournalSink(store, "rampart.local/journal-test");
    expect(store.sqlite!.pragma("synchronous", { simple: true })).toBe(1); // NORMAL: no sync per commit
    const dir = tempDir();
    const calls: Array<{ n: number; durable: boolean; cursor: string; segments: number }> = [];
    const journal = await Journal.open(dir, {
      batchSize: 20,
      flushIntervalMs: 5,
      durableEvents: 100,
      durableIntervalMs: 60_000,
      segmentBytes: 3_000,
      preallocate: false,
      sink: async (events, durable) => {
        // What the journal kept on disk when this batch arrived: the cursor and segments of the previous durable point.
        calls.push({
          n: events.length,
          durable,
          cursor: existsSync(join(dir, "cursor.json")) ? readFileSync(join(dir, "cursor.json"), "utf8") : "",
          segments: readdirSync(dir).filter((f) => f.endsWith(".journal")).length,
        });
        await real(events, durable);
      },
    });
    for (let i = 0; i < 25; i++) await Promise.all(Array.from({ length: 10 }, (_, j) => journal.append(event(i * 10 + j))));
    await journal.drain();
    expect(calls.reduce((a, c) => a + c.n, 0)).toBe(250);
    // A durable point once 100 events went over (twice) and one at the drain: not one per commit.
    let since = 0;
    for (const c of calls) {
      since += c.n;
      if (c.durable) {
        // The batch that reaches 100 carries the point: at most a batch (20) less one past it.
        expect(since).toBeLessThan(120);
        since = 0;
      }
    }
    expect(calls.filter((c) => c.durable).length).toBe(3);
    expect(journal.durablePointCount).toBe(3);
    // Between durable points the cursor file stays put and the segments stay, however many batches went.
    const firstDurable = calls.findIndex((c) => c.durable);
    expect(new Set(calls.slice(0, firstDurable + 1).map((c) => c.cursor)).size).toBe(1);
    expect(calls[firstDurable]!.segments).toBeGreaterThan(1);
    await journal.close();
    // Closed after a durable point: nothing to hand over again.
    const again = await Journal.open(dir, { sink: async () => {} });
    expect(again.pending).toBe(0);
    await again.close();
    await store.close();
  });

  it("makes a durable point durableIntervalMs after the last one when events trickle in below durableEvents", async () => {
    const dir = tempDir();
    const calls: Array<{ n: number; durable: boolean; at: number }> = [];
    const journal = await Journal.open(dir, {
      batchSize: 512,
      flushIntervalMs: 20,
      durableEvents: 1_000_000,
      durableIntervalMs: 150,
      fsync: false,
      sink: async (events, durable) => void calls.push({ n: events.length, durable, at: Date.now() }),
    });
    const t0 = Date.now();
    for (let i = 0; i < 20; i++) {
      await journal.append(event(i));
      await new Promise((r) => setTimeout(r, 10));
    }
    // After the last event a durable point still comes (alone, with no events) within the interval and a tick.
    await new Promise((r) => setTimeout(r, 300));
    const points = calls.filter((c) => c.durable);
    expect(points.length).toBeGreaterThanOrEqual(1);
    expect(points.length).toBeLessThanOrEqual(Math.ceil((Date.now() - t0) / 150) + 1);
    expect(calls.at(-1)).toMatchObject({ durable: true });
    expect(calls.reduce((a, c) => a + c.n, 0)).toBe(20);
    const before = calls.length;
    await new Promise((r) => setTimeout(r, 200));
    // Nothing new: no further durable points.
    expect(calls.length).toBe(before);
    await journal.close();
  });

  it("a drain whose durable point fails says so; the events stay in the journal for the next open", async () => {
    const dir = tempDir();
    let syncing = false;
    const got: string[] = [];
    const journal = await Journal.open(dir, {
      flushIntervalMs: 5,
      durableEvents: 1_000_000,
      durableIntervalMs: 60_000,
      sink: async (events, durable) => {
        got.push(...events.map((e) => e.eventId!));
        if (durable && !syncing) throw new Error("disk gone");
      },
    });
    await Promise.all(Array.from({ length: 10 }, (_, i) => journal.append(event(i))));
    await expect(journal.drain(1_000)).rejects.toThrow(/disk gone/);
    await journal.close();
    expect(got).toHaveLength(10);
    // No durable point was made: the next open hands all ten over again (the ledger would skip them).
    syncing = true;
    const again = await Journal.open(dir, { sink: async (events) => void got.push(...events.map((e) => e.eventId!)) });
    expect(again.pending).toBe(10);
    await again.drain();
    await again.close();
    expect(got).toHaveLength(20);
  });

  it("after a power cut that costs the ledger its commits since the last durable point, every acknowledged event is in it exactly once", async () => {
    // Three lives; each ends like kill -9 followed by a power cut: the ledger goes back to the copy taken
    // at its last durable point (what fdatasync of the WAL had made permanent), the journal keeps what it
    // fdatasynced. Seeded, so a failure reproduces.
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const dir = tempDir();
    const dbDir = tempDir();
    const db = join(dbDir, "ledger.db");
    const snap = join(dbDir, "durable.db");
    const origin = "rampart.local/journal-power";
    const acked: string[] = [];
    let next = 0;
    // Events the ledger had committed past its last durable point when the power went: what the cut loses.
    let lost = 0;
    for (let life = 0; life < 3; life++) {
      const store = await openStore({ url: db });
      const real = ledgerJournalSink(store, origin);
      let dead = false;
      let points = 0;
      let since = 0;
      const journal = await Journal.open(dir, {
        batchSize: 16,
        flushIntervalMs: 3,
        durableEvents: 40 + rnd(40),
        durableIntervalMs: 60_000,
        segmentBytes: 4_000,
        preallocate: life !== 1,
        sink: async (events, durable) => {
          if (dead) throw new Error("power cut");
          await real(events, durable);
          since += events.length;
          if (durable) {
            rmSync(snap, { force: true });
            store.sqlite!.exec(`VACUUM INTO '${snap}'`);
            points++;
            since = 0;
          }
        },
      });
      const groups = 20 + rnd(30);
      for (let g = 0; g < groups; g++) {
        const batch = Array.from({ length: 1 + rnd(12) }, () => event(next++));
        await Promise.all(batch.map((e) => journal.append(e)));
        acked.push(...batch.map((e) => e.eventId!));
        if (rnd(4) === 0) await new Promise((r) => setTimeout(r, rnd(8)));
      }
      // The ledger took more than its last durable point holds (else this life tests nothing).
      await new Promise((r) => setTimeout(r, 30));
      dead = true;
      expect(points).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 20));
      lost += since;
      await store.close();
      // The power cut: the ledger is what its last durable point made permanent.
      for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
      copyFileSync(snap, db);
    }
    expect(lost).toBeGreaterThan(0);
    const store = await openStore({ url: db });
    const journal = await Journal.open(dir, { batchSize: 64, flushIntervalMs: 3, sink: ledgerJournalSink(store, origin) });
    await journal.drain();
    await journal.close();
    const ledger = await Ledger.open(store, origin);
    expect(await ledgerIds(ledger)).toEqual(acked);
    // The Merkle tree over the replayed entries checks out (leaves, stored subtrees, root, size).
    const audit = await auditLog(ledger);
    expect(audit.problems).toEqual([]);
    expect(audit.size).toBe(acked.length);
    await store.close();
  });

  it("replays the unflushed tail after a crash, cuts a torn last line, and the ledger holds each event exactly once", async () => {
    const dir = tempDir();
    const store = await openStore({ url: join(tempDir(), "rampart.db") });
    const ledger = await Ledger.open(store, "rampart.local/journal-test");
    const real = ledgerJournalSink(store, "rampart.local/journal-test");
    // First life: the sink takes the first batch into the ledger, then "crashes" before the cursor moves.
    let calls = 0;
    const first = await Journal.open(dir, {
      batchSize: 40,
      flushIntervalMs: 5,
      sink: async (events) => {
        calls++;
        await real(events);
        if (calls >= 2) throw new Error("process died here");
      },
    });
    await Promise.all(Array.from({ length: 100 }, (_, i) => first.append(event(i))));
    await new Promise((r) => setTimeout(r, 100));
    // Simulate kill -9: abandon the object (no close) and leave half a line at the end of the segment.
    const seg = readdirSync(dir)
      .filter((f) => f.endsWith(".journal"))
      .sort()
      .at(-1)!;
    appendFileSync(join(dir, seg), '0badc0de\t{"kind":"note","eventId":"torn"');
    expect((await ledgerIds(ledger)).length).toBeGreaterThan(0);
    expect((await ledgerIds(ledger)).length).toBeLessThan(100);

    const second = await Journal.open(dir, { batchSize: 40, flushIntervalMs: 5, sink: real });
    expect(second.pending).toBeGreaterThan(0);
    await second.append(event(100));
    await second.drain();
    const ids = await ledgerIds(ledger);
    expect(ids).toHaveLength(101);
    expect(new Set(ids).size).toBe(101);
    expect(ids).not.toContain("torn");
    await second.close();
    await store.close();
  });

  it("rotates segments and deletes the flushed ones; a corrupt cursor is one clear error", async () => {
    const dir = tempDir();
    let n = 0;
    const journal = await Journal.open(dir, {
      segmentBytes: 2_000,
      batchSize: 7,
      flushIntervalMs: 5,
      sink: async (e) => {
        n += e.length;
      },
    });
    for (let i = 0; i < 20; i++) await Promise.all(Array.from({ length: 10 }, (_, j) => journal.append(event(i * 10 + j))));
    await journal.drain();
    expect(n).toBe(200);
    await journal.close();
    expect(readdirSync(dir).filter((f) => f.endsWith(".journal")).length).toBeLessThanOrEqual(2);
    writeFileSync(join(dir, "cursor.json"), "{nope");
    await expect(Journal.open(dir, { sink: async () => {} })).rejects.toThrow(/cursor\.json: not a journal cursor/);
  });

  it("keeps events when the sink is down and delivers them when it comes back", async () => {
    const dir = tempDir();
    let up = false;
    const got: string[] = [];
    const errors: unknown[] = [];
    const journal = await Journal.open(dir, {
      flushIntervalMs: 5,
      onError: (e) => errors.push(e),
      sink: async (events) => {
        if (!up) throw new Error("ledger down");
        got.push(...events.map((e) => e.eventId!));
      },
    });
    await Promise.all(Array.from({ length: 20 }, (_, i) => journal.append(event(i))));
    await new Promise((r) => setTimeout(r, 60));
    expect(got).toHaveLength(0);
    expect(errors.length).toBeGreaterThan(0);
    expect(journal.pending).toBe(20);
    up = true;
    await journal.drain();
    expect(got).toHaveLength(20);
    await journal.close();
  });

  it("writes groups synchronously for a thread that owns the journal, rotating between groups", async () => {
    const dir = tempDir();
    const got: string[] = [];
    const journal = await Journal.open(dir, { segmentBytes: 1_500, batchSize: 30, flushIntervalMs: 5, sink: async (e) => void got.push(...e.map((x) => x.eventId!)) });
    for (let g = 0; g < 12; g++) {
      journal.writeGroupSync(Array.from({ length: 10 }, (_, i) => JSON.stringify(event(g * 10 + i))));
      await journal.rotateIfFull();
    }
    expect(readdirSync(dir).filter((f) => f.endsWith(".journal")).length).toBeGreaterThan(3);
    await journal.drain();
    expect(got).toEqual(Array.from({ length: 120 }, (_, i) => `e-${i}`));
    await journal.close();
    expect(() => journal.writeGroupSync([JSON.stringify(event(0))])).toThrow(/closed/);
    // Nothing is replayed: every group was flushed and the cursor moved past it.
    const again = await Journal.open(dir, { sink: async () => {} });
    expect(again.pending).toBe(0);
    await again.close();
  });

  it("with sync: dsync, every segment it writes is open with O_DSYNC (both write paths, across rollovers) and replays like the default", async () => {
    /** The O_DSYNC bit of each open descriptor of this process on a segment file in `dir`. */
    const segmentFlags = (dir: string) =>
      readdirSync("/proc/self/fd").flatMap((fd) => {
        let target: string;
        try {
          target = readlinkSync(`/proc/self/fd/${fd}`);
        } catch {
          return [];
        }
        if (!target.startsWith(dir) || !target.endsWith(".journal")) return [];
        const flags = Number.parseInt(/flags:\s+([0-7]+)/.exec(readFileSync(`/proc/self/fdinfo/${fd}`, "utf8"))![1]!, 8);
        return [(flags & constants.O_DSYNC) !== 0];
      });
    for (const [sync, preallocate] of [
      ["dsync", true],
      ["dsync", false],
      ["fdatasync", true],
    ] as const) {
      const dir = tempDir();
      // The ledger is down all along: every event stays in the segment files for the reopen.
      const down = async () => {
        throw new Error("ledger down");
      };
      const journal = await Journal.open(dir, { sync, preallocate, segmentBytes: 4_096, flushIntervalMs: 60_000, batchSize: 1_000_000, sink: down, onError: () => {} });
      // The asynchronous path (append), then the synchronous one (writeGroupSync), each past a segment's end.
      await Promise.all(Array.from({ length: 60 }, (_, i) => journal.append(event(i))));
      expect(segmentFlags(dir)).toEqual([sync === "dsync"]);
      for (let g = 0; g < 6; g++) journal.writeGroupSync(Array.from({ length: 10 }, (_, i) => JSON.stringify(event(60 + g * 10 + i))));
      expect(segmentFlags(dir)).toEqual([sync === "dsync"]);
      expect(readdirSync(dir).filter((f) => f.endsWith(".journal")).length).toBeGreaterThanOrEqual(2);
      await journal.close({ drainMs: 1 });
      // Nothing reached the ledger: a reopen hands over all 120, in order.
      const got: string[] = [];
      const again = await Journal.open(dir, { sync, flushIntervalMs: 5, sink: async (e) => void got.push(...e.map((x) => x.eventId!)) });
      await again.drain();
      expect(got).toEqual(Array.from({ length: 120 }, (_, i) => `e-${i}`));
      await again.close();
    }
  });

  it("with sync: after-answer, acknowledges once written, fdatasyncs within the interval, and the sink never gets an event no sync covered", async () => {
    const dir = tempDir();
    const got: string[] = [];
    const journal = await Journal.open(dir, { sync: "after-answer", syncIntervalMs: 300, flushIntervalMs: 5, sink: async (e) => void got.push(...e.map((x) => x.eventId!)) });
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 40 }, (_, i) => journal.append(event(i))));
    // Acknowledged well before the interval: written (readable in the segment file), not yet synced, not in the sink.
    expect(Date.now() - t0).toBeLessThan(250);
    expect(journal.unsyncedEvents).toBe(40);
    expect(journal.backgroundSyncCount).toBe(0);
    const segment = readdirSync(dir).find((f) => f.endsWith(".journal"))!;
    expect(readFileSync(join(dir, segment), "utf8")).toContain('"eventId":"e-39"');
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toEqual([]);
    // Within the interval (plus the sync) one fdatasync covers all 40, and only then does the flusher take them.
    for (let i = 0; i < 100 && journal.unsyncedEvents > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(journal.unsyncedEvents).toBe(0);
    expect(journal.backgroundSyncCount).toBe(1);
    // The writer's path (writeGroupSync, as on the journal thread) too; drain syncs what is left at once.
    for (let g = 0; g < 3; g++) journal.writeGroupSync(Array.from({ length: 10 }, (_, i) => JSON.stringify(event(40 + g * 10 + i))));
    expect(journal.unsyncedEvents).toBe(30);
    await journal.drain();
    expect(journal.unsyncedEvents).toBe(0);
    expect(got).toEqual(Array.from({ length: 70 }, (_, i) => `e-${i}`));
    await journal.close();
    const again = await Journal.open(dir, { sink: async () => {} });
    expect(again.pending).toBe(0);
    await again.close();
  });

  it("with sync: after-answer, rolls over (syncing the old segment first), replays what an abandoned process left unsynced, and fails closed when a background sync fails", async () => {
    const dir = tempDir();
    const got: string[] = [];
    const sink = async (e: LedgerEvent[]) => void got.push(...e.map((x) => x.eventId!));
    const journal = await Journal.open(dir, { sync: "after-answer", syncIntervalMs: 2, segmentBytes: 2_048, flushIntervalMs: 5, sink });
    for (let g = 0; g < 8; g++) {
      await Promise.all(Array.from({ length: 8 }, (_, i) => journal.append(event(g * 8 + i))));
      journal.writeGroupSync(Array.from({ length: 4 }, (_, i) => JSON.stringify(event(1_000 + g * 4 + i))));
    }
    expect(readdirSync(dir).filter((f) => f.endsWith(".journal")).length + journal.flushed).toBeGreaterThan(1);
    await journal.drain();
    const order = Array.from({ length: 8 }, (_, g) => [
      ...Array.from({ length: 8 }, (_, i) => `e-${g * 8 + i}`),
      ...Array.from({ length: 4 }, (_, i) => `e-${1_000 + g * 4 + i}`),
    ]).flat();
    expect(got).toEqual(order);
    await journal.close();

    // Abandoned before its sync (a killed process): the page cache still holds the groups; a reopen replays them.
    const dir2 = tempDir();
    const first = await Journal.open(dir2, { sync: "after-answer", syncIntervalMs: 1_000, flushIntervalMs: 60_000, batchSize: 1_000_000, sink: async () => {} });
    await Promise.all(Array.from({ length: 30 }, (_, i) => first.append(event(i))));
    expect(first.unsyncedEvents).toBe(30);
    const replayed: string[] = [];
    const second = await Journal.open(dir2, { sync: "after-answer", flushIntervalMs: 5, sink: async (e) => void replayed.push(...e.map((x) => x.eventId!)) });
    await second.drain();
    expect(replayed).toEqual(Array.from({ length: 30 }, (_, i) => `e-${i}`));

    // A failed background fdatasync: the acknowledged events may be lost, so every later append is refused.
    const errors: unknown[] = [];
    const dir3 = tempDir();
    const failing = await Journal.open(dir3, { sync: "after-answer", syncIntervalMs: 50, sink: async () => {}, onError: (e) => errors.push(e) });
    await failing.append(event(1));
    const j = failing as unknown as { fd: number };
    const real = j.fd;
    j.fd = 1_000_000; // not an open descriptor: the sync fails with EBADF
    for (let i = 0; i < 100 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    j.fd = real;
    expect(String(errors[0])).toMatch(/background fdatasync failed/);
    await expect(failing.append(event(2))).rejects.toThrow(/background fdatasync failed/);
    expect(() => failing.writeGroupSync([JSON.stringify(event(3))])).toThrow(/background fdatasync failed/);
    await failing.close();
    await first.close().catch(() => {});
    await second.close();
  });

  it("without fsync, acknowledged events still survive an abandoned process (they are in the page cache) and replay", async () => {
    const dir = tempDir();
    const first = await Journal.open(dir, { fsync: false, flushIntervalMs: 60_000, batchSize: 1_000_000, sink: async () => {} });
    await Promise.all(Array.from({ length: 50 }, (_, i) => first.append(event(i))));
    const got: string[] = [];
    const second = await Journal.open(dir, { fsync: false, flushIntervalMs: 5, sink: async (e) => void got.push(...e.map((x) => x.eventId!)) });
    await second.drain();
    expect(got).toEqual(Array.from({ length: 50 }, (_, i) => `e-${i}`));
    await second.close();
  });

  it("pads each group in a pre-allocated segment to the page end, so a write into pages the page cache dropped reads at most the page it starts in", async () => {
    const dir = tempDir();
    const journal = await Journal.open(dir, { segmentBytes: 64 << 10, batchSize: 1_000_000, flushIntervalMs: 60_000, sink: async () => {} });
    journal.writeGroupSync([JSON.stringify(event(0))]);
    for (let i = 0; i < 500 && !existsSync(join(dir, "spare.zero")); i++) await new Promise((r) => setTimeout(r, 5));
    // The journal takes the spare as ready once its rename has returned: give that continuation a moment.
    await new Promise((r) => setTimeout(r, 50));
    // Into the pre-allocated spare (64 KB of zeros), then drop the segment's clean pages as a reclaimer would.
    journal.writeGroupSync([JSON.stringify(event(1))]);
    const segment = readdirSync(dir)
      .filter((f) => f.endsWith(".journal"))
      .sort()
      .at(-1)!;
    expect(statSync(join(dir, segment)).size).toBe(64 << 10);
    const readBytes = () => Number(/read_bytes: (\d+)/.exec(readFileSync("/proc/self/io", "utf8"))![1]);
    // coreutils' documented way to drop a file's cached pages (posix_fadvise DONTNEED on the whole file).
    const drop = () => execFileSync("dd", [`of=${join(dir, segment)}`, "oflag=nocache", "conv=notrunc,fdatasync", "count=0", "status=none"]);
    let reads = 0;
    for (let g = 0; g < 5; g++) {
      drop();
      const before = readBytes();
      // ~5 KB: starts inside one page and ends inside another, two or three pages on.
      journal.writeGroupSync(Array.from({ length: 40 }, (_, i) => JSON.stringify({ ...event(2 + g * 40 + i), data: { pad: "x".repeat(80) } })));
      reads += readBytes() - before;
    }
    // Only the first page of each write may need reading (it holds the previous group); the last is written whole.
    expect(reads).toBeLessThanOrEqual(5 * 4096);
    const bytes = readFileSync(join(dir, segment));
    expect(bytes.length).toBe(64 << 10);
    const lines = bytes.subarray(0, bytes.indexOf(0)).toString("utf8").split("\n").filter(Boolean);
    expect(lines).toHaveLength(201);
    expect(bytes.subarray(bytes.indexOf(0)).every((b) => b === 0)).toBe(true);
    await journal.close();
  });

  it("writes into pre-allocated zero-filled segments without growing them, rolls over, and replays across segments after a crash", async () => {
    const dir = tempDir();
    const segmentBytes = 16_384;
    const spare = join(dir, "spare.zero");
    const waitForSpare = async () => {
      for (let i = 0; i < 500 && !existsSync(spare); i++) await new Promise((r) => setTimeout(r, 5));
      expect(statSync(spare).size).toBe(segmentBytes);
    };
    // First life: nothing reaches the sink (it is never asked), so every event must come back from disk.
    const first = await Journal.open(dir, { segmentBytes, batchSize: 1_000_000, flushIntervalMs: 60_000, sink: async () => {} });
    await waitForSpare();
    const sizes: number[] = [];
    let n = 0;
    for (let g = 0; g < 30; g++) {
      await Promise.all(Array.from({ length: 20 }, () => first.append(event(n++))));
      const segs = readdirSync(dir)
        .filter((f) => f.endsWith(".journal"))
        .sort();
      sizes.push(statSync(join(dir, segs.at(-1)!)).size);
      if (g % 5 === 4) await waitForSpare();
    }
    const segs = readdirSync(dir)
      .filter((f) => f.endsWith(".journal"))
      .sort();
    // 600 events of ~70 bytes: several segments; the one being written keeps its pre-allocated size.
    expect(segs.length).toBeGreaterThan(2);
    expect(sizes.filter((x) => x === segmentBytes).length).toBeGreaterThan(20);
    // Finished segments were cut to their records; the last still ends in zeros.
    for (const f of segs.slice(1, -1)) expect(readFileSync(join(dir, f)).includes(0)).toBe(false);
    const last = join(dir, segs.at(-1)!);
    const bytes = readFileSync(last);
    expect(bytes.length).toBe(segmentBytes);
    const end = bytes.indexOf(0);
    expect(end).toBeGreaterThan(0);
    // kill -9 while a group was being written: half a line lands in the zero tail, never acknowledged.
    const fd = openSync(last, "r+");
    writeSync(fd, Buffer.from('0badc0de\t{"kind":"note","eventId":"torn"'), 0, undefined, end);
    closeFd(fd);

    const got: string[] = [];
    const second = await Journal.open(dir, { segmentBytes, batchSize: 64, flushIntervalMs: 5, sink: async (e) => void got.push(...e.map((x) => x.eventId!)) });
    expect(second.pending).toBe(600);
    await second.append(event(600));
    await second.drain();
    expect(got).toEqual(Array.from({ length: 601 }, (_, i) => `e-${i}`));
    await second.close();
    // Flushed segments are gone; a complete spare is kept for the next open.
    expect(readdirSync(dir).filter((f) => f.endsWith(".journal")).length).toBeLessThanOrEqual(2);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    const third = await Journal.open(dir, { segmentBytes, sink: async () => {} });
    expect(third.pending).toBe(0);
    await third.append(event(601));
    // The spare was taken as the new writer segment at open: pre-allocated from the first group on.
    const newest = readdirSync(dir)
      .filter((f) => f.endsWith(".journal"))
      .sort()
      .at(-1)!;
    expect(statSync(join(dir, newest)).size).toBe(segmentBytes);
    await third.close();
  });

  it("a group larger than a pre-allocated segment goes to an appended segment, and nothing is lost", async () => {
    const dir = tempDir();
    const got: string[] = [];
    const journal = await Journal.open(dir, { segmentBytes: 4_096, batchSize: 1_000, flushIntervalMs: 5, sink: async (e) => void got.push(...e.map((x) => x.eventId!)) });
    for (let i = 0; i < 200 && !existsSync(join(dir, "spare.zero")); i++) await new Promise((r) => setTimeout(r, 5));
    await journal.append(event(0));
    // ~100 events of ~70 bytes: more than a whole segment in one group.
    await Promise.all(Array.from({ length: 100 }, (_, i) => journal.append(event(i + 1))));
    await journal.append(event(101));
    await journal.drain();
    expect(got).toEqual(Array.from({ length: 102 }, (_, i) => `e-${i}`));
    await journal.close();
  });

  it("without pre-allocation, segments are appended to and no spare is made", async () => {
    const dir = tempDir();
    const journal = await Journal.open(dir, { preallocate: false, segmentBytes: 4_096, sink: async () => {} });
    await Promise.all(Array.from({ length: 10 }, (_, i) => journal.append(event(i))));
    await new Promise((r) => setTimeout(r, 30));
    expect(existsSync(join(dir, "spare.zero"))).toBe(false);
    const seg = readdirSync(dir).filter((f) => f.endsWith(".journal"))[0]!;
    expect(readFileSync(join(dir, seg), "utf8").split("\n").filter(Boolean)).toHaveLength(10);
    await journal.close();
  });

  it("hands a serialised sink the checked lines' own JSON when it reads back from disk, also after a reopen", async () => {
    const dir = tempDir();
    let up = false;
    const got: string[] = [];
    const options = {
      segmentBytes: 4_096,
      memoryEvents: 8,
      batchSize: 25,
      flushIntervalMs: 5,
      onError: () => {},
      sink: async () => {
        throw new Error("the serialised sink is the one used");
      },
      sinkSerialised: async (jsons: string[]) => {
        if (!up) throw new Error("ledger down");
        got.push(...jsons);
      },
    };
    const journal = await Journal.open(dir, options);
    for (let g = 0; g < 12; g++) await Promise.all(Array.from({ length: 10 }, (_, i) => journal.append(event(g * 10 + i))));
    await journal.close({ drainMs: 50 });
    up = true;
    const again = await Journal.open(dir, options);
    await again.drain();
    expect(got).toEqual(Array.from({ length: 120 }, (_, i) => JSON.stringify(event(i))));
    await again.close();
  });

  it("reads rotated pre-allocated segments back from disk when the in-memory tail overflowed while the sink was down", async () => {
    const dir = tempDir();
    let up = false;
    const got: string[] = [];
    const journal = await Journal.open(dir, {
      segmentBytes: 4_096,
      memoryEvents: 8,
      batchSize: 25,
      flushIntervalMs: 5,
      onError: () => {},
      sink: async (e) => {
        if (!up) throw new Error("ledger down");
        got.push(...e.map((x) => x.eventId!));
      },
    });
    for (let g = 0; g < 30; g++) {
      await Promise.all(Array.from({ length: 10 }, (_, i) => journal.append(event(g * 10 + i))));
      await new Promise((r) => setTimeout(r, 4));
    }
    // Several segments were filled, most of them pre-allocated and cut to their records at rotation.
    expect(readdirSync(dir).filter((f) => f.endsWith(".journal")).length).toBeGreaterThan(3);
    up = true;
    await journal.drain();
    expect(got).toEqual(Array.from({ length: 300 }, (_, i) => `e-${i}`));
    await journal.close();
  });
});
