import { lstat, opendir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { type Document, isNode, isScalar, LineCounter, parseAllDocuments, type Scalar } from "yaml";
import * as z from "zod";
import { fileError, firstProblem, oneLine, RampartError, sha256Hex, YAML_PARSE_OPTIONS, yamlProblems } from "../core/index.js";
import { type AccessPolicies, validateAccessPolicies } from "./access.js";
import { type CompiledExpression, compileExpression } from "./cel.js";

/** A problem in a bundle file, with a 1-based line and column. */
export interface PolicyProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

export interface BundleFile {
  /** Path relative to the bundle root, `/`-separated. */
  path: string;
  text: string;
}

const Name = z.string().regex(/^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$/, "expected a lowercase name of letters, digits, '.', '_' or '-'");
const Metadata = z.object({ name: Name, description: z.string().optional() }).loose();
const Expression = z.string().min(1, "expression is empty");

export const GatePolicySpec = z
  .object({
    failurePolicy: z.enum(["Fail", "Ignore"]).default("Fail"),
    params: z.record(z.string(), z.unknown()).default({}),
    matchConditions: z
      .array(z.object({ name: Name, expression: Expression }).strict())
      .max(64)
      .default([]),
    variables: z.array(z.object({ name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected an identifier"), expression: Expression }).strict()).default([]),
    validations: z
      .array(
        z
          .object({
            name: Name.optional(),
            expression: Expression,
            message: z.string().optional(),
            messageExpression: z.string().optional(),
            reason: z.string().optional(),
            action: z.enum(["Deny", "Warn", "Audit"]).default("Deny"),
          })
          .strict(),
      )
      .min(1, "a GatePolicy needs at least one validation"),
  })
  .strict();

const ApiVersion = z.literal("rampart.dev/v1alpha1");
const GatePolicyDoc = z.object({ apiVersion: ApiVersion, kind: z.literal("GatePolicy"), metadata: Metadata, spec: GatePolicySpec }).strict();

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date YYYY-MM-DD");
const WaiverDoc = z
  .object({
    apiVersion: ApiVersion,
    kind: z.literal("Waiver"),
    metadata: Metadata,
    spec: z
      .object({
        /** `policy/rule` id the waiver lets through. */
        rule: z.string().regex(/^[^/\s]+\/[^/\s]+$/, "expected a rule id POLICY/RULE"),
        justification: z.string().min(10, "a justification of at least 10 characters is required"),
        approver: z.string().min(1),
        /** Last day (UTC) the waiver applies. */
        expires: IsoDate,
        /** Limit the waiver to one release id. */
        release: z.string().optional(),
      })
      .strict(),
  })
  .strict();

const Outcome = z.enum(["pass", "fail", "error", "waived", "skipped"]);
const TestDoc = z
  .object({
    apiVersion: ApiVersion,
    kind: z.literal("GatePolicyTest"),
    metadata: Metadata,
    spec: z
      .object({
        /** Evaluation date for waiver expiry, so tests do not change with the calendar. */
        now: IsoDate.optional(),
        cases: z
          .array(
            z
              .object({
                name: z.string().min(1),
                evidence: z.record(z.string(), z.unknown()).optional(),
                /** JSON or YAML file inside the bundle, relative to this test file. */
                evidenceFile: z.string().optional(),
                params: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
                expect: z
                  .object({ decision: z.enum(["allow", "deny"]).optional(), rules: z.record(z.string(), Outcome).optional() })
                  .strict()
                  .refine((e) => e.decision !== undefined || e.rules !== undefined, "expect needs a decision or rules"),
              })
              .strict()
              .refine((c) => (c.evidence === undefined) !== (c.evidenceFile === undefined), "give exactly one of evidence or evidenceFile"),
          )
          .min(1),
      })
      .strict(),
  })
  .strict();

/** `Type::"id"` or `Type::id` written in YAML; the Rampart:: namespace is implied. */
const EntityName = z.string().regex(/^(User|Service|Role|Team|Dataset|Model|ModelVersion|Release|Ledger)::"?[^"]+"?$/, 'expected Type::id, e.g. User::alice or Release::"rel-1"');
const AccessTestDoc = z
  .object({
    apiVersion: ApiVersion,
    kind: z.literal("AccessPolicyTest"),
    metadata: Metadata,
    spec: z
      .object({
        /** Entities: attrs values written as {entity: Type::id} are entity references. */
        entities: z.array(z.object({ uid: EntityName, attrs: z.record(z.string(), z.unknown()).optional(), parents: z.array(EntityName).optional() }).strict()).default([]),
        cases: z
          .array(
            z
              .object({
                name: z.string().min(1),
                principal: EntityName,
                action: z.string().min(1),
                resource: EntityName,
                context: z.record(z.string(), z.unknown()).optional(),
                expect: z.object({ decision: z.enum(["allow", "deny"]), policyIds: z.array(z.string()).optional() }).strict(),
              })
              .strict(),
          )
          .min(1),
      })
      .strict(),
  })
  .strict();

export interface AccessTestCase extends Located {
  name: string;
  principal: string;
  action: string;
  resource: string;
  context: Record<string, unknown>;
  expect: { decision: "allow" | "deny"; policyIds?: string[] };
}

export interface AccessTestFile extends Located {
  name: string;
  entities: Array<{ uid: string; attrs?: Record<string, unknown>; parents?: string[] }>;
  cases: AccessTestCase[];
}

export type RuleAction = "Deny" | "Warn" | "Audit";
export type RuleOutcomeKind = z.infer<typeof Outcome>;

export interface Located {
  file: string;
  line: number;
  column: number;
}

export interface CompiledRule extends Located {
  /** `policy/rule`, stable: waivers, tests and decisions name rules by it. */
  id: string;
  name: string;
  action: RuleAction;
  expression: CompiledExpression;
  message?: string;
  messageExpression?: CompiledExpression;
  reason?: string;
}

export interface CompiledPolicy extends Located {
  name: string;
  failurePolicy: "Fail" | "Ignore";
  params: Record<string, unknown>;
  matchConditions: Array<{ name: string; expression: CompiledExpression }>;
  variables: Array<{ name: string; expression: CompiledExpression }>;
  rules: CompiledRule[];
  /** Every rule id declared, including ones whose expressions did not compile (no cascading errors). */
  declared: string[];
}

export interface Waiver extends Located {
  name: string;
  rule: string;
  justification: string;
  approver: string;
  expires: string;
  release?: string;
}

export interface PolicyTestCase extends Located {
  name: string;
  evidence: Record<string, unknown>;
  params?: Record<string, Record<string, unknown>>;
  expect: { decision?: "allow" | "deny"; rules?: Record<string, RuleOutcomeKind> };
}

export interface PolicyTestFile extends Located {
  name: string;
  now?: string;
  cases: PolicyTestCase[];
}

export interface Bundle {
  /** sha256 over the bundle's files (same manifest as core's digestDirectory for regular files). */
  digest: string;
  files: BundleFile[];
  policies: CompiledPolicy[];
  waivers: Waiver[];
  tests: PolicyTestFile[];
  /** Cedar unit tests (`kind: AccessPolicyTest`). */
  accessTests: AccessTestFile[];
  /** Cedar access policy files (`*.cedar`) and the policies they hold, validated against the schema. */
  cedar: BundleFile[];
  access: AccessPolicies;
  /** Every problem found while loading; a bundle with problems must not be evaluated. */
  problems: PolicyProblem[];
}

const MAX_FILE = 1 << 20;
const MAX_FILES = 2000;

/** Reads every regular file under `dir` (hidden entries and symlinks skipped), bounded in count and size. */
export async function readBundleFiles(dir: string): Promise<BundleFile[]> {
  const files: BundleFile[] = [];
  async function walk(d: string): Promise<void> {
    let handle: import("node:fs").Dir;
    try {
      handle = await opendir(d);
    } catch (e) {
      throw fileError(d, e);
    }
    for await (const entry of handle) {
      if (entry.name.startsWith(".")) continue;
      const full = join(d, entry.name);
      const info = await lstat(full);
      if (info.isDirectory()) await walk(full);
      else if (info.isFile()) {
        if (info.size > MAX_FILE) throw new RampartError("limit", `${full}: policy file larger than ${MAX_FILE} bytes`);
        if (files.length >= MAX_FILES) throw new RampartError("limit", `${dir}: more than ${MAX_FILES} files in a policy bundle`);
        files.push({ path: relative(dir, full).split(sep).join("/"), text: await readFile(full, "utf8") });
      }
    }
  }
  await walk(dir);
  return files;
}

/** Deterministic digest: sorted `file <sha256> <size> <path>\n` lines, hashed. */
export function bundleDigest(files: readonly BundleFile[]): string {
  const sorted = [...files].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
  return sha256Hex(sorted.map((f) => `file ${sha256Hex(f.text)} ${Buffer.byteLength(f.text)} ${f.path}\n`).join(""));
}

export async function loadBundle(dir: string): Promise<Bundle> {
  const files = await readBundleFiles(dir);
  return compileBundle(files, dir);
}

/**
 * Compiles a bundle from its files (read from disk, or from the store when replaying). `root` prefixes
 * file names in problems so they point at a path the user can open.
 */
export function compileBundle(files: readonly BundleFile[], root = ""): Bundle {
  const bundle: Bundle = {
    digest: bundleDigest(files),
    files: [...files],
    policies: [],
    waivers: [],
    tests: [],
    accessTests: [],
    cedar: [],
    access: { policies: {}, origins: {} },
    problems: [],
  };
  const display = (p: string) => (root ? join(root, p) : p);
  const byPath = new Map(files.map((f) => [f.path, f]));
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const file of sorted) {
    if (/\.cedar$/.test(file.path)) bundle.cedar.push(file);
    if (!/\.ya?ml$/.test(file.path)) continue;
    const name = display(file.path);
    const lc = new LineCounter();
    const docs = parseAllDocuments(file.text, { ...YAML_PARSE_OPTIONS, lineCounter: lc, prettyErrors: false });
    const docList = Array.isArray(docs) ? docs : [docs];
    for (const doc of docList) {
      const loc = (offset: number): Located => {
        const p = lc.linePos(offset);
        return { file: name, line: p.line, column: p.col };
      };
      const problem = (offset: number, message: string) => bundle.problems.push({ ...loc(offset), message });
      const problems = yamlProblems(doc);
      if (problems.length > 0) {
        for (const p of problems) problem(p.offset, p.message);
        continue;
      }
      let data: unknown;
      try {
        // toJS resolves aliases (bounded by the yaml library's maxAliasCount) and can still refuse.
        data = doc.toJS({ maxAliasCount: 100 });
      } catch (e) {
        problem(doc.range[0], `cannot read document: ${(e as Error).message.split("\n")[0]}`);
        continue;
      }
      if (data === null || data === undefined) continue;
      const kind = typeof data === "object" && data !== null && "kind" in data ? (data as { kind: unknown }).kind : undefined;
      const schema =
        kind === "GatePolicy" ? GatePolicyDoc : kind === "Waiver" ? WaiverDoc : kind === "GatePolicyTest" ? TestDoc : kind === "AccessPolicyTest" ? AccessTestDoc : undefined;
      if (!schema) {
        problem(nodeOffset(doc, ["kind"]), `kind: expected GatePolicy, Waiver, GatePolicyTest or AccessPolicyTest, got ${JSON.stringify(kind ?? null)}`);
        continue;
      }
      const parsed = schema.safeParse(data);
      if (!parsed.success) {
        for (const issue of parsed.error.issues.slice(0, 5)) {
          const path = issue.path.map((p) => (typeof p === "number" ? p : String(p)));
          problem(nodeOffset(doc, path), `${path.join(".") || "(document)"}: ${issue.message}`);
        }
        continue;
      }
      const where = loc(nodeOffset(doc, ["metadata", "name"]));
      if (parsed.data.kind === "GatePolicy") {
        const policy = compilePolicy(parsed.data, doc, where, lc, bundle.problems, name, file.text);
        if (bundle.policies.some((p) => p.name === policy.name))
          bundle.problems.push({ ...where, message: `metadata.name: a GatePolicy named "${policy.name}" is already defined` });
        else bundle.policies.push(policy);
      } else if (parsed.data.kind === "Waiver") {
        bundle.waivers.push({ ...where, name: parsed.data.metadata.name, ...parsed.data.spec });
      } else if (parsed.data.kind === "AccessPolicyTest") {
        const spec = parsed.data.spec;
        bundle.accessTests.push({
          ...where,
          name: parsed.data.metadata.name,
          entities: spec.entities,
          cases: spec.cases.map((c, i) => ({ ...loc(nodeOffset(doc, ["spec", "cases", i, "name"])), ...c, context: c.context ?? {} })),
        });
      } else {
        const spec = parsed.data.spec;
        const cases: PolicyTestCase[] = [];
        for (const [i, c] of spec.cases.entries()) {
          const at = loc(nodeOffset(doc, ["spec", "cases", i, "name"]));
          let evidence = c.evidence;
          if (c.evidenceFile) {
            const target = joinRelative(file.path, c.evidenceFile);
            const f = target ? byPath.get(target) : undefined;
            if (!f) {
              problem(nodeOffset(doc, ["spec", "cases", i, "evidenceFile"]), `evidenceFile: ${c.evidenceFile} is not a file of this bundle`);
              continue;
            }
            const loaded = parseEvidenceFile(f, display(f.path));
            if ("problem" in loaded) {
              bundle.problems.push(loaded.problem);
              continue;
            }
            evidence = loaded.evidence;
          }
          cases.push({ ...at, name: c.name, evidence: evidence ?? {}, params: c.params, expect: c.expect });
        }
        bundle.tests.push({ ...where, name: parsed.data.metadata.name, now: spec.now, cases });
      }
    }
  }
  const access = validateAccessPolicies(bundle.cedar, root);
  bundle.access = access.policies;
  bundle.problems.push(...access.problems);
  // Rule ids named by waivers and tests must exist: a typo would silently waive or test nothing.
  const ruleIds = new Set(bundle.policies.flatMap((p) => p.declared));
  for (const w of bundle.waivers) if (!ruleIds.has(w.rule)) bundle.problems.push({ ...w, message: `waiver ${w.name}: no rule "${w.rule}" in this bundle` });
  for (const t of bundle.tests)
    for (const c of t.cases)
      for (const id of Object.keys(c.expect.rules ?? {})) if (!ruleIds.has(id)) bundle.problems.push({ ...c, message: `test case "${c.name}": no rule "${id}" in this bundle` });
  return bundle;
}

/** Throws the first problem as a one-line error (for commands that must not evaluate a broken bundle). */
export function assertValid(bundle: Bundle): void {
  const p = bundle.problems[0];
  if (p) {
    const more = bundle.problems.length > 1 ? ` (and ${bundle.problems.length - 1} more problem(s); run rampart policy test)` : "";
    throw new RampartError("invalid-config", `${p.file}:${p.line}:${p.column}: ${p.message}${more}`);
  }
}

function compilePolicy(
  doc: z.infer<typeof GatePolicyDoc>,
  ydoc: Document,
  where: Located,
  lc: LineCounter,
  problems: PolicyProblem[],
  file: string,
  yamlText: string,
): CompiledPolicy {
  const spec = doc.spec;
  const params = new Set(Object.keys(spec.params));
  const compile = (path: Array<string | number>, source: string, variables: ReadonlySet<string>, expect?: "bool" | "string") => {
    const { problems: found, compiled } = compileExpression(source, { variables, params, expect });
    for (const p of found) {
      const pos = lc.linePos(expressionOffset(ydoc, yamlText, path, p.offset));
      problems.push({ file, line: pos.line, column: pos.col, message: `${path.join(".")}: ${p.message}` });
    }
    return compiled;
  };
  const policy: CompiledPolicy = {
    ...where,
    name: doc.metadata.name,
    failurePolicy: spec.failurePolicy,
    params: spec.params,
    matchConditions: [],
    variables: [],
    rules: [],
    declared: [],
  };
  const declared = new Set<string>();
  for (const [i, m] of spec.matchConditions.entries()) {
    const c = compile(["spec", "matchConditions", i, "expression"], m.expression, new Set(), "bool");
    if (c) policy.matchConditions.push({ name: m.name, expression: c });
  }
  for (const [i, v] of spec.variables.entries()) {
    if (declared.has(v.name)) {
      const pos = lc.linePos(nodeOffset(ydoc, ["spec", "variables", i, "name"]));
      problems.push({ file, line: pos.line, column: pos.col, message: `spec.variables.${i}.name: variable "${v.name}" is declared twice` });
    }
    const c = compile(["spec", "variables", i, "expression"], v.expression, new Set(declared));
    declared.add(v.name);
    if (c) policy.variables.push({ name: v.name, expression: c });
  }
  const names = new Set<string>();
  for (const [i, v] of spec.validations.entries()) {
    const name = v.name ?? `rule-${i + 1}`;
    const at = lc.linePos(nodeOffset(ydoc, ["spec", "validations", i]));
    if (names.has(name)) problems.push({ file, line: at.line, column: at.col, message: `spec.validations.${i}.name: rule "${name}" is defined twice in ${doc.metadata.name}` });
    names.add(name);
    policy.declared.push(`${doc.metadata.name}/${name}`);
    const expression = compile(["spec", "validations", i, "expression"], v.expression, declared, "bool");
    const messageExpression = v.messageExpression !== undefined ? compile(["spec", "validations", i, "messageExpression"], v.messageExpression, declared, "string") : undefined;
    if (!expression) continue;
    policy.rules.push({
      file,
      line: at.line,
      column: at.col,
      id: `${doc.metadata.name}/${name}`,
      name,
      action: v.action,
      expression,
      message: v.message,
      messageExpression,
      reason: v.reason,
    });
  }
  return policy;
}

function nodeOffset(doc: Document, path: Array<string | number>): number {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return 0;
}

/**
 * Where an offset inside an expression string lies in the YAML source: plain and quoted scalars start
 * at the node (after the quote); block scalars (`|`, `>`) start on the next line at the block indent.
 */
function expressionOffset(doc: Document, source: string, path: Array<string | number>, offset: number): number {
  const node = doc.getIn(path, true);
  if (!isScalar(node) || !node.range) return nodeOffset(doc, path);
  const scalar = node as Scalar;
  const start = scalar.range![0];
  if (scalar.type === "BLOCK_LITERAL" || scalar.type === "BLOCK_FOLDED") {
    const value = String(scalar.value);
    const before = value.slice(0, offset);
    const lineIdx = before.split("\n").length - 1;
    const col = before.length - (before.lastIndexOf("\n") + 1);
    const text = source.slice(start);
    // text: the block from its header; line 0 is the header, content starts at line 1.
    const lines = text.split("\n");
    let pos = start;
    for (let i = 0; i <= lineIdx && i < lines.length; i++) pos += lines[i]!.length + 1;
    // The block indent is set by its first non-empty line; deeper indentation is part of the value.
    const first = lines.slice(1).find((l) => l.trim() !== "") ?? "";
    const indent = first.length - first.trimStart().length;
    return pos + indent + col;
  }
  const quoted = scalar.type === "QUOTE_DOUBLE" || scalar.type === "QUOTE_SINGLE" ? 1 : 0;
  return start + quoted + offset;
}

function joinRelative(from: string, target: string): string | undefined {
  const parts = from.split("/").slice(0, -1);
  for (const seg of target.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.join("/");
}

function parseEvidenceFile(f: BundleFile, name: string): { evidence: Record<string, unknown> } | { problem: PolicyProblem } {
  if (/\.json$/.test(f.path)) {
    try {
      const v = JSON.parse(f.text) as unknown;
      if (typeof v !== "object" || v === null || Array.isArray(v)) return { problem: { file: name, line: 1, column: 1, message: "evidence must be a JSON object" } };
      return { evidence: v as Record<string, unknown> };
    } catch (e) {
      return { problem: { file: name, line: 1, column: 1, message: `not valid JSON (${oneLine((e as Error).message)})` } };
    }
  }
  const lc = new LineCounter();
  const docs = parseAllDocuments(f.text, { ...YAML_PARSE_OPTIONS, lineCounter: lc, prettyErrors: false });
  const doc = Array.isArray(docs) ? docs[0] : undefined;
  const err = doc && firstProblem(doc);
  if (err) {
    const p = lc.linePos(err.offset);
    return { problem: { file: name, line: p.line, column: p.col, message: err.message } };
  }
  let v: unknown;
  try {
    v = doc?.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { problem: { file: name, line: 1, column: 1, message: `cannot read evidence: ${(e as Error).message.split("\n")[0]}` } };
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) return { problem: { file: name, line: 1, column: 1, message: "evidence must be a mapping" } };
  return { evidence: v as Record<string, unknown> };
}
