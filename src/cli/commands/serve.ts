import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Command, Option } from "commander";
import { RampartError } from "../../core/index.js";

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new RampartError("usage", `--port: "${value}" is not a port number (0-65535)`);
  return n;
}

/** `rampart serve`: the dashboard with the registry, review and ledger APIs behind it. */
export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("serve the web dashboard and the registry, review and ledger APIs of a project")
    .addOption(new Option("--project <dir>", "project folder holding .rampart/ (store; RAMPART_DATABASE_URL overrides)").default("."))
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--port <port>", "port (0 = any free port)", port, 8000)
    .option("-p, --policies <dir>", "policy bundle whose Cedar rules decide who may review (reviews API off when the folder is missing)", "policies")
    .addHelpText(
      "after",
      [
        "",
        "Pages: runs and their findings, releases with evidence, gate decisions and reviews, the ledger",
        "(checkpoints, witnesses, a full audit on demand) and lineage. The dashboard only reads; approvals",
        "stay signed by each reviewer's own key (rampart approve, or POST /api/releases/:id/reviews).",
        "",
        "Routes: GET /api/runs, /api/runs/:id, /api/releases, /api/releases/:id, /api/reviews/pending,",
        "  /api/decisions/:id, /api/ledger, POST /api/ledger/audit, GET /api/lineage?target=NAME,",
        "  /ledger/... (the ledger read API; appends need RAMPART_LEDGER_TOKEN)",
        "",
        "Example:",
        "  rampart run examples/credit-risk; rampart serve --project examples/credit-risk --port 8000",
      ].join("\n"),
    )
    .action(async (opts: { project: string; host: string; port: number; policies: string }) => {
      const [{ openStore }, { buildApp, dashboardRoutes, registryRoutes }, { ledgerRoutes }, { loadBundle }] = await Promise.all([
        import("../../store/index.js"),
        import("../../server/index.js"),
        import("../../server/ledger-routes.js"),
        import("../../policy/index.js"),
      ]);
      const projectDir = resolve(opts.project);
      const policiesDir = resolve(projectDir, opts.policies);
      const bundle = existsSync(policiesDir) ? await loadBundle(policiesDir) : undefined;
      const store = await openStore({ projectDir });
      const tokens = (process.env.RAMPART_LEDGER_TOKEN ?? "").split(",").filter((t) => t.length >= 16);
      const webRoot = fileURLToPath(new URL("../../web", import.meta.url));
      if (!existsSync(webRoot)) process.stderr.write("rampart: warning: the dashboard is not built (npm run build:web); serving the API only\n");
      const app = await buildApp({
        plugins: [
          { plugin: dashboardRoutes({ store, webRoot }) },
          ...(bundle ? [{ plugin: registryRoutes({ store, bundle }) }] : []),
          { plugin: ledgerRoutes as never, options: { store, tokens }, prefix: "/ledger" },
        ],
      });
      const address = await app.listen({ host: opts.host, port: opts.port });
      process.stdout.write(`dashboard on ${address}/  (project ${projectDir}${bundle ? "" : "; no policy bundle, reviews API off"})\n`);
      await new Promise<void>((done) => {
        process.once("SIGINT", done);
        process.once("SIGTERM", done);
      });
      await app.close();
      await store.close();
    });
}
