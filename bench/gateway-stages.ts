/**
 * The gateway's latency tail stage by stage at a fixed offered load: one serving process per path
 * (audit on with `sync: fdatasync`, audit on with `sync: after-answer`, audit off), each started with
 * RAMPART_STAGE_TIMES (src/gateway/stages.ts) so it records, per request, parse / auth / limit /
 * validate / infer / audit-enqueue / fsync-wait / reply from performance.now() stamps. Per round and
 * path: STAGES_SECONDS of unmeasured load, SIGUSR2 (the server forgets it), then STAGES_SECONDS at
 * STAGES_RATE req/s open loop (loadgen.ts; latency from the scheduled send), with the direct
 * onnxruntime route before and after; the server writes its stage histograms when stopped. Printed:
 * the added p50/p99 (path minus the mean of the round's two direct runs), and per stage p50 / p99 /
 * p99.9 / max, GC pauses, event-loop delay and which stage was the largest part of the slowest 1 %.
 * Paths: fsync, after, off, serving (1 process), fsync-2w-pw and after-2w-pw (2 workers, a journal per
 * worker: one stage row per worker).
 *   npm run build && STAGES_RATE=1000 STAGES_SECONDS=4 STAGES_ROUNDS=3 STAGES_SEED=1 STAGES_ONLY=fsync,after,off [BENCH_BASELINE_DIST=…/dist] npx tsx bench/gateway-stages.ts
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { makeTabularModel, sampleRows } from "../test/gateway/tabular-model.js";
import { start, stopServer } from "./gateway.bench.js";
import { seededRandom, shuffled } from "./gateway-rounds.js";
import { openLoop, quantile } from "./loadgen.js";
import { scratchDir, table } from "./util.js";

const { dir, cleanup } = scratchDir("gateway-stages");
makeTabularModel(dir);
const rate = Number(process.env.STAGES_RATE ?? 1000);
const seconds = Number(process.env.STAGES_SECONDS ?? 4);
const rounds = Number(process.env.STAGES_ROUNDS ?? 3);
const seed = Number(process.env.STAGES_SEED ?? 1);
const connections = Number(process.env.STAGES_CONNECTIONS ?? 64);
const only = (process.env.STAGES_ONLY ?? "fsync,after,off").split(",");
const body = JSON.stringify({ inputs: { features: sampleRows(1, 11).rows } });
const headers = { "content-type": "application/json", "x-api-key": "bench-key" };
const all: Array<[string, string, string[]]> = [
  ["fsync", "audit on, sync: fdatasync (answer after the group's fdatasync)", ["onnx-gateway", dir, "audit"]],
  ["after", "audit on, sync: after-answer (answer once written; fdatasync ≤ 5 ms later)", ["onnx-gateway", dir, "audit-after"]],
  ["off", "audit off", ["onnx-gateway", dir]],
  ["serving", "audit on, sync: fdatasync, journal on the serving thread (journalOn: serving: no thread hop)", ["onnx-gateway", dir, "audit-serving"]],
  ["fsync-2w-pw", "audit on, sync: fdatasync, 2 workers each with its own journal (one row per worker)", ["onnx-gateway", dir, "audit"]],
  ["after-2w-pw", "audit on, sync: after-answer, 2 workers each with its own journal (one row per worker)", ["onnx-gateway", dir, "audit-after"]],
  ["fsync-2w", "audit on, sync: fdatasync, 2 workers, the primary's journal (one row per worker)", ["onnx-gateway", dir, "audit"]],
  ["fsync-2w-base", "as fsync-2w, the build in BENCH_BASELINE_DIST", ["onnx-gateway", dir, "audit"]],
  ["fsync-2w-inline", "as fsync-2w, the primary's journal on its event loop (journalOn: inline)", ["onnx-gateway", dir, "audit"]],
  ["fsync-2w-pw-base", "as fsync-2w-pw, the build in BENCH_BASELINE_DIST", ["onnx-gateway", dir, "audit"]],
];
const baseline = process.env.BENCH_BASELINE_DIST;
if (only.some((k) => k.endsWith("-base")) && !baseline) throw new Error("the -base paths need BENCH_BASELINE_DIST (another build's dist/)");
/** A path's server: 2 workers for "-2w", a journal per worker for "-pw", the baseline build for "-base". */
const envOf = (key: string): Record<string, string> => ({
  ...(key.includes("-2w") ? { BENCH_WORKERS: "2" } : {}),
  ...(key.includes("-pw") ? { BENCH_JOURNALS: "per-worker" } : {}),
  ...(key.includes("-inline") ? { BENCH_JOURNAL_ON: "inline" } : {}),
  ...(key.endsWith("-base") && baseline ? { BENCH_DIST: baseline } : {}),
});
/** The serving processes of a server: itself, or its cluster workers. */
const servingPids = (pid: number): number[] => {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(" ").filter(Boolean).map(Number);
  return children.length > 0 ? children : [pid];
};
const paths = all.filter(([k]) => only.includes(k));
const uptime = () =>
  execFileSync("uptime", { encoding: "utf8" })
    .trim()
    .replace(/.*load average: /, "");
const direct = await start(["onnx-direct", dir]);
const directUrl = `${direct.url}/infer`;
const run = async (url: string) => openLoop({ url, method: "POST", headers, body, rate, seconds, connections });
const random = seededRandom(seed);
console.error(`gateway-stages: ${rate} req/s, ${seconds} s per run, ${rounds} rounds, seed ${seed}; load ${uptime()}`);
const added: Array<Array<string | number>> = [];
const stageRows: Array<Array<string | number>> = [];
const slowRows: Array<Array<string | number>> = [];
for (let round = 1; round <= rounds; round++) {
  for (const [key, , args] of shuffled(paths, random)) {
    const out = join(dir, `stages-${key}-${round}`);
    mkdirSync(out);
    const s = await start(args, { RAMPART_STAGE_TIMES: out, ...envOf(key) });
    const url = `${s.url}/v1/models/credit/infer`;
    await run(url);
    const serving = servingPids(s.child.pid!);
    for (const pid of serving) process.kill(pid, "SIGUSR2");
    const d0 = await run(directUrl);
    const r = await run(url);
    const d1 = await run(directUrl);
    await stopServer(s.child, dir);
    const q = (x: Float64Array, p: number) => quantile(x, p);
    const base = (p: number) => (q(d0.latencies, p) + q(d1.latencies, p)) / 2;
    added.push([round, key, r.completed, r.errors, (q(r.latencies, 0.5) - base(0.5)).toFixed(2), (q(r.latencies, 0.99) - base(0.99)).toFixed(2), base(0.99).toFixed(2), uptime()]);
    for (const [w, pid] of serving.entries()) report(round, serving.length > 1 ? `${key} w${w + 1}` : key, join(out, `stages-${pid}.json`));
  }
}

function report(round: number, key: string, file: string): void {
  const rep = JSON.parse(readFileSync(file, "utf8")) as {
    stages: Record<string, { count: number; p50: number; p99: number; p999: number; max: number }>;
    total: { p50: number; p99: number; max: number };
    slowest1pct: { requests: number; largestStage: Record<string, number>; overlappingGc: number };
    gc: { count: number; p99: number; max: number; totalMs: number };
    eventLoopDelayMs: { p99: number; max: number };
  };
  for (const [stage, v] of Object.entries(rep.stages)) if (v.count > 0) stageRows.push([round, key, stage, v.p50, v.p99, v.p999, v.max]);
  stageRows.push([round, key, "whole request (onRequest → finish)", rep.total.p50, rep.total.p99, "", rep.total.max]);
  slowRows.push([
    round,
    key,
    rep.slowest1pct.requests,
    Object.entries(rep.slowest1pct.largestStage)
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} ${n}`)
      .join(", "),
    rep.slowest1pct.overlappingGc,
    `${rep.gc.count} (p99 ${rep.gc.p99}, max ${rep.gc.max}, total ${rep.gc.totalMs} ms)`,
    `${rep.eventLoopDelayMs.p99.toFixed(2)} / ${rep.eventLoopDelayMs.max.toFixed(2)}`,
  ]);
}
table(["round", "path", "answered", "errors", "added p50 ms", "added p99 ms", "direct p99 ms", "load"], added);
table(["round", "path", "stage", "p50 ms", "p99 ms", "p99.9 ms", "max ms"], stageRows);
table(["round", "path", "slowest 1 %", "their largest stage (requests)", "overlapping a GC pause", "GC pauses", "event-loop delay p99 / max ms"], slowRows);
for (const [k, label] of paths.map(([k, l]) => [k, l])) console.log(`${k}: ${label}`);
console.log(`seed ${seed}; ${new Date().toISOString()}; load ${uptime()}`);
await stopServer(direct.child, dir);
cleanup();
