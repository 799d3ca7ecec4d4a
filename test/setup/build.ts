/**
 * Compiles src/ to dist/ once per test run, so CLI tests run the real `rampart` binary as shipped
 * (and start in a fraction of the time a TypeScript loader needs), and the dashboard to dist/web.
 */
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { build } from "vite";

export async function setup(): Promise<void> {
  const root = join(import.meta.dirname, "..", "..");
  const tsc = join(dirname(createRequire(import.meta.url).resolve("typescript/package.json")), "bin", "tsc");
  execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { cwd: root, stdio: "inherit" });
  await build({ configFile: join(root, "web", "vite.config.ts"), logLevel: "warn" });
}
