import { describe, expect, it } from "vitest";
import { detectSecrets } from "../../../src/scan/secrets/index.js";
import { TokenFactory } from "./tokens.js";

// Session 29, beside session29.test.ts: more forms of a literal given to a credential's name through a second name
// (`tmp = "…"` then `api_key = tmp`) — other languages' declarations, a function below, annotations, reach. Each safe
// case is written like a found one, so a rule that reports every literal near a credential name, or none, fails here.
const t = new TokenFactory(2029);
const found = (text: string, path = "app.py") => detectSecrets(text, undefined, { path }).map((h) => h.secret);

describe("a literal given to a credential's name through a second name", () => {
  // A generated value (letters and digits), so the only question is the route.
  const token = `${t.alnum(28)}7${t.alnum(3)}`;
  it("is found at the literal in Python, JavaScript and Go", () => {
    expect(found(`tmp = "${token}"\napi_key = tmp\n`)).toEqual([token]);
    expect(found(`value = '${token}'\n\n\ndef connect():\n    client_secret = value\n    return login(client_secret)\n`)).toEqual([token]);
    expect(found(`const t = "${token}";\nexport const apiKey = t;\n`, "config.ts")).toEqual([token]);
    expect(found(`\tv := "${token}"\n\tauthToken = v\n`, "main.go")).toEqual([token]);
  });
  it("is reported on the literal's line", () => {
    const [hit] = detectSecrets(`tmp = "${token}"\n\napi_key = tmp\n`, undefined, { path: "app.py" });
    expect(hit?.line).toBe(1);
    expect(hit?.title).toContain("another name");
  });
});

describe("what is not a literal given to a credential", () => {
  const token = `${t.alnum(28)}7${t.alnum(3)}`;
  it("the second name reassigned to something else in between", () => {
    expect(found(`tmp = "${token}"\ntmp = load_secret()\napi_key = tmp\n`)).toEqual([]);
  });
  it("an expression, a call, an attribute or a comparison instead of the name alone", () => {
    expect(found(`tmp = "${token}"\napi_key = tmp.strip()\n`)).toEqual([]);
    expect(found(`tmp = "${token}"\napi_key = tmp + suffix\n`)).toEqual([]);
    expect(found(`tmp = "${token}"\napi_key = tmp[0]\n`)).toEqual([]);
    expect(found(`tmp = "${token}"\nif api_key == tmp:\n    pass\n`)).toEqual([]);
  });
  it("a type annotation is not an assignment to the type's name", () => {
    expect(found("def verify(\n    access_key: str,\n    secret_key: str,\n    host: str = 's3.us.cloud-object-storage.appdomain.cloud',\n) -> bool:\n    pass\n")).toEqual([]);
    expect(found(`host: str = "${token}"\naccess_key = str\n`)).toEqual([]);
  });
  it("values the credential's name would turn down written there: field names, placeholders, ids", () => {
    expect(found('name = "status_code"\ntoken = name\n')).toEqual([]);
    expect(found('v = "your-api-key-here"\napi_key = v\n')).toEqual([]);
    expect(found('v = "0123456789abcdef0123456789abcdef"\ncache_key = v\n')).toEqual([]);
  });
  it("a neutral name copied to another neutral name", () => {
    expect(found(`tmp = "${token}"\nvalue = tmp\n`)).toEqual([]);
  });
  it("a literal further back than a function's reach", () => {
    expect(found(`tmp = "${token}"\n${"x = 1\n".repeat(2000)}api_key = tmp\n`)).toEqual([]);
  });
});
