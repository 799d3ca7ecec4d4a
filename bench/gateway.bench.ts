import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, fdatasyncSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import autocannon, { type Result } from "autocannon";
import { detectInjection } from "../src/gateway/index.js";
import { makeTabularModel, sampleRows } from "../test/gateway/tabular-model.js";
import { openLoop, quantile } from "./loadgen.js";
import { scratchDir, table } from "./util.js";

/** Prompt scanner latency by prompt size, then gateway overhead against calling the model directly. */
export default async function bench(): Promise<void> {
  // BENCH_PART=onnx runs only the in-process ONNX comparison.
  if (process.env.BENCH_PART === "onnx") return onnxBench();
  // BENCH_PART=rate: the same servers at fixed offered loads (open loop), latency from the schedule.
  if (process.env.BENCH_PART === "rate") return rateBench();
  const sentence = "Could you summarise the attached quarterly report and list the three biggest risks for the team? ";
  const rows: Array<Array<string | number>> = [];
  for (const size of (process.env.BENCH_SIZES ?? "256,2048,16384").split(",").map(Number)) {
    const prompt = sentence.repeat(Math.ceil(size / sentence.length)).slice(0, size);
    for (let i = 0; i < 50; i++) detectInjection(prompt);
    const times: number[] = [];
    for (let i = 0; i < 500; i++) {
      const t0 = performance.now();
      detectInjection(prompt);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    rows.push([`${size} chars`, times[250]!, times[475]!, (size / 1e6 / (times.reduce((a, b) => a + b, 0) / times.length / 1000)).toFixed(2)]);
  }
  console.log("\nprompt scanner (detectInjection):");
  table(["prompt", "p50 ms", "p95 ms", "MB/s"], rows);

  // The model server and the gateway each run in their own process, as they would in production.
  const model = await start(["model"]);
  const front = await start(["gateway", model.url]);
  const run = (url: string, headers: Record<string, string>) =>
    autocannon({
      url,
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ features: [0.1, 0.2, 0.3] }),
      connections: 32,
      duration: Number(process.env.BENCH_SECONDS ?? 8),
    });
  const direct = await run(`${model.url}/infer`, {});
  const through = await run(`${front.url}/v1/models/m/infer`, { "x-api-key": "bench-key" });
  console.log("\ngateway (API key auth, access rule, token bucket, output rounding, audit) vs the model server alone, 32 connections, loopback:");
  table(
    ["path", "req/s", "p50 ms", "p99 ms", "errors"],
    [
      ["model direct", direct.requests.average, direct.latency.p50, direct.latency.p99, direct.errors + direct.non2xx],
      ["through gateway", through.requests.average, through.latency.p50, through.latency.p99, through.errors + through.non2xx],
    ],
  );
  console.log(`added latency: p50 ${(through.latency.p50 - direct.latency.p50).toFixed(2)} ms, p99 ${(through.latency.p99 - direct.latency.p99).toFixed(2)} ms`);
  front.child.kill();
  model.child.kill();

  await onnxBench();
}

/** CPU seconds (user + system) a process has used so far, from /proc; with `thread`, that thread's only (the main thread's id is the pid). */
function cpuSeconds(pid: number, thread?: number): number {
  const fields = readFileSync(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`, "utf8")
    .split(") ")[1]!
    .split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU seconds of every thread of a process, by thread id. */
export function threadSeconds(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const t of readdirSync(`/proc/${pid}/task`)) {
    try {
      out.set(Number(t), cpuSeconds(pid, Number(t)));
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

/**
 * The small tabular ONNX model served in-process: the gateway with every check on against a plain
 * Fastify route that calls onnxruntime directly. Same request body (one row), same connections.
 */
async function onnxBench(): Promise<void> {
  const { dir, cleanup } = scratchDir("gateway-onnx");
  makeTabularModel(dir);
  const body = JSON.stringify({ inputs: { features: sampleRows(1, 11).rows } });
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
  const seconds = Number(process.env.BENCH_SECONDS ?? 8);
  const rows: Array<Array<string | number>> = [];
  const results: Record<string, Result> = {};
  // BENCH_ONLY=direct,off,fsync,append,nofsync picks some of the paths (default: all but append).
  const only = (process.env.BENCH_ONLY ?? "direct,off,fsync,nofsync").split(",");
  const paths = (
    [
      ["direct", "onnxruntime direct (plain Fastify route)", ["onnx-direct", dir], "/infer"],
      ["off", "gateway, audit off", ["onnx-gateway", dir], "/v1/models/credit/infer"],
      ["fsync", "gateway, audit on (journal fdatasync + ledger)", ["onnx-gateway", dir, "audit"], "/v1/models/credit/infer"],
      ["append", "gateway, audit on (journal fdatasync, appended segments + ledger)", ["onnx-gateway", dir, "audit-append"], "/v1/models/credit/infer"],
      ["nofsync", "gateway, audit on (journal in page cache + ledger)", ["onnx-gateway", dir, "audit-nofsync"], "/v1/models/credit/infer"],
    ] as const
  ).filter(([key]) => only.includes(key));
  for (const [, label, args, url] of paths) {
    const server = await start([...args]);
    // Warm up (JIT, first ONNX runs, Cedar cache), then measure.
    await autocannon({ url: `${server.url}${url}`, method: "POST", headers: { "content-type": "application/json", "x-api-key": "bench-key" }, body, connections, duration: 2 });
    const load = loadavg()[0]!;
    const cpu0 = cpuSeconds(server.child.pid!);
    const main0 = cpuSeconds(server.child.pid!, server.child.pid!);
    const threads0 = threadSeconds(server.child.pid!);
    const r = await autocannon({
      url: `${server.url}${url}`,
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": "bench-key" },
      body,
      connections,
      duration: seconds,
    });
    const cpu = cpuSeconds(server.child.pid!) - cpu0;
    const main = cpuSeconds(server.child.pid!, server.child.pid!) - main0;
    // The two busiest other threads: with the audit on, the journal's and the ledger's.
    const others = [...threadSeconds(server.child.pid!)]
      .filter(([tid]) => tid !== server.child.pid)
      .map(([tid, s]) => s - (threads0.get(tid) ?? 0))
      .sort((a, b) => b - a);
    const total = r.requests.total ?? r.requests.average * seconds;
    results[label] = r;
    rows.push([
      label,
      Math.round(r.requests.average),
      r.latency.p50,
      r.latency.p99,
      ((cpu / total) * 1e6).toFixed(0),
      ((main / total) * 1e6).toFixed(0),
      others
        .slice(0, 2)
        .map((x) => ((x / total) * 1e6).toFixed(0))
        .join(" / "),
      load.toFixed(1),
      r.errors + r.non2xx,
    ]);
    server.child.kill();
  }
  console.log(
    `\nsmall tabular ONNX model (4 → 8 → 3 MLP) in-process, ${connections} connections, ${seconds} s, loopback; load average before: ${loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")}`,
  );
  // Server CPU counts every thread of the gateway process (onnxruntime, GC, the journal and ledger
  // threads); the main thread is the one that serves requests; with the audit on the next two busiest
  // are the journal's and the ledger's threads.
  table(["path", "req/s", "p50 ms", "p99 ms", "server CPU µs/req", "main thread µs/req", "next two threads µs/req", "load (1 min)", "errors"], rows);
  const direct = results["onnxruntime direct (plain Fastify route)"];
  for (const [, label] of paths) {
    const r = results[label]!;
    if (direct && r !== direct)
      console.log(`${label}: added p50 ${(r.latency.p50 - direct.latency.p50).toFixed(2)} ms, added p99 ${(r.latency.p99 - direct.latency.p99).toFixed(2)} ms`);
  }
  cleanup();
}

async function start(args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<{ url: string; child: ChildProcess }> {
  const script = join(import.meta.dirname, "gateway-target.ts");
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", script, ...args], { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...env } });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.once("data", (d) => resolve(String(d).trim().split("\n")[0]!));
    child.once("exit", (code) => reject(new Error(`${args[0]} server exited ${code}`)));
  });
  return { url, child };
}

/**
 * Added latency at the same offered load: the direct onnxruntime route and the gateway (audit on,
 * fdatasync) each receive requests on an even schedule at BENCH_RATES req/s (open loop, latency from
 * each request's scheduled send time, so queueing behind a stall is charged). BENCH_RUNS rounds,
 * paths interleaved within a round so a change in the machine's speed hits both.
 */
async function rateBench(): Promise<void> {
  const { dir, cleanup } = scratchDir("gateway-rate");
  makeTabularModel(dir);
  const body = JSON.stringify({ inputs: { features: sampleRows(1, 11).rows } });
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const rates = (process.env.BENCH_RATES ?? "1000,2500,5000").split(",").map(Number);
  const runs = Number(process.env.BENCH_RUNS ?? 1);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);
  const only = (process.env.BENCH_ONLY ?? "direct,fsync").split(",");
  const paths = (
    [
      ["direct", "onnxruntime direct", ["onnx-direct", dir], "/infer"],
      ["off", "gateway, audit off", ["onnx-gateway", dir], "/v1/models/credit/infer"],
      ["fsync", "gateway, audit on (fdatasync)", ["onnx-gateway", dir, "audit"], "/v1/models/credit/infer"],
      ["nofsync", "gateway, audit on (page cache)", ["onnx-gateway", dir, "audit-nofsync"], "/v1/models/credit/infer"],
      // BENCH_BASELINE_DIST: the same path served by another build (before a change), in the same round.
      ["fsync-base", "gateway, audit on (fdatasync), baseline build", ["onnx-gateway", dir, "audit"], "/v1/models/credit/infer"],
      // A 64 MB young generation (node --max-semi-space-size=64 --min-semi-space-size=64): fewer scavenges.
      ["fsync-young64", "gateway, audit on (fdatasync), 64 MB semi-spaces", ["onnx-gateway", dir, "audit"], "/v1/models/credit/infer"],
    ] as const
  ).filter(([key]) => only.includes(key));
  const baseline = process.env.BENCH_BASELINE_DIST;
  if (only.includes("fsync-base") && !baseline) throw new Error("fsync-base needs BENCH_BASELINE_DIST (another build's dist/)");
  const headers = { "content-type": "application/json", "x-api-key": "bench-key" };
  const rows: Array<Array<string | number>> = [];
  const disk: Array<Array<string | number>> = [];
  // p50 / p99 / p99.9 per path, rate and run, for the added figures.
  const got = new Map<string, number[]>();
  for (let run = 1; run <= runs; run++) {
    // The floor under a durable answer: this disk's fdatasync right now (the other sessions share it).
    const sync = fdatasyncTimes(dir, 400);
    disk.push([run, quantile(sync, 0.5).toFixed(2), quantile(sync, 0.99).toFixed(2), quantile(sync, 1).toFixed(2), loadavg()[0]!.toFixed(1)]);
    for (const [key, label, args, path] of paths) {
      const server = await start(
        [...args],
        key === "fsync-base" ? { BENCH_DIST: baseline! } : {},
        key === "fsync-young64" ? ["--max-semi-space-size=64", "--min-semi-space-size=64"] : [],
      );
      const url = `${server.url}${path}`;
      // Warm-up at the lowest rate (JIT, first ONNX runs, Cedar cache, first journal groups).
      await openLoop({ url, method: "POST", headers, body, rate: rates[0]!, seconds: 2, connections });
      for (const rate of rates) {
        const load = loadavg()[0]!;
        const pid = server.child.pid!;
        const cpu0 = cpuSeconds(pid);
        const threads0 = threadSeconds(pid);
        const r = await openLoop({ url, method: "POST", headers, body, rate, seconds, connections });
        const cpu = cpuSeconds(pid) - cpu0;
        // The serving (main) thread, then the two busiest others (with the audit on: journal and ledger).
        const byThread = [...threadSeconds(pid)].map(([tid, x]) => [tid, x - (threads0.get(tid) ?? 0)] as const);
        const perReq = (x: number) => ((x / r.scheduled) * 1e6).toFixed(0);
        const main = byThread.find(([tid]) => tid === pid)?.[1] ?? 0;
        const others = byThread
          .filter(([tid]) => tid !== pid)
          .map(([, x]) => x)
          .sort((a, b) => b - a);
        const q = [0.5, 0.99, 0.999].map((x) => quantile(r.latencies, x));
        got.set(`${key} ${rate} ${run}`, q);
        rows.push([
          run,
          label,
          rate,
          Math.round(r.completed / r.wallSeconds),
          q[0]!.toFixed(2),
          q[1]!.toFixed(2),
          q[2]!.toFixed(2),
          quantile(r.latencies, 1).toFixed(1),
          r.errors,
          perReq(cpu),
          perReq(main),
          others.slice(0, 2).map(perReq).join(" / "),
          perReq(r.cpuSeconds),
          quantile(r.sendLag, 0.99).toFixed(2),
          r.maxQueued,
          load.toFixed(1),
        ]);
        // Progress on standard error (a loaded machine makes a round slow); the tables follow at the end.
        console.error(`rate bench: ${rows.at(-1)!.join(" | ")}`);
        // Settle (the ledger catches up) before the next rate.
        await new Promise((res) => setTimeout(res, 1000));
      }
      server.child.kill();
    }
  }
  console.log(`\nfixed offered load, open loop (latency from the scheduled send), ${seconds} s per rate, ${connections} connections, loopback`);
  table(
    [
      "run",
      "path",
      "offered req/s",
      "answered req/s",
      "p50 ms",
      "p99 ms",
      "p99.9 ms",
      "max ms",
      "errors",
      "server CPU µs/req",
      "serving thread µs/req",
      "next two threads µs/req",
      "generator CPU µs/req",
      "send lag p99 ms",
      "max queued",
      "load (1 min)",
    ],
    rows,
  );
  console.log("\nfdatasync of a 1 KB overwrite in a pre-zeroed file (what the journal does per group), 400 syncs before each round:");
  table(["run", "p50 ms", "p99 ms", "max ms", "load (1 min)"], disk);
  if (only.includes("direct")) {
    const added: Array<Array<string | number>> = [];
    for (const [key, label] of paths) {
      if (key === "direct") continue;
      for (const rate of rates)
        for (let run = 1; run <= runs; run++) {
          const d = got.get(`direct ${rate} ${run}`)!;
          const g = got.get(`${key} ${rate} ${run}`)!;
          added.push([run, label, rate, ...g.map((x, i) => (x - d[i]!).toFixed(2))]);
        }
    }
    console.log("\nadded latency against the direct route in the same round (ms):");
    table(["run", "path", "offered req/s", "added p50", "added p99", "added p99.9"], added);
  }
  cleanup();
}

/** Milliseconds per fdatasync after a 1 KB overwrite of a pre-zeroed, synced file (sorted). */
function fdatasyncTimes(dir: string, n: number): Float64Array {
  const path = join(dir, "fdatasync-floor");
  const fd = openSync(path, "w+");
  const out = new Float64Array(n);
  try {
    const line = Buffer.alloc(1024, 0x61);
    writeSync(fd, Buffer.alloc(n * line.length), 0, n * line.length, 0);
    fdatasyncSync(fd);
    for (let i = 0; i < n; i++) {
      writeSync(fd, line, 0, line.length, i * line.length);
      const t0 = process.hrtime.bigint();
      fdatasyncSync(fd);
      out[i] = Number(process.hrtime.bigint() - t0) / 1e6;
    }
  } finally {
    closeSync(fd);
    unlinkSync(path);
  }
  return out.sort();
}
