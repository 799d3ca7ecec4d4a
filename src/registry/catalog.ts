import { randomBytes } from "node:crypto";
import { type PublicKey, parsePublicKey, publicKeyPem } from "../attest/index.js";
import { RampartError, Sha256Hex, sha256Hex } from "../core/index.js";
import type { Store } from "../store/index.js";
import { recordRegistryEvent } from "./ledger.js";

export const STAGES = ["candidate", "approved", "production", "retired"] as const;
export type Stage = (typeof STAGES)[number];

export interface Principal {
  name: string;
  kind: "User" | "Service";
  roles: string[];
  team: string | null;
  publicKey: PublicKey | null;
}

export interface DatasetRef {
  name: string;
  sha256: string;
  tags: string[];
}

export interface Release {
  id: string;
  model: string;
  modelSha256: string;
  owner: string;
  stage: Stage;
  datasets: DatasetRef[];
  tags: string[];
  /** What reviewers sign: sha256 of the canonical release content, evidence included. */
  digest: string;
  evidence: string[];
  createdAt: string;
  updatedAt: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;
function checkName(what: string, name: string): void {
  if (!NAME.test(name)) throw new RampartError("usage", `${what} "${name}": use letters, digits, '.', '_', '@' or '-' (at most 128)`);
}
function checkDigest(what: string, d: string): void {
  if (!Sha256Hex.safeParse(d).success) throw new RampartError("usage", `${what}: "${d}" is not a sha256 (64 lowercase hex characters)`);
}

/** Registers (or updates the roles and key of) a user or service. */
export async function upsertPrincipal(store: Store, p: { name: string; kind?: "User" | "Service"; roles?: string[]; team?: string; publicKeyPem?: string }): Promise<Principal> {
  checkName("principal", p.name);
  for (const r of p.roles ?? []) checkName("role", r);
  const key = p.publicKeyPem ? parsePublicKey(p.publicKeyPem, `public key of ${p.name}`) : null;
  const existing = await getPrincipal(store, p.name);
  const row = {
    name: p.name,
    kind: p.kind ?? existing?.kind ?? "User",
    roles: JSON.stringify([...new Set(p.roles ?? existing?.roles ?? [])].sort()),
    team: p.team ?? existing?.team ?? null,
    public_key: key ? publicKeyPem(key.key) : existing?.publicKey ? publicKeyPem(existing.publicKey.key) : null,
    key_id: key?.keyId ?? existing?.publicKey?.keyId ?? null,
    created_at: new Date().toISOString(),
  };
  if (existing) {
    const { created_at: _, ...update } = row;
    await store.db.updateTable("registry_principals").set(update).where("name", "=", p.name).execute();
  } else await store.db.insertInto("registry_principals").values(row).execute();
  return (await getPrincipal(store, p.name))!;
}

export async function getPrincipal(store: Store, name: string): Promise<Principal | undefined> {
  const row = await store.db.selectFrom("registry_principals").selectAll().where("name", "=", name).executeTakeFirst();
  if (!row) return undefined;
  return {
    name: row.name,
    kind: row.kind as "User" | "Service",
    roles: JSON.parse(row.roles),
    team: row.team,
    publicKey: row.public_key ? parsePublicKey(row.public_key, `stored key of ${row.name}`) : null,
  };
}

export async function listPrincipals(store: Store): Promise<Principal[]> {
  const rows = await store.db.selectFrom("registry_principals").select("name").orderBy("name").execute();
  return Promise.all(rows.map(async (r) => (await getPrincipal(store, r.name))!));
}

/** Registers a model version by digest; the same digest twice is the same version. */
export async function registerModelVersion(
  store: Store,
  m: { model: string; sha256: string; owner: string; label?: string; ledgerOrigin?: string },
): Promise<{ model: string; sha256: string; created: boolean }> {
  checkName("model", m.model);
  checkDigest("model digest", m.sha256);
  return store
    .exclusive("registry", async (trx) => {
      const model = await trx.selectFrom("registry_models").selectAll().where("name", "=", m.model).executeTakeFirst();
      if (!model) await trx.insertInto("registry_models").values({ name: m.model, owner: m.owner, created_at: new Date().toISOString() }).execute();
      const version = await trx.selectFrom("registry_model_versions").select("id").where("model", "=", m.model).where("sha256", "=", m.sha256).executeTakeFirst();
      if (version) return { model: m.model, sha256: m.sha256, created: false };
      await trx
        .insertInto("registry_model_versions")
        .values({ model: m.model, sha256: m.sha256, label: m.label ?? null, created_at: new Date().toISOString() })
        .execute();
      return { model: m.model, sha256: m.sha256, created: true };
    })
    .then(async (r) => {
      await recordRegistryEvent(
        store,
        { kind: "model-version", subject: { name: m.model, sha256: m.sha256 }, actor: m.owner, data: { label: m.label }, eventId: `model-version:${m.model}:${m.sha256}` },
        m.ledgerOrigin,
      );
      return r;
    });
}

export async function listModelVersions(store: Store, model?: string): Promise<Array<{ model: string; sha256: string; label: string | null; createdAt: string }>> {
  let q = store.db.selectFrom("registry_model_versions").selectAll().orderBy("id");
  if (model) q = q.where("model", "=", model);
  return (await q.execute()).map((r) => ({ model: r.model, sha256: r.sha256, label: r.label, createdAt: r.created_at }));
}

export async function registerDataset(store: Store, d: { name: string; sha256: string; tags?: string[]; owner: string; ledgerOrigin?: string }): Promise<DatasetRef> {
  checkName("dataset", d.name);
  checkDigest("dataset digest", d.sha256);
  const tags = [...new Set(d.tags ?? [])].sort();
  await store.db
    .insertInto("registry_datasets")
    .values({ name: d.name, sha256: d.sha256, tags: JSON.stringify(tags), owner: d.owner, created_at: new Date().toISOString() })
    .onConflict((oc) => oc.columns(["name", "sha256"]).doUpdateSet({ tags: JSON.stringify(tags) }))
    .execute();
  // Tags decide access (Cedar) and gates (personal data): every registered tag set is on the record.
  await recordRegistryEvent(
    store,
    { kind: "dataset", subject: { name: d.name, sha256: d.sha256 }, actor: d.owner, data: { tags }, eventId: `dataset:${d.name}:${d.sha256}:${tags.join(",")}` },
    d.ledgerOrigin,
  );
  return { name: d.name, sha256: d.sha256, tags };
}

/** The latest registered version of a dataset (by registration order). */
export async function latestDataset(store: Store, name: string): Promise<DatasetRef | undefined> {
  const row = await store.db.selectFrom("registry_datasets").selectAll().where("name", "=", name).orderBy("id", "desc").executeTakeFirst();
  return row && { name: row.name, sha256: row.sha256, tags: JSON.parse(row.tags) };
}

/** Canonical release content: sorted keys, sorted evidence; any change gives another digest. */
export function releaseDigest(r: { id: string; model: string; modelSha256: string; datasets: DatasetRef[]; evidence: string[] }): string {
  const content = {
    datasets: [...r.datasets].map((d) => ({ name: d.name, sha256: d.sha256, tags: [...d.tags].sort() })).sort((a, b) => (a.sha256 + a.name < b.sha256 + b.name ? -1 : 1)),
    evidence: [...new Set(r.evidence)].sort(),
    id: r.id,
    model: r.model,
    modelSha256: r.modelSha256,
  };
  return sha256Hex(JSON.stringify(content));
}

/**
 * A release: one model version plus the evidence about it. Evidence = the given attestations, plus
 * every stored attestation whose subject is the model or one of the datasets.
 */
export async function createRelease(
  store: Store,
  r: { model: string; modelSha256: string; owner: string; datasets?: DatasetRef[]; tags?: string[]; runId?: string; evidence?: string[]; ledgerOrigin?: string },
): Promise<Release> {
  checkName("owner", r.owner);
  const version = await store.db.selectFrom("registry_model_versions").select("id").where("model", "=", r.model).where("sha256", "=", r.modelSha256).executeTakeFirst();
  if (!version) throw new RampartError("not-found", `model ${r.model}@${r.modelSha256.slice(0, 12)}: not registered (rampart registry model add)`);
  const id = `rel-${randomBytes(6).toString("hex")}`;
  const datasets = r.datasets ?? [];
  const subjects = [r.modelSha256, ...datasets.map((d) => d.sha256)];
  let q = store.db.selectFrom("attestations").select("envelope_sha256").where("subject_sha256", "in", subjects);
  if (r.runId)
    q = store.db
      .selectFrom("attestations")
      .select("envelope_sha256")
      .where((eb) => eb.or([eb("subject_sha256", "in", subjects), eb("run_id", "=", r.runId!)]));
  const evidence = [...new Set([...(await q.execute()).map((a) => a.envelope_sha256), ...(r.evidence ?? [])])].sort();
  for (const e of r.evidence ?? []) {
    const found = await store.db.selectFrom("attestations").select("id").where("envelope_sha256", "=", e).executeTakeFirst();
    if (!found) throw new RampartError("not-found", `attestation ${e}: not in the store`);
  }
  const now = new Date().toISOString();
  const release: Release = {
    id,
    model: r.model,
    modelSha256: r.modelSha256,
    owner: r.owner,
    stage: "candidate",
    datasets,
    tags: [...new Set(r.tags ?? [])].sort(),
    digest: "",
    evidence,
    createdAt: now,
    updatedAt: now,
  };
  release.digest = releaseDigest(release);
  await store.db.transaction().execute(async (trx) => {
    await trx
      .insertInto("releases")
      .values({
        id,
        model: r.model,
        model_sha256: r.modelSha256,
        owner: r.owner,
        stage: "candidate",
        datasets: JSON.stringify(datasets),
        tags: JSON.stringify(release.tags),
        digest: release.digest,
        created_at: now,
        updated_at: now,
      })
      .execute();
    if (evidence.length)
      await trx
        .insertInto("release_evidence")
        .values(evidence.map((e) => ({ release_id: id, envelope_sha256: e })))
        .execute();
  });
  await recordReleaseEntry(store, release, release.owner, r.ledgerOrigin);
  return release;
}

/** The release as the ledger keeps it: what reviewers sign (its digest), its owner and evidence. */
async function recordReleaseEntry(store: Store, release: Release, actor: string, origin?: string): Promise<void> {
  await recordRegistryEvent(
    store,
    {
      kind: "release",
      subject: { name: release.model, sha256: release.modelSha256 },
      actor,
      data: {
        releaseId: release.id,
        digest: release.digest,
        owner: release.owner,
        model: release.model,
        datasets: release.datasets,
        evidence: release.evidence,
        tags: release.tags,
      },
      eventId: `release:${release.id}:${release.digest}`,
    },
    origin,
  );
}

export async function getRelease(store: Store, id: string): Promise<Release> {
  const row = await store.db.selectFrom("releases").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new RampartError("not-found", `release ${id}: no such release in ${store.location}`);
  const evidence = (await store.db.selectFrom("release_evidence").select("envelope_sha256").where("release_id", "=", id).execute()).map((e) => e.envelope_sha256).sort();
  return {
    id: row.id,
    model: row.model,
    modelSha256: row.model_sha256,
    owner: row.owner,
    stage: row.stage as Stage,
    datasets: JSON.parse(row.datasets),
    tags: JSON.parse(row.tags),
    digest: row.digest,
    evidence,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function listReleases(store: Store, filter: { stage?: Stage[] } = {}): Promise<Release[]> {
  let q = store.db.selectFrom("releases").select("id").orderBy("created_at");
  if (filter.stage?.length) q = q.where("stage", "in", filter.stage);
  return Promise.all((await q.execute()).map((r) => getRelease(store, r.id)));
}

/**
 * Adds evidence to a release still under review. The release digest changes, so reviews signed
 * before no longer count: reviewers approve exactly the evidence they saw.
 */
export async function attachEvidence(store: Store, releaseId: string, envelopes: readonly string[], options: { actor?: string; ledgerOrigin?: string } = {}): Promise<Release> {
  for (const e of envelopes) {
    const found = await store.db.selectFrom("attestations").select("id").where("envelope_sha256", "=", e).executeTakeFirst();
    if (!found) throw new RampartError("not-found", `attestation ${e}: not in the store`);
  }
  await store.exclusive("registry", async (trx) => {
    const row = await trx.selectFrom("releases").selectAll().where("id", "=", releaseId).executeTakeFirst();
    if (!row) throw new RampartError("not-found", `release ${releaseId}: no such release`);
    if (row.stage !== "candidate" && row.stage !== "approved") throw new RampartError("conflict", `release ${releaseId} is ${row.stage}: its evidence is frozen`);
    const have = new Set((await trx.selectFrom("release_evidence").select("envelope_sha256").where("release_id", "=", releaseId).execute()).map((e) => e.envelope_sha256));
    const added = [...new Set(envelopes)].filter((e) => !have.has(e));
    if (added.length === 0) return;
    await trx
      .insertInto("release_evidence")
      .values(added.map((e) => ({ release_id: releaseId, envelope_sha256: e })))
      .execute();
    const digest = releaseDigest({ id: row.id, model: row.model, modelSha256: row.model_sha256, datasets: JSON.parse(row.datasets), evidence: [...have, ...added] });
    await trx.updateTable("releases").set({ digest, updated_at: new Date().toISOString() }).where("id", "=", releaseId).execute();
  });
  const release = await getRelease(store, releaseId);
  await recordReleaseEntry(store, release, options.actor ?? release.owner, options.ledgerOrigin);
  return release;
}
