export {
  type AuditContext,
  auditFile,
  defaultThresholds,
  FAIRNESS_CHECK,
  FAIRNESS_DATA_CHECK,
  FairnessOptions,
  groupingsOf,
  Threshold,
  type Thresholds,
} from "./audit.js";
export { CALIBRATION_BINS, type EngineResult, FairnessAccumulator, type Interval, MISSING, type Mode, percentileInterval, quantile, type Task } from "./engine.js";
export {
  type Evidence,
  escapeHtml,
  evidenceFromFiles,
  evidenceFromStore,
  type ModelCardInput,
  type ModelDetails,
  modelCardCycloneDx,
  renderModelCardHtml,
  renderModelCardMarkdown,
  worstOf,
} from "./modelcard.js";
export { poisson1, Rng } from "./random.js";
export { summariseFairness } from "./report.js";
export { MAX_RECORD_BYTES, type Row, readRowBatches, readRows, type TableFormat, tableFormatOf } from "./rows.js";
export { fairnessStage, isProjectState } from "./stage.js";
