import { DATA_STAGES } from "../data/index.js";
import { fairnessStage } from "../fairness/index.js";
import { ledgerSink } from "../ledger/index.js";
import { driftStage } from "../monitor/index.js";
import { gateStage } from "../policy/index.js";
import { membershipInferenceStage, privacyBudgetStage } from "../privacy/dp/index.js";
import { sbomStage } from "../sbom/stage.js";
import { scanCodeStage } from "../scan/code/index.js";
import { scanDepsStage } from "../scan/deps/stage.js";
import { scanModelStage } from "../scan/model/stage.js";
import { scanSecretsStage } from "../scan/secrets/index.js";
import type { AttestationSink } from "./run.js";
import type { Stage } from "./stage.js";
import { inventoryStage } from "./stages/inventory.js";

/**
 * Every stage rampart.yaml can name. A capability adds its stage here (defined in its own folder);
 * the runner never changes.
 */
export const STAGES: ReadonlyMap<string, Stage> = new Map(
  (
    [
      inventoryStage,
      scanModelStage,
      scanCodeStage,
      scanSecretsStage,
      scanDepsStage,
      sbomStage,
      ...DATA_STAGES,
      fairnessStage,
      driftStage,
      gateStage,
      membershipInferenceStage,
      privacyBudgetStage,
    ] as Stage[]
  ).map((s) => [s.name, s]),
);

/** Told about every attestation the pipeline stores (the audit ledger adds itself here). */
export const SINKS: readonly AttestationSink[] = [ledgerSink];
