import { readFile } from "node:fs/promises";
import { type CheckResult, type Finding, fileError, type Subject, subjectOf, tag, VERSION } from "../../core/index.js";
import { analyzePython, type CodeHit } from "./analyze.js";
import { notebookToPython } from "./notebook.js";
import { pythonParser } from "./python.js";
import { CODE_RULES } from "./rules.js";
import { SKIPPED_DIRS, walkFiles } from "./walk.js";

export interface ScanCodeOptions {
  /** Source files larger than this are reported and skipped (default 8 MiB: generated code, not hand-written). */
  maxFileBytes?: number;
  /** Name for the subject (default: the path as given). */
  name?: string;
  onFile?: (rel: string) => void;
}

const PYTHON = /\.(?:py|pyw|pyi)$/i;
const NOTEBOOK = /\.ipynb$/i;

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
    tags: [tag.cwe(hit.rule.cwe), ...(hit.rule.tags ?? [])],
  };
}

/** Static analysis of the Python files and Jupyter notebooks under `root` (a folder or one file). */
export async function scanCode(root: string, options: ScanCodeOptions = {}): Promise<CheckResult> {
  const parser = await pythonParser();
  const maxBytes = options.maxFileBytes ?? 8 << 20;
  const findings: Finding[] = [];
  let files = 0;
  let notebooks = 0;
  let lines = 0;
  let parseErrors = 0;
  let suppressed = 0;
  let skippedLarge = 0;
  for await (const f of walkFiles(root, { wants: (rel) => PYTHON.test(rel) || NOTEBOOK.test(rel) })) {
    options.onFile?.(f.rel);
    if (f.size > maxBytes) {
      skippedLarge++;
      findings.push({ ruleId: CODE_RULES.parse.id, severity: "info", message: `not analysed: ${f.size} bytes is over the ${maxBytes}-byte limit`, location: { file: f.rel } });
      continue;
    }
    let text: string;
    try {
      text = await readFile(f.path, "utf8");
    } catch (e) {
      throw fileError(f.path, e);
    }
    if (NOTEBOOK.test(f.rel)) {
      notebooks++;
      let nb: ReturnType<typeof notebookToPython>;
      try {
        nb = notebookToPython(text);
      } catch (e) {
        parseErrors++;
        findings.push({ ruleId: CODE_RULES.parse.id, severity: "info", message: `notebook not analysed: ${(e as Error).message}`, location: { file: f.rel } });
        continue;
      }
      const a = analyzePython(parser, nb.source);
      lines += nb.lines.length;
      suppressed += a.suppressed;
      if (a.parseError) parseErrors++;
      for (const h of a.hits) {
        const [index, line] = nb.lines[h.line - 1] ?? [0, h.line];
        const [endIndex, endLine] = nb.lines[h.endLine - 1] ?? [index, line];
        findings.push(toFinding(h, f.rel, { index, line, endLine: endIndex === index ? endLine : line }));
      }
      if (a.parseError) findings.push(parseFinding(f.rel));
      continue;
    }
    files++;
    lines += countLines(text);
    const a = analyzePython(parser, text);
    suppressed += a.suppressed;
    for (const h of a.hits) findings.push(toFinding(h, f.rel));
    if (a.parseError) {
      parseErrors++;
      findings.push(parseFinding(f.rel));
    }
  }
  const subject: Subject = await subjectOf(root, options.name ?? root, { ignore: (rel) => SKIPPED_DIRS.has(rel.split("/")[0]!) });
  return {
    check: "scan-code",
    version: VERSION,
    subjects: [subject],
    findings,
    metrics: { pythonFiles: files, notebooks, lines, parseErrors, suppressed, skippedLarge, findings: findings.length, rules: Object.keys(CODE_RULES).length },
  };
}

function parseFinding(file: string): Finding {
  return { ruleId: CODE_RULES.parse.id, severity: "info", message: "part of the file is not valid Python 3: that part was not analysed", location: { file } };
}

function countLines(text: string): number {
  let n = text.length > 0 && !text.endsWith("\n") ? 1 : 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
  return n;
}
