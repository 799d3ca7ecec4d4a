import { generateKeyPairSync } from "node:crypto";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keySigner } from "../../src/attest/index.js";
import { CompactRange, encodeTileIndex, formatVkey, hashChildren, hashLeaf, parseVkey, verifyCheckpoint, verifyConsistency, verifyInclusion } from "../../src/ledger/index.js";
import { buildApp } from "../../src/server/app.js";
import { ledgerRoutes } from "../../src/server/ledger-routes.js";
import { openStore, type Store } from "../../src/store/index.js";
import { tempDir } from "../helpers/db.js";

const TOKEN = "test-token-0123456789abcdef";
const ORIGIN = "rampart.test/api";
const path = (rest: string) => `/ledger/logs/${encodeURIComponent(ORIGIN)}${rest}`;

describe("ledger HTTP API", () => {
  let store: Store;
  let app: FastifyInstance;
  const signer = keySigner(generateKeyPairSync("ed25519").privateKey);
  beforeAll(async () => {
    store = await openStore({ url: join(tempDir(), "api.db") });
    app = await buildApp({ plugins: [{ plugin: ledgerRoutes as never, options: { store, tokens: [TOKEN], signer }, prefix: "/ledger" }] });
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });
  const auth = { authorization: `Bearer ${TOKEN}` };

  it("refuses appends without a valid token", async () => {
    const body = { kind: "note" };
    expect((await app.inject({ method: "POST", url: path("/entries"), payload: body })).statusCode).toBe(401);
    expect((await app.inject({ method: "POST", url: path("/entries"), payload: body, headers: { authorization: "Bearer wrong" } })).statusCode).toBe(401);
  });

  it("appends, checkpoints and serves verifiable proofs", async () => {
    const events = Array.from({ length: 600 }, (_, i) => ({ kind: "data-access", actor: "svc", data: { i } }));
    const res = await app.inject({ method: "POST", url: path("/entries"), payload: { events }, headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.json().entries).toHaveLength(600);
    const bad = await app.inject({ method: "POST", url: path("/entries"), payload: { kind: "NOPE" }, headers: auth });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/kind/);
    const cp = await app.inject({ method: "POST", url: path("/checkpoint"), headers: auth });
    expect(cp.statusCode).toBe(200);
    const note = (await app.inject({ method: "GET", url: path("/checkpoint") })).body;
    expect(note).toBe(cp.body);
    const v = verifyCheckpoint(note, { log: parseVkey(formatVkey(ORIGIN, signer.publicKey)) });
    expect(v.size).toBe(600);
    const p = (await app.inject({ method: "GET", url: path("/proof/inclusion?index=417") })).json();
    const e = (await app.inject({ method: "GET", url: path("/entries/417") })).json();
    expect(e.entry.data.i).toBe(417);
    expect(
      verifyInclusion(
        417,
        600,
        hashLeaf(e.leafData),
        p.proof.map((h: string) => Buffer.from(h, "base64")),
        v.root,
      ),
    ).toBe(true);
    await app.inject({ method: "POST", url: path("/entries"), payload: { kind: "note" }, headers: auth });
    const c = (await app.inject({ method: "GET", url: path("/proof/consistency?from=600") })).json();
    const root601 = (await app.inject({ method: "GET", url: "/ledger/logs" })).json().logs[0].root;
    expect(
      verifyConsistency(
        600,
        601,
        v.root,
        Buffer.from(root601, "base64"),
        c.proof.map((h: string) => Buffer.from(h, "base64")),
      ),
    ).toBe(true);
    expect((await app.inject({ method: "GET", url: path("/proof/inclusion?index=9999") })).statusCode).toBe(400);
    expect((await app.inject({ method: "GET", url: path("/proof/inclusion?index=abc") })).statusCode).toBe(400);
    expect((await app.inject({ method: "GET", url: "/ledger/logs/nope%2Flog/checkpoint" })).statusCode).toBe(404);
  });

  it("serves tlog-tiles from which a client rebuilds the root", async () => {
    // 601 entries: level-0 tiles 000, 001 full and 002.p/89; level 1 has 2 hashes (partial).
    expect(encodeTileIndex(1234067)).toBe("x001/x234/067");
    const full0 = await app.inject({ method: "GET", url: path("/tile/0/000") });
    expect(full0.statusCode).toBe(200);
    expect(full0.rawPayload.length).toBe(8192);
    const t1 = await app.inject({ method: "GET", url: path("/tile/0/001") });
    const t2 = await app.inject({ method: "GET", url: path("/tile/0/002.p/89") });
    expect(t2.rawPayload.length).toBe(89 * 32);
    expect((await app.inject({ method: "GET", url: path("/tile/0/002.p/90") })).statusCode).toBe(404);
    expect((await app.inject({ method: "GET", url: path("/tile/0/003") })).statusCode).toBe(404);
    const level1 = await app.inject({ method: "GET", url: path("/tile/1/000.p/2") });
    expect(level1.rawPayload.length).toBe(64);
    // The client's own reconstruction: all leaf hashes from level-0 tiles give the published root.
    const leaves = Buffer.concat([full0.rawPayload, t1.rawPayload, t2.rawPayload]);
    const range = new CompactRange();
    for (let i = 0; i < 601; i++) range.append(leaves.subarray(i * 32, i * 32 + 32));
    const root = (await app.inject({ method: "GET", url: "/ledger/logs" })).json().logs[0].root;
    expect(range.root().toString("base64")).toBe(root);
    // A level-1 hash is the root of the full level-0 tile below it.
    let level = Array.from({ length: 256 }, (_, i) => full0.rawPayload.subarray(i * 32, i * 32 + 32));
    while (level.length > 1) level = Array.from({ length: level.length / 2 }, (_, i) => hashChildren(level[2 * i]!, level[2 * i + 1]!));
    expect(Buffer.from(level[0]!).equals(level1.rawPayload.subarray(0, 32))).toBe(true);
    // Entry bundles: uint16 length-prefixed leaves.
    const bundle = (await app.inject({ method: "GET", url: path("/tile/entries/002.p/89") })).rawPayload;
    const len = bundle.readUInt16BE(0);
    expect(hashLeaf(bundle.subarray(2, 2 + len)).equals(leaves.subarray(512 * 32, 513 * 32))).toBe(true);
    expect((await app.inject({ method: "GET", url: path("/tile/0/x000/002") })).statusCode).toBe(400);
  });
});
