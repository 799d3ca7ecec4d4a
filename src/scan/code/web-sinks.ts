/**
 * Web-facing injection sinks (session 25): open redirects (CWE-601), server-side request forgery (CWE-918),
 * cross-site scripting (CWE-79), LDAP (CWE-90) and XPath (CWE-643) injection. The analyser's taint state decides
 * what is request input; this module knows the sinks, what cleans a value for each, and the checks that guard one.
 */

import type { Severity } from "../../core/index.js";
import { EnclosingDefs } from "./enclosing.js";
import type { SyntaxNode as Node } from "./syntax.js";
import { type TemplateLookup, unescapedPrint } from "./templates.js";

export type WebRuleKey = "openRedirect" | "ssrf" | "xss" | "ldapInjection" | "xpathInjection" | "insecureCookie";

/** What the analyser lends this module: its taint test, its name resolution and its report. */
export interface WebSinkHost {
  isTainted(n: Node | null | undefined): boolean;
  qualify(n: Node | null | undefined): string;
  hit(key: WebRuleKey, n: Node, message: string, symbol: string, severity?: Severity): void;
  /** The values stored from input in a dict or ConfigParser of that name (`d["k"] = param`), as the analyser tracks them. */
  inputEntries(name: string): Node[];
  /** Some dict or ConfigParser of the file holds input now (only then is `inputEntries` asked). */
  containersHoldInput(): boolean;
  imported: ReadonlySet<string>;
  /** The file's text (a `template_folder=`, autoescape turned off), and its template files when the scan can read them. */
  source(): string;
  templates(): TemplateLookup | undefined;
}

/** Last names of calls that can be one of the sinks below (a cheap test before anything is resolved). */
export const WEB_SINK_NAMES =
  /^(?:redirect|HttpResponseRedirect|HttpResponsePermanentRedirect|RedirectResponse|HTTPFound|HTTPSeeOther|HTTPMovedPermanently|HTTPTemporaryRedirect|get|post|put|patch|delete|head|options|request|urlopen|Request|urlretrieve|stream|HTTPConnection|HTTPSConnection|Markup|mark_safe|SafeString|format_html|make_response|HttpResponse|HTMLResponse|HTTPResponse|Response|response_class|write|search|search_s|search_st|search_ext|search_ext_s|paged_search|xpath|XPath|XPathEvaluator|find|findall|findtext|iterfind|evaluate|select|iter_select|Selector|set_cookie|render_template|markdown|caption)$/;

/**
 * Calls whose result is safe to place in HTML (the framework's or the standard library's escapers, a sanitiser:
 * bleach's `clean`, lxml's `clean_html`, html-sanitizer's `Sanitizer().sanitize` (session 30)).
 */
const HTML_CLEAN =
  /^(?:escape|escape_for_html|conditional_escape|quote|quote_plus|urlencode|clean|clean_html|sanitize|linkify|strip_tags|escapejs|json_script|dumps|int|float|bool|len|abs|round|hash|id|url_for|reverse)$/;
/** Calls whose result cannot redirect elsewhere or name another host: a route's URL, a number. */
const URL_CLEAN = /^(?:url_for|reverse|reverse_lazy|resolve_url|int|float|bool|len|quote|quote_plus|urlencode)$/;
/** LDAP filter and DN escapers (ldap3.utils.conv, python-ldap's ldap.filter / ldap.dn), and filter_format. */
const LDAP_CLEAN = /^(?:escape_filter_chars|escape_bytes|filter_format|escape_dn_chars|escape_rdn|int|float|len)$/;
/** A checked-out-of-band value: XPath has no standard escaper, so only numbers are clean. */
const XPATH_CLEAN = /^(?:int|float|len|bool)$/;

/** Expressions whose value is made of their parts' text. */
const COMPOSITE = new Set(["string", "binary_operator", "concatenated_string", "parenthesized_expression", "tuple", "list", "expression_list", "boolean_operator"]);

/** A helper named as cleaning or checking its argument (`sanitize_html(x)`, `make_safe(x)`, `clean_url(x)`). */
const SANITISER_NAME = /(?:^|_)(?:safe|sanitiz|sanitis|clean|escape|valid)/i;

/** A test that rejects quotes or keeps only word characters (`if "'" in name:`, `name.isalnum()`, `re.fullmatch(r"\w+", name)`). */
const QUOTE_CHECK = /(?:["']\\?['"]["']|"'"|'"')\s+(?:not\s+)?in\b|\.(?:isalnum|isdigit|isalpha|isnumeric|isidentifier|isdecimal)\(|\bre\.(?:fullmatch|match)\(/;

/**
 * A check of where a URL leads, written before the sink in its function: the host or scheme compared
 * (`urlparse(u).netloc`, `.hostname`, `.scheme`; session 29: furl's, yarl's and httpx's `.host`), Django's `url_has_allowed_host_and_scheme`/`is_safe_url`,
 * a helper named as such a check, a relative-path test (`u.startswith("/")`), or an allow-list by name.
 */
const URL_CHECK =
  /\.host\b|\b(?:netloc|hostname|url_has_allowed_host_and_scheme|is_safe_url|is_safe_redirect\w*|is_(?:safe|allowed|valid|trusted)_(?:url|host|domain|redirect|target)\w*|(?:check|validate|verify)_(?:url|host|domain|redirect)\w*)\b|\.startswith\(|\b(?:ALLOWED|allowed|WHITELIST|whitelist|ALLOWLIST|allowlist|TRUSTED|trusted|SAFE|safe)_?\w*\b/;

/** The HTTP client calls whose URL is fetched (qualified names), and where the URL is. */
const HTTP_CLIENT =
  /^(?:requests|httpx|urllib3|aiohttp|niquests)(?:\.\w+(?:\(\))?)*\.(?:get|post|put|patch|delete|head|options|request|stream)$|^(?:urllib\.request|urllib2|urllib|six\.moves\.urllib\.request)\.(?:urlopen|Request|urlretrieve)$/;

export class WebSinks {
  /** Per function (by start): name → its assignments' right sides in source order, each with how it assigns. */
  private readonly assigned = new Map<number, Map<string, Assigned[]>>();
  /** Per function (by start) and check: where the first condition matching it starts (Infinity: none). */
  private readonly checks = new Map<string, number>();
  /** `check:function` → whether that function of the file is a validator making the check (verdictChecked). */
  private readonly validators = new Map<string, boolean>();
  /** Per function (by start) and check: names holding that check's verdict → where first assigned (verdictChecked). */
  private readonly verdicts = new Map<string, Map<string, number>>();
  /** The file's function definitions, and the starts of the route handlers among them (both read once). */
  private defs: EnclosingDefs | undefined;
  private routes: Set<number> | undefined;
  /** Nodes one sink's `dirty` test may still visit (bounds the walk through names on any input). */
  private budget = 0;

  constructor(private readonly host: WebSinkHost) {}

  /** A call that may be a sink: `last` is its function's last name. */
  call(n: Node, fn: Node, last: string): void {
    switch (last) {
      case "redirect":
      case "HttpResponseRedirect":
      case "HttpResponsePermanentRedirect":
      case "RedirectResponse":
      case "HTTPFound":
      case "HTTPSeeOther":
      case "HTTPMovedPermanently":
      case "HTTPTemporaryRedirect":
        this.redirect(n, fn, last);
        return;
      case "Markup":
      case "mark_safe":
      case "SafeString":
      case "format_html":
        this.markedSafe(n, fn, last);
        return;
      case "HTTPConnection":
      case "HTTPSConnection":
        this.connection(n, fn, last);
        return;
      case "markdown":
      case "caption":
        this.streamlitHtml(n, fn, last);
        return;
      case "make_response":
      case "response_class":
      case "HttpResponse":
      case "HTMLResponse":
      case "HTTPResponse":
      case "Response":
      case "write":
        this.response(n, fn, last);
        return;
      case "search":
      case "search_s":
      case "search_st":
      case "search_ext":
      case "search_ext_s":
      case "paged_search":
        this.ldapSearch(n, fn, last);
        return;
      case "xpath":
      case "XPath":
      case "XPathEvaluator":
      case "evaluate":
      case "find":
      case "findall":
      case "findtext":
      case "iterfind":
        this.xpath(n, fn, last);
        return;
      case "set_cookie":
        this.cookie(n, last);
        return;
      case "render_template":
        this.rendered(n, fn);
        return;
      case "select":
      case "iter_select":
      case "Selector":
        // elementpath.select(root, path), elementpath.Selector(path)
        if (/^elementpath\./.test(this.host.qualify(fn))) this.xpath(n, fn, last);
        return;
      default:
        this.httpRequest(n, fn, last);
    }
  }

  /** `resp.headers["Location"] = next_url`: a redirect written by hand. */
  headerWrite(left: Node, right: Node): void {
    const key = left.childForFieldName("subscript");
    if (!key || !/^["']location["']$/i.test(key.text) || !/headers$/.test(left.childForFieldName("value")?.text ?? "")) return;
    if (!this.dirty(right, URL_CLEAN) || fixedHost(right) || this.urlChecked(right)) return;
    this.host.hit("openRedirect", right, "the Location header is set to a URL from the request: the sender can send users to any site (phishing under your domain)", "Location");
  }

  /** A route's return value: Flask, Quart and Bottle send a returned string as an HTML page. */
  returned(r: Node): void {
    if (!this.htmlByDefault()) return;
    const value = r.namedChildren.find((c) => c && c.type !== "comment");
    const body = value?.type === "tuple" || value?.type === "expression_list" ? value.namedChildren[0] : value; // (body, status, headers)
    // the taint test first: asking a node for its parents walks down from the root each time
    if (!body || !this.tainted(body)) return;
    const def = this.enclosingDef(r);
    if (!def || !(this.routeHandler(def) || this.returnedByRoute(def)) || !this.stringLike(body, def) || !this.dirty(body, HTML_CLEAN)) return;
    this.host.hit("xss", r, "a route returns request input inside its page unescaped (Flask sends a returned string as text/html): cross-site scripting", "return");
  }

  /** A module-level function whose result a route returns (`return handle(request)`): its return is the page too. */
  private returnedByRoute(def: Node): boolean {
    const name = def.childForFieldName("name")?.text;
    if (!name) return false;
    if (!this.routeReturned) {
      this.routeReturned = new Set();
      for (const d of def.tree.rootNode.descendantsOfType("function_definition")) {
        if (!d || !this.routeHandler(d)) continue;
        for (const r of d.descendantsOfType("return_statement")) {
          const v = r?.namedChildren[0];
          const fn = v?.type === "call" ? v.childForFieldName("function") : undefined;
          if (fn?.type === "identifier") this.routeReturned.add(fn.text);
        }
      }
    }
    return this.routeReturned.has(name);
  }
  private routeReturned: Set<string> | undefined;

  // ---- where a node is (tree-sitter finds a node's parent by walking down from the root: never asked per sink) ----

  /** The innermost function definition around a node (see EnclosingDefs). */
  private enclosingDef(n: Node): Node | undefined {
    if (!this.defs) {
      const root = n.tree.rootNode;
      this.defs = new EnclosingDefs(root);
      this.routes = new Set();
      for (const d of root.descendantsOfType("decorated_definition")) {
        const def = d?.childForFieldName("definition");
        if (def?.type === "function_definition" && d!.namedChildren.some((x) => x?.type === "decorator" && ROUTE.test(x.text))) this.routes.add(def.startIndex);
      }
    }
    return this.defs.of(n);
  }

  private routeHandler(def: Node): boolean {
    if (!this.routes) this.enclosingDef(def);
    return this.routes!.has(def.startIndex);
  }

  /** A condition matching `check` (an `if`/`elif`/`while`/`assert`/conditional) above the sink in its function. */
  private checkedBefore(sink: Node, check: RegExp, name: string): boolean {
    const def = this.enclosingDef(sink);
    if (!def) return false;
    const key = `${def.startIndex}:${name}`;
    let first = this.checks.get(key);
    if (first === undefined) {
      first = Number.POSITIVE_INFINITY;
      for (const c of def.descendantsOfType(["if_statement", "assert_statement", "conditional_expression", "while_statement", "elif_clause"])) {
        if (!c || c.startIndex >= first) continue;
        const cond = c.type === "conditional_expression" ? c.namedChildren[1] : c.type === "assert_statement" ? c.namedChildren[0] : c.childForFieldName("condition");
        if (cond && (check.test(cond.text) || this.verdictChecked(def, cond, check, name) || this.predicateCalled(cond, check, name))) first = c.startIndex;
      }
      this.checks.set(key, first);
    }
    return first <= sink.startIndex;
  }

  /**
   * `ok, reason = is_safe_url(u)` … `if not ok:` (session 26): a condition on a name that holds a check's verdict. The
   * name is the target (or the first of several) of an assignment before the condition, from a call that reads as
   * the check (`validate_url(u)`) or to a validator of this file: a function whose returns are all verdicts (`True`,
   * `False`, or a tuple led by one) and whose own conditions make the check.
   */
  private verdictChecked(def: Node, cond: Node, check: RegExp, name: string): boolean {
    let c: Node | null | undefined = cond;
    while (c?.type === "not_operator" || c?.type === "parenthesized_expression") c = c.type === "not_operator" ? c.childForFieldName("argument") : c.namedChildren[0];
    if (c?.type !== "identifier") return false;
    const key = `${def.startIndex}:${name}`;
    let verdicts = this.verdicts.get(key);
    if (!verdicts) {
      // each name's first assignment from a check's call, read once per function and check
      verdicts = new Map();
      for (const a of def.descendantsOfType("assignment")) {
        const left = a?.childForFieldName("left");
        const target = left?.type === "pattern_list" || left?.type === "tuple_pattern" ? left.namedChildren[0] : left;
        const right = a?.childForFieldName("right");
        if (target?.type !== "identifier" || verdicts.has(target.text) || right?.type !== "call") continue;
        const fn = right.childForFieldName("function");
        if (check.test(fn?.text ?? "") || (fn?.type === "identifier" && this.validator(fn.text, check, name))) verdicts.set(target.text, a!.startIndex);
      }
      this.verdicts.set(key, verdicts);
    }
    return (verdicts.get(c.text) ?? Number.POSITIVE_INFINITY) < cond.startIndex;
  }

  /**
   * Session 29: a condition that calls a validator of this file (`if check_allow_list(url):`, `if not is_allowed(u):`),
   * the check made inside it rather than written in the condition.
   */
  private predicateCalled(cond: Node, check: RegExp, name: string): boolean {
    if (!cond.text.includes("(")) return false;
    const calls = cond.type === "call" ? [cond] : cond.descendantsOfType("call").filter((c): c is Node => !!c);
    return calls.some((c) => {
      const fn = c.childForFieldName("function");
      return fn?.type === "identifier" && this.validator(fn.text, check, name);
    });
  }

  /**
   * A function of this file named `fnName` that gives a verdict on the check (memoised per check): its returns are all
   * `True`/`False` (or a tuple led by one) and one of its conditions makes the check, or (session 29) its returns are
   * all tests — comparisons, `and`/`or`/`not` of them — and one of them makes the check (`return parsed.netloc in
   * ALLOWED`).
   */
  private validator(fnName: string, check: RegExp, name: string): boolean {
    const key = `${name}:${fnName}`;
    const known = this.validators.get(key);
    if (known !== undefined) return known;
    const defs = (this.defs?.all ?? []).filter((d) => d.childForFieldName("name")?.text === fnName);
    const def = defs.length === 1 ? defs[0]! : undefined;
    let ok = false;
    if (def) {
      const own = (n: Node) => this.enclosingDef(n)?.id === def.id;
      const verdict = (r: Node) => {
        let v = r.namedChildren.find((x) => x && x.type !== "comment");
        if (v?.type === "expression_list" || v?.type === "tuple" || v?.type === "parenthesized_expression") v = v.namedChildren[0];
        return v?.type === "true" || v?.type === "false";
      };
      const returns = def.descendantsOfType("return_statement").filter((r): r is Node => !!r && own(r));
      const test = (r: Node) => {
        let v = r.namedChildren.find((x) => x && x.type !== "comment");
        while (v?.type === "parenthesized_expression") v = v.namedChildren[0];
        return !!v && TEST_EXPRESSION.has(v.type);
      };
      ok =
        returns.length > 0 &&
        ((returns.every(verdict) &&
          def.descendantsOfType(["if_statement", "elif_clause"]).some((i) => !!i && own(i) && check.test(i.childForFieldName("condition")?.text ?? ""))) ||
          (returns.every((r) => verdict(r) || test(r)) && returns.some((r) => test(r) && check.test(r.text))));
    }
    this.validators.set(key, ok);
    return ok;
  }

  // ---- open redirect ---------------------------------------------------------------------------

  private redirect(n: Node, fn: Node, last: string): void {
    const q = this.host.qualify(fn);
    // flask/quart/django.shortcuts/bottle/werkzeug redirect, a Django or Starlette redirect response, aiohttp's HTTPFound, Tornado's self.redirect
    const known =
      /^(?:flask|quart|django|bottle|werkzeug|starlette|fastapi|aiohttp|sanic|pyramid|falcon)\b/.test(q) ||
      (last === "redirect" && /^(?:self|response|resp|res)\.redirect$/.test(fn.text)) ||
      (fn.type === "identifier" && last !== "redirect");
    if (!known) return;
    const target = argument(n, 0, ["location", "url", "redirect_to", "to"]);
    if (!target || !this.dirty(target, URL_CLEAN) || fixedHost(target) || this.urlChecked(target)) return;
    this.host.hit("openRedirect", n, `${fn.text}() sends the user to a URL taken from the request: the sender can redirect to any site (phishing under your domain)`, `${last}()`);
  }

  /**
   * A check of the URL's host or scheme, or an allow-list, in an `if`/`assert`/conditional before the sink in its
   * function; or (session 29) the sink's URL is a parameter of a helper (`def fetch(url): return requests.get(url)`)
   * that the file calls only after such a check, each call in its own function (`if is_allowed(u): fetch(u)`).
   */
  private urlChecked(url: Node): boolean {
    if (this.checkedBefore(url, URL_CHECK, "url")) return true;
    const def = this.enclosingDef(url);
    if (!def || this.routeHandler(def) || this.defs?.of(def)) return false; // a module-level helper only
    const params = new Set((def.childForFieldName("parameters")?.namedChildren ?? []).map((p) => (p?.type === "identifier" ? p.text : "")));
    if (!readNames(url).some((id) => params.has(id.text))) return false;
    const key = `callers:${def.startIndex}`;
    let known = this.checks.get(key);
    if (known === undefined) {
      const calls = this.callsByName(def).get(def.childForFieldName("name")?.text ?? "") ?? [];
      // 1: every call checked; 0: not (Infinity is taken: checks holds starts)
      known = calls.length > 0 && calls.every((c) => !(c.startIndex >= def.startIndex && c.endIndex <= def.endIndex) && this.checkedBefore(c, URL_CHECK, "url")) ? 1 : 0;
      this.checks.set(key, known);
    }
    return known === 1;
  }

  /** The file's calls of a plain name, by that name (listed once: a file of many helpers stays linear). */
  private callsByName(inFile: Node): Map<string, Node[]> {
    if (!this.plainCalls) {
      this.plainCalls = new Map();
      for (const c of inFile.tree.rootNode.descendantsOfType("call")) {
        const fn = c?.childForFieldName("function");
        if (c && fn?.type === "identifier") (this.plainCalls.get(fn.text) ?? this.plainCalls.set(fn.text, []).get(fn.text)!).push(c);
      }
    }
    return this.plainCalls;
  }
  private plainCalls: Map<string, Node[]> | undefined;

  // ---- server-side request forgery -------------------------------------------------------------

  private httpRequest(n: Node, fn: Node, last: string): void {
    if (fn.type !== "attribute" && fn.type !== "identifier") return;
    const q = this.host.qualify(fn);
    const client = HTTP_CLIENT.test(q) || (fn.type === "identifier" && /^(?:urlopen|urlretrieve)$/.test(last) && /^urllib/.test(q));
    if (!client) return;
    const url = argument(n, last === "request" ? 1 : 0, ["url"]);
    if (!url || !this.dirty(url, URL_CLEAN) || fixedHost(url) || this.urlChecked(url)) return;
    this.host.hit(
      "ssrf",
      n,
      `${q.replace(/\(\)/g, "")} fetches a URL taken from the request: the sender can make the server call internal services or cloud metadata (server-side request forgery)`,
      q,
    );
  }

  /**
   * Session 29: the standard library's `http.client.HTTPConnection(host, port)` (`HTTPSConnection`, Python 2's
   * `httplib`) opened to a host taken from the request: the connection's requests go wherever the sender says.
   */
  private connection(n: Node, fn: Node, last: string): void {
    const q = this.host.qualify(fn);
    if (!/^(?:http\.client|httplib|six\.moves\.http_client)\.HTTPS?Connection$/.test(q)) return;
    const host = argument(n, 0, ["host"]);
    if (!host || isStringLiteralNode(host)) return;
    // the host part of a parsed URL (`urlparse(u).netloc`, `u.hostname`) is the URL's: read the URL
    const parsed = host.type === "attribute" && /^(?:netloc|hostname|host)$/.test(host.childForFieldName("attribute")?.text ?? "") ? host.childForFieldName("object") : null;
    if (!(this.dirty(host, URL_CLEAN) || (!!parsed && this.dirty(parsed, URL_CLEAN))) || this.urlChecked(host)) return;
    this.host.hit(
      "ssrf",
      n,
      `${q} connects to a host taken from the request: the sender can make the server call internal services or cloud metadata (server-side request forgery)`,
      `${last}()`,
    );
  }

  // ---- cross-site scripting --------------------------------------------------------------------

  /** `Markup(f"<b>{name}</b>")`, `mark_safe(request.GET["x"])`: input declared safe HTML, so templates do not escape it. */
  private markedSafe(n: Node, fn: Node, last: string): void {
    const q = this.host.qualify(fn);
    if (!/^(?:markupsafe|flask|jinja2|django|Markup|mark_safe|SafeString|format_html)\b/.test(q)) return;
    const html = argument(n, 0, last === "format_html" ? ["format_string"] : ["base", "s"]);
    if (!html || !this.dirty(html, HTML_CLEAN)) return;
    const what = last === "format_html" ? "format_html's format string is built from request input (only its arguments are escaped)" : `${last}() marks request input as safe HTML`;
    this.host.hit("xss", n, `${what}: templates then write it unescaped (cross-site scripting)`, `${last}()`);
  }

  /**
   * Session 30: `render_template("page.html", name=request.args["n"])` whose template prints `name` unescaped
   * (`{{ name|safe }}`, inside `{% autoescape false %}`, or in a file Flask does not autoescape). Read from the
   * app's template folder (`templates/`, or a `template_folder=` written in `Flask(…)`); a missing file says nothing.
   */
  private rendered(n: Node, fn: Node): void {
    const lookup = this.host.templates();
    if (!lookup || !/^(?:flask|quart)\.render_template$/.test(this.host.qualify(fn))) return;
    const args = n.childForFieldName("arguments")?.namedChildren ?? [];
    const first = args[0];
    const name = first?.type === "string" && isStringLiteralNode(first) ? first.text.replace(/^[rbuRBU]*(["']{1,3})([\s\S]*)\1$/, "$2") : undefined;
    if (!name) return;
    const passed = args.filter((a): a is Node => a?.type === "keyword_argument" && this.tainted(a.childForFieldName("value")!));
    if (passed.length === 0) return;
    const folder = /\bFlask\([^)]*\btemplate_folder\s*=\s*["']([^"'\\]+)["']/.exec(this.host.source())?.[1];
    const text = lookup(name, folder);
    if (text === undefined) return;
    const autoescapeOff = /\bjinja_env\.autoescape\s*=\s*False\b/.test(this.host.source());
    for (const a of passed) {
      const key = a.childForFieldName("name")!.text;
      if (!this.dirty(a.childForFieldName("value")!, HTML_CLEAN)) continue;
      const how = unescapedPrint(text, name, key, autoescapeOff);
      if (!how) continue;
      this.host.hit(
        "xss",
        n,
        `render_template() hands request input to ${name} as \`${key}\`, which the template prints unescaped (${how}): cross-site scripting`,
        "render_template()",
      );
      return;
    }
  }

  /**
   * `make_response(f"<p>{q}</p>")`, `HttpResponse(request.GET["q"])`, `HTMLResponse(…)`, Bottle's `HTTPResponse(body=…)`, Tornado's
   * `self.write(…)`: an HTML body built from input.
   */
  private response(n: Node, fn: Node, last: string): void {
    const q = this.host.qualify(fn);
    if (last === "write") {
      if (this.streamlitHtml(n, fn, last)) return;
      if (fn.text !== "self.write" || !this.host.imported.has("tornado")) return;
    } else if (last === "response_class") {
      if (!this.htmlByDefault() || fn.type !== "attribute") return; // Flask's app.response_class(response=…): a Response
    } else if (last === "Response") {
      if (!/^(?:flask|werkzeug|quart|starlette|fastapi|django)\b/.test(q)) return; // rest_framework's Response serialises
    } else if (last === "HTTPResponse") {
      // Bottle's HTTPResponse(body, status, headers): sent as text/html unless a Content-Type says otherwise (session 36)
      if (!/^bottle\.HTTPResponse$/.test(q)) return;
    } else if (!/^(?:flask|quart|django|starlette|fastapi)\b/.test(q) && fn.type !== "identifier") return;
    if (this.textResponse(n)) return;
    let body = argument(n, 0, ["content", "response", "body", "chunk"]);
    if (body?.type === "tuple" || body?.type === "parenthesized_expression") body = body.namedChildren[0] ?? undefined; // make_response((body, headers))
    const def = this.enclosingDef(n);
    if (!body || !this.stringLike(body, def) || !this.dirty(body, HTML_CLEAN)) return;
    this.host.hit("xss", n, `${fn.text}() answers with HTML built from request input, unescaped: cross-site scripting`, `${last}()`);
  }

  /**
   * Streamlit's `st.markdown(body, unsafe_allow_html=True)` (also `st.write(…)` and `st.caption(…)` given the flag):
   * Streamlit escapes HTML in the text unless the flag is set, and its documentation warns that with it the HTML is
   * put in the visitor's page as written (session 37). Input in the body is cross-site scripting; without the flag,
   * an escaper around the input or constant text, it is not. True when the call is Streamlit's (judged here).
   */
  private streamlitHtml(n: Node, fn: Node, last: string): boolean {
    if (!this.host.imported.has("streamlit") || this.host.qualify(fn) !== `streamlit.${last}`) return false;
    const args = (n.childForFieldName("arguments")?.namedChildren ?? []).filter((a): a is Node => !!a && a.type !== "comment");
    const flag = args.find((a) => a.type === "keyword_argument" && a.childForFieldName("name")?.text === "unsafe_allow_html");
    if (flag?.childForFieldName("value")?.text !== "True") return true;
    const bodies = args.filter((a) => a.type !== "keyword_argument" || a.childForFieldName("name")?.text === "body");
    const body = bodies.map((a) => (a.type === "keyword_argument" ? a.childForFieldName("value") : a)).find((a) => !!a && this.dirty(a, HTML_CLEAN));
    if (body)
      this.host.hit("xss", n, `${fn.text}(…, unsafe_allow_html=True) puts input from the app's visitor into the page as HTML, unescaped: cross-site scripting`, `${last}()`);
    return true;
  }

  /** A response declared as something other than HTML (`mimetype="text/plain"`, `content_type="application/json"`). */
  private textResponse(n: Node): boolean {
    for (const a of n.childForFieldName("arguments")?.namedChildren ?? []) {
      // a headers dict: make_response(body, 200, {"Content-Type": "text/plain"})
      if (a?.type === "dictionary" && /["']content-type["']\s*:\s*["'](?![^"']*html)/i.test(a.text)) return true;
      if (a?.type !== "keyword_argument") continue;
      if (!/^(?:mimetype|content_type|media_type)$/.test(a.childForFieldName("name")?.text ?? "")) continue;
      return !/html/i.test(a.childForFieldName("value")?.text ?? "html");
    }
    return false;
  }

  /** Files whose framework sends a returned string as HTML (Flask, Quart, Bottle); FastAPI serialises it as JSON. */
  private htmlByDefault(): boolean {
    const i = this.host.imported;
    return (i.has("flask") || i.has("quart") || i.has("bottle")) && !i.has("fastapi");
  }

  // ---- LDAP and XPath injection ----------------------------------------------------------------

  /** ldap3 `conn.search(base, filter)`, python-ldap `l.search_s(base, scope, filterstr)`: a filter or DN built from input. */
  private ldapSearch(n: Node, fn: Node, last: string): void {
    const i = this.host.imported;
    if (fn.type !== "attribute" || !(i.has("ldap3") || i.has("ldap"))) return;
    const q = this.host.qualify(fn);
    if (/^(?:re|regex)\./.test(q)) return;
    const filter = last === "search" || last === "paged_search" ? argument(n, 1, ["search_filter"]) : argument(n, 2, ["filterstr"]);
    const base = argument(n, 0, ["search_base", "base"]);
    const bad = [filter, base].find((x) => x && this.dirty(x, LDAP_CLEAN));
    if (!bad) return;
    const part = bad === filter ? "filter" : "base DN";
    this.host.hit(
      "ldapInjection",
      n,
      `LDAP search ${part} built from request input without escape_filter_chars: the sender can widen the query (\`*)(uid=*\`) or bypass a login`,
      `${last}()`,
    );
  }

  /** lxml `tree.xpath(expr)`, `etree.XPath(expr)`, ElementTree `find*(expr)`: an expression built from input. */
  private xpath(n: Node, fn: Node, last: string): void {
    const i = this.host.imported;
    if (!(i.has("lxml") || i.has("xml") || i.has("defusedxml") || i.has("elementpath"))) return;
    if (last === "xpath" && fn.type === "identifier") return; // a compiled XPath object run on a document: judged where compiled
    const expr = argument(n, last === "select" || last === "iter_select" ? 1 : 0, ["path", "_path", "expression"]);
    if (!expr || !this.dirty(expr, XPATH_CLEAN) || this.checkedBefore(n, QUOTE_CHECK, "quote")) return;
    // find/findall/evaluate are common names (str.find, BeautifulSoup): only an expression that reads as a path counts
    if (!/^(?:xpath|XPath|XPathEvaluator|select|iter_select|Selector)$/.test(last) && !/[/[@]/.test(this.writtenText(expr))) return;
    if (last === "XPathEvaluator" || (last === "evaluate" && !/xpath|evaluator/i.test(fn.text))) return;
    this.host.hit(
      "xpathInjection",
      n,
      `XPath expression built from request input: the sender can change the query (\`' or '1'='1\`); pass the value as an XPath variable ($name with a keyword argument)`,
      `${last}()`,
    );
  }

  /** The literal text of an expression, or of what reaches a name (`expr = f".//u[@id='{v}']"; root.findall(expr)`). */
  private writtenText(n: Node): string {
    if (n.type !== "identifier") return constantText(n);
    const def = this.enclosingDef(n);
    return def ? this.reaching(def, n).map(constantText).join("") : "";
  }

  // ---- cookies ---------------------------------------------------------------------------------

  /**
   * `resp.set_cookie(name, value, secure=False)` or `httponly=False` written out (medium); a cookie named as a
   * session, token or login (`"session_id"`, `"auth_token"`) set with neither flag given (low: the defaults are off).
   */
  private cookie(n: Node, last: string): void {
    const flag = (name: string) => argument(n, -1, [name])?.text;
    const secure = flag("secure");
    const httponly = flag("httponly");
    const off = [secure === "False" ? "secure=False" : "", httponly === "False" ? "httponly=False" : ""].filter(Boolean);
    if (off.length > 0) {
      this.host.hit("insecureCookie", n, `cookie set with ${off.join(" and ")}: ${secure === "False" ? "it travels over plain HTTP" : "page scripts can read it"}`, `${last}()`);
      return;
    }
    const name = argument(n, 0, ["key"]);
    if (secure !== undefined || httponly !== undefined || name?.type !== "string" || /\*\*/.test(n.childForFieldName("arguments")?.text ?? "")) return;
    if (!/session|token|auth|jwt|(?:^|_)sid$|remember|login|csrf/i.test(leadingText(name))) return;
    this.host.hit(
      "insecureCookie",
      n,
      `the ${leadingText(name)} cookie is set without secure= or httponly= (both default to off): a login cookie readable on plain HTTP and by page scripts`,
      `${last}()`,
      "low",
    );
  }

  // ---- what reaches a sink ---------------------------------------------------------------------

  /**
   * Whether untrusted input reaches the value without passing one of the `clean` calls: a tainted name is
   * clean when every assignment to it above (in its function) gives a cleaned or constant value.
   */
  private dirty(n: Node, clean: RegExp, depth = 0): boolean {
    if (depth === 0) this.budget = 400;
    // past the depth or the budget (long chains of names), the taint test alone decides
    if (depth > 30 || --this.budget < 0) return this.host.isTainted(n);
    // composites are judged by their parts (the taint test can call a tuple of a tainted name safe: a scalar's format)
    if (!COMPOSITE.has(n.type) && !this.tainted(n)) return false;
    switch (n.type) {
      case "call": {
        const fn = n.childForFieldName("function");
        if (clean.test(lastName(fn))) return false;
        if (clean === XPATH_CLEAN && quoteReplaced(n)) return false;
        if (fn?.type === "identifier" && SANITISER_NAME.test(fn.text)) return false; // a helper named as cleaning its argument
        // the value flows through the arguments and the receiver (`escape(x).strip()`): dirty when one of them is;
        // when none is even tainted, the call itself reads the input (`request.args.get("q")`)
        const parts = (n.childForFieldName("arguments")?.namedChildren ?? []).filter((a): a is Node => !!a && a.type !== "comment");
        if (fn?.type === "attribute" && fn.childForFieldName("object")) parts.push(fn.childForFieldName("object")!);
        const tainted = parts.filter((p) => this.tainted(p));
        return tainted.length === 0 || tainted.some((p) => this.dirty(p, clean, depth + 1));
      }
      case "identifier":
        return this.dirtyName(n, clean, depth);
      case "string":
        return n.namedChildren.some((c) => c?.type === "interpolation" && !!c.namedChildren[0] && this.dirty(c.namedChildren[0], clean, depth + 1));
      case "binary_operator":
      case "concatenated_string":
      case "parenthesized_expression":
      case "tuple":
      case "list":
      case "expression_list":
      case "boolean_operator":
        return n.namedChildren.some((c) => !!c && this.dirty(c, clean, depth + 1));
      case "conditional_expression": {
        const [yes, , no] = n.namedChildren; // the condition picks a value, it is not one
        return (!!yes && this.dirty(yes, clean, depth + 1)) || (!!no && this.dirty(no, clean, depth + 1));
      }
      default:
        return true;
    }
  }

  private dirtyName(id: Node, clean: RegExp, depth: number): boolean {
    if (clean === HTML_CLEAN && this.rejectedIfChanged(id)) return false;
    const entries = this.host.isTainted(id) ? [] : this.host.inputEntries(id.text);
    if (entries.length > 0) return entries.some((e) => this.dirty(e, clean, depth + 1));
    const def = this.enclosingDef(id);
    const rights = def ? this.reaching(def, id) : [];
    if (rights.length > 0) return rights.some((r) => this.dirty(r, clean, depth + 1));
    // a parameter of a module-level helper the file calls (session 29): clean when every call hands it a cleaned value
    // (`say_hi(escape(name))` cleans what `def say_hi(name): return f"<h1>{name}</h1>"` shows)
    const given = def ? this.callerArguments(def, id.text) : undefined;
    if (given?.every((a) => this.cleaned(a, clean, depth + 1))) return false;
    return true; // a parameter or a name from elsewhere: the taint test decided
  }

  /**
   * A value built to be clean where it stands, read from its text alone (the analyser's taint state belongs to the
   * function it is in, not to a caller elsewhere): a literal, a cleaner's result, or a name whose assignments reaching
   * it are all such values.
   */
  private cleaned(n: Node, clean: RegExp, depth: number): boolean {
    if (depth > 30 || --this.budget < 0) return false;
    if (clean === HTML_CLEAN && n.type === "identifier" && this.rejectedIfChanged(n)) return true;
    if (n.type === "string" && !n.namedChildren.some((c) => c?.type === "interpolation")) return true;
    if (n.type === "integer" || n.type === "float" || n.type === "true" || n.type === "false" || n.type === "none") return true;
    if (n.type === "call") {
      const fn = n.childForFieldName("function");
      return clean.test(lastName(fn)) || (fn?.type === "identifier" && SANITISER_NAME.test(fn.text));
    }
    if (n.type !== "identifier") return false;
    const def = this.enclosingDef(n);
    const rights = def ? this.reaching(def, n) : [];
    return rights.length > 0 && rights.every((r) => this.cleaned(r, clean, depth + 1));
  }

  /**
   * Session 29: `name` was turned away above, in its function, when an HTML cleaner would change it — `if name !=
   * escape(name): return …` (or `!= cleaned` with `cleaned = bleach.clean(name)`), or `if suspicious(name): abort(…)`
   * with a predicate of the file that makes that comparison on its parameter — so what is left has nothing to escape.
   */
  private rejectedIfChanged(id: Node): boolean {
    const def = this.enclosingDef(id);
    if (!def) return false;
    // per function, once: each name such a branch turns away → where the first one starts
    let guards = this.changeGuards.get(def.startIndex);
    if (!guards) {
      guards = new Map();
      for (const branch of def.descendantsOfType("if_statement")) {
        const cond = branch?.childForFieldName("condition");
        if (!branch || !cond || !exits(branch)) continue;
        const names = cond.type === "call" ? (cond.childForFieldName("arguments")?.namedChildren ?? []) : cond.namedChildren;
        for (const n of names) {
          if (n?.type !== "identifier" || guards.has(n.text)) continue;
          if (this.changedTest(cond, n.text, def) || this.changedPredicate(cond, n.text)) guards.set(n.text, branch.startIndex);
        }
      }
      this.changeGuards.set(def.startIndex, guards);
    }
    return (guards.get(id.text) ?? Number.POSITIVE_INFINITY) < id.startIndex;
  }
  /** Per function (by start): names turned away when a cleaner would change them → where (rejectedIfChanged). */
  private readonly changeGuards = new Map<number, Map<string, number>>();

  /** `cond` compares `name` with its cleaned form (`name != escape(name)`, `cleaned != name` after `cleaned = clean(name)`). */
  private changedTest(cond: Node, name: string, def: Node): boolean {
    if (cond.type !== "comparison_operator" || !cond.children.some((c) => c?.type === "!=")) return false;
    const [a, b] = cond.namedChildren;
    if (!a || !b) return false;
    const cleanerOf = (x: Node): boolean => {
      if (x.type === "identifier") return this.reaching(def, x).some((r) => cleanerOf(r));
      if (x.type !== "call" || !HTML_CLEAN.test(lastName(x.childForFieldName("function")))) return false;
      return (x.childForFieldName("arguments")?.namedChildren ?? []).some((arg) => arg?.type === "identifier" && arg.text === name);
    };
    return (a.type === "identifier" && a.text === name && cleanerOf(b)) || (b.type === "identifier" && b.text === name && cleanerOf(a));
  }

  /** `cond` calls a predicate of the file with `name`, one that returns true when its parameter differs from its cleaned form. */
  private changedPredicate(cond: Node, name: string): boolean {
    const call = cond.type === "call" ? cond : undefined;
    const fn = call?.childForFieldName("function");
    if (!call || fn?.type !== "identifier") return false;
    const defs = (this.defs?.all ?? []).filter((d) => d.childForFieldName("name")?.text === fn.text);
    if (defs.length !== 1) return false;
    const params = (defs[0]!.childForFieldName("parameters")?.namedChildren ?? []).map((p) => (p?.type === "identifier" ? p.text : ""));
    const args = (call.childForFieldName("arguments")?.namedChildren ?? []).filter((a) => a && a.type !== "comment");
    const param = params[args.findIndex((a) => a?.type === "identifier" && a.text === name)];
    if (!param) return false;
    // its `if <param> != <cleaned>: return True` (or a test of that form joined by `or`)
    return defs[0]!.descendantsOfType("if_statement").some((i) => {
      const c = i?.childForFieldName("condition");
      const tests = c?.type === "boolean_operator" ? c.namedChildren : [c];
      const yes = i?.childForFieldName("consequence")?.namedChildren.find((x) => x?.type === "return_statement");
      return !!yes && yes.namedChildren[0]?.type === "true" && tests.some((t) => !!t && this.changedTest(t, param, defs[0]!));
    });
  }

  /**
   * What the file's calls of a module-level helper hand its parameter `param`, by position or keyword; undefined when
   * that is not known: a route or nested function, no call by plain name, a call with `*`/`**` or missing the argument.
   */
  private callerArguments(def: Node, param: string): Node[] | undefined {
    if (this.routeHandler(def) || this.defs?.of(def)) return undefined;
    const params = def.childForFieldName("parameters")?.namedChildren ?? [];
    const at = params.findIndex((p) => p?.type === "identifier" && p.text === param);
    if (at < 0 || params.slice(0, at).some((p) => p?.type !== "identifier")) return undefined;
    const calls = this.callsByName(def).get(def.childForFieldName("name")?.text ?? "") ?? [];
    if (calls.length === 0) return undefined;
    const out: Node[] = [];
    for (const c of calls) {
      if (c.startIndex >= def.startIndex && c.endIndex <= def.endIndex) return undefined; // recursion
      const args = (c.childForFieldName("arguments")?.namedChildren ?? []).filter((a): a is Node => !!a && a.type !== "comment");
      if (args.some((a) => a.type === "list_splat" || a.type === "dictionary_splat")) return undefined;
      const byName = args.find((a) => a.type === "keyword_argument" && a.childForFieldName("name")?.text === param)?.childForFieldName("value");
      const positional = args.filter((a) => a.type !== "keyword_argument");
      const a = byName ?? positional[at];
      if (!a) return undefined;
      out.push(a);
    }
    return out;
  }

  /**
   * The analyser's taint test, or a dict/ConfigParser holding input named in the value (`"{0[bar]}".format(d)`,
   * `"%(bar)s" % d`): the whole container is formatted, so its input entries reach the text.
   */
  private tainted(n: Node, depth = 0): boolean {
    if (this.host.isTainted(n)) return true;
    if (!this.host.containersHoldInput()) return false;
    return plainNames(n).some((id) => {
      if (this.host.inputEntries(id.text).length > 0) return true;
      // a text accumulated from such a format (`out += "{0[b]}".format(d)`): its assignments above decide
      const def = depth < 3 ? this.enclosingDef(id) : undefined;
      return !!def && this.reaching(def, id).some((r) => this.tainted(r, depth + 1));
    });
  }

  /** Whether a value is text: a string, a concatenation or format, or a name whose last assignment above is one (or is added to with `+=`). */
  private stringLike(n: Node, def: Node | undefined, depth = 0): boolean {
    if (depth > 4) return false;
    switch (n.type) {
      case "string":
      case "concatenated_string":
        return true;
      case "parenthesized_expression":
        return !!n.namedChildren[0] && this.stringLike(n.namedChildren[0], def, depth + 1);
      case "binary_operator": {
        const l = n.childForFieldName("left");
        const r = n.childForFieldName("right");
        return (!!l && this.stringLike(l, def, depth + 1)) || (n.childForFieldName("operator")?.text === "+" && !!r && this.stringLike(r, def, depth + 1));
      }
      case "call": {
        const fn = n.childForFieldName("function");
        const last = lastName(fn);
        if (last === "format" || last === "join") return fn?.type === "attribute" && fn.childForFieldName("object")?.type === "string";
        if (last === "str") return true;
        // a request field read as text: request.args.get("q"), request.GET.get("q"), request.form.get(…)
        return last === "get" && /\brequest\.(?:args|form|values|GET|POST|cookies|COOKIES|headers|query_params)\b/.test(fn?.text ?? "");
      }
      case "subscript":
        return /\brequest\.(?:args|form|values|GET|POST|cookies|COOKIES|headers|query_params)\b/.test(n.childForFieldName("value")?.text ?? "");
      case "identifier": {
        if (!def) return false;
        const before = (this.assignments(def).get(n.text) ?? []).filter((a) => a.right.endIndex <= n.startIndex);
        const lastOne = before[before.length - 1];
        if (!lastOne) return false;
        if (lastOne.augmented) return before.some((a) => a.right.type === "string");
        return this.stringLike(lastOne.right, def, depth + 1);
      }
      default:
        return false;
    }
  }

  /**
   * The right sides that may reach a use of a name: the assignments above it in its function, back to the last
   * plain `=` written at the function's top level (one that always runs and replaces what came before).
   */
  private reaching(def: Node, id: Node): Node[] {
    const all = this.assignments(def).get(id.text) ?? [];
    const out: Node[] = [];
    for (let i = all.length - 1; i >= 0; i--) {
      const a = all[i]!;
      if (a.right.endIndex > id.startIndex) continue;
      out.push(a.right);
      if (a.top) break;
    }
    return out;
  }

  /** Right sides assigned to each plain name in a function (computed once per function). */
  private assignments(def: Node): Map<string, Assigned[]> {
    let m = this.assigned.get(def.startIndex);
    if (m) return m;
    m = new Map();
    // statements directly in the body, read from the body down (no parent lookups)
    const top = new Set<number>();
    for (const st of def.childForFieldName("body")?.namedChildren ?? []) {
      const a = st?.type === "expression_statement" ? st.namedChildren[0] : undefined;
      if (a?.type === "assignment") top.add(a.startIndex);
    }
    const nested = def.descendantsOfType("function_definition").filter((d): d is Node => !!d && d.startIndex !== def.startIndex);
    for (const a of def.descendantsOfType(["assignment", "augmented_assignment"])) {
      const left = a?.childForFieldName("left");
      const right = a?.childForFieldName("right");
      if (!a || left?.type !== "identifier" || !right) continue;
      if (nested.some((d) => d.startIndex <= a.startIndex && a.endIndex <= d.endIndex)) continue; // another function's name
      const entry = { right, augmented: a.type === "augmented_assignment", top: top.has(a.startIndex) };
      const list = m.get(left.text);
      if (list) list.push(entry);
      else m.set(left.text, [entry]);
    }
    this.assigned.set(def.startIndex, m);
    return m;
  }
}

/** The call's argument at a position, or by one of its keyword names. */
function argument(call: Node, index: number, names: readonly string[]): Node | undefined {
  let i = 0;
  for (const a of call.childForFieldName("arguments")?.namedChildren ?? []) {
    if (!a || a.type === "comment") continue;
    if (a.type === "keyword_argument") {
      if (names.includes(a.childForFieldName("name")?.text ?? "")) return a.childForFieldName("value") ?? undefined;
      continue;
    }
    if (a.type === "list_splat" || a.type === "dictionary_splat") continue;
    if (i++ === index) return a;
  }
  return undefined;
}

/**
 * A URL whose start is written out: a scheme and host (`f"https://api.example.com/u/{id}"`, `"https://x.org/%s" % p`,
 * `"https://x.org/{}".format(p)`) or a path on this site (`"/pdf/view/" + name`): input picks only the rest.
 */
function fixedHost(n: Node): boolean {
  let first: Node | null | undefined = n;
  if (n.type === "binary_operator") first = n.childForFieldName("left");
  else if (n.type === "call") {
    const fn = n.childForFieldName("function");
    first = fn?.type === "attribute" && fn.childForFieldName("attribute")?.text === "format" ? fn.childForFieldName("object") : undefined;
  }
  if (first?.type !== "string") return false;
  const text = leadingText(first);
  return /^[a-z][\w+.-]*:\/\/[^/{}?#%]+\//i.test(text) || /^\/[^/\\{%]/.test(text);
}

/** The literal text of a string before its first interpolation. */
function leadingText(s: Node): string {
  let out = "";
  for (const c of s.namedChildren) {
    if (!c) continue;
    if (c.type === "interpolation") break;
    if (c.type === "string_content" || c.type === "escape_sequence") out += c.text;
  }
  return out;
}

/** All literal text written in an expression (string contents of every string in it). */
function constantText(n: Node): string {
  if (n.type === "string_content") return n.text;
  return n
    .descendantsOfType("string_content")
    .map((c) => c?.text ?? "")
    .join("");
}

function lastName(fn: Node | null | undefined): string {
  if (!fn) return "";
  return fn.type === "attribute" ? (fn.childForFieldName("attribute")?.text ?? "") : fn.text;
}

interface Assigned {
  right: Node;
  /** `x += …` (adds to what was there) rather than `x = …`. */
  augmented: boolean;
  /** A plain `=` statement directly in the function's body: it always runs and replaces what came before. */
  top: boolean;
}

/** A route decorator (`@app.route`, `@bp.get`, Bottle's `@route`). */
const ROUTE = /^@\s*(?:[\w.]+\.)?(?:route|get|post|put|delete|patch)\s*\(/;

/** `x.replace("'", "&apos;")`: the quote that would end an XPath string literal is taken out. */
function quoteReplaced(call: Node): boolean {
  const fn = call.childForFieldName("function");
  if (fn?.type !== "attribute" || fn.childForFieldName("attribute")?.text !== "replace") return false;
  const first = argument(call, 0, []);
  return first?.type === "string" && /^["'](?:\\?'|")["']$/.test(first.text);
}

/** An `if` whose block leaves the function or the request (`return`, `raise`, `abort(…)`) before anything else runs on. */
function exits(branch: Node): boolean {
  const body = branch.childForFieldName("consequence")?.namedChildren.filter((x) => x && x.type !== "comment") ?? [];
  const last = body[body.length - 1];
  return last?.type === "return_statement" || last?.type === "raise_statement" || (last?.type === "expression_statement" && /^abort\s*\(/.test(last.namedChildren[0]?.text ?? ""));
}

/** A written-out string without interpolations. */
function isStringLiteralNode(n: Node): boolean {
  return n.type === "string" && !n.namedChildren.some((c) => c?.type === "interpolation");
}

/** The names an expression reads, the objects of its attributes and subscripts included (`u.netloc` reads `u`). */
function readNames(n: Node): Node[] {
  return n.descendantsOfType("identifier").filter((id): id is Node => {
    if (!id) return false;
    const p = id.parent;
    return !(p?.type === "attribute" && p.childForFieldName("attribute")?.id === id.id) && !(p?.type === "keyword_argument" && p.childForFieldName("name")?.id === id.id);
  });
}

/** Expressions that give a truth value: a comparison, `and`/`or`, `not`. */
const TEST_EXPRESSION = new Set(["comparison_operator", "boolean_operator", "not_operator"]);

/** The plain names an expression reads, not those under a subscript or attribute (`d["k"]` and `o.x` are other values). */
function plainNames(n: Node): Node[] {
  if (n.type === "identifier") return [n];
  if (n.type === "subscript" || n.type === "attribute") return [];
  const out: Node[] = [];
  for (const c of n.namedChildren) if (c) out.push(...plainNames(c));
  return out;
}
