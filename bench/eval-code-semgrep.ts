/**
 * Precision/recall of `rampart scan code` (and Bandit, when installed) on the Python test files of
 * semgrep-rules, labelled by their authors: `# ruleid: RULE` marks a vulnerable line, `# ok: RULE` a
 * safe one (also `todoruleid`/`deepruleid` = vulnerable, `todook`/`deepok` = safe).
 *
 *   npx tsx bench/eval-code-semgrep.ts <semgrep-rules checkout> [--bandit | --list]
 *   npx tsx bench/eval-code-semgrep.ts <trailofbits/semgrep-rules checkout> --set trailofbits [--bandit | --list]
 *   npx tsx bench/eval-code-semgrep.ts <agentic-semgrep-rules checkout> --set agentic [--bandit | --list]
 *   npx tsx bench/eval-code-semgrep.ts <DataDog/guarddog checkout> --set guarddog [--bandit | --list] [--constant-uses]
 *   npx tsx bench/eval-code-semgrep.ts <DataDog/guarddog checkout> --set guarddog-sinks [--bandit | --list] [--constant-uses]
 *
 * Two sets: semgrep/semgrep-rules (general Python security rules) and trailofbits/semgrep-rules (ML
 * rules: pickles in numpy/pandas/PyTorch/Keras/TensorFlow, joblib, tarfile, pandas eval). Each has its
 * own mapping below.
 *
 * Nothing of semgrep-rules is committed; the checkout is read at evaluation time. The mapping from
 * semgrep rule ids to Rampart's categories below was written before Rampart was run on these files
 * and is not to be changed after looking at scores.
 *
 * Scoring, per (file, line, category):
 * - a line is vulnerable for a category when any mapped rule of that category has a `ruleid`-style
 *   annotation for it; it is safe when it carries only `ok`-style annotations of that category;
 * - a finding (severity ≥ medium) on a vulnerable line of its category is a true positive; on a safe
 *   line of its category a false positive; findings on lines without an annotation of their category
 *   are not scored (semgrep's test files annotate what their rule is about, not every line) and are
 *   only counted in a separate column;
 * - a finding spanning several lines matches a label on any of them (a call written over lines).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { BANDIT, type Category, type CategoryTally, type Hit, RAMPART, rampartHits, scoreRampartAndBandit, tallyLines, tallyOf } from "./eval-code-categories.js";

/** semgrep rule id (last dotted part) → Rampart category. Rules not listed are not counted. */
const MAPPED: Record<string, Category> = {
  // Unsafe deserialisation (CWE-502).
  "avoid-pickle": "deser",
  "avoid-cPickle": "deser",
  "avoid-dill": "deser",
  "avoid-shelve": "deser",
  "avoid-jsonpickle": "deser",
  "avoid-pyyaml-load": "deser",
  "avoid-unsafe-ruamel": "deser",
  "marshal-usage": "deser",
  "insecure-deserialization": "deser",
  "avoid-insecure-deserialization": "deser",
  "tainted-pickle-deserialization": "deser",
  // eval / exec / compile on data (CWE-95).
  "eval-detected": "exec",
  "exec-detected": "exec",
  "eval-injection": "exec",
  "exec-injection": "exec",
  "user-eval": "exec",
  "user-exec": "exec",
  "user-eval-format-string": "exec",
  "user-exec-format-string": "exec",
  "tainted-code-exec": "exec",
  // A command string run by a shell (CWE-78).
  "dangerous-system-call": "shell",
  "dangerous-system-call-audit": "shell",
  "dangerous-system-call-tainted-env-args": "shell",
  "dangerous-subprocess-use": "shell",
  "dangerous-subprocess-use-audit": "shell",
  "dangerous-subprocess-use-tainted-env-args": "shell",
  "dangerous-asyncio-shell": "shell",
  "dangerous-asyncio-shell-audit": "shell",
  "dangerous-asyncio-shell-tainted-env-args": "shell",
  "subprocess-shell-true": "shell",
  "command-injection-os-system": "shell",
  "subprocess-injection": "shell",
  "os-system-injection": "shell",
  "system-wildcard-detected": "shell",
  "string-concat": "shell", // the `sh` library
  "formatted-string-bashoperator": "shell", // Airflow BashOperator
  "paramiko-exec-command": "shell",
  // Certificate verification disabled (CWE-295).
  "disabled-cert-validation": "tls",
  "unverified-ssl-context": "tls",
  // Hard-coded credentials (CWE-798/522).
  "hardcoded-token": "cred",
  "jwt-python-hardcoded-secret": "cred",
  avoid_hardcoded_config_SECRET_KEY: "cred",
  "hardcoded-password-default-argument": "cred",
  // Debug servers and public binds (CWE-489/668/200).
  "debug-enabled": "debug",
  avoid_hardcoded_config_DEBUG: "debug",
  avoid_app_run_with_bad_host: "debug",
  "avoid-bind-to-all-interfaces": "debug",
  // SQL built from strings (CWE-89).
  "aiopg-sqli": "sql",
  "asyncpg-sqli": "sql",
  "pg8000-sqli": "sql",
  "psycopg-sqli": "sql",
  "mysql-sqli": "sql",
  "pymssql-sqli": "sql",
  "pymysql-sqli": "sql",
  "sqlalchemy-sqli": "sql",
  "tainted-sql-string": "sql",
  "formatted-sql-query": "sql",
  "sqlalchemy-execute-raw-query": "sql",
  "sql-injection-db-cursor-execute": "sql",
  "sql-injection-using-raw": "sql",
  "sql-injection-using-rawsql": "sql",
  "sql-injection-using-extra-where": "sql",
  "avoid-sqlalchemy-text": "sql",
  "sqlalchemy-sql-injection": "sql",
  "pyramid-sqlalchemy-sql-injection": "sql",
  "custom-expression-as-sql": "sql",
  "avoid-raw-sql": "sql",
  "avoid-query-set-extra": "sql",
};
/**
 * trailofbits/semgrep-rules python/ (mapping written before Rampart was run on it). Not mapped:
 * native-library loading (numpy/torch/tensorflow load_library, ONNX custom ops: not one of Rampart's
 * categories), numpy.f2py compile (Fortran), lxml in pandas (XXE), and performance/correctness rules
 * (memory pinning, numpy RNG in datasets, torch.Tensor(), distributed waits, numpy.distutils).
 */
const MAPPED_TRAILOFBITS: Record<string, Category> = {
  "msgpack-numpy": "deser",
  "pickles-in-numpy": "deser",
  "pickles-in-pandas": "deser",
  "pickles-in-pytorch": "deser",
  "pickles-in-pytorch-distributed": "deser",
  "pickles-in-keras": "deser",
  "pickles-in-keras-deprecation": "deser",
  "pickles-in-tensorflow": "deser",
  "pytorch-package": "deser",
  "scikit-joblib-load": "deser",
  "pandas-eval": "exec",
  "tarfile-extractall-traversal": "archive",
};
/**
 * basitalisandhu/agentic-semgrep-rules tests/python (LLM and agent code; mapping written from the rule
 * names before any file was read). Not mapped: LLM output to file paths/HTML/HTTP requests, agent
 * tool parameters to file paths, langchain dangerous requests/tools, prompt injection, API keys on
 * the command line or in logs, MCP HTTP transport without auth.
 */
const MAPPED_AGENTIC: Record<string, Category> = {
  "llm-output-to-exec-eval": "exec",
  "llm-output-to-os-system": "shell",
  "llm-output-to-subprocess": "shell",
  "agent-tool-param-to-shell": "shell",
  "langchain-allow-dangerous-deserialization": "deser",
  "pickle-load-model-file": "deser",
  "torch-load-without-weights-only": "deser",
  "yaml-unsafe-load": "deser",
  "transformers-trust-remote-code": "exec",
  "langchain-allow-dangerous-code": "exec",
  "llm-output-to-sql": "sql",
  "fastmcp-bind-all-interfaces": "debug",
  "hardcoded-llm-api-key": "cred",
};
/**
 * DataDog/guarddog tests/analyzer/sourcecode (session 19; a malicious-package scanner's semgrep rule tests,
 * mapping written from the rule names and the test files' annotation counts before any code was read): its
 * rules that flag a shell command or an eval/exec. Not mapped: download-executable (a file written then run:
 * no category), cmd-overwrite (setup.py `cmdclass`), exfiltrate-sensitive-data, shady-links, obfuscation,
 * api-obfuscation, steganography, dll-hijacking, clipboard, screenshot, unicode, bidirectional characters.
 */
const MAPPED_GUARDDOG: Record<string, Category> = {
  "code-execution": "shell",
  "silent-process-execution": "shell",
  "exec-base64": "exec",
};
let mapped: Record<string, Category> = MAPPED;

/**
 * Session 20, the corrected guarddog mapping (`--set guarddog-sinks`; session 19's `guarddog` mapping is kept as it
 * was declared): guarddog's `code-execution` rule flags both commands and evaluated code, so each of its lines takes
 * the family of the sink its statement calls — `eval`/`exec`/`compile` (also reached through `vars(__builtins__)[…]`,
 * `__import__("builtins").exec`, or an escaped name such as `globals()["\x65\x76\x61\x6c"]`) → exec, anything
 * else (subprocess, os.system/popen, spawn) → shell. The statement is the labelled line and the lines after it up
 * to the next blank line.
 */
function sinkFamily(statement: string): Category {
  const head = statement
    .trimStart()
    .replace(/^(?:if|while|return|not)\s+/, "")
    .replace(/^\(\s*/, "")
    .replace(/^[\w.]+(?:\s*,\s*[\w.]+)*\s*=(?!=)\s*/, "");
  if (/^(?:[\w.]*\.)?(?:eval|exec|compile)\s*\(/.test(head)) return "exec";
  if (/^vars\(/.test(head) || /^__import__\(\s*["']builtins["']\s*\)\s*\.\s*(?:eval|exec|compile)\b/.test(head)) return "exec";
  if (/\\x65\\x76\\x61\\x6c|\\x65\\x78\\x65\\x63/.test(statement)) return "exec"; // "eval" / "exec" written in hex escapes
  return "shell";
}
let refine: ((id: string, statement: string) => Category | undefined) | undefined;

/*
 * Deliberately NOT mapped (decided with the list above, before any run):
 * - os.exec…, os.spawn…, asyncio create_subprocess_exec rules: an argv run without a shell, not shell injection;
 * - code.InteractiveConsole, _xxsubinterpreters.run_string, _testcapi, globals()[…], logging.config.listen,
 *   non-literal imports: code execution through APIs other than eval/exec/compile;
 * - weak-ssl-version, no-set-ciphers, ssl-wrap-socket-is-deprecated, httpsconnection-detected,
 *   paramiko-implicit-trust-host-key: protocol/API advice, verification is not disabled;
 * - password-empty-string, use-none-for-password-default, unvalidated-password, md5-used-as-password,
 *   hashids-with-*-secret, jwt-python-exposed-credentials, python-logger-credential-disclosure: password
 *   policy or disclosure, not a credential literal in the source;
 * - avoid_hardcoded_config_TESTING/ENV, avoid_using_app_run_directly, python-debugger-found: not a
 *   reachable debug server; python-reverse-shell: a malware pattern; NoSQL (dynamodb, mongo) rules.
 */

// Bandit test ids mapped to the same categories (B601 paramiko, B610/B611 Django extra/RawSQL added
// because those semgrep rules are counted).
// Bandit's ids plus B601 (paramiko) and B610/B611 (Django extra/RawSQL), because those semgrep rules are counted.

interface Labels {
  /** "file:line:category" → vulnerable (true) or safe (false). */
  lines: Map<string, boolean>;
  /** The semgrep rule ids behind each vulnerable key, for the list of misses. */
  rules: Map<string, Set<string>>;
}

const ANNOTATION = /#\s*(ruleid|ok|todoruleid|todook|deepruleid|deepok)\s*:\s*([\w.,\s-]+?)\s*$/;

/** Reads the annotations of one file: a comment alone on its line labels the next code line. */
function readAnnotations(file: string, text: string, labels: Labels): number {
  const lines = text.split(/\r?\n/);
  let pending: Array<{ kind: string; ids: string[] }> = [];
  let n = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const m = ANNOTATION.exec(raw);
    const alone = raw.trim().startsWith("#");
    if (m && alone) {
      pending.push({ kind: m[1]!, ids: m[2]!.split(",").map((s) => s.trim()) });
      continue;
    }
    if (alone || raw.trim() === "") continue; // other comments and blank lines keep the pending labels
    const here = [...pending, ...(m ? [{ kind: m[1]!, ids: m[2]!.split(",").map((s) => s.trim()) }] : [])];
    pending = [];
    for (const a of here) {
      for (const full of a.ids) {
        const id = full.split(".").pop() ?? full;
        let category = mapped[id];
        if (!category) continue;
        if (refine) {
          const end = lines.findIndex((l, j) => j > i && l.trim() === "");
          category = refine(id, lines.slice(i, end < 0 ? lines.length : end).join("\n")) ?? category;
        }
        const key = `${file}:${i + 1}:${category}`;
        const vulnerable = a.kind === "ruleid" || a.kind === "todoruleid" || a.kind === "deepruleid";
        if (vulnerable) {
          labels.lines.set(key, true);
          labels.rules.set(key, new Set([...(labels.rules.get(key) ?? []), id]));
        } else if (!labels.lines.has(key)) labels.lines.set(key, false);
        n++;
      }
    }
  }
  return n;
}

function* pythonFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* pythonFiles(p);
    else if (name.endsWith(".py") && !name.endsWith(".fixed.py")) yield p;
  }
}

function score(name: string, hits: Hit[], labels: Labels): string[] {
  const found = new Set<string>();
  const fps: string[] = [];
  let unscored = 0;
  for (const h of hits) {
    let verdict: "tp" | "fp" | "none" = "none";
    for (let l = h.line; l <= h.endLine && verdict !== "tp"; l++) {
      const key = `${h.file}:${l}:${h.category}`;
      const v = labels.lines.get(key);
      if (v === true) {
        found.add(key);
        verdict = "tp";
      } else if (v === false && verdict === "none") verdict = "fp";
    }
    if (verdict === "fp") fps.push(`${h.file}:${h.line} ${h.id}`);
    else if (verdict === "none") unscored++;
  }
  const wanted = [...labels.lines].filter(([, v]) => v).map(([k]) => k);
  const safe = [...labels.lines].filter(([, v]) => !v).length;
  const tp = found.size;
  const precision = tp + fps.length ? tp / (tp + fps.length) : 1;
  const recall = wanted.length ? tp / wanted.length : 1;
  const byCat = new Map<string, CategoryTally>();
  const cat = (c: string) => tallyOf(byCat, c);
  for (const [k, v] of labels.lines) {
    const c = cat(k.split(":").pop()!);
    if (v) {
      c.n++;
      if (found.has(k)) c.tp++;
    } else c.neg++;
  }
  for (const f of fps) {
    const id = f.split(" ")[1]!;
    cat((RAMPART[id] ?? BANDIT[id])!).fp++;
  }
  const missed = wanted.filter((k) => !found.has(k)).map((k) => `${k} (${[...(labels.rules.get(k) ?? [])].join(",")})`);
  return [`| ${name} | ${wanted.length} | ${safe} | ${tp} | ${fps.length} | ${precision.toFixed(3)} | ${recall.toFixed(3)} | ${unscored} |`, ...tallyLines(byCat, missed, fps)];
}

async function main(): Promise<void> {
  const [checkout, ...rest] = process.argv.slice(2);
  const set = rest.includes("--set") ? rest[rest.indexOf("--set") + 1] : "semgrep";
  if (set === "trailofbits") mapped = MAPPED_TRAILOFBITS;
  else if (set === "agentic") mapped = MAPPED_AGENTIC;
  else if (set === "guarddog") mapped = MAPPED_GUARDDOG;
  else if (set === "guarddog-sinks") {
    mapped = MAPPED_GUARDDOG;
    refine = (id, statement) => (id === "code-execution" ? sinkFamily(statement) : undefined);
  }
  if (!checkout) {
    console.error("usage: npx tsx bench/eval-code-semgrep.ts <semgrep-rules checkout> [--bandit | --list]");
    process.exit(2);
  }
  const root = join(checkout, set === "agentic" ? "tests/python" : set === "guarddog" || set === "guarddog-sinks" ? "tests/analyzer/sourcecode" : "python");
  const labels: Labels = { lines: new Map(), rules: new Map() };
  const files: string[] = [];
  for (const p of pythonFiles(root)) {
    const rel = relative(checkout, p);
    if (readAnnotations(rel, readFileSync(p, "utf8"), labels) > 0) files.push(rel);
  }
  console.log(`${files.length} files with annotations of mapped rules`);
  if (rest.includes("--list")) {
    // The labels alone, without running any tool (to check the annotation reader).
    for (const [k, v] of labels.lines) console.log(`${k} ${v ? "vulnerable" : "safe"}`);
    return;
  }
  console.log("| tool | vulnerable lines | safe lines | true positives | false positives | precision | recall | findings on unannotated lines |");
  console.log("|---|---|---|---|---|---|---|---|");
  await scoreRampartAndBandit(checkout, files, rest, (tool, hits) => score(tool, hits, labels));
  // Declared side row (session 19): unsafe APIs given only constants, printed with `--constant-uses`.
  if (rest.includes("--constant-uses")) for (const l of score("rampart --constant-uses", await rampartHits(checkout, files, { constantUses: true }), labels)) console.log(l);
}

await main();
