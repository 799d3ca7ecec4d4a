import type { Command } from "commander";
import { registerAttest } from "./attest.js";
import { registerKeys } from "./keys.js";
import { registerPrivacy } from "./privacy.js";
import { registerProject } from "./project.js";
import { registerTrain } from "./train.js";

/** Every command group, in the order `rampart --help` lists them. Add a group: one file, one line here. */
export const COMMAND_GROUPS: ReadonlyArray<(program: Command) => void> = [registerProject, registerKeys, registerAttest, registerPrivacy, registerTrain];
