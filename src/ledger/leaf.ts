/**
 * A ledger leaf prepared by the process that made the event, so the process that owns the log does
 * no JSON work for it: the leaf's canonical bytes are built ahead, around the one thing only the
 * sequencer knows — the leaf's index — and the log splices the index in, hashes and stores.
 *
 * The canonical leaf sorts its keys, and "index" sorts after actor, data and id and before kind,
 * origin, subject, time and v; so the leaf at any index is HEAD + decimal index + TAIL, where HEAD is
 * the canonical JSON of the keys before "index" (ending in `"index":`) and TAIL of the keys after it.
 * (The hash cannot be made ahead: the leaf names its own index, so a leaf moved to another position no
 * longer matches itself — entry.ts.)
 *
 * A prepared leaf travels and is journalled as one line of text (no tab or newline can occur inside
 * canonical JSON, which escapes every control character):
 *   `L` TAB HEAD TAB TAIL TAB kind TAB subject-sha256-or-empty TAB eventId
 * The kind and digest are repeated for the log's index columns, so the log parses nothing. An event
 * whose id has a control character is not prepared (the caller journals the event itself).
 */
import { RampartError } from "../core/errors.js";
import { canonicalJson, decodeEntry, type LedgerEvent, MAX_ENTRY_BYTES, parseEvent, quickEvent } from "./entry.js";

export interface PreparedLeaf {
  readonly prepared: true;
  /** Canonical JSON of the leaf's keys before "index", ending in `"index":`. */
  head: string;
  /** Canonical JSON of the leaf's keys after "index", starting with `,` and ending with `}`. */
  tail: string;
  kind: string;
  subjectSha256: string | undefined;
  eventId: string;
}

/** What a journal line holds: an event to encode, or a leaf already prepared. */
export type JournalItem = LedgerEvent | PreparedLeaf;

export const isPrepared = (item: JournalItem): item is PreparedLeaf => (item as PreparedLeaf).prepared === true;

const LEAF_KEYS = new Set(["v", "origin", "index", "time", "kind", "subject", "actor", "data", "id"]);

/** The characters a line's last field must not hold. */
const CONTROL = /[\u0000-\u001f]/;

/**
 * The journal line of a prepared leaf for `event` in the log named `origin`, or undefined when the
 * event cannot be prepared (no id, or an id with a control character). Throws as Ledger.append would
 * for an invalid event or one over MAX_ENTRY_BYTES.
 */
export function preparedLine(origin: string, input: LedgerEvent, now = new Date().toISOString()): string | undefined {
  const event = parseEvent(input);
  const id = event.eventId;
  if (id === undefined || CONTROL.test(id)) return undefined;
  const before = canonicalJson({ actor: event.actor, data: event.data, id });
  // `before` always holds "id", so it is never "{}".
  const head = `${before.slice(0, -1)},"index":`;
  // The keys after "index" written out in their canonical order (what canonicalJson gives, without its walk).
  const subject = event.subject ? `,"subject":{"name":${JSON.stringify(event.subject.name)},"sha256":${JSON.stringify(event.subject.sha256)}}` : "";
  const tail = `,"kind":${JSON.stringify(event.kind)},"origin":${JSON.stringify(origin)}${subject},"time":${JSON.stringify(event.time ?? now)},"v":1}`;
  // The longest index (a safe integer) is 16 digits; a UTF-16 unit is at most 3 UTF-8 bytes, so count bytes only near the limit.
  const units = head.length + tail.length + 16;
  if (units * 3 > MAX_ENTRY_BYTES) {
    const bytes = Buffer.byteLength(head) + Buffer.byteLength(tail) + 16;
    if (bytes > MAX_ENTRY_BYTES) throw new RampartError("limit", `event ${id}: ${bytes} bytes, the limit is ${MAX_ENTRY_BYTES} (log a digest of large payloads)`);
  }
  return `L\t${head}\t${tail}\t${event.kind}\t${event.subject?.sha256 ?? ""}\t${id}`;
}

/**
 * A prepared leaf's line split into its fields, without checking the JSON: for lines this gateway
 * wrote itself (in memory, or checked by `checkedPrepared` when read back). Undefined when the line
 * is not a prepared leaf.
 */
export function splitPrepared(line: string): PreparedLeaf | undefined {
  if (line.charCodeAt(0) !== 76 /* L */ || line.charCodeAt(1) !== 9) return undefined;
  const a = line.indexOf("\t", 2);
  const b = a < 0 ? -1 : line.indexOf("\t", a + 1);
  const c = b < 0 ? -1 : line.indexOf("\t", b + 1);
  const d = c < 0 ? -1 : line.indexOf("\t", c + 1);
  if (d < 0) return undefined;
  const sha = line.slice(c + 1, d);
  return {
    prepared: true,
    head: line.slice(2, a),
    tail: line.slice(a + 1, b),
    kind: line.slice(b + 1, c),
    subjectSha256: sha === "" ? undefined : sha,
    eventId: line.slice(d + 1),
  };
}

/**
 * A prepared leaf read back from a journal file, checked in full: its JSON is a valid event's
 * canonical leaf (the same bytes canonicalJson gives) and the repeated fields match it. Undefined
 * otherwise. (The journal's checksum already catches torn and corrupted lines; this makes a line from
 * an older or foreign writer fail closed instead of entering the log.)
 */
export function checkedPrepared(line: string): PreparedLeaf | undefined {
  const p = splitPrepared(line);
  if (!p?.head.endsWith(',"index":') || !p.tail.startsWith(",")) return undefined;
  const entry = decodeEntry(`${p.head}0${p.tail}`);
  if (entry?.index !== 0 || entry.v !== 1 || !Object.keys(entry).every((k) => LEAF_KEYS.has(k))) return undefined;
  const event = quickEvent({ kind: entry.kind, subject: entry.subject, actor: entry.actor, data: entry.data, eventId: entry.id, time: entry.time });
  if (!event || event.eventId !== p.eventId || event.kind !== p.kind || event.subject?.sha256 !== p.subjectSha256) return undefined;
  if (canonicalJson(entry) !== `${p.head}0${p.tail}`) return undefined;
  return p;
}

/**
 * The leaf bytes of a prepared leaf at `index` of the log named `origin`; throws when it was prepared
 * for another log (its origin would not match the log's, and verification would reject the leaf).
 */
export function preparedLeafAt(p: PreparedLeaf, origin: string, index: number): string {
  // kind is [a-z0-9.-] (no quote to escape), so the origin's place in TAIL is fixed.
  if (!p.tail.startsWith(`,"kind":"${p.kind}","origin":${JSON.stringify(origin)}`))
    throw new RampartError("conflict", `event ${p.eventId}: its leaf was prepared for another log than ${origin}`);
  return `${p.head}${index}${p.tail}`;
}
