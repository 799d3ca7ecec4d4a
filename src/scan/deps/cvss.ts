import aeCvss from "ae-cvss-calculator";
import type { Severity } from "../../core/index.js";

/**
 * CVSS base scores from vector strings. v3.0/v3.1 and v2 follow the FIRST specifications' equations
 * (v3.1 §7.1 and Appendix A "Roundup"; v2 §3.2.1). v4.0 uses the macro-vector method with FIRST's
 * lookup table through ae-cvss-calculator, after our own strict check of the vector's grammar.
 */

const V3 = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  CIA: { H: 0.56, L: 0.22, N: 0 },
} as const;

function metrics(vector: string, prefixLen: number): Map<string, string> | undefined {
  const out = new Map<string, string>();
  for (const part of vector.split("/").slice(prefixLen)) {
    const [k, v] = part.split(":");
    if (!k || !v || out.has(k)) return undefined;
    out.set(k, v);
  }
  return out;
}

// v3.1 Appendix A: round up to one decimal, robust to floating-point error.
function roundup(x: number): number {
  const i = Math.round(x * 100000);
  return i % 10000 === 0 ? i / 100000 : (Math.floor(i / 10000) + 1) / 10;
}

export function cvss3BaseScore(vector: string): number | undefined {
  if (!/^CVSS:3\.[01]\//.test(vector)) return undefined;
  const m = metrics(vector, 1);
  if (!m) return undefined;
  const get = <T extends Record<string, number>>(table: T, key: string): number | undefined => {
    const v = m.get(key);
    return v !== undefined && v in table ? table[v as keyof T] : undefined;
  };
  const scope = m.get("S");
  if (scope !== "U" && scope !== "C") return undefined;
  const prTable = scope === "C" ? { N: 0.85, L: 0.68, H: 0.5 } : { N: 0.85, L: 0.62, H: 0.27 };
  const av = get(V3.AV, "AV");
  const ac = get(V3.AC, "AC");
  const pr = get(prTable, "PR");
  const ui = get(V3.UI, "UI");
  const c = get(V3.CIA, "C");
  const i = get(V3.CIA, "I");
  const a = get(V3.CIA, "A");
  if ([av, ac, pr, ui, c, i, a].some((x) => x === undefined)) return undefined;
  const iss = 1 - (1 - c!) * (1 - i!) * (1 - a!);
  const impact = scope === "U" ? 6.42 * iss : 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15;
  const exploitability = 8.22 * av! * ac! * pr! * ui!;
  if (impact <= 0) return 0;
  return scope === "U" ? roundup(Math.min(impact + exploitability, 10)) : roundup(Math.min(1.08 * (impact + exploitability), 10));
}

export function cvss2BaseScore(vector: string): number | undefined {
  const m = metrics(vector.replace(/^\(|\)$/g, ""), 0);
  if (!m) return undefined;
  const table = {
    AV: { L: 0.395, A: 0.646, N: 1.0 },
    AC: { H: 0.35, M: 0.61, L: 0.71 },
    Au: { M: 0.45, S: 0.56, N: 0.704 },
    CIA: { N: 0, P: 0.275, C: 0.66 },
  };
  const pick = (t: Record<string, number>, k: string) => {
    const v = m.get(k);
    return v !== undefined ? t[v] : undefined;
  };
  const av = pick(table.AV, "AV");
  const ac = pick(table.AC, "AC");
  const au = pick(table.Au, "Au");
  const c = pick(table.CIA, "C");
  const i = pick(table.CIA, "I");
  const a = pick(table.CIA, "A");
  if ([av, ac, au, c, i, a].some((x) => x === undefined)) return undefined;
  const impact = 10.41 * (1 - (1 - c!) * (1 - i!) * (1 - a!));
  const exploitability = 20 * av! * ac! * au!;
  const f = impact === 0 ? 0 : 1.176;
  return Math.round((0.6 * impact + 0.4 * exploitability - 1.5) * f * 10) / 10;
}

// CVSS v4.0 specification §7 "Vector String": metric order and allowed values; the 11 base metrics are mandatory.
const V4_METRICS: ReadonlyArray<[string, string, boolean]> = [
  ["AV", "NALP", true],
  ["AC", "LH", true],
  ["AT", "NP", true],
  ["PR", "NLH", true],
  ["UI", "NPA", true],
  ["VC", "HLN", true],
  ["VI", "HLN", true],
  ["VA", "HLN", true],
  ["SC", "HLN", true],
  ["SI", "HLN", true],
  ["SA", "HLN", true],
  ["E", "XAPU", false],
  ["CR", "XHML", false],
  ["IR", "XHML", false],
  ["AR", "XHML", false],
  ["MAV", "XNALP", false],
  ["MAC", "XLH", false],
  ["MAT", "XNP", false],
  ["MPR", "XNLH", false],
  ["MUI", "XNPA", false],
  ["MVC", "XHLN", false],
  ["MVI", "XHLN", false],
  ["MVA", "XHLN", false],
  ["MSC", "XHLN", false],
  ["MSI", "XSHLN", false],
  ["MSA", "XSHLN", false],
  ["S", "XNP", false],
  ["AU", "XNY", false],
  ["R", "XAUI", false],
  ["V", "XDC", false],
  ["RE", "XLMH", false],
  ["U", "X"],
].map(([k, v, m]) => [k as string, v as string, m === true]);
const URGENCY = new Set(["X", "Clear", "Green", "Amber", "Red"]);

/** True when `vector` is a well-formed CVSS:4.0 vector: known metrics, in the specified order, each once, base metrics all present. */
export function isCvss4Vector(vector: string): boolean {
  if (!vector.startsWith("CVSS:4.0/")) return false;
  let at = 0;
  for (const part of vector.slice(9).split("/")) {
    const [k, v, extra] = part.split(":");
    if (k === undefined || v === undefined || extra !== undefined) return false;
    while (at < V4_METRICS.length && V4_METRICS[at]![0] !== k) {
      if (V4_METRICS[at]![2]) return false; // a mandatory metric skipped
      at++;
    }
    const def = V4_METRICS[at];
    if (!def) return false; // unknown, repeated or out of order
    if (k === "U" ? !URGENCY.has(v) : v.length !== 1 || !def[1].includes(v)) return false;
    at++;
  }
  return at >= 11;
}

/**
 * CVSS v4.0 score of a vector (CVSS-B for base metrics only, CVSS-BT/-BE/-BTE when threat or
 * environmental metrics are given), rounded to one decimal as FIRST's calculator does.
 */
export function cvss4Score(vector: string): number | undefined {
  if (!isCvss4Vector(vector)) return undefined;
  const score = new aeCvss.Cvss4P0(vector).calculateScores().overall;
  return typeof score === "number" && Number.isFinite(score) ? score : undefined;
}

/** Qualitative band of a CVSS score (v3/v4 table; v2 has no "critical", so cap it at high). */
export function scoreBand(score: number, version: 2 | 3 | 4 = 3): Severity {
  if (score >= 9 && version !== 2) return "critical";
  if (score >= 7) return "high";
  if (score >= 4) return "medium";
  if (score > 0) return "low";
  return "info";
}

export interface CvssScore {
  type: "CVSS_V2" | "CVSS_V3" | "CVSS_V4";
  vector: string;
  score: number;
}

/**
 * Severity from OSV `severity[]` entries. Every scorable vector is scored (v4 alongside v3.x and
 * v2); the newest CVSS version present decides, as its authors meant it to replace the older ones,
 * and the highest score within that version.
 */
export function severityFromOsv(entries: ReadonlyArray<{ type: string; score: string }>): { severity: Severity; score: number; vector: string; scores: CvssScore[] } | undefined {
  const scores: CvssScore[] = [];
  for (const e of entries) {
    const score = e.type === "CVSS_V4" ? cvss4Score(e.score) : e.type === "CVSS_V3" ? cvss3BaseScore(e.score) : e.type === "CVSS_V2" ? cvss2BaseScore(e.score) : undefined;
    if (score !== undefined) scores.push({ type: e.type as CvssScore["type"], vector: e.score, score });
  }
  const rank = { CVSS_V4: 3, CVSS_V3: 2, CVSS_V2: 1 } as const;
  const best = [...scores].sort((a, b) => rank[b.type] - rank[a.type] || b.score - a.score)[0];
  if (!best) return undefined;
  return { severity: scoreBand(best.score, best.type === "CVSS_V2" ? 2 : best.type === "CVSS_V4" ? 4 : 3), score: best.score, vector: best.vector, scores };
}
