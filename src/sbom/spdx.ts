import { SPDX } from "@cyclonedx/cyclonedx-library";

/**
 * SPDX license expressions (SPDX 2.3 Annex D / SPDX 3 "License Expressions"): identifiers (with `+`),
 * `LicenseRef-`/`DocumentRef-…:LicenseRef-` references, `WITH` exceptions, `AND`, `OR` and parentheses,
 * with precedence WITH > AND > OR. Identifiers are checked against the SPDX list that ships with the
 * CycloneDX library and canonicalised to its spelling.
 */

export type SpdxNode =
  | { kind: "license"; id: string; plus: boolean; known: boolean; exception?: string }
  | { kind: "ref"; ref: string }
  | { kind: "and"; left: SpdxNode; right: SpdxNode }
  | { kind: "or"; left: SpdxNode; right: SpdxNode };

export class SpdxParseError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

interface Token {
  t: "id" | "(" | ")" | "AND" | "OR" | "WITH";
  v: string;
  at: number;
}

const ID_RE = /^[A-Za-z0-9.\-+:]+$/;

/**
 * Bounds for untrusted expressions (package metadata, model cards). Real ones have a handful of terms;
 * without bounds, 20,000 nested parentheses or a 20,000-term AND chain overflowed the call stack of the
 * parser and of every walk over the tree (an internal error that ended the whole SBOM run).
 */
export const MAX_SPDX_TERMS = 512;
export const MAX_SPDX_NESTING = 32;

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const re = /\s*(\(|\)|[^\s()]+)/y;
  let m: RegExpExecArray | null;
  let pos = 0;
  let terms = 0;
  while (pos < text.length) {
    re.lastIndex = pos;
    m = re.exec(text);
    if (!m) break;
    const v = m[1]!;
    const at = m.index + m[0].length - v.length;
    pos = re.lastIndex;
    if (v === "(" || v === ")") out.push({ t: v, v, at });
    // Operators are either all upper or all lower case (SPDX 2.3 Annex D.2).
    else if (v === "AND" || v === "and") out.push({ t: "AND", v, at });
    else if (v === "OR" || v === "or") out.push({ t: "OR", v, at });
    else if (v === "WITH" || v === "with") out.push({ t: "WITH", v, at });
    else if (ID_RE.test(v)) {
      if (++terms > MAX_SPDX_TERMS) throw new SpdxParseError(`more than ${MAX_SPDX_TERMS} licence terms`, at);
      out.push({ t: "id", v, at });
    } else throw new SpdxParseError(`unexpected "${v}"`, at);
  }
  if (text.slice(pos).trim() !== "") throw new SpdxParseError("unexpected trailing text", pos);
  return out;
}

// Exceptions the CycloneDX SPDX list carries alongside licences; WITH accepts these and LicenseRef-style names.
const EXCEPTION_RE = /exception|^Classpath|^LLVM-exception$|^Autoconf|^Bison|^Font|^GCC|^Qt|^openvpn|^u-boot|^Linux-syscall-note$/i;

export function parseSpdx(text: string): SpdxNode {
  const tokens = tokenize(text);
  if (tokens.length === 0) throw new SpdxParseError("empty expression", 0);
  let i = 0;
  let depth = 0;
  const peek = () => tokens[i];
  const expectId = (what: string): Token => {
    const tok = tokens[i];
    if (tok?.t !== "id") throw new SpdxParseError(`expected ${what}${tok ? ` at "${tok.v}"` : " at end"}`, tok?.at ?? text.length);
    i++;
    return tok;
  };
  const simple = (): SpdxNode => {
    const tok = peek();
    if (tok?.t === "(") {
      if (++depth > MAX_SPDX_NESTING) throw new SpdxParseError(`parentheses nested more than ${MAX_SPDX_NESTING} deep`, tok.at);
      i++;
      const inner = orExpr();
      depth--;
      if (peek()?.t !== ")") throw new SpdxParseError("missing )", peek()?.at ?? text.length);
      i++;
      return inner;
    }
    const id = expectId("a licence identifier");
    let node: SpdxNode;
    if (/^(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$/.test(id.v)) node = { kind: "ref", ref: id.v };
    else {
      if (id.v.includes(":")) throw new SpdxParseError(`bad licence reference "${id.v}"`, id.at);
      const plus = id.v.endsWith("+");
      const bare = plus ? id.v.slice(0, -1) : id.v;
      if (!/^[A-Za-z0-9.-]+$/.test(bare)) throw new SpdxParseError(`bad licence identifier "${id.v}"`, id.at);
      const canonical = SPDX.fixupSpdxId(bare);
      node = { kind: "license", id: canonical ?? bare, plus, known: canonical !== undefined && !EXCEPTION_RE.test(canonical) };
    }
    if (peek()?.t === "WITH") {
      i++;
      const ex = expectId("an exception identifier after WITH");
      if (node.kind !== "license") throw new SpdxParseError("WITH applies to a licence identifier", ex.at);
      node.exception = SPDX.fixupSpdxId(ex.v) ?? ex.v;
    }
    return node;
  };
  const andExpr = (): SpdxNode => {
    let left = simple();
    while (peek()?.t === "AND") {
      i++;
      left = { kind: "and", left, right: simple() };
    }
    return left;
  };
  const orExpr = (): SpdxNode => {
    let left = andExpr();
    while (peek()?.t === "OR") {
      i++;
      left = { kind: "or", left, right: andExpr() };
    }
    return left;
  };
  const node = orExpr();
  if (i < tokens.length) throw new SpdxParseError(`unexpected "${tokens[i]!.v}"`, tokens[i]!.at);
  return node;
}

/** Canonical text of a parsed expression (parentheses only where precedence needs them). */
export function formatSpdx(node: SpdxNode, parent?: "and" | "or"): string {
  switch (node.kind) {
    case "license":
      return `${node.id}${node.plus ? "+" : ""}${node.exception ? ` WITH ${node.exception}` : ""}`;
    case "ref":
      return node.ref;
    case "and": {
      const s = `${formatSpdx(node.left, "and")} AND ${formatSpdx(node.right, "and")}`;
      return s;
    }
    case "or": {
      const s = `${formatSpdx(node.left, "or")} OR ${formatSpdx(node.right, "or")}`;
      return parent === "and" ? `(${s})` : s;
    }
  }
}

/** Every licence leaf of an expression. */
export function leaves(node: SpdxNode): Array<Extract<SpdxNode, { kind: "license" | "ref" }>> {
  // Left to right, without copying the list at every level.
  const out: Array<Extract<SpdxNode, { kind: "license" | "ref" }>> = [];
  const stack: SpdxNode[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.kind === "and" || n.kind === "or") stack.push(n.right, n.left);
    else out.push(n);
  }
  return out;
}
