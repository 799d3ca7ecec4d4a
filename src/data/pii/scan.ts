import { basename } from "node:path";
import { type CheckResult, type Finding, RampartError, registerRules, type Severity, sha256File, tag, VERSION } from "../../core/index.js";
import { AtomicWriter, cellText, type DataFormat, formatOf, isDataFile, lineBatches, RecordWriter, readRecords } from "../readers/index.js";
import { type AnalyzeOptions, analyze, contextWordsOf, type PiiMatch } from "./analyzer.js";
import { anonymize, type OperatorOptions } from "./operators.js";
import { ENTITIES } from "./recognizers.js";

const HIGH = new Set([
  "CREDIT_CARD",
  "IBAN_CODE",
  "US_SSN",
  "US_ITIN",
  "FR_NIR",
  "ES_NIF",
  "DE_ID_CARD",
  "DE_TAX_ID",
  "DE_SOCIAL_INSURANCE",
  "ES_SOCIAL_SECURITY",
  "IT_FISCAL_CODE",
  "CH_AHV",
  "UK_NINO",
  "UK_NHS",
  "PASSPORT",
  "MEDICAL_RECORD_NUMBER",
  "CRYPTO",
]);
const LOW = new Set(["IP_ADDRESS", "URL", "DATE_TIME"]);

export function severityOf(entity: string): Severity {
  return HIGH.has(entity) ? "high" : LOW.has(entity) ? "low" : "medium";
}

export function ruleIdOf(entity: string): string {
  return `pii.${entity.toLowerCase().replace(/_/g, "-")}`;
}

registerRules([
  ...ENTITIES.map((e) => ({
    id: ruleIdOf(e),
    title: `${e} found in data`,
    description: "Personal data in a training or evaluation set can be memorised by a model and leaked at inference time.",
    help: "Remove, redact or pseudonymise the value before the data enters training (rampart data pii FILE --redact OUT).",
    defaultSeverity: severityOf(e),
    tags: [tag.cwe(359), tag.owaspMl("ML03")],
  })),
  {
    id: "pii.column",
    title: "A column holds personal data in most of its values",
    help: "Drop the column, or redact it with --redact and an operator (mask, hash, pseudonym, encrypt).",
    defaultSeverity: "high",
    tags: [tag.cwe(359)],
  },
]);

export interface ColumnProfile {
  field: string;
  values: number;
  withPii: number;
  entities: Record<string, number>;
  maxScore: number;
}

export interface PiiScanOptions extends AnalyzeOptions {
  format?: DataFormat | "text";
  /** JSON Lines: scan only this field (dotted path for nested objects). */
  textField?: string;
  /** Detailed findings kept (all matches are still counted). */
  maxFindings?: number;
  /** Write a redacted copy here (atomically) with this operator. */
  redact?: { path: string; operator: OperatorOptions };
  /** Name used for the file in findings (default: the path as given). */
  displayName?: string;
  /** Share of a column's values that must hold one entity to report the column. */
  columnShare?: number;
}

/**
 * Scans a CSV/TSV/JSONL/Parquet file (every cell, column names as context) or a text file (line by
 * line) for PII; reports each match and a per-column profile; optionally writes a redacted copy.
 */
export async function scanPii(path: string, options: PiiScanOptions = {}): Promise<CheckResult> {
  const started = performance.now();
  const name = options.displayName ?? path;
  const format = options.format ?? (isDataFile(path) ? formatOf(path) : "text");
  const maxFindings = options.maxFindings ?? 1000;
  const findings: Finding[] = [];
  const counts: Record<string, number> = {};
  const columns = new Map<string, ColumnProfile>();
  let matches = 0;
  let records = 0;
  let chars = 0;
  let textFieldSeen = false;
  // Options per field, built once: the column name's words are context for every cell of the column.
  const optionsCache = new Map<string, AnalyzeOptions>();
  const plain: AnalyzeOptions = { threshold: options.threshold, entities: options.entities, context: options.context ?? [] };
  const analyzeOpts = (field: string | undefined): AnalyzeOptions => {
    if (field === undefined) return plain;
    let o = optionsCache.get(field);
    if (!o) {
      o = { ...plain, context: [...(options.context ?? []), ...contextWordsOf(field)] };
      optionsCache.set(field, o);
    }
    return o;
  };
  const report = (found: PiiMatch[], text: string, where: { row?: number; line?: number; field?: string }) => {
    for (const m of found) {
      matches++;
      counts[m.entity] = (counts[m.entity] ?? 0) + 1;
      if (findings.length >= maxFindings) continue;
      findings.push({
        ruleId: ruleIdOf(m.entity),
        severity: severityOf(m.entity),
        message: `${m.entity} (score ${m.score.toFixed(2)}${m.checksumValid === false ? ", checksum fails" : ""})${where.field ? ` in field "${where.field}"` : ""}`,
        entity: m.entity,
        location: {
          file: name,
          ...(where.row !== undefined ? { row: where.row } : {}),
          ...(where.line !== undefined ? { line: where.line, column: m.start + 1 } : {}),
          ...(where.field !== undefined ? { field: where.field } : {}),
          offset: m.start,
          length: m.end - m.start,
        },
        evidence: {
          score: m.score,
          recognizer: m.recognizer,
          preview: preview(text.slice(m.start, m.end)),
          ...(m.checksumValid === false ? { checksumValid: false } : {}),
        },
        tags: [tag.cwe(359)],
      });
    }
  };

  const writer = options.redact
    ? format === "text"
      ? new AtomicWriter(options.redact.path)
      : new RecordWriter(options.redact.path, format === "parquet" ? undefined : format)
    : undefined;
  try {
    if (format === "text") {
      let line = 0;
      const opts = analyzeOpts(undefined);
      for await (const batch of lineBatches(path, 64 << 20)) {
        let out = "";
        for (const text of batch) {
          line++;
          records++;
          chars += text.length;
          const found = analyze(text, opts);
          if (found.length) report(found, text, { line });
          if (writer) out += `${options.redact && found.length ? anonymize(text, found, options.redact.operator) : text}\n`;
        }
        if (writer && out) await (writer as AtomicWriter).write(out);
      }
    } else {
      for await (const rec of readRecords(path, { format })) {
        records++;
        const scanField = (field: string, value: unknown): unknown => {
          if (value !== null && typeof value === "object" && !(value instanceof Date)) {
            if (Array.isArray(value)) return value.map((v, i) => scanField(`${field}[${i}]`, v));
            const out: Record<string, unknown> = {};
            for (const [k, v] of Object.entries(value)) out[k] = scanField(`${field}.${k}`, v);
            return out;
          }
          const text = cellText(value);
          if (text === undefined || text === "") return value;
          chars += text.length;
          const found = analyze(text, analyzeOpts(field));
          const col = columns.get(field) ?? { field, values: 0, withPii: 0, entities: {}, maxScore: 0 };
          columns.set(field, col);
          col.values++;
          if (found.length) {
            col.withPii++;
            for (const m of found) {
              col.entities[m.entity] = (col.entities[m.entity] ?? 0) + 1;
              col.maxScore = Math.max(col.maxScore, m.score);
            }
          }
          report(found, text, { row: rec.row, field });
          if (!options.redact || found.length === 0) return value;
          return anonymize(text, found, options.redact.operator);
        };
        let out: Record<string, unknown>;
        if (options.textField) {
          const [value, set] = pick(rec.values, options.textField);
          if (value === undefined) {
            out = rec.values;
          } else {
            textFieldSeen = true;
            const replaced = scanField(options.textField, value);
            out = set(replaced);
          }
        } else {
          out = {};
          for (const [k, v] of Object.entries(rec.values)) out[k] = scanField(k, v);
        }
        if (writer) await (writer as RecordWriter).write(out);
      }
    }
    if (options.textField && records > 0 && !textFieldSeen) throw new RampartError("invalid-input", `${path}: no record has the field "${options.textField}" (--text-field)`);
    await writer?.commit();
  } catch (e) {
    await writer?.abort();
    throw e;
  }

  const share = options.columnShare ?? 0.5;
  const profile = [...columns.values()];
  for (const col of profile) {
    const top = Object.entries(col.entities).sort((a, b) => b[1] - a[1])[0];
    if (!top || col.values === 0 || top[1] / col.values < share) continue;
    findings.unshift({
      ruleId: "pii.column",
      severity: severityOf(top[0]) === "low" ? "medium" : "high",
      message: `column "${col.field}" holds ${top[0]} in ${Math.round((100 * top[1]) / col.values)}% of ${col.values} values`,
      entity: top[0],
      location: { file: name, field: col.field },
      evidence: { ...col },
      remediation: "Drop or redact the column before training.",
      tags: [tag.cwe(359)],
    });
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    check: "data-pii",
    version: VERSION,
    subjects: [{ name: basename(name), digest: { sha256: await sha256File(path) } }],
    findings,
    metrics: {
      records,
      characters: chars,
      matches,
      truncated: matches > findings.length ? matches - (findings.length - findings.filter((f) => f.ruleId === "pii.column").length) : 0,
      entities: counts,
      columns: profile,
      seconds: Math.round(seconds * 1000) / 1000,
      ...(options.redact ? { redactedTo: options.redact.path, operator: options.redact.operator.operator } : {}),
    },
  };
}

/** Shows the last two characters only: enough to find the value again, not enough to leak it. */
function preview(s: string): string {
  return s.length <= 4 ? "*".repeat(s.length) : `${"*".repeat(Math.min(s.length - 2, 12))}${s.slice(-2)}`;
}

/** Reads a dotted path from a record and returns a setter producing a copy with a new value there. */
function pick(values: Record<string, unknown>, path: string): [unknown, (v: unknown) => Record<string, unknown>] {
  if (path in values) return [values[path], (v) => ({ ...values, [path]: v })];
  const parts = path.split(".");
  let cur: unknown = values;
  for (const p of parts) {
    if (cur === null || typeof cur !== "object") return [undefined, () => values];
    cur = (cur as Record<string, unknown>)[p];
  }
  const set = (v: unknown): Record<string, unknown> => {
    const copy = structuredClone(values);
    let at: Record<string, unknown> = copy;
    for (const p of parts.slice(0, -1)) at = at[p] as Record<string, unknown>;
    at[parts[parts.length - 1]!] = v;
    return copy;
  };
  return [cur, set];
}
