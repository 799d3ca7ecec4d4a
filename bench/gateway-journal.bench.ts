import { existsSync, readdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import type * as source from "../src/ledger/index.js";
import { scratchDir, table } from "./util.js";

// The compiled journal (npm run build): from the sources its threads would compile TypeScript meanwhile.
const { JournalThread } = (await import(join(import.meta.dirname, "..", "dist", "ledger", "index.js"))) as typeof source;

/** CPU seconds of each thread of this process, by thread id. */
function threads(): Map<number, number> {
  const out = new Map<number, number>();
  for (const t of readdirSync("/proc/self/task")) {
    try {
      const f = readFileSync(`/proc/self/task/${t}/stat`, "utf8").split(") ")[1]!.split(" ");
      out.set(Number(t), (Number(f[11]) + Number(f[12])) / 100);
    } catch {
      // ended meanwhile
    }
  }
  return out;
}

/**
 * The audit path alone, without HTTP: gateway-like decision events appended to the journal thread at
 * a fixed rate (open loop, a few per millisecond tick, as the serving thread does per event-loop
 * turn), each timed from append to acknowledgement (written and fdatasynced). Compares pre-allocated
 * segments with appended ones. BENCH_RATE events/s (default 5000), BENCH_SECONDS (default 6).
 */
export default async function bench(): Promise<void> {
  const rate = Number(process.env.BENCH_RATE ?? 5000);
  const seconds = Number(process.env.BENCH_SECONDS ?? 6);
  const rows: Array<Array<string | number>> = [];
  for (const [label, preallocate] of [
    ["pre-allocated segments", true],
    ["appended segments", false],
  ] as const) {
    const { dir, cleanup } = scratchDir("gateway-journal");
    const journal = await JournalThread.open(join(dir, "journal"), {
      ledger: { url: join(dir, "ledger.db"), origin: "rampart.local/bench-journal" },
      preallocate,
    });
    // Steady state: the first spare segment zero-filled before measuring (see gateway-target.ts).
    for (let i = 0; preallocate && i < 600 && !existsSync(join(dir, "journal", "spare.zero")); i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
    const event = (i: number) => ({
      kind: "gateway.decision",
      eventId: `gateway:${Date.now().toString(16).padStart(12, "0")}-${preallocate}-${i}`,
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
    const used = [...threads()].filter(([tid]) => tid !== process.pid).map(([tid, s]) => s - (before.get(tid) ?? 0));
    used.sort((a, b) => b - a);
    await journal.drain();
    await journal.close();
    cleanup();
    latencies.sort((a, b) => a - b);
    const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!.toFixed(2);
    rows.push([label, sent, q(0.5), q(0.99), latencies.at(-1)!.toFixed(1), ((used[0]! / sent) * 1e6).toFixed(0), ((used[1]! / sent) * 1e6).toFixed(0), load.toFixed(1)]);
  }
  console.log(`\naudit journal alone: ${rate} events/s for ${seconds} s, fdatasync on, ledger on SQLite`);
  table(["segments", "events", "ack p50 ms", "ack p99 ms", "max ms", "busiest thread µs/event", "next thread µs/event", "load (1 min)"], rows);
}
