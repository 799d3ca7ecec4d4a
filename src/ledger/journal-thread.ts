/**
 * The journal off the serving thread. `append` only serialises the event and adds it to the batch of
 * the current event-loop turn; at the end of the turn the batch goes as ONE message to a worker that
 * owns the journal (journal-worker.ts): it writes and fdatasyncs the batch (group commit with any
 * others waiting), then acknowledges it, and hands the events it holds in memory to the ledger. The
 * promise `append` returns resolves only after that acknowledgement, so the durability contract is the
 * one of Journal: an acknowledged event is on disk (fdatasync by default) and reaches the ledger
 * exactly once, also across a crash (replay on the next open). If the worker dies, every waiting and
 * later append is rejected ("unavailable"): callers fail closed.
 */

import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import type { Worker } from "node:worker_threads";
import { RampartError } from "../core/errors.js";
import { spawnWorker } from "../core/worker.js";
import { type LedgerEvent, MAX_ENTRY_BYTES } from "./entry.js";
import type { JournalOptions, LedgerTuning } from "./journal.js";
import { makeSocketDir, removeStaleSocketDirs, socketIn } from "./socket-dir.js";
import { nowMs, trace, traceThread, tracing } from "./trace.js";

export interface JournalThreadOptions
  extends Pick<JournalOptions, "batchSize" | "flushIntervalMs" | "segmentBytes" | "fsync" | "sync" | "syncIntervalMs" | "preallocate" | "durableEvents" | "durableIntervalMs"> {
  /** The ledger the events go to: store (RAMPART_DATABASE_URL, a URL or a file; else projectDir's) and log origin. */
  ledger: { url?: string; projectDir?: string; origin: string } & LedgerTuning;
  /** Told about ledger failures (the events stay in the journal and are retried). */
  onError?: (message: string) => void;
  /** How long close() lets the worker flush to the ledger (default 5 s); what is left replays on the next open. */
  closeDrainMs?: number;
  /**
   * The journal's thread also serves a Unix socket that cluster workers send their batches to and get
   * their acknowledgements from directly (journal-worker.ts has the protocol); `socketPath` names it.
   */
  socket?: boolean;
}

/** What the worker is started with. */
export interface JournalThreadData {
  dir: string;
  options: Pick<JournalOptions, "batchSize" | "flushIntervalMs" | "segmentBytes" | "fsync" | "sync" | "syncIntervalMs" | "preallocate" | "durableEvents" | "durableIntervalMs">;
  ledger: JournalThreadOptions["ledger"];
  closeDrainMs?: number;
  /** The Unix socket path the thread listens on for cluster workers' batches. */
  socket?: string;
}

export interface Batch {
  /** When it was sent (tracing only). */
  at?: number;
  count?: number;
  promise: Promise<void>;
  resolve(): void;
  reject(e: unknown): void;
}

type Reply =
  | { t: "acks"; ids: number[]; error?: string; code?: string }
  | { t: "ready" }
  | { t: "failed"; error: string; code: string }
  | { t: "error"; message: string }
  | { t: "ack"; id: number; error?: string; code?: string; stats?: JournalStats };

export interface JournalStats {
  /** Events on disk that the ledger has not taken yet. */
  pending: number;
  /** Events the ledger accepted since the journal was opened. */
  flushed: number;
}

/** A promise with its resolve and reject (the per-turn promise both journal forms hand out). */
function deferred<T = void>(): { promise: Promise<T>; resolve(v: T): void; reject(e: unknown): void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * One journal line for an event: its JSON, with an id added when it has none (so replays stay
 * idempotent). Throws a RampartError "limit" when the event is over MAX_ENTRY_BYTES.
 */
export function journalLine(input: LedgerEvent): string {
  const json = JSON.stringify(input.eventId ? input : { ...input, eventId: `journal:${randomUUID()}` });
  // A UTF-8 byte is at least a UTF-16 unit and at most 3 per unit: count bytes only near the limit.
  if (json.length * 3 > MAX_ENTRY_BYTES && Buffer.byteLength(json) > MAX_ENTRY_BYTES)
    throw new RampartError("limit", `event ${input.eventId ?? input.kind}: over ${MAX_ENTRY_BYTES} bytes`);
  return json;
}

/**
 * The events of one event-loop turn and the promise they share, handed to `send` at the turn's end
 * (both journal forms group a turn: starting at the first event would make the rest wait a whole
 * fdatasync more). `flush()` sends the turn early (drain, close); the end-of-turn callback then finds none.
 */
export class TurnBatch {
  private lines: string[] = [];
  private current: Batch | undefined;
  private readonly endTurn = () => this.flush();

  constructor(private readonly send: (lines: string[], batch: Batch) => void) {}

  add(line: string): Promise<void> {
    this.lines.push(line);
    if (!this.current) {
      const d = deferred();
      // Rejections reach every caller that awaits; none is left unhandled when nobody does.
      d.promise.catch(() => {});
      this.current = d;
      setImmediate(this.endTurn);
    }
    return this.current.promise;
  }

  flush(): void {
    const batch = this.current;
    if (!batch) return;
    const lines = this.lines;
    this.current = undefined;
    this.lines = [];
    this.send(lines, batch);
  }
}

export class JournalThread {
  private readonly turn = new TurnBatch((lines, batch) => this.sendBatch(lines, batch));
  private readonly waiting = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  private next = 0;
  private failed: RampartError | undefined;
  private closing: Promise<void> | undefined;

  private constructor(
    readonly dir: string,
    /** The journal's thread (exposed for health checks and tests). */
    readonly worker: Worker,
    /** Where cluster workers send batches straight to the journal's thread (options.socket), else undefined. */
    readonly socketPath?: string,
  ) {}

  /** Starts the worker, which opens the journal (replaying what the ledger has not taken) and the ledger. */
  static async open(dir: string, options: JournalThreadOptions): Promise<JournalThread> {
    // A private directory (mode 0700) keeps other users off the socket: whoever could connect could
    // write audit records. Unix socket paths are short (108 bytes): when the temporary directory's path
    // is too long, the workers use the cluster channel instead.
    // A primary killed with SIGKILL could not remove its directory: stale ones go first (socket-dir.ts).
    let socketDir: string | undefined;
    if (options.socket) {
      await removeStaleSocketDirs().catch(() => []);
      const made = makeSocketDir();
      if (Buffer.byteLength(socketIn(made)) < 100) socketDir = made;
      else rmSync(made, { recursive: true, force: true });
    }
    const socket = socketDir && socketIn(socketDir);
    const data: JournalThreadData = {
      dir,
      options: {
        batchSize: options.batchSize,
        flushIntervalMs: options.flushIntervalMs,
        segmentBytes: options.segmentBytes,
        fsync: options.fsync,
        sync: options.sync,
        syncIntervalMs: options.syncIntervalMs,
        preallocate: options.preallocate,
        durableEvents: options.durableEvents,
        durableIntervalMs: options.durableIntervalMs,
      },
      ledger: options.ledger,
      closeDrainMs: options.closeDrainMs,
      socket,
    };
    traceThread("serve");
    const worker = spawnWorker(import.meta.url, "./journal-worker", { workerData: data });
    const thread = new JournalThread(dir, worker, socket);
    // The socket's directory goes with the thread, however it ends.
    if (socketDir) worker.once("exit", () => rmSync(socketDir, { recursive: true, force: true }));
    const ready = deferred();
    worker.on("message", (m: Reply) => {
      if (m.t === "acks") {
        const error = m.error === undefined ? undefined : new RampartError((m.code as RampartError["code"]) ?? "unavailable", `audit journal ${dir}: ${m.error}`);
        for (const id of m.ids) {
          const w = thread.waiting.get(id);
          const sent = (w as Partial<Batch> | undefined)?.at;
          if (sent !== undefined) trace("ack", sent, nowMs() - sent, (w as Partial<Batch>).count);
          thread.waiting.delete(id);
          if (error) w?.reject(error);
          else w?.resolve(undefined);
        }
      } else if (m.t === "ack") {
        const w = thread.waiting.get(m.id);
        thread.waiting.delete(m.id);
        if (m.error !== undefined) w?.reject(new RampartError((m.code as RampartError["code"]) ?? "unavailable", `audit journal ${dir}: ${m.error}`));
        else w?.resolve(m.stats);
      } else if (m.t === "error") options.onError?.(m.message);
      else if (m.t === "ready") ready.resolve();
      else if (m.t === "failed") ready.reject(new RampartError(m.code as RampartError["code"], m.error));
    });
    worker.on("error", (e) => {
      ready.reject(e);
      thread.fail(`audit journal worker failed: ${e.message}`);
    });
    worker.on("exit", () => {
      ready.reject(new RampartError("unavailable", `audit journal ${dir}: worker exited before it was ready`));
      thread.fail("audit journal worker stopped");
    });
    await ready.promise;
    return thread;
  }

  /**
   * Journals an event; resolves once it is on disk (fsynced unless `fsync: false`). An event without
   * an id gets one, so replays stay idempotent. Events of one event-loop turn share one promise.
   */
  append(input: LedgerEvent): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.closing) return Promise.reject(new RampartError("unavailable", `journal ${this.dir} is closed`));
    let line: string;
    try {
      line = journalLine(input);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.turn.add(line);
  }

  private sendBatch(lines: string[], batch: Batch): void {
    if (this.failed) {
      batch.reject(this.failed);
      return;
    }
    const id = this.next++;
    if (tracing) {
      batch.at = nowMs();
      batch.count = lines.length;
    }
    this.waiting.set(id, batch);
    // JSON.stringify escapes newlines inside strings, so "\n" separates events unambiguously.
    this.worker.postMessage({ t: "append", id, lines: lines.join("\n") });
  }

  private request<T>(message: Record<string, unknown>): Promise<T> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.next++;
    const d = deferred<T>();
    this.waiting.set(id, d as { resolve(v: unknown): void; reject(e: unknown): void });
    this.worker.postMessage({ ...message, id });
    return d.promise;
  }

  /**
   * Journals events already serialised by journalLine() (e.g. in another process); they join this
   * turn's batch and resolve together, as append() does.
   */
  appendLines(lines: readonly string[]): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.closing) return Promise.reject(new RampartError("unavailable", `journal ${this.dir} is closed`));
    let done: Promise<void> = Promise.resolve();
    for (const line of lines) done = this.turn.add(line);
    return done;
  }

  /** Events on disk the ledger has not taken yet, and events it took since the open. */
  stats(): Promise<JournalStats> {
    return this.request<JournalStats>({ t: "stats" });
  }

  /** Waits until every event appended so far is in the ledger (throws if it is not within timeoutMs). */
  async drain(timeoutMs = 30_000): Promise<void> {
    // Events of this turn go first, so the drain covers them.
    this.turn.flush();
    await this.request({ t: "drain", ms: timeoutMs });
  }

  /** Stops taking events, lets the worker flush what it can to the ledger, and ends the worker. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.turn.flush();
      if (this.failed) return;
      const exited = new Promise<void>((r) => this.worker.once("exit", () => r()));
      this.worker.postMessage("close");
      await exited;
    })();
    return this.closing;
  }

  private fail(message: string): void {
    if (this.failed) return;
    this.failed = new RampartError("unavailable", `${message} (${this.dir}); decisions cannot be recorded`);
    for (const w of this.waiting.values()) w.reject(this.failed);
    this.waiting.clear();
  }
}
