import { dirname, isAbsolute, resolve } from "node:path";
import * as z from "zod";
import { loadYaml } from "../core/index.js";
import { STAGES } from "../registry/catalog.js";
import { SensitivePolicy } from "./prompt/sensitive.js";

// Sensitive-data defaults: secrets never reach a model or a client; PII in prompts is logged.
const policy = (action: SensitivePolicy["action"]) => SensitivePolicy.default({ action, replace: "entity", threshold: 0.5 });

const Bucket = z.object({ capacity: z.number().positive(), refillPerSecond: z.number().positive() }).strict();
/** What a detector does when it fires: record it, slow the principal down, or refuse. */
const Response = z.enum(["log", "throttle", "block"]).default("log");

export const ModelConfig = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9._-]+$/, "letters, digits, dot, dash and underscore only"),
    /** http: POST JSON to `upstream`; openai: an OpenAI-compatible chat/completions server; onnx: served in-process. */
    type: z.enum(["http", "openai", "onnx"]),
    upstream: z.url().optional(),
    /** ONNX file served in-process (type onnx), loaded once. */
    onnx: z.string().min(1).optional(),
    /** The approved version's digest: a model file with any other digest is refused at load. */
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
    /** Serve only a version registered under this name in the model registry (`registry` database); its label becomes the version. */
    registered: z.boolean().default(false),
    /**
     * Serve a version from the registry instead of a path: the newest release of this model in `stage`
     * (e.g. production), or the version with `label` or `sha256`. The file comes from the registry's
     * artifact store, checked against its digest; a reload re-resolves (a promotion goes live on SIGHUP).
     */
    registry: z
      .object({
        stage: z.enum(STAGES).optional(),
        label: z.string().min(1).optional(),
        sha256: z
          .string()
          .regex(/^[0-9a-f]{64}$/)
          .optional(),
      })
      .strict()
      .refine((r) => [r.stage, r.label, r.sha256].filter(Boolean).length === 1, { message: "give exactly one of stage, label or sha256" })
      .optional(),
    /** Version label: the Cedar resource becomes ModelVersion "NAME@VERSION" (in Model "NAME"). */
    version: z.string().min(1).optional(),
    stage: z.string().default("production"),
    tags: z.array(z.string()).default([]),
    /** Training-data profile (`rampart data profile`): column ranges and categories, OOD statistics. */
    profile: z.string().min(1).optional(),
    /** Column names of the model's [N, d] input, in order (default: the profile's columns, else ONNX metadata `features`). */
    features: z.array(z.string().min(1)).optional(),
    validation: z
      .object({
        /** A value outside the training range: refuse the request, clamp it to the range, or let it pass. */
        outOfRange: z.enum(["reject", "clamp", "allow"]).default("reject"),
        /** Widens each training range by this share of its width on both sides. */
        tolerance: z.number().min(0).default(0.1),
        maxElements: z
          .number()
          .int()
          .positive()
          .default(1 << 16),
      })
      .strict()
      .default({ outOfRange: "reject", tolerance: 0.1, maxElements: 1 << 16 }),
    detection: z
      .object({
        /** Robust z-score against the training profile; threshold defaults to the profile's zThreshold. */
        ood: z.object({ action: Response, threshold: z.number().positive().optional() }).strict().optional(),
        /** Feature squeezing: re-run on inputs reduced to 2^bits levels per feature; flag when the L1 change of the probabilities exceeds threshold. */
        squeeze: z
          .object({ action: Response, bits: z.number().int().min(1).max(16).default(4), threshold: z.number().positive().max(2).default(0.3) })
          .strict()
          .optional(),
        /** PRADA per principal: Shapiro–Wilk W of minimum query distances below delta flags extraction. */
        extraction: z
          .object({ action: Response, delta: z.number().gt(0).lt(1).default(0.9), warmup: z.number().int().min(20).default(100), window: z.number().int().min(50).default(1000) })
          .strict()
          .optional(),
        /** What `throttle` allows a flagged principal, and for how long after a per-request flag. */
        throttle: Bucket.extend({ forSeconds: z.number().positive().default(300) })
          .strict()
          .default({ capacity: 1, refillPerSecond: 1, forSeconds: 300 }),
      })
      .strict()
      .optional(),
    timeoutMs: z.number().int().positive().default(30_000),
    maxBodyBytes: z
      .number()
      .int()
      .positive()
      .default(1 << 20),
    /** Classifier outputs: hide scores (label), keep the k best, or round them, against extraction. */
    output: z
      .object({
        mode: z.enum(["full", "label", "top-k", "rounded"]).default("full"),
        k: z.number().int().positive().default(1),
        decimals: z.number().int().min(0).max(6).default(2),
        /** Generated text of chat models: PII and secrets redacted (or logged), also in streams. */
        pii: policy("off"),
        secrets: policy("redact"),
      })
      .strict()
      .default({ mode: "full", k: 1, decimals: 2, pii: { action: "off", replace: "entity", threshold: 0.5 }, secrets: { action: "redact", replace: "entity", threshold: 0.5 } }),
    prompt: z
      .object({
        maxChars: z.number().int().positive().default(32_000),
        /** Injection score at which a prompt is refused. */
        blockScore: z.number().gt(0).max(1).default(0.5),
        /** Secret strings planted in the system prompt: a response containing one is a leak. */
        canaries: z.array(z.string().min(8)).default([]),
        /** Combine the learned classifier with the rules (false: rules only). */
        classifier: z.boolean().default(true),
        /** PII and secrets in user and tool messages: block, redact, log or off. */
        pii: policy("log"),
        secrets: policy("redact"),
      })
      .strict()
      .default({
        maxChars: 32_000,
        blockScore: 0.5,
        canaries: [],
        classifier: true,
        pii: { action: "log", replace: "entity", threshold: 0.5 },
        secrets: { action: "redact", replace: "entity", threshold: 0.5 },
      }),
    rateLimit: Bucket.optional(),
    concurrency: z.number().int().positive().optional(),
  })
  .strict()
  .refine((m) => (m.type === "onnx" ? Boolean(m.onnx) !== Boolean(m.registry) : Boolean(m.upstream) && !m.registry), {
    message: "an onnx model needs onnx: FILE or registry: {stage|label|sha256} (one of them); http and openai models need upstream: URL",
  });
export type ModelConfig = z.infer<typeof ModelConfig>;

export const GatewayConfig = z
  .object({
    listen: z
      .object({
        host: z.string().default("127.0.0.1"),
        port: z.number().int().min(0).max(65535).default(8443),
        tls: z
          .object({ cert: z.string(), key: z.string(), ca: z.string().optional(), requireClientCert: z.boolean().default(false) })
          .strict()
          .optional(),
        /** Slow clients: whole headers within headersMs, the whole request within requestMs, idle keep-alive closed after keepAliveMs. */
        timeouts: z
          .object({
            headersMs: z.number().int().positive().default(10_000),
            requestMs: z.number().int().positive().default(30_000),
            keepAliveMs: z.number().int().positive().default(5_000),
          })
          .strict()
          .default({ headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000 }),
      })
      .strict()
      .default({ host: "127.0.0.1", port: 8443, timeouts: { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000 } }),
    auth: z
      .object({
        jwt: z
          .object({
            issuer: z.string().min(1),
            audience: z.string().min(1),
            jwksFile: z.string().optional(),
            jwksUrl: z.url().optional(),
            algorithms: z
              .array(z.enum(["EdDSA", "ES256", "ES384", "RS256", "PS256"]))
              .min(1)
              .default(["EdDSA", "ES256", "RS256"]),
            rolesClaim: z.string().default("roles"),
          })
          .strict()
          .refine((j) => Boolean(j.jwksFile) !== Boolean(j.jwksUrl), "give exactly one of jwksFile or jwksUrl")
          .optional(),
        /** API keys are stored only as sha256 hex of the key. */
        apiKeys: z.array(z.object({ principal: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/), roles: z.array(z.string()).default([]) }).strict()).default([]),
        /** Client certificates (needs listen.tls.requireClientCert): principal = certificate CN. */
        mtls: z.boolean().default(false),
      })
      .strict(),
    /** Cedar policies (files, relative to this config) for action "call-model": default deny, a forbid beats every permit. */
    access: z
      .object({ policies: z.array(z.string().min(1)).min(1) })
      .strict()
      .optional(),
    /** Every decision is journalled (fsync) before the answer and flushed in batches to the ledger. */
    audit: z
      .object({
        journal: z.string().min(1),
        /** Ledger database (default: RAMPART_DATABASE_URL, else .rampart/rampart.db under `project`). */
        database: z.string().optional(),
        project: z.string().default("."),
        /** Ledger log origin (default: derived from the project folder name). */
        origin: z.string().optional(),
        batchSize: z.number().int().positive().default(512),
        flushIntervalMs: z.number().int().positive().default(200),
        /** fdatasync before each answer (default); false: the OS page cache (survives a killed process, not a power cut). */
        fsync: z.boolean().default(true),
        /**
         * How a journal group is made durable (with fsync): "fdatasync" (default), write then fdatasync;
         * "dsync", segments opened with O_DSYNC so the write returns once the data is on disk (one system
         * call per group; the same guarantee); "after-answer", group commit after the answer: the answer
         * leaves once the event is written (the page cache, which survives a killed gateway) and an
         * fdatasync follows in the background within syncIntervalMs, so a power cut can cost the events
         * of that window (and of the sync in flight). Measured side by side in docs/gateway.md.
         */
        sync: z.enum(["fdatasync", "dsync", "after-answer"]).default("fdatasync"),
        /** With sync: after-answer, the longest an answered event waits before its fdatasync starts (ms). */
        syncIntervalMs: z.number().int().positive().max(1_000).default(5),
        /**
         * Journal into pre-allocated zero-filled segment files (default, with fsync): each fdatasync then
         * flushes data only, no file-size change. false: append to the segment files.
         */
        preallocate: z.boolean().optional(),
        /**
         * The ledger makes a durable point (one fdatasync) at least every durableEvents events and every
         * durableIntervalMs, and the journal keeps every event until one covers it (a power cut replays the
         * rest). Default 1: every ledger batch is durable, as before session 7 (fewer, larger syncs showed no
         * latency gain on the quiet machine — docs/gateway.md); larger: fewer ledger syncs, more to replay.
         */
        durableEvents: z.number().int().positive().default(1),
        durableIntervalMs: z.number().int().positive().default(1_000),
        /**
         * The ledger's SQLite checkpoints its WAL into the database every this many WAL pages (default:
         * SQLite's 1,000). Smaller: smaller, more frequent checkpoints on the disk the journal's group commits
         * use; larger: rarer, larger ones. Durability does not depend on it. No effect on PostgreSQL.
         */
        walCheckpointPages: z.number().int().positive().max(1_000_000).optional(),
        /**
         * Where the journal writes and fdatasyncs: "thread" (default), its own thread, which acknowledges
         * each event-loop turn's batch by message; "serving", the serving thread's event loop with libuv's
         * asynchronous fs calls (one message hop fewer per answer); "inline", the event loop itself, each
         * turn's group written and fdatasynced synchronously (no hop; the loop waits for the disk: for a
         * cluster primary, whose loop serves no request). The ledger has its own thread in all three.
         */
        journalOn: z.enum(["thread", "serving", "inline"]).default("thread"),
      })
      .strict()
      .optional(),
    /**
     * The model registry that `registered: true` and `registry:` models are checked against or served
     * from (default: RAMPART_DATABASE_URL, else .rampart/rampart.db under project); model files from
     * `artifacts` (default: .rampart/artifacts under project).
     */
    registry: z
      .object({ database: z.string().optional(), project: z.string().default("."), artifacts: z.string().optional() })
      .strict()
      .optional(),
    /**
     * Serving processes. workers: 1 (default) serves in this process; N > 1 or "auto" (the available
     * cores) forks N serving processes (node:cluster) behind one port, while this process keeps the
     * audit journal and ledger (one sequencer), the in-memory rate and concurrency limits (exact for the
     * instance) and the configuration; every worker's decisions, limits and reloads go through it.
     * scheduling: "round-robin" (default), this process accepts each connection and hands it to the next
     * worker; "kernel", every worker accepts on the shared socket and the kernel picks.
     * journals: "primary" (default), one journal in this process: each worker sends its decisions and
     * waits for the primary's acknowledgement; "per-worker", each worker journals (group commit, the same
     * sync modes) into its own directory under audit.journal and answers without asking the primary, whose
     * ledger folds the workers' committed events in batches.
     */
    server: z
      .object({
        workers: z.union([z.number().int().min(1).max(64), z.literal("auto")]).default(1),
        scheduling: z.enum(["round-robin", "kernel"]).default("round-robin"),
        journals: z.enum(["primary", "per-worker"]).default("primary"),
      })
      .strict()
      .default({ workers: 1, scheduling: "round-robin", journals: "primary" }),
    log: z
      .object({ level: z.enum(["fatal", "error", "warn", "info", "debug", "silent"]).default("info") })
      .strict()
      .default({ level: "info" }),
    rateLimit: z
      .object({
        perPrincipal: Bucket.optional(),
        concurrencyPerPrincipal: z.number().int().positive().optional(),
        redisUrl: z.string().optional(),
        redisFailMode: z.enum(["closed", "open", "local"]).default("closed"),
      })
      .strict()
      .default({ redisFailMode: "closed" }),
    models: z.array(ModelConfig).min(1),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.server.workers === 1) return;
    // State kept per principal inside one process would split across workers: refuse rather than weaken it.
    for (const [i, m] of c.models.entries()) {
      const d = m.detection;
      if (d?.extraction)
        ctx.addIssue({
          code: "custom",
          path: ["models", i, "detection", "extraction"],
          message: "extraction detection keeps each principal's history in one process: needs server.workers: 1",
        });
      for (const k of ["ood", "squeeze"] as const)
        if (d?.[k]?.action === "throttle")
          ctx.addIssue({
            code: "custom",
            path: ["models", i, "detection", k, "action"],
            message: "throttle marks the principal in one process only: needs server.workers: 1 (use log or block)",
          });
    }
  });
export type GatewayConfig = z.infer<typeof GatewayConfig>;

/** Loads and validates gateway.yaml; file names in it are taken relative to the file's folder. */
export async function loadGatewayConfig(file: string): Promise<GatewayConfig> {
  return resolvePaths(await loadYaml(GatewayConfig, file), dirname(resolve(file)));
}

export function resolvePaths(config: GatewayConfig, base: string): GatewayConfig {
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  const tls = config.listen.tls;
  return {
    ...config,
    listen: { ...config.listen, tls: tls && { ...tls, cert: abs(tls.cert), key: abs(tls.key), ca: tls.ca && abs(tls.ca) } },
    auth: { ...config.auth, jwt: config.auth.jwt && { ...config.auth.jwt, jwksFile: config.auth.jwt.jwksFile && abs(config.auth.jwt.jwksFile) } },
    access: config.access && { policies: config.access.policies.map(abs) },
    audit: config.audit && { ...config.audit, journal: abs(config.audit.journal), project: abs(config.audit.project) },
    registry: config.registry && { ...config.registry, project: abs(config.registry.project), artifacts: config.registry.artifacts && abs(config.registry.artifacts) },
    models: config.models.map((m) => ({ ...m, onnx: m.onnx && abs(m.onnx), profile: m.profile && abs(m.profile) })),
  };
}
