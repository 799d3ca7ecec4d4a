import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { parquetWriteFile } from "hyparquet-writer";
import { describe, expect, it } from "vitest";
import { analyze, anonymize, CHECKSUM_ENTITIES, decryptText, decryptToken, encryptValue, operate, pseudonym, scanPii } from "../../src/data/pii/index.js";
import { tempDir } from "../helpers/db.js";
import { runCli } from "./cli.js";
import { corpus } from "./pii-corpus.js";
import { evaluate } from "./pii-eval.js";

describe("PII detection quality on generated labelled text", () => {
  // A seed the recognizers were never tuned on.
  const result = evaluate(corpus(20261125, 2500));

  it("reaches precision and recall ≥ 0.9 for every checksum-backed entity", () => {
    const checked = Object.entries(result.perEntity).filter(([e]) => CHECKSUM_ENTITIES.has(e));
    expect(checked.length).toBeGreaterThanOrEqual(4);
    for (const [entity, s] of checked) {
      expect.soft(s.precision, `${entity} precision`).toBeGreaterThanOrEqual(0.9);
      expect.soft(s.recall, `${entity} recall`).toBeGreaterThanOrEqual(0.9);
    }
  });

  it("reaches precision and recall ≥ 0.8 per entity and overall", () => {
    for (const [entity, s] of Object.entries(result.perEntity)) {
      expect.soft(s.precision, `${entity} precision`).toBeGreaterThanOrEqual(0.8);
      expect.soft(s.recall, `${entity} recall`).toBeGreaterThanOrEqual(0.8);
    }
    expect(result.overall.precision).toBeGreaterThanOrEqual(0.9);
    expect(result.overall.recall).toBeGreaterThanOrEqual(0.9);
  });
});

describe("hand-written sentences (not from the generator)", () => {
  const cases: Array<[string, Array<[string, string]>]> = [
    [
      "Reach me at jane_doe+news@uni-bonn.de or 0228 73 0.",
      [
        ["EMAIL_ADDRESS", "jane_doe+news@uni-bonn.de"],
        ["PHONE_NUMBER", "0228 73 0"],
      ],
    ],
    ["Her Visa 4012 8888 8888 1881 expires 09/27.", [["CREDIT_CARD", "4012 8888 8888 1881"]]],
    ["Ref 4012 8888 8888 1882 is a typo, not a card.", []],
    ["Upgrade to 10.4.2.1 with version 2.0.0.1 later.", []],
    ["He was born 4 July 1976 in Boston.", [["DATE_OF_BIRTH", "4 July 1976"]]],
    ["The shipment left on 4 July 1976.", []],
    ["Mein Konto: GB82 WEST 1234 5698 7654 32.", [["IBAN_CODE", "GB82 WEST 1234 5698 7654 32"]]],
    [
      "Sr. Rodríguez vive en Calle de Alcalá 48.",
      [
        ["PERSON", "Rodríguez"],
        ["STREET_ADDRESS", "Calle de Alcalá 48"],
      ],
    ],
    ["Client joignable au +33 6 12 34 56 78.", [["PHONE_NUMBER", "+33 6 12 34 56 78"]]],
    ["server at fe80::1ff:fe23:4567:890a replied", [["IP_ADDRESS", "fe80::1ff:fe23:4567:890a"]]],
    ["the meeting is at 10:30:15 tomorrow", []],
    [
      "Frau Dr. Petra Hoffmann, geb. 14.02.1968",
      [
        ["PERSON", "Petra Hoffmann"],
        ["DATE_OF_BIRTH", "14.02.1968"],
      ],
    ],
    ["Mr. Anderson's order", [["PERSON", "Anderson"]]],
    ["my number is 555-867-5309", [["PHONE_NUMBER", "555-867-5309"]]],
    ["ticket 88213: customer Wang Lei called", [["PERSON", "Wang Lei"]]],
    ["Release 3.14.15.92 fixes CVE-2024-1234 in New York", []],
  ];
  for (const [text, expected] of cases) {
    it(text, () => {
      const found = analyze(text).map((m) => [m.entity, text.slice(m.start, m.end)]);
      expect(found).toEqual(expected);
    });
  }

  it("raises the score with context words and uses column names as context", () => {
    const plain = analyze("id 536-22-1234", { threshold: 0 }).find((m) => m.entity === "US_SSN")!;
    const withCtx = analyze("SSN 536-22-1234", { threshold: 0 }).find((m) => m.entity === "US_SSN")!;
    expect(withCtx.score).toBeGreaterThan(plain.score);
    expect(analyze("00123456")).toEqual([]);
    expect(analyze("00123456", { context: ["mrn"] }).map((m) => m.entity)).toEqual(["MEDICAL_RECORD_NUMBER"]);
    expect(analyze("1985-03-12").map((m) => m.entity)).toEqual([]);
    expect(analyze("1985-03-12", { context: ["date", "of", "birth"] }).map((m) => m.entity)).toEqual(["DATE_OF_BIRTH"]);
  });
});

describe("operators", () => {
  const key = Buffer.alloc(32, 7);
  const other = Buffer.alloc(32, 8);
  it("mask keeps separators and the last characters asked for", () => {
    expect(operate("4111 1111 1111 1111", "CREDIT_CARD", { operator: "mask", keepLast: 4 })).toBe("**** **** **** 1111");
    expect(operate("a@b.de", "EMAIL_ADDRESS", { operator: "replace" })).toBe("<EMAIL_ADDRESS>");
  });
  it("hash is keyed: same key same digest, other key other digest", () => {
    const a = operate("536-22-1234", "US_SSN", { operator: "hash", key });
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(operate("536-22-1234", "US_SSN", { operator: "hash", key })).toBe(a);
    expect(operate("536-22-1234", "US_SSN", { operator: "hash", key: other })).not.toBe(a);
    expect(() => operate("x", "US_SSN", { operator: "hash" })).toThrow(/needs a key/);
  });
  it("encrypt is reversible with the key only, randomised, and authenticated", () => {
    const t1 = encryptValue("Hans Müller", "PERSON", key);
    const t2 = encryptValue("Hans Müller", "PERSON", key);
    expect(t1).not.toBe(t2);
    expect(decryptToken(t1, key)).toBe("Hans Müller");
    expect(() => decryptToken(t1, other)).toThrow(/does not decrypt/);
    const tampered = t1.replace("PERSON", "URL");
    expect(() => decryptToken(tampered, key)).toThrow(/does not decrypt/);
  });
  it("pseudonyms are consistent and keep the kind of value", () => {
    expect(pseudonym("john@example.com", "EMAIL_ADDRESS", key)).toBe(pseudonym("John@Example.com ", "EMAIL_ADDRESS", key));
    expect(pseudonym("john@example.com", "EMAIL_ADDRESS", key)).toMatch(/^user-[0-9a-f]{8}@example\.com$/);
    expect(pseudonym("Hans Müller", "PERSON", key)).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+-[0-9a-f]{4}$/);
    expect(pseudonym("Hans Müller", "PERSON", key)).not.toBe(pseudonym("Hans Müller", "PERSON", other));
  });
  it("anonymize + decryptText round-trips a whole text", () => {
    const text = "Mail john.smith@example.com, card 4111 1111 1111 1111.";
    const out = anonymize(text, analyze(text), { operator: "encrypt", key });
    expect(out).not.toContain("john.smith");
    expect(out).not.toContain("4111");
    expect(decryptText(out, key)).toBe(text);
  });
});

describe("scanPii over files", () => {
  const dir = tempDir();
  const csv = join(dir, "customers.csv");
  writeFileSync(
    csv,
    'customer_id,full_name,email,date_of_birth,mrn,note\n1,Ana Torres,ana@example.es,1980-02-03,H1234567,"likes, commas"\n2,Peter Weber,p.weber@mail.de,1975-11-30,H7654321,call +49 30 2345678\n3,Li Wei,li@example.com,2001-07-08,H5550001,none\n',
  );

  it("reports row, field, offset, length, entity and score, and a per-column profile", async () => {
    const r = await scanPii(csv);
    const email = r.findings.find((f) => f.entity === "EMAIL_ADDRESS" && f.location?.row === 2)!;
    expect(email.location).toMatchObject({ row: 2, field: "email", offset: 0, length: "p.weber@mail.de".length });
    expect(email.evidence?.score).toBe(1);
    const phone = r.findings.find((f) => f.entity === "PHONE_NUMBER")!;
    expect(phone.location).toMatchObject({ row: 2, field: "note", offset: 5, length: 14 });
    const columns = r.findings.filter((f) => f.ruleId === "pii.column").map((f) => [f.location?.field, f.entity]);
    expect(columns).toEqual(
      expect.arrayContaining([
        ["full_name", "PERSON"],
        ["email", "EMAIL_ADDRESS"],
        ["date_of_birth", "DATE_OF_BIRTH"],
        ["mrn", "MEDICAL_RECORD_NUMBER"],
      ]),
    );
    expect(columns.find(([f]) => f === "customer_id")).toBeUndefined();
    expect(r.metrics.records).toBe(3);
  });

  it("JSON Lines with --text-field scans only that field and redacts atomically", async () => {
    const jsonl = join(dir, "tickets.jsonl");
    writeFileSync(jsonl, `${JSON.stringify({ id: "a@b.de", body: "Write to kim@example.org please", nested: { x: 1 } })}\n${JSON.stringify({ id: 2, body: "nothing" })}\n`);
    const out = join(dir, "clean.jsonl");
    const r = await scanPii(jsonl, { textField: "body", redact: { path: out, operator: { operator: "replace" } } });
    expect(r.findings.filter((f) => f.ruleId !== "pii.column").map((f) => [f.location?.row, f.location?.field, f.location?.offset])).toEqual([[1, "body", 9]]);
    const lines = readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines[0]).toEqual({ id: "a@b.de", body: "Write to <EMAIL_ADDRESS> please", nested: { x: 1 } });
    expect(lines[1]).toEqual({ id: 2, body: "nothing" });
  });

  it("reads Parquet and writes the redacted copy as CSV", async () => {
    const pq = join(dir, "people.parquet");
    parquetWriteFile({
      filename: pq,
      columnData: [
        { name: "name", data: ["Mary Johnson", "Hans Schmidt"], type: "STRING" },
        { name: "iban", data: ["DE89370400440532013000", "none"], type: "STRING" },
        { name: "age", data: [41, 52], type: "INT32" },
      ],
    });
    const out = join(dir, "people.clean.csv");
    const r = await scanPii(pq, { redact: { path: out, operator: { operator: "mask", keepLast: 4 } } });
    expect(r.findings.some((f) => f.entity === "IBAN_CODE" && f.location?.row === 1 && f.location.field === "iban")).toBe(true);
    expect(readFileSync(out, "utf8")).toBe("name,iban,age\n**** ***nson,******************3000,41\n**** ***midt,none,52\n");
  });

  it("a malformed file fails with one line naming file and line, and leaves no partial output", async () => {
    const bad = join(dir, "bad.jsonl");
    writeFileSync(bad, '{"a": "x@y.com"}\n{"a": \n');
    const out = join(dir, "never.jsonl");
    await expect(scanPii(bad, { redact: { path: out, operator: { operator: "replace" } } })).rejects.toThrow(/bad\.jsonl:2: not valid JSON/);
    expect(() => readFileSync(out)).toThrow();
    const cli = await runCli("data", "pii", bad);
    expect(cli.code).toBe(2);
    expect(cli.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("rampart data pii prints JSON with the documented location fields and exits 1 on high findings", async () => {
    const cli = await runCli("data", "pii", csv, "--format", "json");
    expect(cli.code).toBe(1);
    const json = JSON.parse(cli.stdout);
    expect(json.check).toBe("data-pii");
    expect(json.findings.some((f: { location: { row?: number; field?: string } }) => f.location.row === 1 && f.location.field === "email")).toBe(true);
    const usage = await runCli("data", "pii", csv, "--redact", join(dir, "x.csv"), "--operator", "hash");
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/needs a key/);
  });
});

describe("PII context is local", () => {
  it("property: text far before a candidate (plain lower-case words on an earlier line) changes neither its match nor its score", () => {
    const pieces = [
      "Mr. José García",
      " call +49 30 1234567",
      "𝐀𝐁 name",
      "😀",
      "-",
      ".",
      "#",
      "'",
      " ",
      ",",
      "Dr. Ann Lee",
      "email: a.b@c.de",
      "IBAN DE89 3704 0044 0532 0130 00",
      "patient MRN 1234567",
      "Hauptstraße 12",
      "phone",
      "Passport",
      "card 4111 1111 1111 1111",
      "ß",
      "SSN 078-05-1120",
    ];
    const filler =
      "and the of to in it was for on with as by at from this which or are have not has but were more about when also can one all new other time some into only over such\n";
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 30 }), fc.boolean(), (parts, spaced) => {
        const text = parts.join(spaced ? " " : "");
        const shifted = analyze(filler + text).map((m) => ({ ...m, start: m.start - filler.length, end: m.end - filler.length }));
        expect(shifted).toEqual(analyze(text));
      }),
      { numRuns: 300 },
    );
  });
});
