// Run as a separate process by store.test.ts: 25 read-modify-write increments under one named lock.
import { openStore } from "../../../src/store/index.js";

const store = await openStore({ url: process.argv[2] });
for (let i = 0; i < 25; i++) {
  await store.exclusive("xproc", async (trx) => {
    const row = await trx.selectFrom("store_locks").select("counter").where("name", "=", "xproc-count").executeTakeFirst();
    const n = Number(row?.counter ?? 0);
    if (row)
      await trx
        .updateTable("store_locks")
        .set({ counter: n + 1 })
        .where("name", "=", "xproc-count")
        .execute();
    else await trx.insertInto("store_locks").values({ name: "xproc-count", counter: 1 }).execute();
  });
}
await store.close();
