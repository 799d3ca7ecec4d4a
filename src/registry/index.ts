export { artifactDir, artifactPath, type ResolvedVersion, resolveModelVersion, storeArtifact, type VersionSelector } from "./artifacts.js";
export {
  attachEvidence,
  createRelease,
  type DatasetRef,
  getPrincipal,
  getRelease,
  latestDataset,
  listModelVersions,
  listPrincipals,
  listReleases,
  type Principal,
  type Release,
  registerDataset,
  registerModelVersion,
  releaseDigest,
  STAGES,
  type Stage,
  upsertPrincipal,
} from "./catalog.js";
export { accessEntities } from "./entities.js";
export { type GateOutcome, gateRelease, type Promotion, promote, type ReleaseEvidence, releaseEvents, releaseEvidence } from "./promote.js";
export {
  canonicalReview,
  REVIEW_PAYLOAD_TYPE,
  type RecordedReview,
  ReviewStatement,
  type ReviewStatus,
  recordReview,
  reviewStatus,
  signReview,
} from "./reviews.js";
