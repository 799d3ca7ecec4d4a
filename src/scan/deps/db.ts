import { opendir, readFile, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import type { Transaction } from "kysely";
import yauzl from "yauzl";
import { fileError, oneLine, RampartError } from "../../core/index.js";
import type { Database, Store } from "../../store/index.js";
import { normalizePackageName, OsvAdvisory } from "./osv.js";

/** Largest single advisory we accept (the biggest real OSV records are a few hundred KiB). */
export const MAX_ADVISORY_BYTES = 16 << 20;
const BATCH = 200;

export interface ImportSummary {
  /** Records read from the source. */
  read: number;
  /** New or newer records written. */
  imported: number;
  /** Records skipped because the store already holds the same or a newer `modified`. */
  unchanged: number;
  /** Withdrawn records (removed from the store if present). */
  withdrawn: number;
  /** Advisory count in the store after the import. */
  total: number;
}

interface RawRecord {
  source: string;
  text: string;
}

/**
 * Imports an OSV export (a folder of `*.json` files, or a `.zip` such as OSV's `<ECOSYSTEM>/all.zip`)
 * into the store. All or nothing: any malformed record aborts the import with a message naming the
 * file and field, and the store keeps what it had.
 */
export async function importAdvisories(store: Store, path: string): Promise<ImportSummary> {
  let info: import("node:fs").Stats;
  try {
    info = await stat(path);
  } catch (e) {
    throw fileError(path, e);
  }
  const records = info.isDirectory() ? walkJson(path) : /\.zip$/i.test(path) ? walkZip(path) : single(path);
  const summary: ImportSummary = { read: 0, imported: 0, unchanged: 0, withdrawn: 0, total: 0 };
  await store.exclusive("osv-advisories", async (trx) => {
    let batch: OsvAdvisoryRow[] = [];
    for await (const raw of records) {
      summary.read++;
      const adv = parseRecord(raw);
      if (adv.withdrawn) {
        summary.withdrawn++;
        await trx.deleteFrom("osv_affected_packages").where("advisory_id", "=", adv.id).execute();
        await trx.deleteFrom("osv_advisories").where("id", "=", adv.id).execute();
        continue;
      }
      batch.push({ adv, source: raw.source, text: raw.text });
      if (batch.length >= BATCH) {
        await writeBatch(trx, batch, summary);
        batch = [];
      }
    }
    await writeBatch(trx, batch, summary);
    const row = await trx
      .selectFrom("osv_advisories")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    summary.total = Number(row.n);
  });
  return summary;
}

interface OsvAdvisoryRow {
  adv: OsvAdvisory;
  source: string;
  text: string;
}

function parseRecord(raw: RawRecord): OsvAdvisory {
  let json: unknown;
  try {
    json = JSON.parse(raw.text);
  } catch (e) {
    throw new RampartError("invalid-input", `${raw.source}: not valid JSON (${oneLine((e as Error).message)})`);
  }
  const parsed = OsvAdvisory.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RampartError("invalid-input", `${raw.source}: not an OSV record (${issue.path.join(".") || "root"}: ${issue.message})`);
  }
  return parsed.data;
}

async function writeBatch(trx: Transaction<Database>, batch: OsvAdvisoryRow[], summary: ImportSummary): Promise<void> {
  if (batch.length === 0) return;
  // One id twice in a batch: keep the newer.
  const byId = new Map<string, OsvAdvisoryRow>();
  for (const r of batch) {
    const prev = byId.get(r.adv.id);
    if (!prev || newer(r.adv.modified, prev.adv.modified)) byId.set(r.adv.id, r);
    else summary.unchanged++;
  }
  const ids = [...byId.keys()];
  const existing = await trx.selectFrom("osv_advisories").select(["id", "modified"]).where("id", "in", ids).execute();
  const stored = new Map(existing.map((e) => [e.id, e.modified]));
  const now = new Date().toISOString();
  const fresh: OsvAdvisoryRow[] = [];
  for (const r of byId.values()) {
    const had = stored.get(r.adv.id);
    if (had !== undefined && !newer(r.adv.modified, had)) {
      summary.unchanged++;
      continue;
    }
    fresh.push(r);
  }
  if (fresh.length === 0) return;
  const replaced = fresh.filter((r) => stored.has(r.adv.id)).map((r) => r.adv.id);
  if (replaced.length) {
    await trx.deleteFrom("osv_affected_packages").where("advisory_id", "in", replaced).execute();
    await trx.deleteFrom("osv_advisories").where("id", "in", replaced).execute();
  }
  await trx
    .insertInto("osv_advisories")
    .values(fresh.map((r) => ({ id: r.adv.id, modified: r.adv.modified, record: r.text, source: r.source, imported_at: now })))
    .execute();
  const pkgs = new Map<string, { advisory_id: string; ecosystem: string; name: string }>();
  for (const r of fresh)
    for (const a of r.adv.affected ?? []) {
      if (!a.package) continue;
      const ecosystem = a.package.ecosystem.split(":")[0]!;
      const name = normalizePackageName(ecosystem, a.package.name);
      pkgs.set(`${r.adv.id}\0${ecosystem}\0${name}`, { advisory_id: r.adv.id, ecosystem, name });
    }
  const rows = [...pkgs.values()];
  for (let i = 0; i < rows.length; i += 500)
    await trx
      .insertInto("osv_affected_packages")
      .values(rows.slice(i, i + 500))
      .execute();
  summary.imported += fresh.length;
}

// RFC 3339 timestamps in UTC compare as instants; fall back to text order if one does not parse.
function newer(a: string, b: string): boolean {
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  return Number.isNaN(ta) || Number.isNaN(tb) ? a > b : ta > tb;
}

async function* single(path: string): AsyncGenerator<RawRecord> {
  yield { source: path, text: await readLimited(path) };
}

async function readLimited(path: string): Promise<string> {
  const info = await stat(path);
  if (info.size > MAX_ADVISORY_BYTES) throw new RampartError("limit", `${path}: ${info.size} bytes is larger than an advisory may be (${MAX_ADVISORY_BYTES})`);
  return readFile(path, "utf8");
}

async function* walkJson(root: string): AsyncGenerator<RawRecord> {
  const stack = [root];
  while (stack.length) {
    const dir = stack.pop()!;
    const names: Array<{ name: string; dir: boolean; file: boolean }> = [];
    for await (const d of await opendir(dir)) names.push({ name: d.name, dir: d.isDirectory(), file: d.isFile() });
    // Sorted, so imports (and their first error) are deterministic.
    names.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const n of names.reverse()) if (n.dir) stack.push(join(dir, n.name));
    for (const n of names.reverse()) {
      if (!n.file || !n.name.endsWith(".json")) continue;
      const full = join(dir, n.name);
      yield { source: relative(root, full).split(sep).join("/") || n.name, text: await readLimited(full) };
    }
  }
}

/** Streams the `.json` members of a zip one at a time (never the whole archive in memory). */
async function* walkZip(path: string): AsyncGenerator<RawRecord> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: true, validateEntrySizes: true, strictFileNames: false }, (err, z) =>
      err ? reject(new RampartError("invalid-input", `${path}: not a readable zip (${err.message})`)) : resolve(z!),
    ),
  );
  try {
    while (true) {
      const entry = await new Promise<yauzl.Entry | undefined>((resolve, reject) => {
        const onEntry = (e: yauzl.Entry) => {
          cleanup();
          resolve(e);
        };
        const onEnd = () => {
          cleanup();
          resolve(undefined);
        };
        const onError = (e: Error) => {
          cleanup();
          reject(new RampartError("invalid-input", `${path}: corrupt zip (${e.message})`));
        };
        const cleanup = () => {
          zip.off("entry", onEntry);
          zip.off("end", onEnd);
          zip.off("error", onError);
        };
        zip.on("entry", onEntry);
        zip.on("end", onEnd);
        zip.on("error", onError);
        zip.readEntry();
      });
      if (!entry) return;
      if (entry.fileName.endsWith("/") || !entry.fileName.endsWith(".json")) continue;
      const source = `${path}!${entry.fileName}`;
      if (entry.uncompressedSize > MAX_ADVISORY_BYTES) throw new RampartError("limit", `${source}: ${entry.uncompressedSize} bytes is larger than an advisory may be`);
      const text = await new Promise<string>((resolve, reject) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(new RampartError("invalid-input", `${source}: cannot read (${err?.message})`));
          const chunks: Buffer[] = [];
          let size = 0;
          stream.on("data", (c: Buffer) => {
            size += c.length;
            if (size > MAX_ADVISORY_BYTES) stream.destroy(new Error("entry larger than declared"));
            else chunks.push(c);
          });
          stream.on("error", (e) => reject(new RampartError("invalid-input", `${source}: ${e.message}`)));
          stream.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
        });
      });
      yield { source, text };
    }
  } finally {
    zip.close();
  }
}

/** Where `scan deps` gets advisories: the store, or (tests, benches) anything else with this shape. */
export interface AdvisorySource {
  /** Advisories naming any of `names` (already normalised) in `ecosystem`. */
  lookup(ecosystem: string, names: readonly string[]): Promise<Map<string, OsvAdvisory[]>>;
  count(): Promise<number>;
}

export function storeAdvisories(store: Store): AdvisorySource {
  return {
    async lookup(ecosystem, names) {
      const out = new Map<string, OsvAdvisory[]>();
      const unique = [...new Set(names)];
      for (let i = 0; i < unique.length; i += 500) {
        const rows = await store.db
          .selectFrom("osv_affected_packages as p")
          .innerJoin("osv_advisories as a", "a.id", "p.advisory_id")
          .select(["p.name", "a.record", "a.source"])
          .where("p.ecosystem", "=", ecosystem)
          .where("p.name", "in", unique.slice(i, i + 500))
          .execute();
        for (const r of rows) {
          const list = out.get(r.name) ?? [];
          // Validated when imported; the store is ours, so no second schema pass on the hot path.
          list.push(JSON.parse(r.record) as OsvAdvisory);
          out.set(r.name, list);
        }
      }
      return out;
    },
    async count() {
      const row = await store.db
        .selectFrom("osv_advisories")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}

/** An in-memory source over parsed advisories (benchmarks, tests of matching alone). */
export function memoryAdvisories(list: readonly OsvAdvisory[]): AdvisorySource {
  const index = new Map<string, OsvAdvisory[]>();
  for (const adv of list) {
    if (adv.withdrawn) continue;
    const keys = new Set<string>();
    for (const a of adv.affected ?? []) {
      if (!a.package) continue;
      const eco = a.package.ecosystem.split(":")[0]!;
      keys.add(`${eco}\0${normalizePackageName(eco, a.package.name)}`);
    }
    for (const k of keys) index.set(k, [...(index.get(k) ?? []), adv]);
  }
  return {
    async lookup(ecosystem, names) {
      const out = new Map<string, OsvAdvisory[]>();
      for (const n of names) {
        const hit = index.get(`${ecosystem}\0${n}`);
        if (hit) out.set(n, hit);
      }
      return out;
    },
    async count() {
      return list.length;
    },
  };
}
