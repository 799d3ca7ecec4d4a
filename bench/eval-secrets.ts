/**
 * Secrets precision/recall on a corpus made by a generator written separately from the detector's
 * tests (own PRNG, own CRC32 via zlib, own templates), with a seed never used while building it.
 *
 *   npx tsx bench/eval-secrets.ts [SEED] [FILES]
 *
 * Each file is a realistic source/config/log/notebook-ish text; some lines hold a real-format
 * credential (positives), many hold look-alikes that are not credentials (negatives: placeholders,
 * env lookups, hashes, UUIDs, commit ids, doc example keys, tokens whose checksum does not verify,
 * base64 blobs, tokenizer fields). A finding is a true positive when it is on a positive line.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { prng } from "../src/core/random.js";
import { scanSecrets } from "../src/scan/secrets/index.js";
import { counted } from "./eval-secrets-tally.js";

const seed = Number(process.argv[2] ?? 731_906_245);
const nFiles = Number(process.argv[3] ?? 400);
const rnd = prng(seed);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const chars = (alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join("");
const B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const ALNUM = B62;
const HEX = "0123456789abcdef";
const B64 = `${B62}+/`;
const URLSAFE = `${B62}-_`;
function base62(n: number, width: number): string {
  let s = "";
  let v = n >>> 0;
  while (v > 0) {
    s = B62[v % 62] + s;
    v = Math.floor(v / 62);
  }
  return s.padStart(width, "0");
}
/** GitHub/npm style: 30 random base62 characters and a 6-character base62 CRC32 of them. */
function checksummed(prefix: string, valid = true): string {
  const body = chars(B62, 30);
  const sum = crc32(Buffer.from(body)) ^ (valid ? 0 : 1);
  return `${prefix}${body}${base62(sum, 6)}`;
}

type Maker = () => string;
const POSITIVES: Array<[string, Maker]> = [
  ["aws", () => `aws_access_key_id = ${pick(["AKIA", "ASIA"])}${chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}`],
  ["github", () => `GH_TOKEN=${checksummed(pick(["ghp_", "gho_", "ghs_", "ghu_"]))}`],
  ["github-fine", () => `token: github_pat_${chars(ALNUM, 22)}_${chars(ALNUM, 59)}`],
  ["gitlab", () => `export GITLAB_TOKEN="glpat-${chars(`${ALNUM}-_`, 20)}"`],
  ["slack", () => `SLACK_BOT_TOKEN = "xoxb-${chars("0123456789", 11)}-${chars("0123456789", 12)}-${chars(ALNUM, 24)}"`],
  ["stripe", () => `stripe.api_key = "sk_live_${chars(ALNUM, 24)}"`],
  ["openai", () => `client = OpenAI(api_key="sk-proj-${chars(URLSAFE, 74)}T3BlbkFJ${chars(URLSAFE, 74)}")`],
  ["anthropic", () => `ANTHROPIC_API_KEY=sk-ant-api03-${chars(URLSAFE, 93)}AA`],
  ["huggingface", () => `login(token="hf_${chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", 34)}")`],
  ["npm", () => `//registry.example.org/:_authToken=${checksummed("npm_")}`],
  ["sendgrid", () => `SENDGRID_API_KEY = 'SG.${chars(URLSAFE, 22)}.${chars(URLSAFE, 43)}'`],
  ["postgres", () => `DATABASE_URL=postgresql://ml_user:${chars(ALNUM, 14)}@db.internal:5432/features`],
  ["password", () => `db_password = "${chars(ALNUM, 6)}${pick(["!", "#", "%"])}${chars(ALNUM, 7)}"`],
  ["generic", () => `"client_secret": "${chars(ALNUM, 32)}",`],
  ["wandb", () => `WANDB_API_KEY=${chars(HEX, 40)}`],
  ["gcp", () => `GOOGLE_API_KEY = "AIza${chars(`${ALNUM}-_`, 35)}"`],
];
const NEGATIVES: Maker[] = [
  () => `api_key = os.environ["OPENAI_API_KEY"]`,
  () => `token = os.getenv("HF_TOKEN")`,
  () => `password: \${DB_PASSWORD}`,
  () => `OPENAI_API_KEY=your-api-key-here`,
  () => `aws_secret_access_key = "<YOUR_SECRET_KEY>"`,
  () => `# example: AKIAIOSFODNN7EXAMPLE`,
  () => `sha256 = "${chars(HEX, 64)}"`,
  () => `commit: ${chars(HEX, 40)}`,
  () => `run_id = "${chars(HEX, 8)}-${chars(HEX, 4)}-${chars(HEX, 4)}-${chars(HEX, 4)}-${chars(HEX, 12)}"`,
  () => `"pad_token": "<pad>", "eos_token": "</s>", "max_tokens": 4096`,
  () => `image = "data:image/png;base64,${chars(B64, 120)}"`,
  () => `GH_TOKEN=${checksummed("ghp_", false)}  # revoked test fixture, bad checksum`,
  () => `password = "changeme"`,
  () => `secret_key = settings.SECRET_KEY`,
  () => `loss=${rnd().toFixed(5)} tokens/s=${Math.floor(rnd() * 5000)} lr=3e-4`,
  () => `tokenizer = AutoTokenizer.from_pretrained("org/model", token=True)`,
  () => `integrity sha512-${chars(B64, 86)}==`,
  () => `password_hash = bcrypt.hashpw(password.encode(), bcrypt.gensalt())`,
  () => `key_id = "${chars("0123456789", 12)}"`,
];
const FILLER: Maker[] = [
  () => `def step_${Math.floor(rnd() * 1000)}(batch):`,
  () => `    logits = model(batch["input_ids"])`,
  () => `    loss = criterion(logits, batch["labels"])`,
  () => `import torch`,
  () => `lr: ${rnd().toFixed(4)}`,
  () => `epochs: ${Math.floor(rnd() * 50)}`,
  () => `${Math.floor(rnd() * 1e6)},${rnd().toFixed(3)},${rnd().toFixed(3)},${Math.floor(rnd() * 2)}`,
  () => `2026-01-0${1 + Math.floor(rnd() * 9)}T12:00:00Z INFO epoch=${Math.floor(rnd() * 9)} step=${Math.floor(rnd() * 9999)}`,
];

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "eval-secrets-"));
  const positives = new Map<string, string>(); // file:line -> kind
  let negativeLines = 0;
  try {
    for (let f = 0; f < nFiles; f++) {
      const lines: string[] = [];
      const name = `f${f}.${pick(["py", "env", "yaml", "cfg", "log", "txt", "json"])}`;
      const n = 20 + Math.floor(rnd() * 60);
      for (let i = 0; i < n; i++) {
        const r = rnd();
        if (r < 0.04) {
          const [kind, make] = pick(POSITIVES);
          lines.push(make());
          positives.set(`${name}:${lines.length}`, kind);
        } else if (r < 0.12) {
          lines.push(pick(NEGATIVES)());
          negativeLines++;
        } else lines.push(pick(FILLER)());
      }
      writeFileSync(join(dir, name), `${lines.join("\n")}\n`);
    }
    const result = await scanSecrets(dir, { workers: 1 });
    const found = new Set<string>();
    const fps: string[] = [];
    let checksumFailedFps = 0;
    // Counted: every finding printed by default (low included since session 6); the low ones
    // (stand-ins, tokens whose checksum fails) are also listed separately.
    const low = result.findings.filter((x) => counted(x) && x.severity === "low");
    for (const x of result.findings.filter(counted)) {
      const key = `${x.location?.file}:${x.location?.line}`;
      if (positives.has(key)) found.add(key);
      else {
        fps.push(`${key} ${x.ruleId}`);
        if ((x.evidence as { checksumValid?: boolean } | undefined)?.checksumValid === false) checksumFailedFps++;
      }
    }
    const tp = found.size;
    const precision = tp / Math.max(1, tp + fps.length);
    const recall = tp / Math.max(1, positives.size);
    const byKind = new Map<string, [number, number]>();
    for (const [k, kind] of positives) {
      const v = byKind.get(kind) ?? [0, 0];
      v[1]++;
      if (found.has(k)) v[0]++;
      byKind.set(kind, v);
    }
    console.log(`seed ${seed}, ${nFiles} files, ${positives.size} secrets, ${negativeLines} look-alike lines`);
    console.log("| positives | true positives | false positives | precision | recall |");
    console.log("|---|---|---|---|---|");
    console.log(`| ${positives.size} | ${tp} | ${fps.length} | ${precision.toFixed(3)} | ${recall.toFixed(3)} |`);
    console.log(
      `of which reported at low: ${low.length} (${low.filter((x) => (x.evidence as { checksumValid?: boolean } | undefined)?.checksumValid === false).length} with a checksum that does not verify); counted false positives with a failed checksum: ${checksumFailedFps}`,
    );
    console.log(`by kind: ${[...byKind].map(([k, [a, b]]) => `${k} ${a}/${b}`).join(", ")}`);
    const byRule = new Map<string, number>();
    for (const f of fps) byRule.set(f.split(" ")[1]!, (byRule.get(f.split(" ")[1]!) ?? 0) + 1);
    console.log(`false positives by rule: ${[...byRule].map(([r, n]) => `${r} ${n}`).join(", ") || "none"}`);
    console.log(`false positives: ${fps.slice(0, 20).join("; ") || "none"}`);
    console.log(
      `missed: ${
        [...positives.keys()]
          .filter((k) => !found.has(k))
          .slice(0, 20)
          .map(
            (k) =>
              `${k} (${positives.get(k)}): ${readFileSync(join(dir, k.split(":")[0]!), "utf8")
                .split("\n")
                [Number(k.split(":")[1]) - 1]?.slice(0, 120)}`,
          )
          .join("; ") || "none"
      }`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
