export { readBaseline, writeBaseline } from "./baseline.js";
export { base62Encode, crc32, hasValidTokenChecksum } from "./checksum.js";
export { detectSecrets, isConfigFile, isCredentialAssignment, isSettingsFile, type SecretHit } from "./detect.js";
export { handTypedShare, hasLongTypedRun, isDigestShaped, isTrivialSequence, looksHandTyped, shannonEntropy } from "./entropy.js";
export { GENERIC_RULE_ID, SECRET_RULES, type SecretRule } from "./rules.js";
export { fingerprint, redact, type ScanSecretsOptions, scanSecrets, scanTextStream } from "./scan.js";
export { scanSecretsStage } from "./stage.js";
