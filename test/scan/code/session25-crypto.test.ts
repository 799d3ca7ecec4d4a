/**
 * Session 25 rules (src/scan/code/crypto-misuse.ts), each with vulnerable cases and safe look-alikes:
 * - code.xml-external-entities (CWE-611/776), code.weak-hash (CWE-327/328/916), code.weak-cipher (CWE-327/326),
 *   code.insecure-random (CWE-330/338), code.permissive-file-mode (CWE-732), code.jwt-verify-disabled (CWE-347),
 *   code.insecure-temp-file (CWE-377).
 */
import { describe, expect, it } from "vitest";
import { CODE_RULES } from "../../../src/scan/code/index.js";
import { growthRatio } from "../../helpers/cpu.js";
import { lines, ruleLines, ruleSeverities } from "../../helpers/python.js";

const found = ruleLines();
const severities = ruleSeverities();
const [XXE, HASH, CIPHER, RANDOM, MODE, JWT, TEMP] = (
  ["xmlEntities", "weakHash", "weakCipher", "insecureRandom", "permissiveFileMode", "jwtVerifyOff", "insecureTempFile"] as const
).map((k) => CODE_RULES[k].id) as [string, string, string, string, string, string, string];

describe("XML external entities", () => {
  it("parsers with external entities on, given request data or a caller's data", () => {
    const src = lines(
      "import xml.sax, xml.sax.handler",
      "from xml.dom import minidom, pulldom",
      "from lxml import etree",
      "from flask import Flask, request",
      "app = Flask(__name__)",
      "@app.post('/a')",
      "def a():",
      "    parser = xml.sax.make_parser()",
      "    parser.setFeature(xml.sax.handler.feature_external_ges, True)",
      "    return minidom.parseString(request.data, parser).toxml()",
      "@app.post('/b')",
      "def b():",
      "    p = etree.XMLParser(resolve_entities=True)",
      "    return etree.fromstring(request.data, p).text",
      "@app.post('/c')",
      "def c():",
      "    return etree.fromstring(request.get_data()).text", // lxml < 5 resolves external entities by default
      "def load(xml_text):",
      "    p = etree.XMLParser(no_network=False)",
      "    return etree.fromstring(xml_text, parser=p)",
      "def reader(stream):",
      "    h = xml.sax.make_parser()",
      "    h.setFeature('http://xml.org/sax/features/external-general-entities', 1)",
      "    return h", // handed out: reported where it is made
    );
    expect(severities(src, XXE)).toEqual(["10:high", "14:high", "17:high", "20:medium", "23:medium"]);
  });

  it("look-alikes: defusedxml, entities off, the stdlib's default parsers, constant documents", () => {
    const src = lines(
      "import xml.sax, xml.sax.handler",
      "import xml.etree.ElementTree as ET",
      "from xml.dom import minidom",
      "from lxml import etree",
      "import defusedxml.ElementTree as DET",
      "from flask import Flask, request",
      "app = Flask(__name__)",
      "@app.post('/a')",
      "def a():",
      "    parser = xml.sax.make_parser()",
      "    parser.setFeature(xml.sax.handler.feature_external_ges, False)",
      "    doc = minidom.parseString(request.data, parser)", // entities off (also the default)
      "    t = ET.fromstring(request.data)", // Python >= 3.7.1: no external entities; expat >= 2.4.1 caps expansion
      "    s = DET.fromstring(request.data)",
      "    p = etree.XMLParser(resolve_entities=False, no_network=True)",
      "    e = etree.fromstring(request.data, p)",
      "    return 'ok'",
      "def config():",
      "    q = xml.sax.make_parser()",
      "    q.setFeature(xml.sax.handler.feature_external_ges, True)",
      "    return minidom.parseString('<a>constant</a>', q)", // the program's own document
      "def own(path):",
      "    return etree.parse(path)", // lxml default parser on a caller's path: not untrusted here
    );
    expect(found(src, XXE)).toEqual([]);
  });
});

describe("weak hashes", () => {
  it("MD5/SHA-1 for passwords and secrets, anywhere else at low; fast unsalted password hashes", () => {
    const src = lines(
      "import hashlib",
      "from Crypto.Hash import MD5",
      "from cryptography.hazmat.primitives import hashes",
      "def hash_password(password):",
      "    return hashlib.md5(password.encode()).hexdigest()",
      "def sign(payload, secret):",
      "    signature = hashlib.sha1(payload + secret).hexdigest()",
      "    return signature",
      "def digest(data):",
      "    h = hashlib.new('md5')",
      "    h.update(data)",
      "    return h.digest()",
      "def store(user, password):",
      "    user.pw = hashlib.sha256(password.encode()).hexdigest()", // one fast unsalted hash of a password (CWE-916)
      "def tok(x):",
      "    session_token = MD5.new(x).hexdigest()",
      "h2 = hashes.Hash(hashes.SHA1())",
      "def register(user, text):",
      "    digest = hashlib.md5(text).hexdigest()",
      "    user.setPassword(digest)", // the digest stored as the password
    );
    expect(severities(src, HASH)).toEqual(["5:high", "7:medium", "10:low", "14:medium", "16:medium", "17:low", "19:high"]);
    // a snippet that forgot `import hashlib`: the name still spells the module
    expect(found(lines("def h(password):", "    return hashlib.md5(password).hexdigest()"), HASH)).toEqual([2]);
  });

  it("look-alikes: usedforsecurity=False, cache keys, file checksums, SHA-256+, salted password hashes", () => {
    const src = lines(
      "import hashlib, hmac",
      "def cache_key(url):",
      "    return hashlib.md5(url.encode()).hexdigest()",
      "def etag(body):",
      "    etag = hashlib.sha1(body).hexdigest()",
      "    return etag",
      "def file_md5(path):",
      "    with open(path, 'rb') as f:",
      "        return hashlib.md5(f.read()).hexdigest()",
      "def ident(name):",
      "    return hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()",
      "def sig(msg, key):",
      "    return hmac.new(key, msg, hashlib.sha256).hexdigest()",
      "def store(password, salt):",
      "    return hashlib.pbkdf2_hmac('sha256', password.encode(), salt, 600_000)",
      "def fingerprint(data):",
      "    return hashlib.sha256(data).hexdigest()",
      "def salted(password, salt):",
      "    return hashlib.sha256(salt + password).hexdigest()",
    );
    // a variable that is only named like the module
    expect([...found(src, HASH), ...found(lines("hashlib = make_hasher()", "hashlib.md5()"), HASH)]).toEqual([]);
  });
});

describe("weak ciphers", () => {
  it("DES/3DES/RC4/Blowfish, ECB, short RSA/DSA keys, fixed IVs", () => {
    const src = lines(
      "from Crypto.Cipher import AES, DES, DES3, ARC4, Blowfish",
      "from Crypto.PublicKey import RSA, DSA",
      "from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes",
      "from cryptography.hazmat.primitives.asymmetric import rsa",
      "import pyDes",
      "def enc(key, data):",
      "    a = DES.new(key, DES.MODE_CBC)",
      "    b = ARC4.new(key)",
      "    c = AES.new(key, AES.MODE_ECB)",
      "    d = Cipher(algorithms.TripleDES(key), modes.CBC(iv))",
      "    e = Cipher(algorithms.AES(key), modes.ECB())",
      "    f = AES.new(key, AES.MODE_CBC, b'\\x00' * 16)",
      "    g = Cipher(algorithms.AES(key), modes.CBC(b'0123456789abcdef'))",
      "    k = RSA.generate(1024)",
      "    k2 = rsa.generate_private_key(public_exponent=65537, key_size=512)",
      "    k3 = DSA.generate(bits=1024)",
      "    p = pyDes.triple_des(key)",
      "    return a, b, c, d, e, f, g, k, k2, k3, p",
    );
    expect(severities(src, CIPHER)).toEqual(["7:high", "8:high", "9:high", "10:high", "11:high", "12:medium", "13:medium", "14:medium", "15:high", "16:medium", "17:high"]);
  });

  it("look-alikes: AES-GCM with a random nonce, CBC with a random IV, 2048+ bit keys", () => {
    const src = lines(
      "import os",
      "from Crypto.Cipher import AES",
      "from Crypto.Random import get_random_bytes",
      "from Crypto.PublicKey import RSA",
      "from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes",
      "from cryptography.hazmat.primitives.asymmetric import rsa",
      "from cryptography.hazmat.primitives.ciphers.aead import AESGCM",
      "def enc(key, data):",
      "    a = AES.new(key, AES.MODE_GCM, nonce=get_random_bytes(12))",
      "    iv = os.urandom(16)",
      "    b = Cipher(algorithms.AES(key), modes.CBC(iv))",
      "    c = AES.new(key, AES.MODE_CBC, iv)",
      "    k = RSA.generate(3072)",
      "    k2 = rsa.generate_private_key(public_exponent=65537, key_size=2048)",
      "    g = AESGCM(key).encrypt(os.urandom(12), data, None)",
      "    return a, b, c, k, k2, g",
      "def blocks(model):",
      "    return model.new(4, 8)", // a `new` of no cipher module
    );
    expect(found(src, CIPHER)).toEqual([]);
  });
});

describe("insecure randomness", () => {
  it("random making tokens, passwords, OTPs, session values", () => {
    const src = lines(
      "import random, string",
      "from random import randint",
      "def make_password(n=12):",
      "    return ''.join(random.choice(string.ascii_letters) for _ in range(n))",
      "def otp():",
      "    code = randint(100000, 999999)",
      "    otp_code = str(code)",
      "    return otp_code",
      "def remember(mysession, response):",
      "    value = str(random.random())[2:]",
      "    mysession['rememberMe'] = value",
      "def api():",
      "    reset_token = '%030x' % random.getrandbits(120)",
      "    return reset_token",
      "def keys():",
      "    return {'api_key': random.randbytes(16)}",
    );
    expect(found(src, RANDOM)).toEqual([4, 10, 13, 16]);
  });

  it("numpy's module-level generator making a key or token (session 37)", () => {
    const src = lines(
      "import numpy as np",
      "from numpy import random as npr",
      "encryption_key = np.random.rand(32)",
      "def new_token():",
      "    api_token = np.random.randint(0, 256, 16)",
      "    return api_token",
      "session_secret = npr.bytes(16)",
    );
    expect(found(src, RANDOM)).toEqual([3, 5, 7]);
  });

  it("numpy look-alikes: data noise, a Generator's methods, a local `np`, a dictionary key", () => {
    const src = lines(
      "import numpy as np",
      "noise = np.random.rand(32)",
      "rng = np.random.default_rng()",
      "encryption_key_noise = rng.random(32)", // a Generator's method: not the module-level generator this rule reads
      "weights = np.random.randn(3, 3)",
      "def pick(d):",
      "    key = np.random.choice(list(d))", // a dictionary key, not a secret key
      "    return key",
    );
    expect(found(src, RANDOM)).toEqual([]);
  });

  it("look-alikes: secrets, SystemRandom, simulations, shuffles and numpy", () => {
    const src = lines(
      "import random, secrets",
      "import numpy as np",
      "def make_password(n=12):",
      "    return ''.join(secrets.choice('abc') for _ in range(n))",
      "def token():",
      "    rng = random.SystemRandom()",
      "    return rng.choice('abcdef')",
      "def split(rows):",
      "    random.shuffle(rows)",
      "    sample = random.sample(rows, 10)",
      "    jitter = random.uniform(0, 0.5)",
      "    return sample, jitter",
      "def augment(image):",
      "    angle = random.randint(-15, 15)",
      "    noise = np.random.rand(3)",
      "    return angle, noise",
      "def jitter_params():",
      "    sign = random.choice([-1, 1])",
      "    activation = random.choice(['relu', 'gelu'])",
      "    reset_noise = random.random()",
      "    return sign, activation, reset_noise",
      "def pick_key(d):",
      "    key = random.choice(list(d))", // a dictionary key, not a secret key
      "    return key",
    );
    expect(found(src, RANDOM)).toEqual([]);
  });
});

describe("permissive file modes", () => {
  it("world-writable modes and umask(0)", () => {
    const src = lines(
      "import os, stat",
      "from pathlib import Path",
      "os.chmod('/srv/model.bin', 0o777)",
      "os.chmod(path, stat.S_IRWXU | stat.S_IRWXG | stat.S_IRWXO)",
      "Path('run.sh').chmod(0o777)",
      "os.umask(0)",
      "os.makedirs('/srv/cache', mode=0o777, exist_ok=True)", // after umask(0): made as written
      "fd = os.open('out.bin', os.O_WRONLY | os.O_CREAT, 0o666)",
      "MODE = 0o666",
      "os.chmod('f', MODE)",
      "os.chmod('g', stat.S_IWOTH)",
      "os.chmod('h', stat.S_IRWXO | extra_bits())", // `|` only adds bits
    );
    expect(found(src, MODE)).toEqual([3, 4, 5, 6, 7, 8, 10, 11, 12]);
  });

  it("look-alikes: owner-only and read-only modes, the usual umask", () => {
    const src = lines(
      "import os, stat",
      "from pathlib import Path",
      "os.chmod('/srv/key.pem', 0o600)",
      "os.chmod('run.sh', 0o755)",
      "os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)",
      "os.makedirs('/srv/cache', mode=0o700, exist_ok=True)",
      "fd = os.open('out.bin', os.O_WRONLY | os.O_CREAT, 0o600)",
      "Path('data').mkdir(mode=0o755, parents=True)",
      "os.umask(0o022)",
      "old = os.umask(0)", // reads the mask …
      "os.umask(old)", // … and puts it back
      "fd = os.open('out.bin', os.O_WRONLY | os.O_CREAT, 0o666)", // masked by the umask: the usual default
      "os.makedirs('/srv/cache', mode=0o777, exist_ok=True)",
      "os.chmod('f', mode)", // a mode of unknown value
      "os.chmod('g', 0o777 & ~0o002)", // the others' write bit masked out
      "os.chmod('h', stat.S_IRWXU | extra_bits())", // bits of unknown value added to owner-only ones
    );
    expect(found(src, MODE)).toEqual([]);
  });
});

describe("JWT verification and mktemp", () => {
  it("jwt.decode without verification; tempfile.mktemp", () => {
    const src = lines(
      "import jwt, tempfile",
      "def claims(token):",
      "    a = jwt.decode(token, options={'verify_signature': False})",
      "    b = jwt.decode(token, verify=False)",
      "    c = jwt.decode(token, key, algorithms=['none', 'HS256'])",
      "    path = tempfile.mktemp(suffix='.json')",
      "    opts = {'verify_signature': False}",
      "    d = jwt.decode(token, key, options=opts)",
      "    return a, b, c, d, path",
    );
    expect(found(src, JWT)).toEqual([3, 4, 5, 8]);
    expect(found(src, TEMP)).toEqual([6]);
  });

  it("look-alikes: verified decodes, mkstemp, other decodes", () => {
    const src = lines(
      "import jwt, tempfile, base64",
      "def claims(token, key):",
      "    a = jwt.decode(token, key, algorithms=['HS256'])",
      "    h = jwt.get_unverified_header(token)",
      "    fd, path = tempfile.mkstemp()",
      "    b = base64.b64decode(token)",
      "    s = token.decode('utf-8')",
      "    opts = {'verify_signature': False}",
      "    opts = {'verify_signature': True, 'require': ['exp']}", // the assignment in effect
      "    c = jwt.decode(token, key, algorithms=['HS256'], options=opts)",
      "    return a, h, path, b, s, c",
    );
    expect(found(src, JWT)).toEqual([]);
    expect(found(src, TEMP)).toEqual([]);
  });
});

describe("cost", () => {
  it("thousands of crypto calls in one function stay linear (4x the lines cost well under 16x)", () => {
    const body = (k: number) => {
      const out = ["import hashlib, random, os", "def f(password, data, mysession):"];
      for (let i = 0; i < k; i++) out.push(`    t${i} = random.random()`, `    h${i} = hashlib.md5(data).hexdigest()`, `    os.chmod('x', 0o644)`);
      out.push("    mysession['token'] = t0", "    return h0");
      return `${out.join("\n")}\n`;
    };
    const large = body(1600);
    expect(found(large, RANDOM)).toEqual([3]);
    expect(growthRatio((src: string) => found(src, RANDOM), body(400), large)).toBeLessThan(9);
  });
});
