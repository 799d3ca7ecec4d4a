import { type Kysely, sql } from "kysely";

export type Dialect = "sqlite" | "postgres";

export interface Migration {
  name: string;
  // Migrations run against the schema as it was then, not today's Database type.
  // biome-ignore lint/suspicious/noExplicitAny: historical schema
  up(db: Kysely<any>, dialect: Dialect): Promise<void>;
}

/** Auto-increment primary key in each dialect. */
export function idColumnType(dialect: Dialect) {
  return dialect === "postgres" ? sql`bigserial primary key` : sql`integer primary key autoincrement`;
}

/** Ordered; never edit one that has shipped, add a new one. Names sort in application order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    name: "0001_core",
    async up(db, dialect) {
      await db.schema
        .createTable("store_locks")
        .addColumn("name", "text", (c) => c.primaryKey())
        .addColumn("counter", "bigint", (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable("runs")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("project", "text", (c) => c.notNull())
        .addColumn("started_at", "text", (c) => c.notNull())
        .addColumn("finished_at", "text")
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("report", "text")
        .execute();
      await db.schema
        .createTable("attestations")
        .addColumn("id", idColumnType(dialect))
        .addColumn("run_id", "text", (c) => c.references("runs.id"))
        .addColumn("check_name", "text", (c) => c.notNull())
        .addColumn("predicate_type", "text", (c) => c.notNull())
        .addColumn("subject_name", "text", (c) => c.notNull())
        .addColumn("subject_sha256", "text", (c) => c.notNull())
        .addColumn("key_id", "text", (c) => c.notNull())
        .addColumn("envelope", "text", (c) => c.notNull())
        .addColumn("envelope_sha256", "text", (c) => c.notNull().unique())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("attestations_subject").on("attestations").column("subject_sha256").execute();
      await db.schema.createIndex("attestations_run").on("attestations").column("run_id").execute();
    },
  },
  {
    name: "0002_osv_advisories",
    async up(db) {
      await db.schema
        .createTable("osv_advisories")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("modified", "text", (c) => c.notNull())
        .addColumn("record", "text", (c) => c.notNull())
        .addColumn("source", "text", (c) => c.notNull())
        .addColumn("imported_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("osv_affected_packages")
        .addColumn("advisory_id", "text", (c) => c.notNull().references("osv_advisories.id").onDelete("cascade"))
        .addColumn("ecosystem", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("osv_affected_packages_pk", ["advisory_id", "ecosystem", "name"])
        .execute();
      await db.schema.createIndex("osv_affected_packages_lookup").on("osv_affected_packages").columns(["ecosystem", "name"]).execute();
    },
  },
  {
    name: "0003_registry_policy",
    async up(db, dialect) {
      await db.schema
        .createTable("registry_principals")
        .addColumn("name", "text", (c) => c.primaryKey())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("roles", "text", (c) => c.notNull())
        .addColumn("team", "text")
        .addColumn("public_key", "text")
        .addColumn("key_id", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("registry_models")
        .addColumn("name", "text", (c) => c.primaryKey())
        .addColumn("owner", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("registry_model_versions")
        .addColumn("id", idColumnType(dialect))
        .addColumn("model", "text", (c) => c.notNull().references("registry_models.name"))
        .addColumn("sha256", "text", (c) => c.notNull())
        .addColumn("label", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addUniqueConstraint("registry_model_versions_model_sha256", ["model", "sha256"])
        .execute();
      await db.schema
        .createTable("registry_datasets")
        .addColumn("id", idColumnType(dialect))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("sha256", "text", (c) => c.notNull())
        .addColumn("tags", "text", (c) => c.notNull())
        .addColumn("owner", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addUniqueConstraint("registry_datasets_name_sha256", ["name", "sha256"])
        .execute();
      await db.schema
        .createTable("releases")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("model", "text", (c) => c.notNull())
        .addColumn("model_sha256", "text", (c) => c.notNull())
        .addColumn("owner", "text", (c) => c.notNull())
        .addColumn("stage", "text", (c) => c.notNull())
        .addColumn("datasets", "text", (c) => c.notNull())
        .addColumn("tags", "text", (c) => c.notNull())
        .addColumn("digest", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("release_evidence")
        .addColumn("release_id", "text", (c) => c.notNull().references("releases.id"))
        .addColumn("envelope_sha256", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("release_evidence_pk", ["release_id", "envelope_sha256"])
        .execute();
      await db.schema
        .createTable("release_reviews")
        .addColumn("id", idColumnType(dialect))
        .addColumn("release_id", "text", (c) => c.notNull().references("releases.id"))
        .addColumn("reviewer", "text", (c) => c.notNull())
        .addColumn("decision", "text", (c) => c.notNull())
        .addColumn("comment", "text", (c) => c.notNull())
        .addColumn("key_id", "text", (c) => c.notNull())
        .addColumn("envelope", "text", (c) => c.notNull())
        .addColumn("release_digest", "text", (c) => c.notNull())
        .addColumn("access", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("release_reviews_release").on("release_reviews").column("release_id").execute();
      await db.schema
        .createTable("release_events")
        .addColumn("id", idColumnType(dialect))
        .addColumn("release_id", "text", (c) => c.notNull().references("releases.id"))
        .addColumn("from_stage", "text", (c) => c.notNull())
        .addColumn("to_stage", "text", (c) => c.notNull())
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("gate_decision_id", "text")
        .addColumn("access", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("policy_bundles")
        .addColumn("sha256", "text", (c) => c.primaryKey())
        .addColumn("files", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("gate_decisions")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("release_id", "text")
        .addColumn("bundle_sha256", "text", (c) => c.notNull().references("policy_bundles.sha256"))
        .addColumn("decision", "text", (c) => c.notNull())
        .addColumn("rules", "text", (c) => c.notNull())
        .addColumn("evidence", "text", (c) => c.notNull())
        .addColumn("params", "text", (c) => c.notNull())
        .addColumn("evaluated_at", "text", (c) => c.notNull())
        .addColumn("actor", "text")
        .execute();
      await db.schema.createIndex("gate_decisions_release").on("gate_decisions").column("release_id").execute();
    },
  },
  {
    name: "0004_privacy_budget",
    async up(db, dialect) {
      await db.schema
        .createTable("privacy_budgets")
        .addColumn("dataset_sha256", "text", (c) => c.primaryKey())
        .addColumn("dataset_name", "text", (c) => c.notNull())
        .addColumn("epsilon", "double precision", (c) => c.notNull())
        .addColumn("delta", "double precision", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("privacy_spends")
        .addColumn("id", idColumnType(dialect))
        .addColumn("dataset_sha256", "text", (c) => c.notNull())
        .addColumn("dataset_name", "text", (c) => c.notNull())
        .addColumn("epsilon", "double precision", (c) => c.notNull())
        .addColumn("delta", "double precision", (c) => c.notNull())
        .addColumn("mechanism", "text", (c) => c.notNull())
        .addColumn("detail", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("privacy_spends_dataset").on("privacy_spends").column("dataset_sha256").execute();
    },
  },
  {
    name: "0005_data_lineage",
    async up(db, dialect) {
      await db.schema
        .createTable("lineage_events")
        .addColumn("id", idColumnType(dialect))
        .addColumn("run_id", "text", (c) => c.notNull())
        .addColumn("event_type", "text", (c) => c.notNull())
        .addColumn("event_time", "text", (c) => c.notNull())
        .addColumn("job_namespace", "text", (c) => c.notNull())
        .addColumn("job_name", "text", (c) => c.notNull())
        .addColumn("event", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("lineage_events_run").on("lineage_events").column("run_id").execute();
      await db.schema.createIndex("lineage_events_job").on("lineage_events").columns(["job_namespace", "job_name"]).execute();
      await db.schema
        .createTable("lineage_datasets")
        .addColumn("id", idColumnType(dialect))
        .addColumn("event_id", "bigint", (c) => c.notNull().references("lineage_events.id"))
        .addColumn("direction", "text", (c) => c.notNull())
        .addColumn("namespace", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("version", "text")
        .execute();
      await db.schema.createIndex("lineage_datasets_name").on("lineage_datasets").columns(["name", "direction"]).execute();
      await db.schema.createIndex("lineage_datasets_event").on("lineage_datasets").column("event_id").execute();
    },
  },
  {
    name: "0006_ledger",
    async up(db, dialect) {
      const blob = dialect === "postgres" ? "bytea" : "blob";
      await db.schema
        .createTable("ledger_logs")
        .addColumn("id", idColumnType(dialect))
        .addColumn("origin", "text", (c) => c.notNull().unique())
        .addColumn("size", "bigint", (c) => c.notNull())
        .addColumn("root", sql.raw(blob), (c) => c.notNull())
        .addColumn("log_vkey", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      // Composite keys; on SQLite WITHOUT ROWID keeps these narrow tables clustered by key.
      const clustered = dialect === "sqlite" ? sql`without rowid` : sql``;
      await db.schema
        .createTable("ledger_entries")
        .addColumn("log_id", "bigint", (c) => c.notNull())
        .addColumn("idx", "bigint", (c) => c.notNull())
        .addColumn("event_id", "text")
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("subject_sha256", "text")
        .addColumn("leaf_data", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("ledger_entries_pk", ["log_id", "idx"])
        .modifyEnd(clustered)
        .execute();
      await db.schema.createIndex("ledger_entries_event").on("ledger_entries").columns(["log_id", "event_id"]).unique().execute();
      await db.schema.createIndex("ledger_entries_subject").on("ledger_entries").columns(["log_id", "subject_sha256"]).execute();
      await db.schema
        .createTable("ledger_nodes")
        .addColumn("log_id", "bigint", (c) => c.notNull())
        .addColumn("pos", "bigint", (c) => c.notNull())
        .addColumn("hash", sql.raw(blob), (c) => c.notNull())
        .addPrimaryKeyConstraint("ledger_nodes_pk", ["log_id", "pos"])
        .modifyEnd(clustered)
        .execute();
      await db.schema
        .createTable("ledger_checkpoints")
        .addColumn("id", idColumnType(dialect))
        .addColumn("log_id", "bigint", (c) => c.notNull())
        .addColumn("size", "bigint", (c) => c.notNull())
        .addColumn("root", sql.raw(blob), (c) => c.notNull())
        .addColumn("note", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("ledger_checkpoints_size").on("ledger_checkpoints").columns(["log_id", "size"]).execute();
      await db.schema
        .createTable("ledger_cosignatures")
        .addColumn("id", idColumnType(dialect))
        .addColumn("checkpoint_id", "bigint", (c) => c.notNull())
        .addColumn("witness_vkey", "text", (c) => c.notNull())
        .addColumn("line", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("ledger_witness_state")
        .addColumn("origin", "text", (c) => c.primaryKey())
        .addColumn("size", "bigint", (c) => c.notNull())
        .addColumn("root", sql.raw(blob), (c) => c.notNull())
        .addColumn("note", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("ledger_witness_evidence")
        .addColumn("id", idColumnType(dialect))
        .addColumn("origin", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("held_note", "text", (c) => c.notNull())
        .addColumn("offered_note", "text", (c) => c.notNull())
        .addColumn("detail", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
    },
  },
  {
    name: "0007_data_access",
    async up(db, dialect) {
      await db.schema
        .createTable("data_access_log")
        .addColumn("id", idColumnType(dialect))
        .addColumn("at", "text", (c) => c.notNull())
        .addColumn("principal", "text", (c) => c.notNull())
        .addColumn("action", "text", (c) => c.notNull())
        .addColumn("dataset", "text", (c) => c.notNull())
        .addColumn("dataset_sha256", "text")
        .addColumn("purpose", "text")
        .addColumn("destination", "text")
        .addColumn("decision", "text", (c) => c.notNull())
        .addColumn("policy_ids", "text", (c) => c.notNull())
        .addColumn("reason", "text")
        .addColumn("ledger_index", "bigint")
        .execute();
      await db.schema.createIndex("data_access_log_dataset").on("data_access_log").columns(["dataset", "at"]).execute();
    },
  },
];
