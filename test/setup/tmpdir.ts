/**
 * One temporary directory per test run: every test process (and every process a test starts) inherits
 * TMPDIR pointing into it, and the run removes it at the end. Tests make their scratch directories with
 * mkdtemp under os.tmpdir(); without this, the ones a failed or killed test did not clean up stayed in /tmp
 * for good (thousands after a few dozen runs on one machine).
 */
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), "rampart-tests-"));
  // Others may pass through (not list): PostgreSQL runs as its own user with its data directory in here.
  chmodSync(dir, 0o711);
  process.env.TMPDIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
