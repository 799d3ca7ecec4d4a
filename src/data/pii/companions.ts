import { isNameLike, personScore } from "./person.js";

/**
 * Names after the words that put a person beside an act: "habló con Lukashenko", "junto a Azkargorta",
 * "según Annan", "avec Dupont", "selon Jospin", "written by Ferrante", "according to Hill". Not German
 * "mit"/"laut": every noun there is capitalised and many are surnames too ("mit Glück", "mit Stolz" on
 * the seen GermEval and HIPE sets). No cue says it is a person, so the word must look like a
 * name: a listed given name or surname, or a surname's ending ("Vukadinovic"); places, countries and
 * organisations ("con Madrid", "with Google") are left out by the caller's tests.
 */
const COMPANION_WORDS = "[Ww]ith|[Bb]y|[Aa]ccording[ \\t]+to|[Aa]vec|[Ss]elon|[Pp]ar|[Cc]on|[Ss]egún|[Jj]unto[ \\t]+a|[Jj]unto[ \\t]+con";
/** Every start the pattern can have, as plain text: a text without one is not read. */
export const COMPANION_PREFILTER = /[Ww]ith[ \t]|[Bb]y[ \t]|[Aa]ccording|[Aa]vec[ \t]|[Ss]elon[ \t]|[Pp]ar[ \t]|[Cc]on[ \t]|[Ss]egún|[Jj]unto/;
export const COMPANION_PATTERN = new RegExp(`(?<![\\p{L}])(?:${COMPANION_WORDS})[ \\t]+([\\p{Lu}][\\p{Ll}'’-]+(?:[ \\t]+[\\p{Lu}][\\p{Ll}'’-]+)?)(?![\\p{L}])`, "gu");

/**
 * One or two capitalised words after a companion word: a person when a lone word is name-like and not
 * something else (`notName`: a country, an office, a place or organisation the tagger knows, an everyday
 * German noun), or when two words score as a name on their own or hold a name-like word.
 */
export function companionScore(span: string, notName: (word: string) => boolean): number | null | undefined {
  const words = span.split(/[ \t]+/).map((w) => w.replace(/['’]s$/, ""));
  if (words.some((w) => notName(w))) return null;
  if (words.length === 1) return isNameLike(words[0]!) ? undefined : null;
  const shape = personScore(words.join(" "));
  if (shape !== null && shape >= 0.5) return undefined;
  return isNameLike(words[0]!) || isNameLike(words[1]!) ? undefined : null;
}
