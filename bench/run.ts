/**
 * `npm run bench [-- NAME…]`: runs every bench/*.bench.ts (or those whose name contains NAME), one
 * after another so they do not disturb each other. Each prints its figures and the command to
 * reproduce them; docs/benchmarks.md records the results.
 */
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => filters.length === 0 || filters.some((n) => f.includes(n)))
  .sort();
if (files.length === 0) {
  console.error(`no benchmark matches ${filters.join(", ")}`);
  process.exit(2);
}
for (const file of files) {
  console.log(`\n## ${file.replace(/\.bench\.ts$/, "")}  (npm run bench -- ${file.replace(/\.bench\.ts$/, "")})`);
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { default: () => Promise<void> };
  await mod.default();
}
