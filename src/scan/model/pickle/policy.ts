/**
 * Which globals a pickle may import. Three answers: safe (allow-listed exact names), dangerous
 * (deny-listed module trees, names or dangerous-looking attributes) and unknown (reported, never passed).
 * Starting points: picklescan's `_safe_globals`/`_unsafe_globals`, modelscan's severity table and
 * fickling's UNSAFE_IMPORTS (see ../shared/reference/model-formats.md), plus the advisories since.
 */

export type Verdict = { kind: "safe" } | { kind: "dangerous"; why: string; severity: "critical" | "high" } | { kind: "unknown"; why: string };

const TORCH_STORAGES = [
  "BFloat16Storage",
  "BoolStorage",
  "ByteStorage",
  "CharStorage",
  "ComplexDoubleStorage",
  "ComplexFloatStorage",
  "DoubleStorage",
  "FloatStorage",
  "HalfStorage",
  "IntStorage",
  "LongStorage",
  "QInt32Storage",
  "QInt8Storage",
  "QUInt8Storage",
  "QUInt4x2Storage",
  "QUInt2x4Storage",
  "ShortStorage",
  "UntypedStorage",
  "TypedStorage",
];
const TORCH_DTYPES = [
  "float16",
  "float32",
  "float64",
  "bfloat16",
  "half",
  "float",
  "double",
  "int8",
  "int16",
  "int32",
  "int64",
  "uint8",
  "bool",
  "complex64",
  "complex128",
  "long",
  "int",
  "short",
  "float8_e4m3fn",
  "float8_e5m2",
  "uint16",
  "uint32",
  "uint64",
];

/** Exact `module.name` globals that only rebuild data. */
const SAFE = new Set<string>([
  // __future__'s feature flags: inert _Feature objects (the module name is a dunder, which the policy treats as internals).
  ...["nested_scopes", "generators", "division", "absolute_import", "with_statement", "print_function", "unicode_literals", "barry_as_FLUFL", "generator_stop", "annotations"].map(
    (f) => `__future__.${f}`,
  ),
  "collections.OrderedDict",
  "collections.defaultdict",
  "collections.deque",
  "collections.Counter",
  "copyreg._reconstructor",
  "copyreg.__newobj__",
  "copyreg.__newobj_ex__",
  "_codecs.encode",
  "codecs.encode",
  "datetime.datetime",
  "datetime.date",
  "datetime.time",
  "datetime.timedelta",
  "datetime.timezone",
  "decimal.Decimal",
  "fractions.Fraction",
  "uuid.UUID",
  "pathlib.PosixPath",
  "pathlib.WindowsPath",
  "pathlib.PurePosixPath",
  "pathlib.PureWindowsPath",
  "pathlib.Path",
  "argparse.Namespace",
  "re._compile",
  "enum.Enum",
  "torch._utils._rebuild_tensor",
  "torch._utils._rebuild_tensor_v2",
  "torch._utils._rebuild_tensor_v3",
  "torch._utils._rebuild_parameter",
  "torch._utils._rebuild_parameter_with_state",
  "torch._utils._rebuild_qtensor",
  "torch._utils._rebuild_sparse_tensor",
  "torch._utils._rebuild_meta_tensor_no_storage",
  "torch._utils._rebuild_wrapper_subclass",
  "torch._utils._rebuild_device_tensor_from_numpy",
  "torch._tensor._rebuild_from_type_v2",
  "torch._tensor._rebuild_from_type",
  "torch.Size",
  "torch.device",
  "torch.dtype",
  "torch.Tensor",
  "torch.nn.parameter.Parameter",
  "torch.nn.parameter.Buffer",
  "torch.per_tensor_affine",
  "torch.per_channel_affine",
  "torch.contiguous_format",
  "torch.channels_last",
  "torch.preserve_format",
  "torch.serialization._get_layout",
  ...TORCH_STORAGES.map((s) => `torch.${s}`),
  ...TORCH_STORAGES.map((s) => `torch.storage.${s}`),
  ...TORCH_DTYPES.map((s) => `torch.${s}`),
  "numpy.dtype",
  "numpy.ndarray",
  "numpy.core.multiarray._reconstruct",
  "numpy._core.multiarray._reconstruct",
  "numpy.core.multiarray.scalar",
  "numpy._core.multiarray.scalar",
  "numpy.ma.core._mareconstruct",
  "numpy.random._pickle.__randomstate_ctor",
  "numpy.random._pickle.__generator_ctor",
  "numpy.random._pickle.__bit_generator_ctor",
  "numpy.random.mtrand.RandomState",
  "numpy.random._pcg64.PCG64",
  "numpy.random._pcg64.PCG64DXSM",
  "numpy.random._mt19937.MT19937",
  "numpy.random._philox.Philox",
  "numpy.random._sfc64.SFC64",
  "numpy.random._generator.Generator",
  "numpy.random.bit_generator.SeedSequence",
  "numpy.random.bit_generator.__pyx_unpickle_SeedSequence",
  "numpy.core.numeric._frombuffer",
  "numpy._core.numeric._frombuffer",
  "joblib.numpy_pickle.NumpyArrayWrapper",
  "joblib.numpy_pickle_compat.NDArrayWrapper",
  "scipy.sparse._csr.csr_matrix",
  "scipy.sparse._csc.csc_matrix",
  "scipy.sparse._coo.coo_matrix",
  "scipy.sparse.csr.csr_matrix",
  "pandas.core.frame.DataFrame",
  "pandas.core.series.Series",
  "pandas._libs.internals._unpickle_block",
  "pandas.core.internals.managers.BlockManager",
  "pandas.core.indexes.base._new_Index",
  "pandas.core.indexes.base.Index",
  "pandas.core.indexes.range.RangeIndex",
  "tokenizers.Tokenizer",
  "transformers.tokenization_utils_base.BatchEncoding",
]);

/** Builtins that only construct plain values. */
const SAFE_BUILTINS = new Set([
  "set",
  "frozenset",
  "dict",
  "list",
  "tuple",
  "bytearray",
  "bytes",
  "complex",
  "slice",
  "range",
  "int",
  "float",
  "str",
  "bool",
  "object",
  "True",
  "False",
  "None",
  "Ellipsis",
  "NotImplemented",
  "reversed",
  "len",
]);

/** Module trees that can run code, touch files, processes or the network when called into. */
export const DENY_MODULES = new Map<string, string>(
  Object.entries({
    os: "operating system access (os.system, os.popen, file removal)",
    posix: "operating system access",
    nt: "operating system access",
    subprocess: "runs processes",
    sys: "interpreter internals",
    socket: "network access",
    ssl: "network access",
    shutil: "file system changes",
    runpy: "runs Python modules or files",
    pickle: "nested unpickling",
    _pickle: "nested unpickling",
    cPickle: "nested unpickling",
    dill: "nested unpickling of code",
    cloudpickle: "nested unpickling of code",
    joblib: "nested model loading",
    marshal: "loads Python bytecode",
    types: "builds code and function objects",
    code: "runs Python source",
    codeop: "compiles Python source",
    importlib: "imports arbitrary modules",
    _imp: "imports arbitrary modules",
    imp: "imports arbitrary modules",
    pkgutil: "resolves arbitrary names",
    zipimport: "imports code from archives",
    site: "interpreter start-up hooks",
    inspect: "reaches arbitrary attributes",
    operator: "attribute and method call gadgets",
    _operator: "attribute and method call gadgets",
    functools: "call gadgets (partial, reduce)",
    pip: "installs packages",
    ensurepip: "installs packages",
    venv: "creates environments and runs pip",
    setuptools: "runs build code",
    distutils: "runs build code and writes files",
    pdb: "debugger",
    bdb: "debugger",
    pty: "spawns shells",
    ctypes: "native code",
    _ctypes: "native code",
    cffi: "native code",
    asyncio: "runs processes and network I/O",
    aiohttp: "network access",
    httplib: "network access",
    http: "network access",
    requests: "network access",
    urllib: "network access",
    urllib2: "network access",
    urllib3: "network access",
    httpx: "network access",
    ftplib: "network access",
    smtplib: "network access",
    imaplib: "network access and processes (IMAP4_stream)",
    poplib: "network access",
    telnetlib: "network access",
    nntplib: "network access",
    xmlrpc: "network access",
    socketserver: "network access",
    webbrowser: "runs a browser process",
    cProfile: "runs code under a profiler",
    profile: "runs code under a profiler",
    timeit: "runs code",
    trace: "runs code",
    doctest: "runs code",
    pydoc: "runs pagers and imports",
    idlelib: "runs code",
    lib2to3: "runs code",
    test: "test helpers that run code",
    multiprocessing: "runs processes",
    concurrent: "runs callables",
    threading: "runs callables",
    _thread: "runs callables",
    signal: "process signals",
    atexit: "registers callbacks",
    sqlite3: "file access",
    logging: "file handlers",
    tarfile: "file extraction",
    zipfile: "file extraction",
    tempfile: "file creation",
    glob: "file system listing",
    fileinput: "file access",
    io: "file access",
    _io: "file access",
    builtins: "interpreter built-ins",
    __builtin__: "interpreter built-ins",
    copyreg: "extension registry",
    copy_reg: "extension registry",
    commands: "runs processes",
    _osx_support: "runs processes",
    _aix_support: "runs processes",
    _pyrepl: "runs code",
    platform: "runs processes",
    sysconfig: "interpreter configuration",
    gc: "interpreter internals",
    mmap: "memory-mapped files",
    fcntl: "file descriptors",
    resource: "process limits",
    select: "file descriptors",
    selectors: "file descriptors",
    uuid: "runs processes (_get_command_stdout)",
    jinja2: "template rendering",
    mako: "template rendering",
    yaml: "unsafe YAML loading",
    sympy: "evaluates strings (sympify)",
    "numpy.f2py": "compiles and runs code",
    "numpy.testing": "runs processes",
    "numpy.distutils": "runs build code",
    "numpy.ctypeslib": "native code",
    "numpy.lib.npyio": "file access",
    "numpy.load": "nested unpickling",
    "numpy.loads": "nested unpickling",
    "numpy.save": "file writes",
    "numpy.fromfile": "file access",
    "numpy.memmap": "file access",
    "numpy.loadtxt": "file access",
    "numpy.genfromtxt": "file access",
    "torch.hub": "downloads and runs code",
    "torch.jit": "compiles and runs code",
    "torch._dynamo": "compiles and runs code",
    "torch._inductor": "compiles and runs code",
    "torch.fx": "generates and runs code",
    "torch.package": "imports packaged code",
    "torch.serialization": "nested model loading",
    "torch.load": "nested model loading",
    "torch.save": "file writes",
    "torch.storage._load_from_bytes": "nested unpickling",
    "torch.utils": "loaders and code execution helpers",
    "torch.distributed": "remote calls",
    "torch.library": "registers operators",
    "torch.ops": "calls operators by name",
    "torch.classes": "native classes by name",
    "torch.compile": "compiles code",
    "tensorflow.io": "file access",
    "tensorflow.python.ops.script_ops": "runs Python functions",
    "pandas.io": "file and network access",
    "pandas.read_pickle": "nested unpickling",
    "pandas.read_csv": "file and network access",
    "keras.models.load_model": "nested model loading",
  }),
);

/** Attribute names that execute, load, or touch files wherever they live. */
export const DANGEROUS_NAMES = new Set([
  "eval",
  "exec",
  "execfile",
  "compile",
  "__import__",
  "import_module",
  "system",
  "popen",
  "popen2",
  "popen3",
  "popen4",
  "Popen",
  "spawn",
  "spawnl",
  "spawnlp",
  "spawnv",
  "spawnvp",
  "execl",
  "execle",
  "execlp",
  "execv",
  "execve",
  "execvp",
  "fork",
  "forkpty",
  "startfile",
  "check_call",
  "check_output",
  "getoutput",
  "getstatusoutput",
  "run_path",
  "run_module",
  "getattr",
  "setattr",
  "delattr",
  "globals",
  "locals",
  "vars",
  "breakpoint",
  "apply",
  "open",
  "loads",
  "load",
  "load_module",
  "exec_module",
  "_load_from_bytes",
  "urlopen",
  "urlretrieve",
  "pipepager",
  "tempfilepager",
  "attrgetter",
  "itemgetter",
  "methodcaller",
  "partial",
  "remove",
  "unlink",
  "rmtree",
  "rmdir",
  "write_text",
  "write_bytes",
  "read_text",
  "read_bytes",
  "resolve_name",
  "sympify",
  "parse_expr",
  "literal_eval",
  "__reduce__",
  "__reduce_ex__",
  "__setstate__",
  "__getattribute__",
  "__globals__",
  "__subclasses__",
  "__builtins__",
  "__code__",
]);

const CRITICAL_BUILTINS = new Set([
  "eval",
  "exec",
  "compile",
  "__import__",
  "getattr",
  "setattr",
  "delattr",
  "open",
  "breakpoint",
  "apply",
  "execfile",
  "input",
  "globals",
  "locals",
  "vars",
]);

const PY_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/**
 * A dotted Python path, segment by segment: one regex over the whole path (`(\.name)*`) overflowed the
 * regex engine's stack on a million-segment name and failed the whole file's analysis.
 */
export function isPyPath(path: string): boolean {
  return path.length > 0 && path.split(".").every((seg) => PY_NAME.test(seg));
}

/** Most segments of a deny-listed module: longer prefixes cannot match. */
const DENY_DEPTH = Math.max(...[...DENY_MODULES.keys()].map((k) => k.split(".").length));

/** Prefixes of a dotted path up to the deny-list's depth: `a.b.c` → `a`, `a.b`, `a.b.c` (linear, not quadratic). */
function prefixes(path: string): string[] {
  const parts = path.split(".", DENY_DEPTH);
  return parts.map((_, i) => parts.slice(0, i + 1).join("."));
}

/**
 * Classifies an imported global. The full dotted path (module + name, where a protocol-4 name may
 * itself be dotted) is checked segment by segment, so `pathlib` + `os.system` is caught.
 */
export function classifyGlobal(module: string, name: string, dynamic = false): Verdict {
  if (dynamic) return { kind: "dangerous", severity: "critical", why: "the module or name is computed at load time, so any callable could be imported" };
  const full = `${module}.${name}`;
  if (SAFE.has(full)) return { kind: "safe" };
  // An import of something that is not a Python dotted name fails before anything runs.
  if (!isPyPath(module) || !isPyPath(name)) return { kind: "unknown", why: "not a valid Python name (the import would fail at load time)" };
  if ((module === "builtins" || module === "__builtin__") && SAFE_BUILTINS.has(name)) return { kind: "safe" };
  if (module === "builtins" || module === "__builtin__") {
    if (CRITICAL_BUILTINS.has(name.split(".")[0]!)) return { kind: "dangerous", severity: "critical", why: `built-in ${name} runs or reaches arbitrary code` };
  }
  for (const p of prefixes(full)) {
    const why = DENY_MODULES.get(p);
    if (why) return { kind: "dangerous", severity: "critical", why: `${p}: ${why}` };
  }
  // A protocol-4 dotted name reaches attributes of attributes: check every segment on its own.
  const segments = full.split(".");
  for (const seg of name.split(".").slice(0, -1)) {
    const why = DENY_MODULES.get(seg);
    if (why) return { kind: "dangerous", severity: "critical", why: `reaches ${seg} through ${module}: ${why}` };
  }
  for (const seg of name.split(".")) {
    if (DANGEROUS_NAMES.has(seg)) return { kind: "dangerous", severity: "high", why: `${seg} is a callable that runs code, loads data or touches files` };
  }
  if (segments.some((s) => s.startsWith("__") && s.endsWith("__") && s !== "__main__" && s !== "__builtin__"))
    return { kind: "dangerous", severity: "high", why: "reaches a dunder attribute (interpreter internals)" };
  if (name.includes(".")) return { kind: "dangerous", severity: "high", why: "dotted name: resolved attribute by attribute at load time" };
  if (module === "builtins" || module === "__builtin__") return { kind: "dangerous", severity: "high", why: `built-in ${name} is not a plain data constructor` };
  // Private top-level stdlib modules (_x) are interpreter plumbing.
  if (module.startsWith("_") && !module.startsWith("__main__")) return { kind: "dangerous", severity: "high", why: `private module ${module}` };
  if (isKnownMlClass(module, name)) return { kind: "safe" };
  return { kind: "unknown", why: "not on the allow-list of safe globals" };
}

/**
 * Libraries and standard modules whose own pickles call module-level functions at load time to rebuild data
 * (pandas' `_unpickle_block`, numpy's and scipy's reconstructors, torch's `_rebuild_*`): an unknown function there
 * is most likely one more rebuild helper, so it stays an unknown import (medium).
 */
const DATA_LIBRARY_ROOTS = new Set([
  "numpy",
  "scipy",
  "pandas",
  "torch",
  "sklearn",
  "xgboost",
  "lightgbm",
  "catboost",
  "transformers",
  "tokenizers",
  "joblib",
  "collections",
  "datetime",
  "decimal",
  "fractions",
  "copyreg",
  "array",
  "enum",
  "re",
]);

/**
 * True when calling `module.name` at load time runs a function nobody vetted: a valid Python name, written as a
 * function (first letter after any underscores lower-case: classes are CapWords), from a module outside the data
 * libraries above. A malicious pickle's payload can be any function of any installed module (the anchor's own
 * `drop_canary`, a scanner's `remove_hook`); a benign checkpoint calls rebuild helpers that are allow-listed or
 * belong to those libraries, and custom classes (CapWords) stay medium.
 */
export function isUnvettedFunction(module: string, name: string): boolean {
  if (!isPyPath(module) || !isPyPath(name) || name.includes(".")) return false;
  if (DATA_LIBRARY_ROOTS.has(module.split(".", 1)[0]!)) return false;
  const first = name.replace(/^_+/, "").charAt(0);
  return first !== "" && first === first.toLowerCase() && first !== first.toUpperCase();
}

/** Classes (CapWords) from ML libraries whose pickles rebuild estimators and layers. */
const ML_CLASS_ROOTS = ["sklearn.", "torch.nn.modules.", "torch.optim.", "xgboost.", "lightgbm.", "catboost.", "scipy.sparse.", "transformers.models."];
function isKnownMlClass(module: string, name: string): boolean {
  return ML_CLASS_ROOTS.some((r) => module.startsWith(r)) && /^[A-Z][A-Za-z0-9]*$/.test(name);
}
