"""Writes the session-20 held-out model corpus from fickling's own tests (declared in docs/scan-model.md).

Usage: python3 bench/corpus/fickling-build.py <fickling checkout at 854c99a> <empty output folder>

fickling's tests build their pickles at run time, opcode by opcode, with fickling's `Pickled` API (or by hand with
`pickle` opcode constants). This script runs two of its test files unchanged, `test/test_bypasses.py` and
`test/test_scanner_deactivation_analysis.py`, with fickling's `check_safety` wrapped so that every pickle a test
hands to it is written to a file first (the bytes `Pickled.load` was given, or `Pickled.dumps()` of one built
opcode by opcode). fickling is imported from the checkout (standard library plus typing_extensions); nothing is
unpickled: fickling only parses and serialises opcodes.

The label of each file is what its test asserts about it: a severity above LIKELY_SAFE (or at least
LIKELY_UNSAFE / OVERTLY_MALICIOUS, or a ScannerDeactivation finding) is malicious; LIKELY_SAFE, or no unsafe-import
finding, is benign. The benign tests are named in BENIGN below; in `test_private_stdlib_allowlist` the two
`allowed=` subtests are benign and the last call (a dotted name under `__future__`) is malicious. Whether fickling
itself passes its test does not matter: the label is the assertion. It writes `labels.json` beside the files.
"""

import contextlib
import hashlib
import importlib.util
import json
import pathlib
import re
import sys
import unittest

src, out = pathlib.Path(sys.argv[1]).resolve(), pathlib.Path(sys.argv[2])
sys.path.insert(0, str(src))
from fickling.fickle import Pickled  # noqa: E402  (the checkout's own package)

TEST_FILES = ["test/test_bypasses.py", "test/test_scanner_deactivation_analysis.py"]
# Tests whose assertion is "safe" (LIKELY_SAFE, or no unsafe-import finding).
BENIGN = {
    "test_safe_builtins_not_flagged",
    "test_safe_builtin_dict_not_flagged",
    "test_well_formed_frames_are_not_flagged",
    "test_benign_import_not_flagged",
}

out.mkdir(parents=True, exist_ok=True)
labels = []
state = {"test": None, "sub": None}

# Keep the bytes a parsed pickle came from: a frame-violation pickle does not survive dumps() unchanged.
_load = Pickled.load


def load_keeping_bytes(data, *args, **kwargs):
    parsed = _load(data, *args, **kwargs)
    parsed._raw_bytes = bytes(data)
    return parsed


Pickled.load = staticmethod(load_keeping_bytes)

# Subtest parameters name the file.
_subtest = unittest.TestCase.subTest


@contextlib.contextmanager
def subtest_named(self, msg=None, **params):
    prev = state["sub"]
    state["sub"] = msg if msg is not None else ",".join(f"{k}={v}" for k, v in params.items())
    try:
        with _subtest(self, msg, **params):
            yield
    finally:
        state["sub"] = prev


unittest.TestCase.subTest = subtest_named


def label_for(test, sub):
    if test in BENIGN:
        return "benign"
    if test == "test_private_stdlib_allowlist":
        return "benign" if sub and sub.startswith("allowed=") else "malicious"
    return "malicious"


def recorder(real):
    def check_safety(pickled, *args, **kwargs):
        blob = getattr(pickled, "_raw_bytes", None) or pickled.dumps()
        test, sub = state["test"], state["sub"]
        stem = test + (f"--{sub}" if sub else "")
        stem = re.sub(r"[^A-Za-z0-9_.=,-]+", "_", stem)[:120]
        name = f"{stem}.pkl"
        n = 2
        while (out / name).exists():
            name = f"{stem}-{n}.pkl"
            n += 1
        (out / name).write_bytes(blob)
        labels.append(
            {
                "set": "fickling",
                "file": name,
                "label": label_for(test, sub),
                "test": test,
                "subtest": sub,
                "sha256": hashlib.sha256(blob).hexdigest(),
            }
        )
        return real(pickled, *args, **kwargs)

    return check_safety


class NamingResult(unittest.TestResult):
    def startTest(self, test):
        state["test"] = test._testMethodName
        state["sub"] = None
        super().startTest(test)


for rel in TEST_FILES:
    spec = importlib.util.spec_from_file_location(pathlib.Path(rel).stem, src / rel)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.check_safety = recorder(mod.check_safety)
    result = NamingResult()
    unittest.defaultTestLoader.loadTestsFromModule(mod).run(result)
    for test, trace in result.errors:
        print(f"{rel}: {test.id()} raised: {trace.strip().splitlines()[-1]}", file=sys.stderr)

(out / "labels.json").write_text(json.dumps(labels, indent=1) + "\n")
counts = {}
for u in labels:
    counts[u["label"]] = counts.get(u["label"], 0) + 1
print(json.dumps(counts))
