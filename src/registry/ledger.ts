/**
 * The registry's entries on the audit ledger: releases, signed reviews, gate decisions and
 * promotions are appended when they happen, so `rampart ledger export RELEASE` can prove them.
 */
import { createHash } from "node:crypto";
import { canonicalJson, Ledger, type LedgerEvent, originFor } from "../ledger/index.js";
import type { Store } from "../store/index.js";

/** Where registry events go when the caller names no log: the store's only log, else a registry log. */
export async function registryOrigin(store: Store, origin?: string): Promise<string> {
  if (origin) return origin;
  const logs = await Ledger.list(store);
  return logs.length === 1 ? logs[0]!.origin : originFor("registry");
}

export async function recordRegistryEvent(store: Store, event: LedgerEvent, origin?: string): Promise<void> {
  const log = await Ledger.open(store, await registryOrigin(store, origin));
  await log.append([event]);
}

/** The bytes a document (gate decision) is exported as, and the digest the ledger keeps of them. */
export function documentText(doc: unknown): string {
  return `${canonicalJson(doc)}\n`;
}

export function sha256Text(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
