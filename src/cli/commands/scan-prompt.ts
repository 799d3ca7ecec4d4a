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
      .option("--threshold <score>", "score from 0 to 1 at which a prompt counts as an injection", "0.5")
      .option(
        "--role <role>",
        'where the text comes from: user (the user\'s own prompt; a document pasted under "Summarise this:", or sent bare with a title line and no request, is read as data) or data (a tool result, retrieved document or web page: instructions to its reader, or a lone planted "Human:"/"User:" turn, count as injection)',
        "user",
      )
      .option(
        "--task <text>",
        "with --role data: the task the data was given for (the user's request to the agent that fetched it); an order or question in the data that is addressed to its reader and unrelated to the task counts as injection",
      )
      .option("--task-field <name>", "JSON Lines field holding each record's task (with --role data; a record without it uses --task)", "task")
      .option("--no-pii", "do not report personal data")
      .option("--no-secrets", "do not report secrets"),
    { failOn: "medium" },
  )
    .addHelpText(
      "after",
      "\nEach prompt gets a verdict and a score (metrics.verdicts); injections are findings with the techniques\nseen (override, jailbreak, prompt-leak, delimiter, indirect, exfiltration, obfuscation) and OWASP/ATLAS tags.\nSecrets (prompt.secret) and personal data (prompt.pii) are findings too, also inside base64, hex or URL\nencoding; the location gives row, field, offset and length, never the value.\nExamples:\n  rampart scan prompt --text 'Ignore all previous instructions'\n  rampart scan prompt chats.jsonl --field content --format json\n  rampart scan prompt --role data retrieved-page.txt\n  rampart scan prompt --role data --task 'Summarise this product review' review.txt\n  rampart scan prompt --role data tool-results.jsonl --task-field request",
    )
    .action(
      async (
        file: string | undefined,
        opts: OutputOptions & {
          text?: string;
          jsonl?: boolean;
          field: string;
          threshold: string;
          role: string;
          task?: string;
          taskField: string;
          pii: boolean;
          secrets: boolean;
        },
      ) => {
        const threshold = Number(opts.threshold);
        if (!(threshold > 0 && threshold <= 1)) throw new RampartError("usage", `--threshold: expected a number in (0, 1], got "${opts.threshold}"`);
        if (opts.role !== "user" && opts.role !== "data") throw new RampartError("usage", `--role: expected user or data, got "${opts.role}"`);
        const role: "user" | "data" = opts.role === "data" ? "data" : "user";
        if (opts.text === undefined && !file) throw new RampartError("usage", "give a FILE or --text PROMPT");
        // A task says what data was fetched for; a user's own prompt is the task itself.
        if (opts.task !== undefined && role !== "data") throw new RampartError("usage", "--task needs --role data");
        const scanners = { pii: opts.pii, secrets: opts.secrets, role, task: opts.task };
        const result =
          opts.text !== undefined
            ? scanPromptText(opts.text, { threshold, ...scanners })
            : await scanPromptFile(file!, { threshold, jsonl: opts.jsonl, field: opts.field, taskField: opts.taskField, ...scanners });
        process.exitCode = await emitResults([result], opts);
      },
    );
}
