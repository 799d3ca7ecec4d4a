/**
 * A cluster worker's side of the channel to its primary (cluster.ts): the journal, token buckets,
 * concurrency counts and metrics the primary owns, as asynchronous calls. Every call of one event-loop
 * turn travels in ONE message, and the turn's audit lines in one call, so a busy worker sends one
 * message per turn whatever the number of requests in it; the primary answers a turn's calls together.
 * When the primary's journal thread serves a socket (connectJournal), the turn's audit lines go there
 * instead, and its acknowledgement comes straight back from the journal's thread: the primary's event
 * loop is no longer on the path of an answer.
 */

import { connect, type Socket } from "node:net";
import type { Registry } from "prom-client";
import { RampartError } from "../core/index.js";
import { journalLine, type LedgerEvent, type LedgerSink, trace, traceClock, tracing } from "../ledger/index.js";
import type { GatewayConfig } from "./config.js";
import { type BucketSpec, type ConcurrencyGate, LeasedRateLimiter, type RateLimiter } from "./ratelimit.js";
import type { AuditSink, SharedState } from "./server.js";

/** A call to the primary: [id, kind, ...arguments]; id 0 expects no reply. */
export type Call =
  | [number, "audit", string[]]
  | [number, "lease", string, BucketSpec, number, number]
  | [number, "giveBack", string, BucketSpec, number]
  | [number, "acquire", string, number]
  | [number, "release", number]
  | [number, "metrics"]
  /** A batch of a worker journal's committed events (JSON texts joined by "\n") for the primary's ledger. */
  | [number, "ledger", string, boolean];
/** [id, ok, value or error message]. */
export type Reply = [number, boolean, unknown];

export type FromWorker =
  | { t: "ready" }
  | { t: "calls"; c: Call[] }
  | { t: "listening"; address: string }
  | { t: "failed"; error: string }
  | { t: "prepared"; id: number; error?: string }
  | { t: "committed"; id: number; error?: undefined };

export type FromPrimary =
  /** slot: this worker's journal directory (server.journals: per-worker), reused by its replacement. */
  | { t: "start"; config: GatewayConfig; log: boolean; slot: number; journalSocket?: string }
  | { t: "replies"; r: Reply[] }
  | { t: "prepare"; id: number; config: GatewayConfig }
  | { t: "commit"; id: number; ack: number }
  | { t: "abort"; id: number }
  | { t: "stop" };

interface Waiter {
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

export class PrimaryLink {
  private calls: Call[] = [];
  private lines: string[] = [];
  private linesDone: Waiter & { promise: Promise<void> } = PrimaryLink.deferred();
  private readonly waiting = new Map<number, Waiter>();
  private next = 1;
  private scheduled = false;
  private failed: RampartError | undefined;
  private readonly endTurn = () => this.flush();
  /** Tracing only (RAMPART_AUDIT_TRACE): when each audit call left, how many lines, when the turn's first line came. */
  private readonly sentAt = new Map<number, [number, number]>();
  private firstLineAt = 0;
  /** The journal thread's socket (connectJournal), and the batches sent on it, oldest first, awaiting "+" or "!". */
  private journalConn: Socket | undefined;
  private readonly unacked: Array<Waiter & { at?: number; count?: number }> = [];
  private ackText = "";

  constructor(private readonly send: (m: FromWorker) => void) {}

  private static deferred(): Waiter & { promise: Promise<void> } {
    let resolve!: (v: unknown) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<void>((res, rej) => {
      // The primary's acknowledgement carries no value.
      resolve = () => res();
      reject = rej;
    });
    // Observed by the requests that await it; none left unhandled when nobody does.
    promise.catch(() => {});
    return { promise, resolve, reject };
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.endTurn);
  }

  call<T>(make: (id: number) => Call): Promise<T> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.calls.push(make(id));
      this.schedule();
    });
  }

  notify(call: Call): void {
    if (this.failed) return;
    this.calls.push(call);
    this.schedule();
  }

  /** Adds a journal line to this turn's; resolves with the turn once the primary has it durable. */
  audit(line: string): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    if (tracing && this.lines.length === 0) this.firstLineAt = traceClock();
    this.lines.push(line);
    this.schedule();
    return this.linesDone.promise;
  }

  private flush(): void {
    this.scheduled = false;
    if (this.lines.length > 0 && this.journalConn) {
      // Straight to the journal's thread; "\n\n" ends the batch (a journal line is never empty).
      const done = this.linesDone;
      if (tracing) {
        const at = traceClock();
        trace("turn", this.firstLineAt, at - this.firstLineAt, this.lines.length);
        this.unacked.push({ resolve: done.resolve, reject: done.reject, at, count: this.lines.length });
      } else this.unacked.push(done);
      this.journalConn.write(`${this.lines.join("\n")}\n\n`);
      this.lines = [];
      this.linesDone = PrimaryLink.deferred();
    } else if (this.lines.length > 0) {
      const id = this.next++;
      this.waiting.set(id, this.linesDone);
      if (tracing) {
        // The turn's wait (first line to the end of the turn), then the hop starts.
        const at = traceClock();
        trace("turn", this.firstLineAt, at - this.firstLineAt, this.lines.length);
        this.sentAt.set(id, [at, this.lines.length]);
      }
      this.calls.push([id, "audit", this.lines]);
      this.lines = [];
      this.linesDone = PrimaryLink.deferred();
    }
    if (this.calls.length === 0) return;
    const calls = this.calls;
    this.calls = [];
    try {
      this.send({ t: "calls", c: calls });
    } catch (e) {
      this.fail(`the primary process is unreachable: ${(e as Error).message}`);
    }
  }

  /**
   * Sends this worker's audit lines to the primary's journal thread over its socket from now on (each
   * batch acknowledged in order, see journal-worker.ts). If the socket closes, every waiting and later
   * call fails (requests fail closed) and `lost` is told.
   */
  connectJournal(path: string, lost: (message: string) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      const conn = connect(path);
      conn.once("error", reject);
      conn.once("connect", () => {
        conn.off("error", reject);
        conn.setNoDelay(true);
        conn.setEncoding("utf8");
        conn.on("data", (text: string) => this.acknowledged(text));
        const gone = (e?: Error) => {
          if (this.failed) return;
          const message = `the primary's audit journal is unreachable${e ? `: ${e.message}` : ""}; decisions cannot be recorded`;
          this.fail(message);
          lost(message);
        };
        conn.on("error", gone);
        conn.on("close", () => gone());
        this.journalConn = conn;
        resolve();
      });
    });
  }

  /** The journal thread's answers, in the order the batches were sent. */
  private acknowledged(text: string): void {
    const t = this.ackText === "" ? text : this.ackText + text;
    this.ackText = "";
    let i = 0;
    while (i < t.length) {
      let error: string | undefined;
      if (t.charCodeAt(i) === 43 /* "+" */) i++;
      else {
        const end = t.indexOf("\n", i);
        // The rest of a failure comes in the next read.
        if (end < 0) {
          this.ackText = t.slice(i);
          return;
        }
        error = t.slice(i + 1, end);
        i = end + 1;
      }
      const w = this.unacked.shift();
      if (!w) continue;
      if (tracing && w.at !== undefined) trace("hop", w.at, traceClock() - w.at, w.count);
      if (error === undefined) w.resolve(undefined);
      else w.reject(new RampartError("unavailable", error));
    }
  }

  receive(replies: Reply[]): void {
    for (const [id, ok, value] of replies) {
      const w = this.waiting.get(id);
      if (!w) continue;
      this.waiting.delete(id);
      if (tracing) {
        // The hop: this worker's send to the primary's acknowledgement arriving here.
        const sent = this.sentAt.get(id);
        if (sent) trace("hop", sent[0], traceClock() - sent[0], sent[1]);
        this.sentAt.delete(id);
      }
      if (ok) w.resolve(value);
      else w.reject(new RampartError("unavailable", String(value)));
    }
  }

  /** The primary is gone: every waiting and later call fails (requests fail closed). */
  fail(message: string): void {
    if (this.failed) return;
    this.failed = new RampartError("unavailable", message);
    for (const w of this.waiting.values()) w.reject(this.failed);
    this.waiting.clear();
    for (const w of this.unacked.splice(0)) w.reject(this.failed);
    this.linesDone.reject(this.failed);
    this.journalConn?.destroy();
  }

  /**
   * The primary's ledger as the sink of this worker's own journal (server.journals: per-worker): each
   * batch the journal's flusher hands over is one call, acknowledged once the ledger has appended it
   * (and, with `durable`, made it survive a power cut); only then does the journal move its cursor.
   */
  ledgerSink(): LedgerSink {
    const sinkSerialised = (jsons: string[], durable = false) => this.call<void>((id) => [id, "ledger", jsons.join("\n"), durable]);
    return {
      sinkSerialised,
      sink: (events, durable) =>
        sinkSerialised(
          events.map((e) => JSON.stringify(e)),
          durable,
        ),
      close: async () => {},
    };
  }

  /**
   * The state the gateway in this worker shares through the primary. `journal`: this worker's own
   * journal (server.journals: per-worker); without it, decisions go to the primary's journal.
   */
  shared(config: GatewayConfig, register: (registry: Registry) => void, own?: AuditSink): SharedState {
    const journal: AuditSink | undefined = own
      ? own
      : config.audit
        ? {
            append: (event: LedgerEvent) => {
              let line: string;
              try {
                line = journalLine(event);
              } catch (e) {
                return Promise.reject(e);
              }
              return this.audit(line);
            },
            close: async () => {
              this.flush();
            },
          }
        : undefined;
    // Leases of the primary's buckets: a request is admitted here without a round trip while this
    // worker holds tokens (see LeasedRateLimiter for what that changes).
    const limiter: RateLimiter = new LeasedRateLimiter({
      lease: async (key, spec, cost, want) => {
        const [granted, retryAfterMs] = await this.call<[number, number]>((id) => [id, "lease", key, spec, cost, want]);
        return { granted, retryAfterMs };
      },
      giveBack: (key, spec, tokens) => this.notify([0, "giveBack", key, spec, tokens]),
    });
    const concurrency: ConcurrencyGate = {
      acquire: async (key: string, limit: number) => {
        const lease = await this.call<number>((id) => [id, "acquire", key, limit]);
        if (lease === 0) return undefined;
        let released = false;
        return () => {
          if (released) return;
          released = true;
          this.notify([0, "release", lease]);
        };
      },
    };
    return {
      journal,
      limiter,
      concurrency,
      metrics: {
        register,
        collect: async () => {
          const [contentType, text] = await this.call<[string, string]>((id) => [id, "metrics"]);
          return { contentType, text };
        },
      },
    };
  }
}
