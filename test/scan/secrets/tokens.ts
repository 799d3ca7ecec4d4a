import { generateKeyPairSync } from "node:crypto";
import { base62Encode, crc32 } from "../../../src/scan/secrets/index.js";

/**
 * Test credentials are assembled at run time from a seeded generator, so this repository never
 * carries strings that other secret scanners (or provider push protection) would flag.
 */
export class TokenFactory {
  private state: number;
  constructor(seed = 42) {
    this.state = seed >>> 0 || 1;
  }
  /** xorshift32: deterministic, dependency-free. */
  private next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }
  pick(alphabet: string, n: number): string {
    let s = "";
    for (let i = 0; i < n; i++) s += alphabet[this.next() % alphabet.length];
    return s;
  }
  alnum(n: number) {
    return this.pick("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", n);
  }
  urlsafe(n: number) {
    return this.pick("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", n);
  }
  hex(n: number) {
    return this.pick("0123456789abcdef", n);
  }
  letters(n: number) {
    return this.pick("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", n);
  }
  b64(n: number) {
    return this.pick("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", n);
  }
  /** GitHub/npm style: prefix + 30 random + base62(crc32(random)) padded to 6. */
  checksummed(prefix: string, valid = true): string {
    const body = this.alnum(30);
    const sum = base62Encode(crc32(body), 6);
    return prefix + body + (valid ? sum : sum.split("").reverse().join("") === sum ? "zzzzzz" : sum.split("").reverse().join(""));
  }
  aws() {
    return `AKIA${this.pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}`;
  }
  jwt() {
    const h = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");
    const p = Buffer.from(JSON.stringify({ sub: this.alnum(8), iat: 1700000000 })).toString("base64url");
    return `${h}.${p}.${this.urlsafe(43)}`;
  }
  /** A PuTTY `.ppk` file (format 2) with random public and private blobs, as PuTTYgen writes them. */
  puttyKey(): string {
    const lines = (n: number) => Array.from({ length: n }, (_, i) => (i === n - 1 ? this.b64(20) : this.b64(64)));
    return [
      `${"PuTTY"}-User-Key-File-2: ssh-rsa`,
      "Encryption: none",
      "Comment: rsa-key-20260101",
      "Public-Lines: 6",
      ...lines(6),
      "Private-Lines: 14",
      ...lines(14),
      `Private-MAC: ${this.hex(40)}`,
    ].join("\n");
  }
  privateKey(kind = "RSA") {
    // "MII" opens every DER SEQUENCE of 256–4095 bytes in base64: the body is key-shaped.
    const lines = Array.from({ length: 6 }, (_, i) => (i === 0 ? `MIIE${this.b64(60)}` : this.b64(64)));
    return [`-----BEGIN ${kind} PRIVATE KEY-----`, ...lines, `-----END ${kind} PRIVATE KEY-----`].join("\n");
  }
}

/** One valid sample per provider rule, keyed by rule id, each embedded in a realistic line. */
export function providerSamples(t = new TokenFactory(7)): Array<{ ruleId: string; line: string; secret: string }> {
  const s = (ruleId: string, secret: string, line = `TOKEN_VALUE = "${secret}"`) => ({ ruleId, secret, line });
  const aws = t.aws();
  const awsSecret = `${t.b64(37)}Aa1`.replace(/\+|\//g, "x");
  const pypi = `pypi-AgEIcHlwaS5vcmc${t.urlsafe(60)}`;
  return [
    s("secrets.aws-access-key-id", aws, `aws_access_key_id = ${aws}`),
    s("secrets.aws-secret-access-key", awsSecret, `aws_secret_access_key = ${awsSecret}`),
    // Base64 with optional padding: a following "=" would read as padding, so not in the separator property.
    ((k) => s("secrets.aws-bedrock-api-key", k, `export AWS_BEARER_TOKEN_BEDROCK=${k}`))(`ABSKQmVkcm9ja0FQSUtleS1${t.b64(108)}=`),
    s("secrets.gcp-api-key", `AIza${t.urlsafe(35)}`),
    s("secrets.gcp-oauth-client-secret", `GOCSPX-${t.urlsafe(28)}`),
    ((k) => s("secrets.azure-storage-account-key", k, `conn = "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${k};EndpointSuffix=core.windows.net"`))(
      `${t.b64(86)}==`,
    ),
    s("secrets.azure-ad-client-secret", `${t.alnum(3)}8Q~${t.alnum(34)}`),
    ((sig) => s("secrets.azure-sas-token", sig, `url = "https://acct.blob.core.windows.net/c?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2026-01-01T00:00:00Z&sig=${sig}"`))(
      `${t.alnum(43)}%3D`,
    ),
    s("secrets.github-pat", t.checksummed("ghp_")),
    s("secrets.github-oauth-token", t.checksummed("gho_")),
    s("secrets.github-user-to-server-token", t.checksummed("ghu_")),
    s("secrets.github-server-to-server-token", t.checksummed("ghs_")),
    s("secrets.github-refresh-token", t.checksummed("ghr_")),
    s("secrets.github-fine-grained-pat", `github_pat_${t.alnum(22)}_${t.alnum(59)}`),
    s("secrets.gitlab-token", `glpat-${t.urlsafe(20)}`),
    s("secrets.slack-token", `xoxb-${t.pick("0123456789", 12)}-${t.pick("0123456789", 13)}-${t.alnum(24)}`),
    s("secrets.slack-webhook", `https://hooks.slack.com/services/T${t.pick("ABCDEFGHIJ0123456789", 8)}/B${t.pick("ABCDEFGHIJ0123456789", 10)}/${t.alnum(24)}`),
    s("secrets.stripe-key", `sk_live_${t.alnum(24)}`),
    s("secrets.openai-api-key", `sk-proj-${t.urlsafe(74)}T3BlbkFJ${t.urlsafe(74)}`),
    s("secrets.anthropic-api-key", `sk-ant-api03-${t.urlsafe(93)}AA`),
    s("secrets.huggingface-token", `hf_${t.letters(34)}`),
    s("secrets.databricks-token", `dapi${t.hex(32)}`),
    ((k) => s("secrets.wandb-api-key", k, `wandb.login(key="${k}")`))(t.hex(40)),
    s("secrets.twilio-api-key", `SK${t.hex(32)}`),
    ((k) => s("secrets.twilio-auth-token", k, `TWILIO_AUTH_TOKEN = "${k}"`))(t.hex(32)),
    s("secrets.sendgrid-api-key", `SG.${t.urlsafe(22)}.${t.urlsafe(43)}`),
    s("secrets.npm-token", t.checksummed("npm_"), `//registry.example.org/:_authToken=${t.checksummed("npm_")}`),
    s("secrets.pypi-token", pypi, `password = ${pypi}`),
    ((k) => s("secrets.private-key", k, k))(t.privateKey()),
    ((k) => s("secrets.private-key-base64", k, `  tls.key: ${k}`))(Buffer.from(`${t.privateKey()}\n`).toString("base64")),
    ((j) => s("secrets.jwt", j, `headers = {"Authorization": "Bearer ${j}"}`))(t.jwt()),
    ((p) => s("secrets.connection-string", p, `DATABASE_URL = "postgresql://admin:${p}@db.internal:5432/prod"`))(`${t.alnum(14)}`),
    ((p) => s("secrets.connection-string-keyvalue", p, `"Default": "Server=db.internal,1433;Database=app;User Id=svc;Password=${p};"`))(`${t.alnum(14)}`),
    ((k) => s("secrets.azure-shared-access-key", k, `IOTHUB = "HostName=hub1.azure-devices.net;SharedAccessKeyName=iothubowner;SharedAccessKey=${k}"`))(`${t.b64(43)}=`),
    ((k) => s("secrets.openai-api-key-legacy", k, `openai.api_key = "${k}"`))(`sk-${t.alnum(45)}aZ9`),
    ((k) => s("secrets.github-installation-token-jwt", k, `GH_TOKEN=${k}`))(`ghs_${t.pick("123456789", 8)}_${t.jwt()}`),
    ((p) => s("secrets.url-password", p, `index-url = https://deploy:${p}@pypi.internal.example/simple`))(`${t.alnum(14)}`),
    ((b) => s("secrets.http-authorization", b, `curl -H "Authorization: Basic ${b}" https://api.internal.example`))(Buffer.from(`svc:${t.alnum(14)}`).toString("base64")),
    ((p) => s("secrets.command-line-password", p, `curl --user deploy:${p} https://api.internal.example`))(`${t.alnum(14)}`),
    ((p) => s("secrets.command-line-password-flag", p, `sshpass -p '${p}' ssh deploy@build.internal.example`))(`${t.alnum(14)}`),
    ((b) => s("secrets.docker-config-auth", b, `{"auths": {"registry.internal.example": {"auth": "${b}"}}}`))(Buffer.from(`ci:${t.alnum(16)}`).toString("base64")),
    ((b) => s("secrets.npmrc-auth", b, `//npm.internal.example/:_auth=${b}`))(Buffer.from(`ci:${t.alnum(16)}`).toString("base64")),
    // A real key: the rule checks the DER structure, which random base64 never has.
    ((k) => s("secrets.private-key-der", k, `private static final String KEY = "${k}";`))(
      (generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ format: "der", type: "pkcs1" }) as Buffer).toString("base64"),
    ),
    ((k) => s("secrets.django-secret-key", k, `KEY = '${k}'`))(`django-insecure-${t.pick("abcdefghijklmnopqrstuvwxyz0123456789!@$^&*-_+", 50)}`),
    ((p) => s("secrets.command-line-password-flag", p, `mongo --host db.internal.example --username app --password ${p}`))(`${t.alnum(14)}`),
    ((k) => s("secrets.putty-private-key", k.slice(0, k.indexOf("Private-MAC")), k))(t.puttyKey()),
    // Symfony's published default, assembled so this file does not hold it.
    ((d) => s("secrets.framework-default-secret", d, `    secret: ${d}`))(["This", "Token", "IsNotSo", "Secret", "ChangeIt"].join("")),
    // Session 17's prefixed kinds, from their own generator (the draws above stay as they were).
    ...((u) => [
      s("secrets.digitalocean-token", `${"do"}p_v1_${u.hex(64)}`),
      s("secrets.docker-hub-token", `${"dckr"}_pat_${u.alnum(27)}`),
      s("secrets.postman-api-key", `${"PMAK"}-${u.hex(24)}-${u.hex(34)}`),
      s("secrets.rubygems-api-key", `${"rubygems"}_${u.hex(48)}`),
      s("secrets.shopify-token", `${"shpat"}_${u.hex(32)}`),
      s("secrets.vault-token", `${"hvs"}.${u.alnum(95)}`),
      s("secrets.pulumi-token", `${"pul"}-${u.hex(40)}`),
      s("secrets.doppler-token", `${"dp.pt"}.${u.alnum(43)}`),
      s("secrets.linear-api-key", `${"lin_api"}_${u.alnum(40)}`),
      s("secrets.perplexity-api-key", `${"pplx"}-${u.alnum(48)}`),
      s("secrets.xai-api-key", `${"xai"}-${u.alnum(80)}`),
      s("secrets.openrouter-api-key", `${"sk-or"}-v1-${u.hex(64)}`),
      s("secrets.heroku-api-key", `${"HRKU"}-AA${u.alnum(58)}`),
      s("secrets.sentry-token", `${"sntryu"}_${u.hex(64)}`),
      s("secrets.newrelic-api-key", `${"NRAK"}-${u.pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 27)}`),
      s("secrets.grafana-token", `${"glsa"}_${u.alnum(32)}_${u.hex(8)}`),
      s("secrets.age-secret-key", `${"AGE-SECRET"}-KEY-1${u.pick("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58)}`),
      s("secrets.atlassian-api-token", `${"ATATT3"}${u.alnum(186)}`),
      s("secrets.supabase-token", `${"sbp"}_${u.hex(40)}`),
      s("secrets.deno-token", `${"ddp"}_${u.alnum(36)}`),
      s("secrets.notion-token", `${"ntn"}_${u.pick("0123456789", 11)}${u.alnum(35)}`),
      s("secrets.square-token", `${"sq0"}atp-${u.alnum(22)}`),
      s("secrets.google-oauth-access-token", `${"ya29"}.${u.alnum(64)}`),
      // Base64 with optional padding, as for Bedrock: not in the separator property.
      ((k) => s("secrets.onepassword-service-token", k, `export OP_SERVICE_ACCOUNT_TOKEN=${k}`))(`${"ops"}_eyJ${u.alnum(260)}`),
      s("secrets.mailchimp-api-key", `${u.hex(32)}-${"us"}14`),
    ])(new TokenFactory(1717)),
    // Session 25, from its own generator: SonarScanner's token property on a command line.
    ...((u) => [((k) => s("secrets.sonarqube-token", k, `mvn sonar:sonar -D${"sonar"}.login=${k}`))(u.hex(40))])(new TokenFactory(2525)),
    // Session 26, from its own generator: a legacy Grafana API key, kubeadm's join token and certificate key.
    ...((u) => [
      ((k) => s("secrets.grafana-api-key", k, `grafana import -t ${k}`))(Buffer.from(JSON.stringify({ k: u.alnum(32), n: "ci", id: 1 })).toString("base64")),
      ((k) => s("secrets.kubeadm-bootstrap-token", k, `kubeadm join 10.0.0.5:6443 --token ${k}`))(
        `${u.pick("abcdefghijklmnopqrstuvwxyz0123456789", 6)}.${u.pick("abcdefghijklmnopqrstuvwxyz0123456789", 16)}`,
      ),
      ((k) => s("secrets.kubeadm-certificate-key", k, `  --control-plane --certificate-key ${k}`))(u.hex(64)),
    ])(new TokenFactory(2626)),
    // Session 27 (the lead), from its own generator: Dynatrace, OpenShift and Tines formats.
    ...((u) => [
      s("secrets.dynatrace-token", `${"dt0"}c01.${u.pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 24)}.${u.pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 64)}`),
      ((k) => s("secrets.openshift-user-token", k, `oc login --token=${k} --server=https://api.example.test:6443`))(`${"sha256"}~${u.urlsafe(41)}7a`),
      s("secrets.tines-webhook", `https://calm-otter-1234.${"tines"}.com/webhook/${u.hex(32)}/${u.hex(32)}`),
    ])(new TokenFactory(2727)),
    // Session 27, from its own generator: a key of a local Ethereum node's account list.
    ...((u) => [((k) => s("secrets.ethereum-node-private-key", k, `Private Key: ${k}`))(`0x${u.hex(64)}`)])(new TokenFactory(2728)),
    // Session 31, from its own generator: Discord, Telegram, Dropbox, npm's legacy UUID tokens and New Relic's other keys.
    ...((u) => [
      s("secrets.discord-webhook", `https://${"discord"}.com/api/webhooks/9${u.pick("0123456789", 17)}/${u.urlsafe(30)}Q7${u.urlsafe(36)}`),
      ((k) => s("secrets.discord-bot-token", k, `DISCORD_TOKEN=${k}`))(
        `${Buffer.from(`1${u.pick("0123456789", 18)}`).toString("base64url")}.${u.urlsafe(6)}.${u.urlsafe(30)}k9${u.urlsafe(6)}`,
      ),
      ((k) => s("secrets.telegram-bot-token", k, `curl https://api.${"telegram"}.org/bot${k}/getMe`))(`7${u.pick("0123456789", 9)}:AA${"Hq"}${u.urlsafe(25)}x7${u.urlsafe(4)}`),
      s("secrets.dropbox-token", `${"sl"}.B${u.urlsafe(130)}7q`),
      ((k) => s("secrets.dropbox-long-lived-token", k, `dropbox_token: ${k}`))(`${u.alnum(5)}3q${u.alnum(4)}${"A".repeat(10)}${u.urlsafe(20)}Kp4${u.urlsafe(20)}`),
      ((k) => s("secrets.npm-legacy-token", k, `//npm.example.test/:_authToken=${k}`))(`${u.hex(8)}-${u.hex(4)}-4${u.hex(3)}-a${u.hex(3)}-${u.hex(12)}`),
      s("secrets.newrelic-key", `${"NRRA"}-${u.hex(42)}`),
      s(
        "secrets.zapier-webhook",
        `https://hooks.${"zapier"}.com/hooks/catch/${u.pick("123456789", 1)}${u.pick("0123456789", 6)}/q${u.pick("0123456789", 1)}${u.pick("abcdefghijklmnopqrstuvwxyz0123456789", 5)}/`,
      ),
    ])(new TokenFactory(3131)),
    // Session 32, from its own generator: Guilded webhooks, Facebook access and app tokens, StackHawk and Mailgun keys.
    ...((u) => [
      s("secrets.guilded-webhook", `https://media.${"guilded"}.gg/webhooks/${u.hex(8)}-${u.hex(4)}-4${u.hex(3)}-9${u.hex(3)}-${u.hex(12)}/${u.alnum(40)}Qz7${u.alnum(43)}`),
      s("secrets.facebook-access-token", `${"EAA"}Rb7${u.alnum(170)}`),
      ((k) => s("secrets.facebook-app-token", k, `curl "https://graph.${"facebook"}.com/v19.0/me?access_token=${k}"`))(`12${u.pick("0123456789", 14)}|${u.hex(30)}a7`),
      s("secrets.stackhawk-api-key", `${"hawk"}.${u.alnum(18)}Q7.${u.alnum(18)}k2`),
      s("secrets.mailgun-api-key", `${"key"}-${u.pick("abcdefghijklmnopqrstuvwxyz0123456789", 30)}z9`),
    ])(new TokenFactory(3232)),
    // Session 33, from its own generator: a JSON Web Key's private member, Mailgun's newer key format.
    ...((u) => [
      ((k) => s("secrets.jwk-private-key", k, `{"${"kty"}":"EC","crv":"P-256","d":"${k}"}`))(`${u.urlsafe(20)}Qk7${u.urlsafe(20)}`),
      ((k) => s("secrets.mailgun-api-key", k, `${"MAILGUN"}_API_KEY=${k}`))(`${u.hex(30)}a7-${u.hex(8)}-${u.hex(8)}`),
    ])(new TokenFactory(3333)),
  ];
}

/** Fixed test passwords are written reversed in the source, so no scanner reads them as credentials. */
export const rev = (s: string): string => [...s].reverse().join("");
