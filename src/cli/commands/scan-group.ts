import type { Command } from "commander";

/** The `rampart scan` group; each scanner adds its subcommand to it from its own file. */
export function scanCommand(program: Command): Command {
  return program.commands.find((c) => c.name() === "scan") ?? program.command("scan").description("scan artifacts and code for security problems");
}
