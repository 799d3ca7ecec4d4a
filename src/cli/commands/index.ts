import type { Command } from "commander";
import { registerAttest } from "./attest.js";
import { registerGateway } from "./gateway.js";
import { registerKeys } from "./keys.js";
import { registerLedger } from "./ledger.js";
import { registerProject } from "./project.js";
import { registerScanPrompt } from "./scan-prompt.js";

/** Every command group, in the order `rampart --help` lists them. Add a group: one file, one line here. */
export const COMMAND_GROUPS: ReadonlyArray<(program: Command) => void> = [registerProject, registerKeys, registerAttest, registerScanPrompt, registerGateway, registerLedger];
