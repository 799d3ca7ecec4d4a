/**
 * Offline verification of an evidence bundle: public keys only, no store, no network, no signer.
 * Checks, in order: the log's signature on the checkpoint and the witness quorum, each entry's
 * inclusion proof against that checkpoint, each attestation envelope's digest against its ledger
 * entry, and the envelope's DSSE signature by a trusted attestation key.
 */
import { createHash, createPublicKey, type KeyObject } from "node:crypto";
import * as z from "zod";
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
  for (const [i, e] of bundle.entries.entries()) {
    const where = `${source}: entries[${i}] (ledger index ${e.index})`;
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
    }
    entries.push(out);
  }
  return { origin: cp.origin, treeSize: cp.size, root: cp.root.toString("base64"), cosigners: cp.cosigners, entries, keysFromBundle };
}
