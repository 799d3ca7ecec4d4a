import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { expect, it } from "vitest";

/** Every module src/ledger/verify.ts loads at run time (type-only imports are erased). */
function runtimeImports(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(file, "utf8");
  for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+"(\.[^"]+)"/gms)) {
    const target = resolve(dirname(file), m[1]!.replace(/\.js$/, ".ts"));
    runtimeImports(target, seen);
  }
  return seen;
}

it("offline verification imports no store, server, signer or network code", () => {
  const files = [...runtimeImports(resolve("src/ledger/verify.ts"))].map((f) => f.slice(resolve("src").length + 1));
  expect(files).toContain(join("ledger", "merkle.ts"));
  expect(files).toContain(join("attest", "statement.ts"));
  for (const f of files) {
    expect(f).not.toMatch(/^store\/|^server\/|^pipeline\/|^cli\//);
    expect(f).not.toMatch(/attest\/keys\.ts|ledger\/(log|witness|bundle|audit|record)\.ts/);
    expect(readFileSync(join("src", f), "utf8")).not.toMatch(/\bfetch\(|node:http|node:net|writeFile/);
  }
});
