import type { Language, Parser, Tree } from "web-tree-sitter";

/**
 * Session 35: a JavaScript copy of a parse tree, read once with a tree cursor. web-tree-sitter's `Node` crosses into
 * WASM on every property read (`type`, `endIndex`, `children`, `childForFieldName`, `parent`, …) and builds a fresh
 * object for every node it hands back; the analyser reads each node many times over up to three passes, so that
 * marshalling was about 40 % of a worker's time. This copy offers the part of `Node`'s interface the analyser uses,
 * with the same values: types, named-ness, offsets (UTF-16 code units, as web-tree-sitter counts them for a string
 * source), rows and columns, field names, and `descendantsOfType` in document order.
 */
export interface Point {
  row: number;
  column: number;
}

export class SyntaxTree {
  readonly rootNode: SyntaxNode;
  /** Whether the parse has an error or a missing node anywhere. */
  readonly hasError: boolean;
  /** Every node in pre-order (document order); a node's `id` is its index here. */
  readonly nodes: SyntaxNode[] = [];
  private lineStarts?: number[];
  private byType?: Map<string, number[]>;

  constructor(
    readonly source: string,
    parsed: Tree,
  ) {
    this.hasError = parsed.rootNode.hasError;
    this.rootNode = this.copy(parsed);
  }

  /** One depth-first walk with a cursor: about six WASM calls per node, none after. */
  private copy(parsed: Tree): SyntaxNode {
    const cursor = parsed.walk();
    try {
      const language = parsed.language;
      const types = language.types;
      const fields = language.fields;
      const named = namedness(language);
      const add = (parent: SyntaxNode | null): SyntaxNode => {
        const typeId = cursor.nodeTypeId;
        if (named[typeId] === 0) named[typeId] = language.nodeTypeIsNamed(typeId) ? 1 : 2;
        const fieldId = parent ? cursor.currentFieldId : 0;
        const node = new SyntaxNode(
          this,
          this.nodes.length,
          types[typeId] || "ERROR",
          named[typeId] === 1,
          cursor.startIndex,
          cursor.endIndex,
          parent,
          (fieldId && fields[fieldId]) || undefined,
        );
        this.nodes.push(node);
        if (parent) {
          if (parent.children === NO_CHILDREN) parent.children = [node];
          else parent.children.push(node);
        }
        return node;
      };
      const root = add(null);
      let current = root;
      for (;;) {
        if (cursor.gotoFirstChild()) {
          current = add(current);
          continue;
        }
        for (;;) {
          current.last = this.nodes.length - 1;
          if (current === root) return root;
          if (cursor.gotoNextSibling()) {
            current = add(current.parent);
            break;
          }
          cursor.gotoParent();
          current = current.parent!;
        }
      }
    } finally {
      cursor.delete();
    }
  }

  /** Row and column (UTF-16 units from the line's start; only `\n` ends a line, as in tree-sitter) of an offset. */
  point(index: number): Point {
    if (!this.lineStarts) {
      const starts = [0];
      for (let i = this.source.indexOf("\n"); i !== -1; i = this.source.indexOf("\n", i + 1)) starts.push(i + 1);
      this.lineStarts = starts;
    }
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return { row: lo, column: index - starts[lo]! };
  }

  /** The nodes of a type in `[from, to]` (pre-order indices), in order. */
  ofType(type: string, from: number, to: number): SyntaxNode[] {
    if (!this.byType) {
      const byType = new Map<string, number[]>();
      for (const n of this.nodes) {
        // web-tree-sitter's search skips a node that ends at the file's first point (and so everything inside it)
        if (n.endIndex === 0) continue;
        const list = byType.get(n.type);
        if (list) list.push(n.id);
        else byType.set(n.type, [n.id]);
      }
      this.byType = byType;
    }
    const list = this.byType.get(type);
    if (!list) return [];
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]! < from) lo = mid + 1;
      else hi = mid;
    }
    const out: SyntaxNode[] = [];
    for (let i = lo; i < list.length && list[i]! <= to; i++) out.push(this.nodes[list[i]!]!);
    return out;
  }
}

/** Named-ness by type id (1 named, 2 not, 0 not asked yet), asked of each grammar once per type for every tree. */
const NAMED = new WeakMap<Language, Uint8Array>();
function namedness(language: Language): Uint8Array {
  let named = NAMED.get(language);
  if (!named) {
    named = new Uint8Array(65536);
    NAMED.set(language, named);
  }
  return named;
}

/** The children of every leaf (one array instead of one per leaf); never written to. */
const NO_CHILDREN: SyntaxNode[] = [];

export class SyntaxNode {
  children: SyntaxNode[] = NO_CHILDREN;
  /** Pre-order index of the last node inside this one (itself when it has no children). */
  last: number;
  private named?: SyntaxNode[];

  constructor(
    readonly tree: SyntaxTree,
    readonly id: number,
    readonly type: string,
    readonly isNamed: boolean,
    readonly startIndex: number,
    readonly endIndex: number,
    readonly parent: SyntaxNode | null,
    /** The field this node fills in its parent, if any. */
    readonly field: string | undefined,
  ) {
    this.last = id;
  }

  get text(): string {
    return this.tree.source.slice(this.startIndex, this.endIndex);
  }

  get startPosition(): Point {
    return this.tree.point(this.startIndex);
  }

  get endPosition(): Point {
    return this.tree.point(this.endIndex);
  }

  get namedChildren(): SyntaxNode[] {
    this.named ??= this.children.filter((c) => c.isNamed);
    return this.named;
  }

  get firstChild(): SyntaxNode | null {
    return this.children[0] ?? null;
  }

  get previousNamedSibling(): SyntaxNode | null {
    const siblings = this.parent?.children;
    if (!siblings) return null;
    for (let i = siblings.indexOf(this) - 1; i >= 0; i--) if (siblings[i]!.isNamed) return siblings[i]!;
    return null;
  }

  childForFieldName(name: string): SyntaxNode | null {
    // tree-sitter gives an ERROR node no field map, so it answers null even where its cursor names a field (from a
    // hidden rule inside the error)
    if (this.type === "ERROR") return null;
    for (const c of this.children) if (c.field === name) return c;
    return null;
  }

  childrenForFieldName(name: string): SyntaxNode[] {
    return this.children.filter((c) => c.field === name);
  }

  /** This node and the nodes inside it of the given type(s), in document order (as web-tree-sitter's). */
  descendantsOfType(types: string | readonly string[]): SyntaxNode[] {
    if (typeof types === "string") return this.tree.ofType(types, this.id, this.last);
    const lists = [...new Set(types)].map((t) => this.tree.ofType(t, this.id, this.last)).filter((l) => l.length > 0);
    if (lists.length <= 1) return lists[0] ?? [];
    return lists.flat().sort((a, b) => a.id - b.id);
  }

  equals(other: SyntaxNode): boolean {
    return this === other;
  }
}

/** Parses `source` and copies the tree; the WASM tree is freed before this returns. */
export function parseSyntax(parser: Parser, source: string): SyntaxTree | undefined {
  const parsed = parser.parse(source);
  if (!parsed) return undefined;
  try {
    return new SyntaxTree(source, parsed);
  } finally {
    parsed.delete();
  }
}
