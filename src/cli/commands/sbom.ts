import { stat } from "node:fs/promises";
import { join } from "node:path";
import { type Command, Option } from "commander";
import { loadPublicKey } from "../../attest/index.js";
import { FORMATS, type Format, failing, fileError, loadYaml, RampartError, render, SEVERITIES, type Severity, sha256Hex, VERSION, writeFileAtomic } from "../../core/index.js";
import { buildSbom, cyclonedxToSpdx23, LicensePolicy } from "../../sbom/index.js";
import { openStore } from "../../store/index.js";
import { globalFlags, interactive } from "../output.js";

interface SbomFlags {
  output?: string;
  report?: string;
  format: Format | "spdx" | "cyclonedx";
  bomFormat?: "cyclonedx" | "spdx";
  failOn: Severity;
  policy?: string;
  key?: string[];
  evidence: boolean;
  dev: boolean;
  name?: string;
  databaseUrl?: string;
}

export function registerSbom(program: Command): void {
  program
    .command("sbom")
    .description("write a CycloneDX 1.6 ML-BOM of a project (libraries, models, datasets) and check licences against a policy")
    .argument("<path>", "project folder")
    .option("-o, --output <file>", "write the BOM to FILE (atomically); default: standard output")
    .option("--report <file>", "write the licence report (see --format) to FILE; default: standard error when the BOM goes to standard output, else standard output")
    .addOption(new Option("--bom-format <format>", "BOM format: CycloneDX 1.6 JSON (default) or SPDX 2.3 JSON").choices(["cyclonedx", "spdx"]))
    .addOption(
      new Option("-f, --format <format>", "licence report format; `spdx` / `cyclonedx` are short for --bom-format (the report is then a table)")
        .choices([...FORMATS, "spdx", "cyclonedx"])
        .default("table"),
    )
    .addOption(new Option("--fail-on <severity>", "exit 1 when a licence finding is at or above this severity").choices(SEVERITIES).default("high"))
    .option("--policy <file>", "licence policy YAML: allow: [ids], deny: [ids], copyleft: flag|deny|allow, unknown: flag|deny|allow (ids may end in *)")
    .option("--key <file...>", "trusted public key(s): only attestations they signed fill model cards (default: use stored evidence unverified, marked so)")
    .option("--no-evidence", "do not read attestations from the store for model cards")
    .option("--no-dev", "leave development dependencies out")
    .option("--name <name>", "name of the project component (default: the folder name)")
    .option("--database-url <url>", "store with attestations (postgres://… or a SQLite path; default RAMPART_DATABASE_URL, then PATH/.rampart/rampart.db)")
    .addHelpText(
      "after",
      `
Libraries come from the same lockfiles as \`rampart scan deps\`, with purls, hashes and licences (from the
lockfile, node_modules/*/package.json or .venv site-packages *.dist-info/METADATA). Models are found by
magic bytes (safetensors, GGUF, HDF5, PyTorch zip, pickle, TFLite, ONNX) and get a modelCard from their
README.md front matter and from Rampart attestations about their sha256. Data files are data components.
The BOM is validated against the official CycloneDX 1.6 JSON schema before it is written.

\`--format spdx\` (or \`--bom-format spdx\`) writes SPDX 2.3 JSON made from the same validated BOM: packages
with purls and checksums, DEPENDS_ON / DEV_DEPENDENCY_OF / CONTAINS relationships.

Examples:
  rampart sbom . -o bom.cdx.json --policy licence-policy.yaml --key .rampart/keys/signing.pub
  rampart sbom . --format spdx -o bom.spdx.json`,
    )
    .action(async (path: string, opts: SbomFlags) => {
      const policy = opts.policy ? await loadYaml(LicensePolicy, opts.policy) : undefined;
      const trustedKeys = opts.key ? await Promise.all(opts.key.map(loadPublicKey)) : undefined;
      const info = await stat(path).catch((e) => {
        throw fileError(path, e);
      });
      if (!info.isDirectory()) throw new RampartError("usage", `${path}: expected a project folder`);
      // Read evidence from a store that exists; never create one inside the project being described.
      const projectDb = join(path, ".rampart", "rampart.db");
      const haveStore =
        Boolean(opts.databaseUrl ?? process.env.RAMPART_DATABASE_URL) ||
        (await stat(projectDb).then(
          () => true,
          () => false,
        ));
      const store = opts.evidence && haveStore ? await openStore({ url: opts.databaseUrl, projectDir: path }) : undefined;
      try {
        const bomFormat = opts.bomFormat ?? (opts.format === "spdx" || opts.format === "cyclonedx" ? opts.format : "cyclonedx");
        const reportFormat: Format = opts.format === "spdx" || opts.format === "cyclonedx" ? "table" : opts.format;
        const built = await buildSbom(path, { store, trustedKeys, policy, dev: opts.dev, projectName: opts.name });
        const { result } = built;
        const json = bomFormat === "spdx" ? cyclonedxToSpdx23(built.json) : built.json;
        const withBom = { ...result, subjects: [{ name: opts.output ?? "bom.json", digest: { sha256: sha256Hex(json) } }, ...result.subjects] };
        if (opts.output) await writeFileAtomic(opts.output, json);
        else process.stdout.write(json);
        const toStderr = !opts.output && !opts.report;
        const color = globalFlags.color ?? (!opts.report && interactive(toStderr ? process.stderr : process.stdout));
        const text = render([withBom], reportFormat, { color, width: process.stdout.columns, failOn: opts.failOn, toolVersion: VERSION });
        if (opts.report) await writeFileAtomic(opts.report, text);
        else (toStderr ? process.stderr : process.stdout).write(text);
        process.exitCode = failing([withBom], opts.failOn).length > 0 ? 1 : 0;
      } finally {
        await store?.close();
      }
    });
}
