import type { Command } from "commander";

/**
 * The shared `scan` command group. Several capabilities add subcommands to it (code, secrets,
 * model, deps, image); whoever registers first creates it, the others reuse it.
 */
export function scanCommand(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === "scan") ??
    program
      .command("scan")
      .description("scan artifacts and code for security problems")
      .addHelpText(
        "after",
        "\nEvery scan prints table, json, sarif or junit (--format) and exits 1 on findings at or above --fail-on.\nExample:\n  rampart scan code src/ --format sarif -o code.sarif",
      )
  );
}
