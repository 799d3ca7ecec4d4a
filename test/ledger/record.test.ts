import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Ledger, originFor, recordDataAccess, recordTrainingRun } from "../../src/ledger/index.js";
import { openStore, type Store } from "../../src/store/index.js";
import { tempDir } from "../helpers/db.js";

let store: Store;
beforeAll(async () => {
  store = await openStore({ url: join(tempDir(), "r.db") });
});
afterAll(async () => {
  await store?.close();
});

it("records data access and training runs on the project's log, once per run id", async () => {
  const dataset = { name: "data/applications.csv", sha256: "11".repeat(32) };
  const model = { name: "model/credit_model.pkl", sha256: "22".repeat(32) };
  const a = await recordDataAccess(store, "Credit Risk", { dataset, actor: "alice", purpose: "training", rows: 2400, columns: ["age_band", "income"] });
  const t = await recordTrainingRun(store, "Credit Risk", { model, actor: "ci", datasets: [dataset], parameters: { lr: 0.1 }, runId: "r-1" });
  const again = await recordTrainingRun(store, "Credit Risk", { model, actor: "ci", datasets: [dataset], parameters: { lr: 0.1 }, runId: "r-1" });
  expect([a.index, t.index, again.index, again.duplicate]).toEqual([0, 1, 1, true]);
  expect(originFor("Credit Risk")).toBe("rampart.local/credit-risk");
  const log = await Ledger.open(store, "rampart.local/credit-risk");
  const entry = (await log.entry(1))!.entry!;
  expect(entry).toMatchObject({ kind: "training-run", origin: "rampart.local/credit-risk", index: 1, subject: model, actor: "ci", id: "training-run:r-1" });
  expect(entry.data).toEqual({ datasets: [dataset], parameters: { lr: 0.1 }, runId: "r-1" });
  expect((await log.entriesForSubject(dataset.sha256)).map((e) => e.index)).toEqual([0]);
});
