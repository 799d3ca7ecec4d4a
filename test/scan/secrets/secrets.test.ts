import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CheckResult } from "../../../src/core/index.js";
import {
  base62Encode,
  crc32,
  detectSecrets,
  hasValidTokenChecksum,
  readBaseline,
  redact,
  SECRET_RULES,
  scanSecrets,
  scanTextStream,
  shannonEntropy,
  writeBaseline,
} from "../../../src/scan/secrets/index.js";
import { tempDir } from "../../helpers/db.js";
import { providerSamples, rev, TokenFactory } from "./tokens.js";

describe("checksums", () => {
  it("crc32 matches the standard check value and zlib", () => {
    expect(crc32("123456789")).toBe(0xcbf43926);
    expect(crc32("")).toBe(0);
    expect(crc32("The quick brown fox jumps over the lazy dog")).toBe(0x414fa339);
  });
  it("base62 pads to width and round-trips the maximum CRC", () => {
    expect(base62Encode(0, 6)).toBe("000000");
    expect(base62Encode(61, 2)).toBe("0z");
    expect(base62Encode(0xffffffff, 6)).toBe("4gfFC3");
  });
  it("verifies GitHub/npm token checksums and rejects a changed character", () => {
    const t = new TokenFactory(3);
    const good = t.checksummed("ghp_");
    expect(hasValidTokenChecksum(good)).toBe(true);
    const flipped = `${good.slice(0, 10)}${good[10] === "A" ? "B" : "A"}${good.slice(11)}`;
    expect(hasValidTokenChecksum(flipped)).toBe(false);
    expect(hasValidTokenChecksum(t.checksummed("npm_"))).toBe(true);
  });
});

describe("provider rules", () => {
  const samples = providerSamples();
  it("cover every rule with a sample", () => {
    expect(new Set(samples.map((s) => s.ruleId))).toEqual(new Set(SECRET_RULES.map((r) => r.id)));
  });
  for (const s of samples) {
    it(`finds ${s.ruleId}`, () => {
      const hits = detectSecrets(`# config\n${s.line}\n`);
      const hit = hits.find((h) => h.ruleId === s.ruleId);
      expect(hit, JSON.stringify(hits.map((h) => h.ruleId))).toBeDefined();
      expect(hit!.line).toBe(2);
      if (s.ruleId !== "secrets.npm-token") expect(hit!.secret).toBe(s.secret);
    });
  }
  it("does not report a token whose checksum does not verify: GitHub never issued it", () => {
    const t = new TokenFactory(9);
    const [good] = detectSecrets(`x = "${t.checksummed("ghp_")}"`);
    expect(good).toMatchObject({ severity: "critical", checksum: true });
    expect(detectSecrets(`x = "${t.checksummed("ghp_", false)}"`)).toEqual([]);
    expect(detectSecrets(`x = "${t.checksummed("ghp_", false)}"`, undefined, { standIns: true })).toEqual([]);
  });
  it("reports columns of the secret itself", () => {
    const t = new TokenFactory(5);
    const tok = t.checksummed("ghp_");
    const [h] = detectSecrets(`line one\n    token = '${tok}'`);
    expect(h).toMatchObject({ line: 2, column: 14 });
  });
});

describe("look-alikes that are not secrets", () => {
  const t = new TokenFactory(11);
  const negatives: Array<[string, string]> = [
    ["AWS documentation key", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE"],
    ["public key block", `-----BEGIN PUBLIC KEY-----\n${t.b64(64)}\n-----END PUBLIC KEY-----`],
    ["certificate", `-----BEGIN CERTIFICATE-----\n${t.b64(64)}\n-----END CERTIFICATE-----`],
    ["private key placeholder", "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----"],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${…} reference is the input under test
    ["templated connection string", 'DATABASE_URL = "postgresql://app:${DB_PASSWORD}@db:5432/prod"'],
    ["connection string placeholder", 'url = "mysql://user:<password>@localhost/db"'],
    ["connection string without password", 'url = "postgresql://app@db:5432/prod"'],
    ["tokenizer special token", 'tokenizer.pad_token = "<|endoftext|>"'],
    ["eos token", 'eos_token = "</s>"'],
    ["max tokens", "max_tokens = 4096"],
    ["env lookup", 'password = os.environ["DB_PASSWORD"]'],
    ["getenv", 'api_key = os.getenv("OPENAI_API_KEY", "")'],
    ["function call", "secret = load_secret(vault_path)"],
    ["attribute reference", "password: settings.DATABASE_PASSWORD"],
    ["placeholder value", 'api_key = "your-api-key-here"'],
    ["changeme", 'password = "changeme"'],
    ["masked", 'password = "********"'],
    ["test value", 'password = "test1234"'],
    ["git sha under a non-secret key", `commit = "${t.hex(40)}"`],
    ["jwt-shaped garbage", `x = "eyJ${t.alnum(20)}.eyJ${t.alnum(20)}.${t.alnum(20)}"`],
    ["hf word not token", "from hf_hub import hf_hub_download_with_some_suffix_that_is_long"],
    ["template in yaml", "password: '{{ vault_db_password }}'"],
    ["short password", 'password = "abc"'],
    ["sentence", 'password_help = "Enter your password to continue"'],
    // Seen on real code (Debian's python3 packages) and fixed:
    ["type name in an annotation", 'backend: "Backend", private_key: "_DSAPrivateKey", data: bytes'],
    ["attribute name value", 'AttributeOID.CHALLENGE_PASSWORD: "challengePassword",'],
    ["dotted identifier", 'consumer_secret="consumer.secret",'],
    ["RFC 6749 example token", '"access_token":"2YotnFZFEjr1zCsicMWpAA",'],
    ["unquoted expression in code", "token = Whitespace"],
    ["regular expression", "_core_token = r'(?:(?:(?:\\^[%s]?)?[^\"%s%s])+)' % (_nl, _nlws, _punct)"],
    ["anonymous ftp", 'passwd = "anonymous@"'],
    ["prompt label", 'password_label = "Password:"'],
    ["prompt label 2", 'password = "New-Password:"'],
    ["allow marker", `token = "${t.checksummed("ghp_")}"  # gitleaks:allow`],
    ["rampart marker with reason", `key = "${t.checksummed("ghp_")}"  # rampart: ignore[secrets] revoked test token`],
  ];
  for (const [name, text] of negatives) {
    it(name, () => {
      expect(detectSecrets(text).map((h) => h.ruleId)).toEqual([]);
    });
  }
});

describe("generic keyword-and-entropy rule", () => {
  const positives: Array<[string, string]> = [
    ["python password", `db_password = "${rev("x3&rod4bu0rT")}"`],
    ["env file", `DB_PASSWORD=${rev("!dr0wss4Pt3rc3s")}`],
    ["yaml", `  client_secret: ${rev("bYw2Zt7Rv4PmLx9Qk2f8")}`],
    ["json", `{"api_key": "${rev("z6Wt4Rp7Vx2Qm9Lk3F8a")}"}`],
    ["keyword argument", `client = Client(username="svc", password="${rev("!terc3S0St0N")}")`],
    ["js const", `const apiKey = '${rev("nB4yW7tR3pK9mV2xL8qZ")}';`],
  ];
  for (const [name, text] of positives) {
    it(name, () => {
      const hits = detectSecrets(text);
      expect(hits.map((h) => h.ruleId)).toEqual(["secrets.generic"]);
    });
  }
  it("entropy is Shannon's", () => {
    expect(shannonEntropy("aaaa")).toBe(0);
    expect(shannonEntropy("abcd")).toBe(2);
    expect(shannonEntropy("")).toBe(0);
  });
});

describe("redaction", () => {
  it("never shows more than a quarter of the secret (at most 8 characters)", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 400 }), (s) => {
        const r = redact(s);
        const shown = r.slice(0, r.indexOf("…"));
        return shown.length <= Math.max(1, Math.floor(s.length / 4)) && shown.length <= 8 && s.startsWith(shown);
      }),
    );
  });
});

describe("tokeniser properties", () => {
  it("never throws and reports spans inside the text, on arbitrary input", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), (text) => {
        for (const h of detectSecrets(text)) {
          if (h.start < 0 || h.end > text.length || text.slice(h.start, h.end) !== h.secret) return false;
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });
  it("finds a valid token wherever it is embedded between separators", () => {
    const samples = providerSamples(new TokenFactory(23)).filter((s) => s.line === `TOKEN_VALUE = "${s.secret}"`);
    fc.assert(
      fc.property(
        fc.constantFrom(...samples),
        fc.string({ maxLength: 80 }).map((s) => s.replace(/[A-Za-z0-9_\-+/=.~%]/g, " ")),
        fc.constantFrom(" ", "\n", '"', "'", "=", ": ", "(", "\t"),
        (sample, noise, sep) => {
          const text = `${noise}${sep}${sample.secret}${sep}${noise}`;
          return detectSecrets(text).some((h) => h.ruleId === sample.ruleId && h.secret === sample.secret);
        },
      ),
      { numRuns: 300 },
    );
  });
  it("finds every provider token between every separator (the property above, exhaustively)", () => {
    const misses: string[] = [];
    for (const sample of providerSamples(new TokenFactory(23)).filter((s) => s.line === `TOKEN_VALUE = "${s.secret}"`)) {
      for (const sep of [" ", "\n", '"', "'", "=", ": ", "(", "\t"]) {
        const found = detectSecrets(`!${sep}${sample.secret}${sep}!`).some((h) => h.ruleId === sample.ruleId && h.secret === sample.secret);
        if (!found) misses.push(`${sample.ruleId} ${JSON.stringify(sep)}`);
      }
    }
    expect(misses).toEqual([]);
  });
  it("mutated tokens never crash and a truncated token is never reported with the full length", () => {
    const samples = providerSamples(new TokenFactory(29));
    fc.assert(
      fc.property(fc.constantFrom(...samples), fc.nat(), fc.string({ maxLength: 3 }), (sample, at, insert) => {
        const i = at % (sample.line.length + 1);
        const text = sample.line.slice(0, i) + insert + sample.line.slice(i + 1);
        detectSecrets(text);
        return true;
      }),
      { numRuns: 500 },
    );
  });
});

describe("streaming", () => {
  it("cutting the text into arbitrary chunks never changes what is found or where", async () => {
    const t = new TokenFactory(53);
    const lines: string[] = [];
    for (let i = 0; i < 400; i++) lines.push(i % 37 === 5 ? `tok_${i} = "${t.checksummed("ghp_")}"` : i % 91 === 7 ? t.privateKey() : `x${i} = compute(${i})  # filler`);
    const text = lines.join("\n");
    const whole = detectSecrets(text).map((h) => [h.ruleId, h.line, h.column]);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat({ max: text.length }), { maxLength: 12 }), async (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const pieces = points.map((p, i) => text.slice(i === 0 ? 0 : points[i - 1], p)).concat(text.slice(points.at(-1) ?? 0));
        const got: Array<[string, number, number]> = [];
        await scanTextStream(
          (async function* () {
            yield* pieces;
          })(),
          (hits, base) => {
            for (const h of hits) got.push([h.ruleId, h.line + base, h.column]);
          },
          true,
          64, // tiny chunks so the boundary logic is exercised
        );
        expect(got).toEqual(whole);
      }),
      { numRuns: 60 },
    );
  });
});

describe("scanSecrets over a tree", () => {
  it("worker threads give the same findings, in the same order, as one thread", async () => {
    const t = new TokenFactory(77);
    const dir = tempDir();
    for (let i = 0; i < 60; i++) {
      mkdirSync(join(dir, `d${i % 4}`), { recursive: true });
      const secret = i % 7 === 0 ? `GITHUB_TOKEN=${t.checksummed("ghp_")}\n` : i % 11 === 0 ? `db_password = "${t.letters(8)}9!x${t.letters(6)}"\n` : "";
      writeFileSync(join(dir, `d${i % 4}`, `f${i}.py`), `import os\n${"x = 1\n".repeat(i)}${secret}`);
    }
    writeFileSync(join(dir, "blob.dat"), Buffer.from([1, 0, 2]));
    const one = await scanSecrets(dir, { workers: 1 });
    const two = await scanSecrets(dir, { workers: 2 });
    expect(one.findings.map((f) => f.ruleId).sort()).toEqual([...Array(5).fill("secrets.generic"), ...Array(9).fill("secrets.github-pat")]);
    expect(two.findings).toEqual(one.findings);
    expect({ ...two.metrics, threads: 1 }).toEqual(one.metrics);
    expect(two.metrics.threads).toBe(2);
  });

  it("reads one-word values as passwords in configuration files only, on every scanning path (session 7)", async () => {
    const dir = tempDir();
    const line = "password = correcthorse\n";
    for (const f of ["db.ini", "app.py", "conf/.env", "settings.yaml", "main.go"]) {
      mkdirSync(join(dir, f, ".."), { recursive: true });
      writeFileSync(join(dir, f), f.endsWith(".yaml") ? "db:\n  password: correcthorse\n" : f.endsWith(".env") ? "DB_PASSWORD=correcthorse\n" : line);
    }
    for (const workers of [1, 2]) {
      const r = await scanSecrets(dir, { workers });
      expect(r.findings.map((f) => f.location?.file).sort(), `workers ${workers}`).toEqual(["conf/.env", "db.ini", "settings.yaml"]);
    }
  });

  it("scans text files and notebook sources and outputs, skips binaries, never prints a secret", async () => {
    const t = new TokenFactory(31);
    const dir = tempDir();
    const gh = t.checksummed("ghp_");
    const hf = `hf_${t.letters(34)}`;
    const oa = `sk-proj-${t.urlsafe(74)}T3BlbkFJ${t.urlsafe(74)}`;
    mkdirSync(join(dir, "src"));
    writeFileSync(join(dir, "src", "train.py"), `import os\n\nHF = "${hf}"\n`);
    writeFileSync(join(dir, "model.bin"), Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(gh)]));
    writeFileSync(join(dir, "image.dat"), Buffer.concat([Buffer.from(gh), Buffer.from([0, 0, 0])]));
    const nb = {
      nbformat: 4,
      cells: [
        { cell_type: "markdown", source: ["# title\n"] },
        { cell_type: "code", source: ["import openai\n", `openai.api_key = "${oa}"\n`], outputs: [] },
        {
          cell_type: "code",
          source: ["!env\n"],
          outputs: [
            { output_type: "stream", name: "stdout", text: ["PATH=/usr/bin\n", `GITHUB_TOKEN=${gh}\n`] },
            { output_type: "display_data", data: { "image/png": t.b64(4000) } },
          ],
        },
      ],
    };
    writeFileSync(join(dir, "explore.ipynb"), JSON.stringify(nb, null, 1));
    const result = CheckResult.parse(await scanSecrets(dir, { name: "repo" }));
    const summary = result.findings.map((f) => [f.ruleId, f.location?.file, f.location?.line, f.location?.pointer]);
    expect(summary).toEqual([
      ["secrets.openai-api-key", "explore.ipynb", 2, "/cells/1/source"],
      ["secrets.github-pat", "explore.ipynb", 2, "/cells/2/outputs/0/text"],
      ["secrets.huggingface-token", "src/train.py", 3, undefined],
    ]);
    const text = JSON.stringify(result);
    for (const secret of [gh, hf, oa]) expect(text).not.toContain(secret.slice(0, 12));
    expect(result.metrics).toMatchObject({ skippedBinary: 1, files: 2 });
    expect(result.subjects[0]!.name).toBe("repo");
  });

  it("lock files: provider tokens are found, the generic rule stays off", async () => {
    const t = new TokenFactory(41);
    const dir = tempDir();
    const npm = t.checksummed("npm_");
    const lock = {
      name: "app",
      lockfileVersion: 3,
      packages: {
        "node_modules/a": { version: "1.0.0", resolved: `https://user:${npm}@registry.internal/a/-/a-1.0.0.tgz`, integrity: `sha512-${t.b64(86)}==` },
        "node_modules/b": { version: "2.0.0", resolved: "https://registry.internal/b/-/b-2.0.0.tgz", integrity: `sha512-${t.b64(86)}==`, api_token: t.alnum(24) },
      },
    };
    writeFileSync(join(dir, "package-lock.json"), JSON.stringify(lock, null, 2));
    const result = await scanSecrets(dir, { workers: 1 });
    expect(result.findings.map((f) => [f.ruleId, f.location?.file])).toEqual([["secrets.npm-token", "package-lock.json"]]);
  });
  it("streams large files: line numbers stay right across chunks and a key block on a chunk edge is found whole", async () => {
    const t = new TokenFactory(37);
    const dir = tempDir();
    const filler = `${"x = 1  # padding line for the streaming test ......................\n".repeat(70_000)}`; // ~4.8 MB
    const key = t.privateKey("EC");
    const gh = t.checksummed("ghs_");
    // Place the key so the 4 MiB boundary falls inside it.
    const before = filler.slice(0, (4 << 20) - 200);
    const cutAt = before.lastIndexOf("\n") + 1;
    const body = `${filler.slice(0, cutAt)}${key}\n${filler.slice(cutAt)}token = "${gh}"\n`;
    writeFileSync(join(dir, "big.py"), body);
    const result = await scanSecrets(dir);
    const keyLine = filler.slice(0, cutAt).split("\n").length;
    const tokenLine = body.split("\n").length - 1;
    expect(result.findings.map((f) => [f.ruleId, f.location?.line])).toEqual([
      ["secrets.private-key", keyLine],
      ["secrets.github-server-to-server-token", tokenLine],
    ]);
  });

  it("skips files over the size limit and says so", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "data.csv"), "a,b\n".repeat(1000));
    const result = await scanSecrets(dir, { maxFileBytes: 100 });
    expect(result.findings.map((f) => f.ruleId)).toEqual(["secrets.file-too-large"]);
  });

  it("a baseline accepts known findings; new ones still fail", async () => {
    const t = new TokenFactory(41);
    const dir = tempDir();
    writeFileSync(join(dir, "a.env"), `STRIPE=sk_live_${t.alnum(24)}\n`);
    const first = await scanSecrets(dir);
    expect(first.findings).toHaveLength(1);
    const baselinePath = join(tempDir(), "baseline.json");
    expect(await writeBaseline(baselinePath, first.findings)).toBe(1);
    // Moving the secret to another line keeps it accepted; a new secret is reported.
    const moved = `# moved\n\n${readFileSync(join(dir, "a.env"), "utf8")}SLACK=xoxb-${t.pick("0123456789", 10)}-${t.pick("0123456789", 13)}-${t.alnum(24)}\n`;
    writeFileSync(join(dir, "a.env"), moved);
    const again = await scanSecrets(dir, { baseline: await readBaseline(baselinePath) });
    expect(again.findings.map((f) => [f.ruleId, f.location?.line])).toEqual([["secrets.slack-token", 4]]);
    expect(again.metrics.baselineSuppressed).toBe(1);
  });

  it("rejects a malformed baseline with the file and field", async () => {
    const path = join(tempDir(), "b.json");
    writeFileSync(path, JSON.stringify({ version: 1, findings: [{ fingerprint: "nothex", ruleId: "x" }] }));
    await expect(readBaseline(path)).rejects.toThrow(/b\.json: baseline field \/findings\/0\/fingerprint/);
  });
});

describe("--history", () => {
  it("finds a secret that was committed and later deleted, with the commit that added it", async () => {
    const t = new TokenFactory(43);
    const dir = tempDir();
    const git = (...args: string[]) =>
      execFileSync("git", ["-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args], { stdio: "pipe" })
        .toString()
        .trim();
    git("init", "-q", "-b", "main");
    writeFileSync(join(dir, "app.py"), "print('hello')\n");
    git("add", ".");
    git("commit", "-q", "-m", "one");
    const key = `sk-ant-api03-${t.urlsafe(93)}AA`;
    writeFileSync(join(dir, "app.py"), `print('hello')\nclient = Anthropic(api_key="${key}")\n`);
    git("add", ".");
    git("commit", "-q", "-m", "leak");
    const leak = git("rev-parse", "HEAD");
    writeFileSync(join(dir, "app.py"), "print('hello')\nclient = Anthropic()\n");
    git("add", ".");
    git("commit", "-q", "-m", "remove");
    const tree = await scanSecrets(dir);
    expect(tree.findings).toEqual([]);
    const hist = await scanSecrets(dir, { history: true });
    expect(hist.findings).toHaveLength(1);
    expect(hist.findings[0]).toMatchObject({ ruleId: "secrets.anthropic-api-key", location: { file: "app.py", line: 2 }, evidence: { commit: leak, presentInWorkTree: false } });
    expect(hist.metrics.commits).toBe(3);
    expect(hist.subjects[0]!.digest.gitCommit).toBe(git("rev-parse", "HEAD"));
    expect(JSON.stringify(hist)).not.toContain(key.slice(0, 16));
  });

  it("names the folder when it is not a git repository", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a.txt"), "nothing\n");
    await expect(scanSecrets(dir, { history: true })).rejects.toThrow(/not a git repository/);
  });
});
