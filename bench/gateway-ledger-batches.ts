/**
 * What a ledger commit costs by batch size: the audit ledger's sink (SQLite WAL at synchronous=NORMAL, as
 * the gateway's journal uses it) appending gateway decision events in batches of 1…512, this thread's CPU
 * (from /proc/thread-self, so other processes' load does not count), wall time and the bytes this process
 * sent towards the disk (/proc/self/io write_bytes: WAL frames and checkpoint copies) per event. Shows
 * why the journal's flusher must not chase the writer with tiny batches.
 *
 *   npm run build && npx tsx bench/gateway-ledger-batches.ts [events per size, default 2000]
 * BATCH_DURABLE=1: every batch is a durable point (one WAL fdatasync), as the gateway's default asks.
 */
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import type * as ledgerSource from "../src/ledger/index.js";
import type * as storeSource from "../src/store/index.js";
import { scratchDir, table } from "./util.js";

const dist = join(import.meta.dirname, "..", "dist");
const { ledgerJournalSink } = (await import(join(dist, "ledger", "index.js"))) as typeof ledgerSource;
const { openStore } = (await import(join(dist, "store", "index.js"))) as typeof storeSource;

/** Bytes this process caused to be written to storage so far. */
const diskBytes = () => Number(/write_bytes: (\d+)/.exec(readFileSync("/proc/self/io", "utf8"))?.[1] ?? 0);
const durable = process.env.BATCH_DURABLE === "1";

/** This thread's CPU seconds (user, system). */
function threadCpu(): [number, number] {
  const f = readFileSync("/proc/thread-self/stat", "utf8").split(") ")[1]!.split(" ");
  return [Number(f[11]) / 100, Number(f[12]) / 100];
}

const perSize = Number(process.argv[2] ?? 2000);
const rows: Array<Array<string | number>> = [];
let seq = 0;
for (const size of (process.env.BATCH_SIZES ?? "1,4,16,64,200,512").split(",").map(Number)) {
  const { dir, cleanup } = scratchDir("gateway-ledger-batches");
  const store = await openStore({ url: join(dir, "ledger.db") });
  const sink = ledgerJournalSink(store, "rampart.local/bench-batches");
  const event = () => ({
    kind: "gateway.decision",
    eventId: `gateway:${Date.now().toString(16).padStart(12, "0")}-${(seq++).toString(16).padStart(8, "0")}`,
    actor: "bench",
    time: new Date().toISOString(),
    subject: { name: "credit", sha256: "a".repeat(64) },
    data: { model: "credit", action: "infer", decision: "allow", status: 200, reason: "ok", policies: ["bench"], details: { via: "api-key" } },
  });
  // Warm-up (statements prepared, JIT), then measure.
  for (let i = 0; i < 20; i++) await sink(Array.from({ length: size }, event));
  const load = loadavg()[0]!;
  const [u0, s0] = threadCpu();
  const b0 = diskBytes();
  const t0 = performance.now();
  const batches = Math.max(1, Math.round(perSize / size));
  for (let b = 0; b < batches; b++) await sink(Array.from({ length: size }, event), durable);
  const wall = performance.now() - t0;
  const bytes = diskBytes() - b0;
  const [u1, s1] = threadCpu();
  const n = batches * size;
  rows.push([
    size,
    batches,
    (((u1 - u0) / n) * 1e6).toFixed(0),
    (((s1 - s0) / n) * 1e6).toFixed(0),
    ((wall / n) * 1000).toFixed(0),
    ((wall / batches) * 1).toFixed(2),
    (bytes / n).toFixed(0),
    load.toFixed(1),
  ]);
  await store.close();
  cleanup();
}
console.log(`\nledger sink (SQLite WAL, synchronous=NORMAL${durable ? ", a durable point per batch" : ""}) by batch size, gateway decision events:`);
table(["events per commit", "commits", "user CPU µs/event", "system CPU µs/event", "wall µs/event", "wall ms/commit", "disk bytes/event", "load (1 min)"], rows);
