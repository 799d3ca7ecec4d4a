/**
 * One error class for everything a user can cause. Callers branch on `code`, never on text;
 * cli/ maps every RampartError to one line on stderr and exit code 2.
 */
export type ErrorCode =
  | "usage" // wrong flags or arguments
  | "not-found" // a named file, key, release ... does not exist
  | "invalid-input" // a file exists but its content is malformed
  | "invalid-config" // rampart.yaml or another config file fails validation
  | "bad-signature" // a signature does not verify or no trusted key signed
  | "untrusted-key" // a key is malformed or not in the trust set
  | "conflict" // the store refused: an id exists, a log would fork, ...
  | "forbidden" // an access rule (Cedar) denied the request; the refusal is recorded
  | "unavailable" // a service (database, redis, upstream) could not be reached
  | "limit"; // a size or time limit was hit while reading untrusted input

export class RampartError extends Error {
  override readonly name = "RampartError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isRampartError(e: unknown, code?: ErrorCode): e is RampartError {
  return e instanceof RampartError && (code === undefined || e.code === code);
}

/** Text quoted from untrusted input (a parser's excerpt) with its control characters escaped, so a report stays on one line. */
export function oneLine(text: string): string {
  return text.replace(/[\x00-\x1f\x7f]/g, (c) => JSON.stringify(c).slice(1, -1));
}

/** Message of any thrown value, for one-line reports. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
