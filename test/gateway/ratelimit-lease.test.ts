import { describe, expect, it } from "vitest";
import { LeasedRateLimiter, type LeaseSource, leaseSize, MemoryRateLimiter } from "../../src/gateway/ratelimit.js";

/** The primary's one bucket behind an asynchronous channel, as the cluster has it (a reply a few ms later). */
function primary(now: () => number): { source: LeaseSource; bucket: MemoryRateLimiter } {
  const bucket = new MemoryRateLimiter(now);
  const later = <T>(f: () => T) => new Promise<T>((r) => setTimeout(() => r(f()), 1 + Math.floor(Math.random() * 3)));
  return {
    bucket,
    source: {
      lease: (key, spec, cost, want) => later(() => bucket.lease(key, spec, cost, want)),
      giveBack: (key, spec, tokens) => void later(() => bucket.giveBack(key, spec, tokens)),
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("token leases of one bucket shared by several workers", () => {
  it("leases an eighth of the bucket, at most 64 and at least the cost", () => {
    expect(leaseSize({ capacity: 25, refillPerSecond: 1 }, 1)).toBe(3);
    expect(leaseSize({ capacity: 1e9, refillPerSecond: 1e9 }, 1)).toBe(64);
    expect(leaseSize({ capacity: 4, refillPerSecond: 1 }, 2)).toBe(2);
  });

  it("the bucket hands out whole tokens and never goes below zero", () => {
    const bucket = new MemoryRateLimiter(() => 0);
    const spec = { capacity: 10, refillPerSecond: 1 };
    expect(bucket.lease("k", spec, 1, 4)).toEqual({ granted: 4, retryAfterMs: 0 });
    expect(bucket.lease("k", spec, 1, 4)).toEqual({ granted: 4, retryAfterMs: 0 });
    expect(bucket.lease("k", spec, 1, 4)).toEqual({ granted: 2, retryAfterMs: 0 });
    expect(bucket.lease("k", spec, 1, 4)).toEqual({ granted: 0, retryAfterMs: 1000 });
    bucket.giveBack("k", spec, 3);
    expect(bucket.lease("k", spec, 1, 8)).toEqual({ granted: 3, retryAfterMs: 0 });
  });

  it("four workers flooding one bucket admit exactly its capacity in total, and the unspent tokens come back", async () => {
    const clock = { t: 0 };
    const { source } = primary(() => clock.t);
    // No refill while the clock stands still: the bucket's capacity is all there is.
    const spec = { capacity: 50, refillPerSecond: 1 };
    const workers = [0, 1, 2, 3].map(() => new LeasedRateLimiter(source, 30));
    const flood = async (n: number) => {
      const results = await Promise.all(Array.from({ length: n }, (_, i) => workers[i % workers.length]!.take("p:flood", spec)));
      return results.filter((r) => r.allowed).length;
    };
    const first = await flood(37);
    expect(first).toBe(37);
    // 13 tokens are left in total, some held by the workers: never more than that is admitted.
    const second = await flood(40);
    expect(first + second).toBeLessThanOrEqual(50);
    // Once the leases have expired, what the workers held is back in the bucket: nothing was lost.
    await sleep(80);
    const third = await flood(40);
    expect(first + second + third).toBe(50);
    // Refill is counted once, by the one bucket: a second of it admits one more request.
    clock.t += 1000;
    await sleep(80);
    expect(await flood(8)).toBe(1);
  });

  it("keeps nothing for a bucket once its lease is spent or given back, nor for a refused one", async () => {
    const { source } = primary(() => 0);
    const worker = new LeasedRateLimiter(source, 500);
    expect((await worker.take("p:a", { capacity: 16, refillPerSecond: 1 })).allowed).toBe(true);
    const refused = await Promise.all(Array.from({ length: 50 }, (_, i) => worker.take(`p:none-${i}`, { capacity: 0.5, refillPerSecond: 0.1 })));
    expect(refused.every((r) => !r.allowed)).toBe(true);
    // Only p:a's lease is held (one of its two tokens unspent) until it goes back.
    expect(worker.holding).toBe(1);
    await sleep(700);
    expect(worker.holding).toBe(0);
  });
});
