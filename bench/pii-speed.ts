/**
 * PII scanning speed alone (the PII part of `npm run bench -- data`, same corpus and mixes), for
 * checking a recognizer change quickly: MB of UTF-8 text per CPU second, one core.
 *
 *   npx tsx bench/pii-speed.ts [--mix sparse|prose|dense|all]
 */
import { piiSpeedRows } from "./pii-mixes.js";
import { table } from "./util.js";

const args = process.argv.slice(2);
const which = args.includes("--mix") ? args[args.indexOf("--mix") + 1]! : "all";
const rows = piiSpeedRows({ repeats: 5, ...(which === "all" ? {} : { mixes: [which] }) });
table(["entity mix", "unit analysed", "MiB", "wall ms (best of 5)", "CPU ms (best of 5)", "MB/s (CPU)"], rows);
