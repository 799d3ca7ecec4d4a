import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { copyProbes, seenCopies } from "../../../bench/eval-secrets-tally.js";

// Session 21: the evaluations' dedup against seen corpora probed a multi-line text by its first longest
// line only, so every unencrypted ed25519 key was a "copy" of any other (their first body line is shared).

function lengthPrefixed(b: Buffer | string): Buffer {
  const body = typeof b === "string" ? Buffer.from(b) : b;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
}

/** A fresh unencrypted ed25519 key in OpenSSH's own format (what `ssh-keygen -t ed25519 -N ''` writes). */
function opensshEd25519(): string {
  const { privateKey } = generateKeyPairSync("ed25519");
  const jwk = privateKey.export({ format: "jwk" });
  const seed = Buffer.from(jwk.d!, "base64url");
  const pub = Buffer.from(jwk.x!, "base64url");
  const pubBlob = Buffer.concat([lengthPrefixed("ssh-ed25519"), lengthPrefixed(pub)]);
  const check = randomBytes(4);
  let priv = Buffer.concat([check, check, lengthPrefixed("ssh-ed25519"), lengthPrefixed(pub), lengthPrefixed(Buffer.concat([seed, pub])), lengthPrefixed("user@host")]);
  const pad: number[] = [];
  for (let i = 1; (priv.length + pad.length) % 8 !== 0; i++) pad.push(i);
  priv = Buffer.concat([priv, Buffer.from(pad)]);
  const count = Buffer.alloc(4);
  count.writeUInt32BE(1);
  const blob = Buffer.concat([
    Buffer.from("openssh-key-v1\0"),
    lengthPrefixed("none"),
    lengthPrefixed("none"),
    lengthPrefixed(""),
    count,
    lengthPrefixed(pubBlob),
    lengthPrefixed(priv),
  ]);
  const body = blob.toString("base64").match(/.{1,70}/g)!;
  return ["-----BEGIN OPENSSH PRIVATE KEY-----", ...body, "-----END OPENSSH PRIVATE KEY-----"].join("\n");
}

describe("seen copies (evaluation dedup)", () => {
  const seen = mkdtempSync(join(tmpdir(), "seen-copies-"));
  afterAll(() => rmSync(seen, { recursive: true, force: true }));
  const keyA = opensshEd25519();
  const keyB = opensshEd25519();
  writeFileSync(join(seen, "id_ed25519"), `${keyA}\n`);
  writeFileSync(join(seen, "config.py"), 'API_TOKEN = "q8Zr2LmXw9Vt4Kp7Hs3Nd6Fy"\nother = 1\n');

  it("builds two keys that share their first body line (the case the old probe got wrong)", () => {
    expect(keyA.split("\n")[1]).toBe(keyB.split("\n")[1]);
    expect(keyA).not.toBe(keyB);
  });
  it("calls the seen key a copy and a different key not one", () => {
    const found = seenCopies([keyA, keyB], [seen]);
    expect(found.has(keyA)).toBe(true);
    expect(found.has(keyB)).toBe(false);
  });
  it("still finds a one-line copy and ignores short or unseen texts", () => {
    const copy = 'API_TOKEN = "q8Zr2LmXw9Vt4Kp7Hs3Nd6Fy"';
    const fresh = 'API_TOKEN = "Zt5mQ1rW8yBn3Xc6Vd2Lp9Ks"';
    const found = seenCopies([copy, fresh, "other = 1"], [seen]);
    expect([...found]).toEqual([copy]);
  });
  it("probes every longest line on a tie and only the longest otherwise", () => {
    expect(copyProbes("aaaaaaaaaaaaaaaaaaaa\nbbbbbbbbbbbbbbbbbbbb\nshort")).toEqual(["aaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbb"]);
    expect(copyProbes("-----BEGIN RSA PRIVATE KEY-----\nccccccccccccccccccccccc\ndd")).toEqual(["ccccccccccccccccccccccc"]);
    expect(copyProbes("too short")).toEqual([]);
  });
});
