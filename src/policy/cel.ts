import { type CelEnv, type CelValue, celEnv, isCelError, parse, plan } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";

/** The names a gate expression may start from. Comprehension variables are added in scope. */
export const ROOTS = ["evidence", "params", "variables"] as const;

/** Type names usable as values, as in `type(x) == map`. */
const TYPE_NAMES = new Set(["bool", "int", "uint", "double", "string", "bytes", "list", "map", "null_type", "type"]);

let sharedEnv: CelEnv | undefined;
/** One environment for every gate: the CEL standard library plus the `strings` extension. */
export function gateEnv(): CelEnv {
  sharedEnv ??= celEnv({ funcs: strings });
  return sharedEnv;
}

/** A problem found before evaluation, at a 0-based offset into the expression text. */
export interface CelProblem {
  offset: number;
  message: string;
}

export interface CompiledExpression {
  source: string;
  /** Names after `variables.` that the expression reads. */
  variables: Set<string>;
  evaluate(bindings: Record<string, unknown>): { value: CelValue } | { error: string };
}

export interface CompileContext {
  /** Variables declared before this expression (a variable may only use earlier ones). */
  variables: ReadonlySet<string>;
  params: ReadonlySet<string>;
  /** What the expression must produce, when the caller knows. */
  expect?: "bool" | "string";
}

/**
 * Parses an expression and checks what can be checked without evidence: syntax, undeclared names,
 * unknown functions, and operator/type mismatches between statically typed operands. Returns the
 * problems (possibly several) or a planned, reusable evaluator.
 */
export function compileExpression(source: string, ctx: CompileContext): { problems: CelProblem[]; compiled?: CompiledExpression } {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(source);
  } catch (e) {
    return { problems: [syntaxProblem(source, e)] };
  }
  const positions: Record<string, number> = parsed.sourceInfo?.positions ?? {};
  const problems: CelProblem[] = [];
  const used = new Set<string>();
  const env = gateEnv();
  const at = (id: bigint) => positions[id.toString()] ?? 0;

  // Static types we can be sure of; "dyn" means "only known at run time".
  type T = "bool" | "int" | "uint" | "double" | "string" | "bytes" | "null" | "list" | "map" | "dyn";
  const numeric = (t: T) => t === "int" || t === "uint" || t === "double";

  function visit(e: Expr, scope: ReadonlySet<string>): T {
    const k = e.exprKind;
    switch (k.case) {
      case "constExpr": {
        const c = k.value.constantKind.case;
        if (c === "boolValue") return "bool";
        if (c === "int64Value") return "int";
        if (c === "uint64Value") return "uint";
        if (c === "doubleValue") return "double";
        if (c === "stringValue") return "string";
        if (c === "bytesValue") return "bytes";
        if (c === "nullValue") return "null";
        return "dyn";
      }
      case "identExpr": {
        const name = k.value.name;
        if (!scope.has(name) && !(ROOTS as readonly string[]).includes(name) && !TYPE_NAMES.has(name))
          problems.push({ offset: at(e.id), message: `undeclared reference to '${name}' (expressions start from ${ROOTS.join(", ")})` });
        return "dyn";
      }
      case "selectExpr": {
        const op = k.value.operand;
        if (op?.exprKind.case === "identExpr" && !scope.has(op.exprKind.value.name)) {
          const root = op.exprKind.value.name;
          const field = k.value.field;
          if (root === "variables") {
            used.add(field);
            if (!ctx.variables.has(field))
              problems.push({ offset: at(e.id), message: `unknown variable '${field}' (declared before this point: ${[...ctx.variables].join(", ") || "none"})` });
            return "dyn";
          }
          if (root === "params" && !ctx.params.has(field)) {
            problems.push({ offset: at(e.id), message: `unknown parameter '${field}' (spec.params declares: ${[...ctx.params].join(", ") || "none"})` });
            return "dyn";
          }
        }
        if (op) visit(op, scope);
        return k.value.testOnly ? "bool" : "dyn";
      }
      case "callExpr": {
        const fn = k.value.function;
        const argTypes = k.value.args.map((a) => visit(a, scope));
        if (k.value.target) visit(k.value.target, scope);
        return callType(fn, argTypes, e);
      }
      case "listExpr":
        for (const el of k.value.elements) visit(el, scope);
        return "list";
      case "structExpr":
        for (const entry of k.value.entries) {
          if (entry.keyKind.case === "mapKey") visit(entry.keyKind.value, scope);
          if (entry.value) visit(entry.value, scope);
        }
        return k.value.messageName ? "dyn" : "map";
      case "comprehensionExpr": {
        const c = k.value;
        if (c.iterRange) visit(c.iterRange, scope);
        if (c.accuInit) visit(c.accuInit, scope);
        const inner = new Set([...scope, c.iterVar, c.accuVar, ...(c.iterVar2 ? [c.iterVar2] : [])]);
        if (c.loopCondition) visit(c.loopCondition, inner);
        if (c.loopStep) visit(c.loopStep, inner);
        const withAccu = new Set([...scope, c.accuVar]);
        return c.result ? visit(c.result, withAccu) : "dyn";
      }
      default:
        return "dyn";
    }
  }

  function callType(fn: string, args: T[], e: Expr): T {
    const mismatch = () => {
      problems.push({ offset: at(e.id), message: `found no matching overload for '${fn}' applied to (${args.join(", ")})` });
      return "dyn" as T;
    };
    const known = args.every((t) => t !== "dyn");
    switch (fn) {
      case "_&&_":
      case "_||_":
        if (args.some((t) => t !== "dyn" && t !== "bool")) return mismatch();
        return "bool";
      case "!_":
        if (known && args[0] !== "bool") return mismatch();
        return "bool";
      case "_==_":
      case "_!=_":
        return "bool";
      case "_<_":
      case "_<=_":
      case "_>_":
      case "_>=_":
        if (known && args[0] !== args[1] && !(numeric(args[0]!) && numeric(args[1]!))) return mismatch();
        if (known && (args[0] === "list" || args[0] === "map" || args[0] === "null")) return mismatch();
        return "bool";
      case "_+_":
        if (known && args[0] !== args[1]) return mismatch();
        return known ? args[0]! : "dyn";
      case "_-_":
      case "_*_":
      case "_/_":
      case "_%_":
        // CEL has no implicit int/double conversion in arithmetic: 1 * 0.5 is an error.
        if (known && (args[0] !== args[1] || !numeric(args[0]!))) return mismatch();
        return known ? args[0]! : "dyn";
      case "-_":
        if (known && !numeric(args[0]!)) return mismatch();
        return args[0] ?? "dyn";
      case "_?_:_":
        if (args[0] !== "dyn" && args[0] !== "bool") return mismatch();
        return args[1] === args[2] ? args[1]! : "dyn";
      case "_[_]":
      case "_[?_]":
        return "dyn";
      case "@in":
        return "bool";
      case "size":
        return "int";
      case "int":
        return "int";
      case "uint":
        return "uint";
      case "double":
        return "double";
      case "string":
        return "string";
      case "bool":
        return "bool";
      case "startsWith":
      case "endsWith":
      case "contains":
      case "matches":
        return "bool";
      case "@not_strictly_false":
        return "bool";
      default:
        if (!env.funcs.find(fn)) problems.push({ offset: at(e.id), message: `unknown function '${fn}'` });
        return "dyn";
    }
  }

  const type = visit(parsed.expr, new Set());
  if (ctx.expect && type !== "dyn" && type !== ctx.expect)
    problems.push({
      offset: 0,
      message: `expression must evaluate to ${ctx.expect}, but it is ${type === "int" || type === "double" || type === "uint" ? `a number (${type})` : type}`,
    });
  if (problems.length > 0) return { problems };
  const program = plan(env, parsed);
  return {
    problems,
    compiled: {
      source,
      variables: used,
      evaluate(bindings) {
        let value: unknown;
        try {
          value = program(bindings as never);
        } catch (e) {
          return { error: e instanceof Error ? e.message : String(e) };
        }
        if (isCelError(value)) return { error: value.message };
        return { value: value as CelValue };
      },
    },
  };
}

type Expr = ReturnType<typeof parse>["expr"];

function syntaxProblem(source: string, e: unknown): CelProblem {
  const err = e as { rawMessage?: string; message?: string; location?: { start?: { offset?: number } } };
  const offset = Math.min(err.location?.start?.offset ?? 0, Math.max(0, source.length));
  const message = (err.rawMessage ?? err.message ?? String(e)).replace(/^<input>:\d+:\d+:\s*/, "");
  return { offset, message: `syntax error: ${message}` };
}
