import type { Redis } from "ioredis";

/** Bucket shape: `capacity` tokens at most, refilled at `refillPerSecond`; a new bucket starts full. */
export interface BucketSpec {
  capacity: number;
  refillPerSecond: number;
}

export interface TakeResult {
  allowed: boolean;
  /** Tokens left after this request. */
  remaining: number;
  /** Milliseconds until `cost` tokens are available again (0 when allowed). */
  retryAfterMs: number;
}

export interface RateLimiter {
  take(key: string, spec: BucketSpec, cost?: number): Promise<TakeResult>;
  close?(): Promise<void>;
}

function refill(tokens: number, lastMs: number, nowMs: number, spec: BucketSpec): number {
  return Math.min(spec.capacity, tokens + (Math.max(0, nowMs - lastMs) / 1000) * spec.refillPerSecond);
}

function waitMs(tokens: number, cost: number, spec: BucketSpec): number {
  return tokens >= cost ? 0 : Math.ceil(((cost - tokens) / spec.refillPerSecond) * 1000);
}

/** Token buckets in this process: right for a single gateway instance. Idle buckets are pruned. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; ts: number }>();
  constructor(private readonly now: () => number = Date.now) {}

  async take(key: string, spec: BucketSpec, cost = 1): Promise<TakeResult> {
    const now = this.now();
    const b = this.buckets.get(key);
    let tokens = b ? refill(b.tokens, b.ts, now, spec) : spec.capacity;
    const allowed = tokens >= cost;
    if (allowed) tokens -= cost;
    this.buckets.set(key, { tokens, ts: now });
    if (this.buckets.size > 100_000) this.prune(now, spec);
    return { allowed, remaining: Math.floor(tokens), retryAfterMs: allowed ? 0 : waitMs(tokens, cost, spec) };
  }

  /**
   * Hands out up to `want` whole tokens at once (a worker's lease, see LeasedRateLimiter): all of
   * them if the bucket has them, else as many whole tokens as it has, else none when fewer than
   * `cost` are left. The bucket never goes below zero.
   */
  lease(key: string, spec: BucketSpec, cost: number, want: number): { granted: number; retryAfterMs: number } {
    const now = this.now();
    const b = this.buckets.get(key);
    let tokens = b ? refill(b.tokens, b.ts, now, spec) : spec.capacity;
    const granted = tokens >= cost ? Math.max(cost, Math.min(want, Math.floor(tokens))) : 0;
    tokens -= granted;
    this.buckets.set(key, { tokens, ts: now });
    if (this.buckets.size > 100_000) this.prune(now, spec);
    return { granted, retryAfterMs: granted > 0 ? 0 : waitMs(tokens, cost, spec) };
  }

  /** Puts back tokens a lease did not spend; never above capacity (what overflowed is lost, as refill would be). */
  giveBack(key: string, spec: BucketSpec, tokens: number): void {
    const b = this.buckets.get(key);
    if (!b || tokens <= 0) return;
    const now = this.now();
    this.buckets.set(key, { tokens: Math.min(spec.capacity, refill(b.tokens, b.ts, now, spec) + tokens), ts: now });
  }

  private prune(now: number, spec: BucketSpec): void {
    const full = (spec.capacity / spec.refillPerSecond) * 1000;
    for (const [k, b] of this.buckets) if (now - b.ts > full) this.buckets.delete(k);
  }
}

/** The primary's side of a lease: grants whole tokens from its one bucket, takes back the unspent ones. */
export interface LeaseSource {
  lease(key: string, spec: BucketSpec, cost: number, want: number): Promise<{ granted: number; retryAfterMs: number }>;
  giveBack(key: string, spec: BucketSpec, tokens: number): void;
}

interface Held {
  spec: BucketSpec;
  tokens: number;
  /** The lease being asked for, shared by the requests that wait for it (if any do). */
  asking?: Promise<{ granted: number; retryAfterMs: number }>;
  /** Requests admitted since the last tick: a tick that finds none gives the unspent tokens back. */
  admitted: number;
  /** The next tick (every holdMs while this worker holds tokens of the bucket). */
  tick?: NodeJS.Timeout;
}

/** Tokens a worker asks for at once: a small share of the bucket, so one worker cannot hold much of it. */
export function leaseSize(spec: BucketSpec, cost: number): number {
  return Math.max(cost, Math.min(64, Math.floor(spec.capacity / 8)));
}

/** Tokens left at which a worker asks for its next lease, before the one it holds runs out. */
export function lowWater(spec: BucketSpec, cost: number): number {
  return Math.floor(leaseSize(spec, cost) / 2);
}

/**
 * A serving process's token buckets when another process (a cluster primary) owns them: the worker
 * asks for a small lease of whole tokens (leaseSize) and admits requests from it locally, without a
 * round trip per request. Every admitted request spends a token the one bucket handed out, so the
 * admitted total never exceeds that bucket (capacity + refill x time), whatever the number of workers.
 * When an admission leaves lowWater tokens or fewer, the next lease is asked for at once and the
 * request goes on: a busy worker does not wait for the primary. One lease is asked at a time, so a
 * worker holds at most leaseSize + max(lowWater, cost - 1) tokens of a bucket; they go back at the
 * first tick (every holdMs) in which it admitted nothing from them, within 2 x holdMs of its last
 * admission. The price: a request can be refused while other workers hold unspent tokens of the same
 * bucket (at most that bound each, until they have been idle for a tick).
 */
export class LeasedRateLimiter implements RateLimiter {
  private readonly held = new Map<string, Held>();
  constructor(
    private readonly source: LeaseSource,
    private readonly holdMs = 50,
  ) {}

  async take(key: string, spec: BucketSpec, cost = 1): Promise<TakeResult> {
    let h = this.held.get(key);
    if (h && (h.spec.capacity !== spec.capacity || h.spec.refillPerSecond !== spec.refillPerSecond)) {
      // A reload changed this bucket: the old lease goes back, the new shape is asked for afresh.
      this.returnUnspent(key, h);
      h = undefined;
    }
    if (!h) {
      h = { spec, tokens: 0, admitted: 0 };
      this.held.set(key, h);
    }
    for (;;) {
      if (h.tokens >= cost) {
        h.tokens -= cost;
        h.admitted++;
        // Ask ahead: the next lease is on its way while this one lasts.
        if (h.tokens <= lowWater(spec, cost) && !h.asking) this.ask(key, h, cost);
        return { allowed: true, remaining: h.tokens, retryAfterMs: 0 };
      }
      const g = await (h.asking ?? this.ask(key, h, cost));
      // The bucket had nothing for this request: refused, as one process's bucket would refuse it.
      if (g.granted <= 0 && h.tokens < cost) {
        // Nothing held, nothing asked: forget the key (a flood of refused principals must not pile up here).
        if (h.tokens === 0 && !h.asking && !h.tick && this.held.get(key) === h) this.held.delete(key);
        return { allowed: false, remaining: 0, retryAfterMs: g.retryAfterMs };
      }
    }
  }

  /** Buckets this worker holds tokens of, or is asking a lease of. */
  get holding(): number {
    return this.held.size;
  }

  /** Unspent tokens this worker holds of one bucket. */
  tokensHeld(key: string): number {
    return this.held.get(key)?.tokens ?? 0;
  }

  private ask(key: string, h: Held, cost: number): Promise<{ granted: number; retryAfterMs: number }> {
    const asking = this.source.lease(key, h.spec, cost, leaseSize(h.spec, cost));
    h.asking = asking;
    // Settles h before any request awaiting the same promise resumes (this reaction is registered first).
    void asking.then(
      (g) => {
        if (h.asking === asking) h.asking = undefined;
        if (g.granted <= 0) return;
        h.tokens += g.granted;
        if (!h.tick) this.arm(key, h);
      },
      () => {
        if (h.asking === asking) h.asking = undefined;
      },
    );
    return asking;
  }

  private arm(key: string, h: Held): void {
    h.admitted = 0;
    h.tick = setTimeout(() => {
      h.tick = undefined;
      if (h.admitted === 0 || h.tokens === 0) this.returnUnspent(key, h);
      else this.arm(key, h);
    }, this.holdMs);
    h.tick.unref();
  }

  private returnUnspent(key: string, h: Held): void {
    if (h.tick) clearTimeout(h.tick);
    h.tick = undefined;
    const unspent = h.tokens;
    h.tokens = 0;
    if (this.held.get(key) === h && !h.asking) this.held.delete(key);
    if (unspent > 0) this.source.giveBack(key, h.spec, unspent);
  }
}

/**
 * The whole decision as one Lua script, so replicas never race: Redis runs a script without
 * interleaving, and TIME avoids clock skew between gateways. Returns allowed, tokens*1000, wait ms.
 */
const TAKE_SCRIPT = `
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil then tokens = capacity; ts = now end
tokens = math.min(capacity, tokens + math.max(0, now - ts) / 1000 * rate)
local allowed = 0
local wait = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
else
  wait = math.ceil((cost - tokens) / rate * 1000)
end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'ts', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(2 * capacity / rate * 1000) + 1000)
return { allowed, math.floor(tokens * 1000), wait }
`;

export type RedisFailMode = "closed" | "open" | "local";

/**
 * Token buckets shared by every replica through Redis. When Redis cannot answer, `failMode` decides:
 * "closed" refuses (the default), "open" allows, "local" falls back to a per-instance bucket.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly fallback = new MemoryRateLimiter();
  constructor(
    private readonly redis: Redis,
    private readonly options: { prefix?: string; failMode?: RedisFailMode; onError?: (e: unknown) => void } = {},
  ) {
    redis.defineCommand("rampartTake", { numberOfKeys: 1, lua: TAKE_SCRIPT });
  }

  async take(key: string, spec: BucketSpec, cost = 1): Promise<TakeResult> {
    try {
      const [allowed, milliTokens, wait] = (await (this.redis as unknown as { rampartTake(k: string, ...a: number[]): Promise<number[]> }).rampartTake(
        `${this.options.prefix ?? "rampart:rl:"}{${key}}`,
        spec.capacity,
        spec.refillPerSecond,
        cost,
      )) as [number, number, number];
      return { allowed: allowed === 1, remaining: Math.floor(milliTokens / 1000), retryAfterMs: wait };
    } catch (e) {
      this.options.onError?.(e);
      const mode = this.options.failMode ?? "closed";
      if (mode === "open") return { allowed: true, remaining: 0, retryAfterMs: 0 };
      if (mode === "local") return this.fallback.take(key, spec, cost);
      return { allowed: false, remaining: 0, retryAfterMs: 1000 };
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

/** Admits a request in flight under `key` (a release function) or refuses it (undefined). */
export interface ConcurrencyGate {
  acquire(key: string, limit: number): (() => void) | undefined | Promise<(() => void) | undefined>;
}

/** Limits requests in flight per key; release() must be called when the request ends. */
export class ConcurrencyLimiter implements ConcurrencyGate {
  private readonly inFlight = new Map<string, number>();
  acquire(key: string, limit: number): (() => void) | undefined {
    const n = this.inFlight.get(key) ?? 0;
    if (n >= limit) return undefined;
    this.inFlight.set(key, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const m = (this.inFlight.get(key) ?? 1) - 1;
      if (m <= 0) this.inFlight.delete(key);
      else this.inFlight.set(key, m);
    };
  }
}
