import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { collectDependencies, importAdvisories, matchDependencies, memoryAdvisories, type OsvAdvisory, storeAdvisories } from "../src/scan/deps/index.js";
import { openStore } from "../src/store/index.js";
import { peakRssMiB, scratchDir, table, time } from "./util.js";

/**
 * Dependency scanning throughput: lockfile parsing (packages/s) by format and size, and matching
 * (package-advisory checks/s) as packages and advisories grow, in memory and through the SQLite store.
 * Inputs are generated: names `pkg-<i>`, versions spread over 0.x-9.x, advisories with 1-3 ranges each.
 */
export default async function bench(): Promise<void> {
  const { dir, cleanup } = scratchDir("scan-deps");
  try {
    const rng = mulberry32(42);
    const version = () => `${Math.floor(rng() * 10)}.${Math.floor(rng() * 20)}.${Math.floor(rng() * 30)}`;

    // 1. Parsing.
    const parseRows: Array<Array<string | number>> = [];
    for (const n of [1_000, 10_000, 50_000]) {
      const d = join(dir, `p${n}`);
      mkdirSync(join(d, "npm"), { recursive: true });
      mkdirSync(join(d, "pip"), { recursive: true });
      mkdirSync(join(d, "poetry"), { recursive: true });
      const packages: Record<string, unknown> = { "": { name: "bench" } };
      for (let i = 0; i < n; i++) packages[`node_modules/pkg-${i}`] = { version: version(), integrity: `sha512-${Buffer.alloc(64, i).toString("base64")}`, license: "MIT" };
      writeFileSync(join(d, "npm", "package-lock.json"), JSON.stringify({ lockfileVersion: 3, packages }, null, 2));
      writeFileSync(join(d, "pip", "requirements.txt"), Array.from({ length: n }, (_, i) => `pkg-${i}==${version()} --hash=sha256:${"ab".repeat(32)}`).join("\n"));
      writeFileSync(
        join(d, "poetry", "poetry.lock"),
        Array.from({ length: n }, (_, i) => `[[package]]\nname = "pkg-${i}"\nversion = "${version()}"\nfiles = [{file = "x.whl", hash = "sha256:${"cd".repeat(32)}"}]\n`).join(
          "\n",
        ),
      );
      for (const sub of ["npm", "pip", "poetry"]) {
        const ms = await time(() => collectDependencies(join(d, sub)), 3);
        parseRows.push([sub === "npm" ? "package-lock.json v3" : sub === "pip" ? "requirements.txt" : "poetry.lock", n, ms, Math.round((n / ms) * 1000)]);
      }
    }
    table(["format", "packages", "ms (best of 3)", "packages/s"], parseRows);

    // 2. Matching in memory: N packages x M advisories (each package name has ~M/N advisories).
    console.log("");
    const matchRows: Array<Array<string | number>> = [];
    for (const [n, m] of [
      [1_000, 1_000],
      [10_000, 10_000],
      [10_000, 50_000],
      [50_000, 50_000],
    ] as const) {
      const { files } = await collectDependencies(join(dir, `p${Math.min(n, 50_000)}`, "npm"));
      const advisories = makeAdvisories(m, n, rng);
      const source = memoryAdvisories(advisories);
      let checks = 0;
      const ms = await time(async () => {
        const r = await matchDependencies(files, source);
        checks = Number(r.metrics.vulnerabilities);
      }, 3);
      matchRows.push([n, m, ms, Math.round((n / ms) * 1000), checks]);
    }
    table(["packages", "advisories", "match ms (best of 3)", "packages/s", "vulnerable hits"], matchRows);

    // 3. Through the store: import speed and a full store-backed scan.
    console.log("");
    const storeRows: Array<Array<string | number>> = [];
    for (const m of [10_000, 50_000]) {
      const advDir = join(dir, `adv${m}`);
      mkdirSync(advDir, { recursive: true });
      for (const a of makeAdvisories(m, 50_000, rng)) writeFileSync(join(advDir, `${a.id}.json`), JSON.stringify(a));
      const store = await openStore({ url: join(dir, `s${m}.db`) });
      const t0 = performance.now();
      await importAdvisories(store, advDir);
      const importMs = performance.now() - t0;
      const { files } = await collectDependencies(join(dir, "p50000", "npm"));
      const scanMs = await time(() => matchDependencies(files, storeAdvisories(store)), 3);
      storeRows.push([m, Math.round(importMs), Math.round((m / importMs) * 1000), 50_000, scanMs, Math.round((50_000 / scanMs) * 1000)]);
      await store.close();
    }
    table(["advisories", "import ms", "advisories/s", "packages", "store scan ms (best of 3)", "packages/s"], storeRows);
    console.log(`\npeak RSS ${peakRssMiB().toFixed(0)} MiB`);
  } finally {
    cleanup();
  }
}

function makeAdvisories(m: number, names: number, rng: () => number): OsvAdvisory[] {
  const out: OsvAdvisory[] = [];
  for (let i = 0; i < m; i++) {
    const pkg = `pkg-${Math.floor(rng() * names)}`;
    const ranges = Array.from({ length: 1 + Math.floor(rng() * 3) }, () => {
      const a = Math.floor(rng() * 10);
      return { type: "SEMVER" as const, events: [{ introduced: `${a}.0.0` }, { fixed: `${a}.${1 + Math.floor(rng() * 19)}.0` }] };
    });
    out.push({
      id: `BENCH-${i}`,
      modified: "2024-01-01T00:00:00Z",
      aliases: [`CVE-2024-${i}`],
      severity: [{ type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" }],
      affected: [{ package: { ecosystem: "npm", name: pkg }, ranges }],
    });
  }
  return out;
}

// Small deterministic PRNG so runs are comparable.
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
