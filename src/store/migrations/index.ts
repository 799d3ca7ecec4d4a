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
    name: "0002_ledger",
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
];
