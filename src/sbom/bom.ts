import { createHash, randomUUID } from "node:crypto";
import { stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import * as CDX from "@cyclonedx/cyclonedx-library";
import { checkResultOf, type PublicKey, verifyStatement } from "../attest/index.js";
import { type CheckResult, type Finding, RampartError, type Subject, subjectOf, VERSION } from "../core/index.js";
import { collectDependencies, type Dependency, normalizePackageName, purlOf } from "../scan/deps/index.js";
import { listAttestations, type Store } from "../store/index.js";
import { type ArtifactFile, cardFor, findArtifacts, type ModelCardMeta, readModelCard } from "./artifacts.js";
import { DEFAULT_POLICY, type LicensePolicy, type LicenseSubject, licenseFindings, type ResolvedLicense, resolveLicense } from "./licenses.js";
import { npmInstalledLicense, type PythonDist, pythonInstalledLicenses } from "./metadata.js";

export interface SbomOptions {
  /** Store holding Rampart attestations; models' model cards are filled from evidence about their digest. */
  store?: Store;
  /** Only attestations signed by these keys are used (else evidence is used unverified and marked so). */
  trustedKeys?: readonly PublicKey[];
  policy?: LicensePolicy;
  /** Name of the project component (default: the folder name). */
  projectName?: string;
  /** Include development dependencies (default true; they get scope "excluded"). */
  dev?: boolean;
  /** Timestamp for metadata (tests pin it). */
  now?: Date;
  /**
   * Models and datasets declared elsewhere (rampart.yaml artifacts), relative to the project: added
   * when the walker did not recognise them (a folder of shards, an unusual extension).
   */
  declared?: ReadonlyArray<{ path: string; kind: "model" | "dataset" }>;
}

export interface SbomOutput {
  /** The CycloneDX 1.6 JSON document, serialised. */
  json: string;
  /** Licence findings and counts; the caller adds the BOM file as a subject once it is written. */
  result: CheckResult;
}

const TOOL = { vendor: "Rampart", name: "rampart", version: VERSION };

interface Library {
  dep: Dependency;
  purl: string;
  license?: ResolvedLicense;
  licenseSource?: string;
  files: Set<string>;
}

/** Builds an ML-aware CycloneDX 1.6 SBOM of a project folder and judges its licences. */
export async function buildSbom(path: string, options: SbomOptions = {}): Promise<SbomOutput> {
  const policy = options.policy ?? DEFAULT_POLICY;
  const { root, files } = await collectDependencies(path);
  const findings: Finding[] = [];
  for (const f of files)
    if (f.error)
      findings.push({
        ruleId: "deps.parse-error",
        severity: "medium",
        message: f.error,
        location: { file: f.file },
        remediation: "Fix the file so its dependencies can be listed.",
      });

  // Libraries, one per purl (the same package in several files is one component).
  const libs = new Map<string, Library>();
  for (const f of files)
    for (const d of f.dependencies) {
      if (d.dev && options.dev === false) continue;
      if (d.ecosystem === "PyPI" && !/^[A-Za-z0-9]/.test(d.name)) continue; // a local path, not a package
      const purl = purlOf(d);
      const have = libs.get(purl);
      if (have) {
        have.files.add(d.file);
        if (!have.dep.hashes?.length && d.hashes?.length) have.dep.hashes = d.hashes;
        if (!have.dep.license && d.license) have.dep.license = d.license;
        if (have.dep.dev && !d.dev) have.dep.dev = false;
        continue;
      }
      libs.set(purl, { dep: { ...d }, purl, files: new Set([d.file]) });
    }
  const python = await pythonInstalledLicenses(root);
  await resolveLibraryLicenses(root, [...libs.values()], python);

  const artifacts = await findArtifacts(root);
  for (const d of options.declared ?? []) {
    const rel = d.path.replace(/^\.\//, "").replace(/\/+$/, "");
    if (rel.startsWith("..") || artifacts.some((a) => a.path === rel)) continue;
    const full = join(root, ...rel.split("/"));
    const info = await stat(full).catch(() => undefined);
    if (!info) continue; // the inventory stage reports missing artifacts
    const subject = await subjectOf(full, rel);
    artifacts.push({ path: rel, kind: d.kind, format: info.isDirectory() ? "directory" : "declared", size: info.isDirectory() ? 0 : info.size, sha256: subject.digest.sha256 });
  }
  const cards = new Map<string, ModelCardMeta | undefined>();
  // A declared model folder (Hugging Face layout) carries its card inside.
  for (const a of artifacts) if (a.kind === "model") cards.set(a.path, (a.format === "directory" ? await readModelCard(root, a.path) : undefined) ?? (await cardFor(root, a.path)));

  const bom = new CDX.Models.Bom();
  bom.serialNumber = `urn:uuid:${randomUUID()}`;
  bom.metadata.timestamp = options.now ?? new Date();
  bom.metadata.tools.components.add(
    new CDX.Models.Component(CDX.Enums.ComponentType.Application, TOOL.name, { version: TOOL.version, publisher: TOOL.vendor, bomRef: "tool:rampart" }),
  );
  const project = new CDX.Models.Component(CDX.Enums.ComponentType.Application, options.projectName ?? basename(root), { bomRef: "project" });
  bom.metadata.component = project;

  const subjects: LicenseSubject[] = [];
  const libComponents = new Map<string, CDX.Models.Component>();
  for (const lib of [...libs.values()].sort((a, b) => (a.purl < b.purl ? -1 : 1))) {
    const d = lib.dep;
    const group = d.ecosystem === "npm" && d.name.startsWith("@") ? d.name.split("/")[0] : undefined;
    const name = group ? d.name.slice(group.length + 1) : d.name;
    const c = new CDX.Models.Component(CDX.Enums.ComponentType.Library, name, { bomRef: lib.purl, purl: lib.purl, version: d.version, group });
    if (d.dev) c.scope = CDX.Enums.ComponentScope.Excluded; // needed to build, not shipped
    for (const h of d.hashes ?? []) c.hashes.set(h.alg as CDX.Enums.HashAlgorithm, h.content);
    addLicense(c, lib.license);
    for (const file of [...lib.files].sort()) c.properties.add(new CDX.Models.Property("rampart:source-file", file));
    if (d.spec) c.properties.add(new CDX.Models.Property("rampart:requirement", d.spec));
    if (d.source) c.properties.add(new CDX.Models.Property("rampart:source", d.source));
    if (lib.licenseSource) c.properties.add(new CDX.Models.Property("rampart:license-source", lib.licenseSource));
    bom.components.add(c);
    libComponents.set(lib.purl, c);
    subjects.push({ name: lib.purl, kind: "library", license: lib.license, location: { file: [...lib.files][0]!, ...(d.line ? { line: d.line } : {}) } });
    if (d.direct) project.dependencies.add(c.bomRef);
  }

  const extras = new Map<string, Record<string, unknown>>();
  const evidenceNotes: string[] = [];
  const datasetRefs = new Map<string, string>();
  for (const a of artifacts.filter((x) => x.kind === "dataset")) {
    const ref = `dataset:${a.path}`;
    datasetRefs.set(a.path, ref);
    const c = new CDX.Models.Component(CDX.Enums.ComponentType.Data, a.path, { bomRef: ref });
    c.hashes.set(CDX.Enums.HashAlgorithm["SHA-256"], a.sha256);
    c.properties.add(new CDX.Models.Property("rampart:format", a.format));
    c.properties.add(new CDX.Models.Property("rampart:size", String(a.size)));
    bom.components.add(c);
    extras.set(ref, { data: [{ type: "dataset", name: a.path }] });
  }
  for (const a of artifacts.filter((x) => x.kind === "model")) {
    const ref = `model:${a.path}`;
    const card = cards.get(a.path);
    const c = new CDX.Models.Component(CDX.Enums.ComponentType.MachineLearningModel, a.path, { bomRef: ref });
    c.hashes.set(CDX.Enums.HashAlgorithm["SHA-256"], a.sha256);
    c.properties.add(new CDX.Models.Property("rampart:format", a.format));
    c.properties.add(new CDX.Models.Property("rampart:size", String(a.size)));
    const license = card?.license ? resolveLicense(card.license) : undefined;
    addLicense(c, license);
    if (card) c.properties.add(new CDX.Models.Property("rampart:model-card", card.file));
    bom.components.add(c);
    project.dependencies.add(c.bomRef);
    subjects.push({ name: a.path, kind: "model", license, location: { file: card?.file ?? a.path } });
    const evidence = options.store ? await evidenceFor(options.store, a, options.trustedKeys, evidenceNotes) : [];
    extras.set(ref, { modelCard: modelCard(ref, a, card, evidence, datasetRefs) });
  }

  for (const s of subjects) findings.push(...licenseFindings(s, policy));

  const serializer = new CDX.Serialize.JsonSerializer(new CDX.Serialize.JSON.Normalize.Factory(CDX.Spec.Spec1dot6));
  const doc = JSON.parse(serializer.serialize(bom, { sortLists: true })) as { components?: Array<Record<string, unknown>> };
  // The library has no model for modelCard or component data (CycloneDX 1.5+): add them to the JSON.
  for (const c of doc.components ?? []) {
    const extra = extras.get(c["bom-ref"] as string);
    if (extra) Object.assign(c, extra);
  }
  const json = `${JSON.stringify(doc, null, 2)}\n`;
  await assertValid(json);

  const categories: Record<string, number> = {};
  for (const f of findings) if (f.ruleId.startsWith("license.")) categories[f.ruleId] = (categories[f.ruleId] ?? 0) + 1;
  const artifactSubjects: Subject[] = artifacts.map((a) => ({ name: a.path, digest: { sha256: a.sha256 } }));
  return {
    json,
    result: {
      check: "sbom",
      version: VERSION,
      subjects: artifactSubjects,
      findings,
      metrics: {
        components: libs.size + artifacts.length,
        libraries: libs.size,
        models: artifacts.filter((a) => a.kind === "model").length,
        datasets: artifacts.filter((a) => a.kind === "dataset").length,
        licensed: subjects.filter((s) => s.license?.node).length,
        unlicensed: subjects.filter((s) => !s.license?.node).length,
        dependencyFiles: files.length,
        ...Object.fromEntries(Object.entries(categories).map(([k, v]) => [`findings.${k}`, v])),
        ...(evidenceNotes.length ? { evidenceNotes } : {}),
      },
    },
  };
}

async function resolveLibraryLicenses(root: string, libs: Library[], python: Map<string, PythonDist>): Promise<void> {
  for (const lib of libs) {
    const d = lib.dep;
    let raw = d.license;
    let source = raw ? "lockfile" : undefined;
    if (!raw && d.ecosystem === "npm") {
      // The node_modules beside each lockfile that lists it.
      for (const file of lib.files) {
        raw = await npmInstalledLicense(join(root, dirname(file)), d.name);
        if (raw) {
          source = "node_modules";
          break;
        }
      }
    }
    if (!raw && d.ecosystem === "PyPI") {
      const dist = python.get(normalizePackageName("PyPI", d.name));
      if (dist?.license && (!d.version || !dist.version || dist.version === d.version)) {
        raw = dist.license;
        source = "dist-info";
      }
    }
    if (raw) {
      lib.license = resolveLicense(raw);
      lib.licenseSource = source;
    }
  }
}

function addLicense(c: CDX.Models.Component, license: ResolvedLicense | undefined): void {
  if (!license) return;
  if (license.expression) {
    const node = license.node;
    if (node?.kind === "license" && node.known && !node.plus && !node.exception) c.licenses.add(new CDX.Models.SpdxLicense(node.id));
    else c.licenses.add(new CDX.Models.LicenseExpression(license.expression));
  } else c.licenses.add(new CDX.Models.NamedLicense(license.raw.slice(0, 200)));
}

interface Evidence {
  check: string;
  envelopeSha256: string;
  verified: boolean;
  result: CheckResult;
}

async function evidenceFor(store: Store, a: ArtifactFile, trusted: readonly PublicKey[] | undefined, notes: string[]): Promise<Evidence[]> {
  const out: Evidence[] = [];
  for (const rec of await listAttestations(store, { subjectSha256: a.sha256 })) {
    try {
      let statement: unknown;
      if (trusted?.length) statement = verifyStatement(rec.envelope, trusted, { source: `attestation ${rec.envelopeSha256.slice(0, 12)}` }).statement;
      else {
        const env = rec.envelope as { payload?: unknown };
        statement = typeof env.payload === "string" ? JSON.parse(Buffer.from(env.payload, "base64").toString("utf8")) : undefined;
      }
      const result = statement ? checkResultOf(statement as Parameters<typeof checkResultOf>[0]) : undefined;
      if (result) out.push({ check: rec.check, envelopeSha256: rec.envelopeSha256, verified: Boolean(trusted?.length), result });
    } catch (e) {
      // An attestation that does not verify is left out of the card, and said so.
      notes.push(`${a.path}: attestation ${rec.envelopeSha256.slice(0, 12)} skipped (${(e as Error).message})`);
    }
  }
  return out;
}

const APPROACH = new Set(["supervised", "unsupervised", "reinforcement-learning", "semi-supervised", "self-supervised"]);

/** CycloneDX 1.6 modelCard from the model card's front matter and Rampart's own evidence about the digest. */
function modelCard(ref: string, a: ArtifactFile, card: ModelCardMeta | undefined, evidence: Evidence[], datasetRefs: Map<string, string>): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  if (card?.task) params.task = card.task;
  if (card?.libraryName) params.architectureFamily = card.libraryName;
  const approach = card?.tags?.find((t) => APPROACH.has(t));
  if (approach) params.approach = { type: approach };
  const datasets = (card?.datasets ?? []).map((name) => (datasetRefs.has(name) ? { ref: datasetRefs.get(name) } : { type: "dataset", name }));
  if (datasets.length) params.datasets = datasets;

  const metrics: Array<Record<string, unknown>> = [];
  for (const r of card?.results ?? []) metrics.push({ type: r.type, value: r.value, ...(r.dataset ? { slice: r.dataset } : {}) });
  const limitations: string[] = [];
  const properties: Array<{ name: string; value: string }> = [{ name: "rampart:format", value: a.format }];
  for (const e of evidence) {
    for (const [k, v] of Object.entries(e.result.metrics)) {
      if (typeof v === "number" && Number.isFinite(v)) metrics.push({ type: `${e.result.check}.${k}`, value: String(v) });
      else if (isInterval(v))
        metrics.push({ type: `${e.result.check}.${k}`, value: String(v.value), confidenceInterval: { lowerBound: String(v.lower), upperBound: String(v.upper) } });
    }
    const serious = e.result.findings.filter((f) => f.severity === "critical" || f.severity === "high");
    if (serious.length) limitations.push(`${e.result.check}: ${serious.length} critical/high finding(s), e.g. ${serious[0]!.ruleId}: ${serious[0]!.message}`.slice(0, 500));
    properties.push({ name: "rampart:attestation", value: `${e.check} sha256:${e.envelopeSha256}${e.verified ? "" : " (signature not checked)"}` });
  }
  if (card?.baseModel?.length) properties.push(...card.baseModel.map((b) => ({ name: "rampart:base-model", value: b })));
  const out: Record<string, unknown> = { "bom-ref": `${ref}#card`, properties };
  if (Object.keys(params).length) out.modelParameters = params;
  if (metrics.length) out.quantitativeAnalysis = { performanceMetrics: metrics };
  if (limitations.length) out.considerations = { technicalLimitations: limitations };
  return out;
}

function isInterval(v: unknown): v is { value: number; lower: number; upper: number } {
  if (!v || typeof v !== "object") return false;
  const o = v as Record<string, unknown>;
  return typeof o.value === "number" && typeof o.lower === "number" && typeof o.upper === "number";
}

let validator: CDX.Validation.JsonStrictValidator | undefined;

/** Validates against the official CycloneDX 1.6 JSON schema (strict), so Rampart never writes an invalid BOM. */
export async function validateBom(json: string): Promise<unknown> {
  validator ??= new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6);
  return validator.validate(json);
}

async function assertValid(json: string): Promise<void> {
  const errors = await validateBom(json);
  if (errors) throw new RampartError("invalid-input", `generated SBOM does not validate against CycloneDX 1.6: ${JSON.stringify(errors).slice(0, 300)}`);
}

/** sha256 of the BOM text, for the subject of the sbom attestation. */
export function bomDigest(json: string): string {
  return createHash("sha256").update(json).digest("hex");
}
