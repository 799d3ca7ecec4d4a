import fc from "fast-check";
import { corpus, GEN, rng } from "./pii-corpus.js";

/**
 * Random texts for checking that the PII engine's shortcuts change nothing: generated PII values and
 * labelled sentences in four languages, names, cue words, street and unit words, look-alikes and
 * prose, joined by spaces, tabs, line breaks and punctuation (fast-check, so a failure shrinks).
 */
const r = rng(61212);
const SENTENCES = corpus(61212, 300).map((x) => x.text);
const VALUES = Object.values(GEN).flatMap((g) => Array.from({ length: 12 }, () => g(r)));
const WORDS = [
  // Prose and function words, several languages.
  "The the was and und y et e der die la le el de del von van in at on to Das Según Dans However, State year people",
  // Names, titles, cues.
  "John Smith Anna Müller García Pierre Dubois Ólafur Élodie O'Neil Mr. mr. Mrs Herr Frau señora monsieur Dr. Hi said dijo a déclaré",
  "erklärte named Präsident ministro Kohl Genscher",
  // Street words, units, boxes, postcodes, towns.
  "Street St. Ave Road rue Rue avenue Via Calle C/ ul. Hauptstraße Bahnhofstr. Snellmaninkatu Søndergade Rákóczi út tee bis ter nº",
  "Apt. Suite Unit Flat Box box Postbox PO P.O. BP PSC USNS Postfach Apartado Boîte postale APO AE 10115 8001 75008 Berlin Paris Zürich",
  // Numbers and look-alikes, context words.
  '12 12, 1990 2024-01-15 v1.2.3 3.14 #4411 0 00 555 phone: Tel. IBAN card born geboren SSN passport @ www. https:// example.com : / - , . ( ) " »',
].flatMap((line) => line.split(" "));
const SEPARATORS = [" ", " ", " ", "  ", "\t", "\n", ", ", ". ", "\\n", " - "];

const piece = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 2, arbitrary: fc.constantFrom(...VALUES) },
  { weight: 1, arbitrary: fc.constantFrom(...SENTENCES) },
);

/** One random text of up to 60 pieces. */
export const mixedText: fc.Arbitrary<string> = fc.array(fc.tuple(piece, fc.constantFrom(...SEPARATORS)), { maxLength: 60 }).map((parts) => parts.map(([p, s]) => p + s).join(""));

/** `count` random texts from a fixed seed (the same texts on every run). */
export function mixedTexts(seed: number, count: number): string[] {
  return fc.sample(mixedText, { seed, numRuns: count });
}
