/**
 * Session 25 web-injection rules (web-sinks.ts), each with vulnerable cases and safe look-alikes:
 * code.open-redirect (CWE-601), code.ssrf (CWE-918), code.xss (CWE-79), code.ldap-injection (CWE-90),
 * code.xpath-injection (CWE-643), code.insecure-cookie (CWE-614/1004).
 */
import { describe, expect, it } from "vitest";
import { CODE_RULES } from "../../../src/scan/code/index.js";
import { lines, ruleLines } from "../../helpers/python.js";

const found = ruleLines();
const REDIRECT = CODE_RULES.openRedirect.id;
const SSRF = CODE_RULES.ssrf.id;
const XSS = CODE_RULES.xss.id;
const LDAP = CODE_RULES.ldapInjection.id;
const XPATH = CODE_RULES.xpathInjection.id;
const COOKIE = CODE_RULES.insecureCookie.id;

describe("open redirect", () => {
  it("Flask, Django and Starlette redirects to a request value, and a Location header", () => {
    const src = lines(
      "import flask",
      "from flask import Flask, request, redirect, make_response",
      "from django.http import HttpResponseRedirect",
      "from starlette.responses import RedirectResponse",
      "app = Flask(__name__)",
      "@app.route('/go')",
      "def go():",
      "    return redirect(request.args.get('next'))",
      "def view(request):",
      "    target = request.GET['to']",
      "    return HttpResponseRedirect(target)",
      "async def star(request):",
      "    return RedirectResponse(request.query_params['u'])",
      "@app.route('/c')",
      "def c():",
      "    url = request.cookies.get('back')",
      "    resp = make_response('')",
      "    resp.headers['Location'] = url",
      "    return resp",
      "@app.route('/e')",
      "def e():",
      "    u = flask.escape(request.form['u'])", // HTML escaping does not make a URL safe to redirect to
      "    return flask.redirect(u)",
    );
    expect(found(src, REDIRECT)).toEqual([8, 11, 13, 18, 23]);
  });

  it("look-alikes: constants, url_for, host checks, relative-only checks, a fixed host", () => {
    const src = lines(
      "from urllib.parse import urlparse",
      "from flask import Flask, request, redirect, url_for",
      "from django.utils.http import url_has_allowed_host_and_scheme",
      "from django.shortcuts import redirect as dj_redirect",
      "app = Flask(__name__)",
      "@app.route('/a')",
      "def a():",
      "    return redirect('/home')",
      "@app.route('/b')",
      "def b():",
      "    return redirect(url_for(request.args.get('page', 'index')))",
      "@app.route('/c')",
      "def c():",
      "    nxt = request.args.get('next')",
      "    if urlparse(nxt).netloc not in ('example.com',):",
      "        return redirect('/')",
      "    return redirect(nxt)",
      "def d(request):",
      "    nxt = request.GET.get('next')",
      "    if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):",
      "        return dj_redirect(nxt)",
      "    return dj_redirect('/')",
      "@app.route('/e')",
      "def e():",
      "    path = request.args['p']",
      "    if not path.startswith('/') or path.startswith('//'):",
      "        path = '/'",
      "    return redirect(path)",
      "@app.route('/f')",
      "def f():",
      "    return redirect(f\"https://shop.example.com/item/{request.args['id']}\")",
      "@app.route('/g')",
      "def g():",
      "    return redirect('/pdf/view/{}'.format(request.args['f']))",
    );
    expect(found(src, REDIRECT)).toEqual([]);
  });
});

describe("server-side request forgery", () => {
  it("requests, httpx, urllib and a session fetching a request URL or host", () => {
    const src = lines(
      "import requests, httpx, urllib.request",
      "from flask import Flask, request",
      "app = Flask(__name__)",
      "@app.route('/fetch')",
      "def fetch():",
      "    url = request.args['url']",
      "    r = requests.get(url, timeout=5)",
      "    httpx.post(url=url)",
      "    urllib.request.urlopen(url)",
      "    s = requests.Session()",
      "    s.get(url)",
      "    host = request.args['host']",
      "    requests.request('GET', f'http://{host}/status')",
      "    return r.text",
    );
    expect(found(src, SSRF)).toEqual([7, 8, 9, 11, 13]);
  });

  it("look-alikes: a constant base with params=, a fixed host and a path, an allow-listed host", () => {
    const src = lines(
      "import requests",
      "from urllib.parse import urlparse",
      "from flask import Flask, request",
      "app = Flask(__name__)",
      "ALLOWED_HOSTS = {'api.example.com'}",
      "@app.route('/s')",
      "def s():",
      "    q = request.args['q']",
      "    requests.get('https://api.example.com/search', params={'q': q})",
      "    requests.get(f'https://api.example.com/users/{q}')",
      "    requests.get('https://api.example.com/%s/age'.format(q))",
      "    url = request.args['url']",
      "    if urlparse(url).hostname not in ALLOWED_HOSTS:",
      "        return 'no', 400",
      "    return requests.get(url).text",
    );
    expect(found(src, SSRF)).toEqual([]);
  });
});

describe("cross-site scripting", () => {
  it("returned strings, built responses and Markup/mark_safe of request input", () => {
    const src = lines(
      "from flask import Flask, request, make_response",
      "from markupsafe import Markup",
      "app = Flask(__name__)",
      "@app.route('/hi')",
      "def hi():",
      "    name = request.args.get('name')",
      "    return f'<h1>Hello {name}</h1>'",
      "@app.route('/acc')",
      "def acc():",
      "    out = ''",
      "    q = request.form['q']",
      "    out += 'You searched for ' + q",
      "    return out",
      "@app.route('/mr')",
      "def mr():",
      "    return make_response('<p>%s</p>' % request.args['m'])",
      "@app.route('/mk')",
      "def mk():",
      "    return render(Markup(f\"<b>{request.args['b']}</b>\"))",
    );
    expect(found(src, XSS)).toEqual([7, 13, 16, 19]);
  });

  it("Django HttpResponse, mark_safe and a format_html format string", () => {
    const src = lines(
      "from django.http import HttpResponse",
      "from django.utils.safestring import mark_safe",
      "from django.utils.html import format_html",
      "def v(request):",
      "    return HttpResponse('<p>' + request.GET['q'] + '</p>')",
      "def w(request):",
      "    return render(request, 't.html', {'x': mark_safe(request.GET['x'])})",
      "def y(request):",
      "    return HttpResponse(format_html(f\"<i>{request.GET['y']}</i>\"))",
    );
    expect(found(src, XSS)).toEqual([5, 7, 9]);
  });

  it("look-alikes: escaped values, JSON, templates, plain-text responses, FastAPI, headers", () => {
    const src = lines(
      "import html",
      "from flask import Flask, request, make_response, jsonify, render_template, escape",
      "from markupsafe import Markup",
      "app = Flask(__name__)",
      "@app.route('/a')",
      "def a():",
      "    return f\"<h1>{escape(request.args['n'])}</h1>\"",
      "@app.route('/b')",
      "def b():",
      "    n = html.escape(request.args['n'])",
      "    return '<p>' + n + '</p>'",
      "@app.route('/c')",
      "def c():",
      "    return jsonify(name=request.args['n'])",
      "@app.route('/d')",
      "def d():",
      "    return render_template('d.html', name=request.args['n'])",
      "@app.route('/e')",
      "def e():",
      "    make_response(f\"{request.args['n']}\", 200, {'Content-Type': 'text/plain'})",
      "    return make_response(request.args['n'], mimetype='text/plain')",
      "@app.route('/f')",
      "def f():",
      "    return Markup('<b>%s</b>') % request.args['n']", // Markup's % escapes the value
      "@app.route('/g')",
      "def g():",
      "    return make_response(('done', {'X-Echo': request.args['n']}))",
      "@app.route('/h')",
      "def h():",
      "    return {'echo': request.args['n']}",
      "@app.route('/i')",
      "def i():",
      "    return make_response('found {}'.format(sanitize_html(request.args['n'])))",
      "@app.route('/j')",
      "def j():",
      "    return '<p>yes</p>' if request.args.get('n') else '<p>no</p>'", // the input only picks a constant
    );
    expect(found(src, XSS)).toEqual([]);
  });
});

describe("cross-site scripting through containers and accumulated text", () => {
  it("a dict holding input formatted whole into a returned page", () => {
    const src = lines(
      "from flask import Flask, request",
      "app = Flask(__name__)",
      "@app.route('/d')",
      "def d():",
      "    out = ''",
      "    box = {}",
      "    box['v'] = request.form.get('v')",
      "    box['w'] = 'fixed'",
      "    out += 'value {0[v]} and {0[w]}'.format(box)",
      "    return out",
    );
    expect(found(src, XSS)).toEqual([10]);
  });

  it("a name built from input formatted with a tuple, and a list element", () => {
    const src = lines(
      "from flask import Flask, request",
      "app = Flask(__name__)",
      "@app.route('/t')",
      "def t():",
      "    out = ''",
      "    values = request.args.getlist('v')",
      "    v = ''",
      "    if values:",
      "        v = values[0]",
      "    shown = v + '_suffix'",
      "    out += 'value %s and %s' % (shown, 'fixed')",
      "    return out",
    );
    expect(found(src, XSS)).toEqual([12]);
  });

  it("a page built in a helper the route returns, and app.response_class", () => {
    const src = lines(
      "from flask import Flask, request",
      "app = Flask(__name__)",
      "@app.route('/h')",
      "def h():",
      "    return handle(request)",
      "def handle(req):",
      "    name = req.args.get('n', '')",
      "    return f'<p>{request.args.get(\"n\")}</p>'",
      "@app.route('/r')",
      "def r():",
      "    v = request.args.get('v')",
      "    return app.response_class(response='<b>' + v + '</b>', status=200)",
      "def helper():",
      "    return f'<p>{request.args.get(\"n\")}</p>'", // no route returns it: its result may be used anywhere
    );
    expect(found(src, XSS)).toEqual([8, 12]);
  });

  it("look-alikes: the input entry overwritten by a constant one, an escaped entry", () => {
    const src = lines(
      "from flask import Flask, request, escape",
      "app = Flask(__name__)",
      "@app.route('/d')",
      "def d():",
      "    box = {}",
      "    box['a'] = 'fixed'",
      "    box['b'] = request.form.get('v')",
      "    v = box['b']",
      "    v = box['a']",
      "    return 'value %s' % v",
      "@app.route('/e')",
      "def e():",
      "    out = ''",
      "    box = {}",
      "    box['v'] = escape(request.form.get('v'))",
      "    out += 'value {0[v]}'.format(box)",
      "    return out",
    );
    expect(found(src, XSS)).toEqual([]);
  });
});

describe("LDAP injection", () => {
  it("ldap3 and python-ldap filters and base DNs built from request input", () => {
    const src = lines(
      "import ldap, ldap3",
      "from flask import Flask, request",
      "app = Flask(__name__)",
      "@app.route('/u')",
      "def u():",
      "    uid = request.args['uid']",
      "    conn = ldap3.Connection(ldap3.Server('ldap://x'))",
      "    conn.search('dc=example,dc=com', f'(&(objectClass=person)(uid={uid}))')",
      "    l = ldap.initialize('ldap://x')",
      "    l.search_s('dc=example,dc=com', ldap.SCOPE_SUBTREE, '(uid=' + uid + ')')",
      "    conn.search(search_base='ou=' + uid + ',dc=example,dc=com', search_filter='(objectClass=*)')",
      "    return 'ok'",
    );
    expect(found(src, LDAP)).toEqual([8, 10, 11]);
  });

  it("look-alikes: escaped values, filter_format, constant filters, re.search", () => {
    const src = lines(
      "import re, ldap, ldap3",
      "from ldap3.utils.conv import escape_filter_chars",
      "from ldap.filter import filter_format",
      "from flask import Flask, request",
      "app = Flask(__name__)",
      "@app.route('/u')",
      "def u():",
      "    uid = request.args['uid']",
      "    conn = ldap3.Connection(ldap3.Server('ldap://x'))",
      "    conn.search('dc=example,dc=com', f'(uid={escape_filter_chars(uid)})')",
      "    l = ldap.initialize('ldap://x')",
      "    l.search_s('dc=example,dc=com', ldap.SCOPE_SUBTREE, filter_format('(uid=%s)', [uid]))",
      "    conn.search('dc=example,dc=com', '(objectClass=person)')",
      "    re.search('^[a-z]+$', uid)",
      "    return 'ok'",
    );
    expect(found(src, LDAP)).toEqual([]);
  });
});

describe("XPath injection", () => {
  it("lxml xpath/XPath and ElementTree findall with expressions built from request input", () => {
    const src = lines(
      "from lxml import etree",
      "import xml.etree.ElementTree as ET",
      "from flask import Flask, request",
      "app = Flask(__name__)",
      "@app.route('/x')",
      "def x():",
      "    name = request.args['name']",
      "    tree = etree.parse('users.xml')",
      '    tree.xpath("//user[@name=\'" + name + "\']")',
      "    etree.XPath(f\"//user[@name='{name}']\")(tree)",
      "    ET.parse('u.xml').getroot().findall(f\"./user[@name='{name}']\")",
      "    expr = f\".//user[@name='{name}']\"",
      "    ET.parse('u.xml').getroot().find(expr)",
      "    import elementpath",
      "    elementpath.select(tree, f\"//user[@id='{name}']\")",
      "    return 'ok'",
    );
    expect(found(src, XPATH)).toEqual([9, 10, 11, 13, 15]);
  });

  it("look-alikes: XPath variables, constant expressions, quote checks, str.find", () => {
    const src = lines(
      "from lxml import etree",
      "from flask import Flask, request",
      "app = Flask(__name__)",
      "@app.route('/x')",
      "def x():",
      "    name = request.args['name']",
      "    tree = etree.parse('users.xml')",
      "    tree.xpath('//user[@name=$name]', name=name)",
      "    tree.xpath('//user')",
      "    name.find('admin')",
      "    word = name + 'x'",
      "    'abc'.find(word)",
      "    'abc'.find(name)",
      "    tree.xpath(f\"//user[@name='{name.replace(\"'\", '&apos;')}']\")",
      "    return 'ok'",
      "@app.route('/y')",
      "def y():",
      "    name = request.args['name']",
      '    if "\'" in name:',
      "        return 'bad', 400",
      "    return str(etree.parse('u.xml').xpath(f\"//user[@name='{name}']\"))",
    );
    expect(found(src, XPATH)).toEqual([]);
  });
});

describe("insecure cookies", () => {
  it("flags written off, and a login cookie with neither flag", () => {
    const src = lines(
      "from flask import Flask, make_response",
      "app = Flask(__name__)",
      "@app.route('/c')",
      "def c():",
      "    resp = make_response('ok')",
      "    resp.set_cookie('pref', 'dark', secure=False, httponly=True)",
      "    resp.set_cookie('pref2', 'x', secure=True, httponly=False)",
      "    resp.set_cookie('session_id', new_session())",
      "    return resp",
    );
    expect(found(src, COOKIE)).toEqual([6, 7, 8]);
  });

  it("look-alikes: both flags on, a preference cookie with defaults, flags from settings", () => {
    const src = lines(
      "from flask import Flask, make_response",
      "app = Flask(__name__)",
      "@app.route('/c')",
      "def c():",
      "    resp = make_response('ok')",
      "    resp.set_cookie('session_id', sid(), secure=True, httponly=True, samesite='Lax')",
      "    resp.set_cookie('theme', 'dark')",
      "    resp.set_cookie('auth_token', tok(), secure=app.config['SECURE'], httponly=True)",
      "    return resp",
    );
    expect(found(src, COOKIE)).toEqual([]);
  });
});
