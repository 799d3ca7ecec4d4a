import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { Writable } from "node:stream";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildGateway, GatewayConfig } from "../../src/gateway/index.js";
import { tempDir } from "../helpers/db.js";

// Everything here runs against the real server on a loopback port (app.listen), not inject().
let upstream: FastifyInstance;
let upstreamUrl: string;
let policy: string;
const keys = { alice: "alice-key", bob: "bob-key" };

beforeAll(async () => {
  const dir = tempDir();
  policy = join(dir, "access.cedar");
  writeFileSync(policy, `@id("services")\npermit (principal is Rampart::Service, action == Rampart::Action::"call-model", resource);\n`);
  upstream = Fastify();
  upstream.post("/fast", async () => ({ scores: [0.2, 0.8] }));
  upstream.post("/slow", async () => new Promise((r) => setTimeout(() => r({ ok: 1 }), 300)));
  upstreamUrl = await upstream.listen({ host: "127.0.0.1", port: 0 });
});
afterAll(async () => upstream?.close());

function config(extra: Record<string, unknown> = {}) {
  return GatewayConfig.parse({
    listen: { host: "127.0.0.1", port: 0, timeouts: { headersMs: 500, requestMs: 1000, keepAliveMs: 1000 } },
    auth: { apiKeys: Object.entries(keys).map(([principal, k]) => ({ principal, sha256: createHash("sha256").update(k).digest("hex") })) },
    access: { policies: [policy] },
    models: [
      { name: "fast", type: "http", upstream: `${upstreamUrl}/fast`, maxBodyBytes: 2048 },
      { name: "slow", type: "http", upstream: `${upstreamUrl}/slow` },
      { name: "down", type: "http", upstream: "http://127.0.0.1:9/x", timeoutMs: 500 },
    ],
    ...extra,
  });
}

async function serve(cfg = config()) {
  const app = await buildGateway(cfg);
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  return { app, url, port: Number(new URL(url).port) };
}

const call = (url: string, model: string, key: string, body: string = "{}") =>
  fetch(`${url}/v1/models/${model}/infer`, { method: "POST", headers: { "x-api-key": key, "content-type": "application/json" }, body });

/** Opens a raw TCP connection, sends `first`, then one byte every `everyMs`; resolves when the server closes it. */
function dribble(port: number, first: string, everyMs: number, maxMs: number): Promise<{ closedAfterMs: number; response: string }> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    let response = "";
    const socket = connect(port, "127.0.0.1", () => socket.write(first));
    const timer = setInterval(() => {
      if (Date.now() - t0 > maxMs) {
        clearInterval(timer);
        socket.destroy();
        resolve({ closedAfterMs: Number.POSITIVE_INFINITY, response });
      } else if (!socket.destroyed) socket.write("a");
    }, everyMs);
    socket.on("data", (d) => (response += d));
    socket.on("error", () => {});
    socket.on("close", () => {
      clearInterval(timer);
      resolve({ closedAfterMs: Date.now() - t0, response });
    });
  });
}

describe("security on the real server", () => {
  it("cuts slow clients: headers dribbled (slowloris) and a body dribbled byte by byte", async () => {
    const { app, port } = await serve();
    const headers = await dribble(port, "POST /v1/models/fast/infer HTTP/1.1\r\nHost: x\r\nX-Slow: ", 100, 8000);
    expect(headers.closedAfterMs).toBeLessThan(4000);
    const body = await dribble(
      port,
      `POST /v1/models/fast/infer HTTP/1.1\r\nHost: x\r\nx-api-key: ${keys.alice}\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{"a":"`,
      100,
      8000,
    );
    expect(body.closedAfterMs).toBeLessThan(5000);
    // A normal client is unaffected.
    expect((await call(`http://127.0.0.1:${port}`, "fast", keys.alice)).status).toBe(200);
    await app.close();
  }, 30_000);

  it("refuses oversized and malformed bodies, and reports an upstream that is down", async () => {
    const { app, url } = await serve();
    expect((await call(url, "fast", keys.alice, JSON.stringify({ x: "a".repeat(5000) }))).status).toBe(413);
    const big = await call(url, "fast", keys.alice, JSON.stringify({ x: "a".repeat(2 << 20) }));
    expect(big.status).toBe(413);
    const bad = await call(url, "fast", keys.alice, "{not json");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { type: string } }).error.type).toBe("invalid-input");
    const down = await call(url, "down", keys.alice);
    expect(down.status).toBe(502);
    expect(((await down.json()) as { error: { message: string } }).error.message).toMatch(/unreachable/);
    await app.close();
  });

  it("a flood from one principal does not starve another (per-principal buckets and concurrency)", async () => {
    const { app, url } = await serve(config({ rateLimit: { perPrincipal: { capacity: 20, refillPerSecond: 1 }, concurrencyPerPrincipal: 4 } }));
    const flood = Promise.all(Array.from({ length: 120 }, () => call(url, "slow", keys.alice).then((r) => r.status)));
    await new Promise((r) => setTimeout(r, 50));
    const bobTimes: number[] = [];
    const bobCodes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      bobCodes.push((await call(url, "slow", keys.bob)).status);
      bobTimes.push(performance.now() - t0);
    }
    const aliceCodes = await flood;
    expect(bobCodes).toEqual([200, 200, 200, 200, 200]);
    // Bob is answered, not queued behind alice's 120 (generous bound: the test machine is shared).
    expect(Math.max(...bobTimes)).toBeLessThan(6000);
    expect(aliceCodes.filter((c) => c === 429).length).toBeGreaterThan(80);
    expect(aliceCodes.filter((c) => c === 200).length).toBeGreaterThanOrEqual(4);
    await app.close();
  }, 30_000);

  it("Redis down fails closed by default, on the real server too", async () => {
    const { app, url } = await serve(config({ rateLimit: { perPrincipal: { capacity: 10, refillPerSecond: 1 }, redisUrl: "redis://127.0.0.1:9" } }));
    const res = await call(url, "fast", keys.alice);
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("1");
    await app.close();
  });

  it("reload swaps the configuration without disturbing a request in flight; a bad one keeps the old", async () => {
    const { app, url } = await serve();
    const inflight = call(url, "slow", keys.alice);
    await new Promise((r) => setTimeout(r, 50));
    // The new configuration drops the slow model and bob's key.
    const next = config();
    next.models = next.models.filter((m) => m.name !== "slow");
    next.auth.apiKeys = next.auth.apiKeys.filter((k) => k.principal !== "bob");
    await app.gateway.reload(next);
    expect((await inflight).status).toBe(200);
    expect((await call(url, "slow", keys.alice)).status).toBe(404);
    expect((await call(url, "fast", keys.bob)).status).toBe(401);
    const broken = config();
    broken.access = { policies: [join(tempDir(), "missing.cedar")] };
    await expect(app.gateway.reload(broken)).rejects.toThrow(/missing\.cedar: no such file/);
    const badPolicy = join(tempDir(), "bad.cedar");
    writeFileSync(badPolicy, `permit (principal, action == Rampart::Action::"call-modle", resource);\n`);
    broken.access = { policies: [badPolicy] };
    await expect(app.gateway.reload(broken)).rejects.toThrow(/bad\.cedar:1:\d+: Cedar/);
    expect((await call(url, "fast", keys.alice)).status).toBe(200);
    await app.close();
  });

  it("writes structured pino logs: one JSON decision line per request, no credentials", async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(...String(chunk).split("\n").filter(Boolean));
        done();
      },
    });
    const app = await buildGateway(config(), { logger: { stream } });
    const url = await app.listen({ host: "127.0.0.1", port: 0 });
    expect((await call(url, "fast", keys.alice)).status).toBe(200);
    expect((await call(url, "fast", "wrong-key")).status).toBe(401);
    await app.close();
    const records = lines.map((l) => JSON.parse(l) as { msg?: string; level: number; audit?: { decision: string; reason: string; principal?: string } });
    const decisions = records.filter((r) => r.msg === "decision").map((r) => r.audit!);
    expect(decisions).toEqual([
      expect.objectContaining({ decision: "allow", reason: "ok", principal: "alice" }),
      expect.objectContaining({ decision: "deny", reason: "unauthenticated" }),
    ]);
    expect(lines.join("\n")).not.toContain(keys.alice);
    expect(lines.join("\n")).not.toContain("wrong-key");
  });
});
