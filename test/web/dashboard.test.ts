import { spawn } from "node:child_process";
import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import type { FastifyInstance } from "fastify";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPipeline } from "../../src/pipeline/index.js";
import { loadBundle } from "../../src/policy/index.js";
import { createRelease, gateRelease, registerModelVersion, upsertPrincipal } from "../../src/registry/index.js";
import { buildApp, dashboardRoutes, registryRoutes } from "../../src/server/index.js";
import { openStore, type Store } from "../../src/store/index.js";
import { tempDir } from "../helpers/db.js";

const CHROMIUM = "/usr/bin/chromium";
// CI installs Debian's chromium; a developer machine without it skips, CI never does.
const haveBrowser = existsSync(CHROMIUM) || process.env.RAMPART_REQUIRE_SERVICES === "1";

describe.skipIf(!haveBrowser)("dashboard in a real browser", () => {
  const project = join(tempDir(), "credit-risk");
  let store: Store;
  let app: FastifyInstance;
  let browser: Browser;
  let page: Page;
  let base = "";
  let releaseId = "";

  beforeAll(async () => {
    cpSync(join(process.cwd(), "examples", "credit-risk"), project, { recursive: true, filter: (src) => !/[\\/]\.rampart[\\/]./.test(src) });
    // The stages that make the example fail (PII in the data, a biased model) and a clean one.
    const config = readFileSync(join(project, "rampart.yaml"), "utf8");
    const stages = config.slice(config.indexOf("stages:")).split("\n  - stage: ");
    const keep = stages.filter((s) => /^(inventory|scan-model|data-pii|fairness)\b/.test(s));
    writeFileSync(join(project, "rampart.yaml"), `${config.slice(0, config.indexOf("stages:"))}stages:\n  - stage: ${keep.join("\n  - stage: ")}\n`);
    const report = await runPipeline(project, { observer: {} });
    expect(report.status).toBe("failed");

    store = await openStore({ projectDir: project });
    const bundle = await loadBundle("examples/policies");
    const model = report.stages.find((s) => s.stage === "scan-model")!.results[0]!.subjects[0]!;
    await upsertPrincipal(store, { name: "dana", roles: ["ml-engineer"] });
    await registerModelVersion(store, { model: "credit-risk", sha256: model.digest.sha256, owner: "dana" });
    const release = await createRelease(store, { model: "credit-risk", modelSha256: model.digest.sha256, owner: "dana", runId: report.runId });
    releaseId = release.id;
    const gate = await gateRelease(store, release.id, { bundle, actor: "ci" });
    expect(gate.recorded.decision).toBe("deny");

    app = await buildApp({ plugins: [dashboardRoutes({ store, webRoot: join(process.cwd(), "dist", "web") }), registryRoutes({ store, bundle })] });
    base = await app.listen({ host: "127.0.0.1", port: 0 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
  });

  it("lists the run with its failed stages and findings, and opens it", async () => {
    await page.goto(`${base}/`);
    const row = page.locator("tbody tr").first();
    await expect.poll(() => row.textContent()).toContain("credit-risk");
    expect(await row.locator(".badge").textContent()).toBe("failed");
    expect(await row.locator(".pill-failed").allTextContents()).toEqual(expect.arrayContaining(["fairness"]));
    await row.locator("a").click();
    const fairness = page.locator('article[data-stage="fairness"]');
    await fairness.waitFor();
    expect(await fairness.locator("h2 .badge").textContent()).toBe("failed");
    // The biased model's finding names the attribute that fails the four-fifths rule.
    expect(await fairness.locator("table.findings").textContent()).toMatch(/age_band/);
    // Hiding medium and lower leaves only high and critical rows.
    await page.getByLabel("minimum severity").selectOption({ label: "high and worse" });
    const severities = await page.locator("table.findings .sev").allTextContents();
    expect(severities.length).toBeGreaterThan(0);
    expect(new Set(severities)).toEqual(new Set(severities.filter((s) => s === "high" || s === "critical")));
  });

  it("shows the release's denied gate decision with the rule that denied it", async () => {
    await page.goto(`${base}/#/releases`);
    await page.getByRole("link", { name: releaseId }).click();
    const decision = page.locator('article[data-decision="deny"]');
    await decision.waitFor();
    expect(await decision.textContent()).toMatch(/disparate|four-fifths|0\.8/i);
  });

  it("audits the ledger on demand and names a tampered row", async () => {
    await page.goto(`${base}/#/ledger`);
    const log = page.locator("article.log").first();
    await log.waitFor();
    const size = Number((await log.locator("dd.size").textContent())!.replace(/\D/g, ""));
    expect(size).toBeGreaterThanOrEqual(4);
    await log.getByRole("button", { name: "Audit the whole log" }).click();
    await expect.poll(() => log.getByRole("status").textContent()).toMatch(new RegExp(`Verified: ${size} entries`));

    // Edit one entry behind the ledger's back: the next audit says which.
    const db = new SQLite(join(project, ".rampart", "rampart.db"));
    db.prepare("UPDATE ledger_entries SET leaf_data = ? WHERE idx = 1").run('{"kind":"edited"}');
    db.close();
    await log.getByRole("button", { name: "Audit the whole log" }).click();
    await expect.poll(() => log.getByRole("status").textContent()).toMatch(/problem/);
    await page.screenshot({ path: join(project, "..", "ledger.png"), fullPage: true });
    const status = await log.getByRole("status").textContent();
    // The edited row is named, and not also reported as missing.
    expect(status).toMatch(/edited\s*entry 1: leaf data is not a Rampart ledger entry/);
    expect(status).not.toMatch(/missing/);
  });

  it("is served by `rampart serve`: the app and its API", async () => {
    const server = spawn(
      process.execPath,
      [join("dist", "cli", "main.js"), "serve", "--project", project, "--policies", join(process.cwd(), "examples", "policies"), "--port", "0"],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    try {
      const banner = await new Promise<string>((resolve, reject) => {
        let out = "";
        server.stdout.on("data", (d) => {
          out += d;
          if (out.includes("\n")) resolve(out);
        });
        server.on("exit", (code) => reject(new Error(`rampart serve exited ${code}`)));
      });
      const url = /on (http:\/\/\S+?)\//.exec(banner)![1]!;
      expect(await (await fetch(`${url}/`)).text()).toContain('<div id="root">');
      // Any page of the app is the app (it routes in the fragment); an unknown API route is a JSON 404.
      expect((await fetch(`${url}/some/page`)).headers.get("content-type")).toMatch(/text\/html/);
      expect((await fetch(`${url}/api/nothing`)).status).toBe(404);
      const runs = (await (await fetch(`${url}/api/runs`)).json()) as { runs: Array<{ project: string; status: string }> };
      expect(runs.runs).toEqual([expect.objectContaining({ project: "credit-risk", status: "failed" })]);
      const pending = (await (await fetch(`${url}/api/reviews/pending`)).json()) as { releases: Array<{ id: string }> };
      expect(pending.releases.map((r) => r.id)).toEqual([releaseId]);
    } finally {
      server.kill("SIGTERM");
    }
  });
});
