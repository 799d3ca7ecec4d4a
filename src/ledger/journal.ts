/**
 * A local write-ahead journal in front of the ledger: callers append an event and get an answer only
 * once it is on disk (fsync, shared by every event that arrived during the previous write — group
 * commit); a background flusher hands batches to the ledger and then advances a durable cursor. After
 * a crash, opening the journal replays whatever the cursor had not reached. The ledger drops event
 * ids it already holds, so a crash between "appended to the ledger" and "cursor written" costs a
 * repeat that the ledger ignores: every acknowledged event lands exactly once.
 *
 * Layout of the directory: numbered segment files (`000001.journal`, …), one event per line as
 * `crc32-hex TAB json`, and `cursor.json` = the first byte not yet in the ledger.
 *
 * Segments are pre-allocated: a spare file of segmentBytes is zero-filled and synced in the
 * background (`spare.zero`), and the writer moves into it when the current segment cannot take the
 * next group. Each group then overwrites blocks that already exist, so its fdatasync flushes data
 * only; appending would grow the file, and every fdatasync would also commit the filesystem's
 * metadata journal (slower, and spiky). A segment's records end at the first line that starts with
 * a zero byte (the unwritten tail) or fails its checksum (a torn write).
 *
 * The flusher takes the events it hands to the sink from the groups the writer just wrote (kept in
 * memory, parsed without re-validation: this process serialised them); it reads segment files back
 * only for what is not in memory any more: a replay after a crash, or a tail that outgrew the cap
 * while the sink was down.
 */

import { randomUUID } from "node:crypto";
import {
  close as closeFd,
  closeSync,
  constants,
  fdatasync,
  fdatasyncSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  read as readFd,
  renameSync,
  write as writeFd,
  writeSync,
} from "node:fs";
import { mkdir, open, readdir, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { crc32 } from "node:zlib";
import { RampartError } from "../core/errors.js";
import { spawnWorker } from "../core/worker.js";
import type { Store } from "../store/index.js";
import { LedgerEvent, MAX_ENTRY_BYTES, quickEvent } from "./entry.js";
import { Ledger } from "./log.js";
import { nowMs, trace, tracing } from "./trace.js";

export interface JournalOptions {
  /**
   * Receives events in journal order, in batches. Must ignore event ids it already holds (Ledger.append
   * does). With `durable` true it must, before resolving, also make everything it accepted so far
   * survive a power cut (the journal then forgets those events; `events` may be empty). A sink whose
   * every commit is durable can ignore the flag.
   */
  sink: (events: LedgerEvent[], durable: boolean) => Promise<void>;
  /**
   * The same sink taking the events as JSON text (what the journal holds in memory): used instead of
   * `sink` when given, so a sink on another thread gets strings to post, not objects to clone.
   */
  sinkSerialised?: (jsons: string[], durable: boolean) => Promise<void>;
  /**
   * A durable point of the sink (see `sink`) with the batch that brings the events handed over since the
   * last one to this many (default 1: every batch; larger values showed no latency gain, docs/gateway.md), and durableIntervalMs (default 1,000) after the last one
   * while some are not covered yet. Until a durable
   * point covers them, events stay in the segment files and a reopened journal hands them over again.
   */
  durableEvents?: number;
  durableIntervalMs?: number;
  /** Most events handed to the sink at once. */
  batchSize?: number;
  /** How often the flusher looks for new events (it also wakes when a batch is full). */
  flushIntervalMs?: number;
  /** A segment file is closed and a new one begun past this size; flushed segments are deleted. */
  segmentBytes?: number;
  /** Told about sink failures (the events stay in the journal and are retried). */
  onError?: (e: unknown) => void;
  /**
   * fdatasync each group before acknowledging (default). false acknowledges once the write is in the
   * OS page cache: that survives the process being killed, not the machine losing power.
   */
  fsync?: boolean;
  /**
   * How a group is made durable when fsync is on: "fdatasync" (default) writes, then fdatasyncs the
   * segment; "dsync" opens segments with O_DSYNC, so the write itself returns only once the data is on
   * disk (one system call per group instead of two; the same guarantee as write + fdatasync);
   * "after-answer" acknowledges a group once it is written (the page cache: it survives the process
   * being killed) and fdatasyncs in the background at most syncIntervalMs after the first unsynced
   * group (group commit after the answer): a power cut can cost the events acknowledged in that window
   * and during the sync in flight, never more. The sink only ever gets events already synced.
   */
  sync?: "fdatasync" | "dsync" | "after-answer";
  /** With sync: "after-answer", the longest an acknowledged group waits before its background fdatasync starts (default 5). */
  syncIntervalMs?: number;
  /** Most written events kept in memory for the flusher (default 32,768); older ones are read back from disk. */
  memoryEvents?: number;
  /**
   * Write into pre-allocated, zero-filled segments of segmentBytes (default: when fsync is on), so a
   * group's fdatasync has no file-size change to commit. Off: every segment is appended to.
   */
  preallocate?: boolean;
}

interface Cursor {
  segment: number;
  offset: number;
}

interface Waiter {
  resolve(): void;
  reject(e: unknown): void;
}

/** Events for the sink: JSON text from memory, or checked events (and their lines' JSON) read back from a segment file. */
interface Batch {
  jsons?: string[];
  events?: LedgerEvent[];
  count: number;
  next: Cursor;
}

/** Events written in one group: where they start on disk and where each line ends. */
interface WrittenGroup {
  segment: number;
  /** Order of writing (sync: "after-answer" releases groups up to a number once a sync covers them). */
  seq?: number;
  start: number;
  ends: number[];
  jsons: string[];
}

const SEGMENT_RE = /^(\d{6,})\.journal$/;
const segmentName = (n: number) => `${String(n).padStart(6, "0")}.journal`;
const READ_CHUNK = 1 << 20;
/** A complete zero-filled segment waiting to be used; written under a temporary name first. */
const SPARE = "spare.zero";
const SPARE_TMP_RE = /^spare-.*\.tmp$/;
/**
 * Zero-filling writes this much, fdatasyncs it and pauses, so it never floods the disk queue that the
 * group commits' fdatasyncs wait in: 16 MB takes ~0.7 s, while the segment before it lasts ~10 s at
 * 5,000 events/s.
 */
const ZERO_CHUNK = 256 << 10;
/**
 * A group written into a pre-allocated segment is padded with the zeros the file already holds up to
 * the next page boundary: the kernel then never has to read a page that is not in the page cache before
 * a partial write into it. The spare is zero-filled long before it is used, and a memory reclaimer (this
 * benchmark machine runs DAMON's pageout on pages idle for a minute; docs/gateway.md) drops such clean
 * pages, so without padding the first write into each 4 KB page waited for a disk read.
 */
const PAGE = 4096;
const PAGE_ZEROS = Buffer.alloc(PAGE);
const ZERO_PAUSE_MS = 10;
const writeAt = promisify(writeFd);
const readAt = promisify(readFd);
const datasyncFd = promisify(fdatasync);
const closeAsync = promisify(closeFd);

type Options = Required<Omit<JournalOptions, "onError" | "sinkSerialised">> & Pick<JournalOptions, "onError" | "sinkSerialised">;

export class Journal {
  /** Serialised events waiting for the next write. */
  private queue: string[] = [];
  private waiters: Waiter[] = [];
  /** Groups already on disk that the sink may not have taken yet, oldest first. */
  private tail: WrittenGroup[] = [];
  private tailEvents = 0;
  private writing: Promise<void> | undefined;
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private failures = 0;
  private unflushed: number;
  private delivered = 0;
  /** The first byte the sink's last durable point does not cover (what cursor.json holds); `cursor` is where the sink is. */
  private durableCursor: Cursor;
  /** Events handed over since that durable point, and when it was made. */
  private sinceDurable = 0;
  private durableAt = Date.now();
  /** Durable points made since the open (stats and tests). */
  private durablePoints = 0;

  /** Segments are opened with O_DSYNC: every write is durable when it returns. */
  private get dsync(): boolean {
    return this.options.fsync && this.options.sync === "dsync";
  }

  /** A group needs an fdatasync after its write. */
  private get syncAfterWrite(): boolean {
    return this.options.fsync && this.options.sync === "fdatasync";
  }

  /** Groups are acknowledged once written and fdatasynced in the background (sync: "after-answer"). */
  private get syncLater(): boolean {
    return this.options.fsync && this.options.sync === "after-answer";
  }

  /** Written groups no sync has covered yet (sync: "after-answer"), oldest first; the sink sees none of them. */
  private unsynced: WrittenGroup[] = [];
  private groupSeq = 0;
  /** Bytes of the writer's segment a finished sync covers (the sink reads no further). */
  private synced = 0;
  private syncTimer: NodeJS.Timeout | undefined;
  /** The background fdatasync in flight. */
  private syncing: Promise<void> | undefined;
  /** The interval ran out while a sync was in flight: another follows it at once. */
  private syncAgain = false;
  /** A background fdatasync failed: the acknowledged events may not be on disk, so nothing more is taken. */
  private syncFailure: RampartError | undefined;
  /** Background syncs made since the open (stats and tests). */
  private backgroundSyncs = 0;

  /** Bytes the writer's segment can take without growing: its pre-allocated size, or Infinity when appended to. */
  private capacity = Number.POSITIVE_INFINITY;
  /** The background zero-filling of the next spare, while it runs. */
  private sparing: Promise<void> | undefined;
  /** A complete spare is in the directory. */
  private spareReady = false;
  /** Reused by every read-back of a segment (allocated on the first). */
  private readBuf: Buffer | undefined;

  private constructor(
    readonly dir: string,
    private readonly options: Options,
    private cursor: Cursor,
    private segment: number,
    /** The writer's segment file. */
    private fd: number,
    /** Bytes of the writer's segment that are written (and on disk, unless sync is "after-answer": see `synced`). */
    private durable: number,
    replayed: number,
  ) {
    this.unflushed = replayed;
    this.durableCursor = cursor;
  }

  /** Opens (creating) a journal directory, cuts each unflushed segment at its last whole record, and starts the flusher. */
  static async open(dir: string, options: JournalOptions): Promise<Journal> {
    await mkdir(dir, { recursive: true });
    const segments = await listSegments(dir);
    let cursor = await readCursor(dir);
    if (!cursor) cursor = { segment: segments[0] ?? 1, offset: 0 };
    // Records end at a torn line (being written when the process died, never acknowledged) or at the
    // zero-filled tail of a pre-allocated segment: cut every segment the ledger has not finished there.
    for (const s of segments) if (s >= cursor.segment) await truncateTornTail(join(dir, segmentName(s)));
    let replayed = 0;
    for (const s of segments) if (s >= cursor.segment) replayed += await countLines(join(dir, segmentName(s)), s === cursor.segment ? cursor.offset : 0);
    const fsync = options.fsync ?? true;
    const o: Options = {
      sink: options.sink,
      sinkSerialised: options.sinkSerialised,
      batchSize: options.batchSize ?? 512,
      flushIntervalMs: options.flushIntervalMs ?? 200,
      segmentBytes: options.segmentBytes ?? 16 << 20,
      onError: options.onError,
      fsync,
      sync: options.sync ?? "fdatasync",
      syncIntervalMs: options.syncIntervalMs ?? 5,
      memoryEvents: options.memoryEvents ?? 32_768,
      preallocate: options.preallocate ?? fsync,
      durableEvents: options.durableEvents ?? 1,
      durableIntervalMs: options.durableIntervalMs ?? 1_000,
    };
    // Half-written spares of a process that died are dropped; a complete one of the right size is kept.
    let spareReady = false;
    for (const name of await readdir(dir)) {
      if (SPARE_TMP_RE.test(name)) await unlink(join(dir, name)).catch(() => {});
      else if (name === SPARE) {
        if (o.preallocate && (await stat(join(dir, SPARE))).size === o.segmentBytes) spareReady = true;
        else await unlink(join(dir, SPARE));
      }
    }
    // The writer never continues a segment written before: it starts the next one (the spare, when there is one).
    const segment = (segments.at(-1) ?? 0) + 1;
    const journal = new Journal(dir, o, cursor, segment, -1, 0, replayed);
    journal.spareReady = spareReady;
    journal.startSegment();
    journal.timer = setInterval(() => journal.kick(), journal.options.flushIntervalMs);
    journal.timer.unref();
    if (replayed > 0) journal.kick();
    return journal;
  }

  /** Events on disk that the sink has not taken yet. */
  get pending(): number {
    return this.unflushed;
  }

  /** Events the sink accepted since this journal was opened. */
  get flushed(): number {
    return this.delivered;
  }

  /** Durable points of the sink made since this journal was opened. */
  get durablePointCount(): number {
    return this.durablePoints;
  }

  /** Background fdatasyncs made since this journal was opened (sync: "after-answer"). */
  get backgroundSyncCount(): number {
    return this.backgroundSyncs;
  }

  /** Events acknowledged but not yet covered by a finished fdatasync (sync: "after-answer"; 0 otherwise). */
  get unsyncedEvents(): number {
    let n = 0;
    for (const g of this.unsynced) n += g.jsons.length;
    return n;
  }

  /**
   * Puts an event on disk; resolves once it is fsynced (the caller may then acknowledge whatever it
   * records). An event without an id gets one, so replays stay idempotent.
   */
  append(input: LedgerEvent): Promise<void> {
    if (this.closed) return Promise.reject(new RampartError("unavailable", `journal ${this.dir} is closed`));
    const event = input.eventId ? input : { ...input, eventId: `journal:${randomUUID()}` };
    const json = JSON.stringify(event);
    if (Buffer.byteLength(json) > MAX_ENTRY_BYTES) return Promise.reject(new RampartError("limit", `event ${event.eventId}: over ${MAX_ENTRY_BYTES} bytes`));
    return this.appendSerialised([json]);
  }

  /**
   * Puts events that the caller already serialised (JSON.stringify of a LedgerEvent with an eventId,
   * at most MAX_ENTRY_BYTES each) on disk, in order; resolves once all of them are fsynced.
   */
  appendSerialised(jsons: readonly string[]): Promise<void> {
    if (this.closed) return Promise.reject(new RampartError("unavailable", `journal ${this.dir} is closed`));
    if (this.syncFailure) return Promise.reject(this.syncFailure);
    if (jsons.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      for (const json of jsons) this.queue.push(json);
      this.waiters.push({ resolve, reject });
      this.writing ??= this.writeLoop();
    });
  }

  /** Writes queued lines in groups: one write and one fsync for everything queued meanwhile. */
  private async writeLoop(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const jsons = this.queue;
        const waiters = this.waiters;
        this.queue = [];
        this.waiters = [];
        try {
          const { buf, ends } = this.encode(jsons);
          this.makeRoom(buf.length);
          const out = this.padded(buf);
          // Positional write at the durable end: a failed write is overwritten by the next one.
          let done = 0;
          while (done < out.length) done += (await writeAt(this.fd, out, done, out.length - done, this.durable + done)).bytesWritten;
          if (this.syncAfterWrite) await datasyncFd(this.fd);
          this.written(jsons, ends, buf.length);
          for (const w of waiters) w.resolve();
        } catch (e) {
          for (const w of waiters) w.reject(e);
        }
        if (this.unflushed >= this.options.batchSize) this.kick();
      }
    } finally {
      this.writing = undefined;
    }
  }

  /** A group's bytes for a pre-allocated segment, followed by zeros up to the next page boundary (see PAGE). */
  private padded(buf: Buffer): Buffer {
    if (this.capacity === Number.POSITIVE_INFINITY) return buf;
    const end = this.durable + buf.length;
    const pad = Math.min(this.capacity, Math.ceil(end / PAGE) * PAGE) - end;
    return pad > 0 ? Buffer.concat([buf, PAGE_ZEROS.subarray(0, pad)]) : buf;
  }

  /** The lines of a group and the offset, from the group's start, where each ends. */
  private encode(jsons: readonly string[]): { buf: Buffer; ends: number[] } {
    const ends: number[] = new Array(jsons.length);
    const lines: string[] = new Array(jsons.length);
    let end = 0;
    for (let i = 0; i < jsons.length; i++) {
      const json = jsons[i]!;
      lines[i] = `${crc32(json).toString(16).padStart(8, "0")}\t${json}\n`;
      end += Buffer.byteLength(json) + 10;
      ends[i] = end;
    }
    return { buf: Buffer.from(lines.join("")), ends };
  }

  private written(jsons: string[], ends: number[], bytes: number): void {
    const start = this.durable;
    for (let i = 0; i < ends.length; i++) ends[i]! += start;
    this.durable += bytes;
    const group = { segment: this.segment, start, ends, jsons };
    if (this.syncLater) {
      this.unsynced.push({ ...group, seq: ++this.groupSeq });
      this.syncTimer ??= setTimeout(() => this.syncInBackground(), this.options.syncIntervalMs);
      return;
    }
    this.release(group);
  }

  /** A group is on disk (or, without fsync, in the page cache): the sink may take it. */
  private release(group: WrittenGroup): void {
    this.remember(group);
    if (group.segment === this.segment) this.synced = group.ends.at(-1)!;
    this.unflushed += group.jsons.length;
  }

  /**
   * sync: "after-answer": one fdatasync (libuv's pool, so the writer keeps writing meanwhile) covering
   * every group written so far; they are released to the sink when it returns. A sync already in
   * flight is followed by this one at once, so no group waits more than the interval plus two syncs.
   */
  private syncInBackground(): void {
    this.syncTimer = undefined;
    if (this.syncing) {
      this.syncAgain = true;
      return;
    }
    if (this.unsynced.length === 0) return;
    const upTo = this.unsynced.at(-1)!.seq!;
    const fd = this.fd;
    this.syncing = datasyncFd(fd)
      .then(
        () => {
          this.backgroundSyncs++;
          this.releaseUpTo(upTo);
        },
        (e) => {
          // Linux may drop dirty pages after a failed fdatasync: what was acknowledged may be gone, and a
          // retry would report success. Take nothing more (callers fail closed) and say so.
          this.syncFailure = new RampartError("unavailable", `journal ${this.dir}: background fdatasync failed: ${(e as Error)?.message ?? String(e)}`);
          this.options.onError?.(this.syncFailure);
          this.releaseUpTo(upTo);
        },
      )
      .finally(() => {
        this.syncing = undefined;
        if (this.syncAgain) {
          this.syncAgain = false;
          this.syncInBackground();
        }
        if (this.unflushed >= this.options.batchSize) this.kick();
      });
  }

  private releaseUpTo(seq: number): void {
    while (this.unsynced.length > 0 && this.unsynced[0]!.seq! <= seq) this.release(this.unsynced.shift()!);
  }

  /** Every written group synced and released now (drain, close); waits for a sync in flight first. */
  private async syncAll(): Promise<void> {
    while (this.syncing || this.unsynced.length > 0) {
      if (this.syncing) {
        await this.syncing;
        continue;
      }
      clearTimeout(this.syncTimer);
      this.syncInBackground();
    }
  }

  /**
   * Writes one group of serialised events (see appendSerialised) and fdatasyncs it, blocking this
   * thread: for a thread that owns the journal, where it saves two hops through the libuv pool per
   * group and lets everything that arrives meanwhile queue up for the next group. Throws if the write
   * fails (nothing is acknowledged; the next group overwrites it). Not to be mixed with a running
   * append().
   */
  writeGroupSync(jsons: string[]): void {
    if (this.closed) throw new RampartError("unavailable", `journal ${this.dir} is closed`);
    if (this.syncFailure) throw this.syncFailure;
    if (this.writing) throw new RampartError("conflict", `journal ${this.dir}: an asynchronous write is running`);
    if (jsons.length === 0) return;
    const { buf, ends } = this.encode(jsons);
    this.makeRoom(buf.length);
    const fd = this.fd;
    const out = this.padded(buf);
    let done = 0;
    const w0 = tracing && this.dsync ? nowMs() : 0;
    while (done < out.length) done += writeSync(fd, out, done, out.length - done, this.durable + done);
    if (w0) trace("dsync-write", w0, nowMs() - w0, buf.length);
    if (this.syncAfterWrite) {
      const t0 = tracing ? nowMs() : 0;
      fdatasyncSync(fd);
      if (tracing) trace("fdatasync", t0, nowMs() - t0, buf.length);
    }
    this.written(jsons, ends, buf.length);
    if (this.unflushed >= this.options.batchSize) this.kick();
  }

  /** Kept for callers of the earlier API: segments now roll over before a group that does not fit (see makeRoom). */
  rotateIfFull(): Promise<void> | undefined {
    return undefined;
  }

  /**
   * Before a group of `bytes` is written: moves to the next segment when this one cannot take it
   * (pre-allocated and full, or appended to past segmentBytes), or when this one is appended to and a
   * pre-allocated spare is ready.
   */
  private makeRoom(bytes: number): void {
    const appended = this.capacity === Number.POSITIVE_INFINITY;
    const full = appended ? this.durable >= this.options.segmentBytes : this.durable + bytes > this.capacity;
    if (this.durable > 0 && (full || (appended && this.spareReady))) this.nextSegment();
  }

  /** Closes the writer's segment, cut to its records, and starts the next one. */
  private nextSegment(): void {
    const old = this.fd;
    // A pre-allocated segment ends in zeros: cut them, so readers take the file's size as its end.
    if (this.capacity !== Number.POSITIVE_INFINITY) ftruncateSync(old, this.durable);
    // sync: "after-answer": the old segment is synced whole before the writer leaves it (once per
    // segment), so only the writer's segment can hold unsynced groups.
    if (this.unsynced.length > 0) {
      fdatasyncSync(old);
      this.releaseUpTo(this.groupSeq);
    }
    this.segment += 1;
    this.startSegment();
    // A background sync still running on the old descriptor must not find it closed (or reused).
    if (this.syncing) void this.syncing.finally(() => closeSync(old));
    else closeSync(old);
  }

  /**
   * Opens the writer's segment (this.segment): the spare renamed into place when one is ready (the
   * directory is synced, so a crash cannot lose the name of a segment holding acknowledged events),
   * else a new file to append to. Then starts zero-filling the next spare.
   */
  private startSegment(): void {
    const path = join(this.dir, segmentName(this.segment));
    this.durable = 0;
    this.synced = 0;
    this.capacity = Number.POSITIVE_INFINITY;
    if (this.spareReady) {
      this.spareReady = false;
      try {
        renameSync(join(this.dir, SPARE), path);
        this.fd = openSync(path, this.dsync ? constants.O_RDWR | constants.O_DSYNC : "r+");
        this.capacity = fstatSync(this.fd).size;
      } catch (e) {
        this.options.onError?.(e);
      }
    }
    // Not O_APPEND: Linux appends every write of an O_APPEND file whatever its position, and the writer
    // relies on positional writes (a failed group is overwritten by the next). The number is new.
    if (this.capacity === Number.POSITIVE_INFINITY)
      this.fd = openSync(path, this.dsync ? constants.O_RDWR | constants.O_CREAT | constants.O_TRUNC | constants.O_DSYNC : "w+", 0o666);
    syncDirSync(this.dir);
    this.prepareSpare();
  }

  /** Zero-fills a spare segment in the background (unless one is ready or being made). */
  private prepareSpare(): void {
    if (!this.options.preallocate || this.spareReady || this.sparing || this.closed) return;
    this.sparing = zeroFill(this.dir, this.options.segmentBytes, () => this.closed)
      .then((made) => {
        if (made) this.spareReady = true;
      })
      .catch((e) => this.options.onError?.(e))
      .finally(() => {
        this.sparing = undefined;
      });
  }

  /** Keeps a written group for the flusher, dropping the oldest past the cap (those are read back from disk). */
  private remember(group: WrittenGroup): void {
    this.tail.push(group);
    this.tailEvents += group.jsons.length;
    while (this.tailEvents > this.options.memoryEvents && this.tail.length > 0) this.tailEvents -= this.tail.shift()!.jsons.length;
  }

  /** Forgets groups the cursor has passed. */
  private forget(): void {
    const { segment, offset } = this.cursor;
    while (this.tail.length > 0) {
      const g = this.tail[0]!;
      if (g.segment > segment || (g.segment === segment && g.ends.at(-1)! > offset)) break;
      this.tailEvents -= g.jsons.length;
      this.tail.shift();
    }
  }

  /** The next batch after the cursor from the groups in memory, or undefined when the cursor is not at one of their lines. */
  private batchFromMemory(): Batch | undefined {
    const { segment } = this.cursor;
    let offset = this.cursor.offset;
    const events: string[] = [];
    for (const g of this.tail) {
      if (g.segment !== segment || g.ends.at(-1)! <= offset) {
        if (events.length > 0) break;
        continue;
      }
      // The line starting at `offset`: lines start at g.start and at each earlier line's end.
      let i = 0;
      if (offset !== g.start) {
        let lo = 0;
        let hi = g.ends.length - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (g.ends[mid]! < offset) lo = mid + 1;
          else hi = mid;
        }
        if (g.ends[lo] !== offset) return events.length > 0 ? { jsons: events, count: events.length, next: { segment, offset } } : undefined;
        i = lo + 1;
      }
      for (; i < g.jsons.length && events.length < this.options.batchSize; i++) {
        events.push(g.jsons[i]!);
        offset = g.ends[i]!;
      }
      if (events.length >= this.options.batchSize) break;
    }
    return events.length > 0 ? { jsons: events, count: events.length, next: { segment, offset } } : undefined;
  }

  /** Starts a flush unless one is running (or there is nothing to hand over and no durable point due). */
  private kick(): void {
    if (this.flushing || (this.unflushed === 0 && !this.durableDue())) return;
    this.flushing = this.flushAvailable()
      .catch((e) => {
        this.failures++;
        this.options.onError?.(e);
      })
      .finally(() => {
        this.flushing = undefined;
      });
  }

  /**
   * Hands durable events to the sink, batch by batch, advancing the cursor after each. A pass ends
   * after a batch that is not full: the rest waits for the next tick (flushIntervalMs) or for a full
   * batch (batchSize) to be written. Chasing the writer instead gave the ledger a few events per
   * transaction at moderate rates — hundreds of commits a second, each with its own WAL sync, cursor
   * rename and fixed costs, all competing with the serving thread for the CPU and with the group
   * commits for the disk.
   */
  private async flushAvailable(): Promise<void> {
    for (;;) {
      const batch = await this.readBatch();
      if (!batch) {
        if (this.durableDue()) await this.durablePoint();
        return;
      }
      // The batch that reaches durableEvents, or the first after durableIntervalMs, carries the durable point.
      const durable = this.sinceDurable + batch.count >= this.options.durableEvents || Date.now() - this.durableAt >= this.options.durableIntervalMs;
      if (batch.count > 0) {
        // In-memory batches are this process's own serialisation: parsed, not re-validated.
        const { sink, sinkSerialised } = this.options;
        const t0 = tracing ? nowMs() : 0;
        if (sinkSerialised) await sinkSerialised(batch.jsons ?? batch.events!.map((e) => JSON.stringify(e)), durable);
        else await sink(batch.events ?? batch.jsons!.map((j) => JSON.parse(j) as LedgerEvent), durable);
        if (tracing) trace(batch.jsons && !batch.events ? "flush" : "flush-read", t0, nowMs() - t0, batch.count);
        this.unflushed = Math.max(0, this.unflushed - batch.count);
        this.delivered += batch.count;
        this.failures = 0;
      }
      this.cursor = batch.next;
      this.sinceDurable += batch.count;
      this.forget();
      if (durable && batch.count > 0) await this.markDurable();
      if (batch.count > 0 && batch.count < this.options.batchSize) return;
    }
  }

  /** Some events are in the sink but not under a durable point, and the last one is durableIntervalMs old. */
  private durableDue(): boolean {
    return !sameCursor(this.cursor, this.durableCursor) && Date.now() - this.durableAt >= this.options.durableIntervalMs;
  }

  /** Asks the sink for a durable point with no new events, then records it (see durable). */
  private async durablePoint(): Promise<void> {
    if (sameCursor(this.cursor, this.durableCursor)) return;
    const t0 = tracing ? nowMs() : 0;
    if (this.options.sinkSerialised) await this.options.sinkSerialised([], true);
    else await this.options.sink([], true);
    if (tracing) trace("durable", t0, nowMs() - t0, this.sinceDurable);
    await this.markDurable();
  }

  /**
   * The sink holds everything before the cursor durably: only now may cursor.json move there and the
   * segments before it go (a power cut may cost the sink its commits since its previous durable point;
   * the next open hands those events over again from cursor.json, and the sink drops ids it holds).
   */
  private async markDurable(): Promise<void> {
    const from = this.durableCursor.segment;
    this.durableCursor = this.cursor;
    this.sinceDurable = 0;
    this.durableAt = Date.now();
    this.durablePoints++;
    await writeCursor(this.dir, this.durableCursor);
    for (let s = from; s < this.durableCursor.segment; s++) await unlink(join(this.dir, segmentName(s))).catch(() => {});
  }

  /** The next batch after the cursor, or undefined when the cursor is at the durable end. */
  private async readBatch(): Promise<Batch | undefined> {
    const inMemory = this.batchFromMemory();
    if (inMemory) return inMemory;
    let { segment, offset } = this.cursor;
    for (;;) {
      const current = segment === this.segment;
      // Only what a sync has covered (with sync: "after-answer", the writer's tail may not be on disk yet).
      const end = current ? this.synced : await fileSize(join(this.dir, segmentName(segment)));
      if (end === undefined) {
        // Missing segment (never created, or deleted after it was flushed): move on.
        if (segment >= this.segment) return undefined;
        segment += 1;
        offset = 0;
        continue;
      }
      if (offset >= end) {
        if (current) return segment === this.cursor.segment && offset === this.cursor.offset ? undefined : { events: [], count: 0, next: { segment, offset } };
        segment += 1;
        offset = 0;
        continue;
      }
      const handle = current ? undefined : await open(join(this.dir, segmentName(segment)), "r");
      try {
        const length = Math.min(end - offset, READ_CHUNK);
        // One buffer for every read-back (one flush runs at a time; decoded lines are copied out):
        // a fresh zero-filled megabyte per batch cost more than the rest of the catch-up.
        this.readBuf ??= Buffer.allocUnsafe(READ_CHUNK);
        const buf = this.readBuf;
        let got = 0;
        while (got < length) {
          const r = handle ? (await handle.read(buf, got, length - got, offset + got)).bytesRead : (await readAt(this.fd, buf, got, length - got, offset + got)).bytesRead;
          if (r === 0) break;
          got += r;
        }
        const events: LedgerEvent[] = [];
        const jsons: string[] = [];
        let pos = 0;
        while (events.length < this.options.batchSize) {
          const nl = buf.indexOf(10, pos);
          if (nl < 0 || nl >= got) break;
          const line = buf.toString("utf8", pos, nl);
          const event = decodeLine(line);
          if (!event) throw new RampartError("invalid-input", `${join(this.dir, segmentName(segment))}: byte ${offset + pos}: journal line fails its checksum`);
          events.push(event);
          // The checked line's own JSON: a sink on another thread takes it as is (no re-serialising).
          jsons.push(line.slice(9));
          pos = nl + 1;
        }
        if (pos === 0) throw new RampartError("invalid-input", `${join(this.dir, segmentName(segment))}: byte ${offset}: journal line longer than ${READ_CHUNK} bytes`);
        return { events, jsons, count: events.length, next: { segment, offset: offset + pos } };
      } finally {
        await handle?.close();
      }
    }
  }

  /** Waits until every event appended so far is in the sink (or the sink keeps failing: then throws). */
  async drain(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.writing || this.unflushed > 0 || this.flushing || this.unsynced.length > 0) {
      if (Date.now() > deadline) throw new RampartError("unavailable", `journal ${this.dir}: ${this.unflushed} events not flushed after ${timeoutMs} ms`);
      if (this.writing) await this.writing;
      await this.syncAll();
      this.kick();
      if (this.flushing) await this.flushing;
      if (this.unflushed > 0 && this.failures > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * this.failures)));
    }
    // Drained means durable too: a reopen after close() has nothing to hand over again.
    if (!sameCursor(this.cursor, this.durableCursor)) {
      const point = this.durablePoint();
      // The caller gets the error from `point`; the copy kept in `flushing` must not go unhandled.
      this.flushing = point
        .catch(() => {})
        .finally(() => {
          this.flushing = undefined;
        });
      await point;
    }
  }

  /** Stops taking events, flushes what it can, and closes the files. Unflushed events stay for the next open. */
  async close(options: { drainMs?: number } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    try {
      await this.drain(options.drainMs ?? 5_000);
    } catch (e) {
      this.options.onError?.(e);
    } finally {
      await this.sparing;
      // With sync: "after-answer", whatever the drain left unsynced goes to disk before the file closes.
      await this.syncAll().catch((e) => this.options.onError?.(e));
      clearTimeout(this.syncTimer);
      await closeAsync(this.fd);
    }
  }
}

/** How the ledger's SQLite file is written (no effect on PostgreSQL). */
export interface LedgerTuning {
  /**
   * SQLite checkpoints its WAL into the database once the WAL holds this many pages (SQLite's default:
   * 1,000). Fewer pages: smaller, more frequent checkpoints (each a WAL sync, database writes and a
   * database sync, which the journal's group commits share the disk with); more: larger, rarer ones.
   * Durability does not depend on it.
   */
  walCheckpointPages?: number;
}

/**
 * A sink that appends journal batches to a ledger log (idempotent by event id). On SQLite its commits
 * are not synced one by one (WAL at synchronous=NORMAL: a commit is a write() into the WAL, which
 * survives the process being killed, not a power cut); a durable point fdatasyncs the WAL, which
 * makes every commit before it survive a power cut too (see docs/ledger.md).
 * The journal keeps every event until a durable point covers it, so a power cut costs the ledger
 * nothing the journal cannot hand over again. PostgreSQL commits are durable by themselves.
 */
export function ledgerJournalSink(store: Store, origin: string, options: LedgerTuning = {}): (events: LedgerEvent[], durable?: boolean) => Promise<void> {
  const sqlite = store.sqlite;
  sqlite?.pragma("synchronous = NORMAL");
  if (sqlite && options.walCheckpointPages !== undefined) sqlite.pragma(`wal_autocheckpoint = ${Math.trunc(options.walCheckpointPages)}`);
  let ledger: Promise<Ledger> | undefined;
  return async (events, durable = false) => {
    if (events.length > 0) {
      ledger ??= Ledger.open(store, origin).catch((e) => {
        ledger = undefined;
        throw e;
      });
      await (await ledger).append(events);
    }
    if (durable && sqlite && !sqlite.memory) {
      const t0 = tracing ? nowMs() : 0;
      syncSqliteFiles(sqlite.name);
      if (tracing) trace("ledger-sync", t0, nowMs() - t0, events.length);
    }
  };
}

/**
 * Makes every committed transaction of a WAL-mode SQLite database survive a power cut: at
 * synchronous=NORMAL SQLite write()s each commit's frames to the WAL, syncs the WAL before any
 * checkpoint copies frames into the database, syncs the database after, and syncs the WAL header
 * when it starts reusing the file; what can be lost is only WAL frames written since, and one
 * fdatasync of the WAL covers them all. (The database file is not synced here: a sync of a clean
 * file may still cost the disk a cache flush.)
 */
function syncSqliteFiles(path: string): void {
  let fd: number;
  try {
    fd = openSync(`${path}-wal`, "r");
  } catch (e) {
    // No WAL: the last connection checkpointed (and synced) it away.
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
    throw e;
  }
  try {
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Where a journal's flusher hands its events, and how it stops (the ledger's thread, or a cluster's primary). */
export interface LedgerSink {
  sink: (events: LedgerEvent[], durable?: boolean) => Promise<void>;
  /** The same, for events as JSON text (parsed where the ledger is: cheaper to post than objects). */
  sinkSerialised: (jsons: string[], durable?: boolean) => Promise<void>;
  close: () => Promise<void>;
}

/**
 * The same sink on a worker thread with its own store connection, so batches are appended off the
 * thread that answers requests. `close()` ends the worker after the journal has drained.
 */
export function workerLedgerSink(options: { url?: string; projectDir?: string; origin: string } & LedgerTuning): LedgerSink & {
  /** The same, for events as JSON texts already joined by "\n" (as they arrive from another process). */
  sinkJoined: (lines: string, durable?: boolean) => Promise<void>;
} {
  const worker = spawnWorker(import.meta.url, "./sink-worker", { workerData: options });
  const waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  let next = 0;
  let failed: Error | undefined;
  const failAll = (e: Error) => {
    failed = e;
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  };
  worker.on("message", (m: { id: number; error?: string }) => {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.error) w?.reject(new RampartError("unavailable", `audit ledger: ${m.error}`));
    else w?.resolve();
  });
  worker.on("error", (e) => failAll(e));
  worker.on("exit", () => failAll(new RampartError("unavailable", "audit ledger worker stopped")));
  const post = (message: { events: LedgerEvent[]; durable: boolean } | { lines: string; durable: boolean }) =>
    new Promise<void>((resolve, reject) => {
      if (failed) return reject(failed);
      const id = next++;
      waiting.set(id, { resolve, reject });
      worker.postMessage({ id, ...message });
    });
  return {
    sink: (events, durable = false) => post({ events, durable }),
    // One string (JSON escapes newlines) clones as one copy; an array of strings clones each.
    sinkSerialised: (jsons, durable = false) => post({ lines: jsons.join("\n"), durable }),
    sinkJoined: (lines, durable = false) => post({ lines, durable }),
    close: async () => {
      if (failed) return;
      const exited = new Promise<void>((r) => worker.once("exit", () => r()));
      worker.postMessage("close");
      await exited;
    },
  };
}

const sameCursor = (a: Cursor, b: Cursor) => a.segment === b.segment && a.offset === b.offset;

/**
 * Hands every event of a journal directory that no process is writing (a cluster worker's that exited,
 * or one left by an earlier run) to `sink`, in journal order, from its cursor: segments are cut at their
 * last whole record first, as open() does. Then one durable point of the sink, and only after it the
 * cursor moves to the end and the folded segments go; a crash before that folds them again, and the
 * ledger drops ids it holds. The spare segment is left for the directory's next writer. Returns the
 * number of events handed over (0 for a missing directory).
 */
export async function foldJournal(dir: string, sink: (jsons: string[], durable: boolean) => Promise<void>, batchSize = 512): Promise<number> {
  let segments: number[];
  try {
    segments = await listSegments(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw e;
  }
  const cursor = (await readCursor(dir)) ?? { segment: segments[0] ?? 1, offset: 0 };
  let end = cursor;
  let folded = 0;
  for (const s of segments) {
    if (s < cursor.segment) continue;
    const path = join(dir, segmentName(s));
    await truncateTornTail(path);
    const buf = await readFile(path);
    let pos = s === cursor.segment ? cursor.offset : 0;
    let batch: string[] = [];
    while (pos < buf.length) {
      const nl = buf.indexOf(10, pos);
      if (nl < 0) break;
      const line = buf.toString("utf8", pos, nl);
      if (!decodeLine(line)) throw new RampartError("invalid-input", `${path}: byte ${pos}: journal line fails its checksum`);
      batch.push(line.slice(9));
      pos = nl + 1;
      if (batch.length >= batchSize) {
        await sink(batch, false);
        folded += batch.length;
        batch = [];
      }
    }
    if (batch.length > 0) await sink(batch, false);
    folded += batch.length;
    end = { segment: s, offset: pos };
  }
  if (sameCursor(end, cursor)) return folded;
  await sink([], true);
  await writeCursor(dir, end);
  for (const s of segments) if (s < end.segment) await unlink(join(dir, segmentName(s))).catch(() => {});
  return folded;
}

function decodeLine(line: string): LedgerEvent | undefined {
  const tab = line.indexOf("\t");
  if (tab !== 8) return undefined;
  const json = line.slice(9);
  if (Number.parseInt(line.slice(0, 8), 16) !== crc32(json)) return undefined;
  try {
    const value: unknown = JSON.parse(json);
    const quick = quickEvent(value);
    if (quick) return quick;
    const parsed = LedgerEvent.safeParse(value);
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

async function listSegments(dir: string): Promise<number[]> {
  const names = await readdir(dir);
  return names
    .map((n) => SEGMENT_RE.exec(n)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

async function readCursor(dir: string): Promise<Cursor | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, "cursor.json"), "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  try {
    const c = JSON.parse(text) as Cursor;
    if (Number.isInteger(c.segment) && Number.isInteger(c.offset) && c.segment >= 0 && c.offset >= 0) return c;
  } catch {
    // fall through
  }
  throw new RampartError("invalid-input", `${join(dir, "cursor.json")}: not a journal cursor`);
}

/**
 * Written to a temporary file and renamed over the old one: a reader sees the old cursor or the new
 * one, never half of one. Not synced: the cursor only says which events the ledger already holds, and
 * a cursor that loses its last moves to a power cut makes the next open hand those events to the
 * ledger again, which drops ids it holds. Syncing it (file and directory) on every flush forced a
 * filesystem journal commit each time, which the group commits' fdatasyncs then queued behind.
 */
async function writeCursor(dir: string, cursor: Cursor): Promise<void> {
  const tmp = join(dir, "cursor.json.tmp");
  await writeFile(tmp, JSON.stringify(cursor));
  await rename(tmp, join(dir, "cursor.json"));
}

function syncDirSync(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a zero-filled file of `bytes` under a temporary name, syncing as it goes, then renames it
 * to SPARE. False when `stop()` said to give up (the temporary file is removed).
 */
async function zeroFill(dir: string, bytes: number, stop: () => boolean): Promise<boolean> {
  const tmp = join(dir, `spare-${process.pid}-${randomUUID().slice(0, 8)}.tmp`);
  const h = await open(tmp, "w");
  let done = false;
  try {
    const zeros = Buffer.alloc(Math.min(ZERO_CHUNK, bytes));
    for (let at = 0; at < bytes; at += zeros.length) {
      if (stop()) return false;
      const t0 = tracing ? nowMs() : 0;
      await h.write(zeros, 0, Math.min(zeros.length, bytes - at), at);
      await h.datasync();
      if (tracing) trace("zero", t0, nowMs() - t0, zeros.length);
      await new Promise((r) => setTimeout(r, ZERO_PAUSE_MS));
    }
    await h.sync();
    done = true;
  } finally {
    await h.close();
    if (!done) await unlink(tmp).catch(() => {});
  }
  await rename(tmp, join(dir, SPARE));
  return true;
}

async function fileSize(path: string): Promise<number | undefined> {
  try {
    const h = await open(path, "r");
    try {
      return (await h.stat()).size;
    } finally {
      await h.close();
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

/**
 * Keeps the longest prefix of whole lines whose checksums hold: a line that starts with a zero byte
 * is the unwritten tail of a pre-allocated segment, a line that fails its checksum or has no end was
 * torn. Event JSON never holds a raw zero byte (JSON.stringify escapes it).
 */
async function truncateTornTail(path: string): Promise<void> {
  const h = await open(path, "r+");
  try {
    const size = (await h.stat()).size;
    let good = 0;
    let offset = 0;
    let carry = Buffer.alloc(0);
    scan: while (offset < size) {
      const buf = Buffer.alloc(Math.min(READ_CHUNK, size - offset));
      const { bytesRead } = await h.read(buf, 0, buf.length, offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
      const data = carry.length ? Buffer.concat([carry, buf.subarray(0, bytesRead)]) : buf.subarray(0, bytesRead);
      let pos = 0;
      while (pos < data.length) {
        if (data[pos] === 0) break scan;
        const nl = data.indexOf(10, pos);
        // A zero byte before the line's end: torn by the zero tail, no whole line can follow.
        const zero = data.indexOf(0, pos);
        if (zero >= 0 && (nl < 0 || zero < nl)) break scan;
        if (nl < 0) break;
        if (!decodeLine(data.subarray(pos, nl).toString("utf8"))) break scan;
        good += nl + 1 - pos;
        pos = nl + 1;
      }
      carry = Buffer.from(data.subarray(pos));
    }
    if (good < size) {
      await h.truncate(good);
      await h.datasync();
    }
  } finally {
    await h.close();
  }
}

async function countLines(path: string, from: number): Promise<number> {
  const h = await open(path, "r");
  try {
    const size = (await h.stat()).size;
    let n = 0;
    for (let offset = from; offset < size; ) {
      const buf = Buffer.alloc(Math.min(READ_CHUNK, size - offset));
      const { bytesRead } = await h.read(buf, 0, buf.length, offset);
      if (bytesRead === 0) break;
      for (let i = 0; i < bytesRead; i++) if (buf[i] === 10) n++;
      offset += bytesRead;
    }
    return n;
  } finally {
    await h.close();
  }
}
