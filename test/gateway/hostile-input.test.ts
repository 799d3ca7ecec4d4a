import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isRampartError } from "../../src/core/index.js";
import { AuthError, createAuthenticator } from "../../src/gateway/auth.js";
import { GatewayConfig } from "../../src/gateway/index.js";
import { buildInputSchema, InputError, validateInput } from "../../src/gateway/schema.js";
import { tempDir } from "../helpers/db.js";

const authConfig = (jwksFile: string) =>
  GatewayConfig.parse({
    auth: { jwt: { issuer: "https://idp.test", audience: "rampart-gateway", jwksFile } },
    models: [{ name: "m", type: "http", upstream: "http://127.0.0.1:9/x" }],
  }).auth;

describe("a JWKS file that is JSON but not a key set", () => {
  it.each([['{"keys": 5}'], ["[]"], ['{"keys": [1, 2]}'], ["null"]])("%s is a configuration error (it was jose's own error: exit 3)", async (text) => {
    const file = join(tempDir("rampart-jwks-"), "jwks.json");
    writeFileSync(file, text);
    const err = await createAuthenticator(authConfig(file)).catch((e: unknown) => e);
    expect(isRampartError(err, "invalid-config")).toBe(true);
    expect((err as Error).message).toMatch(/jwks\.json: not a JSON Web Key Set/);
  });
});

// Requests are untrusted: any Authorization header is refused with 401/403 (AuthError) or accepted,
// never answered with a 500; any JSON body is a 400 (InputError) or valid input.
describe("hostile requests reach the user as 4xx, never as another error", () => {
  it("random and malformed bearer tokens", async () => {
    const file = join(tempDir("rampart-jwks-"), "jwks.json");
    writeFileSync(file, JSON.stringify({ keys: [] }));
    const auth = await createAuthenticator(authConfig(file));
    const b64 = (s: string) => Buffer.from(s).toString("base64url");
    const token = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.tuple(fc.json(), fc.json(), fc.string({ maxLength: 40 })).map(([h, p, s]) => `${b64(h)}.${b64(p)}.${b64(s)}`),
      fc.constantFrom(`${b64('{"alg":"none"}')}.${b64('{"sub":"a"}')}.`, "a.".repeat(50_000), `${b64(`{"alg":"EdDSA","kid":"${"k".repeat(100_000)}"}`)}.e30.AA`),
    );
    await fc.assert(
      fc.asyncProperty(token, fc.constantFrom("Bearer ", "bearer\t", "BEARER  "), async (t, scheme) => {
        const r = await auth({ authorization: `${scheme}${t}` }).catch((e: unknown) => e);
        expect(r).toBeInstanceOf(AuthError);
      }),
      { numRuns: 200 },
    );
  });

  it("random JSON bodies for a table model and a tensor model", () => {
    const table = buildInputSchema([{ name: "x", type: "float32", dims: [-1, 3] }], {}, undefined, { features: ["a", "b", "c"], maxElements: 10_000 });
    const tensor = buildInputSchema([{ name: "x", type: "float32", dims: [-1, 2] }], {}, undefined, { maxElements: 10_000 });
    const body = fc.oneof(
      fc.json().map((j) => JSON.parse(j) as unknown),
      fc.record({ records: fc.array(fc.dictionary(fc.constantFrom("a", "b", "c", "d", "__proto__"), fc.jsonValue()), { maxLength: 5 }) }),
      fc.record({ inputs: fc.record({ x: fc.jsonValue() }) }),
      fc.nat(10_000).map((depth) => {
        let v: unknown = 1;
        for (let i = 0; i < depth; i++) v = [v];
        return { inputs: { x: v } };
      }),
    );
    fc.assert(
      fc.property(body, fc.boolean(), (b, useTable) => {
        try {
          validateInput(useTable ? table : tensor, b);
        } catch (e) {
          expect(e).toBeInstanceOf(InputError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
