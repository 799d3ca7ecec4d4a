/**
 * Model supply-chain scanner: finds code that runs when a model file is loaded. The pipeline stage lives in
 * `stage.ts` (imported by the pipeline registry), so loading the scanner does not load zod.
 */

export { runPickles } from "./pickle/analyze.js";
export { classifyGlobal, type Verdict } from "./pickle/policy.js";
export { type CallEvent, type ImportEvent, type PickleRun, runPickle, type VmOptions } from "./pickle/vm.js";
export { MODEL_RULES } from "./rules.js";
export { type Analyzer, type AnalyzerInput, DEFAULT_LIMITS, type ScanLimits } from "./types.js";
export { ANALYZERS, type ScanOptions, scanBuffer, scanModelPaths } from "./walker.js";
