import { describe, expect, it } from "vitest";
import { LeasedRateLimiter, type LeaseSource, leaseSize, lowWater, MemoryRateLimiter } from "../../src/gateway/ratelimit.js";

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
    // 5 requests a worker: its first lease (6) and the one asked ahead at the low-water mark (6) are 48 of
    // the 50 tokens at most, so none is refused. (With more, a worker can be refused while another holds
    // unspent tokens of its ask-ahead lease: the price docs/gateway.md declares.)
    const first = await flood(20);
    expect(first).toBe(20);
    // 30 tokens are left in total, some held by the workers: never more than that is admitted.
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
    // Only p:a's lease is held (its unspent tokens, the next lease asked ahead) until it goes back:
    // at the first tick with no admission, within two ticks of the last one.
    expect(worker.holding).toBe(1);
    await sleep(1_100);
    expect(worker.holding).toBe(0);
  });

  it("a busy worker asks its next lease before the one it holds runs out: only its first request waits", async () => {
    const bucket = new MemoryRateLimiter(() => 0);
    let asked = 0;
    // A reply 2 ms after the ask; the worker admits one request a millisecond.
    const source: LeaseSource = {
      lease: (key, spec, cost, want) => {
        asked++;
        return new Promise((r) => setTimeout(() => r(bucket.lease(key, spec, cost, want)), 2));
      },
      giveBack: (key, spec, tokens) => bucket.giveBack(key, spec, tokens),
    };
    const worker = new LeasedRateLimiter(source, 50);
    const spec = { capacity: 1e6, refillPerSecond: 1 };
    const waited: number[] = [];
    // The first request waits for the first lease; none after it should.
    expect((await worker.take("p:busy", spec)).allowed).toBe(true);
    for (let i = 1; i < 300; i++) {
      // Admitted from held tokens, the answer comes within this turn's microtasks, before setImmediate.
      const r = await Promise.race([worker.take("p:busy", spec), new Promise<"waited">((res) => setImmediate(() => res("waited")))]);
      if (r === "waited") waited.push(i);
      await sleep(1);
      // Never more than a lease beyond the low-water mark held.
      expect(worker.tokensHeld("p:busy")).toBeLessThanOrEqual(leaseSize(spec, 1) + lowWater(spec, 1));
    }
    expect(waited).toEqual([]);
    // 300 requests in leases of 64, each asked when 32 are left: 1 + ceil((300 - 32) / 64) asks, no more.
    expect(asked).toBe(1 + Math.ceil((300 - lowWater(spec, 1)) / leaseSize(spec, 1)));
  });

  it("never admits more than the bucket holds at any moment, with refill, across four workers asking ahead", async () => {
    const clock = { t: 0 };
    const { source } = primary(() => clock.t);
    const spec = { capacity: 200, refillPerSecond: 1000 };
    const workers = [0, 1, 2, 3].map(() => new LeasedRateLimiter(source, 30));
    let admitted = 0;
    for (let step = 0; step < 60; step++) {
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => workers[i % workers.length]!.take("p:refill", spec)));
      admitted += results.filter((r) => r.allowed).length;
      // The one bucket's whole supply so far: capacity plus refill since it was made.
      expect(admitted).toBeLessThanOrEqual(spec.capacity + (clock.t / 1000) * spec.refillPerSecond);
      clock.t += 20;
    }
    // Refused while the others held tokens: never more than each worker's bound short of the supply.
    const supply = spec.capacity + ((clock.t - 20) / 1000) * spec.refillPerSecond;
    expect(admitted).toBeGreaterThanOrEqual(supply - workers.length * (leaseSize(spec, 1) + lowWater(spec, 1)));
  });
});
