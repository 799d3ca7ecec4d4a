import { decodeEntry } from "../../src/ledger/entry.js";
import { Ledger, type LedgerEvent } from "../../src/ledger/index.js";
import { openStore } from "../../src/store/index.js";

/** A small note event with a newline inside a string (journal lines must survive it). */
export const noteEvent = (i: number): LedgerEvent => ({ kind: "note", actor: "gateway", eventId: `t-${i}`, data: { i, text: `line\nbreak ${i}` } });

/** The event ids in a ledger database, in ledger order. */
export async function ledgerIds(db: string, origin: string): Promise<string[]> {
  const store = await openStore({ url: db });
  try {
    const ledger = await Ledger.open(store, origin);
    const ids: string[] = [];
    for await (const row of ledger.entries()) ids.push(decodeEntry(row.leafData)!.id!);
    return ids;
  } finally {
    await store.close();
  }
}
