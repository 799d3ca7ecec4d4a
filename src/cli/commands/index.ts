import type { Command } from "commander";
import { registerAttest } from "./attest.js";
import { registerData } from "./data.js";
import { registerDataAccess } from "./data-access.js";
import { registerFairness, registerModelCard } from "./fairness.js";
import { registerGateway } from "./gateway.js";
import { registerKeys } from "./keys.js";
import { registerLedger } from "./ledger.js";
import { registerLineage } from "./lineage.js";
import { registerPolicy } from "./policy.js";
import { registerPrivacy } from "./privacy.js";
import { registerProject } from "./project.js";
import { registerRegistry } from "./registry.js";
import { registerSbom } from "./sbom.js";
import { registerScanCode } from "./scan-code.js";
import { registerScanDeps } from "./scan-deps.js";
import { registerScanModel } from "./scan-model.js";
import { registerScanPrompt } from "./scan-prompt.js";
import { registerTrain } from "./train.js";

/** Every command group, in the order `rampart --help` lists them. Add a group: one file, one line here. */
export const COMMAND_GROUPS: ReadonlyArray<(program: Command) => void> = [
  registerProject,
  registerKeys,
  registerAttest,
  registerData,
  registerDataAccess,
  registerFairness,
  registerModelCard,
  registerGateway,
  registerLedger,
  registerLineage,
  registerPolicy,
  registerPrivacy,
  registerRegistry,
  registerSbom,
  registerScanCode,
  registerScanDeps,
  registerScanModel,
  registerScanPrompt,
  registerTrain,
];
