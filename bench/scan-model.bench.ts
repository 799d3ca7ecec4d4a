/**
 * `npm run bench -- scan-model`: throughput, per-file latency and peak memory of `rampart scan model`
 * on a generated corpus of realistic model files (PyTorch zip checkpoints, legacy PyTorch, safetensors,
 * GGUF, numpy, and pickles written by CPython's own pickle module: a tokenizer vocabulary and an
 * object-graph model). Default corpus ≈ 0.5 GB; RAMPART_BENCH_FULL=1 writes ≈ 1.9 GB plus a 5 GB
 * checkpoint (its tensor data is a sparse hole: the scanner never reads it).
 *
 * Side by side with picklescan: set PICKLESCAN_SRC to the `src` folder of a picklescan source tree
 * (it is pure Python and needs nothing beyond the standard library for these files). Both tools run in
 * fresh processes on the same folder, library-level and end-to-end CLI; wall time, CPU time and peak RSS
 * are reported for each. Without PICKLESCAN_SRC the comparison is skipped with a line saying so.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync, writeFileSync, writeSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { scanModelPaths } from "../src/scan/model/index.js";
import { scratchDir, table } from "./util.js";

const MiB = 1024 * 1024;
const full = process.env.RAMPART_BENCH_FULL === "1";

// ---------------------------------------------------------------- writers
const noise = Buffer.alloc(MiB);
for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;

function writeNoise(fd: number, pos: number, bytes: number, sparse: boolean): void {
  if (sparse) return;
  for (let done = 0; done < bytes; done += MiB) writeSync(fd, noise, 0, Math.min(MiB, bytes - done), pos + done);
}

const str = (s: string) => {
  const b = Buffer.from(s, "utf8");
  const h = Buffer.alloc(5);
  h[0] = 0x58; // BINUNICODE
  h.writeUInt32LE(b.length, 1);
  return Buffer.concat([h, b]);
};
const binint = (n: number) => {
  const b = Buffer.alloc(5);
  b[0] = 0x4a;
  b.writeInt32LE(n, 1);
  return b;
};

/** data.pkl as torch.save writes a state dict: OrderedDict of _rebuild_tensor_v2(persistent storage, …). */
function statePickle(tensors: Array<{ key: string; numel: number }>): Buffer {
  const parts: Buffer[] = [Buffer.from([0x80, 2]), Buffer.from("ccollections\nOrderedDict\nq\x00)Rq\x01(", "latin1")];
  for (const [i, t] of tensors.entries()) {
    parts.push(str(`layers.${i}.weight`), Buffer.from("ctorch._utils\n_rebuild_tensor_v2\n((", "latin1"));
    parts.push(str("storage"), Buffer.from("ctorch\nFloatStorage\n", "latin1"), str(t.key), str("cpu"), binint(t.numel), Buffer.from("tQ", "latin1"));
    parts.push(binint(0), Buffer.from("(", "latin1"), binint(t.numel), Buffer.from("t(K\x01t\x89ccollections\nOrderedDict\n)RtR", "latin1"));
  }
  parts.push(Buffer.from("u.", "latin1"));
  return Buffer.concat(parts);
}

/** A PyTorch zip checkpoint: stored members, 64-byte aligned data, ZIP64 records past 4 GiB. */
function writeTorchZip(path: string, totalBytes: number, sparse = false): void {
  const count = Math.max(1, Math.min(512, Math.round(totalBytes / (8 * MiB))));
  const per = Math.floor(totalBytes / count / 4) * 4;
  const tensors = Array.from({ length: count }, (_, i) => ({ key: String(i), numel: per / 4 }));
  const members: Array<{ name: string; data?: Buffer; size: number }> = [
    { name: "archive/data.pkl", data: statePickle(tensors), size: 0 },
    { name: "archive/byteorder", data: Buffer.from("little"), size: 0 },
    ...tensors.map((t) => ({ name: `archive/data/${t.key}`, size: per })),
    { name: "archive/version", data: Buffer.from("3\n"), size: 0 },
  ];
  const fd = openSync(path, "w");
  let pos = 0;
  const central: Buffer[] = [];
  for (const m of members) {
    const size = m.data ? m.data.length : m.size;
    const name = Buffer.from(m.name);
    const pad = (64 - ((pos + 30 + name.length + 4) % 64)) % 64;
    const extra = Buffer.alloc(4 + pad);
    extra.writeUInt16LE(0x4246, 0); // "FB" padding field, as torch writes
    extra.writeUInt16LE(pad, 2);
    const crc = m.data ? crc32(m.data) >>> 0 : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(size, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(extra.length, 28);
    const header = Buffer.concat([local, name, extra]);
    writeSync(fd, header, 0, header.length, pos);
    const dataAt = pos + header.length;
    if (m.data) writeSync(fd, m.data, 0, m.data.length, dataAt);
    else writeNoise(fd, dataAt, size, sparse);
    const big = pos > 0xfffffffe;
    const z64 = Buffer.alloc(big ? 12 : 0);
    if (big) {
      z64.writeUInt16LE(1, 0);
      z64.writeUInt16LE(8, 2);
      z64.writeBigUInt64LE(BigInt(pos), 4);
    }
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(45, 4);
    cd.writeUInt16LE(45, 6);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(size, 20);
    cd.writeUInt32LE(size, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt16LE(z64.length, 30);
    cd.writeUInt32LE(big ? 0xffffffff : pos, 42);
    central.push(cd, name, z64);
    pos = dataAt + size;
  }
  const cdBuf = Buffer.concat(central);
  const cdAt = pos;
  writeSync(fd, cdBuf, 0, cdBuf.length, cdAt);
  pos += cdBuf.length;
  const z64eocd = Buffer.alloc(56);
  z64eocd.writeUInt32LE(0x06064b50, 0);
  z64eocd.writeBigUInt64LE(44n, 4);
  z64eocd.writeUInt16LE(45, 12);
  z64eocd.writeUInt16LE(45, 14);
  z64eocd.writeBigUInt64LE(BigInt(members.length), 24);
  z64eocd.writeBigUInt64LE(BigInt(members.length), 32);
  z64eocd.writeBigUInt64LE(BigInt(cdBuf.length), 40);
  z64eocd.writeBigUInt64LE(BigInt(cdAt), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(pos), 8);
  locator.writeUInt32LE(1, 16);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(Math.min(members.length, 0xffff), 8);
  eocd.writeUInt16LE(Math.min(members.length, 0xffff), 10);
  eocd.writeUInt32LE(cdBuf.length, 12);
  eocd.writeUInt32LE(cdAt > 0xfffffffe ? 0xffffffff : cdAt, 16);
  const tail = Buffer.concat([z64eocd, locator, eocd]);
  writeSync(fd, tail, 0, tail.length, pos);
  closeSync(fd);
}

function writeSafetensors(path: string, totalBytes: number): void {
  const count = Math.max(1, Math.round(totalBytes / (4 * MiB)));
  const per = Math.floor(totalBytes / count / 4) * 4;
  const header: Record<string, unknown> = { __metadata__: { format: "pt" } };
  for (let i = 0; i < count; i++) header[`layers.${i}.weight`] = { dtype: "F32", shape: [per / 4], data_offsets: [i * per, (i + 1) * per] };
  let h = Buffer.from(JSON.stringify(header));
  h = Buffer.concat([h, Buffer.alloc((8 - (h.length % 8)) % 8, 0x20)]);
  const fd = openSync(path, "w");
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(h.length));
  writeSync(fd, Buffer.concat([len, h]), 0, 8 + h.length, 0);
  writeNoise(fd, 8 + h.length, count * per, false);
  closeSync(fd);
}

function writeLegacyTorch(path: string, totalBytes: number): void {
  const magic = Buffer.from([0x80, 2, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e]);
  const numel = Math.floor(totalBytes / 4);
  const obj = statePickle([{ key: "0", numel }]);
  const keys = Buffer.concat([Buffer.from([0x80, 2, 0x5d, 0x28]), str("0"), Buffer.from("e.", "latin1")]);
  const pre = Buffer.concat([magic, Buffer.from([0x80, 2, 0x4d, 0xe9, 0x03, 0x2e]), Buffer.from([0x80, 2, 0x7d, 0x2e]), obj, keys]);
  const fd = openSync(path, "w");
  writeSync(fd, pre, 0, pre.length, 0);
  const n = Buffer.alloc(8);
  n.writeBigInt64LE(BigInt(numel));
  writeSync(fd, n, 0, 8, pre.length);
  writeNoise(fd, pre.length + 8, numel * 4, false);
  closeSync(fd);
}

function writeGguf(path: string, totalBytes: number): void {
  const s = (x: string) => {
    const b = Buffer.from(x);
    const l = Buffer.alloc(8);
    l.writeBigUInt64LE(BigInt(b.length));
    return Buffer.concat([l, b]);
  };
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    return b;
  };
  const u64 = (n: number) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(n));
    return b;
  };
  const tokens = Array.from({ length: 32_000 }, (_, i) => s(`tok${i}`));
  const kv = [
    Buffer.concat([s("general.architecture"), u32(8), s("llama")]),
    Buffer.concat([s("tokenizer.chat_template"), u32(8), s("{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}{% endfor %}")]),
    Buffer.concat([s("tokenizer.ggml.tokens"), u32(9), u32(8), u64(tokens.length), ...tokens]),
  ];
  const count = 64;
  const per = Math.floor(totalBytes / count / 32) * 32;
  const infos = Array.from({ length: count }, (_, i) => Buffer.concat([s(`blk.${i}.w`), u32(1), u64(per / 4), u32(0), u64(i * per)]));
  let head = Buffer.concat([Buffer.from("GGUF"), u32(3), u64(count), u64(kv.length), ...kv, ...infos]);
  head = Buffer.concat([head, Buffer.alloc((32 - (head.length % 32)) % 32)]);
  const fd = openSync(path, "w");
  writeSync(fd, head, 0, head.length, 0);
  writeNoise(fd, head.length, per * count, false);
  closeSync(fd);
}

function writeNpy(path: string, totalBytes: number): void {
  const n = Math.floor(totalBytes / 4);
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${n},), }`;
  header += " ".repeat(64 - ((10 + header.length + 1) % 64));
  header += "\n";
  const pre = Buffer.concat([Buffer.from([0x93]), Buffer.from("NUMPY\x01\x00", "latin1"), Buffer.from([header.length & 0xff, header.length >> 8]), Buffer.from(header, "latin1")]);
  const fd = openSync(path, "w");
  writeSync(fd, pre, 0, pre.length, 0);
  writeNoise(fd, pre.length, n * 4, false);
  closeSync(fd);
}

// ---------------------------------------------------------------- measurement
/**
 * Pickles written by CPython's pickle module (the real writer, so opcodes, memo use and framing are what
 * hubs hold): a tokenizer vocabulary (dict of str → int, protocol 4) and an object-graph model (nested
 * dicts and lists of floats, protocol 2, like a pickled tree ensemble or a fastText/gensim model).
 */
function writePythonPickles(dir: string, prefix: string, scale: number): string[] {
  const script = `
import pickle, sys, collections
d, p, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
vocab = {f"tok{i}_{i * 7919 % 100003}": i for i in range(n)}
with open(f"{d}/{p}vocab.pkl", "wb") as f: pickle.dump(vocab, f, protocol=4)
nodes = [collections.OrderedDict(feature=i % 97, threshold=i * 0.5, left=2 * i + 1, right=2 * i + 2, value=[i * 0.1, 1.0 - i * 0.1]) for i in range(n // 3)]
with open(f"{d}/{p}trees.pkl", "wb") as f: pickle.dump({"n_estimators": 100, "trees": nodes}, f, protocol=2)
`;
  const r = spawnSync("python3", ["-c", script, dir, prefix, String(300_000 * scale)], { encoding: "utf8" });
  if (r.status !== 0) return [];
  return [join(dir, `${prefix}vocab.pkl`), join(dir, `${prefix}trees.pkl`)];
}

interface Measure {
  wallMs: number;
  cpuMs: number;
  rssMiB: number;
  note?: string;
}

/** Runs `argv` as a child of a small Python wrapper that reports the child's wall, CPU and peak RSS. */
function measureProcess(argv: string[], env: NodeJS.ProcessEnv = {}): Measure | undefined {
  const wrapper = `
import resource, subprocess, sys, time
t = time.perf_counter()
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - t
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{wall * 1000} {(u.ru_utime + u.ru_stime) * 1000} {u.ru_maxrss / 1024} {r.returncode}")
sys.stderr.write(r.stderr.decode(errors="replace")[-400:])
`;
  const r = spawnSync("python3", ["-c", wrapper, ...argv], { encoding: "utf8", env: { ...process.env, ...env } });
  if (r.status !== 0) return undefined;
  const [wall, cpu, rss, rc] = r.stdout.trim().split(" ").map(Number);
  // picklescan exits 1 when it finds something, rampart 1 on findings at --fail-on: both are runs.
  if (rc! > 1) {
    console.log(`  (${argv.slice(0, 3).join(" ")} exited ${rc}: ${r.stderr.trim().split("\n").pop()})`);
    return undefined;
  }
  return { wallMs: wall!, cpuMs: cpu!, rssMiB: rss! };
}

/** Best of `n` runs by wall time (the run least disturbed by the shared machine), with its CPU and RSS. */
function best(n: number, run: () => Measure | undefined): Measure | undefined {
  let out: Measure | undefined;
  for (let i = 0; i < n; i++) {
    const m = run();
    if (m && (!out || m.wallMs < out.wallMs)) out = m;
  }
  return out;
}

/** Library-level: one fresh process imports the scanner, scans once to warm up, then times `repeat` scans. */
function libraryRun(tool: "rampart" | "picklescan", target: string, repeat: number, picklescanSrc?: string): Measure | undefined {
  if (tool === "rampart") {
    const code = `import { scanModelPaths } from ${JSON.stringify(new URL("../src/scan/model/index.js", import.meta.url).pathname)};
await scanModelPaths([${JSON.stringify(target)}], { digest: false });
let best = Infinity, cpu = 0;
for (let i = 0; i < ${repeat}; i++) {
  const c = process.cpuUsage(); const t = performance.now();
  await scanModelPaths([${JSON.stringify(target)}], { digest: false });
  const w = performance.now() - t; const d = process.cpuUsage(c);
  if (w < best) { best = w; cpu = (d.user + d.system) / 1000; }
}
process.stdout.write(best + " " + cpu + " " + process.resourceUsage().maxRSS / 1024);`;
    const out = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { encoding: "utf8" });
    if (out.status !== 0) return undefined;
    const [w, c, r] = out.stdout.trim().split(" ").map(Number);
    return { wallMs: w!, cpuMs: c!, rssMiB: r! };
  }
  const script = `
import os, resource, sys, time
from picklescan.scanner import scan_directory_path, scan_file_path
target, repeat = sys.argv[1], int(sys.argv[2])
scan = scan_directory_path if os.path.isdir(target) else scan_file_path
scan(target)
best, cpu = float("inf"), 0.0
for _ in range(repeat):
    c = time.process_time(); t = time.perf_counter()
    r = scan(target)
    w = time.perf_counter() - t
    if w < best: best, cpu = w, time.process_time() - c
print(best * 1000, cpu * 1000, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, r.scanned_files)
`;
  const out = spawnSync("python3", ["-c", script, target, String(repeat)], { encoding: "utf8", env: { ...process.env, PYTHONPATH: picklescanSrc } });
  if (out.status !== 0) {
    console.log(`  (picklescan failed on ${target}: ${out.stderr.trim().split("\n").pop()})`);
    return undefined;
  }
  const [w, c, r, scanned] = out.stdout.trim().split(" ").map(Number);
  return { wallMs: w!, cpuMs: c!, rssMiB: r!, note: `${scanned} scanned` };
}

/** Peak RSS of a fresh process that scans one file (and of one that scans nothing, as the baseline). */
function peakRss(file: string | undefined): number {
  const code = `import { scanModelPaths } from ${JSON.stringify(new URL("../src/scan/model/index.js", import.meta.url).pathname)};
${file ? `await scanModelPaths([${JSON.stringify(file)}], { digest: false });` : ""}
process.stdout.write(String(process.resourceUsage().maxRSS / 1024));`;
  const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { encoding: "utf8" });
  return Number(out.trim());
}

const mbps = (bytes: number, ms: number) => bytes / 1e6 / (ms / 1000);
const fmt = (m: Measure | undefined) => (m ? [m.wallMs, m.cpuMs, m.rssMiB] : ["n/a", "n/a", "n/a"]);

export default async function bench(): Promise<void> {
  // RAMPART_BENCH_DIR keeps the corpus in that folder (to profile or to run other scanners on it).
  const keep = process.env.RAMPART_BENCH_DIR;
  const { dir, cleanup } = keep ? { dir: keep, cleanup: () => {} } : scratchDir("scan-model");
  if (keep) mkdirSync(keep, { recursive: true });
  const picklescanSrc = process.env.PICKLESCAN_SRC;
  try {
    const scale = full ? 4 : 1;
    const plan: Array<[string, number, (p: string, b: number) => void]> = [
      ["torch-1MiB.pt", 1 * MiB, writeTorchZip],
      ["torch-16MiB.pt", 16 * MiB, writeTorchZip],
      ["torch-64MiB.pt", 64 * MiB, writeTorchZip],
      ["torch-256MiB.pt", 256 * MiB, writeTorchZip],
      ["legacy-16MiB.pt", 16 * MiB, writeLegacyTorch],
      ["model-64MiB.safetensors", 64 * MiB, writeSafetensors],
      ["model-32MiB.gguf", 32 * MiB, writeGguf],
      ["weights-16MiB.npy", 16 * MiB, writeNpy],
    ];
    const files: string[] = [];
    for (let copy = 0; copy < scale; copy++) {
      for (const [name, bytes, write] of plan) {
        const p = join(dir, `${copy}-${name}`);
        write(p, bytes);
        files.push(p);
      }
      files.push(...writePythonPickles(dir, `${copy}-`, 1));
    }
    if (files.length === plan.length * scale) console.log("(python3 not found: the CPython-written pickles are left out of the corpus)");
    const big = full ? join(dir, "checkpoint-5GiB.pt") : undefined;
    if (big) writeTorchZip(big, 5 * 1024 * MiB, true);
    writeFileSync(join(dir, "README.md"), "# corpus\n");
    const corpus = readdirSync(dir).map((f) => join(dir, f));
    const totalBytes = corpus.reduce((a, f) => a + statSync(f).size, 0);
    const load = () => `load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`;
    console.log(
      `\nCorpus: ${corpus.length} files, ${(totalBytes / MiB).toFixed(0)} MiB (${big ? "including the sparse 5 GiB checkpoint" : "no 5 GiB checkpoint"}); ${load()} at start`,
    );

    // Per-file latency, library-level, each tool in its own fresh process (best of 5 after a warm-up).
    const firstCopy = files.filter((f) => f.split("/").pop()!.startsWith("0-"));
    const rows: Array<Array<string | number>> = [];
    for (const f of firstCopy) {
      const r = await scanModelPaths([f], { digest: false });
      const ours = libraryRun("rampart", f, 3);
      const theirs = picklescanSrc ? libraryRun("picklescan", f, 3, picklescanSrc) : undefined;
      rows.push([
        f.split("/").pop()!.slice(2),
        (statSync(f).size / MiB).toFixed(1),
        Number(r.metrics.bytesRead) / 1024,
        ...(ours ? [ours.wallMs, ours.cpuMs] : ["n/a", "n/a"]),
        ...(theirs ? [theirs.wallMs, theirs.cpuMs, theirs.note ?? ""] : ["-", "-", picklescanSrc ? "failed" : "PICKLESCAN_SRC unset"]),
        ours && theirs ? `${(theirs.wallMs / ours.wallMs).toFixed(1)}x` : "-",
      ]);
    }
    console.log("\nPer-file latency, library-level (fresh process per tool, warm page cache, no digest, best of 3):\n");
    table(["file", "MiB", "KiB read by rampart", "rampart ms", "rampart CPU ms", "picklescan ms", "picklescan CPU ms", "picklescan", "speed-up (wall)"], rows);

    // Whole corpus, library-level and end-to-end CLI.
    const ourLib = libraryRun("rampart", dir, 2);
    const cli = new URL("../dist/cli/main.js", import.meta.url).pathname;
    const ourCli = existsSync(cli) ? best(2, () => measureProcess([process.execPath, cli, "scan", "model", dir, "--no-digest", "-q", "--format", "json"])) : undefined;
    const ourCliDigest = existsSync(cli) ? best(1, () => measureProcess([process.execPath, cli, "scan", "model", dir, "-q", "--format", "json"])) : undefined;
    if (!existsSync(cli)) console.log("(dist/cli/main.js missing: run `npm run build` for the CLI rows)");
    let theirLib: Measure | undefined;
    let theirCli: Measure | undefined;
    if (picklescanSrc) {
      theirLib = libraryRun("picklescan", dir, 2, picklescanSrc);
      theirCli = best(2, () => measureProcess(["python3", "-m", "picklescan", "--path", dir], { PYTHONPATH: picklescanSrc }));
    } else console.log("\nPICKLESCAN_SRC is not set: the side-by-side picklescan comparison is skipped (set it to picklescan's src folder).");
    console.log(`\nWhole corpus (${corpus.length} files, ${(totalBytes / MiB).toFixed(0)} MiB; best of 2-3 by wall time; ${load()} at the end):\n`);
    const line = (name: string, m: Measure | undefined) => [name, ...fmt(m), m ? mbps(totalBytes, m.wallMs) : "n/a", m ? (corpus.length / (m.wallMs / 1000)).toFixed(0) : "n/a"];
    table(
      ["run", "wall ms", "CPU ms", "peak RSS MiB", "MB/s (file bytes / wall)", "files/s"],
      [
        line("rampart, library (scanModelPaths, no digest)", ourLib),
        line("picklescan, library (scan_directory_path)", theirLib),
        line("rampart scan model --no-digest (CLI, end to end)", ourCli),
        line("rampart scan model (CLI, with sha256 subjects)", ourCliDigest),
        line("picklescan --path (CLI, end to end)", theirCli),
      ],
    );
    if (ourLib && theirLib && ourCli && theirCli)
      console.log(
        `\nspeed-up over picklescan: library ${(theirLib.wallMs / ourLib.wallMs).toFixed(1)}x wall, ${(theirLib.cpuMs / ourLib.cpuMs).toFixed(1)}x CPU; CLI ${(theirCli.wallMs / ourCli.wallMs).toFixed(1)}x wall, ${(theirCli.cpuMs / ourCli.cpuMs).toFixed(1)}x CPU`,
      );

    console.log("\nPeak RSS of a fresh process scanning one file (no digest):\n");
    const base = peakRss(undefined);
    const memRows: Array<Array<string | number>> = [["(nothing: node + tsx baseline)", 0, base, 0]];
    for (const f of [...firstCopy.slice(0, 4), ...firstCopy.filter((f) => f.endsWith(".pkl")), ...(big ? [big] : [])]) {
      const rss = peakRss(f);
      memRows.push([f.split("/").pop()!, (statSync(f).size / MiB).toFixed(0), rss, rss - base]);
    }
    table(["file", "MiB", "peak RSS MiB", "over baseline MiB"], memRows);
    console.log(`\nreproduce: npm run build && ${full ? "RAMPART_BENCH_FULL=1 " : ""}PICKLESCAN_SRC=<picklescan>/src npx tsx bench/run.ts scan-model`);
  } finally {
    cleanup();
  }
}
