import type { CheckResult, Finding, Subject } from "../core/index.js";

/** A reviewer's verified decision on a release, as the gate sees it. */
export interface EvidenceApproval {
  reviewer: string;
  roles: string[];
  decision: "approve" | "reject";
  comment: string;
  at: string;
  keyId: string;
}

export interface EvidenceSubject {
  name: string;
  digest: { sha256: string };
  /** dataset, model, code, … when known (rampart.yaml artifacts, registry datasets). */
  kind?: string;
  tags: string[];
}

export interface EvidenceRelease {
  id: string;
  model: string;
  digest: string;
  stage: string;
  /** The stage the release asks to move to (gates often only apply to production). */
  targetStage?: string;
  owner: string;
  tags: string[];
}

export interface EvidenceInput {
  results: readonly CheckResult[];
  release?: EvidenceRelease;
  approvals?: readonly EvidenceApproval[];
  /** Subjects with kinds and tags (e.g. datasets tagged `personal`), merged with the results' subjects. */
  subjects?: ReadonlyArray<Omit<EvidenceSubject, "tags"> & { tags?: string[] }>;
  /** Attestations behind the results, for policies on provenance. */
  attestations?: ReadonlyArray<{ check: string; keyId: string; envelopeSha256: string; verified: boolean }>;
}

/**
 * The document gate expressions read as `evidence` (its shape is documented in docs/policy.md):
 * `checks[name]` merges every result of one check (findings concatenated, metrics of the latest),
 * `results` keeps each result, `findings` flattens all findings with their `check`.
 */
export function buildEvidence(input: EvidenceInput): Record<string, unknown> {
  const checks: Record<string, { check: string; version: string; count: number; subjects: Subject[]; findings: Finding[]; metrics: Record<string, unknown> }> = {};
  const findings: Array<Finding & { check: string }> = [];
  for (const r of input.results) {
    checks[r.check] ??= { check: r.check, version: r.version, count: 0, subjects: [], findings: [], metrics: {} };
    const c = checks[r.check]!;
    c.count += 1;
    c.version = r.version;
    for (const s of r.subjects) if (!c.subjects.some((x) => x.digest.sha256 === s.digest.sha256 && x.name === s.name)) c.subjects.push(s);
    c.findings.push(...r.findings);
    c.metrics = r.metrics;
    for (const f of r.findings) findings.push({ ...f, check: r.check });
  }
  const subjects = new Map<string, EvidenceSubject>();
  for (const s of input.subjects ?? []) subjects.set(`${s.digest.sha256} ${s.name}`, { ...s, tags: [...(s.tags ?? [])] });
  for (const r of input.results)
    for (const s of r.subjects) {
      const key = `${s.digest.sha256} ${s.name}`;
      if (!subjects.has(key)) subjects.set(key, { name: s.name, digest: { sha256: s.digest.sha256 }, tags: [] });
    }
  const all = [...subjects.values()];
  const approvals = [...(input.approvals ?? [])];
  return {
    release: input.release ?? null,
    checks,
    results: input.results,
    findings,
    subjects: all,
    datasets: all.filter((s) => s.kind === "dataset"),
    models: all.filter((s) => s.kind === "model"),
    approvals: approvals.filter((a) => a.decision === "approve"),
    rejections: approvals.filter((a) => a.decision === "reject"),
    attestations: input.attestations ?? [],
    tags: input.release?.tags ?? [],
  };
}

/**
 * Fills in what a hand-written evidence fixture leaves out: `checks` and `findings` derived from
 * `results`, `datasets`/`models` from typed `subjects`, empty lists elsewhere. Keys given explicitly win.
 */
export function normalizeEvidence(doc: Record<string, unknown>): Record<string, unknown> {
  const list = (k: string) => (Array.isArray(doc[k]) ? (doc[k] as unknown[]) : []);
  const results = list("results") as Array<Partial<CheckResult> & { check: string }>;
  const datasets = (list("datasets") as EvidenceSubject[]).map((d) => ({ ...d, kind: "dataset", tags: d.tags ?? [] }));
  const models = (list("models") as EvidenceSubject[]).map((d) => ({ ...d, kind: "model", tags: d.tags ?? [] }));
  const approvals = [
    ...(list("approvals") as EvidenceApproval[]).map((a) => ({ ...a, decision: "approve" as const })),
    ...(list("rejections") as EvidenceApproval[]).map((a) => ({ ...a, decision: "reject" as const })),
  ];
  const built = buildEvidence({
    results: results.map((r) => ({ check: r.check, version: r.version ?? "0", subjects: r.subjects ?? [], findings: r.findings ?? [], metrics: r.metrics ?? {} })),
    release: (doc.release as EvidenceRelease | undefined) ?? undefined,
    approvals,
    subjects: [...(list("subjects") as EvidenceSubject[]), ...datasets, ...models],
  });
  return {
    ...built,
    ...doc,
    datasets: built.datasets,
    models: built.models,
    subjects: built.subjects,
    results: built.results,
    approvals: built.approvals,
    rejections: built.rejections,
  };
}
