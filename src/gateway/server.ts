import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { Redis } from "ioredis";
import { Counter, Histogram, Registry } from "prom-client";
import { AuthError, authorize, createAuthenticator, type Principal } from "./auth.js";
import type { GatewayConfig, ModelConfig } from "./config.js";
import { filterClassifierOutput, filterEventStream, filterGeneratedText, messageText, screenMessages } from "./filters.js";
import { detectInjection } from "./prompt/detect.js";
import { ConcurrencyLimiter, MemoryRateLimiter, type RateLimiter, RedisRateLimiter } from "./ratelimit.js";

/** One audited decision: who asked what of which model, and why it was allowed or refused. */
export interface AuditEvent {
  id: string;
  time: string;
  principal?: string;
  model?: string;
  action?: string;
  decision: "allow" | "deny";
  status: number;
  reason: string;
  details?: Record<string, unknown>;
}

export interface GatewayOptions {
  /** Told about every decision (the audit ledger subscribes here). Must not throw. */
  audit?: (event: AuditEvent) => void;
  logger?: boolean;
}

declare module "fastify" {
  interface FastifyRequest {
    principal?: Principal;
    model?: ModelConfig;
    auditDetails?: Record<string, unknown>;
  }
}

/**
 * The protected inference gateway: a fixed chain of steps per request — authenticate, authorise,
 * limit, validate input, call the model, filter output, audit. Every refusal names its reason.
 */
export async function buildGateway(config: GatewayConfig, options: GatewayOptions = {}): Promise<FastifyInstance> {
  const tls = config.listen.tls;
  const app = Fastify({
    logger: options.logger ? { redact: ["req.headers.authorization", 'req.headers["x-api-key"]'] } : false,
    bodyLimit: Math.max(...config.models.map((m) => m.maxBodyBytes)),
    requestTimeout: 60_000,
    ...(tls
      ? {
          https: {
            cert: readFileSync(tls.cert),
            key: readFileSync(tls.key),
            ca: tls.ca ? readFileSync(tls.ca) : undefined,
            requestCert: tls.requireClientCert,
            rejectUnauthorized: tls.requireClientCert,
          },
        }
      : {}),
  });
  const authenticate = await createAuthenticator(config.auth);
  const models = new Map(config.models.map((m) => [m.name, m]));
  const redis = config.rateLimit.redisUrl
    ? new Redis(config.rateLimit.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000 })
    : undefined;
  redis?.on("error", () => {}); // reported per request through the fail mode
  // Serve only once Redis has answered (or failed): a request racing the first connection would be
  // refused by the fail mode although Redis is up.
  if (redis)
    await new Promise<void>((resolve) => {
      redis.once("ready", () => resolve());
      redis.once("error", () => resolve());
      setTimeout(resolve, 3_000).unref();
    });
  const limiter: RateLimiter = redis ? new RedisRateLimiter(redis, { failMode: config.rateLimit.redisFailMode }) : new MemoryRateLimiter();
  const concurrency = new ConcurrencyLimiter();

  const registry = new Registry();
  const requests = new Counter({
    name: "rampart_gateway_requests_total",
    help: "Requests by model and decision",
    labelNames: ["model", "decision", "reason"],
    registers: [registry],
  });
  const latency = new Histogram({
    name: "rampart_gateway_request_seconds",
    help: "Request latency including the model",
    labelNames: ["model"],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [registry],
  });

  const audit = (req: FastifyRequest, decision: AuditEvent["decision"], status: number, reason: string) => {
    const event: AuditEvent = {
      id: req.id,
      time: new Date().toISOString(),
      principal: req.principal?.id,
      model: req.model?.name,
      action: actionOf(req),
      decision,
      status,
      reason,
      details: req.auditDetails,
    };
    requests.inc({ model: event.model ?? "", decision, reason: reason.split(":")[0]! });
    try {
      options.audit?.(event);
    } catch {
      // an audit subscriber must not break serving; the subscriber owns its durability
    }
  };
  const refuse = (req: FastifyRequest, reply: FastifyReply, status: number, reason: string, message: string) => {
    audit(req, "deny", status, reason);
    return reply.code(status).send({ error: { type: reason, message } });
  };

  app.get("/healthz", async () => ({ ok: true }));
  app.get("/metrics", async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));

  // Authenticate, then authorise, then limit: the order of the reference gateway chain.
  const guard = async (req: FastifyRequest, reply: FastifyReply, modelName: string | undefined, action: "infer" | "chat") => {
    try {
      req.principal = await authenticate({ authorization: req.headers.authorization, apiKey: header(req, "x-api-key"), socket: req.raw.socket });
    } catch (e) {
      if (e instanceof AuthError) return refuse(req, reply, e.status, "unauthenticated", e.message);
      throw e;
    }
    const model = modelName ? models.get(modelName) : undefined;
    if (!model) return refuse(req, reply, 404, "unknown-model", `no model named ${JSON.stringify(modelName ?? "")}`);
    req.model = model;
    // The server-wide body limit is the largest of all models'; each model's own limit applies here.
    const size = Number(req.headers["content-length"] ?? Buffer.byteLength(JSON.stringify(req.body ?? null)));
    if (size > model.maxBodyBytes) return refuse(req, reply, 413, "body-too-large", `body of ${size} bytes is over ${model.name}'s limit of ${model.maxBodyBytes}`);
    const decision = authorize(config.access, req.principal, model.name, action);
    if (!decision.allowed) return refuse(req, reply, 403, "forbidden", decision.rule === undefined ? "no access rule allows this" : `denied by access rule ${decision.rule}`);
    req.auditDetails = { accessRule: decision.rule, via: req.principal.via };
    for (const [key, spec] of [
      [`p:${req.principal.id}`, config.rateLimit.perPrincipal],
      [`m:${model.name}`, model.rateLimit],
    ] as const) {
      if (!spec) continue;
      const r = await limiter.take(key, spec);
      if (!r.allowed) {
        reply.header("retry-after", String(Math.max(1, Math.ceil(r.retryAfterMs / 1000))));
        return refuse(req, reply, 429, "rate-limited", `rate limit for ${key.startsWith("p:") ? "this principal" : "this model"}; retry later`);
      }
    }
    for (const [key, limit] of [
      [`p:${req.principal.id}`, config.rateLimit.concurrencyPerPrincipal],
      [`m:${model.name}`, model.concurrency],
    ] as const) {
      if (!limit) continue;
      const release = concurrency.acquire(key, limit);
      if (!release) return refuse(req, reply, 429, "too-many-in-flight", "too many requests in flight");
      reply.raw.once("close", release);
    }
    return undefined;
  };

  app.post<{ Params: { model: string } }>("/v1/models/:model/infer", async (req, reply) => {
    const t0 = performance.now();
    if ((await guard(req, reply, req.params.model, "infer")) !== undefined || reply.sent) return reply;
    const model = req.model!;
    if (model.type !== "http") return refuse(req, reply, 400, "wrong-endpoint", `${model.name} is a chat model: use /v1/chat/completions`);
    if (!req.body || typeof req.body !== "object") return refuse(req, reply, 400, "invalid-input", "body must be a JSON object");
    const upstream = await callUpstream(model, model.upstream, req.body);
    if (!upstream.ok) return refuse(req, reply, upstream.status, "upstream", upstream.message);
    const body = filterClassifierOutput(await upstream.response.json().catch(() => undefined), model.output);
    audit(req, "allow", 200, "ok");
    latency.observe({ model: model.name }, (performance.now() - t0) / 1000);
    return reply.send(body);
  });

  app.post<{ Body: { model?: string; messages?: Array<{ role?: string; content?: unknown }>; stream?: boolean } }>("/v1/chat/completions", async (req, reply) => {
    const t0 = performance.now();
    const body = req.body;
    if ((await guard(req, reply, typeof body?.model === "string" ? body.model : undefined, "chat")) !== undefined || reply.sent) return reply;
    const model = req.model!;
    if (model.type !== "openai") return refuse(req, reply, 400, "wrong-endpoint", `${model.name} is not a chat model`);
    if (!Array.isArray(body.messages) || body.messages.length === 0) return refuse(req, reply, 400, "invalid-input", "messages must be a non-empty array");
    // Input side: size limit, invisible characters removed, injection scan of user and tool content,
    // then secrets and PII in them blocked, redacted or logged as configured.
    let chars = 0;
    for (const m of body.messages) chars += messageText(m.content).length;
    if (chars > model.prompt.maxChars) return refuse(req, reply, 413, "prompt-too-long", `prompt has ${chars} characters, limit ${model.prompt.maxChars}`);
    for (const [i, m] of body.messages.entries()) {
      if (m.role === "system" || m.role === "assistant") continue;
      const v = detectInjection(messageText(m.content), { threshold: model.prompt.blockScore, ...(model.prompt.classifier ? {} : { classifier: false as const }) });
      if (v.verdict === "injection") {
        req.auditDetails = { ...req.auditDetails, message: i, score: v.score, techniques: v.techniques };
        return refuse(req, reply, 400, "prompt-injection", `message ${i} looks like prompt injection (${v.techniques.join(", ")})`);
      }
    }
    const inputPolicies = { pii: model.prompt.pii, secrets: model.prompt.secrets };
    const input = screenMessages(body.messages, inputPolicies);
    if (Object.keys(input.found).length) req.auditDetails = { ...req.auditDetails, promptSensitive: input.found, promptRedacted: input.redacted };
    if (input.blocked)
      return refuse(req, reply, 400, "sensitive-data", `message ${input.blocked.message} contains ${input.blocked.entities.join(", ")}, which this model may not receive`);
    const messages = input.messages;
    const upstream = await callUpstream(model, `${model.upstream.replace(/\/$/, "")}/chat/completions`, { ...body, messages });
    if (!upstream.ok) return refuse(req, reply, upstream.status, "upstream", upstream.message);
    const outputPolicies = { pii: model.output.pii, secrets: model.output.secrets };
    if (body.stream) {
      audit(req, "allow", 200, "ok:stream");
      reply.header("content-type", "text/event-stream").header("cache-control", "no-cache");
      const stream = filterEventStream(upstream.response.body, {
        canaries: model.prompt.canaries,
        policies: outputPolicies,
        onEnd: (summary) => {
          if (!summary.leak && Object.keys(summary.found).length === 0) return;
          req.auditDetails = { ...req.auditDetails, outputSensitive: summary.found, outputRedacted: summary.redacted, leak: summary.leak || undefined };
          if (summary.leak) audit(req, "deny", 200, "system-prompt-leak");
          else audit(req, "allow", 200, summary.redacted ? "ok:stream-redacted" : "ok:stream-sensitive-logged");
        },
      });
      return reply.send(stream);
    }
    const answer = (await upstream.response.json().catch(() => undefined)) as { choices?: Array<{ message?: { content?: unknown } }> } | undefined;
    const outputFound: Record<string, number> = {};
    let outputRedacted = 0;
    for (const choice of answer?.choices ?? []) {
      if (!choice.message) continue;
      const r = filterGeneratedText(messageText(choice.message.content), { canaries: model.prompt.canaries, policies: outputPolicies });
      if (r.leak) req.auditDetails = { ...req.auditDetails, leak: true };
      for (const [k, n] of Object.entries(r.found)) outputFound[k] = (outputFound[k] ?? 0) + n;
      outputRedacted += r.redacted;
      if (r.leak || r.redacted) choice.message.content = r.text;
    }
    if (Object.keys(outputFound).length) req.auditDetails = { ...req.auditDetails, outputSensitive: outputFound, outputRedacted };
    audit(req, "allow", 200, req.auditDetails?.leak ? "ok:leak-withheld" : outputRedacted ? "ok:output-redacted" : "ok");
    latency.observe({ model: model.name }, (performance.now() - t0) / 1000);
    return reply.send(answer);
  });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, req, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    const reason = error.code === "FST_ERR_CTP_BODY_TOO_LARGE" ? "body-too-large" : status < 500 ? "invalid-input" : "internal";
    audit(req, "deny", status, reason);
    reply.code(status).send({ error: { type: reason, message: status < 500 ? error.message : "internal error" } });
  });
  app.addHook("onClose", async () => {
    await limiter.close?.();
  });
  return app;
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function actionOf(req: FastifyRequest): string {
  return req.url.startsWith("/v1/chat") ? "chat" : req.url.startsWith("/v1/models") ? "infer" : "other";
}

/** A model server's answer: the status was 2xx; read it as JSON or pass its body on as a stream. */
interface UpstreamResponse {
  body: IncomingMessage;
  json(): Promise<unknown>;
}

type UpstreamResult = { ok: true; response: UpstreamResponse } | { ok: false; status: number; message: string };

// Keep-alive connections to model servers: a new TCP connection per request would cost more than the model.
const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 256 });
const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 256 });

/** Calls the model server with the model's timeout; an unreachable or failing upstream is a 502/504. */
function callUpstream(model: ModelConfig, url: string, body: unknown): Promise<UpstreamResult> {
  const payload = JSON.stringify(body);
  const target = new URL(url);
  const send = target.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = send(
      target,
      {
        method: "POST",
        agent: target.protocol === "https:" ? httpsAgent : httpAgent,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload), "x-request-id": randomUUID() },
        timeout: model.timeoutMs,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          res.resume();
          resolve({ ok: false, status: 502, message: `model server answered ${status}` });
          return;
        }
        resolve({ ok: true, response: { body: res, json: () => readJson(res) } });
      },
    );
    req.on("timeout", () => {
      req.destroy();
      resolve({ ok: false, status: 504, message: `model server did not answer within ${model.timeoutMs} ms` });
    });
    req.on("error", () => resolve({ ok: false, status: 502, message: "model server unreachable" }));
    req.end(payload);
  });
}

async function readJson(res: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}
