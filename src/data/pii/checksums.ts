/** Checksum and validity rules for identifiers (facts from ../shared/reference/detectors.md and the issuers' specs). */

/** Luhn (ISO/IEC 7812-1): double every second digit from the right, subtract 9 above 9, sum ≡ 0 mod 10. */
export function luhnValid(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** The Luhn check digit that completes `payload`. */
export function luhnCheckDigit(payload: string): number {
  let sum = 0;
  let double = true;
  for (let i = payload.length - 1; i >= 0; i--) {
    let d = payload.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return (10 - (sum % 10)) % 10;
}

/** Card brand from the issuer prefix and length, or undefined when no known network matches. */
export function cardBrand(digits: string): string | undefined {
  const n = digits.length;
  const p2 = Number(digits.slice(0, 2));
  const p3 = Number(digits.slice(0, 3));
  const p4 = Number(digits.slice(0, 4));
  if (digits[0] === "4" && (n === 13 || n === 16 || n === 19)) return "visa";
  if (((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) && n === 16) return "mastercard";
  if ((p2 === 34 || p2 === 37) && n === 15) return "amex";
  if ((p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649)) && n >= 16 && n <= 19) return "discover";
  if (p4 >= 3528 && p4 <= 3589 && n >= 16 && n <= 19) return "jcb";
  if ((p2 === 36 || p2 === 38 || (p3 >= 300 && p3 <= 305)) && n >= 14 && n <= 19) return "diners";
  if (p2 === 62 && n >= 16 && n <= 19) return "unionpay";
  // JCB's older 15-digit ranges, and Maestro (debit, 12-19 digits) on its published prefixes.
  if ((p4 === 1800 || p4 === 2131) && n === 15) return "jcb";
  // UATP (airline cards): IIN starting with 1, 15 digits.
  if (digits[0] === "1" && n === 15) return "uatp";
  if ([5018, 5020, 5038, 5893, 6304, 6759, 6761, 6762, 6763].includes(p4) && n >= 12 && n <= 19) return "maestro";
  return undefined;
}

/** IBAN lengths per country (ISO 13616 registry, the countries users meet most). */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BR: 29,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MR: 27,
  MT: 31,
  MU: 30,
  NL: 18,
  NO: 15,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  SA: 24,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  TN: 24,
  TR: 26,
  UA: 29,
  VG: 24,
  XK: 20,
  // Added to the registry more recently.
  BI: 27,
  BY: 28,
  DJ: 27,
  FK: 18,
  IQ: 23,
  LC: 32,
  LY: 25,
  MN: 20,
  NI: 28,
  OM: 23,
  RU: 33,
  SC: 31,
  SD: 18,
  SO: 23,
  SV: 28,
  TL: 23,
  VA: 22,
  YE: 30,
};

/** ISO 7064 mod 97-10 over an IBAN: move the first four characters to the end, letters → 10..35, remainder must be 1. */
export function ibanValid(raw: string): boolean {
  const iban = raw.replace(/[\s.-]/g, "").toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{8,30}$/.test(iban)) return false;
  const expected = IBAN_LENGTHS[iban.slice(0, 2)];
  if (expected !== undefined && iban.length !== expected) return false;
  if (expected === undefined) return false;
  return mod97(iban.slice(4) + iban.slice(0, 4)) === 1;
}

/** Remainder mod 97 of the number spelled by `s` with letters as 10..35, digit by digit (exceeds 2^53 otherwise). */
export function mod97(s: string): number {
  let r = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) r = (r * 10 + (c - 48)) % 97;
    else {
      const v = c - 55; // 'A' = 65 → 10
      r = (r * 100 + v) % 97;
    }
  }
  return r;
}

/**
 * A German Leitweg-ID, the routing id of public-sector e-invoices (KoSIT's format specification: 2–12 digits of
 * coarse address, an optional fine address of up to 30 letters or digits, and two check digits, joined by hyphens;
 * ISO/IEC 7064 MOD 97-10 over the characters, letters as 10–35): "04011000-12345-03", "991-33333TEST-33".
 */
export function leitwegIdValid(s: string): boolean {
  return LEITWEG_ID.test(s) && mod97(s.replace(/-/g, "").toUpperCase()) === 1;
}
const LEITWEG_ID = /^\d{2,12}(?:-[A-Za-z0-9]{1,30})?-\d{2}$/;

/** ISBN-10 printed with its hyphens ("0-201-75041-4": group, publisher, title, check): ten characters, mod 11. */
export function isbn10Valid(s: string): boolean {
  if (!ISBN10_GROUPS.test(s)) return false;
  const chars = s.replace(/-/g, "");
  if (chars.length !== 10) return false;
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += (10 - i) * (chars[i] === "X" || chars[i] === "x" ? 10 : chars.charCodeAt(i) - 48);
  return sum % 11 === 0;
}
const ISBN10_GROUPS = /^\d{1,5}-\d{1,7}-\d{1,7}-[\dXx]$/;

/** The two check digits that make `country + "00" + bban` a valid IBAN. */
export function ibanCheckDigits(country: string, bban: string): string {
  const r = mod97(`${bban}${country}00`);
  return String(98 - r).padStart(2, "0");
}

const SSN_SAMPLES = new Set(["078051120", "123456789", "219099999", "457555462"]);

/**
 * US Social Security number validity: area not 000, 666 or 900-999 (those are ITINs), group not 00,
 * serial not 0000, not all one digit, one consistent delimiter, not a famous sample number.
 */
export function ssnValid(text: string): boolean {
  const m = /^(\d{3})([- .]?)(\d{2})([- .]?)(\d{4})$/.exec(text);
  if (!m) return false;
  if (m[2] !== m[4]) return false;
  const area = Number(m[1]);
  const digits = `${m[1]}${m[3]}${m[5]}`;
  if (area === 0 || area === 666 || area >= 900) return false;
  if (m[3] === "00" || m[5] === "0000") return false;
  if (/^(\d)\1{8}$/.test(digits)) return false;
  return !SSN_SAMPLES.has(digits);
}

/** ABA routing number: 3·d1 + 7·d2 + d3 + 3·d4 + 7·d5 + d6 + 3·d7 + 7·d8 + d9 ≡ 0 (mod 10). */
export function abaValid(digits: string): boolean {
  if (!/^\d{9}$/.test(digits) || digits === "000000000") return false;
  const w = [3, 7, 1];
  let s = 0;
  for (let i = 0; i < 9; i++) s += (digits.charCodeAt(i) - 48) * w[i % 3]!;
  return s % 10 === 0;
}

/** UK NHS number: Σ dᵢ·(11−i) over the 10 digits ≡ 0 (mod 11), check digit 10 impossible. */
export function nhsValid(raw: string): boolean {
  const d = raw.replace(/[\s-]/g, "");
  if (!/^\d{10}$/.test(d) || /^(\d)\1{9}$/.test(d)) return false;
  let s = 0;
  for (let i = 0; i < 9; i++) s += (d.charCodeAt(i) - 48) * (10 - i);
  let check = 11 - (s % 11);
  if (check === 11) check = 0;
  if (check === 10) return false;
  return check === d.charCodeAt(9) - 48;
}

/**
 * An NHS-style number no UK scheme issues: the English, Welsh and Manx ranges are 3xx, 400–499 and 600–799,
 * Scotland's CHI numbers 010 100 0000–311 299 9999 (a date of birth first), Northern Ireland's 320–399, and 999
 * is kept for tests — nothing starts with 5 or lies below 010 1. (Such a number still passes mod 11 one time in 11.)
 */
export function nhsUnissued(raw: string): boolean {
  const d = raw.replace(/[\s-]/g, "");
  return d.charCodeAt(0) === 53 || d < "0101";
}

/** UK National Insurance number: prefix rules and suffix A-D. */
export function ninoValid(raw: string): boolean {
  const s = raw.replace(/\s/g, "").toUpperCase();
  const m = /^([A-CEGHJ-PR-TW-Z])([A-CEGHJ-NPR-TW-Z])(\d{6})([A-D])$/.exec(s);
  if (!m) return false;
  return !["BG", "GB", "NK", "KN", "NT", "TN", "ZZ"].includes(`${m[1]}${m[2]}`);
}

const DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE";

/** Spain DNI/NIF (8 digits + letter) and NIE (X/Y/Z + 7 digits + letter): letter = table[n mod 23]. */
export function spainIdValid(raw: string): boolean {
  const s = raw.replace(/[\s-]/g, "").toUpperCase();
  // Seven digits: a DNI written without its leading zero (older cards), same control letter.
  let m = /^(\d{7,8})([A-Z])$/.exec(s);
  if (m) return DNI_LETTERS[Number(m[1]) % 23] === m[2];
  m = /^([XYZ])(\d{7})([A-Z])$/.exec(s);
  if (m) return DNI_LETTERS[Number(`${"XYZ".indexOf(m[1]!)}${m[2]}`) % 23] === m[3];
  return false;
}

export function spainIdLetter(n: number): string {
  return DNI_LETTERS[n % 23]!;
}

/**
 * France NIR (numéro de sécurité sociale): 13 characters + 2-digit key = 97 − (n mod 97); Corsican
 * departments 2A/2B count as 19/18. First digit is the sex (1, 2; 3, 4, 7, 8 for special cases).
 */
export function frNirValid(raw: string): boolean {
  const s = raw.replace(/[\s.-]/g, "").toUpperCase();
  const m = /^([1-478])(\d{2})(0[1-9]|1[0-2]|[2-9]\d)(\d{2}|2A|2B)(\d{3})(\d{3})(\d{2})$/.exec(s);
  if (!m) return false;
  const body = `${m[1]}${m[2]}${m[3]}${m[4]}${m[5]}${m[6]}`.replace("2A", "19").replace("2B", "18");
  const key = 97 - Number(BigInt(body) % 97n);
  return key === Number(m[7]);
}

/** The NIR key for a 13-character body. */
export function frNirKey(body: string): string {
  const n = BigInt(body.toUpperCase().replace("2A", "19").replace("2B", "18"));
  return String(97 - Number(n % 97n)).padStart(2, "0");
}

const ICAO_VALUES = (c: string): number => {
  const code = c.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 90) return code - 55;
  return 0; // '<' filler
};

/** ICAO 9303 check digit: weights 7, 3, 1 repeated, letters A=10 … Z=35, sum mod 10. */
export function icaoCheckDigit(s: string): number {
  const w = [7, 3, 1];
  let sum = 0;
  for (let i = 0; i < s.length; i++) sum += ICAO_VALUES(s[i]!) * w[i % 3]!;
  return sum % 10;
}

/**
 * German identity card (Personalausweis since 2010) and passport document numbers: 9 characters from
 * the alphabet without vowels and easily confused letters, followed by the ICAO check digit.
 */
export function deDocumentValid(raw: string): boolean {
  const s = raw.replace(/\s/g, "").toUpperCase();
  if (!/^[CFGHJKLMNPRTVWXYZ][CFGHJKLMNPRTVWXYZ0-9]{8}\d$/.test(s)) return false;
  return icaoCheckDigit(s.slice(0, 9)) === Number(s[9]);
}

/** US National Provider Identifier: Luhn over "80840" + the 10 digits. */
export function npiValid(digits: string): boolean {
  return /^[12]\d{9}$/.test(digits) && luhnValid(`80840${digits}`);
}

/** IPv4 dotted quad with each part 0-255 and no leading zeros. */
export function ipv4Valid(s: string): boolean {
  const parts = s.split(".");
  if (parts.length !== 4) return false;
  return parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

/** Shannon-style sanity: a value made of one repeated character is a placeholder, not an identifier. */
export function isRepeated(s: string): boolean {
  return /^(.)\1*$/.test(s);
}

const BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const BECH32_GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

/**
 * Bitcoin segwit addresses (BIP 173 / BIP 350): human part "bc" or "tb", "1", data in the bech32
 * alphabet whose BCH checksum (polymod) equals 1 for witness version 0 and 0x2bc830a3 (bech32m) after.
 */
export function bech32Valid(raw: string): boolean {
  if (raw !== raw.toLowerCase() && raw !== raw.toUpperCase()) return false;
  const s = raw.toLowerCase();
  const sep = s.lastIndexOf("1");
  const hrp = s.slice(0, sep);
  if (hrp !== "bc" && hrp !== "tb") return false;
  const data: number[] = [];
  for (const c of s.slice(sep + 1)) {
    const v = BECH32.indexOf(c);
    if (v < 0) return false;
    data.push(v);
  }
  if (data.length < 6 + 1 + 32 / 5 || data.length > 6 + 1 + 65) return false;
  let chk = 1;
  const values = [...[...hrp].map((c) => c.charCodeAt(0) >> 5), 0, ...[...hrp].map((c) => c.charCodeAt(0) & 31), ...data];
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= BECH32_GEN[i]!;
  }
  chk >>>= 0;
  return data[0] === 0 ? chk === 1 : data[0]! <= 16 && chk === 0x2bc830a3;
}

/** Codice fiscale: values of characters in odd (1st, 3rd, …) positions; even positions count 0–25. */
const CF_ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
/** Letters that replace digits in a codice fiscale issued for a homonym ("omocodia"), 0–9. */
const CF_OMOCODE = "LMNPQRSTUV";

/**
 * Italian codice fiscale (DM 23/12/1976): 6 letters (surname, name), 2 digits (year), a month letter
 * (ABCDEHLMPRST), 2 digits (day, +40 for women), a letter and 3 digits (place), and a check letter:
 * the sum of the first 15 characters' values (odd positions by table, even by 0–9 / A=0…Z=25) mod 26.
 * Digits may be replaced by L–V in the numeric positions (omocodia).
 */
export function itFiscalCodeValid(raw: string): boolean {
  const s = raw.toUpperCase();
  const d = `[0-9${CF_OMOCODE}]`;
  if (!new RegExp(`^[A-Z]{6}${d}{2}[ABCDEHLMPRST]${d}{2}[A-Z]${d}{3}[A-Z]$`).test(s)) return false;
  const digit = (c: string) => (c >= "0" && c <= "9" ? c.charCodeAt(0) - 48 : CF_OMOCODE.indexOf(c));
  const day = digit(s[9]!) * 10 + digit(s[10]!);
  if (!((day >= 1 && day <= 31) || (day >= 41 && day <= 71))) return false;
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const c = s[i]!;
    const v = c >= "0" && c <= "9" ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 65;
    sum += i % 2 === 0 ? CF_ODD[v]! : v;
  }
  return s[15] === String.fromCharCode(65 + (sum % 26));
}

/**
 * Swiss social security number (AHV/AVS, since 2008): 756 (Switzerland's EAN prefix) + 9 digits + an
 * EAN-13 check digit (weights 1, 3 from the left over the first 12 digits; check = −sum mod 10).
 */
export function chAhvValid(raw: string): boolean {
  const s = raw.replace(/[ .]/g, "");
  if (!/^756\d{10}$/.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (s.charCodeAt(i) - 48) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10 === s.charCodeAt(12) - 48;
}

/**
 * German tax ID (steuerliche Identifikationsnummer, 11 digits): no leading zero; in the first ten digits
 * one digit occurs twice or three times (never three in a row) and every other at most once; the last
 * digit is the ISO 7064 MOD 11,10 check digit over the first ten.
 */
export function deTaxIdValid(raw: string): boolean {
  const s = raw.replace(/[\s/]/g, "");
  if (!/^[1-9]\d{10}$/.test(s)) return false;
  const counts = new Array<number>(10).fill(0);
  for (let i = 0; i < 10; i++) counts[s.charCodeAt(i) - 48]!++;
  const repeated = counts.filter((c) => c > 1);
  if (repeated.length !== 1 || repeated[0]! > 3) return false;
  if (repeated[0] === 3 && /(\d)\1\1/.test(s.slice(0, 10))) return false;
  let product = 10;
  for (let i = 0; i < 10; i++) {
    const sum = (s.charCodeAt(i) - 48 + product) % 10 || 10;
    product = (sum * 2) % 11;
  }
  return (11 - product) % 10 === s.charCodeAt(10) - 48;
}

/**
 * German social insurance number (Rentenversicherungsnummer, 12 characters): area (2 digits), date of
 * birth DDMMYY, the birth name's initial, serial (2 digits), check digit. The letter counts as its
 * two-digit place in the alphabet; weights 2 1 2 5 7 1 2 1 2 1 2 1, digit sums of the products, mod 10.
 */
export function deSocialInsuranceValid(raw: string): boolean {
  const s = raw.replace(/\s/g, "").toUpperCase();
  const m = /^(\d{2})(\d{2})(\d{2})\d{2}([A-Z])(\d{3})$/.exec(s);
  if (!m) return false;
  const day = Number(m[2]);
  const month = Number(m[3]);
  if (day < 1 || day > 31 || month < 1 || month > 12) return false;
  const letter = String(m[4]!.charCodeAt(0) - 64).padStart(2, "0");
  const digits = `${s.slice(0, 8)}${letter}${s.slice(9, 11)}`;
  const w = [2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1];
  let sum = 0;
  for (let i = 0; i < 12; i++) {
    const p = (digits.charCodeAt(i) - 48) * w[i]!;
    sum += Math.floor(p / 10) + (p % 10);
  }
  return sum % 10 === s.charCodeAt(11) - 48;
}

/**
 * Spanish social security number (número de afiliación, 12 digits): province (01–53, 66), number, two
 * control digits = (province and number) mod 97; a number below 10^7 is also written with its leading
 * zero dropped from the computation, so both readings are accepted.
 */
export function esSocialSecurityValid(raw: string): boolean {
  const s = raw.replace(/[\s/-]/g, "");
  if (!/^\d{12}$/.test(s)) return false;
  const province = Number(s.slice(0, 2));
  if (!((province >= 1 && province <= 53) || province === 66)) return false;
  const number = Number(s.slice(2, 10));
  const control = Number(s.slice(10));
  if (Number(s.slice(0, 10)) % 97 === control) return true;
  return number < 1e7 && (province * 1e7 + number) % 97 === control;
}

/**
 * Spanish NIF of a legal entity (the former CIF): a letter for the kind of entity, seven digits, and a
 * control digit or letter (J, A … I for 0 … 9) from the digits: odd places doubled and digit-summed,
 * even places added, control = (10 − sum mod 10) mod 10.
 */
export function esCifValid(raw: string): boolean {
  const s = raw.replace(/[\s-]/g, "").toUpperCase();
  const m = /^([ABCDEFGHJNPQRSUVW])(\d{7})([0-9A-J])$/.exec(s);
  if (!m) return false;
  let sum = 0;
  for (let i = 0; i < 7; i++) {
    const d = m[2]!.charCodeAt(i) - 48;
    sum += i % 2 === 0 ? Math.floor((2 * d) / 10) + ((2 * d) % 10) : d;
  }
  const control = (10 - (sum % 10)) % 10;
  const c = m[3]!;
  // Entities whose control is always a letter, or always a digit.
  if ("KPQRSNW".includes(m[1]!)) return c === "JABCDEFGHI"[control];
  if ("ABEH".includes(m[1]!)) return c === String(control);
  return c === String(control) || c === "JABCDEFGHI"[control];
}
