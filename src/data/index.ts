export * from "./lineage/index.js";
export * from "./manifest/index.js";
export * from "./pii/index.js";
export * from "./poison/index.js";
export * from "./readers/index.js";
export { DATA_STAGES, dataPiiStage, dataPoisonStage, dataVerifyStage } from "./stages.js";
