import { atLeast, type CheckResult, type Severity } from "../types.js";
import { formatLocation } from "./table.js";

/**
 * JUnit XML for CI dashboards: a testsuite per check, a testcase per finding (a failure when at or
 * above the fail-on threshold, else a passed case with the finding in system-out), and one passing
 * case for a check with no findings.
 */
export function renderJunit(results: readonly CheckResult[], failOn: Severity): string {
  const suites = results.map((r) => {
    const cases = r.findings.map((f) => {
      const name = `${f.ruleId} ${formatLocation(f.location)}`.trim();
      const body = `${f.message}${f.remediation ? `\nFix: ${f.remediation}` : ""}`;
      return atLeast(f.severity, failOn)
        ? `    <testcase classname="${esc(r.check)}" name="${esc(name)}">\n      <failure type="${f.severity}" message="${esc(f.message)}">${esc(body)}</failure>\n    </testcase>`
        : `    <testcase classname="${esc(r.check)}" name="${esc(name)}">\n      <system-out>${esc(`[${f.severity}] ${body}`)}</system-out>\n    </testcase>`;
    });
    if (cases.length === 0) cases.push(`    <testcase classname="${esc(r.check)}" name="no findings"/>`);
    const failures = r.findings.filter((f) => atLeast(f.severity, failOn)).length;
    return `  <testsuite name="${esc(r.check)}" tests="${Math.max(r.findings.length, 1)}" failures="${failures}" errors="0">\n${cases.join("\n")}\n  </testsuite>`;
  });
  const tests = results.reduce((n, r) => n + Math.max(r.findings.length, 1), 0);
  const failures = results.reduce((n, r) => n + r.findings.filter((f) => atLeast(f.severity, failOn)).length, 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="rampart" tests="${tests}" failures="${failures}">\n${suites.join("\n")}\n</testsuites>\n`;
}

function esc(s: string): string {
  // XML 1.0 forbids most control characters even when escaped.
  return s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}
