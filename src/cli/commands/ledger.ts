import { createReadStream, existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { type Command, Option } from "commander";
import * as z from "zod";
import { loadPublicKey, loadSigner, type Signer } from "../../attest/index.js";
import { type CheckResult, type Finding, loadYaml, RampartError, readJson, readText, registerRules, subjectOf, VERSION, writeFileAtomic } from "../../core/index.js";
import {
  auditLog,
  exportBundle,
  exportReleaseBundle,
  formatVkey,
  httpWitness,
  Ledger,
  type LedgerEvent,
  originFor,
  parseEvent,
  parseNote,
  parseVkey,
  peekCheckpoint,
  RELEASE_ID,
  requestCosignature,
  SIG_COSIGNATURE_V1,
  verifyCosignature,
  Witness,
} from "../../ledger/index.js";
import { CONFIG_FILE, DEFAULT_KEY } from "../../pipeline/config.js";
import { openStore, type Store } from "../../store/index.js";
import { emitResults, withOutputOptions } from "../output.js";

registerRules([
  {
    id: "ledger.edited",
    title: "A ledger row was edited",
    help: "Restore the row from a backup or a mirror; the signed checkpoints show the original.",
    defaultSeverity: "critical",
  },
  { id: "ledger.deleted", title: "A ledger row was deleted", help: "Restore the missing entry from a backup or a mirror.", defaultSeverity: "critical" },
  { id: "ledger.reordered", title: "Ledger rows were reordered", help: "Restore the original order from a backup or a mirror.", defaultSeverity: "critical" },
  {
    id: "ledger.fork",
    title: "Two signed checkpoints fork the log",
    help: "The log key signed two histories: treat the key as compromised and investigate.",
    defaultSeverity: "critical",
  },
  {
    id: "ledger.checkpoint-mismatch",
    title: "Rows no longer reproduce a signed checkpoint",
    help: "Some entry before this checkpoint changed; compare with a mirror.",
    defaultSeverity: "critical",
  },
  {
    id: "ledger.bad-checkpoint",
    title: "A stored checkpoint does not verify",
    help: "Its signature or witness quorum fails; it was forged or altered.",
    defaultSeverity: "critical",
  },
  {
    id: "ledger.node-mismatch",
    title: "Stored tree hashes do not match the rows",
    help: "Run the audit against a backup; proofs served from this store are unreliable.",
    defaultSeverity: "high",
  },
  { id: "ledger.size-mismatch", title: "The log's size does not match its rows", help: "Rows were removed or added outside Rampart.", defaultSeverity: "critical" },
]);

interface Common {
  project: string;
  database?: string;
  origin?: string;
}

function common(cmd: Command): Command {
  return cmd
    .option("-C, --project <dir>", "project folder (holds rampart.yaml and .rampart/)", ".")
    .option("--database <url>", "store: postgres://… or a SQLite file (default RAMPART_DATABASE_URL, then the project's .rampart/rampart.db)")
    .option("--origin <origin>", "log origin (default: rampart.local/<project name from rampart.yaml>)");
}

async function originOf(opts: Common): Promise<string> {
  if (opts.origin) return opts.origin;
  const file = join(resolve(opts.project), CONFIG_FILE);
  if (!existsSync(file)) throw new RampartError("usage", `${file}: no rampart.yaml here; pass --project DIR or --origin ORIGIN`);
  const config = await loadYaml(z.object({ project: z.string().min(1) }).loose(), file);
  return originFor(config.project);
}

async function withLedger<T>(opts: Common, fn: (ledger: Ledger, store: Store) => Promise<T>): Promise<T> {
  const origin = await originOf(opts);
  const store = await openStore({ url: opts.database, projectDir: resolve(opts.project) });
  try {
    return await fn(await Ledger.open(store, origin), store);
  } finally {
    await store.close();
  }
}

function projectSigner(opts: Common & { key?: string }): Promise<Signer> {
  const defaultFile = join(resolve(opts.project), DEFAULT_KEY);
  if (!opts.key && !process.env.RAMPART_SIGNING_KEY && !process.env.RAMPART_SIGNING_KEY_FILE && !existsSync(defaultFile))
    throw new RampartError(
      "not-found",
      `${defaultFile}: no log signing key; pass --key FILE, or create one with rampart keys generate --out ${join(opts.project, ".rampart", "keys", "signing")}`,
    );
  return loadSigner({ keyFile: opts.key, defaultFile });
}

function wholeNumber(value: string, flag: string, min = 0): number {
  const n = Number(value);
  if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(n) || n < min) throw new RampartError("usage", `${flag}: expected a whole number ≥ ${min}, got "${value}"`);
  return n;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

async function readVkey(value: string, what: string): Promise<string> {
  if (value.trim() === "") throw new RampartError("usage", `${what}: empty verifier key`);
  // A vkey is given inline or as a file holding one.
  const text = value.includes("+") ? value : (await readText(value)).trim();
  return parseVkey(text, what).vkey;
}

/** Reads JSON Lines events in batches; each batch is one transaction. */
async function* eventBatches(file: string, size: number): AsyncGenerator<LedgerEvent[]> {
  const stream = file === "-" ? process.stdin : createReadStream(file);
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let batch: LedgerEvent[] = [];
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === "") continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new RampartError("invalid-input", `${file}:${n}: not valid JSON`);
    }
    batch.push(parseEvent(json, `${file}:${n}`));
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

export function registerLedger(program: Command): void {
  const ledger = program
    .command("ledger")
    .description("tamper-evident audit ledger: append events, sign checkpoints, prove, verify, witness, export evidence")
    .addHelpText(
      "after",
      `
The ledger is an RFC 9162 Merkle log per project (origin rampart.local/<project>) in the project's store;
\`rampart run\` appends every attestation it records. Checkpoints are C2SP signed notes; witnesses cosign them.
Example:
  rampart ledger checkpoint && rampart ledger export credit_model.pkl -o evidence.json && rampart verify-bundle evidence.json`,
    );

  common(ledger.command("append"))
    .description("append audit events to the project's ledger (one transaction per batch)")
    .option("--kind <kind>", "event kind: attestation, data-access, training-run, approval, deployment-decision, note, or x.custom")
    .option("--subject <path|name=sha256>", "the artifact the event is about (a file is hashed)")
    .option("--actor <who>", "who did it")
    .option("--data <json>", "event details as a JSON object")
    .option("--event-id <id>", "idempotency key: re-appending the same id returns the existing entry")
    .option("--file <events.jsonl>", "append events from a JSON Lines file ('-' for standard input)")
    .option("--batch <n>", "events per transaction with --file", (v) => wholeNumber(v, "--batch", 1), 5000)
    .addHelpText(
      "after",
      `
Each line of --file is an event: {"kind": "...", "subject": {"name": "...", "sha256": "..."}, "actor": "...", "data": {...}, "eventId": "..."}.
A batch is written completely or not at all; rerunning a file whose events carry eventIds appends only what is missing.
Examples:
  rampart ledger append --kind data-access --subject data/applications.csv --actor alice --data '{"purpose":"training"}'
  rampart ledger append --file events.jsonl`,
    )
    .action(async (opts: Common & { kind?: string; subject?: string; actor?: string; data?: string; eventId?: string; file?: string; batch: number }) => {
      if (!opts.file && !opts.kind) throw new RampartError("usage", "append: pass --kind (and optionally --subject, --data) or --file EVENTS.jsonl");
      await withLedger(opts, async (log) => {
        if (opts.file) {
          let total = 0;
          let dup = 0;
          for await (const batch of eventBatches(opts.file, opts.batch)) {
            const out = await log.append(batch);
            total += out.length;
            dup += out.filter((e) => e.duplicate).length;
          }
          const st = await log.state();
          process.stdout.write(`appended ${total - dup} event(s)${dup ? `, ${dup} already present` : ""}; ${log.origin} now has ${st.size} entries\n`);
          return;
        }
        let data: unknown;
        if (opts.data) {
          try {
            data = JSON.parse(opts.data);
          } catch {
            throw new RampartError("usage", "--data: not valid JSON");
          }
        }
        let subject: { name: string; sha256: string } | undefined;
        if (opts.subject) {
          const m = /^(.+)=(?:sha256:)?([0-9a-f]{64})$/.exec(opts.subject);
          if (m) subject = { name: m[1]!, sha256: m[2]! };
          else {
            const s = await subjectOf(opts.subject);
            subject = { name: s.name, sha256: s.digest.sha256 };
          }
        }
        const event = parseEvent({ kind: opts.kind, subject, actor: opts.actor, data, eventId: opts.eventId }, "event");
        const [e] = await log.append([event]);
        process.stdout.write(`${e!.duplicate ? "already present" : "appended"}  ${log.origin}  index ${e!.index}  leaf ${e!.leafHash.toString("hex")}\n`);
      });
    });

  common(ledger.command("checkpoint"))
    .description("sign a checkpoint of the current tree (C2SP tlog-checkpoint) and collect witness cosignatures")
    .option("--key <file>", "log signing key (default: RAMPART_SIGNING_KEY(_FILE), then the project key)")
    .option("--witness <url>", "witness to ask for a cosignature (repeat; pair each with --witness-key)", collect)
    .option("--witness-key <vkey|file>", "that witness's cosignature verifier key (repeat, same order)", collect)
    .option("--quorum <n>", "fail unless this many witnesses cosign", (v) => wholeNumber(v, "--quorum"), 0)
    .option("-o, --output <file>", "also write the cosigned checkpoint to FILE")
    .addHelpText(
      "after",
      `
The checkpoint is a signed note: origin, tree size, base64 root, then "— <origin> <signature>" lines.
Example:
  rampart ledger checkpoint --witness http://witness-1:8081 --witness-key w1.vkey --quorum 1`,
    )
    .action(async (opts: Common & { key?: string; witness?: string[]; witnessKey?: string[]; quorum: number; output?: string }) => {
      const urls = opts.witness ?? [];
      const keys = opts.witnessKey ?? [];
      if (urls.length !== keys.length) throw new RampartError("usage", `--witness given ${urls.length} time(s) but --witness-key ${keys.length}: pair each witness with its key`);
      if (opts.quorum > urls.length) throw new RampartError("usage", `--quorum ${opts.quorum} is more than the ${urls.length} witness(es) given`);
      const signer = await projectSigner(opts);
      const vkeys = await Promise.all(keys.map((k, i) => readVkey(k, `--witness-key ${i + 1}`)));
      await withLedger(opts, async (log) => {
        const cp = await log.signCheckpoint(signer);
        let note = cp.note;
        const failures: string[] = [];
        for (const [i, url] of urls.entries()) {
          try {
            note = await requestCosignature(log, { ...cp, note }, vkeys[i]!, httpWitness(url));
          } catch (e) {
            failures.push((e as Error).message);
          }
        }
        const cosigned = urls.length - failures.length;
        if (opts.output) await writeFileAtomic(opts.output, note);
        process.stdout.write(note);
        for (const f of failures) process.stderr.write(`rampart: warning: ${f}\n`);
        if (cosigned < opts.quorum) throw new RampartError("conflict", `only ${cosigned} of ${urls.length} witnesses cosigned size ${cp.size}; quorum is ${opts.quorum}`);
      });
    });

  common(ledger.command("cosign"))
    .description("record cosignature lines a witness produced offline (rampart ledger witness cosign) on the checkpoint they sign")
    .argument("<lines>", "file with the witness's cosignature line(s) ('-' for standard input)")
    .requiredOption("--witness-key <vkey|file>", "the witness's cosignature verifier key")
    .addHelpText("after", "\nExample:\n  rampart ledger witness cosign req.txt ... > w1.sig && rampart ledger cosign w1.sig --witness-key w1.vkey")
    .action(async (file: string, opts: Common & { witnessKey: string }) => {
      const vkey = await readVkey(opts.witnessKey, "--witness-key");
      const witness = parseVkey(vkey, "--witness-key");
      const text = file === "-" ? await readStdin() : await readText(file);
      const lines = text.split("\n").filter((l) => l.trim() !== "");
      await withLedger(opts, async (log) => {
        const checkpoints = (await log.checkpoints()).reverse();
        for (const line of lines) {
          const sig = parseNote(`x\n\n${line}\n`, file).signatures[0]!;
          const cp = checkpoints.find((c) => verifyCosignature(peekCheckpoint(c.note).text, sig, witness));
          if (!cp) throw new RampartError("bad-signature", `${file}: the line by ${sig.name} is not a valid cosignature of any checkpoint of ${log.origin} by ${witness.name}`);
          await log.addCosignatures(cp.id, witness.vkey, [line]);
          process.stdout.write(`recorded ${witness.name}'s cosignature on checkpoint size ${cp.size}\n`);
        }
      });
    });

  common(ledger.command("vkey"))
    .description("print the log's signed-note verifier key (give it to auditors and witnesses)")
    .option("--key <file>", "log signing key (default: the recorded log key, then the project key)")
    .addHelpText("after", "\nExample:\n  rampart ledger vkey > log.vkey")
    .action(async (opts: Common & { key?: string }) => {
      await withLedger(opts, async (log) => {
        const recorded = (await log.state()).logVkey;
        const vkey = !opts.key && recorded ? recorded : formatVkey(log.origin, (await projectSigner(opts)).publicKey);
        process.stdout.write(`${vkey}\n`);
      });
    });

  common(ledger.command("prove"))
    .description("print an offline inclusion proof (c2sp.org/tlog-proof) for an entry, or a consistency proof")
    .argument("[index]", "entry index")
    .option("--consistency <old>", "instead, prove that the checkpointed tree extends the tree of size OLD")
    .addHelpText(
      "after",
      `
The proof is against the latest checkpoint covering the entry, which is included with its cosignatures.
Examples:
  rampart ledger prove 42 > entry-42.proof
  rampart ledger prove --consistency 100`,
    )
    .action(async (index: string | undefined, opts: Common & { consistency?: string }) => {
      await withLedger(opts, async (log) => {
        const cp = await log.latestCheckpoint();
        if (!cp) throw new RampartError("usage", `ledger ${log.origin}: no checkpoint yet; run rampart ledger checkpoint`);
        if (opts.consistency !== undefined) {
          const p = await log.consistencyProof(wholeNumber(opts.consistency, "--consistency", 1), cp.size);
          process.stdout.write(`old ${p.oldSize}\n${p.proof.map((h) => `${h.toString("base64")}\n`).join("")}\n${cp.note}`);
          return;
        }
        if (index === undefined) throw new RampartError("usage", "prove: give an entry INDEX or --consistency OLD");
        const i = wholeNumber(index, "index");
        if (i >= cp.size) throw new RampartError("usage", `entry ${i} is not covered by the latest checkpoint (size ${cp.size}); run rampart ledger checkpoint`);
        const p = await log.inclusionProof(i, cp.size);
        process.stdout.write(`c2sp.org/tlog-proof@v1\nindex ${i}\n${p.proof.map((h) => `${h.toString("base64")}\n`).join("")}\n${cp.note}`);
      });
    });

  withOutputOptions(
    common(ledger.command("verify"))
      .description("recheck the whole log against its signed checkpoints; name edited, deleted or reordered rows and forks")
      .option("--log-key <vkey|file>", "trusted log key (default: the key recorded with the log)")
      .option("--witness-key <vkey|file>", "trusted witness key (repeat)", collect)
      .option("--quorum <n>", "witness cosignatures every checkpoint must carry", (v) => wholeNumber(v, "--quorum"), 0),
    { failOn: "high" },
  )
    .addHelpText("after", "\nExit 0 when the log is intact, 1 when tampering is found.\nExample:\n  rampart ledger verify --log-key log.vkey --format sarif -o ledger.sarif")
    .action(async (opts: Common & { logKey?: string; witnessKey?: string[]; quorum: number; format: never; output?: string; failOn: never }) => {
      const logKey = opts.logKey ? await readVkey(opts.logKey, "--log-key") : undefined;
      const witnesses = await Promise.all((opts.witnessKey ?? []).map(async (k, i) => parseVkey(await readVkey(k, `--witness-key ${i + 1}`))));
      const result = await withLedger(opts, async (log) => {
        const audit = await auditLog(log, { logKey, witnesses, quorum: opts.quorum });
        const findings: Finding[] = audit.problems.map((p) => ({
          ruleId: `ledger.${p.kind}`,
          severity: p.kind === "node-mismatch" ? "high" : "critical",
          message: p.message,
          location: p.index !== undefined ? { file: log.origin, row: p.index + 1 } : { file: log.origin },
          tags: ["cwe:345"],
        }));
        const r: CheckResult = {
          check: "ledger-verify",
          version: VERSION,
          subjects: [],
          findings,
          metrics: { entries: audit.size, checkpoints: audit.checkpoints, verifiedUpTo: audit.verifiedUpTo },
        };
        return r;
      });
      process.exitCode = await emitResults([result], opts);
    });

  common(ledger.command("export"))
    .description("write an evidence bundle: attestations, inclusion proofs, cosigned checkpoint and public keys")
    .argument("[release]", "registry release id (rel-…): a bundle directory; or a subject sha256 / name: one bundle file")
    .option("--run <runId>", "instead, every attestation of one pipeline run")
    .requiredOption("-o, --output <path>", "bundle directory (release id) or file to write")
    .option("--key <file>", "log key, to sign a fresh checkpoint when none covers the entries")
    .option("--attestation-key <pem>", "public key that signed the attestations (repeat; default: the project's .rampart/keys/signing.pub)", collect)
    .addHelpText(
      "after",
      `
A release id exports a directory: bundle.json (checkpoint, keys, entries with inclusion proofs) and
attestations/, reviews/ (each signed by its reviewer) and decisions/ (gate decisions) files.
Verify the bundle anywhere, offline, with rampart verify-bundle.
Examples:
  rampart ledger export rel-0123456789ab -o evidence/
  rampart ledger export credit-model -o evidence.json
  rampart ledger export --run 20261125T120000-ab12cd -o run-evidence.json`,
    )
    .action(async (release: string | undefined, opts: Common & { run?: string; output: string; key?: string; attestationKey?: string[] }) => {
      const pubs = opts.attestationKey ?? [join(resolve(opts.project), DEFAULT_KEY.replace(/\.key$/, ".pub"))];
      const attestationKeys = await Promise.all(pubs.map((p) => loadPublicKey(p)));
      let signer: Signer | undefined;
      try {
        signer = await projectSigner(opts);
      } catch {
        signer = undefined; // only needed when no checkpoint covers the entries
      }
      await withLedger(opts, async (log, store) => {
        if (release && RELEASE_ID.test(release)) {
          const out = await exportReleaseBundle(store, log, release, { outDir: opts.output, attestationKeys, signer });
          const cp = peekCheckpoint(out.bundle.checkpoint);
          process.stdout.write(`wrote ${opts.output}: ${out.bundle.entries.length} entries of ${out.bundle.origin} in ${out.files.length} files, checkpoint size ${cp.size}\n`);
          return;
        }
        const bundle = await exportBundle(store, log, { release, run: opts.run, attestationKeys, signer });
        await writeFileAtomic(opts.output, `${JSON.stringify(bundle, null, 2)}\n`);
        const cp = peekCheckpoint(bundle.checkpoint);
        process.stdout.write(`wrote ${opts.output}: ${bundle.entries.length} entr${bundle.entries.length === 1 ? "y" : "ies"} of ${bundle.origin}, checkpoint size ${cp.size}\n`);
      });
    });

  common(ledger.command("serve"))
    .description("serve the ledger HTTP API (append needs a bearer token from RAMPART_LEDGER_TOKEN)")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--port <port>", "port (0 = any free port)", (v) => wholeNumber(v, "--port"), 8080)
    .option("--key <file>", "log key, to sign checkpoints on POST .../checkpoint")
    .addHelpText(
      "after",
      "\nRoutes: GET /ledger/logs, POST /ledger/logs/:origin/entries, GET|POST /ledger/logs/:origin/checkpoint,\n  GET /ledger/logs/:origin/entries/:index, /proof/inclusion, /proof/consistency, /tile/... (origin URL-encoded)\nExample:\n  RAMPART_LEDGER_TOKEN=$(openssl rand -hex 32) rampart ledger serve --port 8080",
    )
    .action(async (opts: Common & { host: string; port: number; key?: string }) => {
      const tokens = (process.env.RAMPART_LEDGER_TOKEN ?? "").split(",").filter((t) => t.length >= 16);
      if (tokens.length === 0) process.stderr.write("rampart: warning: RAMPART_LEDGER_TOKEN unset (or shorter than 16 characters): appends are refused\n");
      const signer = opts.key ? await loadSigner({ keyFile: opts.key }) : undefined;
      const { buildApp, ledgerRoutes } = await serverModules();
      const store = await openStore({ url: opts.database, projectDir: resolve(opts.project) });
      const app = await buildApp({ plugins: [{ plugin: ledgerRoutes as never, options: { store, tokens, signer }, prefix: "/ledger" }] });
      const address = await app.listen({ host: opts.host, port: opts.port });
      process.stdout.write(`ledger API on ${address}/ledger\n`);
      await waitForSignal();
      await app.close();
      await store.close();
    });

  const witness = ledger
    .command("witness")
    .description("an independent witness: cosigns checkpoints only when consistent with the last one it saw")
    .addHelpText(
      "after",
      "\nA witness has its own key and its own database; it refuses forks and rollbacks and keeps both signed checkpoints.\nExample:\n  rampart keys generate --out w1 && rampart ledger witness vkey --name w1.example --key w1.key",
    );
  const witnessOpts = (cmd: Command) =>
    cmd
      .requiredOption("--name <name>", "witness name (its key name in cosignature lines), e.g. witness.example.org/w1")
      .requiredOption("--key <file>", "the witness's own Ed25519 private key (rampart keys generate)")
      .requiredOption("--database <url>", "the witness's own store (SQLite file or postgres://…), never the log's")
      .option("--log-key <vkey|file>", "verifier key of a log to follow (repeat)", collect);
  const makeWitness = async (opts: { name: string; key: string; database: string; logKey?: string[] }) => {
    const signer = await loadSigner({ keyFile: opts.key });
    const logs = await Promise.all((opts.logKey ?? []).map(async (k, i) => parseVkey(await readVkey(k, `--log-key ${i + 1}`))));
    const store = await openStore({ url: opts.database });
    return { store, witness: new Witness({ name: opts.name, signer, store, logs }) };
  };

  witnessOpts(witness.command("serve"))
    .description("run the witness HTTP API (c2sp.org/tlog-witness): POST /add-checkpoint")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--port <port>", "port (0 = any free port)", (v) => wholeNumber(v, "--port"), 8081)
    .addHelpText("after", '\nExample:\n  rampart ledger witness serve --name w1.example --key w1.key --database w1.db --log-key "$(rampart ledger vkey)" --port 8081')
    .action(async (opts: { name: string; key: string; database: string; logKey?: string[]; host: string; port: number }) => {
      const { store, witness: w } = await makeWitness(opts);
      const { buildApp, witnessRoutes } = await serverModules();
      const app = await buildApp({ plugins: [{ plugin: witnessRoutes as never, options: { witness: w } }] });
      const address = await app.listen({ host: opts.host, port: opts.port });
      process.stdout.write(`witness ${w.name} on ${address}\nvkey ${w.vkey}\n`);
      await waitForSignal();
      await app.close();
      await store.close();
    });

  witnessOpts(witness.command("cosign"))
    .description("process one add-checkpoint request offline (no network) and print the cosignature line")
    .argument("<request>", "file with the add-checkpoint body ('-' for standard input)")
    .addHelpText(
      "after",
      '\nThe request is what `rampart ledger prove --consistency OLD` prints (OLD = the size this witness last cosigned);\nfor a first cosignature write "old 0", a blank line, then the checkpoint.\nExample:\n  rampart ledger prove --consistency 120 > req.txt\n  rampart ledger witness cosign req.txt --name w1.example --key w1.key --database w1.db --log-key log.vkey',
    )
    .action(async (file: string, opts: { name: string; key: string; database: string; logKey?: string[] }) => {
      const body = file === "-" ? await readStdin() : await readText(file);
      const { store, witness: w } = await makeWitness(opts);
      try {
        const res = await w.addCheckpoint(body);
        if (res.status === 409)
          throw new RampartError("conflict", `the witness last cosigned size ${res.body.trim()}: make the request with rampart ledger prove --consistency ${res.body.trim()}`);
        if (res.status !== 200) throw new RampartError("conflict", `witness refused (${res.status}): ${res.body.trim()}`);
        process.stdout.write(res.body);
      } finally {
        await store.close();
      }
    });

  witness
    .command("vkey")
    .description("print the witness's cosignature verifier key (give it to log operators and auditors)")
    .requiredOption("--name <name>", "witness name")
    .requiredOption("--key <file>", "the witness's private key")
    .addHelpText("after", "\nExample:\n  rampart ledger witness vkey --name w1.example --key w1.key > w1.vkey")
    .action(async (opts: { name: string; key: string }) => {
      const signer = await loadSigner({ keyFile: opts.key });
      process.stdout.write(`${formatVkey(opts.name, signer.publicKey, SIG_COSIGNATURE_V1)}\n`);
    });

  witness
    .command("evidence")
    .description("list the conflicting checkpoint pairs this witness refused (proof of log misbehaviour)")
    .requiredOption("--database <url>", "the witness's store")
    .option("--origin <origin>", "only this log")
    .addHelpText("after", "\nExample:\n  rampart ledger witness evidence --database w1.db > evidence.json")
    .action(async (opts: { database: string; origin?: string }) => {
      const store = await openStore({ url: opts.database });
      try {
        const rows = await store.db.selectFrom("ledger_witness_evidence").selectAll().orderBy("id").execute();
        const list = rows.filter((r) => !opts.origin || r.origin === opts.origin);
        process.stdout.write(
          `${JSON.stringify({ evidence: list.map((r) => ({ origin: r.origin, kind: r.kind, detail: r.detail, held: r.held_note, offered: r.offered_note, at: r.created_at })) }, null, 2)}\n`,
        );
      } finally {
        await store.close();
      }
    });

  program
    .command("verify-bundle")
    .description("verify an evidence bundle offline: checkpoint signature, witness quorum, inclusion proofs, attestation signatures")
    .argument("<bundle>", "bundle directory or JSON file written by rampart ledger export")
    .option("--log-key <vkey|file>", "trusted log key (default: the bundle's own, reported as such)")
    .option("--witness-key <vkey|file>", "trusted witness key (repeat)", collect)
    .option("--quorum <n>", "witness cosignatures required", (v) => wholeNumber(v, "--quorum"), 0)
    .option("--key <pem>", "trusted attestation public key (repeat; default: the bundle's own)", collect)
    .option("--reviewer-key <name=pem>", "trusted public key of a reviewer (repeat; default: the bundle's own)", collect)
    .option("--approvals <role:n>", "valid signed approvals the release needs, e.g. risk-reviewer:2")
    .addOption(new Option("-f, --format <format>", "output format").choices(["table", "json"]).default("table"))
    .addHelpText(
      "after",
      `
Uses no database and no network. Exit 0 when everything verifies, 2 with the first failure named.
Example:
  rampart verify-bundle evidence/ --log-key log.vkey --witness-key w1.vkey --quorum 1 --key signing.pub --approvals risk-reviewer:2`,
    )
    .action(async (file: string, opts: { logKey?: string; witnessKey?: string[]; quorum: number; key?: string[]; reviewerKey?: string[]; approvals?: string; format: string }) => {
      // Imported here so the offline path loads only the verification modules.
      const { verifyBundle, verifyBundleDir } = await import("../../ledger/verify.js");
      const approvals = opts.approvals ? /^([A-Za-z0-9][A-Za-z0-9._@-]*):([0-9]+)$/.exec(opts.approvals) : undefined;
      if (approvals === null) throw new RampartError("usage", `--approvals: expected ROLE:N (e.g. risk-reviewer:2), got "${opts.approvals}"`);
      const reviewerKeys = opts.reviewerKey
        ? await Promise.all(
            opts.reviewerKey.map(async (v) => {
              const m = /^([^=]+)=(.+)$/.exec(v);
              if (!m) throw new RampartError("usage", `--reviewer-key: expected NAME=PEMFILE, got "${v}"`);
              return { name: m[1]!, pem: await readText(m[2]!) };
            }),
          )
        : undefined;
      const trust = {
        logKey: opts.logKey ? await readVkey(opts.logKey, "--log-key") : undefined,
        witnessKeys: opts.witnessKey ? await Promise.all(opts.witnessKey.map((k, i) => readVkey(k, `--witness-key ${i + 1}`))) : undefined,
        quorum: opts.quorum,
        attestationKeys: opts.key ? await Promise.all(opts.key.map((k) => readText(k))) : undefined,
        reviewerKeys,
        approvals: approvals ? { role: approvals[1]!, count: Number(approvals[2]) } : undefined,
      };
      const v = existsSync(file) && statSync(file).isDirectory() ? verifyBundleDir(file, trust) : verifyBundle(await readJson(file), trust, file);
      if (opts.format === "json") {
        process.stdout.write(`${JSON.stringify({ verified: true, ...v }, null, 2)}\n`);
        return;
      }
      const lines = [
        `verified     ${file}`,
        `log          ${v.origin}  size ${v.treeSize}  root ${v.root}`,
        `witnesses    ${v.cosigners.map((c) => `${c.name} @ ${new Date(c.timestamp * 1000).toISOString()}`).join(", ") || "none"}`,
        ...v.entries.map(
          (e) => `entry ${String(e.index).padEnd(6)} ${e.kind}${e.check ? ` ${e.check}` : ""}${e.subject ? `  ${e.subject.name}  sha256:${e.subject.sha256.slice(0, 16)}…` : ""}`,
        ),
        ...(v.review
          ? [
              `release      ${v.review.releaseId}  digest ${v.review.digest.slice(0, 16)}…  owner ${v.review.owner}`,
              `reviews      ${v.review.reviews.map((r) => `${r.reviewer} (${r.roles.join(",")}): ${r.decision}`).join("; ") || "none"}`,
              `approvals    ${
                Object.entries(v.review.approvalsByRole)
                  .map(([role, n]) => `${role} ${n}`)
                  .join(", ") || "none"
              }${trust.approvals ? `  (needed ${trust.approvals.role} ${trust.approvals.count}: met)` : ""}`,
            ]
          : []),
        ...(v.keysFromBundle.length ? [`note         trusted the bundle's own ${v.keysFromBundle.join(", ")}; pin them with --log-key/--witness-key/--key/--reviewer-key`] : []),
      ];
      process.stdout.write(`${lines.join("\n")}\n`);
    });
}

function waitForSignal(): Promise<void> {
  return new Promise((resolveWait) => {
    const done = () => resolveWait();
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
  });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Fastify is loaded only by the commands that serve, so every other command starts fast. */
async function serverModules() {
  const [{ buildApp }, { ledgerRoutes, witnessRoutes }] = await Promise.all([import("../../server/app.js"), import("../../server/ledger-routes.js")]);
  return { buildApp, ledgerRoutes, witnessRoutes };
}
