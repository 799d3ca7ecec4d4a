import Fastify, { type FastifyInstance, type FastifyPluginAsync } from "fastify";
import { type ErrorCode, isRampartError } from "../core/index.js";

/** HTTP status for each RampartError code: the API answers with the same one-line message the CLI prints. */
const STATUS: Record<ErrorCode, number> = {
  usage: 400,
  "not-found": 404,
  "invalid-input": 400,
  "invalid-config": 500,
  "bad-signature": 403,
  "untrusted-key": 403,
  conflict: 409,
  unavailable: 503,
  limit: 413,
};

/**
 * Builds the API server from route plugins (each capability brings its own file). Errors become
 * `{error: {code, message}}` with a status from the error code; anything else is a 500 without details.
 */
export function buildApp(plugins: ReadonlyArray<FastifyPluginAsync>, options: { logger?: boolean; bodyLimit?: number } = {}): FastifyInstance {
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: options.bodyLimit ?? 1 << 20 });
  app.setErrorHandler((error, _request, reply) => {
    if (isRampartError(error)) return reply.status(STATUS[error.code]).send({ error: { code: error.code, message: error.message } });
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) return reply.status(status).send({ error: { code: "invalid-input", message: (error as Error).message } });
    app.log.error(error);
    return reply.status(500).send({ error: { code: "internal", message: "internal error" } });
  });
  for (const plugin of plugins) app.register(plugin);
  return app;
}
