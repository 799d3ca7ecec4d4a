import { createReadStream } from "node:fs";
import { lstat } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { type Command, Option } from "commander";
import { RampartError } from "../../core/index.js";
import { withStore } from "../project-store.js";

const asOption = () => new Option("--as <name>", "who reads (a registered principal; default RAMPART_USER)").default(process.env.RAMPART_USER);
const projectOption = () => new Option("--project <dir>", "project folder holding .rampart/ (store; RAMPART_DATABASE_URL overrides)").default(".");

interface AccessOpts {
  from: string;
  as?: string;
  purpose?: string;
  policies: string;
  project: string;
}

async function accessPoliciesOf(dir: string) {
  const { assertValid, loadBundle } = await import("../../policy/index.js");
  const bundle = await loadBundle(dir);
  assertValid(bundle);
  return bundle.access;
}

function who(opts: AccessOpts): string {
  if (!opts.as) throw new RampartError("usage", "--as is required (or set RAMPART_USER)");
  return opts.as;
}

/** `rampart data read|export|access-log`: dataset access through the one Cedar authoriser, every decision recorded. */
export function registerDataAccess(program: Command): void {
  const data = program.commands.find((c) => c.name() === "data") ?? program.command("data").description("datasets");
  const common = (cmd: Command) =>
    cmd
      .argument("<dataset>", "registered dataset name (rampart registry dataset)")
      .requiredOption("--from <path>", "where the dataset's bytes are (checked against the registered digest)")
      .option("--purpose <text>", "why (recorded; access policies require one for personal data)")
      .option("-p, --policies <dir>", "policy bundle whose Cedar rules decide", "policies")
      .addOption(asOption())
      .addOption(projectOption());

  common(data.command("read"))
    .description("read a dataset through Rampart: Cedar decides (default deny), the access or refusal is recorded in the audit store and the ledger, then the bytes go to stdout")
    .addHelpText(
      "after",
      '\nExit 2 with the deciding policy ids when refused.\nExample:\n  rampart data read applications --from data/applications.csv --as sue --purpose "retrain credit model" | head',
    )
    .action(async (dataset: string, opts: AccessOpts) => {
      const policies = await accessPoliciesOf(opts.policies);
      const { openDataset } = await import("../../data/access.js");
      const access = await withStore(opts.project, (s) => openDataset(s, { dataset, path: opts.from, principal: who(opts), purpose: opts.purpose, policies }));
      if ((await lstat(access.path)).isDirectory()) throw new RampartError("usage", `${access.path}: a folder; use rampart data export to copy it`);
      await pipeline(createReadStream(access.path), process.stdout, { end: false });
    });

  common(data.command("export"))
    .description("copy a dataset out through Rampart: Cedar decides (default deny), the export or refusal is recorded; nothing is written when refused")
    .requiredOption("--to <path>", "where the copy goes")
    .addHelpText("after", '\nExample:\n  rampart data export weather --from data/weather.csv --to /tmp/weather.csv --as sue --purpose "share with partner"')
    .action(async (dataset: string, opts: AccessOpts & { to: string }) => {
      const policies = await accessPoliciesOf(opts.policies);
      const { exportDataset } = await import("../../data/access.js");
      const access = await withStore(opts.project, (s) => exportDataset(s, { dataset, path: opts.from, to: opts.to, principal: who(opts), purpose: opts.purpose, policies }));
      process.stdout.write(`exported ${dataset} to ${opts.to} (permitted by ${access.policyIds.join(", ")}; ledger entry ${access.ledgerIndex})\n`);
    });

  data
    .command("access-log")
    .description("who read or exported which dataset, when, why, and what was decided (newest first)")
    .argument("[dataset]", "only this dataset")
    .addOption(new Option("-f, --format <format>", "output format").choices(["table", "json"]).default("table"))
    .addOption(projectOption())
    .addHelpText("after", "\nExample:\n  rampart data access-log applications")
    .action(async (dataset: string | undefined, opts: { format: string; project: string }) => {
      const { datasetAccessLog } = await import("../../data/access.js");
      const rows = await withStore(opts.project, (s) => datasetAccessLog(s, dataset));
      if (opts.format === "json") return void process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      const lines = rows.map(
        (r) =>
          `${r.at}  ${r.decision.padEnd(5)}  ${r.principal}  ${r.action}  ${r.dataset}  purpose: ${r.purpose ?? "-"}  ${r.decision === "allow" ? `by ${r.policyIds.join(", ")}` : r.reason}  ledger #${r.ledgerIndex}`,
      );
      process.stdout.write(lines.length ? `${lines.join("\n")}\n` : "no dataset accesses recorded\n");
    });
}
