import type { Command } from "commander";
import { RampartError } from "../../core/index.js";
// The walker, not the capability's index: the CLI needs no pipeline stage (and none of its imports).
import { scanModelPaths } from "../../scan/model/walker.js";
import { emitResults, interactive, type OutputOptions, withOutputOptions } from "../output.js";
import { scanCommand } from "./scan-group.js";

/** `rampart scan model PATH…` */
export function registerScanModel(program: Command): void {
  const cmd = scanCommand(program)
    .command("model")
    .description("find code that runs when a model file is loaded: pickle (0-5), PyTorch zip/legacy/tar, joblib, numpy, safetensors, Keras, ONNX, TF SavedModel, GGUF")
    .argument("<path...>", "model files or folders (a downloaded Hugging Face repository is a folder)")
    .option("--no-digest", "skip the sha256 subjects (faster; the result then cannot be attested)")
    .option("--max-pickle-mb <n>", "largest pickle or decompressed stream analysed, in MiB", (v) => positive(v, "--max-pickle-mb"), 256)
    .option(
      "--max-pickle-memory-mb <n>",
      "memory the pickle analysis may hold per pickle, in MiB; past it the analysis goes on in bounded mode and says so",
      (v) => positive(v, "--max-pickle-memory-mb"),
      64,
    )
    .option("--timeout <seconds>", "wall-clock limit per file; a file that takes longer gets a finding and the scan goes on", (v) => positive(v, "--timeout"), 30);
  withOutputOptions(cmd).addHelpText(
    "after",
    `
Formats are detected by content, never by extension. Findings name the file, archive member, byte offset
and callable. Exit 0 clean, 1 a finding at or above --fail-on (default high), 2 bad input.

Examples:
  rampart scan model pytorch_model.bin
  rampart scan model ./downloaded-repo --format sarif -o model-scan.sarif
  rampart scan model model.joblib --format json --fail-on medium
  rampart scan model ./models --timeout 120 --no-digest`,
  );
  cmd.action(async (paths: string[], opts: OutputOptions & { digest: boolean; maxPickleMb: number; maxPickleMemoryMb: number; timeout: number }) => {
    const progress = progressLine();
    try {
      const result = await scanModelPaths(paths, {
        digest: opts.digest,
        limits: { maxPickleBytes: opts.maxPickleMb * 1024 * 1024, maxPickleMemoryBytes: opts.maxPickleMemoryMb * 1024 * 1024, timeoutMs: opts.timeout * 1000 },
        onFile: (f) => progress?.(`scanning ${f}`),
      });
      progress?.("");
      process.exitCode = await emitResults([result], opts);
    } finally {
      progress?.("");
    }
  });
}

function positive(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new RampartError("usage", `${flag}: expected a whole number of at least 1, got "${value}"`);
  return n;
}

/** A live status line on stderr when interactive; undefined in CI or with --quiet. */
function progressLine(): ((message: string) => void) | undefined {
  if (!interactive(process.stderr)) return undefined;
  return (message) => process.stderr.write(`\r\x1b[2K${message.slice(0, (process.stderr.columns ?? 80) - 1)}`);
}
