import type { Generated } from "kysely";

/**
 * Every table the store holds. A capability that needs a table adds its interface here and a
 * migration in migrations/; timestamps are ISO-8601 text and JSON is text, the same on both dialects.
 */
export interface Database {
  store_locks: StoreLockTable;
  runs: RunTable;
  attestations: AttestationTable;
  privacy_budgets: PrivacyBudgetTable;
  privacy_spends: PrivacySpendTable;
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

/** A dataset's differential-privacy budget (total epsilon, delta over every run that touches it). */
export interface PrivacyBudgetTable {
  dataset_sha256: string;
  dataset_name: string;
  epsilon: number;
  delta: number;
  created_at: string;
  updated_at: string;
}

/** One DP release or training run charged against a dataset. */
export interface PrivacySpendTable {
  id: Generated<number>;
  dataset_sha256: string;
  dataset_name: string;
  epsilon: number;
  delta: number;
  /** dp-sgd | laplace | gaussian | … */
  mechanism: string;
  /** JSON: accountant and every parameter of the run. */
  detail: string;
  created_at: string;
}
