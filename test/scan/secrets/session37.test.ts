import { describe, expect, it } from "vitest";
import { detectSecrets } from "../../../src/scan/secrets/index.js";
import { growthRatio } from "../../helpers/cpu.js";
import { TokenFactory } from "./tokens.js";

// Session 37: the false positives and misses of the held-out run on CredData's next slice that a documented format or a
// general reading of code settles: a type's name where code declares a name's type, passwords stored in a crypt hash
// format, and literals given to a setter named for a credential. Every safe case is a look-alike of a found one.
// Values are built at run time, never stored.
const t = new TokenFactory(3737);
const found = (text: string, path = "config.txt") => detectSecrets(text, undefined, { path }).map((h) => [h.ruleId, h.secret]);
const rules = (text: string, path = "config.txt") => detectSecrets(text, undefined, { path }).map((h) => h.ruleId);
const crypt = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

describe("a type's name where code declares a name's type", () => {
  it("not a TypeScript parameter's or member's type, nor Kotlin's nullable type, before `,` `)` `=` `;`", () => {
    expect(rules("  public async decode(secret: Base32SecretKey): Promise<SecretKey> {\n", "authenticator.ts")).toEqual([]);
    expect(rules("    secret: Base32SecretKey,\n", "authenticator.ts")).toEqual([]);
    expect(rules("    var password: StringCredentialValue? = null\n", "PasswordSetRequest.kt")).toEqual([]);
    expect(rules("  apiToken: GitHubAppToken;\n", "client.ts")).toEqual([]);
  });
  it("still a typed password there when quoted, a generated value, a line's last word, or a configuration file's value", () => {
    const pw = `Tr0ub${t.alnum(5)}&x9`;
    expect(found(`  const password: string = "${pw}";\n`, "login.ts")).toEqual([["secrets.generic", pw]]);
    const generated = `Xk3m${t.alnum(10)}P9q`;
    expect(found(`  apiSecret: ${generated},\n`, "client.ts")).toEqual([["secrets.generic", generated]]);
    expect(found("  // password: Welcome1Admin\n", "login.ts")).toEqual([["secrets.generic", "Welcome1Admin"]]);
    expect(found("password: Welcome1Admin\n", "config.yml")).toEqual([["secrets.generic", "Welcome1Admin"]]);
    // An assignment is no annotation: CredSweeper's `password = ENCrackle123)` stays a password.
    expect(found('    check("password = ENCrackle123)")\n', "test_check.py")).toEqual([["secrets.generic", "ENCrackle123"]]);
  });
});

describe("passwords stored in a crypt hash format", () => {
  it("not a bcrypt, SHA-crypt, MD5-crypt or Argon2 hash under a password name", () => {
    const bcrypt = `$2a$08$${t.pick(crypt, 53)}`;
    expect(rules(`      password: "${bcrypt}",\n`, "issue-1551.ts")).toEqual([]);
    expect(rules(`  password: '$2y$10$${t.pick(crypt, 53)}'\n`, "users.ts")).toEqual([]);
    expect(rules(`  password_hash = "$6$rounds=5000$${t.pick(crypt, 16)}$${t.pick(crypt, 86)}"\n`, "seed.py")).toEqual([]);
    expect(rules(`  password = "$1$${t.pick(crypt, 8)}$${t.pick(crypt, 22)}"\n`, "seed.py")).toEqual([]);
    expect(rules(`  password = "$argon2id$v=19$m=65536,t=3,p=4$${t.b64(22)}$${t.b64(43)}"\n`, "seed.py")).toEqual([]);
  });
  it("still a password that opens like one but is not of the format's length", () => {
    const pw = `$2a$10$Tr0ub${t.alnum(8)}`;
    expect(found(`  password: "${pw}",\n`, "users.ts")).toEqual([["secrets.generic", pw]]);
  });
});

describe("a literal given to a setter named for a credential", () => {
  const pw = `Tr0ub${t.alnum(6)}&x9`;
  it('finds `setPassword("…")`, `set_password("…")` and `setApiKey("…")` with the literal as the only argument', () => {
    expect(found(`    dataSource.setPassword("${pw}");\n`, "DbConfig.java")).toEqual([["secrets.generic", pw]]);
    expect(found(`    user.set_password("${pw}")\n`, "seed.py")).toEqual([["secrets.generic", pw]]);
    const key = `${t.alnum(14)}9Qz${t.alnum(13)}`;
    expect(found(`    client.setApiKey("${key}");\n`, "Client.java")).toEqual([["secrets.generic", key]]);
  });
  it("not a second argument, another setter, a read from the environment, or a fill-in", () => {
    expect(rules(`    store.setPassword(user, "${pw}");\n`, "Store.java")).toEqual([]);
    expect(rules(`    form.setPasswordHint("${pw}");\n`, "Form.java")).toEqual([]);
    expect(rules(`    form.setTitle("${pw}");\n`, "Form.java")).toEqual([]);
    expect(rules(`    dataSource.setPassword(System.getenv("DB_PASSWORD"));\n`, "DbConfig.java")).toEqual([]);
    expect(rules(`    dataSource.setPassword("changeme");\n`, "DbConfig.java")).toEqual([]);
    expect(rules(`    reset("${pw}");\n`, "Form.java")).toEqual([]);
  });
});

describe("Go's and C#'s setters, and an Authorization value written whole", () => {
  it('finds `SetAuthToken("…")` (Go\'s resty) and the token after `Bearer ` under a credential name', () => {
    const hex = `${t.hex(30)}B7${t.hex(32)}`.toUpperCase();
    expect(found(`  resty.SetAuthToken("${hex}")\n`, "README.md")).toEqual([["secrets.generic", hex]]);
    const tok = `txpc${t.alnum(24)}Vw9`;
    expect(rules(`  var token = "Bearer ${tok}";\n`, "KubeTests.cs")).toEqual(["secrets.generic"]);
  });
  it('not `Set("…", "…")`, a placeholder or a template after `Bearer `', () => {
    expect(rules(`  headers.Set("X-Request", "${t.alnum(20)}")\n`, "client.go")).toEqual([]);
    expect(rules(`  var token = "Bearer YOUR_ACCESS_TOKEN_HERE";\n`, "KubeTests.cs")).toEqual([]);
    expect(rules(`  var token = "Bearer xxxxxxxxxxxxxxxxxxxxxxxx";\n`, "KubeTests.cs")).toEqual([]);
    expect(rules(`  const token = \`Bearer \${accessTokenFromLogin}\`;\n`, "client.ts")).toEqual([]);
  });
});

describe("session-37 patterns on long runs", () => {
  it("grow linearly (4× input, well under 9× time)", () => {
    for (const unit of ["secret: ABC", "Abc", "password: $2a$08$", "setPassword(", 'setPassword("a', "set_", 'token = "Bearer ', "SetAuthToken("]) {
      const make = (n: number) => `${unit.repeat(n)}${"A1b".repeat(n)}\n`;
      expect(
        growthRatio((text: string) => detectSecrets(text, undefined, { path: "a.ts" }), make(5_000), make(20_000)),
        unit,
      ).toBeLessThan(9);
    }
  });
});
