import type { ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { GatewayConfig } from "../../src/gateway/index.js";
import { ledgerIds } from "../ledger/journal-helpers.js";
import { credit, gatewayConfig, killAll, modelDir, startGateway, until } from "./gateway-process.js";
import { sampleRows } from "./tabular-model.js";

// The built CLI (npm run build), as process.test.ts: the workers run dist/gateway/cluster-worker.js.
const KEY = "cluster-key";
let dir: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  dir = modelDir();
});
afterEach(() => killAll(children));

function writeConfig(file: string, models: string, extra = "", scheduling = "round-robin", journals = "primary"): void {
  writeFileSync(file, gatewayConfig(KEY, models, extra, `server: { workers: 2, scheduling: ${scheduling}, journals: ${journals} }`));
}

const start = (config: string) => startGateway(config, { cwd: dir, children, args: ["--no-log"] });

/** The primary's worker processes (its children). */
function workerPids(pid: number): number[] {
  const out: number[] = [];
  for (const t of readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(" ").filter(Boolean)) out.push(Number(t));
  return out;
}

interface Answer {
  status: number;
  id: string;
  body: string;
}

/** One request on a new connection (no keep-alive), so round-robin scheduling spreads requests over the workers. */
function post(url: string, model = "credit", row = sampleRows(1, 1).rows, timeoutMs = 0): Promise<Answer> {
  const payload = JSON.stringify({ inputs: { features: row } });
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/v1/models/${model}/infer`,
      { method: "POST", agent: false, headers: { "x-api-key": KEY, "content-type": "application/json", "content-length": Buffer.byteLength(payload) } },
      (res) => {
        let body = "";
        res.on("data", (d) => {
          body += d;
        });
        res.on("end", () => resolve({ status: res.statusCode!, id: String(res.headers["x-request-id"]), body }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    if (timeoutMs) req.setTimeout(timeoutMs, () => req.destroy(new Error("timeout")));
    req.end(payload);
  });
}

/** Eight clients posting until stopped: the ids answered 200, and how many requests got anything else or no answer. */
function clients(url: string): { answered: string[]; failed: number; stop(): Promise<void> } {
  let running = true;
  const load = {
    answered: [] as string[],
    failed: 0,
    stop: async () => {
      running = false;
      await all;
    },
  };
  const client = async () => {
    while (running) {
      try {
        const a = await post(url, "credit", undefined, 5_000);
        if (a.status === 200) load.answered.push(a.id);
        else load.failed++;
      } catch {
        load.failed++;
      }
    }
  };
  const all = Promise.all(Array.from({ length: 8 }, client));
  return load;
}

async function stopped(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await exited;
}

describe("the gateway with two worker processes", () => {
  it.each(["primary", "per-worker"])(
    "(a, d) audits every decision of both workers in one ledger, exactly once, and /metrics sums both (journals: %s)",
    async (journals) => {
      const config = join(dir, `audit-${journals}.yaml`);
      const db = join(dir, `ledger-a-${journals}.db`);
      writeConfig(config, credit(), `audit: { journal: journal-a-${journals}, database: ${db}, origin: rampart.local/gw-cluster }`, "round-robin", journals);
      const gw = await start(config);
      const workers = workerPids(gw.child.pid!);
      expect(workers).toHaveLength(2);
      const rows = sampleRows(40, 5).rows;
      const answers = await Promise.all(rows.map((r) => post(gw.url, "credit", [r])));
      const denied = await Promise.all([0, 1, 2, 3].map(() => post(gw.url, "nope")));
      expect(answers.every((a) => a.status === 200)).toBe(true);
      expect(denied.every((a) => a.status === 404)).toBe(true);
      const metrics = await (await fetch(`${gw.url}/metrics`)).text();
      expect(metrics).toMatch(/rampart_gateway_requests_total\{model="credit",decision="allow",reason="ok"\} 40\b/);
      expect(metrics).toMatch(/rampart_gateway_requests_total\{model="",decision="deny",reason="unknown-model"\} 4\b/);
      await stopped(gw.child);
      const ids = await ledgerIds(db, "rampart.local/gw-cluster");
      expect(ids).toHaveLength(44);
      expect(new Set(ids).size).toBe(44);
      for (const a of [...answers, ...denied]) expect(ids).toContain(`gateway:${a.id}`);
    },
    120_000,
  );

  it("(b) a flood from one principal stays within its bucket in total", async () => {
    const config = join(dir, "limits.yaml");
    writeConfig(config, credit(), "rateLimit: { perPrincipal: { capacity: 25, refillPerSecond: 0.001 } }");
    const gw = await start(config);
    const answers = await Promise.all(Array.from({ length: 120 }, () => post(gw.url)));
    const ok = answers.filter((a) => a.status === 200).length;
    // Two per-worker buckets would admit up to 50. Each worker admits from leases of the one bucket,
    // so never more than 25; a worker may still hold unspent tokens when the flood ends, at most a
    // lease (3) beyond the mark (1) at which it asked for the next one.
    expect(ok).toBeLessThanOrEqual(25);
    expect(ok).toBeGreaterThanOrEqual(25 - 2 * (3 + 1));
    expect(answers.filter((a) => a.status === 429).every((a) => a.body.includes("rate-limited"))).toBe(true);
    // Unspent tokens go back at the first 50 ms tick without an admission: a second flood gets exactly the rest.
    await new Promise((r) => setTimeout(r, 300));
    const again = await Promise.all(Array.from({ length: 40 }, () => post(gw.url)));
    expect(ok + again.filter((a) => a.status === 200).length).toBe(25);
  }, 120_000);

  it("(b) with refill, two workers asking leases ahead never admit more than the bucket's supply", async () => {
    const config = join(dir, "limits-refill.yaml");
    // Leases of 1 token, the next asked when the held one is spent: each worker holds at most 1.
    writeConfig(config, credit(), "rateLimit: { perPrincipal: { capacity: 10, refillPerSecond: 5 } }");
    const gw = await start(config);
    const t0 = performance.now();
    let ok = 0;
    let refused = 0;
    // 32 clients, each sending one request after another for 2 s: far more than 5 a second.
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (performance.now() - t0 < 2_000) {
          const a = await post(gw.url);
          if (a.status === 200) ok++;
          else if (a.status === 429) refused++;
          else throw new Error(`unexpected status ${a.status}`);
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    // The bucket was made (full) after t0 and refilled for less than `seconds`.
    expect(ok).toBeLessThanOrEqual(Math.floor(10 + 5 * seconds));
    // Nothing is lost: at least the first bucketful, less what the two workers may hold at the end. (How much of
    // the refill a flood takes depends on how fast a loaded machine answers it: 11 of a possible 20 at load 20.)
    expect(ok).toBeGreaterThanOrEqual(10 - 2 * 1);
    expect(refused).toBeGreaterThan(0);
  }, 120_000);

  it("(b) concurrency leases are counted across workers and released", async () => {
    const conc = join(dir, "concurrency.yaml");
    writeConfig(conc, credit(), "rateLimit: { concurrencyPerPrincipal: 2 }");
    const gw2 = await start(conc);
    const flood = await Promise.all(Array.from({ length: 60 }, () => post(gw2.url)));
    expect(flood.some((a) => a.status === 429 && a.body.includes("too-many-in-flight"))).toBe(true);
    expect(flood.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(2);
    // Every lease was released: one request at a time always gets through, on either worker.
    for (let i = 0; i < 6; i++) expect((await post(gw2.url)).status).toBe(200);
  }, 120_000);

  it("(c) a SIGHUP reload reaches every worker before it is reported; a bad file changes none", async () => {
    const config = join(dir, "reload.yaml");
    writeConfig(config, credit());
    const gw = await start(config);
    expect((await post(gw.url, "credit2")).status).toBe(404);
    writeConfig(config, credit() + credit("credit2"));
    gw.child.kill("SIGHUP");
    await until(() => gw.stderr().includes("configuration reloaded"));
    // New connections alternate between the workers: all of them know credit2 now.
    const after = await Promise.all(Array.from({ length: 12 }, () => post(gw.url, "credit2")));
    expect(after.map((a) => a.status)).toEqual(Array(12).fill(200));

    writeConfig(config, `${credit()}  - { name: broken, type: onnx, onnx: missing.onnx }\n`);
    gw.child.kill("SIGHUP");
    await until(() => gw.stderr().includes("not reloaded"));
    const still = await Promise.all(Array.from({ length: 12 }, () => post(gw.url, "credit2")));
    expect(still.map((a) => a.status)).toEqual(Array(12).fill(200));
  }, 120_000);

  it.each([
    ["round-robin", "primary"],
    ["kernel", "primary"],
    ["round-robin", "per-worker"],
    // The primary's journal written and synced on its own event loop (audit.journalOn: inline).
    ["round-robin", "primary", "inline"],
  ])(
    "(e) a killed worker is replaced; every answered request is in the ledger exactly once (scheduling: %s, journals: %s %s)",
    async (scheduling, journals, journalOn = "thread") => {
      const config = join(dir, `kill-${scheduling}-${journals}-${journalOn}.yaml`);
      const db = join(dir, `ledger-e-${scheduling}-${journals}-${journalOn}.db`);
      // Per-worker journals flush to the ledger only when closing here, so the killed worker's events are
      // certainly still in its journal: the primary must fold them when it exits.
      const slow = journals === "per-worker" ? ", batchSize: 100000, flushIntervalMs: 600000" : "";
      writeConfig(
        config,
        credit(),
        `audit: { journal: journal-e-${scheduling}-${journals}-${journalOn}, database: ${db}, origin: rampart.local/gw-cluster-kill, journalOn: ${journalOn}${slow} }`,
        scheduling,
        journals,
      );
      const gw = await start(config);
      const [victim] = workerPids(gw.child.pid!);
      // A connection of the killed worker is cut; with round-robin scheduling a connection the primary was
      // handing to it as it died can instead stay unanswered: the client's timeout ends it. Both count as failed.
      const load = clients(gw.url);
      const { answered } = load;
      await until(() => answered.length >= 60, 30_000);
      process.kill(victim!, "SIGKILL");
      await until(() => gw.stderr().includes(`worker ${victim} exited`), 10_000);
      if (journals === "per-worker") await until(() => /folded \d+ audit events of .*workers\/\d+ into the ledger/.test(gw.stderr()), 10_000);
      await until(() => workerPids(gw.child.pid!).length === 2 && !workerPids(gw.child.pid!).includes(victim!), 20_000);
      const before = answered.length;
      await until(() => answered.length >= before + 60, 30_000);
      await load.stop();
      await stopped(gw.child);
      const ids = await ledgerIds(db, "rampart.local/gw-cluster-kill");
      expect(new Set(ids).size).toBe(ids.length);
      const inLedger = new Set(ids);
      expect(answered.filter((id) => !inLedger.has(`gateway:${id}`))).toEqual([]);
      // Decisions are journalled before their answers leave: cut answers can add events, never remove any.
      expect(ids.length).toBeGreaterThanOrEqual(answered.length);
      expect(ids.length).toBeLessThanOrEqual(answered.length + load.failed);
    },
    120_000,
  );

  it("(f) the primary killed mid-stream (workers' batches on its journal thread's socket): the workers stop, and after a restart every answered request is in the ledger exactly once", async () => {
    const config = join(dir, "kill-primary.yaml");
    const db = join(dir, "ledger-f.db");
    // The ledger takes nothing before the restart, so every answered event must come back from the journal.
    writeConfig(config, credit(), `audit: { journal: journal-f, database: ${db}, origin: rampart.local/gw-cluster-kill-primary, batchSize: 100000, flushIntervalMs: 600000 }`);
    const gw = await start(config);
    const workers = workerPids(gw.child.pid!);
    expect(workers).toHaveLength(2);
    const load = clients(gw.url);
    const { answered } = load;
    await until(() => answered.length >= 80, 30_000);
    process.kill(gw.child.pid!, "SIGKILL");
    // Without their primary (and its journal) nothing could be recorded: both workers exit.
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    await until(() => !workers.some(alive), 10_000);
    await load.stop();
    expect(load.failed).toBeGreaterThan(0);
    // The next start replays the journal into the ledger (flushing promptly now: a stop's drain is bounded
    // in time, and on a loaded machine it may leave events for the start after, which is not a loss).
    writeConfig(config, credit(), `audit: { journal: journal-f, database: ${db}, origin: rampart.local/gw-cluster-kill-primary, flushIntervalMs: 50 }`);
    const again = await start(config);
    const answeredIds = answered.map((id) => `gateway:${id}`);
    let ids: string[] = [];
    for (const end = Date.now() + 60_000; Date.now() < end; await new Promise((r) => setTimeout(r, 250))) {
      ids = await ledgerIds(db, "rampart.local/gw-cluster-kill-primary");
      const inLedger = new Set(ids);
      if (answeredIds.every((id) => inLedger.has(id))) break;
    }
    await stopped(again.child);
    ids = await ledgerIds(db, "rampart.local/gw-cluster-kill-primary");
    expect(new Set(ids).size).toBe(ids.length);
    const inLedger = new Set(ids);
    expect(answered.filter((id) => !inLedger.has(`gateway:${id}`))).toEqual([]);
    expect(ids.length).toBeLessThanOrEqual(answered.length + load.failed);
  }, 120_000);

  it("refuses per-process detector state with several workers", () => {
    const parse = (detection: unknown) =>
      GatewayConfig.safeParse({
        server: { workers: 2 },
        auth: {},
        models: [{ name: "m", type: "onnx", onnx: "m.onnx", detection }],
      });
    expect(parse({ extraction: { action: "block" } }).error?.issues[0]?.message).toMatch(/server\.workers: 1/);
    expect(parse({ ood: { action: "throttle" } }).error?.issues[0]?.message).toMatch(/server\.workers: 1/);
    expect(parse({ ood: { action: "block" } }).success).toBe(true);
  });
});
