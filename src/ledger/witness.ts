/**
 * A witness (c2sp.org/tlog-witness): an independent party with its own key and its own store that
 * cosigns a log's checkpoint only when it is consistent with the last one it cosigned for that
 * origin. A fork or rollback is refused, and the two conflicting signed checkpoints are kept as
 * proof of the log's misbehaviour.
 */
import { createHash } from "node:crypto";
import type { Signer } from "../attest/index.js";
import { RampartError } from "../core/errors.js";
import type { Store } from "../store/index.js";
import { cosignLine, parseCheckpointText, peekCheckpoint, verifyCosignature } from "./checkpoint.js";
import type { Ledger, StoredCheckpoint } from "./log.js";
import { checkConsistency, EMPTY_ROOT, ProofError } from "./merkle.js";
import { formatVkey, hex8, type NoteVerifier, openNote, parseNote, parseVkey, SIG_COSIGNATURE_V1, SIG_ED25519 } from "./note.js";

export interface WitnessResponse {
  status: number;
  body: string;
  contentType: string;
}

export interface AddCheckpointRequest {
  oldSize: number;
  proof: Buffer[];
  note: string;
}

const MAX_PROOF_LINES = 63;
const MAX_REQUEST_BYTES = 1 << 20;

/** Parses an add-checkpoint body: `old <n>`, up to 63 base64 proof lines, a blank line, the note. */
export function parseAddCheckpoint(body: string): AddCheckpointRequest {
  const fail = (why: string) => new RampartError("invalid-input", `add-checkpoint request: ${why}`);
  if (body.length > MAX_REQUEST_BYTES) throw fail("too large");
  const blank = body.indexOf("\n\n");
  if (blank < 0) throw fail("no blank line after the proof");
  const head = body.slice(0, blank).split("\n");
  const m = /^old (0|[1-9][0-9]*)$/.exec(head[0] ?? "");
  if (!m) throw fail('first line must be "old <size>"');
  const oldSize = Number(m[1]);
  if (!Number.isSafeInteger(oldSize)) throw fail("old size too large");
  const lines = head.slice(1);
  if (lines.length > MAX_PROOF_LINES) throw fail(`more than ${MAX_PROOF_LINES} proof lines`);
  const proof = lines.map((l, i) => {
    const h = Buffer.from(l, "base64");
    if (h.length !== 32 || h.toString("base64") !== l) throw fail(`proof line ${i + 1} is not a base64 SHA-256 hash`);
    return h;
  });
  return { oldSize, proof, note: body.slice(blank + 2) };
}

export function formatAddCheckpoint(req: AddCheckpointRequest): string {
  return `old ${req.oldSize}\n${req.proof.map((p) => `${p.toString("base64")}\n`).join("")}\n${req.note}`;
}

export interface WitnessOptions {
  /** The witness's name (its key name in cosignature lines). */
  name: string;
  signer: Signer;
  /** The witness's own store: only ledger_witness_state and ledger_witness_evidence are used. */
  store: Store;
  /** Verifier keys (type 0x01) of the logs this witness follows; each key's name is the log origin. */
  logs: readonly NoteVerifier[];
  /** Clock in POSIX seconds (tests pin it). */
  now?: () => number;
}

export interface WitnessEvidence {
  id: number;
  origin: string;
  kind: string;
  heldNote: string;
  offeredNote: string;
  detail: string;
  createdAt: string;
}

export class Witness {
  readonly vkey: string;
  constructor(private readonly options: WitnessOptions) {
    this.vkey = formatVkey(options.name, options.signer.publicKey, SIG_COSIGNATURE_V1);
    for (const l of options.logs) if (l.type !== SIG_ED25519) throw new RampartError("untrusted-key", `${l.vkey}: a log key must be an Ed25519 (type 0x01) note key`);
  }

  get name(): string {
    return this.options.name;
  }

  /** Handles POST add-checkpoint; the result maps one to one onto the HTTP response. */
  async addCheckpoint(body: string): Promise<WitnessResponse> {
    const text = (status: number, message: string): WitnessResponse => ({ status, body: `${message}\n`, contentType: "text/plain; charset=utf-8" });
    let req: AddCheckpointRequest;
    let origin: string;
    try {
      req = parseAddCheckpoint(body);
      origin = peekCheckpoint(req.note).origin;
    } catch (e) {
      return text(400, (e as Error).message);
    }
    const logKeys = this.options.logs.filter((k) => k.name === origin);
    if (logKeys.length === 0) return text(404, `unknown log origin ${origin}`);
    let cp: ReturnType<typeof parseCheckpointText>;
    let checkpointText: string;
    try {
      checkpointText = openNote(req.note, logKeys).text;
      cp = parseCheckpointText(checkpointText);
    } catch (e) {
      return text(403, (e as Error).message);
    }
    if (req.oldSize > cp.size) return text(400, `old size ${req.oldSize} is larger than the checkpoint size ${cp.size}`);
    return this.options.store.exclusive(`witness:${origin}`, async (trx) => {
      const held = await trx.selectFrom("ledger_witness_state").selectAll().where("origin", "=", origin).executeTakeFirst();
      const heldSize = held ? Number(held.size) : 0;
      const heldRoot = held ? Buffer.from(held.root) : EMPTY_ROOT;
      const evidence = async (kind: string, detail: string) => {
        if (!held) return;
        await trx
          .insertInto("ledger_witness_evidence")
          .values({ origin, kind, held_note: held.note, offered_note: req.note, detail, created_at: new Date().toISOString() })
          .execute();
      };
      if (req.oldSize !== heldSize) {
        if (held && cp.size === heldSize && !cp.root.equals(heldRoot)) {
          await evidence("fork", `two checkpoints of size ${cp.size} with different roots`);
        }
        if (held && cp.size < heldSize) await evidence("rollback", `offered size ${cp.size} after cosigning size ${heldSize}`);
        return { status: 409, body: `${heldSize}\n`, contentType: "text/x.tlog.size" };
      }
      if (req.oldSize === 0) {
        if (req.proof.length > 0) return text(422, "old size 0 takes an empty proof");
      } else if (req.oldSize === cp.size) {
        if (req.proof.length > 0) return text(422, "equal sizes take an empty proof");
        if (!cp.root.equals(heldRoot)) {
          await evidence("fork", `two checkpoints of size ${cp.size} with different roots`);
          return text(422, `fork: checkpoint of size ${cp.size} has a different root than the one cosigned`);
        }
      } else {
        try {
          checkConsistency(heldSize, cp.size, heldRoot, cp.root, req.proof);
        } catch (e) {
          if (!(e instanceof ProofError)) throw e;
          await evidence("inconsistent", `no valid consistency proof from size ${heldSize} to ${cp.size}: ${e.message}`);
          return text(422, `consistency proof from ${heldSize} to ${cp.size} does not verify (${e.message})`);
        }
      }
      const now = new Date().toISOString();
      if (held) await trx.updateTable("ledger_witness_state").set({ size: cp.size, root: cp.root, note: req.note, updated_at: now }).where("origin", "=", origin).execute();
      else await trx.insertInto("ledger_witness_state").values({ origin, size: cp.size, root: cp.root, note: req.note, updated_at: now }).execute();
      const ts = Math.max(1, Math.floor(this.options.now?.() ?? Date.now() / 1000));
      const line = await cosignLine(checkpointText, this.options.name, this.options.signer.publicKey, (m) => this.options.signer.sign(m), ts);
      return { status: 200, body: `${line}\n`, contentType: "text/plain; charset=utf-8" };
    });
  }

  /** A followed log's origin from the hex SHA-256 monitors put in the URL. */
  async originByHash(hex: string): Promise<string | undefined> {
    return this.options.logs.map((l) => l.name).find((o) => createHash("sha256").update(o).digest("hex") === hex.toLowerCase());
  }

  /** The latest checkpoint this witness cosigned for an origin (what monitors read). */
  async latest(origin: string): Promise<{ size: number; note: string } | undefined> {
    const row = await this.options.store.db.selectFrom("ledger_witness_state").select(["size", "note"]).where("origin", "=", origin).executeTakeFirst();
    return row && { size: Number(row.size), note: row.note };
  }

  async evidence(origin?: string): Promise<WitnessEvidence[]> {
    let q = this.options.store.db.selectFrom("ledger_witness_evidence").selectAll().orderBy("id");
    if (origin) q = q.where("origin", "=", origin);
    return (await q.execute()).map((r) => ({
      id: Number(r.id),
      origin: r.origin,
      kind: r.kind,
      heldNote: r.held_note,
      offeredNote: r.offered_note,
      detail: r.detail,
      createdAt: r.created_at,
    }));
  }
}

/** How the log reaches a witness: in-process, or HTTP (httpWitness). */
export type WitnessTransport = (body: string) => Promise<WitnessResponse>;

/** POSTs to `<url>/add-checkpoint` with a timeout. */
export function httpWitness(url: string, options: { timeoutMs?: number } = {}): WitnessTransport {
  const endpoint = `${url.replace(/\/+$/, "")}/add-checkpoint`;
  return async (body) => {
    try {
      const res = await fetch(endpoint, { method: "POST", body, headers: { "content-type": "text/plain" }, signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
      return { status: res.status, body: await res.text(), contentType: res.headers.get("content-type") ?? "" };
    } catch (e) {
      throw new RampartError("unavailable", `witness ${endpoint}: ${(e as Error).message}`);
    }
  };
}

/**
 * Asks a witness to cosign a stored checkpoint: sends the consistency proof from the size the
 * witness last cosigned (learning it from a 409), verifies the returned cosignature with the
 * witness's key and records it on the checkpoint. Returns the updated note.
 */
export async function requestCosignature(
  ledger: Ledger,
  checkpoint: StoredCheckpoint,
  witnessVkey: string,
  transport: WitnessTransport,
  options: { oldSize?: number } = {},
): Promise<string> {
  const witness = parseVkey(witnessVkey, "witness key");
  if (witness.type !== SIG_COSIGNATURE_V1) throw new RampartError("untrusted-key", `${witnessVkey}: a witness key must be a cosignature/v1 (type 0x04) key`);
  let oldSize = options.oldSize ?? 0;
  for (let attempt = 0; attempt < 3; attempt++) {
    const proof = oldSize === 0 || oldSize >= checkpoint.size ? [] : (await ledger.consistencyProof(oldSize, checkpoint.size)).proof;
    const res = await transport(formatAddCheckpoint({ oldSize: Math.min(oldSize, checkpoint.size), proof, note: checkpoint.note }));
    if (res.status === 409 && res.contentType.startsWith("text/x.tlog.size")) {
      const size = Number(res.body.trim());
      if (!Number.isSafeInteger(size) || size < 0) throw new RampartError("invalid-input", `witness ${witness.name}: bad 409 body`);
      if (size > checkpoint.size) throw new RampartError("conflict", `witness ${witness.name} has cosigned size ${size}, newer than checkpoint ${checkpoint.size}`);
      oldSize = size;
      continue;
    }
    if (res.status !== 200)
      throw new RampartError("conflict", `witness ${witness.name} refused checkpoint ${checkpoint.size} (HTTP ${res.status}: ${res.body.trim().split("\n")[0]})`);
    const cpText = peekCheckpoint(checkpoint.note).text;
    const lines = res.body.split("\n").filter((l) => l.length > 0);
    const good = lines.filter((line) => {
      const sig = parseNote(`x\n\n${line}\n`).signatures[0]!;
      return verifyCosignature(cpText, sig, witness) !== undefined;
    });
    if (good.length === 0) throw new RampartError("bad-signature", `witness ${witness.name} (${hex8(witness.keyId)}) answered without a valid cosignature`);
    return ledger.addCosignatures(checkpoint.id, witness.vkey, good);
  }
  throw new RampartError("conflict", `witness ${witness.name}: kept answering 409`);
}
