import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, LedgerEvent, parseEvent, quickEvent } from "../../src/ledger/entry.js";

/** The canonical form as first written (map/filter/join): the reference the faster one must equal. */
function reference(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) throw new Error("non-finite");
    if (value === undefined) return "null";
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => reference(v === undefined ? null : v)).join(",")}]`;
  const keys = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${reference((value as Record<string, unknown>)[k])}`).join(",")}}`;
}

const sha = fc.stringMatching(/^[0-9a-f]{64}$/);
/** Event-shaped values, valid and not: mostly right fields, each sometimes wrong, sometimes an extra key. */
const w = <T>(good: fc.Arbitrary<T>, ...bad: fc.Arbitrary<unknown>[]) => fc.oneof({ arbitrary: good, weight: 8 }, ...bad.map((b) => ({ arbitrary: b, weight: 1 })));
const eventish = fc
  .record(
    {
      kind: w(fc.constantFrom("gateway.decision", "note", "attestation", "x.team.thing"), fc.string({ maxLength: 70 }), fc.integer()),
      subject: w(
        fc.record({ name: fc.string({ minLength: 1, maxLength: 20 }), sha256: sha }),
        fc.record({ name: fc.string({ maxLength: 3 }), sha256: fc.oneof(sha, fc.string({ maxLength: 64 })) }),
        fc.record({ name: fc.string({ minLength: 1, maxLength: 5 }), sha256: sha, extra: fc.string() }),
        fc.constant(null),
        fc.string(),
      ),
      actor: w(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ maxLength: 600 }), fc.constant(undefined), fc.constant(""), fc.integer()),
      data: w(
        fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 })),
        fc.array(fc.integer()),
        fc.constant(null),
        fc.constant(JSON.parse('{"__proto__":{"x":1}}')),
      ),
      eventId: w(fc.string({ minLength: 1, maxLength: 60 }), fc.string({ maxLength: 300 }), fc.constant("")),
      time: w(
        fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((d) => d.toISOString()),
        fc.constantFrom("2026-02-29T00:00:00Z", "2024-02-29T23:59:59.5+02:00", "2026-11-26T03:00:00", "2026-13-01T00:00:00Z", "2026-11-26T24:00:00Z", "2026-11-26T03:00:00+24:00"),
        fc.string({ maxLength: 30 }),
      ),
    },
    { requiredKeys: [] },
  )
  .chain((e) => fc.oneof({ arbitrary: fc.constant(e), weight: 9 }, { arbitrary: fc.string().map((x) => ({ ...e, other: x })), weight: 1 }));

describe("ledger entry hot path", () => {
  it("canonicalJson equals the reference form on any JSON value (and on undefined members)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(canonicalJson(v)).toBe(reference(v));
      }),
      { numRuns: 2000 },
    );
    const withUndefined = { b: undefined, a: [1, undefined, { z: 1, y: undefined }], c: "\u2028\u{1f600}" };
    expect(canonicalJson(withUndefined)).toBe(reference(withUndefined));
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/finite/);
  });

  it("the one-pass form (sorted copy, one JSON.stringify) and the walk agree where objects order keys their own way", () => {
    // Keys that objects order numerically, "__proto__" as data, and keys that sort around them.
    const key = fc.constantFrom("0", "1", "10", "9", "2a", "01", "__proto__", "a", "B", "_", "", "\u00e9", "\u{1f600}", "toJSON");
    const leaf = fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.constant(undefined));
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: "small" }, leaf, tie("array"), tie("object")),
      array: fc.array(tie("tree"), { maxLength: 4 }),
      object: fc.array(fc.tuple(key, tie("tree")), { maxLength: 5 }).map((pairs) => {
        // Own properties, "__proto__" included (as JSON.parse makes it), never the prototype.
        const o: Record<string, unknown> = {};
        for (const [k, v] of pairs) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
        return o;
      }),
    }));
    fc.assert(
      fc.property(tree, (v) => {
        expect(canonicalJson(v)).toBe(reference(v));
      }),
      { numRuns: 3000 },
    );
    // Values JSON.stringify treats otherwise (toJSON, holes, -0, a prototype-less object) keep the walk's answer.
    const date = new Date(0);
    expect(canonicalJson({ d: date })).toBe('{"d":{}}');
    const holes = [1, 2, 3];
    delete holes[1];
    expect(canonicalJson(holes)).toBe("[1,null,3]");
    expect(canonicalJson({ z: -0, a: [-0] })).toBe('{"a":[0],"z":0}');
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { b: 1, a: 2 });
    expect(canonicalJson(bare)).toBe('{"a":2,"b":1}');
    expect(canonicalJson(JSON.parse('{"__proto__":{"y":1,"x":2},"10":1,"9":2}'))).toBe('{"10":1,"9":2,"__proto__":{"x":2,"y":1}}');
    expect(() => canonicalJson({ a: [{ b: Number.POSITIVE_INFINITY }] })).toThrow(/finite/);
    expect(canonicalJson(undefined)).toBe("null");
  });

  it("the quick validator accepts only what the schema accepts, with the same value", () => {
    let quick = 0;
    fc.assert(
      fc.property(eventish, (input) => {
        const fast = quickEvent(input);
        const slow = LedgerEvent.safeParse(input);
        if (fast) {
          quick++;
          expect(slow.success).toBe(true);
          expect(canonicalJson(fast)).toBe(canonicalJson(slow.data));
        }
        // parseEvent as a whole answers exactly as the schema does.
        if (slow.success) expect(canonicalJson(parseEvent(input))).toBe(canonicalJson(slow.data));
        else expect(() => parseEvent(input)).toThrow(/event/);
      }),
      { numRuns: 3000 },
    );
    // The property is not vacuous: a good share of the generated events took the quick path.
    expect(quick).toBeGreaterThan(50);
  });

  it("a gateway decision takes the quick path", () => {
    const event = {
      kind: "gateway.decision",
      eventId: "gateway:019abc12-3456-7def-8abc-123456789abc",
      actor: "bench",
      time: new Date().toISOString(),
      subject: { name: "credit", sha256: "ab".repeat(32) },
      data: { model: "credit", action: "call-model", decision: "allow", status: 200, reason: "ok", policies: ["bench"], details: { via: "api-key" } },
    };
    expect(quickEvent(event)).toBe(event);
    expect(quickEvent({ ...event, time: "2026-11-26T03:00:00" })).toBeUndefined();
    expect(quickEvent({ ...event, extra: 1 })).toBeUndefined();
    expect(() => parseEvent({ ...event, kind: "Bad Kind" }, "line 3")).toThrow(/line 3: kind/);
  });
});
