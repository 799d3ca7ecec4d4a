import * as z from "zod";
import { loadYaml } from "../core/index.js";
import { SensitivePolicy } from "./prompt/sensitive.js";

// Sensitive-data defaults: secrets never reach a model or a client; PII in prompts is logged.
const policy = (action: SensitivePolicy["action"]) => SensitivePolicy.default({ action, replace: "entity", threshold: 0.5 });

const Bucket = z.object({ capacity: z.number().positive(), refillPerSecond: z.number().positive() }).strict();

export const ModelConfig = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9._-]+$/, "letters, digits, dot, dash and underscore only"),
    /** http: POST JSON to `upstream`; openai: an OpenAI-compatible chat/completions server. */
    type: z.enum(["http", "openai"]),
    upstream: z.url(),
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
  .strict();
export type ModelConfig = z.infer<typeof ModelConfig>;

const AccessRule = z
  .object({
    effect: z.enum(["allow", "deny"]),
    /** Principal ids, or `role:NAME`, or `*`. */
    principals: z.array(z.string().min(1)).min(1),
    models: z.array(z.string().min(1)).min(1),
    actions: z.array(z.enum(["infer", "chat", "*"])).min(1),
  })
  .strict();

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
      })
      .strict()
      .default({ host: "127.0.0.1", port: 8443 }),
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
    access: z.array(AccessRule).default([]),
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
  .strict();
export type GatewayConfig = z.infer<typeof GatewayConfig>;

export function loadGatewayConfig(file: string): Promise<GatewayConfig> {
  return loadYaml(GatewayConfig, file);
}
