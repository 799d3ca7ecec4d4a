import { sha256Hex } from "../digest.js";
import { ruleInfo } from "../rules.js";
import type { CheckResult, Finding, Severity } from "../types.js";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

const LEVEL: Record<Severity, "error" | "warning" | "note"> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "note",
  info: "note",
};

/** GitHub's numeric security-severity bands: >9 critical, 7-8.9 high, 4-6.9 medium, 0.1-3.9 low. */
const SECURITY_SEVERITY: Record<Severity, string | undefined> = {
  critical: "9.5",
  high: "8.0",
  medium: "5.5",
  low: "2.0",
  info: undefined,
};

export interface SarifOptions {
  toolVersion: string;
  informationUri?: string;
}

/** SARIF 2.1.0 log with one run per check, shaped for GitHub code scanning. */
export function renderSarif(results: readonly CheckResult[], options: SarifOptions): object {
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: results.map((r) => sarifRun(r, options)),
  };
}

function sarifRun(result: CheckResult, options: SarifOptions) {
  const ruleIds = [...new Set(result.findings.map((f) => f.ruleId))];
  const rules = ruleIds.map((id) => ruleDescriptor(id, result.findings.find((f) => f.ruleId === id)!));
  return {
    tool: {
      driver: {
        name: "rampart",
        semanticVersion: options.toolVersion,
        informationUri: options.informationUri ?? "https://rampart.dev",
        rules,
      },
    },
    automationDetails: { id: `rampart/${result.check}/` },
    artifacts: result.subjects.map((s) => ({ location: { uri: s.name }, hashes: { "sha-256": s.digest.sha256 } })),
    results: result.findings.map((f) => sarifResult(f, ruleIds.indexOf(f.ruleId))),
    properties: { check: result.check, checkVersion: result.version, metrics: result.metrics },
  };
}

function ruleDescriptor(id: string, example: Finding) {
  const info = ruleInfo(id);
  const title = info?.title ?? example.message;
  const severity = info?.defaultSeverity ?? example.severity;
  const help = info?.help ?? example.remediation ?? title;
  const securitySeverity = SECURITY_SEVERITY[severity];
  return {
    id,
    name: pascal(id),
    shortDescription: { text: limit(title) },
    fullDescription: { text: limit(info?.description ?? title) },
    help: { text: help, markdown: help },
    ...(info?.helpUri ? { helpUri: info.helpUri } : {}),
    defaultConfiguration: { level: LEVEL[severity] },
    properties: {
      tags: ["security", "rampart", ...(info?.tags ?? example.tags ?? [])].slice(0, 20),
      precision: "high",
      ...(securitySeverity ? { "security-severity": securitySeverity } : {}),
    },
  };
}

function sarifResult(f: Finding, ruleIndex: number) {
  const loc = f.location ?? {};
  const uri = loc.file ?? "";
  const region: Record<string, number> = { startLine: loc.line ?? 1, startColumn: loc.column ?? 1 };
  if (loc.endLine !== undefined) region.endLine = loc.endLine;
  if (loc.endColumn !== undefined) region.endColumn = loc.endColumn;
  else if (loc.line === undefined) region.endColumn = 2; // binary artifact: a token region, byte offset below
  if (loc.offset !== undefined && loc.line === undefined) region.byteOffset = loc.offset;
  if (loc.length !== undefined && loc.line === undefined) region.byteLength = loc.length;
  const fingerprint = sha256Hex(JSON.stringify([f.ruleId, uri, loc.member ?? "", loc.row ?? "", loc.field ?? "", loc.pointer ?? "", f.entity ?? "", loc.line ?? ""]));
  return {
    ruleId: f.ruleId,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: f.message + (loc.member ? ` (in ${loc.member})` : "") },
    ...(uri
      ? {
          locations: [
            {
              physicalLocation: { artifactLocation: { uri: encodeUri(uri) }, region },
              ...(loc.member || loc.pointer || loc.row
                ? { logicalLocations: [{ fullyQualifiedName: [loc.member, loc.row && `row ${loc.row}`, loc.field, loc.pointer].filter(Boolean).join(" ") }] }
                : {}),
            },
          ],
        }
      : {}),
    partialFingerprints: { primaryLocationLineHash: `${fingerprint.slice(0, 16)}:1` },
    properties: {
      severity: f.severity,
      ...(f.entity ? { entity: f.entity } : {}),
      ...(f.tags ? { tags: f.tags } : {}),
      ...(f.evidence ? { evidence: f.evidence } : {}),
      ...(f.remediation ? { remediation: f.remediation } : {}),
      ...(loc.offset !== undefined ? { byteOffset: loc.offset } : {}),
    },
  };
}

function encodeUri(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

function pascal(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join("");
}

function limit(s: string): string {
  return s.length <= 1024 ? s : `${s.slice(0, 1023)}…`;
}
