import { spawn } from "node:child_process";
import { createReadStream, readFileSync } from "node:fs";
import { open, readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { createInterface } from "node:readline";
import { StringDecoder } from "node:string_decoder";
import { type CheckResult, type Finding, fileError, RampartError, ruleInfo, type Subject, sha256Hex, subjectOf, tag, VERSION } from "../../core/index.js";
import { runWorkerPool } from "../../core/worker.js";
import { SKIPPED_DIRS, type WalkedFile, walkFiles } from "../code/walk.js";
import { detectSecrets, isConfigFile, isSettingsFile, type SecretHit } from "./detect.js";
import { SECRET_RULES } from "./rules.js";

export interface ScanSecretsOptions {
  /** Files larger than this are skipped and reported (default 64 MiB). */
  maxFileBytes?: number;
  /** Run the keyword-and-entropy rule (default true). */
  generic?: boolean;
  /** Fingerprints of accepted findings (see readBaseline). */
  baseline?: ReadonlySet<string>;
  /** Also scan every commit reachable from any ref (root must be a git work tree). */
  history?: boolean;
  /** Name for the subject (default: the path as given). */
  name?: string;
  /** Worker threads (default: available cores, at most 8, for trees over 16 MiB of text; 1 = in this thread). */
  workers?: number;
  onFile?: (rel: string) => void;
}

/** Formats that are never text; lock files (integrity hashes are entropy noise) get the provider rules only. */
const SKIP_EXT =
  /\.(?:png|jpe?g|gif|bmp|ico|webp|tiff?|pdf|zip|gz|tgz|bz2|xz|zst|7z|rar|tar|jar|whl|egg|so|dylib|dll|exe|o|a|pyc|pyo|class|pt|pth|bin|ckpt|safetensors|onnx|h5|hdf5|keras|npy|npz|pkl|pickle|joblib|parquet|arrow|feather|gguf|tflite|pb|mp3|mp4|wav|flac|ogg|avi|mov|woff2?|ttf|otf|eot|db|sqlite3?)$/i;
const LOCK_FILES = /(?:^|\/)(?:package-lock\.json|yarn\.lock|pnpm-lock\.yaml|poetry\.lock|Pipfile\.lock|uv\.lock|Cargo\.lock|go\.sum|composer\.lock|Gemfile\.lock)$/;
const CHUNK = 4 << 20;

export function redact(secret: string): string {
  const keep = Math.min(8, Math.max(1, Math.floor(secret.length / 4)));
  return `${secret.slice(0, keep)}…(${secret.length} chars)`;
}

export function fingerprint(ruleId: string, file: string, secret: string): string {
  return sha256Hex(`${ruleId}\0${file}\0${secret}`).slice(0, 32);
}

interface Where {
  file: string;
  /** Maps a hit line (1-based, within the scanned text) to the reported line. */
  line?: (line: number) => number;
  pointer?: string;
  cell?: number;
  commit?: string;
}

function toFinding(hit: SecretHit, where: Where): Finding {
  const line = where.line ? where.line(hit.line) : hit.line;
  const fp = fingerprint(hit.ruleId, where.file, hit.secret);
  const lastNl = hit.secret.lastIndexOf("\n");
  const endLine = line + (hit.secret.match(/\n/g)?.length ?? 0);
  const endColumn = lastNl === -1 ? hit.column + hit.secret.length : hit.secret.length - lastNl;
  const checksum = hit.checksum === undefined ? "" : hit.checksum ? ", checksum valid" : ", checksum does not verify: not an issued token (test data or a typo?)";
  const standIn = hit.standIn ? ", body typed by hand (a test value or a placeholder?)" : "";
  const place = where.cell !== undefined ? ` in notebook cell ${where.cell}` : where.commit ? ` in commit ${where.commit.slice(0, 12)}` : "";
  return {
    ruleId: hit.ruleId,
    severity: hit.severity,
    message: `${hit.title} ${redact(hit.secret)}${place}${checksum}${standIn}`,
    location: { file: where.file, line, column: hit.column, endLine, endColumn, ...(where.pointer ? { pointer: where.pointer } : {}) },
    entity: hit.entity,
    evidence: {
      redacted: redact(hit.secret),
      length: hit.secret.length,
      entropy: Math.round(hit.entropy * 100) / 100,
      fingerprint: fp,
      ...(hit.checksum !== undefined ? { checksumValid: hit.checksum } : {}),
      ...(hit.standIn ? { standIn: true } : {}),
      ...(where.cell !== undefined ? { cell: where.cell } : {}),
      ...(where.commit ? { commit: where.commit } : {}),
    },
    remediation: ruleInfo(hit.ruleId)?.help,
    tags: [tag.cwe(798), "secret"],
  };
}

class Collector {
  findings: Finding[] = [];
  suppressed = 0;
  constructor(private readonly baseline?: ReadonlySet<string>) {}
  add(f: Finding): void {
    if (this.baseline?.has(f.evidence?.fingerprint as string)) this.suppressed++;
    else this.findings.push(f);
  }
}

/** Scans a text stream in 4 MiB chunks cut at line ends (private key blocks kept whole). Memory stays bounded. */
export async function scanTextStream(
  chunks: AsyncIterable<string>,
  onHits: (hits: SecretHit[], lineBase: number) => void,
  generic = true,
  chunkSize = CHUNK,
  config = false,
  settings = config,
): Promise<void> {
  let carry = "";
  let lineBase = 0;
  const flush = (text: string) => {
    const hits = detectSecrets(text, SECRET_RULES, { generic, standIns: true, config, settings });
    if (hits.length) onHits(hits, lineBase);
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lineBase++;
  };
  for await (const chunk of chunks) {
    carry += chunk;
    if (carry.length < chunkSize) continue;
    let cut = carry.lastIndexOf("\n") + 1;
    const begin = carry.lastIndexOf("-----BEGIN", cut);
    if (begin !== -1 && carry.indexOf("-----END", begin) === -1 && cut - begin < 65536) cut = carry.lastIndexOf("\n", begin) + 1;
    if (cut === 0 && carry.length < 4 * chunkSize) continue; // one very long line: wait for its end (bounded)
    if (cut === 0) cut = carry.length;
    flush(carry.slice(0, cut));
    carry = carry.slice(cut);
  }
  if (carry) flush(carry);
}

async function* fileText(path: string): AsyncGenerator<string> {
  const decoder = new StringDecoder("utf8");
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) yield decoder.write(chunk as Buffer);
  yield decoder.end();
}

async function head(path: string): Promise<Buffer> {
  const fh = await open(path, "r");
  try {
    const buf = Buffer.alloc(8000);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

interface Notebook {
  cells?: Array<{ cell_type?: string; source?: string | string[]; outputs?: Array<Record<string, unknown>> }>;
}
const joinSource = (s: unknown): string => (Array.isArray(s) ? s.filter((x) => typeof x === "string").join("") : typeof s === "string" ? s : "");

/** Cells' sources and outputs scanned separately, pointing at cell and line; images skipped (base64 noise). */
function scanNotebook(text: string, rel: string, out: Collector, generic: boolean): boolean {
  let nb: Notebook;
  try {
    nb = JSON.parse(text) as Notebook;
  } catch {
    return false;
  }
  if (!nb || !Array.isArray(nb.cells)) return false;
  nb.cells.forEach((cell, i) => {
    const parts: Array<{ text: string; pointer: string }> = [{ text: joinSource(cell.source), pointer: `/cells/${i}/source` }];
    (Array.isArray(cell.outputs) ? cell.outputs : []).forEach((o, j) => {
      if (o.text !== undefined) parts.push({ text: joinSource(o.text), pointer: `/cells/${i}/outputs/${j}/text` });
      if (Array.isArray(o.traceback)) parts.push({ text: o.traceback.join("\n"), pointer: `/cells/${i}/outputs/${j}/traceback` });
      const data = o.data as Record<string, unknown> | undefined;
      if (data && typeof data === "object")
        for (const [mime, v] of Object.entries(data))
          if (!mime.startsWith("image/") && !mime.startsWith("video/"))
            parts.push({
              text: joinSource(typeof v === "object" && !Array.isArray(v) ? JSON.stringify(v) : v),
              pointer: `/cells/${i}/outputs/${j}/data/${mime.replace(/~/g, "~0").replace(/\//g, "~1")}`,
            });
    });
    for (const p of parts)
      for (const hit of detectSecrets(p.text, SECRET_RULES, { generic, standIns: true })) out.add(toFinding(hit, { file: rel, pointer: p.pointer, cell: i + 1 }));
  });
  return true;
}

/**
 * Scans a file or directory for committed secrets (and, with `history`, every commit of its git
 * repository). Returns one CheckResult; secrets appear only redacted.
 */
export async function scanSecrets(root: string, options: ScanSecretsOptions = {}): Promise<CheckResult> {
  const maxBytes = options.maxFileBytes ?? 64 << 20;
  const generic = options.generic !== false;
  const out = new Collector(options.baseline);
  let files = 0;
  let bytes = 0;
  let skippedBinary = 0;
  let skippedLarge = 0;
  const walked: WalkedFile[] = [];
  for await (const f of walkFiles(root, { wants: (rel) => !SKIP_EXT.test(rel) })) walked.push(f);
  // Lock files are scanned with the provider rules only: tokens do end up in them (registry URLs with
  // credentials, `_authToken`s), while their hashes and version fields would only feed the generic rule noise.
  const genericFor = (rel: string) => generic && !LOCK_FILES.test(rel);
  // Small files (nearly all) are scanned whole, on worker threads for big trees; notebooks and
  // files over 4 MiB are handled here (notebooks per cell, large files streamed in chunks).
  const small = walked.map((f, id) => ({ id, f })).filter(({ f }) => f.size <= CHUNK && !f.rel.endsWith(".ipynb"));
  const smallBytes = small.reduce((n, { f }) => n + f.size, 0);
  const threads = Math.max(1, Math.min(options.workers ?? Math.min(availableParallelism(), 8), Math.ceil(small.length / 16)));
  const pooled = threads > 1 && (options.workers !== undefined || smallBytes >= POOL_MIN_BYTES);
  const subjectP = subjectOf(root, options.name ?? root, { ignore: (rel) => SKIPPED_DIRS.has(rel.split("/")[0]!) });
  subjectP.catch(() => undefined); // awaited below; keeps an early failure from being unhandled
  const results: Array<SmallFileResult | undefined> = new Array(walked.length);
  if (pooled)
    await inPool(
      small.map(({ id, f }) => ({ id, path: f.path, generic: genericFor(f.rel) })),
      threads,
      results,
    );
  else for (const { id, f } of small) results[id] = scanSmallFile(f.path, genericFor(f.rel));
  for (let i = 0; i < walked.length; i++) {
    const f = walked[i]!;
    options.onFile?.(f.rel);
    if (f.size > maxBytes) {
      skippedLarge++;
      out.add({
        ruleId: "secrets.file-too-large",
        severity: "info",
        message: `not scanned: ${f.size} bytes is over the ${maxBytes}-byte limit (raise --max-file-size to include it)`,
        location: { file: f.rel },
      });
      continue;
    }
    const onHits = (hits: SecretHit[], base: number) => {
      for (const h of hits) out.add(toFinding(h, { file: f.rel, line: (l) => l + base }));
    };
    const r = results[i];
    if (r) {
      if (r.binary) skippedBinary++;
      else {
        files++;
        bytes += f.size;
        onHits(r.hits, 0);
      }
      continue;
    }
    let first: Buffer;
    try {
      first = await head(f.path);
    } catch (e) {
      throw fileError(f.path, e);
    }
    if (first.includes(0)) {
      skippedBinary++;
      continue;
    }
    files++;
    bytes += f.size;
    if (f.rel.endsWith(".ipynb")) {
      const text = await readFile(f.path, "utf8");
      if (scanNotebook(text, f.rel, out, generic)) continue;
      if (f.size <= CHUNK) {
        onHits(detectSecrets(text, SECRET_RULES, { generic, standIns: true }), 0);
        continue;
      }
    }
    try {
      await scanTextStream(fileText(f.path), onHits, genericFor(f.rel), CHUNK, isConfigFile(f.rel), isSettingsFile(f.rel));
    } catch (e) {
      throw fileError(f.path, e);
    }
  }
  const subject: Subject = await subjectP;
  const metrics: Record<string, unknown> = { files, bytes, skippedBinary, skippedLarge, rules: SECRET_RULES.length + (generic ? 1 : 0), threads: pooled ? threads : 1 };
  if (options.history) {
    const h = await scanHistory(root, out, generic);
    subject.digest.gitCommit = h.head;
    Object.assign(metrics, { commits: h.commits, historyBytes: h.bytes });
  }
  metrics.findings = out.findings.length;
  metrics.baselineSuppressed = out.suppressed;
  return { check: "scan-secrets", version: VERSION, subjects: [subject], findings: out.findings, metrics };
}

/** Below this much text, starting worker threads costs more than it saves. */
const POOL_MIN_BYTES = 16 << 20;

export interface SmallFileResult {
  binary: boolean;
  hits: SecretHit[];
}

/**
 * One file of at most 4 MiB, read in one allocation of its own size (a stream would allocate a
 * 1 MiB buffer per file and spend most of its time in the garbage collector), synchronously (a
 * cached small file reads in microseconds; the promise API costs four thread-pool round trips).
 */
export function scanSmallFile(path: string, generic: boolean): SmallFileResult {
  let whole: Buffer;
  try {
    whole = readFileSync(path);
  } catch (e) {
    throw fileError(path, e);
  }
  if (whole.subarray(0, 8000).includes(0)) return { binary: true, hits: [] };
  return {
    binary: false,
    hits: detectSecrets(whole.toString("utf8"), SECRET_RULES, { generic, standIns: true, config: isConfigFile(path), settings: isSettingsFile(path), path }),
  };
}

export interface SmallFileJob {
  id: number;
  path: string;
  generic: boolean;
}

/** Scans small files on `threads` workers, in batches (one message per file costs more than a small file's scan). */
async function inPool(jobs: SmallFileJob[], threads: number, results: Array<SmallFileResult | undefined>): Promise<void> {
  const batch = 32;
  let next = 0;
  await runWorkerPool<{ ready?: boolean; results?: Array<{ id: number } & SmallFileResult>; error?: string }>(
    import.meta.url,
    "./worker",
    threads,
    () => {
      if (next >= jobs.length) return undefined;
      next += batch;
      return jobs.slice(next - batch, next);
    },
    (m) => {
      for (const r of m.results ?? []) results[r.id] = { binary: r.binary, hits: r.hits };
    },
  );
}

function runGit(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn("git", ["-C", cwd, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    p.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    p.on("error", (e) => reject(new RampartError("unavailable", `git: ${e.message}`)));
    p.on("close", (code) =>
      code === 0 ? resolve(stdout.trim()) : reject(new RampartError("invalid-input", `${cwd}: not a git repository with commits (${stderr.trim().split("\n")[0]})`)),
    );
  });
}

function unquoteGitPath(p: string): string {
  if (!p.startsWith('"')) return p;
  const inner = p.slice(1, -1).replace(/\\([\\"tn])/g, (_, c: string) => (c === "t" ? "\t" : c === "n" ? "\n" : c));
  // Octal escapes are UTF-8 bytes.
  return Buffer.from(
    inner.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8))),
    "latin1",
  ).toString("utf8");
}

/**
 * Every line ever added in any commit reachable from any ref, streamed from `git log -p`. A secret
 * is reported once (rule + file + secret) with the oldest commit that added it, and how many did.
 */
async function scanHistory(root: string, out: Collector, generic: boolean): Promise<{ head: string; commits: number; bytes: number }> {
  const head = await runGit(root, ["rev-parse", "HEAD"]);
  const seen = new Map<string, Finding>();
  const inTree = new Set(out.findings.map((f) => f.evidence?.fingerprint as string));
  let commits = 0;
  let bytes = 0;
  let commit = "";
  let file: string | undefined;
  let added: string[] = [];
  let lineNos: number[] = [];
  let size = 0;
  let next = 0;
  const flush = () => {
    if (file && added.length && !SKIP_EXT.test(file)) {
      const text = added.join("\n");
      const nos = lineNos;
      for (const hit of detectSecrets(text, SECRET_RULES, {
        generic: generic && !LOCK_FILES.test(file),
        standIns: true,
        config: isConfigFile(file),
        settings: isSettingsFile(file),
        path: file,
      })) {
        const f = toFinding(hit, { file, line: (l) => nos[l - 1] ?? 1, commit });
        const fp = f.evidence!.fingerprint as string;
        const prev = seen.get(fp);
        // git log lists newest first: a later sighting is an older commit, where the leak began.
        const count = ((prev?.evidence?.commits as number | undefined) ?? 0) + 1;
        f.evidence = { ...f.evidence, commits: count, presentInWorkTree: inTree.has(fp) };
        seen.set(fp, f);
      }
    }
    added = [];
    lineNos = [];
    size = 0;
  };
  const git = spawn("git", ["-C", root, "-c", "core.quotePath=false", "log", "--all", "-p", "-U0", "--no-color", "--no-ext-diff", "--no-renames", "--format=%x01%H"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  git.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const exit = new Promise<number>((resolve, reject) => {
    git.on("error", (e) => reject(new RampartError("unavailable", `git: ${e.message}`)));
    git.on("close", (code) => resolve(code ?? 1));
  });
  for await (const line of createInterface({ input: git.stdout, crlfDelay: Number.POSITIVE_INFINITY })) {
    bytes += line.length + 1;
    if (line.startsWith("\x01")) {
      flush();
      file = undefined;
      commit = line.slice(1).trim();
      commits++;
    } else if (line.startsWith("+++ ")) {
      flush();
      const p = unquoteGitPath(line.slice(4));
      file = p === "/dev/null" ? undefined : p.replace(/^b\//, "");
    } else if (line.startsWith("@@ ")) {
      const m = /\+(\d+)/.exec(line);
      next = m ? Number(m[1]) : 1;
    } else if (line.startsWith("+") && file) {
      added.push(line.slice(1));
      lineNos.push(next++);
      size += line.length;
      if (size > CHUNK) flush();
    } else if (line.startsWith("diff --git")) {
      flush();
      file = undefined;
    }
  }
  flush();
  const code = await exit;
  if (code !== 0) throw new RampartError("invalid-input", `${root}: git log failed (${stderr.trim().split("\n")[0]})`);
  for (const [fp, f] of seen) if (!inTree.has(fp)) out.add(f);
  return { head, commits, bytes };
}
