import type { Command } from "commander";
import { Option } from "commander";
import { oneLine, RampartError, readJson, readText, writeFileAtomic } from "../../core/index.js";
import { attestationRef, datasetFromArg, lineageGraph, listEvents, recordEvent, recordRun, renderLineage } from "../../data/index.js";
import { openStore } from "../../store/index.js";

export function registerLineage(program: Command): void {
  const lineage = program.command("lineage").description("OpenLineage run events: record how datasets and models were made, draw the path, export for Marquez");

  lineage
    .command("record")
    .description("record one run (START and COMPLETE/FAIL events) with its inputs, outputs and the Rampart attestations about them")
    .requiredOption("--job <name>", "job name, e.g. ingest-credit or train-model")
    .option("--namespace <ns>", "job namespace", "rampart")
    .option("--input <ref...>", "input dataset: a local path (hashed, schema read) or a URI such as s3://bucket/key")
    .option("--output <ref...>", "output dataset or model: a local path or URI")
    .option("--attestation <file...>", "DSSE attestation files to cite by digest (dataset manifests, scan results, …)")
    .addOption(new Option("--status <status>", "how the run ended").choices(["COMPLETE", "FAIL"]).default("COMPLETE"))
    .option("--error <message>", "error message for a failed run")
    .option("--database <url>", "store (default RAMPART_DATABASE_URL, then .rampart/rampart.db)")
    .addHelpText(
      "after",
      "\nExample:\n  rampart lineage record --job ingest --input s3://corp-data/credit/2026-11 --output data/train --attestation data/train.manifest.json\n  rampart lineage record --job train --input data/train --output models/credit.onnx\n  rampart lineage show models/credit.onnx",
    )
    .action(
      async (opts: {
        job: string;
        namespace: string;
        input?: string[];
        output?: string[];
        attestation?: string[];
        status: "COMPLETE" | "FAIL";
        error?: string;
        database?: string;
      }) => {
        const inputs = await Promise.all((opts.input ?? []).map((a) => datasetFromArg(a)));
        const outputs = await Promise.all((opts.output ?? []).map((a) => datasetFromArg(a)));
        const attestations = await Promise.all((opts.attestation ?? []).map(async (f) => attestationRef(await readJson(f))));
        const store = await openStore({ url: opts.database });
        try {
          const [, end] = await recordRun(store, {
            job: { namespace: opts.namespace, name: opts.job },
            inputs,
            outputs,
            attestations,
            status: opts.status,
            errorMessage: opts.error,
          });
          process.stdout.write(
            `recorded run ${end.run.runId} of ${opts.namespace}/${opts.job}: ${inputs.length} input(s) → ${outputs.length} output(s), ${attestations.length} attestation(s)\n`,
          );
        } finally {
          await store.close();
        }
      },
    );

  lineage
    .command("show")
    .description("draw the path from raw sources to a model or dataset, with the runs and attestations on the way")
    .argument("<name>", "dataset or model name as recorded (e.g. models/credit.onnx, or namespace/name)")
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json"]).default("text"))
    .option("--database <url>", "store (default RAMPART_DATABASE_URL, then .rampart/rampart.db)")
    .addHelpText("after", "\nExample:\n  rampart lineage show models/credit.onnx")
    .action(async (name: string, opts: { format: string; database?: string }) => {
      const store = await openStore({ url: opts.database });
      try {
        const graph = await lineageGraph(store, name);
        process.stdout.write(opts.format === "json" ? `${JSON.stringify(graph, null, 2)}\n` : renderLineage(graph));
      } finally {
        await store.close();
      }
    });

  lineage
    .command("export")
    .description("export stored events as OpenLineage JSON (an array, or one event per line) that Marquez and other consumers ingest")
    .option("--job <name>", "only this job's events")
    .option("--run <id>", "only this run's events")
    .option("--ndjson", "one event per line instead of a JSON array")
    .option("-o, --output <file>", "write here (atomically) instead of standard output")
    .option("--database <url>", "store (default RAMPART_DATABASE_URL, then .rampart/rampart.db)")
    .addHelpText("after", "\nExample (post each line to Marquez's /api/v1/lineage):\n  rampart lineage export --ndjson -o events.ndjson")
    .action(async (opts: { job?: string; run?: string; ndjson?: boolean; output?: string; database?: string }) => {
      const store = await openStore({ url: opts.database });
      try {
        const events = await listEvents(store, { job: opts.job, runId: opts.run });
        const text = opts.ndjson ? events.map((e) => `${JSON.stringify(e)}\n`).join("") : `${JSON.stringify(events, null, 2)}\n`;
        if (opts.output) await writeFileAtomic(opts.output, text);
        else process.stdout.write(text);
      } finally {
        await store.close();
      }
    });

  lineage
    .command("import")
    .description("store OpenLineage RunEvents made by other tools (a JSON array, one event, or JSON lines)")
    .argument("<file>", "events file")
    .option("--database <url>", "store (default RAMPART_DATABASE_URL, then .rampart/rampart.db)")
    .addHelpText("after", "\nExample:\n  rampart lineage import airflow-events.ndjson")
    .action(async (file: string, opts: { database?: string }) => {
      const text = await readText(file);
      const events = parseEvents(text, file);
      const store = await openStore({ url: opts.database });
      try {
        for (const [e, where] of events) await recordEvent(store, e, where);
        process.stdout.write(`imported ${events.length} event(s)\n`);
      } finally {
        await store.close();
      }
    });
}

/** A JSON array of events, one event, or JSON lines; errors name the file and line. */
export function parseEvents(text: string, file: string): Array<[unknown, string]> {
  const trimmed = text.trim();
  try {
    const whole = JSON.parse(trimmed) as unknown;
    return Array.isArray(whole) ? whole.map((e, i) => [e, `${file}[${i}]`]) : [[whole, file]];
  } catch {
    // Not one JSON document: JSON lines.
  }
  return text.split("\n").flatMap((line, i): Array<[unknown, string]> => {
    if (!line.trim()) return [];
    try {
      return [[JSON.parse(line), `${file}:${i + 1}`]];
    } catch (e) {
      throw new RampartError("invalid-input", `${file}:${i + 1}: not valid JSON (${oneLine((e as Error).message)})`);
    }
  });
}
