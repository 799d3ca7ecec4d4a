/**
 * Starts the real servers the tests need, once per `npm test`, on loopback ports:
 * a throw-away PostgreSQL cluster (Debian's postgresql package) and a Redis server (redis-server).
 * Tests read RAMPART_TEST_DATABASE_URL and RAMPART_TEST_REDIS_URL; when one is already set (CI or a
 * developer's own server) that server is used and nothing is started.
 * RAMPART_REQUIRE_SERVICES=1 (set by .ci/run) turns a missing server into a failure instead of a skip.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const stops: Array<() => void> = [];

export async function setup(): Promise<void> {
  if (!process.env.RAMPART_TEST_DATABASE_URL) {
    const url = await startPostgres();
    if (url) process.env.RAMPART_TEST_DATABASE_URL = url;
    else if (process.env.RAMPART_REQUIRE_SERVICES === "1")
      throw new Error("PostgreSQL is required (RAMPART_REQUIRE_SERVICES=1) but initdb was not found; apt-get install postgresql");
  }
  if (!process.env.RAMPART_TEST_REDIS_URL) {
    const url = await startRedis();
    if (url) process.env.RAMPART_TEST_REDIS_URL = url;
    else if (process.env.RAMPART_REQUIRE_SERVICES === "1")
      throw new Error("Redis is required (RAMPART_REQUIRE_SERVICES=1) but redis-server was not found; apt-get install redis-server");
  }
}

async function startRedis(): Promise<string | undefined> {
  const bin = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].find((p) => existsSync(p));
  if (!bin) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "rampart-redis-"));
  const port = await freePort();
  execFileSync(bin, [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--daemonize",
    "yes",
    "--pidfile",
    join(dir, "pid"),
    "--dir",
    dir,
    "--save",
    "",
    "--appendonly",
    "no",
    "--logfile",
    join(dir, "log"),
  ]);
  for (let i = 0; i < 50 && !existsSync(join(dir, "pid")); i++) await new Promise((r) => setTimeout(r, 100));
  stops.push(() => {
    try {
      process.kill(Number(readFileSync(join(dir, "pid"), "utf8").trim()));
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  });
  return `redis://127.0.0.1:${port}`;
}

export async function teardown(): Promise<void> {
  for (const stop of stops.reverse()) stop();
}

function pgBin(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) if (existsSync(join(root, v, "bin", "initdb"))) return join(root, v, "bin");
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

async function startPostgres(): Promise<string | undefined> {
  const bin = pgBin();
  if (!bin) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "rampart-pg-"));
  const asRoot = process.getuid?.() === 0;
  // PostgreSQL refuses to run as root: run it as the postgres user the package creates.
  const run = (cmd: string, args: string[]) =>
    asRoot ? execFileSync("runuser", ["-u", "postgres", "--", cmd, ...args], { stdio: "pipe" }) : execFileSync(cmd, args, { stdio: "pipe" });
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, "data");
  const port = await freePort();
  run(join(bin, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
  run(join(bin, "pg_ctl"), ["-D", data, "-l", join(dir, "log"), "-w", "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`, "start"]);
  stops.push(() => {
    spawnSync(
      asRoot ? "runuser" : join(bin, "pg_ctl"),
      asRoot ? ["-u", "postgres", "--", join(bin, "pg_ctl"), "-D", data, "-m", "immediate", "stop"] : ["-D", data, "-m", "immediate", "stop"],
      { stdio: "ignore" },
    );
    rmSync(dir, { recursive: true, force: true });
  });
  return `postgres://postgres@127.0.0.1:${port}/postgres`;
}
