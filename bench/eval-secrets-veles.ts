/**
 * Secrets precision/recall on the detector tests of Veles, the secret scanner inside google/osv-scalibr
 * (`veles/secrets/<kind>/*detector_test.go`). Each test table lists input texts and the secrets the Veles
 * authors expect their detector to return (`want`); each `velestest.AcceptDetector(t, d, example, …)` call
 * names a minimal true positive. Read from a checkout at evaluation time (Go source read as text, never
 * built or run); nothing of it is committed.
 *
 *   npx tsx bench/eval-secrets-veles.ts OSV_SCALIBR_CHECKOUT [--seen DIR ...] [--list]
 *
 * Units and labels (declared before the first run, docs/code-secrets.md "session 17"):
 * - a table case whose struct has a `want` field is a positive when its `want` is a non-empty list (or
 *   `true`, or a count above 0) and a negative when it is `nil`, `{}`, `false`, 0 or left out;
 * - a table case whose struct has no `want` field takes its label from the test function's name:
 *   `…TruePositive…`/`…Variants`/`…Acceptance` positive, `…TrueNegative…`/`…Invalid…`/`…NoMatch…` negative, any other
 *   name left out (counted);
 * - the `example` of an AcceptDetector call is a positive.
 * The text is the case's `input` (or `data`, `text`, `content`) field. Inputs are Go expressions; those this
 * small reader cannot evaluate (calls other than `fmt.Sprintf`, `strings.Repeat`, `strings.Join`,
 * conversions; values computed at run time) are left out and counted. The same text twice is one unit
 * (first label kept; texts labelled both ways are counted and left out). A unit whose text occurs
 * verbatim in a seen corpus (`--seen` trees) is left out. Each unit is scanned alone as `case-<n>.txt`.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { listOrScore, withoutSeenCopies } from "./eval-secrets-tally.js";

/**
 * Veles detector tests of kinds Rampart claims, fixed before the first run (paths under `veles/secrets/`).
 * Left out: kinds Rampart has no rule for (Bitwarden, CircleCI, Cloudflare, crates.io, Cursor, Deno,
 * DigitalOcean, Discord, Docker Hub, Elastic, GCP express mode, `ya29.` access tokens, GCS HMAC, Grok,
 * HashiCorp Vault and HCP, Heroku, Mistral, 1Password, OpenRouter, Packagist, Paystack, Perplexity,
 * Postman, pyx, reCAPTCHA, RubyGems, Salesforce, Square, Supabase, Telegram, Tink keysets, VAPID keys,
 * HTTP cookies and CSRF tokens) and the validators' tests (they call the provider's API).
 */
export const VELES_CLAIMED: ReadonlyArray<[family: string, dir: string]> = [
  ["Anthropic", "anthropicapikey"],
  ["AWS access key pair", "awsaccesskey"],
  ["Azure storage account key", "azurestorageaccountaccesskey"],
  ["Azure (Entra) tokens, JWT", "azuretoken"],
  ["Google API key", "gcpapikey"],
  ["Google OAuth client secret", "gcpoauth2client"],
  ["GCP service-account key", "gcpsak"],
  ["git URLs with credentials", "gitbasicauth"],
  ["GitHub tokens", "github"],
  ["GitLab PAT", "gitlabpat"],
  ["HTTP Basic and Bearer", "http"],
  ["Hugging Face", "huggingfaceapikey"],
  ["JWT", "jwt"],
  ["npm", "npmjsaccesstoken"],
  ["OpenAI", "openai"],
  ["private keys", "privatekey"],
  ["PyPI", "pypiapitoken"],
  ["SendGrid", "sendgrid"],
  ["Slack", "slacktoken"],
  ["Stripe", "stripeapikeys"],
  ["URLs with credentials", "urlcreds"],
];

/** Test files of a family: detector tests only (`*detector_test.go`, and the `http` package's own). */
function familyFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...familyFiles(p));
    else if (name.endsWith("_test.go") && !name.includes("validator") && !/cookie|csrf/.test(name)) out.push(p);
  }
  return out;
}

type Env = Map<string, string>;
class Unsupported extends Error {}

/** A reader for the Go expressions these tests write their texts with. */
class GoReader {
  i = 0;
  constructor(
    readonly s: string,
    readonly env: Env,
  ) {}
  ws(): void {
    for (;;) {
      while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
      if (this.s.startsWith("//", this.i)) {
        const nl = this.s.indexOf("\n", this.i);
        this.i = nl === -1 ? this.s.length : nl;
      } else if (this.s.startsWith("/*", this.i)) {
        const end = this.s.indexOf("*/", this.i + 2);
        this.i = end === -1 ? this.s.length : end + 2;
      } else return;
    }
  }
  peek(): string {
    this.ws();
    return this.s[this.i] ?? "";
  }
  eat(c: string): void {
    if (this.peek() !== c) throw new Unsupported(`expected ${c} at ${this.s.slice(this.i, this.i + 30)}`);
    this.i++;
  }
  ident(): string {
    this.ws();
    const m = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*/.exec(this.s.slice(this.i, this.i + 200));
    if (!m) throw new Unsupported(`no identifier at ${this.s.slice(this.i, this.i + 30)}`);
    this.i += m[0].length;
    return m[0];
  }
  str(): string {
    this.ws();
    if (this.s[this.i] === "`") {
      const end = this.s.indexOf("`", this.i + 1);
      if (end === -1) throw new Unsupported("raw string");
      const v = this.s.slice(this.i + 1, end);
      this.i = end + 1;
      return v.replace(/\r/g, "");
    }
    let j = this.i + 1;
    while (j < this.s.length && this.s[j] !== '"') j += this.s[j] === "\\" ? 2 : 1;
    const raw = this.s.slice(this.i, j + 1);
    this.i = j + 1;
    try {
      return JSON.parse(raw.replace(/\\x([0-9a-fA-F]{2})/g, "\\u00$1").replace(/\\'/g, "'")) as string;
    } catch {
      throw new Unsupported(`string ${raw.slice(0, 30)}`);
    }
  }
  num(): number {
    this.ws();
    const m = /^\d+/.exec(this.s.slice(this.i, this.i + 20));
    if (m) {
      this.i += m[0].length;
      return Number(m[0]);
    }
    const v = this.env.get(this.ident());
    if (v === undefined || !/^\d+$/.test(v)) throw new Unsupported("number");
    return Number(v);
  }
  /** A product of numbers (`4 * veles.KiB`). */
  product(): number {
    let n = this.num();
    while (this.peek() === "*") {
      this.i++;
      n *= this.num();
    }
    return n;
  }
  /** expr := term ('+' term)* */
  expr(): string {
    let v = this.term();
    while (this.peek() === "+") {
      this.i++;
      v += this.term();
    }
    return v;
  }
  args(): string[] {
    const out: string[] = [];
    this.eat("(");
    while (this.peek() !== ")") {
      out.push(this.expr());
      if (this.peek() === ",") this.i++;
    }
    this.i++;
    return out;
  }
  term(): string {
    const c = this.peek();
    if (c === '"' || c === "`") return this.str();
    if (this.s.startsWith("[]byte(", this.i)) {
      this.i += "[]byte".length;
      return this.args()[0] ?? "";
    }
    if (this.s.startsWith("[]string{", this.i)) return JSON.stringify(this.stringList());
    const name = this.ident();
    if (this.peek() !== "(") {
      const v = this.env.get(name);
      if (v === undefined) throw new Unsupported(`unknown ${name}`);
      return this.peek() === "[" ? this.slice(v) : v;
    }
    if (name === "strings.Repeat") {
      this.eat("(");
      const s = this.expr();
      this.eat(",");
      const n = this.product();
      this.eat(")");
      return s.repeat(n);
    }
    if (name === "strings.Join") {
      this.eat("(");
      const list = this.stringList();
      this.eat(",");
      const sep = this.expr();
      this.eat(")");
      return list.join(sep);
    }
    const args = this.args();
    if (name === "fmt.Sprintf") return sprintf(args[0] ?? "", args.slice(1));
    if (name === "string") return args[0] ?? "";
    if (name === "strings.ReplaceAll") return (args[0] ?? "").split(args[1] ?? "").join(args[2] ?? "");
    if (name === "strings.ToUpper") return (args[0] ?? "").toUpperCase();
    if (name === "strings.ToLower") return (args[0] ?? "").toLowerCase();
    throw new Unsupported(`call ${name}`);
  }
  /** `v[a:b]` with bounds written as numbers or `len(name) ± n`. */
  slice(v: string): string {
    this.eat("[");
    const bound = (): number | undefined => {
      const c = this.peek();
      if (c === ":" || c === "]") return undefined;
      let n: number;
      if (this.s.startsWith("len(", this.i)) {
        this.i += 3;
        n = (this.args()[0] ?? "").length;
      } else n = this.num();
      while (this.peek() === "-" || this.peek() === "+") {
        const sign = this.s[this.i] === "-" ? -1 : 1;
        this.i++;
        n += sign * this.num();
      }
      return n;
    };
    const a = bound() ?? 0;
    this.eat(":");
    const b = bound() ?? v.length;
    this.eat("]");
    if (a < 0 || b > v.length || a > b) throw new Unsupported("slice bounds");
    return v.slice(a, b);
  }
  stringList(): string[] {
    if (!this.s.startsWith("[]string{", this.i)) throw new Unsupported("list");
    this.i += "[]string".length;
    this.eat("{");
    const out: string[] = [];
    while (this.peek() !== "}") {
      out.push(this.expr());
      if (this.peek() === ",") this.i++;
    }
    this.i++;
    return out;
  }
  /** Skips one expression of any kind (brackets balanced, strings and runes read whole). */
  skip(): void {
    this.ws();
    let depth = 0;
    while (this.i < this.s.length) {
      const c = this.s[this.i]!;
      if (c === '"' || c === "`") {
        this.str();
        continue;
      }
      if (c === "'") {
        const m = /^'(?:\\.|[^'\\])*'/.exec(this.s.slice(this.i, this.i + 12));
        this.i += m ? m[0].length : 1;
        continue;
      }
      if (this.s.startsWith("//", this.i) || this.s.startsWith("/*", this.i)) {
        this.ws();
        continue;
      }
      if ("([{".includes(c)) depth++;
      else if (")]}".includes(c)) {
        if (depth === 0) return;
        depth--;
      } else if (c === "," && depth === 0) return;
      this.i++;
    }
  }
  /** The label a `want` value gives: a non-empty list, `true` or a positive count. */
  wantValue(): boolean {
    this.ws();
    const start = this.i;
    this.skip();
    const v = this.s
      .slice(start, this.i)
      .replace(/\/\/[^\n]*/g, "")
      .trim();
    if (v === "nil" || v === "false" || v === "0") return false;
    if (v === "true" || /^[1-9]\d*$/.test(v)) return true;
    const brace = v.indexOf("{");
    if (brace === -1 || !v.endsWith("}")) throw new Unsupported(`want ${v.slice(0, 30)}`);
    return v.slice(brace + 1, -1).trim() !== "";
  }
}

function sprintf(format: string, args: string[]): string {
  let k = 0;
  return format.replace(/%[-+# 0]*\d*(?:\.\d+)?([svdqx%])/g, (m, verb: string) => {
    if (verb === "%") return "%";
    const a = args[k++];
    if (a === undefined) throw new Unsupported(`sprintf ${m}`);
    return verb === "q" ? JSON.stringify(a) : a;
  });
}

/** `name = <string expr>` and `name := <string expr>` definitions (package level or in a function), in order. */
function stringDefinitions(src: string, env: Env): void {
  for (const m of src.matchAll(/^\s*(?:var|const)?\s*([A-Za-z_]\w*)\s*(?:string\s*)?:?=\s*(?=["`A-Za-z[\d])/gm)) {
    const r = new GoReader(src, env);
    r.i = m.index + m[0].length;
    try {
      const before = r.i;
      const num = /^\d+\s*$/m.exec(src.slice(before, before + 12));
      env.set(m[1]!, num ? num[0].trim() : r.expr());
    } catch {
      // not a plain string: ignore
    }
  }
}

export interface VelesCase {
  family: string;
  file: string;
  text: string;
  positive: boolean;
}

const TEXT_FIELDS = ["input", "data", "text", "content"];

/** The cases of one test file: table cases and AcceptDetector examples; `skipped` counts the rest. */
export function velesCases(src: string, pkgEnv: Env, family: string, file: string): { cases: VelesCase[]; skipped: number } {
  const cases: VelesCase[] = [];
  let skipped = 0;
  for (const fn of src.matchAll(/^func (Test\w*)\(t \*testing\.T\) \{\n([\s\S]*?)^\}/gm)) {
    const fname = fn[1]!;
    const body = fn[2]!;
    const env: Env = new Map(pkgEnv);
    stringDefinitions(body, env);
    for (const a of body.matchAll(/velestest\.AcceptDetector\(/g)) {
      const r = new GoReader(body, env);
      r.i = a.index + a[0].length;
      try {
        r.skip(); // t
        r.eat(",");
        r.skip(); // the detector
        r.eat(",");
        cases.push({ family, file, text: r.expr(), positive: true });
      } catch (e) {
        if (!(e instanceof Unsupported)) throw e;
        skipped++;
      }
    }
    for (const t of body.matchAll(/\[\]struct\s*\{([^{}]*)\}\s*\{/g)) {
      const fields: string[] = [];
      for (const line of t[1]!.split(/[\n;]/)) {
        const m = /^\s*([\w\s,]+?)\s+[^\s,]+\s*$/.exec(line.replace(/\/\/.*$/, ""));
        if (m) fields.push(...m[1]!.split(",").map((f) => f.trim()));
      }
      const textField = fields.find((f) => TEXT_FIELDS.includes(f));
      if (!textField) continue;
      const hasWant = fields.includes("want");
      const byName = /TruePositive|Variants|Acceptance/i.test(fname) ? true : /TrueNegative|Invalid|NoMatch/i.test(fname) ? false : undefined;
      const r = new GoReader(body, env);
      r.i = t.index + t[0].length;
      while (r.peek() === "{" && r.i < body.length) {
        r.i++;
        const start = r.i;
        try {
          let text: string | undefined;
          let want = false;
          const keyed = /^\s*(?:\/\/[^\n]*\n\s*)*[A-Za-z_]\w*\s*:/.test(body.slice(start, start + 400));
          for (let k = 0; r.peek() !== "}"; k++) {
            if (r.i >= body.length || k > 50) throw new Unsupported("element");
            const at = r.i;
            const field = keyed ? r.ident() : fields[k];
            if (keyed) r.eat(":");
            if (field === textField) text = r.expr();
            else if (field === "want") want = r.wantValue();
            else r.skip();
            if (r.peek() === ",") r.i++;
            else if (r.i === at || r.peek() !== "}") throw new Unsupported(`element at ${body.slice(r.i, r.i + 40)}`);
          }
          r.i++;
          const positive = hasWant ? want : byName;
          if (text === undefined || positive === undefined) {
            skipped++;
            if (process.env.VELES_DEBUG) console.error(`${file} ${fname}: no ${text === undefined ? "text" : "label"}`);
          } else cases.push({ family, file, text, positive });
        } catch (e) {
          if (!(e instanceof Unsupported)) throw e;
          skipped++;
          if (process.env.VELES_DEBUG) console.error(`${file} ${fname}: ${e.message.slice(0, 40)}`);
          // Skip to the end of this element and go on with the next one.
          try {
            r.i = start - 1;
            r.skip();
          } catch {
            break;
          }
          if (r.i <= start) break;
        }
        if (r.peek() === ",") r.i++;
      }
    }
  }
  return { cases, skipped };
}

export function allVelesCases(checkout: string): { cases: VelesCase[]; skipped: number } {
  const root = join(checkout, "veles/secrets");
  const cases: VelesCase[] = [];
  let skipped = 0;
  for (const [family, dir] of VELES_CLAIMED) {
    const files = familyFiles(join(root, dir));
    for (const f of files) {
      // Package-level strings of every test file in the same directory (a package's tests share them).
      const pkgDir = f.slice(0, f.lastIndexOf("/"));
      const pkgEnv: Env = new Map([
        ["veles.KiB", "1024"],
        ["veles.MiB", String(1024 * 1024)],
      ]);
      for (const other of readdirSync(pkgDir).filter((n) => n.endsWith("_test.go"))) {
        const src = readFileSync(join(pkgDir, other), "utf8");
        stringDefinitions(src.replace(/^func [\s\S]*?^\}/gm, ""), pkgEnv);
      }
      const r = velesCases(readFileSync(f, "utf8"), pkgEnv, family, f.slice(root.length + 1));
      cases.push(...r.cases);
      skipped += r.skipped;
    }
  }
  return { cases, skipped };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const checkout = args[0];
  if (!checkout || checkout.startsWith("--")) {
    console.error("usage: npx tsx bench/eval-secrets-veles.ts OSV_SCALIBR_CHECKOUT [--seen DIR ...] [--list]");
    process.exit(2);
  }
  const { cases: all, skipped } = allVelesCases(checkout);
  const labels = new Map<string, Set<boolean>>();
  for (const c of all) labels.set(c.text, (labels.get(c.text) ?? new Set()).add(c.positive));
  const both = [...labels].filter(([, l]) => l.size > 1).map(([t]) => t);
  const unique = [...new Map(all.filter((c) => !both.includes(c.text)).map((c) => [c.text, c])).values()].filter((c) => c.text.trim() !== "");
  const { cases, seenDirs } = withoutSeenCopies(unique, args);
  console.log(
    `${skipped} cases not evaluable, ${both.length} texts labelled both ways and ${all.length - unique.length} repeats or empty texts left out, ${unique.length - cases.length} left out as verbatim copies of seen corpora (${seenDirs.length} trees searched)`,
  );
  await listOrScore(
    cases.map((c) => ({ file: c.family, positive: c.positive, text: c.text })),
    args,
    "veles",
    "Veles (osv-scalibr) detector test",
  );
}

if (process.argv[1]?.endsWith("eval-secrets-veles.ts"))
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
