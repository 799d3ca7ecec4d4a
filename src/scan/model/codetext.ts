/**
 * Code or shell commands written as *data* in a model file: strings of a pickle that imports and calls
 * nothing, metadata values of safetensors, GGUF and ONNX. Loading such a file runs none of it, so this is
 * informational (low), never "malicious": a program that later reads the value (a training script that
 * runs a "post-processing command", a notebook that evals a config string) is what would run it.
 *
 * The patterns need the shape of a call or a command line, not a word: a vocabulary token "system", a
 * docstring "the system prompt" or "call model.eval() first" match nothing. Every pattern is a literal
 * prefix followed by bounded, non-overlapping classes, so matching stays linear on hostile text.
 */
import type { AnalyzerInput } from "./types.js";

// Each pattern with a literal its match must contain: the pattern runs only on text that holds it (a
// native substring search), so a data-only pickle of a million tokens costs a few scans, not a dozen regexes.
const PATTERNS: Array<[string, RegExp, string]> = [
  // Python calls that run commands or code.
  [
    "(",
    /\b(?:os|posix|nt|subprocess|commands|pty)\s*\.\s*(?:system|popen\w{0,2}|Popen|call|check_call|check_output|run|getoutput|getstatusoutput|exec[lv]p?e?|spawn[lv]p?e?|spawn)\s*\(\s*[^)\s]/,
    "Python command execution",
  ],
  ["__import__", /__import__\s*\(\s*['"]/, "Python dynamic import"],
  ["(", /(?<![\w.])(?:exec|eval)\s*\(\s*(?:['"(]|compile\b|base64\b|bytes\b|codecs\b|__import__\b)/, "Python exec/eval of text"],
  ["loads", /\b(?:pickle|cPickle|_pickle|marshal|dill)\s*\.\s*loads?\s*\(\s*[^)\s]/, "Python deserialisation call"],
  ["import_module", /\bimportlib\s*\.\s*import_module\s*\(\s*['"]/, "Python dynamic import"],
  [".connect", /\bsocket\s*\.\s*socket\s*\([^)]{0,80}\)\s*\.\s*connect\b/, "Python socket connection"],
  // Shell command lines.
  ["-c", /(?:^|[\s;&|`'"(])(?:\/bin\/|\/usr\/bin\/)?(?:ba|z|da|k)?sh\s+-c\s+\S/, "shell -c command"],
  ["|", /\b(?:curl|wget)\s+[^|;\n]{1,200}\|\s*(?:sudo\s+)?(?:ba|z|da)?sh\b/, "download piped into a shell"],
  ["/dev/tcp/", /\/dev\/tcp\/[\w.-]{1,253}\/\d{1,5}/, "reverse shell (/dev/tcp)"],
  [" -", /\b(?:nc|ncat|netcat)\s+(?:-\w{1,4}\s+){0,4}-[ce]\s+\/?\w/, "netcat with command execution"],
  ["rm ", /\brm\s+-[a-zA-Z]{0,4}r[a-zA-Z]{0,4}\s+(?:--no-preserve-root\s+)?\/(?:\s|$|\*|home\b|etc\b|usr\b|var\b)/, "recursive delete from the root"],
  [" -", /\bpowershell(?:\.exe)?\s+(?:-\w{1,20}\s+){0,4}-(?:enc|encodedcommand|e|c|command)\s+\S/i, "PowerShell command"],
  ["chmod", /\bchmod\s+(?:\+x|[0-7]?7[0-7]{2})\s+\S{1,200}\s*(?:;|&&)\s*\.?\//, "make executable and run"],
];

export interface CodeText {
  /** What the text looks like (the pattern's name). */
  kind: string;
  /** The matched text, at most 120 characters. */
  match: string;
  /** Index of the match in the text given. */
  index: number;
}

/** The first code-like match in `text`, or undefined. Only the first `max` characters are read. */
export function findCodeText(text: string, max = 1 << 16): CodeText | undefined {
  const s = text.length > max ? text.slice(0, max) : text;
  let best: CodeText | undefined;
  for (const [needle, re, kind] of PATTERNS) {
    if (!s.includes(needle)) continue;
    const m = re.exec(s);
    if (m && (best === undefined || m.index < best.index)) best = { kind, match: m[0].slice(0, 120), index: m.index };
  }
  return best;
}

/** Reports a code-like string found in a value the format stores as data (one finding per place). */
export function reportCodeText(input: AnalyzerInput, where: string, hit: CodeText, offset?: number): void {
  input.report({
    ruleId: "model.data.code-text",
    severity: "low",
    message: `${where} holds text that looks like code (${hit.kind}: ${JSON.stringify(hit.match)}); loading the file does not run it, but a program that reads this value might`,
    offset,
    evidence: { kind: hit.kind, match: hit.match },
    remediation: "Check why the model stores commands or code as data; do not pass such values to a shell, eval or exec.",
  });
}
