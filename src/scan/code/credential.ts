import { isCredentialAssignment } from "../secrets/detect.js";

/**
 * Hard-coded credentials in code, following Bandit's B105 (assignments and comparisons), B106 (keyword
 * arguments) and B107 (default arguments): a name that says password/secret/token gets a string
 * literal. Two levels:
 * - "high": the value also looks like a real secret (the secrets scanner's keyword-and-entropy test);
 * - "medium": any other non-empty literal that is not an obvious placeholder (`"blerg"`, `"root"`,
 *   `"1234"` are weak passwords, and still credentials in the source).
 * Unlike Bandit, ML field names are not credentials: `pad_token`, `max_tokens`, `token_pattern`,
 * `password_field`, and a name with a descriptor at its end (`…_prompt`, `…_url`, `…_env`).
 */
export type CredentialLevel = "high" | "medium";

/** Words that make a name a credential wherever they occur in it (`my_secret_password_for_email`). */
const STRONG_WORDS = new Set(["password", "passwd", "pwd", "passphrase", "secret", "credential", "credentials", "apikey", "passcode"]);
/** Names of things that can be weak (a short password is still a password; a short token is no token). */
const PASSWORD_WORDS = new Set(["password", "passwd", "pwd", "passphrase", "passcode", "pass", "pw", "psw", "pword", "secret"]);
/** In comparisons the name must say password outright (`user_pass == "git"` compares a URL part). */
const COMPARED_WORDS = new Set(["password", "passwd", "pwd", "passphrase", "passcode", "secret"]);
/** Words that make a name a credential only as its last word (`token`, `pass`). */
const LAST_WORDS = new Set(["token", "pass", "pw", "psw", "pword"]);
/** `<qualifier>_key` names that hold keys (`api_key`, `secret_key`, `aws_secret_access_key`). */
const KEY_QUALIFIERS = new Set([
  "api",
  "secret",
  "access",
  "private",
  "auth",
  "signing",
  "encryption",
  "master",
  "client",
  "app",
  "session",
  "license",
  "webhook",
  "hmac",
  "jwt",
  "fernet",
  "crypto",
  "cipher",
  "aes",
]);
/**
 * `<qualifier>_key` names of keys that sign or encrypt (`SIGNING_KEY`, `hmac_key`, `encryption_key`): the key is
 * whatever bytes it holds, chosen by a person like a password, so a short or weak literal is still the key (Django
 * SIMPLE_JWT's `"SIGNING_KEY": "secret"` signs every token with "secret"). Session 15; API keys stay token-like.
 */
const SECRET_KEY_QUALIFIERS = new Set(["secret", "signing", "encryption", "private", "master", "hmac", "jwt", "fernet", "crypto", "cipher", "aes"]);
/** A last word that says the name describes a credential rather than holding one. */
const DESCRIPTORS = new Set([
  "field",
  "fields",
  "name",
  "names",
  "label",
  "prompt",
  "msg",
  "message",
  "messages",
  "text",
  "help",
  "hint",
  "title",
  "placeholder",
  "pattern",
  "regex",
  "re",
  "url",
  "uri",
  "endpoint",
  "path",
  "file",
  "filename",
  "dir",
  "env",
  "var",
  "variable",
  "type",
  "types",
  "id",
  "ids",
  "header",
  "param",
  "column",
  "col",
  "attr",
  "len",
  "length",
  "policy",
  "hash",
  "hashed",
  "digest",
  "format",
  "fmt",
  "template",
  "style",
  "count",
  "num",
  "size",
  "limit",
  "index",
  "idx",
  "prefix",
  "suffix",
  "class",
  "mode",
  "method",
  "algorithm",
  "alg",
  "validator",
  "widget",
  "error",
  "errors",
  "lifetime",
  "ttl",
  "expiry",
  "expires",
  "timeout",
  "min",
  "max",
  "source",
  "provider",
  "backend",
  "scheme",
  "location",
  "manager",
  "store",
  "storage",
  "version",
  "tokenizer",
  "state",
  "status",
  "enabled",
  "required",
  "set",
  "changed",
  "strength",
]);
/** `pad_token`, `eos_token`: tokenizer special tokens, not credentials. */
const SPECIAL_TOKEN = new Set([
  "pad",
  "eos",
  "bos",
  "unk",
  "sep",
  "cls",
  "mask",
  "start",
  "end",
  "stop",
  "special",
  "sos",
  "image",
  "audio",
  "video",
  "begin",
  "eot",
  "bot",
  "system",
  "user",
  "assistant",
  "think",
  "fim",
  "next",
  "page",
  "pagination",
  "continuation",
  "cursor",
  "csrf",
  "xsrf",
  "reset",
  "verification",
  "sentinel",
  "extra",
  "im",
  "placeholder",
  "default",
  "split",
  "word",
  "boundary",
]);
/** First words that make the name a flag or a counter (`use_auth_token`, `num_tokens`, `is_secret`). */
const FLAG_PREFIX = new Set([
  "is",
  "has",
  "use",
  "show",
  "hide",
  "check",
  "validate",
  "require",
  "required",
  "enable",
  "disable",
  "num",
  "max",
  "min",
  "count",
  "len",
  "n",
  "total",
  "no",
]);

/** Last words that say the name holds a password's hash, not the password. */
const HASH_WORDS = new Set(["hash", "hashed", "digest"]);

/**
 * Whether a value is written as a hash: hex of a digest's length, a crypt string (`$2b$…`, `$argon2id$…`, `$6$…`),
 * Django's `algorithm$…`, LDAP's `{SSHA}…`, or a long base64 run.
 */
function looksHashed(v: string): boolean {
  return (
    /^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{56}|[0-9a-f]{64}|[0-9a-f]{96}|[0-9a-f]{128})$/i.test(v) ||
    /^\$[\w-]+\$/.test(v) ||
    /^(?:pbkdf2(?:_\w+)?|bcrypt\w*|argon2\w*|scrypt|sha\d+|md5|crypt)[$:]/i.test(v) ||
    /^\{[A-Z0-9-]+\}\S+$/.test(v) ||
    /^[A-Za-z0-9+/_-]{40,}={0,2}$/.test(v) ||
    // the name of a hashing scheme (`SECURITY_PASSWORD_HASH = "sha512_crypt"` in Flask-Security), not a value
    /^[a-z0-9_-]*(?:crypt|sha\d*|md5|argon2?|pbkdf2?|scrypt|blake2?\w?|plaintext)[a-z0-9_-]*$/i.test(v)
  );
}

/** Splits `dbPassword`, `DB_PASSWORD`, `db-password` into lower-case words. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .map((w) => w.replace(/\d+$/, ""))
    .filter(Boolean);
}

/** True when a variable, attribute, keyword or dict key of this name holds a credential. */
export function credentialName(name: string): boolean {
  const w = words(name);
  if (w.length === 0 || (FLAG_PREFIX.has(w[0]!) && w.length > 1)) return false;
  const last = w[w.length - 1]!;
  if (w.join("_").endsWith("access_key_id")) return true; // AWS's key id travels with its secret
  if (DESCRIPTORS.has(last)) return false;
  if (last === "pass" || last === "pw") return w.length > 1; // `db_pass`; a bare "pass" key is a band, a test, a step
  if (LAST_WORDS.has(last)) return !(last === "token" && w.length > 1 && SPECIAL_TOKEN.has(w[w.length - 2]!));
  if (last === "key" && w.length > 1 && KEY_QUALIFIERS.has(w[w.length - 2]!)) return true;
  return w.some((x) => STRONG_WORDS.has(x));
}

/** Values that are obviously not a real credential: templates, masks, field names, messages. */
function placeholder(name: string, value: string, compared: boolean): boolean {
  const v = value.trim();
  if (v === "") return true;
  // "****", "xxxx", ":****" (masked), "a"; a letter or digit repeated four times or more ("aaaaaaa") is a weak secret, not a mask
  if (/^([*xX•#.?_-])\1*$/.test(v) || (v.length < 4 && /^(.)\1*$/.test(v)) || /\*{3,}|•{3,}/.test(v)) return true;
  if (/\$\{|\{\{|\}\}|%\(|^\$[A-Za-z_]|^%[A-Za-z_]+%$|^<[^>]*>$|^\[[^\]]*\]$|%[sd]|\{\w*\}/.test(v)) return true;
  if (
    /example|changeme|change_me|placeholder|redacted|dummy|your[_-]|xxx|^(?:none|null|nil|undefined|true|false|yes|no|on|off|enabled|disabled|n\/a|tbd|todo|bearer|basic|digest|oauth|jwt|anonymous@?|guest)$/i.test(
      v,
    )
  )
    return true;
  // The name itself or a bare credential word as the value: a field or form name ("password": "password").
  const flat = v.toLowerCase().replace(/[^a-z0-9]/g, "");
  if (flat === name.toLowerCase().replace(/[^a-z0-9]/g, "") || /^(?:password|passwd|pwd|token|apikey|secretkey|accesstoken|authtoken|credentials?)$/.test(flat)) return true;
  // A field or label name as the value (`"app_display_name"`, `"user_id"`, `"column_label"`): lower-case words ending in
  // a naming word name a field; a secret spelled in words ends otherwise (`"this_is_a_secret"`) or holds digits.
  if (!compared && /^[a-z]+(?:_[a-z]+)+$/.test(v) && /_(?:name|names|label|title|field|column|id|ids|type|kind)$/.test(v)) return true;
  // "yourpassword", "your_api_key": a stand-in the reader is to replace.
  if (/^your/i.test(v)) return true;
  // A bind parameter or a query template (`:param`, `&password=:param`) is filled in at run time.
  if (/^:[A-Za-z_]\w*$|=:[A-Za-z_]\w*/.test(v)) return true;
  // A dotted property key that names a credential (`"custom.password"`, `"db.secret"`) is looked up, not a secret.
  if (/^[a-z][a-z0-9_-]*(?:\.[a-z0-9_-]+)+$/.test(v) && /pass|secret|token|key|cred/.test(v)) return true;
  // An environment variable's name (`"DB_PASSWORD"`) is looked up, not a secret.
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(v)) return true;
  // Paths, URLs without user info, file names.
  if (/^(?:\.{0,2}\/|~\/|[A-Za-z]:\\)/.test(v) || /^[a-z][a-z0-9+.-]*:\/\/[^@\s]*$/i.test(v) || /\.(?:txt|json|ya?ml|pem|key|crt|env|cfg|ini|pkl|pt|bin)$/i.test(v)) return true;
  // Prompts and messages; a literal compared with a password is the password itself, whatever it says.
  if (!compared && /\s/.test(v) && (/[:?.!]$/.test(v) || /\b(?:enter|your|please|invalid|incorrect|wrong|must|should|required|missing|not)\b/i.test(v))) return true;
  return false;
}

/**
 * How sure we are that `name = "value"` (or `name == "value"` when `compared`) puts a credential in
 * the source; undefined when it does not.
 */
export function credentialLevel(name: string, value: string, compared = false): CredentialLevel | undefined {
  if (value.length > 300 || placeholder(name, value, compared)) return undefined;
  // Lexers compare `token == "def"`; only a password-like name compared with a literal is a credential.
  if (compared && !words(name).some((w) => COMPARED_WORDS.has(w))) return undefined;
  if (isCredentialAssignment(name, value)) return "high";
  const w = words(name);
  // `DB_PASSWORD_HASH = "password123"`: a password's hash is a descriptor, but a value that is no hash is the password.
  if (!compared && w.length > 1 && HASH_WORDS.has(w[w.length - 1]!) && w.slice(0, -1).some((x) => PASSWORD_WORDS.has(x)) && !looksHashed(value)) return "medium";
  // Below the secret-looking bar only passwords and secrets are reported: a weak password is still one.
  if (!credentialName(name)) return undefined;
  if (w.some((x) => PASSWORD_WORDS.has(x))) return "medium";
  if (w.length > 1 && w[w.length - 1] === "key" && SECRET_KEY_QUALIFIERS.has(w[w.length - 2]!)) return "medium";
  // Tokens and keys: only a long, unspaced, mixed value is one (`"done."` is a parser's token). Since session 13
  // a long run of digits is one too: some services issue numeric keys (16+ digits, not a year, port or count).
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(value)).length;
  return value.length >= 16 && !/\s/.test(value) && (classes >= 2 || /^\d{16,64}$/.test(value)) ? "medium" : undefined;
}

/**
 * Session 20: library calls whose signature names an argument as the password, secret or token (a position, a
 * keyword, or both). A literal in such a slot is the credential whatever it says (`connect(password="password")`,
 * `basic_auth(user, "NEO4J_PASSWORD")`): the library logs in with that text. Matched on the qualified name, module
 * prefix required. `pair` marks keywords that take a `(user, password)` pair or a `"user:password"` string.
 */
export interface ClientSecretSlots {
  call: RegExp;
  at: readonly number[];
  kw: readonly string[];
  pair?: readonly string[];
}
export const CLIENT_SECRET_SLOTS: readonly ClientSecretSlots[] = [
  { call: /^cassandra\.auth\.PlainTextAuthProvider$/, at: [1], kw: ["password"] },
  { call: /^couchbase(?:_core)?\.(?:auth|cluster)\.PasswordAuthenticator$/, at: [1], kw: ["password"] },
  { call: /^neo4j\.basic_auth$/, at: [1], kw: ["password"] },
  { call: /^neo4j\.custom_auth$/, at: [1], kw: ["credentials"] },
  { call: /^neo4j\.kerberos_auth$/, at: [0], kw: ["base64_encoded_ticket"] },
  { call: /^neo4j\.bearer_auth$/, at: [0], kw: ["base64_encoded_token"] },
  { call: /^requests\.auth\.HTTP(?:Basic|Digest|Proxy)Auth$/, at: [1], kw: ["password"] },
  { call: /^requests_oauthlib\.OAuth1$/, at: [1, 3], kw: ["client_secret", "resource_owner_secret"] },
  { call: /^requests_oauthlib\.OAuth2Session(?:\(\))?\.fetch_token$/, at: [], kw: ["client_secret", "password"] },
  // MySQLdb / mysqlclient: connect(host, user, passwd, db); PyMySQL before 1.0 and pymssql: (host, user, password, …)
  { call: /^(?:MySQLdb|MySQLdb\._mysql|_mysql|MySQLdb\.connections)\.(?:connect|Connect|Connection|connection)$/, at: [2], kw: ["passwd", "password"] },
  { call: /^pymysql\.(?:connect|Connect|Connection|connections\.Connection)$/, at: [2], kw: ["password", "passwd"] },
  { call: /^(?:pymssql|_mssql)\.connect$/, at: [2], kw: ["password"] },
  { call: /^ldap3\.Connection$/, at: [2], kw: ["password"] },
  { call: /^pg8000\.(?:connect|Connection|native\.Connection|dbapi\.connect)$/, at: [], kw: ["password"] },
  {
    call: /^(?:mysql\.connector\.(?:connect|MySQLConnection|CMySQLConnection|pooling\.MySQLConnectionPool)|mariadb\.(?:connect|ConnectionPool)|tormysql\.(?:ConnectionPool|Connection|helpers\.ConnectionPool)|aiomysql\.(?:connect|create_pool))$/,
    at: [],
    kw: ["password", "passwd"],
  },
  { call: /^(?:psycopg2|psycopg|asyncpg)\.(?:connect|create_pool|pool\.\w+Pool|AsyncConnection\.connect)$/, at: [], kw: ["password"] },
  { call: /^(?:peewee|playhouse\.pool)\.(?:Pooled)?(?:PostgresqlDatabase|MySQLDatabase|CockroachDatabase)$/, at: [], kw: ["password", "passwd"] },
  { call: /^(?:pymongo\.MongoClient|motor\.motor_asyncio\.AsyncIOMotorClient)$/, at: [], kw: ["password"] },
  { call: /^redis\.(?:Redis|StrictRedis|asyncio\.Redis|ConnectionPool|sentinel\.Sentinel)$/, at: [], kw: ["password"] },
  { call: /^(?:elasticsearch\.(?:Elasticsearch|AsyncElasticsearch))$/, at: [], kw: ["bearer_auth", "api_key"], pair: ["basic_auth", "http_auth"] },
  { call: /^urllib3\.(?:util\.)?make_headers$/, at: [], kw: [], pair: ["basic_auth", "proxy_basic_auth"] },
  // Password hashing: a literal hashed at runtime is an account's password kept in the source (seed users, fixtures).
  { call: /^bcrypt\.hashpw$/, at: [0], kw: ["password"] },
  { call: /^werkzeug\.security\.generate_password_hash$/, at: [0], kw: ["password"] },
  { call: /^django\.contrib\.auth\.hashers\.make_password$/, at: [0], kw: ["password"] },
  { call: /^passlib\.hash\.\w+\.(?:hash|encrypt)$/, at: [0], kw: ["secret"] },
];

/** The callee names (last part) of the calls above, to pass over every other call cheaply. */
export const CLIENT_SECRET_NAMES: ReadonlySet<string> = new Set([
  "PlainTextAuthProvider",
  "PasswordAuthenticator",
  "basic_auth",
  "custom_auth",
  "kerberos_auth",
  "bearer_auth",
  "HTTPBasicAuth",
  "HTTPDigestAuth",
  "HTTPProxyAuth",
  "OAuth1",
  "fetch_token",
  "connect",
  "Connect",
  "Connection",
  "connection",
  "MySQLConnection",
  "CMySQLConnection",
  "MySQLConnectionPool",
  "ConnectionPool",
  "create_pool",
  "SimpleConnectionPool",
  "ThreadedConnectionPool",
  "PostgresqlDatabase",
  "MySQLDatabase",
  "CockroachDatabase",
  "PooledPostgresqlDatabase",
  "PooledMySQLDatabase",
  "PooledCockroachDatabase",
  "MongoClient",
  "AsyncIOMotorClient",
  "Redis",
  "StrictRedis",
  "Sentinel",
  "Elasticsearch",
  "AsyncElasticsearch",
  "make_headers",
  "hashpw",
  "generate_password_hash",
  "make_password",
  "hash",
  "encrypt",
]);

/**
 * A literal in a credential slot that still is no credential: empty (no password at all, another weakness), a
 * template or a mask, or a stand-in word for the reader to replace.
 */
export function slotPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v === "" || /^[*•]+$/.test(v) || /^x{3,}$/i.test(v)) return true;
  if (/\$\{|\{\{|%\(|%[sd]|^<[^>]*>$|\{\w*\}/.test(v)) return true;
  return /example|changeme|change_me|placeholder|redacted|dummy|^your[_-]?/i.test(v);
}
