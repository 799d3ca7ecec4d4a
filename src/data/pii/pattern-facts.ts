/**
 * Facts about a recognizer's regular expression read off its source, for skipping work soundly: a
 * window holding fewer ASCII digits than every match of a pattern needs cannot hold a match, so the
 * pattern need not run there ("1 March 1990" cannot hold a card number, a routing number or an NPI).
 */

/**
 * The least number of ASCII digits (0–9) any match of `re` contains. A lower bound read off the source:
 * an atom counts only when it can match nothing but a digit (`\d`, a digit, a class of digits only),
 * alternatives take their least, quantifiers their least repeat, and look-arounds, back-references and
 * anything not understood count 0 — so the true least is never below it.
 */
export function minDigits(re: RegExp): number {
  if (re.flags.includes("v")) throw new Error(`minDigits: the v flag's class syntax is not read (/${re.source}/)`);
  const src = re.source;
  let i = 0;

  /** Alternatives up to `)` or the end: the least of their sequences. */
  function alternation(): number {
    let least = sequence();
    while (src[i] === "|") {
      i++;
      least = Math.min(least, sequence());
    }
    return least;
  }

  /** Terms up to `|`, `)` or the end: the sum of each term's least times its least repeat. */
  function sequence(): number {
    let sum = 0;
    while (i < src.length && src[i] !== "|" && src[i] !== ")") {
      const atom = term();
      sum += atom * quantifier();
    }
    return sum;
  }

  /** One atom; returns its least digit count for one repeat. */
  function term(): number {
    const c = src[i]!;
    if (c === "(") {
      i++;
      let lookaround = false;
      if (src[i] === "?") {
        const next = src[i + 1];
        if (next === ":") i += 2;
        else if (next === "=" || next === "!") {
          lookaround = true;
          i += 2;
        } else if (next === "<" && (src[i + 2] === "=" || src[i + 2] === "!")) {
          lookaround = true;
          i += 3;
        } else if (next === "<") {
          i = src.indexOf(">", i) + 1;
        } else throw new Error(`minDigits: unsupported group at ${i} in /${src}/`);
      }
      const inner = alternation();
      if (src[i] !== ")") throw new Error(`minDigits: unbalanced group in /${src}/`);
      i++;
      return lookaround ? 0 : inner;
    }
    if (c === "[") return characterClass();
    if (c === "\\") {
      const e = src[i + 1]!;
      i += 2;
      if (e === "p" || e === "P") {
        // \p{…}: letters, numbers of any script (not only ASCII digits) — counts 0.
        if (src[i] === "{") i = src.indexOf("}", i) + 1;
        return 0;
      }
      if (e === "u" && src[i] === "{") {
        i = src.indexOf("}", i) + 1;
        return 0;
      }
      if (e === "u") {
        i += 4;
        return 0;
      }
      if (e === "x") {
        i += 2;
        return 0;
      }
      if (e === "k" && src[i] === "<") {
        i = src.indexOf(">", i) + 1;
        return 0;
      }
      if (e >= "1" && e <= "9") {
        while (src[i]! >= "0" && src[i]! <= "9") i++;
        return 0;
      }
      return e === "d" ? 1 : 0;
    }
    i++;
    if (c === "^" || c === "$" || c === ".") return 0;
    return c >= "0" && c <= "9" ? 1 : 0;
  }

  /** `[…]`: 1 when every member is a digit or a range of digits, else 0. */
  function characterClass(): number {
    i++;
    let digitsOnly = src[i] !== "^";
    if (src[i] === "^") i++;
    // As in JavaScript, a "]" right after "[" closes the class.
    while (i < src.length && src[i] !== "]") {
      let lo: string;
      if (src[i] === "\\") {
        const e = src[i + 1]!;
        i += 2;
        if (e === "p" || e === "P" || (e === "u" && src[i] === "{")) i = src.indexOf("}", i) + 1;
        else if (e === "u") i += 4;
        else if (e === "x") i += 2;
        // Only \d is digits alone; any other escape (\w, \s, \-, …) may match something else.
        lo = e === "d" ? "0" : "";
        if (e !== "d") digitsOnly = false;
      } else {
        lo = src[i]!;
        i++;
      }
      if (src[i] === "-" && src[i + 1] !== "]") {
        i++;
        let hi = src[i]!;
        if (hi === "\\") {
          hi = "";
          i += 2;
        } else i++;
        if (!(lo >= "0" && lo <= "9" && hi >= "0" && hi <= "9")) digitsOnly = false;
      } else if (!(lo >= "0" && lo <= "9")) digitsOnly = false;
    }
    if (src[i] !== "]") throw new Error(`minDigits: unterminated class in /${src}/`);
    i++;
    return digitsOnly ? 1 : 0;
  }

  /** The least repeat of the atom just read: `?` and `*` 0, `+` 1, `{n…}` n; none 1. */
  function quantifier(): number {
    const c = src[i];
    let least = 1;
    if (c === "?" || c === "*") {
      least = 0;
      i++;
    } else if (c === "+") i++;
    else if (c === "{") {
      const m = /^\{(\d+)(?:,\d*)?\}/.exec(src.slice(i));
      if (m) {
        least = Number(m[1]);
        i += m[0].length;
      }
    }
    // A lazy or possessive mark changes nothing about the least.
    if (least !== 1 || c === "+" || c === "{") if (src[i] === "?") i++;
    return least;
  }

  const n = alternation();
  if (i !== src.length) throw new Error(`minDigits: unexpected ")" at ${i} in /${src}/`);
  return n;
}
