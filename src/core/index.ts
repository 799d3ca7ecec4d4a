export { loadYaml, parseYaml } from "./config.js";
export { type DirectoryDigest, type DirectoryEntry, digestDirectory, fileError, sha256File, sha256Hex, subjectOf } from "./digest.js";
export { type ErrorCode, isRampartError, messageOf, oneLine, RampartError } from "./errors.js";
export { readJson, readText, writeFileAtomic } from "./files.js";
export { prng } from "./random.js";
export { FORMATS, type Format, formatLocation, type RenderOptions, render, renderJunit, renderSarif, renderTable, summaryLine, toJson } from "./render/index.js";
export { type RuleInfo, registerRules, ruleInfo } from "./rules.js";
export { tag } from "./tags.js";
export {
  atLeast,
  CheckResult,
  CheckResults,
  Finding,
  failing,
  Location,
  Metrics,
  SEVERITIES,
  Severity,
  Sha256Hex,
  Subject,
  worstSeverity,
} from "./types.js";
export { VERSION } from "./version.js";
export { duplicateKeys, firstProblem, parseYamlValue, YAML_PARSE_OPTIONS, type YamlProblem, yamlProblems } from "./yaml.js";
