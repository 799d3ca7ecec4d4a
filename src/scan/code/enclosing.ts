import type { SyntaxNode as Node } from "./syntax.js";

/**
 * The innermost function definition around a node, from the file's definitions listed once. Climbing each sink's
 * parents would cost the tree's depth every time; a binary search over the definitions in source order does not.
 */
export class EnclosingDefs {
  /** The file's function definitions in source order. */
  readonly all: readonly Node[];
  /** For each definition (by index in `all`), the index of the innermost one around it, or -1. */
  private readonly outer: number[] = [];

  constructor(root: Node) {
    const defs = root.descendantsOfType("function_definition").filter((d): d is Node => !!d);
    this.all = defs;
    // each definition's innermost enclosing one, from a stack of the open ones
    const open: number[] = [];
    defs.forEach((d, i) => {
      while (open.length > 0 && defs[open[open.length - 1]!]!.endIndex < d.endIndex) open.pop();
      this.outer.push(open.length > 0 ? open[open.length - 1]! : -1);
      open.push(i);
    });
  }

  /** The innermost definition that contains `n` (a definition is not its own: `of(def)` is the one around it). */
  of(n: Node): Node | undefined {
    const at = n.startIndex;
    let lo = 0;
    let hi = this.all.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.all[mid]!.startIndex <= at) lo = mid + 1;
      else hi = mid - 1;
    }
    // the last definition starting at or before the node, else the definitions around that one, innermost first
    for (let i = hi; i >= 0; i = this.outer[i]!) {
      const d = this.all[i]!;
      if (d.startIndex !== at && d.endIndex >= n.endIndex) return d;
    }
    return undefined;
  }
}
