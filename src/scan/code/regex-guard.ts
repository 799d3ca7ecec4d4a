/**
 * Whether an anchored regular expression used as a guard (`re.fullmatch(p, x)`) really restricts x. A pattern whose
 * wildcard, negated class or character class admits quote, shell or YAML metacharacters lets an injection through,
 * so it is no check: `^[\w!/]+$` admits `!!python/object`, `^.+$` anything.
 */

/** Characters that break out of a quoted SQL value, a shell word, a YAML scalar or a template. */
const INJECTION_CHARACTERS = new Set(";|&$`'\"<>(){}!\\\n\r");

/** Characters of an escape (`\w`, `\S`, `\;`): undefined when it stands for "almost any character". */
function escapeAdmits(c: string): string | undefined {
  switch (c) {
    case "w":
    case "d":
    case "s":
    case "b":
    case "A":
    case "Z":
      return "";
    case "S":
    case "W":
    case "D":
      return undefined;
    case "n":
      return "\n";
    case "r":
      return "\r";
    case "t":
      return "\t";
    default:
      return c;
  }
}

/** True when a string matching the pattern can hold an injection character anywhere a class or wildcard allows. */
export function guardAdmitsInjection(pattern: string): boolean {
  return guardAdmits(pattern, INJECTION_CHARACTERS);
}

/** True when a string matching the pattern can hold one of `characters` anywhere a class or wildcard allows. */
export function guardAdmits(pattern: string, characters: ReadonlySet<string>): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") {
      const next = pattern[i + 1] ?? "";
      i++;
      if (escapeAdmits(next) === undefined) return true;
      continue; // an escaped literal outside a class is one fixed character, not a repeatable choice
    }
    if (c === ".") return true;
    if (c !== "[") continue;
    // a character class: read it to its closing bracket
    let j = i + 1;
    if (pattern[j] === "^") return true;
    const admitted: string[] = [];
    let first = true;
    for (; j < pattern.length && (pattern[j] !== "]" || first); j++) {
      first = false;
      let ch = pattern[j]!;
      if (ch === "\\") {
        const e = escapeAdmits(pattern[j + 1] ?? "");
        j++;
        if (e === undefined) return true;
        if (e.length !== 1) continue;
        ch = e;
      }
      // a range a-z: every character between its ends
      if (pattern[j + 1] === "-" && pattern[j + 2] !== undefined && pattern[j + 2] !== "]") {
        let end = pattern[j + 2]!;
        j += 2;
        if (end === "\\") {
          end = escapeAdmits(pattern[j + 1] ?? "") ?? "\uffff";
          j++;
        }
        for (let code = ch.charCodeAt(0); code <= (end.charCodeAt(0) || 0) && code < 0x80; code++) admitted.push(String.fromCharCode(code));
        continue;
      }
      admitted.push(ch);
    }
    if (admitted.some((a) => characters.has(a))) return true;
    i = j;
  }
  return false;
}
