import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";
import { RampartError } from "./errors.js";

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

/**
 * Runs a pool of `threads` workers of module `name`: each worker posts `{ready: true}` once, then one
 * answer per message it is sent. `next()` gives the next message (undefined when there is no more
 * work) and `take()` receives each answer; an answer with `error` fails the pool with that message.
 * Options: with `depth` > 1, up to that many messages wait at each worker, so a worker finishing one starts
 * the next without waiting for this thread to wake up and answer (on a busy machine that wait is not small);
 * with `after`, the workers start at once but are given messages only once it is fulfilled (the caller
 * prepares the work while they load), and the pool fails with its error if it is rejected.
 * The workers are always terminated.
 */
export async function runWorkerPool<A extends { ready?: boolean; error?: string }>(
  base: string,
  name: string,
  threads: number,
  next: () => unknown,
  take: (answer: A) => void,
  options: { depth?: number; after?: Promise<unknown> } = {},
): Promise<void> {
  const depth = options.depth ?? 1;
  const after = options.after;
  after?.catch(() => undefined); // handled below, once a worker is ready; not an unhandled rejection meanwhile
  const workers: Worker[] = [];
  try {
    await Promise.all(
      Array.from({ length: threads }, () => {
        const w = spawnWorker(base, name);
        workers.push(w);
        return new Promise<void>((resolve, reject) => {
          let waiting = 0; // messages sent to this worker and not answered yet
          const give = () => {
            while (waiting < depth) {
              const message = next();
              if (message === undefined) break;
              waiting++;
              w.postMessage(message);
            }
            if (waiting === 0) resolve();
          };
          w.on("message", (m: A) => {
            if (m.ready) return after ? void after.then(give, reject) : give();
            if (m.error !== undefined) return reject(new RampartError("invalid-input", m.error));
            waiting--;
            take(m);
            give();
          });
          w.on("error", reject);
          w.on("exit", (code) => {
            if (code !== 0) reject(new Error(`worker ${name} exited with ${code}`));
          });
        });
      }),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
