import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CompactRange,
  consistencyProof,
  EMPTY_ROOT,
  hashChildren,
  hashLeaf,
  inclusionProof,
  type NodeReader,
  nodeKey,
  rootAt,
  verifyConsistency,
  verifyInclusion,
} from "../../src/ledger/merkle.js";

const VECTORS = "../shared/vectors/ledger/merkle";

function jsonFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? jsonFiles(p) : f.endsWith(".json") ? [p] : [];
  });
}

const b64 = (s: string | null | undefined) => Buffer.from(s ?? "", "base64");

/** An in-memory node store fed by CompactRange, the same way the database is fed. */
function memoryTree(leaves: readonly Uint8Array[]): { read: NodeReader; range: CompactRange; reads: number[] } {
  const nodes = new Map<number, Buffer>();
  const range = new CompactRange();
  for (const leaf of leaves) for (const n of range.append(hashLeaf(leaf))) nodes.set(nodeKey(n.id), n.hash);
  const reads: number[] = [];
  const read: NodeReader = async (ids) => {
    reads.push(ids.length);
    return new Map(ids.map((id) => [nodeKey(id), nodes.get(nodeKey(id))!]));
  };
  return { read, range, reads };
}

/** RFC 9162 §2.1.1 straight from the definition, to compare against. */
function mth(leaves: readonly Uint8Array[]): Buffer {
  if (leaves.length === 0) return EMPTY_ROOT;
  if (leaves.length === 1) return hashLeaf(leaves[0]!);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return hashChildren(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

describe("transparency-dev/merkle vectors", () => {
  const inclusion = jsonFiles(join(VECTORS, "inclusion"));
  const consistency = jsonFiles(join(VECTORS, "consistency"));
  it("has the vector files", () => {
    expect(inclusion.length).toBeGreaterThan(50);
    expect(consistency.length).toBeGreaterThan(50);
  });
  it.each(inclusion)("inclusion %s", (file) => {
    const v = JSON.parse(readFileSync(file, "utf8"));
    const ok = verifyInclusion(v.leafIdx, v.treeSize, b64(v.leafHash), (v.proof ?? []).map(b64), b64(v.root));
    expect(ok).toBe(!v.wantErr);
  });
  it.each(consistency)("consistency %s", (file) => {
    const v = JSON.parse(readFileSync(file, "utf8"));
    const ok = verifyConsistency(v.size1, v.size2, b64(v.root1), b64(v.root2), (v.proof ?? []).map(b64));
    expect(ok).toBe(!v.wantErr);
  });
});

describe("reference tree (generation)", () => {
  const ref = JSON.parse(readFileSync(join(VECTORS, "reference-tree.json"), "utf8"));
  const leaves: Buffer[] = ref.leafInputs.map((h: string) => Buffer.from(h, "hex"));
  const hex = (b: Buffer) => b.toString("hex");
  it("stores every complete subtree hash", async () => {
    const { read } = memoryTree(leaves);
    const levels: string[][] = ref.nodeHashes.levels;
    for (const [level, hashes] of levels.entries())
      for (const [index, h] of hashes.entries()) expect(hex(Buffer.from((await read([{ level, index }])).get(nodeKey({ level, index }))!))).toBe(h);
  });
  it("roots by size", async () => {
    for (let n = 0; n <= 8; n++) {
      const { read, range } = memoryTree(leaves.slice(0, n));
      expect(hex(range.root())).toBe(ref.rootsBySize.roots[n]);
      expect(hex(await rootAt(n, memoryTree(leaves).read))).toBe(ref.rootsBySize.roots[n]);
      expect(hex(await rootAt(n, read))).toBe(ref.rootsBySize.roots[n]);
    }
  });
  it("inclusion proofs", async () => {
    const { read } = memoryTree(leaves);
    for (const p of ref.inclusionProofs) {
      const proof = await inclusionProof(p.leafIndex, p.treeSize, read);
      expect(proof.map(hex)).toEqual(p.proof);
      expect(verifyInclusion(p.leafIndex, p.treeSize, Buffer.from(p.leafHash, "hex"), proof, Buffer.from(p.root, "hex"))).toBe(true);
    }
  });
  it("consistency proofs", async () => {
    const { read } = memoryTree(leaves);
    expect(ref.consistencyProofs.length).toBeGreaterThan(0);
    for (const p of ref.consistencyProofs) {
      const proof = await consistencyProof(p.size1, p.size2, read);
      expect(proof.map(hex)).toEqual(p.proof);
    }
  });
});

describe("properties", () => {
  const leafArb = fc.uint8Array({ minLength: 0, maxLength: 8 });
  it("compact range root equals the RFC definition", () => {
    fc.assert(
      fc.property(fc.array(leafArb, { maxLength: 70 }), (leaves) => {
        expect(memoryTree(leaves).range.root().equals(mth(leaves))).toBe(true);
      }),
    );
  });
  it("every inclusion proof verifies; any flipped bit fails", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 300 }), fc.nat(), fc.nat(), async (size, seed, bit) => {
        const leaves = Array.from({ length: size }, (_, i) => Buffer.from(`leaf-${i}`));
        const { read, range } = memoryTree(leaves);
        const index = seed % size;
        const root = range.root();
        const leaf = hashLeaf(leaves[index]!);
        const proof = await inclusionProof(index, size, read);
        expect(proof.length).toBeLessThanOrEqual(Math.ceil(Math.log2(size)));
        expect(verifyInclusion(index, size, leaf, proof, root)).toBe(true);
        // Flip one bit anywhere in (leaf ‖ proof ‖ root).
        const parts = [leaf, ...proof, root].map((b) => Buffer.from(b));
        const total = parts.length * 256;
        const at = bit % total;
        parts[Math.floor(at / 256)]![Math.floor((at % 256) / 8)]! ^= 1 << (at % 8);
        const [l, ...rest] = parts;
        const r = rest.pop()!;
        expect(verifyInclusion(index, size, l!, rest, r)).toBe(false);
        // A different index or size must not verify either.
        if (size > 1) expect(verifyInclusion((index + 1) % size, size, leaf, proof, root)).toBe(false);
      }),
      { numRuns: 150 },
    );
  });
  it("every consistency proof verifies; any flipped bit fails", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 300 }), fc.nat(), fc.nat(), async (n, seed, bit) => {
        const leaves = Array.from({ length: n }, (_, i) => Buffer.from(`e${i}`));
        const { read, range } = memoryTree(leaves);
        const m = 1 + (seed % n);
        const oldRoot = await rootAt(m, read);
        const newRoot = range.root();
        const proof = await consistencyProof(m, n, read);
        expect(proof.length).toBeLessThanOrEqual(Math.ceil(Math.log2(n)) + 1);
        expect(verifyConsistency(m, n, oldRoot, newRoot, proof)).toBe(true);
        const parts = [oldRoot, newRoot, ...proof].map((b) => Buffer.from(b));
        const at = bit % (parts.length * 256);
        parts[Math.floor(at / 256)]![Math.floor((at % 256) / 8)]! ^= 1 << (at % 8);
        const [o, nr, ...p] = parts;
        expect(verifyConsistency(m, n, o!, nr!, p)).toBe(false);
      }),
      { numRuns: 150 },
    );
  });
  it("a proof reads the store once, with at most 2·log2(n) nodes", async () => {
    const leaves = Array.from({ length: 1000 }, (_, i) => Buffer.from(String(i)));
    const { read, reads } = memoryTree(leaves);
    await inclusionProof(999, 1000, read);
    await consistencyProof(123, 1000, read);
    expect(reads.length).toBe(2);
    for (const r of reads) expect(r).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(1000)));
  });
});
