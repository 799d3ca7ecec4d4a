/**
 * The verification surface of the ledger, importable on its own: it pulls in no store, server or
 * signer (test/ledger/verify-imports.test.ts holds it to that), so an auditor's tool carries only this.
 */
export {
  BUNDLE_MEDIA_TYPE,
  type BundleTrust,
  EvidenceBundle,
  parseBundle,
  type VerifiedBundle,
  type VerifiedBundleEntry,
  type VerifiedReviews,
  verifyBundle,
  verifyBundleDir,
} from "./bundle-verify.js";
export { type Checkpoint, type CheckpointPolicy, parseCheckpointText, peekCheckpoint, type VerifiedCheckpoint, verifyCheckpoint, verifyCosignature } from "./checkpoint.js";
export { decodeEntry, type LedgerEntry } from "./entry.js";
export { checkConsistency, EMPTY_ROOT, hashChildren, hashLeaf, ProofError, rootFromInclusionProof, verifyConsistency, verifyInclusion } from "./merkle.js";
export { type NoteVerifier, openNote, parseNote, parseVkey } from "./note.js";
