/**
 * Precision/recall of `rampart scan code` (and Bandit) on the session-37 held-out set: the ML and MLOps rule tests of
 * cboyd0319/PyGuard (its `tests/unit/test_ai_ml_security.py` and the framework tests of TensorFlow, scikit-learn,
 * NumPy, PySpark, Gradio, Streamlit and Airflow): each test function hands one snippet of code to the rule module and
 * asserts that a rule fires on it or does not.
 * Labels are the rule author's, read from the assertions (python3's `ast` parses the test and rule files; nothing of
 * them is executed):
 * - a test's snippet is the one string constant of the function bound to a name that is passed to a call (or a
 *   multi-line string passed to a call directly); a function with none or several is left out and counted;
 * - `assert len(X) >= 1` (`> 0`, `== k` with k ≥ 1, `assert X`) is a positive assertion on X, `assert len(X) == 0`
 *   (`not X`, `X == []`) a negative one; X is a list filtered by `v.rule_id == "R"` (or `in (…)`), and then names
 *   those rules, or the whole result, and then names every rule id the test's class compares `rule_id` with;
 *   `any(… rule_id == "R" …)`, `"R" in [v.rule_id …]` and `X[0].rule_id == "R"` are positive on R, their negations
 *   negative; every other assertion (`isinstance(…, list)`, `assert True`, messages, severities) is not read;
 * - a rule's family is its CWE's through the shared table (`FAMILY_OF_CWE`), the CWE read from the rule's definition
 *   in `pyguard/lib/` (`cwe_mapping=`, else a `CWE-N` in its message or description, else a CWE link in its
 *   references); `SKL001` (no CWE in its definition; "Unsafe Model Deserialization", pickle) is deserialisation. A
 *   CWE-94 rule counts as code execution only when its name says what is run (eval, exec, code execution, RCE,
 *   trust, lambda, code injection): the set files prompt-text rules ("prompt-injection", "rag-poisoning", …) under
 *   CWE-94, and a prompt is no Python code.
 * A unit is one test's snippet and one family: vulnerable when a positive assertion names a rule of the family, safe
 * when a negative one does. Left out, and counted: a test with no readable snippet, a snippet that does not parse as
 * Python 3, a test named `test_no_violation_without_<library>_import` (it asserts the rule's scope — no import, no
 * check — not that the code is safe), the three rules of `OFF_SUBJECT`, a (snippet, family) with both labels, a family no rule of the test maps to, and a repeat (the same
 * snippet text, comments and white space dropped, and family already taken with the same label).
 *
 *   npx tsx bench/eval-code-pyguard.ts <PyGuard checkout> --work <scratch dir> [--list | --bandit] [--dist <built dist/>]
 *
 * Each unit's snippet is written to `<work>/<test file>__<class>__<test>/snippet.py`; nothing of PyGuard is committed.
 * A unit is found when the tool prints a finding of the unit's family on its snippet (every severity and confidence,
 * both tools, families and Bandit ids from `eval-code-families.ts`); a finding of another family is listed apart ("not
 * scored"). The label rules, the mapping and the scoring were written and committed (session 37) before either tool
 * ran on any unit.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { codeText, FAMILY_OF_CWE, keptUnits, printUnitScores, readUnitCorpus, type UnitFiles, writeUnits } from "./eval-code-families.js";
import type { Family } from "./eval-code-files.js";

/** The test files read, and the rule modules whose definitions give the rules' CWEs. */
export const TEST_FILES = [
  "ai_ml_security",
  "framework_tensorflow",
  "framework_sklearn",
  "framework_numpy",
  "framework_pyspark",
  "framework_gradio",
  "framework_streamlit",
  "framework_airflow",
];

/** Rules whose definition names no CWE, given a family from their name (declared before any run). */
const NO_CWE_FAMILY: Record<string, Family> = { SKL001: "deser" };

/**
 * Rules whose CWE names a family their name is not about (read from the rule names in `--list`, before any run):
 * a federated client selection filed under predictable randomness (CWE-330), trusted-execution attestation under
 * download integrity (CWE-494) and a differential-privacy epsilon under hard-coded credentials (CWE-798).
 */
const OFF_SUBJECT = new Set(["AIML497", "AIML504", "AIML506"]);

/** A CWE-94 rule's name that says code is run (eval/exec, code execution, RCE, remote code trust, Keras Lambda). */
const RUNS_CODE = /eval|exec|code[-_ ]execution|\brce\b|trust|lambda|code[-_ ]injection/i;

const EXTRACT = String.raw`
import ast, json, re, sys
lib, tests = sys.argv[1], sys.argv[2:]
rules = {}
import os
for name in sorted(os.listdir(lib)):
    if not name.endswith('.py'): continue
    try: tree = ast.parse(open(os.path.join(lib, name), encoding='utf-8').read())
    except SyntaxError: continue
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call): continue
        kw = {k.arg: k.value for k in node.keywords if k.arg}
        rid = kw.get('rule_id')
        if not (isinstance(rid, ast.Constant) and isinstance(rid.value, str)): continue
        def s(k):
            v = kw.get(k)
            return v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else ''
        title = s('name') or s('rule_name')
        cwe = None
        m = re.search(r'CWE-(\d+)', s('cwe_mapping')) or re.search(r'CWE-(\d+)', s('message_template')) or re.search(r'CWE-(\d+)', s('description')) or re.search(r'CWE-(\d+)', s('message'))
        if not m and 'references' in kw:
            for e in ast.walk(kw['references']):
                if isinstance(e, ast.Constant) and isinstance(e.value, str):
                    m = re.search(r'cwe\.mitre\.org/data/definitions/(\d+)', e.value)
                    if m: break
        if m: cwe = int(m.group(1))
        old = rules.get(rid.value)
        if old is None or (old['cwe'] is None and cwe is not None): rules[rid.value] = {'name': title, 'cwe': cwe}

def ids_in(node):
    out = set()
    for e in ast.walk(node):
        if isinstance(e, ast.Compare):
            parts = [e.left] + list(e.comparators)
            if any(isinstance(p, ast.Attribute) and p.attr == 'rule_id' for p in parts):
                for p in parts:
                    for c in ast.walk(p):
                        if isinstance(c, ast.Constant) and isinstance(c.value, str) and re.fullmatch(r'[A-Z]+\d+', c.value): out.add(c.value)
    return out

def mentions_rule_id(node):
    return any(isinstance(e, ast.Attribute) and e.attr == 'rule_id' for e in ast.walk(node))

out = []
for path in tests:
    tree = ast.parse(open(path, encoding='utf-8').read())
    base = os.path.basename(path)[:-3]
    for cls in [n for n in tree.body if isinstance(n, ast.ClassDef)]:
        class_ids = ids_in(cls)
        for fn in [n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name.startswith('test_')]:
            strings, lists, called = {}, {}, set()
            direct = []
            for e in ast.walk(fn):
                if isinstance(e, ast.Assign) and len(e.targets) == 1 and isinstance(e.targets[0], ast.Name):
                    t, v = e.targets[0].id, e.value
                    if isinstance(v, ast.Constant) and isinstance(v.value, str): strings[t] = v.value
                    elif isinstance(v, (ast.ListComp, ast.GeneratorExp)) and mentions_rule_id(v): lists[t] = ids_in(v)
                    elif isinstance(v, ast.Call): lists.setdefault(t, None)
                if isinstance(e, ast.Call):
                    for a in list(e.args) + [k.value for k in e.keywords]:
                        if isinstance(a, ast.Name): called.add(a.id)
                        elif isinstance(a, ast.Constant) and isinstance(a.value, str) and '\n' in a.value: direct.append(a.value)
            snippets = sorted({v for k, v in strings.items() if k in called} | set(direct))
            pos, neg = set(), set()
            def target(n):
                if isinstance(n, ast.Name) and n.id in lists:
                    r = lists[n.id]
                    return set(class_ids) if r is None else set(r)
                return None
            for a in [n for n in ast.walk(fn) if isinstance(n, ast.Assert)]:
                t = a.test
                negated = isinstance(t, ast.UnaryOp) and isinstance(t.op, ast.Not)
                inner = t.operand if negated else t
                if isinstance(inner, ast.Name):
                    r = target(inner)
                    if r is not None: (neg if negated else pos).update(r)
                    continue
                if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) and inner.func.id == 'any' and mentions_rule_id(inner):
                    (neg if negated else pos).update(ids_in(inner))
                    continue
                if negated or not isinstance(inner, ast.Compare) or len(inner.ops) != 1: continue
                op, left, right = inner.ops[0], inner.left, inner.comparators[0]
                if isinstance(left, ast.Call) and isinstance(left.func, ast.Name) and left.func.id == 'len' and len(left.args) == 1 and isinstance(right, ast.Constant) and isinstance(right.value, int):
                    r = target(left.args[0]); k = right.value
                    if r is None: continue
                    if (isinstance(op, ast.GtE) and k >= 1) or (isinstance(op, ast.Gt) and k >= 0) or (isinstance(op, ast.Eq) and k >= 1): pos.update(r)
                    elif (isinstance(op, ast.Eq) and k == 0) or (isinstance(op, ast.Lt) and k == 1) or (isinstance(op, ast.LtE) and k == 0): neg.update(r)
                    continue
                if isinstance(op, ast.Eq) and isinstance(right, ast.List) and not right.elts:
                    r = target(left)
                    if r is not None: neg.update(r)
                    continue
                if isinstance(op, (ast.In, ast.NotIn)) and isinstance(left, ast.Constant) and isinstance(left.value, str) and mentions_rule_id(right):
                    (pos if isinstance(op, ast.In) else neg).add(left.value)
                    continue
                if isinstance(op, ast.Eq) and isinstance(left, ast.Attribute) and left.attr == 'rule_id' and isinstance(left.value, ast.Subscript) and isinstance(right, ast.Constant):
                    pos.add(right.value)
            parses = True
            if len(snippets) == 1:
                try: ast.parse(snippets[0])
                except SyntaxError: parses = False
            out.append({'file': base, 'cls': cls.name, 'test': fn.name, 'snippets': len(snippets), 'code': snippets[0] if len(snippets) == 1 else '', 'parses': parses, 'pos': sorted(pos), 'neg': sorted(neg)})
print(json.dumps({'rules': rules, 'tests': out}))
`;

interface Extracted {
  rules: Record<string, { name: string; cwe: number | null }>;
  tests: { file: string; cls: string; test: string; snippets: number; code: string; parses: boolean; pos: string[]; neg: string[] }[];
}

/** The family of a rule id by its definition (see the header), or undefined. */
export function ruleFamily(id: string, rule: { name: string; cwe: number | null } | undefined): Family | undefined {
  if (NO_CWE_FAMILY[id]) return NO_CWE_FAMILY[id];
  if (OFF_SUBJECT.has(id)) return undefined;
  if (!rule || rule.cwe === null) return undefined;
  if ((rule.cwe === 94 || rule.cwe === 95) && !RUNS_CODE.test(rule.name)) return undefined;
  return FAMILY_OF_CWE[rule.cwe];
}

function readCorpus(root: string, work: string) {
  const lib = join(root, "pyguard", "lib");
  const paths = TEST_FILES.map((f) => join(root, "tests", "unit", `test_${f}.py`));
  for (const p of [lib, ...paths]) if (!existsSync(p)) throw new Error(`${p}: not found (a PyGuard checkout is expected)`);
  const x = JSON.parse(execFileSync("python3", ["-c", EXTRACT, lib, ...paths], { encoding: "utf8", maxBuffer: 256 << 20 })) as Extracted;
  const leftOut = { scopeOnly: [] as string[], noSnippet: [] as string[], noParse: [] as string[], noFamily: [] as string[], bothInTest: [] as string[] };
  const all: (UnitFiles & { text: string })[] = [];
  for (const t of x.tests) {
    const label = `${t.file}::${t.cls}::${t.test}`;
    if (t.pos.length === 0 && t.neg.length === 0) continue; // no label read: not a unit (counted in --list as tests read)
    if (/^test_no_violation_without_\w+_import$/.test(t.test)) {
      leftOut.scopeOnly.push(label);
      continue;
    }
    if (t.snippets !== 1) {
      leftOut.noSnippet.push(label);
      continue;
    }
    if (!t.parses) {
      leftOut.noParse.push(label);
      continue;
    }
    const fam = (ids: string[]) => new Set(ids.map((id) => ruleFamily(id, x.rules[id])).filter((f): f is Family => f !== undefined));
    const pos = fam(t.pos);
    const neg = fam(t.neg);
    if (pos.size === 0 && neg.size === 0) {
      leftOut.noFamily.push(label);
      continue;
    }
    for (const family of new Set([...pos, ...neg])) {
      if (pos.has(family) && neg.has(family)) {
        leftOut.bothInTest.push(`${label}:${family}`);
        continue;
      }
      const dir = `${t.file}__${t.cls}__${t.test}`;
      all.push({ dir, label, family, vulnerable: pos.has(family), files: [{ name: "snippet.py", text: t.code }], text: `${family}\n${codeText(t.code)}` });
    }
  }
  if (all.length === 0) throw new Error(`${root}: no labelled test read`);
  const { kept, bothLabels, repeats } = keptUnits(all, (u) => u.text);
  return { ...writeUnits(kept, work), tests: x.tests.length, leftOut: { ...leftOut, bothLabels, repeats } };
}

async function main(): Promise<void> {
  const usage = "<PyGuard checkout> --work <scratch dir> [--list | --bandit] [--dist <built dist/>]";
  const { corpus: c, work, rest } = readUnitCorpus("eval-code-pyguard", usage, readCorpus);
  const vulnerable = c.cases.filter((x) => x.vulnerable).length;
  const files = [...new Set([...c.units.values()].flat())];
  console.log(`${c.tests} test functions read; ${c.cases.length} units: ${vulnerable} vulnerable, ${c.cases.length - vulnerable} safe; ${files.length} files (digest ${c.digest})`);
  for (const [why, list] of Object.entries({
    "a rule's scope, not the code's safety (test_no_violation_without_<library>_import)": c.leftOut.scopeOnly,
    "no single snippet": c.leftOut.noSnippet,
    "snippet does not parse": c.leftOut.noParse,
    "no rule of a scored family": c.leftOut.noFamily,
    "both labels in one test": c.leftOut.bothInTest,
    "both labels": c.leftOut.bothLabels,
    repeats: c.leftOut.repeats,
  }))
    console.log(`left out, ${why}: ${list.length}${rest.includes("--list") ? ` (${list.join(" ") || "none"})` : ""}`);
  await printUnitScores(work, c.units, c.cases, files, rest);
}

await main();
