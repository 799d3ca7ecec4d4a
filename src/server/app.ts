/**
 * The HTTP server builder: one Fastify instance; each capability brings its routes as a plugin
 * (ledger-routes.ts, registry-routes.ts). Thin: parse, call, render.
 */
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from "fastify";
import { type ErrorCode, isRampartError } from "../core/index.js";

/** A route plugin, bare or with its options and URL prefix. */
export type AppPlugin = FastifyPluginAsync | { plugin: FastifyPluginAsync<never>; options?: unknown; prefix?: string };

export interface AppOptions {
  plugins: ReadonlyArray<AppPlugin>;
  logger?: boolean;
  /** Largest request body accepted, bytes (default 1 MiB). */
  bodyLimit?: number;
}

/** HTTP status for each RampartError code: the API answers with the same one-line message the CLI prints. */
const STATUS: Record<ErrorCode, number> = {
  usage: 400,
  "not-found": 404,
  "invalid-input": 400,
  "invalid-config": 500,
  "bad-signature": 403,
  "untrusted-key": 403,
  conflict: 409,
  forbidden: 403,
  unavailable: 503,
  limit: 413,
};

/**
 * Builds the API server. Errors become `{error: {code, message}}` with a status from the error code;
 * anything unexpected is a 500 without details.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: options.bodyLimit ?? 1 << 20 });
  // Signed notes and witness requests are text; keep them as the exact bytes sent.
  app.addContentTypeParser(["text/plain", "text/x.tlog.size"], { parseAs: "string" }, (_req, body, done) => done(null, body));
  app.setErrorHandler((error, _request, reply) => {
    if (isRampartError(error)) return reply.status(STATUS[error.code]).send({ error: { code: error.code, message: error.message } });
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) return reply.status(status).send({ error: { code: "invalid-input", message: (error as Error).message } });
    app.log.error(error);
    return reply.status(500).send({ error: { code: "internal", message: "internal error" } });
  });
  for (const p of options.plugins) {
    if (typeof p === "function") await app.register(p);
    else await app.register(p.plugin as FastifyPluginAsync, { ...(p.options as object), prefix: p.prefix });
  }
  return app;
}
