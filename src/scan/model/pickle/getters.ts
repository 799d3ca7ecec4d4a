/**
 * `operator.attrgetter`, `methodcaller` and `itemgetter` are dual-use: scikit-learn and pandas pickles hold them as
 * data (a sort key, a column accessor), and gadget chains use them to reach `__globals__` or call `system`. A getter
 * does nothing until it is called on an object, so it is judged by the names it is built with and by what the
 * pickle does with it, not by its import alone.
 */
import { classifyGlobal, DANGEROUS_NAMES, DENY_MODULES, type Verdict } from "./policy.js";
import { isOperatorGetter, type PickleRun } from "./vm.js";

/**
 * Names that reach code or the interpreter's internals when a getter resolves them, besides every dunder and the
 * policy's dangerous attribute names: frame and function internals, and methods that run a command
 * (`subprocess.run`/`call` through methodcaller).
 */
const REACHES = new Set([
  "run",
  "call",
  "f_globals",
  "f_locals",
  "f_builtins",
  "f_back",
  "gi_frame",
  "gi_code",
  "cr_frame",
  "ag_frame",
  "tb_frame",
  "func_globals",
  "func_code",
  "im_func",
  "im_self",
  "modules",
]);

/** A name as the message shows it: quoted, at most 80 characters (a hostile name can be megabytes long). */
const shown = (s: string | number): string => (typeof s === "string" && s.length > 80 ? `${JSON.stringify(s.slice(0, 80))}…` : JSON.stringify(s));

/** Why a getter name is dangerous, or undefined when it is an ordinary attribute, method or key. */
export function dangerousGetterName(getter: string, name: string | number | null): string | undefined {
  if (name === null) return "a name computed at load time";
  if (typeof name === "number") return undefined;
  // attrgetter resolves dotted paths segment by segment; a method or key name is one segment.
  const segments = getter.endsWith("attrgetter") ? name.split(".", 64) : [name];
  for (const seg of segments) {
    if (seg.length > 4 && seg.startsWith("__") && seg.endsWith("__")) return `${shown(seg)} (interpreter internals)`;
    if (DANGEROUS_NAMES.has(seg) || REACHES.has(seg)) return `${shown(seg)} (runs code or reaches it)`;
    if (DENY_MODULES.has(seg)) return `${shown(seg)} (a module that runs commands or code)`;
  }
  return undefined;
}

/**
 * The verdict on one imported getter (`module.name`) from every use the runs recorded: high with a dangerous or
 * computed name, when a getter is applied, or when it is handed to a call that is not a plain data constructor;
 * otherwise low (data).
 */
export function judgeGetter(module: string, name: string, runs: readonly PickleRun[]): { severity: "high" | "low"; why: string } {
  const full = `${module}.${name}`;
  const built: string[] = [];
  for (const run of runs) {
    for (const g of run.getters ?? []) {
      if (g.use === "applied") return { severity: "high", why: `a getter is called on an object at load time (offset ${g.offset}): a gadget chain` };
      if (g.use === "handed" && g.getter === full) {
        const to = g.toGlobal;
        if (!to || classifyGlobal(to.module, to.name, to.dynamic).kind !== "safe")
          return { severity: "high", why: `the getter is passed to ${g.to} (offset ${g.offset}), which can call it` };
        continue;
      }
      if (g.use !== "built" || g.getter !== full) continue;
      for (const n of g.names ?? []) {
        const bad = dangerousGetterName(name, n);
        if (bad) return { severity: "high", why: `built with ${bad} (offset ${g.offset}): calling it reaches code` };
        if (built.length < 4) built.push(shown(n ?? "?"));
      }
    }
  }
  return {
    severity: "low",
    why: `${built.length > 0 ? `built with ${built.join(", ")}: ` : ""}a getter object kept as data (scikit-learn and pandas pickles hold them); nothing in the pickle applies it to an object, and its names reach no code`,
  };
}

/** `classifyGlobal`, except that operator getters are judged by their use in these runs. */
export function classifyInRuns(module: string, name: string, dynamic: boolean, runs: readonly PickleRun[]): Verdict | { kind: "data"; why: string } {
  const verdict = classifyGlobal(module, name, dynamic);
  if (dynamic || verdict.kind !== "dangerous") return verdict;
  if (!isOperatorGetter(module, name)) return verdict;
  const g = judgeGetter(module, name, runs);
  return g.severity === "high" ? { kind: "dangerous", severity: "high", why: `${module}: ${g.why}` } : { kind: "data", why: g.why };
}
