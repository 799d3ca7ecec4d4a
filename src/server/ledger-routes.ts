/**
 * Ledger HTTP API (Fastify plugin), thin over src/ledger:
 *   GET  /logs                                   logs in this store
 *   POST /logs/:origin/entries                   append events (bearer token)
 *   POST /logs/:origin/checkpoint                sign a checkpoint of the current tree (bearer token)
 *   GET  /logs/:origin/checkpoint                latest signed checkpoint (C2SP note, text/plain)
 *   GET  /logs/:origin/entries/:index            one entry
 *   GET  /logs/:origin/proof/inclusion?index=&size=
 *   GET  /logs/:origin/proof/consistency?from=&to=
 *   GET  /logs/:origin/tile/<L>/<N>[.p/<W>]      C2SP tlog-tiles (hash tiles and entry bundles)
 * and, for a witness server, witnessRoutes: POST /add-checkpoint, GET /<hex sha256(origin)>/checkpoint.
 * `:origin` is URL-encoded (origins contain "/").
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import type { Signer } from "../attest/index.js";
import { RampartError } from "../core/index.js";
import { entryBundle, Ledger, nodeKey, parseTilePath, TILE_HEIGHT, TILE_WIDTH, tileShape, type Witness } from "../ledger/index.js";
import type { Store } from "../store/index.js";

export interface LedgerRoutesOptions {
  store: Store;
  /** Bearer tokens allowed to append and to ask for checkpoints. No token: writes are refused. */
  tokens: readonly string[];
  /** Signs checkpoints on request; without it POST checkpoint is refused. */
  signer?: Signer;
  /** Largest batch per request. */
  maxBatch?: number;
}

function digest(s: string): Buffer {
  return createHash("sha256").update(s).digest();
}

function authorise(req: FastifyRequest, tokens: readonly Buffer[]): void {
  const m = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "");
  const given = m ? digest(m[1]!) : undefined;
  // Compare digests in constant time so a token cannot be guessed byte by byte.
  if (!given || !tokens.some((t) => timingSafeEqual(t, given))) throw Object.assign(new Error("a valid bearer token is required"), { statusCode: 401 });
}

function whole(value: unknown, name: string, optional = false): number | undefined {
  if (value === undefined && optional) return undefined;
  const n = Number(value);
  if (typeof value !== "string" || !/^(0|[1-9][0-9]*)$/.test(value) || !Number.isSafeInteger(n)) throw new RampartError("usage", `${name}: expected a whole number`);
  return n;
}

export const ledgerRoutes: FastifyPluginAsync<LedgerRoutesOptions> = async (app, opts) => {
  const tokens = opts.tokens.map(digest);
  const maxBatch = opts.maxBatch ?? 10_000;
  const logs = new Map<string, Ledger>();
  const open = async (origin: string, create = false) => {
    let l = logs.get(origin);
    if (!l) {
      if (!create && !(await opts.store.db.selectFrom("ledger_logs").select("id").where("origin", "=", origin).executeTakeFirst()))
        throw new RampartError("not-found", `no ledger ${origin}`);
      l = await Ledger.open(opts.store, origin);
      logs.set(origin, l);
    }
    return l;
  };
  type P = { Params: { origin: string } };

  app.get("/logs", async () => ({ logs: (await Ledger.list(opts.store)).map((l) => ({ origin: l.origin, size: l.size, root: l.root.toString("base64") })) }));

  app.post<P & { Body: unknown }>("/logs/:origin/entries", async (req) => {
    authorise(req, tokens);
    const body = req.body as { events?: unknown[] } | undefined;
    const events = Array.isArray(body?.events) ? body.events : body ? [body] : [];
    if (events.length === 0) throw new RampartError("usage", 'body: expected an event or {"events": [...]}');
    if (events.length > maxBatch) throw new RampartError("limit", `body: at most ${maxBatch} events per request`);
    const appended = await (await open(req.params.origin, true)).append(events as never[]);
    return { entries: appended.map((e) => ({ index: e.index, leafHash: e.leafHash.toString("base64"), eventId: e.eventId, duplicate: e.duplicate })) };
  });

  app.post<P>("/logs/:origin/checkpoint", async (req, reply) => {
    authorise(req, tokens);
    if (!opts.signer) throw new RampartError("unavailable", "this server holds no log key");
    const cp = await (await open(req.params.origin)).signCheckpoint(opts.signer);
    return reply.type("text/plain; charset=utf-8").send(cp.note);
  });

  const checkpoint = async (req: FastifyRequest<P>, reply: FastifyReply) => {
    const cp = await (await open(req.params.origin)).latestCheckpoint();
    if (!cp) throw new RampartError("not-found", `ledger ${req.params.origin} has no checkpoint yet`);
    return reply.type("text/plain; charset=utf-8").header("cache-control", "no-cache").send(cp.note);
  };
  app.get<P>("/logs/:origin/checkpoint", checkpoint);

  app.get<P & { Params: { index: string } }>("/logs/:origin/entries/:index", async (req) => {
    const index = whole(req.params.index, "index")!;
    const e = await (await open(req.params.origin)).entry(index);
    if (!e) throw new RampartError("not-found", `ledger ${req.params.origin} has no entry ${index}`);
    return { index: e.index, leafData: e.leafData, leafHash: e.leafHash.toString("base64"), entry: e.entry };
  });

  app.get<P & { Querystring: { index?: string; size?: string } }>("/logs/:origin/proof/inclusion", async (req) => {
    const log = await open(req.params.origin);
    const p = await log.inclusionProof(whole(req.query.index, "index")!, whole(req.query.size, "size", true));
    const e = await log.entry(p.index);
    return { index: p.index, size: p.size, leafHash: e?.leafHash.toString("base64"), proof: p.proof.map((h) => h.toString("base64")) };
  });

  app.get<P & { Querystring: { from?: string; to?: string } }>("/logs/:origin/proof/consistency", async (req) => {
    const p = await (await open(req.params.origin)).consistencyProof(whole(req.query.from, "from")!, whole(req.query.to, "to", true));
    return { from: p.oldSize, to: p.newSize, proof: p.proof.map((h) => h.toString("base64")) };
  });

  app.get<P & { Params: { "*": string } }>("/logs/:origin/tile/*", async (req, reply) => {
    const log = await open(req.params.origin);
    const tile = parseTilePath(req.params["*"]);
    const { size } = await log.state();
    const shape = tileShape(size, tile.level === "entries" ? 0 : tile.level);
    const available = tile.index < shape.full ? TILE_WIDTH : tile.index === shape.full ? shape.partial : 0;
    if (tile.width > available) throw new RampartError("not-found", `tile ${req.params["*"]} is beyond the tree (size ${size})`);
    const first = tile.index * TILE_WIDTH;
    // Immutable once written: a full tile never changes and neither does a given partial width.
    reply.header("cache-control", "public, max-age=31536000, immutable").type("application/octet-stream");
    if (tile.level === "entries") {
      const rows: string[] = [];
      for await (const r of log.entries(first, first + tile.width)) rows.push(r.leafData);
      if (rows.length !== tile.width) throw new RampartError("not-found", `entries ${first}..${first + tile.width - 1} are not all stored`);
      return reply.send(entryBundle(rows));
    }
    const level = TILE_HEIGHT * tile.level;
    const ids = Array.from({ length: tile.width }, (_, i) => ({ level, index: first + i }));
    const got = await log.reader()(ids);
    const hashes = ids.map((id) => got.get(nodeKey(id)));
    if (hashes.some((h) => !h)) throw new RampartError("conflict", `tile ${req.params["*"]}: stored hashes are missing (run rampart ledger verify)`);
    return reply.send(Buffer.concat(hashes as Uint8Array[]));
  });
};

export interface WitnessRoutesOptions {
  witness: Witness;
}

/** The C2SP tlog-witness HTTP interface of a Witness. */
export const witnessRoutes: FastifyPluginAsync<WitnessRoutesOptions> = async (app, opts) => {
  app.post("/add-checkpoint", async (req, reply) => {
    if (typeof req.body !== "string") throw Object.assign(new Error("expected a text/plain body"), { statusCode: 415 });
    const res = await opts.witness.addCheckpoint(req.body);
    return reply.code(res.status).type(res.contentType).send(res.body);
  });
  app.get<{ Params: { hash: string } }>("/:hash/checkpoint", async (req, reply) => {
    const origin = await opts.witness.originByHash(req.params.hash);
    const latest = origin && (await opts.witness.latest(origin));
    if (!latest) throw new RampartError("not-found", "this witness has cosigned nothing for that log");
    return reply.type("text/plain; charset=utf-8").send(latest.note);
  });
  app.get("/", async () => ({ witness: opts.witness.name, vkey: opts.witness.vkey }));
};
