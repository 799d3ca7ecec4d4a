import * as z from "zod";
import { type Finding, registerRules, type Severity, tag } from "../core/index.js";
import { formatSpdx, leaves, parseSpdx, type SpdxNode, SpdxParseError } from "./spdx.js";

/**
 * Licence resolution and policy. Free-form licence text from package metadata is normalised to an SPDX
 * expression where that is unambiguous; expressions are then judged against an allow/deny policy,
 * choosing the most permissive branch of an OR (the licensee picks) and the most restrictive of an AND.
 */

export type LicenseCategory = "permissive" | "public-domain" | "weak-copyleft" | "strong-copyleft" | "network-copyleft" | "non-commercial" | "restricted" | "unknown";

// Families by SPDX identifier prefix (SPDX list names; -only/-or-later variants share the family).
const FAMILIES: Array<[RegExp, LicenseCategory]> = [
  [/^(AGPL-|SSPL-|OSL-|RPL-|CPAL-)/, "network-copyleft"],
  [/^(CC-BY-NC|PolyForm-Noncommercial)/, "non-commercial"],
  [/^(CC-BY-ND|Llama|OpenRAIL|BigScience)/i, "restricted"],
  [/^(GPL-|EUPL-|CC-BY-SA-|Sleepycat|QPL-|ODbL-|CECILL-2|CECILL-1|Parity-)/, "strong-copyleft"],
  [/^(LGPL-|MPL-|EPL-|CDDL-|CPL-|MS-RL|APSL-|CECILL-C|ErlPL-|IPL-|SPL-|NPL-|LPPL-)/, "weak-copyleft"],
  [/^(CC0-|Unlicense$|0BSD$|WTFPL$|PDDL-|CC-PDDC$)/, "public-domain"],
  [
    /^(MIT|Apache-|BSD-|ISC$|Zlib$|PSF-|Python-|BSL-1\.0$|Unicode-|X11|PostgreSQL$|NCSA$|AFL-|Artistic-2|CC-BY-\d|HPND|OFL-|Ruby$|Zope-|W3C|UPL-|BlueOak-|MS-PL$|curl$|libpng|OpenSSL$|JSON$|Beerware$|AML$|bzip2|CNRI-Python|Info-ZIP|TCL$|Vim$)/,
    "permissive",
  ],
];

// Restrictive ML licences on the Hugging Face hub that are not SPDX identifiers.
const HUB_LICENSES: Record<string, LicenseCategory> = {
  openrail: "restricted",
  "openrail++": "restricted",
  "bigscience-openrail-m": "restricted",
  "creativeml-openrail-m": "restricted",
  "bigscience-bloom-rail-1.0": "restricted",
  "bigcode-openrail-m": "restricted",
  llama2: "restricted",
  llama3: "restricted",
  "llama3.1": "restricted",
  "llama3.2": "restricted",
  "llama3.3": "restricted",
  llama4: "restricted",
  gemma: "restricted",
  "deepfloyd-if-license": "non-commercial",
  "apple-ascl": "restricted",
  "intel-research": "restricted",
  "lgpl-lr": "weak-copyleft",
  other: "unknown",
  unknown: "unknown",
};

const hubKey = (id: string) =>
  id
    .toLowerCase()
    .replace(/\+/g, "-plus")
    .replace(/[^a-z0-9.-]/g, "-");
const HUB_BY_KEY = new Map(Object.entries(HUB_LICENSES).map(([k, v]) => [hubKey(k), v]));

export function categoryOf(leaf: Extract<SpdxNode, { kind: "license" | "ref" }>): LicenseCategory {
  if (leaf.kind === "ref") {
    if (/^LicenseRef-public-domain$/i.test(leaf.ref)) return "public-domain";
    const hub = /^LicenseRef-(?:hf-)?(.+)$/i.exec(leaf.ref)?.[1]?.toLowerCase();
    return (hub && HUB_BY_KEY.get(hub)) || "unknown";
  }
  if (!leaf.known) return "unknown";
  for (const [re, cat] of FAMILIES) if (re.test(leaf.id)) return cat;
  return "unknown";
}

// Common free-form spellings from package metadata and trove classifiers.
const ALIASES: Array<[RegExp, string]> = [
  [/^(the )?mit( license)?$|^expat$|^License :: OSI Approved :: MIT License$/i, "MIT"],
  [/^(the )?apache( software)?( license)?,?( version)? ?2(\.0)?$|^asl ?2(\.0)?$|^apache software license$|^License :: OSI Approved :: Apache Software License$/i, "Apache-2.0"],
  [/^(new |modified |revised )?bsd( license)?$|^bsd[- ]3[- ]clause( license)?$|^License :: OSI Approved :: BSD License$/i, "BSD-3-Clause"],
  [/^(simplified )?bsd[- ]2[- ]clause( license)?$|^freebsd$/i, "BSD-2-Clause"],
  [/^isc( license)?( \(iscl\))?$|^License :: OSI Approved :: ISC License \(ISCL\)$/i, "ISC"],
  [/^psf( license)?$|^python software foundation license$|^License :: OSI Approved :: Python Software Foundation License$/i, "PSF-2.0"],
  [/^mpl[- ]?2(\.0)?$|^mozilla public license 2\.0( \(mpl 2\.0\))?$|^License :: OSI Approved :: Mozilla Public License 2\.0 \(MPL 2\.0\)$/i, "MPL-2.0"],
  [/^(gnu )?gplv?3\+?$|^License :: OSI Approved :: GNU General Public License v3 \(GPLv3\)$/i, "GPL-3.0-only"],
  [/^License :: OSI Approved :: GNU General Public License v3 or later \(GPLv3\+\)$/i, "GPL-3.0-or-later"],
  [/^(gnu )?gplv?2$|^License :: OSI Approved :: GNU General Public License v2 \(GPLv2\)$/i, "GPL-2.0-only"],
  [/^(gnu )?lgplv?3$|^License :: OSI Approved :: GNU Lesser General Public License v3 \(LGPLv3\)$/i, "LGPL-3.0-only"],
  [/^(gnu )?lgplv?2(\.1)?$|^License :: OSI Approved :: GNU Lesser General Public License v2 \(LGPLv2\)$/i, "LGPL-2.1-only"],
  [/^(gnu )?agplv?3$|^License :: OSI Approved :: GNU Affero General Public License v3$/i, "AGPL-3.0-only"],
  [/^unlicense$|^License :: OSI Approved :: The Unlicense \(Unlicense\)$/i, "Unlicense"],
  [/^public domain$|^License :: Public Domain$/i, "LicenseRef-public-domain"],
];

export interface ResolvedLicense {
  /** The licence as found. */
  raw: string;
  /** Canonical SPDX expression, when the text is (or maps to) one. */
  expression?: string;
  node?: SpdxNode;
  /** Why it could not be read as SPDX. */
  error?: string;
}

/** Reads licence text as an SPDX expression: exact SPDX first, then well-known spellings, then hub ids. */
export function resolveLicense(raw: string): ResolvedLicense {
  const text = raw.trim();
  for (const [re, id] of ALIASES) if (re.test(text)) return withNode(raw, id);
  if (HUB_LICENSES[text.toLowerCase()] !== undefined) return withNode(raw, `LicenseRef-${hubKey(text)}`);
  try {
    const node = parseSpdx(text);
    // A single unknown word like "llama3" or "openrail" is a hub licence id: keep it as a LicenseRef.
    if (node.kind === "license" && !node.known && !node.exception) {
      const hub = text.toLowerCase();
      if (/^[a-z0-9.+-]+$/.test(hub)) return withNode(raw, `LicenseRef-${hubKey(hub)}`);
    }
    return { raw, expression: formatSpdx(node), node };
  } catch (e) {
    if (!(e instanceof SpdxParseError)) throw e;
    return { raw, error: e.message };
  }
}

function withNode(raw: string, expr: string): ResolvedLicense {
  const node = parseSpdx(expr);
  return { raw, expression: formatSpdx(node), node };
}

export const LicensePolicy = z
  .object({
    /** Only these licences (SPDX ids; `*` suffix = prefix match, e.g. `BSD-*`) are acceptable. Empty = any. */
    allow: z.array(z.string()).default([]),
    /** Never acceptable, whatever else the expression offers (unless an OR gives a way out). */
    deny: z.array(z.string()).default([]),
    /** What to do with copyleft: report it (default), treat it as denied, or accept it silently. */
    copyleft: z.enum(["flag", "deny", "allow"]).default("flag"),
    /** Report packages whose licence is unknown or missing. */
    unknown: z.enum(["flag", "deny", "allow"]).default("flag"),
  })
  .strict();
export type LicensePolicy = z.infer<typeof LicensePolicy>;

export const DEFAULT_POLICY: LicensePolicy = LicensePolicy.parse({});

type Verdict = { rank: number; category: LicenseCategory; denied?: string; notAllowed?: string };

const matches = (pattern: string, id: string) =>
  pattern.endsWith("*") ? id.toLowerCase().startsWith(pattern.slice(0, -1).toLowerCase()) : id.toLowerCase() === pattern.toLowerCase();

const RANK: Record<LicenseCategory, number> = {
  "public-domain": 0,
  permissive: 0,
  "weak-copyleft": 1,
  unknown: 2,
  "strong-copyleft": 3,
  restricted: 3,
  "network-copyleft": 4,
  "non-commercial": 4,
};

function judge(node: SpdxNode, policy: LicensePolicy): Verdict {
  if (node.kind === "or" || node.kind === "and") {
    const a = judge(node.left, policy);
    const b = judge(node.right, policy);
    // OR: the licensee may pick the better branch; AND: both apply.
    if (node.kind === "or") return a.rank <= b.rank ? a : b;
    return a.rank >= b.rank ? a : b;
  }
  const id = node.kind === "ref" ? node.ref : node.id;
  const category = categoryOf(node);
  if (policy.deny.some((p) => matches(p, id))) return { rank: 10, category, denied: id };
  if (policy.allow.length > 0 && !policy.allow.some((p) => matches(p, id))) return { rank: 9, category, notAllowed: id };
  if (policy.allow.length > 0) return { rank: 0, category };
  return { rank: RANK[category], category };
}

registerRules([
  { id: "license.denied", title: "A component's licence is denied by policy", help: "Replace the component or get the licence exception approved.", defaultSeverity: "high" },
  {
    id: "license.not-allowed",
    title: "A component's licence is not on the allow list",
    help: "Review the licence; add it to the policy's allow list if acceptable.",
    defaultSeverity: "medium",
  },
  {
    id: "license.copyleft",
    title: "A component carries a copyleft licence",
    description: "Copyleft terms can oblige you to publish source or model weights when you distribute or serve them.",
    help: "Check the obligations with counsel, or replace the component.",
    defaultSeverity: "medium",
  },
  {
    id: "license.restricted",
    title: "A model or component carries a use-restricted or non-commercial licence",
    description: "RAIL, Llama-style and non-commercial licences restrict how a model may be used or deployed.",
    help: "Confirm the intended use is permitted by the licence.",
    defaultSeverity: "medium",
  },
  {
    id: "license.unknown",
    title: "A component's licence is unknown or not an SPDX expression",
    help: "Find the licence and record it (or add the component to a reviewed list).",
    defaultSeverity: "low",
  },
]);

export interface LicenseSubject {
  /** What the licence belongs to, e.g. `pkg:pypi/torch@2.2.0` or a model path. */
  name: string;
  kind: "library" | "model" | "dataset";
  license?: ResolvedLicense;
  location?: Finding["location"];
}

/** Findings for one component under a policy (none when its licence is acceptable). */
export function licenseFindings(s: LicenseSubject, policy: LicensePolicy = DEFAULT_POLICY): Finding[] {
  const base = { location: s.location, entity: s.name, tags: [tag.owaspMl("ML06")] };
  const lic = s.license;
  if (!lic?.node) {
    if (policy.unknown === "allow") return [];
    const severity: Severity = policy.unknown === "deny" ? "high" : s.kind === "model" ? "medium" : "low";
    const message = lic ? `${s.name}: licence "${lic.raw}" is not an SPDX expression (${lic.error})` : `${s.name}: no licence found`;
    return [{ ...base, ruleId: policy.unknown === "deny" ? "license.denied" : "license.unknown", severity, message, evidence: lic ? { license: lic.raw } : {} }];
  }
  const v = judge(lic.node, policy);
  const evidence = { license: lic.expression, category: v.category, ids: leaves(lic.node).map((l) => (l.kind === "ref" ? l.ref : l.id)) };
  if (v.denied) return [{ ...base, ruleId: "license.denied", severity: "high", message: `${s.name}: licence ${lic.expression} is denied by policy (${v.denied})`, evidence }];
  if (v.notAllowed) return [{ ...base, ruleId: "license.not-allowed", severity: "medium", message: `${s.name}: licence ${lic.expression} is not on the allow list`, evidence }];
  if (v.category.endsWith("copyleft") && policy.copyleft !== "allow") {
    const deny = policy.copyleft === "deny";
    const severity: Severity = deny ? "high" : v.category === "weak-copyleft" ? "low" : "medium";
    return [{ ...base, ruleId: deny ? "license.denied" : "license.copyleft", severity, message: `${s.name}: ${v.category} licence ${lic.expression}`, evidence }];
  }
  if (v.category === "non-commercial" || v.category === "restricted")
    return [{ ...base, ruleId: "license.restricted", severity: "medium", message: `${s.name}: ${v.category} licence ${lic.expression}`, evidence }];
  if (v.category === "unknown" && policy.unknown !== "allow")
    return [
      {
        ...base,
        ruleId: policy.unknown === "deny" ? "license.denied" : "license.unknown",
        severity: policy.unknown === "deny" ? "high" : "low",
        message: `${s.name}: licence ${lic.expression} is not one rampart can classify`,
        evidence,
      },
    ];
  return [];
}
