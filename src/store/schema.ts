import type { Generated } from "kysely";

/**
 * Every table the store holds. A capability that needs a table adds its interface here and a
 * migration in migrations/; timestamps are ISO-8601 text and JSON is text, the same on both dialects.
 */
export interface Database {
  store_locks: StoreLockTable;
  runs: RunTable;
  attestations: AttestationTable;
  ledger_logs: LedgerLogTable;
  ledger_entries: LedgerEntryTable;
  ledger_nodes: LedgerNodeTable;
  ledger_checkpoints: LedgerCheckpointTable;
  ledger_cosignatures: LedgerCosignatureTable;
  ledger_witness_state: LedgerWitnessStateTable;
  ledger_witness_evidence: LedgerWitnessEvidenceTable;
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

/** One append-only Merkle log (src/ledger), named by its C2SP origin. */
export interface LedgerLogTable {
  id: Generated<number>;
  origin: string;
  /** Tree size and RFC 9162 root after the last committed append. */
  size: number;
  root: Buffer;
  /** The signed-note verifier key that signs this log's checkpoints, pinned by the first checkpoint. */
  log_vkey: string | null;
  created_at: string;
}

export interface LedgerEntryTable {
  log_id: number;
  idx: number;
  /** Caller's idempotency key: appending the same event id again returns the existing entry. */
  event_id: string | null;
  kind: string;
  subject_sha256: string | null;
  /** The leaf input: canonical JSON, exactly the bytes hashed. */
  leaf_data: string;
}

/** Hash of every complete subtree: pos = level·2^40 + index (src/ledger/merkle.ts nodeKey). */
export interface LedgerNodeTable {
  log_id: number;
  pos: number;
  hash: Buffer;
}

export interface LedgerCheckpointTable {
  id: Generated<number>;
  log_id: number;
  size: number;
  root: Buffer;
  /** The signed note (C2SP tlog-checkpoint), with witness cosignature lines added as they arrive. */
  note: string;
  created_at: string;
}

export interface LedgerCosignatureTable {
  id: Generated<number>;
  checkpoint_id: number;
  witness_vkey: string;
  line: string;
  created_at: string;
}

/** A witness's own state (in the witness's own store): the latest checkpoint it cosigned per origin. */
export interface LedgerWitnessStateTable {
  origin: string;
  size: number;
  root: Buffer;
  note: string;
  updated_at: string;
}

/** Proof of log misbehaviour a witness refused: the checkpoint it held and the conflicting one offered. */
export interface LedgerWitnessEvidenceTable {
  id: Generated<number>;
  origin: string;
  kind: string;
  held_note: string;
  offered_note: string;
  detail: string;
  created_at: string;
}
