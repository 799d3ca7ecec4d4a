/** The vulnerability categories both code-evaluation harnesses score, and Rampart's rule ids in each. */
export type Category = "deser" | "exec" | "shell" | "tls" | "archive" | "cred" | "download" | "debug" | "sql";

export const RAMPART: Record<string, Category> = {
  "code.unsafe-deserialization": "deser",
  "code.torch-load-unsafe": "deser",
  "code.numpy-allow-pickle": "deser",
  "code.yaml-unsafe-load": "deser",
  "code.keras-unsafe-load": "deser",
  "code.trust-remote-code": "exec",
  "code.eval-exec": "exec",
  "code.shell-injection": "shell",
  "code.tls-verify-disabled": "tls",
  "code.archive-extraction": "archive",
  "code.hardcoded-credential": "cred",
  "code.unpinned-download": "download",
  "code.debug-server": "debug",
  "code.sql-injection": "sql",
};
