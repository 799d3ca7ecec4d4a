/**
 * CPU per call of the steps session 11 changed, the previous build's form against this one, in one
 * process, alternating A/B for STAGE_ROUNDS rounds (default 6) after a warm-up, on the bench's own
 * request (one row of the tabular model) and its ledger event:
 *   - SHA-256 of a presented API key: Hash object against crypto.hash;
 *   - input validation and tensor building (validateInput), this build against STAGE_BASELINE_DIST's;
 *   - a ledger leaf (encodeEntry: canonical JSON of a gateway decision), the same two builds.
 * Prints the median and range of ns of CPU per call.
 *   npm run build && STAGE_BASELINE_DIST=/path/to/previous/dist npx tsx bench/gateway-stage-costs.ts
 */
import * as crypto from "node:crypto";
import { join } from "node:path";
import type * as schemaModule from "../src/gateway/schema.js";
import type * as entry from "../src/ledger/entry.js";
import { table } from "./util.js";

const rounds = Number(process.env.STAGE_ROUNDS ?? 6);
const calls = Number(process.env.STAGE_CALLS ?? 100_000);
const here = join(import.meta.dirname, "..", "dist");
const base = process.env.STAGE_BASELINE_DIST;
if (!base) throw new Error("STAGE_BASELINE_DIST: the previous build's dist/ (e.g. git archive 50b69b9, then tsc -p tsconfig.build.json)");

function cpuNs(fn: () => void, n: number): number {
  const t0 = process.cpuUsage();
  for (let i = 0; i < n; i++) fn();
  const t = process.cpuUsage(t0);
  return ((t.user + t.system) * 1000) / n;
}

const rows: Array<Array<string | number>> = [];
function compare(step: string, forms: Array<[string, () => void]>): void {
  const times = forms.map(() => [] as number[]);
  for (const [, fn] of forms) cpuNs(fn, calls / 4);
  for (let r = 0; r < rounds; r++) for (let f = 0; f < forms.length; f++) times[f]!.push(cpuNs(forms[f]![1], calls));
  forms.forEach(([form], f) => {
    const s = times[f]!.sort((a, b) => a - b);
    rows.push([step, form, s[Math.floor(s.length / 2)]!.toFixed(0), `${s[0]!.toFixed(0)}–${s[s.length - 1]!.toFixed(0)}`]);
  });
}

const key = "bench-key";
compare("API key SHA-256", [
  ["createHash().update().digest()", () => void crypto.createHash("sha256").update(key).digest()],
  ["crypto.hash(…, 'buffer')", () => void crypto.hash("sha256", key, "buffer")],
]);

type Schema = typeof schemaModule;
const oldSchema = (await import(join(base, "gateway", "schema.js"))) as Schema;
const newSchema = (await import(join(here, "gateway", "schema.js"))) as Schema;
const tensors = [{ name: "features", type: "float32", dims: ["N", 4] as Array<number | string> }];
const profile = {
  columns: ["income", "debt", "age", "tenure"].map((name) => ({ name, kind: "numeric", min: 0, max: 1000 })),
} as unknown as Parameters<Schema["buildInputSchema"]>[2];
const body = { inputs: { features: [[78.76, 7.15, 39.94, 5.4]] } };
const body32 = { inputs: { features: Array.from({ length: 32 }, () => [78.76, 7.15, 39.94, 5.4]) } };
const s0 = oldSchema.buildInputSchema(tensors, {}, profile);
const s1 = newSchema.buildInputSchema(tensors, {}, profile);
compare("validateInput, 1 row", [
  ["session 10", () => void oldSchema.validateInput(s0, body)],
  ["this build", () => void newSchema.validateInput(s1, body)],
]);
compare("validateInput, 32 rows", [
  ["session 10", () => void oldSchema.validateInput(s0, body32)],
  ["this build", () => void newSchema.validateInput(s1, body32)],
]);

const oldEntry = (await import(join(base, "ledger", "entry.js"))) as typeof entry;
const newEntry = (await import(join(here, "ledger", "entry.js"))) as typeof entry;
const event = {
  kind: "gateway.decision",
  eventId: "gateway:019ac1e2-3f4a-7b2c-9d1e-0123456789ab",
  actor: "bench",
  time: "2026-11-26T20:00:00.000Z",
  subject: { name: "credit", sha256: "a".repeat(64) },
  data: { model: "credit", action: "infer", decision: "allow", status: 200, reason: "ok", policies: ["bench"], details: { via: "api-key" } },
};
let index = 0;
compare("ledger leaf (encodeEntry)", [
  ["session 10", () => void oldEntry.encodeEntry("rampart.local/bench", index++, event, "x")],
  ["this build", () => void newEntry.encodeEntry("rampart.local/bench", index++, event, "x")],
]);

console.log(`\nCPU ns per call, median and range over ${rounds} alternating rounds of ${calls} calls (${new Date().toISOString()}):`);
table(["step", "form", "ns/call (median)", "range"], rows);
