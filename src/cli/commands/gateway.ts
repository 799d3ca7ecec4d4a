import { watch } from "node:fs";
import { basename, dirname } from "node:path";
import type { Command } from "commander";
import { messageOf } from "../../core/index.js";
import { buildGateway, loadGatewayConfig, startCluster, workerCount } from "../../gateway/index.js";

export function registerGateway(program: Command): void {
  program
    .command("gateway")
    .description("run the protected inference gateway: authenticate, authorise (Cedar), rate-limit, validate, detect attacks, filter outputs, audit to the ledger")
    .requiredOption("-c, --config <file>", "gateway.yaml")
    .option("--port <n>", "override listen.port", (v) => Number(v))
    .option("--no-log", "no structured logs (pino JSON on standard output)")
    .option("--watch", "reload the configuration when the file changes (SIGHUP always reloads)")
    .addHelpText(
      "after",
      `
Endpoints: POST /v1/models/NAME/infer (ONNX models served in-process, or JSON model servers),
GET /v1/models/NAME (input schema), POST /v1/chat/completions (OpenAI-compatible, stream: true
supported), GET /metrics (Prometheus), GET /healthz.
Every request is authenticated (JWT via JWKS, API key, or client certificate) and authorised by the
Cedar policies named in access.policies (default deny); every decision is journalled to disk before
the answer and flushed to the audit ledger. kill -HUP reloads the configuration: a bad file is
refused with one line on standard error and the running configuration keeps serving.
An ONNX model can come from the registry instead of a path: registry: {stage: production} serves the
newest release promoted to that stage (files stored by rampart registry model NAME FILE --store).
server.workers: N (or auto, one per core) serves from N processes behind the one port; this process
then keeps the audit journal and ledger, the rate and concurrency limits and the configuration for all
of them, sums /metrics, reloads every worker together and restarts a worker that dies (its open
connections are closed). Workers admit requests from small leases of the one token bucket: never more
than the bucket in total, but a request can be refused while another worker holds unspent tokens
(at most 50 ms, then they go back).
Example:
  rampart gateway --config gateway.yaml --watch`,
    )
    .action(async (opts: { config: string; port?: number; log: boolean; watch?: boolean }) => {
      const load = async () => {
        const config = await loadGatewayConfig(opts.config);
        if (opts.port !== undefined) config.listen.port = opts.port;
        return config;
      };
      const config = await load();
      let reloadWith: (next: Awaited<ReturnType<typeof load>>) => Promise<void>;
      let close: () => Promise<void>;
      if (workerCount(config) > 1) {
        const gateway = await startCluster(config, { log: opts.log });
        process.stderr.write(`rampart gateway listening on ${gateway.address} (${gateway.pids().length} worker processes)\n`);
        reloadWith = (next) => gateway.reload(next);
        close = () => gateway.close();
      } else {
        const app = await buildGateway(config, { logger: opts.log });
        const address = await app.listen({ host: config.listen.host, port: config.listen.port });
        process.stderr.write(`rampart gateway listening on ${address}\n`);
        reloadWith = (next) => app.gateway.reload(next);
        close = () => app.close();
      }
      // Reloads run one at a time; the newest request wins.
      let reloading: Promise<void> = Promise.resolve();
      const reload = (why: string) => {
        reloading = reloading.then(async () => {
          try {
            await reloadWith(await load());
            process.stderr.write(`rampart gateway: configuration reloaded (${why})\n`);
          } catch (e) {
            process.stderr.write(`rampart gateway: configuration not reloaded, the previous one keeps serving: ${messageOf(e).split("\n")[0]}\n`);
          }
        });
      };
      process.on("SIGHUP", () => reload("SIGHUP"));
      if (opts.watch) {
        let timer: NodeJS.Timeout | undefined;
        // Watch the folder: editors replace the file rather than write it in place.
        watch(dirname(opts.config), (_event, name) => {
          if (name !== basename(opts.config)) return;
          clearTimeout(timer);
          timer = setTimeout(() => reload("file changed"), 200);
        }).unref();
      }
      const stop = () => void close().then(() => process.exit(0));
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      await new Promise(() => {});
    });
}
