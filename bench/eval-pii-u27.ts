/**
 * U27 (docs/data.md, "Session 36"): e-invoices written by hand for EN 16931 (KoSIT's XRechnung test suite and
 * CEN/TC 434's examples), one XML file per sample, scored with the engine of a chosen checkout.
 *
 *   python3 bench/pii-u27-build.py <xrechnung-testsuite checkout> <eInvoicing-EN16931 checkout> > u27.jsonl
 *   npx tsx bench/eval-pii-u27.ts u27.jsonl [--root <checkout>] [--errors N]
 *
 * Scored gold: IBAN_CODE, EMAIL_ADDRESS, PHONE_NUMBER, STREET_ADDRESS (the builder's labels, from the elements'
 * business terms). Every other predicted kind is scored against them (a span on a VAT number, a tax number, a
 * routing id, an amount or a date is a false positive), except PERSON and URL, which the set does not label
 * (a party's or contact's name may be a person's or a firm's; schema and namespace URIs fill every file): those
 * spans are dropped and counted. A prediction on an unscored gold span (an account number that is no IBAN, a
 * further address line, a contact name, a card's last digits) is counted apart. Counting otherwise as
 * bench/pii-id-eval.ts says.
 */
import { runIdEval } from "./pii-id-eval.js";

await runIdEval({
  script: "bench/eval-pii-u27.ts",
  scored: new Set(["IBAN_CODE", "EMAIL_ADDRESS", "PHONE_NUMBER", "STREET_ADDRESS"]),
  ignored: new Set(["PERSON", "URL"]),
  apart: "predictions on unscored gold spans (accounts that are no IBAN, further address lines, contact names, partial cards; counted apart)",
  context: 60,
});
