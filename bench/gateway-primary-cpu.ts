/**
 * What the primary of a two-worker audited gateway costs per request: the process that owns the
 * journal and the ledger is the one every worker waits on, so its CPU µs per answered request is the
 * steady figure of the audit IPC under load. wrk drives each server closed-loop (64 connections);
 * per run the primary's CPU by thread (main, journal, ledger, the rest: libuv's pool, V8's helpers)
 * and the whole tree's, per answered request, read from /proc. Builds alternate in a seeded order per
 * round, each server in its own process, started once. With PRIMARY_RATE=N the load is open loop at N
 * req/s instead (loadgen.ts), so both builds get the same requests per second and the same turn sizes:
 * the per-request figures are then comparable even when one build is slower at saturation.
 *   npm run build && PRIMARY_ROUNDS=6 PRIMARY_SECONDS=5 PRIMARY_SEED=1 [PRIMARY_RATE=300] [BENCH_BASELINE_DIST=<other build>/dist] npx tsx bench/gateway-primary-cpu.ts
 * With BENCH_BASELINE_DIST the path `fsync-2w-base` runs that build beside this one (`fsync-2w`);
 * PRIMARY_ONLY=fsync-2w-pw,fsync-2w-base compares a journal per worker (server.journals: per-worker) with it.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeTabularModel, sampleRows } from "../test/gateway/tabular-model.js";
import { start, stopServer, treeThreadSeconds } from "./gateway.bench.js";
import { seededRandom, shuffled } from "./gateway-rounds.js";
import { openLoop } from "./loadgen.js";
import { scratchDir, table } from "./util.js";

/** CPU seconds of each thread of one process, by thread name (the main thread is "main"). */
function primaryThreads(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of readdirSync(`/proc/${pid}/task`)) {
    try {
      const f = readFileSync(`/proc/${pid}/task/${t}/stat`, "utf8").split(") ")[1]!.split(" ");
      const name = Number(t) === pid ? "main" : readFileSync(`/proc/${pid}/task/${t}/comm`, "utf8").trim();
      const group = name === "main" || name === "rampart-journal" || name === "rampart-ledger" ? name : "other";
      out.set(group, (out.get(group) ?? 0) + (Number(f[11]) + Number(f[12])) / 100);
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

function wrkRun(script: string, url: string, seconds: number, connections: number): { requests: number; seconds: number; errors: number } {
  const out = execFileSync("wrk", ["-t1", `-c${connections}`, `-d${seconds}s`, "-s", script, url], { encoding: "utf8" });
  const total = /(\d+) requests in ([\d.]+)(m?s)/.exec(out);
  if (!total) throw new Error(`wrk printed no totals:\n${out}`);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    requests: Number(total[1]),
    seconds: Number(total[2]) * (total[3] === "ms" ? 1e-3 : 1),
    errors: non2xx + (socket ? socket.slice(1).reduce((a, x) => a + Number(x), 0) : 0),
  };
}

async function main(): Promise<void> {
  const { dir, cleanup } = scratchDir("gateway-primary");
  makeTabularModel(dir);
  const body = JSON.stringify({ inputs: { features: sampleRows(1, 11).rows } });
  const script = join(dir, "post.lua");
  writeFileSync(script, `wrk.method = "POST"\nwrk.headers["content-type"] = "application/json"\nwrk.headers["x-api-key"] = "bench-key"\nwrk.body = ${JSON.stringify(body)}\n`);
  const rounds = Number(process.env.PRIMARY_ROUNDS ?? 6);
  const seconds = Number(process.env.PRIMARY_SECONDS ?? 5);
  const seed = Number(process.env.PRIMARY_SEED ?? 1);
  const connections = Number(process.env.PRIMARY_CONNECTIONS ?? 64);
  const baseline = process.env.BENCH_BASELINE_DIST;
  const rate = process.env.PRIMARY_RATE ? Number(process.env.PRIMARY_RATE) : undefined;
  const headers = { "content-type": "application/json", "x-api-key": "bench-key" };
  const load = async (url: string, secs: number) => {
    if (rate === undefined) return wrkRun(script, url, secs, connections);
    const r = await openLoop({ url, method: "POST", headers, body, rate, seconds: secs, connections });
    return { requests: r.completed, seconds: secs, errors: r.errors };
  };
  // PRIMARY_ONLY picks paths: fsync-2w (this build), fsync-2w-pw (a journal per worker), fsync-2w-base and fsync-2w-pw-base (BENCH_BASELINE_DIST).
  const all: Array<[string, Record<string, string>]> = [
    ["fsync-2w", { BENCH_WORKERS: "2" }],
    ["fsync-2w-pw", { BENCH_WORKERS: "2", BENCH_JOURNALS: "per-worker" }],
    ["fsync-2w-inline", { BENCH_WORKERS: "2", BENCH_JOURNAL_ON: "inline" }],
    ["fsync-2w-base", { BENCH_WORKERS: "2", BENCH_DIST: baseline ?? "" }],
    ["fsync-2w-pw-base", { BENCH_WORKERS: "2", BENCH_JOURNALS: "per-worker", BENCH_DIST: baseline ?? "" }],
  ];
  const only = (process.env.PRIMARY_ONLY ?? (baseline ? "fsync-2w,fsync-2w-base" : "fsync-2w")).split(",");
  if (only.some((k) => k.endsWith("-base")) && !baseline) throw new Error("fsync-2w-base needs BENCH_BASELINE_DIST (another build's dist/)");
  const paths = all.filter(([k]) => only.includes(k));
  const servers = new Map<string, Awaited<ReturnType<typeof start>>>();
  for (const [key, env] of paths) servers.set(key, await start(["onnx-gateway", dir, "audit"], env));
  const uptime = () =>
    execFileSync("uptime", { encoding: "utf8" })
      .trim()
      .replace(/.*load average: /, "");
  console.error(
    `gateway-primary-cpu: seed ${seed}, ${rounds} rounds × ${seconds} s, ${connections} connections, ${rate ? `open loop at ${rate} req/s` : "wrk closed loop"}; load ${uptime()}`,
  );
  const random = seededRandom(seed);
  const rows: Array<Array<string | number>> = [];
  const byPath = new Map<string, number[][]>();
  for (let round = 1; round <= rounds; round++) {
    for (const key of shuffled(
      paths.map(([k]) => k),
      random,
    )) {
      const s = servers.get(key)!;
      const url = `${s.url}/v1/models/credit/infer`;
      await load(url, 2);
      const pid = s.child.pid!;
      const p0 = primaryThreads(pid);
      const t0 = treeThreadSeconds(pid);
      const r = await load(url, seconds);
      const p1 = primaryThreads(pid);
      let tree = 0;
      for (const [id, x] of treeThreadSeconds(pid)) tree += x - (t0.get(id) ?? 0);
      const per = (name: string) => (((p1.get(name) ?? 0) - (p0.get(name) ?? 0)) / r.requests) * 1e6;
      const primary = ["main", "rampart-journal", "rampart-ledger", "other"].map(per);
      const sum = primary.reduce((a, b) => a + b, 0);
      const figures = [r.requests / r.seconds, sum, ...primary, (tree / r.requests) * 1e6 - sum];
      byPath.set(key, [...(byPath.get(key) ?? []), figures]);
      rows.push([round, key, Math.round(figures[0]!), r.errors, ...figures.slice(1).map((x) => x.toFixed(1)), uptime()]);
    }
  }
  const header = ["answers/s", "primary µs/req", "main", "journal", "ledger", "other", "workers µs/req"];
  table(["round", "path", header[0]!, "errors", ...header.slice(1), "load"], rows);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  table(
    ["path (medians)", ...header],
    [...byPath].map(([key, runs]) => [key, ...header.map((_, i) => (i === 0 ? Math.round(median(runs.map((x) => x[i]!))) : median(runs.map((x) => x[i]!)).toFixed(1)))]),
  );
  // Paired by round: the primary's CPU, the whole tree's (primary + workers), answers/s. Against the
  // baseline build, and a journal per worker against this build's primary journal (the adoption rule).
  const pairs = [
    ["fsync-2w", "fsync-2w-base"],
    ["fsync-2w-pw", "fsync-2w-base"],
    ["fsync-2w-pw", "fsync-2w-pw-base"],
    ["fsync-2w-pw", "fsync-2w"],
    ["fsync-2w-inline", "fsync-2w"],
    ["fsync-2w-inline", "fsync-2w-base"],
  ];
  for (const [key, against] of pairs) {
    const a = byPath.get(key!);
    const b = byPath.get(against!);
    if (!a || !b) continue;
    const lower = (i: number) => a.filter((x, r) => x[i]! < b[r]![i]!).length;
    const total = (x: number[]) => x[1]! + x[6]!;
    const lowerTotal = a.filter((x, r) => total(x) < total(b[r]!)).length;
    const higherRate = a.filter((x, r) => x[0]! > b[r]![0]!).length;
    const diffs = a.map((x, r) => total(x) - total(b[r]!));
    console.log(
      `${key} against ${against}, paired by round: primary µs/req lower in ${lower(1)} of ${a.length}; all processes µs/req lower in ${lowerTotal} of ${a.length} (median difference ${median(diffs).toFixed(1)}); answers/s higher in ${higherRate} of ${a.length}`,
    );
  }
  console.log(`seed ${seed}; ${new Date().toISOString()}; load ${uptime()}`);
  for (const s of servers.values()) await stopServer(s.child, dir);
  cleanup();
}

await main();
