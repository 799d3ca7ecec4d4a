import { createHash } from "node:crypto";
import { createReadStream, lstatSync, readFileSync } from "node:fs";
import { lstat, opendir, readFile, readlink } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { RampartError } from "./errors.js";
import type { Subject } from "./types.js";

export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/**
 * sha256 of a file, streamed: memory stays constant whatever the size. With a known size, small
 * files are read in one allocation of their own size (a stream allocates 1 MiB per file, which
 * makes trees of many small files GC-bound).
 */
export async function sha256File(path: string, sizeHint?: number): Promise<string> {
  const hash = createHash("sha256");
  try {
    // Small files: one synchronous read (microseconds when cached) instead of four thread-pool round trips.
    if (sizeHint !== undefined && sizeHint <= 256 << 10) return hash.update(readFileSync(path)).digest("hex");
    if (sizeHint !== undefined && sizeHint <= 1 << 20) return hash.update(await readFile(path)).digest("hex");
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  } catch (e) {
    throw fileError(path, e);
  }
  return hash.digest("hex");
}

export type DirectoryEntryKind = "file" | "symlink" | "special";

export interface DirectoryEntry {
  /** Path relative to the root, always with `/` separators. */
  path: string;
  kind: DirectoryEntryKind;
  /** sha256 of the content (file), of the link target text (symlink), or of the kind name (special). */
  sha256: string;
  size: number;
}

export interface DirectoryDigest {
  sha256: string;
  entries: DirectoryEntry[];
}

/**
 * Deterministic digest of a directory tree. Entries are sorted by their relative path (byte order of
 * UTF-8), and the digest is sha256 over lines `<kind> <sha256> <size> <path>\n`. Symlinks are never
 * followed (a link can point outside the tree): their target text is hashed. Sockets, FIFOs and devices
 * are recorded by kind without being opened. Empty directories do not contribute.
 */
export async function digestDirectory(root: string, options: { ignore?: (relPath: string) => boolean } = {}): Promise<DirectoryDigest> {
  const entries: DirectoryEntry[] = [];
  // Files are hashed by a bounded number of concurrent tasks: one await per file in sequence
  // leaves the CPU idle on every thread-pool round trip (half the time of a tree of small files).
  const pending: Array<{ full: string; rel: string }> = [];
  async function walk(dir: string): Promise<void> {
    let handle: import("node:fs").Dir;
    try {
      handle = await opendir(dir);
    } catch (e) {
      throw fileError(dir, e);
    }
    const subdirs: string[] = [];
    for await (const dirent of handle) {
      const full = join(dir, dirent.name);
      const rel = relative(root, full).split(sep).join("/");
      if (options.ignore?.(rel)) continue;
      if (dirent.isDirectory()) subdirs.push(full);
      else pending.push({ full, rel });
    }
    for (const d of subdirs) await walk(d);
  }
  await walk(root);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < pending.length; i = next++) {
      const { full, rel } = pending[i]!;
      let info: import("node:fs").Stats;
      try {
        info = lstatSync(full); // metadata is cached: a sync call beats a thread-pool round trip
      } catch (e) {
        throw fileError(full, e);
      }
      if (info.isDirectory()) {
        const sub = await digestDirectory(full, { ignore: (r) => options.ignore?.(`${rel}/${r}`) ?? false });
        for (const e of sub.entries) entries.push({ ...e, path: `${rel}/${e.path}` });
      } else if (info.isFile()) entries.push({ path: rel, kind: "file", sha256: await sha256File(full, info.size), size: info.size });
      else if (info.isSymbolicLink()) {
        const target = await readlink(full);
        entries.push({ path: rel, kind: "symlink", sha256: sha256Hex(target), size: Buffer.byteLength(target) });
      } else entries.push({ path: rel, kind: "special", sha256: sha256Hex(specialKind(info)), size: 0 });
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, pending.length) }, worker));
  entries.sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
  const manifest = entries.map((e) => `${e.kind} ${e.sha256} ${e.size} ${e.path}\n`).join("");
  return { sha256: sha256Hex(manifest), entries };
}

function specialKind(info: import("node:fs").Stats): string {
  if (info.isFIFO()) return "fifo";
  if (info.isSocket()) return "socket";
  if (info.isBlockDevice()) return "block-device";
  if (info.isCharacterDevice()) return "character-device";
  return "unknown";
}

/** Subject for a file or directory: its name as given and its sha256 (directory digest for folders). */
export async function subjectOf(path: string, name = path, options: { ignore?: (relPath: string) => boolean } = {}): Promise<Subject> {
  let info: import("node:fs").Stats;
  try {
    info = await lstat(path);
  } catch (e) {
    throw fileError(path, e);
  }
  const sha256 = info.isDirectory() ? (await digestDirectory(path, options)).sha256 : await sha256File(path);
  return { name, digest: { sha256 } };
}

/** Turns a Node fs error into a one-line RampartError naming the path. */
export function fileError(path: string, e: unknown): RampartError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") return new RampartError("not-found", `${path}: no such file or directory`, { cause: e });
  if (code === "EACCES" || code === "EPERM") return new RampartError("invalid-input", `${path}: permission denied`, { cause: e });
  if (code === "EISDIR") return new RampartError("invalid-input", `${path}: is a directory`, { cause: e });
  if (code === "ENOTDIR") return new RampartError("invalid-input", `${path}: not a directory`, { cause: e });
  return new RampartError("invalid-input", `${path}: ${(e as Error)?.message ?? String(e)}`, { cause: e });
}
