import { runInProcess } from "../helpers/cli.js";

/** Runs the CLI in-process (quiet) and captures what it prints. */
export async function runCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await runInProcess("--quiet", ...args);
  return { code: r.code, stdout: r.out, stderr: r.err };
}
