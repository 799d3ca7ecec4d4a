import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { join, resolve } from "node:path";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { Redis } from "ioredis";
import pino from "pino";
import { Counter, Histogram, Registry } from "prom-client";
import { RampartError } from "../core/index.js";
import { foldJournal, JournalThread, type JournalThreadOptions, type LedgerEvent, ledgerJournalSink, originFor, ServingJournal } from "../ledger/index.js";
import { listModelVersions } from "../registry/index.js";
import { openStore, type Store } from "../store/index.js";
import { AuthError, createAuthenticator, createAuthorizer, type GatewayDecision, type Principal } from "./auth.js";
import type { GatewayConfig, ModelConfig } from "./config.js";
import { filterClassifierOutput, filterEventStream, filterGeneratedText, messageText, screenMessages } from "./filters.js";
import { detectInjection } from "./prompt/detect.js";
import { type ConcurrencyGate, ConcurrencyLimiter, MemoryRateLimiter, type RateLimiter, RedisRateLimiter } from "./ratelimit.js";
import { resolveRegistryModels } from "./registry-models.js";
import { OnnxServing } from "./serve-onnx.js";
import { stageTimes } from "./stages.js";

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
  /** Cedar policy ids that decided access (empty for default deny or a refusal before authorisation). */
  policies?: string[];
  details?: Record<string, unknown>;
}

/** Where audited decisions go when another process owns the journal (a cluster worker's link to its primary). */
export interface AuditSink {
  /** Resolves once the event is durable under the journal's sync mode; rejects when it cannot be recorded. */
  append(event: LedgerEvent): Promise<void>;
  close(): Promise<void>;
}

/** State this gateway shares with other serving processes, owned elsewhere (see cluster.ts). */
export interface SharedState {
  /** Replaces the config's audit journal: this process does not open it. */
  journal?: AuditSink;
  /** Token buckets when the config has no Redis (Redis stays shared by itself). */
  limiter?: RateLimiter;
  concurrency?: ConcurrencyGate;
  /** /metrics over every serving process: register() is given this process's registry, collect() answers a scrape. */
  metrics?: { register(registry: Registry): void; collect(): Promise<{ contentType: string; text: string }> };
}

export interface GatewayOptions {
  /** State owned by another process (a cluster primary): journal, limits, metrics. */
  shared?: SharedState;
  /** Told about every decision (besides the journal). Must not throw. */
  audit?: (event: AuditEvent) => void;
  /** Structured request and decision logs (pino): true = JSON on standard output at the config's level, or a pino destination. */
  logger?: boolean | { stream: NodeJS.WritableStream };
}

/** Everything built from one configuration; a reload builds a new one and retires the old when idle. */
interface Runtime {
  config: GatewayConfig;
  authenticate: Awaited<ReturnType<typeof createAuthenticator>>;
  authorizeCall: Awaited<ReturnType<typeof createAuthorizer>>;
  models: Map<string, ModelConfig>;
  onnx: Map<string, OnnxServing>;
  limiter: RateLimiter;
  inflight: number;
  retired: boolean;
  close(): Promise<void>;
}

export interface GatewayControl {
  /** Validates and loads a new configuration, then swaps it in; requests already running finish on the old one. Throws (keeping the old) on a bad one. */
  reload(config: GatewayConfig): Promise<void>;
  /** reload() in two steps (several processes swap together): loads and checks the new configuration, then commit() swaps it in or abort() drops it. */
  prepare(config: GatewayConfig): Promise<{ commit(): Promise<void>; abort(): Promise<void> }>;
  /** The audit journal (on its own thread, or on the serving thread with `journalOn: serving`), when the config has one. */
  journal?: JournalThread | ServingJournal;
  config(): GatewayConfig;
}

declare module "fastify" {
  interface FastifyRequest {
    principal?: Principal;
    model?: ModelConfig;
    auditDetails?: Record<string, unknown>;
    decision?: GatewayDecision;
    rt?: Runtime;
    auditDone?: Promise<void>;
    /** Audit events recorded for this request so far (a stream is audited at its start and, on a leak or redaction, at its end). */
    auditSeq?: number;
    /** Stage stamps (benchmarks only: RAMPART_STAGE_TIMES, stages.ts). */
    stamps?: Float64Array;
  }
  interface FastifyInstance {
    gateway: GatewayControl;
  }
}

async function buildRuntime(config: GatewayConfig, shared?: SharedState): Promise<Runtime> {
  const authenticate = await createAuthenticator(config.auth);
  const authorizeCall = await createAuthorizer(config.access?.policies);
  const onnx = new Map<string, OnnxServing>();
  const served = await resolveRegistryModels(config);
  const models = new Map(served.map((m) => [m.name, m]));
  try {
    for (const m of served) if (m.type === "onnx") onnx.set(m.name, await OnnxServing.load(m));
    await checkRegistered(config, onnx, models);
  } catch (e) {
    for (const o of onnx.values()) await o.close();
    throw e;
  }
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
  const limiter: RateLimiter = redis ? new RedisRateLimiter(redis, { failMode: config.rateLimit.redisFailMode }) : (shared?.limiter ?? new MemoryRateLimiter());
  let closed = false;
  return {
    config,
    authenticate,
    authorizeCall,
    models,
    onnx,
    limiter,
    inflight: 0,
    retired: false,
    async close() {
      if (closed) return;
      closed = true;
      if (limiter !== shared?.limiter) await limiter.close?.();
      for (const o of onnx.values()) await o.close();
    },
  };
}

/**
 * `registered: true` models: the file's digest must be a version of that model in the registry; the
 * registry's label (else the digest's first 12 hex digits) becomes the version Cedar sees.
 */
async function checkRegistered(config: GatewayConfig, onnx: Map<string, OnnxServing>, models: Map<string, ModelConfig>): Promise<void> {
  const wanted = config.models.filter((m) => m.registered);
  if (wanted.length === 0) return;
  const store = await openStore({ url: config.registry?.database, projectDir: config.registry?.project });
  try {
    for (const m of wanted) {
      const served = onnx.get(m.name);
      if (!served) throw new RampartError("invalid-config", `models ${m.name}: registered: true needs an onnx model`);
      const versions = await listModelVersions(store, m.name);
      const v = versions.find((x) => x.sha256 === served.model.sha256);
      if (!v) throw new RampartError("invalid-config", `models ${m.name}: ${m.onnx} (sha256 ${served.model.sha256}) is not a registered version of ${m.name}`);
      models.set(m.name, { ...m, sha256: v.sha256, version: m.version ?? v.label ?? v.sha256.slice(0, 12) });
    }
  } finally {
    await store.close();
  }
}

/**
 * A request id in the UUID version 7 layout: 48 bits of Unix milliseconds, then random bits. The id
 * is the ledger event id, and the ledger indexes event ids: ids that grow with time land at the
 * index's right edge, so a batch of appends touches a few index pages instead of one per event
 * (random ids cost ~4 KB of SQLite WAL per event and a quarter more CPU on the ledger thread).
 */
export function timeOrderedId(): string {
  const ms = Date.now().toString(16).padStart(12, "0");
  // randomUUID's version digit (index 14) becomes 7; its variant bits are already 10xx.
  return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${randomUUID().slice(15)}`;
}

/** Gateway decisions as ledger events: one per request, its id the request id (replays are idempotent). */
function ledgerEvent(e: AuditEvent, seq: number, digest?: string): LedgerEvent {
  return {
    kind: "gateway.decision",
    // The ledger drops a repeated event id, so a request's later events get their own.
    eventId: seq === 1 ? `gateway:${e.id}` : `gateway:${e.id}#${seq}`,
    actor: e.principal,
    time: e.time,
    ...(e.model && digest ? { subject: { name: e.model, sha256: digest } } : {}),
    data: { model: e.model, action: e.action, decision: e.decision, status: e.status, reason: e.reason, policies: e.policies, details: e.details },
  };
}

/** The journal settings of `audit` (the same for the one journal and for each cluster worker's). */
export function auditJournalOptions(a: NonNullable<GatewayConfig["audit"]>, onError: (message: string) => void): JournalThreadOptions {
  return {
    ledger: {
      url: a.database,
      projectDir: a.project,
      origin: a.origin ?? originFor(resolve(a.project).split("/").pop() ?? "gateway"),
      walCheckpointPages: a.walCheckpointPages,
    },
    batchSize: a.batchSize,
    flushIntervalMs: a.flushIntervalMs,
    fsync: a.fsync,
    sync: a.sync,
    syncIntervalMs: a.syncIntervalMs,
    preallocate: a.preallocate,
    durableEvents: a.durableEvents,
    durableIntervalMs: a.durableIntervalMs,
    onError,
  };
}

/** The journal directory of cluster worker `slot` (server.journals: per-worker), under the audit journal's. */
export function workerJournalDir(journal: string, slot: number): string {
  return join(journal, "workers", String(slot));
}

/** The cluster workers' journal directories under `journal` that exist, in slot order. */
export function workerJournalDirs(journal: string): string[] {
  let names: string[];
  try {
    names = readdirSync(join(journal, "workers"));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  return names
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .sort((a, b) => a - b)
    .map((slot) => workerJournalDir(journal, slot));
}

/**
 * Opens the audit journal of `audit` and the ledger store behind it. By default the journal (write,
 * fdatasync, replay) and the ledger appends run on worker threads: the caller's thread only serialises
 * each decision and sends one message per event-loop turn. With journalOn: serving the journal's group
 * commit runs on the caller's event loop (libuv's asynchronous fs calls) instead; with inline, on that
 * loop synchronously (a cluster primary's journal: worker → primary → worker, no thread in between). Events left in cluster
 * workers' journals (an earlier run with server.journals: per-worker) are folded into the ledger first.
 */
export async function openAuditJournal(
  a: NonNullable<GatewayConfig["audit"]>,
  onError: (message: string) => void,
  /** socket: a cluster primary's journal thread also takes its workers' batches on a socket (JournalThreadOptions.socket). */
  extra: { socket?: boolean } = {},
): Promise<{ store: Store; journal: JournalThread | ServingJournal }> {
  const store = await openStore({ url: a.database, projectDir: a.project });
  try {
    const options = auditJournalOptions(a, onError);
    const leftovers = workerJournalDirs(a.journal);
    if (leftovers.length > 0) {
      const sink = ledgerJournalSink(store, options.ledger.origin);
      for (const dir of leftovers)
        await foldJournal(
          dir,
          (jsons, durable) =>
            sink(
              jsons.map((j) => JSON.parse(j) as LedgerEvent),
              durable,
            ),
          a.batchSize,
        );
    }
    const journal =
      a.journalOn === "thread"
        ? await JournalThread.open(a.journal, { ...options, socket: extra.socket })
        : await ServingJournal.open(a.journal, { ...options, inline: a.journalOn === "inline" });
    return { store, journal };
  } catch (e) {
    await store.close();
    throw e;
  }
}

/**
 * The protected inference gateway: a fixed chain of steps per request — authenticate, authorise,
 * limit, validate input, call the model, filter output, audit. Every refusal names its reason.
 */
export async function buildGateway(initial: GatewayConfig, options: GatewayOptions = {}): Promise<FastifyInstance> {
  const tls = initial.listen.tls;
  const timeouts = initial.listen.timeouts;
  const logger = options.logger
    ? pino(
        {
          level: initial.log.level,
          redact: ["req.headers.authorization", 'req.headers["x-api-key"]'],
        },
        typeof options.logger === "object" ? (options.logger.stream as pino.DestinationStream) : pino.destination({ fd: 1, sync: false }),
      )
    : undefined;
  const serverTimeouts = { headersTimeout: timeouts.headersMs, requestTimeout: timeouts.requestMs, connectionsCheckingInterval: Math.min(1_000, timeouts.headersMs) };
  const app = Fastify({
    ...(logger ? { loggerInstance: logger as unknown as FastifyBaseLogger } : { logger: false }),
    genReqId: timeOrderedId,
    bodyLimit: Math.max(...initial.models.map((m) => m.maxBodyBytes)),
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    connectionTimeout: timeouts.requestMs + timeouts.keepAliveMs,
    http: serverTimeouts,
    ...(tls
      ? {
          https: {
            ...serverTimeouts,
            cert: readFileSync(tls.cert),
            key: readFileSync(tls.key),
            ca: tls.ca ? readFileSync(tls.ca) : undefined,
            requestCert: tls.requireClientCert,
            rejectUnauthorized: tls.requireClientCert,
          },
        }
      : {}),
  });
  // Slow clients: the whole header block must arrive within headersMs (slowloris), the request within requestMs.
  app.server.headersTimeout = timeouts.headersMs;

  const shared = options.shared;
  let rt = await buildRuntime(initial, shared);
  let store: Store | undefined;
  let journal: JournalThread | ServingJournal | undefined;
  const sink: AuditSink | undefined = shared?.journal;
  if (initial.audit && !sink) {
    const opened = await openAuditJournal(initial.audit, (message) => app.log.error({ err: message }, "audit ledger flush failed; events stay in the journal"));
    store = opened.store;
    journal = opened.journal;
  }

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
  const concurrency: ConcurrencyGate = shared?.concurrency ?? new ConcurrencyLimiter();
  // A cluster worker's metrics go to the primary, which sums every worker's on scrape.
  shared?.metrics?.register(registry);

  // Each request keeps the runtime it started with, so a reload never changes a request midway.
  app.addHook("onRequest", async (req, reply) => {
    const mine = rt;
    req.rt = mine;
    mine.inflight++;
    reply.raw.once("close", () => {
      mine.inflight--;
      if (mine.retired && mine.inflight === 0) void mine.close();
    });
    if (stageTimes) {
      const stamps = stageTimes.start();
      req.stamps = stamps;
      // "finish": the whole answer has been handed to the socket.
      reply.raw.once("finish", () => stageTimes!.finish(stamps));
    }
  });
  // The answer leaves only once its audit event is on disk; if it cannot be written, the request fails closed.
  app.addHook("onSend", async (req, reply, payload) => {
    reply.header("x-request-id", req.id);
    if (!req.auditDone) return payload;
    try {
      await req.auditDone;
      stageTimes?.mark(req.stamps, "fsync-wait");
      return payload;
    } catch (e) {
      req.log.error({ err: e }, "audit journal write failed");
      reply.code(503).header("content-type", "application/json; charset=utf-8");
      return JSON.stringify({ error: { type: "audit-unavailable", message: "the decision could not be recorded; refused" } });
    }
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
      policies: req.decision?.policies,
      details: req.auditDetails,
    };
    requests.inc({ model: event.model ?? "", decision, reason: reason.split(":")[0]! });
    if (logger) req.log.info({ audit: event }, "decision");
    const auditJournal = sink ?? journal;
    if (auditJournal) {
      const digest = event.model ? req.rt?.onnx.get(event.model)?.model.sha256 : undefined;
      req.auditSeq = (req.auditSeq ?? 0) + 1;
      // Shared by every event of this event-loop turn; rejections are observed in onSend.
      const done = auditJournal.append(ledgerEvent(event, req.auditSeq, digest));
      req.auditDone = req.auditDone ? Promise.all([req.auditDone, done]).then(() => {}) : done;
      stageTimes?.mark(req.stamps, "audit-enqueue");
    }
    try {
      options.audit?.(event);
    } catch {
      // an audit subscriber must not break serving; the journal is the durable record
    }
  };
  const refuse = (req: FastifyRequest, reply: FastifyReply, status: number, reason: string, message: string) => {
    audit(req, "deny", status, reason);
    return reply.code(status).send({ error: { type: reason, message } });
  };

  app.get("/healthz", async () => ({ ok: true }));
  app.get("/metrics", async (_req, reply) => {
    if (!shared?.metrics) return reply.type(registry.contentType).send(await registry.metrics());
    const all = await shared.metrics.collect();
    return reply.type(all.contentType).send(all.text);
  });

  // Authenticate, then authorise, then limit: the order of the reference gateway chain.
  const guard = async (req: FastifyRequest, reply: FastifyReply, modelName: string | undefined, _action: "infer" | "chat") => {
    const r = req.rt!;
    try {
      req.principal = await r.authenticate({ authorization: req.headers.authorization, apiKey: header(req, "x-api-key"), socket: req.raw.socket });
    } catch (e) {
      if (e instanceof AuthError) return refuse(req, reply, e.status, "unauthenticated", e.message);
      throw e;
    }
    const model = modelName ? r.models.get(modelName) : undefined;
    if (!model) return refuse(req, reply, 404, "unknown-model", `no model named ${JSON.stringify(modelName ?? "")}`);
    req.model = model;
    // The server-wide body limit is the largest of all models'; each model's own limit applies here.
    const size = Number(req.headers["content-length"] ?? Buffer.byteLength(JSON.stringify(req.body ?? null)));
    if (size > model.maxBodyBytes) return refuse(req, reply, 413, "body-too-large", `body of ${size} bytes is over ${model.name}'s limit of ${model.maxBodyBytes}`);
    const decision = r.authorizeCall(
      req.principal,
      { name: model.name, version: model.version, digest: r.onnx.get(model.name)?.model.sha256 ?? model.sha256, stage: model.stage, tags: model.tags },
      req.ip,
    );
    req.decision = decision;
    stageTimes?.mark(req.stamps, "auth");
    if (!decision.allowed)
      return refuse(req, reply, 403, "forbidden", decision.policies.length === 0 ? "no access policy permits this" : `forbidden by policy ${decision.policies.join(", ")}`);
    req.auditDetails = { via: req.principal.via };
    for (const [key, spec] of [
      [`p:${req.principal.id}`, r.config.rateLimit.perPrincipal],
      [`m:${model.name}`, model.rateLimit],
    ] as const) {
      if (!spec) continue;
      const t = await r.limiter.take(key, spec);
      if (!t.allowed) {
        reply.header("retry-after", String(Math.max(1, Math.ceil(t.retryAfterMs / 1000))));
        return refuse(req, reply, 429, "rate-limited", `rate limit for ${key.startsWith("p:") ? "this principal" : "this model"}; retry later`);
      }
    }
    for (const [key, limit] of [
      [`p:${req.principal.id}`, r.config.rateLimit.concurrencyPerPrincipal],
      [`m:${model.name}`, model.concurrency],
    ] as const) {
      if (!limit) continue;
      const release = await concurrency.acquire(key, limit);
      if (!release) return refuse(req, reply, 429, "too-many-in-flight", "too many requests in flight");
      reply.raw.once("close", release);
    }
    stageTimes?.mark(req.stamps, "limit");
    return undefined;
  };

  app.get<{ Params: { model: string } }>("/v1/models/:model", async (req, reply) => {
    if ((await guard(req, reply, req.params.model, "infer")) !== undefined || reply.sent) return reply;
    const served = req.rt!.onnx.get(req.model!.name);
    audit(req, "allow", 200, "ok:describe");
    return reply.send(served ? served.describe() : { name: req.model!.name, type: req.model!.type });
  });

  app.post<{ Params: { model: string } }>("/v1/models/:model/infer", async (req, reply) => {
    const t0 = performance.now();
    stageTimes?.mark(req.stamps, "parse");
    if ((await guard(req, reply, req.params.model, "infer")) !== undefined || reply.sent) return reply;
    const model = req.model!;
    const served = req.rt!.onnx.get(model.name);
    if (served) {
      const outcome = await served.infer(req.principal!.id, req.body, req.stamps && (() => stageTimes?.mark(req.stamps, "validate")));
      stageTimes?.mark(req.stamps, "infer");
      if (!outcome.ok) {
        if (outcome.details) req.auditDetails = { ...req.auditDetails, ...outcome.details };
        if (outcome.retryAfterSeconds) reply.header("retry-after", String(outcome.retryAfterSeconds));
        return refuse(req, reply, outcome.status, outcome.reason, outcome.message);
      }
      if (Object.keys(outcome.details).length > 0) req.auditDetails = { ...req.auditDetails, ...outcome.details };
      audit(req, "allow", 200, "ok");
      latency.observe({ model: model.name }, (performance.now() - t0) / 1000);
      return reply.send(outcome.body);
    }
    if (model.type !== "http") return refuse(req, reply, 400, "wrong-endpoint", `${model.name} is a chat model: use /v1/chat/completions`);
    if (!req.body || typeof req.body !== "object") return refuse(req, reply, 400, "invalid-input", "body must be a JSON object");
    const upstream = await callUpstream(model, model.upstream!, req.body);
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
    // The user's latest request before a tool result is the task that result was fetched for.
    let task: string | undefined;
    for (const [i, m] of body.messages.entries()) {
      if (m.role === "system" || m.role === "assistant") continue;
      if (m.role === "user") task = messageText(m.content);
      // A tool result is data the model reads: instructions addressed to its reader count there, and so
      // do orders that have nothing to do with the user's request (task.ts).
      const role = m.role === "tool" ? ("data" as const) : ("user" as const);
      const v = detectInjection(messageText(m.content), {
        role,
        threshold: model.prompt.blockScore,
        ...(role === "data" && task ? { task } : {}),
        ...(model.prompt.classifier ? {} : { classifier: false as const }),
      });
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
    const upstream = await callUpstream(model, `${model.upstream!.replace(/\/$/, "")}/chat/completions`, { ...body, messages });
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
    if (status >= 500) req.log.error({ err: error }, "request failed");
    audit(req, "deny", status, reason);
    reply.code(status).send({ error: { type: reason, message: status < 500 ? error.message : "internal error" } });
  });
  app.addHook("onClose", async () => {
    rt.retired = true;
    await rt.close();
    await journal?.close();
    await sink?.close();
    await store?.close();
  });

  const prepare = async (next: GatewayConfig) => {
    checkReloadable(rt.config, next);
    const fresh = await buildRuntime(next, shared);
    let done = false;
    return {
      async commit() {
        if (done) return;
        done = true;
        const old = rt;
        rt = fresh;
        old.retired = true;
        if (old.inflight === 0) await old.close();
        app.log.info({ models: next.models.map((m) => m.name) }, "configuration reloaded");
      },
      async abort() {
        if (done) return;
        done = true;
        await fresh.close();
      },
    };
  };
  app.decorate("gateway", {
    journal,
    config: () => rt.config,
    prepare,
    async reload(next: GatewayConfig) {
      await (await prepare(next)).commit();
    },
  } satisfies GatewayControl);
  return app;
}

/** What a reload may not change: the listening socket, the audit journal and the serving processes. */
export function checkReloadable(current: GatewayConfig, next: GatewayConfig): void {
  const l = (a: GatewayConfig["listen"]) => JSON.stringify({ ...a, port: 0 });
  if (l(next.listen) !== l(current.listen)) throw new RampartError("invalid-config", "listen (address, TLS, timeouts) cannot change on reload; restart the gateway");
  if (JSON.stringify(next.audit) !== JSON.stringify(current.audit)) throw new RampartError("invalid-config", "audit cannot change on reload; restart the gateway");
  if (JSON.stringify(next.server) !== JSON.stringify(current.server))
    throw new RampartError("invalid-config", "server (workers, scheduling) cannot change on reload; restart the gateway");
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
