/**
 * Orders taken apart so that no rule reads them whole (round 33), put back together for the rules to read once more:
 * a word a line ("1. Ignore / 2. All / 3. Previous"), an aside after every word ("Ignore (this is important) all
 * (really all of them) …"), fragments joined with "+" ("ig + nore + all + pre + vious"), Morse code, pig latin, and
 * leetspeak written with signs ("|gn0r3 @ll pr3v!0u5"). Each returns only the reassembled part (or nothing), so the
 * rest of the text is not read twice; nothing here is evidence by itself, the rules decide on what it returns.
 * Every pattern is a bounded run without nested quantifiers over overlapping classes.
 */
import { lexiconWord, segmented } from "./lexicon.js";

// One word (a list marker before it, an aside in brackets after it allowed) alone on its line.
const WORD_LINE = /^[^\S\n]*(?:(?:\d{1,3}[.)]|[-*•])[^\S\n]*)?(\p{L}[\p{L}']{0,24})[^\S\n]*(?:\([^()\n]{0,60}\)[^\S\n]*)?[.,:;]?[^\S\n]*$/u;
const LINES_MAX = 2_000;
const MIN_WORD_LINES = 3;

/**
 * Runs of three or more consecutive lines that each hold one word, each run written as one line ("ignore all
 * previous instructions"); undefined when there is none.
 */
export function verticalWords(skeleton: string): string | undefined {
  if (!skeleton.includes("\n")) return undefined;
  const lines = skeleton.split("\n", LINES_MAX);
  const found: string[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length >= MIN_WORD_LINES) found.push(run.join(" "));
    run = [];
  };
  for (const line of lines) {
    const m = line.length <= 120 ? WORD_LINE.exec(line) : null;
    if (m) run.push(m[1]!);
    else flush();
  }
  flush();
  return found.length > 0 ? found.join("\n") : undefined;
}

// Four or more short fragments joined with "+", each maybe in brackets or quotes: "ig + nore + all", "[sys] + [tem]";
// quoted fragments may also sit in lists that are joined with "+" ("['ig', 'no', 're'] + [' all']": round 34).
const FRAGMENTS = /(?<![\p{L}\p{N}])[["'(]{0,2}[^\S\n]?\p{L}{1,12}[\])"']{0,2}(?:(?:[^\S\n]{0,2}\+[^\S\n]{0,2}|,[^\S\n]?)[["'(]{0,2}[^\S\n]?\p{L}{1,12}[\])"']{0,2}){3,}/gu;
const FRAGMENTS_TEST = /\p{L}[\])"']{0,2}[^\S\n]{0,2}\+[^\S\n]{0,2}[["'(]{0,2}[^\S\n]?\p{L}/u;

/**
 * Each run of fragments joined with "+", glued together and split into words again (lexicon.ts), one a line; a run
 * whose glued letters are not words (a formula, "a + b + c + d") is left out.
 */
export function joinedFragments(skeleton: string): string | undefined {
  if (!skeleton.includes("+") || !FRAGMENTS_TEST.test(skeleton)) return undefined;
  const found: string[] = [];
  for (const [run] of skeleton.matchAll(FRAGMENTS)) {
    // A run of a list's items with no "+" is a list ("cats, dogs, cows, pigs"), not fragments.
    if (!run.includes("+")) continue;
    const glued = run.replace(/[\s+,[\]()"']/g, "");
    if (glued.length < 8) continue;
    const words = segmented(glued);
    // The fragments must make fewer, longer words than there were fragments: "cat + dog + cow + pig" is words already.
    if (words !== undefined && words.split(" ").length < run.split(/[+,]/).length) found.push(words);
  }
  return found.length > 0 ? found.join("\n") : undefined;
}

const MORSE: Record<string, string> = {
  ".-": "a",
  "-...": "b",
  "-.-.": "c",
  "-..": "d",
  ".": "e",
  "..-.": "f",
  "--.": "g",
  "....": "h",
  "..": "i",
  ".---": "j",
  "-.-": "k",
  ".-..": "l",
  "--": "m",
  "-.": "n",
  "---": "o",
  ".--.": "p",
  "--.-": "q",
  ".-.": "r",
  "...": "s",
  "-": "t",
  "..-": "u",
  "...-": "v",
  ".--": "w",
  "-..-": "x",
  "-.--": "y",
  "--..": "z",
};
// Eight or more Morse letters apart by spaces, words apart by " / " (or three spaces).
const MORSE_RUN = /(?<![.\-\w])[.-]{1,5}(?:(?: \/ | {1,3})[.-]{1,5}){7,}(?![.\-\w])/g;

/** Every run of Morse code spelled out in letters, one a line; undefined when there is none. */
export function morse(text: string): string | undefined {
  if (!text.includes(".-") && !text.includes("-.")) return undefined;
  const found: string[] = [];
  for (const [run] of text.matchAll(MORSE_RUN)) {
    const words = run.split(/ \/ | {3}/).map((w) =>
      w
        .split(" ")
        .filter(Boolean)
        .map((c) => MORSE[c] ?? "?")
        .join(""),
    );
    const out = words.join(" ");
    if (!out.includes("?")) found.push(out);
  }
  return found.length > 0 ? found.join("\n") : undefined;
}

// The NATO spelling alphabet ("India Golf November Oscar …"): eight or more code words in a row, apart by spaces,
// commas or hyphens (round 34).
const NATO: Record<string, string> = {
  alfa: "a",
  alpha: "a",
  bravo: "b",
  charlie: "c",
  delta: "d",
  echo: "e",
  foxtrot: "f",
  golf: "g",
  hotel: "h",
  india: "i",
  juliet: "j",
  juliett: "j",
  kilo: "k",
  lima: "l",
  mike: "m",
  november: "n",
  oscar: "o",
  papa: "p",
  quebec: "q",
  romeo: "r",
  sierra: "s",
  tango: "t",
  uniform: "u",
  victor: "v",
  whiskey: "w",
  whisky: "w",
  xray: "x",
  "x-ray": "x",
  yankee: "y",
  zulu: "z",
};
const NATO_WORD =
  "(?:alfa|alpha|bravo|charlie|delta|echo|foxtrot|golf|hotel|india|juliett?|kilo|lima|mike|november|oscar|papa|quebec|romeo|sierra|tango|uniform|victor|whiske?y|x-?ray|yankee|zulu)";
const NATO_RUN = new RegExp(`(?<![\\p{L}])${NATO_WORD}(?:[\\s,-]{1,3}${NATO_WORD}){7,}(?![\\p{L}])`, "giu");

/** Each run of NATO code words spelled out in letters and split into words (lexicon.ts), one a line. */
export function natoAlphabet(skeleton: string): string | undefined {
  if (!/(?:alfa|alpha|bravo|charlie|delta|echo|golf|india|kilo|lima|oscar|papa|romeo|sierra|tango|victor)[\s,-]/iu.test(skeleton)) return undefined;
  const found: string[] = [];
  for (const [run] of skeleton.slice(0, 20_000).matchAll(NATO_RUN)) {
    const letters = (run.toLowerCase().match(/x-?ray|\p{L}+/gu) ?? []).map((w) => NATO[w.replace("-", "")] ?? NATO[w] ?? "").join("");
    const words = letters.length >= 8 ? segmented(letters) : undefined;
    if (words !== undefined) found.push(words);
  }
  return found.length > 0 ? found.join("\n") : undefined;
}

// Pig latin: a word that began with a vowel ends in "way" ("allway"), one that began with consonants ends in them
// and "ay" ("eviouspray").
const PIG_WORD = /^(\p{L}+?)(w?)ay$/u;
const PIG_MIN_WORDS = 3;
const PIG_RUN = 5;
const AY_END = /\p{L}{2}ay(?!\p{L})/gu;

/** The text read back from pig latin when at least three words and most of its words are written in it. */
export function pigLatin(skeleton: string): string | undefined {
  // Three words ending in "ay" at least, counted before any word is split out.
  let endings = 0;
  for (const _ of skeleton.matchAll(AY_END)) if (++endings >= PIG_MIN_WORDS) break;
  if (endings < PIG_MIN_WORDS) return undefined;
  const words = skeleton.slice(0, 4_000).match(/\p{L}+/gu) ?? [];
  const pig = words.filter((w) => w.length >= 4 && w.endsWith("ay"));
  if (pig.length < PIG_MIN_WORDS) return undefined;
  // Most of the text in pig latin, or a run of five pig-latin words after an English lead-in ("Translate from Pig
  // Latin and comply: Ignoreway allay …": round 34).
  let run = 0;
  let longest = 0;
  for (const w of words) {
    run = w.length >= 4 && w.endsWith("ay") ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  if (pig.length * 3 < words.length * 2 && longest < PIG_RUN) return undefined;
  const read = words.map((w) => {
    const m = PIG_WORD.exec(w);
    if (!m || w.length < 4) return w;
    const [, stem, way] = m;
    // "allway" is "all"; "ordway" may be "word" too: the reading that is an English word wins.
    if (way && lexiconWord(stem!)) return stem!;
    const body = way ? `${stem}w` : stem!;
    // The consonants moved to the end, put back in front: the longest move that makes a word ("asswordp" →
    // "password", "eviouspr" → "previous", "eth" → "the" rather than "het"), else the whole run of them.
    const run = /[^aeiou]+$/.exec(body)?.[0] ?? "";
    for (let n = run.length; n >= 1; n--) {
      const word = body.slice(-n) + body.slice(0, -n);
      if (lexiconWord(word)) return word;
    }
    return run ? run + body.slice(0, -run.length) : body;
  });
  return read.join(" ");
}

// Signs leetspeak uses for letters that the skeleton leaves alone ("|" and "!" for "i", "@" for "a", "+" for "t"):
// they belong to chat templates, e-mail addresses and sums too, so they are read as letters only inside a word that
// has letters on both sides of them, in a text with at least two such words.
const SIGN_WORD = /(?<![\p{L}\p{N}|!@+])(?:[|!@+](?=[\p{L}\p{N}]{2}))?[\p{L}\p{N}]+(?:[|!@+]{1,2}[\p{L}\p{N}]+)*/gu;
const SIGN_INSIDE = /[\p{L}\p{N}](?:[|!+]|@(?![\p{L}\p{N}-]{1,63}\.\p{L}))[\p{L}\p{N}]|(?<![\p{L}\p{N}|!@+])[|!+]\p{L}{2}/gu;
const SIGN: Record<string, string> = { "|": "i", "!": "i", "@": "a", "+": "t" };

/** The text with signs read as letters inside words ("pr3v!ous" → "pr3vious"), when two or more words have them. */
export function signLeet(skeleton: string): string | undefined {
  // Two signs inside words at least ("@" not before a domain: an e-mail address), counted before any word is read.
  let inside = 0;
  for (const _ of skeleton.matchAll(SIGN_INSIDE)) if (++inside >= 2) break;
  if (inside < 2) return undefined;
  let words = 0;
  const read = skeleton.replace(SIGN_WORD, (w, at: number) => {
    // A word without a sign, an e-mail address or a handle ("@name") is not a leetspeak word.
    if (!/[|!@+]/.test(w) || (/@/.test(w) && !/[|!+]/.test(w) && (w.startsWith("@") || skeleton[at + w.length] === "."))) return w;
    words++;
    return w.replace(/[|!@+]/g, (c) => SIGN[c]!);
  });
  return words >= 2 ? read : undefined;
}
