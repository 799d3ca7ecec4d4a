/** `rampart ledger export`: an evidence bundle for a release (subject) or a pipeline run. */
import type { PublicKey, Signer } from "../attest/index.js";
import { publicKeyPem } from "../attest/index.js";
import { RampartError } from "../core/errors.js";
import { type AttestationRecord, listAttestations, type Store } from "../store/index.js";
import { BUNDLE_MEDIA_TYPE, type EvidenceBundle } from "./bundle-verify.js";
import type { Ledger } from "./log.js";
import { attestationEvent } from "./record.js";

export interface ExportOptions {
  /** A subject sha256 or name: everything the ledger holds about it. */
  release?: string;
  /** A pipeline run id: every attestation of the run. */
  run?: string;
  /** Public keys of the attestation signers to include. */
  attestationKeys: readonly PublicKey[];
  /** Signs a fresh checkpoint when the latest does not cover the entries. */
  signer?: Signer;
}

export async function exportBundle(store: Store, ledger: Ledger, options: ExportOptions): Promise<EvidenceBundle> {
  if (Boolean(options.release) === Boolean(options.run)) throw new RampartError("usage", "export: name a RELEASE (subject sha256 or name) or --run RUNID");
  let attestations: AttestationRecord[];
  const isDigest = options.release && /^(sha256:)?[0-9a-f]{64}$/.test(options.release);
  const digest = isDigest ? options.release!.replace(/^sha256:/, "") : undefined;
  const matched = new Set<string>();
  if (options.run) attestations = await listAttestations(store, { runId: options.run });
  else {
    // A release is matched against every subject of each statement, not only the first.
    attestations = (await listAttestations(store)).filter((a) => {
      const hit = subjectsOf(a).find((s) => (digest ? s.sha256 === digest : s.name === options.release || s.name.endsWith(`/${options.release}`)));
      if (hit) matched.add(hit.sha256);
      return Boolean(hit);
    });
  }
  // Attestations stored before the ledger existed are recorded now (idempotent by event id).
  const appended = await ledger.append(attestations.map(attestationEvent));
  const byIndex = new Map<number, string | undefined>();
  for (const [i, a] of appended.entries()) byIndex.set(a.index, JSON.stringify(attestations[i]!.envelope));
  // Approvals, decisions, data access about the same subjects.
  const subjects = new Set([...(digest ? [digest] : []), ...matched]);
  if (!options.run) for (const s of subjects) for (const e of await ledger.entriesForSubject(s)) if (!byIndex.has(e.index)) byIndex.set(e.index, undefined);
  if (byIndex.size === 0) throw new RampartError("not-found", `ledger ${ledger.origin}: nothing recorded for ${options.run ? `run ${options.run}` : options.release}`);
  const maxIndex = Math.max(...byIndex.keys());
  let cp = await ledger.latestCheckpoint();
  if (!cp || cp.size <= maxIndex) {
    if (!options.signer) throw new RampartError("usage", `ledger ${ledger.origin}: no checkpoint covers entry ${maxIndex}; run rampart ledger checkpoint first`);
    cp = await ledger.signCheckpoint(options.signer);
  }
  const state = await ledger.state();
  const entries: EvidenceBundle["entries"] = [];
  for (const index of [...byIndex.keys()].sort((a, b) => a - b)) {
    const e = (await ledger.entry(index))!;
    const { proof } = await ledger.inclusionProof(index, cp.size);
    entries.push({ index, leafData: e.leafData, proof: proof.map((p) => p.toString("base64")), envelope: byIndex.get(index) });
  }
  return {
    mediaType: BUNDLE_MEDIA_TYPE,
    origin: ledger.origin,
    createdAt: new Date().toISOString(),
    selector: options.run ? { run: options.run } : { release: options.release },
    logKey: state.logVkey!,
    witnessKeys: await ledger.witnessKeys(),
    attestationKeys: options.attestationKeys.map((k) => ({ keyId: k.keyId, pem: publicKeyPem(k.key) })),
    checkpoint: cp.note,
    entries,
  };
}

/** Subjects of a stored statement (its envelope was verified when stored; here it only routes). */
function subjectsOf(a: AttestationRecord): Array<{ name: string; sha256: string }> {
  try {
    const env = a.envelope as { payload?: string };
    const st = JSON.parse(Buffer.from(env.payload ?? "", "base64").toString("utf8")) as { subject?: Array<{ name?: string; digest?: { sha256?: string } }> };
    return (st.subject ?? []).map((s) => ({ name: s.name ?? "", sha256: s.digest?.sha256 ?? "" }));
  } catch {
    return [{ name: a.subjectName, sha256: a.subjectSha256 }];
  }
}
