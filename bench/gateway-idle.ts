/**
 * What a server's idle time between runs does to its next run — the suspect behind the rate bench's
 * failed A/A check. This machine runs DAMON with a `pageout` scheme on physical memory (pages not
 * accessed for about a minute are reclaimed; see docs/gateway.md). A long-lived bench server sits idle
 * while the other paths run, so its journal segment's and ledger's clean page-cache pages may be gone
 * when its turn comes: a journal write into a page that is not cached must first read it from disk.
 *
 * One audited gateway, one with the audit off and the direct route, each started once. Repetitions of
 * (idle SHORT s, run each server BENCH_SECONDS at BENCH_RATE) and (idle LONG s, run each) in a seeded
 * order; per run: added latency is not computed (the point is the same process before and after an
 * idle), but p50/p99, server CPU µs/request, the process's major page faults, bytes it read from
 * storage (/proc/PID/io), and how much of its journal segment was in the page cache (fincore) before.
 *
 *   npm run build && npx tsx bench/gateway-idle.ts
 * Env: BENCH_REPS (default 3), BENCH_IDLE (short,long seconds; default 5,90), BENCH_RATE (1000),
 * BENCH_SECONDS (3), BENCH_SEED (1), BENCH_PREWARM (seconds of unmeasured load on the server right after the
 * idle and before its measured run, as the rate bench's BENCH_PREWARM; default 0).
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { makeTabularModel, sampleRows } from "../test/gateway/tabular-model.js";
import { start, stopServer, threadSeconds } from "./gateway.bench.js";
import { seededRandom, shuffled } from "./gateway-rounds.js";
import { openLoop, quantile } from "./loadgen.js";
import { scratchDir, table } from "./util.js";

/** Major and minor page faults of a process so far (all its threads). */
function faults(pid: number): { major: number; minor: number } {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return { minor: Number(f[7]), major: Number(f[9]) };
}

/** Bytes the process caused to be read from storage so far. */
function readBytes(pid: number): number {
  const m = /read_bytes: (\d+)/.exec(readFileSync(`/proc/${pid}/io`, "utf8"));
  return Number(m?.[1] ?? 0);
}

/** Pages of the process's journal segments in the page cache / all their pages ("" without a journal). */
function journalResident(dir: string, pid: number): string {
  const journal = join(dir, `journal-${pid}`);
  let files: string[];
  try {
    files = readdirSync(journal)
      .filter((f) => f.endsWith(".journal"))
      .map((f) => join(journal, f));
  } catch {
    return "";
  }
  if (files.length === 0) return "";
  const out = execFileSync("fincore", ["-n", "-b", "-o", "RES,SIZE", ...files], { encoding: "utf8" })
    .trim()
    .split("\n");
  let res = 0;
  let size = 0;
  for (const line of out) {
    const [r, s] = line.trim().split(/\s+/).map(Number);
    res += r!;
    size += s!;
  }
  return `${(res / 2 ** 20).toFixed(1)} / ${(size / 2 ** 20).toFixed(1)} MB`;
}

const { dir, cleanup } = scratchDir("gateway-idle");
makeTabularModel(dir);
const body = JSON.stringify({ inputs: { features: sampleRows(1, 11).rows } });
const headers = { "content-type": "application/json", "x-api-key": "bench-key" };
const reps = Number(process.env.BENCH_REPS ?? 3);
const [shortIdle, longIdle] = (process.env.BENCH_IDLE ?? "5,90").split(",").map(Number) as [number, number];
const rate = Number(process.env.BENCH_RATE ?? 1000);
const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const random = seededRandom(Number(process.env.BENCH_SEED ?? 1));
const prewarm = Number(process.env.BENCH_PREWARM ?? 0);

const servers: Array<[string, Awaited<ReturnType<typeof start>>, string]> = [
  ["direct", await start(["onnx-direct", dir]), "/infer"],
  ["off", await start(["onnx-gateway", dir]), "/v1/models/credit/infer"],
  ["audit", await start(["onnx-gateway", dir, "audit"]), "/v1/models/credit/infer"],
];
for (const [, s, path] of servers) await openLoop({ url: `${s.url}${path}`, method: "POST", headers, body, rate, seconds: 2, connections: 64 });

const rows: Array<Array<string | number>> = [];
const uptimeStart = execFileSync("uptime", { encoding: "utf8" }).trim();
for (let rep = 1; rep <= reps; rep++) {
  for (const idle of shuffled([shortIdle, longIdle], random)) {
    await new Promise((r) => setTimeout(r, idle * 1000));
    for (const [key, s, path] of servers) {
      const pid = s.child.pid!;
      if (prewarm > 0) await openLoop({ url: `${s.url}${path}`, method: "POST", headers, body, rate, seconds: prewarm, connections: 64 });
      const resident = journalResident(dir, pid);
      const f0 = faults(pid);
      const r0 = readBytes(pid);
      const t0 = [...threadSeconds(pid).values()].reduce((a, b) => a + b, 0);
      const r = await openLoop({ url: `${s.url}${path}`, method: "POST", headers, body, rate, seconds, connections: 64 });
      const cpu = [...threadSeconds(pid).values()].reduce((a, b) => a + b, 0) - t0;
      const f1 = faults(pid);
      rows.push([
        rep,
        idle,
        key,
        quantile(r.latencies, 0.5).toFixed(2),
        quantile(r.latencies, 0.99).toFixed(2),
        ((cpu / r.scheduled) * 1e6).toFixed(0),
        f1.major - f0.major,
        f1.minor - f0.minor,
        ((readBytes(pid) - r0) / 1024).toFixed(0),
        resident,
      ]);
      console.error(`idle bench: ${rows.at(-1)!.join(" | ")}`);
    }
  }
}
for (const [, s] of servers) await stopServer(s.child, dir);
console.log(`\nidle before a run and its cost, ${rate} req/s, ${seconds} s per run, seed ${process.env.BENCH_SEED ?? 1}, prewarm ${prewarm} s`);
console.log(`uptime before: ${uptimeStart}\nuptime after:  ${execFileSync("uptime", { encoding: "utf8" }).trim()}`);
table(["rep", "idle s", "server", "p50 ms", "p99 ms", "CPU µs/req", "major faults", "minor faults", "read from storage KB", "journal in page cache before"], rows);
cleanup();
