#!/usr/bin/env node
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Command, CommanderError } from "commander";
import { isRampartError, messageOf, VERSION } from "../core/index.js";
import { groupsFor } from "./commands/index.js";
import { globalFlags } from "./output.js";

/** Exit codes: 0 pass, 1 findings at/above --fail-on, 2 usage or input error, 3 internal error (a bug). */
export const EXIT = { ok: 0, findings: 1, input: 2, internal: 3 } as const;

/** The command words of an argument list: the words before the first option (global flags take no values). */
function commandWords(args: readonly string[]): string[] {
  const words = args.filter((a) => !["-q", "--quiet", "--debug", "--no-color"].includes(a));
  const firstOption = words.findIndex((a) => a.startsWith("-"));
  return (firstOption < 0 ? words : words.slice(0, firstOption)).slice(0, 2);
}

/**
 * The program with the command groups `args` needs (all of them when `args` is not given, for help
 * and for tests that walk every command).
 */
export async function buildProgram(args?: readonly string[]): Promise<Command> {
  const program = new Command("rampart")
    .description("DevSecOps for machine-learning systems: scan, check, sign and record evidence from raw data to a running model")
    .version(VERSION, "-V, --version")
    .option("-q, --quiet", "no progress output (also when CI=true)")
    .option("--debug", "show stack traces for errors")
    .option("--no-color", "never colour output")
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText(
      "after",
      `
Exit codes: 0 passed, 1 findings at or above --fail-on, 2 bad usage or input, 3 internal error.
Environment: RAMPART_DATABASE_URL (postgres://… store), RAMPART_SIGNING_KEY / RAMPART_SIGNING_KEY_FILE,
             CI=true or NO_COLOR (no progress, no colour). Flags beat environment, which beats rampart.yaml.

Start here:
  rampart init my-project          scaffold rampart.yaml, policies/ and a signing key
  rampart run examples/credit-risk run every configured check, sign and record the evidence`,
    )
    .hook("preAction", (cmd) => {
      const opts = cmd.optsWithGlobals() as { quiet?: boolean; debug?: boolean; color?: boolean };
      globalFlags.quiet = Boolean(opts.quiet);
      globalFlags.debug = Boolean(opts.debug);
      if (opts.color === false) globalFlags.color = false;
    });
  const words = args === undefined ? [] : commandWords(args);
  // `rampart --version` needs no command at all.
  const versionOnly = args !== undefined && words.length === 0 && args.some((a) => a === "-V" || a === "--version");
  const groups = versionOnly ? [] : groupsFor(words);
  for (const register of await Promise.all(groups.map((g) => g.load()))) register(program);
  // Usage errors exit 2 like every other input error (commander's default is 1, our "findings" code).
  const exitOverride = (cmd: Command) => {
    cmd.exitOverride();
    cmd.commands.forEach(exitOverride);
  };
  exitOverride(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    const program = await buildProgram(argv.slice(2));
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version "errors" are normal exits; commander already printed the message.
      return e.exitCode === 0 ? EXIT.ok : EXIT.input;
    }
    const debug = globalFlags.debug || argv.includes("--debug");
    if (isRampartError(e)) {
      process.stderr.write(`rampart: ${e.message}\n`);
      if (debug && e.stack) process.stderr.write(`${e.stack}\n`);
      return EXIT.input;
    }
    process.stderr.write(`rampart: internal error: ${messageOf(e)}${debug ? "" : " (run with --debug for details)"}\n`);
    if (debug && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    return EXIT.internal;
  }
}

function isEntryPoint(): boolean {
  try {
    return realpathSync(process.argv[1] ?? "") === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // `rampart … | head` closes the pipe early: that is the reader's choice, not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
