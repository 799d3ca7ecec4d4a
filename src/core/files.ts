import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { fileError } from "./digest.js";
import { RampartError } from "./errors.js";

/**
 * Writes a file so that readers see the old content or the new one, never half of it:
 * write to a temporary sibling, then rename over the target.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: { mode?: number } = {}): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(tmp, data, { mode: options.mode ?? 0o644, flag: "wx" });
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw fileError(path, e);
  }
}

/** Reads a UTF-8 text file, naming the file in any error. */
export async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    throw fileError(path, e);
  }
}

/** Reads and parses a JSON file; a syntax error names the file (and position where JSON says it). */
export async function readJson(path: string): Promise<unknown> {
  const text = await readText(path);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new RampartError("invalid-input", `${path}: not valid JSON (${(e as Error).message})`);
  }
}
