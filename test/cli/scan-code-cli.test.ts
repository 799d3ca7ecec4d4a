/** `rampart scan code --constant-uses` (session 18): unsafe APIs given only constants are printed only when asked for. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CheckResult } from "../../src/core/index.js";
import { runInProcess as run } from "../helpers/cli.js";
import { tempDir } from "../helpers/db.js";

describe("rampart scan code --constant-uses", () => {
  it("lists a constant os.system at low, tagged constant-input, only with the flag; the default gate still passes", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "job.py"), 'import os\nos.system("make clean")\n');
    const off = await run("scan", "code", dir, "--format", "json");
    expect(off.code).toBe(0);
    expect(CheckResult.parse(JSON.parse(off.out)).findings).toEqual([]);
    const on = await run("scan", "code", dir, "--format", "json", "--constant-uses");
    expect(on.code).toBe(0); // low is below the default --fail-on high
    const findings = CheckResult.parse(JSON.parse(on.out)).findings;
    expect(findings.map((f) => [f.ruleId, f.severity, f.location?.line, f.tags?.includes("constant-input")])).toEqual([["code.shell-injection", "low", 2, true]]);
    expect((await run("scan", "code", dir, "--constant-uses", "--fail-on", "low")).code).toBe(1);
  });
});
