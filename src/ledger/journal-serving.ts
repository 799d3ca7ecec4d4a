/**
 * The journal on the serving thread, the ledger on its own (`audit.journalOn: serving`): the other form
 * of JournalThread, with one thread hop fewer per acknowledgement. `append` serialises the event and
 * adds it to the current event-loop turn's events, which go at the turn's end to Journal's group
 * commit: the group in flight is written and fdatasynced through libuv's asynchronous fs calls (the
 * thread pool does the blocking part), while everything that arrives meanwhile accumulates for the
 * next group; the promise (one per turn) resolves once the turn's events are on disk.
 * JournalThread instead posts each turn's batch to a journal thread, which writes, syncs and posts the
 * acknowledgement back: two message hops, each a possible context switch on a busy 2-core machine.
 *
 * `inline: true` (`audit.journalOn: inline`) writes and fdatasyncs each turn's group synchronously on this
 * event loop instead: no hop at all between the turn's end and its acknowledgement, at the price of the
 * loop standing still for the fdatasync (what arrives meanwhile waits in the socket or the IPC pipe and
 * becomes the next group). Meant for a cluster primary, whose loop serves no request; on a serving loop
 * every request would wait for the disk.
 *
 * Same segment files, record format, durable points and replay as JournalThread (both are Journal),
 * so either form reopens the other's directory. The flusher also runs here: per ledger batch it joins
 * the batch's JSON and posts it to the ledger thread, which parses, hashes and inserts.
 */

import { RampartError } from "../core/errors.js";
import type { LedgerEvent } from "./entry.js";
import { Journal, type LedgerSink, workerLedgerSink } from "./journal.js";
import { type Batch, type JournalStats, type JournalThreadOptions, journalLine, TurnBatch } from "./journal-thread.js";
import { traceThread } from "./trace.js";

export interface ServingJournalOptions extends JournalThreadOptions {
  /** Each turn's group written and fdatasynced synchronously on this loop (see above); default false. */
  inline?: boolean;
}

export class ServingJournal {
  private closing: Promise<void> | undefined;
  /** Events of the current event-loop turn, and the promise they share. */
  private readonly turn = new TurnBatch((lines, batch) => this.sendTurn(lines, batch));

  private constructor(
    readonly dir: string,
    /** The journal itself (exposed for tests that break its file underneath it). */
    readonly journal: Journal,
    private readonly ledger: LedgerSink,
    private readonly closeDrainMs: number | undefined,
    private readonly inline: boolean,
  ) {}

  /**
   * Opens the journal here (replaying what the ledger has not taken) and starts the ledger's thread, or
   * hands the events to `ledger` when given (a cluster worker's journal: the ledger is in the primary).
   */
  static async open(dir: string, options: ServingJournalOptions, ledger: LedgerSink = workerLedgerSink(options.ledger)): Promise<ServingJournal> {
    traceThread("serve");
    let journal: Journal;
    try {
      journal = await Journal.open(dir, {
        batchSize: options.batchSize,
        flushIntervalMs: options.flushIntervalMs,
        segmentBytes: options.segmentBytes,
        fsync: options.fsync,
        sync: options.sync,
        syncIntervalMs: options.syncIntervalMs,
        preallocate: options.preallocate,
        durableEvents: options.durableEvents,
        durableIntervalMs: options.durableIntervalMs,
        sink: ledger.sink,
        sinkSerialised: ledger.sinkSerialised,
        onError: (e) => options.onError?.((e as Error)?.message ?? String(e)),
      });
    } catch (e) {
      await ledger.close();
      throw e;
    }
    return new ServingJournal(dir, journal, ledger, options.closeDrainMs, options.inline === true);
  }

  /**
   * Journals an event; resolves once it is on disk (fdatasynced unless `fsync: false`). An event
   * without an id gets one, so replays stay idempotent. A failed write rejects (the caller fails closed).
   */
  append(input: LedgerEvent): Promise<void> {
    if (this.closing) return Promise.reject(new RampartError("unavailable", `journal ${this.dir} is closed`));
    let line: string;
    try {
      line = journalLine(input);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.turn.add(line);
  }

  /** Hands the turn's events to the group commit. */
  private sendTurn(lines: string[], turn: Batch): void {
    const failed = (e: unknown) => turn.reject(e instanceof RampartError ? e : new RampartError("unavailable", `audit journal ${this.dir}: ${(e as Error)?.message ?? String(e)}`));
    if (!this.inline) {
      this.journal.appendSerialised(lines).then(turn.resolve, failed);
      return;
    }
    try {
      this.journal.writeGroupSync(lines);
    } catch (e) {
      failed(e);
      return;
    }
    turn.resolve();
  }

  /**
   * Journals events already serialised by journalLine() (e.g. in another process); they join this
   * turn's batch and resolve together, as append() does.
   */
  appendLines(lines: readonly string[]): Promise<void> {
    if (this.closing) return Promise.reject(new RampartError("unavailable", `journal ${this.dir} is closed`));
    let done: Promise<void> = Promise.resolve();
    for (const line of lines) done = this.turn.add(line);
    return done;
  }

  /** Events on disk the ledger has not taken yet, and events it took since the open. */
  stats(): Promise<JournalStats> {
    return Promise.resolve({ pending: this.journal.pending, flushed: this.journal.flushed });
  }

  /** Waits until every event appended so far is in the ledger (throws if it is not within timeoutMs). */
  drain(timeoutMs = 30_000): Promise<void> {
    // Events of this turn go first, so the drain covers them.
    this.turn.flush();
    return this.journal.drain(timeoutMs);
  }

  /** Stops taking events, flushes what it can to the ledger (closeDrainMs, default 5 s), and ends the ledger's thread. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.turn.flush();
      try {
        await this.journal.close({ drainMs: this.closeDrainMs });
      } finally {
        await this.ledger.close();
      }
    })();
    return this.closing;
  }
}
