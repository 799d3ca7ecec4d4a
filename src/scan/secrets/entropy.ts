/** Shannon entropy in bits per character: H = −Σ p(c)·log2 p(c) over the characters of `s`. */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  const n = [...s].length;
  for (const c of counts.values()) {
    const p = c / n;
    h -= p * Math.log2(p);
  }
  return h;
}

const HEX = /^[0-9a-fA-F]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Git SHAs, sha1/sha256 digests and UUIDs have high entropy but are identifiers: judged by shape. */
export function isDigestShaped(s: string): boolean {
  if (UUID.test(s)) return true;
  return HEX.test(s) && (s.length === 32 || s.length === 40 || s.length === 64 || s.length === 128);
}

/** Runs like "aaaaaaaa", "12345678", "abcdefgh" or "qwerty…" are placeholders, not secrets. */
export function isTrivialSequence(s: string): boolean {
  if (s.length === 0) return true;
  if (/^(.)\1*$/.test(s)) return true;
  let up = true;
  let down = true;
  for (let i = 1; i < s.length; i++) {
    const d = s.charCodeAt(i) - s.charCodeAt(i - 1);
    if (d !== 1) up = false;
    if (d !== -1) down = false;
  }
  if (up || down) return true;
  const lower = s.toLowerCase();
  return ["qwerty", "asdfgh", "zxcvbn", "1234567890", "0123456789"].some((k) => lower === k || (k.startsWith(lower) && lower.length >= 6));
}

/**
 * Share of the characters of `s` that sit in runs of 3 or more made by hand rather than by a random
 * generator: ascending or descending steps of one (`abc`, `123`, `zyx`) or one character repeated
 * (`aaa`, `###`). A random token scores near 0 (a 3-run needs two 1-in-62 coincidences in a row;
 * about 1-in-256 per position in hex), typed placeholders such as `abc123xyz-456def789` or
 * `1234567890123456` near 1.
 */
export function handTypedShare(s: string): number {
  if (s.length === 0) return 0;
  let covered = 0;
  let i = 0;
  while (i < s.length) {
    let j = i + 1;
    const step = j < s.length ? s.charCodeAt(j) - s.charCodeAt(i) : 99;
    if (step === 1 || step === -1 || step === 0) while (j < s.length && s.charCodeAt(j) - s.charCodeAt(j - 1) === step) j++;
    if (j - i >= 3) {
      covered += j - i;
      i = j;
    } else i++;
  }
  return covered / s.length;
}

/**
 * True for bodies a person typed as a stand-in: mostly hand-typed runs (see handTypedShare), or a
 * short unit repeated (`123123123…`, `abab…`). `s` should be the token body without its fixed prefix.
 */
export function looksHandTyped(s: string): boolean {
  const body = s.replace(/[-_.:/]/g, "");
  if (body.length < 10) return false;
  if (/^(.{1,4})\1{2,}.{0,3}$/.test(body)) return true;
  return handTypedShare(body) >= 0.5;
}

/**
 * True when `s` holds a run of 8 or more characters stepping by one (`12345678`, `abcdefgh`, `87654321`):
 * typed into an otherwise random-looking value (`…tnZ1234567890`; session 14). A generator makes such a
 * run about once in 62^7 positions (16^7 in hex).
 */
export function hasLongTypedRun(s: string): boolean {
  let run = 1;
  let step = 0;
  for (let i = 1; i < s.length; i++) {
    const d = s.charCodeAt(i) - s.charCodeAt(i - 1);
    const alnum = /[A-Za-z0-9]/.test(s[i]!) && /[A-Za-z0-9]/.test(s[i - 1]!);
    if (alnum && (d === 1 || d === -1) && (run === 1 || d === step)) {
      run++;
      step = d;
      if (run >= 8) return true;
    } else {
      run = alnum && (d === 1 || d === -1) ? 2 : 1;
      step = d;
    }
  }
  return false;
}
