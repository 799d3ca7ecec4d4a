/**
 * Dataset access through Rampart: every read or export asks the one Cedar authoriser (default deny,
 * forbid beats permit) about a registered dataset, and every decision, allowed or refused, is
 * recorded with who, what, when, purpose and the deciding policy ids in the audit store and on the
 * ledger. The bytes on disk must still be the registered version, or the access is refused.
 */
import { copyFile, cp, lstat, mkdir, rm } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { RampartError, subjectOf } from "../core/index.js";
import { Ledger, originFor } from "../ledger/index.js";
import { type AccessDecision, type AccessPolicies, authorize, type Entity } from "../policy/index.js";
import { type DatasetRef, getPrincipal, latestDataset } from "../registry/index.js";
import type { Store } from "../store/index.js";

export type DatasetAction = "read-dataset" | "export-dataset";

export interface DatasetAccessRequest {
  /** Registered dataset name (rampart registry dataset). */
  dataset: string;
  /** Where its bytes are: a file or folder, checked against the registered digest. */
  path: string;
  /** A registered principal. */
  principal: string;
  action: DatasetAction;
  purpose?: string;
  /** For exports: where the copy goes. */
  destination?: string;
  policies: AccessPolicies;
  /** Ledger log for the access events (default: the store's only log, else rampart.local/data). */
  ledgerOrigin?: string;
}

export interface DatasetAccess {
  decision: "allow" | "deny";
  policyIds: string[];
  /** Why it was refused, one line (no permitting policy, forbidden by ..., digest mismatch, ...). */
  reason?: string;
  dataset?: DatasetRef;
  path: string;
  /** Ledger entry the access was recorded as. */
  ledgerIndex: number;
  at: string;
}

/**
 * Decides and records one access; never throws for a refusal (see openDataset for that). Unknown
 * datasets and principals are refused by default, and recorded like any other refusal.
 */
export async function checkDatasetAccess(store: Store, req: DatasetAccessRequest): Promise<DatasetAccess> {
  const at = new Date().toISOString();
  const dataset = await latestDataset(store, req.dataset);
  const principal = await getPrincipal(store, req.principal);
  let access: AccessDecision = { decision: "deny", policyIds: [], errors: [] };
  let reason: string | undefined;
  if (!dataset) reason = `dataset ${req.dataset} is not registered`;
  else if (!principal) reason = `principal ${req.principal} is not registered`;
  else {
    const entities: Entity[] = [
      { uid: { type: "Dataset", id: dataset.name }, attrs: { tags: dataset.tags, ...classification(dataset.tags) } },
      {
        uid: { type: principal.kind, id: principal.name },
        attrs: principal.team ? { team: principal.team } : {},
        parents: principal.roles.map((r) => ({ type: "Role" as const, id: r })),
      },
    ];
    const context: Record<string, string> = {};
    if (req.purpose?.trim()) context.purpose = req.purpose.trim();
    if (req.destination) context.destination = req.destination;
    access = authorize(
      { principal: { type: principal.kind, id: principal.name }, action: req.action, resource: { type: "Dataset", id: dataset.name }, context, entities },
      req.policies,
    );
    if (access.decision !== "allow")
      reason = access.policyIds.length
        ? `forbidden by ${access.policyIds.join(", ")}`
        : `no policy permits ${req.principal} to ${req.action.replace("-dataset", "")} ${req.dataset}`;
    else {
      // Allowed by policy: the bytes must still be the version that was registered (and tagged).
      const actual = (await subjectOf(req.path)).digest.sha256;
      if (actual !== dataset.sha256) {
        access = { decision: "deny", policyIds: access.policyIds, errors: [] };
        reason = `${req.path}: sha256 ${actual.slice(0, 16)}… is not the registered ${dataset.name}@${dataset.sha256.slice(0, 16)}… (tampered or another version)`;
      }
    }
  }
  const purpose = req.purpose?.trim() || null;
  const log = await Ledger.open(store, await originOf(store, req.ledgerOrigin));
  const [entry] = await log.append([
    {
      kind: "data-access",
      ...(dataset ? { subject: { name: dataset.name, sha256: dataset.sha256 } } : {}),
      actor: req.principal,
      data: {
        action: req.action,
        dataset: req.dataset,
        purpose,
        destination: req.destination ?? null,
        decision: access.decision,
        policyIds: access.policyIds,
        reason: reason ?? null,
      },
      time: at,
    },
  ]);
  await store.db
    .insertInto("data_access_log")
    .values({
      at,
      principal: req.principal,
      action: req.action,
      dataset: req.dataset,
      dataset_sha256: dataset?.sha256 ?? null,
      purpose,
      destination: req.destination ?? null,
      decision: access.decision,
      policy_ids: JSON.stringify(access.policyIds),
      reason: reason ?? null,
      ledger_index: entry!.index,
    })
    .execute();
  return { decision: access.decision, policyIds: access.policyIds, reason, dataset, path: req.path, ledgerIndex: entry!.index, at };
}

/** The library entry point other code reads datasets through: returns the checked path or throws "forbidden". */
export async function openDataset(store: Store, req: Omit<DatasetAccessRequest, "action"> & { action?: DatasetAction }): Promise<DatasetAccess> {
  const access = await checkDatasetAccess(store, { ...req, action: req.action ?? "read-dataset" });
  if (access.decision !== "allow")
    throw new RampartError("forbidden", `${req.principal} may not ${(req.action ?? "read-dataset").replace("-dataset", "")} ${req.dataset}: ${access.reason} (refusal recorded)`);
  return access;
}

/** Exports a dataset copy after the access check; nothing is written when refused. */
export async function exportDataset(store: Store, req: Omit<DatasetAccessRequest, "action" | "destination"> & { to: string }): Promise<DatasetAccess> {
  const access = await openDataset(store, { ...req, action: "export-dataset", destination: resolve(req.to) });
  const tmp = `${req.to}.rampart-tmp`;
  await mkdir(dirname(resolve(req.to)), { recursive: true });
  try {
    if ((await lstat(req.path)).isDirectory()) await cp(req.path, tmp, { recursive: true });
    else await copyFile(req.path, tmp);
    // The copy itself must be the registered version (the source could change after the check).
    const copied = (await subjectOf(tmp)).digest.sha256;
    if (copied !== access.dataset!.sha256) throw new RampartError("conflict", `${req.path}: changed while it was being exported; nothing was written`);
    await rm(req.to, { recursive: true, force: true });
    await cp(tmp, req.to, { recursive: true });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return access;
}

/** Past accesses of a dataset (or all), newest first. */
export async function datasetAccessLog(
  store: Store,
  dataset?: string,
): Promise<Array<Omit<DatasetAccess, "dataset" | "path"> & { principal: string; action: string; dataset: string; purpose: string | null }>> {
  let q = store.db.selectFrom("data_access_log").selectAll().orderBy("id", "desc");
  if (dataset) q = q.where("dataset", "=", dataset);
  return (await q.execute()).map((r) => ({
    at: r.at,
    principal: r.principal,
    action: r.action,
    dataset: r.dataset,
    purpose: r.purpose,
    decision: r.decision as "allow" | "deny",
    policyIds: JSON.parse(r.policy_ids),
    reason: r.reason ?? undefined,
    ledgerIndex: Number(r.ledger_index),
  }));
}

/** Cedar's classification attribute, from a `classification:<level>` tag when the registry has one. */
function classification(tags: readonly string[]): { classification?: string } {
  const t = tags.find((x) => x.startsWith("classification:"));
  return t ? { classification: t.slice("classification:".length) } : {};
}

async function originOf(store: Store, origin?: string): Promise<string> {
  if (origin) return origin;
  const logs = await Ledger.list(store);
  return logs.length === 1 ? logs[0]!.origin : originFor("data");
}
