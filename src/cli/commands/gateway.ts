import type { Command } from "commander";
import { buildGateway, loadGatewayConfig } from "../../gateway/index.js";

export function registerGateway(program: Command): void {
  program
    .command("gateway")
    .description("run the protected inference gateway: authenticate, authorise, rate-limit, scan prompts, filter outputs, audit")
    .requiredOption("-c, --config <file>", "gateway.yaml")
    .option("--port <n>", "override listen.port", (v) => Number(v))
    .option("--log", "structured request logs (JSON) on standard output")
    .addHelpText(
      "after",
      `
Endpoints: POST /v1/models/NAME/infer (JSON models), POST /v1/chat/completions (OpenAI-compatible,
stream: true supported), GET /metrics (Prometheus), GET /healthz.
Every request is authenticated (JWT via JWKS, API key, or client certificate) and authorised by the
access rules (default deny); refusals answer with {"error": {"type", "message"}} and are audited.
Example:
  rampart gateway --config gateway.yaml`,
    )
    .action(async (opts: { config: string; port?: number; log?: boolean }) => {
      const config = await loadGatewayConfig(opts.config);
      if (opts.port !== undefined) config.listen.port = opts.port;
      const app = await buildGateway(config, { logger: Boolean(opts.log), audit: (e) => process.stderr.write(`${JSON.stringify({ audit: e })}\n`) });
      const address = await app.listen({ host: config.listen.host, port: config.listen.port });
      process.stderr.write(`rampart gateway listening on ${address}\n`);
      const stop = () => void app.close().then(() => process.exit(0));
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      await new Promise(() => {});
    });
}
