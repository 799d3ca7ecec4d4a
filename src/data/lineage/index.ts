import { randomUUID } from "node:crypto";
import { lstat } from "node:fs/promises";
import { relative, resolve, sep } from "node:path";
import * as z from "zod";
import { digestDirectory, RampartError, sha256File, sha256Hex, VERSION } from "../../core/index.js";
import type { Store } from "../../store/index.js";
import { describeDataFile } from "../manifest/index.js";
import { formatOf, isDataFile } from "../readers/index.js";

/** OpenLineage spec version these events follow. */
export const OPENLINEAGE_SCHEMA = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";
export const PRODUCER = `https://rampart.dev/rampart/${VERSION}`;
const FACET = {
  schema: "https://openlineage.io/spec/facets/1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet",
  version: "https://openlineage.io/spec/facets/1-0-1/DatasetVersionDatasetFacet.json#/$defs/DatasetVersionDatasetFacet",
  dataSource: "https://openlineage.io/spec/facets/1-0-1/DatasourceDatasetFacet.json#/$defs/DatasourceDatasetFacet",
  dataQualityMetrics: "https://openlineage.io/spec/facets/1-0-3/DataQualityMetricsInputDatasetFacet.json#/$defs/DataQualityMetricsInputDatasetFacet",
  rampartAttestations: "https://rampart.dev/spec/facets/1-0-0/RampartAttestationsRunFacet.json#/$defs/RampartAttestationsRunFacet",
} as const;

const Facets = z.record(z.string(), z.object({ _producer: z.string(), _schemaURL: z.string() }).loose());
const DatasetSchema = z.object({ namespace: z.string().min(1), name: z.string().min(1), facets: Facets.optional() }).loose();

/** The subset of an OpenLineage RunEvent that Rampart checks on the way in; the rest is kept as given. */
export const RunEvent = z
  .object({
    eventType: z.enum(["START", "RUNNING", "COMPLETE", "ABORT", "FAIL", "OTHER"]),
    eventTime: z.iso.datetime({ offset: true }),
    producer: z.string().min(1),
    schemaURL: z.string().min(1),
    run: z.object({ runId: z.uuid(), facets: Facets.optional() }).loose(),
    job: z.object({ namespace: z.string().min(1), name: z.string().min(1), facets: Facets.optional() }).loose(),
    inputs: z.array(DatasetSchema).optional(),
    outputs: z.array(DatasetSchema).optional(),
  })
  .loose();
export type RunEvent = z.infer<typeof RunEvent>;

export interface DatasetInfo {
  namespace: string;
  name: string;
  /** Content digest; becomes the `version` facet. */
  sha256?: string;
  schema?: Array<{ name: string; type: string }>;
  source?: { name: string; uri: string };
  quality?: { rowCount?: number; bytes?: number; fileCount?: number };
}

export interface AttestationRef {
  envelopeSha256: string;
  predicateType: string;
  check?: string;
  subject?: string;
}

function facet(schemaURL: string, body: Record<string, unknown>): Record<string, unknown> {
  return { _producer: PRODUCER, _schemaURL: schemaURL, ...body };
}

/** An OpenLineage dataset with Rampart's facets: version = sha256, schema, data source, quality. */
export function datasetOf(info: DatasetInfo, direction: "input" | "output"): Record<string, unknown> {
  const facets: Record<string, unknown> = {};
  if (info.sha256) facets.version = facet(FACET.version, { datasetVersion: `sha256:${info.sha256}` });
  if (info.schema) facets.schema = facet(FACET.schema, { fields: info.schema.map((f, i) => ({ name: f.name, type: f.type, ordinal_position: i + 1 })) });
  if (info.source) facets.dataSource = facet(FACET.dataSource, info.source);
  const out: Record<string, unknown> = { namespace: info.namespace, name: info.name, facets };
  if (info.quality && direction === "input") out.inputFacets = { dataQualityMetrics: facet(FACET.dataQualityMetrics, { ...info.quality, columnMetrics: {} }) };
  if (info.quality && direction === "output")
    out.outputFacets = {
      outputStatistics: facet("https://openlineage.io/spec/facets/1-0-2/OutputStatisticsOutputDatasetFacet.json#/$defs/OutputStatisticsOutputDatasetFacet", {
        rowCount: info.quality.rowCount,
        size: info.quality.bytes,
        fileCount: info.quality.fileCount,
      }),
    };
  return out;
}

export interface RunSpec {
  job: { namespace: string; name: string };
  inputs: DatasetInfo[];
  outputs: DatasetInfo[];
  attestations?: AttestationRef[];
  /** COMPLETE (default) or FAIL ends the run. */
  status?: "COMPLETE" | "FAIL";
  errorMessage?: string;
  runId?: string;
  startedAt?: Date;
  finishedAt?: Date;
}

/** The START and the final event of one run, as OpenLineage 2-0-2 RunEvents. */
export function runEvents(spec: RunSpec): [RunEvent, RunEvent] {
  const runId = spec.runId ?? randomUUID();
  const base = (eventType: RunEvent["eventType"], time: Date, withFacets: boolean): RunEvent => {
    const runFacets: Record<string, Record<string, unknown> & { _producer: string; _schemaURL: string }> = {};
    if (withFacets && spec.attestations?.length)
      runFacets.rampart_attestations = facet(FACET.rampartAttestations, { attestations: spec.attestations }) as { _producer: string; _schemaURL: string };
    if (withFacets && spec.status === "FAIL" && spec.errorMessage)
      runFacets.errorMessage = facet("https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet", {
        message: spec.errorMessage,
        programmingLanguage: "none",
      }) as { _producer: string; _schemaURL: string };
    return {
      eventType,
      eventTime: time.toISOString(),
      producer: PRODUCER,
      schemaURL: OPENLINEAGE_SCHEMA,
      run: { runId, ...(Object.keys(runFacets).length ? { facets: runFacets } : {}) },
      job: { namespace: spec.job.namespace, name: spec.job.name },
      inputs: spec.inputs.map((d) => datasetOf(d, "input")) as RunEvent["inputs"],
      outputs: spec.outputs.map((d) => datasetOf(d, "output")) as RunEvent["outputs"],
    };
  };
  const start = spec.startedAt ?? new Date();
  return [base("START", start, false), base(spec.status ?? "COMPLETE", spec.finishedAt ?? new Date(Math.max(Date.now(), start.getTime())), true)];
}

/** Stores one event (validated) and indexes its datasets. */
export async function recordEvent(store: Store, input: unknown, source = "event"): Promise<number> {
  const parsed = RunEvent.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RampartError("invalid-input", `${source}: not an OpenLineage RunEvent (${issue.path.join(".") || "root"}: ${issue.message})`);
  }
  const e = parsed.data;
  return store.exclusive("lineage", async (trx) => {
    const row = await trx
      .insertInto("lineage_events")
      .values({ run_id: e.run.runId, event_type: e.eventType, event_time: e.eventTime, job_namespace: e.job.namespace, job_name: e.job.name, event: JSON.stringify(e) })
      .returning("id")
      .executeTakeFirstOrThrow();
    const datasets = [...(e.inputs ?? []).map((d) => ["input", d] as const), ...(e.outputs ?? []).map((d) => ["output", d] as const)];
    for (const [direction, d] of datasets) {
      const version = (d.facets?.version as { datasetVersion?: string } | undefined)?.datasetVersion ?? null;
      await trx.insertInto("lineage_datasets").values({ event_id: row.id, direction, namespace: d.namespace, name: d.name, version }).execute();
    }
    return row.id;
  });
}

export async function recordRun(store: Store, spec: RunSpec): Promise<[RunEvent, RunEvent]> {
  const events = runEvents(spec);
  for (const e of events) await recordEvent(store, e);
  return events;
}

/** Stored events, oldest first, optionally for one job or one run. */
export async function listEvents(store: Store, filter: { job?: string; runId?: string } = {}): Promise<RunEvent[]> {
  let q = store.db.selectFrom("lineage_events").select(["event"]).orderBy("id");
  if (filter.job) q = q.where("job_name", "=", filter.job);
  if (filter.runId) q = q.where("run_id", "=", filter.runId);
  return (await q.execute()).map((r) => JSON.parse(r.event) as RunEvent);
}

export interface LineageNode {
  namespace: string;
  name: string;
  version: string | null;
  /** The latest completed run that produced this dataset, if any. */
  producedBy?: { job: string; namespace: string; runId: string; eventTime: string; attestations: AttestationRef[]; inputs: LineageNode[] };
  /** Set when the walk met this dataset already on the current path. */
  cycle?: boolean;
}

/**
 * The path from raw sources to `target` (a dataset or model name, or namespace/name): for each
 * dataset, the latest COMPLETE run that output it, and recursively that run's inputs.
 */
export async function lineageGraph(store: Store, target: string): Promise<LineageNode> {
  const start = await store.db
    .selectFrom("lineage_datasets")
    .innerJoin("lineage_events", "lineage_events.id", "lineage_datasets.event_id")
    .select(["lineage_datasets.namespace", "lineage_datasets.name", "lineage_datasets.version"])
    .where((eb) =>
      eb.or([
        eb("lineage_datasets.name", "=", target),
        // namespace/name: try every split at a slash (namespaces such as s3://bucket contain slashes too).
        ...[...target.matchAll(/\//g)].map((m) =>
          eb.and([eb("lineage_datasets.namespace", "=", target.slice(0, m.index)), eb("lineage_datasets.name", "=", target.slice(m.index + 1))]),
        ),
      ]),
    )
    .orderBy("lineage_events.id", "desc")
    .executeTakeFirst();
  if (!start) throw new RampartError("not-found", `${target}: no lineage recorded for this dataset or model (rampart lineage record …)`);
  const walk = async (namespace: string, name: string, version: string | null, path: Set<string>, depth: number): Promise<LineageNode> => {
    const key = `${namespace}/${name}`;
    const node: LineageNode = { namespace, name, version };
    if (path.has(key)) return { ...node, cycle: true };
    if (depth > 50) return node;
    const producer = await store.db
      .selectFrom("lineage_datasets")
      .innerJoin("lineage_events", "lineage_events.id", "lineage_datasets.event_id")
      .select(["lineage_events.event", "lineage_events.id"])
      .where("lineage_datasets.direction", "=", "output")
      .where("lineage_datasets.namespace", "=", namespace)
      .where("lineage_datasets.name", "=", name)
      .where("lineage_events.event_type", "=", "COMPLETE")
      .orderBy("lineage_events.id", "desc")
      .executeTakeFirst();
    if (!producer) return node;
    const e = JSON.parse(producer.event) as RunEvent;
    const inner = new Set(path).add(key);
    const inputs: LineageNode[] = [];
    for (const d of e.inputs ?? []) {
      const v = (d.facets?.version as { datasetVersion?: string } | undefined)?.datasetVersion ?? null;
      inputs.push(await walk(d.namespace, d.name, v, inner, depth + 1));
    }
    const attestations = ((e.run.facets?.rampart_attestations as { attestations?: AttestationRef[] } | undefined)?.attestations ?? []).map((a) => ({ ...a }));
    node.producedBy = { job: e.job.name, namespace: e.job.namespace, runId: e.run.runId, eventTime: e.eventTime, attestations, inputs };
    if (!node.version)
      node.version =
        ((e.outputs ?? []).find((o) => o.namespace === namespace && o.name === name)?.facets?.version as { datasetVersion?: string } | undefined)?.datasetVersion ?? null;
    return node;
  };
  return walk(start.namespace, start.name, start.version, new Set(), 0);
}

/** Draws the lineage tree, target first, sources at the leaves. */
export function renderLineage(node: LineageNode): string {
  const lines: string[] = [];
  const short = (v: string | null) => (v ? `  ${v.length > 30 ? `${v.slice(0, 30)}…` : v}` : "");
  const draw = (n: LineageNode, prefix: string, last: boolean, root: boolean) => {
    const head = root ? "" : `${prefix}${last ? "└─ " : "├─ "}`;
    lines.push(`${head}${n.namespace}/${n.name}${short(n.version)}${n.cycle ? "  (cycle)" : ""}${n.producedBy ? "" : n.cycle ? "" : "  [source]"}`);
    const childPrefix = root ? "" : `${prefix}${last ? "   " : "│  "}`;
    if (n.producedBy) {
      const p = n.producedBy;
      lines.push(
        `${childPrefix}   ← job ${p.namespace}/${p.job}  run ${p.runId.slice(0, 8)}  ${p.eventTime}${p.attestations.length ? `  attestations: ${p.attestations.map((a) => `${a.check ?? a.predicateType.split("/").slice(-2, -1)[0]}@${a.envelopeSha256.slice(0, 12)}`).join(", ")}` : ""}`,
      );
      for (const [i, c] of p.inputs.entries()) draw(c, `${childPrefix}   `, i === p.inputs.length - 1, false);
    }
  };
  draw(node, "", true, true);
  return `${lines.join("\n")}\n`;
}

/**
 * A dataset reference from the command line: a URI (`s3://bucket/key` → namespace `s3://bucket`,
 * name `key`) or a local path (namespace `file`, name relative to the working folder; hashed and,
 * for data files, described).
 */
export async function datasetFromArg(arg: string, cwd = process.cwd()): Promise<DatasetInfo> {
  const uri = /^([a-z][a-z0-9+.-]*):\/\/([^/]*)(\/.*)?$/i.exec(arg);
  if (uri) return { namespace: `${uri[1]}://${uri[2]}`, name: (uri[3] ?? "/").replace(/^\//, "") || "/" };
  const full = resolve(cwd, arg);
  let info: import("node:fs").Stats;
  try {
    info = await lstat(full);
  } catch {
    throw new RampartError("not-found", `${arg}: no such file or directory (use a URI such as s3://bucket/key for remote data)`);
  }
  const name = relative(cwd, full).split(sep).join("/") || ".";
  if (info.isDirectory()) {
    const d = await digestDirectory(full);
    return { namespace: "file", name, sha256: d.sha256, quality: { fileCount: d.entries.length, bytes: d.entries.reduce((a, e) => a + e.size, 0) } };
  }
  const out: DatasetInfo = { namespace: "file", name, sha256: await sha256File(full), quality: { bytes: info.size, fileCount: 1 } };
  if (isDataFile(full)) {
    const described = await describeDataFile(full, formatOf(full));
    out.schema = described.schema;
    out.quality = { ...out.quality, rowCount: described.rows };
  }
  return out;
}

/** Reference to a DSSE attestation file: its digest (as stored by Rampart) and what it states. */
export function attestationRef(envelopeJson: unknown): AttestationRef {
  const env = envelopeJson as { payload?: string };
  const ref: AttestationRef = { envelopeSha256: sha256Hex(JSON.stringify(envelopeJson)), predicateType: "unknown" };
  try {
    const st = JSON.parse(Buffer.from(env.payload ?? "", "base64").toString("utf8")) as {
      predicateType?: string;
      predicate?: { check?: string };
      subject?: Array<{ name?: string }>;
    };
    ref.predicateType = st.predicateType ?? "unknown";
    if (st.predicate?.check) ref.check = st.predicate.check;
    else if (st.predicateType?.includes("dataset-manifest")) ref.check = "dataset-manifest";
    if (st.subject?.[0]?.name) ref.subject = st.subject[0].name;
  } catch {
    // Not an in-toto envelope: keep the digest only.
  }
  return ref;
}
