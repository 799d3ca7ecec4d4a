import type { Command } from "commander";
import { RampartError, type Severity } from "../../core/index.js";
import { scanCode } from "../../scan/code/index.js";
import { readBaseline, scanSecrets, writeBaseline } from "../../scan/secrets/index.js";
import { emitResults, type OutputOptions, withOutputOptions } from "../output.js";
import { scanCommand } from "./scan-group.js";

function bytes(value: string, flag: string): number {
  const m = /^(\d+)\s*([kmg]i?b?)?$/i.exec(value.trim());
  if (!m) throw new RampartError("usage", `${flag}: expected a size such as 1048576, 512k or 64m, got "${value}"`);
  const unit = (m[2] ?? "").toLowerCase()[0];
  return Number(m[1]) * (unit === "k" ? 1024 : unit === "m" ? 1 << 20 : unit === "g" ? 1 << 30 : 1);
}

/** `rampart scan code PATH` and `rampart scan secrets PATH`. */
export function registerScanCode(program: Command): void {
  const scan = scanCommand(program);

  withOutputOptions(
    scan
      .command("code")
      .description("static analysis of Python files and Jupyter notebooks for ML-specific security problems")
      .argument("<path>", "folder or file to analyse (.py, .pyi, .ipynb)")
      .option("--max-file-size <size>", "skip (and report) source files larger than this", "8m")
      .option("--constant-uses", 'also report unsafe APIs given only constants (os.system("ls"), yaml.load of a literal) at low'),
    { failOn: "high" },
  )
    .addHelpText(
      "after",
      `
Rules: unsafe deserialisation (pickle, dill, joblib, torch.load without weights_only=True, numpy allow_pickle,
yaml.load, keras safe_mode=False), trust_remote_code=True, eval/exec/compile, AI agents and LLM tools set to run
model-written code (Python REPL and shell tools, auto_run, allow_dangerous_code, permission checks bypassed), shell
injection, TLS verification disabled, tar extraction without filter, hard-coded credentials, unpinned hub
downloads, debug servers, SQL built from strings. Notebook findings name the cell and the line in it.
Unsafe APIs whose input is only the program's own constants are not injections and are not reported;
--constant-uses lists them at low (tagged constant-input), as Bandit and linters do.
Accept a finding with a reason on its line (or alone on the line above):
  data = pickle.loads(blob)  # rampart: ignore[code.unsafe-deserialization] blob is HMAC-verified
Exit codes: 0 nothing at or above --fail-on, 1 findings, 2 bad input.
Examples:
  rampart scan code src/
  rampart scan code notebooks/ --format sarif -o code.sarif --fail-on medium`,
    )
    .action(async (path: string, opts: OutputOptions & { maxFileSize: string; constantUses?: boolean }) => {
      const result = await scanCode(path, { maxFileBytes: bytes(opts.maxFileSize, "--max-file-size"), constantUses: opts.constantUses === true });
      process.exitCode = await emitResults([result], opts);
    });

  withOutputOptions(
    scan
      .command("secrets")
      .description("find committed credentials in files, notebook outputs and (with --history) every git commit")
      .argument("<path>", "folder or file to scan")
      .option("--history", "also scan every commit reachable from any ref (PATH must be a git work tree)")
      .option("--baseline <file>", "accept the findings listed in this baseline file")
      .option("--write-baseline <file>", "write all current findings to FILE as the accepted baseline, then exit 0")
      .option("--no-generic", "only provider rules (skip the keyword-and-entropy rule)")
      .option("--max-file-size <size>", "skip (and report) files larger than this", "64m"),
    { failOn: "low" },
  )
    .addHelpText(
      "after",
      `
Secrets are never printed whole: findings show a short prefix and the length. GitHub and npm tokens are
checked against their CRC-32 checksum. Values that stand for a credential (templates and variables such
as \${DB_PASS}, $$PASS, {0}, [YOUR-PASSWORD], op:// references, masks) are not reported; weak and default
passwords written as values are. Lines with "gitleaks:allow", "pragma: allowlist secret" or
"# rampart: ignore[secrets] reason" are accepted.
Exit codes: 0 nothing at or above --fail-on (default low), 1 findings, 2 bad input.
Examples:
  rampart scan secrets . --history
  rampart scan secrets . --write-baseline .rampart/secrets-baseline.json
  rampart scan secrets . --baseline .rampart/secrets-baseline.json --format sarif -o secrets.sarif`,
    )
    .action(async (path: string, opts: OutputOptions & { history?: boolean; baseline?: string; writeBaseline?: string; generic: boolean; maxFileSize: string }) => {
      const baseline = opts.baseline && !opts.writeBaseline ? await readBaseline(opts.baseline) : undefined;
      const result = await scanSecrets(path, { history: opts.history, baseline, generic: opts.generic, maxFileBytes: bytes(opts.maxFileSize, "--max-file-size") });
      if (opts.writeBaseline) {
        const n = await writeBaseline(opts.writeBaseline, result.findings);
        process.stderr.write(`wrote ${n} accepted finding(s) to ${opts.writeBaseline}\n`);
        await emitResults([result], { ...opts, failOn: "critical" as Severity });
        process.exitCode = 0;
        return;
      }
      process.exitCode = await emitResults([result], opts);
    });
}
