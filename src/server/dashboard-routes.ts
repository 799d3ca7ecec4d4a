import { existsSync } from "node:fs";
import fastifyStatic from "@fastify/static";
import type { FastifyPluginAsync } from "fastify";
import { RampartError, type Severity } from "../core/index.js";
import { lineageGraph } from "../data/lineage/index.js";
import { auditLog, Ledger } from "../ledger/index.js";
import type { RunReport } from "../pipeline/index.js";
import { listReleases, reviewStatus } from "../registry/index.js";
import { getRun, listRuns, type Store } from "../store/index.js";

export interface DashboardRoutesOptions {
  store: Store;
  /** The built dashboard (dist/web); without it only the JSON API is served. */
  webRoot?: string;
}

const SEVERITIES: Severity[] = ["critical", "high", "medium", "low", "info"];

/** One line per run for the overview: stage outcomes and findings by severity, not the findings themselves. */
function runSummary(run: { id: string; project: string; startedAt: string; finishedAt: string | null; status: string; report: unknown }) {
  const report = run.report as RunReport | null;
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const stages = (report?.stages ?? []).map((s) => {
    let findings = 0;
    for (const r of s.results)
      for (const f of r.findings) {
        bySeverity[f.severity] += 1;
        findings += 1;
      }
    return { stage: s.stage, label: s.label, status: s.status, worst: s.worst ?? null, findings, durationMs: s.durationMs, error: s.error ?? null };
  });
  return { id: run.id, project: run.project, startedAt: run.startedAt, finishedAt: run.finishedAt, status: run.status, failOn: report?.failOn ?? null, stages, bySeverity };
}

/** Signers of a signed note: its lines that start with an em dash, after the blank line. */
function signatureLines(note: string): number {
  return note
    .slice(note.indexOf("\n\n") + 2)
    .split("\n")
    .filter((l) => l.startsWith("\u2014 ")).length;
}

/**
 * What the dashboard reads: runs and their findings, releases and their reviews, the ledger's
 * checkpoints and a full audit on demand, lineage. Read-only: changes go through the signed APIs.
 */
export function dashboardRoutes(options: DashboardRoutesOptions): FastifyPluginAsync {
  const { store, webRoot } = options;
  return async (app) => {
    app.get<{ Querystring: { limit?: number } }>(
      "/api/runs",
      { schema: { querystring: { type: "object", properties: { limit: { type: "integer", minimum: 1, maximum: 500 } } } } },
      async (request) => ({ runs: (await listRuns(store, request.query.limit ?? 50)).map(runSummary) }),
    );

    app.get<{ Params: { id: string } }>(
      "/api/runs/:id",
      { schema: { params: { type: "object", required: ["id"], properties: { id: { type: "string", pattern: "^[0-9A-Za-z-]{1,64}$" } } } } },
      async (request) => {
        const run = await getRun(store, request.params.id);
        if (!run) throw new RampartError("not-found", `run ${request.params.id}: no such run`);
        return { run: runSummary(run), report: run.report };
      },
    );

    app.get("/api/releases", async () => {
      const releases = await listReleases(store);
      return {
        releases: await Promise.all(
          releases.map(async (r) => {
            const status = await reviewStatus(store, r);
            const count = (d: string) => status.valid.filter((v) => v.decision === d).length;
            return {
              id: r.id,
              model: r.model,
              stage: r.stage,
              owner: r.owner,
              tags: r.tags,
              evidence: r.evidence.length,
              approvals: count("approve"),
              rejections: count("reject"),
              updatedAt: r.updatedAt,
            };
          }),
        ),
      };
    });

    app.get("/api/ledger", async () => {
      const logs = await Ledger.list(store);
      return {
        logs: await Promise.all(
          logs.map(async (l) => {
            const ledger = await Ledger.open(store, l.origin);
            const latest = (await ledger.checkpoints()).at(-1);
            return {
              origin: l.origin,
              size: l.size,
              root: l.root.toString("base64"),
              checkpoint: latest ? { size: latest.size, createdAt: latest.createdAt, note: latest.note, signatures: signatureLines(latest.note) } : null,
            };
          }),
        ),
      };
    });

    // A full audit rereads every entry: on demand only, never on page load.
    app.post<{ Body: { origin: string } }>(
      "/api/ledger/audit",
      { schema: { body: { type: "object", required: ["origin"], properties: { origin: { type: "string", minLength: 1, maxLength: 256 } } } } },
      async (request) => {
        const known = (await Ledger.list(store)).some((l) => l.origin === request.body.origin);
        if (!known) throw new RampartError("not-found", `ledger ${request.body.origin}: no such log`);
        const audit = await auditLog(await Ledger.open(store, request.body.origin));
        return { origin: audit.origin, ok: audit.ok, size: audit.size, checkpoints: audit.checkpoints, verifiedUpTo: audit.verifiedUpTo, problems: audit.problems };
      },
    );

    app.get<{ Querystring: { target: string } }>(
      "/api/lineage",
      { schema: { querystring: { type: "object", required: ["target"], properties: { target: { type: "string", minLength: 1, maxLength: 512 } } } } },
      async (request) => ({ lineage: await lineageGraph(store, request.query.target) }),
    );

    if (webRoot && existsSync(webRoot)) {
      await app.register(fastifyStatic, { root: webRoot, index: "index.html", wildcard: false });
      // The dashboard routes in the URL fragment, so every other GET that is not the API gets the app.
      app.setNotFoundHandler((request, reply) => {
        if (request.method === "GET" && !request.url.startsWith("/api/")) return reply.sendFile("index.html");
        return reply.status(404).send({ error: { code: "not-found", message: `${request.method} ${request.url}: no such route` } });
      });
    }
  };
}
