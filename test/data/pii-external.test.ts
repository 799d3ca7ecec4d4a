import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { load, score, tokenScore } from "../../bench/pii-external.js";

// The scorer behind the external PII evaluation: it must count a miss, a false alarm, a label
// mapping and an out-of-scope overlap correctly, or the published figures mean nothing.
describe("external PII evaluation scorer", () => {
  const dir = mkdtempSync(join(tmpdir(), "rampart-pii-ext-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads Presidio's synthetic format and scores per entity with label mapping", () => {
    const text = "Mail jane.doe@example.com, card 4111 1111 1111 1111, from Acme Corp, call me at 415-555-2671";
    const at = (s: string) => [text.indexOf(s), text.indexOf(s) + s.length] as const;
    const span = (entity_type: string, s: string) => ({ entity_type, start_position: at(s)[0], end_position: at(s)[1] });
    const file = join(dir, "synth.json");
    writeFileSync(
      file,
      JSON.stringify([
        // The phone number is deliberately left unlabelled: a detection there is a false positive.
        { full_text: text, spans: [span("EMAIL_ADDRESS", "jane.doe@example.com"), span("CREDIT_CARD", "4111 1111 1111 1111"), span("ORGANIZATION", "Acme Corp")] },
        { full_text: "Her reference is DE89 3704 0044 0532 0130 01.", spans: [{ entity_type: "IBAN_CODE", start_position: 17, end_position: 44 }] },
      ]),
    );
    const r = score(load(file), 0.5);
    expect(r.perEntity.EMAIL_ADDRESS).toMatchObject({ tp: 1, fp: 0, fn: 0 });
    expect(r.perEntity.CREDIT_CARD).toMatchObject({ tp: 1, fp: 0, fn: 0 });
    expect(r.perEntity.PHONE_NUMBER).toMatchObject({ tp: 0, fp: 1 });
    // A one-digit-wrong IBAN with no account word before it is not detected: a miss.
    expect(r.perEntity.IBAN_CODE).toMatchObject({ tp: 0, fn: 1 });
    expect(r.checksum).toMatchObject({ tp: 1, fn: 1, fp: 0 });
    expect(r.overall.precision).toBeCloseTo(2 / 3, 6);
    expect(r.overall.recall).toBeCloseTo(2 / 3, 6);
  });

  it("reads JSON Lines with a scope: only the labelled kind is scored", () => {
    const file = join(dir, "cases.jsonl");
    writeFileSync(file, `${JSON.stringify({ text: "12345678Z and 4111111111111111", spans: [{ entity: "ES_NIF", start: 0, end: 9 }], scope: ["ES_NIF"] })}\n`);
    const r = score(load(file), 0.5);
    expect(Object.keys(r.perEntity)).toEqual(["ES_NIF"]);
    expect(r.perEntity.ES_NIF).toMatchObject({ tp: 1, fp: 0, fn: 0 });
  });

  it("counts per token: an address labelled in pieces and predicted whole is fully recalled", () => {
    const text = "Send it to 040 Snellmaninkatu 55 please, thanks";
    const at = (p: string) => ({ start: text.indexOf(p), end: text.indexOf(p) + p.length });
    const file = join(dir, "pieces.jsonl");
    // Presidio's generator labels the building number and the street as two spans.
    writeFileSync(
      file,
      `${JSON.stringify({
        text,
        spans: [
          { entity: "STREET_ADDRESS", ...at("040") },
          { entity: "STREET_ADDRESS", ...at("Snellmaninkatu 55") },
        ],
      })}\n`,
    );
    const samples = load(file);
    // One prediction, two gold spans: one hit and one miss per span, no false positive ...
    expect(score(samples, 0.5).perEntity.STREET_ADDRESS).toMatchObject({ tp: 1, fp: 0, fn: 1 });
    // ... and every one of the three word tokens right per token.
    expect(tokenScore(samples, 0.5).perEntity.STREET_ADDRESS).toMatchObject({ tp: 3, fp: 0, fn: 0 });
    // Counting pieces: the one prediction finds both gold spans; precision stays per prediction.
    const pieces = score(samples, 0.5, true).perEntity.STREET_ADDRESS!;
    expect(pieces).toMatchObject({ tp: 1, covered: 1, fp: 0, fn: 0 });
    expect(pieces.precision).toBe(1);
    expect(pieces.recall).toBe(1);
  });

  it("counting pieces never credits a prediction of another kind or one that overlaps nothing", () => {
    const text = "Call 030 12345678 or write to 040 Snellmaninkatu 55";
    const at = (p: string) => ({ start: text.indexOf(p), end: text.indexOf(p) + p.length });
    const file = join(dir, "pieces-other.jsonl");
    // The phone number is labelled as an address piece: a wrong-kind prediction finds nothing.
    writeFileSync(
      file,
      `${JSON.stringify({
        text,
        spans: [
          { entity: "STREET_ADDRESS", ...at("030 12345678") },
          { entity: "STREET_ADDRESS", ...at("Snellmaninkatu 55") },
        ],
      })}\n`,
    );
    const r = score(load(file), 0.5, true);
    expect(r.perEntity.STREET_ADDRESS).toMatchObject({ tp: 1, covered: 0, fn: 1 });
    expect(r.perEntity.PHONE_NUMBER).toMatchObject({ tp: 0, fp: 1 });
  });
});
