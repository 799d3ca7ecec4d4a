import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { Parser } from "web-tree-sitter";
import { fileError } from "../../core/digest.js";
import type { Finding } from "../../core/index.js";
import { tag } from "../../core/tags.js";
import { analyzePython, type CodeHit, type ExternalSummary } from "./analyze.js";
import { notebookToPython } from "./notebook.js";
import { CODE_RULES } from "./rules.js";
import { templateLookup } from "./templates.js";

/** What one file contributes to a code scan (plain data: it crosses worker threads). */
export interface FileOutcome {
  findings: Finding[];
  python: number;
  notebooks: number;
  lines: number;
  parseErrors: number;
  suppressed: number;
  skippedLarge: number;
  /** The names the file imports, as spelled in it. */
  imports?: string[];
  /** Findings its callers cleared (Analysis.callerCleared): reported when another file of the tree imports this one. */
  callerCleared?: Finding[];
}

export const NOTEBOOK = /\.ipynb$/i;

/** Tag of an unsafe API given only constants (see ScanCodeOptions.constantUses). */
export const CONSTANT_INPUT = "constant-input";

function toFinding(hit: CodeHit, file: string, cell?: { index: number; line: number; endLine: number }): Finding {
  return {
    ruleId: hit.rule.id,
    severity: hit.severity,
    message: cell ? `${hit.message} (cell ${cell.index + 1}, line ${cell.line})` : hit.message,
    location: cell
      ? { file, line: cell.line, column: hit.column, endLine: cell.endLine, endColumn: hit.endColumn, pointer: `/cells/${cell.index}/source` }
      : { file, line: hit.line, column: hit.column, endLine: hit.endLine, endColumn: hit.endColumn },
    ...(hit.symbol ? { entity: hit.symbol.replace(/\(\)/g, "") } : {}),
    ...(cell ? { evidence: { cell: cell.index + 1, cellLine: cell.line } } : {}),
    remediation: hit.rule.fix,
    tags: [tag.cwe(hit.rule.cwe), ...(hit.rule.tags ?? []), ...(hit.constantUse ? [CONSTANT_INPUT] : [])],
  };
}

function parseFinding(file: string, message = "part of the file is not valid Python 3: that part was not analysed"): Finding {
  return { ruleId: CODE_RULES.parse.id, severity: "info", message, location: { file } };
}

function countLines(text: string): number {
  let n = text.length > 0 && !text.endsWith("\n") ? 1 : 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/** The file's text, or "" when it is over the size limit (analyzeFile reports it without reading). */
export async function readSource(path: string, size: number, maxBytes: number): Promise<string> {
  if (size > maxBytes) return "";
  try {
    // A cached small file is read synchronously in microseconds; the promise API costs a
    // thread-pool round trip per open/stat/read/close, which dominated trees of small modules.
    return size <= 1 << 20 ? readFileSync(path, "utf8") : await readFile(path, "utf8");
  } catch (e) {
    throw fileError(path, e);
  }
}

/** Reads and analyses one .py/.pyi/.ipynb file. */
export async function analyzeFile(
  parser: Parser,
  path: string,
  rel: string,
  size: number,
  maxBytes: number,
  preread?: string,
  external?: ReadonlyMap<string, ExternalSummary>,
  /** Also report unsafe APIs given only constants (ScanCodeOptions.constantUses). */
  constantUses = false,
): Promise<FileOutcome> {
  const out: FileOutcome = { findings: [], python: 0, notebooks: 0, lines: 0, parseErrors: 0, suppressed: 0, skippedLarge: 0 };
  if (size > maxBytes) {
    out.skippedLarge = 1;
    out.findings.push(parseFinding(rel, `not analysed: ${size} bytes is over the ${maxBytes}-byte limit`));
    return out;
  }
  const text = preread ?? (await readSource(path, size, maxBytes));
  if (NOTEBOOK.test(rel)) {
    out.notebooks = 1;
    let nb: ReturnType<typeof notebookToPython>;
    try {
      nb = notebookToPython(text);
    } catch (e) {
      out.parseErrors = 1;
      out.findings.push(parseFinding(rel, `notebook not analysed: ${(e as Error).message}`));
      return out;
    }
    const a = analyzePython(parser, nb.source, external, { constantUses });
    if (a.imports?.length) out.imports = a.imports;
    out.lines = nb.lines.length;
    out.suppressed = a.suppressed;
    for (const h of a.hits) {
      const [index, line] = nb.lines[h.line - 1] ?? [0, h.line];
      const [endIndex, endLine] = nb.lines[h.endLine - 1] ?? [index, line];
      out.findings.push(toFinding(h, rel, { index, line, endLine: endIndex === index ? endLine : line }));
    }
    if (a.parseError) {
      out.parseErrors = 1;
      out.findings.push(parseFinding(rel, a.tooDeep ? TOO_DEEP : undefined));
    }
    return out;
  }
  out.python = 1;
  out.lines = countLines(text);
  const a = analyzePython(parser, text, external, { constantUses, templates: templateLookup(path, rel) });
  if (a.imports?.length) out.imports = a.imports;
  out.suppressed = a.suppressed;
  for (const h of a.hits) out.findings.push(toFinding(h, rel));
  if (a.callerCleared) out.callerCleared = a.callerCleared.map((h) => toFinding(h, rel));
  if (a.parseError) {
    out.parseErrors = 1;
    out.findings.push(parseFinding(rel, a.tooDeep ? TOO_DEEP : undefined));
  }
  return out;
}

const TOO_DEEP = "the file nests too deeply to analyse (an expression of thousands of parts): it was not analysed";
