import { describe, expect, it } from "vitest";
import { detectSecrets } from "../../../src/scan/secrets/index.js";
import { TokenFactory } from "./tokens.js";

// Session 29, from the bcgov set's errors and the hybrid set's `indirection` misses: a literal reaching a credential
// name through a plain name, a database URL whose password holds an `@`, and the documentation UUIDs. Each safe case
// sits beside a secret written the same way, so a rule that drops or reports everything fails here.
const t = new TokenFactory(2029);
const found = (text: string, path: string) => detectSecrets(text, undefined, { config: /\.(?:json|ya?ml|env)$/.test(path), path }).map((h) => h.secret);

describe("a literal given to a credential name through another name", () => {
  const value = `${t.alnum(20)}4x9Z`;
  it("is reported at the literal", () => {
    expect(found(`tmp = "${value}"\napi_key = tmp\n`, "client.py")).toEqual([value]);
    expect(found(`const t = '${value}';\nconst client = new Client({ region });\nconst API_TOKEN = t;\n`, "client.js")).toEqual([value]);
    expect(found(`String raw = "${value}";\nString clientSecret = raw;\n`, "Client.java")).toEqual([value]);
    expect(found(`val := "${value}"\ntoken := val\n`, "main.go")).toEqual([value]);
  });
  it("is not when the name was given something else since, is a member or a call, or holds a word", () => {
    expect(found(`tmp = "${value}"\ntmp = load_secret()\napi_key = tmp\n`, "client.py")).toEqual([]);
    expect(found(`self.tmp = "${value}"\napi_key = tmp\n`, "client.py")).toEqual([]);
    expect(found(`tmp = "${value}"\napi_key = tmp()\n`, "client.py")).toEqual([]);
    expect(found('name = "production-database"\npassword = name\n', "db.py")).toEqual([]);
    expect(found('value = "sk-proj-placeholder"\ntoken = value\n', "client.py")).toEqual([]);
    expect(found('kind = "Bearer"\nauth_token = kind\n', "client.py")).toEqual([]);
    expect(found(`api_key = tmp\ntmp = "${value}"\n`, "client.py")).toEqual([]);
  });
  it("also under a bare `key` name, where the value must look generated", () => {
    expect(found(`tmp = "${value}"\nkey = tmp\n`, "client.py")).toEqual([value]);
    expect(found(`secret = "tmp = "${value}"\nkey = tmp"\n`, "snippet.txt")).toEqual([value]);
    expect(found('k = "sort-order-by-name-asc"\nkey = k\n', "sort.py")).toEqual([]);
    expect(found("for key in keys:\n    key = k\n", "sort.py")).toEqual([]);
  });
  it("not when the other name says what else the value is", () => {
    expect(found(`cache_key = "${value}"\nkey = cache_key\n`, "cache.py")).toEqual([]);
    expect(found(`request_id = "${value}"\napi_key = request_id\n`, "client.py")).toEqual([]);
    expect(found(`secret_key = "${value}"\nkey = secret_key\n`, "client.py")).toEqual([value]);
  });
  it("a plain name given to a credential name with no literal above stays unreported", () => {
    expect(found("def connect(token):\n    api_key = token\n", "client.py")).toEqual([]);
    expect(found("password = pw\n", "client.py")).toEqual([]);
  });
});

describe("a database URL whose password holds an @", () => {
  it("reads the password up to the @ before the host", () => {
    expect(found('const DB = "mssql://sa:P@ssw0rd!@sqldb.host.com"\n', "db.js")).toEqual(["P@ssw0rd!"]);
    expect(found('DB_URL = "postgres://admin:Xq7!p@ssKr9@db.internal:5432/app"\n', "db.py")).toEqual(["Xq7!p@ssKr9"]);
  });
  it("not a list of hosts, an address in the query, or a regular expression", () => {
    expect(found('URL = "postgresql://user:Kx9pq2w@host1:123,user:Kx9pq2w@host2:456/db"\n', "db.py")).toEqual(["Kx9pq2w"]);
    expect(found('DB_URL = "postgres://admin:Xq7pssKr9@db.internal:5432/app?notify=ops@example.com"\n', "db.py")).toEqual(["Xq7pssKr9"]);
    expect(found('PATTERN = r"postgres://[^:]+:[^@]+@[^/]+/[^\\s]+"\n', "scan.py")).toEqual([]);
  });
});

describe("the documentation UUIDs", () => {
  it("are examples, not keys, under any name", () => {
    expect(found('const UUID_AUTH = "123e4567-e89b-12d3-a456-426655440000"\n', "app.js")).toEqual([]);
    expect(found("snyk_token = 123e4567-e89b-12d3-a456-426614174000\n", "app.env")).toEqual([]);
    expect(found('api_key = "f81d4fae-7dec-11d0-a765-00a0c91e6bf6"\n', "app.py")).toEqual([]);
  });
  it("another UUID under a token's name stays a token", () => {
    const uuid = "7c4f2a91-3b8e-4d6a-9f1c-52e8b0a3d7e4";
    expect(found(`snyk_token = ${uuid}\n`, "app.env")).toEqual([uuid]);
    expect(found(`const UUID_AUTH = "${uuid}"\n`, "app.js")).toEqual([uuid]);
  });
});
