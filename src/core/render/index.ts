import type { CheckResult, Severity } from "../types.js";
import { renderJunit } from "./junit.js";
import { renderSarif } from "./sarif.js";
import { renderTable } from "./table.js";

export const FORMATS = ["table", "json", "sarif", "junit"] as const;
export type Format = (typeof FORMATS)[number];

export interface RenderOptions {
  color: boolean;
  width?: number;
  failOn: Severity;
  toolVersion: string;
}

/** `--format json`: one CheckResult alone, several as `{"results": [...]}`. */
export function toJson(results: readonly CheckResult[]): object {
  return results.length === 1 ? results[0]! : { results };
}

export function render(results: readonly CheckResult[], format: Format, options: RenderOptions): string {
  switch (format) {
    case "table":
      return renderTable(results, options);
    case "json":
      return `${JSON.stringify(toJson(results), null, 2)}\n`;
    case "sarif":
      return `${JSON.stringify(renderSarif(results, options), null, 2)}\n`;
    case "junit":
      return renderJunit(results, options.failOn);
  }
}

export { formatLocation, summaryLine } from "./table.js";
export { renderJunit, renderSarif, renderTable };
