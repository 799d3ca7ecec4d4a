import type { Command } from "commander";
import { registerAttest } from "./attest.js";
import { registerData } from "./data.js";
import { registerKeys } from "./keys.js";
import { registerLineage } from "./lineage.js";
import { registerProject } from "./project.js";

/** Every command group, in the order `rampart --help` lists them. Add a group: one file, one line here. */
export const COMMAND_GROUPS: ReadonlyArray<(program: Command) => void> = [registerProject, registerKeys, registerAttest, registerData, registerLineage];
