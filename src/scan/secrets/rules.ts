import type { Severity } from "../../core/index.js";
import { registerRules } from "../../core/rules.js";
import { tag } from "../../core/tags.js";
import { hasValidTokenChecksum } from "./checksum.js";
import { hasLongTypedRun, isTrivialSequence, looksHandTyped, shannonEntropy } from "./entropy.js";

/**
 * A provider rule: literal keywords gate an anchored pattern (only text containing a keyword is
 * searched), then an optional validator (format facts, checksums) decides.
 */
export interface SecretRule {
  id: string;
  /** Kind of credential, reported as the finding's `entity`. */
  entity: string;
  title: string;
  severity: Severity;
  /** Case-sensitive literals; the pattern runs only when one occurs. */
  keywords?: readonly string[];
  /** Lower-case literals looked up case-insensitively. */
  ikeywords?: readonly string[];
  /** Global pattern with the `d` flag; group 1 (or `group`) is the secret. */
  pattern: RegExp;
  group?: number;
  /** False when the candidate is not a secret after all (bad structure, placeholder, template). */
  validate?: (secret: string) => boolean;
  /** A severity other than `severity` for some matches (e.g. a JWT without its signature part). */
  severityOf?: (secret: string) => Severity | undefined;
  /** Verifiable integrity check (e.g. CRC-32): true/false is reported in the evidence. */
  checksum?: (secret: string) => boolean;
  /**
   * True when a string the pattern matched is not this rule's format at all (not a judgement that it is
   * a stand-in): the generic rule may still read it (`_auth=CorrectHorseBatteryStaple` is no base64 of
   * `user:password` but still a password under a credential name).
   */
  notMine?: (secret: string) => boolean;
  /**
   * Fixed length and a checksum over the body: a token whose checksum verifies needs no boundary on either
   * side (`ghp_…ghp_…` back to back, `ghp_<36>extra`); the pattern ends in GLUED_E. Without a verified
   * checksum the boundaries still decide (session 18).
   */
  glued?: true;
  help: string;
}

const B = "(?<![A-Za-z0-9_])"; // left boundary: not inside a longer identifier
/** Between two pieces of one value split over string literals: a closing quote, `+` or `.`, an opening quote. */
const JOIN = "(?:[\"'`]\\s{0,8}[+.]?\\s{0,8}[\"'`])?";
const E = "(?![A-Za-z0-9_])"; // right boundary
/** The right boundary, or none (the empty `glued` group marks that): for `glued` rules only. */
const GLUED_E = `(?:${E}|(?<glued>))`;
const re = (source: string, flags = "") => new RegExp(source, `gd${flags}`);

/**
 * Words and shapes that mark documentation examples and templates, not live credentials. A run of five or
 * more `x` ending the value is a tail masked out (`sk-EUk0…6fAxxxxxxx`; session 14); a random body ends so
 * about once in 10^7 values.
 */
export const PLACEHOLDER =
  /[Nn]ot_?[Aa]_?(?:[Rr]eal_?)?(?:[Kk]ey|[Ss]ecret|[Tt]oken|[Pp]assword)|NOT_?A_?(?:REAL_?)?(?:KEY|SECRET|TOKEN|PASSWORD)|EXAMPLE|example|XXXXXXXX|xxxxxxxx|(?<![xX])[xX]{5,}$|•{3}|\.\.\.|#{4}|\*{4}|<[A-Za-z_ -]+>|\$\{|\{\{|your[_-]?(?:api[_-]?)?(?:key|token|secret)|REPLACE|placeholder|RANDOM_?STRING|[Rr]andom_?[Ss]tring|(?:HERE|[a-z]Here)$/;
/**
 * Never reported, even at `low`: the string itself says it is an example or a template (`EXAMPLE`,
 * `notakey`, `not_a_real_token` (session 16: a marker written into a test value),
 * `<your-key>`, `${VAR}`, `REPLACE…`, `…HERE`, `...`) or that something was removed (masks: `xxxx`,
 * `XXXX`, `****`, `####`; gitleaks' own rule tests list `ghp_xxxx…` and `AKIAXXXX…` as false positives).
 */
export const DOC_MARKER =
  /[Nn]ot_?[Aa]_?(?:[Rr]eal_?)?(?:[Kk]ey|[Ss]ecret|[Tt]oken|[Pp]assword)|NOT_?A_?(?:REAL_?)?(?:KEY|SECRET|TOKEN|PASSWORD)|EXAMPLE|example|x{4}|X{4}|•{3}|\.\.\.|#{4}|\*{4}|<[A-Za-z_ -]+>|\$\{|\{\{|your[_-]?(?:api[_-]?)?(?:key|token|secret)|REPLACE|placeholder|RANDOM_?STRING|[Rr]andom_?[Ss]tring|(?:HERE|[a-z]Here)$/;

/**
 * Upper-case words that say a key was edited into an example (`…CYESAMPLEKEY`, `…FAKEKEY`, `…TESTKEY`),
 * anywhere in values of up to 100 characters: in a long random body (a PEM key) a 4-letter word turns up by
 * chance often enough to lose real keys. In a longer value the word counts only as a word of its own, ended
 * by punctuation on one side (`sntrys_eyJFAKE-…`, session 19): chance puts one there 32 times less often.
 */
const docWord = (s: string) => (s.length <= 100 ? /SAMPLE|FAKE|DUMMY|TEST/.test(s) : DOC_WORD_ALONE.test(s));
// Base64's own `+`, `/`, `=` and line breaks are not word ends: a PEM body's `…/TEST…` is chance (session 20: about
// one random RSA key in 18 with `TEST` written into its body was dropped that way).
const DOC_WORD_ALONE = /(?:SAMPLE|FAKE|DUMMY|TEST)[^A-Za-z0-9+/=\s]|[^A-Za-z0-9+/=\s](?:SAMPLE|FAKE|DUMMY|TEST)/;

/** Set while a rule's validator is asked whether a value fails only for its typed body (see asStandIn). */
let standInView = false;

/**
 * Runs `fn` (a rule's validator) with the typed-body tests switched off: only documentation markers
 * and structure still reject. A value that passes this way but failed the real validator is a
 * provider-format stand-in, reported at `low` (session 6 decision, docs/code-secrets.md "scan secrets").
 */
export function asStandIn<T>(fn: () => T): T {
  standInView = true;
  try {
    return fn();
  } finally {
    standInView = false;
  }
}

/**
 * Values that stand for a credential rather than being one (session 12, after the held-out run): escaped
 * or doubled shell and Compose variables (`\\$PASS`, `$$PASS`), `$NAME$` and `%NAME%` substitutions,
 * format holes (`{0}`, `{p}`, `{configuration["Db"]}`, `{CONFIGURE_ME}`), bracketed fill-ins
 * (`[YOUR-PASSWORD]`, `[PASSWORD]`), secret-store references (1Password `op://…`, AWS Secrets Manager
 * ARNs), GitHub's fixed `x-oauth-basic` password, and masks spelt out (`obfuscated`, `redacted`).
 */
const STANDS_FOR =
  /^(?:\\\$|\$\$)[A-Za-z_{(]|^\$[A-Za-z_]\w*\$$|^%[A-Za-z_]\w*%$|^\{(?:\d+|[A-Za-z_][\w.]*(?:\[[^\]]*\])?)\}$|^\[[A-Za-z][\w -]*\]$|^op:\/\/|^arn:aws:secretsmanager:|^x-oauth-basic$|^(?:obfuscated|redacted|masked|removed)$/i;
/**
 * Fill-in words anywhere in a value (`!ChangeMe!`, `PLACEHOLDER`, `dummy_pw`; session 32: `changeit`, already a fill-in
 * of the generic rule's list, in URLs too), an instruction ending it (`insert-password-here`, `root_password_here`), and values that start "your…" (`<YourStrong@Passw0rd>`).
 */
const FILL_IN_WORD = /change_?(?:me|it)|placeholder|configure_?me|dummy|[a-z][_-]here$/i;
/**
 * Keys published in vendors' documentation, the same for every reader: Azurite's storage account key and
 * the Azure Cosmos DB emulator's key (local emulators), and the test-mode secret keys Stripe's API
 * reference prints in its examples (session 15; test mode of a shared documentation account).
 */
const PUBLISHED_KEYS = new Set([
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
  "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==",
  "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
  "sk_test_BQokikJOvBiI2HlWgH4olfQ2",
  // Session 32: the API key of Mailgun's documentation examples (`curl -s --user 'api:key-3ax6…'`).
  "key-3ax6xnjp29jd6fds4gc373sgvjxteol0",
]);
/**
 * More syntaxes that stand for a value kept elsewhere (session 13, from the template and reference list of
 * session 12's held-out review, checked on every seen set): command substitution `$(…)`, PowerShell
 * `$env:NAME`, `#{…}` interpolation (Ruby, Spring, Octopus `#{Name}`), build-filter tokens `@NAME@` /
 * `@@NAME@@` and `__NAME__` (Maven and Gradle resource filtering, release-pipeline token replacement),
 * subscript lookups (`ENV['X']`, `config['db']['password']`, `os.environ['X']`), `process.env.X`,
 * a settings constant (`settings.DB_PASSWORD`), and secret-store references (`vault:path#key`, session 32: a path or
 * a `#` selector after `vault:`, as bank-vaults writes them; `ref+vault://…`,
 * `secretsmanager:…`, `ssm:…`). Token names must be one case with `_`, so `@Secr3t@` stays a password.
 * After the session-13 held-out run: Jasypt's `ENC(…)`, ciphertext that only the application's master
 * password opens (a CredSweeper negative too). After the session-14 held-out run: Spring Cloud Config's
 * `{cipher}…` ciphertext, and a named bind parameter as the whole value (`password=:param`). Session 32: a
 * configuration loader's substitution as the whole value, `{env:NAME}` / `{file:path}` (opencode's config files).
 */
const REFERENCE =
  /^\{cipher\}[A-Za-z0-9+/=]{8,}$|^:[A-Za-z_]\w*$|^ENC\([A-Za-z0-9+/=]{8,}\)$|^\$\(|^\$env:\w|#\{[^}\s]*\}|^@@?(?:[A-Z][A-Z0-9_.]*|[a-z][a-z0-9_.]*)@@?$|^__(?:[A-Z][A-Z0-9_]*|[a-z][a-z0-9_]*)__$|^[A-Za-z_][\w.]*\[\s*["'][^"']*["']\s*\]|^process\.env\.|^(?:[a-z_]\w*\.)+[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$|^(?:ref\+[a-z0-9]+|secretsmanager|ssm):|^vault:\S*[/#]|^\{(?:env|file):[^{}\s]+\}$/;
/**
 * Session 14 (from seen sets' false positives): the name of a variable or setting written where its value
 * belongs — one upper-case identifier holding a credential word after a prefix (`DBPASSWORD`,
 * `MYSQL_ROOT_PASSWORD`, `APP_SECRET_KEY`, `GITHUB_TOKEN`; `password=DBPASSWORD` in a JDBC URL). A bare
 * `PASSWORD` is the FILL_IN word of the generic rule; mixed case or digits inside (`PaSSWORD1`) stay values.
 */
const VARIABLE_NAME = /^[A-Z][A-Z0-9]*_?(?:PASSWORD|PASSWD|PASSPHRASE|PWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?)S?(?:_[A-Z0-9]+)*$/;
/**
 * Fill-ins in other languages (session 14): a possessive and a credential word, in English, German, French,
 * Spanish, Italian, Portuguese, Dutch, Polish and the Nordic languages (`votre_mot_de_passe`,
 * `dein-Passwort`, `tu_contraseña`, `sua-senha`, `uw_wachtwoord`, `<ihr-token>`), anywhere in a short value.
 */
const FOREIGN_FILL_IN =
  /(?:^|[^a-z])(?:your|votre|ton|dein|deine|ihr|ihre|tu|su|tuo|tua|seu|sua|uw|je|twoje|din|ditt)[_ -]?(?:password|passwort|kennwort|mot[_ -]?de[_ -]?passe|mdp|contrase(?:ñ|n)a|clave|senha|parola[_ -]?d[ie][_ -]?ordine|wachtwoord|has(?:ł|l)o|l(?:ö|o)senord|passord|adgangskode|salasana|token|secret|geheimnis|schl(?:ü|ue?)ssel|cl(?:é|e)|chiave|chave|sleutel|klucz|nyckel|n(?:ø|o)kkel|api[_ -]?key)/i;
export const standsFor = (s: string): boolean =>
  STANDS_FOR.test(s) ||
  REFERENCE.test(s) ||
  (s.length <= 64 && (FILL_IN_WORD.test(s) || /^<?[Yy]our(?:[A-Z]|[_-])/.test(s) || FOREIGN_FILL_IN.test(s) || VARIABLE_NAME.test(s))) ||
  PUBLISHED_KEYS.has(s);

/**
 * False for documentation stand-ins: placeholder words, and bodies typed by hand rather than
 * generated (`abc123xyz…`, `1234567890…`, `aaaa…`, `123123…`; see looksHandTyped). The body is the
 * value without a leading lower-case prefix such as `sk-` or `xoxp-`.
 */
export const notPlaceholder = (s: string) => {
  if (standsFor(s)) return false;
  if (standInView) return !DOC_MARKER.test(s) && !docWord(s);
  if (PLACEHOLDER.test(s) || docWord(s)) return false;
  const body = s.replace(/^[a-z]+[_-]/i, "");
  return !/^(.)\1+$/.test(body) && !looksHandTyped(body) && !hasLongTypedRun(body);
};

/**
 * A `$` value is a variable when it is shaped like one: `${X}`, `$(cmd)`, `$UPPER_CASE`, `$lower_case`.
 * `$ecretPassw0rd` (mixed case after the `$`) is a password that starts with a dollar sign.
 */
export const VARIABLE_VALUE = /^\$(?:\{[^}]*\}|\([^)]*\)|[A-Z_][A-Z0-9_]*|[a-z_][a-z0-9_]*)$/;

/**
 * A variable's name in place of the value (`KEYCHAIN_PASSWORD: 'LOCAL_KEYCHAIN_PASS'`, session 25; in a URL,
 * `https://token:MY_GITHUB_TOKEN@github.com`, session 33): upper-case words joined by underscores, the last naming a
 * credential. A typed password is not written so.
 */
export const VARIABLE_NAME_VALUE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_(?:PASS|PASSWD|PASSWORD|PASSPHRASE|PWD|PW|SECRET|TOKEN|KEY|CREDENTIALS?)$/;

const TEMPLATE_PASSWORD = /^(?:\$\{[A-Za-z_][\w]*\}|\{\{.*\}\}|%\(.*\)s|<[^>]*>|\*+|•+|x+|\.+|pass(?:word)?|pwd|secret|changeme|password123|user|username|:?\w*_PASSWORD\w*)$/i;

/**
 * A PowerShell literal handed to `ConvertTo-SecureString -AsPlainText` (session 30): not a variable or a
 * subexpression (`$pw`, `"$(Password)"`, `$($key)` expand in double quotes), an ARM expression (`[parameters(…)]`),
 * a template or a fill-in, nor one character repeated (`"666666"`), nor a pattern (`".*"` in a scanner's rule file).
 */
function plainTextPassword(s: string): boolean {
  return /[A-Za-z0-9]{2}/.test(s) && !/^\$[\w({]|^\[|[{}<>]/.test(s) && !TEMPLATE_PASSWORD.test(s) && !URL_PLACEHOLDER.test(s) && !PLACEHOLDER.test(s) && !/^(.)\1+$/.test(s);
}

/**
 * A JWT's header and claims are base64url JSON objects. Only the shape is checked (the header opens
 * with `{"` and names `alg` or `typ`, the claims open with `{`), not full JSON: tokens cut or mangled
 * in logs and docs still carry usable claims.
 */
function jwtShaped(raw: string): boolean {
  const token = jwtJoined(raw);
  const [header, payload, signature] = token.split(".");
  const h = Buffer.from(header ?? "", "base64url").toString("latin1");
  const p = Buffer.from(payload ?? "", "base64url").toString("latin1");
  // Empty claims (`e30`, base64url of `{}`; session 32) disclose nothing: such a token counts only when it is signed.
  if (payload === "e30" && (signature ?? "").replace(/=+$/, "").length < 16) return false;
  return /^\s*\{\s*"/.test(h) && /"(?:alg|typ)"/.test(h) && jsonObject(p) && notPlaceholder(token.replace(/^eyJ[^.]*\./, ""));
}

/**
 * The first three characters of base64 of a number whose first digit is 1–9 and next two are digits (`MTE`, `ODY`,
 * `NzQ`, …): the first byte picks `M`, `N` or `O` and the second character, the second byte the third character.
 */
const DISCORD_ID_STARTS: readonly string[] = [..."123456789"]
  .flatMap((a) => [..."0123456789"].map((b) => Buffer.from(`${a}${b}0`).toString("base64").slice(0, 3)))
  .filter((k, i, all) => all.indexOf(k) === i);

/** A Discord bot token's first part: the bot's user id (a snowflake of 17 to 20 digits) in base64. */
function discordUserId(part: string): boolean {
  return /^[1-9]\d{16,19}$/.test(Buffer.from(part, "base64url").toString("latin1"));
}

/** The claims of a JWT are one JSON object: a payload cut or corrupted is no token (session 18). */
function jsonObject(text: string): boolean {
  if (!/^\s*\{/.test(text)) return false;
  try {
    const v: unknown = JSON.parse(Buffer.from(text, "latin1").toString("utf8"));
    return typeof v === "object" && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}

/** A JWT written as string pieces joined in code (`"eyJ….eyJ…" + ".sig"`, over lines): the pieces joined. */
const jwtJoined = (raw: string): string => raw.replace(/["'`]\s*[+.]?\s*["'`]/g, "");

/**
 * A JWT without its signature part (`header.payload`): cut where it was pasted, or signed elsewhere.
 * It discloses the claims and becomes the bearer token once the signature is added, so it is reported,
 * at `low`. An unsecured JWT (`header.payload.`, RFC 7519 §6) is complete and keeps the rule's severity.
 */
const jwtSeverity = (raw: string): Severity | undefined => (jwtJoined(raw).split(".").length === 2 ? "low" : undefined);

/**
 * An unencrypted PEM body is DER (it opens with a SEQUENCE, byte 0x30: PKCS#1, PKCS#8, SEC1, and the
 * encrypted PKCS#8 wrapper) or an OpenSSH key ("openssh-key-v1"). Base64 of anything else (a typed
 * alphabet, prose) is a stand-in. Encrypted legacy PEM and PGP armour are not checked.
 */
function keyStructure(body: string): boolean {
  if (body.startsWith("b3BlbnNzaC1rZXktdjE")) return true;
  return Buffer.from(body.slice(0, 8), "base64")[0] === 0x30;
}

/**
 * One DER element (tag, start of its content, end) at `at`, or undefined when the length runs past the
 * bytes or is not a definite length of at most 3 bytes (a key is never longer than 16 MiB).
 */
function derElement(d: Buffer, at: number): { tag: number; start: number; end: number } | undefined {
  if (at + 2 > d.length) return undefined;
  const tag = d[at]!;
  let len = d[at + 1]!;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 3 || start + n > d.length) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + d[start + i]!;
    start += n;
  }
  return start + len <= d.length ? { tag, start, end: start + len } : undefined;
}

/**
 * Base64 of a whole private key without its PEM armour (session 13): a string in code or configuration
 * such as `"MIIEvQIBADANBg…"`. It must decode to exactly one DER SEQUENCE that is a private key by
 * structure: a small version INTEGER (0–3) followed by either a large INTEGER (PKCS#1 RSA, OpenSSL DSA:
 * the modulus or prime), an AlgorithmIdentifier SEQUENCE and an OCTET STRING (PKCS#8), or an OCTET STRING
 * (SEC1 EC keys, version 1). Public keys (SubjectPublicKeyInfo opens with a SEQUENCE, a PKCS#1 public key
 * with the modulus), certificates and CSRs (a SEQUENCE first) have no version there and are not keys. An
 * OpenSSH private key body decodes to "openssh-key-v1\0". A PEM body line (64 characters) decodes to the
 * start of a longer SEQUENCE and fails the length test: the armoured block is the other rule's.
 */
export function derPrivateKey(b64: string): boolean {
  const d = Buffer.from(b64, "base64");
  if (b64.startsWith("b3BlbnNzaC1rZXktdjE")) return d.length >= 100 && d.subarray(0, 15).toString("latin1") === "openssh-key-v1\0";
  const outer = derElement(d, 0);
  if (outer?.tag !== 0x30 || outer.end !== d.length) return false;
  const version = derElement(d, outer.start);
  if (version?.tag !== 0x02 || version.end - version.start !== 1 || d[version.start]! > 3) return false;
  const next = derElement(d, version.end);
  if (!next || next.end > outer.end) return false;
  if (next.tag === 0x02) return next.end - next.start >= 64 && derElement(d, next.end)?.tag === 0x02;
  if (next.tag === 0x30) return derElement(d, next.end)?.tag === 0x04;
  return next.tag === 0x04 && d[version.start] === 1 && next.end - next.start >= 16;
}

/**
 * A PEM private key block as matched by `secrets.private-key`. Armour headers (`Proc-Type: 4,ENCRYPTED`,
 * `DEK-Info: …`, PGP `Version:`/`Comment:`) go first, line by line (taking them out after the blanks
 * were removed also took the body: every encrypted legacy PEM was missed before session 6). Then
 * pieces of a key split over string literals (`"…\n" +` / `'…' .` / backquotes) are joined again.
 */
function pemPrivateKey(s: string): boolean {
  return pemKeyBody(s) || (s.includes("\n") && pemKeyBody(unprefixed(s)));
}

/**
 * A key block whose every line carries a prefix: a log line's time stamp and level
 * (`2024-01-01 12:00:00 INFO MIIE…`), a comment or quote marker (`# `, `// `, `> `), or a diff's `+`.
 * Each body line is read as its last blank-separated word; a one-character marker glued to every
 * line (a diff's `+`) is taken off too. The armour line at the end is read from `-----END` on.
 */
function unprefixed(s: string): string {
  const lines = s.split("\n");
  const last = lines.pop()!;
  let body = lines.slice(1).map((l) => l.trim().split(/\s+/).pop() ?? "");
  const mark = body[0]?.[0];
  if (body.length >= 2 && mark && /[+>|#-]/.test(mark) && body.every((l) => l.startsWith(mark))) body = body.map((l) => l.slice(1));
  return [lines[0]!, ...body, last.slice(Math.max(0, last.indexOf("-----END")))].join("\n");
}

function pemKeyBody(s: string): boolean {
  const unheaded = s.replace(/(?:^|\\n|\n)[ \t"'`]*(?:Proc-Type|DEK-Info|Comment|Version|Hash|Charset):[^\n\\]*/g, "\n");
  // Escapes of any depth (`\n`, `\\n` in a string written into a string) and line continuations (a
  // trailing `\`) are the wrapper's, never the body's: base64 has no backslash (session 16).
  const body = unheaded.replace(/-----[A-Z0-9 ]+-----/g, "").replace(/\\+[rn]?|["'`]\s*[+.]?\s*["'`]|[\s"'`,]/g, "");
  return body.length >= 32 && notPlaceholder(body) && /^[A-Za-z0-9+/=:.-]+$/.test(body) && (/Proc-Type|BLOCK-----/.test(s) || keyStructure(body));
}

/**
 * Base64 of a PEM file: it must decode to a private-key armour line, then (after optional headers) a
 * body judged like a PEM body. A certificate or public key (`-----BEGIN CERTIFICATE-----`) is not one.
 * The value may be only the first line of a wrapped base64 file, so the body may be cut short.
 */
function base64PemPrivateKey(s: string): boolean {
  const pem = Buffer.from(s, "base64").toString("latin1");
  const m = /^-----BEGIN[ A-Z0-9]{0,20}PRIVATE KEY(?: BLOCK)?-----\r?\n((?:[A-Za-z-]+:[^\n]*\n)*)\s*([A-Za-z0-9+/=\r\n]{16,})/.exec(pem);
  if (!m) return false;
  const body = m[2]!.replace(/\s/g, "");
  return notPlaceholder(body) && (/Proc-Type|BLOCK-----/.test(pem.slice(0, 80) + m[1]) || keyStructure(body));
}

/**
 * Slack tokens: the numeric team/user/bot ids must not be typed stand-ins (`1234-1234-1234`, the same
 * id twice) and the random part after them must not be a placeholder. Ids are checked only for
 * trivial runs: real ids are not random enough for the hand-typed test.
 */
function slackToken(token: string): boolean {
  if ((standInView ? DOC_MARKER : PLACEHOLDER).test(token)) return false;
  const parts = token.split("-").slice(1);
  const ids = parts.filter((g) => /^\d+$/.test(g));
  const rest = parts.filter((g) => !/^\d+$/.test(g)).join("");
  if (!standInView && (ids.some((g) => g.length > 2 && isTrivialSequence(g)) || new Set(ids).size !== ids.length)) return false;
  // All-numeric tokens exist (legacy and Slack's own docs); a trailing "-" means the random part is
  // missing (`xoxp-<id>-<id>-<id>-###…` is ids followed by a stand-in).
  if (token.endsWith("-")) return false;
  return rest.length === 0 || notPlaceholder(rest);
}

/** Words written as the password of an example URL (`https://foo:bar@host`). */
/**
 * Fill-ins in a URL's password place. Session 16 (the seen sets disagreed: secretlint calls `mypassword` a
 * placeholder, trufflehog's tests a password): a possessive or article and the credential word
 * (`mypassword`, `some_secret`, `the-token`) is a fill-in, in a URL as after `password=` (where it already
 * was one); with anything more (`mypass123`) or a short form (`somepass`, sonar-text's positive) it is a
 * typed password.
 */
const URL_PLACEHOLDER =
  /^(?:foo|bar|baz|qux|guest|anonymous|pass|passwd|pw|pwd|token|secret|key|apikey|api_key|password\d?|user\d?|test|example)$|^(?:my|some|the|a|your|our)[_-]?(?:password|passwd|secret|token|key|api_?key)$/i;

/** The password of a base64 `user:password` pair (Basic credentials, Docker `auth`), or undefined when it is not one. */
function basicPassword(value: string): string | undefined {
  const plain = Buffer.from(value, "base64").toString("latin1");
  if (!/^[\x20-\x7e]+$/.test(plain) || plain.indexOf(":") < 1) return undefined;
  return plain.slice(plain.indexOf(":") + 1);
}

/**
 * A Basic credential is base64 of `user:password`: judged by its password. Anything else (a Bearer
 * token) must look generated: two character classes, not typed by hand, not a placeholder.
 */
function authorizationValue(value: string): boolean {
  if (!notPlaceholder(value)) return false;
  const plain = Buffer.from(value, "base64").toString("latin1");
  // Base64 of a JSON object alone (`eyJ0eXAiOiJKV1QifQ`, a JWT header without its claims or signature)
  // carries no secret (session 17, after the held-out run).
  if (/^\{"[\x20-\x7e]*\}$/.test(plain)) return false;
  if (/^[\x20-\x7e]+$/.test(plain) && plain.includes(":")) {
    const password = plain.slice(plain.indexOf(":") + 1);
    return password.length >= 3 && !TEMPLATE_PASSWORD.test(password) && !URL_PLACEHOLDER.test(password) && !VARIABLE_VALUE.test(password) && notPlaceholder(password);
  }
  // Capitalised words run together (`Bearer InvalidAuthToken`, session 13 after the held-out run) name a
  // token in a test; a generated one is not made of words.
  if (/^(?:[A-Z][a-z]{2,}){2,}$/.test(value)) return false;
  return value.length >= 16 && [/[a-z]/, /[A-Z]/, /[0-9]/].filter((r) => r.test(value)).length >= 2;
}

/**
 * The credential after a vendor's own Authorization scheme: a word read as a scheme may be any word, so
 * only a value drawn at random counts (digits and letters, not typed, dense), not prose or a name.
 */
function customAuthorizationValue(value: string): boolean {
  return notPlaceholder(value) && /\d/.test(value) && /[A-Za-z]/.test(value) && !looksHandTyped(value) && shannonEntropy(value) >= 3.3;
}

const github = (prefix: string, entity: string, title: string): SecretRule => ({
  id: `secrets.${entity}`,
  entity,
  title,
  severity: "critical",
  keywords: [`${prefix}_`],
  pattern: re(`${B}(${prefix}_[A-Za-z0-9]{36})${GLUED_E}`),
  validate: notPlaceholder,
  checksum: (s) => hasValidTokenChecksum(s, prefix.length + 1),
  glued: true,
  help: "Revoke the token in GitHub settings (or via the credential revocation API), then load it from a secret store or environment variable.",
});

/** The `k` of a legacy Grafana API key (`{"k":"…","n":"…","id":1}` in base64), or undefined when it is not one. */
function grafanaKeyBody(b64: string): string | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(b64, "base64").toString("utf8"));
    if (typeof v !== "object" || v === null) return undefined;
    const { k, n, id } = v as Record<string, unknown>;
    return typeof k === "string" && /^[A-Za-z0-9]{32}$/.test(k) && typeof n === "string" && typeof id === "number" ? k : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Provider tokens whose fixed prefix is their proof (session 17; shapes as in gitleaks' default rules and the
 * vendors' docs): `[entity, title, prefix keywords (`|` between), pattern of the whole token, where to revoke it]`.
 */
const PREFIXED: ReadonlyArray<[string, string, string, string, string]> = [
  ["digitalocean-token", "DigitalOcean token", "dop_v1_|doo_v1_|dor_v1_", "do[opr]_v1_[a-f0-9]{64}", "DigitalOcean (API > Tokens)"],
  ["docker-hub-token", "Docker Hub access token", "dckr_pat_|dckr_oat_", "dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,36}", "Docker Hub (Account settings > Personal access tokens)"],
  ["postman-api-key", "Postman API key", "PMAK-", "PMAK-[a-fA-F0-9]{24}-[a-fA-F0-9]{34}", "Postman (Settings > API keys)"],
  ["rubygems-api-key", "RubyGems API key", "rubygems_", "rubygems_[a-f0-9]{48}", "rubygems.org (Settings > API keys)"],
  ["shopify-token", "Shopify access token", "shpat_|shpca_|shppa_|shpss_", "shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}", "the Shopify admin (Apps > Develop apps)"],
  ["vault-token", "HashiCorp Vault token", "hvs.|hvb.", "hv[sb]\\.[\\w-]{90,300}", "Vault (`vault token revoke`)"],
  ["pulumi-token", "Pulumi access token", "pul-", "pul-[a-f0-9]{40}", "Pulumi Cloud (Personal access tokens)"],
  ["doppler-token", "Doppler token", "dp.pt.|dp.st.|dp.sa.|dp.ct.|dp.scim.|dp.audit.", "dp\\.(?:pt|st|sa|ct|scim|audit)\\.[A-Za-z0-9]{40,44}", "Doppler (Tokens)"],
  ["linear-api-key", "Linear API key", "lin_api_", "lin_api_[A-Za-z0-9]{40}", "Linear (Settings > API)"],
  ["perplexity-api-key", "Perplexity API key", "pplx-", "pplx-[A-Za-z0-9]{48}", "Perplexity (API settings)"],
  ["xai-api-key", "xAI API key", "xai-", "xai-[A-Za-z0-9_]{80}", "the xAI console (API keys)"],
  ["openrouter-api-key", "OpenRouter API key", "sk-or-", "sk-or-v1-[a-f0-9]{64}", "OpenRouter (Keys)"],
  ["heroku-api-key", "Heroku API key", "HRKU-", "HRKU-AA[A-Za-z0-9_-]{58}", "Heroku (`heroku authorizations:revoke`)"],
  ["sentry-token", "Sentry auth token", "sntryu_|sntrys_", "(?:sntryu_[a-f0-9]{64}|sntrys_eyJ[A-Za-z0-9+/-]{20,}={0,2}_?[A-Za-z0-9+/_-]{20,})", "Sentry (Settings > Auth tokens)"],
  ["newrelic-api-key", "New Relic user API key", "NRAK-", "NRAK-[A-Z0-9]{27}", "New Relic (API keys)"],
  // Session 31: New Relic's other key kinds, by their documented prefixes: REST API keys (`NRRA-`, 42 hex), admin keys
  // (`NRAA-`, 27 hex), Insights insert and query keys (`NRII-`, `NRIQ-`, 32) and private-location keys of synthetic
  // monitors (`NRSP-`, a region, two digits, 31 hex).
  [
    "newrelic-key",
    "New Relic API key",
    "NRRA-|NRAA-|NRII-|NRIQ-|NRSP-",
    "(?:NRRA-[a-f0-9]{42}|NRAA-[a-f0-9]{27}|NRI[IQ]-[A-Za-z0-9_-]{32}|NRSP-[a-z]{2}[0-9]{2}[a-fA-F0-9]{31})",
    "New Relic (API keys)",
  ],
  ["grafana-token", "Grafana token", "glsa_|glc_", "(?:glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|glc_[A-Za-z0-9+/]{32,400}={0,2})", "Grafana (Service accounts / Cloud access policies)"],
  [
    "age-secret-key",
    "age secret key",
    "AGE-SECRET-KEY-1",
    "AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}",
    "every file encrypted to it (generate a new key with `age-keygen`)",
  ],
  ["atlassian-api-token", "Atlassian API token", "ATATT3", "ATATT3[A-Za-z0-9_=-]{186}", "Atlassian (Account > Security > API tokens)"],
  ["supabase-token", "Supabase token", "sbp_|sb_secret_", "(?:sbp_[a-f0-9]{40}|sb_secret_[A-Za-z0-9_-]{31,})", "Supabase (Account > Access tokens / Project API keys)"],
  ["deno-token", "Deno Deploy token", "ddp_|ddw_", "dd[pw]_[A-Za-z0-9]{36}", "Deno Deploy (Account settings > Access tokens)"],
  ["notion-token", "Notion integration token", "ntn_", "ntn_[0-9]{11}[A-Za-z0-9]{35}", "Notion (My integrations)"],
  // Session 22: Google OAuth access tokens (a Mailchimp rule keyed on `-us` was tried: about 7 % more CPU on real code).
  ["google-oauth-access-token", "Google OAuth access token", "ya29.", "ya29\\.[0-9A-Za-z_-]{30,}", "the Google account's security settings (third-party access)"],
  ["square-token", "Square access token", "sq0atp-|sq0csp-|sq0atb-|sq0csb-", "(?:sandbox-)?sq0(?:atp|csp|atb|csb)-[\\w-]{22,43}", "the Square developer dashboard"],
  ["onepassword-service-token", "1Password service account token", "ops_eyJ", "ops_eyJ[A-Za-z0-9+/_-]{250,}={0,3}", "1Password (Developer > Service accounts)"],
];

const prefixed = ([entity, title, keyword, body, where]: (typeof PREFIXED)[number]): SecretRule => ({
  id: `secrets.${entity}`,
  entity,
  title,
  severity: "high",
  keywords: keyword.split("|"),
  pattern: re(`(?<![A-Za-z0-9_.-])(${body})(?![A-Za-z0-9_-])`),
  validate: notPlaceholder,
  help: `Revoke the token in ${where} and load its replacement from a secret store or the environment.`,
});

export const SECRET_RULES: readonly SecretRule[] = [
  ...PREFIXED.map(prefixed),
  {
    id: "secrets.square-token",
    entity: "square-token",
    title: "Square access token",
    severity: "high",
    // Square's current access tokens: `EAAA` and 60 characters of the URL-safe alphabet (session 22; the
    // `sq0atp-` form above is the older one). `EAAA` also opens runs inside base64 data, so the token must
    // stand alone: no base64 character (`+`, `/`) before it, none (nor `=`) after it, and exactly 64 long,
    // which leaves out Facebook's longer `EAAA…` tokens and key bodies (whose lines mostly hold `+` or `/`).
    keywords: ["EAAA"],
    pattern: re("(?<![A-Za-z0-9+/_.-])(EAAA[A-Za-z0-9_-]{60})(?![A-Za-z0-9+/=_-])"),
    validate: (s) => /[a-z]/.test(s.slice(4)) && /[A-Z]/.test(s.slice(4)) && /\d/.test(s) && shannonEntropy(s) >= 4 && notPlaceholder(s),
    help: "Revoke the token in the Square developer dashboard and load its replacement from a secret store or the environment.",
  },
  {
    id: "secrets.mailchimp-api-key",
    entity: "mailchimp-api-key",
    title: "Mailchimp API key",
    severity: "high",
    // 32 hex digits and the data centre (`…-us21`). The pattern opens with the literal `-us`, so the engine jumps
    // from one `-us` to the next and reads the hex behind it only there: session 22's form, which opened with the
    // hex, read every `-use`/`-user` text in full and cost about 7 % of the detector's CPU (session 23).
    keywords: ["-us"],
    pattern: re("-us[0-9]{1,2}(?<=(?<![A-Za-z0-9_.-])([0-9a-f]{32}-us[0-9]{1,2}))(?![A-Za-z0-9_-])"),
    validate: (s) => /[a-f]/.test(s) && /[0-9]/.test(s.slice(0, 32)) && shannonEntropy(s.slice(0, 32)) >= 3 && notPlaceholder(s),
    help: "Revoke the key in Mailchimp (Account > Extras > API keys) and load its replacement from a secret store or the environment.",
  },
  {
    id: "secrets.aws-access-key-id",
    entity: "aws-access-key-id",
    title: "AWS access key id",
    severity: "high",
    keywords: ["AKIA", "ASIA", "ABIA", "ACCA", "A3T"],
    pattern: re("(?<![A-Z0-9])((?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16})(?![A-Z0-9])"),
    validate: notPlaceholder,
    help: "Deactivate the key in IAM, rotate it, and use an instance role, SSO or a secret manager instead.",
  },
  {
    id: "secrets.aws-secret-access-key",
    entity: "aws-secret-access-key",
    title: "AWS secret access key",
    severity: "critical",
    ikeywords: ["secret_access_key", "secretaccesskey", "aws_secret", "secret-access-key"],
    pattern: re("(?:aws)?[_.-]?secret[_.-]?(?:access[_.-]?)?key[\"']?\\s*(?:=|:|=>)\\s*[\"']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])", "i"),
    validate: (s) => notPlaceholder(s) && /[0-9]/.test(s) && /[A-Z]/.test(s) && /[a-z]/.test(s),
    help: "Deactivate the key pair in IAM and rotate it; never commit AWS credentials.",
  },
  {
    id: "secrets.aws-bedrock-api-key",
    entity: "aws-bedrock-api-key",
    title: "Amazon Bedrock API key",
    severity: "critical",
    keywords: ["ABSKQmVkcm9ja0FQSUtleS", "bedrock-api-key-"],
    // Long-lived: "ABSK" + base64("BedrockAPIKey-" + id + ":" + secret). Short-lived: "bedrock-api-key-"
    // + base64 of a presigned URL on bedrock.amazonaws.com (AWS Bedrock user guide, "API keys").
    pattern: re(`${B}(ABSKQmVkcm9ja0FQSUtleS[A-Za-z0-9+/]{80,300}={0,2}|bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/=%_-]{20,})(?![A-Za-z0-9+/=])`),
    validate: notPlaceholder,
    help: "Revoke the key in the Bedrock console (API keys) or delete the IAM service-specific credential, and use short-lived credentials from an IAM role.",
  },
  {
    id: "secrets.gcp-api-key",
    entity: "gcp-api-key",
    title: "Google Cloud API key",
    severity: "high",
    keywords: ["AIza"],
    pattern: re(`${B}(AIza[A-Za-z0-9_-]{35})(?![A-Za-z0-9_-])`),
    validate: notPlaceholder,
    help: "Delete or restrict the key in the Google Cloud console (APIs & Services > Credentials) and issue a new one.",
  },
  {
    id: "secrets.gcp-oauth-client-secret",
    entity: "gcp-oauth-client-secret",
    title: "Google OAuth client secret",
    severity: "high",
    keywords: ["GOCSPX-"],
    pattern: re(`${B}(GOCSPX-[A-Za-z0-9_-]{28})(?![A-Za-z0-9_-])`),
    validate: notPlaceholder,
    help: "Reset the client secret in the Google Cloud console.",
  },
  {
    id: "secrets.azure-storage-account-key",
    entity: "azure-storage-account-key",
    title: "Azure storage account key",
    severity: "critical",
    // A 64-byte key (86 base64 characters and "==") named as an account or storage key anywhere on
    // the line: `AccountKey=` in connection strings, `account_key:` in YAML, `"accountKey":` in JSON,
    // `<account_key>` in XML, `-storagekey` on command lines, `fs.azure.account.key.<acct>…=` in Spark.
    ikeywords: ["accountkey", "account_key", "account-key", "account.key", "storagekey", "storage_key", "storage-key"],
    pattern: re("(?:account|storage)[_.-]?key[^\\n]{0,80}?(?<![A-Za-z0-9+/])([A-Za-z0-9+/]{86}==)(?![A-Za-z0-9+/=])", "i"),
    validate: notPlaceholder,
    help: "Rotate the storage account key in the Azure portal and use managed identities or SAS with short expiry.",
  },
  {
    id: "secrets.azure-shared-access-key",
    entity: "azure-shared-access-key",
    title: "Azure shared access key (IoT Hub, Service Bus, Event Hubs, Relay)",
    severity: "critical",
    // Connection strings `…;SharedAccessKeyName=…;SharedAccessKey=<base64 of 32 bytes>` (IoT Hub hosts
    // and devices, Service Bus, Event Hubs, Relay, Notification Hubs).
    ikeywords: ["sharedaccesskey="],
    pattern: re("SharedAccessKey\\s*=\\s*([A-Za-z0-9+/]{42,86}={0,2})(?![A-Za-z0-9+/=])", "i"),
    validate: (s) => notPlaceholder(s) && /[0-9]/.test(s) && /[A-Z]/.test(s) && /[a-z]/.test(s),
    help: "Regenerate the key of that shared access policy (or device) in the Azure portal and use managed identities or short-lived SAS tokens.",
  },
  {
    id: "secrets.azure-ad-client-secret",
    entity: "azure-ad-client-secret",
    title: "Azure AD (Entra ID) client secret",
    severity: "critical",
    keywords: ["Q~"],
    pattern: re("(?<![A-Za-z0-9_~.-])([A-Za-z0-9_~.]{3}\\dQ~[A-Za-z0-9_~.-]{31,34})(?![A-Za-z0-9_~.-])"),
    validate: notPlaceholder,
    help: "Delete the client secret from the app registration and create a new one (or use a certificate / workload identity).",
  },
  {
    id: "secrets.azure-sas-token",
    entity: "azure-sas-token",
    title: "Azure shared access signature",
    severity: "high",
    keywords: ["sig="],
    pattern: re("\\bsv=\\d{4}-\\d\\d-\\d\\d[^\\s\"'<>]{0,400}?[?&]sig=([A-Za-z0-9%+/]{30,}(?:=|%3D){0,2})"),
    validate: notPlaceholder,
    help: "Revoke the SAS (rotate the signing key or delete the stored access policy) and issue short-lived tokens at runtime.",
  },
  github("ghp", "github-pat", "GitHub personal access token (classic)"),
  github("gho", "github-oauth-token", "GitHub OAuth access token"),
  github("ghu", "github-user-to-server-token", "GitHub App user-to-server token"),
  github("ghs", "github-server-to-server-token", "GitHub App installation (server-to-server) token"),
  github("ghr", "github-refresh-token", "GitHub refresh token"),
  {
    // Refresh tokens of GitHub Apps' user tokens are 76 characters after `ghr_`, not 36 (session 17, after the
    // held-out run); no checksum is published for this length, so the shape is the proof.
    id: "secrets.github-refresh-token",
    entity: "github-refresh-token",
    title: "GitHub refresh token",
    severity: "critical",
    keywords: ["ghr_"],
    pattern: re(`${B}(ghr_[A-Za-z0-9]{76})${E}`),
    validate: notPlaceholder,
    help: "Revoke the token in GitHub settings (or via the credential revocation API), then load it from a secret store or environment variable.",
  },
  {
    id: "secrets.github-installation-token-jwt",
    entity: "github-server-to-server-token",
    title: "GitHub App installation token (stateless, JWT form)",
    severity: "critical",
    keywords: ["ghs_"],
    // GitHub's longer installation tokens: "ghs_" + the installation id + "_" + a signed JWT.
    pattern: re(`${B}(ghs_[0-9]{1,20}_eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{16,})(?![A-Za-z0-9_-])`),
    validate: (s) => jwtShaped(s.slice(s.indexOf("_eyJ") + 1)),
    help: "Installation tokens expire within an hour; revoke it now (DELETE /installation/token) and rotate the App's private key if that leaked too.",
  },
  {
    id: "secrets.github-fine-grained-pat",
    entity: "github-fine-grained-pat",
    title: "GitHub fine-grained personal access token",
    severity: "critical",
    keywords: ["github_pat_"],
    // No left boundary (session 9): the fixed 22 + `_` + 59 structure is the proof, and a token glued to
    // a word (`ourgithub_pat_…`, a paste without a blank) is still the token.
    pattern: re("(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})(?![A-Za-z0-9_])"),
    validate: notPlaceholder,
    help: "Revoke the token in GitHub settings and use a secret store.",
  },
  {
    id: "secrets.gitlab-token",
    entity: "gitlab-token",
    title: "GitLab access token",
    severity: "critical",
    // GitLab's documented prefixes, incl. runner registration (glrtr-), feature-flag client (glffct-)
    // and workspace (glwt-) tokens.
    keywords: ["glpat-", "gldt-", "glrt-", "glrtr-", "glptt-", "glsoat-", "glcbt-", "gloas-", "glimt-", "glft-", "glffct-", "glwt-", "glagent-", "GR1348941"],
    // Kinds with a fixed body length (session 14, the lengths detect-secrets' GitLab plugin and its tests
    // use): pipeline trigger tokens 40 characters, incoming-mail tokens 25, OAuth application secrets 64,
    // agent tokens 50 or more, runner registration (`GR1348941`) and SCIM tokens 20 to 50. A string of
    // another length after those prefixes is not such a token (those tests list them as negatives).
    pattern: re(
      `${B}((?:gl(?:pat|dt|rtr|rt|cbt|ffct|ft|wt)-[A-Za-z0-9_-]{20,}(?:\\.[0-9a-z]{2}\\.[0-9a-z]{7,9})?|glptt-[A-Za-z0-9_-]{40}|glimt-[A-Za-z0-9_-]{25}|gloas-[A-Za-z0-9_-]{64}|glagent-[A-Za-z0-9_-]{50,}|(?:GR1348941|glsoat-)[A-Za-z0-9_-]{20,50}))(?![A-Za-z0-9_-])`,
    ),
    validate: notPlaceholder,
    help: "Revoke the token in GitLab (User/Group/Project settings > Access tokens) and rotate it.",
  },
  {
    id: "secrets.slack-token",
    entity: "slack-token",
    title: "Slack token",
    severity: "high",
    keywords: ["xox", "xapp-"],
    pattern: re(`${B}(xox[abposre]-(?:[0-9]+-)+[A-Za-z0-9-]{10,}|xapp-\\d-[A-Z0-9]+-\\d+-[a-z0-9]+)(?![A-Za-z0-9_-])`),
    validate: slackToken,
    help: "Revoke the token in the Slack app's OAuth settings and reinstall the app.",
  },
  {
    id: "secrets.slack-webhook",
    entity: "slack-webhook",
    title: "Slack incoming webhook URL",
    severity: "medium",
    keywords: ["hooks.slack.com"],
    // Incoming webhooks (services/T…/B…/secret) and workflow/trigger webhooks (workflows/T…/A…/id/secret),
    // with or without the scheme; newer URLs may be one opaque path. Enterprise Grid ids start with `E`.
    pattern: re(
      "((?:https?://)?hooks\\.slack\\.com/(?:services|workflows|triggers)/(?:[TE][A-Z0-9]+/[A-Z0-9]+/(?:\\d{6,}/)?[A-Za-z0-9]{16,}|[A-Za-z0-9+/]{40,64}))(?![A-Za-z0-9+/])",
    ),
    validate: notPlaceholder,
    help: "Regenerate the webhook in the Slack app configuration.",
  },
  {
    id: "secrets.discord-webhook",
    entity: "discord-webhook",
    title: "Discord webhook URL",
    severity: "medium",
    // Session 31: `https://discord.com/api/webhooks/<id>/<token>` (also `discordapp.com`, the `ptb.` and `canary.`
    // clients and a versioned `/api/v10/` path): the id is a snowflake, the token 68 URL-safe characters. Anyone
    // holding the URL posts into the channel as the webhook.
    keywords: ["discord.com/api/", "discordapp.com/api/"],
    pattern: re("((?:https?://)?(?:ptb\\.|canary\\.)?discord(?:app)?\\.com/api/(?:v\\d{1,2}/)?webhooks/\\d{17,20}/[A-Za-z0-9_-]{60,80})(?![A-Za-z0-9_-])"),
    // Not a token spelt in words (`…_there-are-not-the-webhook-you-are-looking-for_…`, a scanner's own look-alike).
    validate: (s) => {
      const token = s.slice(s.lastIndexOf("/") + 1);
      return notPlaceholder(token) && !/(?:[a-z]{2,}[-_]){3}/.test(token);
    },
    help: "Delete the webhook in the channel's settings (Integrations > Webhooks) and create a new one.",
  },
  {
    id: "secrets.zapier-webhook",
    entity: "zapier-webhook",
    title: "Zapier catch-hook URL",
    severity: "medium",
    // Session 31: a Zap's trigger URL, `hooks.zapier.com/hooks/catch/<account id>/<hook id>/`: anyone holding it starts
    // the Zap with data of their choosing. The hook id is a short generated word of letters and digits.
    keywords: ["hooks.zapier.com/"],
    pattern: re("((?:https?://)?hooks\\.zapier\\.com/hooks/catch/\\d{5,12}/[a-z0-9]{5,12}/?)(?![A-Za-z0-9_-])"),
    validate: (s) => {
      const url = s.replace(/\/$/, "");
      const hook = url.slice(url.lastIndexOf("/") + 1);
      return /\d/.test(hook) && /[a-z]/.test(hook) && notPlaceholder(hook);
    },
    help: "Turn the Zap off, delete its webhook trigger and add a new one (a new URL), then update its callers.",
  },
  {
    id: "secrets.guilded-webhook",
    entity: "guilded-webhook",
    title: "Guilded webhook URL",
    severity: "medium",
    // Session 32: Guilded's webhook URLs, `https://media.guilded.gg/webhooks/<uuid>/<token>` (also on `api.` and under
    // `www.guilded.gg/api/`): the UUID names the webhook, the token (about 86 letters and digits) lets anyone post.
    keywords: ["guilded.gg/"],
    pattern: re(
      "((?:https?://)?(?:(?:media|api)\\.guilded\\.gg|www\\.guilded\\.gg/api)/webhooks/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/[A-Za-z0-9_]{60,100})(?![A-Za-z0-9_-])",
    ),
    validate: (s) => {
      const token = s.slice(s.lastIndexOf("/") + 1);
      return /[A-Z]/.test(token) && /[a-z]/.test(token) && /\d/.test(token) && notPlaceholder(token);
    },
    help: "Delete the webhook in the Guilded channel's settings (Webhooks) and create a new one.",
  },
  {
    id: "secrets.facebook-access-token",
    entity: "facebook-access-token",
    title: "Facebook (Meta) access token",
    severity: "high",
    // Session 32: Graph API user, page and system-user access tokens open with `EAA` and run on for 100 to a few hundred
    // letters and digits. The left boundary stays in the pattern (checked before the body is scanned), so `EAA` inside
    // a base64 run costs one test. One `=` may follow (`a=EAA…=b` in a query string); two read as base64 padding.
    keywords: ["EAA"],
    pattern: re("(?:(?<![A-Za-z0-9+/_.-]))(EAA[A-Za-z0-9]{90,1000})(?![A-Za-z0-9+/_-]|==)"),
    validate: (s) => /[A-Z]/.test(s.slice(3)) && /[a-z]/.test(s) && /\d/.test(s) && notPlaceholder(s.slice(3)),
    help: "Invalidate the token (log the user out of the app, or reset the app secret for app-level tokens) in the Meta developer dashboard.",
  },
  {
    id: "secrets.facebook-app-token",
    entity: "facebook-app-token",
    title: "Facebook (Meta) app access token",
    severity: "high",
    // Session 32: an app access token is `<app id>|<app secret>` (15–16 digits, a bar, 32 hex digits) or the
    // `<app id>|<27 characters>` form the Graph API issues. Digits, a bar and hex also make table rows, so the rule
    // runs only in text that names Facebook, and a bar on either side (a row's next cell) rules it out. Also in text
    // that names the Graph API or an app's id/secret pair the way Meta's settings do (`fb_app_id`, `app_secret`;
    // session 33), where the pair is just as specific.
    ikeywords: ["facebook", "graph api", "graph_api", "fb_app", "fb-app", "app_secret", "appsecret"],
    pattern: re("(?<![\\w|])(\\d{15,16}\\|(?:[a-f0-9]{32}|[A-Za-z0-9_-]{27}))(?![\\w|-])"),
    validate: (s) => {
      const secret = s.slice(s.indexOf("|") + 1);
      return (/^[a-f0-9]{32}$/.test(secret) ? /[a-f]/.test(secret) && /\d/.test(secret) : /[A-Z]/.test(secret) && /[a-z]/.test(secret)) && notPlaceholder(secret);
    },
    help: "Reset the app secret in the Meta developer dashboard (Settings > Basic), which invalidates the app token.",
  },
  {
    id: "secrets.stackhawk-api-key",
    entity: "stackhawk-api-key",
    title: "StackHawk API key",
    severity: "high",
    // Session 32: StackHawk's API keys are `hawk.<20>.<20>` (URL-safe letters and digits).
    keywords: ["hawk."],
    pattern: re("(?:(?<![A-Za-z0-9_.-]))(hawk\\.[A-Za-z0-9_-]{20}\\.[A-Za-z0-9_-]{20})(?![A-Za-z0-9_.-])"),
    validate: (s) => {
      const body = s.slice(5).replace(".", "");
      return /[A-Z]/.test(body) && /[a-z]/.test(body) && /\d/.test(body) && notPlaceholder(body);
    },
    help: "Delete the key in StackHawk (Settings > API Keys) and create a new one.",
  },
  {
    id: "secrets.mailgun-api-key",
    entity: "mailgun-api-key",
    title: "Mailgun API key",
    severity: "high",
    // Session 32: Mailgun's private API keys of the older format, `key-` and 32 lower-case letters and digits (the
    // documentation's example key is not reported). Not after another word (`api-key-…`, `ssh-key-…`). A body of hex
    // digits only is also how cache and idempotency keys are written (`key-<md5>`): that one counts only after the word
    // Mailgun earlier on its line (the next rule; LeakTK's tests say the same); a body with a letter past `f` anywhere.
    keywords: ["key-"],
    pattern: re("(?:(?<![A-Za-z0-9_.-]))(key-[0-9a-z]{32})(?![A-Za-z0-9_-])"),
    validate: (s) => /[g-z]/.test(s.slice(4)) && /\d/.test(s) && notPlaceholder(s),
    help: "Rotate the key in Mailgun (API Security) and load the new one from a secret store or the environment.",
  },
  {
    id: "secrets.mailgun-api-key",
    entity: "mailgun-api-key",
    title: "Mailgun API key",
    severity: "high",
    ikeywords: ["mailgun"],
    // The literal first; the line's earlier text is looked at only where `key-` matched.
    pattern: re("(?:(?<![A-Za-z0-9_.-]))(key-(?<=(?:[Mm]ailgun|MAILGUN)[^\\n]{0,100}key-)[0-9a-f]{32})(?![A-Za-z0-9_-])"),
    validate: (s) => /[a-f]/.test(s.slice(4)) && /\d/.test(s) && notPlaceholder(s),
    help: "Rotate the key in Mailgun (API Security) and load the new one from a secret store or the environment.",
  },
  {
    id: "secrets.mailgun-api-key",
    entity: "mailgun-api-key",
    title: "Mailgun API key",
    severity: "high",
    // Session 33: the newer private API keys, 32 hex digits, then two groups of 8 (`<32>-<8>-<8>`, the shape Mailgun
    // issues since it dropped the `key-` prefix); not a UUID's 8-4-4-4-12. Hex groups are common, so only in text that
    // names Mailgun. The boundary comes first: inside a long hex run it fails at once.
    ikeywords: ["mailgun"],
    pattern: re("(?<![A-Za-z0-9_-])([0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8})(?![A-Za-z0-9_-])"),
    validate: (s) => /[a-f]/.test(s) && /\d/.test(s) && notPlaceholder(s) && !/^(.)\1+$/.test(s.slice(0, 32)),
    help: "Rotate the key in Mailgun (API Security) and load the new one from a secret store or the environment.",
  },
  {
    id: "secrets.discord-bot-token",
    entity: "discord-bot-token",
    title: "Discord bot token",
    severity: "high",
    // Session 31: a bot token is `<bot's user id in base64>.<6>.<HMAC: 27 or 38>`. The first part must decode to the
    // id (17 to 20 digits), which few other dotted strings do. Session 32: looked for in every text, not only text that
    // names Discord. Base64 of a number fixes the token's first three characters (DISCORD_ID_STARTS): they are the
    // rule's keywords, and the left boundary stays in the pattern, so a base64 run costs one test per keyword hit.
    keywords: DISCORD_ID_STARTS,
    pattern: re(`(?:${B})([MNO][DTjz][AEIMQUYcgk][w-z0-5][A-Za-z0-9_-]{19,24}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,38})(?![A-Za-z0-9_.-])`),
    validate: (s) => discordUserId(s.slice(0, s.indexOf("."))) && notPlaceholder(s.slice(s.lastIndexOf(".") + 1)),
    // A first part that is no user id is another dotted value (or a made-up example): the generic rule may read it.
    notMine: (s) => !discordUserId(s.slice(0, s.indexOf("."))),
    help: "Reset the bot's token in the Discord developer portal (Bot > Reset Token).",
  },
  {
    id: "secrets.telegram-bot-token",
    entity: "telegram-bot-token",
    title: "Telegram bot token",
    severity: "high",
    // Session 31: BotFather's tokens are `<bot id>:<secret>`, the secret 34–35 URL-safe characters starting `AA`
    // (the Bot API docs' example has 34); in URLs they follow `/bot`. Run only in text that names Telegram: a bare
    // `digits:AA…` is rare, but the short literal would be searched in every file.
    keywords: ["telegram", "Telegram", "TELEGRAM"],
    pattern: re("(?:(?<=/bot)|(?<![A-Za-z0-9_:-]))(\\d{5,16}:AA[A-Za-z0-9_-]{32,33})(?![A-Za-z0-9_-])"),
    validate: (s) => /[a-z]/.test(s) && /[A-Z].*[A-Z]/.test(s.slice(s.indexOf(":") + 3)) && notPlaceholder(s.slice(s.indexOf(":") + 3)),
    help: "Revoke the token with BotFather (/revoke) and load the new one from a secret store or the environment.",
  },
  {
    id: "secrets.dropbox-token",
    entity: "dropbox-token",
    title: "Dropbox access token",
    severity: "high",
    // Session 31: short-lived access tokens, `sl.` (newer ones `sl.u.`) and 130+ URL-safe characters.
    keywords: ["sl."],
    pattern: re("(?<![A-Za-z0-9+/_.-])(sl\\.(?:u\\.)?[A-Za-z0-9_-]{130,1400})(?![A-Za-z0-9+/_-])"),
    validate: (s) => /[A-Z]/.test(s) && /[a-z]/.test(s.slice(3)) && /\d/.test(s) && notPlaceholder(s.replace(/^sl\.(?:u\.)?/, "")),
    help: "Revoke the token in the Dropbox App Console (or call /2/auth/token/revoke) and issue a new one.",
  },
  {
    id: "secrets.dropbox-long-lived-token",
    entity: "dropbox-token",
    title: "Dropbox access token (long-lived)",
    severity: "high",
    // Session 31: the older long-lived tokens, 11 letters or digits, ten `A`s and 43 URL-safe characters.
    // The shape also occurs inside base64 data, so the token must stand alone and the text must name Dropbox.
    keywords: ["dropbox", "Dropbox", "DROPBOX"],
    pattern: re("(?<![A-Za-z0-9+/_.-])([A-Za-z0-9]{11}AAAAAAAAAA[A-Za-z0-9_-]{43})(?![A-Za-z0-9+/=_-])"),
    validate: (s) => notPlaceholder(s.slice(0, 11) + s.slice(21)),
    help: "Revoke the token in the Dropbox App Console (or call /2/auth/token/revoke) and issue a new one.",
  },
  {
    id: "secrets.npm-legacy-token",
    entity: "npm-token",
    title: "npm legacy access token",
    severity: "high",
    // Session 31: npm's tokens before 2021 are bare UUIDs, so only the place says what they are: `.npmrc`'s
    // `_authToken=<uuid>` or a value named npm (`npm: "<uuid>"`, `NPM_TOKEN=<uuid>`, `<npmToken>…`).
    // Letters only, so the literals join the keyword alternation (a `_` start would cost a substring search per file).
    keywords: ["authToken", "npm", "NPM"],
    pattern: re(
      "(?:(?<![A-Za-z0-9])(?:_authToken|npm(?:[_-]?(?:[Aa]uth[_-]?)?[Tt]oken)?|NPM(?:[_-]?(?:AUTH[_-]?)?TOKEN)?)[\"']?[ \\t]{0,4}[:=][ \\t]{0,4}[\"']?|<npm(?:[_-]?[Tt]oken)?>)([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![0-9A-Za-z-])",
    ),
    validate: (s) => !/^[0-]+$/.test(s) && notPlaceholder(s.replace(/-/g, "")),
    help: "Revoke the token with `npm token revoke` and use granular, short-lived tokens in CI.",
  },
  {
    id: "secrets.stripe-key",
    entity: "stripe-secret-key",
    title: "Stripe secret or restricted key",
    severity: "critical",
    keywords: ["sk_live_", "sk_test_", "sk_prod_", "rk_live_", "rk_test_", "rk_prod_", "whsec_"],
    pattern: re(`${B}((?:sk|rk)_(?:live|test|prod)_[A-Za-z0-9]{10,99}|whsec_[A-Za-z0-9]{32,})${E}`),
    validate: notPlaceholder,
    help: "Roll the key in the Stripe dashboard (Developers > API keys); test keys are credentials too.",
  },
  {
    id: "secrets.framework-default-secret",
    entity: "framework-default-secret",
    title: "Published framework default secret",
    severity: "high",
    // Session 9 decision: a secret a framework ships in its skeleton is a finding wherever it is used.
    // Everyone who has read the framework's files knows it, so signed cookies, CSRF tokens and
    // `fragment`/ESI URIs of an app that keeps it can be forged. Symfony's standard edition
    // (`parameters.yml.dist`, `.env` of Flex recipes before 2018) and eZ Platform; written in pieces
    // here so this file does not hold the values themselves.
    keywords: ["TokenIsNotSoSecret"],
    pattern: re("(?<![A-Za-z0-9_])(This(?:EzPlatform)?TokenIsNotSoSecret(?:ChangeIt|_PleaseChangeIt))(?![A-Za-z0-9_])"),
    help: "Generate a random secret (`php -r 'echo bin2hex(random_bytes(16));'`), keep it out of the repository (environment or secrets vault), and invalidate sessions signed with the default.",
  },
  {
    id: "secrets.openai-api-key",
    entity: "openai-api-key",
    title: "OpenAI API key",
    severity: "critical",
    keywords: ["T3BlbkFJ"],
    // The marker `T3BlbkFJ` (base64 of "OpenAI") is the proof, whatever label stands after `sk-`:
    // `proj`, `svcacct`, `admin`, `None`, and the older service-account keys named after the account
    // (`sk-<account-name>-…`; session 9). No left boundary: a key glued to a word is still the key.
    pattern: re("(sk-[A-Za-z0-9_-]{20,160}T3BlbkFJ[A-Za-z0-9_-]{20,74})(?![A-Za-z0-9_-])"),
    validate: notPlaceholder,
    help: "Delete the key at platform.openai.com/api-keys and create a new one kept in a secret store.",
  },
  {
    id: "secrets.openai-api-key-legacy",
    entity: "openai-api-key",
    title: "OpenAI API key (legacy format)",
    severity: "high",
    // Keys issued before 2024 were "sk-" + 48 characters with no fixed marker; "sk-" + 48 alone is too
    // common a shape, so OpenAI must be named on the line before it.
    ikeywords: ["openai"],
    pattern: re("openai[^\\n]{0,200}?(?<![A-Za-z0-9_-])(sk-[A-Za-z0-9]{48})(?![A-Za-z0-9_-])", "i"),
    validate: (s) => notPlaceholder(s) && /^sk-/.test(s) && /[0-9]/.test(s) && /[A-Z]/.test(s) && /[a-z]/.test(s.slice(3)),
    help: "Delete the key at platform.openai.com/api-keys and create a new one kept in a secret store.",
  },
  {
    id: "secrets.anthropic-api-key",
    entity: "anthropic-api-key",
    title: "Anthropic API key",
    severity: "critical",
    keywords: ["sk-ant-"],
    // No left boundary (session 9): the prefix, the fixed length and the trailing `AA` are the proof.
    pattern: re("(sk-ant-(?:api03|admin01)-[A-Za-z0-9_-]{93}AA)(?![A-Za-z0-9_-])"),
    validate: notPlaceholder,
    help: "Disable the key in the Anthropic console and create a new one kept in a secret store.",
  },
  {
    id: "secrets.huggingface-token",
    entity: "huggingface-token",
    title: "Hugging Face access token",
    severity: "high",
    keywords: ["hf_", "api_org_"],
    pattern: re(`${B}((?:hf_|api_org_)[A-Za-z]{34})${E}`),
    validate: (s) => notPlaceholder(s) && /[A-Z]/.test(s) && /[a-z]/.test(s.slice(3)),
    help: "Invalidate the token at huggingface.co/settings/tokens; use HF_TOKEN from the environment or `huggingface-cli login`.",
  },
  {
    id: "secrets.databricks-token",
    entity: "databricks-token",
    title: "Databricks personal access token",
    severity: "high",
    keywords: ["dapi"],
    pattern: re(`${B}(dapi[a-f0-9]{32}(?:-\\d)?)${E}`),
    validate: notPlaceholder,
    help: "Revoke the token in Databricks (User settings > Developer > Access tokens); prefer OAuth service principals.",
  },
  {
    id: "secrets.wandb-api-key",
    entity: "wandb-api-key",
    title: "Weights & Biases API key",
    severity: "high",
    ikeywords: ["wandb"],
    pattern: re("wandb[^\\n]{0,60}?(?<![A-Za-z0-9_])([a-f0-9]{40}|wandb_v1_[A-Za-z0-9_]{40,})(?![A-Za-z0-9_])", "i"),
    validate: notPlaceholder,
    help: "Regenerate the key at wandb.ai/authorize and provide it through WANDB_API_KEY at runtime.",
  },
  {
    id: "secrets.twilio-api-key",
    entity: "twilio-api-key",
    title: "Twilio API key SID",
    severity: "medium",
    keywords: ["SK"],
    pattern: re(`${B}(SK[0-9a-fA-F]{32})${E}`),
    validate: (s) => notPlaceholder(s) && /[0-9]/.test(s.slice(2)) && /[a-fA-F]/.test(s.slice(2)),
    help: "Delete the API key in the Twilio console; its secret is exposed wherever the SID is.",
  },
  {
    id: "secrets.twilio-auth-token",
    entity: "twilio-auth-token",
    title: "Twilio auth token",
    severity: "critical",
    ikeywords: ["twilio"],
    pattern: re("twilio[^\\n]{0,40}?(?:auth|token|secret)[^\\n]{0,20}?(?<![A-Za-z0-9_])([a-f0-9]{32})(?![A-Za-z0-9_])", "i"),
    validate: notPlaceholder,
    help: "Rotate the auth token in the Twilio console.",
  },
  {
    id: "secrets.twilio-auth-token",
    entity: "twilio-auth-token",
    title: "Twilio auth token",
    severity: "critical",
    keywords: ["AC"],
    // The account SID and its auth token side by side (session 15): `Client("AC…", "…")`, `AC…:…`. The SID
    // names the account, so the 32 hex characters next to it are its token even with no name on the line.
    pattern: re(`${B}AC[0-9a-f]{32}["'\`]?[ \t]{0,4}[,:][ \t]{0,4}["'\`]?([0-9a-f]{32})(?![A-Za-z0-9_])`),
    validate: (s) => notPlaceholder(s) && /[0-9]/.test(s) && /[a-f]/.test(s),
    help: "Rotate the auth token in the Twilio console.",
  },
  {
    id: "secrets.sendgrid-api-key",
    entity: "sendgrid-api-key",
    title: "SendGrid API key",
    severity: "high",
    keywords: ["SG."],
    pattern: re(`${B}(SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])`),
    validate: notPlaceholder,
    help: "Delete the key in SendGrid (Settings > API Keys) and create a new one.",
  },
  {
    id: "secrets.npm-token",
    entity: "npm-token",
    title: "npm access token",
    severity: "critical",
    keywords: ["npm_"],
    pattern: re(`${B}(npm_[A-Za-z0-9]{36})${GLUED_E}`),
    validate: notPlaceholder,
    checksum: (s) => hasValidTokenChecksum(s, 4),
    glued: true,
    help: "Revoke the token with `npm token revoke` and use granular, short-lived tokens in CI.",
  },
  {
    id: "secrets.pypi-token",
    entity: "pypi-token",
    title: "PyPI upload token",
    severity: "critical",
    keywords: ["pypi-AgEIcHlwaS5vcmc", "pypi-AgENdGVzdC5weXBpLm9yZw"],
    pattern: re("(pypi-(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,})(?![A-Za-z0-9_-])"),
    help: "Remove the token in your PyPI account settings (API tokens) and use Trusted Publishing.",
  },
  {
    id: "secrets.private-key",
    entity: "private-key",
    title: "Private key block",
    severity: "critical",
    keywords: ["PRIVATE KEY"],
    pattern: re(
      "(-----BEGIN[ A-Z0-9]{0,20}PRIVATE KEY(?: BLOCK)?-----(?:[\\s\\S]{20,16384}?-----END[ A-Z0-9]{0,20}PRIVATE KEY(?: BLOCK)?-----|(?:\\\\[rn]|[\\s\"'`,+])*[A-Za-z0-9+/=]{64,}))",
    ),
    validate: pemPrivateKey,
    help: "Treat the key as compromised: revoke/replace it wherever it is trusted, then keep keys in a KMS or secret store.",
  },
  {
    id: "secrets.putty-private-key",
    entity: "private-key",
    title: "PuTTY private key file",
    severity: "critical",
    // PuTTY's own format (`.ppk`, versions 2 and 3): a header naming the key type, then the public and
    // the private blob as base64 lines after `Private-Lines: N` (session 9, a kind without a rule before).
    // Encrypted files (`Encryption: aes256-cbc`) are reported too, like encrypted PEM keys: the
    // passphrase is the only barrier left.
    keywords: ["PuTTY-User-Key-File-"],
    pattern: re("(PuTTY-User-Key-File-[23]: [\\w@.-]+\\r?\\n[\\s\\S]{0,8192}?Private-Lines: \\d+\\r?\\n(?:[A-Za-z0-9+/=]{4,64}(?:\\r?\\n|$))+)"),
    validate: (s) => {
      const priv = s.slice(s.indexOf("Private-Lines:")).split(/\r?\n/).slice(1).join("");
      return priv.length >= 40 && notPlaceholder(priv);
    },
    help: "Treat the key as compromised: remove its public half from every authorized_keys, generate a new key pair and keep the private file out of the repository.",
  },
  {
    id: "secrets.private-key-base64",
    entity: "private-key",
    title: "Private key block, base64-encoded",
    severity: "critical",
    // Kubernetes Secrets (`tls.key: LS0tLS1CRUdJTi…`), Helm values and CI variables hold whole PEM files
    // base64-encoded; "LS0tLS1CRUdJTi" is base64 of "-----BEGIN".
    keywords: ["LS0tLS1CRUdJTi"],
    pattern: re("(?<![A-Za-z0-9+/])(LS0tLS1CRUdJTi[A-Za-z0-9+/]{60,}={0,2})(?![A-Za-z0-9+/=])"),
    validate: base64PemPrivateKey,
    help: "Treat the key as compromised: revoke/replace it wherever it is trusted, then keep keys in a KMS or secret store (or a sealed/external secret).",
  },
  {
    id: "secrets.private-key-der",
    entity: "private-key",
    title: "Private key, base64 without PEM armour",
    severity: "critical",
    // A key's DER written as one base64 string (`KEY = "MIIEowIBAAKCAQEA…"`), as crypto libraries read it
    // in code and tests (session 13). "MII"/"MIH"/"MIG"/"MHc"/"MC4C" are base64 of a SEQUENCE header of the
    // lengths keys have (Ed25519 to RSA-8192); derPrivateKey decides by structure.
    keywords: ["MII", "MIH", "MIG", "MHc", "MC4C", "b3BlbnNzaC1rZXktdjE"],
    pattern: re("(?<![A-Za-z0-9+/_-])((?:MI[IHG]|MHc|MC4C|b3BlbnNzaC1rZXktdjE)[A-Za-z0-9+/]{60,16384}={0,2})(?![A-Za-z0-9+/=_-])"),
    validate: derPrivateKey,
    help: "Treat the key as compromised: revoke/replace it wherever it is trusted, then load keys from a KMS or secret store at runtime.",
  },
  {
    id: "secrets.django-secret-key",
    entity: "django-secret-key",
    title: "Django secret key (generated by startproject)",
    severity: "high",
    // `django-admin startproject` writes `SECRET_KEY = 'django-insecure-' + 50 characters drawn from
    // a-z, 0-9 and !@#$%^&*(-_=+)`: the prefix marks the generated key whatever name holds it (a bare `KEY`,
    // an environment default) and the value holds `#`, `%(` and `=`, which other readers cut at.
    keywords: ["django-insecure-"],
    pattern: re("(django-insecure-[a-z0-9!@#$%^&*(\\-_=+)]{50})(?![a-z0-9!@#$%^&*(\\-_=+)])"),
    validate: (s) => notPlaceholder(s.slice(16)) && shannonEntropy(s.slice(16)) >= 4,
    help: "Generate a new key (django.core.management.utils.get_random_secret_key()), load it from the environment or a secret store, and rotate sessions and signed data made with the old one.",
  },
  {
    id: "secrets.jwt",
    entity: "jwt",
    title: "JSON Web Token",
    severity: "medium",
    keywords: ["eyJ"],
    // Parts may be split over joined string literals (`"eyJ…." +\n "eyJ…"`); the signature part may be absent.
    // The left boundary stays inside the pattern (the `(?:…)` keeps detect.ts from moving it into code): checked
    // after a match, every `eyJ` inside one long base64 run was tried to the run's end, quadratic (session 18:
    // 260 KB of base64 JSON took 9 s of CPU).
    // Some servers pad the parts with `=` (base64 where JWS asks for base64url without padding; session 27): the
    // decoded header and claims decide, as for any other token.
    // A signed token may carry empty claims, `e30` (session 32; jwtShaped wants its signature).
    pattern: re(
      `(?:(?<![A-Za-z0-9_-]))(eyJ[A-Za-z0-9_-]{10,}={0,2}${JOIN}\\.${JOIN}(?:eyJ[A-Za-z0-9_-]{8,}={0,2}|e30)(?:${JOIN}\\.(?:${JOIN}[A-Za-z0-9_-]+={0,2})?)?)(?![A-Za-z0-9_=-])`,
    ),
    validate: jwtShaped,
    severityOf: jwtSeverity,
    help: "Invalidate the token (rotate its signing key if it does not expire) and never embed bearer tokens in code.",
  },
  {
    id: "secrets.jwk-private-key",
    entity: "jwk-private-key",
    title: "Private or symmetric key material of a JSON Web Key",
    severity: "high",
    // Session 33: a JWK (RFC 7517) holds its secret in base64url members: `d` of an EC, OKP or RSA key (RFC 7518
    // §6.2.2.1 and §6.3.2, RFC 8037 §2), RSA's `p`, `q`, `dp`, `dq`, `qi`, and `k` of a symmetric (`oct`) key (RFC 7518
    // §6.4.1). One-letter names are everywhere, so the rule runs only in text that names `kty` (every JWK has it) and
    // takes a quoted value of 22+ base64url characters (16+ bytes). Public members (`n`, `e`, `x`, `y`) are not read.
    keywords: ["kty"],
    pattern: re("(?<![\\w$.-])[\"']?(?:d|p|q|dp|dq|qi|k)[\"']?[ \\t]{0,8}[:=][ \\t]{0,8}[\"']([A-Za-z0-9_-]{22,1400})[\"']"),
    validate: (s) => /[A-Z]/.test(s) && /[a-z]/.test(s) && !/(.)\1{5}/.test(s) && notPlaceholder(s),
    help: "Replace the key (a new key pair or symmetric key, its public part published in place of the old) and keep private JWKs in a secret store.",
  },
  {
    id: "secrets.connection-string",
    entity: "connection-string-password",
    title: "Connection string with a password",
    severity: "high",
    ikeywords: ["postgres", "mysql", "mariadb", "mongodb", "redis", "amqp", "mssql", "sqlserver", "oracle", "clickhouse", "snowflake", "cockroachdb"],
    pattern: re(
      "\\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\\+srv)?|rediss?|amqps?|mssql|sqlserver|oracle|clickhouse|snowflake|cockroachdb)(?:\\+[a-z0-9]+)?://[^\\s:@/\"'`]*:((?:[^\\s@/\"'`]|@(?=[^\\s@/\"'`:,[\\]]*@))(?:[^\\s@/\"'`]|@(?=[^\\s@/\"'`:,[\\]]*@)){2,})@[A-Za-z0-9[_][^\\s/\"'`]*",
      "i",
    ),
    // URL placeholders (`foo:bar`, `guest:guest`) as for other schemes (session 12, after the held-out run).
    // The password runs to the last `@` before the host: an unescaped `@` inside it (`sa:P@ssw0rd!@db`) is the
    // password's own (session 29), unless a `:` or `,` comes before the next `@` (`user:pw@host1:5432,user:pw@host2`,
    // a list of hosts) or a bracket (a regular expression such as `[^@]+@`).
    validate: (s) => !TEMPLATE_PASSWORD.test(s) && !URL_PLACEHOLDER.test(s) && !VARIABLE_VALUE.test(s) && notPlaceholder(s) && !/^%|\{|\}/.test(s),
    help: "Change the database password and pass it through the environment or a secret manager (e.g. a DSN without the password plus PGPASSWORD).",
  },
  {
    id: "secrets.connection-string",
    entity: "connection-string-password",
    title: "Connection string with a password (Oracle user/password@)",
    severity: "high",
    // Oracle's JDBC form joins user and password with `/` (`jdbc:oracle:thin:scott/s3cr3t@//host:1521/svc`),
    // so the URL rules, which read `user:password@`, never see it (session 20, six misses of its held-out set).
    ikeywords: ["oracle"],
    pattern: re("jdbc:oracle:(?:thin|oci8?|kprb):[^\\s/@:\"'`;]{1,128}/([^\\s@\"'`;]{3,128})@", "i"),
    validate: (s) => !TEMPLATE_PASSWORD.test(s) && !URL_PLACEHOLDER.test(s) && !VARIABLE_VALUE.test(s) && notPlaceholder(s) && !/^%|\{|\}/.test(s),
    help: "Change the database password and supply it at runtime (a wallet, the environment or a secret manager), not in the JDBC URL.",
  },
  {
    id: "secrets.connection-string",
    entity: "connection-string-password",
    title: "Database password passed to a connect call (getConnection, PDO, mysqli)",
    severity: "high",
    // JDBC's `DriverManager.getConnection(url, "user", "…")`, PHP's `new PDO($dsn, "user", "…")` and
    // `mysqli_connect("host", "user", "…")` / `new mysqli(…)`: the call's signature says the third argument is the
    // database password, named nowhere on the line (session 30, from the SARIF Pattern Matcher set). The first two
    // arguments are quoted strings (a DSN may hold commas) or plain expressions.
    keywords: ["getConnection", "PDO", "mysqli"],
    pattern: re(
      "\\b(?:getConnection|new\\s+PDO|mysqli_connect|new\\s+mysqli)\\s*\\(\\s*(?:\"[^\"\\n]{0,300}\"|'[^'\\n]{0,300}'|[^,()\\n\"']{1,300}),\\s*(?:\"[^\"\\n]{0,120}\"|'[^'\\n]{0,120}'|[^,()\\n\"']{1,120}),\\s*([\"'])((?:(?!\\1)[^\\n\\\\$]){1,256})\\1\\s*[,)]",
    ),
    group: 2,
    // The `-u user:password` bar: group and role names (`"root"`, `"sa"`) share the place. A value spelling a
    // credential's word (`"whateverpassword"`, `"PASSword_5"`) is a fill-in (sonar-java's test labels it so).
    validate: (s) =>
      plainTextPassword(s) &&
      notPlaceholder(s) &&
      !/pass(?:word|wd)|secret/i.test(s) &&
      (s.length >= 12 || [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(s)).length >= 2),
    help: "Change the database password and read it at runtime (the environment, a secret manager or a configuration file kept out of the repository).",
  },
  {
    id: "secrets.connection-string-keyvalue",
    entity: "connection-string-password",
    title: "Connection string with a password (key=value form)",
    severity: "high",
    // ADO.NET / ODBC / libpq key-value strings (`Server=…;User Id=…;Password=…;`) and JDBC URLs with a
    // password property (`jdbc:…;password=…` or `?user=…&password=…`). A connection key must come first
    // on the line, so a lone `password=` (a form field, a CLI flag) is left to the generic rule.
    // Gated on "password=" / "pwd=" (the detector still hands those lines to the generic rule); the
    // connection key before it is a lookbehind, so the engine searches for the literal first.
    // After `jdbc:` also a `userpass=` property (`jdbc:mysql://host/db?user=admin&userpass=…`; session 22): the
    // name says what it holds; not after a key-value connection key, where no driver reads it.
    ikeywords: ["password=", "pwd=", "userpass="],
    pattern: re(
      "(?:password|pwd|userpass)=(?<=(?:(?:server|data source|datasource|host|hostname|address|addr|user ?id|uid|username|user|database|initial catalog|dbname|port|endpoint|dsn)\\s*=\\s*[^;\\n]*;[^\\n]{0,300}?(?<![A-Za-z0-9_])(?:password|pwd)=|jdbc:[a-z0-9:]+[^\\n]{0,300}?[;?&]\\s*(?:password|pwd|userpass)=))([^;&\"'`\\s<>]{3,128}|'[^'\\n]{3,128}'|\\{[^}\\n]{3,128}\\})(?=[;&\"'`\\s<>]|$)",
      "im",
    ),
    validate: (s) => {
      const v = s.replace(/^'(.*)'$|^\{(.*)\}$/, "$1$2");
      // A value cut at a quote after `[` is a lookup (`Password=ENV['DB_PASSWORD']`, session 13).
      // A SQL named parameter (`Password=@myPassword`: SQL Server fills it in; session 16, after the held-out run).
      return !standsFor(s) && !TEMPLATE_PASSWORD.test(v) && !VARIABLE_VALUE.test(v) && notPlaceholder(v) && !/^%|\$\{|\{\{|^\*+$|\[$|^@[A-Za-z_][A-Za-z_]*$/.test(v);
    },
    help: "Change the database password and supply it at runtime (environment, secret manager, or integrated / managed-identity authentication).",
  },
  {
    id: "secrets.url-password",
    entity: "url-password",
    title: "URL with a password (user:password@host)",
    severity: "high",
    // Any scheme other than the database ones above: https, ftp, sftp, smtp(s), imap, ldap(s), git,
    // svn, package indexes (`index-url = https://user:pass@host/simple`). The pattern starts at the
    // literal `://` (the scheme is checked in a lookbehind) so the engine can skip ahead to it.
    keywords: ["://"],
    pattern: re(
      "://(?<=(?<![A-Za-z0-9+.-])[a-z][a-z0-9+.-]{1,24}://)(?<!(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\\+srv)?|rediss?|amqps?|mssql|sqlserver|oracle|clickhouse|snowflake|cockroachdb)(?:\\+[a-z0-9]+)?://)[^\\s:/\"'`<>]{0,128}:([^\\s@/\"'`<>]{2,256})@[A-Za-z0-9[_][^\\s/\"'`<>]*",
      "i",
    ),
    // Two characters only when they are not ASCII (`你好`: two words; session 14), three otherwise.
    validate: (s) =>
      (s.length >= 3 || /[^\x00-\x7f]{2}/.test(s)) &&
      !TEMPLATE_PASSWORD.test(s) &&
      !URL_PLACEHOLDER.test(s) &&
      !VARIABLE_VALUE.test(s) &&
      !VARIABLE_NAME_VALUE.test(s) &&
      notPlaceholder(s) &&
      !/^%|\{|\}|^\d+$/.test(s),
    help: "Change the password, remove it from the URL and supply it at runtime (a credential helper, `.netrc` kept out of the repository, or a secret store).",
  },
  {
    id: "secrets.url-password",
    entity: "url-password",
    title: "URL with a token as its user name (token:x-oauth-basic@host)",
    severity: "high",
    // GitHub's token-in-URL form: the token is the user name and `x-oauth-basic` a fixed password, so the
    // token is reported (session 12, after the held-out run: the fixed word alone is not a password).
    keywords: [":x-oauth-basic@"],
    pattern: re("://([A-Za-z0-9_]{20,255}):x-oauth-basic@"),
    validate: (s) => notPlaceholder(s) && /\d/.test(s) && /[A-Za-z]/.test(s),
    help: "Revoke the token, remove it from the URL and supply it at runtime (a credential helper or a secret store).",
  },
  {
    id: "secrets.http-authorization",
    entity: "http-authorization",
    title: "HTTP Authorization header with a credential",
    severity: "high",
    // `Authorization: Basic <base64 user:password>` or `Bearer <token>` written into code, scripts,
    // curl commands or captured requests.
    ikeywords: ["authorization"],
    pattern: re("authorization[\"']?\\s*(?::|=|,)\\s*[\"']?(?:bearer|token|ntlm|negotiate)\\s+([A-Za-z0-9+/._~-]{12,}={0,2})(?![A-Za-z0-9+/._~=-])", "i"),
    validate: authorizationValue,
    help: "Revoke the token or change the password behind it, and build the header at runtime from a secret store.",
  },
  {
    id: "secrets.http-authorization",
    entity: "http-authorization",
    title: "HTTP Authorization header with a credential",
    severity: "high",
    // Basic credentials are base64 of `user:password` (RFC 7617): a value that is not (`Basic not-base64!!!`,
    // base64 of a JSON object) carries no password (session 17, after the held-out run).
    ikeywords: ["authorization"],
    pattern: re("authorization[\"']?\\s*(?::|=|,)\\s*[\"']?basic\\s+([A-Za-z0-9+/._~-]{12,}={0,2})(?![A-Za-z0-9+/._~=-])", "i"),
    validate: (v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && authorizationValue(v),
    help: "Revoke the token or change the password behind it, and build the header at runtime from a secret store.",
  },
  {
    id: "secrets.http-authorization",
    entity: "http-authorization",
    title: "HTTP Authorization header with a credential",
    severity: "high",
    // Vendors' own schemes (`Api-Token …`, Okta's `SSWS …`, `ApiKey …`, Discord's `Bot …`; session 12).
    // Any word may name a scheme, so the value must look generated (customAuthorizationValue). Schemes
    // whose credentials are `k=v` lists (Digest, AWS4-HMAC-SHA256, OAuth 1) never match: the `=` or
    // `"` after the first word ends the value below 12 characters.
    ikeywords: ["authorization"],
    pattern: re(
      "authorization[\"']?\\s*(?::|=|,)\\s*[\"']?(?!(?:basic|bearer|token|ntlm|negotiate)\\s)[A-Za-z][A-Za-z0-9_-]{1,24}\\s+([A-Za-z0-9+/._~-]{16,}={0,2})(?![A-Za-z0-9+/._~=-])",
      "i",
    ),
    validate: customAuthorizationValue,
    help: "Revoke the key behind the header, and build the header at runtime from a secret store.",
  },
  {
    id: "secrets.docker-config-auth",
    entity: "docker-registry-auth",
    title: "Docker registry credential (config.json `auth`)",
    severity: "high",
    // `~/.docker/config.json` (and Kubernetes `.dockerconfigjson`): `"auths": {"<registry>": {"auth":
    // "<base64 of user:password>"}}`. The value must decode to `user:password` with a real password.
    keywords: ['"auth"'],
    pattern: re('"auth"\\s*:\\s*"([A-Za-z0-9+/]{8,}={0,2})"'),
    validate: (s) => {
      const password = basicPassword(s);
      return (
        password !== undefined &&
        notPlaceholder(s) &&
        password.length >= 3 &&
        !TEMPLATE_PASSWORD.test(password) &&
        !URL_PLACEHOLDER.test(password) &&
        !VARIABLE_VALUE.test(password) &&
        notPlaceholder(password)
      );
    },
    help: "Change the registry password (or revoke the access token), run `docker logout`, and use a credential helper (`credsStore`) instead of a plain `auth` entry.",
  },
  {
    id: "secrets.npmrc-auth",
    entity: "npm-registry-auth",
    title: "npm registry credential (.npmrc `_auth`)",
    severity: "high",
    // `.npmrc`'s legacy `_auth = <base64 of user:password>`, also scoped to a registry
    // (`//registry.example.com/:_auth=…`; session 10). Judged like Docker's `auth` by its password.
    keywords: ["_auth"],
    pattern: re("(?<![A-Za-z0-9])_auth\\s*=\\s*[\"']?([A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])"),
    validate: (s) => {
      const password = basicPassword(s);
      return password !== undefined && password.length >= 3 && !TEMPLATE_PASSWORD.test(password) && !URL_PLACEHOLDER.test(password) && !VARIABLE_VALUE.test(password);
    },
    notMine: (s) => basicPassword(s) === undefined,
    help: "Change the registry password, delete the `_auth` line, and log in with `npm login` (a scoped `_authToken`) or a credential from the environment.",
  },
  {
    id: "secrets.sonarqube-token",
    entity: "sonarqube-token",
    title: "SonarQube token",
    severity: "high",
    // SonarScanner's authentication property: `sonar.login` (older scanners; a user's login or a token) and
    // `sonar.token`, as `-Dsonar.login=…` on a command line or in `sonar-project.properties` (session 25). A
    // token is 40 hex digits, since SonarQube 9.5 after a `squ_`/`sqp_`/`sqa_` kind prefix; a login name
    // is no such value.
    keywords: ["sonar.login", "sonar.token"],
    pattern: re("(?:(?<=-D)|(?<![\\w.]))sonar\\.(?:login|token)[\"']?\\s*[=:]\\s*[\"']?((?:sq[pua]_)?[a-f0-9]{40})(?![A-Za-z0-9_])"),
    validate: (s) => {
      const hex = s.replace(/^sq[pua]_/, "");
      return /[a-f]/.test(hex) && /\d/.test(hex) && !/(.)\1{3}/.test(hex) && notPlaceholder(hex);
    },
    help: "Revoke the token in SonarQube (My Account > Security), then give it to the scanner through the SONAR_TOKEN environment variable from a secret store.",
  },
  {
    id: "secrets.grafana-api-key",
    entity: "grafana-api-key",
    title: "Grafana API key (legacy)",
    severity: "high",
    // Grafana's API keys before service accounts (Grafana 8 and earlier, still accepted by many servers): the
    // base64 of `{"k":"<32 letters and digits>","n":"<key name>","id":<org>}`, so always opening `eyJrIjoi`
    // (session 26). The decoded object is the proof; another base64 JSON opening with a `k` field is not one.
    keywords: ["eyJrIjoi"],
    pattern: re("(?<![A-Za-z0-9+/_-])(eyJrIjoi[A-Za-z0-9+/]{40,400}={0,2})(?![A-Za-z0-9+/=_-])"),
    validate: (s) => {
      const key = grafanaKeyBody(s);
      return key !== undefined && notPlaceholder(key);
    },
    notMine: (s) => grafanaKeyBody(s) === undefined,
    help: "Delete the key in Grafana (Administration > API keys) and move to a service account token kept in a secret store.",
  },
  {
    id: "secrets.dynatrace-token",
    entity: "dynatrace-token",
    title: "Dynatrace token",
    severity: "high",
    // `dt0` + a letter for the kind (`c` API token, `s` platform token or OAuth client secret) + two digits, then a
    // 24-character public part and a 64-character secret part, both upper-case letters and digits (session 27).
    keywords: ["dt0"],
    pattern: re("(?<![A-Za-z0-9])(dt0[a-z][0-9]{2}\\.[A-Z0-9]{24}\\.[A-Z0-9]{64})(?![A-Za-z0-9])"),
    validate: (s) => notPlaceholder(s.slice(s.lastIndexOf(".") + 1)),
    help: "Revoke the token in Dynatrace (Access tokens, or the OAuth client in Account Management) and issue a new one kept in a secret store.",
  },
  {
    id: "secrets.openshift-user-token",
    entity: "openshift-token",
    title: "OpenShift OAuth access token",
    severity: "high",
    // OpenShift 4.6 and later hand out user and service tokens as `sha256~` + 43 base64url characters (a 32-byte
    // value); the server stores only the hash, so the token is the login itself (session 27).
    keywords: ["sha256~"],
    pattern: re("(?<![A-Za-z0-9_~-])(sha256~[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])"),
    validate: (s) => notPlaceholder(s.slice(7)) && /\d/.test(s.slice(7)) && /[A-Za-z]/.test(s.slice(7)),
    help: "Delete the token (`oc delete oauthaccesstoken sha256~…` or log out with it) and let the client log in again.",
  },
  {
    id: "secrets.tines-webhook",
    entity: "tines-webhook",
    title: "Tines webhook URL",
    severity: "high",
    // A Tines webhook's URL carries its path and its secret, both 32 hex digits: anyone holding it starts the
    // story with data of their choosing (session 27).
    keywords: [".tines.com/webhook/", ".tines.io/webhook/"],
    pattern: re("(https://[a-z0-9-]+\\.tines\\.(?:com|io)/webhook/[a-f0-9]{32}/[a-f0-9]{32})(?![A-Za-z0-9])"),
    validate: (s) => notPlaceholder(s.slice(-32)),
    help: "Change the webhook's secret in the Tines story (the webhook action's settings) and update its callers.",
  },
  {
    id: "secrets.kubeadm-bootstrap-token",
    entity: "kubeadm-bootstrap-token",
    title: "Kubernetes bootstrap token (kubeadm)",
    severity: "high",
    // A bootstrap token (`<6>.<16>` of lower-case letters and digits) lets a machine join the cluster: kubeadm
    // prints it in `kubeadm join … --token …` and reads it from `token:` in its configuration (session 26).
    // The docs' `abcdef.0123456789abcdef` is typed by hand (notPlaceholder). `token:` is everywhere, so the
    // configuration's form is looked for only in files that name kubeadm's `bootstrapToken(s)`.
    keywords: ["--token", "--discovery-token", "--tls-bootstrap-token", "bootstrapToken"],
    pattern: re("(?:--(?:discovery-|tls-bootstrap-)?token[= ]+|(?<![\\w-])token:[ \\t]*)[\"']?([a-z0-9]{6}\\.[a-z0-9]{16})(?![A-Za-z0-9._-])"),
    validate: (s) => /\d/.test(s) && /[a-z]/.test(s) && notPlaceholder(s.replace(".", "")) && notPlaceholder(s.slice(7)),
    // The example of kubeadm's reference pages, copied into guides everywhere: not even a stand-in.
    notMine: (s) => s === "abcdef.0123456789abcdef",
    help: "Delete the token (`kubeadm token delete <id>`) and create a short-lived one when a node must join.",
  },
  {
    id: "secrets.kubeadm-certificate-key",
    entity: "kubeadm-certificate-key",
    title: "kubeadm certificate key",
    severity: "high",
    // The AES key (64 hex digits) that decrypts the control-plane certificates kubeadm uploads to the cluster:
    // `--certificate-key` of `kubeadm init`/`join`, `certificateKey:` in its configuration (session 26).
    // Also a variable that names kubeadm (`kubeadm_certificate_key:`, Kubespray's inventories; session 33).
    keywords: ["certificate-key", "certificateKey", "kubeadm_certificate_key"],
    pattern: re(
      "(?:--certificate-key[= ]+|(?<![\\w-])certificateKey[\"']?:[ \\t]*|(?<![\\w-])kubeadm_certificate_key[\"']?[ \\t]*[:=][ \\t]*)[\"']?([a-f0-9]{64})(?![A-Za-z0-9_])",
    ),
    validate: (s) => /[a-f]/.test(s) && /\d/.test(s) && notPlaceholder(s),
    help: "Upload the certificates again under a new key (`kubeadm init phase upload-certs --upload-certs`); the old key's secret expires after two hours.",
  },
  {
    id: "secrets.ethereum-node-private-key",
    entity: "ethereum-private-key",
    title: "Ethereum account private key (a local node's account list)",
    severity: "high",
    // Local Ethereum nodes print the accounts they fund with their keys (session 27): Hardhat writes `Private Key:
    // 0x<64 hex>` under each `Account #n:` (this pattern); Ganache lists `Private Keys` over a `====` rule, one
    // `(n) 0x<64 hex>` line per account (read by detect.ts's nodeKeyListHits, a walk down the list: a pattern
    // looking back over the list from every line was quadratic). Whoever holds a key spends from the account on
    // every chain that uses it, test networks and forks of main included. Addresses (40 hex) are not matched.
    keywords: ["Private Key:"],
    pattern: re("(?<![\\w-])Private Key:[ \\t]*(0x[0-9a-fA-F]{64})(?![0-9A-Za-z])"),
    validate: (s) => notPlaceholder(s.slice(2)),
    help: "Move the funds and stop using the account: a printed key is known to everyone who read the log. Start local nodes with keys that hold nothing of value.",
  },
  {
    id: "secrets.command-line-password",
    entity: "command-line-password",
    title: "Password on a command line (-u user:password)",
    severity: "high",
    // curl/wget-style `-u user:password`, `--user user:password`, `--proxy-user user:password`.
    keywords: ["-u ", "--user", "--proxy-user"],
    // The password may be quoted on its own (`--user kevin:'pRf7…'`).
    // A user that opens `<` is a fill-in for the pair (`-u <user:password>`, session 13).
    // `ppa:owner/name` is a Launchpad archive (`add-apt-repository -y -u ppa:git-core/ppa`, where `-u` is
    // `--update`), not `user:password` (session 25).
    pattern: re("(?<![\\w-])(?:-u|--user|--proxy-user)[= ]\\s*[\"']?(?!ppa:)[^\\s:\"'`$<]+:[\"']?([^\\s\"'`]{3,256}?)[\"']?(?=\\s|$)"),
    // Group and user names (`-u root:root`, `-u 1000:1000`) share the shape: the password bar of the generic rule.
    // A URL after `-u` (`pino-http-send -u http://host/logs`) is not `user:password`: its colon is the scheme's.
    validate: (s) =>
      !s.startsWith("//") &&
      !TEMPLATE_PASSWORD.test(s) &&
      !URL_PLACEHOLDER.test(s) &&
      !VARIABLE_VALUE.test(s) &&
      notPlaceholder(s) &&
      !/^%|\{|\}|^\d+$/.test(s) &&
      (s.length >= 12 || [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(s)).length >= 2),
    help: "Change the password and pass it through a prompt, a netrc file kept out of the repository, or an environment variable.",
  },
  {
    id: "secrets.command-line-password-flag",
    entity: "command-line-password",
    title: "Password on a command line (sshpass -p, mysql -p)",
    severity: "high",
    // The flag says the next word is the password, so a short or one-word literal counts (`sshpass -p 'blah'`);
    // mysql's `-p` must be glued to its value (a bare `-p` prompts).
    // " -p" rather than "sshpass"/"mysql": a short literal is gated by one substring search; another word in
    // the keyword alternation slows the scan of every text (measured: CSV 2×).
    keywords: ["sshpass", "mysql"],
    // `-password …` and `-port …` are other tools' flags, not mysql's `-p` glued to "assword" or "ort" (session 13).
    // sshpass's own options may come first: `-v`, and `-P <prompt>` (the text it waits for; session 31).
    pattern: re(
      "(?:\\bsshpass(?:\\s+-v|\\s+-P\\s*(?:'[^'\\n]{0,80}'|\"[^\"\\n]{0,80}\"|[^\\s'\"]{1,80}))*\\s+-p\\s*|\\bmysql(?:dump|admin|import|show|check)?\\b[^\\n|;&]{0,80}?\\s-p(?!assw|ort\\b))([\"']?)([^\\s\"'`]{3,256}?)\\1(?=[\\s;]|$)",
    ),
    group: 2,
    // Shell expansions (`$SSHPASS`, `$(cat f)`), templates and placeholders (`<password>`, `password`) are not passwords.
    validate: (s) => !/^\$|[{}%<>]/.test(s) && !TEMPLATE_PASSWORD.test(s) && !URL_PLACEHOLDER.test(s) && !PLACEHOLDER.test(s) && !/^(.)\1+$/.test(s),
    help: "Change the password; give it through SSHPASS / MYSQL_PWD from a secret store, an option file kept out of the repository, or a prompt.",
  },
  {
    id: "secrets.command-line-password-flag",
    entity: "command-line-password",
    title: "Password on a command line (sqlcmd -P)",
    severity: "high",
    // SQL Server's sqlcmd takes the password as the word after `-P` (session 25: CI service containers'
    // health checks, `sqlcmd -S localhost -U sa -P '…' -Q "select 1"`). Upper-case only: sqlcmd's `-p` prints
    // performance statistics. The value may sit in escaped quotes inside a quoted option (`-P \"…\"`).
    keywords: ["sqlcmd"],
    pattern: re("\\bsqlcmd\\b[^\\n|;&]{0,120}?\\s-P\\s*(\\\\?[\"']?)([^\\s\"'`\\\\]{3,256}?)\\1(?=[\\s;]|$)"),
    group: 2,
    // As for mysql's `-p`, plus Microsoft's documentation fill-in (`yourStrong(!)Password`).
    validate: (s) => !/^\$|[{}%<>]/.test(s) && !/^your/i.test(s) && !TEMPLATE_PASSWORD.test(s) && !URL_PLACEHOLDER.test(s) && !PLACEHOLDER.test(s) && !/^(.)\1+$/.test(s),
    help: "Change the password; give it to sqlcmd through SQLCMDPASSWORD from a secret store, or use integrated authentication.",
  },
  {
    id: "secrets.command-line-password-flag",
    entity: "command-line-password",
    title: "Password in plain text (PowerShell ConvertTo-SecureString -AsPlainText)",
    severity: "high",
    // `ConvertTo-SecureString -String '…' -AsPlainText -Force` (or the literal first, `-String` left out) turns a
    // password written in the script into a SecureString: `-AsPlainText` says the literal is the secret in clear
    // (session 30, from the SARIF Pattern Matcher set; PowerShell's own analyser warns on the same call). Without
    // `-AsPlainText` the argument is an encrypted standard string, not a password. Parameter names in any case.
    keywords: ["ConvertTo-SecureString", "convertto-securestring"],
    pattern: re("\\bconvertto-securestring(?=[^\\n|;]{0,300}?\\s-asplaintext\\b)(?:\\s+-(?:asplaintext|force)\\b)*\\s+(?:-string\\s+)?([\"'])((?:(?!\\1)[^\\n`]){1,256})\\1", "i"),
    group: 2,
    validate: plainTextPassword,
    help: "Change the password; read it with Get-Credential, Read-Host -AsSecureString or a secret store (SecretManagement, a key vault) instead of writing it in the script.",
  },
  {
    id: "secrets.command-line-password-flag",
    entity: "command-line-password",
    title: "Password in plain text (PowerShell ConvertTo-SecureString -AsPlainText)",
    severity: "high",
    // The literal piped in: `'…' | ConvertTo-SecureString -AsPlainText -Force`.
    keywords: ["ConvertTo-SecureString", "convertto-securestring"],
    pattern: re("([\"'])((?:(?!\\1)[^\\n`]){1,256})\\1\\s*\\|\\s*convertto-securestring\\b(?=[^\\n|;]{0,60}?\\s-asplaintext\\b)", "i"),
    group: 2,
    validate: plainTextPassword,
    help: "Change the password; read it with Get-Credential, Read-Host -AsSecureString or a secret store (SecretManagement, a key vault) instead of writing it in the script.",
  },
  {
    id: "secrets.command-line-password-flag",
    entity: "command-line-password",
    title: "Password on a command line (--password …)",
    severity: "high",
    // `mongo --password V@ult…`, `--password="…"`, `-password '…'`, `--passwd …` in any client's command
    // line (session 13). The flag names the next word as the password, so no other name is needed; shell
    // expansions, templates, fill-ins and the flag's own metavariable (`--password PASSWORD`) are not
    // passwords, and the value must pass the `-u user:password` bar (two kinds of character or 12+ long).
    keywords: ["-pass"],
    pattern: re("(?<![\\w-])(?:--?password|--passwd|--pass)(?:=|[ \\t]+)([\"']?)([^\\s\"'`]{3,256}?)\\1(?=[\\s;)\\]|&]|$)"),
    group: 2,
    validate: (s) =>
      !/^[-$%<{[(]|[{}]/.test(s) &&
      // The flag's name echoed with a possessive (`--password my-password`, pino's docs).
      !/^(?:my|the|your|some|new|old|default)?(?:pass(?:word|wd)?|pwd|secret)$/i.test(s.replace(/[^A-Za-z]/g, "")) &&
      !TEMPLATE_PASSWORD.test(s) &&
      !URL_PLACEHOLDER.test(s) &&
      notPlaceholder(s) &&
      (s.length >= 12 || [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(s)).length >= 2),
    help: "Change the password; give it through the client's environment variable, an option file kept out of the repository, or a prompt.",
  },
];

export const GENERIC_RULE_ID = "secrets.generic";
/**
 * Rails' `config/master.key` (and per-environment `config/credentials/<env>.key`): 32 hex characters and
 * nothing else; the file's name is the only label (session 10). Found by path, see detectSecrets' `path`.
 */
export const RAILS_MASTER_KEY_RULE_ID = "secrets.rails-master-key";

registerRules([
  ...SECRET_RULES.map((r) => ({
    id: r.id,
    title: `${r.title} committed to source`,
    description: `A ${r.title} was found in a file. Anyone who can read the repository (or its history) can use it.`,
    help: r.help,
    defaultSeverity: r.severity,
    tags: [tag.cwe(798), "secret"],
  })),
  {
    id: RAILS_MASTER_KEY_RULE_ID,
    title: "Rails master key committed to source",
    description: "The key that decrypts config/credentials.yml.enc (database passwords, API keys, secret_key_base) is in the repository.",
    help: "Generate new credentials (`bin/rails credentials:edit` with a new key), rotate every secret the old file held, and keep master.key out of git (it is in Rails' default .gitignore); give it to servers as RAILS_MASTER_KEY.",
    defaultSeverity: "critical",
    tags: [tag.cwe(798), "secret"],
  },
  {
    id: GENERIC_RULE_ID,
    title: "Hard-coded credential assigned to a secret-named key",
    description: "A high-entropy or password-like literal is assigned to a name such as password, secret, token or api_key.",
    help: "Move the value to an environment variable or secret store and rotate it.",
    defaultSeverity: "medium",
    tags: [tag.cwe(798), "secret"],
  },
]);
