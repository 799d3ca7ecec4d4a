/**
 * The journal's own thread (see journal-thread.ts): it owns the segment files, writes and fdatasyncs
 * each batch the serving thread sends (group commit), acknowledges it, and feeds the ledger — on a
 * further thread, since better-sqlite3 blocks — from the batches it holds in memory.
 *
 * Messages in: {t:"append", id, lines} (JSON events joined by "\n"), {t:"drain", id, ms},
 * {t:"stats", id}, "close". Out: {t:"ready"} or {t:"failed"} once, {t:"ack", id, error?, code?},
 * {t:"error", message} for sink failures (events stay in the journal).
 */
import { parentPort, workerData } from "node:worker_threads";
import { RampartError } from "../core/errors.js";
import { Journal, workerLedgerSink } from "./journal.js";
import type { JournalThreadData } from "./journal-thread.js";

type Message = { t: "append"; id: number; lines: string } | { t: "drain"; id: number; ms: number } | { t: "stats"; id: number } | "close";

const port = parentPort!;
const data = workerData as JournalThreadData;
const errorOf = (e: unknown) => ({ error: (e as Error)?.message ?? String(e), code: e instanceof RampartError ? e.code : "unavailable" });

const ledger = workerLedgerSink(data.ledger);
let journal: Journal;
try {
  journal = await Journal.open(data.dir, {
    ...data.options,
    sink: ledger.sink,
    onError: (e) => port.postMessage({ t: "error", message: (e as Error)?.message ?? String(e) }),
  });
} catch (e) {
  port.postMessage({ t: "failed", ...errorOf(e) });
  await ledger.close();
  port.close();
  throw e;
}
port.postMessage({ t: "ready" });

port.on("message", (m: Message) => {
  if (m === "close") {
    void (async () => {
      await journal.close({ drainMs: data.closeDrainMs });
      await ledger.close();
      port.close();
    })();
    return;
  }
  if (m.t === "append") {
    // One message is one group (or joins the group being written): one write, one fdatasync, one ack.
    journal.appendSerialised(m.lines.split("\n")).then(
      () => port.postMessage({ t: "ack", id: m.id }),
      (e) => port.postMessage({ t: "ack", id: m.id, ...errorOf(e) }),
    );
  } else if (m.t === "drain") {
    journal.drain(m.ms).then(
      () => port.postMessage({ t: "ack", id: m.id }),
      (e) => port.postMessage({ t: "ack", id: m.id, ...errorOf(e) }),
    );
  } else if (m.t === "stats") {
    port.postMessage({ t: "ack", id: m.id, stats: { pending: journal.pending, flushed: journal.flushed } });
  }
});
