import { appendFileSync, existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeEntry } from "../../src/ledger/entry.js";
import { auditLog, foldJournal, Journal, Ledger, type LedgerEvent, ledgerJournalSink } from "../../src/ledger/index.js";
import { openStore } from "../../src/store/index.js";
import { tempDir } from "../helpers/db.js";

const event = (w: number, i: number): LedgerEvent => ({ kind: "note", actor: `worker-${w}`, eventId: `w${w}-${i}`, data: { i, text: `line\nbreak ${i}` } });

/** A journal directory left by a writer whose ledger never took anything (a cluster worker that died). */
async function leftJournal(dir: string, w: number, n: number): Promise<void> {
  const journal = await Journal.open(dir, {
    segmentBytes: 8 << 10,
    flushIntervalMs: 60_000,
    sink: async () => {
      throw new Error("the primary is gone");
    },
  });
  for (let i = 0; i < n; i += 10) await Promise.all(Array.from({ length: Math.min(10, n - i) }, (_, k) => journal.append(event(w, i + k))));
  await journal.close({ drainMs: 50 });
}

async function ledgerIds(ledger: Ledger): Promise<string[]> {
  const ids: string[] = [];
  for await (const row of ledger.entries()) ids.push(decodeEntry(row.leafData)!.id!);
  return ids;
}

describe("folding a journal no process writes into the ledger", () => {
  it("hands every event over once, in journal order, across segments and a torn tail; the tree verifies; a second fold finds nothing", async () => {
    const root = tempDir();
    const dirs = [join(root, "workers", "1"), join(root, "workers", "2")];
    await leftJournal(dirs[0]!, 1, 120);
    await leftJournal(dirs[1]!, 2, 80);
    // At least two segments (how many depends on the journal's timestamps and rotation timing): the fold crosses one boundary.
    expect(readdirSync(dirs[0]!).filter((f) => f.endsWith(".journal")).length).toBeGreaterThanOrEqual(2);
    // A line the dead writer was in the middle of: never acknowledged, cut.
    const last = readdirSync(dirs[1]!)
      .filter((f) => f.endsWith(".journal"))
      .sort()
      .at(-1)!;
    appendFileSync(join(dirs[1]!, last), '0badc0de\t{"kind":"note","eventId":"torn"');

    const store = await openStore({ url: join(root, "ledger.db") });
    const sink = ledgerJournalSink(store, "rampart.local/fold");
    const toLedger = (jsons: string[], durable: boolean) =>
      sink(
        jsons.map((j) => JSON.parse(j) as LedgerEvent),
        durable,
      );
    expect(await foldJournal(dirs[0]!, toLedger, 50)).toBe(120);
    expect(await foldJournal(dirs[1]!, toLedger, 50)).toBe(80);
    const ledger = await Ledger.open(store, "rampart.local/fold");
    const expected = [...Array.from({ length: 120 }, (_, i) => `w1-${i}`), ...Array.from({ length: 80 }, (_, i) => `w2-${i}`)];
    expect(await ledgerIds(ledger)).toEqual(expected);
    const audit = await auditLog(ledger);
    expect(audit.problems).toEqual([]);
    expect(audit.size).toBe(200);

    // The cursor is at the end and the folded segments are gone: nothing twice, and a writer reopening
    // the directory has nothing to replay.
    expect(await foldJournal(dirs[0]!, toLedger)).toBe(0);
    expect(readdirSync(dirs[0]!).filter((f) => f.endsWith(".journal")).length).toBe(1);
    expect(JSON.parse(readFileSync(join(dirs[0]!, "cursor.json"), "utf8")).offset).toBeGreaterThan(0);
    const reopened = await Journal.open(dirs[1]!, { sink: async () => {} });
    expect(reopened.pending).toBe(0);
    await reopened.close();
    expect(await foldJournal(join(root, "workers", "9"), toLedger)).toBe(0);
    await store.close();
  });

  it("a fold that fails before its durable point leaves the cursor; the next fold repeats it and the ledger keeps each event once", async () => {
    const root = tempDir();
    const dir = join(root, "workers", "1");
    await leftJournal(dir, 1, 60);
    const store = await openStore({ url: join(root, "ledger.db") });
    const sink = ledgerJournalSink(store, "rampart.local/fold-again");
    // The writer's ledger never took anything: no cursor yet.
    expect(existsSync(join(dir, "cursor.json"))).toBe(false);
    // The ledger takes the events, then the process dies before the durable point (no cursor move).
    await expect(
      foldJournal(dir, async (jsons, durable) => {
        if (durable) throw new Error("power cut");
        await sink(
          jsons.map((j) => JSON.parse(j) as LedgerEvent),
          false,
        );
      }),
    ).rejects.toThrow(/power cut/);
    expect(existsSync(join(dir, "cursor.json"))).toBe(false);
    expect(
      await foldJournal(dir, (jsons, durable) =>
        sink(
          jsons.map((j) => JSON.parse(j) as LedgerEvent),
          durable,
        ),
      ),
    ).toBe(60);
    const ids = await ledgerIds(await Ledger.open(store, "rampart.local/fold-again"));
    expect(ids).toEqual(Array.from({ length: 60 }, (_, i) => `w1-${i}`));
    await store.close();
  });
});
