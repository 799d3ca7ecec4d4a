import type { ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { decodeEntry } from "../../src/ledger/entry.js";
import { Ledger } from "../../src/ledger/index.js";
import { openStore } from "../../src/store/index.js";
import { credit, gatewayConfig, killAll, modelDir, startGateway, until } from "./gateway-process.js";
import { sampleRows } from "./tabular-model.js";

const KEY = "process-key";
let dir: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  dir = modelDir();
});
afterEach(() => killAll(children));

function writeConfig(file: string, models: string, extra = ""): void {
  writeFileSync(file, gatewayConfig(KEY, models, extra));
}

const start = (config: string) => startGateway(config, { cwd: dir, children, env: { ...process.env, CI: "true" } });

const infer = (url: string, model = "credit", row = sampleRows(1, 1).rows) =>
  fetch(`${url}/v1/models/${model}/infer`, {
    method: "POST",
    headers: { "x-api-key": KEY, "content-type": "application/json" },
    body: JSON.stringify({ inputs: { features: row } }),
  });

describe("the gateway process", () => {
  // The default answers after the fdatasync; after-answer once the event is written (the page cache, which a
  // killed process does not lose), with the background sync held back a whole second so the kill finds events unsynced.
  // journalOn: serving writes and fdatasyncs each group through libuv's pool, or, without fsync, answers once
  // written: a killed process loses neither (the page cache outlives it).
  it.each([
    ["fdatasync", ""],
    ["after-answer", ", sync: after-answer, syncIntervalMs: 1000"],
    ["serving-fdatasync", ", journalOn: serving"],
    ["serving-nofsync", ", journalOn: serving, fsync: false"],
  ])(
    "kill -9 mid-load (sync: %s): after a restart every acknowledged request's audit event is in the ledger exactly once",
    async (mode, sync) => {
      const config = join(dir, `durable-${mode}.yaml`);
      const db = join(dir, `ledger-${mode}.db`);
      writeConfig(config, credit(), `audit: { journal: journal-${mode}, database: ${db}, origin: rampart.local/gw-kill, flushIntervalMs: 2000, batchSize: 100000${sync} }`);
      const first = await start(config);
      const acked = new Set<string>();
      let stop = false;
      const rows = sampleRows(64, 77).rows;
      const worker = async (w: number) => {
        for (let i = 0; !stop && i < 10_000; i++) {
          try {
            const res = await infer(first.url, "credit", [rows[(w * 7 + i) % 64]!]);
            await res.arrayBuffer();
            if (res.status === 200) acked.add(res.headers.get("x-request-id")!);
          } catch {
            return; // connection cut by the kill
          }
        }
      };
      const load = Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)));
      // Kill while requests are in flight, once a good number has been acknowledged.
      await until(() => acked.size >= 100, 30_000);
      first.child.kill("SIGKILL");
      stop = true;
      await load;
      expect(acked.size).toBeGreaterThanOrEqual(100);

      const store = await openStore({ url: db });
      const ledger = await Ledger.open(store, "rampart.local/gw-kill");
      // The flusher runs every 2 s: acknowledged events were still only in the journal when the process died.
      const before = (await ledger.state()).size;
      expect(before).toBeLessThan(acked.size);
      const second = await start(config);
      let ids: string[] = [];
      for (let tries = 0; tries < 100; tries++) {
        ids = [];
        for await (const row of ledger.entries()) ids.push(decodeEntry(row.leafData)!.id!);
        if ([...acked].every((id) => ids.includes(`gateway:${id}`))) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const counts = new Map<string, number>();
      for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
      const missing = [...acked].filter((id) => !counts.has(`gateway:${id}`));
      expect(missing).toEqual([]);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      const entry = decodeEntry((await ledger.entryByEventId(`gateway:${[...acked][0]}`))!.leafData)!;
      expect(entry).toMatchObject({ kind: "gateway.decision", actor: "scorer", data: { decision: "allow", status: 200, policies: ["scorer"] } });
      expect(entry.subject?.name).toBe("credit");
      second.child.kill("SIGTERM");
      await store.close();
    },
    60_000,
  );

  it("reloads on SIGHUP; a bad file is refused with one line and the old configuration keeps serving", async () => {
    const config = join(dir, "reload.yaml");
    writeConfig(config, credit());
    const gw = await start(config);
    expect((await infer(gw.url)).status).toBe(200);
    expect((await infer(gw.url, "credit2")).status).toBe(404);

    writeConfig(config, credit() + credit("credit2"));
    gw.child.kill("SIGHUP");
    await until(() => gw.stderr().includes("configuration reloaded"));
    expect((await infer(gw.url, "credit2")).status).toBe(200);

    writeFileSync(config, `${(await import("node:fs")).readFileSync(config, "utf8")}\nbogus: 1\n`);
    gw.child.kill("SIGHUP");
    await until(() => gw.stderr().includes("not reloaded"));
    const line = gw
      .stderr()
      .split("\n")
      .find((l) => l.includes("not reloaded"))!;
    expect(line).toMatch(/reload\.yaml:\d+/);
    expect(line).toMatch(/bogus/);
    expect((await infer(gw.url, "credit2")).status).toBe(200);
    expect(gw.child.exitCode).toBe(null);
  }, 60_000);
});
