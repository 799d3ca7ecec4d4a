import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isRampartError } from "../../src/core/index.js";
import { budgetStatus, setBudget, spendBudget } from "../../src/privacy/dp/index.js";
import type { Store } from "../../src/store/index.js";
import { STORE_BACKENDS } from "../helpers/db.js";

const SHA = "a".repeat(64);
const spend = (epsilon: number, delta = 1e-6) => ({ datasetSha256: SHA, datasetName: "train.csv", epsilon, delta, mechanism: "dp-sgd", detail: { accountant: "rdp" } });

for (const backend of STORE_BACKENDS) {
  describe.skipIf(!backend.available)(`privacy budget (${backend.name})`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await backend.open();
    });
    afterAll(async () => {
      await store?.close();
    });

    it("records spends and refuses a run that would overspend", async () => {
      await setBudget(store, { datasetSha256: SHA, datasetName: "train.csv", epsilon: 5, delta: 1e-5 });
      let status = await spendBudget(store, spend(2));
      expect(status.spent.epsilon).toBeCloseTo(2, 12);
      expect(status.remaining?.epsilon).toBeCloseTo(3, 12);
      status = await spendBudget(store, spend(3));
      expect(status.remaining?.epsilon).toBeCloseTo(0, 12);
      await expect(spendBudget(store, spend(0.01))).rejects.toThrow(/budget exceeded/);
      const after = await budgetStatus(store, SHA);
      expect(after.spends).toHaveLength(2);
      expect(after.spends[0]!.detail).toEqual({ accountant: "rdp" });
      await expect(setBudget(store, { datasetSha256: SHA, datasetName: "train.csv", epsilon: 4, delta: 1e-5 })).rejects.toThrow(/already spent/);
    });

    it("lets only one of two racing runs take the last of a budget", async () => {
      const sha = "b".repeat(64);
      await setBudget(store, { datasetSha256: sha, datasetName: "race.csv", epsilon: 1, delta: 1e-5 });
      const results = await Promise.allSettled([0, 1, 2, 3].map(() => spendBudget(store, { ...spend(0.6), datasetSha256: sha, datasetName: "race.csv" })));
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      for (const r of results) if (r.status === "rejected") expect(isRampartError(r.reason, "conflict")).toBe(true);
      expect((await budgetStatus(store, sha)).spent.epsilon).toBeCloseTo(0.6, 12);
    });

    it("records spends on a dataset without a budget", async () => {
      const sha = "c".repeat(64);
      const s = await spendBudget(store, { ...spend(7), datasetSha256: sha });
      expect(s.budget).toBeUndefined();
      expect(s.spent.epsilon).toBe(7);
    });
  });
}
