import { describe, expect, it } from "vitest";
import { detectSecrets } from "../../../src/scan/secrets/index.js";

// Scanned files are untrusted: their cost must grow linearly with their size. CPU time of this process
// (not wall time, so the test holds on a loaded machine) and a ratio: four times the text costs about four
// times as much when linear, sixteen when quadratic.
function cpuMs(text: string): number {
  const t0 = process.cpuUsage();
  detectSecrets(text, undefined, { path: "notes.txt" });
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000;
}

describe("one long line of key words is scanned in linear time", () => {
  it.each([
    // the line around each key word was searched for again from every one (160 KB took 26 s of CPU)
    ["password flags", "--password "],
    // a run of name characters was walked again from every key word inside it
    ["key words glued together", "password"],
    ["a long snake-case run", "token_"],
  ])(
    "%s",
    (_name, unit) => {
      cpuMs(unit.repeat(1_000)); // warm-up
      const short = cpuMs(unit.repeat(20_000));
      const long = cpuMs(unit.repeat(80_000));
      expect(long).toBeLessThan(Math.max(8 * short, 400));
    },
    120_000,
  );
});
