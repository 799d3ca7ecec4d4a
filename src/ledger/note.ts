/**
 * C2SP signed-note (c2sp.org/signed-note): text, a blank line, then `— <name> <base64(keyID ‖ sig)>`
 * lines. Verification only needs public keys; signing takes a callback so no private key lives here.
 */
import { createHash, createPublicKey, verify as cryptoVerify, type KeyObject } from "node:crypto";
import { RampartError } from "../core/errors.js";

/** Signature types (first byte of a vkey's key material, and of the keyID preimage). */
export const SIG_ED25519 = 0x01;
export const SIG_COSIGNATURE_V1 = 0x04;

const EM_DASH_PREFIX = "— ";
const MAX_SIGNATURES = 100;
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

export interface NoteSignature {
  name: string;
  keyId: number;
  /** Signature payload after the 4-byte key id. */
  sig: Buffer;
  /** The line as it appeared (without the newline). */
  line: string;
}

export interface Note {
  /** The signed text, ending in "\n". */
  text: string;
  signatures: NoteSignature[];
}

/** A verifier key: name, key id, type and raw public key. */
export interface NoteVerifier {
  name: string;
  keyId: number;
  type: number;
  publicKey: Buffer;
  key: KeyObject;
  /** The canonical vkey string. */
  vkey: string;
}

export function validKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name) && isPrintable(name);
}

function isPrintable(s: string): boolean {
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 || c === 0x7f) return false;
  }
  return true;
}

/** keyID = SHA-256(name ‖ 0x0A ‖ type ‖ public key)[:4] as a big-endian uint32. */
export function noteKeyId(name: string, type: number, publicKey: Uint8Array): number {
  return createHash("sha256")
    .update(Buffer.from(`${name}\n`, "utf8"))
    .update(Buffer.from([type]))
    .update(publicKey)
    .digest()
    .readUInt32BE(0);
}

export function hex8(id: number): string {
  return id.toString(16).padStart(8, "0");
}

/** The 32-byte raw Ed25519 public key of a KeyObject. */
export function rawEd25519(key: KeyObject): Buffer {
  if (key.asymmetricKeyType !== "ed25519") throw new RampartError("untrusted-key", "signed notes need an Ed25519 key");
  const pub = key.type === "private" ? createPublicKey(key) : key;
  const der = pub.export({ type: "spki", format: "der" });
  return Buffer.from(der.subarray(der.length - 32));
}

export function ed25519FromRaw(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: "der", type: "spki" });
}

/** `<name>+<hex keyID>+<base64(type ‖ pubkey)>` for an Ed25519 key. */
export function formatVkey(name: string, key: KeyObject, type = SIG_ED25519): string {
  if (!validKeyName(name)) throw new RampartError("usage", `"${name}": a note key name must be non-empty, without spaces or "+"`);
  const raw = rawEd25519(key);
  return `${name}+${hex8(noteKeyId(name, type, raw))}+${Buffer.concat([Buffer.from([type]), raw]).toString("base64")}`;
}

/** Parses a vkey; rejects a wrong key id, a bad length or an unsupported type. */
export function parseVkey(vkey: string, source = "verifier key"): NoteVerifier {
  const fail = (why: string) => new RampartError("untrusted-key", `${source}: not a signed-note verifier key (${why})`);
  // The base64 key may itself contain "+": split at the first two only.
  const m = /^([^+]*)\+([^+]*)\+(.*)$/s.exec(vkey.trim());
  if (!m) throw fail("expected name+keyid+key");
  const [, name, idHex, b64] = m as unknown as [string, string, string, string];
  if (!validKeyName(name)) throw fail("bad key name");
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw fail("key id must be 8 lowercase hex digits");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw fail("key is not base64");
  const material = Buffer.from(b64, "base64");
  if (material.toString("base64") !== b64) throw fail("key is not canonical base64");
  const type = material[0];
  if (type !== SIG_ED25519 && type !== SIG_COSIGNATURE_V1) throw fail(`unsupported key type 0x${(type ?? 0).toString(16)}`);
  const publicKey = material.subarray(1);
  if (publicKey.length !== 32) throw fail("an Ed25519 key is 32 bytes");
  const keyId = noteKeyId(name, type, publicKey);
  if (hex8(keyId) !== idHex) throw fail(`key id ${idHex} does not match the key (${hex8(keyId)})`);
  return { name, keyId, type, publicKey: Buffer.from(publicKey), key: ed25519FromRaw(publicKey), vkey: `${name}+${idHex}+${b64}` };
}

/** Splits a note at its last blank line and parses the signature lines; throws on any malformation. */
export function parseNote(note: string, source = "note"): Note {
  const fail = (why: string) => new RampartError("invalid-input", `${source}: malformed signed note (${why})`);
  if (!note.endsWith("\n")) throw fail("does not end in a newline");
  const split = note.lastIndexOf("\n\n");
  if (split < 0) throw fail("no blank line before the signatures");
  const text = note.slice(0, split + 1);
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if ((c < 0x20 && c !== 0x0a) || c === 0x7f) throw fail("control character in the text");
  }
  const lines = note.slice(split + 2, -1).split("\n");
  if (lines.length > MAX_SIGNATURES) throw fail(`more than ${MAX_SIGNATURES} signatures`);
  const signatures: NoteSignature[] = [];
  for (const [i, line] of lines.entries()) {
    if (!line.startsWith(EM_DASH_PREFIX)) throw fail(`signature line ${i + 1} does not start with "— "`);
    const rest = line.slice(EM_DASH_PREFIX.length);
    const space = rest.indexOf(" ");
    if (space < 0) throw fail(`signature line ${i + 1} has no signature`);
    const name = rest.slice(0, space);
    const b64 = rest.slice(space + 1);
    if (!validKeyName(name)) throw fail(`signature line ${i + 1} has a bad key name`);
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw fail(`signature line ${i + 1} is not base64`);
    const raw = Buffer.from(b64, "base64");
    if (raw.length < 5 || raw.toString("base64") !== b64) throw fail(`signature line ${i + 1} is too short or not canonical base64`);
    signatures.push({ name, keyId: raw.readUInt32BE(0), sig: Buffer.from(raw.subarray(4)), line });
  }
  return { text, signatures };
}

export function formatNote(note: Note): string {
  return `${note.text}\n${note.signatures.map((s) => `${s.line}\n`).join("")}`;
}

export function signatureLine(name: string, keyId: number, payload: Uint8Array): string {
  const raw = Buffer.alloc(4 + payload.length);
  raw.writeUInt32BE(keyId, 0);
  Buffer.from(payload).copy(raw, 4);
  return `${EM_DASH_PREFIX}${name} ${raw.toString("base64")}`;
}

/** Signs the text (which must end in a newline) with an Ed25519 signing callback. */
export async function signNote(text: string, name: string, publicKey: KeyObject, sign: (message: Uint8Array) => Promise<Uint8Array>): Promise<string> {
  if (!text.endsWith("\n")) throw new RampartError("usage", "a note text must end in a newline");
  const raw = rawEd25519(publicKey);
  const sig = await sign(Buffer.from(text, "utf8"));
  return formatNote({
    text,
    signatures: [{ name, keyId: noteKeyId(name, SIG_ED25519, raw), sig: Buffer.from(sig), line: signatureLine(name, noteKeyId(name, SIG_ED25519, raw), sig) }],
  });
}

export function ed25519Verify(key: KeyObject, message: Uint8Array, sig: Uint8Array): boolean {
  try {
    return sig.length === 64 && cryptoVerify(null, message, key, sig);
  } catch {
    return false;
  }
}

/**
 * signed-note verification rules: signatures from unknown (name, key id) pairs are ignored; a
 * signature from a known key must verify or the whole note is rejected; at least one known key
 * must have signed. Returns the verifiers whose Ed25519 (type 0x01) signatures verified.
 */
export function openNote(note: string, verifiers: readonly NoteVerifier[], source = "note"): { text: string; verified: NoteVerifier[]; note: Note } {
  const parsed = parseNote(note, source);
  const verified: NoteVerifier[] = [];
  for (const s of parsed.signatures) {
    const v = verifiers.find((k) => k.type === SIG_ED25519 && k.name === s.name && k.keyId === s.keyId);
    if (!v) continue;
    if (!ed25519Verify(v.key, Buffer.from(parsed.text, "utf8"), s.sig))
      throw new RampartError("bad-signature", `${source}: the signature by ${s.name} (${hex8(s.keyId)}) does not verify`);
    if (!verified.includes(v)) verified.push(v);
  }
  if (verified.length === 0) throw new RampartError("bad-signature", `${source}: no signature by a known key`);
  return { text: parsed.text, verified, note: parsed };
}
