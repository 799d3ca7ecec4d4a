import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import autocannon from "autocannon";
import { detectInjection } from "../src/gateway/index.js";
import { table } from "./util.js";

/** Prompt scanner latency by prompt size, then gateway overhead against calling the model directly. */
export default async function bench(): Promise<void> {
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
}

async function start(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const script = join(import.meta.dirname, "gateway-target.ts");
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.once("data", (d) => resolve(String(d).trim().split("\n")[0]!));
    child.once("exit", (code) => reject(new Error(`${args[0]} server exited ${code}`)));
  });
  return { url, child };
}
