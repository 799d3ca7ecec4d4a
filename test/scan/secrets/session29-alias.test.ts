import { describe, expect, it } from "vitest";
import { detectSecrets } from "../../../src/scan/secrets/index.js";
import { TokenFactory } from "./tokens.js";

// Session 29: a literal under a neutral name that is then given to a credential's name (`tmp = "…"` then
// `api_key = tmp`) is read under the credential's name. Each safe case is written like a found one, so a rule
// that reports every literal near a credential name, or none, fails here.
const t = new TokenFactory(2029);
const found = (text: string, path = "app.py") => detectSecrets(text, undefined, { path }).map((h) => h.secret);

describe("a literal given to a credential's name through a second name", () => {
  const token = t.alnum(32);
  it("is found at the literal when the name is assigned the identifier alone", () => {
    expect(found(`tmp = "${token}"\napi_key = tmp\n`)).toEqual([token]);
    expect(found(`value = '${token}'\n\n\ndef connect():\n    client_secret = value\n    return login(client_secret)\n`)).toEqual([token]);
    expect(found(`const t = "${token}";\nexport const apiKey = t;\n`, "config.ts")).toEqual([token]);
    expect(found(`\tv := "${token}"\n\tauthToken = v\n`, "main.go")).toEqual([token]);
  });
  it("is found when the identifier is passed as a credential keyword argument", () => {
    expect(found(`tmp = "${token}"\nclient = Client(api_key=tmp)\n`)).toEqual([token]);
    expect(found(`s = "${token}"\nopen_session(host, password=s, timeout=3)\n`)).toEqual([token]);
  });
  it("names the route in the finding's title", () => {
    const [hit] = detectSecrets(`tmp = "${token}"\napi_key = tmp\n`, undefined, { path: "app.py" });
    expect(hit?.title).toContain("api_key through tmp");
    expect(hit?.line).toBe(1);
  });
  it("a password typed by hand counts as it would written under the name", () => {
    expect(found('value = "Tr0ub4dor&3xq"\npassword = value\n')).toEqual(["Tr0ub4dor&3xq"]);
  });
});

describe("what is not a literal given to a credential", () => {
  const token = t.alnum(32);
  it("the identifier reassigned to something else in between", () => {
    expect(found(`tmp = "${token}"\ntmp = load_secret()\napi_key = tmp\n`)).toEqual([]);
  });
  it("an expression, a call, an attribute or a comparison instead of the identifier alone", () => {
    expect(found(`tmp = "${token}"\napi_key = tmp.strip()\n`)).toEqual([]);
    expect(found(`tmp = "${token}"\napi_key = tmp + suffix\n`)).toEqual([]);
    expect(found(`tmp = "${token}"\napi_key = tmp[0]\n`)).toEqual([]);
    expect(found(`tmp = "${token}"\nif api_key == tmp:\n    pass\n`)).toEqual([]);
  });
  it("type annotations are neither a use nor a definition", () => {
    expect(found("def verify(\n    access_key: str,\n    secret_key: str,\n    host: str = 's3.us.cloud-object-storage.appdomain.cloud',\n) -> bool:\n    pass\n")).toEqual([]);
    expect(found(`host: str = "${token}"\naccess_key = str\n`)).toEqual([]);
  });
  it("values the credential's name would turn down written there: ids, field names, placeholders", () => {
    expect(found('name = "status_code"\ntoken = name\n')).toEqual([]);
    expect(found('v = "your-api-key-here"\napi_key = v\n')).toEqual([]);
    expect(found('v = "0123456789abcdef0123456789abcdef"\ncache_key = v\n')).toEqual([]);
  });
  it("a neutral name copied to another neutral name, and a module or settings object", () => {
    expect(found(`tmp = "${token}"\nvalue = tmp\n`)).toEqual([]);
    expect(found(`config = "${token}"\napi_key = config\n`)).toEqual([]);
  });
  it("a literal further back than a function's reach", () => {
    expect(found(`tmp = "${token}"\n${"x = 1\n".repeat(2000)}api_key = tmp\n`)).toEqual([]);
  });
});
