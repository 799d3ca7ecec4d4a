import { generateKeyPairSync } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { keyIdOf, keySigner, type PublicKey, signStatement, statement, verifyEnvelope, verifyStatement } from "../../src/attest/index.js";
import { isRampartError } from "../../src/core/index.js";
import { verifyBundle } from "../../src/ledger/bundle-verify.js";

// Envelopes and bundles arrive from anywhere: any JSON value is verified or refused with a
// RampartError (one line, exit 2); nothing else may escape.
const { publicKey, privateKey } = generateKeyPairSync("ed25519");
const trusted: PublicKey[] = [{ keyId: keyIdOf(publicKey), key: publicKey }];
const signer = keySigner(privateKey);

function refusedOrVerified(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!isRampartError(e)) throw e;
  }
}

describe("DSSE envelopes and in-toto statements", () => {
  it("random JSON and mutated real envelopes are verified or refused with a RampartError", async () => {
    const env = await signStatement(statement([{ name: "m", digest: { sha256: "0".repeat(64) } }], "https://example.com/p", { a: 1 }), [signer]);
    const mutatedEnv = fc.oneof(
      fc.record({ payload: fc.string(), payloadType: fc.string(), signatures: fc.array(fc.record({ keyid: fc.string(), sig: fc.string() }), { maxLength: 3 }) }),
      fc.tuple(fc.constantFrom("payload", "payloadType", "signatures"), fc.jsonValue()).map(([k, v]) => ({ ...env, [k]: v })),
      fc.jsonValue(),
    );
    fc.assert(
      fc.property(mutatedEnv, (e) => {
        refusedOrVerified(() => verifyEnvelope(e, trusted));
        refusedOrVerified(() => verifyStatement(e, trusted));
      }),
      { numRuns: 500 },
    );
    expect(verifyStatement(env, trusted).statement.predicateType).toBe("https://example.com/p");
  });

  it("evidence bundles of random shape are refused with a RampartError", () => {
    const bundle = fc.oneof(
      fc.jsonValue(),
      fc.record({
        mediaType: fc.constant("application/vnd.rampart.evidence-bundle.v1+json"),
        origin: fc.string(),
        logKey: fc.string(),
        checkpoint: fc.string(),
        witnessKeys: fc.array(fc.string(), { maxLength: 2 }),
        attestationKeys: fc.array(fc.record({ pem: fc.string() }), { maxLength: 2 }),
        entries: fc.array(fc.jsonValue(), { maxLength: 3 }),
      }),
    );
    fc.assert(
      fc.property(bundle, (b) => refusedOrVerified(() => verifyBundle(b))),
      { numRuns: 500 },
    );
  });
});
