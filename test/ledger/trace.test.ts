import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/db.js";

// The compiled build (made by the global setup), in a child process: the trace switch is read from the
// environment when each thread loads the module.
const DIST = resolve(import.meta.dirname, "../../dist/ledger/index.js");

function lines(dir: string, thread: string): string[][] {
  return readdirSync(dir)
    .filter((f) => f.startsWith(`${thread}-`) && f.endsWith(".tsv"))
    .flatMap((f) => readFileSync(join(dir, f), "utf8").split("\n").filter(Boolean))
    .map((l) => l.split("\t"));
}

describe("audit path timing traces (RAMPART_AUDIT_TRACE)", () => {
  it("each thread logs its events with times and counts that add up; nothing is written when off", () => {
    const work = tempDir();
    const script = `
      const { JournalThread } = await import(${JSON.stringify(DIST)});
      const j = await JournalThread.open(${JSON.stringify(join(work, "journal"))}, { ledger: { url: ${JSON.stringify(join(work, "ledger.db"))}, origin: "rampart.local/trace" } });
      for (let i = 0; i < 30; i++) {
        // Two events per turn, then the next turn.
        await Promise.all([0, 1].map((k) => j.append({ kind: "note", actor: "t", eventId: "e-" + i + "-" + k, data: { i } })));
      }
      await j.drain();
      await j.close();
    `;
    const traced = tempDir();
    writeFileSync(join(work, "run.mjs"), script);
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, [join(work, "run.mjs")], { cwd: work, env: { ...process.env, ...env }, encoding: "utf8", timeout: 60_000 });
    const on = run({ RAMPART_AUDIT_TRACE: traced });
    expect(on.status, on.stderr).toBe(0);
    const serve = lines(traced, "serve");
    const journal = lines(traced, "journal");
    const ledger = lines(traced, "ledger");
    const sum = (rows: string[][], kind: string) => rows.filter((r) => r[0] === kind).reduce((a, r) => a + Number(r[3]), 0);
    // Every event acknowledged to the serving thread, written in a group, and appended to the ledger once.
    expect(sum(serve, "ack")).toBe(60);
    expect(sum(journal, "group")).toBe(60);
    expect(sum(ledger, "append")).toBe(60);
    expect(journal.filter((r) => r[0] === "fdatasync").length).toBe(journal.filter((r) => r[0] === "group").length);
    // The ledger thread synced its files at the drain's durable point (the flag crossed both threads), not per append.
    const syncs = ledger.filter((r) => r[0] === "ledger-sync").length;
    expect(syncs).toBeGreaterThanOrEqual(1);
    expect(syncs).toBeLessThanOrEqual(2);
    // Times are epoch milliseconds and durations are not negative.
    for (const r of [...serve, ...journal, ...ledger]) {
      expect(Math.abs(Number(r[1]) - Date.now())).toBeLessThan(120_000);
      expect(Number(r[2])).toBeGreaterThanOrEqual(0);
    }
    // Off: no trace files anywhere in the working directory.
    const before = readdirSync(work).sort();
    const off = run({ RAMPART_AUDIT_TRACE: "" });
    expect(off.status, off.stderr).toBe(0);
    expect(readdirSync(work).sort()).toEqual(before);
  });

  it("with sync: dsync the journal thread syncs by its O_DSYNC writes: one dsync-write per group, no fdatasync", () => {
    const work = tempDir();
    const traced = tempDir();
    writeFileSync(
      join(work, "run.mjs"),
      `
      const { JournalThread } = await import(${JSON.stringify(DIST)});
      const j = await JournalThread.open(${JSON.stringify(join(work, "journal"))}, { sync: "dsync", ledger: { url: ${JSON.stringify(join(work, "ledger.db"))}, origin: "rampart.local/trace" } });
      for (let i = 0; i < 20; i++) await j.append({ kind: "note", actor: "t", eventId: "e-" + i, data: { i } });
      await j.drain();
      await j.close();
    `,
    );
    const run = spawnSync(process.execPath, [join(work, "run.mjs")], { cwd: work, env: { ...process.env, RAMPART_AUDIT_TRACE: traced }, encoding: "utf8", timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    const journal = lines(traced, "journal");
    const groups = journal.filter((r) => r[0] === "group").length;
    expect(journal.filter((r) => r[0] === "group").reduce((a, r) => a + Number(r[3]), 0)).toBe(20);
    // The option crossed to the worker: every group was synced by its write, none by fdatasync.
    expect(journal.filter((r) => r[0] === "dsync-write").length).toBe(groups);
    expect(journal.filter((r) => r[0] === "fdatasync").length).toBe(0);
    expect(
      lines(traced, "ledger")
        .filter((r) => r[0] === "append")
        .reduce((a, r) => a + Number(r[3]), 0),
    ).toBe(20);
  });
});
