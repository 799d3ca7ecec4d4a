import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";
import { RampartError } from "../../core/index.js";
import type { PiiMatch } from "./analyzer.js";
import { GIVEN_NAMES, SURNAMES } from "./names.js";

export type OperatorName = "mask" | "replace" | "hash" | "encrypt" | "pseudonym" | "redact";
export const OPERATORS: readonly OperatorName[] = ["mask", "replace", "hash", "encrypt", "pseudonym", "redact"];

export interface OperatorOptions {
  operator: OperatorName;
  /** 32-byte key for hash (HMAC-SHA256), encrypt (AES-256-GCM) and pseudonym. */
  key?: Buffer;
  /** mask: character to use and how many trailing characters stay visible. */
  maskChar?: string;
  keepLast?: number;
}

/** Parses a 32-byte key given as 64 hex characters or base64 (from a file or RAMPART_PII_KEY). */
export function parseKey(text: string, source: string): Buffer {
  const t = text.trim();
  const buf = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, "hex") : Buffer.from(t, "base64");
  if (buf.length !== 32) throw new RampartError("invalid-input", `${source}: expected a 32-byte key as 64 hex characters or base64`);
  return buf;
}

export function generateKey(): string {
  return randomBytes(32).toString("hex");
}

const GIVEN = [...GIVEN_NAMES].filter((n) => /^[a-z]+$/.test(n));
const FAMILY = [...SURNAMES].filter((n) => /^[a-z]+$/.test(n));
const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);

/** The replacement for one value: every operator is a pure function of (value, entity, key). */
export function operate(value: string, entity: string, options: OperatorOptions): string {
  switch (options.operator) {
    case "replace":
      return `<${entity}>`;
    case "redact":
      return "";
    case "mask": {
      const ch = options.maskChar ?? "*";
      const keep = options.keepLast ?? 0;
      let visible = 0;
      const out = [...value];
      for (let i = out.length - 1; i >= 0; i--) {
        if (!/[\p{L}\p{N}]/u.test(out[i]!)) continue;
        if (visible < keep) visible++;
        else out[i] = ch;
      }
      return out.join("");
    }
    case "hash":
      return hmac(needKey(options), entity, value).toString("hex");
    case "encrypt":
      return encryptValue(value, entity, needKey(options));
    case "pseudonym":
      return pseudonym(value, entity, needKey(options));
  }
}

function needKey(options: OperatorOptions): Buffer {
  if (!options.key) throw new RampartError("usage", `the ${options.operator} operator needs a key: pass --key-file FILE or set RAMPART_PII_KEY (64 hex characters)`);
  return options.key;
}

function hmac(key: Buffer, entity: string, value: string): Buffer {
  return createHmac("sha256", key).update(`${entity}\0${value}`).digest();
}

/**
 * Consistent pseudonym: the same (key, entity, value) always gives the same stand-in, of the same
 * kind (a name for PERSON, an address in example.com for e-mail), and different values collide only
 * by chance of a 32-bit suffix.
 */
export function pseudonym(value: string, entity: string, key: Buffer): string {
  const h = hmac(key, entity, value.trim().toLowerCase());
  const tag = h.subarray(0, 4).toString("hex");
  if (entity === "PERSON") return `${cap(GIVEN[h.readUInt16BE(4) % GIVEN.length]!)} ${cap(FAMILY[h.readUInt16BE(6) % FAMILY.length]!)}-${tag.slice(0, 4)}`;
  if (entity === "EMAIL_ADDRESS") return `user-${tag}@example.com`;
  if (entity === "URL") return `https://example.com/${tag}`;
  return `${entity}_${tag}`;
}

const ENC_PREFIX = "ENC[";
/** AES-256-GCM with a random 96-bit IV; the entity is authenticated data. Token: ENC[ENTITY:base64url(iv|ciphertext|tag)]. */
export function encryptValue(value: string, entity: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(entity));
  const ct = Buffer.concat([cipher.update(value, "utf8"), cipher.final()]);
  return `${ENC_PREFIX}${entity}:${Buffer.concat([iv, ct, cipher.getAuthTag()]).toString("base64url")}]`;
}

const TOKEN = /ENC\[([A-Z0-9_]+):([A-Za-z0-9_-]+)\]/g;

export function decryptToken(token: string, key: Buffer): string {
  TOKEN.lastIndex = 0;
  const m = TOKEN.exec(token);
  if (!m || m[0] !== token) throw new RampartError("invalid-input", "not an ENC[...] token");
  return decryptParts(m[1]!, m[2]!, key);
}

function decryptParts(entity: string, b64: string, key: Buffer): string {
  const raw = Buffer.from(b64, "base64url");
  if (raw.length < 28) throw new RampartError("invalid-input", "encrypted token too short");
  const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(entity));
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  try {
    return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString("utf8");
  } catch {
    throw new RampartError("bad-signature", `encrypted ${entity} value does not decrypt with this key (wrong key or tampered)`);
  }
}

/** Replaces every ENC[...] token in a text by its plaintext (the reverse of the encrypt operator). */
export function decryptText(text: string, key: Buffer): string {
  return text.replace(TOKEN, (_all, entity: string, b64: string) => decryptParts(entity, b64, key));
}

/** Applies the operator to every match (non-overlapping, sorted) and returns the new text. */
export function anonymize(text: string, matches: readonly PiiMatch[], options: OperatorOptions): string {
  if (matches.length === 0) return text;
  let out = "";
  let at = 0;
  for (const m of matches) {
    out += text.slice(at, m.start) + operate(text.slice(m.start, m.end), m.entity, options);
    at = m.end;
  }
  return out + text.slice(at);
}
