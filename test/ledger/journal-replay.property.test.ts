import { closeSync, existsSync, openSync, readdirSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Journal, type LedgerEvent } from "../../src/ledger/index.js";
import { tempDir } from "../helpers/db.js";

const line = (json: string) => `${(crcOf(json) >>> 0).toString(16).padStart(8, "0")}\t${json}\n`;

import { crc32 as crcOf } from "node:zlib";

describe("journal replay over pre-allocated segments (property)", () => {
  it("replays exactly the acknowledged events in order, then at most a prefix of a torn group, whatever the cut", async () => {
    await fc.assert(
      fc.asyncProperty(
        // groups of events with arbitrary text (newlines, NUL, astral characters: JSON escapes or encodes them)
        fc.array(fc.array(fc.string({ unit: "grapheme", maxLength: 40 }), { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 14 }),
        fc.array(fc.string({ maxLength: 30 }), { minLength: 1, maxLength: 6 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (groups, tornTexts, cutAt) => {
          const dir = tempDir();
          const segmentBytes = 2_048;
          const first = await Journal.open(dir, { segmentBytes, batchSize: 1_000_000, flushIntervalMs: 600_000, sink: async () => {} });
          for (let i = 0; i < 400 && !existsSync(join(dir, "spare.zero")); i++) await new Promise((r) => setTimeout(r, 2));
          const acked: string[] = [];
          let n = 0;
          const event = (text: string): LedgerEvent => ({ kind: "note", eventId: `p-${n++}`, data: { text } });
          for (const g of groups) {
            const events = g.map(event);
            first.writeGroupSync(events.map((e) => JSON.stringify(e)));
            acked.push(...events.map((e) => e.eventId!));
            // let a spare finish now and then, so groups land in appended and pre-allocated segments
            if (n % 3 === 0) await new Promise((r) => setTimeout(r, 3));
          }
          // kill -9 during the next group's write: only a prefix of its bytes reached the file.
          const torn = tornTexts.map(event);
          const bytes = Buffer.from(torn.map((e) => line(JSON.stringify(e))).join(""));
          const cut = Math.floor(cutAt * bytes.length);
          const last = readdirSync(dir)
            .filter((f) => f.endsWith(".journal"))
            .sort()
            .at(-1)!;
          const content = readFileSync(join(dir, last));
          const end = content.indexOf(0) >= 0 ? content.indexOf(0) : content.length;
          const fd = openSync(join(dir, last), "r+");
          writeSync(fd, bytes, 0, cut, end);
          closeSync(fd);

          const got: string[] = [];
          const second = await Journal.open(dir, { segmentBytes, batchSize: 50, flushIntervalMs: 5, sink: async (e) => void got.push(...e.map((x) => x.eventId!)) });
          await second.drain();
          await second.close();
          expect(got.slice(0, acked.length)).toEqual(acked);
          const extra = got.slice(acked.length);
          expect(extra).toEqual(torn.slice(0, extra.length).map((e) => e.eventId));
          // whole lines of the torn group are the only ones that may come back
          expect(extra.length).toBeLessThanOrEqual(bytes.subarray(0, cut).filter((b) => b === 10).length);
        },
      ),
      { numRuns: 25 },
    );
  });
});
