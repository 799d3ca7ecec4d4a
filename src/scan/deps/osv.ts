import * as z from "zod";
import type { Severity } from "../../core/index.js";
import { type CvssScore, severityFromOsv } from "./cvss.js";
import { compareMaven, parseMaven } from "./maven.js";
import { comparePep440, parsePep440 } from "./pep440.js";
import { compareSemver, parseSemver } from "./semver.js";

/**
 * OSV advisories (ossf/osv-schema 1.7) and the range evaluation of its "Evaluation" section:
 * `versions[]` first, then each range's events walked in version order.
 */

const Event = z.union([
  z.object({ introduced: z.string() }).strict(),
  z.object({ fixed: z.string() }).strict(),
  z.object({ last_affected: z.string() }).strict(),
  z.object({ limit: z.string() }).strict(),
]);
export type OsvEvent = z.infer<typeof Event>;

const Range = z.object({
  type: z.enum(["SEMVER", "ECOSYSTEM", "GIT"]),
  repo: z.string().optional(),
  events: z.array(Event).min(1),
});

const SeverityEntry = z.object({ type: z.string(), score: z.string() });

const Affected = z.object({
  package: z.object({ ecosystem: z.string(), name: z.string(), purl: z.string().optional() }).optional(),
  severity: z.array(SeverityEntry).optional(),
  ranges: z.array(Range).optional(),
  versions: z.array(z.string()).optional(),
  ecosystem_specific: z.unknown().optional(),
  database_specific: z.unknown().optional(),
});

export const OsvAdvisory = z.object({
  schema_version: z.string().optional(),
  id: z.string().min(1),
  modified: z.string().min(1),
  published: z.string().optional(),
  withdrawn: z.string().optional(),
  aliases: z.array(z.string()).optional(),
  related: z.array(z.string()).optional(),
  summary: z.string().optional(),
  details: z.string().optional(),
  severity: z.array(SeverityEntry).optional(),
  affected: z.array(Affected).optional(),
  references: z.array(z.object({ type: z.string(), url: z.string() })).optional(),
  database_specific: z.record(z.string(), z.unknown()).optional(),
});
export type OsvAdvisory = z.infer<typeof OsvAdvisory>;
export type OsvAffected = z.infer<typeof Affected>;

/** PEP 503 name normalisation for PyPI; other ecosystems compare names as written. */
export function normalizePackageName(ecosystem: string, name: string): string {
  if (ecosystem === "PyPI") return name.toLowerCase().replace(/[-_.]+/g, "-");
  return name;
}

/** A version order for an ecosystem, or undefined when we cannot order its versions. */
export interface VersionOrder {
  parse(v: string): unknown | undefined;
  compare(a: unknown, b: unknown): number;
}

const pep440Order: VersionOrder = { parse: parsePep440, compare: (a, b) => comparePep440(a as never, b as never) };
const semverOrder: VersionOrder = { parse: parseSemver, compare: (a, b) => compareSemver(a as never, b as never) };
// Go module versions are SemVer with a leading `v` (go.mod), which OSV's Go records leave out;
// `+incompatible` is build metadata, so it does not change precedence.
const goOrder: VersionOrder = { parse: (v) => parseSemver(v.replace(/^v/, "")), compare: semverOrder.compare };
const mavenOrder: VersionOrder = { parse: parseMaven, compare: (a, b) => compareMaven(a as never, b as never) };

export function versionOrder(ecosystem: string, rangeType: "SEMVER" | "ECOSYSTEM"): VersionOrder | undefined {
  if (rangeType === "SEMVER") return ecosystem === "Go" ? goOrder : semverOrder;
  if (ecosystem === "PyPI") return pep440Order;
  if (ecosystem === "Go") return goOrder;
  if (ecosystem === "Maven") return mavenOrder;
  if (ecosystem === "npm" || ecosystem === "crates.io") return semverOrder;
  return undefined;
}

const ZERO = Symbol("introduced-0");

/** Is `version` inside one OSV range? undefined when the range cannot be evaluated (GIT, unknown order). */
export function inRange(ecosystem: string, range: z.infer<typeof Range>, version: string): boolean | undefined {
  if (range.type === "GIT") return undefined;
  const order = versionOrder(ecosystem, range.type);
  if (!order) return undefined;
  const v = order.parse(version);
  if (v === undefined) return undefined;
  const cmp = (a: unknown, b: unknown) => (a === ZERO ? (b === ZERO ? 0 : -1) : b === ZERO ? 1 : order.compare(a, b));
  type Parsed = { kind: "introduced" | "fixed" | "last_affected" | "limit"; at: unknown };
  const events: Parsed[] = [];
  for (const e of range.events) {
    const [kind, text] = Object.entries(e)[0] as [Parsed["kind"], string];
    if (kind === "limit" && text === "*") continue;
    if (kind === "introduced" && text === "0") {
      events.push({ kind, at: ZERO });
      continue;
    }
    const at = order.parse(text);
    if (at === undefined) return undefined;
    events.push({ kind, at });
  }
  const limits = events.filter((e) => e.kind === "limit");
  if (limits.length > 0 && !limits.some((l) => cmp(v, l.at) < 0)) return false;
  events.sort((a, b) => cmp(a.at, b.at));
  let vulnerable = false;
  for (const e of events) {
    if (e.kind === "introduced" && cmp(e.at, v) <= 0) vulnerable = true;
    else if (e.kind === "fixed" && cmp(e.at, v) <= 0) vulnerable = false;
    else if (e.kind === "last_affected" && cmp(e.at, v) < 0) vulnerable = false;
  }
  return vulnerable;
}

/** Does this `affected[]` entry cover the version? Explicit `versions[]` first, then ranges. */
export function affectedEntryMatches(entry: OsvAffected, version: string): boolean {
  const ecosystem = entry.package?.ecosystem ?? "";
  if (entry.versions?.includes(version)) return true;
  if (ecosystem === "Go" && entry.versions?.includes(version.replace(/^v/, ""))) return true;
  // PyPI versions are compared after normalisation: `1.0` in the list also covers `1.0.0` written differently.
  if (ecosystem === "PyPI" && entry.versions) {
    const v = parsePep440(version);
    if (
      v &&
      entry.versions.some((x) => {
        const p = parsePep440(x);
        return p !== undefined && comparePep440(p, v) === 0;
      })
    )
      return true;
  }
  return (entry.ranges ?? []).some((r) => inRange(ecosystem, r, version) === true);
}

/** Fixed versions named by the matching ranges, lowest first, deduplicated. */
export function fixedVersions(entry: OsvAffected): string[] {
  const out = new Set<string>();
  for (const r of entry.ranges ?? []) for (const e of r.events) if ("fixed" in e) out.add(e.fixed);
  const order = versionOrder(entry.package?.ecosystem ?? "", "ECOSYSTEM");
  const list = [...out];
  if (order) {
    list.sort((a, b) => {
      const pa = order.parse(a);
      const pb = order.parse(b);
      return pa === undefined || pb === undefined ? a.localeCompare(b) : order.compare(pa, pb);
    });
  }
  return list;
}

export interface AdvisoryMatch {
  advisory: OsvAdvisory;
  entry: OsvAffected;
  severity: Severity;
  score?: number;
  vector?: string;
  /** Every CVSS vector of the advisory that could be scored (v4, v3.x, v2). */
  scores?: CvssScore[];
  fixed: string[];
}

const QUALITATIVE: Record<string, Severity> = { CRITICAL: "critical", HIGH: "high", MODERATE: "medium", MEDIUM: "medium", LOW: "low" };

/** Severity of an advisory for one affected entry: CVSS vectors first, then the database's own label. */
export function advisorySeverity(adv: OsvAdvisory, entry?: OsvAffected): { severity: Severity; score?: number; vector?: string; scores?: CvssScore[] } {
  const scored = severityFromOsv([...(entry?.severity ?? []), ...(adv.severity ?? [])]);
  if (scored) return scored;
  const label = adv.database_specific?.severity;
  if (typeof label === "string" && QUALITATIVE[label.toUpperCase()]) return { severity: QUALITATIVE[label.toUpperCase()]! };
  // An advisory nobody scored is still a known vulnerability.
  return { severity: "medium" };
}

/** All ways an advisory affects package `name`@`version` in `ecosystem` (withdrawn advisories never match). */
export function matchAdvisory(adv: OsvAdvisory, ecosystem: string, name: string, version: string): AdvisoryMatch | undefined {
  if (adv.withdrawn) return undefined;
  const wanted = normalizePackageName(ecosystem, name);
  for (const entry of adv.affected ?? []) {
    if (!entry.package || entry.package.ecosystem.split(":")[0] !== ecosystem) continue;
    if (normalizePackageName(ecosystem, entry.package.name) !== wanted) continue;
    if (!affectedEntryMatches(entry, version)) continue;
    return { advisory: adv, entry, ...advisorySeverity(adv, entry), fixed: fixedVersions(entry) };
  }
  return undefined;
}
