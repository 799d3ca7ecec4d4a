import type { ExternalSummary } from "./analyze.js";

/**
 * Summaries across the files of one scan. Each file is analysed alone first and says what it imports.
 * The scanned modules some other file imports are then summarised (what their module-level functions give
 * back), and a file that imports a function whose result matters (untrusted input, or a sanitiser) is
 * analysed once more with those summaries. One round only, so a helper that calls a helper of a third
 * module is not followed, and the extra work is bounded by the imported and importing files: a tree whose
 * files import no scanned module costs nothing more.
 */

/** The dotted module a file defines: `pkg/util.py` → `pkg.util`, `pkg/__init__.py` → `pkg`; notebooks define none. */
export function moduleOf(rel: string): string | undefined {
  if (!/\.pyw?$/i.test(rel)) return undefined;
  const parts = rel.replace(/\.pyw?$/i, "").split("/");
  if (parts[parts.length - 1] === "__init__") parts.pop();
  return parts.length > 0 && parts.every((p) => /^[A-Za-z_]\w*$/.test(p)) ? parts.join(".") : undefined;
}

/** One import as a file spells it, split into the module it names and, when it names a function, the function. */
interface Reference {
  spelled: string;
  module: number; // index of the scanned file that defines the module
  name?: string; // `from m import name`: the function; absent for `import m`
}

/** Resolves the import spellings of every file against the modules of the scan. */
export class ModuleIndex {
  private readonly modules = new Map<string, number>();
  private readonly bySuffix = new Map<string, number | null>();

  constructor(private readonly files: readonly string[]) {
    files.forEach((rel, i) => {
      const m = moduleOf(rel);
      if (m) this.modules.set(m, i);
    });
    // `pkg.util` imported from a tree scanned above its `src/` folder is `src.pkg.util` here: a unique suffix matches.
    for (const [m, i] of this.modules) {
      const parts = m.split(".");
      for (let k = 1; k < parts.length; k++) {
        const suffix = parts.slice(k).join(".");
        this.bySuffix.set(suffix, this.bySuffix.has(suffix) ? null : i);
      }
    }
  }

  get size(): number {
    return this.modules.size;
  }

  /** The scanned module a dotted name means in file `from` (relative names start at its folder). */
  private resolve(dotted: string, from: number): number | undefined {
    const pkg = this.files[from]!.split("/").slice(0, -1);
    if (dotted.startsWith(".")) {
      const level = /^\.+/.exec(dotted)![0].length;
      if (level - 1 > pkg.length) return undefined;
      const rest = dotted.slice(level);
      return this.modules.get([...pkg.slice(0, pkg.length - (level - 1)), ...(rest ? [rest] : [])].join("."));
    }
    // A script's own folder comes first on sys.path (`from util import f` beside util.py), then the root.
    return this.modules.get([...pkg, dotted].join(".")) ?? this.modules.get(dotted) ?? this.bySuffix.get(dotted) ?? undefined;
  }

  /** What file `from`'s imports refer to among the scanned modules (its own module left out). */
  references(from: number, imports: readonly string[]): Reference[] {
    const out: Reference[] = [];
    for (const spelled of imports) {
      // `utils` (a module: calls are utils.f) …
      const whole = this.resolve(spelled, from);
      if (whole !== undefined && whole !== from) out.push({ spelled, module: whole });
      // … or `utils.f`, `.helpers.arg` (module `.helpers`, name `arg`), `.arg` (the package itself, name `arg`).
      const dots = /^\.*/.exec(spelled)![0];
      const rest = spelled.slice(dots.length);
      const cut = rest.lastIndexOf(".");
      if (cut < 0 && !dots) continue;
      const holder = this.resolve(cut < 0 ? dots : `${dots}${rest.slice(0, cut)}`, from);
      if (holder !== undefined && holder !== from) out.push({ spelled, module: holder, name: rest.slice(cut + 1) });
    }
    return out;
  }
}

/** The summaries each importing file may use, keyed by the name as that file spells it. */
export function linkSummaries(
  index: ModuleIndex,
  imports: ReadonlyArray<readonly string[] | undefined>,
  summaries: ReadonlyMap<number, Record<string, ExternalSummary>>,
): Map<number, Map<string, ExternalSummary>> {
  const out = new Map<number, Map<string, ExternalSummary>>();
  imports.forEach((list, i) => {
    if (!list?.length) return;
    let found: Map<string, ExternalSummary> | undefined;
    for (const r of index.references(i, list)) {
      const mod = summaries.get(r.module);
      if (!mod) continue;
      found ??= new Map();
      if (r.name === undefined) for (const [f, s] of Object.entries(mod)) found.set(`${r.spelled}.${f}`, s);
      else if (mod[r.name]) found.set(r.spelled, mod[r.name]!);
    }
    if (found?.size) out.set(i, found);
  });
  return out;
}

/*
 * Predicting imports before the analysis. The analysis reports what a file really imports (from its parse
 * tree), but only after it has run; a file that imports a summarised helper then had to be analysed twice.
 * Read from the import lines beforehand, the same names let the helpers be summarised first and most files
 * be analysed once. The prediction only schedules work: after the analysis each file's prediction is checked
 * against the imports its tree gave, and a file whose summaries differ is analysed again (settleLinks).
 */

const IMPORT_LINE = /^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#;]*)|import[ \t]+([^\n#;]*))/gm;

/** The imports of Python source as the analysis spells them (`a` for `import a.b`, `m.x`, `.h.x`), read from import lines only. */
export function predictImports(text: string): string[] {
  if (!text.includes("import")) return [];
  const out = new Set<string>();
  for (const m of text.matchAll(IMPORT_LINE)) {
    if (m[3] !== undefined) {
      for (const part of m[3].split(",")) {
        const [name, alias] = part.trim().split(/\s+as\s+/);
        if (!name || !/^[\w.]+$/.test(name)) continue;
        out.add(alias ? name : name.split(".")[0]!);
      }
      continue;
    }
    const mod = m[1] ?? "";
    if (!mod) continue;
    const base = mod.startsWith(".") ? (mod.endsWith(".") ? mod : `${mod}.`) : `${mod}.`;
    for (const part of (m[2] ?? "").replace(/[()\\]/g, " ").split(",")) {
      const name = part.trim().split(/\s+as\s+/)[0];
      if (name && /^\w+$/.test(name)) out.add(`${base}${name}`);
    }
    if (!mod.startsWith(".") && /^\s*\*/.test(m[2] ?? "")) out.add(mod); // `from m import *`: the whole module (session 33)
  }
  return [...out];
}

/** Whether two files' summary maps give the same summary for every name (so the analysis is the same). */
export function sameLinks(a: ReadonlyMap<string, ExternalSummary> | undefined, b: ReadonlyMap<string, ExternalSummary> | undefined): boolean {
  if ((a?.size ?? 0) !== (b?.size ?? 0)) return false;
  for (const [k, v] of a ?? []) if (b?.get(k) !== v) return false;
  return true;
}

/** The scanned modules the files' imports refer to. */
export function wantedModules(index: ModuleIndex, imports: ReadonlyArray<readonly string[] | undefined>): Set<number> {
  const wanted = new Set<number>();
  imports.forEach((list, i) => {
    if (list?.length) for (const r of index.references(i, list)) wanted.add(r.module);
  });
  return wanted;
}
