import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { digestDirectory, isRampartError, sha256File, subjectOf } from "../../src/core/index.js";
import { tempDir } from "../helpers/db.js";

describe("sha256File", () => {
  it("matches a one-shot hash, across chunk boundaries", async () => {
    const dir = tempDir();
    const data = Buffer.alloc((1 << 20) * 2 + 13, 0).map((_, i) => (i * 31) & 0xff);
    writeFileSync(join(dir, "f"), data);
    expect(await sha256File(join(dir, "f"))).toBe(createHash("sha256").update(data).digest("hex"));
  });

  it("names a missing file in a not-found error", async () => {
    await expect(sha256File("/nonexistent/x.bin")).rejects.toSatisfy(
      (e) => isRampartError(e, "not-found") && (e as Error).message === "/nonexistent/x.bin: no such file or directory",
    );
  });
});

describe("digestDirectory", () => {
  function tree(): string {
    const dir = tempDir();
    mkdirSync(join(dir, "b/c"), { recursive: true });
    writeFileSync(join(dir, "a.txt"), "alpha");
    writeFileSync(join(dir, "b/c/d.bin"), Buffer.from([0, 1, 2]));
    mkdirSync(join(dir, "empty"));
    symlinkSync("../a.txt", join(dir, "b/link"));
    return dir;
  }

  it("is deterministic and independent of creation order and location", async () => {
    const one = await digestDirectory(tree());
    const two = await digestDirectory(tree());
    expect(one.sha256).toBe(two.sha256);
    expect(one.entries.map((e) => `${e.kind}:${e.path}`)).toEqual(["file:a.txt", "file:b/c/d.bin", "symlink:b/link"]);
  });

  it("changes when content, a name, or a link target changes", async () => {
    const base = (await digestDirectory(tree())).sha256;
    const content = tree();
    writeFileSync(join(content, "a.txt"), "alphA");
    const renamed = tree();
    execFileSync("mv", [join(renamed, "a.txt"), join(renamed, "a2.txt")]);
    const relinked = tree();
    execFileSync("ln", ["-sfn", "c/d.bin", join(relinked, "b/link")]);
    for (const dir of [content, renamed, relinked]) expect((await digestDirectory(dir)).sha256).not.toBe(base);
  });

  it("never follows a symlink out of the tree, and records special files by kind", async () => {
    const dir = tree();
    symlinkSync("/etc/passwd", join(dir, "escape"));
    execFileSync("mkfifo", [join(dir, "pipe")]);
    const d = await digestDirectory(dir);
    expect(d.entries.find((e) => e.path === "escape")).toMatchObject({ kind: "symlink", size: "/etc/passwd".length });
    expect(d.entries.find((e) => e.path === "pipe")).toMatchObject({ kind: "special", size: 0 });
  });

  it("gives subjects for files and folders", async () => {
    const dir = tree();
    const file = await subjectOf(join(dir, "a.txt"), "a.txt");
    expect(file).toEqual({ name: "a.txt", digest: { sha256: createHash("sha256").update("alpha").digest("hex") } });
    expect((await subjectOf(dir, "tree")).digest.sha256).toBe((await digestDirectory(dir)).sha256);
  });
});
