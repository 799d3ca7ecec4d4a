/**
 * A content-addressed store of model files beside the registry: `<project>/.rampart/artifacts/sha256/<hex>`.
 * The registry holds digests; this holds the bytes behind them, so a server can load exactly the
 * version a release names, and a file can never be swapped under its digest (the name is the digest,
 * the loader checks it again).
 */

import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { chmod, mkdir, rename, rm, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import { fileError, RampartError } from "../core/index.js";
import type { Store } from "../store/index.js";
import { getRelease, listModelVersions, STAGES, type Stage } from "./catalog.js";

/** The artifact folder of a project (next to its embedded database). */
export const artifactDir = (projectDir: string): string => resolve(projectDir, ".rampart", "artifacts");

const pathOf = (dir: string, sha256: string) => join(dir, "sha256", sha256);

/**
 * Copies a file into the store under its digest, hashing while copying (one read). Idempotent: a
 * digest already stored is kept. Stored files are read-only.
 */
export async function storeArtifact(dir: string, file: string): Promise<{ sha256: string; path: string; stored: boolean }> {
  const folder = join(dir, "sha256");
  await mkdir(folder, { recursive: true });
  const tmp = join(folder, `.incoming.${randomBytes(6).toString("hex")}`);
  const hash = createHash("sha256");
  try {
    await pipeline(
      createReadStream(file),
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          hash.update(chunk);
          yield chunk;
        }
      },
      createWriteStream(tmp, { flags: "wx", mode: 0o444 }),
    );
  } catch (e) {
    await rm(tmp, { force: true });
    throw fileError(file, e);
  }
  const sha256 = hash.digest("hex");
  const path = pathOf(dir, sha256);
  if (await exists(path)) {
    await rm(tmp, { force: true });
    return { sha256, path, stored: false };
  }
  await chmod(tmp, 0o444);
  await rename(tmp, path);
  return { sha256, path, stored: true };
}

/** The stored file of a digest; names the digest and the folder when it is not there. */
export async function artifactPath(dir: string, sha256: string): Promise<string> {
  const path = pathOf(dir, sha256);
  if (!(await exists(path))) throw new RampartError("not-found", `model file sha256:${sha256} is not in the artifact store ${dir} (rampart registry model NAME FILE --store)`);
  return path;
}

/** Which registered version to serve: the newest release of the model in a stage, or a version label or digest. */
export interface VersionSelector {
  stage?: Stage;
  label?: string;
  sha256?: string;
}

export interface ResolvedVersion {
  sha256: string;
  label: string | null;
  /** The release that put this version in the stage, when selected by stage. */
  release?: string;
}

/** Resolves a selector against the registry; refuses when nothing (or, for a label, more than one version) matches. */
export async function resolveModelVersion(store: Store, model: string, selector: VersionSelector): Promise<ResolvedVersion> {
  const versions = await listModelVersions(store, model);
  if (versions.length === 0) throw new RampartError("not-found", `model ${model}: no registered versions (rampart registry model)`);
  if (selector.stage) {
    if (!STAGES.includes(selector.stage)) throw new RampartError("usage", `stage "${selector.stage}": one of ${STAGES.join(", ")}`);
    const rows = await store.db
      .selectFrom("releases")
      .select("id")
      .where("model", "=", model)
      .where("stage", "=", selector.stage)
      .orderBy("updated_at", "desc")
      .orderBy("id", "desc")
      .execute();
    const newest = rows[0] && (await getRelease(store, rows[0].id));
    if (!newest) throw new RampartError("not-found", `model ${model}: no release is in stage ${selector.stage}`);
    const v = versions.find((x) => x.sha256 === newest.modelSha256);
    return { sha256: newest.modelSha256, label: v?.label ?? null, release: newest.id };
  }
  const found = versions.filter((v) => (selector.sha256 ? v.sha256 === selector.sha256 : v.label === selector.label));
  const what = selector.sha256 ? `sha256:${selector.sha256}` : `label ${selector.label}`;
  if (found.length === 0) throw new RampartError("not-found", `model ${model}: no registered version with ${what}`);
  if (found.length > 1) throw new RampartError("conflict", `model ${model}: ${found.length} versions carry ${what}; select by sha256`);
  return { sha256: found[0]!.sha256, label: found[0]!.label };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw fileError(path, e);
  }
}
