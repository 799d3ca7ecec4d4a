/**
 * What other capabilities call to put events on the record: data access, training runs, approvals,
 * deployment decisions, and (through the pipeline sink) every stored attestation.
 */
import type { AttestationRecord, Store } from "../store/index.js";
import type { LedgerEvent } from "./entry.js";
import { type AppendedEntry, Ledger, originFor } from "./log.js";

type Subject = { name: string; sha256: string };

/** Appends one event to a project's ledger (origin derived from the project name unless given). */
export async function recordEvent(store: Store, project: string, event: LedgerEvent, origin = originFor(project)): Promise<AppendedEntry> {
  const [appended] = await (await Ledger.open(store, origin)).append([event]);
  return appended!;
}

export function recordDataAccess(store: Store, project: string, e: { dataset: Subject; actor: string; purpose: string; rows?: number; columns?: string[]; eventId?: string }) {
  return recordEvent(store, project, {
    kind: "data-access",
    subject: e.dataset,
    actor: e.actor,
    data: { purpose: e.purpose, rows: e.rows, columns: e.columns },
    eventId: e.eventId,
  });
}

export function recordTrainingRun(
  store: Store,
  project: string,
  e: { model: Subject; actor: string; datasets: Subject[]; parameters?: Record<string, unknown>; runId?: string; eventId?: string },
) {
  return recordEvent(store, project, {
    kind: "training-run",
    subject: e.model,
    actor: e.actor,
    data: { datasets: e.datasets, parameters: e.parameters, runId: e.runId },
    eventId: e.eventId ?? (e.runId ? `training-run:${e.runId}` : undefined),
  });
}

export function recordApproval(
  store: Store,
  project: string,
  e: { subject: Subject; approver: string; role: string; decision: "approve" | "reject"; reason?: string; eventId?: string },
) {
  return recordEvent(store, project, {
    kind: "approval",
    subject: e.subject,
    actor: e.approver,
    data: { role: e.role, decision: e.decision, reason: e.reason },
    eventId: e.eventId,
  });
}

export function recordDeploymentDecision(
  store: Store,
  project: string,
  e: { model: Subject; decision: "allow" | "deny"; environment: string; reasons: string[]; policyDigest?: string; actor?: string; eventId?: string },
) {
  return recordEvent(store, project, {
    kind: "deployment-decision",
    subject: e.model,
    actor: e.actor,
    data: { decision: e.decision, environment: e.environment, reasons: e.reasons, policyDigest: e.policyDigest },
    eventId: e.eventId,
  });
}

/** The ledger event for a stored attestation; its event id makes re-recording harmless. */
export function attestationEvent(record: AttestationRecord): LedgerEvent {
  return {
    kind: "attestation",
    subject: { name: record.subjectName, sha256: record.subjectSha256 },
    actor: record.keyId,
    data: { envelopeSha256: record.envelopeSha256, check: record.check, predicateType: record.predicateType, runId: record.runId ?? undefined, attestationId: record.id },
    eventId: `attestation:${record.envelopeSha256}`,
  };
}

/** Pipeline sink (src/pipeline/registry.ts SINKS): every attestation the pipeline stores goes on the project's ledger. */
export async function ledgerSink(record: AttestationRecord, context: { store: Store; runId: string; project: string }): Promise<void> {
  await recordEvent(context.store, context.project, attestationEvent(record));
}
