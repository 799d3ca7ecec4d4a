import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { sha256File } from "../src/core/index.js";
import { scratchDir, table, time } from "./util.js";

/** Streaming sha256 throughput against file size (memory stays flat: 1 MiB chunks). */
export default async function bench(): Promise<void> {
  const { dir, cleanup } = scratchDir("digest");
  try {
    const rows: Array<Array<string | number>> = [];
    for (const mib of [1, 16, 128, 512]) {
      const file = join(dir, `f${mib}`);
      const chunk = Buffer.alloc(1 << 20, 7);
      writeFileSync(file, "");
      for (let i = 0; i < mib; i++) writeFileSync(file, chunk, { flag: "a" });
      const ms = await time(() => sha256File(file), 3);
      rows.push([`${mib} MiB`, ms, (mib / ms) * 1000]);
    }
    table(["file", "ms (best of 3)", "MiB/s"], rows);
  } finally {
    cleanup();
  }
}
