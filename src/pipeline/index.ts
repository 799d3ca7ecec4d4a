export { Artifact, ArtifactKind, CONFIG_FILE, DEFAULT_KEY, loadProjectConfig, ProjectConfig } from "./config.js";
export { SINKS, STAGES } from "./registry.js";
export { type AttestationSink, type RunObserver, type RunOptions, type RunReport, runPipeline } from "./run.js";
export { defineStage, type Stage, type StageContext, type StageOutcome } from "./stage.js";
