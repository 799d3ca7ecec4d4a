/**
 * The HTTP server builder: one Fastify instance, capabilities add themselves as plugins
 * (ledger-routes.ts; the registry adds its routes the same way). Thin: parse, call, render.
 */
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from "fastify";
import { isRampartError } from "../core/index.js";

export interface AppOptions {
  /** Plugins with their options and URL prefix. */
  plugins: Array<{ plugin: FastifyPluginAsync<never>; options?: unknown; prefix?: string }>;
  logger?: boolean;
  /** Largest request body accepted, bytes (default 1 MiB). */
  bodyLimit?: number;
}

const STATUS_BY_CODE: Record<string, number> = {
  usage: 400,
  "invalid-input": 400,
  "invalid-config": 400,
  "not-found": 404,
  "bad-signature": 403,
  "untrusted-key": 403,
  conflict: 409,
  limit: 413,
  unavailable: 503,
};

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: options.bodyLimit ?? 1 << 20 });
  // Signed notes and witness requests are text; keep them as the exact bytes sent.
  app.addContentTypeParser(["text/plain", "text/x.tlog.size"], { parseAs: "string" }, (_req, body, done) => done(null, body));
  app.setErrorHandler((err, _req, reply) => {
    if (isRampartError(err)) return reply.code(STATUS_BY_CODE[err.code] ?? 400).send({ error: err.code, message: err.message });
    const e = err as { statusCode?: number; message: string };
    if (e.statusCode && e.statusCode < 500) return reply.code(e.statusCode).send({ error: "bad-request", message: e.message });
    return reply.code(500).send({ error: "internal", message: "internal error" });
  });
  for (const p of options.plugins) await app.register(p.plugin as FastifyPluginAsync, { ...(p.options as object), prefix: p.prefix });
  return app;
}
