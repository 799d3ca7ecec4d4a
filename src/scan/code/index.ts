export { type Analysis, analyzePython, type CodeHit, type ExternalSummary, moduleSummaries } from "./analyze.js";
export { type NotebookSource, notebookToPython } from "./notebook.js";
export { pythonParser } from "./python.js";
export { CODE_RULES, type CodeRule } from "./rules.js";
export { type ScanCodeOptions, scanCode } from "./scan.js";
export { scanCodeStage, scanTargets } from "./stage.js";
export { SKIPPED_DIRS, type WalkedFile, walkFiles } from "./walk.js";
