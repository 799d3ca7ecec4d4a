import type { Command } from "commander";
import { Option } from "commander";
import { attestCheckResult, checkResultOf, loadPublicKey, loadSigner, verifyStatement } from "../../attest/index.js";
import { CheckResult, RampartError, readJson, type Subject, sha256File, subjectOf, writeFileAtomic } from "../../core/index.js";

export function registerAttest(program: Command): void {
  program
    .command("attest")
    .description("sign a CheckResult (from --format json) as an in-toto statement in a DSSE envelope")
    .argument("<result>", "CheckResult JSON file")
    .option("--subject <path...>", "file or folder the statement is about (default: the result's own subjects)")
    .option("--key <file>", "private key (default: RAMPART_SIGNING_KEY, RAMPART_SIGNING_KEY_FILE)")
    .option("-o, --output <file>", "write the envelope here (default: standard output)")
    .addHelpText(
      "after",
      "\nExample:\n  rampart scan model model.pt --format json > scan.json\n  rampart attest scan.json --subject model.pt --key .rampart/keys/signing.key -o scan.intoto.json",
    )
    .action(async (file: string, opts: { subject?: string[]; key?: string; output?: string }) => {
      const json = await readJson(file);
      const parsed = CheckResult.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new RampartError("invalid-input", `${file}: not a CheckResult (${issue.path.join(".") || "root"}: ${issue.message})`);
      }
      const subjects: Subject[] = opts.subject ? await Promise.all(opts.subject.map((p) => subjectOf(p))) : parsed.data.subjects;
      if (subjects.length === 0) throw new RampartError("usage", `${file}: the result names no subject; pass --subject PATH`);
      const signer = await loadSigner({ keyFile: opts.key });
      const envelope = await attestCheckResult(parsed.data, [signer], subjects);
      const text = `${JSON.stringify(envelope, null, 2)}\n`;
      if (opts.output) await writeFileAtomic(opts.output, text);
      else process.stdout.write(text);
    });

  program
    .command("verify")
    .description("verify a DSSE envelope's signatures against trusted public keys, and optionally its subjects")
    .argument("<envelope>", "DSSE envelope JSON file")
    .requiredOption("--key <file...>", "trusted public key (PEM); repeat for several")
    .option("--threshold <n>", "distinct trusted signatures required", (v) => positiveInt(v, "--threshold"), 1)
    .option("--subject <path...>", "check that these files are subjects of the statement (by sha256)")
    .addOption(new Option("-f, --format <format>", "output format").choices(["table", "json"]).default("table"))
    .addHelpText(
      "after",
      "\nExit 0 when verified, 2 with a one-line reason when not.\nExample:\n  rampart verify scan.intoto.json --key .rampart/keys/signing.pub --subject model.pt",
    )
    .action(async (file: string, opts: { key: string[]; threshold: number; subject?: string[]; format: string }) => {
      const trusted = await Promise.all(opts.key.map(loadPublicKey));
      const verified = verifyStatement(await readJson(file), trusted, { threshold: opts.threshold, source: file });
      for (const path of opts.subject ?? []) {
        const sha256 = await sha256File(path);
        if (!verified.statement.subject.some((s) => s.digest.sha256 === sha256))
          throw new RampartError("bad-signature", `${path}: sha256 ${sha256.slice(0, 16)}… is not a subject of ${file}`);
      }
      if (opts.format === "json") {
        process.stdout.write(`${JSON.stringify({ verified: true, keyIds: verified.keyIds, statement: verified.statement }, null, 2)}\n`);
        return;
      }
      const result = checkResultOf(verified.statement);
      const lines = [
        `verified     ${file}`,
        `signed by    ${verified.keyIds.join(", ")}`,
        `predicate    ${verified.statement.predicateType}`,
        ...verified.statement.subject.map((s) => `subject      ${s.name ?? "(unnamed)"}  sha256:${s.digest.sha256 ?? "?"}`),
        ...(result ? [`check        ${result.check} ${result.version}: ${result.findings.length} finding(s)`] : []),
      ];
      process.stdout.write(`${lines.join("\n")}\n`);
    });
}

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new RampartError("usage", `${flag}: expected a whole number of at least 1, got "${value}"`);
  return n;
}
