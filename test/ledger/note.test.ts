import { createPrivateKey, generateKeyPairSync, sign } from "node:crypto";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isRampartError } from "../../src/core/index.js";
import {
  addSignatureLines,
  cosignatureMessage,
  cosignLine,
  decodeCosignature,
  formatCheckpoint,
  parseCheckpointText,
  peekCheckpoint,
  verifyCheckpoint,
} from "../../src/ledger/checkpoint.js";
import { EMPTY_ROOT } from "../../src/ledger/merkle.js";
import { formatVkey, openNote, parseNote, parseVkey, SIG_COSIGNATURE_V1, signNote } from "../../src/ledger/note.js";

const NOTES = JSON.parse(readFileSync("../shared/vectors/ledger/signed-note/vectors.json", "utf8"));
const SAMPLES = JSON.parse(readFileSync("../shared/vectors/ledger/tlog-formats/samples.json", "utf8"));
const byId = (id: string) => NOTES.vectors.find((v: { id: string }) => v.id === id);

/** The Go test key format: PRIVATE+KEY+<name>+<hex id>+base64(0x01 ‖ seed). */
function goSigningKey(skey: string) {
  const [, , name, , ...rest] = skey.split("+");
  const b64 = rest.join("+");
  const seed = Buffer.from(b64!, "base64").subarray(1);
  const key = createPrivateKey({ key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]), format: "der", type: "pkcs8" });
  return { name: name!, key };
}

describe("signed-note vectors", () => {
  it("opens every valid note and rejects the corrupted one", () => {
    for (const v of NOTES.vectors) {
      const verifiers = [parseVkey(v.vkey)];
      if (v.expectValid) {
        const opened = openNote(v.note, verifiers);
        if (v.expectText) expect(opened.text).toBe(v.expectText);
        expect(opened.verified.map((k) => k.name)).toEqual([verifiers[0]!.name]);
      } else {
        expect(() => openNote(v.note, verifiers)).toThrow(/does not verify/);
      }
    }
  });
  it("two signers: one known verifies, both known verify, none known rejects", () => {
    const v = byId("go-two-signers-one-known");
    expect(openNote(v.note, [parseVkey(v.vkey)]).verified).toHaveLength(1);
    expect(openNote(v.note, [parseVkey(v.vkey), parseVkey(v.otherVkey)]).verified).toHaveLength(2);
    expect(() => openNote(v.note, [])).toThrow(/no signature by a known key/);
  });
  it("reproduces the Go test signature byte for byte", async () => {
    const v = byId("go-peterneumann");
    const { name, key } = goSigningKey(v.skey_test_only);
    const signed = await signNote(v.expectText, name, key, async (m) => sign(null, m, key));
    expect(signed).toBe(v.note);
    expect(formatVkey(name, key)).toBe(v.vkey);
  });
  it("rejects malformed verifier keys", () => {
    for (const bad of NOTES.verifierKeysNotParseable) expect(() => parseVkey(bad)).toThrow();
    expect(parseVkey(NOTES.realWorldVkeys["go-checksum-database"]).name).toBe("sum.golang.org");
  });
  it("parser never throws anything but RampartError on mutated notes", () => {
    const base = byId("go-two-signers-one-known").note as string;
    fc.assert(
      fc.property(fc.nat(base.length), fc.string({ maxLength: 4 }), fc.nat(base.length), (at, ins, cut) => {
        const mutated = base.slice(0, at) + ins + base.slice(Math.min(base.length, at + (cut % 5)));
        try {
          parseNote(mutated);
        } catch (e) {
          expect(isRampartError(e)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("tlog formats", () => {
  it("parses the C2SP checkpoint sample and round-trips its body", () => {
    const cp = peekCheckpoint(SAMPLES.checkpoint);
    expect(cp.origin).toBe("example.com/behind-the-sofa");
    expect(cp.size).toBe(20852163);
    expect(formatCheckpoint(cp)).toBe(cp.text);
    expect(cp.note.signatures).toHaveLength(1);
  });
  it("decodes the witness cosignature line and builds the exact cosignature/v1 message", () => {
    const cp = peekCheckpoint(SAMPLES.checkpointWithCosignature);
    const w = cp.note.signatures[1]!;
    expect(w.name).toBe("witness.example.com/w1");
    expect(w.keyId.toString(16).padStart(8, "0")).toBe("8d66cf3f");
    const c = decodeCosignature(w)!;
    expect(cosignatureMessage(cp.text, c.timestamp).toString()).toBe(SAMPLES.cosignatureV1SignedMessage);
  });
  it("parses the witness response and the go sumdb tree body", () => {
    const lines = (SAMPLES.witnessAddCheckpointResponse200 as string).trimEnd().split("\n");
    const withCosigs = addSignatureLines(SAMPLES.checkpoint, lines);
    expect(peekCheckpoint(withCosigs).note.signatures).toHaveLength(4);
    expect(() => parseCheckpointText(SAMPLES.goSumdbTreeNoteBody.text)).toThrow(/origin/);
  });
  it("rejects malformed checkpoints", () => {
    const ok = `o.example/log\n5\n${EMPTY_ROOT.toString("base64")}\n`;
    expect(parseCheckpointText(ok).size).toBe(5);
    expect(() => parseCheckpointText(ok.replace("\n5\n", "\n05\n"))).toThrow(/leading zeros/);
    expect(() => parseCheckpointText(ok.replace("\n5\n", "\n0\n").replace(EMPTY_ROOT.toString("base64"), Buffer.alloc(32).toString("base64")))).toThrow(/empty-tree/);
    expect(() => parseCheckpointText("o.example/log\n5\nAAAA\n")).toThrow(/32 bytes/);
  });
});

describe("checkpoint verification with witnesses", () => {
  const log = generateKeyPairSync("ed25519");
  const w1 = generateKeyPairSync("ed25519");
  const w2 = generateKeyPairSync("ed25519");
  const origin = "rampart.test/log";
  const text = formatCheckpoint({ origin, size: 3, root: Buffer.alloc(32, 7), extensions: [] });
  const logV = parseVkey(formatVkey(origin, log.publicKey));
  const w1V = parseVkey(formatVkey("w1.test", w1.publicKey, SIG_COSIGNATURE_V1));
  const w2V = parseVkey(formatVkey("w2.test", w2.publicKey, SIG_COSIGNATURE_V1));
  const signer = (k: typeof log) => async (m: Uint8Array) => sign(null, m, k.privateKey);
  it("counts a quorum of distinct witnesses", async () => {
    let note = await signNote(text, origin, log.publicKey, signer(log));
    note = addSignatureLines(note, [await cosignLine(text, "w1.test", w1.publicKey, signer(w1), 1_700_000_000)]);
    expect(verifyCheckpoint(note, { log: logV, witnesses: [w1V, w2V], quorum: 1 }).cosigners.map((c) => c.name)).toEqual(["w1.test"]);
    expect(() => verifyCheckpoint(note, { log: logV, witnesses: [w1V, w2V], quorum: 2 })).toThrow(/quorum is 2/);
    note = addSignatureLines(note, [await cosignLine(text, "w2.test", w2.publicKey, signer(w2), 1_700_000_001)]);
    expect(verifyCheckpoint(note, { log: logV, witnesses: [w1V, w2V], quorum: 2 }).cosigners).toHaveLength(2);
  });
  it("rejects a cosignature over another checkpoint, and a wrong origin", async () => {
    const note = await signNote(text, origin, log.publicKey, signer(log));
    const other = formatCheckpoint({ origin, size: 4, root: Buffer.alloc(32, 8), extensions: [] });
    const forged = addSignatureLines(note, [await cosignLine(other, "w1.test", w1.publicKey, signer(w1), 1_700_000_000)]);
    expect(() => verifyCheckpoint(forged, { log: logV, witnesses: [w1V] })).toThrow(/witness w1.test/);
    expect(() => verifyCheckpoint(note, { log: logV, origin: "other/log" })).toThrow(/origin/);
  });
});
