import { tag } from "../../../core/index.js";
import { SliceSource } from "../source.js";
import type { Analyzer, AnalyzerInput } from "../types.js";
import { unsafeMemberName } from "./zip.js";

function octal(b: Uint8Array, off: number, len: number): number {
  const s = Buffer.from(b.subarray(off, off + len))
    .toString("latin1")
    .replace(/\0.*$/s, "")
    .trim();
  if (s === "") return 0;
  if (!/^[0-7]+$/.test(s)) return Number.NaN;
  return Number.parseInt(s, 8);
}

function checksumOk(h: Uint8Array): boolean {
  const want = octal(h, 148, 8);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
  return sum === want;
}

function cstr(b: Uint8Array, off: number, len: number): string {
  const s = b.subarray(off, off + len);
  const z = s.indexOf(0);
  return Buffer.from(z >= 0 ? s.subarray(0, z) : s).toString("utf8");
}

/** tar archives, including PyTorch's oldest format (sys_info, pickle, storages, tensors members). */
export const tarAnalyzer: Analyzer = {
  type: "tar",
  version: 1,
  required: (head) => head.length >= 512 && Buffer.from(head.subarray(257, 262)).toString("latin1") === "ustar" && checksumOk(head),
  analyze: async (input: AnalyzerInput) => {
    input.note("tar");
    const { source } = input;
    let pos = 0;
    let longName: string | undefined;
    let paxPath: string | undefined;
    const names: string[] = [];
    for (let count = 0; pos + 512 <= source.size && count < input.limits.maxMembers; count++) {
      const h = await source.read(pos, 512);
      if (h.every((b) => b === 0)) break;
      if (!checksumOk(h)) {
        input.report({ ruleId: "model.archive.unreadable", severity: "medium", message: `tar header at offset ${pos} has a bad checksum; the rest was not scanned`, offset: pos });
        return;
      }
      const size = octal(h, 124, 12);
      if (!Number.isFinite(size) || pos + 512 + size > source.size) {
        input.report({ ruleId: "model.archive.unreadable", severity: "medium", message: `tar member at offset ${pos} declares an impossible size`, offset: pos });
        return;
      }
      const type = String.fromCharCode(h[156]!);
      const prefix = cstr(h, 345, 155);
      let name = longName ?? paxPath ?? (prefix ? `${prefix}/${cstr(h, 0, 100)}` : cstr(h, 0, 100));
      const dataAt = pos + 512;
      pos = dataAt + Math.ceil(size / 512) * 512;
      if (type === "L") {
        longName = cstr(await source.read(dataAt, Math.min(size, 65_536)), 0, size);
        continue;
      }
      if (type === "x") {
        const text = Buffer.from(await source.read(dataAt, Math.min(size, 65_536))).toString("utf8");
        paxPath = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(text)?.[1];
        continue;
      }
      if (type === "g") continue;
      longName = undefined;
      paxPath = undefined;
      name = name.replace(/^\.\//, "");
      names.push(name);
      const bad = unsafeMemberName(name);
      if (bad)
        input.report({
          ruleId: "model.archive.path-traversal",
          severity: "high",
          message: `member name ${JSON.stringify(name)} ${bad}; extracting it writes outside the target folder`,
          offset: dataAt - 512,
          entity: name,
          tags: [tag.cwe(22)],
        });
      if (type === "1" || type === "2") {
        const target = cstr(h, 157, 100);
        if (target.startsWith("/") || target.split("/").includes(".."))
          input.report({
            ruleId: "model.archive.path-traversal",
            severity: "high",
            message: `${type === "2" ? "symlink" : "hard link"} ${name} points to ${target}, outside the archive`,
            offset: dataAt - 512,
            tags: [tag.cwe(59)],
          });
        continue;
      }
      if (type !== "0" && type !== "\0" && type !== "7") continue;
      await input.scanNested(new SliceSource(source, dataAt, size), name);
    }
    if (["sys_info", "pickle", "storages"].every((n) => names.includes(n))) input.note("pytorch-legacy-tar");
  },
};
