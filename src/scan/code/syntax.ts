import type { Language, Parser, Tree, TreeCursor } from "web-tree-sitter";

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
  /** Which reader built the copy: the binding's cursor functions, or the public cursor (the slower fallback). */
  reader: "binding" | "cursor" = "cursor";
  private lineStarts?: number[];
  private byType?: Map<string, number[]>;

  constructor(
    readonly source: string,
    parsed: Tree,
  ) {
    this.hasError = parsed.rootNode.hasError;
    this.rootNode = this.copy(parsed);
  }

  /** One depth-first walk with a cursor: per node its type id, field id, start, end and one to three moves. */
  private copy(parsed: Tree): SyntaxNode {
    const cursor = parsed.walk();
    const direct = directCursor(parsed, cursor);
    const read = direct ?? publicCursor(cursor);
    if (direct) this.reader = "binding";
    try {
      const language = parsed.language;
      const types = language.types;
      const fields = language.fields;
      const named = namedness(language);
      const add = (parent: SyntaxNode | null): SyntaxNode => {
        const typeId = read.typeId();
        if (named[typeId] === 0) named[typeId] = language.nodeTypeIsNamed(typeId) ? 1 : 2;
        const fieldId = parent ? read.fieldId() : 0;
        const node = new SyntaxNode(
          this,
          this.nodes.length,
          types[typeId] || "ERROR",
          named[typeId] === 1,
          read.startIndex(),
          read.endIndex(),
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
        if (read.firstChild()) {
          current = add(current);
          continue;
        }
        for (;;) {
          current.last = this.nodes.length - 1;
          if (current === root) return root;
          if (read.nextSibling()) {
            current = add(current.parent);
            break;
          }
          read.parent();
          current = current.parent!;
        }
      }
    } finally {
      direct?.settle();
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

/** What the copy asks of a tree cursor. */
interface CursorReader {
  typeId(): number;
  fieldId(): number;
  startIndex(): number;
  endIndex(): number;
  firstChild(): boolean;
  nextSibling(): boolean;
  parent(): boolean;
}

/** web-tree-sitter's public cursor: each call copies the cursor's four words into WASM memory (and back after a move). */
function publicCursor(cursor: TreeCursor): CursorReader {
  return {
    typeId: () => cursor.nodeTypeId,
    fieldId: () => cursor.currentFieldId,
    startIndex: () => cursor.startIndex,
    endIndex: () => cursor.endIndex,
    firstChild: () => cursor.gotoFirstChild(),
    nextSibling: () => cursor.gotoNextSibling(),
    parent: () => cursor.gotoParent(),
  };
}

/**
 * Session 36: web-tree-sitter's binding, when `Parser.init` was given {@link WASM_BINDING} (Emscripten fills the object
 * it is given with the module's exports). Every cursor function of the binding reads the cursor from one transfer
 * buffer and a move writes it back there, so a walk that calls them directly leaves the cursor in place between calls
 * and copies nothing: about a quarter of the public cursor's cost. `settle` copies the cursor's final words back into
 * the JavaScript cursor, whose `delete` (and finaliser) frees what they point to.
 */
export const WASM_BINDING: Record<string, unknown> = {};

interface Binding {
  _ts_init(): number;
  getValue(address: number, type: "i32"): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
}

const BINDING_FUNCTIONS = [
  "_ts_init",
  "getValue",
  "_ts_tree_cursor_current_node_type_id_wasm",
  "_ts_tree_cursor_current_field_id_wasm",
  "_ts_tree_cursor_start_index_wasm",
  "_ts_tree_cursor_end_index_wasm",
  "_ts_tree_cursor_goto_first_child_wasm",
  "_ts_tree_cursor_goto_next_sibling_wasm",
  "_ts_tree_cursor_goto_parent_wasm",
] as const;

let useDirect = true;
/** Whether the copy may call the binding directly (tests turn it off to compare the two readers). */
export function setDirectCursor(on: boolean): void {
  useDirect = on;
}

let transferBuffer: number | undefined;

/** Whether web-tree-sitter's binding was captured (`Parser.init(WASM_BINDING)` ran first in this thread). */
export function bindingCaptured(): boolean {
  return BINDING_FUNCTIONS.every((f) => typeof WASM_BINDING[f] === "function");
}

/** The direct reader, or undefined when the binding was not captured or this web-tree-sitter's cursor is not as expected. */
function directCursor(parsed: Tree, cursor: TreeCursor): (CursorReader & { settle(): void }) | undefined {
  if (!useDirect) return undefined;
  const b = WASM_BINDING as unknown as Binding;
  const tree = (parsed as unknown as Record<number, unknown>)[0];
  const handles = (cursor as unknown as { handles?: unknown }).handles;
  if (typeof tree !== "number" || !Array.isArray(handles) || handles.length !== 4) return undefined;
  if (!bindingCaptured()) return undefined;
  // the transfer buffer's address; the call only writes the library's version numbers into it
  transferBuffer ??= b._ts_init();
  const buffer = transferBuffer;
  // a public read puts the cursor into the transfer buffer and leaves it there
  void cursor.nodeTypeId;
  return {
    typeId: () => b._ts_tree_cursor_current_node_type_id_wasm(tree),
    fieldId: () => b._ts_tree_cursor_current_field_id_wasm(tree),
    startIndex: () => b._ts_tree_cursor_start_index_wasm(tree),
    endIndex: () => b._ts_tree_cursor_end_index_wasm(tree),
    firstChild: () => b._ts_tree_cursor_goto_first_child_wasm(tree) === 1,
    nextSibling: () => b._ts_tree_cursor_goto_next_sibling_wasm(tree) === 1,
    parent: () => b._ts_tree_cursor_goto_parent_wasm(tree) === 1,
    settle: () => {
      // a move may have reallocated the cursor's stack: the JavaScript cursor must free the current one
      for (let i = 0; i < 4; i++) handles[i] = b.getValue(buffer + 4 * i, "i32");
    },
  };
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
