import { describe, expect, it } from "vitest";
import { detectSecrets } from "../../../src/scan/secrets/index.js";
import { growthRatio } from "../../helpers/cpu.js";
import { TokenFactory } from "./tokens.js";

// Session 33: the misses and false positives of the held-out CredData run that a documented format or a general
// reading settles (JSON Web Keys' private members, `Some("…")`, C identifiers, namespaces, JWE's `encrypted_key`, hashed
// values, variable names in URLs, kubeadm's key in Ansible variables), and session 32's left-overs
// (Mailgun's newer keys, Facebook app tokens beside the Graph API or an app secret's name). Every safe case is a
// look-alike of a found one. Tokens are built at run time, never stored.
const t = new TokenFactory(3333);
const found = (text: string, path = "config.txt") => detectSecrets(text, undefined, { path }).map((h) => [h.ruleId, h.secret]);
const rules = (text: string, path = "config.txt") => detectSecrets(text, undefined, { path }).map((h) => h.ruleId);

describe("JSON Web Keys' private members", () => {
  const d = `${t.urlsafe(20)}Qk7${t.urlsafe(20)}`;
  const k = `${t.urlsafe(40)}Zq${t.urlsafe(1)}`;
  it("finds `d` of an EC key, `k` of a symmetric key and RSA's `p` in text that names `kty`", () => {
    expect(found(`const key = { kty: 'EC', crv: 'P-256', x: '${t.urlsafe(43)}', y: '${t.urlsafe(43)}', d: '${d}' };\n`, "keys.test.mjs")).toEqual([["secrets.jwk-private-key", d]]);
    expect(found(`{"kty":"oct","kid":"${t.hex(8)}","k":"${k}"}\n`, "jwks.json")).toEqual([["secrets.jwk-private-key", k]]);
    const p = `${t.urlsafe(80)}Mx9${t.urlsafe(88)}`;
    expect(rules(`{\n  "kty": "RSA",\n  "n": "${t.urlsafe(342)}",\n  "e": "AQAB",\n  "p": "${p}"\n}\n`, "key.json")).toContain("secrets.jwk-private-key");
  });
  it("not the same member where no `kty` is written, a public JWK, a `kid`, a masked or short value", () => {
    expect(rules(`const point = { crv: 'P-256', d: '${d}' };\n`, "geo.mjs")).not.toContain("secrets.jwk-private-key");
    expect(rules(`{"kty":"EC","crv":"P-256","x":"${t.urlsafe(43)}","y":"${t.urlsafe(43)}","kid":"${t.urlsafe(43)}"}\n`, "jwks.json")).toEqual([]);
    expect(rules(`{"kty":"EC","d":"${"x".repeat(43)}"}\n`, "jwks.json")).toEqual([]);
    expect(rules(`{"kty":"oct","k":"${t.urlsafe(12)}"}\n`, "jwks.json")).toEqual([]);
  });
});

describe("Mailgun's newer keys and Facebook app tokens by their names", () => {
  const key = `${t.hex(30)}a7-${t.hex(8)}-${t.hex(8)}`;
  it("finds `<32 hex>-<8 hex>-<8 hex>` in text that names Mailgun", () => {
    expect(found(`MAILGUN_API_KEY=${key}\n`, ".env")).toEqual([["secrets.mailgun-api-key", key]]);
  });
  it("not the same shape where Mailgun is never named, a UUID, one digit repeated", () => {
    expect(rules(`CACHE_ID=${key}\n`, "ids.txt")).toEqual([]);
    expect(rules(`# mailgun\nid: ${t.hex(8)}-${t.hex(4)}-4${t.hex(3)}-a${t.hex(3)}-${t.hex(12)}\n`, "ids.txt")).toEqual([]);
    expect(rules(`# mailgun\nid: ${"0".repeat(32)}-${t.hex(8)}-${t.hex(8)}\n`, "ids.txt")).toEqual([]);
  });
  const app = `12${t.pick("0123456789", 14)}|${t.hex(30)}a7`;
  it("finds an app token where the text names the Graph API or an app secret", () => {
    expect(rules(`# Graph API client\nAPP_TOKEN=${app}\n`, ".env")).toContain("secrets.facebook-app-token");
    expect(rules(`FB_APP_ID=${app.slice(0, 16)}\nTOKEN=${app}\n`, ".env")).toContain("secrets.facebook-app-token");
  });
  it("not the same pair in text that names none of them", () => {
    expect(rules(`row=${app}\n`, "rows.txt")).toEqual([]);
  });
});

describe("values that code computes (CredData's C, Scala, Ruby and test files)", () => {
  it("reads a literal inside `Some(…)` as the value, as for a plain literal", () => {
    const pw = `Tr0ub${t.alnum(6)}-x9`;
    expect(found(`val s = Session.single(host = "localhost", password = Some("${pw}"))\n`, "Main.scala")).toEqual([["secrets.generic", pw]]);
    expect(rules(`let c = Config { password: Some("${pw}".into()) };\n`, "main.rs")).toEqual(["secrets.generic"]);
  });
  it("not `Some` of a name or of a fill-in", () => {
    expect(rules(`val s = Session.single(password = Some(pw))\n`, "Main.scala")).toEqual([]);
    expect(rules(`val s = Session.single(password = Some("changeme"))\n`, "Main.scala")).toEqual([]);
  });
  it("not a function's or a variable's name, an address or a namespace on the right of `=` in code", () => {
    expect(rules("  cquantize->pub.start_pass = start_pass_2_quant;\n  cquantize->pub.finish_pass = finish_pass1;\n", "jquant2.c")).toEqual([]);
    expect(rules("  gss_token = &gss_recv_token;\n", "socks_gssapi.c")).toEqual([]);
    expect(rules("  config.omniauth :dropbox, key, secret, strategy_class: OmniAuth::Strategies::DropboxOauth2\n", "devise.rb")).toEqual([]);
  });
  it("still reads the same text as the value in a configuration file", () => {
    const hits = detectSecrets("DB_PASS=start_pass_2_quant\n", undefined, { path: ".env", config: true }).map((h) => [h.ruleId, h.secret]);
    expect(hits).toEqual([["secrets.generic", "start_pass_2_quant"]]);
  });
  it("not JWE's `encrypted_key` (ciphertext) nor a value its name says is hashed; a signing key still counts", () => {
    const v = `${t.urlsafe(14)}Hq${t.urlsafe(16)}`;
    expect(rules(`encrypted_key: '${v}',\n`, "cookbook.test.mjs")).toEqual([]);
    expect(rules(`hashedTokenKey := "$3:1:${t.alnum(11)}:${t.b64(43)}"\n`, "token_test.go")).toEqual([]);
    expect(found(`signing_key: '${v}',\n`, "cookbook.test.mjs")).toEqual([["secrets.generic", v]]);
  });
});

describe("variable names in URLs, kubeadm's key in Ansible variables", () => {
  it("not a variable's name as a URL's password; a typed one still counts", () => {
    expect(rules("array('https', 'https://token:MY_GITHUB_TOKEN@github.com/acme/repo'),\n", "GitTest.php")).toEqual([]);
    expect(rules(`url = "https://token:${t.alnum(12)}7q@github.com/acme/repo"\n`, "sync.py")).toContain("secrets.url-password");
  });
  const certKey = `${t.hex(30)}c4${t.hex(32)}`;
  it("finds kubeadm's certificate key under `kubeadm_certificate_key:`", () => {
    expect(found(`kubeadm_certificate_key: ${certKey}\n`, "inventory.yml")).toEqual([["secrets.kubeadm-certificate-key", certKey]]);
  });
  it("not a placeholder there, nor 64 hex digits under another `*_certificate_key` name", () => {
    expect(rules(`kubeadm_certificate_key: ${"0".repeat(64)}\n`, "inventory.yml")).toEqual([]);
    expect(rules(`tls_certificate_key: ${certKey}\n`, "inventory.yml")).not.toContain("secrets.kubeadm-certificate-key");
  });
});

describe("session-33 patterns on long runs", () => {
  it("grow linearly (4× input, well under 9× time)", () => {
    for (const unit of ["d: '", '"k":"', "a1b2c3d4", "0123456789abcdef-", "kubeadm_certificate_key: "]) {
      const make = (n: number) => `kty mailgun ${unit.repeat(n)}${"A1b".repeat(n)}\n`;
      expect(
        growthRatio((text: string) => detectSecrets(text), make(5_000), make(20_000)),
        unit,
      ).toBeLessThan(9);
    }
  });
});
