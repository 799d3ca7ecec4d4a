import { type Dirent, lstatSync } from "node:fs";
import { lstat, opendir } from "node:fs/promises";
import { basename, join, relative, sep } from "node:path";
import { fileError } from "../../core/index.js";

export interface WalkedFile {
  /** Absolute (or as given) path to open. */
  path: string;
  /** Path relative to the scanned root with `/` separators (the file name when the root is a file). */
  rel: string;
  size: number;
}

/** Folders that hold tools' state or third-party code, never the project's own sources. */
export const SKIPPED_DIRS = new Set([
  ".git",
  ".hg",
  ".svn",
  "node_modules",
  "__pycache__",
  ".venv",
  "venv",
  ".tox",
  ".nox",
  ".mypy_cache",
  ".pytest_cache",
  ".ruff_cache",
  ".rampart",
  "site-packages",
  ".ipynb_checkpoints",
]);

export interface WalkOptions {
  /** Return false to skip a file by its relative path (cheap test before any stat of content). */
  wants?: (rel: string) => boolean;
  /** Extra directory names to skip. */
  skipDirs?: ReadonlySet<string>;
}

/**
 * Files under `root` in a stable (sorted) order. Symlinks are never followed: a link may point
 * outside the tree or loop. A root that is a file yields that file.
 */
export async function* walkFiles(root: string, options: WalkOptions = {}): AsyncGenerator<WalkedFile> {
  let info: import("node:fs").Stats;
  try {
    info = await lstat(root);
  } catch (e) {
    throw fileError(root, e);
  }
  if (info.isFile()) {
    const rel = basename(root);
    if (!options.wants || options.wants(rel)) yield { path: root, rel, size: info.size };
    return;
  }
  if (!info.isDirectory()) return;
  yield* walkDir(root, root, options);
}

async function* walkDir(root: string, dir: string, options: WalkOptions): AsyncGenerator<WalkedFile> {
  const entries: Dirent[] = [];
  try {
    for await (const d of await opendir(dir)) entries.push(d);
  } catch (e) {
    throw fileError(dir, e);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const d of entries) {
    const full = join(dir, d.name);
    if (d.isDirectory()) {
      if (SKIPPED_DIRS.has(d.name) || options.skipDirs?.has(d.name)) continue;
      yield* walkDir(root, full, options);
    } else if (d.isFile()) {
      const rel = relative(root, full).split(sep).join("/");
      if (options.wants && !options.wants(rel)) continue;
      // Directory metadata is cached: a sync lstat costs microseconds, a promise one a thread-pool round trip.
      let size: number;
      try {
        size = lstatSync(full).size;
      } catch (e) {
        throw fileError(full, e);
      }
      yield { path: full, rel, size };
    }
  }
}

/**
 * Runs `fn` over `items` with up to `window` calls in flight and yields the results in input order:
 * reading the next files overlaps the analysis of the current one.
 */
export async function* inOrder<T, R>(items: AsyncIterable<T>, window: number, fn: (item: T) => Promise<R>): AsyncGenerator<R> {
  const queue: Array<Promise<{ ok: true; v: R } | { ok: false; e: unknown }>> = [];
  const settle = (p: Promise<R>) =>
    p.then(
      (v) => ({ ok: true as const, v }),
      (e: unknown) => ({ ok: false as const, e }),
    );
  for await (const item of items) {
    queue.push(settle(fn(item)));
    if (queue.length >= window) {
      const r = await queue.shift()!;
      if (!r.ok) throw r.e;
      yield r.v;
    }
  }
  while (queue.length) {
    const r = await queue.shift()!;
    if (!r.ok) throw r.e;
    yield r.v;
  }
}
