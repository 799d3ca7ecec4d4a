import type { Store } from "./store.js";

export interface RunRecord {
  id: string;
  project: string;
  startedAt: string;
  finishedAt: string | null;
  status: string;
  report: unknown;
}

export async function startRun(store: Store, id: string, project: string): Promise<void> {
  await store.db.insertInto("runs").values({ id, project, started_at: new Date().toISOString(), finished_at: null, status: "running", report: null }).execute();
}

export async function finishRun(store: Store, id: string, status: string, report: unknown): Promise<void> {
  await store.db
    .updateTable("runs")
    .set({ status, finished_at: new Date().toISOString(), report: JSON.stringify(report) })
    .where("id", "=", id)
    .execute();
}

export async function getRun(store: Store, id: string): Promise<RunRecord | undefined> {
  const row = await store.db.selectFrom("runs").selectAll().where("id", "=", id).executeTakeFirst();
  return (
    row && { id: row.id, project: row.project, startedAt: row.started_at, finishedAt: row.finished_at, status: row.status, report: row.report ? JSON.parse(row.report) : null }
  );
}

export async function listRuns(store: Store, limit = 50): Promise<RunRecord[]> {
  const rows = await store.db.selectFrom("runs").selectAll().orderBy("started_at", "desc").limit(limit).execute();
  return rows.map((row) => ({
    id: row.id,
    project: row.project,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    status: row.status,
    report: row.report ? JSON.parse(row.report) : null,
  }));
}
