import { open, opendir, readFile, stat } from "node:fs/promises";
import { dirname, extname, join, relative, sep } from "node:path";
import { parseYamlValue, sha256File } from "../core/index.js";

/**
 * ML artifacts in a project: model files recognised by magic bytes (extension only where a format has
 * no magic, like ONNX protobufs), datasets by extension, and Hugging Face style model cards
 * (README.md YAML front matter) beside them.
 */

export interface ArtifactFile {
  /** Relative to the root, `/` separators. */
  path: string;
  kind: "model" | "dataset";
  format: string;
  size: number;
  sha256: string;
}

const SKIP_DIRS = new Set([
  "node_modules",
  ".git",
  ".hg",
  ".svn",
  ".venv",
  "venv",
  "env",
  "__pycache__",
  ".rampart",
  "site-packages",
  ".tox",
  ".mypy_cache",
  ".pytest_cache",
  "dist",
  "build",
]);

const MODEL_EXT = new Set([
  ".safetensors",
  ".pt",
  ".pth",
  ".bin",
  ".ckpt",
  ".onnx",
  ".gguf",
  ".h5",
  ".hdf5",
  ".keras",
  ".pkl",
  ".pickle",
  ".joblib",
  ".tflite",
  ".pb",
  ".mlmodel",
  ".npz",
]);
const DATA_EXT: Record<string, string> = {
  ".csv": "csv",
  ".tsv": "tsv",
  ".parquet": "parquet",
  ".jsonl": "jsonl",
  ".arrow": "arrow",
  ".feather": "feather",
  ".tfrecord": "tfrecord",
  ".avro": "avro",
  ".orc": "orc",
};

/** Model format from the first bytes (and the extension when bytes alone cannot tell). */
export function sniffModel(head: Uint8Array, ext: string): string | undefined {
  const ascii = (from: number, to: number) => Buffer.from(head.subarray(from, to)).toString("latin1");
  if (ascii(0, 4) === "GGUF") return "gguf";
  if (head[0] === 0x89 && ascii(1, 4) === "HDF") return "hdf5";
  if (ascii(4, 8) === "TFL3") return "tflite";
  if (ascii(0, 4) === "PK\x03\x04") {
    if (ext === ".keras") return "keras";
    if (ext === ".npz") return "numpy-npz";
    return "pytorch-zip";
  }
  // safetensors: u64 little-endian header length, then a JSON object.
  if (head.length >= 9 && head[8] === 0x7b) {
    const n = Buffer.from(head.subarray(0, 8)).readBigUInt64LE();
    if (n > 1n && n < 100_000_000n) return "safetensors";
  }
  // Pickle protocol 2+ starts with PROTO (0x80) and the protocol number.
  if (head[0] === 0x80 && head[1]! >= 2 && head[1]! <= 5) return ext === ".joblib" ? "joblib" : "pickle";
  if (ext === ".onnx" && head[0] === 0x08) return "onnx"; // field 1 (ir_version), varint
  if (ext === ".pb" && head.length > 0) return "tensorflow-savedmodel";
  if (ext === ".mlmodel") return "coreml";
  return undefined;
}

/** Walks `root` for model and dataset files, hashing each (streamed). */
export async function findArtifacts(root: string, options: { maxFiles?: number } = {}): Promise<ArtifactFile[]> {
  const out: ArtifactFile[] = [];
  const max = options.maxFiles ?? 10_000;
  async function walk(dir: string): Promise<void> {
    let handle: import("node:fs").Dir;
    try {
      handle = await opendir(dir);
    } catch {
      return;
    }
    const entries: Array<{ name: string; dir: boolean; file: boolean }> = [];
    for await (const d of handle) entries.push({ name: d.name, dir: d.isDirectory(), file: d.isFile() });
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      if (out.length >= max) return;
      const full = join(dir, e.name);
      if (e.dir) {
        if (!SKIP_DIRS.has(e.name) && !e.name.startsWith(".")) await walk(full);
        continue;
      }
      if (!e.file) continue;
      const ext = extname(e.name).toLowerCase();
      const rel = relative(root, full).split(sep).join("/");
      if (MODEL_EXT.has(ext)) {
        const head = await readHead(full, 16);
        const format = sniffModel(head, ext);
        if (!format) continue;
        const info = await stat(full);
        out.push({ path: rel, kind: "model", format, size: info.size, sha256: await sha256File(full) });
      } else if (DATA_EXT[ext]) {
        const info = await stat(full);
        out.push({ path: rel, kind: "dataset", format: DATA_EXT[ext]!, size: info.size, sha256: await sha256File(full) });
      }
    }
  }
  await walk(root);
  return out;
}

async function readHead(path: string, n: number): Promise<Uint8Array> {
  const fh = await open(path, "r");
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Front matter of a Hugging Face style model card. */
export interface ModelCardMeta {
  file: string;
  license?: string;
  datasets?: string[];
  task?: string;
  baseModel?: string[];
  libraryName?: string;
  tags?: string[];
  /** `model-index` results: metric type, value and the dataset they were measured on. */
  results: Array<{ type: string; value: string; dataset?: string; task?: string }>;
}

const asList = (v: unknown): string[] | undefined => (typeof v === "string" ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : undefined);

/** Reads `README.md` front matter (`---` YAML `---`) in `dir`; undefined when there is none or it is not YAML. */
export async function readModelCard(root: string, relDir: string): Promise<ModelCardMeta | undefined> {
  const rel = relDir === "." ? "README.md" : `${relDir}/README.md`;
  let text: string;
  try {
    const full = join(root, ...rel.split("/"));
    if ((await stat(full)).size > 4 << 20) return undefined;
    text = await readFile(full, "utf8");
  } catch {
    return undefined;
  }
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text.replace(/^\uFEFF/, ""));
  if (!m) return undefined;
  let doc: unknown;
  try {
    doc = parseYamlValue(m[1]!, 100);
  } catch {
    return undefined;
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) return undefined;
  const d = doc as Record<string, unknown>;
  const results: ModelCardMeta["results"] = [];
  if (Array.isArray(d["model-index"]))
    for (const entry of d["model-index"])
      for (const r of asArray((entry as Record<string, unknown>)?.results)) {
        const rr = r as Record<string, unknown>;
        const dataset = (rr.dataset as Record<string, unknown> | undefined)?.name ?? (rr.dataset as Record<string, unknown> | undefined)?.type;
        const task = (rr.task as Record<string, unknown> | undefined)?.type;
        for (const metric of asArray(rr.metrics)) {
          const mm = metric as Record<string, unknown>;
          if (typeof mm.type === "string" && (typeof mm.value === "number" || typeof mm.value === "string"))
            results.push({ type: mm.type, value: String(mm.value), dataset: typeof dataset === "string" ? dataset : undefined, task: typeof task === "string" ? task : undefined });
        }
      }
  const license = typeof d.license === "string" ? d.license : undefined;
  return {
    file: rel,
    license: license === "other" && typeof d.license_name === "string" ? d.license_name : license,
    datasets: asList(d.datasets),
    task: typeof d.pipeline_tag === "string" ? d.pipeline_tag : undefined,
    baseModel: asList(d.base_model),
    libraryName: typeof d.library_name === "string" ? d.library_name : undefined,
    tags: asList(d.tags),
    results,
  };
}

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The card that describes a model file: its own folder's README.md, else the nearest parent's, up to the root. */
export async function cardFor(root: string, modelPath: string): Promise<ModelCardMeta | undefined> {
  let dir = dirname(modelPath);
  for (;;) {
    const card = await readModelCard(root, dir);
    if (card) return card;
    if (dir === "." || dir === "") return undefined;
    dir = dirname(dir);
  }
}
