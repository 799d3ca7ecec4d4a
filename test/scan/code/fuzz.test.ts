import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { credentialLevel } from "../../../src/scan/code/credential.js";
import { analyzePython, notebookToPython, pythonParser } from "../../../src/scan/code/index.js";

type Parser = Awaited<ReturnType<typeof pythonParser>>;
let parser: Parser;
beforeAll(async () => {
  parser = await pythonParser();
});

const SNIPPETS = [
  "import pickle as pk\n",
  "from torch import load as L\n",
  "x = L(f)\n",
  "pk.loads(b)\n",
  "subprocess.run(c, shell=True)\n",
  "def f(:\n",
  "  )\n",
  "'''unterminated\n",
  'f"{a!r:>{w}}"\n',
  "# rampart: ignore[code.eval-exec]\n",
  "eval(x)\n",
  "with tarfile.open(p) as t:\n    t.extractall()\n",
  "lambda *a, **k: (yield)\n",
  "\t\x00\uFFFF\n",
  "if password == 'root':\n    pass\n",
  "d['password'] += x\n",
  "getattr(__import__('os'), 'system')(c)\n",
  "np.load(p, allow_pickle=[1])\n",
  "subprocess.call(('sh', '-c', x), shell={})\n",
  "cur.execute('SELECT ' + shlex.quote(q))\n",
];

describe("untrusted source never breaks the analyzer", () => {
  it("random and spliced Python: no throw, positions inside the text", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...SNIPPETS), fc.string({ maxLength: 40 })), { maxLength: 30 }), (parts) => {
        const src = parts.join("");
        const lineCount = src.split("\n").length;
        const a = analyzePython(parser, src);
        return a.hits.every((h) => h.line >= 1 && h.line <= lineCount && h.endLine >= h.line && h.column >= 1);
      }),
      { numRuns: 300 },
    );
  });

  it("deep nesting does not overflow the stack", () => {
    const deep = `${"(".repeat(5000)}pickle.loads(x)${")".repeat(5000)}\n`;
    expect(() => analyzePython(parser, `import pickle\n${deep}`)).not.toThrow();
    const chain = `import pickle\nx = a${".b".repeat(3000)}.loads(y)\n`;
    expect(() => analyzePython(parser, chain)).not.toThrow();
  });

  it("arbitrary JSON is either a notebook or a plain Error, never anything else", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.json(),
          fc.string(),
          fc
            .record({
              cells: fc.array(fc.record({ cell_type: fc.constantFrom("code", "markdown", 3), source: fc.oneof(fc.string(), fc.array(fc.oneof(fc.string(), fc.integer()))) }), {
                maxLength: 5,
              }),
            })
            .map((o) => JSON.stringify(o)),
        ),
        (text) => {
          try {
            const nb = notebookToPython(text);
            return nb.lines.length === (nb.lines.length === 0 ? 0 : nb.source.split("\n").length);
          } catch (e) {
            return e instanceof Error;
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("credential classification", () => {
  it("never throws, and masked, templated or empty values are never credentials", () => {
    const names = fc.constantFrom("password", "db_pwd", "SECRET_KEY", "api_key", "token", "pad_token", "passwordField", "x");
    fc.assert(
      fc.property(names, fc.string({ maxLength: 40 }), fc.boolean(), (name, value, compared) => {
        credentialLevel(name, value, compared);
        expect(credentialLevel(name, "", compared)).toBeUndefined();
        expect(credentialLevel(name, `\${${value}}`, compared)).toBeUndefined();
        expect(credentialLevel(name, `${value}****`, compared)).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });
});
