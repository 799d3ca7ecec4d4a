/**
 * Model-scan CPU per MB, this tree against another build of Rampart, alternating fresh processes so a
 * loaded machine slows both alike (session 15: the pickle machine's memory accounting and streamed zip
 * members must not cost throughput).
 *
 *   npx tsx bench/scan-model-ab.ts <other tree, e.g. git archive 041fe00> [rounds = 5]
 *
 * Files (written by CPython into a scratch folder): a tokenizer vocabulary (300,000-entry dict, protocol
 * 4), an object-graph model (100,000 OrderedDicts, protocol 2), the latter as the deflated data.pkl of a
 * zip, and an .npz from np.savez_compressed (deflated members: only headers are read). Each child scans
 * every file once after a warm-up and reports CPU ms (user + system) per file; the table gives the median
 * over rounds and CPU ms per MiB of file.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = resolve(fileURLToPath(import.meta.url), "../..");
const other = process.argv[2];
const rounds = Number(process.argv[3] ?? 5);
if (!other) {
  console.error("usage: npx tsx bench/scan-model-ab.ts <other tree> [rounds]");
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), "rampart-ab-"));
execFileSync("python3", [
  "-c",
  `
import pickle, sys, collections, zipfile, numpy as np
d = sys.argv[1]
vocab = {f"tok{i}_{i * 7919 % 100003}": i for i in range(300000)}
with open(f"{d}/vocab.pkl", "wb") as f: pickle.dump(vocab, f, protocol=4)
nodes = [collections.OrderedDict(feature=i % 97, threshold=i * 0.5, left=2 * i + 1, right=2 * i + 2, value=[i * 0.1, 1.0 - i * 0.1]) for i in range(100000)]
data = pickle.dumps({"n_estimators": 100, "trees": nodes}, protocol=2)
open(f"{d}/trees.pkl", "wb").write(data)
with zipfile.ZipFile(f"{d}/trees-deflated.pt", "w", zipfile.ZIP_DEFLATED) as z: z.writestr("archive/data.pkl", data)
rng = np.random.default_rng(15)
np.savez_compressed(f"{d}/arrays.npz", **{f"w{i}": rng.standard_normal(1 << 20).astype(np.float32) for i in range(8)})
`,
  dir,
]);
const files = ["vocab.pkl", "trees.pkl", "trees-deflated.pt", "arrays.npz"].map((f) => join(dir, f));

const child = `
const root = process.argv[1];
const { scanModelPaths } = await import(root + "/src/scan/model/index.ts");
await scanModelPaths([process.argv[2]], { digest: false });
const out = {};
for (const f of process.argv.slice(2)) {
  const t = process.cpuUsage();
  await scanModelPaths([f], { digest: false });
  const d = process.cpuUsage(t);
  out[f] = (d.user + d.system) / 1000;
}
console.log(JSON.stringify(out));
`;
const trees = { this: here, other: resolve(other) };
const runs: Record<string, Record<string, number[]>> = { this: {}, other: {} };
for (let r = 0; r < rounds; r++)
  for (const [name, root] of r % 2 === 0 ? Object.entries(trees) : Object.entries(trees).reverse()) {
    const p = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", child, root, ...files], { cwd: root, encoding: "utf8" });
    if (p.status !== 0) throw new Error(`${name}: ${p.stderr}`);
    const res = JSON.parse(p.stdout.trim().split("\n").pop()!) as Record<string, number>;
    for (const [f, ms] of Object.entries(res)) {
      const list = runs[name]![f] ?? [];
      list.push(ms);
      runs[name]![f] = list;
    }
  }
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`| file | MiB | other: CPU ms (median of ${rounds}) | this: CPU ms | other: ms/MiB | this: ms/MiB | this/other |\n|---|---|---|---|---|---|---|`);
for (const f of files) {
  const mib = statSync(f).size / 1048576;
  const a = median(runs.other![f]!);
  const b = median(runs.this![f]!);
  console.log(`| ${f.split("/").pop()} | ${mib.toFixed(1)} | ${a.toFixed(0)} | ${b.toFixed(0)} | ${(a / mib).toFixed(1)} | ${(b / mib).toFixed(1)} | ${(b / a).toFixed(2)} |`);
}
console.log(`\ncommand: npx tsx bench/scan-model-ab.ts ${other} ${rounds}`);
