import type { Parser } from "web-tree-sitter";
import type { Severity } from "../../core/index.js";
import { SEVERITIES } from "../../core/severities.js";
import { AGENT_CALLS, AGENT_KEYWORDS, agentAttribute, agentKeyword, agentTool, codeAgent, loadedTools, remoteExecutor } from "./agent.js";
import { CLIENT_SECRET_NAMES, CLIENT_SECRET_SLOTS, credentialLevel, slotPlaceholder } from "./credential.js";
import { CRYPTO_CALL_NAMES, CryptoMisuse } from "./crypto-misuse.js";
import { guardAdmits, guardAdmitsInjection } from "./regex-guard.js";
import { CODE_RULES, type CodeRule } from "./rules.js";
import { type SyntaxNode as Node, parseSyntax } from "./syntax.js";
import type { TemplateLookup } from "./templates.js";
import { type Exposure, exposureIn, isWebHandler, RESPONSE_CALLS } from "./web-handler.js";
import { WEB_SINK_NAMES, WebSinks } from "./web-sinks.js";

/** A finding inside one Python source text; lines and columns are 1-based. */
export interface CodeHit {
  rule: CodeRule;
  severity: Severity;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The qualified call or name that matched, e.g. "torch.load". */
  symbol?: string;
  /** An unsafe API given only the program's own constants (session 18): printed only when asked for. */
  constantUse?: true;
}

export interface Analysis {
  hits: CodeHit[];
  suppressed: number;
  parseError: boolean;
  /** The syntax tree nests deeper than the analyzer's recursion can follow (thousands of `a + b + …`): not analysed. */
  tooDeep?: boolean;
  /** What this file's module-level functions give back, for files that import them (only functions whose result can be untrusted). */
  exports?: Record<string, ExternalSummary>;
  /** The names this file imports, as spelled in it (`utils.clean`, `.helpers.get_arg`, `pkg.util`): where summaries may apply. */
  imports?: string[];
  /**
   * Session 32, part 2: findings left out because every call of this file to the helper holding them hands it the
   * program's own data; the scan reports them after all when another file of the tree imports this one.
   */
  callerCleared?: CodeHit[];
}

/**
 * A function of another file of the scanned tree, as a caller sees it (plain data: it crosses threads):
 * its result is untrusted input (`def arg(n): return request.args[n]`), or gives back the parameters at
 * `params` (`def clean(x): return x.strip()`), so untrusted input handed there comes back untrusted.
 */
export interface ExternalSummary {
  tainted: boolean;
  params: string[];
  returned: number[];
  /**
   * Session 13: set for a module-level constant instead of a function (`VERIFY = False`, `HOST = "0.0.0.0"`),
   * assigned once at module level: flags, numbers and every-interface listen addresses only, so a name from
   * another file never makes a command or a query constant.
   */
  constant?: { kind: "true" | "false" | "none" | "number" | "string"; text?: string };
  /** Session 14: the parameters that reach a dangerous sink inside the function (it is a wrapper of that sink). */
  sinks?: WrapperSink[];
  /** Session 16: every return gives back this constant (`return "echo hello"`), so the call's result is one too. */
  returns?: { kind: "string" | "number"; text?: string };
  /** Session 33: every return gives back the parameter at this index itself, never rebound (`def same(x): return x`). */
  identity?: number;
}

/** The rules whose sink a project function can wrap (`def run(cmd): subprocess.call(cmd, shell=True)`). */
const WRAPPABLE = new Set(["shell", "sql", "evalExec", "deserialization", "torchLoad"]);
type WrapKey = "shell" | "sql" | "evalExec" | "deserialization" | "torchLoad";

/**
 * A parameter of a function that reaches a dangerous sink inside it: a call handing that parameter data
 * built at runtime or untrusted input is reported at the call, naming the wrapper and the sink.
 */
export interface WrapperSink {
  param: number;
  /** The parameter's name (a keyword argument may give it). */
  name: string;
  key: WrapKey;
  /** The sink inside, as the finding there names it (`subprocess.call`), with its line in the wrapper's file. */
  inner: string;
  line: number;
}

/**
 * A function or method named as running a command line (`_run_ssh`, `_cli_run`, `run_command`, `exec_cmd`,
 * `ssh_execute`, `exec_command`): projects route their shell and SSH commands through such helpers.
 */
const COMMAND_RUNNER = /^_*(?:(?:run|exec|execute|call)_?(?:ssh|cmd|command|cli|shell|remote)(?:_\w+)?|(?:ssh|cli|shell|remote|cmd|command)_?(?:run|exec|execute|call))$/i;

/** Argument names under which the data of a wrapped sink is passed (its first positional argument otherwise). */
const SINK_DATA_KEYWORDS = /^(?:cmd|command|args|sql|query|statement|operation|source|expression|code|data|file|fp|f|s|path|filename|object)$/;

/**
 * The findings in a code string that make running the string an injection (session 32): the string's own code runs
 * text it does not control. Other findings in it (a file mode, a weak hash) are the string's, not an injection.
 */
const EMBEDDED_INJECTIONS: ReadonlySet<string> = new Set([CODE_RULES.evalExec.id, CODE_RULES.shell.id, CODE_RULES.sql.id]);
/** Calls that take a callable and the arguments to call it with (session 32: eval/exec handed on). */
const HANDS_CALLABLE = /^(?:Thread|Process|Timer|submit|call_soon|call_soon_threadsafe|run_in_executor|apply|apply_async|map|imap|imap_unordered|map_async)$/;
const INTERESTING = new Set([
  "partial",
  "spawn", // pexpect (session 18)
  "spawnu",
  "runu",
  "PopenSpawn",
  "DebuggedApplication", // Werkzeug's debugger (session 18)
  "run_simple",
  "load",
  "loads",
  "Unpickler",
  "DbfilenameShelf",
  "Shelf",
  "BsdDbShelf",
  "read_pickle",
  "open",
  "decode",
  "unsafe_load",
  "unsafe_load_all",
  "load_all",
  "full_load",
  "load_model",
  "enable_unsafe_deserialization",
  "eval",
  "unsafe_eval",
  "exec",
  "compile",
  "system",
  "popen",
  "popen2",
  "popen3",
  "popen4",
  "Popen3",
  "Popen4",
  "getoutput",
  "getstatusoutput",
  "run",
  "call",
  "check_call",
  "check_output",
  "Popen",
  "create_subprocess_shell",
  "extractall",
  "unpack_archive",
  "_extract_member",
  "_extract_one",
  "from_pretrained",
  "hf_hub_download",
  "snapshot_download",
  "load_dataset",
  "launch",
  "run_server",
  "pipeline",
  "SentenceTransformer",
  "execute",
  "executemany",
  "executescript",
  "read_sql",
  "read_sql_query",
  "text",
  "TextClause",
  "raw",
  "_create_unverified_context",
  "_create_stdlib_context",
  "configure",
  "restore",
  "bind",
  "create_server",
  "start_server",
  "make_server",
  "TCPServer",
  "UDPServer",
  "ThreadingTCPServer",
  "ThreadingUDPServer",
  "ForkingTCPServer",
  "ForkingUDPServer",
  "HTTPServer",
  "ThreadingHTTPServer",
  "SimpleXMLRPCServer",
  "DocXMLRPCServer",
  "WSGIServer",
  "subprocess_shell",
  "exec_command",
  "BashOperator",
  "YAML",
  "encode",
  "broadcast_object_list",
  "recv_object_list",
  "scatter_object_list",
  "all_gather_object",
  "gather_object",
  "PackageImporter",
  "RawSQL",
  "fetch",
  "fetchrow",
  "fetchval",
  "update",
  "extract",
  "extra",
  "read_array",
  "patch",
  "unpackb",
  "unpack",
  "query",
  "SSLContext",
  "Context",
  "set_verify",
  "getenv",
  "get",
  "setdefault",
  "connect",
  "Connect",
  "Connection",
  "Redis",
  "StrictRedis",
  "login",
  "FTP",
  "FTP_TLS",
  "simple_bind_s",
  "simple_bind",
  "bind_s",
  "create_engine",
  "from_url",
  "MongoClient",
  "HTTPBasicAuth",
  "HTTPDigestAuth",
  "HTTPProxyAuth",
  "BasicAuth",
  "callproc",
  "DB",
  "spawnl",
  "spawnle",
  "spawnlp",
  "spawnlpe",
  "spawnv",
  "spawnve",
  "spawnvp",
  "spawnvpe",
  "execl",
  "execle",
  "execlp",
  "execlpe",
  "execv",
  "execve",
  "execvp",
  "execvpe",
  "render_template_string",
  "Template",
  "from_string",
  "Environment",
  "Application", // tornado.web.Application(autoescape=None) (session 36)
  "Loader",
  "DictLoader",
  "model_from_yaml",
  "starttls",
  "stls",
  "SMTP_SSL",
  "NNTP_SSL",
  "IMAP4_SSL",
  "POP3_SSL",
  "Server",
]);
/** A shell program and the flag that makes it run its next argument as a command line. */
const SHELL_PROGRAM = /^(?:\/(?:usr\/)?bin\/)?(?:sh|bash|zsh|dash|ksh|ash|cmd|cmd\.exe|powershell|powershell\.exe|pwsh)$/i;
const SHELL_COMMAND_FLAG = /^(?:-c|-lc|-ic|-ec|\/c|\/k|-command)$/i;

const PICKLE_LIKE: Record<string, readonly string[]> = {
  pickle: ["load", "loads", "Unpickler"],
  cPickle: ["load", "loads", "Unpickler"],
  _pickle: ["load", "loads", "Unpickler"],
  dill: ["load", "loads", "Unpickler"],
  cloudpickle: ["load", "loads"],
  "ray.cloudpickle": ["load", "loads"],
  pickle5: ["load", "loads", "Unpickler"],
  joblib: ["load"],
  "sklearn.externals.joblib": ["load"],
  shelve: ["open", "DbfilenameShelf", "Shelf", "BsdDbShelf"],
  jsonpickle: ["decode", "loads"],
  "jsonpickle.unpickler": ["decode"],
  marshal: ["load", "loads"],
  pandas: ["read_pickle"],
  "torch.serialization": ["load"],
};
/** Statements after which nothing in the same block runs. */
const TERMINAL_STATEMENTS = new Set(["return_statement", "raise_statement", "break_statement", "continue_statement"]);
const DESERIALIZERS = new Set(Object.entries(PICKLE_LIKE).flatMap(([m, fs]) => fs.map((f) => `${m}.${f}`)));
const SHELL_ALWAYS = new Set([
  "os.system",
  "os.popen",
  "os.popen2",
  "os.popen3",
  "os.popen4",
  "popen2.popen2",
  "popen2.popen3",
  "popen2.popen4",
  "popen2.Popen3",
  "popen2.Popen4",
  "commands.getoutput",
  "commands.getstatusoutput",
  "subprocess.getoutput",
  "subprocess.getstatusoutput",
  "asyncio.create_subprocess_shell",
  "asyncio.subprocess.create_subprocess_shell",
  "platform.popen",
]);
/** torch.distributed collectives that pickle Python objects between ranks (PyTorch's own warning). */
const TORCH_OBJECT_COLLECTIVES = new Set(["broadcast_object_list", "recv_object_list", "scatter_object_list", "all_gather_object", "gather_object"]);
/** MLflow flavours whose load_model unpickles (pickle/cloudpickle/torch.load) what the model URI holds. */
const MLFLOW_PICKLE_FLAVOURS = /^mlflow\.(?:sklearn|pyfunc|pytorch|statsmodels|pmdarima|diviner|langchain)\.load_model$/;
/** Builtins whose result cannot carry shell or SQL syntax: numbers, lengths, quoted words. */
const SAFE_SCALAR_CALLS = new Set(["int", "float", "bool", "len", "abs", "round", "shlex.quote", "pipes.quote", "shlex.join", "uuid.uuid4", "hash"]);
/** A printf-style format whose every conversion is numeric (`%d`, `%5.2f`): a non-number raises instead of injecting. */
const NUMERIC_FORMAT = /%(?:\([^)]*\))?[#0 +-]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[hlL]?([a-zA-Z%])/g;
/** Node types that are literals (never tainted). */
const LITERAL_TYPES = new Set(["integer", "float", "true", "false", "none", "list", "dictionary", "set", "tuple", "lambda", "concatenated_string"]);
const BUILTIN_CODE = new Set(["eval", "exec", "compile"]);
/** Query-builder methods that return an expression object (none is a `str` method): SQLAlchemy Core and ORM. */
const SQL_EXPRESSION_METHODS = new Set([
  "select",
  "insert",
  "update",
  "delete",
  "where",
  "filter",
  "filter_by",
  "values",
  "order_by",
  "group_by",
  "having",
  "limit",
  "offset",
  "bindparams",
  "returning",
  "select_from",
  "with_only_columns",
  "outerjoin",
  "correlate",
  "execution_options",
]);
/**
 * SQLAlchemy ORM and Core clause methods that took a plain string as raw SQL text before 1.4 (with a warning)
 * and still do where a `text()` wraps it: `query.filter(f"name = '{x}'")`, `query.order_by(x)`.
 */
const ORM_CLAUSE_METHODS = new Set(["filter", "where", "having", "order_by", "group_by", "distinct"]);
/** Methods of a SQLAlchemy query or select that give back another one: a chain keeps the receiver a query. */
const ORM_CHAIN_METHODS = new Set(["filter", "filter_by", "where", "having", "order_by", "group_by", "join", "outerjoin", "options", "distinct", "limit", "offset", "select_from"]);
/** Methods that put an item into a list or set. */
const ELEMENT_ADDERS = new Set(["append", "extend", "insert", "add"]);
/** Methods that change a list or set in place (a container changed anywhere in the file is not a constant). */
const CONTAINER_MUTATORS = new Set(["append", "extend", "insert", "remove", "pop", "clear", "sort", "reverse", "add", "update", "discard", "__setitem__", "__iadd__"]);
/**
 * Untrusted text: web request fields, stdin, argv. Session 36: Bottle's `request.query` and `request.forms`
 * (FormsDicts of the query string and the form body), which aiohttp's `request.query` shares.
 */
const REQUEST_SOURCE =
  /\brequest\.(?:args|form|forms|values|json|data|cookies|headers|files|GET|POST|META|COOKIES|FILES|query|query_params|path_params|body|get_json|get_data|params|matchdict|query_string)\b|\bsys\.argv\b/;
/** A language model's generated text (OpenAI/Anthropic/Gemini response shapes). */
const LLM_OUTPUT = /\.choices\[\s*\d+\s*\]\.(?:message\.content|text)\b|\.content\[\s*\d+\s*\]\.text\b|\.output_text\b|\.generate_content\(/;
/** A name that holds the address a server binds to. */
/** Standard-library servers and listeners whose address argument may name every interface ("" included). */
const STDLIB_SERVER =
  /^(?:socket\.create_server|socketserver\.(?:Threading|Forking)?(?:TCP|UDP)Server|http\.server\.(?:Threading)?HTTPServer|xmlrpc\.server\.(?:Simple|Doc)XMLRPCServer|wsgiref\.simple_server\.(?:make_server|WSGIServer)|asyncio\.start_server)$/;
/**
 * Protocol versions that are weak (session 13 policy, from CPython's ssl documentation — SSLv2/SSLv3 are
 * insecure, TLS 1.0/1.1 deprecated since 3.10 — and RFC 8996, which deprecates TLS 1.0 and 1.1; the same
 * four that precli's PY018 and Bandit's B502–B504 name). `PROTOCOL_TLS`/`PROTOCOL_SSLv23` negotiate the
 * highest version both sides have and `PROTOCOL_TLSv1_2` is current: neither is weak.
 */
const WEAK_TLS = /^(?:ssl\.PROTOCOL_(?:SSLv2|SSLv3|TLSv1|TLSv1_1)|OpenSSL\.SSL\.(?:SSLv2|SSLv3|TLSv1|TLSv1_1)_METHOD|ssl\.TLSVersion\.(?:SSLv3|TLSv1|TLSv1_1))$/;
const HOST_NAME = /(?:^|_)(?:host|bind|listen)(?:_?(?:addr(?:ess)?|ip|interface))?$/i;
/** Receivers of execute()/executemany() that are evidently database handles. */
const DB_RECEIVER =
  /(?:^|[._])(?:cur|cursor|conn|connection|con|db|database|session|engine|sqlite3|psycopg2?|pymysql|MySQLdb|mysql|sqlalchemy|pandas|duckdb)(?:\(\))?$|cursor\(\)$|connect\(\)$|(?:^|\.)\w*(?:cursor|conn|session|engine|db)\w*$/i;
const SUBPROCESS = new Set(["subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output", "subprocess.Popen"]);
const HTTP_VERBS = new Set([
  "get",
  "post",
  "put",
  "patch",
  "delete",
  "head",
  "options",
  "request",
  "stream",
  "send",
  "Client",
  "AsyncClient",
  "Session",
  "urlopen",
  "ClientSession",
  "TCPConnector",
  "ws_connect",
]);
/**
 * Standard-library TLS that verifies nothing unless given a context: smtplib, imaplib, poplib, nntplib and ftplib
 * fall back to `ssl._create_stdlib_context()`, which is `_create_unverified_context` (CERT_NONE, no
 * host-name check), when `context=` is left out.
 */
const STDLIB_TLS =
  /^(?:smtplib\.(?:SMTP_SSL|(?:SMTP|LMTP|SMTP_SSL)\(\)\.starttls)|imaplib\.(?:IMAP4_SSL|(?:IMAP4|IMAP4_SSL)\(\)\.starttls)|poplib\.(?:POP3_SSL|(?:POP3|POP3_SSL)\(\)\.stls)|nntplib\.(?:NNTP_SSL|(?:NNTP|NNTP_SSL)\(\)\.starttls)|ftplib\.FTP_TLS)$/;
const SAFE_YAML_LOADERS = new Set(["SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader"]);
const HUB_FUNCS = new Set(["huggingface_hub.hf_hub_download", "huggingface_hub.snapshot_download", "datasets.load_dataset", "huggingface_hub.hf_hub_url"]);
const LOCAL_DATASET_BUILDERS = new Set(["csv", "json", "parquet", "text", "imagefolder", "audiofolder", "videofolder", "arrow", "pandas", "webdataset", "sql", "generator", "xml"]);
const SQL_WORDS =
  /\b(?:select\s[\s\S]*\bfrom|insert\s+into|update\s+\S+\s+set|delete\s+from|(?:drop|create(?:\s+unique|\s+or\s+replace)?|alter)\s+(?:table|database|index|view|trigger|schema|sequence|model)\b|truncate\s+table|pragma\s+\w+\s*[(=]|show\s+(?:full\s+)?(?:tables|columns|databases|index|indexes|create\s+table|grants)\b|where\s+\S+\s*(?:=|like|in\b))/i;
/** Database drivers' quoting functions: their result is one quoted identifier or literal. */
const SQL_QUOTERS = /^(?:quote_ident|quote_identifier|quote_name|quote_literal|escape_string|real_escape_string|escape_identifier|escape_literal)$/;
/** Cheap test: text that may start an SQL statement somewhere. */
const SQL_START = /select|insert|update|delete|replace|merge|with|create|drop|alter|truncate|pragma|show/i;
/** Calls whose string arguments are messages for people, not SQL to run. */
const MESSAGE_CALL = /^(?:print|pprint|echo|secho|debug|info|warning|warn|error|exception|critical|fatal|log|msg|write|add_note|\w*(?:Error|Exception|Warning))$/;
const SUPPRESS = /rampart:\s*ignore\[([^\]]*)\](.*)$/;
/** A credential marked as no secret for detect-secrets or gitleaks (`# pragma: allowlist secret`, `# gitleaks:allow`). */
const SECRET_ALLOW_MARKER = /pragma: allowlist secret|gitleaks:allow/;
const WEB_FRAMEWORKS = ["flask", "django", "fastapi", "starlette", "aiohttp", "tornado", "bottle", "werkzeug", "quart", "sanic", "falcon", "pyramid", "streamlit", "gradio"];
/**
 * Where a Gradio app names the function its visitors' values are passed to (session 37): `gr.Interface(fn, …)`,
 * `gr.ChatInterface(fn=…)`, an event listener `button.click(fn, inputs=…)`, or any `fn=` keyword.
 */
const GRADIO_HANDLER =
  /\b(?:Interface|ChatInterface)\s*\(\s*(?:fn\s*=\s*)?([A-Za-z_]\w*)|\.(?:click|submit|change|input|upload|select|release|then|success)\s*\(\s*(?:fn\s*=\s*)?([A-Za-z_]\w*)|\bfn\s*=\s*([A-Za-z_]\w*)/g;
/** Streamlit's widgets and query parameters that give back what the app's visitor typed or sent (session 37). */
const STREAMLIT_INPUTS = "text_input|text_area|chat_input|file_uploader|query_params|experimental_get_query_params";
/** Last names of calls that open, send, copy or delete the file they are given (checked further in pathSink). */
const PATH_SINK_NAMES =
  /^(?:open|send_file|remove|unlink|rmdir|rmtree|copy|copyfile|copy2|move|rename|read_text|read_bytes|write_text|write_bytes|FileResponse|load|loadtxt|read_csv|read_parquet|read_json)$/;
/** Path sinks by qualified name; the first positional argument (or the named one) is the path. */
const PATH_SINKS: Record<string, string> = {
  open: "file",
  "builtins.open": "file",
  "io.open": "file",
  "codecs.open": "filename",
  "flask.send_file": "path_or_file",
  "os.remove": "path",
  "os.unlink": "path",
  "os.rmdir": "path",
  "shutil.rmtree": "path",
  "shutil.copy": "src",
  "shutil.copyfile": "src",
  "shutil.copy2": "src",
  "shutil.move": "src",
  "os.rename": "src",
  "fastapi.responses.FileResponse": "path",
  "starlette.responses.FileResponse": "path",
  "numpy.load": "file",
  "numpy.loadtxt": "fname",
  "torch.load": "f",
  "pandas.read_csv": "filepath_or_buffer",
  "pandas.read_parquet": "path",
  "pandas.read_json": "path_or_buf",
};

type Value = { kind: "true" | "false" | "none" | "string" | "built-string" | "number" | "other"; text?: string };
/** A full git commit id: the only revision a repository owner cannot move (tags and branches can be). */
const COMMIT_SHA = /^[0-9a-f]{40}$/i;
/** A member list's code that rejects absolute names or checks containment (a `..` test alone is not enough). */
/** What percent-decoding reads specially (`unquote_plus` turns `+` into a space): a check that admits neither leaves nothing to decode. */
const PERCENT_DECODED: ReadonlySet<string> = new Set("%+");
const VETTED_PATH_CHECK = /\b(?:isabs|realpath|abspath|resolve|is_relative_to|commonpath|commonprefix)\b|startswith\(\s*(?:["'][\\/]|os\.sep|["']\.\.)/;
/** ... and that rejects links (or keeps only regular files and folders). */
const VETTED_LINK_CHECK = /\b(?:issym|islnk|islink|isfile|isreg|isdir|linkname|SYMTYPE|LNKTYPE)\b/;
/** A loop over archive members that checks where each name lands, or keeps only its last part. */
const MEMBER_CONTAINED = /\b(?:realpath|abspath|resolve|is_relative_to|commonpath|commonprefix|basename|secure_filename|isabs|data_filter)\b/;

/** A value known at analysis time (a literal or a name holding one). */
function isConstant(v: Value | undefined): boolean {
  return !!v && (v.kind === "string" || v.kind === "number" || v.kind === "true" || v.kind === "false" || v.kind === "none");
}

/** Where a password goes positionally: qualified function → argument index (their documented signatures). */
const POSITIONAL_PASSWORD: Record<string, number> = {
  "MySQLdb.connect": 2, // host, user, passwd, db
  "MySQLdb.Connect": 2,
  "MySQLdb.Connection": 2,
  "MySQLdb.connections.Connection": 2,
  "_mysql.connect": 2,
  "pymysql.connect": 2, // host, user, password, database
  "pymysql.Connect": 2,
  "pymysql.connections.Connection": 2,
  "pymssql.connect": 2, // server, user, password, database
  "cx_Oracle.connect": 1, // user, password, dsn
  "oracledb.connect": 1,
  "pgdb.connect": 2, // PyGreSQL DB-API: dsn, user, password
  "pg.connect": 5, // PyGreSQL classic: dbname, host, port, opt, user, passwd
  "pg.DB": 5,
  "redis.Redis": 3, // host, port, db, password
  "redis.StrictRedis": 3,
  "redis.client.Redis": 3,
  "ftplib.FTP": 2, // host, user, passwd
  "ftplib.FTP_TLS": 2,
  "requests.auth.HTTPBasicAuth": 1, // username, password
  "requests.auth.HTTPDigestAuth": 1,
  "requests.auth.HTTPProxyAuth": 1,
  "httpx.BasicAuth": 1,
  "aiohttp.BasicAuth": 1,
};
/** Calls that take a connection string or URL, which may carry a password (`password=…`, `PWD=…`, `user:pw@`). */
const DSN_CALLS = /^(?:connect|Connect|create_engine|create_async_engine|from_url|MongoClient|Redis|StrictRedis)$/;
/** `password=secret` / `PWD=secret;` inside a libpq or ODBC connection string. */
const DSN_PASSWORD = /(?:^|[\s;])(?:password|passwd|pwd)\s*=\s*('[^']*'|"[^"]*"|\{[^}]*\}|[^\s;]+)/i;
/** `password=…` in a query string or form body written in the source. */
const QUERY_PASSWORD = /(?:^|[&?])(?:password|passwd|pwd)=([^&#\s]+)/i;
/** `scheme://user:password@host` in a connection URL. */
const URL_PASSWORD = /^[a-z][\w+.-]*:\/\/[^:/?#@\s]*:([^@/?#\s]+)@/i;
/** Environment and mapping lookups whose second argument is a fallback value. */
const LOOKUP_WITH_DEFAULT = /^(?:os\.getenv|os\.getenvb|os\.environ\.get|os\.environ\.setdefault)$|\.(?:get|setdefault)$/;

/** An SSL context assigned to a name, followed through the file until its verification is known. */
interface TrackedContext {
  node: Node;
  /** unverified: ssl._create_unverified_context(); default: ssl.SSLContext(<not TLS_CLIENT>); pyopenssl: OpenSSL.SSL.Context(). */
  kind: "unverified" | "default" | "pyopenssl";
  /** Verification switched on afterwards (verify_mode CERT_REQUIRED/OPTIONAL, check_hostname = True, set_verify(VERIFY_PEER)). */
  verified: boolean;
  /** Verification explicitly switched off afterwards: that line carries the finding. */
  offReported: boolean;
  /** A server-side context (certificate chain loaded): not verifying clients is its normal state. */
  server: boolean;
}

/**
 * Static analysis of one Python source. Imports are resolved file-wide (`import pickle as pk`,
 * `from torch import load as L`), simple assignments carry types and constants forward
 * (`tar = tarfile.open(...)`, `TRUST = True`), and keyword arguments are read by name.
 */
export function analyzePython(
  parser: Parser,
  source: string,
  external?: ReadonlyMap<string, ExternalSummary>,
  options: { constantUses?: boolean; templates?: TemplateLookup } = {},
): Analysis {
  // Unsafe APIs given only constants (session 18) are looked for only when asked: building them in every
  // scan and dropping them cost the default scan 1–7 % CPU (session 18's quiet re-run).
  return analyze(parser, source, external, false, options.constantUses === true, options.templates);
}

/**
 * The summaries of a file's module-level functions for the files that import it (computed only for
 * modules some scanned file imports: they cost a walk over every function).
 */
export function moduleSummaries(parser: Parser, source: string): Record<string, ExternalSummary> | undefined {
  return analyze(parser, source, undefined, true, false).exports;
}

function analyze(
  parser: Parser,
  source: string,
  external: ReadonlyMap<string, ExternalSummary> | undefined,
  summariesOnly: boolean,
  constantUses: boolean,
  templates?: TemplateLookup,
  nested = false,
): Analysis {
  const tree = parseSyntax(parser, source);
  if (!tree) return { hits: [], suppressed: 0, parseError: true };
  try {
    // Values passed to functions of this file reach their parameters: when a call hands a parameter
    // untrusted input, the file is analysed again with that parameter tainted from the function's top
    // (context-insensitive: one summary per parameter; at most three passes, so work stays bounded).
    let seeds = new Map<number, Set<string>>();
    let wrappers = new Map<number, WrapperSink[]>();
    let constantReturns = new Map<number, Value>();
    for (let pass = 0; ; pass++) {
      const a = new FileAnalyzer(source, seeds, external, wrappers, constantUses, templates, constantReturns);
      // Session 32: code written in a string that exec/eval/compile runs is analysed as a file of its own (once: not
      // the strings that code runs in turn).
      if (!nested) a.embedded = (code) => analyze(parser, code, external, false, false, undefined, true).hits;
      const result = a.run(tree.rootNode);
      // Summaries for other files come from the first pass: later passes assume a parameter untrusted
      // because of one call in this file, which says nothing of other callers.
      if (summariesOnly) return { ...result, exports: a.exports(tree.rootNode) };
      // Functions found to wrap a sink that some call in this file reaches: the next pass reports those calls.
      const found = a.calledLocally.size > 0 ? a.wrapperSummaries() : new Map<number, WrapperSink[]>();
      const newWrappers = [...found.keys()].some((d) => a.calledLocally.has(d) && (wrappers.get(d)?.length ?? 0) < found.get(d)!.length);
      // Session 31: functions of this file that give back one constant, called here: the next pass knows their result.
      const constants = a.forwardCalls.size > 0 ? a.constantReturns() : new Map<number, Value>();
      const newConstants = [...constants.keys()].some((d) => a.forwardCalls.has(d) && !constantReturns.has(d));
      if ((a.newSeeds.size === 0 && !newWrappers && !newConstants) || pass === 2) return result;
      constantReturns = constants;
      seeds = new Map(seeds);
      for (const [def, names] of a.newSeeds) seeds.set(def, new Set([...(seeds.get(def) ?? []), ...names]));
      wrappers = found;
    }
  } catch (e) {
    // A hostile or generated file must not end the whole scan: the file is reported as not analysed.
    if (e instanceof RangeError) return { hits: [], suppressed: 0, parseError: true, tooDeep: true };
    throw e;
  }
}

class FileAnalyzer {
  private readonly aliases = new Map<string, string>();
  private readonly starModules: string[] = [];
  /** Variable → qualified "type" of what was assigned (e.g. "tarfile.open()"). */
  private readonly varTypes = new Map<string, string>();
  private readonly consts = new Map<string, Value>();
  private readonly shadowed: Set<string>;
  private readonly hits: CodeHit[] = [];
  /** The rule and node of each hit, by index (session 32, part 2: a helper's sink judged by its callers). */
  private readonly hitSites: { key: keyof typeof CODE_RULES; node: Node }[] = [];
  /** Calls to module-level functions of the file (by start): whether each parameter was handed the program's own data. */
  private readonly callArguments = new Map<number, Map<string, boolean>>();
  /** Calls the walk found in code that cannot run (`if False:`, after a return, a loop over nothing): start offsets. */
  private readonly deadCalls = new Set<number>();
  private readonly imported = new Set<string>();
  /** The file names a standard-library server class (a parameter may then stand for one). */
  private readonly serverClassesNamed: boolean;
  /** The file names a TLS protocol constant or version at all (weak versions are checked only then). */
  private readonly tlsVersionsNamed: boolean;
  /** Whether the file names a namespace that holds the builtins (`__builtins__`, `globals()`, `locals()`): only then is a looked-up evaluator possible. */
  private readonly namespacesNamed: boolean;
  /** Row of the `from … import eval` that rebinds a builtin: uses above it still call the builtin. */
  private readonly builtinRebound = new Map<string, number>();
  /** Variables holding text from a request, stdin, argv or a model's output (set in document order). */
  private readonly tainted = new Set<string>();
  /** Names holding a value read back from a database (`row = cur.fetchone()`): stored input, for path and template sinks. */
  private readonly stored = new Set<string>();
  /**
   * Host-like names assigned an all-interfaces address (`HOST = "0.0.0.0"`): reported where a server or
   * bind uses the name (that is where the exposure happens), or where written when nothing in the file uses it.
   */
  private readonly pendingHosts = new Map<string, { node: Node; text: string; used: boolean }>();
  private cryptoMisuse: CryptoMisuse | undefined;
  /** msgpack_numpy.patch() seen above: msgpack's unpackers now decode numpy object arrays with pickle. */
  private msgpackPatched = false;
  /** Where SQL text is built from non-constant parts (reported there unless a sink reports the same text). */
  private readonly sqlBuilt: Node[] = [];
  /**
   * Ids of nodes that are a part of a larger text expression (an operand of `+` or `%`, a piece of an implicit
   * concatenation, the inside of parentheses), noted in the first pass: asking a node for its parent costs
   * the tree's depth in tree-sitter, so doing it for every link of a long `a + b + …` chain was quadratic.
   */
  private readonly textParts = new Set<number>();
  /** Variable → source ranges of the SQL-building expressions its text came from. */
  private readonly sqlFrom = new Map<string, Array<[number, number]>>();
  /** Source ranges whose SQL text reached a reported sink: the sink's finding covers them. */
  private readonly sqlReported: Array<[number, number]> = [];
  /** Variables holding keyword-argument dicts that turn certificate verification off (`{"verify": False}`). */
  private readonly verifyOff = new Set<string>();
  /** SSL contexts assigned to a name (`ctx`, `self.ctx`), reported at the end unless verification is switched on. */
  private readonly contexts = new Map<string, TrackedContext>();
  /** Functions defined in the file, by name (a name defined twice is left out: which one runs is not evident). */
  private readonly functions = new Map<string, Node | null>();
  /** Classes defined in the file, by name (null: defined twice), for calls of their methods on an instance (`C(…).m(x)`). */
  private readonly classDefs = new Map<string, Node | null>();
  /** Names of the methods those classes define: only a call of such a name is looked up as a method (cheap text test). */
  private readonly methodNames = new Set<string>();
  /** Class start → its methods by name (null: defined twice in the class body), read once per class. */
  private readonly methodsMemo = new Map<number, Map<string, Node | null>>();
  /** Validators of several statements (by start): the parameters they check (validatorParams). */
  private readonly validatorMemo = new Map<number, string[]>();
  /** Validators (by start) that return their checked parameter: a call's result is checked (cleanerCall). */
  private readonly cleaners = new Set<number>();
  /** Per function (by start): its names → whether every use is one a list only appended to and joined allows (onlyAppended). */
  private readonly appendOnly = new Map<number, Map<string, boolean>>();
  /** What a local function returns: SQL text built from non-constant parts, or untrusted input. */
  private readonly summaries = new Map<number, { value: Value; ranges: Array<[number, number]>; tainted: boolean }>();
  /** Names holding a value that cannot carry shell or SQL syntax (`n = int(x)`, `q = conn.escape_string(x)`). */
  private readonly safeNames = new Set<string>();
  /** List variables built up in the file (`args = []`, `args.append(x)`): their elements so far. */
  private readonly listElems = new Map<string, Node[]>();
  /** `u = pickle.Unpickler(f)`: reported where `u.load()` is called (or where made, when never loaded here). */
  private readonly unpicklers = new Map<string, { node: Node; loaded: boolean }>();
  /** Classes of this file that subclass a pickle-family Unpickler without restricting `find_class`: name → the base (`pickle.Unpickler`). */
  private readonly openUnpicklers = new Map<string, string>();
  /** YAML loader classes of this file (`class L(yaml.UnsafeLoader)`): name → whether the base is a safe loader, where, and whether a load uses it. */
  private readonly yamlLoaderClasses = new Map<string, { safe: boolean; node: Node; used: boolean }>();
  /** Some attribute (`self.query`) holds built SQL text: expressions are searched for attributes too. */
  private sqlAttributes = false;
  /** Names assigned a string literal (the last assignment in document order). */
  private readonly literalNames = new Set<string>();
  /** Names bound by an assignment, and how many times (a constant container must be bound once in the file). */
  private readonly bindings = new Map<string, number>();
  /** Names whose container is changed in place somewhere in the file (`xs.append(…)`, `xs[i] = …`). */
  private readonly mutated = new Set<string>();
  /** Names whose items are assigned by index somewhere in the file (`xs[0] = …`: its list elements are not followed). */
  private readonly indexWritten = new Set<string>();
  /** Names assigned a tuple, list or set of string or number literals (the last assignment in document order). */
  private readonly constContainers = new Map<string, Node>();
  /** Names assigned an element of a constant container (`op = ALLOWED[request.args["op"]]`): picked from an allow-list. */
  private readonly picked = new Set<string>();
  /** What an element of each constant container is (null: neither all strings nor all numbers), by container node. */
  private readonly containerValues = new Map<number, Value | null>();
  /** Whether a function's parameters include a name, by function node and name. */
  private readonly shadowingParams = new Map<string, boolean>();
  /** Attribute name → every write of it in the file is a string literal (false once any other write is seen). */
  private readonly attributeLiteral = new Map<string, boolean>();
  /** The file writes attributes by name (`setattr`, `__dict__`): computed on first need. */
  private dynamicAttributes: boolean | undefined;
  /** The file defines a class or names SimpleNamespace: objects may carry input in their attributes (see builtFromInput). */
  private get carriers(): boolean {
    this.carriersMemo ??= this.classes.size > 2 || this.source.includes("SimpleNamespace");
    return this.carriersMemo;
  }
  private carriersMemo: boolean | undefined;
  /** Whether the file reads rows back from a database at all (`.fetchone(`): the second-order checks run only then. */
  private get fetches(): boolean {
    this.fetchesMemo ??= this.source.includes(".fetch");
    return this.fetchesMemo;
  }
  private fetchesMemo: boolean | undefined;
  /** Names of functions called by a bare name somewhere in the file (first pass). */
  private readonly calledNames = new Set<string>();
  /** Classes defined in the file: an object built from untrusted arguments holds them in its attributes. */
  private readonly classes = new Set<string>(["SimpleNamespace", "types.SimpleNamespace"]);
  /** Names whose literal was reported as a credential where it was written. */
  private readonly credentialNames = new Set<string>();

  /** Where each name in `consts` got its value (the assignment), to tell whether a constant holds in the sink's function. */
  private readonly constAt = new Map<string, Node>();
  /** Source ranges not followed: the body of `if <false constant>:` and the else of `if <true constant>:`. */
  private readonly dead: Array<[number, number]> = [];
  /** What names held as each loop began (keyed by the loop's start): an overwrite in its body cannot clean that. */
  private readonly atLoop = new Map<number, Map<string, { tainted: boolean; value: Value | undefined }>>();
  /** Names checked by a guard (allow-list, anchored regex, isdigit(), quoted-literal check …): where the check holds. */
  private readonly validated = new Map<string, Array<{ from: number; to: number; pathOnly?: boolean; percentFree?: boolean }>>();
  /** Dicts (and ConfigParsers) filled with constant keys in the file: name → key → what was stored. */
  private readonly dictEntries = new Map<string, Map<string, { node: Node; tainted: boolean; value: Value }>>();

  /** A web application (a web framework is imported): request fields are remote input, so file paths from them are checked. */
  private get webApp(): boolean {
    if (this.webAppMemo === undefined)
      this.webAppMemo = WEB_FRAMEWORKS.some((m) => this.imported.has(m)) || /\brequest\.(?:args|form|values|files|GET|POST|query_params|path_params)\b/.test(this.source);
    return this.webAppMemo;
  }
  private webAppMemo: boolean | undefined;

  /**
   * A Streamlit app's input (session 37): `st.text_input(…)`, `st.chat_input(…)`, `st.query_params[…]` and the like,
   * under the names the file imports Streamlit or those functions by; null when Streamlit is not imported.
   */
  private get streamlitInput(): RegExp | null {
    if (this.streamlitMemo === undefined) {
      const alts: string[] = [];
      if (this.imported.has("streamlit"))
        for (const [alias, full] of this.aliases) {
          if (!/^\w+$/.test(alias)) continue;
          if (full === "streamlit") alts.push(`\\b${alias}\\.(?:${STREAMLIT_INPUTS})\\b`);
          else if (new RegExp(`^streamlit\\.(?:${STREAMLIT_INPUTS})$`).test(full)) alts.push(`(?<![.\\w])${alias}\\b`);
        }
      this.streamlitMemo = alts.length > 0 ? new RegExp(alts.join("|")) : null;
    }
    return this.streamlitMemo;
  }
  private streamlitMemo: RegExp | null | undefined;

  /** Session 25: redirect, SSRF, XSS, LDAP and XPath sinks (web-sinks.ts), judged with this file's taint state. */
  private readonly webSinks = new WebSinks({
    isTainted: (n) => this.isTainted(n),
    qualify: (n) => this.qualify(n ?? null),
    hit: (key, n, message, symbol, severity) => this.hit(key, n, message, symbol, severity),
    inputEntries: (name) => {
      const entries = this.dictEntries.size > 0 ? this.dictEntries.get(name) : undefined;
      return entries ? [...entries.values()].filter((e) => e.tainted).map((e) => e.node) : [];
    },
    containersHoldInput: () => {
      for (const entries of this.dictEntries.values()) for (const e of entries.values()) if (e.tainted) return true;
      return false;
    },
    imported: this.imported,
    source: () => this.source,
    templates: () => this.templates,
  });

  /** `resp.headers["Location"] = url`: a redirect written by hand. */
  private locationHeader(n: Node): void {
    const left = n.childForFieldName("left");
    const right = n.childForFieldName("right");
    if (left?.type === "subscript" && right && /ocation/.test(left.text)) this.webSinks.headerWrite(left, right);
  }

  /** Handlers that answer requests can exist: a web framework or an http.server handler class is named. */
  private get handlersPossible(): boolean {
    this.handlersMemo ??= this.webApp || /\bBase(?:HTTP)?RequestHandler\b|\bSimpleHTTPRequestHandler\b/.test(this.source);
    return this.handlersMemo;
  }
  private handlersMemo: boolean | undefined;

  /** The file imports an archive or compression module (only then are decompression bombs looked for). */
  private get archivesImported(): boolean {
    this.archivesMemo ??= ["zipfile", "tarfile", "gzip", "bz2", "lzma", "zlib", "shutil"].some((m) => this.imported.has(m));
    return this.archivesMemo;
  }
  private archivesMemo: boolean | undefined;

  /** The file names CERT_NONE or VERIFY_NONE somewhere (call arguments are only searched for them then). */
  private readonly noneNamed: boolean;

  /** Parameters (by function start) that a call in this pass handed untrusted input and the pass did not yet assume. */
  readonly newSeeds = new Map<number, Set<string>>();
  /** Per function (by start): indices of the parameters its return statements give back (unsanitised). */
  private readonly returnedParams = new Map<string, Set<number>>();

  /** `from .helpers import arg as a` → a: ".helpers.arg"; `from . import helpers` → helpers: ".helpers" (project-local modules). */
  private readonly relativeImports = new Map<string, string>();

  /** Sinks reached by data that is not evidently constant (reported, or for SQL a plain name handed to execute): wrapper candidates. */
  private readonly sinkSites: Array<{ key: WrapKey; node: Node; data: Node; inner: string }> = [];
  /** Functions of this file (by start) that some call here runs: only those need a pass for wrapper calls. */
  readonly calledLocally = new Set<number>();
  /** Some imported function of the scan wraps a sink (only then is every call resolved against the summaries for it). */
  private readonly externalSinks: boolean;

  private readonly handsEvaluator: boolean;
  /** Analyses Python code held in a string (session 32; unset inside such an analysis). */
  embedded?: (code: string) => readonly CodeHit[];
  constructor(
    private readonly source: string,
    private readonly seeds: ReadonlyMap<number, ReadonlySet<string>> = new Map(),
    private readonly external: ReadonlyMap<string, ExternalSummary> = new Map(),
    /** Sink wrappers of this file found by the previous pass, by function start. */
    private readonly wrappers: ReadonlyMap<number, readonly WrapperSink[]> = new Map(),
    /** Report unsafe APIs given only constants (`--constant-uses`); off, their checks are not even run. */
    private readonly constantUses = false,
    /** The template files of the scanned folder (session 30), when the source is a file of one. */
    private readonly templates?: TemplateLookup,
    /** Functions of this file (by start) whose every return gave the same constant in the previous pass (session 31). */
    private readonly knownReturns: ReadonlyMap<number, Value> = new Map(),
  ) {
    this.externalSinks = [...external.values()].some((s) => s.sinks !== undefined);
    this.noneNamed = /(?:CERT|VERIFY)_NONE/.test(source);
    this.serverClassesNamed = /(?:TCPServer|UDPServer|HTTPServer|XMLRPCServer|WSGIServer)\b/.test(source);
    this.namespacesNamed = /__builtins__|\b(?:globals|locals)\(\)/.test(source);
    // eval, exec or compile written as a value (an argument, not called): a callable handed on (session 32).
    this.handsEvaluator = /(?:^|[^\w.])(?:eval|exec|compile)[ \t]*[,)]/m.test(source);
    this.tlsVersionsNamed = /PROTOCOL_(?:SSLv[23]\b|TLSv1\b|TLSv1_1)|(?:SSLv[23]|TLSv1(?:_1)?)_METHOD|TLSVersion\.(?:SSLv3|TLSv1\b|TLSv1_1)/.test(source);
    // Only a module-level def rebinds the builtin: a method named eval (`def eval(self)` in a class) does not.
    this.shadowed = new Set([...source.matchAll(/^def\s+(eval|exec|compile)\s*\(/gm)].map((m) => m[1]!));
  }

  run(root: Node): Analysis {
    const nodes = root.descendantsOfType([
      "import_statement",
      "import_from_statement",
      "call",
      "keyword_argument",
      "assignment",
      "augmented_assignment",
      "comparison_operator",
      "pair",
      "with_item",
      "comment",
      "default_parameter",
      "typed_default_parameter",
      "string",
      "binary_operator",
      "function_definition",
      "if_statement",
      "match_statement",
      "for_statement",
      "while_statement",
      "class_definition",
      "concatenated_string",
      "parenthesized_expression",
      "return_statement",
      "block",
      "global_statement",
      "nonlocal_statement",
    ]);
    const comments: Node[] = [];
    const defs: Node[] = []; // the function definitions around the pre-pass's position
    for (const n of nodes) {
      if (!n) continue;
      const t = n.type;
      while (defs.length > 0 && defs[defs.length - 1]!.endIndex <= n.startIndex) defs.pop();
      if (defs.length > 0) this.noteLocal(defs[defs.length - 1]!, n);
      if (t === "binary_operator" || t === "concatenated_string" || t === "parenthesized_expression") this.noteTextParts(n);
      else if (t === "import_statement" || t === "import_from_statement") this.importNode(n);
      else if (t === "comment") comments.push(n);
      else if (t === "function_definition") {
        defs.push(n);
        const name = n.childForFieldName("name")?.text;
        if (name) this.functions.set(name, this.functions.has(name) ? null : n);
      } else if (t === "assignment" || t === "augmented_assignment") {
        this.attributeWrite(n);
        this.noteBinding(n.childForFieldName("left"));
      } else if (t === "call") {
        this.noteMutation(n);
        const fn = n.childForFieldName("function");
        if (fn?.type === "identifier") this.calledNames.add(fn.text);
      } else if (t === "block") this.noteDeadTail(n);
      else if (t === "class_definition") {
        this.unpicklerClass(n);
        const name = n.childForFieldName("name")?.text;
        if (name) {
          this.classes.add(name);
          this.classDefs.set(name, this.classDefs.has(name) ? null : n);
          for (const m of this.methodsOf(n).keys()) this.methodNames.add(m);
        }
      }
    }
    for (const n of nodes) {
      if (!n) continue;
      if (this.scopes.length > 0) this.leaveScopes(n.startIndex);
      while (this.openDefs.length > 0 && this.openDefs[this.openDefs.length - 1]!.endIndex <= n.startIndex) this.openDefs.pop();
      if ((this.deadTails.length > 0 && this.inDeadTail(n.startIndex)) || (this.dead.length > 0 && this.isDead(n))) {
        if (n.type === "call") this.deadCalls.add(n.startIndex); // session 33: a call that cannot run hands its callee nothing
        continue;
      }
      switch (n.type) {
        case "if_statement":
          this.ifStatement(n);
          break;
        case "match_statement":
          this.matchStatement(n);
          break;
        case "while_statement":
          this.noteLoopStart(n);
          this.deadLoop(n);
          break;
        case "for_statement":
          this.noteLoopStart(n);
          this.deadLoop(n);
          if (this.imported.has("zipfile") || this.imported.has("tarfile")) this.archiveLoop(n);
          this.loopOverInput(n);
          break;
        case "function_definition": {
          this.openDefs.push(n);
          this.enterScope(n);
          // Parameters some call in the file hands untrusted input, and a web route's URL parameters: tainted from the top of the body.
          const seeded = [...(this.seeds.get(n.startIndex) ?? []), ...this.routeParameters(n), ...this.djangoViewParameters(n), ...this.gradioHandlerParameters(n)];
          if (seeded.length > 0)
            for (const p of seeded) {
              this.tainted.add(p);
              this.consts.delete(p);
              this.constAt.delete(p);
              this.safeNames.delete(p);
            }
          if (this.handlersPossible) this.errorExposure(n);
          // a parameter is a new name: a database row of the same name elsewhere is not it
          if (this.stored.size > 0) for (const id of n.childForFieldName("parameters")?.descendantsOfType("identifier") ?? []) if (id) this.stored.delete(id.text);
          break;
        }
        case "assignment":
          this.assignment(n);
          if (this.webApp) this.locationHeader(n);
          break;
        case "return_statement":
          if (this.webApp) this.webSinks.returned(n);
          this.noteReturnValue(n);
          break;
        case "augmented_assignment":
          this.augmentedAssignment(n);
          break;
        case "comparison_operator":
          this.comparison(n);
          break;
        case "with_item":
          this.withItem(n);
          break;
        case "call":
          this.sqlBuildSite(n);
          this.call(n);
          break;
        case "string":
        case "binary_operator":
          this.sqlBuildSite(n);
          break;
        case "keyword_argument":
          this.keywordArgument(n);
          break;
        case "pair":
          this.pair(n);
          break;
        case "default_parameter":
        case "typed_default_parameter": {
          // def connect(password="…"): a credential baked into an API's default.
          const name = n.childForFieldName("name");
          const value = n.childForFieldName("value");
          const v = this.value(value);
          if (name?.type === "identifier" && v.kind === "string" && value && isStringLiteral(value)) this.credential(name.text, v.text ?? "", value);
          break;
        }
      }
    }
    this.reportBuiltSql();
    this.cryptoMisuse?.finish();
    for (const c of this.contexts.values()) this.reportContext(c);
    for (const [name, h] of this.pendingHosts)
      if (!h.used) this.hit("debug", h.node, `${name} = "${h.text}": a server bound to this address is reachable from every network interface`, name, "medium");
    for (const u of this.unpicklers.values()) if (!u.loaded) this.reportUnpickler(u.node);
    // A loader class built on an unsafe PyYAML loader that no load here uses: other modules load with it.
    for (const [name, c] of this.yamlLoaderClasses)
      if (!c.safe && !c.used)
        this.hit("yamlLoad", c.node, `${name} is built on an unsafe PyYAML loader: documents loaded with it can construct arbitrary Python objects`, name, "medium");
    const cleared = this.clearByCallers(root);
    const { kept: all, suppressed } = this.applySuppressions(comments);
    const kept = cleared.size > 0 ? all.filter((h) => !cleared.has(h)) : all;
    const callerCleared = cleared.size > 0 ? all.filter((h) => cleared.has(h)) : [];
    return {
      ...(callerCleared.length > 0 ? { callerCleared } : {}),
      hits: kept,
      suppressed,
      parseError: root.tree.hasError,
      imports: [...new Set([...this.aliases.values(), ...this.relativeImports.values(), ...this.starModules])],
    };
  }

  /** Summaries of the module-level functions whose result can be untrusted, for the files that import them. */
  exports(root: Node): Record<string, ExternalSummary> | undefined {
    let out: Record<string, ExternalSummary> | undefined;
    const wrappers = this.wrapperSummaries();
    for (const st of root.namedChildren) {
      const def = st?.type === "decorated_definition" ? st.childForFieldName("definition") : st;
      if (def?.type !== "function_definition") continue;
      const nameNode = def.childForFieldName("name");
      // Session 16: a function without any return (`def shell_the_arg(a): subprocess.call(a, shell=True)`) gives back
      // None; it is summarised too, for the sinks it wraps. A generator is not.
      if (!nameNode || this.functions.get(nameNode.text)?.startIndex !== def.startIndex || !(this.plainReturns(def) || this.noReturns(def))) continue;
      const local = this.localFunction(nameNode);
      if (!local) continue;
      const tainted = this.summary(nameNode)?.tainted === true;
      const returned = [...this.returnedParameters(local)];
      const sinks = wrappers.get(def.startIndex);
      const returns = tainted || returned.length > 0 ? undefined : this.constantResult(def);
      // A helper that gives back its argument adds nothing to what a caller assumes of an unknown call;
      // one whose result is untrusted, or one that takes parameters and gives none of them back (a
      // sanitiser: `return int(x)`, `return "SELECT 1"`), does; so does one that wraps a sink or gives back a constant.
      // Session 33: one that gives back its argument itself is kept, so a caller handing it a constant has a constant.
      const identity = tainted ? undefined : identityParameter(def, local.params);
      if (!tainted && !sinks && !returns && identity === undefined && (returned.length > 0 || local.params.length === 0)) continue;
      out ??= {};
      out[nameNode.text] = {
        tainted,
        params: local.params,
        returned,
        ...(sinks ? { sinks } : {}),
        ...(returns ? { returns } : {}),
        ...(identity !== undefined ? { identity } : {}),
      };
    }
    return this.exportConstants(root, out);
  }

  /** Module-level names assigned once, to a flag, a number or an every-interface address (see ExternalSummary.constant). */
  private exportConstants(root: Node, out: Record<string, ExternalSummary> | undefined): Record<string, ExternalSummary> | undefined {
    // Every write to a module-level name: assignments outside functions and classes (under if/try/for too), and
    // names a function declares `global`. Only a name written exactly once is a constant.
    const writes = new Map<string, number>();
    for (const w of root.descendantsOfType(["assignment", "augmented_assignment", "global_statement", "for_statement", "with_item"])) {
      if (!w) continue;
      if (w.type === "global_statement") {
        for (const id of w.namedChildren) if (id?.type === "identifier") writes.set(id.text, 2);
        continue;
      }
      let p = w.parent;
      while (p && p.type !== "function_definition" && p.type !== "class_definition") p = p.parent;
      if (p) continue;
      const left =
        w.type === "for_statement" ? w.childForFieldName("left") : w.type === "with_item" ? w.childForFieldName("value")?.childForFieldName("alias") : w.childForFieldName("left");
      for (const t of left?.type === "identifier" ? [left] : (left?.descendantsOfType("identifier") ?? [])) if (t) writes.set(t.text, (writes.get(t.text) ?? 0) + 1);
    }
    const candidates = new Map<string, NonNullable<ExternalSummary["constant"]>>();
    for (const st of root.namedChildren) {
      const a = st?.type === "expression_statement" ? st.namedChildren[0] : undefined;
      if (a?.type !== "assignment") continue;
      const left = a.childForFieldName("left");
      const right = a.childForFieldName("right");
      if (left?.type !== "identifier" || !right || a.childForFieldName("type")) continue;
      if (right.type === "true" || right.type === "false" || right.type === "none") candidates.set(left.text, { kind: right.type });
      else if (right.type === "integer" || right.type === "float") candidates.set(left.text, { kind: "number", text: right.text });
      else if (isStringLiteral(right) && HOST_NAME.test(left.text)) {
        const v = this.value(right);
        if (v.kind === "string" && (v.text === "0.0.0.0" || v.text === "::" || v.text === "")) candidates.set(left.text, { kind: "string", text: v.text });
      }
    }
    let n = 0;
    for (const [name, constant] of candidates) {
      if (writes.get(name) !== 1 || out?.[name] || n++ >= 500) continue;
      out ??= {};
      out[name] = { tainted: false, params: [], returned: [], constant };
    }
    return out;
  }

  /** The value another scanned module gives a name it exports as a constant (`from config import VERIFY`, `config.HOST`). */
  private externalConstant(n: Node): Value | undefined {
    if (this.external.size === 0) return undefined;
    let s: ExternalSummary | undefined;
    if (n.type === "identifier" && this.relativeImports.has(n.text)) s = this.external.get(this.relativeImports.get(n.text)!);
    else if (n.type === "attribute" && n.childForFieldName("object")?.type === "identifier" && this.relativeImports.has(n.childForFieldName("object")!.text))
      s = this.external.get(`${this.relativeImports.get(n.childForFieldName("object")!.text)}.${n.childForFieldName("attribute")?.text ?? ""}`);
    else s = this.external.get(this.qualify(n));
    return s?.constant;
  }

  /** How a call spells the function it runs, for a summary from another file: `clean`, `utils.clean`, `.helpers.arg`. */
  private externalSummary(fn: Node | null | undefined): ExternalSummary | undefined {
    if (!fn || this.external.size === 0) return undefined;
    const fnOnly = (s: ExternalSummary | undefined) => (s?.constant ? undefined : s); // constants are not called
    if (fn.type === "identifier" && this.relativeImports.has(fn.text)) return fnOnly(this.external.get(this.relativeImports.get(fn.text)!));
    if (fn.type === "attribute") {
      const obj = fn.childForFieldName("object");
      if (obj?.type === "identifier" && this.relativeImports.has(obj.text))
        return fnOnly(this.external.get(`${this.relativeImports.get(obj.text)}.${fn.childForFieldName("attribute")?.text ?? ""}`));
    }
    if (fn.type === "identifier" && this.functions.has(fn.text)) return undefined; // a def in this file wins
    const named = this.external.get(this.qualify(fn));
    if (named || fn.type !== "identifier" || this.starModules.length === 0) return fnOnly(named);
    // Session 33: `from pkg.mod import *` brings the module's functions in under their own names (the last such import wins)
    for (let i = this.starModules.length - 1; i >= 0; i--) {
      const s = this.external.get(`${this.starModules[i]}.${fn.text}`);
      if (s) return fnOnly(s);
    }
    return undefined;
  }

  /** A call inside the expression (`clean(helpers.arg("q"))`) to a function of another scanned file whose result is untrusted. */
  private externalInside(n: Node, depth = 0): boolean {
    if (depth > 12) return false;
    for (const c of n.namedChildren) {
      if (!c) continue;
      if (c.type === "call") {
        const s = this.externalSummary(c.childForFieldName("function"));
        // A sanitising helper's result is clean whatever it was given: do not look inside it.
        if (s) {
          if (this.externalTaint(c, s)) return true;
          continue;
        }
      }
      if (this.externalInside(c, depth + 1)) return true;
    }
    return false;
  }

  /** A call to an imported function of the scanned tree whose result is untrusted here. */
  private externalTaint(n: Node, s: ExternalSummary): boolean {
    if (s.tainted) return true;
    let i = 0;
    for (const a of n.childForFieldName("arguments")?.namedChildren ?? []) {
      if (!a || a.type === "comment") continue;
      if (a.type === "list_splat" || a.type === "dictionary_splat") break;
      const k = a.type === "keyword_argument" ? s.params.indexOf(a.childForFieldName("name")?.text ?? "") : i++;
      const value = a.type === "keyword_argument" ? a.childForFieldName("value") : a;
      if (s.returned.includes(k) && this.isTainted(value)) return true;
    }
    return false;
  }

  // ---- names ----------------------------------------------------------------------------------

  private importNode(n: Node): void {
    if (n.type === "import_statement") {
      for (const name of n.childrenForFieldName("name")) {
        if (!name) continue;
        if (name.type === "aliased_import") {
          const full = name.childForFieldName("name")?.text ?? "";
          const alias = name.childForFieldName("alias")?.text;
          if (alias) this.aliases.set(alias, full);
          this.imported.add(full.split(".")[0]!);
        } else {
          const top = name.text.split(".")[0]!;
          this.aliases.set(top, top);
          this.imported.add(top);
        }
      }
      return;
    }
    const moduleNode = n.childForFieldName("module_name");
    if (!moduleNode) return;
    if (moduleNode.type === "relative_import") {
      // Project-local modules: kept apart from the aliases (no rule matches them), for summaries across files.
      const base = moduleNode.text.endsWith(".") ? moduleNode.text : `${moduleNode.text}.`;
      for (const name of n.childrenForFieldName("name")) {
        if (!name) continue;
        const orig = name.type === "aliased_import" ? (name.childForFieldName("name")?.text ?? "") : name.text;
        const alias = name.type === "aliased_import" ? (name.childForFieldName("alias")?.text ?? orig) : name.text;
        this.relativeImports.set(alias, `${base}${orig}`);
      }
      return;
    }
    const mod = moduleNode.text;
    this.imported.add(mod.split(".")[0]!);
    if (n.namedChildren.some((c) => c?.type === "wildcard_import")) this.starModules.push(mod);
    for (const name of n.childrenForFieldName("name")) {
      if (!name) continue;
      if (name.type === "aliased_import") {
        const orig = name.childForFieldName("name")?.text ?? "";
        const alias = name.childForFieldName("alias")?.text;
        if (alias) this.aliases.set(alias, `${mod}.${orig}`);
        if (alias && BUILTIN_CODE.has(alias)) this.builtinRebound.set(alias, n.startPosition.row);
      } else {
        this.aliases.set(name.text, `${mod}.${name.text}`);
        if (BUILTIN_CODE.has(name.text)) this.builtinRebound.set(name.text, n.startPosition.row);
      }
    }
  }

  /** Qualified name of an expression: aliases resolved, `x()` for call results, "?" when unknown. */
  private qualify(n: Node | null, depth = 0): string {
    if (!n || depth > 12) return "?";
    switch (n.type) {
      case "identifier": {
        const name = n.text;
        const rebound = this.builtinRebound.get(name);
        const a = rebound !== undefined && n.startPosition.row < rebound ? undefined : this.aliases.get(name);
        if (a) return canonicalModule(a);
        const v = this.varTypes.get(name);
        if (v) return v;
        if (this.openUnpicklers.size > 0) {
          const base = this.openUnpicklers.get(name);
          if (base) return base;
        }
        for (const m of this.starModules) {
          const q = canonicalModule(`${m}.${name}`);
          if (DESERIALIZERS.has(q) || SHELL_ALWAYS.has(q) || SUBPROCESS.has(q) || q === "torch.load" || q === "yaml.load" || q === "socket.socket" || STDLIB_SERVER.test(q))
            return q;
        }
        if ((name === "eval" || name === "exec" || name === "compile") && !this.shadowed.has(name)) return `builtins.${name}`;
        return name;
      }
      case "attribute":
        return `${this.qualify(n.childForFieldName("object"), depth + 1)}.${n.childForFieldName("attribute")?.text ?? "?"}`;
      case "call": {
        // getattr(os, "system") is os.system; __import__("os") is the module os.
        const fn = n.childForFieldName("function");
        const args = (n.childForFieldName("arguments")?.namedChildren ?? []).filter((a) => a && a.type !== "comment");
        if (fn?.type === "identifier" && fn.text === "getattr" && args.length >= 2 && args[1]?.type === "string")
          return `${this.qualify(args[0]!, depth + 1)}.${stringContent(args[1])}`;
        if (fn?.type === "identifier" && fn.text === "__import__" && args[0]?.type === "string") return stringContent(args[0]);
        return `${this.qualify(fn, depth + 1)}()`;
      }
      default:
        return "?";
    }
  }

  private value(n: Node | null | undefined): Value {
    if (!n) return { kind: "other" };
    switch (n.type) {
      case "true":
        return { kind: "true" };
      case "false":
        return { kind: "false" };
      case "none":
        return { kind: "none" };
      case "integer":
      case "float":
        return { kind: "number", text: n.text };
      case "string": {
        const parts = n.namedChildren.filter((c) => c?.type === "interpolation");
        if (parts.length === 0) return { kind: "string", text: stringContent(n) };
        // f"LIMIT {int(n)}" or f"ls {shlex.quote(p)}": every interpolated value is a number or a quoted word.
        if (parts.every((c) => this.safeScalar(c!.namedChildren[0]))) return { kind: "string", text: n.text };
        return { kind: "built-string", text: n.text };
      }
      case "concatenated_string": {
        const parts = n.namedChildren.map((c) => this.value(c));
        if (parts.some((p) => p.kind !== "string")) return { kind: "built-string", text: n.text };
        return { kind: "string", text: parts.map((p) => p.text).join("") };
      }
      case "binary_operator": {
        const op = n.childForFieldName("operator")?.text;
        const left = this.value(n.childForFieldName("left"));
        const right = this.value(n.childForFieldName("right"));
        if (
          op === "%" &&
          left.kind === "string" &&
          (this.literal(n.childForFieldName("right")) || this.safeOperands(n.childForFieldName("right")) || numericFormat(left.text ?? ""))
        )
          return { kind: "string", text: left.text }; // "%s" % ("x",), "%s" % int(n), "LIMIT %d" % n
        // Reuse the values just computed: re-evaluating each side would make long `a + b + c …` chains exponential.
        const safeSide = (v: Value, node: Node | null) => v.kind === "string" || v.kind === "number" || (v.kind === "other" && this.safeScalar(node));
        if (op === "+" && (left.kind === "string" || right.kind === "string") && safeSide(left, n.childForFieldName("left")) && safeSide(right, n.childForFieldName("right")))
          return { kind: "string", text: n.text }; // "LIMIT " + str(int(n))
        if ((op === "+" || op === "%") && (left.kind === "string" || left.kind === "built-string" || right.kind === "string" || right.kind === "built-string")) {
          if (left.kind === "string" && right.kind === "string" && op === "+") return { kind: "string", text: `${left.text}${right.text}` };
          // Keep the text a variable stood for (`q = "SELECT …"; q + uid`), so the SQL words are still seen.
          const text = (v: Value, node: Node | null) => (v.kind === "string" || v.kind === "built-string" ? (v.text ?? "") : (node?.text ?? ""));
          return { kind: "built-string", text: `${text(left, n.childForFieldName("left"))} ${op} ${text(right, n.childForFieldName("right"))}` };
        }
        return { kind: "other" };
      }
      case "call": {
        const fn = n.childForFieldName("function");
        // shlex.quote(x) is a constant as far as shell injection goes: the shell sees one quoted word.
        if (fn && /^(?:shlex\.quote|pipes\.quote)$/.test(this.qualify(fn))) return { kind: "string", text: "'…'" };
        const method = fn?.type === "attribute" ? fn.childForFieldName("attribute")?.text : undefined;
        if (fn && (method === "format" || method === "replace")) {
          // "…{}".format(x) and "…[V]".replace("[V]", x) build text; over literals only they are constants.
          const obj = this.value(fn.childForFieldName("object"));
          if (obj.kind === "string" || obj.kind === "built-string") {
            const args = n.childForFieldName("arguments")?.namedChildren ?? [];
            const literalArgs = args.every((a) => !a || a.type === "comment" || this.safeScalar(a.type === "keyword_argument" ? a.childForFieldName("value") : a));
            return obj.kind === "string" && literalArgs ? { kind: "string", text: obj.text } : { kind: "built-string", text: `${obj.text ?? ""} ${n.text}` };
          }
        }
        if (fn && method === "join") {
          // " ".join(["SELECT", col, "FROM t"]): text joined from parts, constant only when every part is.
          const sep = this.value(fn.childForFieldName("object"));
          const arg = (n.childForFieldName("arguments")?.namedChildren ?? []).find((a) => a && a.type !== "comment");
          // " AND ".join(conditions), the list built here from literals only (session 26): its elements as written
          const built = arg?.type === "identifier" && !this.tainted.has(arg.text) ? this.listElems.get(arg.text) : undefined;
          if (sep.kind === "string" && (arg?.type === "list" || arg?.type === "tuple" || (built && this.onlyAppended(arg!)))) {
            const parts = arg!.type === "identifier" ? built! : arg!.namedChildren.filter((c) => c && c.type !== "comment");
            const texts = parts.map((c) => {
              const v = this.value(c);
              return v.kind === "string" || v.kind === "built-string" ? (v.text ?? "") : (c?.text ?? "");
            });
            return parts.every((c) => this.safeScalar(c)) ? { kind: "string", text: texts.join(sep.text ?? "") } : { kind: "built-string", text: texts.join(sep.text ?? " ") };
          }
        }
        if (this.dictEntries.size > 0) {
          const e = this.element(n); // conf.get("section", "option")
          if (e) return e.value ?? this.value(e.node);
        }
        const known = this.constantCallValue(n); // session 31: a function of this file that gives back one constant
        if (known) return known;
        const summary = this.summary(fn);
        if (summary) return summary.value;
        return (this.external.size > 0 ? this.externalSummary(fn)?.returns : undefined) ?? { kind: "other" };
      }
      case "identifier": {
        const c = this.consts.get(n.text);
        return c ?? this.externalConstant(n) ?? { kind: "other" };
      }
      case "attribute": {
        if (this.external.size > 0) {
          const e = this.externalConstant(n);
          if (e) return e;
        }
        if (this.consts.size === 0) return { kind: "other" };
        // self.query = "SELECT …" + x above. Only built text: a constant in an attribute may be replaced from
        // outside (option parsers, setattr, other modules), so it never makes a command or query constant.
        const c = this.consts.get(n.text);
        return c?.kind === "built-string" ? c : { kind: "other" };
      }
      case "parenthesized_expression":
        return this.value(n.namedChildren[0]);
      case "subscript": {
        const e = this.element(n);
        if (e) return e.value ?? this.value(e.node);
        return (this.constContainers.size > 0 ? this.containerElement(n) : undefined) ?? { kind: "other" };
      }
      case "conditional_expression": {
        // "safe" if 7 * 18 > 200 else param: a constant condition picks one side.
        const [a, cond, b] = n.namedChildren;
        const t = this.constTruth(cond ?? null);
        if (t !== undefined) return this.value(t ? a : b);
        // `"-l" if flag(x) else "-a"` (session 34): the condition only picks one of two constants, as an `if`
        // statement assigning a constant in each branch does; the value is then a constant of that kind (the
        // `else` side's text, as the statement's join keeps the last branch's).
        const va = this.value(a);
        const vb = va.kind === "string" || va.kind === "number" ? this.value(b) : undefined;
        return vb && vb.kind === va.kind ? vb : { kind: "other" };
      }
      default:
        return { kind: "other" };
    }
  }

  /** What `d["k"]`, `conf.get("s", "k")` or `lst[0]` holds, when the container was filled with constant keys in the file. */
  private element(n: Node): { node: Node; value?: Value; tainted?: boolean } | undefined {
    if (n.type === "subscript") {
      const holder = n.childForFieldName("value");
      if (holder?.type !== "identifier") return undefined;
      const index = n.childForFieldName("subscript");
      const entries = this.dictEntries.get(holder.text);
      if (entries) {
        const key = this.constKey(index);
        const e = key === undefined ? undefined : entries.get(key);
        return e ? { node: e.node, value: e.value, tainted: e.tainted } : undefined;
      }
      const list = this.listElems.get(holder.text);
      if (list && index?.type === "integer" && !this.indexWritten.has(holder.text)) {
        const i = Number(index.text);
        const el = list[i];
        return el && Number.isInteger(i) ? { node: el } : undefined;
      }
      return undefined;
    }
    if (n.type === "call" && this.dictEntries.size > 0) {
      const fn = n.childForFieldName("function");
      if (fn?.type !== "attribute" || fn.childForFieldName("attribute")?.text !== "get") return undefined;
      const holder = fn.childForFieldName("object");
      const entries = holder?.type === "identifier" ? this.dictEntries.get(holder.text) : undefined;
      if (!entries) return undefined;
      const args = (n.childForFieldName("arguments")?.namedChildren ?? []).filter((a) => a && a.type !== "comment" && a.type !== "keyword_argument");
      const key = args.length === 2 ? this.configKey(args[0]!, args[1]!) : args.length === 1 ? this.constKey(args[0]) : undefined;
      const e = key === undefined ? undefined : entries.get(key);
      return e ? { node: e.node, value: e.value, tainted: e.tainted } : undefined;
    }
    return undefined;
  }

  /** A constant dict key or list index written in the source (`"keyA"`, `3`, a name holding a constant string). */
  private constKey(n: Node | null | undefined): string | undefined {
    if (!n) return undefined;
    const v = this.value(n);
    return v.kind === "string" || v.kind === "number" ? `${v.kind}:${v.text ?? ""}` : undefined;
  }

  /** ConfigParser's `(section, option)` as one key. */
  private configKey(section: Node, option: Node): string | undefined {
    const a = this.constKey(section);
    const b = this.constKey(option);
    return a === undefined || b === undefined ? undefined : `${a}\u0000${b}`;
  }

  /** The constant-key entries of a dict literal (`{"a": x}`); anything else starts empty. */
  private dictLiteral(n: Node): Map<string, { node: Node; tainted: boolean; value: Value }> {
    const out = new Map<string, { node: Node; tainted: boolean; value: Value }>();
    if (n.type !== "dictionary") return out;
    for (const p of n.namedChildren) {
      if (p?.type !== "pair") continue;
      const key = this.constKey(p.childForFieldName("key"));
      const val = p.childForFieldName("value");
      if (key !== undefined && val) out.set(key, { node: val, tainted: this.isTainted(val), value: this.value(val) });
    }
    return out;
  }

  // ---- constant conditions, guards and constants that hold in a function -------------------------

  /** The function (or module, -1) a node is in. */
  private scopeOf(n: Node): number {
    for (let p = n.parent; p; p = p.parent) if (p.type === "function_definition" || p.type === "lambda") return p.startIndex;
    return -1;
  }

  private isDead(n: Node): boolean {
    const i = n.startIndex;
    // The walk goes forward: a range that ends before this node is never asked about again (session 31: dropped,
    // so the ranges kept are those around or ahead of the walk, however many the file has).
    if (this.dead.some(([, b]) => b <= i)) this.dead.splice(0, this.dead.length, ...this.dead.filter(([, b]) => b > i));
    for (const [a, b] of this.dead) if (i >= a && i < b) return true;
    return false;
  }

  /**
   * The value of an expression made only of literals and of names holding a number or string assigned
   * in the same function above (`num = 86; 7 * 42 - num > 200`); undefined when anything is not evident.
   */
  private constEval(n: Node | null | undefined, depth = 0): number | string | boolean | undefined {
    if (!n || depth > 12) return undefined;
    switch (n.type) {
      case "integer": {
        const x = Number(n.text.replace(/_/g, ""));
        return Number.isFinite(x) ? x : undefined;
      }
      case "float": {
        const x = Number(n.text.replace(/_/g, ""));
        return Number.isFinite(x) ? x : undefined;
      }
      case "true":
        return true;
      case "false":
        return false;
      case "string":
        return n.namedChildren.some((c) => c?.type === "interpolation") ? undefined : stringContent(n);
      case "parenthesized_expression":
        return this.constEval(n.namedChildren[0], depth + 1);
      case "subscript": {
        // "ABC"[1], possible[1] with possible = "ABC"
        const text = this.constEval(n.childForFieldName("value"), depth + 1);
        const i = this.constEval(n.childForFieldName("subscript"), depth + 1);
        if (typeof text !== "string" || typeof i !== "number" || !Number.isInteger(i)) return undefined;
        const ch = text.at(i);
        return ch === undefined ? undefined : ch;
      }
      case "identifier": {
        const v = this.consts.get(n.text);
        const at = this.constAt.get(n.text);
        if (!v || !at || this.tainted.has(n.text) || this.scopeOf(at) !== this.scopeOf(n) || at.startIndex > n.startIndex || !unconditional(at)) return undefined;
        // The value of the one assignment that certainly ran last (literals, arithmetic, "ABC"[1]).
        return this.constEval(at.childForFieldName("right"), depth + 1);
      }
      case "unary_operator": {
        const x = this.constEval(n.childForFieldName("argument"), depth + 1);
        const op = n.childForFieldName("operator")?.text;
        return typeof x === "number" ? (op === "-" ? -x : op === "+" ? x : undefined) : undefined;
      }
      case "not_operator": {
        const x = this.constEval(n.childForFieldName("argument"), depth + 1);
        return x === undefined ? undefined : !x;
      }
      case "boolean_operator": {
        const a = this.constEval(n.childForFieldName("left"), depth + 1);
        const b = this.constEval(n.childForFieldName("right"), depth + 1);
        const op = n.childForFieldName("operator")?.text;
        if (op === "and") return a === undefined ? undefined : !a ? a : b;
        if (op === "or") return a === undefined ? undefined : a ? a : b;
        return undefined;
      }
      case "binary_operator": {
        const a = this.constEval(n.childForFieldName("left"), depth + 1);
        const b = this.constEval(n.childForFieldName("right"), depth + 1);
        const op = n.childForFieldName("operator")?.text;
        if (typeof a === "string" && typeof b === "string" && op === "+") return a + b;
        if (typeof a !== "number" || typeof b !== "number") return undefined;
        switch (op) {
          case "+":
            return a + b;
          case "-":
            return a - b;
          case "*":
            return a * b;
          case "//":
            return b === 0 ? undefined : Math.floor(a / b);
          case "/":
            return b === 0 ? undefined : a / b;
          case "%":
            return b === 0 ? undefined : ((a % b) + b) % b;
          default:
            return undefined;
        }
      }
      case "comparison_operator": {
        const parts = n.namedChildren.filter((c) => c && c.type !== "comment");
        const ops = n.children.filter((c) => c && !c.isNamed).map((c) => c!.text);
        if (parts.length !== 2 || ops.length !== 1) return undefined;
        const a = this.constEval(parts[0], depth + 1);
        const b = this.constEval(parts[1], depth + 1);
        if (a === undefined || b === undefined || typeof a !== typeof b) return undefined;
        switch (ops[0]) {
          case "==":
            return a === b;
          case "!=":
            return a !== b;
          case "<":
            return a < b;
          case ">":
            return a > b;
          case "<=":
            return a <= b;
          case ">=":
            return a >= b;
          default:
            return undefined;
        }
      }
      default:
        return undefined;
    }
  }

  /**
   * A list whose every use in its function is `x = […]`, `x.append(…)`/`x.extend(…)`, a join, `len(x)` or a truth
   * test (session 26): nothing else can add to it (not a call it is passed to, not an alias), so the elements the
   * analyser recorded are all it holds. Each function's names are read in one pass.
   */
  private onlyAppended(id: Node): boolean {
    const scope = enclosingFunction(id) ?? id.tree.rootNode;
    let names = this.appendOnly.get(scope.startIndex);
    if (!names) {
      // one pass over the scope's names: a name stays true while every use so far is one of the above
      names = new Map();
      for (const use of scope.descendantsOfType("identifier")) {
        if (!use || names.get(use.text) === false) continue;
        const p = use.parent;
        const gp = p?.parent;
        const method = p?.type === "attribute" && p.childForFieldName("object")?.id === use.id ? p.childForFieldName("attribute")?.text : undefined;
        const allowed =
          (method !== undefined && /^(?:append|extend)$/.test(method) && gp?.type === "call") ||
          (p?.type === "argument_list" && gp?.type === "call" && /(?:^|\.)(?:join|len)$/.test(gp.childForFieldName("function")?.text ?? "")) ||
          (p?.type === "assignment" && p.childForFieldName("left")?.id === use.id && p.childForFieldName("right")?.type === "list") ||
          p?.type === "if_statement" ||
          p?.type === "not_operator";
        names.set(use.text, allowed);
      }
      this.appendOnly.set(scope.startIndex, names);
    }
    return names.get(id.text) === true;
  }

  /** Truth of a condition whose value is evident from the source; undefined otherwise. */
  private constTruth(n: Node | null): boolean | undefined {
    const v = this.constEval(n);
    return v === undefined ? undefined : !!v;
  }

  /**
   * `if <constant>:` — the branch that cannot run is not followed. `if <x is not valid>: return` — below
   * it, in the same block, x has passed the check; `if <x is valid>: …` — inside the body it has.
   */
  private ifStatement(n: Node): void {
    const cond = n.childForFieldName("condition");
    // Only conditions that can be constant (literals, names, arithmetic) or that can check a value are read.
    const called = cond?.type === "call" ? cond.childForFieldName("function") : null;
    const localCall = called?.type === "identifier" && !!this.functions.get(called.text); // a predicate of this file (helperValidNames)
    if (!cond || (cond.type === "identifier" && !this.consts.has(cond.text)) || (cond.type === "call" && !localCall && !/is\w+|match|isinstance|^all\(/.test(cond.text))) return;
    const body = n.childForFieldName("consequence");
    const alternatives = n.childrenForFieldName("alternative").filter((a): a is Node => !!a);
    const t = this.constTruth(cond);
    if (t === false && body) this.dead.push([body.startIndex, body.endIndex]);
    else if (t === true) for (const a of alternatives) this.dead.push([a.startIndex, a.endIndex]);
    if (t !== undefined || !cond || !body) return;
    if (alternatives.length === 0 && exits(body)) {
      const block = n.parent;
      const percentFree = this.percentFreeNames(cond);
      for (const name of this.invalidNames(cond)) this.addValidation(name, n.endIndex, block?.endIndex ?? n.endIndex, false, percentFree.includes(name));
      for (const name of this.traversalNames(cond)) this.addValidation(name, n.endIndex, block?.endIndex ?? n.endIndex, true);
      this.loopElementCheck(n, cond, body);
    }
    for (const name of this.validNames(cond)) this.addValidation(name, body.startIndex, body.endIndex);
    // `if <x is not valid>: … else: sink(x)`: every elif and else runs only when the check passed.
    if (alternatives.length > 0) {
      const names = this.invalidNames(cond);
      for (const a of alternatives) for (const name of names) this.addValidation(name, a.startIndex, a.endIndex);
    }
  }

  /**
   * `for part in parts:` whose body starts with `if part not in ALLOWED: raise` (or return, abort, exit):
   * after the loop every element of `parts` has passed the check, so `parts` is checked for the rest of the
   * block around the loop. `continue` or `break` does not count: elements after it, or the skipped one,
   * stay unchecked. The check must be the loop's first statement, so nothing in the loop runs before it.
   */
  private loopElementCheck(ifNode: Node, cond: Node, body: Node): void {
    if (!leaves(body)) return;
    const loopBody = ifNode.parent;
    const loop = loopBody?.parent;
    if (loop?.type !== "for_statement" || loop.childForFieldName("body")?.id !== loopBody?.id) return;
    const first = loopBody?.namedChildren.find((c) => c && c.type !== "comment");
    if (first?.id !== ifNode.id) return;
    const element = loop.childForFieldName("left");
    const list = loop.childForFieldName("right");
    if (element?.type !== "identifier" || list?.type !== "identifier") return;
    if (!this.invalidNames(cond).includes(element.text) && !this.callerAllowList(cond, element.text)) return;
    const block = loop.parent;
    this.addValidation(list.text, loop.endIndex, block?.endIndex ?? loop.endIndex);
  }

  /**
   * `element not in allowed` with `allowed` a name that holds no untrusted input (a parameter, a module
   * name): a collection its caller supplies. The test can only let through members, so it is an allow-list
   * whoever fills it (a deny-list is written `in … : raise`). Read only for the per-element loop check.
   */
  private callerAllowList(cond: Node, element: string): boolean {
    if (cond.type !== "comparison_operator") return false;
    const [a, b] = cond.namedChildren.filter((x) => x && x.type !== "comment");
    const ops = cond.children.filter((x) => x && !x.isNamed).map((x) => x!.text);
    return ops.join(" ") === "not in" && a?.type === "identifier" && a.text === element && b?.type === "identifier" && !this.isTainted(b);
  }

  /** `match <constant>:` — only the first case that matches runs; the others are not followed. */
  private matchStatement(n: Node): void {
    const subject = this.constEval(n.childForFieldName("subject"));
    if (subject === undefined || typeof subject === "boolean") return;
    const clauses = (n.childForFieldName("body")?.namedChildren ?? []).filter((c): c is Node => c?.type === "case_clause");
    const matches = (clause: Node): boolean | undefined => {
      if (clause.childForFieldName("guard")) return undefined;
      const pattern = clause.namedChildren.find((c) => c?.type === "case_pattern");
      if (!pattern) return undefined;
      const inner = pattern.namedChildren.filter((c): c is Node => !!c && c.type !== "comment");
      if (inner.length === 0) return pattern.text.trim() === "_" ? true : undefined; // the wildcard
      const alts = inner.length === 1 && inner[0]!.type === "union_pattern" ? inner[0]!.namedChildren.filter((c): c is Node => !!c) : inner.length === 1 ? inner : [];
      if (alts.length === 0) return undefined;
      let any = false;
      for (const a of alts) {
        if (a.type !== "string" && a.type !== "integer" && a.type !== "float") return undefined; // captures, classes, sequences: not evident
        if (this.constEval(a) === subject) any = true;
      }
      return any;
    };
    let taken = false;
    const dead: Node[] = [];
    for (const c of clauses) {
      if (taken) {
        dead.push(c);
        continue;
      }
      const m = matches(c);
      if (m === undefined) return; // cannot tell which case runs: follow them all
      if (m) taken = true;
      else dead.push(c);
    }
    for (const c of dead) this.dead.push([c.startIndex, c.endIndex]);
  }

  private addValidation(name: string, from: number, to: number, pathOnly = false, percentFree = false): void {
    const list = this.validated.get(name) ?? [];
    list.push({ from, to, pathOnly, percentFree });
    this.validated.set(name, list);
  }

  /** A new value for the name: checks made on the old one no longer hold from here on. */
  private endValidation(name: string, at: Node): void {
    for (const v of this.validated.get(name) ?? []) if (v.from <= at.startIndex && at.startIndex < v.to) v.to = at.startIndex;
  }

  /** A name that passed, where `at` is, a full-match check whose characters include neither `%` nor `+` (session 30). */
  private isPercentFree(name: string, at: Node): boolean {
    return !!this.validated.get(name)?.some((v) => v.percentFree && !v.pathOnly && v.from <= at.startIndex && at.startIndex < v.to);
  }

  /** `unquote(x)`, `unquote_plus(x)` (urllib's, nested any depth up to 3): the name x. */
  private percentDecoded(n: Node, depth = 0): string | undefined {
    if (depth > 3) return undefined;
    if (n.type === "identifier") return depth > 0 ? n.text : undefined;
    if (n.type !== "call" || !/^urllib\.parse\.unquote(?:_plus)?$/.test(this.qualify(n.childForFieldName("function")))) return undefined;
    const args = (n.childForFieldName("arguments")?.namedChildren ?? []).filter((a): a is Node => !!a && a.type !== "comment");
    return args.length === 1 ? this.percentDecoded(args[0]!, depth + 1) : undefined;
  }

  /** A name that has passed a check where `at` is (`path`: checks that only keep a path inside its directory count too). */
  private isValidated(name: string, at: Node, path = false): boolean {
    const list = this.validated.get(name);
    return !!list && list.some((v) => v.from <= at.startIndex && at.startIndex < v.to && (path || !v.pathOnly));
  }

  /** Names that a true condition shows to be valid: allow-list membership, equality with a constant, anchored full matches, digit/identifier tests, isinstance of a number. */
  private validNames(c: Node | null | undefined, depth = 0): string[] {
    if (!c || depth > 8) return [];
    switch (c.type) {
      case "parenthesized_expression":
        return this.validNames(c.namedChildren[0], depth + 1);
      case "boolean_operator": {
        const left = this.validNames(c.childForFieldName("left"), depth + 1);
        const right = this.validNames(c.childForFieldName("right"), depth + 1);
        // `x == "a" or x == "b"`: a name checked on both sides of an `or` holds one of the allowed values
        return c.childForFieldName("operator")?.text === "and" ? [...left, ...right] : left.filter((x) => right.includes(x));
      }
      case "comparison_operator": {
        const parts = c.namedChildren.filter((x) => x && x.type !== "comment");
        const ops = c.children.filter((x) => x && !x.isNamed).map((x) => x!.text);
        const [a, b] = parts;
        if (parts.length !== 2 || !a || !b) return [];
        if (ops.join(" ") === "in" && a.type === "identifier" && this.allowList(b)) return [a.text];
        // re.fullmatch(…, x) is not None: the match's own check
        if (ops.join(" ") === "is not" && b.type === "none") return this.validNames(a, depth + 1);
        // set(x) <= ALLOWED: every character (or item) of x is allowed
        if (ops.join(" ") === "<=") {
          const x = this.setOfName(a);
          if (x && (this.allowList(b) || this.setOfAllowList(b) || this.value(b).kind === "string")) return [x];
        }
        if (ops[0] === "==" && ops.length === 1) {
          if (a.type === "identifier" && this.literal(b)) return [a.text];
          if (b.type === "identifier" && this.literal(a)) return [b.text];
          // os.path.basename(x) == x: no directory part
          if (a.type === "call" && /(?:^|\.)basename$/.test(this.qualify(a.childForFieldName("function"))) && b.type === "identifier") return [b.text];
        }
        return [];
      }
      case "call": {
        const fn = c.childForFieldName("function");
        const q = this.qualify(fn);
        const args = (c.childForFieldName("arguments")?.namedChildren ?? []).filter((a) => a && a.type !== "comment");
        if (fn?.type === "attribute" && args.length === 0 && /^(?:isdigit|isdecimal|isnumeric|isalnum|isalpha|isidentifier)$/.test(fn.childForFieldName("attribute")?.text ?? "")) {
          const obj = fn.childForFieldName("object");
          return obj?.type === "identifier" ? [obj.text] : [];
        }
        if ((q === "re.fullmatch" || q === "re.match") && args.length >= 2 && checkedName(args[1])) {
          const pattern = this.value(args[0]);
          // re.match anchors only at the start: the pattern must end with $ or \Z to check the whole value.
          // A pattern whose classes or wildcards admit quotes or shell/YAML metacharacters checks nothing.
          if (pattern.kind === "string" && (q === "re.fullmatch" || /(?:\$|\\Z)$/.test(pattern.text ?? "")) && !guardAdmitsInjection(pattern.text ?? ""))
            return [checkedName(args[1])!];
          return [];
        }
        if (fn?.type === "attribute" && fn.childForFieldName("attribute")?.text === "fullmatch" && args.length === 1 && checkedName(args[0])) {
          // PATTERN.fullmatch(x), PATTERN = re.compile("..."): the compiled pattern must restrict x too
          const obj = fn.childForFieldName("object");
          const compiled = obj?.type === "identifier" ? this.constAt.get(obj.text)?.childForFieldName("right") : undefined;
          const source =
            compiled?.type === "call" && this.qualify(compiled.childForFieldName("function")) === "re.compile"
              ? this.value(compiled.childForFieldName("arguments")?.namedChildren.find((a) => a && a.type !== "comment"))
              : undefined;
          if (source?.kind === "string" && guardAdmitsInjection(source.text ?? "")) return [];
          return [checkedName(args[0])!];
        }
        if (fn?.type === "attribute" && /^(?:startswith|is_relative_to)$/.test(fn.childForFieldName("attribute")?.text ?? "")) {
          // os.path.realpath(p).startswith(base), Path(p).resolve().is_relative_to(base): the resolved path stays inside base.
          let obj = fn.childForFieldName("object");
          // str(p).startswith(str(base)) with p a resolved Path
          if (obj?.type === "call" && /^(?:str|os\.fspath)$/.test(this.qualify(obj.childForFieldName("function"))))
            obj = obj.childForFieldName("arguments")?.namedChildren.find((a) => a && a.type !== "comment") ?? obj;
          const resolved = (x: Node | null | undefined) => x?.type === "call" && /(?:^|\.)(?:realpath|abspath|resolve)$/.test(this.qualify(x.childForFieldName("function")));
          if (obj?.type === "identifier" && resolved(this.constAt.get(obj.text)?.childForFieldName("right"))) return [obj.text];
          if (resolved(obj)) return (obj!.childForFieldName("arguments")?.namedChildren ?? []).filter((a) => a?.type === "identifier").map((a) => a!.text);
        }
        // set(x).issubset(ALLOWED): every character (or item) of x is one the program allows.
        if (
          fn?.type === "attribute" &&
          fn.childForFieldName("attribute")?.text === "issubset" &&
          args.length === 1 &&
          (this.allowList(args[0]!) || this.value(args[0]).kind === "string")
        ) {
          const obj = fn.childForFieldName("object");
          const inner =
            obj?.type === "call" && /^(?:set|frozenset)$/.test(obj.childForFieldName("function")?.text ?? "")
              ? obj.childForFieldName("arguments")?.namedChildren.find((a) => a && a.type !== "comment")
              : undefined;
          return inner?.type === "identifier" ? [inner.text] : [];
        }
        // all(ch in ALLOWED for ch in x)
        const gen = c.childForFieldName("arguments");
        if (q === "all" && gen?.type === "generator_expression") {
          const g = gen;
          const body = g.childForFieldName("body");
          const clause = g.namedChildren.find((x) => x?.type === "for_in_clause");
          const loopVar = clause?.childForFieldName("left")?.text;
          const over = clause?.childForFieldName("right");
          const cmp = body?.type === "comparison_operator" ? body.namedChildren.filter((x) => x && x.type !== "comment") : [];
          const ops = body?.children
            .filter((x) => x && !x.isNamed)
            .map((x) => x!.text)
            .join(" ");
          if (
            ops === "in" &&
            cmp.length === 2 &&
            cmp[0]?.text === loopVar &&
            (this.allowList(cmp[1]!) || this.value(cmp[1]).kind === "string") &&
            over?.type === "identifier" &&
            g.namedChildren.length === 2
          )
            return [over.text];
          return [];
        }
        if (
          q === "isinstance" &&
          args.length === 2 &&
          args[0]?.type === "identifier" &&
          /^(?:int|float|bool|\(\s*(?:int|float|bool)(?:\s*,\s*(?:int|float|bool))*\s*,?\s*\))$/.test(args[1]?.text ?? "")
        )
          return [args[0].text];
        if (q === "bool" && args.length === 1) return this.validNames(args[0], depth + 1);
        // is_safe(base, x): a predicate of this file that only returns a check of its parameters (session 25).
        if (fn?.type === "identifier") return this.helperValidNames(fn.text, c, depth);
        return [];
      }
      default:
        return [];
    }
  }

  /**
   * The arguments of `call` that a file-local predicate shows valid when it returns true: a function whose body is
   * one `return <check>` (a docstring aside) of its parameters, read with validNames, or a validator of several
   * statements (validatorParams); mapped back to the call's arguments by position or keyword.
   */
  private helperValidNames(name: string, call: Node, depth: number): string[] {
    const def = this.functions.get(name);
    if (!def) return [];
    const body = bodyStatements(def);
    const checked = body.length === 1 && body[0]?.type === "return_statement" ? this.validNames(body[0].namedChildren[0], depth + 1) : this.validatorParams(def, body, depth);
    if (checked.length === 0) return [];
    // `h`, `h=""`, `h: str`, `h: str = ""` (a typed parameter has no name field: its first child is the name)
    const params = (def.childForFieldName("parameters")?.namedChildren ?? []).map((p) =>
      p?.type === "identifier" ? p.text : /parameter$/.test(p?.type ?? "") ? (p!.childForFieldName("name") ?? p!.namedChildren[0])?.text : undefined,
    );
    const args = callArguments(call);
    const out: string[] = [];
    for (const [i, param] of params.entries()) {
      if (!param || !checked.includes(param)) continue;
      const arg = args.kw.get(param) ?? (args.splat ? undefined : args.positional[i]);
      const argName = checkedName(arg);
      if (argName) out.push(argName);
    }
    return out;
  }

  /**
   * The parameters a validator of several statements checks (session 26): `def ok(name): if not name: return False;
   * if not re.fullmatch(r"\w+", name): return False; return name in ALLOWED`. A parameter counts when a check that
   * validNames accepts passes on every path that returns a true value: it is the final `return <check>` (every other
   * return is falsy), or a top-level `if <name is not valid>:` whose body leaves with a falsy return or a raise
   * before any true return. A parameter the helper reassigns is not read (the check would be on another value).
   */
  private validatorParams(def: Node, body: Node[], depth: number): string[] {
    const memo = this.validatorMemo.get(def.startIndex);
    if (memo) return memo;
    this.validatorMemo.set(def.startIndex, []); // a helper that calls itself reads as no validator
    const returns = def.descendantsOfType("return_statement").filter((r): r is Node => !!r && enclosingFunction(r)?.id === def.id);
    const falsy = (r: Node) => {
      const v = r.namedChildren.find((x) => x && x.type !== "comment");
      return !v || v.type === "false" || v.type === "none" || (v.type === "integer" && v.text === "0") || (v.type === "string" && v.text.replace(/^[rbuRBU]*/, "").length === 2);
    };
    const truthy = returns.filter((r) => !falsy(r));
    const checked = new Set<string>();
    const last = body[body.length - 1];
    if (body.length > 1 && last?.type === "return_statement" && truthy.every((r) => r.id === last.id))
      for (const name of this.validNames(last.namedChildren[0], depth + 1)) checked.add(name);
    for (const st of body) {
      if (st.type !== "if_statement" || st.childrenForFieldName("alternative").some((a) => !!a)) continue;
      const cond = st.childForFieldName("condition");
      const then = st.childForFieldName("consequence");
      if (!cond || !then || !exits(then) || /^(?:continue_statement|break_statement)$/.test(then.namedChildren.at(-1)?.type ?? "")) continue;
      if (then.namedChildren.at(-1)?.type === "return_statement" && !falsy(then.namedChildren.at(-1)!)) continue;
      if (!truthy.every((r) => r.startIndex >= st.endIndex)) continue;
      for (const name of this.invalidNames(cond, depth + 1)) checked.add(name);
    }
    const assigned = new Set(
      def
        .descendantsOfType(["assignment", "augmented_assignment"])
        .flatMap((a) => (a ? [a.childForFieldName("left")] : []))
        .flatMap((l) => (l?.type === "identifier" ? [l.text] : (l?.namedChildren ?? []).filter((x) => x?.type === "identifier").map((x) => x!.text))),
    );
    const out = [...checked].filter((n) => !assigned.has(n));
    this.validatorMemo.set(def.startIndex, out);
    // `def clean(p): if <p is not valid>: raise …; return p`: every true return gives back the checked parameter
    const given = truthy.map((r) => r.namedChildren.find((x) => x && x.type !== "comment"));
    const param = given[0]?.type === "identifier" ? given[0].text : undefined;
    if (param && out.includes(param) && given.every((g) => g?.type === "identifier" && g.text === param)) this.cleaners.add(def.startIndex);
    return out;
  }

  /** `x = clean(x)` (session 26): a function of this file that returns its argument only after checking it (validatorParams). */
  private cleanerCall(call: Node): boolean {
    const fn = call.childForFieldName("function");
    const def = fn?.type === "identifier" ? this.functions.get(fn.text) : undefined;
    if (!def) return false;
    const body = bodyStatements(def);
    if (body.length < 2) return false;
    this.validatorParams(def, body, 0);
    return this.cleaners.has(def.startIndex);
  }

  /**
   * Session 30: names that `if not <full match>:` turns away unless every character is one of a class without `%`
   * and `+` — `re.fullmatch(P, x)`, an anchored `re.match`, `PATTERN.fullmatch(x)` with `PATTERN = re.compile(P)`, or
   * a predicate of the file that returns one of those on its parameter. Percent-decoding such a value changes
   * nothing, so `unquote(x)` holds the checked value (assignments below).
   */
  private percentFreeNames(c: Node): string[] {
    const call = c.type === "not_operator" ? c.childForFieldName("argument") : undefined;
    return call?.type === "call" ? this.fullMatchPercentFree(call, 0) : [];
  }

  /** The name a full-match call checks when its pattern admits neither `%` nor `+` (percentFreeNames). */
  private fullMatchPercentFree(call: Node, depth: number): string[] {
    if (depth > 2) return [];
    const noPercent = (p: Node | null | undefined) => {
      const v = this.value(p);
      return v.kind === "string" && !guardAdmits(v.text ?? "", PERCENT_DECODED);
    };
    const fn = call.childForFieldName("function");
    const args = (call.childForFieldName("arguments")?.namedChildren ?? []).filter((a): a is Node => !!a && a.type !== "comment");
    const q = this.qualify(fn);
    if ((q === "re.fullmatch" || (q === "re.match" && /(?:\$|\\Z)$/.test(this.value(args[0]).text ?? ""))) && args[1]?.type === "identifier")
      return noPercent(args[0]) ? [args[1].text] : [];
    if (fn?.type === "attribute" && fn.childForFieldName("attribute")?.text === "fullmatch" && args.length === 1 && args[0]!.type === "identifier") {
      const obj = fn.childForFieldName("object");
      const compiled = obj?.type === "identifier" ? this.constAt.get(obj.text)?.childForFieldName("right") : undefined;
      if (compiled?.type !== "call" || this.qualify(compiled.childForFieldName("function")) !== "re.compile") return [];
      return noPercent(compiled.childForFieldName("arguments")?.namedChildren.find((a) => a && a.type !== "comment")) ? [args[0]!.text] : [];
    }
    // a predicate of the file, `def ok(p): return re.fullmatch(P, p)`, called on a name
    const def = fn?.type === "identifier" ? this.functions.get(fn.text) : undefined;
    if (!def || args.length !== 1 || args[0]!.type !== "identifier") return [];
    const body = bodyStatements(def);
    const returned = body.length === 1 && body[0]?.type === "return_statement" ? body[0].namedChildren.find((x) => x && x.type !== "comment") : undefined;
    const params = (def.childForFieldName("parameters")?.namedChildren ?? []).filter((x) => x && x.type !== "comment");
    if (returned?.type !== "call" || params.length !== 1 || params[0]?.type !== "identifier") return [];
    return this.fullMatchPercentFree(returned, depth + 1).includes(params[0].text) ? [args[0]!.text] : [];
  }

  /** `if ".." in name: return` (or `"../"`, `os.sep`/`"/"` in name, `os.path.isabs(name)`): a name that cannot leave its directory below. */
  private traversalNames(c: Node | null | undefined, depth = 0): string[] {
    if (!c || depth > 8) return [];
    if (c.type === "parenthesized_expression") return this.traversalNames(c.namedChildren[0], depth + 1);
    const derived = this.derivedPathCheck(c);
    if (derived.length > 0) return derived;
    if (c.type === "boolean_operator" && c.childForFieldName("operator")?.text === "or")
      return [...this.traversalNames(c.childForFieldName("left"), depth + 1), ...this.traversalNames(c.childForFieldName("right"), depth + 1)];
    if (c.type === "boolean_operator" && c.childForFieldName("operator")?.text === "and") {
      // `base not in p.parents and p != base` (p resolved): false only when p is base or inside it (session 22).
      const inside = this.outsideParents(c.childForFieldName("left"));
      const right = c.childForFieldName("right");
      const ops = right?.type === "comparison_operator" ? right.children.filter((x) => x && !x.isNamed).map((x) => x!.text) : [];
      return inside && ops.join(" ") === "!=" && right?.namedChildren.some((x) => x?.type === "identifier" && x.text === inside) ? [inside] : [];
    }
    if (c.type !== "comparison_operator") return [];
    const ops = c.children.filter((x) => x && !x.isNamed).map((x) => x!.text);
    const [a, b] = c.namedChildren.filter((x) => x && x.type !== "comment");
    if (ops.join(" ") !== "in" || b?.type !== "identifier" || a?.type !== "string") return [];
    return /^(?:\.\.|\.\.\/|\.\.\\)$/.test(literalText(a) ?? "") ? [b.text] : [];
  }

  /**
   * Session 30: a check made on a value derived from the path itself, which holds for the path too, so a branch
   * that leaves when it fails keeps the raw name inside its directory below (path sinks only):
   * `s = safe_join(BASE, p)` then `if s is None` (or `not s`) — Werkzeug's `safe_join` gives None for any part that
   * is absolute or climbs out; `r = Path(p).resolve()` (or `os.path.realpath(p)`, `abspath`) then
   * `if not r.is_relative_to(BASE)` (or `startswith`) — `p` opens the very file `r` names. A resolved join
   * (`Path(BASE / p).resolve()`) is not the raw name's path, and a `safe_join` the file defines is no check.
   */
  private derivedPathCheck(c: Node): string[] {
    const holder = (x: Node | null | undefined) => (x?.type === "identifier" ? this.constAt.get(x.text)?.childForFieldName("right") : undefined);
    const argsOf = (call: Node) => (call.childForFieldName("arguments")?.namedChildren ?? []).filter((a): a is Node => !!a && a.type !== "comment");
    let tested: Node | null | undefined;
    if (c.type === "not_operator") tested = c.childForFieldName("argument");
    else if (c.type === "comparison_operator") {
      const ops = c.children
        .filter((x) => x && !x.isNamed)
        .map((x) => x!.text)
        .join(" ");
      const [a, b] = c.namedChildren.filter((x) => x && x.type !== "comment");
      if ((ops === "is" || ops === "==") && b?.type === "none") tested = a;
    }
    if (!tested) return [];
    if (tested.type === "identifier") {
      const made = holder(tested);
      if (made?.type !== "call" || !/^(?:werkzeug(?:\.utils|\.security)?|flask(?:\.helpers)?)\.safe_join$/.test(this.qualify(made.childForFieldName("function")))) return [];
      return argsOf(made)
        .slice(1)
        .filter((a) => a.type === "identifier")
        .map((a) => a.text);
    }
    if (c.type !== "not_operator" || tested.type !== "call") return [];
    const fn = tested.childForFieldName("function");
    if (fn?.type !== "attribute" || !/^(?:is_relative_to|startswith)$/.test(fn.childForFieldName("attribute")?.text ?? "")) return [];
    let obj = fn.childForFieldName("object");
    if (obj?.type === "call" && /^(?:str|os\.fspath)$/.test(this.qualify(obj.childForFieldName("function")))) obj = argsOf(obj)[0] ?? obj;
    const resolved = obj?.type === "identifier" ? holder(obj) : obj;
    const raw = resolved ? this.resolvedRawName(resolved) : undefined;
    return raw ? [raw] : [];
  }

  /** `Path(p).resolve()`, `Path(p).absolute().resolve()`, `os.path.realpath(p)`, `os.path.abspath(p)`: the bare name p. */
  private resolvedRawName(n: Node): string | undefined {
    if (n.type !== "call") return undefined;
    const fn = n.childForFieldName("function");
    const args = (n.childForFieldName("arguments")?.namedChildren ?? []).filter((a): a is Node => !!a && a.type !== "comment");
    const q = this.qualify(fn);
    if (/^os\.path\.(?:realpath|abspath)$/.test(q)) return args.length === 1 && args[0]!.type === "identifier" ? args[0]!.text : undefined;
    if (fn?.type !== "attribute" || fn.childForFieldName("attribute")?.text !== "resolve") return undefined;
    let base = fn.childForFieldName("object");
    for (let i = 0; i < 3 && base?.type === "call"; i++) {
      const f = base.childForFieldName("function");
      if (f?.type === "attribute" && /^(?:absolute|expanduser)$/.test(f.childForFieldName("attribute")?.text ?? "")) base = f.childForFieldName("object");
      else break;
    }
    if (base?.type !== "call" || !/^(?:pathlib\.)?(?:Pure)?(?:Posix)?Path$/.test(this.qualify(base.childForFieldName("function")))) return undefined;
    const inner = (base.childForFieldName("arguments")?.namedChildren ?? []).filter((a): a is Node => !!a && a.type !== "comment");
    return inner.length === 1 && inner[0]!.type === "identifier" ? inner[0]!.text : undefined;
  }

  /** `base not in p.parents` with p a resolved path (`(base / name).resolve()`): the name p, else undefined. */
  private outsideParents(c: Node | null | undefined): string | undefined {
    if (c?.type !== "comparison_operator") return undefined;
    const ops = c.children.filter((x) => x && !x.isNamed).map((x) => x!.text);
    const b = c.namedChildren.filter((x) => x && x.type !== "comment")[1];
    if (ops.join(" ") !== "not in" || b?.type !== "attribute" || b.childForFieldName("attribute")?.text !== "parents") return undefined;
    const p = b.childForFieldName("object");
    const made = p?.type === "identifier" ? this.constAt.get(p.text)?.childForFieldName("right") : undefined;
    return made?.type === "call" && /(?:^|\.)(?:resolve|realpath|abspath)$/.test(this.qualify(made.childForFieldName("function"))) ? p!.text : undefined;
  }

  /** Names that a false condition shows to be valid (`if x not in ALLOWED: return`, `if not x.isdigit(): raise`). */
  private invalidNames(c: Node | null | undefined, depth = 0): string[] {
    if (!c || depth > 8) return [];
    switch (c.type) {
      case "parenthesized_expression":
        return this.invalidNames(c.namedChildren[0], depth + 1);
      case "not_operator":
        return this.validNames(c.childForFieldName("argument"), depth + 1);
      case "binary_operator": {
        // `set(x) - ALLOWED`: characters (or items) of x outside the allow-list; empty (false) when x is valid.
        const x = c.childForFieldName("operator")?.text === "-" ? this.setOfName(c.childForFieldName("left")) : undefined;
        const right = c.childForFieldName("right");
        return x && right && (this.allowList(right) || this.value(right).kind === "string" || this.setOfAllowList(right)) ? [x] : [];
      }
      case "boolean_operator": {
        if (c.childForFieldName("operator")?.text !== "or") return [];
        const quoted = this.quotedLiteralCheck(c);
        return [...(quoted ? [quoted] : []), ...this.invalidNames(c.childForFieldName("left"), depth + 1), ...this.invalidNames(c.childForFieldName("right"), depth + 1)];
      }
      case "comparison_operator": {
        const parts = c.namedChildren.filter((x) => x && x.type !== "comment");
        const ops = c.children.filter((x) => x && !x.isNamed).map((x) => x!.text);
        const [a, b] = parts;
        if (parts.length !== 2 || !a || !b) return [];
        if (ops.join(" ") === "not in" && a.type === "identifier" && this.allowList(b)) return [a.text];
        if (ops[0] === "!=" && ops.length === 1 && a.type === "identifier" && this.literal(b)) return [a.text];
        return [];
      }
      default:
        return [];
    }
  }

  /**
   * `not x.startswith(q) or not x.endswith(q) or q in x[1:-1]`: rejects everything but one quoted string
   * literal without the quote inside — what a literal evaluator accepts; evaluating it gives back a string.
   */
  private quotedLiteralCheck(c: Node): string | undefined {
    const parts: Node[] = [];
    const collect = (x: Node | null, depth: number) => {
      if (!x || depth > 8) return;
      if (x.type === "boolean_operator" && x.childForFieldName("operator")?.text === "or") {
        collect(x.childForFieldName("left"), depth + 1);
        collect(x.childForFieldName("right"), depth + 1);
      } else if (x.type === "parenthesized_expression") collect(x.namedChildren[0] ?? null, depth + 1);
      else parts.push(x);
    };
    collect(c, 0);
    const seen = new Map<string, Set<string>>();
    const note = (name: string, what: string) => (seen.get(name) ?? seen.set(name, new Set()).get(name)!).add(what);
    for (const p of parts) {
      if (p.type === "not_operator") {
        const call = p.childForFieldName("argument");
        const fn = call?.type === "call" ? call.childForFieldName("function") : null;
        const method = fn?.type === "attribute" ? fn.childForFieldName("attribute")?.text : undefined;
        const obj = fn?.childForFieldName("object");
        const arg = (call?.childForFieldName("arguments")?.namedChildren ?? []).filter((a) => a && a.type !== "comment");
        const q = arg.length === 1 && arg[0]?.type === "string" ? literalText(arg[0]) : undefined;
        if ((method === "startswith" || method === "endswith") && obj?.type === "identifier" && (q === "'" || q === '"')) note(obj.text, `${method}${q}`);
      } else if (p.type === "comparison_operator") {
        const ops = p.children.filter((x) => x && !x.isNamed).map((x) => x!.text);
        const [a, b] = p.namedChildren.filter((x) => x && x.type !== "comment");
        const q = a?.type === "string" ? literalText(a) : undefined;
        const holder = b?.type === "subscript" ? b.childForFieldName("value") : null;
        if (ops.join(" ") === "in" && (q === "'" || q === '"') && holder?.type === "identifier" && /^\[\s*1\s*:\s*-\s*1\s*\]$/.test(b!.text.slice(holder.text.length)))
          note(holder.text, `inside${q}`);
      }
    }
    for (const [name, what] of seen) for (const q of ["'", '"']) if (what.has(`startswith${q}`) && what.has(`endswith${q}`) && what.has(`inside${q}`)) return name;
    return undefined;
  }

  /** `set(x)` / `frozenset(x)` of a name: the name. */
  private setOfName(n: Node | null | undefined): string | undefined {
    if (n?.type !== "call" || !/^(?:set|frozenset)$/.test(n.childForFieldName("function")?.text ?? "")) return undefined;
    const args = (n.childForFieldName("arguments")?.namedChildren ?? []).filter((a) => a && a.type !== "comment");
    return args.length === 1 && args[0]?.type === "identifier" ? args[0].text : undefined;
  }

  /** `set("0123456789")`, or a name assigned one: a set of allowed characters written in the file. */
  private setOfAllowList(n: Node): boolean {
    const right = n.type === "identifier" ? this.constAt.get(n.text)?.childForFieldName("right") : n;
    if (right?.type !== "call" || !/^(?:set|frozenset)$/.test(right.childForFieldName("function")?.text ?? "")) return false;
    const args = (right.childForFieldName("arguments")?.namedChildren ?? []).filter((a) => a && a.type !== "comment");
    return args.length === 1 && !!args[0] && isStringLiteral(args[0]);
  }

  /** The right side of `x in …` that is an allow-list: a literal collection, or a name assigned one in the file. */
  private allowList(n: Node): boolean {
    if (LITERAL_CONTAINER.test(n.type)) return this.literal(n);
    if (n.type !== "identifier") return false;
    const right = this.constAt.get(n.text)?.childForFieldName("right");
    if (right && LITERAL_CONTAINER.test(right.type)) return this.literal(right);
    // frozenset({...}) / set([...])
    if (right?.type === "call" && /^(?:frozenset|set|tuple|list)$/.test(right.childForFieldName("function")?.text ?? "")) {
      const a = (right.childForFieldName("arguments")?.namedChildren ?? []).filter((x) => x && x.type !== "comment");
      return a.length === 1 && this.literal(a[0]);
    }
    return false;
  }

  /**
   * Data that is the program's own on every path to `at`: a literal, a name holding a constant assigned in
   * the same function above it (branch joins, dead branches and containers already applied), a checked
   * value, or a decoding of those (`base64.b64decode(bar)`, `bar.encode()`).
   */
  private ownData(n: Node | null | undefined, depth = 0): boolean {
    if (!n || depth > 6) return false;
    if (n.type === "identifier" && this.validated.size > 0 && this.isValidated(n.text, n)) return true; // passed an allow-list or format check
    if (n.type === "parenthesized_expression") return this.ownData(n.namedChildren[0], depth + 1);
    if (isStringLiteral(n)) return true;
    if (this.constantAttribute(n)) return true;
    if (n.type === "attribute" && this.fieldOverwritten(n)) return true;
    if (n.type === "identifier") {
      if (this.tainted.has(n.text)) return false;
      const v = this.consts.get(n.text);
      const at = this.constAt.get(n.text);
      return !!v && !!at && (v.kind === "string" || v.kind === "number") && this.scopeOf(at) === this.scopeOf(n) && at.startIndex < n.startIndex;
    }
    if (n.type === "subscript") {
      const e = this.element(n);
      if (!e) return this.containerElement(n)?.kind === "string" || this.tableLookup(n) || this.ownContainerRead(n);
      return e.tainted !== true && (e.value ?? this.value(e.node)).kind === "string";
    }
    if (n.type !== "call") return false;
    // Session 32: `d.get("k")` of a dict literal whose entry "k" is a constant; a read of a constant table; a helper
    // of the file whose every return is one of those.
    if (this.dictEntries.size > 0) {
      const e = this.element(n);
      if (e) return e.tainted !== true && (e.value ?? this.value(e.node)).kind === "string";
    }
    if (this.tableLookup(n) || this.ownResultCall(n) || this.ownContainerRead(n)) return true;
    const fn = n.childForFieldName("function");
    const q = this.qualify(fn);
    const method = fn?.type === "attribute" ? fn.childForFieldName("attribute")?.text : undefined;
    const args = (n.childForFieldName("arguments")?.namedChildren ?? []).filter((a) => a && a.type !== "comment" && a.type !== "keyword_argument");
    if (/^(?:base64\.(?:\w*b64decode|b32decode|b16decode|a85decode|b85decode)|binascii\.(?:unhexlify|a2b_base64|a2b_hex)|bytes\.fromhex|codecs\.decode|str|bytes)$/.test(q))
      return args.length >= 1 && this.ownData(args[0], depth + 1);
    if (method && /^(?:encode|decode|strip|lower|upper)$/.test(method)) return this.ownData(fn?.childForFieldName("object"), depth + 1);
    return false;
  }

  /**
   * Session 32: `obj.field` read where the statements of the same block just above set `obj.field = "literal"` and
   * nothing between mentions `obj` (no call on it, no other write, no alias made): the field holds that literal,
   * whatever it held before (`instance.command = command` … `instance.command = "ls"`). Up to 64 statements back.
   */
  private fieldOverwritten(n: Node): boolean {
    const object = n.childForFieldName("object");
    if (object?.type !== "identifier") return false;
    let statement: Node = n;
    while (statement.parent && statement.parent.type !== "block" && statement.parent.type !== "module") {
      if (statement.type === "lambda" || statement.type === "function_definition") return false;
      statement = statement.parent;
    }
    const mentions = new RegExp(`(?:^|[^\\w.])${object.text}\\b`);
    let prev = statement.previousNamedSibling;
    for (let k = 0; prev && k < 64; k++, prev = prev.previousNamedSibling) {
      if (prev.type === "comment") continue;
      const a = prev.type === "expression_statement" ? prev.namedChildren[0] : undefined;
      if (a?.type === "assignment" && a.childForFieldName("left")?.text === n.text) {
        const right = a.childForFieldName("right");
        return !!right && isStringLiteral(right) && !mentions.test(right.text);
      }
      if (mentions.test(prev.text)) return false;
    }
    return false;
  }

  /**
   * Session 32: a read of a constant table, `T[k]`, `T.get(k)` or `T.get(k, "default")` whatever `k` is, where T is a
   * dict literal whose every value is a written-out string or number (no `**` spread), bound once in the file and
   * never changed in place: the result is one of the table's constants (or the default, None, or a KeyError). The
   * allow-list map `{"list": "ls", "stats": "stat"}[command]` is the common form. A table local to the function (its
   * one assignment above the read, not a parameter) or a module-level one.
   */
  private tableLookup(n: Node, walked = true): boolean {
    if ((n.type !== "subscript" && n.type !== "call") || !this.tableLookupShape(n)) return false;
    const holder = n.type === "subscript" ? n.childForFieldName("value") : n.childForFieldName("function")?.childForFieldName("object");
    if (holder?.type !== "identifier" || this.mutated.has(holder.text) || this.bindings.get(holder.text) !== 1) return false;
    if (walked && this.tainted.has(holder.text)) return false;
    return this.constantTable(holder.text, n) !== undefined;
  }

  /**
   * The dict literal of constants a name is bound to where `at` reads it: its one assignment in the function around
   * `at` (above it, not in a nested function), or, when that function neither assigns the name nor takes it as a
   * parameter, its one module-level assignment. Both must be `NAME = {literal: literal, …}`.
   */
  private constantTable(name: string, at: Node): Node | undefined {
    const def = enclosingFunction(at);
    const key = `${def?.id ?? -1}\0${name}`;
    let binding = this.tableBindings.get(key);
    if (binding === undefined) {
      binding = this.soleBinding(name, def, at) ?? null;
      this.tableBindings.set(key, binding);
    }
    if (!binding || binding.startIndex > at.startIndex) return undefined;
    const d = binding.childForFieldName("right");
    if (d?.type !== "dictionary") return undefined;
    const constant = (x: Node | null | undefined) => !!x && (isStringLiteral(x) || x.type === "integer" || x.type === "float");
    for (const p of d.namedChildren) {
      if (!p || p.type === "comment") continue;
      if (p.type !== "pair" || !constant(p.childForFieldName("key")) || !constant(p.childForFieldName("value"))) return undefined;
    }
    return d;
  }
  /** By function id and name: the one assignment constantTable reads (null: none that qualifies). */
  private readonly tableBindings = new Map<string, Node | null>();

  private soleBinding(name: string, def: Node | undefined, at: Node): Node | undefined {
    if (def) {
      const index = this.bindingIndex(def);
      const own = index.get(name);
      if (own === null) return undefined; // a parameter, a global or nonlocal declaration, or bound twice
      if (own) return own;
    }
    const root = (def ?? at)?.tree.rootNode;
    return root ? (this.bindingIndex(root).get(name) ?? undefined) : undefined;
  }

  /**
   * The names a function body (or the module's top level) binds by plain assignment, each to its one assignment
   * (null: a parameter, declared global or nonlocal, bound more than once, or by an augmented assignment). Built
   * once per body: the sinks of a long function share it.
   */
  private bindingIndex(scope: Node): Map<string, Node | null> {
    let index = this.bindingIndexes.get(scope.id);
    if (index) return index;
    index = new Map();
    const set = (name: string | undefined, a: Node | null) => {
      if (name) index!.set(name, index!.has(name) ? null : a);
    };
    if (scope.type === "module") {
      for (const st of scope.namedChildren) {
        const a = st?.type === "expression_statement" ? st.namedChildren[0] : undefined;
        if (a?.type === "assignment" && a.childForFieldName("left")?.type === "identifier") set(a.childForFieldName("left")!.text, a);
      }
    } else {
      for (const p of scope.childForFieldName("parameters")?.descendantsOfType("identifier") ?? []) if (p) index.set(p.text, null);
      for (const a of scope.descendantsOfType(["assignment", "augmented_assignment", "global_statement", "nonlocal_statement"])) {
        if (!a || enclosingFunction(a)?.startIndex !== scope.startIndex) continue;
        if (a.type === "global_statement" || a.type === "nonlocal_statement") for (const c of a.namedChildren) c && index.set(c.text, null);
        else if (a.childForFieldName("left")?.type === "identifier") set(a.childForFieldName("left")!.text, a.type === "assignment" ? a : null);
      }
    }
    this.bindingIndexes.set(scope.id, index);
    return index;
  }
  private readonly bindingIndexes = new Map<number, Map<string, Node | null>>();

  /**
   * Session 32: a call of a function of this file (not a generator) whose every return gives a written-out string or
   * number, or a read of a constant table (see tableLookup: `return VALID[command]`), whatever it is handed: its
   * result is the program's own data. Judged from the function's text, so a body below the call counts too.
   */
  private ownResultCall(call: Node): boolean {
    if (this.functions.size === 0) return false;
    const def = this.callee(call.childForFieldName("function"))?.def;
    if (!def) return false;
    const memo = this.ownResults.get(def.startIndex);
    if (memo !== undefined) return memo;
    let own = false;
    const returns = returnsOf(def);
    if (returns.length > 0 && returns.every((r) => r.type === "return_statement")) {
      own = returns.every((r) => {
        const e = r.namedChildren.find((c) => c && c.type !== "comment");
        if (!e) return false;
        return isStringLiteral(e) || e.type === "integer" || e.type === "float" || this.tableLookup(e, false);
      });
    }
    this.ownResults.set(def.startIndex, own);
    return own;
  }
  private readonly ownResults = new Map<number, boolean>();

  /**
   * Session 32: an item read from a container that a helper of the file built from constants — `x[k]`, `x.get(k)`,
   * `x.pop()`, `x.popleft()` where `x` is bound once, to a call of a helper that fills a fresh empty container
   * (`{}`, `[]`, `dict()`, `list()`, `set()`, `deque()`) only with literals and constant-table reads
   * (`out[key] = VALID[value]`, `out.append(VALID.get(item))`) and returns it: whichever item is read, it is a constant.
   */
  private ownContainerRead(n: Node): boolean {
    if (this.functions.size === 0) return false;
    let holder: Node | null | undefined;
    if (n.type === "subscript") holder = n.childForFieldName("value");
    else {
      const fn = n.childForFieldName("function");
      if (fn?.type !== "attribute" || !/^(?:get|pop|popleft)$/.test(fn.childForFieldName("attribute")?.text ?? "")) return false;
      holder = fn.childForFieldName("object");
    }
    if (holder?.type !== "identifier" || this.tainted.has(holder.text)) return false;
    const def = enclosingFunction(n);
    const key = `${def?.id ?? -1}\0${holder.text}`;
    let binding = this.tableBindings.get(key);
    if (binding === undefined) {
      binding = this.soleBinding(holder.text, def, n) ?? null;
      this.tableBindings.set(key, binding);
    }
    const right = binding && binding.startIndex < n.startIndex ? binding.childForFieldName("right") : undefined;
    if (right?.type !== "call" || !this.ownContainerCall(right)) return false;
    // in a function, no write into it there (its one binding is above); at module level, the file's
    if (!def) return !this.mutated.has(holder.text) && this.bindings.get(holder.text) === 1;
    let read = this.onlyReads.get(key);
    if (read === undefined) {
      read = this.onlyRead(def, holder.text);
      this.onlyReads.set(key, read);
    }
    return read;
  }

  /** No `name[k] = …` and no in-place change (`name.append(…)`, `update`, …; not `pop`) in the function's own body. */
  private onlyRead(def: Node, name: string): boolean {
    return def.descendantsOfType("identifier").every((id) => {
      if (!id || id.text !== name) return true;
      const p = id.parent;
      if (p?.type === "subscript" && p.childForFieldName("value")?.startIndex === id.startIndex)
        return !(p.parent?.type === "assignment" || p.parent?.type === "augmented_assignment") || p.parent.childForFieldName("left")?.startIndex !== p.startIndex;
      if (p?.type === "attribute" && p.childForFieldName("object")?.startIndex === id.startIndex) {
        const method = p.childForFieldName("attribute")?.text ?? "";
        return !CONTAINER_MUTATORS.has(method) || method === "pop";
      }
      return true;
    });
  }

  /** A call of a helper of the file that returns a fresh container it filled only with constants (see ownContainerRead). */
  private ownContainerCall(call: Node): boolean {
    const def = this.callee(call.childForFieldName("function"))?.def;
    const memo = def ? this.ownContainers.get(def.startIndex) : false;
    if (!def || memo !== undefined) return memo === true;
    let own = false;
    const returns = returnsOf(def);
    const result = returns.length === 1 && returns[0]!.type === "return_statement" ? returns[0]!.namedChildren.find((c) => c && c.type !== "comment") : undefined;
    const made = result?.type === "identifier" ? this.soleBinding(result.text, def, result)?.childForFieldName("right") : undefined;
    const fresh =
      !!made &&
      (((made.type === "dictionary" || made.type === "list" || made.type === "set") && made.namedChildren.every((c) => !c || c.type === "comment")) ||
        (made.type === "call" &&
          /^(?:(?:collections\.)?(?:deque|OrderedDict)|dict|list|set)$/.test(made.childForFieldName("function")?.text ?? "") &&
          (made.childForFieldName("arguments")?.namedChildren ?? []).every((c) => !c || c.type === "comment")));
    if (fresh && result) {
      const constant = (x: Node | null | undefined) => !!x && (isStringLiteral(x) || x.type === "integer" || x.type === "float" || x.type === "none" || this.tableLookup(x, false));
      own = def.descendantsOfType("identifier").every((id) => {
        if (!id || id.text !== result.text || id.startIndex === result.startIndex) return true;
        const p = id.parent;
        if (p?.type === "assignment" && p.childForFieldName("left")?.startIndex === id.startIndex) return p.childForFieldName("right")?.startIndex === made!.startIndex;
        // out[key] = <constant>
        if (p?.type === "subscript" && p.childForFieldName("value")?.startIndex === id.startIndex) {
          const a = p.parent;
          return a?.type === "assignment" && a.childForFieldName("left")?.startIndex === p.startIndex && constant(a.childForFieldName("right"));
        }
        // out.append(<constant>) and the other adders
        if (
          p?.type === "attribute" &&
          p.childForFieldName("object")?.startIndex === id.startIndex &&
          /^(?:append|appendleft|add|insert)$/.test(p.childForFieldName("attribute")?.text ?? "")
        ) {
          const args = (p.parent?.type === "call" ? (p.parent.childForFieldName("arguments")?.namedChildren ?? []) : []).filter((a) => a && a.type !== "comment");
          const value = args[args.length - 1];
          return args.length > 0 && args.every((a) => a!.type !== "keyword_argument" && a!.type !== "list_splat") && constant(value);
        }
        return false;
      });
    }
    this.ownContainers.set(def.startIndex, own);
    return own;
  }
  private readonly ownContainers = new Map<number, boolean>();
  private readonly onlyReads = new Map<string, boolean>();

  /** `T[k]` or `T.get(k)` / `T.get(k, <literal>)`: the shape of a table read, whatever T holds. */
  private tableLookupShape(e: Node): boolean {
    if (e.type === "subscript") return e.childForFieldName("subscript")?.type !== "slice";
    const fn = e.childForFieldName("function");
    if (fn?.type !== "attribute" || fn.childForFieldName("attribute")?.text !== "get") return false;
    const args = (e.childForFieldName("arguments")?.namedChildren ?? []).filter((a) => a && a.type !== "comment");
    const d = args[1];
    return (
      args.length >= 1 &&
      args.length <= 2 &&
      args.every((a) => a!.type !== "keyword_argument" && a!.type !== "list_splat" && a!.type !== "dictionary_splat") &&
      (!d || isStringLiteral(d) || d.type === "integer" || d.type === "float" || d.type === "none")
    );
  }

  /**
   * The text of a Python source file named by the program itself: `open(P).read()`, `f.read()` inside
   * `with open(P) as f`, `Path(P).read_text()`, where the path P ends in a literal `….py` name (see ownPythonPath).
   */
  private ownSourceText(n: Node): boolean {
    if (n.type !== "call") return false;
    const fn = n.childForFieldName("function");
    if (fn?.type !== "attribute") return false;
    const method = fn.childForFieldName("attribute")?.text;
    const object = fn.childForFieldName("object");
    if (!object) return false;
    if (method === "read_text")
      return this.ownPythonPath(object.type === "call" && /^(?:pathlib\.)?(?:Pure)?Path$/.test(object.childForFieldName("function")?.text ?? "") ? lastArgument(object) : object);
    if (method !== "read") return false;
    if (object.type === "call") return this.openOfOwnPython(object);
    if (object.type !== "identifier") return false;
    // `with open(P) as f:` around the call, the nearest binding of that name
    for (let p = n.parent; p; p = p.parent) {
      if (p.type === "function_definition" || p.type === "class_definition") return false;
      if (p.type !== "with_statement") continue;
      for (const item of p.descendantsOfType("with_item")) {
        const value = item?.childForFieldName("value");
        if (value?.type !== "as_pattern" || value.childForFieldName("alias")?.text !== object.text) continue;
        const opened = value.namedChildren[0];
        return !!opened && opened.type === "call" && this.openOfOwnPython(opened);
      }
    }
    return false;
  }

  /** `open(P, …)` (builtins, io, codecs) of a path that ends in a literal Python file name. */
  private openOfOwnPython(call: Node): boolean {
    const name = call.childForFieldName("function")?.text ?? "";
    if (!/^(?:open|io\.open|codecs\.open|builtins\.open)$/.test(name)) return false;
    const first = (call.childForFieldName("arguments")?.namedChildren ?? []).find((a) => a && a.type !== "comment");
    return !!first && first.type !== "keyword_argument" && this.ownPythonPath(first);
  }

  /**
   * A path whose last part is a literal `….py` file name: `"pkg/version.py"`, `os.path.join(here, "pkg", "version.py")`,
   * `Path(__file__).parent / "_version.py"`, or a module-level name assigned once to such a path. The folder may be
   * computed; the file is the project's own Python source, which running it (like importing it) trusts anyway.
   */
  private ownPythonPath(n: Node | null | undefined, depth = 0): boolean {
    if (!n || depth > 6) return false;
    if (n.type === "parenthesized_expression") return this.ownPythonPath(n.namedChildren[0], depth + 1);
    if (isStringLiteral(n)) {
      const s = stringContent(n);
      return /\.py$/.test(s) && !s.includes("://");
    }
    if (n.type === "binary_operator")
      return n.childForFieldName("operator")?.text === "/" && !this.isTainted(n.childForFieldName("left")!) && this.ownPythonPath(n.childForFieldName("right"), depth + 1);
    if (n.type === "call") {
      const name = n.childForFieldName("function")?.text ?? "";
      if (!/^(?:os\.path\.|path\.|posixpath\.)?join$|^(?:pathlib\.)?(?:Pure)?Path$|^(?:os\.path\.)?(?:abspath|realpath|normpath)$|^str$/.test(name)) return false;
      // a folder taken from a request, the command line or input is not the project's own
      const args = (n.childForFieldName("arguments")?.namedChildren ?? []).filter((a) => a && a.type !== "comment");
      return !args.some((a) => a && this.isTainted(a)) && this.ownPythonPath(lastArgument(n), depth + 1);
    }
    if (n.type !== "identifier") return false;
    // a module-level name assigned exactly once in the file (VERSION_FILE = os.path.join(ROOT, "version.py")); once per name
    this.ownPathNames ??= new Map();
    const known = this.ownPathNames.get(n.text);
    if (known !== undefined) return known;
    this.ownPathNames.set(n.text, false); // a name defined through itself is not a path
    const a = this.assignmentsByName(n).get(n.text);
    const own = a?.count === 1 && this.ownPythonPath(a.right, depth + 1);
    this.ownPathNames.set(n.text, own);
    return own;
  }

  /** Every assignment of the file by target name, listed once: how many, and the value of a module-level one. */
  private assignmentsByName(inFile: Node): Map<string, { count: number; right?: Node }> {
    if (this.assignmentIndex) return this.assignmentIndex;
    const index = new Map<string, { count: number; right?: Node }>();
    let root = inFile;
    while (root.parent) root = root.parent;
    for (const a of root.descendantsOfType("assignment")) {
      const name = a?.childForFieldName("left")?.text;
      if (!a || !name) continue;
      const e = index.get(name) ?? index.set(name, { count: 0 }).get(name)!;
      e.count++;
      e.right = a.parent?.parent?.type === "module" ? (a.childForFieldName("right") ?? undefined) : undefined;
    }
    this.assignmentIndex = index;
    return index;
  }
  private assignmentIndex: Map<string, { count: number; right?: Node }> | undefined;
  /** Module-level names found to hold (or not) a path to the project's own Python file, for ownPythonPath. */
  private ownPathNames: Map<string, boolean> | undefined;

  /**
   * What a function defined in this file returns, for a call to it (`build_query(uid)`, `self.build(uid)`):
   * built SQL text (with where it is built) or untrusted input. Only for functions whose every return
   * gives the same kind; evaluated with the names known where the call is.
   */
  private summary(fn: Node | null | undefined): { value: Value; ranges: Array<[number, number]>; tainted: boolean } | undefined {
    if (!fn || this.functions.size === 0) return undefined;
    const def = this.callee(fn)?.def;
    if (!def) return undefined;
    const known = this.summaries.get(def.startIndex);
    if (known) return known;
    this.summaries.set(def.startIndex, { value: { kind: "other" }, ranges: [], tainted: false }); // recursion guard
    const returns = def.descendantsOfType("return_statement").filter((r) => {
      for (let p = r?.parent; p; p = p.parent) if (p.type === "function_definition" || p.type === "lambda") return p.startIndex === def.startIndex;
      return false;
    });
    const exprs = returns.map((r) => r?.namedChildren[0]).filter((e): e is Node => !!e);
    let result = { value: { kind: "other" } as Value, ranges: [] as Array<[number, number]>, tainted: false };
    if (exprs.length > 0) {
      const values = exprs.map((e) => this.value(e));
      const built = values.findIndex((v) => v.kind === "built-string" && looksLikeSql(v.text ?? ""));
      result = {
        value: built >= 0 ? values[built]! : { kind: "other" },
        ranges: built >= 0 ? exprs.flatMap((e) => this.sqlOrigins(e)) : [],
        tainted: exprs.some((e) => this.isTainted(e)),
      };
    }
    this.summaries.set(def.startIndex, result);
    return result;
  }

  /** A `def eval` (or exec/compile) in an enclosing function's body, above the call: the call runs that function. */
  private locallyRebound(call: Node, name: string): boolean {
    for (let p = call.parent; p; p = p.parent) {
      if (p.type !== "function_definition") continue;
      // The nested defs of each function are listed once (thousands of eval calls in one function stay linear).
      let defs = this.nestedDefs.get(p.id);
      if (!defs) {
        defs = [];
        for (const st of p.childForFieldName("body")?.namedChildren ?? [])
          if (st?.type === "function_definition") defs.push({ name: st.childForFieldName("name")?.text ?? "", start: st.startIndex });
        this.nestedDefs.set(p.id, defs);
      }
      if (defs.some((d) => d.start < call.startIndex && d.name === name)) return true;
    }
    return false;
  }
  /** Function id → the functions defined directly in its body (name, start), for locallyRebound. */
  private readonly nestedDefs = new Map<number, Array<{ name: string; start: number }>>();

  /** The function defined in this file that a call runs (`build(x)`, `self.build(x)`, `Query().build(x)`), with the parameters its arguments fill. */
  private localFunction(fn: Node | null | undefined): { def: Node; params: string[] } | undefined {
    const callee = this.callee(fn);
    if (!callee) return undefined;
    const params = positionalParameters(callee.def);
    if (callee.receiver || (params[0] === "self" && fn?.type === "attribute")) params.shift();
    return { def: callee.def, params };
  }

  /**
   * The function of this file a call runs, and whether the call fills its first parameter with the receiver: a
   * plain name (`build(x)`) or `self.build(x)`/`cls.build(x)`, by a name the file defines once; or (session 27) a
   * method of a class of this file called on an instance built from it, `Query().build(x)` or `q.build(x)` after
   * `q = Query(…)` (an inherited method of another class of the file too). Any other object is not followed.
   */
  private callee(fn: Node | null | undefined): { def: Node; receiver: boolean } | undefined {
    if (!fn) return undefined;
    if (fn.type === "identifier") {
      const def = this.functions.get(fn.text);
      return def ? { def, receiver: false } : undefined;
    }
    if (fn.type !== "attribute") return undefined;
    const name = fn.childForFieldName("attribute")?.text ?? "";
    const object = fn.childForFieldName("object");
    if (object?.type === "identifier" && (object.text === "self" || object.text === "cls")) {
      const def = this.functions.get(name);
      return def ? { def, receiver: true } : undefined;
    }
    if (!object || !this.methodNames.has(name)) return undefined;
    // The class the object was built from, as qualify spells a call of it (`Query()`): an imported name of the same
    // spelling qualifies as its module's, and a name assigned anything else has no such type.
    const type = object.type === "call" ? this.qualify(object) : object.type === "identifier" ? this.varTypes.get(object.text) : undefined;
    const cls = type?.endsWith("()") ? type.slice(0, -2) : undefined;
    const def = cls ? this.methodOf(cls, name) : undefined;
    return def ? { def, receiver: !isStaticMethod(def) } : undefined;
  }

  /** Method `name` of the file's class `cls`, its own or inherited from the file's classes it is built on (in base order). */
  private methodOf(cls: string, name: string, depth = 0): Node | undefined {
    const c = this.classDefs.get(cls);
    if (!c || depth > 8) return undefined;
    const own = this.methodsOf(c);
    if (own.has(name)) return own.get(name) ?? undefined;
    for (const base of c.childForFieldName("superclasses")?.namedChildren ?? []) {
      if (!base || base.type === "keyword_argument" || base.type === "comment" || base.text === "object") continue;
      // A base from elsewhere may define the method: what runs is then not evident.
      if (base.type !== "identifier") return undefined;
      const def = this.methodOf(base.text, name, depth + 1);
      if (def || !this.classDefs.get(base.text)) return def;
    }
    return undefined;
  }

  /** A class's methods by name (null: defined twice in its body); a property is no method to call. */
  private methodsOf(c: Node): Map<string, Node | null> {
    let methods = this.methodsMemo.get(c.startIndex);
    if (methods) return methods;
    methods = new Map();
    for (const st of c.childForFieldName("body")?.namedChildren ?? []) {
      const def = st?.type === "decorated_definition" ? st.childForFieldName("definition") : st;
      const name = def?.type === "function_definition" ? def.childForFieldName("name")?.text : undefined;
      if (!def || !name) continue;
      const property =
        st!.type === "decorated_definition" && st!.namedChildren.some((d) => d?.type === "decorator" && /^@(?:\w+\.)?(?:property|setter|getter|deleter)\b/.test(d.text));
      methods.set(name, methods.has(name) || property ? null : def);
    }
    this.methodsMemo.set(c.startIndex, methods);
    return methods;
  }

  /** A call to a local function: each parameter given untrusted input is remembered for the next pass. */
  private argumentsToParameters(n: Node, fn: Node): void {
    const local = this.localFunction(fn);
    if (!local) return;
    // Session 32, part 2: what each argument of a call to a module-level function is, judged here, where the walk's
    // state is this call's (clearByCallers reads it after the walk).
    const judged = fn.type === "identifier" && callerJudgedFunction(local.def) ? new Map<string, boolean>() : undefined;
    if (judged) this.callArguments.set(n.startIndex, judged);
    let i = 0;
    for (const a of n.childForFieldName("arguments")?.namedChildren ?? []) {
      if (!a || a.type === "comment") continue;
      if (a.type === "list_splat" || a.type === "dictionary_splat") break;
      const param = a.type === "keyword_argument" ? a.childForFieldName("name")?.text : local.params[i++];
      const value = a.type === "keyword_argument" ? a.childForFieldName("value") : a;
      const tainted = this.isTainted(value);
      if (judged && param && this.dataParameters(local.def).has(param)) judged.set(param, !tainted && !!value && this.callerOwnData(value));
      if (!param || !tainted) continue;
      if (local.def.endIndex > n.startIndex) this.forwardCalls.add(local.def.startIndex);
      if (this.seeds.get(local.def.startIndex)?.has(param)) continue;
      const set = this.newSeeds.get(local.def.startIndex) ?? new Set<string>();
      set.add(param);
      this.newSeeds.set(local.def.startIndex, set);
    }
  }

  /** The parameters of a function that some call in it takes as its data (sinkData): the only ones clearByCallers asks about. */
  private dataParameters(def: Node): Set<string> {
    let found = this.dataParametersMemo.get(def.id);
    if (!found) {
      const params = new Set(positionalParameters(def));
      found = new Set();
      for (const c of def.descendantsOfType("call")) {
        const d = convertedName(c ? sinkData(c) : undefined);
        if (d && params.has(d.text)) found.add(d.text);
      }
      this.dataParametersMemo.set(def.id, found);
    }
    return found;
  }
  private readonly dataParametersMemo = new Map<number, Set<string>>();

  /**
   * An argument known to be the program's own for clearByCallers: ownData, but not a read of a container's item or an
   * object's field (another name of the container or object may have changed it: aliases, a callee filling it), nor a
   * name bound by unpacking or from such a read (`a, b = b, a`; `x = d["k"]`), which ownData does not follow as closely.
   */
  private callerOwnData(value: Node, depth = 0): boolean {
    if (value.type !== "identifier" && this.constantExpression(value, depth)) return true;
    if (value.type === "subscript") return this.literalItem(value) || this.writtenOutRead(value);
    if (value.type === "attribute") return this.constantField(value);
    if (value.type === "call" && this.writtenOutRead(value)) return true;
    if (!this.ownData(value)) return value.type === "identifier" ? this.ownBinding(value) : value.type === "call" && this.constantCall(value);
    if (value.type !== "identifier") return true;
    const scope = enclosingFunction(value) ?? value.tree.rootNode;
    for (const id of this.identifiersNamed(scope, value.text)) {
      const p = id.parent;
      if (p?.type === "pattern_list" || p?.type === "tuple_pattern" || p?.type === "list_pattern") return false;
      const right = p?.type === "assignment" && p.childForFieldName("left")?.equals(id) ? p.childForFieldName("right") : undefined;
      if (right && (right.type === "subscript" || right.type === "attribute")) return false;
    }
    return true;
  }

  /**
   * Session 33: a value that is the same whatever the input, by the documented semantics of Python's operators: a
   * written-out number, bool or None; a comparison or `not` of such values; text or numbers
   * folded through `+ - * / // % **` and the bitwise operators, unary signs, f-strings, `"…".format(…)`, `%` and
   * `"sep".join([...])`; a literal list, tuple, set or dict — each of whose parts is such a value or a name
   * callerOwnData accepts. A value read from a container or an object, a call of anything else, a lambda: no.
   */
  private constantExpression(n: Node | null | undefined, depth = 0, names = true): boolean {
    if (!n || depth > 12) return false;
    const part = (c: Node | null | undefined): boolean =>
      !!c && (c.type === "comment" || (c.type === "identifier" ? names && this.callerOwnData(c, depth + 1) : this.constantExpression(c, depth + 1, names)));
    switch (n.type) {
      case "integer":
      case "float":
      case "true":
      case "false":
      case "none":
        return true;
      case "comparison_operator": // a bool, but one the input decides unless every operand is constant
        return n.namedChildren.every(part);
      case "not_operator":
        return part(n.childForFieldName("argument"));
      case "string":
        return n.namedChildren.every((c) => c?.type !== "interpolation" || part(c.namedChildren[0]));
      case "concatenated_string":
      case "parenthesized_expression":
      case "list":
      case "tuple":
      case "set":
        return n.namedChildren.every(part);
      case "dictionary":
        return n.namedChildren.every((c) => !c || c.type === "comment" || (c.type === "pair" && part(c.childForFieldName("key")) && part(c.childForFieldName("value"))));
      case "unary_operator":
        return part(n.childForFieldName("argument"));
      case "boolean_operator": {
        // `a and b` gives a falsy `a` ("", 0, None…: nothing to inject) or `b`; `a or b` gives a truthy `a` or `b`
        const op = n.childForFieldName("operator")?.text;
        return (op === "or" ? part(n.childForFieldName("left")) : op === "and") && part(n.childForFieldName("right"));
      }
      case "binary_operator":
        return CONSTANT_OPERATORS.has(n.childForFieldName("operator")?.text ?? "") && part(n.childForFieldName("left")) && part(n.childForFieldName("right"));
      case "call": {
        const fn = n.childForFieldName("function");
        const method = fn?.type === "attribute" ? fn.childForFieldName("attribute")?.text : undefined;
        const object = fn?.childForFieldName("object");
        const args = callArguments(n);
        if (args.splat) return false;
        if (names && method && CONTAINER_READS.has(method) && this.writtenOutRead(n)) return true; // list(m.values())
        if (fn?.type === "identifier" && CONSTANT_CONVERSIONS.has(fn.text) && !this.functions.has(fn.text) && !this.classes.has(fn.text))
          return args.kw.size === 0 && args.positional.every(part); // str(456), bytes("aaa", "utf-8"), set("_")
        if (!object || !(method === "format" || method === "join") || !isStringLiteral(object)) return false;
        if (method === "join") return args.kw.size === 0 && args.positional.length === 1 && /^(?:list|tuple)$/.test(args.positional[0]!.type) && part(args.positional[0]);
        return args.positional.every(part) && [...args.kw.values()].every(part);
      }
      default:
        return false;
    }
  }

  /**
   * Session 33: the one binding of a local name in the function around `at`, above it (the assignment), and the
   * name's other mentions in that function (nested functions included); undefined when the function binds it
   * more than once, takes it as a parameter or does not bind it.
   */
  private localBinding(at: Node): { right: Node; others: Node[] } | undefined {
    const def = enclosingFunction(at);
    const binding = def ? this.bindingIndex(def).get(at.text) : undefined;
    const left = binding?.childForFieldName("left");
    const right = binding?.childForFieldName("right");
    if (!binding || !left || !right || binding.endIndex > at.startIndex) return undefined;
    return { right, others: this.identifiersNamed(def!, at.text).filter((m) => !m.equals(at) && !m.equals(left)) };
  }

  /**
   * Session 33: a name the walk does not hold a constant for, bound once in its function (above the use) to
   * - a literal list, tuple, set or dict of written-out values, whose other mentions are only writes of written-out
   *   values at written-out keys (`m = {}; m["k"] = "_"`): not handed on, aliased or changed otherwise; or
   * - a call of a function of the file (not a generator) whose every return gives back a written-out value or one of
   *   its parameters, handed a written-out value there (`def process(arg): return arg` … `b = process("_")`), with no
   *   other mention of the name.
   */
  private ownBinding(id: Node): boolean {
    const b = this.localBinding(id);
    if (!b) return false;
    if (this.writtenOutContainer(id, true)) return true;
    const literal = (x: Node | null | undefined) => this.constantExpression(x, 0, false);
    // `result = +1`, `result = x in allowed`, `t = str(456)`: bound once to a value worked out from the text, and
    // mentioned nowhere else (so nothing changes it in place)
    if (b.others.length === 0 && !LITERAL_CONTAINER.test(b.right.type) && literal(b.right)) return true;
    if (LITERAL_CONTAINER.test(b.right.type)) {
      if (!literal(b.right)) return false;
      return b.others.every((m) => {
        const sub = m.parent;
        const write = sub?.type === "subscript" && sub.childForFieldName("value")?.equals(m) ? sub.parent : undefined;
        return (
          write?.type === "assignment" && write.childForFieldName("left")?.equals(sub!) && literal(sub!.childForFieldName("subscript")) && literal(write.childForFieldName("right"))
        );
      });
    }
    if (b.right.type !== "call" || b.others.length > 0) return false;
    const external = this.callee(b.right.childForFieldName("function")) ? undefined : this.externalSummary(b.right.childForFieldName("function"));
    if (external?.identity !== undefined) {
      // a function of another scanned file that gives back its argument itself (its summary), handed a constant
      const given = callArguments(b.right);
      return !given.splat && literal(given.kw.get(external.params[external.identity] ?? "") ?? given.positional[external.identity]);
    }
    return this.constantCall(b.right);
  }

  /**
   * Session 33 (ownBinding), widened in session 33 part 2 to methods: a call of a function of the file, or of a
   * method resolved by methodOwner, whose every return gives back a written-out value, one of its parameters (never
   * rebound) handed a written-out value there (its default when left out), or — a method on an instance — `self.f`
   * where every write of attribute `f` in the file is a string literal (constantAttribute). Not a generator.
   */
  private constantCall(call: Node): boolean {
    const fn = call.childForFieldName("function");
    const plain = this.callee(fn);
    const method = plain && !plain.receiver ? undefined : this.methodOwner(call);
    const def = plain && !plain.receiver ? plain.def : method?.def;
    const skip = method?.skip ?? 0;
    const returns = def ? returnsOf(def) : [];
    if (!def || returns.length === 0 || returns.some((r) => r.type !== "return_statement")) return false;
    const args = callArguments(call);
    if (args.splat) return false;
    const params = positionalParameters(def);
    const literal = (x: Node | null | undefined) => this.constantExpression(x, 0, false);
    const self = method?.instance ? params[0] : undefined;
    return returns.every((r) => {
      const e = r.namedChildren.find((c) => c && c.type !== "comment");
      if (!e) return false;
      if (self && e.type === "attribute" && e.childForFieldName("object")?.text === self && !rebinds(def, self))
        return this.constantAttribute(e) && !method!.chain.some((c) => classBodyBinds(c, e.childForFieldName("attribute")?.text ?? ""));
      if (e.type !== "identifier" || !params.includes(e.text)) return literal(e);
      const at = params.indexOf(e.text) - skip;
      if (at < 0 || rebinds(def, e.text)) return false;
      const arg = args.kw.get(e.text) ?? args.positional[at] ?? defaultValue(def, e.text);
      return literal(arg);
    });
  }

  /**
   * Session 33, part 2: the method `C.m(…)` or `o.m(…)` runs, for a class `C` of the file (defined once, undecorated,
   * no metaclass) called by its name, or for `o` bound once in its function, above, to `C(…)` and mentioned otherwise
   * only by reading its attributes; `m` is C's own or inherited from the file's classes (methodOf), undecorated or
   * `@staticmethod`/`@classmethod`/`@abstractmethod`. Not when the file writes an attribute named `m` anywhere
   * (`Sub.m = f`), calls `setattr` or reads `__dict__`/`vars`, or C or a base of the file defines `__getattr__`,
   * `__getattribute__` or `__new__`. `skip`: the parameters the call does not fill (self or cls).
   */
  private methodOwner(call: Node): { def: Node; skip: number; instance: boolean; chain: Node[] } | undefined {
    const fn = call.childForFieldName("function");
    const object = fn?.type === "attribute" ? fn.childForFieldName("object") : undefined;
    const name = fn?.childForFieldName("attribute")?.text;
    if (object?.type !== "identifier" || !name || object.text === "self" || object.text === "cls") return undefined;
    let cls = object.text;
    let instance = false;
    const scope = enclosingFunction(call);
    const bound = scope ? this.bindingIndex(scope).has(object.text) : false;
    if (bound) {
      const b = this.localBinding(object);
      const ctor = b?.right.type === "call" ? b.right.childForFieldName("function") : undefined;
      if (!b || ctor?.type !== "identifier") return undefined;
      if (!b.others.every(readsAttribute)) return undefined;
      cls = ctor.text;
      instance = true;
    }
    this.reflective ??= /\bsetattr\s*\(|__dict__|\bvars\s*\(/.test(this.source);
    const root = call.tree.rootNode;
    if (this.reflective || this.attributeWrites(root, name).length > 0) return undefined;
    // the class's name is never bound to anything else in the file: each mention defines it, calls it, reads its
    // attributes or names it as a base
    const mention = (m: Node) =>
      readsAttribute(m) ||
      (m.parent?.type === "call" && !!m.parent.childForFieldName("function")?.equals(m)) ||
      (m.parent?.type === "class_definition" && !!m.parent.childForFieldName("name")?.equals(m)) ||
      (m.parent?.type === "argument_list" && m.parent.parent?.type === "class_definition");
    if (!this.identifiersNamed(root, cls).every(mention)) return undefined;
    const chain: Node[] = [];
    for (let c = cls, depth = 0; ; depth++) {
      const d = this.classDefs.get(c);
      if (!d || depth > 8 || d.parent?.type === "decorated_definition") return undefined;
      chain.push(d);
      const supers = d.childForFieldName("superclasses")?.namedChildren.filter((x): x is Node => !!x && x.type !== "comment") ?? [];
      if (supers.some((x) => x.type === "keyword_argument")) return undefined;
      if (["__getattr__", "__getattribute__", "__new__"].some((m) => this.methodsOf(d).has(m))) return undefined;
      const next = supers.find((x) => x.type === "identifier" && this.classDefs.has(x.text));
      if (!next) break;
      c = next.text;
    }
    const def = this.methodOf(cls, name);
    if (!def) return undefined;
    const decorators = def.parent?.type === "decorated_definition" ? def.parent.namedChildren.filter((x) => x?.type === "decorator").map((x) => x!.text) : [];
    if (decorators.some((x) => !/^@\s*(?:staticmethod|classmethod|(?:abc\.)?abstractmethod)\s*$/.test(x))) return undefined;
    const staticm = decorators.some((x) => /staticmethod/.test(x));
    const classm = decorators.some((x) => /classmethod/.test(x));
    return { def, skip: staticm ? 0 : classm || instance ? 1 : 0, instance: instance && !staticm && !classm, chain };
  }

  /**
   * Session 34: an item read from a local container every value of which is written out in the text — `m[k]` or
   * `m.get(k)` / `m.pop(k)` / `m.values()` at any key, the key input or not (`m = {}; m[key] = "v"; run(m.get(key))`);
   * `m.keys()`, `m.items()`, `m.copy()` only when every key is written out too. The default of `get`/`pop`/
   * `setdefault` must be written out. See writtenOutContainer.
   */
  private writtenOutRead(n: Node): boolean {
    if (n.type === "subscript") {
      const holder = n.childForFieldName("value");
      return holder?.type === "identifier" && n.childForFieldName("subscript")?.type !== "slice" && this.writtenOutContainer(holder, false);
    }
    const fn = n.childForFieldName("function");
    const holder = fn?.type === "attribute" ? fn.childForFieldName("object") : undefined;
    const method = fn?.childForFieldName("attribute")?.text ?? "";
    if (holder?.type !== "identifier" || !CONTAINER_READS.has(method)) return false;
    const args = callArguments(n);
    if (args.splat || args.kw.size > 0) return false;
    if ((method === "get" || method === "pop" || method === "setdefault") && args.positional.length > 1 && !this.constantExpression(args.positional[1], 0, false)) return false;
    return this.writtenOutContainer(holder, method === "keys" || method === "items" || method === "copy");
  }

  /**
   * Session 34: a name bound once in its function, above `id`, to a container whose every value is written out in
   * the text: a literal list, tuple, set or dict of such values, or `list()`, `dict()`, `set()`, `tuple()`,
   * `frozenset()`, `bytearray(…)` or `array.array(…)` of them (the built-ins not shadowed in the file). Every other
   * mention of the name in the function only reads it (an item at any key, `len`, `in`, `for … in`, the read methods)
   * or puts written-out values in (`m[k] = "v"`, `append`, `add`, `insert`, `extend`/`update` of a literal,
   * `setdefault`) or takes items out (`pop`, `remove`, `discard`, `clear`, `del m[k]`): never aliased, handed on,
   * rebound or changed otherwise. With `keys`, a key written (`m[k] = …`, `setdefault(k, …)`) must be written out
   * too: the whole container, or its keys, is what is read.
   */
  private writtenOutContainer(id: Node, keys: boolean): boolean {
    const b = this.localBinding(id);
    if (!b) return false;
    // a written-out value that is not itself a container (or a call that may make one): an item read from the
    // container cannot be filled with input through another name (`m = [[]]; m[0].append(x)`)
    const flat = (x: Node | null | undefined) => !!x && this.constantExpression(x, 0, false) && x.descendantsOfType(MUTABLE_NODES).length === 0 && !MUTABLE_NODES.includes(x.type);
    const items = (c: Node | null | undefined) =>
      !!c && c.namedChildren.every((x) => !x || x.type === "comment" || (x.type === "pair" ? flat(x.childForFieldName("key")) && flat(x.childForFieldName("value")) : flat(x)));
    const literal = (x: Node | null | undefined) => !!x && (LITERAL_CONTAINER.test(x.type) ? items(x) : flat(x));
    const r = b.right;
    if (LITERAL_CONTAINER.test(r.type)) {
      if (!literal(r)) return false;
    } else if (r.type === "call") {
      const fn = r.childForFieldName("function");
      const name = fn?.type === "identifier" ? fn.text : this.qualify(fn) === "array.array" ? "array.array" : "";
      if (!CONTAINER_BUILDERS.has(name) || (fn?.type === "identifier" && (this.functions.has(name) || this.classes.has(name)))) return false;
      const args = callArguments(r);
      if (args.splat || args.kw.size > 0 || !args.positional.every(literal)) return false;
    } else return false;
    return b.others.every((m) => {
      const p = m.parent;
      if (!p) return false;
      if (p.type === "subscript" && p.childForFieldName("value")?.equals(m)) {
        const up = p.parent;
        if (up?.type === "delete_statement") return true;
        if (up?.type === "for_statement" || up?.type === "for_in_clause") return !up.childForFieldName("left")?.equals(p);
        if (up?.type === "augmented_assignment" && up.childForFieldName("left")?.equals(p)) return false;
        if (up?.type === "assignment" && up.childForFieldName("left")?.equals(p)) return flat(up.childForFieldName("right")) && (!keys || flat(p.childForFieldName("subscript")));
        return up?.type !== "pattern_list" && up?.type !== "tuple_pattern" && up?.type !== "expression_list";
      }
      if (p.type === "argument_list" && p.parent?.type === "call" && p.parent.childForFieldName("function")?.text === "len") return true;
      if (p.type === "comparison_operator" || (p.type === "for_statement" && p.childForFieldName("right")?.equals(m))) return true;
      if (p.type !== "attribute" || !p.childForFieldName("object")?.equals(m) || p.parent?.type !== "call") return false;
      const method = p.childForFieldName("attribute")?.text ?? "";
      const args = callArguments(p.parent);
      if (args.splat || args.kw.size > 0) return false;
      const [a0, a1] = args.positional;
      switch (method) {
        case "get":
        case "keys":
        case "values":
        case "items":
        case "copy":
        case "count":
        case "index":
        case "pop":
        case "popitem":
        case "remove":
        case "discard":
        case "clear":
        case "sort":
        case "reverse":
          return true;
        case "append":
        case "add":
          return flat(a0);
        case "insert":
          return flat(a1);
        case "extend":
        case "update":
          return !!a0 && LITERAL_CONTAINER.test(a0.type) && literal(a0);
        case "setdefault":
          return (!keys || flat(a0)) && (a1 === undefined || flat(a1));
        default:
          return false;
      }
    });
  }

  /**
   * Session 33: `s[1]`, `d["k"]["j"]`, `a[0 + 1]` read from a name bound once in its function to a literal list,
   * tuple or dict, at keys worked out from the text, whose item there is a written-out value — whatever the other
   * items hold (`s = [data, "b"]; run(s[1])`). The name is mentioned otherwise only in such reads: never changed,
   * aliased or handed on.
   */
  private literalItem(n: Node): boolean {
    const keys: Node[] = [];
    let holder: Node | null = n;
    while (holder?.type === "subscript") {
      const k = holder.childForFieldName("subscript");
      if (!k) return false;
      keys.unshift(k);
      holder = holder.childForFieldName("value");
    }
    if (holder?.type !== "identifier") return false;
    const b = this.localBinding(holder);
    if (!b || !/^(?:list|tuple|dictionary)$/.test(b.right.type)) return false;
    const read = (m: Node) => {
      const p = m.parent;
      if (p?.type !== "subscript" || !p.childForFieldName("value")?.equals(m)) return false;
      let top: Node = p;
      while (top.parent?.type === "subscript" && top.parent.childForFieldName("value")?.equals(top)) top = top.parent;
      const up = top.parent;
      if ((up?.type === "assignment" || up?.type === "augmented_assignment") && up.childForFieldName("left")?.equals(top)) return false;
      // session 34: an item bound by a loop (`for s[0] in data`), or one whose methods are called (`m[0].append(x)`:
      // an inner list filled with input) is changed too
      if ((up?.type === "for_statement" || up?.type === "for_in_clause") && up.childForFieldName("left")?.equals(top)) return false;
      if (up?.type === "attribute" && up.childForFieldName("object")?.equals(top) && up.parent?.type === "call") return false;
      return up?.type !== "delete_statement" && up?.type !== "expression_list";
    };
    if (!b.others.every(read)) return false;
    let item: Node | undefined = b.right;
    for (const k of keys) {
      const key = this.constEval(k);
      if (key === undefined || !item) return false;
      const parts: Node[] = item.namedChildren.filter((c): c is Node => !!c && c.type !== "comment");
      if (item.type === "dictionary") {
        if (parts.some((p) => p.type !== "pair")) return false;
        item = parts.findLast((p) => this.constEval(p.childForFieldName("key")) === key)?.childForFieldName("value") ?? undefined;
      } else if (item.type === "list" || item.type === "tuple") {
        if (typeof key !== "number" || !Number.isInteger(key) || parts.some((p) => /splat/.test(p.type))) return false;
        item = parts.at(key);
      } else return false;
    }
    return !!item && this.constantExpression(item, 0, false);
  }

  /**
   * Session 33: `o.f` where `o` is bound once in its function, above, to `C(…)` for a class `C` of the file built on
   * no other class and undecorated, whose every write of an attribute `f` anywhere in the file is `self.f = …` in
   * C's `__init__` with a written-out value or a parameter of `__init__` (never rebound) that this constructor call
   * hands a written-out value (its default when left out). Not when C defines `__new__`, `__setattr__`,
   * `__getattr__`, `__getattribute__` or something named `f`, when the file calls `setattr` or reads `__dict__` or
   * `vars`, or when `o` is mentioned otherwise than by reading its attributes.
   */
  private constantField(n: Node): boolean {
    const o = n.childForFieldName("object");
    const f = n.childForFieldName("attribute")?.text;
    if (o?.type !== "identifier" || !f) return false;
    const b = this.localBinding(o);
    if (b?.right.type !== "call") return false;
    const cls = b.right.childForFieldName("function");
    const c = cls?.type === "identifier" ? this.classDefs.get(cls.text) : undefined;
    const bases = c?.childForFieldName("superclasses")?.namedChildren.filter((x) => x && x.type !== "comment") ?? [];
    if (!c || bases.some((x) => x?.text !== "object") || c.parent?.type === "decorated_definition") return false;
    const methods = this.methodsOf(c);
    if (["__new__", "__setattr__", "__getattr__", "__getattribute__", f].some((m) => methods.has(m))) return false;
    const init = methods.get("__init__");
    const root = n.tree.rootNode;
    this.reflective ??= /\bsetattr\s*\(|__dict__|\bvars\s*\(/.test(this.source);
    if (this.reflective) return false;
    if (!b.others.every(readsAttribute)) return false;
    const params = init ? positionalParameters(init) : [];
    const args = callArguments(b.right);
    if (args.splat) return false;
    let writes = 0;
    for (const w of this.attributeWrites(root, f)) {
      const target = w.childForFieldName("left");
      if (w.type !== "assignment" || !init || enclosingFunction(w)?.startIndex !== init.startIndex || target?.childForFieldName("object")?.text !== params[0]) return false;
      const v = w.childForFieldName("right");
      if (!v) return false;
      if (v.type === "identifier" && params.indexOf(v.text) > 0) {
        if (rebinds(init, v.text)) return false;
        const arg = args.kw.get(v.text) ?? args.positional[params.indexOf(v.text) - 1] ?? defaultValue(init, v.text);
        if (!this.constantExpression(arg, 0, false)) return false;
      } else if (!this.constantExpression(v, 0, false)) return false;
      writes++;
    }
    return writes > 0;
  }

  /** Every assignment in the tree whose target is an attribute named `f` (indexed once per tree). */
  private attributeWrites(root: Node, f: string): Node[] {
    let index = this.attributeWriteIndex.get(root.id);
    if (!index) {
      index = new Map();
      for (const a of root.descendantsOfType(["assignment", "augmented_assignment"])) {
        const left = a?.childForFieldName("left");
        const targets = left?.type === "pattern_list" || left?.type === "tuple_pattern" ? left.namedChildren : [left];
        for (const t of targets) {
          const name = t?.type === "attribute" ? t.childForFieldName("attribute")?.text : undefined;
          if (name) index.set(name, [...(index.get(name) ?? []), a!]);
        }
      }
      this.attributeWriteIndex.set(root.id, index);
    }
    return index.get(f) ?? [];
  }
  private readonly attributeWriteIndex = new Map<number, Map<string, Node[]>>();
  /** Whether the file sets or reads attributes by name (`setattr(…)`, `__dict__`, `vars(…)`): computed once. */
  private reflective: boolean | undefined;

  /** A function that returns something and is not a generator (computed once per function). */
  private plainReturns(def: Node): boolean {
    let known = this.plainReturnsMemo.get(def.startIndex);
    if (known === undefined) {
      const found = def.descendantsOfType(["return_statement", "yield"]);
      known = found.length > 0 && found.every((r) => r?.type === "return_statement");
      this.plainReturnsMemo.set(def.startIndex, known);
    }
    return known;
  }
  private readonly plainReturnsMemo = new Map<number, boolean>();

  /**
   * Session 31: what a return statement gives back, as this pass's walk knows it at that point (the function's own
   * assignments and constant branches decided: `guess = "ABC"; if guess[1] == "A": bar = param else: bar = "bob";
   * return bar`). Only a written-out string or number is kept; any other value, or a second constant, spoils the
   * function's record.
   */
  private noteReturnValue(n: Node): void {
    if (this.functions.size === 0) return;
    const def = this.openDefs.at(-1);
    if (!def || def.endIndex < n.endIndex) return;
    const e = n.namedChildren.find((c) => c && c.type !== "comment");
    // the cheap written-out test first: most returns give back something else, and value() is not asked of them
    const v = e && this.ownConstant(e, def) ? this.value(e) : undefined;
    const constant = !!e && !!v && (v.kind === "string" || v.kind === "number") && !this.isTainted(e);
    const seen = this.returnValues.get(def.startIndex);
    const same = seen === undefined || (seen !== null && constant && seen.kind === v!.kind && seen.text === v!.text);
    this.returnValues.set(def.startIndex, same && constant ? v! : null);
  }
  /**
   * Session 31: a function's own local names (assigned in its body, not declared global or nonlocal) are unbound
   * when it starts: what a name of the same spelling held in the code walked before (another function, the
   * caller) is not theirs. They start with no data and no constant, and get back their outer state after the body.
   */
  private enterScope(def: Node): void {
    const bound = this.localsByDef.get(def.startIndex);
    if (!bound) return;
    const declared = this.declaredByDef.get(def.startIndex);
    const params = positionalParameters(def);
    const names = [...bound].filter((name) => !params.includes(name) && !declared?.has(name));
    if (names.length === 0) return;
    const saved = names.map((name) => ({
      name,
      tainted: this.tainted.has(name),
      value: this.consts.get(name),
      at: this.constAt.get(name),
      safe: this.safeNames.has(name),
      type: this.varTypes.get(name),
    }));
    for (const name of names) {
      this.tainted.delete(name);
      this.consts.delete(name);
      this.constAt.delete(name);
      this.safeNames.delete(name);
      this.varTypes.delete(name);
    }
    this.scopes.push({ end: def.endIndex, saved });
  }

  /** Gives the names of every function whose body ends before `at` their outer state back (innermost first). */
  private leaveScopes(at: number): void {
    while (this.scopes.length > 0 && this.scopes[this.scopes.length - 1]!.end <= at) {
      for (const s of this.scopes.pop()!.saved) {
        restoreMember(this.tainted, s.name, s.tainted);
        restoreEntry(this.consts, s.name, s.value);
        restoreEntry(this.constAt, s.name, s.at);
        restoreMember(this.safeNames, s.name, s.safe);
        restoreEntry(this.varTypes, s.name, s.type);
      }
    }
  }
  /**
   * Session 31: a name the innermost function around `n` binds (an assignment, augmented assignment, loop target or
   * `with … as` name: Python's locals of that body) or declares `global`/`nonlocal` (then not its own). Noted in
   * the first pass over the nodes, for enterScope.
   */
  private noteLocal(def: Node, n: Node): void {
    const t = n.type;
    if (t === "global_statement" || t === "nonlocal_statement") {
      const declared = this.declaredByDef.get(def.startIndex) ?? new Set<string>();
      this.declaredByDef.set(def.startIndex, declared);
      for (const id of n.namedChildren) if (id?.type === "identifier") declared.add(id.text);
      return;
    }
    const target =
      t === "assignment" || t === "augmented_assignment" || t === "for_statement"
        ? n.childForFieldName("left")
        : t === "with_item"
          ? n.childForFieldName("value")?.childForFieldName("alias")
          : undefined;
    if (!target) return;
    const bound = this.localsByDef.get(def.startIndex) ?? new Set<string>();
    this.localsByDef.set(def.startIndex, bound);
    if (target.type === "identifier") bound.add(target.text);
    else if (/^(?:pattern_list|tuple_pattern|list_pattern|tuple|list)$/.test(target.type)) for (const id of target.namedChildren) if (id?.type === "identifier") bound.add(id.text);
  }
  private readonly localsByDef = new Map<number, Set<string>>();
  private readonly declaredByDef = new Map<number, Set<string>>();

  /** The function definitions around the walk's position, innermost last (session 31). */
  private readonly openDefs: Node[] = [];
  private readonly scopes: Array<{
    end: number;
    saved: Array<{ name: string; tainted: boolean; value: Value | undefined; at: Node | undefined; safe: boolean; type: string | undefined }>;
  }> = [];

  /**
   * Text the function writes out itself, whatever it is handed: a literal, a local name holding a constant
   * assigned in the function above (branch joins and dead branches applied), the side of a conditional expression
   * a constant condition picks, `+` of those, a call of a function known to give back one constant. Not a
   * parameter, nor a value built from a checked one (`return h + " -c 5"` after a format check: a safe word, but
   * the caller's).
   */
  private ownConstant(e: Node | null | undefined, def: Node, depth = 0): boolean {
    if (!e || depth > 8) return false;
    switch (e.type) {
      case "string":
      case "concatenated_string":
        return isStringLiteral(e);
      case "integer":
      case "float":
        return true;
      case "parenthesized_expression":
        return this.ownConstant(e.namedChildren[0], def, depth + 1);
      case "conditional_expression": {
        const [a, cond, b] = e.namedChildren;
        const t = this.constTruth(cond ?? null);
        return t !== undefined && this.ownConstant(t ? a : b, def, depth + 1);
      }
      case "binary_operator":
        return this.ownConstant(e.childForFieldName("left"), def, depth + 1) && this.ownConstant(e.childForFieldName("right"), def, depth + 1);
      case "identifier": {
        if (positionalParameters(def).includes(e.text) || this.tainted.has(e.text)) return false;
        const v = this.consts.get(e.text);
        const at = this.constAt.get(e.text);
        return !!v && (v.kind === "string" || v.kind === "number") && !!at && at.startIndex > def.startIndex && at.endIndex <= def.endIndex;
      }
      case "call":
        return this.constantCallValue(e) !== undefined;
      default:
        return false;
    }
  }

  /**
   * The constant a call to a function of this file gives back: known from the previous pass, or from this one when
   * the function's body lies above the call (the walk has seen all its returns).
   */
  private constantCallValue(call: Node): Value | undefined {
    if (this.functions.size === 0) return undefined;
    const memo = this.constantCalls.get(call.id);
    if (memo !== undefined) return memo ?? undefined;
    const def = this.callee(call.childForFieldName("function"))?.def;
    let out: Value | undefined;
    if (def) {
      out = this.knownReturns.get(def.startIndex);
      if (!out && def.endIndex <= call.startIndex) {
        const v = this.returnValues.get(def.startIndex);
        out = v && this.plainReturns(def) ? v : undefined;
      }
    }
    // Stable once asked: the previous pass's record, or every return of a body above the call already walked.
    if (out || !def || def.endIndex <= call.startIndex) this.constantCalls.set(call.id, out ?? null);
    return out;
  }
  private readonly constantCalls = new Map<number, Value | null>();
  /**
   * Functions of this file (by start) handed untrusted input by a call above their body in this pass: if one gives
   * back a constant, only another pass tells that call.
   */
  readonly forwardCalls = new Set<number>();

  /**
   * Session 31: a loop body that never runs — `while False:` (any condition the constant evaluator decides false)
   * or `for x in []:` over an empty literal (`[]`, `()`, `{}`, `""`) — is dead code, as an `if` branch a constant
   * condition rules out is. The loop's `else:` runs.
   */
  private deadLoop(n: Node): void {
    const body = n.childForFieldName("body");
    if (!body) return;
    let never = false;
    if (n.type === "while_statement") never = this.constTruth(n.childForFieldName("condition")) === false;
    else {
      const over = n.childForFieldName("right");
      const empty = (x: Node | null | undefined) => !!x && /^(?:list|tuple|dictionary|set)$/.test(x.type) && x.namedChildren.every((c) => !c || c.type === "comment");
      never = empty(over) || (!!over && isStringLiteral(over) && this.value(over).kind === "string" && this.value(over).text === "");
    }
    if (never) this.dead.push([body.startIndex, body.endIndex]);
  }

  /**
   * Session 31: the statements after a `return`, `raise`, `break` or `continue` in the same block never run. Noted
   * for every block before the walk (children only: no parent lookups), in source order.
   */
  private noteDeadTail(block: Node): void {
    const statements = block.namedChildren;
    const at = statements.findIndex((c) => !!c && TERMINAL_STATEMENTS.has(c.type));
    const next = at >= 0 ? statements.slice(at + 1).find((c) => c && c.type !== "comment") : undefined;
    if (next) this.deadTails.push([next.startIndex, block.endIndex]);
  }
  /** Ranges that follow a terminal statement in their block, by start (blocks are listed in source order). */
  private readonly deadTails: Array<[number, number]> = [];
  private deadTailAt = 0;
  private deadTailEnd = -1;

  /** Whether the walk's position lies in a dead tail: the ranges started so far, and the furthest end among them. */
  private inDeadTail(at: number): boolean {
    while (this.deadTailAt < this.deadTails.length && this.deadTails[this.deadTailAt]![0] <= at)
      this.deadTailEnd = Math.max(this.deadTailEnd, this.deadTails[this.deadTailAt++]![1]);
    return at < this.deadTailEnd;
  }

  /** Function start → the one constant its returns gave so far in this pass (null: something else). */
  private readonly returnValues = new Map<number, Value | null>();

  /**
   * The functions of this file whose every return statement the walk reached (dead branches are not walked) gave the
   * same constant in this pass, and that are no generators: a call to one of them has that constant as its result,
   * whatever it is handed.
   */
  constantReturns(): Map<number, Value> {
    const out = new Map<number, Value>();
    for (const [start, v] of this.returnValues) {
      const def = v ? this.functionAt(start) : undefined;
      if (def && this.plainReturns(def)) out.set(start, v!);
    }
    return out;
  }

  /** The function definition of this file that starts at `start`. */
  private functionAt(start: number): Node | undefined {
    for (const def of this.functions.values()) if (def?.startIndex === start) return def;
    for (const c of this.classDefs.values()) for (const m of c ? this.methodsOf(c).values() : []) if (m?.startIndex === start) return m;
    return undefined;
  }

  /** A function with neither a return nor a yield of its own (its result is None). */
  private noReturns(def: Node): boolean {
    return def.descendantsOfType(["return_statement", "yield"]).every((r) => !r || enclosingFunction(r)?.startIndex !== def.startIndex);
  }

  /** The constant every return of the function gives back (`return "echo hello"`, `return 8080`), if there is one. */
  private constantResult(def: Node): ExternalSummary["returns"] {
    // what the walk saw at the function's returns (session 31: names are the function's own while it runs)
    const seen = this.returnValues.get(def.startIndex);
    if (seen && (seen.kind === "string" || seen.kind === "number")) return { kind: seen.kind, text: seen.text };
    let out: ExternalSummary["returns"];
    for (const r of def.descendantsOfType("return_statement")) {
      if (!r || enclosingFunction(r)?.startIndex !== def.startIndex) continue;
      const v = this.value(r.namedChildren[0]);
      if ((v.kind !== "string" && v.kind !== "number") || (out && (out.kind !== v.kind || out.text !== v.text))) return undefined;
      out = { kind: v.kind, text: v.text };
    }
    return out;
  }

  /** A call to a local function that gives back one of its parameters (`def clean(x): return x.strip()`) with untrusted input there. */
  private returnsTaintedArgument(n: Node): boolean {
    const local = this.localFunction(n.childForFieldName("function"));
    if (!local) return false;
    const returned = this.returnedParameters(local);
    if (returned.size === 0) return false;
    const args = (n.childForFieldName("arguments")?.namedChildren ?? []).filter((a) => a && a.type !== "comment" && a.type !== "keyword_argument");
    for (const k of returned) if (args[k] && (this.isTainted(args[k]) || this.readsRequestField(local, k, args[k]))) return true;
    return false;
  }

  /**
   * Session 29: the web framework's request object handed to a helper that gives back one of its fields (`page =
   * get_page(request)` with `def get_page(req): return req.args.get("page")`): the field is request input, as
   * `request.args` is where it is read directly. Only the request object of a framework the file imports, and only
   * fields that carry input (REQUEST_SOURCE's); `req.method` or `req.path` given back is not input of this kind.
   */
  private readsRequestField(local: { def: Node; params: string[] }, k: number, arg: Node): boolean {
    if (arg.type !== "identifier" || arg.text !== "request" || !/^(?:flask|quart|bottle|sanic|werkzeug)\b/.test(this.qualify(arg))) return false;
    const param = local.params[k];
    if (!param || param === "request") return false; // a parameter named request is read by REQUEST_SOURCE already
    const field = new RegExp(`(?<![\\w.])${param}\\.(?:args|form|values|json|data|cookies|headers|files|get_json|get_data|query_string)\\b`);
    return local.def.descendantsOfType("return_statement").some((r) => !!r && field.test(r.text));
  }

  /** Indices of the parameters a local function's returns give back unsanitised (computed once per function and arity). */
  private returnedParameters(local: { def: Node; params: string[] }): Set<number> {
    const key = `${local.def.startIndex}:${local.params.length}`; // called as self.f(x) the receiver is not a position
    let returned = this.returnedParams.get(key);
    if (!returned) {
      returned = new Set<number>();
      this.returnedParams.set(key, returned); // recursion guard
      for (const r of local.def.descendantsOfType("return_statement")) {
        const e = r?.namedChildren[0];
        if (!e || this.safeScalar(e)) continue;
        // Session 16: through the function's own assignments too (`cmd = "echo " + arg; return cmd`), but not through
        // a container built of the parameter (`query = text, (user, pw)`: the values ride beside the text, not in it).
        for (const k of this.parametersReaching(local.def, local.params, e, true)) returned.add(k);
      }
    }
    return returned;
  }

  /** A constant: literals, and tuples/lists/dicts/sets of constants. */
  private literal(n: Node | null | undefined, depth = 0): boolean {
    if (!n || depth > 8) return false;
    switch (n.type) {
      case "tuple":
      case "list":
      case "set":
      case "dictionary":
      case "pair":
      case "parenthesized_expression":
        return n.namedChildren.every((c) => !c || c.type === "comment" || this.literal(c, depth + 1));
      case "identifier":
        if (this.constantContainer(n)) return true;
        break;
    }
    const k = this.value(n).kind;
    return k === "string" || k === "number" || k === "true" || k === "false" || k === "none";
  }

  /**
   * A value that cannot carry shell or SQL syntax: a constant, a number, `int(x)`/`len(x)`/`float(x)`,
   * `str()` of those, or a shell-quoted word (`shlex.quote(x)`).
   */
  private safeScalar(n: Node | null | undefined, depth = 0): boolean {
    if (!n || depth > 6) return false;
    if (n.type === "parenthesized_expression") return this.safeScalar(n.namedChildren[0], depth + 1);
    if (n.type === "identifier" && (this.safeNames.has(n.text) || (this.validated.size > 0 && this.isValidated(n.text, n)))) return true;
    if (this.literal(n)) return true;
    if (n.type === "binary_operator" && n.childForFieldName("operator")?.text === "*") {
      // "?" * n, ["%s"] * len(ids): repeated placeholders
      const repeated = (x: Node | null) => !!x && /^(?:string|concatenated_string|list|tuple)$/.test(x.type) && this.literal(x);
      return repeated(n.childForFieldName("left")) || repeated(n.childForFieldName("right"));
    }
    if ((n.type === "generator_expression" || n.type === "list_comprehension") && this.literal(n.childForFieldName("body"))) return true; // ("%s" for _ in ids)
    if (n.type !== "call") return false;
    const fnNode = n.childForFieldName("function");
    const fn = this.qualify(fnNode);
    const args = (n.childForFieldName("arguments")?.namedChildren ?? []).filter((a) => a && a.type !== "comment");
    if (SAFE_SCALAR_CALLS.has(fn)) return true;
    const last = fn.split(".").pop() ?? "";
    if (SQL_QUOTERS.test(last) || last === "getquoted") return true; // the driver's own quoting of an identifier or literal
    if (last === "escape" && /(?:MySQLConverter|mysql|pymysql|MySQLdb|conn|connection|converter)/i.test(fn)) return true; // MySQL drivers' escape()
    // ", ".join(["%s"] * len(ids)): placeholders joined
    if (last === "join" && fnNode?.type === "attribute" && this.value(fnNode.childForFieldName("object")).kind === "string") {
      const argsNode = n.childForFieldName("arguments");
      if (argsNode?.type === "generator_expression") return this.safeScalar(argsNode, depth + 1); // ",".join("?" for _ in ids)
      if (args.length === 1 && this.safeScalar(args[0], depth + 1)) return true;
    }
    return fn === "str" && args.length === 1 && this.safeScalar(args[0], depth + 1);
  }

  /** The right side of `%`: one safe value or a tuple of them. */
  private safeOperands(n: Node | null | undefined): boolean {
    if (!n) return false;
    if (n.type === "tuple" || n.type === "parenthesized_expression") return n.namedChildren.every((c) => !c || c.type === "comment" || this.safeScalar(c));
    return this.safeScalar(n);
  }

  /** Python truthiness of an argument when it is evident from the source; undefined when not. */
  private truthy(n: Node | null | undefined): boolean | undefined {
    if (!n) return undefined;
    if (n.type === "lambda" || n.type === "generator_expression") return true; // objects, always truthy
    if (n.type === "list" || n.type === "tuple" || n.type === "dictionary" || n.type === "set") {
      const items = n.namedChildren.filter((c) => c && c.type !== "comment");
      if (items.some((c) => c!.type !== "dictionary_splat" && c!.type !== "list_splat")) return true;
      // Only splats: `{**{}}` is empty, `{**d}` is as truthy as d.
      const parts = items.map((c) => this.truthy(c!.namedChildren[0]));
      return parts.some((t) => t === true) ? true : parts.every((t) => t === false) ? false : undefined;
    }
    const v = this.value(n);
    switch (v.kind) {
      case "true":
        return true;
      case "false":
      case "none":
        return false;
      case "number":
        return !/^0*(?:\.0*)?$|^0[xob]0+$/i.test(v.text ?? "");
      case "string":
        return (v.text ?? "") !== "";
      case "built-string":
        return true;
      default:
        return undefined;
    }
  }

  // ---- statements -----------------------------------------------------------------------------

  private assignment(n: Node): void {
    const left = n.childForFieldName("left");
    let right = n.childForFieldName("right");
    // `password = safe = "s3cr3t"`: every target of a chained assignment gets the innermost value.
    for (let i = 0; right?.type === "assignment" && i < 16; i++) right = right.childForFieldName("right");
    if (!left || !right) return;
    if ((left.type === "identifier" || left.type === "attribute") && right.type === "call") this.trackContext(left.text, right);
    if (left.type === "attribute" && left.childForFieldName("attribute")?.text === "auto_run") {
      const d = agentAttribute(left.childForFieldName("object")?.text ?? "", "auto_run", this.truthy(right));
      if (d) this.hit("agentCodeExecution", n, d.what, left.text, d.severity);
    }
    if ((left.type === "pattern_list" || left.type === "tuple_pattern") && (right.type === "expression_list" || right.type === "tuple")) {
      // `user, password = "admin", "s3cret"`: each target gets its own value.
      const targets = left.namedChildren.filter((c) => c && c.type !== "comment");
      const values = right.namedChildren.filter((c) => c && c.type !== "comment");
      if (targets.length !== values.length) return;
      targets.forEach((t, i) => {
        const r = values[i]!;
        if (t?.type !== "identifier") return;
        const v = this.value(r);
        this.consts.set(t.text, v);
        if (v.kind === "string" && isStringLiteral(r) && this.credential(t.text, v.text ?? "", r)) this.credentialNames.add(t.text);
      });
      return;
    }
    if ((left.type === "pattern_list" || left.type === "tuple_pattern") && this.isTainted(right)) {
      // `data, _sep, _rest = text.partition("\\0")`: each part of untrusted text is untrusted (session 22).
      for (const t of left.namedChildren) if (t?.type === "identifier") this.tainted.add(t.text);
    }
    if ((left.type === "pattern_list" || left.type === "tuple_pattern") && this.fromDatabase(right))
      for (const t of left.namedChildren) if (t?.type === "identifier") this.stored.add(t.text);
    if (left.type === "identifier") {
      const name = left.text;
      const rt = right.type;
      this.constAt.set(name, n);
      if (
        (rt === "tuple" || rt === "list" || rt === "set") &&
        right.namedChildren.every((c) => !c || c.type === "comment" || isStringLiteral(c) || c.type === "integer" || c.type === "float")
      )
        this.constContainers.set(name, right);
      else if (this.constContainers.size > 0) this.constContainers.delete(name);
      if (rt === "subscript" && this.constContainers.size > 0 && this.containerElement(right)?.kind === "string") this.picked.add(name);
      else if (this.picked.size > 0) this.picked.delete(name);
      if (this.validated.size > 0) this.endValidation(name, n);
      if (
        rt === "dictionary" ||
        (rt === "call" && /^(?:dict|configparser\.(?:Raw|Safe)?ConfigParser|collections\.OrderedDict)$/.test(this.qualify(right.childForFieldName("function"))))
      )
        this.dictEntries.set(name, this.dictLiteral(right));
      else if (this.dictEntries.size > 0) this.dictEntries.delete(name);
      const before = this.consts.get(name);
      const wasTainted = this.tainted.has(name);
      const wasSafe = this.safeNames.has(name);
      // Walking up the tree is only needed when a join could change something (computed once, on demand).
      const held = before !== undefined || wasTainted || this.varTypes.has(name); // the name holds something already
      let branchMemo: boolean | undefined;
      const branch = () => (branchMemo ??= this.branchAssignment(n, name, held));
      if (this.isTainted(right)) this.tainted.add(name);
      else this.tainted.delete(name);
      if (this.fromDatabase(right)) this.stored.add(name);
      // `else: data = ''` after `if row: data = row`: a branch's constant does not clean the other path's row
      else if (this.stored.has(name) && !branch()) this.stored.delete(name);
      // `cmd = "getent passwd {}".format(user)` with `user` checked above: the text holds only checked values and
      // constants, so the name counts as checked too (until it is assigned again), as the text would at the sink.
      if (this.validated.size > 0 && rt !== "identifier" && this.checkedTemplate(right)) this.addValidation(name, n.endIndex, n.parent?.parent?.endIndex ?? n.endIndex);
      // `processed = data` below `if data not in ALLOWED: return`: the copy holds the checked value (session 22).
      // `name = clean(x)`: a helper of the file that returns x only once it has passed a check (session 26).
      if (rt === "call" && this.functions.size > 0 && this.cleanerCall(right)) this.addValidation(name, n.endIndex, n.parent?.parent?.endIndex ?? n.endIndex);
      const copied = this.validated.size > 0 ? checkedName(right) : undefined;
      if (copied && this.isValidated(copied, right, true)) this.addValidation(name, n.endIndex, n.parent?.parent?.endIndex ?? n.endIndex, !this.isValidated(copied, right));
      // `decoded = unquote(unquote(raw))` with raw full-matched to a class without `%` and `+`: decoding changes nothing (session 30).
      const decodedFrom = rt === "call" && this.validated.size > 0 ? this.percentDecoded(right) : undefined;
      if (decodedFrom && this.isPercentFree(decodedFrom, right)) this.addValidation(name, n.endIndex, n.parent?.parent?.endIndex ?? n.endIndex, false, true);
      if (rt === "list")
        this.listElems.set(
          name,
          right.namedChildren.filter((c): c is Node => !!c && c.type !== "comment"),
        );
      // `[f(x) for x in items]` without a filter: element k is items[k] passed through the body (session 27)
      else if (rt === "list_comprehension" && this.mappedElements(right)) this.listElems.set(name, this.mappedElements(right)!);
      // `other = items`: the same list under a second name (one array, so a pop through either shows in both)
      else if (rt === "identifier" && this.listElems.has(right.text) && !this.indexWritten.has(right.text)) this.listElems.set(name, this.listElems.get(right.text)!);
      else this.listElems.delete(name);
      if (rt === "call" && this.safeScalar(right) && (wasSafe || !branch())) this.safeNames.add(name);
      else this.safeNames.delete(name);
      this.hostLiteral(name, right, left);
      if (rt === "call") {
        const type = this.qualify(right);
        // `yaml = YAML(typ="rt")` rebinds an imported name: later uses are the new object (document order).
        if (this.aliases.has(name) && !type.startsWith("?") && type !== `${this.aliases.get(name)}()`) this.aliases.delete(name);
        this.varTypes.set(name, boundedType(type));
        const v = this.value(right);
        // A constant from a ConfigParser filled with constants, or from a function (another file's, or this file's:
        // session 31) that returns one.
        const constantCall =
          v.kind === "string" &&
          ((this.dictEntries.size > 0 && this.element(right)) ||
            (this.external.size > 0 && this.externalSummary(right.childForFieldName("function"))?.returns !== undefined) ||
            this.constantCallValue(right) !== undefined);
        if (v.kind === "built-string" || constantCall) this.consts.set(name, v);
        else this.consts.delete(name);
      } else if (rt === "attribute" || rt === "identifier") {
        const q = this.qualify(right);
        if (q.includes(".") && !q.startsWith("?")) this.aliases.set(name, q);
        this.consts.set(name, this.value(right));
      } else {
        this.varTypes.delete(name);
        const v = this.value(right);
        this.consts.set(name, v);
        if (v.kind === "string" && isStringLiteral(right) && this.credential(name, v.text ?? "", right)) this.credentialNames.add(name);
        else if (v.kind === "string" && isStringLiteral(right)) this.embeddedPassword(v.text ?? "", right);
      }
      // An assignment in a branch (`if not param: param = ""`) may not run: a constant there does not make
      // a name that held data constant, nor does it clean a tainted name (the join of both paths).
      let restored = false;
      if ((wasTainted && !this.tainted.has(name)) || (!isConstant(before) && isConstant(this.consts.get(name)))) {
        if (wasTainted && branch() && !this.overwrittenEachPass(n, name)) this.tainted.add(name);
        if (!isConstant(before) && isConstant(this.consts.get(name)) && branch() && !this.overwrittenEachPass(n, name)) {
          if (before) this.consts.set(name, before);
          else this.consts.delete(name);
          restored = true;
        }
      }
      if (this.consts.get(name)?.kind === "string" && isStringLiteral(right)) this.literalNames.add(name);
      else this.literalNames.delete(name);
      if (restored) {
        // keep what the name held before, and where its text was built
      } else if (this.consts.get(name)?.kind === "built-string")
        this.sqlFrom.set(name, this.sqlOrigins(right)); // before sqlFrom of name changes: `q = q + x` keeps q's origins
      else this.sqlFrom.delete(name);
      if (this.dictSetsVerifyOff(right)) this.verifyOff.add(name);
      else this.verifyOff.delete(name);
      if ((name === "DEBUG" || name === "DEBUG_PROPAGATE_EXCEPTIONS") && this.truthy(right) === true && n.parent?.parent?.type === "module" && this.djangoSettings())
        this.hit("debug", n, `Django ${name} = True: error pages show tracebacks, settings and SQL to anyone who triggers an error`, name, "medium");
    } else if (left.type === "attribute") {
      const attr = left.childForFieldName("attribute")?.text ?? "";
      const v = this.value(right);
      if (this.hostLiteral(attr, right, left)) return;
      const ctx = this.contexts.get(left.childForFieldName("object")?.text ?? "");
      if (ctx) this.contextSetting(ctx, attr, right);
      if (this.tlsVersionsNamed && (attr === "minimum_version" || attr === "maximum_version")) this.weakProtocol(right, n);
      if (attr === "check_hostname" && v.kind === "false")
        this.hit("tls", left, "ssl check_hostname disabled: the server's name is not checked against its certificate", "ssl.check_hostname");
      else if ((attr === "verify_mode" || attr === "cert_reqs") && this.qualify(right).endsWith("ssl.CERT_NONE"))
        this.hit("tls", right, `ssl ${attr} set to CERT_NONE: certificates are not verified`, "ssl.CERT_NONE");
      else if (attr === "_create_default_https_context" && this.qualify(right).endsWith("ssl._create_unverified_context"))
        this.hit("tls", right, "ssl's default HTTPS context replaced by the unverified one: no certificate is checked anywhere in the process", "ssl._create_unverified_context");
      else if (attr === "debug" && v.kind === "true" && this.qualify(left.childForFieldName("object")).startsWith("flask.Flask()"))
        this.hit("debug", left, "app.debug = True: a Flask app run this way serves the interactive debugger", "flask.Flask.debug", "medium");
      else if (attr === "verify" && v.kind === "false")
        this.hit("tls", right, "session.verify = False disables certificate verification for every request of the session", "requests.Session.verify");
      else if (v.kind === "string" && isStringLiteral(right)) this.credential(attr, v.text ?? "", right);
      else this.credentialThroughName(attr, right);
      // `self.query = "SELECT …" + x`: attribute targets carry text and taint like names (keyed by their text).
      this.consts.set(left.text, v);
      if (v.kind === "built-string") {
        this.sqlFrom.set(left.text, this.sqlOrigins(right));
        this.sqlAttributes = true;
      } else if (this.sqlAttributes) this.sqlFrom.delete(left.text);
      if (this.isTainted(right)) this.tainted.add(left.text);
      else this.tainted.delete(left.text);
    } else if (left.type === "subscript") {
      // d["password"] = "…"
      const index = left.childForFieldName("subscript");
      const v = this.value(right);
      const holder = left.childForFieldName("value");
      const entries = holder?.type === "identifier" ? this.dictEntries.get(holder.text) : undefined;
      if (entries && holder) {
        const key = this.constKey(index);
        if (key === undefined)
          this.dictEntries.delete(holder.text); // a computed key: any entry may now hold anything
        else entries.set(key, { node: right, tainted: this.isTainted(right), value: v });
      }
      if (index?.type === "string" && /^(?:verify|ssl|verify_ssl)$/.test(stringContent(index)) && holder?.type === "identifier") {
        if (v.kind === "false")
          this.verifyOff.add(holder.text); // kwargs["verify"] = False, splatted into a request below
        else this.verifyOff.delete(holder.text);
      }
      if (index?.type === "string" && v.kind === "string" && isStringLiteral(right)) this.credential(stringContent(index), v.text ?? "", right);
      else if (index?.type === "string" && stringContent(index) === "DEBUG" && v.kind === "true" && /(?:^|\.)config$/.test(left.childForFieldName("value")?.text ?? ""))
        this.hit("debug", left, 'config["DEBUG"] = True: a Flask app run this way serves the interactive debugger', "config.DEBUG", "medium");
      else if (index?.type === "string") this.credentialThroughName(stringContent(index), right);
    }
  }

  /**
   * An assignment that may not run (inside if/else, a loop, try/except or a match case, below the
   * function it is in) to a name that already holds something: a parameter, or a value assigned above.
   */
  private branchAssignment(n: Node, name: string, held: boolean): boolean {
    let conditional = false;
    let p: Node | null = n.parent;
    let from: Node = n;
    for (let depth = 0; p && depth < 40; from = p, p = p.parent, depth++) {
      const t = p.type;
      if (t === "function_definition" || t === "module" || t === "class_definition" || t === "lambda") break;
      // a `finally:` block always runs: its try statement does not make it conditional
      if (t === "try_statement" && from.type === "finally_clause") continue;
      if (/^(?:if_statement|elif_clause|else_clause|for_statement|while_statement|try_statement|except_clause|case_clause|conditional_expression)$/.test(t)) conditional = true;
    }
    if (!conditional) return false;
    if (held) return true;
    if (p?.type !== "function_definition") return false;
    for (const param of p.childForFieldName("parameters")?.namedChildren ?? []) {
      const id = param?.type === "identifier" ? param : (param?.childForFieldName("name") ?? param?.namedChildren.find((c) => c?.type === "identifier"));
      if (id?.text === name) return true;
    }
    return false;
  }

  /** What the names its body's own statements assign held as a loop began (only those: linear in the statements). */
  private noteLoopStart(loop: Node): void {
    let held: Map<string, { tainted: boolean; value: Value | undefined }> | undefined;
    for (const st of loop.childForFieldName("body")?.namedChildren ?? []) {
      const a = st?.type === "expression_statement" ? st.namedChildren[0] : undefined;
      const left = a?.type === "assignment" ? a.childForFieldName("left") : undefined;
      if (left?.type !== "identifier") continue;
      held ??= new Map();
      held.set(left.text, { tainted: this.tainted.has(left.text), value: this.consts.get(left.text) });
    }
    if (held) this.atLoop.set(loop.startIndex, held);
  }

  /**
   * `for …: (… param = name …) param = ""`: a statement of a loop's own body runs on every pass that gets
   * there, so a constant it assigns overwrites what the body put in the name earlier in the pass. It cleans the name unless the
   * name held untrusted or non-constant data before the loop (the loop may not run) or the pass can leave
   * the loop before it (a `break`, `continue` or `raise` of this loop above it).
   */
  private overwrittenEachPass(n: Node, name: string): boolean {
    const body = n.parent?.type === "expression_statement" ? n.parent.parent : undefined;
    const loop = body?.parent;
    if (!body || !loop || (loop.type !== "for_statement" && loop.type !== "while_statement") || loop.childForFieldName("body")?.id !== body.id) return false;
    // only a written-out constant: what an unknown object or call gives back may still carry the pass's data
    if (!isConstant(this.consts.get(name))) return false;
    const before = this.atLoop.get(loop.startIndex)?.get(name);
    if (!before || before.tainted) return false;
    // a name bound before the loop to something not constant keeps it when no pass runs
    if (before.value !== undefined && !isConstant(before.value)) return false;
    for (const exit of body.descendantsOfType(["break_statement", "continue_statement", "raise_statement"])) {
      if (!exit || exit.startIndex >= n.startIndex) continue;
      let owner = exit.parent;
      while (owner && owner.id !== loop.id && !/^(?:for_statement|while_statement|function_definition|lambda|class_definition)$/.test(owner.type)) owner = owner.parent;
      // an inner loop's break or continue stays inside it; a raise may leave this loop from any depth
      if (owner?.id === loop.id || (exit.type === "raise_statement" && !/^(?:function_definition|lambda|class_definition)$/.test(owner?.type ?? ""))) return false;
    }
    return true;
  }

  /** `subprocess.run(["sh", "-c", cmd])`, `os.spawnve(P_WAIT, "/bin/bash", ["-c", cmd], env)`: a shell asked for by name. */
  private shellArgv(n: Node, q: string, parts: Node[]): boolean {
    const elems: Node[] = [];
    for (const p of parts) {
      if (p.type === "list" || p.type === "tuple") elems.push(...p.namedChildren.filter((c): c is Node => !!c && c.type !== "comment"));
      else if (p.type === "identifier" && this.listElems.has(p.text)) elems.push(...this.listElems.get(p.text)!);
      else elems.push(p);
    }
    const text = (e: Node) => {
      const v = this.value(e);
      return v.kind === "string" ? (v.text ?? "") : undefined;
    };
    const shellAt = elems.findIndex((e) => SHELL_PROGRAM.test(text(e) ?? ""));
    if (shellAt < 0) return false;
    const flagAt = elems.findIndex((e, i) => i > shellAt && SHELL_COMMAND_FLAG.test(text(e) ?? ""));
    if (flagAt < 0) return false;
    const rest = elems.slice(flagAt + 1);
    if (rest.length === 0) return false;
    const plain = q.replace(/\(\)/g, "");
    if (rest.every((e) => this.value(e).kind === "string" || this.safeScalar(e)) && rest.some((e) => this.constantThroughNames(e))) return true;
    if (rest.every((e) => this.writtenConstant(e))) return true; // ["sh", "-c", "ls -l"]: written out, nothing to inject
    if (rest.every((e) => this.value(e).kind === "string" || this.safeScalar(e)))
      this.hit("shell", n, `${plain} runs a shell (${text(elems[shellAt]!)} ${text(elems[flagAt]!)}) on a constant command`, q, "low");
    else
      this.hit("shell", n, `${plain} runs a shell (${text(elems[shellAt]!)} ${text(elems[flagAt]!)}) on a command built at runtime: shell injection if any part is untrusted`, q);
    return true;
  }

  /**
   * argv execution (no shell) whose *program* comes from a web request or a model's output: whoever sends
   * it picks what runs (CWE-78). Only in web apps or on model output — a command-line tool that runs the
   * program its own user names (`subprocess.run(sys.argv[1:])`) is the user's choice. Untrusted *arguments*
   * to a fixed program are argument injection, a different weakness, and are not reported here.
   */
  private programFromInput(n: Node, q: string, cmd: Node): void {
    let program: Node | undefined = cmd;
    if (cmd.type === "list" || cmd.type === "tuple") program = cmd.namedChildren.find((c): c is Node => !!c && c.type !== "comment");
    else if (cmd.type === "identifier" && this.listElems.has(cmd.text)) program = this.listElems.get(cmd.text)![0];
    if (!program || program.type === "list_splat" || this.value(program).kind === "string" || this.safeScalar(program)) return;
    // shlex.split("find " + name): the program is the constant text's first word; its arguments are argumentInjection's
    if (program.type === "call" && this.splitOfConstantProgram(program)) return;
    // allowed[key] / valid = allowed[key] with `allowed` a literal mapping: one of the program's own names.
    let holder = program.type === "subscript" ? program.childForFieldName("value")?.text : undefined;
    if (program.type === "identifier") {
      const scope = enclosingScope(n);
      holder = new RegExp(`\\b${program.text}\\s*=\\s*(\\w+)\\s*\\[`).exec(scope?.text ?? "")?.[1];
    }
    const mapping = holder ? this.constAt.get(holder)?.childForFieldName("right") : undefined;
    if (mapping && /^(?:dictionary|list|tuple)$/.test(mapping.type) && this.literal(mapping)) return;
    const fromModel = LLM_OUTPUT.test(this.source);
    if (!(this.webApp || fromModel) || !this.isTainted(program)) return;
    this.hit("shell", n, `${q.replace(/\(\)/g, "")} runs a program whose name comes from untrusted input (request or model output): the sender picks what runs`, q);
  }

  /** What kind of SSL context a call makes, when it starts out unverified; undefined for a verified one. */
  private contextKind(call: Node): TrackedContext["kind"] | undefined {
    const fn = call.childForFieldName("function");
    const last = fn?.type === "attribute" ? fn.childForFieldName("attribute")?.text : fn?.text;
    if (last !== "SSLContext" && last !== "Context" && last !== "_create_unverified_context" && last !== "_create_stdlib_context") return undefined;
    const q = this.qualify(fn);
    if (q === "ssl._create_unverified_context" || q === "ssl._create_stdlib_context") return "unverified";
    if (q === "OpenSSL.SSL.Context") return "pyopenssl"; // pyOpenSSL contexts start at VERIFY_NONE
    if (q !== "ssl.SSLContext") return undefined;
    // Only PROTOCOL_TLS_CLIENT starts verified (CERT_REQUIRED, check_hostname); a server context verifies no one by design.
    const first = (call.childForFieldName("arguments")?.namedChildren ?? []).find((a) => a && a.type !== "comment");
    const protocol = first ? this.qualify(first.type === "keyword_argument" ? first.childForFieldName("value") : first) : "";
    return /PROTOCOL_TLS_(?:CLIENT|SERVER)$/.test(protocol) ? undefined : "default";
  }

  /** `ctx = ssl.SSLContext(...)`: followed until the end of the file (a new context under the same name reports the old one). */
  private trackContext(name: string, call: Node): void {
    const kind = this.contextKind(call);
    const old = this.contexts.get(name);
    if (old) this.reportContext(old);
    this.contexts.delete(name);
    if (kind) this.contexts.set(name, { node: call, kind, verified: false, offReported: false, server: false });
  }

  /** `ctx.verify_mode = …` / `ctx.check_hostname = …` on a tracked context. */
  private contextSetting(ctx: TrackedContext, attr: string, right: Node): void {
    if (attr === "verify_mode" || attr === "cert_reqs") {
      const q = this.qualify(right);
      if (q.endsWith("CERT_NONE"))
        ctx.offReported = true; // reported on that line
      else if (/CERT_(?:REQUIRED|OPTIONAL)$/.test(q)) ctx.verified = true; // a client treats OPTIONAL as REQUIRED
    } else if (attr === "check_hostname") {
      const t = this.truthy(right);
      // Since Python 3.7 check_hostname = True also raises verify_mode to CERT_REQUIRED.
      if (t === true) ctx.verified = true;
      else if (t === false) ctx.offReported = true;
    }
  }

  /**
   * `def run(server_class=HTTPServer): httpd = server_class(("", 8000), H)` (the pattern of Python's own
   * http.server documentation), also with the class as the parameter's annotation: the parameter stands for
   * that standard-library server, and its address is judged as if the class were called by name.
   */
  private serverParameter(call: Node, fn: Node): void {
    let def: Node | null = call.parent;
    while (def && def.type !== "function_definition") def = def.parent;
    const params = def?.childForFieldName("parameters")?.namedChildren ?? [];
    const p = params.find((x) => x && (x.type === "identifier" ? x.text : (x.childForFieldName("name")?.text ?? x.namedChildren[0]?.text)) === fn.text);
    if (!p || p.type === "identifier") return;
    const cls = [p.childForFieldName("type")?.namedChildren[0] ?? p.childForFieldName("type"), p.childForFieldName("value")]
      .map((x) => (x ? this.qualify(x) : ""))
      .find((q) => STDLIB_SERVER.test(q));
    if (!cls) return;
    const args = (call.childForFieldName("arguments")?.namedChildren ?? []).filter((a) => a && a.type !== "comment");
    const addr =
      args.find((a) => a?.type === "keyword_argument" && a.childForFieldName("name")?.text === "server_address")?.childForFieldName("value") ??
      args.find((a) => a?.type !== "keyword_argument");
    const host = this.everyInterface(addr, true);
    if (host !== undefined)
      this.hit("debug", call, `${fn.text} (a ${cls}) listens on ${host === "" ? "all interfaces ('')" : host}: reachable from every network interface`, cls, "medium");
  }

  /** `ssl.PROTOCOL_TLSv1`, `ssl.TLSVersion.TLSv1_1`, pyOpenSSL `SSLv3_METHOD` given to a call or set as a context's version bound. */
  private weakProtocol(v: Node | null | undefined, at: Node): void {
    if (!v || (v.type !== "attribute" && v.type !== "identifier")) return;
    const q = this.qualify(v);
    if (!WEAK_TLS.test(q)) return;
    const name = q.split(".").pop() ?? q;
    this.hit(
      "tlsWeakProtocol",
      at,
      `${name} allows a deprecated SSL/TLS version (SSL 2/3, TLS 1.0/1.1): use PROTOCOL_TLS_CLIENT/SERVER and minimum_version = TLSVersion.TLSv1_2`,
      q,
    );
  }

  /** A tracked context that was never switched to verifying: reported where it was made. */
  private reportContext(c: TrackedContext, inline = false): void {
    if (c.verified || c.offReported || c.server) return;
    const q = this.qualify(c.node.childForFieldName("function"));
    if (inline) {
      const what =
        c.kind === "unverified"
          ? `${q}() makes a context that skips certificate verification`
          : c.kind === "default"
            ? "ssl.SSLContext() without PROTOCOL_TLS_CLIENT verifies no certificate and no host name"
            : "pyOpenSSL SSL.Context() verifies no certificate until set_verify(VERIFY_PEER, …)";
      this.hit("tls", c.node, `${what}; made inline, it is used unverified`, q, c.kind === "unverified" ? undefined : "medium");
      return;
    }
    if (c.kind === "unverified") this.hit("tls", c.node, `${q}() makes a context that skips certificate verification, and nothing below switches it on`, q);
    else if (c.kind === "default")
      this.hit(
        "tls",
        c.node,
        "ssl.SSLContext() without PROTOCOL_TLS_CLIENT starts with verify_mode=CERT_NONE and no host name check, and nothing below sets verify_mode: use ssl.create_default_context()",
        q,
        "medium",
      );
    else this.hit("tls", c.node, "pyOpenSSL SSL.Context() verifies no certificate until set_verify(VERIFY_PEER, …) is called, and it is not called below", q, "medium");
  }

  /** A context made inline (`HTTPSConnection(h, context=ssl.SSLContext())`): nothing can switch it on later. */
  private inlineContext(n: Node): boolean {
    const parent = n.parent;
    if (parent?.type === "assignment" && parent.childForFieldName("right")?.startIndex === n.startIndex) {
      const target = parent.childForFieldName("left");
      if (target?.type === "identifier" || target?.type === "attribute") return false; // tracked by name
    }
    const kind = this.contextKind(n);
    if (!kind) return false;
    this.reportContext({ node: n, kind, verified: false, offReported: false, server: false }, true);
    return true;
  }

  /** Methods called on a tracked context: set_verify and server-side certificate loading. */
  private contextCall(ctx: TrackedContext, method: string, first: Node | undefined): void {
    if (method === "set_verify") {
      if (first && !/VERIFY_PEER/.test(first.text))
        ctx.offReported = true; // reported at the call
      else if (first) ctx.verified = true;
    } else if (/^(?:load_cert_chain|use_certificate|use_certificate_file|use_certificate_chain_file|use_privatekey|use_privatekey_file)$/.test(method)) ctx.server = true;
  }

  /** `ssl.CERT_NONE` / pyOpenSSL `VERIFY_NONE` handed to anything: verification switched off there. */
  private certNone(n: Node | null | undefined, at: Node): boolean {
    if (!n || (n.type !== "attribute" && n.type !== "identifier") || !/(?:CERT|VERIFY)_NONE$/.test(n.text)) return false;
    const q = this.qualify(n);
    if (q === "ssl.CERT_NONE") this.hit("tls", at, "ssl.CERT_NONE passed on: certificates are not verified", q);
    else if (/^OpenSSL\.SSL\.VERIFY_NONE$/.test(q)) this.hit("tls", at, "pyOpenSSL VERIFY_NONE: the peer's certificate is not verified", q);
    else return false;
    return true;
  }

  /** The default of the enclosing function's parameter `n` names, when the function never assigns that parameter. */
  private parameterDefault(n: Node): Node | undefined {
    const def = enclosingFunction(n);
    if (!def) return undefined;
    let defaults = this.defaultsMemo.get(def.startIndex);
    if (!defaults) {
      // Once per function: a call site per parameter must not walk the parameter list again.
      defaults = new Map();
      for (const p of def.childForFieldName("parameters")?.namedChildren ?? []) {
        if (p?.type !== "default_parameter" && p?.type !== "typed_default_parameter") continue;
        const name = p.childForFieldName("name")?.text;
        const value = p.childForFieldName("value");
        if (name && value && isStringLiteral(value)) defaults.set(name, value);
      }
      this.defaultsMemo.set(def.startIndex, defaults);
    }
    const value = defaults.get(n.text);
    return value && !this.assignedIn(def).has(n.text) ? value : undefined;
  }
  private readonly defaultsMemo = new Map<number, Map<string, Node>>();

  /** Names a function assigns anywhere in its body (computed once per function). */
  private assignedIn(def: Node): Set<string> {
    let names = this.assignedMemo.get(def.startIndex);
    if (!names) {
      names = new Set();
      for (const a of def.descendantsOfType(["assignment", "augmented_assignment", "for_statement", "with_item", "named_expression"])) {
        const left = a?.type === "with_item" ? a.childForFieldName("value")?.childForFieldName("alias") : (a?.childForFieldName("left") ?? a?.childForFieldName("name"));
        for (const t of left?.type === "identifier" ? [left] : (left?.descendantsOfType("identifier") ?? [])) if (t) names.add(t.text);
      }
      this.assignedMemo.set(def.startIndex, names);
    }
    return names;
  }
  private readonly assignedMemo = new Map<number, Set<string>>();

  /** `HOST = "0.0.0.0"`, `settings.host = "::"`: a server address for every interface, reported where written. */
  private hostLiteral(name: string, right: Node, at: Node): boolean {
    if (!HOST_NAME.test(name) || !isStringLiteral(right)) return false;
    const v = this.value(right);
    if (v.kind !== "string" || (v.text !== "0.0.0.0" && v.text !== "::")) return false;
    if (at.type === "identifier") {
      const old = this.pendingHosts.get(name);
      if (old && !old.used) this.hit("debug", old.node, `${name} = "${old.text}": a server bound to this address is reachable from every network interface`, name, "medium");
      this.pendingHosts.set(name, { node: at, text: v.text, used: false });
    } else this.hit("debug", at, `${name} = "${v.text}": a server bound to this address is reachable from every network interface`, name, "medium");
    return true;
  }

  /**
   * The every-interface host an address stands for: `"0.0.0.0"`, `"::"`, and `""` where the API reads the
   * empty host as every interface (`emptyToo`: sockets and the standard library's servers); an address tuple
   * gives its first item, and a name is followed back to its last assignment in the file (`addr = ("", 80)`,
   * `HOST, PORT = "", 9999`). A pending host-like name used here is reported here, not where it was written.
   */
  private everyInterface(n: Node | null | undefined, emptyToo: boolean, depth = 0): string | undefined {
    if (!n || depth > 3) return undefined;
    if (n.type === "parenthesized_expression") return this.everyInterface(n.namedChildren[0], emptyToo, depth + 1);
    if (n.type === "tuple" || n.type === "list")
      return this.everyInterface(
        n.namedChildren.find((c) => c && c.type !== "comment"),
        emptyToo,
        depth + 1,
      );
    if (n.type === "identifier") {
      // Session 16: `def serve(host="0.0.0.0"): sock.bind((host, port))` binds every interface unless a caller says otherwise.
      const d = this.parameterDefault(n);
      if (d) return this.everyInterface(d, emptyToo, depth + 1);
      const right = this.constAt.get(n.text)?.childForFieldName("right");
      if (right && (right.type === "tuple" || right.type === "list" || right.type === "parenthesized_expression")) return this.everyInterface(right, emptyToo, depth + 1);
    }
    if (n.type !== "identifier" && !isStringLiteral(n) && !(n.type === "attribute" && this.external.size > 0)) return undefined;
    const v = this.value(n);
    if (v.kind !== "string" || !(v.text === "0.0.0.0" || v.text === "::" || (emptyToo && v.text === ""))) return undefined;
    if (n.type === "identifier") {
      const pending = this.pendingHosts.get(n.text);
      if (pending) pending.used = true;
    }
    return v.text;
  }

  /** `q += user` keeps a string constant only while everything added is constant. */
  private augmentedAssignment(n: Node): void {
    const left = n.childForFieldName("left");
    const right = n.childForFieldName("right");
    if (left?.type === "identifier" && right && this.isTainted(right)) this.tainted.add(left.text);
    if (left?.type !== "identifier" || !right) return;
    const before = this.consts.get(left.text);
    if (!before) return;
    const add = this.value(right);
    if (before.kind !== "string" && before.kind !== "built-string") {
      // Session 33: `x = 9; x &= data` no longer holds the number written above (a number stays one only when the
      // value added is one and the result can be worked out).
      const op = n.children.find((c) => c && !c.isNamed && c.text.endsWith("="))?.text.slice(0, -1);
      const result = before.kind === "number" && add.kind === "number" && op ? numberOp(Number(before.text), op, Number(add.text)) : undefined;
      if (result === undefined) this.consts.delete(left.text);
      else this.consts.set(left.text, { kind: "number", text: String(result) });
      return;
    }
    if (before.kind === "string" && add.kind === "string") this.consts.set(left.text, { kind: "string", text: `${before.text}${add.text}` });
    else {
      const text = `${before.text ?? ""} ${right.text}`;
      this.consts.set(left.text, { kind: "built-string", text });
      // `q = "SELECT …"; q += uid`: the first non-constant piece makes this statement where SQL is built.
      if (before.kind === "string" && !this.safeScalar(right) && looksLikeSql(text)) this.sqlBuilt.push(n);
      this.sqlFrom.set(left.text, [...(this.sqlFrom.get(left.text) ?? []), ...this.sqlOrigins(right), [n.startIndex, n.endIndex]]);
    }
  }

  /** `if password == "root":` — the literal is the password (Bandit B105 on comparisons). */
  private comparison(n: Node): void {
    if (!/pass|pwd|secret/i.test(n.text)) return; // only password-like names are checked (COMPARED_WORDS)
    const ops = n.children.filter((c) => c && !c.isNamed).map((c) => c!.text);
    if (ops.length !== 1 || (ops[0] !== "==" && ops[0] !== "!=")) return;
    const [a, b] = n.namedChildren;
    if (!a || !b) return;
    for (const [name, lit] of [
      [a, b],
      [b, a],
    ] as const) {
      const v = this.value(lit);
      if (v.kind !== "string" || !isStringLiteral(lit)) continue;
      const key =
        name.type === "identifier"
          ? name.text
          : name.type === "attribute"
            ? name.childForFieldName("attribute")?.text
            : name.type === "subscript" && name.childForFieldName("subscript")?.type === "string"
              ? stringContent(name.childForFieldName("subscript")!)
              : undefined;
      if (key) this.credential(key, v.text ?? "", lit, true);
      return;
    }
  }

  private withItem(n: Node): void {
    const v = n.childForFieldName("value");
    if (v?.type !== "as_pattern") return;
    const call = v.namedChildren[0];
    const target = v.childForFieldName("alias")?.namedChildren[0];
    if (call?.type === "call" && target?.type === "identifier") this.varTypes.set(target.text, boundedType(this.qualify(call)));
  }

  private keywordArgument(n: Node): void {
    const name = n.childForFieldName("name")?.text;
    if (!name) return;
    const valueNode = n.childForFieldName("value");
    if (name === "trust_remote_code") {
      const v = this.value(valueNode);
      // Remote code at a full commit sha is the documented mitigation: it runs, but only code someone can review.
      const pinned = this.callKeyword(n, "revision", (r) => r.kind === "string" && COMMIT_SHA.test(r.text ?? ""));
      if (v.kind === "true")
        this.hit(
          "trustRemoteCode",
          n,
          pinned
            ? "trust_remote_code=True runs the repository's Python code (pinned to a commit: review that code)"
            : "trust_remote_code=True runs Python code from the model/dataset repository",
          callName(this, n),
          pinned ? "low" : undefined,
        );
      else if (v.kind === "other") this.hit("trustRemoteCode", n, "trust_remote_code is set from a variable: remote code may run", callName(this, n), pinned ? "low" : "medium");
      return;
    }
    if (name === "allow_dangerous_deserialization") {
      // LangChain's opt-in: vector stores (FAISS.load_local …) unpickle their index.
      const t = this.truthy(valueNode);
      if (t === false) return;
      this.hit(
        "deserialization",
        n,
        `${name}=${valueNode?.text} loads pickled data (a tampered index or file runs code) in ${callName(this, n)}`,
        callName(this, n),
        t === true ? undefined : "medium",
      );
      return;
    }
    if (AGENT_KEYWORDS.has(name)) {
      this.agentKeywordArgument(n, name, valueNode);
      return;
    }
    if (name === "use_safetensors") {
      if (this.value(valueNode).kind === "false")
        this.hit("deserialization", n, `use_safetensors=False makes ${callName(this, n)} load pickled PyTorch weights (.bin) instead of safetensors`, callName(this, n), "medium");
      return;
    }
    if (name === "shell") {
      this.otherShell(n);
      return;
    }
    if (name === "graphiql") {
      // GraphQLView(..., graphiql=True) serves the in-browser GraphiQL IDE: a development feature left on.
      const call = n.parent?.parent;
      const fn = call?.type === "call" ? (call.childForFieldName("function")?.text ?? "") : "";
      if (this.truthy(valueNode) === true && /GraphQL|as_view/.test(fn))
        this.hit("debug", n, `graphiql=True in ${fn} serves the GraphiQL development IDE to every client`, fn, "medium");
      return;
    }
    if (name === "auth" && valueNode?.type === "tuple") {
      // requests.get(url, auth=("user", "pw")): the second item is the password.
      const items = valueNode.namedChildren.filter((c) => c && c.type !== "comment");
      const pw = items[1];
      const v = this.value(pw);
      if (items.length === 2 && pw && v.kind === "string" && isStringLiteral(pw)) this.credential("password", v.text ?? "", pw);
      return;
    }
    if (HOST_NAME.test(name) && valueNode && (isStringLiteral(valueNode) || valueNode.type === "identifier")) {
      // FastMCP(host="0.0.0.0"), uvicorn.Config(host=HOST) … (run/launch and the stdlib servers are reported with their call).
      const call = n.parent?.parent;
      const fn = call?.type === "call" ? call.childForFieldName("function") : null;
      const last = fn?.type === "attribute" ? fn.childForFieldName("attribute")?.text : fn?.text;
      if (/^(?:run|run_server|launch|make_server|start_server)$/.test(last ?? "")) return;
      const host = this.everyInterface(valueNode, false);
      if (host !== undefined) this.hit("debug", n, `${name}="${host}" binds ${fn?.text ?? "the server"} to every network interface`, fn?.text, "medium");
      return;
    }
    if (name === "verify" || name === "ssl" || name === "verify_ssl") {
      // The libraries test truthiness: verify=0 and verify='' switch verification off too; None means "the default" (on).
      if (this.truthy(valueNode) !== false || this.value(valueNode).kind === "none") return;
      const call = n.parent?.parent;
      const q = call?.type === "call" ? this.qualify(call.childForFieldName("function")) : "?";
      const method = q.split(".").pop() ?? "";
      if (/^(?:requests|httpx|aiohttp|urllib3|huggingface_hub|openai)\b/.test(q) || HTTP_VERBS.has(method))
        this.hit("tls", n, `${name}=False disables TLS certificate verification in ${q.replace(/\(\)/g, "")}`, q);
      return;
    }
    const certText = this.value(valueNode);
    if (name === "cert_reqs" && valueNode && (this.qualify(valueNode).endsWith("ssl.CERT_NONE") || (certText.kind === "string" && /^(?:CERT_)?NONE$/.test(certText.text ?? "")))) {
      this.hit("tls", n, "cert_reqs=ssl.CERT_NONE disables certificate verification", "ssl.CERT_NONE");
      return;
    }
    if (this.certNone(valueNode, n)) return; // verify_mode=ssl.CERT_NONE, ssl_cert_reqs=ssl.CERT_NONE …
    const v = this.value(valueNode);
    if (v.kind === "string" && valueNode && isStringLiteral(valueNode)) this.credential(name, v.text ?? "", valueNode);
    else this.credentialThroughName(name, valueNode);
  }

  /** A LangChain/AutoGen tool, chain or executor that runs model-written code, or `load_tools([...])` naming one (agent.ts). */
  private agentCall(n: Node, fn: Node, last: string): void {
    const q = this.qualify(fn);
    if (last === "load_tools") {
      if (!/^langchain\w*\./.test(q)) return;
      const first = n.childForFieldName("arguments")?.namedChildren.find((a) => a && a.type !== "comment");
      const list = first?.type === "keyword_argument" ? first.childForFieldName("value") : first;
      const elems = list?.type === "list" || list?.type === "tuple" ? list.namedChildren : list?.type === "identifier" ? (this.listElems.get(list.text) ?? []) : [];
      const d = loadedTools(elems.flatMap((e) => (e && isStringLiteral(e) ? [stringContent(e)] : [])));
      if (d) this.hit("agentCodeExecution", n, `load_tools(["${d.name}", …]) gives the agent ${d.what}`, q, d.severity);
      return;
    }
    if (last === "CodeAgent") {
      const kw = n.childForFieldName("arguments")?.namedChildren.find((a) => a?.type === "keyword_argument" && a.childForFieldName("name")?.text === "executor_type");
      const v = kw ? this.value(kw.childForFieldName("value")) : undefined;
      const d = codeAgent(q, v?.kind === "string" ? v.text : undefined, !kw || v?.kind === "string");
      if (d) this.hit("agentCodeExecution", n, d.what, q, d.severity);
      return;
    }
    const d = agentTool(q);
    if (d) this.hit("agentCodeExecution", n, `${q.replace(/\(\)/g, "")} ${d.what}`, q, d.severity);
  }

  /** An agent's setting given as a keyword (`allow_dangerous_code=True`, `permission_mode="bypassPermissions"` …), see agent.ts. */
  private agentKeywordArgument(n: Node, name: string, valueNode: Node | null): void {
    const v = this.value(valueNode);
    const items =
      valueNode?.type === "list" || valueNode?.type === "tuple" ? valueNode.namedChildren.flatMap((c) => (c && isStringLiteral(c) ? [stringContent(c)] : [])) : undefined;
    const dockerOff =
      valueNode?.type === "dictionary" &&
      valueNode.namedChildren.some(
        (p) => p?.type === "pair" && /^["']use_docker["']$/.test(p.childForFieldName("key")?.text ?? "") && this.truthy(p.childForFieldName("value")) === false,
      );
    const callee = callName(this, n);
    // smolagents: imports matter to the local interpreter; in a remote sandbox they reach only the sandbox.
    if (name === "additional_authorized_imports" && this.callKeyword(n, "executor_type", (e) => e.kind === "string" && remoteExecutor(e.text))) return;
    const d = agentKeyword(name, { truth: this.truthy(valueNode), text: v.kind === "string" ? v.text : undefined, items, dockerOff }, callee);
    if (d) this.hit(d.rule, n, d.what, callee, d.severity);
  }

  /** `requests.get(url, **opts)` where opts is `{"verify": False}` or `dict(verify=False)`, here or assigned above. */
  private splatVerify(n: Node, q: string, args: Node | null): void {
    for (const a of args?.namedChildren ?? []) {
      if (a?.type !== "dictionary_splat") continue;
      const target = a.namedChildren[0];
      const off = target?.type === "identifier" ? this.verifyOff.has(target.text) : this.dictSetsVerifyOff(target ?? null);
      if (off) {
        this.hit("tls", n, `verify=False reaches ${q.replace(/\(\)/g, "")} through **${target?.text}: TLS certificate verification disabled`, q);
        return;
      }
    }
  }

  /** A dict literal or dict(...) call that sets verify (or ssl / verify_ssl) to False. */
  private dictSetsVerifyOff(n: Node | null): boolean {
    if (!n) return false;
    if (n.type === "dictionary")
      return n.namedChildren.some(
        (p) =>
          p?.type === "pair" && /^(?:verify|ssl|verify_ssl)$/.test(stringContent(p.childForFieldName("key") ?? p)) && this.value(p.childForFieldName("value")).kind === "false",
      );
    if (n.type === "call" && n.childForFieldName("function")?.text === "dict")
      return (n.childForFieldName("arguments")?.namedChildren ?? []).some(
        (k) =>
          k?.type === "keyword_argument" &&
          /^(?:verify|ssl|verify_ssl)$/.test(k.childForFieldName("name")?.text ?? "") &&
          this.value(k.childForFieldName("value")).kind === "false",
      );
    return false;
  }

  /** Whether the call around a keyword argument has keyword `key` whose value passes `test`. */
  private callKeyword(kwNode: Node, key: string, test: (v: Value) => boolean): boolean {
    const args = kwNode.parent;
    if (args?.type !== "argument_list") return false;
    for (const a of args.namedChildren) if (a?.type === "keyword_argument" && a.childForFieldName("name")?.text === key) return test(this.value(a.childForFieldName("value")));
    return false;
  }

  /** `shell=True` given to a function other than subprocess's (a wrapper, fabric, pexpect …): it asks for a shell. */
  private otherShell(kwNode: Node): void {
    if (this.truthy(kwNode.childForFieldName("value")) !== true) return;
    const call = kwNode.parent?.parent;
    if (call?.type !== "call") return;
    const q = this.qualify(call.childForFieldName("function"));
    if (SUBPROCESS.has(q) || q.startsWith("asyncio.") || q === "functools.partial") return; // reported with the call itself
    const args = (kwNode.parent?.namedChildren ?? []).filter((a) => a && a.type !== "comment" && a.type !== "keyword_argument");
    let cmd: Node | undefined = args[0] ?? undefined;
    for (const a of kwNode.parent?.namedChildren ?? [])
      if (a?.type === "keyword_argument" && /^(?:cmd|command|args)$/.test(a.childForFieldName("name")?.text ?? "")) cmd = a.childForFieldName("value") ?? cmd;
    const v = this.value(cmd);
    const plain = q.replace(/\(\)/g, "");
    if (this.writtenConstant(cmd)) {
      if (this.constantUses && !this.dataWord(cmd)) this.constantUse("shell", call, `${plain}(shell=True)`, "runs a constant command through the shell");
      return; // a command written out at the call: nothing to inject
    }
    const constant = v.kind === "string" || ((cmd?.type === "list" || cmd?.type === "tuple") && this.literal(cmd));
    this.hit(
      "shell",
      call,
      `${plain}(shell=True) asks for a shell${constant ? " (constant command)" : ": shell injection if the command holds untrusted text"}`,
      q,
      constant ? "low" : "medium",
    );
  }

  private pair(n: Node): void {
    const key = n.childForFieldName("key");
    if (key?.type !== "string") return;
    const k = stringContent(key);
    const valueNode = n.childForFieldName("value");
    const v = this.value(valueNode);
    if (this.certNone(valueNode, n)) return; // {"cert_reqs": ssl.CERT_NONE} (websocket sslopt, option dicts)
    if (k === "trust_remote_code" && v.kind === "true")
      this.hit("trustRemoteCode", n, '"trust_remote_code": True in keyword arguments runs Python code from the model repository', "trust_remote_code");
    else if (v.kind === "string" && valueNode && isStringLiteral(valueNode)) this.credential(k, v.text ?? "", valueNode);
  }

  /** `AESGCM(b"…")`, `Fernet("…")`, `AES.new(b"…", AES.MODE_GCM)`: a key written in the source given to a cipher (CWE-321). */
  private cipherKey(n: Node, fn: Node): void {
    const q = this.qualify(fn);
    if (!CIPHER_KEY_CALL.test(q)) return;
    const args = (n.childForFieldName("arguments")?.namedChildren ?? []).filter((a): a is Node => !!a && a.type !== "comment");
    const named = args.find((a) => a.type === "keyword_argument" && a.childForFieldName("name")?.text === "key");
    const key = named ? named.childForFieldName("value") : args[0]?.type === "keyword_argument" ? undefined : args[0];
    if (!this.literalKey(key)) return;
    this.hit("cryptoKey", n, `${q} is given a key written in the source: everyone with the code can decrypt and forge`, q);
  }

  /**
   * `PlainTextAuthProvider("user", "pass")`, `pymysql.connect(password="a")`, `neo4j.basic_auth(u, "NEO4J_PASSWORD")`:
   * a literal in an argument the library's signature names as the password, secret or token (session 20). The
   * name-based check does not see positions, and it takes `"password"` or `"DB_PASSWORD"` for a field name or an
   * environment variable's name; in such a slot the text is what the library logs in with. Reported only where the
   * name-based check stays silent (no finding twice).
   */
  /** Whether a bare name is an import alias of one of the client calls (`from couchbase.auth import PasswordAuthenticator as PA`). */
  private aliasedClientSecret(name: string): boolean {
    const target = this.aliases.get(name);
    return target !== undefined && target !== name && CLIENT_SECRET_NAMES.has(target.slice(target.lastIndexOf(".") + 1));
  }

  private clientSecret(n: Node, fn: Node): void {
    const q = this.qualify(fn);
    const slots = CLIENT_SECRET_SLOTS.find((s) => s.call.test(q));
    if (!slots) return;
    const args = (n.childForFieldName("arguments")?.namedChildren ?? []).filter((a): a is Node => !!a && a.type !== "comment");
    const positional = args.filter((a) => a.type !== "keyword_argument" && a.type !== "list_splat" && a.type !== "dictionary_splat");
    if (args.some((a) => a.type === "list_splat")) return; // positions unknown
    // [keyword or "" for a position, the argument]
    const given: Array<[string, Node]> = slots.at.flatMap((i) => (positional[i] ? [["", positional[i]!] as [string, Node]] : []));
    for (const a of args) {
      if (a.type !== "keyword_argument") continue;
      const k = a.childForFieldName("name")?.text ?? "";
      const v = a.childForFieldName("value");
      if (!v) continue;
      if (slots.kw.includes(k)) given.push([k, v]);
      else if (slots.pair?.includes(k)) {
        // ("user", "pw") → the second item; "user:pw" → the text after the colon
        const items = v.type === "tuple" || v.type === "list" ? v.namedChildren.filter((c): c is Node => !!c && c.type !== "comment") : [];
        if (items.length === 2) given.push([k, items[1]!]);
        else if (isStringLiteral(v) && /^[^:]*:./.test(this.value(v).text ?? "")) given.push([k, v]);
      }
    }
    for (const [k, slot] of given) {
      // `"pw".encode()` is the literal itself, as bytes
      const encoded = slot.type === "call" && slot.childForFieldName("function")?.childForFieldName("attribute")?.text === "encode";
      const v = (encoded ? slot.childForFieldName("function")?.childForFieldName("object") : slot) ?? slot;
      // A name is followed to its literal only where it cannot be a parameter or a local of the same name: a
      // constant's name (UPPER_CASE) or a call outside any function (names are tracked file-wide, not per scope).
      const through = v.type === "identifier" && this.literalNames.has(v.text) && (/^[A-Z][A-Z0-9_]*$/.test(v.text) || !insideFunction(n)) ? v.text : undefined;
      if (!isStringLiteral(v) && !through) continue;
      const value = this.value(v);
      if (value.kind !== "string") continue;
      let text = value.text ?? "";
      if (slots.pair?.includes(k) && isStringLiteral(v)) text = text.slice(text.indexOf(":") + 1);
      if (slotPlaceholder(text)) continue;
      // the name-based check reports it already: at the keyword, or where the name was given its literal
      if (slots.kw.includes(k) && credentialLevel(k, text) !== undefined) continue;
      // a password by position that POSITIONAL_PASSWORD's check reports already
      if (k === "" && POSITIONAL_PASSWORD[q] !== undefined && isStringLiteral(v) && credentialLevel("password", text) !== undefined) continue;
      if (through && (this.credentialNames.has(through) || credentialLevel(through, text) !== undefined)) continue;
      const shown = `${text.slice(0, Math.min(3, Math.floor(text.length / 4)))}…, ${text.length} chars`;
      this.hit(
        "credential",
        v,
        `${q.replace(/\(\)/g, "")} is given a ${k === "password" || k === "passwd" ? "password" : k === "" ? "credential" : "secret"} written in the source (${shown}): anyone with the code can log in with it`,
        q,
        "medium",
      );
    }
  }

  /**
   * `vars(__builtins__)["exec"](…)`, `vars(__builtins__).get("eval")(…)`, `globals()["\x65\x76\x61\x6c"](…)`: the
   * evaluator looked up by its name as a string (session 20). Code written this way hides that it runs a string as
   * code, which is the malware's purpose (guarddog's tests): reported whatever the argument, since the lookup itself is
   * the finding.
   */
  private hiddenEvaluator(n: Node, fn: Node): void {
    let holder: Node | null;
    let key: Node | null | undefined;
    if (fn.type === "subscript") {
      holder = fn.childForFieldName("value");
      key = fn.childForFieldName("subscript");
    } else {
      const get = fn.childForFieldName("function");
      if (get?.type !== "attribute" || get.childForFieldName("attribute")?.text !== "get") return;
      holder = get.childForFieldName("object");
      key = fn.childForFieldName("arguments")?.namedChildren.find((a) => a && a.type !== "comment");
    }
    if (key?.type !== "string" || !holder || !NAMESPACE_LOOKUP.test(holder.text)) return;
    // "\x65\x76\x61\x6c" is "eval": hex escapes decoded
    const name = stringContent(key).replace(/\\x([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
    if (name !== "eval" && name !== "exec" && name !== "compile") return;
    this.hit("evalExec", n, `${name}() reached through ${holder.text}[…]: a string run as code, with the call hidden from a reader`, `builtins.${name}`, "medium");
  }

  /** Key bytes written in the source: a non-empty literal, its `.encode()`, or a literal decoded from hex or base64 (through a name assigned once). */
  private literalKey(n: Node | null | undefined, depth = 0): boolean {
    if (!n || depth > 4) return false;
    if (n.type === "identifier" && !this.consts.has(n.text)) {
      const right = this.constAt.get(n.text)?.childForFieldName("right");
      return right?.type === "call" ? this.literalKey(right, depth + 1) : false;
    }
    if (n.type === "call") {
      const fn = n.childForFieldName("function");
      const first = n.childForFieldName("arguments")?.namedChildren.find((a) => a && a.type !== "comment" && a.type !== "keyword_argument");
      if (fn?.type === "attribute" && fn.childForFieldName("attribute")?.text === "encode") return this.literalKey(fn.childForFieldName("object"), depth + 1);
      return KEY_DECODERS.test(this.qualify(fn)) && this.literalKey(first, depth + 1);
    }
    const v = this.value(n);
    return v.kind === "string" && (v.text ?? "") !== "" && (isStringLiteral(n) || n.type === "identifier" || n.type === "concatenated_string");
  }

  /** `logging.config.listen(9999)`: a socket server that applies any logging configuration it receives (CWE-94). */
  private loggingListen(n: Node, fn: Node): void {
    const q = this.qualify(fn);
    if (q !== "logging.config.listen") return;
    // verify= (3.4+) is given every received configuration first: a signature check or decryption makes it the caller's decision.
    const verify = n.childForFieldName("arguments")?.namedChildren.find((a) => a?.type === "keyword_argument" && a.childForFieldName("name")?.text === "verify");
    if (verify && this.value(verify.childForFieldName("value")).kind !== "none") return;
    this.hit(
      "loggingListen",
      n,
      "logging.config.listen applies any logging configuration sent to its port, and a configuration can name callables: whoever reaches the port runs code",
      q,
    );
  }

  /** `threading.Thread(target=logging.config.listen, args=(9000,))`, `pool.submit(logging.config.listen, 9000)`: the function is run, not named. */
  private listenHandedOver(n: Node, last: string): void {
    const args = (n.childForFieldName("arguments")?.namedChildren ?? []).filter((a): a is Node => !!a && a.type !== "comment");
    const target =
      last === "submit" || last === "run_in_executor"
        ? args.filter((a) => a.type !== "keyword_argument")[last === "submit" ? 0 : 1]
        : args.find((a) => a.type === "keyword_argument" && a.childForFieldName("name")?.text === "target")?.childForFieldName("value");
    if (!target || (target.type !== "attribute" && target.type !== "identifier") || !target.text.endsWith("listen") || this.qualify(target) !== "logging.config.listen") return;
    // verify= given through the thread's kwargs: the caller checks what arrives.
    if (args.some((a) => a.type === "keyword_argument" && a.childForFieldName("name")?.text === "kwargs" && /\bverify\b/.test(a.text))) return;
    this.hit(
      "loggingListen",
      n,
      "a thread runs logging.config.listen, which applies any logging configuration sent to its port: whoever reaches it runs code",
      "logging.config.listen",
    );
  }

  private credential(key: string, value: string, at: Node, compared = false): boolean {
    const level = credentialLevel(key, value, compared);
    if (!level) return false;
    const shown = `${value.slice(0, Math.min(3, Math.floor(value.length / 4)))}…, ${value.length} chars`;
    const what = compared ? `"${key}" compared with a hard-coded value` : `hard-coded credential assigned to "${key}"`;
    this.hit("credential", at, level === "high" ? `${what} (${shown})` : `${what} (${shown}; weak or short, still a credential in the source)`, key, level);
    return true;
  }

  /**
   * `app.config["SECRET_KEY"] = KEY` / `connect(password=DEFAULT)` where the name holds a literal written
   * above under a name that is not itself a credential's (that literal was not reported where written).
   */
  private credentialThroughName(key: string, right: Node | null | undefined): void {
    if (right?.type !== "identifier" || this.credentialNames.has(right.text) || !this.literalNames.has(right.text)) return;
    const v = this.consts.get(right.text);
    if (v?.kind === "string" && this.credential(key, v.text ?? "", right)) this.credentialNames.add(right.text); // once per literal
  }

  // ---- calls ----------------------------------------------------------------------------------

  private call(n: Node): void {
    const fn = n.childForFieldName("function");
    if (!fn) return;
    // Cheap text tests first: reading child nodes costs more than the rest of most calls.
    if (
      this.functions.size > 0 &&
      (fn.type === "identifier"
        ? this.functions.has(fn.text)
        : /^(?:self|cls)\.\w+$/.test(fn.text) || (this.methodNames.size > 0 && fn.type === "attribute" && this.methodNames.has(fn.childForFieldName("attribute")?.text ?? "")))
    ) {
      this.argumentsToParameters(n, fn);
      this.localWrapperCall(n, fn);
    } else if (this.externalSinks) {
      const s = this.externalSummary(fn);
      if (s?.sinks) this.wrapperCall(n, fn.text, s.params, s.sinks, true);
    }
    if (this.namespacesNamed && (fn.type === "subscript" || fn.type === "call")) this.hiddenEvaluator(n, fn);
    const last =
      fn.type === "attribute"
        ? (fn.childForFieldName("attribute")?.text ?? "")
        : fn.type === "identifier"
          ? fn.text
          : fn.type === "call" && /^(?:getattr|__import__)\b/.test(fn.text)
            ? (this.qualify(fn).split(".").pop() ?? "")
            : "";
    if (fn.type === "attribute" && ELEMENT_ADDERS.has(last)) this.elementAdded(n, fn);
    if (PATH_SINK_NAMES.test(last) && this.webApp) this.pathSink(n, fn);
    if (WEB_SINK_NAMES.test(last) && this.webApp) this.webSinks.call(n, fn, last);
    if (CLIENT_SECRET_NAMES.has(last) || (fn.type === "identifier" && this.aliasedClientSecret(last))) this.clientSecret(n, fn);
    if (CIPHER_KEY_NAMES.has(last)) this.cipherKey(n, fn);
    else if (last === "listen") this.loggingListen(n, fn);
    else if (RUNS_ITS_ARGUMENT.has(last)) this.listenHandedOver(n, last);
    if (HTTP_VERBS.has(last)) {
      const argList = n.childForFieldName("arguments");
      const named = argList?.namedChildren ?? [];
      if (named.some((a) => a?.type === "dictionary_splat") && !named.some((a) => a?.type === "keyword_argument" && a.childForFieldName("name")?.text === "verify")) {
        const q = this.qualify(fn);
        // Stricter than a written verify=False: the dict's purpose is only evident on an HTTP client.
        if (/^(?:requests|httpx|aiohttp|urllib3)\b/.test(q) || /(?:session|client|http)\w*(?:\(\))?\.\w+$/i.test(q)) this.splatVerify(n, q, argList);
      }
    }
    const argNodes = this.noneNamed || this.contexts.size > 0 || last === "get" || last === "setdefault" ? (n.childForFieldName("arguments")?.namedChildren ?? []) : [];
    if (this.tlsVersionsNamed)
      for (const a of n.childForFieldName("arguments")?.namedChildren ?? []) this.weakProtocol(a?.type === "keyword_argument" ? a.childForFieldName("value") : a, a ?? n);
    if (this.serverClassesNamed && fn.type === "identifier" && !INTERESTING.has(last)) this.serverParameter(n, fn);
    // wrap_socket(s, …, ssl.CERT_NONE), set_verify(VERIFY_NONE, cb)
    if (this.noneNamed) for (const a of argNodes) if (a && (a.type === "attribute" || a.type === "identifier")) this.certNone(a, n);
    if (fn.type === "attribute" && this.contexts.size > 0) {
      const ctx = this.contexts.get(fn.childForFieldName("object")?.text ?? "");
      if (ctx) {
        this.contextCall(ctx, last, argNodes.find((a) => a && a.type !== "comment" && a.type !== "keyword_argument") ?? undefined);
        if (last === "wrap_socket" && /server_side\s*=\s*True/.test(n.text)) ctx.server = true;
      }
    }
    if (last === "set" && this.dictEntries.size > 0 && fn.type === "attribute") {
      // conf.set("section", "option", value): a ConfigParser filled with constant keys.
      const holder = fn.childForFieldName("object");
      const entries = holder?.type === "identifier" ? this.dictEntries.get(holder.text) : undefined;
      const a = (n.childForFieldName("arguments")?.namedChildren ?? []).filter((x) => x && x.type !== "comment" && x.type !== "keyword_argument");
      if (entries && holder && a.length === 3) {
        const key = this.configKey(a[0]!, a[1]!);
        if (key === undefined) this.dictEntries.delete(holder.text);
        else entries.set(key, { node: a[2]!, tainted: this.isTainted(a[2]), value: this.value(a[2]) });
        return;
      }
    }
    if (last === "pop" && this.listElems.size > 0 && fn.type === "attribute") {
      // lst.pop(0) / lst.pop(): the elements shift as Python's do.
      const list = this.listElems.get(fn.childForFieldName("object")?.text ?? "");
      const a = (n.childForFieldName("arguments")?.namedChildren ?? []).filter((x) => x && x.type !== "comment");
      if (list) {
        if (a.length === 0) list.pop();
        else if (a[0]?.type === "integer" && Number(a[0].text) < list.length) list.splice(Number(a[0].text), 1);
        else this.listElems.delete(fn.childForFieldName("object")?.text ?? "");
      }
    }
    if ((last === "append" || last === "extend") && this.listElems.size > 0 && fn.type === "attribute") {
      const list = this.listElems.get(fn.childForFieldName("object")?.text ?? "");
      const item = argNodes.length > 0 ? argNodes[0] : n.childForFieldName("arguments")?.namedChildren[0];
      if (list && item)
        list.push(...(last === "extend" && (item.type === "list" || item.type === "tuple") ? item.namedChildren.filter((c): c is Node => !!c && c.type !== "comment") : [item]));
      return;
    }
    if (last === "set_verify" && this.imported.has("OpenSSL")) {
      // pyOpenSSL: VERIFY_NONE is 0, so a mode without VERIFY_PEER (`VERIFY_FAIL_IF_NO_PEER_CERT | VERIFY_NONE`) verifies nothing.
      const mode = argNodes.find((a) => a && a.type !== "comment" && a.type !== "keyword_argument");
      if (mode && mode.type === "binary_operator" && !/VERIFY_PEER\b/.test(mode.text) && /VERIFY_/.test(mode.text))
        this.hit("tls", n, "pyOpenSSL set_verify without VERIFY_PEER: the peer's certificate is not verified", "OpenSSL.SSL.Context.set_verify");
      return;
    }
    if (COMMAND_RUNNER.test(last)) this.commandRunner(n, fn, last);
    if (AGENT_CALLS.test(last)) this.agentCall(n, fn, last);
    if (CRYPTO_CALL_NAMES.has(last)) this.crypto().call(n, fn, last);
    if (BOMB_CALLS.has(last) && fn.type === "attribute" && this.archivesImported) {
      const found = this.bombCall(n, fn, last);
      if (found) return;
    }
    if (ORM_CLAUSE_METHODS.has(last) && fn.type === "attribute" && this.ormQuery(fn.childForFieldName("object"))) {
      const first = n.childForFieldName("arguments")?.namedChildren.find((a) => a && a.type !== "comment" && a.type !== "keyword_argument");
      if (first) this.ormClauseText(n, this.qualify(fn), first);
      return;
    }
    // Session 32: eval/exec/compile handed as a callable with the arguments it will be called with
    // (`Thread(target=eval, args=[x])`, `pool.submit(exec, code)`, `map(eval, lines)`): judged as the call itself.
    if (this.handsEvaluator && HANDS_CALLABLE.test(last)) this.handedEvaluator(n);
    if (!INTERESTING.has(last) && !(fn.type === "identifier" && (this.aliases.has(last) || this.openUnpicklers.has(last)))) return;
    if (last === "get" || last === "setdefault") {
      // Only `x.get("NAME", "fallback")` can hold a credential fallback; dict lookups are everywhere, so test cheaply first.
      const a = argNodes.filter((c) => c && c.type !== "comment");
      if (a.length < 2 || a[0]?.type !== "string") return;
    }
    // Cheap guards for very common method names before resolving anything.
    if (last === "update" && !fn.text.endsWith("config.update")) return;
    if (last === "encode" && !this.imported.has("jwt")) return;
    if (last === "bind" && !/^(?:tuple|identifier)$/.test(n.childForFieldName("arguments")?.namedChildren[0]?.type ?? "")) return;
    let q = this.qualify(fn);
    let method = q.split(".").pop() ?? "";
    const called = callArguments(n);
    let positional = called.positional;
    const { kw, splat } = called;
    // functools.partial(torch.load, map_location="cpu"): the wrapped call with the arguments bound so far is
    // judged where the wrapper is made (a flag bound there, such as weights_only=True, is what later calls get).
    if (q === "functools.partial" && positional[0]) {
      const target = positional[0];
      if (target.type !== "identifier" && target.type !== "attribute") return;
      q = this.qualify(target);
      method = q.split(".").pop() ?? "";
      positional = positional.slice(1);
      if (!INTERESTING.has(method) && !this.aliases.has(target.text)) return;
    }
    const arg = (i: number, name: string) => kw.get(name) ?? positional[i];
    const plain = q.replace(/\(\)/g, "");

    if (STDLIB_TLS.test(q) || q === "ldap3.Server") this.defaultTls(n, q, positional, kw, splat);
    if (method === "starttls" || method === "stls") return;
    if (method === "Application" || method === "Loader" || method === "DictLoader" || method === "Template") {
      this.tornadoAutoescape(n, q, kw);
      if (method !== "Template") return;
    }
    if (method === "render_template_string" || method === "Template" || method === "from_string" || method === "Environment") {
      this.template(n, q, method, positional, kw);
      return;
    }
    if (method === "get" || method === "setdefault" || method === "getenv" || method === "getenvb") {
      if (LOOKUP_WITH_DEFAULT.test(q)) this.lookupDefault(positional, kw);
      return;
    }
    // Passwords given by position: MySQLdb.connect(host, user, "pw", db), redis.Redis(h, p, db, "pw"), smtp.login(user, "pw").
    const pwAt =
      POSITIONAL_PASSWORD[q] ??
      (method === "login" && positional.length >= 2
        ? 1
        : /^(?:simple_bind_s|simple_bind|bind_s)$/.test(method)
          ? 1
          : method === "connect" && q.startsWith("paramiko.")
            ? 3
            : undefined);
    const pw = pwAt === undefined ? undefined : positional[pwAt];
    const pwValue = this.value(pw);
    if (pw && pwValue.kind === "string" && isStringLiteral(pw)) this.credential("password", pwValue.text ?? "", pw);
    if (DSN_CALLS.test(method)) this.dsnPassword(positional[0] ?? kw.get("dsn") ?? kw.get("url") ?? kw.get("conninfo") ?? kw.get("host"));
    if (method === "SSLContext" || method === "Context" || method === "_create_unverified_context" || method === "_create_stdlib_context") {
      this.inlineContext(n); // assigned ones are followed by name and reported at the end
      return;
    }

    if (method === "Unpickler" && DESERIALIZERS.has(q)) {
      const parent = n.parent;
      const target = parent?.type === "assignment" && parent.childForFieldName("right")?.startIndex === n.startIndex ? parent.childForFieldName("left") : null;
      if (target?.type === "identifier") {
        const old = this.unpicklers.get(target.text);
        if (old && !old.loaded) this.reportUnpickler(old.node);
        this.unpicklers.set(target.text, { node: n, loaded: false });
        return;
      }
    }
    if (method === "load" && fn.type === "attribute" && /\.Unpickler\(\)\.load$/.test(q)) {
      const u = this.unpicklers.get(fn.childForFieldName("object")?.text ?? "");
      if (u) {
        u.loaded = true;
        this.hit("deserialization", n, `${plain} unpickles the stream: loading untrusted data runs arbitrary code`, q);
        return;
      }
    }
    if (DESERIALIZERS.has(q)) {
      // In-memory data written in the call (`pickle.loads(b"...")`) or the program's own constant on every
      // path here is not untrusted. Only for the in-memory loaders: for `load`/`open` a literal is a file path.
      if (positional[0] && /(?:loads|decode)$/.test(q) && this.ownData(positional[0])) {
        if (this.constantUses && !this.checkedName(positional[0])) this.constantUse("deserialization", n, plain, "deserialises the program's own bytes");
        return; // written in the call or through names alike
      }
      this.hit("deserialization", n, `${plain} deserialises with ${q.startsWith("marshal") ? "marshal" : "pickle"}: loading untrusted data runs arbitrary code`, q);
      return;
    }
    if (TORCH_OBJECT_COLLECTIVES.has(method) && q.startsWith("torch.distributed")) {
      this.hit("deserialization", n, `${plain} unpickles objects sent by other ranks: a compromised peer runs code here`, q, "medium");
      return;
    }
    if (q === "torch.package.PackageImporter" || q === "torch.package.package_importer.PackageImporter") {
      this.hit("deserialization", n, "torch.package.PackageImporter unpickles the package and imports code from it", q);
      return;
    }
    if (q === "torch.jit.load") {
      this.hit("deserialization", n, "torch.jit.load runs the TorchScript program stored in the file (and unpickles its constants): load only archives you built", q, "medium");
      return;
    }
    if (q === "skops.io.load" || q === "skops.io.loads") {
      // skops refuses unknown types unless told to trust them; trusted=True (old API) or a computed list trusts the file.
      const trusted = kw.get("trusted");
      const t = this.value(trusted);
      if (t.kind === "true") this.hit("deserialization", n, `${plain}(trusted=True) instantiates every type the file names`, q);
      else if (trusted && !this.literal(trusted))
        this.hit("deserialization", n, `${plain} with a trusted= list computed at runtime (e.g. from get_untrusted_types) trusts whatever the file names`, q, "medium");
      return;
    }
    if (MLFLOW_PICKLE_FLAVOURS.test(q)) {
      this.hit("deserialization", n, `${plain} unpickles the model (pickle/cloudpickle/torch.load): load only models from a registry you control`, q, "medium");
      return;
    }
    if (q === "msgpack_numpy.patch") {
      this.msgpackPatched = true;
      this.hit("deserialization", n, "msgpack_numpy.patch() makes every msgpack unpack rebuild object arrays with pickle", q, "medium");
      return;
    }
    if (/^(?:unpackb|unpack|loads|load)$/.test(method) && /^msgpack\.\w+$/.test(q)) {
      if (this.qualify(kw.get("object_hook") ?? null).startsWith("msgpack_numpy.decode"))
        this.hit("deserialization", n, `${plain}(object_hook=msgpack_numpy.decode) unpickles object arrays in the message`, q);
      else if (this.msgpackPatched && !kw.has("object_hook")) this.hit("deserialization", n, `${plain} after msgpack_numpy.patch() unpickles object arrays in the message`, q);
      return;
    }
    if ((method === "query" || method === "eval") && /^pandas\.[\w.]*\(\)\.(?:query|eval)$/.test(q)) {
      // DataFrame.query/eval from pandas.read_*(): the expression is evaluated (engine="python" runs Python).
      const v = this.value(positional[0] ?? kw.get("expr"));
      if (v.kind !== "string") this.hit("evalExec", n, `DataFrame.${method} on an expression built at runtime evaluates it`, q, "medium");
      return;
    }
    if (q === "PIL.ImageMath.eval" || q === "PIL.ImageMath.unsafe_eval") {
      // Pillow evaluates the expression with Python's eval (CVE-2023-50447 escaped its restricted names); lambda_eval takes a function.
      const expr = positional[0] ?? kw.get("expression");
      if (expr && !this.ownData(expr) && this.value(expr).kind !== "string")
        this.hit("evalExec", n, `ImageMath.${method} on an expression that is not a constant string runs it as Python (CVE-2023-50447)`, q);
      return;
    }
    if (q === "pandas.eval") {
      const v = this.value(positional[0] ?? kw.get("expr"));
      if (v.kind !== "string") this.hit("evalExec", n, "pandas.eval on a value that is not a constant string evaluates an expression built from data", q, "medium");
      return;
    }
    if (method === "extract" && /zipfile/i.test(q.slice(0, -".extract".length))) {
      // Decision (session 9): not a finding. zipfile.extract/extractall drop drive letters, leading slashes and `..`
      // parts from every member name and write no links, so the names cannot leave the target folder (CWE-22); what
      // is left is size (zip bombs, CWE-409), which this rule does not claim. Zip slip through zipfile is a manual
      // copy of member names into paths, which archiveLoop reports.
      return;
    }
    if ((method === "_extract_member" || method === "_extract_one") && (/tarfile|TarFile/.test(q) || this.imported.has("tarfile"))) {
      this.hit("archive", n, `tarfile ${method} is the private extraction step: it applies no filter, so ../ paths, absolute paths and links escape the target folder`, q);
      return;
    }
    if (method === "extract" && /tarfile/.test(q.slice(0, -".extract".length))) {
      if (!kw.has("filter") || (this.value(kw.get("filter")).kind === "string" && this.value(kw.get("filter")).text === "fully_trusted"))
        this.hit("archive", n, "tarfile extract without filter='data': a member with a ../ or absolute path, or a link, escapes the target folder", q);
      return;
    }
    if (method === "extra" && (kw.has("where") || kw.has("select") || kw.has("tables") || kw.has("order_by"))) {
      // Django QuerySet.extra(): its strings are pasted into the SQL.
      for (const key of ["where", "select", "tables", "order_by"]) {
        const v = kw.get(key);
        const parts =
          v?.type === "list" || v?.type === "tuple" ? v.namedChildren : v?.type === "dictionary" ? v.namedChildren.map((p) => p?.childForFieldName("value") ?? null) : [v];
        if (parts.some((p) => p && p.type !== "comment" && this.value(p).kind === "built-string" && !this.safeScalar(p))) {
          this.hit("sql", n, `QuerySet.extra(${key}=…) with SQL built from strings: use params=`, q);
          this.sqlReported.push([n.startIndex, n.endIndex]); // the SQL built inside its arguments is this finding
          return;
        }
      }
      return;
    }
    if (method === "read_array" && q.endsWith("numpy.lib.format.read_array")) {
      if (this.truthy(kw.get("allow_pickle")) === true) this.hit("numpyPickle", n, "numpy read_array(allow_pickle=True) unpickles object arrays from the file", q);
      return;
    }
    if (method === "YAML" && q.startsWith("ruamel.yaml")) {
      const typ = this.value(kw.get("typ"));
      if (typ.kind === "string" && typ.text === "unsafe") this.hit("yamlLoad", n, "ruamel.yaml YAML(typ='unsafe') constructs arbitrary Python objects from the document", q);
      return;
    }
    if ((method === "encode" || method === "decode") && q.startsWith("jwt.")) {
      // jwt.encode(payload, "secret"): the signing key is in the source.
      const key = positional[1] ?? kw.get("key");
      const v = this.value(key);
      if (key && v.kind === "string" && isStringLiteral(key)) this.credential("jwt_signing_secret", v.text ?? "", key);
      return;
    }
    if (method === "subprocess_shell" || (method === "exec_command" && q.includes("paramiko"))) {
      this.shellHit(n, q, method === "subprocess_shell" ? (positional[1] ?? kw.get("cmd")) : (positional[0] ?? kw.get("command")));
      return;
    }
    if (method === "BashOperator" && q.includes("airflow")) {
      const cmd = kw.get("bash_command");
      if (cmd) {
        const v = cmd.type === "identifier" ? (this.consts.get(cmd.text) ?? this.value(cmd)) : this.value(cmd);
        if (v.kind === "built-string") this.hit("shell", n, "Airflow BashOperator with a command built at runtime: shell injection if any part is untrusted", q);
      }
      return;
    }
    if (method === "restore" && /^jsonpickle(?:\.unpickler)?\.Unpickler\(\)\.restore$/.test(q)) {
      this.hit("deserialization", n, "jsonpickle Unpickler.restore rebuilds arbitrary Python objects named in the JSON: loading untrusted data runs code", q);
      return;
    }
    if (q === "torch.load") {
      const w = this.value(kw.get("weights_only"));
      if (w.kind === "true") return;
      if (w.kind === "false") this.hit("torchLoad", n, "torch.load(weights_only=False) unpickles the checkpoint: a malicious file runs code", q, "critical");
      else if (kw.has("weights_only")) this.hit("torchLoad", n, "torch.load with a non-literal weights_only: cannot show that unpickling is restricted", q, "medium");
      else if (!splat)
        this.hit("torchLoad", n, "torch.load without weights_only=True unpickles the checkpoint (unsafe before torch 2.6 and wherever the default is overridden)", q);
      return;
    }
    if (q === "numpy.load") {
      // numpy tests `if allow_pickle:`, so Python truthiness decides: 1 and "False" allow pickles, [] does not.
      const allow = kw.get("allow_pickle");
      const t = this.truthy(allow);
      if (t === true) this.hit("numpyPickle", n, `numpy.load(allow_pickle=${allow!.text}) unpickles object arrays from the file`, q);
      else if (allow && t === undefined) this.hit("numpyPickle", n, "numpy.load with a non-literal allow_pickle", q, "medium");
      return;
    }
    const doc = positional[0] ?? kw.get("stream");
    // A document that is the program's own constant on every path here (not a literal in the call): nothing from outside is parsed.
    if (/^yaml\.(?:unsafe_load|unsafe_load_all|full_load|full_load_all|load|load_all)$/.test(q) && doc && this.ownData(doc)) {
      if (this.constantUses && !this.checkedName(doc) && !this.yamlSafeLoaderGiven(arg(1, "Loader")))
        this.constantUse("yamlLoad", n, q, "parses the program's own document with an unsafe loader");
      return;
    }
    if (q === "yaml.unsafe_load" || q === "yaml.unsafe_load_all" || q === "yaml.full_load" || q === "yaml.full_load_all") {
      this.hit("yamlLoad", n, `${q} constructs arbitrary Python objects from the document`, q);
      return;
    }
    if (q === "yaml.load" || q === "yaml.load_all") {
      const loader = arg(1, "Loader");
      if (!loader) {
        if (!splat) this.hit("yamlLoad", n, `${q} without Loader= uses an unsafe loader on old PyYAML and fails on new: use yaml.safe_load`, q);
        return;
      }
      const own = loader.type === "identifier" ? this.yamlLoaderClasses.get(loader.text) : undefined;
      if (own) {
        own.used = true;
        if (own.safe) return; // a subclass of SafeLoader (custom tags on the safe constructor)
      }
      const ln = this.qualify(loader).split(".").pop() ?? "";
      if (!SAFE_YAML_LOADERS.has(ln)) this.hit("yamlLoad", n, `${q} with Loader=${ln || loader.text} can construct arbitrary Python objects`, q);
      return;
    }
    if (method === "load_model" && /(?:^|\.)(?:keras|tf_keras)(?:\.|$)/.test(q)) {
      this.kerasLoad(n, q, positional[0] ?? kw.get("filepath"), kw.get("safe_mode"));
      return;
    }
    if (method === "model_from_yaml" && /(?:^|\.)(?:keras|tf_keras)(?:\.|$)/.test(q)) {
      const doc = positional[0] ?? kw.get("yaml_string");
      // TensorFlow ≤ 2.5 parsed it with yaml.unsafe_load (CVE-2021-37678); later versions removed the function.
      if (doc && !this.writtenConstant(doc) && !this.constantThroughNames(doc))
        this.hit("kerasUnsafe", n, `${plain} builds the model with PyYAML's unsafe loader (TensorFlow ≤ 2.5, CVE-2021-37678): the document can construct Python objects`, q);
      return;
    }
    if (method === "enable_unsafe_deserialization" && /keras/.test(q)) {
      this.hit("kerasUnsafe", n, "keras unsafe deserialisation enabled for the whole process", q);
      return;
    }
    if (q === "builtins.eval" || q === "builtins.exec" || q === "builtins.compile") {
      const first = positional[0] ?? kw.get("source");
      if (!first || this.locallyRebound(n, method)) return; // eval() raises; a nested `def eval` is what this calls
      this.evalSource(n, q, method, first);
      return;
    }
    if (SHELL_ALWAYS.has(q)) {
      this.shellHit(n, q, positional[0] ?? kw.get("cmd") ?? kw.get("command"));
      return;
    }
    if (SUBPROCESS.has(q)) {
      // Python truthiness decides: shell=1, "False" and [True] are shells; 0, "", [] and {} are not.
      const shell = this.truthy(kw.get("shell"));
      const cmd = positional[0] ?? kw.get("args");
      if (shell === true && this.noCommand(n, cmd))
        // Nothing runs as written (a TypeError), so nothing is injected here; but the call is written to hand a
        // command to a shell, which is what linters flag: low, the level of a constant command (session 20).
        this.hit(
          "shell",
          n,
          `${q}(shell=${kw.get("shell")!.text}) is given no command here: nothing runs as written, but the call is set to run its command through a shell`,
          q,
          "low",
        );
      else if (shell === true) this.shellHit(n, `${q}(shell=${kw.get("shell")!.text})`, cmd);
      else if (shell === false || !kw.has("shell")) {
        if (cmd && !this.shellArgv(n, q, [cmd])) {
          this.programFromInput(n, q, cmd);
          this.argumentInjection(n, q, cmd);
        }
      } else if (kw.has("shell") && shell === undefined && !this.noCommand(n, cmd) && !this.writtenConstant(cmd))
        this.hit("shell", n, `${q} with a shell= argument whose value is not evident`, q, this.value(cmd).kind === "string" ? "low" : "medium");
      return;
    }
    if (/^os\.(?:spawn|exec)[lv]p?e?$/.test(q)) {
      // os.spawnv*(mode, path, args …) / os.execv*(path, args …): the program and its arguments.
      const parts = positional.slice(method.startsWith("spawn") ? 1 : 0);
      if (!this.shellArgv(n, q, parts) && parts[0]) this.programFromInput(n, q, parts[0]);
      return;
    }
    if (method === "extractall" || method === "unpack_archive") {
      this.archive(n, q, kw);
      return;
    }
    if (q === "torch.hub.load") {
      const repo = this.value(positional[0] ?? kw.get("repo_or_dir"));
      const source = this.value(kw.get("source"));
      if (repo.kind === "string" && !(source.kind === "string" && source.text === "local")) {
        const ref = (repo.text ?? "").split(":")[1];
        if (ref === undefined) this.hit("unpinned", n, `torch.hub.load("${repo.text}") runs hubconf.py from the repository's default branch: pin "owner/repo:<commit sha>"`, q);
        else if (!COMMIT_SHA.test(ref)) this.hit("unpinned", n, `torch.hub.load("${repo.text}"): "${ref}" is a tag or branch, which can be moved: pin a commit sha`, q);
      }
      return;
    }
    if (q === "transformers.pipeline" || q === "sentence_transformers.SentenceTransformer") {
      if (kw.has("revision")) {
        this.movingRevision(n, plain, kw.get("revision")!);
        return;
      }
      const model = q === "transformers.pipeline" ? kw.get("model") : (positional[0] ?? kw.get("model_name_or_path"));
      const v = this.value(model);
      if (v.kind === "string" && !/^(?:\.{0,2}\/|~|[A-Za-z]:\\)/.test(v.text ?? "")) this.hit("unpinned", n, `${plain} loads "${v.text}" from the hub without revision=`, q);
      return;
    }
    if (method === "from_pretrained" || HUB_FUNCS.has(q) || (method === "load_dataset" && q.startsWith("datasets"))) {
      this.unpinned(n, plain, positional, kw, splat);
      return;
    }
    if (method === "run" && positional[0] && this.value(positional[0]).kind === "built-string" && SQL_WORDS.test(this.value(positional[0]).text ?? "")) {
      this.sql(n, q, positional[0]); // pg8000 conn.run("SELECT … " + x)
      return;
    }
    if ((method === "run" || method === "run_server" || method === "launch") && !q.startsWith("asyncio.") && !q.startsWith("subprocess.") && !q.startsWith("pexpect.")) {
      this.server(n, q, method, kw, method === "run" ? positional[0] : undefined);
      return;
    }
    // Session 18: Werkzeug's debugger serves a console that runs Python (run_simple turns evalex on with the debugger; DebuggedApplication only when asked).
    if (/^werkzeug\.(?:debug\.)?DebuggedApplication$/.test(q) && this.truthy(kw.get("evalex")) === true) {
      this.hit("debug", n, "DebuggedApplication(evalex=True) serves Werkzeug's interactive console: anyone who reaches it can run code", q);
      return;
    }
    if (/^werkzeug\.(?:serving\.)?run_simple$/.test(q)) {
      if (this.truthy(kw.get("use_debugger")) === true && this.truthy(kw.get("use_evalex")) !== false)
        this.hit("debug", n, "run_simple(use_debugger=True) serves Werkzeug's interactive console: anyone who reaches it can run code", q);
      else {
        const host = this.everyInterface(positional[0] ?? kw.get("hostname"), false);
        if (host !== undefined) this.hit("debug", n, `server bound to ${host}: reachable from every network interface`, q, "medium");
      }
      return;
    }
    // Session 18: pexpect splits a command string into a program and its arguments (no shell, unless one is named):
    // text built from input picks the program or adds options (`ssh -oProxyCommand=…`).
    if (/^pexpect\.(?:spawn|run|runu|spawnu|popen_spawn\.PopenSpawn)$/.test(q)) {
      const cmd = positional[0] ?? kw.get("command") ?? kw.get("cmd");
      if (!cmd || this.writtenConstant(cmd) || this.constantThroughNames(cmd) || this.value(cmd).kind === "string") return;
      if (this.isTainted(cmd)) this.hit("shell", n, `${plain} runs a command line taken from untrusted input: the sender picks the program or its options`, q);
      else if (this.value(cmd).kind === "built-string" && !this.dataWord(cmd))
        this.hit("shell", n, `${plain} runs a command line built at runtime: a value in it can pick the program or add options`, q, "medium");
      return;
    }
    if (method === "bind") {
      // socket.bind(("0.0.0.0", port)), also through a name holding the address or its host.
      const host = this.everyInterface(positional[0], q.startsWith("socket."));
      if (host !== undefined) this.hit("debug", n, `socket bound to ${host === "" ? "all interfaces ('')" : host}: reachable from every network interface`, q, "medium");
      return;
    }
    if (STDLIB_SERVER.test(q)) {
      // socket.create_server(("", 80)), socketserver.TCPServer(("0.0.0.0", 80), H), make_server("", 8000, app),
      // asyncio.start_server(cb, "0.0.0.0", 80): the standard library binds "" to every interface too.
      const addr =
        method === "make_server"
          ? (kw.get("host") ?? positional[0])
          : method === "start_server"
            ? (kw.get("host") ?? positional[1])
            : (kw.get("server_address") ?? kw.get("address") ?? positional[0]);
      const host = this.everyInterface(addr, true);
      if (host !== undefined) this.hit("debug", n, `${plain} listens on ${host === "" ? "all interfaces ('')" : host}: reachable from every network interface`, q, "medium");
      return;
    }
    if (method === "update" && /(?:^|\.)config$/.test(q.slice(0, -".update".length)) && this.value(kw.get("DEBUG")).kind === "true") {
      this.hit("debug", n, "config.update(DEBUG=True): a Flask app run this way serves the interactive debugger", q, "medium");
      return;
    }
    if (method === "configure" && q === "django.conf.settings.configure") {
      for (const key of ["DEBUG", "DEBUG_PROPAGATE_EXCEPTIONS"])
        if (this.truthy(kw.get(key)) === true) {
          this.hit("debug", n, `settings.configure(${key}=True): error pages show tracebacks and settings to anyone who triggers an error`, q, "medium");
          return;
        }
      return;
    }
    if (method === "RawSQL" && /django/.test(q)) {
      this.sql(n, q, positional[0] ?? kw.get("sql"));
      return;
    }
    // asyncpg connection and pool methods take SQL text; a function named `fetch` (the file's own `def fetch(url)`,
    // or one imported bare) is no connection's (session 30).
    if ((method === "fetch" || method === "fetchrow" || method === "fetchval") && positional[0] && n.childForFieldName("function")?.type === "attribute") {
      this.sql(n, q, positional[0]);
      return;
    }
    // Session 37: PySpark's `spark.sql(text)` and BigQuery's `Client().query(text)` run the SQL text they are given.
    if ((method === "sql" && /^pyspark\./.test(q)) || (method === "query" && /^google\.cloud\.bigquery\./.test(q))) {
      this.sql(n, q, positional[0] ?? kw.get("sqlQuery") ?? kw.get("query"));
      return;
    }
    if (/^(?:execute|executemany|executescript|read_sql|read_sql_query|raw|text|TextClause|callproc)$/.test(method)) {
      if ((method === "text" || method === "TextClause") && !/sqlalchemy/i.test(q)) return;
      this.sql(n, q, positional[0] ?? kw.get("sql") ?? kw.get("query") ?? kw.get("operation") ?? kw.get("text"));
    }
  }

  /** `os.getenv("DB_PASSWORD", "hunter2")`: the fallback is a hard-coded credential whenever the variable is unset. */
  private lookupDefault(positional: Node[], kw: Map<string, Node>): void {
    const name = positional[0];
    const fallback = positional[1] ?? kw.get("default");
    if (!name || !fallback || !isStringLiteral(name) || !isStringLiteral(fallback)) return;
    const key = this.value(name);
    const v = this.value(fallback);
    if (key.kind === "string" && v.kind === "string" && /^[A-Za-z_][\w.-]*$/.test(key.text ?? "")) this.credential(key.text ?? "", v.text ?? "", fallback);
  }

  /** `url = "https://user:pw@host"`, `q = "user=admin&password=pw"`: a password written inside a literal. */
  private embeddedPassword(text: string, at: Node): void {
    if (text.length > 500 || (!text.includes("://") && !text.includes("="))) return;
    const m = URL_PASSWORD.exec(text) ?? QUERY_PASSWORD.exec(text);
    if (m?.[1]) this.credential("password", m[1], at);
  }

  /** A password inside a connection string or URL written in the call (`"dbname=x password=pw"`, `"mysql://u:pw@h/db"`). */
  private dsnPassword(arg: Node | undefined): void {
    if (!arg || !isStringLiteral(arg)) return;
    const v = this.value(arg);
    if (v.kind !== "string") return;
    const text = v.text ?? "";
    const m = URL_PASSWORD.exec(text) ?? DSN_PASSWORD.exec(text);
    if (!m?.[1]) return;
    const pw = m[1].replace(/^(['"{])(.*)['"}]$/, "$2");
    this.credential("password", decodeURIComponent(pw.replace(/%(?![0-9a-f]{2})/gi, "%25")), arg);
  }

  /**
   * `class Safe(pickle.Unpickler)`: its instances load like the base unless `find_class` restricts which globals a
   * stream may name — a `find_class` that can raise and that tests its module or name (an allow-list, `module ==
   * "builtins" and name in SAFE`), or that always raises. A subclass without one, or whose `find_class` only logs
   * and delegates, is recorded so that `Safe(f).load()` is reported as `pickle.Unpickler(f).load()` is.
   */
  private unpicklerClass(n: Node): void {
    const name = n.childForFieldName("name")?.text;
    const bases = (n.childForFieldName("superclasses")?.namedChildren ?? []).filter((b): b is Node => !!b && b.type !== "keyword_argument" && b.type !== "comment");
    const qualified = bases.map((b) => this.qualify(b));
    const yamlBase = qualified.filter((q) => /^yaml\.C?(?:\w*Loader|\w*Constructor)$/.test(q));
    if (name && yamlBase.length > 0) {
      // Safe only when every PyYAML base is a safe loader (a mix keeps the unsafe constructors).
      const safe = yamlBase.every((q) => SAFE_YAML_LOADERS.has(q.split(".").pop() ?? "") || /^yaml\.(?:Safe|Base)Constructor$/.test(q));
      this.yamlLoaderClasses.set(name, { safe, node: n.childForFieldName("name") ?? n, used: false });
      return;
    }
    const base = qualified.find((q) => q.endsWith(".Unpickler") && DESERIALIZERS.has(q));
    if (!name || !base) return;
    const findClass = (n.childForFieldName("body")?.namedChildren ?? []).find((d) => {
      const def = d?.type === "decorated_definition" ? d.childForFieldName("definition") : d;
      return def?.type === "function_definition" && def.childForFieldName("name")?.text === "find_class";
    });
    const def = findClass?.type === "decorated_definition" ? findClass.childForFieldName("definition") : findClass;
    if (def && restrictsGlobals(def)) return;
    this.openUnpicklers.set(name, base);
  }

  private reportUnpickler(n: Node): void {
    const q = this.qualify(n.childForFieldName("function"));
    this.hit("deserialization", n, `${q.replace(/\(\)/g, "")} deserialises with pickle: loading untrusted data runs arbitrary code`, q);
  }

  /**
   * `Holder(request.args["f"])` — or a name assigned one in the same function — with Holder a class of this file (or
   * `SimpleNamespace`): its attributes hold what it was given (`Holder(x).payload`, `getattr(ns, "payload")`).
   * Session 22: a request value wrapped in a small class was followed as clean.
   */
  private builtFromInput(o: Node | null | undefined): boolean {
    if (!o) return false;
    const at = o.type === "identifier" ? this.constAt.get(o.text) : undefined;
    const made = o.type === "identifier" ? at?.childForFieldName("right") : o;
    if (made?.type !== "call") return false;
    const fn = made.childForFieldName("function");
    if (!fn || !this.classes.has(fn.type === "identifier" ? fn.text : this.qualify(fn))) return false;
    if (at && (at.startIndex > o.startIndex || this.scopeOf(at) !== this.scopeOf(o))) return false;
    return (made.childForFieldName("arguments")?.namedChildren ?? []).some((a) => {
      if (!a || a.type === "comment") return false;
      return this.isTainted(a.type === "keyword_argument" ? a.childForFieldName("value") : a);
    });
  }

  /** `for part in request.args["path"].split("/")`: each item of untrusted text is untrusted (session 22). */
  private loopOverInput(n: Node): void {
    const over = n.childForFieldName("right");
    if (over && this.fromDatabase(over)) {
      // `for row in cur.fetchall()`: each row is read back from the database
      const target = n.childForFieldName("left");
      for (const id of target?.type === "identifier" ? [target] : (target?.descendantsOfType("identifier") ?? [])) if (id) this.stored.add(id.text);
    }
    if (!over || !(this.isTainted(over) || this.holdsTainted(over))) return;
    const left = n.childForFieldName("left");
    if (left?.type === "identifier") this.tainted.add(left.text);
    else if (left) for (const id of left.descendantsOfType("identifier")) if (id) this.tainted.add(id.text);
  }

  /** Whether some `name[` in the text names a list or dict whose elements are known (a text test before any tree walk). */
  private readsKnownElement(text: string): boolean {
    for (const m of text.matchAll(/([A-Za-z_]\w*)\s*\[/g)) if (this.listElems.has(m[1]!) || this.dictEntries.has(m[1]!)) return true;
    return false;
  }

  /**
   * The elements a comprehension maps one to one (`["p" + x for x in items]`: one loop, no filter, over a list written
   * here or a name holding one, a body reading nothing untrusted but the loop variable): element k stands for the
   * source's element k, untrusted when that one is. Otherwise undefined (the positions are not known, or no element
   * can be untrusted).
   */
  private mappedElements(n: Node): Node[] | undefined {
    const clauses = n.namedChildren.filter((c) => c?.type === "for_in_clause" || c?.type === "if_clause");
    const clause = clauses.length === 1 ? clauses[0] : undefined;
    const loopVar = clause?.type === "for_in_clause" ? clause.childForFieldName("left") : undefined;
    const over = clause?.childForFieldName("right");
    const body = n.childForFieldName("body");
    // a body that is a number or a constant (`len(x)`) makes no element untrusted: nothing to map
    if (loopVar?.type !== "identifier" || !over || !body || REQUEST_SOURCE.test(body.text) || this.literal(body) || this.safeScalar(body)) return undefined;
    const source =
      over.type === "list" || over.type === "tuple"
        ? over.namedChildren.filter((c): c is Node => !!c && c.type !== "comment")
        : over.type === "identifier"
          ? this.listElems.get(over.text)
          : undefined;
    if (!source || (over.type === "identifier" && this.indexWritten.has(over.text))) return undefined;
    for (const id of body.type === "identifier" ? [body] : body.descendantsOfType("identifier")) {
      if (!id || id.text === loopVar.text || (id.parent?.type === "attribute" && id.parent.childForFieldName("attribute")?.id === id.id)) continue;
      if (this.tainted.has(id.text)) return undefined;
    }
    return [...source];
  }

  /**
   * A list, tuple or set written with an untrusted element, or a name holding such a list (`items = [param, "a"]`):
   * iterating it gives that element (session 27). Containers are not untrusted as wholes (a query's values beside
   * its text), so only a loop or comprehension over one asks this.
   */
  private holdsTainted(n: Node | null | undefined): boolean {
    if (!n) return false;
    if (n.type === "list" || n.type === "tuple" || n.type === "set") return n.namedChildren.some((c) => !!c && c.type !== "comment" && this.isTainted(c));
    const elems = n.type === "identifier" ? this.listElems.get(n.text) : undefined;
    return !!elems && elems.some((e) => this.isTainted(e));
  }

  /**
   * `parts.append(request.args["f"].strip())`: a list or set given untrusted items holds untrusted text, and so does
   * what is built from it (`",".join(parts)`). Session 22: such a collection was followed as clean.
   */
  private elementAdded(n: Node, fn: Node): void {
    const holder = fn.childForFieldName("object");
    if (holder?.type !== "identifier" || this.tainted.has(holder.text)) return;
    const args = n.childForFieldName("arguments")?.namedChildren ?? [];
    if (args.some((a) => !!a && a.type !== "comment" && a.type !== "keyword_argument" && this.isTainted(a))) this.tainted.add(holder.text);
  }

  /**
   * A value read back from a database: a DB-API fetch (`cur.fetchone()[0]`, `cursor.fetchall()`), the `databases`
   * package's `fetch_one`/`fetch_all`/`fetch_val`, asyncpg's `fetchrow`/`fetchval`, or a name holding one. Stored text came from users earlier, so a file name or template kept in a table is input too (second-order:
   * session 22's misses); only path and template sinks use it, where a stored value is rarely the program's own.
   */
  private fromDatabase(n: Node | null | undefined): boolean {
    if (!n || !this.fetches) return false;
    const text = n.text;
    let hit = text.includes(".fetch") && /\.fetch(?:one|all|many|_one|_all|_val|row|val)\s*\(/.test(text);
    if (!hit && this.stored.size > 0)
      hit =
        n.type === "identifier"
          ? this.stored.has(text)
          : // walk the expression's names (its size), not the stored names (could be thousands)
            n.descendantsOfType("identifier").some((id) => id !== null && this.stored.has(id.text) && id.parent?.type !== "keyword_argument");
    return hit && !this.safeScalar(n); // int(row[0]) is a number, not a path or template
  }

  /** `open(request.args["f"])`, `send_file(os.path.join(BASE, name))` with name from a request or a model's output. */
  private pathSink(n: Node, fn: Node): void {
    const q = this.qualify(fn);
    const pathMethod = fn.type === "attribute" && /^(?:read_text|read_bytes|write_text|write_bytes|open|unlink|rmdir)$/.test(fn.childForFieldName("attribute")?.text ?? "");
    const receiver = pathMethod ? fn.childForFieldName("object") : null;
    const key =
      PATH_SINKS[q] ??
      (pathMethod && /^pathlib\.(?:Pure)?Path\(\)$/.test(this.qualify(receiver))
        ? ""
        : // (base / name).read_text(), p.open() where p = base / name: a path object joined from request data
          pathMethod && receiver && (receiver.type === "identifier" || receiver.type === "parenthesized_expression") && this.pathJoin(receiver)
          ? "."
          : undefined);
    if (key === undefined) return;
    let path: Node | null | undefined;
    if (key === ".") path = receiver;
    else if (key === "")
      path = fn
        .childForFieldName("object")
        ?.childForFieldName("arguments")
        ?.namedChildren.find((a) => a && a.type !== "comment"); // Path(p).read_text()
    else {
      for (const a of n.childForFieldName("arguments")?.namedChildren ?? []) {
        if (!a || a.type === "comment") continue;
        if (a.type === "keyword_argument") {
          if (a.childForFieldName("name")?.text === key) path = a.childForFieldName("value");
        } else path ??= a;
      }
    }
    if (!path || this.cleanPath(path) || this.pathChecked(path)) return;
    const what = key === "." ? `Path.${fn.childForFieldName("attribute")?.text}` : q.replace(/\(\)/g, "");
    if (this.isTainted(path))
      this.hit("pathTraversal", n, `${what} is given a path from a web request or a model's output: \`../\` or an absolute name reaches any file the process can access`, q);
    else if (this.fromDatabase(path))
      this.hit("pathTraversal", n, `${what} is given a path read back from a database: a stored \`../\` or absolute name reaches any file the process can access`, q, "medium");
  }

  /**
   * Attribute names written anywhere in the file (`self.cmd = …`, `job.cmd = …`), and whether every write is
   * a string literal: then `self.cmd` holds the program's own text wherever it is read.
   */
  /** Counts the names an assignment binds, and notes `xs[i] = …` as a change of `xs` (first pass, linear). */
  private noteBinding(left: Node | null): void {
    if (!left) return;
    if (left.type === "identifier") this.bindings.set(left.text, (this.bindings.get(left.text) ?? 0) + 1);
    else if (left.type === "subscript") {
      const holder = left.childForFieldName("value");
      if (holder?.type === "identifier") {
        this.mutated.add(holder.text);
        this.indexWritten.add(holder.text);
      }
    } else if (left.type === "pattern_list" || left.type === "tuple_pattern" || left.type === "list_pattern") for (const c of left.namedChildren) this.noteBinding(c);
  }

  /** `xs.append(…)` and the other in-place changes of a list or set (first pass). */
  private noteMutation(n: Node): void {
    const fn = n.childForFieldName("function");
    if (fn?.type !== "attribute") return;
    const method = fn.childForFieldName("attribute")?.text ?? "";
    if (!CONTAINER_MUTATORS.has(method)) return;
    const holder = fn.childForFieldName("object");
    if (holder?.type === "identifier") this.mutated.add(holder.text);
  }

  /**
   * A name that holds a tuple, list or set of literals written in the file (`CMDS = ("ls", "df")`), bound once
   * and never changed in place, read below its assignment: whatever index picks from it, the value is one of
   * those literals — the program's own data, not something built at run time.
   */
  private constantContainer(n: Node | null | undefined): Node | undefined {
    if (n?.type !== "identifier" || this.constContainers.size === 0 || this.tainted.has(n.text)) return undefined;
    const c = this.constContainers.get(n.text);
    if (!c || this.bindings.get(n.text) !== 1 || this.mutated.has(n.text) || c.startIndex > n.startIndex) return undefined;
    const scope = this.scopeOf(c);
    if (scope === this.scopeOf(n)) return c;
    // A module-level constant read in a function: only an upper-case name (Python's spelling of a constant), and not
    // when the function takes a parameter of that name (then the name is the caller's value).
    if (scope !== -1 || !/^[A-Z][A-Z0-9_]*$/.test(n.text)) return undefined;
    for (let fn = enclosingFunction(n); fn; fn = enclosingFunction(fn)) {
      const key = `${fn.id}\0${n.text}`;
      let shadows = this.shadowingParams.get(key);
      if (shadows === undefined) {
        shadows =
          fn
            .childForFieldName("parameters")
            ?.descendantsOfType("identifier")
            .some((p) => p?.text === n.text) ?? false;
        this.shadowingParams.set(key, shadows);
      }
      if (shadows) return undefined;
    }
    return c;
  }

  /** What `CMDS[i]` holds when CMDS is a constant container of strings (or of numbers): one of its literals. */
  private containerElement(n: Node): Value | undefined {
    const index = n.childForFieldName("subscript");
    if (!index || index.type === "slice") return undefined;
    const c = this.constantContainer(n.childForFieldName("value"));
    if (!c) return undefined;
    // Once per container: a long tuple read many times is walked once.
    if (this.containerValues.has(c.id)) return this.containerValues.get(c.id) ?? undefined;
    const items = c.namedChildren.filter((x): x is Node => !!x && x.type !== "comment");
    let v: Value | null = null;
    if (items.length > 0 && items.every((x) => isStringLiteral(x))) v = { kind: "string", text: items.map((x) => stringContent(x)).join("\n") };
    else if (items.length > 0 && items.every((x) => x.type === "integer" || x.type === "float")) v = { kind: "number", text: items[0]!.text };
    this.containerValues.set(c.id, v);
    return v ?? undefined;
  }

  private attributeWrite(n: Node): void {
    const left = n.childForFieldName("left");
    if (!left) return;
    const targets = left.type === "attribute" ? [left] : left.descendantsOfType("attribute").filter((x): x is Node => !!x);
    for (const a of targets) {
      const name = a.childForFieldName("attribute")?.text;
      if (!name) continue;
      const right = n.childForFieldName("right");
      const literal = n.type === "assignment" && a === left && !!right && isStringLiteral(right);
      this.attributeLiteral.set(name, literal && this.attributeLiteral.get(name) !== false);
    }
  }

  /** `self.x` (or `obj.x`) where every write of attribute x in the file is a string literal. */
  private constantAttribute(n: Node | null | undefined): boolean {
    // setattr/__dict__ writes are not followed: then no attribute is known to hold only literals
    if (n?.type !== "attribute" || this.attributeLiteral.size === 0) return false;
    this.dynamicAttributes ??= /\bsetattr\s*\(|__dict__/.test(this.source);
    if (this.dynamicAttributes) return false;
    return this.attributeLiteral.get(n.childForFieldName("attribute")?.text ?? "") === true;
  }

  /**
   * Parameters of a web route handler that the URL fills: `@app.route("/users/<username>")` (Flask, Quart:
   * `<name>` or `<converter:name>`), `@app.get("/items/{item}")` (FastAPI, Starlette-style `{name}`), and a
   * FastAPI handler's `str` parameters (query parameters). Request input, like `request.args`.
   */
  /**
   * A Django view — a module-level function of a file that imports Django, whose first parameter is `request` and
   * which no code of the file calls — gets its other parameters from the URL (`path("f/<str:name>", views.get)`): they
   * are request input (session 22). A helper the file calls itself is judged by its calls instead.
   */
  private djangoViewParameters(def: Node): string[] {
    if (!this.imported.has("django")) return [];
    const holder = def.parent?.type === "decorated_definition" ? def.parent.parent : def.parent;
    if (holder?.type !== "module") return [];
    const params = (def.childForFieldName("parameters")?.namedChildren ?? []).filter((p): p is Node => !!p && p.type !== "comment");
    if (params[0]?.type !== "identifier" || params[0].text !== "request" || params.length < 2) return [];
    const name = def.childForFieldName("name")?.text ?? "";
    if (!name || this.calledNames.has(name)) return [];
    const out: string[] = [];
    for (const p of params.slice(1)) {
      const id = p.type === "identifier" ? p : p.type === "typed_parameter" ? p.namedChildren.find((c) => c?.type === "identifier") : undefined;
      if (id) out.push(id.text);
    }
    return out;
  }

  /**
   * A Gradio handler's parameters (session 37): Gradio calls the function given to `gr.Interface`, `gr.ChatInterface`
   * or an event listener with the values of its input components — what the app's visitor typed or uploaded — so they
   * are input, as a route's URL parameters are. Not `self`.
   */
  private gradioHandlerParameters(def: Node): string[] {
    if (!this.imported.has("gradio")) return [];
    if (this.gradioHandlers === undefined) {
      this.gradioHandlers = new Set();
      for (const m of this.source.matchAll(GRADIO_HANDLER)) this.gradioHandlers.add(m[1] ?? m[2] ?? m[3] ?? "");
    }
    const name = def.childForFieldName("name")?.text ?? "";
    if (!name || !this.gradioHandlers.has(name)) return [];
    return parameterNames(def).filter((p) => p !== "self");
  }
  private gradioHandlers: Set<string> | undefined;

  private routeParameters(def: Node): string[] {
    const decorated = def.parent;
    if (decorated?.type !== "decorated_definition" || !this.webApp) return [];
    const out: string[] = [];
    const params = (def.childForFieldName("parameters")?.namedChildren ?? []).filter((p): p is Node => !!p);
    const nameOf = (p: Node) => (p.type === "identifier" ? p.text : (p.childForFieldName("name")?.text ?? p.namedChildren[0]?.text ?? ""));
    for (const d of decorated.namedChildren) {
      if (d?.type !== "decorator") continue;
      const m = /\.(route|get|post|put|delete|patch|api_route|websocket)\s*\(\s*(?:path\s*=\s*)?(?:[rRuU]?)(["'])([^"']*)\2/.exec(d.text);
      if (!m) continue;
      const path = m[3] ?? "";
      const inPath = new Set([...path.matchAll(/<(?:\w+:)?(\w+)>|\{(\w+)(?::[^}]*)?\}/g)].map((x) => x[1] ?? x[2] ?? ""));
      for (const p of params) {
        const name = nameOf(p);
        if (!name || name === "self" || name === "request") continue;
        const type = p.childForFieldName("type")?.text ?? "";
        const value = p.childForFieldName("value")?.text ?? "";
        if (/\bDepends\s*\(/.test(value)) continue;
        if (inPath.has(name) || (m[1] !== "route" && this.imported.has("fastapi") && /^(?:str|Optional\[str\]|str\s*\|\s*None)$/.test(type))) out.push(name);
      }
    }
    return out;
  }

  /** A pathlib `/` join (directly, in brackets, or the value of a name assigned one): `base / name`. */
  private pathJoin(n: Node | null | undefined, depth = 0): boolean {
    if (!n || depth > 3) return false;
    if (n.type === "parenthesized_expression") return this.pathJoin(n.namedChildren[0], depth + 1);
    if (n.type === "binary_operator") return n.childForFieldName("operator")?.text === "/" && this.value(n).kind !== "number";
    if (n.type === "identifier") return this.pathJoin(this.constAt.get(n.text)?.childForFieldName("right"), depth + 1);
    if (n.type === "call") {
      // (base / name).resolve(), .absolute(), .expanduser(): still that path
      const fn = n.childForFieldName("function");
      return (
        fn?.type === "attribute" &&
        /^(?:resolve|absolute|expanduser|with_suffix)$/.test(fn.childForFieldName("attribute")?.text ?? "") &&
        this.pathJoin(fn.childForFieldName("object"), depth + 1)
      );
    }
    return false;
  }

  /** Every tainted name in the path passed a check that keeps it inside its directory (`if ".." in name: return`), here or where the path was built. */
  private pathChecked(path: Node, depth = 0): boolean {
    if (depth > 3) return false;
    const ids = path.type === "identifier" ? [path] : path.descendantsOfType("identifier").filter((x): x is Node => !!x);
    const tainted = ids.filter((id) => this.tainted.has(id.text));
    if (tainted.length === 0) return false;
    return tainted.every((id) => {
      if (this.isValidated(id.text, id, true)) return true;
      const right = this.constAt.get(id.text)?.childForFieldName("right");
      return !!right && right.startIndex < id.startIndex && this.pathChecked(right, depth + 1);
    });
  }

  /**
   * A path reduced to its last component (`os.path.basename`, `secure_filename`), or (session 29) joined under a
   * folder by Werkzeug's or Flask's `safe_join`, which gives None (or raises NotFound) for a path that would leave it;
   * here or where the name was assigned.
   */
  private cleanPath(n: Node, depth = 0): boolean {
    if (depth > 4) return false;
    if (n.type === "call") {
      const q = this.qualify(n.childForFieldName("function"));
      if (/(?:^|\.)(?:basename|secure_filename)$/.test(q) || /^(?:werkzeug(?:\.utils|\.security)?|flask(?:\.helpers)?)\.safe_join$/.test(q)) return true;
      if (/^os\.path\.join$|^posixpath\.join$/.test(q)) {
        const parts = (n.childForFieldName("arguments")?.namedChildren ?? []).filter((a) => a && a.type !== "comment");
        return parts.every((p) => (!this.isTainted(p) && !this.fromDatabase(p)) || this.cleanPath(p!, depth + 1));
      }
      return false;
    }
    if (n.type === "identifier") {
      const right = this.constAt.get(n.text)?.childForFieldName("right");
      return !!right && right.startIndex < n.startIndex && this.cleanPath(right, depth + 1);
    }
    if (n.type === "binary_operator") {
      const parts = [n.childForFieldName("left"), n.childForFieldName("right")];
      return parts.every((p) => !p || (!this.isTainted(p) && !this.fromDatabase(p)) || this.cleanPath(p, depth + 1));
    }
    return false;
  }

  /**
   * A command or argument that is constant only because names in it hold the program's own constants on
   * every path (a dead branch, a container read under a constant key, a checked value): nothing from
   * outside reaches the shell, and no literal is written at the call for a reviewer to see.
   */
  private constantThroughNames(n: Node | undefined): boolean {
    if (!n || isStringLiteral(n) || this.value(n).kind !== "string") return false;
    if (n.type === "subscript") return this.element(n) !== undefined || this.containerElement(n) !== undefined;
    // Names inside a quoting or numeric call (`tpl % shlex.quote(host)`, `int(n)`) add only a quoted word or a number.
    const ids = n.type === "identifier" ? [n] : this.variablesIn(n);
    return ids.length > 0 && ids.every((id) => this.ownData(id) || this.isValidated(id.text, id) || this.safeNames.has(id.text));
  }

  /**
   * Text built at the call from constants and at least one value that passed a check above (`f"do_{op}()"` with
   * `op` allow-listed) or was picked from a constant container (`op = ALLOWED[i]`): data from outside picks it, but
   * only among the allowed words. Text built from the
   * program's own constants alone (`eval(code.format("x"))`) stays `low`, as a literal does.
   */
  private checkedTemplate(n: Node): boolean {
    if ((this.validated.size === 0 && this.picked.size === 0) || !this.constantThroughNames(n)) return false;
    return this.variablesIn(n).some((id) => this.picked.has(id.text) || this.isValidated(id.text, id));
  }

  /**
   * The names an expression reads as variables, in one walk: not a called function's name, not a method's or
   * attribute's own name (`format` in `tpl.format(…)`), and nothing inside a call that yields a number or a
   * quoted word (`shlex.quote(host)`, `int(n)`: they add only that).
   */
  private variablesIn(top: Node): Node[] {
    const out: Node[] = [];
    const stack: Node[] = [top];
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (x.type === "identifier") {
        const p = x.parent;
        if (p?.type === "call" || (p?.type === "attribute" && p.childForFieldName("attribute")?.id === x.id)) continue;
        out.push(x);
        continue;
      }
      if (x.type === "call" && this.safeScalarCall(x)) continue;
      for (const c of x.namedChildren) if (c) stack.push(c);
    }
    return out;
  }

  /**
   * Text written out at the sink itself from literals, numbers and quoted values (`"ls -l"`, `"a %d" %
   * int(v)`, `"ls " + shlex.quote(f)`, `["sh", "-c", "ls"]`): no data can change what it does, so a shell,
   * evaluator or loader given it is not an injection and is not reported (session 8; before, `low`).
   */
  /**
   * Session 18: an unsafe API given only the program's own constants (a literal in the call, or names holding
   * one). Nothing from outside reaches it, so it is not an injection, but Bandit, linters and fixers report the
   * API itself: `low`, so that reading is there and default gates (`--fail-on high` or `medium`) skip it.
   */
  private constantUse(key: "shell" | "yamlLoad" | "deserialization" | "evalExec", n: Node, api: string, what: string): void {
    this.hit(key, n, `${api} ${what}: unsafe API, constant input (nothing from outside reaches it)`, api, "low");
    this.hits[this.hits.length - 1]!.constantUse = true;
  }

  /**
   * Data reduced to a number or a quoted word inside a constant text (`"sleep %d" % n`, `f"ls {shlex.quote(d)}"`,
   * `tpl % int(i)`): not a constant use — outside data is there, made harmless (the usual fix), so not reported.
   */
  private dataWord(n: Node | null | undefined): boolean {
    if (!n) return false;
    const stack: Node[] = [n];
    for (let seen = 0; stack.length > 0 && seen < 4096; seen++) {
      const x = stack.pop()!;
      if (this.safeScalarCall(x)) {
        const args = (x.childForFieldName("arguments")?.namedChildren ?? []).filter((a) => a && a.type !== "comment");
        if (!args.every((a) => isStringLiteral(a!) || a!.type === "integer" || a!.type === "float")) return true;
        continue;
      }
      if (x.type === "binary_operator" && x.childForFieldName("operator")?.text === "%") {
        const left = x.childForFieldName("left");
        const right = x.childForFieldName("right");
        if (left && isStringLiteral(left) && numericFormat(stringContent(left)) && right && !this.ownData(right) && !this.writtenConstant(right)) return true;
      }
      if (x.type === "identifier" && this.checkedName(x)) return true;
      for (const c of x.namedChildren) if (c) stack.push(c);
    }
    return false;
  }

  /** A name that passed an allow-list or format check above: data chose it among allowed words (not a constant use). */
  private checkedName(n: Node | null | undefined): boolean {
    return n?.type === "identifier" && this.validated.size > 0 && this.isValidated(n.text, n);
  }

  /** `Loader=` names a safe PyYAML loader (SafeLoader, CSafeLoader, BaseLoader or a subclass of one in this file). */
  private yamlSafeLoaderGiven(loader: Node | undefined): boolean {
    if (!loader) return false;
    const own = loader.type === "identifier" ? this.yamlLoaderClasses.get(loader.text) : undefined;
    if (own) return own.safe;
    return SAFE_YAML_LOADERS.has(this.qualify(loader).split(".").pop() ?? "");
  }

  private writtenConstant(n: Node | null | undefined, depth = 0): boolean {
    if (!n || depth > 8) return false;
    if (isStringLiteral(n) || n.type === "integer" || n.type === "float") return true;
    switch (n.type) {
      case "parenthesized_expression":
      case "list":
      case "tuple":
        return n.namedChildren.length > 0 && n.namedChildren.every((c) => !c || c.type === "comment" || this.writtenConstant(c, depth + 1));
      case "binary_operator": {
        const left = n.childForFieldName("left");
        // "sleep %d" % n: every conversion is numeric, so whatever n is, only a number is written
        if (n.childForFieldName("operator")?.text === "%" && left && isStringLiteral(left) && numericFormat(stringContent(left))) return true;
        return this.writtenConstant(left, depth + 1) && this.writtenConstant(n.childForFieldName("right"), depth + 1);
      }
      case "string":
        // an f-string whose every interpolation is written out or a safe scalar
        return n.namedChildren.every((c) => c?.type !== "interpolation" || this.writtenConstant(c.namedChildren[0], depth + 1) || this.safeScalarCall(c.namedChildren[0]));
      case "call": {
        if (this.safeScalarCall(n)) return true;
        const fn = n.childForFieldName("function");
        const method = fn?.type === "attribute" ? fn.childForFieldName("attribute")?.text : undefined;
        if (!method || !/^(?:format|replace|join|strip|lower|upper|encode)$/.test(method)) return false;
        const args = (n.childForFieldName("arguments")?.namedChildren ?? []).filter((a) => a && a.type !== "comment");
        return (
          this.writtenConstant(fn?.childForFieldName("object"), depth + 1) &&
          args.every((a) => this.writtenConstant(a?.type === "keyword_argument" ? a.childForFieldName("value") : a, depth + 1) || this.safeScalarCall(a))
        );
      }
      default:
        return false;
    }
  }

  /** A call that yields a number or a shell-quoted word whatever its argument (`int(v)`, `len(x)`, `shlex.quote(f)`). */
  private safeScalarCall(n: Node | null | undefined): boolean {
    return n?.type === "call" && SAFE_SCALAR_CALLS.has(this.qualify(n.childForFieldName("function")));
  }

  /**
   * Tornado's templates escape every `{{ }}` with `xhtml_escape` unless the application setting, the loader or the
   * template says `autoescape=None` (Tornado's documentation: "May be set to None to disable escaping"). Session 36:
   * `tornado.web.Application(…, autoescape=None)`, also through `**settings` when `settings` is a dict literal or
   * `dict(…)` assigned in the same scope above the call, and `tornado.template.Loader`/`DictLoader`/`Template`
   * given `autoescape=None`. A named escape function, the default, and other libraries' `Application` are not it.
   */
  private tornadoAutoescape(n: Node, q: string, kw: Map<string, Node>): void {
    if (!/^tornado\.(?:web\.Application|template\.(?:Loader|DictLoader|Template))$/.test(q)) return;
    let off = kw.has("autoescape") && this.value(kw.get("autoescape")).kind === "none";
    let via = "";
    if (!kw.has("autoescape") && q === "tornado.web.Application")
      for (const a of n.childForFieldName("arguments")?.namedChildren ?? []) {
        const name = a?.type === "dictionary_splat" ? a.namedChildren[0] : undefined;
        const dict = name?.type === "identifier" ? this.dictAssignedAbove(name.text, n) : name;
        if (dict && this.dictSetsNone(dict, "autoescape")) {
          off = true;
          via = ` through **${name!.text}`;
          break;
        }
      }
    if (!off) return;
    const plain = q.replace(/\(\)/g, "");
    this.hit("templateAutoescape", n, `${plain}(autoescape=None)${via}: Tornado templates then print values unescaped (cross-site scripting)`, q);
  }

  /** The dict literal or `dict(…)` call last assigned to `name` in the scope of `at`, above it. */
  private dictAssignedAbove(name: string, at: Node): Node | undefined {
    const scope = enclosingScope(at);
    let found: Node | undefined;
    for (const a of scope?.descendantsOfType("assignment") ?? []) {
      if (!a || a.startIndex >= at.startIndex || a.childForFieldName("left")?.text !== name) continue;
      const right = a.childForFieldName("right") ?? undefined;
      found = right?.type === "dictionary" || (right?.type === "call" && right.childForFieldName("function")?.text === "dict") ? right : undefined;
    }
    return found;
  }

  /** A dict literal `{"key": None}` or `dict(key=None)` call. */
  private dictSetsNone(n: Node, key: string): boolean {
    if (n.type === "dictionary")
      return n.namedChildren.some((p) => p?.type === "pair" && stringContent(p.childForFieldName("key") ?? p) === key && this.value(p.childForFieldName("value")).kind === "none");
    if (n.type === "call" && n.childForFieldName("function")?.text === "dict")
      return (n.childForFieldName("arguments")?.namedChildren ?? []).some(
        (k) => k?.type === "keyword_argument" && k.childForFieldName("name")?.text === key && this.value(k.childForFieldName("value")).kind === "none",
      );
    return false;
  }

  /**
   * Server-side template injection: a template's *source* built from data or taken from a request. Jinja2,
   * Django, Mako and Tornado templates run expressions (`{{ ''.__class__.__mro__ … }}`, `${…}`, `{% … %}`)
   * with access to Python objects, so whoever writes the template text runs code (CWE-1336, a kind of
   * CWE-94). Values handed to a constant template as context are data and stay safe; Jinja2's sandboxed
   * environments are the documented way to render untrusted templates.
   */
  private template(n: Node, q: string, method: string, positional: Node[], kw: Map<string, Node>): void {
    if (method === "Environment") {
      // Jinja2 escapes nothing unless told to: HTML rendered from such an environment carries markup from its values (XSS).
      if (!/^jinja2\.(?:environment\.)?Environment$/.test(q)) return;
      const auto = kw.get("autoescape");
      if (auto && this.truthy(auto) === false) this.hit("templateAutoescape", n, "jinja2.Environment(autoescape=False): values are not HTML-escaped (cross-site scripting)", q);
      else if (!auto && !(n.childForFieldName("arguments")?.namedChildren ?? []).some((a) => a?.type === "dictionary_splat"))
        // Session 13: Jinja2's default is autoescape=False. Low: many environments render text that is not HTML.
        this.hit(
          "templateAutoescape",
          n,
          "jinja2.Environment() without autoescape= escapes nothing (Jinja2's default): if it renders HTML, pass autoescape=select_autoescape()",
          q,
          "low",
        );
      return;
    }
    // django.template.engines["django"].from_string(text): the configured Django engine, by its alias.
    const holder = n.childForFieldName("function")?.childForFieldName("object");
    const djangoAlias = method === "from_string" && holder?.type === "subscript" && this.qualify(holder.childForFieldName("value")) === "django.template.engines";
    if (djangoAlias) q = "django.template.engines[].from_string";
    const engine = djangoAlias
      ? "django"
      : q === "flask.render_template_string" || q === "quart.render_template_string"
        ? "flask"
        : /^jinja2\.(?:environment\.)?Template$/.test(q) || /^jinja2\.(?:environment\.)?Environment\(\)\.from_string$/.test(q)
          ? "jinja2"
          : /^django\.template\.(?:base\.)?Template$/.test(q) || /^django\.template\.(?:engine\.)?Engine(?:\(\)|\.get_default\(\))\.from_string$/.test(q)
            ? "django"
            : /^mako\.template\.Template$/.test(q)
              ? "mako"
              : /^tornado\.template\.Template$/.test(q)
                ? "tornado"
                : undefined;
    if (!engine) return; // string.Template only substitutes $names; sandboxed Jinja2 environments are the fix
    const source = positional[0] ?? kw.get("source") ?? kw.get("template_string") ?? kw.get("text") ?? kw.get("template");
    if (!source || this.constantThroughNames(source) || this.writtenConstant(source)) return;
    const plain = q.replace(/\(\)/g, "");
    if (this.isTainted(source)) {
      this.hit("templateInjection", n, `${plain} renders a template whose text comes from a request or a model's output: template injection runs code on the server`, q);
      return;
    }
    if (this.fromDatabase(source)) {
      this.hit("templateInjection", n, `${plain} renders template text read back from a database: stored template syntax runs as code on the server`, q, "medium");
      return;
    }
    const v = this.value(source);
    if (v.kind === "built-string")
      this.hit(
        "templateInjection",
        n,
        `${plain} renders template text built from values: a value holding template syntax runs as template code (pass values as context variables instead)`,
        q,
        this.webApp ? "high" : "medium",
      );
  }

  /**
   * Session 36: `if not check(x): abort(…)` (or raise, return) above `eval(x)`, in the same block or an enclosing
   * one, with `x` not bound again in between, where `check` is a function of the file that parses its one
   * parameter with `ast.parse` and walks every node of the tree with an allow-list of node types
   * (`astAllowListPredicate`). eval then runs text whose syntax tree holds only the allowed nodes: the text
   * parsed is the text evaluated, and a comment the parser drops eval drops too. So this clears eval/exec/compile
   * only, never a shell command or a query built from the same text.
   */
  private astPredicateGuard(arg: Node | undefined, at: Node): boolean {
    if (arg?.type !== "identifier" || !this.imported.has("ast")) return false;
    const name = arg.text;
    const scope = enclosingScope(at);
    if (!scope) return false;
    const rebound = (from: number) =>
      scope!.descendantsOfType(["assignment", "augmented_assignment", "for_statement", "named_expression"]).some((a) => {
        if (!a || a.startIndex < from || a.startIndex >= at.startIndex) return false;
        const target = a.type === "named_expression" ? a.childForFieldName("name") : a.childForFieldName("left");
        return !!target && (target.text === name || target.descendantsOfType("identifier").some((i) => i?.text === name));
      });
    // `if not f(name):` tests of the scope, by the name tested: read once per scope
    let tests = this.notCallTests.get(scope.id);
    if (!tests) {
      tests = new Map();
      for (const c of scope.descendantsOfType("if_statement")) {
        if (!c || c.childForFieldName("alternative")) continue;
        const cond = c.childForFieldName("condition");
        const call = cond?.type === "not_operator" ? cond.childForFieldName("argument") : undefined;
        const fn = call?.type === "call" ? call.childForFieldName("function") : undefined;
        const args = (call?.childForFieldName("arguments")?.namedChildren ?? []).filter((a) => a && a.type !== "comment");
        if (fn?.type !== "identifier" || args.length !== 1 || args[0]?.type !== "identifier") continue;
        const list = tests.get(args[0].text) ?? [];
        list.push({ test: c, fn: fn.text });
        tests.set(args[0].text, list);
      }
      this.notCallTests.set(scope.id, tests);
    }
    for (const { test: c, fn } of tests.get(name) ?? []) {
      if (c.endIndex > at.startIndex) continue;
      const block = c.parent;
      if (!block || block.startIndex > at.startIndex || at.endIndex > block.endIndex) continue;
      const body = c.childForFieldName("consequence");
      if (!body || !leaves(body) || !this.astAllowListPredicate(fn, at.tree.rootNode) || rebound(c.endIndex)) continue;
      return true;
    }
    return false;
  }
  private readonly notCallTests = new Map<number, Map<string, { test: Node; fn: string }[]>>();

  /**
   * A module-level function `check(p)` of one parameter whose returns are all `True`/`False`, that binds
   * `t = ast.parse(p, …)`, walks `for node in ast.walk(t):` and returns True only after that loop, where the
   * loop either starts a test `if not isinstance(node, ALLOWED): return False` (or raise), or ends with
   * `return False` (or raise) that only `continue`s inside `if isinstance(node, ALLOWED):` skip. ALLOWED has
   * no call, no attribute access and no catch-all node class (`AST`, `expr`, `stmt`, `mod`, `object`). Memoised.
   */
  private astAllowListPredicate(fnName: string, root: Node): boolean {
    const known = this.astPredicates.get(fnName);
    if (known !== undefined) return known;
    let ok = false;
    const defs = root.namedChildren.filter((d) => d?.type === "function_definition" && d.childForFieldName("name")?.text === fnName);
    const def = defs.length === 1 ? defs[0]! : undefined;
    const params = (def?.childForFieldName("parameters")?.namedChildren ?? []).filter((x) => x && x.type !== "comment");
    const p0 = params.length === 1 ? params[0] : undefined;
    const param = p0?.type === "identifier" ? p0.text : p0?.type === "typed_parameter" ? p0.namedChildren[0]?.text : undefined;
    const body = def?.childForFieldName("body");
    if (def && param && body) {
      const own = (n: Node) => {
        for (let q = n.parent; q; q = q.parent) if (q.type === "function_definition" || q.type === "lambda" || q.type === "class_definition") return q.id === def.id;
        return false;
      };
      const returns = body.descendantsOfType("return_statement").filter((r): r is Node => !!r && own(r));
      const verdict = (r: Node, v: "true" | "false") => r.namedChildren.find((x) => x && x.type !== "comment")?.type === v;
      const trees = body
        .descendantsOfType("assignment")
        .filter((a): a is Node => {
          const right = a?.childForFieldName("right");
          const first = right?.childForFieldName("arguments")?.namedChildren.find((x) => x && x.type !== "comment");
          return (
            !!a &&
            own(a) &&
            a.childForFieldName("left")?.type === "identifier" &&
            right?.type === "call" &&
            this.qualify(right.childForFieldName("function")) === "ast.parse" &&
            first?.type === "identifier" &&
            first.text === param
          );
        })
        .map((a) => a.childForFieldName("left")!.text);
      const loops = body.descendantsOfType("for_statement").filter((f): f is Node => {
        const right = f?.childForFieldName("right");
        const walked = right?.type === "call" ? right.childForFieldName("arguments")?.namedChildren.find((x) => x && x.type !== "comment") : undefined;
        return (
          !!f &&
          own(f) &&
          f.childForFieldName("left")?.type === "identifier" &&
          this.qualify(right?.childForFieldName("function") ?? null) === "ast.walk" &&
          walked?.type === "identifier" &&
          trees.includes(walked.text)
        );
      });
      ok =
        returns.length > 0 &&
        returns.every((r) => verdict(r, "true") || verdict(r, "false")) &&
        loops.some((loop) => returns.every((r) => !verdict(r, "true") || r.startIndex > loop.endIndex) && this.allowListLoop(loop));
    }
    this.astPredicates.set(fnName, ok);
    return ok;
  }
  private readonly astPredicates = new Map<string, boolean>();

  /** The loop of `astAllowListPredicate`: every node of the walk is of an allowed type, or the function leaves. */
  private allowListLoop(loop: Node): boolean {
    const node = loop.childForFieldName("left")!.text;
    const body = loop.childForFieldName("body");
    const stmts = (body?.namedChildren ?? []).filter((x): x is Node => !!x && x.type !== "comment");
    const allowed = (cond: Node | null | undefined, negated: boolean): boolean => {
      let c = cond;
      if (negated) c = c?.type === "not_operator" ? c.childForFieldName("argument") : undefined;
      if (c?.type !== "call" || c.childForFieldName("function")?.text !== "isinstance") return false;
      const [subject, types] = (c.childForFieldName("arguments")?.namedChildren ?? []).filter((x) => x && x.type !== "comment");
      if (subject?.type !== "identifier" || subject.text !== node || !types) return false;
      const named = types.type === "identifier" ? this.constAt.get(types.text)?.childForFieldName("right") : undefined;
      const text = (named ?? types).text;
      return !/\b(?:Call|Attribute|AST|expr|stmt|mod|object)\b/.test(text);
    };
    // `if not isinstance(node, ALLOWED): return False` first in the loop
    const first = stmts[0];
    if (first?.type === "if_statement" && !first.childForFieldName("alternative") && allowed(first.childForFieldName("condition"), true)) {
      const then = first.childForFieldName("consequence");
      if (then && leaves(then)) return true;
    }
    // `… return False` last, reached unless an allow-listed isinstance test continues
    const last = stmts[stmts.length - 1];
    if (!last || !((last.type === "return_statement" && last.namedChildren.find((x) => x && x.type !== "comment")?.type === "false") || last.type === "raise_statement"))
      return false;
    const inLoop = (n: Node) => {
      for (let q = n.parent; q && q.id !== loop.id; q = q.parent) if (q.type === "for_statement" || q.type === "while_statement" || q.type === "function_definition") return false;
      return true;
    };
    if (body!.descendantsOfType("break_statement").some((b) => !!b && inLoop(b))) return false;
    return body!.descendantsOfType("continue_statement").every((k) => {
      if (!k || !inLoop(k)) return true;
      const top = stmts.find((st) => st.startIndex <= k.startIndex && k.endIndex <= st.endIndex);
      if (top?.type !== "if_statement" || top.childForFieldName("alternative")) return false;
      const then = top.childForFieldName("consequence");
      return !!then && then.startIndex <= k.startIndex && allowed(top.childForFieldName("condition"), false);
    });
  }

  /**
   * Code compiled from a syntax tree whose every node was checked first (after the session-10 held-out
   * run): `tree = ast.parse(x)` walked with `ast.walk(tree)` and an allow-list of node types that leaves
   * the function or skips the evaluation (`if not isinstance(node, ALLOWED): raise`, `if any(not
   * isinstance(n, ALLOWED) for n in ast.walk(tree)): … else: eval(compile(tree, …))`, `not all(…)`), where
   * ALLOWED has no calls and no attribute access; or, for an expression (`mode="eval"`: no decorators), a
   * deny-list that rejects calls. A deny-list in `exec` mode is not enough (a decorator calls without a
   * Call node), nor is a check that only logs.
   */
  private astVetted(arg: Node | undefined, at: Node): boolean {
    if (!arg || !this.imported.has("ast")) return false;
    const assigned = (name: string) => {
      const a = this.constAt.get(name);
      return a && a.startIndex < at.startIndex ? (a.childForFieldName("right") ?? undefined) : undefined;
    };
    const isCompile = (x: Node | undefined) => x?.type === "call" && this.qualify(x.childForFieldName("function")) === "builtins.compile";
    let node: Node | undefined = arg;
    if (node.type === "identifier" && isCompile(assigned(node.text))) node = assigned(node.text);
    if (node && isCompile(node))
      node = (node.childForFieldName("arguments")?.namedChildren ?? []).find((a) => a && a.type !== "comment" && a.type !== "keyword_argument") ?? undefined;
    if (node?.type !== "identifier") return false;
    const tree = node.text;
    const parsed = assigned(tree);
    if (parsed?.type !== "call" || this.qualify(parsed.childForFieldName("function")) !== "ast.parse") return false;
    const exprMode =
      /\bmode\s*=\s*["']eval["']/.test(parsed.text) ||
      (parsed.childForFieldName("arguments")?.namedChildren ?? []).some((a) => a?.type === "string" && stringContent(a) === "eval");
    const scope = enclosingScope(at);
    if (!scope) return false;
    const walks = (t: string) => new RegExp(`\\bast\\.walk\\(\\s*${tree}\\s*\\)`).test(t);
    const types = (t: string) => {
      // The type list of `isinstance(x, TYPES)`: written there or a name assigned a tuple above.
      const m = /isinstance\(\s*[\w.]+\s*,\s*([\w.]+)\s*\)/.exec(t);
      const named = m?.[1] && /^\w+$/.test(m[1]) ? assigned(m[1])?.text : undefined;
      return named ?? t;
    };
    const allowList = (t: string) => !/\bast\.(?:Call|Attribute)\b|\b(?:Call|Attribute)\b/.test(types(t));
    const leaves = (block: Node | null) => !!block && block.descendantsOfType(["raise_statement", "return_statement"]).length > 0;
    const inside = (outer: Node | null | undefined) => !!outer && outer.startIndex <= at.startIndex && at.endIndex <= outer.endIndex;
    for (const c of scope.descendantsOfType(["for_statement", "if_statement"])) {
      if (!c || c.startIndex >= at.startIndex) continue;
      if (c.type === "for_statement") {
        if (!walks(c.childForFieldName("right")?.text ?? "")) continue;
        for (const i of c.childForFieldName("body")?.descendantsOfType("if_statement") ?? []) {
          const cond = i?.childForFieldName("condition")?.text ?? "";
          if (!leaves(i?.childForFieldName("consequence") ?? null)) continue;
          if (/^not\s+isinstance\(/.test(cond) && allowList(cond)) return true;
          if (exprMode && /^isinstance\(/.test(cond) && /\bCall\b/.test(types(cond))) return true;
        }
        continue;
      }
      const cond = c.childForFieldName("condition")?.text ?? "";
      if (!walks(cond) || !allowList(cond)) continue;
      if (!/^(?:any\(\s*not\s+isinstance\(|not\s+all\(\s*isinstance\()/.test(cond)) continue;
      const alternative = c.childForFieldName("alternative");
      if (leaves(c.childForFieldName("consequence")) || inside(alternative)) return true;
    }
    return false;
  }

  /**
   * TLS left at a library default that does not verify: the standard library's mail and FTP clients
   * without `context=` (see STDLIB_TLS), and ldap3's `Server(use_ssl=True)` without `tls=` (its default
   * `Tls()` validates nothing). Reported at medium: nothing is switched off in the code, but nothing checks
   * the server either.
   */
  private defaultTls(n: Node, q: string, positional: Node[], kw: Map<string, Node>, splat: boolean): void {
    if (splat) return;
    const plain = q.replace(/\(\)/g, "");
    if (q === "ldap3.Server") {
      if (this.truthy(kw.get("use_ssl")) === true && !kw.has("tls"))
        this.hit(
          "tls",
          n,
          "ldap3.Server(use_ssl=True) without tls=: ldap3's default Tls() does not validate the server's certificate (pass tls=Tls(validate=ssl.CERT_REQUIRED))",
          q,
          "medium",
        );
      return;
    }
    const context = kw.get("context") ?? kw.get("ssl_context");
    // starttls(keyfile, certfile, context) / imaplib starttls(ssl_context) / poplib stls(context): a positional context counts.
    const given = context ?? (/\.(?:starttls|stls)$/.test(q) ? positional[/^smtplib/.test(q) ? 2 : 0] : undefined);
    if (given && this.value(given).kind !== "none") return;
    this.hit(
      "tls",
      n,
      `${plain} without context=: the standard library then uses ssl._create_stdlib_context(), which does not verify the server's certificate (pass context=ssl.create_default_context())`,
      q,
      "medium",
    );
  }

  /**
   * Keras `load_model`: what protects the load depends on the file's format. safe_mode (default on) guards
   * the `.keras` zip; the legacy HDF5 loader (`.h5`/`.hdf5`) rebuilds Lambda layers from marshalled bytecode
   * and ignored safe_mode before Keras 3.11.3 (CVE-2025-9905) — tf_keras has no safe_mode for it at all; a
   * SavedModel directory (tf.keras 2) restores a TensorFlow graph. So a path that ends in `.keras` is safe
   * with the default, `.h5` is not, and a path whose format cannot be seen is reported low (tf_keras: medium).
   */
  private kerasLoad(n: Node, q: string, file: Node | undefined, safeMode: Node | undefined): void {
    const plain = q.replace(/\(\)/g, "");
    if (safeMode && this.value(safeMode).kind === "false") {
      this.hit("kerasUnsafe", n, `${plain}(safe_mode=False) deserialises Lambda layers: the model file can run code`, q);
      return;
    }
    if (safeMode && this.truthy(safeMode) !== true) {
      this.hit("kerasUnsafe", n, `${plain} with a non-literal safe_mode: Lambda layers run code when it is false`, q, "medium");
      return;
    }
    if (!file) return;
    const tail = this.pathTail(file);
    if (tail !== undefined && /\.(?:h5|hdf5)$/i.test(tail)) {
      this.hit("kerasUnsafe", n, `${plain}(…${tail.slice(-24)}) uses the legacy HDF5 loader, which safe_mode does not cover (Keras < 3.11.3, tf_keras): Lambda layers run code`, q);
      return;
    }
    // `.keras`, or safe_mode=True written out: what the Keras documentation asks for; only a visible .h5 is reported then.
    if ((tail !== undefined && /\.keras$/i.test(tail)) || safeMode) return;
    const legacy = /^tf_keras\b/.test(q);
    this.hit(
      "kerasUnsafe",
      n,
      `${plain} on a file whose format is not evident: safe_mode guards only .keras files; an HDF5 file's Lambda layers run code (load only .keras files you trust)`,
      q,
      legacy ? "medium" : "low",
    );
  }

  /** The constant end of a path expression (`"m.h5"`, `f"{d}/m.h5"`, `os.path.join(d, "m.h5")`, `Path(d) / "m.h5"`), if the code shows it. */
  private pathTail(n: Node | null | undefined, depth = 0): string | undefined {
    if (!n || depth > 8) return undefined;
    switch (n.type) {
      case "string": {
        const v = this.value(n);
        if (v.kind === "string" && !n.namedChildren.some((c) => c?.type === "interpolation")) return v.text;
        // f"{d}/model.h5": the text after the last interpolation.
        const parts = n.namedChildren.filter((c) => c?.type === "string_content" || c?.type === "interpolation");
        const last = parts[parts.length - 1];
        return last?.type === "string_content" ? last.text : undefined;
      }
      case "identifier": {
        const v = this.value(n);
        if (v.kind === "string") return v.text;
        const at = this.constAt.get(n.text);
        const right = at?.childForFieldName("right");
        return right && right !== n && at && at.startIndex < n.startIndex ? this.pathTail(right, depth + 1) : undefined;
      }
      case "parenthesized_expression":
        return this.pathTail(n.namedChildren[0], depth + 1);
      case "binary_operator": {
        const op = n.childForFieldName("operator")?.text;
        return op === "+" || op === "/" ? this.pathTail(n.childForFieldName("right"), depth + 1) : undefined;
      }
      case "call": {
        const fn = n.childForFieldName("function");
        const last = fn?.type === "attribute" ? fn.childForFieldName("attribute")?.text : fn?.text;
        const args = (n.childForFieldName("arguments")?.namedChildren ?? []).filter((a): a is Node => !!a && a.type !== "comment" && a.type !== "keyword_argument");
        if (last === "join" || last === "joinpath" || last === "Path" || last === "PurePath" || last === "PosixPath" || last === "with_suffix" || last === "with_name")
          return this.pathTail(args[args.length - 1], depth + 1);
        return undefined;
      }
      default:
        return undefined;
    }
  }

  /** `cmd` checked against an allow-list above, or `"sep".join(parts)` where every element of `parts` was (see loopElementCheck). */
  private checkedCommand(cmd: Node | undefined): boolean {
    if (!cmd || this.validated.size === 0) return false;
    if (cmd.type === "identifier") return this.isValidated(cmd.text, cmd);
    if (cmd.type !== "call") return false;
    const fn = cmd.childForFieldName("function");
    const obj = fn?.type === "attribute" ? fn.childForFieldName("object") : null;
    const args = (cmd.childForFieldName("arguments")?.namedChildren ?? []).filter((a) => a && a.type !== "comment");
    return (
      fn?.childForFieldName("attribute")?.text === "join" &&
      !!obj &&
      isStringLiteral(obj) &&
      args.length === 1 &&
      args[0]?.type === "identifier" &&
      this.isValidated(args[0].text, args[0])
    );
  }

  /**
   * Session 29: a command a helper of this file builds from its parameters and written-out text only (`def
   * cat(f): return "cat {}".format(f)`), called with arguments that passed a check above or are constants
   * (`if not is_safe(f): return …; os.system(cat(f))`): the same command built inline is not reported either.
   */
  private checkedThroughHelper(cmd: Node | undefined): boolean {
    if (cmd?.type !== "call" || this.validated.size === 0) return false;
    const local = this.localFunction(cmd.childForFieldName("function"));
    if (!local || !this.plainReturns(local.def) || !builtFromParameters(local.def, local.params)) return false;
    const args = (cmd.childForFieldName("arguments")?.namedChildren ?? []).filter((a) => a && a.type !== "comment");
    if (args.some((a) => a?.type === "keyword_argument" || a?.type === "list_splat" || a?.type === "dictionary_splat")) return false;
    return args.some((a) => this.checkedName(a)) && args.every((a) => this.checkedName(a) || this.writtenConstant(a));
  }

  /**
   * A command sink called with no command (`os.system()`, `exec_command(None)`, `subprocess.run(shell=True)` alone):
   * nothing runs (a TypeError or an empty command), so there is nothing to inject. A `*args` splat may hold one, and
   * `functools.partial(subprocess.run, shell=True)` leaves the command to its callers.
   */
  private noCommand(call: Node, cmd: Node | undefined): boolean {
    if (cmd) return cmd.type === "none";
    if ((call.childForFieldName("arguments")?.namedChildren ?? []).some((a) => a?.type === "list_splat" || a?.type === "dictionary_splat")) return false;
    return this.qualify(call.childForFieldName("function")) !== "functools.partial";
  }

  /**
   * Session 32: the builtin evaluator handed to something that calls it later with arguments given beside it —
   * `Thread`/`Process(target=eval, args=[x])`, `Timer(t, exec, args=…)`, `executor.submit(eval, x)`,
   * `loop.run_in_executor(ex, eval, x)`, `loop.call_soon(eval, x)`, `pool.apply_async(eval, (x,))`, `map(eval, xs)`
   * (builtin, pool or executor): the text it runs is judged as in a direct call, reported at this call.
   */
  private handedEvaluator(n: Node): void {
    const fn = n.childForFieldName("function");
    const kw = new Map<string, Node>();
    const positional: Node[] = [];
    for (const a of n.childForFieldName("arguments")?.namedChildren ?? []) {
      if (!a || a.type === "comment") continue;
      const key = a.type === "keyword_argument" ? a.childForFieldName("name")?.text : undefined;
      const value = a.childForFieldName("value");
      if (key && value) kw.set(key, value);
      else if (a.type !== "keyword_argument") positional.push(a);
    }
    const name = (fn?.type === "attribute" ? fn.childForFieldName("attribute")?.text : fn?.text) ?? "";
    const evaluator = (x: Node | undefined) => {
      if (x?.type !== "identifier" || !/^(?:eval|exec|compile)$/.test(x.text)) return undefined;
      const q = this.qualify(x);
      return q === `builtins.${x.text}` && !this.locallyRebound(n, x.text) ? q : undefined;
    };
    const elements = (x: Node | undefined): Node[] | undefined => {
      if (!x) return undefined;
      if (x.type === "list" || x.type === "tuple" || x.type === "parenthesized_expression") return x.namedChildren.filter((c): c is Node => !!c && c.type !== "comment");
      if (x.type === "identifier" && this.listElems.has(x.text) && !this.mutated.has(x.text)) return [...this.listElems.get(x.text)!];
      return [x]; // a sequence the walk does not know: its items are of unknown origin
    };
    let callable: Node | undefined;
    let items: Node[] | undefined;
    if (kw.has("target") || (name === "Timer" && (kw.has("function") || positional.length >= 2))) {
      callable = kw.get("target") ?? kw.get("function") ?? positional[1];
      items = elements(kw.get("args") ?? (name === "Timer" ? positional[2] : undefined));
    } else if (/^(?:submit|call_soon|call_soon_threadsafe)$/.test(name)) {
      callable = positional[0];
      items = positional.slice(1);
    } else if (name === "run_in_executor") {
      callable = positional[1];
      items = positional.slice(2);
    } else if (/^(?:apply|apply_async)$/.test(name)) {
      callable = positional[0];
      items = elements(positional[1] ?? kw.get("args"));
    } else if (/^(?:map|imap|imap_unordered|map_async)$/.test(name)) {
      callable = positional[0];
      // each item of the iterable is a text to run: the first one not written out decides
      const all = elements(positional[1]) ?? [];
      const open = all.find((x) => !isStringLiteral(x));
      items = open ? [open] : all;
    }
    const q = evaluator(callable);
    const first = items?.[0];
    if (q && first && first.type !== "list_splat" && first.type !== "keyword_argument") this.evalSource(n, q, callable!.text, first);
  }

  /**
   * Session 32: a constant string that exec/eval/compile runs is Python code the program wrote: it is parsed and
   * analysed as a file (its common indentation removed, as a reader takes a block written inside a function), never
   * run. An injection finding of medium or more in it (`eval(request…)`, a shell command or SQL built from input, an
   * `eval` of an unknown value) is reported at the call that runs the string, at that finding's severity.
   */
  private embeddedFinding(n: Node, q: string, method: string, text: string | undefined): boolean {
    if (!this.embedded || !text || text.length > 65536 || !/[(=]/.test(text)) return false;
    const worst = this.embedded(dedent(text))
      .filter((h) => EMBEDDED_INJECTIONS.has(h.rule.id) && (h.severity === "critical" || h.severity === "high" || h.severity === "medium"))
      .sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity))[0];
    if (!worst) return false;
    this.hit(
      "evalExec",
      n,
      `${method}() runs code written in a string, and that code has a finding: ${worst.rule.id} at its line ${worst.line} (${worst.message})`,
      q,
      worst.severity,
    );
    return true;
  }

  /** The text eval/exec/compile runs (`first`), at the call `n` that runs it. */
  private evalSource(n: Node, q: string, method: string, first: Node): void {
    const v = this.value(first);
    if (v.kind === "string" && this.embeddedFinding(n, q, method, first.type === "string" ? decodedString(first) : v.text)) return;
    // A value checked above (one quoted literal, an allow-listed word) or the program's own constant on
    // every path here: no data from outside reaches the evaluator.
    if (first && !isStringLiteral(first) && (this.ownData(first) || (first.type === "identifier" && this.isValidated(first.text, first)))) {
      if (this.constantUses && !this.checkedName(first)) this.constantUse("evalExec", n, `${method}()`, "runs the program's own text as code");
      return;
    }
    if (this.astVetted(first, n) || this.astPredicateGuard(first, n)) return;
    // The text of a Python file the program names itself (`exec(open("pkg/version.py").read())` in a setup
    // script): running the project's own source, as an import would, not text from outside.
    if (v.kind !== "string" && this.ownSourceText(first)) {
      if (this.constantUses) this.constantUse("evalExec", n, `${method}()`, "runs the text of the project's own Python file");
      return;
    }
    if (v.kind !== "string") this.hit("evalExec", n, `${method}() on a value that is not a constant string: code injection if it comes from data, a request or a model`, q);
    // A constant is not injectable, but it is still code run from a string (as a constant shell command is still a shell): low.
    else if (isStringLiteral(first) || first.type === "binary_operator" || first.type === "call" || first.type === "string") {
      // a literal, or text built only from literals and numbers (`"…%d" % int(v)`): nothing can be injected
      if (this.checkedTemplate(first)) return;
      if (this.writtenConstant(first)) {
        if (this.constantUses && !this.dataWord(first)) this.constantUse("evalExec", n, `${method}()`, "runs text written in the program as code");
      } else this.hit("evalExec", n, `${method}() of a constant string: not injectable, but write the code itself instead of evaluating text`, q, "low");
    }
    // A name that held a constant somewhere in the file: names are tracked file-wide, not per scope, so it may hold data here.
    else this.hit("evalExec", n, `${method}() of a variable that holds a constant string elsewhere in the file: check it cannot hold data here`, q, "medium");
  }

  private shellHit(n: Node, q: string, cmd: Node | undefined): void {
    if (this.noCommand(n, cmd)) return;
    const v = this.value(cmd);
    const plain = q.replace(/\(\)/g, "");
    // With a shell, a list's first element is the script; the others are the shell's own $0, $1 …
    const script = cmd?.type === "list" || cmd?.type === "tuple" ? (cmd.namedChildren.find((c) => c?.type !== "comment") ?? undefined) : cmd;
    // A command that passed a check above (an allow-listed word, every element of an allow-listed argv joined): nothing from outside picks it.
    if (this.constantThroughNames(cmd) || this.constantAttribute(cmd) || this.constantContainer(cmd) || this.writtenConstant(script)) {
      if (this.constantUses && !this.checkedCommand(script) && !this.checkedName(cmd) && !this.dataWord(cmd))
        this.constantUse("shell", n, plain, "runs a constant command through the shell");
      return;
    }
    if (this.checkedCommand(script) || this.checkedName(cmd) || this.checkedThroughHelper(script)) return;
    if (v.kind === "string" || ((cmd?.type === "list" || cmd?.type === "tuple") && this.literal(cmd)))
      this.hit(
        "shell",
        n,
        cmd?.type === "identifier"
          ? `${plain} runs a command held in a name that is constant elsewhere in the file: check it cannot hold data here`
          : `${plain} runs a command built from constants through the shell`,
        q,
        "low",
      );
    else this.hit("shell", n, `${plain} runs a command built at runtime through the shell: shell injection if any part is untrusted`, q);
  }

  private archive(n: Node, q: string, kw: Map<string, Node>): void {
    const filter = this.value(kw.get("filter"));
    if (kw.has("filter") && !(filter.kind === "string" && filter.text === "fully_trusted")) return;
    const members = kw.get("members");
    const vetting = members ? this.vettedMembers(members, n) : "no";
    if (vetting === "vetted") return;
    const receiver = q.slice(0, q.lastIndexOf("."));
    const isZip = /zipfile/i.test(receiver) || (/^\?|^[a-z_]\w*$/.test(receiver) && this.imported.has("zipfile") && !this.imported.has("tarfile"));
    const isTar = /tarfile/.test(receiver) || (!isZip && this.imported.has("tarfile"));
    const partly = vetting === "partly" ? " (the member list does not reject absolute names, ../ parts and links all three)" : "";
    if (q.endsWith("shutil.unpack_archive")) {
      this.hit("archive", n, "shutil.unpack_archive without filter='data' extracts tar members with ../ or absolute paths", q, "medium");
    } else if (isTar) {
      this.hit(
        "archive",
        n,
        `tarfile extractall without filter='data': members with ../ paths, absolute paths or links escape the target folder${partly}`,
        q,
        vetting === "partly" ? "medium" : undefined,
      );
    }
    // zipfile extractall: not a finding (see the zipfile extract decision in call()).
  }

  /**
   * Whether `extractall(members=…)` hands over a vetted list. Not vetted: None, the archive itself, its raw
   * getmembers(); a list built (or a filter function written) in this file is vetted only if its code rejects
   * absolute names or checks containment (a `..` test alone lets `/etc/x` through) *and* rejects links, or
   * uses tarfile's own data_filter. A list from elsewhere (an imported helper) is trusted: it cannot be read.
   */
  private vettedMembers(m: Node, call: Node): "vetted" | "partly" | "no" {
    if (m.type === "none") return "no";
    const receiver = call.childForFieldName("function")?.childForFieldName("object")?.text;
    if (receiver !== undefined && m.text === receiver) return "no";
    let region: string | undefined;
    if (m.type === "call") {
      const fn = m.childForFieldName("function");
      const method = fn?.type === "attribute" ? fn.childForFieldName("attribute")?.text : undefined;
      if (method && /^(?:getmembers|getnames|infolist|namelist)$/.test(method)) return "no";
      const local = fn?.type === "identifier" ? this.functions.get(fn.text) : undefined;
      if (!local) return "vetted";
      region = local.text;
    } else if (m.type === "identifier") {
      // The statements of the scope from the list's first write up to the extraction.
      const scope = enclosingScope(call);
      const text = scope?.text ?? "";
      const offset = scope?.startIndex ?? 0;
      // The last statement that binds the name before the call (not a `members=` keyword argument).
      const binds = [...text.matchAll(new RegExp(`^[ \\t]*${m.text}[ \\t]*(?::[^=\\n]*)?=(?!=)`, "gm"))].filter((b) => b.index < call.startIndex - offset);
      const first = binds[binds.length - 1];
      if (!first) return "vetted"; // a parameter or a global from elsewhere
      region = text.slice(first.index, Math.max(first.index, call.startIndex - offset));
      if (/^\s*\w+\s*=\s*[\w.]+\.(?:getmembers|getnames)\(\)\s*$/m.test(region.split("\n")[0] ?? "") && !/\b(?:if|filter|remove|del)\b/.test(region)) return "no";
    } else if ((m.type === "list" || m.type === "tuple") && m.namedChildren.every((c) => !c || c.type === "comment" || c.type === "string")) {
      return "vetted"; // [] or names written in the code: nothing the archive chose
    } else {
      // A literal list or comprehension: its own text and the loops or branches around the call.
      let around: Node | null = call.parent;
      while (around && around.type !== "for_statement" && around.type !== "function_definition" && around.type !== "module") around = around.parent;
      region = `${m.text}\n${around?.type === "for_statement" ? around.text : ""}`;
    }
    if (/\b(?:data_filter|tar_filter)\b/.test(region)) return "vetted";
    return VETTED_PATH_CHECK.test(region) && VETTED_LINK_CHECK.test(region) ? "vetted" : "partly";
  }

  /**
   * Zip slip by hand: `for m in archive.namelist()/infolist()/getmembers()/getnames()` (or over a tar archive)
   * whose body writes to a path built from the member's name (`open(os.path.join(dest, m), "wb")`,
   * `shutil.copy/move`, `Path(...).write_bytes`) with no containment check in the loop.
   */
  private archiveLoop(n: Node): void {
    const left = n.childForFieldName("left");
    const right = n.childForFieldName("right");
    const body = n.childForFieldName("body");
    if (left?.type !== "identifier" || !right || !body || !this.archiveMembers(right, n)) return;
    if (MEMBER_CONTAINED.test(body.text)) return;
    // Names the member's name reaches inside the loop (one pass in order, enough for `t = join(d, m.filename)`).
    const names = [left.text];
    const mentions = (x: Node | null | undefined) => !!x && names.some((v) => new RegExp(`\\b${v}\\b`).test(x.text));
    for (const a of body.descendantsOfType("assignment")) {
      const l = a?.childForFieldName("left");
      if (l?.type === "identifier" && mentions(a?.childForFieldName("right"))) names.push(l.text);
    }
    for (const c of body.descendantsOfType("call")) {
      const fn = c?.childForFieldName("function");
      if (!c || !fn) continue;
      const q = this.qualify(fn);
      const args = (c.childForFieldName("arguments")?.namedChildren ?? []).filter((a): a is Node => !!a && a.type !== "comment");
      const positional = args.filter((a) => a.type !== "keyword_argument");
      const keyword = (k: string) => args.find((a) => a.type === "keyword_argument" && a.childForFieldName("name")?.text === k)?.childForFieldName("value");
      let paths: Array<Node | null | undefined> = [];
      if (/^shutil\.(?:copy|copy2|copyfile|move|copytree)$/.test(q)) paths = [positional[0], positional[1], keyword("src"), keyword("dst")];
      else if (q === "open" || q === "io.open" || q === "builtins.open") {
        const mode = positional[1] ?? keyword("mode");
        const mv = this.value(mode);
        if (mode && mv.kind === "string" && /[wax]/.test(mv.text ?? "")) paths = [positional[0] ?? keyword("file")];
      } else if (fn.type === "attribute" && /^(?:write_bytes|write_text)$/.test(fn.childForFieldName("attribute")?.text ?? "")) paths = [fn.childForFieldName("object")];
      if (paths.some((p) => mentions(p)))
        this.hit(
          "archive",
          c,
          "an archive member's name is used as a file path without checking it stays in the target folder (zip slip): resolve the path and check it is inside the target, or extract with filter='data'",
          q,
        );
    }
  }

  /** Whether a loop's iterable is an archive's member list (zipfile/tarfile), directly or through a name holding one. */
  private archiveMembers(right: Node, loop: Node): boolean {
    const memberCall = (x: Node) => {
      if (x.type !== "call") return false;
      const fn = x.childForFieldName("function");
      const method = fn?.type === "attribute" ? fn.childForFieldName("attribute")?.text : undefined;
      if (!method || !/^(?:namelist|infolist|getmembers|getnames)$/.test(method)) return false;
      const q = this.qualify(fn);
      return !/^inspect\./.test(q) && (method === "namelist" || method === "infolist" || /tarfile|TarFile/.test(q) || this.imported.has("tarfile"));
    };
    if (memberCall(right)) return true;
    if (right.type !== "identifier") return false;
    const q = this.qualify(right);
    if (/\.(?:namelist|infolist|getnames|getmembers)\(\)$/.test(q) && !/^inspect\./.test(q)) return true;
    if (/^tarfile\.(?:open|TarFile)(?:\.open)?\(\)$/.test(q)) return true; // iterating a tar archive yields its members
    // `names = zf.namelist()` earlier in the same scope.
    const scope = enclosingScope(loop);
    return new RegExp(`\\b${right.text}\\s*=\\s*[\\w.]+\\.(?:namelist|infolist|getnames|getmembers)\\(\\)`).test(scope?.text ?? "");
  }

  // ---- session 24: decompression bombs, error details in responses, argument injection ----------------

  /** Runs decompressionBomb on an archive call; true when the call was an archive sink handled here (extract, read, decompress). */
  private bombCall(n: Node, fn: Node, last: string): boolean {
    const { positional, kw } = callArguments(n);
    this.decompressionBomb(n, fn, last, this.qualify(fn), positional, kw);
    return !INTERESTING.has(last);
  }

  /**
   * CWE-409: an archive or compressed stream unpacked whole — `extractall`/`extract`/`unpack_archive`, a whole
   * member read (`zf.read(name)`, `zf.open(name).read()`, `gzip.open(p).read()`), `gzip/bz2/lzma/zlib.decompress`
   * — when the data comes from input (request, command line, a public function's parameter) and the scope
   * bounds no size: no comparison of `file_size`/`.size`/`st_size`/`getsize` (or of a name summing them), and
   * no `read(n)`. A constant path is the project's own archive; a whole-stream read of a caller's file is low
   * (data loaders read their own sets that way); a source that is neither (a computed name) is not reported.
   */
  private decompressionBomb(n: Node, fn: Node, last: string, q: string, positional: Node[], kw: Map<string, Node>): void {
    const receiver = fn.type === "attribute" ? fn.childForFieldName("object") : null;
    let source: Node | undefined;
    let what: string;
    const extraction = last === "extractall" || last === "extract" || last === "unpack_archive";
    if (last === "unpack_archive") {
      if (q !== "shutil.unpack_archive") return;
      source = positional[0] ?? kw.get("filename");
      what = "shutil.unpack_archive";
    } else if (last === "decompress") {
      if (!/^(?:gzip|bz2|lzma|zlib)\.decompress$/.test(q)) return;
      if (positional.length > 1 || kw.has("bufsize") || kw.has("max_length")) return;
      source = positional[0] ?? kw.get("data");
      what = q;
    } else {
      // only receivers whose type says archive (`zipfile.ZipFile().read`, `gzip.open().read`): `f.read()` is everywhere
      if (!/^(?:zipfile|tarfile|gzip|bz2|lzma)\./.test(q)) return;
      // read(n) is bounded; only a zip archive's own read(name) reads a whole member
      if (last === "read" && (positional.length > 0 || kw.size > 0) && !/^zipfile\.ZipFile\(\)\.read$/.test(q)) return;
      const archive = receiver ? this.archiveOrigin(receiver, n) : undefined;
      if (!archive) return;
      if (last === "read") {
        // a whole member or stream: `zf.read(name)` reads the whole member; `f.read()` on an opened member or gzip stream too
        const isZipRead = archive.module === "zipfile" && archive.depth === 0;
        if (!isZipRead && (positional.length > 0 || kw.size > 0)) return;
      } else if (archive.module === "gzip" || archive.module === "bz2" || archive.module === "lzma") return;
      source = archive.source;
      what = `${archive.module} ${last}`;
    }
    if (!source) return;
    // members=[] extracts nothing; members=pick(tar) with a local function that compares sizes is bounded there
    const members = kw.get("members");
    if (members?.type === "list" && members.namedChildren.every((c) => !c || c.type === "comment")) return;
    const picker = members?.type === "call" ? this.localFunction(members.childForFieldName("function")) : undefined;
    if (picker && this.sizeBounded(picker.def.childForFieldName("body") ?? picker.def, true)) return;
    const origin = this.bombSource(source, n, 0);
    // a source that is neither input nor a caller's (a computed name, a module global) is not reported: mostly the project's own files
    if (!origin || origin === "unknown") return;
    if (this.sizeBounded(n)) return;
    const from = origin === "input" ? "from a request or the command line" : "passed in by the caller";
    this.hit(
      "decompressionBomb",
      n,
      `${what} unpacks data ${from} with no size limit: a small archive can expand to fill the disk or memory (decompression bomb); check member sizes and their sum first`,
      q,
      // a whole stream read from a caller's file is how loaders read their own data sets: low unless it is input
      origin === "parameter" && !extraction ? "low" : undefined,
    );
  }

  /** The archive behind a receiver (`zf`, `zipfile.ZipFile(p)`, `zf.open(name)`, `tar.extractfile(m)`): its module and the data it was opened on. */
  private archiveOrigin(receiver: Node, at: Node, depth = 0): { module: string; source: Node | undefined; depth: number } | undefined {
    if (depth > 3) return undefined;
    let r: Node | null = receiver;
    if (r.type === "identifier") r = this.boundValue(r.text, at);
    if (r?.type !== "call") return undefined;
    const fn = r.childForFieldName("function");
    if (!fn) return undefined;
    const q = this.qualify(fn);
    const m = /^(zipfile|tarfile|gzip|bz2|lzma)\.(?:ZipFile|open|TarFile(?:\.open)?|GzipFile|BZ2File|LZMAFile)$/.exec(q);
    if (m) {
      const args = (r.childForFieldName("arguments")?.namedChildren ?? []).filter((a): a is Node => !!a && a.type !== "comment");
      const source =
        args.find((a) => a.type !== "keyword_argument") ??
        args.find((a) => /^(?:file|name|filename|fileobj)$/.test(a.childForFieldName("name")?.text ?? ""))?.childForFieldName("value") ??
        undefined;
      return { module: m[1]!, source, depth };
    }
    // an opened member: zf.open(name), tar.extractfile(member)
    if (fn.type === "attribute" && /^(?:open|extractfile)$/.test(fn.childForFieldName("attribute")?.text ?? "")) {
      const inner = this.archiveOrigin(fn.childForFieldName("object")!, at, depth + 1);
      return inner && { ...inner, depth: depth + 1 };
    }
    return undefined;
  }

  /** The value last bound to a name in the scope of `at` before it (`x = …` or `with … as x`). */
  private boundValue(name: string, at: Node): Node | null {
    const scope = enclosingScope(at);
    if (!scope?.text.includes(name)) return null;
    let found: Node | null = null;
    const own = enclosingFunction(at)?.id;
    for (const b of scope.descendantsOfType(["assignment", "as_pattern"])) {
      if (!b || b.startIndex >= at.startIndex) break;
      if (enclosingFunction(b)?.id !== own) continue; // a binding inside a nested function is another name
      if (b.type === "assignment") {
        if (b.childForFieldName("left")?.text === name) found = b.childForFieldName("right");
      } else if (b.childForFieldName("alias")?.namedChildren[0]?.text === name && b.parent?.type === "with_item") found = b.namedChildren[0] ?? null;
    }
    return found;
  }

  /** Where the archive's data comes from: input, a public function's parameter, unknown, or a constant (undefined). */
  private bombSource(src: Node, at: Node, depth: number): "input" | "parameter" | "unknown" | undefined {
    if (this.isTainted(src)) return "input";
    if (this.literal(src) || this.value(src).kind === "string" || this.writtenConstant(src)) return undefined;
    const def = enclosingFunction(at);
    const name = def?.childForFieldName("name")?.text ?? "";
    if (def && !name.startsWith("_")) {
      const params = new Set(parameterNames(def));
      const ids = src.type === "identifier" ? [src] : src.descendantsOfType("identifier");
      if (
        ids.some(
          (i) =>
            i &&
            params.has(i.text) &&
            i.text !== "self" &&
            i.parent?.type !== "keyword_argument" &&
            !(i.parent?.type === "attribute" && i.parent.childForFieldName("attribute")?.id === i.id),
        )
      )
        return "parameter";
    }
    // a name bound in the scope (`fh = open(path, "rb")`, `buf = io.BytesIO(data)`): where its own argument comes from
    if (src.type === "identifier" && depth < 3) {
      const bound = this.boundValue(src.text, at);
      if (bound?.type === "call") {
        const arg = (bound.childForFieldName("arguments")?.namedChildren ?? []).find((a) => a && a.type !== "comment" && a.type !== "keyword_argument");
        if (arg) return this.bombSource(arg, bound, depth + 1);
        return undefined;
      }
      if (bound) return this.bombSource(bound, at, depth + 1);
    }
    if (src.type === "call") {
      const arg = (src.childForFieldName("arguments")?.namedChildren ?? []).find((a) => a && a.type !== "comment" && a.type !== "keyword_argument");
      if (arg && depth < 3) return this.bombSource(arg, at, depth + 1);
    }
    return "unknown";
  }

  /** Whether the scope of `at` compares a size (`m.file_size > MAX`, `total > LIMIT` after `total += m.size`, `os.path.getsize(p) < …`). */
  private sizeBounded(at: Node, isScope = false): boolean {
    let scope: Node | null = isScope ? at : at.parent;
    while (!isScope && scope && scope.type !== "function_definition" && scope.type !== "module") scope = scope.parent;
    if (!scope) return false;
    const text = scope.text;
    if (!SIZE_WORD.test(text)) return false;
    const sizeNames = new Set<string>();
    for (const a of scope.descendantsOfType(["assignment", "augmented_assignment"])) {
      const l = a?.childForFieldName("left");
      if (l?.type === "identifier" && SIZE_WORD.test(a?.childForFieldName("right")?.text ?? "")) sizeNames.add(l.text);
    }
    return scope.descendantsOfType("comparison_operator").some((c) => {
      if (!c) return false;
      if (SIZE_WORD.test(c.text)) return true;
      return c.descendantsOfType("identifier").some((i) => i && sizeNames.has(i.text));
    });
  }

  /**
   * CWE-209/215: a web handler whose response (a return, or the arguments of jsonify/render/HttpResponse/
   * `self.wfile.write` …) carries a traceback, `locals()`/`vars()`/`__dict__`, or a caught exception's text —
   * directly or through a name assigned one earlier in the handler. Logging them is not a response.
   */
  private errorExposure(def: Node): void {
    if (!isWebHandler(def, this.imported.has("django") || this.imported.has("rest_framework"))) return;
    const body = def.childForFieldName("body");
    if (!body) return;
    const caught = new Set<string>();
    for (const c of body.descendantsOfType("except_clause")) {
      const alias = c?.namedChildren.find((x) => x?.type === "as_pattern")?.childForFieldName("alias")?.namedChildren[0];
      if (alias?.type === "identifier") caught.add(alias.text);
    }
    const names = new Map<string, Exposure>();
    const qualify = (x: Node) => this.qualify(x);
    const inCaughtScope = (e: Node) => {
      for (let p = e.parent; p && p.id !== def.id; p = p.parent) if (p.type === "except_clause") return true;
      return false;
    };
    const reported: Array<[number, number]> = [];
    for (const x of body.descendantsOfType(["assignment", "return_statement", "call"])) {
      if (!x || enclosingFunction(x)?.id !== def.id) continue;
      if (reported.some(([s, e]) => x.startIndex >= s && x.endIndex <= e)) continue;
      if (x.type === "assignment") {
        const l = x.childForFieldName("left");
        const r = x.childForFieldName("right");
        if (l?.type !== "identifier" || !r) continue;
        // `response = render(…)`: the response call is judged (and reported) itself, not again where it is returned
        const fnOf = r.type === "call" ? r.childForFieldName("function") : null;
        const lastOf = fnOf?.type === "attribute" ? fnOf.childForFieldName("attribute")?.text : fnOf?.text;
        const found = RESPONSE_CALLS.test(lastOf ?? "") ? undefined : exposureIn(r, inCaughtScope(x) ? caught : new Set(), names, qualify);
        if (found) names.set(l.text, found);
        else names.delete(l.text);
        continue;
      }
      let data: Node | null | undefined;
      let where: string;
      if (x.type === "return_statement") {
        data = x.namedChildren.find((c) => c && c.type !== "comment");
        where = "returned";
      } else {
        const fn = x.childForFieldName("function");
        const last = fn?.type === "attribute" ? fn.childForFieldName("attribute")?.text : fn?.text;
        const writer =
          fn?.type === "attribute" && /^(?:write|finish|writelines)$/.test(last ?? "") && /^self\.(?:wfile\.)?$|^(?:response|resp)\.$/.test(fn.text.slice(0, -(last ?? "").length));
        if (!writer && !RESPONSE_CALLS.test(last ?? "")) continue;
        data = x.childForFieldName("arguments");
        where = `sent by ${fn?.text}`;
      }
      if (!data) continue;
      const found = exposureIn(data, inCaughtScope(x) ? caught : new Set(), names, qualify);
      if (!found) continue;
      reported.push([x.startIndex, x.endIndex]);
      this.hit(
        "errorExposure",
        x,
        `${found.what} is ${where} in a web handler's response: the client sees stack frames, paths, queries or values held in variables; log it and answer with a fixed message`,
        found.what,
        found.severity,
      );
    }
  }

  /**
   * CWE-88: argv execution (no shell) of a fixed program where an argument comes from a web request or a
   * model's output with no `--` before it and no check that it does not start with `-`: `shlex.split("find " +
   * name)`, `["git", "clone", url]`. The program itself from input is the shell rule's (programFromInput).
   */
  private argumentInjection(n: Node, q: string, cmd: Node): void {
    if (!(this.webApp || LLM_OUTPUT.test(this.source))) return;
    let parts: Node[] = [];
    let split = false;
    let c: Node | null = cmd;
    if (c.type === "identifier" && !this.listElems.has(c.text)) {
      const bound = this.boundValue(c.text, n);
      if (bound?.type === "call" && this.qualify(bound.childForFieldName("function")) === "shlex.split") c = bound;
    }
    if (c?.type === "call" && this.qualify(c.childForFieldName("function")) === "shlex.split") {
      // the split text's pieces in order: `"find " + name`, f"git log {ref}", "cmd %s" % x
      const text = c.childForFieldName("arguments")?.namedChildren.find((a) => a && a.type !== "comment");
      if (!text) return;
      split = true;
      parts = flattenConcat(text);
    } else if (c?.type === "list" || c?.type === "tuple") parts = c.namedChildren.filter((x): x is Node => !!x && x.type !== "comment");
    else if (c?.type === "identifier" && this.listElems.has(c.text)) parts = [...this.listElems.get(c.text)!];
    // constant text and the values placed between it, in order
    const pieces: Array<{ text?: string; node?: Node }> = [];
    for (const p of parts) {
      const v = this.value(p);
      if (v.kind === "string" && !this.isTainted(p)) pieces.push({ text: v.text ?? "" });
      else if (split && p.type === "string") {
        for (const ch of p.namedChildren) {
          if (ch?.type === "string_content") pieces.push({ text: ch.text });
          else if (ch?.type === "interpolation" && ch.namedChildren[0]) pieces.push({ node: ch.namedChildren[0] });
        }
      } else if (split && p.type === "binary_operator" && p.childForFieldName("operator")?.text === "%") {
        const fmt = this.value(p.childForFieldName("left"));
        const args = p.childForFieldName("right");
        if (fmt.kind !== "string" || !args) return;
        pieces.push({ text: (fmt.text ?? "").split("%")[0] ?? "" });
        for (const a of args.type === "tuple" ? args.namedChildren : [args]) if (a && a.type !== "comment") pieces.push({ node: a });
      } else pieces.push({ node: p });
    }
    const program = pieces[0]?.text?.trim().split(/\s+/)[0];
    if (!program || pieces.length < 2) return; // a program from input: the shell rule's
    const endsOptions = (t: string) => (split ? /(?:^|\s)--(?:\s|$)/.test(t) : t === "--");
    let ended = endsOptions(pieces[0]!.text!);
    for (const { text, node: p } of pieces.slice(1)) {
      if (text !== undefined || !p) {
        if (endsOptions(text ?? "")) ended = true;
        continue;
      }
      if (ended || p.type === "list_splat" || this.safeScalar(p) || !this.isTainted(p)) continue;
      if (this.optionChecked(p, n)) continue;
      this.hit(
        "argumentInjection",
        n,
        `${q.replace(/\(\)/g, "")} runs ${program} with \`${p.text.slice(0, 40)}\` from untrusted input before any \`--\`: a value starting with \`-\` is read as an option`,
        q,
      );
      return;
    }
  }

  /** `shlex.split(text)` whose text starts with a constant word (`"find " + name`, f"git log {ref}", `"tar %s" % x`). */
  private splitOfConstantProgram(call: Node): boolean {
    if (this.qualify(call.childForFieldName("function")) !== "shlex.split") return false;
    const text = call.childForFieldName("arguments")?.namedChildren.find((a) => a && a.type !== "comment");
    if (!text) return false;
    let first: Node | null | undefined = flattenConcat(text)[0];
    if (first?.type === "binary_operator" && first.childForFieldName("operator")?.text === "%") first = first.childForFieldName("left");
    if (!first) return false;
    if (!this.isTainted(first)) {
      const v = this.value(first);
      if (v.kind === "string") return /^\s*[\w./-]+/.test(v.text ?? "");
    }
    // an f-string: its leading literal text is the program's
    const lead = first.type === "string" ? first.namedChildren.find((c) => c?.type === "string_content" || c?.type === "interpolation") : undefined;
    return lead?.type === "string_content" && /^\s*[\w./-]+\s/.test(lead.text);
  }

  /** Whether the names in a value are checked not to start with `-` (`x.startswith("-")`, `x[0] == "-"`, `x.lstrip("-")`) in its function. */
  private optionChecked(p: Node, at: Node): boolean {
    const scope = enclosingScope(at);
    const text = scope?.text ?? "";
    const ids = p.type === "identifier" ? [p.text] : p.descendantsOfType("identifier").map((i) => i?.text ?? "");
    return ids.some((id) => id && new RegExp(`\\b${id}\\s*(?:\\.startswith\\(\\s*(?:\\(\\s*)?["']-|\\[\\s*0\\s*\\]\\s*(?:==|!=)\\s*["']-|\\.lstrip\\(\\s*["']-)`).test(text));
  }

  private unpinned(n: Node, name: string, positional: Node[], kw: Map<string, Node>, splat: boolean): void {
    const rev = kw.get("revision") ?? kw.get("commit_hash");
    if (rev) {
      this.movingRevision(n, name, rev);
      return;
    }
    if (splat) return; // revision may come through **kwargs
    const target = positional[0] ?? kw.get("pretrained_model_name_or_path") ?? kw.get("repo_id") ?? kw.get("path") ?? kw.get("model_name_or_path");
    const v = this.value(target);
    if (v.kind === "string") {
      const s = v.text ?? "";
      if (/^(?:\.{0,2}\/|~|[A-Za-z]:\\)/.test(s) || LOCAL_DATASET_BUILDERS.has(s)) return; // local path or a local-file builder
    } else if (target && /^(?:os\.path\.join|pathlib\.Path|Path)\b/.test(this.qualify(target.childForFieldName("function") ?? null))) return;
    if (target?.type === "identifier" && /(?:dir|path|folder|local|ckpt|checkpoint|output)/i.test(target.text)) return; // a local folder by name
    this.hit("unpinned", n, `${name} without revision= downloads whatever the repository holds now`, name);
  }

  /** revision= given as a literal that is not a commit sha: a branch or tag the owner can move. */
  private movingRevision(n: Node, name: string, rev: Node): void {
    const v = this.value(rev);
    if (v.kind !== "string" || COMMIT_SHA.test(v.text ?? "")) return; // a sha, or a variable we cannot see
    if (/^[0-9a-f]{7,39}$/i.test(v.text ?? "")) {
      // Most likely an abbreviated commit: meant as a pin, but a branch or tag may carry the same name.
      this.hit("unpinned", n, `${name} with revision="${v.text}": an abbreviated sha resolves like a branch or tag name; use the full 40-hex commit`, name, "low");
      return;
    }
    const what = /^(?:main|master|latest|head|dev|develop|trunk)$/i.test(v.text ?? "") ? "follows a moving branch" : "names a tag or branch, which can be moved or re-pointed";
    this.hit("unpinned", n, `${name} with revision="${v.text}" ${what}: pin a 40-hex commit sha`, name);
  }

  private server(n: Node, q: string, method: string, kw: Map<string, Node>, hostArg?: Node): void {
    if (!q.includes(".")) return; // a bare run(debug=True) is some local function, not a server
    const debug = this.value(kw.get("debug"));
    if (debug.kind === "true" && method !== "launch") {
      this.hit("debug", n, `${q.replace(/\(\)/g, "")}(debug=True) starts the interactive debugger: anyone who reaches it can run code`, q);
      return;
    }
    const hostNode = kw.get("host") ?? kw.get("server_name") ?? hostArg;
    const host = this.everyInterface(hostNode, false);
    if (host !== undefined) {
      this.hit("debug", n, `server bound to ${host}: reachable from every network interface`, q, "medium");
      return;
    }
    if (method === "launch" && this.value(kw.get("share")).kind === "true") this.hit("debug", n, "launch(share=True) publishes the app through a public tunnel URL", q, "medium");
  }

  private sql(n: Node, q: string, query: Node | undefined): void {
    if (!query) return;
    const v = this.value(query);
    // text(), TextClause() and RawSQL() take SQL by contract: a fragment built from data (`text("id = " + x)`) is SQL too.
    if (v.kind === "built-string" && (SQL_WORDS.test(v.text ?? "") || /\.(?:text|TextClause|RawSQL)$/.test(q))) {
      this.hit("sql", n, `SQL text built with string formatting is passed to ${q.replace(/\(\)/g, "")}: use query parameters`, q);
      this.sqlReported.push([n.startIndex, n.endIndex], ...this.sqlOrigins(query));
      return;
    }
    if (v.kind === "string" || this.safeScalar(query)) return;
    if (!this.isTainted(query)) {
      // execute(q) with q a name of unknown origin: not reported, but a function handing it a parameter wraps the sink.
      if (query.type === "identifier" && DB_RECEIVER.test(q.slice(0, -(q.split(".").pop() ?? "").length - 1)))
        this.sinkSites.push({ key: "sql", node: n, data: query, inner: q.replace(/\(\)/g, "") });
      return;
    }
    // users.select().where(users.c.name == name): an SQLAlchemy expression binds its values as parameters.
    if (this.sqlExpression(query)) return;
    // execute(text(x)): the text() call is a sink of its own and is judged there, once.
    if (query.type === "call" && /^sqlalchemy(?:\.sql)?(?:\.expression)?\.(?:text|TextClause)$/.test(this.qualify(query.childForFieldName("function")))) return;
    // The whole query text comes from a request, argv, stdin or a model's output: only where the
    // receiver is evidently a database (cursor, connection, session, engine, pandas, sqlalchemy).
    const method = q.split(".").pop() ?? "";
    const receiver = q.slice(0, -method.length - 1);
    const db =
      /^(?:read_sql|read_sql_query|text|TextClause|fetch|fetchrow|fetchval|run)$/.test(method) || (method === "raw" && /objects/.test(receiver)) || DB_RECEIVER.test(receiver);
    if (db) {
      this.hit("sql", n, `SQL text taken from untrusted input (request, argv, stdin or model output) is passed to ${q.replace(/\(\)/g, "")}: use query parameters`, q);
      this.sqlReported.push([n.startIndex, n.endIndex], ...this.sqlOrigins(query));
    }
  }

  /**
   * A SQLAlchemy query or select as a receiver: `session.query(User)`, `User.query`, a name ending in `query`,
   * `select(User)`, a chain of their clause methods, or a name last assigned one. Django's managers
   * (`.objects`) take field names, not SQL, and are not one.
   */
  private ormQuery(n: Node | null | undefined, depth = 0): boolean {
    if (!n || depth > 8 || n.text.includes(".objects")) return false;
    if (n.type === "identifier") {
      if (/(?:^|_)query$/i.test(n.text)) return true;
      const at = this.constAt.get(n.text);
      return at?.type === "assignment" && at.startIndex < n.startIndex && this.ormQuery(at.childForFieldName("right"), depth + 1);
    }
    if (n.type === "attribute") return n.childForFieldName("attribute")?.text === "query";
    if (n.type !== "call") return false;
    const fn = n.childForFieldName("function");
    if (fn?.type === "attribute") {
      const method = fn.childForFieldName("attribute")?.text ?? "";
      if (method === "query") return true; // session.query(User)
      return ORM_CHAIN_METHODS.has(method) && this.ormQuery(fn.childForFieldName("object"), depth + 1);
    }
    return /^sqlalchemy(?:\.sql)?(?:\.expression)?\.select$/.test(this.qualify(fn));
  }

  /**
   * `query.filter(f"name = '{x}'")`, `query.order_by(request.args["sort"])`: untrusted text given to a query's
   * clause method is pasted into the SQL as it stands (SQLAlchemy before 1.4; later versions refuse a plain
   * string there, so the code is wrong either way). Only text: a column, a comparison (`User.name == x`,
   * bound as a parameter) or another function's result (`desc(col)`, `getattr(User, col)`) is not.
   */
  private ormClauseText(n: Node, q: string, arg: Node): void {
    if (!this.isTainted(arg) || this.safeScalar(arg) || this.sqlExpression(arg)) return;
    let text: Node | null | undefined = arg;
    // a name: judged by what it was last assigned
    for (let i = 0; text?.type === "identifier" && i < 4; i++) {
      const at = this.constAt.get(text.text);
      if (at?.type !== "assignment" || at.startIndex > n.startIndex) break;
      text = at.childForFieldName("right");
    }
    if (!text) return;
    const t = text.type;
    const fn = t === "call" ? text.childForFieldName("function") : undefined;
    const isText =
      t === "identifier" ||
      t === "subscript" ||
      t === "string" ||
      t === "concatenated_string" ||
      (t === "binary_operator" && /^[+%]$/.test(text.childForFieldName("operator")?.text ?? "")) ||
      // "…{}".format(x), request.args.get("sort"), str(x)
      (fn?.type === "attribute" && /^(?:format|get|getlist)$/.test(fn.childForFieldName("attribute")?.text ?? "") && this.isTainted(text)) ||
      (fn?.type === "identifier" && fn.text === "str");
    if (!isText) return;
    const method = q.split(".").pop() ?? "";
    this.hit("sql", n, `untrusted text given to the query's ${method}() is pasted into the SQL: use column objects and bound parameters`, q);
    this.sqlReported.push([n.startIndex, n.endIndex], ...this.sqlOrigins(arg));
  }

  /**
   * An SQLAlchemy (or other query builder's) expression object, not SQL text: `select(t).where(…)`,
   * `users.select()`, `stmt.values(…)`, `text("… :id").bindparams(…)`, directly or through the name it was last
   * assigned to. Values compared or given inside become bound parameters. `str` has none of these methods, so
   * text from a request cannot be one; `text(f"…{x}")` is judged where `text` is called.
   */
  private sqlExpression(n: Node | null | undefined, depth = 0): boolean {
    if (!n || depth > 4) return false;
    if (n.type === "parenthesized_expression") return this.sqlExpression(n.namedChildren[0], depth + 1);
    if (n.type === "identifier") {
      const at = this.constAt.get(n.text);
      return at?.type === "assignment" && at.startIndex < n.startIndex && this.sqlExpression(at.childForFieldName("right"), depth + 1);
    }
    if (n.type !== "call") return false;
    const fn = n.childForFieldName("function");
    if (fn?.type === "attribute") return SQL_EXPRESSION_METHODS.has(fn.childForFieldName("attribute")?.text ?? "");
    return /^sqlalchemy(?:\.sql)?(?:\.expression)?\.(?:select|insert|update|delete|union|union_all|exists|lambda_stmt)$/.test(this.qualify(fn));
  }

  /** Notes the operands of a text-building `+`/`%`, the pieces of an implicit concatenation, the inside of parentheses (textParts). */
  private noteTextParts(n: Node): void {
    if (n.type === "binary_operator") {
      const op = n.childForFieldName("operator")?.text;
      if (op !== "+" && op !== "%") return;
    }
    for (const part of n.namedChildren) if (part) this.textParts.add(part.id);
  }

  /**
   * An expression that builds SQL text from a non-constant part (f-string, `+`, `%`, `.format`,
   * `.replace`, `join`): remembered as a place where SQL is built. Only the outermost expression of a
   * chain is a site; text that only mentions SQL words (messages, logs, prose) is not SQL.
   */
  private sqlBuildSite(n: Node): void {
    // First (it is cheap): a part of a larger expression is not a site, the outer one is. Tested before the
    // walk to the leftmost operand below, which costs the chain's depth: done for every link of a long
    // `a + b + …` chain, that walk made the chain quadratic (2,000 parts took 2.8 s).
    if (this.textParts.has(n.id)) return; // part of a larger expression: the outer one is the site
    if (n.type === "string") {
      const start = n.firstChild;
      if (!start || !/[fF]/.test(start.text)) return; // only f-strings build text
    } else if (n.type === "binary_operator") {
      const op = n.childForFieldName("operator")?.text;
      if (op !== "+" && op !== "%") return;
      // SQL text starts with its keyword, so the leftmost operand must be text: arithmetic is skipped cheaply.
      let first: Node | null = n;
      while (first?.type === "binary_operator" || first?.type === "parenthesized_expression")
        first = first.type === "binary_operator" ? first.childForFieldName("left") : (first.namedChildren[0] ?? null);
      if (!first) return;
      if (first.type === "identifier") {
        const k = this.consts.get(first.text)?.kind;
        if (k !== "string" && k !== "built-string") return;
      } else if (first.type !== "string" && first.type !== "concatenated_string" && first.type !== "call") return;
    } else {
      const fn = n.childForFieldName("function");
      const method = fn?.type === "attribute" ? fn.childForFieldName("attribute")?.text : undefined;
      if (method !== "format" && method !== "replace" && method !== "join") return;
    }
    const parent = n.parent; // only for the few candidates left: it costs the depth
    if (parent?.type === "attribute" && /^(?:format|replace)$/.test(parent.childForFieldName("attribute")?.text ?? "")) return; // "…".format(x): the call is the site
    if (!SQL_START.test(n.text)) return; // cheap text test before evaluating
    const v = this.value(n);
    if (v.kind !== "built-string" || !looksLikeSql(v.text ?? "") || this.messageContext(n)) return;
    this.sqlBuilt.push(n);
  }

  /** A Django settings module: it imports django or sets Django's own settings names. */
  private djangoSettings(): boolean {
    return this.imported.has("django") || /^(?:INSTALLED_APPS|ALLOWED_HOSTS|MIDDLEWARE|ROOT_URLCONF|DATABASES)\s*=/m.test(this.source);
  }

  /** Source ranges of the SQL-building expressions a query expression's text came from. */
  private sqlOrigins(n: Node): Array<[number, number]> {
    const out: Array<[number, number]> = [[n.startIndex, n.endIndex]];
    if (n.type === "call") out.push(...(this.summary(n.childForFieldName("function"))?.ranges ?? [])); // built inside a local function
    if (this.sqlFrom.size === 0) return out;
    const kinds = this.sqlAttributes ? ["identifier", "attribute"] : ["identifier"];
    for (const id of n.type === "identifier" || n.type === "attribute" ? [n] : n.descendantsOfType(kinds)) {
      const from = id ? this.sqlFrom.get(id.text) : undefined;
      if (from) out.push(...from);
    }
    return out;
  }

  /** SQL built where no sink reports it: one finding where it is built (Bandit B608's place). */
  private reportBuiltSql(): void {
    const covered = (x: Node) => this.sqlReported.some(([a, b]) => x.startIndex >= a && x.startIndex < b);
    for (const n of this.sqlBuilt) {
      if (covered(n)) continue;
      this.hit(
        "sql",
        n,
        "SQL text built with string formatting from a value that is not a constant: if any part is untrusted, that is SQL injection where it runs; use query parameters",
        undefined,
        "medium",
      );
    }
  }

  /** Text written for people: log and print calls, exceptions, warnings, asserts, bare string statements. */
  private messageContext(n: Node): boolean {
    for (let p: Node | null = n.parent, depth = 0; p && depth < 6; p = p.parent, depth++) {
      switch (p.type) {
        case "raise_statement":
        case "assert_statement":
          return true;
        case "expression_statement":
          return p.namedChildren.length === 1 && p.namedChildren[0]?.startIndex === n.startIndex;
        case "call": {
          const fn = p.childForFieldName("function");
          const last = fn?.type === "attribute" ? (fn.childForFieldName("attribute")?.text ?? "") : (fn?.text ?? "");
          return MESSAGE_CALL.test(last) || /^(?:log|logger|logging|LOG|LOGGER|_log|_logger)$/.test(fn?.childForFieldName("object")?.text ?? "");
        }
        case "block":
        case "function_definition":
        case "module":
          return false;
      }
    }
    return false;
  }

  /** Text from a request, argv, stdin or a language model's output, directly or through a variable assigned from one. */
  private isTainted(n: Node | null | undefined): boolean {
    if (!n || LITERAL_TYPES.has(n.type)) return false;
    if (n.type === "identifier" && this.validated.size > 0 && this.isValidated(n.text, n)) return false;
    if (n.type === "subscript" || (n.type === "call" && this.dictEntries.size > 0)) {
      const e = this.element(n);
      if (e) return e.tainted ?? this.isTainted(e.node);
    }
    if (n.type === "attribute" && this.carriers && this.builtFromInput(n.childForFieldName("object"))) return true;
    if (n.type === "call" && this.carriers && n.childForFieldName("function")?.text === "getattr") {
      // getattr(ctx, "payload") reads an attribute as ctx.payload does
      const holder = n.childForFieldName("arguments")?.namedChildren.find((a) => a && a.type !== "comment");
      if (this.builtFromInput(holder)) return true;
    }
    if (n.type === "conditional_expression") {
      const [a, cond, b] = n.namedChildren;
      const t = this.constTruth(cond ?? null);
      if (t !== undefined) return this.isTainted(t ? a : b);
      // `"true" if flag(x) else "false"`: the condition picks one of two constants (session 22).
      if (a && b && this.literal(a) && this.literal(b)) return false;
    }
    // `[x for x in items if …]` over a list holding untrusted input: the elements it keeps may be that input.
    if (COMPREHENSIONS.has(n.type) && !this.literal(n.childForFieldName("body")) && !this.safeScalar(n.childForFieldName("body"))) {
      for (const c of n.namedChildren) if (c?.type === "for_in_clause" && this.holdsTainted(c.childForFieldName("right"))) return true;
    }
    if (n.type === "call" && this.functions.size > 0) {
      // A function of this file: its result is untrusted when a return gives untrusted input or gives back a
      // parameter handed untrusted input here (`def clean(x): return int(x)` cleans; `return x.strip()` does not).
      const local = this.localFunction(n.childForFieldName("function"));
      if (local && this.plainReturns(local.def)) return (this.summary(n.childForFieldName("function"))?.tainted === true || this.returnsTaintedArgument(n)) && !this.safeScalar(n);
    }
    const text = n.text;
    if (n.type === "call" && this.external.size > 0) {
      // A function of another scanned file: its summary decides, as for a function of this file.
      const s = this.externalSummary(n.childForFieldName("function"));
      if (s) return this.externalTaint(n, s) && !this.safeScalar(n);
    }
    let hit =
      (n.type === "call" && this.summary(n.childForFieldName("function"))?.tainted === true) ||
      (this.external.size > 0 && this.externalInside(n)) ||
      REQUEST_SOURCE.test(text) ||
      this.streamlitInput?.test(text) === true ||
      LLM_OUTPUT.test(text) ||
      (text.includes("input") && /(?:^|[^.\w])(?:raw_)?input\s*\(/.test(text)) ||
      (text.includes("invoke") && /\b\w*(?:llm|chat|model|chain|agent)\w*\.a?invoke\s*\(/i.test(text));
    if (!hit && this.tainted.size > 0) {
      // Cheap text test first; walk the identifiers only when a tainted name occurs at all.
      for (const t of this.tainted) {
        if (!text.includes(t)) continue;
        hit =
          n.type === "identifier" || n.type === "attribute"
            ? this.tainted.has(text)
            : n
                .descendantsOfType(["identifier", "attribute"])
                .some((id) => id !== null && this.tainted.has(id.text) && id.parent?.type !== "keyword_argument" && !(this.validated.size > 0 && this.isValidated(id.text, id)));
        break;
      }
    }
    if (!hit && (this.listElems.size > 0 || this.dictEntries.size > 0) && n.type !== "subscript" && text.includes("[") && this.readsKnownElement(text)) {
      // `f"{row[0]}"`, `join(BASE, items[0])`: an element read inside a larger expression, as `x = items[0]` reads it (session 27)
      hit = n.descendantsOfType("subscript").some((sub) => {
        const e = sub ? this.element(sub) : undefined;
        return !!e && (e.tainted ?? this.isTainted(e.node));
      });
    }
    return hit && !this.safeScalar(n);
  }

  // ---- sink wrappers (session 14) -------------------------------------------------------------

  /**
   * A command runner by name (see COMMAND_RUNNER) whose definition is not in the scan, handed one command
   * string built at runtime or taken from input: `self._run_ssh('svctask mkfcmap -source %s' % src)`. Such a
   * string is split by a shell or a remote command line; an argument list (the usual fix) is not reported,
   * nor a constant, a quoted word or a number. Medium: the helper is judged by its name only.
   */
  private commandRunner(n: Node, fn: Node, name: string): void {
    if (this.localFunction(fn) || this.externalSummary(fn)) return; // its body is analysed: the wrapper rule decides
    // paramiko's own exec_command is judged by the shell rule (once, high), not a second time by its name.
    if (name === "exec_command" && this.imported.size > 0 && this.qualify(fn).includes("paramiko")) return;
    const cmd = sinkData(n);
    if (!cmd || cmd.type === "list" || cmd.type === "tuple" || this.literal(cmd) || this.safeScalar(cmd) || this.constantThroughNames(cmd)) return;
    const tainted = this.isTainted(cmd);
    const v = cmd.type === "identifier" ? (this.consts.get(cmd.text) ?? this.value(cmd)) : this.value(cmd);
    if (!tainted && v.kind !== "built-string") return;
    this.hit(
      "shell",
      n,
      `${name}() (by its name, it runs a command line) is given a command ${tainted ? "taken from untrusted input" : "built at runtime"} as one string: shell injection if any part is untrusted; pass an argument list`,
      fn.text,
      "medium",
    );
  }

  /**
   * The functions of this file whose parameters reach a sink found in this pass: a sink's data argument
   * names the parameter, directly or through names assigned inside the function from it (flow-insensitive,
   * one walk per function). Methods count with the receiver left out, as `self.f(x)` calls them.
   */
  wrapperSummaries(): Map<number, WrapperSink[]> {
    const out = new Map<number, WrapperSink[]>();
    for (const site of this.sinkSites) {
      const def = enclosingFunction(site.node);
      if (!def) continue;
      // Every function of the file: a call reaches it by a name it alone has, or as a method of its class.
      const params = positionalParameters(def);
      if (params[0] === "self" || params[0] === "cls") params.shift();
      const reached = this.parametersReaching(def, params, site.data);
      for (const k of reached) {
        const list = out.get(def.startIndex) ?? [];
        if (list.some((w) => w.param === k && w.key === site.key)) continue;
        list.push({
          param: k,
          name: params[k]!,
          key: site.key,
          inner: site.inner || site.node.childForFieldName("function")?.text || "a sink",
          line: site.node.startPosition.row + 1,
        });
        out.set(def.startIndex, list);
      }
    }
    return out;
  }

  /** Indices of `params` whose value can flow into `data` inside `def` (through at most one chain of local assignments). */
  private parametersReaching(def: Node, params: readonly string[], data: Node, textOnly = false): number[] {
    if (params.length === 0) return [];
    const flows = this.localFlows(def, textOnly);
    const seen = new Set<string>();
    const stack = data.type === "identifier" ? [data.text] : data.descendantsOfType("identifier").map((x) => x?.text ?? "");
    if (textOnly) stack.push(...elementReads(data));
    while (stack.length > 0) {
      const v = stack.pop()!;
      if (seen.has(v)) continue;
      seen.add(v);
      for (const from of flows.get(v) ?? []) if (!seen.has(from)) stack.push(from);
    }
    const out: number[] = [];
    params.forEach((p, k) => {
      if (seen.has(p)) out.push(k);
    });
    return out;
  }

  /**
   * Name → names its assignments inside the function read (a quoted or numeric value carries no syntax and is left out).
   * For text (`textOnly`), a container is not its parts: what a container holds is kept apart under `name[]` (session
   * 27), filled by its literal, a comprehension, `x[k] = v` and `x.append(v)`-like calls, and read only where an element
   * is taken out (`x[0]`, `x.get(k)`, `x.pop()`): `query = text, (user, pw)` still gives back no parameter as text,
   * while `items = [param]` … `return items[0]` gives back `param`.
   */
  private localFlows(def: Node, textOnly = false): Map<string, Set<string>> {
    const memo = textOnly ? this.textFlowsMemo : this.flowsMemo;
    let flows = memo.get(def.startIndex);
    if (flows) return flows;
    flows = new Map();
    const add = (name: string, from: Node, asElements: boolean) => {
      const set = flows!.get(name) ?? new Set<string>();
      for (const id of from.type === "identifier" ? [from] : from.descendantsOfType("identifier")) {
        if (!id) continue;
        set.add(id.text);
        if (asElements) set.add(`${id.text}[]`); // `x.extend(other)`: other's elements too
      }
      if (textOnly) for (const e of elementReads(from)) set.add(e);
      flows!.set(name, set);
    };
    for (const a of def.descendantsOfType(textOnly ? ["assignment", "augmented_assignment", "call"] : ["assignment", "augmented_assignment"])) {
      if (!a) continue;
      if (a.type === "call") {
        const fn = a.childForFieldName("function");
        const holder = fn?.type === "attribute" ? fn.childForFieldName("object") : undefined;
        const args = a.childForFieldName("arguments");
        if (holder?.type === "identifier" && args && ELEMENT_WRITES.has(fn!.childForFieldName("attribute")?.text ?? "")) add(`${holder.text}[]`, args, true);
        continue;
      }
      const left = a.childForFieldName("left");
      const right = a.childForFieldName("right");
      if (!left || !right) continue;
      if (textOnly && left.type === "subscript" && left.childForFieldName("value")?.type === "identifier") {
        add(`${left.childForFieldName("value")!.text}[]`, right, false);
        continue;
      }
      if (left.type !== "identifier") continue;
      if (right.type === "call" && SAFE_SCALAR_CALLS.has(this.qualify(right.childForFieldName("function")))) continue;
      if (textOnly && (CONTAINERS.has(right.type) || COMPREHENSIONS.has(right.type))) add(`${left.text}[]`, right, COMPREHENSIONS.has(right.type));
      else add(left.text, right, false);
    }
    memo.set(def.startIndex, flows);
    return flows;
  }
  private readonly flowsMemo = new Map<number, Map<string, Set<string>>>();
  private readonly textFlowsMemo = new Map<number, Map<string, Set<string>>>();

  /** A call to a function of this file: reported when it wraps a sink (found by the previous pass) and is handed data. */
  private localWrapperCall(n: Node, fn: Node): void {
    const local = this.localFunction(fn);
    if (!local) return;
    this.calledLocally.add(local.def.startIndex);
    const sinks = this.wrappers.get(local.def.startIndex);
    if (!sinks) return;
    const params = [...local.params];
    if (params[0] === "self" || params[0] === "cls") params.shift();
    this.wrapperCall(n, fn.text, params, sinks, false);
  }

  /**
   * `run("ls " + user)` where `def run(cmd): subprocess.call(cmd, shell=True)`: the argument given a wrapped
   * parameter is judged as the sink would judge it. Reported when it is untrusted input, or (shell, SQL,
   * eval/exec) text built at runtime from a part that is not a constant; a constant, a number, a quoted word
   * or a parameterised query's values (another position) stay safe. A plain name of unknown origin is left to
   * the sink's own finding inside the wrapper.
   */
  private wrapperCall(n: Node, callee: string, params: readonly string[], sinks: readonly WrapperSink[], elsewhere: boolean): void {
    const args: Node[] = [];
    const byName = new Map<string, Node>();
    for (const a of n.childForFieldName("arguments")?.namedChildren ?? []) {
      if (!a || a.type === "comment") continue;
      if (a.type === "list_splat" || a.type === "dictionary_splat") return; // positions unknown
      if (a.type === "keyword_argument") {
        const v = a.childForFieldName("value");
        if (v) byName.set(a.childForFieldName("name")?.text ?? "", v);
      } else args.push(a);
    }
    const reported = new Set<string>();
    for (const w of sinks) {
      const arg = args[w.param] ?? byName.get(w.name ?? params[w.param] ?? "");
      if (!arg || reported.has(w.key) || this.literal(arg) || this.safeScalar(arg)) continue;
      const tainted = this.isTainted(arg);
      const built = !tainted && w.key !== "deserialization" && w.key !== "torchLoad" && this.value(arg).kind === "built-string";
      if (!tainted && !built) continue;
      reported.add(w.key);
      const where = elsewhere ? `${w.inner} in the file that defines it (line ${w.line})` : `${w.inner} (line ${w.line})`;
      const what = tainted ? "untrusted input (request, argv, stdin or model output)" : "text built at runtime";
      const why =
        w.key === "shell"
          ? "shell injection if any part is untrusted"
          : w.key === "sql"
            ? "SQL injection: use query parameters"
            : w.key === "evalExec"
              ? "the text runs as Python code"
              : "loading untrusted data runs arbitrary code";
      this.hit(w.key, n, `${callee}() passes ${what} to ${where}, which it wraps: ${why}`, `${callee}→${w.inner}`);
      if (w.key === "sql") this.sqlReported.push([n.startIndex, n.endIndex], ...this.sqlOrigins(arg));
    }
  }

  // ---- results --------------------------------------------------------------------------------

  /** Session 25's XML, crypto, randomness, file-mode, JWT and temp-file rules (crypto-misuse.ts), made on the first call that may need them. */
  private crypto(): CryptoMisuse {
    this.cryptoMisuse ??= new CryptoMisuse({
      qualify: (n) => this.qualify(n),
      tainted: (n) => this.isTainted(n),
      constant: (n) => this.constEval(n),
      known: (n) => !!n && (this.constEval(n) !== undefined || isConstant(this.value(n)) || this.literal(n)),
      args: callArguments,
      // a module's name the file assigns without importing it is a variable (snippets that forgot the import still count)
      moduleName: (name) => this.imported.has(name) || !this.bindings.has(name),
      report: (rule, at, message, symbol, severity) => this.hit(rule, at, message, symbol, severity),
    });
    return this.cryptoMisuse;
  }

  private hit(key: keyof typeof CODE_RULES, n: Node, message: string, symbol?: string, severity?: Severity): void {
    const rule: CodeRule = CODE_RULES[key];
    if (WRAPPABLE.has(key) && n.type === "call" && (severity ?? rule.severity) !== "low") {
      const data = sinkData(n);
      if (data) this.sinkSites.push({ key: key as WrapKey, node: n, data, inner: (symbol ?? "").replace(/\(\)/g, "") });
    }
    const s = n.startPosition;
    const e = n.endPosition;
    this.hits.push({ rule, severity: severity ?? rule.severity, message, line: s.row + 1, column: s.column + 1, endLine: e.row + 1, endColumn: e.column + 1, symbol });
    this.hitSites.push({ key, node: n });
  }

  /**
   * Session 32, part 2: a module-level function whose parameter is the data of an injection sink inside it is judged
   * by the calls this file makes to it, when there are any. The sink is not reported when the file calls the
   * function, names it nowhere but as the callee of a call (not passed as a value, aliased, decorated or imported
   * under its name), and every call hands that parameter a value known to be the program's own (a constant, a
   * checked value, or a parameter of another such function fed the same way). Calls in the `if __name__ ==
   * "__main__":` block are a script's sample run, not the program's flow: they are not counted (a function called only
   * there keeps its report, as one called nowhere: library code).
   */
  private clearByCallers(root: Node): Set<CodeHit> {
    const cleared = new Set<CodeHit>();
    if (!this.hitSites.some((h) => CALLER_JUDGED.has(h.key))) return cleared;
    const memo = new Map<string, boolean>();
    this.hitSites.forEach((h, i) => {
      if (!CALLER_JUDGED.has(h.key) || h.node.type !== "call") return;
      const data = convertedName(sinkData(h.node));
      const def = data ? enclosingFunction(h.node) : undefined;
      if (def && this.fedSafely(root, def, data!.text, memo, 0)) cleared.add(this.hits[i]!);
    });
    return cleared;
  }

  /** The identifiers of a tree (or a function) with a name, indexed once per tree or function. */
  private identifiersNamed(scope: Node, name: string): Node[] {
    let index = this.identifierIndex.get(scope.id);
    if (!index) {
      const made = new Map<string, Node[]>();
      for (const id of scope.descendantsOfType("identifier")) {
        if (!id) continue;
        const list = made.get(id.text);
        if (list) list.push(id);
        else made.set(id.text, [id]);
      }
      this.identifierIndex.set(scope.id, made);
      index = made;
    }
    return index.get(name) ?? [];
  }
  private readonly identifierIndex = new Map<number, Map<string, Node[]>>();

  /** Whether every call of this file to module-level function `def` hands its parameter `param` the program's own data. */
  private fedSafely(root: Node, def: Node, param: string, memo: Map<string, boolean>, depth: number): boolean {
    const key = `${def.startIndex}:${param}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    memo.set(key, false); // a cycle (recursion through the same parameter) proves nothing
    const result = depth <= 3 && this.fedSafelyUncached(root, def, param, memo, depth);
    memo.set(key, result);
    return result;
  }

  private fedSafelyUncached(root: Node, def: Node, param: string, memo: Map<string, boolean>, depth: number): boolean {
    if (!callerJudgedFunction(def)) return false; // a method or a decorated function
    const name = def.childForFieldName("name");
    const k = positionalParameters(def).indexOf(param);
    if (!name || k < 0 || rebinds(def, param)) return false;
    const fallback = defaultValue(def, param);
    let calls = 0;
    for (const id of this.identifiersNamed(root, name.text)) {
      if (id.equals(name)) continue;
      const call = id.parent;
      // any other mention (a value, an alias, an attribute of the same name, an import, a new binding) is not followed
      if (call?.type !== "call" || !call.childForFieldName("function")?.equals(id)) return false;
      if (inMainBlock(call) || this.deadCalls.has(call.startIndex)) continue;
      const args = callArguments(call);
      const arg = args.kw.get(param) ?? args.positional[k];
      if (!arg && !args.splat && fallback && this.constantExpression(fallback)) {
        calls++; // the call leaves the parameter at its written-out default (session 33)
        continue;
      }
      const judged = this.callArguments.get(call.startIndex)?.get(param);
      if (args.splat || !arg || judged === undefined) return false;
      if (!judged) {
        const outer = arg.type === "identifier" ? enclosingFunction(call) : undefined;
        if (!outer || !this.fedSafely(root, outer, arg.text, memo, depth + 1)) return false;
      }
      calls++;
    }
    return calls > 0;
  }

  /** `# rampart: ignore[RULE,…] reason` on the line, or alone on the line before. A reason is required. */
  private applySuppressions(comments: Node[]): { kept: CodeHit[]; suppressed: number } {
    const byLine = new Map<number, string[]>();
    const extra: CodeHit[] = [];
    for (const c of comments) {
      // detect-secrets' and gitleaks' markers, which `scan secrets` honours too: the author judged the line's literal no secret
      if (SECRET_ALLOW_MARKER.test(c.text)) {
        const line = c.startPosition.row + 1;
        byLine.set(line, [...(byLine.get(line) ?? []), "code.hardcoded-credential", "code.hardcoded-crypto-key"]);
      }
      const m = SUPPRESS.exec(c.text);
      if (!m) continue;
      const row = c.startPosition.row;
      if (!m[2]!.trim()) {
        const s = c.startPosition;
        extra.push({
          rule: CODE_RULES.suppression,
          severity: "low",
          message: "suppression without a reason is not applied: write `# rampart: ignore[RULE] why`",
          line: s.row + 1,
          column: s.column + 1,
          endLine: s.row + 1,
          endColumn: c.endPosition.column + 1,
        });
        continue;
      }
      const ids = m[1]!
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean);
      const lineStart = this.source.lastIndexOf("\n", c.startIndex - 1) + 1;
      const alone = this.source.slice(lineStart, c.startIndex).trim() === "";
      for (const line of alone ? [row + 1, row + 2] : [row + 1]) byLine.set(line, [...(byLine.get(line) ?? []), ...ids]);
    }
    let suppressed = 0;
    const kept = this.hits.filter((h) => {
      const ids = byLine.get(h.line);
      if (ids?.some((id) => id === "*" || h.rule.id === id || h.rule.id.startsWith(`${id}.`) || h.rule.id === `code.${id}`)) {
        suppressed++;
        return false;
      }
      return true;
    });
    return { kept: [...kept, ...extra].sort((a, b) => a.line - b.line || a.column - b.column), suppressed };
  }
}

function callName(a: FileAnalyzer, kwNode: Node): string {
  const call = kwNode.parent?.parent;
  void a;
  return call?.type === "call" ? (call.childForFieldName("function")?.text ?? "call") : "call";
}

/** Module spellings that are the same object: `cPickle`→pickle family kept apart, `np`→numpy only via alias. */
function canonicalModule(q: string): string {
  if (q.startsWith("tensorflow.keras.")) return `keras.${q.slice("tensorflow.keras.".length)}`;
  if (q.startsWith("sklearn.externals.joblib")) return q;
  if (q.startsWith("ruamel.yaml")) return q;
  if (q.startsWith("torch.serialization.load")) return q;
  return q;
}

/**
 * A string written at this place: credentials are reported where the literal is, not again wherever a
 * variable holding it is passed on (`log({"password": password})`).
 */
/** The last positional argument of a call (comments and keyword arguments left out). */
function lastArgument(call: Node): Node | undefined {
  const args = (call.childForFieldName("arguments")?.namedChildren ?? []).filter((a) => a && a.type !== "comment" && a.type !== "keyword_argument");
  return args[args.length - 1] ?? undefined;
}

/** The name a check tests: `x`, or `str(x)` (the text of the same value; session 22). */
function checkedName(n: Node | null | undefined): string | undefined {
  if (n?.type === "identifier") return n.text;
  if (n?.type !== "call" || n.childForFieldName("function")?.text !== "str") return undefined;
  const args = (n.childForFieldName("arguments")?.namedChildren ?? []).filter((a) => a && a.type !== "comment");
  return args.length === 1 && args[0]?.type === "identifier" ? args[0].text : undefined;
}

function isStringLiteral(n: Node): boolean {
  if (n.type === "string") return !n.namedChildren.some((c) => c?.type === "interpolation");
  return n.type === "concatenated_string" && n.namedChildren.every((c) => !c || c.type === "comment" || isStringLiteral(c));
}

/**
 * Built text that is an SQL statement: it starts with a statement keyword (after quotes, prefixes and
 * brackets) and has the statement's shape (`SELECT … FROM`, `INSERT INTO`, `UPDATE … SET`, `DELETE
 * FROM`, DDL, `PRAGMA name(…)`, `SHOW TABLES`); prose such as "Select a file from the list" is not (articles and pronouns in the select list).
 */
export function looksLikeSql(text: string): boolean {
  // Built text keeps its joins (`UPDATE  + table +  SET …`): a joined piece stands for one word.
  const t = text.replace(/^[\s(]*(?:[rRbBuUfF]{0,2}(?:"""|'''|"|'))?[\s(]*/, "").replace(/\s\+\s/g, " ");
  // DDL on any object (`DROP TRIGGER %s`), SQLite's PRAGMA and MySQL's SHOW … take identifiers from the text too.
  if (!/^(?:select|insert|update|delete|with|replace|merge|upsert|create|drop|alter|truncate|pragma|show)\b/i.test(t)) return false;
  // MySQL's INSERT [INTO] t VALUES (…) and REPLACE INTO t VALUES (…) besides the common statement shapes
  if (!SQL_WORDS.test(t) && !/^(?:insert\s+(?:into\s+)?|replace\s+into\s+)[\w."`[\]{}%$]+[\s\S]*?\bvalues\s*\(/i.test(t)) return false;
  if (/^update\b/i.test(t) && !/^update\s+[\w."`[\]{}%$]+\s+set\s/i.test(t)) return false; // "Update {name}: set to …"
  const list = /^select\s+([\s\S]*?)\bfrom\b/i.exec(t);
  return !(list && /\b(?:a|an|the|your|you|to|this|that|which|please|of|my|our|it)\s+[a-z]/i.test(list[1]!));
}

/** True when every conversion in a printf-style format is numeric (or a literal `%%`). */
function numericFormat(text: string): boolean {
  let any = false;
  for (const m of text.matchAll(NUMERIC_FORMAT)) {
    if (!/[diouxXeEfFgG%]/.test(m[1]!)) return false;
    any = true;
  }
  return any;
}

/** The literal text of a tree-sitter string node, without quotes or prefixes (escapes left as written). */
/** Whether a node is inside a function's body (a lambda's too). */
function insideFunction(n: Node): boolean {
  for (let p = n.parent; p; p = p.parent) if (p.type === "function_definition" || p.type === "lambda") return true;
  return false;
}

function stringContent(n: Node): string {
  let out = "";
  for (const c of n.namedChildren) if (c?.type === "string_content") out += c.text;
  return out;
}

/**
 * A `find_class` that restricts what a pickle stream may load: it can raise, and either it never hands a global
 * back (no `return`), or a test on its module or name parameter decides (`if module == "builtins" and name in
 * SAFE: return …`, `if (module, name) not in ALLOWED: raise`). Nested functions are not looked into.
 */
function restrictsGlobals(def: Node): boolean {
  const params = (def.childForFieldName("parameters")?.namedChildren ?? [])
    .filter((p): p is Node => !!p && p.type === "identifier")
    .slice(1)
    .map((p) => p.text);
  let raises = false;
  let returns = false;
  let tested = false;
  const stack: Node[] = [...(def.childForFieldName("body")?.namedChildren ?? []).filter((c): c is Node => !!c)];
  for (let steps = 0; stack.length > 0 && steps < 5000; steps++) {
    const x = stack.pop()!;
    if (x.type === "function_definition" || x.type === "class_definition" || x.type === "lambda") continue;
    if (x.type === "raise_statement") raises = true;
    else if (x.type === "return_statement") returns = true;
    else if (x.type === "if_statement" || x.type === "elif_clause") {
      const cond = x.childForFieldName("condition");
      if (cond && params.some((p) => new RegExp(`\\b${p}\\b`).test(cond.text))) tested = true;
    }
    for (const c of x.namedChildren) if (c) stack.push(c);
  }
  return raises && (!returns || tested);
}

/** The function definition or module a node sits in (not the node itself). */
function enclosingScope(n: Node): Node | null {
  let scope = n.parent;
  while (scope && scope.type !== "function_definition" && scope.type !== "module") scope = scope.parent;
  return scope;
}

/** A block that always leaves it: a top-level return, raise, continue, break, or call to abort/exit (`firstExit`). */
function exits(block: Node): boolean {
  return !!firstExit(block);
}

/**
 * The first statement at a block's top level that leaves it: `return`, `raise`, `continue`, `break`, `abort(…)`,
 * `exit(…)`. Session 36: not only the last statement; what follows such a statement never runs.
 */
function firstExit(block: Node): Node | undefined {
  for (const st of block.namedChildren) {
    if (!st || st.type === "comment") continue;
    if (/^(?:return_statement|raise_statement|continue_statement|break_statement)$/.test(st.type)) return st;
    if (st.type !== "expression_statement") continue;
    const call = st.namedChildren[0];
    const fn = call?.type === "call" ? call.childForFieldName("function")?.text : undefined;
    if (fn && /^(?:abort|flask\.abort|exit|sys\.exit|os\._exit|quit)$/.test(fn)) return st;
  }
  return undefined;
}

/** A block that leaves its function or program (`return`, `raise`, `abort(…)`, `exit(…)`), not only its loop. */
function leaves(block: Node): boolean {
  const first = firstExit(block);
  return !!first && !/^(?:continue_statement|break_statement)$/.test(first.type);
}

/** The text of a plain string literal with its simple escapes decoded (`'\\''` is one quote); undefined for f-strings. */
function literalText(n: Node): string | undefined {
  let out = "";
  for (const c of n.namedChildren) {
    if (!c) continue;
    if (c.type === "string_content") out += c.text.replace(/\\(['"\\])/g, "$1");
    else if (c.type === "interpolation") return undefined;
  }
  return out;
}

/** An assignment that runs whenever its function (or module) body does: no branch, loop or handler around it. */
function unconditional(n: Node): boolean {
  for (let p = n.parent; p; p = p.parent) {
    const t = p.type;
    if (t === "function_definition" || t === "module" || t === "class_definition" || t === "lambda") return true;
    if (
      /^(?:if_statement|elif_clause|else_clause|for_statement|while_statement|try_statement|except_clause|finally_clause|case_clause|conditional_expression|with_statement)$/.test(
        t,
      )
    )
      return false;
  }
  return true;
}

/** The innermost function definition around a node (a lambda stops the search: its parameters are not the function's). */
/** Expressions that build a container: a name assigned one holds its items beside each other, not one text. */
const CONTAINERS = new Set(["tuple", "expression_list", "pattern_list", "list", "dictionary", "set"]);
const COMPREHENSIONS = new Set(["list_comprehension", "set_comprehension", "dictionary_comprehension", "generator_expression"]);
/** Methods that put their arguments into the container they are called on. */
const ELEMENT_WRITES = new Set(["append", "appendleft", "extend", "extendleft", "insert", "add", "update", "setdefault", "put", "put_nowait"]);
/** Methods that take an element out of the container they are called on. */
const ELEMENT_READS = new Set(["get", "pop", "popleft", "popitem", "setdefault", "copy", "values", "items"]);

/** `x[]` for every container name `x` an expression takes an element out of: `x[0]`, `x.get(k)`, `x.pop()`. */
function elementReads(n: Node): string[] {
  const out: string[] = [];
  for (const r of n.type === "subscript" || n.type === "call" ? [n, ...n.descendantsOfType(["subscript", "call"])] : n.descendantsOfType(["subscript", "call"])) {
    if (!r) continue;
    if (r.type === "subscript") {
      const v = r.childForFieldName("value");
      if (v?.type === "identifier") out.push(`${v.text}[]`);
      continue;
    }
    const fn = r.childForFieldName("function");
    const holder = fn?.type === "attribute" ? fn.childForFieldName("object") : undefined;
    if (holder?.type === "identifier" && ELEMENT_READS.has(fn!.childForFieldName("attribute")?.text ?? "")) out.push(`${holder.text}[]`);
  }
  return out;
}

/** Calls that run the function they are handed (a thread's target, an executor's task). */
const RUNS_ITS_ARGUMENT = new Set(["Thread", "Process", "submit", "run_in_executor"]);

/** Namespaces that hold the builtins by name: `vars(__builtins__)`, `__builtins__.__dict__`, `globals()`, `builtins.__dict__`. */
const NAMESPACE_LOOKUP =
  /^(?:vars\(\s*(?:__builtins__|builtins|(?:globals|locals)\(\)\[\s*["']__builtins__["']\s*\])\s*\)|(?:__builtins__|builtins)\.__dict__|globals\(\)|locals\(\))$/;
/** Last names of the cipher constructors whose key argument is checked (CIPHER_KEY_CALL says which modules). */
const CIPHER_KEY_NAMES = new Set([
  "new",
  "Fernet",
  "AESGCM",
  "AESCCM",
  "AESSIV",
  "AESOCB3",
  "AESGCMSIV",
  "ChaCha20Poly1305",
  "AES",
  "AES128",
  "AES256",
  "TripleDES",
  "Camellia",
  "ChaCha20",
  "SM4",
  "Blowfish",
  "CAST5",
  "IDEA",
  "SEED",
  "ARC4",
]);
/** PyCryptodome's `Cipher.X.new(key, …)`, cryptography's AEAD classes, Fernet and the hazmat algorithms (key first). */
const CIPHER_KEY_CALL =
  /^(?:(?:Crypto|Cryptodome)\.Cipher\.\w+\.new|cryptography\.fernet\.Fernet|cryptography\.hazmat\.primitives\.ciphers\.aead\.(?:AESGCM|AESCCM|AESSIV|AESOCB3|AESGCMSIV|ChaCha20Poly1305)|cryptography\.hazmat\.primitives\.ciphers\.(?:algorithms\.)?(?:AES|AES128|AES256|TripleDES|Camellia|ChaCha20|SM4|Blowfish|CAST5|IDEA|SEED|ARC4))$/;
/** Calls that turn written text into key bytes: still the written key. */
const KEY_DECODERS =
  /^(?:bytes\.fromhex|bytes|bytearray|base64\.(?:b64decode|urlsafe_b64decode|b32decode|b16decode|decodebytes|standard_b64decode)|binascii\.(?:unhexlify|a2b_hex|a2b_base64))$/;

/** A call's arguments: positional ones (comments dropped), keyword ones by name, and whether a `*`/`**` splat is among them. */
function callArguments(n: Node): { positional: Node[]; kw: Map<string, Node>; splat: boolean } {
  const positional: Node[] = [];
  const kw = new Map<string, Node>();
  let splat = false;
  for (const a of n.childForFieldName("arguments")?.namedChildren ?? []) {
    if (!a) continue;
    if (a.type === "keyword_argument") {
      const k = a.childForFieldName("name")?.text;
      const v = a.childForFieldName("value");
      if (k && v) kw.set(k, v);
    } else if (a.type === "dictionary_splat" || a.type === "list_splat") splat = true;
    else if (a.type !== "comment") positional.push(a);
  }
  return { positional, kw, splat };
}

/** A function's statements, comments and a leading docstring left out. */
function bodyStatements(def: Node): Node[] {
  const statements = def.childForFieldName("body")?.namedChildren.filter((x): x is Node => !!x && x.type !== "comment") ?? [];
  return statements[0]?.type === "expression_statement" && statements[0].namedChildren[0]?.type === "string" ? statements.slice(1) : statements;
}

/** A function's leading positional parameters by name (positions after `*args`, `**kwargs` or a keyword-only marker are not followed). */
/** Puts a saved entry back, or removes the key when there was none (a scope's outer state, restored). */
function restoreEntry<V>(map: Map<string, V>, key: string, value: V | undefined): void {
  if (value) map.set(key, value);
  else map.delete(key);
}
function restoreMember(set: Set<string>, key: string, member: boolean): void {
  if (member) set.add(key);
  else set.delete(key);
}

function positionalParameters(def: Node): string[] {
  const params: string[] = [];
  for (const p of def.childForFieldName("parameters")?.namedChildren ?? []) {
    if (!p) continue;
    if (p.type === "identifier") params.push(p.text);
    else if (p.type === "default_parameter" || p.type === "typed_default_parameter") params.push(p.childForFieldName("name")?.text ?? "");
    else if (p.type === "typed_parameter") params.push(p.namedChildren.find((c) => c?.type === "identifier")?.text ?? "");
    else break;
  }
  return params;
}

/**
 * Every return of the function (its own, not a nested one's) gives text made of written-out strings and its
 * parameters alone: f-strings, `+`/`%`, and `.format`/`.join` called on a written-out string (session 29).
 */
function builtFromParameters(def: Node, params: readonly string[]): boolean {
  const own = (r: Node) => {
    for (let p = r.parent; p; p = p.parent) if (p.type === "function_definition" || p.type === "lambda") return p.id === def.id;
    return false;
  };
  const returns = def.descendantsOfType("return_statement").filter((r): r is Node => !!r && own(r));
  const names = new Set(params);
  const made = (n: Node | null | undefined, depth: number): boolean => {
    if (!n || depth > 8) return false;
    if (n.type === "identifier") return names.has(n.text);
    if (isStringLiteral(n) || n.type === "integer") return true;
    switch (n.type) {
      case "string":
        return n.namedChildren.every((c) => c?.type !== "interpolation" || made(c.namedChildren[0], depth + 1));
      case "parenthesized_expression":
        return made(n.namedChildren[0], depth + 1);
      case "binary_operator":
        return /^[+%]$/.test(n.childForFieldName("operator")?.text ?? "") && made(n.childForFieldName("left"), depth + 1) && made(n.childForFieldName("right"), depth + 1);
      case "call": {
        const fn = n.childForFieldName("function");
        const object = fn?.type === "attribute" ? fn.childForFieldName("object") : null;
        if (!object || !isStringLiteral(object) || !/^(?:format|join)$/.test(fn?.childForFieldName("attribute")?.text ?? "")) return false;
        return (n.childForFieldName("arguments")?.namedChildren ?? []).every((a) => !a || a.type === "comment" || made(a, depth + 1));
      }
      default:
        return false;
    }
  };
  return (
    returns.length > 0 &&
    returns.every((r) =>
      made(
        r.namedChildren.find((c) => c && c.type !== "comment"),
        0,
      ),
    )
  );
}

/** A method marked `@staticmethod`: called on an instance, its first parameter is the first argument. */
/** Whether a class's body binds `name` itself (`name = …`, `name: T = …`): a class attribute `self.name` reads when no instance attribute hides it. */
function classBodyBinds(c: Node, name: string): boolean {
  return (c.childForFieldName("body")?.namedChildren ?? []).some((st) => {
    const a = st?.type === "expression_statement" ? st.namedChildren[0] : undefined;
    const left = a?.type === "assignment" ? a.childForFieldName("left") : undefined;
    return left?.type === "identifier" ? left.text === name : !!left && left.descendantsOfType("identifier").some((i) => i?.text === name);
  });
}

/** A mention `m` of a name that reads one of its attributes (`m.f`, `m.f()`): not a write, an augmented write or a `del` of it. */
function readsAttribute(m: Node): boolean {
  const p = m.parent;
  return (
    p?.type === "attribute" &&
    !!p.childForFieldName("object")?.equals(m) &&
    !(p.parent?.type === "assignment" && p.parent.childForFieldName("left")?.equals(p)) &&
    p.parent?.type !== "augmented_assignment" &&
    p.parent?.type !== "delete_statement"
  );
}

function isStaticMethod(def: Node): boolean {
  const d = def.parent;
  return d?.type === "decorated_definition" && d.namedChildren.some((x) => x?.type === "decorator" && /^@\s*staticmethod\b/.test(x.text));
}

/** `a op b` for two finite numbers and the arithmetic operators Python and JavaScript agree on; undefined otherwise. */
function numberOp(a: number, op: string, b: number): number | undefined {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return undefined;
  const r = op === "+" ? a + b : op === "-" ? a - b : op === "*" ? a * b : op === "//" && b !== 0 ? Math.floor(a / b) : op === "/" && b !== 0 ? a / b : undefined;
  return r !== undefined && Number.isFinite(r) ? r : undefined;
}

/** Node types of a container written out in the text: `[…]`, `(…)`, `{…}`. */
const LITERAL_CONTAINER = /^(?:list|tuple|set|dictionary)$/;
/** Nodes that make a mutable container (writtenOutContainer, session 34). */
const MUTABLE_NODES = ["list", "set", "dictionary", "call", "list_comprehension", "set_comprehension", "dictionary_comprehension", "generator_expression"];
/** Calls that read a container's items (writtenOutRead, session 34). */
const CONTAINER_READS = new Set(["get", "pop", "setdefault", "values", "keys", "items", "copy"]);
/** Built-ins (and the array module's class) that make a container of their arguments (writtenOutContainer, session 34). */
const CONTAINER_BUILDERS = new Set(["list", "dict", "set", "tuple", "frozenset", "bytearray", "array.array"]);

/** Built-in conversions whose result is a constant when their arguments are (unless the file defines the name). */
const CONSTANT_CONVERSIONS = new Set([
  "str",
  "int",
  "float",
  "bool",
  "bytes",
  "complex",
  "repr",
  "set",
  "frozenset",
  "tuple",
  "list",
  "abs",
  "round",
  "chr",
  "ord",
  "hex",
  "oct",
  "bin",
]);

/** Operators whose result is a constant when both operands are (Python's own numbers, strings, bools). */
const CONSTANT_OPERATORS = new Set(["+", "-", "*", "/", "//", "%", "**", "&", "|", "^", "<<", ">>", "and", "or"]);

/**
 * A function clearByCallers may judge by its calls: undecorated, and either at module level or nested in another
 * function's body (its name is local there: every call is in the file). Methods are not: `self.f` calls are not indexed.
 */
function callerJudgedFunction(def: Node): boolean {
  const p = def.parent;
  return p?.type === "module" || (p?.type === "block" && p.parent?.type === "function_definition");
}

/** The index of the parameter every return of a function gives back itself (`return x`), when there is one. */
function identityParameter(def: Node, params: string[]): number | undefined {
  const returns = returnsOf(def);
  let k: number | undefined;
  for (const r of returns) {
    const e = r.type === "return_statement" ? r.namedChildren.find((c) => c && c.type !== "comment") : undefined;
    const i = e?.type === "identifier" ? params.indexOf(e.text) : -1;
    if (i < 0 || (k !== undefined && k !== i)) return undefined;
    k = i;
  }
  return k !== undefined && !rebinds(def, params[k]!) ? k : undefined;
}

/** The default value written for a parameter (`def f(arg="ls")`), when it has one. */
function defaultValue(def: Node, param: string): Node | undefined {
  for (const p of def.childForFieldName("parameters")?.namedChildren ?? []) {
    if ((p?.type === "default_parameter" || p?.type === "typed_default_parameter") && p.childForFieldName("name")?.text === param) return p.childForFieldName("value") ?? undefined;
  }
  return undefined;
}

/**
 * Session 33: the name a sink's data is, bare or through a conversion that gives a constant for a constant: `str(o)`,
 * `bytes(o)`, `repr(o)`, `"".join(o)`, `o.strip()`, `o.lower()`, `o.encode()`… (the helper `def sink(o):
 * os.system(str(o))`), so that the callers of the helper judge `o`.
 */
function convertedName(d: Node | undefined): Node | undefined {
  if (!d || d.type === "identifier") return d;
  if (d.type !== "call") return undefined;
  const fn = d.childForFieldName("function");
  const args = callArguments(d);
  if (args.splat || args.kw.size > 0) return undefined;
  const only = args.positional.length === 1 && args.positional[0]!.type === "identifier" ? args.positional[0] : undefined;
  if (fn?.type === "identifier") return /^(?:str|bytes|bytearray|repr)$/.test(fn.text) ? only : undefined;
  if (fn?.type !== "attribute") return undefined;
  const object = fn.childForFieldName("object");
  const method = fn.childForFieldName("attribute")?.text ?? "";
  if (method === "join") return object && isStringLiteral(object) ? only : undefined;
  return /^(?:strip|lstrip|rstrip|lower|upper|encode|decode)$/.test(method) && object?.type === "identifier" && args.positional.every(isStringLiteral) ? object : undefined;
}

/** The sinks a helper's parameter is judged for by the helper's callers (clearByCallers). */
const CALLER_JUDGED = new Set<keyof typeof CODE_RULES>(["shell", "sql", "evalExec"]);

/** Whether a function binds `name` anywhere in its body (then the parameter is not the value the sink sees). */
function rebinds(def: Node, name: string): boolean {
  for (const id of def.childForFieldName("body")?.descendantsOfType("identifier") ?? []) {
    if (!id || id.text !== name) continue;
    for (let p: Node | null = id.parent, c: Node = id; p; c = p, p = p.parent) {
      if (p.type === "pattern_list" || p.type === "tuple_pattern" || p.type === "list_pattern" || p.type === "list_splat_pattern") continue;
      if ((p.type === "assignment" || p.type === "augmented_assignment" || p.type === "for_statement" || p.type === "for_in_clause") && p.childForFieldName("left")?.equals(c))
        return true;
      if (p.type === "named_expression" && p.childForFieldName("name")?.equals(c)) return true;
      if (p.type === "as_pattern_target" || p.type === "global_statement" || p.type === "nonlocal_statement" || p.type === "delete_statement") return true;
      if (p.type === "function_definition" || p.type === "class_definition") return p.childForFieldName("name")?.equals(c) ?? false;
      break;
    }
  }
  return false;
}

/** A node inside a module-level `if __name__ == "__main__":` block. */
function inMainBlock(n: Node): boolean {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === "if_statement" && p.parent?.type === "module")
      return /^__name__\s*==\s*["']__main__["']$|^["']__main__["']\s*==\s*__name__$/.test(p.childForFieldName("condition")?.text ?? "");
  }
  return false;
}

/** A function's parameter names: `x`, and the first name inside `x=1`, `x: int`, `*args`, `**kw`. */
function parameterNames(def: Node): string[] {
  const out: string[] = [];
  for (const p of def.childForFieldName("parameters")?.namedChildren ?? []) {
    const id = p?.type === "identifier" ? p : p?.namedChildren.find((c) => c?.type === "identifier");
    if (id) out.push(id.text);
  }
  return out;
}

function enclosingFunction(n: Node): Node | undefined {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === "function_definition") return p;
    if (p.type === "lambda" || p.type === "class_definition") return undefined;
  }
  return undefined;
}

/**
 * A variable's type as stored: `s2 = s1.where(…)` makes `s1`'s type a prefix of `s2`'s, so a chain of n such
 * assignments would store types of length n and cost n² (a hostile shape, found in session 15). No rule reads
 * past a few calls, so a long type keeps only its end, marked unknown at the front.
 */
function boundedType(type: string): string {
  return type.length <= 256 ? type : `?${type.slice(-128)}`;
}

/** The data a sink call is given: its first positional argument, or the keyword that names the data. */
function sinkData(call: Node): Node | undefined {
  let kw: Node | undefined;
  for (const a of call.childForFieldName("arguments")?.namedChildren ?? []) {
    if (!a || a.type === "comment") continue;
    if (a.type === "list_splat" || a.type === "dictionary_splat") return undefined;
    if (a.type !== "keyword_argument") return a;
    if (!kw && SINK_DATA_KEYWORDS.test(a.childForFieldName("name")?.text ?? "")) kw = a.childForFieldName("value") ?? undefined;
  }
  return kw;
}

/** Calls that unpack an archive or a compressed stream (decompressionBomb decides which receivers count). */
const BOMB_CALLS = new Set(["extractall", "extract", "unpack_archive", "read", "decompress"]);

/** Sizes an archive check compares: a member's declared size, a file's size on disk. */
const SIZE_WORD = /\b(?:file_size|compress_size|st_size|getsize)\b|\.size\b/;

/** The pieces of a text built by `+`, an f-string or `%` formatting, in order (other expressions: themselves). */
function flattenConcat(n: Node): Node[] {
  if (n.type === "parenthesized_expression" && n.namedChildren[0]) return flattenConcat(n.namedChildren[0]);
  if (n.type === "binary_operator" && n.childForFieldName("operator")?.text === "+") {
    const l = n.childForFieldName("left");
    const r = n.childForFieldName("right");
    return [...(l ? flattenConcat(l) : []), ...(r ? flattenConcat(r) : [])];
  }
  return [n];
}

/** Text with the indentation common to its non-blank lines removed (Python's textwrap.dedent, spaces and tabs). */
function dedent(text: string): string {
  const lines = text.split("\n");
  let common: string | undefined;
  for (const line of lines) {
    if (line.trim() === "") continue;
    const indent = /^[ \t]*/.exec(line)![0];
    if (common === undefined || !indent.startsWith(common)) {
      let k = 0;
      const prev = common ?? indent;
      while (k < prev.length && k < indent.length && prev[k] === indent[k]) k++;
      common = prev.slice(0, k);
    }
  }
  return common ? lines.map((l) => (l.startsWith(common!) ? l.slice(common!.length) : l.trim() === "" ? "" : l)).join("\n") : text;
}

/** A string literal's text with its escapes decoded (`\n`, `\t`, `\r`, quotes, backslashes; others kept as written): code to parse. */
function decodedString(n: Node): string {
  const text = stringContent(n);
  if (/^[A-Za-z]*[rR]/.test(n.text) || !text.includes("\\")) return text;
  const escapes: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"' };
  return text.replace(/\\([ntr\\'"])/g, (_, c: string) => escapes[c]!);
}

/** The `return` statements and `yield`s of a function's own body (not of the functions nested in it). */
function returnsOf(def: Node): Node[] {
  return def.descendantsOfType(["return_statement", "yield"]).filter((r): r is Node => !!r && enclosingFunction(r)?.startIndex === def.startIndex);
}
