/**
 * Session 20's held-out set: two small public secrets benchmarks that list how many secrets each file holds.
 *
 * - personio-security/scanner-benchmarks `secrets/*`: 17 fixtures with `Compliant` / `Noncompliant` parts; its
 *   README counts 86 hard-coded secrets by file. Derived from the fixtures of whispers (a seen set), so every
 *   unit copied verbatim from whispers is left out (`--seen`).
 * - hexared/secret-detection-benchmark: 17 files of configuration, keys and code; its README counts 41 secrets by
 *   file (its "total" line says 40).
 *
 * Read from the fetched git directories at the pinned commits below (`git show COMMIT:PATH`); nothing of either is
 * committed. The READMEs give counts per file, not lines, so the lines are written out here (POSITIVES) and the
 * harness checks, for every file, that the secrets on those lines add up to the README's count (a mismatch is
 * printed and said in the docs; see the notes in POSITIVES).
 *
 *   npx tsx bench/eval-secrets-s20.ts PERSONIO_GIT_DIR HEXARED_GIT_DIR [--seen DIR ...] [--list]
 *
 * Unit (eval-secrets-tally.ts, `LineFile`): each file scanned whole under its own base name; a positive block is
 * found when a counted finding (every severity but `info`) lies on one of its lines; every other non-blank line
 * that is not excluded is a negative, a false positive when a counted finding lies on it.
 */
import { spawnSync } from "node:child_process";
import { basename } from "node:path";
import { evaluateLineFiles, type LineFile } from "./eval-secrets-tally.js";

export const PERSONIO_COMMIT = "1f4a9dd63cc4f31c1c69eb8032b5cbbf7c3ad45b";
export const HEXARED_COMMIT = "fb2b7189b2a8f04f9c1e3c1a398eb9ae34e03920";

type Block = number | [number, number];
interface FileLabels {
  /** Positive lines or blocks (1-based, inclusive). */
  positives: Block[];
  /** Lines that are neither positive nor negative. */
  excluded?: number[];
  /** The README's count of secrets in this file. */
  readme: number;
  /** Secrets on the positive lines: by default one per line, or one per `hardcoded` marker on a line. */
  values?: (line: string) => number;
}

/** personio: a value says `hardcoded` (any case) with a number; a line may hold two. */
const markers = (line: string) => Math.max(1, (line.match(/hardcoded/gi) ?? []).length);

/**
 * The positive lines, fixed before any score. personio: every value of a `Noncompliant` part (and the two
 * `.gitlab-ci.yml` variables, the README's 4), commented-out lines included, as the README counts them; sops's
 * `ENC[…HARDCODED…]` sits in the `compliant` part and is a negative. aws.json line 21 (an AWS account number under
 * `noncompliant`) is excluded: an account number is an identifier, not a credential, and Rampart claims no
 * identifier. hexared: where the README's count and the candidate lines differ, one block covers the candidates
 * (keycloak.yml: 1 counted, `CLIENT_SECRET` and `SECRET` both candidates; oauth_token.json: 1 counted, access and
 * refresh token; google-account.json: 1 counted, key id and key), app.properties counts 2 where one password is
 * written (its URL and user lines are excluded), new_infra.tfstate counts 2 where one is written (one unit).
 */
export const PERSONIO: Record<string, FileLabels> = {
  "secrets/.env": { positives: [10, 11, 12, 13], readme: 4, values: markers },
  "secrets/.gitlab-ci.yml": { positives: [3, 4, 15, 16], readme: 4, values: markers },
  "secrets/.npmrc": { positives: [11, 12, 13, 14, 15], readme: 5 },
  "secrets/Dockerfile": { positives: [16, 17, 18], readme: 3, values: markers },
  "secrets/aws.json": { positives: [16, 17, 18], excluded: [21], readme: 4 },
  "secrets/build.gradle": { positives: [22, 29], readme: 2, values: markers },
  "secrets/build.gradle.kts": { positives: [6], readme: 1, values: markers },
  "secrets/code.go": { positives: [2, 19, 20, 21, 22, 23, 24], readme: 9, values: markers },
  "secrets/code.js": { positives: [2, 18, 19, 20, 23, 25, 28, 30, 33, 35], readme: 10, values: markers },
  "secrets/code.php": { positives: [4, 23, 26, 28, 29, 30, 31, 32], readme: 8, values: markers },
  "secrets/code.ts": { positives: [2, 19, 20, 21, 22, 24, 26, 28, 30, 32, 34], readme: 11, values: markers },
  "secrets/nginx.conf": { positives: [16, 17, 18], readme: 3, values: markers },
  "secrets/privatekey.txt": { positives: [[1, 20]], readme: 1 },
  "secrets/script.sh": { positives: [12, 13, 14, 15, 16, 18, 21, 22, 24, 27, 28, 29, 30, 31, 32], readme: 15, values: markers },
  "secrets/sops.yaml": { positives: [7], readme: 1, values: markers },
  "secrets/uri.yml": { positives: [9, 10, 11, 12], readme: 4, values: markers },
  "secrets/variables.tf": { positives: [3], readme: 1, values: markers },
};
export const HEXARED: Record<string, FileLabels> = {
  ".env": { positives: [1, 2, 3], readme: 3 },
  ".ssh/my_sshkey": { positives: [[1, 7]], readme: 1 },
  ".ssh/ssh_prod": { positives: [[1, 7]], readme: 1 },
  "app.json": { positives: [3, 8, 13], readme: 3 },
  "app.properties": { positives: [3], excluded: [1, 2], readme: 2 },
  "appstack/keycloak.yml": { positives: [[16, 20]], readme: 1 },
  "appstack/stack-test.yaml": { positives: [10, 25, 33], readme: 3 },
  "auth/tokens": { positives: [1], readme: 1 },
  "comments.yml": { positives: [], readme: 0 },
  "config.json": { positives: [5, 8, 10, 16, 19, 25, 28], readme: 7 },
  "config.py": { positives: [1, 2], readme: 2 },
  "config2.json": { positives: [5, 8, 15, 18, 24, 27], readme: 6 },
  "google-auth/google-account.json": { positives: [[4, 5]], readme: 1 },
  "google-auth/oauth_token.json": { positives: [[2, 3]], readme: 1 },
  "new_infra.tfstate": { positives: [8], readme: 2 },
  "settings.toml": { positives: [10, 13, 16, 19, 22, 25, 28], readme: 7 },
};

function show(gitDir: string, commit: string, path: string): string {
  const r = spawnSync("git", ["--git-dir", gitDir, "show", `${commit}:${path}`], { encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${gitDir}: cannot read ${commit}:${path}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** The labelled files of one source, with the README check printed per file where it does not add up. */
export function labelledFiles(group: string, labels: Record<string, FileLabels>, read: (path: string) => string): { files: LineFile[]; mismatches: string[] } {
  const files: LineFile[] = [];
  const mismatches: string[] = [];
  for (const [path, l] of Object.entries(labels)) {
    const text = read(path);
    const lines = text.split("\n");
    const blocks = l.positives.map((b): [number, number] => (typeof b === "number" ? [b, b] : b));
    for (const [a, b] of blocks)
      if (b > lines.length || !lines.slice(a - 1, b).some((s) => s.trim())) throw new Error(`${group} ${path}: positive ${a}-${b} is blank or past the end`);
    // personio's excluded line (the account number) is one of its README's secrets; hexared's excluded lines are not.
    const values = blocks.reduce((s, [a, b]) => s + (l.values && a === b ? l.values(lines[a - 1]!) : 1), 0) + (l.excluded?.length && group === "personio" ? l.excluded.length : 0);
    if (values !== l.readme) mismatches.push(`${group} ${path}: ${values} located, README ${l.readme}`);
    files.push({ group: `${group} ${path}`, name: basename(path), text, positives: blocks, excluded: new Set(l.excluded ?? []) });
  }
  return { files, mismatches };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const [personio, hexared] = args;
  if (!personio || !hexared || [personio, hexared].some((a) => a.startsWith("--"))) {
    console.error("usage: npx tsx bench/eval-secrets-s20.ts PERSONIO_GIT_DIR HEXARED_GIT_DIR [--seen DIR ...] [--list]");
    process.exit(2);
  }
  const p = labelledFiles("personio", PERSONIO, (path) => show(personio, PERSONIO_COMMIT, path));
  const h = labelledFiles("hexared", HEXARED, (path) => show(hexared, HEXARED_COMMIT, path));
  for (const m of [...p.mismatches, ...h.mismatches]) console.log(`README count differs: ${m}`);
  await evaluateLineFiles([...p.files, ...h.files], args, "s20", "session-20 held-out set");
}

if (process.argv[1]?.endsWith("eval-secrets-s20.ts"))
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
