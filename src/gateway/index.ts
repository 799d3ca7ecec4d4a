export { AuthError, authorize, createAuthenticator, type Principal } from "./auth.js";
export { GatewayConfig, loadGatewayConfig, ModelConfig } from "./config.js";
export { filterClassifierOutput, filterEventStream, filterGeneratedText, leakedCanary, type StreamSummary, screenMessages } from "./filters.js";
export * from "./prompt/index.js";
export { type BucketSpec, ConcurrencyLimiter, MemoryRateLimiter, type RateLimiter, RedisRateLimiter, type TakeResult } from "./ratelimit.js";
export { type AuditEvent, buildGateway, type GatewayOptions } from "./server.js";
