import { describe, expect, it } from "vitest";
import { detectSecrets } from "../../../src/scan/secrets/index.js";
import { growthRatio } from "../../helpers/cpu.js";
import { TokenFactory } from "./tokens.js";

// Session 31, from the errors of the pyWhat set and session 30's left-overs: Discord webhooks and bot tokens, Telegram
// bot tokens, Dropbox access tokens, npm's legacy UUID tokens and New Relic's other key kinds, each written from the
// provider's documented format. Every safe case is a look-alike of a found one, so a rule that reports every string of
// the shape, or none, fails here. Tokens are built at run time (tokens.ts), never stored.
const t = new TokenFactory(3131);
const found = (text: string, path = "config.txt") => detectSecrets(text, undefined, { path }).map((h) => [h.ruleId, h.secret]);
const rules = (text: string, path = "config.txt") => detectSecrets(text, undefined, { path }).map((h) => h.ruleId);

/** A snowflake id in base64 without padding, as the first part of a bot token. */
const b64id = (id: string) => Buffer.from(id).toString("base64url");

describe("Discord webhook URLs", () => {
  const id = `8${t.pick("0123456789", 17)}`;
  const token = `${t.urlsafe(30)}Q7${t.urlsafe(36)}`;
  it("are found on every host and path spelling Discord serves them under", () => {
    for (const base of ["https://discord.com/api", "https://discordapp.com/api/v9", "https://ptb.discord.com/api/v10", "http://canary.discordapp.com/api"]) {
      const url = `${base}/webhooks/${id}/${token}`;
      expect(found(`WEBHOOK_URL=${url}\n`)).toEqual([["secrets.discord-webhook", url]]);
    }
  });
  it("not the documented path with placeholders, a channel link, an invite, a cut token", () => {
    expect(rules("POST https://discord.com/api/webhooks/{webhook.id}/{webhook.token}\n")).toEqual([]);
    expect(rules(`see https://discord.com/api/webhooks/${id}/<token>\n`)).toEqual([]);
    expect(rules(`https://discord.com/channels/${id}/${id}\n`)).toEqual([]);
    expect(rules(`https://discord.com/api/webhooks/${id}/${token.slice(0, 30)}\n`)).toEqual([]);
    expect(rules(`https://discord.com/api/webhooks/${id}/${"x".repeat(68)}\n`)).toEqual([]);
    expect(rules(`https://discord.com/api/webhooks/${id}/${t.urlsafe(14)}_there-is-no-webhook-to-see-here_${t.urlsafe(22)}\n`)).toEqual([]);
  });
});

describe("Discord bot tokens", () => {
  const bot = `${b64id(`1${t.pick("0123456789", 18)}`)}.${t.urlsafe(6)}.${t.urlsafe(20)}k9${t.urlsafe(16)}`;
  it("are found in text that names Discord, with the old 27-character signature too", () => {
    expect(found(`import discord\nclient.run("${bot}")\n`, "bot.py")).toEqual([["secrets.discord-bot-token", bot]]);
    const old = `${b64id(`7${t.pick("0123456789", 17)}`)}.${t.urlsafe(6)}.${t.urlsafe(25)}Z3`;
    expect(found(`DISCORD_TOKEN=${old}\n`, ".env")).toEqual([["secrets.discord-bot-token", old]]);
  });
  it("not when the first part is not a user id in base64, nor a JWT, a version or a placeholder signature", () => {
    const words = `${Buffer.from("not-a-snowflake-id!").toString("base64url")}.${t.urlsafe(6)}.${t.urlsafe(27)}`;
    expect(rules(`# discord\nvalue = "${words}"\n`, "bot.py")).toEqual([]);
    expect(rules(`# discord\nrelease = "v1.${t.pick("0123456789", 6)}.${t.pick("0123456789", 27)}"\n`, "bot.py")).toEqual([]);
    const placeholder = `${b64id(`1${t.pick("0123456789", 18)}`)}.${t.urlsafe(6)}.${"X".repeat(38)}`;
    expect(rules(`import discord\nclient.run("${placeholder}")\n`, "bot.py")).toEqual([]);
  });
  it("also in text that never names Discord (session 32: the first part's id is the proof, not a word)", () => {
    expect(rules(`value = "${bot}"\n`, "data.py")).toEqual(["secrets.discord-bot-token"]);
  });
});

describe("Telegram bot tokens", () => {
  const secret = `AA${t.letters(2).toUpperCase()}${t.urlsafe(20)}x7${t.urlsafe(9)}`;
  const token = `${t.pick("123456789", 1)}${t.pick("0123456789", 9)}:${secret}`;
  it("are found in the Bot API URL and under a name, in text that names Telegram", () => {
    expect(found(`curl https://api.telegram.org/bot${token}/getMe\n`, "notify.sh")).toEqual([["secrets.telegram-bot-token", token]]);
    expect(found(`TELEGRAM_BOT_TOKEN: "${token}"\n`, "values.yaml").map(([r]) => r)).toContain("secrets.telegram-bot-token");
  });
  it("not MAC addresses, times, short values or a run of one letter, and not without the `AA` start", () => {
    expect(rules("# telegram bridge\nmac = 00:AA:BB:CC:DD:EE\n")).toEqual([]);
    expect(rules(`# telegram\nid = ${t.pick("0123456789", 10)}:AA${t.urlsafe(12)}\n`)).toEqual([]);
    expect(rules(`# telegram\nplaceholder = 123456789:AA${"A".repeat(33)}\n`)).toEqual([]);
    expect(rules(`# telegram\nchat = ${t.pick("0123456789", 10)}:XY${t.urlsafe(33)}\n`)).toEqual([]);
  });
});

describe("Dropbox access tokens", () => {
  const short = `sl.${t.letters(2).toUpperCase()}${t.urlsafe(120)}7${t.urlsafe(15)}`;
  it("short-lived `sl.` tokens are found wherever they are", () => {
    expect(found(`Authorization: Bearer ${short}\n`).map(([r, s]) => [r, s])).toContainEqual(["secrets.dropbox-token", short]);
    const newer = `sl.u.${t.letters(2).toUpperCase()}${t.urlsafe(400)}4`;
    expect(found(`token = "${newer}"\n`, "sync.py")).toContainEqual(["secrets.dropbox-token", newer]);
  });
  it("not `ssl.` settings, short `sl.` words or one-class bodies", () => {
    expect(rules(`ssl.${t.letters(140).toLowerCase()}\n`)).toEqual([]);
    expect(rules("sl.setLevel(3)\n", "app.js")).toEqual([]);
    expect(rules(`x = "sl.${"a".repeat(140)}"\n`, "a.py")).toEqual([]);
  });
  const long = `${t.alnum(5)}3q${t.alnum(4)}AAAAAAAAAA${t.urlsafe(20)}Kp4${t.urlsafe(20)}`;
  it("long-lived tokens (ten `A`s inside) are found in text that names Dropbox", () => {
    expect(found(`dropbox:\n  token: ${long}\n`, "config.yaml")).toContainEqual(["secrets.dropbox-long-lived-token", long]);
  });
  it("not inside base64 data, and not in text that never names Dropbox", () => {
    expect(rules(`# dropbox backup\nblob: ${t.b64(40)}${long}${t.b64(20)}\n`, "config.yaml")).toEqual([]);
    expect(rules(`value: ${long}\n`, "config.yaml").filter((r) => r.startsWith("secrets.dropbox"))).toEqual([]);
  });
});

describe("npm legacy tokens (bare UUIDs named by their place)", () => {
  const uuid = `${t.hex(8)}-${t.hex(4)}-4${t.hex(3)}-a${t.hex(3)}-${t.hex(12)}`;
  it("are found as `.npmrc`'s `_authToken`, under npm names and between npm tags", () => {
    expect(found(`//npm.example.test/:_authToken=${uuid}\n`, ".npmrc")).toEqual([["secrets.npm-legacy-token", uuid]]);
    expect(found(`NPM_TOKEN=${uuid}\n`, ".env")).toEqual([["secrets.npm-legacy-token", uuid]]);
    expect(found(`npm: "${uuid}"\n`, "secrets.yml")).toEqual([["secrets.npm-legacy-token", uuid]]);
    expect(found(`<npmToken>${uuid}</npmToken>\n`, "settings.xml")).toEqual([["secrets.npm-legacy-token", uuid]]);
  });
  it("not a variable in `.npmrc`, a UUID under another name, the zero UUID or a package field", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${…} reference is the input under test
    expect(rules("//npm.example.test/:_authToken=${NPM_TOKEN}\n", ".npmrc")).toEqual([]);
    expect(rules(`request_id: "${uuid}"\n`, "log.yml")).toEqual([]);
    expect(rules("npm: 00000000-0000-0000-0000-000000000000\n", "a.yml")).toEqual([]);
    expect(rules(`npm_package_id = "${uuid}"\n`, "a.toml")).toEqual([]);
  });
});

describe("New Relic's other key kinds", () => {
  it("REST, admin, Insights and private-location keys are found by their prefixes", () => {
    for (const key of [`NRRA-${t.hex(42)}`, `NRAA-${t.hex(27)}`, `NRII-${t.urlsafe(32)}`, `NRIQ-${t.urlsafe(32)}`, `NRSP-us01${t.hex(31)}`]) {
      expect(found(`key: ${key}\n`)).toContainEqual(["secrets.newrelic-key", key]);
    }
  });
  it("not a short body, a placeholder or a word with the prefix", () => {
    expect(rules(`key: NRRA-${t.hex(41)}\n`)).toEqual([]);
    expect(rules(`key: NRRA-${"x".repeat(42)}\n`)).toEqual([]);
    expect(rules("see NRII-documentation-for-insert-keys\n")).toEqual([]);
  });
});

describe("Zapier catch-hook URLs", () => {
  const url = `https://hooks.zapier.com/hooks/catch/${t.pick("123456789", 1)}${t.pick("0123456789", 7)}/${t.pick("abcdefghijklmnopqrstuvwxyz", 3)}4${t.pick("abcdefghijklmnopqrstuvwxyz0123456789", 3)}/`;
  it("are found in code and settings", () => {
    expect(found(`ZAPIER_WEBHOOK=${url}\n`, ".env")).toEqual([["secrets.zapier-webhook", url]]);
    expect(found(`requests.post("${url}", json=event)\n`, "notify.py")).toEqual([["secrets.zapier-webhook", url]]);
  });
  it("not placeholders, typed words, short ids or another host", () => {
    expect(rules("url = 'https://hooks.zapier.com/hooks/catch/YOUR_HOOK_ID/'\n", "a.py")).toEqual([]);
    expect(rules("url = 'https://hooks.zapier.com/hooks/catch/xxxxxxx/yyyyyy/'\n", "a.py")).toEqual([]);
    expect(rules(`url = 'https://hooks.zapier.com/hooks/catch/${t.pick("0123456789", 8)}/abcdefghijk'\n`, "a.py")).toEqual([]);
    expect(rules("url = 'https://hooks.zapier.com/hooks/catch/123/abc'\n", "a.py")).toEqual([]);
    expect(rules(`url = '${url.replace("zapier", "example")}'\n`, "a.py")).toEqual([]);
  });
});

describe("sshpass with its own options before -p", () => {
  const pw = `Qm${t.alnum(7)}!4`;
  it("the password after `-v` and a `-P` prompt (quoted or one word) is found", () => {
    expect(found(`sshpass -P 'Enter passphrase' -p ${pw} ssh deploy@host\n`, "deploy.sh")).toEqual([["secrets.command-line-password-flag", pw]]);
    expect(found(`sshpass -v -P assword: -p '${pw}' scp a b\n`, "deploy.sh")).toEqual([["secrets.command-line-password-flag", pw]]);
  });
  it("not a password read from a file, the environment or a variable, nor the prompt text itself", () => {
    expect(rules("sshpass -P 'Password for deploy' -f ~/.pw ssh deploy@host\n", "deploy.sh")).toEqual([]);
    expect(rules("sshpass -v -e ssh deploy@host\n", "deploy.sh")).toEqual([]);
    expect(rules('sshpass -P "passphrase" -p "$DEPLOY_PW" ssh deploy@host\n', "deploy.sh")).toEqual([]);
  });
});

describe("the new patterns on hostile input", () => {
  it("cost about linear time on long runs of their own alphabets", () => {
    const build = (n: number) =>
      `discord telegram dropbox npm\n${"MTEy".repeat(n)}.\n${"1".repeat(4 * n)}:AA\nsl.${"a-".repeat(2 * n)}\n${"npm: ".repeat(n)}\n${"sl.".repeat(n)}${"AAAAAAAAAA".repeat(n)}\nsshpass${" -v -P x".repeat(n)}\n`;
    expect(growthRatio((text: string) => detectSecrets(text), build(25_000), build(100_000))).toBeLessThan(9);
  });
});
