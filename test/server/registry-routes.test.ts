import { generateKeyPairSync } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keySigner, publicKeyPem } from "../../src/attest/index.js";
import { type Bundle, loadBundle } from "../../src/policy/index.js";
import { createRelease, gateRelease, type Release, registerModelVersion, signReview, upsertPrincipal } from "../../src/registry/index.js";
import { buildApp, registryRoutes } from "../../src/server/index.js";
import type { Store } from "../../src/store/index.js";
import { STORE_BACKENDS } from "../helpers/db.js";

for (const backend of STORE_BACKENDS) {
  describe.skipIf(!backend.available)(`registry HTTP API (${backend.name})`, () => {
    let store: Store;
    let app: FastifyInstance;
    let release: Release;
    let bundle: Bundle;
    const rita = keySigner(generateKeyPairSync("ed25519").privateKey);
    const dana = keySigner(generateKeyPairSync("ed25519").privateKey);
    const mallory = keySigner(generateKeyPairSync("ed25519").privateKey);

    beforeAll(async () => {
      store = await backend.open();
      bundle = await loadBundle("examples/policies");
      app = await buildApp({ plugins: [registryRoutes({ store, bundle })] });
      await upsertPrincipal(store, { name: "rita", roles: ["risk-reviewer"], publicKeyPem: publicKeyPem(rita.publicKey) });
      await upsertPrincipal(store, { name: "dana", roles: ["risk-reviewer", "ml-engineer"], publicKeyPem: publicKeyPem(dana.publicKey) });
      await registerModelVersion(store, { model: "credit-risk", sha256: "e".repeat(64), owner: "dana" });
      release = await createRelease(store, { model: "credit-risk", modelSha256: "e".repeat(64), owner: "dana" });
    });
    afterAll(async () => {
      await app?.close();
      await store?.close();
    });

    it("lists pending reviews and shows a release's evidence", async () => {
      const pending = await app.inject({ method: "GET", url: "/api/reviews/pending" });
      expect(pending.statusCode).toBe(200);
      expect(pending.json().releases).toEqual([expect.objectContaining({ id: release.id, stage: "candidate", owner: "dana", approvals: [], digest: release.digest })]);
      const shown = await app.inject({ method: "GET", url: `/api/releases/${release.id}` });
      expect(shown.statusCode).toBe(200);
      expect(shown.json()).toMatchObject({
        release: { id: release.id, digest: release.digest },
        evidence: { release: { id: release.id, owner: "dana" } },
        decisions: [],
        events: [],
      });
      expect((await app.inject({ method: "GET", url: "/api/releases/rel-000000000000" })).statusCode).toBe(404);
      expect((await app.inject({ method: "GET", url: "/api/releases/..%2Fetc" })).statusCode).toBe(400);
    });

    it("accepts a signed approval and refuses forged, self and malformed reviews", async () => {
      const post = (body: unknown) => app.inject({ method: "POST", url: `/api/releases/${release.id}/reviews`, payload: body as object });
      const forged = await post(await signReview(release, { reviewer: "rita", decision: "approve", comment: "lgtm" }, mallory));
      expect(forged.statusCode).toBe(403);
      expect(forged.json().error).toEqual({ code: "bad-signature", message: "review by rita: no signature verifies with a trusted key" });
      const self = await post(await signReview(release, { reviewer: "dana", decision: "approve", comment: "mine is fine" }, dana));
      expect(self.statusCode).toBe(409);
      expect(self.json().error.message).toMatch(/separation of duties/);
      expect((await post({ payload: 1 })).statusCode).toBe(400);
      const ok = await post(await signReview(release, { reviewer: "rita", decision: "approve", comment: "fairness figures checked" }, rita));
      expect(ok.statusCode).toBe(201);
      expect(ok.json().review).toMatchObject({
        reviewer: "rita",
        decision: "approve",
        releaseDigest: release.digest,
        access: { decision: "allow", policyIds: ["risk-reviewers-review"] },
      });
      const pending = await app.inject({ method: "GET", url: "/api/reviews/pending" });
      expect(pending.json().releases[0].approvals).toEqual([expect.objectContaining({ reviewer: "rita", roles: ["risk-reviewer"] })]);
    });

    it("serves a recorded gate decision with its replay", async () => {
      const gate = await gateRelease(store, release.id, { bundle, targetStage: "production" });
      const res = await app.inject({ method: "GET", url: `/api/decisions/${gate.recorded.id}` });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        decision: { id: gate.recorded.id, releaseId: release.id, bundleDigest: bundle.digest, decision: "deny" },
        replay: { identical: true, differences: [] },
      });
      expect((await app.inject({ method: "GET", url: "/api/decisions/gd-missing" })).statusCode).toBe(404);
    });
  });
}
