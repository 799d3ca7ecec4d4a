import { execFile, spawn } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { auditLog, Ledger } from "../../src/ledger/index.js";
import { openStore } from "../../src/store/index.js";
import { freshPostgresUrl, STORE_BACKENDS, tempDir } from "../helpers/db.js";

const run = promisify(execFile);
const WORKER = join(process.cwd(), "test", "ledger", "workers", "appender.mjs");
const ORIGIN = "rampart.test/concurrent";

const urlFor = async (backend: string) => (backend === "sqlite" ? join(tempDir(), "ledger.db") : await freshPostgresUrl());

async function eventIds(url: string): Promise<string[]> {
  const store = await openStore({ url });
  try {
    const log = await Ledger.open(store, ORIGIN);
    const rows = await store.db.selectFrom("ledger_entries").select("event_id").where("log_id", "=", log.logId).orderBy("idx").execute();
    return rows.map((r) => r.event_id!);
  } finally {
    await store.close();
  }
}

async function audit(url: string) {
  const store = await openStore({ url });
  try {
    return await auditLog(await Ledger.open(store, ORIGIN));
  } finally {
    await store.close();
  }
}

for (const backend of STORE_BACKENDS) {
  describe.runIf(backend.available)(`concurrent appenders on ${backend.name}`, () => {
    it("four processes appending at once never fork or lose an event", async () => {
      const url = await urlFor(backend.name);
      await (await openStore({ url })).close(); // migrate once before the race
      await Promise.all(["a", "b", "c", "d"].map((w) => run(process.execPath, [WORKER, url, ORIGIN, w, "5", "40"])));
      const ids = await eventIds(url);
      expect(ids).toHaveLength(4 * 5 * 40);
      expect(new Set(ids).size).toBe(ids.length);
      const a = await audit(url);
      expect(a.problems).toEqual([]);
      expect(a.size).toBe(800);
    }, 60_000);

    it("a process killed mid-batch leaves whole batches only, and a retry completes the log exactly once", async () => {
      const url = await urlFor(backend.name);
      await (await openStore({ url })).close();
      const child = spawn(process.execPath, [WORKER, url, ORIGIN, "k", "200", "300"], { stdio: ["ignore", "pipe", "inherit"] });
      await new Promise<void>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (d) => {
          out += d;
          // After the second commit the third batch is in flight: kill without warning.
          if (out.includes("committed 2\n")) {
            child.kill("SIGKILL");
            resolve();
          }
        });
        child.on("exit", () => resolve());
        child.on("error", reject);
      });
      await new Promise((r) => child.on("close", r));
      const before = await eventIds(url);
      expect(before.length % 300).toBe(0);
      expect(before.length).toBeGreaterThanOrEqual(600);
      expect(before.length).toBeLessThan(200 * 300);
      expect((await audit(url)).problems).toEqual([]);
      // The retry (same event ids) appends only what is missing.
      await run(process.execPath, [WORKER, url, ORIGIN, "k", "6", "300"]);
      const after = await eventIds(url);
      expect(after).toHaveLength(Math.max(before.length, 1800));
      expect(new Set(after).size).toBe(after.length);
      expect((await audit(url)).problems).toEqual([]);
    }, 60_000);
  });
}
