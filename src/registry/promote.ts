import { checkResultOf, type PublicKey, Statement, verifyStatement } from "../attest/index.js";
import { type CheckResult, isRampartError, RampartError } from "../core/index.js";
import {
  type AccessDecision,
  assertValid,
  authorize,
  type Bundle,
  buildEvidence,
  type EvaluateOptions,
  evaluateBundle,
  type GateEvaluation,
  type RecordedDecision,
  recordDecision,
} from "../policy/index.js";
import type { Store } from "../store/index.js";
import { getPrincipal, getRelease, type Release, type Stage } from "./catalog.js";
import { accessEntities } from "./entities.js";
import { documentText, recordRegistryEvent, sha256Text } from "./ledger.js";
import { type ReviewStatus, reviewStatus } from "./reviews.js";

/** Allowed moves; anything else is refused before any policy runs. */
const TRANSITIONS: Record<Stage, Stage[]> = {
  candidate: ["approved", "retired"],
  approved: ["production", "retired"],
  production: ["retired"],
  retired: [],
};

export interface ReleaseEvidence {
  evidence: Record<string, unknown>;
  reviews: ReviewStatus;
  /** Attestations that could not be used (bad signature, unreadable), with the reason. */
  rejectedAttestations: Array<{ envelopeSha256: string; reason: string }>;
}

/**
 * The evidence document of a release: the CheckResults inside its attestations (signature-checked
 * against `trustedKeys` when given), its model and datasets with their tags, and its valid reviews.
 */
export async function releaseEvidence(store: Store, release: Release, options: { targetStage?: Stage; trustedKeys?: readonly PublicKey[] } = {}): Promise<ReleaseEvidence> {
  const rows = release.evidence.length
    ? await store.db
        .selectFrom("attestations")
        .select(["envelope_sha256", "envelope", "check_name", "key_id"])
        .where("envelope_sha256", "in", release.evidence)
        .orderBy("id")
        .execute()
    : [];
  const results: CheckResult[] = [];
  const attestations: Array<{ check: string; keyId: string; envelopeSha256: string; verified: boolean }> = [];
  const rejectedAttestations: ReleaseEvidence["rejectedAttestations"] = [];
  for (const row of rows) {
    const envelope = JSON.parse(row.envelope) as { payload?: string };
    let statement: Statement | undefined;
    let verified = false;
    if (options.trustedKeys?.length) {
      try {
        statement = verifyStatement(envelope, options.trustedKeys, { source: `attestation ${row.envelope_sha256.slice(0, 12)}` }).statement;
        verified = true;
      } catch (e) {
        if (!isRampartError(e)) throw e;
        rejectedAttestations.push({ envelopeSha256: row.envelope_sha256, reason: e.message });
      }
    } else {
      // No trust anchors given: read the statement, and say it is unverified (policies can require verified).
      const parsed = Statement.safeParse(safeJson(Buffer.from(envelope.payload ?? "", "base64").toString("utf8")));
      if (parsed.success) statement = parsed.data;
      else rejectedAttestations.push({ envelopeSha256: row.envelope_sha256, reason: "payload is not an in-toto statement" });
    }
    attestations.push({ check: row.check_name, keyId: row.key_id, envelopeSha256: row.envelope_sha256, verified });
    const result = statement && checkResultOf(statement);
    if (result) results.push(result);
  }
  const reviews = await reviewStatus(store, release);
  const evidence = buildEvidence({
    results,
    release: {
      id: release.id,
      model: release.model,
      digest: release.modelSha256,
      stage: release.stage,
      targetStage: options.targetStage,
      owner: release.owner,
      tags: release.tags,
    },
    approvals: reviews.valid,
    subjects: [
      { name: release.model, digest: { sha256: release.modelSha256 }, kind: "model", tags: release.tags },
      ...release.datasets.map((d) => ({ name: d.name, digest: { sha256: d.sha256 }, kind: "dataset", tags: d.tags })),
    ],
    attestations,
  });
  return { evidence, reviews, rejectedAttestations };
}

export interface GateOutcome {
  evaluation: GateEvaluation;
  recorded: RecordedDecision;
  evidence: ReleaseEvidence;
}

/** Evaluates a bundle over a release's evidence and records the decision. */
export async function gateRelease(
  store: Store,
  releaseId: string,
  options: { bundle: Bundle; targetStage?: Stage; trustedKeys?: readonly PublicKey[]; actor?: string; now?: Date; params?: EvaluateOptions["params"]; ledgerOrigin?: string },
): Promise<GateOutcome> {
  assertValid(options.bundle);
  const release = await getRelease(store, releaseId);
  const targetStage = options.targetStage ?? TRANSITIONS[release.stage][0];
  const evidence = await releaseEvidence(store, release, { targetStage, trustedKeys: options.trustedKeys });
  const now = options.now ?? new Date();
  const evaluation = evaluateBundle(options.bundle, evidence.evidence, { now, params: options.params });
  const recorded = await recordDecision(store, {
    bundle: options.bundle,
    evaluation,
    evidence: evidence.evidence,
    params: options.params,
    evaluatedAt: now,
    releaseId,
    actor: options.actor,
  });
  await recordRegistryEvent(
    store,
    {
      kind: "gate-decision",
      subject: { name: release.model, sha256: release.modelSha256 },
      actor: options.actor,
      data: {
        releaseId,
        releaseDigest: release.digest,
        decisionId: recorded.id,
        decision: recorded.decision,
        targetStage,
        bundleDigest: recorded.bundleDigest,
        denied: evaluation.denied,
        documentSha256: sha256Text(documentText(recorded)),
      },
      eventId: `gate-decision:${recorded.id}`,
    },
    options.ledgerOrigin,
  );
  return { evaluation, recorded, evidence };
}

export interface Promotion {
  releaseId: string;
  from: Stage;
  to: Stage;
  promoted: boolean;
  /** Why not, one line each (gate rules that denied, Cedar policies that forbade, ...). */
  reasons: string[];
  gate: GateOutcome | null;
  access: AccessDecision;
}

/**
 * Moves a release one stage. Gates decide whether *this release* may move (recorded), Cedar decides
 * whether *this actor* may move it (recorded with the policy ids); both must allow.
 */
export async function promote(
  store: Store,
  options: { releaseId: string; to: Stage; actor: string; bundle: Bundle; trustedKeys?: readonly PublicKey[]; now?: Date; ledgerOrigin?: string },
): Promise<Promotion> {
  assertValid(options.bundle);
  const release = await getRelease(store, options.releaseId);
  const from = release.stage;
  if (!TRANSITIONS[from].includes(options.to))
    throw new RampartError("conflict", `release ${release.id} is ${from}; it can move to ${TRANSITIONS[from].join(" or ") || "nothing"}, not ${options.to}`);
  const actor = await getPrincipal(store, options.actor);
  if (!actor) throw new RampartError("not-found", `principal ${options.actor}: not registered (rampart registry principal add)`);
  const gate = options.to === "retired" ? null : await gateRelease(store, release.id, { ...options, targetStage: options.to, actor: options.actor });
  const gatesPassed = gate ? gate.evaluation.decision === "allow" : true;
  const approvals = gate ? gate.evidence.reviews.valid.filter((r) => r.decision === "approve").length : 0;
  const owner = await getPrincipal(store, release.owner);
  const access = authorize(
    {
      principal: { type: actor.kind, id: actor.name },
      action: "promote",
      resource: { type: "Release", id: release.id },
      context: { fromStage: from, targetStage: options.to, gatesPassed, approvals },
      entities: accessEntities(release, [actor, owner]),
    },
    options.bundle.access,
  );
  const reasons: string[] = [];
  if (gate) for (const r of gate.evaluation.rules) if (gate.evaluation.denied.includes(r.id)) reasons.push(`gate ${r.id}: ${r.message ?? r.outcome}`);
  if (access.decision !== "allow")
    reasons.push(
      `access: ${actor.name} may not promote ${release.id} to ${options.to} (${access.policyIds.length ? `forbidden by ${access.policyIds.join(", ")}` : "no policy permits it"})`,
    );
  const promoted = reasons.length === 0;
  await store.exclusive("registry", async (trx) => {
    if (promoted) {
      const now = new Date().toISOString();
      const moved = await trx.updateTable("releases").set({ stage: options.to, updated_at: now }).where("id", "=", release.id).where("stage", "=", from).executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1) throw new RampartError("conflict", `release ${release.id} changed stage while it was being promoted; try again`);
    }
    await trx
      .insertInto("release_events")
      .values({
        release_id: release.id,
        from_stage: from,
        to_stage: promoted ? options.to : from,
        actor: actor.name,
        gate_decision_id: gate?.recorded.id ?? null,
        access: JSON.stringify({ ...access, requested: options.to }),
        created_at: new Date().toISOString(),
      })
      .execute();
  });
  await recordRegistryEvent(
    store,
    {
      kind: "promotion",
      subject: { name: release.model, sha256: release.modelSha256 },
      actor: actor.name,
      data: {
        releaseId: release.id,
        releaseDigest: release.digest,
        from,
        to: options.to,
        promoted,
        reasons,
        gateDecisionId: gate?.recorded.id,
        access: { decision: access.decision, policyIds: access.policyIds },
      },
    },
    options.ledgerOrigin,
  );
  return { releaseId: release.id, from, to: options.to, promoted, reasons, gate, access };
}

export async function releaseEvents(
  store: Store,
  releaseId: string,
): Promise<Array<{ from: string; to: string; actor: string; gateDecisionId: string | null; access: AccessDecision & { requested: string }; at: string }>> {
  const rows = await store.db.selectFrom("release_events").selectAll().where("release_id", "=", releaseId).orderBy("id").execute();
  return rows.map((r) => ({ from: r.from_stage, to: r.to_stage, actor: r.actor, gateDecisionId: r.gate_decision_id, access: JSON.parse(r.access), at: r.created_at }));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
