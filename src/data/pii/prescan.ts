/**
 * One scan of a text for the words of many recognizers' pre-tests at once. Most pre-tests are
 * alternations of plain words ("[Cc]alle|C\/|[Aa]venida|…"); run one by one, each is a separate pass
 * of the regular expression engine over the same window, and on short lines with a number those passes
 * cost as much as the patterns they guard. Here every such pre-test is turned into its finite set of
 * literal strings, all sets go into one trie, and a text is walked once: a pre-test passes on a window
 * exactly when one of its literals lies wholly inside it, which is what the expression's `test` on
 * the window's text answers. A pre-test that is not a finite set of literals keeps its expression.
 */

/** A pre-test expanding to more literals than this keeps its expression (the trie stays small). */
const MAX_LITERALS = 4096;

/**
 * What `\s` matches: ECMAScript's WhiteSpace and LineTerminator (TAB, LF, VT, FF, CR, space, NBSP, the
 * Zs separators, LS, PS, ZWNBSP). Listed, not read off the engine at load (a loop over the BMP cost every
 * process that loads the PII engine ~7 ms); a test checks the list against `/\s/` over the whole BMP.
 */
export const WHITE_SPACE: readonly string[] = [
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
  0xfeff,
].map((c) => String.fromCharCode(c));

/**
 * The finite set of strings `re` matches, when its source is built of literal characters, escaped
 * punctuation, `\t \n \r \f \v \s`, classes of listed characters and ranges, groups without
 * look-around, alternatives and `?`; otherwise undefined (anchors, `\b`, `\d`, `\p{…}`, `.`, `*`, `+`,
 * `{n}`, back-references, negated classes, the g and y flags, which make `test` stateful, and the i flag
 * with u or on a letter beyond ASCII, whose case folding this does not copy).
 */
export function literalsOf(re: RegExp): string[] | undefined {
  const flags = re.flags;
  if (flags.includes("g") || flags.includes("y") || flags.includes("v")) return undefined;
  const fold = flags.includes("i");
  if (fold && flags.includes("u")) return undefined;
  const src = re.source;
  let i = 0;
  let failed = false;
  const fail = (): string[] => {
    failed = true;
    return [];
  };
  /** The characters one source character stands for (both cases of an ASCII letter under i). */
  const char = (c: string): string[] => {
    const code = c.charCodeAt(0);
    if (code >= 0xd800 && code <= 0xdfff) return fail();
    if (!fold) return [c];
    if ((code | 32) >= 97 && (code | 32) <= 122) return [c.toLowerCase(), c.toUpperCase()];
    if (code >= 128 && c.toLowerCase() !== c.toUpperCase()) return fail();
    return [c];
  };

  function alternation(): string[] {
    const out = new Set(sequence());
    while (!failed && src[i] === "|") {
      i++;
      for (const s of sequence()) out.add(s);
    }
    return [...out];
  }

  function sequence(): string[] {
    let out = [""];
    while (!failed && i < src.length && src[i] !== "|" && src[i] !== ")") {
      let atom = term();
      if (src[i] === "?") {
        i++;
        if (src[i] === "?") i++;
        atom = ["", ...atom];
      } else if (src[i] === "*" || src[i] === "+" || src[i] === "{") return fail();
      if (out.length * atom.length > MAX_LITERALS) return fail();
      out = out.flatMap((a) => atom.map((b) => a + b));
    }
    return out;
  }

  function term(): string[] {
    const c = src[i]!;
    if (c === "(") {
      i++;
      if (src[i] === "?") {
        if (src[i + 1] !== ":") return fail();
        i += 2;
      }
      const inner = alternation();
      if (src[i] !== ")") return fail();
      i++;
      return inner;
    }
    if (c === "[") return characterClass();
    if (c === "\\") {
      const e = src[i + 1];
      i += 2;
      if (e === undefined) return fail();
      if (e === "s") return [...WHITE_SPACE];
      const code = escaped(e);
      return code < 0 ? fail() : char(String.fromCharCode(code));
    }
    if (c === "^" || c === "$" || c === "." || c === "*" || c === "+" || c === "?" || c === "{" || c === "}" || c === "]") return fail();
    i++;
    return char(c);
  }

  function characterClass(): string[] {
    i++;
    if (src[i] === "^") return fail();
    const out = new Set<string>();
    while (!failed && i < src.length && src[i] !== "]") {
      const lo = classMember();
      if (lo < 0) return fail();
      if (src[i] === "-" && src[i + 1] !== "]") {
        i++;
        const hi = classMember();
        if (hi < lo || hi - lo > 256) return fail();
        for (let k = lo; k <= hi; k++) for (const s of char(String.fromCharCode(k))) out.add(s);
      } else for (const s of char(String.fromCharCode(lo))) out.add(s);
    }
    if (src[i] !== "]") return fail();
    i++;
    return [...out];
  }

  /** One member of a class as a char code, or -1 for a class escape (\d, \w, \s, \p…) or a surrogate. */
  function classMember(): number {
    if (src[i] === "\\") {
      const e = src[i + 1]!;
      i += 2;
      return escaped(e);
    }
    const code = src.charCodeAt(i);
    i++;
    return code >= 0xd800 && code <= 0xdfff ? -1 : code;
  }

  const out = alternation();
  if (failed || i !== src.length || out.length > MAX_LITERALS || out.includes("")) return undefined;
  return out;
}

/** A required piece shorter than this says too little about a text to be worth looking for. */
const MIN_REQUIRED = 2;
/** Beyond this length a longer required piece is not preferred (under the i flag each letter doubles the set). */
const ENOUGH_REQUIRED = 4;

/**
 * For an expression that is not a finite set of literals: a finite set of literals one of which lies inside
 * every match of it, or undefined. Each alternative of the whole expression is read as a sequence of atoms;
 * a run of adjacent atoms that are each a finite set of literals (as `literalsOf` reads them, maybe made
 * optional by `?`) matches one of the run's concatenations, side by side, inside every match of that
 * alternative, so the run with the longest shortest literal stands for it. A text (or a window) holding none
 * of these literals cannot hold a match, and the expression need not run there. Any alternative without such
 * a run (of at least MIN_REQUIRED characters) makes the answer undefined. Among runs whose shortest literal
 * reaches ENOUGH_REQUIRED, the one with fewest literals is taken.
 */
export function requiredLiteralsOf(re: RegExp): string[] | undefined {
  const flags = re.flags.replace(/[gy]/g, "");
  const src = re.source;
  const out = new Set<string>();
  let i = 0;
  while (i <= src.length) {
    // One alternative: its atoms' literal sets (undefined where an atom is not finite) up to "|" or the end.
    const atoms: Array<string[] | undefined> = [];
    while (i < src.length && src[i] !== "|") {
      const end = atomEnd(src, i);
      if (end < 0) return undefined;
      const atom = src.slice(i, end);
      i = end;
      let optional = false;
      let repeated = false;
      const q = src[i];
      if (q === "?") {
        optional = true;
        i++;
      } else if (q === "*" || q === "+" || q === "{") {
        repeated = true;
        if (q === "{") {
          const close = src.indexOf("}", i);
          if (close < 0) return undefined;
          i = close + 1;
        } else i++;
      }
      // A lazy mark after a quantifier.
      if ((optional || repeated) && src[i] === "?") i++;
      let set: string[] | undefined;
      if (!repeated) {
        try {
          set = literalsOf(new RegExp(atom, flags));
        } catch {
          set = undefined;
        }
      }
      atoms.push(set && optional ? ["", ...set] : set);
    }
    const best = longestRun(atoms);
    if (!best) return undefined;
    for (const l of best) out.add(l);
    if (out.size > MAX_LITERALS) return undefined;
    i++;
  }
  return [...out];
}

/** Of the runs of adjacent finite atoms, the set of concatenations whose shortest member is longest. */
function longestRun(atoms: Array<string[] | undefined>): string[] | undefined {
  let best: string[] | undefined;
  let bestShortest = MIN_REQUIRED - 1;
  for (let a = 0; a < atoms.length; a++) {
    let run = [""];
    for (let b = a; b < atoms.length; b++) {
      const set = atoms[b];
      if (!set || run.length * set.length > MAX_LITERALS) break;
      run = run.flatMap((x) => set.map((y) => x + y));
      const shortest = run.reduce((m, x) => Math.min(m, x.length), ENOUGH_REQUIRED);
      if (shortest > bestShortest || (shortest === bestShortest && best && run.length < best.length)) {
        best = run;
        bestShortest = shortest;
      }
    }
  }
  return best;
}

/** Where the atom starting at `i` of `src` ends: after a group, a class, an escape or one character (-1: unbalanced). */
function atomEnd(src: string, i: number): number {
  const c = src[i];
  if (c === "\\") return i + 2 <= src.length ? i + 2 : -1;
  if (c === "[") return classEnd(src, i);
  if (c !== "(") return i + 1;
  let depth = 0;
  for (let k = i; k < src.length; k++) {
    const d = src[k];
    if (d === "\\") k++;
    else if (d === "[") {
      k = classEnd(src, k) - 1;
      if (k < 0) return -1;
    } else if (d === "(") depth++;
    else if (d === ")" && --depth === 0) return k + 1;
  }
  return -1;
}

/** The index after the class that opens at `i` (-1: unterminated). */
function classEnd(src: string, i: number): number {
  for (let k = i + 1; k < src.length; k++) {
    if (src[k] === "\\") k++;
    else if (src[k] === "]") return k + 1;
  }
  return -1;
}

/** The character of a one-character escape, or -1 (a class, a position, a reference, \u…, \x…, \c…). */
function escaped(e: string): number {
  switch (e) {
    case "t":
      return 9;
    case "n":
      return 10;
    case "r":
      return 13;
    case "f":
      return 12;
    case "v":
      return 11;
  }
  return /[A-Za-z0-9]/.test(e) ? -1 : e.charCodeAt(0);
}

/**
 * A trie of every set's literals (each set has an id, its index) and, after `scan(text)`, where each
 * set's literals occur in that text. The work of a scan is linear in the text: at each position the
 * walk goes no deeper than the longest literal.
 */
export class LiteralScan {
  /** Child of the root per first code unit (0: none). */
  private readonly first = new Int32Array(0x10000);
  /** Deeper edges in an open-addressing table: key node * 0x10000 + code unit, value the child. */
  private edgeKeys: Int32Array;
  private edgeValues: Int32Array;
  private edgeMask: number;
  /** 32 − log2(table size): a slot is the top bits of a multiplicative hash (the low bits ignore the node). */
  private edgeShift: number;
  /** Ids of the sets with a literal ending at each node (CSR: outIds[outStart[n] .. outStart[n + 1])). */
  private readonly outStart: Int32Array;
  private readonly outIds: Int32Array;
  /** Per set, the [start, end) of each occurrence in the last scanned text, in order of start. */
  private hitStarts: Int32Array[];
  private hitEnds: Int32Array[];
  private readonly hitCount: Int32Array;

  constructor(sets: readonly (readonly string[])[]) {
    // Node 0 is the root; nodes are numbered as they are made.
    const edges = new Map<number, number>();
    const outs: number[][] = [[]];
    let nodes = 1;
    sets.forEach((literals, id) => {
      for (const w of literals) {
        let node = 0;
        for (let k = 0; k < w.length; k++) {
          const c = w.charCodeAt(k);
          const key = node * 0x10000 + c;
          let next = node === 0 ? this.first[c]! : (edges.get(key) ?? 0);
          if (next === 0) {
            next = nodes++;
            outs.push([]);
            if (node === 0) this.first[c] = next;
            else edges.set(key, next);
          }
          node = next;
        }
        if (!outs[node]!.includes(id)) outs[node]!.push(id);
      }
    });
    if (nodes >= 0x8000) throw new Error("LiteralScan: too many trie nodes for the edge keys");
    let size = 16;
    let bits = 4;
    while (size < edges.size * 2) {
      size *= 2;
      bits++;
    }
    this.edgeShift = 32 - bits;
    this.edgeKeys = new Int32Array(size).fill(-1);
    this.edgeValues = new Int32Array(size);
    this.edgeMask = size - 1;
    for (const [key, value] of edges) {
      let h = this.slot(key);
      while (this.edgeKeys[h] !== -1) h = (h + 1) & this.edgeMask;
      this.edgeKeys[h] = key;
      this.edgeValues[h] = value;
    }
    this.outStart = new Int32Array(nodes + 1);
    for (let n = 0; n < nodes; n++) this.outStart[n + 1] = this.outStart[n]! + outs[n]!.length;
    this.outIds = Int32Array.from(outs.flat());
    this.hitStarts = sets.map(() => new Int32Array(16));
    this.hitEnds = sets.map(() => new Int32Array(16));
    this.hitCount = new Int32Array(sets.length);
  }

  private slot(key: number): number {
    return Math.imul(key, 0x9e3779b1) >>> this.edgeShift;
  }

  private child(node: number, c: number): number {
    const key = node * 0x10000 + c;
    const keys = this.edgeKeys;
    const mask = this.edgeMask;
    for (let h = this.slot(key); ; h = (h + 1) & mask) {
      const k = keys[h]!;
      if (k === key) return this.edgeValues[h]!;
      if (k === -1) return 0;
    }
  }

  /** Finds every occurrence of every set's literals in `text` (forgetting the previous text's). */
  scan(text: string): void {
    const hitCount = this.hitCount;
    for (let id = 0; id < hitCount.length; id++) hitCount[id] = 0;
    const first = this.first;
    const outStart = this.outStart;
    const outIds = this.outIds;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      let node = first[text.charCodeAt(i)]!;
      let j = i + 1;
      while (node !== 0) {
        for (let o = outStart[node]!; o < outStart[node + 1]!; o++) this.hit(outIds[o]!, i, j);
        if (j >= n) break;
        node = this.child(node, text.charCodeAt(j));
        j++;
      }
    }
  }

  private hit(id: number, start: number, end: number): void {
    const k = this.hitCount[id]!;
    if (k === this.hitStarts[id]!.length) {
      const s = new Int32Array(k * 2);
      const e = new Int32Array(k * 2);
      s.set(this.hitStarts[id]!);
      e.set(this.hitEnds[id]!);
      this.hitStarts[id] = s;
      this.hitEnds[id] = e;
    }
    this.hitStarts[id]![k] = start;
    this.hitEnds[id]![k] = end;
    this.hitCount[id] = k + 1;
  }

  /** Whether a literal of set `id` occurs anywhere in the last scanned text. */
  anywhere(id: number): boolean {
    return this.hitCount[id]! > 0;
  }

  /** Whether a literal of set `id` lies wholly inside [from, to) of the last scanned text. */
  within(id: number, from: number, to: number): boolean {
    const starts = this.hitStarts[id]!;
    const ends = this.hitEnds[id]!;
    const n = this.hitCount[id]!;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]! < from) lo = mid + 1;
      else hi = mid;
    }
    // Occurrences start in order; one that ends past `to` starts within a literal's length of it.
    for (let k = lo; k < n && starts[k]! < to; k++) if (ends[k]! <= to) return true;
    return false;
  }
}
