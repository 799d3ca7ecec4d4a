export { type AttestationRecord, listAttestations, type NewAttestation, saveAttestation } from "./attestations.js";
export { type Dialect, idColumnType, MIGRATIONS, type Migration } from "./migrations/index.js";
export { finishRun, getRun, listRuns, type RunRecord, startRun } from "./runs.js";
export type { Database } from "./schema.js";
export { type OpenStoreOptions, openStore, type Store } from "./store.js";
