/**
 * Secrets precision/recall on ripsecrets' test files (sirwart/ripsecrets `test/`), labelled by its own
 * test (`src/lib.rs`): every line of a file in `test/one_per_line/` holds one secret, every file in
 * `test/one_per_file/` holds one secret, and `test/none` holds none (each of its lines is a negative).
 * Read from a checkout at evaluation time; nothing of it is committed.
 *
 *   npx tsx bench/eval-secrets-ripsecrets.ts RIPSECRETS_CHECKOUT [--list]
 *
 * Unit: one line of a one-per-line file or of `none`, or one whole one-per-file file, scanned as its
 * own file. A positive needs at least one Rampart finding printed by default (not info); a negative must give none.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { oneLine, scoreTextCases } from "./eval-secrets-tally.js";

/**
 * Files of kinds Rampart does not claim, left out (fixed, commit of this file, before the first run):
 * `age` (age encryption keys), `intra42` (42 school API secrets), `mailchimp`, `square`.
 */
export const NOT_CLAIMED = new Set(["age", "intra42", "mailchimp", "square"]);

export interface RipCase {
  group: string;
  text: string;
  positive: boolean;
}

export function ripsecretsCases(checkout: string): RipCase[] {
  const out: RipCase[] = [];
  const lines = (f: string) =>
    readFileSync(f, "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "");
  const perLine = join(checkout, "test/one_per_line");
  for (const f of readdirSync(perLine).sort()) if (!NOT_CLAIMED.has(f)) for (const text of lines(join(perLine, f))) out.push({ group: f, text, positive: true });
  const perFile = join(checkout, "test/one_per_file");
  for (const f of readdirSync(perFile).sort()) out.push({ group: `file:${f}`, text: readFileSync(join(perFile, f), "utf8"), positive: true });
  for (const text of lines(join(checkout, "test/none"))) out.push({ group: "none", text, positive: false });
  return out;
}

async function main(): Promise<void> {
  const checkout = process.argv[2];
  if (!checkout) {
    console.error("usage: npx tsx bench/eval-secrets-ripsecrets.ts RIPSECRETS_CHECKOUT [--list]");
    process.exit(2);
  }
  const cases = ripsecretsCases(checkout);
  if (process.argv.includes("--list")) {
    console.log(`${cases.filter((c) => c.positive).length} positive, ${cases.filter((c) => !c.positive).length} negative`);
    return;
  }
  const tally = await scoreTextCases(
    cases.map((c) => ({ ...c, what: `${c.group}: ${oneLine(c.text)}` })),
    "ripsecrets",
  );
  tally.print("ripsecrets test file");
}

if (process.argv[1]?.endsWith("eval-secrets-ripsecrets.ts"))
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
