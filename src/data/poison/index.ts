export { analyzeTable, detectPoison, type PoisonOptions, type PoisonReport, type RowFlag, toCheckResult } from "./detect.js";
export { averagePathLength, IsolationForest } from "./iforest.js";
export { confidentLearning, crossValidatedProbabilities, designMatrix, knnProbabilities } from "./labelnoise.js";
export { buildProfile, compareToProfile, DataProfile, loadProfile, robustOutliers, type ShiftReport } from "./profile.js";
export { histogram, psi, quantileSorted, summarize } from "./stats.js";
export { type Column, loadTable, type Table, tableFromRecords } from "./table.js";
export { type BatchOptions, scoreBatch, scoreBatchFile, scoreRecordBatches, watchFolder } from "./watch.js";
