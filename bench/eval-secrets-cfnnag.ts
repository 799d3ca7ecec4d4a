/**
 * Session 24 held-out set: the test templates of cfn_nag's password rules (stelligent/cfn_nag, a CloudFormation
 * linter), never scored by a session. Read from the fetched git directory at the pinned commit
 * (`git show COMMIT:PATH`); nothing of it is committed.
 *
 *   npx tsx bench/eval-secrets-cfnnag.ts CFN_NAG_GIT_DIR [--seen DIR ...] [--list]
 *
 * Files and labels come from cfn_nag's own specs. Every `spec/custom_rules/*_spec.rb` that runs the shared password
 * test sets (`password_rule_test_sets` of `spec/password_rule_spec_helper.rb`) names a resource type, a property and
 * an optional sub-property; the helper builds one template path per test description and says whether the rule
 * must pass (no finding) or fail (the resource reported). The harness reads both files and rebuilds the same paths.
 *
 * Units (eval-secrets-tally.ts, `LineFile`), each template scanned whole under its own base name:
 * - a failing template whose property holds a literal ("as a literal in plaintext"): one positive, the line where
 *   the property (or sub-property) is written with its value;
 * - a failing template whose NoEcho parameter has a default ("parameter with NoEcho and Default value"): one
 *   positive, the parameter's `Default:` line;
 * - failing templates holding no written value, left out as no credential Rampart claims (neither label, listed in
 *   the output): "parameter as a literal in plaintext" (a parameter without NoEcho and without a default: the
 *   property line is a `!Ref`) and "from Systems Manager" (a `{{resolve:ssm:…}}` reference); the rule's line is
 *   excluded, every other line of the file is a negative;
 * - the user-name rule (`MasterUsername`) is not read: its subject is no secret, and its templates also write the
 *   password rule's literal, which neither rule's labels score there;
 * - every other non-blank line of every template, and every line of a passing template, is a negative.
 * A template that does not have exactly one such line where the labels need one stops the harness (no guessing).
 * A positive is found when a counted finding (every severity but `info`) lies on its line.
 *
 * Not read: the specs with their own template lists (Alexa client secret and refresh token, DMS endpoint password,
 * Directory Service passwords, Managed Blockchain admin password): their templates hold several resources per file
 * and the labels name resources, so a line mapping would need a CloudFormation parser.
 *
 * Dedupe: a unit whose text is a verbatim copy of a seen corpus (`--seen` trees, `seenCopies`) is left out.
 */
import { spawnSync } from "node:child_process";
import { evaluateLineFiles, type LineFile } from "./eval-secrets-tally.js";

export const CFN_NAG_COMMIT = "8b5f03da74202ba323a145e9d037ddce6cab9dec";
const HELPER = "spec/password_rule_spec_helper.rb";
const SPECS = "spec/custom_rules";
const TEMPLATES = "spec/test_templates";
/** Failing descriptions whose template writes no value: the rule's line is neither label. */
export const NO_VALUE: Record<string, string> = {
  "parameter as a literal in plaintext": "a parameter without NoEcho or default: no value written",
  "from Systems Manager": "a {{resolve:ssm:…}} reference: no value written",
};
/**
 * Specs not read: the user-name rule's subject is no secret, and its templates also write the password rule's
 * literal (`MasterUserPassword: b@dP@$sW0rD`), which neither rule's labels score there.
 */
export const SKIPPED_PROPERTIES = new Set(["MasterUsername"]);

function git(gitDir: string, args: string[]): string {
  const r = spawnSync("git", ["--git-dir", gitDir, ...args], { encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${gitDir}: git ${args.join(" ")}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** cfn_nag's own snake-casing of a property name (a break only between a lowercase and an uppercase letter). */
const snake = (s: string) => s.replace(/(?<=[a-z])(?=[A-Z])/g, "_").toLowerCase();

interface PasswordSpec {
  spec: string;
  resourceType: string;
  property: string;
  subProperty?: string;
  templateType: string;
}

function specAssignment(text: string, name: string, spec: string): string | undefined {
  const m = new RegExp(`^${name} = (?:'([^']*)'|(nil))\\s*$`, "m").exec(text);
  if (!m) throw new Error(`${spec}: no ${name} assignment`);
  return m[2] ? undefined : m[1];
}

/** The template path the helper builds for one spec and one test description. */
function templatePath(s: PasswordSpec, description: string): string {
  const resource = s.resourceType.replace("AWS::", "").replaceAll("::", "_").toLowerCase();
  const parts = [snake(s.property), ...(s.subProperty ? [snake(s.subProperty)] : []), description.replaceAll(" ", "_").toLowerCase()];
  return `${TEMPLATES}/${s.templateType}/${resource}/${resource}_${parts.join("_")}.${s.templateType}`;
}

/** 1-based lines of `lines` matching `re`. */
const linesMatching = (lines: readonly string[], re: RegExp) => lines.flatMap((l, i) => (re.test(l) ? [i + 1] : []));

function one(where: string, found: number[], what: string): number {
  if (found.length !== 1) throw new Error(`${where}: expected exactly one ${what}, found ${found.length}`);
  return found[0]!;
}

export function cfnNagFiles(gitDir: string): { files: LineFile[]; dropped: string[] } {
  const sets = [...git(gitDir, ["show", `${CFN_NAG_COMMIT}:${HELPER}`]).matchAll(/^\s*'([^']+)': '(pass|fail)',?\s*$/gm)];
  const testSets = sets.slice(0, 8).map((m) => ({ description: m[1]!, fail: m[2] === "fail" }));
  if (testSets.length !== 8) throw new Error(`${HELPER}: expected 8 password test sets, found ${testSets.length}`);
  const specNames = git(gitDir, ["ls-tree", "--name-only", CFN_NAG_COMMIT, `${SPECS}/`])
    .split("\n")
    .filter((p) => p.endsWith("_spec.rb"));
  const files: LineFile[] = [];
  const dropped: string[] = [];
  for (const spec of specNames) {
    const text = git(gitDir, ["show", `${CFN_NAG_COMMIT}:${spec}`]);
    if (!/^\s*password_rule_test_sets\.each/m.test(text)) continue;
    const s: PasswordSpec = {
      spec,
      resourceType: specAssignment(text, "resource_type", spec)!,
      property: specAssignment(text, "password_property", spec)!,
      subProperty: specAssignment(text, "sub_property_name", spec),
      templateType: specAssignment(text, "test_template_type", spec)!,
    };
    if (SKIPPED_PROPERTIES.has(s.property)) continue;
    const key = s.subProperty ?? s.property;
    for (const t of testSets) {
      const path = templatePath(s, t.description);
      const name = path.split("/").at(-1)!;
      const body = git(gitDir, ["show", `${CFN_NAG_COMMIT}:${path}`]);
      const lines = body.split("\n");
      const group = t.fail ? `fail: ${t.description}` : "pass templates";
      const f: LineFile = { group, name, text: body, positives: [], excluded: new Set() };
      if (t.fail) {
        // The property written with a value: `Key: value`, `- Key: value`, `"Key": value`.
        const keyLines = linesMatching(lines, new RegExp(`^\\s*(?:-\\s*)?["']?${key}["']?\\s*:\\s*\\S`));
        const isReference = (n: number) => /:\s*(?:!Ref\b|'?\{\{resolve:|\{\s*["']?Ref["']?\s*:)/.test(lines[n - 1]!);
        const defaultLines = linesMatching(lines, /^\s*["']?Default["']?\s*:/);
        const reason = NO_VALUE[t.description];
        if (t.description === "parameter as a literal in plaintext" && defaultLines.length) throw new Error(`${name}: a parameter default where none was expected`);
        if (t.description.includes("Default")) {
          const at = one(name, defaultLines, "Default line");
          f.positives.push([at, at]);
        } else if (reason) {
          // The rule's own line: the references under the key (when a template has two, as DMS's endpoint and
          // MongoDB passwords, both are left out: neither holds a value).
          const own = keyLines.filter(isReference);
          if (!own.length) throw new Error(`${name}: no ${key} reference line`);
          for (const at of own) {
            f.excluded.add(at);
            dropped.push(`${name}:${at}: ${reason}`);
          }
        } else {
          const at = one(
            name,
            keyLines.filter((n) => !isReference(n)),
            `literal ${key} line`,
          );
          f.positives.push([at, at]);
        }
      }
      files.push(f);
    }
  }
  if (!files.length) throw new Error(`${gitDir}: no password rule specs under ${SPECS} at ${CFN_NAG_COMMIT}`);
  return { files, dropped };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const gitDir = args[0];
  if (!gitDir || gitDir.startsWith("--")) {
    console.error("usage: npx tsx bench/eval-secrets-cfnnag.ts CFN_NAG_GIT_DIR [--seen DIR ...] [--list]");
    process.exit(2);
  }
  const { files, dropped } = cfnNagFiles(gitDir);
  console.log(`${dropped.length} failing lines left out as unclaimed:\n  ${dropped.join("\n  ") || "none"}`);
  await evaluateLineFiles(files, args, "cfnnag", "session-24 held-out set (cfn_nag password rules)");
}

if (process.argv[1]?.endsWith("eval-secrets-cfnnag.ts"))
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
