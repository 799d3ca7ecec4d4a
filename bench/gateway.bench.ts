import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { closeSync, existsSync, fdatasyncSync, openSync, readdirSync, readFileSync, rmSync, unlinkSync, writeSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import autocannon, { type Result } from "autocannon";
import { detectInjection } from "../src/gateway/index.js";
import { makeTabularModel, sampleRows } from "../test/gateway/tabular-model.js";
import { byPosition, directSpread, paired, type Quantiles, quantileOf, type Round, type Spread, seededRandom, shuffled, spreadOf, summarise } from "./gateway-rounds.js";
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

/** Major page faults of a process so far (all threads): pages it had to read back from storage. */
function pageFaults(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")[9]);
}

/** Bytes a process caused to be read from storage so far (/proc/PID/io), e.g. a write into a page that was not cached. */
function storageReadBytes(pid: number): number {
  return Number(/read_bytes: (\d+)/.exec(readFileSync(`/proc/${pid}/io`, "utf8"))?.[1] ?? 0);
}

/** A thread's name (Linux comm), or "" when it ended meanwhile. */
function threadName(pid: number, tid: number): string {
  try {
    return readFileSync(`/proc/${pid}/task/${tid}/comm`, "utf8").trim();
  } catch {
    return "";
  }
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
 * CPU seconds of every thread of a process and of its descendants (cluster workers), by "pid/tid".
 * A thread or process that ended between two readings is missing from the later one.
 */
export function treeThreadSeconds(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  const visit = (p: number) => {
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      return;
    }
    for (const t of tasks) {
      try {
        out.set(`${p}/${t}`, cpuSeconds(p, Number(t)));
        for (const child of readFileSync(`/proc/${p}/task/${t}/children`, "utf8").trim().split(" ").filter(Boolean)) visit(Number(child));
      } catch {
        // ended meanwhile
      }
    }
  };
  visit(pid);
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

/**
 * BENCH_PIN=SERVERS:GENERATOR (CPU lists for taskset, e.g. "0:1"): every server process (all its
 * threads) runs on SERVERS only and this process, the load generator, on GENERATOR only, so the two stop
 * taking each other's core. Other processes on the machine are not moved.
 */
const pin = process.env.BENCH_PIN ? (process.env.BENCH_PIN.split(":") as [string, string]) : undefined;
if (pin && (pin.length !== 2 || !pin.every((c) => /^[0-9,-]+$/.test(c)))) throw new Error(`BENCH_PIN=${process.env.BENCH_PIN}: expected SERVERS:GENERATOR CPU lists, e.g. 0:1`);

export async function start(args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<{ url: string; child: ChildProcess }> {
  const script = join(import.meta.dirname, "gateway-target.ts");
  const argv = [...nodeArgs, "--import", "tsx", script, ...args];
  // taskset execs node in place: the child's pid is the server's (its /proc CPU figures stay right).
  const child = pin
    ? spawn("taskset", ["-c", pin[0], process.execPath, ...argv], { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...env } })
    : spawn(process.execPath, argv, { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...env } });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.once("data", (d) => resolve(String(d).trim().split("\n")[0]!));
    child.once("exit", (code) => reject(new Error(`${args[0]} server exited ${code}`)));
  });
  return { url, child };
}

/**
 * Added latency at the same offered load, in many short rounds whose order cannot bias it. Every
 * server is started and warmed up once. Then, per round and rate: a throw-away warm-up path (its own
 * audited gateway), the direct onnxruntime route, the other paths in an order shuffled with a seeded
 * PRNG (BENCH_SEED; seed and orders printed), the direct route again. Each path receives requests on
 * an even schedule (open loop, latency from each request's scheduled send time, so queueing behind a
 * stall is charged). A path's added latency in a round is its p50/p99/p99.9 minus the mean of the
 * round's two direct runs (whose spread is the noise floor); the summary gives the median, quartiles
 * and worst round over rounds, CPU per request per thread, the disk's fdatasync floor and the load.
 * Before each run the bench waits until every server is idle (the ledger has caught up).
 */
async function rateBench(): Promise<void> {
  const { dir, cleanup } = scratchDir("gateway-rate");
  makeTabularModel(dir);
  const body = JSON.stringify({ inputs: { features: sampleRows(1, 11).rows } });
  const seconds = Number(process.env.BENCH_SECONDS ?? 3);
  const rates = (process.env.BENCH_RATES ?? "1000,2500,5000").split(",").map(Number);
  const rounds = Number(process.env.BENCH_ROUNDS ?? process.env.BENCH_RUNS ?? 8);
  const seed = Number(process.env.BENCH_SEED ?? 1);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);
  const only = (process.env.BENCH_ONLY ?? "direct,fsync,fsync-twin,serving").split(",");
  const all = [
    ["direct", "onnxruntime direct", ["onnx-direct", dir], "/infer"],
    // The tail ladder (session 19): the generator's floor, then the gateway with one check more per rung.
    ["trivial", "plain node:http, constant answer (the generator's floor)", ["trivial"], "/"],
    ["l-auth", "gateway, auth only (API key + Cedar; no limit, no profile, no audit)", ["onnx-gateway", dir], "/v1/models/credit/infer"],
    ["l-limit", "gateway, auth + rate limit (no profile, no audit)", ["onnx-gateway", dir], "/v1/models/credit/infer"],
    ["off", "gateway, audit off", ["onnx-gateway", dir], "/v1/models/credit/infer"],
    ["fsync", "gateway, audit on (fdatasync), journal thread", ["onnx-gateway", dir, "audit"], "/v1/models/credit/infer"],
    // The same build and settings as fsync in a second process: the two must agree within noise.
    ["fsync-twin", "same as fsync, second process", ["onnx-gateway", dir, "audit"], "/v1/models/credit/infer"],
    // More processes of the same build and settings (A/A checks: how far apart processes of one build land).
    ["fsync-twin2", "same as fsync, third process", ["onnx-gateway", dir, "audit"], "/v1/models/credit/infer"],
    ["fsync-twin3", "same as fsync, fourth process", ["onnx-gateway", dir, "audit"], "/v1/models/credit/infer"],
    ["off-twin", "same as off, second process", ["onnx-gateway", dir], "/v1/models/credit/infer"],
    ["after", "gateway, audit on, group commit after the answer (fdatasync ≤ 5 ms later)", ["onnx-gateway", dir, "audit-after"], "/v1/models/credit/infer"],
    ["serving", "gateway, audit on (fdatasync), journal on the serving thread", ["onnx-gateway", dir, "audit-serving"], "/v1/models/credit/infer"],
    ["batched", "gateway, audit on (fdatasync), ledger durable points batched", ["onnx-gateway", dir, "audit-batched"], "/v1/models/credit/infer"],
    ["dsync", "gateway, audit on (O_DSYNC writes), journal thread", ["onnx-gateway", dir, "audit-dsync"], "/v1/models/credit/infer"],
    // A diagnostic rung: fdatasync as `fsync`, the ledger not fed during the runs (its disk writes and CPU out of the way).
    ["ledger-idle", "gateway, audit on (fdatasync), ledger idle during the runs", ["onnx-gateway", dir, "audit-ledger-idle"], "/v1/models/credit/infer"],
    // The ledger's SQLite checkpoints smaller and more often, or larger and rarer (audit.walCheckpointPages; SQLite's default 1,000).
    ["ckpt250", "gateway, audit on (fdatasync), ledger checkpoint every 250 WAL pages", ["onnx-gateway", dir, "audit-ckpt250"], "/v1/models/credit/infer"],
    ["ckpt4000", "gateway, audit on (fdatasync), ledger checkpoint every 4,000 WAL pages", ["onnx-gateway", dir, "audit-ckpt4000"], "/v1/models/credit/infer"],
    ["nofsync", "gateway, audit on (page cache)", ["onnx-gateway", dir, "audit-nofsync"], "/v1/models/credit/infer"],
    // The journal on the serving thread without fsync: since session 22 written there, answered with no hop.
    ["serving-nofsync", "gateway, audit on (page cache), journal on the serving thread", ["onnx-gateway", dir, "audit-serving-nofsync"], "/v1/models/credit/infer"],
    // BENCH_BASELINE_DIST: the same path served by another build (before a change), in the same rounds.
    ["fsync-base", "gateway, audit on (fdatasync), baseline build", ["onnx-gateway", dir, "audit"], "/v1/models/credit/infer"],
    ["serving-base", "gateway, audit on (fdatasync), journal on the serving thread, baseline build", ["onnx-gateway", dir, "audit-serving"], "/v1/models/credit/infer"],
    ["nofsync-base", "gateway, audit on (page cache), baseline build", ["onnx-gateway", dir, "audit-nofsync"], "/v1/models/credit/infer"],
    // Two serving processes (server.workers: 2; the primary owns journal, ledger and limits).
    ["fsync-2w", "gateway, audit on (fdatasync), 2 worker processes", ["onnx-gateway", dir, "audit"], "/v1/models/credit/infer"],
    ["direct-2w", "onnxruntime direct, 2 processes", ["onnx-direct", dir], "/infer"],
    ["fsync-2w-base", "gateway, audit on (fdatasync), 2 worker processes, baseline build", ["onnx-gateway", dir, "audit"], "/v1/models/credit/infer"],
    // The primary's journal written and fdatasynced on its own event loop (journalOn: inline): no thread hop.
    ["fsync-2w-inline", "gateway, audit on (fdatasync), 2 worker processes, the primary's journal inline", ["onnx-gateway", dir, "audit"], "/v1/models/credit/infer"],
    // server.journals: per-worker — each worker's own journal; the primary only folds committed batches into the ledger.
    ["fsync-2w-pw", "gateway, audit on (fdatasync), 2 worker processes, a journal per worker", ["onnx-gateway", dir, "audit"], "/v1/models/credit/infer"],
    ["after-2w-pw", "gateway, audit on (after-answer), 2 worker processes, a journal per worker", ["onnx-gateway", dir, "audit-after"], "/v1/models/credit/infer"],
    ["fsync-2w-pw-base", "gateway, audit on (fdatasync), 2 worker processes, a journal per worker, baseline build", ["onnx-gateway", dir, "audit"], "/v1/models/credit/infer"],
  ] as const;
  // BENCH_ELD=1: each single-process server's event-loop delay and GC pauses over each measured run.
  const eld = process.env.BENCH_ELD === "1";
  const eldRows: Array<Array<string | number>> = [];
  const envOf = (key: string): Record<string, string> => ({
    ...(key.endsWith("-base") ? { BENCH_DIST: baseline! } : {}),
    ...(key.includes("-2w") ? { BENCH_WORKERS: "2" } : {}),
    ...(key.includes("-pw") ? { BENCH_JOURNALS: "per-worker" } : {}),
    ...(key.includes("-inline") ? { BENCH_JOURNAL_ON: "inline" } : {}),
    ...(key === "l-auth" ? { BENCH_NO_LIMIT: "1" } : {}),
    ...(key === "l-auth" || key === "l-limit" ? { BENCH_NO_PROFILE: "1" } : {}),
    ...(eld ? { BENCH_ELD_DIR: dir } : {}),
  });
  const paths = all.filter(([key]) => only.includes(key));
  if (!only.includes("direct")) throw new Error("BENCH_ONLY must include direct: added latency is measured against it");
  const baseline = process.env.BENCH_BASELINE_DIST;
  if (only.some((k) => k.endsWith("-base")) && !baseline) throw new Error("fsync-base and fsync-2w-base need BENCH_BASELINE_DIST (another build's dist/)");
  const headers = { "content-type": "application/json", "x-api-key": "bench-key" };
  const uptime = () => execFileSync("uptime", { encoding: "utf8" }).trim();
  const uptimeStart = uptime();
  // The generator's own threads (this process) onto its CPUs; servers are pinned as they start.
  if (pin) execFileSync("taskset", ["-a", "-cp", pin[1], String(process.pid)], { stdio: "ignore" });
  const pinned = pin ? `; servers pinned to CPU ${pin[0]}, generator to CPU ${pin[1]}` : "";
  console.error(`rate bench: seed ${seed}, ${rounds} rounds x rates ${rates.join("/")}, ${seconds} s per run; ${uptimeStart}`);

  // BENCH_FRESH=1: every round gets new server processes (started in the round's shuffled order, warmed
  // up, the last round's stopped and their journals and ledgers deleted), so a round is a sample of the
  // build rather than of one long-lived process; without it, one process per path serves every round.
  const fresh = process.env.BENCH_FRESH === "1";
  const prewarm = Number(process.env.BENCH_PREWARM ?? 0);
  const servers = new Map<string, { url: string; child: ChildProcess }>();
  let warm: { url: string; child: ChildProcess } | undefined;
  let pids: number[] = [];
  const launch = async (order: readonly string[]) => {
    for (const s of [...servers.values(), ...(warm ? [warm] : [])]) await stopServer(s.child, dir);
    servers.clear();
    warm = await start(["onnx-gateway", dir, "audit"]);
    for (const key of order) {
      const [, , args, path] = paths.find(([k]) => k === key)!;
      const s = await start([...args], envOf(key));
      servers.set(key, { url: `${s.url}${path}`, child: s.child });
    }
    pids = [...servers.values(), warm].map((s) => s.child.pid!);
    // JIT, first ONNX runs, Cedar cache, first journal groups: every server once before it is measured.
    for (const s of [...servers.values()]) await openLoop({ url: s.url, method: "POST", headers, body, rate: rates[0]!, seconds: 2, connections });
    await settle(pids);
  };
  const warmUrl = () => `${warm!.url}/v1/models/credit/infer`;

  const random = seededRandom(seed);
  const others = paths.map(([key]) => key).filter((k) => k !== "direct");
  const label = new Map<string, string>(paths.map(([key, l]) => [key, l]));
  const byRate = new Map<number, Round[]>(rates.map((r) => [r, []]));
  // Per path and rate: server CPU µs/request (all threads, serving thread, next two busiest), generator CPU, send lag.
  const cpu = new Map<string, number[][]>();
  const raw: Array<Array<string | number>> = [];
  const orders: Array<Array<string | number>> = [];
  const disk: Array<Array<string | number>> = [];
  const measure = async (key: string, rate: number, round: number): Promise<Quantiles> => {
    const server = servers.get(key)!;
    // BENCH_PREWARM seconds of unmeasured load on this very server first: no path is measured straight
    // after sitting idle while the others ran (see docs/gateway.md, "the A/A check explained").
    if (prewarm > 0) await openLoop({ url: server.url, method: "POST", headers, body, rate, seconds: prewarm, connections });
    await settle(pids);
    const load = loadavg()[0]!;
    const pid = server.child.pid!;
    const threads0 = threadSeconds(pid);
    const tree0 = treeThreadSeconds(pid);
    const faults0 = pageFaults(pid);
    const read0 = storageReadBytes(pid);
    const eldFile = join(dir, `eld-${pid}.json`);
    const single = !key.includes("-2w");
    if (eld && single) process.kill(pid, "SIGUSR2"); // starts the server's histogram over
    const r = await openLoop({ url: server.url, method: "POST", headers, body, rate, seconds, connections });
    if (eld && single) {
      rmSync(eldFile, { force: true });
      process.kill(pid, "SIGUSR2");
      for (let i = 0; i < 40 && !existsSync(eldFile); i++) await new Promise((res) => setTimeout(res, 25));
      if (existsSync(eldFile)) {
        const f = JSON.parse(readFileSync(eldFile, "utf8")) as Record<string, number>;
        eldRows.push([round, key, ...["eldP50", "eldP99", "eldMax"].map((k) => f[k]!.toFixed(2)), f.gcCount!, f.gcTotal!.toFixed(1), f.gcMax!.toFixed(2)]);
      }
    }
    const majorFaults = pageFaults(pid) - faults0;
    const readKB = (storageReadBytes(pid) - read0) / 1024;
    // By thread: serving (the main thread), the journal's and the ledger's (they name themselves), the rest
    // (libuv's pool, which runs the serving-thread journal's write and fdatasync; onnxruntime; V8's helpers).
    const kind = (tid: number) => (tid === pid ? 1 : threadName(pid, tid) === "rampart-journal" ? 2 : threadName(pid, tid) === "rampart-ledger" ? 3 : 4);
    const sums = [0, 0, 0, 0, 0];
    for (const [tid, x] of threadSeconds(pid)) sums[kind(tid)]! += x - (threads0.get(tid) ?? 0);
    // All threads of the process and of its worker processes, if any (server.workers > 1).
    for (const [id, x] of treeThreadSeconds(pid)) sums[0]! += x - (tree0.get(id) ?? 0);
    const us = (x: number) => (x / r.scheduled) * 1e6;
    const figures = [...sums.map(us), us(r.cpuSeconds), quantile(r.sendLag, 0.99)];
    const k = `${key} ${rate}`;
    cpu.set(k, [...(cpu.get(k) ?? []), figures]);
    const q: Quantiles = [quantile(r.latencies, 0.5), quantile(r.latencies, 0.99), quantile(r.latencies, 0.999)];
    raw.push([
      round,
      key,
      rate,
      Math.round(r.completed / r.wallSeconds),
      ...q.map((x) => x.toFixed(2)),
      quantile(r.latencies, 1).toFixed(1),
      r.errors,
      ...figures.slice(0, 5).map((x) => x.toFixed(0)),
      majorFaults,
      readKB.toFixed(0),
      load.toFixed(1),
    ]);
    console.error(`rate bench: ${raw.at(-1)!.join(" | ")}`);
    return q;
  };
  for (let round = 1; round <= rounds; round++) {
    // Fresh processes start in a seeded order of their own (the start order must not stand for the path).
    if (round === 1 || fresh) await launch(shuffled(["direct", ...others], random));
    // The floor under a durable answer: this disk's fdatasync right now (other sessions share the disk).
    const sync = fdatasyncTimes(dir, 200);
    disk.push([round, quantile(sync, 0.5).toFixed(2), quantile(sync, 0.99).toFixed(2), quantile(sync, 1).toFixed(2), loadavg()[0]!.toFixed(1)]);
    for (const rate of rates) {
      const order = shuffled(others, random);
      orders.push([round, rate, order.join(", ")]);
      // Throw-away: whatever runs first after a pause pays for it (CPU frequency, caches, disk queue); this one is not counted.
      await settle(pids);
      await openLoop({ url: warmUrl(), method: "POST", headers, body, rate, seconds: 1, connections });
      const directStart = await measure("direct", rate, round);
      const got: Record<string, Quantiles> = {};
      for (const key of order) got[key] = await measure(key, rate, round);
      const directEnd = await measure("direct", rate, round);
      byRate.get(rate)!.push({ directStart, directEnd, paths: got, order });
    }
  }
  const uptimeEnd = uptime();
  for (const s of [...servers.values(), warm!]) await stopServer(s.child, dir);

  console.log(
    `\nfixed offered load, open loop (latency from the scheduled send), ${rounds} rounds, ${seconds} s per run, ${connections} connections, loopback; seed ${seed}${pinned}${fresh ? "; new server processes every round (BENCH_FRESH)" : "; one process per path for all rounds"}${prewarm > 0 ? `; ${prewarm} s unmeasured load on each server right before its run (BENCH_PREWARM)` : ""}`,
  );
  console.log(`uptime before: ${uptimeStart}\nuptime after:  ${uptimeEnd}`);
  console.log("\norder of paths in each round (after a throw-away warm-up path and the direct route; the direct route runs again at the end):");
  table(["round", "offered req/s", "order"], orders);
  const ms = (x: number) => x.toFixed(2);
  const cell = (s: Spread) => `${ms(s.median)} [${ms(s.q1)}, ${ms(s.q3)}] ≤ ${ms(s.worst)}`;
  for (const rate of rates) {
    const rs = byRate.get(rate)!;
    console.log(`\n${rate} req/s offered: added latency against the same round's direct route (ms; median [interquartile range] ≤ worst round):`);
    table(
      ["path", "rounds", "added p50", "added p99", "added p99.9", "rounds with added p99 ≤ 2 ms"],
      summarise(rs).map((p) => [label.get(p.key)!, p.rounds, ...p.added.map(cell), `${p.p99Within} / ${p.rounds}`]),
    );
    const d = directSpread(rs);
    const direct = (i: number) => spreadOf(rs.flatMap((r) => [r.directStart[i]!, r.directEnd[i]!]));
    console.log(
      `direct route itself: p50 ${cell(direct(0))}, p99 ${cell(direct(1))}, p99.9 ${cell(direct(2))}; |end − start| of the direct route within a round (noise floor): p50 ${cell(d[0])}, p99 ${cell(d[1])}, p99.9 ${cell(d[2])}`,
    );
    // Every pair of paths other than the direct route, round by round (the earlier key of `paths` is `a`).
    const pairs = others.flatMap((a, i) => others.slice(i + 1).map((b) => [a, b] as const));
    if (pairs.length > 0) {
      console.log("paired by round (added p99 and server CPU per request; sign test one-sided, ties dropped):");
      const cpuOf = (key: string) => (cpu.get(`${key} ${rate}`) ?? []).map((f) => f[0]!);
      table(
        ["a", "b", "rounds", "a lower p99", "median a − b p99 ms", "p (a lower)", "a lower CPU", "median a − b CPU µs"],
        pairs.map(([a, b]) => {
          const p = paired(rs, a, b);
          const ca = cpuOf(a);
          const cb = cpuOf(b);
          const d = ca.map((x, i) => x - cb[i]!);
          return [a, b, p.rounds, `${p.aLower} / ${p.rounds}`, ms(p.medianDiff), p.p.toFixed(4), `${d.filter((x) => x < 0).length} / ${d.length}`, quantileOf(d, 0.5).toFixed(0)];
        }),
      );
    }
    console.log("added p99 by position after the direct route, pooled over paths (a position effect shows here):");
    table(
      ["position", "added p99"],
      byPosition(rs).map((s, i) => [i + 1, cell(s)]),
    );
  }
  console.log(
    "\nCPU per request, median over runs (µs; server threads from /proc in 10 ms ticks: the journal's and ledger's threads name themselves, a baseline build's count as other; generator from process.cpuUsage):",
  );
  const medianOf = (runs: number[][], i: number) =>
    quantileOf(
      runs.map((f) => f[i]!),
      0.5,
    );
  table(
    ["path", "offered req/s", "server, all threads", "serving thread", "journal thread", "ledger thread", "other threads", "generator", "send lag p99 ms"],
    [...cpu].map(([k, runs]) => {
      const [key, rate] = k.split(" ");
      return [label.get(key!)!, Number(rate), ...[0, 1, 2, 3, 4, 5].map((i) => medianOf(runs, i).toFixed(0)), medianOf(runs, 6).toFixed(2)];
    }),
  );
  if (eldRows.length > 0) {
    console.log("\nthe serving thread's event-loop delay (monitorEventLoopDelay, 1 ms resolution) and GC pauses over each measured run (single-process paths):");
    table(["round", "path", "delay p50 ms", "delay p99 ms", "delay max ms", "GC pauses", "GC total ms", "GC max ms"], eldRows);
  }
  console.log("\nfdatasync of a 1 KB overwrite in a pre-zeroed file (what the journal does per group), 200 syncs before each round:");
  table(["round", "p50 ms", "p99 ms", "max ms", "load (1 min)"], disk);
  console.log("\nevery run:");
  table(
    [
      "round",
      "path",
      "offered req/s",
      "answered req/s",
      "p50 ms",
      "p99 ms",
      "p99.9 ms",
      "max ms",
      "errors",
      "server CPU µs/req",
      "serving thread",
      "journal thread",
      "ledger thread",
      "other threads",
      "major page faults",
      "read from storage KB",
      "load (1 min)",
    ],
    raw,
  );
  cleanup();
}

/** Stops a bench server and deletes its journal and ledger (fresh rounds would otherwise pile up pre-allocated segments). */
export async function stopServer(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once("exit", r));
    child.kill();
    await exited;
  }
  for (const name of readdirSync(dir)) if (name === `journal-${child.pid}` || name.startsWith(`ledger-${child.pid}.db`)) rmSync(join(dir, name), { recursive: true, force: true });
}

/** Waits until the servers are idle (together under one clock tick of CPU in 250 ms; at most 5 s): the ledgers have caught up. */
async function settle(pids: number[]): Promise<void> {
  const total = () => pids.reduce((a, pid) => a + cpuSeconds(pid), 0);
  for (let i = 0; i < 20; i++) {
    const before = total();
    await new Promise((r) => setTimeout(r, 250));
    if (total() - before <= 0.01) return;
  }
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
