/**
 * PEP 440 versions and specifiers (PyPI). Parsing follows the spec's normalisation rules
 * (https://peps.python.org/pep-0440/), ordering follows its "Summary of permitted suffixes and
 * relative ordering", and specifier matching follows the "Version specifiers" section, including the
 * exclusive-ordered-comparison and pre-release rules.
 */

export interface Pep440Version {
  epoch: bigint;
  release: bigint[];
  pre?: { label: "a" | "b" | "rc"; n: bigint };
  post?: bigint;
  dev?: bigint;
  /** Local label pieces, lower-cased; numeric pieces as bigint. */
  local?: Array<bigint | string>;
}

// Permissive form from PEP 440 Appendix B ("accepted" spellings that normalise to the canonical form).
const VERSION_RE = new RegExp(
  "^v?" +
    "(?:(?<epoch>[0-9]+)!)?" +
    "(?<release>[0-9]+(?:\\.[0-9]+)*)" +
    "(?<pre>[-_.]?(?<preL>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<preN>[0-9]+)?)?" +
    "(?<post>-(?<postN1>[0-9]+)|[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>[0-9]+)?)?" +
    "(?<dev>[-_.]?dev[-_.]?(?<devN>[0-9]+)?)?" +
    "(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?$",
  "i",
);

/** Parses a PEP 440 version, or returns undefined when the text is not one. */
export function parsePep440(text: string): Pep440Version | undefined {
  const m = VERSION_RE.exec(text.trim());
  if (!m?.groups) return undefined;
  const g = m.groups;
  const v: Pep440Version = {
    epoch: g.epoch ? BigInt(g.epoch) : 0n,
    release: g.release!.split(".").map((s) => BigInt(s)),
  };
  if (g.pre) {
    const l = g.preL!.toLowerCase();
    const label = l === "alpha" || l === "a" ? "a" : l === "beta" || l === "b" ? "b" : "rc";
    v.pre = { label, n: g.preN ? BigInt(g.preN) : 0n };
  }
  if (g.post) v.post = BigInt(g.postN1 ?? g.postN2 ?? "0");
  if (g.dev) v.dev = g.devN ? BigInt(g.devN) : 0n;
  if (g.local)
    v.local = g.local
      .toLowerCase()
      .split(/[-_.]/)
      .map((p) => (/^[0-9]+$/.test(p) ? BigInt(p) : p));
  return v;
}

/** The canonical spelling (`1!2.0rc1.post3.dev4+ubuntu.1`). */
export function formatPep440(v: Pep440Version): string {
  let s = v.epoch !== 0n ? `${v.epoch}!` : "";
  s += v.release.join(".");
  if (v.pre) s += `${v.pre.label}${v.pre.n}`;
  if (v.post !== undefined) s += `.post${v.post}`;
  if (v.dev !== undefined) s += `.dev${v.dev}`;
  if (v.local) s += `+${v.local.join(".")}`;
  return s;
}

/** Normalised form of a version string, or undefined when it is not PEP 440. */
export function normalizePep440(text: string): string | undefined {
  const v = parsePep440(text);
  return v ? formatPep440(v) : undefined;
}

const PRE_RANK = { a: 0, b: 1, rc: 2 } as const;

function cmpBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function cmpRelease(a: readonly bigint[], b: readonly bigint[]): number {
  // Trailing zeros do not count: 1.0 == 1.0.0.
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = cmpBig(a[i] ?? 0n, b[i] ?? 0n);
    if (c !== 0) return c;
  }
  return 0;
}

// Pre-release slot: a dev release of a final version (no pre, no post) sorts before its alphas.
function preKey(v: Pep440Version): [number, bigint] {
  if (!v.pre && v.post === undefined && v.dev !== undefined) return [-1, 0n];
  if (!v.pre) return [3, 0n];
  return [PRE_RANK[v.pre.label], v.pre.n];
}

function cmpLocal(a: Pep440Version["local"], b: Pep440Version["local"]): number {
  if (!a && !b) return 0;
  if (!a) return -1;
  if (!b) return 1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (typeof x === "bigint" && typeof y === "bigint") {
      const c = cmpBig(x, y);
      if (c !== 0) return c;
    } else if (typeof x === "bigint")
      return 1; // numeric pieces sort above alphanumeric ones
    else if (typeof y === "bigint") return -1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length === 0 ? 0 : a.length < b.length ? -1 : 1;
}

/** Total order of PEP 440 versions: negative, zero or positive like a sort comparator. */
export function comparePep440(a: Pep440Version, b: Pep440Version): number {
  let c = cmpBig(a.epoch, b.epoch);
  if (c !== 0) return c;
  c = cmpRelease(a.release, b.release);
  if (c !== 0) return c;
  const pa = preKey(a);
  const pb = preKey(b);
  c = pa[0] - pb[0] || cmpBig(pa[1], pb[1]);
  if (c !== 0) return Math.sign(c);
  // No post-release sorts before any post-release.
  c = a.post === undefined ? (b.post === undefined ? 0 : -1) : b.post === undefined ? 1 : cmpBig(a.post, b.post);
  if (c !== 0) return c;
  // No dev-release sorts after any dev-release.
  c = a.dev === undefined ? (b.dev === undefined ? 0 : 1) : b.dev === undefined ? -1 : cmpBig(a.dev, b.dev);
  if (c !== 0) return c;
  return cmpLocal(a.local, b.local);
}

export function isPrerelease(v: Pep440Version): boolean {
  return v.pre !== undefined || v.dev !== undefined;
}

function publicOf(v: Pep440Version): Pep440Version {
  const { local: _local, ...rest } = v;
  return rest;
}

export type SpecOperator = "~=" | "==" | "!=" | "<=" | ">=" | "<" | ">" | "===";

export interface Pep440Specifier {
  op: SpecOperator;
  /** The version text as written (for `===` and `.*` matching). */
  text: string;
  wildcard: boolean;
  version?: Pep440Version;
}

const SPEC_RE = /^\s*(~=|===|==|!=|<=|>=|<|>)\s*([^\s,;]+)\s*$/;

/** Parses one specifier clause such as `>=1.2`, `==1.4.*`, `~=2.2.1`, `===foo`. */
export function parseSpecifier(clause: string): Pep440Specifier | undefined {
  const m = SPEC_RE.exec(clause);
  if (!m) return undefined;
  const op = m[1] as SpecOperator;
  const text = m[2]!;
  if (op === "===") return { op, text, wildcard: false };
  const wildcard = text.endsWith(".*");
  if (wildcard && op !== "==" && op !== "!=") return undefined;
  const version = parsePep440(wildcard ? text.slice(0, -2) : text);
  if (!version) return undefined;
  // Wildcards follow a bare release (`==1.2.*`), and ~= needs at least two release numbers.
  if (wildcard && (version.local || suffixes(version).length > 0)) return undefined;
  if (op === "~=" && (version.release.length < 2 || version.local)) return undefined;
  if (op !== "==" && op !== "!=" && version.local) return undefined;
  return { op, text, wildcard, version };
}

/** Parses a comma-separated specifier set (`>=1.0,<2,!=1.5.*`); undefined when any clause is invalid. */
export function parseSpecifierSet(text: string): Pep440Specifier[] | undefined {
  const t = text.trim();
  if (t === "") return [];
  const out: Pep440Specifier[] = [];
  for (const clause of t.split(",")) {
    const s = parseSpecifier(clause);
    if (!s) return undefined;
    out.push(s);
  }
  return out;
}

function suffixes(v: Pep440Version): string[] {
  const out: string[] = [];
  if (v.pre) out.push(`${v.pre.label}${v.pre.n}`);
  if (v.post !== undefined) out.push(`post${v.post}`);
  if (v.dev !== undefined) out.push(`dev${v.dev}`);
  return out;
}

// `==1.2.*` prefix match: release numbers padded with zeros; the candidate's suffixes do not matter.
function prefixMatch(candidate: Pep440Version, prefix: Pep440Version): boolean {
  if (candidate.epoch !== prefix.epoch) return false;
  for (let i = 0; i < prefix.release.length; i++) if ((candidate.release[i] ?? 0n) !== prefix.release[i]) return false;
  return true;
}

/** Does one specifier admit the version (ignoring the pre-release exclusion rule)? */
export function specifierMatches(spec: Pep440Specifier, v: Pep440Version, raw?: string): boolean {
  if (spec.op === "===") return (raw ?? formatPep440(v)).toLowerCase() === spec.text.toLowerCase();
  const s = spec.version!;
  switch (spec.op) {
    case "==":
      if (spec.wildcard) return prefixMatch(v, s);
      return s.local ? comparePep440(v, s) === 0 : comparePep440(publicOf(v), s) === 0;
    case "!=":
      return !specifierMatches({ ...spec, op: "==" }, v, raw);
    case "<=":
      return comparePep440(publicOf(v), s) <= 0;
    case ">=":
      return comparePep440(publicOf(v), s) >= 0;
    case "<":
      if (comparePep440(v, s) >= 0) return false;
      // `<3.0` excludes 3.0's own pre-releases (anything from 3.0.dev0 up) unless the bound is a pre-release.
      if (!isPrerelease(s) && isPrerelease(v) && comparePep440(v, { ...publicOf(s), dev: 0n }) >= 0) return false;
      return true;
    case ">": {
      if (comparePep440(v, s) <= 0) return false;
      // `>1.0` excludes post-releases of 1.0 itself unless the bound is one, and local versions of 1.0.
      const { post: _p, dev: _d, local: _l, ...postBase } = v;
      if (s.post === undefined && v.post !== undefined && comparePep440(postBase, s) === 0) return false;
      if (v.local && comparePep440(publicOf(v), s) === 0) return false;
      return true;
    }
    case "~=": {
      if (comparePep440(publicOf(v), s) < 0) return false;
      const prefix: Pep440Version = { epoch: s.epoch, release: s.release.slice(0, -1) };
      return prefixMatch(v, prefix);
    }
  }
}

/** True when a specifier explicitly names a pre-release, which lets the set admit pre-releases. */
function admitsPrereleases(spec: Pep440Specifier): boolean {
  if (!spec.version) return false;
  return (spec.op === "==" || spec.op === ">=" || spec.op === "<=" || spec.op === "~=" || spec.op === "<" || spec.op === ">") && isPrerelease(spec.version);
}

/**
 * Does the specifier set admit the version? Pre-releases are admitted only when `prereleases` is true
 * or a clause names a pre-release (PEP 440 "Handling of pre-releases").
 */
export function satisfiesPep440(version: string | Pep440Version, specs: readonly Pep440Specifier[], options: { prereleases?: boolean } = {}): boolean {
  const raw = typeof version === "string" ? version : undefined;
  const v = typeof version === "string" ? parsePep440(version) : version;
  if (!v) return specs.length > 0 && specs.every((s) => s.op === "===" && s.text.toLowerCase() === raw?.toLowerCase());
  const pre = options.prereleases ?? specs.some(admitsPrereleases);
  if (isPrerelease(v) && !pre) return false;
  return specs.every((s) => specifierMatches(s, v, raw));
}

/** The one exact version a specifier set pins (`==1.2.3` or `===x`), or undefined when it admits several. */
export function pinnedVersion(specs: readonly Pep440Specifier[]): string | undefined {
  const exact = specs.find((s) => (s.op === "==" && !s.wildcard) || s.op === "===");
  if (!exact) return undefined;
  return exact.op === "===" ? exact.text : formatPep440(exact.version!);
}
