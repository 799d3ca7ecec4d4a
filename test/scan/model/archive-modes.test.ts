import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { scanModelPaths } from "../../../src/scan/model/index.js";
import { tempDir } from "../../helpers/db.js";

// Archives written by Python's zipfile and tarfile with explicit Unix modes and member types (what unzip and tar honour).
const WRITER = String.raw`
import io, sys, tarfile, zipfile
out = sys.argv[1]
def z(name, members):
    with zipfile.ZipFile(f"{out}/{name}", "w") as f:
        for n, data, mode in members:
            i = zipfile.ZipInfo(n); i.create_system = 3; i.external_attr = mode << 16; f.writestr(i, data)
z("inside-link.zip", [("weights/a.bin", b"\0" * 8, 0o100644), ("weights/b.bin", b"a.bin", 0o120777)])
z("escape-link.zip", [("assets/passwd", b"/etc/passwd", 0o120777)])
z("device.zip", [("dev/null", b"", 0o020666)])
z("fifo.zip", [("pipe", b"", 0o010644)])
z("dos-mode.zip", [("a.bin", b"x", 0)])
with tarfile.open(f"{out}/device.tar", "w", format=tarfile.USTAR_FORMAT) as t:
    i = tarfile.TarInfo("dev/sda"); i.type = tarfile.BLKTYPE; i.devmajor = 8; t.addfile(i)
with tarfile.open(f"{out}/escape-link.tar", "w", format=tarfile.USTAR_FORMAT) as t:
    i = tarfile.TarInfo("model/link"); i.type = tarfile.SYMTYPE; i.linkname = "/etc/shadow"; t.addfile(i)
`;

let dir: string;
const findings = async (name: string) => (await scanModelPaths([join(dir, name)], { digest: false })).findings.map((f) => `${f.severity}:${f.ruleId}`);

beforeAll(() => {
  dir = tempDir("rampart-archive-modes-");
  execFileSync("python3", ["-c", WRITER, dir], { stdio: "pipe" });
});

describe("archive member types and modes", () => {
  it("a zip symlink whose target leaves the folder is high", async () => {
    expect(await findings("escape-link.zip")).toEqual(["high:model.archive.link"]);
  });
  it("a zip symlink inside the folder is medium", async () => {
    expect(await findings("inside-link.zip")).toEqual(["medium:model.archive.link"]);
  });
  it("device nodes and pipes are medium, with the reason", async () => {
    expect(await findings("device.zip")).toEqual(["medium:model.archive.special-file"]);
    expect(await findings("fifo.zip")).toEqual(["medium:model.archive.special-file"]);
    expect(await findings("device.tar")).toEqual(["medium:model.archive.special-file"]);
    const f = (await scanModelPaths([join(dir, "device.zip")], { digest: false })).findings[0]!;
    expect(f.message).toContain("character device");
  });
  it("a tar symlink out of the folder stays high", async () => {
    expect(await findings("escape-link.tar")).toEqual(["high:model.archive.path-traversal"]);
  });
  it("entries without Unix modes are plain files", async () => {
    expect(await findings("dos-mode.zip")).toEqual([]);
  });
});
