import type { Command } from "commander";

/**
 * The `scan` command group, shared by every scanner (model, code, secrets, deps): each registers its
 * own subcommand on the one group this returns, creating it on first use.
 */
export function scanCommand(program: Command): Command {
  const existing = program.commands.find((c) => c.name() === "scan");
  if (existing) return existing;
  return program
    .command("scan")
    .description("scan artifacts for security problems (models, code, secrets, dependencies)")
    .addHelpText("after", "\nExample:\n  rampart scan model ./models --format sarif -o scan.sarif");
}
