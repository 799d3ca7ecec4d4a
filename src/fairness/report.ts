import type { CheckResult } from "../core/index.js";

type Num = number | null | undefined;
type Attr = Record<string, unknown> & { groups: Record<string, Record<string, unknown>>; ci?: Record<string, [Num, Num]> };

const fmt = (v: Num) => (v === null || v === undefined ? "–" : Number.isInteger(v) ? String(v) : v.toFixed(3));

/** Headline figures per attribute and per group, as plain text for the terminal (above the findings). */
export function summariseFairness(result: CheckResult): string {
  const m = result.metrics as Record<string, unknown>;
  const attributes = (m.attributes ?? {}) as Record<string, Attr>;
  const mode = m.mode as string;
  const task = m.task as string;
  const headline =
    mode === "data"
      ? task === "classification"
        ? ["representation_ratio", "base_rate_difference", "disparate_impact"]
        : ["representation_ratio", "mean_label_difference", "mean_label_ratio"]
      : task === "regression"
        ? ["mean_prediction_difference", "mean_prediction_ratio", "mean_absolute_error_difference", "mean_absolute_error_ratio", "root_mean_squared_error_ratio"]
        : ["disparate_impact", "demographic_parity_difference", "equalized_odds_difference", "equal_opportunity_difference", ...(m.score ? ["calibration_gap_difference"] : [])];
  const groupCols =
    mode === "data"
      ? task === "classification"
        ? ["base_rate"]
        : ["mean_label"]
      : task === "regression"
        ? ["mean_prediction", "mean_label", "mean_absolute_error", "root_mean_squared_error"]
        : ["selection_rate", "true_positive_rate", "false_positive_rate", "precision", "accuracy", ...(m.score ? ["expected_calibration_error"] : [])];
  const lines: string[] = [`${mode === "data" ? "Data bias" : "Fairness"} (${task}), ${m.rows} rows`];
  for (const [name, a] of Object.entries(attributes)) {
    lines.push("", `${name}: ${a.group_count} groups${(a.small_groups as string[]).length ? `, ${(a.small_groups as string[]).length} small` : ""}`);
    for (const h of headline) {
      const ci = a.ci?.[h];
      lines.push(`  ${h.padEnd(34)} ${fmt(a[h] as Num).padStart(7)}${ci && ci[0] !== null ? `  [${fmt(ci[0])}, ${fmt(ci[1])}]` : ""}`);
    }
    const rows = Object.entries(a.groups).map(([k, g]) => [k + (g.small ? " *" : ""), String(g.count), ...groupCols.map((c) => fmt(g[c] as Num))]);
    const header = ["group", "n", ...groupCols.map(short)];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    lines.push(`  ${header.map((h, i) => h.padEnd(widths[i]!)).join("  ")}`);
    for (const r of rows.slice(0, 50)) lines.push(`  ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ")}`);
    if (rows.length > 50) lines.push(`  … ${rows.length - 50} more groups (see --format json)`);
  }
  if (Object.values(attributes).some((a) => (a.small_groups as string[]).length)) lines.push("", `* fewer than ${m.min_group_size} rows`);
  return `${lines.join("\n")}\n\n`;
}

function short(name: string): string {
  const map: Record<string, string> = {
    selection_rate: "sel.rate",
    true_positive_rate: "TPR",
    false_positive_rate: "FPR",
    expected_calibration_error: "ECE",
    mean_absolute_error: "MAE",
    root_mean_squared_error: "RMSE",
    mean_prediction: "mean ŷ",
    mean_label: "mean y",
  };
  return map[name] ?? name;
}
