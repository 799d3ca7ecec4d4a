import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rampart } from "../helpers/cli.js";
import { tempDir } from "../helpers/db.js";

const MAIN = join(process.cwd(), "dist", "cli", "main.js");

describe("rampart ledger (end to end on the example project)", () => {
  const root = tempDir();
  const project = join(root, "credit-risk");
  const witnessDir = join(root, "witness");
  let witness: ChildProcess | undefined;
  let witnessUrl = "";
  let witnessVkey = "";

  beforeAll(async () => {
    cpSync(join(process.cwd(), "examples", "credit-risk"), project, { recursive: true, filter: (src) => !/[\\/]\.rampart[\\/]./.test(src) });
    // Only the inventory stage, so the log holds exactly one attestation and the indexes below are known.
    const config = readFileSync(join(project, "rampart.yaml"), "utf8");
    writeFileSync(join(project, "rampart.yaml"), `${config.slice(0, config.indexOf("stages:"))}stages:\n  - stage: inventory\n`);
    const run = await rampart(["run", project]);
    expect(run.code, run.stderr).toBe(0);
    // An independent witness: its own key, its own database, trusting the log's verifier key.
    mkdirSync(witnessDir);
    expect((await rampart(["keys", "generate", "--out", join(witnessDir, "w1")])).code).toBe(0);
    const vkey = await rampart(["ledger", "vkey", "-C", project]);
    expect(vkey.code, vkey.stderr).toBe(0);
    witness = spawn(
      process.execPath,
      [
        MAIN,
        "ledger",
        "witness",
        "serve",
        "--name",
        "w1.test",
        "--key",
        join(witnessDir, "w1.key"),
        "--database",
        join(witnessDir, "w1.db"),
        "--log-key",
        vkey.stdout.trim(),
        "--port",
        "0",
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    const banner = await new Promise<string>((resolve, reject) => {
      let out = "";
      witness!.stdout!.on("data", (d) => {
        out += d;
        if (/vkey \S+\n/.test(out)) resolve(out);
      });
      witness!.on("exit", (code) => reject(new Error(`witness exited ${code}`)));
    });
    witnessUrl = /on (http:\/\/\S+)/.exec(banner)![1]!;
    witnessVkey = /vkey (\S+)/.exec(banner)![1]!;
  }, 120_000);
  afterAll(() => {
    witness?.kill("SIGTERM");
  });

  it("records the run, appends events, checkpoints with a witness, exports a bundle that verifies offline", async () => {
    const append = await rampart([
      "ledger",
      "append",
      "-C",
      project,
      "--kind",
      "approval",
      "--subject",
      join(project, "model", "credit_model.pkl"),
      "--actor",
      "alice",
      "--data",
      '{"decision":"approve"}',
    ]);
    expect(append.code, append.stderr).toBe(0);
    expect(append.stdout).toMatch(/appended {2}rampart.local\/credit-risk {2}index 1/);
    const cp = await rampart(["ledger", "checkpoint", "-C", project, "--witness", witnessUrl, "--witness-key", witnessVkey, "--quorum", "1"]);
    expect(cp.code, cp.stderr).toBe(0);
    expect(cp.stdout).toMatch(/^rampart.local\/credit-risk\n2\n/);
    expect(cp.stdout).toContain("— w1.test ");
    const exp = await rampart(["ledger", "export", "credit_model.pkl", "-C", project, "-o", join(root, "evidence.json")]);
    expect(exp.code, exp.stderr).toBe(0);
    // A fresh folder with only the bundle and public keys: no database, no project.
    const auditor = tempDir("rampart-auditor-");
    cpSync(join(root, "evidence.json"), join(auditor, "evidence.json"));
    cpSync(join(project, ".rampart", "keys", "signing.pub"), join(auditor, "signing.pub"));
    writeFileSync(join(auditor, "log.vkey"), (await rampart(["ledger", "vkey", "-C", project])).stdout);
    writeFileSync(join(auditor, "w1.vkey"), `${witnessVkey}\n`);
    const args = ["verify-bundle", "evidence.json", "--log-key", "log.vkey", "--witness-key", "w1.vkey", "--quorum", "1", "--key", "signing.pub"];
    const ok = await rampart(args, { cwd: auditor, env: { RAMPART_DATABASE_URL: "postgres://127.0.0.1:1/none" } });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/witnesses {4}w1.test @/);
    expect(ok.stdout).toMatch(/entry 0 +attestation inventory/);
    expect(ok.stdout).toMatch(/entry 1 +approval/);
    const two = await rampart([...args.slice(0, 6), "--quorum", "2", "--key", "signing.pub"], { cwd: auditor });
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/^rampart: evidence.json: checkpoint: 1 trusted witness cosignature\(s\) \(w1.test\), quorum is 2\n$/);
    const bundle = JSON.parse(readFileSync(join(auditor, "evidence.json"), "utf8"));
    bundle.entries[1].leafData = bundle.entries[1].leafData.replace("approve", "reject");
    writeFileSync(join(auditor, "evidence.json"), JSON.stringify(bundle));
    const bad = await rampart(args, { cwd: auditor });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/entries\[1\] \(ledger index 1\): not included in the checkpoint/);
  }, 180_000);

  it("prints offline proofs", async () => {
    const proof = await rampart(["ledger", "prove", "1", "-C", project]);
    expect(proof.code, proof.stderr).toBe(0);
    expect(proof.stdout).toMatch(/^c2sp.org\/tlog-proof@v1\nindex 1\n[A-Za-z0-9+/=]{44}\n\nrampart.local\/credit-risk\n2\n/);
    expect((await rampart(["ledger", "prove", "9", "-C", project])).stderr).toMatch(/not covered by the latest checkpoint/);
  }, 60_000);

  it("an offline witness: request file in, cosignature line out, recorded on the log", async () => {
    const w2 = join(witnessDir, "w2");
    expect((await rampart(["keys", "generate", "--out", w2])).code).toBe(0);
    const vkey = (await rampart(["ledger", "witness", "vkey", "--name", "w2.test", "--key", `${w2}.key`])).stdout.trim();
    const cp = await rampart(["ledger", "checkpoint", "-C", project]);
    expect(cp.code, cp.stderr).toBe(0);
    writeFileSync(join(root, "req.txt"), `old 0\n\n${cp.stdout}`);
    const logKey = (await rampart(["ledger", "vkey", "-C", project])).stdout.trim();
    const line = await rampart(["ledger", "witness", "cosign", join(root, "req.txt"), "--name", "w2.test", "--key", `${w2}.key`, "--database", `${w2}.db`, "--log-key", logKey]);
    expect(line.code, line.stderr).toBe(0);
    expect(line.stdout).toMatch(/^— w2.test \S+\n$/);
    writeFileSync(join(root, "w2.sig"), line.stdout);
    const rec = await rampart(["ledger", "cosign", join(root, "w2.sig"), "-C", project, "--witness-key", vkey]);
    expect(rec.code, rec.stderr).toBe(0);
    expect(rec.stdout).toMatch(/recorded w2.test's cosignature on checkpoint size 2/);
  }, 120_000);

  it("verify passes on the intact log and names an edited row", async () => {
    const clean = await rampart(["ledger", "verify", "-C", project, "--format", "json"]);
    expect(clean.code, clean.stderr).toBe(0);
    expect(JSON.parse(clean.stdout).metrics).toMatchObject({ entries: 2, verifiedUpTo: 2 });
    const db = new SQLite(join(project, ".rampart", "rampart.db"));
    db.prepare("update ledger_entries set leaf_data = replace(leaf_data, 'alice', 'mallory') where idx = 1").run();
    db.close();
    const tampered = await rampart(["ledger", "verify", "-C", project]);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toMatch(/ledger\.edited/);
    expect(tampered.stdout).toMatch(/entry 1: its leaf hash no longer matches/);
  }, 60_000);

  it("bad input: one line, exit 2", async () => {
    const bad = await rampart(["ledger", "append", "-C", project, "--kind", "Not A Kind"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^rampart: event: kind: lowercase letters/);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    const lines = join(root, "events.jsonl");
    writeFileSync(lines, '{"kind":"note"}\n{"kind":"note","extra":1}\n');
    const file = await rampart(["ledger", "append", "-C", project, "--file", lines]);
    expect(file.code).toBe(2);
    expect(file.stderr).toMatch(/events.jsonl:2: /);
    const noProject = await rampart(["ledger", "verify", "-C", root]);
    expect(noProject.stderr).toMatch(/no rampart.yaml here/);
  }, 60_000);
});
