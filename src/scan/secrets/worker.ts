import { parentPort } from "node:worker_threads";
import { messageOf } from "../../core/index.js";
import { type SmallFileJob, scanSmallFile } from "./scan.js";

/** Worker side of the secrets pool: a batch of small files in, their hits (plain data) out. */
parentPort?.on("message", (jobs: SmallFileJob[]) => {
  try {
    parentPort?.postMessage({ results: jobs.map((j) => ({ id: j.id, ...scanSmallFile(j.path, j.generic) })) });
  } catch (e) {
    parentPort?.postMessage({ error: messageOf(e) });
  }
});
parentPort?.postMessage({ ready: true });
