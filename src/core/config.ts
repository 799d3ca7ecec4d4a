import { isNode, LineCounter, parseDocument } from "yaml";
import type * as z from "zod";
import { messageOf, RampartError } from "./errors.js";
import { readText } from "./files.js";
import { firstProblem, YAML_PARSE_OPTIONS } from "./yaml.js";

/**
 * Parses YAML text and validates it with a zod schema. Any error is one line that names the file,
 * the line and column, and the key path: `rampart.yaml:7:5: stages.1.stage: unknown stage "scna"`.
 */
export function parseYaml<S extends z.ZodType>(schema: S, text: string, file: string): z.infer<S> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { ...YAML_PARSE_OPTIONS, lineCounter, prettyErrors: false });
  const syntax = firstProblem(doc);
  if (syntax) {
    const pos = lineCounter.linePos(syntax.offset);
    throw new RampartError("invalid-config", `${file}:${pos.line}:${pos.col}: ${firstLine(syntax.message)}`);
  }
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (e) {
    // Aliases that expand past the library's limit (a "billion laughs" file) are refused here.
    throw new RampartError("invalid-config", `${file}: ${firstLine(messageOf(e))}`);
  }
  const result = schema.safeParse(data ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map(String);
  // Point at the deepest node that exists: a missing key is reported at its parent mapping.
  let at = 0;
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n).map(keyOf), true);
    if (isNode(node) && node.range) {
      at = node.range[0];
      break;
    }
  }
  const pos = lineCounter.linePos(at);
  const where = path.length ? `${path.join(".")}: ` : "";
  throw new RampartError("invalid-config", `${file}:${pos.line}:${pos.col}: ${where}${issue.message}`);
}

export async function loadYaml<S extends z.ZodType>(schema: S, file: string): Promise<z.infer<S>> {
  return parseYaml(schema, await readText(file), file);
}

function keyOf(segment: string): string | number {
  return /^\d+$/.test(segment) ? Number(segment) : segment;
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.trim();
}
