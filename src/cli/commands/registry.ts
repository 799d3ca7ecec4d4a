import { type Command, Option } from "commander";
import { loadSigner } from "../../attest/index.js";
import { RampartError, readText, Sha256Hex, subjectOf } from "../../core/index.js";
import { assertValid, listDecisions, loadBundle } from "../../policy/index.js";
import {
  artifactDir,
  attachEvidence,
  createRelease,
  type DatasetRef,
  getRelease,
  latestDataset,
  listPrincipals,
  listReleases,
  promote,
  recordReview,
  registerDataset,
  registerModelVersion,
  releaseEvents,
  releaseEvidence,
  reviewStatus,
  STAGES,
  type Stage,
  signReview,
  storeArtifact,
  upsertPrincipal,
} from "../../registry/index.js";
import { withStore } from "../project-store.js";
import { trustedKeysOf } from "./policy.js";

const projectOption = () => new Option("--project <dir>", "project folder holding .rampart/ (store; RAMPART_DATABASE_URL overrides)").default(".");
const asOption = () => new Option("--as <name>", "who acts (a registered principal; default RAMPART_USER)").default(process.env.RAMPART_USER);

function need(value: string | undefined, flag: string): string {
  if (!value) throw new RampartError("usage", `${flag} is required (or set RAMPART_USER)`);
  return value;
}

/** A digest given as 64 hex, or the sha256 of a file/folder. */
async function digestOf(target: string): Promise<string> {
  if (Sha256Hex.safeParse(target).success) return target;
  return (await subjectOf(target)).digest.sha256;
}

export function registerRegistry(program: Command): void {
  const registry = program.command("registry").description("models (versions by digest), datasets, releases and the people who act on them");

  const principal = registry.command("principal").description("users and services: roles for access rules, public keys for signed reviews");
  principal
    .command("add")
    .description("register or update a user or service")
    .argument("<name>", "principal name")
    .option("--role <role...>", "roles (Cedar Role parents), e.g. risk-reviewer release-manager")
    .option("--team <team>", "team")
    .option("--key <pub>", "public key (PEM) that signs this reviewer's reviews")
    .option("--service", "a service account rather than a person")
    .addOption(projectOption())
    .addHelpText("after", "\nExample:\n  rampart registry principal add rita --role risk-reviewer --key keys/rita.pub")
    .action(async (name: string, opts: { role?: string[]; team?: string; key?: string; service?: boolean; project: string }) => {
      const pem = opts.key ? await readText(opts.key) : undefined;
      const p = await withStore(opts.project, (s) => upsertPrincipal(s, { name, kind: opts.service ? "Service" : "User", roles: opts.role, team: opts.team, publicKeyPem: pem }));
      process.stdout.write(`${p.kind} ${p.name}  roles: ${p.roles.join(", ") || "none"}${p.publicKey ? `  key ${p.publicKey.keyId.slice(0, 16)}…` : ""}\n`);
    });
  principal
    .command("list")
    .description("list principals")
    .addOption(projectOption())
    .action(async (opts: { project: string }) => {
      const all = await withStore(opts.project, listPrincipals);
      process.stdout.write(
        all.map((p) => `${p.kind.padEnd(7)} ${p.name.padEnd(20)} ${p.roles.join(",").padEnd(30)} ${p.publicKey?.keyId.slice(0, 16) ?? "-"}`).join("\n") + (all.length ? "\n" : ""),
      );
    });

  registry
    .command("model")
    .description("register a model version (by file/folder or sha256)")
    .argument("<name>", "model name")
    .argument("<artifact>", "model file or folder, or its sha256")
    .option("--label <label>", "human label, e.g. v3")
    .option("--store", "also copy the file into the project's artifact store (.rampart/artifacts), so the gateway can serve the version from the registry")
    .addOption(asOption())
    .addOption(projectOption())
    .addHelpText(
      "after",
      "\nExamples:\n  rampart registry model credit-risk model/model.onnx --label v3 --as dana\n  rampart registry model credit-risk model/model.onnx --label v3 --store --as dana   # gateway.yaml: registry: {stage: production}",
    )
    .action(async (name: string, artifact: string, opts: { label?: string; store?: boolean; as?: string; project: string }) => {
      const owner = need(opts.as, "--as");
      let sha256: string;
      if (opts.store) {
        if (Sha256Hex.safeParse(artifact).success) throw new RampartError("usage", "--store needs the model file, not its digest");
        const stored = await storeArtifact(artifactDir(opts.project), artifact);
        sha256 = stored.sha256;
        process.stdout.write(`${stored.stored ? "stored" : "already stored"} ${artifact} as ${stored.path}\n`);
      } else sha256 = await digestOf(artifact);
      const r = await withStore(opts.project, (s) => registerModelVersion(s, { model: name, sha256, owner, label: opts.label }));
      process.stdout.write(`${r.created ? "registered" : "already registered"} ${r.model}@sha256:${r.sha256}\n`);
    });

  registry
    .command("dataset")
    .description("register a dataset version (by file/folder or sha256) with tags policies read")
    .argument("<name>", "dataset name")
    .argument("<artifact>", "dataset file or folder, or its sha256")
    .option("--tag <tag...>", "tags, e.g. personal")
    .addOption(asOption())
    .addOption(projectOption())
    .addHelpText("after", "\nExample:\n  rampart registry dataset customers data/customers.csv --tag personal --as dana")
    .action(async (name: string, artifact: string, opts: { tag?: string[]; as?: string; project: string }) => {
      const sha256 = await digestOf(artifact);
      const d = await withStore(opts.project, (s) => registerDataset(s, { name, sha256, tags: opts.tag, owner: need(opts.as, "--as") }));
      process.stdout.write(`registered ${d.name}@sha256:${d.sha256}  tags: ${d.tags.join(", ") || "none"}\n`);
    });

  registry
    .command("release")
    .description("create a release candidate: a model version plus its evidence (attestations about it and its datasets)")
    .argument("<model>", "registered model name")
    .argument("<artifact>", "the model version: file/folder or sha256")
    .option("--dataset <name...>", "registered datasets it was trained on (latest version)")
    .option("--run <run-id>", "also attach every attestation of this pipeline run")
    .option("--tag <tag...>", "release tags")
    .addOption(asOption())
    .addOption(projectOption())
    .addHelpText("after", "\nExample:\n  rampart registry release credit-risk model/model.onnx --dataset customers --run 20260101T120000-ab12cd --as dana")
    .action(async (model: string, artifact: string, opts: { dataset?: string[]; run?: string; tag?: string[]; as?: string; project: string }) => {
      const modelSha256 = await digestOf(artifact);
      const r = await withStore(opts.project, async (s) => {
        const datasets: DatasetRef[] = [];
        for (const name of opts.dataset ?? []) {
          const d = await latestDataset(s, name);
          if (!d) throw new RampartError("not-found", `dataset ${name}: not registered (rampart registry dataset)`);
          datasets.push(d);
        }
        return createRelease(s, { model, modelSha256, owner: need(opts.as, "--as"), datasets, tags: opts.tag, runId: opts.run });
      });
      process.stdout.write(`${r.id}  ${r.model}@${r.modelSha256.slice(0, 12)}…  stage ${r.stage}  evidence ${r.evidence.length} attestation(s)  digest ${r.digest}\n`);
    });

  registry
    .command("attach")
    .description("add evidence to a release under review; its digest changes, so earlier reviews must be signed again")
    .argument("<release>", "release id")
    .option("--run <run-id>", "every attestation of this pipeline run")
    .option("--attestation <sha256...>", "attestations by envelope sha256")
    .addOption(projectOption())
    .addHelpText("after", "\nExample:\n  rampart registry attach rel-3f2a9c1b7d20 --run 20260101T120000-ab12cd")
    .action(async (id: string, opts: { run?: string; attestation?: string[]; project: string }) => {
      const r = await withStore(opts.project, async (s) => {
        const fromRun = opts.run ? (await s.db.selectFrom("attestations").select("envelope_sha256").where("run_id", "=", opts.run).execute()).map((a) => a.envelope_sha256) : [];
        if (opts.run && fromRun.length === 0) throw new RampartError("not-found", `run ${opts.run}: no attestations in the store`);
        if (!opts.run && !opts.attestation?.length) throw new RampartError("usage", "pass --run RUN_ID or --attestation SHA256");
        return attachEvidence(s, id, [...fromRun, ...(opts.attestation ?? [])]);
      });
      process.stdout.write(`${r.id}  evidence ${r.evidence.length} attestation(s)  digest ${r.digest}\n`);
    });

  registry
    .command("list")
    .description("list releases")
    .addOption(new Option("--stage <stage...>", "only these stages").choices(STAGES))
    .addOption(projectOption())
    .action(async (opts: { stage?: Stage[]; project: string }) => {
      const all = await withStore(opts.project, (s) => listReleases(s, { stage: opts.stage }));
      process.stdout.write(
        all.map((r) => `${r.id}  ${r.stage.padEnd(10)} ${r.model}@${r.modelSha256.slice(0, 12)}…  owner ${r.owner}  ${r.createdAt}`).join("\n") + (all.length ? "\n" : ""),
      );
    });

  program
    .command("review")
    .description("without a release: list releases waiting for review; with one: its evidence, reviews, decisions and history")
    .argument("[release]", "release id")
    .option("--trust <pub...>", "public keys evidence must be signed by (default: .rampart/keys/signing.pub)")
    .addOption(new Option("-f, --format <format>", "output format").choices(["table", "json"]).default("table"))
    .addOption(projectOption())
    .addHelpText("after", "\nExamples:\n  rampart review\n  rampart review rel-3f2a9c1b7d20 --format json")
    .action(async (id: string | undefined, opts: { trust?: string[]; format: string; project: string }) => {
      const trustedKeys = await trustedKeysOf(opts.project, opts.trust);
      await withStore(opts.project, async (s) => {
        if (!id) {
          const pending = await listReleases(s, { stage: ["candidate", "approved"] });
          const rows = await Promise.all(pending.map(async (r) => ({ release: r, reviews: await reviewStatus(s, r) })));
          if (opts.format === "json") return void process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
          const lines = rows.map(({ release: r, reviews }) => {
            const ok = reviews.valid.filter((v) => v.decision === "approve").map((v) => v.reviewer);
            const no = reviews.valid.filter((v) => v.decision === "reject").map((v) => v.reviewer);
            return `${r.id}  ${r.stage.padEnd(10)} ${r.model}  owner ${r.owner}  approved by: ${ok.join(", ") || "-"}${no.length ? `  rejected by: ${no.join(", ")}` : ""}`;
          });
          process.stdout.write(lines.length ? `${lines.join("\n")}\n` : "no releases waiting for review\n");
          return;
        }
        const release = await getRelease(s, id);
        const ev = await releaseEvidence(s, release, { trustedKeys });
        const decisions = await listDecisions(s, { releaseId: id });
        const events = await releaseEvents(s, id);
        if (opts.format === "json") return void process.stdout.write(`${JSON.stringify({ release, evidence: ev.evidence, reviews: ev.reviews, decisions, events }, null, 2)}\n`);
        const results = ev.evidence.results as Array<{ check: string; findings: unknown[] }>;
        const lines = [
          `release  ${release.id}  ${release.model}@sha256:${release.modelSha256}  stage ${release.stage}  owner ${release.owner}`,
          `digest   ${release.digest}  (what reviewers sign)`,
          ...release.datasets.map((d) => `dataset  ${d.name}@${d.sha256.slice(0, 12)}…  tags: ${d.tags.join(", ") || "none"}`),
          ...results.map((r) => `evidence ${r.check}: ${r.findings.length} finding(s)`),
          ...ev.rejectedAttestations.map((r) => `evidence REJECTED ${r.envelopeSha256.slice(0, 12)}…: ${r.reason}`),
          ...ev.reviews.valid.map((r) => `review   ${r.decision.padEnd(7)} ${r.reviewer} (${r.roles.join(", ")}) ${r.at}: ${r.comment}`),
          ...ev.reviews.invalid.map((r) => `review   not counted (${r.reviewer}): ${r.reason}`),
          ...decisions.map((d) => `gate     ${d.id} ${d.decision} bundle ${d.bundleDigest.slice(0, 12)}… ${d.evaluatedAt}`),
          ...events.map((e) => `history  ${e.at} ${e.actor}: ${e.from} -> ${e.access.requested} ${e.to === e.access.requested ? "done" : "refused"}`),
        ];
        process.stdout.write(`${lines.join("\n")}\n`);
      });
    });

  for (const decision of ["approve", "reject"] as const) {
    program
      .command(decision)
      .description(`${decision} a release: the review is signed with your own key and verified against your registered key`)
      .argument("<release>", "release id")
      .requiredOption("-m, --comment <text>", "why (recorded and signed)")
      .option("--key <file>", "your private key (default: RAMPART_SIGNING_KEY / RAMPART_SIGNING_KEY_FILE)")
      .option("-p, --policies <dir>", "policy bundle whose Cedar rules must permit the review", "policies")
      .addOption(asOption())
      .addOption(projectOption())
      .addHelpText("after", `\nExample:\n  rampart ${decision} rel-3f2a9c1b7d20 --as rita --key keys/rita.key -m "fairness figures checked"`)
      .action(async (id: string, opts: { comment: string; key?: string; policies: string; as?: string; project: string }) => {
        const reviewer = need(opts.as, "--as");
        const signer = await loadSigner({ keyFile: opts.key });
        const bundle = await loadBundle(opts.policies);
        assertValid(bundle);
        const recorded = await withStore(opts.project, async (s) => {
          const release = await getRelease(s, id);
          const envelope = await signReview(release, { reviewer, decision, comment: opts.comment }, signer);
          return recordReview(s, id, envelope, { access: bundle.access });
        });
        process.stdout.write(
          `${recorded.decision === "approve" ? "approved" : "rejected"} ${recorded.releaseId} as ${recorded.reviewer} (key ${recorded.keyId.slice(0, 16)}…, permitted by ${recorded.access?.policyIds.join(", ")})\n`,
        );
      });
  }

  program
    .command("promote")
    .description("move a release to its next stage: the gate bundle must allow it and Cedar must permit you; both are recorded")
    .argument("<release>", "release id")
    .addOption(new Option("--to <stage>", "target stage").choices(STAGES).makeOptionMandatory())
    .option("-p, --policies <dir>", "policy bundle folder (gates + access rules)", "policies")
    .option("--trust <pub...>", "public keys evidence must be signed by (default: .rampart/keys/signing.pub)")
    .addOption(asOption())
    .addOption(projectOption())
    .addHelpText(
      "after",
      "\nExit 0 when promoted, 1 when a gate or an access rule refused (reasons printed).\nExample:\n  rampart promote rel-3f2a9c1b7d20 --to production --as paula",
    )
    .action(async (id: string, opts: { to: Stage; policies: string; trust?: string[]; as?: string; project: string }) => {
      const bundle = await loadBundle(opts.policies);
      const trustedKeys = await trustedKeysOf(opts.project, opts.trust);
      const result = await withStore(opts.project, (s) => promote(s, { releaseId: id, to: opts.to, actor: need(opts.as, "--as"), bundle, trustedKeys }));
      const lines = [
        result.promoted ? `promoted ${id}: ${result.from} -> ${result.to}` : `refused ${id}: ${result.from} -> ${result.to}`,
        ...result.reasons.map((r) => `  ${r}`),
        `  access ${result.access.decision} (${result.access.policyIds.join(", ") || "default deny"})${result.gate ? `; gate ${result.gate.evaluation.decision} recorded as ${result.gate.recorded.id}` : ""}`,
      ];
      process.stdout.write(`${lines.join("\n")}\n`);
      process.exitCode = result.promoted ? 0 : 1;
    });
}
