import { describe, expect, it } from "vitest";
import { detectSecrets } from "../../../src/scan/secrets/index.js";
import { cheapestCosts, cpuMs } from "../../helpers/cpu.js";

// Scanned files are untrusted: their cost must grow linearly with their size. CPU time of this process
// (not wall time, so the test holds on a loaded machine) and a ratio: four times the text costs about four
// times as much when linear, sixteen when quadratic.
const scanNotes = (text: string) => detectSecrets(text, undefined, { path: "notes.txt" });
function textCpuMs(text: string): number {
  return cpuMs(() => scanNotes(text));
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
      const { short, long } = cheapestCosts(scanNotes, unit.repeat(20_000), unit.repeat(80_000));
      expect(long).toBeLessThan(Math.max(8 * short, 400));
    },
    120_000,
  );
});

describe("session 14: the new readings stay linear on hostile shapes", () => {
  it.each([
    // sibling XML elements: every `<key>` line looks a bounded number of lines around it
    ["XML key lines", "        <key>password</key>\n"],
    ["XML key and value lines", "<key>password</key>\n<value>Zq8vT2mLx9Rk4bWn</value>\n"],
    // a resource name is looked back into at most 200 characters
    ["resource names", "arn:aws:secretsmanager:eu-west-2:1:secret:dev/db-x secret:dev/db-y\n"],
    ["one long resource name", "arn:aws:secret:token:"],
    // a masked tail: the run of x is tried once from its start, not from every x in it
    ["mixed-case x runs in values", `password = "${"xX".repeat(1500)}!"\n`],
  ])(
    "%s",
    (_name, unit) => {
      const { short, long } = cheapestCosts(scanNotes, unit.repeat(Math.ceil(200_000 / unit.length)), unit.repeat(Math.ceil(800_000 / unit.length)));
      expect(long).toBeLessThan(Math.max(8 * short, 400));
    },
    120_000,
  );
});

describe("session 15: the new readings stay linear on hostile shapes", () => {
  it("a long run of capitals after a sigil is judged at once (an alternation of acronym lengths was exponential)", () => {
    const cost = textCpuMs(`token = "?${"A".repeat(290)}1"\n`);
    expect(cost).toBeLessThan(400);
  });
  it.each([
    ["declaration lines", "const pass = validate(received);\n"],
    ["declarations on one line", "const pass = validate(x); "],
    ["Twilio SID and token pairs", `AC${"0123456789abcdef".repeat(2)}, "${"fedcba9876543210".repeat(2)}"\n`],
    ["the Twilio key word", "AC"],
    ["Codecov badge lines", "token codecov.io/gh/a/graph/badge.svg?token=ABCDEFGHIJ\n"],
    ["Codecov hosts without blanks", "token=codecov.io/"],
    ["member chains", `pass = ${"a->".repeat(200)}b\n`],
    ["namespaces", `debug("pw:${"ab:".repeat(200)}c")\n`],
    ["lines of prose after `password`", "password hashing.\n"],
    ["escapes in pairs", "Credentials: true\\r\\n"],
    ["capitals after sigils", `token = "?${"AB".repeat(60)}"\n`],
  ])(
    "%s",
    (_name, unit) => {
      const { short, long } = cheapestCosts(scanNotes, unit.repeat(Math.ceil(200_000 / unit.length)), unit.repeat(Math.ceil(800_000 / unit.length)));
      expect(long).toBeLessThan(Math.max(8 * short, 400));
    },
    120_000,
  );
});

describe("session 16: the new readings stay linear on hostile shapes", () => {
  it.each([
    ["`$` values with punctuation after the name", 'password = "$ecret@!x"\n'],
    ["`$name@` and a long dotted host", `password = "$a@${"b.".repeat(40)}c!"\n`],
    ["the `auth` key word", "auth "],
    ["`auth` and an operator", 'auth = "'],
    ["`auth` with generated values", 'AUTH = "Qm7vXpLr2FzT9baWtHx"\n'],
    ["names with the password word inside", 'variableNameWithPasswordInIt = "xvxf6_gaa"\n'],
    ["a long name with the password word inside", `${"ab_".repeat(80)}password_${"cd_".repeat(80)}x = "xvxf6_gaa"\n`],
    ["`notakey` markers", "notakey"],
    ["URL fill-ins", "https://u:mypassword@example.com/ "],
    // every finding looked at its whole line for an allow marker, and at every kept finding for overlap
    ["one long line of URL passwords", "https://u:Xk29fjQ@example.com/"],
    ["lines of URL passwords", "https://u:Xk29fjQ@example.com/\n"],
    ["one long line of provider and generic findings", `password="Xk29fjQ01zz";url="https://u:Xk29fjQ@example.com/";`],
  ])(
    "%s",
    (_name, unit) => {
      const { short, long } = cheapestCosts(scanNotes, unit.repeat(Math.ceil(200_000 / unit.length)), unit.repeat(Math.ceil(800_000 / unit.length)));
      expect(long).toBeLessThan(Math.max(8 * short, 400));
    },
    120_000,
  );
  it("a private key block full of escapes is cleaned in one pass", () => {
    const block = (n: number) => `-----BEGIN PRIVATE KEY-----\n${"\\".repeat(n)}\n-----END PRIVATE KEY-----\n`;
    const { short, long } = cheapestCosts(scanNotes, block(4_000), block(16_000));
    expect(long).toBeLessThan(Math.max(8 * short, 400));
  });
});

describe("session 17: the new readings stay linear on hostile shapes", () => {
  it.each([
    // one long line without spaces, and 100 KB of one key word repeated (the brief's two shapes)
    ["VB declarations on one line", 'Dim pwd As String = "Xk9#mPq2vL" : '],
    ["VB declarations without a closing quote", 'Dim pwd As String = "Xk9#mPq2vL'],
    ["the ` As ` key word", "x As "],
    ["credential constructors", 'new NetworkCredential("bob", "Tr0ub4dor&3x");'],
    ["credential constructors without a closing quote", 'NetworkCredential("bob", "Tr0ub4dor'],
    ["prefixes without bodies", "dop_v1_dckr_pat_PMAK-hvs.glsa_sbp_ddp_sq0atp-ops_eyJ"],
    ["a prefix and a long body", `hvs.${"a".repeat(80)}`],
    ["a long run of a token alphabet", "ATATT3AbCdEf0123"],
  ])(
    "%s",
    (_name, unit) => {
      const { short, long } = cheapestCosts(scanNotes, unit.repeat(Math.ceil(100_000 / unit.length)), unit.repeat(Math.ceil(400_000 / unit.length)));
      expect(long).toBeLessThan(Math.max(8 * short, 400));
    },
    120_000,
  );
});

describe("session 18: glued tokens and base64-wrapped secrets stay linear on hostile shapes", () => {
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  it.each([
    ["token prefixes glued to 36 letters", `${"ghp"}_${"A1".repeat(18)}`],
    ["one token prefix repeated", `${"npm"}_`],
    ["an encoded token prefix repeated (one long run)", "Z2hwX2"],
    ["encoded prefixes opening short runs", `Z2hwX2${"A".repeat(30)} `],
    ["an encoded credential word repeated", "cGFzc3dvcmQ"],
    ["short base64 runs holding a password", `${b64("password: Xk92vLq7pWz3")}\n`],
    ["base64 JSON objects (eyJ) opening runs", `${b64('{"auth":"x","token":"y"}')} `],
  ])(
    "%s",
    (_name, unit) => {
      const { short, long } = cheapestCosts(scanNotes, unit.repeat(Math.ceil(100_000 / unit.length)), unit.repeat(Math.ceil(400_000 / unit.length)));
      expect(long).toBeLessThan(Math.max(8 * short, 400));
    },
    120_000,
  );
  it("one long base64 run is read once, whatever number of encoded words it holds", () => {
    const run = (n: number) => b64(`{"password": "x", "token": "y"} `.repeat(n));
    const { short, long } = cheapestCosts(scanNotes, run(3_000), run(12_000));
    expect(long).toBeLessThan(Math.max(8 * short, 400));
  });
});
