import { spawn } from "node:child_process";
import { chmodSync, existsSync, linkSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type * as source from "../../src/ledger/index.js";
import { removeStaleSocketDirs } from "../../src/ledger/socket-dir.js";
import { tempDir } from "../helpers/db.js";

// The compiled build (made by the global setup): the journal's thread starts without a loader.
const DIST = join(import.meta.dirname, "..", "..", "dist", "ledger", "index.js");
const { JournalThread } = (await import(pathToFileURL(DIST).href)) as typeof source;
const ORIGIN = "rampart.local/journal-socket-dir";

// Short temporary directories of their own (socket paths must stay under ~100 bytes), one per test, so
// no other test's or process's socket directories are looked at.
const made: string[] = [];
const shortTmp = () => {
  made.push(tempDir("rjsd-"));
  return made.at(-1)!;
};
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** The pid of a process that has exited (its number is free). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((r) => child.once("exit", r));
  return child.pid!;
}

/** A directory as makeSocketDir names it, for `pid`, with mode 0700. */
function ownedDir(TMP: string, pid: number, suffix: string): string {
  const dir = join(TMP, `rampart-journal-${pid}-${suffix}`);
  mkdirSync(dir, { mode: 0o700 });
  chmodSync(dir, 0o700);
  return dir;
}

/** A Unix socket file nobody listens on any more (what a SIGKILLed listener leaves). */
async function deadSocket(path: string): Promise<void> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(path, r));
  // Closing removes the file; a hard link made first keeps one, as a killed process leaves it.
  linkSync(path, `${path}.keep`);
  await new Promise<void>((r) => server.close(() => r()));
  renameSync(`${path}.keep`, path);
}

describe("stale journal socket directories", () => {
  it("a primary killed with SIGKILL leaves its directory; the next primary's start removes it and keeps its own", async () => {
    const TMP = shortTmp();
    const db = join(tempDir(), "ledger.db");
    const journalDir = join(tempDir(), "journal");
    const script = join(tempDir(), "primary.mjs");
    writeFileSync(
      script,
      `const { JournalThread } = await import(${JSON.stringify(pathToFileURL(DIST).href)});
const j = await JournalThread.open(${JSON.stringify(journalDir)}, { ledger: { url: ${JSON.stringify(db)}, origin: ${JSON.stringify(ORIGIN)} }, socket: true });
console.log(j.socketPath);
setInterval(() => {}, 1000);
`,
    );
    const child = spawn(process.execPath, [script], { env: { ...process.env, TMPDIR: TMP }, stdio: ["ignore", "pipe", "inherit"] });
    const socketPath = await new Promise<string>((resolve, reject) => {
      child.stdout!.once("data", (d) => resolve(String(d).trim()));
      child.once("exit", (code) => reject(new Error(`primary exited ${code}`)));
    });
    const killedDir = dirname(socketPath);
    expect(killedDir.startsWith(TMP)).toBe(true);
    expect(killedDir).toContain(`rampart-journal-${child.pid}-`);
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    expect(readdirSync(killedDir)).toEqual(["s"]);

    const saved = process.env.TMPDIR;
    process.env.TMPDIR = TMP;
    let journal: Awaited<ReturnType<typeof JournalThread.open>> | undefined;
    try {
      journal = await JournalThread.open(join(tempDir(), "journal"), { ledger: { url: join(tempDir(), "ledger.db"), origin: ORIGIN }, socket: true });
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    expect(existsSync(killedDir)).toBe(false);
    const own = dirname(journal.socketPath!);
    expect(own.startsWith(TMP)).toBe(true);
    // Its own directory is live: a clean-up run now (as another primary's start would) keeps it.
    expect(await removeStaleSocketDirs(TMP)).toEqual([]);
    expect(existsSync(journal.socketPath!)).toBe(true);
    await journal.close();
    expect(existsSync(own)).toBe(false);
  }, 60_000);

  it("removes only directories of this naming whose owner is gone and whose socket nobody listens on", async () => {
    const TMP = shortTmp();
    const dead = await deadPid();
    // Removed: a killed primary's directory with its socket file, and one killed before it listened (empty).
    const stale = ownedDir(TMP, dead, "aaaaaa");
    await deadSocket(join(stale, "s"));
    const staleEmpty = ownedDir(TMP, dead, "bbbbbb");

    // Kept, each for one reason:
    // the owner is alive (this test's parent process stands for any live process);
    const alive = ownedDir(TMP, process.ppid, "cccccc");
    await deadSocket(join(alive, "s"));
    // the owner's number is free here but someone listens on the socket (a process in another PID namespace);
    const listened = ownedDir(TMP, dead, "dddddd");
    const server: Server = createServer();
    await new Promise<void>((r) => server.listen(join(listened, "s"), r));
    // something else is in it;
    const foreign = ownedDir(TMP, dead, "eeeeee");
    writeFileSync(join(foreign, "notes.txt"), "not a socket directory");
    // `s` is a plain file, not a socket;
    const plain = ownedDir(TMP, dead, "ffffff");
    writeFileSync(join(plain, "s"), "");
    // readable by others (not made by makeSocketDir);
    const open = ownedDir(TMP, dead, "gggggg");
    chmodSync(open, 0o755);
    // not this naming (no process number, or another prefix);
    const unnamed = join(TMP, "rampart-journal-hhhhhh");
    mkdirSync(unnamed, { mode: 0o700 });
    const other = join(TMP, `rampart-other-${dead}-iiiiii`);
    mkdirSync(other, { mode: 0o700 });
    // a file, not a directory.
    const file = join(TMP, `rampart-journal-${dead}-jjjjjj`);
    writeFileSync(file, "");

    try {
      const removed = await removeStaleSocketDirs(TMP);
      expect(removed.sort()).toEqual([stale, staleEmpty].sort());
      expect(existsSync(stale)).toBe(false);
      expect(existsSync(staleEmpty)).toBe(false);
      for (const kept of [alive, listened, foreign, plain, open, unnamed, other, file]) expect(existsSync(kept), kept).toBe(true);
      expect(existsSync(join(listened, "s"))).toBe(true);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
    // A missing directory is nothing to clean.
    expect(await removeStaleSocketDirs(join(TMP, "missing"))).toEqual([]);
  });

  it("names a primary's socket directory after its process, under the temporary directory", async () => {
    const journal = await JournalThread.open(join(tempDir(), "journal"), { ledger: { url: join(tempDir(), "ledger.db"), origin: ORIGIN }, socket: true });
    try {
      const dir = dirname(journal.socketPath!);
      expect(dirname(dir)).toBe(tmpdir());
      expect(dir).toMatch(new RegExp(`rampart-journal-${process.pid}-[A-Za-z0-9]{6}$`));
    } finally {
      await journal.close();
    }
  });
});
