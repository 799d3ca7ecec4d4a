/**
 * Secrets precision/recall on two more code analysers' own tests for hard-coded credentials (session 16):
 *
 * - SonarSource sonar-dotnet: the C# and VB.NET sample files of S2068 (hard-coded credentials) and
 *   S6418 (hard-coded secrets) that the rule tests verify with the **default** configuration, and the
 *   default-configuration settings files (`appsettings.json`, `launchSettings.json`, `Web.config`) the
 *   same tests read. `Noncompliant` comments (`//`, `'`, `/* … *\/`, `<!-- … -->`) mark the expected issues.
 * - SonarSource SonarJS: the ESLint rule-tester cases of S2068 (`unit.test.ts`) run with the default
 *   password words; `valid` cases must give no issue, `invalid` cases at least one.
 *
 * Read from checkouts at evaluation time (never built or run); nothing of them is committed.
 *
 *   npx tsx bench/eval-secrets-dotnet.ts SONAR_DOTNET SONARJS [--seen DIR ...] [--list]
 *
 * Units (fixed before the first run, docs/code-secrets.md "session 16"):
 * - sonar-dotnet: per line, as for sonar-java and sonar-php (eval-secrets-analyzers.ts). A marked line is
 *   a positive; every other non-blank line a negative, except annotation-only lines (a comment holding only
 *   `Noncompliant@±N` or `^^^^` location marks). Each file is scanned whole under its own name.
 * - SonarJS: per case, scanned alone as `case.js`; an `invalid` case is one positive block over its lines,
 *   a `valid` case has every non-blank line as a negative. Cases with their own `options: [...]`
 *   (non-default password words) are left out and counted.
 * - hit: a positive is found when Rampart prints a counted finding (every severity except `info`) on one
 *   of its lines; a negative line is a false positive when a counted finding lies on it.
 * - units whose text occurs verbatim in a seen corpus (`--seen` trees) are left out and counted.
 */
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { evaluateLineFiles, type LineFile } from "./eval-secrets-tally.js";

const CASES = "analyzers/tests/SonarAnalyzer.Test/TestCases";

/**
 * sonar-dotnet files verified with the default configuration (DoNotHardcodeCredentialsTest.cs,
 * DoNotHardcodeSecretsTest.cs). Left out: `*.CustomValues.*` and `*.Custom.*` (non-default credential
 * words), `DoNotHardcodeCredentials.SecureString.*` (characters appended one by one to a SecureString:
 * data flow into an API, not a kind Rampart claims), the `Corrupt/` and `UnexpectedContent/` settings files
 * (parser robustness tests).
 */
export const DOTNET_FILES = [
  "DoNotHardcodeCredentials.DefaultValues.cs",
  "DoNotHardcodeCredentials.DefaultValues.Latest.cs",
  "DoNotHardcodeCredentials.DefaultValues.vb",
  "DoNotHardcodeSecrets.cs",
  "DoNotHardcodeSecrets.Latest.cs",
  "DoNotHardcodeSecrets.vb",
  "AppSettings/DoNotHardcodeCredentials/Valid/AppSettings.Development.json",
  "AppSettings/DoNotHardcodeCredentials/Valid/AppSettings.Latest.json",
  "AppSettings/DoNotHardcodeCredentials/Valid/AppSettings.Production.json",
  "AppSettings/DoNotHardcodeCredentials/Valid/AppSettings.Test.json",
  "AppSettings/DoNotHardcodeCredentials/Valid/AppSettings.json",
  "AppSettings/DoNotHardcodeCredentials/Valid/OtherFile.json",
  "AppSettings/DoNotHardcodeSecrets/Valid/AppSettings.Development.json",
  "AppSettings/DoNotHardcodeSecrets/Valid/AppSettings.Fastest.json",
  "AppSettings/DoNotHardcodeSecrets/Valid/AppSettings.Production.json",
  "AppSettings/DoNotHardcodeSecrets/Valid/AppSettings.Testing.json",
  "AppSettings/DoNotHardcodeSecrets/Valid/AppSettings.json",
  "AppSettings/DoNotHardcodeSecrets/Valid/OtherFile.json",
  "LaunchSettings/DoNotHardcodeCredentials/Valid/launchSettings.json",
  "LaunchSettings/DoNotHardcodeSecrets/Valid/launchSettings.json",
  "WebConfig/DoNotHardcodeCredentials/Valid/Web.Debug.config",
  "WebConfig/DoNotHardcodeCredentials/Valid/Web.FateStart.config",
  "WebConfig/DoNotHardcodeCredentials/Valid/Web.Release.config",
  "WebConfig/DoNotHardcodeCredentials/Valid/Web.Testing.config",
  "WebConfig/DoNotHardcodeCredentials/Valid/Web.config",
  "WebConfig/DoNotHardcodeSecrets/Valid/Web.Debug.config",
  "WebConfig/DoNotHardcodeSecrets/Valid/Web.Latest.config",
  "WebConfig/DoNotHardcodeSecrets/Valid/Web.Release.config",
  "WebConfig/DoNotHardcodeSecrets/Valid/Web.Test.config",
  "WebConfig/DoNotHardcodeSecrets/Valid/Web.config",
];
export const SONARJS_FILE = "packages/analysis/src/jsts/rules/S2068/unit.test.ts";

/** An expected-issue comment in any of the four comment styles; `@+N`/`@-N` moves it N lines. */
const NONCOMPLIANT = /(?:\/\/|'|\/\*|<!--)\s*Noncompliant(?:@([+-]?)(\d+))?/i;
/** A line that is only an annotation: a comment opening with `Noncompliant@…` or `^` location marks. */
const ANNOTATION_ONLY = /^\s*(?:\/\/|'|\/\*|<!--)\s*(?:Noncompliant@|\^|Secondary)/i;

/** A sonar-dotnet sample file labelled by its `Noncompliant` comments. */
export function dotnetFile(path: string, text: string): LineFile {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const marked = new Set<number>();
  const excluded = new Set<number>();
  lines.forEach((l, i) => {
    const m = NONCOMPLIANT.exec(l);
    if (m) marked.add(!m[2] ? i + 1 : m[1] === "-" ? i + 1 - Number(m[2]) : i + 1 + Number(m[2]));
    if (ANNOTATION_ONLY.test(l)) excluded.add(i + 1);
  });
  for (const n of marked) excluded.delete(n);
  const group = path.includes("/") ? `sonar-dotnet ${path.split("/")[0]}` : `sonar-dotnet ${path.endsWith(".vb") ? "VB" : "C#"}`;
  return { group, name: basename(path), text: lines.join("\n"), positives: [...marked].sort((a, b) => a - b).map((n): [number, number] => [n, n]), excluded };
}

/** Reads one JS string literal (`'…'`, `"…"` or a template without substitutions) starting at `at`. */
function jsLiteral(src: string, at: number): { value: string; end: number } | undefined {
  const q = src[at];
  if (q !== "'" && q !== '"' && q !== "`") return undefined;
  let value = "";
  for (let i = at + 1; i < src.length; i++) {
    const c = src[i]!;
    if (c === "\\") {
      const n = src[i + 1]!;
      value += n === "n" ? "\n" : n === "t" ? "\t" : n;
      i++;
    } else if (c === q) return { value, end: i + 1 };
    else if (q === "`" && c === "$" && src[i + 1] === "{")
      return undefined; // a real substitution: not a literal
    else value += c;
  }
  return undefined;
}

/** SonarJS rule-tester cases: `{ code: <literal>, options, errors? }` in the `valid` or `invalid` list. */
export function sonarjsCases(src: string): { cases: Array<{ code: string; positive: boolean }>; custom: number; nonLiteral: number } {
  const invalidAt = src.indexOf("invalid: [");
  if (invalidAt < 0 || src.indexOf("valid: [") < 0) throw new Error(`${SONARJS_FILE}: no valid/invalid lists`);
  const out: Array<{ code: string; positive: boolean }> = [];
  let custom = 0;
  let nonLiteral = 0;
  for (const m of src.matchAll(/\bcode:\s*/g)) {
    const at = m.index + m[0].length;
    const lit = jsLiteral(src, at);
    if (!lit) {
      nonLiteral++;
      continue;
    }
    // The rest of the case object: up to the next `code:` (the case's own fields come first).
    const next = src.indexOf("code:", lit.end);
    const rest = src.slice(lit.end, next < 0 ? src.length : next);
    if (/^\s*,\s*options\s*:/.test(rest)) {
      custom++;
      continue;
    }
    out.push({ code: lit.value, positive: at > invalidAt });
  }
  return { cases: out, custom, nonLiteral };
}

/** SonarJS cases as labelled files, one per case, scanned as `case.js`. */
export function sonarjsFiles(src: string): { files: LineFile[]; custom: number; nonLiteral: number } {
  const { cases, custom, nonLiteral } = sonarjsCases(src);
  const seen = new Set<string>();
  const files: LineFile[] = [];
  for (const c of cases) {
    const key = `${c.positive}\u0000${c.code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const text = c.code.trim();
    files.push({
      group: `SonarJS S2068 ${c.positive ? "invalid" : "valid"}`,
      name: "case.js",
      text,
      positives: c.positive ? [[1, text.split("\n").length]] : [],
      excluded: new Set(),
    });
  }
  return { files, custom, nonLiteral };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const [dotnet, sonarjs] = args;
  if (!dotnet || !sonarjs || [dotnet, sonarjs].some((a) => a.startsWith("--"))) {
    console.error("usage: npx tsx bench/eval-secrets-dotnet.ts SONAR_DOTNET SONARJS [--seen DIR ...] [--list]");
    process.exit(2);
  }
  const js = sonarjsFiles(readFileSync(join(sonarjs, SONARJS_FILE), "utf8"));
  console.log(`SonarJS: ${js.custom} cases with their own options and ${js.nonLiteral} non-literal cases left out`);
  const files: LineFile[] = [...DOTNET_FILES.map((p) => dotnetFile(p, readFileSync(join(dotnet, CASES, p), "utf8"))), ...js.files];
  await evaluateLineFiles(files, args, "dotnet", "sonar-dotnet and SonarJS credential rule tests");
}

if (process.argv[1]?.endsWith("eval-secrets-dotnet.ts"))
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
