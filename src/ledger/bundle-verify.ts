/**
 * Offline verification of an evidence bundle: public keys only, no store, no network, no signer.
 * Checks, in order: the log's signature on the checkpoint and the witness quorum, each entry's
 * inclusion proof against that checkpoint, each attestation envelope's digest against its ledger
 * entry, and the envelope's DSSE signature by a trusted attestation key.
 */
import { createHash, createPublicKey, type KeyObject } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, join, normalize } from "node:path";
import * as z from "zod";
import { verifyEnvelope } from "../attest/dsse.js";
import { verifyStatement } from "../attest/statement.js";
import { RampartError } from "../core/errors.js";
import { verifyCheckpoint } from "./checkpoint.js";
import { decodeEntry, type LedgerEntry } from "./entry.js";
import { hashLeaf, rootFromInclusionProof } from "./merkle.js";
import { parseVkey } from "./note.js";

export const BUNDLE_MEDIA_TYPE = "application/vnd.rampart.evidence-bundle.v1+json";

export const EvidenceBundle = z.object({
  mediaType: z.literal(BUNDLE_MEDIA_TYPE),
  origin: z.string().min(1),
  createdAt: z.string(),
  selector: z.object({ release: z.string().optional(), run: z.string().optional() }),
  /** Keys as the exporter knew them: a verifier should pin its own (--log-key, --witness-key, --key). */
  logKey: z.string().min(1),
  witnessKeys: z.array(z.string()),
  attestationKeys: z.array(z.object({ keyId: z.string(), pem: z.string() })),
  /** Reviewers' own public keys (a release bundle): each signed review is checked with its reviewer's key. */
  reviewerKeys: z.array(z.object({ name: z.string(), keyId: z.string(), pem: z.string() })).optional(),
  /** The cosigned checkpoint (C2SP signed note) every proof is against. */
  checkpoint: z.string().min(1),
  entries: z
    .array(
      z.object({
        index: z.number().int().nonnegative(),
        leafData: z.string(),
        proof: z.array(z.string()),
        /** DSSE envelope JSON text, exactly as stored (for attestation entries). */
        envelope: z.string().optional(),
        /** In a bundle directory: the file (relative path) holding the envelope or document of this entry. */
        file: z.string().optional(),
      }),
    )
    .min(1),
});
export type EvidenceBundle = z.infer<typeof EvidenceBundle>;

export interface BundleTrust {
  /** The log's vkey; default: the bundle's own (reported as keysFromBundle). */
  logKey?: string;
  witnessKeys?: readonly string[];
  /** Distinct witnesses that must have cosigned the checkpoint. */
  quorum?: number;
  /** Attestation signing keys (PEM); default: the bundle's own. */
  attestationKeys?: readonly string[];
  /** Reviewers' keys by name (PEM); default: the bundle's own. */
  reviewerKeys?: ReadonlyArray<{ name: string; pem: string }>;
  /** Valid approvals the release needs (e.g. two from risk-reviewer); refused when short. */
  approvals?: { role: string; count: number };
}

export interface VerifiedReviews {
  releaseId: string;
  /** The release digest reviewers had to sign (from the latest release entry on the log). */
  digest: string;
  owner: string;
  /** Latest verified review per reviewer of that digest, self-reviews excluded. */
  reviews: Array<{ reviewer: string; roles: string[]; decision: string; file?: string }>;
  /** Approvals per role. */
  approvalsByRole: Record<string, number>;
}

export interface VerifiedBundleEntry {
  index: number;
  kind: string;
  subject?: { name: string; sha256: string };
  check?: string;
  /** Key ids whose DSSE signatures verified (attestations only). */
  signedBy?: string[];
}

export interface VerifiedBundle {
  origin: string;
  treeSize: number;
  root: string;
  cosigners: Array<{ name: string; timestamp: number }>;
  entries: VerifiedBundleEntry[];
  /** Which trust inputs came from the bundle itself rather than from the verifier. */
  keysFromBundle: string[];
  /** For a release bundle: its signed reviews and the approval quorum they reach. */
  review?: VerifiedReviews;
}

function spkiKeyId(key: KeyObject): string {
  // Same id as attest/keys.ts keyIdOf: sha256 of the SubjectPublicKeyInfo DER.
  return createHash("sha256")
    .update(key.export({ type: "spki", format: "der" }))
    .digest("hex");
}

export function parseBundle(json: unknown, source = "bundle"): EvidenceBundle {
  const parsed = EvidenceBundle.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RampartError("invalid-input", `${source}: not a Rampart evidence bundle (${issue.path.join(".") || "root"}: ${issue.message})`);
  }
  return parsed.data;
}

export function verifyBundle(json: unknown, trust: BundleTrust = {}, source = "bundle"): VerifiedBundle {
  const bundle = parseBundle(json, source);
  const keysFromBundle: string[] = [];
  if (!trust.logKey) keysFromBundle.push("log key");
  if (!trust.witnessKeys && bundle.witnessKeys.length > 0) keysFromBundle.push("witness keys");
  if (!trust.attestationKeys && bundle.entries.some((e) => e.envelope)) keysFromBundle.push("attestation keys");
  const log = parseVkey(trust.logKey ?? bundle.logKey, `${source}: log key`);
  const witnesses = (trust.witnessKeys ?? bundle.witnessKeys).map((k, i) => parseVkey(k, `${source}: witness key ${i + 1}`));
  const cp = verifyCheckpoint(bundle.checkpoint, { log, witnesses, quorum: trust.quorum ?? 0, origin: bundle.origin }, `${source}: checkpoint`);
  const pems = trust.attestationKeys ?? bundle.attestationKeys.map((k) => k.pem);
  const attestationKeys = pems.map((pem, i) => {
    try {
      const key = createPublicKey(pem);
      return { keyId: spkiKeyId(key), key };
    } catch {
      throw new RampartError("untrusted-key", `${source}: attestation key ${i + 1} is not a PEM public key`);
    }
  });
  const entries: VerifiedBundleEntry[] = [];
  const reviewerPems = trust.reviewerKeys ?? bundle.reviewerKeys ?? [];
  if (!trust.reviewerKeys && bundle.reviewerKeys?.length) keysFromBundle.push("reviewer keys");
  const releaseEntries: Array<{ index: number; data: Record<string, unknown> }> = [];
  const approvals: Approval[] = [];
  for (const [i, e] of bundle.entries.entries()) {
    const where = e.file ? `${e.file} (ledger index ${e.index})` : `${source}: entries[${i}] (ledger index ${e.index})`;
    const proof = e.proof.map((p, j) => {
      const h = Buffer.from(p, "base64");
      if (h.length !== 32) throw new RampartError("invalid-input", `${where}: proof[${j}] is not a base64 SHA-256 hash`);
      return h;
    });
    let root: Buffer;
    try {
      root = rootFromInclusionProof(e.index, cp.size, hashLeaf(e.leafData), proof);
    } catch (err) {
      throw new RampartError("bad-signature", `${where}: inclusion proof is malformed (${(err as Error).message})`);
    }
    if (!root.equals(cp.root)) throw new RampartError("bad-signature", `${where}: not included in the checkpoint (entry edited or proof wrong)`);
    const entry: LedgerEntry | undefined = decodeEntry(e.leafData);
    if (!entry) throw new RampartError("invalid-input", `${where}: leaf is not a Rampart ledger entry`);
    if (entry.origin !== bundle.origin || entry.index !== e.index) throw new RampartError("bad-signature", `${where}: leaf names log ${entry.origin} index ${entry.index}`);
    const out: VerifiedBundleEntry = { index: e.index, kind: entry.kind, subject: entry.subject, check: typeof entry.data?.check === "string" ? entry.data.check : undefined };
    if (entry.kind === "attestation") {
      if (!e.envelope) throw new RampartError("invalid-input", `${where}: attestation entry without its envelope`);
      const sha = createHash("sha256").update(e.envelope).digest("hex");
      if (sha !== entry.data?.envelopeSha256) throw new RampartError("bad-signature", `${where}: envelope sha256 ${sha.slice(0, 16)}… is not the one the ledger recorded`);
      let envelope: unknown;
      try {
        envelope = JSON.parse(e.envelope);
      } catch {
        throw new RampartError("invalid-input", `${where}: envelope is not JSON`);
      }
      const v = verifyStatement(envelope, attestationKeys, { source: `${where}: envelope` });
      if (entry.subject && !v.statement.subject.some((s) => s.digest.sha256 === entry.subject!.sha256))
        throw new RampartError("bad-signature", `${where}: the statement is not about ${entry.subject.name}`);
      out.signedBy = v.keyIds;
    } else if (entry.kind === "approval" && entry.data?.envelopeSha256 !== undefined) {
      // A registry review: its signed envelope must travel with it. (A plain approval event is a ledger fact only, and never counts towards a quorum.)
      out.signedBy = [verifyReview(e.envelope, entry, reviewerPems, where)];
      approvals.push({ index: e.index, reviewer: entry.actor ?? "", data: entry.data ?? {}, file: e.file });
    } else if (entry.kind === "gate-decision" && e.envelope !== undefined) {
      const sha = createHash("sha256").update(e.envelope).digest("hex");
      if (sha !== entry.data?.documentSha256) throw new RampartError("bad-signature", `${where}: gate decision sha256 ${sha.slice(0, 16)}… is not the one the ledger recorded`);
    } else if (entry.kind === "release") releaseEntries.push({ index: e.index, data: entry.data ?? {} });
    entries.push(out);
  }
  const releaseId = bundle.selector.release;
  const result: VerifiedBundle = { origin: cp.origin, treeSize: cp.size, root: cp.root.toString("base64"), cosigners: cp.cosigners, entries, keysFromBundle };
  const mine = releaseEntries.filter((r) => r.data.releaseId === releaseId).sort((a, b) => a.index - b.index);
  if (releaseId && mine.length > 0) result.review = reviewQuorum(releaseId, mine[mine.length - 1]!.data, approvals);
  if (trust.approvals) {
    const have = result.review?.approvalsByRole[trust.approvals.role] ?? 0;
    if (have < trust.approvals.count) {
      const seen = result.review?.reviews.map((r) => `${r.reviewer}: ${r.decision}`).join(", ") || "none";
      throw new RampartError(
        "bad-signature",
        `${source}: release ${releaseId ?? "?"} has ${have} of ${trust.approvals.count} valid approvals from ${trust.approvals.role} (${seen})`,
      );
    }
  }
  return result;
}

interface Approval {
  index: number;
  reviewer: string;
  data: Record<string, unknown>;
  file?: string;
}

/** A signed review: its envelope is the one the ledger recorded and verifies with its reviewer's own key. */
function verifyReview(text: string | undefined, entry: LedgerEntry, pems: ReadonlyArray<{ name: string; pem: string }>, where: string): string {
  if (text === undefined) throw new RampartError("invalid-input", `${where}: review entry without its signed envelope`);
  const sha = createHash("sha256").update(text).digest("hex");
  if (sha !== entry.data?.envelopeSha256) throw new RampartError("bad-signature", `${where}: review envelope sha256 ${sha.slice(0, 16)}… is not the one the ledger recorded`);
  const reviewer = entry.actor ?? "";
  const pem = pems.find((k) => k.name === reviewer)?.pem;
  if (!pem) throw new RampartError("untrusted-key", `${where}: no public key for reviewer ${reviewer}`);
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new RampartError("untrusted-key", `${where}: the key of reviewer ${reviewer} is not a PEM public key`);
  }
  let envelope: unknown;
  try {
    envelope = JSON.parse(text);
  } catch {
    throw new RampartError("invalid-input", `${where}: envelope is not JSON`);
  }
  const v = verifyEnvelope(envelope, [{ keyId: spkiKeyId(key), key }], { source: `${where}: review by ${reviewer}` });
  let statement: Record<string, unknown> | null = null;
  try {
    statement = JSON.parse(v.payload.toString("utf8"));
  } catch {
    // reported below
  }
  if (typeof statement !== "object" || statement === null) throw new RampartError("invalid-input", `${where}: review payload is not a JSON object`);
  const expected: Record<string, unknown> = { reviewer, releaseId: entry.data?.releaseId, releaseDigest: entry.data?.releaseDigest, decision: entry.data?.decision };
  for (const [field, value] of Object.entries(expected))
    if (statement[field] !== value) throw new RampartError("bad-signature", `${where}: the signed review says ${field} ${String(statement[field])}, the ledger ${String(value)}`);
  return v.keyIds[0]!;
}

/** Latest review per reviewer of the release's current digest, its owner excluded (separation of duties). */
function reviewQuorum(releaseId: string, release: Record<string, unknown>, approvals: Approval[]): VerifiedReviews {
  const digest = String(release.digest ?? "");
  const owner = String(release.owner ?? "");
  const latest = new Map<string, VerifiedReviews["reviews"][number]>();
  for (const a of [...approvals].sort((x, y) => x.index - y.index)) {
    if (a.data.releaseId !== releaseId || a.data.releaseDigest !== digest || a.reviewer === owner) continue;
    latest.set(a.reviewer, { reviewer: a.reviewer, roles: Array.isArray(a.data.roles) ? a.data.roles.map(String) : [], decision: String(a.data.decision), file: a.file });
  }
  const reviews = [...latest.values()];
  const approvalsByRole: Record<string, number> = {};
  for (const r of reviews) if (r.decision === "approve") for (const role of r.roles) approvalsByRole[role] = (approvalsByRole[role] ?? 0) + 1;
  return { releaseId, digest, owner, reviews, approvalsByRole };
}

/**
 * A bundle directory (rampart ledger export RELEASE): bundle.json plus one file per signed document.
 * Each file is read into its entry, so a changed file fails with its own name.
 */
export function verifyBundleDir(dir: string, trust: BundleTrust = {}): VerifiedBundle {
  const index = join(dir, "bundle.json");
  if (!existsSync(index)) throw new RampartError("not-found", `${index}: no bundle.json in this directory`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(index, "utf8"));
  } catch (e) {
    throw new RampartError("invalid-input", `${index}: not JSON (${(e as Error).message})`);
  }
  const bundle = parseBundle(json, index);
  for (const [i, e] of bundle.entries.entries()) {
    if (!e.file) continue;
    const rel = normalize(e.file);
    if (isAbsolute(rel) || rel.startsWith("..")) throw new RampartError("invalid-input", `${index}: entries[${i}].file ${e.file} is outside the bundle`);
    const path = join(dir, rel);
    if (!existsSync(path) || !statSync(path).isFile()) throw new RampartError("not-found", `${path}: file named by the bundle is missing`);
    e.envelope = readFileSync(path, "utf8");
    e.file = path;
  }
  return verifyBundle(bundle, trust, index);
}
