import { createRequire } from "node:module";
import { Readable } from "node:stream";
import { createGunzip, createInflate } from "node:zlib";
// The core barrel would load zod, yaml and the renderers: the scanner takes only what it uses.
import { tag } from "../../../core/tags.js";
import { BufferSource } from "../source.js";
import { type Analyzer, type AnalyzerInput, pastDeadline } from "../types.js";
import { decodeLzmaAlone } from "./lzma.js";

type Kind = "zlib" | "gzip" | "bz2" | "xz" | "lzma" | "7z";

/** unbzip2-stream ships no types: a classic (through) stream that emits data while it is written to. Both
 * decoders load on first use: most scans meet neither, and loading them costs a cold scan ~20 ms of CPU. */
const require = createRequire(import.meta.url);
const unbzip2 = () => (require("unbzip2-stream") as () => NodeJS.ReadWriteStream)();
/** xz-decompress is CommonJS without static named exports (WebAssembly xz decoder, streaming). */
const xzStream = (source: ReadableStream<Uint8Array>) => new (require("xz-decompress") as typeof import("xz-decompress")).XzReadableStream(source);

/** Compressed single streams: joblib's zlib/gzip/bz2/lzma/xz variants, gzipped pickles, 7z (detected only). */
export function compressionOf(h: Uint8Array): Kind | undefined {
  if (h.length < 6) return undefined;
  if (h[0] === 0x1f && h[1] === 0x8b) return "gzip";
  if (h[0] === 0x78 && (h[1] === 0x01 || h[1] === 0x5e || h[1] === 0x9c || h[1] === 0xda) && ((h[0] << 8) | h[1]) % 31 === 0) return "zlib";
  if (h[0] === 0x42 && h[1] === 0x5a && h[2] === 0x68 && h[3]! >= 0x31 && h[3]! <= 0x39 && h[4] === 0x31 && h[5] === 0x41) return "bz2";
  if (h[0] === 0xfd && h[1] === 0x37 && h[2] === 0x7a && h[3] === 0x58 && h[4] === 0x5a && h[5] === 0x00) return "xz";
  if (h[0] === 0x5d && h[1] === 0x00 && h[2] === 0x00 && h.length >= 13) return "lzma";
  if (h[0] === 0x37 && h[1] === 0x7a && h[2] === 0xbc && h[3] === 0xaf && h[4] === 0x27 && h[5] === 0x1c) return "7z";
  return undefined;
}

export const compressedAnalyzer: Analyzer = {
  type: "compressed",
  version: 1,
  required: (head) => compressionOf(head) !== undefined,
  analyze: async (input: AnalyzerInput) => {
    const kind = compressionOf(input.head)!;
    input.note(kind);
    if (kind === "7z") {
      input.report({
        ruleId: "model.archive.unsupported-compression",
        severity: "high",
        message: "7z archive: Rampart does not unpack 7z, so its content (possibly a pickle, as in the nullifAI models) was not scanned",
        offset: 0,
        remediation: "Unpack the archive and scan its files, or obtain the model in an uncompressed safe format.",
        tags: [tag.atlas("AML.T0010.003")],
      });
      return;
    }
    const limit = input.limits.maxPickleBytes;
    const out = kind === "lzma" ? await decompressLzma(input, limit) : await decompress(kind, readChunks(input), limit);
    if (out.timedOut || pastDeadline(input.deadline)) return; // the walker reports the file's timeout
    if (out.over)
      input.report({
        ruleId: "model.limit",
        severity: "medium",
        message: `${kind} stream inflates past the ${limit}-byte analysis limit; only the first ${limit} bytes were scanned`,
      });
    if (out.error && out.data.length === 0) {
      input.report({ ruleId: "model.archive.unreadable", severity: "medium", message: `${kind} stream does not decompress (${out.error})`, offset: 0 });
      return;
    }
    if (out.error)
      input.report({
        ruleId: "model.archive.unreadable",
        severity: "medium",
        message: `${kind} stream is damaged after ${out.data.length} bytes (${out.error}); the part before was scanned`,
      });
    await input.scanNested(new BufferSource(out.data), `(${kind}-decompressed)`);
  },
};

interface Decompressed {
  data: Uint8Array;
  over: boolean;
  error?: string;
  timedOut?: boolean;
}

/**
 * lzma-alone (joblib's `.lzma`): decoded in memory with our bounded decoder. The compressed input read
 * is capped too: past `limit` compressed bytes the output would be past the limit anyway.
 */
async function decompressLzma(input: AnalyzerInput, limit: number): Promise<Decompressed> {
  const compressed = await input.source.read(0, Math.min(input.source.size, limit + (1 << 20)));
  return decodeLzmaAlone(compressed, limit, input.deadline.at);
}

/** Decompresses a stream, keeping at most `limit` bytes and stopping as soon as it has them. */
export async function decompress(kind: "zlib" | "gzip" | "bz2" | "xz", chunks: AsyncIterable<Uint8Array>, limit: number): Promise<Decompressed> {
  const parts: Uint8Array[] = [];
  let total = 0;
  let over = false;
  let error: string | undefined;
  const take = (chunk: Uint8Array): boolean => {
    if (total + chunk.length > limit) {
      parts.push(chunk.subarray(0, limit - total));
      total = limit;
      over = true;
      return false;
    }
    parts.push(chunk);
    total += chunk.length;
    return true;
  };
  try {
    if (kind === "zlib" || kind === "gzip") {
      const stream = Readable.from(chunks).pipe(kind === "gzip" ? createGunzip() : createInflate());
      for await (const chunk of stream as AsyncIterable<Buffer>)
        if (!take(chunk)) {
          stream.destroy();
          break;
        }
    } else if (kind === "bz2") {
      // unbzip2-stream decodes synchronously inside write(): stop feeding once the limit is reached.
      const s = unbzip2();
      let failed: Error | undefined;
      s.on("data", (c: Buffer) => {
        if (!over) take(c);
      });
      s.on("error", (e: Error) => {
        failed = e;
      });
      for await (const chunk of chunks) {
        s.write(Buffer.from(chunk));
        if (over || failed) break;
      }
      if (!over && !failed) s.end();
      if (failed) throw failed;
    } else {
      const iterator = chunks[Symbol.asyncIterator]();
      const source = new ReadableStream<Uint8Array>({
        async pull(ctl) {
          const next = await iterator.next();
          if (next.done) ctl.close();
          else ctl.enqueue(new Uint8Array(next.value));
        },
      });
      const reader = xzStream(source).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (!take(value)) {
          await reader.cancel();
          break;
        }
      }
    }
  } catch (e) {
    error = (e as Error).message;
  }
  return { data: Buffer.concat(parts, total), over, error };
}

async function* readChunks(input: AnalyzerInput): AsyncGenerator<Uint8Array> {
  const step = 1 << 20;
  for (let off = 0; off < input.source.size && !pastDeadline(input.deadline); off += step) yield await input.source.read(off, step);
}
