/**
 * CPU per request of every thread of a gateway, by process and thread name (Linux comm), at a fixed
 * offered load (open loop, loadgen.ts): which threads besides the serving one cost CPU, e.g. V8's
 * platform workers (concurrent GC, compilation), libuv's pool, onnxruntime's, the journal's and the
 * ledger's. One server per path, started fresh, warmed up for THREADS_WARM seconds, then measured.
 *   npm run build && THREADS_RATE=1000 THREADS_SECONDS=5 npx tsx bench/gateway-threads.ts [fsync-2w|fsync|off|direct] …
 * Env: BENCH_DIST as for gateway-target.ts; THREADS_WARM (default 2); THREADS_PERF=SECONDS records
 * `perf record -g` of every process of the server for that long during the measured run (perf.data-PATH-PID in
 * THREADS_PERF_DIR, default the current directory).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { makeTabularModel, sampleRows } from "../test/gateway/tabular-model.js";
import { start, stopServer } from "./gateway.bench.js";
import { openLoop, quantile } from "./loadgen.js";
import { scratchDir, table } from "./util.js";

const rate = Number(process.env.THREADS_RATE ?? 1000);
const seconds = Number(process.env.THREADS_SECONDS ?? 5);
const warm = Number(process.env.THREADS_WARM ?? 2);
const paths = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ["fsync-2w"];
const { dir, cleanup } = scratchDir("gateway-threads");
makeTabularModel(dir);
const body = JSON.stringify({ inputs: { features: sampleRows(1, 11).rows } });
const headers = { "content-type": "application/json", "x-api-key": "bench-key" };

/** Every thread of a process and its descendants: "role/comm" → CPU seconds (threads of one name summed). */
function threads(pid: number, role = "primary", out = new Map<string, number>()): Map<string, number> {
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const t of tasks) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${t}/stat`, "utf8").split(") ")[1]!.split(" ");
      const comm = Number(t) === pid ? "main" : readFileSync(`/proc/${pid}/task/${t}/comm`, "utf8").trim();
      const key = `${role}/${comm}`;
      out.set(key, (out.get(key) ?? 0) + (Number(stat[11]) + Number(stat[12])) / 100);
      let n = 0;
      for (const child of readFileSync(`/proc/${pid}/task/${t}/children`, "utf8").trim().split(" ").filter(Boolean)) threads(Number(child), `worker${++n}`, out);
    } catch {
      // ended meanwhile
    }
  }
  return out;
}

/** A process and its descendants' pids. */
function processTree(pid: number, out = new Set<number>()): Set<number> {
  out.add(pid);
  try {
    for (const c of readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(" ").filter(Boolean)) processTree(Number(c), out);
  } catch {
    // ended meanwhile
  }
  return out;
}

for (const key of paths) {
  const env: Record<string, string> = key.includes("-2w") ? { BENCH_WORKERS: "2" } : {};
  if (key.includes("-pw")) env.BENCH_JOURNALS = "per-worker";
  if (key.includes("-inline")) env.BENCH_JOURNAL_ON = "inline";
  const args = key.startsWith("direct") ? ["onnx-direct", dir] : key.startsWith("off") ? ["onnx-gateway", dir] : ["onnx-gateway", dir, "audit"];
  const s = await start(args, env);
  const url = `${s.url}${key.startsWith("direct") ? "/infer" : "/v1/models/credit/infer"}`;
  await openLoop({ url, method: "POST", headers, body, rate, seconds: warm, connections: 64 });
  const before = threads(s.child.pid!);
  const load = loadavg()[0]!;
  const perf = Number(process.env.THREADS_PERF ?? 0);
  const recording: ChildProcess[] =
    perf > 0
      ? [...processTree(s.child.pid!)].map((pid) =>
          spawn("perf", ["record", "-q", "-g", "-o", join(process.env.THREADS_PERF_DIR ?? ".", `perf.data-${key}-${pid}`), "-p", String(pid), "--", "sleep", String(perf)], {
            stdio: "ignore",
          }),
        )
      : [];
  const r = await openLoop({ url, method: "POST", headers, body, rate, seconds, connections: 64 });
  await Promise.all(recording.map((c) => new Promise((res) => (c.exitCode === null ? c.once("exit", res) : res(null)))));
  const after = threads(s.child.pid!);
  await stopServer(s.child, dir);
  const rows = [...after]
    .map(([k, v]) => [k, ((v - (before.get(k) ?? 0)) / r.completed) * 1e6] as [string, number])
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1]);
  const total = rows.reduce((a, [, v]) => a + v, 0);
  console.log(
    `\n${key}: ${rate} req/s for ${seconds} s, answered ${r.completed}, errors ${r.errors}, p50 ${quantile(r.latencies, 0.5).toFixed(2)} ms, p99 ${quantile(r.latencies, 0.99).toFixed(2)} ms; generator ${((r.cpuSeconds / r.completed) * 1e6).toFixed(0)} µs/req; load ${load.toFixed(1)}`,
  );
  table(["process/thread", "CPU µs/request"], [...rows.map(([k, v]) => [k, v.toFixed(1)]), ["all", total.toFixed(1)]]);
}
cleanup();
