/**
 * The primary's share of one audited request, without the network: what its ledger thread does per
 * event for a journal line that holds the event's JSON (parse, schema check, canonical JSON, hash,
 * insert) against one that holds a leaf the worker prepared (split, splice the index, hash, insert),
 * and what its main thread pays to receive one worker turn as objects (session 13's message) against
 * the same turn as one text message. CPU µs per event (process.cpuUsage), the two forms alternating in
 * one process for LEDGER_ROUNDS rounds (default 6); the worker-side cost of preparing a leaf is given
 * beside JSON.stringify of the event.
 *   npx tsx bench/ledger-prepared.ts
 */
import { fork } from "node:child_process";
import { join } from "node:path";
import { journalLine, Ledger, type LedgerEvent, preparedLine } from "../src/ledger/index.js";
import { journalItem } from "../src/ledger/journal.js";
import { openStore } from "../src/store/index.js";
import { scratchDir, table } from "./util.js";

const ORIGIN = "rampart.local/bench";
/** A decision as the bench gateway audits it (API key, Cedar, one row). */
const event = (i: number): LedgerEvent => ({
  kind: "gateway.decision",
  eventId: `gateway:0193a5c4-7e2f-7000-8000-${String(i).padStart(12, "0")}`,
  actor: "bench",
  time: new Date(1_795_000_000_000 + i).toISOString(),
  subject: { name: "credit", sha256: "3f".repeat(32) },
  data: { model: "credit", action: "infer", decision: "allow", status: 200, reason: "ok", policies: ["bench"], details: { via: "api-key" } },
});

const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

async function ledgerRound(dir: string, form: "json" | "prepared", round: number, batches: number, batch: number): Promise<number> {
  const store = await openStore({ url: join(dir, `${form}-${round}.db`) });
  store.sqlite?.pragma("synchronous = NORMAL");
  const ledger = await Ledger.open(store, ORIGIN);
  // The lines as they reach the ledger thread: one "\n"-joined string per batch.
  const texts: string[] = [];
  for (let b = 0; b < batches; b++) {
    const lines: string[] = [];
    for (let i = 0; i < batch; i++) {
      const e = event(b * batch + i);
      lines.push(form === "json" ? journalLine(e) : preparedLine(ORIGIN, e)!);
    }
    texts.push(lines.join("\n"));
  }
  const t0 = cpuUs();
  for (const text of texts) await ledger.append(text.split("\n").map(journalItem));
  const us = (cpuUs() - t0) / (batches * batch);
  await store.close();
  return us;
}

/** The worker's cost per event: its old journal line against a prepared leaf. */
function workerCost(form: "json" | "prepared", n: number): number {
  const t0 = cpuUs();
  let bytes = 0;
  for (let i = 0; i < n; i++) bytes += (form === "json" ? journalLine(event(i)) : preparedLine(ORIGIN, event(i))!).length;
  if (bytes === 0) throw new Error("no output");
  return (cpuUs() - t0) / n;
}

/** The primary's main-thread CPU µs per event to receive `turns` worker turns of `batch` events each. */
async function ipcCost(form: "objects" | "text", turns: number, batch: number): Promise<number> {
  const child = fork(import.meta.filename, ["--send", form, String(turns), String(batch)], { serialization: "advanced", execArgv: ["--import", "tsx"] });
  let got = 0;
  let t0 = 0;
  await new Promise<void>((resolve) => {
    child.on("message", (m: unknown) => {
      if (m === "start") {
        t0 = cpuUs();
        child.send("go");
        return;
      }
      // What the primary does with a turn before its journal: find the lines (objects) or the block (text).
      if (typeof m === "string") {
        const nl = m.indexOf("\n");
        if (Number(m.slice(0, nl)) >= 0) got += batch;
      } else for (const c of (m as { c: Array<[number, string, string[]]> }).c) got += c[2].length;
      if (got === turns * batch) resolve();
    });
  });
  const us = (cpuUs() - t0) / (turns * batch);
  child.kill();
  return us;
}

async function sender(form: string, turns: number, batch: number): Promise<void> {
  const lines = Array.from({ length: batch }, (_, i) => (form === "text" ? preparedLine(ORIGIN, event(i))! : journalLine(event(i))));
  await new Promise<void>((resolve) => {
    process.once("message", () => resolve());
    process.send!("start");
  });
  for (let t = 0; t < turns; t++) {
    if (form === "text") process.send!(`${t + 1}\n${lines.join("\n")}`);
    else process.send!({ t: "calls", c: [[t + 1, "audit", lines]] });
    // One turn at a time, as a worker sends them.
    if (t % 64 === 63) await new Promise((r) => setImmediate(r));
  }
}

if (process.argv[2] === "--send") await sender(process.argv[3]!, Number(process.argv[4]), Number(process.argv[5]));
else {
  const { dir, cleanup } = scratchDir("ledger-prepared");
  const rounds = Number(process.env.LEDGER_ROUNDS ?? 6);
  const rows: Array<Array<string | number>> = [];
  const ledgerUs = { json: [] as number[], prepared: [] as number[] };
  const ipcUs = { objects: [] as number[], text: [] as number[] };
  const workerUs = { json: [] as number[], prepared: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    const forms = r % 2 === 0 ? (["json", "prepared"] as const) : (["prepared", "json"] as const);
    for (const f of forms) ledgerUs[f].push(await ledgerRound(dir, f, r, 40, 64));
    for (const f of forms) workerUs[f].push(workerCost(f, 5_000));
    for (const f of r % 2 === 0 ? (["objects", "text"] as const) : (["text", "objects"] as const)) ipcUs[f].push(await ipcCost(f, 2_000, 16));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const fmt = (xs: number[]) => `${median(xs).toFixed(2)} (${xs.map((x) => x.toFixed(1)).join(" / ")})`;
  rows.push(["ledger thread: append per event (batches of 64)", fmt(ledgerUs.json), fmt(ledgerUs.prepared)]);
  rows.push(["primary main thread: receive per event (turns of 16)", fmt(ipcUs.objects), fmt(ipcUs.text)]);
  rows.push(["worker: journal line per event", fmt(workerUs.json), fmt(workerUs.prepared)]);
  table(["CPU µs per event, median (rounds)", "session 13 (event JSON, objects)", "prepared leaf, text"], rows);
  cleanup();
}
