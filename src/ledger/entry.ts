/**
 * What a ledger leaf holds: one audit event as canonical JSON. The leaf names its own origin and
 * index, so a row copied to another log or moved to another position no longer matches itself.
 * Pure (no store), shared by the log and by offline verification.
 */
import * as z from "zod";
import { regexes } from "zod/v4/core";
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
  // Every ledger leaf goes through here. Plain JSON data is copied with its keys in sorted order and
  // handed to JSON.stringify once (one native pass instead of a call per key and value); anything
  // else (non-finite numbers, Dates, Buffers, keys starting with a digit, which objects order
  // numerically) takes the walk below. A property test holds the two to the same output.
  if (value !== undefined) {
    const sorted = sortedCopy(value);
    if (sorted !== NOT_PLAIN) return JSON.stringify(sorted);
  }
  return canonicalWalk(value);
}

const NOT_PLAIN = Symbol("not plain JSON");

/** The value with its object keys in sorted order, or NOT_PLAIN when JSON.stringify of it might differ from canonicalWalk. */
function sortedCopy(value: unknown): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
    case "undefined":
      return value;
    case "number":
      return Number.isFinite(value) ? value : NOT_PLAIN;
    case "object": {
      if (value === null) return null;
      if (Array.isArray(value)) {
        const out = new Array<unknown>(value.length);
        for (let i = 0; i < value.length; i++) {
          const v = sortedCopy(value[i]);
          if (v === NOT_PLAIN) return NOT_PLAIN;
          out[i] = v;
        }
        return out;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) return NOT_PLAIN;
      const o = value as Record<string, unknown>;
      const keys = Object.keys(o);
      if (keys.length > 1) keys.sort();
      const out: Record<string, unknown> = {};
      for (const k of keys) {
        const c = k.charCodeAt(0);
        // Digit-led keys (objects put integer keys first, in numeric order) and "__proto__" (an assignment would set the prototype).
        if ((c >= 48 && c <= 57) || k === "__proto__") return NOT_PLAIN;
        const v = sortedCopy(o[k]);
        if (v === NOT_PLAIN) return NOT_PLAIN;
        if (v !== undefined) out[k] = v;
      }
      return out;
    }
    default:
      return NOT_PLAIN;
  }
}

/** canonicalJson written out: every value the fast path leaves alone. */
function canonicalWalk(value: unknown): string {
  // Written with loops and string appends, not map/filter/join.
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) throw new RampartError("invalid-input", "ledger data: numbers must be finite");
    if (value === undefined) return "null";
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      out += i === 0 ? "" : ",";
      out += v === undefined ? "null" : canonicalWalk(v);
    }
    return `${out}]`;
  }
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length > 1) keys.sort();
  let out = "{";
  for (const k of keys) {
    const v = o[k];
    if (v === undefined) continue;
    if (out.length > 1) out += ",";
    out += `${JSON.stringify(k)}:${canonicalWalk(v)}`;
  }
  return `${out}}`;
}

const KIND_RE = /^[a-z][a-z0-9.-]{0,63}$/;
const SHA256_RE = /^[0-9a-f]{64}$/;
/** The same pattern as the schema's `z.iso.datetime({ offset: true })`. */
const TIME_RE = regexes.datetime({ offset: true });
const EVENT_KEYS = new Set(["kind", "subject", "actor", "data", "eventId", "time"]);

const plainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype && Object.getOwnPropertySymbols(v).length === 0;
const stringOf = (v: unknown, min: number, max: number) => typeof v === "string" && v.length >= min && v.length <= max;

/**
 * The LedgerEvent schema's checks written out, for the ledger's hot path (every journalled gateway
 * decision): zod's generic walk cost more than the rest of the validation. Returns the input itself
 * when it certainly passes the schema, undefined when unsure — then zod decides and names the field.
 * A property test holds it to the schema: whatever it accepts, zod accepts with the same value.
 */
export function quickEvent(input: unknown): LedgerEvent | undefined {
  if (!plainObject(input)) return undefined;
  for (const k of Object.keys(input)) if (!EVENT_KEYS.has(k)) return undefined;
  const { kind, subject, actor, data, eventId, time } = input;
  if (typeof kind !== "string" || !KIND_RE.test(kind)) return undefined;
  if (subject !== undefined) {
    if (!plainObject(subject)) return undefined;
    for (const k of Object.keys(subject)) if (k !== "name" && k !== "sha256") return undefined;
    if (!stringOf(subject.name, 1, 1024) || typeof subject.sha256 !== "string" || !SHA256_RE.test(subject.sha256)) return undefined;
  }
  if (actor !== undefined && !stringOf(actor, 1, 512)) return undefined;
  if (eventId !== undefined && !stringOf(eventId, 1, 256)) return undefined;
  if (time !== undefined && (typeof time !== "string" || !TIME_RE.test(time))) return undefined;
  // A "__proto__" key is data in JSON but special to object assignment: leave it to zod.
  if (data !== undefined && (!plainObject(data) || Object.hasOwn(data, "__proto__"))) return undefined;
  return input as LedgerEvent;
}

/** Validates an event from a caller; errors name the field. */
export function parseEvent(input: unknown, source = "event"): LedgerEvent {
  const quick = quickEvent(input);
  if (quick) return quick;
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
