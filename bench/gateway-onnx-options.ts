/**
 * What one onnxruntime call costs the serving thread for the gateway's small tabular model (4 → 8 → 3
 * MLP, one row), by session options: the gateway's own (one intra-op and one inter-op thread,
 * sequential), onnxruntime's defaults (a thread pool sized to the cores), no memory arena or pattern,
 * and no spinning of pool threads. Per variant: CPU µs per `run` of this process (every thread, so a
 * pool's spinning counts), wall µs per call, and the threads the session added. Also the floor under
 * any `run` in onnxruntime-node: building the input tensor, and the setImmediate its backend waits for
 * before the synchronous native call. Alternating variants for ORT_ROUNDS rounds of ORT_CALLS calls.
 *   npx tsx bench/gateway-onnx-options.ts   (ORT_ROUNDS=3 ORT_CALLS=10000)
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { makeTabularModel, sampleRows } from "../test/gateway/tabular-model.js";
import { table } from "./util.js";

const rounds = Number(process.env.ORT_ROUNDS ?? 3);
const calls = Number(process.env.ORT_CALLS ?? 10_000);
const dir = mkdtempSync(join(tmpdir(), "rampart-bench-ort-"));
makeTabularModel(dir);
const bytes = readFileSync(join(dir, "credit.onnx"));
rmSync(dir, { recursive: true, force: true });
const row = Float32Array.from(sampleRows(1, 11).rows.flat());
const feed = () => ({ features: new ort.Tensor("float32", Float32Array.from(row), [1, 4]) });
const gatewayOptions: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: "sequential", graphOptimizationLevel: "all" };
const variants: Array<[string, ort.InferenceSession.SessionOptions]> = [
  ["gateway (1 intra-op, 1 inter-op thread, sequential)", gatewayOptions],
  ["onnxruntime defaults", {}],
  ["gateway, no memory arena or pattern", { ...gatewayOptions, enableCpuMemArena: false, enableMemPattern: false }],
  ["gateway, pool threads do not spin", { ...gatewayOptions, extra: { session: { intra_op: { allow_spinning: "0" }, inter_op: { allow_spinning: "0" } } } }],
];
const threads = () => readdirSync("/proc/self/task").length;

/** CPU and wall µs per call of `f`, after a tenth as many unmeasured calls. */
async function perCall(f: () => Promise<unknown>): Promise<[number, number]> {
  for (let i = 0; i < calls / 10; i++) await f();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) await f();
  const c = process.cpuUsage(c0);
  return [(c.user + c.system) / calls, ((performance.now() - t0) * 1000) / calls];
}

const results = new Map<string, Array<[number, number, number]>>();
const add = (k: string, v: [number, number, number]) => results.set(k, [...(results.get(k) ?? []), v]);
const load0 = loadavg()[0]!;
for (let round = 0; round < rounds; round++) {
  for (const [name, options] of variants) {
    const before = threads();
    const session = await ort.InferenceSession.create(bytes, options);
    const added = threads() - before;
    add(name, [...(await perCall(() => session.run(feed()))), added]);
    await session.release();
  }
  add("floor: the input tensor alone", [...(await perCall(async () => feed())), 0]);
  add("floor: one setImmediate", [...(await perCall(() => new Promise((r) => setImmediate(r)))), 0]);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`\nonnxruntime-node ${ort.env.versions.common}, ${rounds} rounds × ${calls} calls, load ${load0.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}`);
table(
  ["session options", "CPU µs per call (median)", "range", "wall µs per call (median)", "threads added"],
  [...results].map(([k, v]) => [
    k,
    median(v.map((x) => x[0])).toFixed(1),
    `${Math.min(...v.map((x) => x[0])).toFixed(1)}–${Math.max(...v.map((x) => x[0])).toFixed(1)}`,
    median(v.map((x) => x[1])).toFixed(1),
    median(v.map((x) => x[2])),
  ]),
);
