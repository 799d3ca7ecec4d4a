import { describe, expect, it } from "vitest";
import { type LeakFile, locate, MARKER, negativeLines, PATH_POLICY } from "../../../bench/eval-secrets-leaktk.js";

// Session 27: how the LeakTK harness turns an expected result (rule, file, match, secret) into lines, and which
// lines are negatives (the rules declared before its first run; these tests were added after it, unchanged rules).

const file = (text: string, over: Partial<LeakFile> = {}): LeakFile => ({ path: "f", text, blocks: [], fileUnits: [], excluded: new Set(), negGroup: "n", ...over });

describe("locate", () => {
  const text = "# note\nsecret='abcdefgh1234'\nother='abcdefgh1234'\n-----BEGIN KEY-----\nAAAA\n-----END KEY-----\n";

  it("finds every occurrence of the match, as the lines it spans", () => {
    expect(locate(text, { match: "secret='abcdefgh1234'", secret: "abcdefgh1234" })).toEqual([[2, 2]]);
    expect(locate(text, { match: "-----BEGIN KEY-----\nAAAA\n-----END KEY-----", secret: "x" })).toEqual([[4, 6]]);
  });

  it("falls back to the secret when the match is not verbatim, and then to its first 24 characters", () => {
    expect(locate(text, { match: "secret: abcdefgh1234", secret: "abcdefgh1234" })).toEqual([
      [2, 2],
      [3, 3],
    ]);
    expect(locate("k=0123456789abcdefghijklmnXYZ\n", { match: "k: decoded", secret: "0123456789abcdefghijklmnOTHER" })).toEqual([[1, 1]]);
  });

  it("returns nothing for a value found only after decoding, and never probes with a short text", () => {
    expect(locate(text, { match: "password: c2VjcmV0", secret: "s3cr3t-decoded-value" })).toEqual([]);
    expect(locate("ab\nab\n", { match: "ab", secret: "ab" })).toEqual([]);
  });
});

describe("negativeLines", () => {
  it("leaves out blank lines, positive blocks and excluded lines", () => {
    const f = file("a\n\nb\nc\nd\n", { blocks: [{ lines: [3, 4], kind: "k" }], excluded: new Set([5]) });
    expect(negativeLines(f)).toEqual([1]);
  });

  it("gives no negatives in a file whose positive could not be located", () => {
    expect(negativeLines(file("a\nb\n", { fileUnits: ["Generic Secret"] }))).toEqual([]);
  });
});

describe("scope rules", () => {
  it("matches LeakTK's location allowlists and not ordinary paths", () => {
    const skipped = (p: string) => PATH_POLICY.some(([r]) => r.test(p));
    for (const p of ["venv/lib/python3.9/site-packages/x", "foo/testdata/bar/secret.txt", "ignore.d/a.txt", "x/.yarn/releases/y.js", "secret.ignore.txt"])
      expect(skipped(p), p).toBe(true);
    for (const p of ["generic/valid/password", "pki/invalid/dummy.key", "settings/django/settings.py", "test/smime-certs/smrsa1024.key"]) expect(skipped(p), p).toBe(false);
  });

  it("reads LeakTK's allow tag and other tools' suppression comments as markers", () => {
    for (const l of ["password = 'x' # notsecret", "x = 1 # not-secret", "NOT_SECRET", "key = 'x' # nosec", "k = 1  # noqa", "k := 1 // nolint:gosec"])
      expect(MARKER.test(l), l).toBe(true);
    for (const l of ["password = 'x' notasecret", "secret = 'x'", "password='x' notsecretyo"]) expect(MARKER.test(l), l).toBe(false);
  });
});
