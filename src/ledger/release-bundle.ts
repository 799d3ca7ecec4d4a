/**
 * `rampart ledger export RELEASE` for a registry release id: a bundle directory with bundle.json
 * (checkpoint, keys, every ledger entry about the release with its inclusion proof) and one file per
 * signed document: attestations (the evidence), reviews (each signed by its reviewer), gate decisions.
 * `rampart verify-bundle DIR` checks it offline with public keys only.
 */
import { createHash } from "node:crypto";
import { mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Signer } from "../attest/index.js";
import { type PublicKey, publicKeyPem } from "../attest/index.js";
import { RampartError, writeFileAtomic } from "../core/index.js";
import type { Store } from "../store/index.js";
import { BUNDLE_MEDIA_TYPE, type EvidenceBundle } from "./bundle-verify.js";
import { canonicalJson, decodeEntry } from "./entry.js";
import type { Ledger } from "./log.js";
import { attestationEvent } from "./record.js";

export const RELEASE_ID = /^rel-[0-9a-f]{12}$/;

/** Kinds the registry appends about a release (src/registry/ledger.ts). */
const RELEASE_KINDS = new Set(["release", "approval", "gate-decision", "promotion"]);

export interface ReleaseExport {
  dir: string;
  bundle: EvidenceBundle;
  files: string[];
}

export async function exportReleaseBundle(
  store: Store,
  ledger: Ledger,
  releaseId: string,
  options: { outDir: string; attestationKeys: readonly PublicKey[]; signer?: Signer },
): Promise<ReleaseExport> {
  const release = await store.db.selectFrom("releases").selectAll().where("id", "=", releaseId).executeTakeFirst();
  if (!release) throw new RampartError("not-found", `release ${releaseId}: no such release in ${store.location}`);
  const evidence = (await store.db.selectFrom("release_evidence").select("envelope_sha256").where("release_id", "=", releaseId).execute()).map((r) => r.envelope_sha256);
  const attestations = evidence.length ? await store.db.selectFrom("attestations").selectAll().where("envelope_sha256", "in", evidence).orderBy("id").execute() : [];
  // Attestations recorded before the ledger existed are appended now (idempotent by event id).
  const appended = await ledger.append(
    attestations.map((a) =>
      attestationEvent({
        id: Number(a.id),
        runId: a.run_id,
        check: a.check_name,
        predicateType: a.predicate_type,
        subjectName: a.subject_name,
        subjectSha256: a.subject_sha256,
        keyId: a.key_id,
        envelopeSha256: a.envelope_sha256,
        envelope: JSON.parse(a.envelope),
        createdAt: a.created_at,
      }),
    ),
  );
  const files = new Map<number, { file: string; text: string }>();
  for (const [i, a] of appended.entries()) files.set(a.index, { file: `attestations/${attestations[i]!.envelope_sha256}.dsse.json`, text: attestations[i]!.envelope });

  // The registry's own entries about this release: its digests, signed reviews, gate decisions, promotions.
  const reviews = new Map((await store.db.selectFrom("release_reviews").selectAll().where("release_id", "=", releaseId).execute()).map((r) => [sha256(r.envelope), r]));
  const reviewers = new Set<string>();
  for (const e of await ledger.entriesForSubject(release.model_sha256)) {
    if (!e.entry || !RELEASE_KINDS.has(e.entry.kind) || e.entry.data?.releaseId !== releaseId) continue;
    if (e.entry.kind === "approval") {
      const row = reviews.get(String(e.entry.data.envelopeSha256));
      if (!row) throw new RampartError("conflict", `ledger ${ledger.origin}: entry ${e.index} records a review of ${releaseId} that is no longer in the store`);
      reviewers.add(row.reviewer);
      files.set(e.index, { file: `reviews/${e.index}-${row.reviewer}.dsse.json`, text: row.envelope });
    } else if (e.entry.kind === "gate-decision") {
      const id = String(e.entry.data.decisionId);
      const row = await store.db.selectFrom("gate_decisions").selectAll().where("id", "=", id).executeTakeFirst();
      if (!row) throw new RampartError("conflict", `ledger ${ledger.origin}: entry ${e.index} records gate decision ${id}, no longer in the store`);
      const doc = {
        id: row.id,
        releaseId: row.release_id,
        bundleDigest: row.bundle_sha256,
        decision: row.decision,
        rules: JSON.parse(row.rules),
        evidence: JSON.parse(row.evidence),
        params: JSON.parse(row.params),
        evaluatedAt: row.evaluated_at,
        actor: row.actor,
      };
      files.set(e.index, { file: `decisions/${id}.json`, text: `${canonicalJson(doc)}\n` });
    } else files.set(e.index, { file: "", text: "" });
  }
  if (![...files.keys()].length) throw new RampartError("not-found", `ledger ${ledger.origin}: nothing recorded for release ${releaseId}`);

  const maxIndex = Math.max(...files.keys());
  let cp = await ledger.latestCheckpoint();
  if (!cp || cp.size <= maxIndex) {
    if (!options.signer) throw new RampartError("usage", `ledger ${ledger.origin}: no checkpoint covers entry ${maxIndex}; run rampart ledger checkpoint first`);
    cp = await ledger.signCheckpoint(options.signer);
  }
  const state = await ledger.state();
  const reviewerKeys: NonNullable<EvidenceBundle["reviewerKeys"]> = [];
  for (const name of [...reviewers].sort()) {
    const p = await store.db.selectFrom("registry_principals").select(["name", "public_key", "key_id"]).where("name", "=", name).executeTakeFirst();
    if (p?.public_key && p.key_id) reviewerKeys.push({ name: p.name, keyId: p.key_id, pem: p.public_key });
  }
  const entries: EvidenceBundle["entries"] = [];
  for (const index of [...files.keys()].sort((a, b) => a - b)) {
    const stored = (await ledger.entry(index))!;
    if (!decodeEntry(stored.leafData)) throw new RampartError("conflict", `ledger ${ledger.origin}: entry ${index} is not a Rampart entry; run rampart ledger verify`);
    const { proof } = await ledger.inclusionProof(index, cp.size);
    const f = files.get(index)!;
    entries.push({ index, leafData: stored.leafData, proof: proof.map((p) => p.toString("base64")), ...(f.file ? { file: f.file } : {}) });
  }
  const bundle: EvidenceBundle = {
    mediaType: BUNDLE_MEDIA_TYPE,
    origin: ledger.origin,
    createdAt: new Date().toISOString(),
    selector: { release: releaseId },
    logKey: state.logVkey!,
    witnessKeys: await ledger.witnessKeys(),
    attestationKeys: options.attestationKeys.map((k) => ({ keyId: k.keyId, pem: publicKeyPem(k.key) })),
    reviewerKeys,
    checkpoint: cp.note,
    entries,
  };

  // Written beside the target and renamed into place: a failed export leaves nothing half-written.
  const outDir = resolve(options.outDir);
  const tmp = join(dirname(outDir), `.${releaseId}.${process.pid}.tmp`);
  rmSync(tmp, { recursive: true, force: true });
  const written: string[] = [];
  try {
    mkdirSync(tmp, { recursive: true });
    for (const f of files.values()) {
      if (!f.file) continue;
      mkdirSync(dirname(join(tmp, f.file)), { recursive: true });
      await writeFileAtomic(join(tmp, f.file), f.text);
      written.push(f.file);
    }
    await writeFileAtomic(join(tmp, "bundle.json"), `${JSON.stringify(bundle, null, 2)}\n`);
    written.push("bundle.json");
    rmSync(outDir, { recursive: true, force: true });
    renameSync(tmp, outDir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return { dir: options.outDir, bundle, files: written.sort() };
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
