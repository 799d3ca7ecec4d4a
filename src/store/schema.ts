import type { Generated } from "kysely";

/**
 * Every table the store holds. A capability that needs a table adds its interface here and a
 * migration in migrations/; timestamps are ISO-8601 text and JSON is text, the same on both dialects.
 */
export interface Database {
  store_locks: StoreLockTable;
  runs: RunTable;
  attestations: AttestationTable;
  osv_advisories: OsvAdvisoryTable;
  osv_affected_packages: OsvAffectedPackageTable;
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

/** OSV advisories imported by `rampart db import` (scan/deps), one row per advisory id. */
export interface OsvAdvisoryTable {
  id: string;
  /** RFC 3339 `modified` of the record; a re-import keeps the newer record. */
  modified: string;
  /** The OSV record as JSON text. */
  record: string;
  /** Where it was imported from (file or zip member). */
  source: string;
  imported_at: string;
}

/** Look-up index: which advisory names which package (ecosystem without `:release`, normalised name). */
export interface OsvAffectedPackageTable {
  advisory_id: string;
  ecosystem: string;
  name: string;
}
