import { type Command, Option } from "commander";
import { RampartError, writeFileAtomic } from "../../core/index.js";
import { emitResults, type OutputOptions, withOutputOptions } from "../output.js";

interface DriftFlags extends OutputOptions {
  method: string;
  threshold?: number;
  driftShare: number;
  columns?: string;
  ignore?: string;
  label?: string;
  pred?: string;
  maxAccuracyDrop: number;
  prometheus?: string;
}

function fraction(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0 || n > 1) throw new RampartError("usage", `${flag}: "${value}" is not a number in (0, 1]`);
    return n;
  };
}

const list = (s: string | undefined) =>
  s
    ?.split(",")
    .map((x) => x.trim())
    .filter(Boolean);

/** Prometheus text exposition of a drift result, for node_exporter's textfile collector. */
function prometheusText(metrics: Record<string, unknown>, reference: string, current: string): string {
  const label = (s: string) => s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
  const lines = [
    "# HELP rampart_drift_column_statistic Drift statistic of a column (p-value tests: the p-value).",
    "# TYPE rampart_drift_column_statistic gauge",
    "# HELP rampart_drift_column_drifted 1 when the column drifted.",
    "# TYPE rampart_drift_column_drifted gauge",
  ];
  const perColumn = metrics.perColumn as Record<string, { method: string; statistic: number; pValue: number | null; drifted: boolean }>;
  for (const [column, m] of Object.entries(perColumn)) {
    const labels = `column="${label(column)}",method="${m.method}",current="${label(current)}"`;
    lines.push(`rampart_drift_column_statistic{${labels}} ${m.pValue ?? m.statistic}`, `rampart_drift_column_drifted{${labels}} ${m.drifted ? 1 : 0}`);
  }
  lines.push(
    "# HELP rampart_drift_share Share of columns that drifted.",
    "# TYPE rampart_drift_share gauge",
    `rampart_drift_share{reference="${label(reference)}",current="${label(current)}"} ${metrics.driftedShare}`,
  );
  const accuracy = metrics.accuracy as { current: number } | undefined;
  if (accuracy)
    lines.push(
      "# HELP rampart_drift_accuracy Accuracy on the current data.",
      "# TYPE rampart_drift_accuracy gauge",
      `rampart_drift_accuracy{current="${label(current)}"} ${accuracy.current}`,
    );
  return `${lines.join("\n")}\n`;
}

/** `rampart monitor`: drift and decay of data and predictions after deployment. */
export function registerMonitor(program: Command): void {
  const monitor = program.command("monitor").description("watch deployed models: data and prediction drift, accuracy decay");
  withOutputOptions(
    monitor
      .command("drift")
      .description("compare current data (or logged predictions) with the training reference, column by column")
      .argument("<reference>", "reference data: CSV, TSV, JSON Lines or Parquet (usually the training set)")
      .argument("<current>", "current data in any of those formats (a recent window of production inputs)")
      .addOption(
        new Option("--method <method>", "test for every column; auto picks by type, size and cardinality")
          .choices(["auto", "ks", "chisquare", "z", "wasserstein", "jensenshannon", "psi"])
          .default("auto"),
      )
      .option("--threshold <x>", "threshold for the method (p-value for ks/chisquare/z, distance otherwise)", (v) => {
        const n = Number(v);
        if (!Number.isFinite(n) || n <= 0) throw new RampartError("usage", `--threshold: "${v}" is not a positive number`);
        return n;
      })
      .option("--drift-share <x>", "share of drifted columns at which the dataset counts as drifted", fraction("--drift-share"), 0.5)
      .option("--columns <a,b>", "compare only these columns")
      .option("--ignore <a,b>", "leave these columns out (identifier-like columns are left out already)")
      .option("--label <col>", "true label column (with --pred: accuracy in both files)")
      .option("--pred <col>", "prediction column")
      .option("--max-accuracy-drop <x>", "finding when accuracy falls by more than this", fraction("--max-accuracy-drop"), 0.05)
      .option("--prometheus <file>", "also write the figures as Prometheus text (node_exporter textfile collector)"),
    { failOn: "high" },
  )
    .addHelpText(
      "after",
      `
Methods (auto, as Evidently chooses): reference of at most 1,000 rows -> two-sample Kolmogorov-Smirnov
for numeric columns (exact p-value like SciPy), chi-square goodness of fit for categories (z-test for
two); larger references -> Wasserstein distance in reference standard deviations (threshold 0.1) for
numeric columns, Jensen-Shannon distance (natural log, threshold 0.1) for categories and numbers with
at most 5 values. PSI (threshold 0.1, empty bins at 1e-4) on request. p-value tests drift below 0.05.

Findings: drift.column (medium) per drifted column, drift.dataset (high) when the share of drifted
columns reaches --drift-share, drift.performance (high) when accuracy falls by more than
--max-accuracy-drop. Exit 1 when a finding reaches --fail-on.

Examples:
  rampart monitor drift train.csv last_week.csv
  rampart monitor drift train.parquet today.jsonl --label default --pred prediction --format json -o drift.json
  rampart monitor drift train.csv today.csv --method psi --threshold 0.25 --prometheus /var/lib/node_exporter/rampart.prom`,
    )
    .action(async (reference: string, current: string, flags: DriftFlags) => {
      if (Boolean(flags.label) !== Boolean(flags.pred)) throw new RampartError("usage", "--label and --pred go together");
      const { detectDrift } = await import("../../monitor/index.js");
      const result = await detectDrift(reference, current, {
        method: flags.method as never,
        threshold: flags.threshold,
        driftShare: flags.driftShare,
        columns: list(flags.columns),
        ignore: list(flags.ignore),
        label: flags.label,
        prediction: flags.pred,
        maxAccuracyDrop: flags.maxAccuracyDrop,
      });
      if (flags.prometheus) await writeFileAtomic(flags.prometheus, prometheusText(result.metrics, reference, current));
      if (flags.format === "table" && !flags.output) process.stdout.write(columnTable(result.metrics));
      process.exitCode = await emitResults([result], flags);
    });
}

/** Every compared column, drifted or not: what a person wants to see before the findings. */
function columnTable(metrics: Record<string, unknown>): string {
  const perColumn = Object.entries(metrics.perColumn as Record<string, { method: string; statistic: number; pValue: number | null; threshold: number; drifted: boolean }>);
  if (perColumn.length === 0) return "";
  const rows = perColumn.map(([c, m]) => [
    c,
    m.method,
    m.pValue === null ? m.statistic.toFixed(4) : `p=${m.pValue < 1e-4 ? m.pValue.toExponential(1) : m.pValue.toFixed(4)}`,
    String(m.threshold),
    m.drifted ? "DRIFT" : "ok",
  ]);
  const head = ["column", "method", "value", "threshold", ""];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((v, i) => v.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return `${[line(head), ...rows.map(line)].join("\n")}\n${metrics.driftedColumns} of ${metrics.columns} columns drifted\n\n`;
}
