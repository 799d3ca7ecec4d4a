export {
  type AccessDecision,
  type AccessPolicies,
  type AccessRequest,
  type Action,
  accessPolicies,
  authorize,
  type CedarValue,
  type Entity,
  type EntityRef,
  entity,
  RAMPART_SCHEMA,
  ref,
  validateAccessPolicies,
} from "./access.js";
export {
  assertValid,
  type Bundle,
  type BundleFile,
  bundleDigest,
  type CompiledPolicy,
  type CompiledRule,
  compileBundle,
  loadBundle,
  type PolicyProblem,
  type PolicyTestCase,
  type RuleAction,
  type RuleOutcomeKind,
  readBundleFiles,
  type Waiver,
} from "./bundle.js";
export { compileExpression } from "./cel.js";
export {
  type DecisionListener,
  getDecision,
  listDecisions,
  onDecisionRecorded,
  type RecordedDecision,
  type Replay,
  recordDecision,
  replayDecision,
  storedBundle,
} from "./decisions.js";
export { type EvaluateOptions, type ExpiredWaiver, evaluateBundle, type GateEvaluation, type RuleOutcome } from "./evaluate.js";
export { buildEvidence, type EvidenceApproval, type EvidenceInput, type EvidenceRelease, type EvidenceSubject, normalizeEvidence } from "./evidence.js";
export { gateStage } from "./stage.js";
export { type CaseResult, type PolicyTestReport, runPolicyTests } from "./testing.js";
