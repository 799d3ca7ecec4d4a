/**
 * What a ledger leaf holds: one audit event as canonical JSON. The leaf names its own origin and
 * index, so a row copied to another log or moved to another position no longer matches itself.
 * Pure (no store), shared by the log and by offline verification.
 */
import * as z from "zod";
import { RampartError } from "../core/errors.js";

/** Entries stay below the tlog-tiles entry-bundle limit (uint16 length prefix). */
export const MAX_ENTRY_BYTES = 65_535;

export const EVENT_KINDS = ["attestation", "data-access", "training-run", "approval", "deployment-decision", "note"] as const;

export const LedgerEvent = z
  .object({
    /** What happened: one of EVENT_KINDS or a dotted custom kind ("x.my-team.thing"). */
    kind: z.string().regex(/^[a-z][a-z0-9.-]{0,63}$/, "lowercase letters, digits, '.' and '-', starting with a letter"),
    /** The artifact the event is about. */
    subject: z
      .object({ name: z.string().min(1).max(1024), sha256: z.string().regex(/^[0-9a-f]{64}$/, "64 lowercase hex digits") })
      .strict()
      .optional(),
    /** Who did it (user, service, key id). */
    actor: z.string().min(1).max(512).optional(),
    /** Event details: JSON only. */
    data: z.record(z.string(), z.unknown()).optional(),
    /** Idempotency key: appending an event id again returns the existing entry instead of a new one. */
    eventId: z.string().min(1).max(256).optional(),
    /** When it happened (ISO-8601); defaults to the append time. */
    time: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
export type LedgerEvent = z.infer<typeof LedgerEvent>;

/** The decoded leaf. */
export interface LedgerEntry {
  v: 1;
  origin: string;
  index: number;
  time: string;
  kind: string;
  subject?: { name: string; sha256: string };
  actor?: string;
  data?: Record<string, unknown>;
  id?: string;
}

/** JSON with object keys sorted at every level and no whitespace: one byte string per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) throw new RampartError("invalid-input", "ledger data: numbers must be finite");
    if (value === undefined) return "null";
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(",")}]`;
  const keys = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(",")}}`;
}

/** Validates an event from a caller; errors name the field. */
export function parseEvent(input: unknown, source = "event"): LedgerEvent {
  const parsed = LedgerEvent.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RampartError("invalid-input", `${source}: ${issue.path.join(".") || "event"}: ${issue.message}`);
  }
  return parsed.data;
}

/** The leaf bytes for an event at a position of a log. */
export function encodeEntry(origin: string, index: number, event: LedgerEvent, now: string): string {
  const entry: LedgerEntry = {
    v: 1,
    origin,
    index,
    time: event.time ?? now,
    kind: event.kind,
    subject: event.subject,
    actor: event.actor,
    data: event.data,
    id: event.eventId,
  };
  const text = canonicalJson(entry);
  if (Buffer.byteLength(text) > MAX_ENTRY_BYTES)
    throw new RampartError("limit", `event ${event.eventId ?? event.kind}: ${Buffer.byteLength(text)} bytes, the limit is ${MAX_ENTRY_BYTES} (log a digest of large payloads)`);
  return text;
}

/** Parses leaf bytes back; undefined when they are not a Rampart entry (tampered or foreign). */
export function decodeEntry(text: string): LedgerEntry | undefined {
  try {
    const v = JSON.parse(text) as LedgerEntry;
    if (v && typeof v === "object" && v.v === 1 && typeof v.origin === "string" && Number.isSafeInteger(v.index) && typeof v.kind === "string") return v;
  } catch {
    // fall through
  }
  return undefined;
}
