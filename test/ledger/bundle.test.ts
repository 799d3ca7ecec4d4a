import { generateKeyPairSync } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attestCheckResult, keySigner, publicKeyPem } from "../../src/attest/index.js";
import { VERSION } from "../../src/core/index.js";
import { exportBundle, formatVkey, Ledger, ledgerSink, parseVkey, recordApproval, recordDeploymentDecision, requestCosignature, Witness } from "../../src/ledger/index.js";
import { type EvidenceBundle, verifyBundle } from "../../src/ledger/verify.js";
import { openStore, type Store, saveAttestation, startRun } from "../../src/store/index.js";
import { tempDir } from "../helpers/db.js";

const PROJECT = "bundle-test";
const ORIGIN = "rampart.local/bundle-test";
const logSigner = keySigner(generateKeyPairSync("ed25519").privateKey);
const attSigner = keySigner(generateKeyPairSync("ed25519").privateKey);
const model = { name: "model/m.onnx", sha256: "ab".repeat(32) };
const data = { name: "data/train.csv", sha256: "cd".repeat(32) };

describe("evidence bundles", () => {
  let store: Store;
  let wStore: Store;
  let bundle: EvidenceBundle;
  let witness: Witness;
  const trust = () => ({
    logKey: formatVkey(ORIGIN, logSigner.publicKey),
    witnessKeys: [witness.vkey],
    quorum: 1,
    attestationKeys: [publicKeyPem(attSigner.publicKey)],
  });
  beforeAll(async () => {
    const dir = tempDir();
    store = await openStore({ url: join(dir, "p.db") });
    wStore = await openStore({ url: join(dir, "w.db") });
    witness = new Witness({
      name: "w.test",
      signer: keySigner(generateKeyPairSync("ed25519").privateKey),
      store: wStore,
      logs: [parseVkey(formatVkey(ORIGIN, logSigner.publicKey))],
    });
    // What the pipeline does for each result: sign, store, and tell the sinks.
    await startRun(store, "run-1", PROJECT);
    for (const [check, subject] of [
      ["scan-model", model],
      ["pii", data],
    ] as const) {
      const result = { check, version: VERSION, subjects: [{ name: subject.name, digest: { sha256: subject.sha256 } }], findings: [], metrics: {} };
      const envelope = await attestCheckResult(result, [attSigner]);
      const saved = await saveAttestation(store, {
        runId: "run-1",
        check,
        predicateType: "https://rampart.dev/attestation/check-result/v1",
        subjectName: subject.name,
        subjectSha256: subject.sha256,
        keyId: attSigner.keyId,
        envelope,
      });
      await ledgerSink(saved, { store, runId: "run-1", project: PROJECT });
      await ledgerSink(saved, { store, runId: "run-1", project: PROJECT }); // a retried sink call records nothing new
    }
    await recordApproval(store, PROJECT, { subject: model, approver: "alice", role: "risk-officer", decision: "approve" });
    await recordDeploymentDecision(store, PROJECT, { model, decision: "allow", environment: "prod", reasons: ["all gates passed"] });
    const log = await Ledger.open(store, ORIGIN);
    expect((await log.state()).size).toBe(4);
    const cp = await log.signCheckpoint(logSigner);
    await requestCosignature(log, cp, witness.vkey, (b) => witness.addCheckpoint(b));
    bundle = await exportBundle(store, log, { release: model.sha256, attestationKeys: [{ keyId: attSigner.keyId, key: attSigner.publicKey }] });
  });
  afterAll(async () => {
    await store?.close();
    await wStore?.close();
  });

  it("holds the model's attestation, approval and deployment decision, and verifies offline", () => {
    expect(bundle.entries.map((e) => JSON.parse(e.leafData).kind)).toEqual(["attestation", "approval", "deployment-decision"]);
    const v = verifyBundle(JSON.parse(JSON.stringify(bundle)), trust());
    expect(v.cosigners.map((c) => c.name)).toEqual(["w.test"]);
    expect(v.entries[0]).toMatchObject({ kind: "attestation", check: "scan-model", signedBy: [attSigner.keyId] });
    expect(v.keysFromBundle).toEqual([]);
    expect(verifyBundle(bundle).keysFromBundle).toEqual(["log key", "witness keys", "attestation keys"]);
  });

  it("exports a run", async () => {
    const log = await Ledger.open(store, ORIGIN);
    const run = await exportBundle(store, log, { run: "run-1", attestationKeys: [{ keyId: attSigner.keyId, key: attSigner.publicKey }] });
    expect(verifyBundle(run, { ...trust(), quorum: 0 }).entries.map((e) => e.check)).toEqual(["scan-model", "pii"]);
    await expect(exportBundle(store, log, { run: "nope", attestationKeys: [] })).rejects.toThrow(/nothing recorded/);
  });

  const mutate = (fn: (b: EvidenceBundle) => void) => {
    const copy = structuredClone(bundle);
    fn(copy);
    return () => verifyBundle(copy, trust(), "evidence.json");
  };
  it("names each tampering", () => {
    expect(mutate((b) => (b.entries[1]!.leafData = b.entries[1]!.leafData.replace("approve", "reject")))).toThrow(/entries\[1\] \(ledger index \d+\): not included/);
    expect(mutate((b) => b.entries[0]!.proof.reverse())).toThrow(/entries\[0\].*not included|malformed/);
    expect(mutate((b) => (b.entries[0]!.envelope = b.entries[0]!.envelope!.replace('"payload"', '"payload" ')))).toThrow(/envelope sha256/);
    expect(mutate((b) => (b.checkpoint = b.checkpoint.replace(/\n\d+\n/, "\n5\n")))).toThrow(/signature by rampart.local\/bundle-test .* does not verify/);
    expect(mutate((b) => (b.checkpoint = b.checkpoint.split("\n").slice(0, -2).join("\n").concat("\n")))).toThrow(/quorum is 1/);
    expect(mutate((b) => (b.entries[0]!.index += 1))).toThrow(/entries\[0\]/);
    expect(() => verifyBundle({ ...bundle, mediaType: "x" }, trust(), "evidence.json")).toThrow(/evidence.json: not a Rampart evidence bundle \(mediaType/);
    const stranger = keySigner(generateKeyPairSync("ed25519").privateKey);
    expect(() => verifyBundle(bundle, { ...trust(), attestationKeys: [publicKeyPem(stranger.publicKey)] })).toThrow(/no signature verifies with a trusted key/);
    expect(() => verifyBundle(bundle, { ...trust(), logKey: formatVkey(ORIGIN, stranger.publicKey) })).toThrow(/no signature by a known key/);
  });
});
