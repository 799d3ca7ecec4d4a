import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyze, checksums, scanPii } from "../../src/data/pii/index.js";
import { tempDir } from "../helpers/db.js";
import { luhnDigit } from "./pii-corpus.js";

/** The same number with its check digit off by `k` (1–9): fails Luhn, looks the same. */
const offBy = (valid: string, k: number) => valid.slice(0, -1) + String((Number(valid.at(-1)) + k) % 10);
const g4 = (s: string) => s.replace(/(.{4})(?=.)/g, "$1 ");

const one = (text: string, entity: string) => analyze(text).filter((m) => m.entity === entity);

describe("checksum-failing cards, IBANs and routing numbers (one rule)", () => {
  it.each([
    ["Please charge my credit card 4532 0151 1283 0367 today", "CREDIT_CARD", "4532 0151 1283 0367"],
    ["Kreditkarte: 5500-0000-0000-0005", "CREDIT_CARD", "5500-0000-0000-0005"],
    ["numéro de carte 4111111111111112", "CREDIT_CARD", "4111111111111112"],
    ["IBAN: DE89 3704 0044 0532 0130 01", "IBAN_CODE", "DE89 3704 0044 0532 0130 01"],
    ["Bankverbindung Konto FR7630006000011234567890188", "IBAN_CODE", "FR7630006000011234567890188"],
    ["routing number 021000022 for the transfer", "US_BANK_ROUTING", "021000022"],
  ])("reports %j after a strong context word, flagged and below valid scores", (text, entity, value) => {
    const m = one(text, entity);
    expect(m.map((x) => text.slice(x.start, x.end))).toEqual([value]);
    expect(m[0]!.checksumValid).toBe(false);
    expect(m[0]!.score).toBeGreaterThanOrEqual(0.5);
    expect(m[0]!.score).toBeLessThan(0.6);
  });

  it.each([
    // No context word: a number of the right shape is not a card, an IBAN or a routing number.
    ["Reference 4532 0151 1283 0367 was shipped", "CREDIT_CARD"],
    ["Ticket DE89 3704 0044 0532 0130 01 closed", "IBAN_CODE"],
    ["Order 021000022 arrived", "US_BANK_ROUTING"],
    // The word only after the value names the next field.
    ["account 123456781 and routing details follow", "US_BANK_ROUTING"],
    ["4532015112830367 is not a card", "CREDIT_CARD"],
    // Not the shape: no issuer prefix, odd grouping, wrong length for the country, repeated digits.
    ["card number 9532015112830367", "CREDIT_CARD"],
    ["card number 45320 15112 830367", "CREDIT_CARD"],
    ["IBAN NL55TRIO012345678", "IBAN_CODE"],
    ["IBAN XX12 3456 7890 1234 5678", "IBAN_CODE"],
    ["card 4444 4444 4444 4444", "CREDIT_CARD"],
    ["routing 111111111", "US_BANK_ROUTING"],
  ])("stays silent on %j", (text, entity) => {
    expect(one(text, entity)).toEqual([]);
  });

  it("valid values are unchanged: full score, no flag", () => {
    const m = one("credit card 4532 0151 1283 0366, IBAN DE89 3704 0044 0532 0130 00", "CREDIT_CARD").concat(
      one("credit card 4532 0151 1283 0366, IBAN DE89 3704 0044 0532 0130 00", "IBAN_CODE"),
    );
    expect(m).toHaveLength(2);
    for (const x of m) {
      expect(x.checksumValid).toBeUndefined();
      expect(x.score).toBe(1);
    }
  });

  it("a Visa number with any one wrong check digit: silent alone, flagged after 'card' (property)", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^4[0-9]{14}$/), fc.integer({ min: 1, max: 9 }), fc.boolean(), (payload, k, grouped) => {
        const valid = payload + luhnDigit(payload);
        fc.pre(!checksums.isRepeated(valid));
        const bad = offBy(valid, k);
        expect(checksums.luhnValid(bad)).toBe(false);
        const printed = grouped ? g4(bad) : bad;
        expect(one(`Reference ${printed} was shipped`, "CREDIT_CARD")).toEqual([]);
        const text = `Card number: ${printed}`;
        const m = one(text, "CREDIT_CARD");
        expect(m.map((x) => [text.slice(x.start, x.end), x.checksumValid])).toEqual([[printed, false]]);
        // The valid number in the same place is reported as before, without the flag.
        const ok = one(`Card number: ${grouped ? g4(valid) : valid}`, "CREDIT_CARD");
        expect(ok).toHaveLength(1);
        expect(ok[0]!.checksumValid).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it("the file scan carries the flag into the finding's evidence", async () => {
    const dir = tempDir();
    const file = join(dir, "payments.jsonl");
    writeFileSync(file, `${JSON.stringify({ note: "card 4532 0151 1283 0367 declined" })}\n${JSON.stringify({ note: "card 4532 0151 1283 0366 ok" })}\n`);
    const r = await scanPii(file, { textField: "note" });
    const cards = r.findings.filter((f) => f.ruleId === "pii.credit-card");
    expect(cards.map((f) => [f.location?.row, f.evidence?.checksumValid])).toEqual([
      [1, false],
      [2, undefined],
    ]);
    expect(cards[0]!.message).toContain("checksum fails");
  });
});
