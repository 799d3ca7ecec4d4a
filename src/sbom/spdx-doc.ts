import { createHash } from "node:crypto";
import { VERSION } from "../core/index.js";
import { formatSpdx, parseSpdx } from "./spdx.js";

/**
 * SPDX 2.3 JSON from Rampart's CycloneDX ML-BOM (one source of truth, two formats). Each component
 * becomes a package (purl as a PACKAGE-MANAGER external reference, hashes as checksums, licences as
 * `licenseDeclared`); the project DESCRIBES-relationship root DEPENDS_ON its libraries (dev ones are
 * DEV_DEPENDENCY_OF it) and CONTAINS its models and datasets. SPDX 2.3 has no ML profile: models and
 * datasets are `OTHER`/`FILE` packages whose comment and annotations carry the CycloneDX type.
 */

// biome-ignore lint/suspicious/noExplicitAny: walking a document we produced and validated
type Json = Record<string, any>;

const HASH_ALGS: Record<string, string> = {
  "SHA-1": "SHA1",
  "SHA-256": "SHA256",
  "SHA-384": "SHA384",
  "SHA-512": "SHA512",
  MD5: "MD5",
  "SHA3-256": "SHA3-256",
  "SHA3-512": "SHA3-512",
};

/** SPDX ids allow letters, digits, `.` and `-` only (SPDX 2.3 §7.2). */
function spdxId(prefix: string, text: string, used: Set<string>): string {
  const base = `SPDXRef-${prefix}-${
    text
      .replace(/[^A-Za-z0-9.-]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 100) || "x"
  }`;
  let id = base;
  for (let i = 2; used.has(id); i++) id = `${base}-${i}`;
  used.add(id);
  return id;
}

/** A CycloneDX `licenses` array as one SPDX expression, or NOASSERTION when a name is not an SPDX id. */
function declaredLicense(licenses: Json[] | undefined): string {
  if (!licenses?.length) return "NOASSERTION";
  const parts: string[] = [];
  for (const l of licenses) {
    const text = l.expression ?? l.license?.id;
    if (typeof text !== "string") return "NOASSERTION";
    try {
      parts.push(formatSpdx(parseSpdx(text)));
    } catch {
      return "NOASSERTION";
    }
  }
  return parts.length === 1 ? parts[0]! : parts.map((p) => `(${p})`).join(" AND ");
}

export function cyclonedxToSpdx23(cyclonedxJson: string, options: { now?: Date } = {}): string {
  const bom = JSON.parse(cyclonedxJson) as Json;
  const used = new Set<string>(["SPDXRef-DOCUMENT"]);
  const root = bom.metadata?.component as Json | undefined;
  const name = String(root?.name ?? "project");
  const created = (options.now ?? (bom.metadata?.timestamp ? new Date(bom.metadata.timestamp) : new Date())).toISOString().replace(/\.\d{3}Z$/, "Z");
  const digest = createHash("sha256").update(cyclonedxJson).digest("hex");
  const packages: Json[] = [];
  const relationships: Json[] = [];
  const annotations = (kind: string) => [{ annotationDate: created, annotationType: "OTHER", annotator: `Tool: rampart-${VERSION}`, comment: `cyclonedx:type=${kind}` }];
  const rootId = spdxId("Package", name, used);
  packages.push({
    SPDXID: rootId,
    name,
    ...(root?.version ? { versionInfo: String(root.version) } : {}),
    downloadLocation: "NOASSERTION",
    filesAnalyzed: false,
    licenseConcluded: "NOASSERTION",
    licenseDeclared: declaredLicense(root?.licenses),
    copyrightText: "NOASSERTION",
    primaryPackagePurpose: "APPLICATION",
  });
  relationships.push({ spdxElementId: "SPDXRef-DOCUMENT", relationshipType: "DESCRIBES", relatedSpdxElement: rootId });
  for (const c of (bom.components ?? []) as Json[]) {
    const kind = String(c.type);
    const id = spdxId(kind === "library" ? "Package" : kind === "machine-learning-model" ? "Model" : "Data", `${c.group ? `${c.group}-` : ""}${c.name}-${c.version ?? ""}`, used);
    const checksums = ((c.hashes ?? []) as Json[]).filter((h) => HASH_ALGS[h.alg]).map((h) => ({ algorithm: HASH_ALGS[h.alg], checksumValue: String(h.content).toLowerCase() }));
    const props = new Map<string, string>(((c.properties ?? []) as Json[]).map((p) => [String(p.name), String(p.value)]));
    const pkg: Json = {
      SPDXID: id,
      name: c.group ? `${c.group}/${c.name}` : String(c.name),
      ...(c.version ? { versionInfo: String(c.version) } : {}),
      downloadLocation: "NOASSERTION",
      filesAnalyzed: false,
      ...(checksums.length ? { checksums } : {}),
      licenseConcluded: "NOASSERTION",
      licenseDeclared: declaredLicense(c.licenses),
      copyrightText: "NOASSERTION",
      primaryPackagePurpose: kind === "library" ? "LIBRARY" : kind === "data" ? "FILE" : "OTHER",
      ...(c.purl ? { externalRefs: [{ referenceCategory: "PACKAGE-MANAGER", referenceType: "purl", referenceLocator: String(c.purl) }] } : {}),
      ...(kind === "library"
        ? {}
        : {
            comment: `${kind === "data" ? "dataset" : "machine-learning model"}${props.get("rampart:format") ? ` (${props.get("rampart:format")})` : ""}`,
            annotations: annotations(kind),
          }),
    };
    packages.push(pkg);
    if (kind === "library")
      relationships.push(
        c.scope === "excluded"
          ? { spdxElementId: id, relationshipType: "DEV_DEPENDENCY_OF", relatedSpdxElement: rootId }
          : { spdxElementId: rootId, relationshipType: "DEPENDS_ON", relatedSpdxElement: id },
      );
    else relationships.push({ spdxElementId: rootId, relationshipType: "CONTAINS", relatedSpdxElement: id });
  }
  const doc = {
    spdxVersion: "SPDX-2.3",
    dataLicense: "CC0-1.0",
    SPDXID: "SPDXRef-DOCUMENT",
    name: `${name} SBOM`,
    // Unique per content: the namespace names the CycloneDX document this one was made from.
    documentNamespace: `https://spdx.org/spdxdocs/rampart/${encodeURIComponent(name)}-${digest}`,
    creationInfo: { created, creators: [`Tool: rampart-${VERSION}`], comment: `Converted from CycloneDX ${bom.serialNumber ?? ""}`.trim() },
    documentDescribes: [rootId],
    packages,
    relationships,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
