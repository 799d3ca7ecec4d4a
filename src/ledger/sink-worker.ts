/**
 * The ledger side of a journal, on its own thread: better-sqlite3 is synchronous, so appending a batch
 * (hashing, node writes) on the serving thread would stall every request behind it.
 */
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { openStore } from "../store/index.js";
import type { LedgerEvent } from "./entry.js";
import { ledgerJournalSink } from "./journal.js";
import { flushTrace, nameThread, nowMs, trace, traceThread, tracing } from "./trace.js";

const { url, projectDir, origin, walCheckpointPages } = workerData as { url?: string; projectDir?: string; origin: string; walCheckpointPages?: number };
// The ledger may lag (the journal holds every event durably); answers must not. On Linux a thread has
// its own nice value: lower this one's so a large batch never takes a core from the serving thread.
try {
  setPriority(Number(readlinkSync("/proc/thread-self").split("/").pop()), 10);
} catch {
  // not Linux, or not permitted: run at the normal priority
}
nameThread("rampart-ledger");
traceThread("ledger");
const store = await openStore({ url, projectDir });
const sink = ledgerJournalSink(store, origin, { walCheckpointPages });
parentPort!.on("message", async (m: { id: number; events?: LedgerEvent[]; lines?: string; durable?: boolean } | "close") => {
  if (m === "close") {
    await store.close();
    flushTrace();
    parentPort!.close();
    return;
  }
  try {
    const t0 = tracing ? nowMs() : 0;
    const events = m.events ?? (m.lines ? m.lines.split("\n").map((j) => JSON.parse(j) as LedgerEvent) : []);
    await sink(events, m.durable === true);
    if (tracing) trace("append", t0, nowMs() - t0, events.length);
    parentPort!.postMessage({ id: m.id });
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: (e as Error)?.message ?? String(e) });
  }
});
