export { type ArtifactFile, cardFor, findArtifacts, type ModelCardMeta, readModelCard, sniffModel } from "./artifacts.js";
export { bomDigest, buildSbom, type SbomOptions, type SbomOutput, validateBom } from "./bom.js";
export { categoryOf, DEFAULT_POLICY, type LicenseCategory, LicensePolicy, type LicenseSubject, licenseFindings, type ResolvedLicense, resolveLicense } from "./licenses.js";
export { npmInstalledLicense, parseCoreMetadata, pythonInstalledLicenses } from "./metadata.js";
export { formatSpdx, leaves, MAX_SPDX_NESTING, MAX_SPDX_TERMS, parseSpdx, type SpdxNode, SpdxParseError } from "./spdx.js";
export { cyclonedxToSpdx23 } from "./spdx-doc.js";
