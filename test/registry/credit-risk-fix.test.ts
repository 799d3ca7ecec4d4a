import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keySigner, loadPublicKey, loadSigner, type PublicKey, publicKeyPem, type Signer } from "../../src/attest/index.js";
import { subjectOf } from "../../src/core/index.js";
import { exportReleaseBundle, Ledger, originFor } from "../../src/ledger/index.js";
import { verifyBundleDir } from "../../src/ledger/verify.js";
import { type Bundle, compileBundle, readBundleFiles } from "../../src/policy/index.js";
import { createRelease, getRelease, promote, type Release, recordReview, registerDataset, registerModelVersion, signReview, upsertPrincipal } from "../../src/registry/index.js";
import { openStore, type Store } from "../../src/store/index.js";
import { runInProcess } from "../helpers/cli.js";
import { tempDir } from "../helpers/db.js";

const newSigner = (): Signer => keySigner(generateKeyPairSync("ed25519").privateKey);

/**
 * Issue 7's done-when on the example: the biased model is blocked by the fairness gate, the
 * documented fix (make_artifacts.py --fixed) passes it, and production then waits for two valid
 * approvals from risk-reviewer, refusing a self-approval and a forged signature.
 */
describe("the credit-risk example: blocked while biased, released once fixed", () => {
  const project = join(tempDir(), "credit-risk");
  let store: Store;
  let bundle: Bundle;
  let trustedKeys: PublicKey[];
  const keys = { rita: newSigner(), raj: newSigner(), dana: newSigner(), mallory: newSigner() };

  /** Runs the example's pipeline (the stages the gates read) and registers its model as a release by dana. */
  async function runAndRelease(): Promise<Release> {
    const run = await runInProcess("run", project);
    expect(run.code, run.err).toBeLessThanOrEqual(1);
    const s = await openStore({ projectDir: project });
    try {
      const model = (await subjectOf(join(project, "model", "credit_model.pkl"))).digest.sha256;
      const data = (await subjectOf(join(project, "data", "applications.csv"))).digest.sha256;
      await registerModelVersion(s, { model: "credit-risk", sha256: model, owner: "dana" });
      const dataset = await registerDataset(s, { name: "applications", sha256: data, tags: ["personal"], owner: "dana" });
      const runId = (await s.db.selectFrom("runs").select("id").orderBy("started_at", "desc").executeTakeFirstOrThrow()).id;
      return await createRelease(s, { model: "credit-risk", modelSha256: model, owner: "dana", datasets: [dataset], runId });
    } finally {
      await s.close();
    }
  }

  beforeAll(async () => {
    cpSync(join(process.cwd(), "examples", "credit-risk"), project, { recursive: true, filter: (src) => !/[\\/]\.rampart[\\/]./.test(src) });
    const config = readFileSync(join(project, "rampart.yaml"), "utf8");
    const fairness = config.slice(config.indexOf("  - stage: fairness"), config.indexOf("  - stage: sbom"));
    writeFileSync(join(project, "rampart.yaml"), `${config.slice(0, config.indexOf("stages:"))}stages:\n  - stage: scan-model\n  - stage: scan-code\n${fairness}`);
    // The example's model is not trained with differential privacy and its sources are not signed:
    // it is gated by the security, fairness and production-review policies and the access rules.
    const files = (await readBundleFiles("examples/policies")).filter((f) => /^(security|fairness|production-review)\.yaml$|^access\.cedar$/.test(f.path));
    expect(files).toHaveLength(4);
    bundle = compileBundle(files, "examples/policies");
  }, 60_000);
  afterAll(async () => store?.close());

  it("the biased model is blocked by the fairness gate, naming the rule and the attribute", async () => {
    const biased = await runAndRelease();
    store = await openStore({ projectDir: project });
    trustedKeys = [await loadPublicKey(join(project, ".rampart", "keys", "signing.pub"))];
    await upsertPrincipal(store, { name: "dana", roles: ["ml-engineer", "risk-reviewer"], publicKeyPem: publicKeyPem(keys.dana.publicKey) });
    await upsertPrincipal(store, { name: "rita", roles: ["risk-reviewer"], publicKeyPem: publicKeyPem(keys.rita.publicKey) });
    await upsertPrincipal(store, { name: "raj", roles: ["risk-reviewer"], publicKeyPem: publicKeyPem(keys.raj.publicKey) });
    await upsertPrincipal(store, { name: "paula", roles: ["release-manager"] });
    const r = await promote(store, { releaseId: biased.id, to: "approved", actor: "paula", bundle, trustedKeys });
    expect(r.promoted).toBe(false);
    expect(r.gate?.evaluation.denied).toEqual(["fairness/disparate-impact"]);
    expect(r.reasons[0]).toMatch(/^gate fairness\/disparate-impact: disparate impact below 0.8 for age_band \(0\.54\d+\)$/);
    await store.close();
  }, 120_000);

  it("after the documented fix the gate allows, and production waits for two valid approvals", async () => {
    // The fix step the README documents: per-group thresholds and redacted identifiers.
    const out = execFileSync("python3", [join(project, "scripts", "make_artifacts.py"), "--fixed"], { encoding: "utf8" });
    expect(out).toMatch(/\(fixed\)/);
    expect(readFileSync(join(project, "data", "applications.csv"), "utf8")).not.toMatch(/@example\.org/);
    const fixed = await runAndRelease();
    store = await openStore({ projectDir: project });
    const approved = await promote(store, { releaseId: fixed.id, to: "approved", actor: "paula", bundle, trustedKeys });
    expect(approved.reasons).toEqual([]);
    expect(approved.gate?.evaluation.decision).toBe("allow");
    expect(approved.promoted).toBe(true);

    const waiting = await promote(store, { releaseId: fixed.id, to: "production", actor: "paula", bundle, trustedKeys });
    expect(waiting.promoted).toBe(false);
    expect(waiting.reasons[0]).toBe("gate production-review/two-risk-approvals: 0 of 2 approvals from risk-reviewer");

    const current = await getRelease(store, fixed.id);
    await expect(
      recordReview(store, fixed.id, await signReview(current, { reviewer: "dana", decision: "approve", comment: "my own fix" }, keys.dana), { access: bundle.access }),
    ).rejects.toThrow(/separation of duties: dana owns release/);
    await expect(
      recordReview(store, fixed.id, await signReview(current, { reviewer: "raj", decision: "approve", comment: "forged" }, keys.mallory), { access: bundle.access }),
    ).rejects.toThrow(/review by raj: no signature verifies with a trusted key/);
    await recordReview(store, fixed.id, await signReview(current, { reviewer: "rita", decision: "approve", comment: "age bands within 0.8" }, keys.rita), {
      access: bundle.access,
    });
    const one = await promote(store, { releaseId: fixed.id, to: "production", actor: "paula", bundle, trustedKeys });
    expect(one.promoted).toBe(false);
    expect(one.reasons[0]).toMatch(/1 of 2 approvals from risk-reviewer \(rita\)/);
    await recordReview(store, fixed.id, await signReview(current, { reviewer: "raj", decision: "approve", comment: "identifiers redacted" }, keys.raj), {
      access: bundle.access,
    });
    const done = await promote(store, { releaseId: fixed.id, to: "production", actor: "paula", bundle, trustedKeys });
    expect(done.reasons).toEqual([]);
    expect(done.promoted).toBe(true);
    expect((await getRelease(store, fixed.id)).stage).toBe("production");

    // The whole story is on the ledger and exports as evidence that verifies offline with the quorum.
    const log = await Ledger.open(store, originFor("credit-risk"));
    const dir = join(tempDir(), "evidence");
    // The project's key signs the log's checkpoints.
    const signer = await loadSigner({ keyFile: join(project, ".rampart", "keys", "signing.key") });
    await exportReleaseBundle(store, log, fixed.id, { outDir: dir, attestationKeys: trustedKeys, signer });
    const v = verifyBundleDir(dir, { approvals: { role: "risk-reviewer", count: 2 } });
    expect(v.review?.approvalsByRole["risk-reviewer"]).toBe(2);
    expect(v.entries.filter((e) => e.kind === "promotion")).toHaveLength(4);
  }, 180_000);
});
