import { describe, expect, it } from "vitest";
import { type FromWorker, PrimaryLink } from "../../src/gateway/cluster-link.js";
import { GatewayConfig } from "../../src/gateway/config.js";

const turn = () => new Promise((r) => setImmediate(r));
const config = GatewayConfig.parse({ auth: {}, audit: { journal: "j" }, server: { workers: 2 }, models: [{ name: "m", type: "onnx", onnx: "m.onnx" }] });
const event = (n: number) => ({ kind: "gateway.decision", eventId: `gateway:${n}`, data: { n } });

describe("a worker's link to its primary", () => {
  it("sends every call of one event-loop turn in one message, the turn's audit lines in one call", async () => {
    const sent: FromWorker[] = [];
    const link = new PrimaryLink((m) => sent.push(m));
    const shared = link.shared(config, () => {});
    const spec = { capacity: 40, refillPerSecond: 1 };
    const takes = [1, 2, 3].map((i) => shared.limiter!.take(`p:${i}`, spec));
    const audits = [1, 2, 3].map((i) => shared.journal!.append(event(i)));
    expect(audits[0]).toBe(audits[2]); // one promise per turn
    await turn();
    expect(sent).toHaveLength(1);
    const m = sent[0]!;
    if (m.t !== "calls") throw new Error("expected calls");
    // One lease request per bucket, asking for an eighth of it (5 of 40 tokens).
    expect(m.c.map((c) => c[1])).toEqual(["lease", "lease", "lease", "audit"]);
    expect(m.c[0]!.slice(2)).toEqual(["p:1", spec, 1, 5]);
    const lines = m.c[3]![2] as string[];
    expect(lines.map((l) => JSON.parse(l).eventId)).toEqual(["gateway:1", "gateway:2", "gateway:3"]);

    link.receive([
      [m.c[0]![0], true, [2, 0]],
      [m.c[1]![0], true, [0, 1000]],
      [m.c[2]![0], false, "bucket store gone"],
      [m.c[3]![0], true, 0],
    ]);
    expect(await takes[0]).toEqual({ allowed: true, remaining: 1, retryAfterMs: 0 });
    expect(await takes[1]).toEqual({ allowed: false, remaining: 0, retryAfterMs: 1000 });
    await expect(takes[2]).rejects.toThrow(/bucket store gone/);
    await expect(audits[0]).resolves.toBeUndefined();
    // The lease's second token admits the next request here without waiting. Below the low-water mark
    // (2 of a 5-token lease) since the first admission, the worker has asked for its next lease ahead, once.
    expect(await shared.limiter!.take("p:1", spec)).toEqual({ allowed: true, remaining: 0, retryAfterMs: 0 });
    await turn();
    expect(sent).toHaveLength(2);
    const ahead = sent[1]!;
    if (ahead.t !== "calls") throw new Error("expected calls");
    expect(ahead.c.map((c) => c.slice(1))).toEqual([["lease", "p:1", spec, 1, 5]]);
  });

  it("gives back the tokens of a lease it did not spend", async () => {
    const sent: FromWorker[] = [];
    const link = new PrimaryLink((m) => sent.push(m));
    const shared = link.shared(config, () => {});
    const spec = { capacity: 80, refillPerSecond: 1 };
    const take = shared.limiter!.take("p:x", spec);
    await turn();
    const m = sent[0]!;
    if (m.t !== "calls") throw new Error("expected calls");
    link.receive([[m.c[0]![0], true, [10, 0]]]);
    expect((await take).allowed).toBe(true);
    await new Promise((r) => setTimeout(r, 120));
    expect(sent.at(-1)).toEqual({ t: "calls", c: [[0, "giveBack", "p:x", spec, 9]] });
  });

  it("fails closed when the primary is gone: waiting and later calls reject", async () => {
    const link = new PrimaryLink(() => {});
    const shared = link.shared(config, () => {});
    const waiting = shared.journal!.append(event(1));
    await turn();
    link.fail("primary gone");
    await expect(waiting).rejects.toThrow(/primary gone/);
    await expect(shared.journal!.append(event(2))).rejects.toThrow(/primary gone/);
    await expect(shared.concurrency!.acquire("p:x", 1)).rejects.toThrow(/primary gone/);
  });

  it("releases a concurrency lease once, with no reply expected", async () => {
    const sent: FromWorker[] = [];
    const link = new PrimaryLink((m) => sent.push(m));
    const shared = link.shared(config, () => {});
    const acquired = shared.concurrency!.acquire("p:x", 2);
    await turn();
    const m = sent[0]!;
    if (m.t !== "calls") throw new Error("expected calls");
    link.receive([[m.c[0]![0], true, 7]]);
    const release = await acquired;
    release!();
    release!();
    await turn();
    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual({ t: "calls", c: [[0, "release", 7]] });
  });
});
