import { appendFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateKeyFiles, keySigner, loadSigner, parsePrivateKey } from "../../src/attest/index.js";
import { buildManifest, loadTrustPolicy, signManifest, uriMatches, verifyDataset } from "../../src/data/manifest/index.js";
import { tempDir } from "../helpers/db.js";
import { runCli } from "./cli.js";

async function fixture() {
  const dir = tempDir();
  const data = join(dir, "train");
  mkdirSync(join(data, "part"), { recursive: true });
  writeFileSync(join(data, "a.csv"), "x,y,label\n1,2.5,cat\n3,4,dog\n");
  writeFileSync(join(data, "part", "b.jsonl"), '{"text":"hello","label":1}\n{"text":"bye","label":0}\n{"text":"hi","label":1}\n');
  writeFileSync(join(data, "README.txt"), "licence CC-BY-4.0\n");
  const alice = await generateKeyFiles(join(dir, "alice"));
  const mallory = await generateKeyFiles(join(dir, "mallory"));
  writeFileSync(
    join(dir, "trust.yaml"),
    `version: 1\nkeys:\n  alice: { publicKey: alice.pub }\n  mallory: { publicKey: mallory.pub }\nsources:\n  - uri: "s3://corp-data/**"\n    signers: [alice]\n  - uri: "https://scratch.example.com/*"\n    signers: [mallory]\n`,
  );
  return { dir, data, alice, mallory };
}

describe("dataset manifests", () => {
  it("records every file with sha256, size, rows and schema", async () => {
    const { data } = await fixture();
    const m = await buildManifest(data, { source: "s3://corp-data/train", license: "CC-BY-4.0" });
    expect(m.files.map((f) => f.path)).toEqual(["README.txt", "a.csv", "part/b.jsonl"]);
    const csv = m.files.find((f) => f.path === "a.csv")!;
    expect(csv.rows).toBe(2);
    expect(csv.schema).toEqual([
      { name: "x", type: "number" },
      { name: "y", type: "number" },
      { name: "label", type: "string" },
    ]);
    expect(m.files.find((f) => f.path === "part/b.jsonl")!.rows).toBe(3);
    expect(csv.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(m.source).toEqual({ uri: "s3://corp-data/train", license: "CC-BY-4.0" });
  });

  it("verifies an untouched dataset, and names every changed, missing or extra file", async () => {
    const { dir, data, alice } = await fixture();
    const signer = await loadSigner({ keyFile: alice.privateKeyPath });
    const envelope = await signManifest(await buildManifest(data, { source: "s3://corp-data/train" }), [signer]);
    const policy = await loadTrustPolicy(join(dir, "trust.yaml"));
    const ok = await verifyDataset(data, envelope, policy);
    expect(ok.findings).toEqual([]);
    expect(ok.metrics.verified).toBe(true);

    appendFileSync(join(data, "a.csv"), "5,6,cat\n"); // poisoned row appended
    rmSync(join(data, "README.txt"));
    writeFileSync(join(data, "part", "c.jsonl"), "{}\n");
    symlinkSync("/etc/passwd", join(data, "link"));
    const bad = await verifyDataset(data, envelope, policy);
    expect(bad.findings.map((f) => [f.ruleId, f.location?.file])).toEqual([
      ["data.verify.missing", "README.txt"],
      ["data.verify.changed", "a.csv"],
      ["data.verify.extra", "link"],
      ["data.verify.extra", "part/c.jsonl"],
    ]);
    expect(bad.findings.every((f) => f.severity === "critical")).toBe(true);
  });

  it("detects a single flipped byte in a large file", async () => {
    const { dir, alice } = await fixture();
    const file = join(dir, "big.csv");
    const body = Buffer.alloc(3 << 20, 0x61);
    writeFileSync(file, body);
    const envelope = await signManifest(await buildManifest(file, { source: "s3://corp-data/big", rows: false }), [await loadSigner({ keyFile: alice.privateKeyPath })]);
    const policy = await loadTrustPolicy(join(dir, "trust.yaml"));
    expect((await verifyDataset(file, envelope, policy)).findings).toEqual([]);
    body[2_000_000] = 0x62;
    writeFileSync(file, body);
    expect((await verifyDataset(file, envelope, policy)).findings.map((f) => f.ruleId)).toEqual(["data.verify.changed"]);
  });

  it("refuses a signer the policy does not allow for the source, an uncovered source, and a forged envelope", async () => {
    const { dir, data, alice, mallory } = await fixture();
    const policy = await loadTrustPolicy(join(dir, "trust.yaml"));
    const manifest = await buildManifest(data, { source: "s3://corp-data/train" });
    const byMallory = await signManifest(manifest, [await loadSigner({ keyFile: mallory.privateKeyPath })]);
    const r1 = await verifyDataset(data, byMallory, policy);
    expect(r1.findings.map((f) => f.ruleId)).toEqual(["data.verify.signature"]);
    expect(r1.findings[0]!.message).toMatch(/needs 1 signature\(s\) from \[alice\].*\[mallory\]/);

    const elsewhere = await signManifest(await buildManifest(data, { source: "ftp://unknown/x" }), [await loadSigner({ keyFile: alice.privateKeyPath })]);
    expect((await verifyDataset(data, elsewhere, policy)).findings.map((f) => f.ruleId)).toEqual(["data.verify.untrusted-source"]);

    // Rewriting the payload (e.g. to bless a poisoned file's digest) breaks the signature.
    const good = await signManifest(manifest, [await loadSigner({ keyFile: alice.privateKeyPath })]);
    const payload = JSON.parse(Buffer.from(good.payload, "base64").toString());
    payload.predicate.files[0].sha256 = "0".repeat(64);
    const forged = { ...good, payload: Buffer.from(JSON.stringify(payload)).toString("base64") };
    expect((await verifyDataset(data, forged, policy)).findings.map((f) => f.ruleId)).toEqual(["data.verify.signature"]);

    const stranger = keySigner(parsePrivateKey((await import("node:crypto")).generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString(), "x"));
    const r4 = await verifyDataset(data, await signManifest(manifest, [stranger]), policy);
    expect(r4.findings.map((f) => f.ruleId)).toEqual(["data.verify.signature"]);
  });

  it("matches source globs segment by segment", () => {
    expect(uriMatches("s3://corp-data/**", "s3://corp-data/a/b")).toBe(true);
    expect(uriMatches("https://scratch.example.com/*", "https://scratch.example.com/a")).toBe(true);
    expect(uriMatches("https://scratch.example.com/*", "https://scratch.example.com/a/b")).toBe(false);
    expect(uriMatches("s3://corp-data/**", "s3://corp-data-evil/a")).toBe(false);
  });

  it("rampart data sign + verify: exit 0 when intact, 1 naming the tampered file, 2 on a bad policy", async () => {
    const { dir, data, alice } = await fixture();
    const signed = await runCli("data", "sign", data, "--source", "s3://corp-data/train", "--license", "MIT", "--key", alice.privateKeyPath);
    expect(signed.code).toBe(0);
    expect(readFileSync(`${data}.manifest.json`, "utf8")).toContain("payloadType");
    expect((await runCli("data", "verify", data, "--policy", join(dir, "trust.yaml"))).code).toBe(0);
    writeFileSync(join(data, "a.csv"), "x,y,label\n1,2.5,dog\n3,4,dog\n"); // a label flipped
    const tampered = await runCli("data", "verify", data, "--policy", join(dir, "trust.yaml"), "--format", "json");
    expect(tampered.code).toBe(1);
    expect(JSON.parse(tampered.stdout).findings[0]).toMatchObject({ ruleId: "data.verify.changed", location: { file: "a.csv" } });
    writeFileSync(join(dir, "bad.yaml"), "version: 1\nkeys:\n  alice: { publicKey: alice.pub }\nsources:\n  - uri: x\n    signers: [bob]\n");
    const bad = await runCli("data", "verify", data, "--policy", join(dir, "bad.yaml"));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.yaml:6:\d+: sources\.0\.signers\.0: unknown key "bob"/);
  });
});
