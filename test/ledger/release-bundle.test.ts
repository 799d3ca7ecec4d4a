import { generateKeyPairSync } from "node:crypto";
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keySigner, loadPublicKey, publicKeyPem, type Signer } from "../../src/attest/index.js";
import { isRampartError, subjectOf } from "../../src/core/index.js";
import { Ledger, originFor } from "../../src/ledger/index.js";
import { verifyBundleDir } from "../../src/ledger/verify.js";
import { type Bundle, loadBundle } from "../../src/policy/index.js";
import { createRelease, getRelease, promote, recordReview, registerDataset, registerModelVersion, signReview, upsertPrincipal } from "../../src/registry/index.js";
import { openStore, type Store } from "../../src/store/index.js";
import { rampart, runInProcess } from "../helpers/cli.js";
import { tempDir } from "../helpers/db.js";

const newSigner = (): Signer => keySigner(generateKeyPairSync("ed25519").privateKey);

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(dir, join(d.parentPath, d.name)))
    .sort();
}

/** Changes one hex digit inside the file's text, keeping it valid JSON. */
function tamper(path: string): void {
  const text = readFileSync(path, "utf8");
  const m = /"(?:payload|leafData|sig|checkpoint|evaluatedAt)"\s*:\s*"[^"]{20}/.exec(text) ?? /[0-9a-f]{40}/.exec(text);
  if (!m) throw new Error(`nothing to tamper in ${path}`);
  const at = m.index + m[0].length - 1;
  const c = text[at]!;
  const swapped = c === "A" ? "B" : c === "0" ? "1" : /[0-9]/.test(c) ? "0" : c === "a" ? "b" : "A";
  writeFileSync(path, text.slice(0, at) + swapped + text.slice(at + 1));
}

describe("rampart ledger export RELEASE: the credit-risk example's release, verified offline", () => {
  const root = tempDir();
  const project = join(root, "credit-risk");
  const out = join(root, "evidence");
  let store: Store;
  let bundle: Bundle;
  let releaseId = "";
  const keys = { rita: newSigner(), raj: newSigner(), dana: newSigner(), mallory: newSigner() };

  beforeAll(async () => {
    cpSync(join(process.cwd(), "examples", "credit-risk"), project, { recursive: true, filter: (src) => !/[\\/]\.rampart[\\/]./.test(src) });
    const config = readFileSync(join(project, "rampart.yaml"), "utf8");
    // The stages the gates read: model scan and fairness (the biased model is kept: the gate must deny it).
    const fairness = config.slice(config.indexOf("  - stage: fairness"), config.indexOf("  - stage: sbom"));
    writeFileSync(join(project, "rampart.yaml"), `${config.slice(0, config.indexOf("stages:"))}stages:\n  - stage: inventory\n  - stage: scan-model\n${fairness}`);
    const run = await runInProcess("run", project);
    expect(run.code, run.err).toBeLessThanOrEqual(1);
    store = await openStore({ projectDir: project });
    bundle = await loadBundle("examples/policies");
    await upsertPrincipal(store, { name: "dana", roles: ["ml-engineer", "risk-reviewer"], publicKeyPem: publicKeyPem(keys.dana.publicKey) });
    await upsertPrincipal(store, { name: "rita", roles: ["risk-reviewer"], publicKeyPem: publicKeyPem(keys.rita.publicKey) });
    await upsertPrincipal(store, { name: "raj", roles: ["risk-reviewer"], publicKeyPem: publicKeyPem(keys.raj.publicKey) });
    await upsertPrincipal(store, { name: "paula", roles: ["release-manager"] });
    const model = (await subjectOf(join(project, "model", "credit_model.pkl"))).digest.sha256;
    const data = (await subjectOf(join(project, "data", "applications.csv"))).digest.sha256;
    await registerModelVersion(store, { model: "credit-risk", sha256: model, owner: "dana" });
    const dataset = await registerDataset(store, { name: "applications", sha256: data, tags: ["personal"], owner: "dana" });
    const runId = (await store.db.selectFrom("runs").select("id").orderBy("started_at", "desc").executeTakeFirstOrThrow()).id;
    const release = await createRelease(store, { model: "credit-risk", modelSha256: model, owner: "dana", datasets: [dataset], runId });
    releaseId = release.id;
    const trustedKeys = [await loadPublicKey(join(project, ".rampart", "keys", "signing.pub"))];
    const refused = await promote(store, { releaseId, to: "approved", actor: "paula", bundle, trustedKeys });
    expect(refused.promoted).toBe(false);
    expect(refused.reasons.join("\n")).toMatch(/gate fairness\/disparate-impact: disparate impact below 0.8/);
    const current = await getRelease(store, releaseId);
    await expect(recordReview(store, releaseId, await signReview(current, { reviewer: "dana", decision: "approve", comment: "mine" }, keys.dana))).rejects.toThrow(
      /separation of duties/,
    );
    await expect(recordReview(store, releaseId, await signReview(current, { reviewer: "raj", decision: "approve", comment: "forged" }, keys.mallory))).rejects.toThrow(
      /no signature verifies/,
    );
    await recordReview(store, releaseId, await signReview(current, { reviewer: "rita", decision: "approve", comment: "fairness reviewed" }, keys.rita), { access: bundle.access });
    await recordReview(store, releaseId, await signReview(current, { reviewer: "raj", decision: "approve", comment: "privacy reviewed" }, keys.raj), { access: bundle.access });
  }, 180_000);
  afterAll(async () => store?.close());

  it("appends the release, its gate decision, promotion attempt and signed reviews to the project's ledger", async () => {
    const log = await Ledger.open(store, originFor("credit-risk"));
    const kinds: string[] = [];
    for await (const e of log.entries()) {
      const entry = JSON.parse(e.leafData);
      if (entry.data?.releaseId === releaseId) kinds.push(entry.kind);
    }
    expect(kinds).toEqual(["release", "gate-decision", "promotion", "approval", "approval"]);
  });

  it("exports a bundle directory that verifies in a fresh folder with public keys only, and names any tampered file", async () => {
    const exp = await runInProcess("ledger", "export", releaseId, "-C", project, "-o", out);
    expect(exp.code, exp.err).toBe(0);
    const files = filesUnder(out);
    expect(files.filter((f) => f.startsWith("reviews/"))).toHaveLength(2);
    expect(files.filter((f) => f.startsWith("decisions/"))).toHaveLength(1);
    expect(files.filter((f) => f.startsWith("attestations/")).length).toBeGreaterThanOrEqual(3);
    expect(files).toContain("bundle.json");

    const auditor = tempDir("rampart-auditor-");
    cpSync(out, join(auditor, "evidence"), { recursive: true });
    cpSync(join(project, ".rampart", "keys", "signing.pub"), join(auditor, "signing.pub"));
    // No store reachable: verification must not need one.
    const env = { RAMPART_DATABASE_URL: "postgres://127.0.0.1:1/none" };
    const args = ["verify-bundle", "evidence", "--key", "signing.pub", "--approvals", "risk-reviewer:2"];
    const ok = await rampart(args, { cwd: auditor, env });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(new RegExp(`release {6}${releaseId} .* owner dana`));
    expect(ok.stdout).toMatch(/approvals {4}risk-reviewer 2 {2}\(needed risk-reviewer 2: met\)/);
    expect(ok.stdout).toMatch(/entry \d+ +gate-decision/);
    const three = await rampart([...args.slice(0, 4), "--approvals", "risk-reviewer:3"], { cwd: auditor, env });
    expect(three.code).toBe(2);
    expect(three.stderr).toMatch(/has 2 of 3 valid approvals from risk-reviewer/);
    expect(existsSync(join(auditor, ".rampart"))).toBe(false);

    // Every file of the bundle: change one character, the verifier fails and names that file.
    for (const f of files) {
      const copy = tempDir("rampart-tamper-");
      cpSync(out, copy, { recursive: true });
      tamper(join(copy, f));
      let message = "";
      try {
        verifyBundleDir(copy, { approvals: { role: "risk-reviewer", count: 2 } });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message, `tampered ${f}`).toContain(join(copy, f));
    }
  }, 120_000);

  it("a randomly mutated bundle fails with a RampartError or still verifies, never anything else", () => {
    const files = filesUnder(out);
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 }), (fi, at, byte) => {
        const copy = tempDir("rampart-fuzz-");
        cpSync(out, copy, { recursive: true });
        const path = join(copy, files[fi % files.length]!);
        const bytes = readFileSync(path);
        bytes[at % bytes.length] = byte;
        writeFileSync(path, bytes);
        try {
          verifyBundleDir(copy);
        } catch (e) {
          if (!isRampartError(e)) throw e;
        }
      }),
      { numRuns: 60 },
    );
  });

  it("refuses a review file signed by another key, even when its digest is re-recorded nowhere", async () => {
    const copy = tempDir("rampart-swap-");
    cpSync(out, copy, { recursive: true });
    const index = JSON.parse(readFileSync(join(copy, "bundle.json"), "utf8"));
    // Swap in mallory's key for rita: the review no longer verifies with the key the verifier holds.
    index.reviewerKeys = index.reviewerKeys.map((k: { name: string }) => (k.name === "rita" ? { ...k, pem: publicKeyPem(keys.mallory.publicKey) } : k));
    writeFileSync(join(copy, "bundle.json"), JSON.stringify(index));
    expect(() => verifyBundleDir(copy)).toThrow(/reviews\/\d+-rita\.dsse\.json .*review by rita: no signature verifies/);
  });
});
