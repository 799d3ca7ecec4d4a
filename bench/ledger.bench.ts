import { join } from "node:path";
import SQLite from "better-sqlite3";
import { CompactRange, consistencyProof, encodeEntry, hashLeaf, Ledger, nodeKey } from "../src/ledger/index.js";
import { verifyConsistency, verifyInclusion } from "../src/ledger/verify.js";
import { openStore } from "../src/store/index.js";
import { peakRssMiB, scratchDir, table } from "./util.js";

/**
 * Ledger on SQLite: batched append throughput through the real append path, then inclusion and
 * consistency proof generation + verification against log size (O(log n): one indexed read of at
 * most 2·log2(n) stored subtree hashes). RAMPART_BENCH_FULL=1 goes to 10M entries.
 */
export default async function bench(): Promise<void> {
  const full = process.env.RAMPART_BENCH_FULL === "1";
  const { dir, cleanup } = scratchDir("ledger");
  try {
    // 1. Appends through Ledger.append (validation, canonical JSON, hashing, one transaction per batch).
    const rows: Array<Array<string | number>> = [];
    for (const batch of [1, 100, 1000, 10_000]) {
      const store = await openStore({ url: join(dir, `append-${batch}.db`) });
      const log = await Ledger.open(store, "bench.example/append");
      const total = batch === 1 ? 2000 : full ? 200_000 : 50_000;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (let done = 0; done < total; done += batch)
        await log.append(Array.from({ length: batch }, (_, i) => ({ kind: "data-access", actor: "svc", data: { row: done + i, purpose: "training" } })));
      const ms = performance.now() - t0;
      const cpu = cpuMs(c0);
      rows.push([batch, total, ms / 1000, Math.round((total / ms) * 1000), Math.round((total / cpu) * 1000)]);
      await store.close();
    }
    console.log("\nAppends (SQLite, WAL, synchronous=NORMAL; each batch is one transaction):\n");
    table(["batch size", "events", "wall s", "appends/s (wall)", "appends/s (CPU time)"], rows);

    // 2. Proofs against size. Trees are bulk-loaded with the same CompactRange the log uses.
    const sizes = full ? [1_000, 10_000, 100_000, 1_000_000, 10_000_000] : [1_000, 10_000, 100_000, 1_000_000];
    const proofRows: Array<Array<string | number>> = [];
    const path = join(dir, "proofs.db");
    let store = await openStore({ url: path });
    const log = await Ledger.open(store, "bench.example/proofs");
    await store.close();
    let built = 0;
    const range = new CompactRange();
    for (const size of sizes) {
      built = bulkLoad(path, log.logId, range, built, size);
      store = await openStore({ url: path });
      const l = await Ledger.open(store, "bench.example/proofs");
      const root = await l.rootAt(size);
      const samples = 300;
      let gen = 0;
      let genCpu = 0;
      let ver = 0;
      let maxLen = 0;
      let failures = 0;
      for (let s = 0; s < samples; s++) {
        const index = Math.floor(Math.random() * size);
        const leaf = hashLeaf(encodeEntry("bench.example/proofs", index, { kind: "note", data: { i: index } }, "2026-01-01T00:00:00.000Z"));
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const p = await l.inclusionProof(index, size);
        const t1 = performance.now();
        genCpu += cpuMs(c0);
        // Verification is a few µs: time 50 repetitions in CPU time for a stable figure.
        const c1 = process.cpuUsage();
        let ok = true;
        for (let r = 0; r < 50; r++) ok = verifyInclusion(index, size, leaf, p.proof, root) && ok;
        ver += (cpuMs(c1) * 1000) / 50;
        gen += t1 - t0;
        maxLen = Math.max(maxLen, p.proof.length);
        if (!ok) failures++;
      }
      if (failures > 0) throw new Error(`${failures} inclusion proofs failed at size ${size}`);
      // Consistency from a third of the tree, averaged over 20 proofs (CPU time).
      const old = Math.max(1, Math.floor(size / 3));
      const oldRoot = await l.rootAt(old);
      const c2 = process.cpuUsage();
      let cp: Buffer[] = [];
      for (let r = 0; r < 20; r++) cp = await consistencyProof(old, size, l.reader());
      const consGen = cpuMs(c2) / 20;
      const c3 = process.cpuUsage();
      for (let r = 0; r < 50; r++) if (!verifyConsistency(old, size, oldRoot, root, cp)) throw new Error("consistency proof failed");
      const consVer = (cpuMs(c3) * 1000) / 50;
      proofRows.push([
        size.toLocaleString("en-US"),
        maxLen,
        (gen / samples).toFixed(3),
        (genCpu / samples).toFixed(3),
        (ver / samples).toFixed(1),
        consGen.toFixed(3),
        consVer.toFixed(1),
      ]);
      await store.close();
    }
    console.log("\nProofs (SQLite; mean of 300 random leaves; generation includes the database read):\n");
    table(
      ["log size", "max path", "inclusion gen ms (wall)", "inclusion gen ms (CPU)", "inclusion verify µs (CPU)", "consistency gen ms (CPU)", "consistency verify µs (CPU)"],
      proofRows,
    );
    console.log(`\npeak RSS ${peakRssMiB().toFixed(0)} MiB\n`);
  } finally {
    cleanup();
  }
}

/** Appends entries [from, to) straight into the tables (prepared statements), as Ledger.append would. */
function bulkLoad(path: string, logId: number, range: CompactRange, from: number, to: number): number {
  const db = new SQLite(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  const entry = db.prepare("insert into ledger_entries (log_id, idx, event_id, kind, subject_sha256, leaf_data) values (?, ?, null, 'note', null, ?)");
  const node = db.prepare("insert into ledger_nodes (log_id, pos, hash) values (?, ?, ?)");
  const chunk = 100_000;
  for (let start = from; start < to; start += chunk) {
    db.transaction(() => {
      for (let i = start; i < Math.min(to, start + chunk); i++) {
        const leaf = encodeEntry("bench.example/proofs", i, { kind: "note", data: { i } }, "2026-01-01T00:00:00.000Z");
        entry.run(logId, i, leaf);
        for (const n of range.append(hashLeaf(leaf))) node.run(logId, nodeKey(n.id), n.hash);
      }
    })();
  }
  db.prepare("update ledger_logs set size = ?, root = ? where id = ?").run(to, range.root(), logId);
  db.close();
  return to;
}

/** CPU time (user + system) of this process since `since`, in ms: stable when the machine is shared. */
function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}
