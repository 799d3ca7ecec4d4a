/**
 * The private directory that holds a cluster primary's journal socket, and the clean-up of the ones a
 * killed primary left behind. A clean close removes its directory; a SIGKILL cannot, so each start
 * removes stale ones — only directories of this naming, owned by this user, holding nothing but the
 * socket, whose owner process is gone and whose socket (if any) nobody listens on. The last check also
 * covers a process of the same number in another PID namespace sharing the temporary directory.
 */

import { lstatSync, mkdtempSync, readdirSync, rmdirSync, unlinkSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PREFIX = "rampart-journal-";
/** `rampart-journal-PID-XXXXXX` (mkdtemp's six characters). */
const OWNED_RE = /^rampart-journal-(\d+)-[A-Za-z0-9]{6}$/;
const SOCKET = "s";

/** A new mode-0700 directory for this process's journal socket; the name carries the process id. */
export function makeSocketDir(): string {
  return mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}-`));
}

/** The path of the socket inside a directory made by makeSocketDir. */
export const socketIn = (dir: string) => join(dir, SOCKET);

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, under another user.
    return (e as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/** True only when connecting is refused: a socket file that no process listens on. */
function nobodyListens(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const conn = connect(path);
    conn.once("connect", () => {
      conn.destroy();
      resolve(false);
    });
    conn.once("error", (e: NodeJS.ErrnoException) => resolve(e.code === "ECONNREFUSED"));
  });
}

/**
 * Removes the socket directories of dead primaries from `dir` (default: the temporary directory) and
 * returns their paths. Best effort: anything it cannot read or that does not match every condition stays.
 */
export async function removeStaleSocketDirs(dir = tmpdir()): Promise<string[]> {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  const uid = process.getuid?.();
  for (const name of names) {
    const m = OWNED_RE.exec(name);
    if (!m || Number(m[1]) === process.pid || processAlive(Number(m[1]))) continue;
    const path = join(dir, name);
    try {
      const st = lstatSync(path);
      if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o777) !== 0o700) continue;
      const entries = readdirSync(path);
      if (entries.some((e) => e !== SOCKET)) continue;
      if (entries.length === 1) {
        const socket = join(path, SOCKET);
        if (!lstatSync(socket).isSocket() || !(await nobodyListens(socket))) continue;
        unlinkSync(socket);
      }
      rmdirSync(path);
      removed.push(path);
    } catch {
      // gone meanwhile, or not ours to remove
    }
  }
  return removed;
}
