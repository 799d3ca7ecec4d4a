// The core barrel would load zod, yaml and the renderers: the scanner takes only what it uses.
import { tag } from "../../../core/tags.js";
import { type CodeText, findCodeText, reportCodeText } from "../codetext.js";
import { findEncodedPickle } from "../hidden.js";
import { Cursor } from "../source.js";
import type { Analyzer, AnalyzerInput } from "../types.js";

const TYPE_NAMES = ["UINT8", "INT8", "UINT16", "INT16", "UINT32", "INT32", "FLOAT32", "BOOL", "STRING", "ARRAY", "UINT64", "INT64", "FLOAT64"];
const FIXED: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
const MAX_STRING = 64 * 1024 * 1024;

/**
 * Header values no GGUF writer produces, only exploit files: llama.cpp's reader multiplied counts into allocation
 * sizes (CVE-2024-21836: n_tensors × 88 wraps), copied up to n_dims values into a 4-slot array (CVE-2024-21802),
 * and trusted string and array lengths (the sibling advisories of the same 2024 audit). A truncated download keeps sane values, so it stays
 * medium "invalid".
 */
const SANE = { keys: 1_000_000, tensors: 10_000_000, dims: 4, string: 2 ** 30, array: 2 ** 31, element: 2 ** 62, offset: 2 ** 48 };

const LENGTH_CVE = "the string-length overflow of the 2024 llama.cpp GGUF advisories: a length cast to a signed size or allocated whole";

/** A header value in the shape of a GGUF parser exploit (reported high, not as a merely invalid file). */
class ParserExploit extends Error {
  constructor(
    readonly field: string,
    readonly value: number,
    readonly cve: string,
    readonly at: number,
  ) {
    super(`${field} is ${value.toLocaleString("en-US")}`);
  }
}

/** Jinja constructs that reach Python internals from a template (server-side template injection). */
const SSTI: Array<[RegExp, "critical" | "high", string]> = [
  [/__globals__|__builtins__|__import__|__subclasses__/, "critical", "reaches Python globals, built-ins or subclasses"],
  [/\b(popen|subprocess|os\.system|eval\s*\(|exec\s*\(|getattr\s*\()/, "critical", "names a process or code-execution call"],
  [/__class__|__mro__|__base__|__bases__|__init__|__dict__|__getattribute__|__reduce/, "high", "walks Python object internals"],
  [/\b(cycler|joiner|lipsum|namespace)\s*\.\s*__|\bself\._TemplateReference|\brequest\.application|\bconfig\.(items|from_)/, "high", "uses a known Jinja sandbox-escape gadget"],
  [/\{%-?\s*(import|include|extends|from)\b/, "high", "loads other templates"],
  [/\|\s*attr\s*\(/, "high", "reads attributes by computed name (|attr)"],
];

/**
 * GGUF (llama.cpp): parses the header and every metadata value with bounded reads, checks tensor
 * infos against the file size, and scans chat templates for template injection. Tensor data is not read.
 */
export const ggufAnalyzer: Analyzer = {
  type: "gguf",
  version: 1,
  required: (head) => head[0] === 0x47 && head[1] === 0x47 && head[2] === 0x55 && head[3] === 0x46,
  analyze: async (input: AnalyzerInput) => {
    input.note("gguf");
    const c = new Cursor(input.source, 4);
    const bad = (message: string, offset: number) => input.report({ ruleId: "model.gguf.invalid", severity: "medium", message, offset });
    try {
      const version = await c.u32();
      if (version < 1 || version > 3) return bad(`unsupported GGUF version ${version}`, 4);
      const wide = version >= 2;
      const count = async () => (wide ? c.u64() : c.u32());
      const tensorCount = await count();
      const kvCount = await count();
      if (tensorCount > SANE.tensors) throw new ParserExploit("the tensor count", tensorCount, "CVE-2024-21836: n_tensors × tensor-info size overflows the allocation", 8);
      if (kvCount > SANE.keys) throw new ParserExploit("the metadata key count", kvCount, "CVE-2024-21836 class: n_kv × entry size overflows the allocation", wide ? 16 : 12);
      const str = async (): Promise<{ text?: string; len: number; at: number }> => {
        const at = c.pos;
        const len = await count();
        if (len >= SANE.string) throw new ParserExploit(`the string length at offset ${at}`, len, LENGTH_CVE, at);
        if (len > MAX_STRING || len > c.remaining) throw new RangeError(`string of ${len} bytes at offset ${at} runs past the limit or the file`);
        return { text: Buffer.from(await c.bytes(len)).toString("utf8"), len, at };
      };
      const skipString = async () => {
        const at = c.pos;
        const len = await count();
        if (len >= SANE.string) throw new ParserExploit(`the string length at offset ${at}`, len, LENGTH_CVE, at);
        if (len > c.remaining) throw new RangeError(`string of ${len} bytes runs past the file`);
        c.skip(len);
      };
      let alignment = 32;
      const codeHits: Array<{ key: string; hit: CodeText; at: number }> = [];
      for (let i = 0; i < kvCount; i++) {
        const keyAt = c.pos;
        const key = (await str()).text!;
        const type = await c.u32();
        if (type === 8) {
          const v = await str();
          if (key === "tokenizer.chat_template" || key.startsWith("tokenizer.chat_template.")) checkTemplate(input, key, v.text!, v.at);
          else {
            // A scalar string value (not the vocabulary arrays below): informational when it reads like code.
            const hit = findCodeText(v.text!);
            if (hit) codeHits.push({ key, hit, at: v.at });
            await findEncodedPickle(v.text!, v.at, input, `in GGUF metadata ${JSON.stringify(key.slice(0, 80))}`);
          }
        } else if (type === 9) {
          const elem = await c.u32();
          const n = await (wide ? c.u64() : c.u32());
          if (n >= SANE.array)
            throw new ParserExploit(
              `the element count of array ${JSON.stringify(key.slice(0, 80))}`,
              n,
              "the array-count overflow of the 2024 llama.cpp GGUF advisories: count × element size wraps the allocation",
              keyAt,
            );
          if (elem === 9) throw new RangeError(`nested arrays under ${key} at offset ${keyAt}`);
          if (elem === 8 && wide) {
            // Vocabularies hold 10^5 strings: read lengths from the buffer without an await each.
            for (let j = 0; j < n; j++) {
              if (!c.buffered(8) && !(await c.fill(8))) throw new RangeError(`string array ${key} runs past the file`);
              const len = c.u64Now();
              if (len >= SANE.string) throw new ParserExploit(`the length of string ${j} of ${JSON.stringify(key.slice(0, 80))}`, len, LENGTH_CVE, c.pos - 8);
              if (len > c.remaining) throw new RangeError(`string of ${len} bytes in ${key} runs past the file`);
              c.pos += len;
            }
          } else if (elem === 8) for (let j = 0; j < n; j++) await skipString();
          else {
            const w = FIXED[elem];
            if (w === undefined) throw new RangeError(`unknown array element type ${elem} under ${key}`);
            c.skip(n * w);
          }
        } else {
          const w = FIXED[type];
          if (w === undefined) throw new RangeError(`unknown value type ${type} for ${key} at offset ${keyAt}`);
          const b = await c.bytes(w);
          if (key === "general.alignment" && type === 4) alignment = b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24);
        }
      }
      if (codeHits.length > 0) {
        const h = codeHits[0]!;
        reportCodeText(input, `GGUF metadata ${JSON.stringify(h.key.slice(0, 80))}${codeHits.length > 1 ? ` (and ${codeHits.length - 1} more)` : ""}`, h.hit, h.at);
      }
      if (alignment <= 0 || (alignment & (alignment - 1)) !== 0) bad(`general.alignment ${alignment} is not a power of two`, 0);
      const infos: Array<{ name: string; offset: number; at: number }> = [];
      for (let i = 0; i < tensorCount; i++) {
        const at = c.pos;
        const name = (await str()).text!;
        const dims = await c.u32();
        if (dims > SANE.dims)
          throw new ParserExploit(
            `the dimension count of tensor ${JSON.stringify(name.slice(0, 80))}`,
            dims,
            "CVE-2024-21802: n_dims past GGML_MAX_DIMS (4) overflows the shape array",
            at,
          );
        let elements = 1;
        for (let d = 0; d < dims; d++) {
          const ne = await count();
          elements *= ne;
          if (ne >= SANE.element || elements >= SANE.element)
            throw new ParserExploit(`the shape of tensor ${JSON.stringify(name.slice(0, 80))}`, elements, "CVE-2024-21802 class: the element count overflows int64", at);
        }
        await c.u32(); // ggml type
        const offset = await c.u64();
        if (offset >= SANE.offset)
          throw new ParserExploit(
            `the data offset of tensor ${JSON.stringify(name.slice(0, 80))}`,
            offset,
            "an offset past 256 TiB: offset + size wraps or reads far outside the mapping",
            at,
          );
        infos.push({ name, offset, at });
      }
      const dataStart = Math.ceil(c.pos / Math.max(1, alignment)) * Math.max(1, alignment);
      for (const t of infos)
        if (dataStart + t.offset > input.source.size) bad(`tensor ${t.name} starts at ${dataStart + t.offset}, past the end of the ${input.source.size}-byte file`, t.at);
    } catch (e) {
      if (e instanceof ParserExploit)
        return input.report({
          ruleId: "model.gguf.parser-exploit",
          severity: "high",
          message: `${e.message}: no GGUF writer produces this value; a reader that trusts it overflows (${e.cve})`,
          offset: e.at,
          evidence: { field: e.field, value: e.value },
          remediation: "Do not load this file; use a llama.cpp / gguf reader with the 2024 bounds checks, and fetch the model again from its publisher.",
          tags: [tag.cwe(190), tag.owaspLlm("LLM03")],
        });
      if (!(e instanceof RangeError)) throw e;
      bad(`GGUF metadata does not parse: ${e.message}`, c.pos);
    }
  },
};

function checkTemplate(input: AnalyzerInput, key: string, template: string, offset: number): void {
  for (const [re, severity, why] of SSTI) {
    const m = re.exec(template);
    if (!m) continue;
    input.report({
      ruleId: "model.gguf.template-injection",
      severity,
      message: `${key} ${why} (${JSON.stringify(m[0])}): rendering it in an unsandboxed Jinja environment runs code (CVE-2024-34359)`,
      offset,
      pointer: `/${key}`,
      entity: key,
      evidence: { match: m[0], context: template.slice(Math.max(0, m.index - 60), m.index + 60) },
      remediation: "Render chat templates only in a sandboxed Jinja environment (ImmutableSandboxedEnvironment) and replace this template with the upstream one.",
      tags: [tag.cwe(1336), tag.owaspLlm("LLM03"), tag.atlas("AML.T0010.003")],
    });
    return;
  }
}

export { TYPE_NAMES };
