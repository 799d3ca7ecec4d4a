/**
 * A server for bench/gateway.bench.ts, run in its own process so the load generator does not share its
 * event loop: `model` starts a stand-in model server; `gateway URL` starts the gateway in front of URL.
 * Prints the listening URL on the first line of standard output.
 */
import { createHash } from "node:crypto";
import Fastify from "fastify";
import { buildGateway, GatewayConfig } from "../src/gateway/index.js";

const [mode, upstream] = process.argv.slice(2);
if (mode === "model") {
  const model = Fastify();
  model.post("/infer", async () => ({ scores: { approve: 0.81, decline: 0.19 } }));
  console.log(await model.listen({ host: "127.0.0.1", port: 0 }));
} else {
  const config = GatewayConfig.parse({
    auth: { apiKeys: [{ principal: "bench", sha256: createHash("sha256").update("bench-key").digest("hex") }] },
    access: [{ effect: "allow", principals: ["bench"], models: ["*"], actions: ["*"] }],
    rateLimit: { perPrincipal: { capacity: 1e9, refillPerSecond: 1e9 } },
    models: [{ name: "m", type: "http", upstream: `${upstream}/infer`, output: { mode: "rounded", decimals: 2 } }],
  });
  const gateway = await buildGateway(config, { audit: () => {} });
  console.log(await gateway.listen({ host: "127.0.0.1", port: 0 }));
}
