import { randomBytes } from "node:crypto";
import { RampartError } from "../core/index.js";
import type { Store } from "../store/index.js";
import { type Bundle, type BundleFile, bundleDigest, compileBundle } from "./bundle.js";
import { evaluateBundle, type GateEvaluation, type RuleOutcome } from "./evaluate.js";

export interface RecordedDecision {
  id: string;
  releaseId: string | null;
  bundleDigest: string;
  decision: "allow" | "deny";
  rules: RuleOutcome[];
  evidence: Record<string, unknown>;
  params: Record<string, Record<string, unknown>>;
  evaluatedAt: string;
  actor: string | null;
}

/** Told about every recorded gate decision (the audit ledger subscribes here). */
export type DecisionListener = (decision: RecordedDecision, context: { store: Store }) => Promise<void>;

const listeners: DecisionListener[] = [];

/** Subscribes to recorded decisions; returns an unsubscribe function. */
export function onDecisionRecorded(listener: DecisionListener): () => void {
  listeners.push(listener);
  return () => {
    const i = listeners.indexOf(listener);
    if (i >= 0) listeners.splice(i, 1);
  };
}

/**
 * Stores the decision with the bundle it was made under (the bundle's files are kept once per
 * digest), the exact evidence and the evaluation instant, so that it can be replayed later.
 */
export async function recordDecision(
  store: Store,
  input: {
    bundle: Bundle;
    evaluation: GateEvaluation;
    evidence: Record<string, unknown>;
    params?: Record<string, Record<string, unknown>>;
    evaluatedAt: Date;
    releaseId?: string;
    actor?: string;
  },
): Promise<RecordedDecision> {
  if (input.bundle.digest !== input.evaluation.bundleDigest) throw new RampartError("conflict", "evaluation was made under another bundle");
  const record: RecordedDecision = {
    id: `gd-${input.evaluatedAt.toISOString().replace(/[-:.]/g, "").slice(0, 15)}-${randomBytes(4).toString("hex")}`,
    releaseId: input.releaseId ?? null,
    bundleDigest: input.bundle.digest,
    decision: input.evaluation.decision,
    rules: input.evaluation.rules,
    evidence: JSON.parse(JSON.stringify(input.evidence)),
    params: input.params ?? {},
    evaluatedAt: input.evaluatedAt.toISOString(),
    actor: input.actor ?? null,
  };
  await store.db.transaction().execute(async (trx) => {
    const known = await trx.selectFrom("policy_bundles").select("sha256").where("sha256", "=", record.bundleDigest).executeTakeFirst();
    if (!known) {
      const files = [...input.bundle.files].sort((a, b) => (a.path < b.path ? -1 : 1)).map((f) => ({ path: f.path, text: f.text }));
      await trx
        .insertInto("policy_bundles")
        .values({ sha256: record.bundleDigest, files: JSON.stringify(files), created_at: new Date().toISOString() })
        .onConflict((oc) => oc.column("sha256").doNothing())
        .execute();
    }
    await trx
      .insertInto("gate_decisions")
      .values({
        id: record.id,
        release_id: record.releaseId,
        bundle_sha256: record.bundleDigest,
        decision: record.decision,
        rules: JSON.stringify(record.rules),
        evidence: JSON.stringify(record.evidence),
        params: JSON.stringify(record.params),
        evaluated_at: record.evaluatedAt,
        actor: record.actor,
      })
      .execute();
  });
  for (const listener of listeners) await listener(record, { store });
  return record;
}

export async function getDecision(store: Store, id: string): Promise<RecordedDecision> {
  const row = await store.db.selectFrom("gate_decisions").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new RampartError("not-found", `gate decision ${id}: no such decision in ${store.location}`);
  return {
    id: row.id,
    releaseId: row.release_id,
    bundleDigest: row.bundle_sha256,
    decision: row.decision as "allow" | "deny",
    rules: JSON.parse(row.rules),
    evidence: JSON.parse(row.evidence),
    params: JSON.parse(row.params),
    evaluatedAt: row.evaluated_at,
    actor: row.actor,
  };
}

export async function listDecisions(store: Store, filter: { releaseId?: string } = {}): Promise<Array<Omit<RecordedDecision, "evidence" | "params">>> {
  let q = store.db.selectFrom("gate_decisions").select(["id", "release_id", "bundle_sha256", "decision", "rules", "evaluated_at", "actor"]).orderBy("evaluated_at");
  if (filter.releaseId) q = q.where("release_id", "=", filter.releaseId);
  return (await q.execute()).map((r) => ({
    id: r.id,
    releaseId: r.release_id,
    bundleDigest: r.bundle_sha256,
    decision: r.decision as "allow" | "deny",
    rules: JSON.parse(r.rules),
    evaluatedAt: r.evaluated_at,
    actor: r.actor,
  }));
}

/** The bundle a decision was made under, rebuilt from the stored files and checked against its digest. */
export async function storedBundle(store: Store, digest: string): Promise<Bundle> {
  const row = await store.db.selectFrom("policy_bundles").selectAll().where("sha256", "=", digest).executeTakeFirst();
  if (!row) throw new RampartError("not-found", `policy bundle ${digest}: not in ${store.location}`);
  const files = JSON.parse(row.files) as BundleFile[];
  if (bundleDigest(files) !== digest) throw new RampartError("bad-signature", `policy bundle ${digest}: stored files do not match their digest (tampered store?)`);
  return compileBundle(files, `bundle:${digest.slice(0, 12)}`);
}

export interface Replay {
  original: RecordedDecision;
  replayed: GateEvaluation;
  /** True when every rule has the same outcome and the decision is the same. */
  identical: boolean;
  differences: string[];
}

/** Re-evaluates a stored decision under the bundle, evidence, parameters and instant it used. */
export async function replayDecision(store: Store, id: string): Promise<Replay> {
  const original = await getDecision(store, id);
  const bundle = await storedBundle(store, original.bundleDigest);
  const replayed = evaluateBundle(bundle, original.evidence, { now: new Date(original.evaluatedAt), params: original.params });
  const differences: string[] = [];
  if (replayed.decision !== original.decision) differences.push(`decision: recorded ${original.decision}, replayed ${replayed.decision}`);
  const before = new Map(original.rules.map((r) => [r.id, r.outcome]));
  for (const r of replayed.rules) if (before.get(r.id) !== r.outcome) differences.push(`${r.id}: recorded ${before.get(r.id) ?? "absent"}, replayed ${r.outcome}`);
  for (const id of before.keys()) if (!replayed.rules.some((r) => r.id === id)) differences.push(`${id}: recorded, absent on replay`);
  return { original, replayed, identical: differences.length === 0, differences };
}
