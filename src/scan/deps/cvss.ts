import type { Severity } from "../../core/index.js";

/**
 * CVSS base scores from vector strings. v3.0/v3.1 and v2 follow the FIRST specifications' equations
 * (v3.1 §7.1 and Appendix A "Roundup"; v2 §3.2.1). v4 scores need FIRST's macro-vector lookup table,
 * which we do not ship: a v4 vector yields no score and the caller falls back to other severity data.
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

/** Qualitative band of a CVSS score (v3/v4 table; v2 has no "critical", so cap it at high). */
export function scoreBand(score: number, version: 2 | 3 | 4 = 3): Severity {
  if (score >= 9 && version !== 2) return "critical";
  if (score >= 7) return "high";
  if (score >= 4) return "medium";
  if (score > 0) return "low";
  return "info";
}

/** Best severity from OSV `severity[]` entries: the highest scorable vector wins. */
export function severityFromOsv(entries: ReadonlyArray<{ type: string; score: string }>): { severity: Severity; score: number; vector: string } | undefined {
  let best: { severity: Severity; score: number; vector: string } | undefined;
  for (const e of entries) {
    let score: number | undefined;
    let version: 2 | 3 = 3;
    if (e.type === "CVSS_V3") score = cvss3BaseScore(e.score);
    else if (e.type === "CVSS_V2") {
      score = cvss2BaseScore(e.score);
      version = 2;
    }
    if (score === undefined) continue;
    if (!best || score > best.score) best = { severity: scoreBand(score, version), score, vector: e.score };
  }
  return best;
}
