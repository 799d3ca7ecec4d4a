/**
 * One-scan CPU of the model scanner on dict-heavy pickles (session 16): each child process is fresh, loads a
 * built tree's `dist/`, scans ONE file once (JIT warm-up included, as a CLI run pays it) and reports the CPU
 * of that scan (process-wide user + system: the garbage collector's threads count) and the whole process.
 * Builds alternate in every round so a loaded machine slows them alike.
 *
 *   npx tsx bench/scan-model-onescan.ts [rounds = 6] name=<built tree> name=<built tree> ...
 *   (a built tree: `git archive <commit> | tar -x -C DIR`, node_modules linked, `npx tsc -p tsconfig.build.json`)
 *
 * Files, written by CPython into a scratch folder: tokenizer vocabularies `{"tok<i>_<j>": i}` of 45,000,
 * 360,000 and 1,200,000 entries (protocol 4: about 1, 8 and 27 MiB). The table gives the median over rounds
 * of CPU ms per MiB and the ratio of each build to the first one named, for the scan alone and for the whole
 * process (from its start: module loading included, as a one-file CLI or library call pays it).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const args = process.argv.slice(2);
const rounds = /^\d+$/.test(args[0] ?? "") ? Number(args.shift()) : 6;
const trees = args.map((a) => {
  const i = a.indexOf("=");
  if (i < 1) {
    console.error("usage: npx tsx bench/scan-model-onescan.ts [rounds] name=<built tree> ...");
    process.exit(2);
  }
  return { name: a.slice(0, i), root: resolve(a.slice(i + 1)) };
});
if (trees.length === 0) {
  console.error("usage: npx tsx bench/scan-model-onescan.ts [rounds] name=<built tree> ...");
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), "rampart-onescan-"));
const sizes = [45_000, 360_000, 1_200_000];
execFileSync("python3", [
  "-c",
  `
import pickle, sys
for n in map(int, sys.argv[2:]):
    vocab = {f"tok{i}_{i * 7919 % 100003}": i for i in range(n)}
    with open(f"{sys.argv[1]}/vocab-{n}.pkl", "wb") as f: pickle.dump(vocab, f, protocol=4)
`,
  dir,
  ...sizes.map(String),
]);
const files = sizes.map((n) => join(dir, `vocab-${n}.pkl`));

const child = `
const { scanModelPaths } = await import(process.argv[1] + "/dist/scan/model/index.js");
const t = process.cpuUsage();
const r = await scanModelPaths([process.argv[2]], { digest: false });
const d = process.cpuUsage(t);
const all = process.resourceUsage();
console.log(JSON.stringify({ scan: (d.user + d.system) / 1000, proc: (all.userCPUTime + all.systemCPUTime) / 1000, rss: all.maxRSS / 1024, rules: [...new Set(r.findings.map((f) => f.ruleId + ":" + f.severity))] }));
`;
type Sample = { scan: number; proc: number; rss: number; rules: string[] };
const runs = new Map<string, Sample[]>();
for (let r = 0; r < rounds; r++)
  for (const f of files) {
    const order = r % 2 === 0 ? trees : [...trees].reverse();
    for (const t of order) {
      const p = spawnSync(process.execPath, ["--input-type=module", "-e", child, t.root, f], { encoding: "utf8" });
      if (p.status !== 0) throw new Error(`${t.name}: ${p.stderr}`);
      const s = JSON.parse(p.stdout.trim().split("\n").pop()!) as Sample;
      const key = `${t.name}|${f}`;
      runs.set(key, [...(runs.get(key) ?? []), s]);
    }
  }
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  `| file | MiB | build | scan CPU ms/MiB (median of ${rounds}) | process CPU ms | peak RSS MiB | ratio to ${trees[0]!.name} | process ratio | findings |\n|---|---|---|---|---|---|---|---|---|`,
);
for (const f of files) {
  const mib = statSync(f).size / 1048576;
  const base = median(runs.get(`${trees[0]!.name}|${f}`)!.map((s) => s.scan));
  // From process start (module loading included), as a one-file CLI or library call pays it.
  const baseProc = median(runs.get(`${trees[0]!.name}|${f}`)!.map((s) => s.proc));
  for (const t of trees) {
    const s = runs.get(`${t.name}|${f}`)!;
    const scan = median(s.map((x) => x.scan));
    console.log(
      `| ${f.split("/").pop()} | ${mib.toFixed(1)} | ${t.name} | ${(scan / mib).toFixed(1)} | ${median(s.map((x) => x.proc)).toFixed(0)} | ${median(s.map((x) => x.rss)).toFixed(0)} | ${(scan / base).toFixed(3)} | ${(median(s.map((x) => x.proc)) / baseProc).toFixed(3)} | ${s[0]!.rules.join(" ") || "none"} |`,
    );
  }
}
const perRound = [...runs].map(([k, v]) => `${k.replace(/\|.*\//, " ")}: ${v.map((x) => Math.round(x.scan)).join(", ")}`);
console.log(`\nscan CPU ms per round:\n${perRound.join("\n")}`);
