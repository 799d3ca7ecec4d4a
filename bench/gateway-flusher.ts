/**
 * How often the journal's flusher commits to the ledger at a steady rate: a Journal (fdatasync on)
 * with the real SQLite ledger sink on this one thread, events appended on a 1 ms tick at RATE/s for
 * SECONDS, then drained. Prints ledger commits per second, events per commit, and this thread's CPU
 * per event (from /proc/thread-self: other processes' load does not count). DIST picks a build (the
 * current one by default), so two builds can be compared one after the other.
 *
 *   npm run build && npx tsx bench/gateway-flusher.ts [RATE=1000] [SECONDS=5] [DIST=dist]
 * Which files get synced how often: run it under `strace -f -y -e trace=fsync,fdatasync -o FILE`.
 */
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import type * as ledgerSource from "../src/ledger/index.js";
import type * as storeSource from "../src/store/index.js";
import { scratchDir, table } from "./util.js";

const [rate = 1000, seconds = 5] = process.argv.slice(2, 4).map(Number);
const dist = resolve(process.argv[4] ?? join(import.meta.dirname, "..", "dist"));
const { Journal, ledgerJournalSink } = (await import(join(dist, "ledger", "index.js"))) as typeof ledgerSource;
const { openStore } = (await import(join(dist, "store", "index.js"))) as typeof storeSource;

const threadCpu = () => {
  const f = readFileSync("/proc/thread-self/stat", "utf8").split(") ")[1]!.split(" ");
  return (Number(f[11]) + Number(f[12])) / 100;
};

const { dir, cleanup } = scratchDir("gateway-flusher");
const store = await openStore({ url: join(dir, "ledger.db") });
const ledger = ledgerJournalSink(store, "rampart.local/bench-flusher");
const sizes: number[] = [];
const journal = await Journal.open(join(dir, "journal"), {
  // The durable flag (session 7: the ledger syncs only at durable points) goes through; an older build ignores it.
  sink: async (events, durable) => {
    if (events.length > 0) sizes.push(events.length);
    await ledger(events, durable);
  },
});
let seq = 0;
const event = () => ({
  kind: "gateway.decision" as const,
  eventId: `gateway:${Date.now().toString(16).padStart(12, "0")}-${(seq++).toString(16).padStart(8, "0")}`,
  actor: "bench",
  time: new Date().toISOString(),
  subject: { name: "credit", sha256: "a".repeat(64) },
  data: { model: "credit", action: "infer", decision: "allow", status: 200, reason: "ok", policies: ["bench"], details: { via: "api-key" } },
});
const load = loadavg()[0]!;
const cpu0 = threadCpu();
const t0 = performance.now();
const waiting: Promise<void>[] = [];
let sent = 0;
while (performance.now() - t0 < seconds * 1000) {
  const due = Math.floor(((performance.now() - t0) / 1000) * rate);
  for (; sent < due; sent++) waiting.push(journal.append(event()));
  await new Promise((r) => setTimeout(r, 1));
}
await Promise.all(waiting);
const during = sizes.length;
await journal.drain();
const cpu = threadCpu() - cpu0;
const points = (journal as { durablePointCount?: number }).durablePointCount;
await journal.close();
await store.close();
cleanup();
table(
  ["build", "events", "ledger commits/s (during the run)", "events per commit", "ledger durable points", "thread CPU µs/event", "load (1 min)"],
  [[dist, sent, (during / seconds).toFixed(1), (sent / sizes.length).toFixed(1), points ?? "— (every commit)", ((cpu / sent) * 1e6).toFixed(0), load.toFixed(1)]],
);
