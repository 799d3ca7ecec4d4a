import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from "yaml";

/**
 * YAML from untrusted files in linear time. The yaml library's own duplicate-key check compares each
 * key of a mapping with every earlier one: a 20,000-entry pnpm-lock.yaml cost 9.5 s of CPU, 80,000
 * entries minutes. Documents are parsed with that check off and duplicates found here with one Set per
 * mapping: the same keys are refused ("Map keys must be unique", at the second key).
 */

/** Options every caller passes to parseDocument: the library's quadratic check off (see duplicateKey). */
export const YAML_PARSE_OPTIONS = { uniqueKeys: false } as const;

export interface YamlProblem {
  /** Character offset in the text. */
  offset: number;
  message: string;
}

/** Every key that repeats an earlier key of the same mapping (scalar keys compared by value, as the library does), in text order. */
export function duplicateKeys(doc: Document): YamlProblem[] {
  // Iterative: nesting depth is the attacker's to choose.
  const stack: unknown[] = [doc.contents];
  const out: YamlProblem[] = [];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const key = pair.key;
        // NaN never equals itself, so the library never calls two `.nan` keys duplicates.
        if (isScalar(key) && !Number.isNaN(key.value)) {
          if (seen.has(key.value)) out.push({ offset: key.range?.[0] ?? 0, message: "Map keys must be unique" });
          else seen.add(key.value);
        }
        stack.push(pair.key, pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(isPair(item) ? item.value : item);
    } else if (isPair(node)) stack.push(node.key, node.value);
  }
  return out.sort((a, b) => a.offset - b.offset);
}

/** The library's errors and the duplicate keys of a document, in text order. */
export function yamlProblems(doc: Document): YamlProblem[] {
  const fromLib = doc.errors.map((e) => ({ offset: e.pos[0], message: e.message.split("\n")[0]!.trim() }));
  return [...fromLib, ...duplicateKeys(doc)].sort((a, b) => a.offset - b.offset);
}

/** The first problem of a parsed document: the library's first error or a duplicate key, whichever comes first. */
export function firstProblem(doc: Document): YamlProblem | undefined {
  return yamlProblems(doc)[0];
}

/**
 * Parses one YAML document to plain data, throwing an Error whose message is the problem's first line
 * followed by " at line L, column C:" (the library's own wording), and whose `line` is 1-based.
 */
export function parseYamlValue(text: string, maxAliasCount: number): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { ...YAML_PARSE_OPTIONS, lineCounter, prettyErrors: false, logLevel: "error" });
  const problem = firstProblem(doc);
  if (problem) {
    const pos = lineCounter.linePos(problem.offset);
    throw Object.assign(new Error(`${problem.message.replace(/:$/, "")} at line ${pos.line}, column ${pos.col}:`), { line: pos.line });
  }
  return doc.toJS({ maxAliasCount });
}
