/** The dashboard's view of the server's JSON API (src/server/dashboard-routes.ts, registry-routes.ts). */

export type Severity = "critical" | "high" | "medium" | "low" | "info";
export const SEVERITIES: Severity[] = ["critical", "high", "medium", "low", "info"];

export interface StageSummary {
  stage: string;
  label: string;
  status: "passed" | "failed" | "error";
  worst: Severity | null;
  findings: number;
  durationMs: number;
  error: string | null;
}

export interface RunSummary {
  id: string;
  project: string;
  startedAt: string;
  finishedAt: string | null;
  status: string;
  failOn: Severity | null;
  stages: StageSummary[];
  bySeverity: Record<Severity, number>;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  location?: { file?: string; member?: string; line?: number; column?: number; offset?: number; row?: number; field?: string; pointer?: string };
  remediation?: string;
}

export interface CheckResult {
  check: string;
  subjects: Array<{ name: string; digest: { sha256: string } }>;
  findings: Finding[];
  metrics?: Record<string, unknown>;
}

export interface RunDetail {
  run: RunSummary;
  report: { stages: Array<{ stage: string; label: string; status: string; durationMs: number; results: CheckResult[]; attestations: string[]; error?: string }> } | null;
}

export interface ReleaseSummary {
  id: string;
  model: string;
  stage: string;
  owner: string;
  tags: string[];
  evidence: number;
  approvals: number;
  rejections: number;
  updatedAt: string;
}

export interface RuleOutcome {
  id: string;
  policy: string;
  action: string;
  outcome: string;
  message?: string;
  reason?: string;
  file: string;
  line: number;
}

export interface ReleaseDetail {
  release: { id: string; model: string; modelSha256: string; owner: string; stage: string; tags: string[]; digest: string; evidence: string[]; createdAt: string };
  reviews: {
    valid: Array<{ reviewer: string; decision: "approve" | "reject"; roles: string[]; at: string; comment: string; keyId: string }>;
    invalid: Array<{ reviewer: string; reason: string }>;
  };
  rejectedAttestations: Array<{ envelopeSha256: string; reason: string }>;
  decisions: Array<{ id: string; decision: "allow" | "deny"; bundleDigest: string; evaluatedAt: string; actor: string | null; rules: RuleOutcome[] }>;
  events: Array<{ from: string; to: string; actor: string; gateDecisionId: string | null; access: { decision: string; policyIds: string[]; requested: string }; at: string }>;
}

export interface LedgerLog {
  origin: string;
  size: number;
  root: string;
  checkpoint: { size: number; createdAt: string; note: string; signatures: number } | null;
}

export interface LedgerAudit {
  origin: string;
  ok: boolean;
  size: number;
  checkpoints: number;
  verifiedUpTo: number;
  problems: Array<{ kind: string; message: string; index?: number }>;
}

export interface LineageNode {
  namespace: string;
  name: string;
  version: string | null;
  cycle?: boolean;
  producedBy?: {
    job: string;
    namespace: string;
    runId: string;
    eventTime: string;
    attestations: Array<{ predicateType?: string; digest?: string; check?: string }>;
    inputs: LineageNode[];
  };
}

export class ApiError extends Error {}

/** GET or POST JSON; a server error becomes its one-line message. */
export async function api<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, body === undefined ? {} : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const json = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
  if (!res.ok) throw new ApiError(json.error?.message ?? `${res.status} ${res.statusText}`);
  return json as T;
}
