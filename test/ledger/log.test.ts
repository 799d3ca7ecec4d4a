import { generateKeyPairSync } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keySigner } from "../../src/attest/index.js";
import { auditLog } from "../../src/ledger/audit.js";
import { verifyCheckpoint } from "../../src/ledger/checkpoint.js";
import { Ledger } from "../../src/ledger/log.js";
import { hashLeaf, verifyConsistency, verifyInclusion } from "../../src/ledger/merkle.js";
import { parseVkey } from "../../src/ledger/note.js";
import type { Store } from "../../src/store/index.js";
import { STORE_BACKENDS } from "../helpers/db.js";

const signer = keySigner(generateKeyPairSync("ed25519").privateKey);
const ORIGIN = "rampart.test/audit";

const events = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({ kind: "data-access", actor: `user${(from + i) % 7}`, data: { row: from + i }, eventId: `ev-${from + i}` }));

for (const backend of STORE_BACKENDS) {
  describe.skipIf(!backend.available)(`ledger on ${backend.name}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await backend.open();
    });
    afterAll(async () => {
      await store?.close();
    });

    it("appends, proves inclusion and consistency against signed checkpoints", async () => {
      const log = await Ledger.open(store, ORIGIN);
      const first = await log.append(events(37));
      expect(first.map((e) => e.index)).toEqual([...Array(37).keys()]);
      const cp1 = await log.signCheckpoint(signer);
      await log.append(events(100, 37));
      const cp2 = await log.signCheckpoint(signer);
      const logKey = parseVkey((await log.state()).logVkey!);
      const v2 = verifyCheckpoint(cp2.note, { log: logKey });
      expect(v2.size).toBe(137);
      for (const i of [0, 1, 36, 64, 136]) {
        const e = (await log.entry(i))!;
        const p = await log.inclusionProof(i, 137);
        expect(verifyInclusion(i, 137, hashLeaf(e.leafData), p.proof, v2.root)).toBe(true);
        expect(e.entry?.index).toBe(i);
      }
      const c = await log.consistencyProof(37, 137);
      expect(verifyConsistency(37, 137, cp1.root, cp2.root, c.proof)).toBe(true);
      expect(await log.rootAt(37)).toEqual(cp1.root);
      await expect(log.inclusionProof(0, 500)).rejects.toThrow(/tree size 500 is beyond the log \(137 entries\)/);
      await expect(log.inclusionProof(137, 137)).rejects.toThrow(/entry 137 is not in a tree of size 137/);
    });

    it("event ids make a retried batch idempotent", async () => {
      const log = await Ledger.open(store, `${ORIGIN}-idem`);
      await log.append(events(10));
      const again = await log.append(events(15));
      expect(again.filter((e) => e.duplicate).map((e) => e.index)).toEqual([...Array(10).keys()]);
      expect(again.filter((e) => !e.duplicate).map((e) => e.index)).toEqual([10, 11, 12, 13, 14]);
      expect((await log.state()).size).toBe(15);
    });

    it("rejects a bad event naming the field, and writes nothing", async () => {
      const log = await Ledger.open(store, `${ORIGIN}-bad`);
      await expect(log.append([{ kind: "note" }, { kind: "Bad Kind" } as never])).rejects.toThrow(/event 2: kind/);
      await expect(log.append([{ kind: "note", subject: { name: "m", sha256: "xyz" } }])).rejects.toThrow(/subject.sha256/);
      expect((await log.state()).size).toBe(0);
    });

    it("a clean log audits clean", async () => {
      const log = await Ledger.open(store, ORIGIN);
      const audit = await auditLog(log);
      expect(audit.problems).toEqual([]);
      expect(audit.verifiedUpTo).toBe(137);
    });

    describe("tampering is detected and named", () => {
      // Each case gets its own log: build, checkpoint, tamper, audit.
      async function tampered(name: string, tamper: (logId: number) => Promise<void>) {
        const log = await Ledger.open(store, `${ORIGIN}-${name}`);
        await log.append(events(20));
        await log.signCheckpoint(signer);
        await tamper(log.logId);
        return auditLog(log);
      }
      it("edited row", async () => {
        const audit = await tampered("edit", async (id) => {
          const row = await store.db.selectFrom("ledger_entries").select("leaf_data").where("log_id", "=", id).where("idx", "=", 7).executeTakeFirstOrThrow();
          await store.db
            .updateTable("ledger_entries")
            .set({ leaf_data: row.leaf_data.replace('"actor":"user0"', '"actor":"mallory"') })
            .where("log_id", "=", id)
            .where("idx", "=", 7)
            .execute();
        });
        expect(audit.ok).toBe(false);
        expect(audit.problems).toContainEqual(expect.objectContaining({ kind: "edited", index: 7 }));
        expect(audit.problems.some((p) => p.kind === "checkpoint-mismatch")).toBe(true);
      });
      it("edited row with its stored hash rewritten too", async () => {
        const audit = await tampered("edit2", async (id) => {
          const leaf = '{"index":3,"kind":"data-access","origin":"forged","time":"2020-01-01T00:00:00Z","v":1}';
          await store.db.updateTable("ledger_entries").set({ leaf_data: leaf }).where("log_id", "=", id).where("idx", "=", 3).execute();
          await store.db
            .updateTable("ledger_nodes")
            .set({ hash: hashLeaf(leaf) })
            .where("log_id", "=", id)
            .where("pos", "=", 3)
            .execute();
        });
        expect(audit.problems).toContainEqual(expect.objectContaining({ kind: "edited", index: 3 }));
        expect(audit.problems.find((p) => p.kind === "checkpoint-mismatch")?.message).toMatch(/0\.\.19/);
      });
      it("deleted row", async () => {
        const audit = await tampered("delete", async (id) => {
          await store.db.deleteFrom("ledger_entries").where("log_id", "=", id).where("idx", "=", 12).execute();
        });
        expect(audit.problems).toContainEqual(expect.objectContaining({ kind: "deleted", index: 12 }));
        expect(audit.problems.some((p) => p.kind === "edited")).toBe(false);
      });
      it("deleted row with later rows renumbered", async () => {
        const audit = await tampered("renumber", async (id) => {
          await store.db.deleteFrom("ledger_entries").where("log_id", "=", id).where("idx", "=", 5).execute();
          for (let i = 6; i < 20; i++)
            await store.db
              .updateTable("ledger_entries")
              .set({ idx: i - 1 })
              .where("log_id", "=", id)
              .where("idx", "=", i)
              .execute();
        });
        expect(audit.problems).toContainEqual(expect.objectContaining({ kind: "deleted", index: 5 }));
        expect(audit.problems.some((p) => p.kind === "reordered")).toBe(false);
      });
      it("reordered rows", async () => {
        const audit = await tampered("reorder", async (id) => {
          // Swap the positions of rows 4 and 9.
          await store.db.updateTable("ledger_entries").set({ idx: -1 }).where("log_id", "=", id).where("idx", "=", 4).execute();
          await store.db.updateTable("ledger_entries").set({ idx: 4 }).where("log_id", "=", id).where("idx", "=", 9).execute();
          await store.db.updateTable("ledger_entries").set({ idx: 9 }).where("log_id", "=", id).where("idx", "=", -1).execute();
        });
        expect(audit.problems).toContainEqual(expect.objectContaining({ kind: "reordered", index: 4 }));
        expect(audit.problems).toContainEqual(expect.objectContaining({ kind: "reordered", index: 9 }));
        expect(audit.problems.some((p) => p.kind === "edited")).toBe(false);
      });
      it("fork: a second checkpoint at the same size", async () => {
        const audit = await tampered("fork", async (id) => {
          // The log key signs another history of the same size (a compromised or buggy log).
          const other = await Ledger.open(store, `${ORIGIN}-fork-shadow`);
          await other.append(events(20, 1000));
          const st = await other.state();
          const { formatCheckpoint } = await import("../../src/ledger/checkpoint.js");
          const { signNote } = await import("../../src/ledger/note.js");
          const note = await signNote(formatCheckpoint({ origin: `${ORIGIN}-fork`, size: 20, root: st.root, extensions: [] }), `${ORIGIN}-fork`, signer.publicKey, (m) =>
            signer.sign(m),
          );
          await store.db.insertInto("ledger_checkpoints").values({ log_id: id, size: 20, root: st.root, note, created_at: new Date().toISOString() }).execute();
        });
        expect(audit.problems).toContainEqual(expect.objectContaining({ kind: "fork" }));
        expect(audit.problems.find((p) => p.kind === "fork")!.message).toMatch(/both signed for size 20/);
      });
      it("a checkpoint row with a forged signature", async () => {
        const audit = await tampered("forged", async (id) => {
          await sql`update ledger_checkpoints set note = replace(note, '20\n', '19\n') where log_id = ${id}`.execute(store.db);
        });
        expect(audit.problems.some((p) => p.kind === "bad-checkpoint")).toBe(true);
      });
    });
  });
}
