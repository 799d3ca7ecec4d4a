import { basename } from "node:path";
import type { Command } from "commander";
import { Option } from "commander";
import { loadPublicKey, loadSigner } from "../../attest/index.js";
import type { CheckResult } from "../../core/index.js";
import { RampartError, readJson, readText, sha256File, writeFileAtomic } from "../../core/index.js";
import {
  attestationRef,
  buildManifest,
  buildProfile,
  DATA_FORMATS,
  type DataFormat,
  datasetFromArg,
  decryptText,
  detectPoison,
  ENTITIES,
  jsonLinesOf,
  loadProfile,
  loadTable,
  loadTrustPolicy,
  OPERATORS,
  type OperatorName,
  parseKey,
  recordRun,
  scanPii,
  scoreBatchFile,
  scoreRecordBatches,
  signManifest,
  trustKeys,
  verifyDataset,
  watchFolder,
} from "../../data/index.js";
import { openStore } from "../../store/index.js";
import { emitResults, type OutputOptions, withOutputOptions } from "../output.js";

export function registerData(program: Command): void {
  const data = program.command("data").description("secure data ingestion: signed dataset manifests, PII detection and redaction, poisoning checks");

  data
    .command("sign")
    .description("hash every file of a dataset and sign the manifest (sha256, size, rows, schema, source, licence) as an in-toto attestation")
    .argument("<path>", "dataset file or directory")
    .requiredOption("--source <uri>", "where the data came from (URI the trust policy matches)")
    .option("--license <spdx>", "licence of the data (SPDX id)")
    .option("--name <name>", "dataset name (default: the file or folder name)")
    .option("--key <file>", "private key (default: RAMPART_SIGNING_KEY, RAMPART_SIGNING_KEY_FILE, .rampart/keys/signing.key)")
    .option("-o, --output <file>", "where to write the envelope (default: PATH.manifest.json beside the dataset)")
    .option("--no-rows", "skip counting rows and reading schemas (hash only)")
    .option("--lineage", "also record an OpenLineage ingestion run (source → dataset, citing this manifest) in the store")
    .option("--database <url>", "store for --lineage (default RAMPART_DATABASE_URL, then .rampart/rampart.db)")
    .addHelpText(
      "after",
      "\nThe manifest is written beside the dataset, never inside it (it would be an extra file).\nExample:\n  rampart data sign data/train --source s3://corp-data/credit/2026-11 --license CC-BY-4.0 --key keys/data.key\n  rampart data verify data/train --policy trust.yaml",
    )
    .action(async (path: string, opts: { source: string; license?: string; name?: string; key?: string; output?: string; rows: boolean; lineage?: boolean; database?: string }) => {
      const signer = await loadSigner({ keyFile: opts.key, defaultFile: ".rampart/keys/signing.key" });
      const manifest = await buildManifest(path, { source: opts.source, license: opts.license, name: opts.name, rows: opts.rows });
      const envelope = await signManifest(manifest, [signer]);
      const out = opts.output ?? `${path.replace(/[/\\]+$/, "")}.manifest.json`;
      await writeFileAtomic(out, `${JSON.stringify(envelope, null, 2)}\n`);
      const rows = manifest.files.reduce((a, f) => a + (f.rows ?? 0), 0);
      process.stdout.write(
        `signed ${manifest.files.length} file(s), ${manifest.totalBytes} bytes${opts.rows ? `, ${rows} rows` : ""} → ${out} (key ${signer.keyId.slice(0, 16)}…)\n`,
      );
      if (opts.lineage) {
        const output = await datasetFromArg(path);
        const only = manifest.files.length === 1 ? manifest.files[0] : undefined;
        if (only?.schema) output.schema = only.schema;
        output.quality = { ...output.quality, rowCount: rows, bytes: manifest.totalBytes, fileCount: manifest.files.length };
        const store = await openStore({ url: opts.database });
        try {
          const [, end] = await recordRun(store, {
            job: { namespace: "rampart", name: `ingest:${manifest.dataset.name}` },
            inputs: [
              /^[a-z][a-z0-9+.-]*:\/\//i.test(opts.source)
                ? { ...(await datasetFromArg(opts.source)), source: { name: manifest.dataset.name, uri: opts.source } }
                : { namespace: "source", name: opts.source },
            ],
            outputs: [output],
            attestations: [attestationRef(envelope)],
          });
          process.stdout.write(`recorded lineage run ${end.run.runId}\n`);
        } finally {
          await store.close();
        }
      }
    });

  withOutputOptions(
    data
      .command("verify")
      .description("recheck every byte of a dataset against its signed manifest, and the signature against a trust policy")
      .argument("<path>", "dataset file or directory")
      .option("--manifest <file>", "signed manifest (default: PATH.manifest.json)")
      .option("--policy <file>", "trust policy YAML: which keys may sign which sources")
      .option("--key <file...>", "trust these public keys for any source (instead of --policy)"),
    { failOn: "high" },
  )
    .addHelpText(
      "after",
      `
Trust policy (paths relative to the policy file):
  version: 1
  keys:
    data-team: { publicKey: keys/data-team.pub }
  sources:
    - uri: "s3://corp-data/**"      # * = one path segment, ** = anything
      signers: [data-team]
      threshold: 1
Any changed, missing or extra file is a critical finding naming the file (exit 1).
Example:
  rampart data verify data/train --policy trust.yaml --format json`,
    )
    .action(async (path: string, opts: OutputOptions & { manifest?: string; policy?: string; key?: string[] }) => {
      if (!opts.policy && !opts.key) throw new RampartError("usage", "pass --policy FILE (or --key PUB to trust a key for every source)");
      const manifest = opts.manifest ?? `${path.replace(/[/\\]+$/, "")}.manifest.json`;
      const policy = opts.policy ? await loadTrustPolicy(opts.policy) : trustKeys(await Promise.all(opts.key!.map(loadPublicKey)));
      const result = await verifyDataset(path, await readJson(manifest), policy, { manifestName: manifest });
      process.exitCode = await emitResults([result], opts);
    });

  withOutputOptions(
    data
      .command("pii")
      .description("find personal data (e-mail, phone, cards, IBAN, SSN, IDs, names, addresses, …) in CSV, JSON Lines, Parquet or text; optionally write a redacted copy")
      .argument("<file>", "data file (.csv .tsv .jsonl .ndjson .parquet) or text file")
      .option("--text-field <name>", "JSON Lines: scan only this field (dotted path for nested objects)")
      .option("--threshold <score>", "report matches scoring at least this (0-1)", (v) => score(v), 0.5)
      .option("--entities <list>", `only these entities, comma-separated (${ENTITIES.join(", ")})`)
      .option("--max-findings <n>", "detailed findings to keep (all matches are counted)", (v) => whole(v, "--max-findings"), 1000)
      .addOption(new Option("--input-format <format>", "override the format guessed from the extension").choices([...DATA_FORMATS, "text"]))
      .option("--redact <out>", "write a redacted copy to OUT (atomically; format from its extension)")
      .addOption(new Option("--operator <op>", "how --redact replaces each match").choices(OPERATORS).default("replace"))
      .option("--key-file <file>", "32-byte key (64 hex chars) for hash, encrypt and pseudonym (else RAMPART_PII_KEY)")
      .option("--keep-last <n>", "mask: characters left visible at the end", (v) => whole(v, "--keep-last", 0), 0),
    { failOn: "high" },
  )
    .addHelpText(
      "after",
      `
Each match is a finding with row, field, character offset and length, entity and score; columns where
most values are PII get a column finding. Operators: replace (<EMAIL_ADDRESS>), mask (****1234),
hash (HMAC-SHA256 with your key), encrypt (AES-256-GCM, reversible with rampart data decrypt),
pseudonym (consistent stand-ins), redact (remove).
Examples:
  rampart data pii customers.csv
  rampart data pii tickets.jsonl --text-field body --redact tickets.clean.jsonl --operator pseudonym --key-file pii.key`,
    )
    .action(
      async (
        file: string,
        opts: OutputOptions & {
          textField?: string;
          threshold: number;
          entities?: string;
          maxFindings: number;
          inputFormat?: DataFormat | "text";
          redact?: string;
          operator: OperatorName;
          keyFile?: string;
          keepLast: number;
        },
      ) => {
        const entities = opts.entities?.split(",").map((e) => e.trim().toUpperCase());
        for (const e of entities ?? []) if (!ENTITIES.includes(e)) throw new RampartError("usage", `--entities: unknown entity "${e}" (known: ${ENTITIES.join(", ")})`);
        const key = await piiKey(opts.keyFile, opts.redact !== undefined && ["hash", "encrypt", "pseudonym"].includes(opts.operator));
        const result = await scanPii(file, {
          textField: opts.textField,
          threshold: opts.threshold,
          entities,
          maxFindings: opts.maxFindings,
          format: opts.inputFormat,
          redact: opts.redact ? { path: opts.redact, operator: { operator: opts.operator, key, keepLast: opts.keepLast } } : undefined,
        });
        process.exitCode = await emitResults([result], opts);
      },
    );

  data
    .command("profile")
    .description("write a baseline profile of a trusted dataset (robust statistics, histograms, categories, label shares) for poison --baseline and watch")
    .argument("<file>", "data file (.csv .tsv .jsonl .parquet)")
    .option("--label <column>", "label column (class shares and per-class statistics)")
    .option("--ignore <columns>", "comma-separated columns to leave out")
    .requiredOption("-o, --output <file>", "where to write the profile JSON (atomically)")
    .addHelpText("after", "\nExample:\n  rampart data profile data/train.csv --label default -o baseline.profile.json")
    .action(async (file: string, opts: { label?: string; ignore?: string; output: string }) => {
      const table = await loadTable(file, { label: opts.label, ignore: list(opts.ignore) });
      const profile = buildProfile(table, { name: basename(file), sha256: await sha256File(file) });
      await writeFileAtomic(opts.output, `${JSON.stringify(profile, null, 2)}\n`);
      process.stdout.write(`profiled ${profile.rows} rows, ${profile.columns.length} columns → ${opts.output}\n`);
    });

  withOutputOptions(
    data
      .command("poison")
      .description("find poisoned or anomalous rows: outliers, label noise, conflicting duplicates, backdoor triggers, class balance and shift against a baseline")
      .argument("<file>", "data file (.csv .tsv .jsonl .parquet)")
      .option("--label <column>", "label column (enables label-noise, duplicate, backdoor and balance checks)")
      .option("--baseline <profile>", "trusted baseline profile from rampart data profile (enables shift checks)")
      .option("--ignore <columns>", "comma-separated columns to leave out (identifiers, free text)")
      .option(
        "--z <threshold>",
        "robust z-score above which a value is an outlier (without --baseline a row standing apart from a tightly bunched table may be flagged below it)",
        (v) => positive(v, "--z"),
        3.5,
      )
      .option("--iforest <threshold>", "isolation-forest score above which a row is an outlier", (v) => positive(v, "--iforest"), 0.9)
      .option(
        "--max-flag-share <share>",
        "false-positive budget (0 < share ≤ 1): outliers flag at most this share of rows, most suspicious first; label noise flags the wrong labels that stand out from the table's overlap plus at most this share of the other rows",
        (v) => share(v, "--max-flag-share"),
        0.05,
      )
      .option(
        "--label-beyond-budget",
        "let label noise go past --max-flag-share: to 1.6× when confident learning estimates that many wrong labels, to 2× for labels the models rate below 10% (more flips found, but a clean table may get more than the share flagged)",
      )
      .option("--label-hard-cap", "never let label noise pass --max-flag-share of all rows (by default it may, only for wrong labels that stand out from the table's own overlap)")
      .option("--max-findings <n>", "row findings to keep, highest scores first", (v) => whole(v, "--max-findings"), 1000)
      .option("--max-rows <n>", "refuse files with more rows (memory: ~8 bytes per numeric cell)", (v) => whole(v, "--max-rows"), 20_000_000),
    { failOn: "high" },
  )
    .addHelpText(
      "after",
      `
Every suspicious row is a finding with location.row (1-based, header excluded), a score and the reason.
Outlier rows are capped at --max-flag-share of the rows (default 5%), highest scores first. On tables
with 30 or more numeric columns a row whose value sits at its column's edge while its correlated columns
sit mid-range is ranked too (shrunk-covariance distance on rank scores; evidence shrunkZ). For label
noise the share is a false-positive budget over the rows judged clean: labels the models rate below 10%,
in excess of those rated 10–30% (a clean table's overlap has more of the latter), are counted as wrong
(only in classes the models find at least 30% of the time), and the share applies to the other rows;
where the models agree with ≥ 90% of each class's labels the same excess is also read at the lines
5–25% (each against the band up to 2.25× it); confident learning's estimate or near-certain wrong labels
set apart from the rest may also pass it where the models agree with ≥ 93% of the labels and ≥ 80% of
each class's. On the 126 clean tables tested this flagged at most 5% of rows, including a table whose
1.6% class the models never predict. --label-hard-cap keeps label noise within the share of
all rows, --label-beyond-budget relaxes it. Raise the share when you expect more poisoned rows, lower
it to review fewer.
Example:
  rampart data profile trusted.csv --label label -o baseline.json
  rampart data poison incoming.csv --label label --baseline baseline.json --format json
  rampart data poison train.csv --label label --max-flag-share 0.02`,
    )
    .action(
      async (
        file: string,
        opts: OutputOptions & {
          label?: string;
          baseline?: string;
          ignore?: string;
          z: number;
          iforest: number;
          maxFlagShare: number;
          labelBeyondBudget?: boolean;
          labelHardCap?: boolean;
          maxFindings: number;
          maxRows: number;
        },
      ) => {
        const result = await detectPoison(file, {
          label: opts.label,
          baseline: opts.baseline ? await loadProfile(opts.baseline) : undefined,
          ignore: list(opts.ignore),
          zThreshold: opts.z,
          iforestThreshold: opts.iforest,
          maxFlagShare: opts.maxFlagShare,
          labelBeyondBudget: opts.labelBeyondBudget ?? false,
          labelHardCap: opts.labelHardCap ?? false,
          maxFindings: opts.maxFindings,
          maxRows: opts.maxRows,
        });
        process.exitCode = await emitResults([result], opts);
      },
    );

  data
    .command("watch")
    .description("score each incoming batch (new files in a folder, or JSON lines on stdin) against a baseline and alert on shift, label shift and outlier bursts")
    .argument("[dir]", "folder to watch for new .csv/.jsonl/.parquet files")
    .requiredOption("--baseline <profile>", "baseline profile (rampart data profile)")
    .option("--stdin", "read JSON lines from standard input instead of a folder")
    .option("--batch-size <n>", "records per batch with --stdin", (v) => whole(v, "--batch-size"), 1000)
    .option("--interval <ms>", "polling interval for the folder", (v) => whole(v, "--interval"), 1000)
    .option("--once", "score the files present now and exit (1 if any batch alerted)")
    .option("--ignore <columns>", "comma-separated columns to leave out")
    .addOption(new Option("-f, --format <format>", "one line per batch: text or a JSON CheckResult").choices(["text", "json"]).default("text"))
    .addHelpText(
      "after",
      "\nEach batch prints one line (or one JSON CheckResult per line with --format json); alerts go to stderr too.\nExamples:\n  rampart data watch incoming/ --baseline baseline.json\n  tail -f events.jsonl | rampart data watch --stdin --baseline baseline.json --batch-size 500",
    )
    .action(async (dir: string | undefined, opts: { baseline: string; stdin?: boolean; batchSize: number; interval: number; once?: boolean; ignore?: string; format: string }) => {
      const baseline = await loadProfile(opts.baseline);
      if (!opts.stdin && !dir) throw new RampartError("usage", "name a folder to watch, or pass --stdin");
      let alerts = 0;
      const emit = (r: CheckResult) => {
        const alert = r.metrics.alert === true;
        if (alert) alerts++;
        if (opts.format === "json") process.stdout.write(`${JSON.stringify(r)}\n`);
        else {
          const problems = r.findings.filter((f) => !f.location?.row && f.severity !== "low" && f.severity !== "info").map((f) => f.message);
          process.stdout.write(
            `${new Date().toISOString()} ${r.subjects[0]?.name ?? "batch"} rows=${r.metrics.rows} outliers=${((r.metrics.outlierRate as number) * 100).toFixed(1)}% ${alert ? `ALERT: ${problems.join("; ")}` : "ok"}\n`,
          );
        }
        if (alert && opts.format === "json") process.stderr.write(`rampart: ALERT ${r.subjects[0]?.name}\n`);
      };
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      try {
        if (opts.stdin) {
          for await (const r of scoreRecordBatches(jsonLinesOf(process.stdin, "stdin"), baseline, opts.batchSize, { ignore: list(opts.ignore) })) emit(r);
        } else {
          for await (const file of watchFolder(dir!, { intervalMs: opts.interval, once: opts.once, signal: controller.signal }))
            emit(await scoreBatchFile(file, baseline, { ignore: list(opts.ignore) }));
        }
      } finally {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
      }
      if (alerts > 0) process.exitCode = 1;
    });

  data
    .command("decrypt")
    .description("reverse the encrypt operator: replace every ENC[...] token in a file by its plaintext")
    .argument("<file>", "file written by rampart data pii --redact … --operator encrypt")
    .option("--key-file <file>", "the same 32-byte key (else RAMPART_PII_KEY)")
    .option("-o, --output <file>", "write here (atomically) instead of standard output")
    .addHelpText("after", "\nExample:\n  rampart data decrypt tickets.enc.jsonl --key-file pii.key -o tickets.jsonl")
    .action(async (file: string, opts: { keyFile?: string; output?: string }) => {
      const key = (await piiKey(opts.keyFile, true))!;
      const text = decryptText(await readText(file), key);
      if (opts.output) await writeFileAtomic(opts.output, text);
      else process.stdout.write(text);
    });
}

async function piiKey(file: string | undefined, required: boolean): Promise<Buffer | undefined> {
  if (file) return parseKey(await readText(file), file);
  if (process.env.RAMPART_PII_KEY) return parseKey(process.env.RAMPART_PII_KEY, "RAMPART_PII_KEY");
  if (required) throw new RampartError("usage", "this operator needs a key: pass --key-file FILE or set RAMPART_PII_KEY (64 hex characters)");
  return undefined;
}

function score(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new RampartError("usage", `--threshold: expected a number between 0 and 1, got "${v}"`);
  return n;
}

export function whole(v: string, flag: string, min = 1): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new RampartError("usage", `${flag}: expected a whole number of at least ${min}, got "${v}"`);
  return n;
}

function list(v: string | undefined): string[] | undefined {
  return v
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

function positive(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new RampartError("usage", `${flag}: expected a positive number, got "${v}"`);
  return n;
}

function share(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > 1) throw new RampartError("usage", `${flag}: expected a share between 0 (excluded) and 1, got "${v}"`);
  return n;
}
