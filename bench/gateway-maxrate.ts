/**
 * The highest rate the gateway sustains: wrk (a C load generator, far cheaper per request than a
 * Node one) drives each server closed-loop with MAXRATE_CONNECTIONS keep-alive connections (default
 * 64) for MAXRATE_SECONDS (default 8) after a 3 s warm-up, alternating the servers for MAXRATE_ROUNDS
 * rounds (default 3) in a seeded shuffled order per round. Per run: answers per second, non-2xx and
 * socket errors, p50/p99 latency, the server's CPU µs per request (all threads, from /proc) and
 * wrk's own. A rate counts as sustained only with 0 errors.
 *
 * fsync-base and fsync-2w-base run another build (BENCH_BASELINE_DIST) for a before/after in the same rounds.
 * Paths ending in -2w run with two serving processes (BENCH_WORKERS=2; the server CPU then sums every
 * thread of the primary and its workers); -2w-kernel with the kernel spreading the connections; -2w-pw with
 * a journal per worker (server.journals: per-worker).
 *
 * wrk is not a dependency: install it for the bench only (Debian/Ubuntu: `apt-get install wrk`);
 * without it the bench says so and stops.
 *   npm run build && MAXRATE_SEED=1 MAXRATE_ONLY=direct,off,fsync[,fsync-base] [BENCH_BASELINE_DIST=…/dist] npx tsx bench/gateway-maxrate.ts
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeTabularModel, sampleRows } from "../test/gateway/tabular-model.js";
import { start, stopServer, treeThreadSeconds } from "./gateway.bench.js";
import { seededRandom, shuffled } from "./gateway-rounds.js";
import { scratchDir, table } from "./util.js";

interface WrkRun {
  requests: number;
  seconds: number;
  errors: number;
  p50: number;
  p99: number;
  wrkCpuSeconds: number;
}

/** wrk's path, or undefined when it is not installed. */
function wrkPath(): string | undefined {
  try {
    return execFileSync("sh", ["-c", "command -v wrk"], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}

const ms = (v: string, unit: string) => Number(v) * (unit === "us" ? 1e-3 : unit === "s" ? 1e3 : 1);

/** One wrk run; its own CPU comes from the shell that waited for it (cutime + cstime of /proc/self/stat). */
async function wrk(bin: string, script: string, url: string, seconds: number, connections: number): Promise<WrkRun> {
  const child = spawn("sh", ["-c", 'env "$@"; cat /proc/$$/stat', "sh", bin, "-t1", `-c${connections}`, `-d${seconds}s`, "--latency", "-s", script, url], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout!.on("data", (d) => {
    out += String(d);
  });
  await new Promise((r) => child.once("exit", r));
  const total = /(\d+) requests in ([\d.]+)(m?s)/.exec(out);
  if (!total) throw new Error(`wrk printed no totals:\n${out}`);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const errors = non2xx + (socket ? socket.slice(1).reduce((a, x) => a + Number(x), 0) : 0);
  const pct = (p: string) => {
    const m = new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
    return m ? ms(m[1]!, m[2]!) : Number.NaN;
  };
  const stat = out.trim().split("\n").at(-1)!.split(") ")[1]!.split(" ");
  return {
    requests: Number(total[1]),
    seconds: Number(total[2]) * (total[3] === "ms" ? 1e-3 : 1),
    errors,
    p50: pct("50"),
    p99: pct("99"),
    wrkCpuSeconds: (Number(stat[13]) + Number(stat[14])) / 100,
  };
}

async function main(): Promise<void> {
  const bin = wrkPath();
  if (!bin) {
    console.log("gateway-maxrate: wrk is not installed (Debian/Ubuntu: apt-get install wrk); skipped.");
    return;
  }
  const { dir, cleanup } = scratchDir("gateway-maxrate");
  makeTabularModel(dir);
  const body = JSON.stringify({ inputs: { features: sampleRows(1, 11).rows } });
  const script = join(dir, "post.lua");
  writeFileSync(script, `wrk.method = "POST"\nwrk.headers["content-type"] = "application/json"\nwrk.headers["x-api-key"] = "bench-key"\nwrk.body = ${JSON.stringify(body)}\n`);
  const seconds = Number(process.env.MAXRATE_SECONDS ?? 8);
  const rounds = Number(process.env.MAXRATE_ROUNDS ?? 3);
  const connections = Number(process.env.MAXRATE_CONNECTIONS ?? 64);
  const seed = Number(process.env.MAXRATE_SEED ?? 1);
  const only = (process.env.MAXRATE_ONLY ?? "direct,off,fsync").split(",");
  const baseline = process.env.BENCH_BASELINE_DIST;
  if (only.some((k) => k.endsWith("-base")) && !baseline) throw new Error("fsync-base and fsync-2w-base need BENCH_BASELINE_DIST (another build's dist/)");
  const all: Array<[string, string[], string, Record<string, string>]> = [
    ["direct", ["onnx-direct", dir], "/infer", {}],
    ["off", ["onnx-gateway", dir], "/v1/models/credit/infer", {}],
    ["fsync", ["onnx-gateway", dir, "audit"], "/v1/models/credit/infer", {}],
    ["fsync-base", ["onnx-gateway", dir, "audit"], "/v1/models/credit/infer", baseline ? { BENCH_DIST: baseline } : {}],
    ["nofsync", ["onnx-gateway", dir, "audit-nofsync"], "/v1/models/credit/infer", {}],
    ["direct-2w", ["onnx-direct", dir], "/infer", { BENCH_WORKERS: "2" }],
    ["off-2w", ["onnx-gateway", dir], "/v1/models/credit/infer", { BENCH_WORKERS: "2" }],
    ["fsync-2w", ["onnx-gateway", dir, "audit"], "/v1/models/credit/infer", { BENCH_WORKERS: "2" }],
    ["serving-2w", ["onnx-gateway", dir, "audit-serving"], "/v1/models/credit/infer", { BENCH_WORKERS: "2" }],
    ["fsync-2w-kernel", ["onnx-gateway", dir, "audit"], "/v1/models/credit/infer", { BENCH_WORKERS: "2", BENCH_SCHEDULING: "kernel" }],
    ["fsync-2w-base", ["onnx-gateway", dir, "audit"], "/v1/models/credit/infer", { BENCH_WORKERS: "2", ...(baseline ? { BENCH_DIST: baseline } : {}) }],
    // The primary's journal written and fdatasynced on its event loop (journalOn: inline): no thread hop.
    ["fsync-2w-inline", ["onnx-gateway", dir, "audit"], "/v1/models/credit/infer", { BENCH_WORKERS: "2", BENCH_JOURNAL_ON: "inline" }],
    // server.journals: per-worker — each worker journals (fdatasync) and answers without the primary.
    ["fsync-2w-pw", ["onnx-gateway", dir, "audit"], "/v1/models/credit/infer", { BENCH_WORKERS: "2", BENCH_JOURNALS: "per-worker" }],
    ["after-2w-pw", ["onnx-gateway", dir, "audit-after"], "/v1/models/credit/infer", { BENCH_WORKERS: "2", BENCH_JOURNALS: "per-worker" }],
    [
      "fsync-2w-pw-base",
      ["onnx-gateway", dir, "audit"],
      "/v1/models/credit/infer",
      { BENCH_WORKERS: "2", BENCH_JOURNALS: "per-worker", ...(baseline ? { BENCH_DIST: baseline } : {}) },
    ],
  ];
  const paths = all.filter(([k]) => only.includes(k));
  const servers = new Map<string, { url: string; child: ChildProcess }>();
  for (const [key, args, path, env] of paths) {
    const s = await start(args, env);
    servers.set(key, { url: `${s.url}${path}`, child: s.child });
  }
  const uptime = () => execFileSync("uptime", { encoding: "utf8" }).trim();
  console.error(`gateway-maxrate: seed ${seed}, ${rounds} rounds, ${seconds} s per run, ${connections} connections; ${uptime()}`);
  const random = seededRandom(seed);
  const rows: Array<Array<string | number>> = [];
  const byPath = new Map<string, Array<{ rate: number; cpu: number; errors: number }>>();
  for (let round = 1; round <= rounds; round++) {
    const order = shuffled(
      paths.map(([k]) => k),
      random,
    );
    for (const key of order) {
      const s = servers.get(key)!;
      await wrk(bin, script, s.url, 3, connections);
      const pid = s.child.pid!;
      const t0 = treeThreadSeconds(pid);
      const r = await wrk(bin, script, s.url, seconds, connections);
      let cpu = 0;
      for (const [tid, x] of treeThreadSeconds(pid)) cpu += x - (t0.get(tid) ?? 0);
      const rate = r.requests / r.seconds;
      const serverUs = (cpu / r.requests) * 1e6;
      byPath.set(key, [...(byPath.get(key) ?? []), { rate, cpu: serverUs, errors: r.errors }]);
      rows.push([
        round,
        key,
        Math.round(rate),
        r.errors,
        r.p50.toFixed(2),
        r.p99.toFixed(2),
        serverUs.toFixed(0),
        ((r.wrkCpuSeconds / r.requests) * 1e6).toFixed(1),
        uptime().replace(/.*load average: /, ""),
      ]);
    }
  }
  table(["round", "path", "answers/s", "errors", "p50 ms", "p99 ms", "server CPU µs/req", "wrk CPU µs/req", "load (1/5/15 min)"], rows);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  table(
    ["path", "median answers/s", "best run with 0 errors", "median server CPU µs/req"],
    [...byPath].map(([key, runs]) => [
      key,
      Math.round(median(runs.map((x) => x.rate))),
      Math.round(Math.max(0, ...runs.filter((x) => x.errors === 0).map((x) => x.rate))),
      median(runs.map((x) => x.cpu)).toFixed(0),
    ]),
  );
  console.log(`seed ${seed}; ${new Date().toISOString()}; ${uptime()}`);
  for (const s of servers.values()) await stopServer(s.child, dir);
  cleanup();
}

await main();
