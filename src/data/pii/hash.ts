/**
 * Word look-ups without strings: FNV-1a of a word's lower-cased char codes, read straight from the text,
 * and a small open-addressing table of those hashes. The name lists are asked about every capitalised
 * word of every text; a Map keyed by strings (a substring, a lower-cased copy) or by uint32 numbers (half
 * of them are heap numbers to V8) cost more than the rest of that word's work.
 */

export const FNV = 0x811c9dc5;

export function fnvStep(h: number, c: number): number {
  return Math.imul(h ^ c, 0x01000193);
}

/** Lower case of the first 0x2000 code units, computed once (names are mostly Latin, Greek, Cyrillic). */
const LOWER = (() => {
  const t = new Uint16Array(0x2000);
  for (let c = 0; c < t.length; c++) t[c] = String.fromCharCode(c).toLowerCase().charCodeAt(0);
  return t;
})();

/** Lower-cases a char code (ASCII fast, the rest by table or by the engine). */
export function lowerCode(c: number): number {
  if (c < 128) return c >= 65 && c <= 90 ? c + 32 : c;
  if (c < LOWER.length) return LOWER[c]!;
  return String.fromCharCode(c).toLowerCase().charCodeAt(0);
}

/** FNV-1a of a lower-cased string (unsigned). */
export function hashLower(s: string): number {
  let h = FNV;
  for (let i = 0; i < s.length; i++) h = fnvStep(h, lowerCode(s.charCodeAt(i)));
  return h >>> 0;
}

/** FNV-1a of `text.slice(start, end)` lower-cased, without making the substring (unsigned). */
export function hashLowerAt(text: string, start: number, end: number): number {
  let h = FNV;
  for (let i = start; i < end; i++) h = fnvStep(h, lowerCode(text.charCodeAt(i)));
  return h >>> 0;
}

/**
 * Hash → small value (1–255), open addressing with linear probing in typed arrays. 0 is "absent" as a
 * value; the key 0 is kept apart so that empty slots need no second array.
 */
export class HashTable {
  private keys: Int32Array;
  private values: Uint8Array;
  private mask: number;
  private size = 0;
  private zero = 0;

  constructor(expected = 1024) {
    let n = 16;
    while (n < expected * 2) n *= 2;
    this.keys = new Int32Array(n);
    this.values = new Uint8Array(n);
    this.mask = n - 1;
  }

  get(hash: number): number {
    const k = hash | 0;
    if (k === 0) return this.zero;
    let i = (k ^ (k >>> 15)) & this.mask;
    for (;;) {
      const s = this.keys[i]!;
      if (s === k) return this.values[i]!;
      if (s === 0) return 0;
      i = (i + 1) & this.mask;
    }
  }

  set(hash: number, value: number): void {
    const k = hash | 0;
    if (k === 0) {
      this.zero = value;
      return;
    }
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    let i = (k ^ (k >>> 15)) & this.mask;
    for (;;) {
      const s = this.keys[i]!;
      if (s === k) {
        this.values[i] = value;
        return;
      }
      if (s === 0) {
        this.keys[i] = k;
        this.values[i] = value;
        this.size++;
        return;
      }
      i = (i + 1) & this.mask;
    }
  }

  /** Calls `f` with every key and value in the table (in no particular order). */
  forEach(f: (hash: number, value: number) => void): void {
    if (this.zero !== 0) f(0, this.zero);
    for (let i = 0; i < this.keys.length; i++) if (this.keys[i] !== 0) f(this.keys[i]!, this.values[i]!);
  }

  private grow(): void {
    const keys = this.keys;
    const values = this.values;
    this.keys = new Int32Array(keys.length * 2);
    this.values = new Uint8Array(keys.length * 2);
    this.mask = this.keys.length - 1;
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== 0) this.set(keys[i]!, values[i]!);
  }
}
