/**
 * The ledger over the store: an append-only RFC 9162 log whose complete-subtree hashes are stored
 * as they become complete, so an append writes O(log n) rows at worst (two on average) and a proof
 * reads at most 2·log2(n) rows in one query.
 */
import type SQLite from "better-sqlite3";
import type { Kysely } from "kysely";
import type { Signer } from "../attest/index.js";
import { RampartError } from "../core/errors.js";
import type { Database, Store } from "../store/index.js";
import { addSignatureLines, formatCheckpoint, peekCheckpoint } from "./checkpoint.js";
import { decodeEntry, encodeEntry, type LedgerEntry, type LedgerEvent, parseEvent } from "./entry.js";
import { CompactRange, consistencyProof, EMPTY_ROOT, hashLeaf, inclusionProof, MissingNodeError, type NodeId, type NodeReader, nodeKey, rangeNodes, rootAt } from "./merkle.js";
import { formatVkey, signNote, validKeyName } from "./note.js";

type Db = Kysely<Database>;

/** Rows per multi-row INSERT: well under SQLite's 32766 and PostgreSQL's 65535 parameters. */
const INSERT_CHUNK = 1000;

export interface AppendedEntry {
  index: number;
  leafHash: Buffer;
  eventId?: string;
  /** True when the event id was already in the log (nothing new was written). */
  duplicate: boolean;
}

export interface StoredEntry {
  index: number;
  leafData: string;
  leafHash: Buffer;
  entry: LedgerEntry | undefined;
}

export interface StoredCheckpoint {
  id: number;
  size: number;
  root: Buffer;
  note: string;
  createdAt: string;
}

/** A log name usable as a C2SP origin for a project. */
export function originFor(project: string): string {
  const slug = project
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return `rampart.local/${slug || "project"}`;
}

export class Ledger {
  private constructor(
    readonly store: Store,
    readonly origin: string,
    readonly logId: number,
  ) {}

  /** Opens (creating on first use) the log named `origin`. */
  static async open(store: Store, origin: string): Promise<Ledger> {
    if (!validKeyName(origin)) throw new RampartError("usage", `"${origin}": a log origin must be non-empty, without spaces or "+"`);
    const find = () => store.db.selectFrom("ledger_logs").select("id").where("origin", "=", origin).executeTakeFirst();
    let row = await find();
    if (!row) {
      await store.exclusive(`ledger:${origin}`, async (trx) => {
        await trx
          .insertInto("ledger_logs")
          .values({ origin, size: 0, root: EMPTY_ROOT, log_vkey: null, created_at: new Date().toISOString() })
          .onConflict((oc) => oc.column("origin").doNothing())
          .execute();
      });
      row = await find();
    }
    return new Ledger(store, origin, Number(row!.id));
  }

  /** Every log in a store. */
  static async list(store: Store): Promise<Array<{ origin: string; size: number; root: Buffer }>> {
    return (await store.db.selectFrom("ledger_logs").select(["origin", "size", "root"]).orderBy("origin").execute()).map((r) => ({ ...r, size: Number(r.size) }));
  }

  async state(db: Db = this.store.db): Promise<{ size: number; root: Buffer; logVkey: string | null }> {
    const row = await db.selectFrom("ledger_logs").select(["size", "root", "log_vkey"]).where("id", "=", this.logId).executeTakeFirstOrThrow();
    return { size: Number(row.size), root: Buffer.from(row.root), logVkey: row.log_vkey };
  }

  /**
   * Appends events as one transaction under the log's cross-process lock: all of them land, with
   * consecutive indexes, or none does. Events whose eventId is already logged are not appended again.
   */
  async append(events: readonly LedgerEvent[]): Promise<AppendedEntry[]> {
    const checked = events.map((e, i) => parseEvent(e, `event ${i + 1}`));
    if (checked.length === 0) return [];
    return this.store.exclusive(`ledger:${this.origin}`, async (trx) => {
      const { size } = await this.state(trx);
      const existing = await this.existingEventIds(trx, checked);
      const range = new CompactRange(size, await this.edge(trx, size));
      const now = new Date().toISOString();
      const out: AppendedEntry[] = [];
      const entries: Database["ledger_entries"][] = [];
      const nodes: Database["ledger_nodes"][] = [];
      const seen = new Map<string, AppendedEntry>();
      for (const event of checked) {
        const dup = event.eventId ? (existing.get(event.eventId) ?? seen.get(event.eventId)) : undefined;
        if (dup) {
          out.push({ ...dup, duplicate: true });
          continue;
        }
        const index = range.size;
        const leafData = encodeEntry(this.origin, index, event, now);
        const leafHash = hashLeaf(leafData);
        for (const n of range.append(leafHash)) nodes.push({ log_id: this.logId, pos: nodeKey(n.id), hash: n.hash });
        entries.push({ log_id: this.logId, idx: index, event_id: event.eventId ?? null, kind: event.kind, subject_sha256: event.subject?.sha256 ?? null, leaf_data: leafData });
        const appended = { index, leafHash, eventId: event.eventId, duplicate: false };
        if (event.eventId) seen.set(event.eventId, appended);
        out.push(appended);
      }
      if (this.store.sqlite) insertSqlite(this.store.sqlite, entries, nodes);
      else {
        for (let i = 0; i < entries.length; i += INSERT_CHUNK)
          await trx
            .insertInto("ledger_entries")
            .values(entries.slice(i, i + INSERT_CHUNK))
            .execute();
        for (let i = 0; i < nodes.length; i += INSERT_CHUNK)
          await trx
            .insertInto("ledger_nodes")
            .values(nodes.slice(i, i + INSERT_CHUNK))
            .execute();
      }
      if (entries.length > 0) await trx.updateTable("ledger_logs").set({ size: range.size, root: range.root() }).where("id", "=", this.logId).execute();
      return out;
    });
  }

  private async existingEventIds(db: Db, events: readonly LedgerEvent[]): Promise<Map<string, AppendedEntry>> {
    const ids = [...new Set(events.map((e) => e.eventId).filter((id): id is string => Boolean(id)))];
    const found = new Map<string, AppendedEntry>();
    const sqlite = this.store.sqlite;
    if (sqlite) {
      // One indexed lookup per id: with a long IN list SQLite's planner (no statistics) walks every
      // entry of the log by primary key instead, so each append cost grew with the size of the log.
      const st = eventSelect(sqlite);
      for (const id of ids) {
        const r = st.get(this.logId, id) as { idx: number; leaf_data: string } | undefined;
        if (r) found.set(id, { index: Number(r.idx), leafHash: hashLeaf(r.leaf_data), eventId: id, duplicate: true });
      }
      return found;
    }
    for (let i = 0; i < ids.length; i += INSERT_CHUNK) {
      const rows = await db
        .selectFrom("ledger_entries")
        .select(["idx", "event_id", "leaf_data"])
        .where("log_id", "=", this.logId)
        .where("event_id", "in", ids.slice(i, i + INSERT_CHUNK))
        .execute();
      for (const r of rows) found.set(r.event_id!, { index: Number(r.idx), leafHash: hashLeaf(r.leaf_data), eventId: r.event_id!, duplicate: true });
    }
    return found;
  }

  /** The complete subtrees on the right edge of a tree of `size`: what CompactRange resumes from. */
  private async edge(db: Db, size: number): Promise<Array<{ id: NodeId; hash: Buffer }>> {
    const ids = rangeNodes(0, size);
    const got = await this.reader(db)(ids);
    return ids.map((id) => {
      const hash = got.get(nodeKey(id));
      if (!hash) throw new RampartError("conflict", `ledger ${this.origin}: stored node level ${id.level} index ${id.index} is missing; run rampart ledger verify`);
      return { id, hash: Buffer.from(hash) };
    });
  }

  /** Batched reads of stored subtree hashes. */
  reader(db: Db = this.store.db): NodeReader {
    const sqlite = this.store.sqlite;
    return async (ids) => {
      const out = new Map<number, Uint8Array>();
      const keys = ids.map(nodeKey);
      // A proof reads at most 2·log2(n) nodes: on SQLite one cached prepared statement per count.
      if (sqlite && keys.length > 0 && keys.length <= MAX_PREPARED_READ) {
        for (const r of nodeSelect(sqlite, keys.length).all(this.logId, ...keys) as Array<{ pos: number; hash: Uint8Array }>) out.set(Number(r.pos), r.hash);
        return out;
      }
      for (let i = 0; i < keys.length; i += INSERT_CHUNK) {
        const rows = await db
          .selectFrom("ledger_nodes")
          .select(["pos", "hash"])
          .where("log_id", "=", this.logId)
          .where("pos", "in", keys.slice(i, i + INSERT_CHUNK))
          .execute();
        for (const r of rows) out.set(Number(r.pos), r.hash);
      }
      return out;
    };
  }

  private async sizeOr(size: number | undefined): Promise<number> {
    const current = (await this.state()).size;
    const n = size ?? current;
    if (!Number.isSafeInteger(n) || n < 0 || n > current) throw new RampartError("usage", `ledger ${this.origin}: tree size ${size} is not between 0 and ${current}`);
    return n;
  }

  async rootAt(size?: number): Promise<Buffer> {
    return rootAt(await this.sizeOr(size), this.reader());
  }

  /** Audit path for entry `index` in the tree of `size` (default: the current size). */
  async inclusionProof(index: number, size?: number): Promise<{ index: number; size: number; proof: Buffer[] }> {
    // With an explicit size, skip reading the log's size: a size beyond the log lacks stored subtrees.
    const n = size !== undefined && Number.isSafeInteger(size) && size > 0 ? size : await this.sizeOr(size);
    if (!Number.isSafeInteger(index) || index < 0 || index >= n) throw new RampartError("usage", `ledger ${this.origin}: entry ${index} is not in a tree of size ${n}`);
    try {
      return { index, size: n, proof: await inclusionProof(index, n, this.reader()) };
    } catch (e) {
      if (e instanceof MissingNodeError) throw new RampartError("usage", `ledger ${this.origin}: tree size ${n} is beyond the log (${(await this.state()).size} entries)`);
      throw e;
    }
  }

  async consistencyProof(oldSize: number, newSize?: number): Promise<{ oldSize: number; newSize: number; proof: Buffer[] }> {
    const n = await this.sizeOr(newSize);
    if (!Number.isSafeInteger(oldSize) || oldSize < 1 || oldSize > n)
      throw new RampartError("usage", `ledger ${this.origin}: no consistency proof from size ${oldSize} to size ${n}`);
    return { oldSize, newSize: n, proof: await consistencyProof(oldSize, n, this.reader()) };
  }

  async entry(index: number): Promise<StoredEntry | undefined> {
    const row = await this.store.db.selectFrom("ledger_entries").select(["idx", "leaf_data"]).where("log_id", "=", this.logId).where("idx", "=", index).executeTakeFirst();
    return row && toStored(row);
  }

  async entryByEventId(eventId: string): Promise<StoredEntry | undefined> {
    const row = await this.store.db.selectFrom("ledger_entries").select(["idx", "leaf_data"]).where("log_id", "=", this.logId).where("event_id", "=", eventId).executeTakeFirst();
    return row && toStored(row);
  }

  async entriesForSubject(sha256: string): Promise<StoredEntry[]> {
    const rows = await this.store.db
      .selectFrom("ledger_entries")
      .select(["idx", "leaf_data"])
      .where("log_id", "=", this.logId)
      .where("subject_sha256", "=", sha256)
      .orderBy("idx")
      .execute();
    return rows.map(toStored);
  }

  /** Entries in [from, to) in index order, read page by page (bounded memory). */
  async *entries(from = 0, to?: number, pageSize = 5000): AsyncGenerator<{ idx: number; leafData: string }> {
    let next = from;
    for (;;) {
      let q = this.store.db.selectFrom("ledger_entries").select(["idx", "leaf_data"]).where("log_id", "=", this.logId).where("idx", ">=", next).orderBy("idx").limit(pageSize);
      if (to !== undefined) q = q.where("idx", "<", to);
      const rows = await q.execute();
      for (const r of rows) yield { idx: Number(r.idx), leafData: r.leaf_data };
      if (rows.length < pageSize) return;
      next = Number(rows[rows.length - 1]!.idx) + 1;
    }
  }

  /**
   * Signs a checkpoint of the current tree with the log key (name = origin) and stores it. The
   * first checkpoint pins the log's key; signing with another key is refused (one log, one key).
   */
  async signCheckpoint(signer: Signer): Promise<StoredCheckpoint> {
    const vkey = formatVkey(this.origin, signer.publicKey);
    return this.store.exclusive(`ledger:${this.origin}`, async (trx) => {
      const st = await this.state(trx);
      if (st.logVkey && st.logVkey !== vkey) throw new RampartError("conflict", `ledger ${this.origin}: checkpoints are signed by ${st.logVkey}, not by this key`);
      if (!st.logVkey) await trx.updateTable("ledger_logs").set({ log_vkey: vkey }).where("id", "=", this.logId).execute();
      const text = formatCheckpoint({ origin: this.origin, size: st.size, root: st.root, extensions: [] });
      const note = await signNote(text, this.origin, signer.publicKey, (m) => signer.sign(m));
      const createdAt = new Date().toISOString();
      const row = await trx
        .insertInto("ledger_checkpoints")
        .values({ log_id: this.logId, size: st.size, root: st.root, note, created_at: createdAt })
        .returning("id")
        .executeTakeFirstOrThrow();
      return { id: Number(row.id), size: st.size, root: st.root, note, createdAt };
    });
  }

  async checkpoints(): Promise<StoredCheckpoint[]> {
    const rows = await this.store.db.selectFrom("ledger_checkpoints").selectAll().where("log_id", "=", this.logId).orderBy("size").orderBy("id").execute();
    return rows.map((r) => ({ id: Number(r.id), size: Number(r.size), root: Buffer.from(r.root), note: r.note, createdAt: r.created_at }));
  }

  async latestCheckpoint(): Promise<StoredCheckpoint | undefined> {
    const row = await this.store.db
      .selectFrom("ledger_checkpoints")
      .selectAll()
      .where("log_id", "=", this.logId)
      .orderBy("size", "desc")
      .orderBy("id", "desc")
      .limit(1)
      .executeTakeFirst();
    return row && { id: Number(row.id), size: Number(row.size), root: Buffer.from(row.root), note: row.note, createdAt: row.created_at };
  }

  /** Records witness cosignature lines on a stored checkpoint (after the caller verified them). */
  async addCosignatures(checkpointId: number, witnessVkey: string, lines: readonly string[]): Promise<string> {
    return this.store.exclusive(`ledger:${this.origin}`, async (trx) => {
      const row = await trx.selectFrom("ledger_checkpoints").select("note").where("id", "=", checkpointId).where("log_id", "=", this.logId).executeTakeFirstOrThrow();
      const note = addSignatureLines(row.note, lines);
      await trx.updateTable("ledger_checkpoints").set({ note }).where("id", "=", checkpointId).execute();
      const createdAt = new Date().toISOString();
      for (const line of lines)
        await trx.insertInto("ledger_cosignatures").values({ checkpoint_id: checkpointId, witness_vkey: witnessVkey, line, created_at: createdAt }).execute();
      return note;
    });
  }

  /** Witness keys that have cosigned any checkpoint of this log. */
  async witnessKeys(): Promise<string[]> {
    const rows = await this.store.db
      .selectFrom("ledger_cosignatures")
      .innerJoin("ledger_checkpoints", "ledger_checkpoints.id", "ledger_cosignatures.checkpoint_id")
      .select("ledger_cosignatures.witness_vkey")
      .where("ledger_checkpoints.log_id", "=", this.logId)
      .distinct()
      .execute();
    return rows.map((r) => r.witness_vkey).sort();
  }

  /** The checkpoint text a stored note carries (for the witness protocol). */
  static checkpointOf(note: string) {
    return peekCheckpoint(note);
  }
}

const MAX_PREPARED_READ = 64;
const nodeSelects = new WeakMap<SQLite.Database, Map<number, SQLite.Statement>>();

function nodeSelect(db: SQLite.Database, count: number): SQLite.Statement {
  let byCount = nodeSelects.get(db);
  if (!byCount) {
    byCount = new Map();
    nodeSelects.set(db, byCount);
  }
  let st = byCount.get(count);
  if (!st) {
    st = db.prepare(`select pos, hash from ledger_nodes where log_id = ? and pos in (${new Array(count).fill("?").join(",")})`);
    byCount.set(count, st);
  }
  return st;
}

const eventSelects = new WeakMap<SQLite.Database, SQLite.Statement>();

function eventSelect(db: SQLite.Database): SQLite.Statement {
  let st = eventSelects.get(db);
  if (!st) {
    st = db.prepare("select idx, leaf_data from ledger_entries where log_id = ? and event_id = ?");
    eventSelects.set(db, st);
  }
  return st;
}

/** Prepared once per SQLite connection: the append hot path skips query building and re-preparing. */
const sqliteInserts = new WeakMap<SQLite.Database, { entry: SQLite.Statement; node: SQLite.Statement }>();

/**
 * Batch insert on SQLite through prepared single-row statements. Runs inside the caller's
 * exclusive() transaction (same connection), so the batch still commits or rolls back as one.
 */
function insertSqlite(db: SQLite.Database, entries: readonly Database["ledger_entries"][], nodes: readonly Database["ledger_nodes"][]): void {
  let st = sqliteInserts.get(db);
  if (!st) {
    st = {
      entry: db.prepare("insert into ledger_entries (log_id, idx, event_id, kind, subject_sha256, leaf_data) values (?, ?, ?, ?, ?, ?)"),
      node: db.prepare("insert into ledger_nodes (log_id, pos, hash) values (?, ?, ?)"),
    };
    sqliteInserts.set(db, st);
  }
  for (const e of entries) st.entry.run(e.log_id, e.idx, e.event_id, e.kind, e.subject_sha256, e.leaf_data);
  for (const n of nodes) st.node.run(n.log_id, n.pos, n.hash);
}

function toStored(row: { idx: number; leaf_data: string }): StoredEntry {
  return { index: Number(row.idx), leafData: row.leaf_data, leafHash: hashLeaf(row.leaf_data), entry: decodeEntry(row.leaf_data) };
}
