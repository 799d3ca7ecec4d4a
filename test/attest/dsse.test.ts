import { createPrivateKey, createPublicKey, generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { keyIdOf, keySigner, pae, signEnvelope, verifyEnvelope } from "../../src/attest/index.js";
import { isRampartError } from "../../src/core/index.js";

const vector = JSON.parse(readFileSync(new URL("../../../shared/vectors/ledger/dsse/hello-world.json", import.meta.url), "utf8"));

function b64url(dec: string): string {
  return Buffer.from(BigInt(dec).toString(16).padStart(64, "0"), "hex").toString("base64url");
}

const vectorJwk = { kty: "EC", crv: "P-256", x: b64url(vector.key.x_dec), y: b64url(vector.key.y_dec) };
const vectorKey = createPublicKey({ key: vectorJwk, format: "jwk" });
const trustedVectorKey = { keyId: keyIdOf(vectorKey), key: vectorKey };

describe("DSSE against the public protocol vector", () => {
  it("builds the PAE byte for byte", () => {
    expect(pae(vector.payloadType, Buffer.from(vector.payloadUtf8)).toString("utf8")).toBe(vector.expectedPAE);
  });

  it("verifies the vector's ECDSA P-256 envelope and returns the signed bytes", () => {
    const verified = verifyEnvelope(vector.envelope, [trustedVectorKey]);
    expect(verified.payload.toString("utf8")).toBe("hello world");
    expect(verified.keyIds).toEqual([trustedVectorKey.keyId]);
  });

  it("signs with the vector key so that the vector verifier accepts it", async () => {
    const priv = createPrivateKey({ key: { ...vectorJwk, d: b64url(vector.key.d_dec_test_only) }, format: "jwk" });
    const env = await signEnvelope(vector.payloadType, Buffer.from(vector.payloadUtf8), [keySigner(priv)]);
    expect(env.payload).toBe(vector.envelope.payload);
    expect(verifyEnvelope(env, [trustedVectorKey]).payload.toString()).toBe("hello world");
  });

  it("rejects a changed payload type, payload or signature", () => {
    const cases = [
      { ...vector.envelope, payloadType: "http://example.com/Other" },
      { ...vector.envelope, payload: Buffer.from("hello world!").toString("base64") },
      { ...vector.envelope, signatures: [{ sig: Buffer.alloc(64, 1).toString("base64") }] },
    ];
    for (const env of cases) expect(() => verifyEnvelope(env, [trustedVectorKey])).toThrow(/no signature verifies/);
  });
});

describe("DSSE with Ed25519", () => {
  const { privateKey } = generateKeyPairSync("ed25519");
  const signer = keySigner(privateKey);
  const trusted = { keyId: signer.keyId, key: signer.publicKey };

  it("round-trips any payload, and any flipped bit in payload or signature fails", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 256 }), fc.nat(), async (payload, bit) => {
        const env = await signEnvelope("application/vnd.test", payload, [signer]);
        expect(Buffer.compare(verifyEnvelope(env, [trusted]).payload, Buffer.from(payload))).toBe(0);
        const sig = Buffer.from(env.signatures[0]!.sig, "base64");
        sig[(bit >> 3) % sig.length]! ^= 1 << (bit & 7);
        expect(() => verifyEnvelope({ ...env, signatures: [{ sig: sig.toString("base64") }] }, [trusted])).toThrow();
        if (payload.length > 0) {
          const body = Buffer.from(payload);
          body[(bit >> 3) % body.length]! ^= 1 << (bit & 7);
          expect(() => verifyEnvelope({ ...env, payload: body.toString("base64") }, [trusted])).toThrow();
        }
      }),
      { numRuns: 50 },
    );
  });

  it("counts distinct trusted keys for a threshold and ignores untrusted signers", async () => {
    const other = keySigner(generateKeyPairSync("ed25519").privateKey);
    const stranger = keySigner(generateKeyPairSync("ed25519").privateKey);
    const env = await signEnvelope("t", Buffer.from("x"), [signer, other, stranger]);
    const keys = [trusted, { keyId: other.keyId, key: other.publicKey }];
    expect(verifyEnvelope(env, keys, { threshold: 2 }).keyIds.sort()).toEqual([signer.keyId, other.keyId].sort());
    // The same signature twice does not count twice.
    const doubled = { ...env, signatures: [env.signatures[0]!, env.signatures[0]!] };
    expect(() => verifyEnvelope(doubled, keys, { threshold: 2 })).toThrow(/1 trusted signature\(s\), 2 required/);
  });

  it("names the field of a malformed envelope", () => {
    try {
      verifyEnvelope({ payload: "eA==", signatures: [] }, [trusted], { source: "x.json" });
      expect.unreachable();
    } catch (e) {
      expect(isRampartError(e, "invalid-input")).toBe(true);
      expect((e as Error).message).toMatch(/^x\.json: not a DSSE envelope \(payloadType/);
    }
  });

  it("accepts URL-safe base64 and rejects non-base64", async () => {
    const env = await signEnvelope("t", Buffer.from([0xfb, 0xff, 0xfe]), [signer]);
    const urlSafe = { ...env, payload: env.payload.replace(/\+/g, "-").replace(/\//g, "_") };
    expect(verifyEnvelope(urlSafe, [trusted]).payload).toEqual(Buffer.from([0xfb, 0xff, 0xfe]));
    expect(() => verifyEnvelope({ ...env, payload: "not base64!" }, [trusted])).toThrow(/not base64/);
  });
});
