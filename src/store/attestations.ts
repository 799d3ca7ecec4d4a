import { sha256Hex } from "../core/digest.js";
import type { Store } from "./store.js";

export interface AttestationRecord {
  id: number;
  runId: string | null;
  check: string;
  predicateType: string;
  subjectName: string;
  subjectSha256: string;
  keyId: string;
  /** Parsed DSSE envelope. */
  envelope: unknown;
  envelopeSha256: string;
  createdAt: string;
}

export interface NewAttestation {
  runId?: string;
  check: string;
  predicateType: string;
  subjectName: string;
  subjectSha256: string;
  keyId: string;
  envelope: unknown;
}

/** Stores an envelope as signed; the same envelope stored twice is kept once. */
export async function saveAttestation(store: Store, a: NewAttestation): Promise<AttestationRecord> {
  const text = JSON.stringify(a.envelope);
  const envelopeSha256 = sha256Hex(text);
  const existing = await store.db.selectFrom("attestations").selectAll().where("envelope_sha256", "=", envelopeSha256).executeTakeFirst();
  if (existing) return toRecord(existing);
  const row = await store.db
    .insertInto("attestations")
    .values({
      run_id: a.runId ?? null,
      check_name: a.check,
      predicate_type: a.predicateType,
      subject_name: a.subjectName,
      subject_sha256: a.subjectSha256,
      key_id: a.keyId,
      envelope: text,
      envelope_sha256: envelopeSha256,
      created_at: new Date().toISOString(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRecord(row);
}

export async function listAttestations(store: Store, filter: { runId?: string; subjectSha256?: string; check?: string } = {}): Promise<AttestationRecord[]> {
  let q = store.db.selectFrom("attestations").selectAll().orderBy("id");
  if (filter.runId) q = q.where("run_id", "=", filter.runId);
  if (filter.subjectSha256) q = q.where("subject_sha256", "=", filter.subjectSha256);
  if (filter.check) q = q.where("check_name", "=", filter.check);
  return (await q.execute()).map(toRecord);
}

function toRecord(row: {
  id: number;
  run_id: string | null;
  check_name: string;
  predicate_type: string;
  subject_name: string;
  subject_sha256: string;
  key_id: string;
  envelope: string;
  envelope_sha256: string;
  created_at: string;
}): AttestationRecord {
  return {
    id: row.id,
    runId: row.run_id,
    check: row.check_name,
    predicateType: row.predicate_type,
    subjectName: row.subject_name,
    subjectSha256: row.subject_sha256,
    keyId: row.key_id,
    envelope: JSON.parse(row.envelope),
    envelopeSha256: row.envelope_sha256,
    createdAt: row.created_at,
  };
}
