import * as z from "zod";
import { RampartError } from "../core/errors.js";
import { CheckResult, type Subject } from "../core/types.js";
import { type Envelope, signEnvelope, type VerifiedEnvelope, verifyEnvelope } from "./dsse.js";
import type { PublicKey, Signer } from "./keys.js";

export const IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";
export const STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
/** Predicate type of a Rampart check result. */
export const CHECK_RESULT_PREDICATE = "https://rampart.dev/attestation/check-result/v1";

const ResourceDescriptor = z
  .object({
    name: z.string().optional(),
    uri: z.string().optional(),
    digest: z.record(z.string(), z.string()),
  })
  .loose();

export const Statement = z.object({
  _type: z.literal(STATEMENT_TYPE),
  subject: z.array(ResourceDescriptor).min(1),
  predicateType: z.string().min(1),
  predicate: z.record(z.string(), z.unknown()),
});
export type Statement = z.infer<typeof Statement>;

export function statement(subjects: readonly Subject[], predicateType: string, predicate: Record<string, unknown>): Statement {
  if (subjects.length === 0) throw new RampartError("usage", "an attestation needs at least one subject");
  return { _type: STATEMENT_TYPE, subject: subjects.map((s) => ({ name: s.name, digest: { ...s.digest } })), predicateType, predicate };
}

/** Signs any in-toto statement as a DSSE envelope. */
export function signStatement(st: Statement, signers: readonly Signer[]): Promise<Envelope> {
  return signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(st)), signers);
}

/** Wraps a CheckResult in a statement about its subjects (or the ones given) and signs it. */
export function attestCheckResult(result: CheckResult, signers: readonly Signer[], subjects: readonly Subject[] = result.subjects): Promise<Envelope> {
  return signStatement(statement(subjects, CHECK_RESULT_PREDICATE, result as unknown as Record<string, unknown>), signers);
}

export interface VerifiedStatement extends VerifiedEnvelope {
  statement: Statement;
}

/** Verifies the envelope, then parses the verified bytes as an in-toto statement. */
export function verifyStatement(envelope: unknown, trusted: readonly PublicKey[], options: { threshold?: number; source?: string } = {}): VerifiedStatement {
  const source = options.source ?? "envelope";
  const verified = verifyEnvelope(envelope, trusted, options);
  if (verified.payloadType !== IN_TOTO_PAYLOAD_TYPE) throw new RampartError("invalid-input", `${source}: payloadType is ${verified.payloadType}, expected ${IN_TOTO_PAYLOAD_TYPE}`);
  let json: unknown;
  try {
    json = JSON.parse(verified.payload.toString("utf8"));
  } catch {
    throw new RampartError("invalid-input", `${source}: payload is not JSON`);
  }
  const parsed = Statement.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RampartError("invalid-input", `${source}: not an in-toto Statement v1 (${issue.path.join(".") || "root"}: ${issue.message})`);
  }
  return { ...verified, statement: parsed.data };
}

/** The CheckResult inside a verified statement, when it carries one. */
export function checkResultOf(st: Statement): CheckResult | undefined {
  if (st.predicateType !== CHECK_RESULT_PREDICATE) return undefined;
  const parsed = CheckResult.safeParse(st.predicate);
  return parsed.success ? parsed.data : undefined;
}
