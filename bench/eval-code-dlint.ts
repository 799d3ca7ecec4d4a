/**
 * Precision/recall of `rampart scan code` (and Bandit) on dlint's linter tests, labelled line by line by
 * dlint's authors: each test method parses one Python snippet (`self.get_ast_node("""…""")`, dedented)
 * and lists the lines its linter must report (`Flake8Result(lineno=N, …)`).
 *
 *   npx tsx bench/eval-code-dlint.ts <dlint checkout> [--bandit | --list]
 *
 * The snippets are written to a scratch folder at evaluation time (python3's `ast` reads the test files;
 * nothing is executed and nothing of dlint is committed). The linter → category mapping and the
 * exclusions below were written and committed (session 5) before Rampart or Bandit was run on any
 * snippet, and are not to be changed after looking at scores.
 *
 * Scoring, per (snippet, line, category), only in the tests of mapped linters:
 * - a line is vulnerable for the linter's category when the test expects a result on it; every other code
 *   line of the snippet is safe for that category (tests with an empty expectation are safe look-alikes);
 * - not scored either way: import statements (Rampart reports uses, not imports; Bandit's import
 *   blacklist is not mapped either), and lines naming what the linter also covers but Rampart does not
 *   claim: `tempnam`/`tmpnam` (os linter: temp-file races), `PROTOCOL_*` (ssl linter: protocol
 *   versions), `dump`/`dump_all` (yaml linter: serialising is not deserialising);
 * - a test method with no or several snippets is skipped (counted);
 * - every finding each tool prints by default counts (all severities, both tools); a finding on a
 *   vulnerable line of its category is a true positive, on a safe line of its category a false positive;
 *   findings of other categories are not scored (counted apart).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Category, LINE_TABLE_HEADER, type LineLabels, scoreLines, scoreRampartAndBandit } from "./eval-code-categories.js";

/** dlint linter (its test file is `tests/test_<name>.py`) → Rampart category. */
const MAPPED: Record<string, Category> = {
  bad_commands_use: "shell", // the Python 2 `commands` module runs a shell
  bad_popen2_use: "shell",
  bad_os_use: "shell", // os.system / os.popen*
  bad_subprocess_use: "shell", // shell=True
  bad_compile_use: "exec",
  bad_eval_use: "exec",
  bad_exec_use: "exec",
  bad_pickle_use: "deser",
  bad_marshal_use: "deser",
  bad_shelve_use: "deser",
  bad_yaml_use: "deser",
  bad_requests_use: "tls", // verify=False
  bad_urllib3_kwarg_use: "tls", // cert_reqs=CERT_NONE
  bad_ssl_module_attribute_use: "tls", // _create_unverified_context, CERT_NONE
  bad_tarfile_use: "archive",
  bad_zipfile_use: "archive",
};
/*
 * Deliberately NOT mapped (decided with the list above, before any run): tempfile, hashlib, random,
 * re catastrophic, xml/defusedxml/xmlrpc/xmlsec, pycrypto/cryptography, itsdangerous, onelogin, duo
 * client, dl, gl, sys, input (Python 2 `input` evaluates, Python 3's does not), urllib3 module attributes
 * (warnings switched off, not verification), twisted — weaknesses Rampart does not claim.
 */

/** Out-of-scope names per linter: lines naming them are not scored. */
const OUT_OF_SCOPE: Record<string, RegExp> = {
  bad_os_use: /\b(tempnam|tmpnam)\b/,
  bad_ssl_module_attribute_use: /\bPROTOCOL_\w*/,
  bad_yaml_use: /\bdump(_all)?\b/,
};

const EXTRACT = `
import ast, json, sys, textwrap
out = []
for path in sys.argv[1:]:
    tree = ast.parse(open(path, encoding="utf-8").read())
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef) or not fn.name.startswith("test"):
            continue
        snippets = [c.args[0].value for c in ast.walk(fn) if isinstance(c, ast.Call) and isinstance(c.func, ast.Attribute)
                    and c.func.attr == "get_ast_node" and c.args and isinstance(c.args[0], ast.Constant) and isinstance(c.args[0].value, str)]
        lines = [k.value.value for c in ast.walk(fn) if isinstance(c, ast.Call) and getattr(c.func, "attr", getattr(c.func, "id", "")) == "Flake8Result"
                 for k in c.keywords if k.arg == "lineno" and isinstance(k.value, ast.Constant)]
        out.append({"file": path, "test": fn.name, "snippets": [textwrap.dedent(s) for s in snippets], "lines": lines})
print(json.dumps(out))
`;

interface Extracted {
  file: string;
  test: string;
  snippets: string[];
  lines: number[];
}

function readLabels(checkout: string, scratch: string): { labels: LineLabels; files: string[]; skipped: string[] } {
  const paths = Object.keys(MAPPED).map((l) => join(checkout, "tests", `test_${l}.py`));
  const tests = JSON.parse(execFileSync("python3", ["-c", EXTRACT, ...paths], { encoding: "utf8", maxBuffer: 64 << 20 })) as Extracted[];
  const labels: LineLabels = new Map();
  const files: string[] = [];
  const skipped: string[] = [];
  for (const t of tests) {
    const linter = /test_(\w+)\.py$/.exec(t.file)![1]!;
    const category = MAPPED[linter]!;
    if (t.snippets.length !== 1) {
      skipped.push(`${linter}.${t.test}`);
      continue;
    }
    const source = t.snippets[0]!;
    const file = `${linter}/${t.test}.py`;
    mkdirSync(join(scratch, linter), { recursive: true });
    writeFileSync(join(scratch, file), source);
    files.push(file);
    const vulnerable = new Set(t.lines);
    const outOfScope = OUT_OF_SCOPE[linter];
    source.split("\n").forEach((line, i) => {
      const s = line.trim();
      if (s === "" || s.startsWith("#") || /^(import|from)\s/.test(s) || outOfScope?.test(s)) return;
      labels.set(`${file}:${i + 1}:${category}`, vulnerable.has(i + 1));
    });
  }
  return { labels, files, skipped };
}

async function main(): Promise<void> {
  const [checkout, ...rest] = process.argv.slice(2);
  if (!checkout) {
    console.error("usage: npx tsx bench/eval-code-dlint.ts <dlint checkout> [--bandit | --list]");
    process.exit(2);
  }
  const scratch = mkdtempSync(join(tmpdir(), "eval-dlint-"));
  try {
    const { labels, files, skipped } = readLabels(checkout, scratch);
    const vulnerable = [...labels.values()].filter(Boolean).length;
    console.log(
      `${files.length} snippets of mapped linters, ${vulnerable} vulnerable lines, ${labels.size - vulnerable} safe code lines; skipped tests: ${skipped.join(" ") || "none"}`,
    );
    if (rest.includes("--list")) {
      for (const [k, v] of labels) if (v) console.log(`${k} vulnerable`);
      return;
    }
    for (const l of LINE_TABLE_HEADER) console.log(l);
    await scoreRampartAndBandit(scratch, files, rest, (tool, hits) => scoreLines(tool, hits, labels));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
