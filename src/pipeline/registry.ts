import { ledgerSink } from "../ledger/index.js";
import type { AttestationSink } from "./run.js";
import type { Stage } from "./stage.js";
import { inventoryStage } from "./stages/inventory.js";

/**
 * Every stage rampart.yaml can name. A capability adds its stage here (defined in its own folder);
 * the runner never changes.
 */
export const STAGES: ReadonlyMap<string, Stage> = new Map(([inventoryStage] as Stage[]).map((s) => [s.name, s]));

/** Told about every attestation the pipeline stores (the audit ledger adds itself here). */
export const SINKS: readonly AttestationSink[] = [ledgerSink];
