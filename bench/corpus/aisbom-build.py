"""Writes the session-18 held-out model corpus from AIsbom's own file generators (declared in docs/scan-model.md).

Usage: python3 bench/corpus/aisbom-build.py <aisbom checkout at 8222f1c> <empty output folder>

It loads `aisbom/mock_generator.py` by path (standard library only; the rest of AIsbom is never imported) and calls
its generators with the inputs AIsbom's own tests give them, so every file exists in AIsbom's test suite or bypass
corpus. The label of each file is what that test asserts (see the comments). It writes `labels.json` beside the
files. Nothing is loaded, unpickled or rendered: pickles of ordinary objects are made by CPython's `pickle.dumps`.
"""

import collections
import datetime
import decimal
import fractions
import importlib.util
import io
import json
import operator
import pathlib
import pickle
import re
import struct
import sys
import uuid
import zipfile

src, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
spec = importlib.util.spec_from_file_location("aisbom_mock", src / "aisbom" / "mock_generator.py")
mg = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mg)
out.mkdir(parents=True, exist_ok=True)
labels = []


def put(set_name, name, label, blob, why):
    path = out / set_name / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(blob)
    labels.append({"set": set_name, "file": f"{set_name}/{name}", "label": label, "why": why})


# --- Set J: GGUF chat templates (tests/test_gguf_template.py), each in create_mock_gguf_with_template's file ---
def gguf(template):
    tmp = out / "_tmp.gguf"
    mg.create_mock_gguf_with_template(tmp, chat_template=template)
    blob = tmp.read_bytes()
    tmp.unlink()
    return blob


def gguf_named(templates):
    """The file of the test's named-variant helper: six metadata keys, then one string key per template."""
    pairs = [
        mg._gguf_kv_string("general.architecture", "llama"),
        mg._gguf_kv_string("general.license", "apache-2.0"),
        mg._gguf_kv_uint32("general.file_type", 15),
        mg._gguf_kv_float32("llama.attention.layer_norm_rms_epsilon", 1e-5),
        mg._gguf_kv_string_array("tokenizer.ggml.tokens", ["a", "b"]),
        mg._gguf_kv_bool("tokenizer.ggml.add_bos_token", True),
    ] + [mg._gguf_kv_string(k, v) for k, v in templates.items()]
    return b"GGUF" + struct.pack("<IQQ", 3, 0, len(pairs)) + b"".join(pairs)


# malicious: the test asserts a critical verdict, a sandbox escape, a dangerous call, the attr filter or a context leak
J_MALICIOUS = [
    mg.MALICIOUS_CHAT_TEMPLATE,
    "{{ self.__init__.__globals__['__builtins__']['__import__']('os').popen('id').read() }}",
    "{{ ''|attr('__class__') }}",
    "{{ x | attr ('y') }}",
    *["{{ " + n + "('x') }}" for n in ["eval", "exec", "system", "subprocess", "compile"]],
    "{{ lipsum.__globals__ }}{{ cycler }}",
    ("x" * (256 * 1024)) + "{{ ''.__subclasses__() }}",
    "{{ a.__class__ }}",
    "{{ os.system('id') }}",
    "{{ eval('1+1') }}",
    "{{ subprocess.Popen('id') }}",
    "{{ x.popen('id') }}",
    "{{ getattr(o, 'x') }}",
]
# benign: the test asserts no threat / risk LOW
J_BENIGN = [
    mg.BENIGN_CHAT_TEMPLATE,
    None,
    "",
    "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}{% endif %}"
    "{% for message in loop_messages %}{{ message['content'] }}{% endfor %}",
    "{% for message in messages %}{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}"
    "{% elif message['role'] == 'system' %}{{ '<<SYS>>' + message['content'] }}{% endif %}{% endfor %}",
    "{% for message in messages %}{% if message['role'] == 'system' %}{{ '<|system|>' }}{% endif %}{% endfor %}",
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + chr(10) + message['content']}}{% endfor %}",
    "{% for m in messages %}{{ m['system_prompt'] }}{{ evaluate_score }}{{ compiled_output }}{{ execution_time }}"
    "{% endfor %}",
    "{{ 'please eval this' }}",
    '{{ "exec summary" }}',
    "{% if role == 'system' %}{% endif %}",
    "{# calls os.system here #}{{ x }}",
]
for i, t in enumerate(J_MALICIOUS, 1):
    put("J", f"mal-{i:02d}.gguf", "malicious", gguf(t), "test_gguf_template: threat asserted")
put("J", "mal-named-variant.gguf", "malicious",
    gguf_named({"tokenizer.chat_template.default": mg.BENIGN_CHAT_TEMPLATE,
                "tokenizer.chat_template.tool_use": mg.MALICIOUS_CHAT_TEMPLATE}), "named variant asserted CRITICAL")
for i, t in enumerate(J_BENIGN, 1):
    put("J", f"ben-{i:02d}.gguf", "benign", gguf(t), "test_gguf_template: clean asserted")
put("J", "ben-named-variants.gguf", "benign",
    gguf_named({"tokenizer.chat_template.default": mg.BENIGN_CHAT_TEMPLATE,
                "tokenizer.chat_template.rag": mg.BENIGN_CHAT_TEMPLATE}), "named variants asserted LOW")

# --- Set D: pickle gadgets and their false-positive guards (tests/test_gadgets.py) ---
GADGETS = [
    ("bdb", "Bdb"), ("bdb", "run"), ("bdb", "runeval"), ("pdb", "Pdb"),
    ("asyncio.unix_events", "_UnixSubprocessTransport"), ("asyncio", "create_subprocess_shell"),
    ("asyncio.subprocess", "create_subprocess_exec"), ("asyncio.base_events", "BaseEventLoop"),
    ("pip", "main"), ("pip._internal", "main"), ("runpy", "run_path"), ("importlib", "import_module"),
    ("imp", "load_source"), ("pty", "spawn"), ("platform", "popen"), ("ctypes", "CDLL"), ("timeit", "timeit"),
    ("code", "interact"), ("codeop", "compile_command"), ("cProfile", "runctx"), ("multiprocessing", "Process"),
    ("sys", "modules"), ("builtins", "__import__"), ("nt", "system"),
]
SUBMODULES = [
    ("asyncio.some_future_module", "run"), ("asyncio.windows_events", "create_subprocess_shell"),
    ("importlib.a.b.c", "import_module"), ("pip._internal.cli.some.deep.path", "main"), ("ctypes.util", "CDLL"),
]
ORIGINAL = [
    ("os", "system"), ("os", "popen"), ("os", "execl"), ("os", "execvp"), ("subprocess", "Popen"),
    ("subprocess", "call"), ("subprocess", "check_call"), ("subprocess", "check_output"), ("subprocess", "run"),
    ("builtins", "eval"), ("builtins", "exec"), ("builtins", "compile"), ("builtins", "open"), ("posix", "system"),
    ("posix", "popen"), ("webbrowser", "open"), ("socket", "socket"), ("socket", "connect"),
]
REAL_GLOBALS = [
    ("torch._utils", "_rebuild_tensor_v2"), ("torch._utils", "_rebuild_parameter"), ("torch", "FloatStorage"),
    ("torch", "LongStorage"), ("torch.storage", "_load_from_bytes"), ("torch.nn.modules.linear", "Linear"),
    ("torch.nn.modules.container", "Sequential"), ("torch.nn.modules.activation", "ReLU"),
    ("collections", "OrderedDict"), ("numpy.core.multiarray", "_reconstruct"), ("numpy.core.multiarray", "scalar"),
    ("numpy", "dtype"), ("numpy", "ndarray"), ("builtins", "complex"), ("re", "_compile"),
    ("copyreg", "_reconstructor"), ("datetime", "datetime"), ("pathlib", "PurePosixPath"),
]
EXACT_NAMES = [("torch", "evaluate"), ("torch", "systematic"), ("torch", "compiler_config")]
DANGEROUS_DUAL = [("attrgetter", ("__globals__",)), ("attrgetter", ("__class__.__mro__",)),
                  ("attrgetter", ("__reduce__",)), ("methodcaller", ("system", "id")),
                  ("methodcaller", ("popen", "id")), ("methodcaller", ("run",))]
BENIGN_DUAL = [("attrgetter", ("name",)), ("attrgetter", ("a.b",)), ("attrgetter", ("weight", "bias")),
               ("methodcaller", ("upper",)), ("methodcaller", ("strip", " ")), ("methodcaller", ("get", "key"))]
BENIGN_OBJECTS = {
    "state_dict": {"state_dict": {"layer.weight": [0.1, 0.2]}},
    "ordered_dict": collections.OrderedDict([("w", [1.0]), ("b", [2.0])]),
    "nested_ordered": collections.OrderedDict([("a", collections.OrderedDict([("b", 1)]))]),
    "defaultdict": collections.defaultdict(list, {"a": [1]}),
    "deque": collections.deque([1, 2, 3]),
    "counter": collections.Counter("aabbcc"),
    "mixed_tuple": (1, 2.5, "three", b"four", None, True),
    "sets": {"s": {1, 2}, "f": frozenset([3, 4])},
    "complex": complex(1, 2),
    "regex": re.compile(r"^layer\.\d+$"),
    "datetime": datetime.datetime(2026, 1, 1, 12, 0, 0),
    "timedelta": datetime.timedelta(days=3, seconds=42),
    "path": pathlib.PurePosixPath("/models/checkpoint.pt"),
    "decimal": decimal.Decimal("3.14159"),
    "fraction": fractions.Fraction(3, 7),
    "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "bytearray": bytearray(b"weights"),
}
for m, n in GADGETS:
    put("D", f"gadget-{m}.{n}.global.pkl", "malicious", mg.harmless_reduce_pickle(m, n), "GADGETS, blocklist mode")
    put("D", f"gadget-{m}.{n}.stack.pkl", "malicious", mg.harmless_stack_global_pickle(m, n), "GADGETS, STACK_GLOBAL")
for m, n in SUBMODULES + ORIGINAL:
    put("D", f"deny-{m}.{n}.pkl", "malicious", mg.harmless_reduce_pickle(m, n), "flagged asserted")
for ctor, args in DANGEROUS_DUAL:
    for p in (2, 4):
        put("D", f"dual-bad-{ctor}-{'-'.join(args)}.p{p}.pkl", "malicious",
            pickle.dumps(getattr(operator, ctor)(*args), protocol=p), "dangerous dual-use argument asserted")
for ctor, args in BENIGN_DUAL:
    for p in (2, 4):
        put("D", f"dual-ok-{ctor}-{'-'.join(args).replace(' ', '_')}.p{p}.pkl", "benign",
            pickle.dumps(getattr(operator, ctor)(*args), protocol=p), "benign dual-use asserted clean")
for m, n in REAL_GLOBALS + EXACT_NAMES:
    put("D", f"real-{m}.{n}.pkl", "benign", mg.harmless_reduce_pickle(m, n), "real checkpoint global asserted clean")
for key, obj in sorted(BENIGN_OBJECTS.items()):
    for p in (2, 4, 5):
        put("D", f"obj-{key}.p{p}.pkl", "benign", pickle.dumps(obj, protocol=p), "ordinary object asserted clean")

# --- Set B: the bypass corpus (aisbom/corpus.py CASES; the 7z case needs py7zr and is left out) ---
def zip_local_name(blob, name, new):
    i = blob.find(name.encode())
    return blob[:i] + new.encode() + blob[i + len(name):]


def zip_local_flags(blob, flags):
    i = blob.find(b"PK\x03\x04") + 6
    return blob[:i] + flags.to_bytes(2, "little") + blob[i + 2:]


def zip_central_crc(blob):
    i = blob.find(b"PK\x01\x02") + 16
    return blob[:i] + bytes([blob[i] ^ 0xFF]) + blob[i + 1:]


osys = mg.harmless_reduce_pickle("os", "system")
put("B", "control-os-system-zip.pt", "malicious", mg.pytorch_zip_bytes(osys), "control")
put("B", "benign-allowlisted-globals.pt", "benign",
    mg.pytorch_zip_bytes(pickle.dumps({"state_dict": {"layer.weight": [0.1, 0.2]}}, protocol=2)), "control")
put("B", "nullifai-broken-stream.pt", "malicious", mg.pytorch_zip_bytes(mg.truncate_pickle(osys)), "broken stream")
put("B", "cve-2025-1716-pip-main.pt", "malicious", mg.pytorch_zip_bytes(mg.harmless_reduce_pickle("pip", "main")), "")
put("B", "cve-2025-1889-config.p", "malicious", osys, "non-standard extension")
put("B", "cve-2025-1944-zip-filename-tamper.pt", "malicious",
    zip_local_name(mg.pytorch_zip_bytes(osys), "archive/data.pkl", "archive/data_pkl"), "")
put("B", "cve-2025-1945-zip-flag-bits.pt", "malicious", zip_local_flags(mg.pytorch_zip_bytes(osys), 0x08), "")
put("B", "cve-2025-10155-model.bin", "malicious", osys, "bare pickle, torch extension")
put("B", "cve-2025-10156-zip-crc.pt", "malicious",
    zip_central_crc(mg.pytorch_zip_bytes(osys, compression=zipfile.ZIP_STORED)), "")
put("B", "cve-2025-10157-asyncio-subclass.pt", "malicious",
    mg.pytorch_zip_bytes(mg.harmless_reduce_pickle("asyncio.unix_events", "_UnixSubprocessTransport")), "")
put("B", "checkmarx-bdb-gadget.pt", "malicious", mg.pytorch_zip_bytes(mg.harmless_reduce_pickle("bdb", "Bdb")), "")
put("B", "shadowpickle-allowlist-overwrite.pt", "malicious",
    mg.pytorch_zip_bytes(mg.harmless_stack_global_pickle("collections", "OrderedDict")), "labelled malicious")

# --- Set K: Keras archives (tests/test_keras.py, the three file cases) ---
for name, lam, label in (("evil.keras", True, "malicious"), ("clean.keras", False, "benign")):
    tmp = out / "_tmp.keras"
    mg.create_mock_keras_zip(tmp, with_lambda=lam)
    put("K", name, label, tmp.read_bytes(), "Lambda asserted CRITICAL" if lam else "asserted not critical")
    tmp.unlink()
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr("weights.bin", b"\x00\x01\x02")
put("K", "notkeras.keras", "benign", buf.getvalue(), "asserted not critical")

# --- Set O: ONNX (tests/test_onnx.py): the clean model, and one model per external location the tests judge ---
def onnx(**kw):
    tmp = out / "_tmp.onnx"
    mg.create_mock_onnx(tmp, **kw)
    blob = tmp.read_bytes()
    tmp.unlink()
    return blob


put("O", "model.onnx", "benign", onnx(), "asserted LOW")
ESCAPES = ["../secrets.bin", "../../../etc/passwd", "weights/../../escape.bin", "/etc/passwd",
           "\\\\server\\share\\x.bin", "C:\\Windows\\system32\\x.bin", "http://attacker.example/w.bin",
           "file:///etc/passwd", "s3://bucket/w.bin"]
INSIDE = ["weights.bin", "./weights.bin", "shards/weights-00001.bin", "a/../b.bin", "a/b/../../c.bin"]
for i, loc in enumerate(ESCAPES, 1):
    put("O", f"escape-{i:02d}.onnx", "malicious", onnx(external_location=loc), f"escape asserted: {loc}")
for i, loc in enumerate(INSIDE, 1):
    put("O", f"inside-{i:02d}.onnx", "benign", onnx(external_location=loc), f"no escape asserted: {loc}")

(out / "labels.json").write_text(json.dumps(labels, indent=1))
counts = collections.Counter((x["set"], x["label"]) for x in labels)
print(json.dumps({f"{s}/{lab}": n for (s, lab), n in sorted(counts.items())}))
