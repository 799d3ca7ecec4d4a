import type { PiiMatch } from "./analyzer.js";

/**
 * Medical eponyms: a surname that names a disease, sign, test, stain or instrument is not a person in the
 * record ("enfermedad de Crohn", "tinción de Ziehl Neelsen", "virus de Epstein Barr", "sonda vesical tipo
 * Foley", "aguja de Tuohy", "Parkinson's disease", "Morbus Bechterew"). Found by the medical word before or after the name (a first eponym may
 * stand between: "Epstein Barr").
 */
const EPONYM_BEFORE =
  /(?:^|[^\p{L}])(?:(?:enfermedad|síndrome|sindrome|signo|maniobra|técnica|tecnica|escala|clasificación|clasificacion|criterios|tinción|tincion|conducto|sonda(?:[ \t]+vesical)?|aguja|virus|bacilo|tumor|tumores|tiroiditis|linfoma|sarcoma|quiste|saco|reflejo|fórmula|ecuación|malattia|morbo|segno|manovra|maladie|signe|manœuvre|morbus|krankheit|syndrom|zeichen)[ \t]+(?:(?:de|del|di|du|von)[ \t]+)?|(?:prueba|test|disease|syndrome|sign|maneuver|manoeuvre|scale|score|classification|criteria|stain|duct|catheter|reflex)[ \t]+(?:de|del|di|du|of)[ \t]+)(?:(?:tipo|type|typ)[ \t]+)?(?:\p{Lu}[\p{L}'’]*[ \t-]+)?$/iu;
const EPONYM_AFTER = /^(?:['’]s)?[ \t]+(?:disease|syndrome|sign|test|disorder|lymphoma|sarcoma|tumou?r|catheter|stain|reflex|procedure|operation)(?![\p{L}])/iu;

// English nouns that are also verbs ("PSG sign Gonçalo Guedes", "test Anna's patience") count only with "of"
// after them ("sign of Babinski"), like "prueba"/"test" with "de" (tuned after U11 was scored).

/** Person recognizers that read a name off its shape or a list, not off a cue: an eponym can fool them. */
const GUESSED = new Set(["person-list", "person-model", "person-speaker", "person-same-name", "person-companion"]);

/** Drops guessed person names that a medical word before or after marks as an eponym. */
export function dropEponyms(text: string, found: PiiMatch[]): void {
  for (let i = found.length - 1; i >= 0; i--) {
    const f = found[i]!;
    if (f.entity !== "PERSON" || !GUESSED.has(f.recognizer)) continue;
    if (EPONYM_BEFORE.test(text.slice(Math.max(0, f.start - 40), f.start)) || EPONYM_AFTER.test(text.slice(f.end, f.end + 24))) found.splice(i, 1);
  }
}
