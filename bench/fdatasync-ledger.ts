/**
 * The journal's fdatasync on this disk, alone and while a real ledger writes beside it. A worker thread
 * does what the journal thread does for each group at a steady rate: one small record written into a
 * pre-allocated, zero-filled segment (padded to the page end, as the journal pads), then fdatasync, timed.
 * Meanwhile this thread feeds a real SQLite ledger (`ledgerJournalSink`, WAL at synchronous=NORMAL) one
 * batch of gateway decisions per flush interval, as the journal's flusher does:
 *   alone     no ledger (the disk's own floor at that moment)
 *   durable   a durable point (one fdatasync of the WAL) with every batch: the gateway's default
 *   nodurable batches only: SQLite's own automatic checkpoints are its only syncs
 *   durable1s a durable point once a second (the gateway's `audit.durableEvents: 16384, durableIntervalMs: 1000`)
 *   ckpt250, ckpt4000  as durable, SQLite checkpointing every 250 / 4,000 WAL pages (`audit.walCheckpointPages`; default 1,000)
 *   dsync     no ledger; the journal side opens its file O_DSYNC and writes without fdatasync (`audit.sync: dsync`)
 * Modes alternate in a seeded order per round, so a change in the machine's load hits each of them.
 * Also printed: the number of durable points.
 *
 *   npx tsx bench/fdatasync-ledger.ts [dir]
 * Env: PROBE_ROUNDS (3), PROBE_SECONDS (6), PROBE_GROUPS_PER_S (500: journal groups a second),
 * PROBE_EVENTS_PER_S (1000: ledger events a second), PROBE_FLUSH_MS (200: the journal's flushIntervalMs),
 * PROBE_MODES (alone,dsync,durable,durable1s,nodurable), PROBE_SEED (1).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { ledgerJournalSink } from "../src/ledger/journal.js";
import { openStore } from "../src/store/index.js";
import { seededRandom, shuffled } from "./gateway-rounds.js";
import { table } from "./util.js";

const root = process.argv[2] ?? tmpdir();
const rounds = Number(process.env.PROBE_ROUNDS ?? 3);
const seconds = Number(process.env.PROBE_SECONDS ?? 6);
const groupsPerS = Number(process.env.PROBE_GROUPS_PER_S ?? 500);
const eventsPerS = Number(process.env.PROBE_EVENTS_PER_S ?? 1000);
const flushMs = Number(process.env.PROBE_FLUSH_MS ?? 200);
const modes = (process.env.PROBE_MODES ?? "alone,dsync,durable,durable1s,nodurable").split(",");
const random = seededRandom(Number(process.env.PROBE_SEED ?? 1));

// The journal side, plain JavaScript so the worker needs no TypeScript loader: blocking write + fdatasync
// at a fixed schedule (a group that is late starts at once; its latency is still write + fdatasync only).
const JOURNAL_SIDE = `
const { workerData, parentPort } = require("node:worker_threads");
const fs = require("node:fs");
const { path, seconds, groupsPerS, dsync } = workerData;
const bytes = 16 << 20;
let fd = fs.openSync(path, "w+");
const zeros = Buffer.alloc(256 << 10);
for (let at = 0; at < bytes; at += zeros.length) fs.writeSync(fd, zeros, 0, zeros.length, at);
fs.fsyncSync(fd);
if (dsync) {
  fs.closeSync(fd);
  fd = fs.openSync(path, fs.constants.O_RDWR | fs.constants.O_DSYNC);
}
const record = Buffer.alloc(8192);
record.fill(97, 0, 900);
record[899] = 10;
const times = [];
const gap = 1000 / groupsPerS;
const sleeper = new Int32Array(new SharedArrayBuffer(4));
parentPort.postMessage({ ready: true });
parentPort.once("message", () => {
  const t0 = performance.now();
  let offset = 0;
  for (let i = 0; performance.now() - t0 < seconds * 1000; i++) {
    const due = t0 + i * gap;
    const wait = due - performance.now();
    if (wait > 0) Atomics.wait(sleeper, 0, 0, wait);
    // 900 bytes of records, padded with the file's own zeros to the end of the page (as the journal does).
    const start = performance.now();
    const pageEnd = (Math.floor((offset + 900) / 4096) + 1) * 4096;
    fs.writeSync(fd, record, 0, pageEnd - offset, offset);
    if (!dsync) fs.fdatasyncSync(fd);
    times.push(performance.now() - start);
    offset += 900;
    if (offset + 8192 > bytes) offset = 0;
  }
  fs.closeSync(fd);
  parentPort.postMessage({ times });
});
`;

async function runMode(mode: string, round: number): Promise<Array<string | number>> {
  const dir = mkdtempSync(join(root, "fdatasync-ledger-"));
  try {
    const store = await openStore({ url: join(dir, "ledger.db") });
    const pages = /^ckpt(\d+)$/.exec(mode)?.[1];
    const sink = ledgerJournalSink(store, "rampart.local/probe", pages ? { walCheckpointPages: Number(pages) } : {});
    let n = 0;
    const event = () => ({
      kind: "gateway.decision",
      eventId: `gateway:${Date.now().toString(16).padStart(12, "0")}-${round}-${mode}-${n++}`,
      actor: "bench",
      time: new Date().toISOString(),
      subject: { name: "credit", sha256: "a".repeat(64) },
      data: { model: "credit", action: "infer", decision: "allow", status: 200, reason: "ok", policies: ["bench"], details: { via: "api-key" } },
    });
    // A ledger that already holds some entries, as a gateway's does after its first minutes.
    const ledgerOn = mode !== "alone" && mode !== "dsync";
    if (ledgerOn) for (let i = 0; i < 20; i++) await sink(Array.from({ length: 500 }, event), true);
    const worker = new Worker(JOURNAL_SIDE, { eval: true, workerData: { path: join(dir, "segment"), seconds, groupsPerS, dsync: mode === "dsync" } });
    await new Promise<void>((r) => worker.once("message", () => r()));
    const done = new Promise<number[]>((r) => worker.once("message", (m: { times: number[] }) => r(m.times)));
    const load = loadavg()[0]!;
    const events0 = n;
    worker.postMessage("go");
    const t0 = performance.now();
    let syncs = 0;
    let finished = false;
    void done.then(() => {
      finished = true;
    });
    let lastDurable = t0;
    if (ledgerOn)
      for (let batch = 1; !finished && performance.now() - t0 < seconds * 1000; batch++) {
        const wait = t0 + batch * flushMs - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const durable = mode === "durable" || pages !== undefined || (mode === "durable1s" && performance.now() - lastDurable >= 1000);
        if (durable) lastDurable = performance.now();
        await sink(Array.from({ length: Math.round((eventsPerS * flushMs) / 1000) }, event), durable);
        if (durable) syncs++;
      }
    const times = (await done).sort((a, b) => a - b);
    const events = n - events0;
    await worker.terminate();
    await store.close();
    const q = (p: number) => times[Math.min(times.length - 1, Math.floor(times.length * p))]!.toFixed(3);
    return [round, mode, times.length, q(0.5), q(0.9), q(0.99), q(0.999), times.at(-1)!.toFixed(2), events, syncs, load.toFixed(1)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows: Array<Array<string | number>> = [];
for (let round = 1; round <= rounds; round++)
  for (const mode of shuffled(modes, random)) {
    rows.push(await runMode(mode, round));
    console.error(`fdatasync-ledger: ${rows.at(-1)!.join(" | ")}`);
  }
console.log(
  `\njournal-like fdatasync (900-byte record padded to the page end, pre-allocated file) at ${groupsPerS} groups/s for ${seconds} s; ledger ${eventsPerS} events/s in one batch every ${flushMs} ms; in ${root}\n`,
);
table(["round", "ledger beside it", "syncs timed", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "ledger events", "durable points", "load (1 min)"], rows);
