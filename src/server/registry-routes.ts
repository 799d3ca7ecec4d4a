import type { FastifyPluginAsync } from "fastify";
import type { PublicKey } from "../attest/index.js";
import { RampartError } from "../core/index.js";
import { type Bundle, getDecision, listDecisions, replayDecision } from "../policy/index.js";
import { getRelease, listReleases, recordReview, releaseEvents, releaseEvidence, reviewStatus } from "../registry/index.js";
import type { Store } from "../store/index.js";

export interface RegistryRoutesOptions {
  store: Store;
  /** The policy bundle whose Cedar rules decide who may review. */
  bundle: Bundle;
  /** Keys release evidence must be signed by. */
  trustedKeys?: readonly PublicKey[];
}

const releaseParams = { type: "object", required: ["id"], properties: { id: { type: "string", pattern: "^rel-[0-9a-f]{12}$" } } } as const;
const envelopeBody = {
  type: "object",
  required: ["payload", "payloadType", "signatures"],
  properties: {
    payload: { type: "string", maxLength: 65536 },
    payloadType: { type: "string", maxLength: 200 },
    signatures: { type: "array", minItems: 1, maxItems: 8, items: { type: "object", required: ["sig"], properties: { keyid: { type: "string" }, sig: { type: "string" } } } },
  },
} as const;

/**
 * Reviews over HTTP: list what waits for review, show a release's evidence, and accept signed
 * approvals/rejections. The server never holds a reviewer's key: clients post a DSSE envelope signed
 * with their own key, verified here against the key registered for that reviewer.
 */
export function registryRoutes(options: RegistryRoutesOptions): FastifyPluginAsync {
  const { store, bundle, trustedKeys } = options;
  if (bundle.problems.length) throw new RampartError("invalid-config", `policy bundle has ${bundle.problems.length} problem(s); run rampart policy test`);
  return async (app) => {
    app.get("/api/reviews/pending", async () => {
      const pending = await listReleases(store, { stage: ["candidate", "approved"] });
      return {
        releases: await Promise.all(
          pending.map(async (r) => {
            const status = await reviewStatus(store, r);
            return {
              id: r.id,
              model: r.model,
              modelSha256: r.modelSha256,
              stage: r.stage,
              owner: r.owner,
              digest: r.digest,
              approvals: status.valid.filter((v) => v.decision === "approve").map((v) => ({ reviewer: v.reviewer, roles: v.roles, at: v.at })),
              rejections: status.valid.filter((v) => v.decision === "reject").map((v) => ({ reviewer: v.reviewer, roles: v.roles, at: v.at })),
            };
          }),
        ),
      };
    });

    app.get<{ Params: { id: string } }>("/api/releases/:id", { schema: { params: releaseParams } }, async (request) => {
      const release = await getRelease(store, request.params.id);
      const ev = await releaseEvidence(store, release, { trustedKeys });
      return {
        release,
        evidence: ev.evidence,
        rejectedAttestations: ev.rejectedAttestations,
        reviews: ev.reviews,
        decisions: await listDecisions(store, { releaseId: release.id }),
        events: await releaseEvents(store, release.id),
      };
    });

    app.get<{ Params: { id: string } }>(
      "/api/decisions/:id",
      { schema: { params: { type: "object", required: ["id"], properties: { id: { type: "string", pattern: "^gd-[0-9A-Za-z-]{1,64}$" } } } } },
      async (request) => {
        const decision = await getDecision(store, request.params.id);
        const replay = await replayDecision(store, decision.id);
        return { decision, replay: { identical: replay.identical, differences: replay.differences } };
      },
    );

    app.post<{ Params: { id: string } }>("/api/releases/:id/reviews", { schema: { params: releaseParams, body: envelopeBody } }, async (request, reply) => {
      const review = await recordReview(store, request.params.id, request.body, { access: bundle.access });
      return reply.status(201).send({ review });
    });
  };
}
