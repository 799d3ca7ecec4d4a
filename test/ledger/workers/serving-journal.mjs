// Run as a separate process by journal-serving.test.ts, against the built dist/ (fast start): opens
// the journal on this (the serving) thread and appends turns of SIZE events "s-<n>" for ever, printing
// "acked <n>" once every event below n is acknowledged, until the test kills it (SIGKILL). A fifth
// argument "inline" writes and fdatasyncs each turn synchronously on this loop (audit.journalOn: inline);
// "nofsync" journals without fsync (each turn acknowledged once written into the page cache).
import { ServingJournal } from "../../../dist/ledger/index.js";

const [dir, url, origin, size, mode] = process.argv.slice(2);
const journal = await ServingJournal.open(dir, { ledger: { url, origin }, batchSize: 64, flushIntervalMs: 10, inline: mode === "inline", fsync: mode !== "nofsync" });
let n = 0;
for (;;) {
  const turn = Array.from({ length: Number(size) }, () => {
    const i = n++;
    return journal.append({ kind: "note", actor: "gateway", eventId: `s-${i}`, data: { i } });
  });
  await Promise.all(turn);
  process.stdout.write(`acked ${n}\n`);
}
