import { describe, expect, it } from "vitest";
import { detectSecrets } from "../../../src/scan/secrets/index.js";
import { TokenFactory } from "./tokens.js";

// Session 27: values that are not credentials whatever name they sit under (template holes of configuration
// tools, encrypted envelopes, code cut out of a line, file names, fill-in words), each beside a real secret
// written the same way, so a rule that drops everything fails here.
const t = new TokenFactory(2027);
const generic = (text: string, path = "app.yaml") =>
  detectSecrets(text, undefined, { config: path.endsWith(".yaml"), path })
    .filter((h) => h.ruleId === "secrets.generic")
    .map((h) => h.secret);

describe("values that are not a credential", () => {
  const secret = t.alnum(28);
  const fillIns = [
    "@@FILE:/some/file/path@@",
    "%{pull_secret}",
    "[[.Some.Build.Secret]]",
    "#{File.exists?('/x') ? open('/x').read : ''}",
    "path={.spec.databasePassword}",
    "`generate-password`",
    "ENC(2048:tUf83Ex0oSbDGa8vaU1hGqesODG9J4j40EgLClQYrwNT)",
    "ENC[RSA,tUf83Ex0oSbDGa8vaU1hGqesODG9J4j40EgLClQYrwNT]",
    ").append(toIndentedString(password)).append(",
    "obj.aFunctionCall()",
    "#!/usr/bin/python3",
    "spec.some.path[*].secretRef",
    "foo/bar.baz.yaml.tmpl",
    "material/form-textbox-password.svg",
    "true|false",
    "ADMIN_PASSWORD_HERE!",
    "passwort_to_replace",
    "please-insert-abc123-Secret",
    "this-is-not-real!",
    "FIXME!px1",
    "\\u003cpassword\\u003e",
  ];
  for (const v of fillIns)
    it(`drops ${v}`, () => {
      expect(generic(`secret: '${v}'\npassword: '${v}'\n`)).toEqual([]);
    });
  it("drops a resource's name under a secret's name (a weak password under a password's name stays low)", () => {
    expect(generic("secret: 'multicluster-mongodb-client-auth'\nsecret: foo_key_private\n")).toEqual([]);
  });
  it("keeps a generated secret written the same ways", () => {
    expect(generic(`secret: '${secret}'\npassword: '${secret}'\n`)).toEqual([secret, secret]);
    // A generated WordPress salt may hold `#{` and `[[` by chance: still a secret.
    const salt = "Ed&1cr+{3T$a+{[8LP~i5-[|Z`x-V>;Di_C/E~UnSg{n[h#{D[-t>yIUZ8YqSu3t";
    expect(detectSecrets(`define('SECURE_AUTH_SALT', '${salt}');`).map((h) => h.secret)).toEqual([salt]);
  });
  it("reads base64 of an encrypted envelope or an EXAMPLE value as the text it encodes", () => {
    const enc = Buffer.from("ENC[RSA,tUf83Ex0oSbDGa8vaU1hGqesODG9J4j40EgLClQYrwNT]").toString("base64");
    const example = Buffer.from(`EXAMPLE${t.alnum(36)}`).toString("base64");
    const real = Buffer.from(t.alnum(36)).toString("base64");
    expect(generic(`secret: '${enc}'\nsecret: '${example}'\n`)).toEqual([]);
    expect(generic(`secret: '${real}'\n`)).toEqual([real]);
  });
  it("judges a value in \\u escapes by the text it stands for", () => {
    const s = t.alnum(20);
    const escaped = [...s].map((c, i) => (i % 3 === 0 ? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}` : c)).join("");
    expect(generic(`"password": "${escaped}"\n`, "x.json")).toHaveLength(1);
    expect(generic(`"password": "\\u4f60\\u597d\\u4e16\\u754c\\u4f60\\u597d"\n`, "x.json")).toEqual([]);
  });
});

describe("another service's secret under an AWS-style name", () => {
  it("is reported when it looks generated (a long token of another store)", () => {
    const long = t.alnum(86);
    expect(generic(`secret_access_key = '${long}'\n`, "x.py")).toEqual([long]);
    expect(generic(`"SecretAccessKey": "${long}"\n`, "x.json")).toEqual([long]);
  });
  it("is not when it is a padded base64 blob (the key stored encrypted) or words", () => {
    expect(generic("AWS_SECRET_ACCESS_KEY = R6WCNd0erkAuZyD+Fe8C4IwjpYQtniKqnHAzE7Pk5fPrBRpwOnuYxA==\n", "x.env")).toEqual([]);
    expect(generic("secret_access_key = 'my-secret-access-key-for-dev'\n", "x.py")).toEqual([]);
  });
});

describe("session 27: provider formats and `$`-initial generated values", () => {
  it("reads a generated value that opens with `$` as a value, a `$NAME` as a variable", () => {
    const v = `$A${t.hex(32)}`;
    expect(generic(`<password>${v}</password>\n`, "settings.xml")).toEqual([v]);
    expect(generic(`{"secret": "${v}", "foo": "bar"}\n`, "x.json")).toEqual([v]);
    for (const ref of ["$DB_PASSWORD_2024", "$SECRET_TOKEN", "$db_password"]) expect(generic(`{"secret": "${ref}"}\n`, "x.json")).toEqual([]);
  });
  it("reads AWS's documentation key behind base64 as the example it is", () => {
    const doc = Buffer.from(["wJalrXUtnFEMI", "K7MDENG", "bPxRfiCYEXAMPLEKEY"].join("/")).toString("base64");
    const real = Buffer.from(t.alnum(40)).toString("base64");
    expect(generic(`AWS_SECRET_ACCESS_KEY: ${doc}\n`, "secret.yaml")).toEqual([]);
    expect(generic(`AWS_SECRET_ACCESS_KEY: ${real}\n`, "secret.yaml")).toHaveLength(1);
  });
  it("leaves look-alikes of the new provider formats alone", () => {
    const ids = (text: string) => detectSecrets(text).map((h) => h.ruleId);
    // Wrong case or length for Dynatrace, a digest for OpenShift, a short Tines path.
    expect(ids(`token: ${"dt0"}c01.${t.alnum(24).toLowerCase()}.${t.alnum(64).toLowerCase()}`)).not.toContain("secrets.dynatrace-token");
    expect(ids(`digest: ${"sha256"}:${t.hex(64)}`)).not.toContain("secrets.openshift-user-token");
    expect(ids(`url: https://x.${"tines"}.com/webhook/${t.hex(16)}/${t.hex(32)}`)).not.toContain("secrets.tines-webhook");
  });
});

describe("session 27: a file named for the credential it holds", () => {
  const inFile = (path: string, text: string) => detectSecrets(text, undefined, { path }).map((h) => `${h.ruleId}:${h.secret}@${h.line}`);
  it("reports its one value line (Docker/Kubernetes secret mounts, `*.clientSecret`)", () => {
    const v = t.urlsafe(43);
    expect(inFile("run/secrets/db_password", `${v}\n`)).toEqual([`secrets.generic:${v}@1`]);
    expect(inFile("conf/app.clientSecret", `# the client's secret\n${v}\n`)).toEqual([`secrets.generic:${v}@2`]);
  });
  it("leaves fill-ins, typed words, several lines and other names alone; a provider's rule names its token", () => {
    expect(inFile("run/secrets/db_password", "changeme\n")).toEqual([]);
    expect(inFile("run/secrets/db_password", "${DB_PASSWORD}\n")).toEqual([]);
    expect(inFile("conf/password", `user=${t.alnum(8)}\nhost=db\n`)).toEqual([]);
    expect(inFile("conf/notes.txt", `${t.urlsafe(43)}\n`)).toEqual([]);
    // A GitHub token whose checksum fails is not reported by its rule, nor by the file's name in its place.
    expect(inFile("conf/github_token", `${"ghp"}_${t.alnum(36)}\n`)).toEqual([]);
  });
});
