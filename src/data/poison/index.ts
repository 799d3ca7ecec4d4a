export { type BoostOptions, binCodes, binEdges, boostedProbabilities, treeColumns } from "./boost.js";
export {
  adaptiveCut,
  agreementOutside,
  analyzeTable,
  detectPoison,
  type LabelNoiseCut,
  labelNoiseCut,
  type PoisonOptions,
  type PoisonReport,
  type RowFlag,
  toCheckResult,
  topRows,
} from "./detect.js";
export { averagePathLength, IsolationForest } from "./iforest.js";
export {
  confidentLearning,
  crossValidatedProbabilities,
  designMatrix,
  type Ensemble,
  type EnsembleOptions,
  ensembleProbabilities,
  knnProbabilities,
  labelIssueScores,
  naiveBayesProbabilities,
  pruneByNoiseRate,
  rankDesign,
  relevanceWeights,
  roundPreservingTotal,
  temperatureScale,
  weightedDesign,
} from "./labelnoise.js";
export { chi2Quantile975, compressZ, edgeScores, edgeZ, normalQuantile, rarityZ, robustDistance, sideStats, sideZ, skewAwareZ } from "./outlier.js";
export { buildProfile, compareToProfile, DataProfile, loadProfile, robustOutliers, type ShiftReport } from "./profile.js";
export { MIN_COLUMNS as SHRUNK_MIN_COLUMNS, type ShrunkScores, shrunkDistance } from "./shrunk.js";
export { histogram, psi, quantileSorted, summarize } from "./stats.js";
export { type Column, loadTable, type Table, tableFromRecords } from "./table.js";
export { extraTreesProbabilities, randomForestProbabilities } from "./trees.js";
export { type BatchOptions, scoreBatch, scoreBatchFile, scoreRecordBatches, watchFolder } from "./watch.js";
export { isWide, type ResidualScores, residualScores } from "./wide.js";
