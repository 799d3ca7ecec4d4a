/**
 * C2SP tlog-checkpoint (the signed tree head) and tlog-cosignature (cosignature/v1 by witnesses).
 * Pure verification: public keys only.
 */
import type { KeyObject } from "node:crypto";
import { RampartError } from "../core/errors.js";
import { EMPTY_ROOT } from "./merkle.js";
import {
  ed25519Verify,
  hex8,
  type Note,
  type NoteSignature,
  type NoteVerifier,
  noteKeyId,
  openNote,
  parseNote,
  rawEd25519,
  SIG_COSIGNATURE_V1,
  signatureLine,
  validKeyName,
} from "./note.js";

export interface Checkpoint {
  origin: string;
  size: number;
  root: Buffer;
  extensions: string[];
}

/** The checkpoint body: origin, decimal size, base64 root, optional extension lines. */
export function formatCheckpoint(c: Checkpoint): string {
  return `${c.origin}\n${c.size}\n${c.root.toString("base64")}\n${c.extensions.map((e) => `${e}\n`).join("")}`;
}

export function parseCheckpointText(text: string, source = "checkpoint"): Checkpoint {
  const fail = (why: string) => new RampartError("invalid-input", `${source}: malformed checkpoint (${why})`);
  if (!text.endsWith("\n")) throw fail("does not end in a newline");
  const lines = text.slice(0, -1).split("\n");
  if (lines.length < 3) throw fail("needs origin, size and root lines");
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  if (!validKeyName(origin)) throw fail("line 1: origin must be non-empty, without spaces or '+'");
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText)) throw fail("line 2: tree size must be decimal without leading zeros");
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) throw fail("line 2: tree size too large");
  const root = Buffer.from(rootText, "base64");
  if (root.length !== 32 || root.toString("base64") !== rootText) throw fail("line 3: root must be 32 bytes in standard base64");
  if (extensions.some((e) => e.length === 0)) throw fail("empty extension line");
  if (size === 0 && !root.equals(EMPTY_ROOT)) throw fail("a size-0 checkpoint must carry the empty-tree root");
  return { origin, size, root, extensions };
}

/** cosignature/v1 signed message: header, time line, then the checkpoint text. */
export function cosignatureMessage(checkpointText: string, timestamp: bigint | number): Buffer {
  return Buffer.from(`cosignature/v1\ntime ${BigInt(timestamp).toString()}\n${checkpointText}`, "utf8");
}

/** Makes a cosignature line (type 0x04): keyID ‖ u64 BE time ‖ Ed25519 signature. */
export async function cosignLine(checkpointText: string, name: string, publicKey: KeyObject, sign: (m: Uint8Array) => Promise<Uint8Array>, timestamp: number): Promise<string> {
  if (!(Number.isSafeInteger(timestamp) && timestamp > 0)) throw new RampartError("usage", "a cosignature timestamp must be a positive whole number of seconds");
  const raw = rawEd25519(publicKey);
  const sig = await sign(cosignatureMessage(checkpointText, timestamp));
  const payload = Buffer.alloc(8 + sig.length);
  payload.writeBigUInt64BE(BigInt(timestamp), 0);
  Buffer.from(sig).copy(payload, 8);
  return signatureLine(name, noteKeyId(name, SIG_COSIGNATURE_V1, raw), payload);
}

/** The cosignature/v1 payload of a note signature line, or undefined if it cannot be one. */
export function decodeCosignature(s: NoteSignature): { timestamp: bigint; sig: Buffer } | undefined {
  if (s.sig.length !== 72) return undefined;
  return { timestamp: s.sig.readBigUInt64BE(0), sig: s.sig.subarray(8) };
}

export function verifyCosignature(checkpointText: string, s: NoteSignature, witness: NoteVerifier): { timestamp: bigint } | undefined {
  if (witness.type !== SIG_COSIGNATURE_V1 || s.name !== witness.name || s.keyId !== witness.keyId) return undefined;
  const decoded = decodeCosignature(s);
  if (!decoded || decoded.timestamp === 0n) return undefined;
  return ed25519Verify(witness.key, cosignatureMessage(checkpointText, decoded.timestamp), decoded.sig) ? { timestamp: decoded.timestamp } : undefined;
}

export interface VerifiedCheckpoint extends Checkpoint {
  text: string;
  note: Note;
  /** Witness names whose cosignatures verified, with their timestamps. */
  cosigners: Array<{ name: string; timestamp: number }>;
}

export interface CheckpointPolicy {
  /** The log's key (type 0x01); its name should equal the origin. */
  log: NoteVerifier;
  /** Witness keys (type 0x04). */
  witnesses?: readonly NoteVerifier[];
  /** Distinct witnesses that must have cosigned (default 0). */
  quorum?: number;
  /** Expected origin (default: the log key's name). */
  origin?: string;
}

/**
 * Verifies a cosigned checkpoint: the log's signature, the origin, and a quorum of witness
 * cosignatures. A known witness whose cosignature fails makes the whole checkpoint invalid.
 */
export function verifyCheckpoint(note: string, policy: CheckpointPolicy, source = "checkpoint"): VerifiedCheckpoint {
  const opened = openNote(note, [policy.log], source);
  const cp = parseCheckpointText(opened.text, source);
  const origin = policy.origin ?? policy.log.name;
  if (cp.origin !== origin) throw new RampartError("bad-signature", `${source}: origin is "${cp.origin}", expected "${origin}"`);
  const cosigners: Array<{ name: string; timestamp: number }> = [];
  for (const s of opened.note.signatures) {
    const w = (policy.witnesses ?? []).find((k) => k.name === s.name && k.keyId === s.keyId);
    if (!w) continue;
    const ok = verifyCosignature(opened.text, s, w);
    if (!ok) throw new RampartError("bad-signature", `${source}: the cosignature by witness ${w.name} (${hex8(w.keyId)}) does not verify`);
    if (!cosigners.some((c) => c.name === w.name)) cosigners.push({ name: w.name, timestamp: Number(ok.timestamp) });
  }
  const quorum = policy.quorum ?? 0;
  if (cosigners.length < quorum)
    throw new RampartError(
      "bad-signature",
      `${source}: ${cosigners.length} trusted witness cosignature(s) (${cosigners.map((c) => c.name).join(", ") || "none"}), quorum is ${quorum}`,
    );
  return { ...cp, text: opened.text, note: opened.note, cosigners };
}

/** Reads a checkpoint note without verifying anything (for display and for routing by origin). */
export function peekCheckpoint(note: string, source = "checkpoint"): Checkpoint & { text: string; note: Note } {
  const parsed = parseNote(note, source);
  return { ...parseCheckpointText(parsed.text, source), text: parsed.text, note: parsed };
}

/** Adds signature lines to a note, skipping ones it already carries. */
export function addSignatureLines(note: string, lines: readonly string[]): string {
  const parsed = parseNote(note);
  const have = new Set(parsed.signatures.map((s) => s.line));
  const extra = lines.filter((l) => l.length > 0 && !have.has(l));
  return extra.length === 0 ? note : `${note}${extra.map((l) => `${l}\n`).join("")}`;
}
