import { oneLine } from "../../../core/errors.js";
import { findCodeText, reportCodeText } from "../codetext.js";
import { findEncodedPickle } from "../hidden.js";
import { SliceSource } from "../source.js";
import type { Analyzer, AnalyzerInput, Report } from "../types.js";

/** Bytes per element (safetensors Dtype). */
export const SAFETENSORS_DTYPES: Record<string, number> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E4M3: 1,
  F8_E5M2: 1,
  F8_E8M0: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  F64: 8,
  I64: 8,
  U64: 8,
  C64: 8,
};

/** u64 little-endian header length, then a JSON object starting with `{` (possibly after spaces). */
function looksLikeSafetensors(head: Uint8Array): boolean {
  if (head.length < 10) return false;
  let n = 0;
  for (let i = 7; i >= 0; i--) n = n * 256 + head[i]!;
  // A header length past the end of the file is still this format (truncated, or a length made to exhaust
  // readers): the analyzer reports it rather than the file passing as unrecognised.
  if (n < 2) return false;
  let i = 8;
  while (i < head.length && head[i] === 0x20) i++;
  return head[i] === 0x7b;
}

/**
 * safetensors: validates the header the way the reference loader does (size cap, JSON object, dtypes,
 * shapes against byte ranges, contiguous in-bounds offsets, no duplicates) and never reads tensor data.
 * Bytes the header does not account for are where payloads hide.
 */
export const safetensorsAnalyzer: Analyzer = {
  type: "safetensors",
  version: 1,
  required: (head) => looksLikeSafetensors(head),
  analyze: async (input: AnalyzerInput) => {
    const { source } = input;
    input.note("safetensors");
    const pre = await source.read(0, 8);
    let n = 0;
    for (let i = 7; i >= 0; i--) n = n * 256 + pre[i]!;
    const bad = (message: string, extra: Partial<Report> = {}) => input.report({ ruleId: "model.safetensors.invalid", severity: "medium", message, ...extra });
    if (n > input.limits.maxHeaderBytes) return bad(`header length ${n} exceeds the ${input.limits.maxHeaderBytes}-byte limit the reference loader enforces`, { offset: 0 });
    if (n + 8 > source.size) return bad(`header length ${n} runs past the end of the file (${source.size} bytes): no reader loads it`, { offset: 0 });
    const text = Buffer.from(await source.read(8, n)).toString("utf8");
    let header: unknown;
    try {
      header = JSON.parse(text);
    } catch (e) {
      return bad(`header is not valid JSON (${oneLine((e as Error).message)})`, { offset: 8 });
    }
    if (typeof header !== "object" || header === null || Array.isArray(header)) return bad("header is not a JSON object", { offset: 8 });
    const dups = duplicateTopLevelKeys(text);
    if (dups.length > 0)
      bad(`tensor names appear more than once: ${dups.slice(0, 5).join(", ")} (readers disagree which one wins)`, { offset: 8, evidence: { duplicates: dups.slice(0, 50) } });
    const bufferLen = source.size - 8 - n;
    const ranges: Array<[number, number, string]> = [];
    for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
      const pointer = `/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`;
      if (name === "__metadata__") {
        if (typeof raw !== "object" || raw === null || Array.isArray(raw) || Object.values(raw).some((v) => typeof v !== "string"))
          bad("__metadata__ must map strings to strings", { pointer });
        else {
          // Metadata is free text for the people who read it: code in it runs nowhere at load time.
          const hits = Object.entries(raw as Record<string, string>).flatMap(([k, v]) => {
            const hit = findCodeText(v);
            return hit ? [{ k, hit }] : [];
          });
          if (hits.length > 0)
            reportCodeText(input, `safetensors metadata ${JSON.stringify(hits[0]!.k.slice(0, 80))}${hits.length > 1 ? ` (and ${hits.length - 1} more)` : ""}`, hits[0]!.hit, 8);
          for (const [k, v] of Object.entries(raw as Record<string, string>)) await findEncodedPickle(v, 8, input, `in safetensors metadata ${JSON.stringify(k.slice(0, 80))}`);
        }
        continue;
      }
      const t = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
      if (typeof t !== "object" || t === null) {
        bad(`tensor ${name} is not an object`, { pointer });
        continue;
      }
      const size = typeof t.dtype === "string" ? SAFETENSORS_DTYPES[t.dtype] : undefined;
      if (size === undefined) {
        bad(`tensor ${name} has unknown dtype ${JSON.stringify(t.dtype)}`, { pointer: `${pointer}/dtype` });
        continue;
      }
      if (!Array.isArray(t.shape) || t.shape.some((d) => !Number.isSafeInteger(d) || (d as number) < 0)) {
        bad(`tensor ${name} has an invalid shape`, { pointer: `${pointer}/shape` });
        continue;
      }
      const off = t.data_offsets;
      if (!Array.isArray(off) || off.length !== 2 || off.some((d) => !Number.isSafeInteger(d) || (d as number) < 0) || off[1] < off[0]) {
        bad(`tensor ${name} has invalid data_offsets`, { pointer: `${pointer}/data_offsets` });
        continue;
      }
      const [b, e] = off as [number, number];
      const want = (t.shape as number[]).reduce((a, d) => a * d, 1) * size;
      if (e - b !== want) bad(`tensor ${name}: shape ${JSON.stringify(t.shape)} × ${size} bytes = ${want}, but data_offsets span ${e - b}`, { pointer: `${pointer}/data_offsets` });
      if (e > bufferLen) bad(`tensor ${name} ends at ${e}, past the ${bufferLen}-byte data buffer`, { pointer: `${pointer}/data_offsets` });
      ranges.push([b, e, name]);
    }
    ranges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    let cursor = 0;
    for (const [b, e, name] of ranges) {
      if (b < cursor) bad(`tensor ${name} overlaps the previous tensor (bytes ${b}..${cursor})`, { offset: 8 + n + b });
      else if (b > cursor) await gap(input, 8 + n + cursor, b - cursor, `before tensor ${name}`);
      cursor = Math.max(cursor, e);
    }
    if (cursor < bufferLen) await gap(input, 8 + n + cursor, bufferLen - cursor, "after the last tensor");
  },
};

/** Bytes no tensor claims: reported, and scanned in case they carry a pickle or archive. */
async function gap(input: AnalyzerInput, offset: number, length: number, where: string): Promise<void> {
  const head = await input.source.read(offset, Math.min(length, 4096));
  const wanted = input.wants(head, "", length);
  input.report({
    ruleId: wanted ? "model.safetensors.hidden-payload" : "model.safetensors.invalid",
    severity: wanted ? "high" : "medium",
    message: `${length} bytes ${where} belong to no tensor${wanted ? " and hold another format (payload smuggled in a safe format)" : " (the reference loader rejects gaps)"}`,
    offset,
    length,
  });
  if (wanted) {
    await input.scanNested(new SliceSource(input.source, offset, length), `@${offset}(unclaimed bytes)`);
  }
}

/** Keys that occur more than once at the top level of a JSON object (JSON.parse keeps the last). */
export function duplicateTopLevelKeys(text: string): string[] {
  const seen = new Set<string>();
  const dups: string[] = [];
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      if (depth === 1 && expectKey) {
        const key = text.slice(i + 1, j);
        if (seen.has(key)) dups.push(key);
        seen.add(key);
        expectKey = false;
      }
      i = j;
    } else if (c === "{" || c === "[") {
      depth++;
      if (depth === 1) expectKey = true;
    } else if (c === "}" || c === "]") depth--;
    else if (c === "," && depth === 1) expectKey = true;
  }
  return dups;
}
