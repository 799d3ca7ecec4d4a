import { generateKeyPairSync } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keySigner } from "../../src/attest/index.js";
import {
  formatAddCheckpoint,
  formatCheckpoint,
  formatVkey,
  httpWitness,
  Ledger,
  parseVkey,
  requestCosignature,
  signNote,
  verifyCheckpoint,
  Witness,
} from "../../src/ledger/index.js";
import { buildApp } from "../../src/server/app.js";
import { witnessRoutes } from "../../src/server/ledger-routes.js";
import { openStore, type Store } from "../../src/store/index.js";
import { tempDir } from "../helpers/db.js";

const ORIGIN = "rampart.test/witnessed";
const logSigner = keySigner(generateKeyPairSync("ed25519").privateKey);
const logVkey = formatVkey(ORIGIN, logSigner.publicKey);
const ev = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ kind: "note", data: { i: from + i } }));

describe("witness", () => {
  let logStore: Store;
  let w1Store: Store;
  let w2Store: Store;
  let log: Ledger;
  let w1: Witness;
  let w2: Witness;
  beforeAll(async () => {
    const dir = tempDir();
    logStore = await openStore({ url: join(dir, "log.db") });
    // Each witness has its own store: it never reads the log's database.
    w1Store = await openStore({ url: join(dir, "w1.db") });
    w2Store = await openStore({ url: join(dir, "w2.db") });
    log = await Ledger.open(logStore, ORIGIN);
    w1 = new Witness({ name: "w1.test", signer: keySigner(generateKeyPairSync("ed25519").privateKey), store: w1Store, logs: [parseVkey(logVkey)], now: () => 1_764_000_000 });
    w2 = new Witness({ name: "w2.test", signer: keySigner(generateKeyPairSync("ed25519").privateKey), store: w2Store, logs: [parseVkey(logVkey)] });
  });
  afterAll(async () => {
    await Promise.all([logStore?.close(), w1Store?.close(), w2Store?.close()]);
  });
  const local = (w: Witness) => (body: string) => w.addCheckpoint(body);

  it("cosigns a first checkpoint, then only consistent successors; verifiers count the quorum", async () => {
    await log.append(ev(5));
    const cp1 = await log.signCheckpoint(logSigner);
    let note = await requestCosignature(log, cp1, w1.vkey, local(w1));
    note = await requestCosignature(log, { ...cp1, note }, w2.vkey, local(w2));
    const policy = { log: parseVkey(logVkey), witnesses: [parseVkey(w1.vkey), parseVkey(w2.vkey)], quorum: 2 };
    expect(verifyCheckpoint(note, policy).cosigners.map((c) => c.name)).toEqual(["w1.test", "w2.test"]);
    await log.append(ev(20, 5));
    const cp2 = await log.signCheckpoint(logSigner);
    // The witness answers 409 with its size; requestCosignature retries with a consistency proof.
    const note2 = await requestCosignature(log, cp2, w1.vkey, local(w1));
    expect(verifyCheckpoint(note2, { ...policy, quorum: 1 }).size).toBe(25);
    expect(() => verifyCheckpoint(note2, policy)).toThrow(/quorum is 2/);
    expect((await w1.latest(ORIGIN))?.size).toBe(25);
    expect(await log.witnessKeys()).toEqual([w1.vkey, w2.vkey].sort());
  });

  it("answers the protocol's status codes", async () => {
    const cp = (await log.latestCheckpoint())!;
    expect((await w1.addCheckpoint(formatAddCheckpoint({ oldSize: 3, proof: [], note: cp.note }))).status).toBe(409);
    const conflict = await w1.addCheckpoint(formatAddCheckpoint({ oldSize: 0, proof: [], note: cp.note }));
    expect(conflict).toMatchObject({ status: 409, body: "25\n", contentType: "text/x.tlog.size" });
    expect((await w1.addCheckpoint(formatAddCheckpoint({ oldSize: 30, proof: [], note: cp.note }))).status).toBe(400);
    expect((await w1.addCheckpoint("garbage")).status).toBe(400);
    const stranger = keySigner(generateKeyPairSync("ed25519").privateKey);
    const unknown = await signNote(formatCheckpoint({ origin: "other/log", size: 0, root: await log.rootAt(0), extensions: [] }), "other/log", stranger.publicKey, (m) =>
      stranger.sign(m),
    );
    expect((await w1.addCheckpoint(formatAddCheckpoint({ oldSize: 0, proof: [], note: unknown }))).status).toBe(404);
    // Right origin, wrong key: unsigned by the trusted log key.
    const forged = await signNote(formatCheckpoint({ origin: ORIGIN, size: 25, root: cp.root, extensions: [] }), ORIGIN, stranger.publicKey, (m) => stranger.sign(m));
    expect((await w1.addCheckpoint(formatAddCheckpoint({ oldSize: 25, proof: [], note: forged }))).status).toBe(403);
    // Same checkpoint again: equal sizes, same root, cosigned again.
    expect((await w1.addCheckpoint(formatAddCheckpoint({ oldSize: 25, proof: [], note: cp.note }))).status).toBe(200);
  });

  it("refuses a fork at the same size and keeps both signed checkpoints as evidence", async () => {
    const held = (await w1.latest(ORIGIN))!;
    const forkText = formatCheckpoint({ origin: ORIGIN, size: 25, root: Buffer.alloc(32, 9), extensions: [] });
    const fork = await signNote(forkText, ORIGIN, logSigner.publicKey, (m) => logSigner.sign(m));
    const res = await w1.addCheckpoint(formatAddCheckpoint({ oldSize: 25, proof: [], note: fork }));
    expect(res.status).toBe(422);
    const evidence = await w1.evidence(ORIGIN);
    expect(evidence).toHaveLength(1);
    expect(evidence[0]).toMatchObject({ kind: "fork", heldNote: held.note, offeredNote: fork });
    // Both notes carry valid log signatures: that is the proof.
    for (const n of [evidence[0]!.heldNote, evidence[0]!.offeredNote]) expect(verifyCheckpoint(n, { log: parseVkey(logVkey) }).size).toBe(25);
    expect((await w1.latest(ORIGIN))?.note).toBe(held.note);
  });

  it("refuses an inconsistent extension and a rollback", async () => {
    const other = await Ledger.open(logStore, `${ORIGIN}-shadow`);
    await other.append(ev(40, 100));
    const text = formatCheckpoint({ origin: ORIGIN, size: 40, root: await other.rootAt(), extensions: [] });
    const note = await signNote(text, ORIGIN, logSigner.publicKey, (m) => logSigner.sign(m));
    const proof = (await other.consistencyProof(25, 40)).proof;
    const res = await w1.addCheckpoint(formatAddCheckpoint({ oldSize: 25, proof, note }));
    expect(res.status).toBe(422);
    expect(res.body).toMatch(/does not verify/);
    const old = (await log.checkpoints())[0]!;
    expect((await w1.addCheckpoint(formatAddCheckpoint({ oldSize: 5, proof: [], note: old.note }))).status).toBe(409);
    expect((await w1.evidence(ORIGIN)).map((e) => e.kind)).toEqual(["fork", "inconsistent", "rollback"]);
  });

  it("serves c2sp tlog-witness over HTTP", async () => {
    const app = await buildApp({ plugins: [{ plugin: witnessRoutes as never, options: { witness: w2 } }] });
    const address = await app.listen({ host: "127.0.0.1", port: 0 });
    try {
      await log.append(ev(3, 50));
      const cp = await log.signCheckpoint(logSigner);
      const note = await requestCosignature(log, cp, w2.vkey, httpWitness(address));
      expect(verifyCheckpoint(note, { log: parseVkey(logVkey), witnesses: [parseVkey(w2.vkey)], quorum: 1 }).size).toBe(28);
      const { createHash } = await import("node:crypto");
      const res = await fetch(`${address}/${createHash("sha256").update(ORIGIN).digest("hex")}/checkpoint`);
      expect(await res.text()).toBe(cp.note);
      await expect(requestCosignature(log, cp, w1.vkey, httpWitness(address))).rejects.toThrow(/without a valid cosignature/);
    } finally {
      await app.close();
    }
  });
});
