import { describe, expect, it } from "vitest";
import * as z from "zod";
import { parseYaml } from "../../src/core/index.js";

const schema = z.object({ version: z.literal(1), stages: z.array(z.object({ stage: z.string(), with: z.object({ n: z.number() }).optional() })) });

function errorOf(text: string): string {
  try {
    parseYaml(schema, text, "rampart.yaml");
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected an error");
}

describe("parseYaml", () => {
  it("returns typed data", () => {
    expect(parseYaml(schema, "version: 1\nstages:\n  - stage: a\n", "f")).toEqual({ version: 1, stages: [{ stage: "a" }] });
  });

  it("points at the line and key of a wrong value", () => {
    expect(errorOf("version: 1\nstages:\n  - stage: a\n  - stage: b\n    with:\n      n: seven\n")).toMatch(/^rampart\.yaml:6:10: stages\.1\.with\.n: /);
  });

  it("points at the parent of a missing key", () => {
    expect(errorOf("version: 1\nstages:\n  - with: {n: 1}\n")).toMatch(/^rampart\.yaml:3:5: stages\.0\.stage: /);
  });

  it("reports YAML syntax errors with position", () => {
    expect(errorOf("version: 1\nstages: [\n")).toMatch(/^rampart\.yaml:\d+:\d+: /);
    expect(errorOf("version: 1\nversion: 2\nstages: []\n")).toMatch(/^rampart\.yaml:2:1: .*[Uu]nique|duplicate/);
  });
});
