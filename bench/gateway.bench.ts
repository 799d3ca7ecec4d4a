import { createHash } from "node:crypto";
import autocannon from "autocannon";
import Fastify from "fastify";
import { buildGateway, detectInjection, GatewayConfig } from "../src/gateway/index.js";
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

  const model = Fastify();
  model.post("/infer", async () => ({ scores: { approve: 0.81, decline: 0.19 } }));
  const upstream = await model.listen({ host: "127.0.0.1", port: 0 });
  const config = GatewayConfig.parse({
    auth: { apiKeys: [{ principal: "bench", sha256: createHash("sha256").update("bench-key").digest("hex") }] },
    access: [{ effect: "allow", principals: ["bench"], models: ["*"], actions: ["*"] }],
    rateLimit: { perPrincipal: { capacity: 1e9, refillPerSecond: 1e9 } },
    models: [{ name: "m", type: "http", upstream: `${upstream}/infer`, output: { mode: "rounded", decimals: 2 } }],
  });
  const gateway = await buildGateway(config, { audit: () => {} });
  const front = await gateway.listen({ host: "127.0.0.1", port: 0 });
  const run = (url: string, headers: Record<string, string>) =>
    autocannon({
      url,
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ features: [0.1, 0.2, 0.3] }),
      connections: 32,
      duration: Number(process.env.BENCH_SECONDS ?? 8),
    });
  const direct = await run(`${upstream}/infer`, {});
  const through = await run(`${front}/v1/models/m/infer`, { "x-api-key": "bench-key" });
  console.log("\ngateway (API key auth, access rule, token bucket, output rounding, audit) vs the model server alone, 32 connections, loopback:");
  table(
    ["path", "req/s", "p50 ms", "p99 ms", "errors"],
    [
      ["model direct", direct.requests.average, direct.latency.p50, direct.latency.p99, direct.errors + direct.non2xx],
      ["through gateway", through.requests.average, through.latency.p50, through.latency.p99, through.errors + through.non2xx],
    ],
  );
  console.log(`added latency: p50 ${(through.latency.p50 - direct.latency.p50).toFixed(2)} ms, p99 ${(through.latency.p99 - direct.latency.p99).toFixed(2)} ms`);
  await gateway.close();
  await model.close();
}
