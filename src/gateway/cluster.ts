/**
 * Several serving processes behind one port (`server.workers` > 1), with the guarantees of one.
 *
 * The primary process forks the workers (node:cluster) and owns everything that must have exactly one
 * copy per instance: the audit journal and ledger (one sequencer), the in-memory token buckets and
 * concurrency counts, and the configuration. Each worker runs the whole request chain itself and asks
 * the primary through the cluster channel, one message per event-loop turn carrying every call of
 * that turn (cluster-link.ts):
 * - audit: the turn's journal lines; the primary adds them to its own journal turn and acknowledges
 *   once they are durable under the chosen sync mode, so an answer still leaves only after its event;
 * - lease / giveBack: a worker takes a few tokens of the primary's single MemoryRateLimiter at once
 *   and admits requests from them locally (LeasedRateLimiter), giving back what it did not spend;
 * - acquire / release: concurrency counts of the primary's single ConcurrencyLimiter (with Redis
 *   configured, workers use Redis for the buckets directly);
 * - metrics: the primary sums every worker's registry (prom-client's AggregatorRegistry).
 * A reload is prepared in every worker and committed only when all prepared it. A worker that exits is
 * replaced; its leases are released, and its open connections are closed by the kernel.
 */

import cluster, { type Worker } from "node:cluster";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { AggregatorRegistry } from "prom-client";
import { RampartError } from "../core/index.js";
import { foldJournal, trace, traceClock, traceThread, tracing, workerLedgerSink } from "../ledger/index.js";
import type { Store } from "../store/index.js";
import type { Call, FromPrimary, FromWorker, Reply } from "./cluster-link.js";
import type { GatewayConfig } from "./config.js";
import { ConcurrencyLimiter, MemoryRateLimiter } from "./ratelimit.js";
import { auditJournalOptions, checkReloadable, openAuditJournal, workerJournalDir, workerJournalDirs } from "./server.js";

/** The number of serving processes `server.workers` asks for. */
export function workerCount(config: GatewayConfig): number {
  return config.server.workers === "auto" ? availableParallelism() : config.server.workers;
}

export interface ClusterGateway {
  /** The listening address, e.g. http://127.0.0.1:8443. */
  address: string;
  /** Prepares `next` in every worker, then swaps it in everywhere; throws (all keep the old) if one cannot load it. */
  reload(next: GatewayConfig): Promise<void>;
  /** Live workers' process ids. */
  pids(): number[];
  /** Stops the workers (they finish their requests), then closes the journal. */
  close(): Promise<void>;
}

export interface ClusterOptions {
  /** Structured logs in the workers (pino JSON on standard output). */
  log?: boolean;
  /** Told about primary-side events: a worker's exit and restart, ledger flush failures. */
  onEvent?: (message: string) => void;
}

/** The worker module as node:cluster can execute it: the .js file of a build, else the .ts file through tsx. */
function workerModule(): { exec: string; execArgv: string[] } {
  const self = import.meta.url;
  if (!self.endsWith(".ts")) return { exec: fileURLToPath(new URL("./cluster-worker.js", self)), execArgv: [] };
  const tsx = pathToFileURL(createRequire(self).resolve("tsx")).href;
  return { exec: fileURLToPath(new URL("./cluster-worker.ts", self)), execArgv: ["--import", tsx] };
}

/** Starts the primary: opens the journal, forks the workers and resolves once every one is listening. */
export async function startCluster(initial: GatewayConfig, options: ClusterOptions = {}): Promise<ClusterGateway> {
  if (!cluster.isPrimary) throw new RampartError("invalid-config", "startCluster runs in the primary process only");
  const count = workerCount(initial);
  // RAMPART_AUDIT_TRACE: this thread's events under "primary" (before the journal names it "serve").
  traceThread("primary");
  const say = options.onEvent ?? ((m: string) => process.stderr.write(`rampart gateway: ${m}\n`));
  // Round-robin: the primary accepts and hands each connection over once (keep-alive connections stay
  // with their worker); kernel: every worker accepts on the shared socket.
  cluster.schedulingPolicy = initial.server.scheduling === "kernel" ? cluster.SCHED_NONE : cluster.SCHED_RR;
  // Advanced serialisation: journal lines travel as strings, not re-escaped JSON.
  cluster.setupPrimary({ ...workerModule(), serialization: "advanced" });

  let current = initial;
  let store: Store | undefined;
  let journal: Awaited<ReturnType<typeof openAuditJournal>>["journal"] | undefined;
  // server.journals: per-worker — no journal here, only the ledger (on its own thread), which takes the
  // workers' committed batches; journal directories no worker writes are folded into it by this process.
  let ledger: ReturnType<typeof workerLedgerSink> | undefined;
  const audit = initial.audit;
  const perWorker = audit !== undefined && initial.server.journals === "per-worker";
  const fold = async (dir: string) => {
    const n = await foldJournal(dir, (jsons, durable) => ledger!.sinkJoined(jsons.join("\n"), durable), audit!.batchSize);
    if (n > 0) say(`folded ${n} audit events of ${dir} into the ledger`);
  };
  if (perWorker) {
    ledger = workerLedgerSink(auditJournalOptions(audit, () => {}).ledger);
    try {
      // At the start no worker writes: the one journal of an earlier run first, then each slot's, in slot order.
      for (const dir of [audit.journal, ...workerJournalDirs(audit.journal)]) await fold(dir);
    } catch (e) {
      await ledger.close();
      throw e;
    }
  } else if (audit) {
    // On the journal's own thread (the default), that thread takes the workers' batches on a socket.
    const opened = await openAuditJournal(audit, (m) => say(`audit ledger flush failed; events stay in the journal: ${m}`), { socket: true });
    store = opened.store;
    journal = opened.journal;
  }
  // Where the workers send their audit lines, when the journal's thread serves a socket (else the channel).
  const journalSocket = journal && "socketPath" in journal ? journal.socketPath : undefined;
  const limiter = new MemoryRateLimiter();
  const gate = new ConcurrencyLimiter();
  const aggregator = new AggregatorRegistry();
  /** Concurrency leases per worker, released when the worker goes. */
  const leases = new Map<Worker, Map<number, () => void>>();
  let nextLease = 1;
  let stopping = false;
  let nextPrepare = 1;
  const prepared = new Map<number, Map<Worker, { resolve(): void; reject(e: Error): void }>>();

  /** Replies to one worker, sent once per event-loop turn of the primary. */
  const outbox = new Map<Worker, Reply[]>();
  const sendBox = (w: Worker, box: Reply[]) => {
    if (outbox.get(w) !== box) return;
    outbox.delete(w);
    if (w.isConnected()) w.send({ t: "replies", r: box } satisfies FromPrimary);
  };
  const reply = (w: Worker, r: Reply) => {
    const box = outbox.get(w);
    if (box) {
      box.push(r);
      return;
    }
    const fresh = [r];
    outbox.set(w, fresh);
    setImmediate(() => sendBox(w, fresh));
  };
  // audit.journalOn: inline — the turn's group is written and fdatasynced on this loop, which stands
  // still meanwhile: a message's other replies (token leases) leave before that, not after the disk.
  const inline = journal !== undefined && audit?.journalOn === "inline";

  const handle = (w: Worker, call: Call) => {
    const [id, kind] = call;
    const fail = (e: unknown) => reply(w, [id, false, (e as Error)?.message ?? String(e)]);
    switch (kind) {
      case "audit": {
        if (!journal) return fail(new Error("this gateway has no audit journal"));
        if (!tracing) {
          journal.appendLines(call[2]).then(() => reply(w, [id, true, 0]), fail);
          return;
        }
        // The primary's part of the hop: the message handled to its lines durable (tracing only).
        const t0 = traceClock();
        journal.appendLines(call[2]).then(() => {
          trace("durable", t0, traceClock() - t0, call[2].length);
          reply(w, [id, true, 0]);
        }, fail);
        return;
      }
      case "lease": {
        const g = limiter.lease(call[2], call[3], call[4], call[5]);
        return reply(w, [id, true, [g.granted, g.retryAfterMs]]);
      }
      case "giveBack":
        limiter.giveBack(call[2], call[3], call[4]);
        return;
      case "acquire": {
        const release = gate.acquire(call[2], call[3]);
        if (!release) return reply(w, [id, true, 0]);
        const lease = nextLease++;
        let mine = leases.get(w);
        if (!mine) {
          mine = new Map();
          leases.set(w, mine);
        }
        mine.set(lease, release);
        return reply(w, [id, true, lease]);
      }
      case "release": {
        const mine = leases.get(w);
        mine?.get(call[2])?.();
        mine?.delete(call[2]);
        return;
      }
      case "metrics":
        aggregator.clusterMetrics().then((text) => reply(w, [id, true, [aggregator.contentType, text]]), fail);
        return;
      case "ledger":
        if (!ledger) return fail(new Error("this gateway's workers have no journals of their own"));
        return toLedger(w, id, call[2], call[3]);
    }
  };

  // Worker batches that arrive while the ledger thread appends earlier ones wait, and then go as ONE
  // append (one transaction, at most one durable point): with a journal per worker the ledger would
  // otherwise commit each worker's batches apart. Order is arrival order; each batch is acknowledged
  // only once the append holding it is done, so no worker's cursor moves ahead of the ledger.
  type LedgerCall = { w: Worker; id: number; lines: string; durable: boolean };
  let appending = false;
  let queued: LedgerCall[] = [];
  const toLedger = (w: Worker, id: number, lines: string, durable: boolean) => {
    queued.push({ w, id, lines, durable });
    if (!appending) void appendQueued();
  };
  const answer = (c: LedgerCall, e?: unknown) => reply(c.w, e === undefined ? [c.id, true, 0] : [c.id, false, (e as Error)?.message ?? String(e)]);
  const appendQueued = async () => {
    appending = true;
    while (queued.length > 0) {
      const calls = queued;
      queued = [];
      try {
        await ledger!.sinkJoined(
          calls.flatMap((c) => (c.lines.length > 0 ? [c.lines] : [])).join("\n"),
          calls.some((c) => c.durable),
        );
        for (const c of calls) answer(c);
      } catch (e) {
        if (calls.length === 1) answer(calls[0]!, e);
        // One worker's bad batch must not fail the others': each alone, so only its own is refused.
        else
          for (const c of calls)
            await ledger!.sinkJoined(c.lines, c.durable).then(
              () => answer(c),
              (e2: unknown) => answer(c, e2),
            );
      }
    }
    appending = false;
  };

  let address = "";
  /** Each live worker's slot (its journal directory with server.journals: per-worker); a replacement takes the slot of the worker it replaces. */
  const slots = new Map<Worker, number>();
  const freeSlot = () => {
    const used = new Set(slots.values());
    let slot = 1;
    while (used.has(slot)) slot++;
    return slot;
  };
  const fork = (slot = freeSlot()): Promise<Worker> => {
    const w = cluster.fork();
    slots.set(w, slot);
    return new Promise((resolve, reject) => {
      w.on("message", (m: FromWorker) => {
        if (m.t === "calls") {
          for (const c of m.c) handle(w, c);
          const box = outbox.get(w);
          if (inline && box) sendBox(w, box);
        } else if (m.t === "ready") w.send({ t: "start", config: current, log: options.log ?? false, slot, journalSocket } satisfies FromPrimary);
        else if (m.t === "listening") {
          address = m.address;
          resolve(w);
        } else if (m.t === "failed") reject(new RampartError("invalid-config", `gateway worker ${w.process.pid}: ${m.error}`));
        else if (m.t === "prepared" || m.t === "committed") {
          const waiter = prepared.get(m.id)?.get(w);
          if (m.error === undefined) waiter?.resolve();
          else waiter?.reject(new RampartError("invalid-config", m.error));
        }
      });
      w.once("exit", (code, signal) => {
        reject(new RampartError("unavailable", `gateway worker ${w.process.pid} exited (${signal ?? code}) before it was listening`));
        for (const release of leases.get(w)?.values() ?? []) release();
        leases.delete(w);
        outbox.delete(w);
        for (const waiters of prepared.values()) waiters.get(w)?.reject(new RampartError("unavailable", `gateway worker ${w.process.pid} exited during the reload`));
        slots.delete(w);
        if (stopping) return;
        say(`worker ${w.process.pid} exited (${signal ?? code}); its open connections are closed; starting a new one`);
        // Its journal's committed events reach the ledger now, not when (or if) a replacement starts; the
        // replacement then takes the same directory (and would replay whatever a failed fold left).
        const folded = perWorker
          ? fold(workerJournalDir(audit.journal, slot)).catch((e) => say(`folding the journal of worker ${w.process.pid} failed: ${(e as Error).message}`))
          : undefined;
        // A worker that cannot start at all would loop: wait a little between restarts.
        setTimeout(() => {
          void Promise.resolve(folded).then(() => {
            if (!stopping) fork(slot).catch((e) => say(`worker restart failed: ${(e as Error).message}`));
          });
        }, 250).unref();
      });
    });
  };

  const workers = (): Worker[] => Object.values(cluster.workers ?? {}).filter((w): w is Worker => w?.isConnected() === true);
  const closeJournal = async () => {
    await journal?.close();
    await store?.close();
    if (ledger) {
      // Every worker has stopped: what their journals could not hand over while closing goes now.
      for (const dir of workerJournalDirs(audit!.journal)) await fold(dir).catch((e) => say(`folding ${dir} failed: ${(e as Error).message}`));
      await ledger.close();
    }
  };
  try {
    await Promise.all(Array.from({ length: count }, (_, i) => fork(i + 1)));
  } catch (e) {
    stopping = true;
    for (const w of workers()) w.kill();
    await closeJournal();
    throw e;
  }

  let reloading: Promise<void> = Promise.resolve();
  return {
    address,
    pids: () => workers().map((w) => w.process.pid!),
    reload(next) {
      const run = reloading.then(async () => {
        checkReloadable(current, next);
        const id = nextPrepare++;
        const waiters = new Map<Worker, { resolve(): void; reject(e: Error): void }>();
        prepared.set(id, waiters);
        const all = workers();
        const results = await Promise.allSettled(
          all.map(
            (w) =>
              new Promise<void>((resolve, reject) => {
                waiters.set(w, { resolve, reject });
                w.send({ t: "prepare", id, config: next } satisfies FromPrimary);
              }),
          ),
        );
        const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
        if (failed) {
          prepared.delete(id);
          for (const w of all) if (w.isConnected()) w.send({ t: "abort", id } satisfies FromPrimary);
          throw failed.reason;
        }
        // Every worker has the new runtime loaded: swap everywhere, and return once all swapped.
        const commitId = nextPrepare++;
        const committed = new Map<Worker, { resolve(): void; reject(e: Error): void }>();
        prepared.set(commitId, committed);
        await Promise.allSettled(
          all.map(
            (w) =>
              new Promise<void>((resolve, reject) => {
                committed.set(w, { resolve, reject });
                w.send({ t: "commit", id, ack: commitId } satisfies FromPrimary);
              }),
          ),
        );
        prepared.delete(id);
        prepared.delete(commitId);
        // Workers started from now on get the new configuration.
        current = next;
      });
      reloading = run.catch(() => {});
      return run;
    },
    async close() {
      stopping = true;
      await Promise.all(
        workers().map(
          (w) =>
            new Promise<void>((resolve) => {
              w.once("exit", () => resolve());
              w.send({ t: "stop" } satisfies FromPrimary);
              // A worker that does not finish within the request timeout is ended.
              setTimeout(() => w.kill("SIGKILL"), current.listen.timeouts.requestMs + 1_000).unref();
            }),
        ),
      );
      await closeJournal();
    },
  };
}
