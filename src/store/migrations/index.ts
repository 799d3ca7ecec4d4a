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
    name: "0002_data_lineage",
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
];
