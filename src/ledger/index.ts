/** Tamper-evident audit ledger: RFC 9162 Merkle log, C2SP checkpoints, witnesses, evidence bundles. */
export { auditLog, type LogAudit, type LogProblem, type ProblemKind } from "./audit.js";
export { type ExportOptions, exportBundle } from "./bundle.js";
export { addSignatureLines, cosignatureMessage, cosignLine, formatCheckpoint } from "./checkpoint.js";
export { canonicalJson, EVENT_KINDS, encodeEntry, LedgerEvent, MAX_ENTRY_BYTES, parseEvent } from "./entry.js";
export { foldJournal, Journal, type JournalOptions, type LedgerSink, type LedgerTuning, ledgerJournalSink, workerLedgerSink } from "./journal.js";
export { ServingJournal } from "./journal-serving.js";
export { type JournalStats, JournalThread, type JournalThreadOptions, journalLine } from "./journal-thread.js";
export { type AppendedEntry, Ledger, originFor, type StoredCheckpoint, type StoredEntry } from "./log.js";
export { CompactRange, consistencyProof, inclusionProof, type NodeId, type NodeReader, nodeKey, rootAt } from "./merkle.js";
export { formatVkey, noteKeyId, SIG_COSIGNATURE_V1, SIG_ED25519, signNote } from "./note.js";
export { attestationEvent, ledgerSink, recordApproval, recordDataAccess, recordDeploymentDecision, recordEvent, recordTrainingRun } from "./record.js";
export { exportReleaseBundle, RELEASE_ID, type ReleaseExport } from "./release-bundle.js";
export { encodeTileIndex, entryBundle, parseTilePath, TILE_HEIGHT, TILE_WIDTH, tileShape } from "./tiles.js";
export { nowMs as traceClock, trace, traceThread, tracing } from "./trace.js";
export * from "./verify.js";
export {
  type AddCheckpointRequest,
  formatAddCheckpoint,
  httpWitness,
  parseAddCheckpoint,
  requestCosignature,
  Witness,
  type WitnessEvidence,
  type WitnessOptions,
  type WitnessResponse,
  type WitnessTransport,
} from "./witness.js";
