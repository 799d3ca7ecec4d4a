import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzeFile } from "../../../src/scan/code/file.js";
import { pythonParser } from "../../../src/scan/code/index.js";

// A finding in a notebook names a cell and a line in it. Cells may end their lines with \n, \r\n or a
// lone \r (old Mac files), mixed in one cell and split across the source array's strings; the line
// reported must be the one that holds the finding's text, counted the way the cell is shown.
const SINK = "os.system(cmd)";
const EOL = fc.constantFrom("\n", "\r\n", "\r");
const filler = fc.constantFrom<string>("x = 1", "y = [1, 2]", "# note", "", "def f():  return 2", "print('a')");

interface Built {
  json: string;
  cell: number;
}

/** Cells of filler lines with random line ends; the sink sits at one chosen cell and line. */
const notebook = fc
  .record({
    cells: fc.array(fc.array(fc.tuple(filler, EOL), { maxLength: 6 }), { minLength: 1, maxLength: 4 }),
    pick: fc.nat(),
    at: fc.nat(),
    sinkEol: EOL,
    split: fc.boolean(),
    markdownFirst: fc.boolean(),
  })
  .map(({ cells, pick, at, sinkEol, split, markdownFirst }): Built => {
    const c = pick % cells.length;
    const lines = cells[c]!;
    const i = at % (lines.length + 1);
    lines.splice(i, 0, [`import os; cmd = input(); ${SINK}`, sinkEol]);
    const jsonCells: Array<Record<string, unknown>> = markdownFirst ? [{ cell_type: "markdown", source: "# title\r\rtext" }] : [];
    for (const ls of cells) {
      const parts = ls.map(([text, eol]) => text + eol);
      // nbformat stores a source as one string or as a list of line strings.
      jsonCells.push({ cell_type: "code", source: split ? parts : parts.join("") });
    }
    return { json: JSON.stringify({ cells: jsonCells, nbformat: 4 }), cell: c + (markdownFirst ? 1 : 0) };
  });

describe("notebook cell and line numbers", () => {
  it("point at the finding's text for \\n, \\r\\n, lone \\r and mixed line ends", async () => {
    const parser = await pythonParser();
    await fc.assert(
      fc.asyncProperty(notebook, async (nb) => {
        const out = await analyzeFile(parser, "nb.ipynb", "nb.ipynb", nb.json.length, 1 << 20, nb.json);
        const hit = out.findings.find((f) => f.ruleId !== "code.parse-error" && f.location?.pointer === `/cells/${nb.cell}/source`);
        expect(hit, JSON.stringify(out.findings)).toBeDefined();
        // The truth is the cell as an editor shows it (a "\r" line then an empty "\n" line is one "\r\n").
        const cells = JSON.parse(nb.json).cells as Array<{ source: string | string[] }>;
        const src = cells[nb.cell]!.source;
        const shown = (Array.isArray(src) ? src.join("") : src).split(/\r\n|\r|\n/);
        expect(hit?.location?.line).toBe(shown.findIndex((l) => l.includes(SINK)) + 1);
      }),
      { numRuns: 200, endOnFailure: true },
    );
  }, 60_000);

  it("counts a lone \\r as a line end (it was kept inside the line: every later line was off)", async () => {
    const parser = await pythonParser();
    const json = JSON.stringify({ cells: [{ cell_type: "code", source: `import os\rcmd = input()\r${SINK}\r` }] });
    const out = await analyzeFile(parser, "nb.ipynb", "nb.ipynb", json.length, 1 << 20, json);
    const hit = out.findings.find((f) => f.ruleId !== "code.parse-error");
    expect(hit?.location).toMatchObject({ line: 3, pointer: "/cells/0/source" });
  });
});
