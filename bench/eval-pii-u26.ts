/**
 * U26 (docs/data.md, "Session 35"): python-stdnum's identifier lists, one bare value per sample, scored with the
 * engine of a chosen checkout.
 *
 *   python3 bench/pii-u26-build.py <python-stdnum checkout> > u26.jsonl
 *   npx tsx bench/eval-pii-u26.ts u26.jsonl [--root <checkout>] [--errors N]
 *
 * --root names the checkout whose engine (src/data/pii/index.ts) reads the values: the base build's, or this
 * one's (the default). Counting is score()'s of bench/pii-external.ts, strict (one prediction pairs with one
 * gold span of its kind that it overlaps), at threshold 0.5: a prediction on an OTHER_ID value is counted apart,
 * any other prediction that pairs with no gold span is a false positive (on a negative value, on the part of a
 * line that is not the value, or a second piece). It is written out (bench/pii-id-eval.ts), rather than
 * imported, so that the base engine can be scored with the labels this set needs (IT_FISCAL_CODE, which the base
 * bench lacks). Prints per-entity and per-source counts; --errors prints that many errors.
 */
import { runIdEval } from "./pii-id-eval.js";

await runIdEval({
  script: "bench/eval-pii-u26.ts",
  scored: new Set(["IBAN_CODE", "IT_FISCAL_CODE", "CRYPTO"]),
  apart: "predictions on OTHER_ID values (counted apart)",
});
