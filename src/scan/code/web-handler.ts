/**
 * Web handlers and what they send back (session 24, CWE-209/215): which functions answer a request, and which
 * expressions in them carry a stack trace, the program's variables or a caught exception's text.
 */
import type { SyntaxNode as Node } from "./syntax.js";

/** A route decorator of Flask, FastAPI, Starlette, Quart, Sanic, Bottle, aiohttp or Django REST framework. */
const ROUTE_DECORATOR = /^@\s*(?:[\w.]+\.(?:route|get|post|put|delete|patch|api_route|websocket|view)\s*\(|(?:api_view|route|get|post|put|delete|patch)\s*\()/;
/** Methods of class-based views and http.server handlers that answer a request. */
const HANDLER_METHOD = /^(?:do_(?:GET|POST|PUT|DELETE|PATCH|HEAD)|get|post|put|delete|patch|dispatch)$/;
/** Bases of class-based views and request handlers (Django, Flask MethodView, Tornado, http.server). */
const HANDLER_BASE = /(?:View|ViewSet|RequestHandler|HTTPEndpoint|Resource)\b/;

/** Calls whose arguments become the response body or the page (the last part of the name). */
export const RESPONSE_CALLS =
  /^(?:render_template|render_template_string|render|render_to_response|render_to_string|jsonify|make_response|HttpResponse\w*|JsonResponse|JSONResponse|HTMLResponse|PlainTextResponse|Response|HTTPException|abort|json_response|send_error)$/;

/** Traceback and interpreter-state calls whose result describes the program's insides. */
const TRACE_CALLS = /^(?:traceback\.(?:format_exc|format_exception|format_exception_only|format_tb|format_stack|extract_tb|extract_stack)|sys\.exc_info)$/;

/** Whether a function answers web requests: a route decorator, a Django view, or a view or handler method. */
export function isWebHandler(def: Node, django: boolean): boolean {
  const decorated = def.parent?.type === "decorated_definition" ? def.parent : undefined;
  if (decorated?.namedChildren.some((d) => d?.type === "decorator" && ROUTE_DECORATOR.test(d.text))) return true;
  const holder = decorated ? decorated.parent : def.parent;
  const name = def.childForFieldName("name")?.text ?? "";
  const params = (def.childForFieldName("parameters")?.namedChildren ?? []).filter((p): p is Node => !!p && p.type !== "comment");
  const paramName = (p: Node | undefined) => (p?.type === "identifier" ? p.text : p?.namedChildren.find((c) => c?.type === "identifier")?.text);
  if (holder?.type === "module") return django && paramName(params[0]) === "request";
  const cls = holder?.type === "block" ? holder.parent : undefined;
  if (cls?.type !== "class_definition" || !HANDLER_METHOD.test(name)) return false;
  if (name.startsWith("do_")) return true;
  return HANDLER_BASE.test(cls.childForFieldName("superclasses")?.text ?? "");
}

/**
 * What an expression exposes, if anything: a traceback or `sys.exc_info()`, `locals()`/`vars()`/`x.__dict__`
 * (medium), or a caught exception's text (`str(e)`, `repr(e)`, `f"{e}"`, `e.args`; low: often a validation
 * message, sometimes a database error with the query). `qualify` resolves call names (`tb.format_exc` → traceback…).
 * `names` holds names assigned an exposure earlier in the handler.
 */
export function exposureIn(expr: Node, caught: ReadonlySet<string>, names: ReadonlyMap<string, Exposure>, qualify: (n: Node) => string): Exposure | undefined {
  let low: Exposure | undefined;
  for (const d of [expr, ...expr.descendantsOfType(["call", "attribute", "identifier"])]) {
    if (!d || !carried(d, expr)) continue;
    if (d.type === "call") {
      const fn = d.childForFieldName("function");
      if (fn?.type === "identifier" && (fn.text === "locals" || fn.text === "vars")) {
        // handed to a template as its context (`**locals()`, `render(request, t, locals())`): the template picks what
        // to show (low); returned or serialised whole: medium.
        return { what: `${fn.text}()`, severity: templateContext(d) ? "low" : "medium", state: true };
      }
      if (fn && (fn.type === "attribute" || fn.type === "identifier") && TRACE_CALLS.test(qualify(fn))) return { what: `${qualify(fn)}()`, severity: "medium" };
    } else if (d.type === "attribute") {
      if (d.childForFieldName("attribute")?.text === "__dict__") return { what: d.text, severity: templateContext(d) ? "low" : "medium", state: true };
    } else if (d.type === "identifier") {
      const held = names.get(d.text);
      if (held && d.parent?.type !== "keyword_argument") {
        if (held.severity === "medium") return held.state && templateContext(d) ? { ...held, severity: "low" } : held;
        low ??= held;
      }
      if (caught.has(d.text) && exceptionText(d)) low ??= { what: `the caught exception ${d.text}`, severity: "low" };
    }
  }
  return low;
}

export interface Exposure {
  what: string;
  severity: "medium" | "low";
  /** locals()/vars()/__dict__: the program's state (a template given it as context shows only what it names). */
  state?: true;
}

/** Whether a value is handed to a template as its context: `render(request, t, x)`, `render_template(t, **x)`. */
function templateContext(d: Node): boolean {
  const holder = d.parent?.type === "dictionary_splat" ? d.parent.parent : d.parent;
  const call = holder?.type === "argument_list" ? holder.parent?.childForFieldName("function") : undefined;
  return !!call && /(?:^|\.)(?:render\w*|TemplateResponse)$/.test(call.text);
}

/** Whether a use of a caught exception's name gives its text: `str(e)`, `repr(e)`, `f"{e}"`, `"%s" % e`, `e.args`, or `e` itself as a value. */
function exceptionText(id: Node): boolean {
  const p = id.parent;
  if (!p) return false;
  if (p.type === "attribute") return /^(?:args|message|msg|detail|strerror)$/.test(p.childForFieldName("attribute")?.text ?? "");
  if (p.type === "keyword_argument") return p.childForFieldName("value")?.id === id.id;
  if (p.type === "argument_list") {
    const call = p.parent;
    const fn = call?.childForFieldName("function")?.text ?? "";
    // type(e), isinstance(e, …), getattr(e, "code") say what kind of error it was, not what it holds
    return !/^(?:type|isinstance|getattr|hasattr|id|len)$/.test(fn);
  }
  return (
    p.type === "interpolation" ||
    p.type === "binary_operator" ||
    p.type === "pair" ||
    p.type === "return_statement" ||
    p.type === "expression_list" ||
    p.type === "list" ||
    p.type === "tuple"
  );
}

/** Calls whose result carries their argument's text on: string conversion, formatting, serialising, responding. */
const CARRIERS = /^(?:str|repr|format|dict|list|tuple|f|json\.dumps|dumps|jsonify|escape|Markup|\w*\.(?:format|join|encode|decode|dumps|strip|replace))$/;

/**
 * Whether a node's value reaches the expression's value: every call between them carries its arguments on
 * (`str(x)`, `jsonify(x)`, `json.dumps(x)`, a response class), so `return helper(e)` — whose result is unknown — is not.
 */
function carried(d: Node, top: Node): boolean {
  for (let p = d.parent; p && p.id !== top.id; p = p.parent) {
    if (p.type !== "argument_list") continue;
    const fn = p.parent?.childForFieldName("function");
    const name = fn?.type === "attribute" ? (fn.childForFieldName("attribute")?.text ?? "") : (fn?.text ?? "");
    if (!fn || !(CARRIERS.test(fn.text) || RESPONSE_CALLS.test(name))) return false;
  }
  return true;
}
