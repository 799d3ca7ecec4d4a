/**
 * A symbolic pickle machine. It walks the opcodes of a pickle exactly as CPython's unpickler would
 * (stack with MARK frames, memo, protocol 0–5 opcodes) but never imports or calls anything: it records
 * every global a load would import and every call it would make, with byte offsets. Values are
 * symbolic, so a callable named through a memoised or computed string is still seen.
 */

import { type CodeText, findCodeText } from "../codetext.js";
import { type Deadline, pastDeadline } from "../types.js";

/** A symbolic value on the pickle stack. */
export type Value =
  | { t: "str"; v: string }
  | { t: "bytes"; off: number; len: number }
  | { t: "int"; v: number }
  | { t: "float" }
  | { t: "none" }
  | { t: "bool"; v: boolean }
  | { t: "global"; module: string; name: string; dynamic: boolean; offset: number }
  | { t: "obj"; callee: Value; args: Value[]; via: string; offset: number; state?: Value }
  | { t: "tuple"; items: Value[] }
  | { t: "list"; items: Value[] }
  | { t: "dict"; items: Array<[Value, Value]> }
  | { t: "set" }
  | { t: "pers" }
  | { t: "ext"; code: number }
  | { t: "buffer" }
  /** A value dropped when the run went over its memory budget (see `PickleRun.budget`). */
  | { t: "unknown" };

export interface ImportEvent {
  module: string;
  name: string;
  offset: number;
  opcode: string;
  /** Module or name did not come from a literal string (computed at load time). */
  dynamic: boolean;
}

export interface CallEvent {
  /** `module.name` of the callable, or a description of a computed one. */
  callee: string;
  global?: { module: string; name: string };
  /** The callable was itself produced by a call or a persistent id, not named by a global. */
  computed: boolean;
  offset: number;
  opcode: string;
  /** Short rendering of the literal arguments, for evidence. */
  args: string;
}

/**
 * What a pickle does with `operator.attrgetter` / `methodcaller` / `itemgetter` (recorded only once one is
 * imported). A getter built from literal names is data (scikit-learn and pandas pickles hold them); it runs
 * only when something calls it on an object, so the policy judges the names and what happens to the getter.
 */
export interface GetterEvent {
  /** `operator.attrgetter`, `_operator.methodcaller`, ... */
  getter: string;
  offset: number;
  /** built: the getter was constructed; applied: a getter was called on something; handed: passed to a call. */
  use: "built" | "applied" | "handed";
  /** built: the name arguments (a string, an int key, or null for a value computed at load time). */
  names?: Array<string | number | null>;
  /** handed: the call it was passed to, and that call's global when it has one. */
  to?: string;
  toGlobal?: { module: string; name: string; dynamic: boolean };
}

export interface OddityEvent {
  kind: "ext" | "build-on-global" | "dotted-name" | "bad-proto" | "frame-overrun" | "frame-straddle";
  offset: number;
  detail: string;
}

export interface PickleRun {
  start: number;
  /** Offset just past STOP (or where the parse broke). */
  end: number;
  protocol: number;
  opcodes: number;
  imports: ImportEvent[];
  calls: CallEvent[];
  oddities: OddityEvent[];
  /** Byte ranges of bytes literals passed to calls that look like pickles themselves (nested loads). */
  nested: Array<{ offset: number; length: number; callee: string }>;
  /** Uses of `operator` getters; absent unless the pickle imports one. */
  getters?: GetterEvent[];
  /** Set when the stream is not a valid pickle: where and why it broke. */
  error?: { offset: number; message: string };
  /** The value STOP returned (for format analyzers that read the structure, e.g. legacy torch). */
  result?: Value;
  /** Byte ranges the machine skipped because they are raw array data (joblib). */
  skipped: number;
  /** The file's wall-clock budget ran out during this run (`error` says where). */
  timedOut?: boolean;
  /**
   * Set when the values the machine held (stack, memo, containers) went over `maxMemoryBytes`. The run
   * then goes on in bounded mode: at each crossing the stack and containers are dropped (memoised
   * strings and globals kept while they fit), so names given by literals are still seen; `unnamed`
   * counts the imports and calls after a crossing whose callable was among the dropped values.
   */
  budget?: { offset: number; resets: number; unnamed: number; limit: number };
  /** The first string literal that reads like code or a command line (`codetext.ts`), and how many did. */
  codeText?: { offset: number; hit: CodeText; count: number };
}

export interface VmOptions {
  /** Upper bound on opcodes (a time limit that does not depend on the clock). */
  maxOpcodes?: number;
  /** Follow joblib's raw numpy buffers that sit inside the stream after a NumpyArrayWrapper BUILD. */
  joblib?: boolean;
  /** Cap on recorded events per run; counts beyond are summarised. */
  maxEvents?: number;
  /** Wall-clock budget of the file being scanned; the run stops (timedOut) once it has passed. */
  deadline?: Deadline;
  /** Accounted bytes of the values held (stack, memo, container items); past it see `PickleRun.budget`. */
  maxMemoryBytes?: number;
}

/** Default memory budget of one pickle run: accounted bytes, roughly what V8 holds for those values. */
export const DEFAULT_PICKLE_MEMORY = 64 * 1024 * 1024;

class VmError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

const MAX_CONTAINER = 4096;

// Values that carry nothing beyond their type are shared: a pickle of a large object graph memoises
// hundreds of thousands of them, and one object each would make the scan garbage-collector bound.
// Nothing mutates these kinds (BUILD only sets `state` on "obj" values).
const FLOAT: Value = Object.freeze({ t: "float" });
const NONE: Value = Object.freeze({ t: "none" });
const TRUE: Value = Object.freeze({ t: "bool", v: true });
const FALSE: Value = Object.freeze({ t: "bool", v: false });
const SET: Value = Object.freeze({ t: "set" });
const PERS: Value = Object.freeze({ t: "pers" });
const BUFFER: Value = Object.freeze({ t: "buffer" });
const UNKNOWN: Value = Object.freeze({ t: "unknown" });
const SMALL_INTS: readonly Value[] = Array.from({ length: 256 }, (_, v) => Object.freeze({ t: "int", v }) as Value);
const MARK = 0x28;

/**
 * Bytes a value costs while the machine holds it, as V8 lays it out on 64-bit (object header and fields,
 * string characters, array slots), plus the slot that refers to it: 24 bytes, because a growing array
 * briefly holds its old and its 1.5× larger new backing store. Shared constants cost only their slot.
 * The figure bounds memory; it need not be exact. It is charged when a value is stored (memo, container,
 * call, state), once per store, never per push or pop: the stack is charged by its height (STACK_SLOT).
 */
const SLOT = 24;
/**
 * What one stack entry is assumed to hold: its slot plus a small value object (an int, a short string), twice:
 * a crossing drops the stack, and its objects (old-generation by then) stay as garbage until a major GC while the
 * next stack fills, so a stack of distinct short strings peaked at about three budgets' worth at 64 bytes. No
 * pickle CPython writes holds more than a few thousand entries on its stack (it batches by 1,000).
 * Strings longer than SHORT_STR are charged their characters when decoded (bounded by the input's size).
 */
const STACK_SLOT = 128;
/** Memoised strings up to this many bytes are kept as (offset, length) into the pickle, not as objects. */
const SHORT_STR = 64;
/**
 * A short str taken straight from the pickle's bytes, decoded only when something reads it: the keys of a
 * tokenizer vocabulary are stored in their dict and memo and never read, so decoding them all (what CPython
 * does) was most of the per-entry work left after session 16.
 */
class PickleStr {
  // Kept small (a stack of a million short strings holds a million of these): the kind lives on the prototype,
  // and the encoding is the sign of `n` (negative: latin1), so an instance has four fields.
  declare readonly t: "str";
  private s: string | undefined = undefined;
  constructor(
    private readonly b: Buffer,
    private readonly off: number,
    private readonly n: number,
  ) {}
  get len(): number {
    return this.n < 0 ? -this.n : this.n;
  }
  get v(): string {
    if (this.s === undefined) this.s = this.n < 0 ? this.b.toString("latin1", this.off, this.off - this.n) : this.b.toString("utf8", this.off, this.off + this.n);
    return this.s;
  }
}
Object.defineProperty(PickleStr.prototype, "t", { value: "str" });

/** False when the bytes hold none of the characters CODE_HINT needs ('(', '|', '-', '/'): no decode needed to rule out code. */
function bytesMayBeCode(b: Uint8Array, off: number, len: number): boolean {
  for (let i = off, end = off + len; i < end; i++) {
    const c = b[i]!;
    if (c === 0x28 || c === 0x7c || c === 0x2d || c === 0x2f) return true;
  }
  return false;
}

function costOf(v: Value): number {
  switch (v.t) {
    case "str":
      // A lazy string is charged its byte length (never less than its UTF-16 length): accounting decodes nothing.
      return SLOT + 40 + 2 * (v instanceof PickleStr ? v.len : v.v.length);
    case "int":
      return v.v >= 0 && v.v < 256 && SMALL_INTS[v.v] === v ? SLOT : SLOT + 40;
    case "bytes":
    case "ext":
      return SLOT + 40;
    case "global":
      return SLOT + 64 + 2 * (v.module.length + v.name.length);
    case "obj":
      return SLOT + 104 + 8 * v.args.length;
    case "tuple":
    case "list":
      return SLOT + 72 + 16 * v.items.length;
    case "dict":
      return SLOT + 72 + 72 * v.items.length;
    default:
      return SLOT;
  }
}

/** Python 2 → 3 module renames applied by the unpickler when protocol < 3 (fix_imports). */
const IMPORT_MAPPING: Record<string, string> = {
  __builtin__: "builtins",
  copy_reg: "copyreg",
  Queue: "queue",
  SocketServer: "socketserver",
  ConfigParser: "configparser",
  repr: "reprlib",
  cPickle: "pickle",
  _elementtree: "xml.etree.ElementTree",
  commands: "subprocess",
  UserDict: "collections",
  UserList: "collections",
  UserString: "collections",
  StringIO: "io",
  cStringIO: "io",
  urllib2: "urllib.request",
  urlparse: "urllib.parse",
  httplib: "http.client",
  BaseHTTPServer: "http.server",
  SimpleHTTPServer: "http.server",
  CGIHTTPServer: "http.server",
  cookielib: "http.cookiejar",
  xmlrpclib: "xmlrpc.client",
  thread: "_thread",
  dummy_thread: "_dummy_thread",
  exceptions: "builtins",
  anydbm: "dbm",
  whichdb: "dbm",
  dumbdbm: "dbm.dumb",
  gdbm: "dbm.gnu",
  dbhash: "dbm.bsd",
  robotparser: "urllib.robotparser",
  HTMLParser: "html.parser",
  htmlentitydefs: "html.entities",
};
const NAME_MAPPING: Record<string, [string, string]> = {
  "__builtin__.xrange": ["builtins", "range"],
  "__builtin__.reduce": ["functools", "reduce"],
  "__builtin__.intern": ["sys", "intern"],
  "__builtin__.unichr": ["builtins", "chr"],
  "__builtin__.unicode": ["builtins", "str"],
  "__builtin__.long": ["builtins", "int"],
  "itertools.izip": ["builtins", "zip"],
  "itertools.imap": ["builtins", "map"],
  "itertools.ifilter": ["builtins", "filter"],
  "urllib.urlopen": ["urllib.request", "urlopen"],
  "urllib.urlretrieve": ["urllib.request", "urlretrieve"],
  "urllib2.urlopen": ["urllib.request", "urlopen"],
  "UserDict.UserDict": ["collections", "UserDict"],
  "socket._socketobject": ["socket", "SocketType"],
};

/** The module/name CPython actually imports for a GLOBAL read under protocol `proto`. */
export function fixImport(module: string, name: string, proto: number): [string, string] {
  if (proto >= 3) return [module, name];
  const pair = NAME_MAPPING[`${module}.${name}`];
  if (pair) return pair;
  return [IMPORT_MAPPING[module] ?? module, name];
}

const OPNAMES: Record<number, string> = {
  99: "GLOBAL",
  147: "STACK_GLOBAL",
  105: "INST",
  111: "OBJ",
  82: "REDUCE",
  129: "NEWOBJ",
  146: "NEWOBJ_EX",
  98: "BUILD",
};

/**
 * Runs one pickle starting at `start` until its STOP. Never throws for bad input: a broken stream
 * comes back with `error` set and every event seen before the break.
 */
export function runPickle(buf: Uint8Array, start = 0, options: VmOptions = {}): PickleRun {
  const maxOps = options.maxOpcodes ?? 50_000_000;
  const maxEvents = options.maxEvents ?? 10_000;
  const run: PickleRun = { start, end: start, protocol: 0, opcodes: 0, imports: [], calls: [], oddities: [], nested: [], skipped: 0 };
  // The stack's array only grows; `sp` is its height. Popped slots are cleared (NONE), never trimmed,
  // so dropping the stack at a budget crossing leaves no large garbage arrays behind.
  const stack: Value[] = [];
  let sp = 0;
  const marks: number[] = [];
  let memo: Memo;
  const maxMem = options.maxMemoryBytes ?? DEFAULT_PICKLE_MEMORY;
  // Accounted memory: `held` grows as values are stored (memo, container items, call arguments) and as long
  // strings are decoded, and is never given back; the stack counts STACK_SLOT per entry. Checked per opcode.
  let held = 0;
  let lean = false;
  let pos = start;
  let proto = 0;
  // Where the current FRAME ends (Infinity outside frames). CPython's picklers end a frame between opcodes; an
  // opcode that crosses the end is read differently by the C unpickler (which reads on from the file) and the
  // pure-Python one (which refuses it), so what runs depends on the loader: reported once, high.
  let frameEnd = Number.POSITIVE_INFINITY;
  let frameAt = 0;
  let straddled = false;
  const straddle = (at: number, detail: string) => {
    if (straddled) return;
    straddled = true;
    run.oddities.push({ kind: "frame-straddle", offset: at, detail });
  };
  const n = buf.length;
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  // One Buffer view for the whole run: decoding through it allocates no per-string Buffer object.
  const bb = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  memo = new Memo(bb);
  // The last string decoded straight from the pickle's bytes, and where: MEMOIZE/PUT right after it (what
  // CPython's pickler writes for every string) can keep the short ones as offsets instead of objects.
  let lastStr: Value | undefined;
  let lastOff = 0;
  let lastLen = 0;
  let lastLatin1 = false;

  const need = (k: number, at: number) => {
    if (pos + k > n) throw new VmError(at, "pickle data was truncated");
  };
  // After a budget crossing the stack below the crossing is gone: reaching under it yields UNKNOWN.
  const pop = (at: number): Value => {
    const floor = marks.length > 0 ? marks[marks.length - 1]! : 0;
    if (sp <= floor) {
      if (lean && marks.length === 0) return UNKNOWN;
      throw new VmError(at, "unpickling stack underflow");
    }
    const v = stack[--sp]!;
    stack[sp] = NONE;
    return v;
  };
  const top = (at: number): Value => {
    const floor = marks.length > 0 ? marks[marks.length - 1]! : 0;
    if (sp <= floor) {
      if (lean && marks.length === 0) return UNKNOWN;
      throw new VmError(at, "unpickling stack underflow");
    }
    return stack[sp - 1]!;
  };
  const popMark = (at: number): Value[] => {
    if (marks.length === 0) {
      if (lean) return popAll();
      throw new VmError(at, "could not find MARK");
    }
    const m = marks.pop()!;
    const items = stack.slice(m, sp);
    stack.fill(NONE, m, sp);
    sp = m;
    return items;
  };
  const popAll = (): Value[] => {
    const items = stack.slice(0, sp);
    stack.fill(NONE, 0, sp);
    sp = 0;
    return items;
  };
  /** Counts values now held by a container, a call or an object's state. */
  const hold = (items: readonly Value[]) => {
    for (const v of items) held += costOf(v);
  };
  /**
   * Over budget: drop the stack and everything only it held; keep memoised strings and globals (the
   * names later opcodes fetch) while they fit in half the budget, globals alone otherwise.
   */
  const overBudget = (at: number) => {
    run.budget ??= { offset: at, resets: 0, unnamed: 0, limit: maxMem };
    run.budget.resets++;
    lean = true;
    stack.fill(NONE, 0, sp);
    sp = 0;
    marks.length = 0;
    lastStr = undefined;
    let kept = memo.filter((v) => v.t === "str" || v.t === "global");
    if (kept.cost > maxMem / 2) kept = kept.memo.filter((v) => v.t === "global");
    if (kept.cost > maxMem / 2) kept = { memo: new Memo(bb), cost: 0 };
    memo = kept.memo;
    held = kept.cost;
  };
  const readLine = (at: number): string => {
    let i = pos;
    while (i < n && buf[i] !== 0x0a) i++;
    if (i >= n) throw new VmError(at, "pickle data was truncated (no newline)");
    const s = bb.toString("utf8", pos, i);
    pos = i + 1;
    return s;
  };
  /** Strings are judged as they are decoded: the machine keeps none of them for later. */
  const codeText = (s: string, offset: number) => {
    const hit = findCodeText(s, 4096);
    if (!hit) return;
    if (run.codeText) run.codeText.count++;
    else run.codeText = { offset, hit, count: 1 };
  };
  /** A str value decoded from the next `len` bytes; remembered for a compact memo entry. */
  const strVal = (len: number, at: number, enc: "utf8" | "latin1"): Value => {
    need(len, at);
    const v: Value = len === 0 ? { t: "str", v: "" } : len <= SHORT_STR ? new PickleStr(bb, pos, enc === "latin1" ? -len : len) : { t: "str", v: bb.toString(enc, pos, pos + len) };
    if (len > SHORT_STR) held += 2 * len;
    if (len >= 8 && bytesMayBeCode(buf, pos, len) && mayBeCode(v.v)) codeText(v.v, pos);
    lastStr = v;
    lastOff = pos;
    lastLen = len;
    lastLatin1 = enc === "latin1";
    pos += len;
    return v;
  };
  /** A str value decoded from a text line (protocol 0): charged like any long string, never compacted. */
  const lineStr = (s: string): Value => {
    if (s.length > SHORT_STR) held += 2 * s.length;
    if (s.length >= 8 && mayBeCode(s)) codeText(s, pos);
    return { t: "str", v: s };
  };
  const u32 = (at: number) => {
    need(4, at);
    const v = dv.getUint32(pos, true);
    pos += 4;
    return v;
  };
  const u64 = (at: number) => {
    need(8, at);
    const v = dv.getBigUint64(pos, true);
    pos += 8;
    if (v > BigInt(n)) throw new VmError(at, `length ${v} runs past the end of the data`);
    return Number(v);
  };
  const bytesVal = (len: number, at: number): Value => {
    need(len, at);
    const v: Value = { t: "bytes", off: pos, len };
    pos += len;
    return v;
  };
  const push = (v: Value) => {
    if (sp < stack.length) stack[sp] = v;
    else stack.push(v);
    sp++;
  };
  const addItems = (arr: Value[], items: Value[]) => {
    for (const it of items)
      if (arr.length < MAX_CONTAINER) {
        arr.push(it);
        held += costOf(it);
      }
  };
  /** Items of a TUPLE or LIST: at most MAX_CONTAINER are kept (and counted). */
  const stored = (items: Value[]): { t: "tuple"; items: Value[] } => {
    const kept = items.length > MAX_CONTAINER ? items.slice(0, MAX_CONTAINER) : items;
    for (const v of kept) held += costOf(v);
    return { t: "tuple", items: kept };
  };
  const memoSet = (key: number, v: Value) => {
    if (v === lastStr && lastLen <= SHORT_STR && lastOff <= 0xffffffff && memo.isDense(key)) {
      // A short string straight from the bytes: an offset and a length, no object kept alive.
      held += 16;
      memo.setRef(key, lastOff, lastLen, lastLatin1);
      return;
    }
    held += costOf(v) + (memo.isDense(key) ? 16 : 80);
    memo.set(key, v);
  };

  const recordImport = (module: string, name: string, at: number, opcode: string, dynamic: boolean): Value => {
    if (run.imports.length < maxEvents) run.imports.push({ module, name, offset: at, opcode, dynamic });
    if (!run.getters && isOperatorGetter(module, name)) run.getters = [];
    if (!dynamic && name.includes(".") && run.oddities.length < maxEvents)
      run.oddities.push({ kind: "dotted-name", offset: at, detail: `${module} ${name} resolves attribute by attribute` });
    return { t: "global", module, name, dynamic, offset: at };
  };
  const recordCall = (callee: Value, args: Value[], at: number, opcode: string) => {
    let name: string;
    let computed = false;
    let global: { module: string; name: string } | undefined;
    if (callee.t === "global") {
      name = `${callee.module}.${callee.name}`;
      global = { module: callee.module, name: callee.name };
      computed = callee.dynamic;
    } else if (callee.t === "unknown") {
      // The callable was dropped at a budget crossing: the call is counted, its name is unknowable.
      if (run.budget) run.budget.unnamed++;
      return;
    } else if (callee.t === "obj" || callee.t === "pers" || callee.t === "ext") {
      name = `<${describe(callee, buf)}>`;
      computed = true;
    } else {
      // Calling a literal (str, int, ...) fails at load time with a TypeError: nothing runs.
      name = `<${callee.t}>`;
    }
    if (run.calls.length < maxEvents) run.calls.push({ callee: name, global, computed, offset: at, opcode, args: joinBounded(args, (a) => describe(a, buf), 600) });
    hold(args);
    const getters = run.getters;
    // Only pickles that import an operator getter pay for this (one property test per call otherwise).
    if (getters && getters.length < maxEvents) {
      if (callee.t === "global" && isOperatorGetter(callee.module, callee.name)) getters.push({ getter: name, offset: at, use: "built", names: getterNames(callee.name, args) });
      else if (callee.t === "obj" && isGetterValue(callee.callee)) getters.push({ getter: describe(callee.callee), offset: at, use: "applied" });
    }
    for (const a of flatten(args)) {
      if (a.t === "bytes" && a.len >= 2 && buf[a.off] === 0x80 && (buf[a.off + 1] ?? 9) <= 5 && run.nested.length < 64)
        run.nested.push({ offset: a.off, length: a.len, callee: name });
      else if (getters && getters.length < maxEvents && (isGetterValue(a) || (a.t === "obj" && isGetterValue(a.callee))))
        getters.push({
          getter: describe(a.t === "obj" ? a.callee : a),
          offset: at,
          use: "handed",
          to: name,
          toGlobal: callee.t === "global" ? { module: callee.module, name: callee.name, dynamic: callee.dynamic } : undefined,
        });
    }
  };
  const asName = (v: Value): { s: string; dynamic: boolean } => (v.t === "str" ? { s: v.v, dynamic: false } : { s: `<${describe(v, buf)}>`, dynamic: true });

  /**
   * The opcodes CPython's pickler writes for every value of a tokenizer vocabulary or a state dict (strings,
   * small ints, memo stores and fetches, marks, tuples, SETITEMS/APPENDS). Handled here, in a function small
   * enough for the engine to optimise within the first thousands of opcodes; the main loop below (a far larger
   * function, whose optimised code lands late in a short scan) takes every other opcode. False: not one of them.
   */
  const hotOp = (op: number, at: number): boolean => {
    switch (op) {
      case MARK:
        marks.push(sp);
        return true;
      case 0x4a: // BININT
        need(4, at);
        push({ t: "int", v: dv.getInt32(pos, true) });
        pos += 4;
        return true;
      case 0x4b: // BININT1
        need(1, at);
        push(SMALL_INTS[buf[pos++]!]!);
        return true;
      case 0x4d: // BININT2
        need(2, at);
        push({ t: "int", v: dv.getUint16(pos, true) });
        pos += 2;
        return true;
      case 0x4e: // NONE
        push(NONE);
        return true;
      case 0x88: // NEWTRUE
      case 0x89: // NEWFALSE
        push(op === 0x88 ? TRUE : FALSE);
        return true;
      case 0x47: // BINFLOAT
        need(8, at);
        pos += 8;
        push(FLOAT);
        return true;
      case 0x58: // BINUNICODE
        push(strVal(u32(at), at, "utf8"));
        return true;
      case 0x8c: {
        // SHORT_BINUNICODE
        need(1, at);
        const len = buf[pos++]!;
        push(strVal(len, at, "utf8"));
        return true;
      }
      case 0x29: // EMPTY_TUPLE
        push({ t: "tuple", items: [] });
        return true;
      case 0x85:
      case 0x86:
      case 0x87: {
        // TUPLE1..3
        const k = op - 0x84;
        const items: Value[] = [];
        for (let i = 0; i < k; i++) items.unshift(pop(at));
        hold(items);
        push({ t: "tuple", items });
        return true;
      }
      case 0x5d: // EMPTY_LIST
        push({ t: "list", items: [] });
        return true;
      case 0x65: {
        // APPENDS
        const items = popMark(at);
        const l = top(at);
        if (l.t === "list") addItems(l.items, items);
        return true;
      }
      case 0x7d: // EMPTY_DICT
        push({ t: "dict", items: [] });
        return true;
      case 0x75: {
        // SETITEMS
        const items = popMark(at);
        if (items.length % 2 !== 0 && !lean) throw new VmError(at, "odd number of items for SETITEMS");
        const d = top(at);
        if (d.t === "dict")
          for (let i = 0; i + 1 < items.length && d.items.length < MAX_CONTAINER; i += 2) {
            d.items.push([items[i]!, items[i + 1]!]);
            held += costOf(items[i]!) + costOf(items[i + 1]!) + 56;
          }
        return true;
      }
      case 0x68: // BINGET
        need(1, at);
        push(memoGet(memo, buf[pos++]!, at, lean));
        return true;
      case 0x71: // BINPUT
        need(1, at);
        memoSet(buf[pos++]!, top(at));
        return true;
      case 0x94: // MEMOIZE: index is the current memo size
        memoSet(memo.size, top(at));
        return true;
      default:
        return false;
    }
  };
  /**
   * Runs hot opcodes until one that is not, or until an opcode the main loop must see first: the end of the
   * data, the opcode limit, a deadline check (every 16 Ki opcodes) or the memory budget. Each check is the main
   * loop's own, made before the opcode is counted, so every error, finding and offset is unchanged.
   */
  const hotRun = () => {
    while (pos < n && pos < frameEnd && run.opcodes < maxOps && ((run.opcodes + 1) & 0x3fff) !== 0 && held + memo.extra + sp * STACK_SLOT <= maxMem) {
      const at = pos;
      run.opcodes++;
      pos++;
      if (!hotOp(buf[at]!, at)) {
        run.opcodes--;
        pos = at;
        return;
      }
    }
  };

  try {
    for (;;) {
      hotRun();
      if (pos >= n) throw new VmError(pos, "pickle data was truncated (no STOP)");
      if (++run.opcodes > maxOps) throw new VmError(pos, `opcode limit of ${maxOps} reached`);
      if (held + memo.extra + sp * STACK_SLOT > maxMem) overBudget(pos);
      // The clock is read every 16 Ki opcodes (well under a millisecond of work).
      if ((run.opcodes & 0x3fff) === 0 && pastDeadline(options.deadline)) {
        run.timedOut = true;
        throw new VmError(pos, "time limit reached");
      }
      const at = pos;
      if (at >= frameEnd) {
        if (at > frameEnd)
          straddle(
            frameEnd,
            `an opcode runs past the end of the frame declared at offset ${frameAt} (it ends at ${frameEnd}, the next opcode starts at ${at}): loaders disagree on what follows`,
          );
        frameEnd = Number.POSITIVE_INFINITY;
      }
      const op = buf[pos++]!;
      // A hot opcode reaches here only when hotRun stopped for a check above.
      if (hotOp(op, at)) continue;
      switch (op) {
        case 0x80: {
          // PROTO
          need(1, at);
          proto = buf[pos++]!;
          run.protocol = proto;
          if (proto > 5) {
            run.oddities.push({ kind: "bad-proto", offset: at, detail: `unsupported pickle protocol ${proto}` });
            throw new VmError(at, `unsupported pickle protocol: ${proto}`);
          }
          break;
        }
        case 0x95: {
          // FRAME: opcodes continue inside; only the announced size is checked. An overrun does not stop the
          // machine: CPython's C unpickler refuses it, but the pure-Python one (pickle._Unpickler, which
          // joblib loads with) reads the short frame and runs its opcodes.
          need(8, at);
          const len = dv.getBigUint64(pos, true);
          pos += 8;
          if (BigInt(pos) + len > BigInt(n)) run.oddities.push({ kind: "frame-overrun", offset: at, detail: `frame of ${len} bytes runs past the end` });
          if (frameEnd !== Number.POSITIVE_INFINITY)
            straddle(at, `a frame begins at offset ${at} inside the frame declared at offset ${frameAt} (which ends at ${frameEnd}): loaders disagree on what follows`);
          frameAt = at;
          frameEnd = pos + Number(len);
          break;
        }
        case 0x2e: {
          // STOP
          run.result = pop(at);
          run.end = pos;
          return run;
        }
        case 0x30: // POP
          if (sp > 0 && (marks.length === 0 || sp > marks[marks.length - 1]!)) pop(at);
          else if (!lean || marks.length > 0) popMark(at); // CPython: POP at a mark boundary pops the mark
          break;
        case 0x31: // POP_MARK
          popMark(at);
          break;
        case 0x32: // DUP
          push(top(at));
          break;
        case 0x46: // FLOAT
          readLine(at);
          push(FLOAT);
          break;
        case 0x49: {
          // INT (also TRUE/FALSE)
          const s = readLine(at).trim();
          if (s === "01" || s === "00") push(s === "01" ? TRUE : FALSE);
          else {
            if (!/^[+-]?\d+$/.test(s)) throw new VmError(at, `invalid literal for INT: ${JSON.stringify(s.slice(0, 40))}`);
            push({ t: "int", v: Number(s) });
          }
          break;
        }
        case 0x4c: {
          // LONG
          const s = readLine(at).trim().replace(/L$/, "");
          if (!/^[+-]?\d+$/.test(s)) throw new VmError(at, `invalid literal for LONG: ${JSON.stringify(s.slice(0, 40))}`);
          push({ t: "int", v: Number(s) });
          break;
        }
        case 0x8a: {
          // LONG1
          need(1, at);
          const len = buf[pos++]!;
          need(len, at);
          push({ t: "int", v: littleSigned(buf, pos, len) });
          pos += len;
          break;
        }
        case 0x8b: {
          // LONG4
          const len = u32(at);
          if (len > 0x7fffffff) throw new VmError(at, "LONG pickle has negative byte count");
          need(len, at);
          push({ t: "int", v: littleSigned(buf, pos, Math.min(len, 8)) });
          pos += len;
          break;
        }
        case 0x53: // STRING: a quoted Python literal, decoded to str by the py3 unpickler
          push(lineStr(unquote(readLine(at), at)));
          break;
        case 0x54: {
          // BINSTRING
          const len = dv.byteLength >= pos + 4 ? dv.getInt32(pos, true) : -1;
          need(4, at);
          pos += 4;
          if (len < 0) throw new VmError(at, "BINSTRING pickle has negative byte count");
          push(strVal(len, at, "latin1"));
          break;
        }
        case 0x55: {
          // SHORT_BINSTRING
          need(1, at);
          const len = buf[pos++]!;
          push(strVal(len, at, "latin1"));
          break;
        }
        case 0x56: // UNICODE (raw-unicode-escape)
          push(lineStr(rawUnicodeEscape(readLine(at))));
          break;
        case 0x8d: // BINUNICODE8
          push(strVal(u64(at), at, "utf8"));
          break;
        case 0x42: // BINBYTES
          push(bytesVal(u32(at), at));
          break;
        case 0x43: {
          // SHORT_BINBYTES
          need(1, at);
          const len = buf[pos++]!;
          push(bytesVal(len, at));
          break;
        }
        case 0x8e: // BINBYTES8
        case 0x96: // BYTEARRAY8
          push(bytesVal(u64(at), at));
          break;
        case 0x97: // NEXT_BUFFER (out-of-band buffer from the loader)
          push(BUFFER);
          break;
        case 0x98: // READONLY_BUFFER
          top(at);
          break;
        case 0x74: // TUPLE
          push(stored(popMark(at)));
          break;
        case 0x6c: // LIST
          push({ t: "list", items: stored(popMark(at)).items });
          break;
        case 0x61: {
          // APPEND
          const v = pop(at);
          const l = top(at);
          if (l.t === "list") addItems(l.items, [v]);
          else if (l.t === "obj") recordCall({ t: "str", v: "append" }, [v], at, "APPEND");
          break;
        }
        case 0x64: {
          // DICT
          const items = popMark(at);
          // In bounded mode the frame may have begun before the crossing: its first items are gone.
          if (items.length % 2 !== 0 && !lean) throw new VmError(at, "odd number of items for DICT");
          const d: Array<[Value, Value]> = [];
          for (let i = 0; i + 1 < items.length && d.length < MAX_CONTAINER; i += 2) {
            d.push([items[i]!, items[i + 1]!]);
            held += costOf(items[i]!) + costOf(items[i + 1]!) + 56;
          }
          push({ t: "dict", items: d });
          break;
        }
        case 0x73: {
          // SETITEM
          const v = pop(at);
          const k = pop(at);
          const d = top(at);
          if (d.t === "dict" && d.items.length < MAX_CONTAINER) {
            d.items.push([k, v]);
            held += costOf(k) + costOf(v) + 56;
          }
          break;
        }
        case 0x8f: // EMPTY_SET
          push(SET);
          break;
        case 0x90: // ADDITEMS
          popMark(at);
          top(at);
          break;
        case 0x91: // FROZENSET
          popMark(at);
          push(SET);
          break;
        case 0x50: // PERSID
          readLine(at);
          push(PERS);
          break;
        case 0x51: // BINPERSID
          pop(at);
          push(PERS);
          break;
        case 0x67: {
          // GET
          const s = readLine(at).trim();
          if (!/^\d+$/.test(s)) throw new VmError(at, `invalid memo key ${JSON.stringify(s.slice(0, 20))}`);
          push(memoGet(memo, Number(s), at, lean));
          break;
        }
        case 0x6a: // LONG_BINGET
          push(memoGet(memo, u32(at), at, lean));
          break;
        case 0x70: {
          // PUT
          const s = readLine(at).trim();
          if (!/^\d+$/.test(s)) throw new VmError(at, `invalid memo key ${JSON.stringify(s.slice(0, 20))}`);
          memoSet(Number(s), top(at));
          break;
        }
        case 0x72: {
          // LONG_BINPUT
          const i = u32(at);
          if (i > 0x7fffffff) throw new VmError(at, "negative LONG_BINPUT argument");
          memoSet(i, top(at));
          break;
        }
        case 0x63: {
          // GLOBAL
          const module = readLine(at);
          const name = readLine(at);
          const [m, nm] = fixImport(module, name, proto);
          push(recordImport(m, nm, at, "GLOBAL", false));
          if (m !== module || nm !== name) run.imports[run.imports.length - 1]!.opcode = `GLOBAL (${module}.${name})`;
          break;
        }
        case 0x93: {
          // STACK_GLOBAL: name then module, from whatever left them on the stack (literals or memo)
          const nameV = pop(at);
          const modV = pop(at);
          if (nameV.t === "unknown" || modV.t === "unknown") {
            // An operand was dropped at a budget crossing: the import happens, its name is unknowable.
            run.budget!.unnamed++;
            push(UNKNOWN);
            break;
          }
          const m = asName(modV);
          const nm = asName(nameV);
          const dynamic = m.dynamic || nm.dynamic;
          const [fm, fn] = dynamic ? [m.s, nm.s] : fixImport(m.s, nm.s, proto);
          push(recordImport(fm, fn, at, "STACK_GLOBAL", dynamic));
          if (dynamic) {
            // CPython rejects non-str operands, but a str produced by a call is still a str: keep the
            // import on record and stop, since the names are unknowable.
            if (modV.t !== "obj" && nameV.t !== "obj") throw new VmError(at, "STACK_GLOBAL requires str");
          }
          break;
        }
        case 0x82:
        case 0x83:
        case 0x84: {
          // EXT1/2/4: a global named through the copyreg extension registry
          const width = op === 0x82 ? 1 : op === 0x83 ? 2 : 4;
          need(width, at);
          const code = width === 1 ? buf[pos]! : width === 2 ? dv.getUint16(pos, true) : dv.getInt32(pos, true);
          pos += width;
          run.oddities.push({ kind: "ext", offset: at, detail: `extension code ${code}` });
          recordImport("<copyreg extension>", String(code), at, `EXT${width === 4 ? 4 : width}`, true);
          push({ t: "ext", code });
          break;
        }
        case 0x69: {
          // INST: GLOBAL + call with the args above the last MARK
          const module = readLine(at);
          const name = readLine(at);
          const [m, nm] = fixImport(module, name, proto);
          const args = popMark(at).slice(0, MAX_CONTAINER);
          const g = recordImport(m, nm, at, "INST", false);
          recordCall(g, args, at, "INST");
          push({ t: "obj", callee: g, args, via: "INST", offset: at });
          break;
        }
        case 0x6f: {
          // OBJ: callable and args above the last MARK
          const items = popMark(at);
          if (items.length === 0) {
            if (!lean) throw new VmError(at, "OBJ without a class");
            run.budget!.unnamed++;
            push(UNKNOWN);
            break;
          }
          const cls = items[0]!;
          const args = items.slice(1, 1 + MAX_CONTAINER);
          recordCall(cls, args, at, "OBJ");
          push({ t: "obj", callee: cls, args, via: "OBJ", offset: at });
          break;
        }
        case 0x52: {
          // REDUCE
          const args = pop(at);
          const fn = pop(at);
          const list = args.t === "tuple" ? args.items : [args];
          recordCall(fn, list, at, "REDUCE");
          push({ t: "obj", callee: fn, args: list, via: "REDUCE", offset: at });
          break;
        }
        case 0x81: {
          // NEWOBJ: cls.__new__(cls, *args)
          const args = pop(at);
          const cls = pop(at);
          const list = args.t === "tuple" ? args.items : [args];
          recordCall(cls, list, at, "NEWOBJ");
          push({ t: "obj", callee: cls, args: list, via: "NEWOBJ", offset: at });
          break;
        }
        case 0x92: {
          // NEWOBJ_EX: cls.__new__(cls, *args, **kwargs)
          const kwargs = pop(at);
          const args = pop(at);
          const cls = pop(at);
          const list = [...(args.t === "tuple" ? args.items : [args]), kwargs];
          recordCall(cls, list, at, "NEWOBJ_EX");
          push({ t: "obj", callee: cls, args: list, via: "NEWOBJ_EX", offset: at });
          break;
        }
        case 0x62: {
          // BUILD: inst.__setstate__(state) or inst.__dict__.update(state)
          const state = pop(at);
          const inst = top(at);
          if (inst.t === "global") {
            // Setting attributes on a class or function object (monkey-patching at load time).
            run.oddities.push({ kind: "build-on-global", offset: at, detail: `BUILD sets state on ${inst.module}.${inst.name} itself` });
            recordCall(inst, [state], at, "BUILD");
          } else if (inst.t === "obj") {
            inst.state = state;
            held += costOf(state);
            if (options.joblib && isNumpyArrayWrapper(inst)) {
              // joblib ends the frame before it writes an array's raw bytes (they are outside every frame).
              if (pos === frameEnd) frameEnd = Number.POSITIVE_INFINITY;
              pos = skipJoblibArray(buf, pos, inst, run, options, at);
            }
          } else if (inst.t === "pers" || inst.t === "ext") recordCall(inst, [state], at, "BUILD");
          break;
        }
        default:
          throw new VmError(at, `invalid opcode 0x${op.toString(16).padStart(2, "0")}`);
      }
    }
  } catch (e) {
    if (!(e instanceof VmError)) throw e;
    run.error = { offset: e.offset, message: e.message };
    run.end = pos;
    return run;
  }
}

/**
 * The unpickler's memo. Keys are nearly always 0, 1, 2, …: a dense array for those is several times
 * faster than a Map once it holds hundreds of thousands of entries; odd keys go to a Map.
 */
class Memo {
  private readonly dense: Array<Value | undefined> = [];
  private sparse: Map<number, Value> | undefined;
  // Compact short strings (dense keys only): `dense[key]` is REF, the bytes are `offs[key]`, `lens[key]`
  // (bit 7: latin1). A vocabulary of a million tokens then costs two typed-array entries per token.
  private offs = new Uint32Array(0);
  private lens = new Uint8Array(0);
  size = 0;
  /** Bytes added by compact strings decoded on a fetch (the machine adds them to its accounted total). */
  extra = 0;
  constructor(private readonly bytes: Buffer) {}
  /** True when `key` lands in the dense part (a slot); otherwise it costs a Map entry. */
  isDense(key: number): boolean {
    return key <= this.dense.length && key < DENSE_MEMO;
  }
  get(key: number): Value | undefined {
    const v = key < this.dense.length ? this.dense[key] : undefined;
    if (v === REF) {
      // Fetched again (a dict key or a name used many times): decoded once and kept as a value from now
      // on, charged in `extra`; a vocabulary's keys are never fetched and stay compact.
      const off = this.offs[key]!;
      const l = this.lens[key]!;
      const str: Value = { t: "str", v: this.bytes.toString(l & 0x80 ? "latin1" : "utf8", off, off + (l & 0x7f)) };
      this.dense[key] = str;
      this.extra += costOf(str);
      return str;
    }
    return v ?? this.sparse?.get(key);
  }
  /** A short string at `off` of the pickle, stored without an object (the caller checked `isDense`). */
  setRef(key: number, off: number, len: number, latin1: boolean): void {
    if (key >= this.offs.length) {
      const cap = Math.max(1024, this.offs.length * 2, key + 1);
      const o = new Uint32Array(cap);
      o.set(this.offs);
      this.offs = o;
      const l = new Uint8Array(cap);
      l.set(this.lens);
      this.lens = l;
    }
    this.offs[key] = off;
    this.lens[key] = len | (latin1 ? 0x80 : 0);
    this.set(key, REF);
  }
  set(key: number, v: Value): void {
    if (key < this.dense.length) {
      if (this.dense[key] === undefined) this.size++;
      this.dense[key] = v;
    } else if (key === this.dense.length && key < DENSE_MEMO) {
      // A key first stored out of order moves to the dense part: count it once.
      if (this.sparse?.delete(key) !== true) this.size++;
      this.dense.push(v);
    } else {
      // Keys ahead of the dense part (a crafted LONG_BINPUT) never grow a hole-y array.
      this.sparse ??= new Map();
      if (!this.sparse.has(key)) this.size++;
      this.sparse.set(key, v);
    }
  }
  /** A new memo with the entries that pass `keep` (same keys), and their accounted cost. */
  filter(keep: (v: Value) => boolean): { memo: Memo; cost: number } {
    const out = new Memo(this.bytes);
    let cost = 8 * this.dense.length;
    let refs = false;
    // Dropped entries leave holes, so the kept ones keep their keys in the dense part.
    for (const v of this.dense) {
      // Compact strings are strings: kept (or not) as such, at their compact cost.
      const k = v !== undefined && (v === REF ? keep(SOME_STR) : keep(v)) ? v : undefined;
      out.dense.push(k);
      if (k === REF) {
        refs = true;
        cost += 16;
      } else if (k) cost += costOf(k) + 8;
    }
    // Trailing holes are dropped: after a crossing that kept nothing the array is empty again, so each
    // later crossing costs what was added since, not the whole old key range (linear, not n × 1 Mi).
    let end = out.dense.length;
    while (end > 0 && out.dense[end - 1] === undefined) end--;
    cost -= 8 * (out.dense.length - end);
    out.dense.length = end;
    if (refs) {
      out.offs = this.offs;
      out.lens = this.lens;
    }
    if (this.sparse)
      for (const [key, v] of this.sparse)
        if (keep(v)) {
          out.sparse ??= new Map();
          out.sparse.set(key, v);
          cost += costOf(v) + 64;
        }
    out.size = this.size; // MEMOIZE numbers on from the unpickler's count, dropped entries included
    return { memo: out, cost };
  }
}
/**
 * Dense keys run up to here, a Map beyond. The cap keeps the arrays small enough that their growth copies
 * and a crossing's filtered copy stay within the memory rule (16 Mi dense keys peaked at +480 MiB).
 */
const DENSE_MEMO = 1 << 20;
/** Marks a compact memo string (never on the stack: `Memo.get` turns it back into a str value). */
const REF: Value = Object.freeze({ t: "str", v: "" });
const SOME_STR: Value = Object.freeze({ t: "str", v: "" });

function memoGet(memo: Memo, key: number, at: number, lean: boolean): Value {
  const v = memo.get(key);
  if (v === undefined) {
    // After a budget crossing the entry may have been dropped on purpose.
    if (lean) return UNKNOWN;
    throw new VmError(at, `memo key ${key} not found`);
  }
  return v;
}

/** A cheap first look (native substring searches) before `codetext.ts` runs its patterns. */
const CODE_HINT = /[(|]|\s-|\/dev\//;
function mayBeCode(s: string): boolean {
  return CODE_HINT.test(s);
}

function littleSigned(buf: Uint8Array, off: number, len: number): number {
  if (len === 0) return 0;
  let v = 0n;
  for (let i = len - 1; i >= 0; i--) v = (v << 8n) | BigInt(buf[off + i]!);
  if ((buf[off + len - 1]! & 0x80) !== 0) v -= 1n << BigInt(8 * len);
  return Number(v);
}

/** Decodes a Python 2 `repr()` string as pickle's STRING opcode carries it. */
function unquote(line: string, at: number): string {
  const s = line.trimEnd();
  const q = s[0];
  if (s.length < 2 || (q !== "'" && q !== '"') || s[s.length - 1] !== q) throw new VmError(at, "the STRING opcode argument must be quoted");
  const body = s.slice(1, -1);
  return body.replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|.)/g, (_m, e: string) => {
    if (e[0] === "x") return String.fromCharCode(Number.parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(Number.parseInt(e, 8));
    return { n: "\n", t: "\t", r: "\r", "0": "\0", a: "\x07", b: "\b", f: "\f", v: "\v" }[e] ?? e;
  });
}

function rawUnicodeEscape(s: string): string {
  return s.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_m, a?: string, b?: string) => String.fromCodePoint(Number.parseInt((a ?? b)!, 16)));
}

/**
 * Arguments and the items of tuples and lists inside them, three levels down, at most 4,096 values: a
 * list that holds itself thousands of times would otherwise fan out to billions.
 */
function flatten(values: readonly Value[]): readonly Value[] {
  // Most calls pass plain values: nothing to walk, nothing to copy.
  let nested = false;
  for (let i = 0; i < values.length; i++) if (values[i]!.t === "tuple" || values[i]!.t === "list") nested = true;
  if (!nested && values.length <= MAX_CONTAINER) return values;
  const out: Value[] = [];
  flattenInto(values, 0, out);
  return out;
}
function flattenInto(items: readonly Value[], depth: number, out: Value[]): void {
  for (let i = 0; i < items.length && out.length < MAX_CONTAINER; i++) {
    const v = items[i]!;
    out.push(v);
    if (depth < 3 && (v.t === "tuple" || v.t === "list")) flattenInto(v.items, depth + 1, out);
  }
}

const GETTERS = new Set(["attrgetter", "methodcaller", "itemgetter"]);
/** `operator.attrgetter`, `_operator.methodcaller`, `operator.itemgetter`. */
export function isOperatorGetter(module: string, name: string): boolean {
  return (module === "operator" || module === "_operator") && GETTERS.has(name);
}
function isGetterValue(v: Value): boolean {
  return v.t === "global" && !v.dynamic && isOperatorGetter(v.module, v.name);
}
/**
 * The names a getter is built with: every argument of attrgetter/itemgetter, the first of methodcaller (the
 * rest are the method's own arguments). A value that is not a literal is null (computed at load time).
 */
function getterNames(getter: string, args: readonly Value[]): Array<string | number | null> {
  const named = getter === "methodcaller" ? args.slice(0, 1) : args.slice(0, 64);
  return named.map((a) => (a.t === "str" ? a.v : a.t === "int" ? a.v : a.t === "none" || a.t === "bool" || a.t === "float" ? 0 : null));
}

/** Renders items one by one and stops once the text is past `max` characters. */
function joinBounded(items: readonly Value[], render: (v: Value) => string, max = 200): string {
  let out = "";
  for (let i = 0; i < items.length; i++) {
    if (out.length > max) return `${out}, …`;
    out += i > 0 ? `, ${render(items[i]!)}` : render(items[i]!);
  }
  return out;
}

/** A short, safe rendering of a symbolic value for evidence. */
export function describe(v: Value, buf?: Uint8Array, depth = 0): string {
  switch (v.t) {
    case "str":
      return JSON.stringify(v.v.length > 80 ? `${v.v.slice(0, 80)}…` : v.v);
    case "bytes":
      return buf && v.len <= 32
        ? `b'${Buffer.from(buf.subarray(v.off, v.off + v.len))
            .toString("latin1")
            .replace(/[^\x20-\x7e]/g, ".")}'`
        : `bytes[${v.len}]`;
    case "int":
      return String(v.v);
    case "bool":
      return v.v ? "True" : "False";
    case "none":
      return "None";
    case "global":
      return `${v.module}.${v.name}`;
    case "obj":
      return depth > 2 ? "call(…)" : `${describe(v.callee, buf, depth + 1)}(${joinBounded(v.args, (a) => describe(a, buf, depth + 1))})`.slice(0, 200);
    case "tuple":
      return depth > 2 ? "(…)" : `(${joinBounded(v.items, (a) => describe(a, buf, depth + 1))})`.slice(0, 200);
    case "list":
      return `[${v.items.length} items]`;
    case "dict":
      return `{${v.items.length} items}`;
    case "pers":
      return "persistent id";
    case "ext":
      return `extension ${v.code}`;
    default:
      return v.t;
  }
}

function isNumpyArrayWrapper(v: Value & { t: "obj" }): boolean {
  return v.callee.t === "global" && v.callee.module === "joblib.numpy_pickle" && v.callee.name === "NumpyArrayWrapper";
}

const DTYPE_SIZES: Record<string, number> = { b: 1, B: 1, "?": 1, h: 2, H: 2, e: 2, i: 4, I: 4, f: 4, l: 8, L: 8, q: 8, Q: 8, d: 8, g: 16, F: 8, D: 16, G: 32, p: 8, P: 8 };

/** Item size of a numpy dtype string such as `f8`, `<i4`, `U10`, `V16`, `?`, `M8[ns]`. */
export function dtypeItemSize(descr: string): number | undefined {
  const m = /^[<>|=]?([a-zA-Z?])(\d*)(\[.*\])?$/.exec(descr);
  if (!m) return undefined;
  const [, kind, digits] = m;
  const n = digits ? Number(digits) : undefined;
  if (kind === "U") return n === undefined ? undefined : n * 4;
  if (kind === "S" || kind === "a" || kind === "V") return n;
  if (kind === "O") return 8;
  if (kind === "b" || kind === "B" || kind === "?") return n ?? 1;
  if ("iufcmMH".includes(kind!) && n !== undefined) return n;
  return DTYPE_SIZES[kind!];
}

function dictGet(d: Value | undefined, key: string): Value | undefined {
  if (d?.t !== "dict") return undefined;
  for (const [k, v] of d.items) if (k.t === "str" && k.v === key) return v;
  return undefined;
}

/**
 * joblib writes each non-object array's raw bytes right after the wrapper's BUILD (optionally after a
 * padding-length byte and padding); object arrays are a nested protocol-2 pickle. Skip the former,
 * analyse the latter in place, so payloads after the first array are still seen.
 */
function skipJoblibArray(buf: Uint8Array, pos: number, wrapper: Value & { t: "obj" }, run: PickleRun, options: VmOptions, at: number): number {
  const state = wrapper.state;
  const shape = dictGet(state, "shape");
  const dtype = dictGet(state, "dtype");
  const align = dictGet(state, "numpy_array_alignment_bytes");
  let descr: string | undefined;
  let elsize: number | undefined;
  if (dtype?.t === "obj" && dtype.args[0]?.t === "str") descr = dtype.args[0].v;
  if (dtype?.t === "obj" && dtype.state?.t === "tuple") {
    const e = dtype.state.items[5];
    if (e?.t === "int" && e.v > 0) elsize = e.v;
  }
  if (descr === "O" || descr === "|O" || descr === "O8") {
    const nested = runPickle(buf, pos, { ...options, joblib: false });
    mergeRun(run, nested);
    if (nested.error) throw new VmError(nested.error.offset, `joblib object array: ${nested.error.message}`);
    return nested.end;
  }
  const size = elsize ?? (descr ? dtypeItemSize(descr) : undefined);
  if (shape?.t !== "tuple" || size === undefined || shape.items.some((s) => s.t !== "int" || s.v < 0))
    throw new VmError(at, "joblib array wrapper with an unreadable shape or dtype: cannot find where the array data ends");
  let count = 1;
  for (const s of shape.items) count *= (s as { v: number }).v;
  let p = pos;
  if (align?.t === "int" && align.v > 0) {
    if (p >= buf.length) throw new VmError(p, "pickle data was truncated (joblib padding)");
    p += 1 + buf[p]!;
  }
  const bytes = count * size;
  if (!Number.isFinite(bytes) || p + bytes > buf.length) throw new VmError(at, `joblib array of ${bytes} bytes runs past the end of the data`);
  run.skipped += p + bytes - pos;
  return p + bytes;
}

function mergeRun(into: PickleRun, from: PickleRun): void {
  into.imports.push(...from.imports);
  into.calls.push(...from.calls);
  into.oddities.push(...from.oddities);
  into.nested.push(...from.nested);
  if (from.codeText) {
    if (into.codeText) into.codeText.count += from.codeText.count;
    else into.codeText = from.codeText;
  }
  into.opcodes += from.opcodes;
  into.skipped += from.skipped;
}

export { OPNAMES };
