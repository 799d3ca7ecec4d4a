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
 *
 * With `socket` (a cluster primary's journal), this thread also serves a Unix socket its cluster workers
 * connect to, so a worker's batch reaches the journal and its acknowledgement goes back without the
 * primary's event loop in between (two wake-ups and two thread messages fewer per batch). The stream
 * protocol: a batch is its journal lines, each ended by "\n", then one more "\n" (a line is never empty:
 * JSON text); each batch is answered in order, "+" once it is on disk under the sync mode, or
 * "!message\n" when it could not be written. Socket batches join the same groups as the appends above.
 */
import { createServer, type Server, type Socket } from "node:net";
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

/** A batch waiting for the next group: from the serving thread (acknowledged by id) or from a socket. */
type Queued = { id: number; lines: string; at?: number; conn?: Socket };

// Append messages that arrived while a group was being written and synced form the next group.
let queued: Queued[] = [];
const connections = new Set<Socket>();
/** A socket batch larger than this without its end is a broken client: the connection is cut. */
const MAX_SOCKET_BATCH = 256 * 1024 * 1024;

function serveSocket(path: string): Promise<Server> {
  const server = createServer((conn) => {
    connections.add(conn);
    conn.setNoDelay(true);
    // A decoder keeps a UTF-8 character split across reads whole.
    conn.setEncoding("utf8");
    let pending = "";
    conn.on("data", (chunk: string) => {
      // Only the new text (and the character before it) can complete a batch's end.
      const scan = Math.max(0, pending.length - 1);
      pending += chunk;
      let from = 0;
      for (let end = pending.indexOf("\n\n", scan); end >= 0; end = pending.indexOf("\n\n", from)) {
        const lines = pending.slice(from, end);
        from = end + 2;
        // An empty batch journals nothing but is still answered in its turn: answers go in batch order.
        queued.push(tracing ? { id: -1, lines, conn, at: nowMs() } : { id: -1, lines, conn });
      }
      if (from > 0) {
        pending = pending.slice(from);
        schedule();
      }
      if (pending.length > MAX_SOCKET_BATCH) conn.destroy(new Error("audit batch without its end"));
    });
    // A worker that goes away mid-batch: its unfinished batch was never acknowledged, so it is dropped.
    conn.on("error", () => {});
    conn.on("close", () => connections.delete(conn));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(path, () => resolve(server));
  });
}

const socketServer = data.socket === undefined ? undefined : await serveSocket(data.socket).catch((e: unknown) => e as Error);
if (socketServer instanceof Error) {
  port.postMessage({ t: "failed", ...errorOf(socketServer) });
  await journal.close({ drainMs: 0 });
  await ledger.close();
  port.close();
  throw socketServer;
}
port.postMessage({ t: "ready" });

/** Acknowledges a written group: the serving thread's batches by id, each socket's in order. */
function acknowledge(group: Queued[], failure?: { error: string; code: string }): void {
  const ids: number[] = [];
  let answers: Map<Socket, string> | undefined;
  for (const m of group) {
    if (!m.conn) ids.push(m.id);
    else {
      answers ??= new Map();
      answers.set(m.conn, (answers.get(m.conn) ?? "") + (failure ? `!${failure.error.replace(/\n/g, " ")}\n` : "+"));
    }
  }
  if (ids.length > 0) port.postMessage(failure ? { t: "acks", ids, ...failure } : { t: "acks", ids });
  if (answers) for (const [conn, text] of answers) if (!conn.destroyed) conn.write(text);
}
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
    try {
      const lines = group.flatMap((m) => (m.lines === "" ? [] : m.lines.split("\n")));
      if (tracing) {
        // How long the group's first batch waited on this thread, then the write + fdatasync.
        const t0 = nowMs();
        trace("queued", group[0]!.at!, t0 - group[0]!.at!, group.length);
        journal.writeGroupSync(lines);
        trace("group", t0, nowMs() - t0, lines.length);
      } else journal.writeGroupSync(lines);
      acknowledge(group);
    } catch (e) {
      acknowledge(group, errorOf(e));
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
      // No worker writes any more (the cluster stops them first); what a socket delivered is written.
      socketServer?.close();
      while (running || queued.length > 0) await writeGroups();
      for (const conn of connections) conn.destroy();
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
