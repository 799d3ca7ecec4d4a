import type { Generated } from "kysely";

/**
 * Every table the store holds. A capability that needs a table adds its interface here and a
 * migration in migrations/; timestamps are ISO-8601 text and JSON is text, the same on both dialects.
 */
export interface Database {
  store_locks: StoreLockTable;
  runs: RunTable;
  attestations: AttestationTable;
  lineage_events: LineageEventTable;
  lineage_datasets: LineageDatasetTable;
}

export interface StoreLockTable {
  name: string;
  counter: number;
}

export interface RunTable {
  id: string;
  project: string;
  started_at: string;
  finished_at: string | null;
  /** running | passed | failed | error */
  status: string;
  /** JSON report of the run, once finished. */
  report: string | null;
}

export interface AttestationTable {
  id: Generated<number>;
  run_id: string | null;
  check_name: string;
  predicate_type: string;
  /** First subject, for look-ups; the statement inside the envelope lists them all. */
  subject_name: string;
  subject_sha256: string;
  key_id: string;
  /** The DSSE envelope as JSON text, exactly as signed. */
  envelope: string;
  /** sha256 of `envelope`, the attestation's identity. */
  envelope_sha256: string;
  created_at: string;
}

/** One OpenLineage run event (data/lineage), stored as emitted. */
export interface LineageEventTable {
  id: Generated<number>;
  run_id: string;
  /** START | RUNNING | COMPLETE | ABORT | FAIL | OTHER */
  event_type: string;
  event_time: string;
  job_namespace: string;
  job_name: string;
  /** The whole event as JSON text. */
  event: string;
}

/** Inputs and outputs of each lineage event, for walking the graph without parsing JSON. */
export interface LineageDatasetTable {
  id: Generated<number>;
  event_id: number;
  /** input | output */
  direction: string;
  namespace: string;
  name: string;
  /** Dataset version (Rampart: the sha256 digest) when known. */
  version: string | null;
}
