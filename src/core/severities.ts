/** Ordered from most to least serious; the index is the rank used by --fail-on. Kept apart from types.ts so a
 * module that needs only the order (the model scanner) does not load zod. */
export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;
