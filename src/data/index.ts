export { checkDatasetAccess, type DatasetAccess, type DatasetAccessRequest, type DatasetAction, datasetAccessLog, exportDataset, openDataset } from "./access.js";
export * from "./lineage/index.js";
export * from "./manifest/index.js";
export * from "./pii/index.js";
export * from "./poison/index.js";
export * from "./readers/index.js";
export { DATA_STAGES, dataPiiStage, dataPoisonStage, dataVerifyStage } from "./stages.js";
