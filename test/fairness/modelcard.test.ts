import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Spec, Validation } from "@cyclonedx/cyclonedx-library";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { generateKeyFiles, loadPublicKey } from "../../src/attest/index.js";
import { isRampartError, sha256File } from "../../src/core/index.js";
import { auditFile, evidenceFromFiles, evidenceFromStore, modelCardCycloneDx, renderModelCardHtml, renderModelCardMarkdown } from "../../src/fairness/index.js";
import { runPipeline } from "../../src/pipeline/index.js";
import { openStore } from "../../src/store/index.js";
import { runInProcess } from "../helpers/cli.js";
import { tempDir } from "../helpers/db.js";

const FIXTURES = join(import.meta.dirname, "../fixtures/fairness");

const cli = runInProcess;

afterEach(() => {
  process.exitCode = undefined;
});

describe("pipeline stage, store and model card", () => {
  const project = tempDir("rampart-card-");
  beforeAll(() => {
    execFileSync("python3", [join(FIXTURES, "generate.py"), join(project, "scored.csv"), "1500", "5"]);
    writeFileSync(join(project, "model.bin"), "weights of a credit model\n");
    writeFileSync(
      join(project, "rampart.yaml"),
      `version: 1
project: credit
artifacts:
  model: { path: model.bin, kind: model }
  scored: { path: scored.csv, kind: dataset }
stages:
  - stage: fairness
    with: { dataset: scored, model: model, sensitive: [sex, race], label: y, prediction: pred, score: score, bootstrap: 50 }
  - stage: fairness
    name: data-bias
    with: { dataset: scored, model: model, mode: data, sensitive: [sex], label: outcome, positiveLabel: "yes", bootstrap: 0 }
`,
    );
  });

  it("a biased model fails the run; its evidence is signed, stored and becomes a verified model card", async () => {
    const report = await runPipeline(project, { observer: {} });
    expect(report.stages.map((s) => s.status)).toEqual(["failed", "passed"]);
    const result = report.stages[0]!.results[0]!;
    expect(result.subjects.map((s) => s.name)).toEqual(["model.bin", "scored.csv"]);
    expect((result.metrics as { attributes: { sex: { disparate_impact: number } } }).attributes.sex.disparate_impact).toBeLessThan(0.8);

    const modelSha = await sha256File(join(project, "model.bin"));
    const pub = await loadPublicKey(join(project, ".rampart/keys/signing.pub"));
    const store = await openStore({ projectDir: project });
    try {
      const evidence = await evidenceFromStore(store, modelSha, [pub]);
      expect(evidence.map((e) => [e.result.check, e.verified])).toEqual([
        ["fairness", true],
        ["fairness-data", true],
      ]);
      const input = { model: { name: "credit", sha256: modelSha }, evidence, details: { intendedUse: "pre-screening <b>only</b>" } };
      const bom = modelCardCycloneDx(input);
      const invalid = await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(JSON.stringify(bom));
      expect(invalid).toBeNull();
      // biome-ignore lint/suspicious/noExplicitAny: the test reads deep into the BOM whose shape the schema validated
      const card = (bom.components as Array<Record<string, any>>)[0]!.modelCard;
      const di = card.quantitativeAnalysis.performanceMetrics.find((m: Record<string, string>) => m.type === "disparate_impact" && m.slice === "sex");
      expect(Number(di.value)).toBeCloseTo((result.metrics as { attributes: { sex: { disparate_impact: number } } }).attributes.sex.disparate_impact, 12);
      expect(Number(di.confidenceInterval.lowerBound)).toBeLessThanOrEqual(Number(di.value));
      expect(card.considerations.fairnessAssessments[0].groupAtRisk).toBe("sex = F");
      expect(card.modelParameters.datasets).toEqual([{ ref: "data-1" }]);
      const md = renderModelCardMarkdown(input);
      expect(md).toContain("verified");
      expect(md).toMatch(/\| disparate_impact \| 0\.\d{3} \| \\\[0\.\d{3}, 0\.\d{3}\\\] \| ≥ 0\.8 \| FAIL \|/);
      expect(md).toContain("pre-screening &lt;b&gt;only&lt;/b&gt;");

      // A key that did not sign the evidence: nothing is accepted.
      const other = await generateKeyFiles(join(tempDir("rampart-other-key-"), "k"));
      const stranger = await loadPublicKey(other.publicKeyPath);
      const e = await evidenceFromStore(store, modelSha, [stranger]).catch((x: unknown) => x);
      expect(isRampartError(e), String(e)).toBe(true);
    } finally {
      await store.close();
    }

    const md = await cli("model-card", "--model", join(project, "model.bin"), "--project", project, "--key", join(project, ".rampart/keys/signing.pub"), "--name", "credit");
    expect(md.code, md.err).toBe(0);
    expect(md.out).toContain("# Model card: credit");
    expect(md.out).toContain("## Data bias (before training)");
  });
});

describe("HTML and Markdown escape everything", () => {
  it("a hostile group name cannot inject markup", async () => {
    const dir = tempDir("rampart-xss-");
    const file = join(dir, "x.csv");
    const evil = '<script>alert("x")</script>';
    writeFileSync(file, `g,y,p\n"${evil.replace(/"/g, '""')}",1,0\n"${evil.replace(/"/g, '""')}",0,0\nok,1,1\nok,0,1\n`);
    const result = await auditFile(file, { sensitive: ["g"], label: "y", prediction: "p", bootstrap: 0 });
    const input = { model: { name: "m <img src=x onerror=alert(1)>" }, evidence: [{ result, source: "x.json", verified: false }] };
    const html = renderModelCardHtml(input);
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html).toContain("Content-Security-Policy");
    const md = renderModelCardMarkdown(input);
    expect(md).not.toContain("<script>");
    expect(md).not.toContain("<img");
  });
});

describe("CLI", () => {
  const dir = tempDir("rampart-cli-fair-");
  const file = join(dir, "scored.csv");
  beforeAll(() => {
    execFileSync("python3", [join(FIXTURES, "generate.py"), file, "1200", "3"]);
  });

  it("exit 1 for a biased model at --fail-on high, JSON shaped for policies, exit 0 when the gate is relaxed", async () => {
    const out = join(dir, "f.json");
    const r = await cli("fairness", file, "--sensitive", "sex", "--label", "y", "--pred", "pred", "--bootstrap", "0", "--format", "json", "-o", out);
    expect(r.code, r.err).toBe(1);
    const json = JSON.parse(readFileSync(out, "utf8"));
    expect(json.check).toBe("fairness");
    expect(json.metrics.attributes.sex.four_fifths_rule_passed).toBe(false);
    expect(Object.keys(json.metrics.groups).sort()).toEqual(["sex=F", "sex=M", "sex=X"]);
    const ok = await cli("fairness", "--threshold", "disparate_impact>=0.3", file, "--sensitive", "sex", "--label", "y", "--pred", "pred", "--bootstrap", "0", "--fail-on", "high");
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toContain("disparate_impact");
    expect(ok.out).toMatch(/F\s+\d+\s+0\.\d{3}/);
    const ev = await evidenceFromFiles([out]);
    expect(ev[0]!.result.check).toBe("fairness");
  });

  it("fairness data and regression mode run from the command line", async () => {
    const d = await cli("fairness", "data", file, "--sensitive", "sex,race", "--label", "outcome", "--pos-label", "yes", "--format", "json", "--bootstrap", "10");
    expect(d.code, d.err).toBeLessThan(2);
    expect(JSON.parse(d.out).metrics.attributes["sex&race"].representation_ratio).toBeGreaterThan(0);
    const reg = await cli("fairness", file, "--sensitive", "sex", "--label", "y_reg", "--pred", "pred_reg", "--task", "regression", "--format", "json", "--bootstrap", "0");
    expect(reg.code, reg.err).toBeLessThan(2);
    expect(JSON.parse(reg.out).metrics.attributes.sex.mean_absolute_error_ratio).toBeLessThan(1);
  });

  it("bad input and usage: exit 2 with one line", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["fairness", file, "--sensitive", "gender", "--label", "y", "--pred", "pred"], /scored\.csv:1: no column "gender"/],
      [["fairness", file, "--sensitive", "sex", "--label", "y"], /--pred COL is required/],
      [["fairness", file, "--sensitive", "sex", "--label", "y", "--pred", "pred", "--threshold", "disparate_impact>=abc"], /--threshold disparate_impact>=abc/],
      [["fairness", file, "--sensitive", "sex", "--label", "y", "--pred", "pred", "--confidence", "95"], /--confidence/],
      [["fairness", join(dir, "missing.csv"), "--sensitive", "sex", "--label", "y", "--pred", "pred"], /missing\.csv: no such file/],
      [["model-card", "--evidence", file], /scored\.csv: not valid JSON/],
      [["model-card", "--project", dir, "--sha256", "a".repeat(64)], /no store in this project/],
    ];
    for (const [args, re] of cases) {
      const r = await cli(...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.err).toMatch(re);
      expect(r.err.trim().split("\n")).toHaveLength(1);
    }
  });
});
