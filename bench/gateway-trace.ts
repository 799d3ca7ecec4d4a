/**
 * Where the gateway's latency tail comes from: one gateway process (the compiled build, as in
 * gateway.bench.ts) at a fixed offered load with RAMPART_AUDIT_TRACE on, so the serving, journal and
 * ledger threads each log their events with epoch timestamps (src/ledger/trace.ts): the serving
 * thread's wait for each group's acknowledgement, the journal's queueing, write + fdatasync per group,
 * spare-segment zero-filling, the ledger's appends, every thread's GC pauses and event-loop stalls.
 * The load generator keeps each request's latency in schedule order, so the slowest 1% can be laid
 * over those events: for each kind of event, the share of slow requests whose time in flight overlaps
 * one, against the share of all requests (a cause shows as a much larger share among the slow ones).
 *
 *   npm run build && npx tsx bench/gateway-trace.ts [audit|audit-nofsync|off] [rate…]
 * Env: TRACE_SECONDS (default 10), TRACE_RUNS (default 1), TRACE_KEEP=1 keeps the trace files,
 * TRACE_NODE_ARGS extra node flags for the gateway (a CPU profile: "--cpu-prof --cpu-prof-dir=DIR").
 * BENCH_WORKERS=2 (read by gateway-target.ts): a cluster; each worker then traces as "worker" its turn
 * wait ("turn": first audit line to the end of the turn) and its hop ("hop": the turn's lines sent to the
 * primary until the acknowledgement is back), the primary as "primary" its part ("durable": the message
 * handled to its lines on disk) and, as before, the journal thread's "ack", queueing and group writes. The
 * hop less the primary's part is the two IPC transits and the wake-ups around them. TRACE_GATEWAY_TMPDIR=DIR
 * gives the gateway alone that temporary directory: one too long for a Unix socket path (≥ 100 bytes) keeps
 * the workers' batches on the channel through the primary, so one build shows both hops.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { makeTabularModel, sampleRows } from "../test/gateway/tabular-model.js";
import { threadSeconds } from "./gateway.bench.js";
import { openLoop, quantile } from "./loadgen.js";
import { scratchDir, table } from "./util.js";

interface Event {
  thread: string;
  kind: string;
  start: number;
  dur: number;
  count: number;
}

const flag = process.argv[2] ?? "audit";
const rates = process.argv.slice(3).map(Number);
if (rates.length === 0) rates.push(1000);
const seconds = Number(process.env.TRACE_SECONDS ?? 10);
const runs = Number(process.env.TRACE_RUNS ?? 1);

async function start(dir: string, trace: string): Promise<{ url: string; child: ChildProcess }> {
  const args = ["onnx-gateway", dir, ...(flag === "off" ? [] : [flag])];
  // TRACE_NODE_ARGS: extra flags for the gateway's node (e.g. "--cpu-prof --cpu-prof-dir=DIR").
  const extra = (process.env.TRACE_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...extra, "--import", "tsx", join(import.meta.dirname, "gateway-target.ts"), ...args], {
    stdio: ["ignore", "pipe", "inherit"],
    // TRACE_GATEWAY_TMPDIR: the gateway's temporary directory only (a path too long for a Unix socket sends a
    // cluster's audit batches through the primary's channel, for a comparison in one build; tsx itself needs
    // a short one, so it is not set for this process).
    env: { ...process.env, RAMPART_AUDIT_TRACE: trace, ...(process.env.TRACE_GATEWAY_TMPDIR ? { TMPDIR: process.env.TRACE_GATEWAY_TMPDIR } : {}) },
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.once("data", (d) => resolve(String(d).trim().split("\n")[0]!));
    child.once("exit", (code) => reject(new Error(`gateway exited ${code}`)));
  });
  return { url, child };
}

function readTraces(dir: string): { events: Event[]; threads: Map<number, string> } {
  const events: Event[] = [];
  const threads = new Map<number, string>();
  for (const name of readdirSync(dir)) {
    const m = /^(\w+)-(\d+)-(\d+)\.tsv$/.exec(name);
    if (!m) continue;
    threads.set(Number(m[3]), m[1]!);
    for (const line of readFileSync(join(dir, name), "utf8").split("\n")) {
      if (!line) continue;
      const [kind, s, d, c] = line.split("\t");
      events.push({ thread: m[1]!, kind: kind!, start: Number(s), dur: Number(d), count: Number(c) });
    }
  }
  return { events, threads };
}

const q = (xs: number[], p: number) => quantile(Float64Array.from(xs).sort(), p);
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "—");

async function main(): Promise<void> {
  const { dir, cleanup } = scratchDir("gateway-trace");
  makeTabularModel(dir);
  const body = JSON.stringify({ inputs: { features: sampleRows(1, 11).rows } });
  const headers = { "content-type": "application/json", "x-api-key": "bench-key" };
  for (let run = 1; run <= runs; run++)
    for (const rate of rates) {
      const trace = join(dir, `trace-${run}-${rate}`);
      mkdirSync(trace);
      const server = await start(dir, trace);
      const url = `${server.url}/v1/models/credit/infer`;
      await openLoop({ url, method: "POST", headers, body, rate: Math.min(rate, 1000), seconds: 2, connections: 64 });
      await new Promise((r) => setTimeout(r, 1000));
      const pid = server.child.pid!;
      const load = loadavg()[0]!;
      const cpu0 = threadSeconds(pid);
      const r = await openLoop({ url, method: "POST", headers, body, rate, seconds, connections: 64 });
      const cpu1 = threadSeconds(pid);
      const endMs = r.startEpochMs + seconds * 1000;
      await new Promise((res) => setTimeout(res, 1500));
      server.child.kill("SIGTERM");
      await new Promise((res) => server.child.once("exit", res));
      const { events, threads } = readTraces(trace);
      const inRun = events.filter((e) => e.start + e.dur >= r.startEpochMs && e.start <= endMs);

      console.log(`\n### ${flag}, ${rate} req/s offered, ${seconds} s, run ${run} (load average before: ${load.toFixed(1)}; ${new Date().toISOString()})`);
      const q99 = quantile(r.latencies, 0.99);
      console.log(
        `latency from the schedule: p50 ${f2(quantile(r.latencies, 0.5))} ms, p99 ${f2(q99)}, p99.9 ${f2(quantile(r.latencies, 0.999))}, max ${f2(quantile(r.latencies, 1))}; errors ${r.errors}; generator schedule lag p99 ${f2(quantile(r.sendLag, 0.99))} ms`,
      );

      // CPU per request by thread, named from the trace files (the rest: onnxruntime, libuv, V8 helpers).
      const cpuRows: Array<Array<string | number>> = [];
      let other = 0;
      for (const [tid, s1] of cpu1) {
        const used = s1 - (cpu0.get(tid) ?? 0);
        const name = tid === pid ? "serving (main)" : threads.get(tid);
        if (name) cpuRows.push([name, ((used / r.scheduled) * 1e6).toFixed(0)]);
        else other += used;
      }
      cpuRows.push(["all other threads", ((other / r.scheduled) * 1e6).toFixed(0)]);
      table(["thread", "CPU µs/request"], cpuRows);

      // Distributions of each traced kind.
      const kinds = new Map<string, Event[]>();
      for (const e of inRun) {
        const k = `${e.thread} ${e.kind}`;
        kinds.set(k, [...(kinds.get(k) ?? []), e]);
      }
      const dist: Array<Array<string | number>> = [];
      for (const [k, es] of [...kinds].sort()) {
        const d = es.map((e) => e.dur);
        dist.push([
          k,
          es.length,
          f2(q(d, 0.5)),
          f2(q(d, 0.99)),
          f2(q(d, 1)),
          d.reduce((a, b) => a + b, 0).toFixed(0),
          (es.reduce((a, e) => a + e.count, 0) / es.length).toFixed(1),
        ]);
      }
      table(["thread event", "count", "p50 ms", "p99 ms", "max ms", "total ms", "mean count"], dist);

      // The slowest 1%: which events overlap their time in flight.
      const interval = 1000 / rate;
      const windows: Array<{ a: number; b: number; slow: boolean }> = [];
      for (let i = 0; i < r.inOrder.length; i++) {
        const lat = r.inOrder[i]!;
        if (!Number.isFinite(lat)) continue;
        const a = r.startEpochMs + i * interval;
        windows.push({ a, b: a + lat, slow: lat >= q99 });
      }
      const slow = windows.filter((w) => w.slow);
      const causes: Array<[string, (e: Event) => boolean]> = [
        ["journal fdatasync > 1 ms", (e) => e.kind === "fdatasync" && e.dur > 1],
        ["journal fdatasync > 3 ms", (e) => e.kind === "fdatasync" && e.dur > 3],
        ["journal group queued > 1 ms", (e) => e.kind === "queued" && e.dur > 1],
        ["journal zero-fill chunk", (e) => e.kind === "zero"],
        ["ledger append (any)", (e) => e.thread === "ledger" && e.kind === "append"],
        ["ledger append > 5 ms", (e) => e.thread === "ledger" && e.kind === "append" && e.dur > 5],
        ["ledger durable-point fdatasync", (e) => e.kind === "ledger-sync"],
        ["serving GC pause", (e) => e.thread === "serve" && e.kind === "gc"],
        ["serving GC pause > 1 ms", (e) => e.thread === "serve" && e.kind === "gc" && e.dur > 1],
        ["serving stall > 1 ms", (e) => e.thread === "serve" && e.kind === "stall"],
        ["journal thread stall > 1 ms", (e) => e.thread === "journal" && e.kind === "stall"],
        ["journal/ledger GC pause", (e) => (e.thread === "journal" || e.thread === "ledger") && e.kind === "gc"],
        ["cluster worker hop > 5 ms", (e) => e.thread === "worker" && e.kind === "hop" && e.dur > 5],
        ["cluster worker GC pause > 1 ms", (e) => e.thread === "worker" && e.kind === "gc" && e.dur > 1],
        ["cluster worker stall > 1 ms", (e) => e.thread === "worker" && e.kind === "stall"],
        ["primary stall > 1 ms", (e) => e.thread === "primary" && e.kind === "stall"],
        ["primary GC pause", (e) => e.thread === "primary" && e.kind === "gc"],
      ];
      const share = (ws: typeof windows, pred: (e: Event) => boolean) => {
        const es = inRun.filter(pred).sort((x, y) => x.start - y.start);
        const longest = es.reduce((m, e) => Math.max(m, e.dur), 0);
        let hit = 0;
        for (const w of ws) {
          // Events starting before the window ends, walked back while one could still reach into it.
          let lo = 0;
          let hi = es.length;
          while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (es[mid]!.start < w.b) lo = mid + 1;
            else hi = mid;
          }
          for (let k = lo - 1; k >= 0 && es[k]!.start >= w.a - longest; k--)
            if (es[k]!.start + es[k]!.dur > w.a) {
              hit++;
              break;
            }
        }
        return ws.length ? hit / ws.length : Number.NaN;
      };
      // The journal's fdatasync while the ledger commits (its WAL sync shares the disk) and while not.
      const syncs = inRun.filter((e) => e.kind === "fdatasync");
      for (const [what, others] of [
        ["a ledger append", inRun.filter((e) => e.thread === "ledger" && e.kind === "append")],
        // Since session 7 the ledger syncs only at durable points (before: inside every append, at synchronous=FULL).
        ["a ledger durable-point fdatasync", inRun.filter((e) => e.kind === "ledger-sync")],
        ["a spare-segment zero-fill chunk", inRun.filter((e) => e.kind === "zero")],
      ] as const) {
        const hits = (s: Event) => others.some((a) => a.start < s.start + s.dur && a.start + a.dur > s.start);
        const during = syncs.filter(hits).map((s) => s.dur);
        const outside = syncs.filter((s) => !hits(s)).map((s) => s.dur);
        console.log(
          `journal fdatasync during ${what}: n=${during.length} p50 ${f2(q(during, 0.5))} p99 ${f2(q(during, 0.99))} ms; otherwise: n=${outside.length} p50 ${f2(q(outside, 0.5))} p99 ${f2(q(outside, 0.99))} ms`,
        );
      }
      table(
        ["event overlapping the request", `slowest 1% (≥ ${f2(q99)} ms, n=${slow.length})`, "all requests"],
        causes.map(([label, pred]) => [label, share(slow, pred).toFixed(2), share(windows, pred).toFixed(2)]),
      );
      if (!process.env.TRACE_KEEP) rmSync(trace, { recursive: true, force: true });
      else console.log(`trace files kept in ${trace}`);
    }
  if (!process.env.TRACE_KEEP) cleanup();
}

await main();
