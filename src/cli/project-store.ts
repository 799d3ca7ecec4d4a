import { resolve } from "node:path";
import { openStore, type Store } from "../store/index.js";

/** Runs `fn` with the store of a project folder, closed afterwards whatever happens. */
export async function withStore<T>(project: string, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore({ projectDir: resolve(project) });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
