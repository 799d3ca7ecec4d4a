import { lstat } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import * as z from "zod";
import { type Envelope, loadPublicKey, type PublicKey, type Signer, signStatement, statement, verifyStatement } from "../../attest/index.js";
import {
  type CheckResult,
  digestDirectory,
  type Finding,
  fileError,
  isRampartError,
  loadYaml,
  messageOf,
  RampartError,
  registerRules,
  type Subject,
  sha256File,
  tag,
  VERSION,
} from "../../core/index.js";
import { type DataFormat, formatOf, isDataFile, parquetColumns, readRecords } from "../readers/index.js";

export const DATASET_MANIFEST_PREDICATE = "https://rampart.dev/attestation/dataset-manifest/v1";

export const ManifestFile = z.object({
  path: z.string().min(1),
  kind: z.enum(["file", "symlink", "special"]).default("file"),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().nonnegative(),
  format: z.enum(["csv", "tsv", "jsonl", "parquet"]).optional(),
  rows: z.number().int().nonnegative().optional(),
  schema: z.array(z.object({ name: z.string(), type: z.string() })).optional(),
});
export type ManifestFile = z.infer<typeof ManifestFile>;

export const DatasetManifest = z.object({
  dataset: z.object({ name: z.string().min(1), kind: z.enum(["file", "directory"]), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  source: z.object({ uri: z.string().min(1), license: z.string().optional() }),
  files: z.array(ManifestFile),
  totalBytes: z.number().int().nonnegative(),
  createdAt: z.string(),
  rampartVersion: z.string(),
});
export type DatasetManifest = z.infer<typeof DatasetManifest>;

registerRules([
  {
    id: "data.verify.changed",
    title: "A dataset file differs from its signed manifest",
    help: "Restore the signed bytes, or re-sign after review.",
    defaultSeverity: "critical",
    tags: [tag.cwe(345), tag.atlas("AML.T0020")],
  },
  {
    id: "data.verify.missing",
    title: "A file in the signed manifest is missing",
    help: "Restore the file or re-sign the dataset.",
    defaultSeverity: "critical",
    tags: [tag.cwe(345)],
  },
  {
    id: "data.verify.extra",
    title: "A file not in the signed manifest was added",
    help: "Remove the file or re-sign the dataset.",
    defaultSeverity: "critical",
    tags: [tag.cwe(345), tag.atlas("AML.T0020")],
  },
  {
    id: "data.verify.signature",
    title: "The manifest signature does not satisfy the trust policy",
    help: "Have a key the policy trusts for this source sign the manifest.",
    defaultSeverity: "critical",
    tags: [tag.cwe(347)],
  },
  {
    id: "data.verify.untrusted-source",
    title: "No trust-policy rule covers the manifest's source",
    help: "Add a rule for the source URI to the trust policy.",
    defaultSeverity: "critical",
    tags: [tag.cwe(345)],
  },
]);

export interface BuildOptions {
  source: string;
  license?: string;
  name?: string;
  /** Count rows and read the schema of data files (default true; costs a second pass over CSV/JSONL). */
  rows?: boolean;
}

const SCHEMA_SAMPLE = 1000;

/** Row count and column types of one data file, streamed. */
export async function describeDataFile(path: string, format: DataFormat): Promise<{ rows: number; schema: Array<{ name: string; type: string }> }> {
  if (format === "parquet") {
    const schema = await parquetColumns(path);
    let rows = 0;
    const { asyncBufferFromFile, parquetMetadataAsync } = await import("hyparquet");
    try {
      rows = Number((await parquetMetadataAsync(await asyncBufferFromFile(path))).num_rows);
    } catch (e) {
      throw new RampartError("invalid-input", `${path}: not a readable Parquet file (${messageOf(e)})`);
    }
    return { rows, schema };
  }
  const types = new Map<string, Set<string>>();
  let rows = 0;
  for await (const rec of readRecords(path, { format })) {
    rows++;
    if (rows > SCHEMA_SAMPLE) continue;
    for (const [k, v] of Object.entries(rec.values)) {
      const set = types.get(k) ?? new Set<string>();
      types.set(k, set);
      set.add(typeOfCell(v));
    }
  }
  const schema = [...types].map(([name, set]) => {
    set.delete("null");
    const t = set.size === 0 ? "null" : set.size === 1 ? [...set][0]! : set.has("string") ? "string" : set.has("number") ? "number" : [...set].sort().join("|");
    return { name, type: t };
  });
  return { rows, schema };
}

function typeOfCell(v: unknown): string {
  if (v === null || v === undefined || v === "") return "null";
  if (typeof v === "number" || typeof v === "bigint") return "number";
  if (typeof v === "boolean") return "boolean";
  if (typeof v === "string") return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v.trim()) ? "number" : /^(true|false)$/i.test(v) ? "boolean" : "string";
  return Array.isArray(v) ? "array" : "object";
}

/** Builds the manifest of a file or directory: every byte hashed, data files described. */
export async function buildManifest(path: string, options: BuildOptions): Promise<DatasetManifest> {
  let info: import("node:fs").Stats;
  try {
    info = await lstat(path);
  } catch (e) {
    throw fileError(path, e);
  }
  const name = options.name ?? basename(resolve(path));
  let files: ManifestFile[];
  let datasetSha: string;
  if (info.isDirectory()) {
    const digest = await digestDirectory(path);
    datasetSha = digest.sha256;
    files = digest.entries.map((e) => ({ path: e.path, kind: e.kind, sha256: e.sha256, size: e.size }));
  } else if (info.isFile()) {
    datasetSha = await sha256File(path);
    files = [{ path: basename(path), kind: "file", sha256: datasetSha, size: info.size }];
  } else throw new RampartError("invalid-input", `${path}: not a regular file or directory`);
  if (options.rows !== false) {
    for (const f of files) {
      if (f.kind !== "file" || !isDataFile(f.path)) continue;
      const full = info.isDirectory() ? join(path, f.path) : path;
      const format = formatOf(f.path);
      Object.assign(f, { format, ...(await describeDataFile(full, format)) });
    }
  }
  return {
    dataset: { name, kind: info.isDirectory() ? "directory" : "file", sha256: datasetSha },
    source: { uri: options.source, ...(options.license ? { license: options.license } : {}) },
    files,
    totalBytes: files.reduce((a, f) => a + f.size, 0),
    createdAt: new Date().toISOString(),
    rampartVersion: VERSION,
  };
}

/** Signs a manifest as an in-toto statement whose subjects are the dataset files (DSSE envelope). */
export function signManifest(manifest: DatasetManifest, signers: readonly Signer[]): Promise<Envelope> {
  const subjects: Subject[] = manifest.files.filter((f) => f.kind === "file").map((f) => ({ name: f.path, digest: { sha256: f.sha256 } }));
  if (subjects.length === 0) subjects.push({ name: manifest.dataset.name, digest: { sha256: manifest.dataset.sha256 } });
  return signStatement(statement(subjects, DATASET_MANIFEST_PREDICATE, manifest as unknown as Record<string, unknown>), signers);
}

// ---------------------------------------------------------------------------------------------
// Trust policy: which keys may sign which sources.

const TrustPolicySchema = z
  .object({
    version: z.literal(1),
    keys: z.record(z.string().min(1), z.object({ publicKey: z.string().min(1) }).strict()),
    sources: z
      .array(
        z
          .object({
            uri: z.string().min(1),
            signers: z.array(z.string().min(1)).min(1),
            threshold: z.number().int().positive().optional(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict()
  .superRefine((p, ctx) => {
    for (const [i, s] of p.sources.entries())
      for (const [j, k] of s.signers.entries())
        if (!(k in p.keys)) ctx.addIssue({ code: "custom", path: ["sources", i, "signers", j], message: `unknown key "${k}" (declare it under keys:)` });
  });

export interface TrustPolicy {
  file: string;
  keys: Map<string, PublicKey>;
  sources: Array<{ uri: string; signers: string[]; threshold: number }>;
}

/** Loads a trust policy YAML; public key paths are relative to the policy file. */
export async function loadTrustPolicy(file: string): Promise<TrustPolicy> {
  const parsed = await loadYaml(TrustPolicySchema, file);
  const keys = new Map<string, PublicKey>();
  for (const [name, k] of Object.entries(parsed.keys)) keys.set(name, await loadPublicKey(isAbsolute(k.publicKey) ? k.publicKey : join(dirname(file), k.publicKey)));
  return { file, keys, sources: parsed.sources.map((s) => ({ uri: s.uri, signers: s.signers, threshold: s.threshold ?? 1 })) };
}

/** A policy that trusts the given keys for every source (for `--key`). */
export function trustKeys(keys: readonly PublicKey[]): TrustPolicy {
  const map = new Map(keys.map((k, i) => [`key${i + 1}`, k]));
  return { file: "--key", keys: map, sources: [{ uri: "**", signers: [...map.keys()], threshold: 1 }] };
}

/** Glob on URIs: `*` matches within one path segment, `**` matches anything. */
export function uriMatches(pattern: string, uri: string): boolean {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*" && pattern[i + 1] === "*") {
      re += ".*";
      i++;
    } else if (c === "*") re += "[^/]*";
    else re += c.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`).test(uri);
}

export interface VerifyOptions {
  /** Name used for the manifest in messages. */
  manifestName?: string;
}

/**
 * Verifies a dataset against its signed manifest: the signature against the trust policy (the
 * source's rule names the keys that may sign it), then every byte. Each problem is a critical
 * finding naming the file; nothing passes silently.
 */
export async function verifyDataset(path: string, envelope: unknown, policy: TrustPolicy, options: VerifyOptions = {}): Promise<CheckResult> {
  const where = options.manifestName ?? "manifest";
  const findings: Finding[] = [];
  // Parse the statement with every policy key so a wrong signer is reported as such, then apply the rule.
  let manifest: DatasetManifest;
  let signedBy: string[];
  try {
    const verified = verifyStatement(envelope, [...policy.keys.values()], { source: where });
    signedBy = verified.keyIds;
    if (verified.statement.predicateType !== DATASET_MANIFEST_PREDICATE)
      throw new RampartError("invalid-input", `${where}: predicateType is ${verified.statement.predicateType}, not a dataset manifest`);
    const parsed = DatasetManifest.safeParse(verified.statement.predicate);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new RampartError("invalid-input", `${where}: not a dataset manifest (${issue.path.join(".") || "root"}: ${issue.message})`);
    }
    manifest = parsed.data;
  } catch (e) {
    if (!isRampartError(e, "bad-signature")) throw e;
    findings.push({ ruleId: "data.verify.signature", severity: "critical", message: e.message, location: { file: where }, tags: [tag.cwe(347)] });
    return result(path, [], findings, { signatureValid: false });
  }
  const names = [...policy.keys].filter(([, k]) => signedBy.includes(k.keyId)).map(([n]) => n);
  const rule = policy.sources.find((s) => uriMatches(s.uri, manifest.source.uri));
  if (!rule) {
    findings.push({
      ruleId: "data.verify.untrusted-source",
      severity: "critical",
      message: `source ${manifest.source.uri} is not covered by any rule of ${policy.file}`,
      location: { file: where, pointer: "/predicate/source/uri" },
    });
  } else {
    const allowed = names.filter((n) => rule.signers.includes(n));
    if (allowed.length < rule.threshold)
      findings.push({
        ruleId: "data.verify.signature",
        severity: "critical",
        message: `source ${manifest.source.uri} needs ${rule.threshold} signature(s) from [${rule.signers.join(", ")}]; valid signatures are from [${names.join(", ") || "no trusted key"}]`,
        location: { file: where },
        evidence: { signedBy: names, required: rule.signers, threshold: rule.threshold },
      });
  }
  // Every byte: recompute the file list the way sign did.
  let info: import("node:fs").Stats;
  try {
    info = await lstat(path);
  } catch (e) {
    throw fileError(path, e);
  }
  const actual = new Map<string, { kind: string; sha256: string; size: number }>();
  if (info.isDirectory()) for (const e of (await digestDirectory(path)).entries) actual.set(e.path, e);
  else if (info.isFile()) {
    const expectedName = manifest.files.length === 1 ? manifest.files[0]!.path : basename(path);
    actual.set(expectedName, { kind: "file", sha256: await sha256File(path), size: info.size });
  }
  if ((manifest.dataset.kind === "directory") !== info.isDirectory())
    findings.push({ ruleId: "data.verify.changed", severity: "critical", message: `${path}: the manifest describes a ${manifest.dataset.kind}`, location: { file: path } });
  for (const f of manifest.files) {
    const a = actual.get(f.path);
    if (!a)
      findings.push({
        ruleId: "data.verify.missing",
        severity: "critical",
        message: `${f.path}: missing (signed ${f.size} bytes, sha256 ${f.sha256.slice(0, 16)}…)`,
        location: { file: f.path },
      });
    else if (a.sha256 !== f.sha256 || a.size !== f.size || a.kind !== f.kind)
      findings.push({
        ruleId: "data.verify.changed",
        severity: "critical",
        message: `${f.path}: content changed (signed ${f.size} bytes sha256 ${f.sha256.slice(0, 16)}…, found ${a.size} bytes sha256 ${a.sha256.slice(0, 16)}…)`,
        location: { file: f.path },
        evidence: { expected: { sha256: f.sha256, size: f.size }, actual: { sha256: a.sha256, size: a.size } },
      });
    actual.delete(f.path);
  }
  for (const [p, a] of actual)
    findings.push({ ruleId: "data.verify.extra", severity: "critical", message: `${p}: not in the signed manifest (${a.size} bytes)`, location: { file: p } });
  return result(path, manifest.files, findings, {
    signatureValid: true,
    signedBy: names,
    source: manifest.source.uri,
    license: manifest.source.license ?? null,
    manifestSha256: manifest.dataset.sha256,
  });
}

function result(path: string, files: ManifestFile[], findings: Finding[], extra: Record<string, unknown>): CheckResult {
  const subjects: Subject[] = files.filter((f) => f.kind === "file").map((f) => ({ name: f.path, digest: { sha256: f.sha256 } }));
  return {
    check: "data-verify",
    version: VERSION,
    subjects,
    findings,
    metrics: {
      dataset: path,
      files: files.length,
      bytes: files.reduce((a, f) => a + f.size, 0),
      rows: files.reduce((a, f) => a + (f.rows ?? 0), 0),
      verified: findings.length === 0,
      ...extra,
    },
  };
}
