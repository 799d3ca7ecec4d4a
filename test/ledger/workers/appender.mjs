// Run as a separate process by concurrency.test.ts, against the built dist/ (fast start):
// appends BATCHES batches of SIZE events with event ids "<worker>-<n>", printing "committed <n>" after each.
import { Ledger } from "../../../dist/ledger/index.js";
import { openStore } from "../../../dist/store/index.js";

const [url, origin, worker, batches, size] = process.argv.slice(2);
const store = await openStore({ url });
const log = await Ledger.open(store, origin);
for (let b = 0; b < Number(batches); b++) {
  const events = Array.from({ length: Number(size) }, (_, i) => {
    const n = b * Number(size) + i;
    return { kind: "data-access", actor: worker, data: { n, pad: "x".repeat(200) }, eventId: `${worker}-${n}` };
  });
  await log.append(events);
  process.stdout.write(`committed ${b + 1}\n`);
}
await store.close();
