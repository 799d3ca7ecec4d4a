/**
 * Session 32 held-out set: the recorded fixture suites of redact-secret/redact-secret-benchmarks (the benchmark of the
 * Redact Secret scanner), never scored by a session. Each suite is a JSON file `fixtures/generated/<suite>.json` whose
 * `fixtures` list holds one small file each: `path` (a name with its extension: `.env`, `.txt`), `content` (the file's
 * text) and `expected` (the byte spans of the secrets the authors say it holds; an empty list says it holds none).
 * Read from a checkout (or a copy of those files) at the pinned commit; nothing of it is committed.
 *
 *   npx tsx bench/eval-secrets-redactbench.ts DIR [--list] [--dist DIST]
 *
 * (DIR is a folder, read like the other harnesses' git directories: first argument, then options.)
 *
 * DIR holds `fixtures/generated/<suite>.json` for the suites in SUITES. Unit: one fixture, scanned as its own file under
 * the last part of its `path`; positive when `expected` is not empty. A positive is found, a negative reported, when
 * the scan of its file has a counted finding (every severity but `info`). A fixture whose content repeats an earlier
 * one (in SUITES order) with the same label is left out (counted); one that repeats it with the other label stops the
 * run (the labels would contradict each other).
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { gitDirArguments, oneLine, printCountsByFile, scanUnits, Tally } from "./eval-secrets-tally.js";

export const REDACTBENCH_COMMIT = "a51192c264a18cabb86fb915ecc0b9cd81a0d718";

/**
 * The suites scored, fixed before the first run. Left out: `context-edges.json` (one GitHub token under 20 layouts and a
 * 64 kB filler line), the accuracy corpus (another path and commit) and the generator scripts (code, never run).
 */
export const SUITES = ["credential-formats", "negative-controls", "reference-syntax", "sendgrid-regressions", "milestone-6-closed"] as const;

interface Fixture {
  id: string;
  group: string;
  path: string;
  content: string;
  expected: Array<{ start: number; end: number }>;
}

export interface RedactUnit {
  group: string;
  positive: boolean;
  name: string;
  text: string;
  what: string;
}

/** The units of one suite file's text; `file` names it in errors. Bad input throws a one-line error naming the field. */
export function suiteFixtures(text: string, file: string): Fixture[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not JSON (${e instanceof Error ? e.message : e})`);
  }
  const list = (data as { fixtures?: unknown }).fixtures;
  if (!Array.isArray(list)) throw new Error(`${file}: no "fixtures" list`);
  return list.map((f: Partial<Fixture>, i) => {
    for (const k of ["id", "group", "path", "content"] as const) if (typeof f[k] !== "string") throw new Error(`${file}: fixtures[${i}].${k} is not a string`);
    if (!Array.isArray(f.expected)) throw new Error(`${file}: fixtures[${i}].expected is not a list`);
    return f as Fixture;
  });
}

/** The units of every suite, and the counts of fixtures left out as repeats. */
export function redactUnits(suites: ReadonlyArray<{ suite: string; fixtures: readonly Fixture[] }>): { units: RedactUnit[]; repeats: number } {
  const seen = new Map<string, RedactUnit>();
  let repeats = 0;
  for (const { suite, fixtures } of suites)
    for (const f of fixtures) {
      const positive = f.expected.length > 0;
      const earlier = seen.get(f.content);
      if (earlier) {
        if (earlier.positive !== positive) throw new Error(`${suite}: fixture ${f.id} repeats ${earlier.what} with the other label`);
        repeats++;
        continue;
      }
      seen.set(f.content, { group: `${suite}: ${f.group}`, positive, name: basename(f.path), text: f.content, what: `${suite}/${f.id}` });
    }
  return { units: [...seen.values()], repeats };
}

async function main(): Promise<void> {
  const { args, gitDir: dir, dist } = gitDirArguments("npx tsx bench/eval-secrets-redactbench.ts DIR [--list] [--dist DIST]");
  const suites: Array<{ suite: string; fixtures: Fixture[] }> = [];
  for (const suite of SUITES) {
    const file = join(dir, "fixtures", "generated", `${suite}.json`);
    if (!existsSync(file)) {
      console.error(`${file}: missing`);
      process.exit(2);
    }
    try {
      suites.push({ suite, fixtures: suiteFixtures(readFileSync(file, "utf8"), file) });
    } catch (e) {
      console.error(e instanceof Error ? e.message : e);
      process.exit(2);
    }
  }
  const { units, repeats } = redactUnits(suites);
  console.log(`${repeats} fixtures left out: content repeats an earlier fixture`);
  if (args.includes("--list")) {
    printCountsByFile(units.map((u) => ({ file: u.group, positive: u.positive })));
    console.log(`${units.filter((u) => u.positive).length} positive, ${units.filter((u) => !u.positive).length} negative`);
    return;
  }
  const cpu = process.cpuUsage();
  const findings = await scanUnits(units, dist, "redactbench");
  const tally = new Tally();
  for (const [i, u] of units.entries()) tally.add(u.group, u.positive, findings[i]!, `${u.what}: ${oneLine(u.text)}`);
  tally.print(`session-32 held-out set (redact-secret-benchmarks suites)${dist ? `, ${dist}` : ""}`);
  console.log(`${(process.cpuUsage(cpu).user / 1e6).toFixed(1)} s user CPU (scan and tally)`);
}

if (process.argv[1]?.endsWith("eval-secrets-redactbench.ts"))
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
