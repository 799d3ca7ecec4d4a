/**
 * English words for reading text whose spelling was mangled to slip past the rules (round 30): leetspeak's "1"
 * stands for "i" or "l" ("411" is "all", "r3v341" is "reveal"), and words are run together without spaces
 * ("ignoreallpreviousinstructions…"), dotted apart letter by letter or cut into fixed-width groups
 * ("1gn0 r341 1pr3 v10u …"). The words are the 40,000 most frequent of the classifier's word clusters
 * (wordclusters.json). Lookups fold "l" into "i", the two letters leetspeak confuses, so a word is found however
 * its "1"s were read. Nothing here is evidence: it only gives the rules words to read.
 */
import CLUSTERS from "./wordclusters.json" with { type: "json" };

let index: Map<string, string> | undefined;
const folded = (w: string) => w.replace(/l/g, "i");

/** Folded spelling → word (the first of the list when two words fold alike). */
function words(): Map<string, string> {
  if (!index) {
    index = new Map();
    for (const cluster of CLUSTERS.fine)
      for (const w of cluster.split(" ")) {
        // Single letters other than "a" and "i" are not words: they would let any run split into letters.
        if (!/^[a-z]+$/.test(w) || (w.length === 1 && w !== "a" && w !== "i")) continue;
        const k = folded(w);
        if (!index.has(k)) index.set(k, w);
      }
  }
  return index;
}

/** The English word a leetspeak word read with "1" as "i" stands for ("reveai" → "reveal"), if there is one. */
export function lexiconWord(word: string): string | undefined {
  return words().get(folded(word));
}

// The longest word tried, and the longest run split (longer runs are left as they are: bounded work).
const LONGEST_WORD = 20;
const LONGEST_RUN = 2_000;
// A character no word covers costs this much; a run with more than this share of them is not words run together.
const UNKNOWN_COST = 3;
const MAX_UNKNOWN = 0.15;

/**
 * A run of letters split into the fewest words (dynamic programming over word ends, linear in the run's length),
 * or undefined when too little of it is words.
 */
export function segmented(run: string): string | undefined {
  const n = run.length;
  if (n > LONGEST_RUN) return undefined;
  const lexicon = words();
  const cost = new Float64Array(n + 1).fill(Number.POSITIVE_INFINITY);
  const from = new Int32Array(n + 1);
  cost[0] = 0;
  for (let end = 1; end <= n; end++) {
    for (let len = Math.min(LONGEST_WORD, end); len >= 1; len--) {
      const start = end - len;
      if (cost[start] === Number.POSITIVE_INFINITY) continue;
      const step = lexicon.has(folded(run.slice(start, end))) ? 1 : len === 1 ? UNKNOWN_COST : Number.POSITIVE_INFINITY;
      if (cost[start]! + step < cost[end]!) {
        cost[end] = cost[start]! + step;
        from[end] = start;
      }
    }
  }
  const out: string[] = [];
  let unknown = 0;
  for (let end = n; end > 0; end = from[end]!) {
    const piece = run.slice(from[end]!, end);
    const word = lexicon.get(folded(piece));
    if (!word) unknown++;
    out.push(word ?? piece);
  }
  return unknown > n * MAX_UNKNOWN ? undefined : out.reverse().join(" ");
}

// Fixed-width groups: eight or more space-separated tokens of one length (3–6 characters) in a row.
const GROUPS = /(?<![^\s])[a-z0-9$]{3,6}(?: [a-z0-9$]{3,6}){7,}(?![^\s])/g;
// Letters run together: a word of 20 or more letters, about four English words at least.
const RUN = /[a-z]{20,}/g;
const RUN_TEST = /[a-z]{20}/;
// Eight groups of one length in a row (each length spelled out: the test cannot backtrack across lengths).
const GROUPS_TEST = /(?<![^\s])(?:[a-z0-9$]{3}(?: [a-z0-9$]{3}){7}|[a-z0-9$]{4}(?: [a-z0-9$]{4}){7}|[a-z0-9$]{5}(?: [a-z0-9$]{5}){7}|[a-z0-9$]{6}(?: [a-z0-9$]{6}){7})(?![^\s])/;
const LEET: Record<string, string> = { "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", $: "s" };

/**
 * The runs of the skeleton that were words run together (`unjoined`: the skeleton made with hyphens and underscores
 * between letters read as spaces) (fixed-width groups joined again first), each split into
 * words, one a line; undefined when there is none. Only those runs are returned: the rest of the text is read
 * already, and reading it twice would count its evidence twice. A run that is not mostly words (a hash, a token,
 * a compound of another language) is left out.
 */
export function compactLayer(skeleton: string, unjoined: () => string): string | undefined {
  // Cheap tests first; the skeleton with hyphenated words kept apart is made only when one passes.
  if (!RUN_TEST.test(skeleton) && !GROUPS_TEST.test(skeleton)) return undefined;
  const joined = unjoined().replace(GROUPS, (groups) => {
    const tokens = groups.split(" ");
    if (tokens.some((t) => t.length !== tokens[0]!.length) || !/[a-z]/.test(groups)) return groups;
    return tokens.join("").replace(/[013457$]/g, (c) => LEET[c] ?? c);
  });
  const found: string[] = [];
  for (const [run] of joined.matchAll(RUN)) {
    const words = segmented(run);
    if (words !== undefined && words !== run) found.push(words);
  }
  return found.length > 0 ? found.join("\n") : undefined;
}
