/**
 * Secrets precision/recall on whispers' fixtures (adeptex/whispers `tests/fixtures/`), labelled by the
 * expected counts in whispers' own test (`tests/unit/core/test_secrets.py`,
 * `test_detect_secrets_by_value`: file, severity filter, number of secrets). Read from a checkout at
 * evaluation time; nothing of whispers is committed.
 *
 *   npx tsx bench/eval-secrets-whispers.ts WHISPERS_CHECKOUT [--list]
 *
 * Unit: one expected secret of one fixture. Rampart scans each selected fixture alone; findings printed
 * by default (every severity but `info`) count. Per positive file with `n` expected secrets and `k` Rampart findings:
 * true positives min(k, n), misses n − min(k, n), false positives max(0, k − n). A negative file
 * (whispers expects 0 at every severity) counts each finding as a false positive. Counts, not
 * positions: whispers' test asserts only how many secrets a file holds (and that each value says
 * "hardcoded" or "private key"), so a finding is matched to an expected secret by number only.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { scanSecrets } from "../src/scan/secrets/index.js";
import { counted } from "./eval-secrets-tally.js";

/**
 * Fixtures whose secrets are kinds Rampart claims (passwords, keys and tokens assigned to names,
 * AWS keys, private key blocks, connection strings and URLs with passwords), fixed before the first
 * run. Left out: `.htpasswd` (password hashes), `.dockercfg` (registry auth blobs), `Groups.xml` (GPP
 * cpassword), `putty.ppk`, `sops.yml` (encrypted values), `jenkins.xml` (counts a password hash),
 * `apikeys-known.yml` (mostly providers Rampart does not claim), `arn.*`, `creditcards.yml`,
 * `webhooks.yml` (Low-only identifiers), `nginx.conf`, `ruleslist.yml`, `severity.yml` and
 * `excluded.*` (tests of whispers' configuration, not of detection), `page.html` (Info only).
 */
export const POSITIVE_FILES = [
  ".aws/credentials",
  ".npmrc",
  ".pypirc",
  "Dockerfile",
  "apikeys.json",
  "apikeys.xml",
  "apikeys.yml",
  "aws.json",
  "aws.xml",
  "aws.yml",
  "beans.xml",
  "beans.xml.dist",
  "beans.xml.template",
  "build.gradle",
  "cloudformation.json",
  "cloudformation.yml",
  "hardcoded.json",
  "hardcoded.xml",
  "hardcoded.yml",
  "integration.conf",
  "integration.json",
  "integration.xml",
  "integration.yml",
  "java.properties",
  "jdbc.xml",
  "passwords.json",
  "passwords.xml",
  "passwords.yml",
  "pip.conf",
  "plaintext.txt",
  "private-pgp-block.txt",
  "privatekey.pem",
  "privatekeys.json",
  "privatekeys.xml",
  "privatekeys.yml",
  "script.sh",
  "settings.cfg",
  "settings.conf",
  "settings.env",
  "settings01.ini",
  "settings02.ini",
  "uri.yml",
];
/** Files whispers expects no secret in at any severity (placeholders, templates, invalid files, look-alikes). */
export const NEGATIVE_FILES = [
  "cloudformation.json.template",
  "custom.json",
  "custom.xml",
  "custom.yml",
  "empty.dockercfg",
  "invalid.yml",
  "invalid.json",
  "invalid.ini",
  "invalid.py",
  "invalid.sh",
  "paths.yml",
  "placeholders.json",
  "placeholders.xml",
  "placeholders.yml",
  "falsepositive/semver.json",
];

/** Expected counts per fixture, read from the parametrised test: the largest count listed for a file (its widest severity filter). */
export function whispersExpected(checkout: string): Map<string, number> {
  const src = readFileSync(join(checkout, "tests/unit/core/test_secrets.py"), "utf8");
  const body = src.slice(src.indexOf("def test_detect_secrets_by_key"), src.indexOf("def test_detect_secrets_by_value"));
  const out = new Map<string, number>();
  for (const m of body.matchAll(/^\s*\("([^"]+)",\s*(?:"[^"]*"|DEFAULT_SEVERITY),\s*(\d+)\),/gm)) out.set(m[1]!, Math.max(out.get(m[1]!) ?? 0, Number(m[2])));
  return out;
}

async function main(): Promise<void> {
  const checkout = process.argv[2];
  if (!checkout || !existsSync(join(checkout, "tests/fixtures"))) {
    console.error("usage: npx tsx bench/eval-secrets-whispers.ts WHISPERS_CHECKOUT [--list]");
    process.exit(2);
  }
  const expected = whispersExpected(checkout);
  const cases = [...POSITIVE_FILES.map((f) => ({ f, n: expected.get(f) })), ...NEGATIVE_FILES.map((f) => ({ f, n: 0 }))];
  for (const c of cases) if (c.n === undefined) throw new Error(`${c.f}: no expected count in whispers' test`);
  if (process.argv.includes("--list")) {
    console.log(`${POSITIVE_FILES.length} positive files, ${cases.reduce((a, c) => a + (c.n ?? 0), 0)} expected secrets; ${NEGATIVE_FILES.length} negative files`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "eval-whispers-"));
  let tp = 0;
  let fn = 0;
  let fp = 0;
  const rows: string[] = [];
  try {
    for (const [i, c] of cases.entries()) {
      // Each fixture alone, under its own name (file names such as `.pypirc` carry meaning).
      const sub = join(dir, String(i));
      const target = join(sub, c.f);
      mkdirSync(dirname(target), { recursive: true });
      cpSync(join(checkout, "tests/fixtures", c.f), target);
      const found = (await scanSecrets(target, { workers: 1 })).findings.filter(counted);
      const n = c.n!;
      const t = Math.min(found.length, n);
      tp += t;
      fn += n - t;
      fp += found.length - t;
      rows.push(`| ${c.f} | ${n} | ${found.length} | ${[...new Set(found.map((f) => `${f.ruleId.replace("secrets.", "")}:${f.location?.line}`))].join(" ")} |`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log("| fixture | expected | Rampart findings (counted) | rule:line |\n|---|---|---|---|");
  for (const r of rows) console.log(r);
  console.log(`\nprecision ${(tp / Math.max(1, tp + fp)).toFixed(3)}, recall ${(tp / Math.max(1, tp + fn)).toFixed(3)} (tp ${tp}, fn ${fn}, fp ${fp})`);
}

if (process.argv[1]?.endsWith("eval-secrets-whispers.ts"))
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
