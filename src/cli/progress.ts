import { createColors } from "picocolors";
import type { RunObserver } from "../pipeline/index.js";
import { interactive } from "./output.js";

/**
 * Progress on stderr for long work: a live line on a terminal, nothing in CI or with --quiet
 * (the final report says everything).
 */
export function stageProgress(): RunObserver {
  const live = interactive(process.stderr);
  const c = createColors(live);
  const err = process.stderr;
  const clear = () => live && err.write("\r\x1b[2K");
  return {
    stageStarted(i, total, label) {
      if (live) err.write(`${c.dim(`[${i + 1}/${total}]`)} ${label} …`);
    },
    stageProgress(label, message) {
      if (!live) return;
      clear();
      err.write(`${c.dim("…")} ${label}: ${message.slice(0, Math.max(20, (err.columns || 80) - label.length - 6))}`);
    },
    stageFinished(i, total, o) {
      if (!live) return;
      clear();
      const mark = o.status === "passed" ? c.green("✓") : o.status === "failed" ? c.red("✗") : c.yellow("!");
      const findings = o.results.reduce((n, r) => n + r.findings.length, 0);
      err.write(`${mark} ${c.dim(`[${i + 1}/${total}]`)} ${o.label} ${c.dim(`${findings} finding(s), ${o.durationMs} ms`)}${o.error ? ` ${c.yellow(o.error)}` : ""}\n`);
    },
    note(message) {
      if (!process.env.CI || live) err.write(`${message}\n`);
    },
  };
}
