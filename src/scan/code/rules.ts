import type { Severity } from "../../core/index.js";
import { registerRules } from "../../core/rules.js";
import { tag } from "../../core/tags.js";

export interface CodeRule {
  id: string;
  title: string;
  cwe: number;
  severity: Severity;
  /** Why it matters (SARIF fullDescription). */
  description: string;
  /** The fix, shown as remediation. */
  fix: string;
  tags?: string[];
}

const supplyChain = [tag.owaspMl("ML06"), tag.atlas("AML.T0010")];

export const CODE_RULES = {
  deserialization: {
    id: "code.unsafe-deserialization",
    title: "Untrusted data deserialised with pickle or a pickle-based loader",
    cwe: 502,
    severity: "high",
    description:
      "pickle, cPickle, dill, cloudpickle, joblib, shelve, jsonpickle, marshal and pandas.read_pickle run code embedded in the data while loading it; a tampered model or dataset file executes on the loading machine.",
    fix: "Load weights with safetensors (or ONNX), data with Parquet/CSV/JSON; if a pickle is unavoidable, verify its signature or digest before loading and scan it with `rampart scan model`.",
    tags: supplyChain,
  },
  torchLoad: {
    id: "code.torch-load-unsafe",
    title: "torch.load without weights_only=True",
    cwe: 502,
    severity: "high",
    description: "torch.load unpickles the checkpoint; without weights_only=True (and torch >= 2.6, see CVE-2025-32434) a malicious checkpoint runs arbitrary code.",
    fix: "Pass weights_only=True and require torch>=2.6, or store weights as safetensors and load them with safetensors.torch.load_file.",
    tags: supplyChain,
  },
  numpyPickle: {
    id: "code.numpy-allow-pickle",
    title: "numpy.load with allow_pickle=True",
    cwe: 502,
    severity: "high",
    description: "allow_pickle=True lets .npy/.npz object arrays carry pickles, which run code when loaded.",
    fix: "Keep the default allow_pickle=False and save plain numeric arrays; convert object arrays to a structured format.",
    tags: supplyChain,
  },
  yamlLoad: {
    id: "code.yaml-unsafe-load",
    title: "yaml.load without a safe loader",
    cwe: 502,
    severity: "high",
    description: "PyYAML's full and unsafe loaders construct arbitrary Python objects named in the document (!!python/object), so a config file can execute code.",
    fix: "Use yaml.safe_load(...) or yaml.load(..., Loader=yaml.SafeLoader).",
  },
  kerasUnsafe: {
    id: "code.keras-unsafe-load",
    title: "Keras model loaded with safe_mode=False",
    cwe: 502,
    severity: "high",
    description: "safe_mode=False (or enable_unsafe_deserialization) lets a .keras file deserialise Lambda layers, i.e. run arbitrary Python bytecode from the model file.",
    fix: "Keep safe_mode=True (the default) and replace Lambda layers with registered custom layers.",
    tags: supplyChain,
  },
  trustRemoteCode: {
    id: "code.trust-remote-code",
    title: "trust_remote_code=True executes code downloaded from a model hub",
    cwe: 94,
    severity: "high",
    description:
      "With trust_remote_code=True, transformers/datasets import Python files from the model or dataset repository; whoever controls that repository (or its next commit) runs code in your process.",
    fix: "Use a model supported natively by the library; if remote code is required, pin revision= to a reviewed commit SHA and vendor the code.",
    tags: supplyChain,
  },
  evalExec: {
    id: "code.eval-exec",
    title: "eval/exec/compile on a non-literal value",
    cwe: 95,
    severity: "high",
    description: "eval, exec and compile run whatever string they are given; when that string comes from data, a prompt, a model output or a request, it is code injection.",
    fix: "Parse data with json or ast.literal_eval; dispatch with an explicit mapping of allowed operations instead of evaluating strings.",
    tags: [tag.owaspLlm("LLM05")],
  },
  loggingListen: {
    id: "code.logging-listen",
    title: "logging.config.listen accepts configuration from the network",
    cwe: 94,
    severity: "high",
    description:
      "logging.config.listen starts a socket server that applies any logging configuration sent to it; a configuration can name classes and callables, so whoever reaches the port runs code in the process.",
    fix: "Do not expose the listener; if it is needed, pass verify= with a function that checks a signature (or decrypts) and bind it to localhost only.",
  },
  agentCodeExecution: {
    id: "code.agent-code-execution",
    title: "AI agent or LLM tool runs generated code without confirmation or sandbox",
    cwe: 94,
    severity: "high",
    description:
      "An agent or chain configured to execute what the model writes (a Python REPL or shell tool, Open Interpreter with auto_run, LangChain's allow_dangerous_code, PAL and bash chains, a host code executor, permission checks bypassed) runs code chosen by whoever can steer the model: a prompt injection in a web page, a document or a tool result becomes code execution on the host.",
    fix: "Keep a human confirmation step (auto_run=False, the default permission mode), run generated code only in a sandbox (a container or a remote executor such as Docker/E2B), and give agents narrow tools instead of a REPL or a shell.",
    tags: [tag.owaspLlm("LLM06"), tag.owaspLlm("LLM05")],
  },
  agentOpenRequests: {
    id: "code.agent-open-requests",
    title: "AI agent allowed to send requests to any URL",
    cwe: 918,
    severity: "medium",
    description:
      "LangChain's allow_dangerous_requests=True lets a requests toolkit or OpenAPI agent call whatever URL the model chooses: a prompt injection can make the server reach internal services or send data out (server-side request forgery).",
    fix: "Leave allow_dangerous_requests off; give the agent tools bound to the few endpoints it needs, or an allow-list of hosts enforced outside the model.",
    tags: [tag.owaspLlm("LLM06")],
  },
  shell: {
    id: "code.shell-injection",
    title: "Command run through a shell",
    cwe: 78,
    severity: "high",
    description: "os.system, os.popen, subprocess with shell=True and friends hand a string to /bin/sh; any interpolated value can add commands.",
    fix: "Call subprocess.run([...], shell=False) with an argument list (shlex.split a constant if needed) and validate inputs.",
  },
  tls: {
    id: "code.tls-verify-disabled",
    title: "TLS certificate verification disabled",
    cwe: 295,
    severity: "high",
    description: "Without certificate verification, anyone on the network path can impersonate the server and read or alter traffic (model downloads, API keys).",
    fix: "Remove verify=False / CERT_NONE; point verify= at a CA bundle if a private CA is used.",
  },
  archive: {
    id: "code.archive-extraction",
    title: "Archive extracted without member filtering",
    cwe: 22,
    severity: "high",
    description:
      "tarfile.extractall without a filter follows ../ paths, absolute paths and links in the archive (path traversal, CVE-2007-4559); downloaded datasets and checkpoints are archives.",
    fix: "Pass filter='data' (Python 3.12+, backported to 3.8.17+) or check every member's resolved path before extracting.",
    tags: supplyChain,
  },
  decompressionBomb: {
    id: "code.decompression-bomb",
    title: "Archive or compressed data from input unpacked without a size limit",
    cwe: 409,
    severity: "medium",
    description:
      "A zip, tar, gzip, bz2, lzma or zlib stream from a request, the command line or a caller is unpacked whole: a few kilobytes can expand to gigabytes (a decompression bomb), filling the disk or memory of the machine that unpacks it. Uploaded datasets and checkpoints are archives.",
    fix: "Check each member's declared size (ZipInfo.file_size, TarInfo.size) and their sum against a limit before extracting, read members with a bounded read(n), and pass max_length= to a decompressobj.",
    tags: supplyChain,
  },
  errorExposure: {
    id: "code.error-details-exposed",
    title: "Stack trace, exception text or program state sent in a web response",
    cwe: 209,
    severity: "medium",
    description:
      "A web handler that returns or renders traceback.format_exc(), locals(), vars(), an object's __dict__ or the text of a caught exception shows the client file paths, library versions, queries, configuration and secrets held in variables (CWE-209, and CWE-215 when it is debugging output).",
    fix: "Log the details on the server (logger.exception(...)) and answer with a fixed message and an error id; render templates with the named values they need, not locals().",
    tags: [tag.cwe(215)],
  },
  argumentInjection: {
    id: "code.argument-injection",
    title: "Untrusted value passed to a program where it can be read as an option",
    cwe: 88,
    severity: "medium",
    description:
      "Without a shell the value cannot add commands, but a program reads an argument that starts with `-` as an option: `--upload-pack=…` for git, `-exec` for find, `-o` for curl. A request value split with shlex.split or placed in the argument list before `--` chooses the program's options.",
    fix: "Put `--` before untrusted arguments (for programs that honour it), reject values starting with `-`, or pass the value in a form the program cannot read as an option (a `./`-prefixed path, an allow-listed word).",
  },
  credential: {
    id: "code.hardcoded-credential",
    title: "Hard-coded credential",
    cwe: 798,
    severity: "high",
    description: "A password, token or key literal in source is readable by everyone with the code and stays in git history after it is removed.",
    fix: "Read it from the environment or a secret manager at runtime, and rotate the exposed value.",
  },
  cryptoKey: {
    id: "code.hardcoded-crypto-key",
    title: "Hard-coded cryptographic key",
    cwe: 321,
    severity: "high",
    description:
      "A key written in the source and given to a cipher (AESGCM, Fernet, Crypto.Cipher AES.new …) protects nothing: everyone with the code or its git history can decrypt and forge.",
    fix: "Load the key from a secret manager or the environment at runtime (or derive it with a KDF from a secret that is), and rotate the exposed key.",
  },
  unpinned: {
    id: "code.unpinned-download",
    title: "Model or dataset downloaded without a pinned revision",
    cwe: 494,
    severity: "medium",
    description:
      "from_pretrained / hf_hub_download / snapshot_download / load_dataset without revision= fetch whatever the repository holds today; a compromised or changed repository changes your model silently.",
    fix: "Pass revision='<40-hex commit sha>' (and record it in the model card / SBOM).",
    tags: supplyChain,
  },
  debug: {
    id: "code.debug-server",
    title: "Debug server or public bind",
    cwe: 489,
    severity: "high",
    description:
      "Flask/Werkzeug debug mode serves an interactive debugger that runs Python for anyone who can reach it; binding to 0.0.0.0 or gradio share=True exposes the app beyond localhost.",
    fix: "Never pass debug=True outside local development; bind to 127.0.0.1 and put a reverse proxy with authentication in front.",
  },
  sql: {
    id: "code.sql-injection",
    title: "SQL built from strings",
    cwe: 89,
    severity: "high",
    description: "Formatting values into SQL text (f-strings, +, %, .format) lets input change the query.",
    fix: "Use parameters: cursor.execute('SELECT … WHERE id = %s', (value,)) or sqlalchemy.text with bound parameters.",
  },
  templateInjection: {
    id: "code.template-injection",
    title: "Template text built from data (server-side template injection)",
    cwe: 1336,
    severity: "high",
    description:
      "Jinja2, Django, Mako and Tornado templates evaluate expressions with access to Python objects; when the template's own text comes from a request, a model's output or a value formatted into it, whoever controls that value runs code on the server (a kind of code injection, CWE-94).",
    fix: "Keep template text constant (a file or a literal) and pass values as context: render_template_string(TEMPLATE, name=name); to render untrusted templates use jinja2.sandbox.SandboxedEnvironment.",
    tags: [tag.cwe(94), tag.owaspLlm("LLM05")],
  },
  templateAutoescape: {
    id: "code.template-autoescape-off",
    title: "Template engine with autoescaping switched off",
    cwe: 79,
    severity: "medium",
    description:
      "With autoescape=False (Jinja2) or autoescape=None (Tornado) the templates write values into HTML as they are, so markup in a value (a user's name, a model's answer) becomes part of the page: cross-site scripting.",
    fix: "Jinja2: pass autoescape=select_autoescape() (or True) and mark only trusted HTML with Markup. Tornado: leave autoescape at its default (xhtml_escape) and mark trusted HTML with {% raw %}.",
  },
  tlsWeakProtocol: {
    id: "code.tls-weak-protocol",
    title: "Deprecated SSL/TLS protocol version",
    cwe: 327,
    severity: "medium",
    description:
      "SSL 2 and 3 are broken and TLS 1.0 and 1.1 are deprecated (RFC 8996; Python's ssl module deprecates them since 3.10): a connection pinned to, or allowed down to, one of them can be downgraded or decrypted by someone on the path.",
    fix: "Use ssl.PROTOCOL_TLS_CLIENT (or ssl.create_default_context()) / PROTOCOL_TLS_SERVER, and set context.minimum_version = ssl.TLSVersion.TLSv1_2 if a floor is needed.",
  },
  pathTraversal: {
    id: "code.path-traversal",
    title: "File path taken from a web request or a model's output",
    cwe: 22,
    severity: "high",
    description:
      "A file name from a request or a language model's output opened, sent, copied or deleted as given: `../` or an absolute path reaches any file the server can read or write — model weights, keys, configuration.",
    fix: "Take the last component only (`os.path.basename`, `werkzeug.utils.secure_filename`), serve with `send_from_directory`, or resolve the path and check it stays inside the base directory (`os.path.realpath(p).startswith(base + os.sep)`) before using it.",
  },
  openRedirect: {
    id: "code.open-redirect",
    title: "Redirect to a URL taken from the request",
    cwe: 601,
    severity: "medium",
    description:
      "A redirect (`redirect`, `HttpResponseRedirect`, `RedirectResponse`, a `Location` header) to a URL from the request sends users wherever the sender chose, under your domain's name: phishing pages, token theft through OAuth callbacks.",
    fix: "Redirect to `url_for(...)`/`reverse(...)` targets, or check the URL first: Django's `url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()})`, or `urlparse(url)` with an empty `netloc` (relative paths only) or a host in an allow-list.",
  },
  ssrf: {
    id: "code.ssrf",
    title: "Server-side request to a URL taken from the request",
    cwe: 918,
    severity: "high",
    description:
      "requests, httpx, urllib, urllib3 or aiohttp fetching a URL (or host) from the request lets the sender make the server call internal services, cloud metadata endpoints (169.254.169.254) or local files (`file://`).",
    fix: "Keep the scheme and host constant and pass input only as a path segment or through `params=`; if the host must vary, parse the URL and compare its host with an allow-list (and block private addresses) before fetching.",
  },
  xss: {
    id: "code.xss",
    title: "Request input written into HTML unescaped (cross-site scripting)",
    cwe: 79,
    severity: "high",
    description:
      "Request values placed in a page the framework will not escape — a string returned by a Flask route, `make_response`/`HttpResponse`/`HTMLResponse` of built HTML, `Markup(...)`/`mark_safe(...)`, a `format_html` format string — run as script in the visitor's browser.",
    fix: "Render templates with autoescaping and pass values as context; otherwise escape each value (`markupsafe.escape`, `html.escape`, `django.utils.html.escape`, `bleach.clean`) or answer with JSON (`jsonify`, `JsonResponse`).",
  },
  ldapInjection: {
    id: "code.ldap-injection",
    title: "LDAP search filter built from request input",
    cwe: 90,
    severity: "high",
    description:
      "An ldap3 or python-ldap search whose filter (or base DN) is formatted from request values lets the sender add filter syntax (`*`, `)(`): list every entry, read other users' attributes, or pass a login check.",
    fix: "Escape each value with `ldap3.utils.conv.escape_filter_chars` / `ldap.filter.escape_filter_chars`, or build the filter with `ldap.filter.filter_format(template, [value])`.",
  },
  xpathInjection: {
    id: "code.xpath-injection",
    title: "XPath expression built from request input",
    cwe: 643,
    severity: "high",
    description: "An lxml or ElementTree XPath expression formatted from request values lets the sender change the query (`' or '1'='1`) and read nodes it should not.",
    fix: 'Keep the expression constant and pass values as XPath variables: `tree.xpath("//user[@name=$name]", name=value)` or `etree.XPath("…$name…")(tree, name=value)`.',
  },
  insecureCookie: {
    id: "code.insecure-cookie",
    title: "Cookie set without the Secure or HttpOnly flag",
    cwe: 614,
    severity: "medium",
    description:
      "A cookie set with `secure=False` is sent over plain HTTP, where anyone on the path reads it; with `httponly=False` page scripts (and so any XSS) read it. For a session or token cookie either one hands over the login.",
    fix: 'Pass `secure=True, httponly=True` (and `samesite="Lax"`) to `set_cookie`, or set `SESSION_COOKIE_SECURE`/`SESSION_COOKIE_HTTPONLY` in the framework\'s settings.',
    tags: [tag.cwe(1004)],
  },
  xmlEntities: {
    id: "code.xml-external-entities",
    title: "XML parser that resolves external entities reads untrusted XML",
    cwe: 611,
    severity: "high",
    description:
      "A parser with external entities switched on (xml.sax's feature_external_ges, lxml's resolve_entities=True or no_network=False, lxml before 5.0 by default) fetches whatever a document's <!ENTITY x SYSTEM \"file:///…\"> names: an XML document from a request reads local files into the answer, reaches internal URLs (XXE, CWE-611), and nested entities can expand without bound (CWE-776).",
    fix: "Parse untrusted XML with defusedxml (defusedxml.ElementTree.fromstring, defusedxml.minidom.parseString), leave xml.sax's external-entity features off, and give lxml XMLParser(resolve_entities=False, no_network=True, load_dtd=False).",
    tags: [tag.cwe(776)],
  },
  weakHash: {
    id: "code.weak-hash",
    title: "MD5 or SHA-1 used for security, or a fast unsalted hash for passwords",
    cwe: 327,
    severity: "medium",
    description:
      "MD5 and SHA-1 have practical collisions (CWE-327/328): a signature, token or integrity check built on them can be forged. Passwords stored as one fast hash (MD5, SHA-1, even SHA-256) without salt and work factor are cracked at billions of guesses per second (CWE-916).",
    fix: "Use SHA-256 or better (hashlib.sha256, hmac with SHA-256) for integrity and signatures, a password hash (hashlib.scrypt, pbkdf2_hmac with many iterations, bcrypt, argon2) for passwords, and pass usedforsecurity=False where MD5/SHA-1 only names a cache entry.",
    tags: [tag.cwe(328), tag.cwe(916)],
  },
  weakCipher: {
    id: "code.weak-cipher",
    title: "Broken cipher, ECB mode, short RSA/DSA key or fixed IV",
    cwe: 327,
    severity: "high",
    description:
      "DES, 3DES, RC4, RC2, Blowfish, CAST, IDEA and XOR are broken or have 64-bit blocks (Sweet32); ECB mode encrypts equal blocks to equal output and shows the data's patterns; RSA and DSA keys under 2048 bits can be factored or forged (CWE-326); a fixed IV or nonce makes equal messages encrypt alike and breaks CTR/GCM outright.",
    fix: "Use AES-GCM or ChaCha20-Poly1305 (cryptography's AESGCM / ChaCha20Poly1305, or Fernet) with a fresh random nonce per message (os.urandom), and RSA/DSA keys of 2048 bits or more (3072 for new keys).",
    tags: [tag.cwe(326), tag.cwe(329)],
  },
  insecureRandom: {
    id: "code.insecure-random",
    title: "random module used for a token, password, key or session id",
    cwe: 330,
    severity: "medium",
    description:
      "The random module is a Mersenne Twister: after 624 outputs its whole future is known, and its seed is guessable. Tokens, passwords, session ids, OTPs, nonces or keys made with it can be predicted by whoever sees a few of them (CWE-338).",
    fix: "Use the secrets module (secrets.token_urlsafe, secrets.token_hex, secrets.choice, secrets.randbelow) or random.SystemRandom() for anything an attacker must not guess.",
    tags: [tag.cwe(338)],
  },
  permissiveFileMode: {
    id: "code.permissive-file-mode",
    title: "File or folder made writable by every user",
    cwe: 732,
    severity: "high",
    description:
      "A mode with the 'others may write' bit (0o777, 0o666, stat.S_IWOTH), or umask(0), lets every local user and process change the file: replace a model, a script or a configuration that a privileged process then loads or runs.",
    fix: "Give files 0o600 or 0o644 and folders 0o700 or 0o755, and keep the default umask (0o022 or stricter).",
  },
  jwtVerifyOff: {
    id: "code.jwt-verify-disabled",
    title: "JWT decoded without verifying its signature",
    cwe: 347,
    severity: "high",
    description:
      "jwt.decode with verify_signature off (or the old verify=False), or with the algorithm 'none' allowed, accepts any token a client writes: whoever sends a forged token is whoever they claim to be.",
    fix: 'Verify every token: jwt.decode(token, key, algorithms=["HS256"]) (or the one asymmetric algorithm you use); read unverified headers only to pick a key, never to trust claims.',
  },
  insecureTempFile: {
    id: "code.insecure-temp-file",
    title: "tempfile.mktemp: a temporary name someone else can take first",
    cwe: 377,
    severity: "medium",
    description:
      "tempfile.mktemp returns a name without creating the file; another process can create that path (or a link there) before this one opens it, and the program then writes into a file the attacker controls.",
    fix: "Use tempfile.NamedTemporaryFile, tempfile.mkstemp or tempfile.mkdtemp, which create the file or folder atomically.",
  },
  sharedTempPath: {
    id: "code.shared-temp-path",
    title: "Fixed path in a shared temporary folder",
    cwe: 377,
    severity: "low",
    description:
      "/tmp, /var/tmp and /dev/shm are writable by every local user: a path written out there can be created first by someone else, or be a link to another file, so the program writes into (or reads, or loads as a model) a file another user controls.",
    fix: "Create temporary files and folders with tempfile.NamedTemporaryFile, mkstemp or mkdtemp (unpredictable names, created atomically), or keep them under a folder only this user can write.",
  },
  suppression: {
    id: "code.suppression-without-reason",
    title: "Suppression comment without a reason",
    cwe: 1078,
    severity: "low",
    description: "`# rampart: ignore[RULE]` needs a reason after the bracket so reviewers know why the finding is accepted; without one the suppression is not applied.",
    fix: "Write `# rampart: ignore[RULE] <why this is safe>`.",
  },
  parse: {
    id: "code.parse-error",
    title: "File could not be parsed completely",
    cwe: 1164,
    severity: "info",
    description: "Part of the file is not valid Python 3 (or the notebook JSON is malformed); code inside the unparsable region was not analysed.",
    fix: "Fix the syntax error (or port Python 2 code) so the whole file is analysed.",
  },
} as const satisfies Record<string, CodeRule>;

export type CodeRuleKey = keyof typeof CODE_RULES;

registerRules(
  Object.values(CODE_RULES).map((r: CodeRule) => ({
    id: r.id,
    title: r.title,
    description: r.description,
    help: r.fix,
    defaultSeverity: r.severity,
    tags: [tag.cwe(r.cwe), ...(r.tags ?? [])],
  })),
);
