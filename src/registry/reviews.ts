import * as z from "zod";
import { type Envelope, type Signer, signEnvelope, verifyEnvelope } from "../attest/index.js";
import { isRampartError, RampartError } from "../core/index.js";
import { type AccessDecision, type AccessPolicies, authorize, type EvidenceApproval } from "../policy/index.js";
import type { Store } from "../store/index.js";
import { getPrincipal, getRelease, type Release } from "./catalog.js";
import { accessEntities } from "./entities.js";
import { recordRegistryEvent, sha256Text } from "./ledger.js";

export const REVIEW_PAYLOAD_TYPE = "application/vnd.rampart.review.v1+json";
export const REVIEW_TYPE = "https://rampart.dev/review/v1";

export const ReviewStatement = z
  .object({
    _type: z.literal(REVIEW_TYPE),
    releaseId: z.string().min(1),
    releaseDigest: z.string().regex(/^[0-9a-f]{64}$/),
    decision: z.enum(["approve", "reject"]),
    comment: z.string().min(1, "a review needs a comment").max(4000),
    reviewer: z.string().min(1),
    signedAt: z.iso.datetime(),
  })
  .strict();
export type ReviewStatement = z.infer<typeof ReviewStatement>;

/** Canonical bytes: keys in a fixed (sorted) order, no whitespace. */
export function canonicalReview(s: ReviewStatement): Buffer {
  const sorted = Object.fromEntries(Object.entries(s).sort(([a], [b]) => (a < b ? -1 : 1)));
  return Buffer.from(JSON.stringify(sorted), "utf8");
}

/** Signs a review with the reviewer's own key (done by the reviewer's client; the server never holds it). */
export async function signReview(
  release: Pick<Release, "id" | "digest">,
  review: { reviewer: string; decision: "approve" | "reject"; comment: string; signedAt?: Date },
  signer: Signer,
): Promise<Envelope> {
  const statement = ReviewStatement.parse({
    _type: REVIEW_TYPE,
    releaseId: release.id,
    releaseDigest: release.digest,
    decision: review.decision,
    comment: review.comment,
    reviewer: review.reviewer,
    signedAt: (review.signedAt ?? new Date()).toISOString(),
  });
  return signEnvelope(REVIEW_PAYLOAD_TYPE, canonicalReview(statement), [signer]);
}

export interface RecordedReview extends ReviewStatement {
  keyId: string;
  access: AccessDecision | null;
}

/**
 * Verifies and records a signed review. Refused: a signature that does not verify with the key
 * registered for the named reviewer (forged or wrong key), a statement about another release or an
 * outdated release digest, a reviewer reviewing their own release, a review Cedar does not permit,
 * and a review of a release that is no longer under review.
 */
export async function recordReview(store: Store, releaseId: string, envelope: unknown, options: { access?: AccessPolicies; ledgerOrigin?: string } = {}): Promise<RecordedReview> {
  const statement = parseUnverified(envelope);
  const reviewer = await getPrincipal(store, statement.reviewer);
  if (!reviewer?.publicKey) throw new RampartError("untrusted-key", `review by ${statement.reviewer}: no public key registered for this reviewer`);
  const verified = verifyEnvelope(envelope, [reviewer.publicKey], { source: `review by ${statement.reviewer}` });
  if (verified.payloadType !== REVIEW_PAYLOAD_TYPE) throw new RampartError("invalid-input", `review: payloadType ${verified.payloadType}, expected ${REVIEW_PAYLOAD_TYPE}`);
  // Only the verified bytes count from here on.
  const signed = parseStatement(verified.payload);
  if (signed.reviewer !== reviewer.name) throw new RampartError("bad-signature", `review: signed statement names ${signed.reviewer}, key belongs to ${reviewer.name}`);
  const release = await getRelease(store, releaseId);
  if (signed.releaseId !== release.id) throw new RampartError("conflict", `review is for release ${signed.releaseId}, not ${release.id}`);
  if (signed.releaseDigest !== release.digest)
    throw new RampartError("conflict", `review of ${release.id} signs digest ${signed.releaseDigest.slice(0, 12)}…, but the release is now ${release.digest.slice(0, 12)}…`);
  if (signed.reviewer === release.owner) throw new RampartError("conflict", `separation of duties: ${signed.reviewer} owns release ${release.id} and may not review it`);
  if (release.stage !== "candidate" && release.stage !== "approved") throw new RampartError("conflict", `release ${release.id} is ${release.stage}: reviews are closed`);
  let access: AccessDecision | null = null;
  if (options.access) {
    access = authorize(
      {
        principal: { type: reviewer.kind, id: reviewer.name },
        action: signed.decision,
        resource: { type: "Release", id: release.id },
        context: { comment: signed.comment },
        entities: accessEntities(release, [reviewer]),
      },
      options.access,
    );
    if (access.decision !== "allow")
      throw new RampartError(
        "conflict",
        `${signed.reviewer} may not ${signed.decision} ${release.id} (${access.policyIds.length ? `forbidden by ${access.policyIds.join(", ")}` : "no policy permits it"})`,
      );
  }
  const envelopeText = JSON.stringify(envelope);
  await store.db
    .insertInto("release_reviews")
    .values({
      release_id: release.id,
      reviewer: signed.reviewer,
      decision: signed.decision,
      comment: signed.comment,
      key_id: verified.keyIds[0]!,
      envelope: envelopeText,
      release_digest: signed.releaseDigest,
      access: access ? JSON.stringify(access) : null,
      created_at: new Date().toISOString(),
    })
    .execute();
  // The signed envelope's digest goes on the ledger; the export ships the envelope beside its proof.
  await recordRegistryEvent(
    store,
    {
      kind: "approval",
      subject: { name: release.model, sha256: release.modelSha256 },
      actor: signed.reviewer,
      data: {
        releaseId: release.id,
        releaseDigest: signed.releaseDigest,
        decision: signed.decision,
        roles: reviewer.roles,
        keyId: verified.keyIds[0]!,
        envelopeSha256: sha256Text(envelopeText),
        accessPolicyIds: access?.policyIds,
      },
      eventId: `review:${sha256Text(envelopeText)}`,
    },
    options.ledgerOrigin,
  );
  return { ...signed, keyId: verified.keyIds[0]!, access };
}

export interface ReviewStatus {
  /** Each reviewer's latest verified review of the current release digest. */
  valid: EvidenceApproval[];
  /** Reviews that no longer count, with the reason (stale digest, key changed, ...). */
  invalid: Array<{ reviewer: string; reason: string }>;
}

/**
 * The reviews that count now: re-verified against the reviewer's current key (a tampered row or
 * a revoked key stops counting), for the release's current digest, latest per reviewer.
 */
export async function reviewStatus(store: Store, release: Release): Promise<ReviewStatus> {
  const rows = await store.db.selectFrom("release_reviews").selectAll().where("release_id", "=", release.id).orderBy("id").execute();
  const latest = new Map<string, EvidenceApproval>();
  const invalid: ReviewStatus["invalid"] = [];
  for (const row of rows) {
    const reviewer = await getPrincipal(store, row.reviewer);
    try {
      if (!reviewer?.publicKey) throw new RampartError("untrusted-key", "reviewer has no registered key");
      const verified = verifyEnvelope(JSON.parse(row.envelope), [reviewer.publicKey], { source: `review ${row.id}` });
      const s = parseStatement(verified.payload);
      if (s.reviewer !== row.reviewer || s.releaseId !== release.id) throw new RampartError("bad-signature", "signed statement does not match the stored review");
      if (s.releaseDigest !== release.digest) throw new RampartError("conflict", "signed an earlier version of the release");
      if (s.reviewer === release.owner) throw new RampartError("conflict", "self-review");
      latest.set(s.reviewer, { reviewer: s.reviewer, roles: reviewer.roles, decision: s.decision, comment: s.comment, at: s.signedAt, keyId: verified.keyIds[0]! });
    } catch (e) {
      if (!isRampartError(e)) throw e;
      invalid.push({ reviewer: row.reviewer, reason: e.message });
    }
  }
  return { valid: [...latest.values()], invalid };
}

function parseUnverified(envelope: unknown): ReviewStatement {
  const env = envelope as { payload?: unknown };
  if (typeof env?.payload !== "string") throw new RampartError("invalid-input", "review: not a DSSE envelope");
  return parseStatement(Buffer.from(env.payload, "base64"));
}

function parseStatement(bytes: Buffer): ReviewStatement {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString("utf8"));
  } catch {
    throw new RampartError("invalid-input", "review: payload is not JSON");
  }
  const parsed = ReviewStatement.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RampartError("invalid-input", `review: ${issue.path.join(".") || "payload"}: ${issue.message}`);
  }
  return parsed.data;
}
