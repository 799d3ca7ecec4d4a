import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyze, checksums } from "../../src/data/pii/index.js";

const {
  luhnValid,
  luhnCheckDigit,
  ibanValid,
  ibanCheckDigits,
  mod97,
  ssnValid,
  spainIdValid,
  spainIdLetter,
  frNirValid,
  frNirKey,
  nhsValid,
  abaValid,
  deDocumentValid,
  icaoCheckDigit,
  ninoValid,
  bech32Valid,
  cardBrand,
} = checksums;

describe("published reference values", () => {
  it("accepts the payment industry's test card numbers and rejects one-digit changes", () => {
    for (const pan of ["4111111111111111", "5555555555554444", "378282246310005", "6011111111111117", "3530111333300000", "4012888888881881"]) expect(luhnValid(pan)).toBe(true);
    expect(luhnValid("4111111111111112")).toBe(false);
  });
  it("accepts IBAN examples from the ISO 13616 registry and rejects altered ones", () => {
    for (const iban of [
      "DE89370400440532013000",
      "GB82 WEST 1234 5698 7654 32",
      "FR1420041010050500013M02606",
      "ES9121000418450200051332",
      "NL91ABNA0417164300",
      "CH9300762011623852957",
    ])
      expect(ibanValid(iban)).toBe(true);
    expect(ibanValid("DE89370400440532013001")).toBe(false);
    expect(ibanValid("DE8937040044053201300")).toBe(false); // wrong length for DE
  });
  it("applies the SSA's SSN rules", () => {
    expect(ssnValid("536-22-1234")).toBe(true);
    for (const bad of ["000-12-3456", "666-12-3456", "912-12-3456", "123-00-4567", "123-45-0000", "078-05-1120", "123-45-6789", "111-11-1111", "123-45 6789"])
      expect(ssnValid(bad)).toBe(false);
  });
  it("checks Spanish DNI/NIE letters, the UK NHS example, an ABA routing number and ICAO document numbers", () => {
    expect(spainIdValid("12345678Z")).toBe(true);
    expect(spainIdValid("12345678A")).toBe(false);
    expect(spainIdValid("X1234567L")).toBe(true);
    expect(nhsValid("943 476 5919")).toBe(true);
    expect(nhsValid("943 476 5918")).toBe(false);
    expect(abaValid("011000015")).toBe(true);
    expect(abaValid("011000016")).toBe(false);
    // ICAO 9303 part 3 specimen: document number L898902C3 has check digit 6.
    expect(icaoCheckDigit("L898902C3")).toBe(6);
    // German identity card specimens (Erika Mustermann): T22000129 + 3, L01X00T47 + 1.
    expect(deDocumentValid("T220001293")).toBe(true);
    expect(deDocumentValid("L01X00T471")).toBe(true);
    expect(deDocumentValid("L01X00T472")).toBe(false);
    expect(ninoValid("AB123456C")).toBe(true);
    expect(ninoValid("BG123456C")).toBe(false);
  });
  it("checks segwit addresses with the BIP 173 / BIP 350 test vectors; one changed character fails", () => {
    for (const a of [
      "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
      "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
      "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
    ])
      expect(bech32Valid(a)).toBe(true);
    expect(bech32Valid("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5")).toBe(false);
    expect(bech32Valid("BC1QW508D6QEJXTDG4Y5R3ZARVARY0c5xw7kv8f3t4")).toBe(false); // mixed case
    expect(bech32Valid("ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kgmn4n9")).toBe(false); // not Bitcoin
    expect(analyze("send to bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq please").map((m) => m.entity)).toEqual(["CRYPTO"]);
  });
  it("knows Maestro, UATP and 15-digit JCB ranges; IBANs of newer registry countries, with dashes", () => {
    expect(cardBrand("6759649826438453")).toBe("maestro");
    expect(cardBrand("5018000000000009")).toBe("maestro");
    expect(cardBrand("122000000000003")).toBe("uatp");
    expect(cardBrand("180000000000002")).toBe("jcb");
    expect(cardBrand("9999000000000000")).toBeUndefined();
    expect(ibanValid("VA59001123000012345678")).toBe(true);
    expect(ibanValid("BY13NBRB3600900000002Z00AB00")).toBe(true);
    expect(ibanValid("VA59001123000012345679")).toBe(false);
    const text = "IBAN AL47-2121-1009-0000-0002-3569-8741, NIE x9613851n";
    expect(analyze(text).map((m) => [m.entity, text.slice(m.start, m.end)])).toEqual([
      ["IBAN_CODE", "AL47-2121-1009-0000-0002-3569-8741"],
      ["ES_NIF", "x9613851n"],
    ]);
  });
  it("checks the French NIR key, Corsican departments included", () => {
    const body = "2690299341732";
    expect(frNirValid(`${body}${frNirKey(body)}`)).toBe(true);
    expect(frNirValid(`269022A341732${frNirKey("269022A341732")}`)).toBe(true);
    expect(frNirValid(`${body}00`)).toBe(frNirKey(body) === "00");
  });
});

describe("checksum properties", () => {
  const digitString = (min: number, max: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((a) => a.join(""));

  it("Luhn: the computed check digit validates, and every single-digit substitution is detected", () => {
    fc.assert(
      fc.property(digitString(5, 18), fc.nat(), fc.integer({ min: 1, max: 9 }), (payload, pos, delta) => {
        const full = payload + luhnCheckDigit(payload);
        expect(luhnValid(full)).toBe(true);
        const i = pos % full.length;
        const changed = full.slice(0, i) + ((Number(full[i]) + delta) % 10) + full.slice(i + 1);
        expect(luhnValid(changed)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it("mod 97 by digits equals BigInt arithmetic, and IBAN check digits validate", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9A-Z]{1,40}$/), (s) => {
        const big = BigInt(s.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55)));
        expect(mod97(s)).toBe(Number(big % 97n));
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(digitString(18, 18), fc.nat(), fc.integer({ min: 1, max: 9 }), (bban, pos, delta) => {
        const iban = `DE${ibanCheckDigits("DE", bban)}${bban}`;
        expect(ibanValid(iban)).toBe(true);
        const i = 4 + (pos % 18);
        const changed = iban.slice(0, i) + ((Number(iban[i]) + delta) % 10) + iban.slice(i + 1);
        expect(ibanValid(changed)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it("DNI letter and NIR key match their formulas; any other letter or key fails", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999 }), fc.integer({ min: 1, max: 22 }), (n, shift) => {
        const letter = spainIdLetter(n);
        const table = "TRWAGMYFPDXBNJZSQVHLCKE";
        expect(spainIdValid(`${String(n).padStart(8, "0")}${letter}`)).toBe(true);
        expect(spainIdValid(`${String(n).padStart(8, "0")}${table[(table.indexOf(letter) + shift) % 23]}`)).toBe(false);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 }),
        digitString(2, 2),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 95 }),
        digitString(6, 6),
        (sex, yy, mm, dep, rest) => {
          const body = `${sex}${yy}${String(mm).padStart(2, "0")}${String(dep).padStart(2, "0")}${rest}`;
          const key = 97 - Number(BigInt(body) % 97n);
          expect(frNirValid(`${body}${String(key).padStart(2, "0")}`)).toBe(true);
          expect(frNirValid(`${body}${String((key % 97) + 1).padStart(2, "0")}`)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("analyze never throws and returns sorted, non-overlapping spans inside the text", () => {
    const alphabet = fc.constantFrom(..."0123456789 -./:@+()ABCDEXYZabcxyz\n\täöéñß€".split(""));
    const texts = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.array(alphabet, { maxLength: 300 }).map((a) => a.join("")),
    );
    fc.assert(
      fc.property(texts, (text) => {
        const found = analyze(text, { threshold: 0 });
        let last = 0;
        for (const m of found) {
          expect(m.start).toBeGreaterThanOrEqual(last);
          expect(m.end).toBeGreaterThan(m.start);
          expect(m.end).toBeLessThanOrEqual(text.length);
          expect(m.score).toBeGreaterThanOrEqual(0);
          expect(m.score).toBeLessThanOrEqual(1);
          last = m.end;
        }
      }),
      { numRuns: 1000 },
    );
  });
});
