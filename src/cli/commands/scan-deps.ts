import type { Command } from "commander";
import { RampartError } from "../../core/index.js";
import { importAdvisories, scanDeps, storeAdvisories } from "../../scan/deps/index.js";
import { openStore } from "../../store/index.js";
import { emitResults, type OutputOptions, withOutputOptions } from "../output.js";
import { scanCommand } from "./scan-group.js";

interface StoreOption {
  databaseUrl?: string;
}

const DB_HELP = "store (postgres://… or a SQLite path; default RAMPART_DATABASE_URL, then ./.rampart/rampart.db)";

export function registerScanDeps(program: Command): void {
  const deps = scanCommand(program)
    .command("deps")
    .description("find vulnerable and unpinned dependencies in lockfiles and manifests, offline, against imported OSV advisories")
    .argument("<path>", "project folder (searched recursively) or one dependency file")
    .option("--no-unpinned", "do not report unpinned dependencies")
    .option("--no-dev", "ignore development dependencies")
    .option("--database-url <url>", DB_HELP);
  withOutputOptions(deps).addHelpText(
    "after",
    `
Reads: requirements*.txt (with -r/-c includes, hashes, markers), pyproject.toml (PEP 621, Poetry),
poetry.lock, uv.lock, Pipfile.lock, conda environment*.yml, package.json (when no lock is beside it),
package-lock.json / npm-shrinkwrap.json (v1-v3), pnpm-lock.yaml, yarn.lock (v1 and berry). node_modules, .venv and .git are skipped.
Versions are compared with PEP 440 (PyPI) and SemVer (npm) semantics.
Advisories come from the store: load them first with \`rampart db import\`.

Example:
  rampart db import osv/PyPI-all.zip && rampart db import osv/npm-all.zip
  rampart scan deps . --fail-on high --format sarif -o deps.sarif`,
  );
  deps.action(async (path: string, opts: OutputOptions & StoreOption & { unpinned: boolean; dev: boolean }) => {
    const store = await openStore({ url: opts.databaseUrl });
    try {
      const result = await scanDeps(path, storeAdvisories(store), { unpinned: opts.unpinned, dev: opts.dev });
      process.exitCode = await emitResults([result], opts);
    } finally {
      await store.close();
    }
  });

  const db = program.commands.find((c) => c.name() === "db") ?? program.command("db").description("manage the local databases rampart reads offline (vulnerability advisories)");
  db.command("import")
    .description("import OSV advisories (a folder of OSV JSON files or a .zip such as osv.dev's <ECOSYSTEM>/all.zip) into the store")
    .argument("<path>", "folder of *.json OSV records (searched recursively), a .zip of them, or one .json file")
    .option("--database-url <url>", DB_HELP)
    .addHelpText(
      "after",
      `
All or nothing: a malformed record stops the import with its file and field, and the store keeps what it
had. Re-importing is cheap: records whose "modified" time is not newer are skipped; withdrawn ones are removed.
Download (elsewhere): https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip (and npm/all.zip).

Example:
  rampart db import ~/Downloads/PyPI-all.zip`,
    )
    .action(async (path: string, opts: StoreOption) => {
      if (!path) throw new RampartError("usage", "db import: give a folder or .zip of OSV JSON");
      const store = await openStore({ url: opts.databaseUrl });
      try {
        const s = await importAdvisories(store, path);
        process.stdout.write(
          `imported ${s.imported} advisories from ${path} (${s.read} read, ${s.unchanged} unchanged, ${s.withdrawn} withdrawn); ${s.total} in ${store.location}\n`,
        );
      } finally {
        await store.close();
      }
    });
}
