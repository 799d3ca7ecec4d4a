import type { Severity } from "../../core/index.js";
import { isDigestShaped, isTrivialSequence, looksHandTyped, shannonEntropy } from "./entropy.js";
import {
  asStandIn,
  DOC_MARKER,
  GENERIC_RULE_ID,
  notPlaceholder,
  PLACEHOLDER,
  RAILS_MASTER_KEY_RULE_ID,
  SECRET_RULES,
  type SecretRule,
  standsFor,
  VARIABLE_NAME_VALUE,
} from "./rules.js";

/** One secret found in a piece of text. Offsets are in characters of that text. */
export interface SecretHit {
  ruleId: string;
  entity: string;
  title: string;
  severity: Severity;
  secret: string;
  start: number;
  end: number;
  /** 1-based line and column of the secret's first character. */
  line: number;
  column: number;
  /** Present for token kinds with a checksum: whether it verified. */
  checksum?: boolean;
  entropy: number;
  /** A provider-format value whose body was typed by hand (`sk_live_AAAA…`, `hf_xxxx…`): reported at `low`. */
  standIn?: true;
}

/**
 * Provider-format values that fail validation only because the body was typed by hand (runs,
 * repeats, see looksHandTyped) or its ids are typed (`xoxb-1234-1234-…`): test data and docs
 * far more often than live keys, but gitleaks and detect-secrets users see them, so they are reported
 * at `low` with `standIn`. Documentation markers and masks (`EXAMPLE`, `<your-key>`, `${VAR}`,
 * `xxxx`, `****`, see DOC_MARKER) and values of the wrong structure are not reported at all.
 */
function typedStandIn(rule: SecretRule, secret: string): boolean {
  if (DOC_MARKER.test(secret)) return false;
  const body = secret.replace(/^[a-z]+[_-](?:(?:live|test|prod|api\d*|admin\d*|proj|org)[_-])?/i, "");
  if (body.length >= 10 && (/^(.)\1+$/.test(body) || looksHandTyped(body))) return true;
  return rule.validate !== undefined && asStandIn(() => rule.validate!(secret));
}

/**
 * Configuration files, where `key = value` holds text rather than an expression: INI/CFG/CONF,
 * `.properties`, dotenv files, YAML, TOML, `.netrc`/`.npmrc`/`.pypirc`/`.pgpass`, AWS `credentials`.
 */
const CONFIG_FILE =
  /(?:^|[/\\])(?:[^/\\]*\.(?:ini|cfg|conf|config|cnf|properties|env|ya?ml|toml)|\.env(?:\.[\w.-]+)?|\.?(?:netrc|npmrc|pypirc|pgpass|credentials|my\.cnf|s3cfg|boto))$/i;
export const isConfigFile = (path: string): boolean => CONFIG_FILE.test(path);

/**
 * Files that hold settings rather than program logic (session 10): configuration files above, plus XML,
 * JSON, property lists, Terraform, Dockerfiles, run-control dotfiles (`.esmtprc`, `.fetchmailrc`), git
 * and Docker credential stores, and the settings modules of PHP, Python and JavaScript applications
 * (`wp-config.php`, `config.php`, `settings.py`, `config.js`, `knexfile.js`). A password written there
 * is the one the deployment uses, whatever its strength: see weakPassword.
 */
const SETTINGS_FILE =
  /(?:^|[/\\])(?:[^/\\]*\.(?:xml|json|jsonc|json5|plist|tf|tfvars|hcl|rdp|ovpn)|(?:wp-)?config(?:uration)?(?:\.[\w-]+)?\.php|(?:local_?)?settings(?:\.[\w-]+)?\.(?:php|py)|LocalSettings\.php|database\.php|(?:[\w-]+_)?settings\.py|config\.py|(?:[\w-]+\.)?config\.(?:js|cjs|mjs|ts)|knexfile\.(?:js|ts)|Dockerfile(?:\.[\w.-]+)?|\.[a-z][a-z0-9_-]*rc|\.ftpconfig|\.git-credentials|\.dockercfg|config)$/i;
export const isSettingsFile = (path: string): boolean => CONFIG_FILE.test(path) || SETTINGS_FILE.test(path);

/** Inline markers that accept a line (ours with a reason, and the ones gitleaks / detect-secrets users already write). */
const ALLOW_MARKER = /gitleaks:allow|pragma: allowlist secret|rampart:\s*ignore\[(?:[^\]]*\bsecrets\b[^\]]*|\*)\]\s*\S/;

/** Lines index for offset → line/column; built once per text, only when something is found. */
class Lines {
  private starts: number[] | undefined;
  constructor(private readonly text: string) {}
  position(offset: number): { line: number; column: number } {
    if (!this.starts) {
      const s = [0];
      for (let i = this.text.indexOf("\n"); i !== -1; i = this.text.indexOf("\n", i + 1)) s.push(i + 1);
      this.starts = s;
    }
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }

  /** Where the line holding `offset` starts and ends (the end excludes the newline). */
  bounds(offset: number): [number, number] {
    const { line, column } = this.position(offset);
    const start = offset - column + 1;
    const next = this.starts![line];
    return [start, next === undefined ? this.text.length : next - 1];
  }
}

/**
 * An overlap test against many spans, each query in O(log n): spans sorted by start with the running
 * maximum of their ends (a span overlaps [s, e) when some span starting before e ends after s). Session 16:
 * the `.some(…)` scans it replaces made a file of many findings quadratic (a 200 KB line of URL passwords:
 * 2.6 s of CPU, 12× the cost of 50 KB).
 */
function overlapIndex(spans: ReadonlyArray<readonly [number, number]>): (s: number, e: number) => boolean {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  const starts = sorted.map((x) => x[0]);
  const maxEnd: number[] = [];
  let m = Number.NEGATIVE_INFINITY;
  for (const x of sorted) {
    m = Math.max(m, x[1]);
    maxEnd.push(m);
  }
  return (s, e) => {
    // The last span starting before e.
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]! < e) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && maxEnd[lo - 1]! > s;
  };
}

interface Gates {
  /** Case-sensitive keywords of 3+ characters, one alternation: V8's regex scan beats one indexOf per keyword. */
  cs?: RegExp;
  csRules: Map<string, number[]>;
  /** Case-insensitive keywords (ikeywords and the generic rule's key words). */
  ci: RegExp;
  ciRules: Map<string, number[]>;
  /** Rules with keywords too short for the alternation (e.g. "SK") or starting with punctuation, gated one by one. */
  short: Array<{ keywords: readonly string[]; rule: number }>;
  /** Encoded credential literals (base64WrappedHits), looked for in the same pass as `cs`. */
  wrapped: Set<string>;
  /** Those of `wrapped` that count only at the start of a base64 run (a token's encoded prefix). */
  wrappedAtStart: Set<string>;
  /**
   * Patterns with a leading lookbehind removed (a pattern that starts with a lookbehind cannot use
   * the engine's literal-prefix search); the lookbehind's character class is checked in code instead.
   */
  fast: Array<{ pattern: RegExp; before?: RegExp }>;
}

function splitLookbehind(pattern: RegExp): { pattern: RegExp; before?: RegExp } {
  const m = /^\(\?<!(\[(?:\\.|[^\]])+\])\)/.exec(pattern.source);
  if (!m) return { pattern };
  return { pattern: new RegExp(pattern.source.slice(m[0].length), pattern.flags), before: new RegExp(m[1]!, pattern.flags.replace(/[gdy]/g, "")) };
}

const gateCache = new WeakMap<readonly SecretRule[], Gates>();
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function gatesFor(rules: readonly SecretRule[]): Gates {
  let g = gateCache.get(rules);
  if (g) return g;
  const csRules = new Map<string, number[]>();
  const ciRules = new Map<string, number[]>();
  const short: Array<{ keywords: readonly string[]; rule: number }> = [];
  rules.forEach((r, i) => {
    // Short keywords, and ones that start with punctuation (`://`, `--user`): one more literal in the
    // alternation below costs more than a plain substring search (measured: the whole alternation
    // ran 5× slower on text without any keyword once `://` was added).
    if (r.keywords?.some((k) => k.length < 3 || !/^[A-Za-z]/.test(k))) short.push({ keywords: r.keywords, rule: i });
    else for (const k of r.keywords ?? []) csRules.set(k, [...(csRules.get(k) ?? []), i]);
    for (const k of r.ikeywords ?? []) ciRules.set(k.toLowerCase(), [...(ciRules.get(k.toLowerCase()) ?? []), i]);
  });
  const { wrapped, wrappedAtStart } = wrappedLiterals(rules);
  const literals = [...new Set([...csRules.keys(), ...wrapped])].sort((a, b) => b.length - a.length);
  const cs = literals.length ? new RegExp(literals.map(escapeRegex).join("|"), "g") : undefined;
  const ci = new RegExp([...[...ciRules.keys()].map(escapeRegex), KEYWORD.source].join("|"), "gi");
  g = { cs, csRules, ci, ciRules, short, wrapped, wrappedAtStart, fast: rules.map((r) => splitLookbehind(r.pattern)) };
  gateCache.set(rules, g);
  return g;
}

/**
 * Finds secrets in `text`. Two keyword gates (one case-sensitive alternation, one case-insensitive)
 * pick the provider rules worth running and the lines the generic rule looks at, so ordinary source
 * is scanned at regex-engine speed. Overlapping hits keep the more specific (provider) rule.
 */
export function detectSecrets(
  text: string,
  rules: readonly SecretRule[] = SECRET_RULES,
  options: { generic?: boolean; standIns?: boolean; config?: boolean; settings?: boolean; path?: string; decoded?: boolean } = {},
): SecretHit[] {
  if (options.path !== undefined && RAILS_KEY_FILE.test(options.path)) {
    const key = railsMasterKey(text);
    if (key) return [key];
  }
  const lines = new Lines(text);
  const gates = gatesFor(rules);
  // Encoded-literal hits (position, length) for base64WrappedHits.
  const wrappedAt: number[] = [];
  const triggered = new Set<number>(gates.short.filter((s) => s.keywords.some((k) => text.includes(k))).map((s) => s.rule));
  if (gates.cs) {
    const cs = gates.cs;
    cs.lastIndex = 0;
    for (let m = cs.exec(text); m !== null; m = cs.exec(text)) {
      for (const i of gates.csRules.get(m[0]) ?? []) triggered.add(i);
      if (gates.wrapped.has(m[0]) && !options.decoded) wrappedAt.push(m.index, m[0].length);
      // Go on from the next character: an encoded literal may overlap a keyword (`eyJ` opens every base64 JSON).
      cs.lastIndex = m.index + 1;
    }
  }
  const genericAt: number[] = [];
  const generic = options.generic !== false;
  const ci = gates.ci;
  ci.lastIndex = 0;
  for (let m = ci.exec(text); m !== null; m = ci.exec(text)) {
    const provider = gates.ciRules.get(m[0].toLowerCase());
    if (provider) {
      for (const i of provider) triggered.add(i);
      // A provider keyword that is also a generic key word ("password=") still feeds the generic rule, and so does
      // one that ends in a generic key word (Azure's `account_key`, whose value may be any service's key; session 27).
      if (generic) {
        if (GENERIC_HEAD.test(m[0])) genericAt.push(m.index);
        else {
          const inner = innerKeyword(text, m.index, m[0].length);
          if (inner !== -1) genericAt.push(inner);
        }
      }
    } else if (generic) genericAt.push(m.index);
  }
  const hits: SecretHit[] = [];
  // Provider-format values a rule judged to be placeholders: the generic rule must not report them.
  const rejected: Array<[number, number]> = [];
  // Spans of checksum-bearing tokens whose checksum failed: no rule reports them, not even as the password
  // of a URL or the value of an Authorization header (the same string, the same proof).
  const failed: Array<[number, number]> = [];
  for (const index of [...triggered].sort((a, b) => a - b)) {
    const rule = rules[index]!;
    const { pattern, before } = gates.fast[index]!;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
      const gluedLeft = before !== undefined && m.index > 0 && before.test(text[m.index - 1]!);
      if (gluedLeft && !rule.glued) {
        pattern.lastIndex = m.index + 1;
        continue;
      }
      const g = rule.group ?? 1;
      const secret = m[g] ?? m[0];
      const span = m.indices?.[g] ?? m.indices?.[0] ?? [m.index, m.index + m[0].length];
      const checksum = rule.checksum?.(secret);
      // A token with no boundary is only this kind when its checksum says it ends (or starts) there;
      // otherwise it is part of a longer string, as before (not a failed token either).
      if ((gluedLeft || m.groups?.glued !== undefined) && checksum !== true) {
        pattern.lastIndex = m.index + 1;
        continue;
      }
      // A failing checksum proves the provider never issued the string (a test value, a typo, an edited
      // token): not a finding, and the generic rule must not report it either (session 7 decision,
      // docs/code-secrets.md "Checksum look-alikes"; GitHub's own scanning drops them the same way).
      if (checksum === false) {
        rejected.push([span[0], span[1]]);
        failed.push([span[0], span[1]]);
        continue;
      }
      // A checksum that verifies outweighs the look of the body (someone computed it on purpose).
      let standIn = false;
      if (checksum !== true && rule.validate && !rule.validate(secret)) {
        if (rule.notMine?.(secret)) continue;
        rejected.push([span[0], span[1]]);
        if (!options.standIns || !typedStandIn(rule, secret)) continue;
        standIn = true;
      }
      const pos = lines.position(span[0]);
      hits.push({
        ruleId: rule.id,
        entity: rule.entity,
        title: rule.title,
        severity: standIn ? "low" : (rule.severityOf?.(secret) ?? rule.severity),
        secret,
        start: span[0],
        end: span[1],
        line: pos.line,
        column: pos.column,
        ...(checksum !== undefined ? { checksum } : {}),
        entropy: shannonEntropy(secret),
        ...(standIn ? { standIn: true as const } : {}),
      });
    }
  }
  // Keys written as byte arrays (`bytes([0x8f, …])`, C `{0x8f, …}`, Java `new byte[] {…}`): hex runs are
  // rare enough to look for everywhere; decimal runs only where a credential word occurs.
  // Key-word positions whose name is a credential name (filled by genericHits): where decimal byte lists may start.
  const named: number[] = [];
  const settings = options.settings ?? options.config === true;
  let labels: boolean | undefined;
  const labelText = () => (labels ??= (options.path !== undefined && LOCALE_PATH.test(options.path)) || mostlyLabels(text));
  const generics = genericAt.length ? genericHits(text, lines, genericAt, options.config === true, named, settings, labelText) : [];
  // `key = tmp` with `tmp = "…"` above (session 29; names the keyword gate passes are read in genericHits).
  if (generic && !options.config) generics.push(...keyAliasHits(text, lines));
  if (generic && (named.length || text.includes("0x"))) hits.push(...byteArrayHits(text, lines, named));
  if (text.includes("Private Keys")) hits.push(...nodeKeyListHits(text, lines, rules, options.standIns === true));
  // `.pgpass` lines (`host:port:database:user:password`) name nothing: looked for in configuration files only.
  if (generic && options.config && text.includes(":")) hits.push(...pgpassHits(text, lines, settings));
  if (generics.length) {
    const standIn = overlapIndex(hits.filter((k) => k.standIn).map((k) => [k.start, k.end] as const));
    const turnedDown = overlapIndex(rejected);
    for (const h of generics) if (!standIn(h.start, h.end) && !turnedDown(h.start, h.end)) hits.push(h);
  }
  if (wrappedAt.length) hits.push(...base64WrappedHits(text, lines, rules, gates, wrappedAt, options));
  // Only when nothing else was found: a provider's rule names the secret better.
  if (hits.length === 0 && generic && options.path !== undefined && text.length < 4096 && CREDENTIAL_FILE.test(options.path)) {
    const value = credentialFileValue(text);
    if (value && !failed.length) hits.push(value);
  }
  const failedAt = overlapIndex(failed);
  // One look at each line for an allow marker, not one per finding (a long line of findings was quadratic).
  const allowed = new Map<number, boolean>();
  return dedupe(hits).filter((h) => {
    const [a, b] = lines.bounds(h.start);
    let ok = allowed.get(a);
    if (ok === undefined) {
      ok = !ALLOW_MARKER.test(text.slice(a, b));
      allowed.set(a, ok);
    }
    return ok && !failedAt(h.start, h.end);
  });
}

// ---- secrets inside base64 (session 18) -------------------------------------------------------------

/**
 * Token prefixes looked for encoded at the start of a base64 run (an encoded token). A short list: every literal
 * here is one more alternative in the keyword gate's single pass over all text (measured: all ~100 provider
 * keywords cost about 8 % of the scan; these about 2 %). The kinds people put into Kubernetes secrets and CI
 * variables.
 */
const WRAPPED_PREFIXES = [
  "ghp_",
  "gho_",
  "ghu_",
  "ghs_",
  "ghr_",
  "github_pat_",
  "glpat-",
  "npm_",
  "pypi-",
  "xox",
  "AKIA",
  "ASIA",
  "AIza",
  "hf_",
  "sk_live_",
  "rk_live_",
  "sk-",
  "SG.",
];
/** Words that say a decoded text holds credentials (Kubernetes `data:` files, `.dockerconfigjson`, JSON keys). */
const WRAPPED_WORDS = ["password", "passwd", "secret", "token", "private_key", '"auth"'];

/**
 * The base64 characters fixed by `word` alone when it starts `offset` bytes (0–2) into a 3-byte group. Leading
 * digits and `+`/`/` are cut (down to 5 characters): a gate literal that starts with a digit is tried at every
 * digit of the text (measured: CSV scanned at 42 % of its speed with them, 95 % without).
 */
function encodedAt(word: string, offset: number): string {
  const enc = Buffer.concat([Buffer.alloc(offset), Buffer.from(word, "latin1")]).toString("base64");
  let literal = enc.slice(Math.ceil((offset * 4) / 3), Math.floor(((offset + word.length) * 4) / 3));
  while (literal.length > 5 && !/^[A-Za-z]/.test(literal)) literal = literal.slice(1);
  return literal;
}

function wrappedLiterals(rules: readonly SecretRule[]): { wrapped: Set<string>; wrappedAtStart: Set<string> } {
  const wrappedAtStart = new Set<string>();
  // Only prefixes some rule of this set looks for (a caller's own rule list may have none of them).
  const keywords = new Set(rules.flatMap((r) => [...(r.keywords ?? []), ...(r.ikeywords ?? [])]));
  for (const k of WRAPPED_PREFIXES) if ([...keywords].some((w) => w.startsWith(k) || k.startsWith(w))) wrappedAtStart.add(encodedAt(k, 0));
  const anywhere = new Set<string>();
  for (const w of WRAPPED_WORDS) for (const o of [0, 1, 2]) anywhere.add(encodedAt(w, o));
  for (const a of anywhere) wrappedAtStart.delete(a);
  return { wrapped: new Set([...wrappedAtStart, ...anywhere]), wrappedAtStart };
}

const isBase64Char = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47 || c === 45 || c === 95;
/** Bounds: a run longer than this is not decoded (a blob, an image); at most this many runs per text. */
const WRAPPED_MAX_RUN = 65536;
const WRAPPED_MAX_RUNS = 32;

/**
 * Secrets written base64-encoded (a Kubernetes `Secret`'s `data:`, `.dockerconfigjson`, an encoded token in an
 * env value): a base64 run that starts with an encoded provider prefix, or holds an encoded credential word, is
 * decoded and the decoded text scanned once (no deeper); its findings are reported on the run. Each run is
 * read once (the scan left and right of a gate hit never revisits a run), so the cost stays linear.
 */
function base64WrappedHits(
  text: string,
  lines: Lines,
  rules: readonly SecretRule[],
  gates: Gates,
  at: readonly number[],
  options: { generic?: boolean; standIns?: boolean; config?: boolean; settings?: boolean },
): SecretHit[] {
  const out: SecretHit[] = [];
  let done = 0; // end of the last run looked at
  let runs = 0;
  for (let k = 0; k < at.length && runs < WRAPPED_MAX_RUNS; k += 2) {
    const i = at[k]!;
    const literal = text.slice(i, i + at[k + 1]!);
    if (i < done) continue;
    const startsRun = i === 0 || !isBase64Char(text.charCodeAt(i - 1));
    if (gates.wrappedAtStart.has(literal) && !startsRun) continue;
    let a = i;
    while (a > done && isBase64Char(text.charCodeAt(a - 1))) a--;
    let b = i + literal.length;
    while (b < text.length && isBase64Char(text.charCodeAt(b))) b++;
    while (b < text.length && b - a < WRAPPED_MAX_RUN + 2 && text.charCodeAt(b) === 61) b++; // "=" padding
    done = b;
    if (b - a < 16 || b - a > WRAPPED_MAX_RUN) continue;
    runs++;
    const bytes = Buffer.from(text.slice(a, b), "base64");
    let printable = 0;
    for (const c of bytes) if ((c >= 0x20 && c < 0x7f) || c === 0x09 || c === 0x0a || c === 0x0d || c >= 0x80) printable++;
    if (bytes.length < 12 || printable < bytes.length * 0.95) continue;
    const decoded = bytes.toString("utf8");
    const pos = lines.position(a);
    for (const h of detectSecrets(decoded, rules, { ...options, decoded: true })) {
      out.push({ ...h, title: `${h.title} (base64-encoded)`, start: a, end: b, line: pos.line, column: pos.column });
    }
  }
  return out;
}

/** Rails' key files: `config/master.key`, `config/credentials/production.key`. */
const RAILS_KEY_FILE = /(?:^|[/\\])(?:master|credentials[/\\][\w-]+)\.key$/;

/** The whole file is 32 hex characters (`SecureRandom.hex(16)`), not a typed run or one repeated character. */
/**
 * A file named for the credential it holds (Docker and Kubernetes secret mounts, `db_password`, `*.clientSecret`,
 * `some.secret`; session 27): its only value line is the secret, with no name beside it.
 */
const CREDENTIAL_FILE = /(?:password|passwd|secret|token|api[_-]?key)$/i;

function credentialFileValue(text: string): SecretHit | undefined {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#") && !l.startsWith("//"));
  const value = lines.length === 1 ? lines[0]! : "";
  if (!generatedValue(value) || notAValue(value) || TEMPLATE.test(value) || PLACEHOLDER_VALUE.test(value)) return undefined;
  const start = text.indexOf(value);
  return {
    ruleId: GENERIC_RULE_ID,
    entity: "generic-secret",
    title: "Hard-coded credential (a file named for it)",
    severity: "medium",
    secret: value,
    start,
    end: start + value.length,
    line: (text.slice(0, start).match(/\n/g)?.length ?? 0) + 1,
    column: start - text.lastIndexOf("\n", start - 1),
    entropy: shannonEntropy(value),
  };
}

function railsMasterKey(text: string): SecretHit | undefined {
  const m = /^\s*([0-9a-f]{32})\s*$/.exec(text);
  if (!m || isTrivialSequence(m[1]!) || looksHandTyped(m[1]!) || shannonEntropy(m[1]!) < 3) return undefined;
  const start = text.indexOf(m[1]!);
  const line = (text.slice(0, start).match(/\n/g)?.length ?? 0) + 1;
  return {
    ruleId: RAILS_MASTER_KEY_RULE_ID,
    entity: "rails-master-key",
    title: "Rails master key",
    severity: "critical",
    secret: m[1]!,
    start,
    end: start + 32,
    line,
    column: start - text.lastIndexOf("\n", start - 1),
    entropy: shannonEntropy(m[1]!),
  };
}

function dedupe(hits: SecretHit[]): SecretHit[] {
  // Provider rules first (generic last), then by position; drop anything overlapping a kept hit. Kept hits
  // never overlap, so within one group (taken in order of start) a hit can only overlap the group's last
  // kept hit, and a generic hit the provider hits found by overlapIndex (session 16: the scan of every kept
  // hit for every hit was quadratic in the number of findings).
  hits.sort((a, b) => Number(a.ruleId === GENERIC_RULE_ID) - Number(b.ruleId === GENERIC_RULE_ID) || a.start - b.start);
  const providers: SecretHit[] = [];
  const generics: SecretHit[] = [];
  let providerAt: ((s: number, e: number) => boolean) | undefined;
  for (const h of hits) {
    const generic = h.ruleId === GENERIC_RULE_ID;
    const group = generic ? generics : providers;
    const last = group[group.length - 1];
    if (last && h.start < last.end && last.start < h.end) continue;
    if (generic) {
      providerAt ??= overlapIndex(providers.map((k) => [k.start, k.end] as const));
      if (providerAt(h.start, h.end)) continue;
    }
    group.push(h);
  }
  return [...providers, ...generics].sort((a, b) => a.start - b.start);
}

// ---- generic keyword-and-entropy rule ------------------------------------------------------------

const KEYWORD =
  /p(?:ass(?:word|wd|phrase)?|a?s{1,2}w|wd|w\b|rivate[_. -]?key)|secret|token|a(?:pi[_. -]?key|pikey|ccess[_. -]?key|uth[_.-]?key|uthorization)|cred(?:ential|s?\b)|signing[_.-]?key|encryption[_.-]?key|hard-?coded[ _-]key\b|[_.-]auth\b|\bo?auth\b(?=["'\]]{0,2}(?:\s+As\s+(?:New\s+)?[\w.]{1,40})?\s*(?:[:=]>?|[=!]==?|,)\s*[rbu]?["'`][A-Za-z0-9+/=_-]{16})|keys?\b(?=["'\]]{0,2}(?:\s+As\s+(?:New\s+)?[\w.]{1,40})?\s*(?:[:=]>?|>)\s*[rbu]?["'`]?(?:base64:)?[A-Za-z0-9+/=_-]{15})|keys?\b(?=\s*(?:\[\d*\]\s*)?(?::\s*[^=\n]{1,40}?)?(?::=|=)\s*(?:new\s+)?[\w.:<>()[\]\s]{0,40}?[[{(]\s*\d{1,3}\s*,)|(?:keys?|salt)\b(?=["']?\s*[:=,]\s*["'][^"'\n]{32})|salt\b(?=["']?\s*[:=]\s*[^\s"']{32})|master>(?=\{)/gi;
const GENERIC_HEAD = new RegExp(`^(?:${KEYWORD.source})`, "i");
const KEYWORD_AT = new RegExp(KEYWORD.source, "iy");
const AZURE_KEY_NAME = /(?:^|_)(?:account_?key|storage_?key)$/;
const PADDED_BASE64 = /^[A-Za-z0-9+/]+={1,2}$/;
/** Where a key word's first letters stand: the only offsets inside a provider keyword worth a KEYWORD test. */
const WORD_HEAD = /p(?:ass|as?s{1,2}w|wd|w\b|rivate)|secret|token|a(?:pi|ccess|uth)|cred|signing|encryption|[_.-]auth|o?auth|keys?\b|salt|master/gi;
/** Per provider keyword (lower case), the offsets after its first where a generic key word may start (memoised). */
const innerOffsets = new Map<string, number[]>();
/** Where a generic key word starts inside a provider keyword's match (`account_key` holds `key`), or -1. */
function innerKeyword(text: string, at: number, length: number): number {
  const word = text.slice(at, at + length).toLowerCase();
  let offsets = innerOffsets.get(word);
  if (offsets === undefined) {
    offsets = [...word.matchAll(WORD_HEAD)].map((m) => m.index).filter((i) => i > 0);
    if (innerOffsets.size > 4096) innerOffsets.clear();
    innerOffsets.set(word, offsets);
  }
  for (const i of offsets) {
    KEYWORD_AT.lastIndex = at + i;
    if (KEYWORD_AT.test(text)) return at + i;
  }
  return -1;
}
/**
 * `key = "value"`, `key: 'value'`, `"key": "value"`, `key=value` (call keywords), `key := "v"`, and the
 * other assignment operators of Make, BNF-like configs, PHP and shells (`::=`, `:::=`, `?=`, `.=`, `+=`, `||=`, `??=`).
 * Quoted values up to 4096 characters are read (session 12): generated keys and tokens longer than 300
 * exist, and credentialValue still turns down long values that are not one unbroken token-alphabet run.
 * Plain (unquoted) values stay capped at 300 (UNQUOTED): longer ones in configuration files are sealed or
 * encrypted blobs (Bitnami `encryptedData`, SOPS), not credentials.
 */
const QUOTED = /([A-Za-z_$][\w.$-]*)(?:["']\]|["'\]])?\s*(:{1,3}=|\?\?=|\|\|=|[?.+]=|=>|===?|!==?|=|:)\s*(?:[rRbBuU]{1,2})?(["'`])((?:(?!\3)[^\\\n]|\\.){1,4096})\3/dg;
/**
 * Prose and comments that state a credential: "the default password is '…'", "the API key
 * was `…`". The value must be quoted; the words between the key word and "is" are kept short.
 */
const PROSE =
  /\b(pass(?:word|wd|phrase)|pwd|secret|token|api[ _-]?key)s?\b[^\n"'`]{0,40}?(?:["'`][^"'`\n]{1,40}["'`][^\n"'`]{0,20}?)?\b(?:is|was|be|to|as|are)\b:?\s*(["'`\u2018\u201c])([^"'`\u2019\u201d\s]{1,64})["'`\u2019\u201d]/dgi;
const PROSE_VERB = / (?:is|was|be|to|as|are):? /i;
/** Words that describe a credential's state in prose rather than being one. */
const PROSE_WORDS =
  /^(?:required|invalid|expired|missing|incorrect|wrong|correct|valid|empty|blank|optional|disabled|enabled|stored|encrypted|hashed|generated|random|bearer|unknown|revoked|set|unset|correct|secure|insecure|weak|strong|changed|reset)$/i;
/** An element whose name is the key and whose text is the value (XML configs, Spring/Maven settings; blanks around it allowed). */
const ELEMENT = /<([A-Za-z_][\w.:-]*)(?:\s[^<>]*)?>[ \t]{0,8}([^<>\s]{1,300})[ \t]{0,8}<\/\1>/dg;
/** A key name then its value as string arguments: `getenv("API_TOKEN", "…")`, `cfg.get('password', '…')`. */
const CALL = /(["'])([A-Za-z_][\w.-]*)\1\s*,\s*(?:[rRbBuU]{1,2})?(["'])((?:(?!\3)[^\\\n]|\\.){1,300})\3/dg;
/**
 * Unquoted `key: value` / `key=value` pairs anywhere on a line: notes and tickets (`ID: admin PW: x7!k`),
 * logs and command lines (`username=bob,password=…`), query strings (`?token=…&api_key=…`), `.npmrc`
 * (`//host/:_authToken=…`). A key may be two words when the second names the credential (`SECRET KEY:`,
 * `API key =`). The value ends at a blank, a quote, a bracket or a list separator (`,;&|`).
 */
const NOTE =
  /(?<![\w.$])(?<!\w-)([A-Za-z_][\w.-]*(?: (?:[Kk]ey|KEY|[Tt]oken|TOKEN|[Ss]ecret|SECRET|[Pp]ass(?:word)?|PASS(?:WORD)?|PW|[Pp]wd|PWD))?)\s*(?:=|:=|:|=>)(?![=/])\s*((?:[^\s"'`,;&|<>()[\]{}=]|=(?=[=\s"'`,;&|<>)\]}]|$)){3,300})/dg;
/**
 * Words that open a declaration or a phrase rather than a two-word credential name (session 15): code's
 * declaration keywords and types (`const pass = …`, `readonly STENCIL_PASS: …`) and ordinals or
 * determiners in prose (`First pass: …`, `each token: …`).
 */
const NOT_NAME_WORD =
  /^(?:const|let|var|val|final|static|readonly|private|public|protected|internal|export|def|auto|int|char|string|bool|boolean|dim|my|our|local|return|if|elif|else|while|for|and|or|not|in|of|is|this|self|first|second|third|last|next|previous|prev|each|every|one|two|single|multi|initial|a|an|the|no|any|some|with|without)$/i;
/**
 * What follows an unquoted value that makes it part of an expression in code: a call or an index (the
 * value stops before `(` and `[`), `->` (the value keeps the `-`), `?.`, `??`, `||`, `&&` or arithmetic.
 */
const EXPRESSION_TAIL = /^\s*(?:[([]|\?\.|\?\?|\|\||&&|[+*/%]\s|-\s)/;
/**
 * Command-line credentials: `--password X`, `--tlspassword X`, `--api-token X` (a flag named like a
 * credential, then its value after a blank); `-u user:password` is the rule `secrets.command-line-password`.
 * The flag may be the credential word alone (`--apikey X`, `--token X`; before session 27 a letter before it was
 * required, so these were missed).
 */
const CLI_FLAG = /(?:^|\s)--?((?:[A-Za-z][\w-]*?)?(?:pass(?:word|wd)?|pwd|token|secret|api-?key))\s+([^\s"'`-][^\s"'`]{2,299})/dg;
/** Go's typed `var`: `var apiToken string = "…"` (the type stands between the name and `=`). */
const GO_VAR = /\bvar\s+([A-Za-z_]\w*)\s+[\w.*[\]]+\s*=\s*(["'`])((?:(?!\2)[^\\\n]|\\.){1,300})\2/dg;
/**
 * Visual Basic's typed declarations (session 17): `Dim pwd As String = "…"`, `Private Auth As String = "…"`,
 * `Const Password As String = "…"` (the type stands between the name and `=`; `""` is an escaped quote).
 */
const VB_AS = /\b([A-Za-z_]\w*)\s+As\s+(?:New\s+)?[\w.]{1,40}\s*=\s*"((?:[^"\n]|""){1,300})"(?!")/dg;
/**
 * A user name and a password literal handed to a credential type's constructor (session 17):
 * `new NetworkCredential("u", "…")`, `UsernamePasswordCredentials`, `PasswordAuthentication`,
 * `HTTPBasicAuth('u', '…')`, `SimpleCredentials`; PowerShell's `PSCredential ("u", "…")` and .NET's
 * `SqlCredential("u", …)` (session 30). The type says what the second argument is.
 */
const CREDENTIAL_CALL =
  /\b(?:NetworkCredential|PSCredential|SqlCredential|UsernamePasswordCredentials|UsernamePasswordAuthenticationToken|PasswordAuthentication|PasswordCredential|SimpleCredentials|HTTPBasicAuth|HTTPDigestAuth|HttpBasicAuth|BasicAuthenticationHeaderValue)\s*\(\s*(["'])[^"'\n]{0,100}\1\s*,\s*(["'])((?:(?!\2)[^\\\n]|\\.){1,300})\2/dg;
/** Typed declarations: `val password: String = "…"`, `passwd: str = "…"`, `let token: &str = "…"`. */
const TYPED = /([A-Za-z_][\w.$-]*)\s*:\s*&?[A-Za-z_][\w.[\]<>|, ]{0,40}?\s*=\s*(["'])((?:(?!\2)[^\\\n]|\\.){1,300})\2/dg;
/**
 * A credential named by one field and held by the next: Kubernetes `env` entries (`- name: DB_PASSWORD`
 * then `value: …`), CloudFormation parameters, `{"key": "token", "value": "…"}` lists, XML
 * `<bearer key="token" value="…"/>`. NAME_LINE/VALUE_LINE read two lines, PAIR one line.
 */
const NAME_LINE = /^\s*(?:-\s*)?["']?(?:name|key|Name|Key|ParameterKey)["']?\s*[:=]\s*(["']?)([A-Za-z_][\w.-]*)\1\s*,?\s*$/;
/** The value field of such a pair; long values (a 500-character generated secret) are still one value; a YAML comment may follow (session 21). */
const VALUE_LINE = /^\s*(?:-\s+)?["']?(?:value|Value|ParameterValue)["']?\s*[:=]\s*(["']?)([^\s"'#,]{1,4096})\1\s*,?(?:\s+#.*)?\s*$/d;
/**
 * The same pair as sibling XML elements (session 14): `<key>password</key>` (or `<name>`) and, on a line
 * of its own at the same indentation, `<value>…</value>` — property lists and credential stores written
 * as `<entry>` elements. Group 1 is the name / the value, as group 2 above.
 */
const XML_NAME_LINE = /^\s*<(?:key|name|Key|Name)>([A-Za-z_][\w.-]*)<\/(?:key|name|Key|Name)>\s*$/;
const XML_VALUE_LINE = /^\s*<(?:value|Value)>([^<>\s]{1,4096})<\/(?:value|Value)>\s*$/d;
/** Lines that are only a comment (`#`, `//`): they stand between fields without ending the object. */
const COMMENT_LINE = /^\s*(?:#|\/\/)/;
/** A comment line ending with a credential's name and then one token-alphabet value (see candidates). */
const COMMENT_NAMES_VALUE =
  /^\s*(?:#+|\/\/+|\/\*+|\*|--)\s(?:[^"'`=\n]*\s)?((?:hard-?coded|api|access|secret|private|auth|signing|encryption)[ _-](?:key|token|secret)|token|secret)\s+([A-Za-z0-9+/_-]{15,300}={0,2})\s*(?:\*\/)?\s*$/di;
const PAIR = /\b(?:name|key|Name|Key)["']?\s*[:=]\s*["']([A-Za-z_][\w.-]*)["']\s*,?\s*["']?(?:value|Value)["']?\s*[:=]\s*["']([^"'\n]{1,300})["']/dg;
/** A YAML block scalar's head: `password: |`, `secret: >-`, `- token: |2`. */
const BLOCK_HEAD = /^\s*(?:-\s+)?["']?([A-Za-z_][\w.-]*)["']?\s*:\s*[|>][+-]?\d?[+-]?\s*(?:#.*)?$/;
/** `#define PASSWORD "…"`, `%define`, `SET password "…"`: a name then a quoted value, no operator. */
const DEFINE = /(?:^|\s)(?:#\s*define|%define|%global|set|SET|Set|declare|DECLARE)\s+(?:-\w+\s+)?([A-Za-z_][\w.-]*)\s+(["'])((?:(?!\2)[^\\\n]|\\.){1,300})\2/d;
/** `.netrc` and similar: `password <value>` (optionally after `machine … login …`) as the whole line. */
const NETRC = /^\s*(?:machine\s+\S+\s+|default\s+)?(?:login\s+\S+\s+)?(password|passwd)\s+([^\s"'`]{3,300})\s*$/d;
/**
 * Config files: `KEY=value`, `key: value`, `export KEY=value` at the start of a line. A `#` glued inside
 * the value is part of it (dotenv, INI, YAML and shells start a comment only after a blank; Django's
 * generated `SECRET_KEY=r&lv…5#1gx…` was cut there before session 13).
 */
const UNQUOTED = /^\s*(?:export\s+|set\s+)?([A-Za-z_][\w.-]*)\s*(?:=|:)\s*([^\s"'`#;,][^\s"'`;,]{5,299})\s*(?:[#;].*)?$/d;
/**
 * Key names whose value is a credential: the key must end in one of these words (after a `_` or at
 * the start; the longer words also glued to another, as in `jwtsecret`, `dbpassword`; `pwd` glued only to
 * an account or service word, `dbpwd`, `adminpwd` (session 16): the shell's `PWD`/`OLDPWD` are directories).
 */
const SECRET_KEY =
  /(?:^|_)(pass(?:word|wd|phrase)?|passwords|pa?s{1,2}w(?:o?r)?ds?|pwds?|pw|pword|secret|token|api_?key|apikey|access_?key|auth_?key|private_?key|credentials?|creds?|secret_(?:string|str|value|val|text)|secret_?key|secret_key_base|signing_?key|encryption_?key|master_?key|client_?key|app_?key|auth|authorization)$|[a-z](?:password|passwd|passphrase|secret)$|(?:^|_)(?:db|admin|root|user|sys|sql|ftp|smtp|mail|ldap|proxy|redis|app|svc|master|login|web)pwd$/;
/**
 * Names that end in a bare `key` (`key`, `APP_KEY`, `hexKey`, `dict_key`) or `keys` (`auth0_keys`, `api_keys`;
 * session 21): a key is as often an id as a credential, so a value under one counts only when it looks
 * generated (see generatedValue).
 */
const WEAK_KEY = /(?:^|_)(?:keys?|salt)$/;
/**
 * `token_key` names (Apple's APNs `TokenKey`, `token_key` settings): weak like every `*_key` name, since code names
 * the storage slot of a token so (`TOKEN_KEY = "auth_token"`), but a typed secret under one is a secret (see
 * typedSecret; session 24).
 */
const TOKEN_KEY = /(?:^|_)token_keys?$/;
/**
 * `*_key` names whose values are ids, not credentials (database and storage keys, translations, licences). An
 * encryption's primary key is key material (Rails' `active_record_encryption.primary_key`; session 27).
 */
const ID_KEY =
  /(?:^|_)(?:(?<!encryption_)primary|foreign|sort|partition|range|hash|cache|idempotency|dedupe?|row|routing|shard|object|s3|bucket|i18n|translation|locale|license|licence|product|serial|activation|host|known|ssh_public|gpg|pgp|socket|unique|composite|join|order|group|message|event|metric|label|field|column|table|config|setting|state|storage_account_name|short|hot|keyboard)_keys?$/;

/**
 * Tokenizer fields and counters named like secrets (`pad_token`, `max_tokens`, `token_type`), and CAPTCHA site keys
 * (reCAPTCHA, hCaptcha, Turnstile: `RECAPTCHA_SITE_KEY`, `data-sitekey`), which every page that shows the widget
 * publishes; their secret keys keep their names (session 28). Also a key stored encrypted or wrapped (JWE's
 * `encrypted_key`, RFC 7516: ciphertext) and a value the name says is hashed (`hashedTokenKey`; session 33).
 */
const NOT_SECRET_KEY =
  /(?:^|_)(?:pad|eos|bos|unk|sep|cls|mask|start|end|stop|special|sos|image|audio|video|boi|eoi|im_start|im_end|sentinel|extra|begin|bot|eot|fim_prefix|fim_suffix|fim_middle|think|system|user|assistant|new|next|csrf|xsrf|page|pagination|continuation|cursor|refresh_token_url|reset|verification)_token$|(?:^|_)(?:public|publishable)_(?:token|keys?|api_?keys?)$|(?:^|_)(?:encrypted|wrapped)_keys?$|(?:^|_)hashed_|(?:^|_)public_key_token$|(?:^|_)(?:(?:re|h)?captcha|turnstile)(?:_v\d)?_site_?keys?$|(?:^|_)sitekey$|(?:^|_)(?:is|has|use|show|hide|check|validate|require|enable|disable|update|num|max|min|count|len|length)_/;
/**
 * Example values printed in specifications and vendor docs (RFC 6749 §4, AWS docs), and the example UUIDs of
 * RFC 4122 (`f81d4fae-…`) and of the UUID pages every tutorial copies (`123e4567-e89b-12d3-a456-…`; session 29).
 */
const DOC_EXAMPLES = new Set([
  "2YotnFZFEjr1zCsicMWpAA",
  "tGzv3JOkF0XG5Qx2TlKWIA",
  "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  "SplxlOBeZQQYbYS6WxSbIA",
  "f81d4fae-7dec-11d0-a765-00a0c91e6bf6",
  "123e4567-e89b-12d3-a456-426614174000",
  "123e4567-e89b-12d3-a456-426655440000",
]);
/**
 * Template holes and references. A value opening with `$name` is a variable (`$DB_PASS`, PHP's `$row['pw']`,
 * `$this->pw`, `$HOME/.pw`, `$USER@db.example.com`) unless a password's punctuation follows the name
 * directly (`$omespeci@!ch@r$`, `$ecret#1`; session 16): `!#%^~?`, or `@` not opening a host name. A second
 * `$` (`$super$ecret`) stays a substitution (Nosey Parker's negative). Nor is a "name" of 16 or more letters and digits,
 * no underscore, 6 or more of them digits (`$A3ae68d9f8ccfc898ee2…`, a generated value that opens with `$`; session 27).
 */
const DOLLAR_REFERENCE = /^\$(?!(?=[A-Za-z0-9]{16,}\b)(?:[A-Za-z]*\d){6})[A-Za-z_]\w*(?![\w!#%^~?]|@(?![\w-]+(?:\.[\w-]+)+(?::\d+)?(?:[/?]|$)|[\w-]+(?::\d+|\/)))/;
// DOLLAR_REFERENCE is one of its alternatives.
const TEMPLATE = new RegExp(
  String.raw`\$\{|\{\{|\}\}|%\([A-Za-z_][\w.-]*\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|` +
    DOLLAR_REFERENCE.source +
    String.raw`|^&lt;.*&gt;$|^%[A-Za-z_]+%$|^<[^>]*>$|process\.env|os\.environ|getenv|\bENV\[|^\*+$|^•+$`,
);
const PLACEHOLDER_VALUE =
  /example|changeme|change_me|placeholder|redacted|dummy|fake|sample|mock|your[_-]|\bxxx|xxxx|\*\*\*|^(?:none|null|nil|undefined|true|false|password|passwd|secret|token|test|testing|todo|tbd|fixme|required|optional|string|str|env|default|empty|hidden|secret_key|api_key|not[_-]?set|unset)$|^test[_-]|[_-]test$|[_-]test[_-]|^(?:test|demo|pass|pwd)\d*$|^anonymous@?$|^guest$/i;

/**
 * Values that are not a credential whatever name they sit under (session 27, LeakTK's list of fill-ins, seen):
 * holes of configuration tools' templates — token replacement `@@NAME@@`, Puppet/Logstash `%{name}`, Go
 * templates with other delimiters `[[.Name]]`, an encrypted value's envelope (Jasypt `ENC(…)`, eyaml/SOPS `ENC[…]`), Ruby/Spring `#{…}`, an escaped `$\{…}`, JSONPath `{.spec.x}`, a
 * shell command's output `` `cmd` ``, a Jinja call cut at its quote `{{ lookup(` —, code cut out of a line
 * (`).append(`, `x.createElement(`, `#!/usr/bin/python3`), paths into a document (`spec.path[*].secretRef`),
 * file names, a choice of words (`true|false`), an assignment from a variable (`a.password="$VAR"`), a constant's
 * name cut from an argument list (`USER_PASSWORD,`), and words that say the value is to be filled in.
 */
const NOT_A_VALUE = new RegExp(
  [
    String.raw`^@@[^@\s]+@@$`,
    String.raw`^ENC\([^)]*\)$|^ENC\[[^\]]*\]$`,
    String.raw`%\{[A-Za-z_][\w.:-]*\}`,
    String.raw`\[\[[^\]]*\]\]`,
    String.raw`^#\{|#\{[\w.@$]+\}`,
    String.raw`\$\\\{`,
    String.raw`\{\.[\w.[\]*]+\}`,
    String.raw`^\x60\w[\w .:/=-]*\x60$`,
    String.raw`^\{\{`,
    String.raw`^[)\]][,;.]`,
    String.raw`^#!/`,
    String.raw`[A-Za-z_]\w*\.[A-Za-z_]\w*\(`,
    String.raw`^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*\[(?:\*|\d+)\](?:\.[A-Za-z_]\w*|\[(?:\*|\d+)\])*$`,
    String.raw`^(?:[\w.-]+/)*[\w-]+(?:\.[\w-]+)*\.(?:ya?ml|json|tmpl|tpl|j2|svg|png|jpe?g|gif|ico|txt|md|html?|xml|conf|cfg|ini|toml|properties|sh|py|js|ts)$`,
    String.raw`^[a-z]+(?:\|[a-z]+)+$`,
    String.raw`^[A-Za-z_]\w*(?:[.-]\w+)+=["']?\$`,
    String.raw`^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+,$`,
    String.raw`to[_-]?replace|please[_-]?insert|[_-]here\b|not[_-]?(?:a[_-]?)?real\b|not[_-]?actually|fixme|autogenerated`,
  ].join("|"),
  "i",
);

/** A value written with JSON's `\uXXXX` escapes is judged as the text they stand for (`\u003cpassword\u003e`). */
function unescapeUnicode(value: string): string {
  return value.includes("\\u") ? value.replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))) : value;
}

function notAValue(value: string): boolean {
  const plain = unescapeUnicode(value);
  return NOT_A_VALUE.test(plain) || encodedStandIn(plain) || (plain !== value && TEMPLATE.test(plain)) || PASSWORD_HASH.test(plain);
}

/**
 * A password stored hashed in one of the crypt formats (session 37, CredData's `password: "$2a$08$…"` test rows): bcrypt
 * (`$2$`, `$2a$`, `$2b$`, `$2x$`, `$2y$`, a two-digit cost, 53 characters of its base64 alphabet), MD5-crypt and Apache's
 * `$apr1$` (a salt of up to 8, 22 characters), SHA-crypt `$5$`/`$6$` (an optional `rounds=N$`, a salt of up to 16, 43 or
 * 86 characters), and the PHC string of Argon2 (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`). A hash is what a server keeps
 * in place of the password; Rampart claims no hashes (the leaky-repo and LeakTK declarations), so it is no value here.
 */
const PASSWORD_HASH =
  /^(?:\$2[abxy]?\$\d\d\$[./A-Za-z0-9]{53}|\$(?:1|apr1)\$[./A-Za-z0-9]{1,8}\$[./A-Za-z0-9]{22}|\$[56]\$(?:rounds=\d{1,9}\$)?[./A-Za-z0-9]{1,16}\$(?:[./A-Za-z0-9]{43}|[./A-Za-z0-9]{86})|\$argon2(?:id|i|d)\$(?:v=\d{1,3}\$)?m=\d{1,10},t=\d{1,10},p=\d{1,3}\$[A-Za-z0-9+/]{8,88}\$[A-Za-z0-9+/]{16,172})$/;

/**
 * A type's name where code declares a name's type (session 37, CredData's TypeScript and Kotlin files and a Telegram TL
 * schema): `decode(secret: Base32SecretKey)`, `var password: StringCredentialValue? = null`, `password:InputCheckPasswordSRP`.
 * Two to eight capitalised words, each a capital and two or more lower-case letters, or an acronym of capitals that ends
 * where the next word starts; digits only after a word (`Base32`); Kotlin's and Swift's `?`/`!`, an array's `[]`. A
 * generated value has runs of single letters between its capitals (`Xk3mP9qRz`) and fails it. Judged only unquoted,
 * outside configuration files (where a bare word is the value itself), and followed by what goes on with a declaration. The acronym's end is fixed by the look-ahead, so
 * the pattern has one way to split a run of capitals (linear).
 */
const TYPE_NAME = /^(?:[A-Z][a-z]{2,}\d{0,3}|[A-Z]{2,12}\d{0,3}(?=[A-Z][a-z]|[?![]|$)){2,8}(?:[?!]|\[\])?$/;

/** Base64 of printable text that opens with a stand-in word (`RVhBTVBMRS…`, "EXAMPLE…"; `ZHVtbXkg…`, "dummy …") or is a documentation example (AWS's `wJalrXUtnFEMI/…EXAMPLEKEY`). */
function encodedStandIn(value: string): boolean {
  if (value.length < 16 || value.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return false;
  const text = Buffer.from(value, "base64").toString("latin1");
  return /^[\x20-\x7e\t\r\n]+$/.test(text) && (DOC_EXAMPLES.has(text.trim()) || /^(?:example|dummy|fake|sample|placeholder|changeme|redacted|ENC\(.*\)$|ENC\[.*\]$)/i.test(text));
}

/** A Codecov badge or graph URL carrying its graph token. */
const CODECOV_GRAPH = /codecov\.io\/[^\s"'<>)]*\/graphs?\/[^\s"'<>)]*[?&]token=/;

/**
 * A provider's prefix with a body shorter than any token of that kind (GitHub's 36 characters, a fine-grained token's
 * 82, npm's 36, GitLab's 20, Slack's 30 and more): cut short or typed (`GITHUB_TOKEN=ghp_abc123`, `xoxb-123-456-abc`;
 * session 32), it was never issued. A value of full length stays the generic rule's when the provider rule passes it by.
 */
const PROVIDER_PREFIX = /^(?:gh[pousr]_[A-Za-z0-9]{0,35}|github_pat_\w{0,81}|npm_[A-Za-z0-9]{0,35}|glpat-[\w-]{0,19}|xox[abpors]-[\w-]{0,29})$/;

/** Longer runs of name characters are not names. */
const MAX_NAME = 256;

function genericHits(
  text: string,
  lines: Lines,
  positions: readonly number[],
  config: boolean,
  namedAt: number[],
  settings = config,
  labelText: () => boolean = () => false,
): SecretHit[] {
  const hits: SecretHit[] = [];
  let lastLine = -1;
  let weakLine = -1;
  let lineStartAt = 0;
  let lineEndAt = -1;
  for (const at of positions) {
    // Cheap test first: the name around the key word must itself be a credential name
    // ("token_budget", "tokens/s", "max_tokens" are not), so dense logs and configs stay fast.
    // A run of name characters longer than any name is data, not a name (and walking it again from every
    // key word inside it was quadratic).
    let a = at;
    const aMin = Math.max(0, at - MAX_NAME);
    while (a > aMin && isNameChar(text.charCodeAt(a - 1))) a--;
    let b = at;
    const bMax = Math.min(text.length, at + MAX_NAME);
    while (b < bMax && isNameChar(text.charCodeAt(b))) b++;
    if ((a === aMin && a > 0 && isNameChar(text.charCodeAt(a - 1))) || (b === bMax && b < text.length && isNameChar(text.charCodeAt(b)))) continue;
    // Two-word names (`API key`, `SECRET KEY`): the word after a blank may complete the name.
    const name = text.slice(a, b);
    let kind = nameKind(name);
    // `password.equals("…")`, `self.token == "…"`: the dotted segment holding the key word is the name.
    if (kind === 0 && name.includes(".")) {
      const dot = text.lastIndexOf(".", at - 1);
      const next = text.indexOf(".", at);
      kind = nameKind(text.slice(dot >= a ? dot + 1 : a, next !== -1 && next < b ? next : b));
    }
    if (
      kind === 0 &&
      !(text.charCodeAt(b) === 32 && credentialKey(`${text.slice(a, b)}_${/^ ([A-Za-z]+)/.exec(text.slice(b, b + 12))?.[1] ?? ""}`)) &&
      !(text.charCodeAt(b) === 62 && text.slice(a, b) === "master") // Maven's `<master>{…}</master>`
    )
      continue;
    namedAt.push(b);
    // Positions are increasing: the line is found once, not searched for again from every key word in it
    // (a long line of key words made that quadratic).
    if (at >= lineEndAt) {
      lineStartAt = text.lastIndexOf("\n", at - 1) + 1;
      lineEndAt = text.indexOf("\n", at);
      if (lineEndAt === -1) lineEndAt = text.length;
    }
    const lineStart = lineStartAt;
    if (lineStart === lastLine) continue; // one look per line
    const weak = kind === 2;
    if (weak && lineStart === weakLine) continue;
    const lineEnd = lineEndAt;
    if (lineEnd - lineStart > 4096) continue; // minified or data blobs: provider rules only
    const line = text.slice(lineStart, lineEnd);
    // `key` names are everywhere (dicts, sort keys, JSON): look further only when the line holds
    // something a generated value could be (the full bar is applied later).
    if (
      weak &&
      !hasGeneratedRun(line) &&
      !hasRandomPrintable(line) &&
      !MID_PASSWORD.test(normalKey(name.slice(name.lastIndexOf(".") + 1))) &&
      !TOKEN_KEY.test(normalKey(name.slice(name.lastIndexOf(".") + 1))) &&
      !(SECRET_ID_KEY.test(normalKey(name.slice(name.lastIndexOf(".") + 1))) && UUID_IN_LINE.test(line)) &&
      !(serviceKeyName(name) && QUOTED_DIGEST.test(line))
    ) {
      weakLine = lineStart;
      continue;
    }
    lastLine = lineStart;
    const found: Candidate[] = [];
    for (const c of candidates(line, config)) found.push(c);
    // JSON or code inside a string literal (`"\\"awsSecretKey\\":\\"…\\""`) or an HTML/XML attribute
    // (`value="{&quot;password&quot;: &quot;…&quot;}"`, draw.io files): read again with the escapes
    // taken out, offsets mapped back to the line.
    if (line.includes('\\"') || line.includes("\\'") || line.includes("&quot;") || line.includes("&#")) {
      const { text: plain, at } = unescapeQuotes(line);
      for (const c of candidates(plain, config)) if (!found.some((f) => f.start === at[c.start])) found.push({ ...c, start: at[c.start]! });
    }
    // `api_key = tmp`: a credential name given another plain name; aliasedLiteral looks for that name's literal.
    const alias = !config && line.includes("=") ? ALIAS_LINE.exec(line) : null;
    if (alias) found.push({ key: alias[1]!, value: alias[2]!, start: alias.indices![2]![0], quoted: false, form: "assign" });
    // `Client(api_key=tmp)`, `connect(password=tmp)`, `new Client({ apiKey: tmp })`: an argument given a plain name
    // (session 30); only followed to a literal above, never judged as a value itself.
    if (!config && !alias && line.includes("(")) hits.push(...argumentAliasHits(text, lines, line, lineStart));
    const pasted = config && line.includes("${{") ? PASTED_IN_EXPRESSION.exec(line) : null;
    if (pasted) found.push({ key: pasted[1]!, value: pasted[2]!, start: pasted.indices![2]![0], quoted: false, form: "assign", literal: true });
    // A YAML block scalar holding one line (`password: |` then the value, indented, on the next line):
    // the value is text. Longer blocks are certificates, scripts or PEM keys (the provider rules' part),
    // unless every line is one run of the token alphabet (session 11: a value wrapped at a fixed width).
    if (config && lineEnd < text.length && BLOCK_HEAD.test(line)) {
      const key = BLOCK_HEAD.exec(line)![1]!;
      const nextEnd = text.indexOf("\n", lineEnd + 1);
      const next = text.slice(lineEnd + 1, nextEnd === -1 ? text.length : nextEnd);
      const after = nextEnd === -1 ? "" : text.slice(nextEnd + 1, text.indexOf("\n", nextEnd + 1) === -1 ? text.length : text.indexOf("\n", nextEnd + 1));
      const indent = (l: string) => /^ */.exec(l)![0].length;
      const value = next.trim();
      if (value && indent(next) > indent(line) && (after.trim() === "" || indent(after) < indent(next)))
        found.push({ key, value, start: lineEnd + 1 - lineStart + indent(next), quoted: true, form: "assign", literal: true });
      else if (value) {
        // A generated value wrapped over several lines (base64 cut at a fixed width): every body line
        // one unbroken run of the token alphabet, joined as the one value it is.
        const wrapped = wrappedBlock(text, lineEnd + 1, indent(line));
        if (wrapped) found.push({ key, value: wrapped, start: lineEnd + 1 - lineStart + indent(next), quoted: true, form: "assign", literal: true });
      }
    }
    // The name and its operator end the line; the value follows on the next lines (a line continuation,
    // a parenthesised run of string literals, a one-line heredoc, a YAML plain scalar indented below).
    if (lineEnd < text.length && OPEN_TAIL.test(line)) {
      const v = valueBelow(text, line, lineEnd, config);
      if (v) found.push({ key: v.key, value: v.value, start: v.at - lineStart, quoted: true, form: "assign", literal: true });
    }
    // A literal cut into pieces over several lines (`"abc" +` / `"def";`, VB's `& _`, Python's `("abc"` /
    // `"def")`): the pieces joined are the value, judged in place of the first piece alone (session 21).
    if (lineEnd < text.length && CONCAT_END.test(line)) {
      const v = joinedPieces(text, line, lineEnd);
      if (v) {
        const at = v.at - lineStart;
        for (let i = found.length - 1; i >= 0; i--) if (found[i]!.start === at) found.splice(i, 1);
        found.push({ key: v.key, value: v.value, start: at, length: v.length, quoted: true, form: "assign", literal: true });
      }
    }
    // An element whose value stands alone on the next line (`<GithubToken>` / `ff34…` / `</GithubToken>`; session 30).
    if (lineEnd < text.length && line.endsWith(">") && line.includes("<")) {
      const v = elementBelow(text, line, lineEnd);
      if (v) found.push({ key: v.key, value: v.value, start: v.at - lineStart, quoted: true, form: "assign", literal: true });
    }
    // A Terraform variable named for a credential, its `default` a few lines into the block (session 20).
    const tfVar = line.includes("variable") ? TF_VARIABLE.exec(line) : null;
    if (tfVar && credentialKey(tfVar[1]!)) {
      const v = terraformDefault(text, lineEnd);
      if (v) found.push({ key: tfVar[1]!, value: v.value, start: v.at - lineStart, quoted: true, form: "assign", literal: true });
    }
    // A template parameter named for a credential (CloudFormation `DBPassword:` / `"DBPassword": {`, an ARM
    // template's `"adminPassword": {`), its `Default` / `defaultValue` a few lines into its block (session 22).
    const paramHead = line.endsWith(":") || line.endsWith("{") ? PARAM_HEAD.exec(line) : null;
    if (paramHead && credentialKey(paramHead[1]!)) {
      const v = parameterDefault(text, lineEnd, /^ */.exec(line)![0].length);
      if (v) found.push({ key: paramHead[1]!, value: v.value, start: v.at - lineStart, quoted: true, form: "assign", literal: true });
    }
    // The name in one field, the value in a sibling field of the same object, before or after it
    // (`- name: DB_PASSWORD` / `value: …`, HCL `env { value = "…" … name = "…" }`, JSON objects spread
    // over lines, comments between them).
    const named = NAME_LINE.exec(line);
    const xmlNamed = named ? null : XML_NAME_LINE.exec(line);
    const pairName = named?.[2] ?? xmlNamed?.[1];
    if (pairName && credentialKey(pairName)) {
      const v = siblingValue(text, lineStart, lineEnd, xmlNamed !== null);
      if (v) found.push({ key: pairName, value: v.value, start: v.at - lineStart, quoted: true, form: "assign" });
    }
    for (let c of found) {
      // A shell or Compose default (`TOKEN=${API_TOKEN:-s3cr3t…}`) writes its fallback literally: that
      // literal is the value to judge (session 20, after its held-out run). `${NAME}` alone stays a reference.
      if (c.value.charCodeAt(0) === 36) {
        const d = SHELL_DEFAULT.exec(c.value);
        if (d) c = { ...c, value: d[1]!, start: c.start + c.value.indexOf(d[1]!, 3), length: undefined };
      }
      // Argument lists (`('default', 'password', 'invisible')`) hold words: a one-word literal after a
      // `'password'` argument is not taken for a password there, only in assignments.
      if (!credentialKey(c.key)) continue;
      // Padded base64 under an Azure storage-key name is the Azure rule's to judge (its fixed 88-character format):
      // another length is a key cut or made up, not a generic secret (session 27, with innerKeyword).
      if (PADDED_BASE64.test(c.value) && AZURE_KEY_NAME.test(normalKey(c.key))) continue;
      // A template's reference, not a value (session 22): an ARM expression (`[parameters('adminPassword')]`), a
      // JSONPath (`{.credential.token}`), or a parameter's name that the same template declares as a key
      // (`"Password": "ParentMasterPassword"` in CloudFormation JSON; a Spring `password='QuotedSpringPassword'`
      // names nothing and stays a password).
      if (REFERENCE_VALUE.test(c.value) || (PARAMETER_NAME.test(c.value) && declaredKey(text, c.value))) continue;
      // A segment of a resource name (`arn:aws:secretsmanager:…:secret:dev/db`, `urn:…:token:…`) names a
      // kind of resource, not a credential held by the text after it (session 14).
      const keyAt = line.lastIndexOf(c.key, c.start);
      if (keyAt > 0 && line.charCodeAt(keyAt - 1) === 58 && inResourceName(line, keyAt - 1)) continue;
      // Translation and label files: `"repeat_password": "Gjenta passord"` is the text of a form field
      // in some language, not a password. Judged by the value (a phrase of words) in a file whose values
      // are mostly such phrases (or under a locale path); random values there are still judged.
      if (uiPhrase(c.value) && labelText()) continue;
      // Codecov's graph token (`…/graph/badge.svg?token=…`) is read-only and published on purpose in badge
      // URLs (session 15).
      if (c.key.toLowerCase() === "token" && CODECOV_GRAPH.test(line)) continue;
      // `tmp = "…"` above, then `api_key = tmp`: the literal is the credential's value (session 29).
      if (!c.quoted && !c.literal && !config && c.form === "assign") {
        const alias = aliasedLiteral(text, lineStart, c.value);
        if (alias && aliasedSecret(c.key, alias.value)) {
          hits.push(aliasHit(alias, lines));
          continue;
        }
      }
      // A type's name where code declares a name's type (`secret: Base32SecretKey`; session 37).
      // Only after a single `:` (an annotation; `password = ENCrackle123)` assigns) and where the declaration goes on
      // (`,`, `)`, `=`, `;`, `{`, `|`, `>`): a line's last word may be a note's value.
      if (
        !c.quoted &&
        !c.literal &&
        !config &&
        TYPE_NAME.test(c.value) &&
        /[^:]:[ \t]{0,4}$/.test(line.slice(Math.max(0, c.start - 6), c.start)) &&
        /^\s*[,)=;{|>]/.test(line.slice(c.start + c.value.length))
      )
        continue;
      let weak = false;
      if (!credentialValue(c.key, c.value, c.quoted, c.form, !c.call, c.literal)) {
        if (!settings || notAValue(c.value) || !weakContext(c, line) || !weakPassword(c.key, c.value, true)) continue;
        weak = true;
      }
      const pos = lines.position(lineStart + c.start);
      hits.push({
        ruleId: GENERIC_RULE_ID,
        entity: "generic-secret",
        title: weak ? "Hard-coded password (weak or a common word) in a settings file" : "Hard-coded credential",
        severity: weak ? "low" : "medium",
        secret: c.value,
        start: lineStart + c.start,
        end: lineStart + c.start + (c.length ?? c.value.length),
        line: pos.line,
        column: pos.column,
        entropy: shannonEntropy(c.value),
      });
    }
  }
  return hits;
}

/**
 * A whole statement giving a credential name another plain name (`api_key = tmp`, `const API_TOKEN = t;`,
 * `export TOKEN=tmp`), closing punctuation allowed after it (the statement may sit in a string or a call).
 */
const ALIAS_LINE =
  /^\s*(?:(?:export|const|let|var|final|val|my|local|auto|static|private|public|String|string|str)\s+)*([A-Za-z_$][\w$]*)\s*(?::=|=)(?![=>])\s*([A-Za-z_$][\w$]{0,63})\s*[;,)}\]"'`]*\s*(?:(?:\/\/|#).*)?$/d;
/**
 * A keyword argument or an object field inside a call, given a plain name: `f(api_key=tmp)`, `f(password = tmp,`,
 * `f({ apiKey: tmp })`. The name must be followed by `,` or a closing bracket (`f(password=tmp.strip())` is an
 * expression).
 */
const ARGUMENT_ALIAS = /[(,{]\s*([A-Za-z_$][\w$]*)\s*(?:=(?![=>])|:(?![:=]))\s*([A-Za-z_$][\w$]{0,63})\s*(?=[,)}])/g;

/** The credential arguments of one line given a plain name whose literal is assigned above (see aliasedLiteral). */
function argumentAliasHits(text: string, lines: Lines, line: string, lineStart: number): SecretHit[] {
  const hits: SecretHit[] = [];
  ARGUMENT_ALIAS.lastIndex = 0;
  for (let m = ARGUMENT_ALIAS.exec(line); m !== null; m = ARGUMENT_ALIAS.exec(line)) {
    // Go on from the value: the next argument's `,` may open the next match.
    ARGUMENT_ALIAS.lastIndex = m.index + m[0].length;
    if (!credentialKey(m[1]!)) continue;
    const alias = aliasedLiteral(text, lineStart, m[2]!);
    if (alias && aliasedSecret(m[1]!, alias.value)) hits.push(aliasHit(alias, lines));
  }
  return hits;
}

/**
 * Through another name the value must look generated or typed as a secret, besides passing the credential's own
 * judgement: a name's literal (`name = "production-db"`) given to a password field is more often a label.
 */
function aliasedSecret(key: string, value: string): boolean {
  return credentialValue(key, value, true, "assign") && (generatedValue(value) || typedSecret(value) || randomPrintable(value));
}

function aliasHit(alias: { value: string; at: number }, lines: Lines): SecretHit {
  const pos = lines.position(alias.at);
  return {
    ruleId: GENERIC_RULE_ID,
    entity: "generic-secret",
    title: "Hard-coded credential (assigned through another name)",
    severity: "medium",
    secret: alias.value,
    start: alias.at,
    end: alias.at + alias.value.length,
    line: pos.line,
    column: pos.column,
    entropy: shannonEntropy(alias.value),
  };
}

/**
 * `key = tmp` (session 29): a name ending in `key` given another plain name. The keyword gate takes a bare `key`
 * only before a value that could be generated, so these statements are found here, from each `key` / `KEY` / `Key`
 * the text holds (indexOf, then a look at the characters after it; the line is read only when `=` follows).
 */
function keyAliasHits(text: string, lines: Lines): SecretHit[] {
  const hits: SecretHit[] = [];
  for (const word of ["key", "KEY", "Key"]) {
    for (let i = text.indexOf(word); i !== -1; i = text.indexOf(word, i + 3)) {
      let j = i + 3;
      if (text.charCodeAt(j) === 115 || text.charCodeAt(j) === 83) j++; // keys, KEYS
      let k = j;
      while (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9) k++;
      if (text.charCodeAt(k) !== 61 && !(text.charCodeAt(k) === 58 && text.charCodeAt(k + 1) === 61)) continue;
      const lineStart = text.lastIndexOf("\n", i - 1) + 1;
      const end = text.indexOf("\n", k);
      const m = ALIAS_LINE.exec(text.slice(lineStart, end === -1 ? text.length : end));
      if (!m || lineStart + m.indices![1]![1] !== j || !credentialKey(m[1]!)) continue;
      const alias = aliasedLiteral(text, lineStart, m[2]!);
      if (alias && aliasedSecret(m[1]!, alias.value)) hits.push(aliasHit(alias, lines));
    }
  }
  return hits;
}

/**
 * Words that are never a variable holding a literal (constants, the object itself), and names that say what else
 * the value is (`cache_key`, `request_id`, `user_name`, `db_host`): a key or an id of something, not a credential.
 */
const NOT_ALIAS = /^(?:None|True|False|null|nil|undefined|true|false|self|this|super|NULL|nullptr|NaN)$/;
const NAMED_OTHERWISE = /(?:^|_)(?:keys?|ids?|uuid|guid|hash|digest|sha\d*|md5|checksum|name|path|file|url|uri|host|user|username|email|label|title)$/;
/** How far above the credential's line the literal is looked for (about one function's worth). */
const ALIAS_WINDOW = 4000;

/**
 * A value reached through a plain name (session 29): `tmp = "…"` above, then `api_key = tmp`. The literal last
 * assigned to that name within the ALIAS_WINDOW characters above the line is the credential's value, unless the
 * name was given something else after it (`tmp = "…"; tmp = load()`). Only a bare name: members and calls
 * (`self.tmp`, `tmp()`) are expressions that may hold anything; a name after a colon is a type (`host: str = "…"`
 * assigns `host`, not `str`).
 */
function aliasedLiteral(text: string, lineStart: number, name: string): { value: string; at: number } | undefined {
  if (!/^[A-Za-z_$][\w$]{0,63}$/.test(name) || NOT_ALIAS.test(name) || (NAMED_OTHERWISE.test(normalKey(name)) && !credentialKey(name))) return undefined;
  const from = Math.max(0, lineStart - ALIAS_WINDOW);
  const above = text.slice(from, lineStart);
  if (!above.includes(name)) return undefined;
  const head = `(?<![\\w$.]|:\\s{0,8})${escapeRegex(name)}\\s*(?::\\s*[A-Za-z_][\\w.<>[\\]]*\\s*)?(?::=|=)(?![=>])\\s*`;
  const anyAssign = new RegExp(head, "g");
  let lastAssign = -1;
  for (let m = anyAssign.exec(above); m !== null; m = anyAssign.exec(above)) lastAssign = m.index;
  if (lastAssign < 0) return undefined;
  const literal = new RegExp(`${head}[rbuRBU]?(["'\`])((?:(?!\\1)[^\\\\\\n]|\\\\.){1,300})\\1`, "y");
  literal.lastIndex = lastAssign;
  const m = literal.exec(above);
  if (!m) return undefined;
  return { value: m[2]!, at: from + m.index + m[0].length - 1 - m[2]!.length };
}

/**
 * A GitHub Actions expression holding a pasted token instead of a reference (`${{ 5fbd93…e1ed3 }}` where
 * `${{ secrets.GITHUB_TOKEN }}` belongs; session 27): an expression names a context, a function or a quoted
 * literal, never a bare run of 20+ letters and digits with a digit in it, so the run is the value to judge.
 */
const PASTED_IN_EXPRESSION = /^\s*(?:-\s+)?([A-Za-z_][\w.-]*)\s*:\s*\$\{\{\s*((?=[A-Za-z_-]*\d)[A-Za-z0-9_-]{20,300})\s*\}\}\s*$/d;

/** `${NAME:-fallback}` / `${NAME-fallback}` / `${NAME:=fallback}` with a literal fallback (no nested expansion). */
const SHELL_DEFAULT = /^\$\{[A-Za-z_]\w*:?[-=]([^{}$\s'"`]{6,300})\}$/;

/**
 * Whether the `:` at `colon` lies inside an ARN or URN: the run of non-blank, unquoted characters it
 * belongs to starts with `arn:` or `urn:`. Looks back at most 200 characters (a resource name is shorter),
 * so a long line of key words stays linear.
 */
function inResourceName(text: string, colon: number): boolean {
  let i = colon;
  const stop = Math.max(0, colon - 200);
  while (i > stop && !/[\s"'`=(,;[{<>]/.test(text[i - 1]!)) i--;
  return /^(?:arn|urn):/i.test(text.slice(i, i + 4));
}

/** Paths of translation catalogues: `locales/`, `i18n/`, `l10n/`, `lang/`, gettext `.po`, `messages_nb.properties`, `en.json`, `nb-NO.json`. */
const LOCALE_PATH =
  /(?:^|[/\\])(?:locales?|i18n|l10n|lang|langs|languages|translations?)[/\\]|\.pot?$|(?:^|[/\\])messages(?:_[A-Za-z]{2,3}(?:_[A-Za-z]{2,4})?)?\.properties$|(?:^|[/\\])[a-z]{2}(?:[-_](?:[A-Z]{2}|[A-Z][a-z]{3}))?\.(?:json|properties|strings|resx|xlf|xliff|arb)$/;

/**
 * Text a person reads: a capitalised phrase of words in any script, with at most light punctuation and
 * standalone numbers (`Gjenta passord`, `Lösenord`, `Passord (minst 6 tegn)`, `Engangskode:`). Not a
 * secret's shape: no digits or symbols inside a word, no capitals after a word's first letter.
 */
function uiPhrase(value: string): boolean {
  if (value.length > 160 || !/^\p{Lu}/u.test(value)) return false;
  const words = value.split(/\s+/);
  return words.every((w) => /^[("'“«]?(?:\p{Lu}?[\p{Ll}\p{M}'’-]*|\d{1,4})[)"'”»]?[.,:;!?…]?$/u.test(w) && /[\p{L}\d]/u.test(w));
}

const LABEL_VALUE = /[:=]\s*["']([^"'\n]{1,300})["']\s*,?\s*$|^\s*[\w.-]+\s*[=:]\s*([^"'\s{[][^\n]{0,299})$/gm;

/**
 * A label file by its content: of the first few hundred values assigned on their own lines, at least six
 * and most are phrases of several words (a UI catalogue in one language), as in translation files.
 */
function mostlyLabels(text: string): boolean {
  const head = text.length > 65536 ? text.slice(0, 65536) : text;
  let values = 0;
  let phrases = 0;
  LABEL_VALUE.lastIndex = 0;
  for (let m = LABEL_VALUE.exec(head); m !== null && values < 400; m = LABEL_VALUE.exec(head)) {
    const v = (m[1] ?? m[2] ?? "").trim();
    if (!v) continue;
    values++;
    if (/\s/.test(v) && /^\P{N}*\p{L}{2,}(?:\s+\S+){1,}$/u.test(v) && !/[=;]|:\/\//.test(v)) phrases++;
  }
  return values >= 6 && phrases * 2 >= values;
}

/**
 * A name and an assignment operator with nothing after it but a continuation mark: `password = \`,
 * `token = (`, `secret = <<EOT`, `"api_key":`, YAML `password:` (its value on the next, deeper line).
 */
const OPEN_TAIL = /^\s*(?:export\s+)?["']?([A-Za-z_][\w.-]*)["']?\s*(?::=|=>|=|:)\s*(?:\\|\(|<<[-~]?\s*["']?([A-Za-z_]\w*)["']?)?\s*$/;
/** A line that is one string literal, as a value or one piece of a run (`"abc"`, `'abc',`, `"abc")`). */
const LITERAL_LINE = /^\s*(?:[rRbBuU]{1,2})?(["'`])((?:(?!\1)[^\\\n]|\\.){1,300})\1\s*[,;)]?\s*$/;

/**
 * The value of an assignment whose operator ends the line [.., lineEnd): the next non-blank line when
 * it is a string literal alone; a parenthesised run of literals (`(` then `"ab"` / `"cd"` / `)`),
 * joined as Python joins them; a heredoc holding one line; in configuration files, a YAML plain scalar
 * on the next line indented below the name (and not a mapping, a list or a comment).
 */
function valueBelow(text: string, line: string, lineEnd: number, config: boolean): { key: string; value: string; at: number } | undefined {
  const head = OPEN_TAIL.exec(line)!;
  const key = head[1]!;
  if (!credentialKey(key)) return undefined;
  const tag = head[2];
  const paren = !tag && /\(\s*$/.test(line);
  const next: Array<{ text: string; start: number }> = [];
  for (let start = lineEnd + 1, i = 0; start < text.length && i < 8; i++) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    const l = text.slice(start, end);
    if (l.trim() !== "") next.push({ text: l, start });
    start = end + 1;
    if (tag ? l.trim() === tag : paren ? /\)/.test(l) || !LITERAL_LINE.test(l) : next.length) break;
  }
  const first = next[0];
  if (!first) return undefined;
  if (tag) {
    // `<<EOT` / value / `EOT`: one line of body only (longer bodies are scripts, policies, PEM blocks).
    if (next.length !== 2 || next[1]!.text.trim() !== tag) return undefined;
    const v = first.text.trim();
    return /\s/.test(v) ? undefined : { key, value: v, at: first.start + first.text.indexOf(v) };
  }
  if (paren) {
    if (!/\)\s*[,;]?\s*$/.test(next[next.length - 1]!.text)) return undefined;
    // The closing parenthesis may stand alone on its line.
    const body = /^\s*\)\s*[,;]?\s*$/.test(next[next.length - 1]!.text) ? next.slice(0, -1) : next;
    const pieces = body.map((n) => LITERAL_LINE.exec(n.text));
    if (!pieces.length || pieces.some((m) => !m)) return undefined;
    const m0 = pieces[0]!;
    return { key, value: pieces.map((m) => m![2]).join(""), at: first.start + m0.index + m0[0].indexOf(m0[2]!) };
  }
  const lit = LITERAL_LINE.exec(first.text);
  if (lit) return { key, value: lit[2]!, at: first.start + lit[0].indexOf(lit[2]!) };
  // YAML: `password:` then the value alone on the next line, indented deeper.
  if (!config || !/:\s*$/.test(line)) return undefined;
  const indent = (l: string) => /^ */.exec(l)![0].length;
  const v = first.text.trim();
  if (indent(first.text) <= indent(line) || /^[-#&*!|>[{]|:(?:\s|$)|\s/.test(v)) return undefined;
  return { key, value: v, at: first.start + indent(first.text) };
}

/** Cheap test before CONCAT_HEAD: the line ends in a joining operator, a VB continuation, or a quote (`("abc"`). */
const CONCAT_END = /(?:[+&.\\_]|["'])\s*$/;
/**
 * The name, its operator and the first piece of a literal cut over lines: `key = "abc" +`, `Dim key As String
 * = "abc" & _`, `$key = 'abc' .`, `KEY = "abc" \`, or an open parenthesis before the piece (`KEY = ("abc"`).
 */
const CONCAT_HEAD =
  /(?:^|[\s({,])["']?([A-Za-z_$][\w.$-]*)(?:\s+As\s+[\w.]{1,40})?["'\]]?\s*(?::=|=>|=|:)\s*(\()?\s*(?:[rRbBuU]{1,2})?(["'])((?:(?!\3)[^\\\n]|\\.){1,300})\3\s*([+&.\\])?\s*(_)?\s*$/d;
/** One more piece: a literal alone on its line, with a joining operator before or after it, a closing `)`, `;` or `,`. */
const PIECE = /^\s*([+&.]\s*)?(?:[rRbBuU]{1,2})?(["'])((?:(?!\2)[^\\\n]|\\.){1,300})\2\s*(\))?\s*([+&.\\])?\s*(_)?\s*[;,]?\s*$/;
const LEADING_JOIN = /^\s*[+&.]\s*(?:[rRbBuU]{1,2})?["']/;

/**
 * The value of a literal written in pieces over up to 16 lines, joined (how the language joins them), when the
 * head line names a credential; `length` is the first piece's, so the finding points at where the value starts.
 */
function joinedPieces(text: string, line: string, lineEnd: number): { key: string; value: string; at: number; length: number } | undefined {
  const head = CONCAT_HEAD.exec(line);
  if (!head || !credentialKey(head[1]!)) return undefined;
  const paren = head[2] !== undefined;
  let more = head[5] !== undefined || head[6] !== undefined || paren;
  const pieces = [head[4]!];
  for (let start = lineEnd + 1; start < text.length && pieces.length < 16; ) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    const l = text.slice(start, end);
    if (!more && !LEADING_JOIN.test(l)) break;
    const p = PIECE.exec(l);
    if (!p) return undefined;
    pieces.push(p[3]!);
    if (paren && p[4] !== undefined) {
      more = false;
      break;
    }
    more = p[5] !== undefined || p[6] !== undefined || (paren && p[4] === undefined);
    start = end + 1;
  }
  if (pieces.length < 2 || (paren && more)) return undefined;
  const lineStart = lineEnd - line.length;
  return { key: head[1]!, value: pieces.join(""), at: lineStart + head.indices![4]![0], length: head[4]!.length };
}

/**
 * A YAML block scalar's body starting at `from`, when it is 2–32 lines, each one run of the token alphabet
 * at the same indentation deeper than `headIndent`: the run joined. Anything else (text, scripts, PEM
 * armour lines) is not one value.
 */
function wrappedBlock(text: string, from: number, headIndent: number): string | undefined {
  const parts: string[] = [];
  let bodyIndent = -1;
  for (let start = from; start < text.length && parts.length <= 32; ) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    const l = text.slice(start, end);
    const ind = /^ */.exec(l)![0].length;
    if (l.trim() === "" || ind <= headIndent) break;
    if (bodyIndent === -1) bodyIndent = ind;
    if (ind !== bodyIndent || !/^[A-Za-z0-9+/=_-]+$/.test(l.trim())) return undefined;
    parts.push(l.trim());
    start = end + 1;
  }
  return parts.length >= 2 && parts.length <= 32 ? parts.join("") : undefined;
}

/** Where an object's fields begin on a line: its indentation, past a YAML sequence item's `- `. */
function fieldIndent(line: string): { indent: number; item: boolean } {
  const m = /^( *)(- +)?/.exec(line)!;
  return { indent: m[0].length, item: m[2] !== undefined };
}

/** How far (in lines) a sibling field is looked for on either side of the name field. */
const SIBLING_REACH = 24;

/**
 * The `value` field that belongs with the `name`/`key` field on the line [lineStart, lineEnd): a field of
 * the same object at the same indentation, above or below, with only comment lines and other fields
 * between. The object ends where the indentation drops (`{`, `}`, `env {`) or, in YAML, at the next
 * sequence item (`- `), which also opens the item the name belongs to when it is above. By structure, not
 * distance: a `value` two objects away is never paired.
 */
/** A Terraform `variable "NAME" {` block head, and the quoted `default = "…"` inside the block. */
const TF_VARIABLE = /^\s*variable\s+"([A-Za-z_][\w-]*)"\s*\{\s*$/;
const TF_DEFAULT = /^\s*default\s*=\s*"([^"\\\n]{1,4096})"\s*$/d;

/** The block's `default` string, looked for up to its closing `}` (a few lines: description, type, sensitive). */
function terraformDefault(text: string, lineEnd: number): { value: string; at: number } | undefined {
  let start = lineEnd + 1;
  for (let i = 0; i < SIBLING_REACH && start < text.length; i++) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end);
    if (/^\s*\}/.test(line) || TF_VARIABLE.test(line)) return undefined;
    const d = TF_DEFAULT.exec(line);
    if (d) return { value: d[1]!, at: start + d.indices![1]![0] };
    start = end + 1;
  }
  return undefined;
}

const REFERENCE_VALUE = /^(?:\[[a-z][A-Za-z]*\(.*\)\]|\{\.[\w.[\]'"-]+\})$/;
/** A PascalCase name ending in a credential word: a reference when the same text declares it as a key (declaredKey). */
const PARAMETER_NAME = /^[A-Z][a-z]+(?:[A-Z][a-z]+|[A-Z]{2,}(?=[A-Z]))*(?:Password|Passwd|Passphrase|Secret|Token|Key|Credentials?)$/;
/** Whether `name` opens a key somewhere in the text (`"Name":` in JSON, `Name:` at a YAML line's start). */
function declaredKey(text: string, name: string): boolean {
  if (text.includes(`"${name}":`) || text.includes(`"${name}" :`)) return true;
  for (let i = text.indexOf(`${name}:`); i !== -1; i = text.indexOf(`${name}:`, i + 1)) {
    let j = i - 1;
    while (j >= 0 && text.charCodeAt(j) === 32) j--;
    if (j < 0 || text.charCodeAt(j) === 10) return true;
  }
  return false;
}
const PARAM_HEAD = /^\s*["']?([A-Za-z_][\w.-]*)["']?\s*:\s*\{?$/;
const PARAM_DEFAULT = /^\s*["']?(?:Default|defaultValue)["']?\s*:\s*(["']?)([^"'\n]{1,4096}?)\1\s*,?\s*$/d;
/** The `Default` of a parameter block opened at `headIndent`: within its next 8 lines, before the block ends. */
function parameterDefault(text: string, lineEnd: number, headIndent: number): { value: string; at: number } | undefined {
  let start = lineEnd + 1;
  for (let n = 0; n < 8 && start < text.length; n++) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end);
    if (line.trim() !== "") {
      if (/^ */.exec(line)![0].length <= headIndent) return undefined;
      const d = PARAM_DEFAULT.exec(line);
      if (d) return { value: d[2]!, at: start + d.indices![2]![0] };
    }
    start = end + 1;
  }
  return undefined;
}

/** An XML element's opening tag alone on a line, no attributes; the value's line; the closing tag's line. */
const OPEN_ELEMENT_LINE = /^\s*<([A-Za-z_][\w.:-]*)>\s*$/;
const VALUE_ALONE = /^\s*([^<>\s]{1,4096})\s*$/;

/**
 * The value of `<name>` / value / `</name>` written over three lines (pretty-printed XML): the element's name is the
 * key, the middle line's one word the value. Only when the third line closes the same element.
 */
function elementBelow(text: string, line: string, lineEnd: number): { key: string; value: string; at: number } | undefined {
  const open = OPEN_ELEMENT_LINE.exec(line);
  if (!open) return undefined;
  const nextEnd = text.indexOf("\n", lineEnd + 1);
  if (nextEnd === -1) return undefined;
  const next = text.slice(lineEnd + 1, nextEnd);
  const v = VALUE_ALONE.exec(next);
  if (!v) return undefined;
  const closeEnd = text.indexOf("\n", nextEnd + 1);
  const close = text.slice(nextEnd + 1, closeEnd === -1 ? text.length : closeEnd).trim();
  if (close !== `</${open[1]}>`) return undefined;
  return { key: open[1]!.replace(/^[\w-]+:/, ""), value: v[1]!, at: lineEnd + 1 + next.indexOf(v[1]!) };
}

function siblingValue(text: string, lineStart: number, lineEnd: number, xml = false): { value: string; at: number } | undefined {
  const own = fieldIndent(text.slice(lineStart, lineEnd));
  const probe = (start: number, end: number): { value: string; at: number } | "stop" | undefined => {
    const line = text.slice(start, end);
    if (line.trim() === "" || COMMENT_LINE.test(line)) return undefined;
    const f = fieldIndent(line);
    if (f.indent !== own.indent) return "stop";
    // Another `<key>` element opens another pair: the value beyond it is that key's.
    if (xml && XML_NAME_LINE.test(line)) return "stop";
    const v = VALUE_LINE.exec(line);
    if (v) return { value: v[2]!, at: start + v.indices![2]![0] };
    const x = xml ? XML_VALUE_LINE.exec(line) : null;
    return x ? { value: x[1]!, at: start + x.indices![1]![0] } : undefined;
  };
  // Below: up to the end of the object or the next YAML item.
  let start = lineEnd + 1;
  for (let i = 0; i < SIBLING_REACH && start <= text.length && lineEnd < text.length; i++) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end);
    if (fieldIndent(line).item && !COMMENT_LINE.test(line) && line.trim() !== "") break;
    const r = probe(start, end);
    if (r === "stop") break;
    if (r) return r;
    if (end === text.length) break;
    start = end + 1;
  }
  // Above: up to the start of the object, or the YAML item line that opens it (included).
  if (own.item) return undefined;
  let end = lineStart - 1;
  for (let i = 0; i < SIBLING_REACH && end >= 0; i++) {
    const begin = text.lastIndexOf("\n", end - 1) + 1;
    const r = probe(begin, end);
    if (r === "stop") break;
    if (r) return r;
    if (fieldIndent(text.slice(begin, end)).item) break;
    end = begin - 1;
  }
  return undefined;
}

/** A `.pgpass` line: host, port (digits or `*`), database, user, password; `\:` escapes a colon. */
const PGPASS = /^(?:[^\s:#\\]|\\.)+:(?:\d{1,5}|\*):(?:[^\s:\\]|\\.)+:(?:[^\s:\\]|\\.)+:((?:[^\s\\]|\\.){3,300})$/dgm;

function pgpassHits(text: string, lines: Lines, settings: boolean): SecretHit[] {
  const hits: SecretHit[] = [];
  PGPASS.lastIndex = 0;
  for (let m = PGPASS.exec(text); m !== null; m = PGPASS.exec(text)) {
    const value = m[1]!;
    if (value === "*") continue;
    const strong = credentialValue("password", value, false, "assign", true, true);
    if (!strong && !(settings && weakPassword("password", value, true))) continue;
    const start = m.indices![1]![0];
    const pos = lines.position(start);
    hits.push({
      ruleId: GENERIC_RULE_ID,
      entity: "generic-secret",
      title: strong ? "Hard-coded credential" : "Hard-coded password (weak or a common word) in a settings file",
      severity: strong ? "medium" : "low",
      secret: value,
      start,
      end: start + value.length,
      line: pos.line,
      column: pos.column,
      entropy: shannonEntropy(value),
    });
  }
  return hits;
}

const NODE_KEY_LIST_HEAD = /Private Keys[ \t]*\r?\n=+[ \t]*\r?\n/g;
const NODE_KEY_LINE = /^[ \t]*\(\d+\)[ \t]+(0x[0-9a-fA-F]{64})[ \t]*\r?$/;
const NODE_KEY_RULE_ID = "secrets.ethereum-node-private-key";

/**
 * Ganache's account list (`Private Keys`, a `====` rule, then `(n) 0x<64 hex>` lines): each key down to the first
 * line of another shape, judged by the rule `secrets.ethereum-node-private-key` (its validator; a typed body is a
 * stand-in at `low`). One walk down the list, so a long list costs its length (session 27).
 */
function nodeKeyListHits(text: string, lines: Lines, rules: readonly SecretRule[], standIns: boolean): SecretHit[] {
  const rule = rules.find((r) => r.id === NODE_KEY_RULE_ID);
  if (!rule) return [];
  const hits: SecretHit[] = [];
  NODE_KEY_LIST_HEAD.lastIndex = 0;
  for (let m = NODE_KEY_LIST_HEAD.exec(text); m !== null; m = NODE_KEY_LIST_HEAD.exec(text)) {
    let at = m.index + m[0].length;
    while (at < text.length) {
      const end = text.indexOf("\n", at);
      const line = text.slice(at, end === -1 ? text.length : end);
      const k = NODE_KEY_LINE.exec(line);
      if (!k) break;
      const secret = k[1]!;
      const valid = !rule.validate || rule.validate(secret);
      if (valid || (standIns && typedStandIn(rule, secret))) {
        const start = at + line.indexOf(secret);
        const pos = lines.position(start);
        hits.push({
          ruleId: rule.id,
          entity: rule.entity,
          title: rule.title,
          severity: valid ? rule.severity : "low",
          secret,
          start,
          end: start + secret.length,
          line: pos.line,
          column: pos.column,
          entropy: shannonEntropy(secret),
          ...(valid ? {} : { standIn: true as const }),
        });
      }
      if (end === -1) break;
      at = end + 1;
    }
    NODE_KEY_LIST_HEAD.lastIndex = Math.max(NODE_KEY_LIST_HEAD.lastIndex, at);
  }
  return hits;
}

/**
 * 16+ byte literals in a list: hex (`0x8f`, `(byte) 0x8f`, `0x8fu`) searched everywhere (the pattern
 * starts with its literal `0x`, so the engine skips ahead), decimal only right after a key word.
 */
const CAST = "(?:\\(\\s*(?:byte|char|u?int8_t|uint8|u8)\\s*\\)\\s*)?";
const HEX_BYTES = new RegExp(`0[xX][0-9a-fA-F]{1,2}[uU]?(?:\\s*,\\s*${CAST}0[xX][0-9a-fA-F]{1,2}[uU]?){15,}(?![\\w.])`, "g");
const DEC_BYTES = new RegExp(`${CAST}-?\\d{1,3}(?:\\s*,\\s*${CAST}-?\\d{1,3}){15,}(?![\\w.])`, "y");
/**
 * What stands before a byte list: a name, optional `[]`/`[16]`/type annotation, `=`/`:=`/`:`, then at
 * most a constructor and the opening brackets (`bytes([`, `new byte[] {`, `[]byte{`, `Uint8Array.from([`).
 */
const BYTES_HEAD = /([A-Za-z_][\w$]*)["']?\s*(?:\[[^\]\n]{0,16}\]\s*)*(?::\s*[^=\n]{1,40}?)?\s*(?::=|=|:)\s*(?:new\s+)?[\w.:<>()[\]\s]{0,40}?[[{(]\s*(?:\(\s*\w+\s*\)\s*)?$/;

/**
 * Hard-coded keys written as byte lists. The list must be assigned to a credential name (`secret_key`,
 * `hmac_key`, `API_TOKEN`, not `public_key` or `iv`) and hold 16+ bytes with the variety of generated
 * bytes: at least half of them distinct, no constant step (`0, 1, 2, …`), not one repeated value.
 */
function byteArrayHits(text: string, lines: Lines, keywordsAt: readonly number[]): SecretHit[] {
  const runs: Array<{ index: number; text: string }> = [];
  if (text.includes("0x")) {
    HEX_BYTES.lastIndex = 0;
    for (let m = HEX_BYTES.exec(text); m !== null; m = HEX_BYTES.exec(text)) runs.push({ index: m.index, text: m[0] });
  }
  // A decimal list starts within a short statement head after the key word (`secret = bytes([1, …`).
  for (const at of keywordsAt) {
    const open = /[[{(]\s*(?=-?\d)/.exec(text.slice(at, at + 120));
    if (!open) continue;
    DEC_BYTES.lastIndex = at + open.index + open[0].length;
    const m = DEC_BYTES.exec(text);
    if (m && !runs.some((r) => r.index === m.index)) runs.push({ index: m.index, text: m[0] });
  }
  const hits: SecretHit[] = [];
  for (const run of runs) {
    const head = BYTES_HEAD.exec(text.slice(Math.max(0, run.index - 160), run.index));
    if (!head || !credentialKey(head[1]!) || /(?:^|_)(?:iv|nonce|salt|public|pub)(?:_|$)/.test(normalKey(head[1]!))) continue;
    const bytes = (run.text.match(/0[xX][0-9a-fA-F]{1,2}|-?\d{1,3}(?![xX])/g) ?? []).map((b) =>
      b.startsWith("0x") || b.startsWith("0X") ? Number.parseInt(b.slice(2), 16) : Number(b),
    );
    if (bytes.some((b) => b < -128 || b > 255) || new Set(bytes).size * 2 < bytes.length) continue;
    const step = bytes[1]! - bytes[0]!;
    if (bytes.every((b, i) => i === 0 || b - bytes[i - 1]! === step)) continue;
    const pos = lines.position(run.index);
    hits.push({
      ruleId: GENERIC_RULE_ID,
      entity: "generic-secret",
      title: "Hard-coded credential (byte array)",
      severity: "medium",
      secret: run.text,
      start: run.index,
      end: run.index + run.text.length,
      line: pos.line,
      column: pos.column,
      entropy: shannonEntropy(run.text),
    });
  }
  return hits;
}

const ENTITY_QUOTE = /^&(?:quot|apos|#34|#39|#x22|#x27);/;
/**
 * `line` with `\\"`, `\\'` and the HTML entities for quotes turned into plain quotes, and for each
 * character of the result its offset in `line`.
 */
function unescapeQuotes(line: string): { text: string; at: number[] } {
  let text = "";
  const at: number[] = [];
  for (let i = 0; i < line.length; i++) {
    const start = i;
    if (line[i] === "\\" && (line[i + 1] === '"' || line[i + 1] === "'")) i++;
    else if (line[i] === "&") {
      const e = ENTITY_QUOTE.exec(line.slice(i, i + 7));
      if (e) {
        text += /apos|39|27/.test(e[0]) ? "'" : '"';
        at.push(start);
        i += e[0].length - 1;
        continue;
      }
    }
    text += line[i];
    at.push(i);
  }
  at.push(line.length);
  return { text, at };
}

/** Characters of a key name: word characters, `.`, `-` and `$`. */
function isNameChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 45 || c === 36;
}

/**
 * How a value was written: assigned, compared with (`==`, `!=`), stated in prose, or an unquoted
 * pair in the middle of a line (`note`: notes, logs, query strings).
 */
type Form = "assign" | "compare" | "prose" | "note";

/** A value written next to a name on one line, and how it was written. */
interface Candidate {
  key: string;
  value: string;
  start: number;
  /** Characters the value takes in the line when they differ from `value` (a list of characters decoded). */
  length?: number;
  quoted: boolean;
  form: Form;
  call?: boolean;
  literal?: boolean;
}

/**
 * A literal inside an encoding or conversion call under a credential name (session 9):
 * `JWT_PASSWORD = TextCodec.BASE64.encode("…")`, `api_key = base64.b64decode("…")`,
 * `token = Buffer.from("…", "base64")`, `secret = SecretStr("…")`, and an optional value in Scala and Rust,
 * `password = Some("…")` (session 33). Only these callees: a literal given to
 * any other call (`os.getenv("DB_PASSWORD")`, `config.get("token")`) names something else.
 */
const WRAPPED =
  /([A-Za-z_$][\w.$-]*)(?:["']\]|["'\]])?\s*(:{1,3}=|=>|=|:)\s*(?:new\s+)?(?:[A-Za-z_$][\w$]*(?:\(\s*\))?\s*\.\s*){0,4}([A-Za-z_$][\w$]*)\(\s*(?:[rRbBuU]{1,2})?(["'`])((?:(?!\4)[^\\\n]|\\.){1,300})\4/dg;
/**
 * A literal given to a setter named for a credential (session 37, CredData's Java files): `ds.setPassword("…")`,
 * `client.setApiKey("…")`, `manager.setCipherKey(Base64.decode("…"))` (Apache Shiro's remember-me key), and
 * `user.set_password("…")`. The setter's name after `set` is the name the value is judged under, as for
 * `password = "…"`; the literal must be the call's only argument (`setPassword(user, "…")` passes something else),
 * directly or inside one of CONVERTERS.
 */
const SETTER =
  /(?<![\w$])[sS]et_?([A-Za-z][A-Za-z0-9_]{1,60})\s*\(\s*(?:(?:new\s+)?(?:[A-Za-z_$][\w$]*(?:\(\s*\))?\s*\.\s*){0,4}([A-Za-z_$][\w$]*)\(\s*)?(?:[rRbBuU]{1,2})?(["'])((?:(?!\3)[^\\\n]|\\.){1,300})\3\s*\)/dg;
const CONVERTERS =
  /^(?:(?:(?:urlsafe_|standard_)?b(?:16|32|64|85)|base64|hex)?(?:en|de)code(?:bytes|string|base64|hex|tostring)?|(?:en|de)codebase64|atob|btoa|unhexlify|a2b_\w+|fromhex|from|fromstring|getbytes|tochararray|tobytearray|bytes|bytearray|string|str|secretstr|secretstring|secret|char|parsebase64binary|hextobytes|copyfrom|wrap|some)$/i;
/**
 * A literal compared with a name on its right (session 9): `"…".equals(password)`,
 * `"…".equalsIgnoreCase(token)`, `"…" == secret`, `'…' !== apiKey`.
 */
const REVERSED = /(["'])((?:(?!\1)[^\\\n]|\\.){1,300})\1\s*(?:\.\s*equals(?:IgnoreCase)?\s*\(\s*|[!=]==?\s*)(?:this\.|self\.|@)?([A-Za-z_$][\w.$]*)/dg;
/**
 * A literal given as the fallback of an environment read, under the assigned credential name (session
 * 12): `PASSWORD = os.environ.get("PASSWORD") or "…"`, `apiKey = process.env.API_KEY || "…"`,
 * `token = process.env["T"] ?? "…"`, `SECRET := getenv("OTHER", "…")`, `ENV.fetch("X", "…")`, and
 * (session 13) django-environ / environs reads, `env("X", default="…")`, `env.str("X", "…")`. The
 * literal is what runs wherever the variable is unset, so it is a hard-coded credential; the name read
 * from the environment may be any name (the default argument of a call is read by CALL only under that name).
 */
const ENV_FALLBACK =
  /([A-Za-z_$][\w.$-]*)(?:["']\])?\s*(?::=|=>|=|:)\s*(?:os\.environ\.get|os\.getenv|getenv|env(?:\.str)?|ENV\.fetch|System\.getenv|process\.env(?:\.[A-Za-z_$][\w$]*|\[\s*["'][^"'\n]{1,80}["']\s*\])|os\.environ\[\s*["'][^"'\n]{1,80}["']\s*\])\s*(?:\(\s*["'][^"'\n]{1,80}["']\s*(?:\)\s*(?:or|\|\||\?\?)|,\s*(?:default\s*=)?)|(?:or|\|\||\?\?))\s*(?:[rRbBuU]{1,2})?(["'`])((?:(?!\2)[^\\\n]|\\.){1,300})\2/dg;
/**
 * A name compared with a literal by a method or a comparison function (session 9):
 * `password.equals("…")`, `strings.EqualFold(token, "…")`, `hmac.compare_digest(secret, "…")`,
 * `Objects.equals("…", password)`, `secure_compare("…", api_key)`. Group 1/2 or 3/4 (name, literal).
 */
const COMPARED =
  /(?:([A-Za-z_$][\w.$]*)\s*\.\s*equals(?:IgnoreCase)?\s*\(\s*|\b(?:equals|EqualFold|compare_digest|isEqual|timingSafeEqual|ConstantTimeCompare|secure_compare|fixed_length_secure_compare)\s*\(\s*(?:([A-Za-z_$][\w.$]*)\s*,\s*)?)(["'])((?:(?!\3)[^\\\n]|\\.){1,300})\3(?:\s*,\s*([A-Za-z_$][\w.$]*))?/dg;
/**
 * Characters written one by one in a list (session 9): Java `char[] password = {'s', 'e', …}`,
 * `{"s", "e", …}`, and printable ASCII codes `bytes([115, 101, …])`, `new byte[] {115, …}` (4+ items).
 * The characters are joined and judged as the value.
 */
const CHAR_LIST =
  /([A-Za-z_$][\w$]*)\s*(?:\[\s*\d*\s*\])?\s*(?::\s*[^=\n]{1,40}?)?\s*(?::=|=|:)\s*(?:new\s+)?[\w.:<>\s]{0,30}?(?:\[\s*\]\s*)?[[{(]\s*\[?\s*((?:(?:(["'])(?:\\.|[^\\"'\n])\3|\d{2,3})\s*,\s*){3,}(?:(["'])(?:\\.|[^\\"'\n])\4|\d{2,3}))\s*,?\s*[\]})]/dg;

/** The text a CHAR_LIST list spells, or undefined when an item is not a printable character. */
function spelled(list: string): string | undefined {
  let out = "";
  for (const item of list.split(",")) {
    const t = item.trim();
    if (/^\d+$/.test(t)) {
      const n = Number(t);
      if (n < 32 || n > 126) return undefined;
      out += String.fromCharCode(n);
    } else {
      const body = t.slice(1, -1);
      out += body.length === 2 && body[0] === "\\" ? body[1]! : body;
    }
  }
  return out;
}

/** `ENV NAME value` alone on a line, one unquoted word as the value (the `ENV NAME=value` forms are pairs already). */
const DOCKER_ENV = /^\s*ENV\s+([A-Za-z_][\w.-]*)\s+([^\s="'$][^\s"']*)\s*$/d;

function* candidates(line: string, config = false): Generator<Candidate> {
  let any = false;
  QUOTED.lastIndex = 0;
  // Most lines holding a key word have no string literal at all: skip the costlier pattern.
  const quoted = line.includes('"') || line.includes("'") || line.includes("`") || line.includes("\u2018") || line.includes("\u201c");
  for (let m = quoted ? QUOTED.exec(line) : null; m !== null; m = QUOTED.exec(line)) {
    any = true;
    yield { key: m[1]!, value: m[4]!, start: m.indices![4]![0], quoted: true, form: m[2]!.startsWith("!") || m[2]!.startsWith("==") ? "compare" : "assign" };
  }
  if (quoted && line.includes("(")) {
    WRAPPED.lastIndex = 0;
    for (let m = WRAPPED.exec(line); m !== null; m = WRAPPED.exec(line)) {
      if (!CONVERTERS.test(m[3]!)) continue;
      any = true;
      yield { key: m[1]!, value: m[5]!, start: m.indices![5]![0], quoted: true, form: "assign" };
    }
  }
  if (quoted && (line.includes("set") || line.includes("Set")) && line.includes("(")) {
    SETTER.lastIndex = 0;
    for (let m = SETTER.exec(line); m !== null; m = SETTER.exec(line)) {
      if (m[2] !== undefined && !CONVERTERS.test(m[2])) continue;
      any = true;
      yield { key: m[1]!, value: m[4]!, start: m.indices![4]![0], quoted: true, form: "assign" };
    }
  }
  if (quoted && (line.includes("env") || line.includes("ENV"))) {
    ENV_FALLBACK.lastIndex = 0;
    for (let m = ENV_FALLBACK.exec(line); m !== null; m = ENV_FALLBACK.exec(line)) {
      any = true;
      yield { key: m[1]!, value: m[3]!, start: m.indices![3]![0], quoted: true, form: "assign" };
    }
  }
  if (quoted && (line.includes("qual") || line.includes("==") || line.includes("ompare"))) {
    REVERSED.lastIndex = 0;
    for (let m = REVERSED.exec(line); m !== null; m = REVERSED.exec(line)) {
      any = true;
      yield { key: m[3]!.slice(m[3]!.lastIndexOf(".") + 1), value: m[2]!, start: m.indices![2]![0], quoted: true, form: "compare" };
    }
    COMPARED.lastIndex = 0;
    for (let m = COMPARED.exec(line); m !== null; m = COMPARED.exec(line)) {
      // `Objects.equals("…", password)`: with a name after the literal, the name before it is a class.
      const name = m[5] ?? m[1] ?? m[2];
      if (!name) continue;
      any = true;
      yield { key: name.slice(name.lastIndexOf(".") + 1), value: m[4]!, start: m.indices![4]![0], quoted: true, form: "compare" };
    }
  }
  if (line.includes(",") && (line.includes("{") || line.includes("["))) {
    CHAR_LIST.lastIndex = 0;
    for (let m = CHAR_LIST.exec(line); m !== null; m = CHAR_LIST.exec(line)) {
      const value = spelled(m[2]!);
      if (value === undefined) continue;
      any = true;
      yield { key: m[1]!, value, start: m.indices![2]![0], length: m[2]!.length, quoted: true, form: "assign" };
    }
  }
  // XML and HTML-like elements: `<db_password>…</db_password>`, `<ns:secret>…</ns:secret>`.
  if (line.includes("</")) {
    ELEMENT.lastIndex = 0;
    for (let m = ELEMENT.exec(line); m !== null; m = ELEMENT.exec(line)) {
      any = true;
      const name = m[1]!.replace(/^[\w-]+:/, "");
      // Maven `settings-security.xml`: `<master>{…}</master>` holds the encrypted master password.
      const key = name === "master" && /^\{[A-Za-z0-9+/=\\]{16,}\}$/.test(m[2]!) ? "master_password" : name;
      yield { key, value: m[2]!, start: m.indices![2]![0], quoted: true, form: "assign" };
    }
  }
  if (quoted && line.includes(",")) {
    CALL.lastIndex = 0;
    for (let m = CALL.exec(line); m !== null; m = CALL.exec(line)) {
      any = true;
      // A value may name the next argument (`buildConfigField 'String', 'API_KEY', '"…"'`): look again from it.
      CALL.lastIndex = m.indices![4]![0] - 1;
      yield { key: m[2]!, value: m[4]!, start: m.indices![4]![0], quoted: true, form: "assign", call: true };
    }
  }
  // Prose needs a linking verb; most code lines have none, so the sentence pattern is not tried there.
  if (quoted && PROSE_VERB.test(line)) {
    PROSE.lastIndex = 0;
    for (let m = PROSE.exec(line); m !== null; m = PROSE.exec(line)) {
      any = true;
      yield { key: m[1]!.replace(/[ -]/g, "_"), value: m[3]!, start: m.indices![3]![0], quoted: true, form: "prose" };
    }
  }
  if (quoted && /value/i.test(line)) {
    PAIR.lastIndex = 0;
    for (let m = PAIR.exec(line); m !== null; m = PAIR.exec(line)) {
      any = true;
      yield { key: m[1]!, value: m[2]!, start: m.indices![2]![0], quoted: true, form: "assign" };
    }
  }
  if (quoted && line.includes(":")) {
    TYPED.lastIndex = 0;
    for (let m = TYPED.exec(line); m !== null; m = TYPED.exec(line)) {
      any = true;
      yield { key: m[1]!, value: m[3]!, start: m.indices![3]![0], quoted: true, form: "assign" };
    }
  }
  if (quoted && line.includes("var ")) {
    GO_VAR.lastIndex = 0;
    for (let m = GO_VAR.exec(line); m !== null; m = GO_VAR.exec(line)) {
      any = true;
      yield { key: m[1]!, value: m[3]!, start: m.indices![3]![0], quoted: true, form: "assign" };
    }
  }
  if (quoted && /Credential|PasswordAuth|BasicAuth|DigestAuth|HeaderValue/.test(line)) {
    CREDENTIAL_CALL.lastIndex = 0;
    for (let m = CREDENTIAL_CALL.exec(line); m !== null; m = CREDENTIAL_CALL.exec(line)) {
      any = true;
      yield { key: "password", value: m[3]!, start: m.indices![3]![0], quoted: true, form: "assign" };
    }
  }
  if (quoted && line.includes(" As ")) {
    VB_AS.lastIndex = 0;
    for (let m = VB_AS.exec(line); m !== null; m = VB_AS.exec(line)) {
      any = true;
      yield { key: m[1]!, value: m[2]!.replace(/""/g, '"'), start: m.indices![2]![0], quoted: true, form: "assign" };
    }
  }
  if (quoted && /define|global|set|declare/i.test(line)) {
    const d = DEFINE.exec(line);
    if (d) {
      any = true;
      yield { key: d[1]!, value: d[3]!, start: d.indices![3]![0], quoted: true, form: "assign" };
    }
  }
  let lineStart = -1;
  if (!any) {
    const u = UNQUOTED.exec(line);
    if (u) {
      lineStart = u.indices![2]![0];
      // In a configuration file (`.ini`, `.env`, YAML, `.properties`…) the value is text, never an expression; so
      // it is after a shell's `export NAME=` (no blank around `=`: only a shell writes that; session 27).
      yield { key: u[1]!, value: u[2]!, start: lineStart, quoted: false, form: "assign", literal: config || SHELL_EXPORT.test(line) };
    }
    // A Dockerfile's legacy `ENV NAME value` (no `=`): the value is text to the end of the line (session 20).
    const e = u ? null : DOCKER_ENV.exec(line);
    if (e) yield { key: e[1]!, value: e[2]!, start: e.indices![2]![0], quoted: false, form: "assign", literal: true };
    const n = NETRC.exec(line);
    // A wrapped line of prose (`password hashing.` in a schema's documentation) is not a `.netrc` entry.
    if (n && !/^[A-Za-z]+[.,;:]$/.test(n[2]!)) yield { key: n[1]!, value: n[2]!, start: n.indices![2]![0], quoted: false, form: "note", literal: config };
  }
  if (line.includes(" -")) {
    CLI_FLAG.lastIndex = 0;
    for (let m = CLI_FLAG.exec(line); m !== null; m = CLI_FLAG.exec(line))
      yield { key: m[1]!.replace(/-/g, "_"), value: m[2]!, start: m.indices![2]![0], quoted: false, form: "note" };
  }
  // A comment that names the credential and ends with its value, no `:` or `=` between (`// TODO: remove
  // hardcoded key m9RrS35TSfV…`, `# API token 5f0c…`): only a generated-looking value (session 28).
  const said = COMMENT_NAMES_VALUE.exec(line);
  if (said && generatedValue(said[2]!)) yield { key: said[1]!.toLowerCase().replace(/[ -]/g, "_"), value: said[2]!, start: said.indices![2]![0], quoted: false, form: "note" };
  // Pairs in the middle of a line (a quoted value never starts one, so literals above are not seen twice).
  if (line.includes(":") || line.includes("=")) {
    NOTE.lastIndex = 0;
    for (let m = NOTE.exec(line); m !== null; m = NOTE.exec(line)) {
      const start = m.indices![2]![0];
      // The value may itself hold the next pair (`4873/:_authToken=…`): look again from its start.
      NOTE.lastIndex = start;
      // A value cut at the length limit is a blob (sealed or encrypted data), not one credential.
      if (start === lineStart || m[2]!.length >= 300) continue;
      // A sentence's full stop or a closing colon is not part of the value, nor is what follows an escape
      // inside a string (`Credentials: true\r\nContent-Length: 3` in a captured request).
      const value = m[2]!.replace(/\\[nrt].*$/, "").replace(/[.:]$/, "");
      // After `?`, `&` or `/:` (query strings, `.npmrc`) the value is text, never a variable;
      // so is a value after a two-word name (`access key: …`), which code cannot have.
      // A Ruby symbol (`:password => x`) is code, not `/:` of `.npmrc`: its value may be a variable.
      const before = m.index > 0 ? line[m.index - 1]! : "";
      const symbol = before === ":" && (m.index < 2 || /[\s({[,]/.test(line[m.index - 2]!)) && /^\s*=>/.test(line.slice(m.index + m[1]!.length));
      // A declaration keyword or an ordinal before the credential word is not the first word of a two-word
      // name (`const pass = validate(x)`, `First pass: process …`; session 15): the name is the one word.
      const space = m[1]!.indexOf(" ");
      const twoWords = space > 0 && !NOT_NAME_WORD.test(m[1]!.slice(0, space));
      const key = space > 0 && !twoWords ? m[1]!.slice(space + 1) : m[1]!;
      const literal =
        (/[?&:]/.test(before) && !symbol) ||
        (twoWords && /^[A-Za-z]{3,} /.test(m[1]!) && before !== "-") ||
        // Asked only for credential names: every pair of a log line passes here.
        (space < 0 && line.charCodeAt(m.index + m[1]!.length) === 61 && nameKind(m[1]!) !== 0 && shellAssignment(line, m.index, start + m[2]!.length));
      // In code, an unquoted value followed by a call, an index, an arrow or an operator is an expression
      // (`nToken = sqlite3Strlen30(z) + 1`, `pass: result?.pass ?? false`, `n = pExpr->pRight`; session 15).
      const tail = line.slice(start + m[2]!.length);
      if (!literal && !config && (EXPRESSION_TAIL.test(tail) || (tail.startsWith(">") && m[2]!.endsWith("-")))) continue;
      yield { key: key.replace(/ /g, "_"), value, start, quoted: literal, form: "note" };
    }
  }
}

/**
 * A shell command's head up to a `NAME=value` (the text after the last `;`, `&`, `|` or `(` of the line): blanks, a
 * YAML list item's `-` and `run:`, a `$ ` prompt, maybe `export`, `env` or `sudo`, and other such assignments. The
 * value is then a string, whatever it looks like (`PGPASSWORD=social_todo psql …`; session 27). Group 1: `export`
 * or `env`, after which no command needs to follow.
 */
const SHELL_HEAD = /^\s*(?:-\s*)?(?:run:\s*)?(?:\$\s+)?(?:(export|env)\s+|sudo(?:\s+-E)?\s+)?(?:[A-Za-z_]\w*=[^\s"'`]*\s+)*$/;
const SHELL_EXPORT = /^\s*export\s+[A-Za-z_]\w*=[^\s=]/;
/** `echo NAME=value >> .env` and its quoted forms: a line written into a dotenv or properties file. */
const ECHO_HEAD = /\becho\s+(?:-[ne]\s+)?["']?$/;
const ECHO_TAIL = /^["']?\s*>>?\s*\S/;

/**
 * Whether the `NAME=value` at [keyAt, valueEnd) of a line is a shell assignment: an environment variable set for
 * the command that follows (or exported), or a line echoed into a file. Not a log's `key=value` note.
 */
function shellAssignment(line: string, keyAt: number, valueEnd: number): boolean {
  const before = line.slice(0, keyAt);
  const after = line.slice(valueEnd);
  if (before.includes("echo") && ECHO_HEAD.test(before)) return ECHO_TAIL.test(after);
  const head = SHELL_HEAD.exec(before.slice(Math.max(before.lastIndexOf(";"), before.lastIndexOf("&"), before.lastIndexOf("|"), before.lastIndexOf("(")) + 1));
  return head !== null && (head[1] !== undefined || /^\s+[A-Za-z./]/.test(after));
}

const CAMEL = /([a-z0-9])([A-Z])/g;
/**
 * An acronym before a capitalised credential word: `HECToken` → `HEC_Token`, `JWTSecret` → `JWT_Secret` (session 24).
 * Only before a whole credential word: a word cut after its first capitals stays whole (`PASSword`, `OAuth`).
 */
const ACRONYM = /([A-Z]{2,})(?=(?:Token|Secret|Pass(?:word|wd|phrase)?|Pwd|Key|Credential)s?(?![a-z]))/g;
/** clientSecret → client_Secret, HECToken → HEC_Token (lower-cased by the callers). */
const splitCamel = (key: string): string => key.replace(CAMEL, "$1_$2").replace(ACRONYM, "$1_");
const KEY_SEPARATORS = /[-.$]/g;
const KEY_TAIL = /[_\d]+$/;

function credentialKey(key: string): boolean {
  // Called for every keyword hit (every "tokens/s" of a log): skip the rewrites a key does not need.
  const lower = key.toLowerCase();
  let k = lower === key ? key : splitCamel(key).toLowerCase(); // clientSecret → client_secret
  if (k.includes("-") || k.includes(".") || k.includes("$")) k = k.replace(KEY_SEPARATORS, "_");
  const last = k.charCodeAt(k.length - 1);
  if (last === 95 || (last >= 48 && last <= 57)) k = k.replace(KEY_TAIL, "");
  // "auth" alone names a mode or a header scheme far more often than a secret: only `<word>_auth`.
  return (BARE_AUTH.test(k) || SECRET_KEY.test(k) || (WEAK_KEY.test(k) && !ID_KEY.test(k)) || MID_CREDENTIAL.test(k) || SECRET_ID_KEY.test(k)) && !NOT_SECRET_KEY.test(k);
}

/**
 * `secret_id` names (HashiCorp Vault AppRole's SecretID: `vault write auth/approle/login role_id=… secret_id=…`,
 * `VAULT_SECRET_ID`): weak names, since other stores call a secret's name or ARN so (`SecretId="prod/db"`), under
 * which a UUID counts — Vault issues SecretIDs as UUIDs — beside generated values (session 28, from LeakTK).
 */
const SECRET_ID_KEY = /(?:^|_)secret_?id$/;
const UUID_VALUE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `auth` and `oauth` alone name a mode or a header scheme far more often than a secret (`auth = "basic"`):
 * weak names, like a bare `key`, under which only a generated value counts (session 16; before, `auth`
 * alone was no credential name at all, and Sonar's and gosec's `AUTH = "Qm7vXpLr2FzT9baWtHx"` were missed).
 */
const BARE_AUTH = /^(?:o?auth|_oauth)$/;
/** A normalised name under which a typed value may be a credential (not a weak name; see nameKind). */
const strongKey = (k: string): boolean => SECRET_KEY.test(k) && !BARE_AUTH.test(k);
/**
 * A password word inside a longer name (`passwordToChar`, `variableNameWithPasswordInIt`, `db_password_prod`;
 * session 16): a weak name by MID_CREDENTIAL, but a quoted value that passes the password bar (two kinds of
 * character or 12 long, not a fill-in) is a password there, not only a generated value.
 */
const MID_PASSWORD =
  /(?:^|_)(?:password|passwd|passphrase)_(?!(?:[a-z0-9]+_)*(?:error|errors|message|msg|text|title|prompt|input|confirm|confirmation|button|placeholder|tooltip|description|desc|help|caption|heading|warning|invalid|mismatch|match|strength|changed|expired|link|page|form|screen|view|dialog|modal|icon|visible|visibility|toggle|show|hide|mode|state|status|again|repeat|retype|verify|verification|validation|validator|rule|rules|requirement|requirements|complexity|history|age|attempts|retries|lock|locked)(?:_|$))/;

/**
 * Names with a credential word inside rather than at the end (`TEST_PASSWORD_LONG`, `API_KEY_PROD`,
 * `todo_secret_do_not_commit`): weak names, like a bare `key`: only a value that looks generated counts.
 * Not when a later word says the value is about the credential rather than the credential itself
 * (`PASSWORD_MIN_LENGTH`, `API_KEY_URL`, `SECRET_ARN`, `PASSWORD_HASH`) or masks what it is for
 * (`Password-xxxx`). Not `token_…`: in ML code that is a count of model tokens (`token_budget`,
 * `token_limit`), and every such line would have to be read for a value.
 */
const MID_CREDENTIAL =
  /(?:^|_)(?:password|passwd|passphrase|secret|api_?key|access_?key|private_?key)_(?!(?:[a-z0-9]+_)*(?:hash|hashed|digest|id|ids|url|uri|endpoint|host|path|file|dir|name|type|length|len|size|count|expiry|expire|expires|expiration|ttl|timeout|lifetime|arn|version|header|field|param|policy|format|regex|pattern|prefix|suffix|hint|label|enabled|disabled|min|max|required|reset|rotation|salt|kms|ref|source|env|var|location|store|provider|manager|mount|file|template|encrypted|cipher|checksum|fingerprint|signature|sig|x{3,})(?:_|$))[a-z0-9_]+$/;

/** Names seen at keyword hits and what they are: 0 not a credential name, 1 a credential name, 2 a bare `key` name. */
const nameKinds = new Map<string, 0 | 1 | 2>();
/** Memoised (names repeat: `key` thousands of times in a JSON file); bounded so odd text cannot grow it. */
function nameKind(name: string): 0 | 1 | 2 {
  let k = nameKinds.get(name);
  if (k === undefined) {
    k = !credentialKey(name) ? 0 : strongKey(normalKey(name)) ? 1 : 2;
    if (nameKinds.size > 4096) nameKinds.clear();
    nameKinds.set(name, k);
  }
  return k;
}

/** A UUID anywhere on a line (the gate of `secret_id` lines, see SECRET_ID_KEY). */
const UUID_IN_LINE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const TOKEN_RUN = /[A-Za-z0-9+/=_-]{15,}/g;
/** True when the line holds a run of 15+ token characters that passes generatedValue. */
function hasGeneratedRun(line: string): boolean {
  TOKEN_RUN.lastIndex = 0;
  for (let m = TOKEN_RUN.exec(line); m !== null; m = TOKEN_RUN.exec(line)) if (generatedValue(m[0])) return true;
  return false;
}

const LONG_QUOTED = /(["'])([^"'\n]{32,300})\1/g;
/** True when the line holds a quoted value of random printable characters (WordPress's `NONCE_SALT`, see randomPrintable). */
function hasRandomPrintable(line: string): boolean {
  LONG_QUOTED.lastIndex = 0;
  for (let m = LONG_QUOTED.exec(line); m !== null; m = LONG_QUOTED.exec(line)) if (randomPrintable(m[2]!)) return true;
  return false;
}

/** Normalised key name (as credentialKey reads it): `clientSecret` → `client_secret`, `HEX-KEY` → `hex_key`. */
function normalKey(key: string): string {
  return splitCamel(key).toLowerCase().replace(KEY_SEPARATORS, "_").replace(KEY_TAIL, "");
}

/**
 * The bar for a value under a bare `key` name: it must look machine-generated. Token alphabet only,
 * 15+ characters, letters and digits, not a digest or UUID (cache keys, ids), not typed by hand, not a
 * snake/kebab identifier, and Shannon entropy ≥ 3.5 bits per character.
 */
function generatedValue(v: string): boolean {
  if (v.length < 15 || v.length > 300 || !/^[A-Za-z0-9+/=_-]+$/.test(v)) return false;
  if (!/[0-9]/.test(v) || !/[A-Za-z]/.test(v) || isDigestShaped(v) || looksHandTyped(v)) return false;
  if (/^[A-Za-z]+(?:[_-][A-Za-z0-9]+)+$/.test(v) || /^\d+[A-Za-z]{0,2}$/.test(v) || /^(?:[a-z0-9_-]{2,}\/)+[a-z0-9_.-]+$/.test(v)) return false;
  return shannonEntropy(v) >= 3.5;
}

/**
 * A secret typed by hand rather than a name or a slot: 8–64 characters without blanks, letters and digits, and a
 * character no identifier, path, address or encoding uses (`@`, `$`, `%`, `!`, `[`, …) after the first character
 * (`b@d0@u7H70K3n`, `DFSF…[DSF…%3D`). Storage slots (`auth_token`, `@app:token`, `x-access-token`), format strings,
 * e-mail addresses and values naming what they hold are not.
 */
function typedSecret(v: string): boolean {
  if (v.length < 8 || v.length > 64 || /\s/.test(v) || !/[A-Za-z]/.test(v) || !/\d/.test(v)) return false;
  if (!/^[A-Za-z0-9].*[^A-Za-z0-9_.:/+=-]/.test(v) || /%[sdr]|\{\w*\}/.test(v) || /^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$/.test(v)) return false;
  // A slot or a fill-in says what it holds (`your@token1`, `app$token$v2`); a secret does not.
  if (/^(?:your|my|some|the)\W|token|secret|passw|key/i.test(v)) return false;
  return !lowVariety(v) && !isTrivialSequence(v) && shannonEntropy(v) >= 2.5;
}

/**
 * A hex digest or UUID shape under a `<service>_key` name (`algolia_key`, `snyk_key`, `codeclimate_key`;
 * session 22): many services issue keys in exactly those shapes, so under a name that says whose key it is the
 * shape is no evidence of an id; also after a short prefix of the service's (`key-…`, `sk_…`, `pub-c-<uuid>`,
 * `sdk-<uuid>`). Not under a bare `key`/`keys`/`salt` (cache keys, dictionary keys), nor
 * when a word of the name says the value identifies something (KEY_ID_WORDS), and only when the digits
 * look drawn at random (no run of one character, both letters and digits).
 */
const SERVICE_KEY = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*_(?:api_)?keys?$/;
const KEY_ID_WORDS =
  /(?:^|_)(?:sha\d*|md5|hash|hashed|checksum|digest|etag|fingerprint|uuid|guid|id|uid|instance|device|session|request|trace|correlation|commit|revision|build|file|content|cache|site|kms|cmk|key_vault|vault|map|lookup|dict|index|registry|resource|record|entity|node|item|asset|image|media|upload|download|storage|blob|queue|topic|tenant|directory|project|workspace|org|team|dataset|model|experiment|run|job|task|step|test|example|sample|dummy|fake|mock|default|old|new|prev|previous|next|last|first|local|remote|upstream|parent|child|root|base|head|tail|source|target|dest|destination|feature|flag|tracking|analytics|instrumentation|telemetry|insights)_/;
/** A quoted hex digest or UUID shape on a line (the gate of namedDigestKey's weak-name lines). */
const QUOTED_DIGEST =
  /["'](?:[A-Za-z]{1,6}(?:-[a-z])?[-_])?(?:[0-9a-fA-F]{32}|[0-9a-fA-F]{40}|[0-9a-fA-F]{64}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})["']/;
/** A service's short prefix before the digits (`key-`, `sk_`, `sdk-`, `pub-c-`, `HRKU-`), as issued. */
const DIGEST_PREFIX = /^[A-Za-z]{1,6}(?:-[a-z])?[-_]/;
const serviceKeyNames = new Map<string, boolean>();
/** Memoised like nameKind: whether a name (its last dotted segment) is a `<service>_key` name. */
function serviceKeyName(name: string): boolean {
  let v = serviceKeyNames.get(name);
  if (v === undefined) {
    const k = normalKey(name.slice(name.lastIndexOf(".") + 1));
    v = SERVICE_KEY.test(k) && !KEY_ID_WORDS.test(k);
    if (serviceKeyNames.size > 4096) serviceKeyNames.clear();
    serviceKeyNames.set(name, v);
  }
  return v;
}
function namedDigestKey(name: string, value: string): boolean {
  if (!SERVICE_KEY.test(name) || KEY_ID_WORDS.test(name)) return false;
  const hex = value.replace(DIGEST_PREFIX, "").replace(/-/g, "");
  return /[a-f]/i.test(hex) && /\d/.test(hex) && !/(.)\1{3}/.test(hex) && shannonEntropy(hex) >= 3.2;
}

/** Words of UI labels, help text and descriptions: a quoted phrase holding one is not a passphrase. */
const PHRASE_WORDS =
  /^(?:pass(?:word|wd|phrase)?s?|secrets?|tokens?|keys?|user(?:name)?s?|login|logins|sign|log|in|out|enter|your|my|new|old|confirm|current|repeat|retype|type|required|invalid|incorrect|wrong|must|should|please|the|a|an|for|of|to|is|are|be|not|and|or|with|without|field|label|hint|placeholder|characters?|length|minimum|maximum|at|least|here|this|that|set|reset|change|forgot|show|hide|remember|save|empty|none|null|default|value|text|string|example|test|dummy|fake|sample)$/i;

/**
 * A quoted passphrase under an explicit password name (`password = 'open sesame'`): two to four
 * words of 8–40 characters, none of them a label or help-text word, not a Title Case label, no
 * sentence punctuation or format markers.
 */
function passphraseValue(v: string): boolean {
  if (v.length < 8 || v.length > 40 || !/^\S+(?: \S+){1,3}$/.test(v)) return false;
  if (/[.:?!]$|[%{}<>$\\]|^\W/.test(v)) return false;
  const words = v.split(" ");
  if (words.some((w) => PHRASE_WORDS.test(w.replace(/[^A-Za-z]/g, "")))) return false;
  return !words.every((w) => /^[A-Z][a-z]+$/.test(w));
}

/** 32 bytes in hex after `0x`: an Ethereum private key as wallets and node tools print it (an address has 20). */
const ETH_KEY = /^0[xX][0-9a-fA-F]{64}$/;

/** One-class words that are types, modes or labels rather than passwords. */
const ONE_CLASS_WORDS =
  /^(?:string|number|integer|boolean|object|function|symbol|bigint|passed|failed|skipped|pending|success|failure|secret|private|public|protected|hidden|masked|sensitive|optional|required|default|system|server|client|admin|administrator|nullable|prompt|config|settings|environment|keyring|keychain|vault|unknown|anonymous|disabled|enabled|none|nothing|missing|removed|deleted|omitted|notset|unused|ignored|redacted|censored|obscured|plaintext|encrypted|password|passwd|passphrase|credentials?|username|userpass|login|logout|signin|signup|submit|cancel|forgot|remember|reset|change|update|confirm|verify|invalid|incorrect|expired|strong|weak|medium)$/i;

/**
 * Extra bar for unquoted values in the middle of a line: logs and notes are full of `key=value` pairs
 * whose value is a number, a flag, a path, an address, a date, a chained assignment or a label.
 */
function noteValue(value: string, literal = false): boolean {
  if (/^[\d.,:+-]+$/.test(value) || /^(?:true|false|yes|no|on|off|null|none|nil|n\/a|na|ok|enabled|disabled)$/i.test(value)) return false;
  // In code: numbers written as code writes them (`0x0B96`, `0b1010`, `1024UL`) and namespaces of words
  // (`pw:adb:send`, a debug channel; session 15). A configuration file's bare value is text. A 256-bit number
  // under a credential name (`PRIVATE_KEY=0x<64 hex>` in a README's shell line, Solidity's `0x…` key) is a key,
  // written as Ethereum tools print one (session 27).
  if (!literal && !ETH_KEY.test(value) && (/^(?:0[xX][0-9a-fA-F_]+|0[bBoO][0-7_]+|\d[\d_]*)[uUlLnNfF]{0,3}$/.test(value) || /^[A-Za-z]+(?::[A-Za-z]+)+$/.test(value))) return false;
  // `a=b` inside is a chained assignment or a nested pair, unless the whole value is a long generated
  // string that happens to hold `=` (base64 bodies, `SG.…_d=gq…`): then the `=` are part of it.
  if (
    (/=[^=]/.test(value) && !randomWithEquals(value)) ||
    /^[-+*%@!]/.test(value) ||
    (value.startsWith("$") && (!/^\$[A-Za-z_]/.test(value) || DOLLAR_REFERENCE.test(value))) ||
    /^[A-Z_][A-Z0-9_]*$/.test(value)
  )
    return false;
  // e-mail addresses, host names and versions: identifiers, not secrets.
  if (/^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$/.test(value) || /^(?:[a-z0-9-]+\.)+[a-z]{2,}$/i.test(value) || /^v?\d+(?:\.\d+)+[\w.-]*$/.test(value)) return false;
  return true;
}

/**
 * A long value of random printable characters that may hold blanks: 32+ characters, all four
 * character classes, at most one blank per 8 characters, no word of 5+ letters, ≥ 4.5 bits a character.
 */
function randomPrintable(value: string, classes = 4): boolean {
  if (value.length < 32 || value.length > 300 || (value.match(/ /g)?.length ?? 0) * 8 > value.length || !/^[\x20-\x7e]+$/.test(value)) return false;
  if (looksHandTyped(value.replace(/[^A-Za-z0-9]/g, ""))) return false;
  // Three capitalised words run together are a name in code (`sqlite3VdbeAllocUnpackedRecord(…)`; session
  // 15). A plain run of letters is not evidence: base64 bodies hold long ones (a first version that counted
  // 16 letters in a row lost a seen positive, a PEM body under `key`).
  if (/(?:[A-Z][a-z]{3,}){3}/.test(value)) return false;
  if (!/[^A-Za-z0-9\s]/.test(value) || [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9\s]/].filter((r) => r.test(value)).length < classes) return false;
  // Words (`Sentence`, `numbers`, `ALLCAPS`) mark prose; random runs mix cases (`pxMctoyA`). One short
  // word-shaped run turns up by chance in a 64-character random value (`Znmlu`), three or a long one do not.
  const words = (value.match(/[A-Za-z]{5,}/g) ?? []).filter((w) => /^[A-Z]?[a-z]+$|^[A-Z]+$/.test(w));
  if (words.length >= 3 || words.some((w) => w.length >= 8)) return false;
  return shannonEntropy(value) >= 4.5;
}

/** A long random value holding `=` (base64 padding inside a joined value, `SG.…_d=gq…`): letters and digits, ≥ 3.5 bits a character. */
function randomWithEquals(value: string): boolean {
  const bare = value.replace(/[=.]/g, "");
  return value.length >= 24 && /^[A-Za-z0-9+/_-]+$/.test(bare) && /\d/.test(bare) && /[A-Za-z]/.test(bare) && !looksHandTyped(bare) && shannonEntropy(bare) >= 3.5;
}

/** Words joined by separators, one of them naming a credential, and at most three digits at the end (`CKV_SECRET_9`,
 * `mongodb-client-auth`, `foo_key_private`: a check's id or a resource's name). */
const NAMING_WORDS_VALUE = (value: string): boolean =>
  /pass(?:word|wd)|secret|token|(?:^|[_-])(?:key|auth|cert|credentials?|kubeconfig)(?:$|[_-])/i.test(value) && /^[A-Za-z_\-/#.:]+\d{0,3}$/.test(value) && /[_\-/#.:]/.test(value);

function credentialValue(key: string, raw: string, quoted: boolean, form: Form = "assign", oneClassPasswords = true, literal = false): boolean {
  // A shell-quoted piece inside a string (`"'$DB_PASS'"`) is judged without its quotes.
  const value = raw.length > 2 && /^(['"]).*\1$/.test(raw) ? raw.slice(1, -1) : raw;
  const lowerKey = key.toLowerCase();
  const isPassword = /pass|pa?s{1,2}w|pwd|(?:^|[_.-])pw$/.test(lowerKey) || lowerKey === "pw";
  // Longer than 300 characters only as one unbroken run of the token alphabet (a long generated secret
  // in a sibling `value` field); longer text is prose, a script or data.
  if (value.length < 6 || (value.length > 300 && (value.length > 4096 || !/^[A-Za-z0-9+/=_-]+$/.test(value)))) return false;
  if (standsFor(value) || notAValue(value) || DOC_EXAMPLES.has(value.toLowerCase()) || PROVIDER_PREFIX.test(value)) return false;
  const plain = unescapeUnicode(value);
  if (plain !== value) return plain.length >= 6 && !/^[^\x00-\x7f]*$/.test(plain) && credentialValue(key, plain, quoted, form, oneClassPasswords, literal);
  // An HTTP Authorization value written whole under a credential name (`token = "Bearer …"`; RFC 6750 §2.1): the
  // credential is the part after the scheme, judged as a generated value (session 37, CredData's C# tests).
  const bearer = /^[Bb]earer ([A-Za-z0-9._~+/-]{16,1024}=*)$/.exec(value);
  if (bearer) return generatedValue(bearer[1]!) && !PLACEHOLDER_VALUE.test(bearer[1]!) && !TEMPLATE.test(bearer[1]!);
  // Generated keys drawn from all printable characters, blanks included (WordPress's `AUTH_KEY` and
  // its siblings from the secret-key service): long, dense, few blanks; prose and labels are not.
  // Also under bare `*_KEY` / `*_SALT` names (`LOGGED_IN_KEY`, `NONCE_SALT`; session 10): the value's
  // density is the evidence there.
  // Under bare names only values with punctuation beyond the token alphabet: token-alphabet values
  // there keep generatedValue's bar (which turns down `sk-admin-…`-shaped identifiers).
  const strongName = strongKey(normalKey(key));
  // Not a template literal's hole (`Basic ${Buffer.from(auth).toString("base64")}`; session 15).
  if ((strongName ? /\s/.test(value) : WEAK_KEY.test(normalKey(key)) && /[^A-Za-z0-9+/=_-]/.test(value)) && randomPrintable(value))
    return !PLACEHOLDER_VALUE.test(value) && !/\$\{|\{\{[^}]*\}\}|%\([A-Za-z_]\w*\)[sd]/.test(value);
  // The same in a configuration file's bare value under a credential name, with three kinds of character
  // (session 13): Django's generated `SECRET_KEY=r&lv…q)=x-!=0…` has no capitals, and its `(`, `)` and `=`
  // are characters of the key, not an expression or a chained assignment.
  if (literal && !quoted && strongName && randomPrintable(value, 3))
    return !PLACEHOLDER_VALUE.test(value) && !/\$\{[A-Za-z_][\w.:-]*\}|\{\{[^}]*\}\}|%\([A-Za-z_]\w*\)[sd]/.test(value);
  if (/\s/.test(value))
    return (
      oneClassPasswords &&
      isPassword &&
      quoted &&
      (form === "assign" || form === "compare") &&
      value === raw &&
      passphraseValue(value) &&
      !PLACEHOLDER_VALUE.test(value) &&
      !ECHO_ELSEWHERE.test(value)
    );
  // Under a bare `key` name only a generated-looking value counts (ids and labels share the name).
  if (!strongName) {
    if (quoted && (form === "assign" || form === "compare") && MID_PASSWORD.test(normalKey(key)) && MID_CREDENTIAL.test(normalKey(key)))
      return credentialValue("password", raw, quoted, form, false, literal);
    // Unquoted in code it may be an identifier (`pCur->nKey = sqlite3BtreePayloadSize(pCur)`): then
    // it must carry base64 punctuation or 3+ digits to be taken for a generated value.
    if (!quoted && !/[+/=]/.test(value) && (value.match(/\d/g)?.length ?? 0) < 3) return false;
    // Under `auth` alone, lower-case words joined (`oauth2-client-credentials`) are a mode's name (session 16).
    if (BARE_AUTH.test(normalKey(key)) && /^[a-z][a-z0-9]*(?:[-_.][a-z][a-z0-9]*)+$/.test(value)) return false;
    if (SECRET_ID_KEY.test(normalKey(key)) && UUID_VALUE.test(value)) return !isTrivialSequence(value.replace(/-/g, "")) && !lowVariety(value.replace(/-/g, ""));
    if ((quoted || literal) && form === "assign" && TOKEN_KEY.test(normalKey(key)) && typedSecret(value)) return !TEMPLATE.test(value) && !PLACEHOLDER_VALUE.test(value);
    if (quoted && form === "assign" && isDigestShaped(value.replace(DIGEST_PREFIX, ""))) return namedDigestKey(normalKey(key), value);
    return (form !== "note" || noteValue(value)) && !TEMPLATE.test(value) && !PLACEHOLDER_VALUE.test(value) && generatedValue(value);
  }
  // People type passwords (`abuser123456`), so the hand-typed test for generated tokens does not
  // apply to them: only placeholder words and trivial runs are stand-ins.
  // After the session-14 held-out run: the fill-in words the settings-file reading already turned down
  // (`changeit`, `none`, `secure`, …) are not passwords in code either.
  if (isPassword && FILL_IN.test(value)) return false;
  // A variable's name in place of the value (`KEYCHAIN_PASSWORD: 'LOCAL_KEYCHAIN_PASS'`; session 25): upper-case
  // words joined by underscores, the last naming a credential. A typed password is not written so.
  if (VARIABLE_NAME_VALUE.test(value)) return false;
  // A wildcard filter (`DEBUG=pw:browser*`, Playwright's debug namespaces, read as `pw: browser*`; session 25).
  if (/^[a-z][a-z0-9:._-]*\*$/.test(value)) return false;
  const typedIsFine = isPassword || form !== "assign";
  if (TEMPLATE.test(value) || PLACEHOLDER_VALUE.test(value) || isTrivialSequence(value)) return false;
  if (typedIsFine ? PLACEHOLDER.test(value) || lowVariety(value) : !notPlaceholder(value)) return false;
  // The name echoed, also its last segment (`exports.AuthenticationMD5Password = AuthenticationMD5Password`),
  // and with its separators changed (`AccessControlAllowCredentials = "Access-Control-Allow-Credentials"`; session 17).
  const bare = (s: string) => s.replace(/[-_. ]/g, "").toLowerCase();
  if (bare(value) === bare(key) || bare(value) === bare(key.slice(key.lastIndexOf(".") + 1)) || DOC_EXAMPLES.has(value)) return false;
  // Command-line options (`token === '--require'`): an option's name, not its value (session 15).
  if (/^--[a-z][a-z0-9-]*$/.test(value)) return false;
  // Under other names than a password's: upper-case words joined by underscores (`SHOULD_BE_STRIPPED`, a
  // constant's name or a label) and words run together after a sigil (`?NonExpressionParenKeyword`, a
  // parser's state; session 15). A password may be typed so; a generated secret is not.
  if (!isPassword && (/^[A-Z]+(?:_[A-Z]+)+$/.test(value) || /^[?@#:!](?:[A-Z]+[a-z]+)+[A-Z]*$/.test(value))) return false;
  // Lower-case words joined by underscores (`("extract_token", "status_code")`, a test's parameter names): a
  // field's or a column's name. A generated secret has digits or capitals; a password may be typed so (session 28).
  if (!isPassword && /^[a-z]{2,}(?:_[a-z]{2,})+$/.test(value)) return false;
  // A string holding an assignment (`"creds": "DB_PASSWORD=…"`): the inner pair is judged on its own.
  if (/^(?:[A-Z][A-Z0-9]*_[A-Z0-9_]*|[a-z][a-z0-9]*(?:_[a-z0-9]+)+)=/.test(value)) return false;
  // Labels and prompts: "Password:", "API-Key", "new_password".
  if (
    /^(?:new|old|your|enter|confirm|current)?(?:pass(?:word|wd|phrase)?|pwd|secret|token|api ?key|key|credentials?)$/.test(value.toLowerCase().replace(/[^a-z0-9]/g, "")) ||
    ECHO_ELSEWHERE.test(value)
  )
    return false;
  // Identifiers and type names in quotes: "_RSAPrivateKey", "challengePassword", "consumer.secret".
  // Not after `.npmrc`'s `/:_password=` / `/:_auth=` (a literal in a config line, never code).
  const npmrcLiteral = form === "note" && quoted && key.startsWith("_");
  if ((!npmrcLiteral && /^_?[A-Z]*(?:[A-Z][a-z]+)+$/.test(value)) || /^[a-z]+(?:[A-Z][a-z]+)+$/.test(value) || /^[a-z_]+(?:\.[a-z_]+)+$/.test(value)) return false;
  // Page anchors and CSS selectors (`#add-password`), resource names (`arn:aws:…`), and labels or
  // routes made only of words that name the credential itself (`cms/sites/passwords#edit`).
  if (/^[#.][A-Za-z][\w-]*$/.test(value) || /^(?:arn|urn):/i.test(value)) return false;
  // Also numbered ids of that kind (`CKV_SECRET_9`, a check's id in a table).
  if (NAMING_WORDS_VALUE(value)) return false;
  // Under an AWS secret-key name only AWS's own format (40 base64 characters) is an AWS secret.
  // Other lengths (a key cut short or edited; session 10: 38 characters) count when the value still
  // looks drawn at random from AWS's alphabet; words, typed runs and dashes do not.
  if (/secret_?access_?key|secretaccesskey/i.test(key) && !/^[A-Za-z0-9/+]{40}$/.test(value))
    return (
      (/^[A-Za-z0-9/+]{30,50}$/.test(value) && /\d/.test(value) && /[a-z]/.test(value) && /[A-Z]/.test(value) && !looksHandTyped(value) && shannonEntropy(value) >= 4) ||
      // Another service's secret under an AWS-style name (S3-compatible stores: 32 hex digits, long tokens;
      // session 27): the name still says secret, so a value that looks generated counts as the generic rule's.
      // Not a padded base64 blob: that is the key stored encrypted (secretlint's "ok" case).
      (!/^[A-Za-z0-9/+]{30,50}$/.test(value) && !value.endsWith("=") && generatedValue(value))
    );
  // Format strings and regular expressions; a `%s` inside an otherwise password-like value
  // (`xoN93W%sk8eryq`: 12 other characters of three classes, no blank) is a password that contains it.
  if (/\(\?|\{\d*\}|\\[dwsb]/.test(value)) return false;
  if (/%[sdr]/.test(value)) {
    const rest = value.replace(/%[sdr]/g, "");
    // A long dense random value (a Django key drawn from a-z, 0-9 and punctuation) holds `%s` by chance (session 13).
    if (!randomPrintable(value, 3) && (rest.length < 10 || [/[a-z]/, /[A-Z]/, /[0-9]/].filter((r) => r.test(rest)).length < 3)) return false;
  }
  if ((form === "note" || !quoted) && !noteValue(value, literal)) return false;
  // Unquoted right-hand sides in code are expressions (`password = settings.DB_PASSWORD`).
  // In a configuration file a bare word is the value itself (`password = correcthorse`), but YAML tags,
  // anchors and aliases (`!vault`, `&pw`, `*pw`) are not.
  // Not a Vault token of the format before 1.10 (`s.` service, `b.` batch, `r.` recovery, then 24 base62; session 25).
  if (
    !quoted &&
    ((/^[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)+$/.test(value) && !VAULT_LEGACY_TOKEN.test(value)) ||
      /[()[\]{}]/.test(value) ||
      (!literal && /^[A-Za-z_]\w*$/.test(value) && !/\d/.test(value)))
  )
    return false;
  // In code, short lower-case words joined by underscores, a digit or two among them, name a function or a variable
  // (`pub.start_pass = start_pass_2_quant;`), and `&`/`*` before a name take its address or read through it
  // (`gss_token = &gss_recv_token;`; session 33, CredData's C files). A generated value has longer runs or more
  // digits (`sqp_<40 hex>`, `abc12345xyz98765_qrs…`) and stays judged; a configuration file's bare value is text.
  // So do names joined by `::` (Ruby, C++, PHP namespaces: `OmniAuth::Strategies::DropboxOauth2`).
  if (
    !quoted &&
    !literal &&
    ((/^[a-z][a-z0-9]{0,15}(?:_[a-z0-9]{1,16})+$/.test(value) && (value.match(/\d/g)?.length ?? 0) < 3) ||
      /^[&*][A-Za-z_]\w*$/.test(value) ||
      /^:{0,2}[A-Za-z_]\w*(?:::[A-Za-z_]\w*)+$/.test(value))
  )
    return false;
  // Also member chains through a pointer or an optional chain (`pExpr->pRight`, `result?.pass`; session 15).
  // Not `.`, `-` or `/` between parts: generated values hold those (`sk-svcacct-…`, base64, JWTs).
  if (!quoted && !literal && /^[A-Za-z_$][\w$]*(?:(?:\?\.|->)[A-Za-z_$][\w$]*)+$/.test(value)) return false;
  if (literal && /^[!&*]/.test(value)) return false;
  // After the session-14 held-out run: IPv6 addresses, qualified names opening with lower-case package
  // segments (`org.apache.…UDecoder.ALLOW_…`; not a JWT's mixed-case parts) and relative paths of
  // lower-case words (`xml/src/main/java/org`) are not secrets either.
  if (
    /^[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}$/i.test(value) ||
    /^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+(?:\.[A-Za-z_]\w*)+$/.test(value) ||
    /^[a-z][a-z_-]*(?:\/[a-z][a-z_-]*){2,}\/?$/.test(value)
  )
    return false;
  // Paths, URLs without credentials, and file names are not secrets.
  if (/^(?:\.{0,2}\/|~\/|[A-Za-z]:\\)/.test(value) || /^[a-z][a-z0-9+.-]*:\/\/[^@]*$/i.test(value) || /\.(?:txt|json|ya?ml|pem|key|crt|env|cfg|ini|pkl|pt|bin)$/i.test(value))
    return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(value)).length;
  // Generic names ("auth") need a value that looks generated, not a mode or a scheme name.
  if (/auth(?:orization)?$/i.test(key) && !/auth_?key$/i.test(key)) return value.length >= 16 && shannonEntropy(value) >= 3.5;
  // Stated in prose ("the password is '…'"): the sentence says it is a credential.
  if (form === "prose") return !PROSE_WORDS.test(value);
  // Compared against a literal (`if creds.Secret != "…"`): the literal is the credential.
  if (isPassword || form === "compare") {
    if (classes >= 2 || value.length >= 12) return true;
    // A quoted one-word literal under an explicit password name (`password = "sunshine"`) is a
    // hard-coded password however weak; state words and type names are not (see ONE_CLASS_WORDS).
    return isPassword && (quoted || literal) && oneClassPasswords && !ONE_CLASS_WORDS.test(value) && !PROSE_WORDS.test(value);
  }
  // Lower-case words joined by dashes or dots (`my-product`, `same-origin`) are names and modes; generated
  // tokens mix digits or capitals in.
  if (/^[a-z]+(?:[-.][a-z]+)+$/.test(value)) return false;

  // 8–9 characters count with all four kinds of character, as typed secrets are written (`b@d70K3n`; session 24);
  // not a version (`v1.2.3-RC`), nor a fill-in holding a run like `1234` or `aaaa` (`Abc!1234`, `Atzr|1234`).
  if (value.length < 10)
    return (
      value.length >= 8 &&
      classes === 4 &&
      !/^v?\d+(?:\.\d+)+/i.test(value) &&
      !value.split(/[^A-Za-z0-9]+/).some((run) => run.length >= 4 && isTrivialSequence(run)) &&
      shannonEntropy(value) >= 2.5
    );
  return classes >= 2 && shannonEntropy(value) >= 3.0;
}

/** A Vault token of the format before Vault 1.10: `s.` service, `b.` batch or `r.` recovery, then 24 base62. */
const VAULT_LEGACY_TOKEN = /^[sbr]\.(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[a-z])(?=[A-Za-z0-9]*[A-Z])[A-Za-z0-9]{24}$/;
/**
 * Words that stand in for a password rather than being one: the name echoed (`password`, `secret`),
 * states and types (`none`, `string`, `hidden`), fill-ins (`changeme`, `todo`, `foo`), test words
 * (`test`, `demo`, `dummy`, `sample`), and masks (`****`, `xxx`, `...`).
 */
const FILL_IN =
  /^(?:pass(?:word|wd|phrase)?s?|pwd|pw|secret|secrets|none|null|nil|nul|undefined|true|false|yes|no|on|off|string|str|text|char|varchar|env|default|empty|blank|hidden|masked|redacted|required|optional|unset|not[_-]?set|notset|todo|tbd|fixme|n\/?a|changeme|change[_-]?me|changeit|change[_-]?it|change[_-]?this|replace[_-]?me|set[_-]?me|fill[_-]?me|update[_-]?me|(?:my|some|the|your|our)[_-]?(?:password|passwd|secret|token)|dummy|fake|sample|example|mock|placeholder|test|testing|tests|demo|foo|bar|baz|qux|foobar|value|myvalue|disabled|enabled|prompt|ask|keyring|keychain|vault|secure|insecure|encrypted|plaintext|generated|random|auto|omitted|removed|deleted|ignored|unused|nothing|missing|invalid|unknown|sensitive|private|protected|public|\*+|[xX]+|\.+|-+|_+|#+|•+|\?+)$/i;

/**
 * Values of too little variety to be anything but typed filler (session 14): one or two distinct
 * characters (`aaaaaaaa`, `00001111`, `xyxyxyxy`) or a short unit repeated three or more times
 * (`abcabcabc`, `passpasspass`, `123123123`). Applied to passwords too, which are otherwise exempt from
 * the typed-body test.
 */
function lowVariety(value: string): boolean {
  return new Set(value).size <= 2 || /^(.{1,4})\1{2,}$/.test(value);
}

/**
 * The word "password" (or "secret") in other languages as the whole value (session 14): the name echoed,
 * as `password = "password"` is — German, French, Spanish, Italian, Portuguese, Dutch, Polish, the Nordic
 * languages, Finnish, Russian, Japanese, Chinese and Korean.
 */
const ECHO_ELSEWHERE =
  /^(?:passwort|kennwort|geheim|mot[_ -]?de[_ -]?passe|mdp|contrase(?:ñ|n)a|clave|senha|parola|password[_ -]?segreta|wachtwoord|has(?:ł|l)o|l(?:ö|o)senord|passord|adgangskode|salasana|пароль|секрет|パスワード|暗証番号|密码|密碼|口令|비밀번호|암호)$/i;

/** Stand-in words inside a value (`dummy-pass`, `sample_pw`, `test-123`); unlike PLACEHOLDER_VALUE, `pass123` and `guest` are passwords here. */
const WEAK_STAND_IN = /example|change_?me|placeholder|redacted|dummy|fake|sample|mock|your[_-]|xxx|\*\*\*|^test[_-]|[_-]test$|^(?:test|demo|foo|bar)\d*$/i;

/**
 * Where a weak password in a settings file is a value written there: a quoted literal or a configuration
 * line's bare value; a string argument only of `define(…)` or a lookup's default (`getenv('DB_PASS',
 * 'admin')`), not of any list (`["pass", "fail"]`); an unquoted pair only as the whole line
 * (`password: pass123`), not inside a comment or a list of words (`passwd: files systemd`).
 */
function weakContext(c: Candidate, line: string): boolean {
  const keyAt = line.lastIndexOf(c.key, c.start);
  if (c.call) return keyAt > 0 && /\b(?:define|[gs]etenv|env|get|config|setting|option)\w*\s*\(\s*["']$/i.test(line.slice(0, keyAt));
  if (c.form === "note") {
    if (c.literal) return true;
    const rest = line.slice(c.start + c.value.length);
    return /^\s*(?:export\s+)?["']?$/.test(line.slice(0, Math.max(0, keyAt))) && /^\s*(?:[#;].*)?$/.test(rest);
  }
  return c.quoted || c.literal === true;
}

/**
 * A password in a settings file that the strength bar of credentialValue turned down (session 10):
 * `DB_PASSWORD = 'admin'`, `<Pass>pass123</Pass>`, `password root` in `.netrc`. What a deployment reads
 * from its settings file is the password it uses, and a weak one is worse, not better; so it is reported
 * (at `low`) as long as it is a literal written there, not a stand-in: a template or variable, a mask,
 * a fill-in word, the name echoed, a path, a reference to another setting (`MONGO_DB_PASSWORD`,
 * `db.jdbc.pwd`, `@password`). Source code keeps the stricter bar (tests and fixtures dominate there).
 */
function weakPassword(key: string, raw: string, literal: boolean): boolean {
  if (!literal) return false;
  const lowerKey = key.toLowerCase();
  if (!/pass|pa?s{1,2}w|pwd|(?:^|[_.-])pw$/.test(lowerKey) && lowerKey !== "pw") return false;
  const value = raw.length > 2 && /^(['"]).*\1$/.test(raw) ? raw.slice(1, -1) : raw;
  if (value.length < 4 || value.length > 128 || /\s/.test(value)) return false;
  if (
    standsFor(value) ||
    FILL_IN.test(value) ||
    ECHO_ELSEWHERE.test(value) ||
    TEMPLATE.test(value) ||
    DOC_MARKER.test(value) ||
    WEAK_STAND_IN.test(value) ||
    isTrivialSequence(value)
  )
    return false;
  // Three or more words joined that end in the credential's name (`app-integration-tests-password`, `ci_db_secret`;
  // session 25): a label for the value, as credentialValue reads it. Not when another word follows
  // (`hardcoded-secret-value1`, a seen positive the first version, credentialValue's whole test, lost), nor two
  // words (`aug_passwd`, whose owner's name comes first: a seen positive the second version lost).
  if (NAMING_WORDS_VALUE(value) && /[-_.][A-Za-z]+[-_.](?:pass(?:word|wd)?|secret|token)$/i.test(value)) return false;
  if (lowVariety(value) || /%[sdr(]|\$[({A-Za-z_]|^[@&*!:]|[<>{}]|^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$|^[a-z_]+(?:\.[a-z_]+)+$/.test(value)) return false;
  // The name echoed (`IRC_PASS=irc_pass`, `"dbPassword": "db-password"`).
  const bare = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");
  if (bare(value) === bare(key) || bare(key).endsWith(bare(value)) || /^(?:my|the|your|new|old|default)?pass(?:word|wd)?$/i.test(value)) return false;
  // Paths, URLs, file names and calls are not passwords.
  if (/^(?:\.{0,2}\/|~\/|[A-Za-z]:\\)/.test(value) || /:\/\//.test(value) || /\.(?:txt|json|ya?ml|pem|key|crt|env|cfg|ini|js|php|py)$/i.test(value) || /\w\(/.test(value))
    return false;
  return true;
}

/**
 * True when `key = "value"` looks like a hard-coded credential (shared with the code scanner, which
 * keeps the stricter bar: no bare `key` names, no one-word or spaced passwords).
 */
export function isCredentialAssignment(key: string, value: string, quoted = true): boolean {
  return nameKind(key) === 1 && credentialValue(key, value, quoted, "assign", false);
}
