/**
 * Decode-and-rescan (gateway order, step 3): attackers wrap instructions in base64, hex, URL
 * encoding, ROT13 or reversed text so that plain-text rules miss them. Each decoder returns the
 * decoded layers worth scanning again; nothing decoded is ever executed.
 */

/** The forms reassemble.ts puts back together. */
export type ReassembledEncoding = "one-word-lines" | "fragments" | "morse" | "nato" | "pig-latin" | "sign-leet";

export interface Decoded {
  encoding:
    | "base64"
    | "hex"
    | "url"
    | "binary"
    | "escapes"
    | "slug"
    | "spliced"
    | "rot13"
    | "caesar"
    | "reversed"
    | "accents"
    | "compact"
    | "unicode-tags"
    | "invisible"
    | ReassembledEncoding;
  text: string;
  /** Where the encoded run sits in the scanned text (base64, hex and URL runs only). */
  start?: number;
  end?: number;
}

const BASE64_RUN = /[A-Za-z0-9+/_-]{20,}={0,2}/g;
// Contiguous hex, or byte pairs with one separator; no optional parts, so no backtracking blow-up.
const HEX_RUN = /\b(?:[0-9a-fA-F]{24,}|[0-9a-fA-F]{2}(?:[ :][0-9a-fA-F]{2}){11,})\b/g;
// Bytes written as groups of eight 0/1 digits ("01001001 01100111 …"), a token-smuggling trick.
const BINARY_RUN = /\b[01]{8}(?:[ ,]{1,2}[01]{8}){3,}\b/g;
const URL_RUN = /[^\s%]{0,20}(?:%[0-9A-Fa-f]{2}[^\s%]{0,20}){3,}/g;
// Characters written as source-code escapes ("\\x49\\x67…", "\\u0049…", or a few inside words:
// "Ign\\x6fre"). Added after blind round 11 was read (tuned, not evidence). HTML numeric character references
// ("&#73;&#103;…", "&#x49;") are the same trick in markup (round 30).
const ESCAPE = /\\x([0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})|&#[xX]([0-9a-fA-F]{1,6});|&#([0-9]{1,7});/g;
// Latin letters with an accent on most vowels ("Ígnóré áll prévíóús"): a language's own accents are a few letters
// in a hundred (French about four), so accents on a quarter of the letters are put there to split words.
const ACCENTED = /[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u017f]/gu;
const LATIN = /[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u017f]/gu;
const MIN_ACCENTED = 6;
const ACCENTED_SHARE = 0.25;
// Words joined into one token by hyphens, underscores or plus signs, the way a link's path or fragment
// carries a sentence ("#OBJECTIVE:-You-MUST-…-IGNORE-ALL-TEXT-BELOW"): five or more words.
// Anchored at a token's start, so a long run of letters is walked once, not once per letter.
const SLUG_RUN = /(?<![\p{L}\p{N}'.,?:!])[\p{L}\p{N}'.,?:!]+(?:[-_+][\p{L}\p{N}'.,?:!]+){4,}/gu;
// One character outside ASCII set inside ASCII words ("IȀGNORE AȀLL PRȀEVIOUS"): a letter spliced into every word so
// that no word matches, while a model reads straight past it.
const SPLICED_CHAR = /(?<=[A-Za-z])[^\x00-\x7f](?=[A-Za-z])/gu;
const NON_ASCII = /[^\x00-\x7f]/gu;
const MIN_SPLICES = 3;
const MAX_LAYERS = 8;

/** Share of characters that are printable text: decoded noise is not a message. */
function textLike(s: string): boolean {
  if (s.length < 8) return false;
  const good = s.match(/[\p{L}\p{N}\p{P}\p{Zs}\n]/gu)?.length ?? 0;
  return good / s.length >= 0.9 && /\p{L}{3,}/u.test(s);
}

function utf8(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

export function rot13(s: string): string {
  return s.replace(/[a-z]/gi, (c) => {
    const base = c <= "Z" ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });
}

/** Every letter moved `by` places along the alphabet (a Caesar shift; ROT13 is the shift of 13). */
export function caesar(s: string, by: number): string {
  const k = ((by % 26) + 26) % 26;
  return s.replace(/[a-z]/gi, (c) => {
    const base = c <= "Z" ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + k) % 26) + base);
  });
}

// A shift cipher named with its key ("Caesar cipher shift of 3", "shifted by 5", "ROT-7"): the text is
// decoded with that key both ways (the writer may name the shift used to encode or the one to decode). The
// key is read from the text, never guessed: 25 trial shifts of every prompt would be noise and cost.
const SHIFT_NAMED = /\b(?:caesar(?:\s+cipher)?[^\n.]{0,20}?(?:shift|key|offset)?\s*(?:of|by|=|:)?\s*|(?:shift(?:ed)?|offset)\s+(?:of|by)\s+|rot-?)(\d{1,2})\b/iu;

/** Words worth decoding for: a layer without any of them is not rescanned. */
export interface Stems {
  plain: RegExp;
  /** The same stems ROT13-encoded and reversed, tested on the original text before decoding it. */
  rot13: RegExp;
  reversed: RegExp;
}

/** Builds the three stem tests from a list of lower-case stems. */
export function stemsOf(words: readonly string[]): Stems {
  const alt = (ws: string[]) => new RegExp(ws.map((w) => w.replace(/[.*+?^${}()[\]\\|]/g, "\\$&")).join("|"), "i");
  return { plain: alt([...words]), rot13: alt(words.map(rot13)), reversed: alt(words.map((w) => [...w].reverse().join(""))) };
}

/**
 * The run of words a character is spliced into, with the character taken out. The character stands between ASCII
 * letters at least three times, makes at least half of the text's characters outside ASCII, and sits in at least half
 * of the words from its first place to its last: a language's own letters (a name with "ü" said three times, Polish
 * "ł" among many others) are not taken for one, and only the run itself is read again, so nothing else counts twice.
 */
function splicedRun(text: string): { text: string; span: { start: number; end: number } } | undefined {
  const sites = new Map<string, number[]>();
  for (const m of text.matchAll(SPLICED_CHAR)) {
    const at = sites.get(m[0]);
    if (at) at.push(m.index!);
    else sites.set(m[0], [m.index!]);
  }
  let ch = "";
  let at: number[] = [];
  for (const [c, list] of sites) if (list.length > at.length) [ch, at] = [c, list];
  if (at.length < MIN_SPLICES || at.length * 2 < (text.match(NON_ASCII)?.length ?? 0)) return undefined;
  const start = text.lastIndexOf(" ", at[0]!) + 1;
  const space = text.indexOf(" ", at[at.length - 1]!);
  const end = space < 0 ? text.length : space;
  const words = text.slice(start, end).split(/\s+/);
  if (words.filter((w) => w.includes(ch)).length * 2 < words.length) return undefined;
  return { text: text.slice(start, end).split(ch).join(""), span: { start, end } };
}

/**
 * Every decoded layer found in `text`, bounded in count so a crafted prompt cannot blow up the scan.
 * With `stems`, layers that cannot contain one are skipped before any decoding work.
 */
export function decodeLayers(text: string, stems?: Stems, options: { whole?: boolean } = {}): Decoded[] {
  const out: Decoded[] = [];
  const add = (encoding: Decoded["encoding"], decoded: string | undefined, span?: { start: number; end: number }) => {
    if (out.length < MAX_LAYERS && decoded && (!stems || stems.plain.test(decoded)) && textLike(decoded)) out.push({ encoding, text: decoded, ...span });
  };
  const spanOf = (m: RegExpMatchArray) => ({ start: m.index!, end: m.index! + m[0].length });
  for (const m of text.matchAll(BASE64_RUN)) {
    const run = m[0];
    if (!/[A-Z]/.test(run) || !/[a-z]/.test(run)) continue; // plain words or hex are not base64 payloads
    add("base64", utf8(Buffer.from(run.replace(/-/g, "+").replace(/_/g, "/"), "base64")), spanOf(m));
  }
  for (const m of text.matchAll(HEX_RUN)) add("hex", utf8(Buffer.from(m[0].replace(/[\s:]/g, ""), "hex")), spanOf(m));
  for (const m of text.matchAll(BINARY_RUN)) add("binary", utf8(Buffer.from((m[0].match(/[01]{8}/g) ?? []).map((b) => Number.parseInt(b, 2)))), spanOf(m));
  for (const m of text.matchAll(URL_RUN)) {
    try {
      add("url", decodeURIComponent(m[0]), spanOf(m));
    } catch {
      // not valid percent-encoding: nothing to rescan
    }
  }
  for (const m of text.matchAll(SLUG_RUN)) if (/[a-z]{2}/i.test(m[0])) add("slug", m[0].replace(/[-_+]/g, " "), spanOf(m));
  const run = splicedRun(text);
  if (run) add("spliced", run.text, run.span);
  // Three or more escapes: the text with every escape replaced by its character.
  if ((text.match(ESCAPE)?.length ?? 0) >= 3)
    add(
      "escapes",
      text.replace(ESCAPE, (whole, x: string | undefined, u: string | undefined, hx: string | undefined, dec: string | undefined) => {
        const cp = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt((x ?? u ?? hx)!, 16);
        return cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
      }),
    );
  // Whole-text transforms (ROT13, reversal) are skipped when only embedded runs matter.
  if (options.whole === false) return out;
  if (!stems || stems.rot13.test(text)) add("rot13", rot13(text));
  if (!stems || stems.reversed.test(text)) add("reversed", [...text].reverse().join(""));
  const key = SHIFT_NAMED.exec(text.slice(0, 2000));
  const by = key ? Number(key[1]) : 0;
  if (by > 0 && by < 26 && by !== 13) for (const k of [26 - by, by]) add("caesar", caesar(text, k));
  const accented = text.match(ACCENTED)?.length ?? 0;
  if (accented >= MIN_ACCENTED && accented >= ACCENTED_SHARE * (text.match(LATIN)?.length ?? 0))
    add(
      "accents",
      text
        .normalize("NFD")
        .replace(/\p{Mn}/gu, "")
        .normalize("NFC"),
    );
  return out;
}
