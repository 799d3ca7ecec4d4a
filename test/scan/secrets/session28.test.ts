import { describe, expect, it } from "vitest";
import { detectSecrets } from "../../../src/scan/secrets/index.js";
import { TokenFactory } from "./tokens.js";

// Session 28, from the hybrid multi-task set's errors: CAPTCHA site keys (public), snake_case field names under
// token names, a comment that names a hard-coded credential and ends with its value; from LeakTK's misses, Vault
// AppRole SecretIDs (UUIDs under `secret_id`). Each safe case sits beside
// a secret written the same way, so a rule that drops or reports everything fails here.
const t = new TokenFactory(2028);
const found = (text: string, path: string) => detectSecrets(text, undefined, { config: /\.(?:json|ya?ml|env)$/.test(path), path }).map((h) => h.secret);

describe("CAPTCHA site keys are public, their secret keys are not", () => {
  const key = `6Lfh54wa${t.alnum(32)}`;
  it("drops a site key under a site-key name", () => {
    expect(found(`{\n  "RECAPTCHA_SITE_KEY": "${key}"\n}\n`, "config.json")).toEqual([]);
    expect(found(`HCAPTCHA_SITEKEY=${key}\n`, "app.env")).toEqual([]);
    expect(found(`turnstileSiteKey: '${key}'\n`, "settings.yaml")).toEqual([]);
    expect(found(`const sitekey = "${key}";\n`, "form.js")).toEqual([]);
  });
  it("keeps the secret key beside it, and a key under any other name", () => {
    expect(found(`{\n  "RECAPTCHA_SECRET_KEY": "${key}",\n  "RECAPTCHA_SITE_KEY": "${key}x"\n}\n`, "config.json")).toEqual([key]);
    expect(found(`TURNSTILE_SECRET_KEY=${key}\n`, "app.env")).toEqual([key]);
    expect(found(`SITE_API_KEY = "${key}"\n`, "settings.py")).toEqual([key]);
  });
});

describe("lower-case words joined by underscores under a token's name", () => {
  it("are a field's name, not a token", () => {
    expect(found('@pytest.mark.parametrize(\n    ("extract_token", "status_code"),\n    [\n', "tests_obtain_token.py")).toEqual([]);
    expect(found('extract_token = "status_code"\n', "app.py")).toEqual([]);
    expect(found('api_secret: "read_only_scope"\n', "app.yaml")).toEqual([]);
  });
  it("a generated token and a typed password stay", () => {
    const token = t.alnum(24);
    expect(found(`extract_token = "${token}"\n`, "app.py")).toEqual([token]);
    expect(found('db_password = "status_code"\n', "app.py")).toEqual(["status_code"]);
  });
});

describe("a comment that names a hard-coded credential and ends with its value", () => {
  const value = t.alnum(23);
  it("is reported when the value looks generated", () => {
    expect(found(`// TODO: remove hardcoded key ${value}\n`, "client.js")).toEqual([value]);
    expect(found(`# hard-coded token ${value}\n`, "client.py")).toEqual([value]);
    expect(found(`  # API key ${value}\n`, "client.py")).toEqual([value]);
    expect(found(`/* secret ${value} */\n`, "client.c")).toEqual([value]);
  });
  it("is not for digests, UUIDs, words, fill-ins, identifiers, or outside a comment", () => {
    for (const line of [
      "# cache key 3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c",
      "# hardcoded key 3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c",
      "# token 123e4567-e89b-12d3-a456-426614174000",
      "// the api key AuthenticationServiceFactory",
      "# hardcoded key abcdefghijklmnopqrstu",
      "# secret xxxxxxxxxxxxxxxxxxxxxxxx",
      "# hardcoded key rotation added in v2 of the KeyManager2Service",
      "# TODO: stop using the hardcoded key in config_loader_v2.py",
      "// token refresh_token_expiry_seconds",
      "# the secret is rotated by rotate_secret_daily_v2",
    ])
      expect(found(`${line}\n`, "client.py"), line).toEqual([]);
    expect(found(`print("remove hardcoded key ${value}")\n`, "client.py")).toEqual([]);
  });
});

describe("a UUID under a `secret_id` name (HashiCorp Vault AppRole)", () => {
  const uuid = "6a174c20-f6de-a53c-74d2-6018fcceff64";
  it("is a SecretID", () => {
    expect(found(`vault write auth/approle/login role_id=db02de05-fa39-4855-059b-67221c5c2f63 secret_id=${uuid}\n`, "login.sh")).toEqual([uuid]);
    expect(found(`VAULT_SECRET_ID=${uuid}\n`, "app.env")).toEqual([uuid]);
    expect(found(`secretId: "${uuid}"\n`, "approle.yaml")).toEqual([uuid]);
  });
  it("is not under an id's name, nor is a secret's name, an expression or a zero UUID under `secret_id`", () => {
    expect(found(`role_id: db02de05-fa39-4855-059b-67221c5c2f63\nrequest_id = "${uuid}"\n`, "approle.yaml")).toEqual([]);
    expect(found('resp = client.get_secret_value(SecretId="prod/db/password")\n', "fetch.py")).toEqual([]);
    expect(found("secret_id = aws_secretsmanager_secret.db.id\n", "main.tf")).toEqual([]);
    expect(found('secret_id = "00000000-0000-0000-0000-000000000000"\n', "fetch.py")).toEqual([]);
  });
});
