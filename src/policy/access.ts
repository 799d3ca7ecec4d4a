import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import { RampartError } from "../core/index.js";
import type { BundleFile, PolicyProblem } from "./bundle.js";

/**
 * Who may do what, in Cedar. One schema for all of Rampart: principals (User, Service, Role, Team),
 * resources (Dataset, Model, ModelVersion, Release, Ledger) and the actions data access, the registry
 * and the gateway ask about. Policies are validated against it before they are used.
 */
export const RAMPART_SCHEMA = `namespace Rampart {
  entity Role;
  entity Team;
  entity User in [Role, Team] { email?: String, team?: String };
  entity Service in [Role, Team] { team?: String };
  entity Dataset { owner?: User, team?: String, tags: Set<String>, classification?: String };
  entity Model { owner?: User, team?: String, tags: Set<String> };
  entity ModelVersion in [Model] { owner?: User, team?: String, digest: String, stage: String };
  entity Release { owner: User, team?: String, model: String, digest: String, stage: String, tags: Set<String> };
  entity Ledger;

  type Purpose = { purpose?: String, destination?: String };

  action "read-dataset", "export-dataset", "register-dataset" appliesTo { principal: [User, Service], resource: [Dataset], context: Purpose };
  action "call-model" appliesTo { principal: [User, Service], resource: [Model, ModelVersion], context: { clientIp?: String, tokens?: Long } };
  action "register-model" appliesTo { principal: [User, Service], resource: [Model, ModelVersion], context: {} };
  action "create-release", "read-release" appliesTo { principal: [User, Service], resource: [Release], context: {} };
  action "promote" appliesTo {
    principal: [User, Service],
    resource: [Release, ModelVersion],
    context: { fromStage: String, targetStage: String, gatesPassed: Bool, approvals: Long }
  };
  action "approve", "reject" appliesTo { principal: [User], resource: [Release], context: { comment?: String } };
  action "append-ledger", "read-ledger" appliesTo { principal: [User, Service], resource: [Ledger], context: {} };
}
`;

export type PrincipalType = "User" | "Service" | "Role" | "Team";
export type ResourceType = "Dataset" | "Model" | "ModelVersion" | "Release" | "Ledger";
export type Action =
  | "read-dataset"
  | "export-dataset"
  | "register-dataset"
  | "call-model"
  | "register-model"
  | "create-release"
  | "read-release"
  | "promote"
  | "approve"
  | "reject"
  | "append-ledger"
  | "read-ledger";

export interface EntityRef {
  type: PrincipalType | ResourceType;
  id: string;
}

export type CedarValue = string | number | boolean | EntityRef | CedarValue[] | { [key: string]: CedarValue };

export interface Entity {
  uid: EntityRef;
  attrs?: Record<string, CedarValue>;
  parents?: EntityRef[];
}

export interface AccessRequest {
  principal: EntityRef;
  action: Action;
  resource: EntityRef;
  context?: Record<string, CedarValue>;
  entities?: readonly Entity[];
}

export interface AccessDecision {
  decision: "allow" | "deny";
  /** Ids of the policies that decided (the permits that allowed, or the forbids that denied). */
  policyIds: string[];
  /** Policies that could not be evaluated (they are skipped, so a broken permit never allows). */
  errors: string[];
}

/** A validated set of Cedar policies with stable ids. */
export interface AccessPolicies {
  policies: Record<string, string>;
  /** Where each policy came from (file:line), for reports. */
  origins: Record<string, string>;
}

/**
 * Splits `*.cedar` files into policies named by their `@id("...")` annotation (else `FILE#N`),
 * parses and validates them against RAMPART_SCHEMA. Problems carry file:line:col.
 */
export function validateAccessPolicies(files: readonly BundleFile[], root = ""): { problems: PolicyProblem[]; policies: AccessPolicies } {
  const problems: PolicyProblem[] = [];
  const policies: Record<string, string> = {};
  const origins: Record<string, string> = {};
  const offsets: Record<string, { file: BundleFile; start: number }> = {};
  const show = (f: BundleFile) => (root ? `${root.replace(/\/$/, "")}/${f.path}` : f.path);
  for (const file of files) {
    const parts = cedar.policySetTextToParts(file.text);
    if (parts.type === "failure") {
      for (const err of parts.errors) problems.push({ ...position(file.text, err.sourceLocations?.[0]?.start ?? 0), file: show(file), message: `Cedar: ${errorText(err)}` });
      continue;
    }
    let from = 0;
    for (const [i, text] of parts.policies.entries()) {
      const found = file.text.indexOf(text, from);
      const start = found >= 0 ? found : from;
      from = start + text.length;
      const id = /@id\(\s*"((?:[^"\\]|\\.)*)"\s*\)/.exec(text)?.[1] ?? `${file.path}#${i + 1}`;
      const at = position(file.text, start);
      if (policies[id] !== undefined) {
        problems.push({ ...at, file: show(file), message: `Cedar: policy id "${id}" is used twice (first at ${origins[id]})` });
        continue;
      }
      policies[id] = text;
      origins[id] = `${show(file)}:${at.line}`;
      offsets[id] = { file, start };
    }
  }
  if (Object.keys(policies).length > 0) {
    const parse = cedar.checkParsePolicySet({ staticPolicies: policies });
    if (parse.type === "failure") for (const err of parse.errors) problems.push({ file: "cedar", line: 1, column: 1, message: `Cedar: ${errorText(err)}` });
    else {
      const answer = cedar.validate({ schema: RAMPART_SCHEMA, policies: { staticPolicies: policies }, validationSettings: { mode: "strict" } });
      // validate() answers "success" even when policies are invalid: the errors are in validationErrors.
      if (answer.type === "failure") for (const err of answer.errors) problems.push({ file: "cedar", line: 1, column: 1, message: `Cedar: ${errorText(err)}` });
      else
        for (const v of answer.validationErrors) {
          const origin = offsets[v.policyId];
          const at = origin ? position(origin.file.text, origin.start + (v.error.sourceLocations?.[0]?.start ?? 0)) : { line: 1, column: 1 };
          problems.push({ ...at, file: origin ? show(origin.file) : "cedar", message: `Cedar policy ${v.policyId}: ${errorText(v.error)}` });
        }
    }
  }
  return { problems, policies: { policies, origins } };
}

/** Compiles access policies or throws the first problem (file:line:col). */
export function accessPolicies(files: readonly BundleFile[], root = ""): AccessPolicies {
  const { problems, policies } = validateAccessPolicies(files, root);
  const p = problems[0];
  if (p) throw new RampartError("invalid-config", `${p.file}:${p.line}:${p.column}: ${p.message}`);
  return policies;
}

/**
 * The one authoriser: Cedar's default deny, any satisfied forbid beats every permit. Data access,
 * the registry and the gateway all ask here, and record the policy ids that decided.
 */
export function authorize(request: AccessRequest, policies: AccessPolicies): AccessDecision {
  const answer = cedar.statefulIsAuthorized({
    principal: uid(request.principal),
    action: { type: "Rampart::Action", id: request.action },
    resource: uid(request.resource),
    context: toCedar(request.context ?? {}) as Record<string, cedar.CedarValueJson>,
    preparsedSchemaName: preparsedSchema(),
    validateRequest: true,
    preparsedPolicySetId: preparsedPolicies(policies),
    entities: (request.entities ?? []).map((e) => ({
      uid: uid(e.uid),
      attrs: toCedar(e.attrs ?? {}) as Record<string, cedar.CedarValueJson>,
      parents: (e.parents ?? []).map(uid),
    })),
  });
  if (answer.type === "failure") return { decision: "deny", policyIds: [], errors: answer.errors.map(errorText) };
  const { decision, diagnostics } = answer.response;
  return { decision, policyIds: [...diagnostics.reason].sort(), errors: diagnostics.errors.map((e) => `${e.policyId}: ${errorText(e.error)}`) };
}

// Parsing the schema and policies on every request costs ~20 ms; cedar-wasm caches parsed copies by id.
let schemaReady = false;
function preparsedSchema(): string {
  if (!schemaReady) {
    const r = cedar.preparseSchema("rampart", RAMPART_SCHEMA);
    if (r.type === "failure") throw new RampartError("invalid-config", `Rampart Cedar schema: ${r.errors.map(errorText).join("; ")}`);
    schemaReady = true;
  }
  return "rampart";
}

const preparsed = new WeakMap<AccessPolicies, string>();
let preparsedCount = 0;
function preparsedPolicies(policies: AccessPolicies): string {
  let id = preparsed.get(policies);
  if (!id) {
    id = `pset-${++preparsedCount}`;
    const r = cedar.preparsePolicySet(id, { staticPolicies: policies.policies });
    if (r.type === "failure") throw new RampartError("invalid-config", `Cedar policies: ${r.errors.map(errorText).join("; ")}`);
    preparsed.set(policies, id);
  }
  return id;
}

/** Shorthand for entity literals: `entity("User", "alice", { team: "risk" }, [role("risk-reviewer")])`. */
export function entity(type: EntityRef["type"], id: string, attrs: Record<string, CedarValue> = {}, parents: EntityRef[] = []): Entity {
  return { uid: { type, id }, attrs, parents };
}

export const ref = (type: EntityRef["type"], id: string): EntityRef => ({ type, id });

function uid(r: EntityRef): { type: string; id: string } {
  return { type: r.type.includes("::") ? r.type : `Rampart::${r.type}`, id: r.id };
}

function isRef(v: unknown): v is EntityRef {
  return typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 2 && "type" in v && "id" in v;
}

function toCedar(v: CedarValue | Record<string, CedarValue>): unknown {
  if (Array.isArray(v)) return v.map(toCedar);
  if (isRef(v)) return { __entity: uid(v) };
  if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toCedar(x)]));
  return v;
}

function errorText(e: cedar.DetailedError): string {
  return e.help ? `${e.message} (${e.help})` : e.message;
}

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const line = before.split("\n").length;
  return { line, column: before.length - (before.lastIndexOf("\n") + 1) + 1 };
}
