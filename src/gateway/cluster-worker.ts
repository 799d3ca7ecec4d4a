/**
 * One serving process of a multi-worker gateway (cluster.ts forks it). It gets its configuration from
 * the primary, serves the whole request chain, and sends its audit events, limit decisions and metric
 * scrapes to the primary (cluster-link.ts). It exits when the primary goes: nothing could be audited.
 */

import type { FastifyInstance } from "fastify";
import { AggregatorRegistry } from "prom-client";
import { ServingJournal, traceThread } from "../ledger/index.js";
import { type FromPrimary, type FromWorker, PrimaryLink } from "./cluster-link.js";
import { auditJournalOptions, buildGateway, workerJournalDir } from "./server.js";

// RAMPART_AUDIT_TRACE: this worker's hops to the primary, GC pauses and stalls (a no-op otherwise).
traceThread("worker");
const send = (m: FromWorker) => process.send!(m);
const link = new PrimaryLink(send);
let app: FastifyInstance | undefined;
const prepared = new Map<number, { commit(): Promise<void>; abort(): Promise<void> }>();
let metricsReady = false;

const stop = (code: number) => {
  const closing = app ? app.close() : Promise.resolve();
  void closing.finally(() => process.exit(code));
};

process.on("message", (m: FromPrimary) => {
  switch (m.t) {
    case "replies":
      link.receive(m.r);
      return;
    case "start":
      void (async () => {
        try {
          const config = m.config;
          // server.journals: per-worker — this worker journals its own decisions (its slot's directory,
          // replayed to the primary's ledger on open) and answers without waiting for the primary.
          const own =
            config.audit && config.server.journals === "per-worker"
              ? await ServingJournal.open(
                  workerJournalDir(config.audit.journal, m.slot),
                  auditJournalOptions(config.audit, (message) =>
                    process.stderr.write(`rampart gateway: worker ${process.pid}: audit ledger flush failed; events stay in the journal: ${message}\n`),
                  ),
                  link.ledgerSink(),
                )
              : undefined;
          const shared = link.shared(
            config,
            (registry) => {
              // prom-client answers the primary's scrape requests with this registry.
              if (!metricsReady) new AggregatorRegistry();
              metricsReady = true;
              AggregatorRegistry.setRegistries([registry]);
            },
            own,
          );
          // The primary's journal thread takes this worker's audit lines on its socket (no primary loop in between).
          if (m.journalSocket && !own) await link.connectJournal(m.journalSocket, () => stop(1));
          // With Redis the buckets are shared through Redis itself.
          if (config.rateLimit.redisUrl) shared.limiter = undefined;
          app = await buildGateway(config, { logger: m.log, shared });
          const address = await app.listen({ host: config.listen.host, port: config.listen.port });
          send({ t: "listening", address });
        } catch (e) {
          send({ t: "failed", error: ((e as Error)?.message ?? String(e)).split("\n")[0]! });
          process.exit(1);
        }
      })();
      return;
    case "prepare":
      void (async () => {
        try {
          prepared.set(m.id, await app!.gateway.prepare(m.config));
          send({ t: "prepared", id: m.id });
        } catch (e) {
          send({ t: "prepared", id: m.id, error: ((e as Error)?.message ?? String(e)).split("\n")[0]! });
        }
      })();
      return;
    case "commit":
      void (async () => {
        await prepared.get(m.id)?.commit();
        prepared.delete(m.id);
        send({ t: "committed", id: m.ack });
      })();
      return;
    case "abort":
      void prepared.get(m.id)?.abort();
      prepared.delete(m.id);
      return;
    case "stop":
      stop(0);
      return;
  }
});

// The primary went away (or was killed): fail what waits for it, stop serving.
process.on("disconnect", () => {
  link.fail("the gateway's primary process is gone; decisions cannot be recorded");
  stop(1);
});
// Messages that arrive before this module has loaded are lost: ask for the configuration only now.
send({ t: "ready" });
// A terminal's Ctrl+C or SIGHUP reaches the whole process group: the primary decides (stop, reload).
process.on("SIGINT", () => {});
process.on("SIGHUP", () => {});
