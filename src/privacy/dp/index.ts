export { type AttackReport, clopperPearson, type LiraOptions, liraAttack, logitConfidence, lossThresholdAttack, reportFromScores } from "./audit.js";
export { type Budget, type BudgetStatus, budgetStatus, type Spend, setBudget, spendBudget } from "./budget.js";
export { type AccountantName, accountEpsilon, type CalibrateOptions, calibrateNoise } from "./calibrate.js";
export { type DpSgdOptions, type DpSgdReport, trainDpSgd } from "./dpsgd.js";
export { type PrvEpsilon, type PrvOptions, prvEpsilon } from "./prv.js";
export { composeRdp, DEFAULT_ALPHAS, type RdpConversion, type RdpEpsilon, type RdpOptions, rdpEpsilon, rdpToEpsilon, type SgmPhase, sgmRdp } from "./rdp.js";
export { membershipInferenceStage } from "./stage.js";
export { DEFAULT_TRAIN, type DpPlan, planDp, type TrainConfig, type TrainOutcome, trainClassifier, trainingRows } from "./trainer.js";
