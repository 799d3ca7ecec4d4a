/**
 * SemVer 2.0.0 precedence (https://semver.org §11) and the npm range grammar (node-semver's
 * documented syntax: comparators, `||`, hyphen ranges, x-ranges, `~` and `^`).
 */

export interface SemVer {
  major: bigint;
  minor: bigint;
  patch: bigint;
  pre: Array<bigint | string>;
  build: string[];
}

const NUM = "0|[1-9][0-9]*";
const PRE_ID = `(?:${NUM}|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)`;
const SEMVER_RE = new RegExp(`^(${NUM})\\.(${NUM})\\.(${NUM})(?:-(${PRE_ID}(?:\\.${PRE_ID})*))?(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$`);

/** Parses a strict SemVer 2.0 version; a leading `v` or `=` is tolerated (npm and Go write them). */
export function parseSemver(text: string): SemVer | undefined {
  const m = SEMVER_RE.exec(text.trim().replace(/^[v=]+/, ""));
  if (!m) return undefined;
  return {
    major: BigInt(m[1]!),
    minor: BigInt(m[2]!),
    patch: BigInt(m[3]!),
    pre: m[4] ? m[4].split(".").map((p) => (/^[0-9]+$/.test(p) ? BigInt(p) : p)) : [],
    build: m[5] ? m[5].split(".") : [],
  };
}

export function formatSemver(v: SemVer): string {
  return `${v.major}.${v.minor}.${v.patch}${v.pre.length ? `-${v.pre.join(".")}` : ""}${v.build.length ? `+${v.build.join(".")}` : ""}`;
}

function cmp(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** SemVer precedence; build metadata is ignored. */
export function compareSemver(a: SemVer, b: SemVer): number {
  const c = cmp(a.major, b.major) || cmp(a.minor, b.minor) || cmp(a.patch, b.patch);
  if (c !== 0) return c;
  // A pre-release sorts below the release itself.
  if (a.pre.length === 0 || b.pre.length === 0) return a.pre.length === b.pre.length ? 0 : a.pre.length === 0 ? 1 : -1;
  const n = Math.min(a.pre.length, b.pre.length);
  for (let i = 0; i < n; i++) {
    const x = a.pre[i]!;
    const y = b.pre[i]!;
    if (typeof x === "bigint" && typeof y === "bigint") {
      const d = cmp(x, y);
      if (d !== 0) return d;
    } else if (typeof x === "bigint")
      return -1; // numeric identifiers sort below alphanumeric ones
    else if (typeof y === "bigint") return 1;
    else if (x !== y) return x < y ? -1 : 1; // ASCII order
  }
  return Math.sign(a.pre.length - b.pre.length);
}

// ---------------------------------------------------------------------------------------------
// npm ranges

type Op = "<" | "<=" | ">" | ">=" | "=";
interface Comparator {
  op: Op;
  v: SemVer;
}
/** A range is a union (`||`) of intersections of comparators. An empty intersection matches anything. */
export type NpmRange = Comparator[][];

const PARTIAL_RE = /^[v=]*(\d+|[xX*])?(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

interface Partial {
  major?: bigint;
  minor?: bigint;
  patch?: bigint;
  pre: Array<bigint | string>;
}

function parsePartial(text: string): Partial | undefined {
  const m = PARTIAL_RE.exec(text);
  if (!m) return undefined;
  const num = (s: string | undefined) => (s === undefined || /^[xX*]$/.test(s) ? undefined : BigInt(s));
  const major = num(m[1]);
  const minor = major === undefined ? undefined : num(m[2]);
  const patch = minor === undefined ? undefined : num(m[3]);
  return { major, minor, patch, pre: m[4] && patch !== undefined ? m[4].split(".").map((p) => (/^[0-9]+$/.test(p) ? BigInt(p) : p)) : [] };
}

const sv = (major: bigint, minor: bigint, patch: bigint, pre: Array<bigint | string> = []): SemVer => ({ major, minor, patch, pre, build: [] });
// `<X.0.0-0` is the smallest thing below X.0.0, pre-releases included (node-semver's convention).
const below = (v: SemVer): Comparator => ({ op: "<", v: { ...v, pre: [0n] } });

function expand(op: string, p: Partial): Comparator[] | undefined {
  const { major, minor, patch } = p;
  if (major === undefined) return op === "<" || op === ">" ? [{ op: "<", v: sv(0n, 0n, 0n, [0n]) }] : [];
  const full = minor !== undefined && patch !== undefined;
  const lo = sv(major, minor ?? 0n, patch ?? 0n, full ? p.pre : []);
  switch (op) {
    case "^": {
      const upper = major > 0n || minor === undefined ? sv(major + 1n, 0n, 0n) : minor > 0n || patch === undefined ? sv(0n, minor + 1n, 0n) : sv(0n, 0n, patch + 1n);
      return [{ op: ">=", v: lo }, below(upper)];
    }
    case "~": {
      const upper = minor === undefined ? sv(major + 1n, 0n, 0n) : sv(major, minor + 1n, 0n);
      return [{ op: ">=", v: lo }, below(upper)];
    }
    case "":
    case "=":
      if (full) return [{ op: "=", v: lo }];
      return [{ op: ">=", v: lo }, below(minor === undefined ? sv(major + 1n, 0n, 0n) : sv(major, minor + 1n, 0n))];
    case ">":
      if (full) return [{ op: ">", v: lo }];
      return [{ op: ">=", v: minor === undefined ? sv(major + 1n, 0n, 0n) : sv(major, minor + 1n, 0n) }];
    case ">=":
      return [{ op: ">=", v: lo }];
    case "<":
      return [full ? { op: "<", v: lo } : below(lo)];
    case "<=":
      if (full) return [{ op: "<=", v: lo }];
      return [below(minor === undefined ? sv(major + 1n, 0n, 0n) : sv(major, minor + 1n, 0n))];
  }
  return undefined;
}

/** Parses an npm range (`^1.2.3 || >=2.0.0 <3`, `1.x`, `1.2 - 2.3.4`, `~0.4`); undefined when invalid. */
export function parseNpmRange(text: string): NpmRange | undefined {
  const sets: NpmRange = [];
  for (const alt of text.split("||")) {
    const t = alt.trim().replace(/(<=|>=|<|>|=|\^|~>?)\s+/g, "$1");
    const set: Comparator[] = [];
    const tokens = t === "" ? [] : t.split(/\s+/);
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i + 1] === "-" && i + 2 < tokens.length) {
        // Hyphen range `A - B`: inclusive bounds; a partial upper bound covers its whole x-range.
        const a = parsePartial(tokens[i]!);
        const b = parsePartial(tokens[i + 2]!);
        if (!a || !b) return undefined;
        set.push(...(expand(">=", a) ?? []));
        if (b.major !== undefined) set.push(...(expand("<=", b) ?? []));
        i += 2;
        continue;
      }
      const m = /^(<=|>=|<|>|=|\^|~>?|)(.*)$/.exec(tokens[i]!)!;
      const p = parsePartial(m[2]!);
      if (!p) return undefined;
      const cs = expand(m[1] === "~>" ? "~" : m[1]!, p);
      if (!cs) return undefined;
      set.push(...cs);
    }
    sets.push(set);
  }
  return sets;
}

function test(c: Comparator, v: SemVer): boolean {
  const d = compareSemver(v, c.v);
  switch (c.op) {
    case "<":
      return d < 0;
    case "<=":
      return d <= 0;
    case ">":
      return d > 0;
    case ">=":
      return d >= 0;
    case "=":
      return d === 0;
  }
}

/**
 * npm's `satisfies`: a pre-release version matches only when some comparator of the same set names a
 * pre-release of the same major.minor.patch (so `^1.2.3` does not admit `1.3.0-beta`).
 */
export function satisfiesNpm(version: string | SemVer, range: NpmRange): boolean {
  const v = typeof version === "string" ? parseSemver(version) : version;
  if (!v) return false;
  return range.some((set) => {
    if (!set.every((c) => test(c, v))) return false;
    if (v.pre.length === 0) return true;
    // The `<X-0` bounds added for x-ranges count too: no pre-release of X passes them anyway.
    return set.some((c) => c.v.pre.length > 0 && c.v.major === v.major && c.v.minor === v.minor && c.v.patch === v.patch);
  });
}

/** The exact version an npm spec pins (`1.2.3`, `=1.2.3`, `v1.2.3`), else undefined. */
export function npmPinned(spec: string): string | undefined {
  const v = parseSemver(spec.trim());
  return v ? formatSemver(v) : undefined;
}
