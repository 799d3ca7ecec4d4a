import { parentPort } from "node:worker_threads";
// Each worker thread loads this module graph on start: it imports the core modules it uses, not core/index.js
// (whose configuration, YAML and report modules cost every thread about half a second to load and use nothing here).
import { messageOf } from "../../core/errors.js";
import type { ExternalSummary } from "./analyze.js";
import { analyzeFile } from "./file.js";
import { pythonParser } from "./python.js";

/** Worker side of the code-scan pool: one parser per thread, files in, plain findings out. */
interface Job {
  id: number;
  path: string;
  rel: string;
  size: number;
  maxBytes: number;
  /** Summaries of imported functions of other scanned files (the second round, see crossfile.ts). */
  external?: Array<[string, ExternalSummary]>;
  /** `--constant-uses`: also report unsafe APIs given only constants. */
  constantUses?: boolean;
}

const parser = await pythonParser();
parentPort?.on("message", async (job: Job) => {
  try {
    parentPort?.postMessage({
      id: job.id,
      outcome: await analyzeFile(parser, job.path, job.rel, job.size, job.maxBytes, undefined, job.external ? new Map(job.external) : undefined, job.constantUses === true),
    });
  } catch (e) {
    parentPort?.postMessage({ id: job.id, error: messageOf(e) });
  }
});
parentPort?.postMessage({ ready: true });
