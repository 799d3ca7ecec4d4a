/**
 * Session 25: XML external entities, weak hashes, weak ciphers, predictable randomness, world-writable file modes,
 * unverified JWTs and mktemp. Kept apart from analyze.ts, which calls `CryptoMisuse.call` for calls whose last name
 * is in CRYPTO_CALL_NAMES and `finish` at the end of the file; the analyser lends its name resolution, taint and
 * constants through `CryptoHost`.
 *
 * Misuse, not mere use: MD5/SHA-1 named for a cache, checksum or file content, or given usedforsecurity=False, is not
 * reported; `random` only when the value is named or used as a secret; XML parsers only with external entities on.
 */

import type { Severity } from "../../core/index.js";
import { EnclosingDefs } from "./enclosing.js";
import type { SyntaxNode as Node } from "./syntax.js";

export type CryptoRule = "xmlEntities" | "weakHash" | "weakCipher" | "insecureRandom" | "permissiveFileMode" | "jwtVerifyOff" | "insecureTempFile" | "sharedTempPath";

/** What the analyser lends: its resolution of names, its taint and constants, and its way of reporting. */
export interface CryptoHost {
  qualify(n: Node | null): string;
  tainted(n: Node | null | undefined): boolean;
  /** The value known at analysis time (literal or a name holding one), if any. */
  constant(n: Node | null | undefined): number | string | boolean | undefined;
  /** A value evident from the source (a literal, a name holding one, a condition that picks one). */
  known(n: Node | null | undefined): boolean;
  args(n: Node): { positional: Node[]; kw: Map<string, Node>; splat: boolean };
  /** Whether a name stands for the module it spells (imported, or at least not assigned as a variable in the file). */
  moduleName(name: string): boolean;
  report(rule: CryptoRule, at: Node, message: string, symbol: string, severity?: Severity): void;
}

/** Last names of the calls this module looks at (a cheap first test in the analyser's call visitor). */
export const CRYPTO_CALL_NAMES = new Set([
  // hashes
  "md5",
  "sha1",
  "md4",
  "new",
  "MD5",
  "SHA1",
  "sha224",
  "sha256",
  "sha384",
  "sha512",
  "sha3_256",
  "sha3_512",
  "blake2b",
  "blake2s",
  // ciphers
  "TripleDES",
  "Blowfish",
  "ARC4",
  "IDEA",
  "CAST5",
  "SEED",
  "ECB",
  "CBC",
  "CFB",
  "OFB",
  "CTR",
  "GCM",
  "des",
  "triple_des",
  "generate",
  "generate_private_key",
  // random
  "random",
  "randint",
  "randrange",
  "choice",
  "choices",
  "sample",
  "getrandbits",
  "randbytes",
  "uniform",
  "normalvariate",
  "gauss",
  "triangular",
  // numpy.random's module-level generator (session 37)
  "rand",
  "randn",
  "random_sample",
  "ranf",
  "bytes",
  "permutation",
  // file modes
  "chmod",
  "lchmod",
  "fchmod",
  "open",
  "makedirs",
  "mkdir",
  "mkfifo",
  "mknod",
  "touch",
  "umask",
  // XML
  "setFeature",
  "XMLParser",
  "fromstring",
  "XML",
  "parse",
  "iterparse",
  "parseString",
  // JWT, temporary files
  "decode",
  "mktemp",
  // fixed paths in shared temporary folders (also "open", "makedirs", "mkdir" above)
  "Path",
  "PurePath",
  "save",
  "load",
  "savez",
  "savez_compressed",
  "dump",
  "connect",
  "FileHandler",
  "copy",
  "copyfile",
  "copy2",
  "move",
]);

/**
 * Calls that open, create, write or load the file (or folder) at a path, and which argument holds the path
 * (position, keyword). The loaders of pickles are the ones where a planted file runs code.
 */
const PATH_TAKERS: Record<string, { at: number; kw: string; loads?: true }> = {
  open: { at: 0, kw: "file" },
  "io.open": { at: 0, kw: "file" },
  "codecs.open": { at: 0, kw: "filename" },
  "os.open": { at: 0, kw: "path" },
  "os.makedirs": { at: 0, kw: "name" },
  "os.mkdir": { at: 0, kw: "path" },
  "pathlib.Path": { at: 0, kw: "" },
  "pathlib.PurePath": { at: 0, kw: "" },
  "torch.save": { at: 1, kw: "f" },
  "torch.load": { at: 0, kw: "f", loads: true },
  "numpy.save": { at: 0, kw: "file" },
  "numpy.savez": { at: 0, kw: "file" },
  "numpy.savez_compressed": { at: 0, kw: "file" },
  "numpy.load": { at: 0, kw: "file", loads: true },
  "joblib.dump": { at: 1, kw: "filename" },
  "joblib.load": { at: 0, kw: "filename", loads: true },
  "sqlite3.connect": { at: 0, kw: "database" },
  "logging.FileHandler": { at: 0, kw: "filename" },
  "shutil.copy": { at: 1, kw: "dst" },
  "shutil.copyfile": { at: 1, kw: "dst" },
  "shutil.copy2": { at: 1, kw: "dst" },
  "shutil.move": { at: 1, kw: "dst" },
};
/**
 * Folders every local user may write: the temporary folders (`/tmp`, `/var/tmp`, `/usr/tmp`, macOS `/private/tmp`),
 * shared memory and lock folders (`/dev/shm`, `/dev/mqueue`, `/run/lock`), macOS's `/Users/Shared`, Windows'
 * `\Windows\Temp` (one backslash or two: a string that is not raw doubles them in the source).
 */
const SHARED_DIRS = String.raw`(?:/(?:tmp|var/tmp|usr/tmp|private/tmp|private/var/tmp|dev/shm|dev/mqueue|run/lock|var/run/lock|Users/Shared)|(?:[A-Za-z]:)?\\{1,2}(?:[Ww][Ii][Nn][Dd][Oo][Ww][Ss]\\{1,2})?[Tt][Ee]?[Mm][Pp])`;
/** A path in one of them (`/tmp/x`), as a string's start. */
const SHARED_TEMP = new RegExp(String.raw`^${SHARED_DIRS}(?:/|\\{1,2})[^/\\]`);
/** The same at the start of a string literal's source text (f-strings, and the left of `"/tmp/" + name`). */
const SHARED_TEMP_LITERAL = new RegExp(String.raw`^[rRbBuUfF]{0,2}(?:"""|'''|"|')${SHARED_DIRS}(?:/|\\{1,2})[^/\\"']`);
/** One of the folders alone, as the first part of `os.path.join("/tmp", name)`. */
const SHARED_TEMP_DIR = new RegExp(String.raw`^${SHARED_DIRS}(?:/|\\{1,2})?$`);

const WEAK_HASH_NAMES = /^(?:md5|sha1|sha|md4|md2)$/i;
const WEAK_HASH_CALL = /^(?:hashlib\.(?:md5|sha1|md4)|(?:Crypto|Cryptodome)\.Hash\.(?:MD5|SHA1|SHA|MD4|MD2)\.new|cryptography\.hazmat\.primitives\.hashes\.(?:MD5|SHA1))$/;
const FAST_HASH_CALL = /^hashlib\.(?:sha224|sha256|sha384|sha512|sha3_256|sha3_512|blake2b|blake2s)$/;
const BROKEN_CIPHER =
  /^(?:(?:Crypto|Cryptodome)\.Cipher\.(DES3?|ARC2|ARC4|Blowfish|CAST|XOR)\.new|cryptography\.hazmat\.primitives\.ciphers\.(?:algorithms\.)?(TripleDES|Blowfish|ARC4|IDEA|CAST5|SEED)|pyDes\.(des|triple_des))$/;
const BLOCK_CIPHER_NEW = /^(?:Crypto|Cryptodome)\.Cipher\.(\w+)\.new$/;
const CIPHER_MODES = /^cryptography\.hazmat\.primitives\.ciphers\.(?:modes\.)?(ECB|CBC|CFB|OFB|CTR|GCM)$/;
const KEY_GENERATORS: Record<string, { at: number; name: string }> = {
  "Crypto.PublicKey.RSA.generate": { at: 0, name: "bits" },
  "Cryptodome.PublicKey.RSA.generate": { at: 0, name: "bits" },
  "Crypto.PublicKey.DSA.generate": { at: 0, name: "bits" },
  "Cryptodome.PublicKey.DSA.generate": { at: 0, name: "bits" },
  "cryptography.hazmat.primitives.asymmetric.rsa.generate_private_key": { at: 1, name: "key_size" },
  "cryptography.hazmat.primitives.asymmetric.dsa.generate_private_key": { at: 0, name: "key_size" },
  "paramiko.RSAKey.generate": { at: 0, name: "bits" },
  "paramiko.DSSKey.generate": { at: 0, name: "bits" },
};
const RANDOM_FUNCS = new Set(["random", "randint", "randrange", "choice", "choices", "sample", "getrandbits", "randbytes", "uniform", "normalvariate", "gauss", "triangular"]);
/**
 * NumPy's legacy module-level generator (`numpy.random.rand(…)`, …): a Mersenne Twister like `random`'s, which NumPy's
 * documentation says is not for cryptographic use; judged as `random`'s functions are (the names must say secret).
 */
const NUMPY_RANDOM_FUNCS = new Set(["rand", "randn", "randint", "random", "random_sample", "ranf", "sample", "bytes", "choice", "uniform", "permutation"]);

/**
 * Words (of snake_case or camelCase names) that say a value is a secret. Not `sign` (a random ±1), `activation` (a
 * layer's function), `reset` (an environment's): common names of random values in ML code.
 */
const SECRET_WORDS = new Set([
  "token",
  "tokens",
  "secret",
  "secrets",
  "session",
  "sessionid",
  "sid",
  "nonce",
  "otp",
  "totp",
  "hotp",
  "pin",
  "salt",
  "iv",
  "csrf",
  "xsrf",
  "apikey",
  "auth",
  "signature",
  "signing",
  "hmac",
  "credential",
  "credentials",
  "cookie",
  "verification",
  "passcode",
  "captcha",
  "rememberme",
  "private",
  "encryption",
]);
const PASSWORD_WORDS = new Set(["password", "passwd", "passphrase", "pwd", "pass", "pw", "passwords"]);
/** Words that say a hash only names or checks content (not a security use). */
const CONTENT_WORDS = new Set([
  "checksum",
  "checksums",
  "etag",
  "cache",
  "cached",
  "fingerprint",
  "dedup",
  "dedupe",
  "shard",
  "bucket",
  "partition",
  "color",
  "colour",
  "md5sum",
  "filename",
  "file",
  "content",
  "hexdigest_of_file",
]);
/** The `key` word counts as secret only beside one of these (`api_key`, `secret_key`, `aes_key`; not `sort_key`). */
const KEY_QUALIFIERS = new Set(["api", "secret", "private", "signing", "encryption", "aes", "hmac", "session", "access", "crypto", "cipher", "master", "license"]);

function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

type Purpose = "password" | "secret" | "content" | undefined;

function purposeOfWords(ws: readonly string[]): Purpose {
  if (ws.some((w) => PASSWORD_WORDS.has(w))) return "password";
  if (ws.some((w, i) => SECRET_WORDS.has(w) || (w === "key" && (KEY_QUALIFIERS.has(ws[i - 1] ?? "") || KEY_QUALIFIERS.has(ws[i + 1] ?? ""))) || w === "keygen")) return "secret";
  if (ws.some((w) => CONTENT_WORDS.has(w))) return "content";
  return undefined;
}

const STATEMENT = new Set([
  "expression_statement",
  "return_statement",
  "block",
  "module",
  "function_definition",
  "class_definition",
  "for_statement",
  "if_statement",
  "while_statement",
]);

/** What the names around a call say it makes: the assigned name, the keyword or dict key it fills, a returning function's name. */
function purposeAround(call: Node, enclosingDef: (n: Node) => Node | undefined): { purpose: Purpose; assigned?: Node } {
  let assigned: Node | undefined;
  const found: string[] = [];
  let a: Node | null = call.parent;
  for (let depth = 0; a && depth < 12 && !STATEMENT.has(a.type); depth++, a = a.parent) {
    if (a.type === "assignment" || a.type === "augmented_assignment") {
      const left = a.childForFieldName("left");
      if (left) {
        found.push(left.text);
        if (left.type === "identifier") assigned = left;
      }
    } else if (a.type === "keyword_argument") found.push(a.childForFieldName("name")?.text ?? "");
    else if (a.type === "pair") found.push(a.childForFieldName("key")?.text ?? "");
  }
  if (a?.type === "return_statement") {
    const def = enclosingDef(a);
    if (def) found.push(def.childForFieldName("name")?.text ?? "");
  }
  return { purpose: purposeOfWords(words(found.join(" "))), assigned };
}

const SIGNATURE_OFF = /["']verify_signature["']\s*:\s*False\b/;

/** JWT options that switch signature checks off: written in the call, or a dict assigned to the name in the same function. */
function verifyOff(options: Node, enclosingDef: (n: Node) => Node | undefined): boolean {
  if (options.type === "dictionary") return SIGNATURE_OFF.test(options.text);
  if (options.type !== "identifier") return false;
  // the last assignment above the call is the one in effect (straight-line code)
  let last: Node | undefined;
  for (const a of (enclosingDef(options) ?? options.tree.rootNode).descendantsOfType("assignment"))
    if (a && a.startIndex < options.startIndex && a.childForFieldName("left")?.text === options.text) last = a;
  const right = last?.childForFieldName("right");
  return right?.type === "dictionary" && SIGNATURE_OFF.test(right.text);
}

/** A name that is a parameter of the function it is used in. */
function isParameter(name: Node, enclosingDef: (n: Node) => Node | undefined): boolean {
  const params = enclosingDef(name)?.childForFieldName("parameters");
  if (!params) return false;
  for (const p of params.namedChildren) {
    const id = p?.type === "identifier" ? p : (p?.childForFieldName("name") ?? p?.namedChildren.find((c) => c?.type === "identifier"));
    if (id?.text === name.text) return true;
  }
  return false;
}

/** Names a function stores in a session or cookie (`session["t"] = x`, `set_cookie("t", x)`) and names it returns. */
interface SecretUses {
  stored: Set<string>;
  returned: Set<string>;
  secretMaker: boolean;
  /** Names given as a password: `user.set_password(h)`, `setPassword(h.hexdigest())`, `password=h`, `x.password = h`. */
  asPassword: Set<string>;
}

const STORED = /\b\w*(?:session|cookie)\w*\s*\[[^\]\n]*\]\s*=\s*(\w+)\s*$|set_(?:signed_)?cookie\(([^)]*)\)/gim;
const RETURNED = /\breturn\s+(\w+)\s*$/gm;
const AS_PASSWORD = /\bset_?password\(\s*(\w+)|\b\w*(?:password|passwd)\w*\s*=\s*(\w+)/gi;

function secretUses(scope: Node | undefined): SecretUses {
  const body = scope?.text ?? "";
  const stored = new Set<string>();
  for (const m of body.matchAll(STORED)) {
    if (m[1]) stored.add(m[1]);
    for (const w of m[2]?.match(/\w+/g) ?? []) stored.add(w);
  }
  const returned = new Set<string>();
  for (const m of body.matchAll(RETURNED)) if (m[1]) returned.add(m[1]);
  const asPassword = new Set<string>();
  for (const m of body.matchAll(AS_PASSWORD)) asPassword.add(m[1] ?? m[2] ?? "");
  return { stored, returned, secretMaker: !!scope && purposeOfWords(words(scope.childForFieldName("name")?.text ?? "")) === "secret", asPassword };
}

/** A mode written with octal/decimal literals and stat's names, combined with `|` and `+`. */
const STAT_BITS: Record<string, number> = {
  S_IRWXU: 0o700,
  S_IRUSR: 0o400,
  S_IWUSR: 0o200,
  S_IXUSR: 0o100,
  S_IRWXG: 0o070,
  S_IRGRP: 0o040,
  S_IWGRP: 0o020,
  S_IXGRP: 0o010,
  S_IRWXO: 0o007,
  S_IROTH: 0o004,
  S_IWOTH: 0o002,
  S_IXOTH: 0o001,
  S_ISUID: 0o4000,
  S_ISGID: 0o2000,
  S_ISVTX: 0o1000,
  S_IREAD: 0o400,
  S_IWRITE: 0o200,
  S_IEXEC: 0o100,
};

export class CryptoMisuse {
  /** xml.sax parsers with external entities switched on, and lxml parsers that resolve them, by the name holding them. */
  private readonly entityParsers = new Map<string, { node: Node; what: string; used: boolean }>();
  /** An `os.umask` that keeps the others-write bit was called above: creation modes are then taken as written. */
  private umaskOpen = false;
  /** Per function (by start; -1 the module): the names it stores in a session or cookie and returns, read once. */
  private readonly uses = new Map<number, SecretUses>();

  /** The file's function definitions, read once (see EnclosingDefs). */
  private defs: EnclosingDefs | undefined;
  private readonly enclosingDef = (n: Node): Node | undefined => {
    this.defs ??= new EnclosingDefs(n.tree.rootNode);
    return this.defs.of(n);
  };

  constructor(private readonly host: CryptoHost) {}

  call(n: Node, fn: Node, last: string): void {
    if (RANDOM_FUNCS.has(last) || NUMPY_RANDOM_FUNCS.has(last)) this.random(n, fn, last);
    this.sharedTemp(n, fn);
    if (last === "setFeature" || last === "XMLParser" || last === "fromstring" || last === "XML" || last === "parse" || last === "iterparse" || last === "parseString") {
      this.xml(n, fn, last);
      return;
    }
    if (
      last === "chmod" ||
      last === "lchmod" ||
      last === "fchmod" ||
      last === "open" ||
      last === "makedirs" ||
      last === "mkdir" ||
      last === "mkfifo" ||
      last === "mknod" ||
      last === "touch" ||
      last === "umask"
    ) {
      this.fileMode(n, fn, last);
      return;
    }
    if (last === "decode") {
      this.jwt(n, fn);
      return;
    }
    if (last === "mktemp") {
      const q = this.host.qualify(fn);
      if (q === "tempfile.mktemp") this.host.report("insecureTempFile", n, "tempfile.mktemp returns a name without creating the file: another process can create it first", q);
      return;
    }
    if (RANDOM_FUNCS.has(last) || NUMPY_RANDOM_FUNCS.has(last)) return;
    this.hashOrCipher(n, fn);
  }

  /**
   * A fixed path in a shared temporary folder given to a call that opens, creates, writes or loads it (Bandit's
   * B108 reads every such string; here only where a file is used): another local user can create the path first,
   * or a link there, and read or replace what the program writes — or plant the file it loads.
   */
  private sharedTemp(n: Node, fn: Node): void {
    const q = this.host.qualify(fn);
    const taker = PATH_TAKERS[q];
    if (!taker) return;
    const { positional, kw } = this.host.args(n);
    const arg = (taker.kw ? kw.get(taker.kw) : undefined) ?? positional[taker.at];
    if (!arg || !this.sharedTempPath(arg)) return;
    const shown = arg.text.length > 60 ? `${arg.text.slice(0, 60)}…` : arg.text;
    if (taker.loads)
      this.host.report("sharedTempPath", n, `${q} loads ${shown}, a fixed path in a folder every local user can write: another user can plant the file it loads`, q, "medium");
    else this.host.report("sharedTempPath", n, `${shown} is a fixed path in a folder every local user can write: another user can create it (or a link there) first`, q);
  }

  /** Whether a path argument is a written-out path in a shared temporary folder (a literal, a name holding one, an f-string or `+` starting with one, `os.path.join("/tmp", …)`). */
  private sharedTempPath(arg: Node, depth = 0, head = false): boolean {
    if (depth > 4) return false;
    const c = this.host.constant(arg);
    // The left of a `+` may be the folder alone, with its slash (`"/tmp/" + name`).
    if (typeof c === "string") return SHARED_TEMP.test(c) || (head && c.endsWith("/") && SHARED_TEMP_DIR.test(c));
    if (arg.type === "string" || arg.type === "concatenated_string") return SHARED_TEMP_LITERAL.test(arg.text);
    if (arg.type === "binary_operator") {
      const left = arg.childForFieldName("left");
      return left !== null && this.sharedTempPath(left, depth + 1, true);
    }
    if (arg.type === "call") {
      const f = arg.childForFieldName("function");
      const q = f ? this.host.qualify(f) : "";
      if (q === "os.path.join" || q === "posixpath.join") {
        const first = this.host.args(arg).positional[0];
        const v = first ? this.host.constant(first) : undefined;
        return typeof v === "string" && (SHARED_TEMP_DIR.test(v) || SHARED_TEMP.test(v));
      }
      if (q === "pathlib.Path" || q === "pathlib.PurePath") {
        const first = this.host.args(arg).positional[0];
        return first !== undefined && this.sharedTempPath(first, depth + 1);
      }
    }
    return false;
  }

  /** Parsers with external entities that no parse in this file used: reported where they are made. */
  finish(): void {
    for (const [name, p] of this.entityParsers) if (!p.used) this.host.report("xmlEntities", p.node, `${name}: ${p.what}; what it parses is not seen here`, name, "medium");
  }

  // ---- hashes and ciphers --------------------------------------------------------------------------------

  private hashOrCipher(n: Node, fn: Node): void {
    const q = this.host.qualify(fn);
    if (!this.host.moduleName(q.split(".")[0] ?? "")) return;
    const { positional, kw } = this.host.args(n);
    if (WEAK_HASH_CALL.test(q) || (q === "hashlib.new" && WEAK_HASH_NAMES.test(String(this.host.constant(positional[0] ?? kw.get("name")) ?? "")))) {
      this.weakHash(n, q, positional, kw);
      return;
    }
    if (FAST_HASH_CALL.test(q)) {
      // One fast hash of a password (CWE-916): the argument itself names a password, and no salt is mixed in.
      const data = positional[0];
      if (data && purposeOfWords(words(data.text)) === "password" && !/salt/i.test(data.text))
        this.host.report("weakHash", n, `${q}() of a password: one fast unsalted hash is cracked at billions of guesses per second; use a password hash`, q, "medium");
      return;
    }
    const broken = BROKEN_CIPHER.exec(q);
    if (broken) {
      const name = broken[1] ?? broken[2] ?? broken[3] ?? q;
      this.host.report("weakCipher", n, `${name} is a broken or 64-bit-block cipher: use AES-GCM or ChaCha20-Poly1305`, q);
      return;
    }
    const block = BLOCK_CIPHER_NEW.exec(q);
    if (block) {
      this.blockCipherNew(n, q, block[1] ?? "", positional, kw);
      return;
    }
    const mode = CIPHER_MODES.exec(q);
    if (mode) {
      if (mode[1] === "ECB") this.host.report("weakCipher", n, "ECB mode encrypts equal blocks to equal ciphertext: the data's patterns show through", q);
      else {
        const iv = positional[0] ?? kw.get("initialization_vector") ?? kw.get("nonce");
        if (iv && this.fixed(iv)) this.host.report("weakCipher", n, `${mode[1]} mode with an IV or nonce written in the source: equal messages encrypt alike`, q, "medium");
      }
      return;
    }
    const gen = KEY_GENERATORS[q];
    if (gen) {
      const size = this.host.constant(kw.get(gen.name) ?? positional[gen.at]);
      if (typeof size === "number" && size < 2048)
        this.host.report("weakCipher", n, `${size}-bit ${/dsa|dss/i.test(q) ? "DSA" : "RSA"} key: keys under 2048 bits can be broken`, q, size < 1024 ? "high" : "medium");
    }
  }

  private weakHash(n: Node, q: string, positional: Node[], kw: Map<string, Node>): void {
    const forSecurity = kw.get("usedforsecurity");
    if (forSecurity && this.host.constant(forSecurity) === false) return;
    const name =
      q === "hashlib.new"
        ? String(this.host.constant(positional[0] ?? kw.get("name")))
        : (q
            .split(".")
            .filter((p) => p !== "new")
            .pop() ?? q);
    const data = q === "hashlib.new" ? (positional[1] ?? kw.get("data")) : (positional[0] ?? kw.get("data") ?? kw.get("string"));
    const around = purposeAround(n, this.enclosingDef);
    const fromData = data ? purposeOfWords(words(data.text)) : undefined;
    // the digest kept in a name that is then given as a password (`user.setPassword(h.hexdigest())`)
    const storedAsPassword = !!around.assigned && this.usesAround(around.assigned).asPassword.has(around.assigned.text);
    const purpose = fromData === "password" || around.purpose === "password" || storedAsPassword ? "password" : (around.purpose ?? fromData);
    // File contents and cache keys: a checksum, not a security use.
    if (purpose === "content" || (data && /\.read\(|\bchunk\b|\bblock\b/.test(data.text))) return;
    if (purpose === "password")
      this.host.report("weakHash", n, `${name.toUpperCase()} of a password: a fast broken hash, cracked at billions of guesses per second; use a password hash`, q, "high");
    else if (purpose === "secret") this.host.report("weakHash", n, `${name.toUpperCase()} used for a secret or signature: collisions in it are practical`, q, "medium");
    else this.host.report("weakHash", n, `${name.toUpperCase()} is broken for security use (collisions are practical); pass usedforsecurity=False if it only names data`, q, "low");
  }

  private blockCipherNew(n: Node, q: string, algo: string, positional: Node[], kw: Map<string, Node>): void {
    const mode = kw.get("mode") ?? positional[1];
    if (!mode) {
      // PyCrypto's default mode is ECB (PyCryptodome requires one).
      if (algo === "AES" && positional.length === 1 && kw.size === 0) this.host.report("weakCipher", n, "AES.new without a mode: PyCrypto's default mode is ECB", q, "medium");
      return;
    }
    if (/MODE_ECB$/.test(mode.text)) {
      this.host.report("weakCipher", n, `${algo} in ECB mode encrypts equal blocks to equal ciphertext: the data's patterns show through`, q);
      return;
    }
    const iv = kw.get("iv") ?? kw.get("IV") ?? kw.get("nonce") ?? positional[2];
    if (iv && this.fixed(iv)) this.host.report("weakCipher", n, `${algo} with an IV or nonce written in the source: equal messages encrypt alike`, q, "medium");
  }

  /** An IV written in the source: a literal (or a name holding one), also `b"\0" * 16`. */
  private fixed(n: Node): boolean {
    if (n.type === "binary_operator") return this.fixed(n.childForFieldName("left")!) && n.childForFieldName("right")?.type === "integer";
    if (n.type === "call" && /^(?:bytes|bytearray|bytes\.fromhex|b(?:ase)?64decode|unhexlify)$/.test(n.childForFieldName("function")?.text.split(".").pop() ?? "")) {
      const a = this.host.args(n).positional[0];
      return !!a && this.fixed(a);
    }
    const v = this.host.constant(n);
    return typeof v === "string" || (n.type === "string" && !n.text.includes("{"));
  }

  // ---- randomness ------------------------------------------------------------------------------------------

  private random(n: Node, fn: Node, last: string): void {
    const q = this.host.qualify(fn);
    // not a local `random`, random.SystemRandom().choice, nor a numpy Generator's method
    if (!(RANDOM_FUNCS.has(last) && /^random\.\w+$/.test(q)) && !(NUMPY_RANDOM_FUNCS.has(last) && q === `numpy.random.${last}`)) return;
    const around = purposeAround(n, this.enclosingDef);
    let why: string | undefined;
    if (around.purpose === "password" || around.purpose === "secret") why = "it makes a secret (the names say so)";
    else if (around.assigned && this.usedAsSecret(around.assigned)) why = `${around.assigned.text} is stored in a session or cookie, or returned as a secret`;
    if (!why) return;
    this.host.report("insecureRandom", n, `${q}() is predictable and ${why}: use the secrets module`, q);
  }

  /** A name assigned a random value and then stored in a session or cookie, or returned by a function named for a secret. */
  private usedAsSecret(name: Node): boolean {
    const u = this.usesAround(name);
    return u.stored.has(name.text) || (u.secretMaker && u.returned.has(name.text));
  }

  /** How the function around a name uses names (read once per function). */
  private usesAround(name: Node): SecretUses {
    const scope = this.enclosingDef(name);
    const key = scope?.startIndex ?? -1;
    let u = this.uses.get(key);
    if (!u) {
      u = secretUses(scope);
      this.uses.set(key, u);
    }
    return u;
  }

  // ---- file modes ----------------------------------------------------------------------------------------

  private fileMode(n: Node, fn: Node, last: string): void {
    const q = this.host.qualify(fn);
    const { positional, kw } = this.host.args(n);
    let mode: Node | undefined;
    if (last === "umask") {
      if (q !== "os.umask") return;
      // `old = os.umask(0); os.umask(old)` reads the mask (Python has no getter): the result kept is that idiom.
      if (n.parent?.type === "assignment") return;
      const m = this.mode(positional[0] ?? kw.get("mask"));
      if (m !== undefined && (m & 0o002) === 0) {
        this.umaskOpen = true;
        this.host.report("permissiveFileMode", n, `os.umask(0o${m.toString(8)}) lets files be created writable by every user`, q, "medium");
      }
      return;
    }
    // chmod sets the mode as written; a creation call's mode passes through the process umask (0o022 by default), so
    // 0o666/0o777 there is the usual default and grants others-write only after a umask that allows it (above).
    let created = false;
    if (q === "os.chmod" || q === "os.lchmod" || q === "os.fchmod") mode = kw.get("mode") ?? positional[1];
    else if (fn.type === "attribute" && (last === "chmod" || last === "lchmod"))
      mode = kw.get("mode") ?? (positional.length === 1 ? positional[0] : undefined); // Path(...).chmod(mode)
    else {
      created = true;
      if (q === "os.open") mode = kw.get("mode") ?? positional[2];
      else if (q === "os.makedirs" || q === "os.mkdir" || q === "os.mkfifo" || q === "os.mknod") mode = kw.get("mode") ?? positional[1];
      else if (fn.type === "attribute" && (last === "mkdir" || last === "touch") && !q.startsWith("os.")) mode = kw.get("mode"); // Path(...).mkdir(mode=…)
    }
    if (!mode || (created && !this.umaskOpen)) return;
    const m = this.mode(mode);
    if (m === undefined || (m & 0o002) === 0) return;
    const what = last === "mkdir" || last === "makedirs" ? "in this folder" : "this file";
    this.host.report(
      "permissiveFileMode",
      n,
      created ? `mode 0o${m.toString(8)} after a umask that keeps others-write lets every user write ${what}` : `mode 0o${m.toString(8)} lets every user write ${what}`,
      q,
    );
  }

  private mode(n: Node | null | undefined, depth = 0): number | undefined {
    if (!n || depth > 8) return undefined;
    if (n.type === "integer") {
      const t = n.text.replace(/_/g, "").toLowerCase();
      if (/^0o[0-7]+$/.test(t)) return Number.parseInt(t.slice(2), 8);
      if (/^0[0-7]+$/.test(t)) return Number.parseInt(t.slice(1), 8); // Python 2 octal
      const x = Number(t);
      return Number.isInteger(x) ? x : undefined;
    }
    if (n.type === "attribute" || n.type === "identifier") {
      const bit = STAT_BITS[n.text.split(".").pop() ?? ""];
      if (bit !== undefined && (n.type === "identifier" || /^stat\./.test(this.host.qualify(n)))) return bit;
      const v = this.host.constant(n);
      return typeof v === "number" ? v : undefined;
    }
    if (n.type === "parenthesized_expression") return this.mode(n.namedChildren[0], depth + 1);
    if (n.type === "binary_operator") {
      const op = n.childForFieldName("operator")?.text;
      const l = this.mode(n.childForFieldName("left"), depth + 1);
      const r = this.mode(n.childForFieldName("right"), depth + 1);
      // `|` only adds bits: one side known to grant others-write is enough (`stat.S_IRWXO | flags()`).
      if (op === "|" && (l === undefined || r === undefined)) return ((l ?? r ?? 0) & 0o002) !== 0 ? (l ?? r) : undefined;
      if (l === undefined || r === undefined) return undefined;
      if (op === "|" || op === "+") return l | r;
      if (op === "&") return l & r;
    }
    return undefined;
  }

  // ---- XML -----------------------------------------------------------------------------------------------

  private xml(n: Node, fn: Node, last: string): void {
    const { positional, kw } = this.host.args(n);
    if (last === "setFeature") {
      // parser.setFeature(feature_external_ges, True): xml.sax (and minidom/pulldom given that parser) fetch external entities.
      const feature = positional[0];
      const on = positional[1] ?? kw.get("state");
      if (!feature || !on || fn.type !== "attribute") return;
      const name = feature.text.split(".").pop() ?? "";
      const text = String(this.host.constant(feature) ?? "");
      if (!/^feature_external_[gp]es$/.test(name) && !/external-(?:general|parameter)-entities$/.test(text)) return;
      const state = this.host.constant(on);
      if (state === false || state === 0) return;
      const holder = fn.childForFieldName("object")?.text ?? "";
      this.entityParsers.set(holder, { node: n, what: "an XML parser with external entities switched on", used: false });
      return;
    }
    const q = this.host.qualify(fn);
    if (last === "XMLParser") {
      if (!/^lxml\.etree\.XMLParser$/.test(q) || !this.lxmlResolves(kw)) return;
      const assign = n.parent?.type === "assignment" ? n.parent.childForFieldName("left") : undefined;
      if (assign) this.entityParsers.set(assign.text, { node: n, what: "an lxml parser that resolves external entities", used: false });
      return;
    }
    // A parse: which parser, and what data.
    let parser: Node | undefined;
    const data: Node | undefined = positional[0] ?? kw.get("source") ?? kw.get("text") ?? kw.get("string") ?? kw.get("file");
    const receiver = fn.type === "attribute" ? fn.childForFieldName("object") : null;
    const lxml = /^lxml\.etree\.(?:fromstring|XML|parse|iterparse)$/.test(q);
    const stdlib = /^xml\.(?:dom\.(?:minidom|pulldom)\.(?:parse|parseString)|sax\.(?:parse|parseString))$/.test(q);
    if (receiver && this.entityParsers.has(receiver.text) && last === "parse") parser = receiver;
    else if (lxml || stdlib) parser = kw.get("parser") ?? positional[1];
    else return;
    const tracked = parser ? this.entityParsers.get(parser.text) : undefined;
    let what: string | undefined;
    if (tracked) {
      tracked.used = true;
      what = tracked.what;
    } else if (parser?.type === "call" && /^lxml\.etree\.XMLParser$/.test(this.host.qualify(parser.childForFieldName("function"))) && this.lxmlResolves(this.host.args(parser).kw))
      what = "an lxml parser that resolves external entities";
    else if (lxml && !parser && last !== "iterparse" && this.host.tainted(data)) what = "lxml's default parser (before lxml 5.0 it resolves external entities)";
    if (!what || !data) return;
    if (this.host.tainted(data)) this.host.report("xmlEntities", n, `${q}: ${what} parses untrusted XML: its entities can read local files and reach internal URLs`, q);
    // A caller's data: the function is a parser of whatever it is given (values built here from other data are not judged).
    else if (data.type === "identifier" && !this.host.known(data) && isParameter(data, this.enclosingDef))
      this.host.report("xmlEntities", n, `${q}: ${what} parses XML its caller passes in`, q, "medium");
  }

  private lxmlResolves(kw: Map<string, Node>): boolean {
    const resolve = kw.get("resolve_entities");
    const network = kw.get("no_network");
    return (!!resolve && this.host.constant(resolve) === true) || (!!network && this.host.constant(network) === false);
  }

  // ---- JWT -----------------------------------------------------------------------------------------------

  private jwt(n: Node, fn: Node): void {
    const q = this.host.qualify(fn);
    if (!/^jwt\.(?:api_jwt\.)?decode$|^jwt\.PyJWT\(\)\.decode$/.test(q)) return;
    const { kw } = this.host.args(n);
    const options = kw.get("options");
    const verify = kw.get("verify");
    const algorithms = kw.get("algorithms");
    if (options && verifyOff(options, this.enclosingDef)) this.host.report("jwtVerifyOff", n, "jwt.decode with verify_signature off accepts a token anyone wrote", q);
    else if (verify && this.host.constant(verify) === false) this.host.report("jwtVerifyOff", n, "jwt.decode(verify=False) accepts a token anyone wrote", q);
    else if (algorithms && /["']none["']/i.test(algorithms.text)) this.host.report("jwtVerifyOff", n, "jwt.decode allows the 'none' algorithm: an unsigned token passes", q);
  }
}
