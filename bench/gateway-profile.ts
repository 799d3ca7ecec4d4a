/**
 * Where an audited request's CPU goes, by stage: one gateway process (the compiled build, as in
 * gateway.bench.ts) under `node --cpu-prof` (every thread: serving, journal, ledger) at a fixed offered
 * load, then each profile's samples attributed to a stage by the file of the innermost frame that has
 * one (a builtin such as JSON.stringify counts for its caller's stage). Also the server's CPU per
 * request by thread from /proc over the same run, with and without the profiler (the profiler's own
 * cost inflates the profiled run; the stage shares carry over, the absolute figures do not).
 *
 *   npm run build && npx tsx bench/gateway-profile.ts [audit|off|audit-nofsync|…] [rate] [seconds]
 * Env: PROFILE_DIST another build's dist/ (BENCH_DIST of gateway-target.ts), PROFILE_KEEP=1 keeps the
 * profiles, PROFILE_NOPROF=1 runs without the profiler (CPU per request by thread only).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { makeTabularModel, sampleRows } from "../test/gateway/tabular-model.js";
import { threadSeconds } from "./gateway.bench.js";
import { openLoop, quantile } from "./loadgen.js";
import { scratchDir, table } from "./util.js";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** The stage a script belongs to, from its URL; "" when the URL says nothing (builtins, native). */
export function stageOf(url: string, fn: string): string {
  if (fn === "(garbage collector)") return "GC";
  if (fn === "(idle)") return "idle";
  if (fn === "(program)") return "V8/native (program)";
  if (!url) return "";
  const rules: Array<[RegExp, string]> = [
    [/\/ledger\/journal|\/ledger\/record|crc/, "audit: journal"],
    [/\/ledger\/|better-sqlite3|kysely/, "audit: ledger"],
    [/\/gateway\/auth/, "authentication + Cedar"],
    [/cedar/, "authentication + Cedar"],
    [/\/gateway\/ratelimit/, "rate limit"],
    [/\/gateway\/schema|ajv/, "input validation"],
    [/\/gateway\/serve-onnx|\/gateway\/onnx|onnxruntime/, "ONNX inference + output"],
    [/\/gateway\/detect|\/gateway\/shapiro/, "attack detection"],
    [/prom-client|tdigest|bintrees/, "metrics (prom-client)"],
    [/pino|sonic-boom/, "logging (pino)"],
    [/\/gateway\/server/, "gateway glue (server.ts)"],
    [/fastify|find-my-way|avvio|light-my-request|fast-json-stringify|secure-json-parse|fast-querystring|abstract-logging|rfdc|toad-cache|process-warning/, "Fastify"],
    [/node:internal\/(http|_http|streams|stream_base|net|timers|async_hooks|process\/task_queues)|node:_http|node:net|node:stream/, "Node HTTP + event loop"],
    [/node:internal\/worker|node:worker_threads|node:internal\/per_context\/messageport/, "thread messages"],
    [/node:/, "Node other"],
  ];
  for (const [re, stage] of rules) if (re.test(url)) return stage;
  return "other JS";
}

/** Milliseconds of samples per stage in one profile, counting only samples within [fromUs, toUs] (the monotonic clock, as V8 stamps them). */
export function stagesOf(p: Profile, fromUs = -Infinity, toUs = Infinity): Map<string, number> {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const stage = new Map<number, string>();
  // Parents first (ids are assigned in pre-order by V8, but walk explicitly to be safe).
  const root = p.nodes[0]!;
  const walk: Array<[number, string]> = [[root.id, "V8/native (program)"]];
  while (walk.length) {
    const [id, inherited] = walk.pop()!;
    const n = byId.get(id)!;
    const own = stageOf(n.callFrame.url, n.callFrame.functionName);
    const s = own || inherited;
    stage.set(id, s);
    for (const c of n.children ?? []) walk.push([c, s]);
  }
  const out = new Map<string, number>();
  let at = p.startTime;
  for (let i = 0; i < p.samples.length; i++) {
    at += p.timeDeltas[i]!;
    if (at < fromUs || at > toUs) continue;
    const s = stage.get(p.samples[i]!) ?? "?";
    out.set(s, (out.get(s) ?? 0) + (p.timeDeltas[i + 1] ?? 0) / 1000);
  }
  return out;
}

async function startGateway(dir: string, flag: string, profDir: string | undefined): Promise<ChildProcess & { url: string }> {
  const args = ["onnx-gateway", dir, ...(flag === "off" ? [] : [flag])];
  const nodeArgs = profDir ? ["--cpu-prof", `--cpu-prof-dir=${profDir}`] : [];
  const env = { ...process.env, ...(process.env.PROFILE_DIST ? { BENCH_DIST: process.env.PROFILE_DIST } : {}) };
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", join(import.meta.dirname, "gateway-target.ts"), ...args], {
    stdio: ["ignore", "pipe", "inherit"],
    env,
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.once("data", (d) => resolve(String(d).trim().split("\n")[0]!));
    child.once("exit", (code) => reject(new Error(`gateway exited ${code}`)));
  });
  return Object.assign(child, { url });
}

async function main(): Promise<void> {
  const flag = process.argv[2] ?? "audit";
  const rate = Number(process.argv[3] ?? 1000);
  const seconds = Number(process.argv[4] ?? 10);
  const { dir, cleanup } = scratchDir("gateway-profile");
  makeTabularModel(dir);
  const profDir = process.env.PROFILE_NOPROF ? undefined : join(dir, "prof");
  const body = JSON.stringify({ inputs: { features: sampleRows(1, 11).rows } });
  const headers = { "content-type": "application/json", "x-api-key": "bench-key" };
  const server = await startGateway(dir, flag, profDir);
  const url = `${server.url}/v1/models/credit/infer`;
  await openLoop({ url, method: "POST", headers, body, rate: Math.min(rate, 1000), seconds: 3, connections: 64 });
  await new Promise((r) => setTimeout(r, 500));
  const load = loadavg()[0]!;
  const pid = server.pid!;
  const cpu0 = threadSeconds(pid);
  const fromUs = Number(process.hrtime.bigint() / 1000n);
  const r = await openLoop({ url, method: "POST", headers, body, rate, seconds, connections: 64 });
  const cpu1 = threadSeconds(pid);
  const toUs = Number(process.hrtime.bigint() / 1000n);
  server.kill("SIGTERM");
  await new Promise((res) => server.once("exit", res));
  console.log(
    `\n${flag}, ${rate} req/s for ${seconds} s${profDir ? ", profiled" : ""}: load ${load.toFixed(1)}, ${r.completed} answered, errors ${r.errors}, p50 ${quantile(r.latencies, 0.5).toFixed(2)} ms, p99 ${quantile(r.latencies, 0.99).toFixed(2)}; generator ${((r.cpuSeconds / r.scheduled) * 1e6).toFixed(0)} µs/request (${new Date().toISOString()})`,
  );
  let total = 0;
  const threadRows: Array<Array<string | number>> = [];
  for (const [tid, s1] of [...cpu1].sort((a, b) => b[1] - (cpu0.get(b[0]) ?? 0) - (a[1] - (cpu0.get(a[0]) ?? 0)))) {
    const used = s1 - (cpu0.get(tid) ?? 0);
    total += used;
    if (used > 0) threadRows.push([tid === pid ? "serving (main)" : `thread ${tid}`, ((used / r.scheduled) * 1e6).toFixed(0)]);
  }
  threadRows.push(["server, all threads", ((total / r.scheduled) * 1e6).toFixed(0)]);
  table(["thread", "CPU µs/request"], threadRows);
  if (!profDir) return cleanup();

  // Only the samples of the measured run (start-up and warm-up left out).
  const requests = r.scheduled;
  const files = readdirSync(profDir).filter((f) => f.endsWith(".cpuprofile"));
  const rows: Array<Array<string | number>> = [];
  for (const f of files.sort()) {
    const p = JSON.parse(readFileSync(join(profDir, f), "utf8")) as Profile;
    const stages = [...stagesOf(p, fromUs, toUs)].filter(([s]) => s !== "idle").sort((a, b) => b[1] - a[1]);
    const busy = stages.reduce((a, [, ms]) => a + ms, 0);
    console.log(`\nprofile ${f}: ${busy.toFixed(0)} ms busy, ${((busy / requests) * 1000).toFixed(1)} µs/request`);
    rows.length = 0;
    for (const [s, ms] of stages) if (ms / busy >= 0.005) rows.push([s, ((ms / requests) * 1000).toFixed(1), `${((100 * ms) / busy).toFixed(1)}%`]);
    table(["stage", "µs/request (profiled)", "share"], rows);
  }
  if (!process.env.PROFILE_KEEP) cleanup();
  else console.log(`profiles kept in ${profDir}`);
}

await main();
