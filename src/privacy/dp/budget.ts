import { RampartError } from "../../core/index.js";
import type { Store } from "../../store/index.js";

export interface Budget {
  datasetSha256: string;
  datasetName: string;
  epsilon: number;
  delta: number;
}

export interface Spend {
  id: number;
  datasetSha256: string;
  datasetName: string;
  epsilon: number;
  delta: number;
  mechanism: string;
  detail: Record<string, unknown>;
  createdAt: string;
}

export interface BudgetStatus {
  budget?: Budget;
  spent: { epsilon: number; delta: number };
  remaining?: { epsilon: number; delta: number };
  spends: Spend[];
}

const lockName = (sha: string) => `privacy-budget:${sha}`;

/** Sets (or replaces) a dataset's total budget. Lowering it below what is spent is refused. */
export async function setBudget(store: Store, b: Budget): Promise<void> {
  if (!(b.epsilon > 0) || !(b.delta >= 0 && b.delta < 1)) throw new RampartError("usage", `budget needs epsilon > 0 and delta in [0, 1), got ${b.epsilon}, ${b.delta}`);
  await store.exclusive(lockName(b.datasetSha256), async (trx) => {
    const spent = await trx
      .selectFrom("privacy_spends")
      .select((eb) => [eb.fn.sum<number>("epsilon").as("eps"), eb.fn.sum<number>("delta").as("del")])
      .where("dataset_sha256", "=", b.datasetSha256)
      .executeTakeFirst();
    const eps = Number(spent?.eps ?? 0);
    if (eps > b.epsilon) throw new RampartError("conflict", `${b.datasetName}: ${eps.toFixed(4)} epsilon is already spent, more than the new budget ${b.epsilon}`);
    const now = new Date().toISOString();
    await trx
      .insertInto("privacy_budgets")
      .values({ dataset_sha256: b.datasetSha256, dataset_name: b.datasetName, epsilon: b.epsilon, delta: b.delta, created_at: now, updated_at: now })
      .onConflict((oc) => oc.column("dataset_sha256").doUpdateSet({ epsilon: b.epsilon, delta: b.delta, dataset_name: b.datasetName, updated_at: now }))
      .execute();
  });
}

/**
 * Charges a release against the dataset's budget, atomically with the check: two runs racing for the
 * last of a budget cannot both pass. Composition across runs is basic (epsilons and deltas add), which
 * holds for any mix of mechanisms. Without a budget the spend is still recorded.
 */
export async function spendBudget(store: Store, s: Omit<Spend, "id" | "createdAt">): Promise<BudgetStatus> {
  if (!(s.epsilon >= 0) || !(s.delta >= 0)) throw new RampartError("usage", `a spend needs epsilon >= 0 and delta >= 0, got ${s.epsilon}, ${s.delta}`);
  return store.exclusive(lockName(s.datasetSha256), async (trx) => {
    const budget = await trx.selectFrom("privacy_budgets").selectAll().where("dataset_sha256", "=", s.datasetSha256).executeTakeFirst();
    const spent = await trx
      .selectFrom("privacy_spends")
      .select((eb) => [eb.fn.sum<number>("epsilon").as("eps"), eb.fn.sum<number>("delta").as("del")])
      .where("dataset_sha256", "=", s.datasetSha256)
      .executeTakeFirst();
    const eps = Number(spent?.eps ?? 0);
    const del = Number(spent?.del ?? 0);
    if (budget) {
      // A relative slack of 1e-9 so that spending exactly the budget in float steps is allowed.
      if (eps + s.epsilon > budget.epsilon * (1 + 1e-9))
        throw new RampartError(
          "conflict",
          `${s.datasetName}: privacy budget exceeded: this run needs epsilon ${s.epsilon.toFixed(4)}, ${Math.max(0, budget.epsilon - eps).toFixed(4)} of ${budget.epsilon} remains`,
        );
      if (del + s.delta > budget.delta * (1 + 1e-9))
        throw new RampartError(
          "conflict",
          `${s.datasetName}: privacy budget exceeded: this run needs delta ${s.delta}, ${Math.max(0, budget.delta - del)} of ${budget.delta} remains`,
        );
    }
    await trx
      .insertInto("privacy_spends")
      .values({
        dataset_sha256: s.datasetSha256,
        dataset_name: s.datasetName,
        epsilon: s.epsilon,
        delta: s.delta,
        mechanism: s.mechanism,
        detail: JSON.stringify(s.detail),
        created_at: new Date().toISOString(),
      })
      .execute();
    return budgetStatusIn(trx as unknown as Store["db"], s.datasetSha256);
  });
}

export async function budgetStatus(store: Store, datasetSha256: string): Promise<BudgetStatus> {
  return budgetStatusIn(store.db, datasetSha256);
}

async function budgetStatusIn(db: Store["db"], sha: string): Promise<BudgetStatus> {
  const b = await db.selectFrom("privacy_budgets").selectAll().where("dataset_sha256", "=", sha).executeTakeFirst();
  const rows = await db.selectFrom("privacy_spends").selectAll().where("dataset_sha256", "=", sha).orderBy("id").execute();
  const spends: Spend[] = rows.map((r) => ({
    id: Number(r.id),
    datasetSha256: r.dataset_sha256,
    datasetName: r.dataset_name,
    epsilon: Number(r.epsilon),
    delta: Number(r.delta),
    mechanism: r.mechanism,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
    createdAt: r.created_at,
  }));
  const spent = { epsilon: spends.reduce((a, s) => a + s.epsilon, 0), delta: spends.reduce((a, s) => a + s.delta, 0) };
  if (!b) return { spent, spends };
  const budget = { datasetSha256: b.dataset_sha256, datasetName: b.dataset_name, epsilon: Number(b.epsilon), delta: Number(b.delta) };
  return { budget, spent, spends, remaining: { epsilon: Math.max(0, budget.epsilon - spent.epsilon), delta: Math.max(0, budget.delta - spent.delta) } };
}
