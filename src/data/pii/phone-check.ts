import { Metadata } from "libphonenumber-js/core";
import METADATA from "libphonenumber-js/max/metadata";

/**
 * A quick "valid" for the common phone numbers, read from libphonenumber's own metadata with its
 * regular expressions compiled once. libphonenumber-js builds a `new RegExp` from its pattern text on
 * every match (a fresh string of up to a few KB for the engine to hash and look up) and allocates a
 * metadata wrapper per step: a parse with `isValid()` costs ~20–60 µs on this VM. Here the same steps of
 * `parsePhoneNumberFromString(input, { defaultCountry, extract: false }).isValid()` run on plain strings:
 * the calling code, the national prefix, the country among those sharing a calling code, the national
 * number pattern and the number types (each with its possible lengths).
 *
 * `true` only when libphonenumber says valid too; `false` means "not sure": any step this does not copy
 * exactly (an international call prefix, a calling code written without "+", a national prefix with
 * capture groups or a transform rule, a prefix kept because stripping it spoils the pattern, characters
 * other than digits and `+ ( ) . -` and spaces) sends the number to the full parse, as does every number
 * that is not valid. test/data/pii-engine-s16.test.ts checks the implication on random numbers.
 */
export function validByMetadata(input: string, region: string): boolean {
  const digits = digitsOf(input);
  if (digits === undefined) return false;
  let national: string;
  let callingCode: string;
  let country: string | undefined;
  let plan: Plan;
  if (digits.plus) {
    // extractCountryCallingCode: "+0…" is nothing; else the shortest known calling code of 1–3 digits.
    const d = digits.digits;
    if (d.charCodeAt(0) === 48) return false;
    let cc = "";
    for (let i = 1; i <= 3 && i <= d.length; i++) {
      if (lib.hasCallingCode(d.slice(0, i))) {
        cc = d.slice(0, i);
        break;
      }
    }
    const ccPlan = cc ? callingCodePlan(cc) : undefined;
    if (!ccPlan) return false;
    callingCode = cc;
    national = d.slice(cc.length);
    plan = ccPlan;
  } else {
    const home = countryPlan(region);
    if (!home) return false;
    const d = digits.digits;
    // An international call prefix ("00", "011") or the region's own calling code at the start: the
    // library may read a calling code out of the number; left to it.
    if (home.idd.test(d) || d.startsWith(home.callingCode)) return false;
    callingCode = home.callingCode;
    country = region;
    national = d;
    plan = home;
  }
  // extractNationalNumber: a national prefix is stripped when the rest still fits the plan.
  if (plan.prefix) {
    const m = plan.prefix.exec(national);
    if (m) {
      if (m.length > 1 || plan.transform) return false;
      const rest = national.slice(m[0].length);
      if (rest !== national) {
        // The prefix stays when the whole matches the national pattern and the rest does not.
        if (plan.pattern.test(national) && !plan.pattern.test(rest)) return false;
        if (plan.lengths) {
          const owner = countryOf(plan.callingCode, rest);
          const lengthPlan = owner ? countryPlan(owner)! : plan;
          if (!possibleLength(rest, lengthPlan)) return false;
        }
        national = rest;
      }
    }
  }
  // parsePhoneNumber: the country among those of the calling code, by the national number.
  const exact = countryOf(callingCode, national);
  if (exact) country = exact;
  if (national.length < 2 || national.length > 17) return false;
  const final = country ? countryPlan(country) : callingCodePlan(callingCode);
  if (!final) return false;
  // isValidNumber: the number types when the plan has them, else the national pattern alone.
  return final.types ? hasType(national, final) : final.pattern.test(national);
}

/** The digits of a number written with digits, spaces and `+ ( ) . -` only (a leading "+" kept). */
function digitsOf(input: string): { plus: boolean; digits: string } | undefined {
  let digits = "";
  let plus = false;
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c >= 48 && c <= 57) digits += input[i];
    else if (c === 43 && i === 0) plus = true;
    else if (c !== 32 && c !== 40 && c !== 41 && c !== 46 && c !== 45) return undefined;
  }
  return digits.length >= 3 && digits.length <= 20 ? { plus, digits } : undefined;
}

/** One numbering plan with its expressions compiled once. */
interface Plan {
  callingCode: string;
  /** `^(?:national prefix for parsing)`, if any. */
  prefix: RegExp | undefined;
  transform: boolean;
  /** `^(?:national number pattern)$`. */
  pattern: RegExp;
  lengths: number[] | undefined;
  /** The international call prefix, anchored as `search(…) === 0` reads it. */
  idd: RegExp;
  /** Leading digits that claim a number for this country (countries sharing a calling code). */
  leading: RegExp | undefined;
  /** Number types in libphonenumber's order: [pattern, possible lengths]; undefined: the plan has no types. */
  types: Array<[RegExp, number[] | undefined]> | undefined;
}

/** The types getNumberType tries: fixed line first, then these in this order. */
const TYPES = ["FIXED_LINE", "MOBILE", "PREMIUM_RATE", "TOLL_FREE", "SHARED_COST", "VOIP", "PERSONAL_NUMBER", "PAGER", "UAN", "VOICEMAIL"];

interface LibType {
  pattern(): string;
  possibleLengths(): number[] | undefined;
}
interface LibMetadata {
  selectNumberingPlan(argument: string): void;
  hasCallingCode(code: string): boolean;
  getCountryCodesForCallingCode(code: string): string[] | undefined;
  hasCountry(country: string): boolean;
  callingCode(): string;
  IDDPrefix(): string;
  nationalNumberPattern(): string;
  possibleLengths(): number[] | undefined;
  nationalPrefixForParsing(): string | undefined;
  nationalPrefixTransformRule(): string | undefined;
  leadingDigits(): string | undefined;
  hasTypes(): boolean;
  type(name: string): LibType | undefined;
  numberingPlan: { callingCode(): string };
}

const lib = new Metadata(METADATA) as unknown as LibMetadata;
const plans = new Map<string, Plan | null>();

function compile(key: string): Plan | null {
  lib.selectNumberingPlan(key);
  const prefix = lib.nationalPrefixForParsing();
  const leading = lib.leadingDigits();
  let types: Plan["types"];
  if (lib.hasTypes()) {
    types = [];
    for (const name of TYPES) {
      const t = lib.type(name);
      // A type without a pattern never matches (isNumberTypeEqualTo).
      if (t?.pattern()) types.push([new RegExp(`^(?:${t.pattern()})$`), t.possibleLengths()]);
    }
  }
  return {
    callingCode: lib.numberingPlan.callingCode(),
    prefix: prefix ? new RegExp(`^(?:${prefix})`) : undefined,
    transform: Boolean(lib.nationalPrefixTransformRule()),
    pattern: new RegExp(`^(?:${lib.nationalNumberPattern()})$`),
    lengths: lib.possibleLengths(),
    idd: new RegExp(`^(?:${lib.IDDPrefix()})`),
    leading: leading ? new RegExp(leading) : undefined,
    types,
  };
}

function countryPlan(country: string): Plan | undefined {
  let p = plans.get(country);
  if (p === undefined) {
    p = lib.hasCountry(country) ? compile(country) : null;
    plans.set(country, p);
  }
  return p ?? undefined;
}

/** The plan of a calling code's main country, or undefined for an unknown (or non-geographic) code. */
function callingCodePlan(code: string): Plan | undefined {
  const key = `+${code}`;
  let p = plans.get(key);
  if (p === undefined) {
    p = lib.getCountryCodesForCallingCode(code) ? compile(code) : null;
    plans.set(key, p);
  }
  return p ?? undefined;
}

/** getCountryByCallingCode: the only country of the code, else the first whose leading digits or types take the number. */
function countryOf(callingCode: string, national: string): string | undefined {
  const countries = lib.getCountryCodesForCallingCode(callingCode);
  if (!countries) return undefined;
  if (countries.length === 1) return countries[0];
  for (const c of countries) {
    const p = countryPlan(c)!;
    if (p.leading) {
      if (national && national.search(p.leading) === 0) return c;
    } else if (hasType(national, p)) return c;
  }
  return undefined;
}

/** getNumberType(…) !== undefined: the national pattern and one number type (none without types). */
function hasType(national: string, p: Plan): boolean {
  if (!p.pattern.test(national) || !p.types) return false;
  for (const [pattern, lengths] of p.types) {
    if (lengths && !lengths.includes(national.length)) continue;
    if (pattern.test(national)) return true;
  }
  return false;
}

/** checkNumberLength is neither TOO_SHORT nor INVALID_LENGTH. */
function possibleLength(national: string, p: Plan): boolean {
  const lengths = p.lengths;
  if (!lengths) return true;
  const n = national.length;
  if (lengths[0] === n) return true;
  if (lengths[0]! > n) return false;
  if (lengths[lengths.length - 1]! < n) return true;
  return lengths.indexOf(n, 1) >= 0;
}
