import { type Dependency, invalid } from "../types.js";

/**
 * go.mod: `require` lines and blocks (with `// indirect` marking transitive modules, which Go 1.17+
 * lists in full), `replace` directives applied (a module replaced by a local path is not fetched),
 * `exclude` and `retract` ignored. The `go` and `toolchain` lines are not dependencies.
 */
export function parseGoMod(text: string, file: string): Dependency[] {
  const lines = text.split(/\r?\n/);
  const required: Array<{ path: string; version: string; line: number; indirect: boolean }> = [];
  const replaced = new Map<string, { path: string; version?: string } | "local">();
  let block: string | undefined;
  lines.forEach((raw, i) => {
    const comment = raw.indexOf("//");
    const code = (comment >= 0 ? raw.slice(0, comment) : raw).trim();
    const indirect = comment >= 0 && /\/\/\s*indirect\b/.test(raw.slice(comment));
    if (code === "") return;
    if (block) {
      if (code === ")") {
        block = undefined;
        return;
      }
      directive(block, code, i + 1, indirect);
      return;
    }
    const m = /^(\w+)\s*(.*)$/.exec(code);
    if (!m) throw invalid(file, `cannot read "${code}"`, i + 1);
    if (m[2] === "(") block = m[1];
    else if (m[2]!.length) directive(m[1]!, m[2]!, i + 1, indirect);
  });
  if (block) throw invalid(file, `unclosed ${block} ( block`);

  function directive(verb: string, rest: string, line: number, indirect: boolean): void {
    const words = rest.split(/\s+/).map(unquote);
    if (verb === "require") {
      if (words.length < 2 || !/^v\d/.test(words[1]!)) throw invalid(file, `require needs a module path and a version (got "${rest}")`, line);
      required.push({ path: words[0]!, version: words[1]!, line, indirect });
    } else if (verb === "replace") {
      const arrow = words.indexOf("=>");
      if (arrow < 1 || arrow === words.length - 1) throw invalid(file, `replace needs "old => new" (got "${rest}")`, line);
      const target = words.slice(arrow + 1);
      const key = words.slice(0, arrow).join("@");
      const local = target[0]!.startsWith(".") || target[0]!.startsWith("/");
      replaced.set(key, local ? "local" : { path: target[0]!, ...(target[1] ? { version: target[1] } : {}) });
    }
  }

  const out: Dependency[] = [];
  for (const r of required) {
    const rep = replaced.get(`${r.path}@${r.version}`) ?? replaced.get(r.path);
    if (rep === "local") continue;
    out.push({
      ecosystem: "Go",
      name: rep?.path ?? r.path,
      version: rep?.version ?? r.version,
      file,
      line: r.line,
      direct: !r.indirect,
    });
  }
  return out;
}

function unquote(s: string): string {
  return s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s.startsWith("`") && s.endsWith("`") ? s.slice(1, -1) : s;
}

/**
 * go.sum (used when no go.mod sits beside it): `module version[/go.mod] h1:hash` lines. Only
 * entries with a module zip hash (no `/go.mod` suffix) were downloaded; the h1 hash is Go's
 * directory hash, not a file digest, so it is not reported as a package hash.
 */
export function parseGoSum(text: string, file: string): Dependency[] {
  const out = new Map<string, Dependency>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "") return;
    const m = /^(\S+)\s+(v\S+?)(\/go\.mod)?\s+h1:[A-Za-z0-9+/=]+$/.exec(line);
    if (!m) throw invalid(file, `not a go.sum line: "${line.slice(0, 80)}"`, i + 1);
    if (m[3]) return;
    const key = `${m[1]}@${m[2]}`;
    if (!out.has(key)) out.set(key, { ecosystem: "Go", name: m[1]!, version: m[2]!, file, line: i + 1 });
  });
  return [...out.values()];
}
