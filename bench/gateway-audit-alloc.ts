/**
 * What the audit costs the serving thread per request, allocation and CPU: a copy of the work
 * `audit()` in src/gateway/server.ts does for one decision (request id, decision object, the ledger
 * event, JSON.stringify, the per-turn batch join in JournalThread.append), without the worker
 * messages. Run with a young generation large enough that no scavenge happens during the count:
 *
 *   node --expose-gc --max-semi-space-size=512 --min-semi-space-size=512 --import tsx bench/gateway-audit-alloc.ts [N=100000]
 */
import { randomUUID } from "node:crypto";

const n = Number(process.argv[2] ?? 100_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc (see the header)");

const digest = "a".repeat(64);
let lines: string[] = [];

function audit(): number {
  const ms = Date.now().toString(16).padStart(12, "0");
  const id = `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${randomUUID().slice(15)}`;
  const e = {
    id,
    time: new Date().toISOString(),
    principal: "bench",
    model: "credit",
    action: "infer",
    decision: "allow",
    status: 200,
    reason: "ok",
    policies: ["bench"],
    details: { via: "api-key" },
  };
  const labels = { model: e.model, decision: e.decision, reason: e.reason.split(":")[0]! };
  const event = {
    kind: "gateway.decision",
    eventId: `gateway:${e.id}`,
    actor: e.principal,
    time: e.time,
    ...(e.model ? { subject: { name: e.model, sha256: digest } } : {}),
    data: { model: e.model, action: e.action, decision: e.decision, status: e.status, reason: e.reason, policies: e.policies, details: e.details },
  };
  lines.push(JSON.stringify(event));
  // A few decisions per event-loop turn at moderate rates: one joined message each.
  if (lines.length >= 4) {
    const joined = lines.join("\n");
    lines = [];
    return joined.length + labels.reason.length;
  }
  return 0;
}

for (let i = 0; i < 20_000; i++) audit();
gc();
const heap0 = process.memoryUsage().heapUsed;
const cpu0 = process.cpuUsage();
let sink = 0;
for (let i = 0; i < n; i++) sink += audit();
const cpu = process.cpuUsage(cpu0);
const heap = process.memoryUsage().heapUsed - heap0;
console.log(`| calls | bytes allocated per decision | CPU µs per decision | (checksum ${sink % 10}) |`);
console.log("|---|---|---|---|");
console.log(`| ${n} | ${(heap / n).toFixed(0)} | ${((cpu.user + cpu.system) / n).toFixed(2)} | |`);
