export { type CvssScore, cvss2BaseScore, cvss3BaseScore, cvss4Score, isCvss4Vector, scoreBand, severityFromOsv } from "./cvss.js";
export { type AdvisorySource, type ImportSummary, importAdvisories, MAX_ADVISORY_BYTES, memoryAdvisories, storeAdvisories } from "./db.js";
export { ANALYZERS, analyzerFor, type LockfileAnalyzer } from "./lockfiles/index.js";
export { type AdvisoryMatch, advisorySeverity, inRange, matchAdvisory, normalizePackageName, OsvAdvisory } from "./osv.js";
export { comparePep440, formatPep440, normalizePep440, type Pep440Version, parsePep440, parseSpecifierSet, pinnedVersion, satisfiesPep440 } from "./pep440.js";
export { collectDependencies, matchDependencies, type ParsedFile, type ScanDepsOptions, scanDeps } from "./scan.js";
export { compareSemver, npmPinned, parseNpmRange, parseSemver, satisfiesNpm } from "./semver.js";
export { type Dependency, type Ecosystem, type PackageHash, purlOf } from "./types.js";
