import type { Command } from "commander";

/**
 * The shared `rampart scan` group. Several capabilities add subcommands to it (deps, code, model …),
 * so whoever registers first creates it and the others reuse it.
 */
export function scanCommand(program: Command): Command {
  const existing = program.commands.find((c) => c.name() === "scan");
  if (existing) return existing;
  return program.command("scan").description("scan artifacts and code for security problems");
}
