import { existsSync, statSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { PrimaryLink } from "../../src/gateway/cluster-link.js";
import type * as source from "../../src/ledger/index.js";
import { tempDir } from "../helpers/db.js";
import { ledgerIds, noteEvent } from "./journal-helpers.js";

// The compiled build (made by the global setup), as journal-thread.test.ts: the thread starts without a loader.
const DIST = "../../dist/ledger/index.js";
const { JournalThread, journalLine } = (await import(DIST)) as typeof source;

const ORIGIN = "rampart.local/journal-socket";

/** A raw client of the journal thread's socket that collects its answers. */
async function client(path: string): Promise<{ conn: Socket; answers: () => string; waitFor(n: number): Promise<void> }> {
  const conn = connect(path);
  await new Promise<void>((resolve, reject) => {
    conn.once("connect", resolve);
    conn.once("error", reject);
  });
  let text = "";
  conn.setEncoding("utf8");
  conn.on("data", (d: string) => {
    text += d;
  });
  return {
    conn,
    answers: () => text,
    async waitFor(n) {
      const until = Date.now() + 20_000;
      while (text.length < n) {
        if (Date.now() > until) throw new Error(`only ${JSON.stringify(text)} answered`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
  };
}

const batch = (from: number, n: number) => `${Array.from({ length: n }, (_, i) => journalLine(noteEvent(from + i))).join("\n")}\n\n`;

describe("the journal thread's socket for cluster workers", () => {
  it("journals each client's batches in order, split reads included, acknowledges each once on disk, and delivers every event once", async () => {
    const dir = tempDir();
    const db = join(tempDir(), "ledger.db");
    const journal = await JournalThread.open(join(dir, "journal"), { ledger: { url: db, origin: ORIGIN }, batchSize: 64, flushIntervalMs: 20, socket: true });
    expect(journal.socketPath).toBeDefined();
    const socketDir = dirname(journal.socketPath!);
    // Nobody but this user may connect: whoever could would write audit records.
    expect(statSync(socketDir).mode & 0o777).toBe(0o700);
    const a = await client(journal.socketPath!);
    const b = await client(journal.socketPath!);
    a.conn.write(batch(0, 10));
    // A batch cut in the middle of a line and between the two bytes of "é", then its end alone.
    const cut = Buffer.from(`${journalLine({ kind: "note", actor: "gateway", eventId: "t-é", data: { text: "café" } })}\n`);
    const at = cut.indexOf(0xc3);
    a.conn.write(cut.subarray(0, at + 1));
    await new Promise((r) => setTimeout(r, 30));
    a.conn.write(cut.subarray(at + 1));
    await new Promise((r) => setTimeout(r, 30));
    a.conn.write("\n");
    b.conn.write(batch(100, 5) + batch(105, 5));
    // An empty batch is answered at once and journals nothing.
    b.conn.write("\n\n");
    await a.waitFor(2);
    await b.waitFor(3);
    expect(a.answers()).toBe("++");
    expect(b.answers()).toBe("+++");
    // Acknowledged means on disk: the journal holds them before the ledger is asked.
    const stats = await journal.stats();
    expect(stats.pending + stats.flushed).toBe(21);
    a.conn.end();
    b.conn.end();
    await journal.close();
    expect(existsSync(socketDir)).toBe(false);
    const ids = await ledgerIds(db, ORIGIN);
    expect(ids).toHaveLength(21);
    expect(new Set(ids).size).toBe(21);
    expect(ids.filter((id) => id.startsWith("t-") && Number(id.slice(2)) < 100)).toEqual(Array.from({ length: 10 }, (_, i) => `t-${i}`));
    expect(ids.indexOf("t-9")).toBeLessThan(ids.indexOf("t-é"));
    expect(ids.filter((id) => Number(id.slice(2)) >= 100)).toEqual(Array.from({ length: 10 }, (_, i) => `t-${100 + i}`));
  });

  it("drops a batch whose client went away before its end (never acknowledged) and keeps serving others", async () => {
    const dir = tempDir();
    const db = join(tempDir(), "ledger.db");
    const journal = await JournalThread.open(join(dir, "journal"), { ledger: { url: db, origin: ORIGIN }, socket: true });
    const gone = await client(journal.socketPath!);
    gone.conn.write(batch(0, 3));
    await gone.waitFor(1);
    // Whole lines, but no blank line after them: the batch is not finished, so it is not journalled.
    gone.conn.write(batch(3, 2).slice(0, -1));
    await new Promise((r) => setTimeout(r, 50));
    gone.conn.destroy();
    const next = await client(journal.socketPath!);
    next.conn.write(batch(10, 2));
    await next.waitFor(1);
    expect(next.answers()).toBe("+");
    next.conn.end();
    await journal.close();
    expect(await ledgerIds(db, ORIGIN)).toEqual(["t-0", "t-1", "t-2", "t-10", "t-11"]);
  });

  it("serves no socket unless asked", async () => {
    const dir = tempDir();
    const journal = await JournalThread.open(join(dir, "journal"), { ledger: { url: join(dir, "ledger.db"), origin: ORIGIN } });
    expect(journal.socketPath).toBeUndefined();
    await journal.close();
  });
});

describe("a cluster worker's side of the socket", () => {
  it("resolves each turn's audit lines on '+', rejects on '!message' (split reads too), and fails closed when the socket goes", async () => {
    const dir = tempDir();
    const path = join(dir, "s");
    const received: string[] = [];
    let server: Socket | undefined;
    const listening = createServer((conn) => {
      server = conn;
      conn.setEncoding("utf8");
      conn.on("data", (d: string) => received.push(d));
    });
    await new Promise<void>((r) => listening.listen(path, r));
    const sent: unknown[] = [];
    const link = new PrimaryLink((m) => sent.push(m));
    const lost: string[] = [];
    await link.connectJournal(path, (m) => lost.push(m));
    // Two lines in one turn: one batch, one promise.
    const first = [link.audit('{"a":1}'), link.audit('{"a":2}')];
    expect(first[0]).toBe(first[1]);
    await new Promise((r) => setTimeout(r, 20));
    const second = link.audit('{"a":3}');
    await new Promise((r) => setTimeout(r, 20));
    const third = link.audit('{"a":4}');
    await new Promise((r) => setTimeout(r, 20));
    expect(received.join("")).toBe('{"a":1}\n{"a":2}\n\n{"a":3}\n\n{"a":4}\n\n');
    // Nothing went through the cluster channel.
    expect(sent).toEqual([]);
    server!.write("+!disk ");
    await first[0];
    await new Promise((r) => setTimeout(r, 20));
    server!.write("full\n+");
    await expect(second).rejects.toMatchObject({ code: "unavailable", message: "disk full" });
    await third;
    // The journal's thread goes: what waits and what comes later fail, and the worker is told once.
    const waiting = link.audit('{"a":5}');
    await new Promise((r) => setTimeout(r, 20));
    server!.destroy();
    await expect(waiting).rejects.toThrow(/audit journal is unreachable/);
    await expect(link.audit('{"a":6}')).rejects.toThrow(/unreachable/);
    expect(lost).toHaveLength(1);
    listening.close();
  });
});
