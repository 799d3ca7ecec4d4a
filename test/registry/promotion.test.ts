import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attestCheckResult, CHECK_RESULT_PREDICATE, keySigner, publicKeyPem, type Signer } from "../../src/attest/index.js";
import { type CheckResult, isRampartError } from "../../src/core/index.js";
import { type Bundle, getDecision, listDecisions, loadBundle, replayDecision } from "../../src/policy/index.js";
import {
  attachEvidence,
  createRelease,
  getRelease,
  promote,
  recordReview,
  registerDataset,
  registerModelVersion,
  releaseEvents,
  reviewStatus,
  signReview,
  upsertPrincipal,
} from "../../src/registry/index.js";
import { type Store, saveAttestation } from "../../src/store/index.js";
import { STORE_BACKENDS } from "../helpers/db.js";

const MODEL = "b".repeat(64);
const DATA = "a".repeat(64);
const newSigner = (): Signer => keySigner(generateKeyPairSync("ed25519").privateKey);

async function attest(store: Store, signer: Signer, result: CheckResult): Promise<void> {
  const envelope = await attestCheckResult(result, [signer]);
  const first = result.subjects[0]!;
  await saveAttestation(store, {
    check: result.check,
    predicateType: CHECK_RESULT_PREDICATE,
    subjectName: first.name,
    subjectSha256: first.digest.sha256,
    keyId: signer.keyId,
    envelope,
  });
}

const result = (check: string, sha256: string, metrics: Record<string, unknown>, findings: CheckResult["findings"] = []): CheckResult => ({
  check,
  version: "1.0.0",
  subjects: [{ name: sha256 === MODEL ? "model.onnx" : "customers.csv", digest: { sha256 } }],
  findings,
  metrics,
});

const refused = async (p: Promise<unknown>, code: string, message: RegExp) => {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(isRampartError(e) && e.code).toBe(code);
  expect((e as Error).message).toMatch(message);
};

for (const backend of STORE_BACKENDS) {
  describe.skipIf(!backend.available)(`registry promotion and human review (${backend.name})`, () => {
    let store: Store;
    let bundle: Bundle;
    const project = newSigner();
    const keys = { rita: newSigner(), raj: newSigner(), dana: newSigner(), mallory: newSigner() };

    beforeAll(async () => {
      store = await backend.open();
      bundle = await loadBundle("examples/policies");
      await upsertPrincipal(store, { name: "dana", roles: ["ml-engineer", "risk-reviewer"], publicKeyPem: publicKeyPem(keys.dana.publicKey) });
      await upsertPrincipal(store, { name: "rita", roles: ["risk-reviewer"], publicKeyPem: publicKeyPem(keys.rita.publicKey) });
      await upsertPrincipal(store, { name: "raj", roles: ["risk-reviewer"], publicKeyPem: publicKeyPem(keys.raj.publicKey) });
      await upsertPrincipal(store, { name: "paula", roles: ["release-manager"] });
      await attest(store, project, result("scan-model", MODEL, { files: 1 }, [{ ruleId: "onnx.info", severity: "info", message: "ok" }]));
      await attest(store, project, result("fairness", MODEL, { disparateImpact: { sex: 0.9 } }));
      await attest(store, project, result("dp-accounting", DATA, { epsilon: 1.5 }));
      await attest(store, project, result("data-verify", DATA, { signatureVerified: true }));
    });
    afterAll(async () => store?.close());

    it("waits for two valid approvals, refusing self-approval, forged and tampered reviews", async () => {
      const trustedKeys = [{ keyId: project.keyId, key: project.publicKey }];
      await registerModelVersion(store, { model: "credit-risk", sha256: MODEL, owner: "dana" });
      const dataset = await registerDataset(store, { name: "customers", sha256: DATA, tags: ["personal"], owner: "dana" });
      const release = await createRelease(store, { model: "credit-risk", modelSha256: MODEL, owner: "dana", datasets: [dataset] });
      expect(release.evidence).toHaveLength(4);

      const toApproved = await promote(store, { releaseId: release.id, to: "approved", actor: "paula", bundle, trustedKeys });
      expect(toApproved.reasons).toEqual([]);
      expect(toApproved.promoted).toBe(true);
      expect(toApproved.access.policyIds).toEqual(["release-managers-promote"]);

      const early = await promote(store, { releaseId: release.id, to: "production", actor: "paula", bundle, trustedKeys });
      expect(early.promoted).toBe(false);
      // Both say no: the gate (approvals missing) and Cedar (its permit requires gatesPassed).
      expect(early.reasons).toEqual([
        "gate production-review/two-risk-approvals: 0 of 2 approvals from risk-reviewer",
        `access: paula may not promote ${release.id} to production (no policy permits it)`,
      ]);
      expect((await getRelease(store, release.id)).stage).toBe("approved");

      const current = await getRelease(store, release.id);
      // Self-approval: dana holds the reviewer role and signs with her own registered key, but owns the release.
      await refused(
        recordReview(store, release.id, await signReview(current, { reviewer: "dana", decision: "approve", comment: "looks fine" }, keys.dana), { access: bundle.access }),
        "conflict",
        /separation of duties: dana owns release/,
      );
      // Forged: claims to be raj, signed by mallory's key.
      await refused(
        recordReview(store, release.id, await signReview(current, { reviewer: "raj", decision: "approve", comment: "lgtm" }, keys.mallory)),
        "bad-signature",
        /review by raj: no signature verifies with a trusted key/,
      );
      // Tampered: rita signed a rejection; the payload is rewritten to an approval.
      const real = await signReview(current, { reviewer: "rita", decision: "reject", comment: "bias unclear" }, keys.rita);
      const payload = JSON.parse(Buffer.from(real.payload, "base64").toString());
      const tampered = { ...real, payload: Buffer.from(JSON.stringify({ ...payload, decision: "approve" })).toString("base64") };
      await refused(recordReview(store, release.id, tampered), "bad-signature", /no signature verifies/);
      // A review of another release digest is refused too.
      await refused(
        recordReview(store, release.id, await signReview({ id: release.id, digest: "c".repeat(64) }, { reviewer: "rita", decision: "approve", comment: "ok" }, keys.rita)),
        "conflict",
        /signs digest cccccccccccc/,
      );

      await recordReview(store, release.id, await signReview(current, { reviewer: "rita", decision: "approve", comment: "fairness ok on all groups" }, keys.rita), {
        access: bundle.access,
      });
      const oneOfTwo = await promote(store, { releaseId: release.id, to: "production", actor: "paula", bundle, trustedKeys });
      expect(oneOfTwo.promoted).toBe(false);
      expect(oneOfTwo.reasons[0]).toMatch(/1 of 2 approvals from risk-reviewer \(rita\)/);

      await recordReview(store, release.id, await signReview(current, { reviewer: "raj", decision: "approve", comment: "privacy budget verified" }, keys.raj), {
        access: bundle.access,
      });
      const status = await reviewStatus(store, current);
      expect(status.valid.map((r) => r.reviewer).sort()).toEqual(["raj", "rita"]);
      const done = await promote(store, { releaseId: release.id, to: "production", actor: "paula", bundle, trustedKeys });
      expect(done.reasons).toEqual([]);
      expect(done.promoted).toBe(true);
      expect((await getRelease(store, release.id)).stage).toBe("production");

      const events = await releaseEvents(store, release.id);
      expect(events.map((e) => `${e.from}->${e.to}`)).toEqual(["candidate->approved", "approved->approved", "approved->approved", "approved->production"]);
      expect(events.every((e) => e.gateDecisionId)).toBe(true);

      // Every decision was recorded with the bundle digest and replays identically.
      const decisions = await listDecisions(store, { releaseId: release.id });
      expect(decisions.map((d) => d.decision)).toEqual(["allow", "deny", "deny", "allow"]);
      expect(new Set(decisions.map((d) => d.bundleDigest))).toEqual(new Set([bundle.digest]));
      const replay = await replayDecision(store, early.gate!.recorded.id);
      expect(replay.identical).toBe(true);
      expect(replay.replayed.decision).toBe("deny");
      expect((await getDecision(store, done.gate!.recorded.id)).rules.find((r) => r.id === "production-review/two-risk-approvals")?.outcome).toBe("pass");
    });

    it("new evidence changes the release digest, so earlier approvals stop counting", async () => {
      const release = await createRelease(store, { model: "credit-risk", modelSha256: MODEL, owner: "dana" });
      await recordReview(store, release.id, await signReview(release, { reviewer: "rita", decision: "approve", comment: "ok" }, keys.rita));
      expect((await reviewStatus(store, release)).valid).toHaveLength(1);
      await attest(store, project, result("scan-code", "c".repeat(64), { files: 3 }, [{ ruleId: "py.eval", severity: "high", message: "eval()" }]));
      const extra = (await store.db.selectFrom("attestations").select("envelope_sha256").where("check_name", "=", "scan-code").executeTakeFirstOrThrow()).envelope_sha256;
      const updated = await attachEvidence(store, release.id, [extra]);
      expect(updated.digest).not.toBe(release.digest);
      expect(updated.evidence).toContain(extra);
      const status = await reviewStatus(store, updated);
      expect(status.valid).toEqual([]);
      expect(status.invalid).toEqual([{ reviewer: "rita", reason: "signed an earlier version of the release" }]);
      await refused(attachEvidence(store, release.id, ["f".repeat(64)]), "not-found", /not in the store/);
    });

    it("Cedar refuses a promotion by the release owner to production and by an unknown role", async () => {
      const release = await createRelease(store, { model: "credit-risk", modelSha256: MODEL, owner: "dana", datasets: [{ name: "customers", sha256: DATA, tags: ["personal"] }] });
      const trustedKeys = [{ keyId: project.keyId, key: project.publicKey }];
      await upsertPrincipal(store, { name: "eve", roles: ["ml-engineer"] });
      const byEve = await promote(store, { releaseId: release.id, to: "approved", actor: "eve", bundle, trustedKeys });
      expect(byEve.promoted).toBe(false);
      expect(byEve.reasons).toEqual([`access: eve may not promote ${release.id} to approved (no policy permits it)`]);
      expect(byEve.gate?.evaluation.decision).toBe("allow");
      await upsertPrincipal(store, { name: "dana", roles: ["release-manager"] });
      expect((await promote(store, { releaseId: release.id, to: "approved", actor: "dana", bundle, trustedKeys })).promoted).toBe(true);
      const current = await getRelease(store, release.id);
      for (const r of ["rita", "raj"] as const)
        await recordReview(store, release.id, await signReview(current, { reviewer: r, decision: "approve", comment: "ok" }, keys[r]), { access: bundle.access });
      const self = await promote(store, { releaseId: release.id, to: "production", actor: "dana", bundle, trustedKeys });
      expect(self.promoted).toBe(false);
      expect(self.gate?.evaluation.decision).toBe("allow");
      expect(self.access.policyIds).toEqual(["no-self-promotion-to-production"]);
      await refused(promote(store, { releaseId: release.id, to: "candidate" as "approved", actor: "paula", bundle }), "conflict", /can move to production or retired/);
    });
  });
}
