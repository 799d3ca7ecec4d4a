/**
 * Session 30: the Jinja templates a Flask view renders. Request input handed to `render_template("x.html", k=…)` is
 * XSS when the template prints `k` unescaped: `|safe`, inside `{% autoescape false %}`, with autoescape turned off
 * for the app, or in a file Flask does not autoescape. Look-alikes: a plain print, `|safe` on another name or a
 * constant, escaped before being marked safe, a missing template, a constant value.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzePython, pythonParser } from "../../../src/scan/code/index.js";
import { templateLookup, unescapedPrint } from "../../../src/scan/code/templates.js";
import { growthRatio } from "../../helpers/cpu.js";
import { lines } from "../../helpers/python.js";

let parser: Awaited<ReturnType<typeof pythonParser>>;
const dirs: string[] = [];
beforeAll(async () => {
  parser = await pythonParser();
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A Flask app rendering `template` with `name=<value>`; the templates written in `folder` of a temp dir. */
function scan(template: string, files: Record<string, string>, opts: { value?: string; folder?: string; extra?: string[]; flaskArgs?: string; body?: string[] } = {}): string[] {
  const dir = mkdtempSync(join(tmpdir(), "rampart-tpl-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    const file = join(dir, opts.folder ?? "templates", name);
    mkdirSync(join(file, ".."), { recursive: true });
    writeFileSync(file, text);
  }
  const src = lines(
    "from flask import Flask, request, render_template",
    `app = Flask(__name__${opts.flaskArgs ?? ""})`,
    ...(opts.extra ?? []),
    '@app.route("/hello")',
    "def hello():",
    ...(opts.body ?? [`    return render_template("${template}", name=${opts.value ?? 'request.args.get("name")'})`]),
  );
  writeFileSync(join(dir, "app.py"), src);
  const hits = analyzePython(parser, src, undefined, { templates: templateLookup(join(dir, "app.py"), "app.py") }).hits;
  return hits.map((h) => `${h.rule.id}:${h.line}`);
}
const at = (extra = 0) => [`code.xss:${5 + extra}`];

describe("a template printing a tainted context name unescaped (session 30)", () => {
  it("reports |safe on the name, with or without spaces, and inside an autoescape-false block", () => {
    expect(scan("page.html", { "page.html": "<p>Hello {{ name|safe }}</p>" })).toEqual(at());
    expect(scan("page.html", { "page.html": "<p>Hello {{ name | safe }}</p>" })).toEqual(at());
    expect(scan("page.html", { "page.html": "<ul>{{- name.title | safe -}}</ul>" })).toEqual(at());
    expect(scan("page.html", { "page.html": "{% autoescape false %}<p>{{ name }}</p>{% endautoescape %}" })).toEqual(at());
  });

  it("reports a plain print when the app turns autoescape off, or the file is one Flask does not escape", () => {
    expect(scan("page.html", { "page.html": "<p>{{ name }}</p>" }, { extra: ["app.jinja_env.autoescape = False"] })).toEqual(at(1));
    expect(scan("page.txt", { "page.txt": "<p>{{ name }}</p>" })).toEqual(at());
    expect(scan("page.jinja2", { "page.jinja2": "<p>{{ name }}</p>" })).toEqual(at());
  });

  it("reads a template_folder written in Flask(…)", () => {
    expect(scan("page.html", { "page.html": "{{ name|safe }}" }, { folder: "views", flaskArgs: ', template_folder="views"' })).toEqual(at());
    expect(scan("page.html", { "page.html": "{{ name|safe }}" }, { folder: "views" })).toEqual([]);
  });

  it("does not report escaped prints, other names, constants or a missing template", () => {
    expect(scan("page.html", { "page.html": "<p>{{ name }}</p>" })).toEqual([]);
    expect(scan("page.svg", { "page.svg": "<text>{{ name }}</text>" })).toEqual([]);
    expect(scan("page.html", { "page.html": "{{ greeting|safe }} {{ name }} {{ '<b>'|safe }}" })).toEqual([]);
    expect(scan("page.html", { "page.html": "{{ username|safe }} {{ user.name|safe }}" })).toEqual([]);
    expect(scan("page.html", { "page.html": "{{ name|e|safe }} {{ name|escape|safe }} {{ name|striptags|safe }}" })).toEqual([]);
    expect(scan("page.html", { "page.html": "{% autoescape true %}{{ name }}{% endautoescape %}" }, { extra: ["app.jinja_env.autoescape = False"] })).toEqual([]);
    expect(scan("page.html", { "page.html": "{# {{ name|safe }} #}<p>{{ name }}</p>" })).toEqual([]);
    expect(scan("missing.html", { "page.html": "{{ name|safe }}" })).toEqual([]);
    expect(scan("page.html", { "page.html": "{{ name|safe }}" }, { value: '"World"' })).toEqual([]);
    expect(scan("page.html", { "page.html": "{{ name|safe }}" }, { value: 'escape(request.args.get("name"))' })).toEqual([]);
    expect(scan("../page.html", { "page.html": "{{ name|safe }}" })).toEqual([]);
  });

  it("takes html-sanitizer's Sanitizer().sanitize as cleaning, in the view or before a page helper is called", () => {
    const page = { "home.html": "<h1>Nice to meet you, {{name|safe}}!</h1>" };
    const helper = ["from html_sanitizer import Sanitizer", "def home(name):", '    return render_template("home.html", name=name)'];
    const run = (cleaning: string) =>
      scan("home.html", page, { extra: helper, body: ['    name = request.args.get("name", "user")', `    name = ${cleaning}`, "    return home(name)"] });
    expect(run("Sanitizer().sanitize(name)")).toEqual([]);
    expect(run("name.strip()")).toEqual(["code.xss:5"]);
    expect(run("name.upper()")).toEqual(["code.xss:5"]);
    expect(scan("page.html", { "page.html": "{{ name|safe }}" }, { value: 'Sanitizer().sanitize(request.args.get("name"))' })).toEqual([]);
  });

  it("keeps a value marked safe unescaped by a later |e (escape leaves Markup alone), but not by |forceescape", () => {
    expect(unescapedPrint("{{ name|safe|e }}", "p.html", "name", false)).toBe("|safe");
    expect(unescapedPrint("{{ name|safe|forceescape }}", "p.html", "name", false)).toBeUndefined();
    expect(unescapedPrint("{{ name|replace('|', ' ')|safe }}", "p.html", "name", false)).toBe("|safe");
    expect(unescapedPrint("{{ '|' ~ name }}", "p.html", "name", false)).toBeUndefined();
    expect(unescapedPrint("{% autoescape false %}{% endautoescape %}{{ name }}", "p.html", "name", false)).toBeUndefined();
  });

  it("reads a template in time linear in its size", () => {
    const page = (n: number) => "<p>{{ other|safe }} { text {% if x %}{{ name }}{% endif %}</p>\n".repeat(n);
    const [small, large] = [page(2000), page(8000)];
    expect(growthRatio((t: string) => unescapedPrint(t, "p.html", "name", false), small, large)).toBeLessThan(8);
  });
});
