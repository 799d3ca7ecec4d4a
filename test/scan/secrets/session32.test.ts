import { describe, expect, it } from "vitest";
import { detectSecrets } from "../../../src/scan/secrets/index.js";
import { growthRatio } from "../../helpers/cpu.js";
import { TokenFactory } from "./tokens.js";

// Session 32: session 31's left-overs (Facebook tokens, Guilded webhooks, StackHawk and Mailgun keys, JWTs with empty
// claims, Discord bot tokens in text that never names Discord) and the false positives of the held-out
// redact-secret-benchmarks run (provider prefixes cut short under credential names, `{env:NAME}` substitutions,
// fill-ins ending in `-here` and `changeit` in URLs). Every safe case is a look-alike of a found one. Tokens are built
// at run time, never stored.
const t = new TokenFactory(3232);
const found = (text: string, path = "config.txt") => detectSecrets(text, undefined, { path }).map((h) => [h.ruleId, h.secret]);
const rules = (text: string, path = "config.txt") => detectSecrets(text, undefined, { path }).map((h) => h.ruleId);
const uuid = () => `${t.hex(8)}-${t.hex(4)}-4${t.hex(3)}-a${t.hex(3)}-${t.hex(12)}`;

describe("Guilded webhook URLs", () => {
  const id = uuid();
  const token = `${t.alnum(40)}Qz7${t.alnum(43)}`;
  it("are found on the hosts and paths Guilded serves them under", () => {
    for (const base of ["https://media.guilded.gg", "https://api.guilded.gg", "https://www.guilded.gg/api"]) {
      const url = `${base}/webhooks/${id}/${token}`;
      expect(found(`GUILDED_HOOK=${url}\n`)).toEqual([["secrets.guilded-webhook", url]]);
    }
  });
  it("not a path Guilded does not serve, a placeholder token, a token of one case, a channel link", () => {
    expect(rules(`https://www.guilded.gg/webhooks/${id}/${token}\n`)).toEqual([]);
    expect(rules(`https://media.guilded.gg/webhooks/${id}/${"x".repeat(86)}\n`)).toEqual([]);
    expect(rules(`https://media.guilded.gg/webhooks/${id}/${t.letters(86).toLowerCase()}\n`)).toEqual([]);
    expect(rules(`https://www.guilded.gg/teams/${id}/channels/${id}\n`)).toEqual([]);
  });
});

describe("Facebook access and app tokens", () => {
  const access = `EAARb7${t.alnum(170)}`;
  it("finds a Graph API access token (`EAA…`) wherever it is written", () => {
    expect(found(`FB_TOKEN=${access}\n`, ".env")).toEqual([["secrets.facebook-access-token", access]]);
    expect(found(`curl -G https://example.test/me -d "access_token=${access}"\n`, "call.sh").map(([r]) => r)).toContain("secrets.facebook-access-token");
  });
  it("not `EAA` inside a base64 run, a short value, a masked one, a run of one case", () => {
    expect(rules(`blob: "Q29udGVudA+${access}"\n`, "data.yaml")).not.toContain("secrets.facebook-access-token");
    expect(rules(`id: EAA${t.alnum(40)}\n`, "data.yaml")).toEqual([]);
    expect(rules(`FB_TOKEN=EAA${"X".repeat(170)}\n`, ".env")).toEqual([]);
    expect(rules(`label: EAA${t.letters(150).toLowerCase()}\n`, "data.yaml")).toEqual([]);
  });
  const app = `12${t.pick("0123456789", 14)}|${t.hex(30)}a7`;
  it("finds an app token `<app id>|<app secret>` in text that names Facebook", () => {
    expect(found(`# facebook graph\nAPP_TOKEN=${app}\n`, ".env")).toEqual([["secrets.facebook-app-token", app]]);
    const issued = `${t.pick("123456789", 1)}${t.pick("0123456789", 15)}|${t.urlsafe(20)}Kq-${t.urlsafe(4)}`;
    expect(found(`fetch("https://graph.facebook.com/oauth?access_token=${issued}")\n`, "app.js").map(([r]) => r)).toContain("secrets.facebook-app-token");
  });
  it("not a table row of an id and a digest, the same pair where Facebook is never named, a secret of one digit", () => {
    expect(rules(`facebook export\n|${app}|2024-01-01|\n`, "rows.txt")).toEqual([]);
    expect(rules(`row=${app}\n`, "rows.txt")).toEqual([]);
    expect(rules(`# facebook\nAPP_TOKEN=${app.slice(0, 17)}${"0".repeat(32)}\n`, ".env")).toEqual([]);
  });
});

describe("StackHawk and Mailgun keys", () => {
  const hawk = `hawk.${t.alnum(18)}Q7.${t.alnum(18)}k2`;
  it("finds a StackHawk key `hawk.<20>.<20>`", () => {
    expect(found(`HAWK_API_KEY=${hawk}\n`, ".env")).toEqual([["secrets.stackhawk-api-key", hawk]]);
    expect(found(`hawk init --api-key ${hawk}\n`, "ci.sh").map(([r]) => r)).toContain("secrets.stackhawk-api-key");
  });
  it("not other `hawk.` names, other lengths, a masked key", () => {
    expect(rules("import hawk.config.properties\n", "App.java")).toEqual([]);
    expect(rules(`x = "hawk.${t.alnum(19)}.${t.alnum(20)}"\n`, "a.py")).not.toContain("secrets.stackhawk-api-key");
    expect(rules(`HAWK_API_KEY=hawk.${"x".repeat(20)}.${"x".repeat(20)}\n`, ".env")).toEqual([]);
  });
  const mailgun = `key-${t.pick("abcdefghijklmnopqrstuvwxyz0123456789", 30)}z9`;
  it("finds a Mailgun key `key-` and 32 letters and digits, with or without a name", () => {
    expect(found(`curl -s --user 'api:${mailgun}' https://api.example.test/v3/messages\n`, "send.sh")).toEqual([["secrets.mailgun-api-key", mailgun]]);
    expect(found(`${mailgun}\n`, "notes.txt")).toEqual([["secrets.mailgun-api-key", mailgun]]);
  });
  it("a body of hex digits only (a cache key's `key-<md5>` shape) counts after Mailgun on its line", () => {
    const hex = `key-${t.hex(30)}a7`;
    expect(found(`MAILGUN_API_KEY=${hex}\n`, ".env")).toEqual([["secrets.mailgun-api-key", hex]]);
    expect(found(`Mailgun.configure(api_key: "${hex}")\n`, "mail.rb")).toEqual([["secrets.mailgun-api-key", hex]]);
    expect(rules(`cache_id = "${hex}"\n`, "cache.py")).not.toContain("secrets.mailgun-api-key");
    expect(rules(`# mailgun settings below\nsome-random-thing=${hex}\n`, "notes.txt")).not.toContain("secrets.mailgun-api-key");
  });
  it("not the documentation's key, another word before `key-`, 31 or 33 characters, a digest or UUID of the same length", () => {
    expect(rules("curl -s --user 'api:key-3ax6xnjp29jd6fds4gc373sgvjxteol0' https://api.example.test/v3/messages\n", "send.sh")).toEqual([]);
    expect(rules(`cache: api-key-${mailgun.slice(4)}\n`, "notes.txt")).toEqual([]);
    expect(rules(`${mailgun.slice(0, -1)}\n${mailgun}q\n`, "notes.txt")).toEqual([]);
    expect(rules(`${t.hex(32)}\n${uuid()}\n`, "notes.txt")).toEqual([]);
  });
});

describe("JWTs with empty claims (`e30`)", () => {
  const header = Buffer.from('{"alg":"HS256"}').toString("base64url");
  const signed = `${header}.e30.${t.urlsafe(40)}Q7x`;
  it("are found when signed", () => {
    expect(found(`Authorization = "${signed}"\n`, "a.py").map(([r]) => r)).toContain("secrets.jwt");
    expect(found(`token: ${signed}\n`, "notes.txt")).toEqual([["secrets.jwt", signed]]);
  });
  it("not without a signature (nothing disclosed, nothing to present), nor with a header that is not JSON", () => {
    expect(rules(`token: ${header}.e30\n`, "notes.txt")).toEqual([]);
    expect(rules(`token: ${header}.e30.\n`, "notes.txt")).toEqual([]);
    expect(rules(`token: eyJ${t.alnum(17)}.e30.${t.urlsafe(43)}\n`, "notes.txt")).toEqual([]);
  });
});

describe("Discord bot tokens in text that never names Discord", () => {
  const bot = `${Buffer.from(`8${t.pick("0123456789", 17)}`).toString("base64url")}.${t.urlsafe(6)}.${t.urlsafe(25)}Zq`;
  it("are found by the first part's structure (base64 of an 18-digit id)", () => {
    expect(found(`${bot}\n`, "notes.txt")).toEqual([["secrets.discord-bot-token", bot]]);
  });
  it("not when the first part is base64 of letters or of a short number, nor a dotted version", () => {
    const letters = `${Buffer.from(`8${t.letters(17)}`).toString("base64url")}.${t.urlsafe(6)}.${t.urlsafe(27)}`;
    expect(rules(`${letters}\n`, "notes.txt")).toEqual([]);
    const short = `${Buffer.from(`8${t.pick("0123456789", 9)}`).toString("base64url")}AAAAAAAAAAAAA.${t.urlsafe(6)}.${t.urlsafe(27)}`;
    expect(rules(`${short}\n`, "notes.txt")).toEqual([]);
    expect(rules(`version MTA1.123456.${t.pick("0123456789", 27)}\n`, "notes.txt")).toEqual([]);
  });
});

describe("held-out false positives (redact-secret-benchmarks, session 32)", () => {
  it("a provider's prefix cut short under a credential name is not a value; a whole token or another value is", () => {
    for (const v of ["ghp_abc123", "glpat-abc123", "npm_abc123", "xoxb-123-456-abc", "gho_7Qx2kP9", "github_pat_11ABCDEFG"])
      expect(rules(`GITHUB_TOKEN=${v}\n`, ".env"), v).toEqual([]);
    // Full length but with the `_` where no fine-grained token has it: not the provider rule's, still a value.
    const odd = `github_pat_${t.alnum(40)}Q7_${t.alnum(40)}`;
    expect(found(`<access-token>${odd}</access-token>\n`, "config.xml")).toEqual([["secrets.generic", odd]]);
    const live = t.checksummed("ghp_");
    expect(found(`GITHUB_TOKEN=${live}\n`, ".env")).toEqual([["secrets.github-pat", live]]);
    const other = `Q7${t.alnum(30)}`;
    expect(found(`GITHUB_TOKEN=${other}\n`, ".env")).toEqual([["secrets.generic", other]]);
  });
  it("a `{env:NAME}` / `{file:path}` substitution is a reference; a literal in the same place is not", () => {
    expect(rules('{"apiKey":"{env:ANTHROPIC_API_KEY}"}\n', "opencode.json")).toEqual([]);
    expect(rules('{"apiKey":"{file:~/.secrets/anthropic}"}\n', "opencode.json")).toEqual([]);
    const literal = `Q7${t.alnum(38)}`;
    expect(found(`{"apiKey":"${literal}"}\n`, "opencode.json")).toEqual([["secrets.generic", literal]]);
  });
  it("a `vault:` reference has a path or a `#` selector (bank-vaults); `vault:` and one random word is a value", () => {
    expect(rules('secret="vault:secret/data/app#password"\n')).toEqual([]);
    expect(rules('secret="vault:kv#token"\n')).toEqual([]);
    const word = `Q7${t.alnum(30)}`;
    expect(found(`secret="vault:${word}"\n`)).toEqual([["secrets.generic", `vault:${word}`]]);
  });
  it("`insert-password-here` and `changeit` in a URL are fill-ins; a typed password there is not", () => {
    expect(rules("postgres://app:insert-password-here@db.example.test/app\n")).toEqual([]);
    expect(rules("mongodb://app:changeit@db.example.test/app\n")).toEqual([]);
    expect(rules("postgres://app:Ch4ngedIt2024x@db.example.test/app\n")).toEqual(["secrets.connection-string"]);
    expect(rules("postgres://app:here2stay!Q@db.example.test/app\n")).toEqual(["secrets.connection-string"]);
  });
});

describe("session-32 patterns on long runs", () => {
  it("grow linearly (4× input, well under 9× time)", () => {
    for (const unit of ["EAA", "MTE", "key-", "hawk.", "eyJhbGciOiJIUzI1NiJ9.e30", "1234567890123456|"]) {
      const make = (n: number) => `facebook discord ${unit.repeat(n)}${"A".repeat(n)}\n`;
      expect(
        growthRatio((text: string) => detectSecrets(text), make(5_000), make(20_000)),
        unit,
      ).toBeLessThan(9);
    }
  });
});
