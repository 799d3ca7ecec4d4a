import type { Command } from "commander";
import { RampartError } from "../../core/index.js";
import { scanPromptFile, scanPromptText } from "../../gateway/prompt/index.js";
import { emitResults, type OutputOptions, withOutputOptions } from "../output.js";
import { scanCommand } from "./scan-group.js";

export function registerScanPrompt(program: Command): void {
  withOutputOptions(
    scanCommand(program)
      .command("prompt")
      .description("detect prompt injection (direct, indirect, encoded, multilingual) and hidden characters in prompts")
      .argument("[file]", "a text document (one prompt) or JSON Lines (one prompt per record)")
      .option("--text <prompt>", "scan this prompt instead of a file")
      .option("--jsonl", "read FILE as JSON Lines (default for .jsonl/.ndjson)")
      .option("--field <name>", "JSON Lines field holding the prompt", "text")
      .option("--threshold <score>", "score from 0 to 1 at which a prompt counts as an injection", "0.5"),
    { failOn: "medium" },
  )
    .addHelpText(
      "after",
      "\nEach prompt gets a verdict and a score (metrics.verdicts); injections are findings with the techniques\nseen (override, jailbreak, prompt-leak, delimiter, indirect, exfiltration, obfuscation) and OWASP/ATLAS tags.\nExamples:\n  rampart scan prompt --text 'Ignore all previous instructions'\n  rampart scan prompt chats.jsonl --field content --format json",
    )
    .action(async (file: string | undefined, opts: OutputOptions & { text?: string; jsonl?: boolean; field: string; threshold: string }) => {
      const threshold = Number(opts.threshold);
      if (!(threshold > 0 && threshold <= 1)) throw new RampartError("usage", `--threshold: expected a number in (0, 1], got "${opts.threshold}"`);
      if (opts.text === undefined && !file) throw new RampartError("usage", "give a FILE or --text PROMPT");
      const result = opts.text !== undefined ? scanPromptText(opts.text, { threshold }) : await scanPromptFile(file!, { threshold, jsonl: opts.jsonl, field: opts.field });
      process.exitCode = await emitResults([result], opts);
    });
}
