import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Node, Parser } from "web-tree-sitter";
import { notebookToPython, pythonParser } from "../../../src/scan/code/index.js";
import { bindingCaptured, parseSyntax, type SyntaxNode, setDirectCursor, WASM_BINDING } from "../../../src/scan/code/syntax.js";

// Session 35: the analyser reads a JavaScript copy of each parse tree instead of web-tree-sitter's nodes. Every
// property it reads must be the same as web-tree-sitter's, node by node, on valid, broken and non-ASCII Python.

let parser: Parser;
let fields: string[];
beforeAll(async () => {
  parser = await pythonParser();
  fields = parser.language!.fields.filter((f): f is string => !!f);
});

const QUERIED = ["call", "assignment", "identifier", "ERROR", "string", "function_definition", "block", "comment", "(", "is not", "module"];
const QUERIED_SETS = [
  ["assignment", "augmented_assignment", "for_statement", "with_item"],
  ["return_statement", "yield"],
  ["subscript", "call"],
  ["identifier", "attribute", "call"],
  ["call", "call"],
];

const SCOPES = new Set(["module", "function_definition", "class_definition", "if_statement", "for_statement", "ERROR"]);

const shape = (n: { type: string; startIndex: number; endIndex: number } | null | undefined) => (n ? `${n.type}@${n.startIndex}-${n.endIndex}` : null);

/** Compares the copy of `source`'s tree with web-tree-sitter's, node by node; returns the number of nodes compared. */
function compare(source: string): number {
  const real = parser.parse(source)!;
  const copy = parseSyntax(parser, source)!;
  try {
    expect(copy.hasError).toBe(real.rootNode.hasError);
    const seen = new Map<number, SyntaxNode>();
    let count = 0;
    // every property the analyser reads, as one line per node (one assertion per node keeps the test fast)
    const describeNode = (n: Node | SyntaxNode, small: boolean, copied: boolean) => {
      const p = n.startPosition;
      const e = n.endPosition;
      const parts = [shape(n), n.isNamed, JSON.stringify(n.text), p.row, p.column, e.row, e.column, shape(n.parent), shape(n.firstChild), shape(n.previousNamedSibling)];
      parts.push(`named ${n.namedChildren.map(shape)}`);
      for (const f of n.isNamed ? fields : []) {
        // tree-sitter's own quirk, not copied: a match statement's `alternative` (a field of the hidden rule that its
        // `block` aliases) is a case clause for childForFieldName and nothing for childrenForFieldName and the cursor
        const one = n.type === "match_statement" && f === "alternative" && !copied ? null : n.childForFieldName(f);
        parts.push(`${f} ${shape(one)} [${n.childrenForFieldName(f).map(shape)}]`);
      }
      // every node of a small tree; in a large one the scopes the analyser searches
      if (small || SCOPES.has(n.type)) for (const t of [...QUERIED, ...QUERIED_SETS]) parts.push(`${t}: ${n.descendantsOfType(t).map(shape)}`);
      return parts.join("\n");
    };
    const visit = (r: Node, c: SyntaxNode, parent: SyntaxNode | null) => {
      count++;
      // one copy per web-tree-sitter node, and only one; the copy's parent is the node it hangs from
      if ((seen.get(r.id) ?? c) !== c || c.parent !== parent || c.children.length !== r.children.length) expect.fail(`node ${shape(r)} in ${JSON.stringify(source)}`);
      seen.set(r.id, c);
      const small = copy.nodes.length < 400;
      const a = describeNode(c, small, true);
      const b = describeNode(r, small, false);
      if (a !== b) expect(a, JSON.stringify(source)).toBe(b);
      r.children.forEach((rc, i) => {
        visit(rc, c.children[i]!, c);
      });
    };
    visit(real.rootNode, copy.rootNode, null);
    expect(copy.nodes).toHaveLength(count);
    expect(copy.rootNode.equals(copy.nodes[0]!)).toBe(true);
    if (copy.nodes.length > 1) expect(copy.rootNode.equals(copy.nodes[1]!)).toBe(false);
    return count;
  } finally {
    real.delete();
  }
}

const PIECES = [
  "import pickle as pk\n",
  "from os import path, system as s\n",
  "@app.route('/x')\n@cache\ndef f(a, *b, c=1, **d) -> int:\n    return a\n",
  "class C(Base, metaclass=M):\n    x: int = 1\n    def m(self): ...\n",
  'v = f"{a!r:>{w}} é {b}"\n',
  "s = 'naïve ✓ 𝔘 \\u00e9'  # コメント\n",
  "if a is not b and c not in d:\n    pass\nelif x:\n    y = [i for i in z if i]\nelse:\n    del q\n",
  "try:\n    g()\nexcept (A, B) as e:\n    raise\nfinally:\n    h()\n",
  "with open(p) as f, lock:\n    data = f.read()\n",
  "match cmd:\n    case [x, *rest] if x:\n        pass\n    case {'k': v}:\n        pass\n",
  "lambda *a, **k: (yield)\n",
  "d['password'] += x\n",
  "x = a if b else c\n",
  "async def h():\n    await g(x=1)\n",
  "def f(:\n",
  "  )\n",
  "'''unterminated\n",
  "\t\x00\uFFFF\n",
  "\r\n",
  "x = 1\r",
  "\ud800",
  "print >> sys.stderr, 'x'\n",
  "exec 'code'\n",
];

/** The repository's own Python files (examples and fixture builders): real code of several styles. */
function repositoryPython(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir)) {
      const p = join(dir, e);
      if (e === "node_modules") continue;
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith(".py")) out.push(readFileSync(p, "utf8"));
    }
  };
  walk("examples");
  walk("test/fixtures");
  return out;
}

// Session 36: the copy calls web-tree-sitter's binding directly when it captured it, else the public cursor: both checked
describe.each([
  ["binding called directly", true],
  ["public cursor", false],
])("the JS copy of a parse tree reads as web-tree-sitter's nodes (%s)", (_, direct) => {
  beforeAll(() => setDirectCursor(direct));
  afterAll(() => setDirectCursor(true));

  it("reads the way it says", () => {
    expect(bindingCaptured()).toBe(true);
    // a change in web-tree-sitter's private layout would fall back to the public cursor silently: only slower
    expect(parseSyntax(parser, "x = f(1)\n")!.reader).toBe(direct ? "binding" : "cursor");
  });

  it("deep nesting (the cursor's stack grows and moves in WASM memory), many times over", { timeout: 60_000 }, () => {
    for (const depth of [40, 300, 1000]) {
      const source = `x = ${"[".repeat(depth)}1${"]".repeat(depth)}\ny = f(${"(".repeat(depth)}a${")".repeat(depth)})\n`;
      const first = parseSyntax(parser, source)!;
      for (let i = 0; i < 5; i++) expect(parseSyntax(parser, source)!.nodes.length).toBe(first.nodes.length);
      expect(first.rootNode.descendantsOfType("integer")).toHaveLength(1);
      if (depth <= 300) compare(source);
    }
    if (!direct) return;
    // the JavaScript cursor frees the stack the walk ended with: a stale one would leak each grown stack (~80 KB here)
    const memory = () => (WASM_BINDING.HEAP8 as Int8Array).length;
    const deep = `x = ${"[".repeat(1000)}1${"]".repeat(1000)}\n`;
    for (let i = 0; i < 10; i++) parseSyntax(parser, deep);
    const before = memory();
    for (let i = 0; i < 400; i++) parseSyntax(parser, deep);
    expect(memory() - before).toBeLessThan(1 << 20);
  });

  it("on generated Python: valid, broken, non-ASCII, decorators, f-strings", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 30 }), fc.string({ unit: "binary", maxLength: 12 })), { maxLength: 14 }), (parts) => {
        compare(parts.join(""));
      }),
      { numRuns: 100 },
    );
  });

  it("on notebooks' cells joined as the scanner joins them", () => {
    const cell = fc.record({
      cell_type: fc.constant("code"),
      source: fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.constantFrom("%matplotlib inline\n", "!pip install x\n", "df.head()\n")), { maxLength: 5 }),
    });
    fc.assert(
      fc.property(fc.array(cell, { minLength: 1, maxLength: 4 }), (cells) => {
        compare(notebookToPython(JSON.stringify({ cells })).source);
      }),
      { numRuns: 40 },
    );
  });

  it("on the repository's own Python files", { timeout: 60_000 }, () => {
    const files = repositoryPython();
    expect(files.length).toBeGreaterThan(5);
    // the smallest files first, up to about 20,000 nodes (the comparison asks web-tree-sitter every field of every node)
    let nodes = 0;
    for (const f of files.sort((a, b) => a.length - b.length)) if (nodes < 20_000) nodes += compare(f);
    expect(nodes).toBeGreaterThan(10_000);
  });

  it("an empty file, and a file that starts with zero-width nodes", () => {
    expect(compare("")).toBe(1);
    compare(")");
    compare("\n\n  x\n");
  });

  it("fields: none read from an ERROR node (its cursor still names them), a match statement's clauses", () => {
    const broken = "0[*with open(p) as f, lock:\n    data = f.read()\n";
    compare(broken);
    const error = parseSyntax(parser, broken)!.rootNode.descendantsOfType("ERROR")[0]!;
    expect(error.children.some((c) => c.field === "subscript")).toBe(true);
    expect(error.childForFieldName("subscript")).toBeNull();
    // the look-alike: a subscript outside an error has its field
    expect(parseSyntax(parser, "a[i:j]\n")!.rootNode.descendantsOfType("subscript")[0]!.childForFieldName("subscript")?.type).toBe("slice");
    compare("match cmd:\n    case [x]:\n        pass\n    case _:\n        pass\n");
  });
});
