import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeEntry, type LedgerEvent } from "../../src/ledger/entry.js";
import { auditLog, checkedPrepared, Journal, Ledger, ledgerJournalSink, preparedLeafAt, preparedLine, splitPrepared } from "../../src/ledger/index.js";
import { openStore } from "../../src/store/index.js";
import { tempDir } from "../helpers/db.js";

const ORIGIN = "rampart.local/leaf-test";
/** The append time of an event without its own. */
const T = "2026-11-27T05:30:00.000Z";
const sha = fc.stringMatching(/^[0-9a-f]{64}$/);
// JSON data of every shape, including keys that look like the leaf's own ("index", "origin") and text with tabs and newlines.
const json = fc.jsonValue({ maxDepth: 3 });
const events = fc.record(
  {
    kind: fc.constantFrom("gateway.decision", "note", "x.team-a.thing"),
    subject: fc.record({ name: fc.string({ minLength: 1, maxLength: 30 }), sha256: sha }),
    actor: fc.string({ minLength: 1, maxLength: 40 }),
    data: fc.dictionary(fc.constantFrom("index", "origin", "kind", "a", "zz", "é", "\t", "id"), json, { maxKeys: 5 }),
    eventId: fc.string({ minLength: 1, maxLength: 60 }).filter((s) => !/[\u0000-\u001f]/.test(s)),
    time: fc.constantFrom("2026-11-27T05:00:00.000Z", "2026-01-02T03:04:05+02:00"),
  },
  { requiredKeys: ["kind", "eventId"] },
);

const gatewayEvent = (i: number): LedgerEvent => ({
  kind: "gateway.decision",
  eventId: `gateway:${i}`,
  actor: "bench",
  time: "2026-11-27T05:00:00.000Z",
  subject: { name: "credit", sha256: "ab".repeat(32) },
  data: { decision: "allow", status: 200, reason: "ok", policies: ["bench"], n: i, text: "tab\there\nnewline" },
});

describe("leaves prepared by the event's producer", () => {
  it("give, at any index, exactly the leaf the ledger encodes from the event", () => {
    fc.assert(
      fc.property(events, fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (e, index) => {
        const line = preparedLine(ORIGIN, e as LedgerEvent, T)!;
        expect(line).not.toMatch(/\n/);
        const p = splitPrepared(line)!;
        expect(p.eventId).toBe(e.eventId);
        expect(p.kind).toBe(e.kind);
        expect(p.subjectSha256).toBe(e.subject?.sha256);
        expect(preparedLeafAt(p, ORIGIN, index)).toBe(encodeEntry(ORIGIN, index, e as LedgerEvent, T));
        expect(checkedPrepared(line)).toEqual(p);
      }),
      { numRuns: 300 },
    );
  });

  it("are not made for events without a usable id, are refused over the size limit, and check their log's origin", () => {
    expect(preparedLine(ORIGIN, { kind: "note" })).toBeUndefined();
    expect(preparedLine(ORIGIN, { kind: "note", eventId: "a\nb" })).toBeUndefined();
    expect(() => preparedLine(ORIGIN, { kind: "Not A Kind" })).toThrow(/kind/);
    expect(() => preparedLine(ORIGIN, { kind: "note", eventId: "big", data: { x: "y".repeat(70_000) } })).toThrow(/limit is 65535/);
    const p = splitPrepared(preparedLine(ORIGIN, gatewayEvent(1))!)!;
    expect(() => preparedLeafAt(p, "rampart.local/other", 0)).toThrow(/prepared for another log/);
  });

  it("read back from a file are refused unless they are a valid event's canonical leaf with matching fields", () => {
    const line = preparedLine(ORIGIN, gatewayEvent(1))!;
    const [, head, tail, kind, digest, id] = line.split("\t");
    const variants = [
      // keys out of canonical order
      `L\t${head!.replace('{"actor":"bench",', "{")}\t${tail!.replace(',"v":1}', ',"v":1,"actor":"bench"}')}\t${kind}\t${digest}\t${id}`,
      // an extra key in the leaf
      `L\t${head}\t${tail!.replace(',"v":1}', ',"v":1,"x":1}')}\t${kind}\t${digest}\t${id}`,
      // repeated fields that do not match the leaf
      `L\t${head}\t${tail}\tnote\t${digest}\t${id}`,
      `L\t${head}\t${tail}\t${kind}\t\t${id}`,
      `L\t${head}\t${tail}\t${kind}\t${digest}\tgateway:2`,
      // not split at the index, or not JSON
      `L\t${head!.slice(0, -1)}\t${tail}\t${kind}\t${digest}\t${id}`,
      `L\t${head}\t,{\t${kind}\t${digest}\t${id}`,
      `L\t${head}\t${tail}\t${kind}`,
    ];
    expect(checkedPrepared(line)).toBeDefined();
    for (const v of variants) expect(checkedPrepared(v), v).toBeUndefined();
  });

  it("enter the ledger with the same leaves, root and duplicate handling as the events themselves, and the log verifies", async () => {
    const plain = await openStore({ url: join(tempDir(), "plain.db") });
    const prepared = await openStore({ url: join(tempDir(), "prepared.db") });
    const a = await Ledger.open(plain, ORIGIN);
    const b = await Ledger.open(prepared, ORIGIN);
    const evs = Array.from({ length: 40 }, (_, i) => gatewayEvent(i));
    await a.append(evs.slice(0, 25));
    await a.append(evs.slice(20));
    // Mixed: prepared leaves and a plain event in one batch; 20..24 are repeats, dropped by event id.
    const items = evs.map((e) => splitPrepared(preparedLine(ORIGIN, e)!)!);
    await b.append(items.slice(0, 25));
    const second = await b.append([...items.slice(20, 39), evs[39]!]);
    expect(second.filter((x) => x.duplicate).map((x) => x.index)).toEqual([20, 21, 22, 23, 24]);
    expect(await b.state()).toEqual(await a.state());
    for (let i = 0; i < 40; i++) expect((await b.entry(i))!.leafData).toBe((await a.entry(i))!.leafData);
    expect((await b.entryByEventId("gateway:7"))!.index).toBe(7);
    expect((await b.entriesForSubject("ab".repeat(32))).length).toBe(40);
    expect((await auditLog(b)).ok).toBe(true);
    await plain.close();
    await prepared.close();
  });

  it("in a journal replay after a crash, exactly once, with plain lines beside them; a non-canonical one is cut like a torn line", async () => {
    const dir = tempDir();
    const store = await openStore({ url: join(tempDir(), "rampart.db") });
    const ledger = await Ledger.open(store, ORIGIN);
    const real = ledgerJournalSink(store, ORIGIN);
    let calls = 0;
    const first = await Journal.open(dir, {
      batchSize: 16,
      flushIntervalMs: 5,
      sink: async (items) => {
        calls++;
        await real(items);
        if (calls >= 2) throw new Error("process died here");
      },
    });
    // Each group: prepared lines and one plain event line, as a cluster primary and its own events write them.
    for (let g = 0; g < 6; g++)
      first.writeGroupSync([...Array.from({ length: 9 }, (_, i) => preparedLine(ORIGIN, gatewayEvent(g * 10 + i))!), JSON.stringify(gatewayEvent(g * 10 + 9))]);
    await new Promise((r) => setTimeout(r, 100));
    // Abandoned (kill -9): reopened from the files, the rest replays.
    const second = await Journal.open(dir, { batchSize: 16, flushIntervalMs: 5, sink: real });
    expect(second.pending).toBeGreaterThan(0);
    await second.drain();
    const ids: string[] = [];
    for await (const row of ledger.entries()) ids.push(JSON.parse(row.leafData).id);
    expect(ids).toEqual(Array.from({ length: 60 }, (_, i) => `gateway:${i}`));
    for (let i = 0; i < 60; i++) expect((await ledger.entry(i))!.leafData).toBe(encodeEntry(ORIGIN, i, gatewayEvent(i), "unused"));
    expect((await auditLog(ledger)).ok).toBe(true);
    await second.close();

    // A prepared line with a right checksum but a leaf that is not canonical is cut on open like a torn line: it never enters the ledger.
    const dir2 = tempDir();
    const bad = preparedLine(ORIGIN, gatewayEvent(1000))!.replace('"actor":"bench",', "").replace(',"v":1}', ',"v":1,"actor":"bench"}');
    const good = preparedLine(ORIGIN, gatewayEvent(1001))!;
    const line = (t: string) => `${crc32(t).toString(16).padStart(8, "0")}\t${t}\n`;
    writeFileSync(join(dir2, "000001.journal"), line(good) + line(bad));
    const k = await Journal.open(dir2, { preallocate: false, flushIntervalMs: 5, sink: real });
    expect(k.pending).toBe(1);
    await k.drain();
    await k.close();
    expect(readFileSync(join(dir2, "000001.journal"), "utf8")).toBe(line(good));
    expect((await ledger.entryByEventId("gateway:1001"))!.index).toBe(60);
    expect(await ledger.entryByEventId("gateway:1000")).toBeUndefined();
    await store.close();
  });
});
