/** A notebook's code cells joined into one Python text, with a map back to cell and line. */
export interface NotebookSource {
  source: string;
  /** For each line of `source` (0-based): [cell index, 1-based line within the cell]. */
  lines: Array<[number, number]>;
  cells: number;
}

interface RawNotebook {
  cells?: Array<{ cell_type?: unknown; source?: unknown }>;
}

/**
 * Joins code cells in order (imports in cell 1 apply to cell 5, as when the notebook runs).
 * IPython syntax is blanked line by line so positions stay exact: `%magic`, `!shell`, `x = !cmd`,
 * `obj?`; cells starting with a `%%` cell magic (bash, html, …) are not Python and are skipped.
 * Throws on JSON that is not a notebook.
 */
export function notebookToPython(json: string): NotebookSource {
  const nb = JSON.parse(json) as RawNotebook;
  if (!nb || typeof nb !== "object" || !Array.isArray(nb.cells)) throw new Error("no cells array (not an nbformat 4 notebook)");
  const out: string[] = [];
  const lines: Array<[number, number]> = [];
  nb.cells.forEach((cell, index) => {
    if (cell?.cell_type !== "code") return;
    const src = Array.isArray(cell.source) ? cell.source.filter((s): s is string => typeof s === "string").join("") : typeof cell.source === "string" ? cell.source : "";
    // Every line end Python accepts: \n, \r\n and a lone \r (old Mac files), so lines match the cell as shown.
    const cellLines = src.split(/\r\n|\r|\n/);
    const cellMagic = /^\s*%%(?!\s*(?:time|timeit|capture|prun)\b)/.test(cellLines[0] ?? "");
    cellLines.forEach((line, i) => {
      const ipython = cellMagic || /^\s*[%!]/.test(line) || /^\s*[\w.]+\s*=\s*[!%]/.test(line) || /^\s*[\w.]+\?\??\s*$/.test(line) || (i === 0 && /^\s*%%/.test(line));
      out.push(ipython ? "" : line);
      lines.push([index, i + 1]);
    });
  });
  return { source: out.join("\n"), lines, cells: nb.cells.length };
}
