/**
 * Session 30: Jinja templates a Flask view renders, read as text (never rendered). A view that hands request input to
 * `render_template("page.html", name=…)` writes it unescaped when the template prints `{{ name|safe }}`, prints it
 * inside `{% autoescape false %}`, or is a file Flask does not autoescape. One linear pass over the `{{ }}`/`{% %}` tags.
 */
import { readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, normalize, sep } from "node:path";

/** Finds a template's text by name (relative to a template folder); undefined when there is none to read. */
export type TemplateLookup = (name: string, folder: string | undefined) => string | undefined;

/** Templates larger than this are not read (a page template is a few kilobytes). */
const MAX_TEMPLATE_BYTES = 256 * 1024;

/** Extensions Flask renders with autoescape on (`Flask.select_jinja_autoescape`). */
const AUTOESCAPED = /\.(?:html|htm|xml|xhtml|svg)$/i;

/** Filters whose result is safe in HTML whatever went in (escaping, tags stripped, JSON for a script, a number). */
const CLEANING_FILTERS = new Set(["forceescape", "striptags", "tojson", "urlencode", "int", "float", "length", "count", "wordcount", "filesizeformat"]);

/**
 * A lookup for the Python file at `path` (`rel` under the scanned folder): `<folder or "templates">/<name>` next to
 * the file, else next to its parent folders up to the scanned folder (an app package rendering from its project root).
 */
export function templateLookup(path: string, rel: string): TemplateLookup {
  const levels = rel.split(/[\\/]/).length - 1;
  return (name, folder) => {
    if (isAbsolute(name) || normalize(name).split(sep).includes("..")) return undefined;
    let dir = dirname(path);
    for (let i = 0; i <= Math.min(levels, 3); i++, dir = dirname(dir)) {
      const file = join(dir, folder ?? "templates", name);
      try {
        const st = statSync(file);
        if (!st.isFile()) continue;
        if (st.size > MAX_TEMPLATE_BYTES) return undefined;
        return readFileSync(file, "utf8");
      } catch {
        // not here: try the folder above
      }
      if (folder !== undefined) return undefined; // a folder written out is relative to the app module only
    }
    return undefined;
  };
}

/** How a template prints a context name unescaped, or undefined when every print of it is escaped. */
export function unescapedPrint(template: string, templateName: string, name: string, autoescapeOff: boolean): string | undefined {
  const stack: boolean[] = [];
  const defaultOn = !autoescapeOff && AUTOESCAPED.test(templateName);
  const root = new RegExp(`(?<![\\w.])${name}\\b`);
  let at = 0;
  for (;;) {
    const open = template.indexOf("{", at);
    if (open < 0 || open + 1 >= template.length) return undefined;
    const kind = template[open + 1];
    if (kind !== "{" && kind !== "%" && kind !== "#") {
      at = open + 1;
      continue;
    }
    const closer = kind === "{" ? "}}" : kind === "%" ? "%}" : "#}";
    const close = template.indexOf(closer, open + 2);
    if (close < 0) return undefined;
    const body = template
      .slice(open + 2, close)
      .replace(/^[-+]|[-+]$/g, "")
      .trim();
    at = close + 2;
    if (kind === "%") {
      const m = /^(autoescape|endautoescape)\b\s*(\w*)/.exec(body);
      if (m?.[1] === "autoescape") stack.push(m[2] !== "false" && m[2] !== "False");
      else if (m?.[1] === "endautoescape") stack.pop();
      continue;
    }
    if (kind !== "{") continue;
    const [expr, ...filters] = topLevelPipes(body);
    if (!expr || !root.test(stripStrings(expr))) continue;
    const escaping = stack.length > 0 ? stack[stack.length - 1]! : defaultOn;
    const how = rawAfterFilters(filters, escaping);
    if (how) return how;
  }
}

/** What a print's filters leave: "|safe" or "autoescape off" when the value goes out unescaped, else undefined. */
function rawAfterFilters(filters: string[], escaping: boolean): string | undefined {
  // a plain string, a string marked safe (escape() leaves Markup alone), or escaped text
  let state: "text" | "marked" | "escaped" = "text";
  for (const f of filters) {
    const filter = /^\s*(\w+)/.exec(f)?.[1] ?? "";
    if (filter === "safe") state = state === "text" ? "marked" : state;
    else if (filter === "e" || filter === "escape") state = state === "text" ? "escaped" : state;
    else if (CLEANING_FILTERS.has(filter)) state = "escaped";
  }
  if (state === "marked") return "|safe";
  return state === "text" && !escaping ? "autoescape off" : undefined;
}

/** An expression split at its top-level `|` (not inside brackets or strings; `||` is no Jinja operator). */
function topLevelPipes(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = "";
  let from = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (c === "|" && depth === 0) {
      parts.push(body.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(body.slice(from));
  return parts;
}

const stripStrings = (s: string): string => s.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
