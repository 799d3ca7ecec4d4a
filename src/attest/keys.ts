import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { fileError } from "../core/digest.js";
import { RampartError } from "../core/errors.js";
import { writeFileAtomic } from "../core/files.js";

/** A public key the verifier trusts, with the id envelopes name it by. */
export interface PublicKey {
  keyId: string;
  key: KeyObject;
}

/** Anything that can sign bytes: a key file today, a KMS or HSM tomorrow. */
export interface Signer {
  keyId: string;
  publicKey: KeyObject;
  sign(data: Uint8Array): Promise<Uint8Array>;
}

/** Key id: hex sha256 of the public key's SubjectPublicKeyInfo DER, so any holder of the key can derive it. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash("sha256")
    .update(publicKey.export({ type: "spki", format: "der" }))
    .digest("hex");
}

export function publicKeyPem(key: KeyObject): string {
  return key.export({ type: "spki", format: "pem" }).toString();
}

/** A signer over an in-memory Ed25519 (or ECDSA) private key. */
export function keySigner(privateKey: KeyObject): Signer {
  if (privateKey.type !== "private") throw new RampartError("untrusted-key", "a signing key must be a private key");
  const publicKey = createPublicKey(privateKey);
  const keyId = keyIdOf(publicKey);
  return {
    keyId,
    publicKey,
    async sign(data) {
      const { sign } = await import("node:crypto");
      const alg = privateKey.asymmetricKeyType === "ed25519" ? null : "sha256";
      return sign(alg, data, { key: privateKey, dsaEncoding: "ieee-p1363" });
    },
  };
}

export interface GeneratedKey {
  keyId: string;
  privateKeyPath: string;
  publicKeyPath: string;
}

/**
 * Generates an Ed25519 key pair: `<base>.key` (PKCS#8 PEM, mode 0600) and `<base>.pub` (SPKI PEM).
 * Refuses to overwrite an existing private key.
 */
export async function generateKeyFiles(base: string, options: { force?: boolean } = {}): Promise<GeneratedKey> {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const privateKeyPath = `${base}.key`;
  const publicKeyPath = `${base}.pub`;
  if (!options.force) {
    try {
      await readFile(privateKeyPath);
      throw new RampartError("conflict", `${privateKeyPath}: a key already exists (use --force to replace it)`);
    } catch (e) {
      if (e instanceof RampartError) throw e;
    }
  }
  await writeFileAtomic(privateKeyPath, privateKey.export({ type: "pkcs8", format: "pem" }).toString(), { mode: 0o600 });
  await writeFileAtomic(publicKeyPath, publicKeyPem(publicKey));
  return { keyId: keyIdOf(publicKey), privateKeyPath, publicKeyPath };
}

/** Parses a PEM private key; `source` names where it came from in errors. */
export function parsePrivateKey(pem: string, source: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch {
    throw new RampartError("untrusted-key", `${source}: not a PEM private key`);
  }
}

/** Parses a PEM public key (or derives it from a private key PEM). */
export function parsePublicKey(pem: string, source: string): PublicKey {
  try {
    const key = createPublicKey(pem);
    return { keyId: keyIdOf(key), key };
  } catch {
    throw new RampartError("untrusted-key", `${source}: not a PEM public key`);
  }
}

export async function loadPublicKey(path: string): Promise<PublicKey> {
  return parsePublicKey(await readKeyFile(path), path);
}

/**
 * The signer to use: an explicit key file wins, then RAMPART_SIGNING_KEY (PEM text), then
 * RAMPART_SIGNING_KEY_FILE, then the project default.
 */
export async function loadSigner(options: { keyFile?: string; defaultFile?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Signer> {
  const env = options.env ?? process.env;
  if (options.keyFile) return keySigner(parsePrivateKey(await readKeyFile(options.keyFile), options.keyFile));
  if (env.RAMPART_SIGNING_KEY) return keySigner(parsePrivateKey(env.RAMPART_SIGNING_KEY, "RAMPART_SIGNING_KEY"));
  const file = env.RAMPART_SIGNING_KEY_FILE ?? options.defaultFile;
  if (!file) throw new RampartError("usage", "no signing key: pass --key FILE or set RAMPART_SIGNING_KEY_FILE (rampart keys generate makes one)");
  return keySigner(parsePrivateKey(await readKeyFile(file), file));
}

async function readKeyFile(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    throw fileError(path, e);
  }
}
