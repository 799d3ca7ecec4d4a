import { existsSync, readdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import type * as source from "../src/ledger/index.js";
import { seededRandom, shuffled } from "./gateway-rounds.js";
import { scratchDir, table } from "./util.js";

// The compiled journal (npm run build): from the sources its threads would compile TypeScript meanwhile.
const { JournalThread, ServingJournal } = (await import(join(import.meta.dirname, "..", "dist", "ledger", "index.js"))) as typeof source;

/** CPU seconds of each thread of this process, by thread id, and the thread's name. */
function threads(): Map<number, { cpu: number; name: string }> {
  const out = new Map<number, { cpu: number; name: string }>();
  for (const t of readdirSync("/proc/self/task")) {
    try {
      const f = readFileSync(`/proc/self/task/${t}/stat`, "utf8").split(") ")[1]!.split(" ");
      out.set(Number(t), { cpu: (Number(f[11]) + Number(f[12])) / 100, name: readFileSync(`/proc/self/task/${t}/comm`, "utf8").trim() });
    } catch {
      // ended meanwhile
    }
  }
  return out;
}

/**
 * The audit path alone, without HTTP: gateway-like decision events appended at a fixed rate (open
 * loop, a few per millisecond tick, as the serving thread does per event-loop turn), each timed from
 * append to acknowledgement (written and fdatasynced). Forms (BENCH_FORMS, default all): the journal
 * on its own thread with pre-allocated segments (the default), the same with appended segments, and
 * the journal on this (the serving) thread. BENCH_RUNS rounds (default 3), the forms in a seeded
 * shuffled order per round (BENCH_SEED); BENCH_RATE events/s (default 5000), BENCH_SECONDS (default 6).
 */
export default async function bench(): Promise<void> {
  const rate = Number(process.env.BENCH_RATE ?? 5000);
  const seconds = Number(process.env.BENCH_SECONDS ?? 6);
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const seed = Number(process.env.BENCH_SEED ?? 1);
  const forms = (
    [
      ["thread", "journal thread, pre-allocated segments", true, "thread"],
      ["thread-append", "journal thread, appended segments", false, "thread"],
      ["thread-dsync", "journal thread, pre-allocated segments, O_DSYNC writes", true, "thread-dsync"],
      ["serving", "serving thread (libuv async fs), pre-allocated segments", true, "serving"],
    ] as const
  ).filter(([key]) => (process.env.BENCH_FORMS ?? "thread,thread-append,serving").split(",").includes(key));
  const random = seededRandom(seed);
  const rows: Array<Array<string | number>> = [];
  for (let run = 1; run <= runs; run++)
    for (const [, label, preallocate, on] of shuffled(forms, random)) {
      const { dir, cleanup } = scratchDir("gateway-journal");
      const options = { ledger: { url: join(dir, "ledger.db"), origin: "rampart.local/bench-journal" }, preallocate, sync: on === "thread-dsync" ? ("dsync" as const) : undefined };
      const journal = on === "serving" ? await ServingJournal.open(join(dir, "journal"), options) : await JournalThread.open(join(dir, "journal"), options);
      // Steady state: the first spare segment zero-filled before measuring (see gateway-target.ts).
      for (let i = 0; preallocate && i < 600 && !existsSync(join(dir, "journal", "spare.zero")); i++) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 500));
      const event = (i: number) => ({
        kind: "gateway.decision",
        eventId: `gateway:${Date.now().toString(16).padStart(12, "0")}-${run}-${label}-${i}`,
        actor: "bench",
        time: new Date().toISOString(),
        subject: { name: "credit", sha256: "a".repeat(64) },
        data: { model: "credit", action: "infer", decision: "allow", status: 200, reason: "ok", policies: ["bench"], details: { via: "api-key" } },
      });
      const before = threads();
      const load = loadavg()[0]!;
      const latencies: number[] = [];
      const waiting: Promise<void>[] = [];
      const t0 = performance.now();
      let sent = 0;
      while (performance.now() - t0 < seconds * 1000) {
        const due = Math.floor(((performance.now() - t0) / 1000) * rate);
        for (; sent < due; sent++) {
          const start = performance.now();
          waiting.push(journal.append(event(sent)).then(() => void latencies.push(performance.now() - start)));
        }
        await new Promise((r) => setTimeout(r, 1));
      }
      await Promise.all(waiting);
      // CPU by thread: this one (it appends, as the serving thread does), the journal's, the ledger's, the rest (libuv's pool, V8).
      const used = [0, 0, 0, 0];
      for (const [tid, t] of threads()) {
        const d = t.cpu - (before.get(tid)?.cpu ?? 0);
        used[tid === process.pid ? 0 : t.name === "rampart-journal" ? 1 : t.name === "rampart-ledger" ? 2 : 3]! += d;
      }
      await journal.drain();
      await journal.close();
      cleanup();
      latencies.sort((a, b) => a - b);
      const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!.toFixed(2);
      rows.push([run, label, sent, q(0.5), q(0.99), q(0.999), latencies.at(-1)!.toFixed(1), ...used.map((u) => ((u / sent) * 1e6).toFixed(0)), load.toFixed(1)]);
      console.error(`gateway-journal: ${rows.at(-1)!.join(" | ")}`);
    }
  console.log(`\naudit journal alone: ${rate} events/s for ${seconds} s per run, fdatasync on, ledger on SQLite; seed ${seed}`);
  table(
    [
      "run",
      "form",
      "events",
      "ack p50 ms",
      "ack p99 ms",
      "ack p99.9 ms",
      "max ms",
      "appending thread µs/event",
      "journal thread",
      "ledger thread",
      "other threads",
      "load (1 min)",
    ],
    rows,
  );
}
