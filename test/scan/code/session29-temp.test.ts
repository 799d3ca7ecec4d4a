/**
 * Session 29: a fixed path in a shared temporary folder (/tmp, /var/tmp, /dev/shm) given to a call that opens,
 * creates, writes or loads it (Bandit's B108, CWE-377). Look-alikes: paths from tempfile, paths elsewhere, `/tmp`
 * in text that is not a path given to such a call, a folder named `tmp` under the project.
 */
import { describe, expect, it } from "vitest";
import { lines, ruleLines, ruleSeverities } from "../../helpers/python.js";

const at = ruleLines();
const severities = ruleSeverities();
const RULE = "code.shared-temp-path";

describe("a fixed path in a shared temporary folder", () => {
  it("is reported where a file is opened, created or written there", () => {
    expect(at(lines('with open("/tmp/acme.pub") as f:', "    key = f.read()"), RULE)).toEqual([1]);
    expect(at(lines("import os", "fd = os.open('/var/tmp/state', os.O_RDWR | os.O_CREAT)"), RULE)).toEqual([2]);
    expect(at(lines("from pathlib import Path", 'Path("/dev/shm/cache.bin").write_bytes(b"x")'), RULE)).toEqual([2]);
    expect(at(lines("import os", 'os.makedirs("/tmp/run/logs", exist_ok=True)'), RULE)).toEqual([2]);
    expect(at(lines("import numpy as np", "np.save('/tmp/features.npy', arr)"), RULE)).toEqual([2]);
    expect(at(lines("import logging", 'h = logging.FileHandler("/tmp/app.log")'), RULE)).toEqual([2]);
    expect(at(lines("import shutil", 'shutil.copy("model.pt", "/tmp/model.pt")'), RULE)).toEqual([2]);
  });
  it("in the other folders every user may write: macOS's and Windows' temporary folders, lock and shared folders", () => {
    expect(at(lines('open("/private/tmp/f", "w+")', 'open("/Users/Shared/f", "w+")', 'open("/run/lock/f", "w+")'), RULE)).toEqual([1, 2, 3]);
    expect(at(lines('open(r"C:\\Windows\\Temp\\f")', 'open(r"\\TEMP\\f")', 'open("C:\\\\Windows\\\\Temp\\\\f")'), RULE)).toEqual([1, 2, 3]);
    expect(at(lines('open(r"C:\\Temperatures")', 'open("/tmpx", "w+")', 'open("dev/shm/f", "w+")'), RULE)).toEqual([]);
  });
  it("through a name, an f-string, a `+` and os.path.join", () => {
    expect(at(lines('OUT = "/tmp/report.csv"', 'with open(OUT, "w") as f:', "    f.write(data)"), RULE)).toEqual([2]);
    expect(at(lines('open(f"/tmp/{run_id}.json", "w").write(blob)'), RULE)).toEqual([1]);
    expect(at(lines('open("/tmp/" + name, "w").write(blob)'), RULE)).toEqual([1]);
    expect(at(lines("import os", 'open(os.path.join("/tmp", "out.txt"), "w")'), RULE)).toEqual([2]);
  });
  it("is medium where a pickle-based loader loads it (a planted file runs code), low otherwise", () => {
    expect(severities(lines("import torch", 'model = torch.load("/tmp/ckpt.pt", weights_only=True)'), RULE)).toEqual(["2:medium"]);
    expect(severities(lines("import joblib", 'clf = joblib.load("/tmp/clf.joblib")'), RULE)).toEqual(["2:medium"]);
    expect(severities(lines("import torch", 'torch.save(model.state_dict(), "/tmp/ckpt.pt")'), RULE)).toEqual(["2:low"]);
  });
});

describe("what is not a fixed path in a shared temporary folder", () => {
  it("paths made by tempfile, or under the project's own tmp folder", () => {
    expect(at(lines("import tempfile, os", "d = tempfile.mkdtemp()", 'open(os.path.join(d, "out.txt"), "w")'), RULE)).toEqual([]);
    expect(at(lines("import tempfile", "with tempfile.NamedTemporaryFile() as f:", "    f.write(b'x')"), RULE)).toEqual([]);
    expect(at(lines('open("tmp/out.txt", "w")', 'open("./tmp/out.txt", "w")', 'open("/home/app/tmp/out.txt", "w")'), RULE)).toEqual([]);
    expect(at(lines('open("/tmpfiles/out.txt", "w")'), RULE)).toEqual([]);
  });
  it("the folder alone, and /tmp in text no file call receives", () => {
    expect(at(lines("import os", 'os.makedirs("/tmp", exist_ok=True)'), RULE)).toEqual([]);
    expect(at(lines('print("written to /tmp/out.txt")', 'HELP = "/tmp/out.txt is removed at exit"'), RULE)).toEqual([]);
    expect(at(lines('open(log_path, "w").write("see /tmp/x")'), RULE)).toEqual([]);
  });
  it("a method of another object named like a file call", () => {
    expect(at(lines('db.save("/tmp/x")', 'cache.load("/tmp/x")', 'pool.connect("/tmp/sock")'), RULE)).toEqual([]);
  });
});
