/**
 * CPU per request of the gateway's own chain (hooks, auth, limit, validation, the model, the audit),
 * without sockets: Fastify's `inject` drives one gateway process with the bench model, `WAVE` requests
 * in flight at a time, and the process's CPU (every thread: serving, journal, ledger, V8's) over
 * `N` requests after a warm-up is divided by N. No load generator shares the cores and no socket
 * call is counted, so two builds differ by their own code only; builds alternate in fresh
 * processes, in a seeded order per round.
 *
 *   npm run build && npx tsx bench/gateway-inject-cpu.ts [off|audit-nofsync|audit|audit-serving|audit-serving-nofsync] ROUNDS N DIST… (each DIST another build's dist/)
 *   (audit-serving*: audit.journalOn serving, the journal on the serving thread)
 *   e.g. npx tsx bench/gateway-inject-cpu.ts audit-nofsync 6 20000 dist "$B/dist"
 *   A build given as DIST@MODE runs in that mode: npx tsx bench/gateway-inject-cpu.ts audit 6 20000 dist@audit-serving dist
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { makeTabularModel, sampleRows } from "../test/gateway/tabular-model.js";
import { quantileOf, seededRandom, shuffled } from "./gateway-rounds.js";
import { scratchDir, table } from "./util.js";

const WAVE = 32;
const [first, ...rest] = process.argv.slice(2);

if (first === "--child") {
  const [dist, mode, n, dir] = rest as [string, string, string, string];
  const { buildGateway, GatewayConfig } = (await import(join(resolve(dist), "gateway", "index.js"))) as typeof import("../src/gateway/index.js");
  const policy = join(dir, `access-${process.pid}.cedar`);
  writeFileSync(policy, `permit (principal == Rampart::Service::"bench", action == Rampart::Action::"call-model", resource);\n`);
  const config = GatewayConfig.parse({
    auth: { apiKeys: [{ principal: "bench", sha256: createHash("sha256").update("bench-key").digest("hex") }] },
    access: { policies: [policy] },
    rateLimit: { perPrincipal: { capacity: 1e9, refillPerSecond: 1e9 } },
    log: { level: "warn" },
    ...(mode.startsWith("audit")
      ? {
          audit: {
            journal: join(dir, `journal-${process.pid}`),
            database: join(dir, `ledger-${process.pid}.db`),
            origin: "rampart.local/bench",
            fsync: mode === "audit" || mode === "audit-serving",
            ...(mode.startsWith("audit-serving") ? { journalOn: "serving" } : {}),
          },
        }
      : {}),
    models: [{ name: "credit", type: "onnx", onnx: join(dir, "credit.onnx"), profile: join(dir, "train.profile.json") }],
  });
  const app = await buildGateway(config);
  const payload = JSON.stringify({ inputs: { features: sampleRows(1, 11).rows } });
  const one = () =>
    app.inject({ method: "POST", url: "/v1/models/credit/infer", headers: { "content-type": "application/json", "x-api-key": "bench-key" }, payload }).then((r) => {
      if (r.statusCode !== 200) throw new Error(`status ${r.statusCode}: ${r.body}`);
    });
  const run = async (count: number) => {
    for (let i = 0; i < count; i += WAVE) await Promise.all(Array.from({ length: Math.min(WAVE, count - i) }, one));
  };
  await run(Math.max(4_000, Number(n) / 4));
  const cpu0 = process.cpuUsage();
  await run(Number(n));
  const cpu = process.cpuUsage(cpu0);
  console.log(JSON.stringify({ us: (cpu.user + cpu.system) / Number(n) }));
  await app.close();
  process.exit(0);
}

const mode = first ?? "audit-nofsync";
const rounds = Number(rest[0] ?? 6);
const n = Number(rest[1] ?? 20_000);
const dists = rest.slice(2).length > 0 ? rest.slice(2) : ["dist"];
// A build may carry its own mode, DIST@MODE (e.g. dist@audit dist@audit-serving: two modes of one build, alternated).
const MODES = ["off", "audit-nofsync", "audit", "audit-serving", "audit-serving-nofsync"];
const modeOf = (d: string) => (d.includes("@") ? d.slice(d.lastIndexOf("@") + 1) : mode);
const distOf = (d: string) => (d.includes("@") ? d.slice(0, d.lastIndexOf("@")) : d);
for (const m of [mode, ...dists.map(modeOf)]) if (!MODES.includes(m)) throw new Error(`mode ${m}: expected one of ${MODES.join(", ")}`);
const { dir, cleanup } = scratchDir("gateway-inject");
makeTabularModel(dir);
const random = seededRandom(Number(process.env.INJECT_SEED ?? 1));
const uptime = () =>
  execFileSync("uptime", { encoding: "utf8" })
    .trim()
    .replace(/.*load average: /, "");
console.error(`gateway-inject-cpu: ${mode}, ${rounds} rounds × ${n} requests, ${WAVE} in flight; load ${uptime()}`);
const per = new Map<string, number[]>(dists.map((d) => [d, []]));
const rows: Array<Array<string | number>> = [];
for (let round = 1; round <= rounds; round++)
  for (const d of shuffled(dists, random)) {
    const out = execFileSync(process.execPath, ["--import", "tsx", import.meta.filename, "--child", distOf(d), modeOf(d), String(n), dir], { encoding: "utf8" });
    const us = (JSON.parse(out.trim().split("\n").at(-1)!) as { us: number }).us;
    per.get(d)!.push(us);
    rows.push([round, d, us.toFixed(1), uptime()]);
  }
table(["round", "build", "CPU µs per request (all threads)", "load"], rows);
table(
  ["build", "median µs/req", "min", "max"],
  dists.map((d) => {
    const xs = per.get(d)!;
    return [d, quantileOf(xs, 0.5).toFixed(1), Math.min(...xs).toFixed(1), Math.max(...xs).toFixed(1)];
  }),
);
if (dists.length === 2) {
  const [a, b] = dists.map((d) => per.get(d)!) as [number[], number[]];
  const lower = a.filter((x, i) => x < b[i]!).length;
  const ratios = a.map((x, i) => x / b[i]!);
  console.log(`${dists[0]} against ${dists[1]}, paired by round: lower in ${lower} of ${a.length}; median ratio ${quantileOf(ratios, 0.5).toFixed(3)}`);
}
console.error(`load after: ${uptime()}`);
cleanup();
