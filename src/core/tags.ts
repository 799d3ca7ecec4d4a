/**
 * Framework tags that findings carry, so reports can be filtered by the frameworks auditors use.
 * Format: `<framework>:<id>`.
 */
export const tag = {
  cwe: (n: number) => `cwe:${n}`,
  owaspLlm: (id: `LLM${string}`) => `owasp-llm:${id}`,
  owaspMl: (id: `ML${string}`) => `owasp-ml:${id}`,
  atlas: (id: `AML.${string}`) => `atlas:${id}`,
  nistAiRmf: (id: string) => `nist-ai-rmf:${id}`,
} as const;
