import type { ExternalSummary } from "./analyze.js";

/**
 * Summaries across the files of one scan. Each file is analysed alone first; a file that imports a function
 * of another scanned module whose result can be untrusted (it returns request input, or gives back a
 * parameter) is then analysed once more with those summaries. One round only, so a helper that calls a
 * helper of a third module is not followed, and the extra work is bounded by the importing files.
 */

/** The dotted module a file defines: `pkg/util.py` → `pkg.util`, `pkg/__init__.py` → `pkg`; notebooks define none. */
export function moduleOf(rel: string): string | undefined {
  if (!/\.pyw?$/i.test(rel)) return undefined;
  const parts = rel.replace(/\.pyw?$/i, "").split("/");
  if (parts[parts.length - 1] === "__init__") parts.pop();
  return parts.length > 0 && parts.every((p) => /^[A-Za-z_][\w]*$/.test(p)) ? parts.join(".") : undefined;
}

/** The package a file's relative imports start from (its folder, dotted). */
function packageOf(rel: string): string[] {
  const parts = rel.split("/");
  parts.pop();
  return parts;
}

/**
 * For each importing file (by index), the summaries it may use, keyed by the name as the file spells it.
 * `files[i]` is the path relative to the scan root; `outcomes[i]` what the first analysis gave.
 */
export function linkSummaries(
  files: readonly string[],
  outcomes: ReadonlyArray<{ exports?: Record<string, ExternalSummary>; imports?: string[] } | undefined>,
): Map<number, Map<string, ExternalSummary>> {
  const modules = new Map<string, Record<string, ExternalSummary>>();
  files.forEach((rel, i) => {
    const m = moduleOf(rel);
    const e = outcomes[i]?.exports;
    if (m && e) modules.set(m, e);
  });
  const out = new Map<number, Map<string, ExternalSummary>>();
  if (modules.size === 0) return out;
  // `pkg.util` imported from a tree scanned at `src/`'s parent is `src.pkg.util` here: match a unique suffix too.
  const bySuffix = new Map<string, string | null>();
  for (const m of modules.keys()) {
    const parts = m.split(".");
    for (let k = 1; k < parts.length; k++) {
      const suffix = parts.slice(k).join(".");
      bySuffix.set(suffix, bySuffix.has(suffix) ? null : m);
    }
  }
  const resolve = (dotted: string, pkg: string[]): Record<string, ExternalSummary> | undefined => {
    if (dotted.startsWith(".")) {
      const level = /^\.+/.exec(dotted)![0].length;
      const base = level - 1 <= pkg.length ? pkg.slice(0, pkg.length - (level - 1)) : undefined;
      if (!base) return undefined;
      const rest = dotted.slice(level);
      return modules.get([...base, ...(rest ? [rest] : [])].join("."));
    }
    // A script's own folder comes first on sys.path (`from util import f` beside util.py), then the root.
    const sibling = modules.get([...pkg, dotted].join("."));
    if (sibling) return sibling;
    const absolute = modules.get(dotted);
    if (absolute) return absolute;
    const unique = bySuffix.get(dotted);
    return unique ? modules.get(unique) : undefined;
  };
  files.forEach((rel, i) => {
    const imports = outcomes[i]?.imports;
    if (!imports?.length) return;
    const pkg = packageOf(rel);
    let found: Map<string, ExternalSummary> | undefined;
    const add = (key: string, s: ExternalSummary) => {
      found ??= new Map();
      found.set(key, s);
    };
    for (const spelled of imports) {
      // `utils` (a module: calls are utils.f) or `utils.f` (a function imported by name).
      const mod = resolve(spelled, pkg);
      if (mod && mod !== outcomes[i]?.exports) for (const [f, s] of Object.entries(mod)) add(`${spelled}.${f}`, s);
      // `.helpers.arg` → module `.helpers`, name `arg`; `.arg` → the package itself, name `arg`.
      const dots = /^\.*/.exec(spelled)![0];
      const rest = spelled.slice(dots.length);
      const cut = rest.lastIndexOf(".");
      if (cut < 0 && !dots) continue;
      const holder = cut < 0 ? dots : `${dots}${rest.slice(0, cut)}`;
      const name = rest.slice(cut + 1);
      const from = resolve(holder, pkg);
      if (from && from !== outcomes[i]?.exports && from[name]) add(spelled, from[name]);
    }
    if (found) out.set(i, found);
  });
  return out;
}
