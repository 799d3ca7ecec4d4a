// The core barrel would load zod, yaml and the renderers: the scanner takes only what it uses.
import { tag } from "../../../core/tags.js";
import { reportCodeText } from "../codetext.js";
import { BufferSource } from "../source.js";
import type { AnalyzerInput, Deadline, Report } from "../types.js";
import { classifyInRuns } from "./getters.js";
import { isPyPath, isUnvettedFunction } from "./policy.js";
import { type PickleRun, runPickle } from "./vm.js";

/** Legacy torch files begin with a pickle of this number (torch/serialization.py MAGIC_NUMBER). */
const TORCH_LEGACY_MAGIC = Number(0x1950a86a20f9469cfc6cn);

/** Opcodes that call their callable itself (NEWOBJ calls `cls.__new__`, which a function does not have). */
const CALLING_OPCODES = new Set(["REDUCE", "OBJ", "INST"]);

const TAGS = [tag.cwe(502), tag.owaspMl("ML06"), tag.atlas("AML.T0010.003"), tag.owaspLlm("LLM03")];
const REMEDIATION =
  "Do not load this file with pickle/torch.load/joblib.load. Obtain the model in a format that holds no code (safetensors, ONNX), or load with torch.load(weights_only=True) after review.";

export interface PickleSummary {
  pickles: number;
  imports: number;
  calls: number;
  legacyTorch: boolean;
  /** Bytes of the content the pickles covered. */
  end: number;
  broken: boolean;
}

/** True when the bytes at `pos` plausibly start a pickle (protocol 2+ header). */
export function startsLikePickle(buf: Uint8Array, pos = 0): boolean {
  return buf[pos] === 0x80 && buf[pos + 1] !== undefined && buf[pos + 1]! >= 2 && buf[pos + 1]! <= 5 && buf.length > pos + 2;
}

/** Opcodes a protocol 0/1 pickle may begin with. */
const P0_STARTS = new Set([0x28, 0x63, 0x5d, 0x7d, 0x29, 0x4e, 0x49, 0x4a, 0x4b, 0x4d, 0x53, 0x56, 0x58, 0x55, 0x54, 0x6c, 0x64, 0x69, 0x8c, 0x47, 0x46, 0x4c]);
export function mayBeProtocol0(buf: Uint8Array): boolean {
  return buf.length > 1 && P0_STARTS.has(buf[0]!);
}

/**
 * Runs every pickle in `buf` (concatenated pickles are all followed; legacy torch stops after its
 * five) and reports what a load would import and call. `base` is where `buf` sits in the content.
 */
export interface PickleRuns extends PickleSummary {
  runs: PickleRun[];
  truncated: boolean;
  trailing: number;
}

/** Runs every pickle in `buf`: concatenated pickles are all followed; legacy torch stops after its five. */
export function runPickles(buf: Uint8Array, maxOpcodes: number, deadline?: Deadline, maxMemoryBytes?: number): PickleRuns {
  const runs: PickleRun[] = [];
  let pos = 0;
  let legacy = false;
  let trailing = 0;
  while (pos < buf.length) {
    const run = runPickle(buf, pos, { joblib: true, maxOpcodes, deadline, maxMemoryBytes });
    runs.push(run);
    if (run.error) break;
    pos = run.end;
    if (runs.length === 1 && run.result?.t === "int" && run.result.v === TORCH_LEGACY_MAGIC) legacy = true;
    if (legacy && runs.length >= 5) break; // raw storages follow
    if (pos < buf.length && !startsLikePickle(buf, pos)) {
      trailing = buf.length - pos;
      break;
    }
  }
  const last = runs[runs.length - 1];
  return {
    pickles: runs.filter((r) => !r.error).length,
    imports: runs.reduce((a, r) => a + r.imports.length, 0),
    calls: runs.reduce((a, r) => a + r.calls.length, 0),
    legacyTorch: legacy,
    end: pos,
    broken: Boolean(last?.error),
    runs,
    truncated: Boolean(last?.error && /truncated|past the end/.test(last.error.message)),
    trailing,
  };
}

/**
 * Reports what a load of `buf` would import and call. `base` is where `buf` sits in the content;
 * with `requireEvidence`, a stream that neither parsed nor imported anything is not called a pickle.
 */
export async function analyzePickleBytes(
  buf: Uint8Array,
  input: AnalyzerInput,
  options: { base?: number; requireEvidence?: boolean; context?: string; runs?: PickleRuns } = {},
): Promise<PickleRuns> {
  const base = options.base ?? 0;
  const summary = options.runs ?? runPickles(buf, input.limits.maxOpcodes, input.deadline, input.limits.maxPickleMemoryBytes);
  const { runs, legacyTorch: legacy, trailing } = summary;
  // A protocol 0/1 guess (text that happens to start with an opcode letter, like TorchScript's
  // `class …` source) is a pickle only if it parses or imports something with a real Python name.
  const realImports = runs.reduce((a, r) => a + r.imports.filter((i) => i.dynamic || (isPyPath(i.module) && isPyPath(i.name))).length, 0);
  if (options.requireEvidence && summary.broken && summary.pickles === 0 && realImports === 0) return summary;
  input.note(legacy ? "pytorch-legacy" : "pickle");
  reportRuns(runs, input, base, options.context);
  if (trailing > 0 && !legacy)
    input.report({
      ruleId: "model.pickle.trailing-data",
      severity: "low",
      message: `${trailing} bytes follow the last pickle's STOP and are not a pickle; a loader ignores them, another tool may not`,
      offset: base + summary.end,
      length: trailing,
    });
  // Code written as data: reported once per pickle stream, low (a load does not run it).
  const coded = runs.filter((r) => r.codeText);
  if (coded.length > 0) {
    const first = coded[0]!.codeText!;
    const count = coded.reduce((a, r) => a + r.codeText!.count, 0);
    reportCodeText(
      input,
      `a string literal of the pickle${options.context ? ` ${options.context}` : ""}${count > 1 ? ` (and ${count - 1} more)` : ""}`,
      first.hit,
      base + first.offset,
    );
  }
  for (const run of runs)
    for (const nested of run.nested) {
      await input.scanNested(new BufferSource(buf.subarray(nested.offset, nested.offset + nested.length)), `@${base + nested.offset}(bytes passed to ${nested.callee})`);
    }
  return summary;
}

function reportRuns(runs: PickleRun[], input: AnalyzerInput, base: number, context?: string): void {
  const where = context ? ` ${context}` : "";
  const seen = new Map<string, { count: number; first: number; opcode: string }>();
  const called = new Map<string, { offset: number; opcode: string; args: string }>();
  for (const run of runs) {
    for (const c of run.calls) if (c.global && !called.has(`${c.global.module}.${c.global.name}`)) called.set(`${c.global.module}.${c.global.name}`, c);
    for (const imp of run.imports) {
      const key = `${imp.module}\0${imp.name}\0${imp.dynamic}`;
      const s = seen.get(key);
      if (s) s.count++;
      else seen.set(key, { count: 1, first: imp.offset, opcode: imp.opcode });
    }
  }
  for (const [key, s] of seen) {
    const [module, name, dyn] = key.split("\0") as [string, string, string];
    const dynamic = dyn === "true";
    const verdict = classifyInRuns(module, name, dynamic, runs);
    if (verdict.kind === "safe") continue;
    const full = `${module}.${name}`;
    const call = called.get(full);
    const action = call ? `imported and called (${call.opcode} at offset ${base + call.offset}${call.args ? ` with ${call.args.slice(0, 160)}` : ""})` : "imported";
    const evidence: Record<string, unknown> = { callable: full, opcode: s.opcode, importedAt: base + s.first, count: s.count };
    if (call) Object.assign(evidence, { calledAt: base + call.offset, callOpcode: call.opcode, args: call.args.slice(0, 500) });
    if (verdict.kind === "data")
      input.report({
        ruleId: "model.pickle.dual-use-global",
        severity: "low",
        message: `${full} ${action}${where}: ${verdict.why}`,
        offset: base + s.first,
        entity: full,
        evidence: { ...evidence, why: verdict.why },
        tags: TAGS,
      });
    else if (verdict.kind === "dangerous")
      input.report({
        ruleId: dynamic ? "model.pickle.dynamic-import" : "model.pickle.dangerous-global",
        severity: verdict.severity,
        message: `${full} ${action}${where}: ${verdict.why}`,
        offset: base + s.first,
        entity: full,
        evidence: { ...evidence, why: verdict.why },
        remediation: REMEDIATION,
        tags: TAGS,
      });
    else if (call && CALLING_OPCODES.has(call.opcode) && isUnvettedFunction(module, name))
      input.report({
        ruleId: "model.pickle.unknown-call",
        severity: "high",
        message: `${full} ${action}${where}: a function no allow-list knows, called while the file loads: code runs on load`,
        offset: base + s.first,
        entity: full,
        evidence: { ...evidence, why: "unknown function called at load time" },
        remediation: REMEDIATION,
        tags: TAGS,
      });
    else
      input.report({
        ruleId: "model.pickle.unknown-global",
        severity: "medium",
        message: `${full} ${action}${where}: ${verdict.why}; review that it is benign before loading`,
        offset: base + s.first,
        entity: full,
        evidence,
        remediation: "Confirm the class is expected (your own model classes) or load only tensors (weights_only=True, safetensors).",
        tags: TAGS,
      });
  }
  const computed = runs.flatMap((r) => r.calls.filter((c) => c.computed && !c.global));
  if (computed.length > 0) {
    const c = computed[0]!;
    input.report({
      ruleId: "model.pickle.computed-call",
      severity: "high",
      message: `calls a callable produced at load time (${c.callee}, ${c.opcode} at offset ${base + c.offset})${where}: a gadget chain, not plain data`,
      offset: base + c.offset,
      entity: c.callee,
      evidence: { count: computed.length, opcode: c.opcode, args: c.args.slice(0, 500) },
      remediation: REMEDIATION,
      tags: TAGS,
    });
  }
  for (const run of runs)
    for (const o of run.oddities) {
      if (o.kind === "dotted-name") continue; // classified with the global itself
      const severity = o.kind === "ext" || o.kind === "build-on-global" || o.kind === "frame-straddle" ? "high" : "medium";
      input.report({
        ruleId: `model.pickle.${o.kind}`,
        severity,
        message:
          o.kind === "ext"
            ? `EXT opcode (${o.detail}) imports a callable through the copyreg extension registry, invisible to name-based checks${where}`
            : o.kind === "build-on-global"
              ? `${o.detail}: patches a class or function at load time${where}`
              : `${o.detail}${where}`,
        offset: base + o.offset,
        tags: TAGS,
      });
    }
  for (const run of runs) {
    const b = run.budget;
    if (!b) continue;
    const mib = Math.round(b.limit / 1048576);
    input.report({
      ruleId: "model.pickle.budget",
      // High when something a load would import or call after the crossing could not be named: a
      // payload may hide behind the padding that used up the budget.
      severity: b.unnamed > 0 ? "high" : "medium",
      message: `pickle exceeds the analysis budget of ${mib} MiB at offset ${base + b.offset}${where}: the symbolic machine dropped its stack and containers (${b.resets} time(s)) and went on in bounded mode; imports and calls named by literals are still checked${
        b.unnamed > 0 ? `, ${b.unnamed} import(s) or call(s) after that point could not be named` : ""
      }`,
      offset: base + b.offset,
      evidence: { budgetBytes: b.limit, resets: b.resets, unnamed: b.unnamed },
      tags: TAGS,
    });
  }
  const last = runs[runs.length - 1];
  // A run stopped by the clock is not a broken pickle: the walker reports the file's timeout.
  if (last?.error && !last.timedOut) {
    const done = runs.flatMap((r) => r.calls);
    const risky = done.filter((c) => {
      if (c.computed || !c.global) return true;
      const kind = classifyInRuns(c.global.module, c.global.name, false, runs).kind;
      return kind !== "safe" && kind !== "data";
    });
    if (done.length > 0)
      input.report({
        ruleId: "model.pickle.broken-after-call",
        severity: risky.length > 0 ? "high" : "medium",
        message: `pickle breaks at offset ${base + last.error.offset} (${last.error.message}) after ${done.length} call(s) a load would already have run: ${[
          ...new Set(done.map((c) => c.callee)),
        ]
          .slice(0, 6)
          .join(", ")}${where}`,
        offset: base + last.error.offset,
        evidence: {
          error: last.error.message,
          calls: done.slice(0, 20).map((c) => ({ callable: c.callee, opcode: c.opcode, offset: base + c.offset, args: c.args.slice(0, 200) })),
        },
        remediation: REMEDIATION,
        tags: TAGS,
      });
    else
      input.report({
        ruleId: "model.pickle.malformed",
        severity: "medium",
        message: `not a valid pickle: ${last.error.message} at offset ${base + last.error.offset}${where}; a file that cannot be analysed is not a clean file`,
        offset: base + last.error.offset,
        evidence: { error: last.error.message, importsBeforeError: runs.reduce((a, r) => a + r.imports.length, 0) },
      });
  }
}

export type { Report };
