/**
 * Servers for bench/gateway.bench.ts, each in its own process so the load generator does not share
 * its event loop. Prints the listening URL on the first line of standard output.
 *   model                 a stand-in JSON model server
 *   gateway URL           the gateway in front of that model server
 *   onnx-direct DIR       a plain Fastify route calling onnxruntime directly (the baseline)
 *   onnx-gateway DIR [audit|audit-serving|audit-serving-nofsync|audit-batched|audit-dsync|audit-after|audit-append|audit-nofsync|audit-ledger-idle|audit-ckpt250|audit-ckpt4000]  the gateway serving DIR/credit.onnx in-process: API key, Cedar,
 *                         token bucket, input schema and training-range check, audit journal + ledger
 * BENCH_WORKERS=N (default 1): N serving processes (server.workers: N; the onnx-direct route forked
 * the same way with node:cluster); BENCH_SCHEDULING=kernel: the kernel spreads the connections.
 * BENCH_JOURNAL_ON=inline|serving: audit.journalOn for the `audit` flag (with 2 workers: the primary's journal).
 *   trivial               a plain node:http server answering a constant JSON body: the load generator's own floor
 * The tail ladder (session 19) turns gateway checks off one at a time: BENCH_NO_LIMIT=1 no token bucket,
 * BENCH_NO_PROFILE=1 no training profile (only the ONNX signature's shape check, which cannot be off).
 * BENCH_ELD_DIR=DIR: on SIGUSR2 the serving thread writes DIR/eld-PID.json (event-loop delay and GC pauses
 * since the last SIGUSR2) and starts over, so the bench can read them for one measured run.
 */
import cluster from "node:cluster";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import Fastify from "fastify";
import * as ort from "onnxruntime-node";
import type * as source from "../src/gateway/index.js";

// The compiled gateway (npm run build), as deployed: from the sources, its journal and ledger worker
// threads would each compile TypeScript through tsx during the measurement.
// BENCH_DIST: another build's dist/ (e.g. the commit before a change), for a before/after in one round.
const DIST = join(process.env.BENCH_DIST ?? join(import.meta.dirname, "..", "dist"), "gateway", "index.js");
if (!existsSync(DIST)) throw new Error(`${DIST} is missing: run npm run build first`);
const { buildGateway, GatewayConfig, startCluster } = (await import(DIST)) as typeof source;
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1);
const SCHEDULING = process.env.BENCH_SCHEDULING === "kernel" ? "kernel" : "round-robin";
const JOURNALS = process.env.BENCH_JOURNALS === "per-worker" ? "per-worker" : undefined;
const JOURNAL_ON = process.env.BENCH_JOURNAL_ON === "inline" || process.env.BENCH_JOURNAL_ON === "serving" ? process.env.BENCH_JOURNAL_ON : undefined;
// With RAMPART_AUDIT_TRACE, the serving thread's GC pauses and stalls are traced whatever the audit
// setting (the audit's journal names the serving thread's file only when there is a journal).
if (process.env.RAMPART_AUDIT_TRACE) {
  const trace = join(DIST, "..", "..", "ledger", "trace.js");
  if (existsSync(trace)) ((await import(trace)) as typeof import("../src/ledger/trace.js")).traceThread(WORKERS > 1 ? "primary" : "serve");
}

const [mode, arg, flag] = process.argv.slice(2);
// Audited paths whose journal pre-allocates: the bench waits for the first spare segment before listening.
const PREALLOCATED = ["audit", "audit-serving", "audit-batched", "audit-dsync", "audit-after", "audit-ledger-idle", "audit-ckpt250", "audit-ckpt4000"];
const POLICY = `@id("bench")\npermit (principal == Rampart::Service::"bench", action == Rampart::Action::"call-model", resource);\n`;

function base(dir: string) {
  const policy = join(dir, "access.cedar");
  writeFileSync(policy, POLICY);
  return {
    auth: { apiKeys: [{ principal: "bench", sha256: createHash("sha256").update("bench-key").digest("hex") }] },
    access: { policies: [policy] },
    ...(process.env.BENCH_NO_LIMIT ? {} : { rateLimit: { perPrincipal: { capacity: 1e9, refillPerSecond: 1e9 } } }),
    log: { level: "warn" },
    // Only with several workers: builds from before session 12 (BENCH_DIST) have no `server` key, and
    // builds from before session 15 no `journals` (BENCH_JOURNALS=per-worker: each worker's own journal).
    ...(WORKERS > 1 ? { server: { workers: WORKERS, scheduling: SCHEDULING, ...(JOURNALS ? { journals: JOURNALS } : {}) } } : {}),
  };
}

if (mode === "trivial") {
  // No framework, no model: what the generator and the loopback cost on their own.
  const answer = Buffer.from(JSON.stringify({ outputs: { probabilities: [[0.1, 0.2, 0.7]], label: [2] } }));
  const server = createServer((req, res) => {
    req.resume();
    req.once("end", () => {
      res.writeHead(200, { "content-type": "application/json", "content-length": answer.length });
      res.end(answer);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const address = server.address() as { port: number };
  console.log(`http://127.0.0.1:${address.port}`);
} else if (mode === "model") {
  const model = Fastify();
  model.post("/infer", async () => ({ scores: { approve: 0.81, decline: 0.19 } }));
  console.log(await model.listen({ host: "127.0.0.1", port: 0 }));
} else if (mode === "gateway") {
  const config = GatewayConfig.parse({
    ...base(mkdtempSync(join(tmpdir(), "rampart-bench-gateway-"))),
    models: [{ name: "m", type: "http", upstream: `${arg}/infer`, output: { mode: "rounded", decimals: 2 } }],
  });
  const gateway = await buildGateway(config);
  console.log(await gateway.listen({ host: "127.0.0.1", port: 0 }));
} else if (mode === "onnx-direct" && WORKERS > 1 && cluster.isPrimary) {
  // The direct route on as many processes, for a fair comparison with a multi-worker gateway.
  cluster.schedulingPolicy = SCHEDULING === "kernel" ? cluster.SCHED_NONE : cluster.SCHED_RR;
  const urls = await Promise.all(Array.from({ length: WORKERS }, () => new Promise<string>((resolve) => cluster.fork().once("message", (m: { url: string }) => resolve(m.url)))));
  console.log(urls[0]);
  process.once("SIGTERM", () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.kill();
    process.exit(0);
  });
} else if (mode === "onnx-direct") {
  // The same model, the same JSON in and out, nothing else: what the gateway's work is compared with.
  const session = await ort.InferenceSession.create(readFileSync(join(arg!, "credit.onnx")), { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: "sequential" });
  const app = Fastify();
  app.post("/infer", async (req) => {
    const rows = (req.body as { inputs: { features: number[][] } }).inputs.features;
    const out = await session.run({ features: new ort.Tensor("float32", Float32Array.from(rows.flat()), [rows.length, rows[0]!.length]) });
    const p = out.probabilities!.data as Float32Array;
    return { outputs: { probabilities: rows.map((_, i) => Array.from(p.subarray(i * 3, i * 3 + 3))), label: Array.from(out.label!.data as BigInt64Array, Number) } };
  });
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  if (cluster.isWorker) process.send!({ url });
  else console.log(url);
} else if (mode === "onnx-gateway") {
  const dir = arg!;
  const config = GatewayConfig.parse({
    ...base(dir),
    ...(flag?.startsWith("audit")
      ? {
          audit: {
            journal: join(dir, `journal-${process.pid}`),
            database: join(dir, `ledger-${process.pid}.db`),
            origin: "rampart.local/bench",
            fsync: flag !== "audit-nofsync" && flag !== "audit-serving-nofsync",
            preallocate: flag !== "audit-append",
            ...(flag === "audit-serving" || flag === "audit-serving-nofsync" ? { journalOn: "serving" } : {}),
            ...(flag === "audit" && JOURNAL_ON ? { journalOn: JOURNAL_ON } : {}),
            // Segments opened with O_DSYNC: one write per group, no separate fdatasync.
            ...(flag === "audit-dsync" ? { sync: "dsync" } : {}),
            // Group commit after the answer: answered once written, fdatasync within BENCH_SYNC_MS (default 5) in the background.
            ...(flag === "audit-after" ? { sync: "after-answer", syncIntervalMs: Number(process.env.BENCH_SYNC_MS ?? 5) } : {}),
            // The ledger's durable points batched (session 7's option) instead of one per ledger batch.
            ...(flag === "audit-batched" ? { durableEvents: 16_384, durableIntervalMs: 1_000 } : {}),
            // A diagnostic, not a setting to run with: the ledger is not fed while the bench measures (its
            // flusher wakes every 10 minutes; close() hands everything over), so the journal's group commits
            // meet none of the ledger's SQLite writes, WAL syncs or checkpoints, nor its CPU.
            ...(flag === "audit-ledger-idle" ? { flushIntervalMs: 600_000, batchSize: 1_000_000 } : {}),
            // The ledger's SQLite checkpoints every 250 or 4,000 WAL pages instead of SQLite's 1,000 (audit.walCheckpointPages).
            ...(flag === "audit-ckpt250" ? { walCheckpointPages: 250 } : {}),
            ...(flag === "audit-ckpt4000" ? { walCheckpointPages: 4_000 } : {}),
          },
        }
      : {}),
    models: [{ name: "credit", type: "onnx", onnx: join(dir, "credit.onnx"), ...(process.env.BENCH_NO_PROFILE ? {} : { profile: join(dir, "train.profile.json") }) }],
  });
  if (WORKERS > 1) {
    const gateway = await startCluster({ ...config, listen: { ...config.listen, port: 0 } }, { log: false });
    // Steady state, as below: with per-worker journals each worker zero-fills its own spare.
    const journal = config.audit?.journal ?? "";
    const spares = JOURNALS ? Array.from({ length: WORKERS }, (_, i) => join(journal, "workers", String(i + 1), "spare.zero")) : [join(journal, "spare.zero")];
    if (PREALLOCATED.includes(flag ?? "")) for (let i = 0; i < 600 && !spares.every((f) => existsSync(f)); i++) await new Promise((r) => setTimeout(r, 50));
    console.log(gateway.address);
    process.once("SIGTERM", () => void gateway.close().then(() => process.exit(0)));
  } else {
    const gateway = await buildGateway(config);
    // Steady state: the journal's first pre-allocated segment is zero-filled in the background after
    // the start; measure once it is ready, as a gateway that has run for a while would be.
    if (PREALLOCATED.includes(flag ?? "")) for (let i = 0; i < 600 && !existsSync(join(config.audit!.journal, "spare.zero")); i++) await new Promise((r) => setTimeout(r, 50));
    console.log(await gateway.listen({ host: "127.0.0.1", port: 0 }));
  }
}

// BENCH_GC=1: garbage-collection pauses on the serving thread, reported on standard error at exit.
const pauses: number[] = [];
if (process.env.BENCH_GC) new PerformanceObserver((list) => pauses.push(...list.getEntries().map((e) => e.duration))).observe({ entryTypes: ["gc"] });
// BENCH_ELD_DIR: the serving thread's event-loop delay (1 ms resolution) and GC pauses per measured run.
const eldDir = process.env.BENCH_ELD_DIR;
if (eldDir && !(WORKERS > 1 && cluster.isPrimary)) {
  const eld = monitorEventLoopDelay({ resolution: 1 });
  eld.enable();
  const gc: number[] = [];
  new PerformanceObserver((list) => gc.push(...list.getEntries().map((e) => e.duration))).observe({ entryTypes: ["gc"] });
  process.on("SIGUSR2", () => {
    gc.sort((a, b) => a - b);
    const ms = (ns: number) => ns / 1e6;
    const figures = {
      eldP50: ms(eld.percentile(50)),
      eldP99: ms(eld.percentile(99)),
      eldMax: ms(eld.max),
      gcCount: gc.length,
      gcTotal: gc.reduce((a, b) => a + b, 0),
      gcMax: gc.at(-1) ?? 0,
    };
    const file = join(eldDir, `eld-${process.pid}.json`);
    writeFileSync(`${file}.tmp`, JSON.stringify(figures));
    renameSync(`${file}.tmp`, file);
    eld.reset();
    gc.length = 0;
  });
}
// A normal exit on SIGTERM, so `node --cpu-prof` writes its profiles when the bench stops a server.
if (!(WORKERS > 1 && cluster.isPrimary))
  process.once("SIGTERM", () => {
    if (pauses.length > 0) {
      pauses.sort((a, b) => a - b);
      const at = (q: number) => pauses[Math.min(pauses.length - 1, Math.floor(q * pauses.length))]!.toFixed(2);
      console.error(`gc pauses: ${pauses.length}, total ${pauses.reduce((a, b) => a + b, 0).toFixed(0)} ms, p50 ${at(0.5)} p99 ${at(0.99)} max ${at(1)} ms`);
    }
    process.exit(0);
  });
