import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { notebookToPython } from "../../../src/scan/code/notebook.js";

// The JSON part of notebooks: any text either becomes Python with one map entry per line, or throws
// (the scanner reports that as code.parse-error and goes on).
describe("notebooks of any shape", () => {
  const source = fc.oneof(fc.string(), fc.array(fc.oneof(fc.string(), fc.constantFrom("%magic\n", "!ls\r\n", "x = 1\r", "%%bash\n", "a?\n")), { maxLength: 6 }), fc.jsonValue());
  const cell = fc.record({ cell_type: fc.oneof(fc.constant("code"), fc.constant("markdown"), fc.jsonValue()), source });
  const notebook = fc.oneof(
    fc.array(fc.oneof(cell, fc.jsonValue()), { maxLength: 6 }).map((cells) => JSON.stringify({ cells })),
    fc.json(),
    fc.string(),
  );

  it("maps every line of the joined source back to a cell, or throws before", () => {
    fc.assert(
      fc.property(notebook, (text) => {
        let nb: ReturnType<typeof notebookToPython>;
        try {
          nb = notebookToPython(text);
        } catch (e) {
          expect(e).toBeInstanceOf(Error);
          return;
        }
        expect(nb.lines).toHaveLength(nb.source.split("\n").length - (nb.source === "" && nb.lines.length === 0 ? 1 : 0));
        for (const [cellIndex, line] of nb.lines) {
          expect(cellIndex).toBeLessThan(nb.cells);
          expect(line).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 500 },
    );
  });
});
