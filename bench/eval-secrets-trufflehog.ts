/**
 * Secrets precision/recall on trufflehog's detector pattern tests: each `Test*_Pattern` case in
 * `pkg/detectors/<detector>/**\/*_test.go` is an input text and the secrets trufflehog's authors expect
 * from it (`want: []string{...}`; empty or nil = nothing to find). Read from a trufflehog checkout at
 * evaluation time; nothing of it is committed.
 *
 *   npx tsx bench/eval-secrets-trufflehog.ts TRUFFLEHOG_CHECKOUT
 *
 * A case with a non-empty `want` is a positive: Rampart must report at least one finding printed by
 * default (every severity but `info`). A case with an empty `want` is a negative: any such finding is a false positive.
 * Inputs are Go expressions (string literals, `fmt.Sprintf`, `+`, package-level string variables);
 * cases whose input cannot be evaluated by this small interpreter are skipped and counted.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scanSecrets } from "../src/scan/secrets/index.js";
import { counted, Tally } from "./eval-secrets-tally.js";

/**
 * trufflehog detectors for the credential kinds Rampart claims, fixed before the first run. Left out:
 * `jwt` (its labels follow trufflehog's own reporting policy — an HMAC or expired token is "want: []" —
 * not whether a token is present), `aws/appsync`, `azure_entra/refreshtoken`, `googleoauth2`
 * (`ya29.` access tokens) and `uri` (https basic-auth URLs): kinds Rampart does not claim.
 */
export const DETECTORS = [
  "anthropic",
  "aws/access_keys",
  "aws/session_keys",
  "azure_entra/serviceprincipal",
  "azure_storage",
  "azuresastoken",
  "databrickstoken",
  "gcp",
  "github",
  "gitlab",
  "huggingface",
  "jdbc",
  "mongodb",
  "npmtoken",
  "npmtokenv2",
  "openai",
  "openaiadmin",
  "postgres",
  "privatekey",
  "pypi",
  "rabbitmq",
  "redis",
  "sendgrid",
  "slack",
  "slackwebhook",
  "sqlserver",
  "stripe",
  "twilio",
  "twilioapikey",
  "weightsandbiases",
];

// ---- a tiny evaluator for the Go string expressions the tests use --------------------------------

type Env = Map<string, string>;
class Unsupported extends Error {}

class Parser {
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
    const m = /^[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*/.exec(this.s.slice(this.i));
    if (!m) throw new Unsupported(`no identifier at ${this.s.slice(this.i, this.i + 30)}`);
    this.i += m[0].length;
    return m[0];
  }
  str(): string {
    this.ws();
    const q = this.s[this.i];
    if (q === "`") {
      const end = this.s.indexOf("`", this.i + 1);
      const v = this.s.slice(this.i + 1, end);
      this.i = end + 1;
      return v;
    }
    let j = this.i + 1;
    while (j < this.s.length && this.s[j] !== '"') j += this.s[j] === "\\" ? 2 : 1;
    const raw = this.s.slice(this.i, j + 1);
    this.i = j + 1;
    try {
      return JSON.parse(raw.replace(/\\x([0-9a-fA-F]{2})/g, "\\u00$1")) as string;
    } catch {
      throw new Unsupported(`string ${raw.slice(0, 30)}`);
    }
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
  term(): string {
    const c = this.peek();
    if (c === '"' || c === "`") return this.str();
    const name = this.ident();
    if (this.peek() === "(") {
      this.i++;
      const args: string[] = [];
      while (this.peek() !== ")") {
        args.push(this.expr());
        if (this.peek() === ",") this.i++;
      }
      this.i++;
      if (name === "fmt.Sprintf") return sprintf(args[0] ?? "", args.slice(1));
      if (name === "strings.Repeat") throw new Unsupported("strings.Repeat");
      if (name === "string") return args[0] ?? "";
      throw new Unsupported(`call ${name}`);
    }
    const v = this.env.get(name);
    if (v === undefined) throw new Unsupported(`unknown ${name}`);
    return v;
  }
  /** want := nil | []string{ expr, ... } */
  list(): string[] {
    if (this.peek() === "n") {
      if (this.ident() !== "nil") throw new Unsupported("want");
      return [];
    }
    if (!this.s.startsWith("[]string", this.i)) throw new Unsupported("want type");
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

/** Package-level `name = "..."` string variables and constants (in `var (...)`/`const (...)` or alone). */
function packageStrings(src: string): Env {
  const env: Env = new Map();
  for (const m of src.matchAll(/^(?:var|const)?\s*([A-Za-z_]\w*)\s*(?:string\s*)?:?=\s*(?=["`A-Za-z])/gm)) {
    const p = new Parser(src, env);
    p.i = m.index + m[0].length;
    try {
      env.set(m[1]!, p.expr());
    } catch {
      // not a plain string: ignore
    }
  }
  return env;
}

export interface Case {
  detector: string;
  file: string;
  name: string;
  input: string;
  positive: boolean;
}

/** The cases of every `func Test…_Pattern` whose table has `input string` and `want []string`. */
export function casesOf(src: string, detector: string, file: string): { cases: Case[]; skipped: number } {
  const env = packageStrings(src);
  const cases: Case[] = [];
  let skipped = 0;
  for (const fn of src.matchAll(/^func Test\w*_Pattern\(t \*testing\.T\) \{\n([\s\S]*?)^\}/gm)) {
    const body = fn[1]!;
    if (!/(?:input|data)\s+string/.test(body) || !/want\s+\[\]string|shouldMatch\s+bool/.test(body)) continue;
    // Local string variables declared in the test function before the table.
    for (const [k, v] of packageStrings(body.replace(/^\t/gm, ""))) env.set(k, v);
    for (const c of body.matchAll(/\{\s*name:\s*(?=["`])/g)) {
      const p = new Parser(body, env);
      p.i = c.index + c[0].length;
      try {
        const name = p.str();
        let input: string | undefined;
        let positive: boolean | undefined;
        let skip = false;
        // Fields until the closing brace: input/data (the text), want ([]string) or shouldMatch (bool).
        while (p.peek() === ",") {
          p.i++;
          if (p.peek() === "}") break;
          const field = p.ident();
          p.eat(":");
          if (field === "input" || field === "data") input = p.expr();
          else if (field === "want") positive = p.list().length > 0;
          else if (field === "shouldMatch" || field === "skip") {
            const v = p.ident();
            if (v !== "true" && v !== "false") throw new Unsupported(field);
            if (field === "skip") skip = v === "true";
            else positive = v === "true";
          } else p.expr();
        }
        if (input === undefined || positive === undefined) throw new Unsupported("fields");
        if (!skip) cases.push({ detector, file, name, input, positive });
      } catch (e) {
        if (!(e instanceof Unsupported)) throw e;
        skipped++;
      }
    }
  }
  return { cases, skipped };
}

function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...testFiles(p));
    else if (name.endsWith("_test.go") && !name.includes("integration")) out.push(p);
  }
  return out;
}

async function main(): Promise<void> {
  const checkout = process.argv[2];
  if (!checkout) {
    console.error("usage: npx tsx bench/eval-secrets-trufflehog.ts TRUFFLEHOG_CHECKOUT [--list]");
    process.exit(2);
  }
  const all: Case[] = [];
  let skipped = 0;
  for (const d of DETECTORS) {
    for (const f of testFiles(join(checkout, "pkg/detectors", d))) {
      const r = casesOf(readFileSync(f, "utf8"), d, f.slice(checkout.length + 1));
      all.push(...r.cases);
      skipped += r.skipped;
    }
  }
  if (process.argv.includes("--list")) {
    // Extraction check only (counts per detector), no scanning.
    for (const d of DETECTORS) {
      const cs = all.filter((c) => c.detector === d);
      console.log(`${d}: ${cs.filter((c) => c.positive).length} positive, ${cs.filter((c) => !c.positive).length} negative`);
    }
    console.log(`skipped (input not evaluable): ${skipped}`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "eval-trufflehog-"));
  const tally = new Tally();
  try {
    for (const [i, c] of all.entries()) {
      const file = join(dir, `case-${i}.txt`);
      writeFileSync(file, `${c.input}\n`);
      const findings = (await scanSecrets(file, { workers: 1 })).findings.filter(counted);
      const what = `${c.detector} "${c.name}": ${c.input.trim().replace(/\s+/g, " ").slice(0, 90)}`;
      tally.add(c.detector, c.positive, findings, what);
    }
    tally.print("trufflehog detector", `; ${skipped} cases skipped`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith("eval-secrets-trufflehog.ts"))
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
