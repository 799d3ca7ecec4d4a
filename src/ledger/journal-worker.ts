/**
 * The journal's own thread (see journal-thread.ts): it owns the segment files, writes and fdatasyncs
 * each batch the serving thread sends (group commit), acknowledges it, and feeds the ledger — on a
 * further thread, since better-sqlite3 blocks — from the batches it holds in memory.
 *
 * Messages in: {t:"append", id, lines} (JSON events joined by "\n"), {t:"drain", id, ms},
 * {t:"stats", id}, "close". Out: {t:"ready"} or {t:"failed"} once, {t:"acks", ids, error?, code?}
 * per group written, {t:"ack", id, …} for drain and stats, {t:"error", message} for sink failures
 * (events stay in the journal).
 *
 * The group write and fdatasync are synchronous: this thread has nothing else urgent to do, and
 * appends that arrive meanwhile wait in the message queue and become the next group.
 */
import { parentPort, workerData } from "node:worker_threads";
import { RampartError } from "../core/errors.js";
import { Journal, workerLedgerSink } from "./journal.js";
import type { JournalThreadData } from "./journal-thread.js";
import { flushTrace, nameThread, nowMs, trace, traceThread, tracing } from "./trace.js";

type Message = { t: "append"; id: number; lines: string } | { t: "drain"; id: number; ms: number } | { t: "stats"; id: number } | "close";

const port = parentPort!;
const data = workerData as JournalThreadData;
const errorOf = (e: unknown) => ({ error: (e as Error)?.message ?? String(e), code: e instanceof RampartError ? e.code : "unavailable" });

nameThread("rampart-journal");
traceThread("journal");
const ledger = workerLedgerSink(data.ledger);
let journal: Journal;
try {
  journal = await Journal.open(data.dir, {
    ...data.options,
    sink: ledger.sink,
    sinkSerialised: ledger.sinkSerialised,
    onError: (e) => port.postMessage({ t: "error", message: (e as Error)?.message ?? String(e) }),
  });
} catch (e) {
  port.postMessage({ t: "failed", ...errorOf(e) });
  await ledger.close();
  port.close();
  throw e;
}
port.postMessage({ t: "ready" });

// Append messages that arrived while a group was being written and synced form the next group.
let queued: Array<{ id: number; lines: string; at?: number }> = [];
let scheduled = false;
let running: Promise<void> | undefined;

/** Writes every queued group; a call while groups are being written joins that run. */
function writeGroups(): Promise<void> {
  running ??= writeQueued().finally(() => {
    running = undefined;
  });
  return running;
}

async function writeQueued(): Promise<void> {
  while (queued.length > 0) {
    const group = queued;
    queued = [];
    const ids = group.map((m) => m.id);
    try {
      const lines = group.flatMap((m) => m.lines.split("\n"));
      if (tracing) {
        // How long the group's first batch waited on this thread, then the write + fdatasync.
        const t0 = nowMs();
        trace("queued", group[0]!.at!, t0 - group[0]!.at!, group.length);
        journal.writeGroupSync(lines);
        trace("group", t0, nowMs() - t0, lines.length);
      } else journal.writeGroupSync(lines);
      port.postMessage({ t: "acks", ids });
    } catch (e) {
      port.postMessage({ t: "acks", ids, ...errorOf(e) });
    }
    await journal.rotateIfFull();
  }
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  // After the message queue is emptied: every append already delivered joins this group.
  setImmediate(() => {
    scheduled = false;
    void writeGroups().finally(() => queued.length > 0 && schedule());
  });
}

port.on("message", (m: Message) => {
  if (m === "close") {
    void (async () => {
      while (running || queued.length > 0) await writeGroups();
      await journal.close({ drainMs: data.closeDrainMs });
      await ledger.close();
      flushTrace();
      port.close();
    })();
    return;
  }
  if (m.t === "append") {
    // An empty batch has nothing to journal (and "" split would be one empty, invalid line).
    if (m.lines === "") port.postMessage({ t: "acks", ids: [m.id] });
    else {
      queued.push(tracing ? { ...m, at: nowMs() } : m);
      schedule();
    }
  } else if (m.t === "drain") {
    // Appends sent before the drain are in the queue: write them first, so the drain covers them.
    writeGroups()
      .then(() => journal.drain(m.ms))
      .then(
        () => port.postMessage({ t: "ack", id: m.id }),
        (e) => port.postMessage({ t: "ack", id: m.id, ...errorOf(e) }),
      );
  } else if (m.t === "stats") {
    port.postMessage({ t: "ack", id: m.id, stats: { pending: journal.pending, flushed: journal.flushed } });
  }
});
