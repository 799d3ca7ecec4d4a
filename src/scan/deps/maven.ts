/**
 * Maven version order (the POM reference's "Version Order Specification", as Maven's
 * ComparableVersion implements it): a version is split at `.`, `-` and digit/letter transitions
 * into numbers, qualifiers and nested lists (each `-` or transition opens a sub-list), trailing
 * "null" items (0, "", ga, final, release) are dropped, and items compare as
 * number > list > qualifier, with the qualifiers
 * alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release < sp < anything else (lexical).
 */

type Item = { t: "int"; v: bigint } | { t: "str"; v: string } | { t: "list"; v: Item[] };

const QUALIFIERS = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];
const ALIASES: Record<string, string> = { ga: "", final: "", release: "", cr: "rc" };
const RELEASE = String(QUALIFIERS.indexOf(""));

function qualifierKey(q: string): string {
  const i = QUALIFIERS.indexOf(q);
  // Unknown qualifiers sort after the known ones, lexically among themselves.
  return i === -1 ? `${QUALIFIERS.length}-${q}` : String(i);
}

function strItem(value: string, followedByDigit: boolean): Item {
  let v = value;
  if (followedByDigit && v.length === 1) v = v === "a" ? "alpha" : v === "b" ? "beta" : v === "m" ? "milestone" : v;
  return { t: "str", v: ALIASES[v] ?? v };
}

function isNull(item: Item): boolean {
  if (item.t === "int") return item.v === 0n;
  if (item.t === "str") return qualifierKey(item.v) === RELEASE;
  return item.v.length === 0;
}

function normalize(list: Item[]): void {
  for (let i = list.length - 1; i >= 0; i--) {
    const last = list[i]!;
    if (isNull(last)) list.splice(i, 1);
    else if (last.t !== "list") break;
  }
}

export interface MavenVersion {
  text: string;
  items: Item[];
}

/** Parses any string (Maven accepts every version string); undefined only for an empty one. */
export function parseMaven(version: string): MavenVersion | undefined {
  const text = version.trim();
  if (text === "" || text.length > 256) return undefined;
  const s = text.toLowerCase();
  const root: Item[] = [];
  let list = root;
  const stack: Item[][] = [root];
  const parseItem = (isDigit: boolean, buf: string): Item => (isDigit ? { t: "int", v: BigInt(buf) } : strItem(buf, false));
  const open = () => {
    const next: Item[] = [];
    list.push({ t: "list", v: next });
    list = next;
    stack.push(next);
  };
  let isDigit = false;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === ".") {
      list.push(i === start ? { t: "int", v: 0n } : parseItem(isDigit, s.slice(start, i)));
      start = i + 1;
    } else if (c === "-") {
      list.push(i === start ? { t: "int", v: 0n } : parseItem(isDigit, s.slice(start, i)));
      start = i + 1;
      open();
    } else if (c >= "0" && c <= "9") {
      if (!isDigit && i > start) {
        list.push(strItem(s.slice(start, i), true));
        start = i;
        open();
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        list.push(parseItem(true, s.slice(start, i)));
        start = i;
        open();
      }
      isDigit = false;
    }
  }
  if (s.length > start) {
    // A trailing `.qualifier` counts as `-qualifier` (1.0.0.X1 < 1.0.0-X2), as Maven 3.9 does.
    if (!isDigit && list.length > 0) open();
    list.push(parseItem(isDigit, s.slice(start)));
  }
  while (stack.length) normalize(stack.pop()!);
  return { text, items: root };
}

function compareItem(a: Item | undefined, b: Item | undefined): number {
  if (a === undefined) return b === undefined ? 0 : -compareItem(b, undefined);
  if (a.t === "int") {
    if (b === undefined) return a.v === 0n ? 0 : 1;
    if (b.t === "int") return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
    return 1; // a number beats a qualifier and a list
  }
  if (a.t === "str") {
    if (b === undefined) return cmpStr(qualifierKey(a.v), RELEASE);
    if (b.t === "str") return cmpStr(qualifierKey(a.v), qualifierKey(b.v));
    return -1; // a qualifier is below a number and a list
  }
  if (b === undefined) return a.v.length === 0 ? 0 : compareItem(a.v[0], undefined);
  if (b.t === "int") return -1;
  if (b.t === "str") return 1;
  for (let i = 0; i < Math.max(a.v.length, b.v.length); i++) {
    const r = compareItem(a.v[i], b.v[i]);
    if (r !== 0) return r;
  }
  return 0;
}

const cmpStr = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function compareMaven(a: MavenVersion, b: MavenVersion): number {
  return compareItem({ t: "list", v: a.items }, { t: "list", v: b.items });
}
