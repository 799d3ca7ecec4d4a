import type { Severity } from "./types.js";

/** What a rule means, for SARIF rule descriptors and `--help` listings. Checks register theirs once. */
export interface RuleInfo {
  id: string;
  /** One line: what was found. */
  title: string;
  /** A paragraph: why it matters. */
  description?: string;
  /** How to fix it. */
  help?: string;
  defaultSeverity?: Severity;
  tags?: string[];
  helpUri?: string;
}

const catalogue = new Map<string, RuleInfo>();

export function registerRules(rules: readonly RuleInfo[]): void {
  for (const rule of rules) catalogue.set(rule.id, rule);
}

export function ruleInfo(id: string): RuleInfo | undefined {
  return catalogue.get(id);
}
