/**
 * `rampart ledger verify`: rechecks a whole stored log against its own signed checkpoints.
 * Recomputes every leaf and every complete subtree from the rows, streaming page by page, and names
 * the row that was edited, deleted or reordered, and any two checkpoints that fork the log.
 */
import { RampartError } from "../core/errors.js";
import { verifyCheckpoint } from "./checkpoint.js";
import { decodeEntry } from "./entry.js";
import type { Ledger } from "./log.js";
import { CompactRange, hashLeaf, type NodeId, nodeKey } from "./merkle.js";
import { type NoteVerifier, parseVkey } from "./note.js";

export type ProblemKind = "edited" | "deleted" | "reordered" | "fork" | "checkpoint-mismatch" | "bad-checkpoint" | "node-mismatch" | "size-mismatch";

export interface LogProblem {
  kind: ProblemKind;
  /** Row (entry index) the problem is about, when it is about one. */
  index?: number;
  message: string;
}

export interface LogAudit {
  origin: string;
  size: number;
  checkpoints: number;
  /** Largest checkpoint size whose root the rows reproduce. */
  verifiedUpTo: number;
  problems: LogProblem[];
  ok: boolean;
}

const MAX_PROBLEMS_PER_KIND = 50;

export async function auditLog(ledger: Ledger, options: { logKey?: string; witnesses?: readonly NoteVerifier[]; quorum?: number } = {}): Promise<LogAudit> {
  const problems: LogProblem[] = [];
  const counts = new Map<ProblemKind, number>();
  const report = (p: LogProblem) => {
    const n = (counts.get(p.kind) ?? 0) + 1;
    counts.set(p.kind, n);
    if (n <= MAX_PROBLEMS_PER_KIND) problems.push(p);
  };
  const state = await ledger.state();
  const vkey = options.logKey ?? state.logVkey;
  const checkpoints = await ledger.checkpoints();
  if (checkpoints.length > 0 && !vkey) throw new RampartError("untrusted-key", `ledger ${ledger.origin}: no log key recorded; pass --log-key`);
  const logKey = vkey ? parseVkey(vkey, "log key") : undefined;

  // 1. Checkpoints: signatures, and two different roots for one size = a fork.
  const bySize = new Map<number, Array<{ id: number; root: Buffer }>>();
  for (const cp of checkpoints) {
    try {
      const v = verifyCheckpoint(cp.note, { log: logKey!, witnesses: options.witnesses, quorum: options.quorum, origin: ledger.origin }, `checkpoint #${cp.id}`);
      if (v.size !== cp.size || !v.root.equals(cp.root))
        report({ kind: "bad-checkpoint", message: `checkpoint #${cp.id}: its row says size ${cp.size} but the signed note says ${v.size}` });
    } catch (e) {
      report({ kind: "bad-checkpoint", message: (e as Error).message });
      continue;
    }
    const list = bySize.get(cp.size) ?? [];
    const other = list.find((o) => !o.root.equals(cp.root));
    if (other)
      report({
        kind: "fork",
        message: `checkpoints #${other.id} and #${cp.id} are both signed for size ${cp.size} with different roots (${other.root.toString("base64")} vs ${cp.root.toString("base64")}): the log forked`,
      });
    list.push({ id: cp.id, root: cp.root });
    bySize.set(cp.size, list);
  }
  const sizes = [...bySize.keys()].sort((a, b) => a - b);

  // 2. Rows: recompute leaves and subtrees, compare with stored nodes and checkpoint roots.
  const range = new CompactRange();
  const seenDeclared = new Uint8Array(Math.max(8, Math.ceil((state.size + 1) / 8)));
  const markSeen = (d: number) => {
    if (d >= 0 && d < seenDeclared.length * 8) seenDeclared[d >> 3]! |= 1 << (d & 7);
  };
  const isSeen = (d: number) => d >= 0 && d < seenDeclared.length * 8 && (seenDeclared[d >> 3]! & (1 << (d & 7))) !== 0;
  const misplaced: Array<{ row: number; pos: number; declared: number }> = [];
  let maxDeclared = -1;
  let expectedRow = 0;
  let aligned = true;
  let verifiedUpTo = 0;
  let lastGood = 0;
  let nextCp = 0;
  let page: Array<{ idx: number; leafData: string }> = [];
  const reader = ledger.reader();

  const flush = async () => {
    const created: Array<{ id: NodeId; hash: Buffer }> = [];
    const leaves: Array<{ row: number; at: number; hash: Buffer }> = [];
    for (const row of page) {
      const entry = decodeEntry(row.leafData);
      if (row.idx !== expectedRow) {
        // Rows missing from the sequence: the tree is computed over the rows that are there.
        for (let i = expectedRow; i < row.idx && i < expectedRow + MAX_PROBLEMS_PER_KIND; i++)
          report({ kind: "deleted", index: i, message: `entry ${i} is missing (row deleted)` });
        if (row.idx < expectedRow) report({ kind: "reordered", index: row.idx, message: `row ${row.idx} appears out of order` });
      }
      expectedRow = row.idx + 1;
      if (!entry) {
        report({ kind: "edited", index: row.idx, message: `entry ${row.idx}: leaf data is not a Rampart ledger entry (row edited)` });
        // An unreadable row still holds its place: it is edited, not also missing.
        markSeen(row.idx);
      } else {
        if (entry.origin !== ledger.origin) report({ kind: "edited", index: row.idx, message: `entry ${row.idx}: belongs to log ${entry.origin} (row copied from another log)` });
        markSeen(entry.index);
        maxDeclared = Math.max(maxDeclared, entry.index);
        if (entry.index !== range.size) {
          aligned = false;
          if (misplaced.length < 100_000) misplaced.push({ row: row.idx, pos: range.size, declared: entry.index });
        }
      }
      if (row.idx !== range.size) aligned = false;
      const leafHash = hashLeaf(row.leafData);
      // The leaf is compared with the hash stored for the position it was appended at.
      leaves.push({ row: row.idx, at: entry?.index ?? row.idx, hash: leafHash });
      for (const n of range.append(leafHash)) if (aligned && n.id.level > 0) created.push(n);
      while (nextCp < sizes.length && sizes[nextCp]! <= range.size) {
        const size = sizes[nextCp]!;
        if (size === range.size) {
          const root = range.root();
          const bad = bySize.get(size)!.filter((c) => !c.root.equals(root));
          for (const c of bad)
            report({
              kind: "checkpoint-mismatch",
              message: `checkpoint #${c.id} (size ${size}) does not match the rows: an entry in ${lastGood}..${size - 1} was changed, removed or moved`,
            });
          if (bad.length === 0) {
            verifiedUpTo = size;
            lastGood = size;
          }
        }
        nextCp++;
      }
    }
    // Stored subtree hashes must equal the recomputed ones; level 0 names the edited row exactly.
    const stored = await reader([...leaves.map((l) => ({ level: 0, index: l.at })), ...created.map((c) => c.id)]);
    for (const l of leaves) {
      const s = stored.get(nodeKey({ level: 0, index: l.at }));
      if (!s || !Buffer.from(s).equals(l.hash))
        report({ kind: "edited", index: l.row, message: `entry ${l.row}: its leaf hash no longer matches the hash stored when it was appended (row edited)` });
    }
    for (const c of created) {
      const s = stored.get(nodeKey(c.id));
      if (s && Buffer.from(s).equals(c.hash)) continue;
      const first = c.id.index * 2 ** c.id.level;
      report({ kind: "node-mismatch", message: `subtree of entries ${first}..${first + 2 ** c.id.level - 1}: stored hash differs from the recomputed one` });
    }
    page = [];
  };

  for await (const row of ledger.entries()) {
    page.push(row);
    if (page.length >= 2000) await flush();
  }
  await flush();

  const missing: number[] = [];
  for (let n = 0; n <= maxDeclared && missing.length < 100_000; n++) if (!isSeen(n)) missing.push(n);
  for (const n of missing)
    if (!problems.some((p) => p.kind === "deleted" && p.index === n)) report({ kind: "deleted", index: n, message: `entry ${n} is missing (row deleted, later rows renumbered)` });
  // A row holding another position's entry: explained by deletions before it, or else reordered.
  const missingBefore = (d: number) => {
    let lo = 0;
    let hi = missing.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (missing[mid]! < d) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  for (const m of misplaced)
    if (m.declared - m.pos !== missingBefore(m.declared))
      report({ kind: "reordered", index: m.row, message: `row ${m.row} holds the entry appended as index ${m.declared} (rows reordered)` });
  if (range.size !== state.size) report({ kind: "size-mismatch", message: `the log says ${state.size} entries but ${range.size} rows are stored` });
  else if (!range.root().equals(state.root)) report({ kind: "node-mismatch", message: "the stored root does not match the rows" });
  for (const size of sizes)
    if (size > range.size) report({ kind: "deleted", message: `checkpoint at size ${size} covers entries that are no longer stored (only ${range.size} rows)` });

  return { origin: ledger.origin, size: range.size, checkpoints: checkpoints.length, verifiedUpTo, problems, ok: problems.length === 0 };
}
