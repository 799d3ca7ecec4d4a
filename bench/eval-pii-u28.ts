/**
 * U28 (docs/data.md, "Session 37"): short texts of twelve genres (e-mails, chats, letters, medical, legal, banking,
 * insurance ...) written by a language model for kurkowski93/contextual-anonymizer, each with its placeholder twin;
 * the builder recovers the spans. Scored with the engine of a chosen checkout.
 *
 *   python3 bench/pii-u28-build.py synthetic_data.json > u28.jsonl
 *   npx tsx bench/eval-pii-u28.ts u28.jsonl [--root <checkout>] [--errors N]
 *
 * Scored gold: PERSON, EMAIL_ADDRESS, PHONE_NUMBER, STREET_ADDRESS, IBAN_CODE, CREDIT_CARD (the builder's mapping).
 * Every other predicted kind is scored against them (a span on an account, PESEL, NIP, policy, claim or ticket
 * number that is no gold of its kind is a false positive), except URL, which the set does not label: those spans
 * are dropped and counted. A prediction on an unscored gold span (an account that passes no check, a username, a
 * date, a company, a Polish PESEL or NIP ...) is counted apart. Counting otherwise as bench/pii-id-eval.ts says.
 */
import { runIdEval } from "./pii-id-eval.js";

await runIdEval({
  script: "bench/eval-pii-u28.ts",
  scored: new Set(["PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "STREET_ADDRESS", "IBAN_CODE", "CREDIT_CARD"]),
  ignored: new Set(["URL"]),
  apart: "predictions on unscored gold spans (accounts passing no check, usernames, dates, companies, PESEL, NIP, …; counted apart)",
  context: 60,
});
