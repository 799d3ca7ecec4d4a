import { verify as cryptoVerify, type KeyObject } from "node:crypto";
import * as z from "zod";
import { RampartError } from "../core/errors.js";
import type { PublicKey, Signer } from "./keys.js";

/** DSSE v1 envelope (secure-systems-lab/dsse envelope.md). */
export const Envelope = z.object({
  payload: z.string(),
  payloadType: z.string().min(1),
  signatures: z.array(z.object({ keyid: z.string().optional(), sig: z.string().min(1) })).min(1),
});
export type Envelope = z.infer<typeof Envelope>;

/** Pre-Authentication Encoding: "DSSEv1" SP len(type) SP type SP len(body) SP body (byte lengths). */
export function pae(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, "utf8");
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${payload.length} `), payload]);
}

export async function signEnvelope(payloadType: string, payload: Uint8Array, signers: readonly Signer[]): Promise<Envelope> {
  const message = pae(payloadType, payload);
  const signatures = await Promise.all(signers.map(async (s) => ({ keyid: s.keyId, sig: Buffer.from(await s.sign(message)).toString("base64") })));
  return { payload: Buffer.from(payload).toString("base64"), payloadType, signatures };
}

export interface VerifiedEnvelope {
  payloadType: string;
  /** The verified bytes: parse these, never re-decode the envelope. */
  payload: Buffer;
  /** Ids of the distinct trusted keys whose signatures verified. */
  keyIds: string[];
}

/**
 * Verifies an envelope against trusted keys and requires `threshold` distinct keys to have signed.
 * The keyid hint is only a hint: every trusted key is tried against every signature.
 */
export function verifyEnvelope(input: unknown, trusted: readonly PublicKey[], options: { threshold?: number; source?: string } = {}): VerifiedEnvelope {
  const source = options.source ?? "envelope";
  const parsed = Envelope.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RampartError("invalid-input", `${source}: not a DSSE envelope (${issue.path.join(".") || "root"}: ${issue.message})`);
  }
  const env = parsed.data;
  const payload = decodeBase64(env.payload, `${source}: payload`);
  const message = pae(env.payloadType, payload);
  const verified = new Set<string>();
  for (const signature of env.signatures) {
    const sig = decodeBase64(signature.sig, `${source}: signature`);
    const candidates = signature.keyid ? [...trusted.filter((k) => k.keyId === signature.keyid), ...trusted.filter((k) => k.keyId !== signature.keyid)] : trusted;
    for (const key of candidates) {
      if (!verified.has(key.keyId) && verifyRaw(key.key, message, sig)) {
        verified.add(key.keyId);
        break;
      }
    }
  }
  const threshold = options.threshold ?? 1;
  if (verified.size < threshold) {
    throw new RampartError(
      "bad-signature",
      verified.size === 0 ? `${source}: no signature verifies with a trusted key` : `${source}: ${verified.size} trusted signature(s), ${threshold} required`,
    );
  }
  return { payloadType: env.payloadType, payload, keyIds: [...verified] };
}

/** Verifies a raw signature: Ed25519, or ECDSA with its curve's hash in either raw r||s or DER form. */
export function verifyRaw(key: KeyObject, message: Uint8Array, sig: Uint8Array): boolean {
  try {
    if (key.asymmetricKeyType === "ed25519" || key.asymmetricKeyType === "ed448") return cryptoVerify(null, message, key, sig);
    if (key.asymmetricKeyType === "ec") {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      const hash = curve === "secp384r1" ? "sha384" : curve === "secp521r1" ? "sha512" : "sha256";
      const encoding = sig.length > 0 && sig[0] === 0x30 ? "der" : "ieee-p1363";
      return cryptoVerify(hash, message, { key, dsaEncoding: encoding }, sig);
    }
    return cryptoVerify("sha256", message, key, sig);
  } catch {
    return false;
  }
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** Accepts standard and URL-safe base64 (DSSE allows both); rejects anything else. */
export function decodeBase64(s: string, what: string): Buffer {
  if (!BASE64.test(s)) throw new RampartError("invalid-input", `${what}: not base64`);
  return Buffer.from(s.replace(/-/g, "+").replace(/_/g, "/"), "base64");
}
