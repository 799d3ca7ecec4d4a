/**
 * Hostile model files for memory.test.ts, in fresh processes so that a peak belongs to one scan alone:
 *   memory-child.ts build SHAPE MIB FILE   writes the file (its building garbage stays in this process)
 *   memory-child.ts scan FILE NAME         scans it and prints the peak RSS above the resident size
 *                                          after the file was read, with the finding ids
 */
import { readFileSync, writeFileSync } from "node:fs";
import { deflateRawSync } from "node:zlib";
import { scanBuffer } from "../../../src/scan/model/index.js";

const [mode, ...args] = process.argv.slice(2);

/** One stored or deflated member in a minimal zip (central directory included, CRC left 0). */
function zipOne(name: string, data: Buffer, deflate: boolean, declared = data.length): Buffer {
  const body = deflate ? deflateRawSync(data) : data;
  const nm = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(deflate ? 8 : 0, 8);
  local.writeUInt32LE(body.length, 18);
  local.writeUInt32LE(declared, 22);
  local.writeUInt16LE(nm.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(deflate ? 8 : 0, 10);
  central.writeUInt32LE(body.length, 20);
  central.writeUInt32LE(declared, 24);
  central.writeUInt16LE(nm.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + nm.length, 12);
  end.writeUInt32LE(30 + nm.length + body.length, 16);
  return Buffer.concat([local, nm, body, central, nm, end]);
}

if (mode === "scan") {
  const [file, name] = args as [string, string];
  const data = readFileSync(file);
  const base = process.memoryUsage().rss;
  const r = await scanBuffer(data, name);
  const peak = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify({ peakMiB: (peak - base) / 1048576, inputMiB: data.length / 1048576, ids: [...new Set(r.findings.map((f) => `${f.ruleId}:${f.severity}`))].sort() }));
} else {
  const [shape, mibText, file] = args as [string, string, string];
  const n = Number(mibText) << 20;
  const shapes: Record<string, () => Buffer> = {
    // A deflated data.pkl of n NONE opcodes: the stack used to hold one entry per opcode (~1 GiB at 32 MiB).
    "zip-none-flood": () => zipOne("a/data.pkl", Buffer.concat([Buffer.from([0x80, 0x02]), Buffer.alloc(n, 0x4e)]), true),
    // A member declaring 100 bytes that inflates to n: only the declared bytes are kept.
    "zip-lying-size": () => zipOne("a/data.pkl", Buffer.concat([Buffer.from([0x80, 0x02, 0x4e, 0x2e]), Buffer.alloc(n)]), true, 100),
  };
  const make = shapes[shape];
  if (!make) {
    console.error(`unknown shape ${shape}`);
    process.exit(2);
  }
  writeFileSync(file, make());
}
