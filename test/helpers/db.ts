import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import pg from "pg";
import { openStore, type Store } from "../../src/store/index.js";

/** The PostgreSQL server started by test/setup/services.ts (or given by the environment). */
export const postgresUrl = process.env.RAMPART_TEST_DATABASE_URL;

/** A new empty database on the test server, so test files never see each other's rows. */
export async function freshPostgresUrl(): Promise<string> {
  if (!postgresUrl) throw new Error("no PostgreSQL for tests");
  const name = `t_${randomBytes(6).toString("hex")}`;
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export function tempDir(prefix = "rampart-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes `files` (path → text) under a fresh folder and returns it. */
export function writeTree(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

/**
 * The backends every store test runs against. PostgreSQL is skipped only when no server could be
 * started and RAMPART_REQUIRE_SERVICES is not set (CI sets it).
 */
export const STORE_BACKENDS: Array<{ name: string; open: () => Promise<Store>; available: boolean }> = [
  { name: "sqlite", available: true, open: () => openStore({ url: join(tempDir(), "rampart.db") }) },
  { name: "postgres", available: Boolean(postgresUrl) || process.env.RAMPART_REQUIRE_SERVICES === "1", open: async () => openStore({ url: await freshPostgresUrl() }) },
];
