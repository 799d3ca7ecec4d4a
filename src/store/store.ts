import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, type Migration as KyselyMigration, Migrator, PostgresDialect, SqliteDialect, type Transaction } from "kysely";
import pg from "pg";
import { RampartError } from "../core/errors.js";
import { type Dialect, MIGRATIONS } from "./migrations/index.js";
import type { Database } from "./schema.js";

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** Where the data lives, without credentials: a file path or host/database. */
  readonly location: string;
  /**
   * Runs `fn` in a transaction that holds the named write lock: writers of the same name, in this
   * process or any other, run one after another (how the ledger appends without forking).
   */
  exclusive<T>(lockName: string, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  /**
   * The better-sqlite3 handle behind `db` (SQLite only), for hot paths that run prepared statements
   * inside an `exclusive()` transaction (same connection, so the same transaction).
   */
  readonly sqlite?: SQLite.Database;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** `postgres://…` or a SQLite path; defaults to RAMPART_DATABASE_URL, then `<projectDir>/.rampart/rampart.db`. */
  url?: string;
  projectDir?: string;
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  env?: NodeJS.ProcessEnv;
}

// int8 (bigserial ids, counters) as JS numbers: our ids stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  const env = options.env ?? process.env;
  const url = options.url ?? env.RAMPART_DATABASE_URL ?? join(options.projectDir ?? ".", ".rampart", "rampart.db");
  const store = /^postgres(ql)?:\/\//.test(url) ? await openPostgres(url) : openSqlite(url.replace(/^sqlite:(\/\/)?/, ""));
  if (options.migrate !== false) {
    try {
      await migrate(store);
    } catch (e) {
      await store.close();
      throw e;
    }
  }
  return store;
}

function openSqlite(path: string): Store {
  let database: SQLite.Database;
  try {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    database = new SQLite(path, { timeout: 30_000 });
    database.pragma("journal_mode = WAL");
    database.pragma("synchronous = NORMAL");
    database.pragma("foreign_keys = ON");
  } catch (e) {
    throw new RampartError("unavailable", `${path}: cannot open the SQLite store (${(e as Error).message})`);
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  return {
    db,
    dialect: "sqlite",
    location: path,
    sqlite: database,
    // The first statement is a write, so SQLite takes its write lock at once (waiting on busy_timeout)
    // instead of failing later when a read transaction tries to upgrade.
    exclusive: (name, fn) =>
      db.transaction().execute(async (trx) => {
        await takeLock(trx, name);
        return fn(trx);
      }),
    close: () => db.destroy(),
  };
}

async function openPostgres(url: string): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 10_000 });
  const location = redact(url);
  try {
    const client = await pool.connect();
    client.release();
  } catch (e) {
    await pool.end().catch(() => {});
    throw new RampartError("unavailable", `${location}: cannot connect to PostgreSQL (${(e as Error).message})`);
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: "postgres",
    location,
    // Upserting the lock row holds its row lock until commit: same-named writers queue behind it.
    exclusive: (name, fn) =>
      db.transaction().execute(async (trx) => {
        await takeLock(trx, name);
        return fn(trx);
      }),
    close: () => db.destroy(),
  };
}

async function takeLock(trx: Transaction<Database>, name: string): Promise<void> {
  await trx
    .insertInto("store_locks")
    .values({ name, counter: 1 })
    .onConflict((oc) => oc.column("name").doUpdateSet((eb) => ({ counter: eb("store_locks.counter", "+", 1) })))
    .execute();
}

async function migrate(store: Store): Promise<void> {
  const migrations: Record<string, KyselyMigration> = {};
  for (const m of MIGRATIONS) migrations[m.name] = { up: (db) => m.up(db, store.dialect) };
  const migrator = new Migrator({
    db: store.db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: "rampart_migrations",
    migrationLockTableName: "rampart_migrations_lock",
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "?";
    throw new RampartError("unavailable", `${store.location}: migration ${failed} failed (${(error as Error).message ?? error})`);
  }
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    return `postgres://${u.hostname}${u.port ? `:${u.port}` : ""}${u.pathname}`;
  } catch {
    return "postgres://(unparseable url)";
  }
}
