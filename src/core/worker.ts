import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";

/**
 * Starts the worker module `name` (a sibling of the caller, e.g. "./worker"). Compiled builds run the
 * .js file; from TypeScript sources (tests, `tsx`), the worker first registers tsx's loader (a dev
 * dependency) and then imports the .ts file.
 */
export function spawnWorker(base: string, name: string, options: WorkerOptions = {}): Worker {
  if (!base.endsWith(".ts")) return new Worker(new URL(`${name}.js`, base), options);
  const api = pathToFileURL(
    createRequire(base)
      .resolve("tsx/esm/api")
      .replace(/\.cjs$/, ".mjs"),
  ).href;
  const worker = new URL(`${name}.ts`, base).href;
  return new Worker(`import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(worker)}); });`, { ...options, eval: true });
}
