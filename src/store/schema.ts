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
  registry_principals: RegistryPrincipalTable;
  registry_models: RegistryModelTable;
  registry_model_versions: RegistryModelVersionTable;
  registry_datasets: RegistryDatasetTable;
  releases: ReleaseTable;
  release_evidence: ReleaseEvidenceTable;
  release_reviews: ReleaseReviewTable;
  release_events: ReleaseEventTable;
  policy_bundles: PolicyBundleTable;
  gate_decisions: GateDecisionTable;
  privacy_budgets: PrivacyBudgetTable;
  privacy_spends: PrivacySpendTable;
  lineage_events: LineageEventTable;
  lineage_datasets: LineageDatasetTable;
  ledger_logs: LedgerLogTable;
  ledger_entries: LedgerEntryTable;
  ledger_nodes: LedgerNodeTable;
  ledger_checkpoints: LedgerCheckpointTable;
  ledger_cosignatures: LedgerCosignatureTable;
  ledger_witness_state: LedgerWitnessStateTable;
  ledger_witness_evidence: LedgerWitnessEvidenceTable;
  data_access_log: DataAccessLogTable;
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

/** People and services the registry knows: their roles (Cedar parents) and, for reviewers, their public key. */
export interface RegistryPrincipalTable {
  name: string;
  /** User | Service */
  kind: string;
  /** JSON array of role names. */
  roles: string;
  team: string | null;
  /** SPKI PEM of the key that signs this principal's reviews, if any. */
  public_key: string | null;
  key_id: string | null;
  created_at: string;
}

export interface RegistryModelTable {
  name: string;
  owner: string;
  created_at: string;
}

/** A model version is its content digest; the same digest is never registered twice for one model. */
export interface RegistryModelVersionTable {
  id: Generated<number>;
  model: string;
  sha256: string;
  label: string | null;
  created_at: string;
}

export interface RegistryDatasetTable {
  id: Generated<number>;
  name: string;
  sha256: string;
  /** JSON array (e.g. ["personal"]). */
  tags: string;
  owner: string;
  created_at: string;
}

export interface ReleaseTable {
  id: string;
  model: string;
  model_sha256: string;
  owner: string;
  /** candidate | approved | production | retired */
  stage: string;
  /** JSON array of {name, sha256, tags}. */
  datasets: string;
  tags: string;
  /** sha256 of the release's canonical content (model, datasets, evidence): what reviewers sign. */
  digest: string;
  created_at: string;
  updated_at: string;
}

export interface ReleaseEvidenceTable {
  release_id: string;
  envelope_sha256: string;
}

export interface ReleaseReviewTable {
  id: Generated<number>;
  release_id: string;
  reviewer: string;
  /** approve | reject */
  decision: string;
  comment: string;
  key_id: string;
  /** The DSSE envelope of the signed review statement, as JSON text. */
  envelope: string;
  release_digest: string;
  /** JSON of the Cedar decision that let the review in ({decision, policyIds, errors}), or null. */
  access: string | null;
  created_at: string;
}

export interface ReleaseEventTable {
  id: Generated<number>;
  release_id: string;
  from_stage: string;
  to_stage: string;
  actor: string;
  gate_decision_id: string | null;
  /** JSON of the Cedar decision {decision, policyIds, errors}. */
  access: string;
  created_at: string;
}

/** Every bundle a decision was made under, by digest, so decisions can be replayed. */
export interface PolicyBundleTable {
  sha256: string;
  /** JSON array of {path, text}. */
  files: string;
  created_at: string;
}

export interface GateDecisionTable {
  id: string;
  release_id: string | null;
  bundle_sha256: string;
  /** allow | deny */
  decision: string;
  /** JSON array of rule outcomes. */
  rules: string;
  /** JSON of the evidence document evaluated. */
  evidence: string;
  /** JSON of parameter overrides by policy. */
  params: string;
  /** The instant evaluated at (waiver expiry is judged against it on replay too). */
  evaluated_at: string;
  actor: string | null;
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

/** Every dataset read or export through Rampart, allowed or refused (src/data/access.ts). */
export interface DataAccessLogTable {
  id: Generated<number>;
  at: string;
  principal: string;
  action: string;
  dataset: string;
  dataset_sha256: string | null;
  purpose: string | null;
  destination: string | null;
  decision: string;
  /** JSON array of the Cedar policy ids that decided. */
  policy_ids: string;
  reason: string | null;
  /** Ledger entry index, when the event is on the ledger. */
  ledger_index: number | null;
}
