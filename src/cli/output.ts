import { type Command, Option } from "commander";
import { type CheckResult, FORMATS, type Format, failing, render, SEVERITIES, type Severity, VERSION, writeFileAtomic } from "../core/index.js";

export interface OutputOptions {
  format: Format;
  output?: string;
  failOn: Severity;
}

/** Adds the flags every reporting command shares: --format, --output, --fail-on. */
export function withOutputOptions(cmd: Command, defaults: { failOn?: Severity } = {}): Command {
  return cmd
    .addOption(new Option("-f, --format <format>", "output format").choices(FORMATS).default("table"))
    .addOption(new Option("-o, --output <file>", "write the report to FILE (atomically) instead of standard output"))
    .addOption(new Option("--fail-on <severity>", "exit 1 when a finding is at or above this severity").choices(SEVERITIES).default(defaults.failOn ?? "high"));
}

/** True when colour and progress are welcome: a terminal, not CI, not --quiet. */
export function interactive(stream: NodeJS.WriteStream = process.stdout): boolean {
  return Boolean(stream.isTTY) && !process.env.CI && !process.env.NO_COLOR && !globalFlags.quiet;
}

export const globalFlags = { quiet: false, debug: false, color: undefined as boolean | undefined };

/**
 * Renders results, writes them where asked and returns the exit code: 1 when a finding reaches
 * --fail-on, else 0.
 */
export async function emitResults(results: readonly CheckResult[], options: OutputOptions): Promise<number> {
  const toFile = Boolean(options.output);
  const color = globalFlags.color ?? (!toFile && interactive());
  const text = render(results, options.format, { color, width: process.stdout.columns, failOn: options.failOn, toolVersion: VERSION });
  if (options.output) await writeFileAtomic(options.output, text);
  else process.stdout.write(text);
  return failing(results, options.failOn).length > 0 ? 1 : 0;
}
