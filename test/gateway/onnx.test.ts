import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuditEvent, buildGateway, buildInputSchema, GatewayConfig, InputError, OnnxServing, shapiroWilk, validateInput } from "../../src/gateway/index.js";
import { normalQuantile } from "../../src/gateway/shapiro.js";
import { runOnnx } from "../../src/ml/index.js";
import { registerModelVersion } from "../../src/registry/index.js";
import { openStore } from "../../src/store/index.js";
import { tempDir } from "../helpers/db.js";
import { makeTabularModel, sampleRows, type TabularModel } from "./tabular-model.js";

let dir: string;
let tab: TabularModel;
let policy: string;
const KEY = "onnx-key";

beforeAll(() => {
  dir = tempDir();
  tab = makeTabularModel(dir);
  policy = join(dir, "access.cedar");
  writeFileSync(
    policy,
    `@id("scorers-call-credit")
permit (principal == Rampart::Service::"scorer", action == Rampart::Action::"call-model", resource in Rampart::Model::"credit");
@id("scorers-call-others")
permit (principal == Rampart::Service::"scorer", action == Rampart::Action::"call-model", resource);
@id("no-staging-versions")
forbid (principal, action, resource is Rampart::ModelVersion) when { resource.stage == "staging" };
`,
  );
});

function config(model: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return GatewayConfig.parse({
    auth: { apiKeys: [{ principal: "scorer", sha256: createHash("sha256").update(KEY).digest("hex") }] },
    access: { policies: [policy] },
    models: [{ name: "credit", type: "onnx", onnx: tab.onnx, profile: tab.profile, ...model }],
    ...extra,
  });
}

const h = { "x-api-key": KEY };

describe("ONNX models served in-process", () => {
  it("answers with the same outputs as onnxruntime run directly, from records or named tensors", async () => {
    const events: AuditEvent[] = [];
    const app = await buildGateway(config(), { audit: (e) => events.push(e) });
    const { rows } = sampleRows(5, 31);
    const direct = await runOnnx(readFileSync(tab.onnx), { rows: 5, cols: 4, data: Float64Array.from(rows.flat()) });
    const res = await app.inject({ method: "POST", url: "/v1/models/credit/infer", headers: h, payload: { inputs: { features: rows } } });
    expect(res.statusCode).toBe(200);
    const out = res.json().outputs;
    expect(out.label).toEqual(Array.from(direct.labels));
    for (let i = 0; i < 5; i++) for (let k = 0; k < 3; k++) expect(out.probabilities[i][k]).toBeCloseTo(direct.probabilities.data[i * 3 + k]!, 6);
    const byName = await app.inject({
      method: "POST",
      url: "/v1/models/credit/infer",
      headers: h,
      payload: { records: rows.map(([income, debt, age, tenure]) => ({ income, debt, age, tenure })) },
    });
    expect(byName.json().outputs.label).toEqual(Array.from(direct.labels));
    expect(events.at(-1)).toMatchObject({ decision: "allow", model: "credit", policies: ["scorers-call-credit", "scorers-call-others"] });
    await app.close();
  });

  it("publishes the input schema from the ONNX signature (symbolic batch dim) and the training profile", async () => {
    const app = await buildGateway(config());
    const res = await app.inject({ method: "GET", url: "/v1/models/credit", headers: h });
    const d = res.json();
    expect(d.inputs).toEqual([{ name: "features", type: "float32", dims: ["N", 4] }]);
    expect(d.columns.map((c: { name: string }) => c.name)).toEqual(["income", "debt", "age", "tenure"]);
    const profile = JSON.parse(readFileSync(tab.profile, "utf8"));
    const income = profile.columns[0];
    expect(d.columns[0].min).toBeCloseTo(income.min - 0.1 * (income.max - income.min), 6);
    await app.close();
  });

  it("refuses malformed inputs with 400 and the field that is wrong", async () => {
    const app = await buildGateway(config());
    const cases: Array<[unknown, RegExp]> = [
      [{ inputs: { features: [[1, 2, 3]] } }, /^inputs\.features: shape \[1, 3\] does not match \[N, 4\] \(dimension 1 must be 4\)/],
      [
        {
          inputs: {
            features: [
              [50, 10, 40, 5],
              [50, 10, 40],
            ],
          },
        },
        /^inputs\.features\[1\]: must be an array of 4 \(ragged arrays are refused\)/,
      ],
      [{ inputs: { features: [50, 10, 40, 5] } }, /^inputs\.features: must be a 2-dimensional array/],
      [{ inputs: { features: [[50, 10, "40", 5]] } }, /^inputs\.features\[0\]\[2\]: must be a finite number \(got "40"\)/],
      [{ inputs: { features: [[50, 10, null, 5]] } }, /^inputs\.features\[0\]\[2\]: must be a finite number \(got null\)/],
      [{ inputs: { other: [[1]] } }, /^inputs\.other: is not an input of this model/],
      // Paths are built only on error (session 11): the index of a later row and column still shows.
      [
        {
          inputs: {
            features: [
              [50, 10, 40, 5],
              [50, 10, 40, [5]],
            ],
          },
        },
        /^inputs\.features\[1\]\[3\]: is nested deeper than 2 dimensions/,
      ],
      [
        {
          inputs: {
            features: [
              [50, 10, 40, 5],
              [50, 10, 40, 5],
              [50, true, 40, 5],
            ],
          },
        },
        /^inputs\.features\[2\]\[1\]: must be a finite number \(got boolean\)/,
      ],
      [{ inputs: { features: [[50, 10, 40, 5], 7] } }, /^inputs\.features\[1\]: must be an array of 4/],
      [
        {
          records: [
            { income: 50, debt: 10, age: 40, tenure: 5 },
            { income: 50, debt: "x", age: 40, tenure: 5 },
          ],
        },
        /^records\[1\]\.debt: must be a finite number \(got "x"\)/,
      ],
      [{ records: [{ income: 50, debt: 10, age: 40 }] }, /^records\[0\]\.tenure: is missing/],
      [{ records: [{ income: 50, debt: 10, age: 40, tenure: 5, ssn: 1 }] }, /^records\[0\]\.ssn: is not a column this model takes/],
      [{ records: [{ income: 5000, debt: 10, age: 40, tenure: 5 }] }, /^records\[0\]\.income: 5000 is outside the training range \[-?[\d.]+, [\d.]+\]/],
      [{ inputs: { features: [[50, 10, 400, 5]] } }, /^inputs\.features\[0\]\[2\] \(age\): 400 is outside the training range/],
      [{ nothing: 1 }, /^inputs: send inputs/],
    ];
    for (const [payload, message] of cases) {
      const res = await app.inject({ method: "POST", url: "/v1/models/credit/infer", headers: h, payload: payload as object });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.message).toMatch(message);
    }
    await app.close();
  });

  it("clamps out-of-range values instead when configured, and records it", async () => {
    const events: AuditEvent[] = [];
    const app = await buildGateway(config({ validation: { outOfRange: "clamp" } }), { audit: (e) => events.push(e) });
    const res = await app.inject({ method: "POST", url: "/v1/models/credit/infer", headers: h, payload: { inputs: { features: [[5000, 10, 40, 5]] } } });
    expect(res.statusCode).toBe(200);
    expect(events.at(-1)!.details).toMatchObject({ clamped: 1 });
    await app.close();
  });

  it("trims outputs: label only, or rounded probabilities", async () => {
    const app = await buildGateway(
      GatewayConfig.parse({
        ...config(),
        models: [
          { name: "credit", type: "onnx", onnx: tab.onnx, output: { mode: "label" } },
          { name: "credit-rounded", type: "onnx", onnx: tab.onnx, output: { mode: "rounded", decimals: 1 } },
        ],
      }),
    );
    const row = sampleRows(1, 5).rows;
    const label = (await app.inject({ method: "POST", url: "/v1/models/credit/infer", headers: h, payload: { inputs: { features: row } } })).json();
    expect(Object.keys(label.outputs)).toEqual(["label"]);
    const rounded = (await app.inject({ method: "POST", url: "/v1/models/credit-rounded/infer", headers: h, payload: { inputs: { features: row } } })).json();
    for (const p of rounded.outputs.probabilities[0]) expect(Math.round(p * 10) / 10).toBe(p);
    await app.close();
  });

  it("refuses a model file whose digest differs from the pinned version, and authorises ModelVersion by stage", async () => {
    await expect(buildGateway(config({ sha256: "0".repeat(64) }))).rejects.toThrow(/sha256 is [0-9a-f]{64}, the config pins 0{64}/);
    const digest = createHash("sha256").update(readFileSync(tab.onnx)).digest("hex");
    const prod = await buildGateway(config({ sha256: digest, version: "3", stage: "production" }));
    expect((await prod.inject({ method: "POST", url: "/v1/models/credit/infer", headers: h, payload: { inputs: { features: sampleRows(1, 9).rows } } })).statusCode).toBe(200);
    await prod.close();
    const staging = await buildGateway(config({ sha256: digest, version: "4", stage: "staging" }));
    const res = await staging.inject({ method: "POST", url: "/v1/models/credit/infer", headers: h, payload: { inputs: { features: sampleRows(1, 9).rows } } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toBe("forbidden by policy no-staging-versions");
    await staging.close();
  });

  it("serves a registered model version only: the registry's label becomes the Cedar version", async () => {
    const db = join(tempDir(), "registry.db");
    const store = await openStore({ url: db });
    const digest = createHash("sha256").update(readFileSync(tab.onnx)).digest("hex");
    const cfg = config({ registered: true, stage: "staging" }, { registry: { database: db } });
    await expect(buildGateway(cfg)).rejects.toThrow(/credit\.onnx \(sha256 [0-9a-f]{64}\) is not a registered version of credit/);
    await registerModelVersion(store, { model: "credit", sha256: digest, owner: "ml-team", label: "v7" });
    await store.close();
    const events: AuditEvent[] = [];
    const app = await buildGateway(cfg, { audit: (e) => events.push(e) });
    // Stage staging + a ModelVersion resource: the forbid applies, so the version really is in play.
    const res = await app.inject({ method: "POST", url: "/v1/models/credit/infer", headers: h, payload: { inputs: { features: sampleRows(1, 9).rows } } });
    expect(res.statusCode).toBe(403);
    expect(events.at(-1)!.policies).toEqual(["no-staging-versions"]);
    await app.close();
  });

  it("property: any JSON body gives a result or an InputError naming a field, never another exception", async () => {
    const serving = await OnnxServing.load(config().models[0]!);
    const schema = serving.schema;
    const value = fc.oneof(fc.double(), fc.integer(), fc.string(), fc.constant(null), fc.boolean());
    const row = fc.array(value, { maxLength: 6 });
    const body = fc.oneof(
      fc.anything(),
      fc.record({ inputs: fc.record({ features: fc.oneof(fc.array(row, { maxLength: 4 }), fc.anything()) }) }),
      fc.record({ records: fc.array(fc.dictionary(fc.constantFrom("income", "debt", "age", "tenure", "x"), value), { maxLength: 3 }) }),
    );
    fc.assert(
      fc.property(body, (b) => {
        try {
          validateInput(schema, b);
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
          expect(e.field.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2000 },
    );
    await serving.close();
  });

  it("checks integer element types and symbolic dims shared across inputs", () => {
    const schema = buildInputSchema(
      [
        { name: "ids", type: "int64", dims: ["B", 3] },
        { name: "mask", type: "uint8", dims: ["B", 3] },
      ],
      {},
      undefined,
    );
    expect(() => validateInput(schema, { inputs: { ids: [[1, 2, 3.5]], mask: [[1, 1, 1]] } })).toThrow(/inputs\.ids\[0\]\[2\]: must be an integer \(int64\)/);
    expect(() => validateInput(schema, { inputs: { ids: [[1, 2, 3]], mask: [[1, 1, 300]] } })).toThrow(/inputs\.mask\[0\]\[2\]: 300 does not fit uint8/);
    expect(() =>
      validateInput(schema, {
        inputs: {
          ids: [[1, 2, 3]],
          mask: [
            [1, 1, 1],
            [0, 0, 0],
          ],
        },
      }),
    ).toThrow(/inputs\.mask: dimension 0 \(B\) is 2 here but 1 in another input/);
    const ok = validateInput(schema, { inputs: { ids: [[1, 2, 3]], mask: [[1, 0, 1]] } });
    expect(ok.feeds.ids!.data).toEqual(BigInt64Array.from([1n, 2n, 3n]));
  });
});

describe("Shapiro–Wilk (PRADA's test statistic) against SciPy", () => {
  const vectors = JSON.parse(readFileSync(join(import.meta.dirname, "../fixtures/gateway/shapiro-vectors.json"), "utf8")) as Record<string, { x: number[]; w: number }> & {
    _quantiles: { p: number[]; z: number[] };
  };
  it("reproduces scipy.stats.shapiro W to 1e-7 for n from 3 to 500", () => {
    for (const [name, v] of Object.entries(vectors)) {
      if (name.startsWith("_")) continue;
      expect(Math.abs(shapiroWilk((v as { x: number[] }).x) - (v as { w: number }).w), name).toBeLessThan(1e-7);
    }
  });
  it("normal quantiles match scipy.stats.norm.ppf", () => {
    vectors._quantiles.p.forEach((p, i) => {
      expect(normalQuantile(p)).toBeCloseTo(vectors._quantiles.z[i]!, 7);
    });
  });
});

afterAll(() => {});
