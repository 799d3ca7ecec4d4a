export { type ColumnDrift, compareTables, DRIFT_METHODS, type DriftMethod, type DriftOptions, type DriftReport, detectDrift, driftResult } from "./drift.js";
export { driftStage } from "./stage.js";
export { chiSquareGof, jensenShannon, ks2, psi, sturgesEdges, wasserstein1, zTestProportions } from "./stats.js";
