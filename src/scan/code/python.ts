import { createRequire } from "node:module";
import { Language, Parser } from "web-tree-sitter";
import { WASM_BINDING } from "./syntax.js";

let ready: Promise<Parser> | undefined;

/** One tree-sitter parser for Python per process (the WASM grammar ships with tree-sitter-python). */
export function pythonParser(): Promise<Parser> {
  ready ??= (async () => {
    await Parser.init(WASM_BINDING);
    const require = createRequire(import.meta.url);
    const language = await Language.load(require.resolve("tree-sitter-python/tree-sitter-python.wasm"));
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return ready;
}
